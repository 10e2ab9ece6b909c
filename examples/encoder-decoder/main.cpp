//===- main.cpp - Greedy translation with an attnc-compiled seq2seq model -===//
//
// Links only the library that `attnc model.json` builds and includes its
// header: no MLIR, no LLVM, no attnc runtime. The encoder and the
// cross-attention K/V run once; every later step feeds one token and the
// KV cache that the previous step returned.
//
//   translate [--bos N] [--eos N] [--max-new-tokens N] TOKEN...
//
//===----------------------------------------------------------------------===//

#include "seq2seq.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

// encode returns the memory, then (key, value) per layer; decode and
// decode_step return the logits, then the cache, (key, value) per layer.
constexpr int kCross = ATTNC_ENCODE_NUM_OUTPUTS - 1;
constexpr int kCache = ATTNC_DECODE_NUM_OUTPUTS - 1;
static_assert(ATTNC_DECODE_NUM_INPUTS == 2 + kCross,
              "decode(tgt_ids, src_mask, cross...)");
static_assert(ATTNC_DECODE_STEP_NUM_INPUTS == 2 + kCross + kCache,
              "decode_step(ids, src_mask, cross..., past...)");

/// The outputs of one call, released when it goes out of scope.
struct Outputs {
  std::vector<attnc_tensor_out> t;
  explicit Outputs(int n) : t(static_cast<size_t>(n)) {}
  Outputs(Outputs &&) = default;
  Outputs &operator=(Outputs &&o) {
    release();
    t = std::move(o.t);
    return *this;
  }
  ~Outputs() { release(); }
  void release() {
    for (attnc_tensor_out &o : t)
      attnc_free(&o);
  }
};

/// The most likely next token: argmax over the last position of logits
/// [1, L, V] (the lowest id on ties).
static int64_t argmaxLast(const attnc_tensor_out &logits) {
  int64_t length = logits.shape[1], vocab = logits.shape[2];
  const float *row = static_cast<const float *>(logits.data) +
                     (length - 1) * vocab;
  int64_t best = 0;
  for (int64_t v = 1; v < vocab; ++v)
    if (row[v] > row[best])
      best = v;
  return best;
}

static int usage() {
  std::fprintf(stderr, "usage: translate [--bos N] [--eos N] "
                       "[--max-new-tokens N] TOKEN...\n");
  return 2;
}

int main(int argc, char **argv) {
  int64_t bos = 1, eos = 2, maxNew = 20;
  std::vector<int64_t> source;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    int64_t *option = arg == "--bos"              ? &bos
                      : arg == "--eos"            ? &eos
                      : arg == "--max-new-tokens" ? &maxNew
                                                  : nullptr;
    if (option && i + 1 < argc)
      *option = std::strtoll(argv[++i], nullptr, 10);
    else if (!option && !arg.empty() && arg[0] != '-')
      source.push_back(std::strtoll(arg.c_str(), nullptr, 10));
    else
      return usage();
  }
  if (source.empty() || maxNew < 1)
    return usage();

  // The encoder, once.
  const int64_t length = static_cast<int64_t>(source.size());
  const int64_t srcShape[2] = {1, length}, oneShape[2] = {1, 1};
  std::vector<int64_t> mask(source.size(), 1);
  attnc_tensor_in encodeIn[] = {{source.data(), srcShape},
                                {mask.data(), srcShape}};
  Outputs encoded(ATTNC_ENCODE_NUM_OUTPUTS);
  if (int bad = attnc_run_encode(encodeIn, encoded.t.data())) {
    // The wrapper checks shapes, the model's max_length and token ids.
    std::fprintf(stderr,
                 "translate: the library rejected input %d of encode (a "
                 "token id outside the vocabulary, or too many tokens)\n",
                 bad - 1);
    return 1;
  }

  // Inputs of decode and decode_step: the token, the source mask, the cross
  // K/V (fixed), then for decode_step the cache.
  int64_t token = bos;
  std::vector<attnc_tensor_in> in(2 + kCross + kCache);
  in[0] = {&token, oneShape};
  in[1] = {mask.data(), srcShape};
  for (int i = 0; i < kCross; ++i)
    in[2 + i] = {encoded.t[1 + i].data, encoded.t[1 + i].shape};

  Outputs out(ATTNC_DECODE_NUM_OUTPUTS);
  if (attnc_run_decode(in.data(), out.t.data()))
    return 1;
  std::printf("translation:");
  for (int64_t step = 0; step < maxNew; ++step) {
    token = argmaxLast(out.t[0]);
    std::printf(" %lld", static_cast<long long>(token));
    if (token == eos || step + 1 == maxNew)
      break;
    for (int i = 0; i < kCache; ++i)
      in[2 + kCross + i] = {out.t[1 + i].data, out.t[1 + i].shape};
    Outputs next(ATTNC_DECODE_STEP_NUM_OUTPUTS);
    if (attnc_run_decode_step(in.data(), next.t.data()))
      return 1;
    out = std::move(next);
  }
  std::printf("\n");
  return 0;
}
