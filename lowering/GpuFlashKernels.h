//===- GpuFlashKernels.h - The GPU kernels of attn-gpu-flash ----*- C++ -*-===//
//
// What attn-gpu-flash knows about one attn.sdpa / attn.hard, and the pieces
// both of its kernels share: launch geometry, the causal/window band, the
// score modifiers (softcap, user mask, band) and small IR helpers. The
// tensor-core kernel (GpuFlashTensorCore.cpp) and the SIMT kernel
// (GpuFlashSimt.cpp) build on it; lowering/README.md explains both.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_LOWERING_GPUFLASHKERNELS_H
#define ATTNC_LOWERING_GPUFLASHKERNELS_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Builders.h"

#include <optional>

namespace mlir::attn::gpuflash {

/// log2(e): scores are kept in the exp2 domain.
constexpr double kLog2e = 1.4426950408889634;
/// Threads of a warp.
constexpr int64_t kThreadsPerWarp = 32;
/// Static shared memory a kernel may declare without an opt-in.
constexpr int64_t kStaticSharedBytes = 48 * 1024;

/// The attention semantics a kernel implements, read off one op: its
/// AttentionSettings (dialect/AttnInterfaces.h), resolved for the kernel,
/// and the sizes of its operands.
struct FlashOpSpec {
  bool hard = false;
  bool cosine = false;
  bool weights = false;
  double scale = 1.0;
  std::optional<double> softcap;
  /// Keys visible around the diagonal d = i + Lk - Lq: [d - left, d + right];
  /// -1 leaves a side open. `causal` is folded into `right`
  /// (AttentionSettings::band).
  int64_t left = -1, right = -1;
  int64_t headDim = 0, valueDim = 0, queryHeads = 0, groupSize = 1;
  /// f32, f16 or bf16; the mask's type is read from its buffer.
  Type elementType;
};

/// The device buffers of one op: identity-layout memrefs. `mask` and
/// `weights` are null when absent.
struct FlashBuffers {
  Value query, key, value, mask, output, weights;
};

/// Thread-block tile sizes: queries per block and keys per key block.
struct FlashTiling {
  int64_t blockQ = 64, blockK = 64;
};

/// Sizes known on the host before the launch; captured by the kernel.
struct HostSizes {
  Value batch, lq, lk, diagOffset;
};

/// Helpers shared by both kernels. Each member builds IR at the builder's
/// insertion point; everything index-valued is `index`.
class FlashKernelBase {
public:
  FlashKernelBase(OpBuilder &b, Location loc, const FlashOpSpec &spec,
                  const FlashBuffers &buffers, FlashTiling tiling)
      : b(b), loc(loc), spec(spec), buf(buffers), tiling(tiling),
        f32(b.getF32Type()) {}

protected:
  // Constants and conversions.
  Value idx(int64_t v);
  Value f32Const(double v);
  Value i32Const(int32_t v);
  Value toF32(Value v);
  Value fromF32(Value v);
  Value zeroOf(Type t);

  /// Reads the sizes from the buffers on the host.
  HostSizes readHostSizes();
  /// A gpu.launch over (batch·head, query block) with `threads` threads in
  /// x, the given static shared buffers, per-thread buffers and dynamic
  /// shared memory; `body` fills it, terminator included.
  gpu::LaunchOp launch(const HostSizes &sizes, int64_t threads,
                       int64_t dynamicSharedBytes, TypeRange workgroup,
                       TypeRange privates);

  /// Sets batch, head, kvHead, q0 and qRows from the block ids.
  void readBlockCoords(gpu::LaunchOp op);

  /// [kbLo, kbHi): the key blocks that some query of the block may see.
  std::pair<Value, Value> keyBlockRange();
  /// True when every key of [k0, k0 + blockK) is inside the band for every
  /// query of the block, so the block needs no band arithmetic (bounds are
  /// separate).
  Value blockInsideBand(Value k0);
  /// Whether query i may see key j by the band and by j < Lk.
  Value visible(Value i, Value j);

  /// The softcap, in the units the score arrives in (natural units times
  /// scale); the result is in the softmax's units (exp2 domain unless hard).
  Value softcapScore(Value s);
  /// The user mask at (i, j), applied to a score already in the softmax's
  /// units: -inf where a bool mask is false, plus the float mask otherwise.
  /// `i` and `j` must be in bounds (callers clamp).
  Value applyUserMask(Value s, Value i, Value j);
  /// -inf unless query i may see key j (band and bounds).
  Value applyBand(Value s, Value i, Value j);
  /// The user mask's element for (i, j), with numpy broadcasting.
  Value loadMask(Value i, Value j);

  /// The factor applied to q·k before softcapScore: scale, times log2(e)
  /// unless a softcap or hard attention needs natural units first.
  double scoreFactor() const;
  /// The factor that puts natural-unit values (softcap output, float mask)
  /// into the softmax's units.
  double outFactor() const;

  /// scf.for from lo to hi by step carrying `init`; `body` returns the
  /// next state.
  using LoopBody = function_ref<SmallVector<Value>(Value iv, ValueRange)>;
  SmallVector<Value> forLoop(Value lo, Value hi, Value step, ValueRange init,
                             LoopBody body);
  /// scf.if yielding `types`; each branch returns its values.
  using Branch = function_ref<SmallVector<Value>()>;
  SmallVector<Value> ifElse(Value cond, TypeRange types, Branch then,
                            Branch otherwise);

  OpBuilder &b;
  Location loc;
  const FlashOpSpec &spec;
  const FlashBuffers &buf;
  FlashTiling tiling;
  Type f32;
  HostSizes sizes;
  // Per-block values, set by readBlockCoords.
  Value batch, head, kvHead, q0, qRows;
};

/// Emits the SIMT kernel for the op whose buffers are given (one thread per
/// query row). Covers every attn.sdpa / attn.hard variant.
void buildSimtKernel(OpBuilder &b, Location loc, const FlashOpSpec &spec,
                     const FlashBuffers &buffers, FlashTiling tiling);

/// Shared memory the SIMT kernel uses for `tiling`.
int64_t simtSharedBytes(const FlashOpSpec &spec, FlashTiling tiling);

/// Emits the tensor-core kernel (f16/bf16, mma.sync m16n8k16). The caller
/// checks tensorCoreSupports first.
void buildTensorCoreKernel(OpBuilder &b, Location loc, const FlashOpSpec &spec,
                           const FlashBuffers &buffers, FlashTiling tiling);

/// Dynamic shared memory the tensor-core kernel uses for `tiling`.
int64_t tensorCoreSharedBytes(const FlashOpSpec &spec, FlashTiling tiling);

/// Why the tensor-core kernel cannot take the op, or nullopt when it can.
std::optional<std::string> tensorCoreRejects(const FlashOpSpec &spec);

} // namespace mlir::attn::gpuflash

#endif // ATTNC_LOWERING_GPUFLASHKERNELS_H
