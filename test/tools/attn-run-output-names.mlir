// attn-run --output-dir writes DIR/<name>.npy: an output name that is not a
// plain file name (it would write outside DIR) is an error naming it, and
// nothing is written.
// RUN: rm -rf %t && mkdir -p %t/out
// RUN: not attn-run %s --random --output-dir %t/out 2>&1 | FileCheck %s
// CHECK: attn-run: error: --output-dir: output name '../escape' of f is not a plain file name (it is empty, '.' or '..', or has a '/' or '\'), so DIR/<name>.npy would not stay in {{.*}}out
// RUN: not test -e %t/escape.npy
// RUN: sed 's|\.\./escape|..|' %s > %t/dotdot.mlir
// RUN: not attn-run %t/dotdot.mlir --random --output-dir %t/out 2>&1 | FileCheck %s --check-prefix=DOTDOT
// DOTDOT: output name '..' of f is not a plain file name
// RUN: sed 's|\.\./escape|a\\\\b|' %s > %t/backslash.mlir
// RUN: not attn-run %t/backslash.mlir --random --output-dir %t/out 2>&1 | FileCheck %s --check-prefix=BACKSLASH
// BACKSLASH: output name 'a\b' of f is not a plain file name
// Without --output-dir nothing is written, and the name is only printed.
// RUN: attn-run %s --random | FileCheck %s --check-prefix=PRINT
// PRINT: ../escape: f32 [2, 3]

func.func @f(%a: tensor<2x3xf32>) -> tensor<2x3xf32>
    attributes {attnc.output_names = ["../escape"]} {
  %d = arith.addf %a, %a : tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}
