// Static sizes of 0 that the flash loops cannot slice (attn-tile-flash
// rewrites them first): no keys at all (zeros, and weights with no
// elements), a head dim of 0 (every score is 0: uniform weights over the
// visible keys), a value dim of 0. Each matches the fp64 reference; they
// once failed with "offset 3 is out-of-bounds".
// RUN: attn-run %s --entry no_keys --random --check | FileCheck %s --check-prefix=NO-KEYS
// NO-KEYS: result0: f32 [1, 2, 8, 4]
// NO-KEYS: result1: f32 [1, 2, 8, 0]
// NO-KEYS: check result0: max abs err 0.00e+00, max rel err 0.00e+00 (ok)
// NO-KEYS: check result1: {{.*}} (ok)
// RUN: attn-run %s --entry no_head_dim --random --check | FileCheck %s --check-prefix=HEAD-DIM
// HEAD-DIM: check result0: {{.*}} (ok)
// HEAD-DIM: check result1: {{.*}} (ok)
// RUN: attn-run %s --entry no_value_dim --random --check | FileCheck %s --check-prefix=VALUE-DIM
// VALUE-DIM: result0: f32 [1, 2, 8, 0]
// VALUE-DIM: check result1: {{.*}} (ok)
// RUN: attn-run %s --entry hard_no_keys --random --check | FileCheck %s --check-prefix=HARD
// HARD: check result0: max abs err 0.00e+00, max rel err 0.00e+00 (ok)

func.func @no_keys(%q: tensor<1x2x8x4xf32>, %k: tensor<1x2x0x4xf32>, %v: tensor<1x2x0x4xf32>)
    -> (tensor<1x2x8x4xf32>, tensor<1x2x8x0xf32>) {
  %o, %w = attn.sdpa %q, %k, %v : (tensor<1x2x8x4xf32>, tensor<1x2x0x4xf32>, tensor<1x2x0x4xf32>) -> (tensor<1x2x8x4xf32>, tensor<1x2x8x0xf32>)
  return %o, %w : tensor<1x2x8x4xf32>, tensor<1x2x8x0xf32>
}

func.func @no_head_dim(%q: tensor<1x2x8x0xf32>, %k: tensor<1x2x8x0xf32>, %v: tensor<1x2x8x4xf32>)
    -> (tensor<1x2x8x4xf32>, tensor<1x2x8x8xf32>) {
  %o, %w = attn.sdpa %q, %k, %v {scale = 0.5 : f64, causal} : (tensor<1x2x8x0xf32>, tensor<1x2x8x0xf32>, tensor<1x2x8x4xf32>) -> (tensor<1x2x8x4xf32>, tensor<1x2x8x8xf32>)
  return %o, %w : tensor<1x2x8x4xf32>, tensor<1x2x8x8xf32>
}

func.func @no_value_dim(%q: tensor<1x2x8x4xf32>, %k: tensor<1x2x8x4xf32>, %v: tensor<1x2x8x0xf32>)
    -> (tensor<1x2x8x0xf32>, tensor<1x2x8x8xf32>) {
  %o, %w = attn.sdpa %q, %k, %v : (tensor<1x2x8x4xf32>, tensor<1x2x8x4xf32>, tensor<1x2x8x0xf32>) -> (tensor<1x2x8x0xf32>, tensor<1x2x8x8xf32>)
  return %o, %w : tensor<1x2x8x0xf32>, tensor<1x2x8x8xf32>
}

func.func @hard_no_keys(%q: tensor<1x2x8x4xf32>, %k: tensor<1x2x0x4xf32>, %v: tensor<1x2x0x4xf32>) -> tensor<1x2x8x4xf32> {
  %o = attn.hard %q, %k, %v : (tensor<1x2x8x4xf32>, tensor<1x2x0x4xf32>, tensor<1x2x0x4xf32>) -> tensor<1x2x8x4xf32>
  return %o : tensor<1x2x8x4xf32>
}
