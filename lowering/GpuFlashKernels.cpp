//===- GpuFlashKernels.cpp - What the GPU flash kernels share --------------===//

#include "lowering/GpuFlashKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <limits>

using namespace mlir;
using namespace mlir::attn::gpuflash;

Value FlashKernelBase::idx(int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

Value FlashKernelBase::f32Const(double v) {
  return arith::ConstantOp::create(b, loc,
                                   b.getF32FloatAttr(static_cast<float>(v)));
}

Value FlashKernelBase::i32Const(int32_t v) {
  return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(v));
}

Value FlashKernelBase::toF32(Value v) {
  return v.getType() == f32 ? v : arith::ExtFOp::create(b, loc, f32, v);
}

Value FlashKernelBase::fromF32(Value v) {
  return spec.elementType == f32
             ? v
             : arith::TruncFOp::create(b, loc, spec.elementType, v);
}

Value FlashKernelBase::zeroOf(Type t) {
  return arith::ConstantOp::create(b, loc, b.getZeroAttr(t));
}

HostSizes FlashKernelBase::readHostSizes() {
  HostSizes s;
  s.batch = memref::DimOp::create(b, loc, buf.query, 0);
  s.lq = memref::DimOp::create(b, loc, buf.query, 2);
  s.lk = memref::DimOp::create(b, loc, buf.key, 2);
  s.diagOffset = arith::SubIOp::create(b, loc, s.lk, s.lq);
  return s;
}

gpu::LaunchOp FlashKernelBase::launch(const HostSizes &hostSizes,
                                      int64_t threads,
                                      int64_t dynamicSharedBytes,
                                      TypeRange workgroup, TypeRange privates) {
  sizes = hostSizes;
  // x runs over batch·head (up to 2³¹ - 1 blocks), y over query blocks.
  Value gridX = arith::MulIOp::create(b, loc, sizes.batch,
                                      idx(spec.queryHeads));
  Value gridY =
      arith::CeilDivSIOp::create(b, loc, sizes.lq, idx(tiling.blockQ));
  Value dynamic =
      dynamicSharedBytes > 0 ? i32Const(dynamicSharedBytes) : Value();
  Value one = idx(1);
  return gpu::LaunchOp::create(b, loc, gridX, gridY, one, idx(threads), one,
                               one, dynamic, nullptr, {}, workgroup, privates);
}

void FlashKernelBase::readBlockCoords(gpu::LaunchOp op) {
  Value bh = op.getBlockIds().x;
  Value heads = idx(spec.queryHeads);
  batch = arith::DivUIOp::create(b, loc, bh, heads);
  head = arith::RemUIOp::create(b, loc, bh, heads);
  kvHead = arith::DivUIOp::create(b, loc, head, idx(spec.groupSize));
  q0 = arith::MulIOp::create(b, loc, op.getBlockIds().y, idx(tiling.blockQ));
  qRows = arith::MinSIOp::create(
      b, loc, arith::SubIOp::create(b, loc, sizes.lq, q0), idx(tiling.blockQ));
}

std::pair<Value, Value> FlashKernelBase::keyBlockRange() {
  int64_t bk = tiling.blockK;
  Value lastQuery = arith::SubIOp::create(
      b, loc, arith::AddIOp::create(b, loc, q0, qRows), idx(1));
  Value jLo = idx(0);
  if (spec.left >= 0) {
    Value lo = arith::SubIOp::create(
        b, loc, arith::AddIOp::create(b, loc, q0, sizes.diagOffset),
        idx(spec.left));
    jLo = arith::MaxSIOp::create(b, loc, lo, idx(0));
  }
  Value jHi = sizes.lk;
  if (spec.right >= 0) {
    Value hi = arith::AddIOp::create(
        b, loc, arith::AddIOp::create(b, loc, lastQuery, sizes.diagOffset),
        idx(spec.right + 1));
    jHi = arith::MaxSIOp::create(
        b, loc, arith::MinSIOp::create(b, loc, hi, sizes.lk), jLo);
  }
  Value kbLo = arith::DivSIOp::create(b, loc, jLo, idx(bk));
  Value kbHi = arith::CeilDivSIOp::create(b, loc, jHi, idx(bk));
  return {kbLo, kbHi};
}

