//===- AttnInterfaces.cpp - Interfaces of the attn dialect ----------------===//

#include "dialect/AttnInterfaces.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::attn;

double AttentionSettings::effectiveScale(int64_t headDim) const {
  if (scale)
    return *scale;
  return 1.0 / std::sqrt(static_cast<double>(headDim));
}

VisibleBand AttentionSettings::band() const {
  VisibleBand band;
  if (window) {
    band.left = (*window)[0];
    band.right = (*window)[1];
  }
  // Causal allows no key right of the diagonal, whatever the window says.
  if (causal)
    band.right = band.right < 0 ? 0 : std::min<int64_t>(band.right, 0);
  return band;
}

#include "dialect/AttnInterfaces.cpp.inc"
