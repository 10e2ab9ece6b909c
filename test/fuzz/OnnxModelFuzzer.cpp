//===- OnnxModelFuzzer.cpp - libFuzzer target: ONNX ModelProto ------------===//
//
// Imports the input as a serialized ONNX model (importOnnxBuffer), which
// parses the protobuf, resolves shapes and attributes, builds the IR and
// verifies it. The model is named as if it lay in an empty directory of its
// own, so external data it names is looked for there and never found.
//
//===----------------------------------------------------------------------===//

#include "frontend/OnnxImport.h"
#include "test/fuzz/FuzzSupport.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static attnc::fuzz::ContextCache contexts(
      [](mlir::MLIRContext &ctx) { attnc::frontend::loadImportedDialects(ctx); });
  static const std::string path =
      attnc::fuzz::scratchDirectory() + "/fuzz.onnx";
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  auto module = attnc::frontend::importOnnxBuffer(contexts.get(), bytes, path);
  attnc::fuzz::consume(module);
  return 0;
}
