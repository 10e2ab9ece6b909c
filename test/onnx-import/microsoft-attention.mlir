// com.microsoft Attention, MultiHeadAttention and EmbedLayerNormalization
// (ONNX Runtime's contrib ops), checked against onnxruntime itself: each
// model of ms_attention.py runs in ONNX Runtime and through attn-run
// (dynamic batch and sequence where the model has them), within rtol = atol
// = 1e-5, mask_index exactly.
// REQUIRES: onnxruntime

// RUN: rm -rf %t && split-file %s %t && mkdir %t/m
// RUN: %python %t/ms_attention.py make %t/m
// RUN: attn-run %t/m/attention.onnx --input %t/m/attention/in0.npy --output-dir %t/m/attention/got
// RUN: attn-run %t/m/attention_mask.onnx --input %t/m/attention_mask/in0.npy --input %t/m/attention_mask/in1.npy --output-dir %t/m/attention_mask/got
// RUN: attn-run %t/m/attention_causal.onnx --input %t/m/attention_causal/in0.npy --input %t/m/attention_causal/in1.npy --output-dir %t/m/attention_causal/got
// RUN: attn-run %t/m/attention_sizes.onnx --input %t/m/attention_sizes/in0.npy --input %t/m/attention_sizes/in1.npy --output-dir %t/m/attention_sizes/got
// RUN: attn-run %t/m/mha.onnx --input %t/m/mha/in0.npy --input %t/m/mha/in1.npy --input %t/m/mha/in2.npy --input %t/m/mha/in3.npy --output-dir %t/m/mha/got
// RUN: attn-run %t/m/mha_causal.onnx --input %t/m/mha_causal/in0.npy --input %t/m/mha_causal/in1.npy --input %t/m/mha_causal/in2.npy --output-dir %t/m/mha_causal/got
// RUN: attn-run %t/m/eln.onnx --input %t/m/eln/in0.npy --input %t/m/eln/in1.npy --input %t/m/eln/in2.npy --output-dir %t/m/eln/got
// RUN: attn-run %t/m/eln_positions.onnx --input %t/m/eln_positions/in0.npy --input %t/m/eln_positions/in1.npy --output-dir %t/m/eln_positions/got
// RUN: %python %t/ms_attention.py compare %t/m/attention | FileCheck %s --check-prefix=CMP-ATTN
// RUN: %python %t/ms_attention.py compare %t/m/attention_mask | FileCheck %s --check-prefix=CMP-MASK
// RUN: %python %t/ms_attention.py compare %t/m/attention_causal | FileCheck %s --check-prefix=CMP-CAUSAL
// RUN: %python %t/ms_attention.py compare %t/m/attention_sizes | FileCheck %s --check-prefix=CMP-SIZES
// RUN: %python %t/ms_attention.py compare %t/m/mha | FileCheck %s --check-prefix=CMP-MHA
// RUN: %python %t/ms_attention.py compare %t/m/mha_causal | FileCheck %s --check-prefix=CMP-MHA-CAUSAL
// RUN: %python %t/ms_attention.py compare %t/m/eln | FileCheck %s --check-prefix=CMP-ELN
// RUN: %python %t/ms_attention.py compare %t/m/eln_positions | FileCheck %s --check-prefix=CMP-POS
// CMP-ATTN: attention y: float32 [2, 5, 8] max abs error
// CMP-MASK: attention_mask y: float32 [2, 5, 8] max abs error
// CMP-CAUSAL: attention_causal y: float32 [2, 5, 8] max abs error
// CMP-SIZES: attention_sizes y: float32 [2, 5, 4] max abs error
// CMP-MHA: mha y: float32 [2, 5, 8] max abs error
// CMP-MHA-CAUSAL: mha_causal y: float32 [2, 5, 4] max abs error
// CMP-ELN: eln mask_index: int32 [2] max abs error 0
// CMP-ELN-NEXT: eln sum: float32 [2, 5, 8] max abs error
// CMP-ELN-NEXT: eln y: float32 [2, 5, 8] max abs error
// CMP-POS: eln_positions mask_index: int32 [2] max abs error 0
// CMP-POS-NEXT: eln_positions y: float32 [2, 5, 8] max abs error

