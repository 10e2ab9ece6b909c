//===- Signature.cpp - Entry-point signatures and the C-interface call ----===//

#include "runtime/Signature.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <map>
#include <utility>

using namespace attnc;

/// `[a, b, c]` in JSON, each element written by `write`.
template <typename T, typename F>
static std::string jsonArray(const std::vector<T> &items, F write) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i)
    out += (i ? "," : "") + write(items[i]);
  return out + "]";
}

static std::string jsonInteger(int64_t v) { return std::to_string(v); }
static std::string jsonString(const std::string &s) { return json::quote(s); }

/// Keys in sorted order, as LLVM's JSON writer put them in libraries built
/// before the runtime had its own writer.
static std::string specToJson(const TensorSpec &spec) {
  std::string out = "{";
  if (!spec.dimNames.empty())
    out += "\"dim_names\":" + jsonArray(spec.dimNames, jsonString) + ",";
  out += "\"dtype\":" + json::quote(dtypeName(spec.dtype)) + ",";
  if (spec.indexBound > 0)
    out += "\"index_bound\":" + std::to_string(spec.indexBound) + ",";
  if (!spec.maxShape.empty())
    out += "\"max_shape\":" + jsonArray(spec.maxShape, jsonInteger) + ",";
  return out + "\"name\":" + json::quote(spec.name) +
         ",\"shape\":" + jsonArray(spec.shape, jsonInteger) + "}";
}

std::string Signature::toJson() const {
  return "{\"function\":" + json::quote(function) +
         ",\"inputs\":" + jsonArray(inputs, specToJson) +
         ",\"outputs\":" + jsonArray(outputs, specToJson) + "}";
}

/// An error about the embedded signature JSON.
template <typename... Args> static Status signatureError(const Args &...what) {
  return error("attnc_signature: ", what...);
}

/// Reads the integer list `key` of `o` into `out`; absent is fine.
static Status readIntegers(const json::Value &o, const char *key,
                           std::vector<int64_t> &out) {
  const json::Value *list = o.get(key);
  if (!list)
    return Status();
  if (!list->getArray())
    return signatureError("'", key, "' is not a list");
  for (const json::Value &d : *list->getArray()) {
    std::optional<int64_t> v = d.getInteger();
    if (!v)
      return signatureError("a ", key, " entry is not an integer");
    out.push_back(*v);
  }
  return Status();
}

/// `o[key]` when it is a string.
static const std::string *stringMember(const json::Value &o, const char *key) {
  const json::Value *v = o.get(key);
  return v ? v->getString() : nullptr;
}

Result<Signature> Signature::fromJson(const json::Value &root) {
  if (root.kind() != json::Value::Kind::Object)
    return signatureError("an entry is not a JSON object");
  Signature sig;
  const std::string *fn = stringMember(root, "function");
  if (!fn)
    return signatureError("missing 'function'");
  sig.function = *fn;
  for (auto [key, list] : {std::pair<const char *, std::vector<TensorSpec> *>{
                               "inputs", &sig.inputs},
                           {"outputs", &sig.outputs}}) {
    const json::Value *items = root.get(key);
    if (!items || !items->getArray())
      return signatureError("missing '", key, "'");
    for (const json::Value &o : *items->getArray()) {
      if (o.kind() != json::Value::Kind::Object)
        return signatureError("'", key, "' entry is not an object");
      TensorSpec spec;
      const std::string *name = stringMember(o, "name");
      const std::string *dtype = stringMember(o, "dtype");
      const json::Value *shape = o.get("shape");
      if (!name || !dtype || !shape || !shape->getArray())
        return signatureError("'", key,
                              "' entry lacks 'name', 'dtype' or 'shape'");
      spec.name = *name;
      Result<DType> type = parseDType(*dtype);
      if (!type)
        return signatureError(type.status().message());
      spec.dtype = *type;
      if (Status s = readIntegers(o, "shape", spec.shape))
        return s;
      if (o.get("max_shape")) {
        if (Status s = readIntegers(o, "max_shape", spec.maxShape))
          return s;
        if (spec.maxShape.size() != spec.shape.size())
          return signatureError("'", spec.name,
                                "': max_shape and shape differ in rank");
      }
      if (const json::Value *bound = o.get("index_bound"))
        spec.indexBound = bound->getInteger().value_or(0);
      if (const json::Value *dims = o.get("dim_names")) {
        if (!dims->getArray())
          return signatureError("'dim_names' is not a list");
        for (const json::Value &d : *dims->getArray()) {
          if (!d.getString())
            return signatureError("a dim_names entry is not a string");
          spec.dimNames.push_back(*d.getString());
        }
        if (spec.dimNames.size() != spec.shape.size())
          return signatureError("'", spec.name,
                                "': dim_names and shape differ in rank");
      }
      list->push_back(std::move(spec));
    }
  }
  return sig;
}

std::string ModuleSignature::toJson() const {
  return "{\"default\":" + json::quote(defaultEntry) +
         ",\"entries\":" +
         jsonArray(entries, [](const Signature &s) { return s.toJson(); }) +
         ",\"target\":" + json::quote(target) + "}";
}

