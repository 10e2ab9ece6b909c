//===- Linear.cpp - The f32 linear-layer micro-kernels --------------------===//
//
// y = act(x·Wᵀ + b) + r on the CPU, for every ISA of Layout.h. Compiled to
// bitcode (see CMakeLists.txt) and linked into the modules that call it;
// attn-lower-to-ukernels emits the calls. The weights arrive packed
// (Layout.h, packWeight): a panel of panelWidth output columns is read one
// contiguous row per k-step, while a register tile of rows × panelWidth
// accumulators stays in vector registers for the whole reduction, and the
// epilogue (bias, activation, residual) runs on those registers before the
// only store.
//
//===----------------------------------------------------------------------===//

#include "lowering/ukernels/Abi.h"
#include "lowering/ukernels/Layout.h"
#include "lowering/ukernels/Vector.h"

using namespace attnc::ukernel;

// libomp's (omp.h is not on the bitcode's include path).
extern "C" int omp_get_num_threads();
extern "C" int omp_get_thread_num();

namespace {

/// A rank-4 view (b, l, h, d) of a linear layer's input, output or
/// residual: rows are (b, l), columns (h, d), and d has unit stride. A
/// plain [M, K] matrix is (1, M, 1, K); heads split or merged around an
/// attention are the same buffer seen with its head stride.
struct View {
  float *data;
  int64_t size[4];
  int64_t stride[4];

  /// The starts of rows m .. m + count - 1 (their first heads), then row m
  /// again up to N: one division per call rather than one per row.
  template <int N> void rows(int64_t m, int64_t count, float *(&out)[N]) const {
    int64_t b = m / size[1], l = m - b * size[1];
    for (int i = 0; i < N; ++i) {
      if (i >= count) {
        out[i] = out[0];
        continue;
      }
      out[i] = data + b * stride[0] + l * stride[1];
      if (++l == size[1]) {
        l = 0;
        ++b;
      }
    }
  }
  /// The offset of column n from its row's start.
  int64_t column(int64_t n) const {
    if (size[2] == 1)
      return n;
    int64_t h = n / size[3], d = n - h * size[3];
    return h * stride[2] + d;
  }
};

#define ATTNC_VIEW4(p)                                                         \
  View {                                                                       \
    p##Data + p##Offset, {p##S0, p##S1, p##S2, p##S3}, {                       \
      p##T0, p##T1, p##T2, p##T3                                               \
    }                                                                          \
  }

template <int L> ATTNC_INLINE Vec<L> activate(Vec<L> x, int64_t activation) {
  switch (activation) {
  case kActivationRelu:
    // x > 0 ? x : 0, so NaN and -0 become +0, as in the reference.
    return select<L>(x > 0.0f, x, Vec<L>{});
  case kActivationGelu: {
    Vec<L> e = erf<L>(x / 1.41421356237309505f);
    return (x * 0.5f) * (1.0f + e);
  }
  case kActivationGeluTanh: {
    Vec<L> cube = 0.044715f * x * x * x;
    Vec<L> t = tanh<L>(0.797884560802865356f * (x + cube));
    return (0.5f * x) * (1.0f + t);
  }
  default:
    return x;
  }
}

