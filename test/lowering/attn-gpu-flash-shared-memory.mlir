// attn-gpu-flash: explicit blocks whose tiles do not fit in shared memory.
// RUN: attn-opt %s -split-input-file --attn-gpu-flash="query-block=256 key-block=256" --verify-diagnostics

// The tensor-core kernel: Q plus two K and two V buffers of 256 padded rows
// exceed sm_80's 163 KiB.
func.func @tensor_core(%q: tensor<1x1x512x256xf16>, %k: tensor<1x1x512x256xf16>, %v: tensor<1x1x512x256xf16>) -> tensor<1x1x512x256xf16> {
  // expected-error@below {{'attn.sdpa' op attn-gpu-flash: the tensor-core kernel's tiles (query-block 256, key-block 256, D 256, Dv 256) need 675840 bytes of shared memory, more than sm_80's 166912}}
  %o = attn.sdpa %q, %k, %v : (tensor<1x1x512x256xf16>, tensor<1x1x512x256xf16>, tensor<1x1x512x256xf16>) -> tensor<1x1x512x256xf16>
  return %o : tensor<1x1x512x256xf16>
}

// -----

// The SIMT kernel: 256 keys of f32 K and V rows exceed 48 KiB.
func.func @simt(%q: tensor<1x1x512x64xf32>, %k: tensor<1x1x512x64xf32>, %v: tensor<1x1x512x64xf32>) -> tensor<1x1x512x64xf32> {
  // expected-error@below {{'attn.sdpa' op attn-gpu-flash: the SIMT kernel's key tile (key-block 256, D 64, Dv 64) needs 131072 bytes of shared memory, more than the 49152 a kernel may declare}}
  %o = attn.sdpa %q, %k, %v : (tensor<1x1x512x64xf32>, tensor<1x1x512x64xf32>, tensor<1x1x512x64xf32>) -> tensor<1x1x512x64xf32>
  return %o : tensor<1x1x512x64xf32>
}
