//===- ExpandShapeToCast.cpp - attn-expand-shape-to-cast -------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNEXPANDSHAPETOCAST
#include "lowering/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {
/// memref.expand_shape with a group of two or more dynamic sizes, as a
/// reinterpret_cast with the strides expand_shape implies.
struct ExpandShapeToCast : OpRewritePattern<memref::ExpandShapeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::ExpandShapeOp op,
                                PatternRewriter &rewriter) const override {
    MemRefType resultType = op.getResultType();
    SmallVector<ReassociationIndices> groups = op.getReassociationIndices();
    bool severalDynamic = llvm::any_of(groups, [&](auto &group) {
      return llvm::count_if(group, [&](int64_t d) {
               return resultType.isDynamicDim(d);
             }) > 1;
    });
    if (!severalDynamic)
      return rewriter.notifyMatchFailure(op, "expand-strided-metadata copes");

    Location loc = op.getLoc();
    auto source = memref::ExtractStridedMetadataOp::create(rewriter, loc,
                                                           op.getSrc());
    SmallVector<OpFoldResult> sizes = op.getMixedOutputShape();
    SmallVector<OpFoldResult> strides(resultType.getRank());
    auto [staticStrides, staticOffset] = resultType.getStridesAndOffset();
    for (auto [sourceDim, group] : llvm::enumerate(groups)) {
      // Right to left: the last dimension of a group keeps the source
      // stride, each one before it multiplies by the size after it.
      OpFoldResult stride = source.getStrides()[sourceDim];
      for (int64_t d : llvm::reverse(group)) {
        strides[d] = ShapedType::isDynamic(staticStrides[d])
                         ? stride
                         : rewriter.getIndexAttr(staticStrides[d]);
        AffineExpr s0, s1;
        bindSymbols(rewriter.getContext(), s0, s1);
        stride = affine::makeComposedFoldedAffineApply(
            rewriter, loc, s0 * s1, {stride, sizes[d]});
      }
    }
    OpFoldResult offset =
        ShapedType::isDynamic(staticOffset)
            ? OpFoldResult(source.getOffset())
            : OpFoldResult(rewriter.getIndexAttr(staticOffset));
    rewriter.replaceOpWithNewOp<memref::ReinterpretCastOp>(
        op, resultType, source.getBaseBuffer(), offset, sizes, strides);
    return success();
  }
};

struct AttnExpandShapeToCastPass
    : attn::impl::AttnExpandShapeToCastBase<AttnExpandShapeToCastPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ExpandShapeToCast>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
