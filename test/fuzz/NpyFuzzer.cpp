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
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char *>(data), size);
  // A failed parse is an ordinary outcome; the runtime's Result needs no
  // consuming.
  (void)attnc::parseNpy(bytes, "fuzz.npy");
  return 0;
}