Result<ModuleSignature> ModuleSignature::fromJson(std::string_view text) {
  Result<json::Value> parsed = json::Value::parse(text);
  if (!parsed)
    return signatureError(parsed.status().message());
  const json::Value &root = *parsed;
  if (root.kind() != json::Value::Kind::Object)
    return signatureError("not a JSON object");
  ModuleSignature result;
  const std::string *defaultEntry = stringMember(root, "default");
  const json::Value *entries = root.get("entries");
  if (!defaultEntry || !entries || !entries->getArray())
    return signatureError("missing 'default' or 'entries'");
  result.defaultEntry = *defaultEntry;
  if (const std::string *target = stringMember(root, "target")) {
    if (*target != "cpu" && *target != "cuda")
      return signatureError("unknown target '", *target,
                            "'; expected 'cpu' or 'cuda'");
    result.target = *target;
  }
  for (const json::Value &entry : *entries->getArray()) {
    Result<Signature> sig = Signature::fromJson(entry);
    if (!sig)
      return sig.takeError();
    result.entries.push_back(std::move(*sig));
  }
  if (!result.defaultEntry.empty() &&
      std::none_of(result.entries.begin(), result.entries.end(),
                   [&](const Signature &s) {
                     return s.function == result.defaultEntry;
                   }))
    return signatureError("the default entry '", result.defaultEntry,
                          "' is not among the entries");
  return result;
}

Result<const Signature &> ModuleSignature::find(std::string_view name) const {
  std::string_view wanted = name.empty() ? std::string_view(defaultEntry) : name;
  for (const Signature &s : entries)
    if (!wanted.empty() && s.function == wanted)
      return s;
  std::string names;
  for (const Signature &s : entries)
    names += (names.empty() ? "'" : ", '") + s.function + "'";
  if (name.empty())
    return error("the module has several entry points (", names,
                 ") and none is called 'forward'; name the one to run");
  return error("no entry point named '", name, "'; the module has ", names);
}

std::vector<Signature::SharedSize> Signature::sharedSizes() const {
  std::vector<SharedSize> shared;
  std::map<std::string, std::pair<size_t, size_t>> first;
  for (size_t k = 0; k < inputs.size(); ++k)
    for (size_t i = 0; i < inputs[k].dimNames.size(); ++i) {
      const std::string &dimName = inputs[k].dimNames[i];
      if (dimName.empty())
        continue;
      auto [it, isFirst] = first.try_emplace(dimName, k, i);
      if (!isFirst)
        shared.push_back({k, i, it->second.first, it->second.second});
    }
  return shared;
}

Status Signature::check(Span<const Tensor> given) const {
  if (given.size() != inputs.size())
    return error(function, " expects ", inputs.size(), " inputs, got ",
                 given.size());
  for (size_t k = 0; k < inputs.size(); ++k) {
    const TensorSpec &spec = inputs[k];
    const Tensor &t = given[k];
    if (t.dtype() != spec.dtype)
      return error("input '", spec.name, "' must be ", dtypeName(spec.dtype),
                   ", got ", dtypeName(t.dtype()));
    bool ok = t.rank() == static_cast<int64_t>(spec.shape.size());
    for (size_t i = 0; ok && i < spec.shape.size(); ++i)
      ok = spec.shape[i] < 0 || spec.shape[i] == t.shape()[i];
    if (!ok)
      return error("input '", spec.name, "' must have shape ",
                   shapeString(spec.shape), " (-1: any), got ",
                   shapeString(t.shape()));
    for (size_t i = 0; i < spec.maxShape.size(); ++i)
      if (int64_t max = spec.maxShape[i]; max >= 0 && t.shape()[i] > max)
        return error("input '", spec.name, "' has size ", t.shape()[i],
                     " in dimension ", i, "; ", function,
                     " handles at most ", max,
                     " (the model's max_length bounds it)");
  }
  for (const SharedSize &d : sharedSizes()) {
    int64_t size = given[d.input].shape()[d.dim];
    int64_t firstSize = given[d.firstInput].shape()[d.firstDim];
    if (size != firstSize)
      return error("input '", inputs[d.input].name, "' has size ", size,
                   " in dimension ", d.dim, " (",
                   inputs[d.input].dimNames[d.dim], "), but input '",
                   inputs[d.firstInput].name, "' has ", firstSize,
                   " in dimension ", d.firstDim, "; ", function,
                   " needs them equal");
  }
  return Status();
}

Status Signature::checkIndices(Span<const Tensor> given) const {
  for (size_t k = 0; k < inputs.size() && k < given.size(); ++k) {
    const TensorSpec &spec = inputs[k];
    const Tensor &t = given[k];
    if (spec.indexBound <= 0)
      continue;
    for (int64_t i = 0, e = t.numElements(); i < e; ++i)
      if (double v = t.getDouble(i);
          v < 0 || v >= static_cast<double>(spec.indexBound))
        return error("input '", spec.name, "' holds ",
                     static_cast<int64_t>(v), " at element ", i,
                     "; it indexes a table of ", spec.indexBound,
                     " rows, so values must be in [0, ", spec.indexBound,
                     ")");
  }
  return Status();
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

Result<std::vector<Tensor>>
attnc::invokeEntry(void *fn, const Signature &signature,
                   Span<const Tensor> inputs,
                   std::function<void(void *)> release) {
  if (!release)
    release = [](void *p) { std::free(p); };
  size_t pointers = inputs.size() + (signature.outputs.empty() ? 0 : 1);
  if (pointers > kMaxPointers)
    return error(signature.function, " has ", pointers,
                 " inputs and outputs; at most ", kMaxPointers - 1,
                 " are supported");

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
    std::vector<int64_t> sizes(results.begin() + at + 3,
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
