// attn-gpu-flash diagnostics for ops it cannot lower.
// RUN: attn-opt %s -split-input-file --attn-gpu-flash --verify-diagnostics

// Composite attn ops are attn-decompose's to expand first.
func.func @softmax(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // expected-error@below {{'attn.softmax' op is not lowered to the GPU by attn-gpu-flash; attn-decompose expands it first}}
  %y = attn.softmax %x axis(1) : tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// Head dims so large that a single key's K and V rows overflow the 48 KiB
// of static shared memory the SIMT kernel declares.
func.func @huge_heads(%q: tensor<1x1x4x8192xf32>, %k: tensor<1x1x4x8192xf32>, %v: tensor<1x1x4x8192xf32>) -> tensor<1x1x4x8192xf32> {
  // expected-error@below {{'attn.sdpa' op attn-gpu-flash: the SIMT kernel's key tile (key-block 1, D 8192, Dv 8192) needs 65536 bytes of shared memory, more than the 49152 a kernel may declare}}
  %o = attn.sdpa %q, %k, %v : (tensor<1x1x4x8192xf32>, tensor<1x1x4x8192xf32>, tensor<1x1x4x8192xf32>) -> tensor<1x1x4x8192xf32>
  return %o : tensor<1x1x4x8192xf32>
}
