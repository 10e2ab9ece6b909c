// Two projections of one input with a bias add between them that writes
// into the buffer the input lives in (both generics write into %e): the
// second micro-kernel call must read the input, not what the bias add wrote
// there. (A shared to_buffer once let bufferization clobber it; the
// encoder-decoder's cross-attention K and V projections of the encoder
// output did that.) Checked against the fp64 reference evaluator.
// RUN: attn-run %s --random --check | FileCheck %s
// CHECK-LABEL: result0: f32 [4, 32]
// CHECK: result1: f32 [4, 32]
// CHECK: check result0: {{.*}} (ok)
// CHECK: check result1: {{.*}} (ok)
func.func @two_reads_of_one_input(%a: tensor<4x32xf32>, %c: tensor<32xf32>) -> (tensor<4x32xf32>, tensor<4x32xf32>) {
  %w1 = arith.constant dense<0.25> : tensor<32x32xf32>
  %w2 = arith.constant dense<-0.5> : tensor<32x32xf32>
  %e = tensor.empty() : tensor<4x32xf32>
  %x = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%a, %c : tensor<4x32xf32>, tensor<32xf32>) outs(%e : tensor<4x32xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<4x32xf32>
  %k = attn.linear %x, %w1 : (tensor<4x32xf32>, tensor<32x32xf32>) -> tensor<4x32xf32>
  %kb = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%k, %c : tensor<4x32xf32>, tensor<32xf32>) outs(%e : tensor<4x32xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<4x32xf32>
  %v = attn.linear %x, %w2 : (tensor<4x32xf32>, tensor<32x32xf32>) -> tensor<4x32xf32>
  return %kb, %v : tensor<4x32xf32>, tensor<4x32xf32>
}
