//===- Formula.cpp - elementwise tensor formulas in a normal form --------===//

#include "passes/Formula.h"
#include "dialect/AttnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>
#include <deque>

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::formula;

//===----------------------------------------------------------------------===//
// Poly
//===----------------------------------------------------------------------===//

Poly Poly::constant(double c) {
  Poly p;
  p.add({}, c);
  return p;
}

Poly Poly::atom(unsigned id) {
  Poly p;
  p.add({{id, 1}}, 1.0);
  return p;
}

void Poly::add(const Monomial &monomial, double coefficient) {
  auto [it, inserted] = terms_.try_emplace(monomial, coefficient);
  if (!inserted)
    it->second += coefficient;
  // Exact cancellation only: a coefficient that rounding left near zero is
  // a term the formula has, and comparing it shows the mismatch.
  if (it->second == 0.0)
    terms_.erase(it);
}

std::optional<double> Poly::constantValue() const {
  if (terms_.empty())
    return 0.0;
  if (terms_.size() == 1 && terms_.begin()->first.empty())
    return terms_.begin()->second;
  return std::nullopt;
}

double Poly::coefficient(const Monomial &monomial) const {
  auto it = terms_.find(monomial);
  return it == terms_.end() ? 0.0 : it->second;
}

Poly Poly::operator+(const Poly &other) const {
  Poly sum = *this;
  for (const auto &[monomial, c] : other.terms_)
    sum.add(monomial, c);
  return sum;
}

Poly Poly::operator-(const Poly &other) const {
  return *this + other.scaled(-1.0);
}

Poly Poly::scaled(double c) const {
  Poly result;
  for (const auto &[monomial, coefficient] : terms_)
    result.add(monomial, coefficient * c);
  return result;
}

/// The product of two monomials: exponents of equal atoms add.
static Monomial multiply(const Monomial &a, const Monomial &b) {
  Monomial result;
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].first < b[j].first)) {
      result.push_back(a[i++]);
    } else if (i == a.size() || b[j].first < a[i].first) {
      result.push_back(b[j++]);
    } else {
      result.push_back({a[i].first, a[i].second + b[j].second});
      ++i;
      ++j;
    }
  }
  return result;
}

Poly Poly::operator*(const Poly &other) const {
  Poly product;
  for (const auto &[ma, ca] : terms_)
    for (const auto &[mb, cb] : other.terms_)
      product.add(multiply(ma, mb), ca * cb);
  return product;
}

std::optional<Poly> Poly::coefficientOf(unsigned atom, unsigned power) const {
  Poly result;
  for (const auto &[monomial, c] : terms_) {
    Monomial rest;
    unsigned found = 0;
    for (auto [id, exponent] : monomial) {
      if (id == atom)
        found = exponent;
      else
        rest.push_back({id, exponent});
    }
    if (found == power)
      result.add(rest, c);
    else if (found != 0 && power != 0)
      return std::nullopt;
  }
  return result;
}

