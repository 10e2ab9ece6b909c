//===- Reference.h - fp64 reference evaluator for attn op semantics -------===//
//
// The oracle for every numerical test in attnc: a plain C++ implementation of
// each `attn` op's semantics that accumulates in fp64 and shares no code with
// the MLIR lowering. It trades speed for obviousness; never optimise it.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_REFERENCE_REFERENCE_H
#define ATTNC_REFERENCE_REFERENCE_H

#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace attnc::ref {

/// A dense, row-major fp64 tensor. Integer tensors (embedding indices) hold
/// their values exactly as doubles.
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<double> data;

  Tensor() = default;
  /// A tensor of `shape` filled with `fill`.
  explicit Tensor(std::vector<int64_t> shape, double fill = 0.0);
  /// A tensor of `shape` holding `data`; asserts that the sizes agree.
  Tensor(std::vector<int64_t> shape, std::vector<double> data);

  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  /// The number of elements, the product of `shape`.
  int64_t numel() const;
};

/// How a mask's values are read.
enum class MaskKind {
  /// Nonzero means "attend", zero means "hidden" (an i1 mask).
  Boolean,
  /// Added to the scores after scaling and softcap (a float mask); -inf hides.
  Additive,
};

/// An attention mask, broadcast numpy-style (right-aligned, size-1 dims
/// stretch) to the op's score shape.
struct Mask {
  Tensor values;
  MaskKind kind = MaskKind::Boolean;
};

/// How a query/key pair is scored before scaling.
enum class ScoreKind {
  /// q . k
  Dot,
  /// q/max(|q|,1e-12) . k/max(|k|,1e-12), as torch.nn.functional.normalize.
  Cosine,
};

/// The attention attributes shared by sdpa, hard and multihead.
struct AttentionOptions {
  /// Multiplies the raw score; unset means 1/sqrt(D).
  std::optional<double> scale;
  /// Bottom-right aligned: query i sees key j iff j <= i + Lk - Lq.
  bool causal = false;
  /// [left, right] keys around the diagonal d = i + Lk - Lq: key j is visible
  /// iff d - left <= j <= d + right; -1 leaves that side unbounded.
  std::optional<std::array<int64_t, 2>> window;
  /// When set, scores become c * tanh(s / c) after scaling, before the mask.
  std::optional<double> softcap;
  ScoreKind score = ScoreKind::Dot;
};

/// The result of an attention op: `output`, and `weights` (the softmax
/// probabilities, 0 where hidden) when they were asked for, else empty.
struct AttentionResult {
  Tensor output;
  Tensor weights;
};

/// Scaled dot-product attention.
///   q [B, Hq, Lq, D], k [B, Hkv, Lk, D], v [B, Hkv, Lk, Dv];
///   mask broadcastable to [B, Hq, Lq, Lk].
/// Score order: s = scale * score(q, k); softcap; then the mask (boolean hides,
/// additive adds), then causal/window hide keys. Query head h reads KV head
/// h / (Hq / Hkv). A row with no visible key (or only -inf scores) yields an
/// output of 0 and weights of 0, never NaN.
/// Returns output [B, Hq, Lq, Dv] and, if `wantWeights`, weights
/// [B, Hq, Lq, Lk].
llvm::Expected<AttentionResult> sdpa(const Tensor &q, const Tensor &k,
                                     const Tensor &v, const Mask *mask,
                                     const AttentionOptions &options,
                                     bool wantWeights = false);

/// Hard attention: shapes, scoring and visibility as sdpa, but each query takes
/// the value row of its highest visible score; the lowest key index wins ties.
/// A row with no visible key yields 0. Returns [B, Hq, Lq, Dv].
llvm::Expected<Tensor> hard(const Tensor &q, const Tensor &k, const Tensor &v,
                            const Mask *mask, const AttentionOptions &options);

