#!/usr/bin/env bash
# The sentence-encoder example: a tiny BERT in the Hugging Face layout,
# two (or more) sentences tokenized with its vocab.txt, and the
# sentence-encoder program, which JIT-compiles the directory through
# attnc's C++ API, mean-pools last_hidden_state and prints cosine
# similarities.
#
#   bash examples/sentence-encoder/run.sh [BUILD_DIR] [WORK_DIR] [SENTENCE...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
work=${2:-$build/examples/sentence-encoder/work}
shift $(($# < 2 ? $# : 2))
if (($# == 0)); then
  set -- "The cat sat on the mat." "A dog slept under the old table."
fi
mkdir -p "$work"
python3 "$here/make_model.py" model "$work/bert"
python3 "$here/make_model.py" tokenize "$work/bert" "$work/in" "$@"
"$build/bin/sentence-encoder" "$work/bert" "$work/in/input_ids.npy" \
  "$work/in/attention_mask.npy"
