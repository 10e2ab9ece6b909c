//===- Compile.h - From an attn module to LLVM IR and machine code -*- C++
//-*-===//
//
// The driver shared by `attnc` (ahead of time) and the runtime's JIT: it
// picks the entry function, records its tensor signature, runs
// attn-cpu-pipeline (or attn-gpu-pipeline) and translates the result to
// optimised LLVM IR.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_LOWERING_COMPILE_H
#define ATTNC_LOWERING_COMPILE_H

#include "lowering/Pipelines.h"
#include "runtime/Signature.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

namespace attnc {

/// Registers every dialect, extension, pass and LLVM IR translation that
/// parsing, lowering and translating attn IR needs.
void registerCompilerDialects(mlir::DialectRegistry &registry);

/// Parses `.mlir` text, or imports an `.onnx` file, into a verified module.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
loadInput(mlir::MLIRContext &ctx, llvm::StringRef path);

/// Makes every public function of `module` an entry point: records its
/// signature and marks it for the C interface. The default entry is
/// `defaultEntry` when given (it must exist), else the only public
/// function, else one called `forward`, else none.
llvm::Expected<ModuleSignature>
prepareEntries(mlir::ModuleOp module, llvm::StringRef defaultEntry = "");

/// Runs attn-cpu-pipeline on `module` (attn-gpu-pipeline for
/// Target::Cuda), then embeds `signature`, with the target, as the global
/// `attnc_signature` so that a compiled library describes itself. Errors
/// carry the pipeline's diagnostics; for CUDA a cubin needs ptxas, and its
/// absence is an error.
llvm::Error lowerToLLVMDialect(mlir::ModuleOp module,
                               const mlir::attn::LoweringOptions &options,
                               const ModuleSignature &signature);

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

} // namespace attnc

#endif // ATTNC_LOWERING_COMPILE_H