bool Poly::approxEqual(const Poly &other, double rtol) const {
  if (terms_.size() != other.terms_.size())
    return false;
  for (const auto &[monomial, c] : terms_) {
    auto it = other.terms_.find(monomial);
    if (it == other.terms_.end())
      return false;
    double d = it->second;
    if (std::abs(c - d) > rtol * std::max(std::abs(c), std::abs(d)))
      return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

double mlir::attn::formula::tolerance(Type elementType) {
  auto floatType = dyn_cast<FloatType>(elementType);
  if (!floatType)
    return 1e-6;
  double epsilon = std::ldexp(1.0, 1 - int(floatType.getFPMantissaWidth()));
  return std::max(1e-6, 2.0 * epsilon);
}

bool mlir::attn::formula::isConstantTensor(Value v) {
  auto constant = v.getDefiningOp<arith::ConstantOp>();
  return constant && isa<ElementsAttr>(constant.getValue());
}

/// Whether `init` is zero-filled: a reduction into it starts from zero.
static bool isZeroFilled(Value init) {
  if (matchPattern(init, m_AnyZeroFloat()))
    return true;
  auto fill = init.getDefiningOp<linalg::FillOp>();
  return fill && matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
}

/// The elementwise arith and math ops on whole tensors that a formula reads.
static bool isTensorArith(Operation *op) {
  return isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp,
             arith::NegFOp, math::SqrtOp, math::RsqrtOp, math::ErfOp,
             math::TanhOp, math::PowFOp>(op) &&
         op->getNumResults() == 1 &&
         isa<RankedTensorType>(op->getResult(0).getType());
}

/// The block argument through which `op`'s body reads `operand`, if it
/// reads it (linalg.map's body has no argument for its output).
static BlockArgument blockArgumentOf(linalg::LinalgOp op, OpOperand *operand) {
  Block *body = op.getBlock();
  unsigned n = operand->getOperandNumber();
  if (body->getNumArguments() != op->getNumOperands() &&
      n >= body->getNumArguments())
    return nullptr;
  return body->getArgument(n);
}

bool mlir::attn::formula::isElementwise(Operation *raw) {
  if (isTensorArith(raw))
    return true;
  auto op = dyn_cast<linalg::LinalgOp>(raw);
  if (!op || !op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
      op->getNumResults() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops())
    return false;
  OpOperand *init = op.getDpsInitOperand(0);
  if (!op.getMatchingIndexingMap(init).isIdentity())
    return false;
  BlockArgument out = blockArgumentOf(op, init);
  return !out || out.use_empty();
}

/// When `op` sums over its last loop into a zero-filled tensor indexed by
/// its other loops, in order, the scalar it adds to the accumulator.
static Value rowSumAddend(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
      op->getNumResults() != 1 || op.getNumLoops() < 1)
    return nullptr;
  int64_t loops = op.getNumLoops();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (int64_t d = 0; d < loops; ++d)
    if ((iterators[d] == utils::IteratorType::reduction) != (d == loops - 1))
      return nullptr;
  MLIRContext *ctx = op.getContext();
  SmallVector<AffineExpr> row;
  for (int64_t d = 0; d + 1 < loops; ++d)
    row.push_back(getAffineDimExpr(d, ctx));
  OpOperand *init = op.getDpsInitOperand(0);
  if (op.getMatchingIndexingMap(init) != AffineMap::get(loops, 0, row, ctx) ||
      !isZeroFilled(init->get()))
    return nullptr;
  Block *body = op.getBlock();
  auto yield = dyn_cast<linalg::YieldOp>(body->getTerminator());
  BlockArgument acc = blockArgumentOf(op, init);
  if (!yield || yield.getNumOperands() != 1 || !acc)
    return nullptr;
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add || add->getBlock() != body)
    return nullptr;
  if (add.getLhs() == acc)
    return add.getRhs();
  if (add.getRhs() == acc)
    return add.getLhs();
  return nullptr;
}

Value mlir::attn::formula::rowSumInput(Operation *raw) {
  auto op = dyn_cast<linalg::LinalgOp>(raw);
  if (!op)
    return nullptr;
  auto arg = dyn_cast_or_null<BlockArgument>(rowSumAddend(op));
  if (!arg || arg.getOwner() != op.getBlock())
    return nullptr;
  OpOperand *operand = op.getMatchingOpOperand(arg);
  if (op.isDpsInit(operand) || !op.getMatchingIndexingMap(operand).isIdentity())
    return nullptr;
  return operand->get();
}

//===----------------------------------------------------------------------===//
// Reader
//===----------------------------------------------------------------------===//

unsigned Reader::intern(Atom atom) {
  for (auto [id, existing] : llvm::enumerate(atoms))
    if (existing.kind == atom.kind && existing.tensor == atom.tensor &&
        existing.map == atom.map && existing.arg == atom.arg)
      return id;
  atoms.push_back(std::move(atom));
  return atoms.size() - 1;
}

std::optional<unsigned> Reader::findTensorAtom(Value tensor,
                                               AffineMap map) const {
  for (auto [id, atom] : llvm::enumerate(atoms))
    if (atom.kind == AtomKind::Tensor && atom.tensor == tensor &&
        atom.map == map)
      return id;
  return std::nullopt;
}

FailureOr<Poly> Reader::read(Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  return read(tensor, AffineMap::getMultiDimIdentityMap(type.getRank(),
                                                        tensor.getContext()));
}

