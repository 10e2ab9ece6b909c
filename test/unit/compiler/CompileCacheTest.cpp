//===- CompileCacheTest.cpp - The JIT's on-disk compile cache -------------===//
//
// JitModule::compileSource / compileFile / compile through the compile cache
// (compiler/CompileCache.h): misses and hits with bit-identical results, a
// key for every option, damaged entries, the switches that turn it off, an
// unusable directory, pruning and the default directory. Each test uses a
// cache directory of its own.
//
//===----------------------------------------------------------------------===//

#include "compiler/CompileCache.h"
#include "compiler/JitModule.h"
#include "test/unit/runtime/TestTensors.h"

#include "frontend/Input.h"
#include "lowering/Compile.h"

#include "mlir/IR/MLIRContext.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <set>

using namespace attnc;
using attnc::test::random;
using attnc::test::sameBytes;

namespace {

const char *kAttention = R"mlir(
func.func @attention(%q: tensor<1x2x?x16xf32>, %k: tensor<1x2x?x16xf32>,
                     %v: tensor<1x2x?x16xf32>) -> tensor<1x2x?x16xf32> {
  %o = attn.sdpa %q, %k, %v {causal}
      : (tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>)
      -> tensor<1x2x?x16xf32>
  return %o : tensor<1x2x?x16xf32>
})mlir";

/// Small and quick to compile; `scale` makes another module.
std::string scaled(double scale) {
  return R"mlir(
func.func @forward(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c = arith.constant dense<)mlir" +
         std::to_string(scale) + R"mlir(> : tensor<4x8xf32>
  %y = arith.mulf %x, %c : tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
func.func @other(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  return %x : tensor<4x8xf32>
})mlir";
}

template <typename T> std::string errorOf(llvm::Expected<T> v) {
  if (v)
    return "<no error>";
  return toString(v.takeError());
}
template <typename T> std::string errorOf(const attnc::Result<T> &v) {
  if (v)
    return "<no error>";
  return v.status().message();
}

/// Sets an environment variable for the life of the object.
class ScopedEnv {
public:
  ScopedEnv(const char *name, const char *value) : name(name) {
    if (const char *old = std::getenv(name))
      saved = old;
    if (value)
      setenv(name, value, 1);
    else
      unsetenv(name);
  }
  ~ScopedEnv() {
    if (saved)
      setenv(name, saved->c_str(), 1);
    else
      unsetenv(name);
  }

private:
  const char *name;
  std::optional<std::string> saved;
};

/// A fresh cache directory per test, and the warnings the cache gives.
class CompileCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(
        llvm::sys::fs::createUniqueDirectory("attnc-cache-test", root));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(root); }

  CompileOptions options() {
    CompileOptions o;
    o.cache.directory = std::string(root);
    o.cache.warning = [this](llvm::StringRef w) {
      warnings.push_back(w.str());
    };
    return o;
  }
  std::string path(llvm::StringRef name) {
    llvm::SmallString<256> p(root);
    llvm::sys::path::append(p, name);
    return std::string(p);
  }
  /// The names in <root>/jit.
  std::set<std::string> files() {
    std::set<std::string> names;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(path("jit"), ec), end;
         it != end && !ec; it.increment(ec))
      names.insert(llvm::sys::path::filename(it->path()).str());
    return names;
  }
  std::unique_ptr<JitModule> compile(const std::string &source,
                                  const CompileOptions &o) {
    auto m = JitModule::compileSource(source, o);
    EXPECT_TRUE(static_cast<bool>(m)) << toString(m.takeError());
    return m ? std::move(*m) : nullptr;
  }

  llvm::SmallString<256> root;
  std::vector<std::string> warnings;
};

