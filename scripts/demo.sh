#!/usr/bin/env bash
# The README's demo command: builds attn-opt and shows what attnc does today.
#  1. parses, verifies and prints examples/encoder-block.mlir;
#  2. prints its canonical form (dead attention weights dropped, the window
#     that ends at the diagonal rewritten as `causal`);
#  3. shows the diagnostic for a grouped-query attention whose key heads do
#     not divide the query heads.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

bash scripts/install-deps.sh
configure_and_build build "gcc" gcc g++ attn-opt
opt=build/bin/attn-opt

echo
echo "== 1. parse, verify and print examples/encoder-block.mlir"
"$opt" examples/encoder-block.mlir

echo
echo "== 2. its canonical form (attn-opt --canonicalize), attn ops only"
"$opt" --canonicalize examples/encoder-block.mlir | grep -E 'attn\.' | cut -c1-160

echo
echo "== 3. bad IR gets a precise diagnostic, not a crash"
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
echo "demo: done"