template <int Lanes, int Rows, int Vectors> struct LinearKernel {
  static constexpr int kPanel = Lanes * Vectors;
  using V = Vec<Lanes>;

  const View &a, &c, &r;
  const float *packed, *bias;
  int64_t n, k, flags;

  /// Rows [m, m + count) (count <= Rows) times panel p: accumulate over all
  /// of k in registers, then the epilogue and the store. A tile the matrix
  /// cuts short computes its missing rows from the first row again and does
  /// not store them, so that one register tile serves every tile.
  ATTNC_INLINE void tile(int64_t m, int64_t count, int64_t p) const {
    int64_t n0 = p * kPanel;
    V acc[Rows][Vectors];
#pragma unroll
    for (int j = 0; j < Vectors; ++j) {
      int64_t col = n0 + j * Lanes;
      V init = {};
      if (flags & kHasBias)
        init = col + Lanes <= n ? load<Lanes>(bias + col)
               : col < n        ? loadPartial<Lanes>(bias + col, n - col)
                                : V{};
#pragma unroll
      for (int i = 0; i < Rows; ++i)
        acc[i][j] = init;
    }
    float *rows[Rows];
    a.rows(m, count, rows);
    // The output rows, and a request for their lines now, so that the
    // stores at the end do not wait for them.
    float *outRows[Rows];
    c.rows(m, count, outRows);
    for (int64_t i = 0; i < count; ++i)
      for (int j = 0; j < Vectors; ++j)
        if (n0 + j * Lanes < n)
          __builtin_prefetch(outRows[i] + c.column(n0 + j * Lanes), 1, 3);
    const float *panel = packed + p * k * kPanel;
    // The reduction runs head by head: a merged-heads input has one stride
    // per head, a plain one a single head of all k columns.
    int64_t heads = a.size[2], headDim = a.size[3];
    for (int64_t h = 0; h < heads; ++h) {
      const float *x[Rows];
#pragma unroll
      for (int i = 0; i < Rows; ++i)
        x[i] = rows[i] + h * a.stride[2];
      const float *w = panel + h * headDim * kPanel;
#pragma clang loop unroll_count(4)
      for (int64_t d = 0; d < headDim; ++d) {
        V b[Vectors];
#pragma unroll
        for (int j = 0; j < Vectors; ++j)
          b[j] = load<Lanes>(w + d * kPanel + j * Lanes);
#pragma unroll
        for (int i = 0; i < Rows; ++i) {
          V xi = splat<Lanes>(x[i][d]);
#pragma unroll
          for (int j = 0; j < Vectors; ++j)
            acc[i][j] += xi * b[j];
        }
      }
    }
    // A copy goes to the epilogue: were `acc` itself passed by reference,
    // it would live in memory for the whole reduction.
    V result[Rows][Vectors];
#pragma unroll
    for (int i = 0; i < Rows; ++i)
#pragma unroll
      for (int j = 0; j < Vectors; ++j)
        result[i][j] = acc[i][j];
    epilogue(m, count, n0, result, outRows);
  }

  /// Activation, residual and store of a tile's accumulators. Once per
  /// tile and out of line: it is a rolled loop over the tile's vectors, so
  /// that the activations' code exists once rather than once per register.
  __attribute__((noinline)) void epilogue(int64_t m, int64_t count, int64_t n0,
                                          const V (&acc)[Rows][Vectors],
                                          float *const (&outRows)[Rows]) const {
    int64_t act = (flags >> kActivationShift) & 15;
    bool hasResidual = flags & kHasResidual;
    // Where each vector of the tile's columns goes, once per tile (a
    // column's offset takes a division when heads are split). A whole
    // vector lies in one head when the head width is a multiple of the
    // lanes; otherwise it goes lane by lane.
    int64_t columns = n - n0 < kPanel ? (n - n0 + Lanes - 1) / Lanes : Vectors;
    int64_t cAt[Vectors], rAt[Vectors];
    bool whole[Vectors];
    for (int64_t j = 0; j < columns; ++j) {
      int64_t col = n0 + j * Lanes;
      whole[j] = col + Lanes <= n && c.size[3] % Lanes == 0 &&
                 (!hasResidual || r.size[3] % Lanes == 0);
      cAt[j] = c.column(col);
      rAt[j] = hasResidual ? r.column(col) : 0;
    }
    float *resRows[Rows];
    if (hasResidual)
      r.rows(m, count, resRows);
    for (int64_t i = 0; i < count; ++i) {
      float *out = outRows[i];
      const float *res = hasResidual ? resRows[i] : nullptr;
      for (int64_t j = 0; j < columns; ++j) {
        V y = activate<Lanes>(acc[i][j], act);
        if (whole[j]) {
          if (res)
            y += load<Lanes>(res + rAt[j]);
          store<Lanes>(out + cAt[j], y);
          continue;
        }
        int64_t col = n0 + j * Lanes;
        for (int e = 0; e < Lanes && col + e < n; ++e) {
          float v = y[e];
          if (res)
            v += res[r.column(col + e)];
          out[c.column(col + e)] = v;
        }
      }
    }
  }

  void run() const {
    int64_t mRows = a.size[0] * a.size[1];
    int64_t mTiles = (mRows + Rows - 1) / Rows;
    int64_t panels = (n + kPanel - 1) / kPanel;
    // Panels are visited in groups that together fit in half a core's L2
    // (512 KiB), and each row tile meets all panels of a group while its
    // input rows are in L1: the weights are read from L2, the input from
    // L1, and only the input streams from memory, once per group.
    int64_t maxGroup = (128 * 1024) / ((k > 0 ? k : 1) * kPanel);
    if (maxGroup < 1)
      maxGroup = 1;
    int64_t groups = (panels + maxGroup - 1) / maxGroup;
    int64_t groupSize = (panels + groups - 1) / groups;
    // The (tile, panel) pairs in that order (group by group, then tile by
    // tile, then panel by panel) are cut into one contiguous range per
    // thread: equal work (to one tile) however M and N fall into groups,
    // and each thread keeps the locality of the order.
    int64_t units = mTiles * panels;
    // Below about a million multiply-adds, starting threads costs more than
    // it saves.
    bool parallel = units > 1 && mRows * n * k >= (int64_t(1) << 20);
#pragma omp parallel if (parallel)
    {
      int64_t threads = parallel ? omp_get_num_threads() : 1;
      int64_t thread = parallel ? omp_get_thread_num() : 0;
      int64_t first = units * thread / threads;
      int64_t last = units * (thread + 1) / threads;
      for (int64_t u = first; u < last;) {
        // The group of unit u, and u's place in it.
        int64_t g = u / (mTiles * groupSize);
        int64_t pFirst = g * groupSize;
        int64_t width =
            pFirst + groupSize < panels ? groupSize : panels - pFirst;
        int64_t offset = u - g * mTiles * groupSize;
        int64_t t = offset / width, p = pFirst + offset % width;
        int64_t m = t * Rows;
        int64_t count = mRows - m < Rows ? mRows - m : Rows;
        // The rest of this tile's panels in the group, within the range.
        for (; p < pFirst + width && u < last; ++p, ++u)
          tile(m, count, p);
      }
    }
  }
};

