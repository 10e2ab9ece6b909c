// Round-trips every attn op, in custom and in generic form, with each
// attribute and optional operand.
// RUN: attn-opt %s | attn-opt | FileCheck %s
// RUN: attn-opt %s --mlir-print-op-generic | attn-opt | FileCheck %s

// CHECK-LABEL: func.func @sdpa_plain
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x8x16xf32>
func.func @sdpa_plain(%q: tensor<1x4x8x16xf32>, %k: tensor<1x4x8x16xf32>, %v: tensor<1x4x8x16xf32>) -> tensor<1x4x8x16xf32> {
  %o = attn.sdpa %q, %k, %v : (tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x8x16xf32>
  return %o : tensor<1x4x8x16xf32>
}

// All attributes at once, a broadcast bool mask, GQA 8/2, Dv != D, dynamic
// B/Lq/Lk, and the weights result.
// CHECK-LABEL: func.func @sdpa_everything
// CHECK: %[[O:.*]], %[[W:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}}) {causal, scale = 1.250000e-01 : f64, score = #attn.score<cosine>, softcap = 3.000000e+01 : f64, window = array<i64: 16, -1>} : (tensor<?x8x?x64xf16>, tensor<?x2x?x64xf16>, tensor<?x2x?x32xf16>, tensor<?x1x1x?xi1>) -> (tensor<?x8x?x32xf16>, tensor<?x8x?x?xf16>)
// CHECK: return %[[O]], %[[W]]
func.func @sdpa_everything(%q: tensor<?x8x?x64xf16>, %k: tensor<?x2x?x64xf16>, %v: tensor<?x2x?x32xf16>, %m: tensor<?x1x1x?xi1>) -> (tensor<?x8x?x32xf16>, tensor<?x8x?x?xf16>) {
  %o, %w = attn.sdpa %q, %k, %v mask(%m) {causal, scale = 0.125 : f64, softcap = 30.0 : f64, score = #attn.score<cosine>, window = array<i64: 16, -1>} : (tensor<?x8x?x64xf16>, tensor<?x2x?x64xf16>, tensor<?x2x?x32xf16>, tensor<?x1x1x?xi1>) -> (tensor<?x8x?x32xf16>, tensor<?x8x?x?xf16>)
  return %o, %w : tensor<?x8x?x32xf16>, tensor<?x8x?x?xf16>
}

// A float (additive) mask of rank 2, MQA 8/1, a two-sided window, bf16.
// CHECK-LABEL: func.func @sdpa_float_mask_window
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}}) {window = array<i64: 3, 2>} : (tensor<2x8x5x16xbf16>, tensor<2x1x7x16xbf16>, tensor<2x1x7x16xbf16>, tensor<5x7xbf16>) -> tensor<2x8x5x16xbf16>
func.func @sdpa_float_mask_window(%q: tensor<2x8x5x16xbf16>, %k: tensor<2x1x7x16xbf16>, %v: tensor<2x1x7x16xbf16>, %m: tensor<5x7xbf16>) -> tensor<2x8x5x16xbf16> {
  %o = attn.sdpa %q, %k, %v mask(%m) {window = array<i64: 3, 2>} : (tensor<2x8x5x16xbf16>, tensor<2x1x7x16xbf16>, tensor<2x1x7x16xbf16>, tensor<5x7xbf16>) -> tensor<2x8x5x16xbf16>
  return %o : tensor<2x8x5x16xbf16>
}

