//===- LinalgOps.cpp - Gathers, Trilu, MatMul, Gemm, reductions, norms ----===//
//
// The nodes that are not elementwise and not pure data movement:
// Gather (attn.embedding for a 2-D float constant table on axis 0, else a
// linalg.generic with tensor.extract), GatherElements, Trilu, MatMul and
// Gemm (contractions), Softmax/LogSoftmax (attn ops), ReduceMean/Sum/Max
// (linalg.reduce) and LayerNormalization (attn.layer_norm over the last
// axis, else the formula).
//
//===----------------------------------------------------------------------===//

#include "frontend/onnx/Importer.h"

#include "onnx/onnx_pb.h"

#include "dialect/AttnDialect.h"
#include "dialect/AttnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace attnc::frontend::onnx_import;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

namespace {

bool isFloat(Type t) { return isa<FloatType>(t); }

llvm::Error needFloat(Importer &im, const OnnxValue &v, StringRef what) {
  if (isFloat(v.elementType))
    return llvm::Error::success();
  return im.fail(what + " has element type " +
                 Importer::typeName(v.elementType) + "; " +
                 im.node().op_type() +
                 " takes FLOAT, FLOAT16, BFLOAT16 or DOUBLE");
}

llvm::Error needIndices(Importer &im, const OnnxValue &v, StringRef what) {
  if (v.elementType.isInteger(32) || v.elementType.isInteger(64))
    return llvm::Error::success();
  return im.fail(what + " has element type " +
                 Importer::typeName(v.elementType) + "; it must be INT32 or "
                                                     "INT64");
}

/// The element at `index` of an integer tensor `t` inside a body, as an
/// index, with negative values counted from `size`.
Value wrapIndex(OpBuilder &nb, Location l, Value raw, Value size) {
  Value i = arith::IndexCastOp::create(nb, l, nb.getIndexType(), raw);
  Value zero = arith::ConstantIndexOp::create(nb, l, 0);
  Value negative =
      arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, i, zero);
  Value wrapped = arith::AddIOp::create(nb, l, i, size);
  return arith::SelectOp::create(nb, l, negative, wrapped, i);
}

SmallVector<utils::IteratorType> parallel(size_t n) {
  return SmallVector<utils::IteratorType>(n, utils::IteratorType::parallel);
}

//===----------------------------------------------------------------------===//
// Gather, GatherElements
//===----------------------------------------------------------------------===//

