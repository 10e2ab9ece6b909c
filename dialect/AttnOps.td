//===- AttnOps.td - Operations of the attn dialect ------------------------===//

#ifndef ATTNC_DIALECT_ATTNOPS_TD
#define ATTNC_DIALECT_ATTNOPS_TD

include "dialect/AttnBase.td"
include "dialect/AttnInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Undotted attributes an op does not define are errors (AttnOps.h).
def Attn_KnownAttributesOnly : NativeOpTrait<"KnownAttributesOnly"> {
  let cppNamespace = "::mlir::attn";
}

// The ops that carry attention settings; each implements
// getAttentionSettings in AttnOps.cpp.
defvar Attn_HasAttentionSettings =
    DeclareOpInterfaceMethods<Attn_AttentionOpInterface>;

class Attn_Op<string mnemonic, list<Trait> traits = []>
    : Op<Attn_Dialect, mnemonic,
         !listconcat([Pure, Attn_KnownAttributesOnly], traits)>;

// How scores are formed; shared by every op that computes q.k scores.
defvar Attn_ScoreAttrs = (ins
  OptionalAttr<F64Attr>:$scale,
  OptionalAttr<F64Attr>:$softcap,
  DefaultValuedAttr<Attn_ScoreKindAttr, "::mlir::attn::ScoreKind::Dot">:$score
);

// Which keys a query sees, besides an explicit mask.
defvar Attn_VisibilityAttrs = (ins
  UnitAttr:$causal,
  OptionalAttr<DenseI64ArrayAttr>:$window
);

defvar Attn_AttentionAttrsDoc = [{
    Attributes:
    - `scale`: multiplies the score; defaults to `1/sqrt(D)`.
    - `softcap`: when set to `c`, the scaled score `s` becomes
      `c * tanh(s / c)`, before the mask is applied.
    - `score`: `#attn.score<dot>` (default) or `#attn.score<cosine>`, the
      cosine similarity `q/max(|q|,1e-12) . k/max(|k|,1e-12)` times `scale`.
    - `causal`: bottom-right aligned, so query `i` sees key `j` iff
      `j <= i + Lk - Lq` (the convention of FlashAttention and of PyTorch's
      `causal_lower_right`; with a KV cache the newest query sees every key).
    - `window = array<i64: left, right>`: local attention; query `i` sees keys
      `j` with `d - left <= j <= d + right` around the same diagonal
      `d = i + Lk - Lq`. `-1` leaves a side unbounded. Combined with `causal`,
      both must allow the key.

    A query row with no visible key (or only `-inf` scores) yields 0, never
    NaN.
}];

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

