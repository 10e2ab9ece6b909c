// attn-gpu-pipeline: attn IR to host LLVM code calling the mgpu* runtime and
// PTX kernels (format=isa needs no CUDA toolkit at test time).
// RUN: attn-opt %s --attn-gpu-pipeline=format=isa | FileCheck %s
// RUN: attn-opt %s --attn-gpu-pipeline="format=isa gpu-arch=sm_90" | FileCheck %s --check-prefix=SM90
// RUN: attn-opt %s --attn-gpu-pipeline=format=isa | FileCheck %s --check-prefix=HOSTONLY
// RUN: attn-opt %s --attn-gpu-pipeline=format=isa | FileCheck %s --check-prefix=NOMMA
// A format the pipeline does not know is a command-line error.
// RUN: not attn-opt %s --attn-gpu-pipeline=format=cubin 2>&1 | FileCheck %s --check-prefix=FORMAT
// FORMAT: for the --format option: Cannot find option named 'cubin'!

// f16: the host allocates the output on the device, launches the kernel
// with its dynamic shared memory when the grid is not empty, and
// synchronizes its stream before returning the device buffer.
// CHECK-LABEL: llvm.func @sdpa_f16(
// CHECK: llvm.call @mgpuStreamCreate()
// CHECK: %[[OUT:.*]] = llvm.call @mgpuMemAlloc(
// CHECK: llvm.cond_br
// CHECK: gpu.launch_func <%{{.*}} : !llvm.ptr> @sdpa_f16_kernel::@sdpa_f16_kernel blocks in ({{.*}}) threads in ({{.*}}) : i64 dynamic_shared_memory_size
// CHECK: llvm.call @mgpuStreamSynchronize(
// CHECK: llvm.return
// The kernel's PTX, in any order (block layout varies; tabs print as
// \09): cp.async (16 bytes, L1 bypassed) into shared memory,
// ldmatrix (plain for Q and K, .trans for V), mma.sync m16n8k16 with f32
// accumulation, quad shuffles and ex2.
// CHECK-LABEL: gpu.binary @sdpa_f16_kernel
// CHECK-DAG: chip = "sm_80"
// CHECK-DAG: .target sm_80
// CHECK-DAG: .extern .shared .align 16 .b8 __dynamic_shmem__0[]
// CHECK-DAG: cp.async.cg.shared.global [%rd{{[0-9]+}}], [%rd{{[0-9]+}}], 16, %r{{[0-9]+}};
// CHECK-DAG: cp.async.commit_group
// CHECK-DAG: cp.async.wait_group \090
// CHECK-DAG: bar.sync \090
// CHECK-DAG: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// CHECK-DAG: cp.async.wait_group \091
// CHECK-DAG: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// CHECK-DAG: shfl.sync.bfly.b32
// CHECK-DAG: ex2.approx
// CHECK-DAG: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// SM90-LABEL: gpu.binary @sdpa_f16_kernel
// SM90-DAG: chip = "sm_90"
// SM90-DAG: .version 8.0
// SM90-DAG: .target sm_90
// SM90-DAG: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
func.func @sdpa_f16(%q: tensor<2x8x?x64xf16>, %k: tensor<2x2x?x64xf16>, %v: tensor<2x2x?x64xf16>) -> tensor<2x8x?x64xf16> {
  %o = attn.sdpa %q, %k, %v {causal} : (tensor<2x8x?x64xf16>, tensor<2x2x?x64xf16>, tensor<2x2x?x64xf16>) -> tensor<2x8x?x64xf16>
  return %o : tensor<2x8x?x64xf16>
}

// bf16 runs on the same tensor cores, through the NVVM op.
// CHECK-LABEL: gpu.binary @sdpa_bf16_kernel
// CHECK-DAG: cp.async.cg.shared.global
// CHECK-DAG: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// CHECK-DAG: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// CHECK-DAG: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// CHECK-DAG: cvt.rn.bf16x2.f32
func.func @sdpa_bf16(%q: tensor<1x4x128x128xbf16>, %k: tensor<1x4x128x128xbf16>, %v: tensor<1x4x128x128xbf16>, %m: tensor<1x1x128x128xi1>) -> tensor<1x4x128x128xbf16> {
  %o = attn.sdpa %q, %k, %v mask(%m) {window = array<i64: 32, 32>} : (tensor<1x4x128x128xbf16>, tensor<1x4x128x128xbf16>, tensor<1x4x128x128xbf16>, tensor<1x1x128x128xi1>) -> tensor<1x4x128x128xbf16>
  return %o : tensor<1x4x128x128xbf16>
}

// f32 attention with its weights: the SIMT kernel, static shared memory,
// no tensor cores. Two device buffers are returned.
// CHECK-LABEL: llvm.func @sdpa_f32_weights(
// CHECK-COUNT-2: llvm.call @mgpuMemAlloc(
// CHECK: gpu.launch_func
// CHECK-NOT: llvm.call @mgpuMemFree
// CHECK: llvm.return
// CHECK-LABEL: gpu.binary @sdpa_f32_weights_kernel
// CHECK-DAG: .shared .align
// CHECK-DAG: bar.sync \090
// CHECK-DAG: ex2.approx
// CHECK-DAG: st.global.b32
// NOMMA-LABEL: gpu.binary @sdpa_f32_weights_kernel
// NOMMA-NOT: mma.sync
// NOMMA: ">]
func.func @sdpa_f32_weights(%q: tensor<1x2x10x16xf32>, %k: tensor<1x2x12x16xf32>, %v: tensor<1x2x12x16xf32>) -> (tensor<1x2x10x16xf32>, tensor<1x2x10x12xf32>) {
  %o, %w = attn.sdpa %q, %k, %v : (tensor<1x2x10x16xf32>, tensor<1x2x12x16xf32>, tensor<1x2x12x16xf32>) -> (tensor<1x2x10x16xf32>, tensor<1x2x10x12xf32>)
  return %o, %w : tensor<1x2x10x16xf32>, tensor<1x2x10x12xf32>
}

// Non-attention ops become kernels too: LayerNorm's reductions and
// elementwise steps each launch a grid; intermediates are freed on the
// device after their last kernel.
// CHECK-LABEL: llvm.func @norm(
// CHECK: llvm.call @mgpuMemAlloc(
// CHECK: gpu.launch_func <%{{.*}} : !llvm.ptr> @norm_kernel::@norm_kernel
// CHECK: llvm.call @mgpuMemFree(
// CHECK: llvm.call @mgpuStreamSynchronize(
// CHECK: llvm.return
// CHECK-LABEL: gpu.binary @norm_kernel
// CHECK-DAG: .entry norm_kernel
func.func @norm(%x: tensor<2x16x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<2x16x64xf32> {
  %y = attn.layer_norm %x, %g, %b : (tensor<2x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
  return %y : tensor<2x16x64xf32>
}

// Nothing but the LLVM dialect and the gpu launch/binary ops is left.
// HOSTONLY-NOT: {{ (attn|linalg|scf|tensor|memref|vector|arith|math|func|cf|bufferization|affine|nvgpu|nvvm)\.[a-z]}}
// HOSTONLY-NOT: gpu.{{(alloc|dealloc|memcpy|wait|launch |module|func)}}
