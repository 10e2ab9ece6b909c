//===- ToolMain.cpp - The prologue every attnc command-line tool shares ---===//

#include "tools/ToolMain.h"

#include "lowering/Pipelines.h"

#include "llvm/Support/WithColor.h"

using namespace attnc::tools;

ToolMain::ToolMain(int &argc, char **&argv, llvm::cl::OptionCategory &category,
                   llvm::StringRef overview)
    : init(argc, argv) {
  mlir::attn::registerLoweringCLOptions();
  llvm::cl::HideUnrelatedOptions(
      {&category, &mlir::attn::loweringOptionCategory()});
  llvm::cl::ParseCommandLineOptions(argc, argv, overview);
}

int attnc::tools::fail(llvm::StringRef tool, const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), tool) << message << "\n";
  return 1;
}