llvm::Error gather(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"axis"}))
    return e;
  OnnxValue *data, *indices;
  if (llvm::Error e = im.requireInputs({{0, "data", data},
                                        {1, "indices", indices}}))
    return e;
  if (llvm::Error e = needIndices(im, *indices, "input indices"))
    return e;
  int64_t rank = data->rank();
  if (rank == 0)
    return im.fail("input data must have rank at least 1");
  Expected<int64_t> axisAttr = im.intAttr("axis", 0);
  if (!axisAttr)
    return axisAttr.takeError();
  Expected<int64_t> axis = im.normalizeAxis(*axisAttr, rank, "axis");
  if (!axis)
    return axis.takeError();

  SymShape shape(data->shape.begin(), data->shape.begin() + *axis);
  shape.append(indices->shape.begin(), indices->shape.end());
  shape.append(data->shape.begin() + *axis + 1, data->shape.end());
  const SymInt &axisSize = data->shape[*axis];

  // Known elements (shape arithmetic): fold.
  std::optional<SmallVector<SymInt, 4>> known = im.knownElements(*data);
  std::optional<SmallVector<int64_t, 4>> index = im.constantInts(*indices);
  std::optional<SmallVector<int64_t, 4>> dataShape = data->staticShape();
  std::optional<SmallVector<int64_t, 4>> indexShape =
      indices->staticShape();
  if (known && index && dataShape && indexShape) {
    int64_t outer = 1, inner = 1, n = (*dataShape)[*axis];
    for (int64_t d = 0; d < *axis; ++d)
      outer *= (*dataShape)[d];
    for (int64_t d = *axis + 1; d < rank; ++d)
      inner *= (*dataShape)[d];
    SmallVector<SymInt, 4> out;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i : *index) {
        if (i < -n || i >= n)
          return im.fail("index " + Twine(i) + " is out of range for axis " +
                         Twine(*axis) + " of size " + Twine(n));
        int64_t row = i < 0 ? i + n : i;
        for (int64_t k = 0; k < inner; ++k)
          out.push_back((*known)[(o * n + row) * inner + k]);
      }
    im.setOutput(0, im.knownValue(data->elementType, shape, out));
    return llvm::Error::success();
  }
  if (index && axisSize.isConstant()) {
    int64_t n = *axisSize.constant();
    for (int64_t i : *index)
      if (i < -n || i >= n)
        return im.fail("index " + Twine(i) + " is out of range for axis " +
                       Twine(*axis) + " of size " + Twine(n));
  }

  // A table lookup: attn.embedding (negative constant indices excepted,
  // which it does not take).
  bool negativeConstant =
      index && llvm::any_of(*index, [](int64_t i) { return i < 0; });
  if (data->constant && rank == 2 && *axis == 0 &&
      isa<Float32Type, Float16Type, BFloat16Type>(data->elementType) &&
      !negativeConstant) {
    Value table = im.materialize(*data);
    Value ids = im.materialize(*indices);
    Value out = attn::EmbeddingOp::create(
        im.builder(), im.loc(), im.tensorType(shape, data->elementType),
        ids, table, im.builder().getF64FloatAttr(1.0));
    im.setOutput(0, out, shape);
    return llvm::Error::success();
  }

  OpBuilder &b = im.builder();
  Location loc = im.loc();
  Value source = im.materialize(*data);
  Value ids = im.materialize(*indices);
  Value size = im.indexValue(axisSize, source);
  int64_t q = indices->rank();
  size_t outRank = shape.size();
  SmallVector<AffineExpr> idExprs;
  for (int64_t d = 0; d < q; ++d)
    idExprs.push_back(b.getAffineDimExpr(*axis + d));
  SmallVector<AffineMap> maps = {
      AffineMap::get(outRank, 0, idExprs, b.getContext()),
      b.getMultiDimIdentityMap(outRank)};
  Value init = im.empty(shape, data->elementType, {source, ids});
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{ids}, ValueRange{init},
      maps, parallel(outRank),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        SmallVector<Value> at;
        for (int64_t d = 0; d < *axis; ++d)
          at.push_back(linalg::IndexOp::create(nb, l, d));
        at.push_back(wrapIndex(nb, l, args[0], size));
        for (int64_t d = *axis + 1; d < rank; ++d)
          at.push_back(linalg::IndexOp::create(nb, l, d - 1 + q));
        linalg::YieldOp::create(
            nb, l, ValueRange{tensor::ExtractOp::create(nb, l, source, at)});
      });
  im.setOutput(0, generic.getResult(0), shape);
  return llvm::Error::success();
}

llvm::Error gatherElements(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"axis"}))
    return e;
  OnnxValue *data, *indices;
  if (llvm::Error e = im.requireInputs({{0, "data", data},
                                        {1, "indices", indices}}))
    return e;
  if (llvm::Error e = needIndices(im, *indices, "input indices"))
    return e;
  int64_t rank = data->rank();
  if (rank == 0 || indices->rank() != rank)
    return im.fail("inputs data " + im.shapeString(data->shape) +
                   " and indices " + im.shapeString(indices->shape) +
                   " must have the same rank, at least 1");
  Expected<int64_t> axisAttr = im.intAttr("axis", 0);
  if (!axisAttr)
    return axisAttr.takeError();
  Expected<int64_t> axis = im.normalizeAxis(*axisAttr, rank, "axis");
  if (!axis)
    return axis.takeError();
  SymShape shape = indices->shape;
  OpBuilder &b = im.builder();
  Value source = im.materialize(*data);
  Value ids = im.materialize(*indices);
  Value size = im.indexValue(data->shape[*axis], source);
  Value init = im.empty(shape, data->elementType, {ids, source});
  SmallVector<AffineMap> maps(2, b.getMultiDimIdentityMap(rank));
  auto generic = linalg::GenericOp::create(
      b, im.loc(), TypeRange{init.getType()}, ValueRange{ids},
      ValueRange{init}, maps, parallel(rank),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        SmallVector<Value> at;
        for (int64_t d = 0; d < rank; ++d)
          at.push_back(d == *axis ? wrapIndex(nb, l, args[0], size)
                                  : linalg::IndexOp::create(nb, l, d));
        linalg::YieldOp::create(
            nb, l, ValueRange{tensor::ExtractOp::create(nb, l, source, at)});
      });
  im.setOutput(0, generic.getResult(0), shape);
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Trilu
//===----------------------------------------------------------------------===//

