// attn-gpu-tile-loops rejects a thread count CUDA cannot launch.
// RUN: attn-opt %s --pass-pipeline="builtin.module(func.func(attn-gpu-tile-loops{threads=2048}))" --verify-diagnostics

// expected-error@below {{attn-gpu-tile-loops: threads 2048 must be from 1 to 1024}}
func.func @f() {
  return
}
