//===- SafetensorsWriter.h - Writes .safetensors files for the tests -*- C++
//-*-===//

#ifndef ATTNC_TEST_UNIT_FRONTEND_SAFETENSORSWRITER_H
#define ATTNC_TEST_UNIT_FRONTEND_SAFETENSORSWRITER_H

#include "runtime/Tensor.h"
#include "test/support/Safetensors.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace attnc::test {

/// A directory that is removed with everything in it when this dies.
class TempDir {
public:
  TempDir() {
    std::error_code ec =
        llvm::sys::fs::createUniqueDirectory("attnc-model-test", dir);
    EXPECT_FALSE(ec) << ec.message();
  }
  ~TempDir() { llvm::sys::fs::remove_directories(dir); }
  /// DIR/name.
  std::string file(llvm::StringRef name) const {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, name);
    return path.str().str();
  }
  std::string path() const { return dir.str().str(); }

private:
  llvm::SmallString<256> dir;
};

/// Writes `bytes` to `path`, failing the test on an error.
inline void writeFile(llvm::StringRef path, llvm::StringRef bytes) {
  llvm::Error e = testdata::writeFile(path, bytes);
  ASSERT_FALSE(static_cast<bool>(e)) << toString(std::move(e));
}

using testdata::safetensorsBytes;
using testdata::safetensorsName;

/// Writes `tensors` as a well-formed safetensors file, failing the test on
/// an error.
inline void
writeSafetensors(llvm::StringRef path,
                 const std::vector<std::pair<std::string, Tensor>> &tensors) {
  llvm::Error e = testdata::writeSafetensors(path, tensors);
  ASSERT_FALSE(static_cast<bool>(e)) << toString(std::move(e));
}

} // namespace attnc::test

#endif // ATTNC_TEST_UNIT_FRONTEND_SAFETENSORSWRITER_H