llvm::Error trilu(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"upper"}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "input", x}}))
    return e;
  int64_t rank = x->rank();
  if (rank < 2)
    return im.fail("input must have rank at least 2, got " + Twine(rank));
  Expected<int64_t> upper = im.intAttr("upper", 1);
  if (!upper)
    return upper.takeError();
  OpBuilder &b = im.builder();
  Location loc = im.loc();
  // k: a constant, or a scalar read at run time.
  Value k;
  if (OnnxValue *kv = im.input(1)) {
    if (!kv->elementType.isInteger(64) || kv->rank() > 1 ||
        (kv->rank() == 1 && !kv->shape[0].is(1)))
      return im.fail("input k must be an INT64 scalar");
    if (std::optional<SmallVector<int64_t, 4>> c = im.constantInts(*kv)) {
      k = arith::ConstantIndexOp::create(b, loc, (*c)[0]);
    } else {
      Value t = im.materialize(*kv);
      SmallVector<Value> at;
      if (kv->rank() == 1)
        at.push_back(arith::ConstantIndexOp::create(b, loc, 0));
      Value raw = tensor::ExtractOp::create(b, loc, t, at);
      k = arith::IndexCastOp::create(b, loc, b.getIndexType(), raw);
    }
  } else {
    k = arith::ConstantIndexOp::create(b, loc, 0);
  }
  Type et = x->elementType;
  bool keepUpper = *upper != 0;
  OnnxValue out = im.elementwiseTo(
      {x}, x->shape, et, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value i = linalg::IndexOp::create(nb, l, rank - 2);
        Value j = linalg::IndexOp::create(nb, l, rank - 1);
        // Upper keeps j - i >= k, lower keeps j - i <= k.
        Value diff = arith::SubIOp::create(nb, l, j, i);
        Value keep = arith::CmpIOp::create(
            nb, l, keepUpper ? arith::CmpIPredicate::sge
                             : arith::CmpIPredicate::sle,
            diff, k);
        Value zero;
        if (isa<FloatType>(et))
          zero = arith::ConstantOp::create(nb, l, nb.getFloatAttr(et, 0));
        else
          zero = arith::ConstantOp::create(nb, l, nb.getIntegerAttr(et, 0));
        return arith::SelectOp::create(nb, l, keep, a[0], zero).getResult();
      });
  im.setOutput(0, std::move(out));
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// MatMul, Gemm
//===----------------------------------------------------------------------===//

Value mulAdd(OpBuilder &nb, Location l, Value a, Value b, Value acc) {
  if (isa<FloatType>(a.getType()))
    return arith::AddFOp::create(
        nb, l, acc, arith::MulFOp::create(nb, l, a, b).getResult());
  return arith::AddIOp::create(nb, l, acc,
                               arith::MulIOp::create(nb, l, a, b).getResult());
}

} // namespace

