//===- Attention.cpp - The ONNX Attention node (opsets 23 and 24) ---------===//
//
// The semantics followed are those of the onnx 1.22.0 reference
// implementation (onnx/reference/ops/op_attention.py), which produced the
// conformance outputs; frontend/README.md lists where attn's documented
// decisions differ from it. Y is one `attn.sdpa`; layout changes, the
// KV-cache concatenation, masks that `attn.sdpa` cannot express by itself
// and `qk_matmul_output` use upstream tensor/linalg/arith/math ops. The
// node's inputs must have static shapes.
//
//===----------------------------------------------------------------------===//

#include "frontend/onnx/Importer.h"

#include "runtime/Tensor.h"

#include "dialect/AttnDialect.h"
#include "dialect/AttnOps.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <limits>
#include <optional>
#include <string>

using namespace mlir;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

namespace {

/// The positions of the Attention node's inputs and outputs.
enum InputIndex { Q, K, V, Mask, PastKey, PastValue, NonpadKvSeqlen };
enum OutputIndex { Y, PresentKey, PresentValue, QkMatmulOutput };

constexpr const char *inputNames[] = {
    "Q", "K", "V", "attn_mask", "past_key", "past_value", "nonpad_kv_seqlen"};

std::string dataTypeName(int32_t type) {
  if (onnx::TensorProto_DataType_IsValid(type))
    return onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(type));
  return "data type " + std::to_string(type);
}

std::string formatDouble(double value) {
  return llvm::formatv("{0}", value).str();
}

std::string shapeOf(ArrayRef<int64_t> shape) {
  return attnc::shapeString(shape);
}

/// The Attention node's attributes, with the reference's defaults.
struct Attributes {
  std::optional<double> scale;
  /// The reference applies softcap only when it is positive.
  double softcap = 0.0;
  bool causal = false;
  std::optional<int64_t> qNumHeads, kvNumHeads;
  int64_t qkMode = 0;
};

class AttentionNode {
public:
  explicit AttentionNode(attnc::frontend::onnx_import::Importer &im)
      : im(im), b(im.builder()), loc(im.loc()), opset(im.opset()) {}

  llvm::Error run();

private:
  /// An error naming the file and, once it is known, the node.
  llvm::Error fail(const Twine &message) const { return im.fail(message); }

  llvm::Error readAttributes(const onnx::NodeProto &node);
  llvm::Error checkInputs();
  void emit();

  // Emission helpers; shapes are static.
  RankedTensorType typeOf(Value v) const {
    return cast<RankedTensorType>(v.getType());
  }
  Value empty(ArrayRef<int64_t> shape, Type elementType) {
    return tensor::EmptyOp::create(b, loc, shape, elementType);
  }
  Value floatConst(Type type, double value) {
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
  }
  Value splitHeads(Value x, int64_t heads);
  Value mergeHeads(Value y);
  Value padMask(Value mask, int64_t keyLen);
  Value buildBias(Value mask, Value nonpad, ArrayRef<int64_t> scoreShape,
                  int64_t pastLen);
  Value qkOutput(Value q, Value k, Value bias, ArrayRef<int64_t> scoreShape);

  attnc::frontend::onnx_import::Importer &im;
  OpBuilder &b;
  Location loc;

  int64_t opset = 0;
  Attributes attrs;
  /// Node input i, or null when absent, and its value name.
  Value inputs[7];
  std::string inputValueNames[7];
  /// The attention's dimensions, derived from the inputs.
  bool threeD = false;
  int64_t batch = 0, qHeads = 0, kvHeads = 0, qLen = 0, kvLen = 0, pastLen = 0,
          headDim = 0, valueHeadDim = 0;
  Type floatType;
  /// Whether a graph output is qk_matmul_output, which costs extra work.
  bool wantQk = false;
  /// Node output i, once emitted.
  Value outputs[4];
};

