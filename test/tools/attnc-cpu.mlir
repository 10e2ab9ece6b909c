// attnc --cpu: the CPU machine code and the micro-kernels are for. A named
// CPU brings its features, which pick the kernels (AVX-512, AVX2 + FMA,
// generic) and their registers; an unknown name is an error. The kernels
// are linked into the output, internal to it.

// RUN: rm -rf %t && mkdir -p %t
// RUN: attnc %s --cpu=skylake-avx512 --emit=llvm -o - | FileCheck %s --check-prefix=AVX512
// RUN: attnc %s --cpu=skylake-avx512 --emit=asm -o - | FileCheck %s --check-prefix=ZMM
// RUN: attnc %s --cpu=haswell --emit=llvm -o - | FileCheck %s --check-prefix=AVX2
// RUN: attnc %s --cpu=haswell --emit=asm -o - | FileCheck %s --check-prefix=YMM
// RUN: attnc %s --cpu=x86-64 --emit=llvm -o - | FileCheck %s --check-prefix=GENERIC
// RUN: attnc %s --no-ukernels --emit=llvm -o - | FileCheck %s --check-prefix=NONE
// RUN: attnc %s --cpu=haswell -o %t/liblinear.so
// RUN: llvm-nm -D --defined-only %t/liblinear.so | FileCheck %s --check-prefix=EXPORTS
// RUN: not attnc %s --cpu=pentium9000 --emit=llvm -o - 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not attn-run %s --cpu=pentium9000 --random 2>&1 | FileCheck %s --check-prefix=JIT-BAD

// The entry point is inlined into its only caller; the kernel's body is
// LinearKernel<lanes, rows, vectors> (ukernels/Layout.h's gemmTile).
// AVX512: define internal {{.*}}LinearKernelILi16ELi8ELi3E
// AVX512-NOT: LinearKernelILi8ELi6ELi2E
// ZMM: vfmadd231ps {{.*}}%zmm
// AVX2: define internal {{.*}}LinearKernelILi8ELi6ELi2E
// AVX2-NOT: LinearKernelILi16
// YMM: vfmadd231ps {{.*}}%ymm
// YMM-NOT: %zmm
// GENERIC: define internal {{.*}}LinearKernelILi4ELi4ELi2E
// GENERIC-NOT: LinearKernelILi{{(8|16)}}E
// NONE-NOT: LinearKernel
// NONE-LABEL: define void @_mlir_ciface_linear(
// NONE-NOT: LinearKernel
// EXPORTS-NOT: {{attnc_uk_|LinearKernel}}
// EXPORTS: _mlir_ciface_linear
// EXPORTS-NOT: {{attnc_uk_|LinearKernel}}
// BAD-NOT: not a recognized processor
// BAD: attnc: error: {{.*}}attnc-cpu.mlir: unknown CPU 'pentium9000' (--cpu) for x86_64{{.*}}; `llc -mcpu=help` lists the CPUs LLVM knows, 'generic' is the baseline
// JIT-BAD-NOT: not a recognized processor
// JIT-BAD: attn-run: error: unknown CPU 'pentium9000' (--cpu)

func.func @linear(%x: tensor<?x64xf32>) -> tensor<?x48xf32> {
  %w = arith.constant dense<0.5> : tensor<48x64xf32>
  %b = arith.constant dense<1.0> : tensor<48xf32>
  %y = attn.linear %x, %w, %b {activation = #attn.activation<gelu>} : (tensor<?x64xf32>, tensor<48x64xf32>, tensor<48xf32>) -> tensor<?x48xf32>
  return %y : tensor<?x48xf32>
}
