//===- Interpreter.h - Evaluates attn IR with the reference evaluator -----===//
//
// Walks a function of attn ops and computes each with the fp64 reference
// evaluator (reference/Reference.h). It is how compiled code is checked: the
// same IR, run by the oracle. It shares nothing with the lowering.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_REFERENCE_INTERPRETER_H
#define ATTNC_REFERENCE_INTERPRETER_H

#include "reference/Reference.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace attnc::ref {

/// Evaluates `func` on `inputs`, one per argument, and returns its results.
///
/// The body may hold attn ops, `arith.constant` (dense or dense_resource
/// tensors, or scalars for `linalg.fill`), `func.return`, and the structural
/// ops that importers emit around attn ops: `tensor.empty` (read as zeros),
/// `tensor.dim`, `tensor.extract_slice`, `tensor.expand_shape`,
/// `tensor.collapse_shape`, `tensor.concat`, `linalg.transpose`,
/// `linalg.fill` and `linalg.generic`, `linalg.reduce` and `linalg.matmul` on
/// tensors. Dynamic sizes and offsets are read from `tensor.dim` results and
/// index constants. A body may hold scalar arith ops (float and integer
/// arithmetic, compares, select, conversions),
/// `math.tanh`/`exp`/`sqrt`/`rsqrt`/`erf`/`powf` and `linalg.index`. Anything else is
/// an error that names the op and its location. Inputs must match the argument
/// types, with a dynamic dimension taking the input's size. Values keep fp64
/// precision throughout: f16 and bf16 inputs are taken as the values they hold,
/// and results are not rounded to their element type.
llvm::Expected<std::vector<Tensor>> evaluate(mlir::func::FuncOp func,
                                             llvm::ArrayRef<Tensor> inputs);

} // namespace attnc::ref

#endif // ATTNC_REFERENCE_INTERPRETER_H
