// attn-gpu-flash rejects query blocks its kernels cannot use: each warp of
// the tensor-core kernel owns 16 query rows.
// RUN: attn-opt %s --attn-gpu-flash=query-block=24 --verify-diagnostics

// expected-error@below {{attn-gpu-flash: query-block 24 must be a multiple of 16 from 16 to 256}}
module {
  func.func @sdpa(%q: tensor<1x1x4x16xf16>, %k: tensor<1x1x4x16xf16>, %v: tensor<1x1x4x16xf16>) -> tensor<1x1x4x16xf16> {
    %o = attn.sdpa %q, %k, %v : (tensor<1x1x4x16xf16>, tensor<1x1x4x16xf16>, tensor<1x1x4x16xf16>) -> tensor<1x1x4x16xf16>
    return %o : tensor<1x1x4x16xf16>
  }
}
