//===- Decompose.cpp - attn-decompose: composite ops into sdpa + linalg ---===//
//
// One rewrite pattern per composite op. A layer becomes multihead, layer_norm
// and ffn ops, which become linear, softmax and sdpa ops, and so on down to
// attn.sdpa / attn.hard and upstream tensor, linalg, arith and math ops; the
// greedy driver repeats until nothing composite is left. Each formula is
// evaluated in the order reference/Reference.cpp uses, so that the decomposed
// IR rounds the way the oracle's formula does.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"

#include <cmath>
#include <limits>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNDECOMPOSE
#include "passes/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

using utils::IteratorType;

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

//===----------------------------------------------------------------------===//
// Builders shared by the patterns
//===----------------------------------------------------------------------===//

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// A scalar constant of float type `type`.
Value floatConstant(OpBuilder &b, Location loc, Type type, double value) {
  return arith::ConstantOp::create(
      b, loc, cast<TypedAttr>(b.getFloatAttr(type, value)));
}

Value emptyTensor(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                  Type elementType) {
  return tensor::EmptyOp::create(b, loc, sizes, elementType);
}

/// A tensor of `sizes` filled with `value` (an accumulator's start).
Value filledTensor(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                   Type elementType, double value) {
  Value empty = emptyTensor(b, loc, sizes, elementType);
  Value fill = floatConstant(b, loc, elementType, value);
  return linalg::FillOp::create(b, loc, ValueRange{fill}, ValueRange{empty})
      .getResult(0);
}

/// The sizes of `t`, static ones as attributes and dynamic ones as tensor.dim.
SmallVector<OpFoldResult> sizesOf(OpBuilder &b, Location loc, Value t) {
  return tensor::getMixedSizes(b, loc, t);
}

/// `sizes` without the entry at `dim`.
SmallVector<OpFoldResult> dropSize(ArrayRef<OpFoldResult> sizes, int64_t dim) {
  SmallVector<OpFoldResult> result(sizes);
  result.erase(result.begin() + dim);
  return result;
}

/// The extent of `t` along `dim` as a float of `type`: a static size is a
/// constant, a dynamic one is read with tensor.dim.
Value sizeAsFloat(OpBuilder &b, Location loc, Value t, int64_t dim, Type type) {
  int64_t size = tensorType(t).getDimSize(dim);
  if (!ShapedType::isDynamic(size))
    return floatConstant(b, loc, type, static_cast<double>(size));
  Value index = tensor::DimOp::create(b, loc, t, dim);
  Value integer = arith::IndexCastUIOp::create(b, loc, b.getI64Type(), index);
  return arith::UIToFPOp::create(b, loc, type, integer);
}

using BodyFn = function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// A linalg.generic writing into `init`, whose body yields `body`'s value.
Value generic(OpBuilder &b, Location loc, ValueRange inputs, Value init,
              ArrayRef<AffineMap> maps, ArrayRef<IteratorType> iterators,
              BodyFn body) {
  auto op = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, args));
      });
  return op.getResult(0);
}

/// An elementwise linalg.generic over `rank` loops.
Value elementwise(OpBuilder &b, Location loc, ValueRange inputs,
                  ArrayRef<AffineMap> inputMaps, Value init, BodyFn body) {
  int64_t rank = tensorType(init).getRank();
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
  return generic(b, loc, inputs, init, maps, iterators, body);
}

/// The map of a tensor that spans every one of `rank` loops but `dropped`.
AffineMap dropDimMap(MLIRContext *ctx, int64_t rank, int64_t dropped) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (d != dropped)
      exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// The map of a tensor indexed by a subset of `rank` loops, in order.
AffineMap selectDimsMap(MLIRContext *ctx, int64_t rank,
                        ArrayRef<int64_t> dims) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d : dims)
    exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// Replaces `op` by `values`. A value may be typed less statically than the
/// result it replaces (the op's result type can know a size that its operands
/// leave dynamic); a tensor.cast restores the result type then.
void replaceWithCasts(PatternRewriter &rewriter, Operation *op,
                      ValueRange values) {
  SmallVector<Value> results;
  for (auto [value, result] : llvm::zip_equal(values, op->getResults())) {
    Value replacement = value;
    if (replacement.getType() != result.getType())
      replacement = tensor::CastOp::create(rewriter, op->getLoc(),
                                           result.getType(), replacement);
    results.push_back(replacement);
  }
  rewriter.replaceOp(op, results);
}

Value addf(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return arith::AddFOp::create(b, loc, lhs, rhs);
}
Value subf(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return arith::SubFOp::create(b, loc, lhs, rhs);
}
Value mulf(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return arith::MulFOp::create(b, loc, lhs, rhs);
}
Value divf(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return arith::DivFOp::create(b, loc, lhs, rhs);
}

/// Elementwise lhs + rhs of equal shapes (a residual connection).
Value addTensors(OpBuilder &b, Location loc, Value lhs, Value rhs,
                 ArrayRef<OpFoldResult> sizes) {
  Value init = emptyTensor(b, loc, sizes, tensorType(lhs).getElementType());
  return linalg::AddOp::create(b, loc, ValueRange{lhs, rhs}, ValueRange{init})
      .getResult(0);
}