TEST_F(CompileCacheTest, AHitRunsTheSameCode) {
  std::unique_ptr<JitModule> cold = compile(kAttention, options());
  ASSERT_TRUE(cold);
  EXPECT_EQ(cold->cacheUse(), CacheUse::Miss);
  EXPECT_TRUE(llvm::sys::fs::exists(cold->cacheEntry()));
  EXPECT_TRUE(llvm::StringRef(cold->cacheEntry()).starts_with(path("jit")));
  EXPECT_EQ(files().size(), 1u);

  std::vector<std::string> steps;
  CompileOptions o = options();
  o.progress = [&](llvm::StringRef s) { steps.push_back(s.str()); };
  std::unique_ptr<JitModule> hit = compile(kAttention, o);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->cacheUse(), CacheUse::Hit);
  EXPECT_EQ(hit->cacheEntry(), cold->cacheEntry());
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0], "compile cache: hit " + cold->cacheEntry());
  EXPECT_EQ(steps[1], "ready");
  EXPECT_EQ(hit->signature().function, "attention");
  EXPECT_EQ(hit->signature().inputs[0].shape,
            std::vector<int64_t>({1, 2, -1, 16}));

  Tensor q = random({1, 2, 7, 16}, 1), k = random({1, 2, 9, 16}, 2),
         v = random({1, 2, 9, 16}, 3);
  auto a = cold->run({q, k, v});
  auto b = hit->run({q, k, v});
  ASSERT_TRUE(static_cast<bool>(a)) << toString(a.takeError());
  ASSERT_TRUE(static_cast<bool>(b)) << toString(b.takeError());
  EXPECT_TRUE(sameBytes((*a)[0], (*b)[0]));
  // Dynamic sizes are re-verified on the cached code too.
  EXPECT_EQ(errorOf(hit->run({q, k, q})),
            "the inputs do not fit @attention: 'attn.sdpa' op value length 7 "
            "does not match key length 9");
  // The module as compiled, without its weights.
  mlir::ModuleOp source = hit->sourceModule();
  ASSERT_TRUE(source);
  EXPECT_TRUE(source.lookupSymbol("attention"));
  EXPECT_TRUE(warnings.empty());
}

TEST_F(CompileCacheTest, EveryOptionIsPartOfTheKey) {
  std::string source = scaled(2);
  std::set<std::string> entries;
  auto entryFor = [&](const CompileOptions &o) {
    std::unique_ptr<JitModule> m = compile(source, o);
    if (!m)
      return std::string();
    EXPECT_EQ(m->cacheUse(), CacheUse::Miss) << m->cacheEntry();
    entries.insert(m->cacheEntry());
    return m->cacheEntry();
  };
  std::string base = entryFor(options());
  std::vector<std::function<void(CompileOptions &)>> changes = {
      [](CompileOptions &o) { o.entry = "other"; },
      [](CompileOptions &o) { o.lowering.flash = false; },
      [](CompileOptions &o) { o.lowering.vectorize = false; },
      [](CompileOptions &o) { o.lowering.parallel = false; },
      [](CompileOptions &o) { o.lowering.ukernels = false; },
      [](CompileOptions &o) { o.lowering.cpu = "x86-64"; },
      [](CompileOptions &o) { o.lowering.queryBlock = 16; },
      [](CompileOptions &o) { o.lowering.keyBlock = 16; },
  };
  for (auto &change : changes) {
    CompileOptions o = options();
    change(o);
    entryFor(o);
  }
  EXPECT_EQ(entries.size(), changes.size() + 1);
  // The host CPU by name ("native", or empty) is the same key.
  CompileOptions native = options();
  native.lowering.cpu = "native";
  std::unique_ptr<JitModule> m = compile(source, native);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->cacheUse(), CacheUse::Hit);
  EXPECT_EQ(m->cacheEntry(), base);
  // Another constant is another module.
  std::unique_ptr<JitModule> other = compile(scaled(3), options());
  ASSERT_TRUE(other);
  EXPECT_EQ(other->cacheUse(), CacheUse::Miss);
  Tensor x = random({4, 8}, 7);
  auto y = other->run({x});
  ASSERT_TRUE(static_cast<bool>(y)) << toString(y.takeError());
  EXPECT_FLOAT_EQ((*y)[0].as<float>()[5], 3 * x.as<float>()[5]);
}

