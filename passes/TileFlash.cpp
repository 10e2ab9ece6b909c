//===- TileFlash.cpp - attn-tile-flash: attention into flash loops --------===//
//
// Rewrites attn.sdpa and attn.hard into an scf.forall over (batch, head,
// query block) whose body loops over key blocks with an online softmax, so
// the Lq×Lk score matrix never exists. Every tile op has a static shape, so
// the CPU pipeline can vectorize all of them.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "dialect/AttnInterfaces.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNTILEFLASH
#include "passes/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

constexpr double kLog2e = 1.4426950408889634;

using utils::IteratorType;
constexpr IteratorType kPar = IteratorType::parallel;
constexpr IteratorType kRed = IteratorType::reduction;

/// What the loops need to know about one sdpa or hard op.
struct FlashSpec {
  Value query, key, value, mask;
  bool hard = false;
  bool cosine = false;
  bool weights = false;
  double scale = 1.0;
  std::optional<double> softcap;
  /// Keys visible around the diagonal d = i + Lk - Lq: [d - left, d + right];
  /// -1 leaves a side open.
  int64_t left = -1, right = -1;
  int64_t blockQ = 64, blockK = 64;
  int64_t headDim = 0, valueDim = 0, queryHeads = 0, groupSize = 1;
  Type elementType;
};

/// The running softmax state of one query block.
struct SoftmaxState {
  Value max, sum, acc;
};

/// Builds the flash form of one op. All index arithmetic is in `index`.
class FlashBuilder {
public:
  FlashBuilder(ImplicitLocOpBuilder &b, const FlashSpec &spec)
      : b(b), spec(spec), f32(b.getF32Type()) {}

  /// The tensors the loop nest writes: the output, and the weights filled
  /// with zeros when asked for (hidden keys keep their 0).
  SmallVector<Value> outputs();

  /// Emits the loop nest writing into `outputs` and returns the replacement
  /// values (output, and weights when asked for).
  SmallVector<Value> build(ValueRange outputs);

private:
  // Small helpers.
  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, v); }
  Value f32Const(double v) {
    return arith::ConstantOp::create(b,
                                     b.getF32FloatAttr(static_cast<float>(v)));
  }
  Value dim(Value t, int64_t d) { return tensor::DimOp::create(b, t, d); }
  Value emptyF32(ArrayRef<int64_t> shape) {
    return tensor::EmptyOp::create(b, shape, f32);
  }
  Value filled(ArrayRef<int64_t> shape, double v) {
    return linalg::FillOp::create(b, f32Const(v), emptyF32(shape)).getResult(0);
  }
  Value toF32(OpBuilder &nb, Location loc, Value v) {
    return v.getType() == nb.getF32Type()
               ? v
               : arith::ExtFOp::create(nb, loc, nb.getF32Type(), v);
  }
  AffineMap map(unsigned dims, ArrayRef<unsigned> results) {
    SmallVector<AffineExpr> exprs;
    for (unsigned r : results)
      exprs.push_back(b.getAffineDimExpr(r));
    return AffineMap::get(dims, 0, exprs, b.getContext());
  }
  using BodyFn = function_ref<void(OpBuilder &, Location, ValueRange)>;
  Value generic(Type resultType, ValueRange ins, Value init,
                ArrayRef<AffineMap> maps, ArrayRef<IteratorType> iters,
                BodyFn body) {
    return linalg::GenericOp::create(b, TypeRange{resultType}, ins,
                                     ValueRange{init}, maps, iters, body)
        .getResult(0);
  }

  /// A [rows, cols] tile of a [B, H, L, X] tensor at (batch, head, row0),
  /// zero-padded to `padRows` when fewer than `padRows` rows remain.
  Value tile(Value source, Value batch, Value head, Value row0, Value rows,
             int64_t padRows);
  /// The key (and value) tile of the block starting at `k0`; `rows` is null
  /// for a full block, read in place.
  Value keyValueTile(Value source, Value k0, Value rows);

  /// 1 / max(|row|, 1e-12) for each of the `rows` rows of `tile`, the
  /// cosine normalisation.
  Value inverseRowNorms(Value tile, int64_t rows);

  /// Qᵀ of the block, scaled so that scores come out in the exp2 domain
  /// (or in natural units before a softcap), and normalised for cosine.
  Value scaledQueryT(Value qTile);

  /// Sᵀ = K·Qᵀ and everything applied to it before the softmax: cosine key
  /// norms, softcap, mask, and the causal/window/bounds rules when
  /// `indexMask` is set.
  Value scores(Value qT, Value kTile, Value q0, Value k0, Value kRows,
               bool indexMask);

  /// One online-softmax step over a key block.
  SoftmaxState softmaxStep(const SoftmaxState &s, Value scoresT, Value vTile);
  /// One running-argmax step over a key block (hard attention).
  std::pair<Value, Value> argmaxStep(Value best, Value bestIdx, Value scoresT,
                                     Value k0);

  /// Runs `step(k0, kTile, vTile, rows, indexMask, state) -> state` over the
  /// key blocks that the query block can see: the full blocks in a loop
  /// (skipping mask arithmetic on blocks entirely inside the band), then the
  /// partial tail block, zero-padded, with a bounds mask.
  using StepFn = function_ref<SmallVector<Value>(
      Value k0, Value kTile, Value vTile, Value kRows, bool indexMask,
      ValueRange state)>;
  SmallVector<Value> forEachKeyBlock(Value q0, Value qRows, ValueRange init,
                                     StepFn step);

  ImplicitLocOpBuilder &b;
  const FlashSpec &spec;
  Type f32;
  // Per query-block values, set while building the forall body.
  Value batch, head, kvHead, lq, lk, diagOffset;
};

Value FlashBuilder::tile(Value source, Value batchIv, Value headIv, Value row0,
                         Value rows, int64_t padRows) {
  auto type = cast<RankedTensorType>(source.getType());
  int64_t cols = type.getDimSize(3);
  SmallVector<OpFoldResult> offsets = {batchIv, headIv, row0,
                                       b.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1), b.getIndexAttr(1), rows,
                                     b.getIndexAttr(cols)};
  SmallVector<OpFoldResult> strides(4, b.getIndexAttr(1));
  auto sliceType = RankedTensorType::get({ShapedType::kDynamic, cols},
                                         type.getElementType());
  Value slice = tensor::ExtractSliceOp::create(b, sliceType, source, offsets,
                                               sizes, strides);
  Value zero =
      arith::ConstantOp::create(b, b.getZeroAttr(type.getElementType()));
  Value padHigh = arith::SubIOp::create(b, idx(padRows), rows);
  auto paddedType =
      RankedTensorType::get({padRows, cols}, type.getElementType());
  return tensor::PadOp::create(
      b, paddedType, slice,
      ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0)},
      ArrayRef<OpFoldResult>{padHigh, b.getIndexAttr(0)}, zero);
}