llvm::Error AttentionNode::readAttributes(const onnx::NodeProto &node) {
  for (const onnx::AttributeProto &attr : node.attribute()) {
    const std::string &name = attr.name();
    auto expectType = [&](onnx::AttributeProto::AttributeType type,
                          StringRef what) -> llvm::Error {
      if (attr.type() == type)
        return llvm::Error::success();
      return fail("attribute '" + name + "' must be " + what);
    };
    auto readInt = [&](std::optional<int64_t> &out) -> llvm::Error {
      if (llvm::Error e = expectType(onnx::AttributeProto::INT, "an int"))
        return e;
      out = attr.i();
      return llvm::Error::success();
    };
    std::optional<int64_t> value;
    if (name == "scale" || name == "softcap") {
      if (llvm::Error e = expectType(onnx::AttributeProto::FLOAT, "a float"))
        return e;
      double f = attr.f();
      if (name == "scale") {
        // attn accepts no other scale: a negative one inverts attention.
        if (!std::isfinite(f) || f <= 0)
          return fail("attribute 'scale' must be positive and finite, got " +
                      formatDouble(f));
        attrs.scale = f;
      } else {
        if (std::isnan(f) || std::isinf(f))
          return fail("attribute 'softcap' must be finite, got " +
                      formatDouble(f));
        attrs.softcap = f;
      }
    } else if (name == "is_causal") {
      if (llvm::Error e = readInt(value))
        return e;
      if (*value != 0 && *value != 1)
        return fail("attribute 'is_causal' must be 0 or 1, got " +
                    Twine(*value));
      attrs.causal = *value == 1;
    } else if (name == "q_num_heads" || name == "kv_num_heads") {
      if (llvm::Error e = readInt(value))
        return e;
      if (*value <= 0)
        return fail("attribute '" + name + "' must be positive, got " +
                    Twine(*value));
      (name == "q_num_heads" ? attrs.qNumHeads : attrs.kvNumHeads) = value;
    } else if (name == "qk_matmul_output_mode") {
      if (llvm::Error e = readInt(value))
        return e;
      if (*value < 0 || *value > 3)
        return fail("attribute 'qk_matmul_output_mode' must be 0, 1, 2 or 3, "
                    "got " +
                    Twine(*value));
      attrs.qkMode = *value;
    } else if (name == "softmax_precision") {
      if (llvm::Error e = readInt(value))
        return e;
      // attnc's softmax runs in at least f32 (f16/bf16 inputs are extended),
      // so any float precision the spec allows is met or exceeded, except
      // double, which f32 does not meet.
      if (*value != onnx::TensorProto::FLOAT &&
          *value != onnx::TensorProto::FLOAT16 &&
          *value != onnx::TensorProto::BFLOAT16)
        return fail("attribute 'softmax_precision' " +
                    dataTypeName(static_cast<int32_t>(*value)) +
                    " is not supported (FLOAT, FLOAT16 and BFLOAT16 are)");
    } else {
      return fail("attribute '" + name + "' is not supported");
    }
  }
  return llvm::Error::success();
}

