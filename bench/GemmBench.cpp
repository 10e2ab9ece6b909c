//===- GemmBench.cpp - attnc's linear layers against OpenBLAS sgemm -------===//
//
// y = x·Wᵀ for x [M, K] and a constant W [N, K] (nn.Linear's layout), at
// the shapes of a BERT-base-like layer's projections and FFN:
// M ∈ {136, 512, 4096} (batch × length), (N, K) ∈ {(384, 384), (1536, 384),
// (384, 1536)}.
// - BM_Attnc: `attn.linear` compiled by attnc's CPU pipeline (the weight is
//   a constant, packed at compile time; the micro-kernel for the host CPU),
//   with a static M and with a dynamic one (`tensor<?xKxf32>`).
// - BM_OpenBLAS: cblas_sgemm(RowMajor, NoTrans, Trans) on the same data,
//   from libopenblas loaded at run time ($ATTNC_OPENBLAS, else
//   libopenblas.so.0): a peer for comparison only, never linked into
//   attnc. Without it the case is skipped with the reason.
// - BM_FmaPeak: the machine's f32 FMA peak, all cores each running 24
//   independent vector FMA chains (AVX-512 when the CPU has it, else AVX2).
// Counters: FLOPS (2·M·N·K per call) and peak_fraction (FLOPS over
// BM_FmaPeak's, measured once at start-up). Every case uses all cores:
// attnc's OpenMP threads, OpenBLAS's own.
//
//===----------------------------------------------------------------------===//

#include "compiler/JitModule.h"

#include "benchmark/benchmark.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace attnc;

namespace {

//===----------------------------------------------------------------------===//
// The FMA peak
//===----------------------------------------------------------------------===//

typedef float V16 __attribute__((vector_size(64)));
typedef float V8 __attribute__((vector_size(32)));

/// 24 independent chains of `iters` FMAs on `V` (without reassociation the
/// compiler must do every step); returns a value that depends on all of
/// them so that nothing is optimised away.
template <typename V>
__attribute__((always_inline)) inline float fmaChains(long iters, float seed) {
  V acc[24];
  V a = V{} + 0.999f, b = V{} + seed;
  for (int i = 0; i < 24; ++i)
    acc[i] = V{} + static_cast<float>(i);
  for (long n = 0; n < iters; ++n) {
#pragma GCC unroll 24
    for (int i = 0; i < 24; ++i)
      acc[i] = acc[i] * a + b;
  }
  V sum = {};
  for (int i = 0; i < 24; ++i)
    sum += acc[i];
  return sum[0];
}

__attribute__((target("avx512f"))) float chains512(long iters, float seed) {
  return fmaChains<V16>(iters, seed);
}
__attribute__((target("avx2,fma"))) float chains256(long iters, float seed) {
  return fmaChains<V8>(iters, seed);
}

/// FLOP/s of all hardware threads running FMA chains for about 0.15 s.
double measureFmaPeak() {
  bool wide = __builtin_cpu_supports("avx512f");
  int lanes = wide ? 16 : 8;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  long iters = 10'000'000;
  std::vector<std::thread> pool;
  std::vector<float> sink(threads);
  auto start = std::chrono::steady_clock::now();
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      sink[t] =
          wide ? chains512(iters, 1e-3f * t) : chains256(iters, 1e-3f * t);
    });
  for (std::thread &t : pool)
    t.join();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  benchmark::DoNotOptimize(sink.data());
  return 2.0 * 24 * lanes * iters * threads / seconds;
}

/// The best of five measurements: a neighbour's load on a shared machine
/// only ever lowers one.
double fmaPeak() {
  static double peak = [] {
    double best = 0;
    for (int i = 0; i < 5; ++i)
      best = std::max(best, measureFmaPeak());
    return best;
  }();
  return peak;
}

void BM_FmaPeak(benchmark::State &state) {
  for (auto _ : state)
    state.counters["FLOPS"] = fmaPeak();
  state.counters["threads"] = std::thread::hardware_concurrency();
}

//===----------------------------------------------------------------------===//
// The shapes and their data
//===----------------------------------------------------------------------===//

struct Data {
  std::vector<float> x, w;
};

Data makeData(int64_t m, int64_t n, int64_t k) {
  std::mt19937 rng(m * 131 + n * 7 + k);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  Data d{std::vector<float>(m * k), std::vector<float>(n * k)};
  for (float &v : d.x)
    v = dist(rng);
  for (float &v : d.w)
    v = dist(rng);
  return d;
}

void setCounters(benchmark::State &state, int64_t m, int64_t n, int64_t k) {
  double flops = 2.0 * m * n * k;
  state.counters["FLOPS"] =
      benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak_fraction"] = benchmark::Counter(
      flops / fmaPeak(), benchmark::Counter::kIsIterationInvariantRate);
}

//===----------------------------------------------------------------------===//
// attnc
//===----------------------------------------------------------------------===//

