//===- ShapeOps.cpp - Constants, shapes, reshapes, slices, concats --------===//
//
// Shape, Size and the integer arithmetic on their results fold at import
// time into known values (SymInt elements), so that a Reshape or Expand whose
// shape an exporter computed from `Shape(x)` gets static sizes where they are
// constant and `tensor.dim` where they are dynamic. The data movement ops
// are tensor.expand_shape / collapse_shape / reshape, extract_slice,
// concat and linalg.transpose.
//
//===----------------------------------------------------------------------===//

#include "frontend/onnx/Importer.h"

#include "onnx/onnx_pb.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace attnc::frontend::onnx_import;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

namespace {

int64_t numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

SymInt product(ArrayRef<SymInt> dims) {
  SymInt p(1);
  for (const SymInt &d : dims)
    p = p * d;
  return p;
}

/// Row-major strides of a static shape.
SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> s(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    s[d] = s[d + 1] * shape[d + 1];
  return s;
}

/// Visits every index of a static shape in row-major order.
void forEachIndex(ArrayRef<int64_t> shape,
                  llvm::function_ref<void(ArrayRef<int64_t>)> fn) {
  int64_t count = numElements(shape);
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t flat = 0; flat < count; ++flat) {
    fn(index);
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

/// Whether a known value of this shape is small enough to track.
bool smallStatic(ArrayRef<SymInt> shape) {
  int64_t n = 1;
  for (const SymInt &d : shape) {
    std::optional<int64_t> c = d.constant();
    if (!c || *c < 0)
      return false;
    n *= *c;
    if (n > kMaxKnownElements)
      return false;
  }
  return true;
}

SmallVector<int64_t> staticDims(ArrayRef<SymInt> shape) {
  SmallVector<int64_t> out;
  for (const SymInt &d : shape)
    out.push_back(*d.constant());
  return out;
}

//===----------------------------------------------------------------------===//
// Constant, ConstantOfShape, Shape, Size, Range
//===----------------------------------------------------------------------===//

llvm::Error constant(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"value", "value_float",
                                          "value_floats", "value_int",
                                          "value_ints", "sparse_value",
                                          "value_string", "value_strings"}))
    return e;
  const onnx::AttributeProto *a = nullptr;
  for (StringRef name :
       {"value", "value_float", "value_floats", "value_int", "value_ints",
        "sparse_value", "value_string", "value_strings"}) {
    if (const onnx::AttributeProto *found = im.attribute(name)) {
      if (a)
        return im.fail("has more than one value attribute");
      a = found;
    }
  }
  if (!a)
    return im.fail("has no value attribute");
  OpBuilder &b = im.builder();
  OnnxValue out;
  if (a->name() == "value") {
    if (a->type() != onnx::AttributeProto::TENSOR)
      return im.fail("attribute 'value' must be a tensor");
    if (llvm::Error e = im.readConstantTensor(a->t(), "attribute 'value'", out))
      return e;
  } else if (a->name() == "value_float" || a->name() == "value_floats") {
    bool list = a->name() == "value_floats";
    if (a->type() != (list ? onnx::AttributeProto::FLOATS
                           : onnx::AttributeProto::FLOAT))
      return im.fail("attribute '" + a->name() + "' must be " +
                     (list ? "a list of floats" : "a float"));
    SmallVector<float> data;
    if (list)
      data.assign(a->floats().begin(), a->floats().end());
    else
      data.push_back(a->f());
    SmallVector<int64_t> shape;
    if (list)
      shape.push_back(static_cast<int64_t>(data.size()));
    out.elementType = b.getF32Type();
    for (int64_t d : shape)
      out.shape.push_back(SymInt(d));
    out.constant = DenseElementsAttr::get(
        RankedTensorType::get(shape, b.getF32Type()), ArrayRef<float>(data));
  } else if (a->name() == "value_int" || a->name() == "value_ints") {
    bool list = a->name() == "value_ints";
    if (a->type() !=
        (list ? onnx::AttributeProto::INTS : onnx::AttributeProto::INT))
      return im.fail("attribute '" + a->name() + "' must be " +
                     (list ? "a list of ints" : "an int"));
    SmallVector<int64_t> data;
    if (list)
      data.assign(a->ints().begin(), a->ints().end());
    else
      data.push_back(a->i());
    SmallVector<int64_t> shape;
    if (list)
      shape.push_back(static_cast<int64_t>(data.size()));
    out.elementType = b.getI64Type();
    for (int64_t d : shape)
      out.shape.push_back(SymInt(d));
    out.constant = DenseElementsAttr::get(
        RankedTensorType::get(shape, b.getI64Type()), ArrayRef<int64_t>(data));
  } else {
    return im.fail("attribute '" + a->name() + "' is not supported");
  }
  im.setOutput(0, std::move(out));
  return llvm::Error::success();
}

