//===- MicrosoftOps.cpp - com.microsoft contrib ops -----------------------===//
//
// The ONNX Runtime contrib ops that its transformer optimizer writes and that
// are one attn op or one elementwise linalg.generic: Gelu, FastGelu,
// BiasGelu and SkipLayerNormalization (com.microsoft opset 1), with the
// semantics of ONNX Runtime's contrib op schemas.
//
//===----------------------------------------------------------------------===//

#include "frontend/onnx/Importer.h"

#include "onnx/onnx_pb.h"

#include "dialect/AttnDialect.h"
#include "dialect/AttnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace attnc::frontend::onnx_import;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

namespace {

llvm::Error needFloat(Importer &im, const OnnxValue &v, StringRef what) {
  if (isa<Float32Type, Float16Type, BFloat16Type>(v.elementType))
    return llvm::Error::success();
  return im.fail(what + " has element type " +
                 Importer::typeName(v.elementType) +
                 "; FLOAT, FLOAT16 and BFLOAT16 are supported");
}

/// `x + bias` (broadcast) and then GELU, one generic; `bias` may be null.
llvm::Error biasedGelu(Importer &im, OnnxValue *x, OnnxValue *bias,
                       bool tanh) {
  if (llvm::Error e = needFloat(im, *x, "input X"))
    return e;
  SmallVector<OnnxValue *> inputs = {x};
  if (bias) {
    if (bias->elementType != x->elementType)
      return im.fail("the bias must have the element type of the input");
    inputs.push_back(bias);
  }
  bool withBias = bias != nullptr;
  Expected<OnnxValue> out = im.elementwise(
      inputs, x->elementType, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value v = withBias ? arith::AddFOp::create(nb, l, a[0], a[1]).getResult()
                           : a[0];
        return geluScalar(nb, l, v, tanh);
      });
  if (!out)
    return out.takeError();
  im.setOutput(0, std::move(*out));
  return llvm::Error::success();
}

llvm::Error msGelu(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  Expected<OnnxValue *> x = im.required(0, "X");
  if (!x)
    return x.takeError();
  return biasedGelu(im, *x, nullptr, /*tanh=*/false);
}

llvm::Error fastGelu(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  Expected<OnnxValue *> x = im.required(0, "X");
  if (!x)
    return x.takeError();
  return biasedGelu(im, *x, im.input(1), /*tanh=*/true);
}

llvm::Error biasGelu(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  Expected<OnnxValue *> a = im.required(0, "A");
  if (!a)
    return a.takeError();
  Expected<OnnxValue *> b = im.required(1, "B");
  if (!b)
    return b.takeError();
  return biasedGelu(im, *a, *b, /*tanh=*/false);
}

/// SkipLayerNormalization: `sum = input + skip (+ bias)`, then
/// `attn.layer_norm(sum, gamma, beta)` over the hidden size; output 3 is the
/// sum. The mean and inv_std_var outputs are not supported.
llvm::Error skipLayerNorm(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"epsilon"}))
    return e;
  Expected<OnnxValue *> x = im.required(0, "input");
  if (!x)
    return x.takeError();
  Expected<OnnxValue *> skip = im.required(1, "skip");
  if (!skip)
    return skip.takeError();
  Expected<OnnxValue *> gamma = im.required(2, "gamma");
  if (!gamma)
    return gamma.takeError();
  OnnxValue *beta = im.input(3), *bias = im.input(4);
  if (llvm::Error e = needFloat(im, **x, "input"))
    return e;
  Type et = (*x)->elementType;
  for (OnnxValue *v : {*skip, *gamma, beta, bias})
    if (v && v->elementType != et)
      return im.fail("inputs must have the element type of input (" +
                     Importer::typeName(et) + ")");
  if ((*x)->rank() != 3)
    return im.fail("input must be 3-D [batch, sequence, hidden], got " +
                   im.shapeString((*x)->shape));
  const SymInt &hidden = (*x)->shape.back();
  for (auto [v, name] : {std::pair{*gamma, "gamma"}, {beta, "beta"},
                         {bias, "bias"}})
    if (v && (v->rank() != 1 || v->shape[0] != hidden))
      return im.fail(Twine(name) + " must be [" + im.sizeString(hidden) +
                     "], got " + im.shapeString(v->shape));
  if (im.wantsOutput(1) || im.wantsOutput(2))
    return im.fail("the mean and inv_std_var outputs are not supported");
  Expected<double> eps = im.floatAttr("epsilon", 1e-12);
  if (!eps)
    return eps.takeError();
  if (!(*eps > 0))
    return im.fail("attribute 'epsilon' must be positive");

  SmallVector<OnnxValue *> addends = {*x, *skip};
  if (bias)
    addends.push_back(bias);
  bool withBias = bias != nullptr;
  Expected<OnnxValue> sum = im.elementwise(
      addends, et, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value s = arith::AddFOp::create(nb, l, a[0], a[1]);
        if (withBias)
          s = arith::AddFOp::create(nb, l, s, a[2]);
        return s;
      });
  if (!sum)
    return sum.takeError();
  if (sum->shape != (*x)->shape)
    return im.fail("skip " + im.shapeString((*skip)->shape) +
                   " must broadcast to input " +
                   im.shapeString((*x)->shape));
  Value s = im.materialize(*sum);
  Value g = im.materialize(**gamma);
  Value b = beta ? im.materialize(*beta) : im.filled({hidden}, et, 0.0, {s});
  OpBuilder &builder = im.builder();
  Value y = attn::LayerNormOp::create(builder, im.loc(), s.getType(), s, g, b,
                                      builder.getF64FloatAttr(*eps));
  im.setOutput(0, y, (*x)->shape);
  im.setOutput(3, std::move(*sum));
  return llvm::Error::success();
}

} // namespace

void attnc::frontend::onnx_import::registerMicrosoftOps(OpRegistry &r) {
  r.add("com.microsoft", "Gelu", 1, msGelu);
  r.add("com.microsoft", "FastGelu", 1, fastGelu);
  r.add("com.microsoft", "BiasGelu", 1, biasGelu);
  r.add("com.microsoft", "SkipLayerNormalization", 1, skipLayerNorm);
}
