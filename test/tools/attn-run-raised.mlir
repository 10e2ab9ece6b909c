// The raising passes on whole layers written op by op in the ONNX
// importer's forms (frontend/onnx-import-design.md): a pre-LN encoder layer
// (LayerNorm formula, MatMul + Add projections, BERT's attention chain with a
// padding mask and the IsNaN guard, erf GELU), a decoder layer (a constant
// causal triangle, tanh GELU with Pow 3) and a ReLU layer. The CPU pipeline
// raises each into attn ops (checked on the IR after attn-fuse-epilogues),
// and attn-run --check compares the compiled (raised) code with the fp64
// reference evaluator run on the un-raised file, formula by formula.

// RUN: rm -rf %t && split-file %s %t && cd %t

// RUN: attn-opt encoder.mlir --attn-cpu-pipeline --mlir-print-ir-after=attn-fuse-epilogues -o /dev/null 2>&1 | FileCheck %s --check-prefix=ENC
// ENC-LABEL: func.func @encoder
// ENC: %[[N1:.*]] = attn.layer_norm %arg0
// ENC-COUNT-3: attn.linear %[[N1]], %{{.*}}, %{{.*}} :
// ENC: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%arg1) {scale = 5.000000e-01 : f64}
// ENC: %[[R:.*]] = attn.linear %{{.*}}, %{{.*}}, %{{.*}} residual(%arg0)
// ENC: %[[N2:.*]] = attn.layer_norm %[[R]]
// ENC: %[[H:.*]] = attn.linear %[[N2]], %{{.*}}, %{{.*}} {activation = #attn.activation<gelu>}
// ENC: attn.linear %[[H]], %{{.*}}, %{{.*}} residual(%[[R]])
// ENC-NOT: linalg.generic
// ENC-NOT: attn.softmax
// ENC: return
// RUN: attn-run encoder.mlir --random --check | FileCheck %s --check-prefix=EXEC
// EXEC-LABEL: result0: f32 [2, 5, 8]
// EXEC-NEXT: check result0: {{.*}} (ok)

// RUN: attn-opt decoder.mlir --attn-cpu-pipeline --mlir-print-ir-after=attn-fuse-epilogues -o /dev/null 2>&1 | FileCheck %s --check-prefix=DEC
// DEC-LABEL: func.func @decoder
// DEC: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {causal, scale = 5.000000e-01 : f64}
// DEC: attn.linear {{.*}} {activation = #attn.activation<gelu_tanh>}
// DEC-NOT: linalg.generic
// DEC: return
// RUN: attn-run decoder.mlir --random --check | FileCheck %s --check-prefix=EXEC

// RUN: attn-opt relu.mlir --attn-cpu-pipeline --mlir-print-ir-after=attn-fuse-epilogues -o /dev/null 2>&1 | FileCheck %s --check-prefix=RELU
// RELU-LABEL: func.func @relu_layer
// RELU: attn.linear {{.*}} {activation = #attn.activation<relu>}
// RELU-NOT: linalg.generic
// RELU: return
// RUN: attn-run relu.mlir --random --check | FileCheck %s --check-prefix=EXEC

