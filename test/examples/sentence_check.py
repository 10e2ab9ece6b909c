#!/usr/bin/env python3
"""Checks sentence-encoder's cosine similarities against the fp64 NumPy BERT
oracle (test/models/nn_transformer.py): mean pooling over the kept tokens,
then the cosine of every pair.

Usage: sentence_check.py MODEL_DIR input_ids.npy attention_mask.npy OUTPUT

OUTPUT is what sentence-encoder printed. Exits non-zero unless every
"cosine(a, b) = x" line is within 1e-4 of the oracle and every pair is there.
"""

import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "models"))
import nn_transformer  # noqa: E402


def main():
    model_dir, ids_path, mask_path, output = sys.argv[1:5]
    ids, mask = np.load(ids_path), np.load(mask_path)
    hidden = nn_transformer.Bert(model_dir).run(
        "forward", {"input_ids": ids, "attention_mask": mask})[
            "last_hidden_state"]
    keep = mask[:, :, None].astype(np.float64)
    pooled = (hidden * keep).sum(1) / np.maximum(keep.sum(1), 1)
    got = {}
    with open(output) as f:
        for line in f:
            m = re.match(r"cosine\((\d+), (\d+)\) = (\S+)", line)
            if m:
                got[(int(m.group(1)), int(m.group(2)))] = float(m.group(3))
    status = 0
    for a in range(len(pooled)):
        for b in range(a + 1, len(pooled)):
            want = pooled[a] @ pooled[b] / np.sqrt(
                (pooled[a] @ pooled[a]) * (pooled[b] @ pooled[b]))
            if (a, b) not in got:
                print("cosine(%d, %d): missing" % (a, b))
                status = 1
                continue
            err = abs(got[(a, b)] - want)
            ok = err <= 1e-4
            print("cosine(%d, %d): %.6f, oracle %.6f, error %.1e (%s)"
                  % (a, b, got[(a, b)], want, err, "ok" if ok else "FAILED"))
            status |= not ok
    return status


if __name__ == "__main__":
    sys.exit(main())
