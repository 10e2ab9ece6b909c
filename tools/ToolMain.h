//===- ToolMain.h - The prologue every attnc command-line tool shares -*- C++ -*-===//

#ifndef ATTNC_TOOLS_TOOLMAIN_H
#define ATTNC_TOOLS_TOOLMAIN_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"

#include <string>

namespace attnc::tools {

/// What attnc and attn-run do first: LLVM's signal handlers and argument
/// handling (InitLLVM, kept alive as long as this object), the lowering
/// options (--cpu, --no-flash, ..., --progress), and the command line, with
/// --help showing only `category` and the lowering options.
class ToolMain {
public:
  ToolMain(int &argc, char **&argv, llvm::cl::OptionCategory &category,
           llvm::StringRef overview);

private:
  llvm::InitLLVM init;
};

/// Reports `message` as "TOOL: error: MESSAGE" on stderr and returns the
/// exit code for a failure (1).
int fail(llvm::StringRef tool, const llvm::Twine &message);

} // namespace attnc::tools

#endif // ATTNC_TOOLS_TOOLMAIN_H
