//===- Vector.h - Portable SIMD vectors and math for the micro-kernels ----===//
//
// Clang vector extensions of `lanes` floats. The micro-kernels are compiled
// to target-neutral bitcode and get their instructions when the module that
// links them is compiled for its CPU: a Vec<16> is one zmm register with
// AVX-512. Only clang compiles this header (GCC lacks dependent vector
// sizes); the compiler proper never includes it.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_LOWERING_UKERNELS_VECTOR_H
#define ATTNC_LOWERING_UKERNELS_VECTOR_H

#include <cstdint>

namespace attnc::ukernel {

template <int Lanes>
using Vec = float __attribute__((vector_size(Lanes * sizeof(float))));
template <int Lanes>
using IVec = int32_t __attribute__((vector_size(Lanes * sizeof(int32_t))));

#define ATTNC_INLINE inline __attribute__((always_inline))

/// x in every lane. (x - 0 is x for every x, -0 included, so this folds to
/// a broadcast; 0 + x would not, since 0 + -0 is +0.)
template <int L> ATTNC_INLINE Vec<L> splat(float x) { return x - Vec<L>{}; }

/// An unaligned load of L floats.
template <int L> ATTNC_INLINE Vec<L> load(const float *p) {
  Vec<L> v;
  __builtin_memcpy(&v, p, sizeof(v));
  return v;
}

/// An unaligned store of L floats.
template <int L> ATTNC_INLINE void store(float *p, Vec<L> v) {
  __builtin_memcpy(p, &v, sizeof(v));
}

/// The first `count` (< L) floats at p, the other lanes 0.
template <int L>
ATTNC_INLINE Vec<L> loadPartial(const float *p, int64_t count) {
  Vec<L> v = {};
  for (int64_t i = 0; i < count; ++i)
    v[i] = p[i];
  return v;
}

template <int L>
ATTNC_INLINE void storePartial(float *p, Vec<L> v, int64_t count) {
  for (int64_t i = 0; i < count; ++i)
    p[i] = v[i];
}

template <int L> ATTNC_INLINE float reduceAdd(Vec<L> v) {
  // A tree, so that the sum's rounding does not depend on the target's
  // register width more than the lane count does.
  if constexpr (L == 1) {
    return v[0];
  } else {
    Vec<L / 2> lo, hi;
    __builtin_memcpy(&lo, &v, sizeof(lo));
    __builtin_memcpy(&hi, reinterpret_cast<const char *>(&v) + sizeof(lo),
                     sizeof(hi));
    return reduceAdd<L / 2>(lo + hi);
  }
}

template <int L> ATTNC_INLINE float reduceMax(Vec<L> v) {
  if constexpr (L == 1) {
    return v[0];
  } else {
    Vec<L / 2> lo, hi;
    __builtin_memcpy(&lo, &v, sizeof(lo));
    __builtin_memcpy(&hi, reinterpret_cast<const char *>(&v) + sizeof(lo),
                     sizeof(hi));
    return reduceMax<L / 2>(__builtin_elementwise_max(lo, hi));
  }
}

/// Lane-wise `mask ? a : b` for a comparison result `mask`.
template <int L> ATTNC_INLINE Vec<L> select(IVec<L> mask, Vec<L> a, Vec<L> b) {
  return (Vec<L>)((mask & (IVec<L>)a) | (~mask & (IVec<L>)b));
}

/// e^x, within 2 ulp on [-87, 88]; x below that range gives 0 (and -inf
/// gives exactly 0), above it +inf; NaN stays NaN.
template <int L> ATTNC_INLINE Vec<L> exp(Vec<L> x) {
  const Vec<L> hi = splat<L>(88.72283905f), lo = splat<L>(-87.33654475f);
  IVec<L> under = x<lo, over = x> hi;
  Vec<L> c = __builtin_elementwise_min(__builtin_elementwise_max(x, lo), hi);
  // x = n ln2 + r with |r| <= ln2/2; ln2 split so that n * ln2Hi is exact.
  Vec<L> n = __builtin_elementwise_roundeven(c * 1.44269504088896341f);
  Vec<L> r = c - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  // e^r by its Taylor series to r^7 (|error| < 3e-9 relative on the range).
  Vec<L> p = splat<L>(1.0f / 5040);
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  // 2^n by building the exponent; n is in [-126, 128], so split it in two
  // halves that are each a normal power of two.
  IVec<L> ni = __builtin_convertvector(n, IVec<L>);
  IVec<L> n1 = ni >> 1, n2 = ni - n1;
  Vec<L> s1 = (Vec<L>)((n1 + 127) << 23), s2 = (Vec<L>)((n2 + 127) << 23);
  Vec<L> y = p * s1 * s2;
  y = select<L>(under, Vec<L>{}, y);
  y = select<L>(over, splat<L>(__builtin_inff()), y);
  // NaN compares false with everything, so it reaches here clamped; restore.
  return select<L>(x != x, x, y);
}

/// erf(x) with |error| < 2e-7 (Abramowitz and Stegun 7.1.26, in f32).
template <int L> ATTNC_INLINE Vec<L> erf(Vec<L> x) {
  Vec<L> a = __builtin_elementwise_abs(x);
  Vec<L> t = 1.0f / (1.0f + 0.3275911f * a);
  Vec<L> p = splat<L>(1.061405429f);
  p = p * t - 1.453152027f;
  p = p * t + 1.421413741f;
  p = p * t - 0.284496736f;
  p = p * t + 0.254829592f;
  Vec<L> y = 1.0f - p * t * exp<L>(-(a * a));
  // erf is odd: give y the sign of x.
  IVec<L> sign = (IVec<L>)x & (int32_t)0x80000000;
  return (Vec<L>)((IVec<L>)y | sign);
}

/// tanh(x) = sign(x) (1 - 2 / (e^{2|x|} + 1)); |error| < 2e-7.
template <int L> ATTNC_INLINE Vec<L> tanh(Vec<L> x) {
  Vec<L> a = __builtin_elementwise_abs(x);
  Vec<L> y = 1.0f - 2.0f / (exp<L>(a + a) + 1.0f);
  IVec<L> sign = (IVec<L>)x & (int32_t)0x80000000;
  return (Vec<L>)((IVec<L>)y | sign);
}

} // namespace attnc::ukernel

#endif // ATTNC_LOWERING_UKERNELS_VECTOR_H
