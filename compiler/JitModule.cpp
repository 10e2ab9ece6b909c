//===- JitModule.cpp - JIT compilation of attnc code in the process -------===//

#include "compiler/JitModule.h"

#include "compiler/Entries.h"
#include "compiler/Interop.h"
#include "compiler/Toolchain.h"
#include "frontend/Input.h"
#include "frontend/Model.h"
#include "frontend/OnnxImport.h"
#include "lowering/Compile.h"
#include "runtime/CudaRuntime.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <cstdlib>
#include <dlfcn.h>
#include <mutex>

using namespace attnc;
using llvm::Expected;

/// The functions a JIT-compiled object defines for its global constructors
/// and destructors (the JIT runs no .init_array of its own).
static constexpr llvm::StringLiteral kInitFunction = "__attnc_jit_init";
static constexpr llvm::StringLiteral kFiniFunction = "__attnc_jit_fini";

JitModule::JitModule() = default;

JitModule::~JitModule() {
  if (finalizer)
    finalizer();
  if (original)
    original->destroy();
  jit.reset();
  engine.reset();
}

/// A context with everything attnc parses and lowers.
static std::unique_ptr<mlir::MLIRContext> makeContext() {
  mlir::DialectRegistry registry;
  mlir::attn::registerCompilerDialects(registry);
  auto ctx = std::make_unique<mlir::MLIRContext>(registry);
  ctx->loadAllAvailableDialects();
  return ctx;
}

//===----------------------------------------------------------------------===//
// JIT compilation
//===----------------------------------------------------------------------===//

namespace {

/// Where a compile stores its code: the cache, the entry's key, and what
/// the key was made of.
struct CacheSlot {
  const CompileCache *cache;
  CacheKey key;
  std::string summary;
  std::function<void(llvm::StringRef)> warn;
};

/// A raw_ostream that hashes what is written to it.
class HashingStream : public llvm::raw_ostream {
public:
  explicit HashingStream(llvm::BLAKE3 &hasher) : hasher(hasher) {}
  ~HashingStream() override { flush(); }

private:
  void write_impl(const char *data, size_t size) override {
    hasher.update(
        llvm::ArrayRef(reinterpret_cast<const uint8_t *>(data), size));
    position += size;
  }
  uint64_t current_pos() const override { return position; }
  llvm::BLAKE3 &hasher;
  uint64_t position = 0;
};

} // namespace

/// Builds modules: compiles, stores in and loads from the cache.
class JitModule::Builder {
public:
  /// Looks the code up in the cache (with the key `describe` completes)
  /// and loads it; otherwise compiles the module `load` makes and stores
  /// the code. Without a usable cache, just compiles.
  static Expected<std::unique_ptr<JitModule>>
  compileCached(const CompileOptions &options,
                llvm::function_ref<llvm::Error(CacheKeyBuilder &)> describe,
                llvm::function_ref<Expected<mlir::ModuleOp>()> load);
  /// Lowers `module` in place and JIT-compiles it; for the CPU, through an
  /// object that goes into `slot`'s cache when there is one.
  static Expected<std::unique_ptr<JitModule>> build(mlir::ModuleOp module,
                                                 const CompileOptions &options,
                                                 const CacheSlot *slot);
  /// Links a relocatable object made by build() and the metadata that
  /// goes with it.
  static Expected<std::unique_ptr<JitModule>> fromObject(llvm::StringRef object,
                                                      llvm::StringRef metadata);
  /// The CUDA path: MLIR's ExecutionEngine, uncached.
  static Expected<std::unique_ptr<JitModule>>
  buildWithEngine(mlir::ModuleOp module, mlir::attn::LoweringOptions lowering,
                  ModuleSignature signature, const CompileOptions &options,
                  std::string original);
};

/// Whether the environment turns the cache off ($ATTNC_NO_CACHE).
static bool cacheDisabledByEnvironment() {
  const char *value = std::getenv("ATTNC_NO_CACHE");
  return value && *value && llvm::StringRef(value) != "0";
}

/// The cache's warnings, by default on stderr.
static std::function<void(llvm::StringRef)>
warningHandler(const CacheOptions &options) {
  if (options.warning)
    return options.warning;
  return [](llvm::StringRef message) {
    llvm::WithColor::warning(llvm::errs(), "attnc") << message << "\n";
  };
}

