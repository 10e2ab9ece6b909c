//===- NpyFuzzer.cpp - libFuzzer target: .npy files -----------------------===//
//
// Reads the input as a numpy .npy file (parseNpy, what attn-run and the
// Module API do with a .npy input).
//
//===----------------------------------------------------------------------===//

#include "runtime/Tensor.h"
#include "test/fuzz/FuzzSupport.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  auto tensor = attnc::parseNpy(bytes, "fuzz.npy");
  attnc::fuzz::consume(tensor);
  return 0;
}
