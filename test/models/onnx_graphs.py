#!/usr/bin/env python3
"""Builds Transformer ONNX graphs as exporters write them, with ONNX Runtime's outputs.

Usage:
  onnx_graphs.py make KIND DIR [--seed S] [--batch B] [--length L]
                               [--external-data]
  onnx_graphs.py compare WANT GOT [--tolerance T]

`make` writes DIR/model.onnx (with --external-data its weights go in
DIR/model.onnx.data), one DIR/in/<input>.npy per graph input in graph order,
and DIR/want/<output>.npy: what ONNX Runtime (the test oracle; pip-installed
for the tests only, never on attnc's path) computes for those inputs. The
graphs are built node by node with onnx.helper and random NumPy weights (no
downloads), in the forms the exporters write them:

  bert       torch.onnx's BERT export (opset 17), eager attention: shape
             chains (Shape -> Gather -> Unsqueeze -> Concat -> Reshape),
             MatMul + Add(bias, .) linears, Transpose, MatMul(Q, K^T) / sqrt(d)
             + (1 - mask) * min, Softmax, LayerNormalization, erf GELU as
             Div/Erf/Add/Mul/Mul; dynamic batch and sequence; padded rows.
  bert-sdpa  the same model as torch exports PyTorch's SDPA path: the scale
             split as sqrt(scale) on Q and on K^T, a boolean mask turned into
             Where(mask, 0, -inf), and the Where(IsNaN(p), 0, p) guard.
  gpt2       a GPT-2-style decoder (opset 13): Gemm linears on [-1, E]
             reshapes, a fused QKV Split, a causal mask sliced from a
             constant lower-triangular buffer and applied with Where, tanh
             GELU with Pow 3, LayerNorm written as ReduceMean/Sub/Pow/Sqrt/Div,
             tied logits.
  encdec     an encoder-decoder (opset 20) on embedded inputs: ReduceMean
             with axes as an input, scale on Q before the MatMul, Relu FFN in
             the encoder, the Gelu op in the decoder, a causal mask from
             ConstantOfShape -> Trilu -> Equal -> Where, cross-attention.

`compare` checks every WANT/<name>.npy against GOT/<name>.npy and prints

  NAME: [shape] max abs error A, rel error R

with R = max|got - want| / max|want|; it exits 1 when R exceeds T (default
1e-4), or a file or shape is missing or different.
"""

import argparse
import os
import sys

import numpy as np


def _onnx():
    import onnx
    from onnx import helper, numpy_helper, TensorProto
    return onnx, helper, numpy_helper, TensorProto


