#!/usr/bin/env python3
"""Checks the NumPy oracle against itself before it judges attnc.

Usage: oracle_selftest.py SCRATCH_DIR

For random models of every architecture it checks that the oracle's
incremental entries agree with its `forward` (encode + decode = forward;
decode of a prefix then decode_step of the next token = forward's last
position, with presents that grow by that token), that attention weights are
distributions over exactly the visible keys (padding, causal and window
rules), and that a GQA model whose key/value heads are copies equals the
multi-head model it was made from. Prints one line per check; exits 1 on the
first failure.
"""

import json
import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(here, "..", "..", "examples", "python"))
import attnc_models  # noqa: E402
import nn_transformer  # noqa: E402

BASE = {"d_model": 16, "heads": 4, "ffn_dim": 24, "layers": 2,
        "max_length": 32}


def check(name, ok, detail=""):
    print("%s: %s%s" % (name, "ok" if ok else "FAILED", detail))
    if not ok:
        sys.exit(1)


def close(a, b):
    return float(np.abs(a - b).max()) <= 1e-10 * max(1.0, np.abs(b).max())


def make(scratch, name, config, seed):
    return nn_transformer.load(
        attnc_models.write_model(os.path.join(scratch, name), config, seed))


def incremental_decoder(scratch):
    for norm in ("post", "pre"):
        cfg = dict(BASE, architecture="decoder", vocab=11, norm=norm,
                   decoder_layer_attention=["causal", {"local": 2}])
        m = make(scratch, "dec-" + norm, cfg, 1)
        ids = np.random.default_rng(2).integers(1, 11, (2, 6))
        full = m.run("forward", {"input_ids": ids})
        prefix = m.run("decode", {"input_ids": ids[:, :5]})
        step_in = {"input_ids": ids[:, 5:]}
        step_in.update({k.replace("present", "past"): v
                        for k, v in prefix.items() if k.startswith("present")})
        step = m.run("decode_step", step_in)
        check("decoder %s: decode + decode_step = forward" % norm,
              close(prefix["logits"], full["logits"][:, :5])
              and close(step["logits"], full["logits"][:, 5:]))
        whole = m.run("decode", {"input_ids": ids})
        check("decoder %s: decode_step presents = decode's" % norm,
              all(close(step[k], whole[k]) for k in whole
                  if k.startswith("present")))
        w = full["attention.decoder.1.self"]
        i, j = np.indices(w.shape[2:])
        check("decoder %s: causal window 2 weights" % norm,
              np.all(w[..., (j > i) | (j < i - 2)] == 0)
              and close(w.sum(-1), np.ones(w.shape[:-1])))


def incremental_encoder_decoder(scratch):
    cfg = dict(BASE, architecture="encoder-decoder", src_vocab=13,
               tgt_vocab=9, norm="pre", activation="gelu", kv_heads=2,
               positional="learned")
    m = make(scratch, "encdec", cfg, 3)
    rng = np.random.default_rng(4)
    src, mask = attnc_models.random_tokens(rng, 2, 7, 13, lengths=[7, 3])
    tgt = rng.integers(1, 9, (2, 4))
    full = m.run("forward", {"src_ids": src, "src_mask": mask, "tgt_ids": tgt})
    enc = m.run("encode", {"src_ids": src, "src_mask": mask})
    cross = {k: v for k, v in enc.items() if k.startswith("cross")}
    dec = m.run("decode", dict(cross, tgt_ids=tgt[:, :3], src_mask=mask))
    past = {k.replace("present", "past"): v for k, v in dec.items()
            if k.startswith("present")}
    step = m.run("decode_step", dict(cross, **past, input_ids=tgt[:, 3:],
                                     src_mask=mask))
    check("encoder-decoder: encode + decode + decode_step = forward",
          close(dec["logits"], full["logits"][:, :3])
          and close(step["logits"], full["logits"][:, 3:]))
    check("encoder-decoder: cross keys are [B, Hkv, Ls, D]",
          enc["cross_key_0"].shape == (2, 2, 7, 4))
    for name in ("attention.encoder.0", "attention.decoder.0.cross"):
        w = full[name]
        check("encoder-decoder: %s ignores padded keys" % name,
              np.all(w[1, :, :, 3:] == 0)
              and close(w.sum(-1), np.ones(w.shape[:-1])))


def gqa_equals_copied_heads(scratch):
    """A kv_heads=2 model vs the heads=4 model whose K/V heads 2h, 2h+1 are
    copies of GQA head h (query head g reads KV head g // 2)."""
    cfg = dict(BASE, architecture="encoder", vocab=10, kv_heads=2)
    path = attnc_models.write_model(os.path.join(scratch, "gqa"), cfg, 5)
    gqa = nn_transformer.load(path)
    mha = nn_transformer.load(path)
    for layer in mha.encoder:
        a = layer.self_attn
        d = a.head_dim
        expand = lambda t: np.repeat(t.reshape(2, d, *t.shape[1:]), 2,
                                     axis=0).reshape(4 * d, *t.shape[1:])
        a.wk, a.bk, a.wv, a.bv = (expand(a.wk), expand(a.bk), expand(a.wv),
                                  expand(a.bv))
        a.kv_heads = 4
    rng = np.random.default_rng(6)
    ids, mask = attnc_models.random_tokens(rng, 2, 5, 10, lengths=[5, 2])
    inputs = {"input_ids": ids, "attention_mask": mask}
    check("encoder: GQA = multi-head with copied key/value heads",
          close(gqa.run("forward", inputs)["last_hidden_state"],
                mha.run("forward", inputs)["last_hidden_state"]))


def bert_padding(scratch):
    cfg = attnc_models.bert_config(vocab_size=20, hidden=16, heads=2,
                                   layers=1, intermediate=32)
    m = nn_transformer.load(
        attnc_models.write_bert(os.path.join(scratch, "bert"), cfg, 7))
    rng = np.random.default_rng(8)
    ids, mask = attnc_models.random_tokens(rng, 2, 6, 20, lengths=[6, 4])
    out = m.run("forward", {"input_ids": ids, "attention_mask": mask})
    # Padding must not change the unpadded tokens' states.
    alone = m.run("forward", {"input_ids": ids[1:, :4],
                              "attention_mask": mask[1:, :4]})
    check("bert: padded row = the same row unpadded",
          close(out["last_hidden_state"][1, :4],
                alone["last_hidden_state"][0]))


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    os.makedirs(argv[1], exist_ok=True)
    incremental_decoder(argv[1])
    incremental_encoder_decoder(argv[1])
    gqa_equals_copied_heads(argv[1])
    bert_padding(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
