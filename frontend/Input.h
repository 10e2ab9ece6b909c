//===- Input.h - Read a model from .mlir, .onnx or a description -*- C++ -*-===//

#ifndef ATTNC_FRONTEND_INPUT_H
#define ATTNC_FRONTEND_INPUT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include "llvm/Support/Error.h"

namespace attnc {

/// Parses and verifies MLIR text; `name` labels diagnostics.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
parseSource(mlir::MLIRContext &ctx, llvm::StringRef source,
            llvm::StringRef name);

/// Reads `path`: `.onnx` is imported, a `.json` model description or a
/// Hugging Face directory is built (frontend/Model.h), anything else is
/// parsed as MLIR.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
loadInput(mlir::MLIRContext &ctx, llvm::StringRef path);

} // namespace attnc

#endif // ATTNC_FRONTEND_INPUT_H
