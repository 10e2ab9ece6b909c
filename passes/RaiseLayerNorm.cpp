//===- RaiseLayerNorm.cpp - attn-raise-layer-norm: the formula into the op ===//
//
// LayerNorm over the last axis written out, as exporters do before ONNX's
// LayerNormalization (opset 17) or for models that spell it by hand:
//
//   mean = ReduceMean(x); d = x - mean; var = ReduceMean(d * d)
//   y = d / Sqrt(var + eps) * gamma + beta
//
// with Pow(d, 2) for d * d, Reciprocal and Mul for the division, gamma and
// beta on either side, and any association order. The pass anchors on a
// row sum of some x (the mean's first step), reads each candidate end of
// the formula into its normal form (passes/Formula.h) and compares it with
// LayerNorm's. Since the normal form is a polynomial, the variance must be
// the second pass over the centered values (E[x²] - E[x]² is another
// formula and is left alone), the epsilon must sit inside the square root,
// and the counts must be the row length.
//
//===----------------------------------------------------------------------===//

#include "passes/Formula.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <optional>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNRAISELAYERNORM
#include "passes/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::formula;

namespace {

/// gamma or beta: a constant, or a tensor read along the last loop only.
struct Affine {
  double constant = 0.0;
  Value tensor;
};

/// Whether `atom` is a tensor of the element type `elementType` read along
/// the last of `rank` loops only, with `n` elements (any unit dimensions
/// around them read at 0): a per-feature vector.
bool isFeatureVector(const Atom &atom, int64_t rank, int64_t n,
                     Type elementType) {
  if (atom.kind != AtomKind::Tensor || !atom.map ||
      atom.map.getNumDims() != rank)
    return false;
  auto type = dyn_cast<RankedTensorType>(atom.tensor.getType());
  if (!type || !type.hasStaticShape() || type.getElementType() != elementType ||
      type.getNumElements() != n)
    return false;
  bool found = false;
  for (auto [i, expr] : llvm::enumerate(atom.map.getResults())) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr);
        dim && dim.getPosition() == rank - 1 && type.getDimSize(i) == n &&
        !found) {
      found = true;
      continue;
    }
    auto c = dyn_cast<AffineConstantExpr>(expr);
    if (!c || c.getValue() != 0 || type.getDimSize(i) != 1)
      return false;
  }
  return found;
}

/// LayerNorm's parameters, when `p` (read from a candidate end of the
/// formula over `x`) is `(x - mean(x)) / sqrt(var(x) + eps) * gamma + beta`.
struct LayerNormMatch {
  double epsilon;
  Affine gamma, beta;
};

std::optional<LayerNormMatch> matchLayerNorm(const Reader &reader,
                                             const Poly &p, Value x,
                                             double rtol) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  int64_t n = type.getDimSize(rank - 1);
  std::optional<unsigned> xAtom = reader.findTensorAtom(
      x, AffineMap::getMultiDimIdentityMap(rank, x.getContext()));
  if (!xAtom)
    return std::nullopt;
  auto near = [&](double a, double b) {
    return std::abs(a - b) <= rtol * std::max(std::abs(a), std::abs(b));
  };

  // The atoms: the inverse square root I = 1/sqrt(Q); in Q the variance's
  // row sum V; in V the mean's row sum A = sum(x).
  std::optional<unsigned> inverse, sqrtAtom, varSum, meanSum;
  for (unsigned id = 0; id < reader.numAtoms(); ++id) {
    const Atom &atom = reader.atom(id);
    if (atom.kind == AtomKind::RowSum && atom.arg.approxEqual(Poly::atom(*xAtom), 0))
      meanSum = id;
    if (atom.kind != AtomKind::Inverse || atom.arg.size() != 1)
      continue;
    const auto &[monomial, c] = *atom.arg.terms().begin();
    if (c != 1.0 || monomial.size() != 1 || monomial[0].second != 1 ||
        reader.atom(monomial[0].first).kind != AtomKind::Sqrt)
      continue;
    if (inverse)
      return std::nullopt;
    inverse = id;
    sqrtAtom = monomial[0].first;
  }
  if (!inverse || !meanSum)
    return std::nullopt;

  // Q = V / n + eps.
  const Poly &q = reader.atom(*sqrtAtom).arg;
  if (q.size() != 2)
    return std::nullopt;
  double epsilon = q.coefficient({});
  for (const auto &[monomial, c] : q.terms()) {
    if (monomial.empty())
      continue;
    if (monomial.size() != 1 || monomial[0].second != 1 ||
        reader.atom(monomial[0].first).kind != AtomKind::RowSum ||
        !near(c, 1.0 / double(n)))
      return std::nullopt;
    varSum = monomial[0].first;
  }
  if (!varSum || !(epsilon > 0) || !std::isfinite(epsilon))
    return std::nullopt;

  // V = sum((x - A / n)²).
  Poly centered =
      Poly::atom(*xAtom) - Poly::atom(*meanSum).scaled(1.0 / double(n));
  if (!reader.atom(*varSum).arg.approxEqual(centered * centered, rtol))
    return std::nullopt;

  // p = centered · I · gamma + beta.
  std::optional<Poly> scaledPart = p.coefficientOf(*inverse, 1);
  std::optional<Poly> rest = p.coefficientOf(*inverse, 0);
  if (!scaledPart || !rest)
    return std::nullopt;
  LayerNormMatch match{epsilon, Affine{}, Affine{}};
  std::optional<Poly> expected;
  for (const auto &[monomial, c] : scaledPart->terms()) {
    Monomial others;
    bool hasX = false;
    for (auto [id, exponent] : monomial) {
      if (id == *xAtom && exponent == 1)
        hasX = true;
      else
        others.push_back({id, exponent});
    }
    if (!hasX)
      continue;
    if (others.empty()) {
      match.gamma.constant = c;
      expected = centered.scaled(c);
    } else if (others.size() == 1 && others[0].second == 1 && near(c, 1.0) &&
               isFeatureVector(reader.atom(others[0].first), rank, n,
                               type.getElementType())) {
      match.gamma.tensor = reader.atom(others[0].first).tensor;
      expected = centered * Poly::atom(others[0].first);
    }
    break;
  }
  if (!expected || !scaledPart->approxEqual(*expected, rtol))
    return std::nullopt;

  if (std::optional<double> c = rest->constantValue()) {
    match.beta.constant = *c;
  } else {
    const auto &[monomial, c1] = *rest->terms().begin();
    if (rest->size() != 1 || monomial.size() != 1 ||
        monomial[0].second != 1 || !near(c1, 1.0) ||
        !isFeatureVector(reader.atom(monomial[0].first), rank, n,
                         type.getElementType()))
      return std::nullopt;
    match.beta.tensor = reader.atom(monomial[0].first).tensor;
  }
  return match;
}