Expected<OnnxValue> attnc::frontend::onnx_import::matMul(Importer &im,
                                                         OnnxValue &a,
                                                         OnnxValue &bv) {
  Type et = a.elementType;
  if (et != bv.elementType)
    return im.fail("inputs have different element types, " +
                   Importer::typeName(et) + " and " +
                   Importer::typeName(bv.elementType));
  if (et.isInteger(1) || et.isInteger(8))
    return im.fail("element type " + Importer::typeName(et) +
                   " is not supported (floats, INT32 and INT64 are)");
  if (a.rank() == 0 || bv.rank() == 0)
    return im.fail("inputs must have rank at least 1");
  // 1-D operands: a row (A) or a column (B), removed from the result.
  OnnxValue lhs = a, rhs = bv;
  bool vecA = lhs.rank() == 1, vecB = rhs.rank() == 1;
  if (vecA)
    lhs = im.reshape(lhs, {SymInt(1), lhs.shape[0]});
  if (vecB)
    rhs = im.reshape(rhs, {rhs.shape[0], SymInt(1)});
  const SymInt &kA = lhs.shape.back();
  const SymInt &kB = rhs.shape[rhs.rank() - 2];
  if (kA.isConstant() && kB.isConstant() && kA != kB)
    return im.fail("inner dimensions differ: A " + im.shapeString(a.shape) +
                   ", B " + im.shapeString(bv.shape));
  ArrayRef<SymInt> batchA = ArrayRef<SymInt>(lhs.shape).drop_back(2);
  ArrayRef<SymInt> batchB = ArrayRef<SymInt>(rhs.shape).drop_back(2);
  Expected<SymShape> batch = im.broadcastShapes({batchA, batchB});
  if (!batch)
    return batch.takeError();
  SymInt m = lhs.shape[lhs.rank() - 2], n = rhs.shape.back();
  SymShape shape = *batch;
  shape.push_back(m);
  shape.push_back(n);
  OpBuilder &b = im.builder();
  Location loc = im.loc();
  Value va = im.materialize(lhs), vb = im.materialize(rhs);
  Value init = im.filled(shape, et, 0.0, {va, vb});
  Value result;
  if (lhs.rank() == 2 && rhs.rank() == 2) {
    result = linalg::MatmulOp::create(b, loc, TypeRange{init.getType()},
                                      ValueRange{va, vb}, ValueRange{init})
                 .getResult(0);
  } else {
    // Loops (batch..., i, j, k); each operand reads its own batch dims
    // broadcast against the result's.
    size_t nb = batch->size();
    size_t loops = nb + 3;
    auto d = [&](size_t i) { return b.getAffineDimExpr(i); };
    auto operandMap = [&](ArrayRef<SymInt> opBatch, AffineExpr r,
                          AffineExpr c) {
      SmallVector<AffineExpr> exprs;
      size_t offset = nb - opBatch.size();
      for (auto [i, s] : llvm::enumerate(opBatch))
        exprs.push_back(s.is(1) && !(*batch)[offset + i].is(1)
                            ? b.getAffineConstantExpr(0)
                            : d(offset + i));
      exprs.push_back(r);
      exprs.push_back(c);
      return AffineMap::get(loops, 0, exprs, b.getContext());
    };
    SmallVector<AffineExpr> outExprs;
    for (size_t i = 0; i < nb + 2; ++i)
      outExprs.push_back(d(i));
    SmallVector<AffineMap> maps = {
        operandMap(batchA, d(nb), d(nb + 2)),
        operandMap(batchB, d(nb + 2), d(nb + 1)),
        AffineMap::get(loops, 0, outExprs, b.getContext())};
    SmallVector<utils::IteratorType> iterators = parallel(loops);
    iterators.back() = utils::IteratorType::reduction;
    result = linalg::GenericOp::create(
                 b, loc, TypeRange{init.getType()}, ValueRange{va, vb},
                 ValueRange{init}, maps, iterators,
                 [&](OpBuilder &nb2, Location l, ValueRange args) {
                   linalg::YieldOp::create(
                       nb2, l,
                       ValueRange{mulAdd(nb2, l, args[0], args[1], args[2])});
                 })
                 .getResult(0);
  }
  OnnxValue out = im.wrap(result, shape);
  if (!vecA && !vecB)
    return out;
  SymShape final = *batch;
  if (!vecA)
    final.push_back(m);
  if (!vecB)
    final.push_back(n);
  return im.reshape(out, final);
}

