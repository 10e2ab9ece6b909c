//===- LowerVectorCpu.cpp - attn-lower-vector-cpu --------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNLOWERVECTORCPU
#include "lowering/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {
struct AttnLowerVectorCpuPass
    : attn::impl::AttnLowerVectorCpuBase<AttnLowerVectorCpuPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // A strided memref.copy would call `memrefCopy` from MLIR's runner
    // utilities; plain loops keep compiled code free of that library.
    {
      IRRewriter rewriter(ctx);
      SmallVector<memref::CopyOp> copies;
      getOperation().walk([&](memref::CopyOp op) { copies.push_back(op); });
      for (memref::CopyOp op : copies) {
        rewriter.setInsertionPoint(op);
        auto copy = linalg::CopyOp::create(rewriter, op.getLoc(),
                                           op.getSource(), op.getTarget());
        if (failed(linalg::linalgOpToLoops(rewriter, copy)))
          return signalPassFailure();
        rewriter.eraseOp(copy);
        rewriter.eraseOp(op);
      }
    }
    // exp2 has no polynomial of its own upstream; exp(x·ln2) has one.
    {
      RewritePatternSet patterns(ctx);
      math::populateExpansionPatterns(patterns, {"exp2"});
      if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
        return signalPassFailure();
    }
    RewritePatternSet patterns(ctx);
    vector::populateVectorContractLoweringPatterns(
        patterns, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorMultiReductionLoweringPatterns(
        patterns, vector::VectorMultiReductionLowering::InnerParallel);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateVectorTransposeLoweringPatterns(
        patterns, vector::VectorTransposeLowering::EltWise);
    vector::populateVectorBroadcastLoweringPatterns(patterns);
    vector::populateVectorMaskOpLoweringPatterns(patterns);
    vector::populateVectorShapeCastLoweringPatterns(patterns);
    populateMathPolynomialApproximationPatterns(
        patterns, [](StringRef name) {
          return name == "exp" || name == "math.exp";
        });
    populatePolynomialApproximateTanhPattern(patterns);
    populatePolynomialApproximateErfPattern(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
