//===- Passes.td - attnc's transformation passes ---------------------------===//

#ifndef ATTNC_PASSES_PASSES_TD
#define ATTNC_PASSES_PASSES_TD

include "mlir/Pass/PassBase.td"

def AttnDecompose : Pass<"attn-decompose"> {
  let summary = "Expand composite attn ops into attn.sdpa plus linalg, "
                "tensor and arith";
  let description = [{
    Rewrites encoder and decoder layers, multi-head attention, FFN,
    LayerNorm, linear layers, embeddings, positional encodings, additive
    attention and softmax into `attn.sdpa` (and `attn.hard`) plus upstream
    linalg, tensor and arith ops, so that only the attention core is left for
    `attn-tile-flash`. Weights keep the `[out, in]` layout; the matmuls read
    them transposed through their indexing maps rather than copying them.

    `keep` names ops to leave as they are, for a lowering that has kernels
    for them (the CPU pipeline keeps `linear`, `layer_norm` and `embedding`
    for `attn-lower-to-ukernels`, then decomposes what that pass did not
    take). An FFN always becomes two `attn.linear` ops, the first carrying
    the activation.
  }];
  let options = [
    ListOption<"keep", "keep", "std::string",
               "Ops to leave undecomposed: linear, layer_norm, embedding, "
               "softmax, log_softmax">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
}

def AttnRaiseLayerNorm : Pass<"attn-raise-layer-norm"> {
  let summary = "Replace a LayerNorm formula over the last axis with "
                "attn.layer_norm";
  let description = [{
    Finds `(x - mean(x)) / sqrt(var(x) + eps) * gamma + beta` over the last
    axis of `x`, written as an exporter writes it: ReduceMean (a row sum,
    then a division by the count, perhaps reshaped to keep the axis), Sub,
    Pow 2 or Mul, ReduceMean, Add eps, Sqrt, Div (or Reciprocal and Mul, or
    Rsqrt), Mul gamma, Add beta, as elementwise linalg ops or arith/math
    ops on tensors, in any association order. It becomes
    `attn.layer_norm x, gamma, beta {epsilon}`, with the epsilon of the Add
    and gamma and beta from the Mul and Add (a missing one becomes a
    constant of ones or zeros). The variance must be the mean of the
    squared centered values (the op's own two-pass formula); constants must
    match within float rounding; every intermediate value must feed only
    the formula.
  }];
  let dependentDialects = ["::mlir::attn::AttnDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

def AttnRaiseLinear : Pass<"attn-raise-linear"> {
  let summary = "Replace a matmul by a constant weight (plus a constant "
                "bias, and an activation) with attn.linear";
  let description = [{
    `x [..., K] · W [K, N]` with `W` a constant (`arith.constant` dense or
    dense_resource, or a `linalg.transpose` of one), as a contraction
    `linalg.generic` or `linalg.matmul` into a zero-filled tensor, followed
    by an elementwise add of a constant `[N]` bias (any unit-padded shape,
    or a splat), becomes `attn.linear x, Wᵀ, b`: `Wᵀ [N, K]` is a new
    constant transposed at compile time, once per weight. A weight already
    read as `[N, K]` (a transposed map, as a Gemm with transB gives) is used
    as it is.

    Then an `attn.linear` without an activation whose result feeds only an
    erf- or tanh-GELU formula (any association order, Div by √2 or Mul by
    1/√2, Pow 3 or x·x·x, one op per node or one linalg.generic for the
    whole formula) or a ReLU (max with 0, or a select) takes it as its
    `activation`. GELU's constants must match within float rounding.
  }];
  let dependentDialects = ["::mlir::attn::AttnDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

def AttnFuse : Pass<"attn-fuse"> {
  let summary = "Replace an unfused attention chain with one attn.sdpa";
  let description = [{
    Recognises `Q·Kᵀ` (a batch matmul), an optional scale, an optional mask
    (added, or applied with a select), a softmax over the keys and a batch
    matmul with `V`, written in linalg and attn ops, and replaces the chain
    with a single `attn.sdpa`. It does not fire when an intermediate value
    has another user, since the chain must then stay materialised.

    Exported forms too (passes/README.md): a scale by Mul or Div, on the
    scores or on Q and Kᵀ; Kᵀ through `linalg.transpose`s of any base
    layout; masks broadcast with unit dimensions read at 0; PyTorch's
    `where(isnan(p), 0, p)` guard after the softmax; and a causal mask (a
    constant triangle or an index formula such as Trilu's) as the `causal`
    attribute when the query and key lengths are equal.

    Then, once every chain is fused, an sdpa mask `[B, H, Lq, Lk]` whose
    value provably does not depend on the query index (PyTorch's padding
    mask, and-ed with a Range compared with 0) is recomputed as
    `[B, H, 1, Lk]`, so the kernel reads a row rather than a matrix.
  }];
  let dependentDialects = ["::mlir::attn::AttnDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def AttnRaiseLayers : Pass<"attn-raise-layers"> {
  let summary = "Raise projections, attn.sdpa and FFN chains to "
                "attn.multihead, attn.ffn and the layer ops";
  let description = [{
    Bottom up, each rewrite exact (the raised op decomposes into the ops it
    replaced):
    - `attn.linear` (no activation or residual) of the heads of an
      `attn.sdpa` merged back (transposes composing to `[0, 2, 1, 3]`,
      `collapse_shape`), whose query, key and value are projections split
      into heads (`expand_shape`, transposes composing to `[0, 2, 1, 3]`),
      becomes `attn.multihead` with the sdpa's mask and attributes
      (`num_kv_heads` when K and V have fewer heads);
    - `attn.linear` of an `attn.linear` with an activation becomes
      `attn.ffn`;
    - residual blocks, post-norm `norm(x + f(x))` or pre-norm
      `x + f(norm(x))` (the add a `linalg.add` or an adding
      `linalg.generic`): self-attention then FFN become
      `attn.encoder_layer`; causal self-attention, cross-attention (key and
      value one memory tensor) and FFN become `attn.decoder_layer`. The
      LayerNorms must share one epsilon, the two attentions of a decoder
      their heads, scale, softcap and score.

    A missing bias becomes a zero constant. Intermediate values must have
    no other users (tensor.dims of them are resolved), and the raised op
    must verify, else nothing changes.
  }];
  let dependentDialects = ["::mlir::attn::AttnDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

def AttnFuseEpilogues : Pass<"attn-fuse-epilogues"> {
  let summary = "Fold residual adds into the attn.linear that produces one "
                "of their operands";
  let description = [{
    `x + attn.linear(y, W, b)` (a `linalg.add`, or a `linalg.generic` that
    adds its two inputs elementwise with identity maps) becomes
    `attn.linear y, W, b residual(x)` when the linear layer has no other
    user and no residual yet. The CPU lowering then adds `x` in the linear
    kernel's epilogue, saving a pass over memory. Runs after
    `attn-decompose` (which leaves the residual connections of layers as
    such adds) and `convert-elementwise-to-linalg`.
  }];
  let dependentDialects = ["::mlir::attn::AttnDialect",
                           "::mlir::tensor::TensorDialect"];
}

def AttnTileFlash : Pass<"attn-tile-flash"> {
  let summary = "Rewrite attn.sdpa and attn.hard into tiled flash-attention "
                "loops with an online softmax";
  let description = [{
    Each `attn.sdpa` becomes an `scf.forall` over (batch, head, query block).
    Inside, an `scf.for` over key/value blocks carries the running row max,
    the running row sum and the unnormalised output accumulator; scores use
    `exp2` with `log2(e)` folded into the scale, and one normalisation ends
    the block. The Lq×Lk score matrix is never materialised.

    The key loop covers only the blocks that intersect the causal/window
    band; blocks entirely inside the band skip the mask arithmetic. Grouped
    query attention reads the shared key/value head in place. Tails of
    lengths that are not a multiple of the block size are computed on
    zero-padded tiles with a bounds mask.

    Scores are formed with the keys as rows and the queries as columns
    (`Sᵀ = K·Qᵀ`), so that on a CPU the vector lanes run over queries: row
    max and row sum are lane-wise, and neither K nor V is ever transposed.

    Each loop nest is built in a private function (`@__attnc_flash`,
    inserted after the function that uses it) and called, so that the
    identical attention of every layer of a model is compiled once. When
    the key length is dynamic and no block size is given, one function per
    range of key lengths is built (32×64 blocks up to 256 keys, 64×256
    beyond) and an `scf.if` on the run-time length picks one: short
    sequences are not padded to a long block.

    `attn.hard` becomes the same loop nest with a running (max, argmax)
    instead of the softmax state. Asking `attn.sdpa` for its weights adds a
    second pass over the key blocks that writes the normalised
    probabilities.
  }];
  let options = [
    Option<"queryBlock", "query-block", "int64_t", /*default=*/"0",
           "Queries per block (0: choose from the shapes)">,
    Option<"keyBlock", "key-block", "int64_t", /*default=*/"0",
           "Keys per block (0: choose from the shapes)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect"
  ];
}

#endif // ATTNC_PASSES_PASSES_TD
