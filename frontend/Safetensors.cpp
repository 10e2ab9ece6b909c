//===- Safetensors.cpp - Reads .safetensors weight files ------------------===//

#include "frontend/Safetensors.h"

#include "frontend/Nesting.h"
#include "runtime/Tensor.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <limits>

using namespace attnc::frontend;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

int64_t SafetensorsTensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

size_t attnc::frontend::safetensorsDTypeSize(StringRef dtype) {
  return llvm::StringSwitch<size_t>(dtype)
      .Cases({"BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3"}, 1)
      .Cases({"I16", "U16", "F16", "BF16"}, 2)
      .Cases({"I32", "U32", "F32"}, 4)
      .Cases({"I64", "U64", "F64"}, 8)
      .Default(0);
}

namespace {

llvm::Error fail(StringRef path, const Twine &message) {
  return llvm::createStringError(path + ": " + message);
}

/// Reads a JSON number that must be a non-negative integer.
std::optional<int64_t> nonNegative(const llvm::json::Value &v) {
  std::optional<int64_t> i = v.getAsInteger();
  if (!i || *i < 0)
    return std::nullopt;
  return i;
}

/// Validates one header entry and fills `t` from it (all but `bytes`);
/// `begin`/`end` receive its data_offsets.
llvm::Error parseEntry(StringRef path, StringRef name,
                       const llvm::json::Value &value, SafetensorsTensor &t,
                       uint64_t &begin, uint64_t &end) {
  auto bad = [&](const Twine &what) {
    return fail(path, "tensor '" + name + "': " + what);
  };
  const llvm::json::Object *entry = value.getAsObject();
  if (!entry)
    return bad("the header entry is not an object");
  std::optional<StringRef> dtype = entry->getString("dtype");
  if (!dtype)
    return bad("missing or non-string 'dtype'");
  if (safetensorsDTypeSize(*dtype) == 0)
    return bad("unknown dtype '" + *dtype + "'");
  t.name = name.str();
  t.dtype = dtype->str();

  const llvm::json::Array *shape = entry->getArray("shape");
  if (!shape)
    return bad("missing 'shape' or it is not a list");
  // Tensors beyond 2^62 bytes cannot be stored in any real file; stopping
  // there keeps the element count and the byte size below from overflowing
  // (a limit on elements alone let 2^62 F64 elements take "0 bytes").
  const int64_t limit = (int64_t(1) << 62) /
                        static_cast<int64_t>(safetensorsDTypeSize(*dtype));
  int64_t elements = 1;
  for (const llvm::json::Value &d : *shape) {
    std::optional<int64_t> size = nonNegative(d);
    if (!size)
      return bad("'shape' must be a list of non-negative integers");
    t.shape.push_back(*size);
    if (*size != 0 && elements > limit / *size)
      return bad("'shape' " + attnc::shapeString(t.shape) +
                 " has too many elements");
    elements *= *size;
  }

  const llvm::json::Array *offsets = entry->getArray("data_offsets");
  if (!offsets || offsets->size() != 2 || !nonNegative((*offsets)[0]) ||
      !nonNegative((*offsets)[1]))
    return bad("'data_offsets' must be a list of two non-negative integers");
  begin = static_cast<uint64_t>(*nonNegative((*offsets)[0]));
  end = static_cast<uint64_t>(*nonNegative((*offsets)[1]));
  if (begin > end)
    return bad("'data_offsets' [" + Twine(begin) + ", " + Twine(end) +
               "] ends before it begins");
  uint64_t expected =
      static_cast<uint64_t>(elements) * safetensorsDTypeSize(*dtype);
  if (end - begin != expected)
    return bad("'data_offsets' [" + Twine(begin) + ", " + Twine(end) +
               "] hold " + Twine(end - begin) + " bytes, but " + *dtype + " " +
               attnc::shapeString(t.shape) + " takes " + Twine(expected));
  return llvm::Error::success();
}

} // namespace

