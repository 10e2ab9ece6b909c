//===- AttentionMapsTest.cpp - Heatmap PNGs read back with libpng; the HTML index ===//

#include "tools/attn-run/AttentionMaps.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <png.h>

#include <cmath>
#include <unistd.h>

using namespace attnc;

namespace {

/// A fresh scratch directory, removed with its contents at the end.
class ScratchDir {
public:
  ScratchDir() {
    llvm::SmallString<128> dir;
    EXPECT_FALSE(
        llvm::sys::fs::createUniqueDirectory("attnc-maps-test", dir));
    path = std::string(dir);
  }
  ~ScratchDir() { llvm::sys::fs::remove_directories(path); }
  std::string file(llvm::StringRef name) const {
    llvm::SmallString<128> p(path);
    llvm::sys::path::append(p, name);
    return std::string(p);
  }
  std::string path;
};

/// A PNG decoded to 8-bit RGB by libpng.
struct Decoded {
  int64_t width = 0, height = 0;
  std::vector<uint8_t> rgb;
  Rgb at(int64_t x, int64_t y) const {
    const uint8_t *p = rgb.data() + 3 * (y * width + x);
    return {p[0], p[1], p[2]};
  }
};

Decoded readPng(const std::string &path) {
  Decoded out;
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, path.c_str())) {
    ADD_FAILURE() << "libpng cannot read " << path << ": " << image.message;
    return out;
  }
  image.format = PNG_FORMAT_RGB;
  out.width = image.width;
  out.height = image.height;
  out.rgb.resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, out.rgb.data(), 0, nullptr))
    ADD_FAILURE() << "libpng cannot decode " << path << ": " << image.message;
  return out;
}

std::string readText(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    ADD_FAILURE() << "cannot read " << path;
    return "";
  }
  return (*buffer)->getBuffer().str();
}

std::string errorOf(llvm::Error e) {
  return e ? llvm::toString(std::move(e)) : "<no error>";
}

// matplotlib viridis at 0, 1/2 and 1, which the ramp passes through.
constexpr Rgb kZero = {68, 1, 84}, kHalf = {33, 144, 141}, kOne = {253, 231, 37};

TEST(HeatmapColour, ControlPointsClampingAndNaN) {
  EXPECT_EQ(heatmapColour(0.0), kZero);
  EXPECT_EQ(heatmapColour(0.5), kHalf);
  EXPECT_EQ(heatmapColour(1.0), kOne);
  EXPECT_EQ(heatmapColour(-3.0), kZero);
  EXPECT_EQ(heatmapColour(7.0), kOne);
  EXPECT_EQ(heatmapColour(INFINITY), kOne);
  EXPECT_EQ(heatmapColour(NAN), (Rgb{128, 128, 128}));
  // Halfway between the first two control points (68,1,84) and
  // (71,44,122), rounded half away from zero.
  EXPECT_EQ(heatmapColour(1.0 / 16), (Rgb{70, 23, 103}));
}

TEST(HeatmapColour, BrightensMonotonically) {
  // Perceived lightness must grow with the weight, so that a larger weight
  // never reads as a smaller one.
  double last = -1;
  for (int i = 0; i <= 100; ++i) {
    Rgb c = heatmapColour(i / 100.0);
    double luma = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
    EXPECT_GT(luma, last) << "at " << i / 100.0;
    last = luma;
  }
}

TEST(HeatmapPng, SizeAndCellColours) {
  ScratchDir dir;
  // 2 queries x 3 keys.
  const double weights[] = {0.0, 0.5, 1.0, //
                            1.0, 0.0, 0.5};
  std::string path = dir.file("map.png");
  ASSERT_EQ(errorOf(writeHeatmapPng(path, weights, 2, 3, 4)), "<no error>");
  Decoded png = readPng(path);
  ASSERT_EQ(png.width, 12);
  ASSERT_EQ(png.height, 8);
  const Rgb expected[2][3] = {{kZero, kHalf, kOne}, {kOne, kZero, kHalf}};
  // Every pixel of every cell, corners included.
  for (int64_t y = 0; y < 8; ++y)
    for (int64_t x = 0; x < 12; ++x)
      ASSERT_EQ(png.at(x, y), expected[y / 4][x / 4])
          << "pixel (" << x << ", " << y << ")";
}

TEST(HeatmapPng, OnePixelCells) {
  ScratchDir dir;
  const double weights[] = {0.25, 0.75, 0.5};
  std::string path = dir.file("column.png");
  ASSERT_EQ(errorOf(writeHeatmapPng(path, weights, 3, 1, 1)), "<no error>");
  Decoded png = readPng(path);
  ASSERT_EQ(png.width, 1);
  ASSERT_EQ(png.height, 3);
  EXPECT_EQ(png.at(0, 0), (Rgb{59, 81, 139}));
  EXPECT_EQ(png.at(0, 1), (Rgb{92, 200, 99}));
  EXPECT_EQ(png.at(0, 2), kHalf);
}

