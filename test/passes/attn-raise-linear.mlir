// attn-raise-linear: a MatMul by a constant weight [K, N] (plus an Add of a
// constant bias [N]) in the ONNX importer's forms becomes attn.linear with
// the weight transposed to [N, K] at compile time; a following GELU (erf or
// tanh formula, in the association orders exporters write) or ReLU becomes
// its activation. Anything else stays as it is.
// RUN: attn-opt %s --attn-raise-linear --split-input-file | FileCheck %s

// -----

// MatMul [B, L, K] x constant [K, N], then Add of a constant [N]: the weight
// is transposed into a new constant; dynamic batch and sequence.
// CHECK-LABEL: func.func @matmul_bias
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>
// CHECK-DAG: %[[WT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00, 7.000000e+00, 1.000000e+01], [2.000000e+00, 5.000000e+00, 8.000000e+00, 1.100000e+01], [3.000000e+00, 6.000000e+00, 9.000000e+00, 1.200000e+01]]> : tensor<3x4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, -1.000000e+00, 2.500000e-01]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = attn.linear %[[X]], %[[WT]], %[[B]] : (tensor<?x?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x?x3xf32>
// CHECK-NOT: linalg.
// CHECK-NOT: math.
// CHECK: return %[[Y]]
func.func @matmul_bias(%x: tensor<?x?x4xf32>) -> (tensor<?x?x3xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x4xf32>
  %w5 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]> : tensor<4x3xf32>
  %cst6 = arith.constant 0.000000000e+00 : f32
  %e7 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %z8 = linalg.fill ins(%cst6 : f32) outs(%e7 : tensor<?x?x3xf32>) -> tensor<?x?x3xf32>
  %mm9 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w5 : tensor<?x?x4xf32>, tensor<4x3xf32>) outs(%z8 : tensor<?x?x3xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w10 = arith.constant dense<[0.5, -1.0, 0.25]> : tensor<3xf32>
  %e11 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v12 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm9, %w10 : tensor<?x?x3xf32>, tensor<3xf32>) outs(%e11 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  return %v12 : tensor<?x?x3xf32>
}

// -----

// The bias on the left of the Add.
// CHECK-LABEL: func.func @bias_left
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>
// CHECK-DAG: %[[WT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00, 7.000000e+00, 1.000000e+01], [2.000000e+00, 5.000000e+00, 8.000000e+00, 1.100000e+01], [3.000000e+00, 6.000000e+00, 9.000000e+00, 1.200000e+01]]> : tensor<3x4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, -1.000000e+00, 2.500000e-01]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = attn.linear %[[X]], %[[WT]], %[[B]] : (tensor<?x?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x?x3xf32>
// CHECK-NOT: linalg.
// CHECK-NOT: math.
// CHECK: return %[[Y]]
func.func @bias_left(%x: tensor<?x?x4xf32>) -> (tensor<?x?x3xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x4xf32>
  %w5 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]> : tensor<4x3xf32>
  %cst6 = arith.constant 0.000000000e+00 : f32
  %e7 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %z8 = linalg.fill ins(%cst6 : f32) outs(%e7 : tensor<?x?x3xf32>) -> tensor<?x?x3xf32>
  %mm9 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w5 : tensor<?x?x4xf32>, tensor<4x3xf32>) outs(%z8 : tensor<?x?x3xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w10 = arith.constant dense<[0.5, -1.0, 0.25]> : tensor<3xf32>
  %e11 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v12 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%w10, %mm9 : tensor<3xf32>, tensor<?x?x3xf32>) outs(%e11 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  return %v12 : tensor<?x?x3xf32>
}

// -----

// A 2-D MatMul as linalg.matmul, no bias.
// CHECK-LABEL: func.func @matmul_2d_no_bias
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x4xf32>
// CHECK: %[[WT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00, 7.000000e+00, 1.000000e+01], [2.000000e+00, 5.000000e+00, 8.000000e+00, 1.100000e+01], [3.000000e+00, 6.000000e+00, 9.000000e+00, 1.200000e+01]]> : tensor<3x4xf32>
// CHECK: %[[Y:.*]] = attn.linear %[[X]], %[[WT]] : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
// CHECK-NOT: linalg.matmul
// CHECK: return %[[Y]]
func.func @matmul_2d_no_bias(%x: tensor<2x4xf32>) -> (tensor<2x3xf32>) {
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]> : tensor<4x3xf32>
  %cst2 = arith.constant 0.000000000e+00 : f32
  %e3 = tensor.empty() : tensor<2x3xf32>
  %z4 = linalg.fill ins(%cst2 : f32) outs(%e3 : tensor<2x3xf32>) -> tensor<2x3xf32>
  %mm5 = linalg.matmul ins(%x, %w1 : tensor<2x4xf32>, tensor<4x3xf32>) outs(%z4 : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %mm5 : tensor<2x3xf32>
}