/// Applies `mask`, broadcast numpy-style to the shape of `scores`: an i1
/// mask hides a score (makes it -inf) where false, a float mask is added.
Value applyMask(OpBuilder &b, Location loc, Value scores, Value mask) {
  MLIRContext *ctx = b.getContext();
  RankedTensorType scoreType = tensorType(scores);
  RankedTensorType maskType = tensorType(mask);
  Type elementType = scoreType.getElementType();
  int64_t rank = scoreType.getRank();
  int64_t lead = rank - maskType.getRank();
  bool boolean = maskType.getElementType().isInteger(1);
  auto combine = [&](OpBuilder &nb, Location nl, Value score,
                     Value m) -> Value {
    if (boolean)
      return arith::SelectOp::create(
          nb, nl, m, score, floatConstant(nb, nl, elementType, kNegInf));
    return addf(nb, nl, score, m);
  };
  Value init = emptyTensor(b, loc, sizesOf(b, loc, scores), elementType);
  AffineMap identity = b.getMultiDimIdentityMap(rank);

  if (maskType.hasStaticShape()) {
    // A size-1 dimension broadcasts by always reading index 0.
    SmallVector<AffineExpr> exprs;
    for (auto [i, size] : llvm::enumerate(maskType.getShape()))
      exprs.push_back(size == 1 ? getAffineConstantExpr(0, ctx)
                                : getAffineDimExpr(lead + i, ctx));
    return elementwise(b, loc, {scores, mask},
                       {identity, AffineMap::get(rank, 0, exprs, ctx)}, init,
                       [&](OpBuilder &nb, Location nl, ValueRange args) {
                         return combine(nb, nl, args[0], args[1]);
                       });
  }

  // A dynamic mask dimension may be 1 at run time (and broadcast) or the
  // full extent; no indexing map expresses both, so each is decided when the
  // mask is read.
  SmallVector<Value> unitDims(maskType.getRank());
  for (int64_t i = 0; i < maskType.getRank(); ++i) {
    if (!maskType.isDynamicDim(i))
      continue;
    Value size = tensor::DimOp::create(b, loc, mask, i);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    unitDims[i] =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, size, one);
  }
  return elementwise(
      b, loc, {scores}, {identity}, init,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value zero = arith::ConstantIndexOp::create(nb, nl, 0);
        SmallVector<Value> indices;
        for (int64_t i = 0; i < maskType.getRank(); ++i) {
          if (maskType.getDimSize(i) == 1) {
            indices.push_back(zero);
            continue;
          }
          Value index = linalg::IndexOp::create(nb, nl, lead + i);
          if (unitDims[i])
            index = arith::SelectOp::create(nb, nl, unitDims[i], zero, index);
          indices.push_back(index);
        }
        Value m = tensor::ExtractOp::create(nb, nl, mask, indices);
        return combine(nb, nl, args[0], m);
      });
}

/// Applies an FFN activation to a scalar, in the reference's operation order.
Value activate(OpBuilder &b, Location loc, Activation activation, Value x) {
  Type type = x.getType();
  auto constant = [&](double value) {
    return floatConstant(b, loc, type, value);
  };
  switch (activation) {
  case Activation::Relu: {
    // A compare and select, not maximumf: like the reference's
    // `x > 0 ? x : 0`, it maps NaN and -0 to +0.
    Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                           constant(0.0));
    return arith::SelectOp::create(b, loc, positive, x, constant(0.0));
  }
  case Activation::Gelu: {
    // Each step is its own statement so that the ops come out in this order
    // whatever order a compiler evaluates call arguments in.
    Value scaled = divf(b, loc, x, constant(std::sqrt(2.0)));
    Value erf = math::ErfOp::create(b, loc, scaled);
    Value half = mulf(b, loc, x, constant(0.5));
    Value factor = addf(b, loc, constant(1.0), erf);
    return mulf(b, loc, half, factor);
  }
  case Activation::GeluTanh: {
    const double pi = 3.14159265358979323846;
    Value cube =
        mulf(b, loc, mulf(b, loc, mulf(b, loc, constant(0.044715), x), x), x);
    Value sum = addf(b, loc, x, cube);
    Value inner = mulf(b, loc, constant(std::sqrt(2.0 / pi)), sum);
    Value tanh = math::TanhOp::create(b, loc, inner);
    Value half = mulf(b, loc, constant(0.5), x);
    Value factor = addf(b, loc, constant(1.0), tanh);
    return mulf(b, loc, half, factor);
  }
  }
  llvm_unreachable("unknown activation");
}

//===----------------------------------------------------------------------===//
// attn.linear
//===----------------------------------------------------------------------===//

