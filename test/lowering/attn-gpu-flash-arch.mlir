// attn-gpu-flash rejects architectures without the kernels' instructions.
// RUN: attn-opt %s --attn-gpu-flash=gpu-arch=sm_70 --verify-diagnostics

// expected-error@below {{attn-gpu-flash: gpu-arch 'sm_70' is not supported; use sm_80 or sm_90}}
module {
  func.func @sdpa(%q: tensor<1x1x4x16xf16>, %k: tensor<1x1x4x16xf16>, %v: tensor<1x1x4x16xf16>) -> tensor<1x1x4x16xf16> {
    %o = attn.sdpa %q, %k, %v : (tensor<1x1x4x16xf16>, tensor<1x1x4x16xf16>, tensor<1x1x4x16xf16>) -> tensor<1x1x4x16xf16>
    return %o : tensor<1x1x4x16xf16>
  }
}
