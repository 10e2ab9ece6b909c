// Every verifier diagnostic of the attn dialect, one case each.
// Generated once by a script, then maintained by hand.
// RUN: attn-opt %s --split-input-file --verify-diagnostics

func.func @f(%q: tensor<8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op query must have rank 4 [B, Hq, Lq, D], got rank 3}}
  %r0 = attn.sdpa %q, %k, %v : (tensor<8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op key must have rank 4 [B, Hkv, Lk, D], got rank 3}}
  %r0 = attn.sdpa %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<2x6x16xf32>, tensor<2x2x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8x1xf32>) {
  // expected-error @+1 {{'attn.sdpa' op value must have rank 4 [B, Hkv, Lk, Dv], got rank 5}}
  %r0 = attn.sdpa %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8x1xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x?x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op query head count must be static}}
  %r0 = attn.sdpa %q, %k, %v : (tensor<2x?x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>) -> tensor<2x?x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x?xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op key head dim must be static}}
  %r0 = attn.sdpa %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<2x2x6x?xf32>, tensor<2x2x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x?x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op value head count must be static}}
  %r0 = attn.sdpa %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x?x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf16>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op key element type 'f16' does not match query element type 'f32'}}
  %r0 = attn.sdpa %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf16>, tensor<2x2x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xbf16>) {
  // expected-error @+1 {{'attn.sdpa' op value element type 'bf16' does not match query element type 'f32'}}
  %r0 = attn.sdpa %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xbf16>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<3x2x6x16xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op key batch size 3 does not match query batch size 2}}
  %r0 = attn.sdpa %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<3x2x6x16xf32>, tensor<2x2x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<1x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op value batch size 1 does not match query batch size 2}}
  %r0 = attn.sdpa %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<1x2x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

// A misspelled attribute (causal) is not carried along silently; one with a
// dialect prefix is someone else's and stays.
func.func @f(%q: tensor<1x2x4x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op has no attribute 'casual' (its own are in its description; an attribute of another dialect needs that dialect's prefix)}}
  %r0 = attn.sdpa %q, %q, %q {casual} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %r0 = attn.sdpa %q, %q, %q {other.note = 1 : i64} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  // expected-error @+1 {{'attn.linear' op has no attribute 'activaton'}}
  %r1 = attn.linear %r0, %q {activaton = 1 : i64} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %r0 : tensor<1x2x4x8xf32>
}

// -----

// Zero heads (once a division by zero in this verifier).
func.func @f(%q: tensor<1x0x8x4xf32>) {
  // expected-error @+1 {{'attn.sdpa' op query head count must be at least 1, got 0}}
  %r0 = attn.sdpa %q, %q, %q : (tensor<1x0x8x4xf32>, tensor<1x0x8x4xf32>, tensor<1x0x8x4xf32>) -> tensor<1x0x8x4xf32>
  return
}

// -----

func.func @f(%q: tensor<1x2x8x4xf32>, %k: tensor<1x0x8x4xf32>) {
  // expected-error @+1 {{'attn.sdpa' op key head count must be at least 1, got 0}}
  %r0 = attn.sdpa %q, %k, %k : (tensor<1x2x8x4xf32>, tensor<1x0x8x4xf32>, tensor<1x0x8x4xf32>) -> tensor<1x2x8x4xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x3x6x16xf32>, %v: tensor<2x3x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op key head count 3 does not divide query head count 8}}
  %r0 = attn.sdpa %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<2x3x6x16xf32>, tensor<2x3x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x4x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op value head count 4 does not match key head count 2}}
  %r0 = attn.sdpa %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x4x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x32xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op key head dim 32 does not match query head dim 16}}
  %r0 = attn.sdpa %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<2x2x6x32xf32>, tensor<2x2x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x5x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op value length 5 does not match key length 6}}
  %r0 = attn.sdpa %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x5x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>, %m: tensor<4x6xf16>) {
  // expected-error @+1 {{'attn.sdpa' op mask element type 'f16' must be i1 or the query element type 'f32'}}
  %r0 = attn.sdpa %q, %k, %v mask(%m) : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>, tensor<4x6xf16>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>, %m: tensor<3x6xi1>) {
  // expected-error @+1 {{'attn.sdpa' op mask shape [3, 6] is not broadcastable to [2, 8, 4, 6]}}
  %r0 = attn.sdpa %q, %k, %v mask(%m) : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>, tensor<3x6xi1>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>, %m: tensor<1x2x8x4x6xi1>) {
  // expected-error @+1 {{'attn.sdpa' op mask shape [1, 2, 8, 4, 6] is not broadcastable to [2, 8, 4, 6]}}
  %r0 = attn.sdpa %q, %k, %v mask(%m) : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>, tensor<1x2x8x4x6xi1>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op output element type 'f16' does not match query element type 'f32'}}
  %r0 = attn.sdpa %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>) -> tensor<2x8x4x8xf16>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op output shape [2, 8, 4, 16] does not match the expected [B, Hq, Lq, Dv] = [2, 8, 4, 8]}}
  %r0 = attn.sdpa %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>) -> tensor<2x8x4x16xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op weights shape [2, 8, 4, 4] does not match the expected [B, Hq, Lq, Lk] = [2, 8, 4, 6]}}
  %r0, %r1 = attn.sdpa %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>) -> (tensor<2x8x4x8xf32>, tensor<2x8x4x4xf32>)
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op weights element type 'bf16' does not match query element type 'f32'}}
  %r0, %r1 = attn.sdpa %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>) -> (tensor<2x8x4x8xf32>, tensor<2x8x4x6xbf16>)
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op scale must be positive and finite, got -1}}
  %r0 = attn.sdpa %q, %k, %v {scale = -1.0 : f64} : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op scale must be positive and finite, got INF}}
  %r0 = attn.sdpa %q, %k, %v {scale = 0x7FF0000000000000 : f64} : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x0xf32>, %v: tensor<2x8x4x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op a head dim of 0 needs an explicit scale (the default 1/sqrt(D) is infinite)}}
  %r0 = attn.sdpa %q, %q, %v : (tensor<2x8x4x0xf32>, tensor<2x8x4x0xf32>, tensor<2x8x4x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

// Finite in f64 is not enough: the scores are computed in f32.
func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op scale 1.000000e+300 is not finite in 'f32'}}
  %r0 = attn.sdpa %q, %k, %v {scale = 1.0e300 : f64} : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf16>, %k: tensor<2x2x6x16xf16>, %v: tensor<2x2x6x8xf16>) {
  // expected-error @+1 {{'attn.sdpa' op softcap 1.000000e+05 is not finite in 'f16'}}
  %r0 = attn.sdpa %q, %k, %v {softcap = 1.0e5 : f64} : (tensor<2x8x4x16xf16>, tensor<2x2x6x16xf16>, tensor<2x2x6x8xf16>) -> tensor<2x8x4x8xf16>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf16>, %k: tensor<2x2x6x16xf16>, %v: tensor<2x2x6x8xf16>) {
  // expected-error @+1 {{'attn.sdpa' op scale 1.000000e-10 is zero in 'f16'}}
  %r0 = attn.sdpa %q, %k, %v {scale = 1.0e-10 : f64} : (tensor<2x8x4x16xf16>, tensor<2x2x6x16xf16>, tensor<2x2x6x8xf16>) -> tensor<2x8x4x8xf16>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op softcap must be positive and finite, got 0}}
  %r0 = attn.sdpa %q, %k, %v {softcap = 0.0 : f64} : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op window must have 2 elements [left, right], got 3}}
  %r0 = attn.sdpa %q, %k, %v {window = array<i64: 1, 2, 3>} : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op window bounds must be -1 (unbounded) or non-negative, got [-2, 0]}}
  %r0 = attn.sdpa %q, %k, %v {window = array<i64: -2, 0>} : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x3x6x16xf32>, %v: tensor<2x3x6x8xf32>) {
  // expected-error @+1 {{'attn.hard' op key head count 3 does not divide query head count 8}}
  %r0 = attn.hard %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<2x3x6x16xf32>, tensor<2x3x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.hard' op output shape [2, 8, 6, 8] does not match the expected [B, Hq, Lq, Dv] = [2, 8, 4, 8]}}
  %r0 = attn.hard %q, %k, %v : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>) -> tensor<2x8x6x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xf32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.hard' op window bounds must be -1 (unbounded) or non-negative, got [0, -3]}}
  %r0 = attn.hard %q, %k, %v {window = array<i64: 0, -3>} : (tensor<2x8x4x16xf32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<2x8x4x16xi32>, %k: tensor<2x2x6x16xf32>, %v: tensor<2x2x6x8xf32>) {
  // expected-error @+1 {{'attn.sdpa' op operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<2x8x4x16xi32>'}}
  %r0 = attn.sdpa %q, %k, %v : (tensor<2x8x4x16xi32>, tensor<2x2x6x16xf32>, tensor<2x2x6x8xf32>) -> tensor<2x8x4x8xf32>
  return
}

