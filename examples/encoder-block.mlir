// A small Transformer encoder block written in the attn dialect: token
// embedding, sinusoidal positions, one pre-norm encoder layer with grouped-
// query attention (4 query heads sharing 2 KV heads) and a key padding mask,
// then a sliding-window causal attention whose weights are returned for
// inspection. Used by the README demo: attn-opt parses, verifies and prints
// it, then shows its canonical form.

func.func @encode(
    %tokens: tensor<2x16xi64>, %padding: tensor<2x1x1x16xi1>,
    %vocab: tensor<1000x64xf32>,
    %wq: tensor<64x64xf32>, %bq: tensor<64xf32>,
    %wkv: tensor<32x64xf32>, %bkv: tensor<32xf32>,
    %wo: tensor<64x64xf32>, %bo: tensor<64xf32>,
    %gamma: tensor<64xf32>, %beta: tensor<64xf32>,
    %w1: tensor<256x64xf32>, %b1: tensor<256xf32>,
    %w2: tensor<64x256xf32>, %b2: tensor<64xf32>)
    -> (tensor<2x16x64xf32>, tensor<2x4x16x16xf32>) {
  // The original Transformer scales embeddings by sqrt(d_model) = 8.
  %emb = attn.embedding %tokens, %vocab {scale = 8.0 : f64}
      : (tensor<2x16xi64>, tensor<1000x64xf32>) -> tensor<2x16x64xf32>
  %x = attn.positional_encoding %emb {kind = #attn.positional<sinusoidal>}
      : (tensor<2x16x64xf32>) -> tensor<2x16x64xf32>

  %h = attn.encoder_layer %x
      self_attn(%wq, %bq, %wkv, %bkv, %wkv, %bkv, %wo, %bo)
      norm1(%gamma, %beta) ffn(%w1, %b1, %w2, %b2) norm2(%gamma, %beta)
      mask(%padding)
      {num_heads = 4 : i64, num_kv_heads = 2 : i64,
       norm = #attn.norm<pre>, activation = #attn.activation<gelu>}
      : (tensor<2x16x64xf32>, tensor<64x64xf32>, tensor<64xf32>,
         tensor<32x64xf32>, tensor<32xf32>, tensor<32x64xf32>, tensor<32xf32>,
         tensor<64x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>,
         tensor<256x64xf32>, tensor<256xf32>, tensor<64x256xf32>,
         tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<2x1x1x16xi1>)
      -> tensor<2x16x64xf32>

  // Local attention over the 4 previous tokens, spelled as a window whose
  // right edge is the diagonal; canonicalization rewrites it to `causal`.
  // Its queries and keys are normalized first, as a pre-norm layer would:
  // on the raw residual stream (entries near 100 for random weights) the
  // scores reach 10^4, where f32 rounding alone moves the weights by 10^-3.
  %hn = attn.layer_norm %h, %gamma, %beta
      : (tensor<2x16x64xf32>, tensor<64xf32>, tensor<64xf32>)
      -> tensor<2x16x64xf32>
  %q = tensor.expand_shape %hn [[0], [1], [2, 3]] output_shape [2, 16, 4, 16]
      : tensor<2x16x64xf32> into tensor<2x16x4x16xf32>
  %init = tensor.empty() : tensor<2x4x16x16xf32>
  %qh = linalg.transpose ins(%q : tensor<2x16x4x16xf32>)
      outs(%init : tensor<2x4x16x16xf32>) permutation = [0, 2, 1, 3]
  %o, %weights = attn.sdpa %qh, %qh, %qh {window = array<i64: 4, 0>}
      : (tensor<2x4x16x16xf32>, tensor<2x4x16x16xf32>, tensor<2x4x16x16xf32>)
      -> (tensor<2x4x16x16xf32>, tensor<2x4x16x16xf32>)
  return %h, %weights : tensor<2x16x64xf32>, tensor<2x4x16x16xf32>
}