/// The CPU code is generated for: its LLVM name and, for the host, the
/// features it has (a named CPU implies its own).
static void describeCpu(CacheKeyBuilder &key, llvm::StringRef cpu) {
  if (!cpu.empty() && cpu != "native") {
    key.add("cpu", cpu);
    return;
  }
  key.add("cpu", llvm::sys::getHostCPUName());
  std::vector<std::string> features;
  for (auto &f : llvm::sys::getHostCPUFeatures())
    features.push_back((f.second ? "+" : "-") + f.first().str());
  llvm::sort(features);
  key.add("cpu features", llvm::join(features, ","));
}

/// Everything in `options` that decides the code. The structured bindings
/// name every field of CompileOptions and LoweringOptions, so that a field
/// added to either does not compile until it is placed here (in the key,
/// or among those that do not change the code).
static void describeOptions(CacheKeyBuilder &key,
                            const CompileOptions &options) {
  [[maybe_unused]] const auto &[entry, lowering, progress, attentionMaps,
                                cache] = options;
  const auto &[target, gpuArch, gpuFormat, flash, vectorize, parallel, ukernels,
               cpu, queryBlock, keyBlock] = lowering;
  key.add("entry", entry);
  key.add("attention maps", attentionMaps ? "on" : "off");
  key.add("lowering",
          llvm::formatv("target={0} flash={1} vectorize={2} parallel={3} "
                        "ukernels={4} query-block={5} key-block={6} "
                        "gpu-arch={7} gpu-format={8}",
                        mlir::attn::targetName(target), flash, vectorize,
                        parallel, ukernels, queryBlock, keyBlock, gpuArch,
                        static_cast<int>(gpuFormat))
              .str());
  describeCpu(key, cpu);
}

Expected<std::unique_ptr<JitModule>> JitModule::Builder::compileCached(
    const CompileOptions &options,
    llvm::function_ref<llvm::Error(CacheKeyBuilder &)> describe,
    llvm::function_ref<Expected<mlir::ModuleOp>()> load) {
  auto uncached = [&]() -> Expected<std::unique_ptr<JitModule>> {
    Expected<mlir::ModuleOp> module = load();
    if (!module)
      return module.takeError();
    return build(*module, options, nullptr);
  };
  if (!options.cache.enabled || cacheDisabledByEnvironment())
    return uncached();
  if (options.lowering.target == mlir::attn::Target::Cuda) {
    // The CUDA path JIT-compiles in MLIR's ExecutionEngine, whose global
    // constructors load the kernels into the device: nothing to store.
    if (options.progress)
      options.progress("compile cache: not used for CUDA code");
    return uncached();
  }
  std::function<void(llvm::StringRef)> warn = warningHandler(options.cache);
  std::string root = options.cache.directory.empty() ? defaultCacheDirectory()
                                                     : options.cache.directory;
  if (root.empty()) {
    warn("compile cache: no cache directory (set $ATTNC_CACHE_DIR, "
         "$XDG_CACHE_HOME or $HOME); compiling without the cache");
    return uncached();
  }
  CacheKeyBuilder key;
  describeOptions(key, options);
  // An input that cannot be read fails to compile too, with the
  // frontend's own message.
  if (llvm::Error e = describe(key)) {
    llvm::consumeError(std::move(e));
    return uncached();
  }
  std::optional<CompileCache> cache =
      CompileCache::open(root, options.cache.maxBytes, warn);
  if (!cache)
    return uncached();
  CacheSlot slot{&*cache, key.finish(), key.summary(), warn};
  auto progress = [&](const llvm::Twine &step) {
    if (options.progress)
      options.progress(step.str());
  };
  if (std::optional<CacheEntry> entry = cache->lookup(slot.key, warn)) {
    progress("compile cache: hit " + entry->path);
    Expected<std::unique_ptr<JitModule>> loaded =
        fromObject(entry->object, entry->metadata);
    if (loaded) {
      (*loaded)->cached = CacheUse::Hit;
      (*loaded)->cachePath = entry->path;
      progress("ready");
      return loaded;
    }
    // Sound bytes that do not link (a library the process lacks, say):
    // the fresh code replaces them.
    warn("compile cache: " + entry->path + " cannot be loaded (" +
         llvm::toString(loaded.takeError()) +
         "); compiling it again and replacing it");
    cache->remove(slot.key);
  }
  progress("compile cache: miss " + cache->entryPath(slot.key));
  Expected<mlir::ModuleOp> module = load();
  if (!module)
    return module.takeError();
  return build(*module, options, &slot);
}

