// attn-fuse: softmax(scale * Q·Kᵀ + mask)·V written in linalg and attn ops
// becomes one attn.sdpa, and nothing else does.
// RUN: attn-opt %s --attn-fuse --split-input-file | FileCheck %s

// 3-D chain: a batch_matmul reading K through a transposed map, a scale by a
// constant captured in a linalg.generic, a linalg.add mask, attn.softmax.
// [B, L, D] operands gain a unit head dimension.
// CHECK-LABEL: func.func @transposed_map_scale_add_mask
// CHECK-SAME: (%[[Q:.*]]: tensor<2x8x16xf32>, %[[K:.*]]: tensor<2x10x16xf32>, %[[V:.*]]: tensor<2x10x32xf32>, %[[M:.*]]: tensor<2x8x10xf32>)
// CHECK-DAG: %[[M4:.*]] = tensor.expand_shape %[[M]] {{\[\[}}0, 1], [2], [3]] output_shape [2, 1, 8, 10]
// CHECK-DAG: %[[Q4:.*]] = tensor.expand_shape %[[Q]] {{\[\[}}0, 1], [2], [3]] output_shape [2, 1, 8, 16]
// CHECK-DAG: %[[K4:.*]] = tensor.expand_shape %[[K]] {{\[\[}}0, 1], [2], [3]] output_shape [2, 1, 10, 16]
// CHECK-DAG: %[[V4:.*]] = tensor.expand_shape %[[V]] {{\[\[}}0, 1], [2], [3]] output_shape [2, 1, 10, 32]
// CHECK: %[[O:.*]] = attn.sdpa %[[Q4]], %[[K4]], %[[V4]] mask(%[[M4]]) {scale = 2.500000e-01 : f64} : (tensor<2x1x8x16xf32>, tensor<2x1x10x16xf32>, tensor<2x1x10x32xf32>, tensor<2x1x8x10xf32>) -> tensor<2x1x8x32xf32>
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[O]] {{\[\[}}0, 1], [2], [3]] : tensor<2x1x8x32xf32> into tensor<2x8x32xf32>
// CHECK-NOT: linalg.
// CHECK-NOT: attn.softmax
// CHECK: return %[[R]]
#q3 = affine_map<(b, i, j, d) -> (b, i, d)>
#k3 = affine_map<(b, i, j, d) -> (b, j, d)>
#s3 = affine_map<(b, i, j, d) -> (b, i, j)>
#id3 = affine_map<(b, i, j) -> (b, i, j)>
func.func @transposed_map_scale_add_mask(%q: tensor<2x8x16xf32>, %k: tensor<2x10x16xf32>, %v: tensor<2x10x32xf32>, %m: tensor<2x8x10xf32>) -> tensor<2x8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x10xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %s = linalg.batch_matmul indexing_maps = [#q3, #k3, #s3] ins(%q, %k : tensor<2x8x16xf32>, tensor<2x10x16xf32>) outs(%f : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %c = arith.constant 0.25 : f32
  %sc = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%s : tensor<2x8x10xf32>) outs(%e : tensor<2x8x10xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.mulf %a, %c : f32
    linalg.yield %r : f32
  } -> tensor<2x8x10xf32>
  %ma = linalg.add ins(%sc, %m : tensor<2x8x10xf32>, tensor<2x8x10xf32>) outs(%e : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %p = attn.softmax %ma axis(2) : tensor<2x8x10xf32>
  %e4 = tensor.empty() : tensor<2x8x32xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x8x10xf32>, tensor<2x10x32xf32>) outs(%f4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  return %o : tensor<2x8x32xf32>
}

// -----