TEST_F(CompileCacheTest, DamagedEntriesAreCompiledAgainAndReplaced) {
  std::string source = scaled(2);
  std::unique_ptr<JitModule> cold = compile(source, options());
  ASSERT_TRUE(cold);
  std::string entry = cold->cacheEntry();
  uint64_t size;
  ASSERT_FALSE(llvm::sys::fs::file_size(entry, size));
  Tensor x = random({4, 8}, 4);
  auto want = cold->run({x});
  ASSERT_TRUE(static_cast<bool>(want));

  auto damageAndRecompile = [&](const std::function<void()> &damage,
                                const std::string &why) {
    SCOPED_TRACE(why);
    damage();
    warnings.clear();
    std::unique_ptr<JitModule> again = compile(source, options());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->cacheUse(), CacheUse::Miss);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0], "compile cache: " + entry + " is damaged (" + why +
                               "); compiling it again and replacing it");
    auto got = again->run({x});
    ASSERT_TRUE(static_cast<bool>(got)) << toString(got.takeError());
    EXPECT_TRUE(sameBytes((*want)[0], (*got)[0]));
    uint64_t replaced;
    ASSERT_FALSE(llvm::sys::fs::file_size(entry, replaced));
    EXPECT_EQ(replaced, size);
    // Sound again.
    warnings.clear();
    std::unique_ptr<JitModule> hit = compile(source, options());
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->cacheUse(), CacheUse::Hit);
    EXPECT_TRUE(warnings.empty());
  };
  auto rewrite = [&](const std::function<void(std::string &)> &edit) {
    auto buffer = llvm::MemoryBuffer::getFile(entry);
    ASSERT_TRUE(static_cast<bool>(buffer));
    std::string bytes = (*buffer)->getBuffer().str();
    edit(bytes);
    std::ofstream(entry, std::ios::binary | std::ios::trunc) << bytes;
  };
  damageAndRecompile(
      [&] { rewrite([](std::string &b) { b.resize(b.size() / 2); }); },
      "" + std::to_string(size / 2) + " bytes, its header says " +
          std::to_string(size));
  damageAndRecompile([&] { rewrite([](std::string &b) { b.resize(7); }); },
                     "truncated to 7 bytes");
  damageAndRecompile(
      [&] { rewrite([](std::string &b) { b[b.size() - 9] ^= 1; }); },
      "object checksum mismatch");
  damageAndRecompile([&] { rewrite([](std::string &b) { b[200] ^= 0x10; }); },
                     "metadata checksum mismatch");
  damageAndRecompile([&] { rewrite([](std::string &b) { b[40] ^= 1; }); },
                     "header checksum mismatch");
  damageAndRecompile([&] { rewrite([](std::string &b) { b[0] = 'X'; }); },
                     "not an attnc cache entry (bad magic)");
  // A sound entry under another key, as one from another compiler would
  // be if names collided.
  std::unique_ptr<JitModule> other = compile(scaled(5), options());
  ASSERT_TRUE(other);
  damageAndRecompile(
      [&] {
        ASSERT_FALSE(llvm::sys::fs::copy_file(other->cacheEntry(), entry));
      },
      "its key does not match its name");
}

TEST_F(CompileCacheTest, OffMeansNoFiles) {
  CompileOptions o = options();
  o.cache.enabled = false;
  std::unique_ptr<JitModule> m = compile(scaled(2), o);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->cacheUse(), CacheUse::Off);
  EXPECT_EQ(m->cacheEntry(), "");
  EXPECT_FALSE(llvm::sys::fs::exists(path("jit")));
  {
    ScopedEnv off("ATTNC_NO_CACHE", "1");
    m = compile(scaled(2), options());
    ASSERT_TRUE(m);
    EXPECT_EQ(m->cacheUse(), CacheUse::Off);
    EXPECT_FALSE(llvm::sys::fs::exists(path("jit")));
  }
  {
    ScopedEnv on("ATTNC_NO_CACHE", "0");
    m = compile(scaled(2), options());
    ASSERT_TRUE(m);
    EXPECT_EQ(m->cacheUse(), CacheUse::Miss);
  }
  // The code is still checked and runs the same.
  EXPECT_TRUE(static_cast<bool>(m->run({random({4, 8}, 5)})));
  EXPECT_TRUE(warnings.empty());
}

