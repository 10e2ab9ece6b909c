// NaN and infinities in the inputs (runtime/README.md, "Non-finite
// values"): a NaN or infinite score makes its row of the output and of the
// weights NaN, as in the reference, PyTorch and ONNX Runtime; once they
// were zeros. A NaN query row, a NaN key (every row that sees it), an
// infinite query, a NaN and an infinite mask entry, through the vectorized
// flash loops (several query and key blocks, causal, weights).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/nonfinite.py make %t
// RUN: attn-run %s --entry causal --input %t/q.npy --input %t/k.npy --input %t/v.npy --input %t/m.npy --output-dir %t/out > %t/run.txt
// RUN: FileCheck %s --check-prefix=OUT < %t/run.txt
// RUN: %python %S/Inputs/nonfinite.py verify %t %t/out | FileCheck %s --check-prefix=ORACLE
// RUN: not attn-run %s --entry causal --input %t/q.npy --input %t/k.npy --input %t/v.npy --input %t/m.npy --check | FileCheck %s --check-prefix=CHECK
// OUT: out: f32 [2, 4, 300, 64]
// ORACLE: out: {{[1-9][0-9]*}} NaN rows, NaN where the oracle has them: yes, rel err ok
// ORACLE: weights: {{[1-9][0-9]*}} NaN rows, NaN where the oracle has them: yes, rel err ok
// --check agrees with the reference on every NaN (the error is finite), and
// fails because NaNs on both sides compare nothing.
// CHECK: check out: max abs err {{[0-9.]+e-0[5-9]}}, max rel err {{[0-9.e+-]+}}, {{[0-9]+}} NaN on both sides (FAILED)
// CHECK: check weights: max abs err {{[0-9.]+e-0[5-9]}}, max rel err {{[0-9.e+-]+}}, {{[0-9]+}} NaN on both sides (FAILED)

// Scores that overflow f32 (q and k near 1e20: the true scores are 1e40)
// give NaN rows, never zeros that look like an answer; --check reports the
// difference from the fp64 reference.
// RUN: %python -c "import numpy as np; r = np.random.default_rng(1); np.save('%t/big.npy', (r.standard_normal((1, 2, 8, 4)) * 1e20).astype(np.float32))"
// RUN: not attn-run %s --entry small --input %t/big.npy --check --output-dir %t/big | FileCheck %s --check-prefix=OVERFLOW
// RUN: %python -c "import numpy as np; a = np.load('%t/big/result0.npy'); print('rows NaN:', int(np.isnan(a).all(-1).sum()), 'rows zero:', int((a == 0).all(-1).sum()))" | FileCheck %s --check-prefix=BIG
// OVERFLOW: check result0: max abs err INF, max rel err INF (FAILED)
// BIG: rows NaN: {{[1-9][0-9]*}} rows zero: 0

// f16 results are checked at f16's tolerance (4e-3 of the largest value),
// not f32's: ordinary f16 inputs pass.
// RUN: %python -c "import numpy as np; r = np.random.default_rng(2); [np.save('%t/h%d.npy' % i, r.standard_normal((2, 4, 77, 64)).astype(np.float16)) for i in range(3)]"
// RUN: attn-run %s --entry half --input %t/h0.npy --input %t/h1.npy --input %t/h2.npy --check | FileCheck %s --check-prefix=HALF
// HALF: check result0: {{.*}} (ok)
// RUN: not attn-run %s --entry half --input %t/h0.npy --input %t/h1.npy --input %t/h2.npy --check --tolerance 1e-6 | FileCheck %s --check-prefix=HALF-STRICT
// HALF-STRICT: check result0: {{.*}} (FAILED)

func.func @causal(%q: tensor<2x4x300x64xf32>, %k: tensor<2x4x300x64xf32>,
                  %v: tensor<2x4x300x64xf32>, %m: tensor<2x1x300x300xf32>)
    -> (tensor<2x4x300x64xf32>, tensor<2x4x300x300xf32>)
    attributes {attnc.output_names = ["out", "weights"]} {
  %o, %w = attn.sdpa %q, %k, %v mask(%m) {causal}
      : (tensor<2x4x300x64xf32>, tensor<2x4x300x64xf32>, tensor<2x4x300x64xf32>, tensor<2x1x300x300xf32>)
      -> (tensor<2x4x300x64xf32>, tensor<2x4x300x300xf32>)
  return %o, %w : tensor<2x4x300x64xf32>, tensor<2x4x300x300xf32>
}

func.func @small(%q: tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32> {
  %o = attn.sdpa %q, %q, %q : (tensor<1x2x8x4xf32>, tensor<1x2x8x4xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32>
  return %o : tensor<1x2x8x4xf32>
}

func.func @half(%q: tensor<?x4x?x64xf16>, %k: tensor<?x4x?x64xf16>, %v: tensor<?x4x?x64xf16>) -> tensor<?x4x?x64xf16> {
  %o = attn.sdpa %q, %k, %v : (tensor<?x4x?x64xf16>, tensor<?x4x?x64xf16>, tensor<?x4x?x64xf16>) -> tensor<?x4x?x64xf16>
  return %o : tensor<?x4x?x64xf16>
}
