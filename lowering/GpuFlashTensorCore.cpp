//===- GpuFlashTensorCore.cpp - attn-gpu-flash's tensor-core kernel --------===//
//
// FlashAttention-2 on mma.sync m16n8k16 (f16/bf16 in, f32 accumulate): a
// thread block of blockQ/16 warps owns blockQ query rows, 16 per warp; Q
// fragments stay in registers, K/V tiles are double-buffered in dynamic
// shared memory by cp.async, S = Q·Kᵀ and O += P·V run on tensor cores, and
// the row max and sum of the online softmax are reduced across the 4 lanes
// of a quad with shuffles. The fragment layouts and the lane addressing of
// every ldmatrix are derived in lowering/README.md ("Tensor-core kernel").
//
//===----------------------------------------------------------------------===//

#include "lowering/GpuFlashKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <limits>
#include <tuple>

using namespace mlir;
using namespace mlir::attn::gpuflash;

namespace {

/// Shared-memory rows are padded by 8 elements (16 bytes) so that the 8
/// row addresses of one ldmatrix fall in different banks.
constexpr int64_t kRowPad = 8;
/// Elements per cp.async (16 bytes of f16/bf16).
constexpr int64_t kChunk = 8;
/// Element bytes of f16/bf16.
constexpr int64_t kEltBytes = 2;

/// The four f32 values of an accumulator fragment (vector<2x2xf32>):
/// [r][e] is row groupRow + 8r, column pairCol + e of the 16x8 tile.
using Acc = std::array<std::array<Value, 2>, 2>;

class TensorCoreKernel : public FlashKernelBase {
public:
  using FlashKernelBase::FlashKernelBase;

  void build();

private:
  int64_t warps() const { return tiling.blockQ / 16; }
  int64_t threadCount() const { return warps() * kThreadsPerWarp; }

  /// Q, K (2 buffers) and V (2 buffers) views of dynamic shared memory.
  void makeSharedViews();
  /// cp.async of a [rows, cols] tile starting at global row `row0` of
  /// `source`'s head `srcHead` into `dst` (at `prefix`, the buffer index);
  /// rows at or past `limit` are zero-filled. Returns the copies' tokens.
  SmallVector<Value> copyTile(Value dst, ValueRange prefix, Value source,
                              Value srcHead, Value row0, Value limit,
                              int64_t rows, int64_t cols);
  /// Issues the K and V tiles of key block `kb` into buffer `buffer` as one
  /// cp.async group.
  void copyKeyValueBlock(Value buffer, Value kb);
  /// A commit with no copies: keeps one group per iteration.
  void emptyGroup();

  Value ldmatrix(Value smem, ValueRange indices, bool transpose);
  /// Splits an ldmatrix.x4 result into the B fragments of two n8 tiles.
  std::pair<Value, Value> splitB(Value x4);
  /// D = A·B + C on one m16n8k16 tile: nvgpu.mma.sync for f16, the NVVM op
  /// for bf16 (which nvgpu.mma.sync does not take).
  Value mma(Value a, Value bFrag, Value c);

  Acc unpack(Value frag);
  Value pack(const Acc &acc);
  /// The max (or sum) over the 4 lanes of a quad: shuffles xor 1, xor 2.
  Value quadReduce(Value v, bool max);

  /// S = Q·Kᵀ for the staged key buffer `cur`: blockK/8 accumulator tiles.
  SmallVector<Value> scores(Value cur);
  /// Scales, softcaps and (when needed) masks the scores.
  SmallVector<Acc> finishScores(ArrayRef<Value> s, Value k0);
  /// One online-softmax step; state is {m0, m1, l0, l1, O tiles...}.
  SmallVector<Value> softmaxStep(Value cur, Value k0, ValueRange state);
  void writeOutput(ValueRange state);