// -----

// A dense_resource weight (as the importer emits weights over 64 bytes):
// the transpose is a new blob with the bytes of Wᵀ.
// CHECK-LABEL: func.func @resource_weight
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>
// CHECK-DAG: %[[WT:.*]] = arith.constant dense_resource<attnc_transposed_weight{{.*}}> : tensor<3x4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, -1.000000e+00, 2.500000e-01]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = attn.linear %[[X]], %[[WT]], %[[B]] :
// CHECK: return %[[Y]]
// CHECK: attnc_transposed_weight{{.*}}: "0x400000000000803F000080400000E04000002041000000400000A0400000004100003041000040400000C0400000104100004041"
func.func @resource_weight(%x: tensor<?x?x4xf32>) -> (tensor<?x?x3xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x4xf32>
  %w5 = arith.constant dense_resource<onnx_weight> : tensor<4x3xf32>
  %cst6 = arith.constant 0.000000000e+00 : f32
  %e7 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %z8 = linalg.fill ins(%cst6 : f32) outs(%e7 : tensor<?x?x3xf32>) -> tensor<?x?x3xf32>
  %mm9 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w5 : tensor<?x?x4xf32>, tensor<4x3xf32>) outs(%z8 : tensor<?x?x3xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w10 = arith.constant dense<[0.5, -1.0, 0.25]> : tensor<3xf32>
  %e11 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v12 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm9, %w10 : tensor<?x?x3xf32>, tensor<3xf32>) outs(%e11 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  return %v12 : tensor<?x?x3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      onnx_weight: "0x040000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041"
    }
  }
#-}

// -----

// GELU as torch.onnx exports nn.GELU: Div by √2, Erf, Add 1, Mul by x,
// Mul by 0.5.
// CHECK-LABEL: func.func @gelu_erf_torch_order
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>
// CHECK-DAG: %[[WT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00, 7.000000e+00, 1.000000e+01], [2.000000e+00, 5.000000e+00, 8.000000e+00, 1.100000e+01], [3.000000e+00, 6.000000e+00, 9.000000e+00, 1.200000e+01]]> : tensor<3x4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, -1.000000e+00, 2.500000e-01]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = attn.linear %[[X]], %[[WT]], %[[B]] {activation = #attn.activation<gelu>} : (tensor<?x?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x?x3xf32>
// CHECK-NOT: linalg.
// CHECK-NOT: math.
// CHECK: return %[[Y]]
func.func @gelu_erf_torch_order(%x: tensor<?x?x4xf32>) -> (tensor<?x?x3xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x4xf32>
  %w5 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]> : tensor<4x3xf32>
  %cst6 = arith.constant 0.000000000e+00 : f32
  %e7 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %z8 = linalg.fill ins(%cst6 : f32) outs(%e7 : tensor<?x?x3xf32>) -> tensor<?x?x3xf32>
  %mm9 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w5 : tensor<?x?x4xf32>, tensor<4x3xf32>) outs(%z8 : tensor<?x?x3xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w10 = arith.constant dense<[0.5, -1.0, 0.25]> : tensor<3xf32>
  %e11 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v12 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm9, %w10 : tensor<?x?x3xf32>, tensor<3xf32>) outs(%e11 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w13 = arith.constant dense<1.414213538e+00> : tensor<f32>
  %e14 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v15 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v12, %w13 : tensor<?x?x3xf32>, tensor<f32>) outs(%e14 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e16 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v17 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v15 : tensor<?x?x3xf32>) outs(%e16 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.erf %in0 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w18 = arith.constant dense<1.000000000e+00> : tensor<f32>
  %e19 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v20 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v17, %w18 : tensor<?x?x3xf32>, tensor<f32>) outs(%e19 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e21 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v22 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v12, %v20 : tensor<?x?x3xf32>, tensor<?x?x3xf32>) outs(%e21 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w23 = arith.constant dense<5.000000000e-01> : tensor<f32>
  %e24 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v25 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v22, %w23 : tensor<?x?x3xf32>, tensor<f32>) outs(%e24 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  return %v25 : tensor<?x?x3xf32>
}

