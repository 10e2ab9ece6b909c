//===- Interpreter.cpp - Evaluates attn IR with the reference evaluator ---===//

#include "reference/Interpreter.h"

#include "dialect/AttnInterfaces.h"
#include "dialect/AttnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>
#include <string>

using namespace mlir;
using attnc::ref::Tensor;

namespace ref = attnc::ref;

namespace {

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleaveComma(shape, os, [&](int64_t d) {
    if (ShapedType::isDynamic(d))
      os << "?";
    else
      os << d;
  });
  os << "]";
  return s;
}

std::string describe(Location loc) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << loc;
  return s;
}

llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Whether a computed shape fits a (possibly dynamic) tensor type.
bool fits(ArrayRef<int64_t> shape, RankedTensorType type) {
  if (static_cast<int64_t>(shape.size()) != type.getRank())
    return false;
  for (auto [d, t] : llvm::zip_equal(shape, type.getShape()))
    if (!ShapedType::isDynamic(t) && d != t)
      return false;
  return true;
}

/// Converts the raw little-endian bytes of a dense_resource constant to
/// fp64.
llvm::Expected<Tensor> fromResource(DenseResourceElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  Type elementType = type.getElementType();
  std::optional<llvm::ArrayRef<char>> bytes;
  if (AsmResourceBlob *blob = attr.getRawHandle().getBlob())
    bytes = blob->getData();
  if (!bytes)
    return fail("reference: dense_resource constant '" +
                attr.getRawHandle().getKey() + "' has no data");
  int64_t count = type.getNumElements();
  unsigned bits = elementType.getIntOrFloatBitWidth();
  if (bits % 8 != 0 || static_cast<int64_t>(bytes->size()) != count * bits / 8)
    return fail("reference: dense_resource constant '" +
                attr.getRawHandle().getKey() + "' holds " +
                llvm::Twine(bytes->size()) + " bytes, not " +
                llvm::Twine(count) + " elements of its type");
  std::vector<double> data(count);
  for (int64_t i = 0; i < count; ++i) {
    uint64_t raw = 0;
    std::memcpy(&raw, bytes->data() + i * (bits / 8), bits / 8);
    APInt value(bits, raw);
    if (auto f = dyn_cast<FloatType>(elementType))
      data[i] = APFloat(f.getFloatSemantics(), value).convertToDouble();
    else
      data[i] = static_cast<double>(value.getSExtValue());
  }
  return Tensor(std::vector<int64_t>(type.getShape()), std::move(data));
}

/// Converts a dense constant to fp64.
llvm::Expected<Tensor> fromAttr(DenseElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  std::vector<double> data;
  data.reserve(attr.getNumElements());
  Type elementType = type.getElementType();
  if (isa<FloatType>(elementType)) {
    for (const APFloat &value : attr.getValues<APFloat>())
      data.push_back(value.convertToDouble());
  } else if (elementType.isInteger(1)) {
    for (bool value : attr.getValues<bool>())
      data.push_back(value ? 1.0 : 0.0);
  } else if (isa<IntegerType>(elementType)) {
    for (const APInt &value : attr.getValues<APInt>())
      data.push_back(static_cast<double>(value.getSExtValue()));
  } else {
    return fail("reference: constant of element type that is neither float "
                "nor integer");
  }
  return Tensor(std::vector<int64_t>(type.getShape()), std::move(data));
}

/// The values of one function evaluation.
class Evaluation {
public:
  llvm::Error bind(Value value, Tensor tensor) {
    auto type = cast<RankedTensorType>(value.getType());
    if (!fits(tensor.shape, type))
      return fail("reference: computed shape " + formatShape(tensor.shape) +
                  " does not fit the result type " +
                  formatShape(type.getShape()) + " at " +
                  describe(value.getLoc()));
    values[value] = std::move(tensor);
    return llvm::Error::success();
  }

  const Tensor &get(Value value) const { return values.find(value)->second; }

  /// Binds a scalar (a function-level `arith.constant` of float, integer or
  /// index type, e.g. the value of a `linalg.fill`).
  void bindScalar(Value value, double scalar) { scalars[value] = scalar; }
  /// The value of a scalar operand, or null when it is not a known scalar.
  std::optional<double> scalar(Value value) const {
    auto it = scalars.find(value);
    if (it == scalars.end())
      return std::nullopt;
    return it->second;
  }

