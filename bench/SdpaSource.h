//===- SdpaSource.h - The attention function the benchmarks compile -------===//

#ifndef ATTNC_BENCH_SDPASOURCE_H
#define ATTNC_BENCH_SDPASOURCE_H

#include "llvm/Support/FormatVariadic.h"

#include <string>

namespace attnc::bench {

/// `@attention(q, k, v)`: one `attn.sdpa` on three tensors of `tensorType`
/// (e.g. "tensor<1x8x512x64xf32>"), causal or not.
inline std::string sdpaSource(const std::string &tensorType, bool causal) {
  return llvm::formatv(R"(
func.func @attention(%q: {0}, %k: {0}, %v: {0}) -> {0} {{
  %o = attn.sdpa %q, %k, %v {1} : ({0}, {0}, {0}) -> {0}
  return %o : {0}
})",
                       tensorType, causal ? "{causal}" : "");
}

} // namespace attnc::bench

#endif // ATTNC_BENCH_SDPASOURCE_H
