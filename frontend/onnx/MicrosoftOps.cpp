//===- MicrosoftOps.cpp - com.microsoft contrib ops -----------------------===//
//
// The ONNX Runtime contrib ops that its transformer optimizer writes, with
// the semantics of ONNX Runtime's contrib op schemas and CPU kernels
// (com.microsoft opset 1): Gelu, FastGelu, BiasGelu and
// SkipLayerNormalization (one attn op or one elementwise linalg.generic);
// Attention and MultiHeadAttention (the projection as the MatMul + Add
// import writes it, then one attn.sdpa); EmbedLayerNormalization
// (attn.embedding lookups, their sum, attn.layer_norm).
//
//===----------------------------------------------------------------------===//

#include "frontend/onnx/Importer.h"

#include "onnx/onnx_pb.h"

#include "dialect/AttnDialect.h"
#include "dialect/AttnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <optional>
#include <string>

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

/// The checks that the 3-D hidden-state ops (SkipLayerNormalization,
/// Attention) share: `input` is a float [batch, sequence, hidden] and every
/// one of `others` present has its element type.
llvm::Error needHiddenStates(Importer &im, const OnnxValue &x,
                             llvm::ArrayRef<OnnxValue *> others) {
  if (llvm::Error e = needFloat(im, x, "input"))
    return e;
  for (OnnxValue *v : others)
    if (v && v->elementType != x.elementType)
      return im.fail("inputs must have the element type of input (" +
                     Importer::typeName(x.elementType) + ")");
  if (x.rank() != 3)
    return im.fail("input must be 3-D [batch, sequence, hidden], got " +
                   im.shapeString(x.shape));
  return llvm::Error::success();
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
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "X", x}}))
    return e;
  return biasedGelu(im, x, nullptr, /*tanh=*/false);
}

llvm::Error fastGelu(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "X", x}}))
    return e;
  return biasedGelu(im, x, im.input(1), /*tanh=*/true);
}

llvm::Error biasGelu(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *a, *b;
  if (llvm::Error e = im.requireInputs({{0, "A", a}, {1, "B", b}}))
    return e;
  return biasedGelu(im, a, b, /*tanh=*/false);
}

