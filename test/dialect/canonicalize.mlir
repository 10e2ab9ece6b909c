// Canonical forms of attn ops: masks that hide nothing are dropped, unused
// attention weights are not computed, visibility has one spelling, and
// softmax axes are non-negative.
// RUN: attn-opt %s --canonicalize --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @sdpa_unused_weights
// CHECK: %[[O:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {causal} : ({{.*}}) -> tensor<1x2x4x8xf32>
// CHECK-NEXT: return %[[O]]
func.func @sdpa_unused_weights(%q: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %o, %w = attn.sdpa %q, %q, %q {causal} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> (tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
  return %o : tensor<1x2x4x8xf32>
}

// -----

// Used weights stay.
// CHECK-LABEL: func.func @sdpa_used_weights
// CHECK: %[[O:.*]], %[[W:.*]] = attn.sdpa
// CHECK: return %[[O]], %[[W]]
func.func @sdpa_used_weights(%q: tensor<1x2x4x8xf32>) -> (tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>) {
  %o, %w = attn.sdpa %q, %q, %q : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> (tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>)
  return %o, %w : tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @sdpa_trivial_masks
// CHECK-NOT: arith.constant
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
func.func @sdpa_trivial_masks(%q: tensor<1x2x4x8xf32>) -> (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) {
  %all = arith.constant dense<true> : tensor<4x4xi1>
  %zero = arith.constant dense<0.0> : tensor<1x1x4x4xf32>
  %a = attn.sdpa %q, %q, %q mask(%all) : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<4x4xi1>) -> tensor<1x2x4x8xf32>
  %b = attn.sdpa %q, %q, %q mask(%zero) : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x1x4x4xf32>) -> tensor<1x2x4x8xf32>
  return %a, %b : tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>
}

// -----

// Masks that hide something, or are not constant, stay.
// CHECK-LABEL: func.func @sdpa_real_masks
// CHECK-DAG: %[[NONE:.*]] = arith.constant dense<false> : tensor<4x4xi1>
// CHECK-DAG: %[[MIXED:.*]] = arith.constant dense<[0.000000e+00, 0xFF800000, 0.000000e+00, 0.000000e+00]> : tensor<4xf32>
// CHECK-DAG: %[[NEG:.*]] = arith.constant dense<-1.000000e+00> : tensor<4xf32>
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%[[NONE]])
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%[[MIXED]])
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%[[NEG]])
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}})
func.func @sdpa_real_masks(%q: tensor<1x2x4x8xf32>, %m: tensor<4x4xi1>) -> (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) {
  %none = arith.constant dense<false> : tensor<4x4xi1>
  %mixed = arith.constant dense<[0.0, 0xFF800000, 0.0, 0.0]> : tensor<4xf32>
  %neg = arith.constant dense<-1.0> : tensor<4xf32>
  %a = attn.sdpa %q, %q, %q mask(%none) : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<4x4xi1>) -> tensor<1x2x4x8xf32>
  %b = attn.sdpa %q, %q, %q mask(%mixed) : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<4xf32>) -> tensor<1x2x4x8xf32>
  %c = attn.sdpa %q, %q, %q mask(%neg) : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<4xf32>) -> tensor<1x2x4x8xf32>
  %d = attn.sdpa %q, %q, %q mask(%m) : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<4x4xi1>) -> tensor<1x2x4x8xf32>
  return %a, %b, %c, %d : tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>
}

// -----