/// Checks the shapes and element types of the node's inputs and derives the
/// attention's dimensions, following what the reference computes.
llvm::Error AttentionNode::checkInputs() {
  auto present = [&](int i) { return static_cast<bool>(inputs[i]); };
  auto type = [&](int i) { return cast<RankedTensorType>(inputs[i].getType()); };
  auto shape = [&](int i) { return type(i).getShape(); };
  auto describe = [&](int i) {
    return std::string(inputNames[i]) + " ('" + inputValueNames[i] + "')";
  };

  for (int i : {Q, K, V})
    if (!present(i))
      return fail("required input " + Twine(inputNames[i]) + " (index " +
                  Twine(i) + ") is missing");

  floatType = type(Q).getElementType();
  if (!isa<Float32Type, Float16Type, BFloat16Type>(floatType))
    return fail(
        "input " + describe(Q) + " has element type " +
        attnc::frontend::onnx_import::Importer::typeName(floatType) +
        "; Q must be FLOAT, FLOAT16 or BFLOAT16");
  for (int i : {K, V, PastKey, PastValue})
    if (present(i) && type(i).getElementType() != floatType)
      return fail("input " + describe(i) + " must have the element type of Q");

  int64_t rank = type(Q).getRank();
  if (rank != 3 && rank != 4)
    return fail("input " + describe(Q) + " has rank " + Twine(rank) +
                "; Q, K and V must be 3-D [B, S, H*D] or 4-D [B, H, S, D]");
  if (type(K).getRank() != rank || type(V).getRank() != rank)
    return fail("Q, K and V must have the same rank; got " + Twine(rank) +
                ", " + Twine(type(K).getRank()) + " and " +
                Twine(type(V).getRank()));
  threeD = rank == 3;
  batch = shape(Q)[0];
  for (int i : {K, V})
    if (shape(i)[0] != batch)
      return fail("input " + describe(i) + " has batch " + Twine(shape(i)[0]) +
                  " but Q has batch " + Twine(batch));

  if (threeD) {
    if (!attrs.qNumHeads || !attrs.kvNumHeads)
      return fail("3-D inputs need the attributes 'q_num_heads' and "
                  "'kv_num_heads'");
    qHeads = *attrs.qNumHeads;
    kvHeads = *attrs.kvNumHeads;
    for (auto [i, heads] : {std::pair{Q, qHeads}, {K, kvHeads}, {V, kvHeads}})
      if (shape(i)[2] % heads != 0)
        return fail("input " + describe(i) + " has hidden size " +
                    Twine(shape(i)[2]) + ", which " + Twine(heads) +
                    " heads do not divide");
    qLen = shape(Q)[1];
    kvLen = shape(K)[1];
    headDim = shape(Q)[2] / qHeads;
    valueHeadDim = shape(V)[2] / kvHeads;
    if (shape(K)[2] / kvHeads != headDim)
      return fail("input " + describe(K) + " has head size " +
                  Twine(shape(K)[2] / kvHeads) + " but Q has head size " +
                  Twine(headDim));
    if (shape(V)[1] != kvLen)
      return fail("input " + describe(V) + " has sequence length " +
                  Twine(shape(V)[1]) + " but K has " + Twine(kvLen));
  } else {
    qHeads = shape(Q)[1];
    kvHeads = shape(K)[1];
    if (attrs.qNumHeads && *attrs.qNumHeads != qHeads)
      return fail("attribute 'q_num_heads' is " + Twine(*attrs.qNumHeads) +
                  " but Q has " + Twine(qHeads) + " heads");
    if (attrs.kvNumHeads && *attrs.kvNumHeads != kvHeads)
      return fail("attribute 'kv_num_heads' is " + Twine(*attrs.kvNumHeads) +
                  " but K has " + Twine(kvHeads) + " heads");
    if (shape(V)[1] != kvHeads)
      return fail("input " + describe(V) + " has " + Twine(shape(V)[1]) +
                  " heads but K has " + Twine(kvHeads));
    qLen = shape(Q)[2];
    kvLen = shape(K)[2];
    headDim = shape(Q)[3];
    valueHeadDim = shape(V)[3];
    if (shape(K)[3] != headDim)
      return fail("input " + describe(K) + " has head size " +
                  Twine(shape(K)[3]) + " but Q has head size " +
                  Twine(headDim));
    if (shape(V)[2] != kvLen)
      return fail("input " + describe(V) + " has sequence length " +
                  Twine(shape(V)[2]) + " but K has " + Twine(kvLen));
  }
  if (qHeads % kvHeads != 0)
    return fail("Q's " + Twine(qHeads) +
                " heads are not a multiple of K and V's " + Twine(kvHeads));

  if (present(PastKey) != present(PastValue))
    return fail("past_key and past_value must be given together");
  if (present(PastKey)) {
    for (auto [i, dim] :
         {std::pair{PastKey, headDim}, {PastValue, valueHeadDim}}) {
      ArrayRef<int64_t> s = shape(i);
      if (s.size() != 4 || s[0] != batch || s[1] != kvHeads || s[3] != dim)
        return fail("input " + describe(i) + " has shape " + shapeOf(s) +
                    ", expected [" + Twine(batch) + ", " + Twine(kvHeads) +
                    ", past_len, " + Twine(dim) + "]");
    }
    pastLen = shape(PastKey)[2];
    if (shape(PastValue)[2] != pastLen)
      return fail("past_key and past_value have different lengths, " +
                  Twine(pastLen) + " and " + Twine(shape(PastValue)[2]));
  }
  int64_t keyLen = pastLen + kvLen;

  if (present(Mask)) {
    Type t = type(Mask).getElementType();
    if (!t.isInteger(1) && t != floatType)
      return fail("input " + describe(Mask) +
                  " must be BOOL or have the element type of Q");
    ArrayRef<int64_t> s = shape(Mask);
    if (s.empty() || s.size() > 4)
      return fail("input " + describe(Mask) + " has rank " + Twine(s.size()) +
                  "; attn_mask must have rank 1 to 4");
    if (s.back() > keyLen)
      return fail("input " + describe(Mask) + " covers " + Twine(s.back()) +
                  " keys, more than the " + Twine(keyLen) +
                  " of past_key and K");
    int64_t target[4] = {batch, qHeads, qLen, keyLen};
    for (size_t d = 0; d + 1 < s.size(); ++d) {
      int64_t t4 = target[4 - s.size() + d];
      if (s[d] != 1 && s[d] != t4)
        return fail("input " + describe(Mask) + " of shape " + shapeOf(s) +
                    " does not broadcast to the scores [" + Twine(batch) +
                    ", " + Twine(qHeads) + ", " + Twine(qLen) + ", " +
                    Twine(keyLen) + "]");
    }
  }
  if (present(NonpadKvSeqlen)) {
    if (!type(NonpadKvSeqlen).getElementType().isInteger(64) ||
        shape(NonpadKvSeqlen) != ArrayRef<int64_t>{batch})
      return fail("input " + describe(NonpadKvSeqlen) +
                  " must be INT64 of shape [" + Twine(batch) + "]");
  }
  return llvm::Error::success();
}

