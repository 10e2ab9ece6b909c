//===- GpuCorrectnessTest.cpp - The CUDA flash kernels against the fp64 oracle //
//
// The CPU correctness matrix (FlashCases.h: shapes, masks, windows, GQA,
// weights, dynamic sizes) in f32, f16 and bf16, JIT-compiled for CUDA and
// compared with the reference interpreter. Without a usable device every
// test is skipped with the runtime's reason, so that the skip shows.
//
//===----------------------------------------------------------------------===//

#include "runtime/CudaRuntime.h"
#include "test/unit/runtime/FlashCases.h"

#include <gtest/gtest.h>

using namespace attnc;
using namespace attnc::flashcases;

namespace {

/// Tolerances as on the CPU: f32 1e-4 and f16 2e-3 (the result is rounded
/// to f16, half an ulp being 4.9e-4, with 4x margin). bf16 keeps 8 bits of
/// mantissa, so the same rule gives half an ulp of 2^-9 ~ 2e-3 and, with
/// the same margin, 8e-3.
double tolerance(const FlashCase &c) {
  return c.bf16 ? 8e-3 : c.f16 ? 2e-3 : 1e-4;
}

/// The matrix in one element type. The CPU's block-size cases are left
/// out: the GPU kernels choose their own blocks (multiples of 16), which the
/// lit tests of attn-gpu-flash cover.
std::vector<FlashCase> inType(std::vector<FlashCase> cases,
                              llvm::StringRef type) {
  for (FlashCase &c : cases) {
    c.f16 = type == "f16";
    c.bf16 = type == "bf16";
    c.queryBlock = c.keyBlock = 0;
    c.name += "_" + type.str();
  }
  return cases;
}

std::vector<FlashCase> allCases(llvm::StringRef type) {
  std::vector<FlashCase> all;
  for (auto cases : {lengthAndDimCases(), visibilityCases(), maskCases(),
                     featureCases(), dynamicCases(), f16Cases()})
    for (FlashCase &c : inType(cases, type))
      all.push_back(std::move(c));
  return all;
}

class GpuCorrectness : public ::testing::TestWithParam<FlashCase> {};

TEST_P(GpuCorrectness, MatchesReference) {
  if (attnc::Status e = cuda::ensureDevice())
    GTEST_SKIP() << toString(std::move(e));
  const FlashCase &c = GetParam();
  CompileOptions options;
  options.lowering.target = mlir::attn::Target::Cuda;
  double worst = 0;
  checkAgainstReference(c, options, tolerance(c), worst);
  RecordProperty("rel_err", std::to_string(worst));
}

INSTANTIATE_TEST_SUITE_P(F32, GpuCorrectness,
                         ::testing::ValuesIn(allCases("f32")), caseName);
INSTANTIATE_TEST_SUITE_P(F16, GpuCorrectness,
                         ::testing::ValuesIn(allCases("f16")), caseName);
INSTANTIATE_TEST_SUITE_P(BF16, GpuCorrectness,
                         ::testing::ValuesIn(allCases("bf16")), caseName);

} // namespace
