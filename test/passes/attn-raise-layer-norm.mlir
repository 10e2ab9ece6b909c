// attn-raise-layer-norm: LayerNorm over the last axis, written out op by op
// in the ONNX importer's forms (frontend/onnx-import-design.md: ReduceMean
// as linalg.reduce + a division + expand_shape, each elementwise node one
// linalg.generic with broadcast maps, scalars as 0-d constants), becomes
// attn.layer_norm; formulas that differ in any way stay as they are.
// RUN: attn-opt %s --attn-raise-layer-norm --split-input-file | FileCheck %s

// -----

// Pow 2, Div by the square root, Mul gamma and Add beta on the right: the
// opset-13 export of nn.LayerNorm. Dynamic batch and sequence.
// CHECK-LABEL: func.func @pow_div
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x8xf32>
// CHECK-DAG: %[[G:.*]] = arith.constant dense<[5.000000e-01, 6.250000e-01, 7.500000e-01, 8.750000e-01, 1.000000e+00, 1.125000e+00, 1.250000e+00, 1.375000e+00]> : tensor<8xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[-2.500000e-01, -1.875000e-01, -1.250000e-01, -6.250000e-02, 0.000000e+00, 6.250000e-02, 1.250000e-01, 1.875000e-01]> : tensor<8xf32>
// CHECK: %[[Y:.*]] = attn.layer_norm %[[X]], %[[G]], %[[B]] {epsilon = 9.9999997473787516E-6 : f64} : (tensor<?x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
// CHECK-NOT: linalg.
// CHECK: return %[[Y]]
func.func @pow_div(%x: tensor<?x?x8xf32>) -> (tensor<?x?x8xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x8xf32>
  %cst5 = arith.constant 0.000000000e+00 : f32
  %e6 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z7 = linalg.fill ins(%cst5 : f32) outs(%e6 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum8 = linalg.reduce ins(%x : tensor<?x?x8xf32>) outs(%z7 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w9 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e10 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v11 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum8, %w9 : tensor<?x?xf32>, tensor<f32>) outs(%e10 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k12 = tensor.expand_shape %v11 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %e13 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v14 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %k12 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e13 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.subf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w15 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e16 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v17 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %w15 : tensor<?x?x8xf32>, tensor<f32>) outs(%e16 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = math.powf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %e18 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z19 = linalg.fill ins(%cst5 : f32) outs(%e18 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum20 = linalg.reduce ins(%v17 : tensor<?x?x8xf32>) outs(%z19 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w21 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e22 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v23 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum20, %w21 : tensor<?x?xf32>, tensor<f32>) outs(%e22 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k24 = tensor.expand_shape %v23 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %w25 = arith.constant dense<1.000000000e-05> : tensor<f32>
  %e26 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v27 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k24, %w25 : tensor<?x?x1xf32>, tensor<f32>) outs(%e26 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e28 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v29 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v27 : tensor<?x?x1xf32>) outs(%e28 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.sqrt %in0 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e30 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v31 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %v29 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e30 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w32 = arith.constant dense<[0.5, 0.625, 0.75, 0.875, 1.0, 1.125, 1.25, 1.375]> : tensor<8xf32>
  %e33 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v34 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v31, %w32 : tensor<?x?x8xf32>, tensor<8xf32>) outs(%e33 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w35 = arith.constant dense<[-0.25, -0.1875, -0.125, -0.0625, 0.0, 0.0625, 0.125, 0.1875]> : tensor<8xf32>
  %e36 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v37 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v34, %w35 : tensor<?x?x8xf32>, tensor<8xf32>) outs(%e36 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  return %v37 : tensor<?x?x8xf32>
}

// -----

// Mul for the square, Reciprocal (a Div of 1) then Mul, gamma and beta on
// the left, epsilon 1e-12 as BERT has it.
// CHECK-LABEL: func.func @mul_reciprocal_left
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x8xf32>
// CHECK-DAG: %[[G:.*]] = arith.constant dense<[5.000000e-01, 6.250000e-01, 7.500000e-01, 8.750000e-01, 1.000000e+00, 1.125000e+00, 1.250000e+00, 1.375000e+00]> : tensor<8xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[-2.500000e-01, -1.875000e-01, -1.250000e-01, -6.250000e-02, 0.000000e+00, 6.250000e-02, 1.250000e-01, 1.875000e-01]> : tensor<8xf32>
// CHECK: %[[Y:.*]] = attn.layer_norm %[[X]], %[[G]], %[[B]] {epsilon = 9.999999960041972E-13 : f64} : (tensor<?x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
// CHECK-NOT: linalg.
// CHECK: return %[[Y]]
func.func @mul_reciprocal_left(%x: tensor<?x?x8xf32>) -> (tensor<?x?x8xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x8xf32>
  %cst5 = arith.constant 0.000000000e+00 : f32
  %e6 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z7 = linalg.fill ins(%cst5 : f32) outs(%e6 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum8 = linalg.reduce ins(%x : tensor<?x?x8xf32>) outs(%z7 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w9 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e10 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v11 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum8, %w9 : tensor<?x?xf32>, tensor<f32>) outs(%e10 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k12 = tensor.expand_shape %v11 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %e13 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v14 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %k12 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e13 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.subf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %e15 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v16 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %v14 : tensor<?x?x8xf32>, tensor<?x?x8xf32>) outs(%e15 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %e17 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z18 = linalg.fill ins(%cst5 : f32) outs(%e17 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum19 = linalg.reduce ins(%v16 : tensor<?x?x8xf32>) outs(%z18 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w20 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e21 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v22 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum19, %w20 : tensor<?x?xf32>, tensor<f32>) outs(%e21 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k23 = tensor.expand_shape %v22 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %w24 = arith.constant dense<1.000000000e-12> : tensor<f32>
  %e25 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v26 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k23, %w24 : tensor<?x?x1xf32>, tensor<f32>) outs(%e25 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e27 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v28 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v26 : tensor<?x?x1xf32>) outs(%e27 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.sqrt %in0 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %w29 = arith.constant dense<1.000000000e+00> : tensor<f32>
  %e30 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v31 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%w29, %v28 : tensor<f32>, tensor<?x?x1xf32>) outs(%e30 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e32 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v33 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %v31 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e32 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w34 = arith.constant dense<[0.5, 0.625, 0.75, 0.875, 1.0, 1.125, 1.25, 1.375]> : tensor<8xf32>
  %e35 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v36 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%w34, %v33 : tensor<8xf32>, tensor<?x?x8xf32>) outs(%e35 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w37 = arith.constant dense<[-0.25, -0.1875, -0.125, -0.0625, 0.0, 0.0625, 0.125, 0.1875]> : tensor<8xf32>
  %e38 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v39 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%w37, %v36 : tensor<8xf32>, tensor<?x?x8xf32>) outs(%e38 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  return %v39 : tensor<?x?x8xf32>
}

// -----

// The means as the ONNX importer writes ReduceMean: the count an index
// constant, index_cast and sitofp in the division's body.
// CHECK-LABEL: func.func @importer_mean_form
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x8xf32>
// CHECK-DAG: %[[G:.*]] = arith.constant dense<[5.000000e-01, 6.250000e-01, 7.500000e-01, 8.750000e-01, 1.000000e+00, 1.125000e+00, 1.250000e+00, 1.375000e+00]> : tensor<8xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[-2.500000e-01, -1.875000e-01, -1.250000e-01, -6.250000e-02, 0.000000e+00, 6.250000e-02, 1.250000e-01, 1.875000e-01]> : tensor<8xf32>
// CHECK: %[[Y:.*]] = attn.layer_norm %[[X]], %[[G]], %[[B]] {epsilon = 9.9999997473787516E-6 : f64} : (tensor<?x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
// CHECK-NOT: linalg.
// CHECK: return %[[Y]]
func.func @importer_mean_form(%x: tensor<?x?x8xf32>) -> (tensor<?x?x8xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x8xf32>
  %cst5 = arith.constant 0.000000000e+00 : f32
  %e6 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z7 = linalg.fill ins(%cst5 : f32) outs(%e6 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum8 = linalg.reduce ins(%x : tensor<?x?x8xf32>) outs(%z7 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %count9 = arith.constant 8 : index
  %e10 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v11 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum8 : tensor<?x?xf32>) outs(%e10 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %i = arith.index_cast %count9 : index to i64
    %f = arith.sitofp %i : i64 to f32
    %r = arith.divf %in0, %f : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k12 = tensor.expand_shape %v11 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %e13 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v14 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %k12 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e13 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.subf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w15 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e16 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v17 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %w15 : tensor<?x?x8xf32>, tensor<f32>) outs(%e16 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = math.powf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %e18 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z19 = linalg.fill ins(%cst5 : f32) outs(%e18 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum20 = linalg.reduce ins(%v17 : tensor<?x?x8xf32>) outs(%z19 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %count21 = arith.constant 8 : index
  %e22 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v23 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum20 : tensor<?x?xf32>) outs(%e22 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %i = arith.index_cast %count21 : index to i64
    %f = arith.sitofp %i : i64 to f32
    %r = arith.divf %in0, %f : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k24 = tensor.expand_shape %v23 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %w25 = arith.constant dense<1.000000000e-05> : tensor<f32>
  %e26 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v27 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k24, %w25 : tensor<?x?x1xf32>, tensor<f32>) outs(%e26 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e28 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v29 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v27 : tensor<?x?x1xf32>) outs(%e28 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.sqrt %in0 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e30 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v31 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %v29 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e30 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w32 = arith.constant dense<[0.5, 0.625, 0.75, 0.875, 1.0, 1.125, 1.25, 1.375]> : tensor<8xf32>
  %e33 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v34 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v31, %w32 : tensor<?x?x8xf32>, tensor<8xf32>) outs(%e33 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w35 = arith.constant dense<[-0.25, -0.1875, -0.125, -0.0625, 0.0, 0.0625, 0.125, 0.1875]> : tensor<8xf32>
  %e36 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v37 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v34, %w35 : tensor<?x?x8xf32>, tensor<8xf32>) outs(%e36 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  return %v37 : tensor<?x?x8xf32>
}

// -----

// No gamma and no beta: they become splat constants of ones and zeros.
// CHECK-LABEL: func.func @no_affine
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x8xf32>
// CHECK-DAG: %[[G:.*]] = arith.constant dense<1.000000e+00> : tensor<8xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<0.000000e+00> : tensor<8xf32>
// CHECK: %[[Y:.*]] = attn.layer_norm %[[X]], %[[G]], %[[B]] {epsilon = 9.9999997473787516E-6 : f64}
// CHECK-NOT: linalg.
// CHECK: return %[[Y]]
func.func @no_affine(%x: tensor<?x?x8xf32>) -> (tensor<?x?x8xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x8xf32>
  %cst5 = arith.constant 0.000000000e+00 : f32
  %e6 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z7 = linalg.fill ins(%cst5 : f32) outs(%e6 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum8 = linalg.reduce ins(%x : tensor<?x?x8xf32>) outs(%z7 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w9 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e10 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v11 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum8, %w9 : tensor<?x?xf32>, tensor<f32>) outs(%e10 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k12 = tensor.expand_shape %v11 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %e13 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v14 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %k12 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e13 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.subf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w15 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e16 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v17 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %w15 : tensor<?x?x8xf32>, tensor<f32>) outs(%e16 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = math.powf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %e18 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z19 = linalg.fill ins(%cst5 : f32) outs(%e18 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum20 = linalg.reduce ins(%v17 : tensor<?x?x8xf32>) outs(%z19 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w21 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e22 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v23 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum20, %w21 : tensor<?x?xf32>, tensor<f32>) outs(%e22 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k24 = tensor.expand_shape %v23 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %w25 = arith.constant dense<1.000000000e-05> : tensor<f32>
  %e26 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v27 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k24, %w25 : tensor<?x?x1xf32>, tensor<f32>) outs(%e26 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e28 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v29 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v27 : tensor<?x?x1xf32>) outs(%e28 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.sqrt %in0 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e30 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v31 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %v29 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e30 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  return %v31 : tensor<?x?x8xf32>
}

// -----

// gamma a function argument (any tensor of the feature length), no beta.
// CHECK-LABEL: func.func @gamma_argument_no_beta
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x8xf32>, %[[G:[^:]*]]: tensor<8xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<0.000000e+00> : tensor<8xf32>
// CHECK: %[[Y:.*]] = attn.layer_norm %[[X]], %[[G]], %[[B]] {epsilon = 9.9999997473787516E-6 : f64}
// CHECK-NOT: linalg.
// CHECK: return %[[Y]]
func.func @gamma_argument_no_beta(%x: tensor<?x?x8xf32>, %g: tensor<8xf32>) -> (tensor<?x?x8xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x8xf32>
  %cst5 = arith.constant 0.000000000e+00 : f32
  %e6 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z7 = linalg.fill ins(%cst5 : f32) outs(%e6 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum8 = linalg.reduce ins(%x : tensor<?x?x8xf32>) outs(%z7 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w9 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e10 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v11 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum8, %w9 : tensor<?x?xf32>, tensor<f32>) outs(%e10 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k12 = tensor.expand_shape %v11 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %e13 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v14 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %k12 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e13 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.subf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w15 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e16 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v17 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %w15 : tensor<?x?x8xf32>, tensor<f32>) outs(%e16 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = math.powf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %e18 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z19 = linalg.fill ins(%cst5 : f32) outs(%e18 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum20 = linalg.reduce ins(%v17 : tensor<?x?x8xf32>) outs(%z19 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w21 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e22 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v23 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum20, %w21 : tensor<?x?xf32>, tensor<f32>) outs(%e22 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k24 = tensor.expand_shape %v23 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %w25 = arith.constant dense<1.000000000e-05> : tensor<f32>
  %e26 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v27 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k24, %w25 : tensor<?x?x1xf32>, tensor<f32>) outs(%e26 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e28 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v29 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v27 : tensor<?x?x1xf32>) outs(%e28 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.sqrt %in0 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e30 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v31 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %v29 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e30 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %e32 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v33 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v31, %g : tensor<?x?x8xf32>, tensor<8xf32>) outs(%e32 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  return %v33 : tensor<?x?x8xf32>
}

// -----

// Not raised: the variance as E[x²] - E[x]² (another formula, and another
// rounding).
// CHECK-LABEL: func.func @one_pass_variance
// CHECK-NOT: attn.layer_norm
// CHECK: math.sqrt
// CHECK-NOT: attn.layer_norm
// CHECK: return
func.func @one_pass_variance(%x: tensor<?x?x8xf32>) -> (tensor<?x?x8xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x8xf32>
  %cst5 = arith.constant 0.000000000e+00 : f32
  %e6 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z7 = linalg.fill ins(%cst5 : f32) outs(%e6 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum8 = linalg.reduce ins(%x : tensor<?x?x8xf32>) outs(%z7 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w9 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e10 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v11 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum8, %w9 : tensor<?x?xf32>, tensor<f32>) outs(%e10 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k12 = tensor.expand_shape %v11 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %e13 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v14 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %k12 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e13 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.subf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %e15 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v16 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %x : tensor<?x?x8xf32>, tensor<?x?x8xf32>) outs(%e15 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %e17 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z18 = linalg.fill ins(%cst5 : f32) outs(%e17 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum19 = linalg.reduce ins(%v16 : tensor<?x?x8xf32>) outs(%z18 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w20 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e21 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v22 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum19, %w20 : tensor<?x?xf32>, tensor<f32>) outs(%e21 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k23 = tensor.expand_shape %v22 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %e24 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v25 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k12, %k12 : tensor<?x?x1xf32>, tensor<?x?x1xf32>) outs(%e24 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e26 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v27 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k23, %v25 : tensor<?x?x1xf32>, tensor<?x?x1xf32>) outs(%e26 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.subf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %w28 = arith.constant dense<1.000000000e-05> : tensor<f32>
  %e29 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v30 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v27, %w28 : tensor<?x?x1xf32>, tensor<f32>) outs(%e29 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e31 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v32 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v30 : tensor<?x?x1xf32>) outs(%e31 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.sqrt %in0 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e33 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v34 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %v32 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e33 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w35 = arith.constant dense<[0.5, 0.625, 0.75, 0.875, 1.0, 1.125, 1.25, 1.375]> : tensor<8xf32>
  %e36 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v37 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v34, %w35 : tensor<?x?x8xf32>, tensor<8xf32>) outs(%e36 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w38 = arith.constant dense<[-0.25, -0.1875, -0.125, -0.0625, 0.0, 0.0625, 0.125, 0.1875]> : tensor<8xf32>
  %e39 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v40 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v37, %w38 : tensor<?x?x8xf32>, tensor<8xf32>) outs(%e39 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  return %v40 : tensor<?x?x8xf32>
}

// -----

// Not raised: epsilon is not a constant.
// CHECK-LABEL: func.func @eps_not_constant
// CHECK-NOT: attn.layer_norm
// CHECK: math.sqrt
// CHECK-NOT: attn.layer_norm
// CHECK: return
func.func @eps_not_constant(%x: tensor<?x?x8xf32>, %eps: tensor<f32>) -> (tensor<?x?x8xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x8xf32>
  %cst5 = arith.constant 0.000000000e+00 : f32
  %e6 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z7 = linalg.fill ins(%cst5 : f32) outs(%e6 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum8 = linalg.reduce ins(%x : tensor<?x?x8xf32>) outs(%z7 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w9 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e10 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v11 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum8, %w9 : tensor<?x?xf32>, tensor<f32>) outs(%e10 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k12 = tensor.expand_shape %v11 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %e13 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v14 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %k12 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e13 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.subf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w15 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e16 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v17 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %w15 : tensor<?x?x8xf32>, tensor<f32>) outs(%e16 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = math.powf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %e18 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z19 = linalg.fill ins(%cst5 : f32) outs(%e18 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum20 = linalg.reduce ins(%v17 : tensor<?x?x8xf32>) outs(%z19 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w21 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e22 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v23 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum20, %w21 : tensor<?x?xf32>, tensor<f32>) outs(%e22 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k24 = tensor.expand_shape %v23 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %e25 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v26 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k24, %eps : tensor<?x?x1xf32>, tensor<f32>) outs(%e25 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e27 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v28 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v26 : tensor<?x?x1xf32>) outs(%e27 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.sqrt %in0 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e29 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v30 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %v28 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e29 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w31 = arith.constant dense<[0.5, 0.625, 0.75, 0.875, 1.0, 1.125, 1.25, 1.375]> : tensor<8xf32>
  %e32 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v33 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v30, %w31 : tensor<?x?x8xf32>, tensor<8xf32>) outs(%e32 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w34 = arith.constant dense<[-0.25, -0.1875, -0.125, -0.0625, 0.0, 0.0625, 0.125, 0.1875]> : tensor<8xf32>
  %e35 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v36 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v33, %w34 : tensor<?x?x8xf32>, tensor<8xf32>) outs(%e35 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  return %v36 : tensor<?x?x8xf32>
}

// -----

// Not raised: the mean divides by 7, not the row length 8.
// CHECK-LABEL: func.func @wrong_count
// CHECK-NOT: attn.layer_norm
// CHECK: math.sqrt
// CHECK-NOT: attn.layer_norm
// CHECK: return
func.func @wrong_count(%x: tensor<?x?x8xf32>) -> (tensor<?x?x8xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x8xf32>
  %cst5 = arith.constant 0.000000000e+00 : f32
  %e6 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z7 = linalg.fill ins(%cst5 : f32) outs(%e6 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum8 = linalg.reduce ins(%x : tensor<?x?x8xf32>) outs(%z7 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w9 = arith.constant dense<7.000000000e+00> : tensor<f32>
  %e10 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v11 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum8, %w9 : tensor<?x?xf32>, tensor<f32>) outs(%e10 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k12 = tensor.expand_shape %v11 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %e13 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v14 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %k12 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e13 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.subf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w15 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e16 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v17 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %w15 : tensor<?x?x8xf32>, tensor<f32>) outs(%e16 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = math.powf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %e18 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z19 = linalg.fill ins(%cst5 : f32) outs(%e18 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum20 = linalg.reduce ins(%v17 : tensor<?x?x8xf32>) outs(%z19 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w21 = arith.constant dense<7.000000000e+00> : tensor<f32>
  %e22 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v23 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum20, %w21 : tensor<?x?xf32>, tensor<f32>) outs(%e22 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k24 = tensor.expand_shape %v23 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %w25 = arith.constant dense<1.000000000e-05> : tensor<f32>
  %e26 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v27 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k24, %w25 : tensor<?x?x1xf32>, tensor<f32>) outs(%e26 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e28 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v29 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v27 : tensor<?x?x1xf32>) outs(%e28 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.sqrt %in0 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e30 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v31 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %v29 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e30 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w32 = arith.constant dense<[0.5, 0.625, 0.75, 0.875, 1.0, 1.125, 1.25, 1.375]> : tensor<8xf32>
  %e33 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v34 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v31, %w32 : tensor<?x?x8xf32>, tensor<8xf32>) outs(%e33 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w35 = arith.constant dense<[-0.25, -0.1875, -0.125, -0.0625, 0.0, 0.0625, 0.125, 0.1875]> : tensor<8xf32>
  %e36 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v37 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v34, %w35 : tensor<?x?x8xf32>, tensor<8xf32>) outs(%e36 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  return %v37 : tensor<?x?x8xf32>
}

// -----

// Not raised: the centered values are also returned, so they are needed
// besides the normalised result.
// CHECK-LABEL: func.func @intermediate_used
// CHECK-NOT: attn.layer_norm
// CHECK: math.sqrt
// CHECK-NOT: attn.layer_norm
// CHECK: return
func.func @intermediate_used(%x: tensor<?x?x8xf32>) -> (tensor<?x?x8xf32>, tensor<?x?x8xf32>) {
  %c1 = arith.constant 0 : index
  %B2 = tensor.dim %x, %c1 : tensor<?x?x8xf32>
  %c3 = arith.constant 1 : index
  %L4 = tensor.dim %x, %c3 : tensor<?x?x8xf32>
  %cst5 = arith.constant 0.000000000e+00 : f32
  %e6 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z7 = linalg.fill ins(%cst5 : f32) outs(%e6 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum8 = linalg.reduce ins(%x : tensor<?x?x8xf32>) outs(%z7 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w9 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e10 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v11 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum8, %w9 : tensor<?x?xf32>, tensor<f32>) outs(%e10 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k12 = tensor.expand_shape %v11 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %e13 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v14 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %k12 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e13 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.subf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w15 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e16 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v17 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %w15 : tensor<?x?x8xf32>, tensor<f32>) outs(%e16 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = math.powf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %e18 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %z19 = linalg.fill ins(%cst5 : f32) outs(%e18 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum20 = linalg.reduce ins(%v17 : tensor<?x?x8xf32>) outs(%z19 : tensor<?x?xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w21 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e22 = tensor.empty(%B2, %L4) : tensor<?x?xf32>
  %v23 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum20, %w21 : tensor<?x?xf32>, tensor<f32>) outs(%e22 : tensor<?x?xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  %k24 = tensor.expand_shape %v23 [[0], [1, 2]] output_shape [%B2, %L4, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
  %w25 = arith.constant dense<1.000000000e-05> : tensor<f32>
  %e26 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v27 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k24, %w25 : tensor<?x?x1xf32>, tensor<f32>) outs(%e26 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e28 = tensor.empty(%B2, %L4) : tensor<?x?x1xf32>
  %v29 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v27 : tensor<?x?x1xf32>) outs(%e28 : tensor<?x?x1xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.sqrt %in0 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x1xf32>
  %e30 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v31 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v14, %v29 : tensor<?x?x8xf32>, tensor<?x?x1xf32>) outs(%e30 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w32 = arith.constant dense<[0.5, 0.625, 0.75, 0.875, 1.0, 1.125, 1.25, 1.375]> : tensor<8xf32>
  %e33 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v34 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v31, %w32 : tensor<?x?x8xf32>, tensor<8xf32>) outs(%e33 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  %w35 = arith.constant dense<[-0.25, -0.1875, -0.125, -0.0625, 0.0, 0.0625, 0.125, 0.1875]> : tensor<8xf32>
  %e36 = tensor.empty(%B2, %L4) : tensor<?x?x8xf32>
  %v37 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v34, %w35 : tensor<?x?x8xf32>, tensor<8xf32>) outs(%e36 : tensor<?x?x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<?x?x8xf32>
  return %v37, %v14 : tensor<?x?x8xf32>, tensor<?x?x8xf32>
}

// -----

// Not raised: the statistics are over axis 0, not the last axis.
// CHECK-LABEL: func.func @wrong_axis
// CHECK-NOT: attn.layer_norm
// CHECK: math.sqrt
// CHECK-NOT: attn.layer_norm
// CHECK: return
func.func @wrong_axis(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>) {
  %cst1 = arith.constant 0.000000000e+00 : f32
  %e2 = tensor.empty() : tensor<8xf32>
  %z3 = linalg.fill ins(%cst1 : f32) outs(%e2 : tensor<8xf32>) -> tensor<8xf32>
  %sum4 = linalg.reduce ins(%x : tensor<4x8xf32>) outs(%z3 : tensor<8xf32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w5 = arith.constant dense<4.000000000e+00> : tensor<f32>
  %e6 = tensor.empty() : tensor<8xf32>
  %v7 = linalg.generic {indexing_maps = [affine_map<(a) -> (a)>, affine_map<(a) -> ()>, affine_map<(a) -> (a)>], iterator_types = ["parallel"]} ins(%sum4, %w5 : tensor<8xf32>, tensor<f32>) outs(%e6 : tensor<8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %k8 = tensor.expand_shape %v7 [[0, 1]] output_shape [1, 8] : tensor<8xf32> into tensor<1x8xf32>
  %e9 = tensor.empty() : tensor<4x8xf32>
  %v10 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> (0, b)>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%x, %k8 : tensor<4x8xf32>, tensor<1x8xf32>) outs(%e9 : tensor<4x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.subf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %e11 = tensor.empty() : tensor<4x8xf32>
  %v12 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%v10, %v10 : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e11 : tensor<4x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %e13 = tensor.empty() : tensor<8xf32>
  %z14 = linalg.fill ins(%cst1 : f32) outs(%e13 : tensor<8xf32>) -> tensor<8xf32>
  %sum15 = linalg.reduce ins(%v12 : tensor<4x8xf32>) outs(%z14 : tensor<8xf32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w16 = arith.constant dense<4.000000000e+00> : tensor<f32>
  %e17 = tensor.empty() : tensor<8xf32>
  %v18 = linalg.generic {indexing_maps = [affine_map<(a) -> (a)>, affine_map<(a) -> ()>, affine_map<(a) -> (a)>], iterator_types = ["parallel"]} ins(%sum15, %w16 : tensor<8xf32>, tensor<f32>) outs(%e17 : tensor<8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %k19 = tensor.expand_shape %v18 [[0, 1]] output_shape [1, 8] : tensor<8xf32> into tensor<1x8xf32>
  %w20 = arith.constant dense<1.000000000e-05> : tensor<f32>
  %e21 = tensor.empty() : tensor<1x8xf32>
  %v22 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%k19, %w20 : tensor<1x8xf32>, tensor<f32>) outs(%e21 : tensor<1x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<1x8xf32>
  %e23 = tensor.empty() : tensor<1x8xf32>
  %v24 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%v22 : tensor<1x8xf32>) outs(%e23 : tensor<1x8xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.sqrt %in0 : f32
    linalg.yield %r : f32
  } -> tensor<1x8xf32>
  %e25 = tensor.empty() : tensor<4x8xf32>
  %v26 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> (0, b)>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%v10, %v24 : tensor<4x8xf32>, tensor<1x8xf32>) outs(%e25 : tensor<4x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  return %v26 : tensor<4x8xf32>
}