/// [B, S, H*D] -> [B, H, S, D], as the reference's reshape and transpose.
Value AttentionNode::splitHeads(Value x, int64_t heads) {
  ArrayRef<int64_t> s = typeOf(x).getShape();
  Type et = typeOf(x).getElementType();
  SmallVector<ReassociationIndices> groups = {{0}, {1}, {2, 3}};
  Value split = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get({s[0], s[1], heads, s[2] / heads}, et), x,
      groups);
  return linalg::TransposeOp::create(
             b, loc, split, empty({s[0], heads, s[1], s[2] / heads}, et),
             ArrayRef<int64_t>{0, 2, 1, 3})
      .getResult()[0];
}

/// [B, H, S, Dv] -> [B, S, H*Dv].
Value AttentionNode::mergeHeads(Value y) {
  ArrayRef<int64_t> s = typeOf(y).getShape();
  Type et = typeOf(y).getElementType();
  Value t = linalg::TransposeOp::create(b, loc, y,
                                        empty({s[0], s[2], s[1], s[3]}, et),
                                        ArrayRef<int64_t>{0, 2, 1, 3})
                .getResult()[0];
  SmallVector<ReassociationIndices> groups = {{0}, {1}, {2, 3}};
  return tensor::CollapseShapeOp::create(b, loc, t, groups);
}

/// A mask narrower than the keys hides the rest: the reference pads it with
/// False or -inf.
Value AttentionNode::padMask(Value mask, int64_t keyLen) {
  RankedTensorType type = typeOf(mask);
  int64_t covered = type.getShape().back();
  if (covered == keyLen)
    return mask;
  SmallVector<int64_t> padShape(type.getShape());
  padShape.back() = keyLen - covered;
  auto padType = RankedTensorType::get(padShape, type.getElementType());
  Attribute fill =
      type.getElementType().isInteger(1)
          ? Attribute(b.getBoolAttr(false))
          : Attribute(b.getFloatAttr(type.getElementType(),
                                     -std::numeric_limits<double>::infinity()));
  Value pad = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(padType, ArrayRef<Attribute>{fill}));
  return tensor::ConcatOp::create(b, loc, type.getRank() - 1,
                                  ValueRange{mask, pad});
}