TEST(HeatmapPng, Errors) {
  ScratchDir dir;
  const double weights[] = {0.5};
  std::string missing = dir.file("no/such/dir/map.png");
  std::string e = errorOf(writeHeatmapPng(missing, weights, 1, 1, 2));
  EXPECT_NE(e.find("cannot write '" + missing + "'"), std::string::npos) << e;
  EXPECT_NE(e.find("No such file or directory"), std::string::npos) << e;

  // A directory where the file should be.
  e = errorOf(writeHeatmapPng(dir.path, weights, 1, 1, 2));
  EXPECT_NE(e.find("cannot write '" + dir.path + "'"), std::string::npos) << e;

  std::string path = dir.file("bad.png");
  e = errorOf(writeHeatmapPng(path, weights, 0, 1, 2));
  EXPECT_NE(e.find("the attention matrix is 0x1"), std::string::npos) << e;
  e = errorOf(writeHeatmapPng(path, weights, 1, 1, 0));
  EXPECT_NE(e.find("cell size 0 pixels is not positive"), std::string::npos)
      << e;
  e = errorOf(writeHeatmapPng(path, weights, 1, 600000, 2));
  EXPECT_NE(e.find("exceeds 1000000 pixels per side"), std::string::npos) << e;
  EXPECT_FALSE(llvm::sys::fs::exists(path));
}

TEST(AttentionIndex, FiguresLabelsAndEscaping) {
  ScratchDir dir;
  std::vector<MapEntry> maps(2);
  maps[0].title = "encoder layer 0, head 3";
  maps[0].image = "encoder-0-head-3.png";
  maps[0].rows = maps[0].cols = 2;
  maps[0].cellPixels = 16;
  maps[1].title = "decoder layer 1 <cross>";
  maps[1].image = "cross map#1.png";
  maps[1].batch = 1;
  maps[1].rows = 2;
  maps[1].cols = 3;
  maps[1].cellPixels = 16;
  maps[1].keyLabels = {"src_a", "src_b", "src_c"};
  std::vector<std::string> labels = {"<s>", "Tom & \"Jerry\""};
  ASSERT_EQ(errorOf(writeAttentionIndex(dir.path, maps, labels, labels)),
            "<no error>");
  std::string html = readText(dir.file("index.html"));

  EXPECT_NE(html.find("<figcaption>encoder layer 0, head 3 &mdash; batch "
                      "item 0</figcaption>"),
            std::string::npos);
  EXPECT_NE(html.find("decoder layer 1 &lt;cross&gt; &mdash; batch item 1"),
            std::string::npos);
  EXPECT_NE(html.find("src=\"encoder-0-head-3.png\""), std::string::npos);
  // The file name is a URL path: '#' and ' ' would cut or break it.
  EXPECT_NE(html.find("src=\"cross%20map%231.png\""), std::string::npos);
  EXPECT_NE(html.find("width=\"48\" height=\"32\""), std::string::npos);
  // Labels escaped, never raw.
  EXPECT_NE(html.find(">&lt;s&gt;</span>"), std::string::npos);
  EXPECT_NE(html.find(">Tom &amp; &quot;Jerry&quot;</span>"),
            std::string::npos);
  EXPECT_EQ(html.find("<s>"), std::string::npos);
  EXPECT_EQ(html.find("Tom & "), std::string::npos);
  // The second map's own key labels replace the shared ones.
  EXPECT_NE(html.find("style=\"grid-column: 4\" title=\"src_c\">src_c</span>"),
            std::string::npos);
  // Self-contained: nothing fetched, nothing run.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
}

TEST(AttentionIndex, LabelsOfTheWrongLengthAreLeftOut) {
  ScratchDir dir;
  MapEntry map;
  map.title = "t";
  map.image = "t.png";
  map.rows = 3;
  map.cols = 2;
  std::vector<std::string> queries = {"q0", "q1", "q2"};
  std::vector<std::string> keys = {"k0", "k1", "k2"};
  ASSERT_EQ(errorOf(writeAttentionIndex(dir.path, {map}, queries, keys)),
            "<no error>");
  std::string html = readText(dir.file("index.html"));
  EXPECT_NE(html.find(">q2</span>"), std::string::npos);
  EXPECT_EQ(html.find(">k0</span>"), std::string::npos);
}

TEST(AttentionIndex, UnwritableDirectory) {
  ScratchDir dir;
  std::string missing = dir.file("missing");
  std::string e = errorOf(writeAttentionIndex(missing, {}, {}, {}));
  EXPECT_NE(e.find("cannot write '" + missing + "/index.html'"),
            std::string::npos)
      << e;
}

} // namespace