/// y = x W^T + b as one linalg.matmul over the rows of x, which reads the
/// [out, in] weight through a transposed indexing map. The accumulator
/// starts at the bias, so the bias is added first, as in the reference.
struct DecomposeLinear : OpRewritePattern<LinearOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value input = op.getInput();
    RankedTensorType inputType = tensorType(input);
    Type elementType = inputType.getElementType();
    int64_t rank = inputType.getRank();
    int64_t outDim = tensorType(op.getWeight()).getDimSize(0);
    SmallVector<OpFoldResult> inputSizes = sizesOf(rewriter, loc, input);

    // linalg.matmul wants [M, in]: a vector becomes one row, leading
    // dimensions fold into M.
    Value rows = input;
    SmallVector<ReassociationIndices> reassociation;
    if (rank == 1) {
      reassociation = {{0, 1}};
      rows = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get({1, inputType.getDimSize(0)}, elementType),
          input, reassociation);
    } else if (rank > 2) {
      reassociation = {llvm::to_vector<2>(llvm::seq<int64_t>(0, rank - 1)),
                       {rank - 1}};
      rows =
          tensor::CollapseShapeOp::create(rewriter, loc, input, reassociation);
    }

    SmallVector<OpFoldResult> outSizes{
        tensor::getMixedSize(rewriter, loc, rows, 0),
        rewriter.getIndexAttr(outDim)};
    Value init;
    if (Value bias = op.getBias())
      init = linalg::BroadcastOp::create(
                 rewriter, loc, bias,
                 emptyTensor(rewriter, loc, outSizes, elementType),
                 ArrayRef<int64_t>{0})
                 ->getResult(0);
    else
      init = filledTensor(rewriter, loc, outSizes, elementType, 0.0);

    auto matmul = linalg::MatmulOp::create(
        rewriter, loc, TypeRange{init.getType()},
        ValueRange{rows, op.getWeight()}, ValueRange{init});
    AffineExpr m, n, k;
    bindDims(ctx, m, n, k);
    matmul.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(
        {AffineMap::get(3, 0, {m, k}, ctx), AffineMap::get(3, 0, {n, k}, ctx),
         AffineMap::get(3, 0, {m, n}, ctx)}));
    Value result = matmul.getResult(0);
    if (std::optional<Activation> activation = op.getActivation())
      result = elementwise(rewriter, loc, {result},
                           {rewriter.getMultiDimIdentityMap(2)},
                           emptyTensor(rewriter, loc, outSizes, elementType),
                           [&](OpBuilder &nb, Location nl, ValueRange args) {
                             return activate(nb, nl, *activation, args[0]);
                           });

    if (rank == 1) {
      result =
          tensor::CollapseShapeOp::create(rewriter, loc, result, reassociation);
    } else if (rank > 2) {
      SmallVector<OpFoldResult> shape(inputSizes);
      shape.back() = rewriter.getIndexAttr(outDim);
      SmallVector<int64_t> staticShape(inputType.getShape());
      staticShape.back() = outDim;
      result = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get(staticShape, elementType),
          result, reassociation, shape);
    }
    if (Value residual = op.getResidual()) {
      SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, result);
      result = addTensors(rewriter, loc, result, residual, sizes);
    }
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// attn.softmax, attn.log_softmax
//===----------------------------------------------------------------------===//

/// Softmax or log-softmax of `input` along `axis`, in three passes: the row
/// maximum, the sum of exp(x - max), and the normalised values. A row whose
/// maximum is -inf is all -inf (or NaN, for log-softmax), and gives 0 for
/// softmax and its input back for log-softmax, as in the reference, where
/// linalg.softmax would give NaN.
Value buildSoftmax(OpBuilder &b, Location loc, Value input, int64_t axis,
                   bool logarithm) {
  MLIRContext *ctx = b.getContext();
  RankedTensorType type = tensorType(input);
  Type elementType = type.getElementType();
  int64_t rank = type.getRank();
  if (axis < 0)
    axis += rank;
  SmallVector<OpFoldResult> sizes = sizesOf(b, loc, input);
  SmallVector<OpFoldResult> rowSizes = dropSize(sizes, axis);

  // Softmax takes the NaN-propagating maximum: in the reference a NaN counts
  // as visible and reaches the sum, so it poisons the whole row either way.
  // Log-softmax's reference skips NaN when taking the maximum (std::max), so
  // a row of only NaN and -inf comes back unchanged; maxnumf does the same.
  Value maxInit = filledTensor(b, loc, rowSizes, elementType, kNegInf);
  Value rowMax =
      linalg::ReduceOp::create(
          b, loc, ValueRange{input}, ValueRange{maxInit},
          ArrayRef<int64_t>{axis},
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value max =
                logarithm
                    ? Value(arith::MaxNumFOp::create(nb, nl, args[0], args[1]))
                    : Value(
                          arith::MaximumFOp::create(nb, nl, args[0], args[1]));
            linalg::YieldOp::create(nb, nl, max);
          })
          ->getResult(0);

  AffineMap full = b.getMultiDimIdentityMap(rank);
  AffineMap row = dropDimMap(ctx, rank, axis);
  SmallVector<IteratorType> sumIterators(rank, IteratorType::parallel);
  sumIterators[axis] = IteratorType::reduction;
  Value sum = generic(
      b, loc, {input, rowMax}, filledTensor(b, loc, rowSizes, elementType, 0.0),
      {full, row, row}, sumIterators,
      [](OpBuilder &nb, Location nl, ValueRange args) {
        Value e = math::ExpOp::create(nb, nl, subf(nb, nl, args[0], args[1]));
        return addf(nb, nl, args[2], e);
      });

  return elementwise(
      b, loc, {input, rowMax, sum}, {full, row, row},
      emptyTensor(b, loc, sizes, elementType),
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value x = args[0], max = args[1], total = args[2];
        Value hidden =
            arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ, max,
                                  floatConstant(nb, nl, elementType, kNegInf));
        if (logarithm) {
          Value logSum = addf(nb, nl, max, math::LogOp::create(nb, nl, total));
          return Value(arith::SelectOp::create(nb, nl, hidden, x,
                                               subf(nb, nl, x, logSum)));
        }
        Value e = math::ExpOp::create(nb, nl, subf(nb, nl, x, max));
        Value probability = divf(nb, nl, e, total);
        Value zero = floatConstant(nb, nl, elementType, 0.0);
        return Value(
            arith::SelectOp::create(nb, nl, hidden, zero, probability));
      });
}