// -----

// GELU as x·0.5·(1 + erf(x·0.7071)): the half taken first, Mul by 1/√2.
// CHECK-LABEL: func.func @gelu_erf_half_first
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>
// CHECK-DAG: %[[WT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00, 7.000000e+00, 1.000000e+01], [2.000000e+00, 5.000000e+00, 8.000000e+00, 1.100000e+01], [3.000000e+00, 6.000000e+00, 9.000000e+00, 1.200000e+01]]> : tensor<3x4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, -1.000000e+00, 2.500000e-01]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = attn.linear %[[X]], %[[WT]], %[[B]] {activation = #attn.activation<gelu>} : (tensor<?x?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x?x3xf32>
// CHECK-NOT: linalg.
// CHECK-NOT: math.
// CHECK: return %[[Y]]
func.func @gelu_erf_half_first(%x: tensor<?x?x4xf32>) -> (tensor<?x?x3xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x4xf32>
  %w5 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]> : tensor<4x3xf32>
  %cst6 = arith.constant 0.000000000e+00 : f32
  %e7 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %z8 = linalg.fill ins(%cst6 : f32) outs(%e7 : tensor<?x?x3xf32>) -> tensor<?x?x3xf32>
  %mm9 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w5 : tensor<?x?x4xf32>, tensor<4x3xf32>) outs(%z8 : tensor<?x?x3xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w10 = arith.constant dense<[0.5, -1.0, 0.25]> : tensor<3xf32>
  %e11 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v12 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm9, %w10 : tensor<?x?x3xf32>, tensor<3xf32>) outs(%e11 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w13 = arith.constant dense<5.000000000e-01> : tensor<f32>
  %e14 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v15 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v12, %w13 : tensor<?x?x3xf32>, tensor<f32>) outs(%e14 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w16 = arith.constant dense<7.071067691e-01> : tensor<f32>
  %e17 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v18 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v12, %w16 : tensor<?x?x3xf32>, tensor<f32>) outs(%e17 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e19 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v20 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v18 : tensor<?x?x3xf32>) outs(%e19 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.erf %in0 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w21 = arith.constant dense<1.000000000e+00> : tensor<f32>
  %e22 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v23 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%w21, %v20 : tensor<f32>, tensor<?x?x3xf32>) outs(%e22 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e24 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v25 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v15, %v23 : tensor<?x?x3xf32>, tensor<?x?x3xf32>) outs(%e24 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  return %v25 : tensor<?x?x3xf32>
}

// -----

// GELU as 0.5·((erf(x/√2) + 1)·x), the constants on the left.
// CHECK-LABEL: func.func @gelu_erf_outer_half
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>
// CHECK-DAG: %[[WT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00, 7.000000e+00, 1.000000e+01], [2.000000e+00, 5.000000e+00, 8.000000e+00, 1.100000e+01], [3.000000e+00, 6.000000e+00, 9.000000e+00, 1.200000e+01]]> : tensor<3x4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, -1.000000e+00, 2.500000e-01]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = attn.linear %[[X]], %[[WT]], %[[B]] {activation = #attn.activation<gelu>} : (tensor<?x?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x?x3xf32>
// CHECK-NOT: linalg.
// CHECK-NOT: math.
// CHECK: return %[[Y]]
func.func @gelu_erf_outer_half(%x: tensor<?x?x4xf32>) -> (tensor<?x?x3xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x4xf32>
  %w5 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]> : tensor<4x3xf32>
  %cst6 = arith.constant 0.000000000e+00 : f32
  %e7 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %z8 = linalg.fill ins(%cst6 : f32) outs(%e7 : tensor<?x?x3xf32>) -> tensor<?x?x3xf32>
  %mm9 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w5 : tensor<?x?x4xf32>, tensor<4x3xf32>) outs(%z8 : tensor<?x?x3xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w10 = arith.constant dense<[0.5, -1.0, 0.25]> : tensor<3xf32>
  %e11 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v12 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm9, %w10 : tensor<?x?x3xf32>, tensor<3xf32>) outs(%e11 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w13 = arith.constant dense<1.414213538e+00> : tensor<f32>
  %e14 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v15 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v12, %w13 : tensor<?x?x3xf32>, tensor<f32>) outs(%e14 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e16 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v17 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v15 : tensor<?x?x3xf32>) outs(%e16 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.erf %in0 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w18 = arith.constant dense<1.000000000e+00> : tensor<f32>
  %e19 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v20 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v17, %w18 : tensor<?x?x3xf32>, tensor<f32>) outs(%e19 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e21 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v22 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v20, %v12 : tensor<?x?x3xf32>, tensor<?x?x3xf32>) outs(%e21 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w23 = arith.constant dense<5.000000000e-01> : tensor<f32>
  %e24 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v25 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%w23, %v22 : tensor<f32>, tensor<?x?x3xf32>) outs(%e24 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  return %v25 : tensor<?x?x3xf32>
}

