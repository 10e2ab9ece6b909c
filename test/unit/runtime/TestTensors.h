//===- TestTensors.h - Random f32 tensors and bitwise comparison for tests -*- C++ -*-===//

#ifndef ATTNC_TEST_UNIT_RUNTIME_TESTTENSORS_H
#define ATTNC_TEST_UNIT_RUNTIME_TESTTENSORS_H

#include "runtime/Tensor.h"

#include <cstring>
#include <random>

namespace attnc::test {

/// An f32 tensor of `shape` with values uniform in [-1, 1), the same for the
/// same `seed`.
inline Tensor random(llvm::ArrayRef<int64_t> shape, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1, 1);
  Tensor t(DType::F32, shape);
  for (int64_t i = 0; i < t.numElements(); ++i)
    t.as<float>()[i] = dist(rng);
  return t;
}

/// Whether `a` and `b` have one dtype and shape and the same bytes.
inline bool sameBytes(const Tensor &a, const Tensor &b) {
  return a.dtype() == b.dtype() && a.shape() == b.shape() &&
         std::memcmp(a.data(), b.data(), a.numBytes()) == 0;
}

} // namespace attnc::test

#endif // ATTNC_TEST_UNIT_RUNTIME_TESTTENSORS_H
