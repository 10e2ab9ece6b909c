//===- TensorProto.cpp - Reads ONNX TensorProto files into host tensors ---===//

#include "frontend/OnnxImport.h"

#include "onnx/onnx_pb.h"

#include "llvm/Support/MemoryBuffer.h"

#include <cstring>
#include <limits>

using namespace attnc;
using llvm::Expected;
using llvm::StringRef;

namespace {

llvm::Error fail(StringRef path, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + message);
}

/// The host dtype of an ONNX TensorProto data type, if the runtime has one.
std::optional<DType> toDType(int32_t type) {
  switch (type) {
  case onnx::TensorProto::FLOAT:
    return DType::F32;
  case onnx::TensorProto::FLOAT16:
    return DType::F16;
  case onnx::TensorProto::BFLOAT16:
    return DType::BF16;
  case onnx::TensorProto::DOUBLE:
    return DType::F64;
  case onnx::TensorProto::BOOL:
    return DType::I1;
  case onnx::TensorProto::INT8:
    return DType::I8;
  case onnx::TensorProto::INT32:
    return DType::I32;
  case onnx::TensorProto::INT64:
    return DType::I64;
  default:
    return std::nullopt;
  }
}

/// Copies `field` (one typed repeated field of the proto) into `t`, checking
/// its length. The narrow types (bool, int8, float16, bfloat16) sit in
/// int32_data, one element per entry; float16/bfloat16 as their bit patterns.
template <typename Field>
llvm::Error copyField(const Field &field, StringRef fieldName, Tensor &t,
                      StringRef path) {
  if (field.size() != t.numElements())
    return fail(path, "field '" + fieldName + "' holds " +
                          llvm::Twine(field.size()) + " values, but dims " +
                          shapeString(t.shape()) + " need " +
                          llvm::Twine(t.numElements()));
  auto *out = static_cast<char *>(t.data());
  size_t width = byteWidth(t.dtype());
  for (int64_t i = 0; i < t.numElements(); ++i) {
    auto value = field.Get(i);
    if (t.dtype() == DType::F16 || t.dtype() == DType::BF16) {
      auto bits = static_cast<uint16_t>(value);
      std::memcpy(out + i * width, &bits, width);
    } else if (t.dtype() == DType::I1 || t.dtype() == DType::I8) {
      auto byte =
          static_cast<int8_t>(t.dtype() == DType::I1 ? value != 0 : value);
      std::memcpy(out + i * width, &byte, width);
    } else if (t.dtype() == DType::I32) {
      auto v = static_cast<int32_t>(value);
      std::memcpy(out + i * width, &v, width);
    } else {
      std::memcpy(out + i * width, &value, width);
    }
  }
  return llvm::Error::success();
}

} // namespace

Expected<Tensor> attnc::frontend::loadTensorProto(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail(path, "cannot read: " + buffer.getError().message());
  return parseTensorProto((*buffer)->getBuffer(), path);
}

Expected<Tensor> attnc::frontend::parseTensorProto(StringRef bytes,
                                                   StringRef path) {
  onnx::TensorProto proto;
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      !proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return fail(path, "not an ONNX TensorProto (protobuf parse failed)");
  std::string name = proto.name().empty() ? "" : " '" + proto.name() + "'";

  std::optional<DType> dtype = toDType(proto.data_type());
  if (!dtype)
    return fail(path, "tensor" + name + ": data_type " +
                          llvm::Twine(proto.data_type()) +
                          " is not supported (float, float16, bfloat16, "
                          "double, bool, int8, int32 and int64 are)");
  if (proto.data_location() == onnx::TensorProto::EXTERNAL ||
      proto.external_data_size() > 0)
    return fail(path, "tensor" + name + ": external data is not supported");
  if (proto.has_segment())
    return fail(path,
                "tensor" + name + ": segmented tensors are not supported");

  llvm::SmallVector<int64_t, 4> shape;
  for (int64_t d : proto.dims()) {
    if (d < 0)
      return fail(path, "tensor" + name + ": negative dimension " +
                            llvm::Twine(d) + " in dims");
    shape.push_back(d);
  }
  // The data must hold the elements the dims name before anything is
  // allocated: a file that is not a TensorProto (an OptionalProto, say) can
  // parse as one with absurd dims.
  std::optional<uint64_t> checkedCount = checkedNumElements(shape);
  if (!checkedCount)
    return fail(path, "tensor" + name + ": dims " + shapeString(shape) +
                          " have too many elements");
  uint64_t count = *checkedCount;
  if (proto.has_raw_data()) {
    uint64_t bytesNeeded = count * byteWidth(*dtype);
    if (proto.raw_data().size() != bytesNeeded)
      return fail(path, "tensor" + name + ": raw_data holds " +
                            llvm::Twine(proto.raw_data().size()) +
                            " bytes, but dims " + shapeString(shape) + " of " +
                            dtypeName(*dtype) + " need " +
                            llvm::Twine(bytesNeeded));
  } else {
    auto [fieldName, fieldSize] =
        *dtype == DType::F32   ? std::pair{"float_data", proto.float_data_size()}
        : *dtype == DType::F64 ? std::pair{"double_data",
                                           proto.double_data_size()}
        : *dtype == DType::I64 ? std::pair{"int64_data", proto.int64_data_size()}
                               : std::pair{"int32_data",
                                           proto.int32_data_size()};
    if (static_cast<uint64_t>(fieldSize) != count)
      return fail(path, "tensor" + name + ": field '" + fieldName + "' holds " +
                            llvm::Twine(fieldSize) + " values, but dims " +
                            shapeString(shape) + " need " +
                            llvm::Twine(count));
  }
  Tensor t(*dtype, shape);

  if (proto.has_raw_data()) {
    const std::string &raw = proto.raw_data();
    if (raw.size() != t.numBytes())
      return fail(path, "tensor" + name + ": raw_data holds " +
                            llvm::Twine(raw.size()) + " bytes, but dims " +
                            shapeString(shape) + " of " + dtypeName(*dtype) +
                            " need " + llvm::Twine(t.numBytes()));
    // ONNX raw data is little-endian, as is every host attnc runs on.
    if (!raw.empty())
      std::memcpy(t.data(), raw.data(), raw.size());
    if (*dtype == DType::I1)
      for (int64_t i = 0; i < t.numElements(); ++i)
        t.as<uint8_t>()[i] = t.as<uint8_t>()[i] != 0;
    return t;
  }

  llvm::Error error = llvm::Error::success();
  switch (*dtype) {
  case DType::F32:
    error = copyField(proto.float_data(), "float_data", t, path);
    break;
  case DType::F64:
    error = copyField(proto.double_data(), "double_data", t, path);
    break;
  case DType::I64:
    error = copyField(proto.int64_data(), "int64_data", t, path);
    break;
  default:
    error = copyField(proto.int32_data(), "int32_data", t, path);
    break;
  }
  if (error)
    return std::move(error);
  return t;
}
