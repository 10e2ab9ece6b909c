#!/usr/bin/env python3
"""Greedy decoding by the fp64 NumPy oracle, recomputing the whole prefix at
every step (no KV cache), to check attnc's cached generation against.

Usage: greedy.py MODEL.json TOKENS.npy [--max-new-tokens N]

For an encoder-decoder model TOKENS is the source batch (int64 [B, L]; the
source mask keeps every token except the model's pad), and decoding starts
from bos; for a decoder-only model TOKENS is the prompt. Prints one line per
row, "oracle[b]: t1 t2 ...", stopping a row at eos as attnc does.
"""

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "models"))
import nn_transformer  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("model")
    p.add_argument("tokens")
    p.add_argument("--max-new-tokens", type=int, default=32)
    args = p.parse_args()

    with open(args.model) as f:
        tokens = json.load(f).get("tokens", {})
    model = nn_transformer.Transformer(args.model)
    given = np.load(args.tokens).astype(np.int64)
    eos, pad = tokens.get("eos"), tokens.get("pad", 0)
    seq2seq = model.arch == "encoder-decoder"
    if seq2seq:
        src_mask = (given != pad).astype(np.int64) if "pad" in tokens \
            else np.ones_like(given)
        prefix = np.full((given.shape[0], 1), tokens["bos"], np.int64)
    else:
        prefix = given
    rows = [[] for _ in range(given.shape[0])]
    done = [False] * given.shape[0]
    for _ in range(args.max_new_tokens):
        if seq2seq:
            logits = model.run("forward", {"src_ids": given,
                                           "src_mask": src_mask,
                                           "tgt_ids": prefix})["logits"]
        else:
            logits = model.run("forward", {"input_ids": prefix})["logits"]
        nxt = logits[:, -1, :].argmax(axis=-1)
        for b, t in enumerate(nxt):
            if done[b]:
                nxt[b] = pad
            rows[b].append(int(nxt[b]))
            done[b] = done[b] or (eos is not None and nxt[b] == eos)
        if all(done):
            break
        prefix = np.concatenate([prefix, nxt[:, None].astype(np.int64)], 1)
    for b, row in enumerate(rows):
        print("oracle[%d]: %s" % (b, " ".join(map(str, row))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
