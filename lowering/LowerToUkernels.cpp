//===- LowerToUkernels.cpp - attn-lower-to-ukernels
//------------------------===//
//
// Replaces f32 attn.linear, attn.layer_norm and attn.embedding with calls
// to the CPU micro-kernels of lowering/ukernels, on tensors, before
// bufferization: operands are read through bufferization.to_buffer, results
// are fresh buffers handed back with bufferization.to_tensor. Constant
// weights are packed into the kernels' panel layout here, at compile time.
// Heads split after a projection ([B, L, H·D] → [B, H, L, D]) and merged
// before one are folded into the kernel's addressing, so that no transpose
// is copied.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "dialect/AttnOps.h"
#include "lowering/ukernels/Layout.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/TargetParser/Host.h"

#include <cstring>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNLOWERTOUKERNELS
#include "lowering/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;
namespace uk = attnc::ukernel;

namespace {

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

bool isF32(Value v) { return !v || tensorType(v).getElementType().isF32(); }

/// The memref type of a kernel parameter: rank `rank`, any sizes, strides
/// and offset.
MemRefType kernelParam(MLIRContext *ctx, int64_t rank, Type elementType) {
  SmallVector<int64_t> shape(rank, ShapedType::kDynamic);
  return MemRefType::get(
      shape, elementType,
      StridedLayoutAttr::get(ctx, ShapedType::kDynamic, shape));
}

/// The raw f32 values of a constant weight, or nothing if `value` is not a
/// constant whose data this pass can read.
std::optional<SmallVector<float>> constantData(Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  auto type = cast<ShapedType>(cast<TypedAttr>(attr).getType());
  int64_t count = type.getNumElements();
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != size_t(count) * sizeof(float))
      return std::nullopt;
    SmallVector<float> data(count);
    std::memcpy(data.data(), blob->getData().data(), count * sizeof(float));
    return data;
  }
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    SmallVector<float> data;
    data.reserve(count);
    for (APFloat v : dense.getValues<APFloat>())
      data.push_back(v.convertToFloat());
    return data;
  }
  return std::nullopt;
}

/// The activation's code in the linear kernel's flags (Layout.h).
int64_t activationFlag(std::optional<Activation> activation) {
  if (!activation)
    return 0;
  switch (*activation) {
  case Activation::Relu:
    return uk::kActivationRelu;
  case Activation::Gelu:
    return uk::kActivationGelu;
  case Activation::GeluTanh:
    return uk::kActivationGeluTanh;
  }
  llvm_unreachable("unknown activation");
}

/// `x` [B, H, L, D] when `value` is x's heads merged back to [B, L, H·D]:
/// a linalg.transpose [0, 2, 1, 3] collapsed by [[0], [1], [2, 3]].
Value mergedHeadsSource(Value value) {
  auto collapse = value.getDefiningOp<tensor::CollapseShapeOp>();
  if (!collapse || collapse.getSrcType().getRank() != 4 ||
      collapse.getReassociationIndices() !=
          SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}})
    return nullptr;
  auto transpose = collapse.getSrc().getDefiningOp<linalg::TransposeOp>();
  if (!transpose || !transpose.hasPureTensorSemantics() ||
      transpose.getPermutation() != ArrayRef<int64_t>{0, 2, 1, 3})
    return nullptr;
  return transpose.getInput();
}

/// The transpose that splits `linear`'s [B, L, H·D] result into heads
/// [B, H, L, D] (tensor.expand_shape [[0], [1], [2, 3]], then
/// linalg.transpose [0, 2, 1, 3]) when that is the result's only use.
linalg::TransposeOp splitHeadsUser(LinearOp linear) {
  Value result = linear.getResult();
  if (tensorType(result).getRank() != 3 || !result.hasOneUse())
    return nullptr;
  auto expand = dyn_cast<tensor::ExpandShapeOp>(*result.getUsers().begin());
  if (!expand || expand.getResultType().getRank() != 4 ||
      ShapedType::isDynamic(expand.getResultType().getDimSize(2)) ||
      ShapedType::isDynamic(expand.getResultType().getDimSize(3)) ||
      expand.getReassociationIndices() !=
          SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}} ||
      !expand.getResult().hasOneUse())
    return nullptr;
  auto transpose =
      dyn_cast<linalg::TransposeOp>(*expand.getResult().getUsers().begin());
  if (!transpose || transpose.getInput() != expand.getResult() ||
      transpose.getPermutation() != ArrayRef<int64_t>{0, 2, 1, 3})
    return nullptr;
  return transpose;
}

