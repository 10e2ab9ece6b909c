//===- GpuFlash.cpp - attn-gpu-flash: attention into GPU kernels -----------===//
//
// Replaces each attn.sdpa / attn.hard (on tensors) with a gpu.launch of the
// tensor-core or the SIMT flash kernel, reading the operands through
// bufferization.to_buffer and returning fresh buffers as tensors.
//
//===----------------------------------------------------------------------===//

#include "lowering/GpuFlashKernels.h"
#include "lowering/Passes.h"

#include "dialect/AttnDialect.h"
#include "dialect/AttnInterfaces.h"
#include "dialect/AttnOps.h"

#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNGPUFLASH
#include "lowering/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::gpuflash;

namespace {

/// Dynamic shared memory one block may use: 163 KiB on sm_80 (A100),
/// 227 KiB on sm_90 (H100); nullopt for an architecture attnc does not
/// target.
std::optional<int64_t> sharedMemoryLimit(StringRef arch) {
  return llvm::StringSwitch<std::optional<int64_t>>(arch)
      .Case("sm_80", 163 * 1024)
      .Case("sm_90", 227 * 1024)
      .Default(std::nullopt);
}

/// Reads the semantics of an sdpa or hard op: its attention settings
/// through AttentionOpInterface, its sizes from its query and value, which
/// both ops have as operands 0 and 2.
FlashOpSpec specOf(Operation *op) {
  FlashOpSpec spec;
  spec.hard = isa<HardOp>(op);
  if (auto sdpa = dyn_cast<SDPAOp>(op))
    spec.weights = static_cast<bool>(sdpa.getWeights());
  auto q = cast<RankedTensorType>(op->getOperand(0).getType());
  auto v = cast<RankedTensorType>(op->getOperand(2).getType());
  spec.elementType = q.getElementType();
  spec.headDim = q.getDimSize(3);
  spec.valueDim = v.getDimSize(3);
  AttentionSettings settings =
      cast<AttentionOpInterface>(op).getAttentionSettings();
  spec.cosine = settings.score == ScoreKind::Cosine;
  spec.softcap = settings.softcap;
  spec.scale = settings.effectiveScale(spec.headDim);
  VisibleBand band = settings.band();
  spec.left = band.left;
  spec.right = band.right;
  spec.queryHeads = settings.numHeads;
  spec.groupSize = settings.groupSize();
  return spec;
}

struct AttnGpuFlashPass : attn::impl::AttnGpuFlashBase<AttnGpuFlashPass> {
  using Base::Base;

  /// The kernels reach PTX through LLVM IR (gpu-module-to-binary), so
  /// whoever runs this pass gets the translations that needs.
  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    registerBuiltinDialectTranslation(registry);
    registerGPUDialectTranslation(registry);
    registerLLVMDialectTranslation(registry);
    registerNVVMDialectTranslation(registry);
  }

  /// The SIMT kernel's tiling: the query-block option (default 64 threads)
  /// and the largest power-of-two key block up to 64 (and up to a short
  /// static Lk) whose tiles fit in static shared memory, unless key-block is
  /// given.
  FlashTiling simtTiling(const FlashOpSpec &spec, int64_t keyLength) const {
    FlashTiling t;
    t.blockQ = queryBlock ? queryBlock : 64;
    t.blockK = keyBlock ? keyBlock : 64;
    if (!keyBlock && !ShapedType::isDynamic(keyLength) && keyLength > 0)
      t.blockK = std::min<int64_t>(t.blockK, llvm::PowerOf2Ceil(keyLength));
    if (!keyBlock)
      while (t.blockK > 1 && simtSharedBytes(spec, t) > kStaticSharedBytes)
        t.blockK /= 2;
    return t;
  }

  /// The tensor-core kernel's tiling: 4 warps of 16 rows, and 64 keys (32
  /// when a head dim exceeds 128, to keep the double buffers small).
  FlashTiling tensorCoreTiling(const FlashOpSpec &spec) const {
    FlashTiling t;
    t.blockQ = queryBlock ? queryBlock : 64;
    bool wide = spec.headDim > 128 || spec.valueDim > 128;
    t.blockK = keyBlock ? keyBlock : (wide ? 32 : 64);
    return t;
  }

