//===- main.cpp - Sentence embeddings from a BERT directory, by JIT -------===//
//
// Compiles a Hugging Face BERT directory (config.json + model.safetensors)
// with attnc's C++ API, runs it on a batch of tokenized sentences, mean-pools
// each sentence's last_hidden_state over its real tokens (attention_mask 1)
// and prints the cosine similarity of every pair.
//
//   sentence-encoder MODEL_DIR input_ids.npy attention_mask.npy
//
// The compiled model is kept in attnc's compile cache ($ATTNC_CACHE_DIR,
// else ~/.cache/attnc): the next run with the same model loads it instead
// of compiling. It says on stderr how long the model took to be ready.
//
//===----------------------------------------------------------------------===//

#include "compiler/JitModule.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>
#include <vector>

using namespace attnc;

static int fail(const llvm::Twine &message) {
  llvm::errs() << "sentence-encoder: " << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 4)
    return fail("usage: sentence-encoder MODEL_DIR input_ids.npy "
                "attention_mask.npy");
  attnc::Result<Tensor> ids = loadNpy(argv[2]);
  if (!ids)
    return fail(toString(ids.takeError()));
  attnc::Result<Tensor> mask = loadNpy(argv[3]);
  if (!mask)
    return fail(toString(mask.takeError()));

  auto start = std::chrono::steady_clock::now();
  llvm::Expected<std::unique_ptr<JitModule>> model = JitModule::compileFile(argv[1]);
  if (!model)
    return fail(toString(model.takeError()));
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  CacheUse cache = (*model)->cacheUse();
  llvm::errs() << llvm::formatv(
      "sentence-encoder: model ready in {0:f2} s ({1})\n", seconds,
      cache == CacheUse::Hit    ? "loaded from the compile cache"
      : cache == CacheUse::Miss ? "compiled, and kept in the compile cache"
                                : "compiled");
  attnc::Result<std::vector<Tensor>> out =
      (*model)->run("forward", {*ids, *mask});
  if (!out)
    return fail(toString(out.takeError()));

  // Mean pooling over the tokens the mask keeps.
  const Tensor &hidden = out->front();
  int64_t batch = hidden.shape()[0], length = hidden.shape()[1],
          width = hidden.shape()[2];
  std::vector<std::vector<double>> embedding(batch,
                                             std::vector<double>(width, 0));
  for (int64_t b = 0; b < batch; ++b) {
    int64_t kept = 0;
    for (int64_t l = 0; l < length; ++l) {
      if (mask->getDouble(b * length + l) == 0)
        continue;
      ++kept;
      for (int64_t e = 0; e < width; ++e)
        embedding[b][e] += hidden.getDouble((b * length + l) * width + e);
    }
    for (double &x : embedding[b])
      x /= std::max<int64_t>(kept, 1);
  }

  auto dot = [&](int64_t a, int64_t b) {
    double sum = 0;
    for (int64_t e = 0; e < width; ++e)
      sum += embedding[a][e] * embedding[b][e];
    return sum;
  };
  llvm::outs() << llvm::formatv("{0} sentences, embedding width {1}\n", batch,
                                width);
  for (int64_t a = 0; a < batch; ++a)
    for (int64_t b = a + 1; b < batch; ++b)
      llvm::outs() << llvm::formatv("cosine({0}, {1}) = {2:f6}\n", a, b,
                                    dot(a, b) /
                                        std::sqrt(dot(a, a) * dot(b, b)));
  return 0;
}
