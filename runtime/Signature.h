//===- Signature.h - The tensor signature of a compiled entry point -*- C++ -*-===//

#ifndef ATTNC_RUNTIME_SIGNATURE_H
#define ATTNC_RUNTIME_SIGNATURE_H

#include "runtime/Tensor.h"

#include <string>
#include <vector>

namespace attnc {

/// One argument or result: element type, shape (-1 where dynamic) and the
/// name users know it by (an ONNX graph name, or "arg0"/"result0").
struct TensorSpec {
  DType dtype = DType::F32;
  llvm::SmallVector<int64_t, 4> shape;
  std::string name;
};

/// The tensors a compiled function takes and returns, in order. Compiled
/// libraries carry it as JSON in the symbol `attnc_signature`.
struct Signature {
  std::string function;
  std::vector<TensorSpec> inputs, outputs;

  std::string toJson() const;
  static llvm::Expected<Signature> fromJson(llvm::StringRef json);

  /// Checks `inputs` against the signature; the error names the input.
  llvm::Error check(llvm::ArrayRef<Tensor> inputs) const;
};

/// Calls `_mlir_ciface_<function>` at `fn` with `inputs`, which must have
/// passed `signature.check`, and returns the results, which own memory that
/// the compiled code allocated.
llvm::Expected<std::vector<Tensor>> invokeEntry(void *fn,
                                                const Signature &signature,
                                                llvm::ArrayRef<Tensor> inputs);

} // namespace attnc

#endif // ATTNC_RUNTIME_SIGNATURE_H
