//===- CompileCache.cpp - The JIT's on-disk cache of compiled code --------===//

#include "compiler/CompileCache.h"

#include "compiler/CompilerId.inc"

#include "mlir/Target/LLVMIR/Export.h"

#include "llvm-c/Core.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <dlfcn.h>
#include <vector>

using namespace attnc;
namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;
namespace endian = llvm::support::endian;

#ifndef ATTNC_COMPILER_ID
#error "compiler/CompilerId.inc must define ATTNC_COMPILER_ID"
#endif

//===----------------------------------------------------------------------===//
// Where, and which compiler
//===----------------------------------------------------------------------===//

std::string attnc::defaultCacheDirectory() {
  if (const char *dir = std::getenv("ATTNC_CACHE_DIR"); dir && *dir)
    return dir;
  llvm::SmallString<256> result;
  // The XDG base directory specification ignores relative paths.
  if (const char *xdg = std::getenv("XDG_CACHE_HOME");
      xdg && *xdg && path::is_absolute(xdg)) {
    result = xdg;
  } else {
    if (!path::home_directory(result))
      return "";
    path::append(result, ".cache");
  }
  path::append(result, "attnc");
  return std::string(result);
}

/// The file, size and modification time of the shared library that
/// defines `symbol` (the executable itself when it is linked statically).
static std::string libraryIdentity(const void *symbol) {
  Dl_info info;
  if (!dladdr(symbol, &info) || !info.dli_fname)
    return "unknown";
  fs::file_status status;
  if (fs::status(info.dli_fname, status))
    return info.dli_fname;
  return llvm::formatv(
             "{0} ({1} bytes, modified {2} ns)", info.dli_fname,
             status.getSize(),
             status.getLastModificationTime().time_since_epoch().count())
      .str();
}

llvm::StringRef attnc::compilerIdentity() {
  static const std::string identity = [] {
    unsigned major = 0, minor = 0, patch = 0;
    LLVMGetVersion(&major, &minor, &patch);
    return llvm::formatv(
               "attnc {0}; LLVM {1}.{2}.{3} (built against {4}); {5}; {6}",
               ATTNC_COMPILER_ID, major, minor, patch, LLVM_VERSION_STRING,
               libraryIdentity(
                   reinterpret_cast<const void *>(&llvm::sys::getHostCPUName)),
               libraryIdentity(reinterpret_cast<const void *>(
                   static_cast<std::unique_ptr<llvm::Module> (*)(
                       mlir::Operation *, llvm::LLVMContext &, llvm::StringRef,
                       bool)>(&mlir::translateModuleToLLVMIR))))
        .str();
  }();
  return identity;
}

//===----------------------------------------------------------------------===//
// Keys
//===----------------------------------------------------------------------===//

std::string attnc::toHex(const CacheKey &key) {
  return llvm::toHex(key, /*LowerCase=*/true);
}

void CacheKeyBuilder::frame(llvm::StringRef name,
                            llvm::ArrayRef<uint8_t> bytes) {
  uint8_t length[8];
  endian::write64le(length, name.size());
  hasher.update(length);
  hasher.update(llvm::arrayRefFromStringRef(name));
  endian::write64le(length, bytes.size());
  hasher.update(length);
  hasher.update(bytes);
}

namespace {
/// An entry is one file: a header, the metadata (JSON) at kHeaderSize,
/// then the relocatable object at a 64-byte aligned offset. Integers are
/// little-endian.
constexpr char kMagic[8] = {'A', 'T', 'T', 'N', 'C', 'J', 'I', 'T'};
constexpr uint32_t kFormatVersion = 1;
} // namespace

CacheKeyBuilder::CacheKeyBuilder() {
  add("entry format", llvm::formatv("ATTNCJIT {0}", kFormatVersion).str());
  add("compiler", compilerIdentity());
}

void CacheKeyBuilder::add(llvm::StringRef name, llvm::StringRef value) {
  frame(name, llvm::arrayRefFromStringRef(value));
  text += (name + ": " + value + "\n").str();
}

