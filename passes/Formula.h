//===- Formula.h - elementwise tensor formulas in a normal form -*- C++ -*-===//
//
// The raising passes recognise formulas (LayerNorm, GELU, a bias add) that
// exporters write as chains of elementwise ops in whatever association
// order they chose: `x * 0.5 * (1 + erf(x / 1.414))`, `0.5 * (x * (erf(x *
// 0.707) + 1))`, one linalg.generic per ONNX node or one for the whole
// formula. Rather than enumerating those orders, a formula is read into a
// normal form: a polynomial whose variables ("atoms") are tensors read
// through indexing maps, and functions of inner polynomials (sqrt, 1/p, erf,
// tanh, and the sum of a row). Two formulas with equal normal forms compute
// the same function, up to float rounding, whatever their op order; a
// matcher compares the normal form of what it found with the one it
// expects, coefficient by coefficient within a tolerance.
//
// Only what a polynomial can express is read: +, -, *, / by anything (a
// division by a non-constant p is a product with the atom 1/p), integer
// powers up to 4, sqrt, rsqrt, erf, tanh, and sums over the last loop.
// Anything else (a select, a max, a cast, an exp) makes the read fail, so a
// formula that merely looks similar never matches.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_PASSES_FORMULA_H
#define ATTNC_PASSES_FORMULA_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallVector.h"

#include <functional>
#include <map>
#include <optional>
#include <utility>

namespace mlir::attn::formula {

/// A product of atoms with their exponents, sorted by atom index.
using Monomial = llvm::SmallVector<std::pair<unsigned, unsigned>, 4>;

/// A polynomial in atoms: monomials with their nonzero coefficients.
class Poly {
public:
  Poly() = default;
  static Poly constant(double c);
  static Poly atom(unsigned id);

  const std::map<Monomial, double> &terms() const { return terms_; }
  size_t size() const { return terms_.size(); }
  /// The value of a polynomial without atoms (0 for the empty one).
  std::optional<double> constantValue() const;
  /// The coefficient of `monomial` (0 when absent).
  double coefficient(const Monomial &monomial) const;

  Poly operator+(const Poly &other) const;
  Poly operator-(const Poly &other) const;
  Poly operator*(const Poly &other) const;
  Poly scaled(double c) const;
  bool operator==(const Poly &other) const { return terms_ == other.terms_; }
  bool operator!=(const Poly &other) const { return !(*this == other); }

  /// The part of this polynomial whose monomials contain `atom` to exactly
  /// the power `power` (0: do not contain it), with `atom` divided out.
  /// Fails when some monomial holds `atom` to another power.
  std::optional<Poly> coefficientOf(unsigned atom, unsigned power) const;

  /// Whether every monomial is the same in both and the coefficients agree
  /// within `rtol` of the larger magnitude.
  bool approxEqual(const Poly &other, double rtol) const;

  /// More terms than this means the formula is not one the passes look for;
  /// reading stops rather than expanding further.
  static constexpr size_t kMaxTerms = 64;

private:
  void add(const Monomial &monomial, double coefficient);
  std::map<Monomial, double> terms_;
};

/// What an atom stands for.
enum class AtomKind {
  /// `tensor` read through `map` (the formula's loops to its dimensions).
  Tensor,
  /// sqrt, 1/x, erf, tanh of `arg`.
  Sqrt,
  Inverse,
  Erf,
  Tanh,
  /// The sum of `arg` over the last loop, at the formula's row (its other
  /// loops). Inside `arg`, the last loop is the summed index.
  RowSum,
};

struct Atom {
  AtomKind kind;
  Value tensor;
  AffineMap map;
  Poly arg;
};

/// Reads tensors into normal forms; atoms are numbered per reader.
class Reader {
public:
  /// `isVariable(t)`: `t` is an input of the formula, read as a tensor atom
  /// even when an elementwise op produces it. `sumRows`: whether sums over
  /// the last loop are read as RowSum atoms (else they are tensor atoms).
  Reader(std::function<bool(Value)> isVariable, bool sumRows)
      : isVariable(std::move(isVariable)), sumRows(sumRows) {}

  /// The normal form of `tensor`, read at each point of its own iteration
  /// space (the identity map); fails if it is not a formula of the kind the
  /// file comment describes.
  FailureOr<Poly> read(Value tensor);
  /// The normal form of `tensor` read through `map`.
  FailureOr<Poly> read(Value tensor, AffineMap map);

