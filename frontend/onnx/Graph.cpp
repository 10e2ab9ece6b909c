//===- Graph.cpp - The ONNX graph walk, values, shapes and errors ---------===//
//
// Importer::run checks the opsets and that every node is supported (one
// error lists every node that is not), makes the graph inputs the arguments
// of `func.func @main` with one symbol per named (dim_param) or unnamed
// dynamic dimension, reads the initializers, imports the nodes in order
// through the OpRegistry, and returns the graph outputs.
//
//===----------------------------------------------------------------------===//

#include "frontend/onnx/Importer.h"

#include "dialect/AttnDialect.h"
#include "runtime/Tensor.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace attnc::frontend::onnx_import;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

//===----------------------------------------------------------------------===//
// OnnxValue and the registry
//===----------------------------------------------------------------------===//

std::optional<SmallVector<int64_t, 4>> OnnxValue::staticShape() const {
  SmallVector<int64_t, 4> out;
  for (const SymInt &d : shape) {
    std::optional<int64_t> c = d.constant();
    if (!c)
      return std::nullopt;
    out.push_back(*c);
  }
  return out;
}

static std::string registryKey(StringRef domain, StringRef op) {
  return (domain + "|" + op).str();
}

void OpRegistry::add(StringRef domain, StringRef op, int64_t since,
                     OpHandler handler) {
  ops[registryKey(domain, op)] = {since, handler};
}

OpHandler OpRegistry::find(StringRef domain, StringRef op,
                           int64_t version) const {
  auto it = ops.find(registryKey(domain, op));
  if (it == ops.end() || version < it->second.first)
    return nullptr;
  return it->second.second;
}

const OpRegistry &attnc::frontend::onnx_import::opRegistry() {
  static const OpRegistry registry = [] {
    OpRegistry r;
    registerElementwiseOps(r);
    registerShapeOps(r);
    registerLinalgOps(r);
    registerAttentionOps(r);
    registerMicrosoftOps(r);
    return r;
  }();
  return registry;
}

//===----------------------------------------------------------------------===//
// The importer
//===----------------------------------------------------------------------===//

/// The oldest and newest default-domain opsets imported.
constexpr int64_t kMinOpset = 13, kMaxOpset = 24;

static StringRef normalDomain(StringRef domain) {
  return domain == "ai.onnx" ? StringRef() : domain;
}

Importer::Importer(MLIRContext &ctx, StringRef path,
                   const onnx::ModelProto &model, WeightSource &weights)
    : ctx(ctx), path(path.str()), model(model), weights(weights), b(&ctx),
      fileLoc(FileLineColLoc::get(&ctx, path, 0, 0)), location(fileLoc) {}

llvm::Error Importer::fail(const Twine &message) const {
  return llvm::createStringError(path + ": " + where + message);
}

std::string Importer::symbolName(unsigned id) const {
  const Symbol &s = symbols[id];
  if (!s.name.empty())
    return s.name;
  return arguments[s.argument]->name() + ".shape[" + std::to_string(s.dim) +
         "]";
}

std::string Importer::sizeString(const SymInt &size) const {
  return size.str([&](unsigned id) { return symbolName(id); });
}

std::string Importer::shapeString(ArrayRef<SymInt> shape) const {
  std::string s = "[";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + sizeString(d);
  return s + "]";
}

llvm::Error Importer::checkOpsets() {
  bool found = false;
  for (const onnx::OperatorSetIdProto &id : model.opset_import()) {
    StringRef domain = normalDomain(id.domain());
    if (domain.empty()) {
      found = true;
      defaultOpset = id.version();
    } else if (domain == "com.microsoft") {
      microsoftOpset = id.version();
    }
  }
  if (!found)
    return fail("model has no opset_import for the default ONNX domain");
  // Below kMinOpset a model is imported when each of its ops has, at that
  // opset, the semantics attnc implements (the registry's `since`); above
  // kMaxOpset ops may have changed in ways attnc does not know.
  if (defaultOpset < 1 || defaultOpset > kMaxOpset)
    return fail("opset " + Twine(defaultOpset) +
                " of the default domain is not supported; attnc imports "
                "opsets " +
                Twine(kMinOpset) + " to " + Twine(kMaxOpset) +
                " (and older ones for the ops that have not changed since)");
  if (microsoftOpset > 1)
    return fail("opset " + Twine(microsoftOpset) +
                " of com.microsoft is not supported; attnc imports opset 1");
  return llvm::Error::success();
}

/// "node 'name'" or "node #i" when it has no name.
static std::string nodeLabel(const onnx::NodeProto &node, int index) {
  if (!node.name().empty())
    return "node '" + node.name() + "'";
  return "node #" + std::to_string(index);
}

