//===- Input.cpp - Read a model from .mlir, .onnx or a model description --===//

#include "frontend/Input.h"

#include "frontend/Model.h"
#include "frontend/Nesting.h"
#include "frontend/OnnxImport.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using llvm::Expected;

Expected<OwningOpRef<ModuleOp>>
attnc::parseSource(MLIRContext &ctx, llvm::StringRef source,
                   llvm::StringRef name) {
  if (llvm::Error e = checkNesting(source, name, Syntax::Mlir))
    return std::move(e);
  if (llvm::Error e = checkLinalgArrays(source, name))
    return std::move(e);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(source, name), llvm::SMLoc());
  std::string text;
  llvm::raw_string_ostream os(text);
  // Prints "file:line:col: error: ..." with the offending source line.
  SourceMgrDiagnosticHandler handler(sourceMgr, &ctx, os);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &ctx);
  if (!module)
    return llvm::createStringError(llvm::StringRef(text).rtrim());
  return module;
}

Expected<OwningOpRef<ModuleOp>> attnc::loadInput(MLIRContext &ctx,
                                                 llvm::StringRef path) {
  if (path.ends_with(".onnx"))
    return frontend::importOnnx(ctx, path);
  if (path.ends_with(".json") || llvm::sys::fs::is_directory(path))
    return frontend::buildModel(ctx, path);
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path);
  if (!buffer)
    return llvm::createStringError(path + ": " + buffer.getError().message());
  return parseSource(ctx, (*buffer)->getBuffer(), path);
}
