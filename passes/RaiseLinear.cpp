//===- RaiseLinear.cpp - attn-raise-linear: MatMul (+ Add) into attn.linear ===//
//
// An exported linear layer is a MatMul of the activations with a constant
// weight [K, N] (nn.Linear's weight, transposed by the exporter), then an
// Add of a constant bias [N], then perhaps an activation. attn.linear keeps
// nn.Linear's [N, K] layout, so the weight is transposed back at compile
// time into a new constant, once per weight however many layers share it.
//
// A following GELU formula (erf or tanh, in any association order; read
// into the normal form of passes/Formula.h and compared with GELU's
// within float rounding) or ReLU becomes the layer's activation, on any
// attn.linear without one: the CPU kernel applies it in its epilogue.
//
//===----------------------------------------------------------------------===//

#include "passes/Formula.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <cstring>
#include <functional>
#include <optional>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNRAISELINEAR
#include "passes/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::formula;

namespace {

bool isAttnFloat(Type type) {
  return isa<Float32Type, Float16Type, BFloat16Type>(type);
}

//===----------------------------------------------------------------------===//
// Weights
//===----------------------------------------------------------------------===//

/// Copies the row-major [rows, cols] matrix `in` to `out` transposed, in
/// tiles so that both sides stay in cache (weights reach 90 MB).
template <typename T>
void transposeMatrix(const char *in, char *out, int64_t rows, int64_t cols) {
  constexpr int64_t kTile = 32;
  for (int64_t r0 = 0; r0 < rows; r0 += kTile)
    for (int64_t c0 = 0; c0 < cols; c0 += kTile)
      for (int64_t r = r0; r < std::min(rows, r0 + kTile); ++r)
        for (int64_t c = c0; c < std::min(cols, c0 + kTile); ++c) {
          T v;
          std::memcpy(&v, in + (r * cols + c) * sizeof(T), sizeof(T));
          std::memcpy(out + (c * rows + r) * sizeof(T), &v, sizeof(T));
        }
}

bool transposeBytes(ArrayRef<char> in, MutableArrayRef<char> out,
                    int64_t rows, int64_t cols, int64_t bytes) {
  if (int64_t(in.size()) != rows * cols * bytes || out.size() != in.size())
    return false;
  switch (bytes) {
  case 2:
    transposeMatrix<uint16_t>(in.data(), out.data(), rows, cols);
    return true;
  case 4:
    transposeMatrix<uint32_t>(in.data(), out.data(), rows, cols);
    return true;
  case 8:
    transposeMatrix<uint64_t>(in.data(), out.data(), rows, cols);
    return true;
  default:
    return false;
  }
}

/// The [cols, rows] transpose of a constant [rows, cols] matrix, on its raw
/// bytes: a dense_resource weight gets a new blob, a dense one a new raw
/// buffer; no element is converted.
ElementsAttr transposeConstant(ElementsAttr attr) {
  auto type = cast<RankedTensorType>(attr.getType());
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  auto transposedType =
      RankedTensorType::get({cols, rows}, type.getElementType());
  int64_t bits = type.getElementTypeBitWidth();
  if (bits % 8 != 0)
    return nullptr;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (dense.isSplat())
      return dense.resizeSplat(transposedType);
    ArrayRef<char> raw = dense.getRawData();
    std::vector<char> buffer(raw.size());
    if (!transposeBytes(raw, buffer, rows, cols, bits / 8))
      return nullptr;
    return DenseElementsAttr::getFromRawBuffer(transposedType, buffer);
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return nullptr;
    ArrayRef<char> raw = blob->getData();
    AsmResourceBlob transposed = HeapAsmResourceBlob::allocate(
        raw.size(), /*align=*/64, /*dataIsMutable=*/true);
    if (!transposeBytes(raw, transposed.getMutableData(), rows, cols,
                        bits / 8))
      return nullptr;
    return DenseResourceElementsAttr::get(
        transposedType, "attnc_transposed_weight", std::move(transposed));
  }
  return nullptr;
}

/// A constant [N] vector from a constant with N elements in any unit-padded
/// shape ([1, N], [1, 1, N]): same data, new type.
ElementsAttr asVector(ElementsAttr attr) {
  auto type = cast<RankedTensorType>(attr.getType());
  auto vectorType =
      RankedTensorType::get({type.getNumElements()}, type.getElementType());
  if (type == vectorType)
    return attr;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return dense.reshape(vectorType);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    return DenseResourceElementsAttr::get(vectorType, resource.getRawHandle());
  return nullptr;
}

//===----------------------------------------------------------------------===//
// The contraction and its bias
//===----------------------------------------------------------------------===//