struct DecomposeSoftmax : OpRewritePattern<SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, buildSoftmax(rewriter, op.getLoc(), op.getInput(),
                                        op.getAxisAttr().getInt(),
                                        /*logarithm=*/false));
    return success();
  }
};

struct DecomposeLogSoftmax : OpRewritePattern<LogSoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LogSoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, buildSoftmax(rewriter, op.getLoc(), op.getInput(),
                                        op.getAxisAttr().getInt(),
                                        /*logarithm=*/true));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// attn.layer_norm
//===----------------------------------------------------------------------===//

/// mean = sum / N; var = sum((x - mean)^2) / N;
/// y = (x - mean) * (1 / sqrt(var + eps)) * gamma + beta, with the biased
/// variance taken from a second pass, as the reference computes it.
struct DecomposeLayerNorm : OpRewritePattern<LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LayerNormOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value input = op.getInput();
    RankedTensorType type = tensorType(input);
    Type elementType = type.getElementType();
    int64_t rank = type.getRank();
    int64_t last = rank - 1;
    SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, input);
    SmallVector<OpFoldResult> rowSizes = dropSize(sizes, last);
    Value count = sizeAsFloat(rewriter, loc, input, last, elementType);
    Value epsilon = floatConstant(rewriter, loc, elementType,
                                  op.getEpsilon().convertToDouble());

    AffineMap full = rewriter.getMultiDimIdentityMap(rank);
    AffineMap row = dropDimMap(ctx, rank, last);
    AffineMap rowMap = rewriter.getMultiDimIdentityMap(rank - 1);
    AffineMap feature = selectDimsMap(ctx, rank, {last});
    SmallVector<IteratorType> reduceIterators(rank, IteratorType::parallel);
    reduceIterators[last] = IteratorType::reduction;

    Value sum =
        linalg::ReduceOp::create(
            rewriter, loc, ValueRange{input},
            ValueRange{filledTensor(rewriter, loc, rowSizes, elementType, 0.0)},
            ArrayRef<int64_t>{last},
            [](OpBuilder &nb, Location nl, ValueRange args) {
              linalg::YieldOp::create(nb, nl, addf(nb, nl, args[1], args[0]));
            })
            ->getResult(0);
    Value mean = elementwise(rewriter, loc, {sum}, {rowMap},
                             emptyTensor(rewriter, loc, rowSizes, elementType),
                             [&](OpBuilder &nb, Location nl, ValueRange args) {
                               return divf(nb, nl, args[0], count);
                             });
    Value squares = generic(
        rewriter, loc, {input, mean},
        filledTensor(rewriter, loc, rowSizes, elementType, 0.0),
        {full, row, row}, reduceIterators,
        [](OpBuilder &nb, Location nl, ValueRange args) {
          Value centered = subf(nb, nl, args[0], args[1]);
          return addf(nb, nl, args[2], mulf(nb, nl, centered, centered));
        });
    Value invStd = elementwise(
        rewriter, loc, {squares}, {rowMap},
        emptyTensor(rewriter, loc, rowSizes, elementType),
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value variance = divf(nb, nl, args[0], count);
          Value root =
              math::SqrtOp::create(nb, nl, addf(nb, nl, variance, epsilon));
          return divf(nb, nl, floatConstant(nb, nl, elementType, 1.0), root);
        });
    Value result = elementwise(
        rewriter, loc, {input, mean, invStd, op.getGamma(), op.getBeta()},
        {full, row, row, feature, feature},
        emptyTensor(rewriter, loc, sizes, elementType),
        [](OpBuilder &nb, Location nl, ValueRange args) {
          Value normalized =
              mulf(nb, nl, subf(nb, nl, args[0], args[1]), args[2]);
          return addf(nb, nl, mulf(nb, nl, normalized, args[3]), args[4]);
        });
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// attn.ffn
//===----------------------------------------------------------------------===//

