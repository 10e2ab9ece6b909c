//===- AttnOps.cpp - Verifiers and canonicalizations of attn ops ----------===//

#include "dialect/AttnOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <string>

using namespace mlir;
using namespace mlir::attn;

std::optional<double> mlir::attn::toDouble(std::optional<APFloat> value) {
  if (!value)
    return std::nullopt;
  return value->convertToDouble();
}

//===----------------------------------------------------------------------===//
// Verification helpers
//
// Every diagnostic names the operand (by its ODS name) and says what was
// expected, so that a user can fix the IR without reading this file.
//===----------------------------------------------------------------------===//

namespace {

/// Formats a shape as "[2, ?, 4]".
std::string formatShape(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::interleave(
      shape,
      [&](int64_t d) {
        s += ShapedType::isDynamic(d) ? std::string("?") : std::to_string(d);
      },
      [&] { s += ", "; });
  return s + "]";
}

/// Two sizes agree unless both are static and differ.
bool dimsAgree(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Checks that `v` (named `name`) has rank `rank`; `layout` spells the
/// expected dimensions, e.g. "[B, Hq, Lq, D]".
LogicalResult expectRank(Operation *op, StringRef name, Value v, int64_t rank,
                         StringRef layout) {
  int64_t actual = tensorType(v).getRank();
  if (actual == rank)
    return success();
  return op->emitOpError() << name << " must have rank " << rank << " "
                           << layout << ", got rank " << actual;
}

/// Checks that dimension `dim` of `v` is static; `what` names it.
LogicalResult expectStaticDim(Operation *op, StringRef name, Value v,
                              int64_t dim, StringRef what) {
  if (!tensorType(v).isDynamicDim(dim))
    return success();
  return op->emitOpError() << name << " " << what << " must be static";
}

/// Checks that `v` has a static shape (weights are compile-time data).
LogicalResult expectStaticShape(Operation *op, StringRef name, Value v) {
  RankedTensorType type = tensorType(v);
  if (type.hasStaticShape())
    return success();
  return op->emitOpError() << name << " must have a static shape, got "
                           << formatShape(type.getShape());
}

/// Checks that `v`'s element type is `expected`, the element type of the
/// operand named `reference`.
LogicalResult expectElementType(Operation *op, StringRef name, Value v,
                                Type expected, StringRef reference) {
  Type actual = tensorType(v).getElementType();
  if (actual == expected)
    return success();
  return op->emitOpError() << name << " element type " << actual
                           << " does not match " << reference
                           << " element type " << expected;
}

/// Checks a size that must equal another: "<name> has <actual> <what>,
/// expected <expected> (<why>)". Dynamic sizes are not checked.
LogicalResult expectSize(Operation *op, StringRef name, StringRef what,
                         int64_t actual, int64_t expected, const Twine &why) {
  if (dimsAgree(actual, expected))
    return success();
  return op->emitOpError() << name << " has " << actual << " " << what
                           << ", expected " << expected << " (" << why << ")";
}

/// Checks a result's shape against the one the operands imply.
LogicalResult expectShape(Operation *op, StringRef name, Value v,
                          ArrayRef<int64_t> expected, StringRef layout) {
  ArrayRef<int64_t> actual = tensorType(v).getShape();
  if (actual.size() == expected.size() &&
      llvm::all_of(llvm::zip_equal(actual, expected), [](auto pair) {
        return dimsAgree(std::get<0>(pair), std::get<1>(pair));
      }))
    return success();
  return op->emitOpError() << name << " shape " << formatShape(actual)
                           << " does not match the expected " << layout << " = "
                           << formatShape(expected);
}

/// Checks that an optional mask is i1 or `elementType` and broadcasts (numpy
/// rules) to `target`, the shape of the scores it applies to.
LogicalResult verifyMask(Operation *op, StringRef name, Value mask,
                         ArrayRef<int64_t> target, Type elementType,
                         StringRef reference) {
  if (!mask)
    return success();
  RankedTensorType type = tensorType(mask);
  Type actual = type.getElementType();
  if (!actual.isInteger(1) && actual != elementType)
    return op->emitOpError()
           << name << " element type " << actual << " must be i1 or the "
           << reference << " element type " << elementType;
  ArrayRef<int64_t> shape = type.getShape();
  bool broadcastable = shape.size() <= target.size();
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (!broadcastable)
      break;
    int64_t t = target[target.size() - shape.size() + i];
    broadcastable = d == 1 || dimsAgree(d, t);
  }
  if (broadcastable)
    return success();
  return op->emitOpError() << name << " shape " << formatShape(shape)
                           << " is not broadcastable to "
                           << formatShape(target);
}

/// Checks that the attribute `name` (a scale the kernels multiply by in
/// `elementType`) is finite and nonzero in that type, not only in f64:
/// `scale = 1.0e300` on f32 would make every score infinite.
LogicalResult expectRepresentable(Operation *op, StringRef name, double value,
                                  Type elementType) {
  auto floatType = dyn_cast<FloatType>(elementType);
  if (!floatType)
    return success();
  APFloat rounded(value);
  bool losesInfo = false;
  rounded.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
  if (rounded.isFinite() && !rounded.isZero())
    return success();
  return op->emitOpError() << name << " " << value << " is "
                           << (rounded.isZero() ? "zero" : "not finite")
                           << " in " << elementType;
}

/// Checks the shared attention attributes; scale and softcap must also be
/// representable in `elementType`, the type scores are computed in.
LogicalResult verifyAttentionAttrs(Operation *op,
                                   std::optional<APFloat> scaleAttr,
                                   std::optional<APFloat> softcapAttr,
                                   std::optional<ArrayRef<int64_t>> window,
                                   Type elementType) {
  std::optional<double> scale = toDouble(scaleAttr);
  std::optional<double> softcap = toDouble(softcapAttr);
  if (scale && !(std::isfinite(*scale) && *scale > 0))
    return op->emitOpError()
           << "scale must be positive and finite, got " << *scale;
  if (softcap && !(std::isfinite(*softcap) && *softcap > 0))
    return op->emitOpError()
           << "softcap must be positive and finite, got " << *softcap;
  if (scale && failed(expectRepresentable(op, "scale", *scale, elementType)))
    return failure();
  if (softcap &&
      failed(expectRepresentable(op, "softcap", *softcap, elementType)))
    return failure();
  if (window) {
    if (window->size() != 2)
      return op->emitOpError() << "window must have 2 elements [left, right], "
                                  "got "
                               << window->size();
    if ((*window)[0] < -1 || (*window)[1] < -1)
      return op->emitOpError()
             << "window bounds must be -1 (unbounded) or non-negative, got "
             << formatShape(*window);
  }
  return success();
}

/// Checks num_heads / num_kv_heads.
LogicalResult verifyHeadCounts(Operation *op, IntegerAttr numHeadsAttr,
                               IntegerAttr numKvHeadsAttr) {
  int64_t numHeads = numHeadsAttr.getInt();
  if (numHeads <= 0)
    return op->emitOpError() << "num_heads must be positive, got " << numHeads;
  if (!numKvHeadsAttr)
    return success();
  int64_t numKvHeads = numKvHeadsAttr.getInt();
  if (numKvHeads <= 0)
    return op->emitOpError()
           << "num_kv_heads must be positive, got " << numKvHeads;
  if (numHeads % numKvHeads != 0)
    return op->emitOpError() << "num_kv_heads " << numKvHeads
                             << " does not divide num_heads " << numHeads;
  return success();
}

/// The four projections of a multi-head attention, as they appear in one op,
/// with the prefix of their operand names ("" or "cross_") and the names of
/// the operands that the query, key and value projections read.
struct Projections {
  Value qWeight, qBias, kWeight, kBias, vWeight, vBias, oWeight, oBias;
  std::string prefix;
  StringRef querySource, keySource, valueSource;
};

/// What the projections imply.
struct ProjectionDims {
  int64_t headDim, valueHeadDim, outDim;
};

/// Checks one weight/bias pair of a linear map: weight [rows, cols] static,
/// bias [rows], both of `elementType`. `inputDim` is what cols must be
/// (`inputWhy` says where it comes from).
LogicalResult verifyLinearParams(Operation *op, const std::string &weightName,
                                 Value weight, const std::string &biasName,
                                 Value bias, int64_t inputDim,
                                 const Twine &inputWhy, Type elementType,
                                 StringRef reference) {
  if (failed(expectRank(op, weightName, weight, 2, "[out, in]")) ||
      failed(expectStaticShape(op, weightName, weight)) ||
      failed(expectElementType(op, weightName, weight, elementType, reference)))
    return failure();
  ArrayRef<int64_t> w = tensorType(weight).getShape();
  if (failed(expectSize(op, weightName, "columns", w[1], inputDim, inputWhy)))
    return failure();
  if (!bias)
    return success();
  if (failed(expectRank(op, biasName, bias, 1, "[out]")) ||
      failed(expectElementType(op, biasName, bias, elementType, reference)))
    return failure();
  return expectSize(op, biasName, "elements", tensorType(bias).getDimSize(0),
                    w[0], "the rows of " + weightName);
}

/// Checks that a projection's rows split evenly into `heads` heads.
LogicalResult expectHeadMultiple(Operation *op, const std::string &name,
                                 Value weight, int64_t heads,
                                 StringRef headsName) {
  int64_t rows = tensorType(weight).getDimSize(0);
  if (rows % heads == 0)
    return success();
  return op->emitOpError() << name << " has " << rows
                           << " rows, not a multiple of " << headsName << " "
                           << heads;
}

/// Checks the projections of a multi-head attention whose query, key and
/// value have embedding sizes eq, ek, ev; returns D, Dv and the output size.
FailureOr<ProjectionDims>
verifyProjections(Operation *op, const Projections &p, int64_t numHeads,
                  int64_t numKvHeads, int64_t eq, int64_t ek, int64_t ev,
                  Type elementType, StringRef reference) {
  auto n = [&](StringRef base) { return p.prefix + base.str(); };
  if (failed(verifyLinearParams(
          op, n("q_weight"), p.qWeight, n("q_bias"), p.qBias, eq,
          "the last dimension of " + p.querySource, elementType, reference)) ||
      failed(expectHeadMultiple(op, n("q_weight"), p.qWeight, numHeads,
                                "num_heads")))
    return failure();
  int64_t headDim = tensorType(p.qWeight).getDimSize(0) / numHeads;

  if (failed(verifyLinearParams(
          op, n("k_weight"), p.kWeight, n("k_bias"), p.kBias, ek,
          "the last dimension of " + p.keySource, elementType, reference)) ||
      failed(expectSize(op, n("k_weight"), "rows",
                        tensorType(p.kWeight).getDimSize(0),
                        numKvHeads * headDim,
                        "num_kv_heads " + Twine(numKvHeads) + " * head dim " +
                            Twine(headDim))))
    return failure();

  if (failed(verifyLinearParams(
          op, n("v_weight"), p.vWeight, n("v_bias"), p.vBias, ev,
          "the last dimension of " + p.valueSource, elementType, reference)) ||
      failed(expectHeadMultiple(op, n("v_weight"), p.vWeight, numKvHeads,
                                "num_kv_heads")))
    return failure();
  int64_t valueHeadDim = tensorType(p.vWeight).getDimSize(0) / numKvHeads;

  if (failed(verifyLinearParams(op, n("o_weight"), p.oWeight, n("o_bias"),
                                p.oBias, numHeads * valueHeadDim,
                                "num_heads " + Twine(numHeads) +
                                    " * value head dim " + Twine(valueHeadDim),
                                elementType, reference)))
    return failure();
  return ProjectionDims{headDim, valueHeadDim,
                        tensorType(p.oWeight).getDimSize(0)};
}

/// Checks LayerNorm parameters gamma, beta: [dim].
LogicalResult verifyNormParams(Operation *op, StringRef gammaName, Value gamma,
                               StringRef betaName, Value beta, int64_t dim,
                               StringRef dimWhy, Type elementType,
                               StringRef reference) {
  for (auto [name, v] : {std::pair{gammaName, gamma}, {betaName, beta}}) {
    if (failed(expectRank(op, name, v, 1, "[N]")) ||
        failed(expectElementType(op, name, v, elementType, reference)) ||
        failed(expectSize(op, name, "elements", tensorType(v).getDimSize(0),
                          dim, dimWhy)))
      return failure();
  }
  return success();
}

/// Checks FFN weights w1 [F, E], b1 [F], w2 [E, F], b2 [E] for an input of
/// embedding size `dim`; `prefix` is "" or "ffn_".
LogicalResult verifyFfnParams(Operation *op, StringRef prefix, Value w1,
                              Value b1, Value w2, Value b2, int64_t dim,
                              Type elementType, StringRef reference) {
  std::string p = prefix.str();
  if (failed(verifyLinearParams(op, p + "w1", w1, p + "b1", b1, dim,
                                "the last dimension of " + reference,
                                elementType, reference)) ||
      failed(verifyLinearParams(
          op, p + "w2", w2, p + "b2", b2, tensorType(w1).getDimSize(0),
          "the rows of " + p + "w1", elementType, reference)))
    return failure();
  return expectSize(op, p + "w2", "rows", tensorType(w2).getDimSize(0), dim,
                    "the last dimension of " + reference);
}

/// Checks what key and value must share with the query in every attention:
/// the element type and the batch size (dim 0), and that value has as many
/// rows as key along `lengthDim`.
LogicalResult verifyKeyValueAgree(Operation *op, Value query, Value key,
                                  Value value, int64_t lengthDim) {
  Type elementType = tensorType(query).getElementType();
  if (failed(expectElementType(op, "key", key, elementType, "query")) ||
      failed(expectElementType(op, "value", value, elementType, "query")))
    return failure();
  ArrayRef<int64_t> q = tensorType(query).getShape();
  ArrayRef<int64_t> k = tensorType(key).getShape();
  ArrayRef<int64_t> v = tensorType(value).getShape();
  if (!dimsAgree(k[0], q[0]))
    return op->emitOpError() << "key batch size " << k[0]
                             << " does not match query batch size " << q[0];
  if (!dimsAgree(v[0], q[0]))
    return op->emitOpError() << "value batch size " << v[0]
                             << " does not match query batch size " << q[0];
  if (!dimsAgree(v[lengthDim], k[lengthDim]))
    return op->emitOpError() << "value length " << v[lengthDim]
                             << " does not match key length " << k[lengthDim];
  return success();
}

/// Sizes of batch-first query [B, Lq, Dq], key [B, Lk, Dk] and value
/// [B, Lk, Dv] operands; batch and keyLen prefer whichever operand is static.
struct SequenceDims {
  int64_t batch, queryLen, keyLen, queryDim, keyDim, valueDim;
};

/// Checks batch-first query/key/value operands: ranks, element types, batch
/// sizes and lengths. `dimName` is the letter of the feature size in the
/// layouts the diagnostics print ("D" for [B, Lq, Dq], "E" for [B, Lq, Eq]).
FailureOr<SequenceDims> verifySequenceOperands(Operation *op, Value query,
                                               Value key, Value value,
                                               StringRef dimName) {
  if (failed(expectRank(op, "query", query, 3,
                        ("[B, Lq, " + dimName + "q]").str())) ||
      failed(
          expectRank(op, "key", key, 3, ("[B, Lk, " + dimName + "k]").str())) ||
      failed(expectRank(op, "value", value, 3,
                        ("[B, Lk, " + dimName + "v]").str())))
    return failure();
  if (failed(verifyKeyValueAgree(op, query, key, value, /*lengthDim=*/1)))
    return failure();
  ArrayRef<int64_t> q = tensorType(query).getShape();
  ArrayRef<int64_t> k = tensorType(key).getShape();
  ArrayRef<int64_t> v = tensorType(value).getShape();
  return SequenceDims{ShapedType::isDynamic(q[0]) ? k[0] : q[0],
                      q[1],
                      ShapedType::isDynamic(k[1]) ? v[1] : k[1],
                      q[2],
                      k[2],
                      v[2]};
}

/// Shapes of an [B, H, L, D] attention, read from query/key/value.
struct AttentionDims {
  int64_t batch, queryHeads, kvHeads, queryLen, keyLen, headDim, valueHeadDim;
};

/// Checks the query/key/value/mask of sdpa-shaped ops and returns the dims.
FailureOr<AttentionDims> verifyAttentionOperands(Operation *op, Value query,
                                                 Value key, Value value,
                                                 Value mask) {
  if (failed(expectRank(op, "query", query, 4, "[B, Hq, Lq, D]")) ||
      failed(expectRank(op, "key", key, 4, "[B, Hkv, Lk, D]")) ||
      failed(expectRank(op, "value", value, 4, "[B, Hkv, Lk, Dv]")))
    return failure();
  for (auto [name, v] :
       {std::pair{"query", query}, {"key", key}, {"value", value}}) {
    if (failed(expectStaticDim(op, name, v, 1, "head count")) ||
        failed(expectStaticDim(op, name, v, 3, "head dim")))
      return failure();
  }
  if (failed(verifyKeyValueAgree(op, query, key, value, /*lengthDim=*/2)))
    return failure();
  Type elementType = tensorType(query).getElementType();
  ArrayRef<int64_t> q = tensorType(query).getShape();
  ArrayRef<int64_t> k = tensorType(key).getShape();
  ArrayRef<int64_t> v = tensorType(value).getShape();
  // A head count of 0 leaves nothing to attend with (and would divide by
  // zero below).
  for (auto [name, heads] : {std::pair{"query", q[1]}, {"key", k[1]}})
    if (heads < 1)
      return op->emitOpError()
             << name << " head count must be at least 1, got " << heads;
  if (q[1] % k[1] != 0)
    return op->emitOpError() << "key head count " << k[1]
                             << " does not divide query head count " << q[1];
  if (v[1] != k[1])
    return op->emitOpError() << "value head count " << v[1]
                             << " does not match key head count " << k[1];
  if (k[3] != q[3])
    return op->emitOpError() << "key head dim " << k[3]
                             << " does not match query head dim " << q[3];

  AttentionDims dims{
      ShapedType::isDynamic(q[0]) ? k[0] : q[0], q[1], k[1], q[2],
      ShapedType::isDynamic(k[2]) ? v[2] : k[2], q[3], v[3]};
  if (failed(
          verifyMask(op, "mask", mask,
                     {dims.batch, dims.queryHeads, dims.queryLen, dims.keyLen},
                     elementType, "query")))
    return failure();
  return dims;
}

/// Checks the output (and optional weights) of an sdpa-shaped op.
LogicalResult verifyAttentionResults(Operation *op, const AttentionDims &d,
                                     Type elementType, Value output,
                                     Value weights) {
  if (failed(expectElementType(op, "output", output, elementType, "query")) ||
      failed(expectShape(op, "output", output,
                         {d.batch, d.queryHeads, d.queryLen, d.valueHeadDim},
                         "[B, Hq, Lq, Dv]")))
    return failure();
  if (!weights)
    return success();
  if (failed(expectElementType(op, "weights", weights, elementType, "query")))
    return failure();
  return expectShape(op, "weights", weights,
                     {d.batch, d.queryHeads, d.queryLen, d.keyLen},
                     "[B, Hq, Lq, Lk]");
}

/// Verifies sdpa and hard, which share operands and attributes.
template <typename OpTy>
LogicalResult verifyScoredAttention(OpTy op, Value weights) {
  FailureOr<AttentionDims> dims = verifyAttentionOperands(
      op, op.getQuery(), op.getKey(), op.getValue(), op.getMask());
  if (failed(dims) ||
      failed(verifyAttentionAttrs(
          op, op.getScale(), op.getSoftcap(), op.getWindow(),
          tensorType(op.getQuery()).getElementType())))
    return failure();
  if (tensorType(op.getQuery()).getDimSize(3) == 0 && !op.getScale())
    return op.emitOpError("a head dim of 0 needs an explicit scale (the "
                          "default 1/sqrt(D) is infinite)");
  return verifyAttentionResults(op, *dims,
                                tensorType(op.getQuery()).getElementType(),
                                op.getOutput(), weights);
}

//===----------------------------------------------------------------------===//
// Canonicalization helpers
//===----------------------------------------------------------------------===//

/// Removes a mask that hides nothing: a constant splat of true (i1) or of
/// zero (float). Attribute-driven and unmasked code paths are faster.
LogicalResult dropTrivialMask(PatternRewriter &rewriter, Operation *op,
                              MutableOperandRange mask) {
  if (mask.empty())
    return failure();
  DenseElementsAttr values;
  if (!matchPattern(mask[0].get(), m_Constant(&values)) || !values.isSplat())
    return failure();
  bool hidesNothing = values.getElementType().isInteger(1)
                          ? values.getSplatValue<bool>()
                          : values.getSplatValue<APFloat>().isZero();
  if (!hidesNothing)
    return failure();
  rewriter.modifyOpInPlace(op, [&] { mask.clear(); });
  return success();
}

/// Replaces an op whose optional attention-weights result (result 1) is
/// unused by one that does not compute it: the weights need a second pass.
template <typename OpTy>
LogicalResult dropUnusedWeights(PatternRewriter &rewriter, OpTy op) {
  if (op->getNumResults() != 2 || !op->getResult(1).use_empty())
    return failure();
  auto replacement =
      OpTy::create(rewriter, op.getLoc(), TypeRange{op->getResult(0).getType()},
                   op->getOperands(), op->getAttrs());
  rewriter.replaceAllUsesWith(op->getResult(0), replacement->getResult(0));
  rewriter.eraseOp(op);
  return success();
}

/// Puts visibility attributes in one canonical form, so that lowering sees
/// causal attention as `causal` however it was spelled:
/// - a window whose right bound is 0 is causal: set `causal`;
/// - under `causal` the right bound is irrelevant: make it -1;
/// - a window of [-1, -1] hides nothing: drop it.
template <typename OpTy>
LogicalResult normalizeVisibility(PatternRewriter &rewriter, OpTy op) {
  std::optional<ArrayRef<int64_t>> window = op.getWindow();
  if (!window || window->size() != 2)
    return failure();
  constexpr bool alwaysCausal = std::is_same_v<OpTy, DecoderLayerOp>;
  bool causal = alwaysCausal;
  if constexpr (!alwaysCausal)
    causal = op.getCausal();
  int64_t left = (*window)[0], right = (*window)[1];
  bool newCausal = causal || right == 0;
  int64_t newRight = newCausal ? -1 : right;
  bool dropWindow = left == -1 && newRight == -1;
  if (newCausal == causal && newRight == right && !dropWindow)
    return failure();
  rewriter.modifyOpInPlace(op, [&] {
    if constexpr (!alwaysCausal)
      op.setCausal(newCausal);
    if (dropWindow)
      op.removeWindowAttr();
    else
      op.setWindow(ArrayRef<int64_t>{left, newRight});
  });
  return success();
}

/// The attention settings that every implementation of AttentionOpInterface
/// spells alike: scale, softcap, score and window. Causality and head counts
/// are the caller's, since the ops define them differently.
template <typename OpTy> AttentionSettings scoreSettings(OpTy op) {
  AttentionSettings settings;
  settings.scale = toDouble(op.getScale());
  settings.softcap = toDouble(op.getSoftcap());
  settings.score = op.getScore();
  // Other sizes fail verification; even unverified IR is not read past its
  // end.
  if (std::optional<ArrayRef<int64_t>> window = op.getWindow();
      window && window->size() == 2)
    settings.window = std::array<int64_t, 2>{(*window)[0], (*window)[1]};
  return settings;
}

/// The settings of sdpa and hard, whose head counts are the head dims of
/// their query and key types (static in verified IR).
template <typename OpTy> AttentionSettings scoredAttentionSettings(OpTy op) {
  AttentionSettings settings = scoreSettings(op);
  settings.causal = op.getCausal();
  settings.numHeads = tensorType(op.getQuery()).getDimSize(1);
  settings.numKvHeads = tensorType(op.getKey()).getDimSize(1);
  return settings;
}

/// The settings of multihead and the layers, whose head counts are
/// attributes; `causal` is the op's own or, for a decoder, always true.
template <typename OpTy>
AttentionSettings projectedAttentionSettings(OpTy op, bool causal) {
  AttentionSettings settings = scoreSettings(op);
  settings.causal = causal;
  settings.numHeads = op.getNumHeadsAttr().getInt();
  settings.numKvHeads = op.getEffectiveNumKvHeads();
  return settings;
}

/// Makes a negative softmax axis non-negative.
template <typename OpTy>
LogicalResult normalizeAxis(PatternRewriter &rewriter, OpTy op) {
  int64_t axis = op.getAxisAttr().getInt();
  if (axis >= 0)
    return failure();
  rewriter.modifyOpInPlace(op, [&] {
    op.setAxisAttr(
        rewriter.getI64IntegerAttr(axis + tensorType(op.getInput()).getRank()));
  });
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// SDPAOp
//===----------------------------------------------------------------------===//

void SDPAOp::build(OpBuilder &builder, OperationState &state, Value query,
                   Value key, Value value, Value mask, bool returnWeights) {
  ArrayRef<int64_t> q = tensorType(query).getShape();
  ArrayRef<int64_t> k = tensorType(key).getShape();
  ArrayRef<int64_t> v = tensorType(value).getShape();
  Type elementType = tensorType(query).getElementType();
  auto output = RankedTensorType::get({q[0], q[1], q[2], v[3]}, elementType);
  Type weights;
  if (returnWeights)
    weights = RankedTensorType::get({q[0], q[1], q[2], k[2]}, elementType);
  build(builder, state, output, weights, query, key, value, mask,
        /*scale=*/nullptr, /*softcap=*/nullptr, ScoreKind::Dot,
        /*causal=*/false, /*window=*/nullptr);
}

AttentionSettings SDPAOp::getAttentionSettings() {
  return scoredAttentionSettings(*this);
}

double SDPAOp::getEffectiveScale() {
  return getAttentionSettings().effectiveScale(
      tensorType(getQuery()).getDimSize(3));
}

LogicalResult SDPAOp::verify() {
  return verifyScoredAttention(*this, getWeights());
}

LogicalResult SDPAOp::canonicalize(SDPAOp op, PatternRewriter &rewriter) {
  if (succeeded(dropUnusedWeights(rewriter, op)))
    return success();
  return success(
      succeeded(dropTrivialMask(rewriter, op, op.getMaskMutable())) ||
      succeeded(normalizeVisibility(rewriter, op)));
}

//===----------------------------------------------------------------------===//
// HardOp
//===----------------------------------------------------------------------===//

AttentionSettings HardOp::getAttentionSettings() {
  return scoredAttentionSettings(*this);
}

double HardOp::getEffectiveScale() {
  return getAttentionSettings().effectiveScale(
      tensorType(getQuery()).getDimSize(3));
}

LogicalResult HardOp::verify() { return verifyScoredAttention(*this, {}); }

LogicalResult HardOp::canonicalize(HardOp op, PatternRewriter &rewriter) {
  return success(
      succeeded(dropTrivialMask(rewriter, op, op.getMaskMutable())) ||
      succeeded(normalizeVisibility(rewriter, op)));
}

//===----------------------------------------------------------------------===//
// AdditiveOp
//===----------------------------------------------------------------------===//

LogicalResult AdditiveOp::verify() {
  Operation *op = *this;
  FailureOr<SequenceDims> seq =
      verifySequenceOperands(op, getQuery(), getKey(), getValue(), "D");
  if (failed(seq))
    return failure();
  Type elementType = tensorType(getQuery()).getElementType();

  // The attention dim A is defined by energy [A].
  if (failed(expectRank(op, "energy", getEnergy(), 1, "[A]")) ||
      failed(expectStaticShape(op, "energy", getEnergy())) ||
      failed(
          expectElementType(op, "energy", getEnergy(), elementType, "query")))
    return failure();
  int64_t attnDim = tensorType(getEnergy()).getDimSize(0);
  for (auto [name, w, in, why] :
       {std::tuple{"query_weight", getQueryWeight(), seq->queryDim,
                   "the last dimension of query"},
        {"key_weight", getKeyWeight(), seq->keyDim,
         "the last dimension of key"}}) {
    if (failed(verifyLinearParams(op, name, w, "", Value(), in, why,
                                  elementType, "query")) ||
        failed(expectSize(op, name, "rows", tensorType(w).getDimSize(0),
                          attnDim, "the size of energy")))
      return failure();
  }
  if (Value bias = getBias()) {
    if (failed(expectRank(op, "bias", bias, 1, "[A]")) ||
        failed(expectElementType(op, "bias", bias, elementType, "query")) ||
        failed(expectSize(op, "bias", "elements",
                          tensorType(bias).getDimSize(0), attnDim,
                          "the size of energy")))
      return failure();
  }

  int64_t batch = seq->batch, queryLen = seq->queryLen, keyLen = seq->keyLen;
  if (failed(verifyMask(op, "mask", getMask(), {batch, queryLen, keyLen},
                        elementType, "query")) ||
      failed(
          expectElementType(op, "output", getOutput(), elementType, "query")) ||
      failed(expectShape(op, "output", getOutput(),
                         {batch, queryLen, seq->valueDim}, "[B, Lq, Dv]")))
    return failure();
  if (!getWeights())
    return success();
  if (failed(
          expectElementType(op, "weights", getWeights(), elementType, "query")))
    return failure();
  return expectShape(op, "weights", getWeights(), {batch, queryLen, keyLen},
                     "[B, Lq, Lk]");
}

LogicalResult AdditiveOp::canonicalize(AdditiveOp op,
                                       PatternRewriter &rewriter) {
  if (succeeded(dropUnusedWeights(rewriter, op)))
    return success();
  return dropTrivialMask(rewriter, op, op.getMaskMutable());
}

//===----------------------------------------------------------------------===//
// SoftmaxOp, LogSoftmaxOp
//===----------------------------------------------------------------------===//

/// Checks that a softmax axis is within [-rank, rank).
static LogicalResult verifyAxis(Operation *op, Value input, IntegerAttr attr) {
  int64_t rank = tensorType(input).getRank();
  int64_t axis = attr.getInt();
  if (axis >= -rank && axis < rank)
    return success();
  return op->emitOpError() << "axis " << axis << " is out of range [" << -rank
                           << ", " << rank << ") for an input of rank " << rank;
}

LogicalResult SoftmaxOp::verify() {
  return verifyAxis(*this, getInput(), getAxisAttr());
}

LogicalResult SoftmaxOp::canonicalize(SoftmaxOp op, PatternRewriter &rewriter) {
  return normalizeAxis(rewriter, op);
}

LogicalResult LogSoftmaxOp::verify() {
  return verifyAxis(*this, getInput(), getAxisAttr());
}

LogicalResult LogSoftmaxOp::canonicalize(LogSoftmaxOp op,
                                         PatternRewriter &rewriter) {
  return normalizeAxis(rewriter, op);
}

//===----------------------------------------------------------------------===//
// MultiheadOp
//===----------------------------------------------------------------------===//

/// Hkv: `num_kv_heads`, or `num_heads` when it is unset.
static int64_t effectiveKvHeads(IntegerAttr numHeads, IntegerAttr numKvHeads) {
  return (numKvHeads ? numKvHeads : numHeads).getInt();
}

int64_t MultiheadOp::getEffectiveNumKvHeads() {
  return effectiveKvHeads(getNumHeadsAttr(), getNumKvHeadsAttr());
}

AttentionSettings MultiheadOp::getAttentionSettings() {
  return projectedAttentionSettings(*this, getCausal());
}

LogicalResult MultiheadOp::verify() {
  Operation *op = *this;
  FailureOr<SequenceDims> seq =
      verifySequenceOperands(op, getQuery(), getKey(), getValue(), "E");
  if (failed(seq) ||
      failed(verifyHeadCounts(op, getNumHeadsAttr(), getNumKvHeadsAttr())) ||
      failed(verifyAttentionAttrs(op, getScale(), getSoftcap(), getWindow(),
                                  tensorType(getQuery()).getElementType())))
    return failure();
  Type elementType = tensorType(getQuery()).getElementType();

  int64_t numHeads = getNumHeadsAttr().getInt();
  Projections projections{getQWeight(), getQBias(), getKWeight(), getKBias(),
                          getVWeight(), getVBias(), getOWeight(), getOBias(),
                          "",           "query",    "key",        "value"};
  FailureOr<ProjectionDims> dims = verifyProjections(
      op, projections, numHeads, getEffectiveNumKvHeads(), seq->queryDim,
      seq->keyDim, seq->valueDim, elementType, "query");
  if (failed(dims))
    return failure();

  int64_t batch = seq->batch, queryLen = seq->queryLen, keyLen = seq->keyLen;
  if (failed(verifyMask(op, "mask", getMask(),
                        {batch, numHeads, queryLen, keyLen}, elementType,
                        "query")) ||
      failed(
          expectElementType(op, "output", getOutput(), elementType, "query")) ||
      failed(expectShape(op, "output", getOutput(),
                         {batch, queryLen, dims->outDim}, "[B, Lq, Eo]")))
    return failure();
  if (!getWeights())
    return success();
  if (failed(
          expectElementType(op, "weights", getWeights(), elementType, "query")))
    return failure();
  return expectShape(op, "weights", getWeights(),
                     {batch, numHeads, queryLen, keyLen}, "[B, Hq, Lq, Lk]");
}

LogicalResult MultiheadOp::canonicalize(MultiheadOp op,
                                        PatternRewriter &rewriter) {
  if (succeeded(dropUnusedWeights(rewriter, op)))
    return success();
  return success(
      succeeded(dropTrivialMask(rewriter, op, op.getMaskMutable())) ||
      succeeded(normalizeVisibility(rewriter, op)));
}

//===----------------------------------------------------------------------===//
// LinearOp, LayerNormOp, FFNOp
//===----------------------------------------------------------------------===//

/// Checks that `output` has `input`'s shape with the last dimension replaced
/// by `lastDim`, and `input`'s element type.
static LogicalResult verifyLastDimMap(Operation *op, Value input, Value output,
                                      int64_t lastDim) {
  SmallVector<int64_t> expected(tensorType(input).getShape());
  expected.back() = lastDim;
  if (failed(expectElementType(op, "output", output,
                               tensorType(input).getElementType(), "input")))
    return failure();
  return expectShape(op, "output", output, expected, "[..., N]");
}

/// Checks that an input to a last-dimension op has rank >= 1.
static LogicalResult expectNonScalar(Operation *op, Value input) {
  if (tensorType(input).getRank() >= 1)
    return success();
  return op->emitOpError() << "input must have rank at least 1, got rank 0";
}

LogicalResult LinearOp::verify() {
  Operation *op = *this;
  if (failed(expectNonScalar(op, getInput())))
    return failure();
  RankedTensorType input = tensorType(getInput());
  if (failed(verifyLinearParams(
          op, "weight", getWeight(), "bias", getBias(), input.getShape().back(),
          "the last dimension of input", input.getElementType(), "input")))
    return failure();
  if (failed(verifyLastDimMap(op, getInput(), getOutput(),
                              tensorType(getWeight()).getDimSize(0))))
    return failure();
  if (Value residual = getResidual())
    if (failed(verifyCompatibleShape(residual.getType(), getType())) ||
        tensorType(residual).getElementType() != getType().getElementType())
      return emitOpError() << "residual has type " << residual.getType()
                           << ", which does not match the result type "
                           << getType();
  return success();
}

LogicalResult LayerNormOp::verify() {
  Operation *op = *this;
  if (failed(expectNonScalar(op, getInput())))
    return failure();
  RankedTensorType input = tensorType(getInput());
  double epsilon = getEpsilon().convertToDouble();
  if (!(std::isfinite(epsilon) && epsilon > 0))
    return emitOpError() << "epsilon must be positive and finite, got "
                         << epsilon;
  if (failed(verifyNormParams(
          op, "gamma", getGamma(), "beta", getBeta(), input.getShape().back(),
          "the last dimension of input", input.getElementType(), "input")))
    return failure();
  return verifyLastDimMap(op, getInput(), getOutput(), input.getShape().back());
}

LogicalResult FFNOp::verify() {
  Operation *op = *this;
  if (failed(expectNonScalar(op, getInput())))
    return failure();
  RankedTensorType input = tensorType(getInput());
  if (failed(verifyFfnParams(op, "", getW1(), getB1(), getW2(), getB2(),
                             input.getShape().back(), input.getElementType(),
                             "input")))
    return failure();
  return verifyLastDimMap(op, getInput(), getOutput(), input.getShape().back());
}

//===----------------------------------------------------------------------===//
// EmbeddingOp, PositionalEncodingOp
//===----------------------------------------------------------------------===//

LogicalResult EmbeddingOp::verify() {
  Operation *op = *this;
  if (failed(expectRank(op, "table", getTable(), 2, "[V, E]")))
    return failure();
  double scale = getScale().convertToDouble();
  if (!std::isfinite(scale))
    return emitOpError() << "scale must be finite, got " << scale;
  RankedTensorType table = tensorType(getTable());
  if (scale != 0 &&
      failed(expectRepresentable(op, "scale", scale, table.getElementType())))
    return failure();
  SmallVector<int64_t> expected(tensorType(getIndices()).getShape());
  expected.push_back(table.getDimSize(1));
  if (failed(expectElementType(op, "output", getOutput(),
                               table.getElementType(), "table")))
    return failure();
  return expectShape(op, "output", getOutput(), expected, "[..., E]");
}

LogicalResult PositionalEncodingOp::verify() {
  Operation *op = *this;
  if (failed(expectRank(op, "input", getInput(), 3, "[B, L, E]")))
    return failure();
  RankedTensorType input = tensorType(getInput());
  if (getKind() == PositionalKind::Sinusoidal) {
    if (getTable())
      return emitOpError() << "sinusoidal encoding takes no table";
  } else {
    Value table = getTable();
    if (!table)
      return emitOpError() << "learned encoding needs a table [max_len, E]";
    if (failed(expectRank(op, "table", table, 2, "[max_len, E]")) ||
        failed(expectElementType(op, "table", table, input.getElementType(),
                                 "input")) ||
        failed(expectSize(op, "table", "columns",
                          tensorType(table).getDimSize(1), input.getDimSize(2),
                          "the last dimension of input")))
      return failure();
    int64_t maxLen = tensorType(table).getDimSize(0);
    int64_t len = input.getDimSize(1);
    if (!ShapedType::isDynamic(maxLen) && !ShapedType::isDynamic(len) &&
        len > maxLen)
      return emitOpError() << "input length " << len << " exceeds the table's "
                           << maxLen << " positions";
  }
  if (failed(expectElementType(op, "output", getOutput(),
                               input.getElementType(), "input")))
    return failure();
  return expectShape(op, "output", getOutput(), input.getShape(),
                     "the input shape");
}

//===----------------------------------------------------------------------===//
// EncoderLayerOp, DecoderLayerOp
//===----------------------------------------------------------------------===//

/// Checks what encoder and decoder layers share: the input [B, L, E], head
/// counts, attributes and the self-attention projections, norm1 and the FFN.
/// Returns the input type.
template <typename OpTy>
static FailureOr<RankedTensorType> verifyLayerCommon(OpTy op) {
  Operation *raw = op;
  if (failed(expectRank(raw, "input", op.getInput(), 3, "[B, L, E]")) ||
      failed(
          expectStaticDim(raw, "input", op.getInput(), 2, "embedding size")) ||
      failed(verifyHeadCounts(raw, op.getNumHeadsAttr(),
                              op.getNumKvHeadsAttr())) ||
      failed(verifyAttentionAttrs(
          raw, op.getScale(), op.getSoftcap(), op.getWindow(),
          tensorType(op.getInput()).getElementType())))
    return failure();
  double epsilon = op.getEpsilon().convertToDouble();
  if (!(std::isfinite(epsilon) && epsilon > 0))
    return op.emitOpError()
           << "epsilon must be positive and finite, got " << epsilon;
  RankedTensorType input = tensorType(op.getInput());
  Type elementType = input.getElementType();
  int64_t dim = input.getDimSize(2);
  Projections self{op.getQWeight(), op.getQBias(),   op.getKWeight(),
                   op.getKBias(),   op.getVWeight(), op.getVBias(),
                   op.getOWeight(), op.getOBias(),   "",
                   "input",         "input",         "input"};
  FailureOr<ProjectionDims> dims = verifyProjections(
      raw, self, op.getNumHeadsAttr().getInt(), op.getEffectiveNumKvHeads(),
      dim, dim, dim, elementType, "input");
  if (failed(dims) ||
      failed(expectSize(raw, "o_weight", "rows", dims->outDim, dim,
                        "the last dimension of input, for the residual")) ||
      failed(verifyNormParams(raw, "norm1_gamma", op.getNorm1Gamma(),
                              "norm1_beta", op.getNorm1Beta(), dim,
                              "the last dimension of input", elementType,
                              "input")) ||
      failed(verifyFfnParams(raw, "ffn_", op.getFfnW1(), op.getFfnB1(),
                             op.getFfnW2(), op.getFfnB2(), dim, elementType,
                             "input")) ||
      failed(verifyNormParams(raw, "norm2_gamma", op.getNorm2Gamma(),
                              "norm2_beta", op.getNorm2Beta(), dim,
                              "the last dimension of input", elementType,
                              "input")) ||
      failed(expectElementType(raw, "output", op.getOutput(), elementType,
                               "input")) ||
      failed(expectShape(raw, "output", op.getOutput(), input.getShape(),
                         "the input shape")))
    return failure();
  return input;
}

int64_t EncoderLayerOp::getEffectiveNumKvHeads() {
  return effectiveKvHeads(getNumHeadsAttr(), getNumKvHeadsAttr());
}

AttentionSettings EncoderLayerOp::getAttentionSettings() {
  return projectedAttentionSettings(*this, getCausal());
}

LogicalResult EncoderLayerOp::verify() {
  FailureOr<RankedTensorType> input = verifyLayerCommon(*this);
  if (failed(input))
    return failure();
  int64_t batch = input->getDimSize(0), len = input->getDimSize(1);
  return verifyMask(*this, "mask", getMask(),
                    {batch, getNumHeadsAttr().getInt(), len, len},
                    input->getElementType(), "input");
}

LogicalResult EncoderLayerOp::canonicalize(EncoderLayerOp op,
                                           PatternRewriter &rewriter) {
  return success(
      succeeded(dropTrivialMask(rewriter, op, op.getMaskMutable())) ||
      succeeded(normalizeVisibility(rewriter, op)));
}

int64_t DecoderLayerOp::getEffectiveNumKvHeads() {
  return effectiveKvHeads(getNumHeadsAttr(), getNumKvHeadsAttr());
}

/// A decoder's self-attention is causal by definition: it has no attribute.
AttentionSettings DecoderLayerOp::getAttentionSettings() {
  return projectedAttentionSettings(*this, /*causal=*/true);
}

LogicalResult DecoderLayerOp::verify() {
  Operation *op = *this;
  FailureOr<RankedTensorType> input = verifyLayerCommon(*this);
  if (failed(input))
    return failure();
  Type elementType = input->getElementType();
  int64_t dim = input->getDimSize(2);
  if (failed(expectRank(op, "memory", getMemory(), 3, "[B, Ls, Em]")) ||
      failed(
          expectElementType(op, "memory", getMemory(), elementType, "input")))
    return failure();
  ArrayRef<int64_t> mem = tensorType(getMemory()).getShape();
  if (!dimsAgree(mem[0], input->getDimSize(0)))
    return emitOpError() << "memory batch size " << mem[0]
                         << " does not match input batch size "
                         << input->getDimSize(0);
  int64_t numHeads = getNumHeadsAttr().getInt();
  Projections cross{getCrossQWeight(), getCrossQBias(),   getCrossKWeight(),
                    getCrossKBias(),   getCrossVWeight(), getCrossVBias(),
                    getCrossOWeight(), getCrossOBias(),   "cross_",
                    "input",           "memory",          "memory"};
  FailureOr<ProjectionDims> dims =
      verifyProjections(op, cross, numHeads, getEffectiveNumKvHeads(), dim,
                        mem[2], mem[2], elementType, "input");
  if (failed(dims) ||
      failed(expectSize(op, "cross_o_weight", "rows", dims->outDim, dim,
                        "the last dimension of input, for the residual")) ||
      failed(verifyNormParams(
          op, "norm3_gamma", getNorm3Gamma(), "norm3_beta", getNorm3Beta(), dim,
          "the last dimension of input", elementType, "input")))
    return failure();
  int64_t batch = input->getDimSize(0), len = input->getDimSize(1);
  if (failed(verifyMask(op, "self_mask", getSelfMask(),
                        {batch, numHeads, len, len}, elementType, "input")))
    return failure();
  return verifyMask(op, "memory_mask", getMemoryMask(),
                    {batch, numHeads, len, mem[1]}, elementType, "input");
}

LogicalResult DecoderLayerOp::canonicalize(DecoderLayerOp op,
                                           PatternRewriter &rewriter) {
  return success(
      succeeded(dropTrivialMask(rewriter, op, op.getSelfMaskMutable())) ||
      succeeded(dropTrivialMask(rewriter, op, op.getMemoryMaskMutable())) ||
      succeeded(normalizeVisibility(rewriter, op)));
}

LogicalResult mlir::attn::verifyKnownAttributes(Operation *op) {
  for (NamedAttribute attr : op->getDiscardableAttrs())
    if (!attr.getName().getValue().contains('.'))
      return op->emitOpError()
             << "has no attribute '" << attr.getName().getValue()
             << "' (its own are in its description; an attribute of another "
                "dialect needs that dialect's prefix)";
  return success();
}

#define GET_OP_CLASSES
//===----------------------------------------------------------------------===//
// Result shapes (ReifyRankedShapedTypeOpInterface)
//===----------------------------------------------------------------------===//
//
// So that `tensor.dim` of a result resolves to sizes of the operands
// (resolve-ranked-shaped-type-result-dims): an importer sizes the next op by
// the dims of this one, and those uses would otherwise keep the raising
// passes from seeing a value used once.

/// The sizes of `source` followed by `trailing`, static where `op`'s result
/// type is.
static LogicalResult reifySizes(OpBuilder &b, Operation *op, Value source,
                                unsigned keep,
                                ArrayRef<OpFoldResult> trailing,
                                ReifiedRankedShapedTypeDims &result) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  SmallVector<OpFoldResult> sizes;
  for (unsigned i = 0; i < keep; ++i)
    sizes.push_back(tensor::getMixedSize(b, op->getLoc(), source, i));
  llvm::append_range(sizes, trailing);
  if (sizes.size() != static_cast<size_t>(type.getRank()))
    return failure();
  for (auto [i, size] : llvm::enumerate(sizes))
    if (!type.isDynamicDim(i))
      size = b.getIndexAttr(type.getDimSize(i));
  result.push_back(std::move(sizes));
  return success();
}

template <typename Op>
static LogicalResult reifySameShape(Op op, OpBuilder &b,
                                    ReifiedRankedShapedTypeDims &result) {
  Value input = op.getInput();
  return reifySizes(b, op, input,
                    cast<RankedTensorType>(input.getType()).getRank(), {},
                    result);
}

LogicalResult
SoftmaxOp::reifyResultShapes(OpBuilder &b,
                             ReifiedRankedShapedTypeDims &result) {
  return reifySameShape(*this, b, result);
}

LogicalResult
LogSoftmaxOp::reifyResultShapes(OpBuilder &b,
                                ReifiedRankedShapedTypeDims &result) {
  return reifySameShape(*this, b, result);
}

LogicalResult
LayerNormOp::reifyResultShapes(OpBuilder &b,
                               ReifiedRankedShapedTypeDims &result) {
  return reifySameShape(*this, b, result);
}

LogicalResult LinearOp::reifyResultShapes(OpBuilder &b,
                                          ReifiedRankedShapedTypeDims &result) {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  OpFoldResult out = tensor::getMixedSize(b, getLoc(), getWeight(), 0);
  return reifySizes(b, *this, getInput(), inputType.getRank() - 1, {out},
                    result);
}

LogicalResult
EmbeddingOp::reifyResultShapes(OpBuilder &b,
                               ReifiedRankedShapedTypeDims &result) {
  auto indicesType = cast<RankedTensorType>(getIndices().getType());
  OpFoldResult width = tensor::getMixedSize(b, getLoc(), getTable(), 1);
  return reifySizes(b, *this, getIndices(), indicesType.getRank(), {width},
                    result);
}

#include "dialect/AttnOps.cpp.inc"
