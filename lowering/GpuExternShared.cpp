//===- GpuExternShared.cpp - attn-gpu-extern-shared ------------------------===//
//
// Makes the zero-sized shared-memory arrays of a kernel module (dynamic
// shared memory) external, so that NVPTX emits `.extern .shared` instead of
// demoting them to one-byte static variables.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNGPUEXTERNSHARED
#include "lowering/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {

/// NVVM's address space of shared memory.
constexpr unsigned kSharedAddressSpace = 3;

struct AttnGpuExternSharedPass
    : attn::impl::AttnGpuExternSharedBase<AttnGpuExternSharedPass> {
  void runOnOperation() override {
    getOperation().walk([](LLVM::GlobalOp global) {
      auto array = dyn_cast<LLVM::LLVMArrayType>(global.getGlobalType());
      if (global.getAddrSpace() == kSharedAddressSpace && array &&
          array.getNumElements() == 0)
        global.setLinkage(LLVM::Linkage::External);
    });
  }
};

} // namespace
