//===- JitModule.h - JIT-compiling attnc code in the process -*- C++ -*-===//
//
// The compiler's C++ API: compile a model in the process and run it through
// the runtime's Module interface (runtime/Module.h):
//
//   auto m = attnc::JitModule::compileFile("model.mlir");
//   if (!m) { report(llvm::toString(m.takeError())); }
//   auto outputs = (*m)->run({q, k, v});
//
// Code compiled for CUDA (CompileOptions::lowering.target) takes host
// tensors in run() too, as a loaded library's does.
//
// JIT-compiled CPU code is kept in an on-disk cache (CompileOptions::cache,
// on by default; compiler/README.md, "Compile cache"): compiling the same
// input with the same options on the same CPU again loads it instead.
//
// Compilation reports llvm::Error; running reports the runtime's Status.
// Nothing aborts.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_COMPILER_JITMODULE_H
#define ATTNC_COMPILER_JITMODULE_H

#include "compiler/CompileCache.h"
#include "compiler/Interop.h"
#include "lowering/Pipelines.h"
#include "runtime/Module.h"

#include "llvm/ADT/StringMap.h"

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace llvm::orc {
class LLJIT;
} // namespace llvm::orc

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
  /// large models), and whether the compile cache had the code ("compile
  /// cache: hit PATH", "compile cache: miss PATH", "compile cache: stored
  /// PATH"); may be empty.
  std::function<void(llvm::StringRef)> progress;
  /// For compileFile of a model description (a .json file or a Hugging Face
  /// directory): `forward` also returns every layer's attention weights
  /// (frontend::ModelOptions::attentionMaps). Other inputs refuse it.
  bool attentionMaps = false;
  /// The on-disk compile cache: on, in defaultCacheDirectory(), unless
  /// this says otherwise. Code for CUDA is never cached.
  CacheOptions cache;
};

/// What the compile cache did for a JIT-compiled module.
enum class CacheUse {
  /// Not used: caching is off, the code is for CUDA, or the cache
  /// directory is unusable (a warning said so).
  Off,
  /// The code was loaded from the cache.
  Hit,
  /// The code was compiled, and stored in the cache (unless a warning said
  /// it could not be).
  Miss,
};

/// A module the JIT compiled: the runtime's Module, plus what the compiler
/// knows about it (the cache, the source before lowering).
class JitModule : public Module {
public:
  ~JitModule() override;

  /// JIT-compiles MLIR text in the attn dialect (and upstream dialects).
  /// Cached by the text.
  static llvm::Expected<std::unique_ptr<JitModule>>
  compileSource(llvm::StringRef source, const CompileOptions &options = {});
  /// JIT-compiles a `.mlir` file ("-": stdin), imports and compiles an
  /// `.onnx` model, or builds and compiles a model description (a `.json`
  /// file or a Hugging Face BERT directory). Cached by the contents of the
  /// files the frontend reads: the `.mlir` or `.onnx` file, or the
  /// description (or config.json) and its safetensors weights.
  static llvm::Expected<std::unique_ptr<JitModule>>
  compileFile(llvm::StringRef path, const CompileOptions &options = {});
  /// JIT-compiles an already parsed module; `module` is lowered in place.
  /// Cached by the module's bytecode (weights included), which costs one
  /// serialization of it.
  static llvm::Expected<std::unique_ptr<JitModule>>
  compile(mlir::ModuleOp module, const CompileOptions &options = {});

  /// Whether the compile cache had this module's code.
  CacheUse cacheUse() const { return cached; }
  /// The cache entry the code was loaded from or stored in (empty when the
  /// cache was not used).
  const std::string &cacheEntry() const { return cachePath; }
  /// The module as it was before lowering (every function, types and
  /// attributes) with its large constants, the weights, elided; for
  /// inspection (FLOP counts, say). Null when it cannot be parsed back.
  /// Parsed on first use.
  mlir::ModuleOp sourceModule();

protected:
  /// For a function with dynamic sizes, the attn ops that read the inputs
  /// re-verify with the actual sizes, so that inputs which disagree (a key
  /// batch unlike the query's, say) are an error instead of an
  /// out-of-bounds read.
  Status checkInputs(const Signature &signature,
                     Span<const Tensor> inputs) override;

private:
  JitModule();
  class Builder;
  friend class Builder;
  /// Verifies the attn ops of the original `sig.function` with `inputs`'
  /// sizes.
  llvm::Error checkDynamicSizes(const Signature &sig,
                                Span<const Tensor> inputs);
  /// Parses `originalText` into `original` (once).
  llvm::Error parseOriginal();

  /// CUDA code runs in MLIR's ExecutionEngine; CPU code, compiled to an
  /// object (or read from the cache), is linked by ORC's LLJIT.
  std::unique_ptr<mlir::ExecutionEngine> engine;
  std::unique_ptr<llvm::orc::LLJIT> jit;
  /// The function that runs the object's global destructors, if any.
  void (*finalizer)() = nullptr;
  CacheUse cached = CacheUse::Off;
  std::string cachePath;
  /// The module before lowering, printed with its large constants elided
  /// (verifiers read types, not values), and parsed in a context of its own
  /// when first needed: to re-verify dynamic sizes, or for sourceModule().
  std::string originalText;
  bool dynamicInputs = false;
  std::unique_ptr<mlir::MLIRContext> checkContext;
  mlir::Operation *original = nullptr;
  /// Per entry, the input shapes `original` last verified with: repeated
  /// calls with the same sizes skip the re-verification. Guarded by
  /// `checkMutex`, as the checks are: run() may be called from several
  /// threads.
  llvm::StringMap<std::vector<std::vector<int64_t>>> verifiedShapes;
  std::mutex checkMutex;
};

} // namespace attnc

#endif // ATTNC_COMPILER_JITMODULE_H
