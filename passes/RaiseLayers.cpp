//===- RaiseLayers.cpp - attn-raise-layers: attention and FFN blocks into layers
//
// After attn-raise-linear, attn-raise-layer-norm and attn-fuse, an exported
// Transformer layer is a handful of attn ops glued by reshapes: three
// projections split into heads (expand_shape, transpose), attn.sdpa, the
// heads merged back (transpose, collapse_shape) and an output projection;
// two attn.linear with an activation between them; LayerNorms and residual
// adds. This pass raises those, bottom up, to what a model description
// writes directly: attn.multihead, attn.ffn, and then attn.encoder_layer or
// attn.decoder_layer where a whole layer's pattern is there.
//
// Raising is exact: each raised op decomposes (attn-decompose) into the
// same ops it was raised from, with the same operands, so the numbers do
// not change; what changes is that the compiled code takes the layer
// decompositions' path, whose head splits the CPU kernels read in place.
//
// Every new op is built detached and verified (with its diagnostics
// swallowed) before it replaces anything, so an odd shape leaves the IR as
// it was instead of producing an invalid op.
//
//===----------------------------------------------------------------------===//

#include "passes/Formula.h"
#include "passes/Passes.h"

#include "dialect/AttnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"

#include <optional>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNRAISELAYERS
#include "passes/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::formula;

namespace {

/// Whether `value` has exactly the users `expected` (in any order), not
/// counting resolvable tensor.dims.
bool usersAre(Value value, ArrayRef<Operation *> expected) {
  SmallVector<Operation *> users = nonDimUsers(value);
  return users.size() == expected.size() &&
         llvm::all_of(users, [&](Operation *user) {
           return llvm::is_contained(expected, user);
         });
}

/// Resolves the tensor.dims of each op in `ops` (users before producers)
/// and erases those left without users.
void eraseDead(PatternRewriter &rewriter, ArrayRef<Operation *> ops) {
  llvm::SetVector<Operation *> unique(ops.begin(), ops.end());
  for (Operation *op : unique) {
    resolveDimUsers(rewriter, op);
    if (op->use_empty())
      rewriter.eraseOp(op);
  }
}

/// New ops built detached, so that nothing changes unless the op that
/// uses them verifies: zero biases first, the raised op last.
class Staged {
public:
  explicit Staged(MLIRContext *ctx) : builder(ctx) {}
  ~Staged() {
    for (Operation *op : llvm::reverse(ops))
      op->destroy();
  }

  /// The builder of detached ops; `stage` each op it creates.
  OpBuilder builder;
  void stage(Operation *op) { ops.push_back(op); }

  /// The bias of a projection, or a zero vector of its output width (the
  /// raised ops need one).
  Value biasOrZero(LinearOp linear) {
    if (Value bias = linear.getBias())
      return bias;
    auto weightType = cast<RankedTensorType>(linear.getWeight().getType());
    auto type = RankedTensorType::get({weightType.getDimSize(0)},
                                      weightType.getElementType());
    auto zero = arith::ConstantOp::create(
        builder, linear.getLoc(), type,
        DenseElementsAttr::get(type,
                               builder.getZeroAttr(type.getElementType())));
    stage(zero);
    return zero;
  }

