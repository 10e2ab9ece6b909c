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
// Code compiled for CUDA (CompileOptions::lowering.target) takes host
// tensors in run() too: the runtime copies them to the device and the
// results back. runOnDevice() skips the copies, for benchmarks and chained
// calls.
//
// Every failure comes back as an llvm::Error with a message; nothing aborts.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_MODULE_H
#define ATTNC_RUNTIME_MODULE_H

#include "lowering/Pipelines.h"
#include "runtime/Signature.h"
#include "runtime/Tensor.h"

#include "llvm/ADT/StringMap.h"

#include <functional>
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
  /// The entry point `run` calls when it is given no name; empty: the
  /// module's only public function, else the one called `forward`.
  std::string entry;
  mlir::attn::LoweringOptions lowering;
  /// Told what compilation is doing, step by step (for progress output on
  /// large models); may be empty.
  std::function<void(llvm::StringRef)> progress;
};

/// Compiled code and its entry points: every public function of the
/// module it was compiled from.
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

  /// Whether the code was compiled for CUDA; its entry points then take
  /// and return device memory.
  bool isCuda() const { return sigs.target == "cuda"; }

  /// Every entry point and the default one.
  const ModuleSignature &signatures() const { return sigs; }
  /// The default entry point's signature (the first entry's when there is
  /// no default).
  const Signature &signature() const;

  /// Runs the default entry point; see the other overload.
  llvm::Expected<std::vector<Tensor>> run(llvm::ArrayRef<Tensor> inputs) {
    return run("", inputs);
  }
  /// Runs the entry point `entry` (empty: the default one). Inputs are
  /// checked against its signature first; for a JIT-compiled function with
  /// dynamic sizes, the attn ops that read the inputs also re-verify with the actual sizes, so that inputs which
  /// disagree (a key batch unlike the query's, say) are an error instead of
  /// an out-of-bounds read.
  llvm::Expected<std::vector<Tensor>> run(llvm::StringRef entry,
                                          llvm::ArrayRef<Tensor> inputs);
  /// For a module compiled for CUDA: runs `entry` on tensors in device
  /// memory (see toDevice) and returns its results in device memory, which
  /// they free when the last copy dies. Returns when the results are ready.
  /// Shapes are checked, but indices in device memory cannot be read: that
  /// token ids lie inside their tables is the caller's promise here.
  llvm::Expected<std::vector<Tensor>>
  runOnDevice(llvm::StringRef entry, llvm::ArrayRef<Tensor> deviceInputs);

private:
  Module();
  /// The signature of `entry` after checking `inputs` against it (and
  /// against the attn ops, for dynamic sizes).
  llvm::Expected<const Signature &> checkedEntry(llvm::StringRef entry,
                                                 llvm::ArrayRef<Tensor> inputs);
  /// Calls the CUDA entry point `sig` on device tensors and reports the
  /// runtime's pending error.
  llvm::Expected<std::vector<Tensor>>
  callOnDevice(const Signature &sig, llvm::ArrayRef<Tensor> deviceInputs);
  /// Looks up every entry point's C interface with `lookup`.
  llvm::Error bindEntries(
      llvm::function_ref<void *(llvm::StringRef symbol)> lookup);
  /// Verifies the attn ops of the original `sig.function` with `inputs`'
  /// sizes.
  llvm::Error checkDynamicSizes(const Signature &sig,
                                llvm::ArrayRef<Tensor> inputs);

  ModuleSignature sigs;
  /// The `_mlir_ciface_` function of each entry, in `sigs.entries` order.
  std::vector<void *> entries;
  std::unique_ptr<mlir::ExecutionEngine> engine;
  void *library = nullptr;
  /// The module before lowering, in a context of its own, kept only when
  /// some entry has an input of dynamic size.
  std::unique_ptr<mlir::MLIRContext> checkContext;
  mlir::Operation *original = nullptr;
  /// Per entry, the input shapes `original` last verified with: repeated
  /// calls with the same sizes skip the re-verification.
  llvm::StringMap<std::vector<llvm::SmallVector<int64_t, 4>>> verifiedShapes;
};

/// A copy of the host tensor `host` in device memory: its data() is a
/// device pointer (not to be dereferenced on the host), freed with
/// cuda::free when the last copy dies. Fails when there is no CUDA device.
llvm::Expected<Tensor> toDevice(const Tensor &host);
/// A host copy of a tensor in device memory (from toDevice or runOnDevice).
llvm::Expected<Tensor> toHost(const Tensor &device);

} // namespace attnc

#endif // ATTNC_RUNTIME_MODULE_H
