// A module with several public functions compiles to one library that
// exports each of them: the header has a wrapper per entry point, a C
// program calls two of them, and the runtime runs any of them by name.

// RUN: rm -rf %t && mkdir -p %t
// RUN: attnc %s --emit=shared -o %t/libtwo.so --header %t/two.h
// RUN: FileCheck %s --check-prefix=HEADER < %t/two.h
// HEADER-LABEL: /* C interface to @scale_up,
// HEADER: static inline int attnc_run_scale_up(
// HEADER-LABEL: /* C interface to @scale_down,
// HEADER: static inline int attnc_run_scale_down(
// RUN: cc -std=c99 -Wall -Wextra -pedantic -Werror -I %t %S/Inputs/attnc_entries.c %t/libtwo.so -Wl,-rpath,%t -o %t/call
// RUN: %t/call | FileCheck %s --check-prefix=CALL
// CALL: scale_up: 2 4 6 8
// CALL: scale_down: 0.5 1 1.5 2
// CALL: inputs unchanged

// attn-run needs to be told which one to run.
// RUN: not attn-run %s --random 2>&1 | FileCheck %s --check-prefix=WHICH
// WHICH: attn-run: error: {{.*}}attnc-entries.mlir: the module has several entry points ('scale_up', 'scale_down') and none is called 'forward'; name the one to run (--entry)
// RUN: attn-run %s --random --entry scale_down --output-dir %t/out | FileCheck %s --check-prefix=RUN-DOWN
// RUN-DOWN: result0: f32 [4]
// RUN: not attn-run %s --random --entry nope 2>&1 | FileCheck %s --check-prefix=NOPE
// NOPE: attn-run: error: no public function named 'nope'

func.func @scale_up(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = arith.addf %x, %x : tensor<4xf32>
  return %y : tensor<4xf32>
}

func.func @scale_down(%x: tensor<4xf32>) -> tensor<4xf32> {
  %half = arith.constant dense<0.5> : tensor<4xf32>
  %y = arith.mulf %x, %half : tensor<4xf32>
  return %y : tensor<4xf32>
}