  Type elt;
  VectorType fragA, fragB, accType;
  Value tid, lane, warp, groupRow, pairCol;
  /// Per-lane ldmatrix row/column offsets: "A" for A operands and the
  /// transposed V loads, "K" for the non-transposed K loads.
  Value laneRowA, laneColA, laneRowK, laneColK;
  Value qShared, kShared, vShared;
  Value group0;
  SmallVector<Value> qFrags;
};

void TensorCoreKernel::build() {
  elt = spec.elementType;
  fragA = VectorType::get({4, 2}, elt);
  fragB = VectorType::get({2, 2}, elt);
  accType = VectorType::get({2, 2}, f32);

  HostSizes host = readHostSizes();
  gpu::LaunchOp op = launch(host, threadCount(),
                            tensorCoreSharedBytes(spec, tiling), {}, {});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&op.getBody().front());
  readBlockCoords(op);
  tid = op.getThreadIds().x;
  lane = arith::RemUIOp::create(b, loc, tid, idx(kThreadsPerWarp));
  warp = arith::DivUIOp::create(b, loc, tid, idx(kThreadsPerWarp));
  groupRow = arith::DivUIOp::create(b, loc, lane, idx(4));
  pairCol = arith::MulIOp::create(
      b, loc, arith::RemUIOp::create(b, loc, lane, idx(4)), idx(2));
  Value lane8 = arith::RemUIOp::create(b, loc, lane, idx(8));
  Value matrix = arith::DivUIOp::create(b, loc, lane, idx(8));
  Value matrixLow = arith::RemUIOp::create(b, loc, matrix, idx(2));
  Value matrixHigh = arith::DivUIOp::create(b, loc, matrix, idx(2));
  laneRowA = arith::AddIOp::create(
      b, loc, lane8, arith::MulIOp::create(b, loc, matrixLow, idx(8)));
  laneColA = arith::MulIOp::create(b, loc, matrixHigh, idx(8));
  laneRowK = arith::AddIOp::create(
      b, loc, lane8, arith::MulIOp::create(b, loc, matrixHigh, idx(8)));
  laneColK = arith::MulIOp::create(b, loc, matrixLow, idx(8));
  makeSharedViews();

  // Prologue: Q and the first K/V tile, then Q's fragments into registers.
  Type token = nvgpu::DeviceAsyncTokenType::get(b.getContext());
  SmallVector<Value> qCopies = copyTile(qShared, {}, buf.query, head, q0,
                                        sizes.lq, tiling.blockQ, spec.headDim);
  group0 = nvgpu::DeviceAsyncCreateGroupOp::create(b, loc, token, qCopies);
  Value kbLo, kbHi;
  std::tie(kbLo, kbHi) = keyBlockRange();
  Value hasBlocks =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, kbLo, kbHi);
  ifElse(
      hasBlocks, {},
      [&]() -> SmallVector<Value> {
        copyKeyValueBlock(idx(0), kbLo);
        return {};
      },
      []() -> SmallVector<Value> { return {}; });
  nvgpu::DeviceAsyncWaitOp::create(b, loc, group0, b.getI32IntegerAttr(0));
  gpu::BarrierOp::create(b, loc);
  Value warpRow = arith::MulIOp::create(b, loc, warp, idx(16));
  for (int64_t ks = 0; ks < spec.headDim / 16; ++ks)
    qFrags.push_back(ldmatrix(
        qShared,
        {arith::AddIOp::create(b, loc, warpRow, laneRowA),
         arith::AddIOp::create(b, loc, laneColA, idx(ks * 16))},
        /*transpose=*/false));

  Value negMax = f32Const(-std::numeric_limits<float>::max());
  Value zero = f32Const(0.0);
  SmallVector<Value> init = {negMax, negMax, zero, zero};
  Value zeroAcc = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(accType, b.getF32FloatAttr(0.0f)));
  for (int64_t n = 0; n < spec.valueDim / 8; ++n)
    init.push_back(zeroAcc);

  SmallVector<Value> final = forLoop(
      kbLo, kbHi, idx(1), init,
      [&](Value kb, ValueRange state) -> SmallVector<Value> {
        // Buffer `cur` holds block kb (issued one iteration earlier, or by
        // the prologue); block kb+1 goes into the other one, which every
        // warp finished reading before the barrier that ended the previous
        // iteration.
        Value cur = arith::RemUIOp::create(
            b, loc, arith::SubIOp::create(b, loc, kb, kbLo), idx(2));
        Value next = arith::SubIOp::create(b, loc, idx(1), cur);
        Value kbNext = arith::AddIOp::create(b, loc, kb, idx(1));
        Value hasNext = arith::CmpIOp::create(
            b, loc, arith::CmpIPredicate::slt, kbNext, kbHi);
        ifElse(
            hasNext, {},
            [&]() -> SmallVector<Value> {
              copyKeyValueBlock(next, kbNext);
              return {};
            },
            [&]() -> SmallVector<Value> {
              emptyGroup();
              return {};
            });
        // Every group but the one just committed is complete: block kb has
        // landed (for this thread's copies; the barrier makes all visible).
        nvgpu::DeviceAsyncWaitOp::create(b, loc, group0,
                                         b.getI32IntegerAttr(1));
        gpu::BarrierOp::create(b, loc);
        Value k0 = arith::MulIOp::create(b, loc, kb, idx(tiling.blockK));
        SmallVector<Value> out = softmaxStep(cur, k0, state);
        gpu::BarrierOp::create(b, loc);
        return out;
      });
  writeOutput(final);
  gpu::TerminatorOp::create(b, loc);
}

