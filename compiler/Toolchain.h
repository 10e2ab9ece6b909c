//===- Toolchain.h - Where the compiler finds what compiled code links -*- C++ -*-===//
//
// Compiled CPU code calls libomp (parallel loops), and CUDA code calls
// libattnc_cuda_runtime. The JIT loads them into the process and `attnc`
// links libraries against them. Neither path is compiled in: both are
// found at run time, relative to what this process loaded, so that the
// build tree, an installed tree and a moved one all work.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_COMPILER_TOOLCHAIN_H
#define ATTNC_COMPILER_TOOLCHAIN_H

#include "llvm/Support/Error.h"

#include <string>

namespace attnc {

/// The LLVM OpenMP runtime that compiled parallel code calls, loaded into
/// the process (RTLD_GLOBAL, once) so that JIT-compiled code resolves
/// against it. $ATTNC_LIBOMP names the file; otherwise libomp.so.5 is found
/// through libattnc_compiler's RUNPATH (LLVM's library directory, where
/// Debian's libomp-22-dev puts it). Returns the file it was loaded from.
llvm::Expected<std::string> loadLibomp();

/// libattnc_cuda_runtime.so, which code compiled for CUDA calls: the copy
/// this process has loaded ($ATTNC_CUDA_RUNTIME overrides it), as
/// attnc::cudaRuntimeLibrary() finds it. An error when it cannot be found.
llvm::Expected<std::string> findCudaRuntime();

} // namespace attnc

#endif // ATTNC_COMPILER_TOOLCHAIN_H