// -----

// GELU as one linalg.generic (ONNX Gelu, opset 20), constants captured
// from above.
// CHECK-LABEL: func.func @gelu_erf_one_generic
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>
// CHECK-DAG: %[[WT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00, 7.000000e+00, 1.000000e+01], [2.000000e+00, 5.000000e+00, 8.000000e+00, 1.100000e+01], [3.000000e+00, 6.000000e+00, 9.000000e+00, 1.200000e+01]]> : tensor<3x4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, -1.000000e+00, 2.500000e-01]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = attn.linear %[[X]], %[[WT]], %[[B]] {activation = #attn.activation<gelu>} : (tensor<?x?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x?x3xf32>
// CHECK-NOT: linalg.
// CHECK-NOT: math.
// CHECK: return %[[Y]]
func.func @gelu_erf_one_generic(%x: tensor<?x?x4xf32>) -> (tensor<?x?x3xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x4xf32>
  %c_half = arith.constant 0.5 : f32
  %c_rs2 = arith.constant 0.707106769 : f32
  %c_one = arith.constant 1.0 : f32
  %w5 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]> : tensor<4x3xf32>
  %cst6 = arith.constant 0.000000000e+00 : f32
  %e7 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %z8 = linalg.fill ins(%cst6 : f32) outs(%e7 : tensor<?x?x3xf32>) -> tensor<?x?x3xf32>
  %mm9 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w5 : tensor<?x?x4xf32>, tensor<4x3xf32>) outs(%z8 : tensor<?x?x3xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w10 = arith.constant dense<[0.5, -1.0, 0.25]> : tensor<3xf32>
  %e11 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v12 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm9, %w10 : tensor<?x?x3xf32>, tensor<3xf32>) outs(%e11 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e13 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v14 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v12 : tensor<?x?x3xf32>) outs(%e13 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %h = arith.mulf %in0, %c_half : f32
    %s = arith.mulf %in0, %c_rs2 : f32
    %e = math.erf %s : f32
    %a = arith.addf %e, %c_one : f32
    %r = arith.mulf %h, %a : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  return %v14 : tensor<?x?x3xf32>
}

// -----