void TensorCoreKernel::makeSharedViews() {
  MLIRContext *ctx = b.getContext();
  auto shared = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  Value base = gpu::DynamicSharedMemoryOp::create(
      b, loc,
      MemRefType::get({ShapedType::kDynamic}, b.getI8Type(), nullptr, shared));
  int64_t bq = tiling.blockQ, bk = tiling.blockK;
  int64_t qStride = spec.headDim + kRowPad, vStride = spec.valueDim + kRowPad;
  auto qType = MemRefType::get({bq, qStride}, elt, nullptr, shared);
  auto kType = MemRefType::get({2, bk, qStride}, elt, nullptr, shared);
  auto vType = MemRefType::get({2, bk, vStride}, elt, nullptr, shared);
  int64_t qBytes = bq * qStride * kEltBytes;
  int64_t kBytes = 2 * bk * qStride * kEltBytes;
  qShared = memref::ViewOp::create(b, loc, qType, base, idx(0), {});
  kShared = memref::ViewOp::create(b, loc, kType, base, idx(qBytes), {});
  vShared =
      memref::ViewOp::create(b, loc, vType, base, idx(qBytes + kBytes), {});
}

SmallVector<Value> TensorCoreKernel::copyTile(Value dst, ValueRange prefix,
                                              Value source, Value srcHead,
                                              Value row0, Value limit,
                                              int64_t rows, int64_t cols) {
  Type token = nvgpu::DeviceAsyncTokenType::get(b.getContext());
  int64_t chunksPerRow = cols / kChunk;
  int64_t total = rows * chunksPerRow;
  int64_t perThread = llvm::divideCeil(total, threadCount());
  SmallVector<Value> tokens;
  for (int64_t n = 0; n < perThread; ++n) {
    Value c = arith::AddIOp::create(b, loc, tid, idx(n * threadCount()));
    // When the tile does not divide among the threads, the surplus threads
    // repeat the last chunk: same bytes, same destination.
    if (total % threadCount() != 0)
      c = arith::MinUIOp::create(b, loc, c, idx(total - 1));
    Value r = arith::DivUIOp::create(b, loc, c, idx(chunksPerRow));
    Value col = arith::MulIOp::create(
        b, loc, arith::RemUIOp::create(b, loc, c, idx(chunksPerRow)),
        idx(kChunk));
    Value globalRow = arith::AddIOp::create(b, loc, row0, r);
    Value inBounds = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                           globalRow, limit);
    // Rows past the end are zero-filled (src-size 0) from row 0, which
    // exists whenever the tile is loaded at all.
    Value srcRow = arith::SelectOp::create(b, loc, inBounds, globalRow, idx(0));
    Value count =
        arith::SelectOp::create(b, loc, inBounds, idx(kChunk), idx(0));
    SmallVector<Value> dstIdx(prefix);
    dstIdx.append({r, col});
    tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
        b, loc, token, dst, dstIdx, source,
        ValueRange{batch, srcHead, srcRow, col}, b.getIndexAttr(kChunk), count,
        b.getUnitAttr()));
  }
  return tokens;
}

void TensorCoreKernel::copyKeyValueBlock(Value buffer, Value kb) {
  Value k0 = arith::MulIOp::create(b, loc, kb, idx(tiling.blockK));
  SmallVector<Value> tokens =
      copyTile(kShared, buffer, buf.key, kvHead, k0, sizes.lk, tiling.blockK,
               spec.headDim);
  tokens.append(copyTile(vShared, buffer, buf.value, kvHead, k0, sizes.lk,
                         tiling.blockK, spec.valueDim));
  nvgpu::DeviceAsyncCreateGroupOp::create(
      b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()), tokens);
}

void TensorCoreKernel::emptyGroup() {
  nvgpu::DeviceAsyncCreateGroupOp::create(
      b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()), ValueRange{});
}

Value TensorCoreKernel::ldmatrix(Value smem, ValueRange indices,
                                 bool transpose) {
  return nvgpu::LdMatrixOp::create(b, loc, fragA, smem, indices,
                                   b.getBoolAttr(transpose),
                                   b.getI32IntegerAttr(4));
}