namespace {

llvm::Error matmul(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *a, *bv;
  if (llvm::Error e = im.requireInputs({{0, "A", a}, {1, "B", bv}}))
    return e;
  Expected<OnnxValue> out = matMul(im, *a, *bv);
  if (!out)
    return out.takeError();
  im.setOutput(0, std::move(*out));
  return llvm::Error::success();
}

llvm::Error gemm(Importer &im) {
  if (llvm::Error e =
          im.checkAttributes({"alpha", "beta", "transA", "transB"}))
    return e;
  OnnxValue *a, *bv;
  if (llvm::Error e = im.requireInputs({{0, "A", a}, {1, "B", bv}}))
    return e;
  OnnxValue *c = im.input(2);
  Expected<double> alpha = im.floatAttr("alpha", 1.0);
  if (!alpha)
    return alpha.takeError();
  Expected<double> beta = im.floatAttr("beta", 1.0);
  if (!beta)
    return beta.takeError();
  Expected<int64_t> transA = im.intAttr("transA", 0);
  if (!transA)
    return transA.takeError();
  Expected<int64_t> transB = im.intAttr("transB", 0);
  if (!transB)
    return transB.takeError();
  Type et = a->elementType;
  if (llvm::Error e = needFloat(im, *a, "input A"))
    return e;
  if (bv->elementType != et || (c && c->elementType != et))
    return im.fail("inputs must have the same element type");
  if (a->rank() != 2 || bv->rank() != 2)
    return im.fail("A " + im.shapeString(a->shape) + " and B " +
                   im.shapeString(bv->shape) + " must be 2-D");
  SymInt m = a->shape[*transA ? 1 : 0], k = a->shape[*transA ? 0 : 1];
  SymInt kb = bv->shape[*transB ? 1 : 0], n = bv->shape[*transB ? 0 : 1];
  if (k.isConstant() && kb.isConstant() && k != kb)
    return im.fail("inner dimensions differ: A " +
                   im.shapeString(a->shape) + ", B " +
                   im.shapeString(bv->shape));
  SymShape shape = {m, n};
  OpBuilder &b = im.builder();
  Location loc = im.loc();
  Value va = im.materialize(*a), vb = im.materialize(*bv);
  Value init = im.filled(shape, et, 0.0, {va, vb});
  Value y;
  if (!*transA && !*transB) {
    y = linalg::MatmulOp::create(b, loc, TypeRange{init.getType()},
                                 ValueRange{va, vb}, ValueRange{init})
            .getResult(0);
  } else {
    AffineExpr i = b.getAffineDimExpr(0), j = b.getAffineDimExpr(1),
               kk = b.getAffineDimExpr(2);
    SmallVector<AffineMap> maps = {
        AffineMap::get(3, 0,
                       *transA ? ArrayRef<AffineExpr>{kk, i}
                               : ArrayRef<AffineExpr>{i, kk},
                       b.getContext()),
        AffineMap::get(3, 0,
                       *transB ? ArrayRef<AffineExpr>{j, kk}
                               : ArrayRef<AffineExpr>{kk, j},
                       b.getContext()),
        AffineMap::get(3, 0, {i, j}, b.getContext())};
    SmallVector<utils::IteratorType> iterators = parallel(3);
    iterators.back() = utils::IteratorType::reduction;
    y = linalg::GenericOp::create(
            b, loc, TypeRange{init.getType()}, ValueRange{va, vb},
            ValueRange{init}, maps, iterators,
            [&](OpBuilder &nb, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  nb, l, ValueRange{mulAdd(nb, l, args[0], args[1], args[2])});
            })
            .getResult(0);
  }
  OnnxValue out = im.wrap(y, shape);
  if (*alpha == 1.0 && (!c || *beta == 0.0)) {
    im.setOutput(0, y, shape);
    return llvm::Error::success();
  }
  double al = *alpha, be = *beta;
  SmallVector<OnnxValue *> operands = {&out};
  if (c && be != 0.0)
    operands.push_back(c);
  bool withC = operands.size() == 2;
  if (withC) {
    Expected<SymShape> s = im.broadcastShapes({shape, c->shape});
    if (!s)
      return s.takeError();
    if (s->size() != 2 || ((*s)[0].isConstant() && m.isConstant() &&
                           (*s)[0] != m) ||
        ((*s)[1].isConstant() && n.isConstant() && (*s)[1] != n))
      return im.fail("C " + im.shapeString(c->shape) +
                     " does not broadcast to " + im.shapeString(shape));
  }
  im.setOutput(
      0, im.elementwiseTo(operands, shape, et,
                          [&](OpBuilder &nb, Location l, ValueRange args) {
                            Value r = args[0];
                            if (al != 1.0)
                              r = arith::MulFOp::create(
                                  nb, l, r,
                                  arith::ConstantOp::create(
                                      nb, l, nb.getFloatAttr(et, al)));
                            if (withC) {
                              Value cc = args[1];
                              if (be != 1.0)
                                cc = arith::MulFOp::create(
                                    nb, l, cc,
                                    arith::ConstantOp::create(
                                        nb, l, nb.getFloatAttr(et, be)));
                              r = arith::AddFOp::create(nb, l, r, cc);
                            }
                            return r;
                          }));
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Softmax, LogSoftmax
//===----------------------------------------------------------------------===//

template <bool isLog> llvm::Error softmax(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"axis"}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "input", x}}))
    return e;
  if (!isa<Float32Type, Float16Type, BFloat16Type>(x->elementType))
    return im.fail("input has element type " +
                   Importer::typeName(x->elementType) +
                   "; FLOAT, FLOAT16 and BFLOAT16 are supported");
  int64_t rank = x->rank();
  if (rank == 0)
    return im.fail("input must have rank at least 1");
  Expected<int64_t> axisAttr = im.intAttr("axis", -1);
  if (!axisAttr)
    return axisAttr.takeError();
  Expected<int64_t> axis = im.normalizeAxis(*axisAttr, rank, "axis");
  if (!axis)
    return axis.takeError();
  Value v = im.materialize(*x);
  Value out;
  if (isLog)
    out = attn::LogSoftmaxOp::create(im.builder(), im.loc(), v, *axis);
  else
    out = attn::SoftmaxOp::create(im.builder(), im.loc(), v, *axis);
  im.setOutput(0, out, x->shape);
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

