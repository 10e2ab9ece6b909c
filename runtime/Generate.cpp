//===- Generate.cpp - Greedy decoding with a KV cache ----------------------===//

#include "runtime/Generate.h"

#include <algorithm>

using namespace attnc;

/// An int64 tensor of `shape` filled with `value`.
static Tensor filled(Span<const int64_t> shape, int64_t value) {
  Tensor t(DType::I64, shape);
  std::fill_n(t.as<int64_t>(), t.numElements(), value);
  return t;
}

/// The highest-scoring token of each row's last position in `logits`
/// `[B, L, V]` (the lowest id on ties, like argmax).
static std::vector<int64_t> argmaxLast(const Tensor &logits) {
  int64_t batch = logits.shape()[0], length = logits.shape()[1],
          vocab = logits.shape()[2];
  std::vector<int64_t> best(batch, 0);
  for (int64_t b = 0; b < batch; ++b) {
    int64_t row = (b * length + length - 1) * vocab;
    double top = logits.getDouble(row);
    for (int64_t v = 1; v < vocab; ++v)
      if (double x = logits.getDouble(row + v); x > top) {
        top = x;
        best[b] = v;
      }
  }
  return best;
}

Result<Tensor> attnc::generateGreedy(Module &model, const Tensor &input,
                                       const GenerateOptions &options) {
  const ModuleSignature &entries = model.signatures();
  auto has = [&](std::string_view name) {
    return std::any_of(entries.entries.begin(), entries.entries.end(), [&](const Signature &s) {
      return s.function == name;
    });
  };
  if (!has("decode") || !has("decode_step"))
    return Status::error(
        "generation needs the entry points 'decode' and 'decode_step' of a "
        "decoder or encoder-decoder model");
  bool seq2seq = has("encode");
  if (input.dtype() != DType::I64 || input.rank() != 2 ||
      input.shape()[1] < 1)
    return Status::error(
        "generation input must be int64 [batch, length] with length >= 1, "
        "got " +
        std::string(dtypeName(input.dtype())) + " " +
        shapeString(input.shape()));
  if (seq2seq && !options.bos)
    return Status::error(
        "an encoder-decoder model needs a start token (bos) to generate");
  if (options.maxNewTokens < 1)
    return Status::error("max new tokens must be at least 1");
  int64_t batch = input.shape()[0];
  int64_t prefix = seq2seq ? 1 : input.shape()[1];
  // The last step feeds the (N-1)th new token at position prefix + N - 2.
  if (options.maxLength &&
      prefix + options.maxNewTokens - 1 > options.maxLength)
    return Status::error(concat(prefix, " prefix tokens and ", options.maxNewTokens, " new ones exceed the model's max_length ", options.maxLength));
  int64_t pad = options.pad.value_or(0);
  // An empty batch generates nothing; the model is not run.
  if (batch == 0)
    return Tensor(DType::I64, {0, 0});

  // What every decoder call shares: the source mask and the cross K/V.
  std::vector<Tensor> shared;
  if (seq2seq) {
    Tensor mask = filled(input.shape(), 1);
    if (options.pad)
      for (int64_t i = 0, e = input.numElements(); i < e; ++i)
        mask.as<int64_t>()[i] = input.as<int64_t>()[i] != pad;
    Result<std::vector<Tensor>> encoded =
        model.run("encode", {input, mask});
    if (!encoded)
      return encoded.takeError();
    shared.push_back(mask);
    // encode returns the memory first, then the cross K/V of each layer.
    shared.insert(shared.end(), encoded->begin() + 1, encoded->end());
  }

  auto call = [&](std::string_view entry, const Tensor &ids,
                  Span<const Tensor> cache)
      -> Result<std::vector<Tensor>> {
    std::vector<Tensor> args = {ids};
    args.insert(args.end(), shared.begin(), shared.end());
    args.insert(args.end(), cache.begin(), cache.end());
    return model.run(entry, args);
  };

  // Prefill: the prompt (or the start token) in one pass.
  Result<std::vector<Tensor>> out =
      call("decode", seq2seq ? filled({batch, 1}, *options.bos) : input, {});
  std::vector<std::vector<int64_t>> generated(batch);
  std::vector<bool> done(batch, false);
  for (int64_t step = 0;; ++step) {
    if (!out)
      return out.takeError();
    std::vector<int64_t> next = argmaxLast(out->front());
    for (int64_t b = 0; b < batch; ++b) {
      if (done[b])
        next[b] = pad;
      generated[b].push_back(next[b]);
      done[b] = done[b] || (options.eos && next[b] == *options.eos);
    }
    if (step + 1 == options.maxNewTokens ||
        std::all_of(done.begin(), done.end(), [](bool d) { return d; }))
      break;
    Tensor ids(DType::I64, {batch, 1});
    std::copy(next.begin(), next.end(), ids.as<int64_t>());
    std::vector<Tensor> cache(out->begin() + 1, out->end());
    out = call("decode_step", ids, cache);
  }

  int64_t length = static_cast<int64_t>(generated.front().size());
  Tensor result(DType::I64, {batch, length});
  for (int64_t b = 0; b < batch; ++b)
    std::copy(generated[b].begin(), generated[b].end(),
              result.as<int64_t>() + b * length);
  return result;
}