// tanh GELU with Pow 3 (GPT-2's NewGELU as exported).
// CHECK-LABEL: func.func @gelu_tanh_pow
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>
// CHECK-DAG: %[[WT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00, 7.000000e+00, 1.000000e+01], [2.000000e+00, 5.000000e+00, 8.000000e+00, 1.100000e+01], [3.000000e+00, 6.000000e+00, 9.000000e+00, 1.200000e+01]]> : tensor<3x4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, -1.000000e+00, 2.500000e-01]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = attn.linear %[[X]], %[[WT]], %[[B]] {activation = #attn.activation<gelu_tanh>} : (tensor<?x?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x?x3xf32>
// CHECK-NOT: linalg.
// CHECK-NOT: math.
// CHECK: return %[[Y]]
func.func @gelu_tanh_pow(%x: tensor<?x?x4xf32>) -> (tensor<?x?x3xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x4xf32>
  %w5 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]> : tensor<4x3xf32>
  %cst6 = arith.constant 0.000000000e+00 : f32
  %e7 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %z8 = linalg.fill ins(%cst6 : f32) outs(%e7 : tensor<?x?x3xf32>) -> tensor<?x?x3xf32>
  %mm9 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w5 : tensor<?x?x4xf32>, tensor<4x3xf32>) outs(%z8 : tensor<?x?x3xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w10 = arith.constant dense<[0.5, -1.0, 0.25]> : tensor<3xf32>
  %e11 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v12 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm9, %w10 : tensor<?x?x3xf32>, tensor<3xf32>) outs(%e11 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w13 = arith.constant dense<3.000000000e+00> : tensor<f32>
  %e14 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v15 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v12, %w13 : tensor<?x?x3xf32>, tensor<f32>) outs(%e14 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = math.powf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w16 = arith.constant dense<4.471499845e-02> : tensor<f32>
  %e17 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v18 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v15, %w16 : tensor<?x?x3xf32>, tensor<f32>) outs(%e17 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e19 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v20 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v12, %v18 : tensor<?x?x3xf32>, tensor<?x?x3xf32>) outs(%e19 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w21 = arith.constant dense<7.978845835e-01> : tensor<f32>
  %e22 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v23 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v20, %w21 : tensor<?x?x3xf32>, tensor<f32>) outs(%e22 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e24 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v25 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v23 : tensor<?x?x3xf32>) outs(%e24 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.tanh %in0 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w26 = arith.constant dense<1.000000000e+00> : tensor<f32>
  %e27 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v28 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v25, %w26 : tensor<?x?x3xf32>, tensor<f32>) outs(%e27 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w29 = arith.constant dense<5.000000000e-01> : tensor<f32>
  %e30 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v31 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v12, %w29 : tensor<?x?x3xf32>, tensor<f32>) outs(%e30 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e32 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v33 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v31, %v28 : tensor<?x?x3xf32>, tensor<?x?x3xf32>) outs(%e32 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  return %v33 : tensor<?x?x3xf32>
}

// -----

// tanh GELU with x·x·x.
// CHECK-LABEL: func.func @gelu_tanh_cube_by_mul
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>
// CHECK-DAG: %[[WT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00, 7.000000e+00, 1.000000e+01], [2.000000e+00, 5.000000e+00, 8.000000e+00, 1.100000e+01], [3.000000e+00, 6.000000e+00, 9.000000e+00, 1.200000e+01]]> : tensor<3x4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, -1.000000e+00, 2.500000e-01]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = attn.linear %[[X]], %[[WT]], %[[B]] {activation = #attn.activation<gelu_tanh>} : (tensor<?x?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x?x3xf32>
// CHECK-NOT: linalg.
// CHECK-NOT: math.
// CHECK: return %[[Y]]
func.func @gelu_tanh_cube_by_mul(%x: tensor<?x?x4xf32>) -> (tensor<?x?x3xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x4xf32>
  %w5 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]> : tensor<4x3xf32>
  %cst6 = arith.constant 0.000000000e+00 : f32
  %e7 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %z8 = linalg.fill ins(%cst6 : f32) outs(%e7 : tensor<?x?x3xf32>) -> tensor<?x?x3xf32>
  %mm9 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w5 : tensor<?x?x4xf32>, tensor<4x3xf32>) outs(%z8 : tensor<?x?x3xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w10 = arith.constant dense<[0.5, -1.0, 0.25]> : tensor<3xf32>
  %e11 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v12 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm9, %w10 : tensor<?x?x3xf32>, tensor<3xf32>) outs(%e11 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e13 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v14 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v12, %v12 : tensor<?x?x3xf32>, tensor<?x?x3xf32>) outs(%e13 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e15 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v16 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %v12 : tensor<?x?x3xf32>, tensor<?x?x3xf32>) outs(%e15 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w17 = arith.constant dense<4.471499845e-02> : tensor<f32>
  %e18 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v19 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v16, %w17 : tensor<?x?x3xf32>, tensor<f32>) outs(%e18 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e20 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v21 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v12, %v19 : tensor<?x?x3xf32>, tensor<?x?x3xf32>) outs(%e20 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w22 = arith.constant dense<7.978845835e-01> : tensor<f32>
  %e23 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v24 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v21, %w22 : tensor<?x?x3xf32>, tensor<f32>) outs(%e23 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e25 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v26 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v24 : tensor<?x?x3xf32>) outs(%e25 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.tanh %in0 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w27 = arith.constant dense<1.000000000e+00> : tensor<f32>
  %e28 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v29 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v26, %w27 : tensor<?x?x3xf32>, tensor<f32>) outs(%e28 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w30 = arith.constant dense<5.000000000e-01> : tensor<f32>
  %e31 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v32 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v12, %w30 : tensor<?x?x3xf32>, tensor<f32>) outs(%e31 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e33 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v34 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v32, %v29 : tensor<?x?x3xf32>, tensor<?x?x3xf32>) outs(%e33 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  return %v34 : tensor<?x?x3xf32>
}

