//===- ConcurrencyTest.cpp - Modules run and compiled from many threads ----===//
//
// One Module is shared by threads that call it at once (a server's pattern):
// every call must give the bits a lone call gives. Compiling from several
// threads at once, with and without the shared on-disk cache, must give
// modules that agree with a sequential compile bit for bit.
//
//===----------------------------------------------------------------------===//

#include "compiler/JitModule.h"
#include "runtime/Tensor.h"
#include "test/unit/runtime/TestTensors.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <atomic>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace attnc;
using attnc::test::random;
using attnc::test::sameBytes;

namespace {

constexpr int kThreads = 8;
/// Compiles are seconds each; four at once show any race as well.
constexpr int kCompileThreads = 4;

/// Two entry points of different shapes, so that threads mix them: causal
/// attention with a dynamic length, and a linear layer with GELU.
const char *kSource = R"mlir(
func.func @attention(%q: tensor<2x4x?x32xf32>, %k: tensor<2x4x?x32xf32>,
                     %v: tensor<2x4x?x32xf32>) -> tensor<2x4x?x32xf32> {
  %o = attn.sdpa %q, %k, %v {causal}
      : (tensor<2x4x?x32xf32>, tensor<2x4x?x32xf32>, tensor<2x4x?x32xf32>)
      -> tensor<2x4x?x32xf32>
  return %o : tensor<2x4x?x32xf32>
}
func.func @forward(%x: tensor<?x64xf32>, %w: tensor<96x64xf32>,
                   %b: tensor<96xf32>) -> tensor<?x96xf32> {
  %y = attn.linear %x, %w, %b {activation = #attn.activation<gelu>}
      : (tensor<?x64xf32>, tensor<96x64xf32>, tensor<96xf32>)
      -> tensor<?x96xf32>
  return %y : tensor<?x96xf32>
})mlir";

/// One call: an entry point, its inputs, and what a lone call returned.
struct Call {
  std::string entry;
  std::vector<Tensor> inputs;
  std::vector<Tensor> expected;
};

/// Calls of both entry points at several lengths, each run once alone.
std::vector<Call> makeCalls(Module &m) {
  std::vector<Call> calls;
  for (unsigned i = 0; i < 6; ++i) {
    Call c;
    if (i % 2 == 0) {
      int64_t len = 17 + 40 * i;
      c.entry = "attention";
      c.inputs = {random({2, 4, len, 32}, 3 * i), random({2, 4, len, 32}, 3 * i + 1),
                  random({2, 4, len, 32}, 3 * i + 2)};
    } else {
      c.entry = "forward";
      c.inputs = {random({5 + 31 * i, 64}, 100 + i), random({96, 64}, 200 + i),
                  random({96}, 300 + i)};
    }
    auto out = m.run(c.entry, c.inputs);
    EXPECT_TRUE(static_cast<bool>(out)) << toString(out.takeError());
    if (out)
      c.expected = std::move(*out);
    calls.push_back(std::move(c));
  }
  return calls;
}

/// Runs `calls` from kThreads threads at once, `rounds` times each, every
/// thread starting at a different call; counts results that differ.
int runConcurrently(Module &m, const std::vector<Call> &calls, int rounds) {
  std::atomic<int> mismatches{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int r = 0; r < rounds; ++r) {
        const Call &c = calls[(t + r) % calls.size()];
        auto out = m.run(c.entry, c.inputs);
        if (!out) {
          ++errors;
          continue;
        }
        for (size_t i = 0; i < out->size(); ++i)
          if (!sameBytes((*out)[i], c.expected[i]))
            ++mismatches;
      }
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(errors.load(), 0);
  return mismatches.load();
}

CompileOptions uncached() {
  CompileOptions options;
  options.cache.enabled = false;
  return options;
}

TEST(ConcurrencyTest, OneJitModuleFromEightThreads) {
  auto m = JitModule::compileSource(kSource, uncached());
  ASSERT_TRUE(static_cast<bool>(m)) << toString(m.takeError());
  std::vector<Call> calls = makeCalls(**m);
  EXPECT_EQ(runConcurrently(**m, calls, 40), 0);
}

TEST(ConcurrencyTest, OneLoadedLibraryFromEightThreads) {
  // Built at build time by examples/aot-sdpa with attnc.
  auto lib = Module::load(ATTNC_EXAMPLE_LIBRARY);
  ASSERT_TRUE(static_cast<bool>(lib)) << toString(lib.takeError());
  const Signature &sig = (*lib)->signature();
  std::vector<Call> calls;
  for (unsigned i = 0; i < 4; ++i) {
    Call c;
    for (auto [j, spec] : llvm::enumerate(sig.inputs))
      c.inputs.push_back(random(spec.shape, 10 * i + j));
    auto out = (*lib)->run(c.inputs);
    ASSERT_TRUE(static_cast<bool>(out)) << toString(out.takeError());
    c.expected = std::move(*out);
    calls.push_back(std::move(c));
  }
  EXPECT_EQ(runConcurrently(**lib, calls, 40), 0);
}

/// Compiles kSource from kCompileThreads threads at once with `options`; each
/// module must give the bits a module compiled alone gives.
void compileConcurrently(const CompileOptions &options) {
  auto alone = JitModule::compileSource(kSource, uncached());
  ASSERT_TRUE(static_cast<bool>(alone)) << toString(alone.takeError());
  std::vector<Call> calls = makeCalls(**alone);

  std::vector<std::unique_ptr<JitModule>> modules(kCompileThreads);
  std::vector<std::string> errors(kCompileThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kCompileThreads; ++t)
    threads.emplace_back([&, t] {
      auto m = JitModule::compileSource(kSource, options);
      if (m)
        modules[t] = std::move(*m);
      else
        errors[t] = toString(m.takeError());
    });
  for (std::thread &t : threads)
    t.join();
  for (int t = 0; t < kCompileThreads; ++t) {
    ASSERT_TRUE(modules[t]) << "thread " << t << ": " << errors[t];
    for (const Call &c : calls) {
      auto out = modules[t]->run(c.entry, c.inputs);
      ASSERT_TRUE(static_cast<bool>(out)) << toString(out.takeError());
      for (size_t i = 0; i < out->size(); ++i)
        EXPECT_TRUE(sameBytes((*out)[i], c.expected[i]))
            << "thread " << t << ", " << c.entry << " result " << i;
    }
  }
}

TEST(ConcurrencyTest, CompilingFromSeveralThreads) {
  compileConcurrently(uncached());
}

TEST(ConcurrencyTest, CompilingIntoOneCacheFromSeveralThreads) {
  // A fresh cache: every thread misses, compiles and stores the same entry
  // at once; then every thread hits it at once.
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("attnc-concurrency", dir));
  CompileOptions options;
  options.cache.directory = dir.str().str();
  options.cache.warning = [](llvm::StringRef w) {
    ADD_FAILURE() << "cache warning: " << w.str();
  };
  compileConcurrently(options);
  compileConcurrently(options);
  llvm::sys::fs::remove_directories(dir);
}

} // namespace
