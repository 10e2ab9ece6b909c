// attn-fuse on the attention chain as the ONNX importer writes a PyTorch
// export (frontend/onnx-import-design.md): heads split with expand_shape and
// linalg.transpose, MatMul(Q, Kᵀ) as a contraction generic, a Div or Mul
// scale, an Add of a broadcast mask, attn.softmax, PyTorch's
// Where(IsNaN(p), 0, p) guard, MatMul(·, V). It becomes attn.sdpa, with the
// mask, causal when the mask is the causal pattern.
// RUN: attn-opt %s --attn-fuse --split-input-file | FileCheck %s

// -----

// BERT's export: Kᵀ by one Transpose [0, 2, 3, 1] of the split heads, Div
// by √D, Add of a [B, 1, 1, S] padding mask, the IsNaN guard; dynamic batch
// and lengths.
// CHECK-LABEL: func.func @div_scale_padding_mask_guard
// CHECK-SAME: %[[M:[^:]*]]: tensor<?x1x1x?xf32>
// CHECK-NOT: attn.softmax
// CHECK: %[[O:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%[[M]]) {scale = 5.000000e-01 : f64} : (tensor<?x2x?x4xf32>, tensor<?x2x?x4xf32>, tensor<?x2x?x4xf32>, tensor<?x1x1x?xf32>) -> tensor<?x2x?x4xf32>
// CHECK-NOT: attn.softmax
// CHECK-NOT: arith.cmpf
// CHECK-NOT: linalg.generic
// CHECK: return %[[O]]
func.func @div_scale_padding_mask_guard(%q: tensor<?x?x8xf32>, %k: tensor<?x?x8xf32>, %v: tensor<?x?x8xf32>, %m: tensor<?x1x1x?xf32>) -> (tensor<?x2x?x4xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %q, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %q, %c3 : tensor<?x?x8xf32>
  %c5 = arith.constant 1 : index
  %S6 = tensor.dim %k, %c5 : tensor<?x?x8xf32>
  %heads7 = tensor.expand_shape %q [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e8 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %tr9 = linalg.transpose ins(%heads7 : tensor<?x?x2x4xf32>) outs(%e8 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %heads10 = tensor.expand_shape %k [[0], [1], [2, 3]] output_shape [%B2, %S6, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e11 = tensor.empty(%B2, %S6) : tensor<?x2x4x?xf32>
  %tr12 = linalg.transpose ins(%heads10 : tensor<?x?x2x4xf32>) outs(%e11 : tensor<?x2x4x?xf32>) permutation = [0, 2, 3, 1]
  %heads13 = tensor.expand_shape %v [[0], [1], [2, 3]] output_shape [%B2, %S6, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e14 = tensor.empty(%B2, %S6) : tensor<?x2x?x4xf32>
  %tr15 = linalg.transpose ins(%heads13 : tensor<?x?x2x4xf32>) outs(%e14 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %cst16 = arith.constant 0.000000000e+00 : f32
  %e17 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xf32>
  %z18 = linalg.fill ins(%cst16 : f32) outs(%e17 : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %mm19 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%tr9, %tr12 : tensor<?x2x?x4xf32>, tensor<?x2x4x?xf32>) outs(%z18 : tensor<?x2x?x?xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %w20 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e21 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xf32>
  %v22 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%mm19, %w20 : tensor<?x2x?x?xf32>, tensor<f32>) outs(%e21 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %e23 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xf32>
  %v24 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, 0, 0, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v22, %m : tensor<?x2x?x?xf32>, tensor<?x1x1x?xf32>) outs(%e23 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %sm25 = attn.softmax %v24 axis(3) : tensor<?x2x?x?xf32>
  %e26 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xi1>
  %v27 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sm25 : tensor<?x2x?x?xf32>) outs(%e26 : tensor<?x2x?x?xi1>) {
  ^bb0(%in0: f32, %out: i1):
    %r = arith.cmpf uno, %in0, %in0 : f32
    linalg.yield %r : i1
  } -> tensor<?x2x?x?xi1>
  %w28 = arith.constant dense<0.000000000e+00> : tensor<f32>
  %e29 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xf32>
  %v30 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v27, %w28, %sm25 : tensor<?x2x?x?xi1>, tensor<f32>, tensor<?x2x?x?xf32>) outs(%e29 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: i1, %in1: f32, %in2: f32, %out: f32):
    %r = arith.select %in0, %in1, %in2 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %e31 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %z32 = linalg.fill ins(%cst16 : f32) outs(%e31 : tensor<?x2x?x4xf32>) -> tensor<?x2x?x4xf32>
  %mm33 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v30, %tr15 : tensor<?x2x?x?xf32>, tensor<?x2x?x4xf32>) outs(%z32 : tensor<?x2x?x4xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x4xf32>
  return %mm33 : tensor<?x2x?x4xf32>
}

// -----

// Mul by 1/√D, no mask, no guard; K as [B, H, S, D] then Kᵀ by a second
// Transpose.
// CHECK-LABEL: func.func @mul_scale_no_mask_two_transposes
// CHECK: %[[O:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {scale = 5.000000e-01 : f64} : (tensor<?x2x?x4xf32>, tensor<?x2x?x4xf32>, tensor<?x2x?x4xf32>) -> tensor<?x2x?x4xf32>
// CHECK-NOT: linalg.transpose {{.*}} permutation = [0, 1, 3, 2]
// CHECK-NOT: attn.softmax
// CHECK: return %[[O]]
func.func @mul_scale_no_mask_two_transposes(%q: tensor<?x?x8xf32>, %k: tensor<?x?x8xf32>, %v: tensor<?x?x8xf32>) -> (tensor<?x2x?x4xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %q, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %q, %c3 : tensor<?x?x8xf32>
  %c5 = arith.constant 1 : index
  %S6 = tensor.dim %k, %c5 : tensor<?x?x8xf32>
  %heads7 = tensor.expand_shape %q [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e8 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %tr9 = linalg.transpose ins(%heads7 : tensor<?x?x2x4xf32>) outs(%e8 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %heads10 = tensor.expand_shape %k [[0], [1], [2, 3]] output_shape [%B2, %S6, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e11 = tensor.empty(%B2, %S6) : tensor<?x2x?x4xf32>
  %tr12 = linalg.transpose ins(%heads10 : tensor<?x?x2x4xf32>) outs(%e11 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %e13 = tensor.empty(%B2, %S6) : tensor<?x2x4x?xf32>
  %tr14 = linalg.transpose ins(%tr12 : tensor<?x2x?x4xf32>) outs(%e13 : tensor<?x2x4x?xf32>) permutation = [0, 1, 3, 2]
  %heads15 = tensor.expand_shape %v [[0], [1], [2, 3]] output_shape [%B2, %S6, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e16 = tensor.empty(%B2, %S6) : tensor<?x2x?x4xf32>
  %tr17 = linalg.transpose ins(%heads15 : tensor<?x?x2x4xf32>) outs(%e16 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %cst18 = arith.constant 0.000000000e+00 : f32
  %e19 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xf32>
  %z20 = linalg.fill ins(%cst18 : f32) outs(%e19 : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %mm21 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%tr9, %tr14 : tensor<?x2x?x4xf32>, tensor<?x2x4x?xf32>) outs(%z20 : tensor<?x2x?x?xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %w22 = arith.constant dense<5.000000000e-01> : tensor<f32>
  %e23 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xf32>
  %v24 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%mm21, %w22 : tensor<?x2x?x?xf32>, tensor<f32>) outs(%e23 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %sm25 = attn.softmax %v24 axis(3) : tensor<?x2x?x?xf32>
  %e26 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %z27 = linalg.fill ins(%cst18 : f32) outs(%e26 : tensor<?x2x?x4xf32>) -> tensor<?x2x?x4xf32>
  %mm28 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%sm25, %tr17 : tensor<?x2x?x?xf32>, tensor<?x2x?x4xf32>) outs(%z27 : tensor<?x2x?x4xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x4xf32>
  return %mm28 : tensor<?x2x?x4xf32>
}

// -----

// The scale split as √c on Q and √c on Kᵀ (PyTorch's SDPA export): the
// factors multiply.
// CHECK-LABEL: func.func @scale_on_q_and_k
// CHECK: %[[O:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {scale = 0.4999999{{[0-9]+}} : f64}
// CHECK-NOT: linalg.generic
// CHECK: return %[[O]]
func.func @scale_on_q_and_k(%q: tensor<?x?x8xf32>, %k: tensor<?x?x8xf32>, %v: tensor<?x?x8xf32>) -> (tensor<?x2x?x4xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %q, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %q, %c3 : tensor<?x?x8xf32>
  %c5 = arith.constant 1 : index
  %S6 = tensor.dim %k, %c5 : tensor<?x?x8xf32>
  %heads7 = tensor.expand_shape %q [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e8 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %tr9 = linalg.transpose ins(%heads7 : tensor<?x?x2x4xf32>) outs(%e8 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %heads10 = tensor.expand_shape %k [[0], [1], [2, 3]] output_shape [%B2, %S6, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e11 = tensor.empty(%B2, %S6) : tensor<?x2x4x?xf32>
  %tr12 = linalg.transpose ins(%heads10 : tensor<?x?x2x4xf32>) outs(%e11 : tensor<?x2x4x?xf32>) permutation = [0, 2, 3, 1]
  %heads13 = tensor.expand_shape %v [[0], [1], [2, 3]] output_shape [%B2, %S6, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e14 = tensor.empty(%B2, %S6) : tensor<?x2x?x4xf32>
  %tr15 = linalg.transpose ins(%heads13 : tensor<?x?x2x4xf32>) outs(%e14 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %w16 = arith.constant dense<7.071067812e-01> : tensor<f32>
  %e17 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %v18 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%tr9, %w16 : tensor<?x2x?x4xf32>, tensor<f32>) outs(%e17 : tensor<?x2x?x4xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x4xf32>
  %w19 = arith.constant dense<7.071067812e-01> : tensor<f32>
  %e20 = tensor.empty(%B2, %S6) : tensor<?x2x4x?xf32>
  %v21 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%tr12, %w19 : tensor<?x2x4x?xf32>, tensor<f32>) outs(%e20 : tensor<?x2x4x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x4x?xf32>
  %cst22 = arith.constant 0.000000000e+00 : f32
  %e23 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xf32>
  %z24 = linalg.fill ins(%cst22 : f32) outs(%e23 : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %mm25 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v18, %v21 : tensor<?x2x?x4xf32>, tensor<?x2x4x?xf32>) outs(%z24 : tensor<?x2x?x?xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %sm26 = attn.softmax %mm25 axis(3) : tensor<?x2x?x?xf32>
  %e27 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xi1>
  %v28 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sm26 : tensor<?x2x?x?xf32>) outs(%e27 : tensor<?x2x?x?xi1>) {
  ^bb0(%in0: f32, %out: i1):
    %r = arith.cmpf uno, %in0, %in0 : f32
    linalg.yield %r : i1
  } -> tensor<?x2x?x?xi1>
  %w29 = arith.constant dense<0.000000000e+00> : tensor<f32>
  %e30 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xf32>
  %v31 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v28, %w29, %sm26 : tensor<?x2x?x?xi1>, tensor<f32>, tensor<?x2x?x?xf32>) outs(%e30 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: i1, %in1: f32, %in2: f32, %out: f32):
    %r = arith.select %in0, %in1, %in2 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %e32 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %z33 = linalg.fill ins(%cst22 : f32) outs(%e32 : tensor<?x2x?x4xf32>) -> tensor<?x2x?x4xf32>
  %mm34 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v31, %tr15 : tensor<?x2x?x?xf32>, tensor<?x2x?x4xf32>) outs(%z33 : tensor<?x2x?x4xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x4xf32>
  return %mm34 : tensor<?x2x?x4xf32>
}

// -----

// The whole scale on Q, as Mul(c, Q) before the product; an IsNaN guard.
// CHECK-LABEL: func.func @scale_on_q
// CHECK: %[[O:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {scale = 5.000000e-01 : f64}
// CHECK-NOT: linalg.generic
// CHECK: return %[[O]]
func.func @scale_on_q(%q: tensor<?x?x8xf32>, %k: tensor<?x?x8xf32>, %v: tensor<?x?x8xf32>) -> (tensor<?x2x?x4xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %q, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %q, %c3 : tensor<?x?x8xf32>
  %c5 = arith.constant 1 : index
  %S6 = tensor.dim %k, %c5 : tensor<?x?x8xf32>
  %heads7 = tensor.expand_shape %q [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e8 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %tr9 = linalg.transpose ins(%heads7 : tensor<?x?x2x4xf32>) outs(%e8 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %heads10 = tensor.expand_shape %k [[0], [1], [2, 3]] output_shape [%B2, %S6, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e11 = tensor.empty(%B2, %S6) : tensor<?x2x4x?xf32>
  %tr12 = linalg.transpose ins(%heads10 : tensor<?x?x2x4xf32>) outs(%e11 : tensor<?x2x4x?xf32>) permutation = [0, 2, 3, 1]
  %heads13 = tensor.expand_shape %v [[0], [1], [2, 3]] output_shape [%B2, %S6, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e14 = tensor.empty(%B2, %S6) : tensor<?x2x?x4xf32>
  %tr15 = linalg.transpose ins(%heads13 : tensor<?x?x2x4xf32>) outs(%e14 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %w16 = arith.constant dense<5.000000000e-01> : tensor<f32>
  %e17 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %v18 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%w16, %tr9 : tensor<f32>, tensor<?x2x?x4xf32>) outs(%e17 : tensor<?x2x?x4xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x4xf32>
  %cst19 = arith.constant 0.000000000e+00 : f32
  %e20 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xf32>
  %z21 = linalg.fill ins(%cst19 : f32) outs(%e20 : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %mm22 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v18, %tr12 : tensor<?x2x?x4xf32>, tensor<?x2x4x?xf32>) outs(%z21 : tensor<?x2x?x?xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %sm23 = attn.softmax %mm22 axis(3) : tensor<?x2x?x?xf32>
  %e24 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xi1>
  %v25 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sm23 : tensor<?x2x?x?xf32>) outs(%e24 : tensor<?x2x?x?xi1>) {
  ^bb0(%in0: f32, %out: i1):
    %r = arith.cmpf uno, %in0, %in0 : f32
    linalg.yield %r : i1
  } -> tensor<?x2x?x?xi1>
  %w26 = arith.constant dense<0.000000000e+00> : tensor<f32>
  %e27 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xf32>
  %v28 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v25, %w26, %sm23 : tensor<?x2x?x?xi1>, tensor<f32>, tensor<?x2x?x?xf32>) outs(%e27 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: i1, %in1: f32, %in2: f32, %out: f32):
    %r = arith.select %in0, %in1, %in2 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %e29 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %z30 = linalg.fill ins(%cst19 : f32) outs(%e29 : tensor<?x2x?x4xf32>) -> tensor<?x2x?x4xf32>
  %mm31 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v28, %tr15 : tensor<?x2x?x?xf32>, tensor<?x2x?x4xf32>) outs(%z30 : tensor<?x2x?x4xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x4xf32>
  return %mm31 : tensor<?x2x?x4xf32>
}

// -----

// A causal mask as a constant [S, S] triangle (0 on and below the
// diagonal, -inf above), the query and key lengths one size: causal.
// CHECK-LABEL: func.func @causal_constant_triangle
// CHECK: %[[O:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {causal, scale = 5.000000e-01 : f64}
// CHECK-NOT: mask(
// CHECK-NOT: linalg.generic
// CHECK: return %[[O]]
func.func @causal_constant_triangle(%x: tensor<?x?x8xf32>) -> (tensor<?x2x?x4xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x8xf32>
  %heads5 = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e6 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %tr7 = linalg.transpose ins(%heads5 : tensor<?x?x2x4xf32>) outs(%e6 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %heads8 = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e9 = tensor.empty(%B2, %L4) : tensor<?x2x4x?xf32>
  %tr10 = linalg.transpose ins(%heads8 : tensor<?x?x2x4xf32>) outs(%e9 : tensor<?x2x4x?xf32>) permutation = [0, 2, 3, 1]
  %heads11 = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e12 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %tr13 = linalg.transpose ins(%heads11 : tensor<?x?x2x4xf32>) outs(%e12 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %cst14 = arith.constant 0.000000000e+00 : f32
  %e15 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %z16 = linalg.fill ins(%cst14 : f32) outs(%e15 : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %mm17 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%tr7, %tr10 : tensor<?x2x?x4xf32>, tensor<?x2x4x?xf32>) outs(%z16 : tensor<?x2x?x?xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %w18 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e19 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %v20 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%mm17, %w18 : tensor<?x2x?x?xf32>, tensor<f32>) outs(%e19 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %w21 = arith.constant dense<[[0.0, 0xFF800000, 0xFF800000, 0xFF800000], [0.0, 0.0, 0xFF800000, 0xFF800000], [0.0, 0.0, 0.0, 0xFF800000], [0.0, 0.0, 0.0, 0.0]]> : tensor<4x4xf32>
  %e22 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %v23 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v20, %w21 : tensor<?x2x?x?xf32>, tensor<4x4xf32>) outs(%e22 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %sm24 = attn.softmax %v23 axis(3) : tensor<?x2x?x?xf32>
  %e25 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xi1>
  %v26 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sm24 : tensor<?x2x?x?xf32>) outs(%e25 : tensor<?x2x?x?xi1>) {
  ^bb0(%in0: f32, %out: i1):
    %r = arith.cmpf uno, %in0, %in0 : f32
    linalg.yield %r : i1
  } -> tensor<?x2x?x?xi1>
  %w27 = arith.constant dense<0.000000000e+00> : tensor<f32>
  %e28 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %v29 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v26, %w27, %sm24 : tensor<?x2x?x?xi1>, tensor<f32>, tensor<?x2x?x?xf32>) outs(%e28 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: i1, %in1: f32, %in2: f32, %out: f32):
    %r = arith.select %in0, %in1, %in2 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %e30 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %z31 = linalg.fill ins(%cst14 : f32) outs(%e30 : tensor<?x2x?x4xf32>) -> tensor<?x2x?x4xf32>
  %mm32 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v29, %tr13 : tensor<?x2x?x?xf32>, tensor<?x2x?x4xf32>) outs(%z31 : tensor<?x2x?x4xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x4xf32>
  return %mm32 : tensor<?x2x?x4xf32>
}

// -----

// A causal mask built as GPT-2 exports write it: ConstantOfShape ones,
// Trilu (an index generic), Where(t == 0, -inf, 0); dynamic lengths.
// CHECK-LABEL: func.func @causal_trilu_generic
// CHECK: %[[O:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {causal, scale = 5.000000e-01 : f64}
// CHECK-NOT: mask(
// CHECK-NOT: attn.softmax
// CHECK: return %[[O]]
func.func @causal_trilu_generic(%x: tensor<?x?x8xf32>) -> (tensor<?x2x?x4xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x8xf32>
  %heads5 = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e6 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %tr7 = linalg.transpose ins(%heads5 : tensor<?x?x2x4xf32>) outs(%e6 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %heads8 = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e9 = tensor.empty(%B2, %L4) : tensor<?x2x4x?xf32>
  %tr10 = linalg.transpose ins(%heads8 : tensor<?x?x2x4xf32>) outs(%e9 : tensor<?x2x4x?xf32>) permutation = [0, 2, 3, 1]
  %heads11 = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e12 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %tr13 = linalg.transpose ins(%heads11 : tensor<?x?x2x4xf32>) outs(%e12 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %cst14 = arith.constant 0.000000000e+00 : f32
  %e15 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %z16 = linalg.fill ins(%cst14 : f32) outs(%e15 : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %mm17 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%tr7, %tr10 : tensor<?x2x?x4xf32>, tensor<?x2x4x?xf32>) outs(%z16 : tensor<?x2x?x?xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %w18 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e19 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %v20 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%mm17, %w18 : tensor<?x2x?x?xf32>, tensor<f32>) outs(%e19 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %e22 = tensor.empty(%L4, %L4) : tensor<?x?xf32>
  %cst23 = arith.constant 1.000000000e+00 : f32
  %ones21 = linalg.fill ins(%cst23 : f32) outs(%e22 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %e24 = tensor.empty(%L4, %L4) : tensor<?x?xf32>
  %v25 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%ones21 : tensor<?x?xf32>) outs(%e24 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %keep = arith.cmpi sle, %j, %i : index
    %zf = arith.constant 0.0 : f32
    %r = arith.select %keep, %in0, %zf : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %e26 = tensor.empty(%L4, %L4) : tensor<?x?xf32>
  %v27 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%v25 : tensor<?x?xf32>) outs(%e26 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %zero = arith.constant 0.0 : f32
    %ninf = arith.constant 0xFF800000 : f32
    %c = arith.cmpf oeq, %in0, %zero : f32
    %r = arith.select %c, %ninf, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %e28 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %v29 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v20, %v27 : tensor<?x2x?x?xf32>, tensor<?x?xf32>) outs(%e28 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %sm30 = attn.softmax %v29 axis(3) : tensor<?x2x?x?xf32>
  %e31 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xi1>
  %v32 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sm30 : tensor<?x2x?x?xf32>) outs(%e31 : tensor<?x2x?x?xi1>) {
  ^bb0(%in0: f32, %out: i1):
    %r = arith.cmpf uno, %in0, %in0 : f32
    linalg.yield %r : i1
  } -> tensor<?x2x?x?xi1>
  %w33 = arith.constant dense<0.000000000e+00> : tensor<f32>
  %e34 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %v35 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v32, %w33, %sm30 : tensor<?x2x?x?xi1>, tensor<f32>, tensor<?x2x?x?xf32>) outs(%e34 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: i1, %in1: f32, %in2: f32, %out: f32):
    %r = arith.select %in0, %in1, %in2 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %e36 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %z37 = linalg.fill ins(%cst14 : f32) outs(%e36 : tensor<?x2x?x4xf32>) -> tensor<?x2x?x4xf32>
  %mm38 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v35, %tr13 : tensor<?x2x?x?xf32>, tensor<?x2x?x4xf32>) outs(%z37 : tensor<?x2x?x4xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x4xf32>
  return %mm38 : tensor<?x2x?x4xf32>
}

// -----

// GPT-2's causal mask: Where(tril, scores, finfo.min) with a boolean
// constant triangle [1, 1, S, S]: causal (the lowest finite value hides like
// -inf in rows that always see a key).
// CHECK-LABEL: func.func @causal_where_lowest
// CHECK: %[[O:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {causal, scale = 5.000000e-01 : f64}
// CHECK-NOT: mask(
// CHECK-NOT: arith.select
// CHECK: return %[[O]]
func.func @causal_where_lowest(%x: tensor<?x?x8xf32>) -> (tensor<?x2x?x4xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x8xf32>
  %heads5 = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e6 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %tr7 = linalg.transpose ins(%heads5 : tensor<?x?x2x4xf32>) outs(%e6 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %heads8 = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e9 = tensor.empty(%B2, %L4) : tensor<?x2x4x?xf32>
  %tr10 = linalg.transpose ins(%heads8 : tensor<?x?x2x4xf32>) outs(%e9 : tensor<?x2x4x?xf32>) permutation = [0, 2, 3, 1]
  %heads11 = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e12 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %tr13 = linalg.transpose ins(%heads11 : tensor<?x?x2x4xf32>) outs(%e12 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %cst14 = arith.constant 0.000000000e+00 : f32
  %e15 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %z16 = linalg.fill ins(%cst14 : f32) outs(%e15 : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %mm17 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%tr7, %tr10 : tensor<?x2x?x4xf32>, tensor<?x2x4x?xf32>) outs(%z16 : tensor<?x2x?x?xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %w18 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e19 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %v20 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%mm17, %w18 : tensor<?x2x?x?xf32>, tensor<f32>) outs(%e19 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %w21 = arith.constant dense<[[[[true, false, false, false], [true, true, false, false], [true, true, true, false], [true, true, true, true]]]]> : tensor<1x1x4x4xi1>
  %w22 = arith.constant dense<-3.402823466e+38> : tensor<f32>
  %e23 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %v24 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (0, 0, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%w21, %v20, %w22 : tensor<1x1x4x4xi1>, tensor<?x2x?x?xf32>, tensor<f32>) outs(%e23 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: i1, %in1: f32, %in2: f32, %out: f32):
    %r = arith.select %in0, %in1, %in2 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %sm25 = attn.softmax %v24 axis(3) : tensor<?x2x?x?xf32>
  %e26 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xi1>
  %v27 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sm25 : tensor<?x2x?x?xf32>) outs(%e26 : tensor<?x2x?x?xi1>) {
  ^bb0(%in0: f32, %out: i1):
    %r = arith.cmpf uno, %in0, %in0 : f32
    linalg.yield %r : i1
  } -> tensor<?x2x?x?xi1>
  %w28 = arith.constant dense<0.000000000e+00> : tensor<f32>
  %e29 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %v30 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v27, %w28, %sm25 : tensor<?x2x?x?xi1>, tensor<f32>, tensor<?x2x?x?xf32>) outs(%e29 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: i1, %in1: f32, %in2: f32, %out: f32):
    %r = arith.select %in0, %in1, %in2 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %e31 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %z32 = linalg.fill ins(%cst14 : f32) outs(%e31 : tensor<?x2x?x4xf32>) -> tensor<?x2x?x4xf32>
  %mm33 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v30, %tr13 : tensor<?x2x?x?xf32>, tensor<?x2x?x4xf32>) outs(%z32 : tensor<?x2x?x4xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x4xf32>
  return %mm33 : tensor<?x2x?x4xf32>
}

// -----

// Not fused: Where(m, scores, finfo.min) with a mask that is not causal
// (a fully hidden row would average the values where attn.sdpa gives 0).
// CHECK-LABEL: func.func @where_lowest_not_causal
// CHECK-NOT: attn.sdpa
// CHECK: attn.softmax
// CHECK-NOT: attn.sdpa
// CHECK: return
func.func @where_lowest_not_causal(%x: tensor<?x?x8xf32>) -> (tensor<?x2x?x4xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x8xf32>
  %heads5 = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e6 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %tr7 = linalg.transpose ins(%heads5 : tensor<?x?x2x4xf32>) outs(%e6 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %heads8 = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e9 = tensor.empty(%B2, %L4) : tensor<?x2x4x?xf32>
  %tr10 = linalg.transpose ins(%heads8 : tensor<?x?x2x4xf32>) outs(%e9 : tensor<?x2x4x?xf32>) permutation = [0, 2, 3, 1]
  %heads11 = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e12 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %tr13 = linalg.transpose ins(%heads11 : tensor<?x?x2x4xf32>) outs(%e12 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %cst14 = arith.constant 0.000000000e+00 : f32
  %e15 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %z16 = linalg.fill ins(%cst14 : f32) outs(%e15 : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %mm17 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%tr7, %tr10 : tensor<?x2x?x4xf32>, tensor<?x2x4x?xf32>) outs(%z16 : tensor<?x2x?x?xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %w18 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e19 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %v20 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%mm17, %w18 : tensor<?x2x?x?xf32>, tensor<f32>) outs(%e19 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %w21 = arith.constant dense<[[[[true, true, true, true], [false, true, true, true], [false, false, true, true], [false, false, false, true]]]]> : tensor<1x1x4x4xi1>
  %w22 = arith.constant dense<-3.402823466e+38> : tensor<f32>
  %e23 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %v24 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (0, 0, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%w21, %v20, %w22 : tensor<1x1x4x4xi1>, tensor<?x2x?x?xf32>, tensor<f32>) outs(%e23 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: i1, %in1: f32, %in2: f32, %out: f32):
    %r = arith.select %in0, %in1, %in2 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %sm25 = attn.softmax %v24 axis(3) : tensor<?x2x?x?xf32>
  %e26 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xi1>
  %v27 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sm25 : tensor<?x2x?x?xf32>) outs(%e26 : tensor<?x2x?x?xi1>) {
  ^bb0(%in0: f32, %out: i1):
    %r = arith.cmpf uno, %in0, %in0 : f32
    linalg.yield %r : i1
  } -> tensor<?x2x?x?xi1>
  %w28 = arith.constant dense<0.000000000e+00> : tensor<f32>
  %e29 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %v30 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v27, %w28, %sm25 : tensor<?x2x?x?xi1>, tensor<f32>, tensor<?x2x?x?xf32>) outs(%e29 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: i1, %in1: f32, %in2: f32, %out: f32):
    %r = arith.select %in0, %in1, %in2 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %e31 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %z32 = linalg.fill ins(%cst14 : f32) outs(%e31 : tensor<?x2x?x4xf32>) -> tensor<?x2x?x4xf32>
  %mm33 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v30, %tr13 : tensor<?x2x?x?xf32>, tensor<?x2x?x4xf32>) outs(%z32 : tensor<?x2x?x4xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x4xf32>
  return %mm33 : tensor<?x2x?x4xf32>
}

// -----

// Not causal: the upper triangle. The constant stays the mask.
// CHECK-LABEL: func.func @anti_causal_constant
// CHECK: %[[O:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}}) {scale = 5.000000e-01 : f64}
// CHECK: return %[[O]]
func.func @anti_causal_constant(%x: tensor<?x?x8xf32>) -> (tensor<?x2x?x4xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x8xf32>
  %heads5 = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e6 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %tr7 = linalg.transpose ins(%heads5 : tensor<?x?x2x4xf32>) outs(%e6 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %heads8 = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e9 = tensor.empty(%B2, %L4) : tensor<?x2x4x?xf32>
  %tr10 = linalg.transpose ins(%heads8 : tensor<?x?x2x4xf32>) outs(%e9 : tensor<?x2x4x?xf32>) permutation = [0, 2, 3, 1]
  %heads11 = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e12 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %tr13 = linalg.transpose ins(%heads11 : tensor<?x?x2x4xf32>) outs(%e12 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %cst14 = arith.constant 0.000000000e+00 : f32
  %e15 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %z16 = linalg.fill ins(%cst14 : f32) outs(%e15 : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %mm17 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%tr7, %tr10 : tensor<?x2x?x4xf32>, tensor<?x2x4x?xf32>) outs(%z16 : tensor<?x2x?x?xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %w18 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e19 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %v20 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%mm17, %w18 : tensor<?x2x?x?xf32>, tensor<f32>) outs(%e19 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %w21 = arith.constant dense<[[0.0, 0.0, 0.0, 0.0], [0xFF800000, 0.0, 0.0, 0.0], [0xFF800000, 0xFF800000, 0.0, 0.0], [0xFF800000, 0xFF800000, 0xFF800000, 0.0]]> : tensor<4x4xf32>
  %e22 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %v23 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v20, %w21 : tensor<?x2x?x?xf32>, tensor<4x4xf32>) outs(%e22 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %sm24 = attn.softmax %v23 axis(3) : tensor<?x2x?x?xf32>
  %e25 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xi1>
  %v26 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sm24 : tensor<?x2x?x?xf32>) outs(%e25 : tensor<?x2x?x?xi1>) {
  ^bb0(%in0: f32, %out: i1):
    %r = arith.cmpf uno, %in0, %in0 : f32
    linalg.yield %r : i1
  } -> tensor<?x2x?x?xi1>
  %w27 = arith.constant dense<0.000000000e+00> : tensor<f32>
  %e28 = tensor.empty(%B2, %L4, %L4) : tensor<?x2x?x?xf32>
  %v29 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v26, %w27, %sm24 : tensor<?x2x?x?xi1>, tensor<f32>, tensor<?x2x?x?xf32>) outs(%e28 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: i1, %in1: f32, %in2: f32, %out: f32):
    %r = arith.select %in0, %in1, %in2 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %e30 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %z31 = linalg.fill ins(%cst14 : f32) outs(%e30 : tensor<?x2x?x4xf32>) -> tensor<?x2x?x4xf32>
  %mm32 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v29, %tr13 : tensor<?x2x?x?xf32>, tensor<?x2x?x4xf32>) outs(%z31 : tensor<?x2x?x4xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x4xf32>
  return %mm32 : tensor<?x2x?x4xf32>
}

// -----

// Not fused: the masked scores are also returned.
// CHECK-LABEL: func.func @scores_used_elsewhere
// CHECK-NOT: attn.sdpa
// CHECK: attn.softmax
// CHECK-NOT: attn.sdpa
// CHECK: return
func.func @scores_used_elsewhere(%q: tensor<?x?x8xf32>, %k: tensor<?x?x8xf32>, %v: tensor<?x?x8xf32>, %m: tensor<?x1x1x?xf32>) -> (tensor<?x2x?x4xf32>, tensor<?x2x?x?xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %q, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %q, %c3 : tensor<?x?x8xf32>
  %c5 = arith.constant 1 : index
  %S6 = tensor.dim %k, %c5 : tensor<?x?x8xf32>
  %heads7 = tensor.expand_shape %q [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e8 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %tr9 = linalg.transpose ins(%heads7 : tensor<?x?x2x4xf32>) outs(%e8 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %heads10 = tensor.expand_shape %k [[0], [1], [2, 3]] output_shape [%B2, %S6, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e11 = tensor.empty(%B2, %S6) : tensor<?x2x4x?xf32>
  %tr12 = linalg.transpose ins(%heads10 : tensor<?x?x2x4xf32>) outs(%e11 : tensor<?x2x4x?xf32>) permutation = [0, 2, 3, 1]
  %heads13 = tensor.expand_shape %v [[0], [1], [2, 3]] output_shape [%B2, %S6, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e14 = tensor.empty(%B2, %S6) : tensor<?x2x?x4xf32>
  %tr15 = linalg.transpose ins(%heads13 : tensor<?x?x2x4xf32>) outs(%e14 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %cst16 = arith.constant 0.000000000e+00 : f32
  %e17 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xf32>
  %z18 = linalg.fill ins(%cst16 : f32) outs(%e17 : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %mm19 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%tr9, %tr12 : tensor<?x2x?x4xf32>, tensor<?x2x4x?xf32>) outs(%z18 : tensor<?x2x?x?xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %w20 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e21 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xf32>
  %v22 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%mm19, %w20 : tensor<?x2x?x?xf32>, tensor<f32>) outs(%e21 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %e23 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xf32>
  %v24 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, 0, 0, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v22, %m : tensor<?x2x?x?xf32>, tensor<?x1x1x?xf32>) outs(%e23 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %sm25 = attn.softmax %v24 axis(3) : tensor<?x2x?x?xf32>
  %e26 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xi1>
  %v27 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sm25 : tensor<?x2x?x?xf32>) outs(%e26 : tensor<?x2x?x?xi1>) {
  ^bb0(%in0: f32, %out: i1):
    %r = arith.cmpf uno, %in0, %in0 : f32
    linalg.yield %r : i1
  } -> tensor<?x2x?x?xi1>
  %w28 = arith.constant dense<0.000000000e+00> : tensor<f32>
  %e29 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xf32>
  %v30 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v27, %w28, %sm25 : tensor<?x2x?x?xi1>, tensor<f32>, tensor<?x2x?x?xf32>) outs(%e29 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: i1, %in1: f32, %in2: f32, %out: f32):
    %r = arith.select %in0, %in1, %in2 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %e31 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %z32 = linalg.fill ins(%cst16 : f32) outs(%e31 : tensor<?x2x?x4xf32>) -> tensor<?x2x?x4xf32>
  %mm33 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v30, %tr15 : tensor<?x2x?x?xf32>, tensor<?x2x?x4xf32>) outs(%z32 : tensor<?x2x?x4xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x4xf32>
  return %mm33, %v24 : tensor<?x2x?x4xf32>, tensor<?x2x?x?xf32>
}

// -----

// Not fused: the scale divides by an argument, not a constant.
// CHECK-LABEL: func.func @scale_not_constant
// CHECK-NOT: attn.sdpa
// CHECK: attn.softmax
// CHECK-NOT: attn.sdpa
// CHECK: return
func.func @scale_not_constant(%q: tensor<?x?x8xf32>, %k: tensor<?x?x8xf32>, %v: tensor<?x?x8xf32>, %scale: tensor<f32>) -> (tensor<?x2x?x4xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %q, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %q, %c3 : tensor<?x?x8xf32>
  %c5 = arith.constant 1 : index
  %S6 = tensor.dim %k, %c5 : tensor<?x?x8xf32>
  %heads7 = tensor.expand_shape %q [[0], [1], [2, 3]] output_shape [%B2, %L4, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e8 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %tr9 = linalg.transpose ins(%heads7 : tensor<?x?x2x4xf32>) outs(%e8 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %heads10 = tensor.expand_shape %k [[0], [1], [2, 3]] output_shape [%B2, %S6, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e11 = tensor.empty(%B2, %S6) : tensor<?x2x4x?xf32>
  %tr12 = linalg.transpose ins(%heads10 : tensor<?x?x2x4xf32>) outs(%e11 : tensor<?x2x4x?xf32>) permutation = [0, 2, 3, 1]
  %heads13 = tensor.expand_shape %v [[0], [1], [2, 3]] output_shape [%B2, %S6, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
  %e14 = tensor.empty(%B2, %S6) : tensor<?x2x?x4xf32>
  %tr15 = linalg.transpose ins(%heads13 : tensor<?x?x2x4xf32>) outs(%e14 : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
  %cst16 = arith.constant 0.000000000e+00 : f32
  %e17 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xf32>
  %z18 = linalg.fill ins(%cst16 : f32) outs(%e17 : tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  %mm19 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%tr9, %tr12 : tensor<?x2x?x4xf32>, tensor<?x2x4x?xf32>) outs(%z18 : tensor<?x2x?x?xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %e20 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xf32>
  %v21 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%mm19, %scale : tensor<?x2x?x?xf32>, tensor<f32>) outs(%e20 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %sm22 = attn.softmax %v21 axis(3) : tensor<?x2x?x?xf32>
  %e23 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xi1>
  %v24 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sm22 : tensor<?x2x?x?xf32>) outs(%e23 : tensor<?x2x?x?xi1>) {
  ^bb0(%in0: f32, %out: i1):
    %r = arith.cmpf uno, %in0, %in0 : f32
    linalg.yield %r : i1
  } -> tensor<?x2x?x?xi1>
  %w25 = arith.constant dense<0.000000000e+00> : tensor<f32>
  %e26 = tensor.empty(%B2, %L4, %S6) : tensor<?x2x?x?xf32>
  %v27 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v24, %w25, %sm22 : tensor<?x2x?x?xi1>, tensor<f32>, tensor<?x2x?x?xf32>) outs(%e26 : tensor<?x2x?x?xf32>) {
  ^bb0(%in0: i1, %in1: f32, %in2: f32, %out: f32):
    %r = arith.select %in0, %in1, %in2 : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x?xf32>
  %e28 = tensor.empty(%B2, %L4) : tensor<?x2x?x4xf32>
  %z29 = linalg.fill ins(%cst16 : f32) outs(%e28 : tensor<?x2x?x4xf32>) -> tensor<?x2x?x4xf32>
  %mm30 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v27, %tr15 : tensor<?x2x?x?xf32>, tensor<?x2x?x4xf32>) outs(%z29 : tensor<?x2x?x4xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x2x?x4xf32>
  return %mm30 : tensor<?x2x?x4xf32>
}

// -----

// Not fused: the mask is read with its dimensions swapped ((b, h, i, j) ->
// (j, i)), which attn.sdpa's broadcastable mask cannot express.
// CHECK-LABEL: func.func @mask_read_transposed
// CHECK-NOT: attn.sdpa
// CHECK: attn.softmax
// CHECK-NOT: attn.sdpa
// CHECK: return
#qmap = affine_map<(b, h, i, j, k) -> (b, h, i, k)>
#kmap = affine_map<(b, h, i, j, k) -> (b, h, k, j)>
#omap = affine_map<(b, h, i, j, k) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, j, k) -> (b, h, k, j)>
#id4 = affine_map<(b, h, i, j) -> (b, h, i, j)>
#swap = affine_map<(b, h, i, j) -> (j, i)>
func.func @mask_read_transposed(%q: tensor<2x2x4x4xf32>, %kt: tensor<2x2x4x6xf32>, %v: tensor<2x2x6x4xf32>, %m: tensor<6x4xf32>) -> tensor<2x2x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2x4x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2x4x6xf32>) -> tensor<2x2x4x6xf32>
  %s = linalg.generic {indexing_maps = [#qmap, #kmap, #omap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%q, %kt : tensor<2x2x4x4xf32>, tensor<2x2x4x6xf32>) outs(%f : tensor<2x2x4x6xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x2x4x6xf32>
  %ma = linalg.generic {indexing_maps = [#id4, #swap, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s, %m : tensor<2x2x4x6xf32>, tensor<6x4xf32>) outs(%e : tensor<2x2x4x6xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<2x2x4x6xf32>
  %p = attn.softmax %ma axis(3) : tensor<2x2x4x6xf32>
  %e2 = tensor.empty() : tensor<2x2x4x4xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x2x4x4xf32>) -> tensor<2x2x4x4xf32>
  %o = linalg.generic {indexing_maps = [#qmap, #vmap, #omap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%p, %v : tensor<2x2x4x6xf32>, tensor<2x2x6x4xf32>) outs(%f2 : tensor<2x2x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %pr = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %pr : f32
    linalg.yield %r : f32
  } -> tensor<2x2x4x4xf32>
  return %o : tensor<2x2x4x4xf32>
}

// -----

// PyTorch's [B, 1, L, L] padding mask: the [B, 1, 1, L] padding and-ed with
// Range(L) >= 0 along the queries, which always holds, then Where(m, 0,
// -inf). Its value does not depend on the query, so it is recomputed as
// [B, 1, 1, L] (the always-true part a constant that the and then folds
// away, no linalg.index left), once for the two attentions that share it.
#q = affine_map<(d0, d1, d2, d3) -> (0, 0, d2, 0)>
#k = affine_map<(d0, d1, d2, d3) -> (d0, 0, 0, d3)>
#s = affine_map<(d0, d1, d2, d3) -> ()>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#id1 = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @query_free_mask
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<?x2x?x8xf32>, %[[PAD:[^:]*]]: tensor<?x1x1x?xi1>)
// CHECK-NOT: outs(%{{.*}} : tensor<?x1x?x?x
// CHECK: %[[E:.*]] = tensor.empty(%{{.*}}, %{{.*}}) : tensor<?x1x1x?xf32>
// CHECK: %[[M:.*]] = linalg.generic {{.*}} ins(%[[PAD]], %{{.*}}, %{{.*}} : tensor<?x1x1x?xi1>, tensor<f32>, tensor<f32>) outs(%[[E]] : tensor<?x1x1x?xf32>)
// CHECK-NOT: linalg.index
// CHECK-NOT: arith.andi
// CHECK: arith.select
// CHECK: attn.sdpa %[[Q]], %[[Q]], %[[Q]] mask(%[[M]])
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%[[M]])
// CHECK-NOT: outs(%{{.*}} : tensor<?x1x?x?x
func.func @query_free_mask(%q: tensor<?x2x?x8xf32>, %pad: tensor<?x1x1x?xi1>) -> (tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>) {
  %c0 = arith.constant 0 : index
  %c3 = arith.constant 3 : index
  %b = tensor.dim %pad, %c0 : tensor<?x1x1x?xi1>
  %l = tensor.dim %pad, %c3 : tensor<?x1x1x?xi1>
  %zero = arith.constant dense<0> : tensor<i64>
  %one = arith.constant dense<1> : tensor<i64>
  %er = tensor.empty(%l) : tensor<?xi64>
  %range = linalg.generic {indexing_maps = [affine_map<(d0) -> ()>, affine_map<(d0) -> ()>, #id1], iterator_types = ["parallel"]} ins(%zero, %one : tensor<i64>, tensor<i64>) outs(%er : tensor<?xi64>) {
  ^bb0(%start: i64, %delta: i64, %o: i64):
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i64
    %m = arith.muli %ii, %delta : i64
    %v = arith.addi %start, %m : i64
    linalg.yield %v : i64
  } -> tensor<?xi64>
  %r4 = tensor.expand_shape %range [[0, 1, 2, 3]] output_shape [1, 1, %l, 1] : tensor<?xi64> into tensor<1x1x?x1xi64>
  %eg = tensor.empty(%l) : tensor<1x1x?x1xi1>
  %ge = linalg.generic {indexing_maps = [#id4, #s, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%r4, %zero : tensor<1x1x?x1xi64>, tensor<i64>) outs(%eg : tensor<1x1x?x1xi1>) {
  ^bb0(%a: i64, %z: i64, %o: i1):
    %c = arith.cmpi sge, %a, %z : i64
    linalg.yield %c : i1
  } -> tensor<1x1x?x1xi1>
  %ea = tensor.empty(%b, %l, %l) : tensor<?x1x?x?xi1>
  %and = linalg.generic {indexing_maps = [#q, #k, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%ge, %pad : tensor<1x1x?x1xi1>, tensor<?x1x1x?xi1>) outs(%ea : tensor<?x1x?x?xi1>) {
  ^bb0(%x: i1, %y: i1, %o: i1):
    %c = arith.andi %x, %y : i1
    linalg.yield %c : i1
  } -> tensor<?x1x?x?xi1>
  %keep = arith.constant dense<0.0> : tensor<f32>
  %hide = arith.constant dense<0xFF800000> : tensor<f32>
  %em = tensor.empty(%b, %l, %l) : tensor<?x1x?x?xf32>
  %mask = linalg.generic {indexing_maps = [#id4, #s, #s, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%and, %keep, %hide : tensor<?x1x?x?xi1>, tensor<f32>, tensor<f32>) outs(%em : tensor<?x1x?x?xf32>) {
  ^bb0(%c: i1, %t: f32, %f: f32, %o: f32):
    %v = arith.select %c, %t, %f : f32
    linalg.yield %v : f32
  } -> tensor<?x1x?x?xf32>
  %o1 = attn.sdpa %q, %q, %q mask(%mask) : (tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>, tensor<?x1x?x?xf32>) -> tensor<?x2x?x8xf32>
  %o2 = attn.sdpa %o1, %o1, %q mask(%mask) : (tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>, tensor<?x1x?x?xf32>) -> tensor<?x2x?x8xf32>
  return %o1, %o2 : tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>
}

// -----

// Kept at [B, 1, L, L]: masks that vary by query (a causal part the padding
// is and-ed with, a tensor read along the queries).
#q = affine_map<(d0, d1, d2, d3) -> (0, 0, d2, d3)>
#k = affine_map<(d0, d1, d2, d3) -> (d0, 0, 0, d3)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @query_dependent_mask
// CHECK: attn.sdpa {{.*}} : (tensor<2x2x5x8xf32>, tensor<2x2x5x8xf32>, tensor<2x2x5x8xf32>, tensor<2x1x5x5xi1>)
// CHECK: attn.sdpa {{.*}} : (tensor<2x2x5x8xf32>, tensor<2x2x5x8xf32>, tensor<2x2x5x8xf32>, tensor<2x1x5x5xi1>)
// CHECK-NOT: tensor<2x1x1x5xi1>
func.func @query_dependent_mask(%q: tensor<2x2x5x8xf32>, %pad: tensor<2x1x1x5xi1>, %full: tensor<1x1x5x5xi1>) -> (tensor<2x2x5x8xf32>, tensor<2x2x5x8xf32>) {
  %ea = tensor.empty() : tensor<2x1x5x5xi1>
  %tri = linalg.generic {indexing_maps = [#k, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%pad : tensor<2x1x1x5xi1>) outs(%ea : tensor<2x1x5x5xi1>) {
  ^bb0(%y: i1, %o: i1):
    %i = linalg.index 2 : index
    %j = linalg.index 3 : index
    %c = arith.cmpi sle, %j, %i : index
    %v = arith.andi %c, %y : i1
    linalg.yield %v : i1
  } -> tensor<2x1x5x5xi1>
  %o1 = attn.sdpa %q, %q, %q mask(%tri) : (tensor<2x2x5x8xf32>, tensor<2x2x5x8xf32>, tensor<2x2x5x8xf32>, tensor<2x1x5x5xi1>) -> tensor<2x2x5x8xf32>
  %and = linalg.generic {indexing_maps = [#q, #k, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%full, %pad : tensor<1x1x5x5xi1>, tensor<2x1x1x5xi1>) outs(%ea : tensor<2x1x5x5xi1>) {
  ^bb0(%x: i1, %y: i1, %o: i1):
    %c = arith.andi %x, %y : i1
    linalg.yield %c : i1
  } -> tensor<2x1x5x5xi1>
  %o2 = attn.sdpa %o1, %o1, %q mask(%and) : (tensor<2x2x5x8xf32>, tensor<2x2x5x8xf32>, tensor<2x2x5x8xf32>, tensor<2x1x5x5xi1>) -> tensor<2x2x5x8xf32>
  return %o1, %o2 : tensor<2x2x5x8xf32>, tensor<2x2x5x8xf32>
}
