//===- ModelBench.cpp - A whole BERT (all-MiniLM-L6-v2's shape) through attnc
//===//
//
// A Hugging Face BERT directory with all-MiniLM-L6-v2's configuration (6
// layers, hidden 384, 12 heads, FFN 1536, vocabulary 30522, 512 positions)
// and seeded random weights is written to a temporary directory, JIT-
// compiled once by attnc (`JitModule::compileFile`, as `attn-run DIR` does),
// and timed at (B, L) ∈ {(8, 17), (32, 128), (1, 512)} on seeded token ids
// with a full attention mask. Counters: tokens/s (B·L per call); the time
// column is ms per call. The real checkpoint, against PyTorch and ONNX
// Runtime, is bench/minilm-compare.sh.
//
//===----------------------------------------------------------------------===//

#include "compiler/JitModule.h"
#include "test/support/Safetensors.h"

#include "benchmark/benchmark.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include <random>
#include <string>
#include <utility>
#include <vector>

using namespace attnc;

namespace {

constexpr int64_t kHidden = 384, kHeads = 12, kLayers = 6, kFfn = 1536,
                  kVocab = 30522, kPositions = 512;

/// Writes the BERT directory into `dir`: config.json and model.safetensors
/// with BertModel's names ("bert." prefixed), weights uniform in ±0.05,
/// LayerNorm gains 1 and shifts 0, as an initialised model has them.
llvm::Error writeModel(llvm::StringRef dir) {
  std::mt19937 rng(2024);
  std::uniform_real_distribution<float> dist(-0.05f, 0.05f);
  std::vector<std::pair<std::string, Tensor>> tensors;
  auto add = [&](const std::string &name, std::vector<int64_t> shape,
                 float fill = std::nanf("")) {
    Tensor t(DType::F32, shape);
    float *p = t.as<float>();
    for (int64_t i = 0, e = t.numElements(); i < e; ++i)
      p[i] = std::isnan(fill) ? dist(rng) : fill;
    tensors.emplace_back("bert." + name, std::move(t));
  };
  auto norm = [&](const std::string &name) {
    add(name + ".weight", {kHidden}, 1.0f);
    add(name + ".bias", {kHidden}, 0.0f);
  };
  auto dense = [&](const std::string &name, int64_t out, int64_t in) {
    add(name + ".weight", {out, in});
    add(name + ".bias", {out});
  };
  add("embeddings.word_embeddings.weight", {kVocab, kHidden});
  add("embeddings.position_embeddings.weight", {kPositions, kHidden});
  add("embeddings.token_type_embeddings.weight", {2, kHidden});
  norm("embeddings.LayerNorm");
  for (int64_t i = 0; i < kLayers; ++i) {
    std::string layer = llvm::formatv("encoder.layer.{0}.", i).str();
    for (const char *proj : {"query", "key", "value"})
      dense(layer + "attention.self." + proj, kHidden, kHidden);
    dense(layer + "attention.output.dense", kHidden, kHidden);
    norm(layer + "attention.output.LayerNorm");
    dense(layer + "intermediate.dense", kFfn, kHidden);
    dense(layer + "output.dense", kHidden, kFfn);
    norm(layer + "output.LayerNorm");
  }
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, "model.safetensors");
  if (llvm::Error e = testdata::writeSafetensors(path, tensors))
    return e;
  std::string config = llvm::formatv(
      R"({{"model_type": "bert", "hidden_size": {0},
  "num_attention_heads": {1}, "num_hidden_layers": {2},
  "intermediate_size": {3}, "vocab_size": {4},
  "max_position_embeddings": {5}, "layer_norm_eps": 1e-12,
  "hidden_act": "gelu", "pad_token_id": 0})",
      kHidden, kHeads, kLayers, kFfn, kVocab, kPositions);
  path = dir;
  llvm::sys::path::append(path, "config.json");
  return testdata::writeFile(path, config);
}

/// The compiled model, made once for every case.
Module *model(std::string &error) {
  static std::string reason;
  static std::unique_ptr<JitModule> compiled = [] {
    llvm::SmallString<256> dir;
    if (std::error_code ec =
            llvm::sys::fs::createUniqueDirectory("attnc-model-bench", dir)) {
      reason = "cannot create a temporary directory: " + ec.message();
      return std::unique_ptr<JitModule>();
    }
    std::unique_ptr<JitModule> result;
    if (llvm::Error e = writeModel(dir)) {
      reason = toString(std::move(e));
    } else if (auto m = JitModule::compileFile(dir)) {
      result = std::move(*m);
    } else {
      reason = toString(m.takeError());
    }
    llvm::sys::fs::remove_directories(dir);
    return result;
  }();
  error = reason;
  return compiled.get();
}

void BM_Model(benchmark::State &state) {
  int64_t batch = state.range(0), length = state.range(1);
  std::string error;
  Module *m = model(error);
  if (!m) {
    state.SkipWithError(error.c_str());
    return;
  }
  std::mt19937 rng(batch * 1000 + length);
  std::uniform_int_distribution<int64_t> token(1000, 19999);
  Tensor ids(DType::I64, {batch, length}), mask(DType::I64, {batch, length});
  for (int64_t i = 0; i < batch * length; ++i) {
    ids.as<int64_t>()[i] = i % length == 0 ? 101 : token(rng);
    mask.as<int64_t>()[i] = 1;
  }
  std::vector<Tensor> inputs;
  inputs.push_back(std::move(ids));
  inputs.push_back(std::move(mask));
  for (auto _ : state) {
    auto out = m->run(inputs);
    if (!out) {
      state.SkipWithError(toString(out.takeError()).c_str());
      return;
    }
    benchmark::DoNotOptimize(out->front().data());
  }
  state.counters["tokens"] =
      benchmark::Counter(static_cast<double>(batch * length),
                         benchmark::Counter::kIsIterationInvariantRate);
}

} // namespace

BENCHMARK(BM_Model)
    ->Args({8, 17})
    ->Args({32, 128})
    ->Args({1, 512})
    ->ArgNames({"B", "L"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