/// SkipLayerNormalization: `sum = input + skip (+ bias)`, then
/// `attn.layer_norm(sum, gamma, beta)` over the hidden size; output 3 is the
/// sum. The mean and inv_std_var outputs are not supported.
llvm::Error skipLayerNorm(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"epsilon"}))
    return e;
  OnnxValue *x, *skip, *gamma;
  if (llvm::Error e = im.requireInputs({{0, "input", x},
                                        {1, "skip", skip},
                                        {2, "gamma", gamma}}))
    return e;
  OnnxValue *beta = im.input(3), *bias = im.input(4);
  if (llvm::Error e = needHiddenStates(im, *x, {skip, gamma, beta, bias}))
    return e;
  Type et = x->elementType;
  const SymInt &hidden = x->shape.back();
  for (auto [v, name] : {std::pair{gamma, "gamma"}, {beta, "beta"},
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

  SmallVector<OnnxValue *> addends = {x, skip};
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
  if (sum->shape != x->shape)
    return im.fail("skip " + im.shapeString(skip->shape) +
                   " must broadcast to input " +
                   im.shapeString(x->shape));
  Value s = im.materialize(*sum);
  Value g = im.materialize(*gamma);
  Value b = beta ? im.materialize(*beta) : im.filled({hidden}, et, 0.0, {s});
  OpBuilder &builder = im.builder();
  Value y = attn::LayerNormOp::create(builder, im.loc(), s.getType(), s, g, b,
                                      builder.getF64FloatAttr(*eps));
  im.setOutput(0, y, x->shape);
  im.setOutput(3, std::move(*sum));
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Attention, MultiHeadAttention
//===----------------------------------------------------------------------===//

std::string formatDouble(double value) {
  return llvm::formatv("{0}", value).str();
}

/// Whether two sizes are known to differ (two different symbols may agree
/// at run time, as broadcasting assumes).
bool differ(const SymInt &a, const SymInt &b) {
  std::optional<bool> equal = a.equals(b);
  return equal && !*equal;
}

/// The attributes Attention and MultiHeadAttention share.
struct HeadAttrs {
  int64_t heads = 0;
  /// Unset means attn.sdpa's default 1/sqrt(head_size), which is ONNX
  /// Runtime's default too (it reads a scale of 0 as unset).
  std::optional<double> scale;
  bool causal = false;
  /// Added to the scores of masked keys (ONNX Runtime adds it rather than
  /// hiding the key, so a row with every key masked averages the values).
  double filter = -10000.0;
};

Expected<HeadAttrs> readHeadAttrs(Importer &im) {
  HeadAttrs attrs;
  Expected<std::optional<int64_t>> heads = im.optionalIntAttr("num_heads");
  if (!heads)
    return heads.takeError();
  if (!*heads || **heads <= 0)
    return im.fail("attribute 'num_heads' must be given and positive");
  attrs.heads = **heads;
  Expected<double> scale = im.floatAttr("scale", 0.0);
  if (!scale)
    return scale.takeError();
  // attn.sdpa takes no other scale: a negative one inverts attention.
  if (!std::isfinite(*scale) || *scale < 0)
    return im.fail("attribute 'scale' must be positive and finite (0 means "
                   "1/sqrt(head_size)), got " +
                   formatDouble(*scale));
  if (*scale > 0)
    attrs.scale = *scale;
  Expected<int64_t> causal = im.intAttr("unidirectional", 0);
  if (!causal)
    return causal.takeError();
  if (*causal != 0 && *causal != 1)
    return im.fail("attribute 'unidirectional' must be 0 or 1, got " +
                   Twine(*causal));
  attrs.causal = *causal == 1;
  Expected<double> filter = im.floatAttr("mask_filter_value", -10000.0);
  if (!filter)
    return filter.takeError();
  // An infinite filter value would make fully masked rows NaN in ONNX
  // Runtime and 0 in attn.sdpa.
  if (!std::isfinite(*filter))
    return im.fail("attribute 'mask_filter_value' must be finite, got " +
                   formatDouble(*filter));
  attrs.filter = *filter;
  return attrs;
}

/// An error for the first of `inputs` (index, name) the node gives.
llvm::Error refuseInputs(Importer &im,
                         std::initializer_list<std::pair<int, StringRef>> inputs) {
  for (auto [i, name] : inputs)
    if (im.input(i))
      return im.fail("input '" + name + "' is not supported");
  return llvm::Error::success();
}

/// An error for the first of `outputs` (index, name) something reads.
llvm::Error
refuseOutputs(Importer &im,
              std::initializer_list<std::pair<int, StringRef>> outputs) {
  for (auto [i, name] : outputs)
    if (im.wantsOutput(i))
      return im.fail("output '" + name + "' is not supported");
  return llvm::Error::success();
}

/// An error when the int attribute `name` is set to anything but 0.
llvm::Error refuseFlag(Importer &im, StringRef name, StringRef why) {
  Expected<int64_t> flag = im.intAttr(name, 0);
  if (!flag)
    return flag.takeError();
  if (*flag != 0)
    return im.fail("attribute '" + name + "' = " + Twine(*flag) +
                   " is not supported (" + why + ")");
  return llvm::Error::success();
}

/// `x[..., offset : offset + size]`.
OnnxValue sliceLast(Importer &im, OnnxValue &x, int64_t offset,
                    int64_t size) {
  if (offset == 0 && x.shape.back().is(size))
    return x;
  OpBuilder &b = im.builder();
  Value source = im.materialize(x);
  SymShape shape = x.shape;
  shape.back() = SymInt(size);
  SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0));
  offsets.back() = b.getIndexAttr(offset);
  SmallVector<OpFoldResult> strides(shape.size(), b.getIndexAttr(1));
  Value slice = tensor::ExtractSliceOp::create(
      b, im.loc(), im.tensorType(shape, x.elementType), source, offsets,
      im.mixedSizes(shape, {source}), strides);
  return im.wrap(slice, shape);
}

