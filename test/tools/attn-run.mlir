// attn-run: JIT-compile, run, check against the oracle, write .npy results,
// read .npy inputs back, and every diagnostic a user can meet.

// RUN: rm -rf %t && split-file %s %t && cd %t

// A run on seeded inputs, checked against the fp64 reference evaluator.
// RUN: attn-run gqa.mlir --random --check --output-dir out | FileCheck %s --check-prefix=CHECK-JIT
// CHECK-JIT: result0: f32 [1, 4, 37, 16]
// CHECK-JIT-NEXT: check result0: max abs err {{.*}}, max rel err {{.*}} (ok)

// The result, fed back as an input (query = key = value), round-trips .npy.
// RUN: attn-run self.mlir --input out/result0.npy --check | FileCheck %s --check-prefix=CHECK-NPY
// CHECK-NPY: result0: f32 [1, 4, 37, 16]
// CHECK-NPY-NEXT: check result0: {{.*}} (ok)

// --bench times the compiled function.
// RUN: attn-run gqa.mlir --random --bench 2 | FileCheck %s --check-prefix=CHECK-BENCH
// CHECK-BENCH: bench: 2 runs, median {{[0-9.]+}} ms, {{[0-9.]+}} GFLOP/s

// Attention weights come back as a second result.
// RUN: attn-run weights.mlir --random --check | FileCheck %s --check-prefix=CHECK-W
// CHECK-W: check result0: {{.*}} (ok)
// CHECK-W: check result1: {{.*}} (ok)

// Diagnostics.
// RUN: not attn-run gqa.mlir --random --device=tpu 2>&1 | FileCheck %s --check-prefix=CHECK-DEVICE
// CHECK-DEVICE: attn-run: error: unknown --device=tpu; use cpu or cuda
// RUN: not attn-run gqa.mlir --random --gpu-arch=sm_90 2>&1 | FileCheck %s --check-prefix=CHECK-ARCH-CPU
// CHECK-ARCH-CPU: attn-run: error: --gpu-arch applies to --device=cuda
// Without a GPU (this machine, CI) the error is the CUDA runtime's: no
// driver, the toolkit's stub, or no device.
// RUN: %if !cuda-device %{ not attn-run gqa.mlir --random --device=cuda 2>&1 | FileCheck %s --check-prefix=CHECK-NOGPU %}
// CHECK-NOGPU: attn-run: error: {{.*}}CUDA{{.*}}
// RUN: not attn-run missing.mlir 2>&1 | FileCheck %s --check-prefix=CHECK-MISSING
// CHECK-MISSING: attn-run: error: missing.mlir: No such file or directory
// RUN: not attn-run gqa.mlir --input nope.txt 2>&1 | FileCheck %s --check-prefix=CHECK-FORMAT
// CHECK-FORMAT: attn-run: error: nope.txt: unknown input format (use .npy or .pb)
// RUN: not attn-run gqa.mlir --input missing.npy 2>&1 | FileCheck %s --check-prefix=CHECK-NONPY
// CHECK-NONPY: attn-run: error: missing.npy: No such file or directory
// RUN: not attn-run gqa.mlir --input gqa.mlir.npy 2>&1 | FileCheck %s --check-prefix=CHECK-BADNPY
// CHECK-BADNPY: attn-run: error: gqa.mlir.npy: not a .npy file (bad magic)
// RUN: not attn-run gqa.mlir --input out/result0.npy 2>&1 | FileCheck %s --check-prefix=CHECK-COUNT
// CHECK-COUNT: attn-run: error: attention expects 3 inputs, got 1
// RUN: not attn-run self.mlir --input out/result0.npy --input out/result0.npy 2>&1 | FileCheck %s --check-prefix=CHECK-COUNT2
// CHECK-COUNT2: attn-run: error: self expects 1 inputs, got 2
// RUN: not attn-run narrow.mlir --input out/result0.npy 2>&1 | FileCheck %s --check-prefix=CHECK-SHAPE
// CHECK-SHAPE: attn-run: error: input 'arg0' must have shape [1, 4, 36, 16] (-1: any), got [1, 4, 37, 16]
// RUN: not attn-run half.mlir --input out/result0.npy 2>&1 | FileCheck %s --check-prefix=CHECK-DTYPE
// CHECK-DTYPE: attn-run: error: input 'arg0' must be f16, got f32
// RUN: not attn-run self.mlir --random 2>&1 | FileCheck %s --check-prefix=CHECK-RANDOM
// CHECK-RANDOM: attn-run: error: --random: input 'arg0' has a dynamic shape; give it with --input
// RUN: not attn-run gqa.mlir --random --input out/result0.npy 2>&1 | FileCheck %s --check-prefix=CHECK-EXCL
// CHECK-EXCL: attn-run: error: --random and --input are exclusive
// RUN: not attn-run gqa.mlir --random --no-flash 2>&1 | FileCheck %s --check-prefix=CHECK-NOFLASH
// CHECK-NOFLASH: attn-run: error: loc("gqa.mlir":{{[0-9]+}}:{{[0-9]+}}): attn.sdpa is lowered by attn-tile-flash, which --no-flash (flash=false) skips; write the attention unfused to compare against it
// RUN: not attn-run gqa.mlir --random --query-block 12 2>&1 | FileCheck %s --check-prefix=CHECK-BLOCK
// CHECK-BLOCK: attn-run: error: lowering @attention failed:
// CHECK-BLOCK: 'attn.sdpa' op attn-tile-flash: query-block 12 must be a positive multiple of 8, at most 4096
// RUN: not attn-run gqa.mlir --random --key-block 1099511627776 2>&1 | FileCheck %s --check-prefix=CHECK-HUGE-BLOCK
// CHECK-HUGE-BLOCK: 'attn.sdpa' op attn-tile-flash: key-block 1099511627776 must be a positive multiple of 8, at most 4096
// Dynamic sizes that the IR requires to agree are checked before the call.
// RUN: attn-run shapes.mlir --random --output-dir shapes
// RUN: not attn-run dyn.mlir --input shapes/result0.npy --input shapes/result1.npy --input shapes/result1.npy 2>&1 | FileCheck %s --check-prefix=CHECK-BATCH
// CHECK-BATCH: attn-run: error: the inputs do not fit @dyn: 'attn.sdpa' op key batch size 3 does not match query batch size 2
// RUN: not attn-run dyn.mlir --input shapes/result0.npy --input shapes/result2.npy --input shapes/result0.npy 2>&1 | FileCheck %s --check-prefix=CHECK-LEN
// CHECK-LEN: attn-run: error: the inputs do not fit @dyn: 'attn.sdpa' op value length 5 does not match key length 6
// RUN: attn-run dyn.mlir --input shapes/result0.npy --input shapes/result2.npy --input shapes/result2.npy --check | FileCheck %s --check-prefix=CHECK-DYN
// CHECK-DYN: check result0: {{.*}} (ok)
// RUN: not attn-run loose.mlir --random --check --tolerance 0 2>&1 | FileCheck %s --check-prefix=CHECK-TOL
// CHECK-TOL: check result0: {{.*}} (FAILED)

