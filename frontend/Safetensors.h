//===- Safetensors.h - Reads .safetensors weight files ------------*- C++ -*-===//
//
// The safetensors format: an 8-byte little-endian header length N, N bytes
// of JSON mapping each tensor name to {dtype, shape, data_offsets}, then the
// tensor bytes. The file is memory-mapped and validated completely when it
// is opened, so that a tensor handed out is always in bounds and of the size
// its dtype and shape promise.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_FRONTEND_SAFETENSORS_H
#define ATTNC_FRONTEND_SAFETENSORS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace attnc::frontend {

/// One tensor of a safetensors file. `bytes` points into the mapped file.
struct SafetensorsTensor {
  std::string name;
  /// The format's dtype name as written in the header: "F32", "BF16", ...
  std::string dtype;
  std::vector<int64_t> shape;
  llvm::ArrayRef<char> bytes;

  /// The number of elements, the product of `shape`.
  int64_t numElements() const;
};

/// Bytes per element of a safetensors dtype name; 0 for a name the format
/// does not define.
size_t safetensorsDTypeSize(llvm::StringRef dtype);

/// A memory-mapped, validated safetensors file.
class SafetensorsFile {
public:
  /// Maps and validates `path`. Errors name the file and, where one is at
  /// fault, the tensor: a short file, a header longer than the file, JSON
  /// that is not an object of tensor entries, an unknown dtype, a shape that
  /// is not a list of non-negative integers, data_offsets outside the data,
  /// overlapping another tensor's, or not matching the shape and dtype.
  static llvm::Expected<std::unique_ptr<SafetensorsFile>>
  open(llvm::StringRef path);
  /// Validates `buffer` as open validates a file's contents; `path` only
  /// names it in errors. The tensors point into `buffer`.
  static llvm::Expected<std::unique_ptr<SafetensorsFile>>
  parse(std::shared_ptr<llvm::MemoryBuffer> buffer, llvm::StringRef path);

  llvm::StringRef path() const { return filePath; }
  /// The tensor called `name`, or null.
  const SafetensorsTensor *find(llvm::StringRef name) const;
  /// Every tensor, in the order of their data.
  llvm::ArrayRef<SafetensorsTensor> tensors() const { return entries; }
  /// The optional `__metadata__` string map.
  const llvm::StringMap<std::string> &metadata() const { return meta; }
  /// The mapping itself, shared so that data referenced from elsewhere (an
  /// MLIR resource blob, say) can keep it alive.
  std::shared_ptr<llvm::MemoryBuffer> buffer() const { return mapping; }

private:
  SafetensorsFile() = default;

  std::string filePath;
  std::shared_ptr<llvm::MemoryBuffer> mapping;
  std::vector<SafetensorsTensor> entries;
  llvm::StringMap<size_t> byName;
  llvm::StringMap<std::string> meta;
};

} // namespace attnc::frontend

#endif // ATTNC_FRONTEND_SAFETENSORS_H
