// attn-tile-flash: the loop structure of the flash rewrite (forall over blocks, online-softmax key loop, band skipping, padded tails, GQA, weights, hard).
// Explicit 64x64 blocks keep the checked shapes independent of the
// block-size heuristic.
// RUN: attn-opt %s --attn-tile-flash="query-block=64 key-block=64" | FileCheck %s
// RUN: attn-opt %s --attn-tile-flash="query-block=64 key-block=64" | FileCheck %s --check-prefix=NOSCORES
// RUN: attn-opt %s --attn-tile-flash | FileCheck %s --check-prefix=OUTLINE

// Causal GQA 8/2 with Lq = 96 (a padded query tail), Lk = 200 (three full
// key blocks and a tail of 8) and Dv != D.
// CHECK-LABEL: func.func @causal_gqa(
// CHECK-SAME: %[[Q:[^:]+]]: tensor<1x8x96x64xf32>, %[[K:[^:]+]]: tensor<1x2x200x64xf32>, %[[V:[^:]+]]: tensor<1x2x200x32xf32>)
// CHECK: %[[LK:.*]] = tensor.dim %[[K]], %{{.*}} : tensor<1x2x200x64xf32>
// One parallel iteration per (batch, head, query block).
// CHECK: scf.forall (%[[B:[^,]+]], %[[H:[^,]+]], %[[QB:[^)]+]]) in (%{{.*}}, 8, %{{.*}}) shared_outs(%{{.*}}) -> (tensor<1x8x96x32xf32>)
// The KV head is read in place: h / (Hq / Hkv).
// CHECK: %[[KVH:.*]] = arith.divui %[[H]], %c4 : index
// The query tile, zero-padded to the block.
// CHECK: tensor.extract_slice %[[Q]][%[[B]], %[[H]], %{{.*}}, 0] [1, 1, %{{.*}}, 64]
// CHECK: tensor.pad
// CHECK: } : tensor<?x64xf32> to tensor<64x64xf32>
// The key loop carries (max, sum, acc).
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[M:[^ ]+]] = %{{.*}}, %[[L:[^ ]+]] = %{{.*}}, %[[ACC:[^ ]+]] = %{{.*}}) -> (tensor<64xf32>, tensor<64xf32>, tensor<64x32xf32>)
// CHECK: tensor.extract_slice %[[K]][%[[B]], %[[KVH]], %{{.*}}, 0] [1, 1, 64, 64]
// CHECK: tensor.extract_slice %[[V]][%[[B]], %[[KVH]], %{{.*}}, 0] [1, 1, 64, 32]
// A block entirely below the diagonal takes the unmasked branch: no index
// arithmetic before the else.
// CHECK: %[[INSIDE:.*]] = arith.cmpi sle
// CHECK: scf.if %{{.*}} -> (tensor<64xf32>, tensor<64xf32>, tensor<64x32xf32>) {
// CHECK-NOT: linalg.index
// CHECK: arith.maximumf
// CHECK-NOT: linalg.index
// CHECK: math.exp2
// CHECK-NOT: linalg.index
// CHECK: } else {
// CHECK: linalg.index 0
// CHECK: linalg.index 1
// CHECK: arith.cmpi slt, %{{.*}}, %[[LK]] : index
// CHECK: arith.cmpi sle
// CHECK: arith.select
// CHECK: math.exp2
// The partial last key block: sliced, zero-padded, bounds-masked.
// CHECK: scf.if %{{.*}} -> (tensor<64xf32>, tensor<64xf32>, tensor<64x32xf32>) {
// CHECK: tensor.extract_slice %[[K]][%[[B]], %[[KVH]], %{{.*}}, 0] [1, 1, %{{.*}}, 64] {{.*}} to tensor<?x64xf32>
// CHECK: tensor.pad
// CHECK: } : tensor<?x64xf32> to tensor<64x64xf32>
// CHECK: tensor.extract_slice %[[V]][%[[B]], %[[KVH]], %{{.*}}, 0] [1, 1, %{{.*}}, 32] {{.*}} to tensor<?x32xf32>
// CHECK: tensor.pad
// CHECK: } : tensor<?x32xf32> to tensor<64x32xf32>
// CHECK: linalg.index 0
// CHECK: arith.cmpi slt, %{{.*}}, %[[LK]] : index
// CHECK: math.exp2
// The accumulator stays a weighted average: each step divides by the new
// sum, guarded against l = 0 (a NaN l stays NaN).
// CHECK: arith.cmpf une
// CHECK: arith.divf
// CHECK: } else {
// The block's rows go out as they are.
// CHECK: scf.forall.in_parallel
// CHECK-NEXT: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%[[B]], %[[H]], %{{.*}}, 0] [1, 1, %{{.*}}, 32]
// No Lq x Lk tensor anywhere without the weights.
// NOSCORES-LABEL: func.func @causal_gqa(
// NOSCORES-NOT: 96x200
// NOSCORES-NOT: 200x96
// NOSCORES-LABEL: func.func @window_mask(
func.func @causal_gqa(%q: tensor<1x8x96x64xf32>, %k: tensor<1x2x200x64xf32>, %v: tensor<1x2x200x32xf32>) -> tensor<1x8x96x32xf32> {
  %o = attn.sdpa %q, %k, %v {causal} : (tensor<1x8x96x64xf32>, tensor<1x2x200x64xf32>, tensor<1x2x200x32xf32>) -> tensor<1x8x96x32xf32>
  return %o : tensor<1x8x96x32xf32>
}