std::pair<Value, Value> TensorCoreKernel::splitB(Value x4) {
  auto half = [&](int64_t first) -> Value {
    Value frag = arith::ConstantOp::create(b, loc, b.getZeroAttr(fragB));
    for (int64_t r = 0; r < 2; ++r)
      frag = vector::InsertOp::create(
          b, loc, vector::ExtractOp::create(b, loc, x4, first + r), frag, r);
    return frag;
  };
  return {half(0), half(2)};
}

Value TensorCoreKernel::mma(Value a, Value bFrag, Value c) {
  if (elt.isF16())
    return nvgpu::MmaSyncOp::create(b, loc, a, bFrag, c,
                                    ArrayRef<int64_t>{16, 8, 16});
  // bf16: the NVVM op takes each register as an i32 holding two elements.
  Type i32 = b.getI32Type();
  auto words = [&](Value frag, int64_t count) {
    SmallVector<Value> out;
    for (int64_t r = 0; r < count; ++r) {
      Value pair = vector::ExtractOp::create(b, loc, frag, r);
      Value word = vector::BitCastOp::create(
          b, loc, VectorType::get({1}, i32), pair);
      out.push_back(vector::ExtractOp::create(b, loc, word, 0));
    }
    return out;
  };
  Acc in = unpack(c);
  SmallVector<Value> cs = {in[0][0], in[0][1], in[1][0], in[1][1]};
  auto resultType = LLVM::LLVMStructType::getLiteral(
      b.getContext(), SmallVector<Type>(4, f32));
  Value d = NVVM::MmaOp::create(
      b, loc, resultType, words(a, 4), words(bFrag, 2), cs,
      ArrayRef<int64_t>{16, 8, 16}, std::nullopt, std::nullopt,
      std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::bf16,
                                    NVVM::MMATypes::bf16},
      std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                     NVVM::MMALayout::col});
  Acc out;
  for (int64_t k = 0; k < 4; ++k)
    out[k / 2][k % 2] = LLVM::ExtractValueOp::create(b, loc, d, k);
  return pack(out);
}

Acc TensorCoreKernel::unpack(Value frag) {
  Acc out;
  for (int64_t r = 0; r < 2; ++r)
    for (int64_t e = 0; e < 2; ++e)
      out[r][e] =
          vector::ExtractOp::create(b, loc, frag, ArrayRef<int64_t>{r, e});
  return out;
}

Value TensorCoreKernel::pack(const Acc &acc) {
  return vector::FromElementsOp::create(
      b, loc, accType,
      ValueRange{acc[0][0], acc[0][1], acc[1][0], acc[1][1]});
}

Value TensorCoreKernel::quadReduce(Value v, bool max) {
  for (int32_t offset : {1, 2}) {
    Value other = gpu::ShuffleOp::create(b, loc, v, offset, kThreadsPerWarp,
                                         gpu::ShuffleMode::XOR)
                      .getShuffleResult();
    v = max ? Value(arith::MaximumFOp::create(b, loc, v, other))
            : Value(arith::AddFOp::create(b, loc, v, other));
  }
  return v;
}

SmallVector<Value> TensorCoreKernel::scores(Value cur) {
  Value zeroAcc = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(accType, b.getF32FloatAttr(0.0f)));
  SmallVector<Value> s(tiling.blockK / 8, zeroAcc);
  for (int64_t np = 0; np < tiling.blockK / 16; ++np) {
    Value row = arith::AddIOp::create(b, loc, laneRowK, idx(np * 16));
    for (int64_t ks = 0; ks < spec.headDim / 16; ++ks) {
      Value col = arith::AddIOp::create(b, loc, laneColK, idx(ks * 16));
      auto [b0, b1] =
          splitB(ldmatrix(kShared, {cur, row, col}, /*transpose=*/false));
      s[2 * np] = mma(qFrags[ks], b0, s[2 * np]);
      s[2 * np + 1] = mma(qFrags[ks], b1, s[2 * np + 1]);
    }
  }
  return s;
}