void CacheKeyBuilder::addContent(llvm::StringRef name, llvm::StringRef bytes) {
  addContent(name, bytes, "");
}

void CacheKeyBuilder::addContent(llvm::StringRef name, llvm::StringRef bytes,
                                 llvm::StringRef label) {
  llvm::BLAKE3Result<32> digest =
      llvm::BLAKE3::hash(llvm::arrayRefFromStringRef(bytes));
  frame(name, digest);
  text += llvm::formatv("{0}: {1}{2} bytes, BLAKE3 {3}\n", name, label,
                        bytes.size(), llvm::toHex(digest, /*LowerCase=*/true))
              .str();
}

llvm::Error CacheKeyBuilder::addFile(llvm::StringRef name,
                                     llvm::StringRef filePath) {
  // Mapped, not read: the weights of a model are large.
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(filePath, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(filePath + ": " +
                                   buffer.getError().message());
  addContent(name, (*buffer)->getBuffer(), (filePath + ", ").str());
  return llvm::Error::success();
}

CacheKey CacheKeyBuilder::finish() { return hasher.final(); }

//===----------------------------------------------------------------------===//
// Entries
//===----------------------------------------------------------------------===//

namespace {

/// The header of an entry.
constexpr size_t kHeaderSize = 128;
constexpr size_t kObjectAlignment = 64;
enum HeaderOffset : size_t {
  MagicAt = 0,             // 8 bytes
  VersionAt = 8,           // u32
  HeaderSizeAt = 12,       // u32
  KeyAt = 16,              // 32 bytes
  MetadataSizeAt = 48,     // u64; the metadata starts at kHeaderSize
  ObjectOffsetAt = 56,     // u64
  ObjectSizeAt = 64,       // u64
  FileSizeAt = 72,         // u64
  ObjectChecksumAt = 80,   // xxh3-128 of the object: 16 bytes
  MetadataChecksumAt = 96, // xxh3-64 of the metadata
  HeaderChecksumAt = 104   // xxh3-64 of bytes [0, 104)
};

uint64_t alignUp(uint64_t n) {
  return (n + kObjectAlignment - 1) / kObjectAlignment * kObjectAlignment;
}

/// Why `bytes` is not a sound entry for `key`, or empty.
std::string verify(llvm::StringRef bytes, const CacheKey &key) {
  auto u64 = [&](size_t at) { return endian::read64le(bytes.data() + at); };
  auto u32 = [&](size_t at) { return endian::read32le(bytes.data() + at); };
  if (bytes.size() < kHeaderSize)
    return llvm::formatv("truncated to {0} bytes", bytes.size()).str();
  if (!bytes.starts_with(llvm::StringRef(kMagic, sizeof(kMagic))))
    return "not an attnc cache entry (bad magic)";
  if (u64(HeaderChecksumAt) != llvm::xxh3_64bits(llvm::arrayRefFromStringRef(
                                   bytes.take_front(HeaderChecksumAt))))
    return "header checksum mismatch";
  if (u32(VersionAt) != kFormatVersion || u32(HeaderSizeAt) != kHeaderSize)
    return llvm::formatv("format {0}, expected {1}", u32(VersionAt),
                         kFormatVersion)
        .str();
  if (!std::equal(key.begin(), key.end(),
                  reinterpret_cast<const uint8_t *>(bytes.data()) + KeyAt))
    return "its key does not match its name";
  uint64_t size = u64(FileSizeAt);
  if (bytes.size() != size)
    return llvm::formatv("{0} bytes, its header says {1}", bytes.size(), size)
        .str();
  uint64_t metadataSize = u64(MetadataSizeAt), objectAt = u64(ObjectOffsetAt),
           objectSize = u64(ObjectSizeAt);
  if (metadataSize > size || objectAt % kObjectAlignment != 0 ||
      objectAt < kHeaderSize + metadataSize || objectAt > size ||
      objectSize != size - objectAt)
    return "inconsistent header";
  if (u64(MetadataChecksumAt) != llvm::xxh3_64bits(llvm::arrayRefFromStringRef(
                                     bytes.substr(kHeaderSize, metadataSize))))
    return "metadata checksum mismatch";
  llvm::XXH128_hash_t sum =
      llvm::xxh3_128bits(llvm::arrayRefFromStringRef(bytes.substr(objectAt)));
  if (sum.low64 != u64(ObjectChecksumAt) ||
      sum.high64 != u64(ObjectChecksumAt + 8))
    return "object checksum mismatch";
  return "";
}

} // namespace

std::optional<CompileCache>
CompileCache::open(llvm::StringRef root, uint64_t maxBytes,
                   const std::function<void(llvm::StringRef)> &warn) {
  llvm::SmallString<256> dir(root);
  path::append(dir, "jit");
  // An absolute path: entries are reported by it, and a later chdir in the
  // program must not move the cache.
  if (std::error_code ec = fs::make_absolute(dir)) {
    warn(("compile cache: " + dir + ": " + ec.message() +
          "; compiling without the cache")
             .str());
    return std::nullopt;
  }
  if (std::error_code ec = fs::create_directories(dir)) {
    warn(("compile cache: cannot create " + dir + ": " + ec.message() +
          "; compiling without the cache")
             .str());
    return std::nullopt;
  }
  return CompileCache(std::string(dir), maxBytes);
}

std::string CompileCache::entryPath(const CacheKey &key) const {
  llvm::SmallString<256> result(dir);
  path::append(result, toHex(key) + ".jit");
  return std::string(result);
}

std::optional<CacheEntry>
CompileCache::lookup(const CacheKey &key,
                     const std::function<void(llvm::StringRef)> &warn) const {
  std::string entry = entryPath(key);
  int fd;
  if (std::error_code ec = fs::openFileForRead(entry, fd)) {
    if (ec != std::errc::no_such_file_or_directory)
      warn("compile cache: cannot read " + entry + ": " + ec.message() +
           "; compiling it again");
    return std::nullopt;
  }
  fs::file_status status;
  std::error_code ec = fs::status(fd, status);
  // Mapped, not read: a read copy of a large model's entry costs a third of
  // a cached start (page faults on fresh memory), and the JIT copies the
  // object into its own memory right after the checks below anyway. This
  // relies on entries never being written in place: stores rename a new
  // file over the old one, and a reader keeps the file it mapped.
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      ec ? llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>>(ec)
         : llvm::MemoryBuffer::getOpenFile(
               fd, entry, status.getSize(), /*RequiresNullTerminator=*/false,
               /*IsVolatile=*/false, llvm::Align(kObjectAlignment));
  // A hit makes the entry the most recently used (pruning goes by
  // modification time; access times are often not kept).
  if (buffer)
    (void)fs::setLastAccessAndModificationTime(
        fd, std::chrono::system_clock::now());
  fs::closeFile(fd);
  if (!buffer) {
    warn("compile cache: cannot read " + entry + ": " +
         buffer.getError().message() + "; compiling it again");
    return std::nullopt;
  }
  llvm::StringRef bytes = (*buffer)->getBuffer();
  if (std::string why = verify(bytes, key); !why.empty()) {
    warn("compile cache: " + entry + " is damaged (" + why +
         "); compiling it again and replacing it");
    fs::remove(entry);
    return std::nullopt;
  }
  CacheEntry result;
  result.path = entry;
  uint64_t metadataSize = endian::read64le(bytes.data() + MetadataSizeAt);
  uint64_t objectAt = endian::read64le(bytes.data() + ObjectOffsetAt);
  result.metadata = bytes.substr(kHeaderSize, metadataSize);
  result.object = bytes.substr(objectAt);
  result.file = std::move(*buffer);
  return result;
}

llvm::Expected<std::string> CompileCache::store(const CacheKey &key,
                                                llvm::StringRef metadata,
                                                llvm::StringRef object) const {
  uint64_t objectAt = alignUp(kHeaderSize + metadata.size());
  uint64_t size = objectAt + object.size();
  char header[kHeaderSize] = {};
  std::copy(std::begin(kMagic), std::end(kMagic), header + MagicAt);
  endian::write32le(header + VersionAt, kFormatVersion);
  endian::write32le(header + HeaderSizeAt, kHeaderSize);
  std::copy(key.begin(), key.end(), header + KeyAt);
  endian::write64le(header + MetadataSizeAt, metadata.size());
  endian::write64le(header + ObjectOffsetAt, objectAt);
  endian::write64le(header + ObjectSizeAt, object.size());
  endian::write64le(header + FileSizeAt, size);
  llvm::XXH128_hash_t sum =
      llvm::xxh3_128bits(llvm::arrayRefFromStringRef(object));
  endian::write64le(header + ObjectChecksumAt, sum.low64);
  endian::write64le(header + ObjectChecksumAt + 8, sum.high64);
  endian::write64le(header + MetadataChecksumAt,
                    llvm::xxh3_64bits(llvm::arrayRefFromStringRef(metadata)));
  endian::write64le(
      header + HeaderChecksumAt,
      llvm::xxh3_64bits(llvm::ArrayRef(
          reinterpret_cast<const uint8_t *>(header), HeaderChecksumAt)));
  std::string padding(objectAt - kHeaderSize - metadata.size(), '\0');

  // Readers see either no entry or a whole one: the bytes go to a
  // temporary file in the same folder (the same file system), which is
  // renamed over the entry. Concurrent writers of one key each rename a
  // complete file; the last one stays.
  std::string entry = entryPath(key);
  llvm::SmallString<256> temporary;
  int fd;
  if (std::error_code ec =
          fs::createUniqueFile(entry + ".tmp-%%%%%%%%", fd, temporary))
    return llvm::createStringError("cannot create a file in " + dir + ": " +
                                   ec.message());
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << llvm::StringRef(header, kHeaderSize) << metadata << padding << object;
    os.close();
    if (os.has_error()) {
      std::string message = os.error().message();
      os.clear_error();
      fs::remove(temporary);
      return llvm::createStringError("cannot write " + temporary + ": " +
                                     message);
    }
  }
  if (std::error_code ec = fs::rename(temporary, entry)) {
    fs::remove(temporary);
    return llvm::createStringError("cannot rename " + temporary + " to " +
                                   entry + ": " + ec.message());
  }
  prune(entry);
  return entry;
}