  const Atom &atom(unsigned id) const { return atoms[id]; }
  unsigned numAtoms() const { return atoms.size(); }
  /// The atom of `tensor` read through `map`, if the formula has it.
  std::optional<unsigned> findTensorAtom(Value tensor, AffineMap map) const;
  /// The id of `atom` (a new one if no equal atom exists).
  unsigned intern(Atom atom);

  /// The ops the reads went through, in the order met: their results are
  /// the formula's intermediate values.
  ArrayRef<Operation *> visited() const { return visitedOps.getArrayRef(); }

private:
  FailureOr<Poly> readElementwise(linalg::LinalgOp op, AffineMap map);
  FailureOr<Poly> readRowSum(linalg::LinalgOp op, AffineMap map);
  FailureOr<Poly> readBody(linalg::LinalgOp op, Value scalar,
                           ArrayRef<AffineMap> operandMaps,
                           llvm::DenseMap<Value, Poly> &cache);
  FailureOr<Poly> applyScalarOp(Operation *op, ArrayRef<Poly> operands);
  FailureOr<Poly> function(AtomKind kind, const Poly &arg);

  /// Owned: readers are built from temporary lambdas.
  std::function<bool(Value)> isVariable;
  bool sumRows;
  llvm::SmallVector<Atom> atoms;
  llvm::SetVector<Operation *> visitedOps;
  /// Reads left before the reader gives up: formulas are small, and this
  /// bounds the cost on IR that only looks like one.
  int budget = 256;
};

/// The relative tolerance for comparing a formula's constants with their
/// exact values when the formula computes in `elementType`: a few roundings
/// of that type, and at least 1e-6.
double tolerance(Type elementType);

/// Whether `v` is produced by an arith.constant (dense or dense_resource).
bool isConstantTensor(Value v);

/// The tensor that `op` sums over its last loop, when `op` is such a row
/// sum (linalg.reduce, or a linalg.generic with one reduction loop, last,
/// into a zero-filled tensor) of that tensor itself, read through the
/// identity map; else null. A mean's first step.
Value rowSumInput(Operation *op);

/// Whether `op` is an elementwise op on tensors that the reader reads
/// through: a linalg op with one result, all loops parallel and an identity
/// output map whose body does not read its output, or an arith/math op on
/// tensors.
bool isElementwise(Operation *op);

/// The ops that use `value`, and transitively the users of those that are
/// elementwise, row sums or unit-dimension reshapes, up to `limit` ops, in
/// program order where they share a block: the candidates for the end of a
/// formula that starts at `value`.
llvm::SmallVector<Operation *> elementwiseUsers(Value value, unsigned limit);

/// Whether every user of a result of each op in `ops` but `root` is in
/// `ops`: the formula's intermediate values are used only by the formula.
/// A `tensor.dim` of an intermediate value (importers size each
/// `tensor.empty` by the dims of the op before) does not count when
/// `resolveDimUsers` can replace it.
bool onlyUsedWithin(ArrayRef<Operation *> ops, Operation *root);

/// Whether `user` is a `tensor.dim` of a result of `op` that
/// `resolveDimUsers` can replace: a constant index, and `op` reifies its
/// result shapes (linalg ops, reshapes) or keeps its first operand's shape
/// in every dynamic dimension (attn.softmax, attn.layer_norm, attn.linear).
bool isResolvableDim(Operation *user, Operation *op);

/// The users of `value` other than resolvable `tensor.dim`s of it.
llvm::SmallVector<Operation *> nonDimUsers(Value value);

/// When `value` is the result of a linalg.transpose on tensors, composes
/// that transpose into `perm` (read as: dimension i of what the chain ends
/// in is dimension perm[i] of `value`; afterwards, of the transpose's
/// input) and returns it; null otherwise, `perm` unchanged.
linalg::TransposeOp peelTranspose(Value value, MutableArrayRef<int64_t> perm);

/// The one op that uses `value`, not counting resolvable `tensor.dim`s of it
/// (several uses in that op count once); null when there are none or
/// several. An intermediate that anything else reads must stay
/// materialised, so a chain through it cannot fuse or be raised.
Operation *soleUser(Value value);

/// Whether `op` is `out = in0 + in1`, elementwise on tensors of one shape:
/// linalg.add, or a linalg.generic with identity maps, parallel loops and
/// a body that yields the addf of its two inputs.
bool isElementwiseAdd(linalg::LinalgOp op);

/// Replaces every `tensor.dim` of a result of `op` by the size it reads
/// (each must be `isResolvableDim`), so that `op` can be erased or left
/// dead when the values it computes are no longer needed.
void resolveDimUsers(RewriterBase &rewriter, Operation *op);

} // namespace mlir::attn::formula

#endif // ATTNC_PASSES_FORMULA_H
