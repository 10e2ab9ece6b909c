//===- GpuFlashBench.cpp - attnc's CUDA flash kernels, in TFLOP/s -----------===//
//
// The shapes of the GPU issue's comparison with PyTorch's
// scaled_dot_product_attention (bench/torch_sdpa.py prints the other half):
// B=4, H=16, D in {64, 128}, L in {1024, 4096, 16384}, causal and not, f16
// and bf16. Each case JIT-compiles `attn.sdpa` for CUDA (the device's own
// architecture unless ATTNC_GPU_ARCH says sm_80 or sm_90), copies random
// inputs to the device once, and times Module::runOnDevice, which returns
// when the result is ready; the output's allocation and free are part of
// every call, as they are of an SDPA call in PyTorch.
//
// Counters: TFLOPS as 4·B·H·L²·D per call, halved for causal (the work a
// kernel that skips masked tiles does; PyTorch's numbers are counted the
// same way). Without a CUDA device every case is skipped with the
// runtime's reason.
//
//===----------------------------------------------------------------------===//

#include "bench/SdpaSource.h"
#include "runtime/CudaRuntime.h"
#include "compiler/JitModule.h"

#include "benchmark/benchmark.h"

#include "llvm/Support/FormatVariadic.h"

#include <cstdlib>
#include <random>
#include <string>

using namespace attnc;

namespace {

constexpr int64_t kBatch = 4, kHeads = 16;

std::string source(int64_t len, int64_t dim, bool causal, llvm::StringRef elt) {
  return bench::sdpaSource(llvm::formatv("tensor<{0}x{1}x{2}x{3}x{4}>", kBatch,
                                         kHeads, len, dim, elt),
                           causal);
}

/// Uniform in [-1, 1], rounded to the element type, then copied to the
/// device.
attnc::Result<Tensor> randomDeviceTensor(DType type,
                                          llvm::ArrayRef<int64_t> shape,
                                          std::mt19937 &rng) {
  Tensor t(type, shape);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  for (int64_t i = 0, e = t.numElements(); i < e; ++i)
    t.setDouble(i, dist(rng));
  return toDevice(t);
}

void run(benchmark::State &state, DType type) {
  if (attnc::Status e = cuda::ensureDevice()) {
    state.SkipWithError(toString(std::move(e)).c_str());
    return;
  }
  int64_t len = state.range(0), dim = state.range(1);
  bool causal = state.range(2) != 0;
  CompileOptions options;
  options.lowering.target = mlir::attn::Target::Cuda;
  if (const char *arch = std::getenv("ATTNC_GPU_ARCH"))
    options.lowering.gpuArch = arch;
  auto module = JitModule::compileSource(
      source(len, dim, causal, type == DType::F16 ? "f16" : "bf16"), options);
  if (!module) {
    state.SkipWithError(toString(module.takeError()).c_str());
    return;
  }
  std::mt19937 rng(7);
  std::vector<Tensor> inputs;
  for (int i = 0; i < 3; ++i) {
    auto t = randomDeviceTensor(type, {kBatch, kHeads, len, dim}, rng);
    if (!t) {
      state.SkipWithError(toString(t.takeError()).c_str());
      return;
    }
    inputs.push_back(std::move(*t));
  }
  // The first call loads the kernels' module into the context; keep it out
  // of the timing.
  if (auto warm = (*module)->runOnDevice("", inputs); !warm) {
    state.SkipWithError(toString(warm.takeError()).c_str());
    return;
  }
  for (auto _ : state) {
    auto out = (*module)->runOnDevice("", inputs);
    if (!out) {
      state.SkipWithError(toString(out.takeError()).c_str());
      return;
    }
    benchmark::DoNotOptimize(out->front().data());
  }
  double flops = 4.0 * kBatch * kHeads * len * len * dim * (causal ? 0.5 : 1);
  // Counter rates are per second; report 10^12 of them.
  state.counters["TFLOPS"] = benchmark::Counter(
      flops / 1e12, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(cuda::deviceName());
}

void BM_GpuFlashF16(benchmark::State &state) { run(state, DType::F16); }
void BM_GpuFlashBF16(benchmark::State &state) { run(state, DType::BF16); }

} // namespace

BENCHMARK(BM_GpuFlashF16)
    ->ArgsProduct({{1024, 4096, 16384}, {64, 128}, {0, 1}})
    ->ArgNames({"L", "D", "causal"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_GpuFlashBF16)
    ->ArgsProduct({{1024, 4096, 16384}, {64, 128}, {0, 1}})
    ->ArgNames({"L", "D", "causal"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