/// The reference's attn_bias as one additive float mask: the (padded) user
/// mask, bool turned into 0/-inf, plus -inf where its top-left causal rule
/// (key j hidden from query i iff j > i + past) or nonpad_kv_seqlen hide a
/// key. Broadcast to the smallest shape covering its parts; a float mask
/// alone is its own bias.
Value AttentionNode::buildBias(Value mask, Value nonpad,
                          ArrayRef<int64_t> scoreShape, int64_t past) {
  if (mask && !isa<IntegerType>(typeOf(mask).getElementType()) &&
      !attrs.causal && !nonpad)
    return mask;
  SmallVector<int64_t> shape = {1, 1, scoreShape[2], scoreShape[3]};
  ArrayRef<int64_t> maskShape;
  size_t offset = 0;
  if (mask) {
    maskShape = typeOf(mask).getShape();
    offset = 4 - maskShape.size();
    for (auto [d, size] : llvm::enumerate(maskShape))
      shape[offset + d] = std::max(shape[offset + d], size);
  }
  if (nonpad)
    shape[0] = scoreShape[0];

  SmallVector<AffineMap> maps;
  SmallVector<Value> inputs;
  if (mask) {
    SmallVector<AffineExpr> exprs;
    for (auto [d, size] : llvm::enumerate(maskShape))
      exprs.push_back(size == 1 && shape[offset + d] != 1
                          ? b.getAffineConstantExpr(0)
                          : b.getAffineDimExpr(offset + d));
    maps.push_back(AffineMap::get(4, 0, exprs, b.getContext()));
    inputs.push_back(mask);
  }
  if (nonpad) {
    maps.push_back(AffineMap::get(4, 0, {b.getAffineDimExpr(0)}, b.getContext()));
    inputs.push_back(nonpad);
  }
  maps.push_back(b.getMultiDimIdentityMap(4));
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);

  Type et = floatType;
  bool causal = attrs.causal;
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{RankedTensorType::get(shape, et)}, inputs,
      ValueRange{empty(shape, et)}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        double inf = std::numeric_limits<double>::infinity();
        Value zero =
            arith::ConstantOp::create(nb, nloc, nb.getFloatAttr(et, 0));
        Value minusInf =
            arith::ConstantOp::create(nb, nloc, nb.getFloatAttr(et, -inf));
        // The reference adds each part's 0/-inf to the bias; so does this,
        // so that a +inf in a float mask meets -inf as it does there.
        Value bias;
        auto add = [&](Value part) {
          bias = bias ? arith::AddFOp::create(nb, nloc, bias, part).getResult()
                      : part;
        };
        size_t next = 0;
        if (mask) {
          Value m = args[next++];
          add(m.getType().isInteger(1)
                  ? arith::SelectOp::create(nb, nloc, m, zero, minusInf)
                  : m);
        }
        if (causal) {
          Value i = linalg::IndexOp::create(nb, nloc, 2);
          Value j = linalg::IndexOp::create(nb, nloc, 3);
          if (past != 0)
            i = arith::AddIOp::create(
                nb, nloc, i,
                arith::ConstantIndexOp::create(nb, nloc, past).getResult());
          Value hidden =
              arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::sgt, j, i);
          add(arith::SelectOp::create(nb, nloc, hidden, minusInf, zero));
        }
        if (nonpad) {
          Value n = args[next++];
          Value j = arith::IndexCastOp::create(
              nb, nloc, nb.getI64Type(), linalg::IndexOp::create(nb, nloc, 3));
          Value visible =
              arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::slt, j, n);
          add(arith::SelectOp::create(nb, nloc, visible, zero, minusInf));
        }
        linalg::YieldOp::create(nb, nloc, bias);
      });
  return generic.getResult(0);
}

