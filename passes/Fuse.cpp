//===- Fuse.cpp - attn-fuse: an unfused attention chain into attn.sdpa ----===//
//
// The chain is matched backwards from the P·V product: its left operand must
// be a softmax over the last axis, whose input may be a masked score, whose
// input may be a scaled score, whose input must be Q·Kᵀ. Each link is read
// structurally (indexing maps and the scalar op in the body), so named ops,
// linalg.elementwise, linalg.generic and arith ops on tensors all match.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"

#include <cmath>
#include <functional>
#include <optional>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNFUSE
#include "passes/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

//===----------------------------------------------------------------------===//
// Batch matmuls
//===----------------------------------------------------------------------===//

/// A batched matrix product out[b.., i, j] = sum_k lhs[b.., i, k] * rhs,
/// with rhs read as [b.., j, k] (transposed) or [b.., k, j].
struct BatchMatmul {
  linalg::LinalgOp op;
  Value lhs, rhs;
  /// The rank of every operand: 2 (no batch), 3 or 4.
  int64_t rank;
  bool rhsTransposed;
};

/// Whether `init` is a zero-filled tensor, so that a product written into it
/// starts from zero rather than accumulating onto other data.
bool isZeroFilled(Value init) {
  if (matchPattern(init, m_AnyZeroFloat()))
    return true;
  auto fill = init.getDefiningOp<linalg::FillOp>();
  return fill && matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
}

/// Matches `op` as a batched matmul of same-typed float operands with a
/// plain multiply-add body, starting from zero.
std::optional<BatchMatmul> matchBatchMatmul(Operation *raw) {
  auto op = dyn_cast<linalg::LinalgOp>(raw);
  if (!op || !op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || !linalg::isaContractionOpInterface(op))
    return std::nullopt;
  // Only mulf, addf and yield: no casts that would change the numbers.
  Block *body = op.getBlock();
  if (body->getOperations().size() != 3)
    return std::nullopt;
  Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
  Value init = op.getDpsInits()[0];
  Type elementType = getElementTypeOrSelf(init.getType());
  if (!isa<FloatType>(elementType) ||
      getElementTypeOrSelf(lhs.getType()) != elementType ||
      getElementTypeOrSelf(rhs.getType()) != elementType || !isZeroFilled(init))
    return std::nullopt;

  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  int64_t rank = maps[2].getNumResults();
  int64_t loops = op.getNumLoops();
  if (rank < 2 || rank > 4 || loops != rank + 1 ||
      !maps[2].isProjectedPermutation() || maps[0].getNumResults() != rank ||
      maps[1].getNumResults() != rank)
    return std::nullopt;

  // Name the loops by their role in the output, and find the reduction.
  SmallVector<int64_t> outDims;
  for (AffineExpr e : maps[2].getResults())
    outDims.push_back(cast<AffineDimExpr>(e).getPosition());
  std::optional<int64_t> reduction;
  for (int64_t d = 0; d < loops; ++d)
    if (!llvm::is_contained(outDims, d))
      reduction = d;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (int64_t d = 0; d < loops; ++d)
    if ((iterators[d] == utils::IteratorType::reduction) != (d == reduction))
      return std::nullopt;

  MLIRContext *ctx = op.getContext();
  auto mapOf = [&](int64_t second, int64_t last) {
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i + 2 < rank; ++i)
      exprs.push_back(getAffineDimExpr(outDims[i], ctx));
    exprs.push_back(getAffineDimExpr(second, ctx));
    exprs.push_back(getAffineDimExpr(last, ctx));
    return AffineMap::get(loops, 0, exprs, ctx);
  };
  int64_t i = outDims[rank - 2], j = outDims[rank - 1];
  if (maps[0] != mapOf(i, *reduction))
    return std::nullopt;
  bool transposed = maps[1] == mapOf(j, *reduction);
  if (!transposed && maps[1] != mapOf(*reduction, j))
    return std::nullopt;
  return BatchMatmul{op, lhs, rhs, rank, transposed};
}

//===----------------------------------------------------------------------===//
// Elementwise links: scale and mask
//===----------------------------------------------------------------------===//