llvm::Error constantOfShape(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"value"}))
    return e;
  OnnxValue *input;
  if (llvm::Error e = im.requireInputs({{0, "input", input}}))
    return e;
  Expected<SymShape> shape = im.shapeOperand(*input, "input (the shape)");
  if (!shape)
    return shape.takeError();
  for (const SymInt &d : *shape)
    if (std::optional<int64_t> c = d.constant(); c && *c < 0)
      return im.fail("the shape " + im.shapeString(*shape) +
                     " has a negative size");
  // The fill value: a one-element tensor, float 0 by default.
  Type et = im.builder().getF32Type();
  double value = 0;
  if (const onnx::AttributeProto *a = im.attribute("value")) {
    if (a->type() != onnx::AttributeProto::TENSOR)
      return im.fail("attribute 'value' must be a tensor");
    OnnxValue v;
    if (llvm::Error e = im.readConstantTensor(a->t(), "attribute 'value'", v))
      return e;
    auto dense = dyn_cast<DenseElementsAttr>(v.constant);
    if (!dense || dense.getNumElements() != 1)
      return im.fail("attribute 'value' must hold one element");
    et = v.elementType;
    if (isa<FloatType>(et))
      value = (*dense.getValues<APFloat>().begin()).convertToDouble();
    else if (et.isInteger(1))
      value = *dense.getValues<bool>().begin() ? 1 : 0;
    else
      value = static_cast<double>((*dense.getValues<APInt>().begin())
                                      .getSExtValue());
  }
  if (isa<IntegerType>(et) && smallStatic(*shape)) {
    SmallVector<SymInt, 4> elements(numElements(staticDims(*shape)),
                                    SymInt(static_cast<int64_t>(value)));
    im.setOutput(0, im.knownValue(et, *shape, elements));
    return llvm::Error::success();
  }
  OnnxValue out;
  out.elementType = et;
  out.shape = *shape;
  if (std::all_of(shape->begin(), shape->end(),
                  [](const SymInt &d) { return d.isConstant(); })) {
    auto type = im.tensorType(*shape, et);
    Attribute element =
        isa<FloatType>(et) ? Attribute(im.builder().getFloatAttr(et, value))
        : et.isInteger(1)
            ? Attribute(im.builder().getBoolAttr(value != 0))
            : Attribute(im.builder().getIntegerAttr(
                  et, static_cast<int64_t>(value)));
    out.constant = DenseElementsAttr::get(type, element);
    im.setOutput(0, std::move(out));
    return llvm::Error::success();
  }
  im.setOutput(0, im.filled(*shape, et, value), *shape);
  return llvm::Error::success();
}

llvm::Error shape(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"start", "end"}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "data", x}}))
    return e;
  int64_t rank = x->rank();
  Expected<int64_t> start = im.intAttr("start", 0);
  if (!start)
    return start.takeError();
  Expected<int64_t> end = im.intAttr("end", rank);
  if (!end)
    return end.takeError();
  auto clamp = [&](int64_t v) {
    if (v < 0)
      v += rank;
    return std::clamp<int64_t>(v, 0, rank);
  };
  int64_t s = clamp(*start), e = std::max(clamp(*end), clamp(*start));
  SmallVector<SymInt, 4> dims(x->shape.begin() + s,
                              x->shape.begin() + e);
  im.setOutput(0, im.knownValue(im.builder().getI64Type(),
                                {SymInt(static_cast<int64_t>(dims.size()))},
                                dims));
  return llvm::Error::success();
}

llvm::Error size(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "data", x}}))
    return e;
  im.setOutput(0, im.knownValue(im.builder().getI64Type(), {},
                                {product(x->shape)}));
  return llvm::Error::success();
}

