// What the importer emits for a BERT-style fragment with dynamic batch and
// sequence (frontend/onnx-import-design.md, the contract): the
// Shape -> Gather -> Unsqueeze -> Concat -> Reshape chain folds to an
// expand_shape of the dynamic sizes, MatMul with a 2-D weight is an
// unbatched contraction, Softmax / LayerNormalization are attn ops, IsNaN is
// `cmpf uno`, Pow 2 is a multiply, weights over 64 bytes are dense_resource.
// Then it runs at two sizes, and initializers come from external data.

// RUN: rm -rf %t && split-file %s %t && cd %t
// RUN: %onnx-encode < block.txtpb > block.onnx
// RUN: attnc block.onnx --emit=mlir | FileCheck %s

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<?x?x8xf32> {attnc.dim_names = ["batch", "sequence", ""]})
// CHECK-SAME: -> (tensor<?x2x?x4xf32>, tensor<?x?x1xf32>)
// CHECK-SAME: attnc.input_names = ["x"], attnc.output_names = ["p", "m"]
// CHECK: %[[W:.*]] = arith.constant dense_resource<w> : tensor<8x8xf32>
// CHECK: %[[MM:.*]] = linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[X]], %[[W]] :
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[BIAS:.*]] = arith.constant dense<[0.000000e+00, 1.000000e+00
// CHECK: %[[ADD:.*]] = linalg.generic {{.*}} ins(%[[MM]], %[[BIAS]] :
// CHECK: %[[D0:.*]] = tensor.dim %[[ADD]], %c0
// CHECK: %[[D1:.*]] = tensor.dim %[[ADD]], %c1
// CHECK: %[[R:.*]] = tensor.expand_shape %[[ADD]] {{\[\[}}0], [1], [2, 3]] output_shape [%[[D0]], %[[D1]], 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[R]] : tensor<?x?x2x4xf32>) outs(%{{.*}} : tensor<?x2x?x4xf32>) permutation = [0, 2, 1, 3]
// CHECK: %[[S:.*]] = attn.softmax %[[T]] axis(3) : tensor<?x2x?x4xf32>
// CHECK: linalg.generic {{.*}} ins(%[[S]] : tensor<?x2x?x4xf32>) outs(%{{.*}} : tensor<?x2x?x4xi1>)
// CHECK: arith.cmpf uno
// CHECK: arith.select
// CHECK: attn.layer_norm %[[X]], %{{.*}}, %{{.*}} {epsilon = 9.99{{[0-9]*}}E-13 : f64}
// CHECK: %[[SQ:.*]] = linalg.generic
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: arith.mulf %[[IN]], %[[IN]] : f32
// CHECK: math.erf
// CHECK: linalg.reduce
// CHECK-SAME: dimensions = [2]
// CHECK: arith.divf %{{.*}}, %cst
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2]] output_shape [%{{.*}}, %{{.*}}, 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
// CHECK-NOT: tensor.from_elements
// CHECK: dialect_resources

// The same model runs at two sizes.
// RUN: %onnx-encode-tensor < x2x3.txtpb > x2x3.pb
// RUN: %onnx-encode-tensor < x1x5.txtpb > x1x5.pb
// RUN: attn-run block.onnx --input x2x3.pb --output-dir out | FileCheck %s --check-prefix=RUN23
// RUN23: p: f32 [2, 2, 3, 4]
// RUN23: m: f32 [2, 3, 1]
// RUN: attn-run block.onnx --input x1x5.pb --output-dir out | FileCheck %s --check-prefix=RUN15
// RUN15: p: f32 [1, 2, 5, 4]

// External data: a 4x4 weight (the identity but for a 2 at [3][3]) in
// mm.onnx.data, at offset 16, read by a MatMul.
// RUN: %onnx-encode < mm.txtpb > mm.onnx
// RUN: printf 'sixteen bytes...' > mm.onnx.data
// RUN: printf '\000\000\200\077\000\000\000\000\000\000\000\000\000\000\000\000' >> mm.onnx.data
// RUN: printf '\000\000\000\000\000\000\200\077\000\000\000\000\000\000\000\000' >> mm.onnx.data
// RUN: printf '\000\000\000\000\000\000\000\000\000\000\200\077\000\000\000\000' >> mm.onnx.data
// RUN: printf '\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\100' >> mm.onnx.data
// RUN: attnc mm.onnx --emit=mlir | FileCheck %s --check-prefix=EXT
// EXT: arith.constant dense<{{\[\[}}1.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 1.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 2.000000e+00]]> : tensor<4x4xf32>
// EXT: linalg.matmul
// RUN: %onnx-encode-tensor < x1x4.txtpb > x1x4.pb
// RUN: attn-run mm.onnx --input x1x4.pb --output-dir out
// RUN: od -A n -t f4 -j 128 out/y.npy | FileCheck %s --check-prefix=EXTOUT
// EXTOUT: 1 2 3 8

// A causal mask built from the sequence length (GPT-2 exports): Shape ->
// Gather -> Range of the dynamic length, Unsqueeze, LessOrEqual, Where,
// added to a [1, L] row; L = 3 gives the lower triangle of ones plus x*x.
// RUN: %onnx-encode < causal.txtpb > causal.onnx
// RUN: attnc causal.onnx --emit=mlir | FileCheck %s --check-prefix=CAUSAL
// CAUSAL: func.func @main(%{{.*}}: tensor<1x?xf32> {attnc.dim_names = ["", "sequence"]}) -> tensor<?x?xf32>
// CAUSAL: tensor.empty(%{{.*}}) : tensor<?xi64>
// CAUSAL: linalg.index 0
// CAUSAL: arith.cmpi sle
// RUN: %onnx-encode-tensor < x1x3.txtpb > x1x3.pb
// RUN: attn-run causal.onnx --input x1x3.pb --output-dir out
// RUN: od -A n -t f4 -j 128 -v out/y.npy | tr -s ' \n' ' ' | FileCheck %s --check-prefix=CAUSALOUT
// CAUSALOUT: 101 400 900 101 401 900 101 401 901

//--- causal.txtpb
ir_version: 8
opset_import { domain: "" version: 17 }
graph {
  name: "causal"
  node { input: "x" output: "s" op_type: "Shape" name: "shape" }
  node { input: "s" input: "one" output: "len" op_type: "Gather" name: "len" }
  node { input: "zero" input: "len" input: "one" output: "r" op_type: "Range" name: "range" }
  node { input: "r" input: "ax1" output: "ri" op_type: "Unsqueeze" name: "rows" }
  node { input: "r" input: "ax0" output: "rj" op_type: "Unsqueeze" name: "cols" }
  node { input: "rj" input: "ri" output: "m" op_type: "LessOrEqual" name: "causal" }
  node { input: "m" input: "onef" input: "zerof" output: "w" op_type: "Where" name: "where" }
  node { input: "x" input: "x" output: "xx" op_type: "Mul" name: "mul" }
  node { input: "w" input: "xx" output: "y" op_type: "Add" name: "add" }
  initializer { name: "zero" data_type: 7 int64_data: 0 }
  initializer { name: "one" data_type: 7 int64_data: 1 }
  initializer { name: "ax0" dims: 1 data_type: 7 int64_data: 0 }
  initializer { name: "ax1" dims: 1 data_type: 7 int64_data: 1 }
  initializer { name: "onef" data_type: 1 float_data: 1 }
  initializer { name: "zerof" data_type: 1 float_data: 0 }
  input { name: "x" type { tensor_type { elem_type: 1 shape { dim { dim_value: 1 } dim { dim_param: "sequence" } } } } }
  output { name: "y" type { tensor_type { elem_type: 1 } } }
}
//--- x1x3.txtpb
dims: 1 dims: 3 data_type: 1 float_data: 10 float_data: 20 float_data: 30
//--- block.txtpb
ir_version: 8
opset_import { domain: "" version: 17 }
graph {
  name: "block"
  node { input: "x" output: "shape" op_type: "Shape" name: "shape" }
  node { input: "shape" input: "zero" output: "b" op_type: "Gather" name: "gather_b" attribute { name: "axis" i: 0 type: INT } }
  node { input: "shape" input: "one" output: "l" op_type: "Gather" name: "gather_l" attribute { name: "axis" i: 0 type: INT } }
  node { input: "b" input: "axes0" output: "b1" op_type: "Unsqueeze" name: "unsq_b" }
  node { input: "l" input: "axes0" output: "l1" op_type: "Unsqueeze" name: "unsq_l" }
  node { input: "b1" input: "l1" input: "heads" output: "newshape" op_type: "Concat" name: "concat" attribute { name: "axis" i: 0 type: INT } }
  node { input: "x" input: "w" output: "xw" op_type: "MatMul" name: "matmul" }
  node { input: "xw" input: "bias" output: "xwb" op_type: "Add" name: "add" }
  node { input: "xwb" input: "newshape" output: "r" op_type: "Reshape" name: "reshape" }
  node { input: "r" output: "t" op_type: "Transpose" name: "transpose" attribute { name: "perm" ints: 0 ints: 2 ints: 1 ints: 3 type: INTS } }
  node { input: "t" output: "s" op_type: "Softmax" name: "softmax" attribute { name: "axis" i: -1 type: INT } }
  node { input: "s" output: "nan" op_type: "IsNaN" name: "isnan" }
  node { input: "nan" input: "zerof" input: "s" output: "p" op_type: "Where" name: "where" }
  node { input: "x" input: "gamma" input: "beta" output: "ln" op_type: "LayerNormalization" name: "ln" attribute { name: "epsilon" f: 1e-12 type: FLOAT } }
  node { input: "ln" input: "two" output: "sq" op_type: "Pow" name: "pow" }
  node { input: "sq" output: "er" op_type: "Erf" name: "erf" }
  node { input: "er" output: "m" op_type: "ReduceMean" name: "mean" attribute { name: "axes" ints: -1 type: INTS } }
  initializer { name: "zero" data_type: 7 int64_data: 0 }
  initializer { name: "one" data_type: 7 int64_data: 1 }
  initializer { name: "axes0" dims: 1 data_type: 7 int64_data: 0 }
  initializer { name: "heads" dims: 2 data_type: 7 int64_data: 2 int64_data: 4 }
  initializer { name: "two" data_type: 1 float_data: 2 }
  initializer { name: "zerof" data_type: 1 float_data: 0 }
  initializer { name: "w" dims: 8 dims: 8 data_type: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 }
  initializer { name: "bias" dims: 8 data_type: 1 float_data: 0 float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 5 float_data: 6 float_data: 7 }
  initializer { name: "gamma" dims: 8 data_type: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 float_data: 1 }
  initializer { name: "beta" dims: 8 data_type: 1 float_data: 0 float_data: 0 float_data: 0 float_data: 0 float_data: 0 float_data: 0 float_data: 0 float_data: 0 }
  input { name: "x" type { tensor_type { elem_type: 1 shape { dim { dim_param: "batch" } dim { dim_param: "sequence" } dim { dim_value: 8 } } } } }
  output { name: "p" type { tensor_type { elem_type: 1 } } }
  output { name: "m" type { tensor_type { elem_type: 1 } } }
}
//--- x2x3.txtpb
dims: 2 dims: 3 dims: 8 data_type: 1
float_data: 0 float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 5 float_data: 6 float_data: 0 float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 5 float_data: 6 float_data: 0 float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 5 float_data: 6 float_data: 0 float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 5 float_data: 6 float_data: 0 float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 5 float_data: 6 float_data: 0 float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 5 float_data: 6 float_data: 0 float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 5
//--- x1x5.txtpb
dims: 1 dims: 5 dims: 8 data_type: 1
float_data: 0 float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 0 float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 0 float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 0 float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 0 float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 0 float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 0 float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 0 float_data: 1 float_data: 2 float_data: 3 float_data: 4
//--- x1x4.txtpb
dims: 1 dims: 4 data_type: 1
float_data: 1 float_data: 2 float_data: 3 float_data: 4
//--- mm.txtpb
ir_version: 8
opset_import { domain: "" version: 17 }
graph {
  name: "g"
  node { input: "x" input: "w" output: "y" op_type: "MatMul" name: "mm" }
  initializer {
    name: "w" dims: 4 dims: 4 data_type: 1 data_location: EXTERNAL
    external_data { key: "location" value: "mm.onnx.data" }
    external_data { key: "offset" value: "16" }
    external_data { key: "length" value: "64" }
  }
  input { name: "x" type { tensor_type { elem_type: 1 shape { dim { dim_value: 1 } dim { dim_value: 4 } } } } }
  output { name: "y" type { tensor_type { elem_type: 1 } } }
}
