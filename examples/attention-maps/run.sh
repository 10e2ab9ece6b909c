#!/usr/bin/env bash
# The attention-maps example: a small translation model, one sentence pair,
# and attn-run --attention-maps, which writes one PNG heatmap per layer and
# head plus an index.html that labels the axes with the tokens.
#
#   bash examples/attention-maps/run.sh [BUILD_DIR] [WORK_DIR]
#
# Open WORK_DIR/maps/index.html in a browser afterwards.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
work=${2:-$build/examples/attention-maps/work}
mkdir -p "$work"
python3 "$here/make_input.py" "$work"
"$build/bin/attn-run" "$work/model.json" --entry forward \
  --input "$work/src_ids.npy" --input "$work/src_mask.npy" \
  --input "$work/tgt_ids.npy" \
  --vocab "$work/tgt_vocab.txt" --src-vocab "$work/src_vocab.txt" \
  --attention-maps "$work/maps" --check
echo "open $work/maps/index.html"