/// x [..., M, K] · W with W a constant read as [K, N] or as [N, K].
struct WeightedContraction {
  Value input;
  /// The constant op holding the weight, and whether the contraction reads
  /// it as [N, K] already (a transposed map, or a linalg.transpose of it).
  arith::ConstantOp weight;
  bool weightIsOutIn;
};

/// Whether `op` is `x · W` over x's last dimension, with W a constant
/// matrix and the batch of x passing through: a linalg.matmul or a
/// contraction linalg.generic (mulf + addf into a zero-filled tensor).
std::optional<WeightedContraction> matchContraction(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op->getNumResults() != 1 ||
      !linalg::isaContractionOpInterface(op))
    return std::nullopt;
  Block *body = op.getBlock();
  if (body->getOperations().size() != 3)
    return std::nullopt;
  Value x = op.getDpsInputs()[0], w = op.getDpsInputs()[1];
  Value init = op.getDpsInits()[0];
  Type elementType = getElementTypeOrSelf(init.getType());
  if (!isAttnFloat(elementType) ||
      getElementTypeOrSelf(x.getType()) != elementType ||
      getElementTypeOrSelf(w.getType()) != elementType)
    return std::nullopt;
  if (!matchPattern(init, m_AnyZeroFloat())) {
    auto fill = init.getDefiningOp<linalg::FillOp>();
    if (!fill || !matchPattern(fill.getInputs()[0], m_AnyZeroFloat()))
      return std::nullopt;
  }

  // Loops named by their role: the output's dimensions, then the reduction.
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  int64_t loops = op.getNumLoops();
  int64_t rank = maps[2].getNumResults();
  if (rank < 2 || loops != rank + 1 || !maps[2].isProjectedPermutation())
    return std::nullopt;
  SmallVector<int64_t> outDims;
  for (AffineExpr e : maps[2].getResults())
    outDims.push_back(cast<AffineDimExpr>(e).getPosition());
  int64_t reduction = -1;
  for (int64_t d = 0; d < loops; ++d)
    if (!llvm::is_contained(outDims, d))
      reduction = d;
  MLIRContext *ctx = op.getContext();
  SmallVector<AffineExpr> xExprs;
  for (int64_t i = 0; i + 1 < rank; ++i)
    xExprs.push_back(getAffineDimExpr(outDims[i], ctx));
  xExprs.push_back(getAffineDimExpr(reduction, ctx));
  if (maps[0] != AffineMap::get(loops, 0, xExprs, ctx))
    return std::nullopt;
  AffineExpr k = getAffineDimExpr(reduction, ctx);
  AffineExpr n = getAffineDimExpr(outDims[rank - 1], ctx);
  bool outIn;
  if (maps[1] == AffineMap::get(loops, 0, {k, n}, ctx))
    outIn = false;
  else if (maps[1] == AffineMap::get(loops, 0, {n, k}, ctx))
    outIn = true;
  else
    return std::nullopt;

  // A linalg.transpose of a constant [N, K] is that constant read as [N, K].
  if (auto transpose = w.getDefiningOp<linalg::TransposeOp>();
      transpose && transpose.hasPureTensorSemantics() &&
      transpose.getPermutation() == ArrayRef<int64_t>{1, 0}) {
    w = transpose.getInput();
    outIn = !outIn;
  }
  auto constant = w.getDefiningOp<arith::ConstantOp>();
  if (!constant || !isa<DenseElementsAttr, DenseResourceElementsAttr>(
                       constant.getValue()))
    return std::nullopt;
  auto weightType = cast<RankedTensorType>(w.getType());
  if (weightType.getRank() != 2 || !weightType.hasStaticShape())
    return std::nullopt;
  return WeightedContraction{x, constant, outIn};
}

/// The constant bias when `root`, the only user of `product`, is
/// `product + b` for a constant [N] vector b (or a splat), read along the
/// last dimension; also returns the ops read. A Gemm's `alpha`/`beta` that
/// are not 1 make it another formula.
struct Bias {
  Operation *root;
  /// A constant op holding the vector, or the splat's value.
  arith::ConstantOp vector;
  double splat;
};

