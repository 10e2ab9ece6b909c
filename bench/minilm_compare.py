#!/usr/bin/env python3
"""attnc against PyTorch and ONNX Runtime on all-MiniLM-L6-v2 (CPU).

A benchmark, never part of attnc or its tests: PyTorch, transformers and
ONNX Runtime are imported here only. Run it through bench/minilm-compare.sh,
which makes the virtual environment (build/bench-venv) and fetches the model
(scripts/fetch-minilm.sh), or directly with a Python that has torch,
transformers, onnxruntime, onnx and numpy:

    python bench/minilm_compare.py [--model build/minilm] [--runs 10]
        [--attnc-runs N] [--shapes 8x17,32x128,1x512] [--padded] [--onnx]

For each batch B and length L it builds seeded random token ids from the
vocabulary's ordinary range (after the [unusedN]/special tokens) with [CLS]
first and [SEP] last, attention_mask all ones (with --padded also a variant
whose rows are shorter, right-padded with [PAD] and mask 0: all but row 0,
or row 0 itself when B = 1), and times

  attnc:     build/bin/attn-run MODEL --input ids --input mask --bench N;
             attn-run first runs once to write its outputs (the warm-up),
             then times N runs; its median is parsed from its output. JIT
             compilation is reported apart, not counted.
  attnc ONNX (with --onnx): the same attn-run command on the ONNX export
             that ORT runs (below), so that attnc and ORT read one file and
             the export's speed can be set against the Hugging Face
             directory's.
  PyTorch:   transformers' AutoModel, eval mode, torch.inference_mode(),
             torch.set_num_threads(--threads, default all cores).
  ORT:       the same model exported once with torch.onnx.export (dynamic
             batch and sequence axes, opset 17) into --cache-dir, run by an
             onnxruntime InferenceSession (CPU, ORT_ENABLE_ALL, intra-op
             threads = --threads).

PyTorch and ORT get --warmup untimed calls, then --runs timed calls; every
median is the middle element of the sorted times (the upper one of the two
for an even count, as attn-run takes it). It prints the machine, the date,
the versions and a Markdown table: milliseconds per call, the speedup of
attnc over each peer (peer ms / attnc ms: above 1 attnc is faster), tokens/s
(B*L positions per second) and the error of attnc's and ORT's
last_hidden_state against PyTorch's, max|a - b| / max|b| over the real
(unpadded) tokens.
"""

