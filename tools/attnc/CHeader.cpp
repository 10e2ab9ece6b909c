//===- CHeader.cpp - The C header that attnc writes for a compiled entry --===//

#include "tools/attnc/CHeader.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace attnc;

/// Whether `name` can be spelled in C: the wrapper and the ciface prototype
/// are named after it.
static bool isCIdentifier(llvm::StringRef name) {
  if (name.empty() || llvm::isDigit(name.front()))
    return false;
  return llvm::all_of(
      name, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

/// `text` made safe inside a C block comment: ONNX names are arbitrary.
static std::string commentSafe(llvm::StringRef text) {
  std::string out;
  for (char c : text) {
    if (c == '/' && !out.empty() && out.back() == '*')
      out.push_back(' ');
    out.push_back(llvm::isPrint(c) ? c : '?');
  }
  return out;
}

/// The C type that holds one element of `type`, for the comment.
static llvm::StringRef cElementType(DType type) {
  switch (type) {
  case DType::F32:
    return "float";
  case DType::F64:
    return "double";
  case DType::F16:
  case DType::BF16:
    return "uint16_t bits";
  case DType::I1:
    return "uint8_t 0/1";
  case DType::I8:
    return "int8_t";
  case DType::I32:
    return "int32_t";
  case DType::I64:
    return "int64_t";
  }
  return "?";
}

/// "{1, 4, 128, 64}", a C initializer.
static std::string initializer(llvm::ArrayRef<int64_t> shape) {
  std::string s = "{";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(d);
  return s + "}";
}

/// The part every generated header shares, guarded so that headers for
/// several libraries can be included in one translation unit.
static const char *const kCommonPart = R"(/* Shared by every header that attnc writes. */
#ifndef ATTNC_TENSOR_TYPES
#define ATTNC_TENSOR_TYPES
#define ATTNC_MAX_RANK 8

/* An input: `data` points at its first element, `shape` at its rank
 * dimensions (NULL: the signature's shape, when that is fully static). */
typedef struct {
  const void *data;
  const int64_t *shape;
} attnc_tensor_in;

/* An output: `data` points at its first element and `shape` holds its
 * dimensions (0 past its rank). `allocation` is the memory the compiled code
 * malloc'd for it, NULL when an earlier output of the same call owns it. */
typedef struct {
  void *data;
  int64_t shape[ATTNC_MAX_RANK];
  void *allocation;
} attnc_tensor_out;

/* Releases an output's memory. */
static inline void attnc_free(attnc_tensor_out *t) {
  free(t->allocation);
  t->allocation = NULL;
  t->data = NULL;
}

/* Whether `shape` agrees with the signature's `expected` (-1: any size). */
static inline int attnc_shape_ok(const int64_t *shape, const int64_t *expected,
                                 int rank) {
  int i;
  for (i = 0; i < rank; ++i)
    if (shape[i] < 0 || (expected[i] >= 0 && shape[i] != expected[i]))
      return 0;
  return 1;
}

/* Fills a descriptor's sizes and dense row-major strides. */
static inline void attnc_row_major(const int64_t *shape, int rank,
                                   int64_t *sizes, int64_t *strides) {
  int64_t stride = 1;
  int i;
  for (i = rank - 1; i >= 0; --i) {
    sizes[i] = shape[i];
    strides[i] = stride;
    stride *= shape[i];
  }
}

/* Fills an output from the descriptor the compiled code returned. */
static inline void attnc_set_output(attnc_tensor_out *out, void *allocated,
                                    void *aligned, int64_t offset,
                                    int64_t element_bytes,
                                    const int64_t *sizes, int rank) {
  int i;
  out->allocation = allocated;
  out->data = (char *)aligned + offset * element_bytes;
  for (i = 0; i < ATTNC_MAX_RANK; ++i)
    out->shape[i] = i < rank ? sizes[i] : 0;
}

/* Leaves each allocation to one output: results may share a buffer, and a
 * result that is an input's buffer belongs to the caller. */
static inline void attnc_own_once(attnc_tensor_out *outputs, int count,
                                  const attnc_tensor_in *inputs,
                                  int num_inputs) {
  int i, j;
  for (i = 0; i < count; ++i) {
    for (j = 0; j < i; ++j)
      if (outputs[j].allocation == outputs[i].allocation)
        outputs[i].allocation = NULL;
    for (j = 0; j < num_inputs; ++j)
      if (inputs[j].data == outputs[i].allocation)
        outputs[i].allocation = NULL;
  }
}
#endif /* ATTNC_TENSOR_TYPES */
)";

llvm::Expected<std::string> attnc::emitCHeader(const Signature &sig,
                                               llvm::StringRef source) {
  const std::string &fn = sig.function;
  if (!isCIdentifier(fn))
    return llvm::createStringError(
        "--header: @" + fn +
        " is not a C identifier; rename it or make it private");
  for (const TensorSpec &spec : sig.outputs)
    if (spec.shape.size() > kHeaderMaxRank)
      return llvm::createStringError(llvm::formatv(
          "--header: output '{0}' of @{1} has rank {2}; the header holds "
          "ranks up to {3}",
          spec.name, fn, spec.shape.size(), kHeaderMaxRank));

  std::string text;
  llvm::raw_string_ostream os(text);
  std::string upper = llvm::StringRef(fn).upper();
  size_t numIn = sig.inputs.size(), numOut = sig.outputs.size();

  // The comment block: what the library computes on what.
  size_t nameWidth = 4;
  for (const auto *list : {&sig.inputs, &sig.outputs})
    for (const TensorSpec &s : *list)
      nameWidth = std::max(nameWidth, commentSafe(s.name).size());
  os << "/* C interface to @" << fn << ", generated by attnc from "
     << commentSafe(source) << ".\n"
     << " *\n"
     << " * Link the shared library that `attnc --emit=shared` built from the "
        "same\n"
     << " * model; this header needs only the C standard library.\n"
     << " *\n"
     << " * Signature of @" << fn << " (-1: dynamic, any size at run time):\n";
  auto describe = [&](llvm::StringRef kind, size_t i, const TensorSpec &s) {
    os << llvm::formatv(" *   {0} {1,-2} {2} {3,-5} {4}\n", kind, i,
                        llvm::left_justify(commentSafe(s.name), nameWidth),
                        dtypeName(s.dtype), shapeString(s.shape));
  };
  for (auto [i, s] : llvm::enumerate(sig.inputs))
    describe("input ", i, s);
  for (auto [i, s] : llvm::enumerate(sig.outputs))
    describe("output", i, s);
  os << " *\n"
     << " * Tensors are dense and row-major. Elements:";
  llvm::SmallVector<DType> seen;
  for (const auto *list : {&sig.inputs, &sig.outputs})
    for (const TensorSpec &s : *list)
      if (!llvm::is_contained(seen, s.dtype)) {
        seen.push_back(s.dtype);
        os << (seen.size() > 1 ? "," : "") << " " << dtypeName(s.dtype)
           << " as " << cElementType(s.dtype);
      }
  os << ".\n */\n";

  os << "#ifndef ATTNC_ENTRY_" << upper << "_H\n"
     << "#define ATTNC_ENTRY_" << upper << "_H\n\n"
     << "#include <stddef.h>\n#include <stdint.h>\n#include <stdlib.h>\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     << kCommonPart << "\n";

  // One MLIR memref descriptor struct per rank in use.
  llvm::SmallVector<size_t> ranks;
  for (const auto *list : {&sig.inputs, &sig.outputs})
    for (const TensorSpec &s : *list)
      if (!llvm::is_contained(ranks, s.shape.size()))
        ranks.push_back(s.shape.size());
  llvm::sort(ranks);
  os << "/* MLIR memref descriptors: what the compiled code takes and "
        "returns. */\n";
  for (size_t r : ranks) {
    os << "#ifndef ATTNC_MEMREF" << r << "\n#define ATTNC_MEMREF" << r
       << "\ntypedef struct {\n  void *allocated;\n  void *aligned;\n"
       << "  int64_t offset;\n";
    // A rank-0 descriptor has no sizes or strides; C has no empty arrays.
    if (r)
      os << "  int64_t sizes[" << r << "];\n  int64_t strides[" << r
         << "];\n";
    os << "} attnc_memref" << r << ";\n#endif\n";
  }
  os << "\n";

  // The raw C-interface entry point: a pointer to the results (all
  // descriptors back to back), then one descriptor pointer per input.
  std::vector<std::string> params;
  if (numOut) {
    os << "/* The results of @" << fn << ", in order. */\ntypedef struct {\n";
    for (auto [i, s] : llvm::enumerate(sig.outputs))
      os << "  attnc_memref" << s.shape.size() << " r" << i << ";\n";
    os << "} attnc_" << fn << "_results;\n\n";
    params.push_back("attnc_" + fn + "_results *results");
  }
  for (auto [i, s] : llvm::enumerate(sig.inputs))
    params.push_back(llvm::formatv("attnc_memref{0} *in{1}", s.shape.size(), i)
                         .str());
  os << "/* The entry point in the library. */\n"
     << "void _mlir_ciface_" << fn << "("
     << (params.empty() ? "void" : llvm::join(params, ", ")) << ");\n\n";

  // The wrapper.
  os << "#define ATTNC_" << upper << "_NUM_INPUTS " << numIn << "\n"
     << "#define ATTNC_" << upper << "_NUM_OUTPUTS " << numOut << "\n\n"
     << "/* Runs @" << fn << " on inputs[0.." << numIn << ") and fills outputs[0.."
     << numOut << ");\n"
     << " * release each output with attnc_free. Returns 0, or i + 1 when the "
        "shape\n"
     << " * of input i disagrees with the signature, exceeds the model's "
        "limits, differs\n"
     << " * from an earlier input's in a size they share, or holds an index "
        "outside\n"
     << " * its table (and then runs nothing). */\n"
     << "static inline int attnc_run_" << fn
     << "(const attnc_tensor_in *inputs,\n"
     << "    attnc_tensor_out *outputs) {\n";
  if (numOut)
    os << "  attnc_" << fn << "_results results;\n";
  for (auto [i, s] : llvm::enumerate(sig.inputs)) {
    size_t r = s.shape.size();
    os << "  attnc_memref" << r << " in" << i << ";\n";
    if (r)
      os << "  static const int64_t expected" << i << "[" << r
         << "] = " << initializer(s.shape) << ";\n";
  }
  if (!numIn)
    os << "  (void)inputs;\n";
  if (!numOut)
    os << "  (void)outputs;\n";
  for (auto [i, s] : llvm::enumerate(sig.inputs)) {
    size_t r = s.shape.size();
    // The compiled code only reads its inputs; the round trip through
    // uintptr_t drops the const without -Wcast-qual warnings.
    os << llvm::formatv("  in{0}.allocated = in{0}.aligned =\n"
                        "      (void *)(uintptr_t)inputs[{0}].data;\n"
                        "  in{0}.offset = 0;\n",
                        i);
    if (!r)
      continue;
    // A NULL shape falls back to the signature's; attnc_shape_ok rejects it
    // when that has dynamic dimensions.
    os << llvm::formatv(
        "  if (!attnc_shape_ok(inputs[{0}].shape ? inputs[{0}].shape : "
        "expected{0},\n"
        "                      expected{0}, {1}))\n"
        "    return {2};\n"
        "  attnc_row_major(inputs[{0}].shape ? inputs[{0}].shape : "
        "expected{0}, {1},\n"
        "                  in{0}.sizes, in{0}.strides);\n",
        i, r, i + 1);
    // The limits the runtime checks too (runtime/Signature.h): past them the
    // compiled code would read outside a model's tables. A static size was
    // checked just above.
    for (auto [d, limit] : llvm::enumerate(s.maxShape))
      if (limit >= 0 && s.shape[d] < 0)
        os << llvm::formatv("  if (in{0}.sizes[{1}] > {2})\n    return {3};\n",
                            i, d, limit, i + 1);
    if (s.indexBound > 0 &&
        (s.dtype == DType::I64 || s.dtype == DType::I32)) {
      std::vector<std::string> dims;
      for (size_t d = 0; d < r; ++d)
        dims.push_back(llvm::formatv("in{0}.sizes[{1}]", i, d).str());
      os << llvm::formatv(
          "  {\n"
          "    const {0} *ids = (const {0} *)inputs[{1}].data;\n"
          "    int64_t j, n = {2};\n"
          "    for (j = 0; j < n; ++j)\n"
          "      if (ids[j] < 0 || ids[j] >= {3})\n"
          "        return {4};\n"
          "  }\n",
          s.dtype == DType::I64 ? "int64_t" : "int32_t", i,
          llvm::join(dims, " * "), s.indexBound, i + 1);
    }
  }
  // Sizes that inputs share (runtime/Signature.h).
  for (const Signature::SharedSize &d : sig.sharedSizes())
    os << llvm::formatv("  if (in{0}.sizes[{1}] != in{2}.sizes[{3}])\n"
                        "    return {4};\n",
                        d.input, d.dim, d.firstInput, d.firstDim, d.input + 1);
  params.clear();
  if (numOut)
    params.push_back("&results");
  for (size_t i = 0; i < numIn; ++i)
    params.push_back("&in" + std::to_string(i));
  os << "  _mlir_ciface_" << fn << "(" << llvm::join(params, ", ") << ");\n";
  for (auto [i, s] : llvm::enumerate(sig.outputs))
    os << llvm::formatv("  attnc_set_output(&outputs[{0}], results.r{0}."
                        "allocated, results.r{0}.aligned,\n"
                        "                   results.r{0}.offset, {1}, {2}, "
                        "{3});\n",
                        i, byteWidth(s.dtype),
                        s.shape.empty()
                            ? std::string("NULL")
                            : llvm::formatv("results.r{0}.sizes", i).str(),
                        s.shape.size());
  if (numOut)
    os << "  attnc_own_once(outputs, " << numOut << ", "
       << (numIn ? "inputs" : "NULL") << ", " << numIn << ");\n";
  os << "  return 0;\n}\n\n"
     << "#ifdef __cplusplus\n} /* extern \"C\" */\n#endif\n\n"
     << "#endif /* ATTNC_ENTRY_" << upper << "_H */\n";
  return text;
}
