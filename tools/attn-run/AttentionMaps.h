//===- AttentionMaps.h - Attention weights as PNG heatmaps and an HTML index -*- C++ -*-===//

#ifndef ATTNC_RUNTIME_ATTENTIONMAPS_H
#define ATTNC_RUNTIME_ATTENTIONMAPS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace attnc {

/// An 8-bit sRGB colour.
struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb &o) const {
    return r == o.r && g == o.g && b == o.b;
  }
};

/// The heatmap colour of an attention weight: a viridis-like ramp from dark
/// purple (0) through teal (0.5) to yellow (1), linear between nine control
/// points. Values outside [0, 1] are clamped; NaN is mid grey, so that a
/// broken weight stands out instead of looking like a plausible one.
Rgb heatmapColour(double value);

/// Writes one attention matrix (`rows` queries by `cols` keys, row-major) as
/// an RGB PNG in which every weight is a `cellPixels` x `cellPixels` square
/// of heatmapColour(weight). Errors (bad sizes, a file that cannot be
/// created, libpng failing) name the file.
llvm::Error writeHeatmapPng(llvm::StringRef path, const double *weights,
                            int64_t rows, int64_t cols, int cellPixels);

/// One heatmap of an attention index.
struct MapEntry {
  /// The caption, e.g. "encoder layer 0, head 3".
  std::string title;
  /// The PNG, relative to the index's directory.
  std::string image;
  /// The batch item the map belongs to; shown in the caption.
  int64_t batch = 0;
  /// The matrix size and the pixels per cell the PNG was written with, so
  /// that the labels line up with the cells.
  int64_t rows = 0, cols = 0;
  int cellPixels = 1;
  /// Labels for this map only (e.g. the source tokens of a cross-attention
  /// map, or another batch item's tokens); empty means the index's labels.
  std::vector<std::string> queryLabels, keyLabels;
};

/// Writes DIR/index.html: one figure per map with its caption, the image
/// and, where labels are given, the query labels down the left and the key
/// labels along the top, one per cell. Labels are used only when their count
/// matches the map's rows (queries) or columns (keys). The page is
/// self-contained: inline CSS, no scripts, nothing fetched. Errors name the
/// file.
llvm::Error writeAttentionIndex(llvm::StringRef dir,
                                llvm::ArrayRef<MapEntry> maps,
                                llvm::ArrayRef<std::string> queryLabels,
                                llvm::ArrayRef<std::string> keyLabels);

} // namespace attnc

#endif // ATTNC_RUNTIME_ATTENTIONMAPS_H