/// linear(act(linear(x, w1, b1)), w2, b2).
struct DecomposeFFN : OpRewritePattern<FFNOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(FFNOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    RankedTensorType type = tensorType(input);
    int64_t hiddenDim = tensorType(op.getW1()).getDimSize(0);
    SmallVector<int64_t> hiddenShape(type.getShape());
    hiddenShape.back() = hiddenDim;
    auto hiddenType = RankedTensorType::get(hiddenShape, type.getElementType());

    Value hidden = LinearOp::create(
        rewriter, loc, hiddenType, input, op.getW1(), op.getB1(),
        /*residual=*/Value(), op.getActivationAttr());
    rewriter.replaceOpWithNewOp<LinearOp>(op, op.getType(), hidden, op.getW2(),
                                          op.getB2());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// attn.embedding, attn.positional_encoding
//===----------------------------------------------------------------------===//

/// out[..., e] = table[indices[...], e] * scale, a gather written as a
/// linalg.generic whose body reads the table with tensor.extract.
struct DecomposeEmbedding : OpRewritePattern<EmbeddingOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(EmbeddingOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value indices = op.getIndices();
    Value table = op.getTable();
    Type elementType = tensorType(table).getElementType();
    int64_t indexRank = tensorType(indices).getRank();
    int64_t rank = indexRank + 1;
    SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, indices);
    sizes.push_back(tensor::getMixedSize(rewriter, loc, table, 1));
    double scale = op.getScale().convertToDouble();

    Value result = elementwise(
        rewriter, loc, {indices},
        {selectDimsMap(ctx, rank,
                       llvm::to_vector(llvm::seq<int64_t>(0, indexRank)))},
        emptyTensor(rewriter, loc, sizes, elementType),
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value row =
              arith::IndexCastOp::create(nb, nl, nb.getIndexType(), args[0]);
          Value column = linalg::IndexOp::create(nb, nl, indexRank);
          Value value =
              tensor::ExtractOp::create(nb, nl, table, ValueRange{row, column});
          // x * 1 is x exactly, so the default scale costs nothing.
          if (scale == 1.0)
            return value;
          return mulf(nb, nl, value, floatConstant(nb, nl, elementType, scale));
        });
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

/// input + pe[0..L). The sinusoidal table is computed once as [L, E] (in f32,
/// the widest attn element type, then rounded to the element type) and added
/// to every batch; a learned table is sliced to the first L positions.
struct DecomposePositionalEncoding : OpRewritePattern<PositionalEncodingOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(PositionalEncodingOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value input = op.getInput();
    Type elementType = tensorType(input).getElementType();
    SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, input);
    SmallVector<OpFoldResult> tableSizes{sizes[1], sizes[2]};

    Value encoding;
    if (op.getKind() == PositionalKind::Learned) {
      OpFoldResult zero = rewriter.getIndexAttr(0);
      OpFoldResult one = rewriter.getIndexAttr(1);
      encoding = tensor::ExtractSliceOp::create(
          rewriter, loc, op.getTable(), {zero, zero}, tableSizes, {one, one});
    } else {
      Type f32 = rewriter.getF32Type();
      Value width = sizeAsFloat(rewriter, loc, input, 2, f32);
      encoding = generic(
          rewriter, loc, {},
          emptyTensor(rewriter, loc, tableSizes, elementType),
          {rewriter.getMultiDimIdentityMap(2)},
          {IteratorType::parallel, IteratorType::parallel},
          [&](OpBuilder &nb, Location nl, ValueRange) {
            auto toFloat = [&](Value index) -> Value {
              Value integer =
                  arith::IndexCastUIOp::create(nb, nl, nb.getI64Type(), index);
              return arith::UIToFPOp::create(nb, nl, f32, integer);
            };
            Value position = linalg::IndexOp::create(nb, nl, 0);
            Value feature = linalg::IndexOp::create(nb, nl, 1);
            Value two = arith::ConstantIndexOp::create(nb, nl, 2);
            // pe[p, 2i] = sin(p / 10000^(2i/E)), pe[p, 2i+1] = cos(...).
            Value pair = arith::MulIOp::create(
                nb, nl, arith::DivUIOp::create(nb, nl, feature, two), two);
            Value exponent = divf(nb, nl, toFloat(pair), width);
            Value denominator = math::PowFOp::create(
                nb, nl, floatConstant(nb, nl, f32, 10000.0), exponent);
            Value angle = divf(nb, nl, toFloat(position), denominator);
            Value parity = arith::RemUIOp::create(nb, nl, feature, two);
            Value zero = arith::ConstantIndexOp::create(nb, nl, 0);
            Value even = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq,
                                               parity, zero);
            Value sin = math::SinOp::create(nb, nl, angle);
            Value cos = math::CosOp::create(nb, nl, angle);
            Value value = arith::SelectOp::create(nb, nl, even, sin, cos);
            if (elementType == f32)
              return value;
            return Value(arith::TruncFOp::create(nb, nl, elementType, value));
          });
    }

    Value result = elementwise(
        rewriter, loc, {input, encoding},
        {rewriter.getMultiDimIdentityMap(3), selectDimsMap(ctx, 3, {1, 2})},
        emptyTensor(rewriter, loc, sizes, elementType),
        [](OpBuilder &nb, Location nl, ValueRange args) {
          return addf(nb, nl, args[0], args[1]);
        });
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// attn.additive
//===----------------------------------------------------------------------===//