  /// Inserts the staged ops before `root` when `raised` (staged last)
  /// verifies; else leaves the IR alone (the destructor frees them). The
  /// check's diagnostics are swallowed: a failed match is not an error.
  template <typename OpTy>
  LogicalResult commit(PatternRewriter &rewriter, Operation *root,
                       OpTy raised) {
    stage(raised);
    bool valid;
    {
      ScopedDiagnosticHandler quiet(raised->getContext(),
                                    [](Diagnostic &) { return success(); });
      valid = succeeded(raised.verifyInvariants());
    }
    if (!valid)
      return failure();
    rewriter.setInsertionPoint(root);
    for (Operation *op : ops)
      rewriter.insert(op);
    ops.clear();
    return success();
  }

private:
  SmallVector<Operation *> ops;
};

/// A plain projection: no activation, no residual.
bool isProjection(LinearOp linear) {
  return linear && !linear.getResidual() && !linear.getActivationAttr();
}

/// Follows a chain of linalg.transpose from `value` back to its source,
/// requiring each link to have one user; returns the source and the
/// composed permutation (`value`'s dimension i is the source's perm[i]).
std::pair<Value, SmallVector<int64_t>>
throughTransposes(Value value, SmallVectorImpl<Operation *> &chain) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> perm =
      llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  while (linalg::TransposeOp transpose = peelTranspose(value, perm)) {
    chain.push_back(transpose);
    value = transpose.getInput();
    if (!soleUser(value))
      break;
  }
  return {value, perm};
}

/// `[B, L, H*D]` from a projection, split into `[B, H, L, D]` heads: an
/// expand_shape `[[0], [1], [2, 3]]` and transposes composing to
/// `[0, 2, 1, 3]`, each value with one user.
struct HeadSplit {
  LinearOp projection;
  int64_t heads = 0;
  /// The split's ops, users before producers, the projection last.
  SmallVector<Operation *> ops;
};

std::optional<HeadSplit> matchHeadSplit(Value heads) {
  HeadSplit split;
  if (!soleUser(heads))
    return std::nullopt;
  auto [source, perm] = throughTransposes(heads, split.ops);
  auto expand = source.getDefiningOp<tensor::ExpandShapeOp>();
  if (!expand || perm != SmallVector<int64_t>{0, 2, 1, 3} ||
      expand.getReassociationIndices() !=
          SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}} ||
      !soleUser(expand.getResult()) || !soleUser(expand.getSrc()))
    return std::nullopt;
  split.projection = expand.getSrc().getDefiningOp<LinearOp>();
  split.heads = expand.getResultType().getDimSize(2);
  if (!isProjection(split.projection) || ShapedType::isDynamic(split.heads) ||
      cast<RankedTensorType>(split.projection.getInput().getType())
              .getRank() != 3)
    return std::nullopt;
  split.ops.push_back(expand);
  split.ops.push_back(split.projection);
  return split;
}

//===----------------------------------------------------------------------===//
// attn.multihead, attn.ffn
//===----------------------------------------------------------------------===//

/// `linear(merge(sdpa(split(linear(q)), split(linear(k)), split(linear(v)))))`
/// to attn.multihead, rooted at the output projection.
struct RaiseMultihead : OpRewritePattern<LinearOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearOp out,
                                PatternRewriter &rewriter) const override {
    if (!isProjection(out))
      return failure();
    auto collapse = out.getInput().getDefiningOp<tensor::CollapseShapeOp>();
    if (!collapse || !soleUser(collapse.getResult()) ||
        collapse.getReassociationIndices() !=
            SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}})
      return failure();
    SmallVector<Operation *> dead{collapse};
    auto [merged, perm] = throughTransposes(collapse.getSrc(), dead);
    auto sdpa = merged.getDefiningOp<SDPAOp>();
    if (!sdpa || sdpa.getWeights() || perm != SmallVector<int64_t>{0, 2, 1, 3} ||
        !soleUser(sdpa.getOutput()) || !soleUser(collapse.getSrc()))
      return failure();
    dead.push_back(sdpa);

    std::optional<HeadSplit> q = matchHeadSplit(sdpa.getQuery());
    std::optional<HeadSplit> k = matchHeadSplit(sdpa.getKey());
    std::optional<HeadSplit> v = matchHeadSplit(sdpa.getValue());
    if (!q || !k || !v || k->heads != v->heads ||
        sdpa.getQuery() == sdpa.getKey() || sdpa.getQuery() == sdpa.getValue() ||
        sdpa.getKey() == sdpa.getValue())
      return failure();

    Staged staged(getContext());
    Value qb = staged.biasOrZero(q->projection);
    Value kb = staged.biasOrZero(k->projection);
    Value vb = staged.biasOrZero(v->projection);
    Value ob = staged.biasOrZero(out);
    IntegerAttr kvHeads =
        k->heads == q->heads ? IntegerAttr() : rewriter.getI64IntegerAttr(k->heads);
    auto multihead = MultiheadOp::create(
        staged.builder, out.getLoc(), out.getType(), Type(),
        q->projection.getInput(), k->projection.getInput(),
        v->projection.getInput(), q->projection.getWeight(), qb,
        k->projection.getWeight(), kb, v->projection.getWeight(), vb,
        out.getWeight(), ob, sdpa.getMask(),
        rewriter.getI64IntegerAttr(q->heads), kvHeads, sdpa.getScaleAttr(),
        sdpa.getSoftcapAttr(), sdpa.getScoreAttr(), sdpa.getCausalAttr(),
        sdpa.getWindowAttr());
    if (failed(staged.commit(rewriter, out, multihead)))
      return failure();
    rewriter.replaceOp(out, multihead.getOutput());
    for (HeadSplit *split : {&*q, &*k, &*v})
      dead.append(split->ops);
    eraseDead(rewriter, dead);
    return success();
  }
};