std::optional<Bias> matchBias(Value product) {
  SmallVector<Operation *> users = nonDimUsers(product);
  if (users.size() != 1)
    return std::nullopt;
  Operation *root = users.front();
  auto type = cast<RankedTensorType>(product.getType());
  if (!isElementwise(root) ||
      failed(verifyCompatibleShape(root->getResult(0).getType(), type)) ||
      getElementTypeOrSelf(root->getResult(0).getType()) !=
          type.getElementType())
    return std::nullopt;
  Reader reader([&](Value v) { return v == product; }, /*sumRows=*/false);
  FailureOr<Poly> p = reader.read(root->getResult(0));
  if (failed(p))
    return std::nullopt;
  int64_t rank = type.getRank();
  std::optional<unsigned> productAtom = reader.findTensorAtom(
      product, AffineMap::getMultiDimIdentityMap(rank, product.getContext()));
  if (!productAtom || !onlyUsedWithin(reader.visited(), root))
    return std::nullopt;
  // Exactly product + bias: no tolerance, a coefficient near 1 is an alpha.
  std::optional<Poly> rest = p->coefficientOf(*productAtom, 0);
  if (!rest || *p - *rest != Poly::atom(*productAtom) || rest->size() != 1)
    return std::nullopt;
  if (std::optional<double> c = rest->constantValue())
    return Bias{root, nullptr, *c};
  const auto &[monomial, c] = *rest->terms().begin();
  if (c != 1.0 || monomial.size() != 1 || monomial[0].second != 1)
    return std::nullopt;
  const Atom &atom = reader.atom(monomial[0].first);
  int64_t n = type.getDimSize(rank - 1);
  auto biasType = dyn_cast<RankedTensorType>(atom.tensor.getType());
  auto constant = atom.tensor.getDefiningOp<arith::ConstantOp>();
  if (atom.kind != AtomKind::Tensor || !constant ||
      !isa<DenseElementsAttr, DenseResourceElementsAttr>(constant.getValue()) ||
      !biasType || !biasType.hasStaticShape() ||
      biasType.getNumElements() != n)
    return std::nullopt;
  // Read along the last loop only, any unit dimensions at 0.
  bool found = false;
  for (auto [i, expr] : llvm::enumerate(atom.map.getResults())) {
    auto dim = dyn_cast<AffineDimExpr>(expr);
    if (dim && dim.getPosition() == rank - 1 && !found &&
        biasType.getDimSize(i) == n) {
      found = true;
      continue;
    }
    auto zero = dyn_cast<AffineConstantExpr>(expr);
    if (!zero || zero.getValue() != 0 || biasType.getDimSize(i) != 1)
      return std::nullopt;
  }
  if (!found)
    return std::nullopt;
  return Bias{root, constant, 0.0};
}

struct RaiseContraction : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  /// Transposed weights already made, by the original constant: layers that
  /// share a weight share its transpose.
  mutable llvm::DenseMap<Attribute, ElementsAttr> transposed;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<WeightedContraction> contraction = matchContraction(op);
    if (!contraction)
      return rewriter.notifyMatchFailure(op, "not x · constant W");
    Location loc = op.getLoc();
    Value product = op->getResult(0);
    auto productType = cast<RankedTensorType>(product.getType());
    Type elementType = productType.getElementType();

    // Everything that can fail is decided before any op is created.
    ElementsAttr transposedWeight;
    if (!contraction->weightIsOutIn) {
      ElementsAttr source = cast<ElementsAttr>(contraction->weight.getValue());
      ElementsAttr &attr = transposed[source];
      if (!attr)
        attr = transposeConstant(source);
      if (!attr)
        return rewriter.notifyMatchFailure(op, "weight bytes unreadable");
      transposedWeight = attr;
    }
    std::optional<Bias> bias = matchBias(product);
    ElementsAttr biasVector;
    if (bias && bias->vector) {
      biasVector = asVector(cast<ElementsAttr>(bias->vector.getValue()));
      if (!biasVector)
        return rewriter.notifyMatchFailure(op, "bias bytes unreadable");
    }

    Value weight = contraction->weight.getResult();
    if (transposedWeight) {
      // Beside the original, which dominates every use of it.
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointAfter(contraction->weight);
      weight = arith::ConstantOp::create(rewriter, contraction->weight.getLoc(),
                                         cast<TypedAttr>(transposedWeight));
    }
    Value biasValue;
    Operation *replaced = op;
    if (bias) {
      replaced = bias->root;
      int64_t n = productType.getDimSize(productType.getRank() - 1);
      auto vectorType = RankedTensorType::get({n}, elementType);
      if (biasVector && biasVector == bias->vector.getValue()) {
        biasValue = bias->vector.getResult();
      } else if (biasVector) {
        OpBuilder::InsertionGuard guard(rewriter);
        rewriter.setInsertionPointAfter(bias->vector);
        biasValue = arith::ConstantOp::create(
            rewriter, bias->vector.getLoc(), cast<TypedAttr>(biasVector));
      } else {
        biasValue = arith::ConstantOp::create(
            rewriter, loc,
            DenseElementsAttr::get(
                vectorType, rewriter.getFloatAttr(elementType, bias->splat)));
      }
    }

    if (replaced != op)
      resolveDimUsers(rewriter, op);
    rewriter.setInsertionPoint(replaced);
    Value linear = LinearOp::create(rewriter, loc, productType,
                                    contraction->input, weight, biasValue);
    Type resultType = replaced->getResult(0).getType();
    if (resultType != productType)
      linear = tensor::CastOp::create(rewriter, loc, resultType, linear);
    rewriter.replaceOp(replaced, linear);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

