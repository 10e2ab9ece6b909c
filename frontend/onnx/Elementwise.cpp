//===- Elementwise.cpp - Unary, binary, comparison, Where and Cast nodes --===//
//
// Each node is one elementwise linalg.generic (all loops parallel, identity
// map on the output, numpy broadcast maps on the inputs) whose body is the
// node's arith/math ops. Integer tensors whose elements are known at import
// time (shape arithmetic) fold instead and emit nothing.
//
//===----------------------------------------------------------------------===//

#include "frontend/onnx/Importer.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace attnc::frontend::onnx_import;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

namespace {

bool isFloat(Type t) { return isa<FloatType>(t); }
bool isSignedInt(Type t) { return isa<IntegerType>(t) && !t.isInteger(1); }

/// An error unless `v`'s element type is one `ok` accepts.
llvm::Error expectType(Importer &im, const OnnxValue &v, StringRef what,
                       bool (*ok)(Type), StringRef allowed) {
  if (ok(v.elementType))
    return llvm::Error::success();
  return im.fail(what + " has element type " +
                 Importer::typeName(v.elementType) + "; " +
                 im.node().op_type() + " takes " + allowed);
}
constexpr const char *kFloats = "FLOAT, FLOAT16, BFLOAT16 or DOUBLE";
constexpr const char *kNumbers =
    "FLOAT, FLOAT16, BFLOAT16, DOUBLE, INT8, INT32 or INT64";

bool numeric(Type t) { return isFloat(t) || isSignedInt(t); }
bool boolean(Type t) { return t.isInteger(1); }
bool any(Type) { return true; }

llvm::Error sameType(Importer &im, const OnnxValue &a, const OnnxValue &b) {
  if (a.elementType == b.elementType)
    return llvm::Error::success();
  return im.fail("inputs have different element types, " +
                 Importer::typeName(a.elementType) + " and " +
                 Importer::typeName(b.elementType));
}

/// Folds an elementwise op over inputs whose elements are all known, when
/// the broadcast result is small and static; `f` gives one result element
/// from the input elements, or nullopt when it is not known.
std::optional<OnnxValue>
foldKnown(Importer &im, ArrayRef<OnnxValue *> inputs, Type resultType,
          llvm::function_ref<std::optional<SymInt>(ArrayRef<SymInt>)> f) {
  SmallVector<SmallVector<SymInt, 4>, 2> elements;
  SmallVector<ArrayRef<SymInt>> shapes;
  for (OnnxValue *v : inputs) {
    std::optional<SmallVector<SymInt, 4>> e = im.knownElements(*v);
    if (!e || !v->staticShape())
      return std::nullopt;
    elements.push_back(std::move(*e));
    shapes.push_back(v->shape);
  }
  Expected<SymShape> shape = im.broadcastShapes(shapes);
  if (!shape) {
    llvm::consumeError(shape.takeError());
    return std::nullopt;
  }
  SmallVector<int64_t> dims;
  int64_t count = 1;
  for (const SymInt &d : *shape) {
    dims.push_back(*d.constant());
    count *= dims.back();
  }
  if (count > kMaxKnownElements)
    return std::nullopt;
  SmallVector<SymInt, 4> out;
  SmallVector<int64_t> index(dims.size(), 0);
  for (int64_t flat = 0; flat < count; ++flat) {
    SmallVector<SymInt, 3> args;
    for (auto [v, e] : llvm::zip(inputs, elements)) {
      // Row-major offset of the broadcast element.
      SmallVector<int64_t, 4> s = *v->staticShape();
      int64_t offset = 0;
      size_t lead = dims.size() - s.size();
      for (size_t d = 0; d < s.size(); ++d)
        offset = offset * s[d] + (s[d] == 1 ? 0 : index[lead + d]);
      args.push_back(e[offset]);
    }
    std::optional<SymInt> r = f(args);
    if (!r)
      return std::nullopt;
    out.push_back(*r);
    for (int64_t d = static_cast<int64_t>(dims.size()) - 1; d >= 0; --d) {
      if (++index[d] < dims[d])
        break;
      index[d] = 0;
    }
  }
  return im.knownValue(resultType, *shape, out);
}

Value fconst(OpBuilder &nb, Location nloc, Type t, double v) {
  return arith::ConstantOp::create(nb, nloc, nb.getFloatAttr(t, v));
}
Value iconst(OpBuilder &nb, Location nloc, Type t, int64_t v) {
  return arith::ConstantOp::create(nb, nloc, nb.getIntegerAttr(t, v));
}

//===----------------------------------------------------------------------===//
// Unary
//===----------------------------------------------------------------------===//

using ScalarFn = Value (*)(OpBuilder &, Location, Value);

/// A unary node on floats whose body is `fn` of the element.
template <ScalarFn fn> llvm::Error unaryFloat(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "X", x}}))
    return e;
  if (llvm::Error e = expectType(im, *x, "input X", isFloat, kFloats))
    return e;
  Expected<OnnxValue> out = im.elementwise(
      {x}, x->elementType,
      [](OpBuilder &nb, Location nloc, ValueRange args) {
        return fn(nb, nloc, args[0]);
      });
  if (!out)
    return out.takeError();
  im.setOutput(0, std::move(*out));
  return llvm::Error::success();
}