// A two-sided window with dynamic lengths and a rank-1 [Lk] mask: the loop
// starts at the window's first block, both band edges pick the branch, and
// the mask tile keeps its key extent ([1, ?] padded to [1, 64]).
// CHECK-LABEL: func.func @window_mask(
// CHECK-SAME: %[[M:[^:]+]]: tensor<?xi1>)
// CHECK: scf.forall ({{.*}}) in (%{{.*}}, 4, %{{.*}})
// CHECK: %[[LO:.*]] = arith.maxsi %{{.*}}, %c0{{.*}} : index
// CHECK: %[[KBLO:.*]] = arith.divsi %[[LO]], %c64{{.*}} : index
// CHECK: scf.for %{{.*}} = %[[KBLO]] to %{{.*}} iter_args({{.*}}) -> (tensor<64xf32>, tensor<64xf32>, tensor<64x64xf32>)
// CHECK: arith.cmpi sle
// CHECK: arith.cmpi sge
// CHECK: scf.if
// CHECK: tensor.extract_slice %[[M]][%{{.*}}] [%{{.*}}] [1] : tensor<?xi1> to tensor<?xi1>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [1, %{{.*}}] : tensor<?xi1> into tensor<1x?xi1>
// CHECK: tensor.pad
// CHECK: } : tensor<1x?xi1> to tensor<1x64xi1>
// CHECK: arith.select
// CHECK: } else {
// CHECK: arith.cmpi sle
// CHECK: arith.cmpi sge
// NOSCORES-NOT: tensor<?x?xf32>
// NOSCORES-LABEL: func.func @weights(
func.func @window_mask(%q: tensor<2x4x?x64xf32>, %k: tensor<2x4x?x64xf32>, %v: tensor<2x4x?x64xf32>, %m: tensor<?xi1>) -> tensor<2x4x?x64xf32> {
  %o = attn.sdpa %q, %k, %v mask(%m) {window = array<i64: 16, 8>} : (tensor<2x4x?x64xf32>, tensor<2x4x?x64xf32>, tensor<2x4x?x64xf32>, tensor<?xi1>) -> tensor<2x4x?x64xf32>
  return %o : tensor<2x4x?x64xf32>
}

// The weights: a second key loop after the softmax loop, writing
// exp2(s - m) / l into a [rows, Lk] band that goes out beside the output.
// The caller passes the output and the zero-filled weights to the flash
// function, which writes them.
// CHECK-LABEL: func.func @weights(
// CHECK: %[[O0:.*]] = tensor.empty() : tensor<1x2x40x32xf32>
// CHECK: %[[W0:.*]] = linalg.fill {{.*}} -> tensor<1x2x40x40xf32>
// CHECK: %{{.*}}:2 = call @[[FN:.*]](%{{.*}}, %{{.*}}, %{{.*}}, %[[O0]], %[[W0]])
// CHECK: func.func private @[[FN]](%{{[^:]*}}: tensor<1x2x40x32xf32>, %{{[^:]*}}: tensor<1x2x40x32xf32>, %{{[^:]*}}: tensor<1x2x40x32xf32>, %[[OUT:[^:]*]]: tensor<1x2x40x32xf32>, %[[WARG:[^:]*]]: tensor<1x2x40x40xf32>)
// CHECK: scf.forall ({{.*}}) in ({{.*}}) shared_outs(%{{.*}} = %[[OUT]], %{{.*}} = %[[WARG]]) -> (tensor<1x2x40x32xf32>, tensor<1x2x40x40xf32>)
// CHECK: scf.for {{.*}} -> (tensor<64xf32>, tensor<64xf32>, tensor<64x32xf32>)
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<?x?xf32>)
// CHECK: math.exp2
// CHECK: arith.divf
// CHECK: tensor.insert_slice
// CHECK: scf.forall.in_parallel
// CHECK-NEXT: tensor.parallel_insert_slice {{.*}} : tensor<?x32xf32> into tensor<1x2x40x32xf32>
// CHECK-NEXT: tensor.parallel_insert_slice {{.*}} : tensor<?x?xf32> into tensor<1x2x40x40xf32>
func.func @weights(%q: tensor<1x2x40x32xf32>, %k: tensor<1x2x40x32xf32>, %v: tensor<1x2x40x32xf32>) -> (tensor<1x2x40x32xf32>, tensor<1x2x40x40xf32>) {
  %o, %w = attn.sdpa %q, %k, %v : (tensor<1x2x40x32xf32>, tensor<1x2x40x32xf32>, tensor<1x2x40x32xf32>) -> (tensor<1x2x40x32xf32>, tensor<1x2x40x40xf32>)
  return %o, %w : tensor<1x2x40x32xf32>, tensor<1x2x40x40xf32>
}