/// Range(start, limit, delta): known when small, else one generic of
/// `start + i * delta` over `linalg.index`.
llvm::Error range(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *args[3];
  const char *names[] = {"start", "limit", "delta"};
  for (int i = 0; i < 3; ++i) {
    Expected<OnnxValue *> v = im.required(i, names[i]);
    if (!v)
      return v.takeError();
    if ((*v)->rank() != 0 && !((*v)->rank() == 1 && (*v)->shape[0].is(1)))
      return im.fail("input " + Twine(names[i]) + " must be a scalar, got " +
                     im.shapeString((*v)->shape));
    args[i] = *v;
  }
  Type et = args[0]->elementType;
  for (OnnxValue *v : args)
    if (v->elementType != et)
      return im.fail("inputs start, limit and delta must have one element "
                     "type");
  if (et.isInteger(1))
    return im.fail("Range does not take BOOL");
  SymInt count;
  if (isa<IntegerType>(et)) {
    std::optional<SmallVector<SymInt, 4>> start = im.knownElements(*args[0]),
                                          limit = im.knownElements(*args[1]);
    std::optional<SmallVector<int64_t, 4>> delta = im.constantInts(*args[2]);
    if (!start || !limit || !delta)
      return im.fail("the number of elements is not known when the model is "
                     "imported (start, limit and delta must follow from "
                     "constants and input shapes)");
    if ((*delta)[0] == 0)
      return im.fail("delta is 0");
    SymInt span = (*limit)[0] - (*start)[0];
    if (std::optional<int64_t> c = span.constant()) {
      int64_t d = (*delta)[0];
      int64_t n = (*c + (d > 0 ? d - 1 : d + 1)) / d;
      count = SymInt(std::max<int64_t>(n, 0));
    } else if (std::optional<SymInt> n =
                   span.divideExactly(SymInt((*delta)[0]))) {
      count = *n;
    } else {
      return im.fail("the number of elements (" + im.sizeString(span) +
                     ") / " + Twine((*delta)[0]) +
                     " is not known exactly when the model is imported");
    }
    // Small and all known: fold.
    if (count.isConstant() && *count.constant() <= kMaxKnownElements &&
        (*start)[0].isConstant()) {
      SmallVector<SymInt, 4> elements;
      for (int64_t i = 0; i < *count.constant(); ++i)
        elements.push_back((*start)[0] + SymInt(i * (*delta)[0]));
      im.setOutput(0, im.knownValue(et, {count}, elements));
      return llvm::Error::success();
    }
  } else {
    std::optional<SmallVector<double, 4>> start = im.constantDoubles(*args[0]),
                                          limit = im.constantDoubles(*args[1]),
                                          delta = im.constantDoubles(*args[2]);
    if (!start || !limit || !delta)
      return im.fail("floating-point start, limit and delta must be constants "
                     "(the number of elements must be known)");
    if ((*delta)[0] == 0)
      return im.fail("delta is 0");
    double n = std::ceil(((*limit)[0] - (*start)[0]) / (*delta)[0]);
    if (!(n < 1e12))
      return im.fail("too many elements");
    count = SymInt(static_cast<int64_t>(std::max(n, 0.0)));
  }
  // start + i * delta, reading start and delta as rank-0 operands.
  OpBuilder &b = im.builder();
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
  for (OnnxValue *v : {args[0], args[2]}) {
    Value x = im.materialize(*v);
    if (v->rank() == 1)
      x = tensor::CollapseShapeOp::create(b, im.loc(), x,
                                          ArrayRef<ReassociationIndices>{});
    operands.push_back(x);
    maps.push_back(AffineMap::get(1, 0, {}, &im.context()));
  }
  maps.push_back(b.getMultiDimIdentityMap(1));
  SymShape shape = {count};
  Value init = im.empty(shape, et);
  auto generic = linalg::GenericOp::create(
      b, im.loc(), TypeRange{init.getType()}, operands, ValueRange{init}, maps,
      {utils::IteratorType::parallel},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value i = linalg::IndexOp::create(nb, l, 0);
        Value r;
        if (isa<FloatType>(et)) {
          Value fi = arith::UIToFPOp::create(
              nb, l, et, arith::IndexCastUIOp::create(nb, l, nb.getI64Type(), i));
          r = arith::AddFOp::create(nb, l, a[0],
                                    arith::MulFOp::create(nb, l, fi, a[1]));
        } else {
          Value ii = arith::IndexCastOp::create(nb, l, et, i);
          r = arith::AddIOp::create(nb, l, a[0],
                                    arith::MulIOp::create(nb, l, ii, a[1]));
        }
        linalg::YieldOp::create(nb, l, r);
      });
  im.setOutput(0, generic.getResult(0), shape);
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Reshapes
//===----------------------------------------------------------------------===//

/// Axes from the attribute or the input `index` (opset 13+), normalized to
/// rank `rank`; duplicates are an error.
Expected<std::optional<SmallVector<int64_t, 4>>>
readAxes(Importer &im, int index, int64_t rank, bool fromInput) {
  std::optional<SmallVector<int64_t, 4>> axes;
  if (fromInput) {
    if (OnnxValue *v = im.input(index)) {
      std::optional<SmallVector<int64_t, 4>> c = im.constantInts(*v);
      if (!c || v->rank() > 1)
        return im.fail("input axes must be a constant 1-D integer tensor");
      axes = *c;
    }
  } else {
    Expected<std::optional<SmallVector<int64_t, 4>>> a = im.intsAttr("axes");
    if (!a)
      return a.takeError();
    axes = *a;
  }
  if (!axes)
    return axes;
  SmallVector<int64_t, 4> out;
  for (int64_t a : *axes) {
    Expected<int64_t> n = im.normalizeAxis(a, rank, "axis");
    if (!n)
      return n.takeError();
    if (llvm::is_contained(out, *n))
      return im.fail("axis " + Twine(a) + " is listed twice");
    out.push_back(*n);
  }
  return std::optional<SmallVector<int64_t, 4>>(out);
}

