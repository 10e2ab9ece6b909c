// attn-gpu-tile-loops: host scf.parallel loops into tiles of GPU threads.
// RUN: attn-opt %s --pass-pipeline="builtin.module(func.func(attn-gpu-tile-loops))" | FileCheck %s
// RUN: attn-opt %s --pass-pipeline="builtin.module(func.func(attn-gpu-tile-loops{threads=256},gpu-map-parallel-loops,convert-parallel-loops-to-gpu))" | FileCheck %s --check-prefix=GPU

// A 3-D loop is collapsed to one dimension of 2·n·64 iterations, tiled by
// 128: an outer loop over tiles and an inner loop over a tile's threads,
// guarded against the partial last tile; the indices are recovered with
// div/rem.
// CHECK-LABEL: func.func @elementwise(
// CHECK: %[[N:.*]] = memref.dim
// CHECK: %[[TOTAL:.*]] = arith.muli %{{.*}}, %c64
// CHECK: %[[STEP:.*]] = arith.muli %{{.*}}, %c128
// CHECK: scf.parallel (%[[T:.*]]) = (%{{.*}}) to (%[[TOTAL]]) step (%[[STEP]]) {
// CHECK: scf.parallel (%[[L:.*]]) = (%{{.*}}) to (%[[STEP]]) step
// CHECK: arith.cmpi ult, %{{.*}}, %[[TOTAL]]
// CHECK: scf.if
// CHECK: arith.remsi %{{.*}}, %c64
// CHECK: arith.remsi %{{.*}}, %[[N]]
// CHECK: memref.load
// The grid runs over tiles, the threads over a tile.
// GPU-LABEL: func.func @elementwise(
// GPU: %[[STEP:.*]] = arith.muli %{{.*}}, %c256
// GPU: %[[TILES:.*]] = affine.apply #{{.*}}(%{{.*}})[%{{.*}}, %[[STEP]]]
// GPU: %[[THREADS:.*]] = affine.apply #{{.*}}(%[[STEP]])
// GPU: gpu.launch blocks({{.*}}) in (%{{.*}} = %[[TILES]], %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}) threads({{.*}}) in (%{{.*}} = %[[THREADS]], %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}})
func.func @elementwise(%a: memref<2x?x64xf32>, %b: memref<2x?x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c64 = arith.constant 64 : index
  %n = memref.dim %a, %c1 : memref<2x?x64xf32>
  scf.parallel (%i, %j, %k) = (%c0, %c0, %c0) to (%c2, %n, %c64) step (%c1, %c1, %c1) {
    %x = memref.load %a[%i, %j, %k] : memref<2x?x64xf32>
    memref.store %x, %b[%i, %j, %k] : memref<2x?x64xf32>
    scf.reduce
  }
  return
}

// A short static loop gets a tile no larger than itself.
// CHECK-LABEL: func.func @short(
// CHECK: %[[STEP:.*]] = arith.muli %{{.*}}, %c16
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%c16) step (%[[STEP]])
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%[[STEP]]) step
func.func @short(%a: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %cst = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c16) step (%c1) {
    memref.store %cst, %a[%i] : memref<16xf32>
    scf.reduce
  }
  return
}
