//===- Rows.cpp - Row-wise micro-kernels: LayerNorm, softmax, embeddings -===//
//
// Compiled to bitcode with Linear.cpp (see its header). Each kernel runs
// its rows on OpenMP threads, and each row in vectors of the ISA's lanes
// with a scalar tail.
//
//===----------------------------------------------------------------------===//

#include "lowering/ukernels/Abi.h"
#include "lowering/ukernels/Layout.h"
#include "lowering/ukernels/Vector.h"

using namespace attnc::ukernel;

namespace {

/// A rank-2 strided view whose rows are contiguous.
template <typename T> struct Rows {
  T *data;
  int64_t rows, cols, stride;
  T *row(int64_t r) const { return data + r * stride; }
};

/// Rows below this many elements in all run on one thread.
constexpr int64_t kParallelElements = 1 << 15;

/// (x - mean) / sqrt(var + eps) * gamma + beta along each row, with the
/// biased variance from a second pass over the centered values, as the
/// reference computes it.
template <int L>
ATTNC_INLINE void layerNorm(Rows<const float> x, const float *gamma,
                            const float *beta, Rows<float> out, float eps) {
  using V = Vec<L>;
  int64_t n = x.cols, whole = n / L * L;
  float count = float(n);
#pragma omp parallel for schedule(static) if (x.rows * n >= kParallelElements)
  for (int64_t r = 0; r < x.rows; ++r) {
    const float *in = x.row(r);
    float *o = out.row(r);
    V acc = {};
    for (int64_t c = 0; c < whole; c += L)
      acc += load<L>(in + c);
    float sum = reduceAdd<L>(acc);
    for (int64_t c = whole; c < n; ++c)
      sum += in[c];
    float mean = sum / count;
    V sq = {};
    for (int64_t c = 0; c < whole; c += L) {
      V d = load<L>(in + c) - mean;
      sq += d * d;
    }
    float squares = reduceAdd<L>(sq);
    for (int64_t c = whole; c < n; ++c)
      squares += (in[c] - mean) * (in[c] - mean);
    float invStd = 1.0f / __builtin_sqrtf(squares / count + eps);
    for (int64_t c = 0; c < whole; c += L)
      store<L>(o + c, (load<L>(in + c) - mean) * invStd * load<L>(gamma + c) +
                          load<L>(beta + c));
    for (int64_t c = whole; c < n; ++c)
      o[c] = (in[c] - mean) * invStd * gamma[c] + beta[c];
  }
}

/// out[i, :] = table[ids[i], :] * scale. An id outside the table gives a
/// row of zeros: the runtime rejects such inputs before the call, and
/// compiled code must not read outside the table whatever it is given.
template <int L, typename Id>
ATTNC_INLINE void embedding(const Id *ids, int64_t idStride,
                            Rows<const float> table, Rows<float> out,
                            float scale) {
  int64_t n = table.cols, whole = n / L * L;
#pragma omp parallel for schedule(static) if (out.rows * n >= kParallelElements)
  for (int64_t r = 0; r < out.rows; ++r) {
    int64_t id = int64_t(ids[r * idStride]);
    float *o = out.row(r);
    if (id < 0 || id >= table.rows) {
      for (int64_t c = 0; c < n; ++c)
        o[c] = 0.0f;
      continue;
    }
    const float *in = table.row(id);
    if (scale == 1.0f) {
      __builtin_memcpy(o, in, n * sizeof(float));
      continue;
    }
    for (int64_t c = 0; c < whole; c += L)
      store<L>(o + c, load<L>(in + c) * scale);
    for (int64_t c = whole; c < n; ++c)
      o[c] = in[c] * scale;
  }
}

/// Softmax (or log-softmax) along each row, as the reference computes it:
/// the row maximum (a NaN does not raise it, but poisons the sum and so the
/// row); a row with nothing above -inf gives zeros (softmax) or itself
/// (log-softmax), and one of -inf and NaN gives NaN (softmax).
template <int L>
ATTNC_INLINE void softmax(Rows<const float> x, Rows<float> out, bool log) {
  using V = Vec<L>;
  int64_t n = x.cols, whole = n / L * L;
  const float ninf = -__builtin_inff();
#pragma omp parallel for schedule(static) if (x.rows * n >= kParallelElements)
  for (int64_t r = 0; r < x.rows; ++r) {
    const float *in = x.row(r);
    float *o = out.row(r);
    V mv = splat<L>(ninf);
    for (int64_t c = 0; c < whole; c += L) {
      V v = load<L>(in + c);
      mv = select<L>(v > mv, v, mv);
    }
    float max = reduceMax<L>(mv);
    for (int64_t c = whole; c < n; ++c)
      max = in[c] > max ? in[c] : max;
    if (max == ninf) {
      bool nan = false;
      for (int64_t c = 0; c < n; ++c)
        nan |= in[c] != in[c];
      for (int64_t c = 0; c < n; ++c)
        o[c] = log ? in[c] : nan ? __builtin_nanf("") : 0.0f;
      continue;
    }
    V sv = {};
    for (int64_t c = 0; c < whole; c += L) {
      V e = exp<L>(load<L>(in + c) - max);
      sv += e;
      if (!log)
        store<L>(o + c, e);
    }
    float sum = reduceAdd<L>(sv);
    for (int64_t c = whole; c < n; ++c) {
      V e = exp<L>(splat<L>(in[c] - max));
      sum += e[0];
      if (!log)
        o[c] = e[0];
    }
    if (log) {
      float logSum = max + __builtin_logf(sum);
      for (int64_t c = 0; c < whole; c += L)
        store<L>(o + c, load<L>(in + c) - logSum);
      for (int64_t c = whole; c < n; ++c)
        o[c] = in[c] - logSum;
    } else {
      float inv = 1.0f / sum;
      for (int64_t c = 0; c < whole; c += L)
        store<L>(o + c, load<L>(o + c) * inv);
      for (int64_t c = whole; c < n; ++c)
        o[c] *= inv;
    }
  }
}

} // namespace

