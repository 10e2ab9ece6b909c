//===- GpuPipeline.h - attnc's GPU lowering pipeline ------------*- C++ -*-===//
//
// attn-gpu-pipeline: attn IR to host code in the LLVM dialect that calls the
// mgpu* runtime functions, plus NVVM kernels serialized to PTX, a cubin or
// a fatbin. lowering/README.md describes the passes, the kernels and the
// memory contract of the compiled entry points.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_LOWERING_GPUPIPELINE_H
#define ATTNC_LOWERING_GPUPIPELINE_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include "llvm/Support/CommandLine.h"

#include <optional>
#include <string>

namespace mlir::attn {

/// What gpu-module-to-binary embeds in the host module.
enum class GpuBinaryFormat {
  /// PTX text (the driver JIT-compiles it at load time).
  Isa,
  /// A cubin for exactly `gpuArch`, from ptxas.
  Bin,
  /// A fatbin with the cubin and the PTX.
  Fatbin,
};

/// Options of `attn-gpu-pipeline`: the one definition of what the GPU
/// pipeline takes, from the pipeline text (attn-opt) and from C++ (the
/// driver sets the fields, which assign like plain values).
struct GpuPipelineOptions : public PassPipelineOptions<GpuPipelineOptions> {
  PassOptions::Option<std::string> gpuArch{
      *this, "gpu-arch",
      llvm::cl::desc("Target architecture: sm_80 (A100) or sm_90 (H100)"),
      llvm::cl::init("sm_80")};
  PassOptions::Option<GpuBinaryFormat> format{
      *this, "format", llvm::cl::desc("What the kernels are serialized to"),
      llvm::cl::init(GpuBinaryFormat::Fatbin),
      llvm::cl::values(
          clEnumValN(GpuBinaryFormat::Isa, "isa", "PTX text"),
          clEnumValN(GpuBinaryFormat::Bin, "bin", "a cubin (runs ptxas)"),
          clEnumValN(GpuBinaryFormat::Fatbin, "fatbin",
                     "a fatbin with cubin and PTX"))};
  PassOptions::Option<bool> tensorCores{
      *this, "tensor-cores",
      llvm::cl::desc("Use the mma.sync kernel for f16/bf16 attention"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> queryBlock{
      *this, "query-block",
      llvm::cl::desc("Queries per attention thread block, a multiple of 16 "
                     "(0: 64)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> keyBlock{
      *this, "key-block",
      llvm::cl::desc("Keys per attention key tile, a multiple of 16 (0: "
                     "chosen from the head dims)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> loopThreads{
      *this, "loop-threads",
      llvm::cl::desc("Threads per block of kernels made from linalg ops"),
      llvm::cl::init(128)};
  PassOptions::Option<std::string> cudaPath{
      *this, "cuda-path",
      llvm::cl::desc("CUDA toolkit for libdevice and ptxas (empty: "
                     "$CUDA_HOME, else /usr/local/cuda)"),
      llvm::cl::init("")};
};

/// The CUDA toolkit the pipeline uses: `options.cudaPath`, else $CUDA_HOME,
/// else /usr/local/cuda.
std::string cudaToolkitPath(const GpuPipelineOptions &options);

/// Appends the GPU pipeline to `pm`, a module-level pass manager. Bad
/// option values are reported by the passes, as diagnostics on the module.
void buildGpuPipeline(OpPassManager &pm, const GpuPipelineOptions &options);

/// Registers `attn-gpu-pipeline` with the global registry.
void registerGpuPipeline();

} // namespace mlir::attn

#endif // ATTNC_LOWERING_GPUPIPELINE_H
