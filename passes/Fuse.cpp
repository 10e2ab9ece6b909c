//===- Fuse.cpp - attn-fuse: an unfused attention chain into attn.sdpa ----===//
//
// The chain is matched backwards from the P·V product: its left operand must
// be a softmax over the last axis, whose input may be a masked score, whose
// input may be a scaled score, whose input must be Q·Kᵀ. Each link is read
// structurally (indexing maps and the scalar op in the body), so named ops,
// linalg.elementwise, linalg.generic and arith ops on tensors all match.
//
//===----------------------------------------------------------------------===//

#include "passes/Formula.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"

#include <cmath>
#include <functional>
#include <optional>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNFUSE
#include "passes/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;
using formula::soleUser;

namespace {

//===----------------------------------------------------------------------===//
// Batch matmuls
//===----------------------------------------------------------------------===//

/// A batched matrix product out[b.., i, j] = sum_k lhs[b.., i, k] * rhs,
/// with rhs read as [b.., j, k] (transposed) or [b.., k, j].
struct BatchMatmul {
  linalg::LinalgOp op;
  Value lhs, rhs;
  /// The rank of every operand: 2 (no batch), 3 or 4.
  int64_t rank;
  bool rhsTransposed;
};

/// Whether `init` is a zero-filled tensor, so that a product written into it
/// starts from zero rather than accumulating onto other data.
bool isZeroFilled(Value init) {
  if (matchPattern(init, m_AnyZeroFloat()))
    return true;
  auto fill = init.getDefiningOp<linalg::FillOp>();
  return fill && matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
}

/// Matches `op` as a batched matmul of same-typed float operands with a
/// plain multiply-add body, starting from zero.
std::optional<BatchMatmul> matchBatchMatmul(Operation *raw) {
  auto op = dyn_cast<linalg::LinalgOp>(raw);
  if (!op || !op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || !linalg::isaContractionOpInterface(op))
    return std::nullopt;
  // Only mulf, addf and yield: no casts that would change the numbers.
  Block *body = op.getBlock();
  if (body->getOperations().size() != 3)
    return std::nullopt;
  Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
  Value init = op.getDpsInits()[0];
  Type elementType = getElementTypeOrSelf(init.getType());
  if (!isa<FloatType>(elementType) ||
      getElementTypeOrSelf(lhs.getType()) != elementType ||
      getElementTypeOrSelf(rhs.getType()) != elementType || !isZeroFilled(init))
    return std::nullopt;

  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  int64_t rank = maps[2].getNumResults();
  int64_t loops = op.getNumLoops();
  if (rank < 2 || rank > 4 || loops != rank + 1 ||
      !maps[2].isProjectedPermutation() || maps[0].getNumResults() != rank ||
      maps[1].getNumResults() != rank)
    return std::nullopt;

  // Name the loops by their role in the output, and find the reduction.
  SmallVector<int64_t> outDims;
  for (AffineExpr e : maps[2].getResults())
    outDims.push_back(cast<AffineDimExpr>(e).getPosition());
  std::optional<int64_t> reduction;
  for (int64_t d = 0; d < loops; ++d)
    if (!llvm::is_contained(outDims, d))
      reduction = d;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (int64_t d = 0; d < loops; ++d)
    if ((iterators[d] == utils::IteratorType::reduction) != (d == reduction))
      return std::nullopt;

  MLIRContext *ctx = op.getContext();
  auto mapOf = [&](int64_t second, int64_t last) {
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i + 2 < rank; ++i)
      exprs.push_back(getAffineDimExpr(outDims[i], ctx));
    exprs.push_back(getAffineDimExpr(second, ctx));
    exprs.push_back(getAffineDimExpr(last, ctx));
    return AffineMap::get(loops, 0, exprs, ctx);
  };
  int64_t i = outDims[rank - 2], j = outDims[rank - 1];
  if (maps[0] != mapOf(i, *reduction))
    return std::nullopt;
  bool transposed = maps[1] == mapOf(j, *reduction);
  if (!transposed && maps[1] != mapOf(*reduction, j))
    return std::nullopt;
  return BatchMatmul{op, lhs, rhs, rank, transposed};
}

//===----------------------------------------------------------------------===//
// Elementwise links: scale and mask
//===----------------------------------------------------------------------===//

/// Where one operand of an elementwise link's scalar op comes from.
struct Source {
  enum Kind { Scores, Tensor, Constant } kind;
  /// The tensor read (Tensor; also Constant when it came from a splat
  /// tensor), through `map` over the op's loops.
  Value tensor;
  AffineMap map;
  /// The value (Constant).
  Attribute constant;
};

/// An elementwise op applied to the scores: the scalar op it computes and
/// where each of that op's operands comes from.
struct Elementwise {
  Operation *scalarOp;
  SmallVector<Source> sources;
};

/// Classifies a tensor operand of an elementwise link read through `map`.
Source classifyTensor(Value tensor, AffineMap map, Value scores) {
  if (tensor == scores && map.isIdentity())
    return {Source::Scores, tensor, map, {}};
  DenseElementsAttr splat;
  if (matchPattern(tensor, m_Constant(&splat)) && splat.isSplat())
    return {Source::Constant, tensor, map, splat.getSplatValue<Attribute>()};
  return {Source::Tensor, tensor, map, {}};
}

/// Matches `op` as an elementwise function of `scores` (one scalar op, each
/// of whose operands is the score, another tensor or a constant), with a
/// result of the scores' type.
std::optional<Elementwise> matchElementwise(Operation *op, Value scores) {
  if (op->getNumResults() != 1 ||
      op->getResult(0).getType() != scores.getType())
    return std::nullopt;
  int64_t rank = cast<RankedTensorType>(scores.getType()).getRank();

  // An arith op on whole tensors.
  if (isa<arith::MulFOp, arith::DivFOp, arith::AddFOp, arith::SelectOp>(op)) {
    Elementwise result{op, {}};
    AffineMap identity = AffineMap::getMultiDimIdentityMap(
        static_cast<unsigned>(rank), op->getContext());
    for (Value operand : op->getOperands()) {
      if (!isa<RankedTensorType>(operand.getType()))
        return std::nullopt;
      result.sources.push_back(classifyTensor(operand, identity, scores));
    }
    return result;
  }

  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics() ||
      linalgOp.getNumDpsInits() != 1 || linalgOp.getNumLoops() != rank ||
      linalgOp.getNumParallelLoops() != rank ||
      !linalgOp.getIndexingMapMatchingResult(op->getResult(0)).isIdentity())
    return std::nullopt;
  Block *body = linalgOp.getBlock();
  if (body->getOperations().size() != 2)
    return std::nullopt;
  Operation *scalarOp = &body->front();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (yield.getNumOperands() != 1 ||
      yield.getOperand(0) != scalarOp->getResult(0))
    return std::nullopt;

  Elementwise result{scalarOp, {}};
  for (Value operand : scalarOp->getOperands()) {
    auto arg = dyn_cast<BlockArgument>(operand);
    if (arg && arg.getOwner() == body) {
      OpOperand *tensorOperand = linalgOp.getMatchingOpOperand(arg);
      // The output's old value is not an elementwise operand of the scores.
      if (linalgOp.isDpsInit(tensorOperand))
        return std::nullopt;
      result.sources.push_back(classifyTensor(
          tensorOperand->get(), linalgOp.getMatchingIndexingMap(tensorOperand),
          scores));
      continue;
    }
    Attribute constant;
    if (!matchPattern(operand, m_Constant(&constant)))
      return std::nullopt;
    result.sources.push_back(
        {Source::Constant, Value(), AffineMap(), constant});
  }
  if (llvm::none_of(result.sources,
                    [](const Source &s) { return s.kind == Source::Scores; }))
    return std::nullopt;
  return result;
}

/// The float value of a constant source, if it is one.
std::optional<double> constantValue(const Source &source) {
  auto attr = dyn_cast_or_null<FloatAttr>(source.constant);
  if (source.kind != Source::Constant || !attr)
    return std::nullopt;
  return attr.getValueAsDouble();
}

