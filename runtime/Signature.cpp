//===- Signature.cpp - Entry-point signatures and the C-interface call ----===//

#include "runtime/Signature.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <array>
#include <cstdlib>
#include <utility>

using namespace attnc;
using llvm::Expected;

static llvm::json::Value specToJson(const TensorSpec &spec) {
  llvm::json::Array shape;
  for (int64_t d : spec.shape)
    shape.push_back(d);
  llvm::json::Object o{{"name", spec.name},
                       {"dtype", dtypeName(spec.dtype)},
                       {"shape", std::move(shape)}};
  if (!spec.maxShape.empty())
    o["max_shape"] = llvm::json::Array(spec.maxShape);
  if (spec.indexBound > 0)
    o["index_bound"] = spec.indexBound;
  if (!spec.dimNames.empty())
    o["dim_names"] = llvm::json::Array(spec.dimNames);
  return o;
}

llvm::json::Value Signature::toJson() const {
  llvm::json::Array in, out;
  for (const TensorSpec &s : inputs)
    in.push_back(specToJson(s));
  for (const TensorSpec &s : outputs)
    out.push_back(specToJson(s));
  return llvm::json::Object{{"function", function},
                            {"inputs", std::move(in)},
                            {"outputs", std::move(out)}};
}

/// An error about the embedded signature JSON.
static llvm::Error signatureError(const llvm::Twine &what) {
  return llvm::createStringError("attnc_signature: " + what);
}

Expected<Signature> Signature::fromJson(const llvm::json::Value &json) {
  const llvm::json::Object *root = json.getAsObject();
  if (!root)
    return signatureError("an entry is not a JSON object");
  Signature sig;
  std::optional<llvm::StringRef> fn = root->getString("function");
  if (!fn)
    return signatureError("missing 'function'");
  sig.function = fn->str();
  for (auto [key, list] : {std::pair<const char *, std::vector<TensorSpec> *>{
                               "inputs", &sig.inputs},
                           {"outputs", &sig.outputs}}) {
    const llvm::json::Array *items = root->getArray(key);
    if (!items)
      return signatureError(llvm::Twine("missing '") + key + "'");
    for (const llvm::json::Value &item : *items) {
      const llvm::json::Object *o = item.getAsObject();
      if (!o)
        return signatureError(llvm::Twine("'") + key +
                              "' entry is not an object");
      TensorSpec spec;
      std::optional<llvm::StringRef> name = o->getString("name");
      std::optional<llvm::StringRef> dtype = o->getString("dtype");
      const llvm::json::Array *shape = o->getArray("shape");
      if (!name || !dtype || !shape)
        return signatureError(llvm::Twine("'") + key +
                              "' entry lacks 'name', 'dtype' or 'shape'");
      spec.name = name->str();
      Expected<DType> type = parseDType(*dtype);
      if (!type)
        return signatureError(llvm::toString(type.takeError()));
      spec.dtype = *type;
      for (const llvm::json::Value &d : *shape) {
        std::optional<int64_t> v = d.getAsInteger();
        if (!v)
          return signatureError("a shape entry is not an integer");
        spec.shape.push_back(*v);
      }
      if (const llvm::json::Array *max = o->getArray("max_shape")) {
        for (const llvm::json::Value &d : *max) {
          std::optional<int64_t> v = d.getAsInteger();
          if (!v)
            return signatureError("a max_shape entry is not an integer");
          spec.maxShape.push_back(*v);
        }
        if (spec.maxShape.size() != spec.shape.size())
          return signatureError("'" + spec.name +
                                "': max_shape and shape differ in rank");
      }
      spec.indexBound = o->getInteger("index_bound").value_or(0);
      if (const llvm::json::Array *dims = o->getArray("dim_names")) {
        for (const llvm::json::Value &d : *dims) {
          std::optional<llvm::StringRef> v = d.getAsString();
          if (!v)
            return signatureError("a dim_names entry is not a string");
          spec.dimNames.push_back(v->str());
        }
        if (spec.dimNames.size() != spec.shape.size())
          return signatureError("'" + spec.name +
                                "': dim_names and shape differ in rank");
      }
      list->push_back(std::move(spec));
    }
  }
  return sig;
}

std::string ModuleSignature::toJson() const {
  llvm::json::Array list;
  for (const Signature &s : entries)
    list.push_back(s.toJson());
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(llvm::json::Object{
      {"default", defaultEntry},
      {"entries", std::move(list)},
      {"target", target}});
  return text;
}