/// Projects query (with the bias) and key, scores every pair with
/// energy . tanh(q + k), masks, takes attn.softmax over the keys and sums
/// the value rows with those weights.
struct DecomposeAdditive : OpRewritePattern<AdditiveOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AdditiveOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value query = op.getQuery(), key = op.getKey(), value = op.getValue();
    RankedTensorType queryType = tensorType(query);
    RankedTensorType keyType = tensorType(key);
    Type elementType = queryType.getElementType();
    int64_t attnDim = tensorType(op.getEnergy()).getDimSize(0);

    auto projection = [&](Value x, RankedTensorType type, Value weight,
                          Value bias) -> Value {
      auto projectedType = RankedTensorType::get(
          {type.getDimSize(0), type.getDimSize(1), attnDim}, elementType);
      return LinearOp::create(rewriter, loc, projectedType, x, weight, bias);
    };
    Value projectedQuery =
        projection(query, queryType, op.getQueryWeight(), op.getBias());
    Value projectedKey = projection(key, keyType, op.getKeyWeight(), Value());

    OpFoldResult batch = tensor::getMixedSize(rewriter, loc, query, 0);
    OpFoldResult queryLen = tensor::getMixedSize(rewriter, loc, query, 1);
    OpFoldResult keyLen = tensor::getMixedSize(rewriter, loc, key, 1);
    OpFoldResult valueDim = tensor::getMixedSize(rewriter, loc, value, 2);

    // Loops (b, i, j, a): score[b, i, j] = sum_a e[a] * tanh(q[b,i,a] +
    // k[b,j,a]).
    Value scores = generic(
        rewriter, loc, {projectedQuery, projectedKey, op.getEnergy()},
        filledTensor(rewriter, loc, {batch, queryLen, keyLen}, elementType,
                     0.0),
        {selectDimsMap(ctx, 4, {0, 1, 3}), selectDimsMap(ctx, 4, {0, 2, 3}),
         selectDimsMap(ctx, 4, {3}), selectDimsMap(ctx, 4, {0, 1, 2})},
        {IteratorType::parallel, IteratorType::parallel, IteratorType::parallel,
         IteratorType::reduction},
        [](OpBuilder &nb, Location nl, ValueRange args) {
          Value t =
              math::TanhOp::create(nb, nl, addf(nb, nl, args[0], args[1]));
          return addf(nb, nl, args[3], mulf(nb, nl, args[2], t));
        });
    if (Value mask = op.getMask())
      scores = applyMask(rewriter, loc, scores, mask);
    Value weights =
        SoftmaxOp::create(rewriter, loc, scores, rewriter.getI64IntegerAttr(2));

    // Loops (b, i, d, j): out[b, i, d] = sum_j w[b,i,j] * v[b,j,d]. A key of
    // weight 0 is skipped, as in the reference, so that a hidden key's
    // inf or NaN value cannot leak into the output through 0 * inf.
    Value output = generic(
        rewriter, loc, {weights, value},
        filledTensor(rewriter, loc, {batch, queryLen, valueDim}, elementType,
                     0.0),
        {selectDimsMap(ctx, 4, {0, 1, 3}), selectDimsMap(ctx, 4, {0, 3, 2}),
         selectDimsMap(ctx, 4, {0, 1, 2})},
        {IteratorType::parallel, IteratorType::parallel, IteratorType::parallel,
         IteratorType::reduction},
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value w = args[0], v = args[1], acc = args[2];
          Value skip =
              arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ, w,
                                    floatConstant(nb, nl, elementType, 0.0));
          return Value(arith::SelectOp::create(
              nb, nl, skip, acc, addf(nb, nl, acc, mulf(nb, nl, w, v))));
        });

    SmallVector<Value> results{output};
    if (op.getWeights())
      results.push_back(weights);
    replaceWithCasts(rewriter, op, results);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// attn.multihead
//===----------------------------------------------------------------------===//

/// [B, L, H*D] -> [B, H, L, D]: head h takes columns [h*D, (h+1)*D).
Value splitHeads(OpBuilder &b, Location loc, Value x, int64_t heads,
                 OpFoldResult batch, OpFoldResult len) {
  RankedTensorType type = tensorType(x);
  Type elementType = type.getElementType();
  int64_t headDim = type.getDimSize(2) / heads;
  auto expandedType = RankedTensorType::get(
      {type.getDimSize(0), type.getDimSize(1), heads, headDim}, elementType);
  Value expanded = tensor::ExpandShapeOp::create(
      b, loc, expandedType, x, {{0}, {1}, {2, 3}},
      {batch, len, b.getIndexAttr(heads), b.getIndexAttr(headDim)});
  Value init = emptyTensor(
      b, loc, {batch, b.getIndexAttr(heads), len, b.getIndexAttr(headDim)},
      elementType);
  return linalg::TransposeOp::create(b, loc, expanded, init,
                                     ArrayRef<int64_t>{0, 2, 1, 3})
      ->getResult(0);
}