/// Replaces the global `list` (llvm.global_ctors or llvm.global_dtors) by
/// a function `name` that calls its functions in order; returns whether
/// there was such a list.
static bool lowerStructors(llvm::Module &m, llvm::StringRef list,
                           llvm::StringRef name, bool reverse) {
  llvm::GlobalVariable *global = m.getNamedGlobal(list);
  if (!global)
    return false;
  // (priority, position in the list, function): equal priorities keep
  // their order.
  std::vector<std::tuple<uint64_t, size_t, llvm::Constant *>> functions;
  if (auto *array =
          llvm::dyn_cast_or_null<llvm::ConstantArray>(global->getInitializer()))
    for (llvm::Value *v : array->operands())
      if (auto *entry = llvm::dyn_cast<llvm::ConstantStruct>(v))
        if (auto *priority =
                llvm::dyn_cast<llvm::ConstantInt>(entry->getOperand(0)))
          if (!llvm::isa<llvm::ConstantPointerNull>(entry->getOperand(1)))
            functions.emplace_back(priority->getZExtValue(), functions.size(),
                                   entry->getOperand(1));
  llvm::sort(functions);
  if (reverse)
    std::reverse(functions.begin(), functions.end());
  global->eraseFromParent();
  llvm::LLVMContext &ctx = m.getContext();
  auto *type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), false);
  auto *fn =
      llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage, name, m);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", fn));
  for (auto &[priority, position, callee] : functions)
    b.CreateCall(type, callee);
  b.CreateRetVoid();
  return true;
}

Expected<std::unique_ptr<JitModule>>
JitModule::Builder::build(mlir::ModuleOp module, const CompileOptions &options,
                       const CacheSlot *slot) {
  auto progress = [&](llvm::StringRef step) {
    if (options.progress)
      options.progress(step);
  };
  Expected<ModuleSignature> signature = prepareEntries(module, options.entry);
  if (!signature)
    return signature.takeError();
  mlir::attn::LoweringOptions lowering = options.lowering;
  bool cuda = lowering.target == mlir::attn::Target::Cuda;
  signature->target = mlir::attn::targetName(lowering.target).str();
  // A private copy for the checks of dynamic sizes: the caller's context
  // may not outlive the Module. Verifiers read types, not constants'
  // values, so the weights a model embeds are left out of it (printed as
  // elided, which parses back).
  std::string original;
  {
    llvm::raw_string_ostream os(original);
    module->print(os, mlir::OpPrintingFlags()
                          .elideLargeElementsAttrs(16)
                          .elideLargeResourceString(16));
  }
  if (cuda)
    return buildWithEngine(module, lowering, std::move(*signature), options,
                           std::move(original));

  progress("lowering to the LLVM dialect");
  if (llvm::Error e =
          mlir::attn::lowerToLLVMDialect(module, lowering, signature->toJson()))
    return std::move(e);
  progress("generating machine code");
  Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      mlir::attn::createTargetMachine(lowering.cpu);
  if (!machine)
    return machine.takeError();
  // The same steps as `attnc --emit=obj`: the code a library would hold.
  llvm::LLVMContext llvmContext;
  Expected<std::unique_ptr<llvm::Module>> llvmModule =
      mlir::attn::translateAndOptimize(module, llvmContext, **machine);
  if (!llvmModule)
    return llvmModule.takeError();
  bool init = lowerStructors(**llvmModule, "llvm.global_ctors", kInitFunction,
                             /*reverse=*/false);
  bool fini = lowerStructors(**llvmModule, "llvm.global_dtors", kFiniFunction,
                             /*reverse=*/true);
  llvm::SmallVector<char, 0> object;
  {
    llvm::raw_svector_ostream os(object);
    llvm::legacy::PassManager pm;
    if ((*machine)->addPassesToEmitFile(pm, os, nullptr,
                                        llvm::CodeGenFileType::ObjectFile))
      return llvm::createStringError(
          "the host target cannot emit object files");
    pm.run(**llvmModule);
  }
  llvm::json::Object metadata{
      {"compiler", compilerIdentity()},
      {"key", slot ? slot->summary : ""},
      {"parallel", lowering.parallel},
      {"init", init},
      {"fini", fini},
      {"source", std::move(original)},
  };
  std::string metadataText;
  {
    llvm::raw_string_ostream os(metadataText);
    os << llvm::json::Value(std::move(metadata));
  }
  // Linked first: only code that links is stored.
  llvm::StringRef objectBytes(object.data(), object.size());
  Expected<std::unique_ptr<JitModule>> result =
      fromObject(objectBytes, metadataText);
  if (!result)
    return result.takeError();
  if (slot) {
    Expected<std::string> path =
        slot->cache->store(slot->key, metadataText, objectBytes);
    if (path)
      progress("compile cache: stored " + *path);
    else
      slot->warn("compile cache: cannot store the compiled code: " +
                 llvm::toString(path.takeError()));
    (*result)->cached = CacheUse::Miss;
    (*result)->cachePath = slot->cache->entryPath(slot->key);
  }
  progress("ready");
  return result;
}

