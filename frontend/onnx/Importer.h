//===- Importer.h - The ONNX graph importer's shared state -------*- C++ -*-===//
//
// The importer walks an ONNX graph node by node and translates each node
// into the ops of frontend/onnx-import-design.md (one op per node). This
// header is the state the op files share:
//
// - SymInt: a size or an integer that is known at import time as a
//   polynomial in the graph's symbolic dimensions (`batch`, `sequence`, ...),
//   so that shape computations fold and dynamic sizes stay dynamic.
// - OnnxValue: one ONNX value: element type, symbolic shape, and, once it is
//   needed, the MLIR value; small integer tensors whose elements are known
//   (a Shape, a Concat of sizes) carry them and emit nothing.
// - Importer: the walk, the values by name, the current node, errors and
//   the emission helpers the op files use.
//
// Graph.cpp holds the walk, Weights.cpp the initializers and protobuf
// handling; the op files register their handlers in an OpRegistry.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_FRONTEND_ONNX_IMPORTER_H
#define ATTNC_FRONTEND_ONNX_IMPORTER_H

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace onnx {
class AttributeProto;
class ModelProto;
class NodeProto;
class TensorProto;
class ValueInfoProto;
} // namespace onnx

namespace attnc::frontend::onnx_import {

//===----------------------------------------------------------------------===//
// Symbolic integers
//===----------------------------------------------------------------------===//

/// An integer polynomial in the graph's symbolic sizes: a sum of terms
/// `c · s1 · s2 ...`. Symbols stand for dimensions of graph inputs and are
/// never negative. Arithmetic wraps on overflow (callers check sizes).
class SymInt {
public:
  SymInt(int64_t constant = 0);
  static SymInt symbol(unsigned id);

  /// The value when it has no symbols.
  std::optional<int64_t> constant() const;
  bool isConstant() const { return constant().has_value(); }
  bool is(int64_t c) const { return constant() == c; }
  /// The symbol when the value is exactly one symbol.
  std::optional<unsigned> singleSymbol() const;
  /// Every symbol it mentions.
  llvm::SmallVector<unsigned, 2> symbols() const;

  SymInt operator+(const SymInt &other) const;
  SymInt operator-(const SymInt &other) const;
  SymInt operator*(const SymInt &other) const;
  SymInt operator-() const;
  /// `this / divisor` when it divides exactly: a constant that divides every
  /// coefficient, or a monomial that divides every term.
  std::optional<SymInt> divideExactly(const SymInt &divisor) const;
  /// Truncating or floor division of constants only.
  std::optional<SymInt> divideTruncating(const SymInt &divisor) const;

  bool operator==(const SymInt &other) const { return terms == other.terms; }
  bool operator!=(const SymInt &other) const { return !(*this == other); }
  /// Whether `this < other` follows from every symbol being non-negative;
  /// nullopt when it depends on their values.
  std::optional<bool> less(const SymInt &other) const;
  /// Whether `this == other` is decided; nullopt when it depends.
  std::optional<bool> equals(const SymInt &other) const;

  /// The terms, as (sorted symbols, coefficient); the constant term has no
  /// symbols.
  llvm::SmallVector<std::pair<llvm::SmallVector<unsigned, 2>, int64_t>, 2>
  termList() const;

