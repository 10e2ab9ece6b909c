//===- GpuCheckHost.cpp - attn-gpu-check-host ------------------------------===//
//
// The last host-side step of attn-gpu-pipeline before kernel outlining:
// host code may only allocate, copy and launch, since every buffer is in
// device memory; launches whose grid may be empty are skipped at run time.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNGPUCHECKHOST
#include "lowering/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {

/// Whether `op` reads or writes the contents of a buffer.
bool touchesBuffer(Operation *op) {
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return false;
  SmallVector<MemoryEffects::EffectInstance> list;
  effects.getEffects(list);
  return llvm::any_of(list, [](const MemoryEffects::EffectInstance &e) {
    if (!isa<MemoryEffects::Read, MemoryEffects::Write>(e.getEffect()))
      return false;
    Value v = e.getValue();
    return v && isa<BaseMemRefType>(v.getType());
  });
}

struct AttnGpuCheckHostPass
    : attn::impl::AttnGpuCheckHostBase<AttnGpuCheckHostPass> {
  void runOnOperation() override {
    bool failed = false;
    SmallVector<gpu::LaunchOp> launches;
    getOperation().walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (auto launch = dyn_cast<gpu::LaunchOp>(op)) {
        launches.push_back(launch);
        return WalkResult::skip();
      }
      // The gpu dialect's host ops (alloc, memcpy, ...) work on device
      // buffers by design.
      if (!isa<gpu::GPUDialect>(op->getDialect()) && touchesBuffer(op)) {
        op->emitOpError()
            << "reads or writes a buffer in host code, but attn-gpu-pipeline "
               "keeps every buffer in device memory and has no GPU lowering "
               "for this op";
        failed = true;
      }
      return WalkResult::advance();
    });
    if (failed)
      return signalPassFailure();
    for (gpu::LaunchOp launch : launches)
      guardEmptyGrid(launch);
  }

  /// Wraps `launch` in an scf.if that skips it when a grid or block size
  /// that is not a constant is 0.
  static void guardEmptyGrid(gpu::LaunchOp launch) {
    OpBuilder b(launch);
    Location loc = launch.getLoc();
    Value cond;
    gpu::KernelDim3 grid = launch.getGridSizeOperandValues();
    gpu::KernelDim3 block = launch.getBlockSizeOperandValues();
    Value zero;
    for (Value size : {grid.x, grid.y, grid.z, block.x, block.y, block.z}) {
      if (getConstantIntValue(size))
        continue;
      if (!zero)
        zero = arith::ConstantIndexOp::create(b, loc, 0);
      Value positive =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, size, zero);
      cond = cond ? arith::AndIOp::create(b, loc, cond, positive).getResult()
                  : positive;
    }
    if (!cond)
      return;
    auto ifOp = scf::IfOp::create(b, loc, TypeRange{}, cond,
                                  /*withElseRegion=*/false);
    launch->moveBefore(ifOp.thenBlock()->getTerminator());
  }
};

} // namespace
