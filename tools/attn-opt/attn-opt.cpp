//===- attn-opt.cpp - mlir-opt with the attn dialect registered -----------===//
//
// The driver for attnc's lit tests: it parses, verifies, transforms and prints
// IR that mixes attn with the upstream dialects that attn lowers through.
//
//===----------------------------------------------------------------------===//

#include "frontend/Nesting.h"
#include "lowering/Compile.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"

int main(int argc, char **argv) {
  // The registrations attnc and the JIT use: attn lowers through linalg,
  // tensor, scf, vector, gpu, nvgpu, LLVM and the transform dialect, and
  // tests exercise pipelines across all of them.
  mlir::DialectRegistry registry;
  mlir::attn::registerCompilerDialects(registry);
  auto [input, output] = mlir::registerAndParseCLIOptions(
      argc, argv, "attnc optimizer driver\n", registry);
  // What would crash MLIR's parser gets an error first: nesting too deep
  // for its recursion, and malformed linalg arrays (frontend/Nesting.h).
  // (Standard input is read once, by MlirOptMain, and is not checked.)
  if (input != "-") {
    if (auto buffer = llvm::MemoryBuffer::getFile(input)) {
      llvm::StringRef text = (*buffer)->getBuffer();
      llvm::Error e = attnc::checkNesting(text, input, attnc::Syntax::Mlir);
      if (!e)
        e = attnc::checkLinalgArrays(text, input);
      if (e) {
        llvm::WithColor::error(llvm::errs(), "attn-opt")
            << toString(std::move(e)) << "\n";
        return EXIT_FAILURE;
      }
    }
  }
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, input, output, registry));
}