import argparse
import datetime
import inspect
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def git_revision():
    try:
        rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short",
                              "HEAD"], capture_output=True, text=True,
                             check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True,
                               text=True, check=True).stdout.strip()
        return rev + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def read_vocab(model_dir):
    with open(os.path.join(model_dir, "vocab.txt"), encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


def make_inputs(vocab, batch, length, seed, padded):
    """Seeded int64 [B, L] input_ids and attention_mask."""
    ids_of = {t: i for i, t in enumerate(vocab)}
    cls, sep, pad = ids_of["[CLS]"], ids_of["[SEP]"], ids_of["[PAD]"]
    # Ordinary tokens start after the last bracketed one ([unused993] in
    # BERT's uncased vocabulary, so at "!", id 999).
    special = re.compile(r"^\[[A-Za-z0-9_]+\]$")
    low = 1 + max(i for i, t in enumerate(vocab) if special.match(t))
    rng = np.random.default_rng([seed, batch, length, int(padded)])
    ids = rng.integers(low, len(vocab), size=(batch, length), dtype=np.int64)
    mask = np.ones((batch, length), dtype=np.int64)
    lengths = [length] * batch
    if padded:
        # Rows keep half to all but one of their tokens; with B > 1, row 0
        # keeps all of them, as the longest row of a padded batch does.
        lengths = rng.integers(max(2, length // 2), length,
                               size=batch).tolist()
        if batch > 1:
            lengths[0] = length
    for b, n in enumerate(lengths):
        ids[b, 0] = cls
        ids[b, n - 1] = sep
        ids[b, n:] = pad
        mask[b, n:] = 0
    return ids, mask


def median(times):
    return sorted(times)[len(times) // 2]


def rel_error(got, want, mask):
    real = mask.astype(bool)
    got, want = got.astype(np.float64)[real], want.astype(np.float64)[real]
    scale = np.abs(want).max()
    return float(np.abs(got - want).max() / scale) if scale else float("nan")


BENCH_LINE = re.compile(r"bench: (\d+) runs, median ([0-9.]+) ms.*"
                        r"\(compile ([0-9.]+) s\)")


def run_attnc(attn_run, model_dir, ids, mask, runs, work):
    """(median ms, compile s, last_hidden_state) from attn-run --bench, or
    (None, None, error message) when attn-run fails."""
    os.makedirs(work, exist_ok=True)
    ids_path = os.path.join(work, "input_ids.npy")
    mask_path = os.path.join(work, "attention_mask.npy")
    out_dir = os.path.join(work, "out")
    np.save(ids_path, ids)
    np.save(mask_path, mask)
    cmd = [attn_run, model_dir, "--input", ids_path, "--input", mask_path,
           "--output-dir", out_dir, "--bench", str(runs)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        return None, None, "%s: %s" % (" ".join(cmd), e)
    match = BENCH_LINE.search(proc.stdout)
    if proc.returncode != 0 or not match or int(match.group(1)) != runs:
        return None, None, "%s: exit %d\n%s%s" % (
            " ".join(cmd), proc.returncode, proc.stdout, proc.stderr)
    hidden = np.load(os.path.join(out_dir, "last_hidden_state.npy"))
    return float(match.group(2)), float(match.group(3)), hidden


def time_calls(call, warmup, runs):
    """(median ms, the first timed call's result)."""
    for _ in range(warmup):
        call()
    times, first = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
        if first is None:
            first = result
    return median(times) * 1e3, first


def export_onnx(torch, model_dir, path):
    """Exports AutoModel's last_hidden_state to PATH (opset 17, dynamic
    batch and sequence axes), through a temporary file."""
    from transformers import AutoModel

    class LastHiddenState(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            return self.model(input_ids=input_ids,
                              attention_mask=attention_mask).last_hidden_state

    # The exporter restores the training flag of the module it is given, so
    # the wrapper must be in eval mode too (else dropout comes back on).
    wrapper = LastHiddenState(AutoModel.from_pretrained(model_dir)).eval()
    ids = torch.full((2, 16), 1000, dtype=torch.int64)
    ids[:, 0], ids[:, -1] = 101, 102
    mask = torch.ones_like(ids)
    mask[1, 10:] = 0
    axes = {0: "batch", 1: "sequence"}
    kwargs = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        # The TorchScript exporter takes dynamic_axes as they are.
        kwargs["dynamo"] = False
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp%d" % os.getpid()
    # The tracer's warnings are about shape-dependent Python branches in
    # transformers; the exported graph is checked by the ORT error column.
    with warnings.catch_warnings(), torch.inference_mode(False), \
            torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            wrapper, (ids, mask), tmp,
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes,
                          "last_hidden_state": axes},
            opset_version=17, **kwargs)
    os.replace(tmp, path)


def main():
    default_cache = os.path.join(
        os.environ.get("ATTNC_CACHE_DIR")
        or os.path.join(os.environ.get("XDG_CACHE_HOME")
                        or os.path.expanduser("~/.cache"), "attnc"),
        "minilm-onnx")
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default=os.path.join(ROOT, "build", "minilm"),
                   help="the Hugging Face BERT directory (default build/minilm)")
    p.add_argument("--attn-run",
                   default=os.path.join(ROOT, "build", "bin", "attn-run"))
    p.add_argument("--shapes", default="8x17,32x128,1x512",
                   help="comma-separated BxL (default 8x17,32x128,1x512)")
    p.add_argument("--runs", type=int, default=10,
                   help="timed calls per peer and shape (default 10)")
    p.add_argument("--attnc-runs", type=int, default=None,
                   help="timed attn-run calls (default --runs)")
    p.add_argument("--warmup", type=int, default=2,
                   help="untimed PyTorch/ORT calls first (default 2)")
    p.add_argument("--padded", action="store_true",
                   help="also time a padded variant of every shape")
    p.add_argument("--onnx", action="store_true",
                   help="also time attnc on the ONNX export ORT runs")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=os.cpu_count(),
                   help="PyTorch and ORT threads (default: all cores)")
    p.add_argument("--cache-dir", default=default_cache,
                   help="where the ONNX export is kept (default %s)"
                        % default_cache)
    args = p.parse_args()
    attnc_runs = args.attnc_runs or args.runs
    shapes = []
    for s in args.shapes.split(","):
        m = re.fullmatch(r"\s*(\d+)\s*x\s*(\d+)\s*", s)
        if not m:
            p.error("--shapes: '%s' is not BxL" % s)
        shapes.append((int(m.group(1)), int(m.group(2))))
    for path in (os.path.join(args.model, "config.json"), args.attn_run):
        if not os.path.exists(path):
            sys.exit("minilm_compare: %s is missing (scripts/fetch-minilm.sh "
                     "fetches the model; scripts/test.sh builds attn-run)"
                     % path)
    with open(os.path.join(args.model, "config.json")) as f:
        max_len = json.load(f).get("max_position_embeddings", 512)
    min_len = 3 if args.padded else 2  # [CLS] [SEP], and one pad
    for b, l in shapes:
        if b < 1 or l < min_len or l > max_len:
            p.error("--shapes: %dx%d: need B >= 1 and %d <= L <= %d"
                    % (b, l, min_len, max_len))

    import onnxruntime as ort
    import torch
    import transformers
    from transformers import AutoModel
    transformers.utils.logging.disable_progress_bar()

    torch.set_num_threads(args.threads)
    print("# all-MiniLM-L6-v2: attnc vs PyTorch vs ONNX Runtime (CPU)")
    print()
    print("- Machine: %s, %d cores (os.cpu_count), %s"
          % (cpu_model(), os.cpu_count(), platform.machine()))
    print("- Date: %s" % datetime.datetime.now(datetime.timezone.utc)
          .strftime("%Y-%m-%d %H:%M UTC"))
    # Other work on the machine skews the medians; this shows how much.
    print("- Load average at the start: %.2f, %.2f, %.2f (1, 5, 15 min)"
          % os.getloadavg())
    built = datetime.datetime.fromtimestamp(
        os.path.getmtime(args.attn_run), datetime.timezone.utc)
    print("- attnc: %s (built %s) from %s"
          % (args.attn_run, built.strftime("%Y-%m-%d %H:%M UTC"),
             git_revision()))
    print("- Peers: torch %s (%d threads), transformers %s, onnxruntime %s, "
          "numpy %s, Python %s"
          % (torch.__version__, torch.get_num_threads(),
             transformers.__version__, ort.__version__, np.__version__,
             platform.python_version()))
    print("- Runs: attnc %d timed after 1 warm-up; PyTorch and ORT %d timed "
          "after %d warm-up; medians" % (attnc_runs, args.runs, args.warmup))
    print("- Command: %s" % " ".join([os.path.relpath(sys.argv[0], ROOT)]
                                     + sys.argv[1:]))
    sys.stdout.flush()

    model = AutoModel.from_pretrained(args.model).eval()
    onnx_path = os.path.join(
        args.cache_dir, "all-MiniLM-L6-v2-opset17-torch%s-transformers%s.onnx"
        % (torch.__version__, transformers.__version__))
    if not os.path.exists(onnx_path):
        print("- Exporting ONNX to %s" % onnx_path)
        export_onnx(torch, args.model, onnx_path)
    options = ort.SessionOptions()
    options.graph_optimization_level = \
        ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = args.threads
    session = ort.InferenceSession(onnx_path, options,
                                   providers=["CPUExecutionProvider"])

    vocab = read_vocab(args.model)
    cases = [(b, l, False) for b, l in shapes]
    if args.padded:
        cases += [(b, l, True) for b, l in shapes]
    rows, onnx_rows, failures = [], [], []
    with tempfile.TemporaryDirectory(prefix="minilm-compare-") as work:
        for b, l, padded in cases:
            ids, mask = make_inputs(vocab, b, l, args.seed, padded)
            label = "%dx%d%s" % (b, l, " padded" if padded else "")
            print("- %s: attnc..." % label, end="", flush=True)
            attnc_ms, compile_s, attnc_out = run_attnc(
                args.attn_run, args.model, ids, mask, attnc_runs,
                os.path.join(work, label.replace(" ", "-")))
            onnx_ms = onnx_err = None
            if args.onnx:
                print(" attnc ONNX...", end="", flush=True)
                onnx_ms, onnx_compile, onnx_out = run_attnc(
                    args.attn_run, onnx_path, ids, mask, attnc_runs,
                    os.path.join(work, label.replace(" ", "-") + "-onnx"))
                if onnx_ms is None:
                    failures.append("%s (ONNX): %s" % (label, onnx_out))
            print(" PyTorch...", end="", flush=True)
            tids, tmask = torch.from_numpy(ids), torch.from_numpy(mask)

            def torch_call():
                with torch.inference_mode():
                    return model(input_ids=tids,
                                 attention_mask=tmask).last_hidden_state

            torch_ms, torch_out = time_calls(torch_call, args.warmup,
                                             args.runs)
            torch_out = torch_out.numpy()
            print(" ORT...", end="", flush=True)
            feeds = {"input_ids": ids, "attention_mask": mask}
            ort_ms, ort_out = time_calls(
                lambda: session.run(["last_hidden_state"], feeds)[0],
                args.warmup, args.runs)
            print(" done", flush=True)
            if attnc_ms is None:
                failures.append("%s: %s" % (label, attnc_out))
                attnc_err = None
            else:
                attnc_err = rel_error(attnc_out, torch_out, mask)
            if onnx_ms is not None:
                onnx_err = rel_error(onnx_out, torch_out, mask)
                onnx_rows.append((b, l, padded, onnx_ms, attnc_ms, ort_ms,
                                  onnx_compile, onnx_err))
            rows.append((b, l, padded, attnc_ms, torch_ms, ort_ms, compile_s,
                         attnc_err, rel_error(ort_out, torch_out, mask)))

    print()
    print("| B | L | padded | attnc ms | PyTorch ms | ORT ms "
          "| attnc vs ORT | attnc vs PyTorch "
          "| attnc tok/s | PyTorch tok/s | ORT tok/s "
          "| attnc err | ORT err | attnc JIT s |")
    print("|" + "---:|" * 14)
    for (b, l, padded, a, t, o, c, aerr, oerr) in rows:
        tokens = b * l
        if a is None:
            attnc = ["failed"] * 4 + ["-", "-"]
        else:
            attnc = ["%.2f" % a, "%.3gx" % (o / a), "%.3gx" % (t / a),
                     "%.0f" % (tokens / a * 1e3), "%.2g" % aerr, "%.1f" % c]
        print("| %d | %d | %s | %s | %.2f | %.2f | %s | %s | %s | %.0f | %.0f "
              "| %s | %.2g | %s |"
              % (b, l, "yes" if padded else "no", attnc[0], t, o, attnc[1],
                 attnc[2], attnc[3], tokens / t * 1e3, tokens / o * 1e3,
                 attnc[4], oerr, attnc[5]))
    print()
    print("attnc vs X = X ms / attnc ms (above 1: attnc is faster); tok/s = "
          "B*L / median; err = max|a - b| / max|b| against PyTorch's "
          "last_hidden_state over unpadded tokens; attnc JIT s = attn-run's "
          "compile time, not in attnc ms.")
    if onnx_rows:
        print()
        print("attnc on the ONNX export (the file ORT runs):")
        print()
        print("| B | L | padded | attnc ONNX ms | attnc HF dir ms | ORT ms "
              "| ONNX vs ORT | ONNX / HF dir time | attnc ONNX err "
              "| attnc ONNX JIT s |")
        print("|" + "---:|" * 10)
        for (b, l, padded, x, a, o, c, err) in onnx_rows:
            print("| %d | %d | %s | %.2f | %s | %.2f | %.3gx | %s | %.2g "
                  "| %.1f |"
                  % (b, l, "yes" if padded else "no", x,
                     "failed" if a is None else "%.2f" % a, o, o / x,
                     "-" if a is None else "%.3f" % (x / a), err, c))
        print()
        print("ONNX vs ORT = ORT ms / attnc ONNX ms (above 1: attnc is "
              "faster); ONNX / HF dir time = attnc's time on the .onnx over "
              "its time on the Hugging Face directory (1.10 would be 10% "
              "slower).")
    for failure in failures:
        print()
        print("attn-run failed for %s" % failure.rstrip())
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
