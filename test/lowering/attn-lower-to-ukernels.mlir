// attn-lower-to-ukernels: f32 linear, layer_norm, embedding and softmax ops
// become calls of the CPU micro-kernels, with views that fold the heads' split and
// merge, and constant weights packed at compile time.
// RUN: attn-opt %s --attn-lower-to-ukernels=isa=avx512 --canonicalize --cse --split-input-file | FileCheck %s
// RUN: attn-opt %s --attn-lower-to-ukernels=isa=generic --split-input-file | FileCheck %s --check-prefix=GENERIC
// RUN: not attn-opt %s --attn-lower-to-ukernels=isa=sse9 2>&1 | FileCheck %s --check-prefix=BAD-ISA

// BAD-ISA: attn-lower-to-ukernels: isa=sse9 is not one of host, avx512, avx2, generic

// A dynamic [B, L, K] input is viewed as (b, l, h = 1, d = K); a weight that
// is an argument is packed by a kernel call into 48-column panels
// (ceil(20 / 48) * 48 * 8 = 384 floats); bias and GELU are flags
// (1 | 2 << 4 = 33).
// CHECK-LABEL: func.func private @attnc_uk_linear_f32_avx512(memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64)
// CHECK-LABEL: func.func private @attnc_uk_pack_weight_f32_avx512(memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>)
// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x8xf32>, %[[W:.*]]: tensor<20x8xf32>, %[[B:.*]]: tensor<20xf32>)
// CHECK-DAG: %[[FLAGS:.*]] = arith.constant 33 : i64
// CHECK-DAG: %[[XB:.*]] = bufferization.to_buffer %[[X]] read_only {attnc.kernel_read = {{[0-9]+}} : i64} : tensor<?x?x8xf32> to memref<?x?x8xf32>
// CHECK-DAG: %[[D0:.*]] = tensor.dim %[[X]], %c0
// CHECK-DAG: %[[D1:.*]] = tensor.dim %[[X]], %c1
// CHECK: %[[XV:.*]] = memref.reinterpret_cast %[[XB]] to offset: [0], sizes: [%[[D0]], %[[D1]], 1, 8], strides: [%{{.*}}, 8, 8, 1]
// CHECK: %[[XP:.*]] = memref.cast %[[XV]]
// CHECK: %[[OUT:.*]] = memref.alloc(%[[D0]], %[[D1]]) {alignment = 64 : i64} : memref<?x?x20xf32>
// CHECK: %[[OV:.*]] = memref.reinterpret_cast %[[OUT]] to offset: [0], sizes: [%[[D0]], %[[D1]], 1, 20], strides: [%{{.*}}, 20, 20, 1]
// CHECK: %[[OP:.*]] = memref.cast %[[OV]]
// CHECK: %[[PACKED:.*]] = memref.alloc() {alignment = 64 : i64} : memref<384xf32>
// CHECK: %[[WB:.*]] = bufferization.to_buffer %[[W]] read_only
// CHECK: %[[WV:.*]] = memref.reinterpret_cast %[[WB]] to offset: [0], sizes: [20, 8], strides: [8, 1]
// CHECK: %[[PP:.*]] = memref.cast %[[PACKED]]
// CHECK: call @attnc_uk_pack_weight_f32_avx512(%{{.*}}, %[[PP]])
// CHECK: %[[BB:.*]] = bufferization.to_buffer %[[B]] read_only
// CHECK: %[[BP:.*]] = memref.cast %[[BB]]
// CHECK: call @attnc_uk_linear_f32_avx512(%[[XP]], %[[PP]], %[[BP]], %[[OP]], %[[OP]], %[[FLAGS]])
// CHECK: %[[R:.*]] = bufferization.to_tensor %[[OUT]] restrict writable : memref<?x?x20xf32> to tensor<?x?x20xf32>
// CHECK: return %[[R]]
func.func @linear(%x: tensor<?x?x8xf32>, %w: tensor<20x8xf32>, %b: tensor<20xf32>) -> tensor<?x?x20xf32> {
  %y = attn.linear %x, %w, %b {activation = #attn.activation<gelu>} : (tensor<?x?x8xf32>, tensor<20x8xf32>, tensor<20xf32>) -> tensor<?x?x20xf32>
  return %y : tensor<?x?x20xf32>
}

// -----

// A constant weight is packed now into a private global, once for both
// uses. Generic kernels have 8-column panels: weight row j goes to panel
// column j, so the first packed row holds column 0 of every weight row
// (1, 0.5, 1) then zeros. The residual is a view like the output's
// (flags: residual = 2).
// GENERIC-LABEL: func.func @constant_weight
// GENERIC-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[RES:.*]]: tensor<4x3xf32>)
// GENERIC: %[[RB:.*]] = bufferization.to_buffer %[[RES]] read_only
// GENERIC: %[[R:.*]] = memref.reinterpret_cast %[[RB]]
// GENERIC: %[[G:.*]] = memref.get_global @__attnc_packed_weight : memref<64xf32>
// GENERIC: %[[GP:.*]] = memref.cast %[[G]]
// GENERIC: %[[FLAGS:.*]] = arith.constant 2 : i64
// GENERIC: call @attnc_uk_linear_f32_generic(%{{.*}}, %[[GP]], %[[GP]], %[[R]], %{{.*}}, %[[FLAGS]])
// GENERIC: memref.get_global @__attnc_packed_weight : memref<64xf32>
// GENERIC: memref.global "private" constant @__attnc_packed_weight : memref<64xf32> = dense_resource<[[BLOB:.*]]> {alignment = 64 : i64}
// GENERIC-NOT: memref.global
// GENERIC: [[BLOB]]: "0x400000000000803F0000003F0000803F0000000000000000000000000000000000000000000000400000003F
func.func @constant_weight(%x: tensor<4x8xf32>, %r: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<3x8xf32>
  %y = attn.linear %x, %w residual(%r) : (tensor<4x8xf32>, tensor<3x8xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  %z = attn.linear %x, %w : (tensor<4x8xf32>, tensor<3x8xf32>) -> tensor<4x3xf32>
  return %y, %z : tensor<4x3xf32>, tensor<4x3xf32>
}

// -----

// Heads split after the projection: the kernel writes [B, H, L, D] through
// a (b, l, h, d) view with strides (H·L·D, D, L·D, 1), and no transpose is
// left. Heads merged before the output projection: the kernel reads the
// attention output [B, H, L, D] through the same kind of view. The residual
// is (b, l, 1, 8).
// CHECK-LABEL: func.func @heads
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x8xf32>,
// CHECK: %[[Q:.*]] = memref.alloc(%[[B:.*]], %[[L:.*]]) {alignment = 64 : i64} : memref<?x2x?x4xf32>
// CHECK: %[[LD:.*]] = arith.muli %[[L]], %c4
// CHECK: memref.reinterpret_cast %[[Q]] to offset: [0], sizes: [%[[B]], %[[L]], 2, 4], strides: [%{{.*}}, 4, %[[LD]], 1]
// CHECK: call @attnc_uk_linear_f32_avx512
// CHECK: %[[QT:.*]] = bufferization.to_tensor %[[Q]] restrict writable : memref<?x2x?x4xf32> to tensor<?x2x?x4xf32>
// CHECK: %[[S:.*]] = attn.sdpa %[[QT]], %[[QT]], %[[QT]]
// CHECK: %[[SB:.*]] = bufferization.to_buffer %[[S]] read_only
// CHECK: memref.reinterpret_cast %[[SB]] to offset: [0], sizes: [%{{.*}}, %{{.*}}, 2, 4], strides: [%{{.*}}, 4, %{{.*}}, 1]
// CHECK: memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [%{{.*}}, %{{.*}}, 1, 8], strides: [%{{.*}}, 8, 8, 1] : memref<?x?x8xf32>
// CHECK: call @attnc_uk_linear_f32_avx512
// CHECK-NOT: linalg.transpose
// CHECK: return
func.func @heads(%x: tensor<?x?x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) -> tensor<?x?x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %bs = tensor.dim %x, %c0 : tensor<?x?x8xf32>
  %l = tensor.dim %x, %c1 : tensor<?x?x8xf32>
  %q = attn.linear %x, %w, %b : (tensor<?x?x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  %e = tensor.expand_shape %q [[0], [1], [2, 3]] output_shape [%bs, %l, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %i = tensor.empty(%bs, %l) : tensor<?x2x?x4xf32>
  %t = linalg.transpose ins(%e : tensor<?x?x2x4xf32>) outs(%i : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %s = attn.sdpa %t, %t, %t : (tensor<?x2x?x4xf32>, tensor<?x2x?x4xf32>, tensor<?x2x?x4xf32>) -> tensor<?x2x?x4xf32>
  %i2 = tensor.empty(%bs, %l) : tensor<?x?x2x4xf32>
  %m = linalg.transpose ins(%s : tensor<?x2x?x4xf32>) outs(%i2 : tensor<?x?x2x4xf32>) permutation = [0, 2, 1, 3]
  %c = tensor.collapse_shape %m [[0], [1], [2, 3]] : tensor<?x?x2x4xf32> into tensor<?x?x8xf32>
  %o = attn.linear %c, %w, %b residual(%x) : (tensor<?x?x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<?x?x8xf32>) -> tensor<?x?x8xf32>
  return %o : tensor<?x?x8xf32>
}

// -----

// The split is not folded when the projection has another user.
// CHECK-LABEL: func.func @split_with_other_user
// CHECK: call @attnc_uk_linear_f32_avx512
// CHECK: tensor.expand_shape
// CHECK: linalg.transpose
func.func @split_with_other_user(%x: tensor<2x3x8xf32>, %w: tensor<8x8xf32>) -> (tensor<2x2x3x4xf32>, tensor<2x3x8xf32>) {
  %q = attn.linear %x, %w : (tensor<2x3x8xf32>, tensor<8x8xf32>) -> tensor<2x3x8xf32>
  %e = tensor.expand_shape %q [[0], [1], [2, 3]] output_shape [2, 3, 2, 4] : tensor<2x3x8xf32> into tensor<2x3x2x4xf32>
  %i = tensor.empty() : tensor<2x2x3x4xf32>
  %t = linalg.transpose ins(%e : tensor<2x3x2x4xf32>) outs(%i : tensor<2x2x3x4xf32>) permutation = [0, 2, 1, 3]
  return %t, %q : tensor<2x2x3x4xf32>, tensor<2x3x8xf32>
}

// -----

// Rows of embeddings and LayerNorm: every leading dimension folds into one.
// CHECK-LABEL: func.func @norm_embed
// CHECK-SAME: (%[[IDS:.*]]: tensor<?x?xi64>, %[[T:.*]]: tensor<100x8xf32>,
// CHECK-DAG: %[[EPS:.*]] = arith.constant 9.99999996E-13 : f32
// CHECK-DAG: %[[SCALE:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: %[[ROWS:.*]] = arith.muli
// CHECK: memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [%[[ROWS]]], strides: [1] : memref<?x?xi64>
// CHECK: %[[E:.*]] = memref.alloc(%{{.*}}, %{{.*}}) {alignment = 64 : i64} : memref<?x?x8xf32>
// CHECK: memref.reinterpret_cast %[[E]] to offset: [0], sizes: [%[[ROWS]], 8], strides: [8, 1]
// CHECK: call @attnc_uk_embedding_i64_f32_avx512(%{{.*}}, %{{.*}}, %[[EV:.*]], %[[SCALE]])
// CHECK: call @attnc_uk_layer_norm_f32_avx512(%[[EV]], %{{.*}}, %{{.*}}, %{{.*}}, %[[EPS]])
func.func @norm_embed(%ids: tensor<?x?xi64>, %t: tensor<100x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<?x?x8xf32> {
  %e = attn.embedding %ids, %t {scale = 2.0 : f64} : (tensor<?x?xi64>, tensor<100x8xf32>) -> tensor<?x?x8xf32>
  %n = attn.layer_norm %e, %g, %b {epsilon = 1.0e-12 : f64} : (tensor<?x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  return %n : tensor<?x?x8xf32>
}

// -----

// i32 indices have their own kernel.
// CHECK-LABEL: func.func @embed_i32
// CHECK: call @attnc_uk_embedding_i32_f32_avx512
func.func @embed_i32(%ids: tensor<5xi32>, %t: tensor<100x8xf32>) -> tensor<5x8xf32> {
  %e = attn.embedding %ids, %t : (tensor<5xi32>, tensor<100x8xf32>) -> tensor<5x8xf32>
  return %e : tensor<5x8xf32>
}

// -----

// Softmax and log-softmax along the last axis (here given as -1) are one
// kernel with a flag; along another axis they stay for attn-decompose.
// CHECK-LABEL: func.func @softmax
// CHECK-DAG: %[[SOFT:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[LOG:.*]] = arith.constant 1 : i64
// CHECK: memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [%{{.*}}, 16], strides: [16, 1] : memref<2x?x16xf32>
// CHECK: call @attnc_uk_softmax_f32_avx512(%{{.*}}, %{{.*}}, %[[SOFT]])
// CHECK: call @attnc_uk_softmax_f32_avx512(%{{.*}}, %{{.*}}, %[[LOG]])
// CHECK: attn.softmax %{{.*}} axis(1)
func.func @softmax(%x: tensor<2x?x16xf32>) -> (tensor<2x?x16xf32>, tensor<2x?x16xf32>, tensor<2x?x16xf32>) {
  %a = attn.softmax %x axis(-1) : tensor<2x?x16xf32>
  %b = attn.log_softmax %x axis(2) : tensor<2x?x16xf32>
  %c = attn.softmax %x axis(1) : tensor<2x?x16xf32>
  return %a, %b, %c : tensor<2x?x16xf32>, tensor<2x?x16xf32>, tensor<2x?x16xf32>
}

// -----

// Other element types are left for attn-decompose.
// CHECK-LABEL: func.func @f16
// CHECK: attn.linear
// CHECK: attn.layer_norm
// CHECK-NOT: call
func.func @f16(%x: tensor<4x8xf16>, %w: tensor<3x8xf16>, %g: tensor<3xf16>) -> tensor<4x3xf16> {
  %y = attn.linear %x, %w : (tensor<4x8xf16>, tensor<3x8xf16>) -> tensor<4x3xf16>
  %n = attn.layer_norm %y, %g, %g : (tensor<4x3xf16>, tensor<3xf16>, tensor<3xf16>) -> tensor<4x3xf16>
  return %n : tensor<4x3xf16>
}

// -----

// Each call reads its input through a to_buffer of its own, which CSE keeps
// apart: one-shot bufferization takes a to_buffer as the tensor's read, and
// the generic between the two calls may write in place into the buffer %x
// lives in (here both write into %e), so a shared to_buffer would let the
// second call read the clobbered buffer.
// CHECK-LABEL: func.func @two_reads_of_one_input
// CHECK: %[[X:.*]] = linalg.generic
// CHECK: %[[XB1:.*]] = bufferization.to_buffer %[[X]] read_only {attnc.kernel_read = [[N1:[0-9]+]] : i64}
// CHECK: call @attnc_uk_linear_f32_avx512
// CHECK: linalg.generic
// CHECK: %[[XB2:.*]] = bufferization.to_buffer %[[X]] read_only {attnc.kernel_read = {{[0-9]+}} : i64}
// CHECK: call @attnc_uk_linear_f32_avx512
func.func @two_reads_of_one_input(%a: tensor<4x32xf32>, %c: tensor<32xf32>) -> (tensor<4x32xf32>, tensor<4x32xf32>) {
  %w1 = arith.constant dense<1.0> : tensor<32x32xf32>
  %w2 = arith.constant dense<2.0> : tensor<32x32xf32>
  %e = tensor.empty() : tensor<4x32xf32>
  %x = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%a, %c : tensor<4x32xf32>, tensor<32xf32>) outs(%e : tensor<4x32xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<4x32xf32>
  %k = attn.linear %x, %w1 : (tensor<4x32xf32>, tensor<32x32xf32>) -> tensor<4x32xf32>
  %kb = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%k, %c : tensor<4x32xf32>, tensor<32xf32>) outs(%e : tensor<4x32xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<4x32xf32>
  %v = attn.linear %x, %w2 : (tensor<4x32xf32>, tensor<32x32xf32>) -> tensor<4x32xf32>
  return %kb, %v : tensor<4x32xf32>, tensor<4x32xf32>
}