class Graph:
    """A graph under construction: nodes, initializers, fresh names."""

    def __init__(self, opset, rng):
        onnx, helper, numpy_helper, TensorProto = _onnx()
        self.helper, self.numpy_helper, self.TP = helper, numpy_helper, TensorProto
        self.opset, self.rng = opset, rng
        self.nodes, self.inits, self.inputs, self.outputs = [], [], [], []
        self.count = {}

    def name(self, base):
        n = self.count.get(base, 0)
        self.count[base] = n + 1
        return "%s_%d" % (base, n)

    def init(self, array, base="w"):
        """An initializer (a weight)."""
        name = self.name(base)
        self.inits.append(self.numpy_helper.from_array(np.asarray(array), name))
        return name

    def weight(self, *shape, base="w"):
        fan_in = shape[0]
        return self.init((self.rng.standard_normal(shape) / np.sqrt(fan_in))
                         .astype(np.float32), base)

    def const(self, value, dtype=None):
        """A Constant node, as torch.onnx emits for literals."""
        array = np.asarray(value, dtype=dtype)
        out = self.name("Constant")
        self.nodes.append(self.helper.make_node(
            "Constant", [], [out],
            value=self.numpy_helper.from_array(array, out + "_value")))
        return out

    def op(self, op_type, inputs, outputs=1, **attrs):
        outs = [self.name(op_type) for _ in range(outputs)]
        self.nodes.append(self.helper.make_node(
            op_type, list(inputs), outs, name=outs[0] + "_node", **attrs))
        return outs[0] if outputs == 1 else outs

    # Shape chains as torch.onnx writes them.
    def dim(self, x, axis):
        """Shape(x)[axis] as an int64 scalar: Shape -> Gather."""
        return self.op("Gather", [self.op("Shape", [x]),
                                  self.const(axis, np.int64)], axis=0)

    def unsqueeze(self, x, axes):
        if self.opset >= 13:
            return self.op("Unsqueeze", [x, self.const(axes, np.int64)])
        return self.op("Unsqueeze", [x], axes=axes)

    def shape_of(self, parts):
        """Concat of sizes: scalars from dim() or Python ints."""
        pieces = [self.unsqueeze(p, [0]) if isinstance(p, str)
                  else self.const([p], np.int64) for p in parts]
        return self.op("Concat", pieces, axis=0)

    def reshape(self, x, parts):
        return self.op("Reshape", [x, self.shape_of(parts)])

    def linear(self, x, k, n, bias_first=True):
        """torch's Linear: MatMul(x, W[K, N]) then Add(bias, .)."""
        y = self.op("MatMul", [x, self.weight(k, n)])
        b = self.init((self.rng.standard_normal(n) * 0.1).astype(np.float32),
                      "bias")
        return self.op("Add", [b, y] if bias_first else [y, b])

    def gemm(self, x, k, n):
        """GPT-2's Conv1D: Gemm(x[M, K], W[K, N], b[N])."""
        b = self.init((self.rng.standard_normal(n) * 0.1).astype(np.float32),
                      "bias")
        return self.op("Gemm", [x, self.weight(k, n), b])

    def layer_norm(self, x, e, formula=False, axes_input=False):
        gamma = self.init((1 + 0.1 * self.rng.standard_normal(e))
                          .astype(np.float32), "gamma")
        beta = self.init((0.1 * self.rng.standard_normal(e))
                         .astype(np.float32), "beta")
        if not formula:
            return self.op("LayerNormalization", [x, gamma, beta], axis=-1,
                           epsilon=1e-12)

        def mean(v):
            if axes_input:
                return self.op("ReduceMean", [v, self.const([-1], np.int64)],
                               keepdims=1)
            return self.op("ReduceMean", [v], axes=[-1], keepdims=1)

        centred = self.op("Sub", [x, mean(x)])
        var = mean(self.op("Pow", [centred, self.const(2.0, np.float32)]))
        std = self.op("Sqrt", [self.op("Add", [var,
                                              self.const(1e-5, np.float32)])])
        normed = self.op("Div", [centred, std])
        return self.op("Add", [self.op("Mul", [normed, gamma]), beta])

    def erf_gelu(self, x):
        t = self.op("Div", [x, self.const(1.4142135, np.float32)])
        t = self.op("Add", [self.op("Erf", [t]), self.const(1.0, np.float32)])
        return self.op("Mul", [self.op("Mul", [x, t]),
                               self.const(0.5, np.float32)])

    def tanh_gelu(self, x):
        cube = self.op("Pow", [x, self.const(3.0, np.float32)])
        inner = self.op("Add", [x, self.op("Mul", [
            self.const(0.044715, np.float32), cube])])
        inner = self.op("Mul", [self.const(0.7978846, np.float32), inner])
        t = self.op("Add", [self.const(1.0, np.float32),
                            self.op("Tanh", [inner])])
        return self.op("Mul", [self.op("Mul", [self.const(0.5, np.float32), x]),
                               t])

    def split_heads(self, x, batch, length, heads, d, perm=(0, 2, 1, 3)):
        x = self.reshape(x, [batch, length, -1, d])
        return self.op("Transpose", [x], perm=list(perm))

    def merge_heads(self, x, batch, length):
        x = self.op("Transpose", [x], perm=[0, 2, 1, 3])
        return self.reshape(x, [batch, length, -1])

    def input(self, name, elem, shape):
        self.inputs.append(self.helper.make_tensor_value_info(name, elem, shape))
        return name

    def output(self, value, name, elem, shape):
        self.nodes.append(self.helper.make_node("Identity", [value], [name]))
        self.outputs.append(self.helper.make_tensor_value_info(name, elem, shape))

    def model(self, graph_name):
        graph = self.helper.make_graph(self.nodes, graph_name, self.inputs,
                                       self.outputs, self.inits)
        m = self.helper.make_model(
            graph, opset_imports=[self.helper.make_opsetid("", self.opset)],
            producer_name="attnc-tests")
        m.ir_version = 8
        return m


