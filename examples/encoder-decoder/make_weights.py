#!/usr/bin/env python3
"""Writes the encoder-decoder example's model: a small random seq2seq Transformer.

Usage: make_weights.py OUT_DIR [--seed N]

OUT_DIR gets model.json (nn.Transformer-style, post-norm, ReLU, d_model 64,
4 heads, 2 encoder + 2 decoder layers, FFN 128, sinusoidal positions, one
32-token vocabulary with pad 0, bos 1, eos 2) and model.safetensors (random
weights seeded by --seed, default 0; nn.Transformer state_dict names), plus
a source batch to translate: src_ids.npy and src_mask.npy (int64 [2, 7],
the second row 4 tokens then padding, each row ending in eos).

Needs numpy and safetensors (scripts/requirements-test.txt).
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "python"))
import attnc_models  # noqa: E402

CONFIG = {
    "architecture": "encoder-decoder",
    "d_model": 64,
    "heads": 4,
    "ffn_dim": 128,
    "encoder_layers": 2,
    "decoder_layers": 2,
    "activation": "relu",
    "norm": "post",
    "positional": "sinusoidal",
    "max_length": 64,
    "vocab": 32,
    "tokens": attnc_models.SEQ2SEQ_TOKENS,
}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()

    path = attnc_models.write_model(args.out_dir, CONFIG, args.seed)
    # Ordinary tokens are the ids above the specials (pad, bos, eos, 3).
    rng = np.random.default_rng(args.seed + 1)
    lengths = [7, 4]
    ids, mask = attnc_models.random_tokens(rng, len(lengths), max(lengths),
                                           CONFIG["vocab"], lengths, low=4)
    for row, n in zip(ids, lengths):
        row[n - 1] = CONFIG["tokens"]["eos"]
    attnc_models.save_inputs(args.out_dir, {"src_ids": ids, "src_mask": mask})
    print("wrote %s, its weights and src_ids.npy/src_mask.npy" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
