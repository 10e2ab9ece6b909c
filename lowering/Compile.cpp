//===- Compile.cpp - From an attn module to optimised LLVM IR
//--------------===//

#include "lowering/Compile.h"

#include "dialect/AttnDialect.h"
#include "dialect/AttnOps.h"
#include "lowering/Passes.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"

#include <mutex>

using namespace mlir;
using llvm::Expected;

void attnc::registerCompilerDialects(DialectRegistry &registry) {
  registry.insert<attn::AttnDialect>();
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  // Pipelines are parsed from text, which resolves pass names through the
  // global registry.
  static std::once_flag once;
  std::call_once(once, [] {
    registerAllPasses();
    attn::registerAttnPasses();
    attn::registerAttnLoweringPasses();
    attn::registerLoweringPipelines();
  });
}

/// Collects the diagnostics emitted while it lives, for an llvm::Error.
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(MLIRContext *ctx)
      : handler(ctx, [this](Diagnostic &d) {
          llvm::raw_string_ostream os(text);
          os << d.getLocation() << ": " << d << "\n";
          for (Diagnostic &note : d.getNotes())
            os << "  note: " << note << "\n";
          return success();
        }) {}
  llvm::Error error(const llvm::Twine &context) const {
    return llvm::createStringError(context + (text.empty() ? "" : ":\n") +
                                   llvm::StringRef(text).rtrim());
  }

private:
  std::string text;
  ScopedDiagnosticHandler handler;
};

/// The runtime element type of a tensor element type.
static std::optional<attnc::DType> dtypeOf(Type t) {
  if (t.isF32())
    return attnc::DType::F32;
  if (t.isF16())
    return attnc::DType::F16;
  if (t.isBF16())
    return attnc::DType::BF16;
  if (t.isF64())
    return attnc::DType::F64;
  if (t.isInteger(1))
    return attnc::DType::I1;
  if (t.isInteger(8))
    return attnc::DType::I8;
  if (t.isInteger(32))
    return attnc::DType::I32;
  if (t.isInteger(64))
    return attnc::DType::I64;
  return std::nullopt;
}

