// attn-tile-flash rejects block sizes that are not multiples of 8.
// RUN: attn-opt %s --attn-tile-flash=query-block=12 --split-input-file --verify-diagnostics
// RUN: not attn-opt %s --attn-tile-flash=key-block=20 2>&1 | FileCheck %s --check-prefix=KEY

func.func @query_block(%q: tensor<1x2x40x32xf32>) -> tensor<1x2x40x32xf32> {
  // KEY: error: 'attn.sdpa' op attn-tile-flash: key-block 20 must be a positive multiple of 8
  // expected-error @+1 {{'attn.sdpa' op attn-tile-flash: query-block 12 must be a positive multiple of 8}}
  %o = attn.sdpa %q, %q, %q : (tensor<1x2x40x32xf32>, tensor<1x2x40x32xf32>, tensor<1x2x40x32xf32>) -> tensor<1x2x40x32xf32>
  return %o : tensor<1x2x40x32xf32>
}
