//===- GpuFlashSimt.cpp - attn-gpu-flash's SIMT kernel ---------------------===//
//
// One thread per query row, a thread block per (batch·head, query block).
// The block stages each key (and value) tile in shared memory; every thread
// walks the tile's keys with the same online softmax as the CPU path (exp2,
// log2 e folded into the query scale, running max and sum), so it covers
// every variant the tensor-core kernel does not: f32, attn.hard, attention
// weights, cosine scores.
//
//===----------------------------------------------------------------------===//

#include "lowering/GpuFlashKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <limits>
#include <tuple>

using namespace mlir;
using namespace mlir::attn::gpuflash;

namespace {

class SimtKernel : public FlashKernelBase {
public:
  using FlashKernelBase::FlashKernelBase;

  void build();

private:
  /// Qᵀ row of this thread into private memory, scaled by scoreFactor (and
  /// normalised for cosine scores).
  void loadQueryRow();
  /// Copies rows [k0, k0 + rows) of `source`'s KV head into `tile`, the
  /// block's threads striding over the elements (coalesced along columns).
  void stageTile(Value tile, Value source, Value k0, Value rows, int64_t cols);
  /// 1 / max(|k|, 1e-12) of the tile's keys, for cosine scores.
  void stageKeyNorms(Value k0, Value rows);
  /// The score of key `j` of the staged tile in the softmax's units, before
  /// the mask and band: q·k (times the cosine key norm), then softcap.
  Value score(Value j);

  /// Runs `step(k0, rows, indexMask, state)` over the key blocks
  /// [kbLo, kbHi), staging each tile first; threads whose row is past Lq
  /// only help stage. Blocks entirely inside the band skip the band test.
  using Step = function_ref<SmallVector<Value>(Value k0, Value rows,
                                               bool indexMask, ValueRange)>;
  SmallVector<Value> forEachKeyBlock(Value kbLo, Value kbHi, ValueRange init,
                                     bool stageValues, Step step);

  /// One online-softmax pass over `rows` keys starting at k0.
  SmallVector<Value> softmaxKeys(Value k0, Value rows, bool indexMask,
                                 ValueRange state);
  /// One running-argmax pass (hard attention; the first maximum wins).
  SmallVector<Value> argmaxKeys(Value k0, Value rows, bool indexMask,
                                ValueRange state);

  void writeSoftmaxOutput(Value sum);
  void writeHardOutput(Value bestIdx);
  /// A second pass over every key writing normalised probabilities (0 where
  /// hidden), with the final max and sum.
  void writeWeights(Value max, Value sum);

  Value keyTile, valueTile, keyNorms, queryRow, acc;
  Value tid, threads, row, rowValid, rowClamped;
};

void SimtKernel::build() {
  MLIRContext *ctx = b.getContext();
  auto shared = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  auto priv = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Private);
  Type elt = spec.elementType;
  int64_t bk = tiling.blockK;
  SmallVector<Type> workgroup = {
      MemRefType::get({bk, spec.headDim}, elt, nullptr, shared)};
  if (!spec.hard)
    workgroup.push_back(
        MemRefType::get({bk, spec.valueDim}, elt, nullptr, shared));
  if (spec.cosine)
    workgroup.push_back(MemRefType::get({bk}, f32, nullptr, shared));
  SmallVector<Type> privates = {
      MemRefType::get({spec.headDim}, f32, nullptr, priv)};
  if (!spec.hard)
    privates.push_back(MemRefType::get({spec.valueDim}, f32, nullptr, priv));

