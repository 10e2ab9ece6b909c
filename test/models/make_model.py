#!/usr/bin/env python3
"""Writes a random, seeded attnc model description and inputs for it.

Usage:
  make_model.py json OUT_DIR --config JSON [--seed N] [--prefix P]
  make_model.py bert OUT_DIR [--config JSON] [--seed N] [--prefix P]
  ... [--inputs DIR --lengths N,N,... [--tgt-length N] [--step]]

`json` writes OUT_DIR/model.json (the --config object, model-spec.md) and
OUT_DIR/model.safetensors with nn.Transformer state_dict names, nn.Transformer's
own under --prefix (e.g. "transformer."). `bert` writes a Hugging Face BERT
directory (config.json: attnc_models.bert_config updated with --config;
model.safetensors under --prefix, default "bert."; vocab.txt).

--inputs writes the `forward` entry's inputs as DIR/<name>.npy, int64, one
batch row per --lengths entry: encoder models get input_ids and an
attention_mask whose row b keeps lengths[b] tokens then pads (id 0); decoder
models get input_ids of max(lengths) tokens; encoder-decoder models get
src_ids/src_mask like an encoder and tgt_ids of --tgt-length tokens starting
with tokens.bos when the description has one. --step adds step_ids
([B, 1]), a next token for decode_step.
"""

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "examples", "python"))
import attnc_models  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("kind", choices=["json", "bert"])
    p.add_argument("out_dir")
    p.add_argument("--config", default="{}",
                   help="JSON object: the description (json) or BertConfig "
                        "fields to override (bert)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--prefix", default=None)
    p.add_argument("--inputs", help="directory for the forward inputs")
    p.add_argument("--lengths", default="",
                   help="comma-separated valid lengths, one per batch row")
    p.add_argument("--tgt-length", type=int, default=0)
    p.add_argument("--step", action="store_true",
                   help="also write step_ids.npy: one more token per row, "
                        "the input of decode_step")
    args = p.parse_args()
    if args.inputs and not args.lengths:
        p.error("--inputs needs --lengths")
    config = json.loads(args.config)

    if args.kind == "json":
        attnc_models.write_model(args.out_dir, config, args.seed,
                                 prefix=args.prefix or "")
        arch = config["architecture"]
        src_vocab, tgt_vocab = attnc_models.vocab_sizes(config)
        pad = config.get("tokens", {}).get("pad", 0)
    else:
        fields = attnc_models.bert_config(vocab_size=0)
        fields.update(config)
        vocab = None
        if not fields["vocab_size"]:
            # A synthetic word-level vocabulary: the specials and w5, w6, ...
            vocab = attnc_models.BERT_SPECIAL_TOKENS + [
                "w%d" % i for i in range(5, 50)]
            fields["vocab_size"] = len(vocab)
        attnc_models.write_bert(args.out_dir, fields, args.seed, vocab,
                                prefix="bert." if args.prefix is None
                                else args.prefix)
        arch = "encoder"
        src_vocab = tgt_vocab = fields["vocab_size"]
        pad = fields.get("pad_token_id", 0)

    if args.inputs:
        lengths = [int(n) for n in args.lengths.split(",")]
        rng = np.random.default_rng(args.seed + 1)
        length = max(lengths)
        inputs = {}
        if arch == "decoder":
            inputs["input_ids"], _ = attnc_models.random_tokens(
                rng, len(lengths), length, tgt_vocab, pad=pad)
        else:
            ids, mask = attnc_models.random_tokens(
                rng, len(lengths), length, src_vocab, lengths, pad=pad)
            names = (("src_ids", "src_mask") if arch == "encoder-decoder"
                     else ("input_ids", "attention_mask"))
            inputs[names[0]], inputs[names[1]] = ids, mask
        if arch == "encoder-decoder":
            tgt, _ = attnc_models.random_tokens(rng, len(lengths),
                                                args.tgt_length, tgt_vocab,
                                                pad=pad)
            bos = config.get("tokens", {}).get("bos")
            if bos is not None:
                tgt[:, 0] = bos
            inputs["tgt_ids"] = tgt
        if args.step:
            inputs["step_ids"], _ = attnc_models.random_tokens(
                rng, len(lengths), 1, tgt_vocab, pad=pad)
        attnc_models.save_inputs(args.inputs, inputs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
