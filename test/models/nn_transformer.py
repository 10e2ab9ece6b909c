"""An fp64 NumPy oracle for attnc's model descriptions.

Written from the documented semantics of PyTorch's nn.Transformer /
nn.MultiheadAttention and Hugging Face's BertModel (not from attnc's code):

- nn.MultiheadAttention: packed in_proj [q; k; v] rows, per-head scaled dot
  products with scale 1/sqrt(head_dim), key padding masks, out_proj. attnc
  extends it with grouped-query attention: H query heads and Hkv key/value
  heads, query head h reading key/value head h // (H / Hkv).
- TransformerEncoderLayer / TransformerDecoderLayer, post-norm
  (norm_first=False: x = norm(x + block(x))) and pre-norm
  (norm_first=True: x = x + block(norm(x))), ReLU or GELU feed-forward.
- nn.Transformer's final encoder.norm / decoder.norm.
- attnc's embeddings (model-spec): x = emb[id] * scale + pe[pos], sinusoidal
  pe[p, 2i] = sin(p / 10000^(2i/E)), pe[p, 2i+1] = cos(...), or learned;
  a generator Linear (or the tied target embedding) gives the logits.
- BertModel: word + position + token type 0 embeddings, LayerNorm; each layer
  separate q/k/v Linears, additive padding mask, attention output dense +
  residual + LayerNorm, intermediate dense + erf GELU, output dense +
  residual + LayerNorm; the encoder's last hidden state.

Masks are 1 = keep, 0 = padding. Causal attention is bottom-right aligned
(query i of Lq sees key j of Lk iff j <= i + Lk - Lq), as PyTorch's
causal_lower_right and a KV cache need. A query that sees no key gets zero
weights (PyTorch's choice for fully masked rows in its fused kernels).
"""

import json
import math
import os

import numpy as np
from safetensors.numpy import load_file

_erf = np.vectorize(math.erf, otypes=[np.float64])

ACTIVATIONS = {
    "relu": lambda x: np.maximum(x, 0.0),
    "gelu": lambda x: 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0))),
    "gelu_tanh": lambda x: 0.5 * x * (1.0 + np.tanh(
        math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3))),
}


def linear(x, w, b=None):
    y = x @ w.T
    return y if b is None else y + b


def layer_norm(x, g, b, eps):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * g + b