Value sqrtFn(OpBuilder &nb, Location l, Value x) {
  return math::SqrtOp::create(nb, l, x);
}
Value expFn(OpBuilder &nb, Location l, Value x) {
  return math::ExpOp::create(nb, l, x);
}
Value logFn(OpBuilder &nb, Location l, Value x) {
  return math::LogOp::create(nb, l, x);
}
Value tanhFn(OpBuilder &nb, Location l, Value x) {
  return math::TanhOp::create(nb, l, x);
}
Value erfFn(OpBuilder &nb, Location l, Value x) {
  return math::ErfOp::create(nb, l, x);
}
Value reciprocalFn(OpBuilder &nb, Location l, Value x) {
  return arith::DivFOp::create(nb, l, fconst(nb, l, x.getType(), 1.0), x);
}
Value sigmoidFn(OpBuilder &nb, Location l, Value x) {
  Value one = fconst(nb, l, x.getType(), 1.0);
  Value e = math::ExpOp::create(nb, l, arith::NegFOp::create(nb, l, x));
  return arith::DivFOp::create(nb, l, one,
                               arith::AddFOp::create(nb, l, one, e));
}
Value isNanFn(OpBuilder &nb, Location l, Value x) {
  return arith::CmpFOp::create(nb, l, arith::CmpFPredicate::UNO, x, x);
}

llvm::Error isNaN(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "X", x}}))
    return e;
  if (llvm::Error e = expectType(im, *x, "input X", isFloat, kFloats))
    return e;
  Expected<OnnxValue> out = im.elementwise(
      {x}, im.builder().getI1Type(),
      [](OpBuilder &nb, Location l, ValueRange a) { return isNanFn(nb, l, a[0]); });
  if (!out)
    return out.takeError();
  im.setOutput(0, std::move(*out));
  return llvm::Error::success();
}

llvm::Error isInf(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"detect_negative", "detect_positive"}))
    return e;
  Expected<int64_t> negative = im.intAttr("detect_negative", 1);
  if (!negative)
    return negative.takeError();
  Expected<int64_t> positive = im.intAttr("detect_positive", 1);
  if (!positive)
    return positive.takeError();
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "X", x}}))
    return e;
  if (llvm::Error e = expectType(im, *x, "input X", isFloat, kFloats))
    return e;
  bool neg = *negative != 0, pos = *positive != 0;
  Expected<OnnxValue> out = im.elementwise(
      {x}, im.builder().getI1Type(),
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        double inf = std::numeric_limits<double>::infinity();
        Type t = a[0].getType();
        Value result = arith::ConstantOp::create(nb, l, nb.getBoolAttr(false));
        if (pos)
          result = arith::OrIOp::create(
              nb, l, result,
              arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ, a[0],
                                    fconst(nb, l, t, inf)));
        if (neg)
          result = arith::OrIOp::create(
              nb, l, result,
              arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ, a[0],
                                    fconst(nb, l, t, -inf)));
        return result;
      });
  if (!out)
    return out.takeError();
  im.setOutput(0, std::move(*out));
  return llvm::Error::success();
}

llvm::Error neg(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "X", x}}))
    return e;
  if (llvm::Error e = expectType(im, *x, "input X", numeric, kNumbers))
    return e;
  if (std::optional<OnnxValue> folded =
          foldKnown(im, {x}, x->elementType,
                    [](ArrayRef<SymInt> a) -> std::optional<SymInt> {
                      return -a[0];
                    })) {
    im.setOutput(0, std::move(*folded));
    return llvm::Error::success();
  }
  Expected<OnnxValue> out = im.elementwise(
      {x}, x->elementType, [](OpBuilder &nb, Location l, ValueRange a) {
        if (isFloat(a[0].getType()))
          return Value(arith::NegFOp::create(nb, l, a[0]));
        return Value(arith::SubIOp::create(
            nb, l, iconst(nb, l, a[0].getType(), 0), a[0]));
      });
  if (!out)
    return out.takeError();
  im.setOutput(0, std::move(*out));
  return llvm::Error::success();
}