// attn.hard: a running (max, argmax) in place of the softmax state, ties to
// the lowest key, then a gather of the chosen value rows (-1: none, 0).
// CHECK-LABEL: func.func @hard(
// CHECK-SAME: %[[V:[^:]+]]: tensor<1x2x40x32xf32>) -> tensor<1x2x40x32xf32>
// CHECK-NOT: math.exp2
// CHECK: linalg.fill ins(%c-1_i64 : i64) outs(%{{.*}} : tensor<64xi64>)
// CHECK: scf.for {{.*}} -> (tensor<64xf32>, tensor<64xi64>)
// CHECK: %[[J:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK: %[[GT:.*]] = arith.cmpf ogt
// CHECK: %[[EQ:.*]] = arith.cmpf oeq
// CHECK: %[[EARLIER:.*]] = arith.cmpi slt, %[[J]], %{{.*}} : i64
// CHECK: arith.select %{{.*}}, %[[J]], %{{.*}} : i64
// CHECK: arith.cmpi sge, %{{.*}}, %c0_i64 : i64
// CHECK: tensor.extract %[[V]]
// CHECK-NOT: math.exp2
// CHECK: return
func.func @hard(%q: tensor<1x2x40x32xf32>, %k: tensor<1x2x40x32xf32>, %v: tensor<1x2x40x32xf32>) -> tensor<1x2x40x32xf32> {
  %o = attn.hard %q, %k, %v : (tensor<1x2x40x32xf32>, tensor<1x2x40x32xf32>, tensor<1x2x40x32xf32>) -> tensor<1x2x40x32xf32>
  return %o : tensor<1x2x40x32xf32>
}

// Each loop nest is a private function after its user, built once for
// identical attention ops. A dynamic key length without block options
// gets one function per range of lengths, picked at run time: 32×64 blocks
// up to 256 keys, 64×256 beyond.
// OUTLINE-LABEL: func.func @twice(
// OUTLINE-SAME: %[[Q:[^:]+]]: tensor<1x2x?x32xf32>, %[[K:[^:]+]]: tensor<1x2x?x32xf32>
// OUTLINE: %[[LK:.*]] = tensor.dim %[[K]], %c2
// OUTLINE: %[[SHORT:.*]] = arith.cmpi sle, %[[LK]], %c256
// OUTLINE: scf.if %[[SHORT]]
// OUTLINE: call @[[F0:__attnc_flash[_0-9]*]](
// OUTLINE: } else {
// OUTLINE: call @[[F1:__attnc_flash[_0-9]*]](
// OUTLINE: scf.if
// OUTLINE: call @[[F0]](
// OUTLINE: call @[[F1]](
// OUTLINE: return
// OUTLINE: func.func private @[[F0]](
// OUTLINE: arith.constant 32 : index
// OUTLINE: scf.forall
// OUTLINE: tensor<64x32xf32>
// OUTLINE: func.func private @[[F1]](
// OUTLINE: scf.forall
// OUTLINE: tensor<256x32xf32>
// OUTLINE-NOT: func.func
func.func @twice(%q: tensor<1x2x?x32xf32>, %k: tensor<1x2x?x32xf32>) -> (tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>) {
  %a = attn.sdpa %q, %k, %k : (tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>) -> tensor<1x2x?x32xf32>
  %b = attn.sdpa %a, %k, %k : (tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>) -> tensor<1x2x?x32xf32>
  return %a, %b : tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>
}