Value FlashKernelBase::blockInsideBand(Value k0) {
  Value inside = arith::ConstantOp::create(b, loc, b.getBoolAttr(true));
  if (spec.right >= 0) {
    // The first query of the block sees the fewest keys on the right.
    Value kLast = arith::AddIOp::create(b, loc, k0, idx(tiling.blockK - 1));
    Value hi = arith::AddIOp::create(
        b, loc, arith::AddIOp::create(b, loc, q0, sizes.diagOffset),
        idx(spec.right));
    inside = arith::AndIOp::create(
        b, loc, inside,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, kLast, hi));
  }
  if (spec.left >= 0) {
    // The last query sees the fewest keys on the left.
    Value lastQuery = arith::SubIOp::create(
        b, loc, arith::AddIOp::create(b, loc, q0, qRows), idx(1));
    Value lo = arith::SubIOp::create(
        b, loc, arith::AddIOp::create(b, loc, lastQuery, sizes.diagOffset),
        idx(spec.left));
    inside = arith::AndIOp::create(
        b, loc, inside,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, k0, lo));
  }
  return inside;
}

Value FlashKernelBase::visible(Value i, Value j) {
  Value ok = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, j,
                                   sizes.lk);
  Value diag = arith::AddIOp::create(b, loc, i, sizes.diagOffset);
  if (spec.right >= 0) {
    Value hi = arith::AddIOp::create(b, loc, diag, idx(spec.right));
    ok = arith::AndIOp::create(
        b, loc, ok,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, j, hi));
  }
  if (spec.left >= 0) {
    Value lo = arith::SubIOp::create(b, loc, diag, idx(spec.left));
    ok = arith::AndIOp::create(
        b, loc, ok,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, j, lo));
  }
  return ok;
}

double FlashKernelBase::scoreFactor() const {
  return spec.scale * (spec.softcap || spec.hard ? 1.0 : kLog2e);
}

double FlashKernelBase::outFactor() const { return spec.hard ? 1.0 : kLog2e; }

Value FlashKernelBase::softcapScore(Value s) {
  if (!spec.softcap)
    return s;
  Value t = math::TanhOp::create(
      b, loc, arith::DivFOp::create(b, loc, s, f32Const(*spec.softcap)));
  return arith::MulFOp::create(b, loc, t,
                               f32Const(*spec.softcap * outFactor()));
}

Value FlashKernelBase::loadMask(Value i, Value j) {
  auto type = cast<MemRefType>(buf.mask.getType());
  int64_t rank = type.getRank();
  Value coords[4] = {batch, head, i, j};
  Value zero = idx(0);
  SmallVector<Value> indices;
  // The mask's dims align with [B, H, Lq, Lk] from the right; a static 1
  // broadcasts.
  for (int64_t d = 0; d < rank; ++d)
    indices.push_back(type.getDimSize(d) == 1 ? zero
                                              : coords[d + 4 - rank]);
  return memref::LoadOp::create(b, loc, buf.mask, indices);
}

Value FlashKernelBase::applyUserMask(Value s, Value i, Value j) {
  if (!buf.mask)
    return s;
  Value m = loadMask(i, j);
  if (m.getType().isInteger(1))
    return arith::SelectOp::create(
        b, loc, m, s, f32Const(-std::numeric_limits<double>::infinity()));
  Value scaled =
      arith::MulFOp::create(b, loc, toF32(m), f32Const(outFactor()));
  return arith::AddFOp::create(b, loc, s, scaled);
}

Value FlashKernelBase::applyBand(Value s, Value i, Value j) {
  return arith::SelectOp::create(
      b, loc, visible(i, j), s,
      f32Const(-std::numeric_limits<double>::infinity()));
}

SmallVector<Value> FlashKernelBase::forLoop(Value lo, Value hi, Value step,
                                            ValueRange init, LoopBody body) {
  auto loop = scf::ForOp::create(b, loc, lo, hi, step, init);
  OpBuilder::InsertionGuard guard(b);
  Block *block = loop.getBody();
  if (!block->empty() && block->back().hasTrait<OpTrait::IsTerminator>())
    block->back().erase();
  b.setInsertionPointToEnd(block);
  SmallVector<Value> next = body(loop.getInductionVar(),
                                 loop.getRegionIterArgs());
  scf::YieldOp::create(b, loc, next);
  return loop.getResults();
}

SmallVector<Value> FlashKernelBase::ifElse(Value cond, TypeRange types,
                                           Branch then, Branch otherwise) {
  auto op = scf::IfOp::create(b, loc, types, cond, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  for (auto [region, branch] :
       {std::pair<Region *, Branch>{&op.getThenRegion(), then},
        {&op.getElseRegion(), otherwise}}) {
    Block *block = &region->front();
    if (!block->empty() && block->back().hasTrait<OpTrait::IsTerminator>())
      block->back().erase();
    b.setInsertionPointToEnd(block);
    SmallVector<Value> values = branch();
    scf::YieldOp::create(b, loc, values);
  }
  return op.getResults();
}