def attention(g, q, k, v, d, mask=None, style="eager", causal=None):
    """Scores, mask, softmax, weighted values, as exporters write them.

    q, v: [B, H, Lq|Lk, D]; k: [B, H, D, Lk] (already transposed)."""
    if style == "sdpa":
        s = g.const(np.float32(d ** -0.25))
        scores = g.op("MatMul", [g.op("Mul", [q, s]), g.op("Mul", [k, s])])
    elif style == "prescaled":
        scores = g.op("MatMul", [g.op("Mul", [q, g.const(np.float32(d ** -0.5))]),
                                 k])
    else:
        scores = g.op("Div", [g.op("MatMul", [q, k]),
                              g.const(np.float32(np.sqrt(d)))])
    if causal is not None:
        scores = causal(scores)
    if mask is not None:
        scores = g.op("Add", [scores, mask])
    p = g.op("Softmax", [scores], axis=-1)
    if style == "sdpa":
        p = g.op("Where", [g.op("IsNaN", [p]), g.const([0.0], np.float32), p])
    return g.op("MatMul", [p, v])


def self_attention(g, h, batch, length, e, heads, style, mask=None,
                   causal=None, memory=None, memory_length=None):
    d = e // heads
    kv = h if memory is None else memory
    kv_length = length if memory is None else memory_length
    q = g.split_heads(g.linear(h, e, e), batch, length, heads, d)
    # torch writes K^T as one Transpose of the [B, L, H, D] reshape.
    k = g.split_heads(g.linear(kv, e, e), batch, kv_length, heads, d,
                      perm=(0, 2, 3, 1))
    v = g.split_heads(g.linear(kv, e, e), batch, kv_length, heads, d)
    out = attention(g, q, k, v, d, mask, style, causal)
    return g.linear(g.merge_heads(out, batch, length), e, e)


def build_bert(g, style, b, l):
    TP = g.TP
    e, heads, ffn, vocab, max_pos = 32, 4, 64, 50, 16
    ids = g.input("input_ids", TP.INT64, ["batch", "sequence"])
    mask = g.input("attention_mask", TP.INT64, ["batch", "sequence"])

    # Embeddings: word + token type (a zero buffer) + position (a sliced
    # arange buffer), then LayerNorm.
    length = g.dim(ids, 1)
    positions = g.op("Slice", [
        g.const(np.arange(max_pos, dtype=np.int64)[None, :]),
        g.const([0], np.int64), g.unsqueeze(length, [0]),
        g.const([1], np.int64), g.const([1], np.int64)])
    word = g.op("Gather", [g.weight(vocab, e, base="word_embeddings"), ids])
    types = g.op("Gather", [g.weight(2, e, base="token_type_embeddings"),
                            g.op("Expand", [g.const(np.zeros((1, max_pos),
                                                            np.int64)[:, :1]),
                                            g.op("Shape", [ids])])])
    h = g.op("Add", [word, types])
    h = g.op("Add", [h, g.op("Gather", [
        g.weight(max_pos, e, base="position_embeddings"), positions])])
    h = g.layer_norm(h, e)

    if style == "sdpa":
        # bool [B, 1, 1, L] expanded to [B, 1, L, L], then 0 / -inf.
        keep = g.unsqueeze(g.op("Cast", [mask], to=TP.BOOL), [1, 2])
        batch, length = g.dim(h, 0), g.dim(h, 1)
        keep = g.op("Expand", [keep, g.shape_of([batch, 1, length, length])])
        additive = g.op("Where", [keep, g.const([0.0], np.float32),
                                  g.const([-np.inf], np.float32)])
    else:
        m = g.op("Cast", [g.unsqueeze(mask, [1, 2])], to=TP.FLOAT)
        additive = g.op("Mul", [g.op("Sub", [g.const(1.0, np.float32), m]),
                                g.const(np.finfo(np.float32).min, np.float32)])

    for _ in range(2):
        batch, length = g.dim(h, 0), g.dim(h, 1)
        a = self_attention(g, h, batch, length, e, heads, style, additive)
        h = g.layer_norm(g.op("Add", [a, h]), e)
        f = g.linear(g.erf_gelu(g.linear(h, e, ffn)), ffn, e)
        h = g.layer_norm(g.op("Add", [f, h]), e)
    g.output(h, "last_hidden_state", TP.FLOAT, ["batch", "sequence", e])

    rng = np.random.default_rng(1)
    lengths = [l] + [max(1, l - 3 * i) for i in range(1, b)]
    inputs = {
        "input_ids": rng.integers(0, vocab, (b, l)).astype(np.int64),
        "attention_mask": np.array([[1] * n + [0] * (l - n) for n in lengths],
                                   np.int64),
    }
    return "bert", inputs


