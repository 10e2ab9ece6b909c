// attn-run's .npy inputs: a header may claim any shape, so the data must be
// there before anything is allocated (a shape of 2^40 elements without the
// bytes, or one whose element count wraps around 2^64, is an error naming
// the file); bool arrays read like numpy's, any nonzero byte true.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/npy_header.py %t/huge.npy "<f4" "(1099511627776,)"
// RUN: not attn-run %s --input %t/huge.npy --input %t/huge.npy 2>&1 | FileCheck %s --check-prefix=HUGE
// HUGE: attn-run: error: {{.*}}huge.npy: holds 0 data bytes, but shape [1099511627776] of f32 needs 4398046511104
// RUN: %python %S/Inputs/npy_header.py %t/wrap.npy "<f4" "(1, 2, 2305843009213693952, 4)"
// RUN: not attn-run %s --input %t/wrap.npy --input %t/wrap.npy 2>&1 | FileCheck %s --check-prefix=WRAP
// WRAP: attn-run: error: {{.*}}wrap.npy: shape [1, 2, 2305843009213693952, 4] has more than 2^48 elements

// --random allocates its inputs through the same check: a static shape of
// 10^15 elements is an error, not an abort.
// RUN: %python -c "print('func.func @big(%%a: tensor<1000000x1000000x1000xi8>) -> tensor<1000000x1000000x1000xi8> {\n  return %%a : tensor<1000000x1000000x1000xi8>\n}')" > %t/big.mlir
// RUN: not attn-run %t/big.mlir --random 2>&1 | FileCheck %s --check-prefix=RANDOM
// RANDOM: attn-run: error: --random: input 'arg0': a tensor of shape [1000000, 1000000, 1000] has a negative dimension or more than 2^48 elements

// A bool mask whose true bytes are 1, 2 and 0xFE: the compiled code and the
// reference (--check) agree, and the output equals the one for the same
// mask stored with 1s.
// RUN: %python -c "import numpy as np; r = np.random.default_rng(3); np.save('%t/q.npy', r.standard_normal((1, 2, 4, 8), dtype=np.float32)); m = np.array([[[[1, 0, 2, 254], [0, 2, 0, 1], [254, 254, 0, 0], [1, 2, 254, 1]]]], np.uint8); np.save('%t/odd.npy', m.view(np.bool_)); np.save('%t/ones.npy', m != 0)"
// RUN: attn-run %s --input %t/q.npy --input %t/odd.npy --check --output-dir %t/odd | FileCheck %s --check-prefix=CHECK
// RUN: attn-run %s --input %t/q.npy --input %t/ones.npy --output-dir %t/ones
// RUN: %python -c "import numpy as np; a = np.load('%t/odd/out.npy'); b = np.load('%t/ones/out.npy'); print('same' if np.array_equal(a, b) else 'differ')" | FileCheck %s --check-prefix=SAME
// CHECK: (ok)
// SAME: same

func.func @f(%q: tensor<1x2x4x8xf32>, %m: tensor<1x1x4x4xi1>) -> tensor<1x2x4x8xf32>
    attributes {attnc.output_names = ["out"]} {
  %o = attn.sdpa %q, %q, %q mask(%m) : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x1x4x4xi1>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}