//--- encoder.mlir
func.func @encoder(%x: tensor<2x5x8xf32>, %mask: tensor<2x1x1x5xf32>) -> (tensor<2x5x8xf32>) {
  %cst1 = arith.constant 0.000000000e+00 : f32
  %e2 = tensor.empty() : tensor<2x5xf32>
  %z3 = linalg.fill ins(%cst1 : f32) outs(%e2 : tensor<2x5xf32>) -> tensor<2x5xf32>
  %sum4 = linalg.reduce ins(%x : tensor<2x5x8xf32>) outs(%z3 : tensor<2x5xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w5 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e6 = tensor.empty() : tensor<2x5xf32>
  %v7 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum4, %w5 : tensor<2x5xf32>, tensor<f32>) outs(%e6 : tensor<2x5xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5xf32>
  %k8 = tensor.expand_shape %v7 [[0], [1, 2]] output_shape [2, 5, 1] : tensor<2x5xf32> into tensor<2x5x1xf32>
  %e9 = tensor.empty() : tensor<2x5x8xf32>
  %v10 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %k8 : tensor<2x5x8xf32>, tensor<2x5x1xf32>) outs(%e9 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.subf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w11 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e12 = tensor.empty() : tensor<2x5x8xf32>
  %v13 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v10, %w11 : tensor<2x5x8xf32>, tensor<f32>) outs(%e12 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = math.powf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %e14 = tensor.empty() : tensor<2x5xf32>
  %z15 = linalg.fill ins(%cst1 : f32) outs(%e14 : tensor<2x5xf32>) -> tensor<2x5xf32>
  %sum16 = linalg.reduce ins(%v13 : tensor<2x5x8xf32>) outs(%z15 : tensor<2x5xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w17 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e18 = tensor.empty() : tensor<2x5xf32>
  %v19 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum16, %w17 : tensor<2x5xf32>, tensor<f32>) outs(%e18 : tensor<2x5xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5xf32>
  %k20 = tensor.expand_shape %v19 [[0], [1, 2]] output_shape [2, 5, 1] : tensor<2x5xf32> into tensor<2x5x1xf32>
  %w21 = arith.constant dense<1.000000000e-05> : tensor<f32>
  %e22 = tensor.empty() : tensor<2x5x1xf32>
  %v23 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k20, %w21 : tensor<2x5x1xf32>, tensor<f32>) outs(%e22 : tensor<2x5x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x1xf32>
  %e24 = tensor.empty() : tensor<2x5x1xf32>
  %v25 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v23 : tensor<2x5x1xf32>) outs(%e24 : tensor<2x5x1xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.sqrt %in0 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x1xf32>
  %e26 = tensor.empty() : tensor<2x5x8xf32>
  %v27 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v10, %v25 : tensor<2x5x8xf32>, tensor<2x5x1xf32>) outs(%e26 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w28 = arith.constant dense<[0.984742, 1.094484, 1.099846, 0.785560, 0.706516, 0.924853, 0.864429, 1.186209]> : tensor<8xf32>
  %e29 = tensor.empty() : tensor<2x5x8xf32>
  %v30 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v27, %w28 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e29 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w31 = arith.constant dense<[0.076237, 0.040583, 0.023276, 0.064528, -0.141879, -0.023978, -0.135093, 0.162389]> : tensor<8xf32>
  %e32 = tensor.empty() : tensor<2x5x8xf32>
  %v33 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v30, %w31 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e32 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w34 = arith.constant dense<[[-0.352941, 0.255056, -0.340312, 0.149556, -0.130400, -0.076309, 0.273923, -0.385117], [-0.351372, 0.332027, 0.007141, -0.327218, 0.389707, 0.357370, -0.309978, -0.061435], [-0.291944, -0.149967, 0.097162, -0.269181, 0.157468, -0.358917, -0.263029, 0.252558], [-0.079585, -0.064928, 0.076777, -0.018585, -0.092335, -0.375604, 0.181062, 0.373967], [0.381043, 0.130877, -0.114924, -0.109497, 0.152092, 0.139018, -0.308934, -0.212022], [-0.109342, 0.009080, 0.248086, 0.000010, -0.377485, 0.258054, -0.055876, 0.015198], [-0.222266, -0.058206, -0.089403, 0.217535, -0.317909, 0.039977, -0.257560, 0.156716], [-0.370523, -0.178762, -0.124657, 0.109544, -0.358353, -0.032590, -0.232965, -0.174483]]> : tensor<8x8xf32>
  %e35 = tensor.empty() : tensor<2x5x8xf32>
  %z36 = linalg.fill ins(%cst1 : f32) outs(%e35 : tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %mm37 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%v33, %w34 : tensor<2x5x8xf32>, tensor<8x8xf32>) outs(%z36 : tensor<2x5x8xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w38 = arith.constant dense<[-0.009495, 0.183499, -0.007590, 0.182357, -0.132975, 0.169700, -0.054323, -0.124307]> : tensor<8xf32>
  %e39 = tensor.empty() : tensor<2x5x8xf32>
  %v40 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm37, %w38 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e39 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %heads41 = tensor.expand_shape %v40 [[0], [1], [2, 3]] output_shape [2, 5, 2, 4] : tensor<2x5x8xf32> into tensor<2x5x2x4xf32>
  %e42 = tensor.empty() : tensor<2x2x5x4xf32>
  %tr43 = linalg.transpose ins(%heads41 : tensor<2x5x2x4xf32>) outs(%e42 : tensor<2x2x5x4xf32>) permutation = [0, 2, 1, 3]
  %w44 = arith.constant dense<[[0.198822, 0.329634, -0.394661, -0.185397, 0.216538, -0.126568, -0.206731, -0.393096], [-0.367982, 0.095262, 0.387052, 0.398796, 0.002880, -0.380872, -0.142035, 0.229922], [0.265563, 0.111529, -0.216389, 0.021790, -0.018089, 0.101603, -0.189858, 0.357342], [0.315455, -0.270282, -0.166943, 0.298536, -0.177356, 0.355123, 0.012138, 0.156777], [0.163757, -0.228744, -0.171983, -0.196047, 0.146636, 0.155284, -0.294615, 0.309150], [-0.063742, -0.207015, -0.051777, 0.383582, 0.047945, 0.099791, 0.335947, 0.369590], [0.208347, -0.065875, 0.070748, 0.320769, 0.231386, 0.064131, -0.122018, -0.105224], [0.188668, 0.050662, -0.386310, 0.168105, 0.323045, 0.238185, 0.317981, 0.328408]]> : tensor<8x8xf32>
  %e45 = tensor.empty() : tensor<2x5x8xf32>
  %z46 = linalg.fill ins(%cst1 : f32) outs(%e45 : tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %mm47 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%v33, %w44 : tensor<2x5x8xf32>, tensor<8x8xf32>) outs(%z46 : tensor<2x5x8xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w48 = arith.constant dense<[0.013974, 0.115646, -0.048211, -0.160682, -0.058732, -0.075155, 0.173609, 0.075645]> : tensor<8xf32>
  %e49 = tensor.empty() : tensor<2x5x8xf32>
  %v50 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm47, %w48 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e49 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %heads51 = tensor.expand_shape %v50 [[0], [1], [2, 3]] output_shape [2, 5, 2, 4] : tensor<2x5x8xf32> into tensor<2x5x2x4xf32>
  %e52 = tensor.empty() : tensor<2x2x4x5xf32>
  %tr53 = linalg.transpose ins(%heads51 : tensor<2x5x2x4xf32>) outs(%e52 : tensor<2x2x4x5xf32>) permutation = [0, 2, 3, 1]
  %w54 = arith.constant dense<[[0.033290, 0.097687, -0.300224, 0.027404, 0.160495, -0.084674, -0.203393, -0.074494], [-0.141125, 0.148225, -0.286553, -0.327570, -0.150018, 0.156617, 0.207702, 0.127515], [0.347765, -0.107516, -0.376208, -0.009742, -0.045049, -0.256504, 0.133917, -0.126988], [-0.209324, -0.138040, 0.355037, -0.393820, -0.111751, -0.176246, -0.238932, -0.054036], [-0.223696, 0.335089, 0.000828, 0.158475, -0.270123, -0.028296, 0.085224, 0.274302], [-0.200099, -0.032294, 0.283856, 0.265336, -0.217996, 0.030392, 0.209038, -0.083768], [0.138711, 0.130619, 0.377948, 0.043105, 0.144627, -0.119817, 0.185804, -0.142188], [-0.000080, -0.111328, -0.154242, -0.291270, -0.219461, 0.035440, -0.198520, -0.363272]]> : tensor<8x8xf32>
  %e55 = tensor.empty() : tensor<2x5x8xf32>
  %z56 = linalg.fill ins(%cst1 : f32) outs(%e55 : tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %mm57 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%v33, %w54 : tensor<2x5x8xf32>, tensor<8x8xf32>) outs(%z56 : tensor<2x5x8xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w58 = arith.constant dense<[0.121443, -0.085748, 0.174454, 0.039516, -0.044369, 0.149239, 0.158889, -0.071613]> : tensor<8xf32>
  %e59 = tensor.empty() : tensor<2x5x8xf32>
  %v60 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm57, %w58 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e59 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %heads61 = tensor.expand_shape %v60 [[0], [1], [2, 3]] output_shape [2, 5, 2, 4] : tensor<2x5x8xf32> into tensor<2x5x2x4xf32>
  %e62 = tensor.empty() : tensor<2x2x5x4xf32>
  %tr63 = linalg.transpose ins(%heads61 : tensor<2x5x2x4xf32>) outs(%e62 : tensor<2x2x5x4xf32>) permutation = [0, 2, 1, 3]
  %e64 = tensor.empty() : tensor<2x2x5x5xf32>
  %z65 = linalg.fill ins(%cst1 : f32) outs(%e64 : tensor<2x2x5x5xf32>) -> tensor<2x2x5x5xf32>
  %mm66 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%tr43, %tr53 : tensor<2x2x5x4xf32>, tensor<2x2x4x5xf32>) outs(%z65 : tensor<2x2x5x5xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x2x5x5xf32>
  %w67 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e68 = tensor.empty() : tensor<2x2x5x5xf32>
  %v69 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%mm66, %w67 : tensor<2x2x5x5xf32>, tensor<f32>) outs(%e68 : tensor<2x2x5x5xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x2x5x5xf32>
  %e70 = tensor.empty() : tensor<2x2x5x5xf32>
  %v71 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, 0, 0, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v69, %mask : tensor<2x2x5x5xf32>, tensor<2x1x1x5xf32>) outs(%e70 : tensor<2x2x5x5xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x2x5x5xf32>
  %sm72 = attn.softmax %v71 axis(3) : tensor<2x2x5x5xf32>
  %e73 = tensor.empty() : tensor<2x2x5x5xi1>
  %v74 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sm72 : tensor<2x2x5x5xf32>) outs(%e73 : tensor<2x2x5x5xi1>) {
  ^bb0(%in0: f32, %out: i1):
    %r = arith.cmpf uno, %in0, %in0 : f32
    linalg.yield %r : i1
  } -> tensor<2x2x5x5xi1>
  %w75 = arith.constant dense<0.000000000e+00> : tensor<f32>
  %e76 = tensor.empty() : tensor<2x2x5x5xf32>
  %v77 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v74, %w75, %sm72 : tensor<2x2x5x5xi1>, tensor<f32>, tensor<2x2x5x5xf32>) outs(%e76 : tensor<2x2x5x5xf32>) {
  ^bb0(%in0: i1, %in1: f32, %in2: f32, %out: f32):
    %r = arith.select %in0, %in1, %in2 : f32
    linalg.yield %r : f32
  } -> tensor<2x2x5x5xf32>
  %e78 = tensor.empty() : tensor<2x2x5x4xf32>
  %z79 = linalg.fill ins(%cst1 : f32) outs(%e78 : tensor<2x2x5x4xf32>) -> tensor<2x2x5x4xf32>
  %mm80 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v77, %tr63 : tensor<2x2x5x5xf32>, tensor<2x2x5x4xf32>) outs(%z79 : tensor<2x2x5x4xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x2x5x4xf32>
  %e81 = tensor.empty() : tensor<2x5x2x4xf32>
  %tr82 = linalg.transpose ins(%mm80 : tensor<2x2x5x4xf32>) outs(%e81 : tensor<2x5x2x4xf32>) permutation = [0, 2, 1, 3]
  %merged83 = tensor.collapse_shape %tr82 [[0], [1], [2, 3]] : tensor<2x5x2x4xf32> into tensor<2x5x8xf32>
  %w84 = arith.constant dense<[[-0.299329, 0.112755, 0.274150, 0.086802, 0.227468, -0.070061, 0.094243, -0.189441], [-0.074478, -0.096248, -0.092280, -0.080359, 0.245746, -0.264139, -0.235928, -0.196262], [0.376832, 0.018201, -0.357661, 0.268316, 0.298827, 0.256919, -0.112965, 0.187719], [-0.155604, -0.290179, 0.292224, 0.266430, -0.231034, 0.303847, -0.380327, -0.153269], [-0.389636, -0.263166, -0.269393, 0.172663, -0.162730, -0.247958, -0.252752, -0.150430], [0.289736, 0.085491, -0.318137, 0.147995, 0.028997, -0.041238, 0.022056, 0.121197], [0.240567, 0.004225, 0.108439, -0.026167, 0.107253, -0.089217, -0.068105, 0.013326], [0.172010, -0.177193, 0.339890, -0.006763, 0.284407, 0.152318, 0.365062, 0.145961]]> : tensor<8x8xf32>
  %e85 = tensor.empty() : tensor<2x5x8xf32>
  %z86 = linalg.fill ins(%cst1 : f32) outs(%e85 : tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %mm87 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%merged83, %w84 : tensor<2x5x8xf32>, tensor<8x8xf32>) outs(%z86 : tensor<2x5x8xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w88 = arith.constant dense<[-0.029267, -0.037654, 0.043072, 0.101548, 0.135620, -0.148276, -0.175046, -0.156743]> : tensor<8xf32>
  %e89 = tensor.empty() : tensor<2x5x8xf32>
  %v90 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm87, %w88 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e89 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %e91 = tensor.empty() : tensor<2x5x8xf32>
  %v92 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v90, %x : tensor<2x5x8xf32>, tensor<2x5x8xf32>) outs(%e91 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %e93 = tensor.empty() : tensor<2x5xf32>
  %z94 = linalg.fill ins(%cst1 : f32) outs(%e93 : tensor<2x5xf32>) -> tensor<2x5xf32>
  %sum95 = linalg.reduce ins(%v92 : tensor<2x5x8xf32>) outs(%z94 : tensor<2x5xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w96 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e97 = tensor.empty() : tensor<2x5xf32>
  %v98 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum95, %w96 : tensor<2x5xf32>, tensor<f32>) outs(%e97 : tensor<2x5xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5xf32>
  %k99 = tensor.expand_shape %v98 [[0], [1, 2]] output_shape [2, 5, 1] : tensor<2x5xf32> into tensor<2x5x1xf32>
  %e100 = tensor.empty() : tensor<2x5x8xf32>
  %v101 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v92, %k99 : tensor<2x5x8xf32>, tensor<2x5x1xf32>) outs(%e100 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.subf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w102 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e103 = tensor.empty() : tensor<2x5x8xf32>
  %v104 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v101, %w102 : tensor<2x5x8xf32>, tensor<f32>) outs(%e103 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = math.powf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %e105 = tensor.empty() : tensor<2x5xf32>
  %z106 = linalg.fill ins(%cst1 : f32) outs(%e105 : tensor<2x5xf32>) -> tensor<2x5xf32>
  %sum107 = linalg.reduce ins(%v104 : tensor<2x5x8xf32>) outs(%z106 : tensor<2x5xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w108 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e109 = tensor.empty() : tensor<2x5xf32>
  %v110 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum107, %w108 : tensor<2x5xf32>, tensor<f32>) outs(%e109 : tensor<2x5xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5xf32>
  %k111 = tensor.expand_shape %v110 [[0], [1, 2]] output_shape [2, 5, 1] : tensor<2x5xf32> into tensor<2x5x1xf32>
  %w112 = arith.constant dense<1.000000000e-05> : tensor<f32>
  %e113 = tensor.empty() : tensor<2x5x1xf32>
  %v114 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k111, %w112 : tensor<2x5x1xf32>, tensor<f32>) outs(%e113 : tensor<2x5x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x1xf32>
  %e115 = tensor.empty() : tensor<2x5x1xf32>
  %v116 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v114 : tensor<2x5x1xf32>) outs(%e115 : tensor<2x5x1xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.sqrt %in0 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x1xf32>
  %e117 = tensor.empty() : tensor<2x5x8xf32>
  %v118 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v101, %v116 : tensor<2x5x8xf32>, tensor<2x5x1xf32>) outs(%e117 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w119 = arith.constant dense<[0.750547, 0.733859, 0.705042, 0.849714, 0.767904, 1.111145, 1.069488, 1.279394]> : tensor<8xf32>
  %e120 = tensor.empty() : tensor<2x5x8xf32>
  %v121 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v118, %w119 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e120 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w122 = arith.constant dense<[0.184207, 0.098690, 0.179846, -0.188773, -0.108824, 0.170461, -0.009818, -0.117364]> : tensor<8xf32>
  %e123 = tensor.empty() : tensor<2x5x8xf32>
  %v124 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v121, %w122 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e123 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w125 = arith.constant dense<[[0.205445, -0.061161, 0.034475, -0.147256, -0.206623, -0.330259, 0.085482, 0.362197, 0.389382, 0.212182, 0.346726, -0.110218, -0.161459, 0.338805, 0.080095, 0.135282], [-0.389968, -0.217175, -0.014062, 0.184799, 0.260643, 0.205839, -0.128244, -0.094699, 0.289883, 0.391653, -0.012005, -0.244186, 0.099549, 0.028740, -0.110667, -0.215592], [-0.091722, 0.089919, -0.298531, 0.032745, 0.361841, 0.195954, -0.198296, -0.065218, -0.318131, 0.189642, 0.105490, -0.261741, 0.038454, 0.076684, 0.061745, -0.097284], [-0.152129, -0.116124, 0.398049, -0.135715, 0.001977, -0.032065, -0.261591, -0.080192, -0.236032, -0.142131, -0.106291, -0.120083, 0.350353, -0.162505, -0.134096, 0.126040], [-0.082199, 0.012590, 0.118034, -0.341063, 0.137253, -0.319068, -0.199819, 0.247819, 0.391640, 0.138983, -0.262722, -0.049390, -0.173886, 0.272936, -0.213429, -0.243000], [0.110466, 0.109747, 0.071798, -0.016925, 0.367256, -0.033242, 0.349616, -0.086608, -0.027715, -0.112476, 0.172096, 0.201197, -0.208648, 0.020809, 0.181199, 0.001251], [0.129909, 0.092950, 0.171467, -0.115778, -0.154743, -0.380274, 0.312270, 0.231901, -0.087776, 0.373760, 0.321957, -0.278795, 0.269342, -0.063319, -0.148591, -0.192689], [-0.068946, -0.358558, -0.359654, -0.306507, -0.154157, -0.273201, -0.302534, 0.265521, -0.096270, -0.007778, 0.081000, 0.346384, -0.283113, -0.217540, 0.288291, 0.327719]]> : tensor<8x16xf32>
  %e126 = tensor.empty() : tensor<2x5x16xf32>
  %z127 = linalg.fill ins(%cst1 : f32) outs(%e126 : tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  %mm128 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%v124, %w125 : tensor<2x5x8xf32>, tensor<8x16xf32>) outs(%z127 : tensor<2x5x16xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %w129 = arith.constant dense<[0.172719, 0.011354, -0.053181, -0.124539, 0.164251, 0.106134, 0.020664, 0.116557, -0.095711, 0.013492, 0.162615, -0.156567, 0.046947, -0.125857, 0.135108, 0.135703]> : tensor<16xf32>
  %e130 = tensor.empty() : tensor<2x5x16xf32>
  %v131 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm128, %w129 : tensor<2x5x16xf32>, tensor<16xf32>) outs(%e130 : tensor<2x5x16xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %w132 = arith.constant dense<1.414213538e+00> : tensor<f32>
  %e133 = tensor.empty() : tensor<2x5x16xf32>
  %v134 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v131, %w132 : tensor<2x5x16xf32>, tensor<f32>) outs(%e133 : tensor<2x5x16xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %e135 = tensor.empty() : tensor<2x5x16xf32>
  %v136 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v134 : tensor<2x5x16xf32>) outs(%e135 : tensor<2x5x16xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.erf %in0 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %w137 = arith.constant dense<1.000000000e+00> : tensor<f32>
  %e138 = tensor.empty() : tensor<2x5x16xf32>
  %v139 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v136, %w137 : tensor<2x5x16xf32>, tensor<f32>) outs(%e138 : tensor<2x5x16xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %e140 = tensor.empty() : tensor<2x5x16xf32>
  %v141 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v131, %v139 : tensor<2x5x16xf32>, tensor<2x5x16xf32>) outs(%e140 : tensor<2x5x16xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %w142 = arith.constant dense<5.000000000e-01> : tensor<f32>
  %e143 = tensor.empty() : tensor<2x5x16xf32>
  %v144 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v141, %w142 : tensor<2x5x16xf32>, tensor<f32>) outs(%e143 : tensor<2x5x16xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %w145 = arith.constant dense<[[0.115261, -0.051234, -0.382796, -0.004760, -0.112649, -0.079887, -0.337841, 0.336227], [0.017613, 0.049345, 0.273847, 0.317069, 0.039745, 0.035201, 0.277647, -0.101964], [0.320315, -0.380518, 0.236897, 0.022198, 0.097917, 0.392333, -0.224106, -0.074100], [0.239692, 0.197369, 0.019380, 0.221629, 0.141807, 0.295334, 0.120141, -0.109372], [-0.170568, -0.334353, -0.301345, -0.365986, 0.380504, -0.287430, 0.082257, -0.292715], [0.372954, 0.026202, -0.258361, 0.261297, 0.288091, 0.382322, -0.221308, -0.077961], [0.128621, -0.173996, 0.055449, 0.160887, 0.201237, 0.259166, 0.200732, -0.171670], [0.204433, -0.053050, -0.264465, -0.383428, 0.097819, -0.113638, -0.324791, -0.007952], [-0.068086, -0.139797, 0.052997, 0.031036, 0.023838, 0.389807, 0.323808, -0.161050], [0.297590, -0.147888, 0.349603, -0.353929, -0.145570, 0.345501, 0.129148, 0.165186], [-0.236452, -0.302665, 0.367746, -0.347257, -0.259668, -0.055344, 0.255368, 0.143388], [0.398735, 0.223415, -0.050195, 0.329153, -0.146692, -0.358802, 0.367521, 0.304951], [0.128228, -0.015985, -0.236981, -0.224544, -0.346039, -0.324844, -0.016727, 0.317014], [0.345800, 0.011487, 0.138815, -0.025679, 0.220950, 0.165038, 0.387885, 0.276516], [0.142343, 0.072288, -0.265060, -0.022734, -0.041879, -0.276561, -0.238665, -0.070939], [-0.259350, 0.099339, -0.137581, 0.390307, 0.147281, 0.013299, -0.052878, -0.086690]]> : tensor<16x8xf32>
  %e146 = tensor.empty() : tensor<2x5x8xf32>
  %z147 = linalg.fill ins(%cst1 : f32) outs(%e146 : tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %mm148 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%v144, %w145 : tensor<2x5x16xf32>, tensor<16x8xf32>) outs(%z147 : tensor<2x5x8xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w149 = arith.constant dense<[-0.119843, 0.185146, 0.165444, 0.060034, 0.060039, -0.142361, 0.016600, -0.133209]> : tensor<8xf32>
  %e150 = tensor.empty() : tensor<2x5x8xf32>
  %v151 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm148, %w149 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e150 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %e152 = tensor.empty() : tensor<2x5x8xf32>
  %v153 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v151, %v92 : tensor<2x5x8xf32>, tensor<2x5x8xf32>) outs(%e152 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  return %v153 : tensor<2x5x8xf32>
}

//--- decoder.mlir
func.func @decoder(%x: tensor<2x5x8xf32>) -> (tensor<2x5x8xf32>) {
  %cst1 = arith.constant 0.000000000e+00 : f32
  %e2 = tensor.empty() : tensor<2x5xf32>
  %z3 = linalg.fill ins(%cst1 : f32) outs(%e2 : tensor<2x5xf32>) -> tensor<2x5xf32>
  %sum4 = linalg.reduce ins(%x : tensor<2x5x8xf32>) outs(%z3 : tensor<2x5xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w5 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e6 = tensor.empty() : tensor<2x5xf32>
  %v7 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum4, %w5 : tensor<2x5xf32>, tensor<f32>) outs(%e6 : tensor<2x5xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5xf32>
  %k8 = tensor.expand_shape %v7 [[0], [1, 2]] output_shape [2, 5, 1] : tensor<2x5xf32> into tensor<2x5x1xf32>
  %e9 = tensor.empty() : tensor<2x5x8xf32>
  %v10 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %k8 : tensor<2x5x8xf32>, tensor<2x5x1xf32>) outs(%e9 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.subf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w11 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e12 = tensor.empty() : tensor<2x5x8xf32>
  %v13 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v10, %w11 : tensor<2x5x8xf32>, tensor<f32>) outs(%e12 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = math.powf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %e14 = tensor.empty() : tensor<2x5xf32>
  %z15 = linalg.fill ins(%cst1 : f32) outs(%e14 : tensor<2x5xf32>) -> tensor<2x5xf32>
  %sum16 = linalg.reduce ins(%v13 : tensor<2x5x8xf32>) outs(%z15 : tensor<2x5xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w17 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e18 = tensor.empty() : tensor<2x5xf32>
  %v19 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum16, %w17 : tensor<2x5xf32>, tensor<f32>) outs(%e18 : tensor<2x5xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5xf32>
  %k20 = tensor.expand_shape %v19 [[0], [1, 2]] output_shape [2, 5, 1] : tensor<2x5xf32> into tensor<2x5x1xf32>
  %w21 = arith.constant dense<1.000000000e-05> : tensor<f32>
  %e22 = tensor.empty() : tensor<2x5x1xf32>
  %v23 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k20, %w21 : tensor<2x5x1xf32>, tensor<f32>) outs(%e22 : tensor<2x5x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x1xf32>
  %e24 = tensor.empty() : tensor<2x5x1xf32>
  %v25 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v23 : tensor<2x5x1xf32>) outs(%e24 : tensor<2x5x1xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.sqrt %in0 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x1xf32>
  %e26 = tensor.empty() : tensor<2x5x8xf32>
  %v27 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v10, %v25 : tensor<2x5x8xf32>, tensor<2x5x1xf32>) outs(%e26 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w28 = arith.constant dense<[0.894585, 1.052248, 0.802115, 0.839890, 1.138267, 0.990849, 1.233809, 0.795532]> : tensor<8xf32>
  %e29 = tensor.empty() : tensor<2x5x8xf32>
  %v30 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v27, %w28 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e29 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w31 = arith.constant dense<[-0.164594, 0.175355, 0.043513, 0.077387, 0.022523, -0.140551, 0.191108, -0.001798]> : tensor<8xf32>
  %e32 = tensor.empty() : tensor<2x5x8xf32>
  %v33 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v30, %w31 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e32 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w34 = arith.constant dense<[[0.327332, -0.282985, -0.179809, 0.039268, -0.201938, 0.287723, -0.191429, -0.336755], [-0.269609, -0.182529, 0.358220, 0.302680, 0.135712, -0.058791, -0.366848, 0.265224], [-0.299233, -0.239955, -0.051933, 0.289988, -0.253707, -0.350029, 0.325814, -0.393359], [0.187392, -0.287450, -0.160834, -0.233906, -0.048881, 0.337175, 0.271980, 0.028749], [-0.329848, -0.259449, -0.163700, 0.235185, 0.332743, -0.379621, -0.132577, 0.368096], [-0.279250, -0.336100, -0.187329, 0.311339, -0.189496, 0.176947, -0.304900, 0.126395], [-0.264748, 0.076019, 0.193999, 0.302924, -0.051153, 0.387878, -0.074973, 0.359648], [0.331159, 0.398877, -0.315310, -0.181225, 0.156893, 0.308357, -0.194599, 0.214620]]> : tensor<8x8xf32>
  %e35 = tensor.empty() : tensor<2x5x8xf32>
  %z36 = linalg.fill ins(%cst1 : f32) outs(%e35 : tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %mm37 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%v33, %w34 : tensor<2x5x8xf32>, tensor<8x8xf32>) outs(%z36 : tensor<2x5x8xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w38 = arith.constant dense<[-0.009215, -0.198389, -0.165968, -0.197089, -0.108579, 0.173094, 0.071760, 0.145249]> : tensor<8xf32>
  %e39 = tensor.empty() : tensor<2x5x8xf32>
  %v40 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm37, %w38 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e39 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %heads41 = tensor.expand_shape %v40 [[0], [1], [2, 3]] output_shape [2, 5, 2, 4] : tensor<2x5x8xf32> into tensor<2x5x2x4xf32>
  %e42 = tensor.empty() : tensor<2x2x5x4xf32>
  %tr43 = linalg.transpose ins(%heads41 : tensor<2x5x2x4xf32>) outs(%e42 : tensor<2x2x5x4xf32>) permutation = [0, 2, 1, 3]
  %w44 = arith.constant dense<[[0.333005, -0.085791, 0.156972, 0.123606, 0.153549, -0.325911, 0.310782, -0.274405], [-0.043698, 0.150076, 0.195707, 0.261055, -0.150157, -0.161585, 0.182084, -0.362368], [0.298816, -0.147752, -0.086042, -0.149694, 0.170895, -0.260875, -0.291667, -0.347057], [-0.295262, 0.098503, 0.391200, -0.395288, -0.030187, -0.115625, -0.152021, -0.125058], [-0.313588, -0.060952, -0.186964, -0.352271, -0.292116, 0.342396, 0.174604, 0.386402], [0.251115, 0.190748, -0.218585, -0.312939, 0.387326, 0.147611, 0.178374, -0.285161], [0.233392, 0.028288, -0.329686, -0.231713, 0.374119, 0.098153, -0.327313, -0.335219], [0.200329, -0.118246, -0.017612, -0.290362, -0.257450, -0.002184, -0.058082, -0.251243]]> : tensor<8x8xf32>
  %e45 = tensor.empty() : tensor<2x5x8xf32>
  %z46 = linalg.fill ins(%cst1 : f32) outs(%e45 : tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %mm47 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%v33, %w44 : tensor<2x5x8xf32>, tensor<8x8xf32>) outs(%z46 : tensor<2x5x8xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w48 = arith.constant dense<[-0.139773, -0.022071, -0.154638, -0.175198, -0.010580, -0.179519, 0.093688, 0.107124]> : tensor<8xf32>
  %e49 = tensor.empty() : tensor<2x5x8xf32>
  %v50 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm47, %w48 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e49 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %heads51 = tensor.expand_shape %v50 [[0], [1], [2, 3]] output_shape [2, 5, 2, 4] : tensor<2x5x8xf32> into tensor<2x5x2x4xf32>
  %e52 = tensor.empty() : tensor<2x2x4x5xf32>
  %tr53 = linalg.transpose ins(%heads51 : tensor<2x5x2x4xf32>) outs(%e52 : tensor<2x2x4x5xf32>) permutation = [0, 2, 3, 1]
  %w54 = arith.constant dense<[[0.164314, 0.361147, -0.267428, -0.062550, -0.068131, -0.342131, 0.287802, -0.367428], [0.386437, 0.140562, 0.387781, -0.351960, 0.314808, 0.371002, 0.222550, 0.064011], [0.118633, -0.014563, 0.282555, 0.062685, 0.037993, -0.075975, 0.102555, 0.069269], [0.352167, 0.218320, -0.136102, 0.176059, -0.213047, -0.014767, 0.020816, 0.181548], [-0.342011, -0.282721, -0.253850, 0.095838, -0.263607, 0.047715, 0.305343, -0.058006], [-0.221184, 0.077726, -0.070899, -0.050513, -0.257407, 0.146083, -0.124023, 0.388117], [-0.002790, 0.145774, 0.339604, 0.387135, -0.382970, 0.342156, -0.317248, 0.359059], [0.231040, -0.194814, 0.172249, 0.050375, -0.038161, 0.101530, -0.034743, 0.125826]]> : tensor<8x8xf32>
  %e55 = tensor.empty() : tensor<2x5x8xf32>
  %z56 = linalg.fill ins(%cst1 : f32) outs(%e55 : tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %mm57 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%v33, %w54 : tensor<2x5x8xf32>, tensor<8x8xf32>) outs(%z56 : tensor<2x5x8xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w58 = arith.constant dense<[0.078040, -0.197755, 0.055684, 0.081975, 0.146635, 0.014399, 0.016540, -0.142012]> : tensor<8xf32>
  %e59 = tensor.empty() : tensor<2x5x8xf32>
  %v60 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm57, %w58 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e59 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %heads61 = tensor.expand_shape %v60 [[0], [1], [2, 3]] output_shape [2, 5, 2, 4] : tensor<2x5x8xf32> into tensor<2x5x2x4xf32>
  %e62 = tensor.empty() : tensor<2x2x5x4xf32>
  %tr63 = linalg.transpose ins(%heads61 : tensor<2x5x2x4xf32>) outs(%e62 : tensor<2x2x5x4xf32>) permutation = [0, 2, 1, 3]
  %e64 = tensor.empty() : tensor<2x2x5x5xf32>
  %z65 = linalg.fill ins(%cst1 : f32) outs(%e64 : tensor<2x2x5x5xf32>) -> tensor<2x2x5x5xf32>
  %mm66 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%tr43, %tr53 : tensor<2x2x5x4xf32>, tensor<2x2x4x5xf32>) outs(%z65 : tensor<2x2x5x5xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x2x5x5xf32>
  %w67 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e68 = tensor.empty() : tensor<2x2x5x5xf32>
  %v69 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%mm66, %w67 : tensor<2x2x5x5xf32>, tensor<f32>) outs(%e68 : tensor<2x2x5x5xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x2x5x5xf32>
  %w70 = arith.constant dense<[[0.0, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000], [0.0, 0.0, 0xFF800000, 0xFF800000, 0xFF800000], [0.0, 0.0, 0.0, 0xFF800000, 0xFF800000], [0.0, 0.0, 0.0, 0.0, 0xFF800000], [0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<5x5xf32>
  %e71 = tensor.empty() : tensor<2x2x5x5xf32>
  %v72 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v69, %w70 : tensor<2x2x5x5xf32>, tensor<5x5xf32>) outs(%e71 : tensor<2x2x5x5xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x2x5x5xf32>
  %sm73 = attn.softmax %v72 axis(3) : tensor<2x2x5x5xf32>
  %e74 = tensor.empty() : tensor<2x2x5x5xi1>
  %v75 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sm73 : tensor<2x2x5x5xf32>) outs(%e74 : tensor<2x2x5x5xi1>) {
  ^bb0(%in0: f32, %out: i1):
    %r = arith.cmpf uno, %in0, %in0 : f32
    linalg.yield %r : i1
  } -> tensor<2x2x5x5xi1>
  %w76 = arith.constant dense<0.000000000e+00> : tensor<f32>
  %e77 = tensor.empty() : tensor<2x2x5x5xf32>
  %v78 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v75, %w76, %sm73 : tensor<2x2x5x5xi1>, tensor<f32>, tensor<2x2x5x5xf32>) outs(%e77 : tensor<2x2x5x5xf32>) {
  ^bb0(%in0: i1, %in1: f32, %in2: f32, %out: f32):
    %r = arith.select %in0, %in1, %in2 : f32
    linalg.yield %r : f32
  } -> tensor<2x2x5x5xf32>
  %e79 = tensor.empty() : tensor<2x2x5x4xf32>
  %z80 = linalg.fill ins(%cst1 : f32) outs(%e79 : tensor<2x2x5x4xf32>) -> tensor<2x2x5x4xf32>
  %mm81 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v78, %tr63 : tensor<2x2x5x5xf32>, tensor<2x2x5x4xf32>) outs(%z80 : tensor<2x2x5x4xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x2x5x4xf32>
  %e82 = tensor.empty() : tensor<2x5x2x4xf32>
  %tr83 = linalg.transpose ins(%mm81 : tensor<2x2x5x4xf32>) outs(%e82 : tensor<2x5x2x4xf32>) permutation = [0, 2, 1, 3]
  %merged84 = tensor.collapse_shape %tr83 [[0], [1], [2, 3]] : tensor<2x5x2x4xf32> into tensor<2x5x8xf32>
  %w85 = arith.constant dense<[[-0.243360, 0.316398, -0.350242, 0.320610, -0.301111, -0.092727, 0.097873, -0.376134], [-0.042402, 0.238698, -0.092621, -0.259313, -0.352295, 0.358562, -0.316454, 0.135581], [0.110163, -0.176093, 0.046243, 0.148830, -0.233630, -0.204283, 0.339223, -0.233821], [-0.009101, -0.036199, 0.222246, 0.285671, 0.210999, 0.101073, 0.032531, -0.326677], [0.059262, -0.053557, 0.204645, -0.099128, -0.302311, -0.093301, 0.264973, -0.002774], [0.134777, -0.354779, -0.222799, -0.187239, -0.012515, -0.304788, 0.356356, -0.135003], [-0.399251, -0.208155, 0.001304, 0.092649, 0.251673, -0.330713, 0.376497, 0.284458], [0.011621, 0.117684, -0.154595, -0.280977, -0.391855, 0.369006, 0.312239, -0.043023]]> : tensor<8x8xf32>
  %e86 = tensor.empty() : tensor<2x5x8xf32>
  %z87 = linalg.fill ins(%cst1 : f32) outs(%e86 : tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %mm88 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%merged84, %w85 : tensor<2x5x8xf32>, tensor<8x8xf32>) outs(%z87 : tensor<2x5x8xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w89 = arith.constant dense<[0.040740, -0.009328, 0.075418, -0.160218, 0.101640, -0.129935, 0.036431, 0.049061]> : tensor<8xf32>
  %e90 = tensor.empty() : tensor<2x5x8xf32>
  %v91 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm88, %w89 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e90 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %e92 = tensor.empty() : tensor<2x5x8xf32>
  %v93 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v91, %x : tensor<2x5x8xf32>, tensor<2x5x8xf32>) outs(%e92 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %e94 = tensor.empty() : tensor<2x5xf32>
  %z95 = linalg.fill ins(%cst1 : f32) outs(%e94 : tensor<2x5xf32>) -> tensor<2x5xf32>
  %sum96 = linalg.reduce ins(%v93 : tensor<2x5x8xf32>) outs(%z95 : tensor<2x5xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w97 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e98 = tensor.empty() : tensor<2x5xf32>
  %v99 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum96, %w97 : tensor<2x5xf32>, tensor<f32>) outs(%e98 : tensor<2x5xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5xf32>
  %k100 = tensor.expand_shape %v99 [[0], [1, 2]] output_shape [2, 5, 1] : tensor<2x5xf32> into tensor<2x5x1xf32>
  %e101 = tensor.empty() : tensor<2x5x8xf32>
  %v102 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v93, %k100 : tensor<2x5x8xf32>, tensor<2x5x1xf32>) outs(%e101 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.subf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w103 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e104 = tensor.empty() : tensor<2x5x8xf32>
  %v105 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v102, %w103 : tensor<2x5x8xf32>, tensor<f32>) outs(%e104 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = math.powf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %e106 = tensor.empty() : tensor<2x5xf32>
  %z107 = linalg.fill ins(%cst1 : f32) outs(%e106 : tensor<2x5xf32>) -> tensor<2x5xf32>
  %sum108 = linalg.reduce ins(%v105 : tensor<2x5x8xf32>) outs(%z107 : tensor<2x5xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w109 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e110 = tensor.empty() : tensor<2x5xf32>
  %v111 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum108, %w109 : tensor<2x5xf32>, tensor<f32>) outs(%e110 : tensor<2x5xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5xf32>
  %k112 = tensor.expand_shape %v111 [[0], [1, 2]] output_shape [2, 5, 1] : tensor<2x5xf32> into tensor<2x5x1xf32>
  %w113 = arith.constant dense<1.000000000e-05> : tensor<f32>
  %e114 = tensor.empty() : tensor<2x5x1xf32>
  %v115 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k112, %w113 : tensor<2x5x1xf32>, tensor<f32>) outs(%e114 : tensor<2x5x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x1xf32>
  %e116 = tensor.empty() : tensor<2x5x1xf32>
  %v117 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v115 : tensor<2x5x1xf32>) outs(%e116 : tensor<2x5x1xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.sqrt %in0 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x1xf32>
  %e118 = tensor.empty() : tensor<2x5x8xf32>
  %v119 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v102, %v117 : tensor<2x5x8xf32>, tensor<2x5x1xf32>) outs(%e118 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w120 = arith.constant dense<[1.208741, 1.068793, 0.806962, 1.189224, 0.924451, 1.037953, 1.180228, 1.286418]> : tensor<8xf32>
  %e121 = tensor.empty() : tensor<2x5x8xf32>
  %v122 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v119, %w120 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e121 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w123 = arith.constant dense<[-0.158339, -0.018110, -0.074255, 0.138756, -0.040907, 0.164161, 0.117454, -0.032324]> : tensor<8xf32>
  %e124 = tensor.empty() : tensor<2x5x8xf32>
  %v125 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v122, %w123 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e124 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w126 = arith.constant dense<[[0.210608, 0.143470, -0.306280, -0.162565, -0.291424, 0.265886, -0.083583, -0.159449, 0.173790, 0.389129, -0.287062, 0.153174, -0.217209, 0.232928, 0.196843, 0.214790], [0.066499, -0.301879, 0.281444, -0.311527, 0.064067, 0.367332, -0.185286, -0.015555, 0.140713, 0.116926, -0.141148, -0.066907, 0.316836, 0.172829, -0.260978, 0.143819], [0.281630, 0.081244, 0.315557, -0.188078, -0.168382, 0.292617, -0.194641, -0.298656, -0.281413, 0.305759, 0.258240, -0.241545, 0.193407, -0.242103, 0.097158, -0.391584], [0.061436, 0.200382, 0.003924, 0.102325, -0.305853, -0.033811, 0.226820, -0.101484, 0.195044, 0.079154, 0.246344, 0.191133, -0.156032, 0.255289, 0.253479, -0.058297], [0.174967, -0.068609, 0.060869, -0.140272, -0.030546, -0.153359, 0.315549, 0.090472, 0.090982, 0.018230, -0.028554, -0.260508, 0.117481, -0.043147, -0.124847, 0.010176], [-0.295502, 0.118660, 0.226300, -0.106815, -0.270832, 0.374591, 0.095775, -0.145148, -0.327820, 0.058659, -0.224634, 0.318816, 0.173308, -0.178598, -0.074324, -0.330625], [-0.220387, 0.046628, 0.306111, -0.058634, 0.370071, -0.195141, -0.317331, 0.271508, -0.097914, -0.175809, -0.044532, 0.089465, -0.224046, -0.314873, 0.077821, 0.126125], [0.048340, -0.272130, 0.288563, -0.056084, 0.033632, 0.308242, -0.293035, -0.003222, -0.060991, 0.110762, -0.219650, -0.207331, -0.218427, 0.046761, -0.159740, 0.341866]]> : tensor<8x16xf32>
  %e127 = tensor.empty() : tensor<2x5x16xf32>
  %z128 = linalg.fill ins(%cst1 : f32) outs(%e127 : tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  %mm129 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%v125, %w126 : tensor<2x5x8xf32>, tensor<8x16xf32>) outs(%z128 : tensor<2x5x16xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %w130 = arith.constant dense<[0.148394, 0.090836, -0.037365, 0.129852, 0.029608, 0.113061, 0.181936, -0.151490, 0.104560, 0.161548, -0.037974, -0.063302, -0.187383, 0.158375, -0.117274, -0.196585]> : tensor<16xf32>
  %e131 = tensor.empty() : tensor<2x5x16xf32>
  %v132 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm129, %w130 : tensor<2x5x16xf32>, tensor<16xf32>) outs(%e131 : tensor<2x5x16xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %w133 = arith.constant dense<3.000000000e+00> : tensor<f32>
  %e134 = tensor.empty() : tensor<2x5x16xf32>
  %v135 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v132, %w133 : tensor<2x5x16xf32>, tensor<f32>) outs(%e134 : tensor<2x5x16xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = math.powf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %w136 = arith.constant dense<4.471499845e-02> : tensor<f32>
  %e137 = tensor.empty() : tensor<2x5x16xf32>
  %v138 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v135, %w136 : tensor<2x5x16xf32>, tensor<f32>) outs(%e137 : tensor<2x5x16xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %e139 = tensor.empty() : tensor<2x5x16xf32>
  %v140 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v132, %v138 : tensor<2x5x16xf32>, tensor<2x5x16xf32>) outs(%e139 : tensor<2x5x16xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %w141 = arith.constant dense<7.978845835e-01> : tensor<f32>
  %e142 = tensor.empty() : tensor<2x5x16xf32>
  %v143 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v140, %w141 : tensor<2x5x16xf32>, tensor<f32>) outs(%e142 : tensor<2x5x16xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %e144 = tensor.empty() : tensor<2x5x16xf32>
  %v145 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v143 : tensor<2x5x16xf32>) outs(%e144 : tensor<2x5x16xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.tanh %in0 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %w146 = arith.constant dense<5.000000000e-01> : tensor<f32>
  %e147 = tensor.empty() : tensor<2x5x16xf32>
  %v148 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v132, %w146 : tensor<2x5x16xf32>, tensor<f32>) outs(%e147 : tensor<2x5x16xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %w149 = arith.constant dense<1.000000000e+00> : tensor<f32>
  %e150 = tensor.empty() : tensor<2x5x16xf32>
  %v151 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v145, %w149 : tensor<2x5x16xf32>, tensor<f32>) outs(%e150 : tensor<2x5x16xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %e152 = tensor.empty() : tensor<2x5x16xf32>
  %v153 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v148, %v151 : tensor<2x5x16xf32>, tensor<2x5x16xf32>) outs(%e152 : tensor<2x5x16xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %w154 = arith.constant dense<[[-0.328725, 0.012227, 0.146225, 0.324544, 0.131246, -0.318722, 0.344013, 0.297174], [0.245727, 0.320096, 0.268396, 0.146972, 0.213717, -0.381760, 0.391983, -0.396489], [-0.059595, 0.055610, 0.008284, -0.128738, 0.006494, -0.147327, 0.129350, -0.375938], [-0.124223, 0.121093, -0.034581, -0.384179, -0.032608, 0.342263, 0.017874, 0.184485], [-0.093692, 0.384264, 0.020179, 0.248509, 0.100802, 0.250788, -0.086066, 0.342696], [0.390497, 0.318464, 0.326095, -0.108505, -0.129104, 0.313966, 0.260585, 0.072781], [0.047844, -0.390558, 0.047335, -0.353303, 0.021098, -0.221217, 0.086014, -0.273763], [-0.137992, 0.216078, 0.063567, -0.293510, 0.387807, -0.382666, -0.069803, 0.171036], [0.064888, 0.121886, 0.322531, -0.323200, 0.006582, -0.198635, 0.079497, -0.028371], [0.103362, 0.240404, 0.001403, -0.061526, 0.045130, -0.265555, 0.330268, -0.087893], [-0.001005, 0.272303, 0.266707, 0.397876, 0.166689, 0.025273, -0.056231, 0.222384], [0.096555, -0.391658, 0.050443, 0.135165, -0.112975, 0.263956, 0.193189, 0.308666], [-0.166289, 0.129433, 0.048917, -0.127299, -0.161904, -0.329500, 0.268873, -0.179330], [-0.122830, -0.196399, 0.045344, -0.004451, 0.293131, -0.336371, -0.125543, 0.268343], [0.235021, -0.348848, -0.042851, 0.394407, 0.383573, -0.145520, 0.195296, -0.135284], [-0.348306, 0.317689, -0.299726, 0.393755, -0.038743, 0.282171, -0.018849, 0.320464]]> : tensor<16x8xf32>
  %e155 = tensor.empty() : tensor<2x5x8xf32>
  %z156 = linalg.fill ins(%cst1 : f32) outs(%e155 : tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %mm157 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%v153, %w154 : tensor<2x5x16xf32>, tensor<16x8xf32>) outs(%z156 : tensor<2x5x8xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w158 = arith.constant dense<[0.098561, -0.130991, -0.190351, -0.131876, 0.042535, -0.155959, -0.170605, -0.047193]> : tensor<8xf32>
  %e159 = tensor.empty() : tensor<2x5x8xf32>
  %v160 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm157, %w158 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e159 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %e161 = tensor.empty() : tensor<2x5x8xf32>
  %v162 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v160, %v93 : tensor<2x5x8xf32>, tensor<2x5x8xf32>) outs(%e161 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  return %v162 : tensor<2x5x8xf32>
}

//--- relu.mlir
func.func @relu_layer(%x: tensor<2x5x8xf32>) -> (tensor<2x5x8xf32>) {
  %cst1 = arith.constant 0.000000000e+00 : f32
  %e2 = tensor.empty() : tensor<2x5xf32>
  %z3 = linalg.fill ins(%cst1 : f32) outs(%e2 : tensor<2x5xf32>) -> tensor<2x5xf32>
  %sum4 = linalg.reduce ins(%x : tensor<2x5x8xf32>) outs(%z3 : tensor<2x5xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w5 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e6 = tensor.empty() : tensor<2x5xf32>
  %v7 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum4, %w5 : tensor<2x5xf32>, tensor<f32>) outs(%e6 : tensor<2x5xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5xf32>
  %k8 = tensor.expand_shape %v7 [[0], [1, 2]] output_shape [2, 5, 1] : tensor<2x5xf32> into tensor<2x5x1xf32>
  %e9 = tensor.empty() : tensor<2x5x8xf32>
  %v10 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %k8 : tensor<2x5x8xf32>, tensor<2x5x1xf32>) outs(%e9 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.subf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w11 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e12 = tensor.empty() : tensor<2x5x8xf32>
  %v13 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v10, %w11 : tensor<2x5x8xf32>, tensor<f32>) outs(%e12 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = math.powf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %e14 = tensor.empty() : tensor<2x5xf32>
  %z15 = linalg.fill ins(%cst1 : f32) outs(%e14 : tensor<2x5xf32>) -> tensor<2x5xf32>
  %sum16 = linalg.reduce ins(%v13 : tensor<2x5x8xf32>) outs(%z15 : tensor<2x5xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w17 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e18 = tensor.empty() : tensor<2x5xf32>
  %v19 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum16, %w17 : tensor<2x5xf32>, tensor<f32>) outs(%e18 : tensor<2x5xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5xf32>
  %k20 = tensor.expand_shape %v19 [[0], [1, 2]] output_shape [2, 5, 1] : tensor<2x5xf32> into tensor<2x5x1xf32>
  %w21 = arith.constant dense<1.000000000e-05> : tensor<f32>
  %e22 = tensor.empty() : tensor<2x5x1xf32>
  %v23 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k20, %w21 : tensor<2x5x1xf32>, tensor<f32>) outs(%e22 : tensor<2x5x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x1xf32>
  %e24 = tensor.empty() : tensor<2x5x1xf32>
  %v25 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v23 : tensor<2x5x1xf32>) outs(%e24 : tensor<2x5x1xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.sqrt %in0 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x1xf32>
  %e26 = tensor.empty() : tensor<2x5x8xf32>
  %v27 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v10, %v25 : tensor<2x5x8xf32>, tensor<2x5x1xf32>) outs(%e26 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w28 = arith.constant dense<[0.732140, 0.884339, 1.078234, 0.836219, 1.174455, 0.856416, 0.918839, 0.942517]> : tensor<8xf32>
  %e29 = tensor.empty() : tensor<2x5x8xf32>
  %v30 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v27, %w28 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e29 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w31 = arith.constant dense<[0.139715, -0.180855, 0.124486, -0.162174, 0.188289, 0.022224, 0.100013, 0.005902]> : tensor<8xf32>
  %e32 = tensor.empty() : tensor<2x5x8xf32>
  %v33 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v30, %w31 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e32 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w34 = arith.constant dense<[[0.136263, 0.149439, -0.283210, -0.245063, 0.327331, -0.224540, -0.205582, -0.358479], [0.170684, 0.230323, -0.370159, 0.289385, -0.308230, -0.003197, 0.011208, -0.197869], [-0.140901, -0.007018, 0.226606, -0.196493, -0.213907, 0.381296, -0.187929, -0.317243], [0.345206, 0.340580, -0.228558, 0.023402, 0.298548, -0.143088, -0.127205, -0.396595], [-0.296432, 0.085730, -0.002714, 0.289980, -0.043679, -0.182931, -0.085267, -0.288218], [-0.015938, 0.153561, -0.252467, 0.066999, 0.398222, 0.157363, -0.145818, 0.116027], [-0.312064, -0.312735, 0.246938, 0.165830, 0.099580, 0.049076, -0.119489, 0.269695], [0.012033, 0.260106, 0.187530, -0.132548, 0.252245, -0.120104, 0.092871, 0.274250]]> : tensor<8x8xf32>
  %e35 = tensor.empty() : tensor<2x5x8xf32>
  %z36 = linalg.fill ins(%cst1 : f32) outs(%e35 : tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %mm37 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%v33, %w34 : tensor<2x5x8xf32>, tensor<8x8xf32>) outs(%z36 : tensor<2x5x8xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w38 = arith.constant dense<[0.181095, 0.048696, -0.120042, -0.135612, 0.132147, -0.076884, -0.141581, 0.031361]> : tensor<8xf32>
  %e39 = tensor.empty() : tensor<2x5x8xf32>
  %v40 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm37, %w38 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e39 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %heads41 = tensor.expand_shape %v40 [[0], [1], [2, 3]] output_shape [2, 5, 2, 4] : tensor<2x5x8xf32> into tensor<2x5x2x4xf32>
  %e42 = tensor.empty() : tensor<2x2x5x4xf32>
  %tr43 = linalg.transpose ins(%heads41 : tensor<2x5x2x4xf32>) outs(%e42 : tensor<2x2x5x4xf32>) permutation = [0, 2, 1, 3]
  %w44 = arith.constant dense<[[-0.065959, 0.191681, -0.256229, 0.009204, 0.364729, -0.262266, -0.089020, -0.084935], [-0.295983, -0.284717, -0.148710, 0.039277, -0.290335, 0.107611, -0.100629, -0.159756], [0.280513, 0.193491, -0.043786, -0.192157, 0.007763, 0.118744, 0.208305, 0.129687], [-0.399150, -0.273114, 0.396865, 0.037188, 0.010907, -0.308458, 0.229242, 0.261100], [-0.151733, -0.183043, -0.341599, -0.155096, 0.010160, -0.042569, -0.393114, -0.321672], [-0.211411, 0.264604, 0.371709, 0.289516, -0.005315, -0.110075, 0.316339, 0.204507], [0.117044, 0.160381, 0.350179, 0.020855, -0.195629, 0.187130, 0.344453, -0.218874], [-0.092303, 0.210010, 0.240419, -0.358596, 0.245399, -0.205662, -0.298637, -0.361129]]> : tensor<8x8xf32>
  %e45 = tensor.empty() : tensor<2x5x8xf32>
  %z46 = linalg.fill ins(%cst1 : f32) outs(%e45 : tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %mm47 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%v33, %w44 : tensor<2x5x8xf32>, tensor<8x8xf32>) outs(%z46 : tensor<2x5x8xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w48 = arith.constant dense<[-0.015443, -0.018731, -0.125569, 0.085118, -0.125755, 0.171403, 0.199417, -0.066809]> : tensor<8xf32>
  %e49 = tensor.empty() : tensor<2x5x8xf32>
  %v50 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm47, %w48 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e49 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %heads51 = tensor.expand_shape %v50 [[0], [1], [2, 3]] output_shape [2, 5, 2, 4] : tensor<2x5x8xf32> into tensor<2x5x2x4xf32>
  %e52 = tensor.empty() : tensor<2x2x4x5xf32>
  %tr53 = linalg.transpose ins(%heads51 : tensor<2x5x2x4xf32>) outs(%e52 : tensor<2x2x4x5xf32>) permutation = [0, 2, 3, 1]
  %w54 = arith.constant dense<[[-0.382000, -0.344050, 0.027899, -0.116447, 0.222977, -0.072877, -0.194233, -0.271132], [0.393485, 0.211380, 0.144474, -0.223163, -0.045444, 0.204790, 0.117402, -0.177635], [-0.119760, 0.248901, -0.356652, 0.117584, 0.164876, 0.013142, 0.042272, 0.339487], [-0.140559, 0.201533, 0.178275, 0.191010, -0.346229, 0.154571, -0.099545, -0.296257], [0.326275, -0.187599, -0.027468, -0.154116, -0.310363, -0.167106, 0.090160, 0.111063], [0.198046, -0.278215, -0.180934, 0.264611, 0.019672, 0.191116, -0.030742, -0.063957], [-0.373567, 0.273073, 0.323939, 0.172180, -0.227082, 0.103859, 0.144085, -0.174589], [-0.098726, 0.311625, -0.189770, 0.088812, -0.362398, -0.381793, -0.365484, -0.156196]]> : tensor<8x8xf32>
  %e55 = tensor.empty() : tensor<2x5x8xf32>
  %z56 = linalg.fill ins(%cst1 : f32) outs(%e55 : tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %mm57 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%v33, %w54 : tensor<2x5x8xf32>, tensor<8x8xf32>) outs(%z56 : tensor<2x5x8xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w58 = arith.constant dense<[0.171741, 0.031087, -0.006387, -0.141055, 0.022983, -0.148152, -0.173276, -0.066538]> : tensor<8xf32>
  %e59 = tensor.empty() : tensor<2x5x8xf32>
  %v60 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm57, %w58 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e59 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %heads61 = tensor.expand_shape %v60 [[0], [1], [2, 3]] output_shape [2, 5, 2, 4] : tensor<2x5x8xf32> into tensor<2x5x2x4xf32>
  %e62 = tensor.empty() : tensor<2x2x5x4xf32>
  %tr63 = linalg.transpose ins(%heads61 : tensor<2x5x2x4xf32>) outs(%e62 : tensor<2x2x5x4xf32>) permutation = [0, 2, 1, 3]
  %e64 = tensor.empty() : tensor<2x2x5x5xf32>
  %z65 = linalg.fill ins(%cst1 : f32) outs(%e64 : tensor<2x2x5x5xf32>) -> tensor<2x2x5x5xf32>
  %mm66 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%tr43, %tr53 : tensor<2x2x5x4xf32>, tensor<2x2x4x5xf32>) outs(%z65 : tensor<2x2x5x5xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x2x5x5xf32>
  %w67 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e68 = tensor.empty() : tensor<2x2x5x5xf32>
  %v69 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%mm66, %w67 : tensor<2x2x5x5xf32>, tensor<f32>) outs(%e68 : tensor<2x2x5x5xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x2x5x5xf32>
  %sm70 = attn.softmax %v69 axis(3) : tensor<2x2x5x5xf32>
  %e71 = tensor.empty() : tensor<2x2x5x5xi1>
  %v72 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sm70 : tensor<2x2x5x5xf32>) outs(%e71 : tensor<2x2x5x5xi1>) {
  ^bb0(%in0: f32, %out: i1):
    %r = arith.cmpf uno, %in0, %in0 : f32
    linalg.yield %r : i1
  } -> tensor<2x2x5x5xi1>
  %w73 = arith.constant dense<0.000000000e+00> : tensor<f32>
  %e74 = tensor.empty() : tensor<2x2x5x5xf32>
  %v75 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> ()>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v72, %w73, %sm70 : tensor<2x2x5x5xi1>, tensor<f32>, tensor<2x2x5x5xf32>) outs(%e74 : tensor<2x2x5x5xf32>) {
  ^bb0(%in0: i1, %in1: f32, %in2: f32, %out: f32):
    %r = arith.select %in0, %in1, %in2 : f32
    linalg.yield %r : f32
  } -> tensor<2x2x5x5xf32>
  %e76 = tensor.empty() : tensor<2x2x5x4xf32>
  %z77 = linalg.fill ins(%cst1 : f32) outs(%e76 : tensor<2x2x5x4xf32>) -> tensor<2x2x5x4xf32>
  %mm78 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d, k) -> (a, b, c, k)>, affine_map<(a, b, c, d, k) -> (a, b, k, d)>, affine_map<(a, b, c, d, k) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v75, %tr63 : tensor<2x2x5x5xf32>, tensor<2x2x5x4xf32>) outs(%z77 : tensor<2x2x5x4xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x2x5x4xf32>
  %e79 = tensor.empty() : tensor<2x5x2x4xf32>
  %tr80 = linalg.transpose ins(%mm78 : tensor<2x2x5x4xf32>) outs(%e79 : tensor<2x5x2x4xf32>) permutation = [0, 2, 1, 3]
  %merged81 = tensor.collapse_shape %tr80 [[0], [1], [2, 3]] : tensor<2x5x2x4xf32> into tensor<2x5x8xf32>
  %w82 = arith.constant dense<[[-0.194013, 0.225963, 0.051266, 0.112355, -0.177250, -0.086109, -0.308860, -0.170151], [0.394404, 0.135695, -0.130704, 0.103439, 0.328705, 0.249188, 0.020101, -0.275064], [-0.358437, -0.343488, 0.256330, 0.224806, 0.160297, 0.178230, -0.288020, 0.063940], [-0.392626, -0.374554, 0.095739, -0.394109, -0.069675, -0.117842, 0.295721, -0.119145], [-0.235707, 0.144015, -0.276596, 0.383503, 0.337904, 0.393057, 0.094753, -0.255212], [-0.239195, 0.171900, -0.048713, 0.163937, -0.232658, 0.055223, 0.283876, -0.170528], [0.267222, -0.284944, 0.132402, -0.366670, -0.204930, -0.342433, -0.242333, 0.023818], [0.249488, 0.250665, 0.330913, -0.202263, 0.349934, -0.059220, 0.133056, 0.177884]]> : tensor<8x8xf32>
  %e83 = tensor.empty() : tensor<2x5x8xf32>
  %z84 = linalg.fill ins(%cst1 : f32) outs(%e83 : tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %mm85 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%merged81, %w82 : tensor<2x5x8xf32>, tensor<8x8xf32>) outs(%z84 : tensor<2x5x8xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w86 = arith.constant dense<[-0.091146, -0.087648, -0.025590, -0.063446, 0.091497, 0.146468, 0.064474, -0.180413]> : tensor<8xf32>
  %e87 = tensor.empty() : tensor<2x5x8xf32>
  %v88 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm85, %w86 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e87 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %e89 = tensor.empty() : tensor<2x5x8xf32>
  %v90 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v88, %x : tensor<2x5x8xf32>, tensor<2x5x8xf32>) outs(%e89 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %e91 = tensor.empty() : tensor<2x5xf32>
  %z92 = linalg.fill ins(%cst1 : f32) outs(%e91 : tensor<2x5xf32>) -> tensor<2x5xf32>
  %sum93 = linalg.reduce ins(%v90 : tensor<2x5x8xf32>) outs(%z92 : tensor<2x5xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w94 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e95 = tensor.empty() : tensor<2x5xf32>
  %v96 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum93, %w94 : tensor<2x5xf32>, tensor<f32>) outs(%e95 : tensor<2x5xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5xf32>
  %k97 = tensor.expand_shape %v96 [[0], [1, 2]] output_shape [2, 5, 1] : tensor<2x5xf32> into tensor<2x5x1xf32>
  %e98 = tensor.empty() : tensor<2x5x8xf32>
  %v99 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v90, %k97 : tensor<2x5x8xf32>, tensor<2x5x1xf32>) outs(%e98 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.subf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w100 = arith.constant dense<2.000000000e+00> : tensor<f32>
  %e101 = tensor.empty() : tensor<2x5x8xf32>
  %v102 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v99, %w100 : tensor<2x5x8xf32>, tensor<f32>) outs(%e101 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = math.powf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %e103 = tensor.empty() : tensor<2x5xf32>
  %z104 = linalg.fill ins(%cst1 : f32) outs(%e103 : tensor<2x5xf32>) -> tensor<2x5xf32>
  %sum105 = linalg.reduce ins(%v102 : tensor<2x5x8xf32>) outs(%z104 : tensor<2x5xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %w106 = arith.constant dense<8.000000000e+00> : tensor<f32>
  %e107 = tensor.empty() : tensor<2x5xf32>
  %v108 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%sum105, %w106 : tensor<2x5xf32>, tensor<f32>) outs(%e107 : tensor<2x5xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5xf32>
  %k109 = tensor.expand_shape %v108 [[0], [1, 2]] output_shape [2, 5, 1] : tensor<2x5xf32> into tensor<2x5x1xf32>
  %w110 = arith.constant dense<1.000000000e-05> : tensor<f32>
  %e111 = tensor.empty() : tensor<2x5x1xf32>
  %v112 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k109, %w110 : tensor<2x5x1xf32>, tensor<f32>) outs(%e111 : tensor<2x5x1xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x1xf32>
  %e113 = tensor.empty() : tensor<2x5x1xf32>
  %v114 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v112 : tensor<2x5x1xf32>) outs(%e113 : tensor<2x5x1xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %r = math.sqrt %in0 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x1xf32>
  %e115 = tensor.empty() : tensor<2x5x8xf32>
  %v116 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, 0)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v99, %v114 : tensor<2x5x8xf32>, tensor<2x5x1xf32>) outs(%e115 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.divf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w117 = arith.constant dense<[1.178530, 1.160848, 1.290286, 0.812902, 1.259881, 0.937840, 1.033086, 0.821508]> : tensor<8xf32>
  %e118 = tensor.empty() : tensor<2x5x8xf32>
  %v119 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v116, %w117 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e118 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.mulf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w120 = arith.constant dense<[-0.099395, -0.031266, 0.025398, -0.097712, 0.021306, -0.029567, -0.112365, 0.058787]> : tensor<8xf32>
  %e121 = tensor.empty() : tensor<2x5x8xf32>
  %v122 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v119, %w120 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e121 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w123 = arith.constant dense<[[-0.144655, -0.370943, -0.206890, -0.063056, 0.093767, -0.345212, 0.311125, -0.336867, 0.357167, -0.377241, -0.153716, -0.131421, 0.139142, -0.328547, -0.234075, 0.258853], [0.334701, -0.355137, -0.321171, -0.127750, -0.110746, 0.142558, 0.353663, 0.107764, -0.134306, -0.223053, -0.349176, -0.345810, 0.290224, 0.292016, -0.104376, -0.223412], [0.290265, -0.215784, -0.075858, 0.310397, -0.380338, -0.117208, -0.240639, -0.041840, 0.348059, 0.366712, 0.202707, 0.277885, -0.098667, 0.191214, 0.184027, 0.323421], [-0.108354, 0.279127, -0.248103, 0.067312, 0.358311, 0.195177, 0.205722, -0.255686, -0.102145, 0.048938, 0.244047, -0.209694, 0.031993, 0.196133, 0.150896, -0.195154], [-0.320676, -0.112076, -0.245216, 0.048982, 0.020900, -0.362389, 0.349122, 0.331732, -0.244993, -0.181815, 0.366253, -0.374849, -0.271857, -0.107459, 0.274791, -0.353958], [0.022786, 0.206056, 0.101470, -0.046579, 0.120569, 0.169329, -0.012823, -0.184535, 0.105539, 0.244542, -0.322188, 0.114259, -0.064773, -0.270495, -0.137772, -0.344575], [0.258511, 0.047668, -0.051621, 0.294061, 0.262574, -0.083259, -0.373401, 0.070011, -0.213775, 0.085076, -0.320498, 0.239199, 0.281619, -0.254685, 0.255142, -0.324672], [-0.285175, 0.050367, -0.209066, -0.085588, -0.104038, 0.208414, 0.220297, 0.307889, -0.209234, -0.191853, 0.265364, -0.078204, -0.308082, 0.003212, -0.209217, 0.106758]]> : tensor<8x16xf32>
  %e124 = tensor.empty() : tensor<2x5x16xf32>
  %z125 = linalg.fill ins(%cst1 : f32) outs(%e124 : tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  %mm126 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%v122, %w123 : tensor<2x5x8xf32>, tensor<8x16xf32>) outs(%z125 : tensor<2x5x16xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %w127 = arith.constant dense<[-0.038168, -0.135415, 0.100530, 0.156533, -0.139007, -0.114915, -0.000063, -0.134661, 0.184764, -0.025501, -0.170567, -0.120028, -0.112891, -0.099679, 0.043278, 0.151757]> : tensor<16xf32>
  %e128 = tensor.empty() : tensor<2x5x16xf32>
  %v129 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm126, %w127 : tensor<2x5x16xf32>, tensor<16xf32>) outs(%e128 : tensor<2x5x16xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %e130 = tensor.empty() : tensor<2x5x16xf32>
  %v131 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v129 : tensor<2x5x16xf32>) outs(%e130 : tensor<2x5x16xf32>) {
  ^bb0(%in0: f32, %out: f32):
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %in0, %z : f32
    linalg.yield %r : f32
  } -> tensor<2x5x16xf32>
  %w132 = arith.constant dense<[[-0.083071, 0.039790, 0.365628, -0.004590, -0.096190, 0.297206, 0.142428, -0.067038], [0.251812, -0.201836, -0.319752, -0.212818, -0.134161, 0.284448, -0.196926, -0.341374], [-0.312975, 0.240181, 0.001517, 0.360748, -0.132656, -0.285376, -0.254358, 0.201613], [0.003067, 0.274650, 0.358843, -0.010250, -0.327273, 0.279922, 0.305901, 0.059585], [0.025390, 0.225695, -0.113627, -0.383606, 0.365345, -0.025888, -0.128959, 0.306201], [0.324774, -0.048261, 0.193754, 0.399537, 0.013659, 0.005781, 0.351139, -0.293374], [0.162098, -0.236947, -0.140651, 0.225924, -0.338591, 0.332986, 0.174643, 0.341436], [0.277182, 0.075994, -0.078569, -0.322987, 0.329915, 0.222894, -0.144255, -0.168766], [0.372467, -0.136192, -0.262779, -0.215890, 0.166395, 0.248642, -0.185764, 0.143447], [0.079062, 0.133032, -0.269791, 0.224371, -0.317543, -0.315704, 0.081547, 0.322119], [0.151751, 0.283558, 0.284303, 0.135052, 0.339064, 0.376758, 0.269734, -0.282108], [-0.169788, -0.040701, 0.037203, -0.027558, 0.312652, 0.113647, 0.338139, 0.391367], [-0.365563, -0.170298, 0.387096, -0.317995, -0.095404, -0.261581, 0.132330, -0.033492], [0.294120, 0.373208, 0.307146, -0.151411, 0.111355, 0.395063, -0.062032, -0.050557], [0.392175, 0.056824, -0.390998, 0.047339, -0.295584, -0.370408, 0.302504, 0.203976], [-0.078243, 0.348178, -0.224573, -0.360531, -0.354247, -0.009324, -0.193909, 0.130837]]> : tensor<16x8xf32>
  %e133 = tensor.empty() : tensor<2x5x8xf32>
  %z134 = linalg.fill ins(%cst1 : f32) outs(%e133 : tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %mm135 = linalg.generic {indexing_maps = [affine_map<(a, b, c, k) -> (a, b, k)>, affine_map<(a, b, c, k) -> (k, c)>, affine_map<(a, b, c, k) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%v131, %w132 : tensor<2x5x16xf32>, tensor<16x8xf32>) outs(%z134 : tensor<2x5x8xf32>) {
  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):
    %p = arith.mulf %lhs, %rhs : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %w136 = arith.constant dense<[0.187847, -0.009492, 0.133413, -0.154134, 0.088982, -0.116253, 0.142547, 0.017481]> : tensor<8xf32>
  %e137 = tensor.empty() : tensor<2x5x8xf32>
  %v138 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mm135, %w136 : tensor<2x5x8xf32>, tensor<8xf32>) outs(%e137 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  %e139 = tensor.empty() : tensor<2x5x8xf32>
  %v140 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v138, %v90 : tensor<2x5x8xf32>, tensor<2x5x8xf32>) outs(%e139 : tensor<2x5x8xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %r = arith.addf %in0, %in1 : f32
    linalg.yield %r : f32
  } -> tensor<2x5x8xf32>
  return %v140 : tensor<2x5x8xf32>
}