enum class Reduce { Sum, Mean, Max };

/// Reduces `x` over `axes` (sorted, distinct) with linalg.reduce, then
/// divides by the count for the mean. The result keeps the reduced
/// dimensions as 1 when `keepDims`.
OnnxValue reduce(Importer &im, OnnxValue &x, ArrayRef<int64_t> axes,
                 Reduce kind, bool keepDims) {
  OpBuilder &b = im.builder();
  Location loc = im.loc();
  Type et = x.elementType;
  SymShape reduced, kept;
  SymInt count(1);
  for (auto [d, s] : llvm::enumerate(x.shape)) {
    if (llvm::is_contained(axes, static_cast<int64_t>(d))) {
      count = count * s;
      kept.push_back(SymInt(1));
    } else {
      reduced.push_back(s);
      kept.push_back(s);
    }
  }
  Value input = im.materialize(x);
  double initValue = 0.0;
  if (kind == Reduce::Max)
    initValue = isa<FloatType>(et)
                    ? -std::numeric_limits<double>::infinity()
                    : static_cast<double>(
                          et.isInteger(32)
                              ? std::numeric_limits<int32_t>::min()
                              : std::numeric_limits<int64_t>::min());
  Value init = im.filled(reduced, et, initValue, {input});
  if (kind == Reduce::Max && et.isInteger(1))
    init = im.filled(reduced, et, 0.0, {input}); // max of bools: or

  Value r = linalg::ReduceOp::create(
                b, loc, ValueRange{input}, ValueRange{init}, axes,
                [&](OpBuilder &nb, Location l, ValueRange args) {
                  Value v;
                  if (kind == Reduce::Max)
                    v = isa<FloatType>(et)
                            ? arith::MaximumFOp::create(nb, l, args[0],
                                                        args[1])
                                  .getResult()
                        : et.isInteger(1)
                            ? arith::OrIOp::create(nb, l, args[0], args[1])
                                  .getResult()
                            : arith::MaxSIOp::create(nb, l, args[0], args[1])
                                  .getResult();
                  else
                    v = isa<FloatType>(et)
                            ? arith::AddFOp::create(nb, l, args[0], args[1])
                                  .getResult()
                            : arith::AddIOp::create(nb, l, args[0], args[1])
                                  .getResult();
                  linalg::YieldOp::create(nb, l, ValueRange{v});
                })
                .getResult(0);
  OnnxValue out = im.wrap(r, reduced);
  if (kind == Reduce::Mean) {
    std::optional<int64_t> constantCount = count.constant();
    Value n = constantCount ? Value() : im.indexValue(count, input);
    OnnxValue sum = out;
    out = im.elementwiseTo({&sum}, reduced, et,
                           [&](OpBuilder &nb, Location l, ValueRange a) {
                             if (constantCount && isa<FloatType>(et))
                               return arith::DivFOp::create(
                                          nb, l, a[0],
                                          arith::ConstantOp::create(
                                              nb, l,
                                              nb.getFloatAttr(
                                                  et, static_cast<double>(
                                                          *constantCount))))
                                   .getResult();
                             Value c =
                                 constantCount
                                     ? arith::ConstantOp::create(
                                           nb, l,
                                           nb.getI64IntegerAttr(*constantCount))
                                           .getResult()
                                     : arith::IndexCastOp::create(
                                           nb, l, nb.getI64Type(), n)
                                           .getResult();
                             if (isa<FloatType>(et)) {
                               Value f = arith::SIToFPOp::create(nb, l, et, c);
                               return arith::DivFOp::create(nb, l, a[0], f)
                                   .getResult();
                             }
                             if (!et.isInteger(64))
                               c = arith::TruncIOp::create(nb, l, et, c);
                             return arith::DivSIOp::create(nb, l, a[0], c)
                                 .getResult();
                           });
  }
  if (keepDims)
    out = im.reshape(out, kept);
  return out;
}

