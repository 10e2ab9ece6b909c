//===- Weights.cpp - Initializers and Constant tensors as MLIR constants --===//
//
// A model's weights are its initializers' raw_data, inside the .onnx file or
// in external data files. Protobuf would copy every byte of them while
// parsing; instead parseModel cuts the raw_data fields out of the
// serialized model (a walk over the wire format: ModelProto.graph ->
// GraphProto.initializer -> TensorProto.raw_data) and records where each one
// lies in the mapped file. readConstant then wraps those bytes, or the
// mapped external data file, as a dense_resource blob without copying
// them, when they are aligned for their element type (else they are copied
// once). Tensors of at most 64 bytes become plain `dense` attributes.
//
//===----------------------------------------------------------------------===//

#include "frontend/onnx/Importer.h"

#include "frontend/OnnxImport.h"

#include "runtime/Tensor.h"

#include "onnx/onnx_pb.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

#include <cstring>
#include <limits>

using namespace mlir;
using namespace attnc::frontend::onnx_import;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

namespace {

//===----------------------------------------------------------------------===//
// The protobuf wire format
//===----------------------------------------------------------------------===//

/// Reads a varint at `pos`; false when the bytes end first or it is longer
/// than 10 bytes.
bool readVarint(StringRef bytes, size_t &pos, uint64_t &value) {
  value = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (pos >= bytes.size())
      return false;
    auto byte = static_cast<uint8_t>(bytes[pos++]);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80))
      return true;
  }
  return false;
}

void writeVarint(std::string &out, uint64_t value) {
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    out.push_back(static_cast<char>(byte | (value ? 0x80 : 0)));
  } while (value);
}

/// One field of a message: its number, wire type, the whole field's bytes
/// (tag included) and, for length-delimited fields, the payload.
struct Field {
  uint64_t number;
  unsigned wireType;
  StringRef whole, payload;
};

/// Splits a message into fields; false on malformed bytes.
bool fields(StringRef message, std::vector<Field> &out) {
  size_t pos = 0;
  while (pos < message.size()) {
    size_t begin = pos;
    uint64_t tag = 0;
    if (!readVarint(message, pos, tag))
      return false;
    Field f{tag >> 3, static_cast<unsigned>(tag & 7), {}, {}};
    uint64_t value = 0;
    switch (f.wireType) {
    case 0:
      if (!readVarint(message, pos, value))
        return false;
      break;
    case 1:
      if (message.size() - pos < 8)
        return false;
      pos += 8;
      break;
    case 5:
      if (message.size() - pos < 4)
        return false;
      pos += 4;
      break;
    case 2:
      if (!readVarint(message, pos, value) || value > message.size() - pos)
        return false;
      f.payload = message.substr(pos, value);
      pos += value;
      break;
    default:
      // Groups (3, 4) are not used by onnx.proto.
      return false;
    }
    f.whole = message.slice(begin, pos);
    out.push_back(f);
  }
  return true;
}

/// Appends a length-delimited field `number` holding `payload`.
void writeBytesField(std::string &out, uint64_t number, StringRef payload) {
  writeVarint(out, (number << 3) | 2);
  writeVarint(out, payload.size());
  out.append(payload.data(), payload.size());
}

// Field numbers of onnx.proto.
constexpr uint64_t kModelGraph = 7;
constexpr uint64_t kGraphInitializer = 5;
constexpr uint64_t kTensorRawData = 9;

/// The model without its initializers' raw_data, and where each lay.
bool strip(StringRef file, std::string &out,
           std::vector<std::pair<uint64_t, uint64_t>> &rawData) {
  std::vector<Field> modelFields;
  if (!fields(file, modelFields))
    return false;
  for (const Field &mf : modelFields) {
    if (mf.number != kModelGraph || mf.wireType != 2) {
      out.append(mf.whole.data(), mf.whole.size());
      continue;
    }
    std::vector<Field> graphFields;
    if (!fields(mf.payload, graphFields))
      return false;
    std::string graph;
    for (const Field &gf : graphFields) {
      if (gf.number != kGraphInitializer || gf.wireType != 2) {
        graph.append(gf.whole.data(), gf.whole.size());
        continue;
      }
      std::vector<Field> tensorFields;
      if (!fields(gf.payload, tensorFields))
        return false;
      std::string tensor;
      std::pair<uint64_t, uint64_t> raw{0, 0};
      for (const Field &tf : tensorFields) {
        if (tf.number == kTensorRawData && tf.wireType == 2) {
          // The last occurrence wins, as when protobuf parses it.
          raw = {static_cast<uint64_t>(tf.payload.data() - file.data()),
                 tf.payload.size()};
          continue;
        }
        tensor.append(tf.whole.data(), tf.whole.size());
      }
      rawData.push_back(raw);
      writeBytesField(graph, kGraphInitializer, tensor);
    }
    writeBytesField(out, kModelGraph, graph);
  }
  return true;
}

std::string dataTypeName(int32_t type) {
  if (onnx::TensorProto_DataType_IsValid(type))
    return onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(type));
  return "data type " + std::to_string(type);
}

