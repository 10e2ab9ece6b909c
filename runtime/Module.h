//===- Module.h - Compiled attnc code and its entry points -*- C++ -*-===//
//
// The C++ API of attnc's runtime, for programs that run models compiled
// ahead of time; it needs nothing from the compiler, MLIR or LLVM:
//
//   auto m = attnc::Module::load("libmodel.so");   // from `attnc --emit=shared`
//   if (!m) { report(m.status().message()); }
//   auto outputs = (*m)->run({q, k, v});
//
// The compiler's JIT (compiler/JitModule.h) makes Modules too, from source.
//
// Code compiled for CUDA takes host tensors in run() too: the runtime copies
// them to the device and the results back. runOnDevice() skips the copies,
// for benchmarks and chained calls.
//
// Every failure comes back as a Status with a message; nothing aborts.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_MODULE_H
#define ATTNC_RUNTIME_MODULE_H

#include "runtime/Signature.h"
#include "runtime/Tensor.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace attnc {

/// Compiled code and its entry points: every public function of the
/// module it was compiled from.
class Module {
public:
  virtual ~Module();
  Module(const Module &) = delete;
  Module &operator=(const Module &) = delete;

  /// Loads a shared library built by `attnc --emit=shared`.
  static Result<std::unique_ptr<Module>> load(const std::string &sharedLibrary);

  /// Whether the code was compiled for CUDA; its entry points then take
  /// and return device memory.
  bool isCuda() const { return sigs.target == "cuda"; }

  /// Every entry point and the default one.
  const ModuleSignature &signatures() const { return sigs; }
  /// The default entry point's signature (the first entry's when there is
  /// no default).
  const Signature &signature() const;

  /// Runs the default entry point; see the other overload.
  Result<std::vector<Tensor>> run(Span<const Tensor> inputs) {
    return run("", inputs);
  }
  /// Runs the entry point `entry` (empty: the default one). Inputs are
  /// checked against its signature first (and by checkInputs).
  Result<std::vector<Tensor>> run(std::string_view entry,
                                  Span<const Tensor> inputs);
  /// For a module compiled for CUDA: runs `entry` on tensors in device
  /// memory (see toDevice) and returns its results in device memory, which
  /// they free when the last copy dies. Returns when the results are ready.
  /// Shapes are checked, but indices in device memory cannot be read: that
  /// token ids lie inside their tables is the caller's promise here.
  Result<std::vector<Tensor>> runOnDevice(std::string_view entry,
                                          Span<const Tensor> deviceInputs);

protected:
  Module();
  /// Checks inputs beyond what the signature says, before a call: the
  /// JIT re-verifies the attn ops with dynamic sizes (compiler/JitModule.h).
  /// The default accepts them.
  virtual Status checkInputs(const Signature &signature,
                             Span<const Tensor> inputs);
  /// Looks up every entry point's C interface (`_mlir_ciface_<function>`)
  /// with `lookup`, in `sigs.entries` order.
  Status bindEntries(const std::function<void *(const std::string &)> &lookup);

  ModuleSignature sigs;

private:
  /// The signature of `entry` after checking `inputs` against it.
  Result<const Signature &> checkedEntry(std::string_view entry,
                                         Span<const Tensor> inputs);
  /// Calls the CUDA entry point `sig` on device tensors and reports the
  /// runtime's pending error.
  Result<std::vector<Tensor>> callOnDevice(const Signature &sig,
                                           Span<const Tensor> deviceInputs);

  /// The `_mlir_ciface_` function of each entry, in `sigs.entries` order.
  std::vector<void *> entries;
  /// The library from load(), closed last.
  void *library = nullptr;
};

/// A copy of the host tensor `host` in device memory: its data() is a
/// device pointer (not to be dereferenced on the host), freed with
/// cuda::free when the last copy dies. Fails when there is no CUDA device.
Result<Tensor> toDevice(const Tensor &host);
/// A host copy of a tensor in device memory (from toDevice or runOnDevice).
Result<Tensor> toHost(const Tensor &device);

/// The path of the shared object (or executable) that holds `address`, a
/// function or variable of it, from dladdr; empty when unknown.
std::string pathOfObjectContaining(const void *address);

/// The file libattnc_cuda_runtime.so was loaded from: what code compiled
/// for CUDA resolves its mgpu* calls against. $ATTNC_CUDA_RUNTIME
/// overrides it; otherwise it is the copy this process already has (the
/// runtime links it), wherever the installation put it.
std::string cudaRuntimeLibrary();

} // namespace attnc

#endif // ATTNC_RUNTIME_MODULE_H