Expected<std::unique_ptr<JitModule>>
JitModule::Builder::fromObject(llvm::StringRef object, llvm::StringRef metadata) {
  Expected<llvm::json::Value> parsed = llvm::json::parse(metadata);
  if (!parsed)
    return llvm::createStringError("malformed metadata: " +
                                   llvm::toString(parsed.takeError()));
  const llvm::json::Object *fields = parsed->getAsObject();
  std::optional<llvm::StringRef> source =
      fields ? fields->getString("source") : std::nullopt;
  std::optional<bool> parallel =
      fields ? fields->getBoolean("parallel") : std::nullopt;
  std::optional<bool> init = fields ? fields->getBoolean("init") : std::nullopt;
  std::optional<bool> fini = fields ? fields->getBoolean("fini") : std::nullopt;
  if (!source || !parallel || !init || !fini)
    return llvm::createStringError("malformed metadata: a field is missing");

  static std::once_flag targetsOnce;
  std::call_once(targetsOnce, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  // Parallel loops call into LLVM's OpenMP runtime, loaded once into the
  // process (and so found by the JIT's process symbol lookup).
  if (*parallel) {
    if (Expected<std::string> omp = loadLibomp(); !omp)
      return omp.takeError();
  }
  auto fail = [](llvm::Error e) {
    return llvm::createStringError("JIT linking failed: " +
                                   llvm::toString(std::move(e)));
  };
  Expected<llvm::orc::JITTargetMachineBuilder> host =
      llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!host)
    return fail(host.takeError());
  // No ORC runtime platform: the object has no initializers of its own
  // (build() turned any into kInitFunction), and no TLS.
  Expected<std::unique_ptr<llvm::orc::LLJIT>> jit =
      llvm::orc::LLJITBuilder()
          .setJITTargetMachineBuilder(std::move(*host))
          .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
          .create();
  if (!jit)
    return fail(jit.takeError());
  // The object is linked (copied into executable memory) by the first
  // lookup, below; `object` need not outlive this function.
  if (llvm::Error e = (*jit)->addObjectFile(llvm::MemoryBuffer::getMemBuffer(
          object, "attnc-jit.o", /*RequiresNullTerminator=*/false)))
    return fail(std::move(e));
  llvm::orc::LLJIT &linked = **jit;
  Expected<llvm::orc::ExecutorAddr> json = linked.lookup("attnc_signature");
  if (!json)
    return fail(json.takeError());
  Expected<ModuleSignature> signature =
      toExpected(ModuleSignature::fromJson(json->toPtr<const char *>()));
  if (!signature)
    return signature.takeError();

  std::unique_ptr<JitModule> result(new JitModule());
  result->sigs = std::move(*signature);
  if (Status e = result->bindEntries([&](const std::string &symbol) {
        Expected<llvm::orc::ExecutorAddr> fn = linked.lookup(symbol);
        if (fn)
          return fn->toPtr<void *>();
        llvm::consumeError(fn.takeError());
        return static_cast<void *>(nullptr);
      }))
    return llvm::createStringError("JIT: " + e.message());
  for (auto [wanted, name, slot] :
       {std::tuple{*init, kInitFunction, static_cast<void (**)()>(nullptr)},
        std::tuple{*fini, kFiniFunction, &result->finalizer}}) {
    if (!wanted)
      continue;
    Expected<llvm::orc::ExecutorAddr> fn = linked.lookup(name);
    if (!fn)
      return fail(fn.takeError());
    if (slot)
      *slot = fn->toPtr<void (*)()>();
    else
      fn->toPtr<void (*)()>()();
  }
  result->jit = std::move(*jit);
  result->originalText = source->str();
  result->dynamicInputs =
      llvm::any_of(result->sigs.entries, [](const Signature &e) {
        return llvm::any_of(e.inputs, [](const TensorSpec &s) {
          return llvm::is_contained(s.shape, -1);
        });
      });
  return result;
}

