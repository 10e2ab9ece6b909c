//===- Tensor.cpp - Host tensors and .npy files ----------------------------===//

#include "runtime/Tensor.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <unistd.h>

using namespace attnc;

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
  std::abort(); // every DType is handled above
}

std::string_view attnc::dtypeName(DType type) {
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
  std::abort(); // every DType is handled above
}

Result<DType> attnc::parseDType(std::string_view name) {
  for (DType t : {DType::F32, DType::F16, DType::BF16, DType::F64, DType::I1,
                  DType::I8, DType::I32, DType::I64})
    if (dtypeName(t) == name)
      return t;
  return error("unsupported element type '", name, "'");
}

std::string attnc::shapeString(Span<const int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
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

Tensor::Tensor(DType type, Span<const int64_t> shape)
    : type(type), dims(shape.vec()) {
  storage = allocateZeroed(numBytes());
  if (!storage) {
    std::fputs("attnc: out of memory: cannot allocate a tensor\n", stderr);
    std::abort();
  }
}

Result<Tensor> Tensor::allocate(DType type, Span<const int64_t> shape) {
  std::optional<uint64_t> count = checkedNumElements(shape);
  if (!count)
    return error("a tensor of shape ", shapeString(shape),
                 " has a negative dimension or more than 2^48 elements");
  uint64_t bytes = *count * byteWidth(type);
  Tensor t;
  t.type = type;
  t.dims.assign(shape.begin(), shape.end());
  t.storage = allocateZeroed(bytes);
  if (!t.storage)
    return error("out of memory: cannot allocate ", bytes,
                 " bytes for a tensor of shape ", shapeString(shape));
  return t;
}

Tensor Tensor::adopt(DType type, Span<const int64_t> shape, void *data,
                     std::function<void(void *)> release) {
  Tensor t;
  t.type = type;
  t.dims.assign(shape.begin(), shape.end());
  t.storage = std::shared_ptr<void>(data, std::move(release));
  return t;
}

std::optional<uint64_t> attnc::checkedNumElements(Span<const int64_t> shape) {
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

/// The double a 16-bit float of `mantissaBits` and `exponentBits` (IEEE
/// half: 10 and 5; bfloat16: 7 and 8) encodes.
static double fromSmallFloat(uint16_t bits, int mantissaBits,
                             int exponentBits) {
  int bias = (1 << (exponentBits - 1)) - 1;
  uint32_t mantissa = bits & ((1u << mantissaBits) - 1);
  uint32_t exponent = (bits >> mantissaBits) & ((1u << exponentBits) - 1);
  double sign = (bits & 0x8000) ? -1.0 : 1.0;
  if (exponent == (1u << exponentBits) - 1)
    return mantissa ? std::copysign(std::numeric_limits<double>::quiet_NaN(),
                                    sign)
                    : sign * std::numeric_limits<double>::infinity();
  if (exponent == 0) // subnormal
    return sign * std::ldexp(mantissa, 1 - bias - mantissaBits);
  return sign * std::ldexp(mantissa + (1u << mantissaBits),
                           static_cast<int>(exponent) - bias - mantissaBits);
}

/// The nearest 16-bit float to `v` (ties to even; beyond the largest finite
/// value, infinity), as fromSmallFloat encodes them.
static uint16_t toSmallFloat(double v, int mantissaBits, int exponentBits) {
  int bias = (1 << (exponentBits - 1)) - 1;
  int minExponent = 1 - bias;
  uint16_t sign = std::signbit(v) ? 0x8000 : 0;
  uint16_t infinity = ((1u << exponentBits) - 1) << mantissaBits;
  if (std::isnan(v))
    return sign | infinity | (1u << (mantissaBits - 1));
  double a = std::fabs(v);
  if (std::isinf(a))
    return sign | infinity;
  // Scaling by a power of two is exact, so nearbyint rounds once.
  if (a < std::ldexp(1.0, minExponent)) {
    // Subnormal: a multiple of the smallest one. Rounding up to
    // 2^mantissaBits gives the smallest normal's encoding.
    double units = std::nearbyint(std::ldexp(a, mantissaBits - minExponent));
    return sign | static_cast<uint16_t>(units);
  }
  int exponent;
  std::frexp(a, &exponent);
  --exponent; // a = 1.m * 2^exponent
  double significand = std::nearbyint(std::ldexp(a, mantissaBits - exponent));
  if (significand == std::ldexp(1.0, mantissaBits + 1)) {
    significand /= 2;
    ++exponent;
  }
  if (exponent > bias)
    return sign | infinity;
  return sign | static_cast<uint16_t>((exponent + bias) << mantissaBits) |
         static_cast<uint16_t>(significand - std::ldexp(1.0, mantissaBits));
}

double attnc::halfToDouble(uint16_t bits) { return fromSmallFloat(bits, 10, 5); }
double attnc::bfloat16ToDouble(uint16_t bits) {
  return fromSmallFloat(bits, 7, 8);
}
uint16_t attnc::doubleToHalf(double v) { return toSmallFloat(v, 10, 5); }
uint16_t attnc::doubleToBfloat16(double v) { return toSmallFloat(v, 7, 8); }

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
    return type == DType::F16 ? halfToDouble(bits) : bfloat16ToDouble(bits);
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
  std::abort(); // every DType is handled above
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
    uint16_t bits =
        type == DType::F16 ? doubleToHalf(v) : doubleToBfloat16(v);
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
  std::abort(); // every DType is handled above
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
static std::string_view npyDescr(DType type) {
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
  std::abort(); // every DType is handled above
}

/// `s` without leading spaces.
static std::string_view ltrim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  return s;
}

/// Whether `s` starts with `prefix`; if so, drops it.
static bool consumeFront(std::string_view &s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix)
    return false;
  s.remove_prefix(prefix.size());
  return true;
}

