//===- GpuTileLoops.cpp - attn-gpu-tile-loops ------------------------------===//
//
// Turns each outermost host scf.parallel into a one-dimensional loop over
// tiles of `threads` iterations with a nested loop inside the tile, which
// gpu-map-parallel-loops maps to thread blocks and threads.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"

#include "llvm/Support/MathExtras.h"

#include <numeric>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNGPUTILELOOPS
#include "lowering/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {

struct AttnGpuTileLoopsPass
    : attn::impl::AttnGpuTileLoopsBase<AttnGpuTileLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (threads < 1 || threads > 1024) {
      getOperation()->emitError()
          << "attn-gpu-tile-loops: threads " << threads.getValue()
          << " must be from 1 to 1024";
      return signalPassFailure();
    }
    SmallVector<scf::ParallelOp> loops;
    getOperation().walk([&](scf::ParallelOp op) {
      if (!op->getParentOfType<scf::ParallelOp>() &&
          !op->getParentOfType<gpu::LaunchOp>())
        loops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (scf::ParallelOp op : loops) {
      // gpu-map-parallel-loops maps only the first three dimensions of a
      // loop to the grid (and of the nested loop to threads) and runs the
      // rest sequentially, so all dimensions are first collapsed into one.
      std::vector<unsigned> all(op.getNumLoops());
      std::iota(all.begin(), all.end(), 0u);
      scf::ParallelOp flat = op;
      if (all.size() > 1) {
        // The collapsed loop takes the original's place.
        Operation *next = op->getNextNode();
        collapseParallelLoops(rewriter, op, {all});
        flat = cast<scf::ParallelOp>(next->getPrevNode());
      }
      int64_t tile = threads;
      std::optional<int64_t> lb = getConstantIntValue(flat.getLowerBound()[0]);
      std::optional<int64_t> ub = getConstantIntValue(flat.getUpperBound()[0]);
      std::optional<int64_t> step = getConstantIntValue(flat.getStep()[0]);
      if (lb && ub && step && *step > 0)
        tile = std::min<int64_t>(
            tile, llvm::PowerOf2Ceil(std::max<int64_t>(
                      llvm::divideCeil(*ub - *lb, *step), 1)));
      scf::tileParallelLoop(flat, {tile}, /*noMinMaxBounds=*/true);
    }
  }
};

} // namespace
