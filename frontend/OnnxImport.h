//===- OnnxImport.h - Imports ONNX models into MLIR -------------*- C++ -*-===//

#ifndef ATTNC_FRONTEND_ONNXIMPORT_H
#define ATTNC_FRONTEND_ONNXIMPORT_H

#include "runtime/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace attnc::frontend {

/// Imports an ONNX model (default-domain opsets 13 to 24; frontend/README.md
/// lists the ops) as a module with one public `func.func @main`.
///
/// The function takes the graph inputs that are not initializers, in graph
/// order, and returns the graph outputs, in graph order; their ONNX names
/// are on the function as `attnc.input_names` and `attnc.output_names`, and
/// each argument's dim_param names as `attnc.dim_names`. Dynamic dimensions
/// stay dynamic. The IR per node is that of frontend/onnx-import-design.md.
/// Initializers (external data included, resolved beside `path`) become
/// constants whose bytes stay in the memory-mapped files. Loads the dialects
/// it emits into `ctx`. Errors name the file and the node, input, attribute
/// or output at fault; unsupported nodes are all listed in one error.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importOnnx(mlir::MLIRContext &ctx, llvm::StringRef path);

/// Like importOnnx, on a serialized `ModelProto` held in memory; `path` only
/// names it in errors.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importOnnxBuffer(mlir::MLIRContext &ctx, llvm::StringRef bytes,
                 llvm::StringRef path);

/// The external data files the initializers of the model at `path` name
/// (for the compile cache's key), as paths beside the model.
llvm::Expected<std::vector<std::string>>
onnxExternalDataFiles(llvm::StringRef path);

/// Reads an ONNX TensorProto (.pb) file into a host tensor. Supports float,
/// float16, bfloat16, double, bool, int8, int32 and int64, stored as raw data
/// or in the typed fields; external data is an error.
llvm::Expected<attnc::Tensor> loadTensorProto(llvm::StringRef path);

/// Like loadTensorProto, on a serialized TensorProto held in memory; `path`
/// only names it in errors.
llvm::Expected<attnc::Tensor> parseTensorProto(llvm::StringRef bytes,
                                               llvm::StringRef path);

/// Loads the dialects that importOnnx emits into `ctx` (attn, func, arith,
/// math, tensor, linalg), for tools that parse imported IR.
void loadImportedDialects(mlir::MLIRContext &ctx);

} // namespace attnc::frontend

#endif // ATTNC_FRONTEND_ONNXIMPORT_H