Expected<std::unique_ptr<JitModule>> JitModule::Builder::buildWithEngine(
    mlir::ModuleOp module, mlir::attn::LoweringOptions lowering,
    ModuleSignature signature, const CompileOptions &options,
    std::string original) {
  auto progress = [&](llvm::StringRef step) {
    if (options.progress)
      options.progress(step);
  };
  // The JIT loads the kernels as it initializes, so the device is needed
  // now; it also decides the architecture when none is given.
  if (Status e = cuda::ensureDevice())
    return toError(e);
  if (lowering.gpuArch.empty()) {
    int cc = cuda::computeCapability();
    if (cc < 80)
      return llvm::createStringError(llvm::formatv(
          "the CUDA device {0} has compute capability {1}.{2}; attnc's "
          "CUDA code needs sm_80 or newer",
          cuda::deviceName(), cc / 10, cc % 10));
    lowering.gpuArch = cc >= 90 ? "sm_90" : "sm_80";
  }
  std::unique_ptr<JitModule> result(new JitModule());
  progress("lowering to the LLVM dialect");
  if (llvm::Error e =
          mlir::attn::lowerToLLVMDialect(module, lowering, signature.toJson()))
    return std::move(e);

  progress("generating machine code");
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      mlir::attn::createTargetMachine(lowering.cpu);
  if (!machine)
    return machine.takeError();
  mlir::ExecutionEngineOptions engineOptions;
  // `transformer` is a function_ref, called only inside create(), so the
  // function it refers to (and the machine) must outlive that call.
  std::unique_ptr<llvm::TargetMachine> tm = std::move(*machine);
  std::function<llvm::Error(llvm::Module *)> optimize =
      [opt = mlir::makeOptimizingTransformer(3, 0, tm.get())](
          llvm::Module *m) -> llvm::Error {
    if (llvm::Error e = mlir::attn::linkUkernels(*m))
      return e;
    return opt(m);
  };
  engineOptions.transformer = optimize;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  // CUDA host code calls the mgpu* functions, in the copy of
  // libattnc_cuda_runtime that this process already uses (one device, one
  // context, one pending error).
  Expected<std::string> cudaRuntime = findCudaRuntime();
  if (!cudaRuntime)
    return cudaRuntime.takeError();
  llvm::StringRef cudaLibs[] = {*cudaRuntime};
  engineOptions.sharedLibPaths = cudaLibs;
  // The JIT generates code for the same CPU as the optimizer targeted.
  Expected<std::unique_ptr<llvm::TargetMachine>> jitMachine =
      mlir::attn::createTargetMachine(lowering.cpu);
  if (!jitMachine)
    return jitMachine.takeError();
  auto engine = mlir::ExecutionEngine::create(module, engineOptions,
                                              std::move(*jitMachine));
  if (!engine)
    return llvm::createStringError("JIT compilation failed: " +
                                   llvm::toString(engine.takeError()));
  (*engine)->initialize();
  // Global constructors loaded the kernels (mgpuModuleLoad).
  if (Status e = cuda::takeError())
    return llvm::createStringError("loading the GPU kernels: " + e.message());
  result->sigs = std::move(signature);
  mlir::ExecutionEngine &jit = **engine;
  if (Status e = result->bindEntries([&](const std::string &symbol) {
        Expected<void *> fn = jit.lookup(symbol);
        if (fn)
          return *fn;
        llvm::consumeError(fn.takeError());
        return static_cast<void *>(nullptr);
      }))
    return llvm::createStringError("JIT: " + e.message());
  result->engine = std::move(*engine);
  result->originalText = std::move(original);
  result->dynamicInputs =
      llvm::any_of(result->sigs.entries, [](const Signature &e) {
        return llvm::any_of(e.inputs, [](const TensorSpec &s) {
          return llvm::is_contained(s.shape, -1);
        });
      });
  progress("ready");
  return result;
}

/// The error for CompileOptions::attentionMaps on an input that is not a
/// model description.
static llvm::Error attentionMapsNeedADescription() {
  return llvm::createStringError(
      "attention maps (CompileOptions::attentionMaps) need a model "
      "description: a .json file or a Hugging Face directory");
}