  /// Static sizes as they are, dynamic ones from the scalars they name
  /// (tensor.dim results, constants); `op` is named when one is unknown.
  llvm::Expected<std::vector<int64_t>> sizes(ArrayRef<OpFoldResult> mixed,
                                             Operation *op) const {
    std::vector<int64_t> out;
    for (OpFoldResult size : mixed) {
      if (std::optional<int64_t> c = getConstantIntValue(size)) {
        out.push_back(*c);
        continue;
      }
      std::optional<double> v = scalar(cast<Value>(size));
      if (!v)
        return fail("reference: a size or offset of " +
                    op->getName().getStringRef() + " at " +
                    describe(op->getLoc()) + " is not a known scalar");
      out.push_back(static_cast<int64_t>(*v));
    }
    return out;
  }

  /// The tensor of an optional operand, or null when it is absent.
  const Tensor *getOptional(Value value) const {
    return value ? &get(value) : nullptr;
  }

  /// An optional mask operand: i1 masks attend where true, float masks add.
  std::optional<ref::Mask> mask(Value value) const {
    if (!value)
      return std::nullopt;
    bool boolean =
        cast<RankedTensorType>(value.getType()).getElementType().isInteger(1);
    return ref::Mask{get(value), boolean ? ref::MaskKind::Boolean
                                         : ref::MaskKind::Additive};
  }

private:
  llvm::DenseMap<Value, Tensor> values;
  llvm::DenseMap<Value, double> scalars;
};

const ref::Mask *ptr(const std::optional<ref::Mask> &mask) {
  return mask ? &*mask : nullptr;
}

ref::ScoreKind toRef(attn::ScoreKind kind) {
  return kind == attn::ScoreKind::Cosine ? ref::ScoreKind::Cosine
                                         : ref::ScoreKind::Dot;
}

ref::Activation toRef(attn::Activation activation) {
  switch (activation) {
  case attn::Activation::Relu:
    return ref::Activation::Relu;
  case attn::Activation::Gelu:
    return ref::Activation::Gelu;
  case attn::Activation::GeluTanh:
    return ref::Activation::GeluTanh;
  }
  llvm_unreachable("unknown activation");
}

/// The reference's options for an attention op's settings. The scale stays
/// optional: the reference applies the 1/sqrt(D) default itself. For a
/// decoder layer `causal` is set (its self-attention's); ref::decoderLayer
/// makes the self-attention causal and the cross-attention not, either way.
ref::AttentionOptions
attentionOptions(const attn::AttentionSettings &settings) {
  ref::AttentionOptions options;
  options.scale = settings.scale;
  options.softcap = settings.softcap;
  options.score = toRef(settings.score);
  options.causal = settings.causal;
  options.window = settings.window;
  return options;
}

/// The attention options of `op`.
ref::AttentionOptions attentionOptions(attn::AttentionOpInterface op) {
  return attentionOptions(op.getAttentionSettings());
}

/// The encoder/decoder layer configuration of `op`.
template <typename OpTy> ref::LayerConfig layerConfig(OpTy op) {
  attn::AttentionSettings settings = op.getAttentionSettings();
  ref::LayerConfig config;
  config.numHeads = settings.numHeads;
  config.numKvHeads = settings.numKvHeads;
  config.normFirst = op.getNorm() == attn::NormPlacement::Pre;
  config.activation = toRef(op.getActivation());
  config.epsilon = op.getEpsilon().convertToDouble();
  config.attention = attentionOptions(settings);
  return config;
}

/// Copies the tensors of eight projection operands.
ref::MultiheadWeights projections(const Evaluation &e, Value qw, Value qb,
                                  Value kw, Value kb, Value vw, Value vb,
                                  Value ow, Value ob) {
  return {e.get(qw), e.get(qb), e.get(kw), e.get(kb),
          e.get(vw), e.get(vb), e.get(ow), e.get(ob)};
}

/// Binds the results of an attention op: the output, and the weights when
/// the op has a second result.
llvm::Error bindAttention(Evaluation &e, Operation *op,
                          llvm::Expected<ref::AttentionResult> result) {
  if (!result)
    return result.takeError();
  if (llvm::Error error = e.bind(op->getResult(0), std::move(result->output)))
    return error;
  if (op->getNumResults() == 2)
    return e.bind(op->getResult(1), std::move(result->weights));
  return llvm::Error::success();
}

/// Binds the single result of `op`.
llvm::Error bindOne(Evaluation &e, Operation *op,
                    llvm::Expected<Tensor> result) {
  if (!result)
    return result.takeError();
  return e.bind(op->getResult(0), std::move(*result));
}