/// The value of `'key': VALUE` in the header's Python dict literal.
static std::optional<std::string_view> headerField(std::string_view header,
                                                   std::string_view key) {
  size_t at = header.find("'" + std::string(key) + "'");
  if (at == std::string_view::npos)
    return std::nullopt;
  std::string_view rest = ltrim(header.substr(at + key.size() + 2));
  if (!consumeFront(rest, ":"))
    return std::nullopt;
  return ltrim(rest);
}

Result<Tensor> attnc::loadNpy(std::string_view pathView) {
  std::string path(pathView);
  std::FILE *file = std::fopen(path.c_str(), "rb");
  if (!file)
    return error(path, ": ", std::strerror(errno));
  std::string bytes;
  char chunk[1 << 16];
  size_t got;
  while ((got = std::fread(chunk, 1, sizeof chunk, file)) > 0)
    bytes.append(chunk, got);
  int readError = std::ferror(file) ? errno : 0;
  std::fclose(file);
  if (readError)
    return error(path, ": ", std::strerror(readError));
  return parseNpy(bytes, path);
}

Result<Tensor> attnc::parseNpy(std::string_view bytes, std::string_view path) {
  auto fail = [&](const auto &...what) { return error(path, ": ", what...); };
  if (!consumeFront(bytes, "\x93NUMPY") || bytes.size() < 4)
    return fail("not a .npy file (bad magic)");
  uint8_t major = bytes[0];
  size_t headerLen;
  if (major == 1) {
    headerLen = uint8_t(bytes[2]) | (uint8_t(bytes[3]) << 8);
    bytes.remove_prefix(4);
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 6)
      return fail("truncated header");
    headerLen = uint32_t(uint8_t(bytes[2])) | uint32_t(uint8_t(bytes[3])) << 8 |
                uint32_t(uint8_t(bytes[4])) << 16 |
                uint32_t(uint8_t(bytes[5])) << 24;
    bytes.remove_prefix(6);
  } else {
    return fail("unsupported .npy version ", int(major));
  }
  if (bytes.size() < headerLen)
    return fail("truncated header");
  std::string_view header = bytes.substr(0, headerLen);
  bytes.remove_prefix(headerLen);

  auto descr = headerField(header, "descr");
  auto order = headerField(header, "fortran_order");
  auto shapeText = headerField(header, "shape");
  if (!descr || !order || !shapeText)
    return fail("header lacks 'descr', 'fortran_order' or 'shape'");
  if (order->substr(0, 5) != "False")
    return fail("Fortran-order arrays are not supported");

  std::string_view d = descr->substr(descr->empty() ? 0 : 1);
  d = d.substr(0, d.find_first_of("'\""));
  std::optional<DType> type;
  for (DType t : {DType::F32, DType::F16, DType::F64, DType::I1, DType::I8,
                  DType::I32, DType::I64})
    if (npyDescr(t) == d ||
        (d.size() == 3 && d[0] == '=' && npyDescr(t).substr(1) == d.substr(1)))
      type = t;
  if (!type)
    return fail("unsupported dtype '", d, "'");

  if (!consumeFront(*shapeText, "("))
    return fail("malformed 'shape'");
  std::vector<int64_t> shape;
  std::string_view dimsText = shapeText->substr(0, shapeText->find(')'));
  while (!dimsText.empty()) {
    size_t comma = dimsText.find(',');
    std::string_view part = dimsText.substr(0, comma);
    dimsText.remove_prefix(comma == std::string_view::npos ? dimsText.size()
                                                           : comma + 1);
    part = ltrim(part);
    while (!part.empty() && (part.back() == ' ' || part.back() == '\t'))
      part.remove_suffix(1);
    if (part.empty())
      continue;
    // Decimal digits only, within int64_t.
    int64_t value = -1;
    auto [end, err] =
        std::from_chars(part.data(), part.data() + part.size(), value);
    if (err != std::errc() || end != part.data() + part.size() || value < 0)
      return fail("malformed 'shape' entry '", part, "'");
    shape.push_back(value);
  }

  // The data must be there before anything is allocated: a header may
  // claim any shape.
  std::optional<uint64_t> count = checkedNumElements(shape);
  if (!count)
    return fail("shape ", shapeString(shape), " has more than 2^48 elements");
  uint64_t needed = *count * byteWidth(*type);
  if (bytes.size() < needed)
    return fail("holds ", bytes.size(), " data bytes, but shape ",
                shapeString(shape), " of ", dtypeName(*type), " needs ",
                needed);
  Tensor t(*type, shape);
  std::memcpy(t.data(), bytes.data(), t.numBytes());
  // numpy reads any nonzero byte of a bool array as true; compiled code
  // reads an i1 byte's low bit, so bytes become 0 or 1 here.
  if (*type == DType::I1) {
    auto *b = static_cast<uint8_t *>(t.data());
    for (size_t i = 0, e = t.numBytes(); i < e; ++i)
      b[i] = b[i] != 0;
  }
  return t;
}

