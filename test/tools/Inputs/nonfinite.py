"""Inputs with NaN and infinities for attn-run-nonfinite.mlir, and the
numpy oracle for what attnc promises about them (runtime/README.md,
"Non-finite values"): a NaN or infinite score makes its row NaN, weights
included; other rows are untouched and match to f32 rounding.

  nonfinite.py make DIR       writes q, k, v (f32 [2,4,300,64]) and a float
                              mask [2,1,300,300] into DIR
  nonfinite.py verify DIR OUT compares OUT/out.npy and OUT/weights.npy with
                              the fp64 oracle of the causal sdpa
"""
import sys

import numpy as np

mode, d = sys.argv[1], sys.argv[2]
if mode == "make":
    r = np.random.default_rng(7)
    q, k, v = (r.standard_normal((2, 4, 300, 64), dtype=np.float32) for _ in range(3))
    m = r.standard_normal((2, 1, 300, 300), dtype=np.float32)
    q[0, 1, 100, 5] = np.nan        # one query row
    k[1, 2, 37, 0] = np.nan         # one key: every row that sees it
    q[1, 0, 5, 5] = np.inf          # an infinite query
    m[0, 0, 200, 3] = np.nan        # one mask entry, in every head
    m[1, 0, 290, 280] = np.inf      # an infinite (not -inf) mask entry
    for name, a in zip("qkvm", (q, k, v, m)):
        np.save("%s/%s.npy" % (d, name), a)
    sys.exit(0)

out_dir = sys.argv[3]
q, k, v, m = (np.load("%s/%s.npy" % (d, n)).astype(np.float64) for n in "qkvm")
with np.errstate(all="ignore"):
    s = q @ k.transpose(0, 1, 3, 2) / 8.0 + m
    s[..., np.triu(np.ones((300, 300), bool), 1)] = -np.inf
    e = np.exp(s - s.max(-1, keepdims=True))
    w = e / e.sum(-1, keepdims=True)
    o = w @ v
got_o = np.load("%s/out.npy" % out_dir)
got_w = np.load("%s/weights.npy" % out_dir)
for name, got, want in (("out", got_o, o), ("weights", got_w, w)):
    nan_rows = np.isnan(want).all(-1)
    same = np.array_equal(np.isnan(got), np.isnan(want))
    finite = ~np.isnan(want)
    err = np.abs(got[finite] - want[finite]).max() / np.abs(want[finite]).max()
    print("%s: %d NaN rows, NaN where the oracle has them: %s, rel err %s"
          % (name, nan_rows.sum(), "yes" if same else "no",
             "ok" if err < 1e-4 else "%.2e" % err))
