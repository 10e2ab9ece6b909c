//===- SinkDeallocs.cpp - attn-sink-deallocs
//--------------------------------===//
//
// MLIR's ownership-based buffer deallocation frees every buffer at the end
// of the block that allocated it. In a whole model that block is the entry
// function: every intermediate activation stays alive until the call
// returns, the peak memory is their sum, and no allocation of a later layer
// can reuse an earlier layer's memory. This pass moves each dealloc up to
// just after the last use of the buffer or of any view of it.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNSINKDEALLOCS
#include "lowering/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {

/// Whether `op`'s memref results may alias its memref operands: anything but
/// a fresh allocation may (a view, a cast, a call, an scf.if yielding a
/// buffer it was given).
bool mayForwardBuffers(Operation *op) {
  return !isa<memref::AllocOp, memref::AllocaOp, memref::GetGlobalOp>(op);
}

/// The last operation of `block` that uses `buffer` or any value that may
/// alias it; null when one of them escapes (reaches the terminator) or is
/// used outside the block.
Operation *lastUse(Value buffer, memref::DeallocOp dealloc) {
  Block *block = dealloc->getBlock();
  Operation *last = buffer.getDefiningOp();
  SmallVector<Value> worklist{buffer};
  DenseSet<Value> seen{buffer};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      if (user == dealloc.getOperation())
        continue;
      Operation *inBlock = block->findAncestorOpInBlock(*user);
      if (!inBlock || inBlock == block->getTerminator())
        return nullptr;
      if (!last || last->isBeforeInBlock(inBlock))
        last = inBlock;
      if (!mayForwardBuffers(user))
        continue;
      for (Value result : user->getResults())
        if (isa<BaseMemRefType>(result.getType()) && seen.insert(result).second)
          worklist.push_back(result);
    }
  }
  return last;
}

struct AttnSinkDeallocsPass
    : attn::impl::AttnSinkDeallocsBase<AttnSinkDeallocsPass> {
  void runOnOperation() override {
    SmallVector<memref::DeallocOp> deallocs;
    getOperation().walk([&](memref::DeallocOp op) { deallocs.push_back(op); });
    for (memref::DeallocOp dealloc : deallocs) {
      Value buffer = dealloc.getMemref();
      Operation *def = buffer.getDefiningOp();
      // Only buffers allocated in the dealloc's own block: there the last
      // use in program order is the last use in time.
      if (!def || def->getBlock() != dealloc->getBlock())
        continue;
      Operation *last = lastUse(buffer, dealloc);
      if (last && last->isBeforeInBlock(dealloc))
        dealloc->moveAfter(last);
    }
  }
};

} // namespace