/// A resource name the MLIR printer and parser accept as a bare key.
std::string blobName(StringRef name) {
  std::string out;
  for (char c : name)
    out.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (out.empty() || llvm::isDigit(out.front()))
    out.insert(out.begin(), '_');
  return out;
}

/// Copies `field` (one typed repeated field) into `out` as little-endian
/// elements of `width` bytes.
template <typename FieldT>
bool copyTyped(const FieldT &field, int64_t count, size_t width, bool isFloat,
               std::vector<char> &out) {
  if (field.size() != count)
    return false;
  out.resize(static_cast<size_t>(count) * width);
  for (int64_t i = 0; i < count; ++i) {
    auto value = field.Get(i);
    char *dst = out.data() + i * width;
    if (isFloat && width == 4) {
      auto f = static_cast<float>(value);
      std::memcpy(dst, &f, 4);
    } else if (isFloat && width == 8) {
      auto d = static_cast<double>(value);
      std::memcpy(dst, &d, 8);
    } else {
      // Integers, bools and the bit patterns of float16/bfloat16.
      auto v = static_cast<int64_t>(value);
      std::memcpy(dst, &v, width);
    }
  }
  return true;
}

} // namespace

llvm::Error attnc::frontend::onnx_import::parseModel(StringRef path,
                                                     WeightSource &source,
                                                     onnx::ModelProto &model) {
  StringRef bytes = source.model->getBuffer();
  std::string stripped;
  source.rawData.clear();
  auto notOnnx = [&]() {
    return llvm::createStringError(path +
                                   ": not an ONNX model (protobuf parse failed)");
  };
  if (!strip(bytes, stripped, source.rawData))
    return notOnnx();
  if (stripped.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    return llvm::createStringError(
        path + ": the model without its weights is larger than 2 GiB, which "
               "protobuf cannot parse");
  if (!model.ParseFromArray(stripped.data(), static_cast<int>(stripped.size())))
    return notOnnx();
  if (model.graph().initializer_size() !=
      static_cast<int>(source.rawData.size()))
    return notOnnx();
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Reading one tensor
//===----------------------------------------------------------------------===//

llvm::Error Importer::readConstant(const onnx::TensorProto &tensor,
                                   const Twine &what, int initializerIndex,
                                   OnnxValue &out) {
  auto bad = [&](const Twine &message) {
    return llvm::createStringError(path + ": " + what + ": " + message);
  };
  Expected<Type> et = elementType(tensor.data_type(), what);
  if (!et)
    return et.takeError();
  if (tensor.has_segment())
    return bad("segmented tensors are not supported");
  SmallVector<int64_t, 4> shape;
  int64_t count = 1;
  // Element counts past 2^48 cannot be real data; stopping there keeps the
  // product from overflowing.
  constexpr int64_t limit = int64_t(1) << 48;
  for (int64_t d : tensor.dims()) {
    if (d < 0)
      return bad("negative dimension " + Twine(d) + " in dims");
    if (d != 0 && count > limit / d)
      return bad("dims " + attnc::shapeString(SmallVector<int64_t>(
                               tensor.dims().begin(), tensor.dims().end())) +
                 " have too many elements");
    count *= d;
    shape.push_back(d);
  }
  size_t width = (*et).isInteger(1) ? 1 : (*et).getIntOrFloatBitWidth() / 8;
  uint64_t bytesNeeded = static_cast<uint64_t>(count) * width;

  // The bytes: in the mapped model, an external file, or the typed fields.
  StringRef bytes;
  std::shared_ptr<llvm::MemoryBuffer> keep;
  std::vector<char> copied;
  bool external = tensor.data_location() == onnx::TensorProto::EXTERNAL;
  std::pair<uint64_t, uint64_t> raw{0, 0};
  if (initializerIndex >= 0 &&
      static_cast<size_t>(initializerIndex) < weights.rawData.size())
    raw = weights.rawData[initializerIndex];
  bool hasRaw = raw.second > 0 || tensor.has_raw_data();
  if (external) {
    std::string location;
    uint64_t offset = 0;
    std::optional<uint64_t> length;
    for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
      if (entry.key() == "location") {
        location = entry.value();
      } else if (entry.key() == "offset" || entry.key() == "length") {
        unsigned long long v = 0;
        if (llvm::getAsUnsignedInteger(entry.value(), 10, v))
          return bad("external data " + entry.key() + " '" + entry.value() +
                     "' is not a non-negative integer");
        (entry.key() == "offset" ? offset : length.emplace()) = v;
      }
    }
    if (location.empty())
      return bad("external data without a 'location'");
    if (llvm::sys::path::is_absolute(location) ||
        llvm::is_contained(llvm::make_range(llvm::sys::path::begin(location),
                                            llvm::sys::path::end(location)),
                           ".."))
      return bad("external data location '" + location +
                 "' must be a relative path inside the model's directory");
    llvm::SmallString<256> file(weights.directory);
    llvm::sys::path::append(file, location);
    auto &mapped = weights.external[file];
    if (!mapped) {
      llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
          llvm::MemoryBuffer::getFile(file, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false);
      if (!buffer)
        return bad("cannot read external data file '" + file +
                   "': " + buffer.getError().message());
      mapped = std::move(*buffer);
    }
    uint64_t size = mapped->getBufferSize();
    if (length && *length != bytesNeeded)
      return bad("external data length " + Twine(*length) + " does not match " +
                 Twine(bytesNeeded) + " bytes of " +
                 dataTypeName(tensor.data_type()) + " " +
                 attnc::shapeString(shape));
    if (offset > size || bytesNeeded > size - offset)
      return bad("external data at offset " + Twine(offset) + " (" +
                 Twine(bytesNeeded) + " bytes) runs past the end of '" + file +
                 "' (" + Twine(size) + " bytes)");
    bytes = mapped->getBuffer().substr(offset, bytesNeeded);
    keep = mapped;
  } else if (hasRaw) {
    if (raw.second > 0) {
      bytes = weights.model->getBuffer().substr(raw.first, raw.second);
      keep = weights.model;
    } else {
      bytes = tensor.raw_data();
    }
    if (bytes.size() != bytesNeeded)
      return bad("raw_data holds " + Twine(bytes.size()) + " bytes, but " +
                 dataTypeName(tensor.data_type()) + " " +
                 attnc::shapeString(shape) + " needs " + Twine(bytesNeeded));
  } else {
    bool ok = true;
    switch (tensor.data_type()) {
    case onnx::TensorProto::FLOAT:
      ok = copyTyped(tensor.float_data(), count, 4, true, copied);
      break;
    case onnx::TensorProto::DOUBLE:
      ok = copyTyped(tensor.double_data(), count, 8, true, copied);
      break;
    case onnx::TensorProto::INT64:
      ok = copyTyped(tensor.int64_data(), count, 8, false, copied);
      break;
    default:
      ok = copyTyped(tensor.int32_data(), count, width, false, copied);
      break;
    }
    if (!ok)
      return bad("holds the wrong number of values for dims " +
                 attnc::shapeString(shape) + " (" + Twine(count) +
                 " elements)");
    bytes = StringRef(copied.data(), copied.size());
  }

  auto type = RankedTensorType::get(shape, *et);
  out = OnnxValue();
  out.elementType = *et;
  for (int64_t d : shape)
    out.shape.push_back(SymInt(d));
  if ((*et).isInteger(1)) {
    // Bools are bytes in ONNX but bits in MLIR's dense attributes.
    SmallVector<bool> values;
    for (char c : bytes)
      values.push_back(c != 0);
    out.constant = DenseElementsAttr::get(type, values);
  } else if (bytesNeeded <= 64) {
    bool detectedSplat = false;
    if (!DenseElementsAttr::isValidRawBuffer(
            type, ArrayRef<char>(bytes.data(), bytes.size()), detectedSplat))
      return bad("internal error: the data does not fit its type");
    out.constant = DenseElementsAttr::getFromRawBuffer(
        type, ArrayRef<char>(bytes.data(), bytes.size()));
  } else {
    bool aligned = reinterpret_cast<uintptr_t>(bytes.data()) % width == 0;
    AsmResourceBlob blob;
    if (keep && aligned) {
      // In place: the blob keeps the mapping alive.
      blob = AsmResourceBlob(
          ArrayRef<char>(bytes.data(), bytes.size()), width,
          [keep](void *, size_t, size_t) {}, /*dataIsMutable=*/false);
    } else {
      // Unaligned (protobuf aligns nothing) or from the typed fields: one
      // copy into aligned storage, which the blob owns.
      attnc::Tensor storage(attnc::DType::I8,
                            {static_cast<int64_t>(bytes.size())});
      if (!bytes.empty())
        std::memcpy(storage.data(), bytes.data(), bytes.size());
      const char *data = static_cast<const char *>(storage.data());
      blob = AsmResourceBlob(
          ArrayRef<char>(data, bytes.size()), width,
          [storage](void *, size_t, size_t) {}, /*dataIsMutable=*/false);
    }
    std::string name = tensor.name().empty() ? "onnx_constant" : tensor.name();
    out.constant =
        DenseResourceElementsAttr::get(type, blobName(name), std::move(blob));
  }
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// External data files, for the compile cache
//===----------------------------------------------------------------------===//

Expected<std::vector<std::string>>
attnc::frontend::onnxExternalDataFiles(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(path + ": cannot read: " +
                                   buffer.getError().message());
  WeightSource source;
  source.model = std::move(*buffer);
  onnx::ModelProto model;
  if (llvm::Error e = parseModel(path, source, model))
    return std::move(e);
  std::vector<std::string> files;
  for (const onnx::TensorProto &t : model.graph().initializer()) {
    if (t.data_location() != onnx::TensorProto::EXTERNAL)
      continue;
    for (const onnx::StringStringEntryProto &entry : t.external_data()) {
      if (entry.key() != "location")
        continue;
      llvm::SmallString<256> file(llvm::sys::path::parent_path(path));
      llvm::sys::path::append(file, entry.value());
      if (!llvm::is_contained(files, std::string(file)))
        files.push_back(std::string(file));
    }
  }
  return files;
}