  /// "batch*sequence + 1", with `name` naming symbols.
  std::string str(llvm::function_ref<std::string(unsigned)> name) const;

private:
  using Monomial = llvm::SmallVector<unsigned, 2>;
  struct Term {
    Monomial symbols; // sorted; empty for the constant term
    int64_t coefficient;
    bool operator==(const Term &o) const {
      return symbols == o.symbols && coefficient == o.coefficient;
    }
  };
  void add(const Monomial &m, int64_t c);
  /// Sorted by monomial, no zero coefficients.
  llvm::SmallVector<Term, 2> terms;
};

using SymShape = llvm::SmallVector<SymInt, 4>;

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

/// One ONNX value.
struct OnnxValue {
  mlir::Type elementType;
  SymShape shape;
  /// The MLIR value; null until something needs it (known values and
  /// constants are emitted on first use).
  mlir::Value value;
  /// For integer and bool tensors of a static shape with few elements: the
  /// elements, row-major, when every one is known at import time.
  std::optional<llvm::SmallVector<SymInt, 4>> known;
  /// For initializers and Constant nodes: the data.
  mlir::ElementsAttr constant;

  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  /// The shape when every dimension is a constant.
  std::optional<llvm::SmallVector<int64_t, 4>> staticShape() const;
};

/// At most this many elements are tracked as known values.
constexpr int64_t kMaxKnownElements = 64;

//===----------------------------------------------------------------------===//
// The importer
//===----------------------------------------------------------------------===//

class Importer;
using OpHandler = llvm::Error (*)(Importer &);

/// The ops the importer supports, by domain ("" is ai.onnx) and op type.
class OpRegistry {
public:
  /// `op` is supported from opset `since` of its domain on.
  void add(llvm::StringRef domain, llvm::StringRef op, int64_t since,
           OpHandler handler);
  /// The handler for `op` at opset `version` of `domain`, or null.
  OpHandler find(llvm::StringRef domain, llvm::StringRef op,
                 int64_t version) const;
  /// Every op, as "domain|op" -> since.
  const llvm::StringMap<std::pair<int64_t, OpHandler>> &all() const {
    return ops;
  }

private:
  llvm::StringMap<std::pair<int64_t, OpHandler>> ops;
};

void registerElementwiseOps(OpRegistry &registry);
void registerShapeOps(OpRegistry &registry);
void registerLinalgOps(OpRegistry &registry);
void registerAttentionOps(OpRegistry &registry);
void registerMicrosoftOps(OpRegistry &registry);
/// GELU of the float scalar `x` inside a body (erf, or the tanh
/// approximation), computed in f32 for narrower floats.
mlir::Value geluScalar(mlir::OpBuilder &nb, mlir::Location loc, mlir::Value x,
                       bool tanh);
/// ONNX MatMul of `a` and `b` (numpy batch broadcasting, 1-D operands):
/// the contraction the MatMul node imports to, which attn-raise-linear
/// turns into attn.linear when `b` is a constant [K, N] weight; an error
/// for mismatched types or inner sizes.
llvm::Expected<OnnxValue> matMul(Importer &im, OnnxValue &a, OnnxValue &b);
/// Every op above.
const OpRegistry &opRegistry();

/// Where the bytes of the initializers live (Weights.cpp).
struct WeightSource {
  /// The model file, mapped (or a copy of an in-memory model).
  std::shared_ptr<llvm::MemoryBuffer> model;
  /// Per graph initializer, the byte range of its raw_data in `model`,
  /// which was stripped from the parsed proto; size 0 when it had none.
  std::vector<std::pair<uint64_t, uint64_t>> rawData;
  /// The directory external data locations are relative to.
  std::string directory;
  /// External data files, mapped once each.
  llvm::StringMap<std::shared_ptr<llvm::MemoryBuffer>> external;
};

/// Parses a serialized ModelProto without copying the initializers'
/// raw_data: it is cut out of the bytes first and its place recorded in
/// `source.rawData` (which then holds one entry per initializer). `path`
/// names the file in errors.
llvm::Error parseModel(llvm::StringRef path, WeightSource &source,
                       onnx::ModelProto &model);

/// A symbol: a dimension of a graph input.
struct Symbol {
  unsigned argument;
  unsigned dim;
  /// The dim_param, or "" for a dimension that has none.
  std::string name;
  /// The largest size the compiled code handles (a table it slices), or -1.
  int64_t bound = -1;
};

class Importer {
public:
  Importer(mlir::MLIRContext &ctx, llvm::StringRef path,
           const onnx::ModelProto &model, WeightSource &weights);
  mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>> run();
  /// Valid after run() fails.
  llvm::Error takeError() { return std::move(error); }

  //===--------------------------------------------------------------------===//
  // For op handlers: the current node
  //===--------------------------------------------------------------------===//

  const onnx::NodeProto &node() const { return *current; }
  /// The opset of the current node's domain.
  int64_t opset() const { return currentOpset; }
  /// The number of inputs the node lists (absent optional ones included).
  int numInputs() const;
  int numOutputs() const;
  /// Input `i`, or null when it is absent (beyond the list or named "").
  OnnxValue *input(int i);
  /// Input `i`; an error when it is absent.
  llvm::Expected<OnnxValue *> required(int i, llvm::StringRef what);
  /// One input a handler needs: its index, its name in the error, and the
  /// pointer to set.
  struct RequiredInput {
    int index;
    llvm::StringRef what;
    OnnxValue *&out;
  };
  /// Sets each of `inputs` as `required` finds it, in order; the error of
  /// the first absent one. Handlers start with it instead of one `required`
  /// and its error check per input.
  llvm::Error requireInputs(std::initializer_list<RequiredInput> inputs);
  /// Whether output `i` is named (something may read it).
  bool wantsOutput(int i) const;
  /// Defines output `i` (nothing when it is absent).
  void setOutput(int i, OnnxValue value);
  /// Defines output `i` as the MLIR value `v` with symbolic shape `shape`.
  void setOutput(int i, mlir::Value v, SymShape shape);
  /// The OnnxValue of an MLIR value `v` of symbolic shape `shape`.
  OnnxValue wrap(mlir::Value v, SymShape shape);

