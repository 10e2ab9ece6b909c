#!/usr/bin/env python3
"""The attention-maps example's data: a small random translation model and one sentence pair.

Usage: make_input.py OUT_DIR [--seed N]

OUT_DIR gets
- model.json + model.safetensors: an encoder-decoder (d_model 32, 4 heads,
  2 + 2 layers, post-norm, sinusoidal positions, embedding scale 1) over
  word vocabularies, random but seeded (--seed, default 0), with query and
  key projections scaled up 3x so that each head's softmax is peaked and
  the heatmaps show structure rather than near-uniform rows;
- src_vocab.txt / tgt_vocab.txt: the vocabularies (one token per line, id =
  line number; <pad> 0, <s> 1, </s> 2, <unk> 3);
- src_ids.npy, src_mask.npy, tgt_ids.npy: int64 [1, L] inputs of `forward`
  for an English sentence (ending in </s>) and its German translation
  (starting with <s>);
- src_tokens.txt / tgt_tokens.txt: those tokens, one per line, to label the
  heatmaps' key and query axes.

Needs numpy and safetensors (scripts/requirements-test.txt).
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "python"))
import attnc_models  # noqa: E402

SOURCE = "The quick brown fox jumps over the lazy dog."
TARGET = "Der schnelle braune Fuchs springt über den faulen Hund."
# Sharpens the random model's attention (see attnc_models._Init).
ATTENTION_GAIN = 3.0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()

    specials = attnc_models.SEQ2SEQ_SPECIAL_TOKENS
    src_vocab = attnc_models.build_vocab([SOURCE], specials)
    tgt_vocab = attnc_models.build_vocab([TARGET], specials)
    config = {
        "architecture": "encoder-decoder",
        "d_model": 32,
        "heads": 4,
        "ffn_dim": 64,
        "layers": 2,
        "positional": "sinusoidal",
        "max_length": 32,
        # Unscaled embeddings are about as large as the normalised states
        # of later layers, so one gain suits every layer.
        "embedding_scale": 1.0,
        "src_vocab": len(src_vocab),
        "tgt_vocab": len(tgt_vocab),
        "tokens": attnc_models.SEQ2SEQ_TOKENS,
    }
    attnc_models.write_model(args.out_dir, config, args.seed,
                             attention_gain=ATTENTION_GAIN)

    pad, unk = specials[0], specials[3]
    src_ids, src_mask, src_tokens = attnc_models.tokenize(
        src_vocab, [SOURCE], begin=None, end="</s>", pad=pad, unk=unk)
    tgt_ids, _, tgt_tokens = attnc_models.tokenize(
        tgt_vocab, [TARGET], begin="<s>", end=None, pad=pad, unk=unk)
    attnc_models.save_inputs(args.out_dir, {"src_ids": src_ids,
                                            "src_mask": src_mask,
                                            "tgt_ids": tgt_ids})
    for name, tokens in (("src", src_tokens[0]), ("tgt", tgt_tokens[0])):
        attnc_models.write_vocab(
            os.path.join(args.out_dir, name + "_vocab.txt"),
            src_vocab if name == "src" else tgt_vocab)
        attnc_models.write_vocab(
            os.path.join(args.out_dir, name + "_tokens.txt"), tokens)
        print("%s: %s" % (name, " ".join(tokens)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