// What the import emits: the projection as MatMul + Add import it (a contraction
// generic and a bias generic), Q/K/V slices, one attn.sdpa with the additive
// mask; attn-cpu-pipeline raises the projection to one attn.linear.
// RUN: attnc %t/m/attention_causal.onnx --emit=mlir | FileCheck %s --check-prefix=IR
// IR: arith.constant -3.000000e+01 : f32
// IR: linalg.fill
// IR: %[[PROJ:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// IR: %[[BIASED:.*]] = linalg.generic {{.*}} ins(%[[PROJ]], %{{.*}} :
// IR-COUNT-3: tensor.extract_slice %[[BIASED]]
// IR: attn.sdpa {{.*}} mask(%{{.*}}) {causal, scale = 0.30000001{{[0-9]*}} : f64} : (tensor<?x2x?x4xf32>, tensor<?x2x?x4xf32>, tensor<?x2x?x4xf32>, tensor<?x1x1x?xf32>) -> tensor<?x2x?x4xf32>
// RUN: attnc %t/m/attention_mask.onnx --emit=mlir -o %t/attention.mlir
// RUN: attn-opt %t/attention.mlir --attn-cpu-pipeline --mlir-print-ir-after=attn-fuse-epilogues -o /dev/null 2>&1 | FileCheck %s --check-prefix=RAISED
// RAISED: attn.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x?x8xf32>, tensor<24x8xf32>, tensor<24xf32>) -> tensor<?x?x24xf32>
// RAISED: attn.sdpa
// RUN: attnc %t/m/mha.onnx --emit=mlir | FileCheck %s --check-prefix=MHA-IR
// MHA-IR: attn.sdpa {{.*}} mask(%{{.*}}) : (tensor<?x2x?x4xf32>, tensor<?x2x?x4xf32>, tensor<?x2x?x4xf32>, tensor<?x1x1x?xf32>) -> tensor<?x2x?x4xf32>
// RUN: attnc %t/m/eln.onnx --emit=mlir | FileCheck %s --check-prefix=ELN-IR
// ELN-IR-COUNT-2: attn.embedding
// ELN-IR: attn.layer_norm {{.*}} {epsilon = 9.99{{[0-9]*}}E-6 : f64}
// ELN-IR: linalg.reduce
// RUN: attnc %t/m/eln_positions.onnx --emit=mlir | FileCheck %s --check-prefix=POS-IR
// POS-IR-COUNT-2: attn.embedding
// POS-IR: attn.layer_norm {{.*}} {epsilon = 9.99{{[0-9]*}}E-13 : f64}

//--- ms_attention.py
# Builds the com.microsoft Attention, MultiHeadAttention and
# EmbedLayerNormalization models of microsoft-attention.mlir with onnx.helper,
# runs each in ONNX Runtime (the oracle) and compares attn-run's outputs.
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

F32, I32 = TensorProto.FLOAT, TensorProto.INT32
B, S, L, HIDDEN, HEADS = 2, 5, 7, 8, 2
rng = np.random.default_rng(7)


