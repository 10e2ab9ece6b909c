// attn-run's compile cache on IR inputs: a hit gives the same bytes as a
// cold compile, still re-verifies dynamic sizes and counts FLOPs; a failed
// compile stores nothing; standard input is cached by its text.
// test/models/compile-cache.test covers model descriptions, damaged
// entries, the options and the environment.

// RUN: rm -rf %t && split-file %s %t && cd %t
// RUN: %python -c "import numpy as n; r = n.random.default_rng(1); n.save('q.npy', r.standard_normal((2, 2, 5, 16), dtype=n.float32)); n.save('kv.npy', r.standard_normal((2, 2, 6, 16), dtype=n.float32)); n.save('long.npy', r.standard_normal((2, 2, 128, 16), dtype=n.float32))"

// RUN: attn-run dyn.mlir --input q.npy --input kv.npy --input kv.npy --cache-dir cache --output-dir cold --progress 2>&1 | FileCheck %s --check-prefix=MISS
// MISS: compile cache: miss {{.*}}/cache/jit/{{[0-9a-f]+}}.jit
// MISS: compile cache: stored
// RUN: attn-run dyn.mlir --input q.npy --input kv.npy --input kv.npy --cache-dir cache --output-dir hit --progress --check 2>&1 | FileCheck %s --check-prefix=HIT
// HIT-NOT: lowering
// HIT: compile cache: hit {{.*}}/cache/jit/{{[0-9a-f]+}}.jit
// HIT: check result0: {{.*}} (ok)
// RUN: cmp cold/result0.npy hit/result0.npy
// The sizes the attn ops relate are checked on a hit as on a cold compile.
// RUN: not attn-run dyn.mlir --input q.npy --input kv.npy --input q.npy --cache-dir cache 2>&1 | FileCheck %s --check-prefix=SIZES
// SIZES: attn-run: error: the inputs do not fit @dyn: 'attn.sdpa' op value length 5 does not match key length 6
// RUN: %python -c "import os; print(len(os.listdir('cache/jit')))" | FileCheck %s --check-prefix=ONE
// ONE: 1

// --bench on a hit counts the attention FLOPs from the module as compiled
// (4.2 MFLOP a call: "0.0 GFLOP/s" would mean none were counted).
// RUN: attn-run dyn.mlir --input long.npy --input long.npy --input long.npy --cache-dir cache --bench 2 | FileCheck %s --check-prefix=BENCH
// BENCH: bench: 2 runs, median {{[0-9.]+}} ms, {{0\.0*[1-9]|[1-9]}}{{[0-9.]*}} GFLOP/s (compile {{[0-9.]+}} s)

// Errors are not cached: the same failing compile fails again.
// RUN: not attn-run dyn.mlir --input q.npy --input kv.npy --input kv.npy --cache-dir cache --query-block 12 2>&1 | FileCheck %s --check-prefix=BLOCK
// RUN: not attn-run dyn.mlir --input q.npy --input kv.npy --input kv.npy --cache-dir cache --query-block 12 2>&1 | FileCheck %s --check-prefix=BLOCK
// BLOCK: attn-run: error: lowering @dyn failed:
// RUN: %python -c "import os; print(len(os.listdir('cache/jit')))" | FileCheck %s --check-prefix=ONE

// Standard input is keyed by its text, as a file is: the same IR is a hit.
// RUN: attn-run - --input q.npy --input kv.npy --input kv.npy --cache-dir cache --output-dir stdin --check --progress < dyn.mlir 2>&1 | FileCheck %s --check-prefix=HIT
// RUN: cmp cold/result0.npy stdin/result0.npy

//--- dyn.mlir
func.func @dyn(%q: tensor<?x2x?x16xf32>, %k: tensor<?x2x?x16xf32>,
               %v: tensor<?x2x?x16xf32>) -> tensor<?x2x?x16xf32> {
  %o = attn.sdpa %q, %k, %v
      : (tensor<?x2x?x16xf32>, tensor<?x2x?x16xf32>, tensor<?x2x?x16xf32>)
      -> tensor<?x2x?x16xf32>
  return %o : tensor<?x2x?x16xf32>
}