llvm::Error relu(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "X", x}}))
    return e;
  if (llvm::Error e = expectType(im, *x, "input X", numeric, kNumbers))
    return e;
  Expected<OnnxValue> out = im.elementwise(
      {x}, x->elementType, [](OpBuilder &nb, Location l, ValueRange a) {
        Type t = a[0].getType();
        if (isFloat(t))
          return Value(
              arith::MaximumFOp::create(nb, l, a[0], fconst(nb, l, t, 0.0)));
        return Value(arith::MaxSIOp::create(nb, l, a[0], iconst(nb, l, t, 0)));
      });
  if (!out)
    return out.takeError();
  im.setOutput(0, std::move(*out));
  return llvm::Error::success();
}

llvm::Error notOp(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "X", x}}))
    return e;
  if (llvm::Error e = expectType(im, *x, "input X", boolean, "BOOL"))
    return e;
  if (std::optional<OnnxValue> folded = foldKnown(
          im, {x}, x->elementType,
          [](ArrayRef<SymInt> a) -> std::optional<SymInt> {
            return a[0].isConstant() ? std::optional<SymInt>(SymInt(a[0].is(0)))
                                     : std::nullopt;
          })) {
    im.setOutput(0, std::move(*folded));
    return llvm::Error::success();
  }
  Expected<OnnxValue> out = im.elementwise(
      {x}, x->elementType, [](OpBuilder &nb, Location l, ValueRange a) {
        Value one = arith::ConstantOp::create(nb, l, nb.getBoolAttr(true));
        return Value(arith::XOrIOp::create(nb, l, a[0], one));
      });
  if (!out)
    return out.takeError();
  im.setOutput(0, std::move(*out));
  return llvm::Error::success();
}

} // namespace

Value attnc::frontend::onnx_import::geluScalar(OpBuilder &nb, Location l,
                                               Value x, bool tanh) {
  Type et = x.getType();
  Type ct = et.getIntOrFloatBitWidth() < 32 ? nb.getF32Type() : et;
  Value v = Importer::castScalar(nb, l, x, ct);
  auto fconst = [&](double c) -> Value {
    return arith::ConstantOp::create(nb, l, nb.getFloatAttr(ct, c));
  };
  Value inner;
  if (tanh) {
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    Value cube =
        arith::MulFOp::create(nb, l, arith::MulFOp::create(nb, l, v, v), v);
    Value sum = arith::AddFOp::create(
        nb, l, v, arith::MulFOp::create(nb, l, fconst(0.044715), cube));
    inner = math::TanhOp::create(
        nb, l,
        arith::MulFOp::create(nb, l, fconst(std::sqrt(2.0 / M_PI)), sum));
  } else {
    // 0.5 x (1 + erf(x / sqrt(2)))
    inner = math::ErfOp::create(
        nb, l, arith::MulFOp::create(nb, l, v, fconst(M_SQRT1_2)));
  }
  Value onePlus = arith::AddFOp::create(nb, l, fconst(1.0), inner);
  Value half = arith::MulFOp::create(nb, l, fconst(0.5), v);
  Value r = arith::MulFOp::create(nb, l, half, onePlus);
  return Importer::castScalar(nb, l, r, et);
}

namespace {

/// Gelu (opset 20): one generic holding the formula, computed in f32 for
/// f16/bf16 inputs.
llvm::Error gelu(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"approximate"}))
    return e;
  Expected<std::string> approximate = im.stringAttr("approximate", "none");
  if (!approximate)
    return approximate.takeError();
  if (*approximate != "none" && *approximate != "tanh")
    return im.fail("attribute 'approximate' must be \"none\" or \"tanh\", "
                   "got \"" +
                   *approximate + "\"");
  bool tanh = *approximate == "tanh";
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "X", x}}))
    return e;
  if (llvm::Error e = expectType(im, *x, "input X", isFloat, kFloats))
    return e;
  Expected<OnnxValue> out = im.elementwise(
      {x}, x->elementType, [&](OpBuilder &nb, Location l, ValueRange a) {
        return geluScalar(nb, l, a[0], tanh);
      });
  if (!out)
    return out.takeError();
  im.setOutput(0, std::move(*out));
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Binary
//===----------------------------------------------------------------------===//

