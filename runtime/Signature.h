//===- Signature.h - The tensor signature of a compiled entry point -*- C++ -*-===//

#ifndef ATTNC_RUNTIME_SIGNATURE_H
#define ATTNC_RUNTIME_SIGNATURE_H

#include "runtime/Json.h"
#include "runtime/Tensor.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace attnc {

/// One argument or result: element type, shape (-1 where dynamic) and the
/// name users know it by (an ONNX graph name, or "arg0"/"result0").
struct TensorSpec {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::string name;
  /// Inputs only. Per dimension, the largest size the compiled code handles
  /// (-1: any), or empty: a model's position table bounds its sequence
  /// length, and longer inputs would read past it.
  std::vector<int64_t> maxShape;
  /// Inputs only. When positive, every element must lie in [0, indexBound):
  /// the input indexes a table of that many rows (token ids).
  int64_t indexBound = 0;
  /// Inputs only. Per dimension, the name of a size that several inputs
  /// share ("" where none), or empty: dimensions of the same name must have
  /// the same size in every input, since the compiled code reads them with
  /// one size (a mask as long as its tokens, a key cache as long as its
  /// value cache).
  std::vector<std::string> dimNames;
};

/// The tensors a compiled function takes and returns, in order.
struct Signature {
  std::string function;
  std::vector<TensorSpec> inputs, outputs;

  /// The JSON object `attnc_signature` holds for this entry.
  std::string toJson() const;
  static Result<Signature> fromJson(const json::Value &json);

  /// Checks the count, dtypes and shapes (size limits and shared sizes too)
  /// of `inputs` against the signature; the error names the input.
  Status check(Span<const Tensor> inputs) const;
  /// A dimension whose size an earlier input names first (dimNames): input
  /// `input`'s dimension `dim` must equal `firstInput`'s `firstDim`.
  struct SharedSize {
    size_t input, dim, firstInput, firstDim;
  };
  /// Every such dimension, in input order; check() and the C header's
  /// wrappers (tools/attnc/CHeader.cpp) test these.
  std::vector<SharedSize> sharedSizes() const;
  /// Checks that inputs with an index bound hold only indices inside it.
  /// It reads the elements, so `inputs` must be in host memory.
  Status checkIndices(Span<const Tensor> inputs) const;
};

/// Every entry point of a compiled module. `defaultEntry` names the one that
/// runs when the caller names none (empty: there is no default, because the
/// module has several entry points and none is called `forward`). Compiled
/// libraries carry it as JSON in the symbol `attnc_signature`.
struct ModuleSignature {
  std::vector<Signature> entries;
  std::string defaultEntry;
  /// What the code was compiled for: "cpu" (tensors in host memory) or
  /// "cuda" (entry points take and return device memory; see
  /// lowering/README.md). Absent from older libraries' JSON: "cpu".
  std::string target = "cpu";

  /// The JSON text compiled libraries carry: this file is the format's one
  /// definition, read and written here.
  std::string toJson() const;
  static Result<ModuleSignature> fromJson(std::string_view json);

  /// The entry called `name`, or the default one when `name` is empty; the
  /// error lists the entry points there are.
  Result<const Signature &> find(std::string_view name) const;
};

/// Calls `_mlir_ciface_<function>` at `fn` with `inputs`, which must have
/// passed `signature.check`, and returns the results, which own memory that
/// the compiled code allocated. `release` frees that memory (null:
/// std::free; code compiled for CUDA returns device memory, which the
/// runtime frees with cuda::free).
Result<std::vector<Tensor>>
invokeEntry(void *fn, const Signature &signature, Span<const Tensor> inputs,
            std::function<void(void *)> release = nullptr);

} // namespace attnc

#endif // ATTNC_RUNTIME_SIGNATURE_H
