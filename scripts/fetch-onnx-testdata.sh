#!/usr/bin/env bash
# Fetches the onnx 1.22.0 node tests that test/onnx runs into DEST.
#
# Usage: scripts/fetch-onnx-testdata.sh DEST
#
# Downloads the onnx==1.22.0 wheel once (into $ATTNC_CACHE_DIR, default
# ~/.cache/attnc) and unzips only the cases listed in test/onnx/node-tests.txt
# (onnx/backend/test/data/node/<case>) into DEST: one directory per case,
# each with model.onnx and test_data_set_0/{input,output}_N.pb. Also pip-installs numpy
# and the onnx wheel when python3 lacks them: test/onnx/compare.py reads the
# expected outputs with onnx.numpy_helper. Idempotent; returns at once when
# DEST is complete and the Python modules import.
set -euo pipefail

if (($# != 1)); then
  echo "usage: $0 DEST" >&2
  exit 2
fi
dest=$1
version=1.22.0
list=$(cd "$(dirname "$0")/.." && pwd)/test/onnx/node-tests.txt
mapfile -t cases < <(grep -v '^#' "$list" | grep .)
expected_cases=${#cases[@]}
cache=${ATTNC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/attnc}/onnx-$version
python=${PYTHON:-python3}

count_cases() {
  local n=0 d
  for c in "${cases[@]}"; do
    [[ -f "$dest/$c/model.onnx" && -d "$dest/$c/test_data_set_0" ]] && n=$((n + 1))
  done
  echo "$n"
}

wheel() {
  local w
  w=$(ls "$cache"/onnx-"$version"-*.whl 2>/dev/null | head -n 1 || true)
  if [[ -z "$w" ]]; then
    mkdir -p "$cache"
    "$python" -m pip download --quiet --no-deps --only-binary=:all: \
      "onnx==$version" -d "$cache" >&2
    w=$(ls "$cache"/onnx-"$version"-*.whl | head -n 1)
  fi
  echo "$w"
}

if [[ $(count_cases) -ne $expected_cases ]]; then
  w=$(wheel)
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  "$python" - "$w" "$tmp" "$list" <<'PY'
import sys, zipfile
wheel, out, listed = sys.argv[1], sys.argv[2], sys.argv[3]
wanted = {l.strip() for l in open(listed) if l.strip() and not l.startswith("#")}
prefix = "onnx/backend/test/data/node/"
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if not name.startswith(prefix):
            continue
        if name[len(prefix):].split("/", 1)[0] in wanted:
            z.extract(name, out)
PY
  mkdir -p "$dest"
  for d in "$tmp"/onnx/backend/test/data/node/*; do
    rm -rf "$dest/$(basename "$d")"
    mv "$d" "$dest/"
  done
  n=$(count_cases)
  if [[ $n -ne $expected_cases ]]; then
    echo "fetch-onnx-testdata: expected $expected_cases cases in $dest, found $n" >&2
    exit 1
  fi
  echo "fetch-onnx-testdata: $n cases in $dest"
fi

# The comparator's dependencies (pip serves test oracles only). Debian's
# system Python refuses installs into itself (PEP 668), so whatever the python3
# on PATH lacks goes into DEST/.python-packages, which test/onnx puts on
# PYTHONPATH.
packages=$dest/.python-packages
if ! "$python" -c "import numpy, onnx.numpy_helper" 2>/dev/null &&
  ! PYTHONPATH=$packages "$python" -c "import numpy, onnx.numpy_helper" 2>/dev/null; then
  "$python" -m pip install --quiet --target "$packages" numpy "$(wheel)" >&2
fi
