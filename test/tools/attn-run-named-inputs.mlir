// attn-run --input NAME=FILE: inputs by their names (attnc.input_names, an
// ONNX graph's input names) in any order; every misuse is an error that
// names the input.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/a.npy', np.arange(6, dtype=np.float32).reshape(2, 3)); np.save('%t/b.npy', np.full((2, 3), 10, np.float32))"
// RUN: attn-run %s --input b=%t/b.npy --input a=%t/a.npy --output-dir %t/named
// RUN: attn-run %s --input %t/a.npy --input %t/b.npy --output-dir %t/ordered
// RUN: %python -c "import numpy as np; print(np.load('%t/named/diff.npy').tolist(), np.load('%t/ordered/diff.npy').tolist())" | FileCheck %s
// CHECK: {{\[}}[-10.0, -9.0, -8.0], [-7.0, -6.0, -5.0]] {{\[}}[-10.0, -9.0, -8.0], [-7.0, -6.0, -5.0]]

// RUN: not attn-run %s --input c=%t/a.npy --input b=%t/b.npy 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: attn-run: error: --input c=...: f has no input named 'c' (its inputs: a, b)
// RUN: not attn-run %s --input a=%t/a.npy --input a=%t/b.npy 2>&1 | FileCheck %s --check-prefix=TWICE
// TWICE: attn-run: error: --input a=...: given twice
// RUN: not attn-run %s --input a=%t/a.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: attn-run: error: --input: no b=FILE for input 'b' of f
// RUN: not attn-run %s --input a=%t/a.npy --input %t/b.npy 2>&1 | FileCheck %s --check-prefix=MIXED
// MIXED: attn-run: error: --input: give every input by name (NAME=FILE) or every one in order, not both
// RUN: not attn-run %s --input a=%t/missing.npy --input b=%t/b.npy 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: attn-run: error: {{.*}}missing.npy{{.*}}

// The name lists must name every input and result, with strings.
// RUN: sed 's/attnc.input_names = \["a", "b"\]/attnc.input_names = ["a"]/' %s > %t/short.mlir
// RUN: not attn-run %t/short.mlir --random 2>&1 | FileCheck %s --check-prefix=SHORT
// SHORT: attn-run: error: @f: attnc.input_names must list 2 names, one per input; it lists 1
// RUN: not attnc %t/short.mlir -o %t/short.so 2>&1 | FileCheck %s --check-prefix=SHORT-AOT
// SHORT-AOT: attnc: error: {{.*}}short.mlir: @f: attnc.input_names must list 2 names, one per input; it lists 1
// RUN: sed 's/attnc.output_names = \["diff"\]/attnc.output_names = "diff"/' %s > %t/notlist.mlir
// RUN: not attn-run %t/notlist.mlir --random 2>&1 | FileCheck %s --check-prefix=NOTLIST
// NOTLIST: attn-run: error: @f: attnc.output_names must list 1 names, one per result; it is not a list
// RUN: sed 's/attnc.output_names = \["diff"\]/attnc.output_names = [7]/' %s > %t/notstring.mlir
// RUN: not attn-run %t/notstring.mlir --random 2>&1 | FileCheck %s --check-prefix=NOTSTRING
// NOTSTRING: attn-run: error: @f: attnc.output_names entry #0 is not a string

func.func @f(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32>
    attributes {attnc.input_names = ["a", "b"], attnc.output_names = ["diff"]} {
  %d = arith.subf %a, %b : tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}
