// attn-vectorize-cpu on the flash tiles: every linalg op becomes vector transfers and vector arithmetic, the contractions register-tiled.
// RUN: attn-opt %s --attn-tile-flash --canonicalize --attn-vectorize-cpu | FileCheck %s
// RUN: attn-opt %s --attn-tile-flash --canonicalize --attn-vectorize-cpu | FileCheck %s --check-prefix=NOLINALG

// Each contraction is register-tiled: 4 key rows x 64 query lanes per step
// of the head-dim loop, accumulated in a vector<4x64xf32> carried by the
// loop. The step is a vector.contract, or mul + vector.multi_reduction
// <add> over the unit reduction dim (the committed vectorizer's form while
// this test was written, when that lowering was being reworked).
// CHECK-LABEL: func.func @one_block(
// CHECK-SAME: %[[Q:[^:]+]]: tensor<1x2x64x64xf32>, %[[K:[^:]+]]: tensor<1x2x64x64xf32>, %[[V:[^:]+]]: tensor<1x2x64x32xf32>)
// CHECK: scf.forall
// Qᵀ, scaled, one row of 64 lanes at a time.
// CHECK: vector.transfer_read %[[Q]]
// CHECK: arith.mulf {{.*}} : vector<1x64xf32>
// Sᵀ = K·Qᵀ.
// CHECK: scf.for %{{.*}} = %c0 to %c64 step %c4 iter_args
// CHECK: %[[ACC:.*]] = vector.transfer_read {{.*}} : tensor<64x64xf32>, vector<4x64xf32>
// CHECK: scf.for {{.*}} iter_args({{.*}}, %{{.*}} = %[[ACC]]) -> (tensor<64x64xf32>, vector<4x64xf32>)
// CHECK: vector.transfer_read %[[K]]
// CHECK: {{vector.contract .* into vector<4x64xf32>|vector.multi_reduction <add>, .* \[2\] : .* to vector<4x64xf32>}}
// CHECK: vector.transfer_write {{.*}} : vector<4x64xf32>, tensor<64x64xf32>
// Row max over the keys, lane-wise over queries; then exp2.
// CHECK: vector.multi_reduction <maximumf>, {{.*}} [0] : vector<1x64xf32> to vector<64xf32>
// CHECK: math.exp2 {{.*}} : vector<64xf32>
// CHECK: math.exp2 {{.*}} : vector<1x64xf32>
// CHECK: vector.multi_reduction <add>, {{.*}} [0] : vector<1x64xf32> to vector<64xf32>
// 1/l for the running average, lane-wise, guarded against l = 0.
// CHECK: arith.cmpf une, {{.*}} : vector<64xf32>
// CHECK: arith.divf {{.*}} : vector<64xf32>
// CHECK: arith.select {{.*}} : vector<64xi1>, vector<64xf32>
// acc = carry·acc + (P/l)ᵀ·V, the same register tiling over 32 value lanes.
// CHECK: vector.transfer_read %[[V]]
// CHECK: {{vector.contract .* into vector<[0-9]+x32xf32>|vector.multi_reduction <add>, .* to vector<[0-9]+x32xf32>}}
// CHECK: tensor.parallel_insert_slice
// NOLINALG-LABEL: func.func @one_block(
// NOLINALG-NOT: linalg.
// NOLINALG-LABEL: func.func @causal_tail(
func.func @one_block(%q: tensor<1x2x64x64xf32>, %k: tensor<1x2x64x64xf32>, %v: tensor<1x2x64x32xf32>) -> tensor<1x2x64x32xf32> {
  %o = attn.sdpa %q, %k, %v : (tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x32xf32>) -> tensor<1x2x64x32xf32>
  return %o : tensor<1x2x64x32xf32>
}

// Causal with tails: the masked tiles vectorize too, the causal/bounds rule
// comparing vector.step lanes against the diagonal.
// CHECK-LABEL: func.func @causal_tail(
// CHECK: scf.forall
// CHECK: vector.step : vector<64xindex>
// CHECK: arith.cmpi sle, {{.*}} : vector<{{.*}}xindex>
// CHECK: arith.select {{.*}} : vector<{{.*}}xi1>, vector<{{.*}}xf32>
// NOLINALG-NOT: linalg.
func.func @causal_tail(%q: tensor<1x8x100x64xf32>, %k: tensor<1x2x100x64xf32>, %v: tensor<1x2x100x64xf32>) -> tensor<1x8x100x64xf32> {
  %o = attn.sdpa %q, %k, %v {causal} : (tensor<1x8x100x64xf32>, tensor<1x2x100x64xf32>, tensor<1x2x100x64xf32>) -> tensor<1x8x100x64xf32>
  return %o : tensor<1x8x100x64xf32>
}
