//===- TensorProtoFuzzer.cpp - libFuzzer target: ONNX TensorProto ---------===//
//
// Reads the input as a serialized ONNX TensorProto (parseTensorProto, what
// attn-run does with a .pb input).
//
//===----------------------------------------------------------------------===//

#include "frontend/OnnxImport.h"
#include "test/fuzz/FuzzSupport.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  auto tensor = attnc::frontend::parseTensorProto(bytes, "fuzz.pb");
  attnc::fuzz::consume(tensor);
  return 0;
}
