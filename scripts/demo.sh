#!/usr/bin/env bash
# The README's demo command: builds attnc's tools and shows what they do.
#  1. compiles examples/gqa-attention.mlir (grouped-query, causal, sliding
#     window) with the JIT, runs it on seeded random inputs, checks it
#     against the fp64 reference evaluator and times it;
#  2. shows the flash form that attn-tile-flash makes of it (the loop nest);
#  3. parses, verifies and canonicalizes examples/encoder-block.mlir;
#  4. shows the diagnostic for a grouped-query attention whose key heads do
#     not divide the query heads;
#  5. compiles a model description (examples/encoder-decoder: a seq2seq
#     Transformer in JSON with safetensors weights) ahead of time into a
#     library that a C++ program links to greedy-decode, and generates from
#     the same description through the JIT (attn-run --generate).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

bash scripts/install-deps.sh
configure_and_build build "gcc" gcc g++ attn-opt attn-run attnc
install_python_test_deps
opt=build/bin/attn-opt

echo
echo "== 1. JIT-compile examples/gqa-attention.mlir, run it, check it against"
echo "==    the reference evaluator, time it"
cat examples/gqa-attention.mlir
build/bin/attn-run examples/gqa-attention.mlir --random --check --bench 5 \
  --output-dir build/demo-out
echo "(result written to build/demo-out/result0.npy)"

echo
echo "== 2. its flash form (attn-opt --attn-tile-flash): the loop structure"
"$opt" --attn-tile-flash examples/gqa-attention.mlir |
  grep -E 'scf\.(forall|for|if)|math\.exp2|tensor\.pad' | sed 's/^ *//' | cut -c1-120

echo
echo "== 3. parse, verify and canonicalize examples/encoder-block.mlir"
"$opt" --canonicalize examples/encoder-block.mlir | grep -E 'attn\.' | cut -c1-160

echo
echo "== 4. bad IR gets a precise diagnostic, not a crash"
bad='func.func @f(%q: tensor<1x8x4x16xf32>, %kv: tensor<1x3x4x16xf32>) -> tensor<1x8x4x16xf32> {
  %o = attn.sdpa %q, %kv, %kv : (tensor<1x8x4x16xf32>, tensor<1x3x4x16xf32>, tensor<1x3x4x16xf32>) -> tensor<1x8x4x16xf32>
  return %o : tensor<1x8x4x16xf32>
}'
echo "$bad"
if echo "$bad" | "$opt" - >/dev/null 2>/tmp/attnc-demo-error.txt; then
  echo "demo: expected a verifier error" >&2
  exit 1
fi
cat /tmp/attnc-demo-error.txt

echo
echo "== 5. a model description: examples/encoder-decoder/model.json compiled"
echo "==    ahead of time (attnc), greedy-decoded from C++ with the KV cache,"
echo "==    and the same model generating through the JIT (attn-run --generate)"
bash examples/encoder-decoder/run.sh build build/demo-seq2seq
echo
echo "demo: done"
