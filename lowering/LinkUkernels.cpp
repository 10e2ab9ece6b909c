//===- LinkUkernels.cpp - Link the CPU micro-kernels into a module --------===//

#include "lowering/Compile.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/Module.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Transforms/IPO/Internalize.h"

/// The bitcode of lowering/ukernels, embedded at build time
/// (lowering/CMakeLists.txt).
static const unsigned char kUkernelBitcode[] = {
#include "lowering/ukernels/Bitcode.inc"
};

llvm::Error mlir::attn::linkUkernels(llvm::Module &module) {
  bool calls = llvm::any_of(module.functions(), [](const llvm::Function &f) {
    return f.isDeclaration() && f.getName().starts_with("attnc_uk_");
  });
  if (!calls)
    return llvm::Error::success();
  llvm::MemoryBufferRef buffer(
      llvm::StringRef(reinterpret_cast<const char *>(kUkernelBitcode),
                      sizeof(kUkernelBitcode)),
      "attnc-ukernels.bc");
  llvm::Expected<std::unique_ptr<llvm::Module>> kernels =
      llvm::parseBitcodeFile(buffer, module.getContext());
  if (!kernels)
    return llvm::createStringError("internal error: the micro-kernel bitcode "
                                   "does not load: " +
                                   llvm::toString(kernels.takeError()));
  // The bitcode was compiled for a generic CPU of the build machine's
  // architecture. Without these attributes its functions are compiled for
  // the module's target machine, like the rest of the module: a 16-lane
  // vector becomes one AVX-512 register where the target has them.
  for (llvm::Function &f : **kernels) {
    f.removeFnAttr("target-cpu");
    f.removeFnAttr("target-features");
    f.removeFnAttr("tune-cpu");
  }
  if (llvm::NamedMDNode *flags = (*kernels)->getModuleFlagsMetadata())
    (*kernels)->eraseNamedMetadata(flags);
  (*kernels)->setDataLayout(module.getDataLayout());
  (*kernels)->setTargetTriple(module.getTargetTriple());
  // Only the kernels the module calls come in, and they become internal:
  // two attnc libraries in one process do not share them, and what is
  // inlined everywhere disappears.
  bool failed = llvm::Linker::linkModules(
      module, std::move(*kernels), llvm::Linker::LinkOnlyNeeded,
      [](llvm::Module &m, const llvm::StringSet<> &linked) {
        llvm::internalizeModule(m, [&](const llvm::GlobalValue &gv) {
          return !gv.hasName() || !linked.contains(gv.getName());
        });
      });
  if (failed)
    return llvm::createStringError(
        "internal error: linking the micro-kernels failed");
  return llvm::Error::success();
}
