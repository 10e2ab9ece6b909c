//===- AttnBase.td - The attn dialect, its enums and type constraints -----===//

#ifndef ATTNC_DIALECT_ATTNBASE_TD
#define ATTNC_DIALECT_ATTNBASE_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/OpBase.td"

def Attn_Dialect : Dialect {
  let name = "attn";
  let cppNamespace = "::mlir::attn";
  let summary = "Attention and the Transformer graphs built from it";
  let description = [{
    The `attn` dialect describes attention at the level a model author thinks
    in: scaled dot-product, additive (Bahdanau) and hard attention, softmax,
    multi-head attention with its projections, and the layers of encoder and
    decoder Transformers. Every op has value semantics on ranked builtin
    tensors of `f32`, `f16` or `bf16`.

    Masking is part of the ops, not of the data: `causal` and `window` are
    attributes, so later passes can skip whole tiles that no query sees
    instead of reading an Lq x Lk mask. An explicit `mask` operand is for
    everything else (padding, arbitrary patterns); it is `i1`, where true
    means "attend", or a float of the query's element type that is added to
    the scores.

    Composite ops (`multihead`, `encoder_layer`, `decoder_layer`, `ffn`,
    `layer_norm`, `additive`) are decomposed by passes into `attn.sdpa` plus
    upstream linalg/tensor/arith; `attn.sdpa` is then tiled into a
    FlashAttention-style kernel.

    Linear weights follow PyTorch's `nn.Linear`: `[out_features,
    in_features]`, computing `y = x W^T + b`.
  }];
  let useDefaultAttributePrinterParser = 1;
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Attn_ScoreKind : I32EnumAttr<"ScoreKind",
    "how a query/key pair is scored before scaling", [
      I32EnumAttrCase<"Dot", 0, "dot">,
      I32EnumAttrCase<"Cosine", 1, "cosine">
    ]> {
  let cppNamespace = "::mlir::attn";
  let genSpecializedAttr = 0;
}
def Attn_ScoreKindAttr : EnumAttr<Attn_Dialect, Attn_ScoreKind, "score"> {
  let summary = "`dot` (q . k) or `cosine` (q/|q| . k/|k|)";
  let assemblyFormat = "`<` $value `>`";
}

def Attn_Activation : I32EnumAttr<"Activation", "FFN activation", [
      I32EnumAttrCase<"Relu", 0, "relu">,
      I32EnumAttrCase<"Gelu", 1, "gelu">,
      I32EnumAttrCase<"GeluTanh", 2, "gelu_tanh">
    ]> {
  let cppNamespace = "::mlir::attn";
  let genSpecializedAttr = 0;
}
def Attn_ActivationAttr : EnumAttr<Attn_Dialect, Attn_Activation,
                                   "activation"> {
  let summary = "`relu`, `gelu` (exact, erf) or `gelu_tanh` (approximate)";
  let assemblyFormat = "`<` $value `>`";
}

def Attn_NormPlacement : I32EnumAttr<"NormPlacement",
    "where a layer normalises relative to its residual connection", [
      I32EnumAttrCase<"Post", 0, "post">,
      I32EnumAttrCase<"Pre", 1, "pre">
    ]> {
  let cppNamespace = "::mlir::attn";
  let genSpecializedAttr = 0;
}
def Attn_NormPlacementAttr : EnumAttr<Attn_Dialect, Attn_NormPlacement,
                                      "norm"> {
  let summary = "`post`: norm(x + f(x)); `pre`: x + f(norm(x))";
  let assemblyFormat = "`<` $value `>`";
}

def Attn_PositionalKind : I32EnumAttr<"PositionalKind",
    "how positions are encoded", [
      I32EnumAttrCase<"Sinusoidal", 0, "sinusoidal">,
      I32EnumAttrCase<"Learned", 1, "learned">
    ]> {
  let cppNamespace = "::mlir::attn";
  let genSpecializedAttr = 0;
}
def Attn_PositionalKindAttr : EnumAttr<Attn_Dialect, Attn_PositionalKind,
                                       "positional"> {
  let summary = "`sinusoidal` (fixed) or `learned` (a table operand)";
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Attn_Float : AnyTypeOf<[F32, F16, BF16]>;
def Attn_FloatTensor : RankedTensorOf<[F32, F16, BF16]>;
def Attn_MaskTensor : RankedTensorOf<[I1, F32, F16, BF16]>;
def Attn_IndexTensor : RankedTensorOf<[I32, I64]>;

#endif // ATTNC_DIALECT_ATTNBASE_TD
