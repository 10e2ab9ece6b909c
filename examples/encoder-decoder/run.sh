#!/usr/bin/env bash
# The encoder-decoder example end to end: random seq2seq weights, attnc
# compiles model.json into libseq2seq.so + seq2seq.h, a C++ program that
# links only that library greedy-decodes a source sentence, and attn-run
# --generate decodes the same batch through the JIT for comparison.
#
#   bash examples/encoder-decoder/run.sh [BUILD_DIR] [WORK_DIR]
#
# BUILD_DIR holds bin/attnc and bin/attn-run (default: build); WORK_DIR
# (default: BUILD_DIR/examples/encoder-decoder/work) gets everything made.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
work=${2:-$build/examples/encoder-decoder/work}
mkdir -p "$work"
python3 "$here/make_weights.py" "$work"

"$build/bin/attnc" "$work/model.json" -o "$work/libseq2seq.so" \
  --header "$work/seq2seq.h"
c++ -std=c++17 -O2 -Wall -Wextra -I "$work" "$here/main.cpp" \
  "$work/libseq2seq.so" -Wl,-rpath,"$work" -o "$work/translate"

# The first source row of make_weights.py's batch, as arguments.
source=$(python3 -c "import numpy as np; print(*np.load('$work/src_ids.npy')[0])")
echo "source: $source"
"$work/translate" $source

# The same batch through the JIT: its first row must match the line above.
"$build/bin/attn-run" "$work/model.json" --generate --max-new-tokens 20 \
  --input "$work/src_ids.npy" --output-dir "$work/out"