/// Where one operand of an elementwise link's scalar op comes from.
struct Source {
  enum Kind { Scores, Tensor, Constant } kind;
  /// The tensor read (Tensor; also Constant when it came from a splat
  /// tensor), through `map` over the op's loops.
  Value tensor;
  AffineMap map;
  /// The value (Constant).
  Attribute constant;
};

/// An elementwise op applied to the scores: the scalar op it computes and
/// where each of that op's operands comes from.
struct Elementwise {
  Operation *scalarOp;
  SmallVector<Source> sources;
};

/// Classifies a tensor operand of an elementwise link read through `map`.
Source classifyTensor(Value tensor, AffineMap map, Value scores) {
  if (tensor == scores && map.isIdentity())
    return {Source::Scores, tensor, map, {}};
  DenseElementsAttr splat;
  if (matchPattern(tensor, m_Constant(&splat)) && splat.isSplat())
    return {Source::Constant, tensor, map, splat.getSplatValue<Attribute>()};
  return {Source::Tensor, tensor, map, {}};
}

/// Matches `op` as an elementwise function of `scores` (one scalar op, each
/// of whose operands is the score, another tensor or a constant), with a
/// result of the scores' type.
std::optional<Elementwise> matchElementwise(Operation *op, Value scores) {
  if (op->getNumResults() != 1 ||
      op->getResult(0).getType() != scores.getType())
    return std::nullopt;
  int64_t rank = cast<RankedTensorType>(scores.getType()).getRank();

  // An arith op on whole tensors.
  if (isa<arith::MulFOp, arith::AddFOp, arith::SelectOp>(op)) {
    Elementwise result{op, {}};
    AffineMap identity = AffineMap::getMultiDimIdentityMap(
        static_cast<unsigned>(rank), op->getContext());
    for (Value operand : op->getOperands()) {
      if (!isa<RankedTensorType>(operand.getType()))
        return std::nullopt;
      result.sources.push_back(classifyTensor(operand, identity, scores));
    }
    return result;
  }

  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics() ||
      linalgOp.getNumDpsInits() != 1 || linalgOp.getNumLoops() != rank ||
      linalgOp.getNumParallelLoops() != rank ||
      !linalgOp.getIndexingMapMatchingResult(op->getResult(0)).isIdentity())
    return std::nullopt;
  Block *body = linalgOp.getBlock();
  if (body->getOperations().size() != 2)
    return std::nullopt;
  Operation *scalarOp = &body->front();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (yield.getNumOperands() != 1 ||
      yield.getOperand(0) != scalarOp->getResult(0))
    return std::nullopt;

  Elementwise result{scalarOp, {}};
  for (Value operand : scalarOp->getOperands()) {
    auto arg = dyn_cast<BlockArgument>(operand);
    if (arg && arg.getOwner() == body) {
      OpOperand *tensorOperand = linalgOp.getMatchingOpOperand(arg);
      // The output's old value is not an elementwise operand of the scores.
      if (linalgOp.isDpsInit(tensorOperand))
        return std::nullopt;
      result.sources.push_back(classifyTensor(
          tensorOperand->get(), linalgOp.getMatchingIndexingMap(tensorOperand),
          scores));
      continue;
    }
    Attribute constant;
    if (!matchPattern(operand, m_Constant(&constant)))
      return std::nullopt;
    result.sources.push_back(
        {Source::Constant, Value(), AffineMap(), constant});
  }
  if (llvm::none_of(result.sources,
                    [](const Source &s) { return s.kind == Source::Scores; }))
    return std::nullopt;
  return result;
}

/// The float value of a constant source, if it is one.
std::optional<double> constantValue(const Source &source) {
  auto attr = dyn_cast_or_null<FloatAttr>(source.constant);
  if (source.kind != Source::Constant || !attr)
    return std::nullopt;
  return attr.getValueAsDouble();
}