  HostSizes host = readHostSizes();
  gpu::LaunchOp op = launch(host, tiling.blockQ, 0, workgroup, privates);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&op.getBody().front());
  ArrayRef<BlockArgument> wg = op.getWorkgroupAttributions();
  keyTile = wg[0];
  if (!spec.hard)
    valueTile = wg[1];
  if (spec.cosine)
    keyNorms = wg.back();
  queryRow = op.getPrivateAttributions()[0];
  if (!spec.hard)
    acc = op.getPrivateAttributions()[1];

  readBlockCoords(op);
  tid = op.getThreadIds().x;
  threads = idx(tiling.blockQ);
  row = arith::AddIOp::create(b, loc, q0, tid);
  rowValid =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, row, sizes.lq);
  // Threads past Lq still stage tiles and meet the barriers; they read a
  // valid row and never write.
  rowClamped = arith::MinSIOp::create(
      b, loc, row, arith::SubIOp::create(b, loc, sizes.lq, idx(1)));
  loadQueryRow();
  Value kbLo, kbHi;
  std::tie(kbLo, kbHi) = keyBlockRange();

  if (spec.hard) {
    Value best = f32Const(-std::numeric_limits<double>::infinity());
    Value none = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(-1));
    SmallVector<Value> state = forEachKeyBlock(
        kbLo, kbHi, ValueRange{best, none}, /*stageValues=*/false,
        [&](Value k0, Value rows, bool indexMask, ValueRange s) {
          return argmaxKeys(k0, rows, indexMask, s);
        });
    writeHardOutput(state[1]);
  } else {
    forLoop(idx(0), idx(spec.valueDim), idx(1), {},
            [&](Value d, ValueRange) -> SmallVector<Value> {
              memref::StoreOp::create(b, loc, f32Const(0.0), acc, d);
              return {};
            });
    // A finite initial max keeps exp2(m_old - m_new) from being NaN when
    // every score so far is -inf.
    Value max = f32Const(-std::numeric_limits<float>::max());
    SmallVector<Value> state = forEachKeyBlock(
        kbLo, kbHi, ValueRange{max, f32Const(0.0)}, /*stageValues=*/true,
        [&](Value k0, Value rows, bool indexMask, ValueRange s) {
          return softmaxKeys(k0, rows, indexMask, s);
        });
    writeSoftmaxOutput(state[1]);
    if (spec.weights)
      writeWeights(state[0], state[1]);
  }
  gpu::TerminatorOp::create(b, loc);
}

void SimtKernel::loadQueryRow() {
  Value one = idx(1), zero = idx(0), dim = idx(spec.headDim);
  auto element = [&](Value d) {
    return toF32(memref::LoadOp::create(
        b, loc, buf.query, ValueRange{batch, head, rowClamped, d}));
  };
  Value factor = f32Const(scoreFactor());
  if (spec.cosine) {
    Value sumSq = forLoop(zero, dim, one, ValueRange{f32Const(0.0)},
                          [&](Value d, ValueRange s) -> SmallVector<Value> {
                            Value x = element(d);
                            Value x2 = arith::MulFOp::create(b, loc, x, x);
                            return {arith::AddFOp::create(b, loc, s[0], x2)};
                          })[0];
    Value norm = arith::MaximumFOp::create(
        b, loc, math::SqrtOp::create(b, loc, sumSq), f32Const(1e-12));
    factor = arith::DivFOp::create(b, loc, factor, norm);
  }
  forLoop(zero, dim, one, {}, [&](Value d, ValueRange) -> SmallVector<Value> {
    Value x = arith::MulFOp::create(b, loc, element(d), factor);
    memref::StoreOp::create(b, loc, x, queryRow, d);
    return {};
  });
}

void SimtKernel::stageTile(Value tile, Value source, Value k0, Value rows,
                           int64_t cols) {
  Value width = idx(cols);
  Value total = arith::MulIOp::create(b, loc, rows, width);
  forLoop(tid, total, threads, {},
          [&](Value e, ValueRange) -> SmallVector<Value> {
            Value r = arith::DivUIOp::create(b, loc, e, width);
            Value c = arith::RemUIOp::create(b, loc, e, width);
            Value key = arith::AddIOp::create(b, loc, k0, r);
            Value v = memref::LoadOp::create(
                b, loc, source, ValueRange{batch, kvHead, key, c});
            memref::StoreOp::create(b, loc, v, tile, ValueRange{r, c});
            return {};
          });
}

void SimtKernel::stageKeyNorms(Value k0, Value rows) {
  forLoop(tid, rows, threads, {},
          [&](Value r, ValueRange) -> SmallVector<Value> {
            Value key = arith::AddIOp::create(b, loc, k0, r);
            Value sumSq =
                forLoop(idx(0), idx(spec.headDim), idx(1),
                        ValueRange{f32Const(0.0)},
                        [&](Value d, ValueRange s) -> SmallVector<Value> {
                          Value x = toF32(memref::LoadOp::create(
                              b, loc, buf.key,
                              ValueRange{batch, kvHead, key, d}));
                          Value x2 = arith::MulFOp::create(b, loc, x, x);
                          return {arith::AddFOp::create(b, loc, s[0], x2)};
                        })[0];
            Value norm = arith::MaximumFOp::create(
                b, loc, math::SqrtOp::create(b, loc, sumSq), f32Const(1e-12));
            Value inv = arith::DivFOp::create(b, loc, f32Const(1.0), norm);
            memref::StoreOp::create(b, loc, inv, keyNorms, r);
            return {};
          });
}