/// The signature of the entry point `fn`.
static Expected<attnc::Signature> signatureOf(func::FuncOp fn) {
  using namespace attnc;
  Signature sig;
  sig.function = fn.getName().str();
  // Names from the attribute `attr`, which must name each of the `count`
  // inputs or results with a string when it is there; `prefix` and the
  // position otherwise.
  auto names = [&](StringRef attr, size_t count, StringRef what,
                   StringRef prefix) -> Expected<std::vector<std::string>> {
    std::vector<std::string> out;
    Attribute raw = fn->getAttr(attr);
    auto given = dyn_cast_or_null<ArrayAttr>(raw);
    if (raw && (!given || given.size() != count))
      return llvm::createStringError(
          llvm::Twine("@") + sig.function + ": " + attr + " must list " +
          llvm::Twine(count) + " names, one per " + what + "; it " +
          (given ? "lists " + llvm::Twine(given.size())
                 : llvm::Twine("is not a list")));
    for (size_t i = 0; i < count; ++i) {
      StringAttr s = given ? dyn_cast<StringAttr>(given[i]) : StringAttr();
      if (given && !s)
        return llvm::createStringError(
            llvm::Twine("@") + sig.function + ": " + attr + " entry #" +
            llvm::Twine(i) + " is not a string");
      out.push_back(s ? s.str() : (prefix + llvm::Twine(i)).str());
    }
    return out;
  };
  FunctionType type = fn.getFunctionType();
  Expected<std::vector<std::string>> inNamesOr =
      names("attnc.input_names", type.getNumInputs(), "input", "arg");
  if (!inNamesOr)
    return inNamesOr.takeError();
  Expected<std::vector<std::string>> outNamesOr =
      names("attnc.output_names", type.getNumResults(), "result", "result");
  if (!outNamesOr)
    return outNamesOr.takeError();
  std::vector<std::string> inNames = std::move(*inNamesOr),
                           outNames = std::move(*outNamesOr);
  for (auto [list, types, which, named] :
       {std::tuple{&sig.inputs, type.getInputs(), "argument", &inNames},
        std::tuple{&sig.outputs, type.getResults(), "result", &outNames}}) {
    for (auto [i, t] : llvm::enumerate(types)) {
      auto tensor = dyn_cast<RankedTensorType>(t);
      std::optional<DType> dtype =
          tensor ? dtypeOf(tensor.getElementType()) : std::nullopt;
      if (!dtype) {
        std::string typeText;
        llvm::raw_string_ostream os(typeText);
        os << t;
        return llvm::createStringError(
            llvm::Twine("@") + sig.function + " " + which + " #" +
            llvm::Twine(i) + " has type " + typeText +
            "; entry points take and return ranked tensors of f32, f16, "
            "bf16, f64, i1, i8, i32 or i64");
      }
      TensorSpec spec;
      spec.dtype = *dtype;
      for (int64_t d : tensor.getShape())
        spec.shape.push_back(ShapedType::isDynamic(d) ? -1 : d);
      spec.name = (*named)[i];
      list->push_back(std::move(spec));
    }
  }
  // Limits the runtime checks before a call, since the compiled code would
  // read out of bounds past them: sizes a frontend declares (a model's
  // max_length), and the rows of an embedding table an argument indexes.
  for (auto [i, spec] : llvm::enumerate(sig.inputs)) {
    auto badAttr = [&, i = i](StringRef attr, StringRef what) {
      return llvm::createStringError(
          llvm::Twine("@") + sig.function + " argument #" + llvm::Twine(i) +
          ": " + attr + " must be " + what + ", one per dimension");
    };
    size_t rank = spec.shape.size();
    if (Attribute a = fn.getArgAttr(i, "attnc.max_sizes")) {
      auto max = dyn_cast<DenseI64ArrayAttr>(a);
      if (!max || max.size() != static_cast<int64_t>(rank))
        return badAttr("attnc.max_sizes", "an array<i64: ...>");
      spec.maxShape.assign(max.asArrayRef().begin(), max.asArrayRef().end());
    }
    // Names of sizes that several arguments share (runtime/Signature.h).
    if (Attribute a = fn.getArgAttr(i, "attnc.dim_names")) {
      auto names = dyn_cast<ArrayAttr>(a);
      if (!names || names.size() != rank ||
          !llvm::all_of(names, llvm::IsaPred<StringAttr>))
        return badAttr("attnc.dim_names", "an array of strings");
      for (Attribute name : names)
        spec.dimNames.push_back(cast<StringAttr>(name).str());
    }
    for (Operation *user : fn.getArgument(i).getUsers()) {
      auto embedding = dyn_cast<attn::EmbeddingOp>(user);
      if (!embedding || embedding.getIndices() != fn.getArgument(i))
        continue;
      int64_t rows =
          cast<RankedTensorType>(embedding.getTable().getType()).getDimSize(0);
      if (!ShapedType::isDynamic(rows) &&
          (spec.indexBound == 0 || rows < spec.indexBound))
        spec.indexBound = rows;
    }
  }
  return sig;
}

Expected<attnc::ModuleSignature>
attnc::prepareEntries(ModuleOp module, llvm::StringRef defaultEntry) {
  ModuleSignature result;
  for (auto fn : module.getOps<func::FuncOp>()) {
    if (!fn.isPublic() || fn.isExternal())
      continue;
    Expected<Signature> sig = signatureOf(fn);
    if (!sig)
      return sig.takeError();
    fn->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                UnitAttr::get(module.getContext()));
    // Callers own the inputs: bufferization must copy rather than write in
    // place into an argument (an elementwise op's init, say).
    for (unsigned i = 0, e = fn.getNumArguments(); i < e; ++i)
      fn.setArgAttr(i, "bufferization.writable",
                    BoolAttr::get(module.getContext(), false));
    result.entries.push_back(std::move(*sig));
  }
  if (result.entries.empty())
    return llvm::createStringError("the module has no public function");
  auto has = [&](llvm::StringRef name) {
    return llvm::any_of(result.entries,
                        [&](const Signature &s) { return s.function == name; });
  };
  if (!defaultEntry.empty()) {
    if (!has(defaultEntry))
      return llvm::createStringError("no public function named '" +
                                     defaultEntry + "'");
    result.defaultEntry = defaultEntry.str();
  } else if (result.entries.size() == 1) {
    result.defaultEntry = result.entries.front().function;
  } else if (has("forward")) {
    result.defaultEntry = "forward";
  }
  return result;
}