/// Matches `op` as scores * c for a splat constant c that attn.sdpa accepts
/// as a scale (positive and finite); returns c.
std::optional<double> matchScale(Operation *op, Value scores) {
  std::optional<Elementwise> link = matchElementwise(op, scores);
  if (!link || !isa<arith::MulFOp>(link->scalarOp))
    return std::nullopt;
  const Source &lhs = link->sources[0], &rhs = link->sources[1];
  std::optional<double> scale = lhs.kind == Source::Scores ? constantValue(rhs)
                                : rhs.kind == Source::Scores
                                    ? constantValue(lhs)
                                    : std::nullopt;
  if (!scale || !std::isfinite(*scale) || *scale <= 0)
    return std::nullopt;
  return scale;
}

/// A mask read by the chain, and the map through which it is read.
struct MaskSource {
  Value tensor;
  AffineMap map;
};

/// Matches `op` as scores + m (m a float tensor) or select(m, scores, -inf)
/// (m an i1 tensor: true attends), the two mask forms attn.sdpa takes.
std::optional<MaskSource> matchMask(Operation *op, Value scores) {
  std::optional<Elementwise> link = matchElementwise(op, scores);
  if (!link)
    return std::nullopt;
  auto isMaskTensor = [](const Source &s) {
    return s.kind != Source::Scores && s.tensor && s.map;
  };
  if (isa<arith::AddFOp>(link->scalarOp)) {
    const Source &lhs = link->sources[0], &rhs = link->sources[1];
    const Source &mask = lhs.kind == Source::Scores ? rhs : lhs;
    if ((lhs.kind == Source::Scores) == (rhs.kind == Source::Scores) ||
        !isMaskTensor(mask))
      return std::nullopt;
    return MaskSource{mask.tensor, mask.map};
  }
  if (isa<arith::SelectOp>(link->scalarOp)) {
    const Source &cond = link->sources[0];
    std::optional<double> hidden = constantValue(link->sources[2]);
    if (link->sources[1].kind != Source::Scores || !isMaskTensor(cond) ||
        !cast<ShapedType>(cond.tensor.getType())
             .getElementType()
             .isInteger(1) ||
        !hidden || !std::isinf(*hidden) || *hidden > 0)
      return std::nullopt;
    return MaskSource{cond.tensor, cond.map};
  }
  return std::nullopt;
}

/// Whether `op` is a softmax of `input` over its last axis.
bool isLastAxisSoftmax(Operation *op, Value input) {
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  if (auto softmax = dyn_cast<SoftmaxOp>(op)) {
    int64_t axis = softmax.getAxisAttr().getInt();
    return softmax.getInput() == input && (axis == rank - 1 || axis == -1);
  }
  if (auto softmax = dyn_cast<linalg::SoftmaxOp>(op))
    return softmax.getInput() == input &&
           static_cast<int64_t>(softmax.getDimension()) == rank - 1 &&
           op->getNumResults() == 1 &&
           op->getResult(0).getType() == input.getType();
  return false;
}

/// The one op that uses `v`, if all of its uses are in that op. An
/// intermediate that anything else reads must stay materialised, so the
/// chain cannot fuse.
Operation *soleUser(Value v) {
  Operation *user = nullptr;
  for (Operation *u : v.getUsers()) {
    if (user && u != user)
      return nullptr;
    user = u;
  }
  return user;
}

//===----------------------------------------------------------------------===//
// The rewrite
//===----------------------------------------------------------------------===//