/// Additive (Bahdanau) attention:
///   score[b,i,j] = energy . tanh(Wq q[b,i] + Wk k[b,j] + bias)
/// then the mask (broadcastable to [B, Lq, Lk]), softmax over j, and a weighted
/// sum of value rows. A row with no visible key yields 0.
///   q [B, Lq, Dq], k [B, Lk, Dk], v [B, Lk, Dv], queryWeight [A, Dq],
///   keyWeight [A, Dk], bias [A] (optional), energy [A].
/// Returns output [B, Lq, Dv] and, if `wantWeights`, weights [B, Lq, Lk].
llvm::Expected<AttentionResult>
additive(const Tensor &q, const Tensor &k, const Tensor &v,
         const Tensor &queryWeight, const Tensor &keyWeight, const Tensor *bias,
         const Tensor &energy, const Mask *mask, bool wantWeights = false);

/// Softmax along `axis` (negative counts from the end). A slice whose values
/// are all -inf yields 0 (matching sdpa's fully-masked rule).
llvm::Expected<Tensor> softmax(const Tensor &x, int64_t axis);

/// Log-softmax along `axis`. A slice whose values are all -inf yields -inf.
llvm::Expected<Tensor> logSoftmax(const Tensor &x, int64_t axis);

/// y = x W^T + b over the last dimension: x [..., in], W [out, in],
/// b [out] (optional). Returns [..., out].
llvm::Expected<Tensor> linear(const Tensor &x, const Tensor &weight,
                              const Tensor *bias);

/// Layer normalisation over the last dimension with biased variance:
/// (x - mean) / sqrt(var + epsilon) * gamma + beta. gamma and beta are [N].
llvm::Expected<Tensor> layerNorm(const Tensor &x, const Tensor &gamma,
                                 const Tensor &beta, double epsilon);

/// The FFN activation.
enum class Activation {
  Relu,
  /// Exact GELU: x * 0.5 * (1 + erf(x / sqrt(2))).
  Gelu,
  /// GELU's tanh approximation:
  /// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
  GeluTanh,
};

/// Applies `activation` elementwise.
double activate(Activation activation, double x);

/// The weights of a two-layer feed-forward block.
struct FfnWeights {
  Tensor w1; ///< [F, E]
  Tensor b1; ///< [F]
  Tensor w2; ///< [E, F]
  Tensor b2; ///< [E]
};

/// linear(activation(linear(x, w1, b1)), w2, b2). x [..., E] -> [..., E].
llvm::Expected<Tensor> ffn(const Tensor &x, const FfnWeights &weights,
                           Activation activation);

/// act(linear(x, weight, bias)) + residual, attn.linear with its optional
/// activation and residual (`residual`, when given, has the result's
/// shape).
llvm::Expected<Tensor> fusedLinear(const Tensor &x, const Tensor &weight,
                                   const Tensor *bias,
                                   std::optional<Activation> activation,
                                   const Tensor *residual);

/// Gathers rows of `table` [V, E] at `indices` (integral values, any shape)
/// and multiplies them by `scale`. Returns [indices..., E]. An index that is
/// not an integer in [0, V) is an error naming its position and value.
llvm::Expected<Tensor> embedding(const Tensor &indices, const Tensor &table,
                                 double scale = 1.0);

/// The positional encoding added to the input.
enum class PositionalKind {
  /// pe[p, 2i] = sin(p / 10000^(2i/E)), pe[p, 2i+1] = cos(p / 10000^(2i/E)).
  Sinusoidal,
  /// pe[p] = table[p], table [maxLen, E] with L <= maxLen.
  Learned,
};

/// x + pe[0..L) for x [B, L, E]. `table` is required for Learned and must be
/// null for Sinusoidal.
llvm::Expected<Tensor> positionalEncoding(const Tensor &x, PositionalKind kind,
                                          const Tensor *table);

