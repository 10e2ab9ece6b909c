//===- Interpreter.cpp - Evaluates attn IR with the reference evaluator ---===//

#include "reference/Interpreter.h"

#include "dialect/AttnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

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
};

const ref::Mask *ptr(const std::optional<ref::Mask> &mask) {
  return mask ? &*mask : nullptr;
}

std::optional<double> toDouble(std::optional<APFloat> value) {
  if (!value)
    return std::nullopt;
  return value->convertToDouble();
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

/// The attention options of an op with scale/softcap/score and, unless it is
/// a decoder layer (always causal), `causal`.
template <typename OpTy> ref::AttentionOptions attentionOptions(OpTy op) {
  ref::AttentionOptions options;
  options.scale = toDouble(op.getScale());
  options.softcap = toDouble(op.getSoftcap());
  options.score = toRef(op.getScore());
  if constexpr (!std::is_same_v<OpTy, attn::DecoderLayerOp>)
    options.causal = op.getCausal();
  if (std::optional<ArrayRef<int64_t>> window = op.getWindow();
      window && window->size() == 2)
    options.window = std::array<int64_t, 2>{(*window)[0], (*window)[1]};
  return options;
}

/// The encoder/decoder layer configuration of `op`.
template <typename OpTy> ref::LayerConfig layerConfig(OpTy op) {
  ref::LayerConfig config;
  config.numHeads = op.getNumHeadsAttr().getInt();
  config.numKvHeads = op.getEffectiveNumKvHeads();
  config.normFirst = op.getNorm() == attn::NormPlacement::Pre;
  config.activation = toRef(op.getActivation());
  config.epsilon = op.getEpsilon().convertToDouble();
  config.attention = attentionOptions(op);
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

/// Evaluates one op of the function body.
llvm::Error step(Evaluation &e, Operation *op) {
  return llvm::TypeSwitch<Operation *, llvm::Error>(op)
      .Case([&](arith::ConstantOp c) -> llvm::Error {
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
        return bindAttention(
            e, op,
            ref::multihead(
                e.get(o.getQuery()), e.get(o.getKey()), e.get(o.getValue()),
                weights, o.getNumHeadsAttr().getInt(),
                o.getEffectiveNumKvHeads(), ptr(mask), attentionOptions(o),
                static_cast<bool>(o.getWeights())));
      })
      .Case([&](attn::LinearOp o) {
        return bindOne(e, op,
                       ref::linear(e.get(o.getInput()), e.get(o.getWeight()),
                                   e.getOptional(o.getBias())));
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
      for (Value v : ret.getOperands())
        results.push_back(e.get(v));
      return results;
    }
    if (llvm::Error error = step(e, &op))
      return std::move(error);
  }
  return fail("reference: function '" + name + "' does not end in a return");
}
