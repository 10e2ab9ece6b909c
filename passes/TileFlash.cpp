//===- TileFlash.cpp - attn-tile-flash (placeholder until implemented) -------===//

#include "passes/Passes.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNTILEFLASH
#include "passes/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {
struct AttnTileFlashPass : attn::impl::AttnTileFlashBase<AttnTileFlashPass> {
  using Base::Base;
  void runOnOperation() override {}
};
} // namespace
