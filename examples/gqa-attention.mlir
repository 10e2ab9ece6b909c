// Grouped-query causal attention with a sliding window, as in a decoder:
// 8 query heads share 2 key/value heads; each query sees itself and the 255
// keys before it. The shapes are those of one 1024-token prefill.
func.func @attention(%q: tensor<1x8x1024x64xf32>, %k: tensor<1x2x1024x64xf32>,
                     %v: tensor<1x2x1024x64xf32>) -> tensor<1x8x1024x64xf32> {
  %o = attn.sdpa %q, %k, %v {causal, window = array<i64: 255, -1>}
      : (tensor<1x8x1024x64xf32>, tensor<1x2x1024x64xf32>,
         tensor<1x2x1024x64xf32>) -> tensor<1x8x1024x64xf32>
  return %o : tensor<1x8x1024x64xf32>
}