// Kᵀ as a linalg.transpose, no scale, no mask, linalg.softmax, dynamic batch
// and lengths: the scale is set to 1 explicitly (sdpa's default would be
// 1/sqrt(D)).
// CHECK-LABEL: func.func @transpose_no_scale_dynamic
// CHECK-SAME: (%[[Q:.*]]: tensor<?x?x16xf32>, %[[K:.*]]: tensor<?x?x16xf32>, %[[V:.*]]: tensor<?x?x8xf32>
// CHECK-DAG: %[[Q4:.*]] = tensor.expand_shape %[[Q]] {{\[\[}}0, 1], [2], [3]] output_shape [%{{.*}}, 1, %{{.*}}, 16] : tensor<?x?x16xf32> into tensor<?x1x?x16xf32>
// CHECK-DAG: %[[K4:.*]] = tensor.expand_shape %[[K]] {{\[\[}}0, 1], [2], [3]]
// CHECK-DAG: %[[V4:.*]] = tensor.expand_shape %[[V]] {{\[\[}}0, 1], [2], [3]]
// CHECK: %[[O:.*]] = attn.sdpa %[[Q4]], %[[K4]], %[[V4]] {scale = 1.000000e+00 : f64} : (tensor<?x1x?x16xf32>, tensor<?x1x?x16xf32>, tensor<?x1x?x8xf32>) -> tensor<?x1x?x8xf32>
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[O]]
// CHECK-NOT: linalg.softmax
// CHECK-NOT: linalg.transpose
// CHECK: return %[[R]]
func.func @transpose_no_scale_dynamic(%q: tensor<?x?x16xf32>, %k: tensor<?x?x16xf32>, %v: tensor<?x?x8xf32>, %b: index, %lq: index, %lk: index) -> tensor<?x?x8xf32> {
  %zero = arith.constant 0.0 : f32
  %et = tensor.empty(%b, %lk) : tensor<?x16x?xf32>
  %kt = linalg.transpose ins(%k : tensor<?x?x16xf32>) outs(%et : tensor<?x16x?xf32>) permutation = [0, 2, 1]
  %e = tensor.empty(%b, %lq, %lk) : tensor<?x?x?xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<?x?x16xf32>, tensor<?x16x?xf32>) outs(%f : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %p = linalg.softmax dimension(2) ins(%s : tensor<?x?x?xf32>) outs(%e : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %e4 = tensor.empty(%b, %lq) : tensor<?x?x8xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<?x?x8xf32>) -> tensor<?x?x8xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<?x?x?xf32>, tensor<?x?x8xf32>) outs(%f4 : tensor<?x?x8xf32>) -> tensor<?x?x8xf32>
  return %o : tensor<?x?x8xf32>
}

// -----

