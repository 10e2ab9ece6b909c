//===- Tensor.cpp - Host tensors and .npy files ----------------------------===//

#include "runtime/Tensor.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <cstring>

using namespace attnc;
using llvm::Expected;
using llvm::StringRef;

size_t attnc::byteWidth(DType type) {
  switch (type) {
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F16:
  case DType::BF16:
    return 2;
  case DType::F64:
  case DType::I64:
    return 8;
  case DType::I1:
  case DType::I8:
    return 1;
  }
  llvm_unreachable("unknown dtype");
}

StringRef attnc::dtypeName(DType type) {
  switch (type) {
  case DType::F32:
    return "f32";
  case DType::F16:
    return "f16";
  case DType::BF16:
    return "bf16";
  case DType::F64:
    return "f64";
  case DType::I1:
    return "i1";
  case DType::I8:
    return "i8";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  }
  llvm_unreachable("unknown dtype");
}

Expected<DType> attnc::parseDType(StringRef name) {
  for (DType t : {DType::F32, DType::F16, DType::BF16, DType::F64, DType::I1,
                  DType::I8, DType::I32, DType::I64})
    if (dtypeName(t) == name)
      return t;
  return llvm::createStringError("unsupported element type '" + name + "'");
}

std::string attnc::shapeString(llvm::ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(shape, os);
  os << "]";
  return s;
}

/// Zero-filled, 64-byte aligned storage of `bytes` (rounded up to whole
/// cache lines, which vectorized code may read), or null.
static std::shared_ptr<void> allocateZeroed(size_t bytes) {
  bytes = (std::max<size_t>(bytes, 1) + 63) / 64 * 64;
  void *p = std::aligned_alloc(64, bytes);
  if (!p)
    return nullptr;
  std::memset(p, 0, bytes);
  return std::shared_ptr<void>(p, [](void *q) { std::free(q); });
}

Tensor::Tensor(DType type, llvm::ArrayRef<int64_t> shape)
    : type(type), dims(shape) {
  storage = allocateZeroed(numBytes());
  if (!storage)
    llvm::report_bad_alloc_error("attnc: cannot allocate a tensor");
}

Expected<Tensor> Tensor::allocate(DType type, llvm::ArrayRef<int64_t> shape) {
  std::optional<uint64_t> count = checkedNumElements(shape);
  if (!count)
    return llvm::createStringError(
        "a tensor of shape " + shapeString(shape) +
        " has a negative dimension or more than 2^48 elements");
  uint64_t bytes = *count * byteWidth(type);
  Tensor t;
  t.type = type;
  t.dims.assign(shape.begin(), shape.end());
  t.storage = allocateZeroed(bytes);
  if (!t.storage)
    return llvm::createStringError("out of memory: cannot allocate " +
                                   llvm::Twine(bytes) +
                                   " bytes for a tensor of shape " +
                                   shapeString(shape));
  return t;
}

Tensor Tensor::adopt(DType type, llvm::ArrayRef<int64_t> shape, void *data,
                     std::function<void(void *)> release) {
  Tensor t;
  t.type = type;
  t.dims.assign(shape.begin(), shape.end());
  t.storage = std::shared_ptr<void>(data, std::move(release));
  return t;
}

std::optional<uint64_t> attnc::checkedNumElements(
    llvm::ArrayRef<int64_t> shape) {
  uint64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return std::nullopt;
    if (d != 0 && count > kMaxFileElements / static_cast<uint64_t>(d))
      return std::nullopt;
    count *= static_cast<uint64_t>(d);
  }
  return count;
}

int64_t Tensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

static const llvm::fltSemantics &semantics(DType type) {
  return type == DType::F16 ? llvm::APFloat::IEEEhalf()
                            : llvm::APFloat::BFloat();
}

