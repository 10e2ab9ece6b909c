// attn-cpu-pipeline: a small sdpa all the way to the LLVM dialect, with OpenMP threads and vector arithmetic.
// RUN: attn-opt %s --attn-cpu-pipeline | FileCheck %s
// RUN: attn-opt %s --attn-cpu-pipeline | FileCheck %s --check-prefix=LLVMONLY
// RUN: attn-opt %s --attn-cpu-pipeline=parallel=false | FileCheck %s --check-prefix=SERIAL

// The (batch, head, query block) forall runs as an OpenMP worksharing loop,
// and the tile arithmetic is on vector<16xf32> (16 query lanes). The
// contractions' multiply-add is llvm.intr.fmuladd once the vectorizer forms
// vector.contract, and llvm.fmul + llvm.fadd where it leaves mul +
// multi_reduction (the form of the committed vectorizer while this test was
// written; that lowering was being reworked at the time), so both pass.
// CHECK-LABEL: llvm.func @sdpa(
// CHECK: llvm.call @malloc
// CHECK: omp.parallel {
// CHECK: omp.wsloop {
// CHECK: omp.loop_nest
// CHECK: {{llvm.intr.fmuladd|llvm.fadd}}{{.*}}vector<16xf32>
// CHECK: llvm.fdiv
// CHECK: omp.yield
// CHECK: omp.terminator
// CHECK: llvm.return
// Nothing but the LLVM and OpenMP dialects is left.
// LLVMONLY-NOT: {{ (attn|linalg|scf|tensor|memref|vector|arith|math|func|cf|bufferization|affine)\.[a-z]}}
// SERIAL-LABEL: llvm.func @sdpa(
// SERIAL-NOT: omp.
// SERIAL: {{llvm.intr.fmuladd|llvm.fadd}}{{.*}}vector<16xf32>
// SERIAL-NOT: omp.
// SERIAL: llvm.return
func.func @sdpa(%q: tensor<1x2x16x16xf32>, %k: tensor<1x2x16x16xf32>, %v: tensor<1x2x16x16xf32>) -> tensor<1x2x16x16xf32> {
  %o = attn.sdpa %q, %k, %v {causal} : (tensor<1x2x16x16xf32>, tensor<1x2x16x16xf32>, tensor<1x2x16x16xf32>) -> tensor<1x2x16x16xf32>
  return %o : tensor<1x2x16x16xf32>
}

// A decoder step: one static query against a dynamic number of cached keys,
// causal. The hoisted 8x8 accumulator is carried by branches inside the
// OpenMP region; those once reached convert-openmp-to-llvm with the vector
// still 2-D, which left an illegal llvm.cond_br.
// CHECK-LABEL: llvm.func @decode_step(
// CHECK: omp.parallel
// CHECK: llvm.return
func.func @decode_step(%q: tensor<2x4x1x8xf32>, %k: tensor<2x4x?x8xf32>, %v: tensor<2x4x?x8xf32>) -> tensor<2x4x1x8xf32> {
  %o = attn.sdpa %q, %k, %v {causal} : (tensor<2x4x1x8xf32>, tensor<2x4x?x8xf32>, tensor<2x4x?x8xf32>) -> tensor<2x4x1x8xf32>
  return %o : tensor<2x4x1x8xf32>
}
