//===- FlattenConstants.cpp - attn-flatten-constants
//-----------------------===//
//
// A model's weights are large constant globals: !llvm.array<N x f32>, or
// nested arrays for a matrix. LLVM's code generator emits such a constant
// element by element, through an APFloat per float, which for a 90 MB model
// took longer than compiling all of its code. An i8 array is emitted as one
// block of bytes. With opaque pointers a global's value type only sizes it:
// its users address it in bytes, so retyping the constant changes nothing
// but the compile time.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNFLATTENCONSTANTS
#include "lowering/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {

/// Constants below this size are left alone: their element-wise emission
/// costs nothing.
constexpr int64_t kMinBytes = 4096;

struct AttnFlattenConstantsPass
    : attn::impl::AttnFlattenConstantsBase<AttnFlattenConstantsPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    Type i8 = IntegerType::get(ctx, 8);
    getOperation().walk([&](LLVM::GlobalOp global) {
      auto value = dyn_cast_or_null<ElementsAttr>(
          global.getValue().value_or(Attribute()));
      if (!value)
        return;
      Type element = value.getShapedType().getElementType();
      if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() % 8 != 0)
        return;
      int64_t bytes = value.getShapedType().getNumElements() *
                      (element.getIntOrFloatBitWidth() / 8);
      if (bytes < kMinBytes)
        return;
      auto type = RankedTensorType::get({bytes}, i8);
      Attribute flat;
      if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
        flat = DenseResourceElementsAttr::get(type, resource.getRawHandle());
      } else if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
        // A splat's raw data is one element; it stays as it is.
        if (dense.isSplat())
          return;
        flat = DenseElementsAttr::getFromRawBuffer(type, dense.getRawData());
      } else {
        return;
      }
      global.setGlobalType(LLVM::LLVMArrayType::get(i8, bytes));
      global.setValueAttr(flat);
    });
  }
};

} // namespace