/// The value of a scalar float, integer or index attribute.
std::optional<double> scalarOf(Attribute attr) {
  if (auto f = dyn_cast<FloatAttr>(attr))
    return f.getValue().convertToDouble();
  if (auto i = dyn_cast<IntegerAttr>(attr)) {
    if (i.getType().isInteger(1))
      return i.getValue().isZero() ? 0.0 : 1.0;
    return static_cast<double>(i.getValue().getSExtValue());
  }
  return std::nullopt;
}

/// Row-major strides of `shape`.
std::vector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/// The shape of a reshape's result: its type's static dims, with each dynamic
/// dim solved from the reassociation group it shares with the source.
llvm::Expected<std::vector<int64_t>>
reshapedShape(Operation *op, ArrayRef<int64_t> source,
              ArrayRef<ReassociationIndices> groups, bool expand) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  std::vector<int64_t> shape(type.getShape());
  for (auto [g, group] : llvm::enumerate(groups)) {
    if (!expand) {
      int64_t product = 1;
      for (int64_t d : group)
        product *= source[d];
      shape[g] = product;
      continue;
    }
    int64_t known = 1, dynamic = -1;
    for (int64_t d : group) {
      if (ShapedType::isDynamic(shape[d])) {
        if (dynamic >= 0)
          return fail("reference: more than one dynamic dimension in a "
                      "reassociation group of " +
                      op->getName().getStringRef() + " at " +
                      describe(op->getLoc()));
        dynamic = d;
      } else {
        known *= shape[d];
      }
    }
    if (dynamic >= 0)
      shape[dynamic] = known == 0 ? 0 : source[g] / known;
  }
  return shape;
}

/// Evaluates one scalar op of a linalg.generic body at iteration `point`.
llvm::Expected<double> scalarStep(Operation *op,
                                  const llvm::DenseMap<Value, double> &env,
                                  ArrayRef<int64_t> point) {
  auto in = [&](unsigned i) { return env.find(op->getOperand(i))->second; };
  auto unsupported = [&]() {
    return fail("reference: unsupported op '" + op->getName().getStringRef() +
                "' in the body of linalg.generic at " + describe(op->getLoc()));
  };
  if (auto c = dyn_cast<arith::ConstantOp>(op)) {
    if (std::optional<double> v = scalarOf(c.getValue()))
      return *v;
    return unsupported();
  }
  if (auto index = dyn_cast<linalg::IndexOp>(op))
    return static_cast<double>(point[index.getDim()]);
  if (auto cmp = dyn_cast<arith::CmpIOp>(op)) {
    double a = in(0), b = in(1);
    switch (cmp.getPredicate()) {
    case arith::CmpIPredicate::eq:
      return a == b;
    case arith::CmpIPredicate::ne:
      return a != b;
    case arith::CmpIPredicate::slt:
    case arith::CmpIPredicate::ult:
      return a < b;
    case arith::CmpIPredicate::sle:
    case arith::CmpIPredicate::ule:
      return a <= b;
    case arith::CmpIPredicate::sgt:
    case arith::CmpIPredicate::ugt:
      return a > b;
    case arith::CmpIPredicate::sge:
    case arith::CmpIPredicate::uge:
      return a >= b;
    }
    return unsupported();
  }
  if (auto cmp = dyn_cast<arith::CmpFOp>(op)) {
    double a = in(0), b = in(1);
    bool unordered = std::isnan(a) || std::isnan(b);
    switch (cmp.getPredicate()) {
    case arith::CmpFPredicate::AlwaysFalse:
      return 0.0;
    case arith::CmpFPredicate::AlwaysTrue:
      return 1.0;
    case arith::CmpFPredicate::OEQ:
      return !unordered && a == b;
    case arith::CmpFPredicate::ONE:
      return !unordered && a != b;
    case arith::CmpFPredicate::OLT:
      return !unordered && a < b;
    case arith::CmpFPredicate::OLE:
      return !unordered && a <= b;
    case arith::CmpFPredicate::OGT:
      return !unordered && a > b;
    case arith::CmpFPredicate::OGE:
      return !unordered && a >= b;
    case arith::CmpFPredicate::ORD:
      return !unordered;
    case arith::CmpFPredicate::UEQ:
      return unordered || a == b;
    case arith::CmpFPredicate::UNE:
      return unordered || a != b;
    case arith::CmpFPredicate::ULT:
      return unordered || a < b;
    case arith::CmpFPredicate::ULE:
      return unordered || a <= b;
    case arith::CmpFPredicate::UGT:
      return unordered || a > b;
    case arith::CmpFPredicate::UGE:
      return unordered || a >= b;
    case arith::CmpFPredicate::UNO:
      return unordered;
    }
    return unsupported();
  }
  return llvm::TypeSwitch<Operation *, llvm::Expected<double>>(op)
      .Case([&](arith::AddFOp) { return in(0) + in(1); })
      .Case([&](arith::SubFOp) { return in(0) - in(1); })
      .Case([&](arith::MulFOp) { return in(0) * in(1); })
      .Case([&](arith::DivFOp) { return in(0) / in(1); })
      .Case([&](arith::NegFOp) { return -in(0); })
      .Case([&](arith::MaximumFOp) {
        double a = in(0), b = in(1);
        return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b);
      })
      .Case([&](arith::MinimumFOp) {
        double a = in(0), b = in(1);
        return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b);
      })
      .Case([&](arith::AddIOp) { return in(0) + in(1); })
      .Case([&](arith::SubIOp) { return in(0) - in(1); })
      .Case([&](arith::MulIOp) { return in(0) * in(1); })
      .Case([&](arith::AndIOp) {
        return static_cast<double>(static_cast<int64_t>(in(0)) &
                                   static_cast<int64_t>(in(1)));
      })
      .Case([&](arith::OrIOp) {
        return static_cast<double>(static_cast<int64_t>(in(0)) |
                                   static_cast<int64_t>(in(1)));
      })
      .Case([&](arith::XOrIOp) {
        return static_cast<double>(static_cast<int64_t>(in(0)) ^
                                   static_cast<int64_t>(in(1)));
      })
      .Case([&](arith::SelectOp) { return in(0) != 0 ? in(1) : in(2); })
      // The oracle keeps fp64 throughout, so conversions between float
      // widths and from integers change nothing.
      .Case<arith::ExtFOp, arith::TruncFOp, arith::SIToFPOp,
            arith::IndexCastOp>([&](Operation *) { return in(0); })
      .Case([&](math::TanhOp) { return std::tanh(in(0)); })
      .Case([&](math::ExpOp) { return std::exp(in(0)); })
      .Case([&](math::SqrtOp) { return std::sqrt(in(0)); })
      .Case([&](math::RsqrtOp) { return 1.0 / std::sqrt(in(0)); })
      .Case([&](math::ErfOp) { return std::erf(in(0)); })
      .Case([&](math::PowFOp) { return std::pow(in(0), in(1)); })
      .Default(
          [&](Operation *) -> llvm::Expected<double> { return unsupported(); });
}

