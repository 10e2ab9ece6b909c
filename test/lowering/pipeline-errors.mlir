// The lowering pipelines lower whole modules: nested under another op, or
// with options that do not parse, they are errors of the pipeline text that
// name the pipeline. Nested under func.func, attn-gpu-pipeline aborted in
// OpPassManager::addPass ("LLVM ERROR: Can't add pass ...") and
// attn-cpu-pipeline was silently cut short; found by test/fuzz's
// pass-options target.

// RUN: not attn-opt %s --pass-pipeline='builtin.module(func.func(attn-gpu-pipeline))' 2>&1 | FileCheck %s --check-prefix=GPU
// GPU: 'attn-gpu-pipeline' lowers a whole module: it runs on 'builtin.module', not nested in 'func.func'
// GPU-NOT: LLVM ERROR

// RUN: not attn-opt %s --pass-pipeline='builtin.module(func.func(attn-cpu-pipeline{query-block=16}))' 2>&1 | FileCheck %s --check-prefix=CPU
// CPU: 'attn-cpu-pipeline' lowers a whole module: it runs on 'builtin.module', not nested in 'func.func'

// RUN: not attn-opt %s --pass-pipeline='builtin.module(attn-cpu-pipeline{query-block=sixteen})' 2>&1 | FileCheck %s --check-prefix=OPTION
// OPTION: 'sixteen' value invalid
// OPTION: 'attn-cpu-pipeline' options do not parse

// RUN: not attn-opt %s --pass-pipeline='builtin.module(attn-gpu-pipeline{format=zip})' 2>&1 | FileCheck %s --check-prefix=FORMAT
// FORMAT: 'attn-gpu-pipeline' options do not parse

func.func @f() {
  return
}