Expected<std::unique_ptr<JitModule>>
JitModule::compile(mlir::ModuleOp module, const CompileOptions &options) {
  if (options.attentionMaps)
    return attentionMapsNeedADescription();
  return Builder::compileCached(
      options,
      [&](CacheKeyBuilder &key) -> llvm::Error {
        // The bytecode holds everything the module is, weights included.
        llvm::BLAKE3 hasher;
        {
          HashingStream os(hasher);
          if (mlir::failed(mlir::writeBytecodeToFile(module, os)))
            return llvm::createStringError("cannot serialize the module");
        }
        key.add("input", "module");
        key.add("module bytecode BLAKE3",
                llvm::toHex(hasher.final(), /*LowerCase=*/true));
        return llvm::Error::success();
      },
      [&]() -> Expected<mlir::ModuleOp> { return module; });
}

Expected<std::unique_ptr<JitModule>>
JitModule::compileSource(llvm::StringRef source, const CompileOptions &options) {
  if (options.attentionMaps)
    return attentionMapsNeedADescription();
  std::unique_ptr<mlir::MLIRContext> ctx;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  return Builder::compileCached(
      options,
      [&](CacheKeyBuilder &key) {
        key.add("input", "mlir");
        key.addContent("text", source);
        return llvm::Error::success();
      },
      [&]() -> Expected<mlir::ModuleOp> {
        ctx = makeContext();
        Expected<mlir::OwningOpRef<mlir::ModuleOp>> parsed =
            parseSource(*ctx, source, "<source>");
        if (!parsed)
          return parsed.takeError();
        module = std::move(*parsed);
        return *module;
      });
}

Expected<std::unique_ptr<JitModule>>
JitModule::compileFile(llvm::StringRef path, const CompileOptions &options) {
  if (path == "-") {
    // Standard input is read once, then compiled as text would be.
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
        llvm::MemoryBuffer::getSTDIN();
    if (!buffer)
      return llvm::createStringError("-: " + buffer.getError().message());
    if (options.attentionMaps)
      return attentionMapsNeedADescription();
    std::unique_ptr<mlir::MLIRContext> ctx;
    mlir::OwningOpRef<mlir::ModuleOp> module;
    llvm::StringRef text = (*buffer)->getBuffer();
    return Builder::compileCached(
        options,
        [&](CacheKeyBuilder &key) {
          key.add("input", "mlir");
          key.addContent("text", text);
          return llvm::Error::success();
        },
        [&]() -> Expected<mlir::ModuleOp> {
          ctx = makeContext();
          Expected<mlir::OwningOpRef<mlir::ModuleOp>> parsed =
              parseSource(*ctx, text, "-");
          if (!parsed)
            return parsed.takeError();
          module = std::move(*parsed);
          return *module;
        });
  }
  bool description =
      path.ends_with(".json") || llvm::sys::fs::is_directory(path);
  if (options.attentionMaps && !description)
    return attentionMapsNeedADescription();
  std::unique_ptr<mlir::MLIRContext> ctx;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::optional<frontend::ModelDescription> model;
  return Builder::compileCached(
      options,
      [&](CacheKeyBuilder &key) -> llvm::Error {
        // A .mlir file has the key of its text in compileSource.
        if (!description) {
          bool onnx = path.ends_with(".onnx");
          key.add("input", onnx ? "onnx" : "mlir");
          if (llvm::Error e = key.addFile(onnx ? "model" : "text", path))
            return e;
          if (!onnx)
            return llvm::Error::success();
          // The weights in external data files are part of the model.
          Expected<std::vector<std::string>> external =
              frontend::onnxExternalDataFiles(path);
          if (!external)
            return external.takeError();
          for (const std::string &file : *external)
            if (llvm::Error e = key.addFile("external data", file))
              return e;
          return llvm::Error::success();
        }
        // The files the frontend reads: the description (a Hugging Face
        // directory's config.json) and the weights it names.
        Expected<frontend::ModelDescription> d =
            frontend::loadModelDescription(path);
        if (!d)
          return d.takeError();
        model = std::move(*d);
        llvm::SmallString<256> text(path);
        if (llvm::sys::fs::is_directory(path))
          llvm::sys::path::append(text, "config.json");
        key.add("input", "model description");
        if (llvm::Error e = key.addFile("description", text))
          return e;
        return key.addFile("weights", model->weights);
      },
      [&]() -> Expected<mlir::ModuleOp> {
        ctx = makeContext();
        Expected<mlir::OwningOpRef<mlir::ModuleOp>> loaded =
            mlir::OwningOpRef<mlir::ModuleOp>();
        if (description) {
          frontend::ModelOptions modelOptions;
          modelOptions.attentionMaps = options.attentionMaps;
          modelOptions.progress = options.progress;
          loaded = model ? frontend::buildModel(*ctx, *model, modelOptions)
                         : frontend::buildModel(*ctx, path, modelOptions);
        } else {
          loaded = loadInput(*ctx, path);
        }
        if (!loaded)
          return loaded.takeError();
        module = std::move(*loaded);
        return *module;
      });
}