/// Matches `op` as scores * c or scores / c for a splat constant c whose
/// scale (c, or 1/c) attn.sdpa accepts (positive and finite); returns the
/// scale. Exporters write both: BERT divides by sqrt(D), ONNX's Attention
/// and PyTorch's SDPA export multiply.
std::optional<double> matchScale(Operation *op, Value scores) {
  std::optional<Elementwise> link = matchElementwise(op, scores);
  if (!link || !isa<arith::MulFOp, arith::DivFOp>(link->scalarOp))
    return std::nullopt;
  const Source &lhs = link->sources[0], &rhs = link->sources[1];
  std::optional<double> scale;
  if (isa<arith::MulFOp>(link->scalarOp)) {
    scale = lhs.kind == Source::Scores   ? constantValue(rhs)
            : rhs.kind == Source::Scores ? constantValue(lhs)
                                         : std::nullopt;
  } else if (lhs.kind == Source::Scores && rhs.kind != Source::Scores) {
    if (std::optional<double> divisor = constantValue(rhs))
      scale = 1.0 / *divisor;
  }
  if (!scale || !std::isfinite(*scale) || *scale <= 0)
    return std::nullopt;
  return scale;
}

/// A mask read by the chain, and the map through which it is read.
struct MaskSource {
  Value tensor;
  AffineMap map;
  /// A select that hides with the lowest finite value rather than -inf
  /// (GPT-2's `where(causal, scores, finfo.min)`): the same as an i1 mask
  /// unless a row hides every key, which a causal mask never does, so it is
  /// taken only when it is causal.
  bool onlyIfCausal = false;
};

/// Matches `op` as scores + m (m a float tensor) or select(m, scores, -inf)
/// (m an i1 tensor: true attends), the two mask forms attn.sdpa takes.
std::optional<MaskSource> matchMask(Operation *op, Value scores) {
  std::optional<Elementwise> link = matchElementwise(op, scores);
  if (!link)
    return std::nullopt;
  auto isMaskTensor = [](const Source &s) {
    return s.kind != Source::Scores && s.tensor && s.map;
  };
  if (isa<arith::AddFOp>(link->scalarOp)) {
    const Source &lhs = link->sources[0], &rhs = link->sources[1];
    const Source &mask = lhs.kind == Source::Scores ? rhs : lhs;
    if ((lhs.kind == Source::Scores) == (rhs.kind == Source::Scores) ||
        !isMaskTensor(mask))
      return std::nullopt;
    return MaskSource{mask.tensor, mask.map};
  }
  if (isa<arith::SelectOp>(link->scalarOp)) {
    const Source &cond = link->sources[0];
    std::optional<double> hidden = constantValue(link->sources[2]);
    if (link->sources[1].kind != Source::Scores || !isMaskTensor(cond) ||
        !cast<ShapedType>(cond.tensor.getType())
             .getElementType()
             .isInteger(1) ||
        !hidden)
      return std::nullopt;
    if (std::isinf(*hidden) && *hidden < 0)
      return MaskSource{cond.tensor, cond.map};
    auto floatType = dyn_cast<FloatType>(getElementTypeOrSelf(scores));
    if (floatType &&
        *hidden == APFloat::getLargest(floatType.getFloatSemantics(),
                                       /*Negative=*/true)
                       .convertToDouble())
      return MaskSource{cond.tensor, cond.map, /*onlyIfCausal=*/true};
    return std::nullopt;
  }
  return std::nullopt;
}

/// Whether `op` is a softmax of `input` over its last axis.
bool isLastAxisSoftmax(Operation *op, Value input) {
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  if (auto softmax = dyn_cast<SoftmaxOp>(op)) {
    int64_t axis = softmax.getAxisAttr().getInt();
    return softmax.getInput() == input && (axis == rank - 1 || axis == -1);
  }
  if (auto softmax = dyn_cast<linalg::SoftmaxOp>(op))
    return softmax.getInput() == input &&
           static_cast<int64_t>(softmax.getDimension()) == rank - 1 &&
           op->getNumResults() == 1 &&
           op->getResult(0).getType() == input.getType();
  return false;
}

//===----------------------------------------------------------------------===//
// PyTorch's NaN guard
//===----------------------------------------------------------------------===//

/// Whether `op` computes its one tensor result elementwise: a linalg op
/// with all loops parallel and an identity output map, or an arith op on
/// tensors.
bool isPointwise(Operation *op) {
  if (op->getNumResults() != 1 ||
      !isa<RankedTensorType>(op->getResult(0).getType()))
    return false;
  if (isa<arith::SelectOp, arith::CmpFOp>(op))
    return true;
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.hasPureTensorSemantics() &&
         linalgOp.getNumDpsInits() == 1 &&
         linalgOp.getNumParallelLoops() == linalgOp.getNumLoops() &&
         linalgOp.getMatchingIndexingMap(linalgOp.getDpsInitOperand(0))
             .isIdentity();
}

/// The scalar op that computes pointwise `op`'s result: in a linalg op's
/// body, the one that the yield returns; an arith op on tensors is its own.
Operation *resultScalarOp(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp)
    return op;
  Block *body = linalgOp.getBlock();
  Operation *def = body->getTerminator()->getOperand(0).getDefiningOp();
  return def && def->getBlock() == body ? def : nullptr;
}

/// The tensor that `scalar`, an operand of a scalar op of pointwise `op`,
/// reads at `op`'s own point (through an identity map), if it reads one.
Value readAtPoint(Operation *op, Value scalar) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp)
    return isa<RankedTensorType>(scalar.getType()) ? scalar : Value();
  auto arg = dyn_cast<BlockArgument>(scalar);
  if (!arg || arg.getOwner() != linalgOp.getBlock())
    return nullptr;
  OpOperand *operand = linalgOp.getMatchingOpOperand(arg);
  if (linalgOp.isDpsInit(operand) ||
      !linalgOp.getMatchingIndexingMap(operand).isIdentity())
    return nullptr;
  return operand->get();
}

/// Whether `scalar`, an operand of a scalar op of pointwise `op`, is 0: a
/// constant, or read from a zero constant tensor.
bool isZeroOperand(Operation *op, Value scalar) {
  if (matchPattern(scalar, m_AnyZeroFloat()))
    return true;
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  auto arg = dyn_cast<BlockArgument>(scalar);
  if (!linalgOp || !arg || arg.getOwner() != linalgOp.getBlock())
    return false;
  OpOperand *operand = linalgOp.getMatchingOpOperand(arg);
  return !linalgOp.isDpsInit(operand) &&
         matchPattern(operand->get(), m_AnyZeroFloat());
}

/// When `cond`, an operand of a scalar op of pointwise `op`, is isnan(p)
/// (cmpf uno or une of p with itself) for a tensor p read at the point,
/// returns p; `isnanOp` is set to the op that computes the comparison when
/// that is not `op` itself (IsNaN's own node).
Value isNanOf(Operation *op, Value cond, Operation *&isnanOp) {
  isnanOp = nullptr;
  Operation *context = op;
  if (Value tensor = readAtPoint(op, cond)) {
    Operation *producer = tensor.getDefiningOp();
    if (!producer || !isPointwise(producer) || soleUser(tensor) != op)
      return nullptr;
    Operation *scalar = resultScalarOp(producer);
    if (!scalar)
      return nullptr;
    isnanOp = context = producer;
    cond = scalar->getResult(0);
  }
  auto cmp = cond.getDefiningOp<arith::CmpFOp>();
  if (!cmp || cmp.getLhs() != cmp.getRhs() ||
      (cmp.getPredicate() != arith::CmpFPredicate::UNO &&
       cmp.getPredicate() != arith::CmpFPredicate::UNE))
    return nullptr;
  auto linalgContext = dyn_cast<linalg::LinalgOp>(context);
  if (!linalgContext)
    return cmp.getOperation() == context ? cmp.getLhs() : Value();
  if (cmp->getBlock() != linalgContext.getBlock())
    return nullptr;
  return readAtPoint(context, cmp.getLhs());
}

