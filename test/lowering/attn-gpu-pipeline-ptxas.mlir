// attn-gpu-pipeline with format=bin: ptxas (CUDA 13) must accept every
// kernel for sm_80 and sm_90 and produce cubins.
// REQUIRES: ptxas
// RUN: attn-opt %s --attn-gpu-pipeline="format=bin gpu-arch=sm_80" | FileCheck %s --check-prefixes=CHECK,SM80
// RUN: attn-opt %s --attn-gpu-pipeline="format=bin gpu-arch=sm_90" | FileCheck %s --check-prefixes=CHECK,SM90
// The fatbin (cubin plus PTX, magic 0xBA55ED50) the pipeline makes by
// default.
// RUN: attn-opt %s --attn-gpu-pipeline | FileCheck %s --check-prefix=FATBIN

// Each kernel module is an ELF cubin for the requested architecture.
// CHECK-LABEL: gpu.binary @tensor_core_f16_kernel
// SM80-SAME: chip = "sm_80"
// SM90-SAME: chip = "sm_90"
// CHECK-SAME: bin = "\7FELF
// CHECK-LABEL: gpu.binary @tensor_core_bf16_kernel
// CHECK-SAME: bin = "\7FELF
// CHECK-LABEL: gpu.binary @simt_variants_kernel
// CHECK-SAME: bin = "\7FELF
// CHECK-LABEL: gpu.binary @simt_variants_kernel_0
// CHECK-SAME: bin = "\7FELF
// CHECK-LABEL: gpu.binary @layer_norm_kernel
// CHECK-SAME: bin = "\7FELF
// FATBIN-LABEL: gpu.binary @tensor_core_f16_kernel
// FATBIN-SAME: "P\EDU\BA

// f16 with GQA, causal band, a float mask and softcap; dynamic lengths.
func.func @tensor_core_f16(%q: tensor<?x8x?x128xf16>, %k: tensor<?x2x?x128xf16>, %v: tensor<?x2x?x128xf16>, %m: tensor<?x1x?x?xf16>) -> tensor<?x8x?x128xf16> {
  %o = attn.sdpa %q, %k, %v mask(%m) {causal, softcap = 30.0 : f64} : (tensor<?x8x?x128xf16>, tensor<?x2x?x128xf16>, tensor<?x2x?x128xf16>, tensor<?x1x?x?xf16>) -> tensor<?x8x?x128xf16>
  return %o : tensor<?x8x?x128xf16>
}

// bf16 with the widest head dim (key blocks of 32) and a window.
func.func @tensor_core_bf16(%q: tensor<1x4x100x256xbf16>, %k: tensor<1x4x300x256xbf16>, %v: tensor<1x4x300x256xbf16>) -> tensor<1x4x100x256xbf16> {
  %o = attn.sdpa %q, %k, %v {window = array<i64: 64, 64>} : (tensor<1x4x100x256xbf16>, tensor<1x4x300x256xbf16>, tensor<1x4x300x256xbf16>) -> tensor<1x4x100x256xbf16>
  return %o : tensor<1x4x100x256xbf16>
}

// The SIMT kernel: f32 with weights and cosine scores, and bf16 hard
// attention with a bool mask.
func.func @simt_variants(%q: tensor<1x4x17x32xf32>, %k: tensor<1x2x23x32xf32>, %v: tensor<1x2x23x32xf32>, %m: tensor<23xf32>,
                         %hq: tensor<1x4x17x32xbf16>, %hk: tensor<1x2x23x32xbf16>, %hv: tensor<1x2x23x32xbf16>, %hm: tensor<1x1x17x1xi1>)
    -> (tensor<1x4x17x32xf32>, tensor<1x4x17x23xf32>, tensor<1x4x17x32xbf16>) {
  %o, %w = attn.sdpa %q, %k, %v mask(%m) {score = #attn.score<cosine>, scale = 2.0 : f64} : (tensor<1x4x17x32xf32>, tensor<1x2x23x32xf32>, tensor<1x2x23x32xf32>, tensor<23xf32>) -> (tensor<1x4x17x32xf32>, tensor<1x4x17x23xf32>)
  %h = attn.hard %hq, %hk, %hv mask(%hm) {window = array<i64: 4, 4>} : (tensor<1x4x17x32xbf16>, tensor<1x2x23x32xbf16>, tensor<1x2x23x32xbf16>, tensor<1x1x17x1xi1>) -> tensor<1x4x17x32xbf16>
  return %o, %w, %h : tensor<1x4x17x32xf32>, tensor<1x4x17x23xf32>, tensor<1x4x17x32xbf16>
}

// linalg kernels, including erf (libdevice, linked from the toolkit).
func.func @layer_norm(%x: tensor<2x?x64xbf16>, %g: tensor<64xbf16>, %b: tensor<64xbf16>, %w1: tensor<128x64xbf16>, %b1: tensor<128xbf16>, %w2: tensor<64x128xbf16>, %b2: tensor<64xbf16>) -> tensor<2x?x64xbf16> {
  %y = attn.layer_norm %x, %g, %b : (tensor<2x?x64xbf16>, tensor<64xbf16>, tensor<64xbf16>) -> tensor<2x?x64xbf16>
  %z = attn.ffn %y, %w1, %b1, %w2, %b2 {activation = #attn.activation<gelu>} : (tensor<2x?x64xbf16>, tensor<128x64xbf16>, tensor<128xbf16>, tensor<64x128xbf16>, tensor<64xbf16>) -> tensor<2x?x64xbf16>
  return %z : tensor<2x?x64xbf16>
}