/// Evaluates a linalg.generic on tensors point by point: loop bounds come from
/// the operands' shapes through the indexing maps, each output starts as its
/// `outs` operand, and the body runs once per point in row-major order, so
/// reductions accumulate in iteration order. linalg.reduce and linalg.matmul
/// (ONNX ReduceMean and 2-D MatMul as importers write them) have the same
/// structure: indexing maps and a body with one argument per operand.
llvm::Error evaluateGeneric(Evaluation &e, linalg::LinalgOp op) {
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  int64_t numLoops = op.getNumLoops();
  std::vector<int64_t> bounds(numLoops, -1);
  SmallVector<const Tensor *> operands;
  SmallVector<std::optional<double>> scalarOperands;
  for (OpOperand &operand : op->getOpOperands()) {
    Value v = operand.get();
    // Only constants produce scalars in IR the interpreter can run.
    if (!isa<RankedTensorType>(v.getType())) {
      operands.push_back(nullptr);
      scalarOperands.push_back(e.scalar(v).value_or(0.0));
      continue;
    }
    const Tensor &t = e.get(v);
    operands.push_back(&t);
    scalarOperands.push_back(std::nullopt);
    AffineMap map = maps[operand.getOperandNumber()];
    for (auto [r, expr] : llvm::enumerate(map.getResults()))
      if (auto dim = dyn_cast<AffineDimExpr>(expr))
        bounds[dim.getPosition()] = t.shape[r];
  }
  for (auto [d, bound] : llvm::enumerate(bounds))
    if (bound < 0)
      return fail("reference: the bound of loop " + llvm::Twine(d) +
                  " of linalg.generic is not an operand dimension, at " +
                  describe(op.getLoc()));

  unsigned numInputs = op.getNumDpsInputs();
  std::vector<Tensor> results;
  std::vector<std::vector<int64_t>> strides;
  for (unsigned i = 0; i < operands.size(); ++i)
    strides.push_back(operands[i] ? stridesOf(operands[i]->shape)
                                  : std::vector<int64_t>());
  for (unsigned o = numInputs; o < operands.size(); ++o)
    results.push_back(*operands[o]);

  Block &body = *op.getBlock();
  if (body.getNumArguments() != operands.size())
    return fail("reference: the body of " + op->getName().getStringRef() +
                " at " + describe(op.getLoc()) +
                " does not read every operand");
  llvm::DenseMap<Value, double> env;
  // Constants hoisted out of the body (the greedy rewriter does that) are
  // read from the enclosing scope.
  for (Operation &bodyOp : body) {
    for (Value v : bodyOp.getOperands()) {
      if (v.getParentBlock() == &body || env.count(v))
        continue;
      auto constant = v.getDefiningOp<arith::ConstantOp>();
      std::optional<double> scalar =
          constant ? scalarOf(constant.getValue()) : std::nullopt;
      if (!scalar)
        return fail("reference: the body of linalg.generic at " +
                    describe(op.getLoc()) +
                    " uses a value from outside that is not a scalar "
                    "constant");
      env[v] = *scalar;
    }
  }
  std::vector<int64_t> point(numLoops, 0);
  bool empty = llvm::is_contained(bounds, 0);
  while (!empty) {
    // Read the operands at this point.
    SmallVector<int64_t> offsets;
    for (unsigned i = 0; i < operands.size(); ++i) {
      if (!operands[i]) {
        env[body.getArgument(i)] = *scalarOperands[i];
        offsets.push_back(0);
        continue;
      }
      SmallVector<int64_t, 4> index = maps[i].compose(point);
      int64_t offset = 0;
      for (auto [r, idx] : llvm::enumerate(index)) {
        if (idx < 0 || idx >= operands[i]->shape[r])
          return fail("reference: linalg.generic reads out of bounds, at " +
                      describe(op.getLoc()));
        offset += idx * strides[i][r];
      }
      offsets.push_back(offset);
      env[body.getArgument(i)] = i < numInputs
                                     ? operands[i]->data[offset]
                                     : results[i - numInputs].data[offset];
    }
    for (Operation &bodyOp : body) {
      if (auto yield = dyn_cast<linalg::YieldOp>(bodyOp)) {
        for (auto [o, v] : llvm::enumerate(yield.getOperands()))
          results[o].data[offsets[numInputs + o]] = env[v];
        break;
      }
      llvm::Expected<double> value = scalarStep(&bodyOp, env, point);
      if (!value)
        return value.takeError();
      env[bodyOp.getResult(0)] = *value;
    }
    // Advance the row-major odometer.
    int64_t d = numLoops - 1;
    for (; d >= 0; --d) {
      if (++point[d] < bounds[d])
        break;
      point[d] = 0;
    }
    if (d < 0)
      break;
  }
  for (auto [o, result] : llvm::enumerate(results))
    if (llvm::Error error = e.bind(op->getResult(o), std::move(result)))
      return error;
  return llvm::Error::success();
}

