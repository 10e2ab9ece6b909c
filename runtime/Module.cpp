//===- Module.cpp - JIT compilation and loading of compiled attnc code ----===//

#include "runtime/Module.h"

#include "frontend/Input.h"
#include "lowering/Compile.h"
#include "runtime/CudaRuntime.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/TargetSelect.h"

#include <dlfcn.h>

using namespace attnc;
using llvm::Expected;

#ifndef ATTNC_LIBOMP_PATH
#error "ATTNC_LIBOMP_PATH must name LLVM's libomp.so"
#endif
#ifndef ATTNC_CUDA_RUNTIME_LIBRARY
#error "ATTNC_CUDA_RUNTIME_LIBRARY must name libattnc_cuda_runtime.so"
#endif

Module::Module() = default;

Module::~Module() {
  if (original)
    original->destroy();
  engine.reset();
  if (library)
    dlclose(library);
}

/// A context with everything attnc parses and lowers.
static std::unique_ptr<mlir::MLIRContext> makeContext() {
  mlir::DialectRegistry registry;
  registerCompilerDialects(registry);
  auto ctx = std::make_unique<mlir::MLIRContext>(registry);
  ctx->loadAllAvailableDialects();
  return ctx;
}

const Signature &Module::signature() const {
  for (const Signature &s : sigs.entries)
    if (s.function == sigs.defaultEntry)
      return s;
  return sigs.entries.front();
}

llvm::Error
Module::bindEntries(llvm::function_ref<void *(llvm::StringRef)> lookup) {
  for (const Signature &s : sigs.entries) {
    std::string symbol = "_mlir_ciface_" + s.function;
    void *fn = lookup(symbol);
    if (!fn)
      return llvm::createStringError("missing entry point " + symbol);
    entries.push_back(fn);
  }
  return llvm::Error::success();
}

Expected<std::unique_ptr<Module>>
Module::compile(mlir::ModuleOp module, const CompileOptions &options) {
  auto progress = [&](llvm::StringRef step) {
    if (options.progress)
      options.progress(step);
  };
  Expected<ModuleSignature> signature = prepareEntries(module, options.entry);
  if (!signature)
    return signature.takeError();
  mlir::attn::LoweringOptions lowering = options.lowering;
  bool cuda = lowering.target == mlir::attn::Target::Cuda;
  if (cuda) {
    // The JIT loads the kernels as it initializes, so the device is needed
    // now; it also decides the architecture when none is given.
    if (llvm::Error e = cuda::ensureDevice())
      return std::move(e);
    if (lowering.gpuArch.empty()) {
      int cc = cuda::computeCapability();
      if (cc < 80)
        return llvm::createStringError(llvm::formatv(
            "the CUDA device {0} has compute capability {1}.{2}; attnc's "
            "CUDA code needs sm_80 or newer",
            cuda::deviceName(), cc / 10, cc % 10));
      lowering.gpuArch = cc >= 90 ? "sm_90" : "sm_80";
    }
  }
  signature->target = mlir::attn::targetName(lowering.target).str();
  std::unique_ptr<Module> result(new Module());
  bool dynamic = llvm::any_of(signature->entries, [](const Signature &e) {
    return llvm::any_of(e.inputs, [](const TensorSpec &s) {
      return llvm::is_contained(s.shape, -1);
    });
  });
  if (dynamic) {
    // A private copy: the caller's context may not outlive this Module.
    // Verifiers read types, not constants' values, so the weights a model
    // embeds are left out of it (printed as elided, which parses back).
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os, mlir::OpPrintingFlags()
                          .elideLargeElementsAttrs(16)
                          .elideLargeResourceString(16));
    result->checkContext = makeContext();
    auto copy = mlir::parseSourceString<mlir::ModuleOp>(
        text, result->checkContext.get());
    if (!copy)
      return llvm::createStringError(
          "internal error: cannot re-parse the module");
    result->original = copy.release();
  }
  progress("lowering to the LLVM dialect");
  if (llvm::Error e = lowerToLLVMDialect(module, lowering, *signature))
    return std::move(e);

  progress("generating machine code");
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(lowering.cpu);
  if (!machine)
    return machine.takeError();
  mlir::ExecutionEngineOptions engineOptions;
  // `transformer` is a function_ref, called only inside create(), so the
  // function it refers to (and the machine) must outlive that call.
  std::unique_ptr<llvm::TargetMachine> tm = std::move(*machine);
  std::function<llvm::Error(llvm::Module *)> optimize =
      [opt = mlir::makeOptimizingTransformer(3, 0, tm.get())](
          llvm::Module *m) -> llvm::Error {
    if (llvm::Error e = linkUkernels(*m))
      return e;
    return opt(m);
  };
  engineOptions.transformer = optimize;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  // Parallel loops call into LLVM's OpenMP runtime; CUDA host code calls
  // the mgpu* functions, in the copy of libattnc_cuda_runtime that this
  // process already uses (one device, one context, one pending error).
  llvm::StringRef ompLibs[] = {ATTNC_LIBOMP_PATH};
  llvm::StringRef cudaLibs[] = {ATTNC_CUDA_RUNTIME_LIBRARY};
  if (cuda)
    engineOptions.sharedLibPaths = cudaLibs;
  else if (lowering.parallel)
    engineOptions.sharedLibPaths = ompLibs;
  // The JIT generates code for the same CPU as the optimizer targeted.
  Expected<std::unique_ptr<llvm::TargetMachine>> jitMachine =
      createTargetMachine(lowering.cpu);
  if (!jitMachine)
    return jitMachine.takeError();
  auto engine = mlir::ExecutionEngine::create(module, engineOptions,
                                              std::move(*jitMachine));
  if (!engine)
    return llvm::createStringError("JIT compilation failed: " +
                                   llvm::toString(engine.takeError()));
  (*engine)->initialize();
  // Global constructors loaded the kernels (mgpuModuleLoad).
  if (cuda)
    if (llvm::Error e = cuda::takeError())
      return llvm::createStringError("loading the GPU kernels: " +
                                     llvm::toString(std::move(e)));
  result->sigs = std::move(*signature);
  mlir::ExecutionEngine &jit = **engine;
  if (llvm::Error e = result->bindEntries([&](llvm::StringRef symbol) {
        Expected<void *> fn = jit.lookup(symbol);
        if (fn)
          return *fn;
        llvm::consumeError(fn.takeError());
        return static_cast<void *>(nullptr);
      }))
    return llvm::createStringError("JIT: " + llvm::toString(std::move(e)));
  result->engine = std::move(*engine);
  progress("ready");
  return result;
}

