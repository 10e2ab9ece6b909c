#!/usr/bin/env python3
"""Checks attnc's all-MiniLM-L6-v2 output against values from transformers.

Usage: minilm_transformers.py LAST_HIDDEN_STATE.npy [--tolerance T]

The file is attn-run's last_hidden_state for the three sentences of
minilm.test. EXPECTED holds the first 8 features of each sentence's [CLS]
and [SEP] rows as Hugging Face transformers computes them (transformers
5.25.0, torch 2.15, AutoModel in float64, eval mode, the same input_ids
and attention_mask), rounded to 6 decimals. They tie the NumPy oracle's
BERT semantics, which the test also compares with, to the reference
implementation on the real checkpoint. Prints

  transformers: N values, max abs error A, rel error R

with R = max|got - want| / max|want| over those values, and exits 1 when R
exceeds T (default 1e-4).
"""

import argparse
import sys

import numpy as np

# (batch row, position): last_hidden_state[row, position, :8].
EXPECTED = {
    (0, 0): [0.046444, 0.338061, 0.208205, 0.646798, -0.195710, -0.037074, -0.087686, -0.285184],
    (0, 11): [0.347714, 0.094004, 0.256376, 0.871072, -0.074528, -0.113946, 0.420582, -0.176220],
    (1, 0): [0.066325, -0.274314, -0.071841, 0.499440, 0.595484, -0.094236, 0.009977, 0.401928],
    (1, 15): [-0.756155, -0.118172, -0.175926, 0.219871, 0.569292, -1.019790, 0.092587, 0.873532],
    (2, 0): [0.141367, 0.320390, 0.284008, 0.140425, 0.207076, 0.254082, 0.323406, -0.328846],
    (2, 21): [0.882896, 0.235679, 0.488001, 0.439942, 0.391983, 0.145311, 0.132198, -0.808703],
}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("last_hidden_state")
    p.add_argument("--tolerance", type=float, default=1e-4)
    args = p.parse_args()
    got_all = np.load(args.last_hidden_state).astype(np.float64)
    if got_all.shape != (3, 22, 384):
        print("transformers: expected [3, 22, 384], got %s"
              % list(got_all.shape))
        return 1
    want = np.array([v for v in EXPECTED.values()])
    got = np.array([got_all[b, pos, :8] for b, pos in EXPECTED])
    abs_err = float(np.abs(got - want).max())
    rel_err = abs_err / float(np.abs(want).max())
    ok = np.isfinite(got).all() and rel_err <= args.tolerance
    print("transformers: %d values, max abs error %.3g, rel error %.3g%s"
          % (want.size, abs_err, rel_err,
             "" if ok else " EXCEEDS %g" % args.tolerance))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