/// `linear(linear(x, w1, b1, act), w2, b2)` to attn.ffn, rooted at the
/// second layer.
struct RaiseFFN : OpRewritePattern<LinearOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearOp second,
                                PatternRewriter &rewriter) const override {
    if (!isProjection(second))
      return failure();
    auto first = second.getInput().getDefiningOp<LinearOp>();
    if (!first || first.getResidual() || !first.getActivationAttr() ||
        !soleUser(first.getOutput()))
      return failure();
    Staged staged(getContext());
    Value b1 = staged.biasOrZero(first);
    Value b2 = staged.biasOrZero(second);
    auto ffn = FFNOp::create(staged.builder, second.getLoc(), second.getType(),
                             first.getInput(), first.getWeight(), b1,
                             second.getWeight(), b2,
                             first.getActivationAttr());
    if (failed(staged.commit(rewriter, second, ffn)))
      return failure();
    rewriter.replaceOp(second, ffn.getOutput());
    eraseDead(rewriter, {first});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// attn.encoder_layer, attn.decoder_layer
//===----------------------------------------------------------------------===//

/// One residual sub-layer ending at `out`: post-norm `norm(x + f(x))` or
/// pre-norm `x + f(norm(x))`, with `f` an attn.multihead or attn.ffn whose
/// first operand is its input.
struct Block {
  /// x: the block's input.
  Value input;
  /// f's op.
  Operation *sublayer = nullptr;
  LayerNormOp norm;
  /// The residual add.
  Operation *add = nullptr;
};

/// `a + b` of two tensors of one shape: returns the operands.
std::optional<std::pair<Value, Value>> addOperands(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  if (!linalgOp || !isElementwiseAdd(linalgOp))
    return std::nullopt;
  return std::pair{linalgOp.getDpsInputOperand(0)->get(),
                   linalgOp.getDpsInputOperand(1)->get()};
}

/// The sublayer input of `op` (query or FFN input), when `op` is one.
Value sublayerInput(Operation *op) {
  if (auto mha = dyn_cast_or_null<MultiheadOp>(op))
    return mha.getWeights() ? Value() : mha.getQuery();
  if (auto ffn = dyn_cast_or_null<FFNOp>(op))
    return ffn.getInput();
  return {};
}

std::optional<Block> matchBlock(Value out, NormPlacement placement) {
  Block block;
  if (placement == NormPlacement::Post) {
    block.norm = out.getDefiningOp<LayerNormOp>();
    if (!block.norm)
      return std::nullopt;
    Value sum = block.norm.getInput();
    block.add = sum.getDefiningOp();
    std::optional<std::pair<Value, Value>> terms = addOperands(block.add);
    if (!terms || !soleUser(sum))
      return std::nullopt;
    for (auto [x, f] : {*terms, std::pair{terms->second, terms->first}}) {
      Operation *sub = f.getDefiningOp();
      if (sublayerInput(sub) == x && soleUser(f)) {
        block.input = x;
        block.sublayer = sub;
        return block;
      }
    }
    return std::nullopt;
  }
  block.add = out.getDefiningOp();
  std::optional<std::pair<Value, Value>> terms = addOperands(block.add);
  if (!terms)
    return std::nullopt;
  for (auto [x, f] : {*terms, std::pair{terms->second, terms->first}}) {
    Operation *sub = f.getDefiningOp();
    Value normed = sublayerInput(sub);
    auto norm = normed ? normed.getDefiningOp<LayerNormOp>() : nullptr;
    if (norm && norm.getInput() == x && soleUser(f) && soleUser(normed)) {
      block.input = x;
      block.sublayer = sub;
      block.norm = norm;
      return block;
    }
  }
  return std::nullopt;
}

/// Whether two attentions agree on what a layer op holds once for both.
bool sameAttention(MultiheadOp a, MultiheadOp b) {
  return a.getNumHeads() == b.getNumHeads() &&
         a.getEffectiveNumKvHeads() == b.getEffectiveNumKvHeads() &&
         a.getScaleAttr() == b.getScaleAttr() &&
         a.getSoftcapAttr() == b.getSoftcapAttr() &&
         a.getScore() == b.getScore();
}

/// Rooted at a layer's last op (a LayerNorm for post-norm, the residual
/// add for pre-norm): three blocks (causal self-attention, cross-attention,
/// FFN) become attn.decoder_layer, else two (self-attention, FFN)
/// attn.encoder_layer.
struct RaiseLayer : RewritePattern {
  RaiseLayer(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *root,
                                PatternRewriter &rewriter) const override {
    NormPlacement placement;
    if (isa<LayerNormOp>(root))
      placement = NormPlacement::Post;
    else if (addOperands(root))
      placement = NormPlacement::Pre;
    else
      return failure();
    std::optional<Block> ffnBlock = matchBlock(root->getResult(0), placement);
    if (!ffnBlock || !isa<FFNOp>(ffnBlock->sublayer))
      return failure();
    // A block's input is the previous block's output, used by exactly this
    // block's two ops (the residual add and, post-norm, the sublayer;
    // pre-norm, the LayerNorm).
    auto innerBlock = [&](const Block &outer) -> std::optional<Block> {
      Operation *reader =
          placement == NormPlacement::Post ? outer.sublayer : outer.norm;
      if (!usersAre(outer.input, {reader, outer.add}))
        return std::nullopt;
      std::optional<Block> inner = matchBlock(outer.input, placement);
      if (!inner || !isa<MultiheadOp>(inner->sublayer))
        return std::nullopt;
      return inner;
    };
    std::optional<Block> attnBlock = innerBlock(*ffnBlock);
    if (!attnBlock)
      return failure();
    auto ffn = cast<FFNOp>(ffnBlock->sublayer);
    auto attention = cast<MultiheadOp>(attnBlock->sublayer);
    FloatAttr epsilon = ffnBlock->norm.getEpsilonAttr();
    if (attnBlock->norm.getEpsilonAttr() != epsilon)
      return failure();
    auto isSelf = [&](MultiheadOp mha) {
      return mha.getKey() == mha.getQuery() && mha.getValue() == mha.getQuery();
    };
    auto isCross = [&](MultiheadOp mha) {
      return mha.getKey() == mha.getValue() && mha.getKey() != mha.getQuery() &&
             !mha.getCausal() && !mha.getWindowAttr();
    };
    Type resultType = root->getResult(0).getType();
    Staged staged(getContext());
    NormPlacementAttr norm = NormPlacementAttr::get(getContext(), placement);

    // Decoder: the attention block is cross-attention after a causal
    // self-attention block.
    if (isCross(attention)) {
      std::optional<Block> selfBlock = innerBlock(*attnBlock);
      if (!selfBlock)
        return failure();
      auto self = cast<MultiheadOp>(selfBlock->sublayer);
      if (!isSelf(self) || !self.getCausal() ||
          selfBlock->norm.getEpsilonAttr() != epsilon ||
          !sameAttention(self, attention))
        return failure();
      auto layer = DecoderLayerOp::create(
          staged.builder, root->getLoc(), resultType, selfBlock->input,
          attention.getKey(), self.getQWeight(), self.getQBias(),
          self.getKWeight(), self.getKBias(), self.getVWeight(),
          self.getVBias(), self.getOWeight(), self.getOBias(),
          selfBlock->norm.getGamma(), selfBlock->norm.getBeta(),
          attention.getQWeight(), attention.getQBias(), attention.getKWeight(),
          attention.getKBias(), attention.getVWeight(), attention.getVBias(),
          attention.getOWeight(), attention.getOBias(),
          attnBlock->norm.getGamma(), attnBlock->norm.getBeta(), ffn.getW1(),
          ffn.getB1(), ffn.getW2(), ffn.getB2(), ffnBlock->norm.getGamma(),
          ffnBlock->norm.getBeta(), self.getMask(), attention.getMask(),
          self.getWindowAttr(), self.getNumHeadsAttr(),
          self.getNumKvHeadsAttr(), norm, ffn.getActivationAttr(), epsilon,
          self.getScaleAttr(), self.getSoftcapAttr(), self.getScoreAttr());
      if (failed(staged.commit(rewriter, root, layer)))
        return failure();
      rewriter.replaceOp(root, layer.getOutput());
      eraseDead(rewriter,
                blockOps({*ffnBlock, *attnBlock, *selfBlock}, placement, root));
      return success();
    }

    if (!isSelf(attention))
      return failure();
    auto layer = EncoderLayerOp::create(
        staged.builder, root->getLoc(), resultType, attnBlock->input,
        attention.getQWeight(), attention.getQBias(), attention.getKWeight(),
        attention.getKBias(), attention.getVWeight(), attention.getVBias(),
        attention.getOWeight(), attention.getOBias(),
        attnBlock->norm.getGamma(), attnBlock->norm.getBeta(), ffn.getW1(),
        ffn.getB1(), ffn.getW2(), ffn.getB2(), ffnBlock->norm.getGamma(),
        ffnBlock->norm.getBeta(), attention.getMask(),
        attention.getNumHeadsAttr(), attention.getNumKvHeadsAttr(), norm,
        ffn.getActivationAttr(), epsilon, attention.getScaleAttr(),
        attention.getSoftcapAttr(), attention.getScoreAttr(),
        attention.getCausalAttr(), attention.getWindowAttr());
    if (failed(staged.commit(rewriter, root, layer)))
      return failure();
    rewriter.replaceOp(root, layer.getOutput());
    eraseDead(rewriter, blockOps({*ffnBlock, *attnBlock}, placement, root));
    return success();
  }

private:
  /// The ops of `blocks` (outermost first), users before producers; the
  /// root, already replaced, is not among them.
  static SmallVector<Operation *> blockOps(ArrayRef<Block> blocks,
                                          NormPlacement placement,
                                          Operation *root) {
    SmallVector<Operation *> ops;
    for (const Block &block : blocks) {
      // Post-norm: norm(add(x, f(x))); pre-norm: add(x, f(norm(x))).
      SmallVector<Operation *> order =
          placement == NormPlacement::Post ? SmallVector<Operation *>{block.norm, block.add, block.sublayer}
               : SmallVector<Operation *>{block.add, block.sublayer,
                                          block.norm};
      for (Operation *op : order)
        if (op != root && !llvm::is_contained(ops, op))
          ops.push_back(op);
    }
    return ops;
  }
};

struct AttnRaiseLayersPass
    : attn::impl::AttnRaiseLayersBase<AttnRaiseLayersPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<RaiseMultihead, RaiseFFN, RaiseLayer>(ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