//--- gqa.mlir
func.func @attention(%q: tensor<1x4x37x16xf32>, %k: tensor<1x2x29x16xf32>,
                     %v: tensor<1x2x29x16xf32>) -> tensor<1x4x37x16xf32> {
  %o = attn.sdpa %q, %k, %v {causal, window = array<i64: 5, -1>}
      : (tensor<1x4x37x16xf32>, tensor<1x2x29x16xf32>, tensor<1x2x29x16xf32>)
      -> tensor<1x4x37x16xf32>
  return %o : tensor<1x4x37x16xf32>
}
//--- gqa.mlir.npy
not a numpy file
//--- self.mlir
func.func @self(%x: tensor<1x4x?x16xf32>) -> tensor<1x4x?x16xf32> {
  %o = attn.sdpa %x, %x, %x
      : (tensor<1x4x?x16xf32>, tensor<1x4x?x16xf32>, tensor<1x4x?x16xf32>)
      -> tensor<1x4x?x16xf32>
  return %o : tensor<1x4x?x16xf32>
}
//--- narrow.mlir
func.func @narrow(%x: tensor<1x4x36x16xf32>) -> tensor<1x4x36x16xf32> {
  %o = attn.sdpa %x, %x, %x
      : (tensor<1x4x36x16xf32>, tensor<1x4x36x16xf32>, tensor<1x4x36x16xf32>)
      -> tensor<1x4x36x16xf32>
  return %o : tensor<1x4x36x16xf32>
}
//--- half.mlir
func.func @half(%x: tensor<1x4x37x16xf16>) -> tensor<1x4x37x16xf16> {
  %o = attn.sdpa %x, %x, %x
      : (tensor<1x4x37x16xf16>, tensor<1x4x37x16xf16>, tensor<1x4x37x16xf16>)
      -> tensor<1x4x37x16xf16>
  return %o : tensor<1x4x37x16xf16>
}
//--- weights.mlir
func.func @w(%q: tensor<2x2x19x8xf32>, %k: tensor<2x2x23x8xf32>,
             %v: tensor<2x2x23x8xf32>, %m: tensor<2x1x1x23xi1>)
    -> (tensor<2x2x19x8xf32>, tensor<2x2x19x23xf32>) {
  %o, %w = attn.sdpa %q, %k, %v mask(%m) {softcap = 5.0}
      : (tensor<2x2x19x8xf32>, tensor<2x2x23x8xf32>, tensor<2x2x23x8xf32>,
         tensor<2x1x1x23xi1>) -> (tensor<2x2x19x8xf32>, tensor<2x2x19x23xf32>)
  return %o, %w : tensor<2x2x19x8xf32>, tensor<2x2x19x23xf32>
}
//--- loose.mlir
func.func @loose(%q: tensor<1x1x8x8xf32>) -> tensor<1x1x8x8xf32> {
  %o = attn.sdpa %q, %q, %q {scale = 30.0}
      : (tensor<1x1x8x8xf32>, tensor<1x1x8x8xf32>, tensor<1x1x8x8xf32>)
      -> tensor<1x1x8x8xf32>
  return %o : tensor<1x1x8x8xf32>
}
//--- shapes.mlir
func.func @shapes(%a: tensor<2x2x5x16xf32>, %b: tensor<3x2x7x16xf32>,
                  %c: tensor<2x2x6x16xf32>)
    -> (tensor<2x2x5x16xf32>, tensor<3x2x7x16xf32>, tensor<2x2x6x16xf32>) {
  return %a, %b, %c
      : tensor<2x2x5x16xf32>, tensor<3x2x7x16xf32>, tensor<2x2x6x16xf32>
}
//--- dyn.mlir
func.func @dyn(%q: tensor<?x2x?x16xf32>, %k: tensor<?x2x?x16xf32>,
               %v: tensor<?x2x?x16xf32>) -> tensor<?x2x?x16xf32> {
  %o = attn.sdpa %q, %k, %v
      : (tensor<?x2x?x16xf32>, tensor<?x2x?x16xf32>, tensor<?x2x?x16xf32>)
      -> tensor<?x2x?x16xf32>
  return %o : tensor<?x2x?x16xf32>
}
