// Causal scaled dot-product attention, B=1 H=4 L=128 D=64: the model that
// the aot-sdpa example compiles ahead of time with attnc.
func.func @sdpa(%q: tensor<1x4x128x64xf32>, %k: tensor<1x4x128x64xf32>,
                %v: tensor<1x4x128x64xf32>) -> tensor<1x4x128x64xf32>
    attributes {attnc.input_names = ["q", "k", "v"],
                attnc.output_names = ["out"]} {
  %o = attn.sdpa %q, %k, %v {causal}
      : (tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>,
         tensor<1x4x128x64xf32>) -> tensor<1x4x128x64xf32>
  return %o : tensor<1x4x128x64xf32>
}
