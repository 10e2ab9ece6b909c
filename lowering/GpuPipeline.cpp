//===- GpuPipeline.cpp - attnc's GPU lowering pipeline ---------------------===//

#include "lowering/GpuPipeline.h"

#include "lowering/Passes.h"
#include "lowering/Pipelines.h"
#include "passes/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"


#include <cstdlib>

using namespace mlir;

namespace {

llvm::StringRef formatName(attn::GpuBinaryFormat format) {
  switch (format) {
  case attn::GpuBinaryFormat::Isa:
    return "isa";
  case attn::GpuBinaryFormat::Bin:
    return "bin";
  case attn::GpuBinaryFormat::Fatbin:
    return "fatbin";
  }
  llvm_unreachable("every format is named");
}

/// attn IR to host functions that allocate, copy and launch, with
/// gpu.launch bodies for every kernel: attention by attn-gpu-flash, the rest
/// of the linalg ops through parallel loops.
void buildKernelsAndHost(OpPassManager &pm,
                         const attn::GpuPipelineOptions &options) {
  // attn-fuse must see the chain before attn-decompose expands the softmax
  // it looks for.
  // The raising passes first: formulas an importer writes op by op
  // (LayerNorm, linear layers with their activations) become attn ops.
  attn::addRaisingPasses(pm);
  pm.addPass(attn::createAttnFuse());
  pm.addPass(attn::createAttnRaiseLayers());
  pm.addPass(attn::createAttnDecompose());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  attn::AttnGpuFlashOptions flash;
  flash.gpuArch = options.gpuArch;
  flash.tensorCores = options.tensorCores;
  flash.queryBlock = options.queryBlock;
  flash.keyBlock = options.keyBlock;
  pm.addPass(attn::createAttnGpuFlash(flash));

  // Entry points take and return identity-layout buffers (device memory,
  // lowering/README.md); results are fresh allocations.
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  bufferize.allowReturnAllocsFromLoops = true;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addNestedPass<func::FuncOp>(attn::createAttnGpuHostBuffers());

  // linalg ops (projections, LayerNorm, FFN, residual adds, copies) become
  // one-dimensional grids of `loopThreads`-thread blocks.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  attn::AttnGpuTileLoopsOptions tile;
  tile.threads = options.loopThreads;
  pm.addNestedPass<func::FuncOp>(attn::createAttnGpuTileLoops(tile));
  pm.addNestedPass<func::FuncOp>(createGpuMapParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
  pm.addNestedPass<func::FuncOp>(attn::createAttnGpuCheckHost());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

/// Outlines the kernels, lowers them to NVVM and serializes them; the host
/// side becomes LLVM calls to the mgpu* runtime on one stream per call.
void buildNvvmAndBinary(OpPassManager &pm,
                        const attn::GpuPipelineOptions &options) {
  // Canonicalization hoisted constants out of the launch bodies; they go
  // back in before outlining (else they would be kernel arguments), and
  // before the nvgpu conversion would wrap them in casts.
  pm.addPass(createGpuLaunchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());
  // Host gpu ops become asynchronous on a stream, which the function
  // synchronizes before it returns.
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  pm.addPass(createConvertNVGPUToNVVMPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertNVVMToLLVMPass());
  // MLIR 22's expand-strided-metadata cannot split one dimension into
  // several dynamic ones; this rewrites those reshapes first.
  pm.addNestedPass<func::FuncOp>(attn::createAttnExpandShapeToCast());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(memref::createExpandStridedMetadataPass());

  GpuNVVMAttachTargetOptions target;
  target.chip = options.gpuArch;
  // PTX ISA 8.0: the oldest that sm_90 accepts, and enough for sm_80.
  target.features = "+ptx80";
  target.optLevel = 3;
  pm.addPass(createGpuNVVMAttachTarget(target));
  pm.addPass(createLowerAffinePass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  kernels.addPass(createStripDebugInfoPass());
  kernels.addPass(createConvertGpuOpsToNVVMOps());
  kernels.addPass(attn::createAttnGpuExternShared());
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());

  pm.addPass(createGpuToLLVMConversionPass());
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = formatName(options.format).str();
  binary.toolkitPath = attn::cudaToolkitPath(options);
  pm.addPass(createGpuModuleToBinaryPass(binary));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

} // namespace

std::string attn::cudaToolkitPath(const GpuPipelineOptions &options) {
  if (!options.cudaPath.empty())
    return options.cudaPath;
  if (const char *home = std::getenv("CUDA_HOME"); home && *home)
    return home;
  return "/usr/local/cuda";
}

void attn::buildGpuPipeline(OpPassManager &pm,
                            const GpuPipelineOptions &options) {
  buildKernelsAndHost(pm, options);
  buildNvvmAndBinary(pm, options);
}

void attn::registerGpuPipeline() {
  registerModulePipeline<GpuPipelineOptions>(
      "attn-gpu-pipeline",
      "Lower attn IR for NVIDIA GPUs: decompose, fuse, flash-attention "
      "kernels (mma.sync tensor cores for f16/bf16), linalg kernels, NVVM, "
      "PTX/cubin, and host code calling the mgpu* runtime",
      [](OpPassManager &pm, const GpuPipelineOptions &options) {
        buildGpuPipeline(pm, options);
        return success();
      });
}