// The explicit default score prints as the default: elided.
// CHECK-LABEL: func.func @sdpa_default_score_elided
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} : (
// CHECK-NOT: score
func.func @sdpa_default_score_elided(%q: tensor<1x1x2x4xf32>) -> tensor<1x1x2x4xf32> {
  %o = attn.sdpa %q, %q, %q {score = #attn.score<dot>} : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x2x4xf32>
  return %o : tensor<1x1x2x4xf32>
}

// CHECK-LABEL: func.func @hard
// CHECK: attn.hard %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}}) {causal, scale = 2.000000e+00 : f64, score = #attn.score<cosine>, softcap = 5.000000e+00 : f64, window = array<i64: 2, -1>} : (tensor<2x4x6x8xf32>, tensor<2x2x9x8xf32>, tensor<2x2x9x3xf32>, tensor<6x9xf32>) -> tensor<2x4x6x3xf32>
// CHECK: attn.hard %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x4x6x8xf32>, tensor<2x2x9x8xf32>, tensor<2x2x9x3xf32>) -> tensor<2x4x6x3xf32>
func.func @hard(%q: tensor<2x4x6x8xf32>, %k: tensor<2x2x9x8xf32>, %v: tensor<2x2x9x3xf32>, %m: tensor<6x9xf32>) -> (tensor<2x4x6x3xf32>, tensor<2x4x6x3xf32>) {
  %a = attn.hard %q, %k, %v mask(%m) {causal, scale = 2.0 : f64, softcap = 5.0 : f64, score = #attn.score<cosine>, window = array<i64: 2, -1>} : (tensor<2x4x6x8xf32>, tensor<2x2x9x8xf32>, tensor<2x2x9x3xf32>, tensor<6x9xf32>) -> tensor<2x4x6x3xf32>
  %b = attn.hard %q, %k, %v : (tensor<2x4x6x8xf32>, tensor<2x2x9x8xf32>, tensor<2x2x9x3xf32>) -> tensor<2x4x6x3xf32>
  return %a, %b : tensor<2x4x6x3xf32>, tensor<2x4x6x3xf32>
}

// CHECK-LABEL: func.func @additive
// CHECK: attn.additive %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x5x16xf32>, tensor<2x7x12xf32>, tensor<2x7x10xf32>, tensor<8x16xf32>, tensor<8x12xf32>, tensor<8xf32>) -> tensor<2x5x10xf32>
// CHECK: attn.additive %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} bias(%{{.*}}) mask(%{{.*}}) : (tensor<2x5x16xf32>, tensor<2x7x12xf32>, tensor<2x7x10xf32>, tensor<8x16xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<8xf32>, tensor<2x1x7xi1>) -> (tensor<2x5x10xf32>, tensor<2x5x7xf32>)
// CHECK: attn.additive %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}}) : (tensor<2x5x16xf32>, tensor<2x7x12xf32>, tensor<2x7x10xf32>, tensor<8x16xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<5x7xf32>) -> tensor<2x5x10xf32>
func.func @additive(%q: tensor<2x5x16xf32>, %k: tensor<2x7x12xf32>, %v: tensor<2x7x10xf32>, %wq: tensor<8x16xf32>, %wk: tensor<8x12xf32>, %e: tensor<8xf32>, %b: tensor<8xf32>, %m: tensor<2x1x7xi1>, %fm: tensor<5x7xf32>) -> (tensor<2x5x10xf32>, tensor<2x5x10xf32>, tensor<2x5x7xf32>, tensor<2x5x10xf32>) {
  %a = attn.additive %q, %k, %v, %wq, %wk, %e : (tensor<2x5x16xf32>, tensor<2x7x12xf32>, tensor<2x7x10xf32>, tensor<8x16xf32>, tensor<8x12xf32>, tensor<8xf32>) -> tensor<2x5x10xf32>
  %o, %w = attn.additive %q, %k, %v, %wq, %wk, %e bias(%b) mask(%m) : (tensor<2x5x16xf32>, tensor<2x7x12xf32>, tensor<2x7x10xf32>, tensor<8x16xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<8xf32>, tensor<2x1x7xi1>) -> (tensor<2x5x10xf32>, tensor<2x5x7xf32>)
  %c = attn.additive %q, %k, %v, %wq, %wk, %e mask(%fm) : (tensor<2x5x16xf32>, tensor<2x7x12xf32>, tensor<2x7x10xf32>, tensor<8x16xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<5x7xf32>) -> tensor<2x5x10xf32>
  return %a, %o, %w, %c : tensor<2x5x10xf32>, tensor<2x5x10xf32>, tensor<2x5x7xf32>, tensor<2x5x10xf32>
}

// CHECK-LABEL: func.func @softmax
// CHECK: attn.softmax %{{.*}} axis(3) : tensor<2x4x8x8xf32>
// CHECK: attn.softmax %{{.*}} axis(-1) : tensor<2x4x8x8xf32>
// CHECK: attn.log_softmax %{{.*}} axis(0) : tensor<2x4x8x8xf32>
// CHECK: attn.log_softmax %{{.*}} axis(-4) : tensor<2x4x8x8xf32>
func.func @softmax(%x: tensor<2x4x8x8xf32>) -> (tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>) {
  %a = attn.softmax %x axis(3) : tensor<2x4x8x8xf32>
  %b = attn.softmax %x axis(-1) : tensor<2x4x8x8xf32>
  %c = attn.log_softmax %x axis(0) : tensor<2x4x8x8xf32>
  %d = attn.log_softmax %x axis(-4) : tensor<2x4x8x8xf32>
  return %a, %b, %c, %d : tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>
}

// Self-attention with GQA and every attention attribute, returning weights.
// CHECK-LABEL: func.func @multihead_self
// CHECK: attn.multihead %[[X:.*]], %[[X]], %[[X]] q_proj(%{{.*}}, %{{.*}}) k_proj(%{{.*}}, %{{.*}}) v_proj(%{{.*}}, %{{.*}}) out_proj(%{{.*}}, %{{.*}}) mask(%{{.*}}) {causal, num_heads = 4 : i64, num_kv_heads = 2 : i64, scale = 5.000000e-01 : f64, score = #attn.score<cosine>, softcap = 2.000000e+01 : f64, window = array<i64: 3, -1>} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<2x1x1x5xi1>) -> (tensor<2x5x16xf32>, tensor<2x4x5x5xf32>)
func.func @multihead_self(%x: tensor<2x5x16xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wkv: tensor<8x16xf32>, %bkv: tensor<8xf32>, %m: tensor<2x1x1x5xi1>) -> (tensor<2x5x16xf32>, tensor<2x4x5x5xf32>) {
  %y, %w = attn.multihead %x, %x, %x q_proj(%wq, %bq) k_proj(%wkv, %bkv) v_proj(%wkv, %bkv) out_proj(%wq, %bq) mask(%m) {num_heads = 4 : i64, num_kv_heads = 2 : i64, causal, scale = 0.5 : f64, softcap = 20.0 : f64, score = #attn.score<cosine>, window = array<i64: 3, -1>} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<2x1x1x5xi1>) -> (tensor<2x5x16xf32>, tensor<2x4x5x5xf32>)
  return %y, %w : tensor<2x5x16xf32>, tensor<2x4x5x5xf32>
}

// Cross-attention: different key/value embedding sizes, Dv != D, Eo != Eq,
// dynamic lengths.
// CHECK-LABEL: func.func @multihead_cross
// CHECK: attn.multihead %{{.*}}, %{{.*}}, %{{.*}} q_proj(%{{.*}}, %{{.*}}) k_proj(%{{.*}}, %{{.*}}) v_proj(%{{.*}}, %{{.*}}) out_proj(%{{.*}}, %{{.*}}) {num_heads = 2 : i64} : (tensor<3x?x16xf32>, tensor<3x?x12xf32>, tensor<3x?x10xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<6x10xf32>, tensor<6xf32>, tensor<20x6xf32>, tensor<20xf32>) -> tensor<3x?x20xf32>
func.func @multihead_cross(%x: tensor<3x?x16xf32>, %k: tensor<3x?x12xf32>, %v: tensor<3x?x10xf32>, %wq: tensor<8x16xf32>, %bq: tensor<8xf32>, %wk: tensor<8x12xf32>, %bk: tensor<8xf32>, %wv: tensor<6x10xf32>, %bv: tensor<6xf32>, %wo: tensor<20x6xf32>, %bo: tensor<20xf32>) -> tensor<3x?x20xf32> {
  %y = attn.multihead %x, %k, %v q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) {num_heads = 2 : i64} : (tensor<3x?x16xf32>, tensor<3x?x12xf32>, tensor<3x?x10xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<6x10xf32>, tensor<6xf32>, tensor<20x6xf32>, tensor<20xf32>) -> tensor<3x?x20xf32>
  return %y : tensor<3x?x20xf32>
}

// CHECK-LABEL: func.func @linear
// CHECK: attn.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x?x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<2x?x32xf32>
// CHECK: attn.linear %{{.*}}, %{{.*}} : (tensor<2x?x16xf32>, tensor<32x16xf32>) -> tensor<2x?x32xf32>
func.func @linear(%x: tensor<2x?x16xf32>, %w: tensor<32x16xf32>, %b: tensor<32xf32>) -> (tensor<2x?x32xf32>, tensor<2x?x32xf32>) {
  %a = attn.linear %x, %w, %b : (tensor<2x?x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<2x?x32xf32>
  %c = attn.linear %x, %w : (tensor<2x?x16xf32>, tensor<32x16xf32>) -> tensor<2x?x32xf32>
  return %a, %c : tensor<2x?x32xf32>, tensor<2x?x32xf32>
}

// The fused epilogue: an activation, a residual, or both.
// CHECK-LABEL: func.func @linear_epilogue
// CHECK: attn.linear %{{.*}}, %{{.*}}, %{{.*}} {activation = #attn.activation<gelu>} : (tensor<2x?x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<2x?x32xf32>
// CHECK: attn.linear %{{.*}}, %{{.*}} residual(%{{.*}}) : (tensor<2x?x16xf32>, tensor<32x16xf32>, tensor<2x?x32xf32>) -> tensor<2x?x32xf32>
// CHECK: attn.linear %{{.*}}, %{{.*}}, %{{.*}} residual(%{{.*}}) {activation = #attn.activation<gelu_tanh>} : (tensor<2x?x16xf32>, tensor<32x16xf32>, tensor<32xf32>, tensor<2x?x32xf32>) -> tensor<2x?x32xf32>
func.func @linear_epilogue(%x: tensor<2x?x16xf32>, %w: tensor<32x16xf32>, %b: tensor<32xf32>, %r: tensor<2x?x32xf32>) -> (tensor<2x?x32xf32>, tensor<2x?x32xf32>, tensor<2x?x32xf32>) {
  %a = attn.linear %x, %w, %b {activation = #attn.activation<gelu>} : (tensor<2x?x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<2x?x32xf32>
  %c = attn.linear %x, %w residual(%r) : (tensor<2x?x16xf32>, tensor<32x16xf32>, tensor<2x?x32xf32>) -> tensor<2x?x32xf32>
  %d = attn.linear %x, %w, %b residual(%r) {activation = #attn.activation<gelu_tanh>} : (tensor<2x?x16xf32>, tensor<32x16xf32>, tensor<32xf32>, tensor<2x?x32xf32>) -> tensor<2x?x32xf32>
  return %a, %c, %d : tensor<2x?x32xf32>, tensor<2x?x32xf32>, tensor<2x?x32xf32>
}

// CHECK-LABEL: func.func @layer_norm
// CHECK: attn.layer_norm %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x5x16xf16>, tensor<16xf16>, tensor<16xf16>) -> tensor<2x5x16xf16>
// CHECK: attn.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 9.9999999999999998E-13 : f64} : (tensor<2x5x16xf16>, tensor<16xf16>, tensor<16xf16>) -> tensor<2x5x16xf16>
func.func @layer_norm(%x: tensor<2x5x16xf16>, %g: tensor<16xf16>, %b: tensor<16xf16>) -> (tensor<2x5x16xf16>, tensor<2x5x16xf16>) {
  %a = attn.layer_norm %x, %g, %b : (tensor<2x5x16xf16>, tensor<16xf16>, tensor<16xf16>) -> tensor<2x5x16xf16>
  %c = attn.layer_norm %x, %g, %b {epsilon = 1.0e-12 : f64} : (tensor<2x5x16xf16>, tensor<16xf16>, tensor<16xf16>) -> tensor<2x5x16xf16>
  return %a, %c : tensor<2x5x16xf16>, tensor<2x5x16xf16>
}

// CHECK-LABEL: func.func @ffn
// CHECK: attn.ffn %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (
// CHECK: attn.ffn %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {activation = #attn.activation<gelu>} : (
// CHECK: attn.ffn %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {activation = #attn.activation<gelu_tanh>} : (tensor<2x5x16xf32>, tensor<64x16xf32>, tensor<64xf32>, tensor<16x64xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
func.func @ffn(%x: tensor<2x5x16xf32>, %w1: tensor<64x16xf32>, %b1: tensor<64xf32>, %w2: tensor<16x64xf32>, %b2: tensor<16xf32>) -> (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>) {
  %a = attn.ffn %x, %w1, %b1, %w2, %b2 {activation = #attn.activation<relu>} : (tensor<2x5x16xf32>, tensor<64x16xf32>, tensor<64xf32>, tensor<16x64xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %b = attn.ffn %x, %w1, %b1, %w2, %b2 {activation = #attn.activation<gelu>} : (tensor<2x5x16xf32>, tensor<64x16xf32>, tensor<64xf32>, tensor<16x64xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %c = attn.ffn %x, %w1, %b1, %w2, %b2 {activation = #attn.activation<gelu_tanh>} : (tensor<2x5x16xf32>, tensor<64x16xf32>, tensor<64xf32>, tensor<16x64xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return %a, %b, %c : tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>
}

// CHECK-LABEL: func.func @embedding
// CHECK: attn.embedding %{{.*}}, %{{.*}} : (tensor<2x?xi64>, tensor<100x16xf32>) -> tensor<2x?x16xf32>
// CHECK: attn.embedding %{{.*}}, %{{.*}} {scale = 4.000000e+00 : f64} : (tensor<7xi32>, tensor<100x16xf32>) -> tensor<7x16xf32>
func.func @embedding(%ids: tensor<2x?xi64>, %ids32: tensor<7xi32>, %t: tensor<100x16xf32>) -> (tensor<2x?x16xf32>, tensor<7x16xf32>) {
  %a = attn.embedding %ids, %t : (tensor<2x?xi64>, tensor<100x16xf32>) -> tensor<2x?x16xf32>
  %b = attn.embedding %ids32, %t {scale = 4.0 : f64} : (tensor<7xi32>, tensor<100x16xf32>) -> tensor<7x16xf32>
  return %a, %b : tensor<2x?x16xf32>, tensor<7x16xf32>
}

// CHECK-LABEL: func.func @positional_encoding
// CHECK: attn.positional_encoding %{{.*}} {kind = #attn.positional<sinusoidal>} : (tensor<2x?x16xf32>) -> tensor<2x?x16xf32>
// CHECK: attn.positional_encoding %{{.*}}, %{{.*}} {kind = #attn.positional<learned>} : (tensor<2x?x16xf32>, tensor<512x16xf32>) -> tensor<2x?x16xf32>
func.func @positional_encoding(%x: tensor<2x?x16xf32>, %t: tensor<512x16xf32>) -> (tensor<2x?x16xf32>, tensor<2x?x16xf32>) {
  %a = attn.positional_encoding %x {kind = #attn.positional<sinusoidal>} : (tensor<2x?x16xf32>) -> tensor<2x?x16xf32>
  %b = attn.positional_encoding %x, %t {kind = #attn.positional<learned>} : (tensor<2x?x16xf32>, tensor<512x16xf32>) -> tensor<2x?x16xf32>
  return %a, %b : tensor<2x?x16xf32>, tensor<2x?x16xf32>
}

// Post-norm with defaults, and pre-norm GQA with every option and a mask.
// CHECK-LABEL: func.func @encoder_layer
// CHECK: attn.encoder_layer %{{.*}} self_attn(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) norm1(%{{.*}}, %{{.*}}) ffn(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) norm2(%{{.*}}, %{{.*}}) {num_heads = 2 : i64} : (
// CHECK: attn.encoder_layer %{{.*}} self_attn({{.*}}) norm1({{.*}}) ffn({{.*}}) norm2({{.*}}) mask(%{{.*}}) {activation = #attn.activation<gelu>, causal, epsilon = 9.9999999999999998E-13 : f64, norm = #attn.norm<pre>, num_heads = 2 : i64, num_kv_heads = 1 : i64, scale = 2.500000e-01 : f64, score = #attn.score<cosine>, softcap = 5.000000e+01 : f64, window = array<i64: 2, -1>} : (tensor<2x5x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<2x1x1x5xi1>) -> tensor<2x5x8xf32>
func.func @encoder_layer(%x: tensor<2x5x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<4xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %m: tensor<2x1x1x5xi1>) -> (tensor<2x5x8xf32>, tensor<2x5x8xf32>) {
  %a = attn.encoder_layer %x self_attn(%w, %b, %w, %b, %w, %b, %w, %b) norm1(%b, %b) ffn(%w1, %b1, %w2, %b) norm2(%b, %b) {num_heads = 2 : i64} : (tensor<2x5x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  %c = attn.encoder_layer %x self_attn(%w, %b, %wkv, %bkv, %wkv, %bkv, %w, %b) norm1(%b, %b) ffn(%w1, %b1, %w2, %b) norm2(%b, %b) mask(%m) {num_heads = 2 : i64, num_kv_heads = 1 : i64, norm = #attn.norm<pre>, activation = #attn.activation<gelu>, epsilon = 1.0e-12 : f64, causal, window = array<i64: 2, -1>, scale = 0.25 : f64, softcap = 50.0 : f64, score = #attn.score<cosine>} : (tensor<2x5x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<2x1x1x5xi1>) -> tensor<2x5x8xf32>
  return %a, %c : tensor<2x5x8xf32>, tensor<2x5x8xf32>
}

// Decoder layers: no masks; both masks; only a memory mask (the operand
// segments must keep the two optional masks apart).
// CHECK-LABEL: func.func @decoder_layer
// CHECK: attn.decoder_layer %{{.*}}, %{{.*}} self_attn({{.*}}) norm1({{.*}}) cross_attn({{.*}}) norm2({{.*}}) ffn({{.*}}) norm3(%{{.*}}, %{{.*}}) {num_heads = 2 : i64} : (
// CHECK: attn.decoder_layer %{{.*}}, %{{.*}} self_attn({{.*}}) norm1({{.*}}) cross_attn({{.*}}) norm2({{.*}}) ffn({{.*}}) norm3(%{{.*}}, %{{.*}}) self_mask(%{{.*}}) memory_mask(%{{.*}}) {activation = #attn.activation<gelu_tanh>, epsilon = 9.9999999999999995E-7 : f64, norm = #attn.norm<pre>, num_heads = 2 : i64, num_kv_heads = 1 : i64, scale = 5.000000e-01 : f64, score = #attn.score<cosine>, softcap = 1.000000e+01 : f64, window = array<i64: 4, -1>} : (
// CHECK-SAME: tensor<2x3x3xf32>, tensor<2x1x1x7xi1>) -> tensor<2x3x8xf32>
// CHECK: attn.decoder_layer %{{.*}}, %{{.*}} self_attn({{.*}}) norm1({{.*}}) cross_attn({{.*}}) norm2({{.*}}) ffn({{.*}}) norm3(%{{.*}}, %{{.*}}) memory_mask(%{{.*}}) {num_heads = 2 : i64} : (
// CHECK-SAME: tensor<8xf32>, tensor<2x1x1x7xi1>) -> tensor<2x3x8xf32>
func.func @decoder_layer(%x: tensor<2x3x8xf32>, %mem: tensor<2x7x6xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<4xf32>, %wm: tensor<8x6xf32>, %wmkv: tensor<4x6xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %sm: tensor<2x3x3xf32>, %mm: tensor<2x1x1x7xi1>) -> (tensor<2x3x8xf32>, tensor<2x3x8xf32>, tensor<2x3x8xf32>) {
  %a = attn.decoder_layer %x, %mem self_attn(%w, %b, %w, %b, %w, %b, %w, %b) norm1(%b, %b) cross_attn(%w, %b, %wm, %b, %wm, %b, %w, %b) norm2(%b, %b) ffn(%w1, %b1, %w2, %b) norm3(%b, %b) {num_heads = 2 : i64} : (tensor<2x3x8xf32>, tensor<2x7x6xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x6xf32>, tensor<8xf32>, tensor<8x6xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
  %c = attn.decoder_layer %x, %mem self_attn(%w, %b, %wkv, %bkv, %wkv, %bkv, %w, %b) norm1(%b, %b) cross_attn(%w, %b, %wmkv, %bkv, %wmkv, %bkv, %w, %b) norm2(%b, %b) ffn(%w1, %b1, %w2, %b) norm3(%b, %b) self_mask(%sm) memory_mask(%mm) {num_heads = 2 : i64, num_kv_heads = 1 : i64, norm = #attn.norm<pre>, activation = #attn.activation<gelu_tanh>, epsilon = 1.0e-6 : f64, window = array<i64: 4, -1>, scale = 0.5 : f64, softcap = 10.0 : f64, score = #attn.score<cosine>} : (tensor<2x3x8xf32>, tensor<2x7x6xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x6xf32>, tensor<4xf32>, tensor<4x6xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<2x3x3xf32>, tensor<2x1x1x7xi1>) -> tensor<2x3x8xf32>
  %d = attn.decoder_layer %x, %mem self_attn(%w, %b, %w, %b, %w, %b, %w, %b) norm1(%b, %b) cross_attn(%w, %b, %wm, %b, %wm, %b, %w, %b) norm2(%b, %b) ffn(%w1, %b1, %w2, %b) norm3(%b, %b) memory_mask(%mm) {num_heads = 2 : i64} : (tensor<2x3x8xf32>, tensor<2x7x6xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x6xf32>, tensor<8xf32>, tensor<8x6xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<2x1x1x7xi1>) -> tensor<2x3x8xf32>
  return %a, %c, %d : tensor<2x3x8xf32>, tensor<2x3x8xf32>, tensor<2x3x8xf32>
}