double Tensor::getDouble(int64_t i) const {
  const char *p = static_cast<const char *>(data()) + i * byteWidth(type);
  switch (type) {
  case DType::F32: {
    float v;
    std::memcpy(&v, p, 4);
    return v;
  }
  case DType::F64: {
    double v;
    std::memcpy(&v, p, 8);
    return v;
  }
  case DType::F16:
  case DType::BF16: {
    uint16_t bits;
    std::memcpy(&bits, p, 2);
    return llvm::APFloat(semantics(type), llvm::APInt(16, bits))
        .convertToDouble();
  }
  case DType::I1:
  case DType::I8:
    return static_cast<int8_t>(*p);
  case DType::I32: {
    int32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }
  case DType::I64: {
    int64_t v;
    std::memcpy(&v, p, 8);
    return static_cast<double>(v);
  }
  }
  llvm_unreachable("unknown dtype");
}

void Tensor::setDouble(int64_t i, double v) {
  char *p = static_cast<char *>(data()) + i * byteWidth(type);
  switch (type) {
  case DType::F32: {
    float f = static_cast<float>(v);
    std::memcpy(p, &f, 4);
    return;
  }
  case DType::F64:
    std::memcpy(p, &v, 8);
    return;
  case DType::F16:
  case DType::BF16: {
    llvm::APFloat f(v);
    bool lost;
    f.convert(semantics(type), llvm::APFloat::rmNearestTiesToEven, &lost);
    uint16_t bits = static_cast<uint16_t>(f.bitcastToAPInt().getZExtValue());
    std::memcpy(p, &bits, 2);
    return;
  }
  case DType::I1:
    *p = v != 0.0;
    return;
  case DType::I8:
    *p = static_cast<int8_t>(v);
    return;
  case DType::I32: {
    int32_t x = static_cast<int32_t>(v);
    std::memcpy(p, &x, 4);
    return;
  }
  case DType::I64: {
    int64_t x = static_cast<int64_t>(v);
    std::memcpy(p, &x, 8);
    return;
  }
  }
  llvm_unreachable("unknown dtype");
}