// -----

// Relu as max(x, 0).
// CHECK-LABEL: func.func @relu
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>
// CHECK-DAG: %[[WT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00, 7.000000e+00, 1.000000e+01], [2.000000e+00, 5.000000e+00, 8.000000e+00, 1.100000e+01], [3.000000e+00, 6.000000e+00, 9.000000e+00, 1.200000e+01]]> : tensor<3x4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, -1.000000e+00, 2.500000e-01]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = attn.linear %[[X]], %[[WT]], %[[B]] {activation = #attn.activation<relu>} : (tensor<?x?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x?x3xf32>
// CHECK-NOT: linalg.
// CHECK-NOT: math.
// CHECK: return %[[Y]]
func.func @relu(%x: tensor<?x?x4xf32>) -> (tensor<?x?x3xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x4xf32>
  %w5 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]> : tensor<4x3xf32>
  %cst6 = arith.constant 0.000000000e+00 : f32
  %e7 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %z8 = linalg.fill ins(%cst6 : f32) outs(%e7 : tensor<?x?x3xf32>) -> tensor<?x?x3xf32>
  %mm9 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w5 : tensor<?x?x4xf32>, tensor<4x3xf32>) outs(%z8 : tensor<?x?x3xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w10 = arith.constant dense<[0.5, -1.0, 0.25]> : tensor<3xf32>
  %e11 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v12 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm9, %w10 : tensor<?x?x3xf32>, tensor<3xf32>) outs(%e11 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e13 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v14 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v12 : tensor<?x?x3xf32>) outs(%e13 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %in0, %z : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  return %v14 : tensor<?x?x3xf32>
}

// -----

