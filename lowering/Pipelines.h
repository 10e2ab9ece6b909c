//===- Pipelines.h - attnc's lowering pipelines -----------------*- C++ -*-===//

#ifndef ATTNC_LOWERING_PIPELINES_H
#define ATTNC_LOWERING_PIPELINES_H

#include "lowering/GpuPipeline.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/Support/CommandLine.h"

#include <functional>

namespace mlir::attn {

/// What compiled code runs on.
enum class Target {
  /// The host CPU: attn-cpu-pipeline.
  Cpu,
  /// An NVIDIA GPU: attn-gpu-pipeline, with host code that calls the mgpu*
  /// functions of libattnc_cuda_runtime.
  Cuda,
};

/// "cpu" or "cuda".
llvm::StringRef targetName(Target target);

/// What the compiler driver (attnc, the JIT) is asked for: the target, the
/// CPU, and the knobs its command line and CompileOptions expose. It is not
/// a pipeline's options: lowerToLLVMDialect (lowering/Compile.h) turns it
/// into CpuPipelineOptions or GpuPipelineOptions, each pipeline's one
/// definition of what it takes.
struct LoweringOptions {
  Target target = Target::Cpu;
  /// For Target::Cuda: sm_80 or sm_90; empty: sm_80 ahead of time, the
  /// device's own architecture in the JIT.
  std::string gpuArch;
  /// For Target::Cuda: what the kernels are embedded as. A cubin or fatbin
  /// needs ptxas from the CUDA toolkit; PTX is JIT-compiled by the driver.
  GpuBinaryFormat gpuFormat = GpuBinaryFormat::Fatbin;
  /// Fuse attention chains and tile attn.sdpa into flash loops; off lowers
  /// the IR as written, which is attnc's unfused baseline.
  bool flash = true;
  /// Vectorize the static-shaped tile computations.
  bool vectorize = true;
  /// Run parallel loops on OpenMP threads.
  bool parallel = true;
  /// Lower f32 linear layers, LayerNorm and embeddings to the CPU
  /// micro-kernels (attn-lower-to-ukernels); off decomposes them into
  /// linalg like everything else.
  bool ukernels = true;
  /// The CPU that machine code is generated for, as LLVM names it (llc's
  /// -mcpu: "generic", "haswell", "znver4", ...); empty or "native": the
  /// host CPU with every feature it has. It also picks the micro-kernels
  /// (AVX-512, AVX2 or generic) and their packed weight layout.
  std::string cpu;
  /// attn-tile-flash block sizes; 0 lets the pass choose.
  int64_t queryBlock = 0, keyBlock = 0;
};

/// Options of `attn-cpu-pipeline`, from attn IR to the LLVM dialect: the one
/// definition of what the CPU pipeline takes, from the pipeline text
/// (attn-opt) and from C++ (the driver sets the fields, which assign like
/// plain values).
struct CpuPipelineOptions : public PassPipelineOptions<CpuPipelineOptions> {
  PassOptions::Option<bool> flash{
      *this, "flash",
      llvm::cl::desc("Fuse attention chains and tile attn.sdpa into flash "
                     "loops (off: lower the IR as written, for comparison)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Vectorize the static-shaped tile computations"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> parallel{
      *this, "parallel",
      llvm::cl::desc("Run parallel loops on OpenMP threads (libomp)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> ukernels{
      *this, "ukernels",
      llvm::cl::desc("Lower f32 linear, layer_norm and embedding ops to the "
                     "CPU micro-kernels (off: decompose them into linalg)"),
      llvm::cl::init(true)};
  PassOptions::Option<std::string> isa{
      *this, "isa",
      llvm::cl::desc("Micro-kernel instruction set: host, avx512, avx2 or "
                     "generic"),
      llvm::cl::init("host")};
  PassOptions::Option<int64_t> queryBlock{
      *this, "query-block",
      llvm::cl::desc("attn-tile-flash query block (0: heuristic)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> keyBlock{
      *this, "key-block",
      llvm::cl::desc("attn-tile-flash key block (0: heuristic)"),
      llvm::cl::init(0)};
};

/// Appends the raising passes (passes/README.md) to `pm`, a module-level
/// pass manager: formulas an importer writes op by op (LayerNorm, linear
/// layers with their activations) become attn ops. Both pipelines start
/// with them, then look for attention chains among what is left.
void addRaisingPasses(OpPassManager &pm);

/// Appends the CPU pipeline to `pm`, a module-level pass manager. Fails if
/// a pass it names is not registered.
LogicalResult buildCpuPipeline(OpPassManager &pm,
                               const CpuPipelineOptions &options);

/// The command-line options that set LoweringOptions in attnc and attn-run
/// (--no-flash, --no-ukernels, --cpu, --query-block, --key-block,
/// --gpu-arch) and --progress, in their own category.
llvm::cl::OptionCategory &loweringOptionCategory();
/// Makes those options known to llvm::cl; call before parsing.
void registerLoweringCLOptions();
/// LoweringOptions as the command line set them.
LoweringOptions loweringOptionsFromCL();
/// What --progress asks for: a reporter that prints "TOOL: [ 1.2 s] STEP"
/// on stderr, timed from this call, when --progress is given or stderr is a
/// terminal; an empty function (report nothing) otherwise.
std::function<void(llvm::StringRef)>
progressReporterFromCL(llvm::StringRef tool);

/// Registers `attn-cpu-pipeline` (and attnc's lowering passes) with the
/// global registry, for attn-opt.
void registerLoweringPipelines();

/// Registers `arg`, a pipeline of `Options` that lowers a whole module, with
/// the global registry. Unlike PassPipelineRegistration, text that nests it
/// under another op (`func.func(attn-gpu-pipeline)`), gives options that do
/// not parse, or names a pass that is not registered is an error of the
/// pipeline text naming `arg`, where it was an abort (OpPassManager::addPass
/// of a module pass into a function's pass manager) or a pipeline silently
/// cut short.
template <typename Options>
void registerModulePipeline(
    llvm::StringRef arg, llvm::StringRef description,
    std::function<LogicalResult(OpPassManager &, const Options &)> builder) {
  registerPassPipeline(
      arg, description,
      [name = arg.str(), builder](
          OpPassManager &pm, llvm::StringRef text,
          llvm::function_ref<LogicalResult(const llvm::Twine &)> errorHandler)
          -> LogicalResult {
        if (pm.getOpAnchorName() != ModuleOp::getOperationName())
          return errorHandler("'" + name +
                              "' lowers a whole module: it runs on "
                              "'builtin.module', not nested in '" +
                              pm.getOpAnchorName() + "'");
        Options options;
        std::string message;
        llvm::raw_string_ostream os(message);
        // llvm::cl reports a bad value on stderr itself, not on `os`.
        if (failed(options.parseFromString(text, os)))
          return errorHandler("'" + name + "' options do not parse" +
                              (message.empty() ? "" : ": ") +
                              llvm::StringRef(message).trim());
        if (failed(builder(pm, options)))
          return errorHandler("'" + name +
                              "': a pass it runs is not registered");
        return success();
      },
      [](llvm::function_ref<void(const mlir::detail::PassOptions &)>
             optHandler) {
        optHandler(Options());
      });
}

} // namespace mlir::attn

#endif // ATTNC_LOWERING_PIPELINES_H
