"""Random, seeded attnc model descriptions and their inputs (test and example data).

Shared by the example scripts (examples/*/make_*.py) and the model tests
(test/models). It writes the formats of frontend/README.md:

- a JSON description (model.json) with its weights (model.safetensors) named
  like PyTorch's nn.Transformer state_dict;
- a Hugging Face BERT directory: config.json, model.safetensors, vocab.txt.

Only numpy and the `safetensors` package are used; this is test and example
tooling, never part of attnc itself.
"""

import json
import math
import os
import re
import unicodedata

import numpy as np
from safetensors.numpy import save_file

# ----------------------------------------------------------------------------
# JSON descriptions with nn.Transformer weight names


def layer_count(config, stack):
    """Layer count of a description's "encoder" or "decoder" stack (0 when
    its architecture has no such stack)."""
    arch = config["architecture"]
    if arch not in (stack, "encoder-decoder"):
        return 0
    if arch == "encoder-decoder":
        return config.get(stack + "_layers", config.get("layers"))
    return config["layers"]


def vocab_sizes(config):
    """(source/input vocabulary, target/output vocabulary)."""
    if "vocab" in config:
        return config["vocab"], config["vocab"]
    return config["src_vocab"], config["tgt_vocab"]


class _Init:
    """Weight initialisation in the spirit of PyTorch's defaults.

    Linear weights and biases are uniform in +-1/sqrt(fan_in) (nn.Linear),
    embeddings standard normal (nn.Embedding). LayerNorm scales and shifts are
    perturbed around (1, 0), so that a loader that swaps or drops them gives
    visibly different numbers. `attention_gain` multiplies the query and key
    projections: above 1 it sharpens the softmax, which makes attention maps
    of a random model show structure instead of near-uniform rows.
    """

    def __init__(self, seed, attention_gain=1.0):
        self.rng = np.random.default_rng(seed)
        self.attention_gain = attention_gain

    def uniform(self, shape, bound):
        return self.rng.uniform(-bound, bound, size=shape).astype(np.float32)

    def linear(self, out_features, in_features):
        bound = 1.0 / math.sqrt(in_features)
        return (self.uniform((out_features, in_features), bound),
                self.uniform((out_features,), bound))

    def embedding(self, rows, dim):
        return self.rng.standard_normal((rows, dim)).astype(np.float32)

    def layer_norm(self, dim):
        return ((1.0 + self.uniform((dim,), 0.1)).astype(np.float32),
                self.uniform((dim,), 0.1))


def _put_attention(weights, name, init, d_model, heads, kv_heads):
    """nn.MultiheadAttention's parameters; for GQA the packed projection has
    H query heads then Hkv key heads then Hkv value heads."""
    head_dim = d_model // heads
    q_rows, kv_rows = heads * head_dim, kv_heads * head_dim
    w, b = init.linear(q_rows + 2 * kv_rows, d_model)
    w[:q_rows + kv_rows] *= init.attention_gain
    weights[name + ".in_proj_weight"] = w
    weights[name + ".in_proj_bias"] = b
    w, b = init.linear(d_model, d_model)
    weights[name + ".out_proj.weight"] = w
    weights[name + ".out_proj.bias"] = b


def _put_linear(weights, name, init, out_features, in_features):
    w, b = init.linear(out_features, in_features)
    weights[name + ".weight"] = w
    weights[name + ".bias"] = b


def _put_norm(weights, name, init, dim):
    g, b = init.layer_norm(dim)
    weights[name + ".weight"] = g
    weights[name + ".bias"] = b


def transformer_weights(config, seed, prefix="", attention_gain=1.0):
    """Random weights for a JSON description, by nn.Transformer state_dict
    name (nn.Transformer's own under `prefix`, e.g. "transformer.")."""
    init = _Init(seed, attention_gain)
    e, f = config["d_model"], config["ffn_dim"]
    h = config["heads"]
    hkv = config.get("kv_heads", h)
    final_norm = config.get("final_norm", True)
    arch = config["architecture"]
    w = {}

    def layer(kind, i, cross):
        base = "%s%s.layers.%d" % (prefix, kind, i)
        _put_attention(w, base + ".self_attn", init, e, h, hkv)
        if cross:
            _put_attention(w, base + ".multihead_attn", init, e, h, hkv)
        _put_linear(w, base + ".linear1", init, f, e)
        _put_linear(w, base + ".linear2", init, e, f)
        for n in range(1, 4 if cross else 3):
            _put_norm(w, "%s.norm%d" % (base, n), init, e)

    for stack in ("encoder", "decoder"):
        count = layer_count(config, stack)
        for i in range(count):
            layer(stack, i,
                  cross=(stack == "decoder" and arch == "encoder-decoder"))
        if count and final_norm:
            _put_norm(w, prefix + stack + ".norm", init, e)

    src_vocab, tgt_vocab = vocab_sizes(config)
    learned = config.get("positional", "sinusoidal") == "learned"
    max_length = config.get("max_length", 512)
    sides = ["src_", "tgt_"] if arch == "encoder-decoder" else [""]
    for side, vocab in zip(sides, [src_vocab, tgt_vocab]):
        w[side + "embedding.weight"] = init.embedding(vocab, e)
        if learned:
            w[side + "pos_embedding.weight"] = init.embedding(max_length, e)
    if arch != "encoder" and not config.get("tie_output", False):
        _put_linear(w, "generator", init, tgt_vocab, e)
    return w


