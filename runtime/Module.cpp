//===- Module.cpp - JIT compilation and loading of compiled attnc code ----===//

#include "runtime/Module.h"

#include "frontend/Input.h"
#include "lowering/Compile.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include "llvm/Support/TargetSelect.h"

#include <dlfcn.h>

using namespace attnc;
using llvm::Expected;

#ifndef ATTNC_LIBOMP_PATH
#error "ATTNC_LIBOMP_PATH must name LLVM's libomp.so"
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
  std::unique_ptr<Module> result(new Module());
  bool dynamic = llvm::any_of(signature->entries, [](const Signature &e) {
    return llvm::any_of(e.inputs, [](const TensorSpec &s) {
      return llvm::is_contained(s.shape, -1);
    });
  });
  if (dynamic) {
    // A private copy: the caller's context may not outlive this Module.
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
    result->checkContext = makeContext();
    auto copy = mlir::parseSourceString<mlir::ModuleOp>(
        text, result->checkContext.get());
    if (!copy)
      return llvm::createStringError(
          "internal error: cannot re-parse the module");
    result->original = copy.release();
  }
  progress("lowering to the LLVM dialect");
  if (llvm::Error e = lowerToLLVMDialect(module, options.lowering, *signature))
    return std::move(e);

  progress("generating machine code");
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      createHostTargetMachine();
  if (!machine)
    return machine.takeError();
  mlir::ExecutionEngineOptions engineOptions;
  // `transformer` is a function_ref, called only inside create(), so the
  // function it refers to (and the machine) must outlive that call.
  std::unique_ptr<llvm::TargetMachine> tm = std::move(*machine);
  std::function<llvm::Error(llvm::Module *)> optimize =
      mlir::makeOptimizingTransformer(3, 0, tm.get());
  engineOptions.transformer = optimize;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  // Parallel loops call into LLVM's OpenMP runtime.
  llvm::StringRef libs[] = {ATTNC_LIBOMP_PATH};
  if (options.lowering.parallel)
    engineOptions.sharedLibPaths = libs;
  auto engine = mlir::ExecutionEngine::create(module, engineOptions);
  if (!engine)
    return llvm::createStringError("JIT compilation failed: " +
                                   llvm::toString(engine.takeError()));
  (*engine)->initialize();
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

Expected<std::vector<Tensor>> Module::run(llvm::StringRef entry,
                                          llvm::ArrayRef<Tensor> inputs) {
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
  size_t index = &sig - sigs.entries.data();
  return invokeEntry(entries[index], sig, inputs);
}
