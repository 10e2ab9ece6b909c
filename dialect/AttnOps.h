//===- AttnOps.h - Operations of the attn dialect -------------------------===//

#ifndef ATTNC_DIALECT_ATTNOPS_H
#define ATTNC_DIALECT_ATTNOPS_H

#include "dialect/AttnDialect.h"
#include "dialect/AttnInterfaces.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::attn {

/// The value of an optional float attribute, as the accessors of `scale`,
/// `softcap` and the like return it, in double precision; nullopt when the
/// attribute is unset.
std::optional<double> toDouble(std::optional<APFloat> value);

/// Rejects an attribute without a dialect prefix that the op does not
/// define: a misspelled `{casual}` would otherwise be carried along and
/// ignored. Attributes with a dot (`attnc.kernel_read`) belong to others.
LogicalResult verifyKnownAttributes(Operation *op);

/// The op trait that runs verifyKnownAttributes; every attn op has it.
template <typename ConcreteType>
class KnownAttributesOnly
    : public OpTrait::TraitBase<ConcreteType, KnownAttributesOnly> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return verifyKnownAttributes(op);
  }
};

} // namespace mlir::attn

#define GET_OP_CLASSES
#include "dialect/AttnOps.h.inc"

#endif // ATTNC_DIALECT_ATTNOPS_H