struct AttnLowerToUkernelsPass
    : attn::impl::AttnLowerToUkernelsBase<AttnLowerToUkernelsPass> {
  using AttnLowerToUkernelsBase::AttnLowerToUkernelsBase;

  uk::Isa target = uk::Isa::Generic;
  /// Packed forms of constant weights, by the constant's attribute, so
  /// that a weight shared by several layers is packed once.
  DenseMap<Attribute, memref::GlobalOp> packedGlobals;
  std::optional<SymbolTable> symbols;

  LogicalResult initialize(MLIRContext *ctx) override {
    if (isa == "host") {
      llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
      auto has = [&](StringRef f) { return features.lookup(f); };
      target = has("avx512f")              ? uk::Isa::Avx512
               : has("avx2") && has("fma") ? uk::Isa::Avx2
                                           : uk::Isa::Generic;
    } else if (isa == "avx512") {
      target = uk::Isa::Avx512;
    } else if (isa == "avx2") {
      target = uk::Isa::Avx2;
    } else if (isa == "generic") {
      target = uk::Isa::Generic;
    } else {
      return emitError(UnknownLoc::get(ctx))
             << "attn-lower-to-ukernels: isa=" << isa
             << " is not one of host, avx512, avx2, generic";
    }
    return success();
  }

  //===--------------------------------------------------------------------===//
  // Building blocks
  //===--------------------------------------------------------------------===//

  /// The kernel `name` + "_" + the ISA's suffix, declared once.
  func::FuncOp kernel(StringRef name, TypeRange params) {
    ModuleOp module = getOperation();
    std::string symbol = (name + "_" + uk::isaSuffix(target)).str();
    if (auto existing = module.lookupSymbol<func::FuncOp>(symbol))
      return existing;
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    auto fn = func::FuncOp::create(b, module.getLoc(), symbol,
                                   b.getFunctionType(params, {}));
    fn.setPrivate();
    return fn;
  }

  /// `tensor` as an identity-layout buffer that the kernel only reads.
  ///
  /// One-shot bufferization takes the to_buffer as the point where the
  /// tensor is read, and may reuse its buffer for a write after it. The
  /// kernel reads it at the call right after, so each call gets a to_buffer
  /// of its own: a distinct `attnc.kernel_read` keeps CSE from merging two
  /// of them into the first, which would move a later call's read before
  /// writes that bufferization then lets clobber the buffer (two
  /// projections of one input with a bias add between them did).
  Value toBuffer(OpBuilder &b, Location loc, Value tensor) {
    RankedTensorType type = tensorType(tensor);
    auto op = bufferization::ToBufferOp::create(
        b, loc, MemRefType::get(type.getShape(), type.getElementType()), tensor,
        /*readOnly=*/b.getUnitAttr());
    op->setAttr("attnc.kernel_read", b.getI64IntegerAttr(kernelReads++));
    return op;
  }

  /// Numbers the kernels' to_buffer ops (see toBuffer).
  int64_t kernelReads = 0;

  static Value index(OpBuilder &b, Location loc, int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  }

  static Value dim(OpBuilder &b, Location loc, Value memref, int64_t d) {
    return getValueOrCreateConstantIndexOp(
        b, loc, memref::getMixedSize(b, loc, memref, d));
  }

  static Value mul(OpBuilder &b, Location loc, ArrayRef<Value> factors) {
    Value product = index(b, loc, 1);
    for (Value f : factors)
      product = b.createOrFold<arith::MulIOp>(loc, product, f);
    return product;
  }

  /// A view of the identity-layout `buffer` with the given sizes and
  /// strides (offset 0), typed as a kernel parameter.
  static Value view(OpBuilder &b, Location loc, Value buffer,
                    ArrayRef<Value> sizes, ArrayRef<Value> strides) {
    auto type = cast<MemRefType>(buffer.getType());
    SmallVector<OpFoldResult> s(sizes.begin(), sizes.end()),
        t(strides.begin(), strides.end());
    return memref::ReinterpretCastOp::create(
        b, loc,
        kernelParam(b.getContext(), sizes.size(), type.getElementType()),
        buffer, b.getIndexAttr(0), s, t);
  }

  /// A rank-1 buffer typed as a kernel parameter.
  static Value asParam(OpBuilder &b, Location loc, Value buffer) {
    auto type = cast<MemRefType>(buffer.getType());
    return memref::CastOp::create(
        b, loc,
        kernelParam(b.getContext(), type.getRank(), type.getElementType()),
        buffer);
  }

  /// A fresh buffer of `type` whose dynamic sizes are `dynamicSizes`.
  static Value allocate(OpBuilder &b, Location loc, RankedTensorType type,
                        ValueRange dynamicSizes) {
    return memref::AllocOp::create(
        b, loc, MemRefType::get(type.getShape(), type.getElementType()),
        dynamicSizes, b.getI64IntegerAttr(64));
  }

  /// Rows (B, L) of an identity-layout [..., K] buffer: B the product of
  /// the leading dimensions but the last two, L the one before the last.
  static std::pair<Value, Value> rowSplit(OpBuilder &b, Location loc,
                                          Value buffer) {
    int64_t rank = cast<MemRefType>(buffer.getType()).getRank();
    if (rank == 1)
      return {index(b, loc, 1), index(b, loc, 1)};
    SmallVector<Value> lead;
    for (int64_t d = 0; d + 2 < rank; ++d)
      lead.push_back(dim(b, loc, buffer, d));
    return {mul(b, loc, lead), dim(b, loc, buffer, rank - 2)};
  }

  /// The weight [n, k] in the kernel's panel layout: packed now into a
  /// constant global when it is a constant, else packed by a kernel call
  /// into a buffer at run time.
  Value packedWeight(OpBuilder &b, Location loc, Value weight) {
    RankedTensorType type = tensorType(weight);
    int64_t n = type.getDimSize(0), k = type.getDimSize(1);
    int panel = uk::gemmTile(target).panelWidth();
    int64_t size = uk::packedWeightSize(n, k, panel);
    auto packedType = MemRefType::get({size}, b.getF32Type());
    Attribute key;
    if (matchPattern(weight, m_Constant(&key))) {
      memref::GlobalOp global = packedGlobals.lookup(key);
      if (!global) {
        if (std::optional<SmallVector<float>> data = constantData(weight)) {
          AsmResourceBlob blob = HeapAsmResourceBlob::allocate(
              size * sizeof(float), 64, /*dataIsMutable=*/true);
          uk::packWeight<float>(
              n, k, data->data(), k,
              reinterpret_cast<float *>(blob.getMutableData().data()), panel);
          auto initial = DenseResourceElementsAttr::get(
              RankedTensorType::get({size}, b.getF32Type()),
              "attnc_packed_weight", std::move(blob));
          // Created detached, so that the symbol table gives it a unique
          // name as it inserts it.
          OpBuilder detached(&getContext());
          global = memref::GlobalOp::create(
              detached, loc, "__attnc_packed_weight",
              detached.getStringAttr("private"), packedType, initial,
              /*constant=*/true, detached.getI64IntegerAttr(64));
          symbols->insert(global);
          packedGlobals[key] = global;
        }
      }
      if (global)
        return asParam(b, loc,
                       memref::GetGlobalOp::create(b, loc, packedType,
                                                   global.getSymName()));
    }
    Value packed =
        memref::AllocOp::create(b, loc, packedType, b.getI64IntegerAttr(64));
    Value source = toBuffer(b, loc, weight);
    Value sourceParam =
        view(b, loc, source, {index(b, loc, n), index(b, loc, k)},
             {index(b, loc, k), index(b, loc, 1)});
    Value packedParam = asParam(b, loc, packed);
    func::CallOp::create(b, loc,
                         kernel("attnc_uk_pack_weight_f32",
                                {sourceParam.getType(), packedParam.getType()}),
                         ValueRange{sourceParam, packedParam});
    return packedParam;
  }

  //===--------------------------------------------------------------------===//
  // attn.linear
  //===--------------------------------------------------------------------===//

  void lower(LinearOp op) {
    if (!isF32(op.getInput()) || !isF32(op.getWeight()) ||
        !isF32(op.getBias()) || !isF32(op.getResidual()) ||
        !tensorType(op.getWeight()).hasStaticShape())
      return;
    OpBuilder b(op);
    Location loc = op.getLoc();
    RankedTensorType weightType = tensorType(op.getWeight());
    int64_t n = weightType.getDimSize(0), k = weightType.getDimSize(1);
    Value one = index(b, loc, 1);

    // The input as a (b, l, h, d) view; rows (b, l) are shared by every
    // view of this call.
    Value rowsB, rowsL, input, inputBuffer;
    if (Value heads = mergedHeadsSource(op.getInput())) {
      Value buffer = toBuffer(b, loc, heads);
      rowsB = dim(b, loc, buffer, 0);
      rowsL = dim(b, loc, buffer, 2);
      Value h = dim(b, loc, buffer, 1), d = dim(b, loc, buffer, 3);
      input =
          view(b, loc, buffer, {rowsB, rowsL, h, d},
               {mul(b, loc, {h, rowsL, d}), d, mul(b, loc, {rowsL, d}), one});
    } else {
      inputBuffer = toBuffer(b, loc, op.getInput());
      std::tie(rowsB, rowsL) = rowSplit(b, loc, inputBuffer);
      Value kv = index(b, loc, k);
      input = view(b, loc, inputBuffer, {rowsB, rowsL, one, kv},
                   {mul(b, loc, {rowsL, kv}), kv, kv, one});
    }

    // The output: [B, H, L, D] when the result is only split into heads,
    // else the result's own shape; viewed as (b, l, h, d).
    RankedTensorType resultType = op.getType();
    Value replaced = op.getResult();
    Value output, outHeads = one, outDim = index(b, loc, n);
    Value buffer;
    if (linalg::TransposeOp split = splitHeadsUser(op)) {
      replaced = split.getResult()[0];
      resultType = tensorType(replaced);
      outHeads = index(b, loc, resultType.getDimSize(1));
      outDim = index(b, loc, resultType.getDimSize(3));
      SmallVector<Value> dynamic;
      if (resultType.isDynamicDim(0))
        dynamic.push_back(rowsB);
      if (resultType.isDynamicDim(2))
        dynamic.push_back(rowsL);
      buffer = allocate(b, loc, resultType, dynamic);
      output = view(b, loc, buffer, {rowsB, rowsL, outHeads, outDim},
                    {mul(b, loc, {outHeads, rowsL, outDim}), outDim,
                     mul(b, loc, {rowsL, outDim}), one});
    } else {
      // The leading sizes are the input's: from its buffer, or for merged
      // heads ([B, L, H·D]) the rows found above, so that the transpose
      // that merges them is never computed.
      SmallVector<Value> dynamic;
      for (int64_t d = 0; d < resultType.getRank(); ++d)
        if (resultType.isDynamicDim(d))
          dynamic.push_back(inputBuffer ? dim(b, loc, inputBuffer, d)
                            : d == 0    ? rowsB
                                        : rowsL);
      buffer = allocate(b, loc, resultType, dynamic);
      Value nv = index(b, loc, n);
      output = view(b, loc, buffer, {rowsB, rowsL, one, nv},
                    {mul(b, loc, {rowsL, nv}), nv, nv, one});
    }

    int64_t flags = activationFlag(op.getActivation()) << uk::kActivationShift;
    Value residual = output;
    if (Value r = op.getResidual()) {
      flags |= uk::kHasResidual;
      Value rb = toBuffer(b, loc, r);
      Value nv = index(b, loc, n);
      residual = view(b, loc, rb, {rowsB, rowsL, outHeads, outDim},
                      {mul(b, loc, {rowsL, nv}), nv, outDim, one});
    }
    Value weight = packedWeight(b, loc, op.getWeight());
    Value bias = weight;
    if (Value v = op.getBias()) {
      flags |= uk::kHasBias;
      bias = asParam(b, loc, toBuffer(b, loc, v));
    }
    Value flagValue =
        arith::ConstantIntOp::create(b, loc, b.getI64Type(), flags);
    SmallVector<Value> args{input, weight, bias, residual, output, flagValue};
    func::CallOp::create(
        b, loc, kernel("attnc_uk_linear_f32", ValueRange(args).getTypes()),
        args);
    Value result = bufferization::ToTensorOp::create(
        b, loc, resultType, buffer, b.getUnitAttr(), b.getUnitAttr());
    replaced.replaceAllUsesWith(result);
    // The split's transpose and reshape are dead now, and the op with them.
    if (Operation *transpose = replaced.getDefiningOp();
        transpose != op.getOperation()) {
      Operation *expand = transpose->getOperand(0).getDefiningOp();
      transpose->erase();
      expand->erase();
    }
  }

  //===--------------------------------------------------------------------===//
  // attn.layer_norm, attn.embedding
  //===--------------------------------------------------------------------===//

  /// `buffer` [..., N] (identity layout) as [rows, N].
  static Value asRows(OpBuilder &b, Location loc, Value buffer) {
    auto type = cast<MemRefType>(buffer.getType());
    int64_t rank = type.getRank();
    SmallVector<Value> lead;
    for (int64_t d = 0; d + 1 < rank; ++d)
      lead.push_back(dim(b, loc, buffer, d));
    Value n = dim(b, loc, buffer, rank - 1);
    return view(b, loc, buffer, {mul(b, loc, lead), n}, {n, index(b, loc, 1)});
  }

  /// A fresh buffer for `result`, whose dynamic sizes are those of
  /// `like` in the same dimensions.
  static Value allocateLike(OpBuilder &b, Location loc, Value result,
                            Value like) {
    RankedTensorType type = tensorType(result);
    SmallVector<Value> dynamic;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d))
        dynamic.push_back(getValueOrCreateConstantIndexOp(
            b, loc, tensor::getMixedSize(b, loc, like, d)));
    return allocate(b, loc, type, dynamic);
  }

  void finish(OpBuilder &b, Operation *op, Value buffer) {
    Value result = bufferization::ToTensorOp::create(
        b, op->getLoc(), op->getResult(0).getType(), buffer, b.getUnitAttr(),
        b.getUnitAttr());
    op->getResult(0).replaceAllUsesWith(result);
  }

  void lower(LayerNormOp op) {
    if (!isF32(op.getInput()) || !isF32(op.getGamma()) || !isF32(op.getBeta()))
      return;
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value x = asRows(b, loc, toBuffer(b, loc, op.getInput()));
    Value gamma = asParam(b, loc, toBuffer(b, loc, op.getGamma()));
    Value beta = asParam(b, loc, toBuffer(b, loc, op.getBeta()));
    Value buffer = allocateLike(b, loc, op.getResult(), op.getInput());
    Value out = asRows(b, loc, buffer);
    Value eps = arith::ConstantOp::create(
        b, loc, b.getF32FloatAttr(op.getEpsilon().convertToFloat()));
    SmallVector<Value> args{x, gamma, beta, out, eps};
    func::CallOp::create(
        b, loc, kernel("attnc_uk_layer_norm_f32", ValueRange(args).getTypes()),
        args);
    finish(b, op, buffer);
  }

  void lower(EmbeddingOp op) {
    RankedTensorType indexType = tensorType(op.getIndices());
    Type indexElement = indexType.getElementType();
    if (!isF32(op.getTable()) ||
        !(indexElement.isInteger(64) || indexElement.isInteger(32)))
      return;
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value idBuffer = toBuffer(b, loc, op.getIndices());
    SmallVector<Value> idDims;
    for (int64_t d = 0; d < indexType.getRank(); ++d)
      idDims.push_back(dim(b, loc, idBuffer, d));
    Value ids =
        view(b, loc, idBuffer, {mul(b, loc, idDims)}, {index(b, loc, 1)});
    Value table = asRows(b, loc, toBuffer(b, loc, op.getTable()));
    Value buffer = allocateLike(b, loc, op.getResult(), op.getIndices());
    Value out = asRows(b, loc, buffer);
    Value scale = arith::ConstantOp::create(
        b, loc, b.getF32FloatAttr(op.getScale().convertToFloat()));
    SmallVector<Value> args{ids, table, out, scale};
    StringRef name = indexType.getElementType().isInteger(64)
                         ? "attnc_uk_embedding_i64_f32"
                         : "attnc_uk_embedding_i32_f32";
    func::CallOp::create(b, loc, kernel(name, ValueRange(args).getTypes()),
                         args);
    finish(b, op, buffer);
  }

  /// Replaces `tensor.dim` of a linear layer's result with the size it
  /// shares with the input, so that the only users left are those that
  /// consume the values (and the split of heads can be recognised).
  static void reifyDims(LinearOp op) {
    for (OpOperand &use : llvm::make_early_inc_range(op->getUses())) {
      auto dimOp = dyn_cast<tensor::DimOp>(use.getOwner());
      if (!dimOp)
        continue;
      std::optional<int64_t> d = dimOp.getConstantIndex();
      int64_t rank = op.getType().getRank();
      if (!d || *d < 0 || *d >= rank)
        continue;
      OpBuilder b(dimOp);
      Value size =
          *d == rank - 1
              ? Value(arith::ConstantIndexOp::create(
                    b, dimOp.getLoc(), op.getType().getDimSize(rank - 1)))
              : Value(tensor::DimOp::create(b, dimOp.getLoc(), op.getInput(),
                                            *d));
      dimOp.replaceAllUsesWith(size);
      dimOp.erase();
    }
  }

  /// Softmax and log-softmax along the last axis.
  template <typename OpTy> void lowerSoftmax(OpTy op, bool log) {
    RankedTensorType type = op.getType();
    int64_t axis = op.getAxisAttr().getInt();
    if (axis < 0)
      axis += type.getRank();
    if (!isF32(op.getInput()) || axis != type.getRank() - 1)
      return;
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value x = asRows(b, loc, toBuffer(b, loc, op.getInput()));
    Value buffer = allocateLike(b, loc, op.getResult(), op.getInput());
    Value out = asRows(b, loc, buffer);
    Value flag = arith::ConstantIntOp::create(b, loc, b.getI64Type(), log);
    SmallVector<Value> args{x, out, flag};
    func::CallOp::create(
        b, loc, kernel("attnc_uk_softmax_f32", ValueRange(args).getTypes()),
        args);
    finish(b, op, buffer);
  }

  void runOnOperation() override {
    symbols.emplace(getOperation());
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (llvm::isa<LinearOp, LayerNormOp, EmbeddingOp, SoftmaxOp,
                    LogSoftmaxOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops)
      if (auto linear = dyn_cast<LinearOp>(op))
        reifyDims(linear);
    for (Operation *op : ops) {
      if (auto linear = dyn_cast<LinearOp>(op))
        lower(linear);
      else if (auto norm = dyn_cast<LayerNormOp>(op))
        lower(norm);
      else if (auto softmax = dyn_cast<SoftmaxOp>(op))
        lowerSoftmax(softmax, /*log=*/false);
      else if (auto logSoftmax = dyn_cast<LogSoftmaxOp>(op))
        lowerSoftmax(logSoftmax, /*log=*/true);
      else
        lower(cast<EmbeddingOp>(op));
    }
    // Replaced ops (and the transposes whose results were replaced) are
    // dead now; the users of their results read the kernels' buffers.
    for (Operation *op : llvm::reverse(ops))
      if (op->use_empty())
        op->erase();
  }
};

} // namespace
