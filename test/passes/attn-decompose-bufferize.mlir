// What attn-decompose produces for ops without attention is plain tensor,
// linalg, arith and math: one-shot bufferization and loop lowering take it
// as is.
// RUN: attn-opt %s --attn-decompose --one-shot-bufferize=bufferize-function-boundaries --convert-linalg-to-loops | FileCheck %s

// CHECK-LABEL: func.func @blocks
// CHECK-SAME: memref<?x?x16xf32
// CHECK-NOT: tensor.
// CHECK-NOT: linalg.
// CHECK-NOT: attn.
// CHECK: scf.for
// CHECK: return
func.func @blocks(%x: tensor<?x?x16xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>, %w1: tensor<32x16xf32>, %b1: tensor<32xf32>, %w2: tensor<16x32xf32>, %ids: tensor<2x?xi64>, %table: tensor<50x16xf32>, %pos: tensor<64x16xf32>) -> (tensor<?x?x16xf32>, tensor<?x?x16xf32>, tensor<?x?x32xf32>, tensor<?x?x16xf32>, tensor<?x?x16xf32>, tensor<2x?x16xf32>, tensor<?x?x16xf32>, tensor<?x?x16xf32>) {
  %n = attn.layer_norm %x, %g, %b : (tensor<?x?x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<?x?x16xf32>
  %f = attn.ffn %x, %w1, %b1, %w2, %b {activation = #attn.activation<gelu>} : (tensor<?x?x16xf32>, tensor<32x16xf32>, tensor<32xf32>, tensor<16x32xf32>, tensor<16xf32>) -> tensor<?x?x16xf32>
  %l = attn.linear %x, %w1 : (tensor<?x?x16xf32>, tensor<32x16xf32>) -> tensor<?x?x32xf32>
  %s = attn.softmax %x axis(1) : tensor<?x?x16xf32>
  %ls = attn.log_softmax %x axis(2) : tensor<?x?x16xf32>
  %e = attn.embedding %ids, %table {scale = 4.0 : f64} : (tensor<2x?xi64>, tensor<50x16xf32>) -> tensor<2x?x16xf32>
  %p = attn.positional_encoding %x {kind = #attn.positional<sinusoidal>} : (tensor<?x?x16xf32>) -> tensor<?x?x16xf32>
  %p2 = attn.positional_encoding %x, %pos {kind = #attn.positional<learned>} : (tensor<?x?x16xf32>, tensor<64x16xf32>) -> tensor<?x?x16xf32>
  return %n, %f, %l, %s, %ls, %e, %p, %p2 : tensor<?x?x16xf32>, tensor<?x?x16xf32>, tensor<?x?x32xf32>, tensor<?x?x16xf32>, tensor<?x?x16xf32>, tensor<2x?x16xf32>, tensor<?x?x16xf32>, tensor<?x?x16xf32>
}

// CHECK-LABEL: func.func @additive
// CHECK-NOT: tensor.
// CHECK-NOT: linalg.
// CHECK-NOT: attn.
// CHECK: return
func.func @additive(%q: tensor<2x?x16xf32>, %k: tensor<2x?x12xf32>, %v: tensor<2x?x12xf32>, %wq: tensor<8x16xf32>, %wk: tensor<8x12xf32>, %e: tensor<8xf32>, %b: tensor<8xf32>, %m: tensor<?x?xi1>) -> (tensor<2x?x12xf32>, tensor<2x?x?xf32>) {
  %o, %w = attn.additive %q, %k, %v, %wq, %wk, %e bias(%b) mask(%m) : (tensor<2x?x16xf32>, tensor<2x?x12xf32>, tensor<2x?x12xf32>, tensor<8x16xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<8xf32>, tensor<?x?xi1>) -> (tensor<2x?x12xf32>, tensor<2x?x?xf32>)
  return %o, %w : tensor<2x?x12xf32>, tensor<2x?x?xf32>
}
