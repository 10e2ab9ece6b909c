// attn-gpu-check-host: host code must not read or write device buffers.
// RUN: attn-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(attn-gpu-check-host))" --verify-diagnostics

func.func @host_load(%buf: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  // expected-error@below {{'memref.load' op reads or writes a buffer in host code, but attn-gpu-pipeline keeps every buffer in device memory and has no GPU lowering for this op}}
  %x = memref.load %buf[%c0] : memref<4xf32>
  return %x : f32
}

// -----

// A host loop that no pass mapped to the GPU.
func.func @host_loop(%buf: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %cst = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    // expected-error@below {{'memref.store' op reads or writes a buffer in host code}}
    memref.store %cst, %buf[%i] : memref<4xf32>
  }
  return
}