/// Whether `p`, read over `y`, is GELU of y: 0.5·y·(1 + erf(y/√2)), or
/// 0.5·y·(1 + tanh(√(2/π)·(y + 0.044715·y³))), as a polynomial in y and the
/// erf/tanh atom.
std::optional<Activation> matchGelu(const Reader &reader, const Poly &p,
                                    unsigned y, double rtol) {
  if (p.size() != 2)
    return std::nullopt;
  std::optional<unsigned> function;
  for (const auto &[monomial, c] : p.terms()) {
    if (monomial.size() == 2 && monomial[0].first != y &&
        monomial[0].second == 1)
      function = monomial[0].first;
    else if (monomial.size() == 2 && monomial[1].first != y &&
             monomial[1].second == 1)
      function = monomial[1].first;
  }
  if (!function)
    return std::nullopt;
  Poly yPoly = Poly::atom(y);
  Poly expected =
      yPoly.scaled(0.5) + (yPoly * Poly::atom(*function)).scaled(0.5);
  if (!p.approxEqual(expected, rtol))
    return std::nullopt;
  const Atom &atom = reader.atom(*function);
  const double pi = 3.14159265358979323846;
  if (atom.kind == AtomKind::Erf &&
      atom.arg.approxEqual(yPoly.scaled(1.0 / std::sqrt(2.0)), rtol))
    return Activation::Gelu;
  double k = std::sqrt(2.0 / pi);
  if (atom.kind == AtomKind::Tanh &&
      atom.arg.approxEqual(
          yPoly.scaled(k) + (yPoly * yPoly * yPoly).scaled(k * 0.044715),
          rtol))
    return Activation::GeluTanh;
  return std::nullopt;
}

/// Whether `root` is ReLU of `y`: max(y, 0) (maximumf or maxnumf, on
/// tensors or in a linalg body), or a select of y where y > 0 (or >= 0)
/// and 0 elsewhere. The linear kernel's ReLU maps NaN to 0, as `y > 0 ? y :
/// 0` does; max(NaN, 0) is NaN, so only NaN inputs can tell them apart.
bool isRelu(Operation *root, Value y) {
  auto type = cast<RankedTensorType>(y.getType());
  AffineMap identity =
      AffineMap::getMultiDimIdentityMap(type.getRank(), y.getContext());
  auto isZero = [](Value v) { return matchPattern(v, m_AnyZeroFloat()); };
  // Where a scalar operand comes from: 1 for y, 0 for a zero, -1 otherwise.
  std::function<int(Value)> classify = [&](Value v) {
    return v == y ? 1 : isZero(v) ? 0 : -1;
  };
  Operation *scalarOp = root;
  auto linalgOp = dyn_cast<linalg::LinalgOp>(root);
  if (linalgOp) {
    Block *body = linalgOp.getBlock();
    auto yield = cast<linalg::YieldOp>(body->getTerminator());
    scalarOp = yield.getOperand(0).getDefiningOp();
    if (!scalarOp || scalarOp->getBlock() != body)
      return false;
    classify = [&, body](Value v) {
      auto arg = dyn_cast<BlockArgument>(v);
      if (!arg || arg.getOwner() != body)
        return isZero(v) ? 0 : -1;
      OpOperand *operand = linalgOp.getMatchingOpOperand(arg);
      if (linalgOp.isDpsInit(operand))
        return -1;
      if (operand->get() == y &&
          linalgOp.getMatchingIndexingMap(operand) == identity)
        return 1;
      return isZero(operand->get()) ? 0 : -1;
    };
  }
  if (isa<arith::MaximumFOp, arith::MaxNumFOp>(scalarOp)) {
    int a = classify(scalarOp->getOperand(0));
    int b = classify(scalarOp->getOperand(1));
    return (a == 1 && b == 0) || (a == 0 && b == 1);
  }
  auto select = dyn_cast<arith::SelectOp>(scalarOp);
  if (!select)
    return false;
  auto cmp = select.getCondition().getDefiningOp<arith::CmpFOp>();
  if (!cmp || cmp->getBlock() != select->getBlock())
    return false;
  using P = arith::CmpFPredicate;
  int lhs = classify(cmp.getLhs()), rhs = classify(cmp.getRhs());
  P pred = cmp.getPredicate();
  // 0 < y reads as y > 0.
  if (lhs == 0 && rhs == 1) {
    std::swap(lhs, rhs);
    switch (pred) {
    case P::OGT:
      pred = P::OLT;
      break;
    case P::OGE:
      pred = P::OLE;
      break;
    case P::OLT:
      pred = P::OGT;
      break;
    case P::OLE:
      pred = P::OGE;
      break;
    default:
      return false;
    }
  }
  if (lhs != 1 || rhs != 0)
    return false;
  int t = classify(select.getTrueValue());
  int f = classify(select.getFalseValue());
  if (pred == P::OGT || pred == P::OGE)
    return t == 1 && f == 0;
  if (pred == P::OLT || pred == P::OLE)
    return t == 0 && f == 1;
  return false;
}