template <int Lanes, int Rows, int Vectors>
ATTNC_INLINE void linear(const View &a, const float *packed, const float *bias,
                         const View &r, const View &c, int64_t flags) {
  int64_t n = c.size[2] * c.size[3], k = a.size[2] * a.size[3];
  LinearKernel<Lanes, Rows, Vectors>{a, c, r, packed, bias, n, k, flags}.run();
}

template <int Lanes, int Vectors>
ATTNC_INLINE void packWeightF32(const float *w, int64_t rows, int64_t cols,
                                int64_t rowStride, float *packed) {
  packWeight<float>(rows, cols, w, rowStride, packed, Lanes * Vectors);
}

} // namespace

// One entry point per ISA, named attnc_uk_<op>_f32_<isa> (Layout.h's
// isaSuffix); the tile shapes are Layout.h's gemmTile.
#define ATTNC_LINEAR_ENTRY(isa, Name, Lanes, Rows, Vectors)                    \
  extern "C" void attnc_uk_linear_f32_##isa(                                   \
      ATTNC_MEMREF4(float, a), ATTNC_MEMREF1(float, w),                        \
      ATTNC_MEMREF1(float, bias), ATTNC_MEMREF4(float, r),                     \
      ATTNC_MEMREF4(float, c), int64_t flags) {                                \
    static_assert(gemmTile(Isa::Name).lanes == Lanes &&                        \
                  gemmTile(Isa::Name).rows == Rows &&                          \
                  gemmTile(Isa::Name).vectors == Vectors);                     \
    linear<Lanes, Rows, Vectors>(ATTNC_VIEW4(a), wData + wOffset,              \
                                 biasData + biasOffset, ATTNC_VIEW4(r),        \
                                 ATTNC_VIEW4(c), flags);                       \
  }                                                                            \
  extern "C" void attnc_uk_pack_weight_f32_##isa(ATTNC_MEMREF2(float, w),      \
                                                 ATTNC_MEMREF1(float, p)) {    \
    packWeightF32<Lanes, Vectors>(wData + wOffset, wS0, wS1, wT0,              \
                                  pData + pOffset);                            \
  }

ATTNC_LINEAR_ENTRY(avx512, Avx512, 16, 8, 3)
ATTNC_LINEAR_ENTRY(avx2, Avx2, 8, 6, 2)
ATTNC_LINEAR_ENTRY(generic, Generic, 4, 4, 2)
