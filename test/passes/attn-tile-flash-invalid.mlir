// attn-tile-flash rejects block sizes that are not multiples of 8, and
// blocks past 4096 (which would build tiles of any size an option names).
// RUN: attn-opt %s --attn-tile-flash=query-block=12 --split-input-file --verify-diagnostics
// RUN: not attn-opt %s --attn-tile-flash=key-block=20 2>&1 | FileCheck %s --check-prefix=KEY
// RUN: not attn-opt %s --attn-tile-flash=key-block=1099511627776 2>&1 | FileCheck %s --check-prefix=HUGE
// RUN: not attn-opt %s '--attn-cpu-pipeline=query-block=64 key-block=1099511627776' 2>&1 | FileCheck %s --check-prefix=HUGE

func.func @query_block(%q: tensor<1x2x40x32xf32>) -> tensor<1x2x40x32xf32> {
  // KEY: error: 'attn.sdpa' op attn-tile-flash: key-block 20 must be a positive multiple of 8, at most 4096
  // HUGE: error: 'attn.sdpa' op attn-tile-flash: key-block 1099511627776 must be a positive multiple of 8, at most 4096
  // expected-error @+1 {{'attn.sdpa' op attn-tile-flash: query-block 12 must be a positive multiple of 8, at most 4096}}
  %o = attn.sdpa %q, %q, %q : (tensor<1x2x40x32xf32>, tensor<1x2x40x32xf32>, tensor<1x2x40x32xf32>) -> tensor<1x2x40x32xf32>
  return %o : tensor<1x2x40x32xf32>
}