/// `x + bias[offset : offset + size]` over the last dimension; `x` when
/// there is no bias.
Expected<OnnxValue> addBiasPart(Importer &im, OnnxValue &x, OnnxValue *bias,
                                int64_t offset, int64_t size) {
  if (!bias)
    return x;
  OnnxValue part = sliceLast(im, *bias, offset, size);
  return im.elementwise({&x, &part}, x.elementType,
                        [](OpBuilder &nb, Location l, ValueRange a) {
                          return arith::AddFOp::create(nb, l, a[0], a[1])
                              .getResult();
                        });
}

/// The raw INT32 mask `m`, [B, T] or [B, S, T] with 1 (any positive value)
/// for a visible key, as attn.sdpa's additive float mask [B, 1, 1, T] or
/// [B, 1, S, T]: 0 where m > 0, `filter` elsewhere, as ONNX Runtime's CPU
/// kernels add it to the scores.
Expected<Value> additiveMask(Importer &im, OnnxValue &m, StringRef what,
                             const SymInt &batch, const SymInt &seq,
                             const SymInt &total, Type floatType,
                             double filter) {
  bool fits = m.elementType.isInteger(32) &&
              (m.rank() == 2 || m.rank() == 3) &&
              !differ(m.shape[0], batch) && !differ(m.shape.back(), total) &&
              (m.rank() == 2 || !differ(m.shape[1], seq));
  if (!fits)
    return im.fail(what + " must be an INT32 raw mask [" +
                   im.sizeString(batch) + ", " + im.sizeString(total) +
                   "] or [" + im.sizeString(batch) + ", " +
                   im.sizeString(seq) + ", " + im.sizeString(total) +
                   "], got " + Importer::typeName(m.elementType) + " " +
                   im.shapeString(m.shape) +
                   " (the 1-D and 4-D mask forms are not supported)");
  SymShape shape = {m.shape[0], SymInt(1),
                    m.rank() == 3 ? m.shape[1] : SymInt(1), m.shape.back()};
  OnnxValue grouped = im.reshape(m, shape);
  OnnxValue out = im.elementwiseTo(
      {&grouped}, shape, floatType,
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value zero = arith::ConstantOp::create(
            nb, l, nb.getIntegerAttr(a[0].getType(), 0));
        Value visible = arith::CmpIOp::create(
            nb, l, arith::CmpIPredicate::sgt, a[0], zero);
        Value keep =
            arith::ConstantOp::create(nb, l, nb.getFloatAttr(floatType, 0.0));
        Value hide = arith::ConstantOp::create(
            nb, l, nb.getFloatAttr(floatType, filter));
        return arith::SelectOp::create(nb, l, visible, keep, hide)
            .getResult();
      });
  return im.materialize(out);
}

/// [B, S, N*D] -> [B, N, S, D]: the reshape and transpose of ONNX
/// Runtime's kernels, as the Reshape and Transpose nodes import.
OnnxValue splitHeads(Importer &im, OnnxValue &x, int64_t heads) {
  const SymShape &s = x.shape;
  SymInt headDim(*s[2].constant() / heads);
  OnnxValue split = im.reshape(x, {s[0], s[1], SymInt(heads), headDim});
  Value source = im.materialize(split);
  SymShape shape = {s[0], SymInt(heads), s[1], headDim};
  Value init = im.empty(shape, x.elementType, {source});
  Value t = linalg::TransposeOp::create(im.builder(), im.loc(), source, init,
                                        ArrayRef<int64_t>{0, 2, 1, 3})
                .getResult()[0];
  return im.wrap(t, shape);
}