llvm::Error unsqueeze(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "data", x}}))
    return e;
  if (!im.input(1))
    return im.fail("required input axes (index 1) is missing");
  int64_t rank = x->rank();
  std::optional<SmallVector<int64_t, 4>> raw = im.constantInts(*im.input(1));
  if (!raw)
    return im.fail("input axes must be a constant 1-D integer tensor");
  Expected<std::optional<SmallVector<int64_t, 4>>> axes =
      readAxes(im, 1, rank + static_cast<int64_t>(raw->size()), true);
  if (!axes)
    return axes.takeError();
  SymShape shape;
  auto it = x->shape.begin();
  for (int64_t d = 0; d < rank + static_cast<int64_t>((*axes)->size()); ++d)
    shape.push_back(llvm::is_contained(**axes, d) ? SymInt(1) : *it++);
  im.setOutput(0, im.reshape(*x, shape));
  return llvm::Error::success();
}

llvm::Error squeeze(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "data", x}}))
    return e;
  Expected<std::optional<SmallVector<int64_t, 4>>> axes =
      readAxes(im, 1, x->rank(), true);
  if (!axes)
    return axes.takeError();
  SymShape shape;
  for (auto [d, size] : llvm::enumerate(x->shape)) {
    bool listed = *axes && llvm::is_contained(**axes, static_cast<int64_t>(d));
    if (!*axes) {
      // Dynamic sizes are taken not to be 1.
      if (!size.is(1))
        shape.push_back(size);
      continue;
    }
    if (!listed) {
      shape.push_back(size);
      continue;
    }
    if (!size.is(1))
      return im.fail("cannot squeeze dimension " + Twine(d) + " of size " +
                     im.sizeString(size) + " (it must be 1)");
  }
  im.setOutput(0, im.reshape(*x, shape));
  return llvm::Error::success();
}

llvm::Error reshapeOp(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"allowzero"}))
    return e;
  Expected<int64_t> allowZero = im.intAttr("allowzero", 0);
  if (!allowZero)
    return allowZero.takeError();
  OnnxValue *x, *s;
  if (llvm::Error e = im.requireInputs({{0, "data", x}, {1, "shape", s}}))
    return e;
  Expected<SymShape> target = im.shapeOperand(*s, "input shape");
  if (!target)
    return target.takeError();
  SymShape shape;
  std::optional<size_t> inferred;
  for (auto [d, size] : llvm::enumerate(*target)) {
    if (size.is(0) && !*allowZero) {
      if (d >= x->shape.size())
        return im.fail("shape " + im.shapeString(*target) + " copies (0) " +
                       "dimension " + Twine(d) + ", which the input of rank " +
                       Twine(x->rank()) + " does not have");
      shape.push_back(x->shape[d]);
    } else if (size.is(-1)) {
      if (inferred)
        return im.fail("shape " + im.shapeString(*target) +
                       " has more than one -1");
      inferred = d;
      shape.push_back(SymInt(1));
    } else {
      if (std::optional<int64_t> c = size.constant(); c && *c < 0)
        return im.fail("shape " + im.shapeString(*target) +
                       " has a negative size");
      shape.push_back(size);
    }
  }
  SymInt total = product(x->shape), rest = product(shape);
  if (inferred) {
    std::optional<SymInt> n = total.divideExactly(rest);
    if (!n && rest.is(0) && total.is(0))
      n = SymInt(0);
    if (!n)
      return im.fail("cannot infer the -1 in shape " +
                     im.shapeString(*target) + " from the input shape " +
                     im.shapeString(x->shape));
    shape[*inferred] = *n;
    rest = product(shape);
  }
  if (total != rest)
    return im.fail("cannot reshape " + im.shapeString(x->shape) + " (" +
                   im.sizeString(total) + " elements) to " +
                   im.shapeString(shape) + " (" + im.sizeString(rest) + ")");
  im.setOutput(0, im.reshape(*x, shape));
  return llvm::Error::success();
}

llvm::Error flatten(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"axis"}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "input", x}}))
    return e;
  int64_t rank = x->rank();
  Expected<int64_t> axis = im.intAttr("axis", 1);
  if (!axis)
    return axis.takeError();
  if (*axis < -rank || *axis > rank)
    return im.fail("axis " + Twine(*axis) + " is out of range for rank " +
                   Twine(rank));
  int64_t a = *axis < 0 ? *axis + rank : *axis;
  ArrayRef<SymInt> dims = x->shape;
  SymShape shape = {product(dims.take_front(a)), product(dims.drop_front(a))};
  im.setOutput(0, im.reshape(*x, shape));
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Slice, Split, Concat, Transpose, Expand
//===----------------------------------------------------------------------===//

/// One sliced axis: the first element, the step and how many.
struct AxisSlice {
  SymInt start, size;
  int64_t step;
};