template <Reduce kind> llvm::Error reduceOp(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"axes", "keepdims",
                                          "noop_with_empty_axes"}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "data", x}}))
    return e;
  bool boolMax = kind == Reduce::Max && im.opset() >= 20 &&
                 x->elementType.isInteger(1);
  if (!isFloat(x->elementType) && !x->elementType.isInteger(32) &&
      !x->elementType.isInteger(64) && !boolMax)
    return im.fail("input has element type " +
                   Importer::typeName(x->elementType) +
                   "; floats, INT32 and INT64 are supported (and BOOL for "
                   "ReduceMax from opset 20)");
  // ReduceSum takes its axes as an input from opset 13, the others from 18.
  bool axesInput = kind == Reduce::Sum || im.opset() >= 18;
  std::optional<SmallVector<int64_t, 4>> raw;
  if (axesInput) {
    if (im.attribute("axes"))
      return im.fail("attribute 'axes' is not supported at opset " +
                     Twine(im.opset()) + "; axes is an input");
    if (OnnxValue *a = im.input(1)) {
      raw = im.constantInts(*a);
      if (!raw || a->rank() != 1)
        return im.fail("input axes must be a 1-D integer tensor known when "
                       "the model is imported");
    }
  } else {
    Expected<std::optional<SmallVector<int64_t, 4>>> a = im.intsAttr("axes");
    if (!a)
      return a.takeError();
    raw = *a;
  }
  Expected<int64_t> keep = im.intAttr("keepdims", 1);
  if (!keep)
    return keep.takeError();
  Expected<int64_t> noop = im.intAttr("noop_with_empty_axes", 0);
  if (!noop)
    return noop.takeError();
  int64_t rank = x->rank();
  SmallVector<int64_t> axes;
  if (!raw || raw->empty()) {
    if (*noop) {
      im.setOutput(0, *x);
      return llvm::Error::success();
    }
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  } else {
    for (int64_t a : *raw) {
      Expected<int64_t> n = im.normalizeAxis(a, rank, "axis");
      if (!n)
        return n.takeError();
      if (!llvm::is_contained(axes, *n))
        axes.push_back(*n);
    }
    llvm::sort(axes);
  }
  im.setOutput(0, reduce(im, *x, axes, kind, *keep != 0));
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// LayerNormalization
//===----------------------------------------------------------------------===//