Expected<ModuleSignature> ModuleSignature::fromJson(llvm::StringRef json) {
  Expected<llvm::json::Value> parsed = llvm::json::parse(json);
  if (!parsed)
    return signatureError(llvm::toString(parsed.takeError()));
  const llvm::json::Object *root = parsed->getAsObject();
  if (!root)
    return signatureError("not a JSON object");
  ModuleSignature result;
  std::optional<llvm::StringRef> defaultEntry = root->getString("default");
  const llvm::json::Array *entries = root->getArray("entries");
  if (!defaultEntry || !entries)
    return signatureError("missing 'default' or 'entries'");
  result.defaultEntry = defaultEntry->str();
  if (std::optional<llvm::StringRef> target = root->getString("target")) {
    if (*target != "cpu" && *target != "cuda")
      return signatureError("unknown target '" + *target +
                            "'; expected 'cpu' or 'cuda'");
    result.target = target->str();
  }
  for (const llvm::json::Value &entry : *entries) {
    Expected<Signature> sig = Signature::fromJson(entry);
    if (!sig)
      return sig.takeError();
    result.entries.push_back(std::move(*sig));
  }
  if (!result.defaultEntry.empty() &&
      llvm::none_of(result.entries, [&](const Signature &s) {
        return s.function == result.defaultEntry;
      }))
    return signatureError("the default entry '" + result.defaultEntry +
                          "' is not among the entries");
  return result;
}

Expected<const Signature &> ModuleSignature::find(llvm::StringRef name) const {
  llvm::StringRef wanted = name.empty() ? llvm::StringRef(defaultEntry) : name;
  for (const Signature &s : entries)
    if (!wanted.empty() && s.function == wanted)
      return s;
  std::string names;
  for (const Signature &s : entries)
    names += (names.empty() ? "'" : ", '") + s.function + "'";
  if (name.empty())
    return llvm::createStringError(
        "the module has several entry points (" + names +
        ") and none is called 'forward'; name the one to run");
  return llvm::createStringError("no entry point named '" + name +
                                 "'; the module has " + names);
}

std::vector<Signature::SharedSize> Signature::sharedSizes() const {
  std::vector<SharedSize> shared;
  llvm::StringMap<std::pair<size_t, size_t>> first;
  for (auto [k, spec] : llvm::enumerate(inputs))
    for (auto [i, dimName] : llvm::enumerate(spec.dimNames)) {
      if (dimName.empty())
        continue;
      auto [it, isFirst] = first.try_emplace(dimName, k, i);
      if (!isFirst)
        shared.push_back({k, i, it->second.first, it->second.second});
    }
  return shared;
}

llvm::Error Signature::check(llvm::ArrayRef<Tensor> given) const {
  if (given.size() != inputs.size())
    return llvm::createStringError(
        llvm::formatv("{0} expects {1} inputs, got {2}", function,
                      inputs.size(), given.size()));
  for (auto [spec, t] : llvm::zip(inputs, given)) {
    if (t.dtype() != spec.dtype)
      return llvm::createStringError(
          llvm::formatv("input '{0}' must be {1}, got {2}", spec.name,
                        dtypeName(spec.dtype), dtypeName(t.dtype())));
    bool ok = t.rank() == static_cast<int64_t>(spec.shape.size());
    for (size_t i = 0; ok && i < spec.shape.size(); ++i)
      ok = spec.shape[i] < 0 || spec.shape[i] == t.shape()[i];
    if (!ok)
      return llvm::createStringError(llvm::formatv(
          "input '{0}' must have shape {1} (-1: any), got {2}", spec.name,
          shapeString(spec.shape), shapeString(t.shape())));
    for (auto [i, max] : llvm::enumerate(spec.maxShape))
      if (max >= 0 && t.shape()[i] > max)
        return llvm::createStringError(llvm::formatv(
            "input '{0}' has size {1} in dimension {2}; {3} handles at most "
            "{4} (the model's max_length bounds it)",
            spec.name, t.shape()[i], i, function, max));
  }
  for (const SharedSize &d : sharedSizes()) {
    int64_t size = given[d.input].shape()[d.dim];
    int64_t firstSize = given[d.firstInput].shape()[d.firstDim];
    if (size != firstSize)
      return llvm::createStringError(llvm::formatv(
          "input '{0}' has size {1} in dimension {2} ({3}), but input '{4}' "
          "has {5} in dimension {6}; {7} needs them equal",
          inputs[d.input].name, size, d.dim, inputs[d.input].dimNames[d.dim],
          inputs[d.firstInput].name, firstSize, d.firstDim, function));
  }
  return llvm::Error::success();
}

