//===- Generate.h - Greedy decoding with a KV cache over a compiled model -*- C++ -*-===//
//
// Drives the entry points that frontend/Model.h builds for decoder and
// encoder-decoder models:
//
//   encode(src_ids, src_mask) -> memory, cross_key_i, cross_value_i
//   decode(ids, [src_mask, cross_*]) -> logits, present_key_i, present_value_i
//   decode_step(id, [src_mask, cross_*], past_*) -> logits, present_*
//
// The encoder and the cross-attention K/V run once; every step after the
// prefill attends to the cache and projects only the new token.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_GENERATE_H
#define ATTNC_RUNTIME_GENERATE_H

#include "runtime/Module.h"

#include <optional>

namespace attnc {

struct GenerateOptions {
  /// The decoder's first token; required for encoder-decoder models.
  std::optional<int64_t> bos;
  /// A sequence ends once it emits this token.
  std::optional<int64_t> eos;
  /// Source positions holding this token are masked out of attention, and
  /// finished sequences are filled with it (0 when unset).
  std::optional<int64_t> pad;
  int64_t maxNewTokens = 32;
  /// The longest sequence the decoder's positions cover (0: unchecked);
  /// generation that would go past it is an error up front.
  int64_t maxLength = 0;
};

/// Greedy decoding. For an encoder-decoder module `input` holds the source
/// tokens, for a decoder-only module the prompt; both int64 `[B, L]`.
/// Returns the new tokens, int64 `[B, N]` with N <= maxNewTokens: each row
/// stops at its EOS (included) and is padded after it; generation ends when
/// every row has ended or after maxNewTokens. An empty batch (B = 0) gives
/// `[0, 0]` without running the model.
attnc::Result<Tensor> generateGreedy(Module &model, const Tensor &input,
                                      const GenerateOptions &options);

} // namespace attnc

#endif // ATTNC_RUNTIME_GENERATE_H