TEST_F(CompileCacheTest, AnUnusableDirectoryWarnsAndCompiles) {
  std::string file = path("file");
  std::ofstream(file) << "not a directory";
  CompileOptions o = options();
  o.cache.directory = file;
  std::unique_ptr<JitModule> m = compile(scaled(2), o);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->cacheUse(), CacheUse::Off);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "compile cache: cannot create " + file +
                             "/jit: Not a directory; compiling without the "
                             "cache");
  EXPECT_TRUE(static_cast<bool>(m->run({random({4, 8}, 6)})));
}

TEST_F(CompileCacheTest, InputsAreKeyedByContent) {
  // The same text from two files and from a string: one entry.
  std::string a = path("a.mlir"), b = path("b.mlir");
  std::ofstream(a) << kAttention;
  std::ofstream(b) << kAttention;
  auto first = JitModule::compileFile(a, options());
  ASSERT_TRUE(static_cast<bool>(first)) << toString(first.takeError());
  EXPECT_EQ((*first)->cacheUse(), CacheUse::Miss);
  auto second = JitModule::compileFile(b, options());
  ASSERT_TRUE(static_cast<bool>(second)) << toString(second.takeError());
  EXPECT_EQ((*second)->cacheUse(), CacheUse::Hit);
  std::unique_ptr<JitModule> text = compile(kAttention, options());
  ASSERT_TRUE(text);
  EXPECT_EQ(text->cacheUse(), CacheUse::Hit);
  EXPECT_EQ(text->cacheEntry(), (*first)->cacheEntry());

  // A parsed module, by its bytecode: the same module parsed twice.
  auto parsedModule = [&](mlir::MLIRContext &ctx, const std::string &src) {
    auto m = parseSource(ctx, src, "test");
    EXPECT_TRUE(static_cast<bool>(m)) << toString(m.takeError());
    return std::move(*m);
  };
  std::set<std::string> entries;
  for (int i = 0; i < 2; ++i) {
    mlir::DialectRegistry registry;
    mlir::attn::registerCompilerDialects(registry);
    mlir::MLIRContext ctx(registry);
    auto module = parsedModule(ctx, scaled(4));
    auto m = JitModule::compile(*module, options());
    ASSERT_TRUE(static_cast<bool>(m)) << toString(m.takeError());
    EXPECT_EQ((*m)->cacheUse(), i == 0 ? CacheUse::Miss : CacheUse::Hit);
    entries.insert((*m)->cacheEntry());
  }
  EXPECT_EQ(entries.size(), 1u);
  // A missing file is the frontend's error, cache or not.
  EXPECT_EQ(errorOf(JitModule::compileFile(path("missing.mlir"), options())),
            path("missing.mlir") + ": No such file or directory");
  EXPECT_TRUE(warnings.empty());
}