Value FlashBuilder::keyValueTile(Value source, Value k0, Value rows) {
  if (rows)
    return tile(source, batch, kvHead, k0, rows, spec.blockK);
  auto type = cast<RankedTensorType>(source.getType());
  int64_t cols = type.getDimSize(3);
  SmallVector<OpFoldResult> offsets = {batch, kvHead, k0, b.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1), b.getIndexAttr(1),
                                     b.getIndexAttr(spec.blockK),
                                     b.getIndexAttr(cols)};
  SmallVector<OpFoldResult> strides(4, b.getIndexAttr(1));
  auto sliceType =
      RankedTensorType::get({spec.blockK, cols}, type.getElementType());
  return tensor::ExtractSliceOp::create(b, sliceType, source, offsets, sizes,
                                        strides);
}

Value FlashBuilder::inverseRowNorms(Value tile, int64_t rows) {
  auto rowType = RankedTensorType::get({rows}, f32);
  Value sumSquares = generic(
      rowType, tile, filled({rows}, 0.0), {map(2, {0, 1}), map(2, {0})},
      {kPar, kRed}, [&](OpBuilder &nb, Location loc, ValueRange args) {
        Value x = toF32(nb, loc, args[0]);
        Value x2 = arith::MulFOp::create(nb, loc, x, x);
        linalg::YieldOp::create(
            nb, loc, ValueRange{arith::AddFOp::create(nb, loc, x2, args[1])});
      });
  return generic(
      rowType, sumSquares, emptyF32({rows}), {map(1, {0}), map(1, {0})}, {kPar},
      [&](OpBuilder &nb, Location loc, ValueRange args) {
        Value norm = math::SqrtOp::create(nb, loc, args[0]);
        Value eps =
            arith::ConstantOp::create(nb, loc, nb.getF32FloatAttr(1e-12f));
        Value one =
            arith::ConstantOp::create(nb, loc, nb.getF32FloatAttr(1.0f));
        linalg::YieldOp::create(
            nb, loc,
            ValueRange{arith::DivFOp::create(
                nb, loc, one, arith::MaximumFOp::create(nb, loc, norm, eps))});
      });
}

Value FlashBuilder::scaledQueryT(Value qTile) {
  int64_t bq = spec.blockQ, d = spec.headDim;
  // Scores go straight into exp2 unless a softcap must see natural units.
  double factor = spec.scale * (spec.softcap || spec.hard ? 1.0 : kLog2e);
  Value invNorm = spec.cosine ? inverseRowNorms(qTile, bq) : Value();
  SmallVector<Value> ins = {qTile};
  SmallVector<AffineMap> maps = {map(2, {1, 0})};
  if (invNorm) {
    ins.push_back(invNorm);
    maps.push_back(map(2, {1}));
  }
  maps.push_back(map(2, {0, 1}));
  return generic(RankedTensorType::get({d, bq}, f32), ins, emptyF32({d, bq}),
                 maps, {kPar, kPar},
                 [&](OpBuilder &nb, Location loc, ValueRange args) {
                   Value x = toF32(nb, loc, args[0]);
                   Value s = arith::ConstantOp::create(
                       nb, loc, nb.getF32FloatAttr(static_cast<float>(factor)));
                   x = arith::MulFOp::create(nb, loc, x, s);
                   if (invNorm)
                     x = arith::MulFOp::create(nb, loc, x, args[1]);
                   linalg::YieldOp::create(nb, loc, ValueRange{x});
                 });
}

