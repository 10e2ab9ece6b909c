//===- Decompose.cpp - attn-decompose (placeholder until implemented) -------===//

#include "passes/Passes.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNDECOMPOSE
#include "passes/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {
struct AttnDecomposePass : attn::impl::AttnDecomposeBase<AttnDecomposePass> {
  void runOnOperation() override {}
};
} // namespace