/// When `value` is where(isnan(p), 0, p), the guard that PyTorch's
/// attention export puts after its softmax (which gives NaN for a row with
/// every key masked), returns p and appends the guard's ops to `guard`,
/// users first. The guard is absorbed into attn.sdpa, which gives 0 for
/// such rows itself; a p that is NaN for another reason (a NaN input)
/// becomes NaN in the output rather than 0.
Value matchNanGuard(Value value, SmallVectorImpl<Operation *> &guard) {
  Operation *where = value.getDefiningOp();
  if (!where || !isPointwise(where))
    return nullptr;
  auto select = dyn_cast_or_null<arith::SelectOp>(resultScalarOp(where));
  if (!select || !isZeroOperand(where, select.getTrueValue()))
    return nullptr;
  Value p = readAtPoint(where, select.getFalseValue());
  Operation *isnanOp = nullptr;
  if (!p || p.getType() != value.getType() ||
      isNanOf(where, select.getCondition(), isnanOp) != p)
    return nullptr;
  for (Operation *user : p.getUsers())
    if (user != where && user != isnanOp &&
        !formula::isResolvableDim(user, p.getDefiningOp()))
      return nullptr;
  guard.push_back(where);
  if (isnanOp)
    guard.push_back(isnanOp);
  return p;
}

//===----------------------------------------------------------------------===//
// The causal pattern
//===----------------------------------------------------------------------===//

/// c0 + Σ coeff[d]·d over the score loops d.
struct LinearForm {
  int64_t c0 = 0;
  SmallVector<int64_t> coeff;

  bool isConstant() const {
    return llvm::all_of(coeff, [](int64_t c) { return c == 0; });
  }
  LinearForm plus(const LinearForm &o, int64_t sign) const {
    LinearForm r = *this;
    r.c0 += sign * o.c0;
    for (auto [a, b] : llvm::zip_equal(r.coeff, o.coeff))
      a += sign * b;
    return r;
  }
  LinearForm times(int64_t k) const {
    LinearForm r = *this;
    r.c0 *= k;
    for (int64_t &c : r.coeff)
      c *= k;
    return r;
  }
  bool operator==(const LinearForm &o) const {
    return c0 == o.c0 && coeff == o.coeff;
  }
};

/// What a mask's formula is at a score point, abstractly: a number, an
/// integer linear form of the loop indices, a predicate `form >= 0` (every
/// comparison of integers is one: `a > b` is `a - b - 1 >= 0`, `!(f >= 0)`
/// is `-f - 1 >= 0`), or one of two numbers chosen by such a predicate.
struct Sym {
  enum Kind { Number, Index, Predicate, Choice } kind = Number;
  double number = 0;
  LinearForm form;
  double ifTrue = 0, ifFalse = 0;
};

/// The predicate `!(f >= 0)`.
LinearForm negated(const LinearForm &f) {
  LinearForm r = f.times(-1);
  r.c0 -= 1;
  return r;
}

/// Reads mask formulas built from loop indices and constants (ONNX Trilu,
/// Range, Less, Equal and Where, one linalg.generic each) abstractly.
class MaskReader {
public:
  explicit MaskReader(int64_t loops) : loops(loops) {}

  std::optional<Sym> read(Value tensor, AffineMap map) {
    if (--budget < 0)
      return std::nullopt;
    Attribute attr;
    if (matchPattern(tensor, m_Constant(&attr))) {
      auto dense = dyn_cast<DenseElementsAttr>(attr);
      if (!dense || !dense.isSplat())
        return std::nullopt;
      return number(dense.getSplatValue<Attribute>());
    }
    Operation *def = tensor.getDefiningOp();
    if (!def)
      return std::nullopt;
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(def)) {
      // Unit dimensions added around at most one real one per group.
      ArrayRef<int64_t> shape = expand.getResultType().getShape();
      SmallVector<AffineExpr> exprs;
      for (const ReassociationIndices &group :
           expand.getReassociationIndices()) {
        std::optional<int64_t> kept;
        for (int64_t d : group) {
          if (shape[d] == 1)
            continue;
          if (kept)
            return std::nullopt;
          kept = d;
        }
        exprs.push_back(kept ? map.getResult(*kept)
                             : getAffineConstantExpr(0, def->getContext()));
      }
      return read(expand.getSrc(), AffineMap::get(map.getNumDims(), 0, exprs,
                                                   def->getContext()));
    }
    auto linalgOp = dyn_cast<linalg::LinalgOp>(def);
    if (!linalgOp || !isPointwise(def))
      return std::nullopt;
    Block *body = linalgOp.getBlock();
    llvm::DenseMap<Value, Sym> env;
    for (OpOperand &operand : def->getOpOperands()) {
      if (linalgOp.isDpsInit(&operand))
        continue;
      BlockArgument arg = linalgOp.getMatchingBlockArgument(&operand);
      if (arg.use_empty())
        continue;
      std::optional<Sym> value;
      if (isa<RankedTensorType>(operand.get().getType()))
        value = read(operand.get(),
                     linalgOp.getMatchingIndexingMap(&operand).compose(map));
      else if (matchPattern(operand.get(), m_Constant(&attr)))
        value = number(attr);
      if (!value)
        return std::nullopt;
      env[arg] = *value;
    }
    for (Operation &op : body->without_terminator()) {
      std::optional<Sym> value = step(op, env, map);
      if (!value)
        return std::nullopt;
      env[op.getResult(0)] = *value;
    }
    auto found = env.find(body->getTerminator()->getOperand(0));
    if (found == env.end())
      return std::nullopt;
    return found->second;
  }