/// qk_matmul_output for modes 0-2, as the reference computes it: the scaled
/// scores, softcapped when softcap > 0 (modes 0 and 1 alike in onnx 1.22.0),
/// plus the bias in mode 2. Accumulates in f32 whatever the input type.
Value AttentionNode::qkOutput(Value q, Value k, Value bias,
                         ArrayRef<int64_t> scoreShape) {
  Type f32 = b.getF32Type();
  Type et = floatType;
  int64_t group = qHeads / kvHeads;

  // scores[b, h, i, j] = sum_d q[b, h, i, d] * k[b, h / group, j, d]
  AffineExpr d0 = b.getAffineDimExpr(0), d1 = b.getAffineDimExpr(1),
             d2 = b.getAffineDimExpr(2), d3 = b.getAffineDimExpr(3),
             d4 = b.getAffineDimExpr(4);
  AffineExpr kvHead = group == 1 ? d1 : d1.floorDiv(group);
  SmallVector<AffineMap> maps = {
      AffineMap::get(5, 0, {d0, d1, d2, d4}, b.getContext()),
      AffineMap::get(5, 0, {d0, kvHead, d3, d4}, b.getContext()),
      AffineMap::get(5, 0, {d0, d1, d2, d3}, b.getContext())};
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  Value init = linalg::FillOp::create(b, loc, ValueRange{floatConst(f32, 0.0)},
                                      ValueRange{empty(scoreShape, f32)})
                   .getResult(0);
  auto toF32 = [&](OpBuilder &nb, Location nloc, Value x) -> Value {
    return x.getType() == f32 ? x : arith::ExtFOp::create(nb, nloc, f32, x);
  };
  Value scores =
      linalg::GenericOp::create(
          b, loc, TypeRange{init.getType()}, ValueRange{q, k}, ValueRange{init},
          maps, iterators,
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            Value product = arith::MulFOp::create(
                nb, nloc, toF32(nb, nloc, args[0]), toF32(nb, nloc, args[1]));
            Value sum = arith::AddFOp::create(nb, nloc, args[2], product);
            linalg::YieldOp::create(nb, nloc, sum);
          })
          .getResult(0);

  double scale = attrs.scale.value_or(1.0 / std::sqrt(double(headDim)));
  double softcap = attrs.softcap;
  bool addBias = attrs.qkMode == 2 && bias;
  SmallVector<AffineMap> emaps = {b.getMultiDimIdentityMap(4)};
  SmallVector<Value> inputs = {scores};
  if (addBias) {
    // Broadcast numpy-style: right-aligned, size-1 dims stretch.
    ArrayRef<int64_t> s = typeOf(bias).getShape();
    size_t offset = 4 - s.size();
    SmallVector<AffineExpr> exprs;
    for (auto [d, size] : llvm::enumerate(s))
      exprs.push_back(size == 1 && scoreShape[offset + d] != 1
                          ? b.getAffineConstantExpr(0)
                          : b.getAffineDimExpr(offset + d));
    emaps.push_back(AffineMap::get(4, 0, exprs, b.getContext()));
    inputs.push_back(bias);
  }
  emaps.push_back(b.getMultiDimIdentityMap(4));
  SmallVector<utils::IteratorType> parallel(4, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{RankedTensorType::get(scoreShape, et)}, inputs,
             ValueRange{empty(scoreShape, et)}, emaps, parallel,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               auto cst = [&](double v) -> Value {
                 return arith::ConstantOp::create(nb, nloc,
                                                  nb.getFloatAttr(f32, v));
               };
               Value s = arith::MulFOp::create(nb, nloc, args[0], cst(scale));
               if (softcap > 0) {
                 Value t = math::TanhOp::create(
                     nb, nloc,
                     arith::DivFOp::create(nb, nloc, s, cst(softcap)));
                 s = arith::MulFOp::create(nb, nloc, t, cst(softcap));
               }
               if (addBias)
                 s = arith::AddFOp::create(nb, nloc, s,
                                           toF32(nb, nloc, args[1]));
               if (et != f32)
                 s = arith::TruncFOp::create(nb, nloc, et, s);
               linalg::YieldOp::create(nb, nloc, s);
             })
      .getResult(0);
}