def Attn_SDPAOp : Attn_Op<"sdpa", [Attn_HasAttentionSettings]> {
  let summary = "scaled dot-product attention";
  let description = !strconcat([{
    `softmax(scale * score(Q, K) + mask) V` over tensors in `[batch, heads,
    length, head_dim]` layout:
    - `query`: `[B, Hq, Lq, D]`
    - `key`: `[B, Hkv, Lk, D]`
    - `value`: `[B, Hkv, Lk, Dv]`
    - `mask` (optional): broadcastable (numpy rules) to `[B, Hq, Lq, Lk]`;
      `i1` hides keys where false, a float of the query's element type is
      added to the scores.

    Grouped-query and multi-query attention: `Hq` must be a multiple of
    `Hkv`; query head `h` reads KV head `h / (Hq / Hkv)`. `B`, `Lq` and `Lk`
    may be dynamic; heads and head dims are static.

    The first result is the output `[B, Hq, Lq, Dv]`. When a second result is
    present it receives the attention weights (the softmax probabilities, 0
    where hidden) `[B, Hq, Lq, Lk]`, for inspection and visualisation;
    asking for them costs a second pass over the scores.

  }], Attn_AttentionAttrsDoc, [{

    Example:

    ```mlir
    %o = attn.sdpa %q, %k, %v {causal}
        : (tensor<1x8x128x64xf16>, tensor<1x2x128x64xf16>,
           tensor<1x2x128x64xf16>) -> tensor<1x8x128x64xf16>
    %o2, %w = attn.sdpa %q, %k, %v mask(%m) {window = array<i64: 64, 0>}
        : (tensor<1x8x128x64xf16>, tensor<1x2x128x64xf16>,
           tensor<1x2x128x64xf16>, tensor<1x1x128x128xi1>)
        -> (tensor<1x8x128x64xf16>, tensor<1x8x128x128xf16>)
    ```
  }]);
  let arguments = !con((ins
    Attn_FloatTensor:$query,
    Attn_FloatTensor:$key,
    Attn_FloatTensor:$value,
    Optional<Attn_MaskTensor>:$mask
  ), Attn_ScoreAttrs, Attn_VisibilityAttrs);
  let results = (outs Attn_FloatTensor:$output,
                      Optional<Attn_FloatTensor>:$weights);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`mask` `(` $mask^ `)`)? attr-dict
    `:` functional-type(operands, results)
  }];
  let builders = [
    // Infers the result types from the operands; attributes start unset
    // (default scale, not causal, no window, dot score).
    OpBuilder<(ins "::mlir::Value":$query, "::mlir::Value":$key,
                   "::mlir::Value":$value,
                   CArg<"::mlir::Value", "{}">:$mask,
                   CArg<"bool", "false">:$returnWeights)>
  ];
  let extraClassDeclaration = [{
    /// The scale actually applied: `scale`, or 1/sqrt(D) when it is unset.
    double getEffectiveScale();
  }];
  let hasVerifier = 1;
  let hasCanonicalizeMethod = 1;
}