/// [B, N, S, Dv] -> [B, S, N*Dv].
OnnxValue mergeHeads(Importer &im, OnnxValue &y) {
  const SymShape &s = y.shape;
  SymShape shape = {s[0], s[2], s[1], s[3]};
  Value source = im.materialize(y);
  Value init = im.empty(shape, y.elementType, {source});
  Value t = linalg::TransposeOp::create(im.builder(), im.loc(), source, init,
                                        ArrayRef<int64_t>{0, 2, 1, 3})
                .getResult()[0];
  OnnxValue transposed = im.wrap(t, shape);
  return im.reshape(transposed, {s[0], s[2], s[1] * s[3]});
}

/// Output 0 of both ops: attn.sdpa of q [B, S, N*D], k [B, L, N*D] and
/// v [B, L, N*Dv] split into heads, with the additive `mask` (or none),
/// merged back into [B, S, N*Dv].
void emitAttention(Importer &im, const HeadAttrs &attrs, OnnxValue &q,
                   OnnxValue &k, OnnxValue &v, Value mask) {
  OnnxValue qh = splitHeads(im, q, attrs.heads);
  OnnxValue kh = splitHeads(im, k, attrs.heads);
  OnnxValue vh = splitHeads(im, v, attrs.heads);
  OpBuilder &b = im.builder();
  auto sdpa = attn::SDPAOp::create(b, im.loc(), im.materialize(qh),
                                   im.materialize(kh), im.materialize(vh),
                                   mask, /*returnWeights=*/false);
  if (attrs.scale)
    sdpa.setScaleAttr(b.getF64FloatAttr(*attrs.scale));
  // attn's causal is bottom-right aligned; the callers allow it only where
  // the query and key lengths agree, where it is ONNX Runtime's rule.
  if (attrs.causal)
    sdpa.setCausal(true);
  OnnxValue y = im.wrap(sdpa.getOutput(),
                        {qh.shape[0], qh.shape[1], qh.shape[2], vh.shape[3]});
  im.setOutput(0, mergeHeads(im, y));
}