/// Checks that gpu-module-to-binary will find ptxas, which it runs for a
/// cubin or fatbin: in `toolkit`/bin, else on PATH.
static llvm::Error findPtxas(llvm::StringRef toolkit) {
  std::string bin = (toolkit + "/bin").str();
  if (llvm::sys::findProgramByName("ptxas", {bin}) ||
      llvm::sys::findProgramByName("ptxas"))
    return llvm::Error::success();
  return llvm::createStringError(
      "ptxas not found in " + bin +
      " or on PATH; CUDA code is compiled to a cubin with the CUDA "
      "toolkit's ptxas: install it, or point CUDA_HOME at it");
}

/// Rejects static dimensions of 2^31 or more anywhere in `module`: LLVM's
/// code generator crashes on loops and offsets that large (D = 2^32 did),
/// and no real static shape comes near. Dynamic dimensions are checked
/// against the runtime's limits when the inputs arrive.
static llvm::Error checkStaticDims(ModuleOp module) {
  constexpr int64_t kLimit = int64_t(1) << 31;
  std::string error;
  auto check = [&](Operation *op, Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    if (!shaped || !shaped.hasRank() || !error.empty())
      return;
    for (int64_t d : shaped.getShape()) {
      if (ShapedType::isDynamic(d) || d < kLimit)
        continue;
      llvm::raw_string_ostream os(error);
      os << op->getLoc() << ": '" << op->getName() << "' has type " << type
         << " with a dimension of " << d
         << "; attnc takes static dimensions below 2^31 (make it dynamic)";
      return;
    }
  };
  module.walk([&](Operation *op) {
    for (Type t : op->getResultTypes())
      check(op, t);
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          check(op, arg.getType());
  });
  if (!error.empty())
    return llvm::createStringError(error);
  return llvm::Error::success();
}

llvm::Error attnc::lowerToLLVMDialect(ModuleOp module,
                                      const attn::LoweringOptions &options,
                                      const ModuleSignature &signature) {
  MLIRContext *ctx = module.getContext();
  bool cuda = options.target == attn::Target::Cuda;
  if (cuda && !options.flash)
    return llvm::createStringError(
        "--no-flash (flash=false) is for the CPU: the GPU pipeline always "
        "lowers attention to its flash kernels");
  if (!options.flash) {
    // Without attn-tile-flash nothing lowers the attention ops themselves.
    Operation *attention = nullptr;
    module.walk([&](Operation *op) {
      if (isa<attn::SDPAOp, attn::HardOp>(op) && !attention)
        attention = op;
    });
    if (attention) {
      std::string loc;
      llvm::raw_string_ostream os(loc);
      os << attention->getLoc();
      return llvm::createStringError(
          loc + ": " + attention->getName().getStringRef() +
          " is lowered by attn-tile-flash, which --no-flash (flash=false) "
          "skips; write the attention unfused to compare against it");
    }
  }
  if (llvm::Error e = checkStaticDims(module))
    return e;
  DiagnosticCollector diagnostics(ctx);
  PassManager pm(ctx);
  if (cuda) {
    attn::GpuLoweringOptions gpu;
    gpu.gpuArch = options.gpuArch.empty() ? "sm_80" : options.gpuArch;
    if (gpu.gpuArch != "sm_80" && gpu.gpuArch != "sm_90")
      return llvm::createStringError("unknown GPU architecture '" +
                                     gpu.gpuArch + "'; use sm_80 or sm_90");
    gpu.format = options.gpuFormat;
    gpu.queryBlock = options.queryBlock;
    gpu.keyBlock = options.keyBlock;
    if (gpu.format != attn::GpuBinaryFormat::Isa)
      if (llvm::Error e = findPtxas(attn::cudaToolkitPath(gpu)))
        return e;
    attn::buildGpuPipeline(pm, gpu);
  } else {
    // The micro-kernels, and so the packed weights' layout, follow the CPU
    // the machine code is for.
    Expected<std::unique_ptr<llvm::TargetMachine>> machine =
        createTargetMachine(options.cpu);
    if (!machine)
      return machine.takeError();
    if (failed(attn::buildCpuPipeline(pm, options, ukernelIsa(**machine))))
      return diagnostics.error("cannot build attn-cpu-pipeline");
  }
  if (failed(pm.run(module))) {
    std::string names;
    for (const Signature &s : signature.entries)
      names += (names.empty() ? "@" : ", @") + s.function;
    return diagnostics.error("lowering " + names + " failed");
  }

  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  ModuleSignature described = signature;
  described.target = attn::targetName(options.target).str();
  std::string json = described.toJson();
  json.push_back('\0');
  auto arrayType =
      LLVM::LLVMArrayType::get(IntegerType::get(ctx, 8), json.size());
  LLVM::GlobalOp::create(b, module.getLoc(), arrayType, /*isConstant=*/true,
                         LLVM::Linkage::External, "attnc_signature",
                         b.getStringAttr(json));
  return llvm::Error::success();
}

