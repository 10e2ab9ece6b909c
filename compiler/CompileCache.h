//===- CompileCache.h - The JIT's on-disk compile cache ---------*- C++ -*-===//
//
// JitModule::compileFile / compileSource / compile keep the machine code they
// generate in a directory, keyed by everything that decides it: the input's
// content (weights included), the compile options, the target CPU and the
// compiler's identity. A later compile with the same key loads the code
// instead of compiling again. compiler/README.md ("Compile cache") describes
// the layout, the entry format and the decisions behind them.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_COMPILECACHE_H
#define ATTNC_RUNTIME_COMPILECACHE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace attnc {

/// Where and whether the JIT caches compiled code (CompileOptions::cache).
struct CacheOptions {
  /// Off: always compile, read and write nothing. The environment variable
  /// ATTNC_NO_CACHE (set, non-empty and not "0") turns caching off too,
  /// whatever this says.
  bool enabled = true;
  /// The cache's root; entries go in its `jit/` folder. Empty: the default,
  /// defaultCacheDirectory().
  std::string directory;
  /// After storing an entry, the least recently used others are removed
  /// until the `jit/` folder holds at most this many bytes; 0: no limit.
  uint64_t maxBytes = uint64_t(5) << 30;
  /// Told why the cache could not be used (an unwritable directory, a
  /// damaged entry that is being replaced); compilation goes on without
  /// it. Empty: printed on stderr as "attnc: warning: ...".
  std::function<void(llvm::StringRef)> warning;
};

/// The default cache root: $ATTNC_CACHE_DIR, else $XDG_CACHE_HOME/attnc,
/// else ~/.cache/attnc (the home directory from $HOME, else the password
/// database); empty when none can be found.
std::string defaultCacheDirectory();

/// The identity of this compiler: a digest, made at build time, of the
/// libraries that import, lower and generate code (and of the JIT's own
/// sources), with the LLVM version, and the size and time of the LLVM and
/// MLIR shared libraries loaded now. Anything that can change the code
/// generated changes it.
llvm::StringRef compilerIdentity();

/// A cache key: BLAKE3 of the fields that identify a compiled module.
using CacheKey = std::array<uint8_t, 32>;

/// Accumulates the fields of a key. Each field is framed by its name and
/// length, so that different sequences of fields never hash alike.
class CacheKeyBuilder {
public:
  /// Starts with the entry format and compilerIdentity(): code from
  /// another build of the compiler never matches.
  CacheKeyBuilder();
  void add(llvm::StringRef name, llvm::StringRef value);
  /// A large value: hashed, and shown in summary() by its digest.
  void addContent(llvm::StringRef name, llvm::StringRef bytes);
  /// The contents of the file at `path` (not its name: a copy of a model
  /// elsewhere has the same key).
  llvm::Error addFile(llvm::StringRef name, llvm::StringRef path);
  CacheKey finish();
  /// One "name: value" line per field (contents by their digests), stored
  /// in the entry so that a person can tell what it was compiled from.
  const std::string &summary() const { return text; }

private:
  void frame(llvm::StringRef name, llvm::ArrayRef<uint8_t> bytes);
  void addContent(llvm::StringRef name, llvm::StringRef bytes,
                  llvm::StringRef label);
  llvm::BLAKE3 hasher;
  std::string text;
};

/// 64 lowercase hex digits.
std::string toHex(const CacheKey &key);

/// An entry read back and verified.
struct CacheEntry {
  std::string path;
  /// The entry's JSON metadata and its relocatable object, inside `file`.
  llvm::StringRef metadata, object;
  std::unique_ptr<llvm::MemoryBuffer> file;
};

/// The `jit/` folder of a cache root.
class CompileCache {
public:
  /// Creates `root`/jit when needed. On failure the warning says why and
  /// the result is empty: compile without the cache.
  static std::optional<CompileCache>
  open(llvm::StringRef root, uint64_t maxBytes,
       const std::function<void(llvm::StringRef)> &warn);

  /// `root`/jit/<key in hex>.jit
  std::string entryPath(const CacheKey &key) const;

  /// The verified entry for `key`, or none. A damaged entry (wrong magic,
  /// format, key or size; a checksum mismatch) is never returned: it is
  /// removed, and `warn` says so.
  std::optional<CacheEntry>
  lookup(const CacheKey &key,
         const std::function<void(llvm::StringRef)> &warn) const;

  /// Writes the entry for `key` atomically (a temporary file in the same
  /// folder, renamed over the entry), then prunes the folder to maxBytes,
  /// sparing this entry. Returns the entry's path.
  llvm::Expected<std::string> store(const CacheKey &key,
                                    llvm::StringRef metadata,
                                    llvm::StringRef object) const;

  /// Removes the entry for `key`, if any.
  void remove(const CacheKey &key) const;

  llvm::StringRef directory() const { return dir; }

private:
  CompileCache(std::string dir, uint64_t maxBytes)
      : dir(std::move(dir)), maxBytes(maxBytes) {}
  /// Removes least recently used entries until the folder holds at most
  /// maxBytes, never `keep`; also temporary files an interrupted store left
  /// more than an hour ago.
  void prune(llvm::StringRef keep) const;

  std::string dir;
  uint64_t maxBytes;
};

} // namespace attnc

#endif // ATTNC_RUNTIME_COMPILECACHE_H