Value FlashBuilder::scores(Value qT, Value kTile, Value q0, Value k0,
                           Value kRows, bool indexMask) {
  int64_t bq = spec.blockQ, bk = spec.blockK;
  auto tileType = RankedTensorType::get({bk, bq}, f32);
  // Sᵀ[j, i] = Σ_d K[j, d] · Qᵀ[d, i]: keys are rows, queries are lanes.
  Value raw = generic(
      tileType, ValueRange{kTile, qT}, filled({bk, bq}, 0.0),
      {map(3, {0, 2}), map(3, {2, 1}), map(3, {0, 1})}, {kPar, kPar, kRed},
      [&](OpBuilder &nb, Location loc, ValueRange args) {
        Value prod =
            arith::MulFOp::create(nb, loc, toF32(nb, loc, args[0]), args[1]);
        linalg::YieldOp::create(
            nb, loc, ValueRange{arith::AddFOp::create(nb, loc, prod, args[2])});
      });

  Value invKeyNorm = spec.cosine ? inverseRowNorms(kTile, bk) : Value();

  // The user's mask tile, broadcast dims read at index 0.
  Value maskTile;
  AffineMap maskMap;
  if (spec.mask) {
    auto type = cast<RankedTensorType>(spec.mask.getType());
    int64_t rank = type.getRank();
    SmallVector<OpFoldResult> offsets, sizes;
    SmallVector<int64_t> sliceShape;
    Value targetOffsets[4] = {batch, head, q0, k0};
    for (int64_t target = 0; target < 4; ++target) {
      // The mask's dims align with [B, H, Lq, Lk] from the right.
      int64_t d = target - (4 - rank);
      if (d < 0)
        continue;
      bool broadcast = type.getDimSize(d) == 1;
      offsets.push_back(broadcast ? OpFoldResult(b.getIndexAttr(0))
                                  : OpFoldResult(targetOffsets[target]));
      if (target < 2 || broadcast) {
        sizes.push_back(b.getIndexAttr(1));
        if (target >= 2)
          sliceShape.push_back(1);
        continue;
      }
      Value limit = target == 2 ? lq : lk;
      Value block = idx(target == 2 ? bq : bk);
      Value remaining = arith::SubIOp::create(b, limit, targetOffsets[target]);
      sizes.push_back(arith::MinSIOp::create(b, remaining, block).getResult());
      sliceShape.push_back(ShapedType::kDynamic);
    }
    // A mask of rank < 2 broadcasts over the missing trailing-pair dims.
    while (sliceShape.size() < 2)
      sliceShape.insert(sliceShape.begin(), 1);
    SmallVector<OpFoldResult> strides(offsets.size(), b.getIndexAttr(1));
    Value slice;
    if (rank >= 2) {
      auto sliceType = RankedTensorType::get(sliceShape, type.getElementType());
      slice = tensor::ExtractSliceOp::create(b, sliceType, spec.mask, offsets,
                                             sizes, strides);
    } else if (rank == 0) {
      // A scalar mask applies to every score.
      slice = tensor::ExpandShapeOp::create(
          b, RankedTensorType::get({1, 1}, type.getElementType()), spec.mask,
          ArrayRef<ReassociationIndices>{});
    } else {
      // A rank-1 mask is [Lk] (or [1]): the slice keeps its key extent.
      auto sliceType =
          RankedTensorType::get({sliceShape[1]}, type.getElementType());
      Value s = tensor::ExtractSliceOp::create(b, sliceType, spec.mask, offsets,
                                               sizes, strides);
      slice = tensor::ExpandShapeOp::create(
          b, RankedTensorType::get(sliceShape, type.getElementType()), s,
          ArrayRef<ReassociationIndices>{{0, 1}});
    }
    // Pad to a static tile; padded keys are hidden by the bounds rule and
    // padded queries are discarded, so the pad value does not matter.
    SmallVector<int64_t> tileShape;
    SmallVector<OpFoldResult> high;
    for (auto [i, extent] : llvm::enumerate(sliceShape)) {
      int64_t full = i == 0 ? bq : bk;
      if (extent == 1) {
        tileShape.push_back(1);
        high.push_back(b.getIndexAttr(0));
        continue;
      }
      tileShape.push_back(full);
      Value have = tensor::DimOp::create(b, slice, i);
      high.push_back(arith::SubIOp::create(b, idx(full), have).getResult());
    }
    Value zero =
        arith::ConstantOp::create(b, b.getZeroAttr(type.getElementType()));
    maskTile = tensor::PadOp::create(
        b, RankedTensorType::get(tileShape, type.getElementType()), slice,
        ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0)}, high,
        zero);
    // Iteration space is (j, i); the tile is [query, key].
    AffineExpr zeroExpr = b.getAffineConstantExpr(0);
    AffineExpr qExpr = tileShape[0] == 1 ? zeroExpr : b.getAffineDimExpr(1);
    AffineExpr kExpr = tileShape[1] == 1 ? zeroExpr : b.getAffineDimExpr(0);
    maskMap = AffineMap::get(2, 0, {qExpr, kExpr}, b.getContext());
  }

  if (!invKeyNorm && !spec.softcap && !maskTile && !indexMask)
    return raw;

  SmallVector<Value> ins = {raw};
  SmallVector<AffineMap> maps = {map(2, {0, 1})};
  if (invKeyNorm) {
    ins.push_back(invKeyNorm);
    maps.push_back(map(2, {0}));
  }
  if (maskTile) {
    ins.push_back(maskTile);
    maps.push_back(maskMap);
  }
  maps.push_back(map(2, {0, 1}));
  bool boolMask =
      maskTile &&
      cast<RankedTensorType>(maskTile.getType()).getElementType().isInteger(1);
  // Hard attention compares scores in natural units; softmax uses exp2.
  double outFactor = spec.hard ? 1.0 : kLog2e;
  return generic(
      tileType, ins, emptyF32({bk, bq}), maps, {kPar, kPar},
      [&](OpBuilder &nb, Location loc, ValueRange args) {
        auto cst = [&](double v) -> Value {
          return arith::ConstantOp::create(
              nb, loc, nb.getF32FloatAttr(static_cast<float>(v)));
        };
        Value s = args[0];
        unsigned next = 1;
        if (invKeyNorm)
          s = arith::MulFOp::create(nb, loc, s, args[next++]);
        if (spec.softcap) {
          Value c = cst(*spec.softcap);
          Value t = math::TanhOp::create(nb, loc,
                                         arith::DivFOp::create(nb, loc, s, c));
          s = arith::MulFOp::create(nb, loc, t, cst(*spec.softcap * outFactor));
        }
        Value negInf = cst(-std::numeric_limits<double>::infinity());
        if (maskTile) {
          Value m = args[next++];
          if (boolMask) {
            s = arith::SelectOp::create(nb, loc, m, s, negInf);
          } else {
            Value scaled = arith::MulFOp::create(nb, loc, toF32(nb, loc, m),
                                                 cst(outFactor));
            s = arith::AddFOp::create(nb, loc, s, scaled);
          }
        }
        if (indexMask) {
          Value j = arith::AddIOp::create(
              nb, loc, linalg::IndexOp::create(nb, loc, 0), k0);
          Value i = arith::AddIOp::create(
              nb, loc, linalg::IndexOp::create(nb, loc, 1), q0);
          Value diag = arith::AddIOp::create(nb, loc, i, diagOffset);
          Value visible =
              arith::CmpIOp::create(nb, loc, arith::CmpIPredicate::slt, j, lk);
          auto both = [&](Value c) {
            visible = arith::AndIOp::create(nb, loc, visible, c);
          };
          if (spec.right >= 0) {
            Value hi = arith::AddIOp::create(
                nb, loc, diag,
                arith::ConstantIndexOp::create(nb, loc, spec.right));
            both(arith::CmpIOp::create(nb, loc, arith::CmpIPredicate::sle, j,
                                       hi));
          }
          if (spec.left >= 0) {
            Value lo = arith::SubIOp::create(
                nb, loc, diag,
                arith::ConstantIndexOp::create(nb, loc, spec.left));
            both(arith::CmpIOp::create(nb, loc, arith::CmpIPredicate::sge, j,
                                       lo));
          }
          s = arith::SelectOp::create(nb, loc, visible, s, negInf);
        }
        linalg::YieldOp::create(nb, loc, ValueRange{s});
      });
}