Tensor Tensor::convert(DType to) const {
  Tensor out(to, dims);
  if (to == type) {
    std::memcpy(out.data(), data(), numBytes());
    return out;
  }
  for (int64_t i = 0, e = numElements(); i < e; ++i)
    out.setDouble(i, getDouble(i));
  return out;
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

/// numpy's dtype descriptor for a little-endian host.
static StringRef npyDescr(DType type) {
  switch (type) {
  case DType::F32:
  case DType::BF16:
    return "<f4";
  case DType::F16:
    return "<f2";
  case DType::F64:
    return "<f8";
  case DType::I1:
    return "|b1";
  case DType::I8:
    return "|i1";
  case DType::I32:
    return "<i4";
  case DType::I64:
    return "<i8";
  }
  llvm_unreachable("unknown dtype");
}

/// The value of `'key': VALUE` in the header's Python dict literal.
static std::optional<StringRef> headerField(StringRef header, StringRef key) {
  size_t at = header.find(("'" + key + "'").str());
  if (at == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(at + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  return rest.ltrim();
}

Expected<Tensor> attnc::loadNpy(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(path + ": " + buffer.getError().message());
  return parseNpy((*buffer)->getBuffer(), path);
}

Expected<Tensor> attnc::parseNpy(StringRef bytes, StringRef path) {
  auto fail = [&](const llvm::Twine &msg) {
    return llvm::createStringError(path + ": " + msg);
  };
  if (!bytes.consume_front("\x93NUMPY") || bytes.size() < 4)
    return fail("not a .npy file (bad magic)");
  uint8_t major = bytes[0];
  size_t headerLen;
  if (major == 1) {
    headerLen = uint8_t(bytes[2]) | (uint8_t(bytes[3]) << 8);
    bytes = bytes.drop_front(4);
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 6)
      return fail("truncated header");
    headerLen = uint32_t(uint8_t(bytes[2])) | uint32_t(uint8_t(bytes[3])) << 8 |
                uint32_t(uint8_t(bytes[4])) << 16 |
                uint32_t(uint8_t(bytes[5])) << 24;
    bytes = bytes.drop_front(6);
  } else {
    return fail("unsupported .npy version " + llvm::Twine(int(major)));
  }
  if (bytes.size() < headerLen)
    return fail("truncated header");
  StringRef header = bytes.take_front(headerLen);
  bytes = bytes.drop_front(headerLen);

  auto descr = headerField(header, "descr");
  auto order = headerField(header, "fortran_order");
  auto shapeText = headerField(header, "shape");
  if (!descr || !order || !shapeText)
    return fail("header lacks 'descr', 'fortran_order' or 'shape'");
  if (!order->starts_with("False"))
    return fail("Fortran-order arrays are not supported");

  StringRef d = descr->drop_front().take_until([](char c) {
    return c == '\'' || c == '"';
  });
  std::optional<DType> type;
  for (DType t : {DType::F32, DType::F16, DType::F64, DType::I1, DType::I8,
                  DType::I32, DType::I64})
    if (npyDescr(t) == d || (d.size() == 3 && d[0] == '=' &&
                             npyDescr(t).drop_front() == d.drop_front()))
      type = t;
  if (!type)
    return fail("unsupported dtype '" + d + "'");

  if (!shapeText->consume_front("("))
    return fail("malformed 'shape'");
  llvm::SmallVector<int64_t> shape;
  StringRef dimsText = shapeText->take_until([](char c) { return c == ')'; });
  llvm::SmallVector<StringRef> parts;
  dimsText.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (StringRef part : parts) {
    part = part.trim();
    if (part.empty())
      continue;
    int64_t v;
    if (part.getAsInteger(10, v) || v < 0)
      return fail("malformed 'shape' entry '" + part + "'");
    shape.push_back(v);
  }

  // The data must be there before anything is allocated: a header may
  // claim any shape.
  std::optional<uint64_t> count = checkedNumElements(shape);
  if (!count)
    return fail("shape " + shapeString(shape) + " has more than 2^48 elements");
  uint64_t needed = *count * byteWidth(*type);
  if (bytes.size() < needed)
    return fail("holds " + llvm::Twine(bytes.size()) + " data bytes, but shape " +
                shapeString(shape) + " of " + dtypeName(*type) + " needs " +
                llvm::Twine(needed));
  Tensor t(*type, shape);
  std::memcpy(t.data(), bytes.data(), t.numBytes());
  // numpy reads any nonzero byte of a bool array as true; compiled code
  // reads an i1 byte's low bit, so bytes become 0 or 1 here.
  if (*type == DType::I1)
    for (uint8_t &b : llvm::MutableArrayRef<uint8_t>(
             static_cast<uint8_t *>(t.data()), t.numBytes()))
      b = b != 0;
  return t;
}

llvm::Error attnc::saveNpy(const Tensor &t, StringRef path) {
  const Tensor &out = t.dtype() == DType::BF16 ? t.convert(DType::F32) : t;
  std::string header = "{'descr': '" + npyDescr(out.dtype()).str() +
                       "', 'fortran_order': False, 'shape': (";
  for (int64_t d : out.shape())
    header += std::to_string(d) + ",";
  // Python spells a 1-tuple "(n,)" and longer ones without a trailing comma.
  if (out.rank() > 1)
    header.pop_back();
  header += ")";
  header += ", }";
  // Pad with spaces so the data starts 64-byte aligned, as numpy does.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  // Written under a temporary name and renamed: a failed or interrupted
  // run never leaves a truncated .npy that looks valid.
  llvm::Error e = llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
    os << "\x93NUMPY" << char(1) << char(0) << char(header.size() & 0xff)
       << char(header.size() >> 8) << header;
    os.write(static_cast<const char *>(out.data()), out.numBytes());
    return llvm::Error::success();
  });
  if (e)
    return llvm::createStringError(
        path + ": " + llvm::errorToErrorCode(std::move(e)).message());
  return llvm::Error::success();
}
