// attn-gpu-extern-shared: dynamic shared memory keeps external linkage.
// RUN: attn-opt %s --pass-pipeline="builtin.module(gpu.module(attn-gpu-extern-shared))" | FileCheck %s

// The zero-sized shared array becomes external; a sized shared array and a
// zero-sized global array elsewhere keep their linkage.
// CHECK-LABEL: gpu.module @kernels
// CHECK: llvm.mlir.global external @__dynamic_shmem__0() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<0 x i8>
// CHECK: llvm.mlir.global internal @tile() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<64 x f32>
// CHECK: llvm.mlir.global internal @empty() {addr_space = 1 : i32} : !llvm.array<0 x i8>
module attributes {gpu.container_module} {
  gpu.module @kernels {
    llvm.mlir.global internal @__dynamic_shmem__0() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<0 x i8>
    llvm.mlir.global internal @tile() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<64 x f32>
    llvm.mlir.global internal @empty() {addr_space = 1 : i32} : !llvm.array<0 x i8>
  }
}