/// Evaluates the upstream tensor and linalg ops that importers emit around
/// attn ops; `handled` is false for any other op.
llvm::Error stepStructural(Evaluation &e, Operation *op, bool &handled) {
  handled = true;
  if (auto empty = dyn_cast<tensor::EmptyOp>(op)) {
    // Its contents are undefined; zeros make any read of them reproducible.
    llvm::Expected<std::vector<int64_t>> shape =
        e.sizes(empty.getMixedSizes(), op);
    if (!shape)
      return shape.takeError();
    return e.bind(empty.getResult(), Tensor(*shape));
  }
  if (auto dim = dyn_cast<tensor::DimOp>(op)) {
    std::optional<int64_t> index = dim.getConstantIndex();
    const Tensor &src = e.get(dim.getSource());
    if (!index || *index < 0 || *index >= src.rank())
      return fail("reference: tensor.dim without a constant, in-range index "
                  "at " +
                  describe(op->getLoc()));
    e.bindScalar(dim.getResult(), static_cast<double>(src.shape[*index]));
    return llvm::Error::success();
  }
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
    const Tensor &src = e.get(slice.getSource());
    llvm::Expected<std::vector<int64_t>> offsets =
        e.sizes(slice.getMixedOffsets(), op);
    if (!offsets)
      return offsets.takeError();
    llvm::Expected<std::vector<int64_t>> sizes =
        e.sizes(slice.getMixedSizes(), op);
    if (!sizes)
      return sizes.takeError();
    llvm::Expected<std::vector<int64_t>> steps =
        e.sizes(slice.getMixedStrides(), op);
    if (!steps)
      return steps.takeError();
    for (int64_t d = 0; d < src.rank(); ++d) {
      int64_t last = (*offsets)[d] + ((*sizes)[d] - 1) * (*steps)[d];
      if ((*sizes)[d] > 0 && ((*offsets)[d] < 0 || last >= src.shape[d]))
        return fail("reference: tensor.extract_slice reads out of bounds "
                    "(dimension " +
                    llvm::Twine(d) + ": offset " + llvm::Twine((*offsets)[d]) +
                    ", size " + llvm::Twine((*sizes)[d]) + ", extent " +
                    llvm::Twine(src.shape[d]) + ") at " +
                    describe(op->getLoc()));
    }
    // Rank-reducing slices drop unit dimensions, which the row-major data
    // does not notice; the result type names the shape.
    Tensor result(*sizes);
    std::vector<int64_t> srcStrides = stridesOf(src.shape);
    std::vector<int64_t> index(sizes->size(), 0);
    for (int64_t flat = 0; flat < result.numel(); ++flat) {
      int64_t offset = 0;
      for (size_t d = 0; d < index.size(); ++d)
        offset += ((*offsets)[d] + index[d] * (*steps)[d]) * srcStrides[d];
      result.data[flat] = src.data[offset];
      for (int64_t d = static_cast<int64_t>(index.size()) - 1; d >= 0; --d) {
        if (++index[d] < (*sizes)[d])
          break;
        index[d] = 0;
      }
    }
    std::vector<int64_t> shape;
    llvm::SmallBitVector dropped = slice.getDroppedDims();
    for (auto [d, size] : llvm::enumerate(*sizes))
      if (!dropped.test(d))
        shape.push_back(size);
    result.shape = std::move(shape);
    return e.bind(slice.getResult(), std::move(result));
  }
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
    const Tensor &src = e.get(expand.getSrc());
    auto shape =
        reshapedShape(op, src.shape, expand.getReassociationIndices(), true);
    if (!shape)
      return shape.takeError();
    return e.bind(expand.getResult(), Tensor(*shape, src.data));
  }
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
    const Tensor &src = e.get(collapse.getSrc());
    auto shape =
        reshapedShape(op, src.shape, collapse.getReassociationIndices(), false);
    if (!shape)
      return shape.takeError();
    return e.bind(collapse.getResult(), Tensor(*shape, src.data));
  }
  if (auto concat = dyn_cast<tensor::ConcatOp>(op)) {
    int64_t dim = concat.getDim();
    std::vector<int64_t> shape = e.get(concat.getInputs()[0]).shape;
    shape[dim] = 0;
    for (Value input : concat.getInputs())
      shape[dim] += e.get(input).shape[dim];
    // Copy each input's rows of the concatenated dim, slab by slab.
    int64_t outer = 1;
    for (int64_t d = 0; d < dim; ++d)
      outer *= shape[d];
    Tensor result(shape);
    int64_t outSlab = result.numel() / std::max<int64_t>(outer, 1);
    int64_t at = 0;
    for (Value input : concat.getInputs()) {
      const Tensor &t = e.get(input);
      int64_t slab = t.numel() / std::max<int64_t>(outer, 1);
      for (int64_t o = 0; o < outer; ++o)
        std::copy_n(t.data.begin() + o * slab, slab,
                    result.data.begin() + o * outSlab + at);
      at += slab;
    }
    return e.bind(concat.getResult(), std::move(result));
  }
  if (auto transpose = dyn_cast<linalg::TransposeOp>(op)) {
    const Tensor &src = e.get(transpose.getInput());
    ArrayRef<int64_t> perm = transpose.getPermutation();
    std::vector<int64_t> shape;
    for (int64_t p : perm)
      shape.push_back(src.shape[p]);
    Tensor result(shape);
    std::vector<int64_t> srcStrides = stridesOf(src.shape);
    std::vector<int64_t> index(shape.size(), 0);
    for (int64_t flat = 0; flat < result.numel(); ++flat) {
      int64_t offset = 0;
      for (size_t d = 0; d < shape.size(); ++d)
        offset += index[d] * srcStrides[perm[d]];
      result.data[flat] = src.data[offset];
      for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
        if (++index[d] < shape[d])
          break;
        index[d] = 0;
      }
    }
    return e.bind(transpose.getResult()[0], std::move(result));
  }
  if (auto fill = dyn_cast<linalg::FillOp>(op)) {
    // Only constants produce scalars in IR the interpreter can run.
    double value = e.scalar(fill.getInputs()[0]).value_or(0.0);
    return e.bind(fill.getResult(0),
                  Tensor(e.get(fill.getOutputs()[0]).shape, value));
  }
  if (isa<linalg::GenericOp, linalg::ReduceOp, linalg::MatmulOp>(op))
    return evaluateGeneric(e, cast<linalg::LinalgOp>(op));
  handled = false;
  return llvm::Error::success();
}