private:
  std::optional<Sym> number(Attribute attr) {
    Sym s;
    if (auto f = dyn_cast<FloatAttr>(attr))
      s.number = f.getValueAsDouble();
    else if (auto i = dyn_cast<IntegerAttr>(attr))
      s.number = i.getType().isInteger(1) ? double(!i.getValue().isZero())
                                          : double(i.getValue().getSExtValue());
    else
      return std::nullopt;
    return s;
  }

  std::optional<LinearForm> formOf(AffineExpr e) {
    LinearForm f;
    f.coeff.assign(loops, 0);
    if (auto dim = dyn_cast<AffineDimExpr>(e)) {
      f.coeff[dim.getPosition()] = 1;
      return f;
    }
    if (auto c = dyn_cast<AffineConstantExpr>(e)) {
      f.c0 = c.getValue();
      return f;
    }
    return std::nullopt;
  }

  /// The integer linear form of an index or integral number.
  std::optional<LinearForm> asForm(const Sym &s) {
    if (s.kind == Sym::Index)
      return s.form;
    if (s.kind != Sym::Number || s.number != std::floor(s.number) ||
        std::abs(s.number) > 1e15)
      return std::nullopt;
    LinearForm f;
    f.coeff.assign(loops, 0);
    f.c0 = int64_t(s.number);
    return f;
  }

  Sym index(LinearForm f) {
    Sym s;
    s.kind = Sym::Index;
    s.form = std::move(f);
    return s;
  }
  /// The value of `f >= 0` when it is the same at every point: loop
  /// indices are never negative, so with every coefficient >= 0 and c0 >= 0
  /// it always holds (PyTorch's exported masks compare a Range with 0), with
  /// every coefficient <= 0 and c0 < 0 never.
  static std::optional<bool> truth(const LinearForm &f) {
    if (f.c0 >= 0 && llvm::all_of(f.coeff, [](int64_t c) { return c >= 0; }))
      return true;
    if (f.c0 < 0 && llvm::all_of(f.coeff, [](int64_t c) { return c <= 0; }))
      return false;
    return std::nullopt;
  }
  Sym predicate(LinearForm f) {
    Sym s;
    s.kind = Sym::Predicate;
    s.form = std::move(f);
    // A constant predicate is a number.
    if (std::optional<bool> t = truth(s.form)) {
      s.kind = Sym::Number;
      s.number = *t;
    }
    return s;
  }
  Sym choice(const LinearForm &p, double ifTrue, double ifFalse) {
    std::optional<bool> t = truth(p);
    if (ifTrue == ifFalse || t) {
      Sym s;
      s.number = t && !*t ? ifFalse : ifTrue;
      return s;
    }
    Sym s;
    s.kind = Sym::Choice;
    s.form = p;
    s.ifTrue = ifTrue;
    s.ifFalse = ifFalse;
    return s;
  }

  /// The comparison `a pred b` of two numbers, as 1 or 0.
  static std::optional<bool> compare(Operation *cmp, double a, double b) {
    if (auto f = dyn_cast<arith::CmpFOp>(cmp)) {
      switch (f.getPredicate()) {
      case arith::CmpFPredicate::OEQ:
      case arith::CmpFPredicate::UEQ:
        return a == b;
      case arith::CmpFPredicate::ONE:
      case arith::CmpFPredicate::UNE:
        return a != b;
      case arith::CmpFPredicate::OLT:
      case arith::CmpFPredicate::ULT:
        return a < b;
      case arith::CmpFPredicate::OLE:
      case arith::CmpFPredicate::ULE:
        return a <= b;
      case arith::CmpFPredicate::OGT:
      case arith::CmpFPredicate::UGT:
        return a > b;
      case arith::CmpFPredicate::OGE:
      case arith::CmpFPredicate::UGE:
        return a >= b;
      default:
        return std::nullopt;
      }
    }
    switch (cast<arith::CmpIOp>(cmp).getPredicate()) {
    case arith::CmpIPredicate::eq:
      return a == b;
    case arith::CmpIPredicate::ne:
      return a != b;
    case arith::CmpIPredicate::slt:
      return a < b;
    case arith::CmpIPredicate::sle:
      return a <= b;
    case arith::CmpIPredicate::sgt:
      return a > b;
    case arith::CmpIPredicate::sge:
      return a >= b;
    default:
      return std::nullopt;
    }
  }

  /// `a pred b` of two integer linear forms as a predicate.
  static std::optional<LinearForm> comparePredicate(Operation *cmp,
                                                    const LinearForm &a,
                                                    const LinearForm &b) {
    enum { GE, GT, LE, LT } relation;
    if (auto f = dyn_cast<arith::CmpFOp>(cmp)) {
      switch (f.getPredicate()) {
      case arith::CmpFPredicate::OGE:
      case arith::CmpFPredicate::UGE:
        relation = GE;
        break;
      case arith::CmpFPredicate::OGT:
      case arith::CmpFPredicate::UGT:
        relation = GT;
        break;
      case arith::CmpFPredicate::OLE:
      case arith::CmpFPredicate::ULE:
        relation = LE;
        break;
      case arith::CmpFPredicate::OLT:
      case arith::CmpFPredicate::ULT:
        relation = LT;
        break;
      default:
        return std::nullopt;
      }
    } else {
      switch (cast<arith::CmpIOp>(cmp).getPredicate()) {
      case arith::CmpIPredicate::sge:
        relation = GE;
        break;
      case arith::CmpIPredicate::sgt:
        relation = GT;
        break;
      case arith::CmpIPredicate::sle:
        relation = LE;
        break;
      case arith::CmpIPredicate::slt:
        relation = LT;
        break;
      default:
        return std::nullopt;
      }
    }
    LinearForm d = a.plus(b, -1);
    switch (relation) {
    case GE:
      return d;
    case GT:
      return negated(d.times(-1));
    case LE:
      return d.times(-1);
    case LT:
      return negated(d);
    }
    return std::nullopt;
  }

  std::optional<Sym> step(Operation &op, llvm::DenseMap<Value, Sym> &env,
                          AffineMap map) {
    Attribute attr;
    if (op.getNumResults() != 1)
      return std::nullopt;
    if (matchPattern(op.getResult(0), m_Constant(&attr)))
      return number(attr);
    if (auto indexOp = dyn_cast<linalg::IndexOp>(op)) {
      if (indexOp.getDim() >= map.getNumResults())
        return std::nullopt;
      std::optional<LinearForm> f = formOf(map.getResult(indexOp.getDim()));
      if (!f)
        return std::nullopt;
      return index(*f);
    }
    SmallVector<Sym> in;
    for (Value operand : op.getOperands()) {
      auto it = env.find(operand);
      if (it != env.end()) {
        in.push_back(it->second);
        continue;
      }
      if (!matchPattern(operand, m_Constant(&attr)))
        return std::nullopt;
      std::optional<Sym> c = number(attr);
      if (!c)
        return std::nullopt;
      in.push_back(*c);
    }
    // Integer conversions and conversions of integers keep the value (mask
    // indices are far below where a float misrepresents an integer).
    if (isa<arith::IndexCastOp, arith::IndexCastUIOp, arith::SIToFPOp,
            arith::UIToFPOp, arith::ExtSIOp, arith::ExtUIOp, arith::TruncIOp,
            arith::FPToSIOp, arith::ExtFOp, arith::TruncFOp>(op)) {
      if (in[0].kind == Sym::Predicate)
        return choice(in[0].form, 1, 0);
      return in[0];
    }
    if (isa<arith::AddIOp, arith::AddFOp, arith::SubIOp, arith::SubFOp>(op)) {
      int64_t sign = isa<arith::SubIOp, arith::SubFOp>(op) ? -1 : 1;
      if (in[0].kind == Sym::Number && in[1].kind == Sym::Number) {
        Sym s;
        s.number = in[0].number + sign * in[1].number;
        return s;
      }
      if (in[0].kind == Sym::Choice && in[1].kind == Sym::Number)
        return choice(in[0].form, in[0].ifTrue + sign * in[1].number,
                      in[0].ifFalse + sign * in[1].number);
      std::optional<LinearForm> a = asForm(in[0]), b = asForm(in[1]);
      if (!a || !b)
        return std::nullopt;
      return index(a->plus(*b, sign));
    }
    if (isa<arith::MulIOp, arith::MulFOp>(op)) {
      if (in[0].kind == Sym::Number && in[1].kind == Sym::Number) {
        Sym s;
        s.number = in[0].number * in[1].number;
        return s;
      }
      for (int k = 0; k < 2; ++k) {
        const Sym &x = in[k], &c = in[1 - k];
        if (c.kind != Sym::Number)
          continue;
        if (x.kind == Sym::Choice)
          return choice(x.form, x.ifTrue * c.number, x.ifFalse * c.number);
        std::optional<LinearForm> f = asForm(x), factor = asForm(c);
        if (f && factor)
          return index(f->times(factor->c0));
      }
      return std::nullopt;
    }
    if (isa<arith::CmpIOp, arith::CmpFOp>(op)) {
      // A choice compared with a number is the choice's predicate (or its
      // negation, or a constant).
      for (Sym &s : in)
        if (s.kind == Sym::Predicate)
          s = choice(s.form, 1, 0);
      for (int k = 0; k < 2; ++k) {
        const Sym &x = in[k], &c = in[1 - k];
        if (x.kind != Sym::Choice || c.kind != Sym::Number)
          continue;
        std::optional<bool> t = k == 0 ? compare(&op, x.ifTrue, c.number)
                                       : compare(&op, c.number, x.ifTrue);
        std::optional<bool> f = k == 0 ? compare(&op, x.ifFalse, c.number)
                                       : compare(&op, c.number, x.ifFalse);
        if (!t || !f)
          return std::nullopt;
        if (*t == *f) {
          Sym s;
          s.number = *t;
          return s;
        }
        return predicate(*t ? x.form : negated(x.form));
      }
      if (in[0].kind == Sym::Number && in[1].kind == Sym::Number) {
        std::optional<bool> r = compare(&op, in[0].number, in[1].number);
        if (!r)
          return std::nullopt;
        Sym s;
        s.number = *r;
        return s;
      }
      std::optional<LinearForm> a = asForm(in[0]), b = asForm(in[1]);
      if (!a || !b)
        return std::nullopt;
      std::optional<LinearForm> p = comparePredicate(&op, *a, *b);
      if (!p)
        return std::nullopt;
      return predicate(*p);
    }
    if (isa<arith::SelectOp>(op)) {
      const Sym &c = in[0];
      if (c.kind == Sym::Number)
        return c.number != 0 ? in[1] : in[2];
      if (c.kind != Sym::Predicate || in[1].kind != Sym::Number ||
          in[2].kind != Sym::Number)
        return std::nullopt;
      return choice(c.form, in[1].number, in[2].number);
    }
    if (isa<arith::AndIOp, arith::OrIOp>(op) && op.getResult(0)
                                                   .getType()
                                                   .isInteger(1)) {
      // With one side constant, `and` is the other side or false, `or` the
      // other side or true.
      bool isAnd = isa<arith::AndIOp>(op);
      for (int k = 0; k < 2; ++k) {
        if (in[k].kind != Sym::Number)
          continue;
        bool c = in[k].number != 0;
        if (c == isAnd)
          return in[1 - k];
        Sym s;
        s.number = c;
        return s;
      }
      return std::nullopt;
    }
    if (isa<arith::XOrIOp>(op)) {
      // Logical not: p xor true.
      for (int k = 0; k < 2; ++k)
        if (in[k].kind == Sym::Predicate && in[1 - k].kind == Sym::Number &&
            in[1 - k].number == 1)
          return predicate(negated(in[k].form));
      return std::nullopt;
    }
    return std::nullopt;
  }

  int64_t loops;
  int budget = 256;
};