/// ONNX's clamping of a start or end against size `dim`, decided where the
/// values allow and assumed in range where they are dynamic.
SymInt clampIndex(Importer &im, SymInt v, const SymInt &dim, bool isEnd,
                  bool forward) {
  // Very large or very small constants mean "to the end".
  if (std::optional<int64_t> c = v.constant()) {
    if (*c <= -(int64_t(1) << 40))
      return forward ? SymInt(0) : SymInt(-1);
    if (*c >= (int64_t(1) << 40))
      return forward ? dim : dim - SymInt(1);
    if (*c < 0)
      v = v + dim;
  }
  SymInt low = forward ? SymInt(0) : SymInt(isEnd ? -1 : 0);
  SymInt high = forward ? dim : dim - SymInt(isEnd ? 0 : 1);
  if (std::optional<bool> below = v.less(low); below && *below)
    return low;
  if (std::optional<bool> above = high.less(v); above && *above)
    return high;
  if (dim.isConstant() && !v.isConstant())
    im.boundSize(v, *dim.constant());
  return v;
}

llvm::Error slice(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "data", x}}))
    return e;
  int64_t rank = x->rank();
  auto knownOf = [&](int i, StringRef name)
      -> Expected<std::optional<SmallVector<SymInt, 4>>> {
    OnnxValue *v = im.input(i);
    if (!v)
      return std::optional<SmallVector<SymInt, 4>>();
    std::optional<SmallVector<SymInt, 4>> k = im.knownElements(*v);
    if (!k || v->rank() != 1)
      return im.fail("input " + name +
                     " must be a 1-D tensor known when the model is imported "
                     "(constants and input sizes)");
    return k;
  };
  Expected<std::optional<SmallVector<SymInt, 4>>> starts =
      knownOf(1, "starts");
  if (!starts)
    return starts.takeError();
  Expected<std::optional<SmallVector<SymInt, 4>>> ends = knownOf(2, "ends");
  if (!ends)
    return ends.takeError();
  if (!*starts || !*ends)
    return im.fail("inputs starts and ends are required");
  size_t n = (*starts)->size();
  if ((*ends)->size() != n)
    return im.fail("starts and ends have different lengths, " + Twine(n) +
                   " and " + Twine((*ends)->size()));
  Expected<std::optional<SmallVector<int64_t, 4>>> axes =
      readAxes(im, 3, rank, true);
  if (!axes)
    return axes.takeError();
  SmallVector<int64_t, 4> steps(n, 1);
  if (OnnxValue *v = im.input(4)) {
    std::optional<SmallVector<int64_t, 4>> c = im.constantInts(*v);
    if (!c || c->size() != n)
      return im.fail("input steps must be constant, one per axis");
    steps = *c;
  }
  SmallVector<int64_t, 4> axisList;
  if (*axes) {
    if ((*axes)->size() != n)
      return im.fail("axes has " + Twine((*axes)->size()) +
                     " elements but starts has " + Twine(n));
    axisList = **axes;
  } else {
    if (static_cast<int64_t>(n) > rank)
      return im.fail("starts has " + Twine(n) +
                     " elements, more than the rank " + Twine(rank));
    for (size_t i = 0; i < n; ++i)
      axisList.push_back(static_cast<int64_t>(i));
  }

  SmallVector<AxisSlice> slices;
  for (int64_t d = 0; d < rank; ++d)
    slices.push_back({SymInt(0), x->shape[d], 1});
  bool reversed = false;
  for (size_t i = 0; i < n; ++i) {
    int64_t axis = axisList[i], step = steps[i];
    const SymInt &dim = x->shape[axis];
    if (step == 0)
      return im.fail("step of axis " + Twine(axis) + " is 0");
    bool forward = step > 0;
    SymInt start = clampIndex(im, (**starts)[i], dim, false, forward);
    SymInt end = clampIndex(im, (**ends)[i], dim, true, forward);
    SymInt span = forward ? end - start : start - end;
    int64_t magnitude = forward ? step : -step;
    SymInt size;
    if (std::optional<int64_t> c = span.constant()) {
      size = SymInt(std::max<int64_t>(0, (*c + magnitude - 1) / magnitude));
    } else if (magnitude == 1) {
      size = span;
    } else if (std::optional<SymInt> q = span.divideExactly(SymInt(magnitude))) {
      size = *q;
    } else {
      return im.fail("the size of axis " + Twine(axis) + " (" +
                     im.sizeString(span) + " / " + Twine(magnitude) +
                     ") is not known exactly when the model is imported");
    }
    slices[axis] = {start, size, step};
    reversed |= step < 0;
  }
  SymShape shape;
  for (const AxisSlice &s : slices)
    shape.push_back(s.size);

  // Known data: slice the elements.
  if (std::optional<SmallVector<SymInt, 4>> data = im.knownElements(*x)) {
    bool constantParams = llvm::all_of(slices, [](const AxisSlice &s) {
      return s.start.isConstant() && s.size.isConstant();
    });
    if (constantParams && smallStatic(shape) && x->staticShape()) {
      SmallVector<int64_t> strides = stridesOf(*x->staticShape());
      SmallVector<SymInt, 4> out;
      forEachIndex(staticDims(shape), [&](ArrayRef<int64_t> index) {
        int64_t offset = 0;
        for (auto [d, i] : llvm::enumerate(index))
          offset +=
              (*slices[d].start.constant() + i * slices[d].step) * strides[d];
        out.push_back((*data)[offset]);
      });
      im.setOutput(0, im.knownValue(x->elementType, shape, out));
      return llvm::Error::success();
    }
  }
  Value source = im.materialize(*x);
  OpBuilder &b = im.builder();
  // An empty result: no slice (its offset may be the size of the axis,
  // which tensor.extract_slice does not take).
  if (llvm::any_of(shape, [](const SymInt &d) { return d.is(0); })) {
    im.setOutput(0, im.empty(shape, x->elementType, source), shape);
    return llvm::Error::success();
  }
  if (!reversed) {
    SmallVector<OpFoldResult> offsets, sizes, strides;
    for (const AxisSlice &s : slices) {
      offsets.push_back(s.start.isConstant()
                            ? OpFoldResult(b.getIndexAttr(*s.start.constant()))
                            : OpFoldResult(im.indexValue(s.start, source)));
      sizes.push_back(s.size.isConstant()
                          ? OpFoldResult(b.getIndexAttr(*s.size.constant()))
                          : OpFoldResult(im.indexValue(s.size, source)));
      strides.push_back(b.getIndexAttr(s.step));
    }
    Value result = tensor::ExtractSliceOp::create(
        b, im.loc(), im.tensorType(shape, x->elementType), source, offsets,
        sizes, strides);
    im.setOutput(0, result, shape);
    return llvm::Error::success();
  }
  // Negative steps: a generic that reads data[start + i * step] through
  // tensor.extract.
  SmallVector<Value> startValues;
  for (const AxisSlice &s : slices)
    startValues.push_back(im.indexValue(s.start, source));
  Value init = im.empty(shape, x->elementType, source);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, im.loc(), TypeRange{init.getType()}, ValueRange{}, ValueRange{init},
      ArrayRef<AffineMap>{b.getMultiDimIdentityMap(rank)}, iterators,
      [&](OpBuilder &nb, Location l, ValueRange) {
        SmallVector<Value> indices;
        for (int64_t d = 0; d < rank; ++d) {
          Value i = linalg::IndexOp::create(nb, l, d);
          Value step = arith::ConstantIndexOp::create(nb, l, slices[d].step);
          indices.push_back(arith::AddIOp::create(
              nb, l, startValues[d], arith::MulIOp::create(nb, l, i, step)));
        }
        linalg::YieldOp::create(
            nb, l, Value(tensor::ExtractOp::create(nb, l, source, indices)));
      });
  im.setOutput(0, generic.getResult(0), shape);
  return llvm::Error::success();
}

