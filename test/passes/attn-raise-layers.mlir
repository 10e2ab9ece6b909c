// attn-raise-layers: projections split into heads around attn.sdpa become
// attn.multihead, two chained attn.linear with an activation attn.ffn, and
// residual blocks of those attn.encoder_layer or attn.decoder_layer. What
// does not have the whole pattern (another user of an intermediate value,
// LayerNorms with different epsilons, an op that would not verify) stays.
// RUN: attn-opt %s --attn-raise-layers --split-input-file | FileCheck %s

// The importer's form of one attention: Q, K, V projections, K through the
// two transposes of an exported Kᵀ, the sdpa with a mask and a scale, the
// heads merged and the output projection, which has no bias (a zero one is
// made). The tensor.dim of an intermediate value is resolved.
// CHECK-LABEL: func.func @multihead
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x16xf32>, %[[M:[^:]*]]: tensor<?x1x1x?xf32>, %[[W:[^:]*]]: tensor<16x16xf32>, %[[B:[^:]*]]: tensor<16xf32>
// CHECK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<16xf32>
// CHECK: %[[Y:.*]] = attn.multihead %[[X]], %[[X]], %[[X]] q_proj(%[[W]], %[[B]]) k_proj(%[[W]], %[[B]]) v_proj(%[[W]], %[[B]]) out_proj(%[[W]], %[[Z]]) mask(%[[M]]) {num_heads = 2 : i64, scale = 2.500000e-01 : f64}
// CHECK-NOT: attn.sdpa
// CHECK-NOT: linalg.transpose
// CHECK-NOT: attn.linear
// CHECK: return %[[Y]]
func.func @multihead(%x: tensor<?x?x16xf32>, %mask: tensor<?x1x1x?xf32>, %w: tensor<16x16xf32>, %b: tensor<16xf32>) -> (tensor<?x?x16xf32>, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %x, %c0 : tensor<?x?x16xf32>
  %l = tensor.dim %x, %c1 : tensor<?x?x16xf32>
  %q = attn.linear %x, %w, %b : (tensor<?x?x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<?x?x16xf32>
  %q4 = tensor.expand_shape %q [[0], [1], [2, 3]] output_shape [%n, %l, 2, 8] : tensor<?x?x16xf32> into tensor<?x?x2x8xf32>
  %eq = tensor.empty(%n, %l) : tensor<?x2x?x8xf32>
  %qh = linalg.transpose ins(%q4 : tensor<?x?x2x8xf32>) outs(%eq : tensor<?x2x?x8xf32>) permutation = [0, 2, 1, 3]
  %k = attn.linear %x, %w, %b : (tensor<?x?x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<?x?x16xf32>
  %k4 = tensor.expand_shape %k [[0], [1], [2, 3]] output_shape [%n, %l, 2, 8] : tensor<?x?x16xf32> into tensor<?x?x2x8xf32>
  %kl = tensor.dim %k4, %c1 : tensor<?x?x2x8xf32>
  %ekt = tensor.empty(%n, %kl) : tensor<?x2x8x?xf32>
  %kt = linalg.transpose ins(%k4 : tensor<?x?x2x8xf32>) outs(%ekt : tensor<?x2x8x?xf32>) permutation = [0, 2, 3, 1]
  %ek = tensor.empty(%n, %kl) : tensor<?x2x?x8xf32>
  %kh = linalg.transpose ins(%kt : tensor<?x2x8x?xf32>) outs(%ek : tensor<?x2x?x8xf32>) permutation = [0, 1, 3, 2]
  %v = attn.linear %x, %w, %b : (tensor<?x?x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<?x?x16xf32>
  %v4 = tensor.expand_shape %v [[0], [1], [2, 3]] output_shape [%n, %l, 2, 8] : tensor<?x?x16xf32> into tensor<?x?x2x8xf32>
  %vh = linalg.transpose ins(%v4 : tensor<?x?x2x8xf32>) outs(%eq : tensor<?x2x?x8xf32>) permutation = [0, 2, 1, 3]
  %o = attn.sdpa %qh, %kh, %vh mask(%mask) {scale = 0.25 : f64} : (tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>, tensor<?x1x1x?xf32>) -> tensor<?x2x?x8xf32>
  %em = tensor.empty(%n, %l) : tensor<?x?x2x8xf32>
  %om = linalg.transpose ins(%o : tensor<?x2x?x8xf32>) outs(%em : tensor<?x?x2x8xf32>) permutation = [0, 2, 1, 3]
  %oc = tensor.collapse_shape %om [[0], [1], [2, 3]] : tensor<?x?x2x8xf32> into tensor<?x?x16xf32>
  %y = attn.linear %oc, %w : (tensor<?x?x16xf32>, tensor<16x16xf32>) -> tensor<?x?x16xf32>
  return %y, %kl : tensor<?x?x16xf32>, index
}

// -----

// Grouped-query attention: K and V have one head, Q two; causal.
// CHECK-LABEL: func.func @grouped
// CHECK: attn.multihead %{{.*}}, %{{.*}}, %{{.*}} q_proj({{.*}}) k_proj({{.*}}) v_proj({{.*}}) out_proj({{.*}}) {causal, num_heads = 2 : i64, num_kv_heads = 1 : i64}
// CHECK-NOT: attn.sdpa
func.func @grouped(%x: tensor<2x5x16xf32>, %w: tensor<16x16xf32>, %b: tensor<16xf32>, %wkv: tensor<8x16xf32>, %bkv: tensor<8xf32>) -> tensor<2x5x16xf32> {
  %q = attn.linear %x, %w, %b : (tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %q4 = tensor.expand_shape %q [[0], [1], [2, 3]] output_shape [2, 5, 2, 8] : tensor<2x5x16xf32> into tensor<2x5x2x8xf32>
  %eq = tensor.empty() : tensor<2x2x5x8xf32>
  %qh = linalg.transpose ins(%q4 : tensor<2x5x2x8xf32>) outs(%eq : tensor<2x2x5x8xf32>) permutation = [0, 2, 1, 3]
  %k = attn.linear %x, %wkv, %bkv : (tensor<2x5x16xf32>, tensor<8x16xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  %k4 = tensor.expand_shape %k [[0], [1], [2, 3]] output_shape [2, 5, 1, 8] : tensor<2x5x8xf32> into tensor<2x5x1x8xf32>
  %ek = tensor.empty() : tensor<2x1x5x8xf32>
  %kh = linalg.transpose ins(%k4 : tensor<2x5x1x8xf32>) outs(%ek : tensor<2x1x5x8xf32>) permutation = [0, 2, 1, 3]
  %v = attn.linear %x, %wkv, %bkv : (tensor<2x5x16xf32>, tensor<8x16xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  %v4 = tensor.expand_shape %v [[0], [1], [2, 3]] output_shape [2, 5, 1, 8] : tensor<2x5x8xf32> into tensor<2x5x1x8xf32>
  %vh = linalg.transpose ins(%v4 : tensor<2x5x1x8xf32>) outs(%ek : tensor<2x1x5x8xf32>) permutation = [0, 2, 1, 3]
  %o = attn.sdpa %qh, %kh, %vh {causal} : (tensor<2x2x5x8xf32>, tensor<2x1x5x8xf32>, tensor<2x1x5x8xf32>) -> tensor<2x2x5x8xf32>
  %em = tensor.empty() : tensor<2x5x2x8xf32>
  %om = linalg.transpose ins(%o : tensor<2x2x5x8xf32>) outs(%em : tensor<2x5x2x8xf32>) permutation = [0, 2, 1, 3]
  %oc = tensor.collapse_shape %om [[0], [1], [2, 3]] : tensor<2x5x2x8xf32> into tensor<2x5x16xf32>
  %y = attn.linear %oc, %w, %b : (tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return %y : tensor<2x5x16xf32>
}

// -----

// Not raised: the sdpa's output has a second user; the heads are merged
// with the wrong permutation.
// CHECK-LABEL: func.func @not_multihead
// CHECK-NOT: attn.multihead
// CHECK: attn.sdpa
// CHECK: attn.sdpa
// CHECK-NOT: attn.multihead
func.func @not_multihead(%x: tensor<2x5x16xf32>, %w: tensor<16x16xf32>, %b: tensor<16xf32>) -> (tensor<2x5x16xf32>, tensor<2x2x5x8xf32>, tensor<2x5x16xf32>) {
  %q = attn.linear %x, %w, %b : (tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %q4 = tensor.expand_shape %q [[0], [1], [2, 3]] output_shape [2, 5, 2, 8] : tensor<2x5x16xf32> into tensor<2x5x2x8xf32>
  %e = tensor.empty() : tensor<2x2x5x8xf32>
  %qh = linalg.transpose ins(%q4 : tensor<2x5x2x8xf32>) outs(%e : tensor<2x2x5x8xf32>) permutation = [0, 2, 1, 3]
  %k = attn.linear %x, %w, %b : (tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %k4 = tensor.expand_shape %k [[0], [1], [2, 3]] output_shape [2, 5, 2, 8] : tensor<2x5x16xf32> into tensor<2x5x2x8xf32>
  %kh = linalg.transpose ins(%k4 : tensor<2x5x2x8xf32>) outs(%e : tensor<2x2x5x8xf32>) permutation = [0, 2, 1, 3]
  %v = attn.linear %x, %w, %b : (tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %v4 = tensor.expand_shape %v [[0], [1], [2, 3]] output_shape [2, 5, 2, 8] : tensor<2x5x16xf32> into tensor<2x5x2x8xf32>
  %vh = linalg.transpose ins(%v4 : tensor<2x5x2x8xf32>) outs(%e : tensor<2x2x5x8xf32>) permutation = [0, 2, 1, 3]
  %o = attn.sdpa %qh, %kh, %vh : (tensor<2x2x5x8xf32>, tensor<2x2x5x8xf32>, tensor<2x2x5x8xf32>) -> tensor<2x2x5x8xf32>
  %em = tensor.empty() : tensor<2x5x2x8xf32>
  %om = linalg.transpose ins(%o : tensor<2x2x5x8xf32>) outs(%em : tensor<2x5x2x8xf32>) permutation = [0, 2, 1, 3]
  %oc = tensor.collapse_shape %om [[0], [1], [2, 3]] : tensor<2x5x2x8xf32> into tensor<2x5x16xf32>
  %y = attn.linear %oc, %w, %b : (tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>

  %q2 = attn.linear %x, %w, %b : (tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %q24 = tensor.expand_shape %q2 [[0], [1], [2, 3]] output_shape [2, 5, 2, 8] : tensor<2x5x16xf32> into tensor<2x5x2x8xf32>
  %q2h = linalg.transpose ins(%q24 : tensor<2x5x2x8xf32>) outs(%e : tensor<2x2x5x8xf32>) permutation = [0, 2, 1, 3]
  %k2 = attn.linear %x, %w, %b : (tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %k24 = tensor.expand_shape %k2 [[0], [1], [2, 3]] output_shape [2, 5, 2, 8] : tensor<2x5x16xf32> into tensor<2x5x2x8xf32>
  %k2h = linalg.transpose ins(%k24 : tensor<2x5x2x8xf32>) outs(%e : tensor<2x2x5x8xf32>) permutation = [0, 2, 1, 3]
  %v2 = attn.linear %x, %w, %b : (tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %v24 = tensor.expand_shape %v2 [[0], [1], [2, 3]] output_shape [2, 5, 2, 8] : tensor<2x5x16xf32> into tensor<2x5x2x8xf32>
  %v2h = linalg.transpose ins(%v24 : tensor<2x5x2x8xf32>) outs(%e : tensor<2x2x5x8xf32>) permutation = [0, 2, 1, 3]
  %o2 = attn.sdpa %q2h, %k2h, %v2h : (tensor<2x2x5x8xf32>, tensor<2x2x5x8xf32>, tensor<2x2x5x8xf32>) -> tensor<2x2x5x8xf32>
  %eb = tensor.empty() : tensor<2x5x8x2xf32>
  %ob = linalg.transpose ins(%o2 : tensor<2x2x5x8xf32>) outs(%eb : tensor<2x5x8x2xf32>) permutation = [0, 2, 3, 1]
  %ob2 = tensor.collapse_shape %ob [[0], [1], [2, 3]] : tensor<2x5x8x2xf32> into tensor<2x5x16xf32>
  %y2 = attn.linear %ob2, %w, %b : (tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return %y, %o, %y2 : tensor<2x5x16xf32>, tensor<2x2x5x8xf32>, tensor<2x5x16xf32>
}

// -----

// attn.ffn from two linear layers, the first with the activation; the
// second without a bias gets a zero one.
// CHECK-LABEL: func.func @ffn
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x16xf32>, %[[W1:[^:]*]]: tensor<32x16xf32>, %[[B1:[^:]*]]: tensor<32xf32>, %[[W2:[^:]*]]: tensor<16x32xf32>
// CHECK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<16xf32>
// CHECK: %[[Y:.*]] = attn.ffn %[[X]], %[[W1]], %[[B1]], %[[W2]], %[[Z]] {activation = #attn.activation<gelu_tanh>}
// CHECK-NOT: attn.linear
// CHECK: return %[[Y]]
func.func @ffn(%x: tensor<?x16xf32>, %w1: tensor<32x16xf32>, %b1: tensor<32xf32>, %w2: tensor<16x32xf32>) -> tensor<?x16xf32> {
  %h = attn.linear %x, %w1, %b1 {activation = #attn.activation<gelu_tanh>} : (tensor<?x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<?x32xf32>
  %y = attn.linear %h, %w2 : (tensor<?x32xf32>, tensor<16x32xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

// Not attn.ffn: no activation; the hidden value has another user; the first
// layer already has a residual; the output width differs from the input's
// (attn.ffn would not verify, and nothing changes, not even a zero bias).
// CHECK-LABEL: func.func @not_ffn
// CHECK-NOT: attn.ffn
// CHECK-NOT: arith.constant
// CHECK-COUNT-8: attn.linear
// CHECK-NOT: attn.ffn
func.func @not_ffn(%x: tensor<4x16xf32>, %w1: tensor<32x16xf32>, %b1: tensor<32xf32>, %w2: tensor<16x32xf32>, %w3: tensor<8x32xf32>, %r: tensor<4x32xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x32xf32>, tensor<4x16xf32>, tensor<4x8xf32>) {
  %h0 = attn.linear %x, %w1, %b1 : (tensor<4x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<4x32xf32>
  %y0 = attn.linear %h0, %w2 : (tensor<4x32xf32>, tensor<16x32xf32>) -> tensor<4x16xf32>
  %h1 = attn.linear %x, %w1, %b1 {activation = #attn.activation<relu>} : (tensor<4x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<4x32xf32>
  %y1 = attn.linear %h1, %w2 : (tensor<4x32xf32>, tensor<16x32xf32>) -> tensor<4x16xf32>
  %h2 = attn.linear %x, %w1, %b1 residual(%r) {activation = #attn.activation<relu>} : (tensor<4x16xf32>, tensor<32x16xf32>, tensor<32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %y2 = attn.linear %h2, %w2 : (tensor<4x32xf32>, tensor<16x32xf32>) -> tensor<4x16xf32>
  %h3 = attn.linear %x, %w1, %b1 {activation = #attn.activation<relu>} : (tensor<4x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<4x32xf32>
  %y3 = attn.linear %h3, %w3 : (tensor<4x32xf32>, tensor<8x32xf32>) -> tensor<4x8xf32>
  return %y0, %y1, %h1, %y2, %y3 : tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x32xf32>, tensor<4x16xf32>, tensor<4x8xf32>
}

// -----

// A post-norm encoder layer, BERT's: norm2(h + ffn(h)), h = norm1(x +
// self_attn(x)), the residual adds as the importer writes them (generic,
// either operand order).
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @encoder_post
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x?x16xf32>, %[[M:[^:]*]]: tensor<2x1x1x?xf32>, %[[W:[^:]*]]: tensor<16x16xf32>, %[[B:[^:]*]]: tensor<16xf32>, %[[W1:[^:]*]]: tensor<32x16xf32>, %[[B1:[^:]*]]: tensor<32xf32>, %[[W2:[^:]*]]: tensor<16x32xf32>, %[[G:[^:]*]]: tensor<16xf32>
// CHECK: %[[Y:.*]] = attn.encoder_layer %[[X]] self_attn(%[[W]], %[[B]], %[[W]], %[[B]], %[[W]], %[[B]], %[[W]], %[[B]]) norm1(%[[G]], %[[B]]) ffn(%[[W1]], %[[B1]], %[[W2]], %[[B]]) norm2(%[[G]], %[[B]]) mask(%[[M]]) {activation = #attn.activation<gelu>, epsilon = 9.9999999999999998E-13 : f64, num_heads = 2 : i64, scale = 2.500000e-01 : f64}
// CHECK-NOT: attn.layer_norm
// CHECK-NOT: linalg.generic
// CHECK: return %[[Y]]
func.func @encoder_post(%x: tensor<2x?x16xf32>, %mask: tensor<2x1x1x?xf32>, %w: tensor<16x16xf32>, %b: tensor<16xf32>, %w1: tensor<32x16xf32>, %b1: tensor<32xf32>, %w2: tensor<16x32xf32>, %g: tensor<16xf32>) -> tensor<2x?x16xf32> {
  %c1 = arith.constant 1 : index
  %l = tensor.dim %x, %c1 : tensor<2x?x16xf32>
  %e = tensor.empty(%l) : tensor<2x?x16xf32>
  %a = attn.multihead %x, %x, %x q_proj(%w, %b) k_proj(%w, %b) v_proj(%w, %b) out_proj(%w, %b) mask(%mask) {num_heads = 2 : i64, scale = 0.25 : f64} : (tensor<2x?x16xf32>, tensor<2x?x16xf32>, tensor<2x?x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<2x1x1x?xf32>) -> tensor<2x?x16xf32>
  %s1 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel"]} ins(%a, %x : tensor<2x?x16xf32>, tensor<2x?x16xf32>) outs(%e : tensor<2x?x16xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<2x?x16xf32>
  %h = attn.layer_norm %s1, %g, %b {epsilon = 1.0e-12 : f64} : (tensor<2x?x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x?x16xf32>
  %hl = tensor.dim %h, %c1 : tensor<2x?x16xf32>
  %e2 = tensor.empty(%hl) : tensor<2x?x16xf32>
  %f = attn.ffn %h, %w1, %b1, %w2, %b {activation = #attn.activation<gelu>} : (tensor<2x?x16xf32>, tensor<32x16xf32>, tensor<32xf32>, tensor<16x32xf32>, tensor<16xf32>) -> tensor<2x?x16xf32>
  %s2 = linalg.add ins(%h, %f : tensor<2x?x16xf32>, tensor<2x?x16xf32>) outs(%e2 : tensor<2x?x16xf32>) -> tensor<2x?x16xf32>
  %y = attn.layer_norm %s2, %g, %b {epsilon = 1.0e-12 : f64} : (tensor<2x?x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x?x16xf32>
  return %y : tensor<2x?x16xf32>
}

// -----

// A pre-norm causal layer, GPT-2's: h = x + self_attn(norm1(x)),
// y = h + ffn(norm2(h)); the default epsilon (1e-5) is not printed.
// CHECK-LABEL: func.func @encoder_pre_causal
// CHECK: %[[Y:.*]] = attn.encoder_layer %{{.*}} self_attn({{.*}}) norm1({{.*}}) ffn({{.*}}) norm2({{.*}}) {activation = #attn.activation<gelu_tanh>, causal, norm = #attn.norm<pre>, num_heads = 2 : i64}
// CHECK-NOT: attn.layer_norm
// CHECK-NOT: linalg.add
// CHECK: return %[[Y]]
func.func @encoder_pre_causal(%x: tensor<2x5x16xf32>, %w: tensor<16x16xf32>, %b: tensor<16xf32>, %w1: tensor<32x16xf32>, %b1: tensor<32xf32>, %w2: tensor<16x32xf32>, %g: tensor<16xf32>) -> tensor<2x5x16xf32> {
  %e = tensor.empty() : tensor<2x5x16xf32>
  %n1 = attn.layer_norm %x, %g, %b : (tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %a = attn.multihead %n1, %n1, %n1 q_proj(%w, %b) k_proj(%w, %b) v_proj(%w, %b) out_proj(%w, %b) {causal, num_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %h = linalg.add ins(%x, %a : tensor<2x5x16xf32>, tensor<2x5x16xf32>) outs(%e : tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  %n2 = attn.layer_norm %h, %g, %b : (tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %f = attn.ffn %n2, %w1, %b1, %w2, %b {activation = #attn.activation<gelu_tanh>} : (tensor<2x5x16xf32>, tensor<32x16xf32>, tensor<32xf32>, tensor<16x32xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %y = linalg.add ins(%f, %h : tensor<2x5x16xf32>, tensor<2x5x16xf32>) outs(%e : tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  return %y : tensor<2x5x16xf32>
}

// -----

// Not a layer: the LayerNorms' epsilons differ; the block's middle value has
// a third user; the attention is not self-attention.
// CHECK-LABEL: func.func @not_encoder
// CHECK-NOT: attn.encoder_layer
// CHECK-NOT: attn.decoder_layer
// CHECK-COUNT-3: attn.multihead
// CHECK-NOT: attn.encoder_layer
func.func @not_encoder(%x: tensor<2x5x16xf32>, %mem: tensor<2x3x16xf32>, %w: tensor<16x16xf32>, %b: tensor<16xf32>, %w1: tensor<32x16xf32>, %b1: tensor<32xf32>, %w2: tensor<16x32xf32>, %g: tensor<16xf32>) -> (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>) {
  %e = tensor.empty() : tensor<2x5x16xf32>
  %a0 = attn.multihead %x, %x, %x q_proj(%w, %b) k_proj(%w, %b) v_proj(%w, %b) out_proj(%w, %b) {num_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %s0 = linalg.add ins(%x, %a0 : tensor<2x5x16xf32>, tensor<2x5x16xf32>) outs(%e : tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  %h0 = attn.layer_norm %s0, %g, %b {epsilon = 1.0e-5 : f64} : (tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %f0 = attn.ffn %h0, %w1, %b1, %w2, %b : (tensor<2x5x16xf32>, tensor<32x16xf32>, tensor<32xf32>, tensor<16x32xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %t0 = linalg.add ins(%h0, %f0 : tensor<2x5x16xf32>, tensor<2x5x16xf32>) outs(%e : tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  %y0 = attn.layer_norm %t0, %g, %b {epsilon = 1.0e-6 : f64} : (tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>

  %a1 = attn.multihead %x, %x, %x q_proj(%w, %b) k_proj(%w, %b) v_proj(%w, %b) out_proj(%w, %b) {num_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %s1 = linalg.add ins(%x, %a1 : tensor<2x5x16xf32>, tensor<2x5x16xf32>) outs(%e : tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  %h1 = attn.layer_norm %s1, %g, %b : (tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %f1 = attn.ffn %h1, %w1, %b1, %w2, %b : (tensor<2x5x16xf32>, tensor<32x16xf32>, tensor<32xf32>, tensor<16x32xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %t1 = linalg.add ins(%h1, %f1 : tensor<2x5x16xf32>, tensor<2x5x16xf32>) outs(%e : tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  %y1 = attn.layer_norm %t1, %g, %b : (tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>

  %a2 = attn.multihead %x, %mem, %mem q_proj(%w, %b) k_proj(%w, %b) v_proj(%w, %b) out_proj(%w, %b) {num_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x3x16xf32>, tensor<2x3x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %s2 = linalg.add ins(%x, %a2 : tensor<2x5x16xf32>, tensor<2x5x16xf32>) outs(%e : tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  %h2 = attn.layer_norm %s2, %g, %b : (tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %f2 = attn.ffn %h2, %w1, %b1, %w2, %b : (tensor<2x5x16xf32>, tensor<32x16xf32>, tensor<32xf32>, tensor<16x32xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %t2 = linalg.add ins(%h2, %f2 : tensor<2x5x16xf32>, tensor<2x5x16xf32>) outs(%e : tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  %y2 = attn.layer_norm %t2, %g, %b : (tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return %y0, %y1, %h1, %y2 : tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>
}

// -----

// A post-norm decoder layer: causal self-attention, cross-attention over the
// memory with its padding mask, a ReLU FFN (the default activation, not
// printed).
// CHECK-LABEL: func.func @decoder_post
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x5x16xf32>, %[[MEM:[^:]*]]: tensor<2x3x16xf32>, %[[MM:[^:]*]]: tensor<2x1x1x3xf32>
// CHECK: %[[Y:.*]] = attn.decoder_layer %[[X]], %[[MEM]] self_attn({{.*}}) norm1({{.*}}) cross_attn({{.*}}) norm2({{.*}}) ffn({{.*}}) norm3({{.*}}) memory_mask(%[[MM]]) {num_heads = 2 : i64}
// CHECK-NOT: attn.multihead
// CHECK-NOT: attn.layer_norm
// CHECK: return %[[Y]]
func.func @decoder_post(%x: tensor<2x5x16xf32>, %mem: tensor<2x3x16xf32>, %mm: tensor<2x1x1x3xf32>, %w: tensor<16x16xf32>, %b: tensor<16xf32>, %w1: tensor<32x16xf32>, %b1: tensor<32xf32>, %w2: tensor<16x32xf32>, %g: tensor<16xf32>) -> tensor<2x5x16xf32> {
  %e = tensor.empty() : tensor<2x5x16xf32>
  %a = attn.multihead %x, %x, %x q_proj(%w, %b) k_proj(%w, %b) v_proj(%w, %b) out_proj(%w, %b) {causal, num_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %s1 = linalg.add ins(%x, %a : tensor<2x5x16xf32>, tensor<2x5x16xf32>) outs(%e : tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  %h1 = attn.layer_norm %s1, %g, %b : (tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %c = attn.multihead %h1, %mem, %mem q_proj(%w, %b) k_proj(%w, %b) v_proj(%w, %b) out_proj(%w, %b) mask(%mm) {num_heads = 2 : i64} : (tensor<2x5x16xf32>, tensor<2x3x16xf32>, tensor<2x3x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<2x1x1x3xf32>) -> tensor<2x5x16xf32>
  %s2 = linalg.add ins(%h1, %c : tensor<2x5x16xf32>, tensor<2x5x16xf32>) outs(%e : tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  %h2 = attn.layer_norm %s2, %g, %b : (tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %f = attn.ffn %h2, %w1, %b1, %w2, %b : (tensor<2x5x16xf32>, tensor<32x16xf32>, tensor<32xf32>, tensor<16x32xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %s3 = linalg.add ins(%h2, %f : tensor<2x5x16xf32>, tensor<2x5x16xf32>) outs(%e : tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  %y = attn.layer_norm %s3, %g, %b : (tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return %y : tensor<2x5x16xf32>
}