/// Whether `mask`, read by the score loops through `map`, hides exactly the
/// keys after each query (key index > query index): an i1 mask that is true
/// where key <= query, or a float mask that is 0 there and -inf (or the
/// lowest finite value, which hides as well in a row that always has a
/// visible key) elsewhere.
/// Whether `value`, a mask value at query i and key j, is what a causal
/// mask holds there: for i1, true where j <= i; for floats, 0 where j <= i
/// and -inf (or the lowest finite value) elsewhere.
bool causalValue(Attribute value, int64_t i, int64_t j) {
  if (auto b = dyn_cast<IntegerAttr>(value))
    return b.getType().isInteger(1) && !b.getValue().isZero() == (j <= i);
  auto f = dyn_cast<FloatAttr>(value);
  if (!f)
    return false;
  APFloat v = f.getValue();
  if (j <= i)
    return v.isZero();
  APFloat lowest = APFloat::getLargest(v.getSemantics(), /*Negative=*/true);
  return (v.isInfinity() && v.isNegative()) ||
         v.compare(lowest) == APFloat::cmpEqual;
}

/// For a mask that is a constant tensor (not a splat; perhaps sliced from
/// the origin, as GPT-2 exports slice a [1, 1, 1024, 1024] triangle to the
/// sequence length), whether it is read with its last two dimensions along
/// the query and key loops and holds the causal pattern in every element.
/// std::nullopt when the mask is not such a constant.
std::optional<bool> isCausalConstant(const MaskSource &mask, int64_t rank) {
  Value tensor = mask.tensor;
  while (auto slice = tensor.getDefiningOp<tensor::ExtractSliceOp>()) {
    if (slice.getSourceType().getRank() != slice.getResultType().getRank() ||
        !llvm::all_of(slice.getStaticOffsets(),
                      [](int64_t o) { return o == 0; }) ||
        !llvm::all_of(slice.getStaticStrides(),
                      [](int64_t s) { return s == 1; }))
      return std::nullopt;
    tensor = slice.getSource();
  }
  DenseElementsAttr dense;
  if (!matchPattern(tensor, m_Constant(&dense)) || dense.isSplat())
    return std::nullopt;
  auto type = cast<RankedTensorType>(dense.getType());
  int64_t r = type.getRank();
  if (r < 2 || mask.map.getNumResults() != r)
    return false;
  auto query = dyn_cast<AffineDimExpr>(mask.map.getResult(r - 2));
  auto key = dyn_cast<AffineDimExpr>(mask.map.getResult(r - 1));
  if (!query || query.getPosition() != rank - 2 || !key ||
      key.getPosition() != rank - 1)
    return false;
  // Masks are at most a few million elements; each is looked at once.
  int64_t rows = type.getDimSize(r - 2), cols = type.getDimSize(r - 1);
  int64_t index = 0;
  for (Attribute value : dense.getValues<Attribute>()) {
    int64_t j = index % cols, i = (index / cols) % rows;
    if (!causalValue(value, i, j))
      return false;
    ++index;
  }
  return true;
}

bool isCausalMask(const MaskSource &mask, int64_t rank) {
  if (!mask.map || mask.map.getNumDims() != rank)
    return false;
  if (std::optional<bool> constant = isCausalConstant(mask, rank))
    return *constant;
  MaskReader reader(rank);
  std::optional<Sym> s = reader.read(mask.tensor, mask.map);
  if (!s)
    return false;
  LinearForm visible;
  visible.coeff.assign(rank, 0);
  visible.coeff[rank - 2] = 1;
  visible.coeff[rank - 1] = -1;
  Type elementType = cast<ShapedType>(mask.tensor.getType()).getElementType();
  if (elementType.isInteger(1)) {
    if (s->kind == Sym::Predicate)
      return s->form == visible;
    return s->kind == Sym::Choice &&
           ((s->form == visible && s->ifTrue == 1 && s->ifFalse == 0) ||
            (s->form == negated(visible) && s->ifTrue == 0 &&
             s->ifFalse == 1));
  }
  auto floatType = dyn_cast<FloatType>(elementType);
  if (!floatType || s->kind != Sym::Choice)
    return false;
  double lowest =
      APFloat::getLargest(floatType.getFloatSemantics(), /*Negative=*/true)
          .convertToDouble();
  auto hides = [&](double v) { return v == -INFINITY || v == lowest; };
  return (s->form == visible && s->ifTrue == 0 && hides(s->ifFalse)) ||
         (s->form == negated(visible) && hides(s->ifTrue) &&
          s->ifFalse == 0);
}

/// Where the size of dimension `dim` of `value` comes from: another value's
/// dimension it is equal to by construction (through destination tensors,
/// tensor.empty and tensor.dim, reshapes that keep the dimension, casts and
/// attn ops that keep their input's rows), followed as far as it goes.
std::pair<Value, int64_t> sizeOrigin(Value value, int64_t dim) {
  for (int depth = 0; depth < 32; ++depth) {
    Operation *def = value.getDefiningOp();
    if (!def)
      break;
    if (auto empty = dyn_cast<tensor::EmptyOp>(def)) {
      auto size = dyn_cast<Value>(empty.getMixedSizes()[dim]);
      auto dimOp = size ? size.getDefiningOp<tensor::DimOp>() : nullptr;
      std::optional<int64_t> index =
          dimOp ? dimOp.getConstantIndex() : std::nullopt;
      if (!index)
        return {size, -1};
      value = dimOp.getSource();
      dim = *index;
      continue;
    }
    if (auto dps = dyn_cast<DestinationStyleOpInterface>(def)) {
      auto result = cast<OpResult>(value);
      if (!dps.hasPureTensorSemantics() ||
          result.getResultNumber() >= dps.getNumDpsInits())
        break;
      value = dps.getDpsInits()[result.getResultNumber()];
      continue;
    }
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(def)) {
      OpFoldResult size = expand.getMixedOutputShape()[dim];
      auto sizeValue = dyn_cast<Value>(size);
      auto dimOp = sizeValue ? sizeValue.getDefiningOp<tensor::DimOp>() : nullptr;
      std::optional<int64_t> index =
          dimOp ? dimOp.getConstantIndex() : std::nullopt;
      if (index) {
        value = dimOp.getSource();
        dim = *index;
        continue;
      }
      // A group of one dimension keeps the source's.
      for (auto [g, group] : llvm::enumerate(expand.getReassociationIndices()))
        if (group.size() == 1 && group[0] == dim) {
          value = expand.getSrc();
          dim = g;
          break;
        }
      if (value != expand.getSrc())
        return {sizeValue, -1};
      continue;
    }
    if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(def)) {
      ReassociationIndices group = collapse.getReassociationIndices()[dim];
      if (group.size() != 1)
        break;
      value = collapse.getSrc();
      dim = group[0];
      continue;
    }
    if (auto cast = dyn_cast<tensor::CastOp>(def)) {
      value = cast.getSource();
      continue;
    }
    if (isa<LinearOp>(def) &&
        dim + 1 < cast<RankedTensorType>(value.getType()).getRank()) {
      value = def->getOperand(0);
      continue;
    }
    if (isa<LayerNormOp, SoftmaxOp>(def)) {
      value = def->getOperand(0);
      continue;
    }
    break;
  }
  return {value, dim};
}