SmallVector<Acc> TensorCoreKernel::finishScores(ArrayRef<Value> s, Value k0) {
  Value factor = f32Const(scoreFactor());
  SmallVector<Acc> tiles;
  for (Value frag : s) {
    Acc a = unpack(frag);
    for (auto &r : a)
      for (Value &x : r)
        x = softcapScore(arith::MulFOp::create(b, loc, x, factor));
    tiles.push_back(a);
  }
  // The mask arithmetic runs only where some score may be hidden: a user
  // mask, a block crossing the band's edge, or the partial last block.
  Value kEnd = arith::AddIOp::create(b, loc, k0, idx(tiling.blockK));
  Value needMask =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, kEnd, sizes.lk);
  if (spec.left >= 0 || spec.right >= 0)
    needMask = arith::OrIOp::create(
        b, loc, needMask,
        arith::XOrIOp::create(
            b, loc, blockInsideBand(k0),
            arith::ConstantOp::create(b, loc, b.getBoolAttr(true))));
  if (buf.mask)
    needMask = arith::ConstantOp::create(b, loc, b.getBoolAttr(true));

  SmallVector<Value> flat;
  for (const Acc &a : tiles)
    for (const auto &r : a)
      flat.append(r.begin(), r.end());
  SmallVector<Type> types(flat.size(), f32);
  SmallVector<Value> masked = ifElse(
      needMask, types,
      [&]() -> SmallVector<Value> {
        Value rowBase = arith::AddIOp::create(
            b, loc, q0,
            arith::AddIOp::create(
                b, loc, arith::MulIOp::create(b, loc, warp, idx(16)),
                groupRow));
        Value lastQuery = arith::SubIOp::create(b, loc, sizes.lq, idx(1));
        Value lastKey = arith::SubIOp::create(b, loc, sizes.lk, idx(1));
        SmallVector<Value> out;
        for (auto [t, a] : llvm::enumerate(tiles))
          for (int64_t r = 0; r < 2; ++r) {
            Value i = arith::AddIOp::create(b, loc, rowBase, idx(8 * r));
            Value iMask = arith::MinSIOp::create(b, loc, i, lastQuery);
            for (int64_t e = 0; e < 2; ++e) {
              Value j = arith::AddIOp::create(
                  b, loc, k0,
                  arith::AddIOp::create(b, loc, pairCol,
                                        idx(static_cast<int64_t>(t) * 8 + e)));
              Value jMask = arith::MinSIOp::create(b, loc, j, lastKey);
              Value x = applyUserMask(a[r][e], iMask, jMask);
              out.push_back(applyBand(x, i, j));
            }
          }
        return out;
      },
      [&]() -> SmallVector<Value> { return flat; });
  for (size_t t = 0; t < tiles.size(); ++t)
    for (size_t k = 0; k < 4; ++k)
      tiles[t][k / 2][k % 2] = masked[4 * t + k];
  return tiles;
}

SmallVector<Value> TensorCoreKernel::softmaxStep(Value cur, Value k0,
                                                 ValueRange state) {
  SmallVector<Acc> s = finishScores(scores(cur), k0);
  SmallVector<Value> next(state.size());
  std::array<Value, 2> alpha, newMax;
  for (int64_t r = 0; r < 2; ++r) {
    // Row r of this lane is row groupRow + 8r; the quad holds the rest.
    Value m = state[r];
    for (const Acc &a : s)
      for (Value x : a[r])
        m = arith::MaximumFOp::create(b, loc, m, x);
    newMax[r] = quadReduce(m, /*max=*/true);
    alpha[r] = math::Exp2Op::create(
        b, loc, arith::SubFOp::create(b, loc, state[r], newMax[r]));
    next[r] = newMax[r];
  }
  // P = exp2(S - m_new); l keeps this lane's partial sum, reduced at the
  // end, since alpha is the same for the whole row.
  std::array<Value, 2> sums = {
      arith::MulFOp::create(b, loc, state[2], alpha[0]).getResult(),
      arith::MulFOp::create(b, loc, state[3], alpha[1]).getResult()};
  for (Acc &a : s)
    for (int64_t r = 0; r < 2; ++r)
      for (Value &x : a[r]) {
        x = math::Exp2Op::create(
            b, loc, arith::SubFOp::create(b, loc, x, newMax[r]));
        sums[r] = arith::AddFOp::create(b, loc, sums[r], x);
      }
  next[2] = sums[0];
  next[3] = sums[1];

  // O *= alpha, row by row.
  SmallVector<Value> o;
  for (Value frag : state.drop_front(4)) {
    Acc a = unpack(frag);
    for (int64_t r = 0; r < 2; ++r)
      for (Value &x : a[r])
        x = arith::MulFOp::create(b, loc, x, alpha[r]);
    o.push_back(pack(a));
  }
  // O += P·V: the accumulators of n-tiles 2ks and 2ks+1 (keys 16ks..16ks+15)
  // are exactly the A fragment of k-step ks.
  for (int64_t ks = 0; ks < tiling.blockK / 16; ++ks) {
    SmallVector<Value> pElems;
    for (const Acc *a : {&s[2 * ks], &s[2 * ks + 1]})
      for (int64_t r = 0; r < 2; ++r)
        for (Value x : (*a)[r])
          pElems.push_back(arith::TruncFOp::create(b, loc, elt, x));
    Value pFrag = vector::FromElementsOp::create(b, loc, fragA, pElems);
    Value row = arith::AddIOp::create(b, loc, laneRowA, idx(ks * 16));
    for (int64_t dp = 0; dp < spec.valueDim / 16; ++dp) {
      Value col = arith::AddIOp::create(b, loc, laneColA, idx(dp * 16));
      auto [b0, b1] =
          splitB(ldmatrix(vShared, {cur, row, col}, /*transpose=*/true));
      o[2 * dp] = mma(pFrag, b0, o[2 * dp]);
      o[2 * dp + 1] = mma(pFrag, b1, o[2 * dp + 1]);
    }
  }
  llvm::copy(o, next.begin() + 4);
  return next;
}

