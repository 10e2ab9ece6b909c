//===- Sdpa.h - Inputs and a double-precision oracle for Inputs/sdpa.mlir -*- C++ -*-===//
//
// Shared by the two consumer projects of test/install: they build against
// the installed package only, so this header uses the runtime's API alone.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TEST_INSTALL_SDPA_H
#define ATTNC_TEST_INSTALL_SDPA_H

#include "runtime/Module.h"
#include "runtime/Tensor.h"

#include <cmath>
#include <cstdio>
#include <vector>

namespace sdpa {

/// Inputs/sdpa.mlir's shape: [B, H, L, D].
constexpr int64_t B = 1, H = 2, L = 8, D = 4;

/// q, k and v with distinct, deterministic values in [-1, 1].
inline std::vector<attnc::Tensor> inputs() {
  std::vector<attnc::Tensor> qkv;
  for (int which = 0; which < 3; ++which) {
    attnc::Tensor t(attnc::DType::F32, {B, H, L, D});
    for (int64_t i = 0; i < t.numElements(); ++i)
      t.setDouble(i, std::sin(0.37 * static_cast<double>(i) + which));
    qkv.push_back(t);
  }
  return qkv;
}

/// The largest difference between `out` and softmax(q·kᵀ/√D)·v computed in
/// double from `qkv`, or infinity when `out` has the wrong shape.
inline double maxError(const std::vector<attnc::Tensor> &qkv,
                       const attnc::Tensor &out) {
  if (out.shape() != std::vector<int64_t>{B, H, L, D})
    return INFINITY;
  const attnc::Tensor &q = qkv[0], &k = qkv[1], &v = qkv[2];
  double worst = 0;
  for (int64_t bh = 0; bh < B * H; ++bh)
    for (int64_t i = 0; i < L; ++i) {
      std::vector<double> weights(L);
      double top = -INFINITY, sum = 0;
      for (int64_t j = 0; j < L; ++j) {
        double s = 0;
        for (int64_t d = 0; d < D; ++d)
          s += q.getDouble((bh * L + i) * D + d) *
               k.getDouble((bh * L + j) * D + d);
        weights[j] = s / std::sqrt(static_cast<double>(D));
        top = std::fmax(top, weights[j]);
      }
      for (double &w : weights)
        sum += (w = std::exp(w - top));
      for (int64_t d = 0; d < D; ++d) {
        double expected = 0;
        for (int64_t j = 0; j < L; ++j)
          expected += weights[j] / sum * v.getDouble((bh * L + j) * D + d);
        worst = std::fmax(
            worst, std::fabs(out.getDouble((bh * L + i) * D + d) - expected));
      }
    }
  return worst;
}

/// Runs `module` on inputs() and prints the verdict as "WHAT: max error E
/// against the fp64 oracle (ok)"; returns main()'s exit code. f32
/// attention over 8 keys must match the double oracle to 1e-6.
inline int runAndReport(attnc::Module &module, const char *what) {
  std::vector<attnc::Tensor> qkv = inputs();
  attnc::Result<std::vector<attnc::Tensor>> out = module.run(qkv);
  if (!out) {
    std::fprintf(stderr, "%s\n", out.status().message().c_str());
    return 1;
  }
  double error = maxError(qkv, out->front());
  bool ok = error <= 1e-6;
  std::printf("%s: max error %.3g against the fp64 oracle (%s)\n", what, error,
              ok ? "ok" : "FAIL");
  return ok ? 0 : 1;
}

} // namespace sdpa

#endif // ATTNC_TEST_INSTALL_SDPA_H
