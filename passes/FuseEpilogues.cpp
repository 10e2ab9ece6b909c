//===- FuseEpilogues.cpp - attn-fuse-epilogues: residual adds into linear -===//
//
// A residual connection `x + linear(y)` becomes `attn.linear y, ...
// residual(x)`, so that the linear layer's kernel adds x while its output
// is in registers instead of a second pass over memory reading both.
//
//===----------------------------------------------------------------------===//

#include "passes/Formula.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNFUSEEPILOGUES
#include "passes/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

struct FoldResidualAdd : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (!formula::isElementwiseAdd(op))
      return failure();
    for (int i = 0; i < 2; ++i) {
      Value produced = op.getDpsInputOperand(i)->get();
      Value other = op.getDpsInputOperand(1 - i)->get();
      auto linear = produced.getDefiningOp<LinearOp>();
      // One use besides tensor.dims of it (the ONNX importer sizes each
      // tensor.empty by the op before), which are replaced below.
      auto uses = llvm::make_filter_range(produced.getUses(), [&](OpOperand &u) {
        return !formula::isResolvableDim(u.getOwner(), linear);
      });
      if (!linear || linear.getResidual() ||
          std::distance(uses.begin(), uses.end()) != 1 ||
          failed(verifyCompatibleShape(other.getType(), linear.getType())) ||
          getElementTypeOrSelf(other) != getElementTypeOrSelf(linear))
        continue;
      // At the add, where both the linear layer's operands and the
      // residual are defined. Addition commutes exactly, so the order of
      // the sum does not change the result.
      Value fused =
          LinearOp::create(rewriter, linear.getLoc(), linear.getType(),
                           linear.getInput(), linear.getWeight(),
                           linear.getBias(), other, linear.getActivationAttr());
      Type resultType = op->getResult(0).getType();
      if (fused.getType() != resultType)
        fused =
            tensor::CastOp::create(rewriter, op.getLoc(), resultType, fused);
      rewriter.replaceOp(op, fused);
      formula::resolveDimUsers(rewriter, linear);
      rewriter.eraseOp(linear);
      return success();
    }
    return failure();
  }
};

struct AttnFuseEpiloguesPass
    : attn::impl::AttnFuseEpiloguesBase<AttnFuseEpiloguesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldResidualAdd>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