llvm::Error split(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"axis", "num_outputs"}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "input", x}}))
    return e;
  Expected<int64_t> axisAttr = im.intAttr("axis", 0);
  if (!axisAttr)
    return axisAttr.takeError();
  Expected<int64_t> axis = im.normalizeAxis(*axisAttr, x->rank(), "axis");
  if (!axis)
    return axis.takeError();
  Expected<std::optional<int64_t>> numOutputs =
      im.optionalIntAttr("num_outputs");
  if (!numOutputs)
    return numOutputs.takeError();
  const SymInt &dim = x->shape[*axis];
  int outputs = im.numOutputs();
  SmallVector<SymInt, 4> sizes;
  if (OnnxValue *s = im.input(1)) {
    std::optional<SmallVector<SymInt, 4>> k = im.knownElements(*s);
    if (!k)
      return im.fail("input split must be known when the model is imported");
    sizes = *k;
    if (static_cast<int>(sizes.size()) != outputs)
      return im.fail("split has " + Twine(sizes.size()) + " sizes but the "
                     "node has " + Twine(outputs) + " outputs");
    SymInt total(0);
    for (const SymInt &s : sizes)
      total = total + s;
    if (total != dim)
      return im.fail("the sizes in split add up to " + im.sizeString(total) +
                     ", not the size " + im.sizeString(dim) + " of axis " +
                     Twine(*axis));
  } else {
    int64_t parts = numOutputs->value_or(outputs);
    if (parts <= 0 || (*numOutputs && parts != outputs))
      return im.fail("num_outputs " + Twine(parts) + " does not match the " +
                     Twine(outputs) + " outputs");
    if (std::optional<SymInt> each = dim.divideExactly(SymInt(parts))) {
      sizes.assign(parts, *each);
    } else if (std::optional<int64_t> c = dim.constant();
               c && *numOutputs) {
      // Opset 18: the last part is smaller.
      int64_t chunk = (*c + parts - 1) / parts;
      for (int64_t i = 0; i < parts; ++i)
        sizes.push_back(
            SymInt(std::max<int64_t>(0, std::min(chunk, *c - i * chunk))));
    } else {
      return im.fail("axis " + Twine(*axis) + " of size " +
                     im.sizeString(dim) + " does not split into " +
                     Twine(parts) + " equal parts");
    }
  }
  for (const SymInt &s : sizes)
    if (std::optional<int64_t> c = s.constant(); c && *c < 0)
      return im.fail("split has a negative size");
  Value source;
  SymInt offset(0);
  OpBuilder &b = im.builder();
  for (int i = 0; i < outputs; ++i) {
    SymShape shape = x->shape;
    shape[*axis] = sizes[i];
    if (im.wantsOutput(i)) {
      if (!source)
        source = im.materialize(*x);
      SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0)),
          strides(shape.size(), b.getIndexAttr(1));
      offsets[*axis] = offset.isConstant()
                           ? OpFoldResult(b.getIndexAttr(*offset.constant()))
                           : OpFoldResult(im.indexValue(offset, source));
      // An empty part is no slice (its offset may be the axis' size).
      Value part =
          sizes[i].is(0)
              ? im.empty(shape, x->elementType, source)
              : tensor::ExtractSliceOp::create(
                    b, im.loc(), im.tensorType(shape, x->elementType),
                    source, offsets, im.mixedSizes(shape, source), strides)
                    .getResult();
      im.setOutput(i, part, shape);
    }
    offset = offset + sizes[i];
  }
  return llvm::Error::success();
}

