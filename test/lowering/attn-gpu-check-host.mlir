// attn-gpu-check-host: launches whose grid may be empty are skipped.
// RUN: attn-opt %s --pass-pipeline="builtin.module(func.func(attn-gpu-check-host))" | FileCheck %s

// A grid with a run-time size runs only when every such size is positive.
// CHECK-LABEL: func.func @dynamic_grid(
// CHECK-SAME: %[[N:[^:]*]]: index
// CHECK: %[[POS:.*]] = arith.cmpi sgt, %[[N]], %c0
// CHECK: scf.if %[[POS]] {
// CHECK-NEXT: gpu.launch
// CHECK: gpu.terminator
// CHECK-NEXT: }
// CHECK-NEXT: }
func.func @dynamic_grid(%n: index, %buf: memref<?xf32>) {
  %c1 = arith.constant 1 : index
  %cst = arith.constant 0.0 : f32
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %n, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    memref.store %cst, %buf[%bx] : memref<?xf32>
    gpu.terminator
  }
  return
}

// Constant grids need no guard; gpu ops on the host are fine.
// CHECK-LABEL: func.func @static_grid(
// CHECK-NOT: scf.if
// CHECK: gpu.alloc
// CHECK: gpu.launch
func.func @static_grid() {
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 0.0 : f32
  %buf = gpu.alloc () : memref<4xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c4, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    memref.store %cst, %buf[%bx] : memref<4xf32>
    gpu.terminator
  }
  gpu.dealloc %buf : memref<4xf32>
  return
}