SoftmaxState FlashBuilder::softmaxStep(const SoftmaxState &s, Value scoresT,
                                       Value vTile) {
  int64_t bq = spec.blockQ, bk = spec.blockK, dv = spec.valueDim;
  auto rowType = RankedTensorType::get({bq}, f32);
  // m_new = max(m_old, max_j Sᵀ[j, :]).
  Value newMax = generic(
      rowType, scoresT, s.max, {map(2, {0, 1}), map(2, {1})}, {kRed, kPar},
      [&](OpBuilder &nb, Location loc, ValueRange args) {
        linalg::YieldOp::create(
            nb, loc,
            ValueRange{arith::MaximumFOp::create(nb, loc, args[0], args[1])});
      });
  // alpha = exp2(m_old - m_new) rescales what was accumulated so far.
  Value alpha =
      generic(rowType, ValueRange{s.max, newMax}, emptyF32({bq}),
              {map(1, {0}), map(1, {0}), map(1, {0})}, {kPar},
              [&](OpBuilder &nb, Location loc, ValueRange args) {
                Value d = arith::SubFOp::create(nb, loc, args[0], args[1]);
                linalg::YieldOp::create(
                    nb, loc, ValueRange{math::Exp2Op::create(nb, loc, d)});
              });
  // P = exp2(Sᵀ - m_new).
  Value p =
      generic(RankedTensorType::get({bk, bq}, f32), ValueRange{scoresT, newMax},
              emptyF32({bk, bq}), {map(2, {0, 1}), map(2, {1}), map(2, {0, 1})},
              {kPar, kPar}, [&](OpBuilder &nb, Location loc, ValueRange args) {
                Value d = arith::SubFOp::create(nb, loc, args[0], args[1]);
                linalg::YieldOp::create(
                    nb, loc, ValueRange{math::Exp2Op::create(nb, loc, d)});
              });
  // l = alpha * l + Σ_j P.
  Value scaledSum = generic(
      rowType, ValueRange{s.sum, alpha}, emptyF32({bq}),
      {map(1, {0}), map(1, {0}), map(1, {0})}, {kPar},
      [&](OpBuilder &nb, Location loc, ValueRange args) {
        linalg::YieldOp::create(
            nb, loc,
            ValueRange{arith::MulFOp::create(nb, loc, args[0], args[1])});
      });
  Value newSum = generic(
      rowType, p, scaledSum, {map(2, {0, 1}), map(2, {1})}, {kRed, kPar},
      [&](OpBuilder &nb, Location loc, ValueRange args) {
        linalg::YieldOp::create(
            nb, loc,
            ValueRange{arith::AddFOp::create(nb, loc, args[0], args[1])});
      });
  // The accumulator is kept normalized, a weighted average of the value
  // rows seen so far, rather than FlashAttention's unnormalized sum: a sum
  // of up to Lk value rows overflows f32 when the values are near its
  // largest (3e38), where the average, like the true result, stays finite.
  // r = 1/l_new, 0 while no key was visible (then P and acc are 0 too); a
  // NaN l stays NaN.
  Value recip = generic(
      rowType, newSum, emptyF32({bq}), {map(1, {0}), map(1, {0})}, {kPar},
      [&](OpBuilder &nb, Location loc, ValueRange args) {
        Value zero =
            arith::ConstantOp::create(nb, loc, nb.getF32FloatAttr(0.0f));
        Value one =
            arith::ConstantOp::create(nb, loc, nb.getF32FloatAttr(1.0f));
        Value any = arith::CmpFOp::create(nb, loc, arith::CmpFPredicate::UNE,
                                          args[0], zero);
        Value r = arith::DivFOp::create(nb, loc, one, args[0]);
        linalg::YieldOp::create(
            nb, loc, ValueRange{arith::SelectOp::create(nb, loc, any, r, zero)});
      });
  // carry = alpha * l_old * r: the old average's share of the new one.
  Value carry = generic(
      rowType, ValueRange{alpha, s.sum, recip}, emptyF32({bq}),
      {map(1, {0}), map(1, {0}), map(1, {0}), map(1, {0})}, {kPar},
      [&](OpBuilder &nb, Location loc, ValueRange args) {
        Value al = arith::MulFOp::create(nb, loc, args[0], args[1]);
        linalg::YieldOp::create(
            nb, loc, ValueRange{arith::MulFOp::create(nb, loc, al, args[2])});
      });
  // P' = P * r: the new keys' weights in the average.
  Value pNorm =
      generic(RankedTensorType::get({bk, bq}, f32), ValueRange{p, recip},
              emptyF32({bk, bq}), {map(2, {0, 1}), map(2, {1}), map(2, {0, 1})},
              {kPar, kPar}, [&](OpBuilder &nb, Location loc, ValueRange args) {
                linalg::YieldOp::create(
                    nb, loc,
                    ValueRange{arith::MulFOp::create(nb, loc, args[0], args[1])});
              });
  // acc = carry * acc + P'ᵀ·V.
  auto accType = RankedTensorType::get({bq, dv}, f32);
  Value scaledAcc = generic(
      accType, ValueRange{s.acc, carry}, emptyF32({bq, dv}),
      {map(2, {0, 1}), map(2, {0}), map(2, {0, 1})}, {kPar, kPar},
      [&](OpBuilder &nb, Location loc, ValueRange args) {
        linalg::YieldOp::create(
            nb, loc,
            ValueRange{arith::MulFOp::create(nb, loc, args[0], args[1])});
      });
  Value newAcc = generic(
      accType, ValueRange{pNorm, vTile}, scaledAcc,
      {map(3, {2, 0}), map(3, {2, 1}), map(3, {0, 1})}, {kPar, kPar, kRed},
      [&](OpBuilder &nb, Location loc, ValueRange args) {
        Value prod =
            arith::MulFOp::create(nb, loc, args[0], toF32(nb, loc, args[1]));
        linalg::YieldOp::create(
            nb, loc, ValueRange{arith::AddFOp::create(nb, loc, prod, args[2])});
      });
  return {newMax, newSum, newAcc};
}

std::pair<Value, Value> FlashBuilder::argmaxStep(Value best, Value bestIdx,
                                                 Value scoresT, Value k0) {
  int64_t bq = spec.blockQ;
  // The lowest index wins ties whatever order the reduction runs in, and a
  // hidden (-inf) key is never taken, so an index of -1 means "none".
  auto op = linalg::GenericOp::create(
      b,
      TypeRange{RankedTensorType::get({bq}, f32),
                RankedTensorType::get({bq}, b.getI64Type())},
      ValueRange{scoresT}, ValueRange{best, bestIdx},
      ArrayRef<AffineMap>{map(2, {0, 1}), map(2, {1}), map(2, {1})},
      ArrayRef<IteratorType>{kRed, kPar},
      [&](OpBuilder &nb, Location loc, ValueRange args) {
        Value s = args[0], cur = args[1], curIdx = args[2];
        Value j = arith::IndexCastOp::create(
            nb, loc, nb.getI64Type(),
            arith::AddIOp::create(nb, loc, linalg::IndexOp::create(nb, loc, 0),
                                  k0));
        Value greater =
            arith::CmpFOp::create(nb, loc, arith::CmpFPredicate::OGT, s, cur);
        Value equal =
            arith::CmpFOp::create(nb, loc, arith::CmpFPredicate::OEQ, s, cur);
        Value earlier = arith::CmpIOp::create(
            nb, loc, arith::CmpIPredicate::slt, j, curIdx);
        Value take = arith::OrIOp::create(
            nb, loc, greater, arith::AndIOp::create(nb, loc, equal, earlier));
        linalg::YieldOp::create(
            nb, loc,
            ValueRange{arith::SelectOp::create(nb, loc, take, s, cur),
                       arith::SelectOp::create(nb, loc, take, j, curIdx)});
      });
  return {op.getResult(0), op.getResult(1)};
}