Expected<std::unique_ptr<SafetensorsFile>>
SafetensorsFile::open(StringRef path) {
  // Large files are mapped, not read; nothing here writes to them.
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail(path, buffer.getError().message());
  return parse(std::move(*buffer), path);
}

Expected<std::unique_ptr<SafetensorsFile>>
SafetensorsFile::parse(std::shared_ptr<llvm::MemoryBuffer> buffer,
                       StringRef path) {
  std::unique_ptr<SafetensorsFile> file(new SafetensorsFile());
  file->filePath = path.str();
  file->mapping = std::move(buffer);
  StringRef contents = file->mapping->getBuffer();

  if (contents.size() < 8)
    return fail(path, "not a safetensors file: " + Twine(contents.size()) +
                          " bytes, shorter than the 8-byte header length");
  uint64_t headerSize =
      llvm::support::endian::read64le(contents.data());
  if (headerSize > contents.size() - 8)
    return fail(path, "the header length " + Twine(headerSize) +
                          " runs past the end of the file (" +
                          Twine(contents.size()) + " bytes)");
  StringRef header = contents.substr(8, headerSize);
  StringRef data = contents.substr(8 + headerSize);

  if (llvm::Error e = checkNesting(header, path, Syntax::Json))
    return std::move(e);
  Expected<llvm::json::Value> json = llvm::json::parse(header);
  if (!json)
    return fail(path, "the header is not valid JSON: " +
                          llvm::toString(json.takeError()));
  const llvm::json::Object *root = json->getAsObject();
  if (!root)
    return fail(path, "the header is not a JSON object");

  struct Extent {
    uint64_t begin, end;
    size_t index;
  };
  std::vector<Extent> extents;
  for (const auto &[key, value] : *root) {
    StringRef name = key;
    if (name == "__metadata__") {
      const llvm::json::Object *meta = value.getAsObject();
      if (!meta)
        return fail(path, "'__metadata__' is not an object");
      for (const auto &[metaKey, metaValue] : *meta) {
        std::optional<StringRef> text = metaValue.getAsString();
        if (!text)
          return fail(path, "'__metadata__' entry '" + StringRef(metaKey) +
                                "' is not a string");
        file->meta[metaKey] = text->str();
      }
      continue;
    }
    SafetensorsTensor t;
    uint64_t begin = 0, end = 0;
    if (llvm::Error e = parseEntry(path, name, value, t, begin, end))
      return std::move(e);
    if (end > data.size())
      return fail(path, "tensor '" + name + "': 'data_offsets' [" +
                            Twine(begin) + ", " + Twine(end) +
                            "] run past the end of the data (" +
                            Twine(data.size()) + " bytes)");
    t.bytes = llvm::ArrayRef<char>(data.data() + begin, end - begin);
    extents.push_back({begin, end, file->entries.size()});
    file->entries.push_back(std::move(t));
  }

  // Sorted by offset, every tensor must end before the next begins. Empty
  // tensors occupy nothing and overlap nothing.
  llvm::sort(extents, [](const Extent &a, const Extent &b) {
    return std::tie(a.begin, a.end) < std::tie(b.begin, b.end);
  });
  const Extent *previous = nullptr;
  for (const Extent &x : extents) {
    if (x.begin == x.end)
      continue;
    if (previous && x.begin < previous->end)
      return fail(path, "tensor '" + file->entries[x.index].name +
                            "': 'data_offsets' [" + Twine(x.begin) + ", " +
                            Twine(x.end) + "] overlap those of tensor '" +
                            file->entries[previous->index].name + "' [" +
                            Twine(previous->begin) + ", " +
                            Twine(previous->end) + "]");
    previous = &x;
  }

  std::vector<SafetensorsTensor> ordered;
  for (const Extent &x : extents)
    ordered.push_back(std::move(file->entries[x.index]));
  file->entries = std::move(ordered);
  for (auto [i, t] : llvm::enumerate(file->entries))
    file->byName[t.name] = i;
  return file;
}

const SafetensorsTensor *SafetensorsFile::find(StringRef name) const {
  auto it = byName.find(name);
  return it == byName.end() ? nullptr : &entries[it->second];
}