/// [B, H, L, D] -> [B, L, H*D], the inverse of splitHeads.
Value mergeHeads(OpBuilder &b, Location loc, Value x, OpFoldResult batch,
                 OpFoldResult len) {
  RankedTensorType type = tensorType(x);
  Value init = emptyTensor(b, loc,
                           {batch, len, b.getIndexAttr(type.getDimSize(1)),
                            b.getIndexAttr(type.getDimSize(3))},
                           type.getElementType());
  Value transposed = linalg::TransposeOp::create(b, loc, x, init,
                                                 ArrayRef<int64_t>{0, 2, 1, 3})
                         ->getResult(0);
  return tensor::CollapseShapeOp::create(
      b, loc, transposed, ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
}

/// Projections, a head split, attn.sdpa with the op's mask and attributes
/// (grouped-query attention is sdpa's own head mapping, so K and V are never
/// repeated), a head merge and the output projection.
struct DecomposeMultihead : OpRewritePattern<MultiheadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MultiheadOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value query = op.getQuery(), key = op.getKey(), value = op.getValue();
    Type elementType = tensorType(query).getElementType();
    int64_t numHeads = op.getNumHeads();
    int64_t numKvHeads = op.getEffectiveNumKvHeads();

    auto project = [&](Value x, Value weight, Value bias) -> Value {
      RankedTensorType type = tensorType(x);
      auto projectedType =
          RankedTensorType::get({type.getDimSize(0), type.getDimSize(1),
                                 tensorType(weight).getDimSize(0)},
                                elementType);
      return LinearOp::create(rewriter, loc, projectedType, x, weight, bias);
    };
    OpFoldResult queryBatch = tensor::getMixedSize(rewriter, loc, query, 0);
    OpFoldResult queryLen = tensor::getMixedSize(rewriter, loc, query, 1);
    OpFoldResult keyBatch = tensor::getMixedSize(rewriter, loc, key, 0);
    OpFoldResult keyLen = tensor::getMixedSize(rewriter, loc, key, 1);
    OpFoldResult valueBatch = tensor::getMixedSize(rewriter, loc, value, 0);
    OpFoldResult valueLen = tensor::getMixedSize(rewriter, loc, value, 1);

    Value q = splitHeads(rewriter, loc,
                         project(query, op.getQWeight(), op.getQBias()),
                         numHeads, queryBatch, queryLen);
    Value k =
        splitHeads(rewriter, loc, project(key, op.getKWeight(), op.getKBias()),
                   numKvHeads, keyBatch, keyLen);
    Value v = splitHeads(rewriter, loc,
                         project(value, op.getVWeight(), op.getVBias()),
                         numKvHeads, valueBatch, valueLen);

    RankedTensorType qType = tensorType(q);
    int64_t valueHeadDim = tensorType(v).getDimSize(3);
    auto outputType = RankedTensorType::get(
        {qType.getDimSize(0), numHeads, qType.getDimSize(2), valueHeadDim},
        elementType);
    Type weightsType;
    if (Value weights = op.getWeights())
      weightsType = weights.getType();
    auto sdpa = SDPAOp::create(rewriter, loc, outputType, weightsType, q, k, v,
                               op.getMask(), op.getScaleAttr(),
                               op.getSoftcapAttr(), op.getScoreAttr(),
                               op.getCausalAttr(), op.getWindowAttr());

    Value merged =
        mergeHeads(rewriter, loc, sdpa.getOutput(), queryBatch, queryLen);
    Value output = LinearOp::create(rewriter, loc, op.getOutput().getType(),
                                    merged, op.getOWeight(), op.getOBias());
    SmallVector<Value> results{output};
    if (Value weights = sdpa.getWeights())
      results.push_back(weights);
    replaceWithCasts(rewriter, op, results);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// attn.encoder_layer, attn.decoder_layer
//===----------------------------------------------------------------------===//

/// One residual sub-layer: post-norm `norm(x + f(x))`, pre-norm
/// `x + f(norm(x))`.
Value residualBlock(PatternRewriter &rewriter, Location loc, Value x,
                    NormPlacement placement, Value gamma, Value beta,
                    FloatAttr epsilon, ArrayRef<OpFoldResult> sizes,
                    function_ref<Value(Value)> sublayer) {
  auto norm = [&](Value y) -> Value {
    return LayerNormOp::create(rewriter, loc, x.getType(), y, gamma, beta,
                               epsilon);
  };
  if (placement == NormPlacement::Pre)
    return addTensors(rewriter, loc, x, sublayer(norm(x)), sizes);
  return norm(addTensors(rewriter, loc, x, sublayer(x), sizes));
}

/// Multi-head attention of `query` against `memory` (self-attention when
/// they are the same value), typed like `query`.
Value attention(PatternRewriter &rewriter, Location loc, Value query,
                Value memory, ValueRange projections, Value mask,
                IntegerAttr numHeads, IntegerAttr numKvHeads, FloatAttr scale,
                FloatAttr softcap, ScoreKindAttr score, UnitAttr causal,
                DenseI64ArrayAttr window) {
  return MultiheadOp::create(
             rewriter, loc, query.getType(), Type(), query, memory, memory,
             projections[0], projections[1], projections[2], projections[3],
             projections[4], projections[5], projections[6], projections[7],
             mask, numHeads, numKvHeads, scale, softcap, score, causal, window)
      .getOutput();
}

struct DecomposeEncoderLayer : OpRewritePattern<EncoderLayerOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(EncoderLayerOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, input);
    SmallVector<Value> projections{
        op.getQWeight(), op.getQBias(), op.getKWeight(), op.getKBias(),
        op.getVWeight(), op.getVBias(), op.getOWeight(), op.getOBias()};
    NormPlacement placement = op.getNorm();

    Value x = residualBlock(
        rewriter, loc, input, placement, op.getNorm1Gamma(), op.getNorm1Beta(),
        op.getEpsilonAttr(), sizes, [&](Value y) {
          return attention(rewriter, loc, y, y, projections, op.getMask(),
                           op.getNumHeadsAttr(), op.getNumKvHeadsAttr(),
                           op.getScaleAttr(), op.getSoftcapAttr(),
                           op.getScoreAttr(), op.getCausalAttr(),
                           op.getWindowAttr());
        });
    x = residualBlock(
        rewriter, loc, x, placement, op.getNorm2Gamma(), op.getNorm2Beta(),
        op.getEpsilonAttr(), sizes, [&](Value y) -> Value {
          return FFNOp::create(rewriter, loc, y.getType(), y, op.getFfnW1(),
                               op.getFfnB1(), op.getFfnW2(), op.getFfnB2(),
                               op.getActivationAttr());
        });
    replaceWithCasts(rewriter, op, x);
    return success();
  }
};