FailureOr<Poly> Reader::function(AtomKind kind, const Poly &arg) {
  if (std::optional<double> c = arg.constantValue()) {
    switch (kind) {
    case AtomKind::Sqrt:
      if (*c < 0)
        return failure();
      return Poly::constant(std::sqrt(*c));
    case AtomKind::Inverse:
      if (*c == 0)
        return failure();
      return Poly::constant(1.0 / *c);
    case AtomKind::Erf:
      return Poly::constant(std::erf(*c));
    case AtomKind::Tanh:
      return Poly::constant(std::tanh(*c));
    default:
      break;
    }
  }
  // One monomial c·m: sqrt(c·m) = sqrt(c)·sqrt(m) and 1/(c·m) = (1/c)·(1/m),
  // so that `x / (2·s)` and `(x / s) / 2` read alike.
  double factor = 1.0;
  Poly inner = arg;
  if (arg.size() == 1 && (kind == AtomKind::Sqrt || kind == AtomKind::Inverse)) {
    double c = arg.terms().begin()->second;
    if (kind == AtomKind::Sqrt && c > 0) {
      factor = std::sqrt(c);
      inner = arg.scaled(1.0 / c);
    } else if (kind == AtomKind::Inverse) {
      factor = 1.0 / c;
      inner = arg.scaled(1.0 / c);
    }
  }
  unsigned id = intern(Atom{kind, Value(), AffineMap(), inner});
  return Poly::atom(id).scaled(factor);
}

FailureOr<Poly> Reader::applyScalarOp(Operation *op, ArrayRef<Poly> in) {
  FailureOr<Poly> result = failure();
  auto integerPower = [&](const Poly &base,
                          double exponent) -> FailureOr<Poly> {
    if (exponent == 0.5)
      return function(AtomKind::Sqrt, base);
    if (exponent == -0.5) {
      FailureOr<Poly> root = function(AtomKind::Sqrt, base);
      if (failed(root))
        return failure();
      return function(AtomKind::Inverse, *root);
    }
    if (exponent == -1.0)
      return function(AtomKind::Inverse, base);
    if (exponent != std::floor(exponent) || exponent < 1 || exponent > 4)
      return failure();
    Poly power = base;
    for (int i = 1; i < int(exponent); ++i)
      power = power * base;
    return power;
  };
  if (isa<arith::AddFOp>(op)) {
    result = in[0] + in[1];
  } else if (isa<arith::SubFOp>(op)) {
    result = in[0] - in[1];
  } else if (isa<arith::MulFOp>(op)) {
    result = in[0] * in[1];
  } else if (isa<arith::NegFOp>(op)) {
    result = in[0].scaled(-1.0);
  } else if (isa<arith::DivFOp>(op)) {
    std::optional<double> divisor = in[1].constantValue();
    if (divisor && *divisor != 0) {
      result = in[0].scaled(1.0 / *divisor);
    } else {
      FailureOr<Poly> inverse = function(AtomKind::Inverse, in[1]);
      if (succeeded(inverse))
        result = in[0] * *inverse;
    }
  } else if (isa<math::SqrtOp>(op)) {
    result = function(AtomKind::Sqrt, in[0]);
  } else if (isa<math::RsqrtOp>(op)) {
    FailureOr<Poly> root = function(AtomKind::Sqrt, in[0]);
    if (succeeded(root))
      result = function(AtomKind::Inverse, *root);
  } else if (isa<math::ErfOp>(op)) {
    result = function(AtomKind::Erf, in[0]);
  } else if (isa<math::TanhOp>(op)) {
    result = function(AtomKind::Tanh, in[0]);
  } else if (isa<arith::IndexCastOp, arith::IndexCastUIOp, arith::SIToFPOp,
                 arith::UIToFPOp, arith::ExtSIOp, arith::ExtUIOp,
                 arith::TruncIOp, arith::TruncFOp>(op)) {
    // A count converted to a float (ReduceMean's divisor, as the ONNX
    // importer writes it: sitofp(index_cast(n))): constants only, since a
    // conversion of a variable changes what the formula computes.
    if (in[0].constantValue())
      result = in[0];
  } else if (isa<arith::ExtFOp>(op)) {
    // Exact.
    result = in[0];
  } else if (isa<math::PowFOp, math::FPowIOp>(op)) {
    if (std::optional<double> exponent = in[1].constantValue())
      result = integerPower(in[0], *exponent);
  }
  if (succeeded(result) && result->size() > Poly::kMaxTerms)
    return failure();
  return result;
}