// Causal attention has one spelling: `causal`, with a window only when it
// bounds the left side.
// CHECK-LABEL: func.func @sdpa_visibility
// CHECK: attn.sdpa {{.*}} {causal, window = array<i64: 3, -1>}
// CHECK: attn.sdpa {{.*}} {causal} :
// CHECK: attn.sdpa {{.*}} {causal, window = array<i64: 5, -1>}
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} : (
// CHECK: attn.sdpa {{.*}} {window = array<i64: 2, 3>}
// CHECK: attn.sdpa {{.*}} {window = array<i64: -1, 1>}
func.func @sdpa_visibility(%q: tensor<1x2x4x8xf32>) -> (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) {
  %a = attn.sdpa %q, %q, %q {window = array<i64: 3, 0>} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  %b = attn.sdpa %q, %q, %q {window = array<i64: -1, 0>} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  %c = attn.sdpa %q, %q, %q {causal, window = array<i64: 5, 7>} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  %d = attn.sdpa %q, %q, %q {window = array<i64: -1, -1>} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  %e = attn.sdpa %q, %q, %q {window = array<i64: 2, 3>} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  %f = attn.sdpa %q, %q, %q {window = array<i64: -1, 1>} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %a, %b, %c, %d, %e, %f : tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>
}

// -----

// CHECK-LABEL: func.func @hard
// CHECK-NOT: arith.constant
// CHECK: attn.hard %{{.*}}, %{{.*}}, %{{.*}} {causal} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
func.func @hard(%q: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %all = arith.constant dense<true> : tensor<4xi1>
  %o = attn.hard %q, %q, %q mask(%all) {window = array<i64: -1, 0>} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<4xi1>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// The bias stays while the trivial mask goes: the operand segments update.
// CHECK-LABEL: func.func @additive
// CHECK: %[[O:.*]] = attn.additive %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} bias(%{{.*}}) : ({{.*}}) -> tensor<2x3x4xf32>
// CHECK-NEXT: return %[[O]]
func.func @additive(%q: tensor<2x3x4xf32>, %w: tensor<5x4xf32>, %e: tensor<5xf32>) -> tensor<2x3x4xf32> {
  %zero = arith.constant dense<0.0> : tensor<2x3x3xf32>
  %o, %wts = attn.additive %q, %q, %q, %w, %w, %e bias(%e) mask(%zero) : (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5xf32>, tensor<5xf32>, tensor<2x3x3xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x3xf32>)
  return %o : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @softmax_axis
// CHECK: attn.softmax %{{.*}} axis(2) : tensor<2x3x4xf32>
// CHECK: attn.log_softmax %{{.*}} axis(0) : tensor<2x3x4xf32>
// CHECK: attn.softmax %{{.*}} axis(1) : tensor<2x3x4xf32>
func.func @softmax_axis(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %a = attn.softmax %x axis(-1) : tensor<2x3x4xf32>
  %b = attn.log_softmax %x axis(-3) : tensor<2x3x4xf32>
  %c = attn.softmax %x axis(1) : tensor<2x3x4xf32>
  return %a, %b, %c : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @multihead
// CHECK-NOT: arith.constant
// CHECK: %[[Y:.*]] = attn.multihead %{{.*}}, %{{.*}}, %{{.*}} q_proj(%{{.*}}, %{{.*}}) k_proj(%{{.*}}, %{{.*}}) v_proj(%{{.*}}, %{{.*}}) out_proj(%{{.*}}, %{{.*}}) {causal, num_heads = 2 : i64, window = array<i64: 1, -1>} : ({{.*}}) -> tensor<1x3x4xf32>
// CHECK-NEXT: return %[[Y]]
func.func @multihead(%x: tensor<1x3x4xf32>, %w: tensor<4x4xf32>, %b: tensor<4xf32>) -> tensor<1x3x4xf32> {
  %all = arith.constant dense<true> : tensor<1x1x1x3xi1>
  %y, %wts = attn.multihead %x, %x, %x q_proj(%w, %b) k_proj(%w, %b) v_proj(%w, %b) out_proj(%w, %b) mask(%all) {num_heads = 2 : i64, window = array<i64: 1, 0>} : (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<1x1x1x3xi1>) -> (tensor<1x3x4xf32>, tensor<1x2x3x3xf32>)
  return %y : tensor<1x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @encoder_layer
// CHECK-NOT: arith.constant
// CHECK: attn.encoder_layer %{{.*}} self_attn({{.*}}) norm1({{.*}}) ffn({{.*}}) norm2(%{{.*}}, %{{.*}}) {num_heads = 2 : i64} : (
// CHECK-NOT: mask
func.func @encoder_layer(%x: tensor<1x3x4xf32>, %w: tensor<4x4xf32>, %b: tensor<4xf32>) -> tensor<1x3x4xf32> {
  %zero = arith.constant dense<0.0> : tensor<3x3xf32>
  %y = attn.encoder_layer %x self_attn(%w, %b, %w, %b, %w, %b, %w, %b) norm1(%b, %b) ffn(%w, %b, %w, %b) norm2(%b, %b) mask(%zero) {num_heads = 2 : i64, window = array<i64: -1, -1>} : (tensor<1x3x4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3x3xf32>) -> tensor<1x3x4xf32>
  return %y : tensor<1x3x4xf32>
}

// -----

// The decoder's self-attention is always causal, so a right window bound is
// meaningless; dropping the trivial self mask keeps the memory mask.
// CHECK-LABEL: func.func @decoder_layer
// CHECK: %[[MM:.*]] = arith.constant dense<[true, false]> : tensor<2xi1>
// CHECK: attn.decoder_layer {{.*}} norm3(%{{.*}}, %{{.*}}) memory_mask(%[[MM]]) {num_heads = 2 : i64, window = array<i64: 2, -1>} : (
// CHECK: attn.decoder_layer {{.*}} norm3(%{{.*}}, %{{.*}}) {num_heads = 2 : i64} : (
func.func @decoder_layer(%x: tensor<1x3x4xf32>, %mem: tensor<1x2x4xf32>, %w: tensor<4x4xf32>, %b: tensor<4xf32>) -> (tensor<1x3x4xf32>, tensor<1x3x4xf32>) {
  %all = arith.constant dense<true> : tensor<3x3xi1>
  %mm = arith.constant dense<[true, false]> : tensor<2xi1>
  %y = attn.decoder_layer %x, %mem self_attn(%w, %b, %w, %b, %w, %b, %w, %b) norm1(%b, %b) cross_attn(%w, %b, %w, %b, %w, %b, %w, %b) norm2(%b, %b) ffn(%w, %b, %w, %b) norm3(%b, %b) self_mask(%all) memory_mask(%mm) {num_heads = 2 : i64, window = array<i64: 2, 5>} : (tensor<1x3x4xf32>, tensor<1x2x4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3x3xi1>, tensor<2xi1>) -> tensor<1x3x4xf32>
  %z = attn.decoder_layer %x, %mem self_attn(%w, %b, %w, %b, %w, %b, %w, %b) norm1(%b, %b) cross_attn(%w, %b, %w, %b, %w, %b, %w, %b) norm2(%b, %b) ffn(%w, %b, %w, %b) norm3(%b, %b) {num_heads = 2 : i64, window = array<i64: -1, 3>} : (tensor<1x3x4xf32>, tensor<1x2x4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x3x4xf32>
  return %y, %z : tensor<1x3x4xf32>, tensor<1x3x4xf32>
}