def write_model(out_dir, config, seed, prefix="", attention_gain=1.0,
                json_name="model.json"):
    """Writes OUT_DIR/model.json (config plus "weights") and the random
    weights it names; returns the JSON path."""
    os.makedirs(out_dir, exist_ok=True)
    config = dict(config)
    config.setdefault("weights", "model.safetensors")
    weights = transformer_weights(config, seed, prefix, attention_gain)
    save_file(weights, os.path.join(out_dir, config["weights"]))
    path = os.path.join(out_dir, json_name)
    with open(path, "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    return path


# ----------------------------------------------------------------------------
# Hugging Face BERT directories

BERT_SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
# Sequence-to-sequence specials at the ids of the descriptions' "tokens":
# pad 0, bos 1, eos 2.
SEQ2SEQ_SPECIAL_TOKENS = ["<pad>", "<s>", "</s>", "<unk>"]
SEQ2SEQ_TOKENS = {"pad": 0, "bos": 1, "eos": 2}


def bert_config(vocab_size, hidden=64, heads=4, layers=2, intermediate=128,
                max_positions=64, eps=1e-12):
    """A transformers.BertConfig as config.json holds it."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": vocab_size,
        "hidden_size": hidden,
        "num_attention_heads": heads,
        "num_hidden_layers": layers,
        "intermediate_size": intermediate,
        "hidden_act": "gelu",
        "max_position_embeddings": max_positions,
        "type_vocab_size": 2,
        "layer_norm_eps": eps,
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
    }


def bert_weights(config, seed, prefix="bert.", attention_gain=1.0):
    """Random BertModel weights by HF name (with a pooler, which attnc
    ignores, as a real checkpoint has one)."""
    init = _Init(seed, attention_gain)
    e, f = config["hidden_size"], config["intermediate_size"]
    w = {}
    emb = prefix + "embeddings."
    w[emb + "word_embeddings.weight"] = init.embedding(config["vocab_size"], e)
    w[emb + "position_embeddings.weight"] = init.embedding(
        config["max_position_embeddings"], e)
    w[emb + "token_type_embeddings.weight"] = init.embedding(
        config["type_vocab_size"], e)
    _put_norm(w, emb + "LayerNorm", init, e)
    for i in range(config["num_hidden_layers"]):
        base = "%sencoder.layer.%d." % (prefix, i)
        for name in ("query", "key", "value"):
            _put_linear(w, base + "attention.self." + name, init, e, e)
            if name != "value":
                w[base + "attention.self." + name + ".weight"] *= \
                    init.attention_gain
        _put_linear(w, base + "attention.output.dense", init, e, e)
        _put_norm(w, base + "attention.output.LayerNorm", init, e)
        _put_linear(w, base + "intermediate.dense", init, f, e)
        _put_linear(w, base + "output.dense", init, e, f)
        _put_norm(w, base + "output.LayerNorm", init, e)
    _put_linear(w, prefix + "pooler.dense", init, e, e)
    return w


def write_bert(out_dir, config, seed, vocab=None, prefix="bert.",
               attention_gain=1.0):
    """Writes an HF BERT directory: config.json, model.safetensors and, when
    `vocab` (a token list) is given, vocab.txt. Returns OUT_DIR."""
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    save_file(bert_weights(config, seed, prefix, attention_gain),
              os.path.join(out_dir, "model.safetensors"),
              metadata={"format": "pt"})
    if vocab is not None:
        write_vocab(os.path.join(out_dir, "vocab.txt"), vocab)
    return out_dir


# ----------------------------------------------------------------------------
# Vocabularies in BERT's vocab.txt layout (one token per line, the id is the
# line number): a word-level one built from a corpus, and a tokenizer that
# reads either it or a real checkpoint's WordPiece vocabulary.

_WORD = re.compile(r"\w+|[^\w\s]")


def words(text):
    """Lower-cased words and punctuation marks, BERT's basic tokenisation
    without the WordPiece step."""
    return _WORD.findall(text.lower())


def build_vocab(texts, specials=BERT_SPECIAL_TOKENS):
    """The special tokens, then every word of `texts` in first-seen order."""
    vocab = list(specials)
    seen = set(vocab)
    for text in texts:
        for w in words(text):
            if w not in seen:
                seen.add(w)
                vocab.append(w)
    return vocab


def write_vocab(path, vocab):
    with open(path, "w", encoding="utf-8") as f:
        for token in vocab:
            f.write(token + "\n")


def read_vocab(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


def _is_punctuation(ch):
    # BertTokenizer's rule: all non-alphanumeric ASCII, and Unicode P*.
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF
            or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def bert_words(text):
    """BERT's basic tokenisation, as Hugging Face's BertTokenizer does it for
    an uncased model (do_lower_case, tokenize_chinese_chars, accents
    stripped): control characters dropped, whitespace normalised, spaces
    around CJK ideographs, lower-cased, accents removed (NFD without
    combining marks), then split at whitespace and around every punctuation
    character."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        cp = ord(ch)
        if ch in " \t\n\r" or unicodedata.category(ch) == "Zs":
            out.append(" ")
        elif cp == 0 or cp == 0xFFFD or unicodedata.category(ch).startswith("C"):
            continue
        elif _is_cjk(cp):
            out.append(" %s " % ch)
        else:
            out.append(ch)
    result = []
    for token in "".join(out).split():
        token = unicodedata.normalize("NFD", token.lower())
        token = "".join(c for c in token if unicodedata.category(c) != "Mn")
        word = ""
        for c in token:
            if _is_punctuation(c):
                if word:
                    result.append(word)
                result.append(c)
                word = ""
            else:
                word += c
        if word:
            result.append(word)
    return result


def wordpiece(word, ids, unk="[UNK]", max_chars=100):
    """BERT's WordPiece: the longest prefix of `word` in `ids`, then the
    longest continuation as `##piece`, and so on; a word that cannot be
    covered (or has more than max_chars characters) is `unk`."""
    if len(word) > max_chars:
        return [unk]
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in ids:
                break
            end -= 1
        if end == start:
            return [unk]
        pieces.append(piece)
        start = end
    return pieces


def tokenize(vocab, sentences, begin="[CLS]", end="[SEP]", pad="[PAD]",
             unk="[UNK]", wordpiece_vocab=False):
    """A padded batch: `begin words end` per sentence (BERT's
    `[CLS] ... [SEP]` by default; None leaves a marker out), right-padded
    with `pad` to the longest. With a word-level vocabulary (the default)
    the words are `words(s)` and those missing from it are `unk`; with
    wordpiece_vocab, a real BERT checkpoint's vocab.txt, they are
    `bert_words(s)` split by `wordpiece` (BertTokenizer's ids for uncased
    models). Returns (input_ids, attention_mask, tokens): int64 [B, L]
    arrays (mask 1 = token, 0 = padding) and each row's token strings
    (unpadded)."""
    ids = {t: i for i, t in enumerate(vocab)}
    rows = []
    for s in sentences:
        if wordpiece_vocab:
            row = [p for w in bert_words(s) for p in wordpiece(w, ids, unk)]
        else:
            row = [w if w in ids else unk for w in words(s)]
        rows.append(([begin] if begin else []) + row + ([end] if end else []))
    length = max(len(r) for r in rows)
    input_ids = np.full((len(rows), length), ids[pad], dtype=np.int64)
    mask = np.zeros((len(rows), length), dtype=np.int64)
    for b, r in enumerate(rows):
        input_ids[b, :len(r)] = [ids[t] for t in r]
        mask[b, :len(r)] = 1
    return input_ids, mask, rows


# ----------------------------------------------------------------------------
# Inputs


def random_tokens(rng, batch, length, vocab, lengths=None, pad=0, low=None):
    """int64 [batch, length] ids drawn from [low, vocab) (low defaults to
    the first id above `pad`) and the matching 1/0 mask: row b holds
    lengths[b] tokens then padding (all `length` when lengths is None)."""
    low = pad + 1 if low is None else low
    ids = rng.integers(low, vocab, size=(batch, length), dtype=np.int64)
    mask = np.ones((batch, length), dtype=np.int64)
    for b, n in enumerate(lengths or []):
        ids[b, n:] = pad
        mask[b, n:] = 0
    return ids, mask


def save_inputs(out_dir, arrays):
    """Writes every NAME -> array as OUT_DIR/NAME.npy."""
    os.makedirs(out_dir, exist_ok=True)
    for name, value in arrays.items():
        np.save(os.path.join(out_dir, name + ".npy"), value)
