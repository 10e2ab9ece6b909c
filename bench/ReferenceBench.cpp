//===- ReferenceBench.cpp - Throughput of the fp64 reference evaluator ----===//
//
// The oracle is deliberately naive; this measures how slow it is, so that
// correctness tests against it can be sized to fit CI's time budget.
//
//===----------------------------------------------------------------------===//

#include "reference/Reference.h"

#include "benchmark/benchmark.h"

#include <random>

using namespace attnc;

namespace {

ref::Tensor randomTensor(std::vector<int64_t> shape, std::mt19937 &rng) {
  ref::Tensor t(std::move(shape));
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  for (double &x : t.data)
    x = dist(rng);
  return t;
}

/// sdpa on one head: args are L (= Lq = Lk), D (= Dv) and causal (0/1).
/// FLOPS counts 4·L·L·D per iteration, halved for causal, as the CPU issue
/// specifies; Google Benchmark prints it as a rate (e.g. "4.8G/s").
void BM_ReferenceSdpa(benchmark::State &state) {
  int64_t len = state.range(0), dim = state.range(1);
  bool causal = state.range(2) != 0;
  std::mt19937 rng(42);
  ref::Tensor q = randomTensor({1, 1, len, dim}, rng);
  ref::Tensor k = randomTensor({1, 1, len, dim}, rng);
  ref::Tensor v = randomTensor({1, 1, len, dim}, rng);
  ref::AttentionOptions options;
  options.causal = causal;
  for (auto _ : state) {
    llvm::Expected<ref::AttentionResult> result =
        ref::sdpa(q, k, v, nullptr, options);
    if (!result) {
      state.SkipWithError(llvm::toString(result.takeError()).c_str());
      return;
    }
    benchmark::DoNotOptimize(result->output.data.data());
  }
  double flops = 4.0 * len * len * dim * (causal ? 0.5 : 1.0);
  state.counters["FLOPS"] =
      benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK(BM_ReferenceSdpa)
    ->ArgNames({"L", "D", "causal"})
    ->ArgsProduct({{64, 256, 1024}, {64, 128}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

} // namespace