  /// An error naming the file and the node.
  llvm::Error fail(const llvm::Twine &message) const;
  /// The location of the current node's ops.
  mlir::Location loc() const { return location; }
  mlir::OpBuilder &builder() { return b; }
  mlir::MLIRContext &context() { return ctx; }

  //===--------------------------------------------------------------------===//
  // Attributes
  //===--------------------------------------------------------------------===//

  /// An error for any attribute of the node not in `allowed`.
  llvm::Error checkAttributes(llvm::ArrayRef<llvm::StringRef> allowed) const;
  const onnx::AttributeProto *attribute(llvm::StringRef name) const;
  llvm::Expected<int64_t> intAttr(llvm::StringRef name, int64_t fallback);
  llvm::Expected<std::optional<int64_t>> optionalIntAttr(llvm::StringRef name);
  llvm::Expected<double> floatAttr(llvm::StringRef name, double fallback);
  llvm::Expected<std::optional<llvm::SmallVector<int64_t, 4>>>
  intsAttr(llvm::StringRef name);
  llvm::Expected<std::string> stringAttr(llvm::StringRef name,
                                         llvm::StringRef fallback);

  //===--------------------------------------------------------------------===//
  // Types and values
  //===--------------------------------------------------------------------===//

  /// The MLIR element type of an ONNX data type, or an error naming `what`.
  llvm::Expected<mlir::Type> elementType(int32_t onnxType,
                                         const llvm::Twine &what);
  /// The ONNX name of an MLIR element type ("FLOAT", "INT64", ...).
  static std::string typeName(mlir::Type type);
  mlir::RankedTensorType tensorType(llvm::ArrayRef<SymInt> shape,
                                    mlir::Type elementType) const;
  /// The MLIR value of `v`, emitting a known value or constant on first use.
  mlir::Value materialize(OnnxValue &v);
  /// An `index` value of `size`: a constant, a `tensor.dim` of one of
  /// `hints` (or of the graph input its symbol names), or arithmetic on such.
  mlir::Value indexValue(const SymInt &size,
                         llvm::ArrayRef<mlir::Value> hints = {});
  /// Static sizes as attributes, dynamic ones as indexValue.
  llvm::SmallVector<mlir::OpFoldResult>
  mixedSizes(llvm::ArrayRef<SymInt> shape,
             llvm::ArrayRef<mlir::Value> hints = {});
  /// `tensor.empty` of `shape`.
  mlir::Value empty(llvm::ArrayRef<SymInt> shape, mlir::Type elementType,
                    llvm::ArrayRef<mlir::Value> hints = {});
  /// A scalar `arith.constant` of `type` (float or integer).
  mlir::Value scalarConstant(mlir::Type type, double value);
  /// `linalg.fill` of a `tensor.empty`.
  mlir::Value filled(llvm::ArrayRef<SymInt> shape, mlir::Type elementType,
                     double value, llvm::ArrayRef<mlir::Value> hints = {});

  /// The elements of `v` when each is known: its known value, or the data
  /// of an integer or bool constant with few elements.
  std::optional<llvm::SmallVector<SymInt, 4>> knownElements(const OnnxValue &v);
  /// Like knownElements, when every element is a constant.
  std::optional<llvm::SmallVector<int64_t, 4>>
  constantInts(const OnnxValue &v);
  /// The elements of a float or integer constant with few elements.
  std::optional<llvm::SmallVector<double, 4>>
  constantDoubles(const OnnxValue &v);
  /// An OnnxValue holding known elements `elements` of `shape`.
  OnnxValue knownValue(mlir::Type elementType, SymShape shape,
                       llvm::ArrayRef<SymInt> elements);
  /// The shape of `v` as a known 1-D int64 tensor... or rather the shape
  /// `v` (a 1-D integer input) holds; an error naming `what` when it is not
  /// known at import time.
  llvm::Expected<SymShape> shapeOperand(OnnxValue &v, llvm::StringRef what);

