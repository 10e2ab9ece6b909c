//===- OnnxImport.cpp - Imports ONNX models into MLIR ---------------------===//
//
// The entry points; the importer itself is in frontend/onnx/ (Importer.h
// describes it, frontend/onnx-import-design.md the IR it emits).
//
//===----------------------------------------------------------------------===//

#include "frontend/OnnxImport.h"

#include "frontend/onnx/Importer.h"

#include "dialect/AttnDialect.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using llvm::Expected;
using llvm::StringRef;

void attnc::frontend::loadImportedDialects(MLIRContext &ctx) {
  ctx.loadDialect<attn::AttnDialect, func::FuncDialect, arith::ArithDialect,
                  math::MathDialect, tensor::TensorDialect,
                  linalg::LinalgDialect>();
}

static Expected<OwningOpRef<ModuleOp>>
importMapped(MLIRContext &ctx, std::shared_ptr<llvm::MemoryBuffer> buffer,
             StringRef path) {
  using namespace attnc::frontend::onnx_import;
  WeightSource source;
  source.model = std::move(buffer);
  source.directory = llvm::sys::path::parent_path(path).str();
  onnx::ModelProto model;
  if (llvm::Error e = parseModel(path, source, model))
    return std::move(e);
  attnc::frontend::loadImportedDialects(ctx);
  Importer importer(ctx, path, model, source);
  FailureOr<OwningOpRef<ModuleOp>> module = importer.run();
  if (failed(module))
    return importer.takeError();
  return std::move(*module);
}

Expected<OwningOpRef<ModuleOp>>
attnc::frontend::importOnnxBuffer(MLIRContext &ctx, StringRef bytes,
                                  StringRef path) {
  // The weights may point into the bytes, which the caller owns only for
  // the call: a copy lives as long as the module's blobs.
  std::shared_ptr<llvm::MemoryBuffer> copy =
      llvm::MemoryBuffer::getMemBufferCopy(bytes, path);
  return importMapped(ctx, std::move(copy), path);
}

Expected<OwningOpRef<ModuleOp>> attnc::frontend::importOnnx(MLIRContext &ctx,
                                                            StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   path + ": cannot read: " +
                                       buffer.getError().message());
  return importMapped(ctx, std::move(*buffer), path);
}