void CompileCache::remove(const CacheKey &key) const {
  fs::remove(entryPath(key));
}

void CompileCache::prune(llvm::StringRef keep) const {
  struct File {
    std::string path;
    uint64_t size;
    llvm::sys::TimePoint<> used;
  };
  std::vector<File> entries;
  uint64_t total = 0;
  auto now = std::chrono::system_clock::now();
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    llvm::StringRef name = path::filename(it->path());
    fs::file_status status;
    if (fs::status(it->path(), status) ||
        status.type() != fs::file_type::regular_file)
      continue;
    if (name.contains(".jit.tmp-")) {
      // Left by a process that died while storing (a live store takes
      // seconds at most).
      if (now - status.getLastModificationTime() > std::chrono::hours(1))
        fs::remove(it->path());
      continue;
    }
    if (!name.ends_with(".jit") || name.size() != 64 + 4 ||
        !llvm::all_of(name.drop_back(4), llvm::isHexDigit))
      continue;
    entries.push_back(
        {it->path(), status.getSize(), status.getLastModificationTime()});
    total += status.getSize();
  }
  if (maxBytes == 0 || total <= maxBytes)
    return;
  std::sort(entries.begin(), entries.end(),
            [](const File &a, const File &b) { return a.used < b.used; });
  for (const File &f : entries) {
    if (total <= maxBytes)
      break;
    if (f.path == keep)
      continue;
    if (!fs::remove(f.path))
      total -= f.size;
  }
}
