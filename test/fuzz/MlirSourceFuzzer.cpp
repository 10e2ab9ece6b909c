//===- MlirSourceFuzzer.cpp - libFuzzer target: MLIR source ---------------===//
//
// Parses and verifies the input as MLIR text (attnc::parseSource, what attnc
// and attn-run do with a .mlir file), with the dialects attn IR is written
// in.
//
//===----------------------------------------------------------------------===//

#include "frontend/Input.h"
#include "frontend/OnnxImport.h"
#include "test/fuzz/FuzzSupport.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static attnc::fuzz::ContextCache contexts(
      [](mlir::MLIRContext &ctx) { attnc::frontend::loadImportedDialects(ctx); });
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  // parseSource collects the diagnostics into its error rather than
  // printing them, so nothing is printed per input.
  auto module = attnc::parseSource(contexts.get(), text, "fuzz.mlir");
  attnc::fuzz::consume(module);
  return 0;
}
