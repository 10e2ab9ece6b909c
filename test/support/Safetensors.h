//===- Safetensors.h - Writes .safetensors files for tests and benchmarks ===//
//
// No test framework here: the GoogleTest suites wrap these in
// test/unit/frontend/SafetensorsWriter.h, and bench/ModelBench.cpp writes
// its random BERT with them.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TEST_SUPPORT_SAFETENSORS_H
#define ATTNC_TEST_SUPPORT_SAFETENSORS_H

#include "runtime/Tensor.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace attnc::testdata {

/// Writes `bytes` to `path`.
inline llvm::Error writeFile(llvm::StringRef path, llvm::StringRef bytes) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return llvm::createStringError(path + ": " + ec.message());
  os << bytes;
  os.close();
  if (os.has_error())
    return llvm::createStringError(path + ": " + os.error().message());
  return llvm::Error::success();
}

/// The bytes of a safetensors file with the header text `header` (used as
/// given, so that tests can write broken ones) and the data `data`.
inline std::string safetensorsBytes(llvm::StringRef header,
                                    llvm::StringRef data) {
  std::string out(8, '\0');
  uint64_t size = header.size();
  for (int i = 0; i < 8; ++i)
    out[i] = static_cast<char>((size >> (8 * i)) & 0xff);
  return out + header.str() + data.str();
}

/// The safetensors dtype name of a runtime dtype.
inline std::string safetensorsName(DType type) {
  switch (type) {
  case DType::F32:
    return "F32";
  case DType::F16:
    return "F16";
  case DType::BF16:
    return "BF16";
  case DType::F64:
    return "F64";
  case DType::I64:
    return "I64";
  case DType::I32:
    return "I32";
  case DType::I8:
    return "I8";
  case DType::I1:
    return "BOOL";
  }
  return "?";
}

/// Writes `tensors` as a well-formed safetensors file, in the given order,
/// with the header padded to a multiple of 8 bytes as writers do.
inline llvm::Error
writeSafetensors(llvm::StringRef path,
                 const std::vector<std::pair<std::string, Tensor>> &tensors) {
  llvm::json::Object header;
  std::string data;
  for (const auto &[name, t] : tensors) {
    llvm::json::Array shape;
    for (int64_t d : t.shape())
      shape.push_back(d);
    uint64_t begin = data.size();
    data.append(static_cast<const char *>(t.data()), t.numBytes());
    header[name] = llvm::json::Object{
        {"dtype", safetensorsName(t.dtype())},
        {"shape", std::move(shape)},
        {"data_offsets", llvm::json::Array{begin, data.size()}}};
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(std::move(header));
  text.append((8 - text.size() % 8) % 8, ' ');
  return writeFile(path, safetensorsBytes(text, data));
}

} // namespace attnc::testdata

#endif // ATTNC_TEST_SUPPORT_SAFETENSORS_H