/// Whether dimension `dimA` of `a` and `dimB` of `b` have the same size:
/// both static and equal, or built from one dynamic size.
bool sameSize(Value a, int64_t dimA, Value b, int64_t dimB) {
  int64_t sizeA = cast<RankedTensorType>(a.getType()).getDimSize(dimA);
  int64_t sizeB = cast<RankedTensorType>(b.getType()).getDimSize(dimB);
  if (!ShapedType::isDynamic(sizeA) || !ShapedType::isDynamic(sizeB))
    return sizeA == sizeB;
  std::pair<Value, int64_t> originA = sizeOrigin(a, dimA);
  return originA.first && originA == sizeOrigin(b, dimB);
}

//===----------------------------------------------------------------------===//
// The rewrite
//===----------------------------------------------------------------------===//

/// `x` of rank `rank` as [B, H, L, D]: [B, L, D] gains a unit head
/// dimension, [L, D] a unit batch and head.
Value to4D(OpBuilder &b, Location loc, Value x, int64_t rank) {
  if (rank == 4)
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  ArrayRef<int64_t> shape = type.getShape();
  if (rank == 3)
    return tensor::ExpandShapeOp::create(
        b, loc,
        RankedTensorType::get({shape[0], 1, shape[1], shape[2]},
                              type.getElementType()),
        x, ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
  return tensor::ExpandShapeOp::create(
      b, loc,
      RankedTensorType::get({1, 1, shape[0], shape[1]}, type.getElementType()),
      x, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
}

/// The mask as an attn.sdpa mask, broadcastable to [B, H, Lq, Lk]: its
/// dimensions move to the positions of the score dimensions they are read
/// along, and unit dimensions fill the rest. Unit dimensions that the chain
/// reads at index 0 (numpy broadcasting as importers write it, e.g. a
/// [B, 1, 1, Lk] padding mask read through (b, h, i, j) -> (b, 0, 0, j))
/// are dropped first. Fails, creating nothing, unless the mask is read
/// along an increasing subset of the score dimensions.
FailureOr<Value> sdpaMask(OpBuilder &b, Location loc, const MaskSource &mask,
                          int64_t rank) {
  auto type = cast<RankedTensorType>(mask.tensor.getType());
  if (type.getRank() == 0 || type.getRank() != mask.map.getNumResults())
    return failure();
  // Where each score dimension sits in [B, H, Lq, Lk].
  int64_t offset = 4 - rank;
  auto position = [&](int64_t scoreDim) {
    return rank == 3 && scoreDim == 0 ? 0 : scoreDim + offset;
  };
  SmallVector<int64_t> positions, kept;
  for (auto [i, e] : llvm::enumerate(mask.map.getResults())) {
    if (auto c = dyn_cast<AffineConstantExpr>(e)) {
      if (c.getValue() != 0 || type.getDimSize(i) != 1)
        return failure();
      continue;
    }
    auto dim = dyn_cast<AffineDimExpr>(e);
    if (!dim ||
        (!positions.empty() && position(dim.getPosition()) <= positions.back()))
      return failure();
    positions.push_back(position(dim.getPosition()));
    kept.push_back(i);
  }
  if (kept.empty())
    return failure();
  // A 4-D mask whose dimensions all sit where they are read is one already.
  if (type.getRank() == 4 &&
      llvm::all_of(llvm::enumerate(kept), [&](auto pair) {
        return positions[pair.index()] == int64_t(pair.value());
      }))
    return mask.tensor;

  Value source = mask.tensor;
  if (int64_t(kept.size()) != type.getRank()) {
    // Each dropped unit dimension joins the group of the kept one before
    // it, or the first group when it leads.
    SmallVector<ReassociationIndices> groups(kept.size());
    size_t g = 0;
    for (int64_t d = 0; d < type.getRank(); ++d) {
      if (g + 1 < kept.size() && d >= kept[g + 1])
        ++g;
      groups[g].push_back(d);
    }
    source = tensor::CollapseShapeOp::create(b, loc, source, groups);
  }
  auto sourceType = cast<RankedTensorType>(source.getType());
  if (sourceType.getRank() == 4)
    return source;
  SmallVector<int64_t> shape(4, 1);
  SmallVector<ReassociationIndices> reassociation(positions.size());
  for (auto [i, p] : llvm::enumerate(positions))
    shape[p] = sourceType.getDimSize(i);
  // Each unit dimension joins the group of the mask dimension before it, or
  // the first group when it leads.
  size_t group = 0;
  for (int64_t p = 0; p < 4; ++p) {
    if (group + 1 < positions.size() && p >= positions[group + 1])
      ++group;
    reassociation[group].push_back(p);
  }
  return Value(tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), source,
      reassociation));
}

/// Where K comes from when the chain reads it through transposes and
/// scales: `base`, permuted by `permutation` (rhs = transpose(base,
/// permutation)), times `scale`.
struct PeeledOperand {
  Value base;
  SmallVector<int64_t> permutation;
  double scale = 1.0;
  /// The transposes and scales read through, users first.
  SmallVector<Operation *> ops;
  bool sawTranspose = false;
};

/// Reads `value` (used only by `user`) back through scales by a positive
/// constant and, when `transposes`, through linalg.transposes, each used
/// only by the op after it. ONNX's Attention reference and PyTorch's SDPA
/// export scale Q and Kᵀ by sqrt(scale) each; BERT exports transpose K with
/// the heads split ([0, 2, 3, 1]) or as a second transpose.
PeeledOperand peel(Value value, Operation *user, bool transposes) {
  int64_t rank = cast<RankedTensorType>(value.getType()).getRank();
  PeeledOperand peeled{value,
                       llvm::to_vector(llvm::seq<int64_t>(0, rank)),
                       1.0,
                       {},
                       false};
  while (Operation *def = peeled.base.getDefiningOp()) {
    if (soleUser(peeled.base) != user)
      break;
    if (linalg::TransposeOp transpose =
            transposes ? formula::peelTranspose(peeled.base,
                                                peeled.permutation)
                       : nullptr) {
      peeled.base = transpose.getInput();
      peeled.sawTranspose = true;
    } else {
      std::optional<double> scale;
      Value input;
      for (Value operand : def->getOperands()) {
        if (operand.getType() != peeled.base.getType())
          continue;
        if ((scale = matchScale(def, operand))) {
          input = operand;
          break;
        }
      }
      if (!scale)
        break;
      peeled.scale *= *scale;
      peeled.base = input;
    }
    peeled.ops.push_back(def);
    user = def;
  }
  return peeled;
}

/// `source` with its dimensions permuted: result[i] = source[perm[i]].
Value transposed(OpBuilder &b, Location loc, Value source,
                 ArrayRef<int64_t> permutation) {
  SmallVector<OpFoldResult> sourceSizes =
      tensor::getMixedSizes(b, loc, source);
  SmallVector<OpFoldResult> sizes;
  for (int64_t d : permutation)
    sizes.push_back(sourceSizes[d]);
  Value init = tensor::EmptyOp::create(
      b, loc, sizes, cast<RankedTensorType>(source.getType()).getElementType());
  return linalg::TransposeOp::create(b, loc, source, init, permutation)
      ->getResult(0);
}