Value SimtKernel::score(Value j) {
  Value dot =
      forLoop(idx(0), idx(spec.headDim), idx(1), ValueRange{f32Const(0.0)},
              [&](Value d, ValueRange s) -> SmallVector<Value> {
                Value q = memref::LoadOp::create(b, loc, queryRow, d);
                Value k = toF32(memref::LoadOp::create(b, loc, keyTile,
                                                       ValueRange{j, d}));
                Value qk = arith::MulFOp::create(b, loc, q, k);
                return {arith::AddFOp::create(b, loc, s[0], qk)};
              })[0];
  if (spec.cosine)
    dot = arith::MulFOp::create(b, loc, dot,
                                memref::LoadOp::create(b, loc, keyNorms, j));
  return softcapScore(dot);
}

SmallVector<Value> SimtKernel::forEachKeyBlock(Value kbLo, Value kbHi,
                                               ValueRange init,
                                               bool stageValues, Step step) {
  bool banded = spec.left >= 0 || spec.right >= 0;
  SmallVector<Type> types(init.getTypes());
  return forLoop(
      kbLo, kbHi, idx(1), init,
      [&](Value kb, ValueRange state) -> SmallVector<Value> {
        Value k0 = arith::MulIOp::create(b, loc, kb, idx(tiling.blockK));
        Value rows = arith::MinSIOp::create(
            b, loc, arith::SubIOp::create(b, loc, sizes.lk, k0),
            idx(tiling.blockK));
        stageTile(keyTile, buf.key, k0, rows, spec.headDim);
        if (stageValues)
          stageTile(valueTile, buf.value, k0, rows, spec.valueDim);
        if (spec.cosine)
          stageKeyNorms(k0, rows);
        gpu::BarrierOp::create(b, loc);
        Value inside = banded ? blockInsideBand(k0) : Value();
        SmallVector<Value> next = ifElse(
            rowValid, types,
            [&]() -> SmallVector<Value> {
              if (!banded)
                return step(k0, rows, false, state);
              return ifElse(
                  inside, types,
                  [&]() { return step(k0, rows, false, state); },
                  [&]() { return step(k0, rows, true, state); });
            },
            [&]() -> SmallVector<Value> { return llvm::to_vector(state); });
        // The next iteration overwrites the tiles.
        gpu::BarrierOp::create(b, loc);
        return next;
      });
}

SmallVector<Value> SimtKernel::softmaxKeys(Value k0, Value rows,
                                           bool indexMask, ValueRange state) {
  return forLoop(
      idx(0), rows, idx(1), state,
      [&](Value j, ValueRange st) -> SmallVector<Value> {
        Value key = arith::AddIOp::create(b, loc, k0, j);
        Value s = applyUserMask(score(j), row, key);
        if (indexMask)
          s = applyBand(s, row, key);
        Value max = arith::MaximumFOp::create(b, loc, st[0], s);
        Value alpha = math::Exp2Op::create(
            b, loc, arith::SubFOp::create(b, loc, st[0], max));
        Value p =
            math::Exp2Op::create(b, loc, arith::SubFOp::create(b, loc, s, max));
        Value sum = arith::AddFOp::create(
            b, loc, arith::MulFOp::create(b, loc, st[1], alpha), p);
        forLoop(idx(0), idx(spec.valueDim), idx(1), {},
                [&](Value d, ValueRange) -> SmallVector<Value> {
                  Value a = memref::LoadOp::create(b, loc, acc, d);
                  Value v = toF32(memref::LoadOp::create(b, loc, valueTile,
                                                         ValueRange{j, d}));
                  Value scaled = arith::MulFOp::create(b, loc, a, alpha);
                  Value pv = arith::MulFOp::create(b, loc, p, v);
                  memref::StoreOp::create(
                      b, loc, arith::AddFOp::create(b, loc, scaled, pv), acc,
                      d);
                  return {};
                });
        return {max, sum};
      });
}

SmallVector<Value> SimtKernel::argmaxKeys(Value k0, Value rows, bool indexMask,
                                          ValueRange state) {
  return forLoop(
      idx(0), rows, idx(1), state,
      [&](Value j, ValueRange st) -> SmallVector<Value> {
        Value key = arith::AddIOp::create(b, loc, k0, j);
        Value s = applyUserMask(score(j), row, key);
        if (indexMask)
          s = applyBand(s, row, key);
        // Keys arrive in increasing order, so a strict > keeps the lowest
        // index among ties; -inf (hidden) never beats the initial -inf.
        Value take =
            arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, s, st[0]);
        Value keyI64 =
            arith::IndexCastOp::create(b, loc, b.getI64Type(), key);
        return {arith::SelectOp::create(b, loc, take, s, st[0]),
                arith::SelectOp::create(b, loc, take, keyI64, st[1])};
      });
}