def build_gpt2(g, b, l):
    TP = g.TP
    e, heads, vocab, max_pos = 32, 4, 60, 16
    d = e // heads
    ids = g.input("input_ids", TP.INT64, ["batch", "sequence"])
    wte = g.rng.standard_normal((vocab, e)).astype(np.float32) * 0.5
    batch, length = g.dim(ids, 0), g.dim(ids, 1)
    positions = g.unsqueeze(g.op("Range", [g.const(0, np.int64), length,
                                           g.const(1, np.int64)]), [0])
    h = g.op("Add", [g.op("Gather", [g.init(wte, "wte"), ids]),
                     g.op("Gather", [g.weight(max_pos, e, base="wpe"),
                                     positions])])
    tril = np.tril(np.ones((max_pos, max_pos), bool))[None, None]
    causal_buffer = g.init(tril, "causal_bias")

    def causal(scores):
        kl = g.dim(scores, 3)
        ql = g.dim(scores, 2)
        start = g.op("Sub", [kl, ql])
        rows = g.op("Slice", [causal_buffer, g.unsqueeze(start, [0]),
                              g.unsqueeze(kl, [0]), g.const([2], np.int64),
                              g.const([1], np.int64)])
        cols = g.op("Slice", [rows, g.const([0], np.int64),
                              g.unsqueeze(kl, [0]), g.const([3], np.int64),
                              g.const([1], np.int64)])
        return g.op("Where", [cols, scores,
                              g.const(np.finfo(np.float32).min, np.float32)])

    def conv1d(x, k, n):
        flat = g.op("Reshape", [x, g.const([-1, k], np.int64)])
        return g.reshape(g.gemm(flat, k, n), [batch, length, n])

    for _ in range(2):
        a = g.layer_norm(h, e, formula=True)
        q, k, v = g.op("Split", [conv1d(a, e, 3 * e),
                                 g.const([e, e, e], np.int64)],
                       outputs=3, axis=2)
        q = g.split_heads(q, batch, length, heads, d)
        k = g.split_heads(k, batch, length, heads, d, perm=(0, 2, 3, 1))
        v = g.split_heads(v, batch, length, heads, d)
        out = attention(g, q, k, v, d, causal=causal)
        h = g.op("Add", [conv1d(g.merge_heads(out, batch, length), e, e), h])
        m = g.layer_norm(h, e, formula=True)
        m = conv1d(g.tanh_gelu(conv1d(m, e, 4 * e)), 4 * e, e)
        h = g.op("Add", [h, m])
    h = g.layer_norm(h, e, formula=True)
    logits = g.op("MatMul", [h, g.init(np.ascontiguousarray(wte.T), "lm_head")])
    g.output(logits, "logits", TP.FLOAT, ["batch", "sequence", vocab])

    rng = np.random.default_rng(2)
    return "gpt2", {"input_ids": rng.integers(0, vocab, (b, l)).astype(np.int64)}


