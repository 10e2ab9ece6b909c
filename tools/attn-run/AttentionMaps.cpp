//===- AttentionMaps.cpp - Attention weights as PNG heatmaps and an HTML index ===//

#include "tools/attn-run/AttentionMaps.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Errno.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <png.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <limits>

using namespace attnc;

namespace {

/// matplotlib's viridis sampled at 0, 1/8, ..., 1: perceptually uniform,
/// readable in grey scale and by colour-blind readers.
constexpr Rgb kRamp[] = {{68, 1, 84},    {71, 44, 122},  {59, 81, 139},
                         {44, 113, 142}, {33, 144, 141}, {39, 173, 129},
                         {92, 200, 99},  {170, 220, 50}, {253, 231, 37}};
constexpr int kRampSteps = sizeof(kRamp) / sizeof(kRamp[0]) - 1;
constexpr Rgb kNaNColour = {128, 128, 128};

/// Readers of PNGs (libpng's own default included) refuse images wider or
/// taller than this, so we do not write them.
constexpr int64_t kMaxSide = 1000000;

llvm::Error fileError(llvm::StringRef path, const llvm::Twine &why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "cannot write '" + path + "': " + why);
}

/// `name` as a URL path: bytes outside RFC 3986's unreserved set (and '/')
/// are percent-encoded, so spaces, '#' or '?' in a file name still load.
std::string urlPath(llvm::StringRef name) {
  std::string out;
  for (unsigned char c : name) {
    if (llvm::isAlnum(c) || llvm::StringRef("-._~/").contains(c)) {
      out += static_cast<char>(c);
      continue;
    }
    out += '%';
    out += llvm::hexdigit(c >> 4);
    out += llvm::hexdigit(c & 15);
  }
  return out;
}

std::string escaped(llvm::StringRef text) {
  std::string out;
  llvm::raw_string_ostream os(out);
  llvm::printHTMLEscaped(text, os);
  return out;
}

std::string cssColour(Rgb c) {
  return llvm::formatv("#{0:x-2}{1:x-2}{2:x-2}", c.r, c.g, c.b).str();
}

/// The labels for an axis of `count` cells: the map's own, else the
/// index's, used only when they match the axis.
llvm::ArrayRef<std::string> axisLabels(const std::vector<std::string> &own,
                                       llvm::ArrayRef<std::string> shared,
                                       int64_t count) {
  llvm::ArrayRef<std::string> labels =
      own.empty() ? shared : llvm::ArrayRef<std::string>(own);
  if (static_cast<int64_t>(labels.size()) != count)
    return {};
  return labels;
}

void writeFigure(llvm::raw_ostream &os, const MapEntry &map,
                 llvm::ArrayRef<std::string> queryLabels,
                 llvm::ArrayRef<std::string> keyLabels) {
  llvm::ArrayRef<std::string> rowsText =
      axisLabels(map.queryLabels, queryLabels, map.rows);
  llvm::ArrayRef<std::string> colsText =
      axisLabels(map.keyLabels, keyLabels, map.cols);
  int cell = std::max(map.cellPixels, 1);
  // Labels are as tall as a cell (capped at a readable size) so they stay
  // on their own row or column.
  int font = std::clamp(cell - 2, 1, 13);

  os << "<figure>\n<figcaption>" << escaped(map.title) << " &mdash; batch item "
     << map.batch << "</figcaption>\n";
  os << llvm::formatv("<div class=\"map\" style=\"grid-template-columns: "
                      "auto repeat({0}, {1}px); grid-template-rows: auto "
                      "repeat({2}, {1}px); font-size: {3}px\">\n",
                      std::max<int64_t>(map.cols, 1), cell,
                      std::max<int64_t>(map.rows, 1), font);
  for (auto [j, label] : llvm::enumerate(colsText))
    os << llvm::formatv("<span class=\"key\" style=\"grid-column: {0}\" "
                        "title=\"{1}\">{1}</span>\n",
                        j + 2, escaped(label));
  for (auto [i, label] : llvm::enumerate(rowsText))
    os << llvm::formatv("<span class=\"query\" style=\"grid-row: {0}\" "
                        "title=\"{1}\">{1}</span>\n",
                        i + 2, escaped(label));
  os << llvm::formatv("<img src=\"{0}\" alt=\"{1}\" width=\"{2}\" "
                      "height=\"{3}\" style=\"grid-row: 2 / span {4}; "
                      "grid-column: 2 / span {5}\">\n",
                      escaped(urlPath(map.image)), escaped(map.title),
                      map.cols * cell, map.rows * cell,
                      std::max<int64_t>(map.rows, 1),
                      std::max<int64_t>(map.cols, 1));
  os << "</div>\n</figure>\n";
}

} // namespace

