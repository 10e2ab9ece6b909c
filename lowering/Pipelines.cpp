//===- Pipelines.cpp - attnc's lowering pipelines
//--------------------------===//

#include "lowering/Pipelines.h"

#include "lowering/GpuPipeline.h"
#include "passes/Passes.h"

#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/ManagedStatic.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;

void attn::addRaisingPasses(OpPassManager &pm) {
  // The raising passes look through the tensor.dims an importer sizes each
  // op with (formula::resolveDimUsers), so they run on the IR as imported,
  // canonicalized. Afterwards the remaining dims resolve to the operands'
  // (linalg and attn ops reify their result shapes), so that later passes
  // see sizes, not chains of dims of dead-looking values.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createAttnRaiseLayerNorm());
  pm.addPass(createAttnRaiseLinear());
  pm.addPass(memref::createResolveRankedShapeTypeResultDimsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

LogicalResult attn::buildCpuPipeline(OpPassManager &pm,
                                     const CpuPipelineOptions &options) {
  // attn-fuse must see the chain before attn-decompose expands the softmax
  // it looks for, and the raised ops first.
  addRaisingPasses(pm);
  std::string text;
  // Attention chains become attn.sdpa, then whole layers the layer ops,
  // whose decompositions below are the form the kernels take best.
  if (options.flash)
    text += "attn-fuse,attn-raise-layers,";
  // Linear layers, LayerNorm, embeddings and softmax stay whole until
  // their kernels take them, with residual adds folded into the linear layers
  // first; what the kernels do not take (other element types) is decomposed
  // next.
  if (options.ukernels)
    text +=
        llvm::formatv("attn-decompose{{keep=linear,layer_norm,embedding,"
                      "softmax,log_softmax},"
                      "func.func(convert-elementwise-to-linalg),"
                      "attn-fuse-epilogues,attn-lower-to-ukernels{{isa={0}},",
                      options.isa.getValue())
            .str();
  // Elementwise arith/math on whole tensors (a residual add, say) has no
  // bufferization of its own; as linalg.generic it lowers like the rest.
  text += "attn-decompose,func.func(convert-elementwise-to-linalg),";
  if (options.flash)
    text += llvm::formatv("attn-tile-flash{{query-block={0} key-block={1}},",
                          options.queryBlock.getValue(),
                          options.keyBlock.getValue())
                .str();
  text += "canonicalize,cse,";
  if (options.vectorize)
    text += "func.func(attn-vectorize-cpu),canonicalize,cse,";
  // Caller-visible results are fresh allocations with the identity layout,
  // so that the runtime can hand them out as tensors and free() them.
  // Calls of the outlined flash functions return the buffers their
  // callers passed in; dropping those results lets the deallocation see
  // every buffer's allocation, and attn-sink-deallocs then frees each one
  // after its last use.
  text += "one-shot-bufferize{bufferize-function-boundaries "
          "allow-return-allocs-from-loops "
          "function-boundary-type-conversion=identity-layout-map},"
          "drop-equivalent-buffer-results,"
          // Tile buffers move out of the key loops (and stay inside the
          // parallel loop: each thread needs its own).
          "func.func(buffer-hoisting,buffer-loop-hoisting),"
          "buffer-deallocation-pipeline,func.func(attn-sink-deallocs),"
          "convert-bufferization-to-memref,"
          "func.func(convert-linalg-to-loops),";
  text += options.parallel
              ? "func.func(scf-forall-to-parallel),convert-scf-to-openmp,"
              : "func.func(scf-forall-to-for),";
  text += "func.func(attn-lower-vector-cpu),"
          "func.func(convert-vector-to-scf{full-unroll=true}),"
          "func.func(attn-expand-shape-to-cast),expand-strided-metadata,"
          "lower-affine,finalize-memref-to-llvm,convert-scf-to-cf,";
  // Whatever math has neither a polynomial here nor an LLVM intrinsic (f16
  // erf, say) calls libm; vector math must reach LLVM first, since the libm
  // conversion would split it into scalar calls.
  text += "convert-math-to-llvm,convert-math-to-libm,convert-vector-to-llvm,";
  // After the vector conversion: the OpenMP conversion also turns the
  // branches inside parallel regions into LLVM's, and those must not carry
  // 2-D vectors (a loop's hoisted accumulator) that are still unconverted.
  if (options.parallel)
    text += "convert-openmp-to-llvm,";
  text += "convert-to-llvm,reconcile-unrealized-casts,attn-flatten-constants";
  return parsePassPipeline(text, pm);
}

void attn::registerLoweringPipelines() {
  registerModulePipeline<CpuPipelineOptions>(
      "attn-cpu-pipeline",
      "Lower attn IR to the LLVM dialect for the host CPU: decompose, fuse, "
      "tile into flash loops, vectorize, bufferize, OpenMP, LLVM",
      [](OpPassManager &pm, const CpuPipelineOptions &options) {
        return buildCpuPipeline(pm, options);
      });
  registerGpuPipeline();
}

llvm::StringRef attn::targetName(Target target) {
  return target == Target::Cuda ? "cuda" : "cpu";
}

llvm::cl::OptionCategory &attn::loweringOptionCategory() {
  static llvm::cl::OptionCategory category("attnc lowering options");
  return category;
}

namespace {
/// Constructed on first use, so that only tools that ask for them have them.
struct LoweringCLOptions {
  llvm::cl::opt<bool> noFlash{
      "no-flash",
      llvm::cl::desc("Skip attn-fuse and attn-tile-flash (attnc's unfused "
                     "baseline)"),
      llvm::cl::cat(attn::loweringOptionCategory())};
  llvm::cl::opt<bool> noUkernels{
      "no-ukernels",
      llvm::cl::desc("Decompose linear layers, LayerNorm and embeddings "
                     "into linalg instead of calling the CPU micro-kernels"),
      llvm::cl::cat(attn::loweringOptionCategory())};
  llvm::cl::opt<std::string> cpu{
      "cpu",
      llvm::cl::desc("The CPU to generate code for, as LLVM names it (llc "
                     "-mcpu=help lists them; e.g. generic, haswell, "
                     "skylake-avx512, znver4); default: the host CPU"),
      llvm::cl::value_desc("name"),
      llvm::cl::cat(attn::loweringOptionCategory())};
  llvm::cl::opt<int64_t> queryBlock{
      "query-block", llvm::cl::desc("Flash query block (0: auto)"),
      llvm::cl::init(0), llvm::cl::cat(attn::loweringOptionCategory())};
  llvm::cl::opt<int64_t> keyBlock{
      "key-block", llvm::cl::desc("Flash key block (0: auto)"),
      llvm::cl::init(0), llvm::cl::cat(attn::loweringOptionCategory())};
  llvm::cl::opt<std::string> gpuArch{
      "gpu-arch",
      llvm::cl::desc("GPU architecture for CUDA code: sm_80 or sm_90 "
                     "(default: sm_80 ahead of time, the device's own when "
                     "run)"),
      llvm::cl::value_desc("sm_XX"),
      llvm::cl::cat(attn::loweringOptionCategory())};
  llvm::cl::opt<bool> progress{
      "progress",
      llvm::cl::desc("Report each compilation step on stderr (default: when "
                     "stderr is a terminal)"),
      llvm::cl::cat(attn::loweringOptionCategory())};
};
llvm::ManagedStatic<LoweringCLOptions> clOptions;
} // namespace

void attn::registerLoweringCLOptions() { *clOptions; }

attn::LoweringOptions attn::loweringOptionsFromCL() {
  LoweringOptions options;
  options.flash = !clOptions->noFlash;
  options.ukernels = !clOptions->noUkernels;
  options.cpu = clOptions->cpu;
  options.queryBlock = clOptions->queryBlock;
  options.keyBlock = clOptions->keyBlock;
  options.gpuArch = clOptions->gpuArch;
  return options;
}

std::function<void(llvm::StringRef)>
attn::progressReporterFromCL(llvm::StringRef tool) {
  if (!clOptions->progress && !llvm::errs().is_displayed())
    return {};
  auto start = std::chrono::steady_clock::now();
  return [tool = tool.str(), start](llvm::StringRef step) {
    std::chrono::duration<double> t = std::chrono::steady_clock::now() - start;
    llvm::errs() << llvm::formatv("{0}: [{1,5:f1} s] {2}\n", tool, t.count(),
                                  step);
  };
}