def normal(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def init(name, array):
    return helper.make_tensor(name, F32, array.shape, array.ravel())


def value(name, elem, dims):
    return helper.make_tensor_value_info(name, elem, dims)


# Masks with a visible key in every row (a fully masked row adds the filter
# value to every score; its f32 rounding near 1e4 is not reproducible), and
# values other than 0 and 1: ONNX Runtime keeps keys whose mask is > 0.
MASK_S = np.array([[1, 1, 0, 1, 2], [1, 0, 1, -1, 0]], np.int32)
MASK_L = np.array([[1, 1, 0, 1, 1, 0, 3], [0, 1, 1, 1, 1, 1, 0]], np.int32)


def models():
    """name -> (node, initializers, inputs {name: (array, dims)}, outputs)."""
    w = normal(HIDDEN, 3 * HIDDEN, scale=0.5)
    bias = normal(3 * HIDDEN)
    x = normal(B, S, HIDDEN)
    dyn3 = ["batch", "sequence", HIDDEN]
    out = {}
    out["attention"] = (
        helper.make_node("Attention", ["x", "w", "bias"], ["y"],
                         domain="com.microsoft", num_heads=HEADS),
        [init("w", w), init("bias", bias)], {"x": (x, dyn3)}, [("y", F32)])
    out["attention_mask"] = (
        helper.make_node("Attention", ["x", "w", "bias", "mask"], ["y"],
                         domain="com.microsoft", num_heads=HEADS),
        [init("w", w), init("bias", bias)],
        {"x": (x, dyn3), "mask": (MASK_S, ["batch", "sequence"])},
        [("y", F32)])
    out["attention_causal"] = (
        helper.make_node("Attention", ["x", "w", "bias", "mask"], ["y"],
                         domain="com.microsoft", num_heads=HEADS,
                         unidirectional=1, scale=0.3,
                         mask_filter_value=-30.0),
        [init("w", w), init("bias", bias)],
        {"x": (x, dyn3), "mask": (MASK_S, ["batch", "sequence"])},
        [("y", F32)])
    # Q, K and V of 8, 8 and 4 columns; a 3-D mask [B, S, S]; no bias.
    w20 = normal(HIDDEN, 20, scale=0.5)
    mask3 = rng.integers(0, 2, (B, S, S)).astype(np.int32)
    mask3[:, :, 2] = 1
    out["attention_sizes"] = (
        helper.make_node("Attention", ["x", "w20", "", "mask3"], ["y"],
                         domain="com.microsoft", num_heads=HEADS,
                         qkv_hidden_sizes=[8, 8, 4]),
        [init("w20", w20)],
        {"x": (x, [B, S, HIDDEN]), "mask3": (mask3, [B, S, S])},
        [("y", F32)])
    # Cross attention, L != S, with the bias and a key padding mask.
    q = normal(B, S, HIDDEN)
    k = normal(B, L, HIDDEN)
    v = normal(B, L, HIDDEN)
    out["mha"] = (
        helper.make_node("MultiHeadAttention", ["q", "k", "v", "bias",
                                                "kpm"], ["y"],
                         domain="com.microsoft", num_heads=HEADS,
                         mask_filter_value=-5.0),
        [init("bias", bias)],
        {"q": (q, ["batch", "sequence", HIDDEN]),
         "k": (k, ["batch", "kv_sequence", HIDDEN]),
         "v": (v, ["batch", "kv_sequence", HIDDEN]),
         "kpm": (MASK_L, ["batch", "kv_sequence"])},
        [("y", F32)])
    # Causal self attention without a bias; V of 4 columns.
    k5 = normal(B, S, HIDDEN)
    v5 = normal(B, S, 4)
    out["mha_causal"] = (
        helper.make_node("MultiHeadAttention", ["q", "k", "v"], ["y"],
                         domain="com.microsoft", num_heads=HEADS,
                         unidirectional=1),
        [], {"q": (q, dyn3), "k": (k5, dyn3),
             "v": (v5, ["batch", "sequence", 4])},
        [("y", F32)])
    # EmbedLayerNormalization with segments and a mask (mask_index counts
    # the 1s), and without them, with position_ids [1, S].
    vocab, positions = 11, 9
    tables = [init("word", normal(vocab, HIDDEN)),
              init("pos", normal(positions, HIDDEN)),
              init("seg", normal(2, HIDDEN)),
              init("gamma", normal(HIDDEN)), init("beta", normal(HIDDEN))]
    ids = rng.integers(0, vocab, (B, S)).astype(np.int32)
    segments = rng.integers(0, 2, (B, S)).astype(np.int32)
    out["eln"] = (
        helper.make_node("EmbedLayerNormalization",
                         ["ids", "segments", "word", "pos", "seg", "gamma",
                          "beta", "mask"], ["y", "mask_index", "sum"],
                         domain="com.microsoft", epsilon=1e-5),
        tables,
        {"ids": (ids, ["batch", "sequence"]),
         "segments": (segments, ["batch", "sequence"]),
         "mask": (MASK_S, ["batch", "sequence"])},
        [("y", F32), ("mask_index", I32), ("sum", F32)])
    position_ids = np.array([[4, 0, 8, 2, 2]], np.int32)
    out["eln_positions"] = (
        helper.make_node("EmbedLayerNormalization",
                         ["ids", "", "word", "pos", "", "gamma", "beta", "",
                          "position_ids"], ["y", "mask_index"],
                         domain="com.microsoft"),
        tables[:2] + tables[3:],
        {"ids": (ids, ["batch", "sequence"]),
         "position_ids": (position_ids, [1, "sequence"])},
        [("y", F32), ("mask_index", I32)])
    return out


def make(directory):
    for name, (node, inits, inputs, outputs) in models().items():
        graph = helper.make_graph(
            [node], name,
            [value(n, I32 if a.dtype == np.int32 else F32, dims)
             for n, (a, dims) in inputs.items()],
            [value(n, t, None) for n, t in outputs], inits)
        model = helper.make_model(graph, ir_version=8, opset_imports=[
            helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])
        path = os.path.join(directory, name)
        os.makedirs(os.path.join(path, "want"))
        onnx.save(model, path + ".onnx")
        feeds = {n: a for n, (a, _) in inputs.items()}
        for i, (n, a) in enumerate(feeds.items()):
            np.save(os.path.join(path, "in%d.npy" % i), a)
        session = ort.InferenceSession(model.SerializeToString(),
                                       providers=["CPUExecutionProvider"])
        for (n, _), got in zip(outputs, session.run(None, feeds)):
            np.save(os.path.join(path, "want", n + ".npy"), got)


def compare(path):
    """attn-run's outputs against ONNX Runtime's: exact for integers,
    within rtol = atol = 1e-5 (elementwise) for floats."""
    bad = 0
    for f in sorted(os.listdir(os.path.join(path, "want"))):
        want = np.load(os.path.join(path, "want", f))
        got = np.load(os.path.join(path, "got", f))
        err = float(np.abs(got.astype(np.float64) - want).max())
        ok = got.shape == want.shape and got.dtype == want.dtype and (
            np.array_equal(got, want) if want.dtype == np.int32 else
            np.allclose(got, want, rtol=1e-5, atol=1e-5))
        print("%s %s: %s %s max abs error %.3g%s" % (
            os.path.basename(path), f[:-4], got.dtype, list(got.shape), err,
            "" if ok else "  FAIL"))
        bad += not ok
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        sys.exit(compare(sys.argv[2]))