Expected<std::unique_ptr<Module>>
Module::compileSource(llvm::StringRef source, const CompileOptions &options) {
  std::unique_ptr<mlir::MLIRContext> ctx = makeContext();
  Expected<mlir::OwningOpRef<mlir::ModuleOp>> module =
      parseSource(*ctx, source, "<source>");
  if (!module)
    return module.takeError();
  return compile(**module, options);
}

Expected<std::unique_ptr<Module>>
Module::compileFile(llvm::StringRef path, const CompileOptions &options) {
  std::unique_ptr<mlir::MLIRContext> ctx = makeContext();
  Expected<mlir::OwningOpRef<mlir::ModuleOp>> module = loadInput(*ctx, path);
  if (!module)
    return module.takeError();
  return compile(**module, options);
}

Expected<std::unique_ptr<Module>> Module::load(llvm::StringRef path) {
  void *handle = dlopen(path.str().c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return llvm::createStringError(path + ": cannot load: " + dlerror());
  std::unique_ptr<Module> result(new Module());
  result->library = handle;
  auto *json = static_cast<const char *>(dlsym(handle, "attnc_signature"));
  if (!json)
    return llvm::createStringError(
        path + ": not an attnc library (no attnc_signature symbol)");
  Expected<ModuleSignature> signature = ModuleSignature::fromJson(json);
  if (!signature)
    return llvm::createStringError(path + ": " +
                                   llvm::toString(signature.takeError()));
  result->sigs = std::move(*signature);
  if (llvm::Error e = result->bindEntries([&](llvm::StringRef symbol) {
        return dlsym(handle, symbol.str().c_str());
      }))
    return llvm::createStringError(path + ": " + llvm::toString(std::move(e)));
  if (result->isCuda()) {
    // dlopen ran the library's constructors, which loaded its kernels; with
    // no device they failed, and the device's error says why.
    if (llvm::Error e = cuda::ensureDevice()) {
      llvm::consumeError(cuda::takeError());
      return llvm::createStringError(path + ": " +
                                     llvm::toString(std::move(e)));
    }
    if (llvm::Error e = cuda::takeError())
      return llvm::createStringError(
          path + ": loading the GPU kernels: " + llvm::toString(std::move(e)));
  }
  return result;
}

llvm::Error Module::checkDynamicSizes(const Signature &sig,
                                      llvm::ArrayRef<Tensor> inputs) {
  mlir::OwningOpRef<mlir::ModuleOp> copy =
      llvm::cast<mlir::ModuleOp>(original->clone());
  auto fn = copy->lookupSymbol<mlir::func::FuncOp>(sig.function);
  mlir::Block &entryBlock = fn.getBody().front();
  for (auto [arg, t] : llvm::zip(entryBlock.getArguments(), inputs)) {
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

Expected<const Signature &>
Module::checkedEntry(llvm::StringRef entry, llvm::ArrayRef<Tensor> inputs) {
  Expected<const Signature &> found = sigs.find(entry);
  if (!found)
    return found.takeError();
  const Signature &sig = *found;
  if (llvm::Error e = sig.check(inputs))
    return std::move(e);
  if (original) {
    std::vector<llvm::SmallVector<int64_t, 4>> shapes;
    for (const Tensor &t : inputs)
      shapes.emplace_back(t.shape());
    auto &verified = verifiedShapes[sig.function];
    if (shapes != verified) {
      if (llvm::Error e = checkDynamicSizes(sig, inputs))
        return std::move(e);
      verified = std::move(shapes);
    }
  }
  return sig;
}

Expected<std::vector<Tensor>>
Module::callOnDevice(const Signature &sig,
                     llvm::ArrayRef<Tensor> deviceInputs) {
  if (llvm::Error e = cuda::ensureDevice())
    return std::move(e);
  size_t index = &sig - sigs.entries.data();
  Expected<std::vector<Tensor>> results =
      invokeEntry(entries[index], sig, deviceInputs,
                  [](void *p) { llvm::consumeError(cuda::free(p)); });
  // A failed call may still have returned (null) results; they are dropped.
  if (llvm::Error e = cuda::takeError()) {
    if (!results)
      llvm::consumeError(results.takeError());
    return llvm::createStringError("@" + sig.function + ": " +
                                   llvm::toString(std::move(e)));
  }
  return results;
}

Expected<std::vector<Tensor>>
Module::runOnDevice(llvm::StringRef entry,
                    llvm::ArrayRef<Tensor> deviceInputs) {
  if (!isCuda())
    return llvm::createStringError(
        "runOnDevice needs a module compiled for CUDA; this one runs on the "
        "CPU");
  Expected<const Signature &> sig = checkedEntry(entry, deviceInputs);
  if (!sig)
    return sig.takeError();
  return callOnDevice(*sig, deviceInputs);
}

Expected<std::vector<Tensor>> Module::run(llvm::StringRef entry,
                                          llvm::ArrayRef<Tensor> inputs) {
  Expected<const Signature &> sig = checkedEntry(entry, inputs);
  if (!sig)
    return sig.takeError();
  if (llvm::Error e = sig->checkIndices(inputs))
    return std::move(e);
  if (!isCuda()) {
    size_t index = &*sig - sigs.entries.data();
    return invokeEntry(entries[index], *sig, inputs);
  }
  std::vector<Tensor> deviceInputs;
  for (const Tensor &t : inputs) {
    Expected<Tensor> copy = toDevice(t);
    if (!copy)
      return copy.takeError();
    deviceInputs.push_back(std::move(*copy));
  }
  Expected<std::vector<Tensor>> deviceResults =
      callOnDevice(*sig, deviceInputs);
  if (!deviceResults)
    return deviceResults.takeError();
  std::vector<Tensor> results;
  for (const Tensor &t : *deviceResults) {
    Expected<Tensor> copy = toHost(t);
    if (!copy)
      return copy.takeError();
    results.push_back(std::move(*copy));
  }
  return results;
}

Expected<Tensor> attnc::toDevice(const Tensor &host) {
  if (llvm::Error e = cuda::ensureDevice())
    return std::move(e);
  Expected<void *> memory = cuda::alloc(host.numBytes());
  if (!memory)
    return memory.takeError();
  Tensor device =
      Tensor::adopt(host.dtype(), host.shape(), *memory,
                    [](void *p) { llvm::consumeError(cuda::free(p)); });
  if (host.numBytes() != 0)
    if (llvm::Error e =
            cuda::copyToDevice(*memory, host.data(), host.numBytes()))
      return std::move(e);
  return device;
}

Expected<Tensor> attnc::toHost(const Tensor &device) {
  Tensor host(device.dtype(), device.shape());
  if (device.numBytes() != 0)
    if (llvm::Error e =
            cuda::copyToHost(host.data(), device.data(), device.numBytes()))
      return std::move(e);
  return host;
}