/// Replaces softmax(scale * Q·Kᵀ + mask)·V with attn.sdpa, anchored on the
/// P·V product.
struct FuseAttentionChain : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp root,
                                PatternRewriter &rewriter) const override {
    std::optional<BatchMatmul> pv = matchBatchMatmul(root);
    if (!pv || pv->rhsTransposed || pv->lhs == pv->rhs)
      return rewriter.notifyMatchFailure(root, "not a P·V batch matmul");
    // Ops the fused chain replaces, each erased after its users.
    SmallVector<Operation *> chain;
    Value probabilities = pv->lhs;
    if (Value guarded = matchNanGuard(probabilities, chain)) {
      if (soleUser(probabilities) != root.getOperation())
        return rewriter.notifyMatchFailure(root, "the guard has other users");
      probabilities = guarded;
    } else if (soleUser(probabilities) != root.getOperation()) {
      return rewriter.notifyMatchFailure(root, "P has other users");
    }
    Operation *softmax = probabilities.getDefiningOp();
    if (!softmax || softmax->getNumOperands() == 0 ||
        !isLastAxisSoftmax(softmax, softmax->getOperand(0)))
      return rewriter.notifyMatchFailure(root,
                                         "P is not a last-axis softmax");
    chain.push_back(softmax);

    // Walk back from the softmax input through up to two masks, then an
    // optional scale (sdpa scales before it masks), to Q·Kᵀ. Each link must
    // feed only the next one. An add reads like a mask whichever operand is
    // the score, so every reading is tried until one reaches Q·Kᵀ.
    SmallVector<MaskSource> masks;
    std::optional<double> scale;
    std::optional<BatchMatmul> qk;
    Value scores;
    enum Stage { MaskNext, ScaleNext, ProductNext };
    std::function<bool(Value, Stage)> search = [&](Value value, Stage stage) {
      Operation *producer = value.getDefiningOp();
      if (!producer || soleUser(value) != chain.back())
        return false;
      chain.push_back(producer);
      if ((qk = matchBatchMatmul(producer))) {
        scores = value;
        return true;
      }
      for (Value input : producer->getOperands()) {
        if (input.getType() != value.getType())
          continue;
        if (stage == MaskNext && masks.size() < 2) {
          if (std::optional<MaskSource> m = matchMask(producer, input)) {
            masks.push_back(*m);
            if (search(input, MaskNext))
              return true;
            masks.pop_back();
          }
        }
        if (stage != ProductNext) {
          if (std::optional<double> c = matchScale(producer, input)) {
            if (search(input, ProductNext)) {
              scale = c;
              return true;
            }
          }
        }
      }
      chain.pop_back();
      return false;
    };
    if (!search(softmax->getOperand(0), MaskNext) || qk->rank != pv->rank)
      return rewriter.notifyMatchFailure(root, "the scores are not Q·Kᵀ");
    Operation *product = chain.back();
    int64_t rank = pv->rank;

    // Q and K through their own scales, and K through transposes: Kᵀ is
    // a transpose of some base, and K the same base permuted.
    PeeledOperand query = peel(qk->lhs, product, /*transposes=*/false);
    PeeledOperand key = peel(qk->rhs, product, /*transposes=*/true);
    SmallVector<int64_t> keyPermutation = key.permutation;
    if (!qk->rhsTransposed)
      std::swap(keyPermutation[rank - 2], keyPermutation[rank - 1]);
    bool keyIsBase =
        llvm::equal(keyPermutation, llvm::seq<int64_t>(0, rank));
    // A transpose other than the chain's own would move K once more.
    if (!keyIsBase && !key.sawTranspose)
      return rewriter.notifyMatchFailure(root, "Q·K is not Q·Kᵀ");
    double combinedScale = scale.value_or(1.0) * query.scale * key.scale;
    if (!std::isfinite(combinedScale) || combinedScale <= 0)
      return rewriter.notifyMatchFailure(root, "scale out of range");
    Value value = pv->rhs;

    // attn.sdpa's own constraints: f32/f16/bf16, static head counts and dims.
    auto queryType = cast<RankedTensorType>(query.base.getType());
    auto keyType = cast<RankedTensorType>(key.base.getType());
    auto valueType = cast<RankedTensorType>(value.getType());
    Type elementType = queryType.getElementType();
    if (!isa<Float32Type, Float16Type, BFloat16Type>(elementType) ||
        keyType.getElementType() != elementType ||
        valueType.getElementType() != elementType ||
        cast<ShapedType>(scores.getType()).getElementType() != elementType)
      return rewriter.notifyMatchFailure(root, "unsupported element types");
    SmallVector<int64_t> staticDims{rank - 1};
    if (rank == 4)
      staticDims.push_back(1);
    for (int64_t d : staticDims)
      if (queryType.isDynamicDim(d) ||
          keyType.isDynamicDim(keyPermutation[d]) ||
          valueType.isDynamicDim(d))
        return rewriter.notifyMatchFailure(root,
                                           "dynamic head count or head dim");

    // A causal mask (top-left, which is sdpa's bottom-right rule when the
    // lengths agree) becomes the attribute; what is left must be one mask.
    bool causal = false;
    if (sameSize(query.base, rank - 2, value, rank - 2)) {
      for (auto it = masks.begin(); it != masks.end(); ++it) {
        if (isCausalMask(*it, rank)) {
          causal = true;
          masks.erase(it);
          break;
        }
      }
    }
    if (masks.size() > 1)
      return rewriter.notifyMatchFailure(root, "two masks, neither causal");
    if (!masks.empty() && masks.front().onlyIfCausal)
      return rewriter.notifyMatchFailure(
          root, "a mask that hides with the lowest finite value, not causal");
    std::optional<MaskSource> mask;
    if (!masks.empty())
      mask = masks.front();
    if (mask) {
      Type maskElement =
          cast<ShapedType>(mask->tensor.getType()).getElementType();
      if (!maskElement.isInteger(1) && maskElement != elementType)
        return rewriter.notifyMatchFailure(root, "unsupported mask type");
    }

    Location loc = root.getLoc();
    Value sdpaMaskValue;
    if (mask) {
      FailureOr<Value> reshaped = sdpaMask(rewriter, loc, *mask, rank);
      if (failed(reshaped))
        return rewriter.notifyMatchFailure(
            root, "the mask is not read along the score dimensions in order");
      sdpaMaskValue = *reshaped;
    }

    Value keyValue = keyIsBase
                         ? key.base
                         : transposed(rewriter, loc, key.base, keyPermutation);
    auto resultType = cast<RankedTensorType>(root->getResult(0).getType());
    ArrayRef<int64_t> shape = resultType.getShape();
    SmallVector<int64_t> outputShape =
        rank == 4   ? SmallVector<int64_t>(shape)
        : rank == 3 ? SmallVector<int64_t>{shape[0], 1, shape[1], shape[2]}
                    : SmallVector<int64_t>{1, 1, shape[0], shape[1]};
    Value query4 = to4D(rewriter, loc, query.base, rank);
    Value key4 = to4D(rewriter, loc, keyValue, rank);
    Value value4 = to4D(rewriter, loc, value, rank);
    // The scale is always explicit: sdpa's default would be 1/sqrt(D).
    auto sdpa = SDPAOp::create(
        rewriter, loc, RankedTensorType::get(outputShape, elementType),
        /*weights=*/Type(), query4, key4, value4, sdpaMaskValue,
        rewriter.getF64FloatAttr(combinedScale),
        /*softcap=*/FloatAttr(), ScoreKind::Dot, causal,
        /*window=*/DenseI64ArrayAttr());
    Value output = sdpa.getOutput();
    if (rank == 3)
      output = tensor::CollapseShapeOp::create(
          rewriter, loc, resultType, output,
          ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
    else if (rank == 2)
      output = tensor::CollapseShapeOp::create(
          rewriter, loc, resultType, output,
          ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
    rewriter.replaceOp(root, output);
    // Each link's only user was the one before it, now gone (its dims
    // replaced by the sizes they read); the masks' producers (a causal
    // mask's, say) are left to dead-code elimination.
    for (ArrayRef<Operation *> ops : {ArrayRef<Operation *>(chain),
                                      ArrayRef<Operation *>(query.ops),
                                      ArrayRef<Operation *>(key.ops)})
      for (Operation *op : ops) {
        formula::resolveDimUsers(rewriter, op);
        rewriter.eraseOp(op);
      }
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Masks that do not depend on the query
//===----------------------------------------------------------------------===//

/// Recomputes an attn.sdpa mask `[B, H, Lq, Lk]` as `[B, H, 1, Lk]` when its
/// value provably does not depend on the query index, so that the flash
/// kernel reads one row per batch and head rather than an Lq×Lk matrix.
/// PyTorch's export builds a BERT padding mask as `[B, 1, L, L]`: the
/// padding `[B, 1, 1, L]` and-ed with a Range compared with 0 along the
/// queries, which is true everywhere.
///
/// The mask's formula is read back through pointwise linalg ops: a tensor
/// read without the query loop is an input of the new mask, a part that
/// MaskReader shows to be one number everywhere becomes that constant, and
/// a pointwise op read along the query loop is inlined (its body cloned,
/// `linalg.index` of the query loop not allowed). The old ops stay for
/// other users, if any.
class QueryFreeMask {
public:
  /// Plans the new mask for `mask`; false when it may depend on the query.
  bool plan(Value mask) {
    rootOp = mask.getDefiningOp();
    rank = cast<RankedTensorType>(mask.getType()).getRank();
    return visit(mask, AffineMap::getMultiDimIdentityMap(rank,
                                                         mask.getContext()),
                 /*depth=*/0);
  }

  /// Builds the new mask right after the old one's op, where everything it
  /// reads is defined and from where it dominates every user of the old.
  Value build(PatternRewriter &rewriter, Value mask) {
    Location loc = mask.getLoc();
    rewriter.setInsertionPointAfter(mask.getDefiningOp());
    auto root = cast<linalg::LinalgOp>(mask.getDefiningOp());
    auto type = cast<RankedTensorType>(mask.getType());
    SmallVector<OpFoldResult> sizes;
    Value init = root.getDpsInitOperand(0)->get();
    for (int64_t d = 0; d < rank; ++d)
      sizes.push_back(d == rank - 2 ? rewriter.getIndexAttr(1)
                                    : tensor::getMixedSize(rewriter, loc,
                                                           init, d));
    Value empty =
        tensor::EmptyOp::create(rewriter, loc, sizes, type.getElementType());
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    for (auto [tensor, map] : leaves) {
      inputs.push_back(tensor);
      maps.push_back(map);
    }
    maps.push_back(rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, empty.getType(), inputs, ValueRange{empty}, maps,
        iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value v = emit(nb, nl, args, mask, maps.back());
          linalg::YieldOp::create(nb, nl, v);
        });
    return generic.getResult(0);
  }

private:
  bool readsQuery(AffineMap map) const { return map.isFunctionOfDim(rank - 2); }

  std::optional<Sym> constant(Value tensor, AffineMap map) const {
    MaskReader reader(rank);
    std::optional<Sym> s = reader.read(tensor, map);
    if (s && s->kind == Sym::Number)
      return s;
    return std::nullopt;
  }

  bool visit(Value tensor, AffineMap map, int depth) {
    if (!readsQuery(map)) {
      leaves.push_back({tensor, map});
      return true;
    }
    if (depth > 0 && constant(tensor, map))
      return true;
    auto op = tensor.getDefiningOp<linalg::LinalgOp>();
    if (depth > 12 || !op || !isPointwise(op) ||
        !op.getMatchingBlockArgument(op.getDpsInitOperand(0)).use_empty())
      return false;
    for (Operation &inner : op.getBlock()->without_terminator()) {
      if (!isPure(&inner) || inner.getNumRegions() != 0)
        return false;
      if (auto index = dyn_cast<linalg::IndexOp>(inner))
        if (index.getDim() >= map.getNumResults() ||
            !isa<AffineDimExpr, AffineConstantExpr>(
                map.getResult(index.getDim())) ||
            map.getResult(index.getDim()).isFunctionOfDim(rank - 2))
          return false;
    }
    for (OpOperand *operand : op.getDpsInputOperands())
      if (!op.getMatchingBlockArgument(operand).use_empty() &&
          !visit(operand->get(),
                 op.getMatchingIndexingMap(operand).compose(map), depth + 1))
        return false;
    return true;
  }

  /// The scalar that `tensor` read through `map` holds, computed in the
  /// new mask's body (`args`: its block arguments, the leaves).
  Value emit(OpBuilder &nb, Location loc, ValueRange args, Value tensor,
             AffineMap map) {
    for (auto [i, leaf] : llvm::enumerate(leaves))
      if (leaf.first == tensor && leaf.second == map)
        return args[i];
    Type elementType = cast<ShapedType>(tensor.getType()).getElementType();
    auto op = tensor.getDefiningOp<linalg::LinalgOp>();
    if (op.getOperation() != root()) {
      if (std::optional<Sym> c = constant(tensor, map)) {
        TypedAttr attr;
        if (auto floatType = dyn_cast<FloatType>(elementType))
          attr = nb.getFloatAttr(floatType, c->number);
        else
          attr = nb.getIntegerAttr(elementType, int64_t(c->number));
        return arith::ConstantOp::create(nb, loc, attr);
      }
    }
    IRMapping values;
    for (OpOperand *operand : op.getDpsInputOperands()) {
      BlockArgument arg = op.getMatchingBlockArgument(operand);
      if (!arg.use_empty())
        values.map(arg, emit(nb, loc, args, operand->get(),
                             op.getMatchingIndexingMap(operand).compose(map)));
    }
    for (Operation &inner : op.getBlock()->without_terminator()) {
      if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
        AffineExpr e = map.getResult(index.getDim());
        Value v =
            isa<AffineDimExpr>(e)
                ? linalg::IndexOp::create(nb, loc,
                                          cast<AffineDimExpr>(e).getPosition())
                      .getResult()
                : arith::ConstantIndexOp::create(
                      nb, loc, cast<AffineConstantExpr>(e).getValue())
                      .getResult();
        values.map(index.getResult(), v);
        continue;
      }
      nb.clone(inner, values);
    }
    return values.lookup(op.getBlock()->getTerminator()->getOperand(0));
  }

  Operation *root() const { return rootOp; }

  /// The mask's own op (inlined, never folded to a constant: the pattern
  /// would otherwise loop on a constant mask); set by plan().
  Operation *rootOp = nullptr;
  int64_t rank = 0;
  SmallVector<std::pair<Value, AffineMap>> leaves;
};

struct ShrinkQueryFreeMask : OpRewritePattern<SDPAOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SDPAOp sdpa,
                                PatternRewriter &rewriter) const override {
    Value mask = sdpa.getMask();
    auto type = mask ? dyn_cast<RankedTensorType>(mask.getType()) : nullptr;
    if (!type || type.getRank() != 4 || type.getDimSize(2) == 1 ||
        !mask.getDefiningOp<linalg::LinalgOp>())
      return rewriter.notifyMatchFailure(sdpa, "no query-sized linalg mask");
    QueryFreeMask shrink;
    if (!shrink.plan(mask))
      return rewriter.notifyMatchFailure(sdpa, "the mask may vary by query");
    // Every attention that takes this mask (a model's layers share one)
    // takes the new one.
    Value small = shrink.build(rewriter, mask);
    SmallVector<SDPAOp> users;
    for (Operation *user : mask.getUsers())
      if (auto other = dyn_cast<SDPAOp>(user))
        if (other.getMask() == mask && !llvm::is_contained(users, other))
          users.push_back(other);
    for (SDPAOp user : users)
      rewriter.modifyOpInPlace(user,
                               [&] { user.getMaskMutable().assign(small); });
    Operation *old = mask.getDefiningOp();
    if (llvm::all_of(mask.getUsers(), [&](Operation *user) {
          return formula::isResolvableDim(user, old);
        })) {
      formula::resolveDimUsers(rewriter, old);
      rewriter.eraseOp(old);
    }
    return success();
  }
};

struct AttnFusePass : attn::impl::AttnFuseBase<AttnFusePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseAttentionChain>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // Once every chain is fused, so that attentions sharing a mask get one
    // new mask.
    RewritePatternSet masks(&getContext());
    masks.add<ShrinkQueryFreeMask>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(masks))))
      signalPassFailure();
  }
};

} // namespace