FailureOr<Poly> Reader::readBody(linalg::LinalgOp op, Value scalar,
                                 ArrayRef<AffineMap> operandMaps,
                                 llvm::DenseMap<Value, Poly> &cache) {
  auto cached = cache.find(scalar);
  if (cached != cache.end())
    return cached->second;
  if (--budget < 0)
    return failure();
  FailureOr<Poly> result = failure();
  Block *body = op.getBlock();
  Attribute attr;
  if (auto arg = dyn_cast<BlockArgument>(scalar);
      arg && arg.getOwner() == body) {
    OpOperand *operand = op.getMatchingOpOperand(arg);
    Value input = operand->get();
    if (op.isDpsInit(operand))
      return failure();
    if (isa<RankedTensorType>(input.getType()))
      result = read(input, operandMaps[operand->getOperandNumber()]);
    else if (matchPattern(input, m_Constant(&attr)))
      result = read(input, AffineMap());
  } else if (matchPattern(scalar, m_Constant(&attr))) {
    if (auto f = dyn_cast<FloatAttr>(attr))
      result = Poly::constant(f.getValueAsDouble());
    else if (auto i = dyn_cast<IntegerAttr>(attr))
      result = Poly::constant(double(i.getValue().getSExtValue()));
  } else if (Operation *def = scalar.getDefiningOp();
             def && def->getBlock() == body && def->getNumResults() == 1) {
    SmallVector<Poly> operands;
    for (Value operand : def->getOperands()) {
      FailureOr<Poly> p = readBody(op, operand, operandMaps, cache);
      if (failed(p))
        return failure();
      operands.push_back(*p);
    }
    result = applyScalarOp(def, operands);
  }
  if (succeeded(result))
    cache[scalar] = *result;
  return result;
}

FailureOr<Poly> Reader::readElementwise(linalg::LinalgOp op, AffineMap map) {
  SmallVector<AffineMap> operandMaps;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap m = op.getMatchingIndexingMap(&operand);
    operandMaps.push_back(m ? m.compose(map) : AffineMap());
  }
  auto yield = cast<linalg::YieldOp>(op.getBlock()->getTerminator());
  llvm::DenseMap<Value, Poly> cache;
  return readBody(op, yield.getOperand(0), operandMaps, cache);
}

FailureOr<Poly> Reader::readRowSum(linalg::LinalgOp op, AffineMap map) {
  int64_t loops = op.getNumLoops();
  // The sum must be read at the formula's row: the formula's loops but the
  // last are the sum's row loops, in order.
  MLIRContext *ctx = op.getContext();
  SmallVector<AffineExpr> row;
  for (int64_t d = 0; d + 1 < loops; ++d)
    row.push_back(getAffineDimExpr(d, ctx));
  if (map != AffineMap::get(loops, 0, row, ctx))
    return failure();
  Value addend = rowSumAddend(op);
  SmallVector<AffineMap> operandMaps;
  for (OpOperand &operand : op->getOpOperands())
    operandMaps.push_back(op.getMatchingIndexingMap(&operand));
  llvm::DenseMap<Value, Poly> cache;
  FailureOr<Poly> inner = readBody(op, addend, operandMaps, cache);
  if (failed(inner))
    return failure();
  unsigned id = intern(Atom{AtomKind::RowSum, Value(), AffineMap(), *inner});
  return Poly::atom(id);
}

/// For `expand` read through `map`, the map through which its source is
/// read, when every group of the expansion has at most one dimension that is
/// not a static 1.
static AffineMap throughExpand(tensor::ExpandShapeOp expand, AffineMap map) {
  ArrayRef<int64_t> shape = expand.getResultType().getShape();
  SmallVector<AffineExpr> exprs;
  for (const ReassociationIndices &group :
       expand.getReassociationIndices()) {
    std::optional<int64_t> kept;
    for (int64_t d : group) {
      if (shape[d] == 1)
        continue;
      if (kept)
        return AffineMap();
      kept = d;
    }
    exprs.push_back(kept ? map.getResult(*kept)
                         : getAffineConstantExpr(0, expand.getContext()));
  }
  return AffineMap::get(map.getNumDims(), map.getNumSymbols(), exprs,
                        expand.getContext());
}