#define ATTNC_ROWS(T, p)                                                       \
  Rows<T> { p##Data + p##Offset, p##S0, p##S1, p##T0 }

#define ATTNC_ROW_ENTRIES(isa, Name)                                           \
  extern "C" void attnc_uk_layer_norm_f32_##isa(                               \
      ATTNC_MEMREF2(float, x), ATTNC_MEMREF1(float, gamma),                    \
      ATTNC_MEMREF1(float, beta), ATTNC_MEMREF2(float, out), float eps) {      \
    layerNorm<gemmTile(Isa::Name).lanes>(                                      \
        ATTNC_ROWS(const float, x), gammaData + gammaOffset,                   \
        betaData + betaOffset, ATTNC_ROWS(float, out), eps);                   \
  }                                                                            \
  extern "C" void attnc_uk_softmax_f32_##isa(                                  \
      ATTNC_MEMREF2(float, x), ATTNC_MEMREF2(float, out), int64_t log) {       \
    softmax<gemmTile(Isa::Name).lanes>(ATTNC_ROWS(const float, x),             \
                                       ATTNC_ROWS(float, out), log != 0);      \
  }                                                                            \
  extern "C" void attnc_uk_embedding_i64_f32_##isa(                            \
      ATTNC_MEMREF1(int64_t, ids), ATTNC_MEMREF2(float, table),                \
      ATTNC_MEMREF2(float, out), float scale) {                                \
    embedding<gemmTile(Isa::Name).lanes>(idsData + idsOffset, idsT0,           \
                                         ATTNC_ROWS(const float, table),       \
                                         ATTNC_ROWS(float, out), scale);       \
  }                                                                            \
  extern "C" void attnc_uk_embedding_i32_f32_##isa(                            \
      ATTNC_MEMREF1(int32_t, ids), ATTNC_MEMREF2(float, table),                \
      ATTNC_MEMREF2(float, out), float scale) {                                \
    embedding<gemmTile(Isa::Name).lanes>(idsData + idsOffset, idsT0,           \
                                         ATTNC_ROWS(const float, table),       \
                                         ATTNC_ROWS(float, out), scale);       \
  }

ATTNC_ROW_ENTRIES(avx512, Avx512)
ATTNC_ROW_ENTRIES(avx2, Avx2)
ATTNC_ROW_ENTRIES(generic, Generic)
