// attn-fuse-epilogues: a residual add of an attn.linear's result becomes the
// linear layer's residual operand.
// RUN: attn-opt %s --attn-fuse-epilogues --split-input-file | FileCheck %s

// A linalg.add, with the linear result on either side; the activation stays.
// CHECK-LABEL: func.func @add_either_side
// CHECK-SAME: (%[[X:.*]]: tensor<2x?x16xf32>, %[[W:.*]]: tensor<16x16xf32>, %[[B:.*]]: tensor<16xf32>)
// CHECK: %[[Y:.*]] = attn.linear %[[X]], %[[W]], %[[B]] residual(%[[X]]) {activation = #attn.activation<gelu>}
// CHECK: %[[Z:.*]] = attn.linear %[[Y]], %[[W]] residual(%[[Y]])
// CHECK-NOT: linalg.add
// CHECK: return %[[Z]]
func.func @add_either_side(%x: tensor<2x?x16xf32>, %w: tensor<16x16xf32>, %b: tensor<16xf32>) -> tensor<2x?x16xf32> {
  %c1 = arith.constant 1 : index
  %n = tensor.dim %x, %c1 : tensor<2x?x16xf32>
  %l = attn.linear %x, %w, %b {activation = #attn.activation<gelu>} : (tensor<2x?x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x?x16xf32>
  %e = tensor.empty(%n) : tensor<2x?x16xf32>
  %y = linalg.add ins(%l, %x : tensor<2x?x16xf32>, tensor<2x?x16xf32>) outs(%e : tensor<2x?x16xf32>) -> tensor<2x?x16xf32>
  %m = attn.linear %y, %w : (tensor<2x?x16xf32>, tensor<16x16xf32>) -> tensor<2x?x16xf32>
  %e2 = tensor.empty(%n) : tensor<2x?x16xf32>
  %z = linalg.add ins(%y, %m : tensor<2x?x16xf32>, tensor<2x?x16xf32>) outs(%e2 : tensor<2x?x16xf32>) -> tensor<2x?x16xf32>
  return %z : tensor<2x?x16xf32>
}

// -----

// A generic whose body adds its two inputs, as the model builder writes a
// residual connection; the add's more static type is kept with a cast.
#id = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @generic_add
// CHECK: %[[Y:.*]] = attn.linear %{{.*}}, %{{.*}}, %{{.*}} residual(%{{.*}}) : (tensor<?x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>) -> tensor<?x8xf32>
// CHECK: %[[C:.*]] = tensor.cast %[[Y]] : tensor<?x8xf32> to tensor<4x8xf32>
// CHECK: return %[[C]]
func.func @generic_add(%x: tensor<?x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>, %r: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %l = attn.linear %x, %w, %b : (tensor<?x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%r, %l : tensor<4x8xf32>, tensor<?x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %c, %a : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// Not folded: the linear result has a second user, the add subtracts, the
// body does more than add, a residual is already there.
#id = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @not_folded
// CHECK: %[[L0:.*]] = attn.linear %{{.*}}, %{{.*}} :
// CHECK: linalg.add ins(%[[L0]],
// CHECK: %[[L1:.*]] = attn.linear %{{.*}}, %{{.*}} :
// CHECK: linalg.sub ins(%[[L1]],
// CHECK: %[[L2:.*]] = attn.linear %{{.*}}, %{{.*}} :
// CHECK: linalg.generic {{.*}} ins(%[[L2]],
// CHECK: %[[L3:.*]] = attn.linear %{{.*}}, %{{.*}} residual(%{{.*}}) :
// CHECK: linalg.add ins(%[[L3]],
func.func @not_folded(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %l0 = attn.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %a0 = linalg.add ins(%l0, %x : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %l1 = attn.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %a1 = linalg.sub ins(%l1, %x : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %l2 = attn.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %a2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%l2, %x : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    %t = arith.mulf %s, %s : f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32>
  %l3 = attn.linear %x, %w residual(%x) : (tensor<4x8xf32>, tensor<8x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %a3 = linalg.add ins(%l3, %x : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %a0, %a1, %a2, %a3, %l0 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// The linear result is also read by a tensor.dim (the ONNX importer sizes
// each tensor.empty by the op before): not a use; the dim reads the
// input's size instead, and the add is folded.
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @dim_of_linear
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x8xf32>, %[[W:[^:]*]]: tensor<8x8xf32>)
// CHECK-DAG: %[[D0:.*]] = tensor.dim %[[X]], %c0
// CHECK-DAG: %[[D1:.*]] = tensor.dim %[[X]], %c1
// CHECK: %[[Y:.*]] = attn.linear %[[X]], %[[W]] residual(%[[X]])
// CHECK-NOT: linalg.generic
// CHECK: return %[[Y]], %[[D0]], %[[D1]]
func.func @dim_of_linear(%x: tensor<?x?x8xf32>, %w: tensor<8x8xf32>) -> (tensor<?x?x8xf32>, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %l = attn.linear %x, %w : (tensor<?x?x8xf32>, tensor<8x8xf32>) -> tensor<?x?x8xf32>
  %b = tensor.dim %l, %c0 : tensor<?x?x8xf32>
  %n = tensor.dim %l, %c1 : tensor<?x?x8xf32>
  %e = tensor.empty(%b, %n) : tensor<?x?x8xf32>
  %y = linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%l, %x : tensor<?x?x8xf32>, tensor<?x?x8xf32>) outs(%e : tensor<?x?x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x?x8xf32>
  return %y, %b, %n : tensor<?x?x8xf32>, index, index
}
