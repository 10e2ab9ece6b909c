//===- ModelDescriptionFuzzer.cpp - libFuzzer target: model descriptions --===//
//
// Input: a JSON model description, a NUL byte, then a safetensors file (no
// NUL: all description, no weights). The description is parsed
// (parseModelDescription); when it parses, the model is built
// (buildModel) with the weights from the second part, which are written to
// this process's scratch directory since buildModel reads a file. Whatever
// file the description names, the weights are that one, so that no input
// reads files of the machine it runs on.
//
//===----------------------------------------------------------------------===//

#include "frontend/Model.h"
#include "frontend/OnnxImport.h"
#include "test/fuzz/FuzzSupport.h"

#include <cstddef>
#include <cstdint>

using attnc::frontend::ModelDescription;

namespace {

/// Whether `d` fits the fuzzer's memory (libFuzzer's -rss_limit_mb, 2 GB):
/// attnc accepts a position table (max_length x d_model, built in memory
/// before any weight is read) of up to 2^31 elements (frontend/README.md,
/// "Limits"), 8 GB in f32, which real models may need but a fuzzer must not
/// allocate on every input.
bool fitsTheFuzzer(const ModelDescription &d) {
  return d.positional == attnc::frontend::Positional::None ||
         d.maxLength * d.dModel <= (int64_t(1) << 24);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static attnc::fuzz::ContextCache contexts(
      [](mlir::MLIRContext &ctx) { attnc::frontend::loadImportedDialects(ctx); });
  static const std::string descriptionPath =
      attnc::fuzz::scratchDirectory() + "/model.json";
  static const std::string weightsPath =
      attnc::fuzz::scratchDirectory() + "/model.safetensors";

  llvm::StringRef input(reinterpret_cast<const char *>(data), size);
  auto [json, weights] = input.split('\0');

  auto description =
      attnc::frontend::parseModelDescription(json, descriptionPath);
  if (!description) {
    llvm::consumeError(description.takeError());
    return 0;
  }
  if (!fitsTheFuzzer(*description))
    return 0;
  description->weights = weightsPath;
  attnc::fuzz::writeFileOrDie(weightsPath, weights);
  auto module = attnc::frontend::buildModel(contexts.get(), *description);
  attnc::fuzz::consume(module);
  return 0;
}
