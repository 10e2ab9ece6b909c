//===- main.cpp - Runs an attnc library through the installed runtime -----===//
//
// run-model LIBRARY: loads a library that `attnc --emit=shared` built from
// Inputs/sdpa.mlir, runs it on deterministic inputs and checks the result
// against a double-precision oracle.
//
//===----------------------------------------------------------------------===//

#include "Inputs/Sdpa.h"
#include "runtime/Module.h"

#include <cstdio>

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: run-model LIBRARY\n");
    return 2;
  }
  attnc::Result<std::unique_ptr<attnc::Module>> module =
      attnc::Module::load(argv[1]);
  if (!module) {
    std::fprintf(stderr, "%s\n", module.status().message().c_str());
    return 1;
  }
  // A wrong input is an error with a message, not a crash.
  attnc::Result<std::vector<attnc::Tensor>> bad =
      (*module)->run({sdpa::inputs()[0]});
  std::printf("one input: %s\n",
              bad ? "ran" : bad.status().message().c_str());
  return sdpa::runAndReport(**module, "runtime");
}