/// Attention: `input · weights + bias` (the IR of MatMul + Add, which
/// attn-raise-linear makes one attn.linear of a constant weight), split into
/// Q, K and V, then attention over the sequence itself. The KV cache
/// (past/present), attention_bias, rotary embeddings and the 1-D and 4-D
/// mask_index forms are not supported.
llvm::Error msAttention(Importer &im) {
  if (llvm::Error e = im.checkAttributes(
          {"num_heads", "scale", "unidirectional", "mask_filter_value",
           "qkv_hidden_sizes", "do_rotary", "rotary_embedding_dim",
           "past_present_share_buffer"}))
    return e;
  OnnxValue *x, *weights;
  if (llvm::Error e = im.requireInputs({{0, "input", x},
                                        {1, "weights", weights}}))
    return e;
  OnnxValue *bias = im.input(2), *mask = im.input(3);
  Expected<HeadAttrs> attrs = readHeadAttrs(im);
  if (!attrs)
    return attrs.takeError();
  if (llvm::Error e = refuseFlag(im, "do_rotary", "rotary embeddings"))
    return e;
  if (llvm::Error e =
          refuseFlag(im, "past_present_share_buffer", "no KV cache"))
    return e;
  if (llvm::Error e = refuseInputs(
          im, {{4, "past"}, {5, "attention_bias"}, {6, "past_sequence_length"}}))
    return e;
  if (llvm::Error e = refuseOutputs(im, {{1, "present"}}))
    return e;
  if (llvm::Error e = needHiddenStates(im, *x, {weights, bias}))
    return e;
  Type et = x->elementType;
  const SymShape &xs = x->shape;
  const SymShape &ws = weights->shape;
  if (weights->rank() != 2 || !weights->staticShape() ||
      differ(ws[0], xs[2]))
    return im.fail("weights must be a static [" + im.sizeString(xs[2]) +
                   ", q_hidden + k_hidden + v_hidden], got " +
                   im.shapeString(ws));
  int64_t columns = *ws[1].constant();
  int64_t heads = attrs->heads;

  // The Q, K and V column blocks.
  Expected<std::optional<SmallVector<int64_t, 4>>> sizes =
      im.intsAttr("qkv_hidden_sizes");
  if (!sizes)
    return sizes.takeError();
  int64_t qHidden, vHidden;
  if (*sizes) {
    ArrayRef<int64_t> s = **sizes;
    bool valid = s.size() == 3 && s[0] == s[1] && s[0] + s[1] + s[2] == columns &&
                 llvm::all_of(s, [&](int64_t h) {
                   return h > 0 && h % heads == 0;
                 });
    if (!valid) {
      std::string list;
      for (int64_t h : s)
        list += (list.empty() ? "" : ", ") + std::to_string(h);
      return im.fail("attribute 'qkv_hidden_sizes' must be three positive "
                     "multiples of num_heads (" +
                     Twine(heads) +
                     "), the first two equal, summing to the weights' " +
                     Twine(columns) + " columns; got [" + list + "]");
    }
    qHidden = s[0];
    vHidden = s[2];
  } else {
    if (columns % (3 * heads) != 0)
      return im.fail("weights has " + Twine(columns) +
                     " columns; without 'qkv_hidden_sizes' they must be "
                     "three equal parts, each a multiple of num_heads (" +
                     Twine(heads) + ")");
    qHidden = vHidden = columns / 3;
  }
  if (bias && (bias->rank() != 1 || !bias->shape[0].is(columns)))
    return im.fail("bias must be [" + Twine(columns) + "], got " +
                   im.shapeString(bias->shape));
  Value maskValue;
  if (mask) {
    Expected<Value> m = additiveMask(im, *mask, "mask_index", xs[0], xs[1],
                                     xs[1], et, attrs->filter);
    if (!m)
      return m.takeError();
    maskValue = *m;
  }

  Expected<OnnxValue> projected = matMul(im, *x, *weights);
  if (!projected)
    return projected.takeError();
  if (bias) {
    projected = im.elementwise({&*projected, bias}, et,
                               [](OpBuilder &nb, Location l, ValueRange a) {
                                 return arith::AddFOp::create(nb, l, a[0], a[1])
                                     .getResult();
                               });
    if (!projected)
      return projected.takeError();
  }
  OnnxValue q = sliceLast(im, *projected, 0, qHidden);
  OnnxValue k = sliceLast(im, *projected, qHidden, qHidden);
  OnnxValue v = sliceLast(im, *projected, 2 * qHidden, vHidden);
  emitAttention(im, *attrs, q, k, v, maskValue);
  return llvm::Error::success();
}