/// Evaluates one op of the function body.
llvm::Error step(Evaluation &e, Operation *op) {
  bool handled = false;
  if (llvm::Error error = stepStructural(e, op, handled))
    return error;
  if (handled)
    return llvm::Error::success();
  return llvm::TypeSwitch<Operation *, llvm::Error>(op)
      .Case([&](arith::ConstantOp c) -> llvm::Error {
        if (!isa<ShapedType>(c.getType())) {
          if (std::optional<double> v = scalarOf(c.getValue())) {
            e.bindScalar(c.getResult(), *v);
            return llvm::Error::success();
          }
        }
        if (auto resource = dyn_cast<DenseResourceElementsAttr>(c.getValue()))
          return bindOne(e, op, fromResource(resource));
        auto dense = dyn_cast<DenseElementsAttr>(c.getValue());
        if (!dense)
          return fail("reference: only dense tensor constants are supported, "
                      "at " +
                      describe(c.getLoc()));
        return bindOne(e, op, fromAttr(dense));
      })
      .Case([&](attn::SDPAOp o) {
        std::optional<ref::Mask> mask = e.mask(o.getMask());
        return bindAttention(e, op,
                             ref::sdpa(e.get(o.getQuery()), e.get(o.getKey()),
                                       e.get(o.getValue()), ptr(mask),
                                       attentionOptions(o),
                                       static_cast<bool>(o.getWeights())));
      })
      .Case([&](attn::HardOp o) {
        std::optional<ref::Mask> mask = e.mask(o.getMask());
        return bindOne(e, op,
                       ref::hard(e.get(o.getQuery()), e.get(o.getKey()),
                                 e.get(o.getValue()), ptr(mask),
                                 attentionOptions(o)));
      })
      .Case([&](attn::AdditiveOp o) {
        std::optional<ref::Mask> mask = e.mask(o.getMask());
        return bindAttention(
            e, op,
            ref::additive(e.get(o.getQuery()), e.get(o.getKey()),
                          e.get(o.getValue()), e.get(o.getQueryWeight()),
                          e.get(o.getKeyWeight()), e.getOptional(o.getBias()),
                          e.get(o.getEnergy()), ptr(mask),
                          static_cast<bool>(o.getWeights())));
      })
      .Case([&](attn::SoftmaxOp o) {
        return bindOne(
            e, op, ref::softmax(e.get(o.getInput()), o.getAxisAttr().getInt()));
      })
      .Case([&](attn::LogSoftmaxOp o) {
        return bindOne(
            e, op,
            ref::logSoftmax(e.get(o.getInput()), o.getAxisAttr().getInt()));
      })
      .Case([&](attn::MultiheadOp o) {
        std::optional<ref::Mask> mask = e.mask(o.getMask());
        ref::MultiheadWeights weights = projections(
            e, o.getQWeight(), o.getQBias(), o.getKWeight(), o.getKBias(),
            o.getVWeight(), o.getVBias(), o.getOWeight(), o.getOBias());
        attn::AttentionSettings settings = o.getAttentionSettings();
        return bindAttention(
            e, op,
            ref::multihead(
                e.get(o.getQuery()), e.get(o.getKey()), e.get(o.getValue()),
                weights, settings.numHeads, settings.numKvHeads, ptr(mask),
                attentionOptions(settings), static_cast<bool>(o.getWeights())));
      })
      .Case([&](attn::LinearOp o) {
        std::optional<ref::Activation> activation;
        if (auto a = o.getActivation())
          activation = toRef(*a);
        return bindOne(e, op,
                       ref::fusedLinear(e.get(o.getInput()),
                                        e.get(o.getWeight()),
                                        e.getOptional(o.getBias()), activation,
                                        e.getOptional(o.getResidual())));
      })
      .Case([&](attn::LayerNormOp o) {
        return bindOne(e, op,
                       ref::layerNorm(e.get(o.getInput()), e.get(o.getGamma()),
                                      e.get(o.getBeta()),
                                      o.getEpsilon().convertToDouble()));
      })
      .Case([&](attn::FFNOp o) {
        ref::FfnWeights weights{e.get(o.getW1()), e.get(o.getB1()),
                                e.get(o.getW2()), e.get(o.getB2())};
        return bindOne(
            e, op,
            ref::ffn(e.get(o.getInput()), weights, toRef(o.getActivation())));
      })
      .Case([&](attn::EmbeddingOp o) {
        return bindOne(e, op,
                       ref::embedding(e.get(o.getIndices()),
                                      e.get(o.getTable()),
                                      o.getScale().convertToDouble()));
      })
      .Case([&](attn::PositionalEncodingOp o) {
        ref::PositionalKind kind = o.getKind() == attn::PositionalKind::Learned
                                       ? ref::PositionalKind::Learned
                                       : ref::PositionalKind::Sinusoidal;
        return bindOne(e, op,
                       ref::positionalEncoding(e.get(o.getInput()), kind,
                                               e.getOptional(o.getTable())));
      })
      .Case([&](attn::EncoderLayerOp o) {
        std::optional<ref::Mask> mask = e.mask(o.getMask());
        ref::EncoderLayerWeights weights{
            projections(e, o.getQWeight(), o.getQBias(), o.getKWeight(),
                        o.getKBias(), o.getVWeight(), o.getVBias(),
                        o.getOWeight(), o.getOBias()),
            {e.get(o.getNorm1Gamma()), e.get(o.getNorm1Beta())},
            {e.get(o.getFfnW1()), e.get(o.getFfnB1()), e.get(o.getFfnW2()),
             e.get(o.getFfnB2())},
            {e.get(o.getNorm2Gamma()), e.get(o.getNorm2Beta())}};
        return bindOne(e, op,
                       ref::encoderLayer(e.get(o.getInput()), weights,
                                         layerConfig(o), ptr(mask)));
      })
      .Case([&](attn::DecoderLayerOp o) {
        std::optional<ref::Mask> selfMask = e.mask(o.getSelfMask());
        std::optional<ref::Mask> memoryMask = e.mask(o.getMemoryMask());
        ref::DecoderLayerWeights weights{
            projections(e, o.getQWeight(), o.getQBias(), o.getKWeight(),
                        o.getKBias(), o.getVWeight(), o.getVBias(),
                        o.getOWeight(), o.getOBias()),
            {e.get(o.getNorm1Gamma()), e.get(o.getNorm1Beta())},
            projections(e, o.getCrossQWeight(), o.getCrossQBias(),
                        o.getCrossKWeight(), o.getCrossKBias(),
                        o.getCrossVWeight(), o.getCrossVBias(),
                        o.getCrossOWeight(), o.getCrossOBias()),
            {e.get(o.getNorm2Gamma()), e.get(o.getNorm2Beta())},
            {e.get(o.getFfnW1()), e.get(o.getFfnB1()), e.get(o.getFfnW2()),
             e.get(o.getFfnB2())},
            {e.get(o.getNorm3Gamma()), e.get(o.getNorm3Beta())}};
        return bindOne(e, op,
                       ref::decoderLayer(
                           e.get(o.getInput()), e.get(o.getMemory()), weights,
                           layerConfig(o), ptr(selfMask), ptr(memoryMask)));
      })
      .Default([&](Operation *other) {
        return fail("reference: unsupported op '" +
                    other->getName().getStringRef() + "' at " +
                    describe(other->getLoc()));
      });
}

} // namespace