enum class Arith { Add, Sub, Mul, Div };

template <Arith kind> llvm::Error arithmetic(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *a, *b;
  if (llvm::Error e = im.requireInputs({{0, "A", a}, {1, "B", b}}))
    return e;
  if (llvm::Error e = expectType(im, *a, "input A", numeric, kNumbers))
    return e;
  if (llvm::Error e = sameType(im, *a, *b))
    return e;
  if (std::optional<OnnxValue> folded = foldKnown(
          im, {a, b}, a->elementType,
          [](ArrayRef<SymInt> x) -> std::optional<SymInt> {
            switch (kind) {
            case Arith::Add:
              return x[0] + x[1];
            case Arith::Sub:
              return x[0] - x[1];
            case Arith::Mul:
              return x[0] * x[1];
            case Arith::Div:
              return x[0].divideTruncating(x[1]);
            }
            return std::nullopt;
          })) {
    im.setOutput(0, std::move(*folded));
    return llvm::Error::success();
  }
  Expected<OnnxValue> out = im.elementwise(
      {a, b}, a->elementType,
      [](OpBuilder &nb, Location l, ValueRange x) -> Value {
        bool f = isFloat(x[0].getType());
        switch (kind) {
        case Arith::Add:
          return f ? Value(arith::AddFOp::create(nb, l, x[0], x[1]))
                   : Value(arith::AddIOp::create(nb, l, x[0], x[1]));
        case Arith::Sub:
          return f ? Value(arith::SubFOp::create(nb, l, x[0], x[1]))
                   : Value(arith::SubIOp::create(nb, l, x[0], x[1]));
        case Arith::Mul:
          return f ? Value(arith::MulFOp::create(nb, l, x[0], x[1]))
                   : Value(arith::MulIOp::create(nb, l, x[0], x[1]));
        case Arith::Div:
          // Integer division truncates, as the reference's astype does.
          return f ? Value(arith::DivFOp::create(nb, l, x[0], x[1]))
                   : Value(arith::DivSIOp::create(nb, l, x[0], x[1]));
        }
        return x[0];
      });
  if (!out)
    return out.takeError();
  im.setOutput(0, std::move(*out));
  return llvm::Error::success();
}

/// Pow: the result has the base's type. An exponent that is the constant 2
/// is `x * x`; integer operands go through f64 (exact for the values an
/// integer power can hold without overflow).
llvm::Error pow(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *x, *y;
  if (llvm::Error e = im.requireInputs({{0, "X", x}, {1, "Y", y}}))
    return e;
  if (llvm::Error e = expectType(im, *x, "input X", numeric, kNumbers))
    return e;
  if (llvm::Error e = expectType(im, *y, "input Y", numeric, kNumbers))
    return e;
  Type et = x->elementType;
  std::optional<SmallVector<double, 4>> exponent = im.constantDoubles(*y);
  bool square = isFloat(et) && exponent && !exponent->empty() &&
                llvm::all_of(*exponent, [](double e) { return e == 2.0; });
  if (square) {
    // The exponent must not widen the result by broadcasting.
    Expected<SymShape> shape = im.broadcastShapes({x->shape, y->shape});
    if (!shape)
      return shape.takeError();
    if (*shape == x->shape) {
      Expected<OnnxValue> out = im.elementwise(
          {x}, et, [](OpBuilder &nb, Location l, ValueRange a) {
            return Value(arith::MulFOp::create(nb, l, a[0], a[0]));
          });
      if (!out)
        return out.takeError();
      im.setOutput(0, std::move(*out));
      return llvm::Error::success();
    }
  }
  Expected<OnnxValue> out = im.elementwise(
      {x, y}, et, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Type ct = isFloat(et) ? (et.getIntOrFloatBitWidth() < 32
                                     ? Type(nb.getF32Type())
                                     : et)
                              : Type(nb.getF64Type());
        Value base = Importer::castScalar(nb, l, a[0], ct);
        Value power = Importer::castScalar(nb, l, a[1], ct);
        Value r = math::PowFOp::create(nb, l, base, power);
        return Importer::castScalar(nb, l, r, et);
      });
  if (!out)
    return out.takeError();
  im.setOutput(0, std::move(*out));
  return llvm::Error::success();
}

enum class Compare { Eq, Lt, Le, Gt, Ge };

