//===- AttnInterfaces.td - Interfaces of the attn dialect -----------------===//
//
// One place that says how an attn op attends (scale, softcap, score kind,
// causal, window, head counts), so that passes, lowerings and the reference
// interpreter read those settings the same way.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_DIALECT_ATTNINTERFACES_TD
#define ATTNC_DIALECT_ATTNINTERFACES_TD

include "mlir/IR/OpBase.td"

def Attn_AttentionOpInterface : OpInterface<"AttentionOpInterface"> {
  let cppNamespace = "::mlir::attn";
  let description = [{
    An op that scores queries against keys with the attention settings of
    the attn dialect: `scale`, `softcap` and `score`, the visibility rules
    `causal` and `window`, and query and key/value head counts (grouped-query
    attention). `attn.sdpa`, `attn.hard`, `attn.multihead`,
    `attn.encoder_layer` and `attn.decoder_layer` implement it;
    `attn.additive` does not, since its scores come from learned weights and
    it has none of these settings.

    The settings are returned as one `mlir::attn::AttentionSettings`
    (dialect/AttnInterfaces.h), with defaults resolved where the op defines
    them (an unset `num_kv_heads` is `num_heads`; `decoder_layer`'s
    self-attention is always causal). The scale is left optional because its
    default, `1/sqrt(D)`, depends on the head dim, which a layer op only
    implies through its projection weights; `AttentionSettings::effectiveScale`
    applies the default once D is known.
  }];

  let methods = [
    InterfaceMethod<
      /*desc=*/[{
        Returns the op's attention settings. For `attn.decoder_layer` they
        are those of its self-attention; its cross-attention shares `scale`,
        `softcap` and `score` but is neither causal nor windowed.
      }],
      /*retTy=*/"::mlir::attn::AttentionSettings",
      /*methodName=*/"getAttentionSettings",
      /*args=*/(ins)>
  ];
}

#endif // ATTNC_DIALECT_ATTNINTERFACES_TD
