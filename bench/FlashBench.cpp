//===- FlashBench.cpp - attnc's fused flash kernel against its unfused path ===//
//
// B=1, H=8, D=64 attention at L = 512 ... 16384, causal and not:
// - BM_Fused: `attn.sdpa` through attn-tile-flash (the flash form);
// - BM_Unfused: the same attention written as an unfused linalg chain
//   (Q·Kᵀ batch matmul, scale, optional materialised causal mask, softmax,
//   ·V) lowered with `flash=false`, i.e. without attn-fuse and
//   attn-tile-flash. It materialises the L×L scores, so it is run only up to
//   L = 4096 (512 MiB per score tensor). Its loops are not parallel, so
//   BM_FusedOneThread (flash form, parallel=false) is its like-for-like
//   single-thread counterpart.
// Counters: GFLOP/s as 4·B·H·Lq·Lk·D (halved for causal), and for the fused
// kernel the peak heap one call adds beyond its inputs and output (sampled
// with mallinfo2 while it runs).
//
//===----------------------------------------------------------------------===//

#include "bench/SdpaSource.h"
#include "compiler/JitModule.h"

#include "benchmark/benchmark.h"

#include "llvm/Support/FormatVariadic.h"

#include <atomic>
#include <chrono>
#include <malloc.h>
#include <thread>
#include <random>
#include <string>

using namespace attnc;

namespace {

constexpr int64_t kHeads = 8, kDim = 64;

std::string fusedSource(int64_t len, bool causal) {
  return bench::sdpaSource(
      llvm::formatv("tensor<1x{0}x{1}x{2}xf32>", kHeads, len, kDim), causal);
}

std::string unfusedSource(int64_t len, bool causal) {
  std::string x = llvm::formatv("tensor<{0}x{1}x{2}xf32>", kHeads, len, kDim);
  std::string s = llvm::formatv("tensor<{0}x{1}x{1}xf32>", kHeads, len);
  // Causal is a select against -inf on the materialised scores, as an
  // unfused implementation has to do it.
  std::string maskBody =
      causal ? R"(
    %i = linalg.index 1 : index
    %j = linalg.index 2 : index
    %vis = arith.cmpi sle, %j, %i : index
    %m = arith.select %vis, %y, %ninf : f32
    linalg.yield %m : f32)"
             : R"(
    linalg.yield %y : f32)";
  return llvm::formatv(R"(
func.func @attention(%q: {0}, %k: {0}, %v: {0}) -> {0} {{
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %scale = arith.constant 0.125 : f32
  %e = tensor.empty() : {1}
  %z = linalg.fill ins(%zero : f32) outs(%e : {1}) -> {1}
  %s = linalg.batch_matmul indexing_maps = [
      affine_map<(b, m, n, k) -> (b, m, k)>,
      affine_map<(b, m, n, k) -> (b, n, k)>,
      affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%q, %k : {0}, {0}) outs(%z : {1}) -> {1}
  %e2 = tensor.empty() : {1}
  %sc = linalg.generic {{
      indexing_maps = [affine_map<(b, m, n) -> (b, m, n)>,
                       affine_map<(b, m, n) -> (b, m, n)>],
      iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : {1}) outs(%e2 : {1}) {{
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %scale : f32{2}
  } -> {1}
  %p = attn.softmax %sc axis(-1) : {1}
  %e3 = tensor.empty() : {0}
  %z3 = linalg.fill ins(%zero : f32) outs(%e3 : {0}) -> {0}
  %o = linalg.batch_matmul ins(%p, %v : {1}, {0}) outs(%z3 : {0}) -> {0}
  return %o : {0}
})",
                       x, s, maskBody);
}

Tensor randomTensor(llvm::ArrayRef<int64_t> shape, std::mt19937 &rng) {
  Tensor t(DType::F32, shape);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  float *p = t.as<float>();
  for (int64_t i = 0, e = t.numElements(); i < e; ++i)
    p[i] = dist(rng);
  return t;
}

/// Bytes the C heap holds now: small-block arenas plus mmap'd blocks, where
/// compiled code's buffers (memref.alloc → malloc) live.
int64_t heapInUse() {
  struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
}

/// The most heap that `fn` holds at once beyond what was held before it,
/// sampled every 20 µs from a second thread.
template <typename Fn> int64_t peakExtraHeap(Fn fn) {
  int64_t before = heapInUse();
  std::atomic<int64_t> peak{before};
  std::atomic<bool> done{false};
  std::thread sampler([&] {
    while (!done.load()) {
      int64_t now = heapInUse();
      int64_t seen = peak.load();
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(std::chrono::microseconds(20));
    }
  });
  fn();
  done = true;
  sampler.join();
  return std::max<int64_t>(peak.load(), heapInUse()) - before;
}

void run(benchmark::State &state, bool fused, bool parallel = true) {
  int64_t len = state.range(0);
  bool causal = state.range(1) != 0;
  CompileOptions options;
  options.lowering.flash = fused;
  options.lowering.parallel = parallel;
  auto module = JitModule::compileSource(
      fused ? fusedSource(len, causal) : unfusedSource(len, causal), options);
  if (!module) {
    state.SkipWithError(toString(module.takeError()).c_str());
    return;
  }
  std::mt19937 rng(7);
  std::vector<int64_t> shape = fused ? std::vector<int64_t>{1, kHeads, len, kDim}
                                     : std::vector<int64_t>{kHeads, len, kDim};
  std::vector<Tensor> inputs = {randomTensor(shape, rng),
                                randomTensor(shape, rng),
                                randomTensor(shape, rng)};
  if (fused) {
    // One call, with its output freed before the sampler stops: what is
    // left above the inputs is the kernel's own working memory plus the
    // output, which is subtracted.
    int64_t outputBytes = 0;
    bool ok = true;
    int64_t extra = peakExtraHeap([&] {
      auto out = (*module)->run(inputs);
      if (!out) {
        ok = false;
        return;
      }
      outputBytes = static_cast<int64_t>((*out)[0].numBytes());
    });
    if (!ok) {
      state.SkipWithError("the fused kernel failed");
      return;
    }
    state.counters["extra_MiB"] =
        static_cast<double>(extra - outputBytes) / (1 << 20);
  }
  for (auto _ : state) {
    auto out = (*module)->run(inputs);
    if (!out) {
      state.SkipWithError(toString(out.takeError()).c_str());
      return;
    }
    benchmark::DoNotOptimize(out->front().data());
  }
  double flops = 4.0 * kHeads * len * len * kDim * (causal ? 0.5 : 1.0);
  state.counters["FLOPS"] = benchmark::Counter(
      flops, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Fused(benchmark::State &state) { run(state, true); }
void BM_Unfused(benchmark::State &state) { run(state, false); }
/// The unfused lowering has no parallel loop (only the flash forall is
/// parallel), so this is the like-for-like single-thread comparison.
void BM_FusedOneThread(benchmark::State &state) { run(state, true, false); }

} // namespace

BENCHMARK(BM_Fused)
    ->ArgsProduct({{512, 1024, 2048, 4096, 8192, 16384}, {0, 1}})
    ->ArgNames({"L", "causal"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_FusedOneThread)
    ->ArgsProduct({{512, 1024, 2048, 4096}, {0, 1}})
    ->ArgNames({"L", "causal"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Unfused)
    ->ArgsProduct({{512, 1024, 2048, 4096}, {0, 1}})
    ->ArgNames({"L", "causal"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
