//===- GpuHostBuffers.cpp - attn-gpu-host-buffers --------------------------===//
//
// After bufferization on the GPU path, puts every buffer of a host function
// in device memory: allocations become gpu.alloc with a gpu.dealloc after
// their last use, constants are copied to the device, copies become
// gpu.memcpy (or linalg.copy kernels), and every returned buffer is a fresh
// allocation that the caller owns.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Interfaces/ViewLikeInterface.h"

#include "llvm/ADT/SetVector.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNGPUHOSTBUFFERS
#include "lowering/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {

bool onHost(Operation *op) { return !op->getParentOfType<gpu::LaunchOp>(); }

bool hasIdentityLayout(Value v) {
  return cast<MemRefType>(v.getType()).getLayout().isIdentity();
}

/// The buffer a view (subview, reshape, cast, ...) ultimately reads.
Value viewBase(Value v) {
  while (auto view = v.getDefiningOp<ViewLikeOpInterface>())
    v = view.getViewSource();
  return v;
}

/// `source` copied into `dest` on the device: a plain gpu.memcpy when both
/// are contiguous, else a linalg.copy, which the loop passes turn into a
/// kernel.
void deviceCopy(OpBuilder &b, Location loc, Value source, Value dest) {
  if (hasIdentityLayout(source) && hasIdentityLayout(dest))
    gpu::MemcpyOp::create(b, loc, Type(), ValueRange{}, dest, source);
  else
    linalg::CopyOp::create(b, loc, source, dest);
}

/// A device allocation shaped like `like` (identity layout).
Value allocateLike(OpBuilder &b, Location loc, Value like) {
  auto type = cast<MemRefType>(like.getType());
  SmallVector<Value> dynamic;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dynamic.push_back(memref::DimOp::create(b, loc, like, d));
  auto identity = MemRefType::get(type.getShape(), type.getElementType());
  return gpu::AllocOp::create(b, loc, identity, Type(), ValueRange{}, dynamic,
                              ValueRange{}, nullptr)
      .getMemref();
}

struct AttnGpuHostBuffersPass
    : attn::impl::AttnGpuHostBuffersBase<AttnGpuHostBuffersPass> {
  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    if (fn.isExternal())
      return;
    OpBuilder b(fn.getContext());

    // Copies between device buffers.
    SmallVector<memref::CopyOp> copies;
    fn.walk([&](memref::CopyOp op) {
      if (onHost(op))
        copies.push_back(op);
    });
    for (memref::CopyOp op : copies) {
      b.setInsertionPoint(op);
      deviceCopy(b, op.getLoc(), op.getSource(), op.getTarget());
      op.erase();
    }

    // Constants live in host memory; each call copies them to the device.
    SmallVector<memref::GetGlobalOp> globals;
    fn.walk([&](memref::GetGlobalOp op) {
      if (onHost(op))
        globals.push_back(op);
    });
    for (memref::GetGlobalOp op : globals) {
      b.setInsertionPointAfter(op);
      Value device = allocateLike(b, op.getLoc(), op.getResult());
      op.getResult().replaceAllUsesWith(device);
      gpu::MemcpyOp::create(b, op.getLoc(), Type(), ValueRange{}, device,
                            op.getResult());
    }

    // Host allocations become device allocations.
    SmallVector<Operation *> allocs;
    fn.walk([&](Operation *op) {
      if (isa<memref::AllocOp, memref::AllocaOp>(op) && onHost(op))
        allocs.push_back(op);
    });
    for (Operation *op : allocs) {
      b.setInsertionPoint(op);
      auto alloc = cast<MemRefType>(op->getResult(0).getType());
      SmallVector<Value> dynamic(op->getOperands());
      Value device =
          gpu::AllocOp::create(b, op->getLoc(), alloc, Type(), ValueRange{},
                               dynamic, ValueRange{}, nullptr)
              .getMemref();
      op->getResult(0).replaceAllUsesWith(device);
      op->erase();
    }

    // The caller owns each result: a fresh allocation made here, returned
    // once. Anything else is copied.
    llvm::SmallPtrSet<Operation *, 8> returned;
    fn.walk([&](func::ReturnOp ret) {
      b.setInsertionPoint(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        Value v = operand.get();
        if (!isa<MemRefType>(v.getType()))
          continue;
        auto alloc = viewBase(v).getDefiningOp<gpu::AllocOp>();
        if (alloc && returned.insert(alloc).second)
          continue;
        Value fresh = allocateLike(b, ret.getLoc(), v);
        deviceCopy(b, ret.getLoc(), v, fresh);
        returned.insert(fresh.getDefiningOp());
        operand.set(fresh);
      }
    });

    // Free everything else after its last use.
    SmallVector<gpu::AllocOp> owned;
    fn.walk([&](gpu::AllocOp alloc) {
      if (onHost(alloc) && !returned.contains(alloc))
        owned.push_back(alloc);
    });
    for (gpu::AllocOp alloc : owned) {
      Operation *last = lastUse(alloc);
      b.setInsertionPointAfter(last);
      gpu::DeallocOp::create(b, alloc.getLoc(), Type(), ValueRange{},
                             alloc.getMemref());
    }
  }

  /// The last op of the allocation's block that uses it or a view of it
  /// (directly or inside a region, a kernel's body included).
  static Operation *lastUse(gpu::AllocOp alloc) {
    Block *block = alloc->getBlock();
    Operation *last = alloc;
    llvm::SetVector<Value> aliases;
    aliases.insert(alloc.getMemref());
    for (size_t n = 0; n < aliases.size(); ++n) {
      for (Operation *user : aliases[n].getUsers()) {
        if (auto view = dyn_cast<ViewLikeOpInterface>(user))
          if (view.getViewSource() == aliases[n])
            aliases.insert(view->getResult(0));
        Operation *ancestor = block->findAncestorOpInBlock(*user);
        if (ancestor && last->isBeforeInBlock(ancestor))
          last = ancestor;
      }
    }
    return last;
  }
};

} // namespace