llvm::Expected<std::vector<Tensor>>
attnc::ref::evaluate(func::FuncOp func, llvm::ArrayRef<Tensor> inputs) {
  std::string name = func.getSymName().str();
  if (func.isExternal())
    return fail("reference: function '" + name + "' has no body");
  if (!func.getBody().hasOneBlock())
    return fail("reference: function '" + name + "' has more than one block");
  Block &body = func.getBody().front();
  if (inputs.size() != body.getNumArguments())
    return fail("reference: function '" + name + "' takes " +
                llvm::Twine(body.getNumArguments()) + " inputs, got " +
                llvm::Twine(inputs.size()));

  Evaluation e;
  for (auto [i, arg] : llvm::enumerate(body.getArguments())) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type)
      return fail("reference: argument " + llvm::Twine(i) + " of '" + name +
                  "' is not a ranked tensor");
    if (!fits(inputs[i].shape, type) ||
        static_cast<int64_t>(inputs[i].data.size()) != inputs[i].numel())
      return fail("reference: input " + llvm::Twine(i) + " has shape " +
                  formatShape(inputs[i].shape) + ", expected " +
                  formatShape(type.getShape()) + " (argument " +
                  llvm::Twine(i) + " of '" + name + "')");
    if (llvm::Error error = e.bind(arg, inputs[i]))
      return std::move(error);
  }

  for (Operation &op : body) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      std::vector<Tensor> results;
      for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
        if (!isa<RankedTensorType>(v.getType()))
          return fail("reference: result " + llvm::Twine(i) + " of '" + name +
                      "' is not a ranked tensor");
        results.push_back(e.get(v));
      }
      return results;
    }
    if (llvm::Error error = step(e, &op))
      return std::move(error);
  }
  return fail("reference: function '" + name + "' does not end in a return");
}
