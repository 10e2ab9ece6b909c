// The OpenMP runtime that compiled parallel code calls is found at run time
// (compiler/Toolchain.h), not by a path compiled in; $ATTNC_LIBOMP names
// another file, and one that cannot be loaded is an error naming it, for
// the AOT link and for the JIT alike.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: env ATTNC_LIBOMP=%t/missing/libomp.so.5 not attnc %s --emit=shared -o %t/lib.so 2>&1 | FileCheck %s --check-prefix=AOT
// AOT: attnc: error: cannot load the OpenMP runtime {{.*}}missing/libomp.so.5 (from $ATTNC_LIBOMP): {{.*}}No such file
// RUN: env ATTNC_LIBOMP=%t/missing/libomp.so.5 not attn-run %s --random --no-cache 2>&1 | FileCheck %s --check-prefix=JIT
// JIT: attn-run: error: cannot load the OpenMP runtime {{.*}}missing/libomp.so.5 (from $ATTNC_LIBOMP): {{.*}}No such file
//
// Without the override, the same library links and loads.
// RUN: attnc %s --emit=shared -o %t/lib.so
// RUN: llvm-readelf -d %t/lib.so | FileCheck %s --check-prefix=LINKED
// LINKED: (NEEDED) {{.*}}[libomp.so.5]

func.func @attention(%q: tensor<1x2x64x16xf32>, %k: tensor<1x2x64x16xf32>,
                     %v: tensor<1x2x64x16xf32>) -> tensor<1x2x64x16xf32> {
  %o = attn.sdpa %q, %k, %v
      : (tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>)
      -> tensor<1x2x64x16xf32>
  return %o : tensor<1x2x64x16xf32>
}