// A boolean mask applied with arith.select on whole tensors (true attends,
// false becomes -inf), after a scale by a splat tensor through linalg.mul.
// CHECK-LABEL: func.func @select_mask_splat_scale
// CHECK-SAME: %[[M:[^:]*]]: tensor<2x8x10xi1>
// CHECK: %[[M4:.*]] = tensor.expand_shape %[[M]] {{\[\[}}0, 1], [2], [3]] output_shape [2, 1, 8, 10] : tensor<2x8x10xi1> into tensor<2x1x8x10xi1>
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%[[M4]]) {scale = 1.250000e-01 : f64}
// CHECK-NOT: arith.select
// CHECK-NOT: linalg.mul
#q3 = affine_map<(b, i, j, d) -> (b, i, d)>
#k3 = affine_map<(b, i, j, d) -> (b, j, d)>
#s3 = affine_map<(b, i, j, d) -> (b, i, j)>
func.func @select_mask_splat_scale(%q: tensor<2x8x16xf32>, %k: tensor<2x10x16xf32>, %v: tensor<2x10x32xf32>, %m: tensor<2x8x10xi1>) -> tensor<2x8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x10xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %s = linalg.batch_matmul indexing_maps = [#q3, #k3, #s3] ins(%q, %k : tensor<2x8x16xf32>, tensor<2x10x16xf32>) outs(%f : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %c = arith.constant dense<0.125> : tensor<2x8x10xf32>
  %sc = linalg.mul ins(%c, %s : tensor<2x8x10xf32>, tensor<2x8x10xf32>) outs(%e : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %ninf = arith.constant dense<0xFF800000> : tensor<2x8x10xf32>
  %ma = arith.select %m, %sc, %ninf : tensor<2x8x10xi1>, tensor<2x8x10xf32>
  %p = attn.softmax %ma axis(-1) : tensor<2x8x10xf32>
  %e4 = tensor.empty() : tensor<2x8x32xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x8x10xf32>, tensor<2x10x32xf32>) outs(%f4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  return %o : tensor<2x8x32xf32>
}

// -----

// 4-D chain in linalg.generic with batch and head loops; the scale is a
// linalg.elementwise mul and a [B, Lk] key-padding mask is selected in a
// generic that broadcasts it over heads and queries; it becomes an sdpa
// mask [B, 1, 1, Lk]. No reshapes of Q, K or V are needed.
// CHECK-LABEL: func.func @generic_4d_broadcast_select_mask
// CHECK-SAME: (%[[Q:.*]]: tensor<2x4x8x16xbf16>, %[[K:.*]]: tensor<2x4x10x16xbf16>, %[[V:.*]]: tensor<2x4x10x16xbf16>, %[[M:.*]]: tensor<2x10xi1>)
// CHECK: %[[M4:.*]] = tensor.expand_shape %[[M]] {{\[\[}}0, 1, 2], [3]] output_shape [2, 1, 1, 10] : tensor<2x10xi1> into tensor<2x1x1x10xi1>
// CHECK: %[[O:.*]] = attn.sdpa %[[Q]], %[[K]], %[[V]] mask(%[[M4]]) {scale = 5.000000e-01 : f64} : (tensor<2x4x8x16xbf16>, tensor<2x4x10x16xbf16>, tensor<2x4x10x16xbf16>, tensor<2x1x1x10xi1>) -> tensor<2x4x8x16xbf16>
// CHECK-NEXT: return %[[O]]
#qk_q = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#qk_k = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#qk_s = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pv_p = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#pv_v = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#pv_o = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id4 = affine_map<(b, h, i, j) -> (b, h, i, j)>
#pad = affine_map<(b, h, i, j) -> (b, j)>
func.func @generic_4d_broadcast_select_mask(%q: tensor<2x4x8x16xbf16>, %k: tensor<2x4x10x16xbf16>, %v: tensor<2x4x10x16xbf16>, %m: tensor<2x10xi1>) -> tensor<2x4x8x16xbf16> {
  %zero = arith.constant 0.0 : bf16
  %e = tensor.empty() : tensor<2x4x8x10xbf16>
  %f = linalg.fill ins(%zero : bf16) outs(%e : tensor<2x4x8x10xbf16>) -> tensor<2x4x8x10xbf16>
  %s = linalg.generic {indexing_maps = [#qk_q, #qk_k, #qk_s], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%q, %k : tensor<2x4x8x16xbf16>, tensor<2x4x10x16xbf16>) outs(%f : tensor<2x4x8x10xbf16>) {
  ^bb0(%a: bf16, %b: bf16, %acc: bf16):
    %mul = arith.mulf %a, %b : bf16
    %add = arith.addf %acc, %mul : bf16
    linalg.yield %add : bf16
  } -> tensor<2x4x8x10xbf16>
  %half = arith.constant dense<0.5> : tensor<2x4x8x10xbf16>
  %sc = linalg.elementwise kind=#linalg.elementwise_kind<mul> ins(%s, %half : tensor<2x4x8x10xbf16>, tensor<2x4x8x10xbf16>) outs(%e : tensor<2x4x8x10xbf16>) -> tensor<2x4x8x10xbf16>
  %ma = linalg.generic {indexing_maps = [#pad, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%m, %sc : tensor<2x10xi1>, tensor<2x4x8x10xbf16>) outs(%e : tensor<2x4x8x10xbf16>) {
  ^bb0(%keep: i1, %x: bf16, %o: bf16):
    %ninf = arith.constant 0xFF80 : bf16
    %r = arith.select %keep, %x, %ninf : bf16
    linalg.yield %r : bf16
  } -> tensor<2x4x8x10xbf16>
  %p = attn.softmax %ma axis(3) : tensor<2x4x8x10xbf16>
  %e4 = tensor.empty() : tensor<2x4x8x16xbf16>
  %f4 = linalg.fill ins(%zero : bf16) outs(%e4 : tensor<2x4x8x16xbf16>) -> tensor<2x4x8x16xbf16>
  %o = linalg.generic {indexing_maps = [#pv_p, #pv_v, #pv_o], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%p, %v : tensor<2x4x8x10xbf16>, tensor<2x4x10x16xbf16>) outs(%f4 : tensor<2x4x8x16xbf16>) {
  ^bb0(%a: bf16, %b: bf16, %acc: bf16):
    %mul = arith.mulf %a, %b : bf16
    %add = arith.addf %acc, %mul : bf16
    linalg.yield %add : bf16
  } -> tensor<2x4x8x16xbf16>
  return %o : tensor<2x4x8x16xbf16>
}

// -----

// 2-D: linalg.matmul with a transposed map, and a float mask added in a
// generic with the mask first.
// CHECK-LABEL: func.func @matmul_2d_add_mask
// CHECK-SAME: (%[[Q:.*]]: tensor<8x16xf16>, %[[K:.*]]: tensor<10x16xf16>, %[[V:.*]]: tensor<10x4xf16>, %[[M:.*]]: tensor<8x10xf16>)
// CHECK-DAG: %[[M4:.*]] = tensor.expand_shape %[[M]] {{\[\[}}0, 1, 2], [3]] output_shape [1, 1, 8, 10]
// CHECK-DAG: %[[Q4:.*]] = tensor.expand_shape %[[Q]] {{\[\[}}0, 1, 2], [3]] output_shape [1, 1, 8, 16]
// CHECK: %[[O:.*]] = attn.sdpa %[[Q4]], %{{.*}}, %{{.*}} mask(%[[M4]]) {scale = 1.000000e+00 : f64} : (tensor<1x1x8x16xf16>, tensor<1x1x10x16xf16>, tensor<1x1x10x4xf16>, tensor<1x1x8x10xf16>) -> tensor<1x1x8x4xf16>
// CHECK: tensor.collapse_shape %[[O]] {{\[\[}}0, 1, 2], [3]] : tensor<1x1x8x4xf16> into tensor<8x4xf16>
#mq = affine_map<(i, j, d) -> (i, d)>
#mk = affine_map<(i, j, d) -> (j, d)>
#ms = affine_map<(i, j, d) -> (i, j)>
#id2 = affine_map<(i, j) -> (i, j)>
func.func @matmul_2d_add_mask(%q: tensor<8x16xf16>, %k: tensor<10x16xf16>, %v: tensor<10x4xf16>, %m: tensor<8x10xf16>) -> tensor<8x4xf16> {
  %zero = arith.constant 0.0 : f16
  %e = tensor.empty() : tensor<8x10xf16>
  %f = linalg.fill ins(%zero : f16) outs(%e : tensor<8x10xf16>) -> tensor<8x10xf16>
  %s = linalg.matmul indexing_maps = [#mq, #mk, #ms] ins(%q, %k : tensor<8x16xf16>, tensor<10x16xf16>) outs(%f : tensor<8x10xf16>) -> tensor<8x10xf16>
  %ma = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%m, %s : tensor<8x10xf16>, tensor<8x10xf16>) outs(%e : tensor<8x10xf16>) {
  ^bb0(%a: f16, %b: f16, %o: f16):
    %r = arith.addf %a, %b : f16
    linalg.yield %r : f16
  } -> tensor<8x10xf16>
  %p = attn.softmax %ma axis(1) : tensor<8x10xf16>
  %e4 = tensor.empty() : tensor<8x4xf16>
  %f4 = linalg.fill ins(%zero : f16) outs(%e4 : tensor<8x4xf16>) -> tensor<8x4xf16>
  %o = linalg.matmul ins(%p, %v : tensor<8x10xf16>, tensor<10x4xf16>) outs(%f4 : tensor<8x4xf16>) -> tensor<8x4xf16>
  return %o : tensor<8x4xf16>
}

// -----

// Negative cases: each chain below must stay as written. The common shape is
// the first test's chain; each function changes one thing.

// The scores have a second user.
// CHECK-LABEL: func.func @extra_user_scores
// CHECK-NOT: attn.sdpa
// CHECK: attn.softmax
#q3 = affine_map<(b, i, j, d) -> (b, i, d)>
#k3 = affine_map<(b, i, j, d) -> (b, j, d)>
#s3 = affine_map<(b, i, j, d) -> (b, i, j)>
func.func @extra_user_scores(%q: tensor<2x8x16xf32>, %k: tensor<2x10x16xf32>, %v: tensor<2x10x32xf32>) -> (tensor<2x8x32xf32>, tensor<2x8x10xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x10xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %s = linalg.batch_matmul indexing_maps = [#q3, #k3, #s3] ins(%q, %k : tensor<2x8x16xf32>, tensor<2x10x16xf32>) outs(%f : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %p = attn.softmax %s axis(2) : tensor<2x8x10xf32>
  %e4 = tensor.empty() : tensor<2x8x32xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x8x10xf32>, tensor<2x10x32xf32>) outs(%f4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  return %o, %s : tensor<2x8x32xf32>, tensor<2x8x10xf32>
}

// -----

// The scaled scores have a second user.
// CHECK-LABEL: func.func @extra_user_scaled
// CHECK-NOT: attn.sdpa
// CHECK: attn.softmax
#q3 = affine_map<(b, i, j, d) -> (b, i, d)>
#k3 = affine_map<(b, i, j, d) -> (b, j, d)>
#s3 = affine_map<(b, i, j, d) -> (b, i, j)>
func.func @extra_user_scaled(%q: tensor<2x8x16xf32>, %k: tensor<2x10x16xf32>, %v: tensor<2x10x32xf32>) -> (tensor<2x8x32xf32>, tensor<2x8x10xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x10xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %s = linalg.batch_matmul indexing_maps = [#q3, #k3, #s3] ins(%q, %k : tensor<2x8x16xf32>, tensor<2x10x16xf32>) outs(%f : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %c = arith.constant dense<0.25> : tensor<2x8x10xf32>
  %sc = arith.mulf %s, %c : tensor<2x8x10xf32>
  %p = attn.softmax %sc axis(2) : tensor<2x8x10xf32>
  %e4 = tensor.empty() : tensor<2x8x32xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x8x10xf32>, tensor<2x10x32xf32>) outs(%f4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  return %o, %sc : tensor<2x8x32xf32>, tensor<2x8x10xf32>
}

// -----

// The masked scores have a second user.
// CHECK-LABEL: func.func @extra_user_masked
// CHECK-NOT: attn.sdpa
// CHECK: attn.softmax
#q3 = affine_map<(b, i, j, d) -> (b, i, d)>
#k3 = affine_map<(b, i, j, d) -> (b, j, d)>
#s3 = affine_map<(b, i, j, d) -> (b, i, j)>
func.func @extra_user_masked(%q: tensor<2x8x16xf32>, %k: tensor<2x10x16xf32>, %v: tensor<2x10x32xf32>, %m: tensor<2x8x10xf32>) -> (tensor<2x8x32xf32>, tensor<2x8x10xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x10xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %s = linalg.batch_matmul indexing_maps = [#q3, #k3, #s3] ins(%q, %k : tensor<2x8x16xf32>, tensor<2x10x16xf32>) outs(%f : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %ma = arith.addf %s, %m : tensor<2x8x10xf32>
  %p = attn.softmax %ma axis(2) : tensor<2x8x10xf32>
  %e4 = tensor.empty() : tensor<2x8x32xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x8x10xf32>, tensor<2x10x32xf32>) outs(%f4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  return %o, %ma : tensor<2x8x32xf32>, tensor<2x8x10xf32>
}

// -----

// The probabilities have a second user.
// CHECK-LABEL: func.func @extra_user_probabilities
// CHECK-NOT: attn.sdpa
// CHECK: attn.softmax
#q3 = affine_map<(b, i, j, d) -> (b, i, d)>
#k3 = affine_map<(b, i, j, d) -> (b, j, d)>
#s3 = affine_map<(b, i, j, d) -> (b, i, j)>
func.func @extra_user_probabilities(%q: tensor<2x8x16xf32>, %k: tensor<2x10x16xf32>, %v: tensor<2x10x32xf32>) -> (tensor<2x8x32xf32>, tensor<2x8x10xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x10xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %s = linalg.batch_matmul indexing_maps = [#q3, #k3, #s3] ins(%q, %k : tensor<2x8x16xf32>, tensor<2x10x16xf32>) outs(%f : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %p = attn.softmax %s axis(2) : tensor<2x8x10xf32>
  %e4 = tensor.empty() : tensor<2x8x32xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x8x10xf32>, tensor<2x10x32xf32>) outs(%f4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  return %o, %p : tensor<2x8x32xf32>, tensor<2x8x10xf32>
}

// -----

// The transposed K has a second user.
// CHECK-LABEL: func.func @extra_user_transposed_key
// CHECK-NOT: attn.sdpa
// CHECK: linalg.softmax
func.func @extra_user_transposed_key(%q: tensor<2x8x16xf32>, %k: tensor<2x10x16xf32>, %v: tensor<2x10x32xf32>) -> (tensor<2x8x32xf32>, tensor<2x16x10xf32>) {
  %zero = arith.constant 0.0 : f32
  %et = tensor.empty() : tensor<2x16x10xf32>
  %kt = linalg.transpose ins(%k : tensor<2x10x16xf32>) outs(%et : tensor<2x16x10xf32>) permutation = [0, 2, 1]
  %e = tensor.empty() : tensor<2x8x10xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<2x8x16xf32>, tensor<2x16x10xf32>) outs(%f : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %p = linalg.softmax dimension(2) ins(%s : tensor<2x8x10xf32>) outs(%e : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %e4 = tensor.empty() : tensor<2x8x32xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x8x10xf32>, tensor<2x10x32xf32>) outs(%f4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  return %o, %kt : tensor<2x8x32xf32>, tensor<2x16x10xf32>
}

// -----

// Softmax over the queries (axis 1), not the keys.
// CHECK-LABEL: func.func @softmax_wrong_axis
// CHECK-NOT: attn.sdpa
// CHECK: attn.softmax %{{.*}} axis(1)
// CHECK: linalg.softmax dimension(1)
#q3 = affine_map<(b, i, j, d) -> (b, i, d)>
#k3 = affine_map<(b, i, j, d) -> (b, j, d)>
#s3 = affine_map<(b, i, j, d) -> (b, i, j)>
func.func @softmax_wrong_axis(%q: tensor<2x8x16xf32>, %k: tensor<2x8x16xf32>, %v: tensor<2x8x32xf32>) -> (tensor<2x8x32xf32>, tensor<2x8x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
  %s = linalg.batch_matmul indexing_maps = [#q3, #k3, #s3] ins(%q, %k : tensor<2x8x16xf32>, tensor<2x8x16xf32>) outs(%f : tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
  %p = attn.softmax %s axis(1) : tensor<2x8x8xf32>
  %e4 = tensor.empty() : tensor<2x8x32xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x8x8xf32>, tensor<2x8x32xf32>) outs(%f4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  %s2 = linalg.batch_matmul indexing_maps = [#q3, #k3, #s3] ins(%q, %k : tensor<2x8x16xf32>, tensor<2x8x16xf32>) outs(%f : tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
  %p2 = linalg.softmax dimension(1) ins(%s2 : tensor<2x8x8xf32>) outs(%e : tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
  %o2 = linalg.batch_matmul ins(%p2, %v : tensor<2x8x8xf32>, tensor<2x8x32xf32>) outs(%f4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  return %o, %o2 : tensor<2x8x32xf32>, tensor<2x8x32xf32>
}

// -----

// Shapes and forms attn.sdpa cannot take, or that do not compute its
// numbers: a dynamic head dim; a mask read transposed; a mask added before
// the scale; a non-positive scale; Q·Kᵀ accumulated onto a non-zero tensor;
// a scale that writes a differently typed tensor; K used untransposed.
// CHECK-LABEL: func.func @dynamic_head_dim
// CHECK-NOT: attn.sdpa
#q3 = affine_map<(b, i, j, d) -> (b, i, d)>
#k3 = affine_map<(b, i, j, d) -> (b, j, d)>
#s3 = affine_map<(b, i, j, d) -> (b, i, j)>
func.func @dynamic_head_dim(%q: tensor<2x8x?xf32>, %k: tensor<2x10x?xf32>, %v: tensor<2x10x32xf32>) -> tensor<2x8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x10xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %s = linalg.batch_matmul indexing_maps = [#q3, #k3, #s3] ins(%q, %k : tensor<2x8x?xf32>, tensor<2x10x?xf32>) outs(%f : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %p = attn.softmax %s axis(2) : tensor<2x8x10xf32>
  %e4 = tensor.empty() : tensor<2x8x32xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x8x10xf32>, tensor<2x10x32xf32>) outs(%f4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  return %o : tensor<2x8x32xf32>
}

// -----

// CHECK-LABEL: func.func @transposed_mask
// CHECK-NOT: attn.sdpa
#q3 = affine_map<(b, i, j, d) -> (b, i, d)>
#k3 = affine_map<(b, i, j, d) -> (b, j, d)>
#s3 = affine_map<(b, i, j, d) -> (b, i, j)>
#id3 = affine_map<(b, i, j) -> (b, i, j)>
#mt = affine_map<(b, i, j) -> (b, j, i)>
func.func @transposed_mask(%q: tensor<2x8x16xf32>, %k: tensor<2x8x16xf32>, %v: tensor<2x8x32xf32>, %m: tensor<2x8x8xf32>) -> tensor<2x8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
  %s = linalg.batch_matmul indexing_maps = [#q3, #k3, #s3] ins(%q, %k : tensor<2x8x16xf32>, tensor<2x8x16xf32>) outs(%f : tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
  %ma = linalg.generic {indexing_maps = [#id3, #mt, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%s, %m : tensor<2x8x8xf32>, tensor<2x8x8xf32>) outs(%e : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<2x8x8xf32>
  %p = attn.softmax %ma axis(2) : tensor<2x8x8xf32>
  %e4 = tensor.empty() : tensor<2x8x32xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x8x8xf32>, tensor<2x8x32xf32>) outs(%f4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  return %o : tensor<2x8x32xf32>
}

// -----

// CHECK-LABEL: func.func @mask_before_scale
// CHECK-NOT: attn.sdpa
#q3 = affine_map<(b, i, j, d) -> (b, i, d)>
#k3 = affine_map<(b, i, j, d) -> (b, j, d)>
#s3 = affine_map<(b, i, j, d) -> (b, i, j)>
func.func @mask_before_scale(%q: tensor<2x8x16xf32>, %k: tensor<2x10x16xf32>, %v: tensor<2x10x32xf32>, %m: tensor<2x8x10xf32>) -> tensor<2x8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x10xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %s = linalg.batch_matmul indexing_maps = [#q3, #k3, #s3] ins(%q, %k : tensor<2x8x16xf32>, tensor<2x10x16xf32>) outs(%f : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %ma = arith.addf %s, %m : tensor<2x8x10xf32>
  %c = arith.constant dense<0.25> : tensor<2x8x10xf32>
  %sc = arith.mulf %ma, %c : tensor<2x8x10xf32>
  %p = attn.softmax %sc axis(2) : tensor<2x8x10xf32>
  %e4 = tensor.empty() : tensor<2x8x32xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x8x10xf32>, tensor<2x10x32xf32>) outs(%f4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  return %o : tensor<2x8x32xf32>
}

// -----

// CHECK-LABEL: func.func @negative_scale
// CHECK-NOT: attn.sdpa
#q3 = affine_map<(b, i, j, d) -> (b, i, d)>
#k3 = affine_map<(b, i, j, d) -> (b, j, d)>
#s3 = affine_map<(b, i, j, d) -> (b, i, j)>
func.func @negative_scale(%q: tensor<2x8x16xf32>, %k: tensor<2x10x16xf32>, %v: tensor<2x10x32xf32>) -> tensor<2x8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x10xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %s = linalg.batch_matmul indexing_maps = [#q3, #k3, #s3] ins(%q, %k : tensor<2x8x16xf32>, tensor<2x10x16xf32>) outs(%f : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %c = arith.constant dense<-0.25> : tensor<2x8x10xf32>
  %sc = arith.mulf %s, %c : tensor<2x8x10xf32>
  %p = attn.softmax %sc axis(2) : tensor<2x8x10xf32>
  %e4 = tensor.empty() : tensor<2x8x32xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x8x10xf32>, tensor<2x10x32xf32>) outs(%f4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  return %o : tensor<2x8x32xf32>
}

// -----

// CHECK-LABEL: func.func @accumulating_scores
// CHECK-NOT: attn.sdpa
#q3 = affine_map<(b, i, j, d) -> (b, i, d)>
#k3 = affine_map<(b, i, j, d) -> (b, j, d)>
#s3 = affine_map<(b, i, j, d) -> (b, i, j)>
func.func @accumulating_scores(%q: tensor<2x8x16xf32>, %k: tensor<2x10x16xf32>, %v: tensor<2x10x32xf32>, %acc: tensor<2x8x10xf32>) -> tensor<2x8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %s = linalg.batch_matmul indexing_maps = [#q3, #k3, #s3] ins(%q, %k : tensor<2x8x16xf32>, tensor<2x10x16xf32>) outs(%acc : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %p = attn.softmax %s axis(2) : tensor<2x8x10xf32>
  %e4 = tensor.empty() : tensor<2x8x32xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x8x10xf32>, tensor<2x10x32xf32>) outs(%f4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  return %o : tensor<2x8x32xf32>
}

// -----

// CHECK-LABEL: func.func @scale_changes_type
// CHECK-NOT: attn.sdpa
#q3 = affine_map<(b, i, j, d) -> (b, i, d)>
#k3 = affine_map<(b, i, j, d) -> (b, j, d)>
#s3 = affine_map<(b, i, j, d) -> (b, i, j)>
#id3 = affine_map<(b, i, j) -> (b, i, j)>
func.func @scale_changes_type(%q: tensor<2x8x16xf32>, %k: tensor<2x10x16xf32>, %v: tensor<2x10x32xf32>, %n: index) -> tensor<?x8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x10xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %s = linalg.batch_matmul indexing_maps = [#q3, #k3, #s3] ins(%q, %k : tensor<2x8x16xf32>, tensor<2x10x16xf32>) outs(%f : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %c = arith.constant 0.25 : f32
  %ed = tensor.empty(%n) : tensor<?x8x10xf32>
  %sc = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%s : tensor<2x8x10xf32>) outs(%ed : tensor<?x8x10xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.mulf %a, %c : f32
    linalg.yield %r : f32
  } -> tensor<?x8x10xf32>
  %p = attn.softmax %sc axis(2) : tensor<?x8x10xf32>
  %e4 = tensor.empty(%n) : tensor<?x8x32xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<?x8x32xf32>) -> tensor<?x8x32xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<?x8x10xf32>, tensor<2x10x32xf32>) outs(%f4 : tensor<?x8x32xf32>) -> tensor<?x8x32xf32>
  return %o : tensor<?x8x32xf32>
}

// -----

// CHECK-LABEL: func.func @untransposed_key
// CHECK-NOT: attn.sdpa
func.func @untransposed_key(%q: tensor<2x8x16xf32>, %kt: tensor<2x16x10xf32>, %v: tensor<2x10x32xf32>) -> tensor<2x8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x10xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<2x8x16xf32>, tensor<2x16x10xf32>) outs(%f : tensor<2x8x10xf32>) -> tensor<2x8x10xf32>
  %p = attn.softmax %s axis(2) : tensor<2x8x10xf32>
  %e4 = tensor.empty() : tensor<2x8x32xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x8x10xf32>, tensor<2x10x32xf32>) outs(%f4 : tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  return %o : tensor<2x8x32xf32>
}
