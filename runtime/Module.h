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
// JIT-compiled CPU code is kept in an on-disk cache (CompileOptions::cache,
// on by default; runtime/README.md, "Compile cache"): compiling the same
// input with the same options on the same CPU again loads it instead.
//
// Every failure comes back as an llvm::Error with a message; nothing aborts.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_MODULE_H
#define ATTNC_RUNTIME_MODULE_H

#include "lowering/Pipelines.h"
#include "runtime/CompileCache.h"
#include "runtime/Signature.h"
#include "runtime/Tensor.h"

#include "llvm/ADT/StringMap.h"

#include <functional>
#include <memory>
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
  /// Not used: caching is off, the code is for CUDA, the module came from
  /// Module::load, or the cache directory is unusable (a warning said so).
  Off,
  /// The code was loaded from the cache.
  Hit,
  /// The code was compiled, and stored in the cache (unless a warning said
  /// it could not be).
  Miss,
};

/// Compiled code and its entry points: every public function of the
/// module it was compiled from.
class Module {
public:
  ~Module();
  Module(const Module &) = delete;
  Module &operator=(const Module &) = delete;

  /// JIT-compiles MLIR text in the attn dialect (and upstream dialects).
  /// Cached by the text.
  static llvm::Expected<std::unique_ptr<Module>>
  compileSource(llvm::StringRef source, const CompileOptions &options = {});
  /// JIT-compiles a `.mlir` file ("-": stdin), imports and compiles an
  /// `.onnx` model, or builds and compiles a model description (a `.json`
  /// file or a Hugging Face BERT directory). Cached by the contents of the
  /// files the frontend reads: the `.mlir` or `.onnx` file, or the
  /// description (or config.json) and its safetensors weights.
  static llvm::Expected<std::unique_ptr<Module>>
  compileFile(llvm::StringRef path, const CompileOptions &options = {});
  /// JIT-compiles an already parsed module; `module` is lowered in place.
  /// Cached by the module's bytecode (weights included), which costs one
  /// serialization of it.
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

  /// Whether the compile cache had this module's code.
  CacheUse cacheUse() const { return cached; }
  /// The cache entry the code was loaded from or stored in (empty when the
  /// cache was not used).
  const std::string &cacheEntry() const { return cachePath; }
  /// For a JIT-compiled module: the module as it was before lowering (every
  /// function, types and attributes) with its large constants, the weights,
  /// elided; for inspection (FLOP counts, say). Null for a library from
  /// Module::load, or when it cannot be parsed back. Parsed on first use.
  mlir::ModuleOp sourceModule();

  /// Runs the default entry point; see the other overload.
  llvm::Expected<std::vector<Tensor>> run(llvm::ArrayRef<Tensor> inputs) {
    return run("", inputs);
  }
  /// Runs the entry point `entry` (empty: the default one). Inputs are
  /// checked against its signature first; for a JIT-compiled function with
  /// dynamic sizes, the attn ops that read the inputs also re-verify with the
  /// actual sizes, so that inputs which disagree (a key batch unlike the
  /// query's, say) are an error instead of an out-of-bounds read.
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
  class Builder;
  friend class Builder;
  /// The signature of `entry` after checking `inputs` against it (and
  /// against the attn ops, for dynamic sizes).
  llvm::Expected<const Signature &> checkedEntry(llvm::StringRef entry,
                                                 llvm::ArrayRef<Tensor> inputs);
  /// Calls the CUDA entry point `sig` on device tensors and reports the
  /// runtime's pending error.
  llvm::Expected<std::vector<Tensor>>
  callOnDevice(const Signature &sig, llvm::ArrayRef<Tensor> deviceInputs);
  /// Looks up every entry point's C interface with `lookup`.
  llvm::Error
  bindEntries(llvm::function_ref<void *(llvm::StringRef symbol)> lookup);
  /// Verifies the attn ops of the original `sig.function` with `inputs`'
  /// sizes.
  llvm::Error checkDynamicSizes(const Signature &sig,
                                llvm::ArrayRef<Tensor> inputs);
  /// Parses `originalText` into `original` (once).
  llvm::Error parseOriginal();

  ModuleSignature sigs;
  /// The `_mlir_ciface_` function of each entry, in `sigs.entries` order.
  std::vector<void *> entries;
  /// CUDA code runs in MLIR's ExecutionEngine; CPU code, compiled to an
  /// object (or read from the cache), is linked by ORC's LLJIT.
  std::unique_ptr<mlir::ExecutionEngine> engine;
  std::unique_ptr<llvm::orc::LLJIT> jit;
  /// The function that runs the object's global destructors, if any.
  void (*finalizer)() = nullptr;
  void *library = nullptr;
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