llvm::Error layerNorm(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"axis", "epsilon", "stash_type"}))
    return e;
  OnnxValue *x, *scale;
  if (llvm::Error e = im.requireInputs({{0, "X", x}, {1, "Scale", scale}}))
    return e;
  OnnxValue *bias = im.input(2);
  if (llvm::Error e = needFloat(im, *x, "input X"))
    return e;
  Type et = x->elementType;
  if (scale->elementType != et || (bias && bias->elementType != et))
    return im.fail("inputs X, Scale and B must have the same element type");
  int64_t rank = x->rank();
  if (rank == 0)
    return im.fail("input X must have rank at least 1");
  Expected<int64_t> axisAttr = im.intAttr("axis", -1);
  if (!axisAttr)
    return axisAttr.takeError();
  Expected<int64_t> axis = im.normalizeAxis(*axisAttr, rank, "axis");
  if (!axis)
    return axis.takeError();
  Expected<double> eps = im.floatAttr("epsilon", 1e-5);
  if (!eps)
    return eps.takeError();
  Expected<int64_t> stash = im.intAttr("stash_type", 1);
  if (!stash)
    return stash.takeError();
  if (*stash != 1)
    return im.fail("attribute 'stash_type' " + Twine(*stash) +
                   " is not supported (1, FLOAT, is)");
  ArrayRef<SymInt> normalized = ArrayRef<SymInt>(x->shape).drop_front(*axis);
  for (OnnxValue *p : {scale, bias}) {
    if (!p)
      continue;
    Expected<SymShape> s = im.broadcastShapes({normalized, p->shape});
    if (!s)
      return s.takeError();
    if (s->size() != normalized.size())
      return im.fail("Scale and B must broadcast to the normalized shape " +
                     im.shapeString(normalized));
  }
  const SymInt &last = x->shape.back();
  auto isVector = [&](OnnxValue *p) {
    return !p || (p->rank() == 1 && p->shape[0] == last);
  };
  bool statsWanted = im.wantsOutput(1) || im.wantsOutput(2);
  if (*axis == rank - 1 && isVector(scale) && isVector(bias) &&
      !statsWanted && isa<Float32Type, Float16Type, BFloat16Type>(et) &&
      *eps > 0) {
    Value xv = im.materialize(*x);
    Value g = im.materialize(*scale);
    Value beta = bias ? im.materialize(*bias)
                      : im.filled({last}, et, 0.0, {xv});
    auto op = attn::LayerNormOp::create(im.builder(), im.loc(), xv.getType(),
                                        xv, g, beta,
                                        im.builder().getF64FloatAttr(*eps));
    im.setOutput(0, op.getResult(), x->shape);
    return llvm::Error::success();
  }

  // The formula, in f32 for narrower floats (stash_type FLOAT).
  Type ct = et.getIntOrFloatBitWidth() < 32 ? im.builder().getF32Type() : et;
  auto castTo = [&](OnnxValue &v, Type t) -> OnnxValue {
    if (v.elementType == t)
      return v;
    return im.elementwiseTo({&v}, v.shape, t,
                            [&](OpBuilder &nb, Location l, ValueRange a) {
                              return Importer::castScalar(nb, l, a[0], t);
                            });
  };
  OnnxValue xc = castTo(*x, ct);
  SmallVector<int64_t> axes;
  for (int64_t d = *axis; d < rank; ++d)
    axes.push_back(d);
  OnnxValue mean = reduce(im, xc, axes, Reduce::Mean, true);
  Expected<OnnxValue> diff = im.elementwise(
      {&xc, &mean}, ct, [](OpBuilder &nb, Location l, ValueRange a) {
        return arith::SubFOp::create(nb, l, a[0], a[1]).getResult();
      });
  if (!diff)
    return diff.takeError();
  Expected<OnnxValue> sq = im.elementwise(
      {&*diff}, ct, [](OpBuilder &nb, Location l, ValueRange a) {
        return arith::MulFOp::create(nb, l, a[0], a[0]).getResult();
      });
  if (!sq)
    return sq.takeError();
  OnnxValue var = reduce(im, *sq, axes, Reduce::Mean, true);
  double epsilon = *eps;
  Expected<OnnxValue> inv = im.elementwise(
      {&var}, ct, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value e = arith::ConstantOp::create(nb, l, nb.getFloatAttr(ct, epsilon));
        Value s = math::SqrtOp::create(
            nb, l, arith::AddFOp::create(nb, l, a[0], e).getResult());
        Value one = arith::ConstantOp::create(nb, l, nb.getFloatAttr(ct, 1.0));
        return arith::DivFOp::create(nb, l, one, s).getResult();
      });
  if (!inv)
    return inv.takeError();
  OnnxValue scaleC = castTo(*scale, ct);
  std::optional<OnnxValue> biasC;
  if (bias)
    biasC = castTo(*bias, ct);
  SmallVector<OnnxValue *> operands = {&*diff, &*inv, &scaleC};
  if (biasC)
    operands.push_back(&*biasC);
  bool withBias = biasC.has_value();
  Expected<OnnxValue> y = im.elementwise(
      operands, et, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value r = arith::MulFOp::create(nb, l, a[0], a[1]);
        r = arith::MulFOp::create(nb, l, r, a[2]);
        if (withBias)
          r = arith::AddFOp::create(nb, l, r, a[3]);
        return Importer::castScalar(nb, l, r, et);
      });
  if (!y)
    return y.takeError();
  // Mean and InvStdDev are in the stash type.
  OnnxValue meanOut = mean, invOut = *inv;
  im.setOutput(0, std::move(*y));
  im.setOutput(1, std::move(meanOut));
  im.setOutput(2, std::move(invOut));
  return llvm::Error::success();
}

} // namespace

void attnc::frontend::onnx_import::registerLinalgOps(OpRegistry &r) {
  r.add("", "Gather", 13, gather);
  r.add("", "GatherElements", 13, gatherElements);
  r.add("", "Trilu", 14, trilu);
  r.add("", "MatMul", 13, matmul);
  r.add("", "Gemm", 13, gemm);
  r.add("", "Softmax", 13, softmax<false>);
  r.add("", "LogSoftmax", 13, softmax<true>);
  r.add("", "ReduceMean", 13, reduceOp<Reduce::Mean>);
  r.add("", "ReduceSum", 13, reduceOp<Reduce::Sum>);
  r.add("", "ReduceMax", 13, reduceOp<Reduce::Max>);
  r.add("", "LayerNormalization", 17, layerNorm);
}