  /// A TensorProto (a Constant's value) as a constant OnnxValue; `what`
  /// names it in errors.
  llvm::Error readConstantTensor(const onnx::TensorProto &tensor,
                                 const llvm::Twine &what, OnnxValue &out) {
    return readConstant(tensor, what, -1, out);
  }

  /// "[batch, 128]".
  std::string shapeString(llvm::ArrayRef<SymInt> shape) const;
  std::string sizeString(const SymInt &size) const;

  //===--------------------------------------------------------------------===//
  // Shared emitters
  //===--------------------------------------------------------------------===//

  /// `axis` in [-rank, rank) made non-negative; an error naming `what`.
  llvm::Expected<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                        llvm::StringRef what) const;
  /// Numpy broadcasting of `shapes`; an error when two sizes differ and
  /// neither is 1. Two different dynamic sizes are assumed equal.
  llvm::Expected<SymShape>
  broadcastShapes(llvm::ArrayRef<llvm::ArrayRef<SymInt>> shapes);
  /// The indexing map that reads an operand of shape `operand` inside loops
  /// over `result` (right-aligned; a size-1 dimension against a larger one
  /// reads index 0).
  mlir::AffineMap broadcastMap(llvm::ArrayRef<SymInt> operand,
                               llvm::ArrayRef<SymInt> result);
  using BodyBuilder = llvm::function_ref<mlir::Value(
      mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;
  /// One elementwise `linalg.generic` over `inputs` broadcast to their
  /// common shape, all loops parallel, yielding `body` of the block
  /// arguments; the result is of `resultType`.
  llvm::Expected<OnnxValue> elementwise(llvm::ArrayRef<OnnxValue *> inputs,
                                        mlir::Type resultType,
                                        BodyBuilder body);
  /// Like elementwise, with the result shape given (Expand).
  OnnxValue elementwiseTo(llvm::ArrayRef<OnnxValue *> inputs,
                          llvm::ArrayRef<SymInt> shape, mlir::Type resultType,
                          BodyBuilder body);
  /// Reshapes `v` to `shape` (same element count): `tensor.expand_shape` /
  /// `tensor.collapse_shape` when the new shape regroups the old one,
  /// else `tensor.reshape`.
  OnnxValue reshape(OnnxValue &v, llvm::ArrayRef<SymInt> shape);
  /// Casts a scalar `x` to `to` inside a body (extf/truncf/sitofp/...).
  static mlir::Value castScalar(mlir::OpBuilder &nb, mlir::Location nloc,
                                mlir::Value x, mlir::Type to,
                                bool unsignedSource = false);
  /// `size` is at most `bound` (a table of that many rows is sliced by it):
  /// recorded as the argument's attnc.max_sizes when it is one symbol.
  void boundSize(const SymInt &size, int64_t bound);

  /// Name of symbol `id` for messages.
  std::string symbolName(unsigned id) const;

private:
  friend class GraphWalk;
  llvm::Error importGraph();
  llvm::Error checkOpsets();
  llvm::Error checkSupported();
  llvm::Error addGraphInputs();
  llvm::Error addInitializers();
  llvm::Error importNode(const onnx::NodeProto &node, int index);
  llvm::Error addOutputs();
  llvm::Error readConstant(const onnx::TensorProto &tensor,
                           const llvm::Twine &what, int initializerIndex,
                           OnnxValue &out);

  mlir::MLIRContext &ctx;
  std::string path;
  const onnx::ModelProto &model;
  WeightSource &weights;
  mlir::OpBuilder b;
  mlir::Location fileLoc;
  mlir::Location location;
  llvm::Error error = llvm::Error::success();

  /// Default-domain and com.microsoft opsets (0: none imported).
  int64_t defaultOpset = 0, microsoftOpset = 0;
  const onnx::NodeProto *current = nullptr;
  int64_t currentOpset = 0;
  std::string where;

  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::Block *body = nullptr;
  llvm::StringMap<OnnxValue> values;
  std::vector<Symbol> symbols;
  llvm::StringMap<unsigned> symbolByName;
  /// tensor.dim of each symbol's argument, made at the top of the body.
  llvm::DenseMap<unsigned, mlir::Value> symbolValues;
  /// The symbolic shape of every MLIR value made, for indexValue's hints.
  llvm::DenseMap<mlir::Value, SymShape> valueShapes;
  /// The graph inputs that became arguments.
  std::vector<const onnx::ValueInfoProto *> arguments;
};

} // namespace attnc::frontend::onnx_import

#endif // ATTNC_FRONTEND_ONNX_IMPORTER_H