Rgb attnc::heatmapColour(double value) {
  if (std::isnan(value))
    return kNaNColour;
  double t = std::clamp(value, 0.0, 1.0) * kRampSteps;
  int i = std::min(static_cast<int>(t), kRampSteps - 1);
  double f = t - i;
  auto mix = [f](uint8_t a, uint8_t b) {
    return static_cast<uint8_t>(std::lround(a + (b - a) * f));
  };
  const Rgb &lo = kRamp[i], &hi = kRamp[i + 1];
  return {mix(lo.r, hi.r), mix(lo.g, hi.g), mix(lo.b, hi.b)};
}

llvm::Error attnc::writeHeatmapPng(llvm::StringRef path, const double *weights,
                                   int64_t rows, int64_t cols,
                                   int cellPixels) {
  if (rows <= 0 || cols <= 0)
    return fileError(path, llvm::formatv("the attention matrix is {0}x{1}; "
                                         "a heatmap needs at least one cell",
                                         rows, cols));
  if (cellPixels <= 0)
    return fileError(path, llvm::formatv("cell size {0} pixels is not "
                                         "positive",
                                         cellPixels));
  if (rows > kMaxSide / cellPixels || cols > kMaxSide / cellPixels)
    return fileError(path,
                     llvm::formatv("a {0}x{1} matrix at {2} pixels per cell "
                                   "exceeds {3} pixels per side",
                                   rows, cols, cellPixels, kMaxSide));
  int64_t width = cols * cellPixels, height = rows * cellPixels;
  std::vector<uint8_t> pixels(static_cast<size_t>(width * height * 3));
  for (int64_t y = 0; y < height; ++y) {
    uint8_t *row = pixels.data() + y * width * 3;
    if (y % cellPixels != 0) {
      // Every pixel row of a cell is the same as its first.
      std::copy_n(row - width * 3, width * 3, row);
      continue;
    }
    const double *w = weights + (y / cellPixels) * cols;
    for (int64_t x = 0; x < width; ++x) {
      Rgb c = heatmapColour(w[x / cellPixels]);
      row[3 * x] = c.r;
      row[3 * x + 1] = c.g;
      row[3 * x + 2] = c.b;
    }
  }

  std::FILE *file = std::fopen(path.str().c_str(), "wb");
  if (!file)
    return fileError(path, llvm::sys::StrError(errno));
  // libpng's simplified API reports failures in image.message instead of
  // longjmp'ing through our frames.
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width);
  image.height = static_cast<png_uint_32>(height);
  image.format = PNG_FORMAT_RGB;
  int written = png_image_write_to_stdio(&image, file, /*convert_to_8bit=*/0,
                                         pixels.data(), /*row_stride=*/0,
                                         /*colormap=*/nullptr);
  std::string message = image.message;
  png_image_free(&image);
  bool closed = std::fclose(file) == 0;
  if (!written || !closed) {
    llvm::sys::fs::remove(path);
    return fileError(path, written ? "closing the file failed"
                                   : "libpng: " + message);
  }
  return llvm::Error::success();
}

llvm::Error attnc::writeAttentionIndex(llvm::StringRef dir,
                                       llvm::ArrayRef<MapEntry> maps,
                                       llvm::ArrayRef<std::string> queryLabels,
                                       llvm::ArrayRef<std::string> keyLabels) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, "index.html");
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return fileError(path, ec.message());

  // The legend is the ramp itself, so page and PNGs cannot disagree.
  std::string gradient;
  for (int i = 0; i <= kRampSteps; ++i)
    gradient += (i ? ", " : "") + cssColour(kRamp[i]);

  os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
        "charset=\"utf-8\">\n<title>Attention maps</title>\n<style>\n"
        "body { font-family: sans-serif; margin: 1.5em; }\n"
        "figure { display: inline-block; vertical-align: top; margin: 0 2em "
        "2em 0; }\n"
        "figcaption { font-weight: bold; margin-bottom: 0.5em; }\n"
        ".map { display: grid; align-items: center; }\n"
        ".map img { image-rendering: pixelated; }\n"
        ".key { grid-row: 1; writing-mode: vertical-rl; transform: "
        "rotate(180deg); justify-self: center; white-space: nowrap; "
        "padding-bottom: 0.3em; }\n"
        ".query { grid-column: 1; justify-self: end; white-space: nowrap; "
        "padding-right: 0.3em; line-height: 1; }\n"
        ".legend { display: flex; align-items: center; gap: 0.5em; "
        "margin-bottom: 1.5em; }\n"
        ".legend .bar { width: 12em; height: 1em; background: "
        "linear-gradient(to right, "
     << gradient
     << "); }\n</style>\n</head>\n<body>\n<h1>Attention maps</h1>\n"
        "<p>Rows are queries, columns are keys; each row sums to 1 (0 where "
        "every key is masked).</p>\n"
        "<div class=\"legend\">0 <span class=\"bar\"></span> 1</div>\n";
  for (const MapEntry &map : maps)
    writeFigure(os, map, queryLabels, keyLabels);
  os << "</body>\n</html>\n";

  os.close();
  if (os.has_error()) {
    std::error_code error = os.error();
    os.clear_error();
    return fileError(path, error.message());
  }
  return llvm::Error::success();
}