llvm::Error concat(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"axis"}))
    return e;
  Expected<std::optional<int64_t>> axisAttr = im.optionalIntAttr("axis");
  if (!axisAttr)
    return axisAttr.takeError();
  if (!*axisAttr)
    return im.fail("attribute 'axis' is required");
  SmallVector<OnnxValue *> inputs;
  for (int i = 0; i < im.numInputs(); ++i) {
    Expected<OnnxValue *> v = im.required(i, "inputs");
    if (!v)
      return v.takeError();
    inputs.push_back(*v);
  }
  if (inputs.empty())
    return im.fail("has no inputs");
  int64_t rank = inputs[0]->rank();
  Expected<int64_t> axis = im.normalizeAxis(**axisAttr, rank, "axis");
  if (!axis)
    return axis.takeError();
  SymShape shape = inputs[0]->shape;
  shape[*axis] = SymInt(0);
  for (OnnxValue *v : inputs) {
    if (v->elementType != inputs[0]->elementType || v->rank() != rank)
      return im.fail("inputs must have one element type and rank; got " +
                     Importer::typeName(inputs[0]->elementType) + " " +
                     im.shapeString(inputs[0]->shape) + " and " +
                     Importer::typeName(v->elementType) + " " +
                     im.shapeString(v->shape));
    for (int64_t d = 0; d < rank; ++d) {
      if (d == *axis)
        continue;
      const SymInt &a = shape[d], &s = v->shape[d];
      if (a == s)
        continue;
      if (a.isConstant() && s.isConstant())
        return im.fail("inputs of shapes " + im.shapeString(inputs[0]->shape) +
                       " and " + im.shapeString(v->shape) +
                       " differ in dimension " + Twine(d));
      if (s.isConstant())
        shape[d] = s;
    }
    shape[*axis] = shape[*axis] + v->shape[*axis];
  }
  // Known inputs: concatenate the elements.
  if (smallStatic(shape)) {
    SmallVector<SmallVector<SymInt, 4>, 2> known;
    for (OnnxValue *v : inputs) {
      std::optional<SmallVector<SymInt, 4>> k = im.knownElements(*v);
      if (!k || !v->staticShape())
        break;
      known.push_back(*k);
    }
    if (known.size() == inputs.size()) {
      SmallVector<int64_t> dims = staticDims(shape);
      int64_t outer = numElements(ArrayRef<int64_t>(dims).take_front(*axis));
      SmallVector<SymInt, 4> out;
      for (int64_t o = 0; o < outer; ++o)
        for (auto [v, k] : llvm::zip(inputs, known)) {
          int64_t slab = numElements(
              ArrayRef<int64_t>(*v->staticShape()).drop_front(*axis));
          for (int64_t i = 0; i < slab; ++i)
            out.push_back(k[o * slab + i]);
        }
      im.setOutput(0, im.knownValue(inputs[0]->elementType, shape, out));
      return llvm::Error::success();
    }
  }
  SmallVector<Value> operands;
  for (OnnxValue *v : inputs)
    if (!v->shape[*axis].is(0))
      operands.push_back(im.materialize(*v));
  if (operands.empty())
    operands.push_back(im.materialize(*inputs[0]));
  if (operands.size() == 1 &&
      cast<RankedTensorType>(operands[0].getType()) ==
          im.tensorType(shape, inputs[0]->elementType)) {
    im.setOutput(0, operands[0], shape);
    return llvm::Error::success();
  }
  Value result = tensor::ConcatOp::create(
      im.builder(), im.loc(), im.tensorType(shape, inputs[0]->elementType),
      static_cast<uint64_t>(*axis), operands);
  im.setOutput(0, result, shape);
  return llvm::Error::success();
}