// tanh GELU after a reshape of the layer's output (GPT-2's Conv1D): the
// activation is folded and the reshape applied to the activated result.
// CHECK-LABEL: func.func @gelu_after_reshape
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>
// CHECK: %[[F:.*]] = tensor.collapse_shape %[[X]]
// CHECK: %[[Y:.*]] = attn.linear %[[F]], %{{.*}}, %{{.*}} {activation = #attn.activation<gelu_tanh>} : (tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x3xf32>
// CHECK: %[[R:.*]] = tensor.expand_shape %[[Y]]
// CHECK-NOT: linalg.generic
// CHECK-NOT: math.tanh
// CHECK: return %[[R]]
func.func @gelu_after_reshape(%x: tensor<?x?x4xf32>) -> (tensor<?x?x3xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x4xf32>
  %flat5 = tensor.collapse_shape %x [[0, 1], [2]] : tensor<?x?x4xf32> into tensor<?x4xf32>
  %c6 = arith.constant 0 : index
  %rows7 = tensor.dim %flat5, %c6 : tensor<?x4xf32>
  %w8 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]> : tensor<4x3xf32>
  %cst9 = arith.constant 0.000000000e+00 : f32
  %e10 = tensor.empty(%rows7) : tensor<?x3xf32>
  %z11 = linalg.fill ins(%cst9 : f32) outs(%e10 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %mm12 = linalg.matmul ins(%flat5, %w8 : tensor<?x4xf32>, tensor<4x3xf32>) outs(%z11 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %w13 = arith.constant dense<[0.5, -1.0, 0.25]> : tensor<3xf32>
  %e14 = tensor.empty(%rows7) : tensor<?x3xf32>
  %v15 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> (b)>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%mm12, %w13 : tensor<?x3xf32>, tensor<3xf32>) outs(%e14 : tensor<?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x3xf32>
  %unflat16 = tensor.expand_shape %v15 [[0, 1], [2]] output_shape [%B2, %L4, 3] : tensor<?x3xf32> into tensor<?x?x3xf32>
  %w17 = arith.constant dense<3.000000000e+00> : tensor<f32>
  %e18 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v19 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%unflat16, %w17 : tensor<?x?x3xf32>, tensor<f32>) outs(%e18 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = math.powf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w20 = arith.constant dense<4.471499845e-02> : tensor<f32>
  %e21 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v22 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v19, %w20 : tensor<?x?x3xf32>, tensor<f32>) outs(%e21 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e23 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v24 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%unflat16, %v22 : tensor<?x?x3xf32>, tensor<?x?x3xf32>) outs(%e23 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w25 = arith.constant dense<7.978845835e-01> : tensor<f32>
  %e26 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v27 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v24, %w25 : tensor<?x?x3xf32>, tensor<f32>) outs(%e26 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e28 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v29 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v27 : tensor<?x?x3xf32>) outs(%e28 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.tanh %in0 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w30 = arith.constant dense<5.000000000e-01> : tensor<f32>
  %e31 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v32 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%unflat16, %w30 : tensor<?x?x3xf32>, tensor<f32>) outs(%e31 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w33 = arith.constant dense<1.000000000e+00> : tensor<f32>
  %e34 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v35 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v29, %w33 : tensor<?x?x3xf32>, tensor<f32>) outs(%e34 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e36 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v37 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v32, %v35 : tensor<?x?x3xf32>, tensor<?x?x3xf32>) outs(%e36 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  return %v37 : tensor<?x?x3xf32>
}

// -----

// Not raised: the weight is an argument, not a constant.
// CHECK-LABEL: func.func @weight_not_constant
// CHECK-NOT: attn.linear
// CHECK: linalg.generic
// CHECK-NOT: attn.linear
// CHECK: return
func.func @weight_not_constant(%x: tensor<?x?x4xf32>, %w: tensor<4x3xf32>) -> (tensor<?x?x3xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x4xf32>
  %cst5 = arith.constant 0.000000000e+00 : f32
  %e6 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %z7 = linalg.fill ins(%cst5 : f32) outs(%e6 : tensor<?x?x3xf32>) -> tensor<?x?x3xf32>
  %mm8 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w : tensor<?x?x4xf32>, tensor<4x3xf32>) outs(%z7 : tensor<?x?x3xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w9 = arith.constant dense<[0.5, -1.0, 0.25]> : tensor<3xf32>
  %e10 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v11 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm8, %w9 : tensor<?x?x3xf32>, tensor<3xf32>) outs(%e10 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  return %v11 : tensor<?x?x3xf32>
}

// -----

// The layer's result is also returned: the layer is raised, its GELU
// stays a formula.
// CHECK-LABEL: func.func @result_used_elsewhere
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>
// CHECK-DAG: %[[WT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00, 7.000000e+00, 1.000000e+01], [2.000000e+00, 5.000000e+00, 8.000000e+00, 1.100000e+01], [3.000000e+00, 6.000000e+00, 9.000000e+00, 1.200000e+01]]> : tensor<3x4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, -1.000000e+00, 2.500000e-01]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = attn.linear %[[X]], %[[WT]], %[[B]] :
// CHECK: math.erf
// CHECK: return %{{.*}}, %[[Y]]
func.func @result_used_elsewhere(%x: tensor<?x?x4xf32>) -> (tensor<?x?x3xf32>, tensor<?x?x3xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x4xf32>
  %w5 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]> : tensor<4x3xf32>
  %cst6 = arith.constant 0.000000000e+00 : f32
  %e7 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %z8 = linalg.fill ins(%cst6 : f32) outs(%e7 : tensor<?x?x3xf32>) -> tensor<?x?x3xf32>
  %mm9 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w5 : tensor<?x?x4xf32>, tensor<4x3xf32>) outs(%z8 : tensor<?x?x3xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w10 = arith.constant dense<[0.5, -1.0, 0.25]> : tensor<3xf32>
  %e11 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v12 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm9, %w10 : tensor<?x?x3xf32>, tensor<3xf32>) outs(%e11 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w13 = arith.constant dense<1.414213538e+00> : tensor<f32>
  %e14 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v15 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v12, %w13 : tensor<?x?x3xf32>, tensor<f32>) outs(%e14 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e16 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v17 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v15 : tensor<?x?x3xf32>) outs(%e16 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.erf %in0 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w18 = arith.constant dense<1.000000000e+00> : tensor<f32>
  %e19 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v20 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v17, %w18 : tensor<?x?x3xf32>, tensor<f32>) outs(%e19 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e21 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v22 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v12, %v20 : tensor<?x?x3xf32>, tensor<?x?x3xf32>) outs(%e21 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w23 = arith.constant dense<5.000000000e-01> : tensor<f32>
  %e24 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v25 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v22, %w23 : tensor<?x?x3xf32>, tensor<f32>) outs(%e24 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  return %v25, %v12 : tensor<?x?x3xf32>, tensor<?x?x3xf32>
}