def softmax_rows(scores, visible):
    """Softmax over the last axis of the visible scores; rows that see
    nothing are all zero."""
    s = np.where(visible, scores, -np.inf)
    top = s.max(axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    e = np.where(visible, np.exp(s - top), 0.0)
    total = e.sum(axis=-1, keepdims=True)
    return np.divide(e, total, out=np.zeros_like(e), where=total > 0)


def sinusoidal(length, dim, start=0):
    pos = np.arange(start, start + length, dtype=np.float64)[:, None]
    i2 = np.arange(0, dim, 2, dtype=np.float64)
    angle = pos / np.power(10000.0, i2 / dim)
    pe = np.zeros((length, dim))
    pe[:, 0::2] = np.sin(angle)
    pe[:, 1::2] = np.cos(angle[:, :dim // 2])
    return pe


def visibility(lq, lk, causal=False, left=None, right=None):
    """[Lq, Lk] booleans: which keys each query sees. The diagonal is
    bottom-right aligned; `left`/`right` bound how far before/after it
    (None: unbounded)."""
    i = np.arange(lq)[:, None] + (lk - lq)
    j = np.arange(lk)[None, :]
    ok = np.ones((lq, lk), dtype=bool)
    if causal:
        ok &= j <= i
    if left is not None:
        ok &= j >= i - left
    if right is not None:
        ok &= j <= i + right
    return ok


class Attention:
    """nn.MultiheadAttention (batch_first) with GQA, from its parameters."""

    def __init__(self, params, prefix, heads, kv_heads):
        w = params[prefix + ".in_proj_weight"]
        b = params[prefix + ".in_proj_bias"]
        e = w.shape[1]
        self.heads, self.kv_heads = heads, kv_heads
        self.head_dim = e // heads
        q_rows = heads * self.head_dim
        kv_rows = kv_heads * self.head_dim
        assert w.shape[0] == q_rows + 2 * kv_rows, prefix
        self.wq, self.bq = w[:q_rows], b[:q_rows]
        self.wk, self.bk = w[q_rows:q_rows + kv_rows], b[q_rows:q_rows + kv_rows]
        self.wv, self.bv = w[q_rows + kv_rows:], b[q_rows + kv_rows:]
        self.wo = params[prefix + ".out_proj.weight"]
        self.bo = params[prefix + ".out_proj.bias"]

    def split(self, x, heads):
        b, l, _ = x.shape
        return x.reshape(b, l, heads, self.head_dim).transpose(0, 2, 1, 3)

    def keys_values(self, source):
        """[B, Hkv, L, D] keys and values of a source sequence."""
        return (self.split(linear(source, self.wk, self.bk), self.kv_heads),
                self.split(linear(source, self.wv, self.bv), self.kv_heads))

    def attend(self, x, k, v, visible):
        """Queries from x [B, Lq, E] against k/v [B, Hkv, Lk, D];
        visible broadcasts to [B, H, Lq, Lk]. Returns the projected output
        [B, Lq, E] and the weights [B, H, Lq, Lk]."""
        q = self.split(linear(x, self.wq, self.bq), self.heads)
        group = self.heads // self.kv_heads
        k = np.repeat(k, group, axis=1)
        v = np.repeat(v, group, axis=1)
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(self.head_dim)
        weights = softmax_rows(scores, visible)
        out = (weights @ v).transpose(0, 2, 1, 3)
        out = out.reshape(x.shape[0], x.shape[1], self.heads * self.head_dim)
        return linear(out, self.wo, self.bo), weights


def key_padding(mask):
    """[B, Lk] 1/0 mask -> visibility broadcasting to [B, 1, 1, Lk]."""
    return (np.asarray(mask) != 0)[:, None, None, :]


class Layer:
    """One nn.TransformerEncoderLayer / TransformerDecoderLayer (or the
    decoder-only layer: self-attention and feed-forward, norm1/norm2)."""

    def __init__(self, params, prefix, cfg, cross):
        self.cfg = cfg
        h, hkv = cfg["heads"], cfg.get("kv_heads", cfg["heads"])
        self.self_attn = Attention(params, prefix + ".self_attn", h, hkv)
        self.cross_attn = (Attention(params, prefix + ".multihead_attn", h, hkv)
                           if cross else None)
        self.w1 = params[prefix + ".linear1.weight"]
        self.b1 = params[prefix + ".linear1.bias"]
        self.w2 = params[prefix + ".linear2.weight"]
        self.b2 = params[prefix + ".linear2.bias"]
        self.norms = [(params["%s.norm%d.weight" % (prefix, n)],
                       params["%s.norm%d.bias" % (prefix, n)])
                      for n in range(1, 4 if cross else 3)]
        self.act = ACTIVATIONS[cfg.get("activation", "relu")]
        self.eps = cfg.get("epsilon", 1e-5)
        self.pre = cfg.get("norm", "post") == "pre"

    def sublayer(self, x, n, block):
        """Residual block n (0-based) around `block`, post- or pre-norm;
        returns the new x and whatever else the block returned."""
        g, b = self.norms[n]
        if self.pre:
            y, extra = block(layer_norm(x, g, b, self.eps))
            return x + y, extra
        y, extra = block(x)
        return layer_norm(x + y, g, b, self.eps), extra

    def feed_forward(self, x):
        return linear(self.act(linear(x, self.w1, self.b1)), self.w2,
                      self.b2), None

    def __call__(self, x, self_visible, past=None, cross=None):
        """x [B, L, E]. past: (k, v) of earlier positions or None.
        cross: (k, v, visible) of the memory or None. Returns the output,
        the present (k, v), self-attention weights, cross weights."""

        def self_block(h):
            k, v = self.self_attn.keys_values(h)
            if past is not None:
                k = np.concatenate([past[0], k], axis=2)
                v = np.concatenate([past[1], v], axis=2)
            out, w = self.self_attn.attend(h, k, v, self_visible(k.shape[2]))
            return out, (k, v, w)

        x, (k, v, self_w) = self.sublayer(x, 0, self_block)
        cross_w = None
        if self.cross_attn is not None:
            ck, cv, cvis = cross
            x, cross_w = self.sublayer(
                x, 1, lambda h: self.cross_attn.attend(h, ck, cv, cvis))
        x, _ = self.sublayer(x, len(self.norms) - 1, self.feed_forward)
        return x, (k, v), self_w, cross_w


def _window(setting):
    """(causal, left, right) of an "attention" setting: "global", "causal"
    or {"local": W} (W keys on each side of the diagonal)."""
    if setting in (None, "global"):
        return False, None, None
    if setting == "causal":
        return True, None, None
    if isinstance(setting, dict) and set(setting) == {"local"}:
        w = setting["local"]
        return False, w, w
    raise ValueError("unknown attention setting %r" % (setting,))


class Transformer:
    """A JSON description (model-spec.md) with nn.Transformer weights."""

    def __init__(self, json_path):
        with open(json_path) as f:
            cfg = json.load(f)
        self.cfg = cfg
        weights = os.path.join(os.path.dirname(os.path.abspath(json_path)),
                               cfg.get("weights", "model.safetensors"))
        raw = load_file(weights)
        params = {}
        for name, value in raw.items():
            # nn.Transformer's own parameters may sit under "transformer.".
            if name.startswith("transformer."):
                name = name[len("transformer."):]
            params[name] = value.astype(np.float64)
        self.params = params
        self.arch = cfg["architecture"]
        self.d_model = cfg["d_model"]
        self.eps = cfg.get("epsilon", 1e-5)
        enc = dec = 0
        if self.arch == "encoder":
            enc = cfg["layers"]
        elif self.arch == "decoder":
            dec = cfg["layers"]
        else:
            enc = cfg.get("encoder_layers", cfg.get("layers"))
            dec = cfg.get("decoder_layers", cfg.get("layers"))
        self.encoder = [Layer(params, "encoder.layers.%d" % i, cfg, False)
                        for i in range(enc)]
        self.decoder = [Layer(params, "decoder.layers.%d" % i, cfg,
                              self.arch == "encoder-decoder")
                        for i in range(dec)]
        self.final_norm = cfg.get("final_norm", True)
        scale = cfg.get("embedding_scale", "sqrt_d_model")
        self.emb_scale = (math.sqrt(self.d_model) if scale == "sqrt_d_model"
                          else float(scale))
        self.positional = cfg.get("positional", "sinusoidal")
        enc_setting = cfg.get("attention", "global")
        self.enc_rules = [_window(s) for s in
                          cfg.get("layer_attention", [enc_setting] * enc)]
        self.dec_rules = [_window(s) for s in
                          cfg.get("decoder_layer_attention", ["causal"] * dec)]

    # -- pieces -------------------------------------------------------------

    def embed(self, ids, side, start=0):
        """side: "" (encoder/decoder models), "src_" or "tgt_"."""
        table = self.params[side + "embedding.weight"]
        x = table[np.asarray(ids)] * self.emb_scale
        length = x.shape[1]
        if self.positional == "sinusoidal":
            x = x + sinusoidal(length, self.d_model, start)
        elif self.positional == "learned":
            x = x + self.params[side + "pos_embedding.weight"][start:start +
                                                                length]
        return x

    def final(self, x, kind):
        if not self.final_norm:
            return x
        return layer_norm(x, self.params[kind + ".norm.weight"],
                          self.params[kind + ".norm.bias"], self.eps)

    def logits(self, x):
        if self.cfg.get("tie_output", False):
            side = "tgt_" if self.arch == "encoder-decoder" else ""
            return linear(x, self.params[side + "embedding.weight"])
        return linear(x, self.params["generator.weight"],
                      self.params["generator.bias"])

    def encode_states(self, ids, mask, maps):
        side = "src_" if self.arch == "encoder-decoder" else ""
        x = self.embed(ids, side)
        pad = key_padding(mask)
        for i, layer in enumerate(self.encoder):
            causal, left, right = self.enc_rules[i]

            def vis(lk, lq=x.shape[1], c=causal, lo=left, hi=right):
                return pad & visibility(lq, lk, c, lo, hi)

            x, _, w, _ = layer(x, vis)
            maps["attention.encoder.%d" % i] = w
        return self.final(x, "encoder")

    def cross_kv(self, memory):
        return [layer.cross_attn.keys_values(memory) for layer in self.decoder]

    def decode_states(self, ids, start, pasts, cross, src_mask, maps):
        """Decoder over ids at positions start.., with per-layer past (k, v)
        (or Nones) and per-layer cross (k, v) (or None). Returns the logits
        and the presents."""
        side = "tgt_" if self.arch == "encoder-decoder" else ""
        x = self.embed(ids, side, start)
        presents = []
        for i, layer in enumerate(self.decoder):
            _, left, _ = self.dec_rules[i]

            def vis(lk, lq=x.shape[1], lo=left):
                return visibility(lq, lk, True, lo, None)

            c = None
            if cross is not None:
                c = (cross[i][0], cross[i][1], key_padding(src_mask))
            x, present, w, cw = layer(x, vis, pasts[i], c)
            presents.append(present)
            maps["attention.decoder.%d.self" % i] = w
            if cw is not None:
                maps["attention.decoder.%d.cross" % i] = cw
        return self.logits(self.final(x, "decoder")), presents

    # -- entry points (model-spec.md) ---------------------------------------

    def entry_inputs(self, entry):
        """Names of an entry's inputs, in order."""
        n = len(self.decoder)
        kv = lambda kind: [f % i for i in range(n)
                           for f in (kind + "_key_%d", kind + "_value_%d")]
        table = {
            ("encoder", "forward"): ["input_ids", "attention_mask"],
            ("decoder", "forward"): ["input_ids"],
            ("decoder", "decode"): ["input_ids"],
            ("decoder", "decode_step"): ["input_ids"] + kv("past"),
            ("encoder-decoder", "forward"): ["src_ids", "src_mask", "tgt_ids"],
            ("encoder-decoder", "encode"): ["src_ids", "src_mask"],
            ("encoder-decoder", "decode"): ["tgt_ids", "src_mask"] + kv("cross"),
            ("encoder-decoder", "decode_step"):
                ["input_ids", "src_mask"] + kv("cross") + kv("past"),
        }
        if (self.arch, entry) not in table:
            raise ValueError("%s models have no entry '%s'" % (self.arch, entry))
        return table[(self.arch, entry)]

    def run(self, entry, inputs):
        """Outputs of `entry` by name, attention maps included (only
        `forward` returns maps from attnc)."""
        kv = lambda kind: [(inputs["%s_key_%d" % (kind, i)],
                            inputs["%s_value_%d" % (kind, i)])
                           for i in range(len(self.decoder))]
        maps = {}
        out = {}

        def add_presents(presents, kind="present"):
            for i, (k, v) in enumerate(presents):
                out["%s_key_%d" % (kind, i)] = k
                out["%s_value_%d" % (kind, i)] = v

        none = [None] * len(self.decoder)
        if self.arch == "encoder":
            out["last_hidden_state"] = self.encode_states(
                inputs["input_ids"], inputs["attention_mask"], maps)
        elif self.arch == "decoder":
            if entry == "decode_step":
                past = kv("past")
                logits, presents = self.decode_states(
                    inputs["input_ids"], past[0][0].shape[2], past, None, None,
                    maps)
            else:
                logits, presents = self.decode_states(
                    inputs["input_ids"], 0, none, None, None, maps)
            out["logits"] = logits
            if entry != "forward":
                add_presents(presents)
        elif entry in ("forward", "encode"):
            memory = self.encode_states(inputs["src_ids"], inputs["src_mask"],
                                        maps)
            if entry == "encode":
                out["memory"] = memory
                add_presents(self.cross_kv(memory), "cross")
            else:
                out["logits"], _ = self.decode_states(
                    inputs["tgt_ids"], 0, none, self.cross_kv(memory),
                    inputs["src_mask"], maps)
        else:
            step = entry == "decode_step"
            past = kv("past") if step else none
            out["logits"], presents = self.decode_states(
                inputs["input_ids" if step else "tgt_ids"],
                past[0][0].shape[2] if step else 0, past, kv("cross"),
                inputs["src_mask"], maps)
            add_presents(presents)
        if entry == "forward":
            out.update(maps)
        return out


class Bert:
    """A Hugging Face BERT directory (config.json + model.safetensors)."""

    def __init__(self, directory):
        with open(os.path.join(directory, "config.json")) as f:
            self.cfg = cfg = json.load(f)
        params = {}
        for name, value in load_file(
                os.path.join(directory, "model.safetensors")).items():
            if name.startswith("bert."):
                name = name[len("bert."):]
            # Old TensorFlow-converted checkpoints name LayerNorm's
            # parameters gamma/beta.
            name = name.replace("LayerNorm.gamma", "LayerNorm.weight")
            name = name.replace("LayerNorm.beta", "LayerNorm.bias")
            params[name] = value.astype(np.float64)
        self.p = params
        self.heads = cfg["num_attention_heads"]
        self.eps = cfg.get("layer_norm_eps", 1e-12)
        self.layers = cfg["num_hidden_layers"]

    def lin(self, x, name):
        return linear(x, self.p[name + ".weight"], self.p[name + ".bias"])

    def norm(self, x, name):
        return layer_norm(x, self.p[name + ".weight"], self.p[name + ".bias"],
                          self.eps)

    def entry_inputs(self, entry):
        if entry != "forward":
            raise ValueError("BERT encoders have no entry '%s'" % entry)
        return ["input_ids", "attention_mask"]

    def run(self, entry, inputs):
        ids = np.asarray(inputs["input_ids"])
        mask = key_padding(inputs["attention_mask"])
        b, l = ids.shape
        e = self.p["embeddings.word_embeddings.weight"].shape[1]
        d = e // self.heads
        x = (self.p["embeddings.word_embeddings.weight"][ids]
             + self.p["embeddings.position_embeddings.weight"][:l]
             + self.p["embeddings.token_type_embeddings.weight"][0])
        x = self.norm(x, "embeddings.LayerNorm")
        out = {}
        for i in range(self.layers):
            base = "encoder.layer.%d." % i
            split = lambda t: t.reshape(b, l, self.heads, d).transpose(
                0, 2, 1, 3)
            q = split(self.lin(x, base + "attention.self.query"))
            k = split(self.lin(x, base + "attention.self.key"))
            v = split(self.lin(x, base + "attention.self.value"))
            w = softmax_rows(q @ k.transpose(0, 1, 3, 2) / math.sqrt(d), mask)
            ctx = (w @ v).transpose(0, 2, 1, 3).reshape(b, l, e)
            x = self.norm(x + self.lin(ctx, base + "attention.output.dense"),
                          base + "attention.output.LayerNorm")
            h = ACTIVATIONS["gelu"](self.lin(x, base + "intermediate.dense"))
            x = self.norm(x + self.lin(h, base + "output.dense"),
                          base + "output.LayerNorm")
            out["attention.encoder.%d" % i] = w
        out["last_hidden_state"] = x
        return out


def load(path):
    """The oracle for a model description: a JSON file or an HF directory."""
    if os.path.isdir(path):
        return Bert(path)
    return Transformer(path)
