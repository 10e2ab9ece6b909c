//===- HalfFloatTest.cpp - The runtime's f16/bf16 conversions vs APFloat --===//
//
// The runtime converts 16-bit floats without LLVM; LLVM's APFloat is the
// oracle here: every bit pattern to double, and doubles around every
// rounding boundary back, ties to even, overflow, subnormals and NaN.
//
//===----------------------------------------------------------------------===//

#include "runtime/Tensor.h"

#include "llvm/ADT/APFloat.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <random>

using namespace attnc;

namespace {

struct Format {
  const char *name;
  const llvm::fltSemantics &semantics;
  double (*toDouble)(uint16_t);
  uint16_t (*fromDouble)(double);
};

const Format kFormats[] = {
    {"f16", llvm::APFloat::IEEEhalf(), halfToDouble, doubleToHalf},
    {"bf16", llvm::APFloat::BFloat(), bfloat16ToDouble, doubleToBfloat16},
};

double oracleToDouble(const Format &f, uint16_t bits) {
  return llvm::APFloat(f.semantics, llvm::APInt(16, bits)).convertToDouble();
}

uint16_t oracleFromDouble(const Format &f, double v) {
  llvm::APFloat x(v);
  bool lost;
  x.convert(f.semantics, llvm::APFloat::rmNearestTiesToEven, &lost);
  return static_cast<uint16_t>(x.bitcastToAPInt().getZExtValue());
}

TEST(HalfFloatTest, EveryBitPatternToDouble) {
  for (const Format &f : kFormats)
    for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
      double got = f.toDouble(static_cast<uint16_t>(bits));
      double want = oracleToDouble(f, static_cast<uint16_t>(bits));
      if (std::isnan(want)) {
        EXPECT_TRUE(std::isnan(got)) << f.name << " " << bits;
        EXPECT_EQ(std::signbit(got), std::signbit(want)) << f.name << " " << bits;
      } else {
        EXPECT_EQ(got, want) << f.name << " " << bits;
        EXPECT_EQ(std::signbit(got), std::signbit(want)) << f.name << " " << bits;
      }
    }
}

TEST(HalfFloatTest, DoublesRoundToNearestEven) {
  std::mt19937_64 rng(7);
  for (const Format &f : kFormats) {
    std::vector<double> values = {0.0, -0.0, INFINITY, -INFINITY, 1e300,
                                  -1e300, 1e-300, 65504, 65519.99, 65520,
                                  3.3895313892515355e38, 3.39e38};
    // Every representable value, the midpoints between neighbours (ties)
    // and values just either side of them.
    for (uint32_t bits = 0; bits < 0xffff; ++bits) {
      double a = oracleToDouble(f, static_cast<uint16_t>(bits));
      double b = oracleToDouble(f, static_cast<uint16_t>(bits + 1));
      if (!std::isfinite(a) || !std::isfinite(b))
        continue;
      double mid = a + (b - a) / 2;
      values.insert(values.end(), {a, mid, std::nextafter(mid, a),
                                   std::nextafter(mid, b)});
    }
    for (int i = 0; i < 100000; ++i) {
      uint64_t raw = rng();
      double v;
      std::memcpy(&v, &raw, sizeof v);
      values.push_back(v);
    }
    for (double v : values) {
      uint16_t got = f.fromDouble(v), want = oracleFromDouble(f, v);
      if (std::isnan(v))
        EXPECT_TRUE(std::isnan(f.toDouble(got))) << f.name << " " << v;
      else
        EXPECT_EQ(got, want) << f.name << " " << v;
    }
  }
}

TEST(HalfFloatTest, TensorsRoundTrip) {
  Tensor t(DType::F16, {3});
  t.setDouble(0, 1.0 / 3);
  t.setDouble(1, -70000);
  t.setDouble(2, 6e-8);
  EXPECT_EQ(t.getDouble(0), 0.333251953125);
  EXPECT_EQ(t.getDouble(1), -INFINITY);
  EXPECT_EQ(t.getDouble(2), 5.9604644775390625e-08);
  Tensor b = t.convert(DType::BF16);
  EXPECT_EQ(b.getDouble(0), 0.333984375);
}

} // namespace
