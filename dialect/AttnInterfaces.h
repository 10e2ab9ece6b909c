//===- AttnInterfaces.h - Interfaces of the attn dialect --------*- C++ -*-===//
//
// AttentionOpInterface (AttnInterfaces.td) and the settings it returns.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_DIALECT_ATTNINTERFACES_H
#define ATTNC_DIALECT_ATTNINTERFACES_H

#include "dialect/AttnDialect.h"

#include "mlir/IR/OpDefinition.h"

#include <array>
#include <cstdint>
#include <optional>

namespace mlir::attn {

/// The keys a query may see by position: around its bottom-right aligned
/// diagonal d = i + Lk - Lq, query i sees key j iff
/// d - left <= j <= d + right; -1 leaves a side open.
struct VisibleBand {
  int64_t left = -1, right = -1;
};

/// How an attention op scores queries against keys and which keys each
/// query sees, as AttentionOpInterface::getAttentionSettings reads them off
/// the op's attributes (the dialect's description of `attn.sdpa` defines
/// each of them).
struct AttentionSettings {
  /// Multiplies the score. Unset means 1/sqrt(D); effectiveScale resolves it
  /// once the head dim D is known.
  std::optional<double> scale;
  /// When set to c, the scaled score s becomes c * tanh(s / c) before the
  /// mask is applied.
  std::optional<double> softcap;
  /// How a query/key pair is scored before scaling.
  ScoreKind score = ScoreKind::Dot;
  /// Bottom-right aligned causality: query i sees key j iff
  /// j <= i + Lk - Lq.
  bool causal = false;
  /// Local attention, `[left, right]` keys around the diagonal (see
  /// VisibleBand); -1 leaves a side open. Both it and `causal` must allow a
  /// key.
  std::optional<std::array<int64_t, 2>> window;
  /// Query heads Hq and key/value heads Hkv (grouped-query attention: query
  /// head h reads KV head h / (Hq / Hkv)). Hkv divides Hq in verified IR.
  int64_t numHeads = 1, numKvHeads = 1;

  /// The scale actually applied for head dim `headDim`: `scale`, or
  /// 1/sqrt(headDim) when it is unset.
  double effectiveScale(int64_t headDim) const;

  /// Query heads per KV head, Hq / Hkv.
  int64_t groupSize() const { return numHeads / numKvHeads; }

  /// `window` and `causal` as one band, causal folded into its right bound:
  /// the form the flash kernels test keys against.
  VisibleBand band() const;
};

} // namespace mlir::attn

#include "dialect/AttnInterfaces.h.inc"

#endif // ATTNC_DIALECT_ATTNINTERFACES_H