llvm::Error Importer::checkSupported() {
  const OpRegistry &registry = opRegistry();
  std::vector<std::string> unsupported;
  for (auto [i, node] : llvm::enumerate(model.graph().node())) {
    StringRef domain = normalDomain(node.domain());
    int64_t version = domain.empty()               ? defaultOpset
                      : domain == "com.microsoft" ? microsoftOpset
                                                   : 0;
    if (registry.find(domain, node.op_type(), version))
      continue;
    std::string what = nodeLabel(node, static_cast<int>(i)) + ": " +
                       (domain.empty() ? "" : (domain + ".").str()) +
                       node.op_type();
    if (version == 0)
      what += " (domain '" + domain.str() + "' is not imported by the model)";
    else
      what += " (opset " + std::to_string(version) + ")";
    unsupported.push_back(what);
  }
  if (unsupported.empty())
    return llvm::Error::success();
  std::string message =
      unsupported.size() == 1
          ? std::string("1 node is not supported:")
          : std::to_string(unsupported.size()) + " nodes are not supported:";
  for (const std::string &u : unsupported)
    message += "\n  " + u;
  message += "\n(frontend/README.md lists the supported ops and opsets)";
  return fail(message);
}

Expected<Type> Importer::elementType(int32_t onnxType, const Twine &what) {
  switch (onnxType) {
  case onnx::TensorProto::FLOAT:
    return Type(b.getF32Type());
  case onnx::TensorProto::FLOAT16:
    return Type(b.getF16Type());
  case onnx::TensorProto::BFLOAT16:
    return Type(b.getBF16Type());
  case onnx::TensorProto::DOUBLE:
    return Type(b.getF64Type());
  case onnx::TensorProto::BOOL:
    return Type(b.getI1Type());
  case onnx::TensorProto::INT8:
    return Type(b.getIntegerType(8));
  case onnx::TensorProto::INT32:
    return Type(b.getI32Type());
  case onnx::TensorProto::INT64:
    return Type(b.getI64Type());
  default: {
    std::string name =
        onnx::TensorProto_DataType_IsValid(onnxType)
            ? onnx::TensorProto_DataType_Name(
                  static_cast<onnx::TensorProto_DataType>(onnxType))
            : "data type " + std::to_string(onnxType);
    return fail(what + " has element type " + name +
                ", which is not supported (FLOAT, FLOAT16, BFLOAT16, DOUBLE, "
                "BOOL, INT8, INT32 and INT64 are)");
  }
  }
}

std::string Importer::typeName(Type type) {
  if (type.isF32())
    return "FLOAT";
  if (type.isF16())
    return "FLOAT16";
  if (type.isBF16())
    return "BFLOAT16";
  if (type.isF64())
    return "DOUBLE";
  if (type.isInteger(1))
    return "BOOL";
  if (type.isInteger(8))
    return "INT8";
  if (type.isInteger(32))
    return "INT32";
  if (type.isInteger(64))
    return "INT64";
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

RankedTensorType Importer::tensorType(ArrayRef<SymInt> shape,
                                      Type elementType) const {
  SmallVector<int64_t> dims;
  for (const SymInt &d : shape) {
    std::optional<int64_t> c = d.constant();
    dims.push_back(c && *c >= 0 ? *c : ShapedType::kDynamic);
  }
  return RankedTensorType::get(dims, elementType);
}

llvm::Error Importer::addGraphInputs() {
  const onnx::GraphProto &graph = model.graph();
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &t : graph.initializer())
    initializers.insert(t.name());
  llvm::StringSet<> seen;
  SmallVector<Type> argTypes;
  std::vector<SymShape> argShapes;
  for (const onnx::ValueInfoProto &info : graph.input()) {
    if (!seen.insert(info.name()).second)
      return fail("graph input '" + info.name() + "' is listed twice");
    // Models of IR version < 4 list their initializers as inputs too; such
    // an input is the constant.
    if (initializers.contains(info.name()))
      continue;
    if (info.name().empty())
      return fail("a graph input has no name");
    if (!info.type().has_tensor_type())
      return fail("graph input '" + info.name() + "' is not a tensor");
    Expected<Type> et = elementType(info.type().tensor_type().elem_type(),
                                    "graph input '" + info.name() + "'");
    if (!et)
      return et.takeError();
    if (!info.type().tensor_type().has_shape())
      return fail("graph input '" + info.name() +
                  "' has no shape (its rank must be known)");
    unsigned argument = arguments.size();
    SymShape shape;
    for (auto [d, dim] :
         llvm::enumerate(info.type().tensor_type().shape().dim())) {
      if (dim.has_dim_value()) {
        if (dim.dim_value() < 0)
          return fail("graph input '" + info.name() + "' has dimension " +
                      Twine(d) + " of negative size " +
                      Twine(dim.dim_value()));
        shape.push_back(SymInt(dim.dim_value()));
        continue;
      }
      // One symbol per dim_param name, shared by every input that uses it
      // (the runtime checks that they agree), else one per dimension.
      std::string name = dim.has_dim_param() ? dim.dim_param() : "";
      unsigned id;
      auto it = name.empty() ? symbolByName.end() : symbolByName.find(name);
      if (it != symbolByName.end()) {
        id = it->second;
      } else {
        id = symbols.size();
        symbols.push_back({argument, static_cast<unsigned>(d), name, -1});
        if (!name.empty())
          symbolByName[name] = id;
      }
      shape.push_back(SymInt::symbol(id));
    }
    arguments.push_back(&info);
    argTypes.push_back(tensorType(shape, *et));
    argShapes.push_back(std::move(shape));
  }

  module = ModuleOp::create(fileLoc);
  b.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(b, fileLoc, "main",
                                   b.getFunctionType(argTypes, {}));
  body = func.addEntryBlock();
  b.setInsertionPointToStart(body);
  for (auto [i, info] : llvm::enumerate(arguments)) {
    OnnxValue v;
    v.elementType = cast<RankedTensorType>(argTypes[i]).getElementType();
    v.shape = argShapes[i];
    v.value = body->getArgument(i);
    valueShapes[v.value] = v.shape;
    values[info->name()] = std::move(v);
  }
  return llvm::Error::success();
}

