//===- Module.h - Compiled attnc code: JIT-compiled or loaded from a .so -*- C++
//-*-===//
//
// The C++ API of attnc's runtime:
//
//   auto m = attnc::Module::compileFile("model.mlir");   // JIT
//   auto m = attnc::Module::load("libmodel.so");         // from `attnc`
//   if (!m) { report(llvm::toString(m.takeError())); }
//   auto outputs = (*m)->run({q, k, v});
//
// Every failure comes back as an llvm::Error with a message; nothing aborts.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_MODULE_H
#define ATTNC_RUNTIME_MODULE_H

#include "lowering/Pipelines.h"
#include "runtime/Signature.h"
#include "runtime/Tensor.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir {
class ExecutionEngine;
class MLIRContext;
class ModuleOp;
class Operation;
} // namespace mlir

namespace attnc {

/// How to JIT-compile a module.
struct CompileOptions {
  /// The function to run; empty: the module's only public function.
  std::string entry;
  mlir::attn::LoweringOptions lowering;
};

/// One compiled entry point and the code that holds it.
class Module {
public:
  ~Module();
  Module(const Module &) = delete;
  Module &operator=(const Module &) = delete;

  /// JIT-compiles MLIR text in the attn dialect (and upstream dialects).
  static llvm::Expected<std::unique_ptr<Module>>
  compileSource(llvm::StringRef source, const CompileOptions &options = {});
  /// JIT-compiles a `.mlir` file or imports and compiles an `.onnx` model.
  static llvm::Expected<std::unique_ptr<Module>>
  compileFile(llvm::StringRef path, const CompileOptions &options = {});
  /// JIT-compiles an already parsed module; `module` is lowered in place.
  static llvm::Expected<std::unique_ptr<Module>>
  compile(mlir::ModuleOp module, const CompileOptions &options = {});
  /// Loads a shared library built by `attnc --emit=shared`.
  static llvm::Expected<std::unique_ptr<Module>>
  load(llvm::StringRef sharedLibrary);

  /// The inputs it takes and the outputs it returns.
  const Signature &signature() const { return sig; }

  /// Runs the entry point. Inputs are checked against the signature first;
  /// for a JIT-compiled function with dynamic sizes, the attn ops that read
  /// the inputs also re-verify with the actual sizes, so that inputs which
  /// disagree (a key batch unlike the query's, say) are an error instead of
  /// an out-of-bounds read.
  llvm::Expected<std::vector<Tensor>> run(llvm::ArrayRef<Tensor> inputs);

private:
  Module();
  /// Verifies the attn ops of the original function with `inputs`' sizes.
  llvm::Error checkDynamicSizes(llvm::ArrayRef<Tensor> inputs);

  Signature sig;
  void *entry = nullptr;
  std::unique_ptr<mlir::ExecutionEngine> engine;
  void *library = nullptr;
  /// The function before lowering, in a context of its own, kept only when
  /// some input size is dynamic.
  std::unique_ptr<mlir::MLIRContext> checkContext;
  mlir::Operation *original = nullptr;
  /// The input shapes `original` last verified with: repeated calls with
  /// the same sizes skip the re-verification.
  std::vector<llvm::SmallVector<int64_t, 4>> verifiedShapes;
};

} // namespace attnc

#endif // ATTNC_RUNTIME_MODULE_H
