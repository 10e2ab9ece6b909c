//===- Tensor.h - Host tensors passed to and from compiled attnc code -*- C++ -*-===//

#ifndef ATTNC_RUNTIME_TENSOR_H
#define ATTNC_RUNTIME_TENSOR_H

#include "runtime/Span.h"
#include "runtime/Status.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attnc {

/// Element types that cross the runtime boundary. `I1` is stored one byte
/// per element (0 or 1), as numpy stores `bool` and as LLVM lowers `i1`.
enum class DType : uint8_t { F32, F16, BF16, F64, I1, I8, I32, I64 };

/// Bytes per element in memory.
size_t byteWidth(DType type);
/// The MLIR spelling of the type: "f32", "f16", "bf16", "f64", "i1", ...
std::string_view dtypeName(DType type);
/// The inverse of dtypeName; an error for anything else.
Result<DType> parseDType(std::string_view name);

/// The most elements a tensor read from a file may claim (2^48): far beyond
/// any real input, and far below where an element count or byte size
/// overflows.
constexpr uint64_t kMaxFileElements = uint64_t(1) << 48;

/// The number of elements of `shape` when every dimension is non-negative
/// and the product is at most kMaxFileElements; checked before anything
/// that size is allocated.
std::optional<uint64_t> checkedNumElements(Span<const int64_t> shape);

/// A dense row-major tensor on the host. Copies share the storage.
class Tensor {
public:
  Tensor() = default;
  /// A zero-filled tensor that owns 64-byte aligned storage. For sizes the
  /// program chose; a failed allocation is a fatal "out of memory". Sizes
  /// that come from a user's file or flag go through allocate().
  Tensor(DType type, Span<const int64_t> shape);
  /// A zero-filled tensor, or an error when `shape` has a negative dim or
  /// more than kMaxFileElements elements, or the memory cannot be had.
  static Result<Tensor> allocate(DType type, Span<const int64_t> shape);
  /// Wraps memory owned elsewhere; `release` runs when the last copy dies
  /// (e.g. `free` for a result allocated by compiled code).
  static Tensor adopt(DType type, Span<const int64_t> shape, void *data,
                      std::function<void(void *)> release);

  DType dtype() const { return type; }
  const std::vector<int64_t> &shape() const { return dims; }
  int64_t rank() const { return static_cast<int64_t>(dims.size()); }
  int64_t numElements() const;
  size_t numBytes() const { return numElements() * byteWidth(type); }

  void *data() { return storage.get(); }
  const void *data() const { return storage.get(); }
  template <typename T> T *as() { return static_cast<T *>(data()); }
  template <typename T> const T *as() const {
    return static_cast<const T *>(data());
  }

  /// Element `i` (row-major) converted to double, for any dtype.
  double getDouble(int64_t i) const;
  /// Stores `v` at element `i`, rounding to the tensor's dtype.
  void setDouble(int64_t i, double v);
  /// A new tensor of `to` with every element converted.
  Tensor convert(DType to) const;

private:
  DType type = DType::F32;
  std::vector<int64_t> dims;
  std::shared_ptr<void> storage;
};

/// Reads a numpy `.npy` file (format 1.0-3.0, little-endian, C order) of a
/// supported dtype. Errors name the file and what is wrong with it.
Result<Tensor> loadNpy(std::string_view path);
/// Like loadNpy, on the bytes of a `.npy` file held in memory; `path` only
/// names it in errors.
Result<Tensor> parseNpy(std::string_view bytes, std::string_view path);
/// Writes `t` as a `.npy` file (bf16 is written as float32, which numpy
/// lacks), under a temporary name renamed into place, so that a failure
/// never leaves a truncated file; "-" writes to standard output.
Status saveNpy(const Tensor &t, std::string_view path);

/// "[2, 3, 4]" for error messages.
std::string shapeString(Span<const int64_t> shape);

/// An IEEE half (binary16) or bfloat16, as its bits, converted to double;
/// and the nearest such value (ties to even) to `v`. The runtime converts
/// without LLVM's APFloat.
double halfToDouble(uint16_t bits);
double bfloat16ToDouble(uint16_t bits);
uint16_t doubleToHalf(double v);
uint16_t doubleToBfloat16(double v);

} // namespace attnc

#endif // ATTNC_RUNTIME_TENSOR_H
