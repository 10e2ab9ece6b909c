// aot-sdpa: calls causal attention that attnc compiled ahead of time into a
// shared library, with no MLIR or LLVM in the process, and checks it against
// a naive attention computed in double.
//
// Build the library and header, then this program (see README.md):
//   attnc attn.mlir --emit=shared -o libattn_sdpa.so --header attn_sdpa.h
//   c++ -std=c++17 -I. main.cpp libattn_sdpa.so -Wl,-rpath,. -o aot-sdpa

#include "attn_sdpa.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <vector>

namespace {

constexpr int64_t B = 1, H = 4, L = 128, D = 64;

/// softmax(q·kᵀ/√D, causal)·v for one [B, H, L, D] problem, in double: the
/// textbook formula, so that it checks the compiled kernel independently.
std::vector<double> naiveAttention(const std::vector<float> &q,
                                   const std::vector<float> &k,
                                   const std::vector<float> &v) {
  constexpr size_t heads = B * H, len = L, dim = D;
  std::vector<double> out(q.size());
  std::vector<double> scores(len);
  const double scale = 1.0 / std::sqrt(static_cast<double>(dim));
  for (size_t bh = 0; bh < heads; ++bh) {
    const float *qh = &q[bh * len * dim], *kh = &k[bh * len * dim],
                *vh = &v[bh * len * dim];
    double *oh = &out[bh * len * dim];
    for (size_t i = 0; i < len; ++i) {
      // Causal with equal lengths: query i sees keys 0..i.
      double top = -INFINITY;
      for (size_t j = 0; j <= i; ++j) {
        double s = 0;
        for (size_t d = 0; d < dim; ++d)
          s += static_cast<double>(qh[i * dim + d]) * kh[j * dim + d];
        scores[j] = s * scale;
        top = std::max(top, scores[j]);
      }
      double sum = 0;
      for (size_t j = 0; j <= i; ++j) {
        scores[j] = std::exp(scores[j] - top);
        sum += scores[j];
      }
      for (size_t d = 0; d < dim; ++d) {
        double acc = 0;
        for (size_t j = 0; j <= i; ++j)
          acc += scores[j] * vh[j * dim + d];
        oh[i * dim + d] = acc / sum;
      }
    }
  }
  return out;
}

} // namespace

int main() {
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<float> q(static_cast<size_t>(B * H * L * D)), k(q.size()),
      v(q.size());
  for (std::vector<float> *t : {&q, &k, &v})
    for (float &x : *t)
      x = uniform(rng);

  const int64_t shape[4] = {B, H, L, D};
  const attnc_tensor_in inputs[ATTNC_SDPA_NUM_INPUTS] = {
      {q.data(), shape}, {k.data(), shape}, {v.data(), shape}};
  attnc_tensor_out outputs[ATTNC_SDPA_NUM_OUTPUTS];
  if (int bad = attnc_run_sdpa(inputs, outputs)) {
    std::fprintf(stderr, "aot-sdpa: input %d has the wrong shape\n", bad - 1);
    return 1;
  }
  for (int i = 0; i < 4; ++i)
    if (outputs[0].shape[i] != shape[i]) {
      std::fprintf(stderr, "aot-sdpa: output dimension %d is %lld, not %lld\n",
                   i, static_cast<long long>(outputs[0].shape[i]),
                   static_cast<long long>(shape[i]));
      attnc_free(&outputs[0]);
      return 1;
    }

  // The relative error attn-run --check reports: the largest absolute
  // difference over the largest reference magnitude.
  std::vector<double> want = naiveAttention(q, k, v);
  const float *got = static_cast<const float *>(outputs[0].data);
  double maxAbs = 0, maxRef = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    double err = std::fabs(static_cast<double>(got[i]) - want[i]);
    maxAbs = std::max(maxAbs, std::isnan(err) ? INFINITY : err);
    maxRef = std::max(maxRef, std::fabs(want[i]));
  }
  attnc_free(&outputs[0]);
  double rel = maxAbs / std::max(maxRef, 1e-30);
  bool ok = rel <= 1e-4;
  std::printf("aot-sdpa: [%lld, %lld, %lld, %lld] causal attention, max rel "
              "err %.2e (%s)\n",
              static_cast<long long>(B), static_cast<long long>(H),
              static_cast<long long>(L), static_cast<long long>(D), rel,
              ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