SmallVector<Value> FlashBuilder::forEachKeyBlock(Value q0, Value qRows,
                                                 ValueRange init, StepFn step) {
  int64_t bk = spec.blockK;
  Value lastQuery =
      arith::SubIOp::create(b, arith::AddIOp::create(b, q0, qRows), idx(1));
  // [jLo, jHi): the keys some query of the block may see.
  Value jLo = idx(0);
  if (spec.left >= 0) {
    Value lo = arith::SubIOp::create(
        b, arith::AddIOp::create(b, q0, diagOffset), idx(spec.left));
    jLo = arith::MaxSIOp::create(b, lo, idx(0));
  }
  Value jHi = lk;
  if (spec.right >= 0) {
    Value hi = arith::AddIOp::create(
        b, arith::AddIOp::create(b, lastQuery, diagOffset),
        idx(spec.right + 1));
    jHi = arith::MaxSIOp::create(b, arith::MinSIOp::create(b, hi, lk), jLo);
  }
  Value kbLo = arith::DivSIOp::create(b, jLo, idx(bk));
  Value kbHi = arith::CeilDivSIOp::create(b, jHi, idx(bk));
  Value fullBlocks = arith::DivSIOp::create(b, lk, idx(bk));
  Value mainHi = arith::MaxSIOp::create(
      b, arith::MinSIOp::create(b, kbHi, fullBlocks), kbLo);
  bool banded = spec.left >= 0 || spec.right >= 0;

  auto loop = scf::ForOp::create(
      b, kbLo, mainHi, idx(1), init,
      [&](OpBuilder &nb, Location loc, Value kb, ValueRange state) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
        Value k0 = arith::MulIOp::create(b, kb, idx(bk));
        Value kTile = keyValueTile(spec.key, k0, nullptr);
        Value vTile =
            spec.hard ? Value() : keyValueTile(spec.value, k0, nullptr);
        SmallVector<Value> next;
        if (!banded) {
          next = step(k0, kTile, vTile, nullptr, false, state);
        } else {
          // A block inside the band for every query of the block needs no
          // mask arithmetic.
          Value inside = arith::ConstantOp::create(b, b.getBoolAttr(true));
          Value kLast = arith::AddIOp::create(b, k0, idx(bk - 1));
          if (spec.right >= 0) {
            Value hi = arith::AddIOp::create(
                b, arith::AddIOp::create(b, q0, diagOffset), idx(spec.right));
            inside = arith::AndIOp::create(
                b, inside,
                arith::CmpIOp::create(b, arith::CmpIPredicate::sle, kLast, hi));
          }
          if (spec.left >= 0) {
            Value lo = arith::SubIOp::create(
                b, arith::AddIOp::create(b, lastQuery, diagOffset),
                idx(spec.left));
            inside = arith::AndIOp::create(
                b, inside,
                arith::CmpIOp::create(b, arith::CmpIPredicate::sge, k0, lo));
          }
          auto ifOp = scf::IfOp::create(b, ValueRange(state).getTypes(), inside,
                                        /*withElseRegion=*/true);
          for (bool masked : {false, true}) {
            OpBuilder::InsertionGuard branchGuard(b);
            Block *block = masked ? &ifOp.getElseRegion().front()
                                  : &ifOp.getThenRegion().front();
            b.setInsertionPointToStart(block);
            SmallVector<Value> r =
                step(k0, kTile, vTile, nullptr, masked, state);
            scf::YieldOp::create(b, r);
          }
          next = ifOp.getResults();
        }
        scf::YieldOp::create(b, next);
      });

  // The partial last block, when the band reaches it.
  Value hasTail =
      arith::CmpIOp::create(b, arith::CmpIPredicate::sgt, kbHi, fullBlocks);
  auto tailIf = scf::IfOp::create(b, loop.getResultTypes(), hasTail,
                                  /*withElseRegion=*/true);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&tailIf.getThenRegion().front());
    Value k0 = arith::MulIOp::create(b, fullBlocks, idx(bk));
    Value rows = arith::SubIOp::create(b, lk, k0);
    Value kTile = keyValueTile(spec.key, k0, rows);
    Value vTile = spec.hard ? Value() : keyValueTile(spec.value, k0, rows);
    scf::YieldOp::create(
        b, step(k0, kTile, vTile, rows, /*indexMask=*/true, loop.getResults()));
    b.setInsertionPointToStart(&tailIf.getElseRegion().front());
    scf::YieldOp::create(b, loop.getResults());
  }
  return tailIf.getResults();
}

SmallVector<Value> FlashBuilder::outputs() {
  auto queryType = cast<RankedTensorType>(spec.query.getType());
  Type elt = spec.elementType;
  int64_t dv = spec.valueDim;
  Value batchSize = dim(spec.query, 0);
  Value lq = dim(spec.query, 2);
  SmallVector<Value> dynSizes;
  if (queryType.isDynamicDim(0))
    dynSizes.push_back(batchSize);
  if (queryType.isDynamicDim(2))
    dynSizes.push_back(lq);
  auto outType = RankedTensorType::get(
      {queryType.getDimSize(0), spec.queryHeads, queryType.getDimSize(2), dv},
      elt);
  SmallVector<Value> outputs = {tensor::EmptyOp::create(b, outType, dynSizes)};
  RankedTensorType weightsType;
  if (spec.weights) {
    auto keyType = cast<RankedTensorType>(spec.key.getType());
    weightsType =
        RankedTensorType::get({queryType.getDimSize(0), spec.queryHeads,
                               queryType.getDimSize(2), keyType.getDimSize(2)},
                              elt);
    SmallVector<Value> wSizes = dynSizes;
    if (keyType.isDynamicDim(2))
      wSizes.push_back(dim(spec.key, 2));
    Value zero = arith::ConstantOp::create(b, b.getZeroAttr(elt));
    outputs.push_back(
        linalg::FillOp::create(
            b, zero,
            tensor::EmptyOp::create(b, weightsType, wSizes).getResult())
            .getResult(0));
  }
  return outputs;
}