template <Compare kind> llvm::Error compare(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *a, *b;
  if (llvm::Error e = im.requireInputs({{0, "A", a}, {1, "B", b}}))
    return e;
  if (kind == Compare::Eq) {
    if (llvm::Error e = expectType(im, *a, "input A", any, ""))
      return e;
  } else if (llvm::Error e =
                 expectType(im, *a, "input A", numeric, kNumbers)) {
    return e;
  }
  if (llvm::Error e = sameType(im, *a, *b))
    return e;
  Type i1 = im.builder().getI1Type();
  if (std::optional<OnnxValue> folded = foldKnown(
          im, {a, b}, i1, [](ArrayRef<SymInt> x) -> std::optional<SymInt> {
            std::optional<bool> r;
            switch (kind) {
            case Compare::Eq:
              r = x[0].equals(x[1]);
              break;
            case Compare::Lt:
              r = x[0].less(x[1]);
              break;
            case Compare::Le:
              if (std::optional<bool> gt = x[1].less(x[0]))
                r = !*gt;
              break;
            case Compare::Gt:
              r = x[1].less(x[0]);
              break;
            case Compare::Ge:
              if (std::optional<bool> lt = x[0].less(x[1]))
                r = !*lt;
              break;
            }
            if (!r)
              return std::nullopt;
            return SymInt(*r ? 1 : 0);
          })) {
    im.setOutput(0, std::move(*folded));
    return llvm::Error::success();
  }
  Expected<OnnxValue> out = im.elementwise(
      {a, b}, i1, [](OpBuilder &nb, Location l, ValueRange x) -> Value {
        if (isFloat(x[0].getType())) {
          arith::CmpFPredicate p = kind == Compare::Eq   ? arith::CmpFPredicate::OEQ
                                   : kind == Compare::Lt ? arith::CmpFPredicate::OLT
                                   : kind == Compare::Le ? arith::CmpFPredicate::OLE
                                   : kind == Compare::Gt ? arith::CmpFPredicate::OGT
                                                         : arith::CmpFPredicate::OGE;
          return arith::CmpFOp::create(nb, l, p, x[0], x[1]);
        }
        arith::CmpIPredicate p = kind == Compare::Eq   ? arith::CmpIPredicate::eq
                                 : kind == Compare::Lt ? arith::CmpIPredicate::slt
                                 : kind == Compare::Le ? arith::CmpIPredicate::sle
                                 : kind == Compare::Gt ? arith::CmpIPredicate::sgt
                                                       : arith::CmpIPredicate::sge;
        return arith::CmpIOp::create(nb, l, p, x[0], x[1]);
      });
  if (!out)
    return out.takeError();
  im.setOutput(0, std::move(*out));
  return llvm::Error::success();
}

template <bool isAnd> llvm::Error logical(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *a, *b;
  if (llvm::Error e = im.requireInputs({{0, "A", a}, {1, "B", b}}))
    return e;
  if (llvm::Error e = expectType(im, *a, "input A", boolean, "BOOL"))
    return e;
  if (llvm::Error e = expectType(im, *b, "input B", boolean, "BOOL"))
    return e;
  if (std::optional<OnnxValue> folded = foldKnown(
          im, {a, b}, a->elementType,
          [](ArrayRef<SymInt> x) -> std::optional<SymInt> {
            if (!x[0].isConstant() || !x[1].isConstant())
              return std::nullopt;
            bool p = !x[0].is(0), q = !x[1].is(0);
            return SymInt(isAnd ? (p && q) : (p || q));
          })) {
    im.setOutput(0, std::move(*folded));
    return llvm::Error::success();
  }
  Expected<OnnxValue> out = im.elementwise(
      {a, b}, a->elementType,
      [](OpBuilder &nb, Location l, ValueRange x) -> Value {
        if (isAnd)
          return arith::AndIOp::create(nb, l, x[0], x[1]);
        return arith::OrIOp::create(nb, l, x[0], x[1]);
      });
  if (!out)
    return out.takeError();
  im.setOutput(0, std::move(*out));
  return llvm::Error::success();
}