/// `x` of rank `rank` as [B, H, L, D]: [B, L, D] gains a unit head
/// dimension, [L, D] a unit batch and head.
Value to4D(OpBuilder &b, Location loc, Value x, int64_t rank) {
  if (rank == 4)
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  ArrayRef<int64_t> shape = type.getShape();
  if (rank == 3)
    return tensor::ExpandShapeOp::create(
        b, loc,
        RankedTensorType::get({shape[0], 1, shape[1], shape[2]},
                              type.getElementType()),
        x, ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
  return tensor::ExpandShapeOp::create(
      b, loc,
      RankedTensorType::get({1, 1, shape[0], shape[1]}, type.getElementType()),
      x, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
}

/// The mask as an attn.sdpa mask, broadcastable to [B, H, Lq, Lk]: its
/// dimensions move to the positions of the score dimensions they are read
/// along, and unit dimensions fill the rest. Fails unless the mask is read
/// along an increasing subset of the score dimensions.
FailureOr<Value> sdpaMask(OpBuilder &b, Location loc, const MaskSource &mask,
                          int64_t rank) {
  auto type = cast<RankedTensorType>(mask.tensor.getType());
  if (type.getRank() == 0 || type.getRank() != mask.map.getNumResults())
    return failure();
  // Where each score dimension sits in [B, H, Lq, Lk].
  int64_t offset = 4 - rank;
  auto position = [&](int64_t scoreDim) {
    return rank == 3 && scoreDim == 0 ? 0 : scoreDim + offset;
  };
  SmallVector<int64_t> positions;
  for (AffineExpr e : mask.map.getResults()) {
    auto dim = dyn_cast<AffineDimExpr>(e);
    if (!dim ||
        (!positions.empty() && position(dim.getPosition()) <= positions.back()))
      return failure();
    positions.push_back(position(dim.getPosition()));
  }
  if (type.getRank() == 4)
    return mask.tensor;

  SmallVector<int64_t> shape(4, 1);
  SmallVector<ReassociationIndices> reassociation(positions.size());
  for (auto [i, p] : llvm::enumerate(positions))
    shape[p] = type.getDimSize(i);
  // Each unit dimension joins the group of the mask dimension before it, or
  // the first group when it leads.
  size_t group = 0;
  for (int64_t p = 0; p < 4; ++p) {
    if (group + 1 < positions.size() && p >= positions[group + 1])
      ++group;
    reassociation[group].push_back(p);
  }
  return Value(tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), mask.tensor,
      reassociation));
}