/// The module: x -> attn.linear(x, W) with W a dense_resource constant.
std::string linearSource(int64_t m, int64_t n, int64_t k, bool dynamic,
                         const std::vector<float> &w) {
  std::string hex;
  llvm::raw_string_ostream os(hex);
  os << "0x04000000"; // the blob's alignment, little-endian
  for (float v : w) {
    uint32_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    for (int byte = 0; byte < 4; ++byte)
      os << llvm::format_hex_no_prefix((bits >> (8 * byte)) & 0xff, 2, true);
  }
  std::string rows = dynamic ? "?" : std::to_string(m);
  return llvm::formatv(R"(
func.func @linear(%x: tensor<{0}x{2}xf32>) -> tensor<{0}x{1}xf32> {{
  %w = arith.constant dense_resource<weight> : tensor<{1}x{2}xf32>
  %y = attn.linear %x, %w : (tensor<{0}x{2}xf32>, tensor<{1}x{2}xf32>) -> tensor<{0}x{1}xf32>
  return %y : tensor<{0}x{1}xf32>
}
{{-#
  dialect_resources: {{
    builtin: {{
      weight: "{3}"
    }
  }
#-}
)",
                       rows, n, k, hex)
      .str();
}

void BM_Attnc(benchmark::State &state) {
  int64_t m = state.range(0), n = state.range(1), k = state.range(2);
  bool dynamic = state.range(3) != 0;
  Data data = makeData(m, n, k);
  auto module =
      JitModule::compileSource(linearSource(m, n, k, dynamic, data.w), {});
  if (!module) {
    state.SkipWithError(toString(module.takeError()).c_str());
    return;
  }
  Tensor x(DType::F32, {m, k});
  std::memcpy(x.data(), data.x.data(), data.x.size() * sizeof(float));
  std::vector<Tensor> inputs;
  inputs.push_back(std::move(x));
  for (auto _ : state) {
    auto out = (*module)->run(inputs);
    if (!out) {
      state.SkipWithError(toString(out.takeError()).c_str());
      return;
    }
    benchmark::DoNotOptimize(out->front().data());
  }
  setCounters(state, m, n, k);
}

//===----------------------------------------------------------------------===//
// OpenBLAS
//===----------------------------------------------------------------------===//

using SgemmFn = void (*)(int, int, int, int, int, int, float, const float *,
                         int, const float *, int, float, float *, int);

/// cblas_sgemm from OpenBLAS, or null with `why` set.
SgemmFn openBlasSgemm(std::string &why) {
  static std::string reason;
  static SgemmFn fn = [] {
    const char *env = std::getenv("ATTNC_OPENBLAS");
    std::vector<std::string> names = {"libopenblas.so.0", "libopenblas.so"};
    if (env)
      names.insert(names.begin(), env);
    for (const std::string &name : names) {
      if (void *lib = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL)) {
        if (auto *threads = reinterpret_cast<void (*)(int)>(
                dlsym(lib, "openblas_set_num_threads")))
          threads(static_cast<int>(std::thread::hardware_concurrency()));
        if (void *f = dlsym(lib, "cblas_sgemm"))
          return reinterpret_cast<SgemmFn>(f);
      }
    }
    reason = "OpenBLAS not found (install Debian's libopenblas0, or set "
             "ATTNC_OPENBLAS to a libopenblas.so)";
    return static_cast<SgemmFn>(nullptr);
  }();
  why = reason;
  return fn;
}

void BM_OpenBLAS(benchmark::State &state) {
  int64_t m = state.range(0), n = state.range(1), k = state.range(2);
  std::string why;
  SgemmFn sgemm = openBlasSgemm(why);
  if (!sgemm) {
    state.SkipWithError(why.c_str());
    return;
  }
  Data data = makeData(m, n, k);
  std::vector<float> y(m * n);
  constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;
  for (auto _ : state) {
    sgemm(kRowMajor, kNoTrans, kTrans, m, n, k, 1.0f, data.x.data(), k,
          data.w.data(), k, 0.0f, y.data(), n);
    benchmark::DoNotOptimize(y.data());
  }
  setCounters(state, m, n, k);
}

void shapes(benchmark::internal::Benchmark *b, bool withDynamic) {
  for (int64_t m : {136, 512, 4096})
    for (auto [n, k] :
         {std::pair<int64_t, int64_t>{384, 384}, {1536, 384}, {384, 1536}}) {
      if (withDynamic) {
        b->Args({m, n, k, 0});
        b->Args({m, n, k, 1});
      } else {
        b->Args({m, n, k});
      }
    }
}

} // namespace

BENCHMARK(BM_FmaPeak)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Attnc)
    ->Apply([](benchmark::internal::Benchmark *b) { shapes(b, true); })
    ->ArgNames({"M", "N", "K", "dynamic"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_OpenBLAS)
    ->Apply([](benchmark::internal::Benchmark *b) { shapes(b, false); })
    ->ArgNames({"M", "N", "K"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
