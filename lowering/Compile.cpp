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

void attn::registerCompilerDialects(DialectRegistry &registry) {
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

llvm::Error attn::lowerToLLVMDialect(ModuleOp module,
                                      const attn::LoweringOptions &options,
                                      llvm::StringRef signatureJson) {
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
    attn::GpuPipelineOptions gpu;
    std::string arch = options.gpuArch.empty() ? "sm_80" : options.gpuArch;
    if (arch != "sm_80" && arch != "sm_90")
      return llvm::createStringError("unknown GPU architecture '" + arch +
                                     "'; use sm_80 or sm_90");
    gpu.gpuArch = arch;
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
    attn::CpuPipelineOptions cpu;
    cpu.flash = options.flash;
    cpu.vectorize = options.vectorize;
    cpu.parallel = options.parallel;
    cpu.ukernels = options.ukernels;
    cpu.isa = ukernelIsa(**machine);
    cpu.queryBlock = options.queryBlock;
    cpu.keyBlock = options.keyBlock;
    if (failed(attn::buildCpuPipeline(pm, cpu)))
      return diagnostics.error("cannot build attn-cpu-pipeline");
  }
  // The entry points, for the error: the pipeline may leave them renamed.
  std::string names;
  for (auto fn : module.getOps<func::FuncOp>())
    if (fn.isPublic() && !fn.isExternal())
      names += (names.empty() ? "@" : ", @") + fn.getSymName().str();
  if (failed(pm.run(module))) {
    return diagnostics.error("lowering " + names + " failed");
  }

  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  std::string json = signatureJson.str();
  json.push_back('\0');
  auto arrayType =
      LLVM::LLVMArrayType::get(IntegerType::get(ctx, 8), json.size());
  LLVM::GlobalOp::create(b, module.getLoc(), arrayType, /*isConstant=*/true,
                         LLVM::Linkage::External, "attnc_signature",
                         b.getStringAttr(json));
  return llvm::Error::success();
}

Expected<std::unique_ptr<llvm::TargetMachine>>
attn::createTargetMachine(llvm::StringRef cpu) {
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

std::string attn::ukernelIsa(const llvm::TargetMachine &machine) {
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
attn::translateAndOptimize(ModuleOp module, llvm::LLVMContext &llvmContext,
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