// -----

func.func @f(%q: tensor<1x1x2x4xf32>) {
  // expected-error @+2 {{expected ::mlir::attn::ScoreKind to be one of: dot, cosine}}
  // expected-error @+1 {{failed to parse Attn_ScoreKindAttr parameter 'value'}}
  %o = attn.sdpa %q, %q, %q {score = #attn.score<euclid>} : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x2x4xf32>
  return
}

// -----

func.func @f(%q: tensor<5x6xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<8x4xf32>, %e: tensor<8xf32>) {
  // expected-error @+1 {{'attn.additive' op query must have rank 3 [B, Lq, Dq], got rank 2}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<5x6xf32>, tensor<2x7x4xf32>, tensor<2x7x3xf32>, tensor<8x6xf32>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x1x7x4xf32>, %v: tensor<2x7x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<8x4xf32>, %e: tensor<8xf32>) {
  // expected-error @+1 {{'attn.additive' op key must have rank 3 [B, Lk, Dk], got rank 4}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<2x5x6xf32>, tensor<2x1x7x4xf32>, tensor<2x7x3xf32>, tensor<8x6xf32>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x7x4xf32>, %v: tensor<7x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<8x4xf32>, %e: tensor<8xf32>) {
  // expected-error @+1 {{'attn.additive' op value must have rank 3 [B, Lk, Dv], got rank 2}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<2x5x6xf32>, tensor<2x7x4xf32>, tensor<7x3xf32>, tensor<8x6xf32>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x7x4xf16>, %v: tensor<2x7x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<8x4xf32>, %e: tensor<8xf32>) {
  // expected-error @+1 {{'attn.additive' op key element type 'f16' does not match query element type 'f32'}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<2x5x6xf32>, tensor<2x7x4xf16>, tensor<2x7x3xf32>, tensor<8x6xf32>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<3x7x4xf32>, %v: tensor<2x7x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<8x4xf32>, %e: tensor<8xf32>) {
  // expected-error @+1 {{'attn.additive' op key batch size 3 does not match query batch size 2}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<2x5x6xf32>, tensor<3x7x4xf32>, tensor<2x7x3xf32>, tensor<8x6xf32>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x7x4xf32>, %v: tensor<3x7x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<8x4xf32>, %e: tensor<8xf32>) {
  // expected-error @+1 {{'attn.additive' op value batch size 3 does not match query batch size 2}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<2x5x6xf32>, tensor<2x7x4xf32>, tensor<3x7x3xf32>, tensor<8x6xf32>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x6x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<8x4xf32>, %e: tensor<8xf32>) {
  // expected-error @+1 {{'attn.additive' op value length 6 does not match key length 7}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<2x5x6xf32>, tensor<2x7x4xf32>, tensor<2x6x3xf32>, tensor<8x6xf32>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<8x4xf32>, %e: tensor<8x1xf32>) {
  // expected-error @+1 {{'attn.additive' op energy must have rank 1 [A], got rank 2}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<2x5x6xf32>, tensor<2x7x4xf32>, tensor<2x7x3xf32>, tensor<8x6xf32>, tensor<8x4xf32>, tensor<8x1xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<8x4xf32>, %e: tensor<?xf32>) {
  // expected-error @+1 {{'attn.additive' op energy must have a static shape, got [?]}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<2x5x6xf32>, tensor<2x7x4xf32>, tensor<2x7x3xf32>, tensor<8x6xf32>, tensor<8x4xf32>, tensor<?xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>, %wq: tensor<8xf32>, %wk: tensor<8x4xf32>, %e: tensor<8xf32>) {
  // expected-error @+1 {{'attn.additive' op query_weight must have rank 2 [out, in], got rank 1}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<2x5x6xf32>, tensor<2x7x4xf32>, tensor<2x7x3xf32>, tensor<8xf32>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>, %wq: tensor<8x5xf32>, %wk: tensor<8x4xf32>, %e: tensor<8xf32>) {
  // expected-error @+1 {{'attn.additive' op query_weight has 5 columns, expected 6 (the last dimension of query)}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<2x5x6xf32>, tensor<2x7x4xf32>, tensor<2x7x3xf32>, tensor<8x5xf32>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<8x6xf32>, %e: tensor<8xf32>) {
  // expected-error @+1 {{'attn.additive' op key_weight has 6 columns, expected 4 (the last dimension of key)}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<2x5x6xf32>, tensor<2x7x4xf32>, tensor<2x7x3xf32>, tensor<8x6xf32>, tensor<8x6xf32>, tensor<8xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<7x4xf32>, %e: tensor<8xf32>) {
  // expected-error @+1 {{'attn.additive' op key_weight has 7 rows, expected 8 (the size of energy)}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<2x5x6xf32>, tensor<2x7x4xf32>, tensor<2x7x3xf32>, tensor<8x6xf32>, tensor<7x4xf32>, tensor<8xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<8x?xf32>, %e: tensor<8xf32>) {
  // expected-error @+1 {{'attn.additive' op key_weight must have a static shape, got [8, ?]}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<2x5x6xf32>, tensor<2x7x4xf32>, tensor<2x7x3xf32>, tensor<8x6xf32>, tensor<8x?xf32>, tensor<8xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<8x4xf32>, %e: tensor<8xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'attn.additive' op bias has 4 elements, expected 8 (the size of energy)}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e bias(%b) : (tensor<2x5x6xf32>, tensor<2x7x4xf32>, tensor<2x7x3xf32>, tensor<8x6xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<4xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<8x4xf32>, %e: tensor<8xf32>, %b: tensor<1x8xf32>) {
  // expected-error @+1 {{'attn.additive' op bias must have rank 1 [A], got rank 2}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e bias(%b) : (tensor<2x5x6xf32>, tensor<2x7x4xf32>, tensor<2x7x3xf32>, tensor<8x6xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<1x8xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<8x4xf32>, %e: tensor<8xf32>, %m: tensor<2x5x6xi1>) {
  // expected-error @+1 {{'attn.additive' op mask shape [2, 5, 6] is not broadcastable to [2, 5, 7]}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e mask(%m) : (tensor<2x5x6xf32>, tensor<2x7x4xf32>, tensor<2x7x3xf32>, tensor<8x6xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<2x5x6xi1>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<8x4xf32>, %e: tensor<8xf32>) {
  // expected-error @+1 {{'attn.additive' op output shape [2, 5, 4] does not match the expected [B, Lq, Dv] = [2, 5, 3]}}
  %r0 = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<2x5x6xf32>, tensor<2x7x4xf32>, tensor<2x7x3xf32>, tensor<8x6xf32>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<2x5x4xf32>
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<8x4xf32>, %e: tensor<8xf32>) {
  // expected-error @+1 {{'attn.additive' op weights shape [2, 7, 5] does not match the expected [B, Lq, Lk] = [2, 5, 7]}}
  %r0, %r1 = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<2x5x6xf32>, tensor<2x7x4xf32>, tensor<2x7x3xf32>, tensor<8x6xf32>, tensor<8x4xf32>, tensor<8xf32>) -> (tensor<2x5x3xf32>, tensor<2x7x5xf32>)
  return
}