llvm::Error Importer::addInitializers() {
  const onnx::GraphProto &graph = model.graph();
  if (graph.sparse_initializer_size() > 0)
    return fail("sparse initializer '" +
                graph.sparse_initializer(0).values().name() +
                "' is not supported");
  for (auto [i, t] : llvm::enumerate(graph.initializer())) {
    if (t.name().empty())
      return fail("initializer #" + Twine(i) + " has no name");
    const std::string &name = t.name();
    if (values.count(name) &&
        !llvm::any_of(graph.input(), [&](const onnx::ValueInfoProto &in) {
          return in.name() == name;
        }))
      return fail("initializer '" + t.name() + "' is defined twice");
    OnnxValue v;
    if (llvm::Error e = readConstant(t, "initializer '" + t.name() + "'",
                                     static_cast<int>(i), v))
      return e;
    values[t.name()] = std::move(v);
  }
  return llvm::Error::success();
}

int Importer::numInputs() const { return current->input_size(); }
int Importer::numOutputs() const { return current->output_size(); }

OnnxValue *Importer::input(int i) {
  if (i < 0 || i >= current->input_size() || current->input(i).empty())
    return nullptr;
  auto it = values.find(current->input(i));
  return it == values.end() ? nullptr : &it->second;
}

Expected<OnnxValue *> Importer::required(int i, StringRef what) {
  if (OnnxValue *v = input(i))
    return v;
  return fail("required input " + what + " (index " + Twine(i) +
              ") is missing");
}

llvm::Error
Importer::requireInputs(std::initializer_list<RequiredInput> inputs) {
  for (const RequiredInput &r : inputs) {
    Expected<OnnxValue *> v = required(r.index, r.what);
    if (!v)
      return v.takeError();
    r.out = *v;
  }
  return llvm::Error::success();
}

bool Importer::wantsOutput(int i) const {
  return i >= 0 && i < current->output_size() && !current->output(i).empty();
}

void Importer::setOutput(int i, OnnxValue value) {
  if (!wantsOutput(i))
    return;
  values[current->output(i)] = std::move(value);
}

OnnxValue Importer::wrap(Value v, SymShape shape) {
  OnnxValue out;
  out.elementType = cast<RankedTensorType>(v.getType()).getElementType();
  out.shape = std::move(shape);
  out.value = v;
  valueShapes[v] = out.shape;
  return out;
}

void Importer::setOutput(int i, Value v, SymShape shape) {
  setOutput(i, wrap(v, std::move(shape)));
}

llvm::Error Importer::importNode(const onnx::NodeProto &node, int index) {
  current = &node;
  StringRef domain = normalDomain(node.domain());
  currentOpset = domain.empty() ? defaultOpset : microsoftOpset;
  std::string op =
      (domain.empty() ? "" : (domain + ".").str()) + node.op_type();
  where = nodeLabel(node, index) + " (" + op + "): ";
  location = NameLoc::get(
      b.getStringAttr(node.name().empty()
                          ? node.op_type() + "#" + std::to_string(index)
                          : node.name()),
      fileLoc);

  for (auto [i, name] : llvm::enumerate(node.input()))
    if (!name.empty() && !values.count(name))
      return fail("input '" + name + "' (index " + Twine(i) +
                  ") is not a graph input, an initializer or the output of "
                  "an earlier node");
  llvm::StringSet<> outputs;
  for (const std::string &name : node.output())
    if (!name.empty() && (values.count(name) || !outputs.insert(name).second))
      return fail("output '" + name + "' is already defined");

  OpHandler handler = opRegistry().find(domain, node.op_type(), currentOpset);
  if (!handler)
    return fail("is not supported"); // checkSupported said so already
  if (llvm::Error e = handler(*this))
    return e;
  for (auto [i, name] : llvm::enumerate(node.output()))
    if (!name.empty() && !values.count(name))
      return fail("output '" + name + "' (index " + Twine(i) +
                  ") is not supported");
  return llvm::Error::success();
}

