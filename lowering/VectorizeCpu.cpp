//===- VectorizeCpu.cpp - attn-vectorize-cpu
//-------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNVECTORIZECPU
#include "lowering/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {

/// 16 zmm registers of f32: the accumulator budget of one contraction tile,
/// which leaves the other 16 for operands.
constexpr int64_t kAccumulatorElements = 256;
constexpr int64_t kMaxLanes = 64;

/// The largest of `candidates` that divides `extent`, else `extent` itself
/// (a short dimension is taken whole).
int64_t largestDivisor(int64_t extent, int64_t limit) {
  for (int64_t t = limit; t >= 1; t /= 2)
    if (t <= extent && extent % t == 0)
      return t;
  return extent;
}

/// Register-block tile sizes for `op`, 0 meaning "not tiled"; empty when
/// the op is small enough to vectorize whole.
SmallVector<int64_t> registerTile(linalg::LinalgOp op) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iters = op.getIteratorTypesArray();
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  // The lanes run along the output's innermost dimension, which is
  // contiguous in memory.
  int64_t laneDim = -1;
  if (outMap.getNumResults() > 0)
    if (auto d = dyn_cast<AffineDimExpr>(outMap.getResults().back()))
      laneDim = d.getPosition();
  if (laneDim < 0) {
    // A reduction to a scalar: vectorized whole when it is small, else along
    // its innermost loop, one element of every other (unrolling a large one
    // whole makes code the size of its data).
    int64_t total = 1;
    for (int64_t r : ranges)
      total *= r;
    if (ranges.empty() || total <= kAccumulatorElements * 4)
      return {};
    SmallVector<int64_t> tiles(ranges.size(), 1);
    tiles.back() = largestDivisor(ranges.back(), kMaxLanes);
    return tiles;
  }
  bool contraction = linalg::isaContractionOpInterface(op);
  SmallVector<int64_t> tiles(ranges.size(), 0);
  int64_t lanes = largestDivisor(ranges[laneDim], kMaxLanes);
  tiles[laneDim] = lanes;
  int64_t rows = std::max<int64_t>(1, kAccumulatorElements / lanes);
  for (auto [i, it] : llvm::enumerate(iters)) {
    if (static_cast<int64_t>(i) == laneDim)
      continue;
    if (it == utils::IteratorType::reduction)
      tiles[i] = 1;
    else
      tiles[i] = contraction
                     ? largestDivisor(ranges[i], std::min<int64_t>(rows, 8))
                     : 1;
  }
  bool any = false;
  for (auto [t, r] : llvm::zip(tiles, ranges)) {
    if (t == r)
      t = 0;
    any |= t != 0;
  }
  return any ? tiles : SmallVector<int64_t>{};
}

/// Tiles of an elementwise op with a dynamic size: one vector of up to
/// kMaxLanes along the output's innermost dimension (all of it when that is
/// static and fits, else 16 lanes, the last tile masked), one element along
/// every other dimension; empty when the op is not elementwise.
SmallVector<int64_t> dynamicElementwiseTile(linalg::LinalgOp op) {
  if (op.getNumLoops() == 0 || op.getNumParallelLoops() != op.getNumLoops() ||
      op.getNumDpsInits() != 1)
    return {};
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (!outMap.isIdentity())
    return {};
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<int64_t> tiles(ranges.size(), 1);
  int64_t inner = ranges.back();
  tiles.back() =
      !ShapedType::isDynamic(inner) && inner <= kMaxLanes ? inner : 16;
  return tiles;
}

bool hasStaticShapes(linalg::LinalgOp op) {
  return llvm::all_of(op->getOperands(), [](Value v) {
    auto t = dyn_cast<ShapedType>(v.getType());
    return !t || t.hasStaticShape();
  });
}