// -----

func.func @f(%q: tensor<2x5x6xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>, %wq: tensor<8x6xf32>, %wk: tensor<8x4xf32>, %e: tensor<8xf32>) {
  // expected-error @+1 {{'attn.additive' op weights element type 'f16' does not match query element type 'f32'}}
  %r0, %r1 = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<2x5x6xf32>, tensor<2x7x4xf32>, tensor<2x7x3xf32>, tensor<8x6xf32>, tensor<8x4xf32>, tensor<8xf32>) -> (tensor<2x5x3xf32>, tensor<2x5x7xf16>)
  return
}

// -----

func.func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'attn.softmax' op axis 2 is out of range [-2, 2) for an input of rank 2}}
  %y = attn.softmax %x axis(2) : tensor<2x3xf32>
  return
}

// -----

func.func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'attn.softmax' op axis -3 is out of range [-2, 2) for an input of rank 2}}
  %y = attn.softmax %x axis(-3) : tensor<2x3xf32>
  return
}

// -----

func.func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'attn.log_softmax' op axis 2 is out of range [-2, 2) for an input of rank 2}}
  %y = attn.log_softmax %x axis(2) : tensor<2x3xf32>
  return
}

// -----

func.func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'attn.log_softmax' op axis -3 is out of range [-2, 2) for an input of rank 2}}
  %y = attn.log_softmax %x axis(-3) : tensor<2x3xf32>
  return
}

// -----

func.func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'attn.softmax' op requires the same type for all operands and results}}
  %y = "attn.softmax"(%x) {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf16>
  return
}

// -----

func.func @f(%x: tensor<2x1x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op query must have rank 3 [B, Lq, Eq], got rank 4}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x1x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op key must have rank 3 [B, Lk, Ek], got rank 2}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op value must have rank 3 [B, Lk, Ev], got rank 2}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op num_heads must be positive, got 0}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 0 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op num_kv_heads must be positive, got -1}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = -1 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op num_kv_heads 3 does not divide num_heads 4}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 3 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<3x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op key batch size 3 does not match query batch size 2}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<3x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<1x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op value batch size 1 does not match query batch size 2}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<1x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x4x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op value length 4 does not match key length 5}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x4x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf16>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op value element type 'f16' does not match query element type 'f32'}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf16>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<15x16xf32>, %bq: tensor<15xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op q_weight has 15 rows, not a multiple of num_heads 4}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<15x16xf32>, tensor<15xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x12xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op q_weight has 12 columns, expected 16 (the last dimension of query)}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x12xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<8xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op q_bias has 8 elements, expected 16 (the rows of q_weight)}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<?x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op q_weight must have a static shape, got [?, 16]}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<?x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf16>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op q_weight element type 'f16' does not match query element type 'f32'}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf16>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<16x16xf32>, %bk: tensor<16xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op k_weight has 16 rows, expected 8 (num_kv_heads 2 * head dim 4)}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<1x8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op k_bias must have rank 1 [out], got rank 2}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<1x8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<7x16xf32>, %bv: tensor<7xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op v_weight has 7 rows, not a multiple of num_kv_heads 2}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<7x16xf32>, tensor<7xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x8xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op v_weight has 8 columns, expected 16 (the last dimension of value)}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x8xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op o_weight has 8 columns, expected 16 (num_heads 4 * value head dim 4)}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<8xf32>) {
  // expected-error @+1 {{'attn.multihead' op o_bias has 8 elements, expected 16 (the rows of o_weight)}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<8xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>, %m: tensor<2x2x5x5xi1>) {
  // expected-error @+1 {{'attn.multihead' op mask shape [2, 2, 5, 5] is not broadcastable to [2, 4, 5, 5]}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) mask(%m) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<2x2x5x5xi1>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op output shape [2, 5, 8] does not match the expected [B, Lq, Eo] = [2, 5, 16]}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op output element type 'f16' does not match query element type 'f32'}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf16>
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op weights shape [2, 2, 5, 5] does not match the expected [B, Hq, Lq, Lk] = [2, 4, 5, 5]}}
  %r0, %r1 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> (tensor<2x5x16xf32>, tensor<2x2x5x5xf32>)
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op weights element type 'bf16' does not match query element type 'f32'}}
  %r0, %r1 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> (tensor<2x5x16xf32>, tensor<2x4x5x5xbf16>)
  return
}