/// Replaces softmax(scale * Q·Kᵀ + mask)·V with attn.sdpa, anchored on the
/// P·V product.
struct FuseAttentionChain : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp root,
                                PatternRewriter &rewriter) const override {
    std::optional<BatchMatmul> pv = matchBatchMatmul(root);
    if (!pv || pv->rhsTransposed || pv->lhs == pv->rhs)
      return rewriter.notifyMatchFailure(root, "not a P·V batch matmul");
    Operation *softmax = pv->lhs.getDefiningOp();
    if (!softmax || soleUser(pv->lhs) != root.getOperation() ||
        softmax->getNumOperands() == 0 ||
        !isLastAxisSoftmax(softmax, softmax->getOperand(0)))
      return rewriter.notifyMatchFailure(
          root, "P is not a last-axis softmax used only here");

    // Walk back from the softmax input through an optional mask, then an
    // optional scale (sdpa scales before it masks), to Q·Kᵀ. Each link must
    // feed only the next one. An add reads like a mask whichever operand is
    // the score, so every reading is tried until one reaches Q·Kᵀ.
    SmallVector<Operation *> chain{softmax};
    std::optional<MaskSource> mask;
    std::optional<double> scale;
    std::optional<BatchMatmul> qk;
    Value scores;
    enum Stage { MaskNext, ScaleNext, ProductNext };
    std::function<bool(Value, Stage)> search = [&](Value value, Stage stage) {
      Operation *producer = value.getDefiningOp();
      if (!producer || soleUser(value) != chain.back())
        return false;
      chain.push_back(producer);
      if ((qk = matchBatchMatmul(producer))) {
        scores = value;
        return true;
      }
      for (Value input : producer->getOperands()) {
        if (input.getType() != value.getType())
          continue;
        if (stage == MaskNext) {
          if (std::optional<MaskSource> m = matchMask(producer, input)) {
            if (search(input, ScaleNext)) {
              mask = m;
              return true;
            }
          }
        }
        if (stage != ProductNext) {
          if (std::optional<double> c = matchScale(producer, input)) {
            if (search(input, ProductNext)) {
              scale = c;
              return true;
            }
          }
        }
      }
      chain.pop_back();
      return false;
    };
    if (!search(softmax->getOperand(0), MaskNext) || qk->rank != pv->rank)
      return rewriter.notifyMatchFailure(root, "the scores are not Q·Kᵀ");
    Operation *product = chain.back();
    chain.pop_back();
    int64_t rank = pv->rank;
    Value query = qk->lhs, key = qk->rhs, value = pv->rhs;
    if (!qk->rhsTransposed) {
      // Kᵀ spelled as a linalg.transpose of K's last two dimensions.
      auto transpose = key.getDefiningOp<linalg::TransposeOp>();
      SmallVector<int64_t> swapLast =
          llvm::to_vector(llvm::seq<int64_t>(0, rank));
      std::swap(swapLast[rank - 2], swapLast[rank - 1]);
      if (!transpose || transpose.getPermutation() != ArrayRef(swapLast) ||
          soleUser(key) != product)
        return rewriter.notifyMatchFailure(root, "Q·K is not Q·Kᵀ");
      chain.push_back(product);
      product = transpose;
      key = transpose.getInput();
    }
    chain.push_back(product);

    // attn.sdpa's own constraints: f32/f16/bf16, static head counts and dims.
    auto queryType = cast<RankedTensorType>(query.getType());
    auto keyType = cast<RankedTensorType>(key.getType());
    auto valueType = cast<RankedTensorType>(value.getType());
    Type elementType = queryType.getElementType();
    if (!isa<Float32Type, Float16Type, BFloat16Type>(elementType) ||
        keyType.getElementType() != elementType ||
        valueType.getElementType() != elementType ||
        cast<ShapedType>(scores.getType()).getElementType() != elementType)
      return rewriter.notifyMatchFailure(root, "unsupported element types");
    SmallVector<int64_t> staticDims{rank - 1};
    if (rank == 4)
      staticDims.push_back(1);
    for (int64_t d : staticDims)
      if (queryType.isDynamicDim(d) || keyType.isDynamicDim(d) ||
          valueType.isDynamicDim(d))
        return rewriter.notifyMatchFailure(root,
                                           "dynamic head count or head dim");

    Location loc = root.getLoc();
    Value sdpaMaskValue;
    if (mask) {
      Type maskElement =
          cast<ShapedType>(mask->tensor.getType()).getElementType();
      if (!maskElement.isInteger(1) && maskElement != elementType)
        return rewriter.notifyMatchFailure(root, "unsupported mask type");
      FailureOr<Value> reshaped = sdpaMask(rewriter, loc, *mask, rank);
      if (failed(reshaped))
        return rewriter.notifyMatchFailure(
            root, "the mask is not read along the score dimensions in order");
      sdpaMaskValue = *reshaped;
    }

    auto resultType = cast<RankedTensorType>(root->getResult(0).getType());
    ArrayRef<int64_t> shape = resultType.getShape();
    SmallVector<int64_t> outputShape =
        rank == 4   ? SmallVector<int64_t>(shape)
        : rank == 3 ? SmallVector<int64_t>{shape[0], 1, shape[1], shape[2]}
                    : SmallVector<int64_t>{1, 1, shape[0], shape[1]};
    Value query4 = to4D(rewriter, loc, query, rank);
    Value key4 = to4D(rewriter, loc, key, rank);
    Value value4 = to4D(rewriter, loc, value, rank);
    // The scale is always explicit: sdpa's default would be 1/sqrt(D).
    auto sdpa = SDPAOp::create(
        rewriter, loc, RankedTensorType::get(outputShape, elementType),
        /*weights=*/Type(), query4, key4, value4, sdpaMaskValue,
        rewriter.getF64FloatAttr(scale.value_or(1.0)),
        /*softcap=*/FloatAttr(), ScoreKind::Dot, /*causal=*/false,
        /*window=*/DenseI64ArrayAttr());
    Value output = sdpa.getOutput();
    if (rank == 3)
      output = tensor::CollapseShapeOp::create(
          rewriter, loc, resultType, output,
          ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
    else if (rank == 2)
      output = tensor::CollapseShapeOp::create(
          rewriter, loc, resultType, output,
          ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
    rewriter.replaceOp(root, output);
    // Each link's only user was the previous one, now gone.
    for (Operation *op : chain)
      rewriter.eraseOp(op);
    return success();
  }
};

struct AttnFusePass : attn::impl::AttnFuseBase<AttnFusePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseAttentionChain>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
