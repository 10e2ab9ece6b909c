#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (test/fuzz/README.md).

Usage: make_seeds.py OUT_DIR [TARGET...]

OUT_DIR/<target>/ (for each TARGET, default all) is remade with one file per
seed, named by its digest, from the
repository's tests and examples:

  mlir          every .mlir under test/ and examples/, split at `// -----`,
                without comment lines
  onnx          the ModelProto text protos of the tests (split-file sections
                `//--- *.txtpb`), encoded with protoc
  tensor-proto  the TensorProto text protos of the tests, encoded likewise
  npy           small .npy files of every supported dtype and version
  safetensors   small safetensors files, and the weights of `description`
  description   the model descriptions of test/models/*.test, shrunk to a
                few kilobytes, each with its weights after a NUL byte (the
                weights need numpy and safetensors; without them, the
                descriptions alone)
  pass-options  test/fuzz/seeds/pass-options.txt, one pipeline a line, and
                the pipelines the tests' RUN lines name

Only the standard library is needed, plus protoc (protobuf-compiler) and
Debian's onnx.proto for the ONNX seeds.
"""

import glob
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     "..", ".."))
ONNX_PROTO_DIR = next((d for d in ["/usr/include/onnx", "/usr/local/include/onnx"]
                       if os.path.isfile(os.path.join(d, "onnx.proto"))),
                      "/usr/include/onnx")


ALL = ["mlir", "onnx", "tensor-proto", "npy", "safetensors", "description",
       "pass-options"]
WANTED = set(ALL)


def write_seed(out_dir, target, data):
    if target not in WANTED:
        return
    if isinstance(data, str):
        data = data.encode("utf-8")
    directory = os.path.join(out_dir, target)
    os.makedirs(directory, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def test_sources():
    """Every .mlir and .test file of test/ (but test/fuzz) and examples/."""
    paths = []
    for top in ["test", "examples"]:
        for pattern in ["**/*.mlir", "**/*.test"]:
            paths += glob.glob(os.path.join(ROOT, top, pattern), recursive=True)
    return sorted(p for p in paths if "/test/fuzz/" not in p)


def split_file_sections(text):
    """{name: text} of the `//--- name` sections (LLVM's split-file)."""
    sections = {}
    name = None
    for line in text.splitlines(keepends=True):
        m = re.match(r"^//--- (\S+)", line)
        if m:
            name = m.group(1)
            sections[name] = ""
        elif name is not None:
            sections[name] += line
    return sections


def mlir_seeds(out_dir):
    count = 0
    for path in test_sources():
        if not path.endswith(".mlir"):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for chunk in re.split(r"^// -----.*$", text, flags=re.M):
            lines = [l for l in chunk.splitlines()
                     if not l.lstrip().startswith("//")]
            body = "\n".join(lines).strip()
            if body and len(body) <= 16384:
                write_seed(out_dir, "mlir", body + "\n")
                count += 1
    return count


def protoc_encode(message, text):
    result = subprocess.run(
        ["protoc", "--encode=onnx." + message, "-I" + ONNX_PROTO_DIR,
         os.path.join(ONNX_PROTO_DIR, "onnx.proto")],
        input=text.encode("utf-8"), capture_output=True)
    return result.stdout if result.returncode == 0 else None


def onnx_seeds(out_dir):
    counts = {"onnx": 0, "tensor-proto": 0}
    for path in test_sources():
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for name, section in split_file_sections(text).items():
            if not name.endswith(".txtpb"):
                continue
            for message, target in [("ModelProto", "onnx"),
                                    ("TensorProto", "tensor-proto")]:
                encoded = protoc_encode(message, section)
                if encoded is not None:
                    write_seed(out_dir, target, encoded)
                    counts[target] += 1
                    break
    return counts


def npy_bytes(descr, shape, data, version=1):
    shape_text = "(" + "".join("%d," % d for d in shape) + ")"
    if len(shape) > 1:
        shape_text = shape_text[:-2] + ")"
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (
        descr, shape_text)
    prefix = 10 if version == 1 else 12
    header += " " * ((64 - (prefix + len(header) + 1) % 64) % 64) + "\n"
    size = (struct.pack("<H", len(header)) if version == 1
            else struct.pack("<I", len(header)))
    return (b"\x93NUMPY" + bytes([version, 0]) + size +
            header.encode("latin1") + data)


def npy_seeds(out_dir):
    count = 0
    kinds = [("<f4", "<f", 4), ("<f2", "<e", 2), ("<f8", "<d", 8),
             ("|b1", "<B", 1), ("|i1", "<b", 1), ("<i4", "<i", 4),
             ("<i8", "<q", 8)]
    for descr, fmt, width in kinds:
        for shape in [(), (3,), (2, 3), (0,), (1, 2, 2)]:
            n = 1
            for d in shape:
                n *= d
            data = b"".join(struct.pack(fmt, i % 2 if width == 1 and
                                        fmt == "<B" else i) for i in range(n))
            for version in [1, 2, 3]:
                write_seed(out_dir, "npy", npy_bytes(descr, shape, data, version))
                count += 1
    # numpy's native-order spelling.
    write_seed(out_dir, "npy", npy_bytes("=f4", (2,), struct.pack("<2f", 1, 2)))
    for path in test_sources():
        with open(path, encoding="utf-8", errors="replace") as f:
            sections = split_file_sections(f.read())
        for name, section in sections.items():
            if name.endswith(".npy"):
                write_seed(out_dir, "npy", section.encode("latin1", "replace"))
                count += 1
    return count + 1


def safetensors_bytes(tensors, metadata=None):
    """tensors: [(name, dtype, shape, bytes)]."""
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    data = b""
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": list(shape),
                        "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data


def safetensors_seeds(out_dir):
    count = 0
    widths = {"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1,
              "I16": 2, "U16": 2, "F16": 2, "BF16": 2, "I32": 4, "U32": 4,
              "F32": 4, "I64": 8, "U64": 8, "F64": 8}
    for dtype, width in widths.items():
        for shape in [(), (2,), (2, 3), (0, 4)]:
            n = 1
            for d in shape:
                n *= d
            raw = bytes(range(n * width))
            write_seed(out_dir, "safetensors",
                       safetensors_bytes([("t", dtype, shape, raw)]))
            count += 1
    write_seed(out_dir, "safetensors", safetensors_bytes(
        [("a.weight", "F32", (2, 2), bytes(16)), ("a.bias", "F32", (2,), bytes(8)),
         ("empty", "F16", (0,), b"")], metadata={"format": "pt"}))
    write_seed(out_dir, "safetensors", safetensors_bytes([], metadata={}))
    return count + 2


def shrink(config):
    """The same description at toy sizes: a few kilobytes of weights."""
    c = dict(config)
    heads = min(c.get("heads", 2), 2)
    c["heads"] = heads
    if "kv_heads" in c:
        c["kv_heads"] = 1
    c["d_model"] = 2 * heads
    c["ffn_dim"] = 4
    for key in ["layers", "encoder_layers", "decoder_layers"]:
        if key in c:
            c[key] = min(c[key], 3)
    for key in ["vocab", "src_vocab", "tgt_vocab"]:
        if key in c:
            c[key] = min(c[key], 6)
    if "max_length" in c:
        c["max_length"] = min(c["max_length"], 8)
    if "tokens" in c:
        c["tokens"] = {k: min(v, 3) for k, v in c["tokens"].items()}
    for key in ["layer_attention", "decoder_layer_attention"]:
        if key in c:
            c[key] = [{"local": 1} if isinstance(a, dict) else a
                      for a in c[key]]
    return c


def description_seeds(out_dir):
    configs = []
    for path in test_sources():
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for m in re.finditer(r"make_model\.py json .*?--config '(\{.*?\})'",
                             text, flags=re.S):
            try:
                configs.append(json.loads(m.group(1)))
            except ValueError:
                pass
    try:
        sys.path.insert(0, os.path.join(ROOT, "examples", "python"))
        import attnc_models  # noqa: E402
    except ImportError as e:
        print("make_seeds.py: %s; the description seeds have no weights" % e,
              file=sys.stderr)
        attnc_models = None
    count = 0
    for i, config in enumerate(configs):
        small = shrink(config)
        small.setdefault("weights", "model.safetensors")
        if attnc_models is None:
            write_seed(out_dir, "description", json.dumps(small))
            count += 1
            continue
        with tempfile.TemporaryDirectory() as tmp:
            attnc_models.write_model(tmp, small, seed=i)
            with open(os.path.join(tmp, "model.json"), "rb") as f:
                description = f.read()
            with open(os.path.join(tmp, "model.safetensors"), "rb") as f:
                weights = f.read()
        write_seed(out_dir, "description", description + b"\0" + weights)
        write_seed(out_dir, "description", description)
        write_seed(out_dir, "safetensors", weights)
        count += 2
    return count


def pass_option_seeds(out_dir):
    count = 0
    with open(os.path.join(ROOT, "test", "fuzz", "seeds",
                           "pass-options.txt")) as f:
        for line in f:
            if line.strip():
                write_seed(out_dir, "pass-options", line.strip())
                count += 1
    for path in test_sources():
        with open(path, encoding="utf-8", errors="replace") as f:
            runs = [l for l in f if "RUN:" in l]
        for line in runs:
            for m in re.finditer(r"--pass-pipeline=(['\"])(.*?)\1", line):
                write_seed(out_dir, "pass-options", m.group(2))
                count += 1
            for m in re.finditer(
                    r"\s--?(attn-[a-z-]+)(?:=(?:\"([^\"]*)\"|(\S+)))?", line):
                options = m.group(2) or m.group(3) or ""
                body = m.group(1) + ("{%s}" % options if options else "")
                for anchored in ["builtin.module(%s)" % body,
                                 "builtin.module(func.func(%s))" % body]:
                    write_seed(out_dir, "pass-options", anchored)
                    count += 1
    return count


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    WANTED.clear()
    WANTED.update(sys.argv[2:] or ALL)
    unknown = WANTED - set(ALL)
    if unknown:
        sys.exit("make_seeds.py: unknown target %s" % ", ".join(sorted(unknown)))
    for target in WANTED:
        shutil.rmtree(os.path.join(out_dir, target), ignore_errors=True)
    if "mlir" in WANTED:
        mlir_seeds(out_dir)
    if WANTED & {"onnx", "tensor-proto"}:
        onnx_seeds(out_dir)
    if "npy" in WANTED:
        npy_seeds(out_dir)
    if "safetensors" in WANTED:
        safetensors_seeds(out_dir)
    if WANTED & {"description", "safetensors"}:
        description_seeds(out_dir)
    if "pass-options" in WANTED:
        pass_option_seeds(out_dir)
    for target in sorted(WANTED):
        directory = os.path.join(out_dir, target)
        files = len(os.listdir(directory)) if os.path.isdir(directory) else 0
        print("make_seeds.py: %-13s %d seeds" % (target, files))


if __name__ == "__main__":
    main()
