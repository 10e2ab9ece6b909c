//===- FlashCorrectnessTest.cpp - The CPU flash kernel against the fp64 oracle ===//
//
// Each case writes one function of attn IR (attn.sdpa or attn.hard), JIT-
// compiles it through the CPU pipeline (attn-tile-flash and the vectorized,
// OpenMP lowering), runs it on seeded random inputs, and compares every
// result with the same IR evaluated by the fp64 reference interpreter.
// FlashCases.h holds the cases and the comparison.
//
//===----------------------------------------------------------------------===//

#include "test/unit/runtime/FlashCases.h"

#include <gtest/gtest.h>

using namespace attnc;
using namespace attnc::flashcases;

namespace {

/// The tolerance of a case. f32: 1e-4, far above f32 accumulation error over
/// Lk <= 1000 terms but far below any indexing or masking mistake. f16: the
/// result itself is rounded to f16 (half an ulp is 2^-11 ~ 4.9e-4 of the
/// element, so at most that of max|want|), and the weights output is too;
/// 2e-3 leaves 4x margin for that one rounding while the kernel accumulates
/// in f32. The oracle sees the same f16-rounded inputs, so input rounding is
/// not part of the error.
double tolerance(const FlashCase &c) { return c.f16 ? 2e-3 : 1e-4; }

/// The largest relative error seen by the suite, per element type, printed
/// at the end so that the margins are visible.
double worstF32 = 0, worstF16 = 0;

class FlashCorrectness : public ::testing::TestWithParam<FlashCase> {};

TEST_P(FlashCorrectness, MatchesReference) {
  const FlashCase &c = GetParam();
  CompileOptions options;
  options.lowering.queryBlock = c.queryBlock;
  options.lowering.keyBlock = c.keyBlock;
  options.lowering.vectorize = c.vectorize;
  options.lowering.parallel = c.parallel;
  checkAgainstReference(c, options, tolerance(c), c.f16 ? worstF16 : worstF32);
}

INSTANTIATE_TEST_SUITE_P(LengthsAndDims, FlashCorrectness,
                         ::testing::ValuesIn(lengthAndDimCases()), caseName);
INSTANTIATE_TEST_SUITE_P(Visibility, FlashCorrectness,
                         ::testing::ValuesIn(visibilityCases()), caseName);
INSTANTIATE_TEST_SUITE_P(Masks, FlashCorrectness,
                         ::testing::ValuesIn(maskCases()), caseName);
INSTANTIATE_TEST_SUITE_P(Features, FlashCorrectness,
                         ::testing::ValuesIn(featureCases()), caseName);
INSTANTIATE_TEST_SUITE_P(DynamicShapes, FlashCorrectness,
                         ::testing::ValuesIn(dynamicCases()), caseName);
INSTANTIATE_TEST_SUITE_P(F16, FlashCorrectness,
                         ::testing::ValuesIn(f16Cases()), caseName);
INSTANTIATE_TEST_SUITE_P(Blocks, FlashCorrectness,
                         ::testing::ValuesIn(blockCases()), caseName);

/// Prints the worst errors seen, so that a run shows how much margin the
/// tolerances leave.
class ReportWorstErrors : public ::testing::Environment {
public:
  void TearDown() override {
    llvm::outs() << llvm::formatv(
        "flash correctness: worst rel err f32 {0:e2}, f16 {1:e2}\n", worstF32,
        worstF16);
  }
};
const auto *const reportWorstErrors =
    ::testing::AddGlobalTestEnvironment(new ReportWorstErrors);

} // namespace