// -----

// Not GELU: erf(x / 1.5). The layer is raised without activation.
// CHECK-LABEL: func.func @gelu_wrong_constant
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>
// CHECK-DAG: %[[WT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00, 7.000000e+00, 1.000000e+01], [2.000000e+00, 5.000000e+00, 8.000000e+00, 1.100000e+01], [3.000000e+00, 6.000000e+00, 9.000000e+00, 1.200000e+01]]> : tensor<3x4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, -1.000000e+00, 2.500000e-01]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = attn.linear %[[X]], %[[WT]], %[[B]] :
// CHECK: math.erf
// CHECK: return
func.func @gelu_wrong_constant(%x: tensor<?x?x4xf32>) -> (tensor<?x?x3xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x4xf32>
  %w5 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]> : tensor<4x3xf32>
  %cst6 = arith.constant 0.000000000e+00 : f32
  %e7 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %z8 = linalg.fill ins(%cst6 : f32) outs(%e7 : tensor<?x?x3xf32>) -> tensor<?x?x3xf32>
  %mm9 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w5 : tensor<?x?x4xf32>, tensor<4x3xf32>) outs(%z8 : tensor<?x?x3xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w10 = arith.constant dense<[0.5, -1.0, 0.25]> : tensor<3xf32>
  %e11 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v12 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm9, %w10 : tensor<?x?x3xf32>, tensor<3xf32>) outs(%e11 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w13 = arith.constant dense<1.500000000e+00> : tensor<f32>
  %e14 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v15 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v12, %w13 : tensor<?x?x3xf32>, tensor<f32>) outs(%e14 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e16 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v17 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v15 : tensor<?x?x3xf32>) outs(%e16 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.erf %in0 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w18 = arith.constant dense<1.000000000e+00> : tensor<f32>
  %e19 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v20 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v17, %w18 : tensor<?x?x3xf32>, tensor<f32>) outs(%e19 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e21 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v22 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v12, %v20 : tensor<?x?x3xf32>, tensor<?x?x3xf32>) outs(%e21 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %w23 = arith.constant dense<5.000000000e-01> : tensor<f32>
  %e24 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v25 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v22, %w23 : tensor<?x?x3xf32>, tensor<f32>) outs(%e24 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  return %v25 : tensor<?x?x3xf32>
}

// -----

// The bias is an argument: the layer is raised without it and the Add stays.
// CHECK-LABEL: func.func @bias_not_constant
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>, %[[BA:[^:]*]]: tensor<3xf32>
// CHECK: %[[WT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00, 7.000000e+00, 1.000000e+01], [2.000000e+00, 5.000000e+00, 8.000000e+00, 1.100000e+01], [3.000000e+00, 6.000000e+00, 9.000000e+00, 1.200000e+01]]> : tensor<3x4xf32>
// CHECK: %[[Y:.*]] = attn.linear %[[X]], %[[WT]] :
// CHECK: linalg.generic {{.*}} ins(%[[Y]], %[[BA]] :
// CHECK: return
func.func @bias_not_constant(%x: tensor<?x?x4xf32>, %b: tensor<3xf32>) -> (tensor<?x?x3xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x4xf32>
  %w5 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]> : tensor<4x3xf32>
  %cst6 = arith.constant 0.000000000e+00 : f32
  %e7 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %z8 = linalg.fill ins(%cst6 : f32) outs(%e7 : tensor<?x?x3xf32>) -> tensor<?x?x3xf32>
  %mm9 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w5 : tensor<?x?x4xf32>, tensor<4x3xf32>) outs(%z8 : tensor<?x?x3xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  %e10 = tensor.empty(%B2, %L4) : tensor<?x?x3xf32>
  %v11 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm9, %b : tensor<?x?x3xf32>, tensor<3xf32>) outs(%e10 : tensor<?x?x3xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x3xf32>
  return %v11 : tensor<?x?x3xf32>
}