struct AttnVectorizeCpuPass
    : attn::impl::AttnVectorizeCpuBase<AttnVectorizeCpuPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<linalg::LinalgOp> ops, dynamicOps;
    func.walk([&](linalg::LinalgOp op) {
      if (!op.hasPureTensorSemantics())
        return;
      // LLVM lays out a vector of i1 as packed bits, a memref of i1 as one
      // byte per element: a vector load or store of bool tensors (ONNX
      // comparisons, masks, Where conditions) would read the wrong bytes,
      // so those ops stay scalar loops.
      auto isBool = [](Type t) {
        auto shaped = dyn_cast<ShapedType>(t);
        return shaped && shaped.getElementType().isInteger(1);
      };
      if (llvm::any_of(op->getOperandTypes(), isBool) ||
          llvm::any_of(op->getResultTypes(), isBool))
        return;
      if (hasStaticShapes(op))
        ops.push_back(op);
      else if (!op->getParentOfType<scf::ForallOp>())
        dynamicOps.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      Operation *target = op;
      SmallVector<int64_t> tiles =
          isa<linalg::FillOp>(op) ? SmallVector<int64_t>{} : registerTile(op);
      if (!tiles.empty()) {
        rewriter.setInsertionPoint(op);
        scf::SCFTilingOptions options;
        options.setTileSizes(getAsIndexOpFoldResult(&getContext(), tiles));
        FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
            rewriter, cast<TilingInterface>(op.getOperation()), options);
        if (failed(tiled))
          continue;
        rewriter.replaceOp(op, tiled->replacements);
        target = tiled->tiledOps.front();
      }
      // Ops the vectorizer rejects (a gather, say) stay scalar loops.
      if (failed(linalg::vectorizeOpPrecondition(target)))
        continue;
      rewriter.setInsertionPoint(target);
      FailureOr<linalg::VectorizationResult> vectorized =
          linalg::vectorize(rewriter, target);
      if (succeeded(vectorized))
        rewriter.replaceOp(target, vectorized->replacements);
    }

    // Read tiles straight from their source, then keep accumulators that a
    // loop reads and writes at one place in registers across the loop.
    RewritePatternSet patterns(&getContext());
    // Generic bodies vectorize to mul + multi_reduction; turning those back
    // into vector.contract (with the broadcasts folded into its maps) is
    // what lets the contraction lower to broadcast-and-FMA outer products.
    vector::populateVectorReductionToContractPatterns(patterns);
    // Broadcasting reads become a read plus vector.broadcast, which the
    // contraction patterns then fold into the contraction's maps.
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
    vector::populateVectorTransferDropUnitDimsPatterns(patterns);
    scf::ForOp::getCanonicalizationPatterns(patterns, &getContext());
    tensor::ExtractSliceOp::getCanonicalizationPatterns(patterns,
                                                        &getContext());
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
    func.walk([&](scf::ForOp loop) {
      (void)hoistLoopInvariantSubsets(rewriter, loop);
    });

    // Elementwise ops with a dynamic size (a residual add or a mask over a
    // dynamic batch and length): an scf.forall over rows and lane blocks,
    // whose body is one masked vector op, so that they run in parallel and
    // vectorized instead of as scalar loops. After the patterns above: the
    // subset folding there would move a masked read out of its slice.
    for (linalg::LinalgOp op : dynamicOps) {
      SmallVector<int64_t> tiles = dynamicElementwiseTile(op);
      if (tiles.empty())
        continue;
      rewriter.setInsertionPoint(op);
      scf::SCFTilingOptions options;
      options.setTileSizes(getAsIndexOpFoldResult(&getContext(), tiles));
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
      FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
      if (failed(tiled))
        continue;
      rewriter.replaceOp(op, tiled->replacements);
      Operation *tile = tiled->tiledOps.front();
      // Explicitly not scalable: with none given, the vectorizer builds
      // mask types that differ from (but print like) those its masked ops
      // expect, and the IR fails to verify.
      SmallVector<bool> scalable(tiles.size(), false);
      // A gather (tensor.extract in the body) stays scalar, but parallel.
      if (failed(linalg::vectorizeOpPrecondition(tile, tiles, scalable)))
        continue;
      rewriter.setInsertionPoint(tile);
      FailureOr<linalg::VectorizationResult> vectorized =
          linalg::vectorize(rewriter, tile, tiles, scalable);
      if (succeeded(vectorized))
        rewriter.replaceOp(tile, vectorized->replacements);
    }
    // vector.mask regions become masked transfers now, before any later
    // pattern rewrites the one op a mask may hold into several.
    RewritePatternSet maskPatterns(&getContext());
    vector::populateVectorMaskLoweringPatternsForSideEffectingOps(maskPatterns);
    if (failed(applyPatternsGreedily(func, std::move(maskPatterns))))
      return signalPassFailure();
  }
};

} // namespace