Expected<std::unique_ptr<llvm::TargetMachine>>
attnc::createTargetMachine(llvm::StringRef cpu) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError("no LLVM target for the host: " + error);
  std::string name, features;
  if (cpu.empty() || cpu == "native") {
    name = llvm::sys::getHostCPUName().str();
    for (auto &f : llvm::sys::getHostCPUFeatures())
      features += (f.second ? "+" : "-") + f.first().str() + ",";
  } else {
    // A named CPU brings its own features, as with llc -mcpu. Checked
    // first: a target machine for an unknown CPU only warns on stderr.
    name = cpu.str();
    std::unique_ptr<llvm::MCSubtargetInfo> info(
        target->createMCSubtargetInfo(triple, "", ""));
    if (!info || !info->isCPUStringValid(name))
      return llvm::createStringError(
          "unknown CPU '" + name + "' (--cpu) for " + triple.str() +
          "; `llc -mcpu=help` lists the CPUs LLVM knows, 'generic' is the "
          "baseline");
  }
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, name, features, llvm::TargetOptions(), llvm::Reloc::PIC_,
      std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError("cannot create a target machine for " +
                                   triple.str());
  return machine;
}

std::string attnc::ukernelIsa(const llvm::TargetMachine &machine) {
  const llvm::MCSubtargetInfo *info = machine.getMCSubtargetInfo();
  if (!machine.getTargetTriple().isX86())
    return "generic";
  if (info->checkFeatures("+avx512f"))
    return "avx512";
  if (info->checkFeatures("+avx2,+fma"))
    return "avx2";
  return "generic";
}

Expected<std::unique_ptr<llvm::Module>>
attnc::translateAndOptimize(ModuleOp module, llvm::LLVMContext &llvmContext,
                            llvm::TargetMachine &machine) {
  DiagnosticCollector diagnostics(module.getContext());
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return diagnostics.error("translation to LLVM IR failed");
  llvmModule->setTargetTriple(machine.getTargetTriple());
  llvmModule->setDataLayout(machine.createDataLayout());
  // -O2, not -O3: the loop nests come vectorized and unrolled from MLIR and
  // the micro-kernels optimised from the build, so -O3's extra loop work
  // bought no speed on whole models (MiniLM, three shapes) and cost a third
  // of the compile time.
  if (llvm::Error e =
          makeOptimizingTransformer(2, 0, &machine)(llvmModule.get()))
    return std::move(e);
  // After optimisation: the kernels' bitcode was optimised when attnc was
  // built, and re-optimising it costs a tenth of a second per module.
  if (llvm::Error e = linkUkernels(*llvmModule))
    return std::move(e);
  return llvmModule;
}