def build_encdec(g, b, l):
    TP = g.TP
    e, heads, ffn = 32, 4, 48
    src = g.input("src", TP.FLOAT, ["batch", "src_len", e])
    tgt = g.input("tgt", TP.FLOAT, ["batch", "tgt_len", e])

    h = src
    batch, s_len = g.dim(src, 0), g.dim(src, 1)
    for _ in range(2):
        a = self_attention(g, h, batch, s_len, e, heads, "prescaled")
        h = g.layer_norm(g.op("Add", [h, a]), e, formula=True, axes_input=True)
        f = g.linear(g.op("Relu", [g.linear(h, e, ffn)]), ffn, e)
        h = g.layer_norm(g.op("Add", [h, f]), e, formula=True, axes_input=True)
    memory = h

    t_len = g.dim(tgt, 1)
    ones = g.op("ConstantOfShape", [g.shape_of([t_len, t_len])],
                value=g.numpy_helper.from_array(np.array([1.0], np.float32)))
    lower = g.op("Trilu", [ones], upper=0)
    future = g.op("Equal", [lower, g.const(0.0, np.float32)])
    causal_mask = g.op("Where", [future, g.const(-np.inf, np.float32),
                                 g.const(0.0, np.float32)])
    h = tgt
    for _ in range(2):
        a = self_attention(g, h, batch, t_len, e, heads, "prescaled",
                           mask=causal_mask)
        h = g.layer_norm(g.op("Add", [h, a]), e)
        c = self_attention(g, h, batch, t_len, e, heads, "prescaled",
                           memory=memory, memory_length=s_len)
        h = g.layer_norm(g.op("Add", [h, c]), e)
        f = g.linear(g.op("Gelu", [g.linear(h, e, ffn)]), ffn, e)
        h = g.layer_norm(g.op("Add", [h, f]), e)
    g.output(h, "output", TP.FLOAT, ["batch", "tgt_len", e])

    rng = np.random.default_rng(3)
    return "encdec", {
        "src": rng.standard_normal((b, l, e)).astype(np.float32),
        "tgt": rng.standard_normal((b, max(1, l - 2), e)).astype(np.float32),
    }


KINDS = {
    "bert": (17, lambda g, b, l: build_bert(g, "eager", b, l)),
    "bert-sdpa": (17, lambda g, b, l: build_bert(g, "sdpa", b, l)),
    "gpt2": (13, build_gpt2),
    "encdec": (20, build_encdec),
}


def make(args):
    onnx = _onnx()[0]
    import onnxruntime as ort

    opset, build = KINDS[args.kind]
    g = Graph(opset, np.random.default_rng(args.seed))
    name, inputs = build(g, args.batch, args.length)
    model = g.model(name)
    onnx.checker.check_model(model, full_check=True)

    os.makedirs(os.path.join(args.dir, "in"), exist_ok=True)
    os.makedirs(os.path.join(args.dir, "want"), exist_ok=True)
    path = os.path.join(args.dir, "model.onnx")
    if args.external_data:
        onnx.save_model(model, path, save_as_external_data=True,
                        all_tensors_to_one_file=True,
                        location="model.onnx.data", size_threshold=0)
    else:
        onnx.save_model(model, path)
    for k, v in inputs.items():
        np.save(os.path.join(args.dir, "in", k + ".npy"), v)

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(path, options,
                                   providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    for n, value in zip(names, session.run(names, inputs)):
        np.save(os.path.join(args.dir, "want", n + ".npy"), value)
    print("%s: %d nodes, opset %d, inputs %s" % (
        name, len(model.graph.node), opset,
        " ".join("%s%s" % (k, list(v.shape)) for k, v in inputs.items())))


def compare(args):
    bad = 0
    wanted = sorted(f for f in os.listdir(args.want) if f.endswith(".npy"))
    if not wanted:
        print("no outputs in %s" % args.want)
        return 1
    for f in wanted:
        want = np.load(os.path.join(args.want, f))
        path = os.path.join(args.got, f)
        name = f[:-4]
        if not os.path.exists(path):
            print("%s: missing %s" % (name, path))
            bad += 1
            continue
        got = np.load(path)
        if got.shape != want.shape:
            print("%s: shape %s, want %s" % (name, list(got.shape),
                                             list(want.shape)))
            bad += 1
            continue
        err = np.abs(got.astype(np.float64) - want.astype(np.float64))
        abs_err = float(err.max()) if err.size else 0.0
        rel = abs_err / max(float(np.abs(want).max()), 1e-30)
        ok = np.isfinite(got).all() and rel <= args.tolerance
        print("%s: %s max abs error %.3g, rel error %.3g%s" % (
            name, list(want.shape), abs_err, rel, "" if ok else "  FAIL"))
        bad += not ok
    return 1 if bad else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make")
    m.add_argument("kind", choices=sorted(KINDS))
    m.add_argument("dir")
    m.add_argument("--seed", type=int, default=0)
    m.add_argument("--batch", type=int, default=2)
    m.add_argument("--length", type=int, default=7)
    m.add_argument("--external-data", action="store_true")
    c = sub.add_parser("compare")
    c.add_argument("want")
    c.add_argument("got")
    c.add_argument("--tolerance", type=float, default=1e-4)
    args = p.parse_args()
    return make(args) if args.command == "make" else compare(args)


if __name__ == "__main__":
    sys.exit(main() or 0)
