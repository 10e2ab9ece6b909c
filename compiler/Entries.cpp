//===- Entries.cpp - A module's public functions as runtime entry points --===//

#include "compiler/Entries.h"

#include "dialect/AttnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;
using llvm::Expected;
using attnc::DType;
using attnc::ModuleSignature;
using attnc::Signature;
using attnc::TensorSpec;

/// The runtime element type of a tensor element type.
static std::optional<attnc::DType> dtypeOf(Type t) {
  if (t.isF32())
    return attnc::DType::F32;
  if (t.isF16())
    return attnc::DType::F16;
  if (t.isBF16())
    return attnc::DType::BF16;
  if (t.isF64())
    return attnc::DType::F64;
  if (t.isInteger(1))
    return attnc::DType::I1;
  if (t.isInteger(8))
    return attnc::DType::I8;
  if (t.isInteger(32))
    return attnc::DType::I32;
  if (t.isInteger(64))
    return attnc::DType::I64;
  return std::nullopt;
}

/// The signature of the entry point `fn`.
static Expected<attnc::Signature> signatureOf(func::FuncOp fn) {
  using namespace attnc;
  Signature sig;
  sig.function = fn.getName().str();
  // Names from the attribute `attr`, which must name each of the `count`
  // inputs or results with a string when it is there; `prefix` and the
  // position otherwise.
  auto names = [&](StringRef attr, size_t count, StringRef what,
                   StringRef prefix) -> Expected<std::vector<std::string>> {
    std::vector<std::string> out;
    Attribute raw = fn->getAttr(attr);
    auto given = dyn_cast_or_null<ArrayAttr>(raw);
    if (raw && (!given || given.size() != count))
      return llvm::createStringError(
          llvm::Twine("@") + sig.function + ": " + attr + " must list " +
          llvm::Twine(count) + " names, one per " + what + "; it " +
          (given ? "lists " + llvm::Twine(given.size())
                 : llvm::Twine("is not a list")));
    for (size_t i = 0; i < count; ++i) {
      StringAttr s = given ? dyn_cast<StringAttr>(given[i]) : StringAttr();
      if (given && !s)
        return llvm::createStringError(
            llvm::Twine("@") + sig.function + ": " + attr + " entry #" +
            llvm::Twine(i) + " is not a string");
      out.push_back(s ? s.str() : (prefix + llvm::Twine(i)).str());
    }
    return out;
  };
  FunctionType type = fn.getFunctionType();
  Expected<std::vector<std::string>> inNamesOr =
      names("attnc.input_names", type.getNumInputs(), "input", "arg");
  if (!inNamesOr)
    return inNamesOr.takeError();
  Expected<std::vector<std::string>> outNamesOr =
      names("attnc.output_names", type.getNumResults(), "result", "result");
  if (!outNamesOr)
    return outNamesOr.takeError();
  std::vector<std::string> inNames = std::move(*inNamesOr),
                           outNames = std::move(*outNamesOr);
  for (auto [list, types, which, named] :
       {std::tuple{&sig.inputs, type.getInputs(), "argument", &inNames},
        std::tuple{&sig.outputs, type.getResults(), "result", &outNames}}) {
    for (auto [i, t] : llvm::enumerate(types)) {
      auto tensor = dyn_cast<RankedTensorType>(t);
      std::optional<DType> dtype =
          tensor ? dtypeOf(tensor.getElementType()) : std::nullopt;
      if (!dtype) {
        std::string typeText;
        llvm::raw_string_ostream os(typeText);
        os << t;
        return llvm::createStringError(
            llvm::Twine("@") + sig.function + " " + which + " #" +
            llvm::Twine(i) + " has type " + typeText +
            "; entry points take and return ranked tensors of f32, f16, "
            "bf16, f64, i1, i8, i32 or i64");
      }
      TensorSpec spec;
      spec.dtype = *dtype;
      for (int64_t d : tensor.getShape())
        spec.shape.push_back(ShapedType::isDynamic(d) ? -1 : d);
      spec.name = (*named)[i];
      list->push_back(std::move(spec));
    }
  }
  // Limits the runtime checks before a call, since the compiled code would
  // read out of bounds past them: sizes a frontend declares (a model's
  // max_length), and the rows of an embedding table an argument indexes.
  for (auto [i, spec] : llvm::enumerate(sig.inputs)) {
    auto badAttr = [&, i = i](StringRef attr, StringRef what) {
      return llvm::createStringError(
          llvm::Twine("@") + sig.function + " argument #" + llvm::Twine(i) +
          ": " + attr + " must be " + what + ", one per dimension");
    };
    size_t rank = spec.shape.size();
    if (Attribute a = fn.getArgAttr(i, "attnc.max_sizes")) {
      auto max = dyn_cast<DenseI64ArrayAttr>(a);
      if (!max || max.size() != static_cast<int64_t>(rank))
        return badAttr("attnc.max_sizes", "an array<i64: ...>");
      spec.maxShape.assign(max.asArrayRef().begin(), max.asArrayRef().end());
    }
    // Names of sizes that several arguments share (runtime/Signature.h).
    if (Attribute a = fn.getArgAttr(i, "attnc.dim_names")) {
      auto names = dyn_cast<ArrayAttr>(a);
      if (!names || names.size() != rank ||
          !llvm::all_of(names, llvm::IsaPred<StringAttr>))
        return badAttr("attnc.dim_names", "an array of strings");
      for (Attribute name : names)
        spec.dimNames.push_back(cast<StringAttr>(name).str());
    }
    for (Operation *user : fn.getArgument(i).getUsers()) {
      auto embedding = dyn_cast<attn::EmbeddingOp>(user);
      if (!embedding || embedding.getIndices() != fn.getArgument(i))
        continue;
      int64_t rows =
          cast<RankedTensorType>(embedding.getTable().getType()).getDimSize(0);
      if (!ShapedType::isDynamic(rows) &&
          (spec.indexBound == 0 || rows < spec.indexBound))
        spec.indexBound = rows;
    }
  }
  return sig;
}

Expected<attnc::ModuleSignature>
attnc::prepareEntries(ModuleOp module, llvm::StringRef defaultEntry) {
  ModuleSignature result;
  for (auto fn : module.getOps<func::FuncOp>()) {
    if (!fn.isPublic() || fn.isExternal())
      continue;
    Expected<Signature> sig = signatureOf(fn);
    if (!sig)
      return sig.takeError();
    fn->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                UnitAttr::get(module.getContext()));
    // Callers own the inputs: bufferization must copy rather than write in
    // place into an argument (an elementwise op's init, say).
    for (unsigned i = 0, e = fn.getNumArguments(); i < e; ++i)
      fn.setArgAttr(i, "bufferization.writable",
                    BoolAttr::get(module.getContext(), false));
    result.entries.push_back(std::move(*sig));
  }
  if (result.entries.empty())
    return llvm::createStringError("the module has no public function");
  auto has = [&](llvm::StringRef name) {
    return llvm::any_of(result.entries,
                        [&](const Signature &s) { return s.function == name; });
  };
  if (!defaultEntry.empty()) {
    if (!has(defaultEntry))
      return llvm::createStringError("no public function named '" +
                                     defaultEntry + "'");
    result.defaultEntry = defaultEntry.str();
  } else if (result.entries.size() == 1) {
    result.defaultEntry = result.entries.front().function;
  } else if (has("forward")) {
    result.defaultEntry = "forward";
  }
  return result;
}