  LogicalResult lower(Operation *op, int64_t sharedLimit) {
    FlashOpSpec spec = specOf(op);
    bool tensorCore = tensorCores && !tensorCoreRejects(spec);
    int64_t keyLength =
        cast<RankedTensorType>(op->getOperand(1).getType()).getDimSize(2);
    FlashTiling tiling =
        tensorCore ? tensorCoreTiling(spec) : simtTiling(spec, keyLength);
    if (tensorCore) {
      int64_t bytes = tensorCoreSharedBytes(spec, tiling);
      if (bytes > sharedLimit)
        return op->emitOpError()
               << "attn-gpu-flash: the tensor-core kernel's tiles (query-block "
               << tiling.blockQ << ", key-block " << tiling.blockK << ", D "
               << spec.headDim << ", Dv " << spec.valueDim << ") need "
               << bytes << " bytes of shared memory, more than " << gpuArch
               << "'s " << sharedLimit;
    } else {
      int64_t bytes = simtSharedBytes(spec, tiling);
      if (bytes > kStaticSharedBytes)
        return op->emitOpError()
               << "attn-gpu-flash: the SIMT kernel's key tile (key-block "
               << tiling.blockK << ", D " << spec.headDim << ", Dv "
               << spec.valueDim << ") needs " << bytes
               << " bytes of shared memory, more than the "
               << kStaticSharedBytes << " a kernel may declare";
    }

    OpBuilder b(op);
    Location loc = op->getLoc();
    auto toBuffer = [&](Value tensor) -> Value {
      if (!tensor)
        return nullptr;
      auto type = cast<RankedTensorType>(tensor.getType());
      return bufferization::ToBufferOp::create(
          b, loc, MemRefType::get(type.getShape(), type.getElementType()),
          tensor, b.getUnitAttr());
    };
    FlashBuffers buffers;
    buffers.query = toBuffer(op->getOperand(0));
    buffers.key = toBuffer(op->getOperand(1));
    buffers.value = toBuffer(op->getOperand(2));
    if (op->getNumOperands() > 3)
      buffers.mask = toBuffer(op->getOperand(3));
    // Results are fresh buffers with the result's shape; dynamic sizes come
    // from the operands (B and Lq from the query, Lk from the key).
    auto allocate = [&](Value result) -> Value {
      auto type = cast<RankedTensorType>(result.getType());
      SmallVector<Value> dynamic;
      for (int64_t d = 0; d < type.getRank(); ++d) {
        if (!type.isDynamicDim(d))
          continue;
        Value source = d == 3 ? buffers.key : buffers.query;
        dynamic.push_back(
            memref::DimOp::create(b, loc, source, d == 3 ? 2 : d));
      }
      return memref::AllocOp::create(
          b, loc, MemRefType::get(type.getShape(), type.getElementType()),
          dynamic);
    };
    buffers.output = allocate(op->getResult(0));
    if (spec.weights)
      buffers.weights = allocate(op->getResult(1));

    if (tensorCore)
      buildTensorCoreKernel(b, loc, spec, buffers, tiling);
    else
      buildSimtKernel(b, loc, spec, buffers, tiling);

    SmallVector<Value> results;
    SmallVector<Value> written = {buffers.output, buffers.weights};
    for (auto [result, buffer] : llvm::zip(op->getResults(), written))
      results.push_back(bufferization::ToTensorOp::create(
          b, loc, result.getType(), buffer, b.getUnitAttr(),
          b.getUnitAttr()));
    op->replaceAllUsesWith(results);
    op->erase();
    return success();
  }

  /// Block sizes the kernels cannot use, as a message; empty when fine.
  std::string checkBlocks() const {
    std::string message;
    llvm::raw_string_ostream os(message);
    // The tensor-core kernel gives each warp 16 query rows (at most 16
    // warps) and steps keys 16 at a time.
    if (queryBlock != 0 && (queryBlock < 16 || queryBlock > 256 ||
                            queryBlock % 16 != 0))
      os << "query-block " << queryBlock
         << " must be a multiple of 16 from 16 to 256";
    else if (keyBlock != 0 &&
             (keyBlock < 16 || keyBlock > 256 || keyBlock % 16 != 0))
      os << "key-block " << keyBlock
         << " must be a multiple of 16 from 16 to 256";
    return message;
  }

  void runOnOperation() override {
    Operation *root = getOperation();
    std::optional<int64_t> limit = sharedMemoryLimit(gpuArch);
    if (!limit) {
      root->emitError() << "attn-gpu-flash: gpu-arch '" << gpuArch
                        << "' is not supported; use sm_80 or sm_90";
      return signalPassFailure();
    }
    if (std::string bad = checkBlocks(); !bad.empty()) {
      root->emitError() << "attn-gpu-flash: " << bad;
      return signalPassFailure();
    }
    SmallVector<Operation *> ops;
    bool failed = false;
    root->walk([&](Operation *op) {
      if (isa<SDPAOp, HardOp>(op)) {
        ops.push_back(op);
      } else if (isa_and_nonnull<AttnDialect>(op->getDialect())) {
        op->emitOpError() << "is not lowered to the GPU by attn-gpu-flash; "
                             "attn-decompose expands it first";
        failed = true;
      }
    });
    if (failed)
      return signalPassFailure();
    for (Operation *op : ops)
      if (mlir::failed(lower(op, *limit)))
        return signalPassFailure();
  }
};

} // namespace