llvm::Error Importer::addOutputs() {
  where.clear();
  location = fileLoc;
  const onnx::GraphProto &graph = model.graph();
  if (graph.output_size() == 0)
    return fail("graph has no outputs");
  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  SmallVector<Attribute> names;
  for (const onnx::ValueInfoProto &info : graph.output()) {
    auto it = values.find(info.name());
    if (it == values.end())
      return fail("graph output '" + info.name() +
                  "' is not a graph input, an initializer or a node output");
    OnnxValue &v = it->second;
    if (info.type().has_tensor_type()) {
      const onnx::TypeProto::Tensor &declared = info.type().tensor_type();
      if (declared.elem_type() != 0) {
        Expected<Type> et = elementType(declared.elem_type(),
                                        "graph output '" + info.name() + "'");
        if (!et)
          return et.takeError();
        if (*et != v.elementType)
          return fail("graph output '" + info.name() + "' is declared " +
                      typeName(*et) + " but is computed as " +
                      typeName(v.elementType));
      }
      if (declared.has_shape()) {
        bool agrees = declared.shape().dim_size() == v.rank();
        for (int d = 0; agrees && d < declared.shape().dim_size(); ++d)
          agrees = !declared.shape().dim(d).has_dim_value() ||
                   !v.shape[d].isConstant() ||
                   v.shape[d].is(declared.shape().dim(d).dim_value());
        if (!agrees) {
          std::string declaredShape = "[";
          for (int d = 0; d < declared.shape().dim_size(); ++d) {
            const auto &dim = declared.shape().dim(d);
            declaredShape += (d ? ", " : "") +
                             (dim.has_dim_value()
                                  ? std::to_string(dim.dim_value())
                                  : dim.has_dim_param() ? dim.dim_param()
                                                        : std::string("?"));
          }
          return fail("graph output '" + info.name() +
                      "' is declared with shape " + declaredShape +
                      "] but is computed as " + shapeString(v.shape));
        }
      }
    }
    Value value = materialize(v);
    results.push_back(value);
    resultTypes.push_back(value.getType());
    names.push_back(b.getStringAttr(info.name()));
  }
  func::ReturnOp::create(b, fileLoc, results);

  auto func = cast<func::FuncOp>(body->getParentOp());
  func.setFunctionType(b.getFunctionType(body->getArgumentTypes(), resultTypes));
  SmallVector<Attribute> inputNames;
  for (const onnx::ValueInfoProto *info : arguments)
    inputNames.push_back(b.getStringAttr(info->name()));
  func->setAttr("attnc.input_names", b.getArrayAttr(inputNames));
  func->setAttr("attnc.output_names", b.getArrayAttr(names));
  // Per argument: the dim_param names (the runtime checks that sizes of one
  // name agree) and the bounds that slicing a table put on a size.
  for (auto [i, info] : llvm::enumerate(arguments)) {
    const auto &dims = info->type().tensor_type().shape().dim();
    SmallVector<Attribute> dimNames;
    SmallVector<int64_t> bounds;
    bool named = false, bounded = false;
    for (auto [d, dim] : llvm::enumerate(dims)) {
      std::string name = dim.has_dim_value() ? "" : dim.dim_param();
      named |= !name.empty();
      dimNames.push_back(b.getStringAttr(name));
      int64_t bound = -1;
      for (const Symbol &s : symbols)
        if (!dim.has_dim_value() &&
            ((s.argument == i && s.dim == d) ||
             (!name.empty() && s.name == name)))
          bound = s.bound;
      bounded |= bound >= 0;
      bounds.push_back(bound);
    }
    if (named)
      func.setArgAttr(i, "attnc.dim_names", b.getArrayAttr(dimNames));
    if (bounded)
      func.setArgAttr(i, "attnc.max_sizes", b.getDenseI64ArrayAttr(bounds));
  }
  return llvm::Error::success();
}

llvm::Error Importer::importGraph() {
  if (llvm::Error e = checkOpsets())
    return e;
  if (llvm::Error e = checkSupported())
    return e;
  if (llvm::Error e = addGraphInputs())
    return e;
  if (llvm::Error e = addInitializers())
    return e;
  for (auto [i, node] : llvm::enumerate(model.graph().node()))
    if (llvm::Error e = importNode(node, static_cast<int>(i)))
      return e;
  return addOutputs();
}

FailureOr<OwningOpRef<ModuleOp>> Importer::run() {
  if (llvm::Error e = importGraph()) {
    error = std::move(e);
    return failure();
  }
  where.clear();
  std::string diagnostics;
  {
    ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
      llvm::raw_string_ostream os(diagnostics);
      os << "\n  " << diag.getLocation() << ": " << diag;
      return success();
    });
    if (failed(verify(*module))) {
      error = fail("internal error: the imported IR does not verify:" +
                   diagnostics);
      return failure();
    }
  }
  return std::move(module);
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