llvm::Error where(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *c, *x, *y;
  if (llvm::Error e = im.requireInputs({{0, "condition", c},
                                        {1, "X", x},
                                        {2, "Y", y}}))
    return e;
  if (llvm::Error e = expectType(im, *c, "input condition", boolean, "BOOL"))
    return e;
  if (llvm::Error e = sameType(im, *x, *y))
    return e;
  if (std::optional<OnnxValue> folded = foldKnown(
          im, {c, x, y}, x->elementType,
          [](ArrayRef<SymInt> a) -> std::optional<SymInt> {
            if (!a[0].isConstant())
              return std::nullopt;
            return a[0].is(0) ? a[2] : a[1];
          })) {
    im.setOutput(0, std::move(*folded));
    return llvm::Error::success();
  }
  Expected<OnnxValue> out = im.elementwise(
      {c, x, y}, x->elementType,
      [](OpBuilder &nb, Location l, ValueRange a) -> Value {
        return arith::SelectOp::create(nb, l, a[0], a[1], a[2]);
      });
  if (!out)
    return out.takeError();
  im.setOutput(0, std::move(*out));
  return llvm::Error::success();
}

llvm::Error cast(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"to", "saturate"}))
    return e;
  Expected<std::optional<int64_t>> to = im.optionalIntAttr("to");
  if (!to)
    return to.takeError();
  if (!*to)
    return im.fail("attribute 'to' is required");
  Expected<Type> target =
      im.elementType(static_cast<int32_t>(**to), "attribute 'to'");
  if (!target)
    return target.takeError();
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "input", x}}))
    return e;
  Type et = *target;
  if (isa<IntegerType>(et) && isa<IntegerType>(x->elementType)) {
    unsigned width = et.getIntOrFloatBitWidth();
    if (std::optional<OnnxValue> folded = foldKnown(
            im, {x}, et, [&](ArrayRef<SymInt> a) -> std::optional<SymInt> {
              if (width == 1) {
                std::optional<bool> zero = a[0].equals(SymInt(0));
                if (!zero)
                  return std::nullopt;
                return SymInt(*zero ? 0 : 1);
              }
              std::optional<int64_t> c = a[0].constant();
              if (!c)
                return width == 64 ? std::optional<SymInt>(a[0]) : std::nullopt;
              // Wrap to the target width, as trunci does.
              APInt v(64, static_cast<uint64_t>(*c), /*isSigned=*/true);
              return SymInt(v.trunc(width).getSExtValue());
            })) {
      im.setOutput(0, std::move(*folded));
      return llvm::Error::success();
    }
  }
  if (x->elementType == et) {
    im.setOutput(0, *x);
    return llvm::Error::success();
  }
  Expected<OnnxValue> out = im.elementwise(
      {x}, et, [&](OpBuilder &nb, Location l, ValueRange a) {
        return Importer::castScalar(nb, l, a[0], et);
      });
  if (!out)
    return out.takeError();
  im.setOutput(0, std::move(*out));
  return llvm::Error::success();
}

/// Identity: the input itself.
llvm::Error identity(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "input", x}}))
    return e;
  im.setOutput(0, *x);
  return llvm::Error::success();
}

} // namespace

void attnc::frontend::onnx_import::registerElementwiseOps(OpRegistry &r) {
  r.add("", "Sqrt", 13, unaryFloat<sqrtFn>);
  r.add("", "Exp", 13, unaryFloat<expFn>);
  r.add("", "Log", 13, unaryFloat<logFn>);
  r.add("", "Tanh", 13, unaryFloat<tanhFn>);
  r.add("", "Erf", 13, unaryFloat<erfFn>);
  r.add("", "Reciprocal", 13, unaryFloat<reciprocalFn>);
  r.add("", "Sigmoid", 13, unaryFloat<sigmoidFn>);
  r.add("", "IsNaN", 13, isNaN);
  r.add("", "IsInf", 10, isInf);
  r.add("", "Neg", 13, neg);
  r.add("", "Relu", 13, relu);
  r.add("", "Not", 1, notOp);
  r.add("", "Gelu", 20, gelu);
  r.add("", "Add", 13, arithmetic<Arith::Add>);
  r.add("", "Sub", 13, arithmetic<Arith::Sub>);
  r.add("", "Mul", 13, arithmetic<Arith::Mul>);
  r.add("", "Div", 13, arithmetic<Arith::Div>);
  r.add("", "Pow", 13, pow);
  r.add("", "Equal", 13, compare<Compare::Eq>);
  r.add("", "Less", 13, compare<Compare::Lt>);
  r.add("", "LessOrEqual", 12, compare<Compare::Le>);
  r.add("", "Greater", 13, compare<Compare::Gt>);
  r.add("", "GreaterOrEqual", 12, compare<Compare::Ge>);
  r.add("", "And", 7, logical<true>);
  r.add("", "Or", 7, logical<false>);
  r.add("", "Where", 9, where);
  r.add("", "Cast", 13, cast);
  r.add("", "Identity", 13, identity);
}
