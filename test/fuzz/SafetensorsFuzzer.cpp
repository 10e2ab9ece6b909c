//===- SafetensorsFuzzer.cpp - libFuzzer target: safetensors files --------===//
//
// Validates the input as a safetensors file (SafetensorsFile::parse, what
// opening a model's weights does), then checks the promise the class makes:
// every tensor it hands out lies inside the file and holds exactly the bytes
// its dtype and shape take. A broken promise aborts, as a crash would.
//
//===----------------------------------------------------------------------===//

#include "frontend/Safetensors.h"
#include "test/fuzz/FuzzSupport.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using attnc::frontend::SafetensorsFile;
using attnc::frontend::SafetensorsTensor;

namespace {

/// Whether `t` holds numElements * dtype size bytes, computed without
/// overflow.
bool sizeMatches(const SafetensorsTensor &t) {
  unsigned __int128 bytes = attnc::frontend::safetensorsDTypeSize(t.dtype);
  for (int64_t d : t.shape) {
    if (d < 0)
      return false;
    bytes *= static_cast<uint64_t>(d);
    if (bytes > (static_cast<unsigned __int128>(1) << 64))
      return false;
  }
  return bytes == t.bytes.size();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  std::shared_ptr<llvm::MemoryBuffer> buffer =
      llvm::MemoryBuffer::getMemBufferCopy(bytes, "fuzz.safetensors");
  auto file = SafetensorsFile::parse(buffer, "fuzz.safetensors");
  if (!file) {
    llvm::consumeError(file.takeError());
    return 0;
  }
  const char *begin = buffer->getBufferStart(), *end = buffer->getBufferEnd();
  for (const SafetensorsTensor &t : (*file)->tensors()) {
    bool inside = t.bytes.empty() ||
                  (t.bytes.data() >= begin && t.bytes.data() <= end &&
                   t.bytes.size() <= size_t(end - t.bytes.data()));
    if (!inside || !sizeMatches(t)) {
      llvm::errs() << "safetensors: tensor '" << t.name << "' (" << t.dtype
                   << ", " << t.bytes.size()
                   << " bytes) breaks the validation's promise\n";
      std::abort();
    }
    if ((*file)->find(t.name) != &t) {
      llvm::errs() << "safetensors: find('" << t.name
                   << "') does not return the tensor\n";
      std::abort();
    }
  }
  return 0;
}
