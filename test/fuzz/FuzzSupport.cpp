//===- FuzzSupport.cpp - What the libFuzzer targets share -----------------===//

#include "test/fuzz/FuzzSupport.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace attnc::fuzz;

ContextCache::ContextCache(
    std::function<void(mlir::MLIRContext &)> setup,
    unsigned inputsPerContext)
    : setup(std::move(setup)), inputsPerContext(inputsPerContext) {}

mlir::MLIRContext &ContextCache::get() {
  if (!ctx || ++uses >= inputsPerContext) {
    uses = 0;
    // One thread: the inputs are small, and a thread pool per context would
    // cost more than they do.
    ctx = std::make_unique<mlir::MLIRContext>(
        mlir::MLIRContext::Threading::DISABLED);
    setup(*ctx);
  }
  return *ctx;
}

const std::string &attnc::fuzz::scratchDirectory() {
  static const std::string dir = [] {
    llvm::SmallString<128> path;
    if (std::error_code ec =
            llvm::sys::fs::createUniqueDirectory("attnc-fuzz", path)) {
      llvm::errs() << "cannot create a scratch directory: " << ec.message()
                   << "\n";
      std::abort();
    }
    std::string result = path.str().str();
    // Files the targets leave behind go with the directory; libFuzzer ends
    // with exit(), so atexit handlers run.
    static std::string toRemove = result;
    std::atexit([] { (void)llvm::sys::fs::remove_directories(toRemove); });
    return result;
  }();
  return dir;
}

void attnc::fuzz::writeFileOrDie(llvm::StringRef path, llvm::StringRef bytes) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (!ec) {
    os << bytes;
    os.close();
    ec = os.error();
  }
  if (ec) {
    llvm::errs() << "cannot write " << path << ": " << ec.message() << "\n";
    std::abort();
  }
}
