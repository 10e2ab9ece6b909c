// Scaled dot-product attention on a small static shape, for the consumers
// of the installed package (test/install).
func.func @sdpa(%q: tensor<1x2x8x4xf32>, %k: tensor<1x2x8x4xf32>,
                %v: tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32>
    attributes {attnc.input_names = ["q", "k", "v"],
                attnc.output_names = ["out"]} {
  %o = attn.sdpa %q, %k, %v
      : (tensor<1x2x8x4xf32>, tensor<1x2x8x4xf32>,
         tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32>
  return %o : tensor<1x2x8x4xf32>
}
