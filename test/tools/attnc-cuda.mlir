// attnc --target=cuda: the kernels as PTX and as a cubin, the host code's
// mgpu* calls, and a shared library linked against libattnc_cuda_runtime
// that records its target. No GPU is needed, only ptxas for the cubins.
// REQUIRES: ptxas

// RUN: rm -rf %t && split-file %s %t && cd %t

// The f16 tensor-core kernel: mma.sync m16n8k16, ldmatrix, cp.async.
// RUN: attnc f16.mlir --target=cuda --gpu-arch=sm_90 --emit=ptx -o - | FileCheck %s --check-prefix=PTX
// PTX-LABEL: // attnc: gpu.module @sdpa_kernel
// PTX: .target sm_90
// PTX: cp.async
// PTX: ldmatrix.sync.aligned
// PTX: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32

// One kernel module: a cubin for the architecture asked for.
// RUN: attnc f16.mlir --target=cuda --emit=cubin -o k.cubin
// RUN: od -An -c -N4 k.cubin | FileCheck %s --check-prefix=CUBIN
// CUBIN-LABEL: 177 E L F

// The host code calls the CUDA runtime.
// RUN: attnc f16.mlir --target=cuda --emit=llvm -o - | FileCheck %s --check-prefix=HOST
// HOST-LABEL: define {{.*}} @_mlir_ciface_sdpa
// HOST-DAG: mgpuMemAlloc
// HOST-DAG: mgpuLaunchKernel

// The library links libattnc_cuda_runtime (through an rpath) and says it
// is CUDA code.
// RUN: attnc f16.mlir --target=cuda -o libsdpa.so
// RUN: llvm-readelf --dynamic libsdpa.so | FileCheck %s --check-prefix=LINK
// LINK-LABEL: Dynamic section
// LINK-DAG: (NEEDED) {{.*}}libattnc_cuda_runtime.so
// LINK-DAG: (RUNPATH) {{.*}}lib
// RUN: llvm-strings libsdpa.so | FileCheck %s --check-prefix=SIG
// SIG-LABEL: "default":"sdpa"
// SIG-SAME: "target":"cuda"

// The CPU library says it is CPU code.
// RUN: attnc f16.mlir -o libcpu.so
// RUN: llvm-strings libcpu.so | FileCheck %s --check-prefix=CPU
// CPU-LABEL: "default":"sdpa"
// CPU-SAME: "target":"cpu"

//--- f16.mlir
func.func @sdpa(%q: tensor<2x4x128x64xf16>, %k: tensor<2x4x128x64xf16>,
                %v: tensor<2x4x128x64xf16>) -> tensor<2x4x128x64xf16> {
  %o = attn.sdpa %q, %k, %v {causal}
      : (tensor<2x4x128x64xf16>, tensor<2x4x128x64xf16>,
         tensor<2x4x128x64xf16>) -> tensor<2x4x128x64xf16>
  return %o : tensor<2x4x128x64xf16>
}
