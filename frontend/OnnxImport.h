//===- OnnxImport.h - Imports ONNX Attention models into attn IR -*- C++
//-*-===//

#ifndef ATTNC_FRONTEND_ONNXIMPORT_H
#define ATTNC_FRONTEND_ONNXIMPORT_H

#include "runtime/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace attnc::frontend {

/// Imports a model whose graph is a single ONNX `Attention` node (opset 23 or
/// 24) as a module with one public `func.func @main`.
///
/// The function takes the graph inputs, in graph order, and returns the graph
/// outputs, in graph order; their ONNX names are on the function as
/// `attnc.input_names` and `attnc.output_names`. Y is one `attn.sdpa`; layout
/// changes, the KV-cache concatenation, masks that `attn.sdpa` cannot express
/// by itself and `qk_matmul_output` use upstream tensor/linalg/arith/math ops.
/// Shapes must be static. Loads the dialects it emits into `ctx`. Errors name
/// the file and the node, input, attribute or output at fault.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importOnnx(mlir::MLIRContext &ctx, llvm::StringRef path);

/// Like importOnnx, on a serialized `ModelProto` held in memory; `path` only
/// names it in errors.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importOnnxBuffer(mlir::MLIRContext &ctx, llvm::StringRef bytes,
                 llvm::StringRef path);

/// Reads an ONNX TensorProto (.pb) file into a host tensor. Supports float,
/// float16, bfloat16, double, bool, int8, int32 and int64, stored as raw data
/// or in the typed fields; external data is an error.
llvm::Expected<attnc::Tensor> loadTensorProto(llvm::StringRef path);

/// Loads the dialects that importOnnx emits into `ctx` (attn, func, arith,
/// math, tensor, linalg), for tools that parse imported IR.
void loadImportedDialects(mlir::MLIRContext &ctx);

} // namespace attnc::frontend

#endif // ATTNC_FRONTEND_ONNXIMPORT_H
