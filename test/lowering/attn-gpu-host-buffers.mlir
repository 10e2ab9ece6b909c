// attn-gpu-host-buffers: every buffer of a host function in device memory.
// RUN: attn-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(attn-gpu-host-buffers))" | FileCheck %s

// An intermediate allocation is freed after its last use, here a kernel
// that reads it; the returned one is not freed (the caller owns it).
// CHECK-LABEL: func.func @intermediate(
// CHECK: %[[TMP:.*]] = gpu.alloc (%{{.*}}) : memref<?x8xf32>
// CHECK: %[[OUT:.*]] = gpu.alloc (%{{.*}}) : memref<?x8xf32>
// CHECK-NOT: memref.alloc
// CHECK: gpu.launch
// CHECK: memref.load %[[TMP]]
// CHECK: gpu.terminator
// CHECK-NEXT: }
// CHECK-NEXT: gpu.dealloc %[[TMP]] : memref<?x8xf32>
// CHECK-NOT: gpu.dealloc %[[OUT]]
// CHECK: return %[[OUT]]
func.func @intermediate(%n: index) -> memref<?x8xf32> {
  %c1 = arith.constant 1 : index
  %c0 = arith.constant 0 : index
  %tmp = memref.alloc(%n) : memref<?x8xf32>
  %out = memref.alloc(%n) : memref<?x8xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = memref.load %tmp[%tx, %c0] : memref<?x8xf32>
    memref.store %v, %out[%tx, %c0] : memref<?x8xf32>
    gpu.terminator
  }
  return %out : memref<?x8xf32>
}

// -----

// A view keeps its buffer alive: the free follows the view's last use.
// CHECK-LABEL: func.func @view(
// CHECK: %[[BUF:.*]] = gpu.alloc () : memref<4x8xf32>
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[BUF]]
// CHECK: linalg.fill {{.*}} outs(%[[FLAT]] : memref<32xf32>)
// CHECK-NEXT: gpu.dealloc %[[BUF]]
func.func @view(%x: f32) {
  %buf = memref.alloc() : memref<4x8xf32>
  %flat = memref.collapse_shape %buf [[0, 1]] : memref<4x8xf32> into memref<32xf32>
  linalg.fill ins(%x : f32) outs(%flat : memref<32xf32>)
  return
}

// -----

// Results the function does not own are copied into fresh allocations: an
// argument, a constant, and a buffer returned twice.
// CHECK-LABEL: func.func @not_owned(
// CHECK-SAME: %[[ARG:.*]]: memref<?x4xf16>
// CHECK: %[[HOST:.*]] = memref.get_global @table : memref<2x4xf16>
// CHECK: %[[CONST:.*]] = gpu.alloc () : memref<2x4xf16>
// CHECK: gpu.memcpy %[[CONST]], %[[HOST]] : memref<2x4xf16>, memref<2x4xf16>
// CHECK: %[[BUF:.*]] = gpu.alloc () : memref<3xf16>
// CHECK: %[[D:.*]] = memref.dim %[[ARG]], %c0
// CHECK: %[[ARGCOPY:.*]] = gpu.alloc (%[[D]]) : memref<?x4xf16>
// CHECK: gpu.memcpy %[[ARGCOPY]], %[[ARG]]
// CHECK: %[[BUFCOPY:.*]] = gpu.alloc () : memref<3xf16>
// CHECK: gpu.memcpy %[[BUFCOPY]], %[[BUF]]
// The constant's device copy is returned as is; it is not freed.
// CHECK-NOT: gpu.dealloc
// CHECK: return %[[ARGCOPY]], %[[CONST]], %[[BUF]], %[[BUFCOPY]]
memref.global "private" constant @table : memref<2x4xf16> = dense<1.0>
func.func @not_owned(%arg: memref<?x4xf16>) -> (memref<?x4xf16>, memref<2x4xf16>, memref<3xf16>, memref<3xf16>) {
  %t = memref.get_global @table : memref<2x4xf16>
  %buf = memref.alloc() : memref<3xf16>
  return %arg, %t, %buf, %buf : memref<?x4xf16>, memref<2x4xf16>, memref<3xf16>, memref<3xf16>
}

// -----

// Copies between contiguous buffers are gpu.memcpy; a strided one becomes a
// linalg.copy, which the loop passes turn into a kernel.
// CHECK-LABEL: func.func @copies(
// CHECK: gpu.memcpy %arg1, %arg0 : memref<4x8xf32>, memref<4x8xf32>
// CHECK: %[[SUB:.*]] = memref.subview
// CHECK: linalg.copy ins(%[[SUB]] : memref<2x8xf32, strided<[8, 1], offset: 8>>) outs(%arg2 : memref<2x8xf32>)
// CHECK-NOT: memref.copy
func.func @copies(%a: memref<4x8xf32>, %b: memref<4x8xf32>, %c: memref<2x8xf32>) {
  memref.copy %a, %b : memref<4x8xf32> to memref<4x8xf32>
  %s = memref.subview %a[1, 0] [2, 8] [1, 1] : memref<4x8xf32> to memref<2x8xf32, strided<[8, 1], offset: 8>>
  memref.copy %s, %c : memref<2x8xf32, strided<[8, 1], offset: 8>> to memref<2x8xf32>
  return
}
