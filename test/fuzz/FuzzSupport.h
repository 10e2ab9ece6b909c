//===- FuzzSupport.h - What the libFuzzer targets share ---------*- C++ -*-===//
//
// The fuzz targets (test/fuzz/README.md) keep one MLIR context and one
// scratch directory per process: building either per input would cost more
// than the parsing they exist to exercise.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TEST_FUZZ_FUZZSUPPORT_H
#define ATTNC_TEST_FUZZ_FUZZSUPPORT_H

#include "mlir/IR/MLIRContext.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace attnc::fuzz {

/// An MLIR context for one input. The same context serves many inputs (a
/// fresh one per input would dominate the run time), but it is replaced every
/// `inputsPerContext` inputs: uniqued attributes and resource blobs live as
/// long as the context, and a context kept for a million inputs would grow
/// without bound. `setup` prepares each new context (loads dialects).
class ContextCache {
public:
  ContextCache(std::function<void(mlir::MLIRContext &)> setup,
               unsigned inputsPerContext = 1000);
  mlir::MLIRContext &get();

private:
  std::function<void(mlir::MLIRContext &)> setup;
  unsigned inputsPerContext, uses = 0;
  std::unique_ptr<mlir::MLIRContext> ctx;
};

/// A directory of this process's own, made on first use and removed at exit,
/// for targets whose parser reads files beside its input.
const std::string &scratchDirectory();

/// Writes `bytes` to `path`, replacing it; aborts if it cannot, since a
/// fuzzer that silently stops writing its inputs tests nothing.
void writeFileOrDie(llvm::StringRef path, llvm::StringRef bytes);

/// Consumes the result of a parse that may fail; a failed parse is an
/// ordinary outcome for a fuzzer.
template <typename T> void consume(llvm::Expected<T> &result) {
  if (!result)
    llvm::consumeError(result.takeError());
}

} // namespace attnc::fuzz

#endif // ATTNC_TEST_FUZZ_FUZZSUPPORT_H