FailureOr<Poly> Reader::read(Value tensor, AffineMap map) {
  if (--budget < 0)
    return failure();
  auto tensorAtom = [&]() {
    return Poly::atom(intern(Atom{AtomKind::Tensor, tensor, map, Poly()}));
  };
  if (isVariable(tensor))
    return tensorAtom();
  Attribute attr;
  if (matchPattern(tensor, m_Constant(&attr))) {
    if (auto f = dyn_cast<FloatAttr>(attr))
      return Poly::constant(f.getValueAsDouble());
    if (auto i = dyn_cast<IntegerAttr>(attr))
      return Poly::constant(double(i.getValue().getSExtValue()));
    auto dense = dyn_cast<DenseElementsAttr>(attr);
    if (dense && dense.isSplat() && isa<FloatType>(dense.getElementType()))
      return Poly::constant(
          dense.getSplatValue<APFloat>().convertToDouble());
    return tensorAtom();
  }
  Operation *def = tensor.getDefiningOp();
  if (!def)
    return tensorAtom();

  // A producer whose formula cannot be read is an atom of the formula that
  // reads it; what it visited on the way is undone.
  size_t visitedBefore = visitedOps.size();
  FailureOr<Poly> result = failure();
  if (isTensorArith(def)) {
    visitedOps.insert(def);
    SmallVector<Poly> operands;
    bool ok = true;
    for (Value operand : def->getOperands()) {
      FailureOr<Poly> p = read(operand, map);
      if (failed(p)) {
        ok = false;
        break;
      }
      operands.push_back(*p);
    }
    if (ok)
      result = applyScalarOp(def, operands);
  } else if (auto linalgOp = dyn_cast<linalg::LinalgOp>(def)) {
    if (isElementwise(def)) {
      visitedOps.insert(def);
      result = readElementwise(linalgOp, map);
    } else if (sumRows && rowSumAddend(linalgOp)) {
      visitedOps.insert(def);
      result = readRowSum(linalgOp, map);
    }
  } else if (auto expand = dyn_cast<tensor::ExpandShapeOp>(def)) {
    if (AffineMap sourceMap = throughExpand(expand, map)) {
      visitedOps.insert(def);
      result = read(expand.getSrc(), sourceMap);
    }
  }
  if (succeeded(result))
    return result;
  if (budget < 0)
    return failure();
  while (visitedOps.size() > visitedBefore)
    visitedOps.pop_back();
  return tensorAtom();
}

//===----------------------------------------------------------------------===//
// Candidates and users
//===----------------------------------------------------------------------===//