void TensorCoreKernel::writeOutput(ValueRange state) {
  Value rowBase = arith::AddIOp::create(
      b, loc, q0,
      arith::AddIOp::create(b, loc,
                            arith::MulIOp::create(b, loc, warp, idx(16)),
                            groupRow));
  SmallVector<Acc> o;
  for (Value frag : state.drop_front(4))
    o.push_back(unpack(frag));
  VectorType pairType = VectorType::get({2}, elt);
  for (int64_t r = 0; r < 2; ++r) {
    Value sum = quadReduce(state[2 + r], /*max=*/false);
    Value zero = f32Const(0.0);
    // A row with no visible key has l = 0 and gives 0; a NaN sum (a NaN
        // or infinite score) stays NaN, as in the reference.
    Value any =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, sum, zero);
    Value inv = arith::SelectOp::create(
        b, loc, any, arith::DivFOp::create(b, loc, f32Const(1.0), sum), zero);
    Value i = arith::AddIOp::create(b, loc, rowBase, idx(8 * r));
    Value inRange =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, sizes.lq);
    ifElse(
        inRange, {},
        [&]() -> SmallVector<Value> {
          for (auto [n, a] : llvm::enumerate(o)) {
            SmallVector<Value> pair;
            for (Value x : a[r])
              pair.push_back(arith::TruncFOp::create(
                  b, loc, elt, arith::MulFOp::create(b, loc, x, inv)));
            Value col = arith::AddIOp::create(
                b, loc, pairCol, idx(static_cast<int64_t>(n) * 8));
            vector::StoreOp::create(
                b, loc, vector::FromElementsOp::create(b, loc, pairType, pair),
                buf.output, ValueRange{batch, head, i, col});
          }
          return {};
        },
        []() -> SmallVector<Value> { return {}; });
  }
}

} // namespace

int64_t mlir::attn::gpuflash::tensorCoreSharedBytes(const FlashOpSpec &spec,
                                                    FlashTiling tiling) {
  int64_t q = tiling.blockQ * (spec.headDim + kRowPad);
  int64_t k = 2 * tiling.blockK * (spec.headDim + kRowPad);
  int64_t v = 2 * tiling.blockK * (spec.valueDim + kRowPad);
  return (q + k + v) * kEltBytes;
}

std::optional<std::string>
mlir::attn::gpuflash::tensorCoreRejects(const FlashOpSpec &spec) {
  if (!spec.elementType.isF16() && !spec.elementType.isBF16())
    return std::string("the element type is not f16 or bf16");
  if (spec.hard)
    return std::string("hard attention has no softmax");
  if (spec.weights)
    return std::string("the attention weights are asked for");
  if (spec.cosine)
    return std::string("cosine scores need per-key norms");
  if (spec.headDim % 16 != 0 || spec.valueDim % 16 != 0 ||
      spec.headDim > 256 || spec.valueDim > 256)
    return std::string("head dims must be multiples of 16 up to 256");
  return std::nullopt;
}

void mlir::attn::gpuflash::buildTensorCoreKernel(OpBuilder &b, Location loc,
                                                 const FlashOpSpec &spec,
                                                 const FlashBuffers &buffers,
                                                 FlashTiling tiling) {
  TensorCoreKernel(b, loc, spec, buffers, tiling).build();
}