SmallVector<Value> FlashBuilder::build(ValueRange outputs) {
  Type elt = spec.elementType;
  int64_t bq = spec.blockQ, dv = spec.valueDim;

  Value batchSize = dim(spec.query, 0);
  lq = dim(spec.query, 2);
  lk = dim(spec.key, 2);
  diagOffset = arith::SubIOp::create(b, lk, lq);
  Value queryBlocks = arith::CeilDivSIOp::create(b, lq, idx(bq));

  auto forall = scf::ForallOp::create(
      b,
      ArrayRef<OpFoldResult>{batchSize, b.getIndexAttr(spec.queryHeads),
                             queryBlocks},
      outputs, std::nullopt);
  Block *body = forall.getBody();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(body);
  batch = forall.getInductionVar(0);
  head = forall.getInductionVar(1);
  kvHead = arith::DivUIOp::create(b, head, idx(spec.groupSize));
  Value q0 = arith::MulIOp::create(b, forall.getInductionVar(2), idx(bq));
  Value qRows =
      arith::MinSIOp::create(b, arith::SubIOp::create(b, lq, q0), idx(bq));
  Value qT = scaledQueryT(tile(spec.query, batch, head, q0, qRows, bq));

  // The block's result tile [bq, dv] in f32.
  Value result;
  SmallVector<Value> finalState;
  if (spec.hard) {
    Value zeroIdx = arith::ConstantOp::create(b, b.getI64IntegerAttr(-1));
    Value idxInit =
        linalg::FillOp::create(
            b, zeroIdx,
            tensor::EmptyOp::create(b, ArrayRef<int64_t>{bq}, b.getI64Type())
                .getResult())
            .getResult(0);
    Value bestInit = filled({bq}, -std::numeric_limits<double>::infinity());
    finalState = forEachKeyBlock(
        q0, qRows, ValueRange{bestInit, idxInit},
        [&](Value k0, Value kTile, Value, Value kRows, bool indexMask,
            ValueRange state) -> SmallVector<Value> {
          Value s = scores(qT, kTile, q0, k0, kRows, indexMask);
          auto [best, bestIdx] = argmaxStep(state[0], state[1], s, k0);
          return {best, bestIdx};
        });
    // Gather the chosen value rows; a query that saw nothing gets 0.
    Value bestIdx = finalState[1];
    Value value = spec.value;
    Value vb = batch, vh = kvHead;
    result = generic(
        RankedTensorType::get({bq, dv}, f32), bestIdx, emptyF32({bq, dv}),
        {map(2, {0}), map(2, {0, 1})}, {kPar, kPar},
        [&](OpBuilder &nb, Location loc, ValueRange args) {
          Value found = arith::CmpIOp::create(
              nb, loc, arith::CmpIPredicate::sge, args[0],
              arith::ConstantOp::create(nb, loc, nb.getI64IntegerAttr(0)));
          Value row = arith::IndexCastOp::create(
              nb, loc, nb.getIndexType(),
              arith::MaxSIOp::create(
                  nb, loc, args[0],
                  arith::ConstantOp::create(nb, loc, nb.getI64IntegerAttr(0))));
          Value col = linalg::IndexOp::create(nb, loc, 1);
          Value v = tensor::ExtractOp::create(nb, loc, value,
                                              ValueRange{vb, vh, row, col});
          Value zero =
              arith::ConstantOp::create(nb, loc, nb.getF32FloatAttr(0.0f));
          linalg::YieldOp::create(
              nb, loc,
              ValueRange{arith::SelectOp::create(nb, loc, found,
                                                 toF32(nb, loc, v), zero)});
        });
  } else {
    SoftmaxState init{filled({bq}, -std::numeric_limits<float>::max()),
                      filled({bq}, 0.0), filled({bq, dv}, 0.0)};
    finalState = forEachKeyBlock(
        q0, qRows, ValueRange{init.max, init.sum, init.acc},
        [&](Value k0, Value kTile, Value vTile, Value kRows, bool indexMask,
            ValueRange state) -> SmallVector<Value> {
          Value s = scores(qT, kTile, q0, k0, kRows, indexMask);
          SoftmaxState next =
              softmaxStep({state[0], state[1], state[2]}, s, vTile);
          return {next.max, next.sum, next.acc};
        });
    // The accumulator is normalized already (softmaxStep); a row with no
    // visible key has l = 0 and an accumulator of 0, and a NaN or infinite
    // score made l, and so the row, NaN, as in the reference, PyTorch and
    // ORT.
    result = finalState[2];
  }

  // Back to the element type, then into the shared output.
  Value outTile = result;
  if (elt != f32)
    outTile = generic(
        RankedTensorType::get({bq, dv}, elt), result,
        tensor::EmptyOp::create(b, ArrayRef<int64_t>{bq, dv}, elt),
        {map(2, {0, 1}), map(2, {0, 1})}, {kPar, kPar},
        [&](OpBuilder &nb, Location loc, ValueRange args) {
          linalg::YieldOp::create(
              nb, loc,
              ValueRange{arith::TruncFOp::create(nb, loc, elt, args[0])});
        });
  auto rowsType = RankedTensorType::get({ShapedType::kDynamic, dv}, elt);
  Value rowsOut = tensor::ExtractSliceOp::create(
      b, rowsType, outTile,
      ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0)},
      ArrayRef<OpFoldResult>{qRows, b.getIndexAttr(dv)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});

  // The weights: a second pass over the same key blocks with the final max
  // and sum, writing normalised probabilities into a [rows, Lk] band.
  Value weightsRows;
  if (spec.weights) {
    int64_t bk = spec.blockK;
    auto bandType = RankedTensorType::get(
        {ShapedType::kDynamic, ShapedType::kDynamic}, elt);
    Value finalMax = finalState[0], finalSum = finalState[1];
    // Keys the loop skips (past the causal diagonal or the window) weigh 0,
    // except in a row whose sum is NaN: there every weight is NaN, as in
    // the reference and PyTorch, where exp(-inf - NaN) is NaN.
    Value rowSums = tensor::ExtractSliceOp::create(
        b, RankedTensorType::get({ShapedType::kDynamic}, f32), finalSum,
        ArrayRef<OpFoldResult>{b.getIndexAttr(0)}, ArrayRef<OpFoldResult>{qRows},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
    Value band = generic(
        bandType, rowSums,
        tensor::EmptyOp::create(b, bandType, ValueRange{qRows, lk}),
        {map(2, {0}), map(2, {0, 1})}, {kPar, kPar},
        [&](OpBuilder &nb, Location loc, ValueRange args) {
          Value isNan = arith::CmpFOp::create(
              nb, loc, arith::CmpFPredicate::UNO, args[0], args[0]);
          Value nan = arith::ConstantOp::create(
              nb, loc,
              nb.getFloatAttr(elt, std::numeric_limits<double>::quiet_NaN()));
          Value zero = arith::ConstantOp::create(nb, loc, nb.getZeroAttr(elt));
          linalg::YieldOp::create(
              nb, loc, ValueRange{arith::SelectOp::create(nb, loc, isNan, nan, zero)});
        });
    weightsRows = forEachKeyBlock(
        q0, qRows, ValueRange{band},
        [&](Value k0, Value kTile, Value, Value kRows, bool indexMask,
            ValueRange state) -> SmallVector<Value> {
          Value s = scores(qT, kTile, q0, k0, kRows, indexMask);
          // W[i, j] = exp2(Sᵀ[j, i] - m[i]) / l[i], transposed back.
          Value w = generic(
              RankedTensorType::get({bq, bk}, elt),
              ValueRange{s, finalMax, finalSum},
              tensor::EmptyOp::create(b, ArrayRef<int64_t>{bq, bk}, elt),
              {map(2, {1, 0}), map(2, {0}), map(2, {0}), map(2, {0, 1})},
              {kPar, kPar}, [&](OpBuilder &nb, Location loc, ValueRange args) {
                Value zeroF = arith::ConstantOp::create(
                    nb, loc, nb.getF32FloatAttr(0.0f));
                Value e = math::Exp2Op::create(
                    nb, loc, arith::SubFOp::create(nb, loc, args[0], args[1]));
                Value any = arith::CmpFOp::create(
                    nb, loc, arith::CmpFPredicate::UNE, args[2], zeroF);
                Value p = arith::SelectOp::create(
                    nb, loc, any, arith::DivFOp::create(nb, loc, e, args[2]),
                    zeroF);
                if (elt != nb.getF32Type())
                  p = arith::TruncFOp::create(nb, loc, elt, p);
                linalg::YieldOp::create(nb, loc, ValueRange{p});
              });
          Value cols = kRows ? kRows : idx(bk);
          Value part = tensor::ExtractSliceOp::create(
              b, bandType, w,
              ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0)},
              ArrayRef<OpFoldResult>{qRows, cols},
              ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
          Value updated = tensor::InsertSliceOp::create(
              b, part, state[0], ArrayRef<OpFoldResult>{b.getIndexAttr(0), k0},
              ArrayRef<OpFoldResult>{qRows, cols},
              ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
          return {updated};
        })[0];
  }

  // Publish the block's rows.
  b.setInsertionPointToEnd(forall.getTerminator().getBody());
  auto one = b.getIndexAttr(1);
  auto zeroAttr = b.getIndexAttr(0);
  tensor::ParallelInsertSliceOp::create(
      b, rowsOut, forall.getRegionIterArgs()[0],
      ArrayRef<OpFoldResult>{batch, head, q0, zeroAttr},
      ArrayRef<OpFoldResult>{one, one, qRows, b.getIndexAttr(dv)},
      ArrayRef<OpFoldResult>{one, one, one, one});
  if (spec.weights)
    tensor::ParallelInsertSliceOp::create(
        b, weightsRows, forall.getRegionIterArgs()[1],
        ArrayRef<OpFoldResult>{batch, head, q0, zeroAttr},
        ArrayRef<OpFoldResult>{one, one, qRows, lk},
        ArrayRef<OpFoldResult>{one, one, one, one});
  return forall.getResults();
}