SmallVector<Operation *> mlir::attn::formula::elementwiseUsers(Value value,
                                                               unsigned limit) {
  llvm::SetVector<Operation *> found;
  std::deque<Value> work{value};
  while (!work.empty() && found.size() < limit) {
    Value v = work.front();
    work.pop_front();
    for (Operation *user : v.getUsers()) {
      if (found.contains(user) || found.size() >= limit)
        continue;
      auto linalgOp = dyn_cast<linalg::LinalgOp>(user);
      bool through = isElementwise(user) ||
                     (linalgOp && rowSumAddend(linalgOp)) ||
                     isa<tensor::ExpandShapeOp>(user);
      if (!through)
        continue;
      found.insert(user);
      for (Value result : user->getResults())
        work.push_back(result);
    }
  }
  SmallVector<Operation *> ops = found.takeVector();
  // Program order is an order only among ops of one block.
  if (llvm::all_of(ops, [&](Operation *op) {
        return op->getBlock() == ops.front()->getBlock();
      }))
    llvm::sort(ops, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
  return ops;
}

bool mlir::attn::formula::onlyUsedWithin(ArrayRef<Operation *> ops,
                                         Operation *root) {
  llvm::SmallPtrSet<Operation *, 16> set(ops.begin(), ops.end());
  for (Operation *op : ops) {
    if (op == root)
      continue;
    for (Operation *user : op->getUsers())
      if (!set.contains(user) && !isResolvableDim(user, op))
        return false;
  }
  return true;
}

/// Ops whose result has the shape of their first operand in every dynamic
/// dimension (the static ones are known): the row ops and layers keep the
/// whole shape, the linear ones all but the last dimension, whose size
/// comes from a weight and must then be static.
static bool keepsFirstOperandShape(Operation *op) {
  bool rows = isa<SoftmaxOp, LogSoftmaxOp, LayerNormOp, EncoderLayerOp,
                  DecoderLayerOp>(op);
  if (!(rows || isa<LinearOp, FFNOp, MultiheadOp>(op)) ||
      op->getNumOperands() == 0 || op->getNumResults() < 1)
    return false;
  auto in = dyn_cast<RankedTensorType>(op->getOperand(0).getType());
  auto out = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  return in && out && in.getRank() == out.getRank() &&
         (rows || !out.isDynamicDim(out.getRank() - 1));
}

bool mlir::attn::formula::isResolvableDim(Operation *user, Operation *op) {
  auto dim = dyn_cast<tensor::DimOp>(user);
  if (!op || !dim || dim.getSource().getDefiningOp() != op ||
      !dim.getConstantIndex())
    return false;
  int64_t index = *dim.getConstantIndex();
  auto type = cast<RankedTensorType>(dim.getSource().getType());
  if (index < 0 || index >= type.getRank())
    return false;
  if (!type.isDynamicDim(index))
    return true;
  auto dps = dyn_cast<DestinationStyleOpInterface>(op);
  return (dps && dps.hasPureTensorSemantics()) ||
         isa<tensor::ExpandShapeOp>(op) ||
         (keepsFirstOperandShape(op) && dim.getSource() == op->getResult(0));
}

SmallVector<Operation *> mlir::attn::formula::nonDimUsers(Value value) {
  SmallVector<Operation *> users;
  for (Operation *user : value.getUsers())
    if (!isResolvableDim(user, value.getDefiningOp()) &&
        !llvm::is_contained(users, user))
      users.push_back(user);
  return users;
}

linalg::TransposeOp
mlir::attn::formula::peelTranspose(Value value, MutableArrayRef<int64_t> perm) {
  auto transpose = value.getDefiningOp<linalg::TransposeOp>();
  if (!transpose || !transpose.hasPureTensorSemantics())
    return nullptr;
  // out[i] = in[p[i]], so the chain's dimension i, which was value's
  // perm[i], is the input's p[perm[i]].
  ArrayRef<int64_t> p = transpose.getPermutation();
  for (int64_t &d : perm)
    d = p[d];
  return transpose;
}

Operation *mlir::attn::formula::soleUser(Value value) {
  SmallVector<Operation *> users = nonDimUsers(value);
  return users.size() == 1 ? users.front() : nullptr;
}

void mlir::attn::formula::resolveDimUsers(RewriterBase &rewriter,
                                          Operation *op) {
  SmallVector<tensor::DimOp> dims;
  for (Value result : op->getResults())
    for (Operation *user : result.getUsers())
      if (auto dim = dyn_cast<tensor::DimOp>(user))
        dims.push_back(dim);
  for (tensor::DimOp dim : dims) {
    int64_t index = *dim.getConstantIndex();
    auto result = cast<OpResult>(dim.getSource());
    auto type = cast<RankedTensorType>(result.getType());
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(dim);
    Location loc = dim.getLoc();
    Value size;
    if (!type.isDynamicDim(index)) {
      size = arith::ConstantIndexOp::create(rewriter, loc,
                                            type.getDimSize(index));
    } else if (auto dps = dyn_cast<DestinationStyleOpInterface>(op)) {
      // A result has the shape of its destination.
      size = tensor::DimOp::create(
          rewriter, loc, dps.getDpsInits()[result.getResultNumber()], index);
    } else if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
      size = getValueOrCreateConstantIndexOp(
          rewriter, loc, expand.getMixedOutputShape()[index]);
    } else {
      size = tensor::DimOp::create(rewriter, loc, op->getOperand(0), index);
    }
    rewriter.replaceOp(dim, size);
  }
}

bool mlir::attn::formula::isElementwiseAdd(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1)
    return false;
  if (isa<linalg::AddOp>(op))
    return true;
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }) ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return false;
  Block &body = generic.getRegion().front();
  if (body.getOperations().size() != 2)
    return false;
  auto add = dyn_cast<arith::AddFOp>(body.front());
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  if (!add || !yield || yield.getNumOperands() != 1 ||
      yield.getOperand(0) != add.getResult())
    return false;
  Value a = body.getArgument(0), b = body.getArgument(1);
  return (add.getLhs() == a && add.getRhs() == b) ||
         (add.getLhs() == b && add.getRhs() == a);
}
