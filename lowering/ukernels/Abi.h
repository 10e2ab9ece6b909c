//===- Abi.h - How micro-kernels receive memrefs -----------------*- C++
//-*-===//
//
// A memref argument of a `func.call` to an external function reaches it as
// MLIR's LLVM lowering expands it: (allocated, aligned, offset, sizes...,
// strides...), one scalar argument each. These macros spell those
// parameter lists; the kernels use `p##Data + p##Offset` and the sizes and
// strides. Only the micro-kernels include this header.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_LOWERING_UKERNELS_ABI_H
#define ATTNC_LOWERING_UKERNELS_ABI_H

#include <cstdint>

#define ATTNC_MEMREF1(T, p)                                                    \
  T *p##Alloc, T *p##Data, int64_t p##Offset, int64_t p##S0, int64_t p##T0
#define ATTNC_MEMREF2(T, p)                                                    \
  T *p##Alloc, T *p##Data, int64_t p##Offset, int64_t p##S0, int64_t p##S1,    \
      int64_t p##T0, int64_t p##T1
#define ATTNC_MEMREF4(T, p)                                                    \
  T *p##Alloc, T *p##Data, int64_t p##Offset, int64_t p##S0, int64_t p##S1,    \
      int64_t p##S2, int64_t p##S3, int64_t p##T0, int64_t p##T1,              \
      int64_t p##T2, int64_t p##T3

#endif // ATTNC_LOWERING_UKERNELS_ABI_H