void SimtKernel::writeSoftmaxOutput(Value sum) {
  ifElse(
      rowValid, {},
      [&]() -> SmallVector<Value> {
        Value zero = f32Const(0.0);
        // A row with no visible key has l = 0 and gives 0; a NaN sum (a NaN
        // or infinite score) stays NaN, as in the reference.
        Value any =
            arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, sum, zero);
        Value inv = arith::SelectOp::create(
            b, loc, any, arith::DivFOp::create(b, loc, f32Const(1.0), sum),
            zero);
        forLoop(idx(0), idx(spec.valueDim), idx(1), {},
                [&](Value d, ValueRange) -> SmallVector<Value> {
                  Value o = arith::MulFOp::create(
                      b, loc, memref::LoadOp::create(b, loc, acc, d), inv);
                  memref::StoreOp::create(b, loc, fromF32(o), buf.output,
                                          ValueRange{batch, head, row, d});
                  return {};
                });
        return {};
      },
      []() -> SmallVector<Value> { return {}; });
}

void SimtKernel::writeHardOutput(Value bestIdx) {
  ifElse(
      rowValid, {},
      [&]() -> SmallVector<Value> {
        Value zeroI64 = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(0));
        Value found = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge,
                                            bestIdx, zeroI64);
        Value key = arith::IndexCastOp::create(
            b, loc, b.getIndexType(),
            arith::MaxSIOp::create(b, loc, bestIdx, zeroI64));
        Value zero = zeroOf(spec.elementType);
        forLoop(idx(0), idx(spec.valueDim), idx(1), {},
                [&](Value d, ValueRange) -> SmallVector<Value> {
                  Value v = memref::LoadOp::create(
                      b, loc, buf.value, ValueRange{batch, kvHead, key, d});
                  memref::StoreOp::create(
                      b, loc, arith::SelectOp::create(b, loc, found, v, zero),
                      buf.output, ValueRange{batch, head, row, d});
                  return {};
                });
        return {};
      },
      []() -> SmallVector<Value> { return {}; });
}

void SimtKernel::writeWeights(Value max, Value sum) {
  Value zero = f32Const(0.0);
  Value any =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, sum, zero);
  Value inv = arith::SelectOp::create(
      b, loc, any, arith::DivFOp::create(b, loc, f32Const(1.0), sum), zero);
  Value blocks = arith::CeilDivSIOp::create(b, loc, sizes.lk,
                                            idx(tiling.blockK));
  // Every key, not just the band, so that hidden weights are written as 0.
  forLoop(
      idx(0), blocks, idx(1), {},
      [&](Value kb, ValueRange) -> SmallVector<Value> {
        Value k0 = arith::MulIOp::create(b, loc, kb, idx(tiling.blockK));
        Value rows = arith::MinSIOp::create(
            b, loc, arith::SubIOp::create(b, loc, sizes.lk, k0),
            idx(tiling.blockK));
        stageTile(keyTile, buf.key, k0, rows, spec.headDim);
        if (spec.cosine)
          stageKeyNorms(k0, rows);
        gpu::BarrierOp::create(b, loc);
        ifElse(
            rowValid, {},
            [&]() -> SmallVector<Value> {
              forLoop(idx(0), rows, idx(1), {},
                      [&](Value j, ValueRange) -> SmallVector<Value> {
                        Value key = arith::AddIOp::create(b, loc, k0, j);
                        Value w = ifElse(
                            visible(row, key), TypeRange{f32},
                            [&]() -> SmallVector<Value> {
                              Value s = applyUserMask(score(j), row, key);
                              Value e = math::Exp2Op::create(
                                  b, loc, arith::SubFOp::create(b, loc, s, max));
                              return {arith::MulFOp::create(b, loc, e, inv)};
                            },
                            [&]() -> SmallVector<Value> { return {zero}; })[0];
                        memref::StoreOp::create(
                            b, loc, fromF32(w), buf.weights,
                            ValueRange{batch, head, row, key});
                        return {};
                      });
              return {};
            },
            []() -> SmallVector<Value> { return {}; });
        gpu::BarrierOp::create(b, loc);
        return {};
      });
}

} // namespace

int64_t mlir::attn::gpuflash::simtSharedBytes(const FlashOpSpec &spec,
                                              FlashTiling tiling) {
  int64_t eltBytes = spec.elementType.getIntOrFloatBitWidth() / 8;
  int64_t perKey = spec.headDim * eltBytes;
  if (!spec.hard)
    perKey += spec.valueDim * eltBytes;
  if (spec.cosine)
    perKey += 4;
  return perKey * tiling.blockK;
}

void mlir::attn::gpuflash::buildSimtKernel(OpBuilder &b, Location loc,
                                           const FlashOpSpec &spec,
                                           const FlashBuffers &buffers,
                                           FlashTiling tiling) {
  SimtKernel(b, loc, spec, buffers, tiling).build();
}
