// attn-gpu-flash rejects key blocks its kernels cannot use: the tensor-core
// kernel steps keys 16 at a time, and the tiles must stay in shared memory.
// RUN: attn-opt %s --attn-gpu-flash=key-block=512 --verify-diagnostics

// expected-error@below {{attn-gpu-flash: key-block 512 must be a multiple of 16 from 16 to 256}}
module {
  func.func @sdpa(%q: tensor<1x1x4x16xf16>, %k: tensor<1x1x4x16xf16>, %v: tensor<1x1x4x16xf16>) -> tensor<1x1x4x16xf16> {
    %o = attn.sdpa %q, %k, %v : (tensor<1x1x4x16xf16>, tensor<1x1x4x16xf16>, tensor<1x1x4x16xf16>) -> tensor<1x1x4x16xf16>
    return %o : tensor<1x1x4x16xf16>
  }
}
