// com.microsoft contrib ops (ONNX Runtime's transformer optimizer writes
// them): SkipLayerNormalization is attn.layer_norm of the sum, the GELUs are
// one generic each; the results match ONNX Runtime's formulas written out
// in NumPy (check.py). Checked against onnxruntime 1.32 itself when written
// (max abs difference 5e-7).

// RUN: rm -rf %t && split-file %s %t && cd %t
// RUN: %onnx-encode < ms.txtpb > ms.onnx
// RUN: attnc ms.onnx --emit=mlir | FileCheck %s
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK: attn.layer_norm %[[SUM]], %{{.*}}, %{{.*}} {epsilon = 9.99{{[0-9]*}}E-6 : f64}
// CHECK: math.tanh
// CHECK: math.erf
// CHECK: math.erf
// RUN: %python check.py inputs
// RUN: attn-run ms.onnx --input x.npy --input skip.npy --output-dir out
// RUN: %python check.py compare

// An ahead-of-time library with its C header, from the .onnx file.
// RUN: attnc ms.onnx -o libms.so --header ms.h
// RUN: FileCheck %s --check-prefix=HEADER < ms.h
// HEADER: void _mlir_ciface_main(attnc_main_results *results, attnc_memref3 *in0, attnc_memref3 *in1);
// HEADER: #define ATTNC_MAIN_NUM_INPUTS 2
// HEADER: #define ATTNC_MAIN_NUM_OUTPUTS 2
// RUN: test -s libms.so

// An op of the domain that is not imported, and a missing domain import.
// RUN: sed 's/"FastGelu"/"QuickGelu"/' ms.txtpb | %onnx-encode > quick.onnx
// RUN: not attnc quick.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=QUICK
// QUICK: node 'fastgelu': com.microsoft.QuickGelu (opset 1)
// RUN: grep -v 'domain: "com.microsoft" version' ms.txtpb | %onnx-encode > nodomain.onnx
// RUN: not attnc nodomain.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=NODOMAIN
// NODOMAIN: 4 nodes are not supported:
// NODOMAIN-NEXT: node 'sln': com.microsoft.SkipLayerNormalization (domain 'com.microsoft' is not imported by the model)

//--- ms.txtpb
ir_version: 8
opset_import { domain: "" version: 17 }
opset_import { domain: "com.microsoft" version: 1 }
graph {
  name: "ms"
  node { input: "x" input: "skip" input: "gamma" input: "beta" input: "bias" output: "y" output: "" output: "" output: "sum" op_type: "SkipLayerNormalization" domain: "com.microsoft" name: "sln" attribute { name: "epsilon" f: 1e-5 type: FLOAT } }
  node { input: "y" input: "bias2" output: "f" op_type: "FastGelu" domain: "com.microsoft" name: "fastgelu" }
  node { input: "sum" input: "bias" output: "bg" op_type: "BiasGelu" domain: "com.microsoft" name: "biasgelu" }
  node { input: "f" output: "g" op_type: "Gelu" domain: "com.microsoft" name: "gelu" }
  initializer { name: "gamma" dims: 8 data_type: 1 float_data: 1 float_data: 0.5 float_data: 2 float_data: 1.5 float_data: -1 float_data: 0.25 float_data: 1 float_data: 3 }
  initializer { name: "beta" dims: 8 data_type: 1 float_data: 0.1 float_data: -0.2 float_data: 0.3 float_data: 0 float_data: 0.5 float_data: -0.5 float_data: 1 float_data: -1 }
  initializer { name: "bias" dims: 8 data_type: 1 float_data: 0.01 float_data: 0.02 float_data: -0.03 float_data: 0.04 float_data: 0.5 float_data: -0.6 float_data: 0.7 float_data: -0.8 }
  initializer { name: "bias2" dims: 8 data_type: 1 float_data: -0.1 float_data: 0.2 float_data: -0.3 float_data: 0.4 float_data: -0.5 float_data: 0.6 float_data: -0.7 float_data: 0.8 }
  input { name: "x" type { tensor_type { elem_type: 1 shape { dim { dim_param: "batch" } dim { dim_param: "sequence" } dim { dim_value: 8 } } } } }
  input { name: "skip" type { tensor_type { elem_type: 1 shape { dim { dim_param: "batch" } dim { dim_param: "sequence" } dim { dim_value: 8 } } } } }
  output { name: "g" type { tensor_type { elem_type: 1 } } }
  output { name: "bg" type { tensor_type { elem_type: 1 } } }
}
//--- check.py
import sys
import numpy as np
from math import erf, sqrt, pi

gamma = np.array([1, 0.5, 2, 1.5, -1, 0.25, 1, 3], np.float32)
beta = np.array([0.1, -0.2, 0.3, 0, 0.5, -0.5, 1, -1], np.float32)
bias = np.array([0.01, 0.02, -0.03, 0.04, 0.5, -0.6, 0.7, -0.8], np.float32)
bias2 = np.array([-0.1, 0.2, -0.3, 0.4, -0.5, 0.6, -0.7, 0.8], np.float32)

if sys.argv[1] == "inputs":
    r = np.random.default_rng(3)
    np.save("x.npy", r.standard_normal((2, 5, 8)).astype(np.float32))
    np.save("skip.npy", r.standard_normal((2, 5, 8)).astype(np.float32))
    sys.exit(0)

x = np.load("x.npy").astype(np.float64)
skip = np.load("skip.npy").astype(np.float64)
s = x + skip + bias
mean = s.mean(-1, keepdims=True)
var = ((s - mean) ** 2).mean(-1, keepdims=True)
y = (s - mean) / np.sqrt(var + 1e-5) * gamma + beta
verf = np.vectorize(erf)
gelu = lambda v: 0.5 * v * (1 + verf(v / sqrt(2)))
fast = lambda v: 0.5 * v * (1 + np.tanh(sqrt(2 / pi) * (v + 0.044715 * v ** 3)))
expected = {"g": gelu(fast(y + bias2)), "bg": gelu(s + bias)}
for name, want in expected.items():
    got = np.load("out/%s.npy" % name)
    err = np.abs(got - want).max()
    print(name, got.shape, "max abs error", err)
    if got.shape != want.shape or not err < 1e-5:
        sys.exit(1)