/// Emits the body of `func`; fills `outputs`.
void AttentionNode::emit() {
  auto arg = [&](int i) -> Value { return inputs[i]; };

  Value q = arg(Q), k = arg(K), v = arg(V);
  if (threeD) {
    q = splitHeads(q, qHeads);
    k = splitHeads(k, kvHeads);
    v = splitHeads(v, kvHeads);
  }
  if (Value past = arg(PastKey))
    k = tensor::ConcatOp::create(b, loc, 2, ValueRange{past, k});
  if (Value past = arg(PastValue))
    v = tensor::ConcatOp::create(b, loc, 2, ValueRange{past, v});
  outputs[PresentKey] = k;
  outputs[PresentValue] = v;

  int64_t keyLen = pastLen + kvLen;
  SmallVector<int64_t> scoreShape = {batch, qHeads, qLen, keyLen};
  Value mask = arg(Mask) ? padMask(arg(Mask), keyLen) : Value();
  Value nonpad = arg(NonpadKvSeqlen);

  // attn's causal is bottom-right aligned (key j visible iff
  // j <= i + keyLen - qLen); the reference's is j <= i + past. They agree iff
  // qLen is the number of new keys. Otherwise, and whenever the bias itself
  // is an output (mode 2) or nonpad_kv_seqlen hides keys, the whole bias is
  // built explicitly.
  bool causalAligned = qLen == kvLen;
  bool explicitBias = (attrs.causal && !causalAligned) || nonpad ||
                      (wantQk && attrs.qkMode == 2 && (mask || attrs.causal));
  bool useCausalAttr = attrs.causal && !explicitBias;
  Value sdpaMask = mask;
  if (explicitBias)
    sdpaMask = buildBias(mask, nonpad, scoreShape, pastLen);

  bool weights = wantQk && attrs.qkMode == 3;
  auto sdpa = attn::SDPAOp::create(b, loc, q, k, v, sdpaMask, weights);
  if (attrs.scale)
    sdpa.setScaleAttr(b.getF64FloatAttr(*attrs.scale));
  if (attrs.softcap > 0)
    sdpa.setSoftcapAttr(b.getF64FloatAttr(attrs.softcap));
  if (useCausalAttr)
    sdpa.setCausal(true);

  Value y = sdpa.getOutput();
  outputs[Y] = threeD ? mergeHeads(y) : y;
  if (wantQk)
    outputs[QkMatmulOutput] =
        weights ? sdpa.getWeights()
                : qkOutput(q, k, explicitBias ? sdpaMask : Value(), scoreShape);
}

llvm::Error AttentionNode::run() {
  using attnc::frontend::onnx_import::OnnxValue;
  const onnx::NodeProto &node = im.node();
  if (llvm::Error e = readAttributes(node))
    return e;
  int maxInputs = opset >= 24 ? 7 : 6;
  if (node.input_size() > maxInputs)
    return fail("has " + Twine(node.input_size()) + " inputs; opset " +
                Twine(opset) + " allows at most " + Twine(maxInputs));
  if (node.output_size() > 4)
    return fail("has " + Twine(node.output_size()) +
                " outputs; Attention has at most 4");
  for (int i = 0; i < node.input_size(); ++i) {
    OnnxValue *v = im.input(i);
    if (!v)
      continue;
    if (!v->staticShape())
      return fail("input " + Twine(inputNames[i]) + " ('" + node.input(i) +
                  "') has shape " + im.shapeString(v->shape) +
                  "; Attention needs static shapes");
    inputs[i] = im.materialize(*v);
    inputValueNames[i] = node.input(i);
  }
  if (llvm::Error e = checkInputs())
    return e;
  wantQk = im.wantsOutput(QkMatmulOutput);
  emit();
  for (int i = 0; i < 4; ++i) {
    if (!im.wantsOutput(i))
      continue;
    SmallVector<int64_t> shape(
        cast<RankedTensorType>(outputs[i].getType()).getShape());
    attnc::frontend::onnx_import::SymShape sym;
    for (int64_t d : shape)
      sym.push_back(attnc::frontend::onnx_import::SymInt(d));
    im.setOutput(i, outputs[i], sym);
  }
  return llvm::Error::success();
}

llvm::Error attentionHandler(attnc::frontend::onnx_import::Importer &im) {
  return AttentionNode(im).run();
}

} // namespace

void attnc::frontend::onnx_import::registerAttentionOps(OpRegistry &r) {
  r.add("", "Attention", 23, attentionHandler);
}