def Attn_HardOp : Attn_Op<"hard", [Attn_HasAttentionSettings]> {
  let summary = "hard attention: each query takes the value at its best key";
  let description = !strconcat([{
    Scores queries against keys exactly as `attn.sdpa` does (same shapes,
    GQA rule, mask and attributes), but instead of a softmax-weighted sum
    each query takes the value row of its highest-scoring visible key. The
    lowest key index wins ties.

  }], Attn_AttentionAttrsDoc, [{

    Example:

    ```mlir
    %o = attn.hard %q, %k, %v {causal}
        : (tensor<2x4x16x32xf32>, tensor<2x4x16x32xf32>,
           tensor<2x4x16x32xf32>) -> tensor<2x4x16x32xf32>
    ```
  }]);
  let arguments = !con((ins
    Attn_FloatTensor:$query,
    Attn_FloatTensor:$key,
    Attn_FloatTensor:$value,
    Optional<Attn_MaskTensor>:$mask
  ), Attn_ScoreAttrs, Attn_VisibilityAttrs);
  let results = (outs Attn_FloatTensor:$output);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`mask` `(` $mask^ `)`)? attr-dict
    `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// The scale actually applied: `scale`, or 1/sqrt(D) when it is unset.
    double getEffectiveScale();
  }];
  let hasVerifier = 1;
  let hasCanonicalizeMethod = 1;
}

def Attn_AdditiveOp : Attn_Op<"additive", [AttrSizedOperandSegments]> {
  let summary = "additive (Bahdanau) attention";
  let description = [{
    `score[b, i, j] = energy . tanh(query_weight q[b, i] + key_weight k[b, j]
    + bias)`, then the mask, a softmax over `j`, and the weighted sum of the
    value rows:
    - `query`: `[B, Lq, Dq]`, `key`: `[B, Lk, Dk]`, `value`: `[B, Lk, Dv]`
    - `query_weight`: `[A, Dq]`, `key_weight`: `[A, Dk]`, `energy`: `[A]`
    - `bias` (optional): `[A]`; the sum of the biases of both projections
      (the bias of the energy projection cancels in the softmax).
    - `mask` (optional): broadcastable to `[B, Lq, Lk]`, `i1` or float.

    Results: the output `[B, Lq, Dv]` and, when asked for, the alignment
    weights `[B, Lq, Lk]`. A query with no visible key yields 0.

    Example:

    ```mlir
    %o = attn.additive %q, %k, %v, %wq, %wk, %energy bias(%b)
        : (tensor<2x5x16xf32>, tensor<2x7x12xf32>, tensor<2x7x12xf32>,
           tensor<8x16xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<8xf32>)
        -> tensor<2x5x12xf32>
    ```
  }];
  let arguments = (ins
    Attn_FloatTensor:$query,
    Attn_FloatTensor:$key,
    Attn_FloatTensor:$value,
    Attn_FloatTensor:$query_weight,
    Attn_FloatTensor:$key_weight,
    Attn_FloatTensor:$energy,
    Optional<Attn_FloatTensor>:$bias,
    Optional<Attn_MaskTensor>:$mask
  );
  let results = (outs Attn_FloatTensor:$output,
                      Optional<Attn_FloatTensor>:$weights);
  let assemblyFormat = [{
    $query `,` $key `,` $value `,` $query_weight `,` $key_weight `,` $energy
    (`bias` `(` $bias^ `)`)? (`mask` `(` $mask^ `)`)? attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasCanonicalizeMethod = 1;
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

class Attn_SoftmaxLikeOp<string mnemonic, string formula>
    : Attn_Op<mnemonic, [SameOperandsAndResultType,
                         DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
                             ["reifyResultShapes"]>]> {
  let summary = formula # " along one axis";
  let description = [{
    Computes }] # formula # [{ of `input` along `axis`, which may be
    negative to count from the last dimension (canonicalization makes it
    non-negative). A slice whose values are all `-inf` gives 0 for softmax
    and `-inf` for log-softmax, so a fully masked attention row stays finite.

    Example:

    ```mlir
    %p = attn.}] # mnemonic # [{ %s axis(-1) : tensor<2x8x16x16xf32>
    ```
  }];
  let arguments = (ins Attn_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Attn_FloatTensor:$output);
  let assemblyFormat = [{
    $input `axis` `(` $axis `)` attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
  let hasCanonicalizeMethod = 1;
}

def Attn_SoftmaxOp : Attn_SoftmaxLikeOp<"softmax", "softmax">;
def Attn_LogSoftmaxOp : Attn_SoftmaxLikeOp<"log_softmax", "log-softmax">;

//===----------------------------------------------------------------------===//
// Transformer building blocks
//===----------------------------------------------------------------------===//

def Attn_MultiheadOp : Attn_Op<"multihead", [Attn_HasAttentionSettings]> {
  let summary = "multi-head attention with its input and output projections";
  let description = !strconcat([{
    PyTorch's `nn.MultiheadAttention` on batch-first inputs, generalised to
    grouped-query attention:
    - `query`: `[B, Lq, Eq]`; `key`: `[B, Lk, Ek]`; `value`: `[B, Lk, Ev]`.
      Pass the same value three times for self-attention, or the encoder
      memory as key and value for cross-attention.
    - `q_proj(W, b)`: `[Hq*D, Eq]`, `[Hq*D]`
    - `k_proj(W, b)`: `[Hkv*D, Ek]`, `[Hkv*D]`
    - `v_proj(W, b)`: `[Hkv*Dv, Ev]`, `[Hkv*Dv]`
    - `out_proj(W, b)`: `[Eo, Hq*Dv]`, `[Eo]`
    - `mask` (optional): as `attn.sdpa`, broadcastable to `[B, Hq, Lq, Lk]`.

    `num_heads` is `Hq`; `num_kv_heads` (default: `num_heads`) is `Hkv`. Head
    `h` uses rows `[h*D, (h+1)*D)` of the projection. Results: the output
    `[B, Lq, Eo]` and, when asked for, the weights `[B, Hq, Lq, Lk]`.

  }], Attn_AttentionAttrsDoc, [{

    Example:

    ```mlir
    %y = attn.multihead %x, %x, %x q_proj(%wq, %bq) k_proj(%wk, %bk)
        v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 8 : i64}
        : (...) -> tensor<2x16x512xf32>
    ```
  }]);
  let arguments = !con((ins
    Attn_FloatTensor:$query,
    Attn_FloatTensor:$key,
    Attn_FloatTensor:$value,
    Attn_FloatTensor:$q_weight,
    Attn_FloatTensor:$q_bias,
    Attn_FloatTensor:$k_weight,
    Attn_FloatTensor:$k_bias,
    Attn_FloatTensor:$v_weight,
    Attn_FloatTensor:$v_bias,
    Attn_FloatTensor:$o_weight,
    Attn_FloatTensor:$o_bias,
    Optional<Attn_MaskTensor>:$mask,
    I64Attr:$num_heads,
    OptionalAttr<I64Attr>:$num_kv_heads
  ), Attn_ScoreAttrs, Attn_VisibilityAttrs);
  let results = (outs Attn_FloatTensor:$output,
                      Optional<Attn_FloatTensor>:$weights);
  let assemblyFormat = [{
    $query `,` $key `,` $value
    `q_proj` `(` $q_weight `,` $q_bias `)`
    `k_proj` `(` $k_weight `,` $k_bias `)`
    `v_proj` `(` $v_weight `,` $v_bias `)`
    `out_proj` `(` $o_weight `,` $o_bias `)`
    (`mask` `(` $mask^ `)`)? attr-dict
    `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// Hkv: `num_kv_heads`, or `num_heads` when it is unset.
    int64_t getEffectiveNumKvHeads();
  }];
  let hasVerifier = 1;
  let hasCanonicalizeMethod = 1;
}