llvm::Error Signature::checkIndices(llvm::ArrayRef<Tensor> given) const {
  for (auto [spec, t] : llvm::zip(inputs, given)) {
    if (spec.indexBound <= 0)
      continue;
    for (int64_t i = 0, e = t.numElements(); i < e; ++i)
      if (double v = t.getDouble(i);
          v < 0 || v >= static_cast<double>(spec.indexBound))
        return llvm::createStringError(llvm::formatv(
            "input '{0}' holds {1} at element {2}; it indexes a table of "
            "{3} rows, so values must be in [0, {3})",
            spec.name, static_cast<int64_t>(v), i, spec.indexBound));
  }
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// The call
//===----------------------------------------------------------------------===//

namespace {
/// Every parameter of a C-interface entry point is a pointer (to the result
/// struct, then to one memref descriptor per input), so one call shape per
/// arity covers every signature.
constexpr size_t kMaxPointers = 128;
using Caller = void (*)(void *, void **);

template <size_t... I>
void callWith(void *fn, void **args, std::index_sequence<I...>) {
  using Fn = void (*)(decltype((void)I, (void *)nullptr)...);
  reinterpret_cast<Fn>(fn)(args[I]...);
}
template <size_t N> void callN(void *fn, void **args) {
  callWith(fn, args, std::make_index_sequence<N>());
}
template <size_t... N>
constexpr std::array<Caller, sizeof...(N)>
callerTable(std::index_sequence<N...>) {
  return {&callN<N>...};
}
} // namespace

Expected<std::vector<Tensor>>
attnc::invokeEntry(void *fn, const Signature &signature,
                   llvm::ArrayRef<Tensor> inputs,
                   std::function<void(void *)> release) {
  if (!release)
    release = [](void *p) { std::free(p); };
  size_t pointers = inputs.size() + (signature.outputs.empty() ? 0 : 1);
  if (pointers > kMaxPointers)
    return llvm::createStringError(llvm::formatv(
        "{0} has {1} inputs and outputs; at most {2} are supported",
        signature.function, pointers, kMaxPointers - 1));

  // Descriptors: {allocated, aligned, offset, sizes[r], strides[r]}.
  std::vector<std::vector<intptr_t>> descriptors;
  for (const Tensor &t : inputs) {
    std::vector<intptr_t> d = {reinterpret_cast<intptr_t>(t.data()),
                               reinterpret_cast<intptr_t>(t.data()), 0};
    for (int64_t s : t.shape())
      d.push_back(s);
    int64_t stride = 1;
    std::vector<intptr_t> strides(t.shape().size());
    for (int64_t i = t.rank() - 1; i >= 0; --i) {
      strides[i] = stride;
      stride *= t.shape()[i];
    }
    d.insert(d.end(), strides.begin(), strides.end());
    descriptors.push_back(std::move(d));
  }
  size_t resultWords = 0;
  for (const TensorSpec &s : signature.outputs)
    resultWords += 3 + 2 * s.shape.size();
  std::vector<intptr_t> results(std::max<size_t>(resultWords, 1), 0);

  std::vector<void *> args;
  if (!signature.outputs.empty())
    args.push_back(results.data());
  for (auto &d : descriptors)
    args.push_back(d.data());
  static constexpr auto table =
      callerTable(std::make_index_sequence<kMaxPointers + 1>());
  table[args.size()](fn, args.data());

  // Results own memory from the compiled code; two results may share one
  // allocation.
  std::vector<Tensor> out;
  std::vector<std::pair<void *, std::shared_ptr<void>>> owners;
  size_t at = 0;
  for (const TensorSpec &spec : signature.outputs) {
    auto *allocated = reinterpret_cast<void *>(results[at]);
    auto *aligned = reinterpret_cast<char *>(results[at + 1]);
    int64_t offset = results[at + 2];
    size_t rank = spec.shape.size();
    llvm::SmallVector<int64_t> sizes(results.begin() + at + 3,
                                     results.begin() + at + 3 + rank);
    at += 3 + 2 * rank;
    std::shared_ptr<void> owner;
    for (auto &[ptr, o] : owners)
      if (ptr == allocated)
        owner = o;
    if (!owner) {
      owner = std::shared_ptr<void>(allocated, release);
      owners.emplace_back(allocated, owner);
    }
    out.push_back(Tensor::adopt(spec.dtype, sizes,
                                aligned + offset * byteWidth(spec.dtype),
                                [owner](void *) mutable { owner.reset(); }));
  }
  return out;
}
