//===- Fuse.cpp - attn-fuse (placeholder until implemented) -------===//

#include "passes/Passes.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNFUSE
#include "passes/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {
struct AttnFusePass : attn::impl::AttnFuseBase<AttnFusePass> {
  void runOnOperation() override {}
};
} // namespace
