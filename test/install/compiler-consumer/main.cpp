//===- main.cpp - JIT-compiles a model through the installed compiler -----===//
//
// jit-model SOURCE: JIT-compiles Inputs/sdpa.mlir with attnc::JitModule,
// runs it and checks the result against a double-precision oracle.
//
//===----------------------------------------------------------------------===//

#include "Inputs/Sdpa.h"
#include "compiler/JitModule.h"

#include <cstdio>

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: jit-model SOURCE\n");
    return 2;
  }
  attnc::CompileOptions options;
  options.cache.enabled = false;
  llvm::Expected<std::unique_ptr<attnc::JitModule>> module =
      attnc::JitModule::compileFile(argv[1], options);
  if (!module) {
    std::fprintf(stderr, "%s\n", llvm::toString(module.takeError()).c_str());
    return 1;
  }
  return sdpa::runAndReport(**module, "compiler");
}