def Attn_LinearOp : Attn_Op<"linear", [AttrSizedOperandSegments,
                                      DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
                             ["reifyResultShapes"]>]> {
  let summary = "affine map over the last dimension, with an optional "
                "activation and residual";
  let description = [{
    `y = act(x W^T + b) + r`, as `nn.Linear` followed by an optional
    activation and an optional residual connection: `input` `[..., in]`,
    `weight` `[out, in]`, optional `bias` `[out]`, optional `residual` of the
    result's type, optional `activation` (`relu`, `gelu`, `gelu_tanh`, as in
    `attn.ffn`); the result is `[..., out]`. Each part is applied in that
    order: bias, activation, residual.

    The activation and residual let a linear layer be compiled as one
    kernel whose epilogue applies them while its output is still in
    registers; `attn-fuse-epilogues` folds a following activation or
    residual add into the op, and decomposing an FFN produces its first
    layer with the activation.

    ```mlir
    %y = attn.linear %x, %w, %b
        : (tensor<2x16x64xf32>, tensor<128x64xf32>, tensor<128xf32>)
        -> tensor<2x16x128xf32>
    %h = attn.linear %x, %w1, %b1 {activation = #attn.activation<gelu>}
        : (tensor<2x16x64xf32>, tensor<256x64xf32>, tensor<256xf32>)
        -> tensor<2x16x256xf32>
    %z = attn.linear %h, %w2, %b2 residual(%x)
        : (tensor<2x16x256xf32>, tensor<64x256xf32>, tensor<64xf32>,
           tensor<2x16x64xf32>) -> tensor<2x16x64xf32>
    ```
  }];
  let arguments = (ins Attn_FloatTensor:$input, Attn_FloatTensor:$weight,
                       Optional<Attn_FloatTensor>:$bias,
                       Optional<Attn_FloatTensor>:$residual,
                       OptionalAttr<Attn_ActivationAttr>:$activation);
  let results = (outs Attn_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? (`residual` `(` $residual^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let builders = [
    // A plain nn.Linear.
    OpBuilder<(ins "::mlir::Type":$output, "::mlir::Value":$input,
                   "::mlir::Value":$weight, "::mlir::Value":$bias), [{
      build($_builder, $_state, output, input, weight, bias,
            /*residual=*/::mlir::Value(), /*activation=*/nullptr);
    }]>
  ];
  let hasVerifier = 1;
}

def Attn_LayerNormOp : Attn_Op<"layer_norm", [
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
                             ["reifyResultShapes"]>]> {
  let summary = "layer normalisation over the last dimension";
  let description = [{
    `(x - mean) / sqrt(var + epsilon) * gamma + beta` with the biased
    variance, over the last dimension `N` of `input`; `gamma` and `beta` are
    `[N]`. `epsilon` defaults to 1e-5 and must be positive.

    ```mlir
    %y = attn.layer_norm %x, %g, %b {epsilon = 1.0e-12 : f64}
        : (tensor<2x16x64xf32>, tensor<64xf32>, tensor<64xf32>)
        -> tensor<2x16x64xf32>
    ```
  }];
  let arguments = (ins Attn_FloatTensor:$input, Attn_FloatTensor:$gamma,
                       Attn_FloatTensor:$beta,
                       DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs Attn_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $gamma `,` $beta attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Attn_FFNOp : Attn_Op<"ffn"> {
  let summary = "position-wise feed-forward block";
  let description = [{
    `linear(act(linear(x, w1, b1)), w2, b2)`: `input` `[..., E]`, `w1`
    `[F, E]`, `b1` `[F]`, `w2` `[E, F]`, `b2` `[E]`. `activation` is
    `#attn.activation<relu>` (default), `<gelu>` (exact, with erf) or
    `<gelu_tanh>` (the tanh approximation).

    ```mlir
    %y = attn.ffn %x, %w1, %b1, %w2, %b2
        {activation = #attn.activation<gelu>}
        : (tensor<2x16x64xf32>, tensor<256x64xf32>, tensor<256xf32>,
           tensor<64x256xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
    ```
  }];
  let arguments = (ins
    Attn_FloatTensor:$input,
    Attn_FloatTensor:$w1, Attn_FloatTensor:$b1,
    Attn_FloatTensor:$w2, Attn_FloatTensor:$b2,
    DefaultValuedAttr<Attn_ActivationAttr,
                      "::mlir::attn::Activation::Relu">:$activation
  );
  let results = (outs Attn_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $w1 `,` $b1 `,` $w2 `,` $b2 attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Attn_EmbeddingOp : Attn_Op<"embedding", [
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
                             ["reifyResultShapes"]>]> {
  let summary = "token embedding lookup";
  let description = [{
    Gathers the rows of `table` `[V, E]` named by the integer `indices`
    (any shape `[...]`) and multiplies them by `scale` (default 1; the
    original Transformer uses `sqrt(E)`). The result is `[..., E]`. An index
    outside `[0, V)` at run time is an error reported by the runtime.

    ```mlir
    %e = attn.embedding %ids, %table
        : (tensor<2x16xi64>, tensor<1000x64xf32>) -> tensor<2x16x64xf32>
    ```
  }];
  let arguments = (ins Attn_IndexTensor:$indices, Attn_FloatTensor:$table,
                       DefaultValuedAttr<F64Attr, "1.0">:$scale);
  let results = (outs Attn_FloatTensor:$output);
  let assemblyFormat = [{
    $indices `,` $table attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Attn_PositionalEncodingOp : Attn_Op<"positional_encoding"> {
  let summary = "adds position encodings to a sequence";
  let description = [{
    Returns `input + pe[0 .. L)` for `input` `[B, L, E]`:
    - `#attn.positional<sinusoidal>`: `pe[p, 2i] = sin(p / 10000^(2i/E))`,
      `pe[p, 2i+1] = cos(p / 10000^(2i/E))`; no `table`.
    - `#attn.positional<learned>`: `pe = table`, `[max_len, E]`, which must
      cover `L`.

    ```mlir
    %y = attn.positional_encoding %x {kind = #attn.positional<sinusoidal>}
        : (tensor<2x16x64xf32>) -> tensor<2x16x64xf32>
    ```
  }];
  let arguments = (ins Attn_FloatTensor:$input,
                       Optional<Attn_FloatTensor>:$table,
                       Attn_PositionalKindAttr:$kind);
  let results = (outs Attn_FloatTensor:$output);
  let assemblyFormat = [{
    $input (`,` $table^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

defvar Attn_LayerAttrs = (ins
  I64Attr:$num_heads,
  OptionalAttr<I64Attr>:$num_kv_heads,
  DefaultValuedAttr<Attn_NormPlacementAttr,
                    "::mlir::attn::NormPlacement::Post">:$norm,
  DefaultValuedAttr<Attn_ActivationAttr,
                    "::mlir::attn::Activation::Relu">:$activation,
  DefaultValuedAttr<F64Attr, "1e-5">:$epsilon
);

defvar Attn_LayerAttrsDoc = [{
    Layer attributes: `num_heads`, `num_kv_heads` (default `num_heads`),
    `norm` (`#attn.norm<post>`, the default and the original Transformer's,
    or `#attn.norm<pre>`), `activation` of the FFN (default relu) and the
    LayerNorm `epsilon` (default 1e-5).
}];

def Attn_EncoderLayerOp : Attn_Op<"encoder_layer",
                                  [Attn_HasAttentionSettings]> {
  let summary = "Transformer encoder layer: self-attention, then FFN";
  let description = !strconcat([{
    On `input` `[B, L, E]`:
    - post-norm: `x = norm1(x + SA(x)); x = norm2(x + FFN(x))`
    - pre-norm:  `x = x + SA(norm1(x)); x = x + FFN(norm2(x))`

    `SA` is `attn.multihead` self-attention with the `self_attn` projections
    (q, k, v, out; each weight then bias), the optional `mask`
    (broadcastable to `[B, Hq, L, L]`, e.g. a `[B, 1, 1, L]` key padding mask)
    and the attention attributes; `FFN` is `attn.ffn`.

  }], Attn_LayerAttrsDoc, Attn_AttentionAttrsDoc, [{

    Example:

    ```mlir
    %y = attn.encoder_layer %x
        self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo)
        norm1(%g1, %b1) ffn(%w1, %b1f, %w2, %b2f) norm2(%g2, %b2)
        {num_heads = 4 : i64, norm = #attn.norm<pre>}
        : (...) -> tensor<2x16x64xf32>
    ```
  }]);
  let arguments = !con((ins
    Attn_FloatTensor:$input,
    Attn_FloatTensor:$q_weight, Attn_FloatTensor:$q_bias,
    Attn_FloatTensor:$k_weight, Attn_FloatTensor:$k_bias,
    Attn_FloatTensor:$v_weight, Attn_FloatTensor:$v_bias,
    Attn_FloatTensor:$o_weight, Attn_FloatTensor:$o_bias,
    Attn_FloatTensor:$norm1_gamma, Attn_FloatTensor:$norm1_beta,
    Attn_FloatTensor:$ffn_w1, Attn_FloatTensor:$ffn_b1,
    Attn_FloatTensor:$ffn_w2, Attn_FloatTensor:$ffn_b2,
    Attn_FloatTensor:$norm2_gamma, Attn_FloatTensor:$norm2_beta,
    Optional<Attn_MaskTensor>:$mask
  ), Attn_LayerAttrs, Attn_ScoreAttrs, Attn_VisibilityAttrs);
  let results = (outs Attn_FloatTensor:$output);
  let assemblyFormat = [{
    $input
    `self_attn` `(` $q_weight `,` $q_bias `,` $k_weight `,` $k_bias `,`
                    $v_weight `,` $v_bias `,` $o_weight `,` $o_bias `)`
    `norm1` `(` $norm1_gamma `,` $norm1_beta `)`
    `ffn` `(` $ffn_w1 `,` $ffn_b1 `,` $ffn_w2 `,` $ffn_b2 `)`
    `norm2` `(` $norm2_gamma `,` $norm2_beta `)`
    (`mask` `(` $mask^ `)`)? attr-dict
    `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// Hkv: `num_kv_heads`, or `num_heads` when it is unset.
    int64_t getEffectiveNumKvHeads();
  }];
  let hasVerifier = 1;
  let hasCanonicalizeMethod = 1;
}

def Attn_DecoderLayerOp : Attn_Op<"decoder_layer",
                                  [AttrSizedOperandSegments,
                                   Attn_HasAttentionSettings]> {
  let summary = "Transformer decoder layer: causal self-attention, "
                "cross-attention, then FFN";
  let description = !strconcat([{
    On `input` `[B, Lt, E]` with the encoder `memory` `[B, Ls, Em]`:
    - post-norm: `x = norm1(x + SA(x)); x = norm2(x + CA(x, memory));
      x = norm3(x + FFN(x))`
    - pre-norm: `x = x + SA(norm1(x)); x = x + CA(norm2(x), memory);
      x = x + FFN(norm3(x))`

    `SA` is always causal (bottom-right aligned) self-attention, with the
    optional `window` and `self_mask` (broadcastable to `[B, Hq, Lt, Lt]`).
    `CA` attends to all of `memory`, with the optional `memory_mask`
    (broadcastable to `[B, Hq, Lt, Ls]`); `scale`, `softcap` and `score`
    apply to both attentions.

  }], Attn_LayerAttrsDoc, [{

    Example:

    ```mlir
    %y = attn.decoder_layer %x, %memory
        self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %b1)
        cross_attn(%cq, %cbq, %ck, %cbk, %cv, %cbv, %co, %cbo) norm2(%g2, %b2)
        ffn(%w1, %b1f, %w2, %b2f) norm3(%g3, %b3)
        {num_heads = 4 : i64}
        : (...) -> tensor<2x9x64xf32>
    ```
  }]);
  let arguments = !con((ins
    Attn_FloatTensor:$input,
    Attn_FloatTensor:$memory,
    Attn_FloatTensor:$q_weight, Attn_FloatTensor:$q_bias,
    Attn_FloatTensor:$k_weight, Attn_FloatTensor:$k_bias,
    Attn_FloatTensor:$v_weight, Attn_FloatTensor:$v_bias,
    Attn_FloatTensor:$o_weight, Attn_FloatTensor:$o_bias,
    Attn_FloatTensor:$norm1_gamma, Attn_FloatTensor:$norm1_beta,
    Attn_FloatTensor:$cross_q_weight, Attn_FloatTensor:$cross_q_bias,
    Attn_FloatTensor:$cross_k_weight, Attn_FloatTensor:$cross_k_bias,
    Attn_FloatTensor:$cross_v_weight, Attn_FloatTensor:$cross_v_bias,
    Attn_FloatTensor:$cross_o_weight, Attn_FloatTensor:$cross_o_bias,
    Attn_FloatTensor:$norm2_gamma, Attn_FloatTensor:$norm2_beta,
    Attn_FloatTensor:$ffn_w1, Attn_FloatTensor:$ffn_b1,
    Attn_FloatTensor:$ffn_w2, Attn_FloatTensor:$ffn_b2,
    Attn_FloatTensor:$norm3_gamma, Attn_FloatTensor:$norm3_beta,
    Optional<Attn_MaskTensor>:$self_mask,
    Optional<Attn_MaskTensor>:$memory_mask,
    OptionalAttr<DenseI64ArrayAttr>:$window
  ), Attn_LayerAttrs, Attn_ScoreAttrs);
  let results = (outs Attn_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $memory
    `self_attn` `(` $q_weight `,` $q_bias `,` $k_weight `,` $k_bias `,`
                    $v_weight `,` $v_bias `,` $o_weight `,` $o_bias `)`
    `norm1` `(` $norm1_gamma `,` $norm1_beta `)`
    `cross_attn` `(` $cross_q_weight `,` $cross_q_bias `,`
                     $cross_k_weight `,` $cross_k_bias `,`
                     $cross_v_weight `,` $cross_v_bias `,`
                     $cross_o_weight `,` $cross_o_bias `)`
    `norm2` `(` $norm2_gamma `,` $norm2_beta `)`
    `ffn` `(` $ffn_w1 `,` $ffn_b1 `,` $ffn_w2 `,` $ffn_b2 `)`
    `norm3` `(` $norm3_gamma `,` $norm3_beta `)`
    (`self_mask` `(` $self_mask^ `)`)?
    (`memory_mask` `(` $memory_mask^ `)`)? attr-dict
    `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// Hkv: `num_kv_heads`, or `num_heads` when it is unset.
    int64_t getEffectiveNumKvHeads();
  }];
  let hasVerifier = 1;
  let hasCanonicalizeMethod = 1;
}

#endif // ATTNC_DIALECT_ATTNOPS_TD