const onnx::AttributeProto *Importer::attribute(StringRef name) const {
  for (const onnx::AttributeProto &a : current->attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

llvm::Error Importer::checkAttributes(ArrayRef<StringRef> allowed) const {
  for (const onnx::AttributeProto &a : current->attribute())
    if (!llvm::is_contained(allowed, StringRef(a.name())))
      return fail("attribute '" + a.name() + "' is not supported");
  return llvm::Error::success();
}

Expected<std::optional<int64_t>> Importer::optionalIntAttr(StringRef name) {
  const onnx::AttributeProto *a = attribute(name);
  if (!a)
    return std::optional<int64_t>();
  if (a->type() != onnx::AttributeProto::INT)
    return fail("attribute '" + name + "' must be an int");
  return std::optional<int64_t>(a->i());
}

Expected<int64_t> Importer::intAttr(StringRef name, int64_t fallback) {
  Expected<std::optional<int64_t>> v = optionalIntAttr(name);
  if (!v)
    return v.takeError();
  return v->value_or(fallback);
}

Expected<double> Importer::floatAttr(StringRef name, double fallback) {
  const onnx::AttributeProto *a = attribute(name);
  if (!a)
    return fallback;
  if (a->type() != onnx::AttributeProto::FLOAT)
    return fail("attribute '" + name + "' must be a float");
  return static_cast<double>(a->f());
}

Expected<std::optional<SmallVector<int64_t, 4>>>
Importer::intsAttr(StringRef name) {
  const onnx::AttributeProto *a = attribute(name);
  if (!a)
    return std::optional<SmallVector<int64_t, 4>>();
  if (a->type() != onnx::AttributeProto::INTS)
    return fail("attribute '" + name + "' must be a list of ints");
  return std::optional<SmallVector<int64_t, 4>>(
      SmallVector<int64_t, 4>(a->ints().begin(), a->ints().end()));
}

Expected<std::string> Importer::stringAttr(StringRef name,
                                           StringRef fallback) {
  const onnx::AttributeProto *a = attribute(name);
  if (!a)
    return fallback.str();
  if (a->type() != onnx::AttributeProto::STRING)
    return fail("attribute '" + name + "' must be a string");
  return a->s();
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

Value Importer::scalarConstant(Type type, double value) {
  if (isa<FloatType>(type))
    return arith::ConstantOp::create(b, location, b.getFloatAttr(type, value));
  if (type.isIndex())
    return arith::ConstantIndexOp::create(b, location,
                                          static_cast<int64_t>(value));
  return arith::ConstantOp::create(
      b, location, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value Importer::indexValue(const SymInt &size, ArrayRef<Value> hints) {
  if (std::optional<int64_t> c = size.constant())
    return arith::ConstantIndexOp::create(b, location, *c);
  // A dimension of a value at hand that has this size.
  for (Value hint : hints) {
    auto type = dyn_cast_or_null<RankedTensorType>(hint.getType());
    if (!type)
      continue;
    auto it = valueShapes.find(hint);
    if (it == valueShapes.end())
      continue;
    for (auto [d, s] : llvm::enumerate(it->second))
      if (s == size && type.isDynamicDim(d))
        return tensor::DimOp::create(b, location, hint,
                                     static_cast<int64_t>(d));
  }
  auto symbolValue = [&](unsigned id) -> Value {
    Value &v = symbolValues[id];
    if (!v) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(body);
      v = tensor::DimOp::create(b, fileLoc,
                                body->getArgument(symbols[id].argument),
                                static_cast<int64_t>(symbols[id].dim));
    }
    return v;
  };
  if (std::optional<unsigned> s = size.singleSymbol())
    return symbolValue(*s);
  // The polynomial, term by term.
  Value sum;
  for (const auto &[monomial, coefficient] : size.termList()) {
    Value term;
    for (unsigned s : monomial)
      term = term ? arith::MulIOp::create(b, location, term, symbolValue(s))
                        .getResult()
                  : symbolValue(s);
    if (!term || coefficient != 1) {
      Value c = arith::ConstantIndexOp::create(b, location, coefficient);
      term = term ? arith::MulIOp::create(b, location, term, c).getResult() : c;
    }
    sum = sum ? arith::AddIOp::create(b, location, sum, term).getResult()
              : term;
  }
  return sum ? sum : arith::ConstantIndexOp::create(b, location, 0);
}

SmallVector<OpFoldResult> Importer::mixedSizes(ArrayRef<SymInt> shape,
                                               ArrayRef<Value> hints) {
  SmallVector<OpFoldResult> out;
  for (const SymInt &d : shape) {
    if (std::optional<int64_t> c = d.constant())
      out.push_back(b.getIndexAttr(*c));
    else
      out.push_back(indexValue(d, hints));
  }
  return out;
}

Value Importer::empty(ArrayRef<SymInt> shape, Type elementType,
                      ArrayRef<Value> hints) {
  SmallVector<Value> dynamic;
  for (const SymInt &d : shape)
    if (!d.isConstant())
      dynamic.push_back(indexValue(d, hints));
  return tensor::EmptyOp::create(b, location, tensorType(shape, elementType),
                                 dynamic);
}

Value Importer::filled(ArrayRef<SymInt> shape, Type elementType, double value,
                       ArrayRef<Value> hints) {
  Value init = empty(shape, elementType, hints);
  Value fill;
  if (elementType.isInteger(1))
    fill = arith::ConstantOp::create(b, location, b.getBoolAttr(value != 0));
  else
    fill = scalarConstant(elementType, value);
  return linalg::FillOp::create(b, location, ValueRange{fill}, ValueRange{init})
      .getResult(0);
}

Value Importer::materialize(OnnxValue &v) {
  if (v.value)
    return v.value;
  RankedTensorType type = tensorType(v.shape, v.elementType);
  if (v.constant) {
    v.value = arith::ConstantOp::create(b, location, type, v.constant);
  } else if (v.known) {
    bool allConstant = llvm::all_of(
        *v.known, [](const SymInt &s) { return s.isConstant(); });
    if (allConstant) {
      SmallVector<APInt> ints;
      unsigned width = v.elementType.getIntOrFloatBitWidth();
      for (const SymInt &s : *v.known)
        ints.push_back(APInt(width, static_cast<uint64_t>(*s.constant()),
                             /*isSigned=*/true, /*implicitTrunc=*/true));
      v.value = arith::ConstantOp::create(b, location, type,
                                          DenseElementsAttr::get(type, ints));
    } else {
      SmallVector<Value> elements;
      for (const SymInt &s : *v.known) {
        Value index = indexValue(s);
        elements.push_back(
            arith::IndexCastOp::create(b, location, v.elementType, index));
      }
      v.value = tensor::FromElementsOp::create(b, location, type, elements);
    }
  }
  if (v.value)
    valueShapes[v.value] = v.shape;
  return v.value;
}

std::optional<SmallVector<SymInt, 4>>
Importer::knownElements(const OnnxValue &v) {
  if (v.known)
    return v.known;
  auto dense = dyn_cast_or_null<DenseElementsAttr>(v.constant);
  if (!dense || !isa<IntegerType>(v.elementType) ||
      dense.getNumElements() > kMaxKnownElements)
    return std::nullopt;
  SmallVector<SymInt, 4> out;
  if (v.elementType.isInteger(1)) {
    for (bool x : dense.getValues<bool>())
      out.push_back(SymInt(x ? 1 : 0));
  } else {
    for (const APInt &x : dense.getValues<APInt>())
      out.push_back(SymInt(x.getSExtValue()));
  }
  return out;
}

std::optional<SmallVector<int64_t, 4>>
Importer::constantInts(const OnnxValue &v) {
  std::optional<SmallVector<SymInt, 4>> known = knownElements(v);
  if (!known)
    return std::nullopt;
  SmallVector<int64_t, 4> out;
  for (const SymInt &s : *known) {
    std::optional<int64_t> c = s.constant();
    if (!c)
      return std::nullopt;
    out.push_back(*c);
  }
  return out;
}

std::optional<SmallVector<double, 4>>
Importer::constantDoubles(const OnnxValue &v) {
  if (std::optional<SmallVector<int64_t, 4>> ints = constantInts(v))
    return SmallVector<double, 4>(ints->begin(), ints->end());
  auto dense = dyn_cast_or_null<DenseElementsAttr>(v.constant);
  if (!dense || !isa<FloatType>(v.elementType) ||
      dense.getNumElements() > kMaxKnownElements)
    return std::nullopt;
  SmallVector<double, 4> out;
  for (const APFloat &x : dense.getValues<APFloat>())
    out.push_back(x.convertToDouble());
  return out;
}

OnnxValue Importer::knownValue(Type elementType, SymShape shape,
                               ArrayRef<SymInt> elements) {
  OnnxValue v;
  v.elementType = elementType;
  v.shape = std::move(shape);
  v.known = SmallVector<SymInt, 4>(elements.begin(), elements.end());
  return v;
}

Expected<SymShape> Importer::shapeOperand(OnnxValue &v, StringRef what) {
  if (v.rank() != 1 || !isa<IntegerType>(v.elementType))
    return fail(what + " must be a 1-D integer tensor, got " +
                typeName(v.elementType) + " " + shapeString(v.shape));
  std::optional<SmallVector<SymInt, 4>> known = knownElements(v);
  if (!known)
    return fail(what + " is not known when the model is imported (it " +
                "depends on the data, not only on the input shapes)");
  return SymShape(known->begin(), known->end());
}

void Importer::boundSize(const SymInt &size, int64_t bound) {
  std::optional<unsigned> s = size.singleSymbol();
  if (!s)
    return;
  int64_t &current = symbols[*s].bound;
  if (current < 0 || bound < current)
    current = bound;
}

//===----------------------------------------------------------------------===//
// Shared emitters
//===----------------------------------------------------------------------===//

Expected<int64_t> Importer::normalizeAxis(int64_t axis, int64_t rank,
                                          StringRef what) const {
  if (axis < -rank || axis >= rank)
    return fail(what + " " + Twine(axis) + " is out of range for rank " +
                Twine(rank));
  return axis < 0 ? axis + rank : axis;
}

Expected<SymShape>
Importer::broadcastShapes(ArrayRef<ArrayRef<SymInt>> shapes) {
  size_t rank = 0;
  for (ArrayRef<SymInt> s : shapes)
    rank = std::max(rank, s.size());
  SymShape out(rank, SymInt(1));
  for (size_t d = 0; d < rank; ++d) {
    std::optional<SymInt> chosen;
    for (ArrayRef<SymInt> s : shapes) {
      if (d + s.size() < rank)
        continue;
      const SymInt &size = s[d + s.size() - rank];
      if (size.is(1))
        continue;
      if (!chosen) {
        chosen = size;
        continue;
      }
      if (*chosen == size)
        continue;
      if (chosen->isConstant() && size.isConstant()) {
        std::string list;
        for (auto [i, t] : llvm::enumerate(shapes))
          list += (i ? ", " : "") + shapeString(t);
        return fail("input shapes " + list + " do not broadcast");
      }
      // A static size beats a dynamic one, which must equal it; two dynamic
      // sizes are taken to be equal.
      if (size.isConstant())
        chosen = size;
    }
    if (chosen)
      out[d] = *chosen;
  }
  return out;
}

AffineMap Importer::broadcastMap(ArrayRef<SymInt> operand,
                                 ArrayRef<SymInt> result) {
  size_t offset = result.size() - operand.size();
  SmallVector<AffineExpr> exprs;
  for (auto [d, size] : llvm::enumerate(operand))
    exprs.push_back(size.is(1) && !result[offset + d].is(1)
                        ? b.getAffineConstantExpr(0)
                        : b.getAffineDimExpr(offset + d));
  return AffineMap::get(result.size(), 0, exprs, &ctx);
}

Expected<OnnxValue> Importer::elementwise(ArrayRef<OnnxValue *> inputs,
                                          Type resultType, BodyBuilder body) {
  SmallVector<ArrayRef<SymInt>> shapes;
  for (OnnxValue *v : inputs)
    shapes.push_back(v->shape);
  Expected<SymShape> shape = broadcastShapes(shapes);
  if (!shape)
    return shape.takeError();
  return elementwiseTo(inputs, *shape, resultType, body);
}

OnnxValue Importer::elementwiseTo(ArrayRef<OnnxValue *> inputs,
                                  ArrayRef<SymInt> shape, Type resultType,
                                  BodyBuilder bodyBuilder) {
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
  for (OnnxValue *v : inputs) {
    operands.push_back(materialize(*v));
    maps.push_back(broadcastMap(v->shape, shape));
  }
  maps.push_back(b.getMultiDimIdentityMap(shape.size()));
  Value init = empty(shape, resultType, operands);
  SmallVector<utils::IteratorType> iterators(shape.size(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, location, TypeRange{init.getType()}, operands, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc,
                                bodyBuilder(nb, nloc, args.drop_back()));
      });
  OnnxValue out;
  out.elementType = resultType;
  out.shape = SymShape(shape.begin(), shape.end());
  out.value = generic.getResult(0);
  valueShapes[out.value] = out.shape;
  return out;
}

Value Importer::castScalar(OpBuilder &nb, Location nloc, Value x, Type to,
                           bool unsignedSource) {
  Type from = x.getType();
  if (from == to)
    return x;
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  if (fromFloat && toFloat) {
    if (fromFloat.getWidth() == toFloat.getWidth()) {
      // f16 <-> bf16 goes through f32.
      x = arith::ExtFOp::create(nb, nloc, nb.getF32Type(), x);
      return arith::TruncFOp::create(nb, nloc, to, x);
    }
    if (fromFloat.getWidth() < toFloat.getWidth())
      return arith::ExtFOp::create(nb, nloc, to, x);
    return arith::TruncFOp::create(nb, nloc, to, x);
  }
  if (toFloat) {
    if (from.isInteger(1) || unsignedSource)
      return arith::UIToFPOp::create(nb, nloc, to, x);
    return arith::SIToFPOp::create(nb, nloc, to, x);
  }
  if (fromFloat) {
    if (to.isInteger(1)) {
      Value zero = arith::ConstantOp::create(nb, nloc, nb.getFloatAttr(from, 0));
      return arith::CmpFOp::create(nb, nloc, arith::CmpFPredicate::UNE, x,
                                   zero);
    }
    return arith::FPToSIOp::create(nb, nloc, to, x);
  }
  // Integer to integer.
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (to.isInteger(1)) {
    Value zero = arith::ConstantOp::create(nb, nloc, nb.getIntegerAttr(from, 0));
    return arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::ne, x, zero);
  }
  if (fromWidth < toWidth) {
    if (from.isInteger(1) || unsignedSource)
      return arith::ExtUIOp::create(nb, nloc, to, x);
    return arith::ExtSIOp::create(nb, nloc, to, x);
  }
  return arith::TruncIOp::create(nb, nloc, to, x);
}

OnnxValue Importer::reshape(OnnxValue &v, ArrayRef<SymInt> shape) {
  OnnxValue out;
  out.elementType = v.elementType;
  out.shape = SymShape(shape.begin(), shape.end());
  if (v.shape == out.shape) {
    out.value = v.value;
    out.known = v.known;
    out.constant = v.constant;
    return out;
  }
  if (std::optional<SmallVector<SymInt, 4>> known = knownElements(v)) {
    if (out.staticShape()) {
      out.known = known;
      return out;
    }
  }
  Value source = materialize(v);
  RankedTensorType resultType = tensorType(shape, v.elementType);

  // Prefix products of both shapes; cut where they agree.
  ArrayRef<SymInt> from = v.shape;
  bool hasZero = llvm::any_of(from, [](const SymInt &s) { return s.is(0); }) ||
                 llvm::any_of(shape, [](const SymInt &s) { return s.is(0); });
  SmallVector<SymInt> pf(1, SymInt(1)), pt(1, SymInt(1));
  for (const SymInt &s : from)
    pf.push_back(pf.back() * s);
  for (const SymInt &s : shape)
    pt.push_back(pt.back() * s);
  SmallVector<std::pair<size_t, size_t>> cuts = {{0, 0}};
  // Rank 0 to all ones, or back: an expand or collapse of no groups.
  if (!hasZero && (from.empty() || shape.empty())) {
    if (from.empty())
      out.value = tensor::ExpandShapeOp::create(
          b, location, resultType, source, ArrayRef<ReassociationIndices>{},
          mixedSizes(shape));
    else
      out.value = tensor::CollapseShapeOp::create(
          b, location, resultType, source, ArrayRef<ReassociationIndices>{});
    valueShapes[out.value] = out.shape;
    return out;
  }
  bool found = !hasZero;
  while (found && cuts.back() != std::make_pair(from.size(), shape.size())) {
    auto [k, l] = cuts.back();
    bool next = false;
    for (size_t k2 = k + 1; k2 <= from.size() && !next; ++k2)
      for (size_t l2 = l + 1; l2 <= shape.size() && !next; ++l2)
        if (pf[k2] == pt[l2] && (k2 == from.size()) == (l2 == shape.size())) {
          cuts.push_back({k2, l2});
          next = true;
        }
    found = next;
  }
  if (!found) {
    // Not a regrouping (or a rank-0 side): tensor.reshape with the shape as
    // a tensor of sizes.
    SmallVector<Value> sizes;
    for (const SymInt &s : shape)
      sizes.push_back(indexValue(s, source));
    Value shapeTensor;
    if (sizes.empty()) {
      shapeTensor = arith::ConstantOp::create(
          b, location,
          DenseElementsAttr::get(RankedTensorType::get({0}, b.getIndexType()),
                                 ArrayRef<Attribute>{}));
    } else {
      shapeTensor = tensor::FromElementsOp::create(b, location, sizes);
    }
    out.value = tensor::ReshapeOp::create(b, location, resultType, source,
                                          shapeTensor);
    valueShapes[out.value] = out.shape;
    return out;
  }
  SmallVector<ReassociationIndices> collapse, expand;
  SymShape middle;
  bool needCollapse = false, needExpand = false;
  for (size_t i = 1; i < cuts.size(); ++i) {
    ReassociationIndices c, e;
    for (size_t k = cuts[i - 1].first; k < cuts[i].first; ++k)
      c.push_back(static_cast<int64_t>(k));
    for (size_t l = cuts[i - 1].second; l < cuts[i].second; ++l)
      e.push_back(static_cast<int64_t>(l - cuts[i - 1].second + i - 1));
    needCollapse |= c.size() > 1;
    needExpand |= e.size() > 1;
    middle.push_back(pf[cuts[i].first].divideExactly(pf[cuts[i - 1].first])
                         .value_or(SymInt(0)));
    collapse.push_back(c);
    expand.push_back(e);
  }
  // The middle dims are the target's where nothing expands.
  if (!needExpand)
    middle = out.shape;
  Value x = source;
  if (needCollapse) {
    x = tensor::CollapseShapeOp::create(
        b, location, tensorType(middle, v.elementType), x, collapse);
    valueShapes[x] = middle;
  }
  if (needExpand) {
    // Indices of `expand` count result dims from 0 within each group.
    SmallVector<ReassociationIndices> groups;
    int64_t next = 0;
    for (const ReassociationIndices &e : expand) {
      ReassociationIndices g;
      for (size_t j = 0; j < e.size(); ++j)
        g.push_back(next++);
      groups.push_back(g);
    }
    x = tensor::ExpandShapeOp::create(b, location, resultType, x, groups,
                                      mixedSizes(shape, {x, source}));
  }
  out.value = x;
  valueShapes[out.value] = out.shape;
  return out;
}
