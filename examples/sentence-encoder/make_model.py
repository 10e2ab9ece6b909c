#!/usr/bin/env python3
"""The sentence-encoder example's data: a tiny random BERT and its tokenizer.

Usage:
  make_model.py model OUT_DIR [--seed N]
  make_model.py tokenize [--wordpiece] MODEL_DIR OUT_DIR SENTENCE...

`model` writes a Hugging Face BERT directory, which attnc reads as a model
description: config.json (hidden 64, 4 heads, 2 layers, intermediate 128,
64 positions), model.safetensors (random weights seeded by --seed, default
0, under HF's "bert." names) and vocab.txt (a word-level vocabulary: [PAD]
[UNK] [CLS] [SEP] [MASK], then the lower-cased words and punctuation of a
small built-in corpus).

`tokenize` turns the sentences into the encoder's inputs with MODEL_DIR's
vocab.txt: OUT_DIR/input_ids.npy and OUT_DIR/attention_mask.npy (int64
[B, L]: `[CLS] words [SEP]`, unknown words as [UNK], right-padded with
[PAD] = 0 and mask 0), and prints the tokens of each sentence.
--wordpiece tokenizes as Hugging Face's BertTokenizer does with an uncased
checkpoint's vocab.txt (basic tokenization with accents stripped, then
WordPiece with ## pieces), for a real model such as all-MiniLM-L6-v2
(test/models/minilm.test).

Needs numpy and safetensors (scripts/requirements-test.txt).
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "python"))
import attnc_models  # noqa: E402

CORPUS = [
    "The cat sat on the mat.",
    "A dog slept under the old table.",
    "Compilers turn programs into fast machine code.",
    "Attention lets every word look at every other word.",
    "The weather is cold and rainy today.",
    "She reads a book about small neural networks.",
    "Is this sentence similar to that one?",
]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    m = sub.add_parser("model", help="write the BERT directory")
    m.add_argument("out_dir")
    m.add_argument("--seed", type=int, default=0)
    t = sub.add_parser("tokenize", help="write input_ids/attention_mask")
    t.add_argument("--wordpiece", action="store_true",
                   help="BERT basic + WordPiece tokenization (a real "
                        "checkpoint's vocab.txt)")
    t.add_argument("model_dir")
    t.add_argument("out_dir")
    t.add_argument("sentences", nargs="+")
    args = p.parse_args()

    if args.command == "model":
        vocab = attnc_models.build_vocab(CORPUS)
        config = attnc_models.bert_config(len(vocab), hidden=64, heads=4,
                                          layers=2, intermediate=128,
                                          max_positions=64)
        attnc_models.write_bert(args.out_dir, config, args.seed, vocab)
        print("wrote %s (BERT, %d-word vocabulary)" % (args.out_dir,
                                                      len(vocab)))
        return 0

    vocab = attnc_models.read_vocab(os.path.join(args.model_dir, "vocab.txt"))
    ids, mask, tokens = attnc_models.tokenize(
        vocab, args.sentences, wordpiece_vocab=args.wordpiece)
    attnc_models.save_inputs(args.out_dir, {"input_ids": ids,
                                            "attention_mask": mask})
    for row in tokens:
        print(" ".join(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