/// gamma or beta as the [n] tensor attn.layer_norm takes: a splat constant,
/// or the feature vector with its unit dimensions collapsed away.
Value featureOperand(PatternRewriter &rewriter, Location loc,
                     const Affine &value, int64_t n, Type elementType) {
  auto type = RankedTensorType::get({n}, elementType);
  if (!value.tensor)
    return arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(
            type, rewriter.getFloatAttr(elementType, value.constant)));
  auto sourceType = cast<RankedTensorType>(value.tensor.getType());
  if (sourceType.getRank() == 1)
    return value.tensor;
  ReassociationIndices all =
      llvm::to_vector(llvm::seq<int64_t>(0, sourceType.getRank()));
  return tensor::CollapseShapeOp::create(rewriter, loc, type, value.tensor,
                                         ArrayRef<ReassociationIndices>{all});
}

struct RaiseLayerNormFormula : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp anchor,
                                PatternRewriter &rewriter) const override {
    // The mean's row sum names x.
    Value x = rowSumInput(anchor);
    if (!x)
      return failure();
    auto type = cast<RankedTensorType>(x.getType());
    Type elementType = type.getElementType();
    if (!isa<Float32Type, Float16Type, BFloat16Type>(elementType) ||
        ShapedType::isDynamic(type.getDimSize(type.getRank() - 1)))
      return rewriter.notifyMatchFailure(anchor, "not a float row of known "
                                                 "length");

    // The formula ends in an op of x's shape; the latest one that reads as
    // LayerNorm takes gamma and beta with it.
    SmallVector<Operation *> candidates = elementwiseUsers(x, 48);
    for (Operation *root : llvm::reverse(candidates)) {
      if (!isElementwise(root) ||
          failed(verifyCompatibleShape(root->getResult(0).getType(), type)) ||
          getElementTypeOrSelf(root->getResult(0).getType()) != elementType)
        continue;
      Reader reader([&](Value v) { return v == x; }, /*sumRows=*/true);
      FailureOr<Poly> p = reader.read(root->getResult(0));
      if (failed(p))
        continue;
      std::optional<LayerNormMatch> match =
          matchLayerNorm(reader, *p, x, tolerance(elementType));
      if (!match || !onlyUsedWithin(reader.visited(), root))
        continue;

      Location loc = root->getLoc();
      int64_t n = type.getDimSize(type.getRank() - 1);
      Value gamma = featureOperand(rewriter, loc, match->gamma, n, elementType);
      Value beta = featureOperand(rewriter, loc, match->beta, n, elementType);
      Value result =
          LayerNormOp::create(rewriter, loc, type, x, gamma, beta,
                              rewriter.getF64FloatAttr(match->epsilon));
      Type rootType = root->getResult(0).getType();
      if (rootType != type)
        result = tensor::CastOp::create(rewriter, loc, rootType, result);
      for (Operation *op : reader.visited())
        if (op != root)
          resolveDimUsers(rewriter, op);
      rewriter.replaceOp(root, result);
      return success();
    }
    return rewriter.notifyMatchFailure(anchor, "no LayerNorm formula ends "
                                               "here");
  }
};

struct AttnRaiseLayerNormPass
    : attn::impl::AttnRaiseLayerNormBase<AttnRaiseLayerNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<RaiseLayerNormFormula>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