/// attn.linear (without activation or residual) followed by an activation
/// formula of its result alone becomes attn.linear with that activation.
struct FoldActivation : OpRewritePattern<LinearOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getActivation() || op.getResidual())
      return rewriter.notifyMatchFailure(op, "has an activation or residual");
    // The activation applies to y, or to y reshaped when a reshape is its
    // only user (GPT-2's Conv1D: Gemm on [B·L, K], then Reshape to
    // [B, L, N]); an elementwise function commutes with the reshape.
    Value y = op.getResult();
    auto linearType = cast<RankedTensorType>(y.getType());
    Operation *reshape = nullptr;
    if (SmallVector<Operation *> users = nonDimUsers(y);
        users.size() == 1 &&
        isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(users.front())) {
      reshape = users.front();
      y = reshape->getResult(0);
    }
    auto type = cast<RankedTensorType>(y.getType());
    AffineMap identity =
        AffineMap::getMultiDimIdentityMap(type.getRank(), op.getContext());
    double rtol = tolerance(type.getElementType());

    SmallVector<Operation *> candidates = elementwiseUsers(y, 24);
    for (Operation *root : llvm::reverse(candidates)) {
      if (!isElementwise(root) ||
          failed(verifyCompatibleShape(root->getResult(0).getType(), type)) ||
          getElementTypeOrSelf(root->getResult(0).getType()) !=
              type.getElementType())
        continue;
      std::optional<Activation> activation;
      SmallVector<Operation *> ops;
      if (isRelu(root, y)) {
        activation = Activation::Relu;
        ops.push_back(root);
      } else {
        Reader reader([&](Value v) { return v == y; }, /*sumRows=*/false);
        FailureOr<Poly> p = reader.read(root->getResult(0));
        std::optional<unsigned> yAtom = reader.findTensorAtom(y, identity);
        if (failed(p) || !yAtom)
          continue;
        activation = matchGelu(reader, *p, *yAtom, rtol);
        ops.assign(reader.visited().begin(), reader.visited().end());
      }
      // y and every intermediate value feed only the formula: otherwise
      // they are still needed without the activation.
      if (!activation || !onlyUsedWithin(ops, root) ||
          llvm::any_of(nonDimUsers(y), [&](Operation *user) {
            return !llvm::is_contained(ops, user);
          }))
        continue;
      for (Operation *formulaOp : ops)
        if (formulaOp != root)
          resolveDimUsers(rewriter, formulaOp);
      resolveDimUsers(rewriter, op);
      if (reshape)
        resolveDimUsers(rewriter, reshape);
      rewriter.setInsertionPoint(root);
      Value fused = LinearOp::create(
          rewriter, op.getLoc(), linearType, op.getInput(), op.getWeight(),
          op.getBias(), /*residual=*/Value(),
          ActivationAttr::get(rewriter.getContext(), *activation));
      if (reshape) {
        Operation *reshaped = rewriter.clone(*reshape);
        reshaped->setOperand(0, fused);
        fused = reshaped->getResult(0);
      }
      Type resultType = root->getResult(0).getType();
      if (resultType != type)
        fused = tensor::CastOp::create(rewriter, root->getLoc(), resultType,
                                       fused);
      rewriter.replaceOp(root, fused);
      return success();
    }
    return rewriter.notifyMatchFailure(op, "no activation formula follows");
  }
};

struct AttnRaiseLinearPass
    : attn::impl::AttnRaiseLinearBase<AttnRaiseLinearPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<RaiseContraction>(&getContext());
    patterns.add<FoldActivation>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