/// MultiHeadAttention with separate 3-D query, key and value (self or cross
/// attention), the optional bias added to each, and a raw key padding mask.
/// Packed QKV/KV, past-state key/value, the KV cache, attention_bias,
/// cache_indirection and the qk output are not supported.
llvm::Error multiHeadAttention(Importer &im) {
  if (llvm::Error e = im.checkAttributes(
          {"num_heads", "scale", "unidirectional", "mask_filter_value"}))
    return e;
  OnnxValue *query;
  if (llvm::Error e = im.requireInputs({{0, "query", query}}))
    return e;
  OnnxValue *key = im.input(1), *value = im.input(2), *bias = im.input(3),
            *mask = im.input(4);
  Expected<HeadAttrs> attrs = readHeadAttrs(im);
  if (!attrs)
    return attrs.takeError();
  if (llvm::Error e = refuseInputs(im, {{5, "attention_bias"},
                                        {6, "past_key"},
                                        {7, "past_value"},
                                        {8, "past_sequence_length"},
                                        {9, "cache_indirection"}}))
    return e;
  if (llvm::Error e = refuseOutputs(
          im, {{1, "present_key"}, {2, "present_value"}, {3, "qk"}}))
    return e;
  if (llvm::Error e = needFloat(im, *query, "query"))
    return e;
  Type et = query->elementType;
  if (query->rank() != 3)
    return im.fail("query must be 3-D [batch, sequence, hidden], got " +
                   im.shapeString(query->shape) +
                   " (packed QKV is not supported)");
  if (!key || !value)
    return im.fail("key and value must be given (packed QKV in query is not "
                   "supported)");
  if (key->rank() != 3 || value->rank() != 3)
    return im.fail("key and value must be 3-D [batch, kv_sequence, hidden], "
                   "got " +
                   im.shapeString(key->shape) + " and " +
                   im.shapeString(value->shape) +
                   " (packed KV and past-state key/value are not supported)");
  for (OnnxValue *v : {key, value, bias})
    if (v && v->elementType != et)
      return im.fail("inputs must have the element type of query (" +
                     Importer::typeName(et) + ")");
  const SymShape &qs = query->shape, &ks = key->shape, &vs = value->shape;
  int64_t heads = attrs->heads;
  auto headsDivide = [&](const SymInt &h) {
    return h.isConstant() && *h.constant() > 0 && *h.constant() % heads == 0;
  };
  if (!headsDivide(qs[2]) || !headsDivide(vs[2]) || qs[2] != ks[2])
    return im.fail("the hidden sizes of query, key and value (" +
                   im.sizeString(qs[2]) + ", " + im.sizeString(ks[2]) +
                   ", " + im.sizeString(vs[2]) +
                   ") must be static multiples of num_heads (" +
                   Twine(heads) + "), query's equal to key's");
  if (differ(ks[0], qs[0]) || differ(vs[0], qs[0]) || differ(ks[1], vs[1]))
    return im.fail("key " + im.shapeString(ks) + " and value " +
                   im.shapeString(vs) + " must have query's batch size (" +
                   im.sizeString(qs[0]) + ") and one kv_sequence length");
  int64_t qHidden = *qs[2].constant(), vHidden = *vs[2].constant();
  int64_t columns = 2 * qHidden + vHidden;
  if (bias && (bias->rank() != 1 || !bias->shape[0].is(columns)))
    return im.fail("bias must be [" + Twine(columns) + "], got " +
                   im.shapeString(bias->shape));
  // ONNX Runtime's CPU kernel masks a causal cross-attention (L != S) by
  // neither the top-left nor the bottom-right rule; attnc refuses it rather
  // than differ.
  if (attrs->causal && qs[1].equals(ks[1]) != std::optional<bool>(true))
    return im.fail("attribute 'unidirectional' needs kv_sequence_length (" +
                   im.sizeString(ks[1]) + ") to equal sequence_length (" +
                   im.sizeString(qs[1]) + ")");
  Value maskValue;
  if (mask) {
    Expected<Value> m = additiveMask(im, *mask, "key_padding_mask", qs[0],
                                     qs[1], ks[1], et, attrs->filter);
    if (!m)
      return m.takeError();
    maskValue = *m;
  }
  Expected<OnnxValue> q = addBiasPart(im, *query, bias, 0, qHidden);
  if (!q)
    return q.takeError();
  Expected<OnnxValue> k = addBiasPart(im, *key, bias, qHidden, qHidden);
  if (!k)
    return k.takeError();
  Expected<OnnxValue> v = addBiasPart(im, *value, bias, 2 * qHidden, vHidden);
  if (!v)
    return v.takeError();
  emitAttention(im, *attrs, *q, *k, *v, maskValue);
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// EmbedLayerNormalization
//===----------------------------------------------------------------------===//

/// `attn.embedding` of the INT32 `ids` in `table`.
OnnxValue lookup(Importer &im, OnnxValue &ids, OnnxValue &table) {
  SymShape shape = ids.shape;
  shape.push_back(table.shape[1]);
  OpBuilder &b = im.builder();
  Value out = attn::EmbeddingOp::create(
      b, im.loc(), im.tensorType(shape, table.elementType),
      im.materialize(ids), im.materialize(table), b.getF64FloatAttr(1.0));
  return im.wrap(out, shape);
}

/// EmbedLayerNormalization: `sum = word[input_ids] + position[position_ids
/// or 0..S-1] (+ segment[segment_ids])`, output 0 `attn.layer_norm(sum)`,
/// output 1 (mask_index) the count of 1s in each row of the mask (zeros
/// without one), output 2 the sum; as ONNX Runtime's CPU kernel.
llvm::Error embedLayerNorm(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"epsilon", "mask_index_type"}))
    return e;
  OnnxValue *ids, *word, *position, *gamma, *beta;
  if (llvm::Error e = im.requireInputs({{0, "input_ids", ids},
                                        {2, "word_embedding", word},
                                        {3, "position_embedding", position},
                                        {5, "gamma", gamma},
                                        {6, "beta", beta}}))
    return e;
  OnnxValue *segmentIds = im.input(1), *segment = im.input(4),
            *mask = im.input(7), *positionIds = im.input(8);

  const SymShape &is = ids->shape;
  if (!ids->elementType.isInteger(32) || ids->rank() != 2)
    return im.fail("input_ids must be INT32 [batch, sequence], got " +
                   Importer::typeName(ids->elementType) + " " +
                   im.shapeString(is));
  if (!segmentIds != !segment)
    return im.fail("segment_ids and segment_embedding must be given together");
  for (auto [v, name] : {std::pair{segmentIds, "segment_ids"}, {mask, "mask"}})
    if (v && (!v->elementType.isInteger(32) || v->rank() != 2 ||
              differ(v->shape[0], is[0]) || differ(v->shape[1], is[1])))
      return im.fail(Twine(name) + " must be INT32 of input_ids' shape " +
                     im.shapeString(is) + ", got " +
                     Importer::typeName(v->elementType) + " " +
                     im.shapeString(v->shape));
  if (positionIds &&
      (!positionIds->elementType.isInteger(32) || positionIds->rank() != 2 ||
       (differ(positionIds->shape[0], is[0]) &&
        !positionIds->shape[0].is(1)) ||
       differ(positionIds->shape[1], is[1])))
    return im.fail("position_ids must be INT32 [batch, sequence] or [1, "
                   "sequence], got " +
                   Importer::typeName(positionIds->elementType) + " " +
                   im.shapeString(positionIds->shape));
  if (llvm::Error e = needFloat(im, *word, "word_embedding"))
    return e;
  Type et = word->elementType;
  if (word->rank() != 2 || !word->staticShape())
    return im.fail("word_embedding must be a static 2-D [vocabulary, hidden], "
                   "got " +
                   im.shapeString(word->shape));
  const SymInt &hidden = word->shape[1];
  for (auto [v, name] : {std::pair{position, "position_embedding"},
                         {segment, "segment_embedding"}})
    if (v && (v->elementType != et || v->rank() != 2 || !v->staticShape() ||
              v->shape[1] != hidden))
      return im.fail(Twine(name) + " must be a static 2-D [rows, " +
                     im.sizeString(hidden) + "] of " + Importer::typeName(et) +
                     ", got " + Importer::typeName(v->elementType) + " " +
                     im.shapeString(v->shape));
  for (auto [v, name] : {std::pair{gamma, "gamma"}, {beta, "beta"}})
    if (v->elementType != et || v->rank() != 1 || v->shape[0] != hidden)
      return im.fail(Twine(name) + " must be [" + im.sizeString(hidden) +
                     "] of " + Importer::typeName(et) + ", got " +
                     Importer::typeName(v->elementType) + " " +
                     im.shapeString(v->shape));
  Expected<double> eps = im.floatAttr("epsilon", 1e-12);
  if (!eps)
    return eps.takeError();
  if (!(*eps > 0))
    return im.fail("attribute 'epsilon' must be positive");

  // Without position_ids the positions are 0..S-1: the first S rows.
  const SymInt &seq = is[1];
  int64_t rows = *position->shape[0].constant();
  OnnxValue positions;
  if (positionIds) {
    positions = lookup(im, *positionIds, *position);
  } else {
    if (std::optional<int64_t> s = seq.constant(); s && *s > rows)
      return im.fail("sequence length " + Twine(*s) +
                     " exceeds the " + Twine(rows) +
                     " rows of position_embedding");
    im.boundSize(seq, rows);
    OpBuilder &b = im.builder();
    Value table = im.materialize(*position);
    SymShape shape = {seq, hidden};
    Value slice = tensor::ExtractSliceOp::create(
        b, im.loc(), im.tensorType(shape, et), table,
        SmallVector<OpFoldResult>(2, b.getIndexAttr(0)), im.mixedSizes(shape),
        SmallVector<OpFoldResult>(2, b.getIndexAttr(1)));
    positions = im.wrap(slice, shape);
  }
  OnnxValue words = lookup(im, *ids, *word);
  SmallVector<OnnxValue *> addends = {&words, &positions};
  OnnxValue segments;
  if (segment) {
    segments = lookup(im, *segmentIds, *segment);
    addends.push_back(&segments);
  }
  Expected<OnnxValue> sum = im.elementwise(
      addends, et, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value s = arith::AddFOp::create(nb, l, a[0], a[1]);
        for (Value more : a.drop_front(2))
          s = arith::AddFOp::create(nb, l, s, more);
        return s;
      });
  if (!sum)
    return sum.takeError();
  Value s = im.materialize(*sum);
  OpBuilder &b = im.builder();
  Value y = attn::LayerNormOp::create(b, im.loc(), s.getType(), s,
                                      im.materialize(*gamma),
                                      im.materialize(*beta),
                                      b.getF64FloatAttr(*eps));
  im.setOutput(0, y, sum->shape);
  im.setOutput(2, std::move(*sum));

  if (im.wantsOutput(1)) {
    Type i32 = b.getI32Type();
    Value init = im.filled({is[0]}, i32, 0.0, {im.materialize(*ids)});
    if (!mask) {
      im.setOutput(1, init, {is[0]});
      return llvm::Error::success();
    }
    // ONNX Runtime counts the elements equal to 1 (not the sum, not the
    // position of the first 0).
    OnnxValue ones = im.elementwiseTo(
        {mask}, mask->shape, i32, [&](OpBuilder &nb, Location l, ValueRange a) {
          Value one = arith::ConstantOp::create(nb, l, nb.getI32IntegerAttr(1));
          Value zero =
              arith::ConstantOp::create(nb, l, nb.getI32IntegerAttr(0));
          Value isOne =
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, a[0], one);
          return arith::SelectOp::create(nb, l, isOne, one, zero).getResult();
        });
    Value count =
        linalg::ReduceOp::create(
            b, im.loc(), ValueRange{im.materialize(ones)}, ValueRange{init},
            ArrayRef<int64_t>{1},
            [](OpBuilder &nb, Location l, ValueRange a) {
              linalg::YieldOp::create(
                  nb, l,
                  ValueRange{arith::AddIOp::create(nb, l, a[0], a[1])});
            })
            .getResult(0);
    im.setOutput(1, count, {is[0]});
  }
  return llvm::Error::success();
}

} // namespace

void attnc::frontend::onnx_import::registerMicrosoftOps(OpRegistry &r) {
  r.add("com.microsoft", "Gelu", 1, msGelu);
  r.add("com.microsoft", "FastGelu", 1, fastGelu);
  r.add("com.microsoft", "BiasGelu", 1, biasGelu);
  r.add("com.microsoft", "SkipLayerNormalization", 1, skipLayerNorm);
  r.add("com.microsoft", "Attention", 1, msAttention);
  r.add("com.microsoft", "MultiHeadAttention", 1, multiHeadAttention);
  r.add("com.microsoft", "EmbedLayerNormalization", 1, embedLayerNorm);
}
