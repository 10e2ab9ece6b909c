//===- PassOptionsFuzzer.cpp - libFuzzer target: pass pipeline options ----===//
//
// Parses the input as a textual pass pipeline (what attn-opt's
// --pass-pipeline and attnc's pipelines go through), with every pass and
// pipeline attnc registers: the options of attn-cpu-pipeline,
// attn-gpu-pipeline and the attn passes are parsed, and the pipelines built
// from them. The pipeline is printed back, which reads every option, but not
// run: running it is compilation, not parsing.
//
//===----------------------------------------------------------------------===//

#include "frontend/Nesting.h"
#include "lowering/Compile.h"
#include "test/fuzz/FuzzSupport.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const bool registered = [] {
    mlir::DialectRegistry registry;
    mlir::attn::registerCompilerDialects(registry);
    return true;
  }();
  (void)registered;
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  // MLIR's pipeline parser recurses once per nested pipeline, unguarded:
  // pipelines come from attn-opt's --pass-pipeline, a developer's command
  // line, not from files users get (test/fuzz/README.md). Deeper inputs
  // are skipped with the limit attnc applies to MLIR files.
  if (llvm::Error e = attnc::checkNesting(text, "pipeline", attnc::Syntax::Mlir)) {
    llvm::consumeError(std::move(e));
    return -1;
  }
  std::string errors;
  llvm::raw_string_ostream errorStream(errors);
  mlir::FailureOr<mlir::OpPassManager> pm =
      mlir::parsePassPipeline(text, errorStream);
  if (mlir::succeeded(pm)) {
    std::string printed;
    llvm::raw_string_ostream os(printed);
    pm->printAsTextualPipeline(os);
  }
  return 0;
}
