#!/usr/bin/env python3
"""Compares attn-run's outputs for a model description with the NumPy oracle.

Usage: compare.py MODEL --entry NAME --input FILE... --output-dir DIR
                  [--tolerance T]

MODEL (model.json or an HF BERT directory), --entry and the --input files
(.npy, in the entry's argument order) are what attn-run was given; DIR is
its --output-dir. The oracle (nn_transformer.py, fp64) runs the same entry.
Every output of the entry must be in DIR as <name>.npy, with the oracle's
shape and the description's dtype (float32 for f32 and
bf16, float16 for f16); attention maps (attention.*.npy) are compared
when present. For each output it prints

  NAME: [shape] max abs error A, rel error R

with R = max|got - want| / max|want|, and exits 1 when any R exceeds T
(default 1e-4), a file is missing or unexpected, or a shape differs.

With --write it instead saves the oracle's outputs (attention maps
included) as float32 DIR/<name>.npy, e.g. to test this script or to feed a
later entry (decode_step's past keys and values).
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nn_transformer  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("model")
    p.add_argument("--entry", required=True)
    p.add_argument("--input", action="append", default=[])
    p.add_argument("--output-dir", required=True)
    p.add_argument("--tolerance", type=float, default=1e-4)
    p.add_argument("--write", action="store_true",
                   help="write the oracle's outputs (float32) into "
                        "--output-dir instead of comparing")
    args = p.parse_args()

    model = nn_transformer.load(args.model)
    try:
        names = model.entry_inputs(args.entry)
    except ValueError as e:
        print(e)
        return 1
    if len(names) != len(args.input):
        print("entry '%s' takes %d inputs (%s), got %d"
              % (args.entry, len(names), ", ".join(names), len(args.input)))
        return 1
    inputs = {n: np.load(f) for n, f in zip(names, args.input)}
    expected = model.run(args.entry, inputs)
    if args.write:
        os.makedirs(args.output_dir, exist_ok=True)
        for name, value in expected.items():
            np.save(os.path.join(args.output_dir, name + ".npy"),
                    value.astype(np.float32))
        return 0

    # attnc computes in the description's dtype; .npy has no bfloat16, so
    # bf16 results come back as float32.
    dtype = np.dtype(np.float16 if getattr(model, "cfg", {}).get("dtype")
                     == "f16" else np.float32)
    failures = 0
    written = {f[:-4] for f in os.listdir(args.output_dir)
               if f.endswith(".npy")}
    for name in sorted(written - set(expected)):
        print("%s: unexpected output %s.npy" % (name, name))
        failures += 1
    for name, want in expected.items():
        path = os.path.join(args.output_dir, name + ".npy")
        if name not in written:
            if name.startswith("attention."):
                continue  # maps are written only when requested
            print("%s: %s was not written" % (name, path))
            failures += 1
            continue
        got = np.load(path)
        if got.shape != want.shape or got.dtype != dtype:
            print("%s: got %s%s, expected %s%s"
                  % (name, got.dtype, list(got.shape), dtype,
                     list(want.shape)))
            failures += 1
            continue
        diff = np.abs(got.astype(np.float64) - want)
        abs_err = float(diff.max()) if diff.size else 0.0
        scale = float(np.abs(want).max()) if want.size else 0.0
        rel_err = abs_err / scale if scale > 0 else abs_err
        ok = np.isfinite(got).all() and rel_err <= args.tolerance
        print("%s: %s max abs error %.3g, rel error %.3g%s"
              % (name, list(want.shape), abs_err, rel_err,
                 "" if ok else " EXCEEDS %g" % args.tolerance))
        failures += not ok
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