/// Block sizes: the pass options when set, else a power of two that covers
/// short static lengths and stops at `cap`. 64 queries by 256 keys measured
/// best on an AVX-512 core at L=4096 (bench/RESULTS.md): longer key blocks
/// amortise the per-block softmax bookkeeping, and the working set (Qᵀ, the
/// K and V tiles, Sᵀ and the accumulator, about 200 KiB) still fits in L2.
/// The largest block an option may ask for: a 4096 x 4096 f32 score tile is
/// 64 MiB per thread, far past any block that runs fast, while larger ones
/// would build vectors and buffers of any size the option names.
constexpr int64_t kMaxBlock = 4096;

int64_t chooseBlock(int64_t option, int64_t length, int64_t cap) {
  if (option != 0)
    return option;
  if (ShapedType::isDynamic(length))
    return cap;
  return std::clamp<int64_t>(llvm::PowerOf2Ceil(length), 8, cap);
}

/// Block sizes for a key length only known at run time, each for lengths up
/// to `maxKeys` (the last for any): padding 17 keys to a 256-key block does
/// 15 times the work, while long sequences want long blocks. Measured on
/// attention at D = 32 (12 heads, 2-core Zen 4): 32×64 is 4× faster than
/// 64×256 at L = 17 (and within 5% of 32×32) and 1.6× at L = 128; 64×256
/// is within 3% of the best at L = 512.
struct BlockVariant {
  int64_t maxKeys, blockQ, blockK;
};
constexpr BlockVariant kDynamicVariants[] = {{256, 32, 64}, {-1, 64, 256}};

struct AttnTileFlashPass : attn::impl::AttnTileFlashBase<AttnTileFlashPass> {
  using Base::Base;

  /// Flash functions already built, by what determines their body, so that
  /// the identical attention of every layer of a model is compiled once.
  llvm::StringMap<func::FuncOp> outlined;
  /// Where the next flash function for a top-level op goes.
  DenseMap<Operation *, Operation *> insertAfter;

  /// What a flash function's body depends on, as text.
  static std::string specKey(const FlashSpec &spec, Operation *op) {
    std::string key;
    llvm::raw_string_ostream os(key);
    os << op->getName() << spec.hard << spec.cosine << spec.weights << ','
       << llvm::bit_cast<uint64_t>(spec.scale) << ','
       << (spec.softcap ? llvm::bit_cast<uint64_t>(*spec.softcap) : 0) << ','
       << spec.left << ',' << spec.right << ',' << spec.blockQ << ','
       << spec.blockK;
    for (Type t : op->getOperandTypes())
      os << ',' << t;
    for (Type t : op->getResultTypes())
      os << ',' << t;
    return key;
  }

  /// The private function computing `op` with `spec`'s blocks, built once
  /// per distinct body, after the function that holds `op`.
  func::FuncOp flashFunction(Operation *op, FlashSpec spec, ModuleOp module) {
    std::string key = specKey(spec, op);
    if (func::FuncOp existing = outlined.lookup(key))
      return existing;
    Operation *anchor = op;
    while (anchor->getParentOp() != module)
      anchor = anchor->getParentOp();
    // After the user's function and the flash functions already put there,
    // in the order they were made.
    Operation *&after = insertAfter[anchor];
    if (!after)
      after = anchor;
    // (q, k, v[, mask], output[, weights]) -> (output[, weights]): the
    // caller provides the results' tensors, so that after bufferization the
    // function writes into buffers its caller owns and returns nothing new.
    OpBuilder fb(op->getContext());
    SmallVector<Type> params(op->getOperandTypes());
    llvm::append_range(params, op->getResultTypes());
    auto fn =
        func::FuncOp::create(fb, op->getLoc(), "__attnc_flash",
                             fb.getFunctionType(params, op->getResultTypes()));
    fn.setPrivate();
    SymbolTable(module).insert(fn, std::next(Block::iterator(after)));
    after = fn;
    Block *entry = fn.addEntryBlock();
    ImplicitLocOpBuilder b =
        ImplicitLocOpBuilder::atBlockBegin(op->getLoc(), entry);
    spec.query = entry->getArgument(0);
    spec.key = entry->getArgument(1);
    spec.value = entry->getArgument(2);
    if (spec.mask)
      spec.mask = entry->getArgument(3);
    FlashBuilder builder(b, spec);
    func::ReturnOp::create(b, builder.build(entry->getArguments().drop_front(
                                  op->getNumOperands())));
    outlined[key] = fn;
    return fn;
  }