// -----

func.func @f(%x: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x16xf32>, %bk: tensor<8xf32>, %wv: tensor<8x16xf32>, %bv: tensor<8xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>) {
  // expected-error @+1 {{'attn.multihead' op softcap must be positive and finite, got -2}}
  %r0 = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 4 : i64, softcap = -2.0 : f64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return
}

// -----

func.func @f(%a0: tensor<f32>, %a1: tensor<4x3xf32>) {
  // expected-error @+1 {{'attn.linear' op input must have rank at least 1, got rank 0}}
  %r0 = attn.linear %a0, %a1 : (tensor<f32>, tensor<4x3xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x3xf32>, %a1: tensor<3xf32>) {
  // expected-error @+1 {{'attn.linear' op weight must have rank 2 [out, in], got rank 1}}
  %r0 = attn.linear %a0, %a1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x3xf32>, %a1: tensor<5x4xf32>) {
  // expected-error @+1 {{'attn.linear' op weight has 4 columns, expected 3 (the last dimension of input)}}
  %r0 = attn.linear %a0, %a1 : (tensor<2x3xf32>, tensor<5x4xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x3xf32>, %a1: tensor<5x?xf32>) {
  // expected-error @+1 {{'attn.linear' op weight must have a static shape, got [5, ?]}}
  %r0 = attn.linear %a0, %a1 : (tensor<2x3xf32>, tensor<5x?xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x3xf32>, %a1: tensor<5x3xf32>, %r: tensor<2x4xf32>) {
  // expected-error @+1 {{'attn.linear' op residual has type 'tensor<2x4xf32>', which does not match the result type 'tensor<2x5xf32>'}}
  %r0 = attn.linear %a0, %a1 residual(%r) : (tensor<2x3xf32>, tensor<5x3xf32>, tensor<2x4xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x3xf32>, %a1: tensor<5x3xf32>, %r: tensor<2x5xf16>) {
  // expected-error @+1 {{'attn.linear' op residual has type 'tensor<2x5xf16>', which does not match the result type 'tensor<2x5xf32>'}}
  %r0 = attn.linear %a0, %a1 residual(%r) : (tensor<2x3xf32>, tensor<5x3xf32>, tensor<2x5xf16>) -> tensor<2x5xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x3xf32>, %a1: tensor<5x3xbf16>) {
  // expected-error @+1 {{'attn.linear' op weight element type 'bf16' does not match input element type 'f32'}}
  %r0 = attn.linear %a0, %a1 : (tensor<2x3xf32>, tensor<5x3xbf16>) -> tensor<2x5xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x3xf32>, %a1: tensor<5x3xf32>, %a2: tensor<4xf32>) {
  // expected-error @+1 {{'attn.linear' op bias has 4 elements, expected 5 (the rows of weight)}}
  %r0 = attn.linear %a0, %a1, %a2 : (tensor<2x3xf32>, tensor<5x3xf32>, tensor<4xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x3xf32>, %a1: tensor<5x3xf32>, %a2: tensor<5xf16>) {
  // expected-error @+1 {{'attn.linear' op bias element type 'f16' does not match input element type 'f32'}}
  %r0 = attn.linear %a0, %a1, %a2 : (tensor<2x3xf32>, tensor<5x3xf32>, tensor<5xf16>) -> tensor<2x5xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x3xf32>, %a1: tensor<5x3xf32>) {
  // expected-error @+1 {{'attn.linear' op output shape [2, 3] does not match the expected [..., N] = [2, 5]}}
  %r0 = attn.linear %a0, %a1 : (tensor<2x3xf32>, tensor<5x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x3xf32>, %a1: tensor<5x3xf32>) {
  // expected-error @+1 {{'attn.linear' op output element type 'f16' does not match input element type 'f32'}}
  %r0 = attn.linear %a0, %a1 : (tensor<2x3xf32>, tensor<5x3xf32>) -> tensor<2x5xf16>
  return
}

// -----

func.func @f(%a0: tensor<f32>, %a1: tensor<1xf32>, %a2: tensor<1xf32>) {
  // expected-error @+1 {{'attn.layer_norm' op input must have rank at least 1, got rank 0}}
  %r0 = attn.layer_norm %a0, %a1, %a2 : (tensor<f32>, tensor<1xf32>, tensor<1xf32>) -> tensor<f32>
  return
}

// -----

func.func @f(%a0: tensor<2x4xf32>, %a1: tensor<3xf32>, %a2: tensor<4xf32>) {
  // expected-error @+1 {{'attn.layer_norm' op gamma has 3 elements, expected 4 (the last dimension of input)}}
  %r0 = attn.layer_norm %a0, %a1, %a2 : (tensor<2x4xf32>, tensor<3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x4xf32>, %a1: tensor<4xf32>, %a2: tensor<1x4xf32>) {
  // expected-error @+1 {{'attn.layer_norm' op beta must have rank 1 [N], got rank 2}}
  %r0 = attn.layer_norm %a0, %a1, %a2 : (tensor<2x4xf32>, tensor<4xf32>, tensor<1x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x4xf32>, %a1: tensor<4xf32>, %a2: tensor<4xf16>) {
  // expected-error @+1 {{'attn.layer_norm' op beta element type 'f16' does not match input element type 'f32'}}
  %r0 = attn.layer_norm %a0, %a1, %a2 : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf16>) -> tensor<2x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x4xf32>, %a1: tensor<4xf32>, %a2: tensor<4xf32>) {
  // expected-error @+1 {{'attn.layer_norm' op epsilon must be positive and finite, got 0}}
  %r0 = attn.layer_norm %a0, %a1, %a2 {epsilon = 0.0 : f64} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x4xf32>, %a1: tensor<4xf32>, %a2: tensor<4xf32>) {
  // expected-error @+1 {{'attn.layer_norm' op output shape [4, 2] does not match the expected [..., N] = [2, 4]}}
  %r0 = attn.layer_norm %a0, %a1, %a2 : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @f(%a0: tensor<f32>, %a1: tensor<16x4xf32>, %a2: tensor<16xf32>, %a3: tensor<4x16xf32>, %a4: tensor<4xf32>) {
  // expected-error @+1 {{'attn.ffn' op input must have rank at least 1, got rank 0}}
  %r0 = attn.ffn %a0, %a1, %a2, %a3, %a4 : (tensor<f32>, tensor<16x4xf32>, tensor<16xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<f32>
  return
}

// -----

func.func @f(%a0: tensor<2x4xf32>, %a1: tensor<16x3xf32>, %a2: tensor<16xf32>, %a3: tensor<4x16xf32>, %a4: tensor<4xf32>) {
  // expected-error @+1 {{'attn.ffn' op w1 has 3 columns, expected 4 (the last dimension of input)}}
  %r0 = attn.ffn %a0, %a1, %a2, %a3, %a4 : (tensor<2x4xf32>, tensor<16x3xf32>, tensor<16xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x4xf32>, %a1: tensor<16x4xf32>, %a2: tensor<8xf32>, %a3: tensor<4x16xf32>, %a4: tensor<4xf32>) {
  // expected-error @+1 {{'attn.ffn' op b1 has 8 elements, expected 16 (the rows of w1)}}
  %r0 = attn.ffn %a0, %a1, %a2, %a3, %a4 : (tensor<2x4xf32>, tensor<16x4xf32>, tensor<8xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x4xf32>, %a1: tensor<16x4xf32>, %a2: tensor<16xf32>, %a3: tensor<4x8xf32>, %a4: tensor<4xf32>) {
  // expected-error @+1 {{'attn.ffn' op w2 has 8 columns, expected 16 (the rows of w1)}}
  %r0 = attn.ffn %a0, %a1, %a2, %a3, %a4 : (tensor<2x4xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x4xf32>, %a1: tensor<16x4xf32>, %a2: tensor<16xf32>, %a3: tensor<5x16xf32>, %a4: tensor<5xf32>) {
  // expected-error @+1 {{'attn.ffn' op w2 has 5 rows, expected 4 (the last dimension of input)}}
  %r0 = attn.ffn %a0, %a1, %a2, %a3, %a4 : (tensor<2x4xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<5x16xf32>, tensor<5xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x4xf32>, %a1: tensor<16x4xf32>, %a2: tensor<16xf32>, %a3: tensor<4x16xf32>, %a4: tensor<5xf32>) {
  // expected-error @+1 {{'attn.ffn' op b2 has 5 elements, expected 4 (the rows of w2)}}
  %r0 = attn.ffn %a0, %a1, %a2, %a3, %a4 : (tensor<2x4xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<4x16xf32>, tensor<5xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x4xf32>, %a1: tensor<16x4xf32>, %a2: tensor<16xf32>, %a3: tensor<4x16xf16>, %a4: tensor<4xf32>) {
  // expected-error @+1 {{'attn.ffn' op w2 element type 'f16' does not match input element type 'f32'}}
  %r0 = attn.ffn %a0, %a1, %a2, %a3, %a4 : (tensor<2x4xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<4x16xf16>, tensor<4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x4xf32>, %a1: tensor<16x4xf32>, %a2: tensor<16xf32>, %a3: tensor<4x16xf32>, %a4: tensor<4xf32>) {
  // expected-error @+1 {{'attn.ffn' op output shape [2, 16] does not match the expected [..., N] = [2, 4]}}
  %r0 = attn.ffn %a0, %a1, %a2, %a3, %a4 : (tensor<2x4xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<2x16xf32>
  return
}

// -----

func.func @f(%x: tensor<2x4xf32>, %w1: tensor<16x4xf32>, %b1: tensor<16xf32>, %w2: tensor<4x16xf32>, %b2: tensor<4xf32>) {
  // expected-error @+2 {{expected ::mlir::attn::Activation to be one of: relu, gelu, gelu_tanh}}
  // expected-error @+1 {{failed to parse Attn_ActivationAttr parameter 'value'}}
  %y = attn.ffn %x, %w1, %b1, %w2, %b2 {activation = #attn.activation<swish>} : (tensor<2x4xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x3xi64>, %a1: tensor<10xf32>) {
  // expected-error @+1 {{'attn.embedding' op table must have rank 2 [V, E], got rank 1}}
  %r0 = attn.embedding %a0, %a1 : (tensor<2x3xi64>, tensor<10xf32>) -> tensor<2x3x10xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x3xi64>, %a1: tensor<10x4xf32>) {
  // expected-error @+1 {{'attn.embedding' op output shape [2, 3] does not match the expected [..., E] = [2, 3, 4]}}
  %r0 = attn.embedding %a0, %a1 : (tensor<2x3xi64>, tensor<10x4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x3xi64>, %a1: tensor<10x4xf32>) {
  // expected-error @+1 {{'attn.embedding' op output element type 'f16' does not match table element type 'f32'}}
  %r0 = attn.embedding %a0, %a1 : (tensor<2x3xi64>, tensor<10x4xf32>) -> tensor<2x3x4xf16>
  return
}

// -----

func.func @f(%a0: tensor<2x3xi64>, %a1: tensor<10x4xf32>) {
  // expected-error @+1 {{'attn.embedding' op scale must be finite, got nan}}
  %r0 = attn.embedding %a0, %a1 {scale = 0x7FF8000000000000 : f64} : (tensor<2x3xi64>, tensor<10x4xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x3xi64>, %a1: tensor<10x4xf32>) {
  // expected-error @+1 {{'attn.embedding' op scale 1.000000e+308 is not finite in 'f32'}}
  %r0 = attn.embedding %a0, %a1 {scale = 1.0e308 : f64} : (tensor<2x3xi64>, tensor<10x4xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x3xf32>, %a1: tensor<10x4xf32>) {
  // expected-error @+1 {{'attn.embedding' op operand #0 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<2x3xf32>'}}
  %r0 = attn.embedding %a0, %a1 : (tensor<2x3xf32>, tensor<10x4xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<5x4xf32>) {
  // expected-error @+1 {{'attn.positional_encoding' op input must have rank 3 [B, L, E], got rank 2}}
  %r0 = attn.positional_encoding %a0 {kind = #attn.positional<sinusoidal>} : (tensor<5x4xf32>) -> tensor<5x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x5x4xf32>, %a1: tensor<8x4xf32>) {
  // expected-error @+1 {{'attn.positional_encoding' op sinusoidal encoding takes no table}}
  %r0 = attn.positional_encoding %a0, %a1 {kind = #attn.positional<sinusoidal>} : (tensor<2x5x4xf32>, tensor<8x4xf32>) -> tensor<2x5x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x5x4xf32>) {
  // expected-error @+1 {{'attn.positional_encoding' op learned encoding needs a table [max_len, E]}}
  %r0 = attn.positional_encoding %a0 {kind = #attn.positional<learned>} : (tensor<2x5x4xf32>) -> tensor<2x5x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x5x4xf32>, %a1: tensor<8xf32>) {
  // expected-error @+1 {{'attn.positional_encoding' op table must have rank 2 [max_len, E], got rank 1}}
  %r0 = attn.positional_encoding %a0, %a1 {kind = #attn.positional<learned>} : (tensor<2x5x4xf32>, tensor<8xf32>) -> tensor<2x5x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x5x4xf32>, %a1: tensor<8x3xf32>) {
  // expected-error @+1 {{'attn.positional_encoding' op table has 3 columns, expected 4 (the last dimension of input)}}
  %r0 = attn.positional_encoding %a0, %a1 {kind = #attn.positional<learned>} : (tensor<2x5x4xf32>, tensor<8x3xf32>) -> tensor<2x5x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x5x4xf32>, %a1: tensor<8x4xf16>) {
  // expected-error @+1 {{'attn.positional_encoding' op table element type 'f16' does not match input element type 'f32'}}
  %r0 = attn.positional_encoding %a0, %a1 {kind = #attn.positional<learned>} : (tensor<2x5x4xf32>, tensor<8x4xf16>) -> tensor<2x5x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x5x4xf32>, %a1: tensor<3x4xf32>) {
  // expected-error @+1 {{'attn.positional_encoding' op input length 5 exceeds the table's 3 positions}}
  %r0 = attn.positional_encoding %a0, %a1 {kind = #attn.positional<learned>} : (tensor<2x5x4xf32>, tensor<3x4xf32>) -> tensor<2x5x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x5x4xf32>) {
  // expected-error @+1 {{'attn.positional_encoding' op output shape [2, 4, 4] does not match the expected the input shape = [2, 5, 4]}}
  %r0 = attn.positional_encoding %a0 {kind = #attn.positional<sinusoidal>} : (tensor<2x5x4xf32>) -> tensor<2x4x4xf32>
  return
}

// -----

func.func @f(%a0: tensor<2x5x4xf32>) {
  // expected-error @+1 {{'attn.positional_encoding' op output element type 'bf16' does not match input element type 'f32'}}
  %r0 = attn.positional_encoding %a0 {kind = #attn.positional<sinusoidal>} : (tensor<2x5x4xf32>) -> tensor<2x5x4xbf16>
  return
}

// -----

func.func @f(%a0: tensor<2x5x4xf32>) {
  // expected-error @+1 {{'attn.positional_encoding' op requires attribute 'kind'}}
  %r0 = attn.positional_encoding %a0 : (tensor<2x5x4xf32>) -> tensor<2x5x4xf32>
  return
}

// -----

func.func @f(%x: tensor<5x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>) {
  // expected-error @+1 {{'attn.encoder_layer' op input must have rank 3 [B, L, E], got rank 2}}
  %r0 = attn.encoder_layer %x self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) ffn(%w1, %b1, %w2, %b2) norm2(%g2, %n2) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<5x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x?xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>) {
  // expected-error @+1 {{'attn.encoder_layer' op input embedding size must be static}}
  %r0 = attn.encoder_layer %x self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) ffn(%w1, %b1, %w2, %b2) norm2(%g2, %n2) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x?xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x?xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>) {
  // expected-error @+1 {{'attn.encoder_layer' op num_kv_heads 3 does not divide num_heads 2}}
  %r0 = attn.encoder_layer %x self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) ffn(%w1, %b1, %w2, %b2) norm2(%g2, %n2) {num_heads = 2 : i64, num_kv_heads = 3 : i64} : (tensor<2x5x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>) {
  // expected-error @+1 {{'attn.encoder_layer' op epsilon must be positive and finite, got -1}}
  %r0 = attn.encoder_layer %x self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) ffn(%w1, %b1, %w2, %b2) norm2(%g2, %n2) {num_heads = 2 : i64, num_kv_heads = 1 : i64, epsilon = -1.0 : f64} : (tensor<2x5x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>) {
  // expected-error @+1 {{'attn.encoder_layer' op window must have 2 elements [left, right], got 1}}
  %r0 = attn.encoder_layer %x self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) ffn(%w1, %b1, %w2, %b2) norm2(%g2, %n2) {num_heads = 2 : i64, num_kv_heads = 1 : i64, window = array<i64: 4>} : (tensor<2x5x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<8x8xf32>, %bk: tensor<8xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>) {
  // expected-error @+1 {{'attn.encoder_layer' op k_weight has 8 rows, expected 4 (num_kv_heads 1 * head dim 4)}}
  %r0 = attn.encoder_layer %x self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) ffn(%w1, %b1, %w2, %b2) norm2(%g2, %n2) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<6x8xf32>, %bo: tensor<6xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>) {
  // expected-error @+1 {{'attn.encoder_layer' op o_weight has 6 rows, expected 8 (the last dimension of input, for the residual)}}
  %r0 = attn.encoder_layer %x self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) ffn(%w1, %b1, %w2, %b2) norm2(%g2, %n2) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<6x8xf32>, tensor<6xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<6xf32>, %n1: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>) {
  // expected-error @+1 {{'attn.encoder_layer' op norm1_gamma has 6 elements, expected 8 (the last dimension of input)}}
  %r0 = attn.encoder_layer %x self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) ffn(%w1, %b1, %w2, %b2) norm2(%g2, %n2) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<6xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %w1: tensor<16x6xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>) {
  // expected-error @+1 {{'attn.encoder_layer' op ffn_w1 has 6 columns, expected 8 (the last dimension of input)}}
  %r0 = attn.encoder_layer %x self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) ffn(%w1, %b1, %w2, %b2) norm2(%g2, %n2) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x6xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<16xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>) {
  // expected-error @+1 {{'attn.encoder_layer' op ffn_b2 has 16 elements, expected 8 (the rows of ffn_w2)}}
  %r0 = attn.encoder_layer %x self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) ffn(%w1, %b1, %w2, %b2) norm2(%g2, %n2) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf16>) {
  // expected-error @+1 {{'attn.encoder_layer' op norm2_beta element type 'f16' does not match input element type 'f32'}}
  %r0 = attn.encoder_layer %x self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) ffn(%w1, %b1, %w2, %b2) norm2(%g2, %n2) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf16>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>) {
  // expected-error @+1 {{'attn.encoder_layer' op output shape [2, 5, 4] does not match the expected the input shape = [2, 5, 8]}}
  %r0 = attn.encoder_layer %x self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) ffn(%w1, %b1, %w2, %b2) norm2(%g2, %n2) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x4xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>, %m: tensor<2x5x6xi1>) {
  // expected-error @+1 {{'attn.encoder_layer' op mask shape [2, 5, 6] is not broadcastable to [2, 2, 5, 5]}}
  %r0 = attn.encoder_layer %x self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) ffn(%w1, %b1, %w2, %b2) norm2(%g2, %n2) mask(%m) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<2x5x6xi1>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %mem: tensor<7x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %cwq: tensor<8x8xf32>, %cbq: tensor<8xf32>, %cwk: tensor<4x8xf32>, %cbk: tensor<4xf32>, %cwv: tensor<4x8xf32>, %cbv: tensor<4xf32>, %cwo: tensor<8x8xf32>, %cbo: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g3: tensor<8xf32>, %n3: tensor<8xf32>) {
  // expected-error @+1 {{'attn.decoder_layer' op memory must have rank 3 [B, Ls, Em], got rank 2}}
  %r0 = attn.decoder_layer %x, %mem self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) cross_attn(%cwq, %cbq, %cwk, %cbk, %cwv, %cbv, %cwo, %cbo) norm2(%g2, %n2) ffn(%w1, %b1, %w2, %b2) norm3(%g3, %n3) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x8xf32>, tensor<7x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %mem: tensor<2x7x8xf16>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %cwq: tensor<8x8xf32>, %cbq: tensor<8xf32>, %cwk: tensor<4x8xf32>, %cbk: tensor<4xf32>, %cwv: tensor<4x8xf32>, %cbv: tensor<4xf32>, %cwo: tensor<8x8xf32>, %cbo: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g3: tensor<8xf32>, %n3: tensor<8xf32>) {
  // expected-error @+1 {{'attn.decoder_layer' op memory element type 'f16' does not match input element type 'f32'}}
  %r0 = attn.decoder_layer %x, %mem self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) cross_attn(%cwq, %cbq, %cwk, %cbk, %cwv, %cbv, %cwo, %cbo) norm2(%g2, %n2) ffn(%w1, %b1, %w2, %b2) norm3(%g3, %n3) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x8xf32>, tensor<2x7x8xf16>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %mem: tensor<3x7x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %cwq: tensor<8x8xf32>, %cbq: tensor<8xf32>, %cwk: tensor<4x8xf32>, %cbk: tensor<4xf32>, %cwv: tensor<4x8xf32>, %cbv: tensor<4xf32>, %cwo: tensor<8x8xf32>, %cbo: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g3: tensor<8xf32>, %n3: tensor<8xf32>) {
  // expected-error @+1 {{'attn.decoder_layer' op memory batch size 3 does not match input batch size 2}}
  %r0 = attn.decoder_layer %x, %mem self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) cross_attn(%cwq, %cbq, %cwk, %cbk, %cwv, %cbv, %cwo, %cbo) norm2(%g2, %n2) ffn(%w1, %b1, %w2, %b2) norm3(%g3, %n3) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x8xf32>, tensor<3x7x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x6xf32>, %mem: tensor<2x7x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %cwq: tensor<8x8xf32>, %cbq: tensor<8xf32>, %cwk: tensor<4x8xf32>, %cbk: tensor<4xf32>, %cwv: tensor<4x8xf32>, %cbv: tensor<4xf32>, %cwo: tensor<8x8xf32>, %cbo: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g3: tensor<8xf32>, %n3: tensor<8xf32>) {
  // expected-error @+1 {{'attn.decoder_layer' op q_weight has 8 columns, expected 6 (the last dimension of input)}}
  %r0 = attn.decoder_layer %x, %mem self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) cross_attn(%cwq, %cbq, %cwk, %cbk, %cwv, %cbv, %cwo, %cbo) norm2(%g2, %n2) ffn(%w1, %b1, %w2, %b2) norm3(%g3, %n3) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x6xf32>, tensor<2x7x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x6xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %mem: tensor<2x7x6xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %cwq: tensor<8x8xf32>, %cbq: tensor<8xf32>, %cwk: tensor<4x8xf32>, %cbk: tensor<4xf32>, %cwv: tensor<4x8xf32>, %cbv: tensor<4xf32>, %cwo: tensor<8x8xf32>, %cbo: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g3: tensor<8xf32>, %n3: tensor<8xf32>) {
  // expected-error @+1 {{'attn.decoder_layer' op cross_k_weight has 8 columns, expected 6 (the last dimension of memory)}}
  %r0 = attn.decoder_layer %x, %mem self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) cross_attn(%cwq, %cbq, %cwk, %cbk, %cwv, %cbv, %cwo, %cbo) norm2(%g2, %n2) ffn(%w1, %b1, %w2, %b2) norm3(%g3, %n3) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x8xf32>, tensor<2x7x6xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %mem: tensor<2x7x8xf32>, %wq: tensor<6x8xf32>, %bq: tensor<6xf32>, %wk: tensor<6x8xf32>, %bk: tensor<6xf32>, %wv: tensor<6x8xf32>, %bv: tensor<6xf32>, %wo: tensor<8x6xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %cwq: tensor<6x8xf32>, %cbq: tensor<6xf32>, %cwk: tensor<6x8xf32>, %cbk: tensor<6xf32>, %cwv: tensor<2x8xf32>, %cbv: tensor<2xf32>, %cwo: tensor<8x8xf32>, %cbo: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g3: tensor<8xf32>, %n3: tensor<8xf32>) {
  // expected-error @+1 {{'attn.decoder_layer' op cross_v_weight has 2 rows, not a multiple of num_kv_heads 3}}
  %r0 = attn.decoder_layer %x, %mem self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) cross_attn(%cwq, %cbq, %cwk, %cbk, %cwv, %cbv, %cwo, %cbo) norm2(%g2, %n2) ffn(%w1, %b1, %w2, %b2) norm3(%g3, %n3) {num_heads = 3 : i64, num_kv_heads = 3 : i64} : (tensor<2x5x8xf32>, tensor<2x7x8xf32>, tensor<6x8xf32>, tensor<6xf32>, tensor<6x8xf32>, tensor<6xf32>, tensor<6x8xf32>, tensor<6xf32>, tensor<8x6xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<6x8xf32>, tensor<6xf32>, tensor<6x8xf32>, tensor<6xf32>, tensor<2x8xf32>, tensor<2xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %mem: tensor<2x7x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %cwq: tensor<8x8xf32>, %cbq: tensor<8xf32>, %cwk: tensor<4x8xf32>, %cbk: tensor<4xf32>, %cwv: tensor<4x8xf32>, %cbv: tensor<4xf32>, %cwo: tensor<4x8xf32>, %cbo: tensor<4xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g3: tensor<8xf32>, %n3: tensor<8xf32>) {
  // expected-error @+1 {{'attn.decoder_layer' op cross_o_weight has 4 rows, expected 8 (the last dimension of input, for the residual)}}
  %r0 = attn.decoder_layer %x, %mem self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) cross_attn(%cwq, %cbq, %cwk, %cbk, %cwv, %cbv, %cwo, %cbo) norm2(%g2, %n2) ffn(%w1, %b1, %w2, %b2) norm3(%g3, %n3) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x8xf32>, tensor<2x7x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %mem: tensor<2x7x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %cwq: tensor<8x8xf32>, %cbq: tensor<8xf32>, %cwk: tensor<4x8xf32>, %cbk: tensor<4xf32>, %cwv: tensor<4x8xf32>, %cbv: tensor<4xf32>, %cwo: tensor<8x8xf32>, %cbo: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g3: tensor<4xf32>, %n3: tensor<8xf32>) {
  // expected-error @+1 {{'attn.decoder_layer' op norm3_gamma has 4 elements, expected 8 (the last dimension of input)}}
  %r0 = attn.decoder_layer %x, %mem self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) cross_attn(%cwq, %cbq, %cwk, %cbk, %cwv, %cbv, %cwo, %cbo) norm2(%g2, %n2) ffn(%w1, %b1, %w2, %b2) norm3(%g3, %n3) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x8xf32>, tensor<2x7x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<4xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %mem: tensor<2x7x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %cwq: tensor<8x8xf32>, %cbq: tensor<8xf32>, %cwk: tensor<4x8xf32>, %cbk: tensor<4xf32>, %cwv: tensor<4x8xf32>, %cbv: tensor<4xf32>, %cwo: tensor<8x8xf32>, %cbo: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g3: tensor<8xf32>, %n3: tensor<8xf32>, %sm: tensor<5x7xi1>) {
  // expected-error @+1 {{'attn.decoder_layer' op self_mask shape [5, 7] is not broadcastable to [2, 2, 5, 5]}}
  %r0 = attn.decoder_layer %x, %mem self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) cross_attn(%cwq, %cbq, %cwk, %cbk, %cwv, %cbv, %cwo, %cbo) norm2(%g2, %n2) ffn(%w1, %b1, %w2, %b2) norm3(%g3, %n3) self_mask(%sm) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x8xf32>, tensor<2x7x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<5x7xi1>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %mem: tensor<2x7x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %cwq: tensor<8x8xf32>, %cbq: tensor<8xf32>, %cwk: tensor<4x8xf32>, %cbk: tensor<4xf32>, %cwv: tensor<4x8xf32>, %cbv: tensor<4xf32>, %cwo: tensor<8x8xf32>, %cbo: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g3: tensor<8xf32>, %n3: tensor<8xf32>, %mm: tensor<5x5xi1>) {
  // expected-error @+1 {{'attn.decoder_layer' op memory_mask shape [5, 5] is not broadcastable to [2, 2, 5, 7]}}
  %r0 = attn.decoder_layer %x, %mem self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) cross_attn(%cwq, %cbq, %cwk, %cbk, %cwv, %cbv, %cwo, %cbo) norm2(%g2, %n2) ffn(%w1, %b1, %w2, %b2) norm3(%g3, %n3) memory_mask(%mm) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x8xf32>, tensor<2x7x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<5x5xi1>) -> tensor<2x5x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x5x8xf32>, %mem: tensor<2x7x8xf32>, %wq: tensor<8x8xf32>, %bq: tensor<8xf32>, %wk: tensor<4x8xf32>, %bk: tensor<4xf32>, %wv: tensor<4x8xf32>, %bv: tensor<4xf32>, %wo: tensor<8x8xf32>, %bo: tensor<8xf32>, %g1: tensor<8xf32>, %n1: tensor<8xf32>, %cwq: tensor<8x8xf32>, %cbq: tensor<8xf32>, %cwk: tensor<4x8xf32>, %cbk: tensor<4xf32>, %cwv: tensor<4x8xf32>, %cbv: tensor<4xf32>, %cwo: tensor<8x8xf32>, %cbo: tensor<8xf32>, %g2: tensor<8xf32>, %n2: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>, %g3: tensor<8xf32>, %n3: tensor<8xf32>, %sm: tensor<5x5xi1>, %mm: tensor<5x7xf16>) {
  // expected-error @+1 {{'attn.decoder_layer' op memory_mask element type 'f16' must be i1 or the input element type 'f32'}}
  %r0 = attn.decoder_layer %x, %mem self_attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) norm1(%g1, %n1) cross_attn(%cwq, %cbq, %cwk, %cbk, %cwv, %cbv, %cwo, %cbo) norm2(%g2, %n2) ffn(%w1, %b1, %w2, %b2) norm3(%g3, %n3) self_mask(%sm) memory_mask(%mm) {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<2x5x8xf32>, tensor<2x7x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<5x5xi1>, tensor<5x7xf16>) -> tensor<2x5x8xf32>
  return
}