/// Writes all of `size` bytes to `fd`.
static bool writeAll(int fd, const char *data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

Status attnc::saveNpy(const Tensor &t, std::string_view pathView) {
  std::string path(pathView);
  const Tensor &out = t.dtype() == DType::BF16 ? t.convert(DType::F32) : t;
  std::string header = "{'descr': '" + std::string(npyDescr(out.dtype())) +
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
  std::string prefix = "\x93NUMPY";
  prefix += char(1);
  prefix += char(0);
  prefix += char(header.size() & 0xff);
  prefix += char(header.size() >> 8);
  prefix += header;

  auto write = [&](int fd) {
    return writeAll(fd, prefix.data(), prefix.size()) &&
           writeAll(fd, static_cast<const char *>(out.data()), out.numBytes());
  };
  if (path == "-") {
    if (!write(STDOUT_FILENO))
      return error("-: ", std::strerror(errno));
    return Status();
  }
  // Written under a temporary name beside the file and renamed: a failed
  // or interrupted run never leaves a truncated .npy that looks valid.
  std::string temporary = path + ".tmp-XXXXXX";
  int fd = ::mkstemp(temporary.data());
  if (fd < 0)
    return error(path, ": ", std::strerror(errno));
  bool written = write(fd);
  int writeErrno = errno;
  if (::close(fd) != 0 && written) {
    written = false;
    writeErrno = errno;
  }
  if (written && std::rename(temporary.c_str(), path.c_str()) != 0) {
    written = false;
    writeErrno = errno;
  }
  if (!written) {
    std::remove(temporary.c_str());
    return error(path, ": ", std::strerror(writeErrno));
  }
  return Status();
}