  /// A zero tensor like `like` (a q, k or v operand) but with `lastDim` as
  /// its last dimension; the others follow `like`'s, dynamic ones included.
  static Value zerosLike(ImplicitLocOpBuilder &b, Value like, int64_t lastDim) {
    auto type = cast<RankedTensorType>(like.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape.back() = lastDim;
    SmallVector<Value> dynamic;
    for (int64_t i = 0, e = type.getRank() - 1; i < e; ++i)
      if (type.isDynamicDim(i))
        dynamic.push_back(tensor::DimOp::create(b, like, i));
    Value empty =
        tensor::EmptyOp::create(b, shape, type.getElementType(), dynamic);
    Value zero = arith::ConstantOp::create(
        b, b.getZeroAttr(type.getElementType()));
    return linalg::FillOp::create(b, zero, empty).getResult(0);
  }

  /// The sizes of `result` (an output [B, Hq, Lq, Dv] or weights
  /// [B, Hq, Lq, Lk] of `op`), read from the operands where dynamic.
  static SmallVector<OpFoldResult> resultSizes(ImplicitLocOpBuilder &b,
                                               Operation *op, Value result) {
    auto type = cast<RankedTensorType>(result.getType());
    bool weights = result != op->getResult(0);
    SmallVector<OpFoldResult> sizes;
    for (int64_t i = 0; i < 4; ++i) {
      Value from = i < 3 ? op->getOperand(0) : op->getOperand(weights ? 1 : 2);
      int64_t dim = i < 3 ? i : (weights ? 2 : 3);
      sizes.push_back(type.isDynamicDim(i)
                          ? OpFoldResult(tensor::DimOp::create(b, from, dim))
                          : OpFoldResult(b.getIndexAttr(type.getDimSize(i))));
    }
    return sizes;
  }

  /// Static sizes of 0 that the tile loops cannot slice, rewritten into
  /// what they equal: no keys at all gives zeros (every row sees nothing;
  /// the weights [.., Lq, 0] hold nothing); a head dim of 0 becomes 1 on
  /// zero q and k (an empty dot product is 0, as is one of zeros); a value
  /// dim of 0 becomes 1 on a zero v, sliced off the output again. Returns
  /// the op to tile, or null when `op` is replaced already.
  static Operation *rewriteZeroSizes(Operation *op, IRRewriter &rewriter) {
    auto dimOf = [&](unsigned operand, int64_t dim) {
      return cast<RankedTensorType>(op->getOperand(operand).getType())
          .getDimSize(dim);
    };
    rewriter.setInsertionPoint(op);
    ImplicitLocOpBuilder b(op->getLoc(), rewriter);
    if (dimOf(1, 2) == 0) {
      SmallVector<Value> results;
      for (Value r : op->getResults()) {
        auto type = cast<RankedTensorType>(r.getType());
        Value empty = tensor::EmptyOp::create(b, resultSizes(b, op, r),
                                              type.getElementType());
        Value zero =
            arith::ConstantOp::create(b, b.getZeroAttr(type.getElementType()));
        results.push_back(linalg::FillOp::create(b, zero, empty).getResult(0));
      }
      rewriter.replaceOp(op, results);
      return nullptr;
    }
    if (dimOf(0, 3) == 0) {
      Value q = zerosLike(b, op->getOperand(0), 1);
      Value k = zerosLike(b, op->getOperand(1), 1);
      rewriter.modifyOpInPlace(op, [&] {
        op->setOperand(0, q);
        op->setOperand(1, k);
      });
    }
    if (dimOf(2, 3) == 0) {
      Value output = op->getResult(0);
      SmallVector<OpFoldResult> sizes = resultSizes(b, op, output);
      Value v = zerosLike(b, op->getOperand(2), 1);
      Operation *padded = rewriter.clone(*op);
      padded->setOperand(2, v);
      auto type = cast<RankedTensorType>(output.getType());
      SmallVector<int64_t> shape(type.getShape());
      shape.back() = 1;
      padded->getResult(0).setType(type.clone(shape));
      SmallVector<Value> results(padded->getResults());
      OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
      results[0] = tensor::ExtractSliceOp::create(
          b, type, padded->getResult(0), SmallVector<OpFoldResult>(4, zero),
          sizes, SmallVector<OpFoldResult>(4, one));
      rewriter.replaceOp(op, results);
      return padded;
    }
    return op;
  }

  LogicalResult rewrite(Operation *op, IRRewriter &rewriter) {
    op = rewriteZeroSizes(op, rewriter);
    if (!op)
      return success();
    FlashSpec spec;
    // sdpa and hard share their operands, (query, key, value[, mask]), as
    // flashFunction's parameters do too.
    spec.query = op->getOperand(0);
    spec.key = op->getOperand(1);
    spec.value = op->getOperand(2);
    if (op->getNumOperands() > 3)
      spec.mask = op->getOperand(3);
    spec.hard = isa<HardOp>(op);
    if (auto sdpa = dyn_cast<SDPAOp>(op))
      spec.weights = static_cast<bool>(sdpa.getWeights());
    auto qType = cast<RankedTensorType>(spec.query.getType());
    auto kType = cast<RankedTensorType>(spec.key.getType());
    auto vType = cast<RankedTensorType>(spec.value.getType());
    spec.elementType = qType.getElementType();
    spec.headDim = qType.getDimSize(3);
    spec.valueDim = vType.getDimSize(3);
    AttentionSettings settings =
        cast<AttentionOpInterface>(op).getAttentionSettings();
    spec.cosine = settings.score == ScoreKind::Cosine;
    spec.softcap = settings.softcap;
    spec.scale = settings.effectiveScale(spec.headDim);
    VisibleBand band = settings.band();
    spec.left = band.left;
    spec.right = band.right;
    spec.queryHeads = settings.numHeads;
    spec.groupSize = settings.groupSize();

    // One set of blocks, or one per range of the run-time key length.
    SmallVector<BlockVariant> variants;
    if (queryBlock == 0 && keyBlock == 0 && kType.isDynamicDim(2))
      variants.assign(std::begin(kDynamicVariants), std::end(kDynamicVariants));
    else
      variants.push_back({-1, chooseBlock(queryBlock, qType.getDimSize(2), 64),
                          chooseBlock(keyBlock, kType.getDimSize(2), 256)});
    for (BlockVariant &v : variants) {
      // A static query length still picks its own query block.
      if (queryBlock != 0 || !qType.isDynamicDim(2))
        v.blockQ = chooseBlock(queryBlock, qType.getDimSize(2), 64);
      for (auto [name, size] :
           {std::pair<StringRef, int64_t>{"query-block", v.blockQ},
            {"key-block", v.blockK}})
        if (size <= 0 || size % 8 != 0 || size > kMaxBlock)
          return op->emitOpError()
                 << "attn-tile-flash: " << name << " " << size
                 << " must be a positive multiple of 8, at most " << kMaxBlock;
    }

    rewriter.setInsertionPoint(op);
    ImplicitLocOpBuilder b(op->getLoc(), rewriter);
    auto module = op->getParentOfType<ModuleOp>();
    if (!module) {
      // Nothing to hold a function: the loops go in place.
      spec.blockQ = variants.back().blockQ;
      spec.blockK = variants.back().blockK;
      FlashBuilder builder(b, spec);
      rewriter.replaceOp(op, builder.build(builder.outputs()));
      return success();
    }
    SmallVector<Value> args(op->getOperands());
    llvm::append_range(args, FlashBuilder(b, spec).outputs());
    auto call = [&](const BlockVariant &v) {
      FlashSpec s = spec;
      s.blockQ = v.blockQ;
      s.blockK = v.blockK;
      func::FuncOp fn = flashFunction(op, s, module);
      return func::CallOp::create(b, fn, args).getResults();
    };
    // if (Lk <= max0) f0 else if (Lk <= max1) f1 else ... f_last.
    std::function<SmallVector<Value>(size_t)> select =
        [&](size_t i) -> SmallVector<Value> {
      if (i + 1 == variants.size())
        return SmallVector<Value>(call(variants[i]));
      Value lk = tensor::DimOp::create(b, spec.key, 2);
      Value fits = arith::CmpIOp::create(
          b, arith::CmpIPredicate::sle, lk,
          arith::ConstantIndexOp::create(b, variants[i].maxKeys));
      auto ifOp = scf::IfOp::create(b, op->getResultTypes(), fits,
                                    /*withElseRegion=*/true);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&ifOp.getThenRegion().front());
      scf::YieldOp::create(b, call(variants[i]));
      b.setInsertionPointToStart(&ifOp.getElseRegion().front());
      scf::YieldOp::create(b, select(i + 1));
      return SmallVector<Value>(ifOp.getResults());
    };
    rewriter.replaceOp(op, select(0));
    return success();
  }

  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (isa<SDPAOp, HardOp>(op))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : ops)
      if (failed(rewrite(op, rewriter)))
        return signalPassFailure();
  }
};

} // namespace
