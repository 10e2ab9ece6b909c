//===- Layout.h - What the compiler and the CPU micro-kernels agree on
//-----===//
//
// Shared by the compiler (attn-lower-to-ukernels, which packs constant
// weights at compile time and names the kernels it calls) and by the
// micro-kernels themselves (compiled to LLVM bitcode and linked into every
// CPU module). Plain C++17 with no includes beyond <cstdint>, so that clang
// compiles it for the bitcode and GCC for the compiler alike.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_LOWERING_UKERNELS_LAYOUT_H
#define ATTNC_LOWERING_UKERNELS_LAYOUT_H

#include <cstdint>

namespace attnc::ukernel {

/// The instruction sets the micro-kernels are instantiated for. The
/// compiler picks one from the target CPU's features; the packed weight
/// layout depends on it, so it is fixed when the module is compiled.
enum class Isa : int {
  /// 4-lane vectors: any x86-64 (SSE2) or other 128-bit SIMD target.
  Generic = 0,
  /// 8-lane vectors, FMA: x86-64 with AVX2 and FMA.
  Avx2 = 1,
  /// 16-lane vectors, 32 vector registers: x86-64 with AVX-512F.
  Avx512 = 2,
};

/// The register tile of the f32 GEMM micro-kernel for an ISA: `rows` rows
/// of the input times `vectors` vectors of `lanes` output columns, all kept
/// in registers for the whole reduction.
struct GemmTile {
  int lanes;
  int rows;
  int vectors;
  /// Output columns per packed weight panel.
  constexpr int panelWidth() const { return lanes * vectors; }
};

constexpr GemmTile gemmTile(Isa isa) {
  // AVX-512: 8x3 zmm accumulators leave 8 registers for the 3 weight
  // vectors and broadcasts (measured best of 8x3, 6x4, 12x2, 4x4 on 2-core
  // Zen 4/5 machines). AVX2: 6x2 ymm accumulators + 2 weight vectors + one
  // broadcast fill 15 of the 16 registers. Generic: 4x2 of 4 lanes.
  return isa == Isa::Avx512 ? GemmTile{16, 8, 3}
         : isa == Isa::Avx2 ? GemmTile{8, 6, 2}
                            : GemmTile{4, 4, 2};
}

/// The name suffix of the kernels compiled for `isa`.
constexpr const char *isaSuffix(Isa isa) {
  return isa == Isa::Avx512 ? "avx512" : isa == Isa::Avx2 ? "avx2" : "generic";
}

/// Elements of the packed form of an [n, k] weight for panels of
/// `panelWidth` columns: ceil(n / panelWidth) panels of k rows of
/// panelWidth values, the missing columns of the last panel zero.
constexpr int64_t packedWeightSize(int64_t n, int64_t k, int panelWidth) {
  return (n + panelWidth - 1) / panelWidth * panelWidth * k;
}

/// Packs `weight`, [n, k] with row stride `rowStride` (nn.Linear's
/// [out, in] layout), into `packed`: element (j, kk) of the weight goes to
/// panel j / panelWidth, row kk, column j % panelWidth. A k-step of the
/// micro-kernel then reads one contiguous row of panelWidth values.
template <typename T>
void packWeight(int64_t n, int64_t k, const T *weight, int64_t rowStride,
                T *packed, int panelWidth) {
  int64_t panels = (n + panelWidth - 1) / panelWidth;
  for (int64_t p = 0; p < panels; ++p) {
    T *panel = packed + p * k * panelWidth;
    for (int c = 0; c < panelWidth; ++c) {
      int64_t j = p * panelWidth + c;
      if (j < n) {
        const T *row = weight + j * rowStride;
        for (int64_t kk = 0; kk < k; ++kk)
          panel[kk * panelWidth + c] = row[kk];
      } else {
        for (int64_t kk = 0; kk < k; ++kk)
          panel[kk * panelWidth + c] = T(0);
      }
    }
  }
}

/// Bits of the `flags` argument of the linear kernel.
enum LinearFlags : int64_t {
  kHasBias = 1,
  kHasResidual = 2,
  /// The activation, in bits 4..7: 0 none, then these.
  kActivationShift = 4,
  kActivationRelu = 1,
  kActivationGelu = 2,
  kActivationGeluTanh = 3,
};

} // namespace attnc::ukernel

#endif // ATTNC_LOWERING_UKERNELS_LAYOUT_H