/// Causal self-attention (with the window and self_mask), cross-attention
/// over all of memory (with memory_mask), then the FFN; scale, softcap and
/// score apply to both attentions.
struct DecomposeDecoderLayer : OpRewritePattern<DecoderLayerOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DecoderLayerOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, input);
    SmallVector<Value> selfProjections{
        op.getQWeight(), op.getQBias(), op.getKWeight(), op.getKBias(),
        op.getVWeight(), op.getVBias(), op.getOWeight(), op.getOBias()};
    SmallVector<Value> crossProjections{
        op.getCrossQWeight(), op.getCrossQBias(),   op.getCrossKWeight(),
        op.getCrossKBias(),   op.getCrossVWeight(), op.getCrossVBias(),
        op.getCrossOWeight(), op.getCrossOBias()};
    NormPlacement placement = op.getNorm();

    Value x = residualBlock(
        rewriter, loc, input, placement, op.getNorm1Gamma(), op.getNorm1Beta(),
        op.getEpsilonAttr(), sizes, [&](Value y) {
          return attention(rewriter, loc, y, y, selfProjections,
                           op.getSelfMask(), op.getNumHeadsAttr(),
                           op.getNumKvHeadsAttr(), op.getScaleAttr(),
                           op.getSoftcapAttr(), op.getScoreAttr(),
                           rewriter.getUnitAttr(), op.getWindowAttr());
        });
    x = residualBlock(
        rewriter, loc, x, placement, op.getNorm2Gamma(), op.getNorm2Beta(),
        op.getEpsilonAttr(), sizes, [&](Value y) {
          return attention(rewriter, loc, y, op.getMemory(), crossProjections,
                           op.getMemoryMask(), op.getNumHeadsAttr(),
                           op.getNumKvHeadsAttr(), op.getScaleAttr(),
                           op.getSoftcapAttr(), op.getScoreAttr(),
                           /*causal=*/nullptr, /*window=*/nullptr);
        });
    x = residualBlock(
        rewriter, loc, x, placement, op.getNorm3Gamma(), op.getNorm3Beta(),
        op.getEpsilonAttr(), sizes, [&](Value y) -> Value {
          return FFNOp::create(rewriter, loc, y.getType(), y, op.getFfnW1(),
                               op.getFfnB1(), op.getFfnW2(), op.getFfnB2(),
                               op.getActivationAttr());
        });
    replaceWithCasts(rewriter, op, x);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct AttnDecomposePass : attn::impl::AttnDecomposeBase<AttnDecomposePass> {
  using AttnDecomposeBase::AttnDecomposeBase;

  LogicalResult initialize(MLIRContext *ctx) override {
    for (const std::string &name : keep)
      if (!llvm::is_contained(kKeepable, name))
        return emitError(UnknownLoc::get(ctx))
               << "attn-decompose: keep=" << name
               << " is not an op it can keep; it keeps linear, layer_norm, "
                  "embedding, softmax and log_softmax";
    return success();
  }

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    auto unlessKept = [&](StringRef name, auto add) {
      if (!llvm::is_contained(keep, name))
        add();
    };
    unlessKept("linear", [&] { patterns.add<DecomposeLinear>(ctx); });
    unlessKept("layer_norm", [&] { patterns.add<DecomposeLayerNorm>(ctx); });
    unlessKept("embedding", [&] { patterns.add<DecomposeEmbedding>(ctx); });
    unlessKept("softmax", [&] { patterns.add<DecomposeSoftmax>(ctx); });
    unlessKept("log_softmax", [&] { patterns.add<DecomposeLogSoftmax>(ctx); });
    patterns
        .add<DecomposeFFN, DecomposePositionalEncoding, DecomposeAdditive,
             DecomposeMultihead, DecomposeEncoderLayer, DecomposeDecoderLayer>(
            ctx);
    // Every pattern removes a composite op and creates only smaller ones, so
    // the rewrite terminates however deep the nesting; no iteration cap
    // should stop it half way.
    GreedyRewriteConfig config;
    config.setMaxIterations(GreedyRewriteConfig::kNoLimit);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }

private:
  static constexpr StringLiteral kKeepable[] = {
      "linear", "layer_norm", "embedding", "softmax", "log_softmax"};
};

} // namespace