llvm::Error JitModule::parseOriginal() {
  if (original)
    return llvm::Error::success();
  if (originalText.empty())
    return llvm::createStringError(
        "internal error: the module before lowering was not kept");
  // Dialects load as the parser meets them: a context for a few ops, not
  // for everything attnc lowers.
  mlir::DialectRegistry registry;
  mlir::attn::registerCompilerDialects(registry);
  checkContext = std::make_unique<mlir::MLIRContext>(registry);
  std::string messages;
  mlir::ScopedDiagnosticHandler handler(checkContext.get(),
                                        [&](mlir::Diagnostic &d) {
                                          messages += d.str();
                                          return mlir::success();
                                        });
  mlir::OwningOpRef<mlir::ModuleOp> copy =
      mlir::parseSourceString<mlir::ModuleOp>(originalText, checkContext.get());
  if (!copy)
    return llvm::createStringError(
        "internal error: cannot re-parse the module: " + messages);
  original = copy.release();
  return llvm::Error::success();
}

mlir::ModuleOp JitModule::sourceModule() {
  if (llvm::Error e = parseOriginal()) {
    llvm::consumeError(std::move(e));
    return nullptr;
  }
  return llvm::cast<mlir::ModuleOp>(original);
}

llvm::Error JitModule::checkDynamicSizes(const Signature &sig,
                                         Span<const Tensor> inputs) {
  mlir::OwningOpRef<mlir::ModuleOp> copy =
      llvm::cast<mlir::ModuleOp>(original->clone());
  auto fn = copy->lookupSymbol<mlir::func::FuncOp>(sig.function);
  mlir::Block &entryBlock = fn.getBody().front();
  for (auto [arg, t] : llvm::zip(entryBlock.getArguments(),
                                 llvm::ArrayRef(inputs.data(), inputs.size()))) {
    auto type = llvm::cast<mlir::RankedTensorType>(arg.getType());
    arg.setType(mlir::RankedTensorType::get(t.shape(), type.getElementType(),
                                            type.getEncoding()));
  }
  // Only the attn ops that read an input directly are re-verified: their
  // verifiers relate the sizes of different operands, and let dynamic
  // result sizes stand. (Other ops, func.return say, would object to the
  // refined types themselves.)
  std::string messages;
  mlir::ScopedDiagnosticHandler handler(
      checkContext.get(), [&](mlir::Diagnostic &d) {
        if (d.getSeverity() == mlir::DiagnosticSeverity::Error)
          messages += d.str();
        return mlir::success();
      });
  for (mlir::BlockArgument arg : entryBlock.getArguments())
    for (mlir::Operation *user : arg.getUsers())
      if (user->getDialect() && user->getDialect()->getNamespace() == "attn" &&
          user->getNumOperands() > 1 && messages.empty())
        (void)mlir::verify(user, /*verifyRecursively=*/false);
  if (messages.empty())
    return llvm::Error::success();
  return llvm::createStringError("the inputs do not fit @" + sig.function +
                                 ": " + messages);
}

Status JitModule::checkInputs(const Signature &sig,
                              Span<const Tensor> inputs) {
  if (!dynamicInputs)
    return Status();
  std::lock_guard<std::mutex> lock(checkMutex);
  if (llvm::Error e = parseOriginal())
    return toStatus(std::move(e));
  std::vector<std::vector<int64_t>> shapes;
  for (const Tensor &t : inputs)
    shapes.push_back(t.shape());
  auto &verified = verifiedShapes[sig.function];
  if (shapes != verified) {
    if (llvm::Error e = checkDynamicSizes(sig, inputs))
      return toStatus(std::move(e));
    verified = std::move(shapes);
  }
  return Status();
}