TEST_F(CompileCacheTest, PruningRemovesTheLeastRecentlyUsed) {
  std::unique_ptr<JitModule> a = compile(scaled(6), options());
  std::unique_ptr<JitModule> b = compile(scaled(7), options());
  ASSERT_TRUE(a && b);
  uint64_t sizeA, sizeB;
  ASSERT_FALSE(llvm::sys::fs::file_size(a->cacheEntry(), sizeA));
  ASSERT_FALSE(llvm::sys::fs::file_size(b->cacheEntry(), sizeB));
  // A hit makes `a` the most recently used.
  auto past = std::chrono::system_clock::now() - std::chrono::minutes(5);
  for (const std::string &entry : {a->cacheEntry(), b->cacheEntry()}) {
    int fd;
    ASSERT_FALSE(llvm::sys::fs::openFileForWrite(
        entry, fd, llvm::sys::fs::CD_OpenExisting));
    ASSERT_FALSE(llvm::sys::fs::setLastAccessAndModificationTime(fd, past));
    llvm::sys::fs::closeFile(fd);
  }
  ASSERT_TRUE(compile(scaled(6), options()));
  // A store that died long ago left a temporary file.
  std::string stale =
      path("jit") + "/" + std::string(64, 'a') + ".jit.tmp-12345678";
  std::ofstream(stale) << "half an entry";
  {
    int fd;
    ASSERT_FALSE(llvm::sys::fs::openFileForWrite(
        stale, fd, llvm::sys::fs::CD_OpenExisting));
    ASSERT_FALSE(llvm::sys::fs::setLastAccessAndModificationTime(
        fd, std::chrono::system_clock::now() - std::chrono::hours(2)));
    llvm::sys::fs::closeFile(fd);
  }
  // Room for two entries: storing a third removes `b`, the least recently
  // used, and the stale file.
  CompileOptions o = options();
  o.cache.maxBytes = sizeA + sizeB + std::max(sizeA, sizeB) - 1;
  std::unique_ptr<JitModule> c = compile(scaled(8), o);
  ASSERT_TRUE(c);
  EXPECT_TRUE(llvm::sys::fs::exists(a->cacheEntry()));
  EXPECT_FALSE(llvm::sys::fs::exists(b->cacheEntry()));
  EXPECT_TRUE(llvm::sys::fs::exists(c->cacheEntry()));
  EXPECT_FALSE(llvm::sys::fs::exists(stale));
  // The entry just stored stays, even over the limit.
  o.cache.maxBytes = 1;
  std::unique_ptr<JitModule> d = compile(scaled(9), o);
  ASSERT_TRUE(d);
  EXPECT_EQ(files(), std::set<std::string>{
                         llvm::sys::path::filename(d->cacheEntry()).str()});
}

TEST_F(CompileCacheTest, TheDefaultDirectory) {
  ScopedEnv home("HOME", "/home/someone");
  {
    ScopedEnv dir("ATTNC_CACHE_DIR", "/somewhere/attnc-cache");
    ScopedEnv xdg("XDG_CACHE_HOME", "/xdg");
    EXPECT_EQ(defaultCacheDirectory(), "/somewhere/attnc-cache");
  }
  ScopedEnv dir("ATTNC_CACHE_DIR", nullptr);
  {
    ScopedEnv xdg("XDG_CACHE_HOME", "/xdg");
    EXPECT_EQ(defaultCacheDirectory(), "/xdg/attnc");
  }
  {
    // Relative XDG paths are invalid, and ignored.
    ScopedEnv xdg("XDG_CACHE_HOME", "relative");
    EXPECT_EQ(defaultCacheDirectory(), "/home/someone/.cache/attnc");
  }
  ScopedEnv xdg("XDG_CACHE_HOME", nullptr);
  EXPECT_EQ(defaultCacheDirectory(), "/home/someone/.cache/attnc");

  // The default is used when CompileOptions names no directory.
  ScopedEnv here("ATTNC_CACHE_DIR", root.c_str());
  CompileOptions o = options();
  o.cache.directory.clear();
  std::unique_ptr<JitModule> m = compile(scaled(2), o);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->cacheUse(), CacheUse::Miss);
  EXPECT_TRUE(llvm::StringRef(m->cacheEntry()).starts_with(path("jit")));
}

TEST_F(CompileCacheTest, TheKeyNamesTheCompiler) {
  llvm::StringRef id = compilerIdentity();
  EXPECT_TRUE(id.starts_with("attnc ")) << id.str();
  EXPECT_TRUE(id.contains("; LLVM ")) << id.str();
  EXPECT_TRUE(id.contains("libLLVM")) << id.str();
  CacheKeyBuilder a, b;
  a.add("x", "12");
  a.add("3", "");
  b.add("x", "1");
  b.add("23", "");
  EXPECT_NE(a.finish(), b.finish());
  EXPECT_TRUE(llvm::StringRef(a.summary()).contains("compiler: attnc "));
}

TEST_F(CompileCacheTest, AttentionMapsNeedADescription) {
  CompileOptions o = options();
  o.attentionMaps = true;
  EXPECT_EQ(errorOf(JitModule::compileSource(kAttention, o)),
            "attention maps (CompileOptions::attentionMaps) need a model "
            "description: a .json file or a Hugging Face directory");
}

} // namespace
