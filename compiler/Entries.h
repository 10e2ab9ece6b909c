//===- Entries.h - A module's public functions as runtime entry points -*- C++ -*-===//
//
// The compiler driver's first step, for `attnc` and the JIT alike: every
// public function becomes an entry point whose tensor signature
// (runtime/Signature.h) the compiled code carries.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_COMPILER_ENTRIES_H
#define ATTNC_COMPILER_ENTRIES_H

#include "runtime/Signature.h"

#include "mlir/IR/BuiltinOps.h"

#include "llvm/Support/Error.h"

namespace attnc {

/// Makes every public function of `module` an entry point: records its
/// signature and marks it for the C interface. The default entry is
/// `defaultEntry` when given (it must exist), else the only public
/// function, else one called `forward`, else none.
llvm::Expected<ModuleSignature>
prepareEntries(mlir::ModuleOp module, llvm::StringRef defaultEntry = "");

} // namespace attnc

#endif // ATTNC_COMPILER_ENTRIES_H
