//===- Tensor.h - Host tensors passed to and from compiled attnc code -*- C++ -*-===//

#ifndef ATTNC_RUNTIME_TENSOR_H
#define ATTNC_RUNTIME_TENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace attnc {

/// Element types that cross the runtime boundary. `I1` is stored one byte
/// per element (0 or 1), as numpy stores `bool` and as LLVM lowers `i1`.
enum class DType : uint8_t { F32, F16, BF16, F64, I1, I8, I32, I64 };

/// Bytes per element in memory.
size_t byteWidth(DType type);
/// The MLIR spelling of the type: "f32", "f16", "bf16", "f64", "i1", ...
llvm::StringRef dtypeName(DType type);
/// The inverse of dtypeName; an error for anything else.
llvm::Expected<DType> parseDType(llvm::StringRef name);

/// The most elements a tensor read from a file may claim (2^48): far beyond
/// any real input, and far below where an element count or byte size
/// overflows.
constexpr uint64_t kMaxFileElements = uint64_t(1) << 48;

/// The number of elements of `shape` when every dimension is non-negative
/// and the product is at most kMaxFileElements; checked before anything
/// that size is allocated.
std::optional<uint64_t> checkedNumElements(llvm::ArrayRef<int64_t> shape);

/// A dense row-major tensor on the host. Copies share the storage.
class Tensor {
public:
  Tensor() = default;
  /// A zero-filled tensor that owns 64-byte aligned storage. For sizes the
  /// program chose; a failed allocation is a fatal "out of memory". Sizes
  /// that come from a user's file or flag go through allocate().
  Tensor(DType type, llvm::ArrayRef<int64_t> shape);
  /// A zero-filled tensor, or an error when `shape` has a negative dim or
  /// more than kMaxFileElements elements, or the memory cannot be had.
  static llvm::Expected<Tensor> allocate(DType type,
                                         llvm::ArrayRef<int64_t> shape);
  /// Wraps memory owned elsewhere; `release` runs when the last copy dies
  /// (e.g. `free` for a result allocated by compiled code).
  static Tensor adopt(DType type, llvm::ArrayRef<int64_t> shape, void *data,
                      std::function<void(void *)> release);

  DType dtype() const { return type; }
  llvm::ArrayRef<int64_t> shape() const { return dims; }
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
  llvm::SmallVector<int64_t, 4> dims;
  std::shared_ptr<void> storage;
};

/// Reads a numpy `.npy` file (format 1.0-3.0, little-endian, C order) of a
/// supported dtype. Errors name the file and what is wrong with it.
llvm::Expected<Tensor> loadNpy(llvm::StringRef path);
/// Like loadNpy, on the bytes of a `.npy` file held in memory; `path` only
/// names it in errors.
llvm::Expected<Tensor> parseNpy(llvm::StringRef bytes, llvm::StringRef path);
/// Writes `t` as a `.npy` file (bf16 is written as float32, which numpy
/// lacks).
llvm::Error saveNpy(const Tensor &t, llvm::StringRef path);

/// "[2, 3, 4]" for error messages.
std::string shapeString(llvm::ArrayRef<int64_t> shape);

} // namespace attnc

#endif // ATTNC_RUNTIME_TENSOR_H