llvm::Error transpose(Importer &im) {
  if (llvm::Error e = im.checkAttributes({"perm"}))
    return e;
  OnnxValue *x;
  if (llvm::Error e = im.requireInputs({{0, "data", x}}))
    return e;
  int64_t rank = x->rank();
  Expected<std::optional<SmallVector<int64_t, 4>>> permAttr =
      im.intsAttr("perm");
  if (!permAttr)
    return permAttr.takeError();
  SmallVector<int64_t, 4> perm;
  if (*permAttr) {
    perm = **permAttr;
  } else {
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  }
  SmallVector<bool> seen(rank, false);
  bool valid = static_cast<int64_t>(perm.size()) == rank;
  for (int64_t p : perm) {
    valid &= p >= 0 && p < rank && !seen[p];
    if (p >= 0 && p < rank)
      seen[p] = true;
  }
  if (!valid) {
    std::string list;
    for (auto [i, p] : llvm::enumerate(perm))
      list += (i ? ", " : "") + std::to_string(p);
    return im.fail("attribute 'perm' [" + list +
                   "] is not a permutation of the " + Twine(rank) +
                   " dimensions");
  }
  SymShape shape;
  for (int64_t p : perm)
    shape.push_back(x->shape[p]);
  if (llvm::equal(perm, llvm::seq<int64_t>(0, rank))) {
    im.setOutput(0, *x);
    return llvm::Error::success();
  }
  if (std::optional<SmallVector<SymInt, 4>> data = im.knownElements(*x)) {
    if (x->staticShape() && smallStatic(shape)) {
      SmallVector<int64_t> strides = stridesOf(*x->staticShape());
      SmallVector<SymInt, 4> out;
      forEachIndex(staticDims(shape), [&](ArrayRef<int64_t> index) {
        int64_t offset = 0;
        for (auto [d, i] : llvm::enumerate(index))
          offset += i * strides[perm[d]];
        out.push_back((*data)[offset]);
      });
      im.setOutput(0, im.knownValue(x->elementType, shape, out));
      return llvm::Error::success();
    }
  }
  Value source = im.materialize(*x);
  Value init = im.empty(shape, x->elementType, source);
  Value result =
      linalg::TransposeOp::create(im.builder(), im.loc(), source, init, perm)
          .getResult()[0];
  im.setOutput(0, result, shape);
  return llvm::Error::success();
}

llvm::Error expand(Importer &im) {
  if (llvm::Error e = im.checkAttributes({}))
    return e;
  OnnxValue *x, *s;
  if (llvm::Error e = im.requireInputs({{0, "input", x}, {1, "shape", s}}))
    return e;
  Expected<SymShape> target = im.shapeOperand(*s, "input shape");
  if (!target)
    return target.takeError();
  Expected<SymShape> shape = im.broadcastShapes({x->shape, *target});
  if (!shape)
    return shape.takeError();
  if (*shape == x->shape) {
    im.setOutput(0, *x);
    return llvm::Error::success();
  }
  if (std::optional<SmallVector<SymInt, 4>> data = im.knownElements(*x)) {
    if (x->staticShape() && smallStatic(*shape)) {
      SmallVector<int64_t> in = *x->staticShape();
      SmallVector<int64_t> strides = stridesOf(in);
      size_t lead = shape->size() - in.size();
      SmallVector<SymInt, 4> out;
      forEachIndex(staticDims(*shape), [&](ArrayRef<int64_t> index) {
        int64_t offset = 0;
        for (size_t d = 0; d < in.size(); ++d)
          offset += (in[d] == 1 ? 0 : index[lead + d]) * strides[d];
        out.push_back((*data)[offset]);
      });
      im.setOutput(0, im.knownValue(x->elementType, *shape, out));
      return llvm::Error::success();
    }
  }
  im.setOutput(0, im.elementwiseTo({x}, *shape, x->elementType,
                                   [](OpBuilder &, Location, ValueRange a) {
                                     return a[0];
                                   }));
  return llvm::Error::success();
}

} // namespace

void attnc::frontend::onnx_import::registerShapeOps(OpRegistry &r) {
  r.add("", "Constant", 13, constant);
  r.add("", "ConstantOfShape", 9, constantOfShape);
  r.add("", "Shape", 13, shape);
  r.add("", "Size", 13, size);
  r.add("", "Range", 11, range);
  r.add("", "Unsqueeze", 13, unsqueeze);
  r.add("", "Squeeze", 13, squeeze);
  r.add("", "Reshape", 13, reshapeOp);
  r.add("", "Flatten", 13, flatten);
  r.add("", "Slice", 13, slice);
  r.add("", "Split", 13, split);
  r.add("", "Concat", 13, concat);
  r.add("", "Transpose", 13, transpose);
  r.add("", "Expand", 13, expand);
}