/// The projections of multi-head attention; weights are [out, in].
struct MultiheadWeights {
  Tensor wq; ///< [Hq * D, Eq]
  Tensor bq; ///< [Hq * D]
  Tensor wk; ///< [Hkv * D, Ek]
  Tensor bk; ///< [Hkv * D]
  Tensor wv; ///< [Hkv * Dv, Ev]
  Tensor bv; ///< [Hkv * Dv]
  Tensor wo; ///< [Eo, Hq * Dv]
  Tensor bo; ///< [Eo]
};

/// Multi-head attention on batch-first inputs: query [B, Lq, Eq],
/// key [B, Lk, Ek], value [B, Lk, Ev]. Projects, splits heads (head h takes
/// columns [h*D, (h+1)*D) of the projection), runs sdpa with `options` and
/// `mask` (broadcastable to [B, Hq, Lq, Lk]), merges heads and applies the
/// output projection. D = rows(wq) / numHeads; Dv = rows(wv) / numKvHeads.
/// Returns output [B, Lq, Eo] and, if `wantWeights`, weights
/// [B, Hq, Lq, Lk].
llvm::Expected<AttentionResult>
multihead(const Tensor &query, const Tensor &key, const Tensor &value,
          const MultiheadWeights &weights, int64_t numHeads, int64_t numKvHeads,
          const Mask *mask, const AttentionOptions &options,
          bool wantWeights = false);

/// LayerNorm parameters.
struct NormWeights {
  Tensor gamma; ///< [E]
  Tensor beta;  ///< [E]
};

/// The configuration shared by encoder and decoder layers.
struct LayerConfig {
  int64_t numHeads = 1;
  int64_t numKvHeads = 1;
  /// Pre-norm (x + f(norm(x))) when true, post-norm (norm(x + f(x))) when
  /// false.
  bool normFirst = false;
  Activation activation = Activation::Relu;
  double epsilon = 1e-5;
  /// Options of the (self-)attention. A decoder's self-attention is causal
  /// whatever `causal` says.
  AttentionOptions attention;
};

/// Weights of an encoder layer.
struct EncoderLayerWeights {
  MultiheadWeights selfAttention;
  NormWeights norm1;
  FfnWeights ffn;
  NormWeights norm2;
};

/// Encoder layer on x [B, L, E]:
///   post-norm: x = norm1(x + SA(x)); x = norm2(x + FFN(x))
///   pre-norm:  x = x + SA(norm1(x)); x = x + FFN(norm2(x))
/// `mask` is the self-attention mask, broadcastable to [B, Hq, L, L].
llvm::Expected<Tensor> encoderLayer(const Tensor &x,
                                    const EncoderLayerWeights &weights,
                                    const LayerConfig &config,
                                    const Mask *mask);

/// Weights of a decoder layer.
struct DecoderLayerWeights {
  MultiheadWeights selfAttention;
  NormWeights norm1;
  MultiheadWeights crossAttention;
  NormWeights norm2;
  FfnWeights ffn;
  NormWeights norm3;
};

/// Decoder layer on x [B, Lt, E] with encoder memory [B, Ls, Em]:
///   post-norm: x = norm1(x + SA(x)); x = norm2(x + CA(x, memory));
///              x = norm3(x + FFN(x))
///   pre-norm:  x = x + SA(norm1(x)); x = x + CA(norm2(x), memory);
///              x = x + FFN(norm3(x))
/// SA is causal self-attention with config.attention's other options and
/// `selfMask` ([B, Hq, Lt, Lt]-broadcastable). CA uses config.attention's
/// scale, softcap and score but is never causal or windowed; `memoryMask` is
/// [B, Hq, Lt, Ls]-broadcastable.
llvm::Expected<Tensor> decoderLayer(const Tensor &x, const Tensor &memory,
                                    const DecoderLayerWeights &weights,
                                    const LayerConfig &config,
                                    const Mask *selfMask,
                                    const Mask *memoryMask);

} // namespace attnc::ref

#endif // ATTNC_REFERENCE_REFERENCE_H
