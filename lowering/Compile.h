//===- Compile.h - From an attn module to LLVM IR and machine code -*- C++
//-*-===//
//
// What the compiler driver (compiler/, `attnc` and the JIT) runs after it
// has chosen the entry points: attn-cpu-pipeline (or attn-gpu-pipeline),
// then translation to optimised LLVM IR for a target machine.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_LOWERING_COMPILE_H
#define ATTNC_LOWERING_COMPILE_H

#include "lowering/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

namespace mlir::attn {

/// Registers every dialect, extension, pass and LLVM IR translation that
/// parsing, lowering and translating attn IR needs.
void registerCompilerDialects(mlir::DialectRegistry &registry);

/// Runs attn-cpu-pipeline on `module` (attn-gpu-pipeline for
/// Target::Cuda), then embeds `signatureJson` (the driver's description of
/// the entry points, runtime/Signature.h's format, which lowering does not
/// read) as the null-terminated global `attnc_signature`, so that a compiled
/// library describes itself. Errors carry the pipeline's diagnostics; for
/// CUDA a cubin needs ptxas, and its absence is an error.
llvm::Error lowerToLLVMDialect(mlir::ModuleOp module,
                               const LoweringOptions &options,
                               llvm::StringRef signatureJson);

/// A TargetMachine at -O3 for `cpu`, an LLVM CPU name as llc's -mcpu takes
/// ("generic", "haswell", "znver4", ...) with that CPU's features, or for
/// the host CPU with all of its features (AVX-512 where present) when `cpu`
/// is empty or "native". An unknown name is an error.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(llvm::StringRef cpu = "");

/// The micro-kernels (attn-lower-to-ukernels' `isa`) for `machine`'s CPU:
/// "avx512", "avx2" (with FMA) or "generic".
std::string ukernelIsa(const llvm::TargetMachine &machine);

/// Links the CPU micro-kernels (lowering/ukernels) that `module` calls
/// into it, as internal functions compiled for the module's target; does
/// nothing when it calls none. Call before optimising.
llvm::Error linkUkernels(llvm::Module &module);

/// Translates a module in the LLVM dialect to LLVM IR for `machine`, links
/// the micro-kernels it calls and optimises it at -O2 (machine code is
/// generated at -O3 by `machine`).
llvm::Expected<std::unique_ptr<llvm::Module>>
translateAndOptimize(mlir::ModuleOp module, llvm::LLVMContext &llvmContext,
                     llvm::TargetMachine &machine);

} // namespace mlir::attn

#endif // ATTNC_LOWERING_COMPILE_H
