//===- Reference.cpp - fp64 reference evaluator for attn op semantics -----===//
//
// Every op is a direct transcription of its documented formula into plain
// loops over row-major fp64 data. Shape problems are reported as llvm::Error
// with the op and operand named, because tests feed this evaluator arbitrary
// inputs and must never crash on them.
//
//===----------------------------------------------------------------------===//

#include "reference/Reference.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <utility>

using namespace attnc::ref;

using llvm::ArrayRef;
using llvm::Expected;
using llvm::StringRef;

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

Tensor::Tensor(std::vector<int64_t> shape, double fill)
    : shape(std::move(shape)) {
  for ([[maybe_unused]] int64_t dim : this->shape)
    assert(dim >= 0 && "Tensor: negative dimension");
  data.assign(static_cast<size_t>(numel()), fill);
}

Tensor::Tensor(std::vector<int64_t> shape, std::vector<double> data)
    : shape(std::move(shape)), data(std::move(data)) {
  for ([[maybe_unused]] int64_t dim : this->shape)
    assert(dim >= 0 && "Tensor: negative dimension");
  assert(static_cast<int64_t>(this->data.size()) == numel() &&
         "Tensor: data size does not match the shape");
}

int64_t Tensor::numel() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Prefixes a nested op's error with where the caller used it, so a failure
/// deep inside a layer still says which sub-layer and operand went wrong.
llvm::Error withContext(const llvm::Twine &context, llvm::Error error) {
  return fail(context + ": " + llvm::toString(std::move(error)));
}

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i != 0)
      text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

/// The shortest decimal that reads back as `value`, so messages show "7"
/// rather than "7.000000" and "0.1" rather than "0.10000000000000001".
std::string formatNumber(double value) {
  char buffer[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value)
      break;
  }
  return buffer;
}

/// Public fields let callers build tensors whose data disagrees with their
/// shape; every op checks its operands first so it never reads out of bounds.
llvm::Error checkTensor(StringRef op, StringRef name, const Tensor &t) {
  // A forgotten operand (say, a bias left out of a weights struct) shows up
  // as a default-constructed tensor; say so rather than quote its sizes.
  if (t.shape.empty() && t.data.empty())
    return fail(llvm::formatv("{0}: {1} is unset (a default-constructed "
                              "tensor)",
                              op, name));
  for (int64_t dim : t.shape)
    if (dim < 0)
      return fail(
          llvm::formatv("{0}: {1} has a negative dimension in shape {2}", op,
                        name, formatShape(t.shape)));
  if (static_cast<int64_t>(t.data.size()) != t.numel())
    return fail(llvm::formatv("{0}: {1} has {2} values but its shape {3} "
                              "needs {4}",
                              op, name, t.data.size(), formatShape(t.shape),
                              t.numel()));
  return llvm::Error::success();
}

/// Checks consistency and an exact rank; `layout` names the expected dims.
llvm::Error checkRank(StringRef op, StringRef name, const Tensor &t,
                      int64_t rank, StringRef layout) {
  if (llvm::Error error = checkTensor(op, name, t))
    return error;
  if (t.rank() != rank)
    return fail(llvm::formatv("{0}: {1} has rank {2}, expected {3} ({4})", op,
                              name, t.rank(), rank, layout));
  return llvm::Error::success();
}

/// Checks one extent of an operand, e.g. "linear: weight has 3 columns,
/// expected 4 (the last dimension of x)"; `why` says where `expected` comes
/// from.
llvm::Error checkExtent(StringRef op, StringRef name, int64_t actual,
                        int64_t expected, StringRef unit, StringRef why) {
  if (actual != expected)
    return fail(llvm::formatv("{0}: {1} has {2} {3}, expected {4} ({5})", op,
                              name, actual, unit, expected, why));
  return llvm::Error::success();
}

/// Checks that `t` is a vector of `size` elements.
llvm::Error checkVector(StringRef op, StringRef name, const Tensor &t,
                        int64_t size, StringRef why) {
  if (llvm::Error error = checkTensor(op, name, t))
    return error;
  if (t.rank() != 1)
    return fail(
        llvm::formatv("{0}: {1} has rank {2}, expected 1", op, name, t.rank()));
  return checkExtent(op, name, t.shape[0], size, "elements", why);
}

/// Checks that a quantity two operands must share agrees, naming both, e.g.
/// "sdpa: value length 5 does not match key length 4".
llvm::Error checkSameDim(StringRef op, StringRef quantity, StringRef name,
                         int64_t size, StringRef refName, int64_t refSize) {
  if (size != refSize)
    return fail(llvm::formatv("{0}: {1} {2} {3} does not match {4} {2} {5}", op,
                              name, quantity, size, refName, refSize));
  return llvm::Error::success();
}

/// The number of rows of a tensor viewed as [..., N]: all dims but the last.
int64_t leadingCount(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (size_t i = 0; i + 1 < shape.size(); ++i)
    count *= shape[i];
  return count;
}

std::vector<int64_t> rowMajorStrides(ArrayRef<int64_t> shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i > 1; --i)
    strides[i - 2] = strides[i - 1] * shape[i - 1];
  return strides;
}

/// The flat row-major offset of `index` in a tensor of `shape`.
int64_t flatIndex(ArrayRef<int64_t> shape, ArrayRef<int64_t> index) {
  assert(shape.size() == index.size() && "index rank mismatch");
  int64_t offset = 0;
  for (size_t i = 0; i < shape.size(); ++i)
    offset = offset * shape[i] + index[i];
  return offset;
}

/// A mask read through numpy broadcasting against a fixed target shape.
/// Folding the broadcast into zero strides keeps each lookup a dot product
/// of the target index with `strides`.
class BroadcastMask {
public:
  /// Validates `mask` (may be null: no mask) against `target`.
  static Expected<BroadcastMask> create(StringRef op, const Mask *mask,
                                        ArrayRef<int64_t> target) {
    BroadcastMask view;
    view.mask = mask;
    if (!mask)
      return view;
    if (llvm::Error error = checkTensor(op, "mask", mask->values))
      return error;
    const std::vector<int64_t> &shape = mask->values.shape;
    auto notBroadcastable = [&] {
      return fail(
          llvm::formatv("{0}: mask shape {1} is not broadcastable to {2}", op,
                        formatShape(shape), formatShape(target)));
    };
    if (shape.size() > target.size())
      return notBroadcastable();
    std::vector<int64_t> maskStrides = rowMajorStrides(shape);
    size_t lead = target.size() - shape.size();
    view.strides.assign(target.size(), 0);
    for (size_t i = 0; i < shape.size(); ++i) {
      if (shape[i] == target[lead + i])
        view.strides[lead + i] = maskStrides[i];
      else if (shape[i] != 1)
        return notBroadcastable();
    }
    return view;
  }

  /// Applies the mask at `index` of the target to `score`: a boolean zero
  /// hides it (-inf), an additive value is added.
  double apply(ArrayRef<int64_t> index, double score) const {
    if (!mask)
      return score;
    int64_t offset = 0;
    for (size_t i = 0; i < index.size(); ++i)
      offset += index[i] * strides[i];
    double value = mask->values.data[offset];
    if (mask->kind == MaskKind::Boolean)
      return value != 0.0 ? score : kNegInf;
    return score + value;
  }

private:
  const Mask *mask = nullptr;
  std::vector<int64_t> strides;
};

/// The causal and window rules, both relative to the bottom-right aligned
/// diagonal d = i + Lk - Lq; a key must pass both to be visible.
bool isVisible(int64_t i, int64_t j, int64_t queryLen, int64_t keyLen,
               const AttentionOptions &options) {
  int64_t diagonal = i + keyLen - queryLen;
  if (options.causal && j > diagonal)
    return false;
  if (options.window) {
    int64_t left = (*options.window)[0];
    int64_t right = (*options.window)[1];
    if (left != -1 && j < diagonal - left)
      return false;
    if (right != -1 && j > diagonal + right)
      return false;
  }
  return true;
}

/// Softmax of a score row in which -inf marks hidden keys. Subtracting the
/// largest visible score keeps exp() in range; a row with nothing visible
/// becomes all zeros instead of 0/0.
void softmaxRow(std::vector<double> &row) {
  double maximum = kNegInf;
  bool anyVisible = false;
  for (double x : row) {
    if (x == kNegInf)
      continue;
    anyVisible = true;
    maximum = std::max(maximum, x);
  }
  if (!anyVisible) {
    row.assign(row.size(), 0.0);
    return;
  }
  double sum = 0.0;
  for (double &x : row) {
    x = std::exp(x - maximum);
    sum += x;
  }
  for (double &x : row)
    x /= sum;
}

/// out[d] += sum_j weights[j] * values[j, d] for contiguous [Lk, Dv] rows.
/// Keys of weight 0 are skipped so a hidden key's value row never leaks in,
/// even if it holds inf or NaN.
void weightedSum(ArrayRef<double> weights, const double *values,
                 int64_t valueDim, double *out) {
  for (size_t j = 0; j < weights.size(); ++j) {
    if (weights[j] == 0.0)
      continue;
    for (int64_t d = 0; d < valueDim; ++d)
      out[d] += weights[j] * values[static_cast<int64_t>(j) * valueDim + d];
  }
}

/// The validated geometry of an sdpa/hard call.
struct AttentionShape {
  int64_t batch = 0;
  int64_t queryHeads = 0;
  int64_t kvHeads = 0;
  int64_t queryLen = 0;
  int64_t keyLen = 0;
  int64_t headDim = 0;
  int64_t valueDim = 0;
  double scale = 1.0;

  std::vector<int64_t> scoreShape() const {
    return {batch, queryHeads, queryLen, keyLen};
  }
  /// The KV head that query head `h` reads under grouped-query attention.
  int64_t kvHeadOf(int64_t h) const { return h / (queryHeads / kvHeads); }
};

Expected<AttentionShape> checkAttention(StringRef op, const Tensor &q,
                                        const Tensor &k, const Tensor &v,
                                        const AttentionOptions &options) {
  if (llvm::Error error = checkRank(op, "query", q, 4, "[B, Hq, Lq, D]"))
    return error;
  if (llvm::Error error = checkRank(op, "key", k, 4, "[B, Hkv, Lk, D]"))
    return error;
  if (llvm::Error error = checkRank(op, "value", v, 4, "[B, Hkv, Lk, Dv]"))
    return error;

  AttentionShape s;
  s.batch = q.shape[0];
  s.queryHeads = q.shape[1];
  s.kvHeads = k.shape[1];
  s.queryLen = q.shape[2];
  s.keyLen = k.shape[2];
  s.headDim = q.shape[3];
  s.valueDim = v.shape[3];

  if (llvm::Error error =
          checkSameDim(op, "batch size", "key", k.shape[0], "query", s.batch))
    return error;
  if (s.kvHeads <= 0 || s.queryHeads % s.kvHeads != 0)
    return fail(llvm::formatv(
        "{0}: key head count {1} does not divide query head count {2}", op,
        s.kvHeads, s.queryHeads));
  if (llvm::Error error = checkSameDim(op, "head dimension", "key", k.shape[3],
                                       "query", s.headDim))
    return error;
  if (llvm::Error error =
          checkSameDim(op, "batch size", "value", v.shape[0], "key", s.batch))
    return error;
  if (llvm::Error error =
          checkSameDim(op, "head count", "value", v.shape[1], "key", s.kvHeads))
    return error;
  if (llvm::Error error =
          checkSameDim(op, "length", "value", v.shape[2], "key", s.keyLen))
    return error;

  if (options.softcap &&
      !(*options.softcap > 0.0 && std::isfinite(*options.softcap)))
    return fail(llvm::formatv("{0}: softcap must be positive and finite, got "
                              "{1}",
                              op, formatNumber(*options.softcap)));
  if (options.window) {
    const char *sides[] = {"left", "right"};
    for (int side = 0; side < 2; ++side)
      if ((*options.window)[side] < -1)
        return fail(llvm::formatv("{0}: window {1} bound {2} must be "
                                  "non-negative or -1 (unbounded)",
                                  op, sides[side], (*options.window)[side]));
  }
  if (options.scale) {
    s.scale = *options.scale;
  } else {
    if (s.headDim == 0)
      return fail(llvm::formatv(
          "{0}: the default scale 1/sqrt(D) needs a head dimension D > 0", op));
    s.scale = 1.0 / std::sqrt(static_cast<double>(s.headDim));
  }
  return s;
}

/// q / max(|q|, 1e-12), as torch.nn.functional.normalize.
std::vector<double> normalized(const double *row, int64_t size) {
  double sumSquares = 0.0;
  for (int64_t d = 0; d < size; ++d)
    sumSquares += row[d] * row[d];
  double norm = std::max(std::sqrt(sumSquares), 1e-12);
  std::vector<double> result(row, row + size);
  for (double &x : result)
    x /= norm;
  return result;
}

double dot(const double *a, const double *b, int64_t size) {
  double sum = 0.0;
  for (int64_t d = 0; d < size; ++d)
    sum += a[d] * b[d];
  return sum;
}

/// The scores of query (b, h, i) against every key after scale, softcap, the
/// mask and causal/window; hidden keys are -inf. sdpa and hard share this so
/// they can never disagree on what a query sees.
std::vector<double> scoreRow(const AttentionShape &s, const Tensor &q,
                             const Tensor &k, const BroadcastMask &mask,
                             const AttentionOptions &options, int64_t b,
                             int64_t h, int64_t i) {
  int64_t kvHead = s.kvHeadOf(h);
  bool cosine = options.score == ScoreKind::Cosine;
  const double *queryRow = q.data.data() + flatIndex(q.shape, {b, h, i, 0});
  std::vector<double> queryUnit;
  if (cosine) {
    queryUnit = normalized(queryRow, s.headDim);
    queryRow = queryUnit.data();
  }
  std::vector<double> row(static_cast<size_t>(s.keyLen));
  for (int64_t j = 0; j < s.keyLen; ++j) {
    const double *keyRow =
        k.data.data() + flatIndex(k.shape, {b, kvHead, j, 0});
    std::vector<double> keyUnit;
    if (cosine) {
      keyUnit = normalized(keyRow, s.headDim);
      keyRow = keyUnit.data();
    }
    double score = s.scale * dot(queryRow, keyRow, s.headDim);
    if (options.softcap)
      score = *options.softcap * std::tanh(score / *options.softcap);
    score = mask.apply({b, h, i, j}, score);
    if (!isVisible(i, j, s.queryLen, s.keyLen, options))
      score = kNegInf;
    row[static_cast<size_t>(j)] = score;
  }
  return row;
}

/// Splits an axis into (outer, size, inner) extents so a slice along it is
/// `size` elements `inner` apart.
struct AxisSplit {
  int64_t outer = 1;
  int64_t size = 1;
  int64_t inner = 1;
};

Expected<AxisSplit> splitAxis(StringRef op, const Tensor &x, int64_t axis) {
  if (llvm::Error error = checkTensor(op, "x", x))
    return error;
  int64_t rank = x.rank();
  if (axis < -rank || axis >= rank)
    return fail(llvm::formatv("{0}: axis {1} is out of range for rank {2}", op,
                              axis, rank));
  if (axis < 0)
    axis += rank;
  AxisSplit split;
  for (int64_t d = 0; d < axis; ++d)
    split.outer *= x.shape[d];
  split.size = x.shape[axis];
  for (int64_t d = axis + 1; d < rank; ++d)
    split.inner *= x.shape[d];
  return split;
}

/// Applies `rowFn` to every slice of `x` along `axis`.
Expected<Tensor>
mapAlongAxis(StringRef op, const Tensor &x, int64_t axis,
             llvm::function_ref<void(std::vector<double> &)> rowFn) {
  Expected<AxisSplit> split = splitAxis(op, x, axis);
  if (!split)
    return split.takeError();
  Tensor result = x;
  std::vector<double> row(static_cast<size_t>(split->size));
  for (int64_t o = 0; o < split->outer; ++o) {
    for (int64_t in = 0; in < split->inner; ++in) {
      int64_t base = o * split->size * split->inner + in;
      for (int64_t a = 0; a < split->size; ++a)
        row[a] = x.data[base + a * split->inner];
      rowFn(row);
      for (int64_t a = 0; a < split->size; ++a)
        result.data[base + a * split->inner] = row[a];
    }
  }
  return result;
}

/// [B, L, H*D] -> [B, H, L, D]: head h takes columns [h*D, (h+1)*D).
Tensor splitHeads(const Tensor &t, int64_t heads) {
  int64_t batch = t.shape[0], len = t.shape[1], dim = t.shape[2] / heads;
  Tensor result({batch, heads, len, dim});
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t h = 0; h < heads; ++h)
      for (int64_t l = 0; l < len; ++l)
        for (int64_t d = 0; d < dim; ++d)
          result.data[flatIndex(result.shape, {b, h, l, d})] =
              t.data[flatIndex(t.shape, {b, l, h * dim + d})];
  return result;
}

/// [B, H, L, D] -> [B, L, H*D], the inverse of splitHeads.
Tensor mergeHeads(const Tensor &t) {
  int64_t batch = t.shape[0], heads = t.shape[1], len = t.shape[2],
          dim = t.shape[3];
  Tensor result({batch, len, heads * dim});
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t h = 0; h < heads; ++h)
      for (int64_t l = 0; l < len; ++l)
        for (int64_t d = 0; d < dim; ++d)
          result.data[flatIndex(result.shape, {b, l, h * dim + d})] =
              t.data[flatIndex(t.shape, {b, h, l, d})];
  return result;
}

/// One residual sub-layer of a transformer layer: norm(x + f(x)) post-norm,
/// x + f(norm(x)) pre-norm.
Expected<Tensor>
residualBlock(StringRef op, StringRef sublayerName, StringRef normName,
              const Tensor &x, const NormWeights &norm,
              const LayerConfig &config,
              llvm::function_ref<Expected<Tensor>(const Tensor &)> sublayer) {
  Tensor input = x;
  if (config.normFirst) {
    Expected<Tensor> normed =
        layerNorm(x, norm.gamma, norm.beta, config.epsilon);
    if (!normed)
      return withContext(op + ": " + normName, normed.takeError());
    input = std::move(*normed);
  }
  Expected<Tensor> update = sublayer(input);
  if (!update)
    return withContext(op + ": " + sublayerName, update.takeError());
  if (update->shape != x.shape)
    return fail(llvm::formatv("{0}: {1} output shape {2} does not match the "
                              "residual shape {3}",
                              op, sublayerName, formatShape(update->shape),
                              formatShape(x.shape)));
  Tensor sum = x;
  for (size_t e = 0; e < sum.data.size(); ++e)
    sum.data[e] += update->data[e];
  if (config.normFirst)
    return sum;
  Expected<Tensor> normed =
      layerNorm(sum, norm.gamma, norm.beta, config.epsilon);
  if (!normed)
    return withContext(op + ": " + normName, normed.takeError());
  return normed;
}

} // namespace

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

Expected<AttentionResult> attnc::ref::sdpa(const Tensor &q, const Tensor &k,
                                           const Tensor &v, const Mask *mask,
                                           const AttentionOptions &options,
                                           bool wantWeights) {
  Expected<AttentionShape> s = checkAttention("sdpa", q, k, v, options);
  if (!s)
    return s.takeError();
  Expected<BroadcastMask> maskView =
      BroadcastMask::create("sdpa", mask, s->scoreShape());
  if (!maskView)
    return maskView.takeError();

  AttentionResult result;
  result.output = Tensor({s->batch, s->queryHeads, s->queryLen, s->valueDim});
  if (wantWeights)
    result.weights = Tensor(s->scoreShape());
  for (int64_t b = 0; b < s->batch; ++b) {
    for (int64_t h = 0; h < s->queryHeads; ++h) {
      const double *values =
          v.data.data() + flatIndex(v.shape, {b, s->kvHeadOf(h), 0, 0});
      for (int64_t i = 0; i < s->queryLen; ++i) {
        std::vector<double> row =
            scoreRow(*s, q, k, *maskView, options, b, h, i);
        softmaxRow(row);
        weightedSum(row, values, s->valueDim,
                    result.output.data.data() +
                        flatIndex(result.output.shape, {b, h, i, 0}));
        if (wantWeights)
          for (int64_t j = 0; j < s->keyLen; ++j)
            result.weights.data[flatIndex(result.weights.shape, {b, h, i, j})] =
                row[j];
      }
    }
  }
  return result;
}

Expected<Tensor> attnc::ref::hard(const Tensor &q, const Tensor &k,
                                  const Tensor &v, const Mask *mask,
                                  const AttentionOptions &options) {
  Expected<AttentionShape> s = checkAttention("hard", q, k, v, options);
  if (!s)
    return s.takeError();
  Expected<BroadcastMask> maskView =
      BroadcastMask::create("hard", mask, s->scoreShape());
  if (!maskView)
    return maskView.takeError();

  Tensor output({s->batch, s->queryHeads, s->queryLen, s->valueDim});
  for (int64_t b = 0; b < s->batch; ++b) {
    for (int64_t h = 0; h < s->queryHeads; ++h) {
      for (int64_t i = 0; i < s->queryLen; ++i) {
        std::vector<double> row =
            scoreRow(*s, q, k, *maskView, options, b, h, i);
        // Strict '>' keeps the first of equal maxima: lowest index wins ties.
        int64_t best = -1;
        for (int64_t j = 0; j < s->keyLen; ++j) {
          if (row[j] == kNegInf)
            continue;
          if (best < 0 || row[j] > row[best])
            best = j;
        }
        if (best < 0)
          continue;
        for (int64_t d = 0; d < s->valueDim; ++d)
          output.data[flatIndex(output.shape, {b, h, i, d})] =
              v.data[flatIndex(v.shape, {b, s->kvHeadOf(h), best, d})];
      }
    }
  }
  return output;
}

Expected<AttentionResult>
attnc::ref::additive(const Tensor &q, const Tensor &k, const Tensor &v,
                     const Tensor &queryWeight, const Tensor &keyWeight,
                     const Tensor *bias, const Tensor &energy, const Mask *mask,
                     bool wantWeights) {
  StringRef op = "additive";
  if (llvm::Error error = checkRank(op, "query", q, 3, "[B, Lq, Dq]"))
    return error;
  if (llvm::Error error = checkRank(op, "key", k, 3, "[B, Lk, Dk]"))
    return error;
  if (llvm::Error error = checkRank(op, "value", v, 3, "[B, Lk, Dv]"))
    return error;
  int64_t batch = q.shape[0], queryLen = q.shape[1], keyLen = k.shape[1],
          valueDim = v.shape[2];
  if (llvm::Error error =
          checkSameDim(op, "batch size", "key", k.shape[0], "query", batch))
    return error;
  if (llvm::Error error =
          checkSameDim(op, "batch size", "value", v.shape[0], "key", batch))
    return error;
  if (llvm::Error error =
          checkSameDim(op, "length", "value", v.shape[1], "key", keyLen))
    return error;

  if (llvm::Error error =
          checkRank(op, "query weight", queryWeight, 2, "[A, Dq]"))
    return error;
  int64_t attnDim = queryWeight.shape[0];
  if (llvm::Error error =
          checkExtent(op, "query weight", queryWeight.shape[1], q.shape[2],
                      "columns", "the last dimension of query"))
    return error;
  if (llvm::Error error = checkRank(op, "key weight", keyWeight, 2, "[A, Dk]"))
    return error;
  if (llvm::Error error =
          checkExtent(op, "key weight", keyWeight.shape[0], attnDim, "rows",
                      "the rows of the query weight"))
    return error;
  if (llvm::Error error =
          checkExtent(op, "key weight", keyWeight.shape[1], k.shape[2],
                      "columns", "the last dimension of key"))
    return error;
  if (bias)
    if (llvm::Error error = checkVector(op, "bias", *bias, attnDim,
                                        "the rows of the query weight"))
      return error;
  if (llvm::Error error = checkVector(op, "energy", energy, attnDim,
                                      "the rows of the query weight"))
    return error;
  Expected<BroadcastMask> maskView =
      BroadcastMask::create(op, mask, {batch, queryLen, keyLen});
  if (!maskView)
    return maskView.takeError();

  // Wq q + bias and Wk k are each computed once; the bias rides with the
  // query side since it is added once per (i, j) pair either way.
  Expected<Tensor> projectedQuery = linear(q, queryWeight, bias);
  if (!projectedQuery)
    return withContext(op, projectedQuery.takeError());
  Expected<Tensor> projectedKey = linear(k, keyWeight, nullptr);
  if (!projectedKey)
    return withContext(op, projectedKey.takeError());

  AttentionResult result;
  result.output = Tensor({batch, queryLen, valueDim});
  if (wantWeights)
    result.weights = Tensor({batch, queryLen, keyLen});
  std::vector<double> row(static_cast<size_t>(keyLen));
  for (int64_t b = 0; b < batch; ++b) {
    const double *values = v.data.data() + flatIndex(v.shape, {b, 0, 0});
    for (int64_t i = 0; i < queryLen; ++i) {
      const double *queryTerm = projectedQuery->data.data() +
                                flatIndex(projectedQuery->shape, {b, i, 0});
      for (int64_t j = 0; j < keyLen; ++j) {
        const double *keyTerm = projectedKey->data.data() +
                                flatIndex(projectedKey->shape, {b, j, 0});
        double score = 0.0;
        for (int64_t a = 0; a < attnDim; ++a)
          score += energy.data[a] * std::tanh(queryTerm[a] + keyTerm[a]);
        row[j] = maskView->apply({b, i, j}, score);
      }
      softmaxRow(row);
      weightedSum(row, values, valueDim,
                  result.output.data.data() +
                      flatIndex(result.output.shape, {b, i, 0}));
      if (wantWeights)
        for (int64_t j = 0; j < keyLen; ++j)
          result.weights.data[flatIndex(result.weights.shape, {b, i, j})] =
              row[j];
    }
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Elementwise and normalisation
//===----------------------------------------------------------------------===//

Expected<Tensor> attnc::ref::softmax(const Tensor &x, int64_t axis) {
  return mapAlongAxis("softmax", x, axis, softmaxRow);
}

Expected<Tensor> attnc::ref::logSoftmax(const Tensor &x, int64_t axis) {
  return mapAlongAxis("logSoftmax", x, axis, [](std::vector<double> &row) {
    double maximum = kNegInf;
    for (double value : row)
      maximum = std::max(maximum, value);
    // All -inf (or empty): every entry is already the -inf it should be.
    if (maximum == kNegInf)
      return;
    double sum = 0.0;
    for (double value : row)
      sum += std::exp(value - maximum);
    double logSum = maximum + std::log(sum);
    for (double &value : row)
      value -= logSum;
  });
}

Expected<Tensor> attnc::ref::linear(const Tensor &x, const Tensor &weight,
                                    const Tensor *bias) {
  StringRef op = "linear";
  if (llvm::Error error = checkTensor(op, "x", x))
    return error;
  if (x.rank() < 1)
    return fail("linear: x has rank 0, expected at least 1 ([..., in])");
  if (llvm::Error error = checkRank(op, "weight", weight, 2, "[out, in]"))
    return error;
  int64_t in = x.shape.back(), out = weight.shape[0];
  if (llvm::Error error = checkExtent(op, "weight", weight.shape[1], in,
                                      "columns", "the last dimension of x"))
    return error;
  if (bias)
    if (llvm::Error error =
            checkVector(op, "bias", *bias, out, "the rows of weight"))
      return error;

  std::vector<int64_t> shape = x.shape;
  shape.back() = out;
  Tensor result(shape);
  int64_t rows = leadingCount(x.shape);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t o = 0; o < out; ++o) {
      double sum = bias ? bias->data[o] : 0.0;
      for (int64_t c = 0; c < in; ++c)
        sum += x.data[r * in + c] * weight.data[o * in + c];
      result.data[r * out + o] = sum;
    }
  }
  return result;
}

Expected<Tensor> attnc::ref::layerNorm(const Tensor &x, const Tensor &gamma,
                                       const Tensor &beta, double epsilon) {
  StringRef op = "layerNorm";
  if (llvm::Error error = checkTensor(op, "x", x))
    return error;
  if (x.rank() < 1)
    return fail("layerNorm: x has rank 0, expected at least 1 ([..., N])");
  int64_t size = x.shape.back();
  if (llvm::Error error =
          checkVector(op, "gamma", gamma, size, "the last dimension of x"))
    return error;
  if (llvm::Error error =
          checkVector(op, "beta", beta, size, "the last dimension of x"))
    return error;
  if (!(epsilon >= 0.0))
    return fail(
        llvm::formatv("layerNorm: epsilon must be non-negative, got {0}",
                      formatNumber(epsilon)));

  Tensor result = x;
  int64_t rows = leadingCount(x.shape);
  for (int64_t r = 0; r < rows; ++r) {
    const double *row = x.data.data() + r * size;
    double mean = 0.0;
    for (int64_t c = 0; c < size; ++c)
      mean += row[c];
    mean /= static_cast<double>(size);
    double variance = 0.0;
    for (int64_t c = 0; c < size; ++c)
      variance += (row[c] - mean) * (row[c] - mean);
    variance /= static_cast<double>(size);
    double invStd = 1.0 / std::sqrt(variance + epsilon);
    for (int64_t c = 0; c < size; ++c)
      result.data[r * size + c] =
          (row[c] - mean) * invStd * gamma.data[c] + beta.data[c];
  }
  return result;
}

double attnc::ref::activate(Activation activation, double x) {
  switch (activation) {
  case Activation::Relu:
    return x > 0.0 ? x : 0.0;
  case Activation::Gelu:
    return x * 0.5 * (1.0 + std::erf(x / std::sqrt(2.0)));
  case Activation::GeluTanh: {
    const double pi = 3.14159265358979323846;
    return 0.5 * x *
           (1.0 + std::tanh(std::sqrt(2.0 / pi) * (x + 0.044715 * x * x * x)));
  }
  }
  llvm_unreachable("unknown activation");
}

Expected<Tensor> attnc::ref::ffn(const Tensor &x, const FfnWeights &weights,
                                 Activation activation) {
  Expected<Tensor> hidden = linear(x, weights.w1, &weights.b1);
  if (!hidden)
    return withContext("ffn: first layer (w1, b1)", hidden.takeError());
  for (double &h : hidden->data)
    h = activate(activation, h);
  // linear() cannot know the output must match x's width; check it here.
  int64_t width = x.shape.back();
  if (weights.w2.rank() == 2)
    if (llvm::Error error = checkExtent("ffn", "w2", weights.w2.shape[0], width,
                                        "rows", "the last dimension of x"))
      return error;
  Expected<Tensor> output = linear(*hidden, weights.w2, &weights.b2);
  if (!output)
    return withContext("ffn: second layer (w2, b2)", output.takeError());
  return output;
}

Expected<Tensor> attnc::ref::fusedLinear(const Tensor &x, const Tensor &weight,
                                         const Tensor *bias,
                                         std::optional<Activation> activation,
                                         const Tensor *residual) {
  Expected<Tensor> y = linear(x, weight, bias);
  if (!y)
    return y.takeError();
  if (activation)
    for (double &v : y->data)
      v = activate(*activation, v);
  if (residual) {
    if (residual->shape != y->shape)
      return fail(
          llvm::formatv("linear: residual has shape {0}, the result {1}",
                        formatShape(residual->shape), formatShape(y->shape)));
    for (size_t i = 0; i < y->data.size(); ++i)
      y->data[i] += residual->data[i];
  }
  return y;
}

//===----------------------------------------------------------------------===//
// Embeddings
//===----------------------------------------------------------------------===//

Expected<Tensor> attnc::ref::embedding(const Tensor &indices,
                                       const Tensor &table, double scale) {
  StringRef op = "embedding";
  if (llvm::Error error = checkTensor(op, "indices", indices))
    return error;
  if (llvm::Error error = checkRank(op, "table", table, 2, "[V, E]"))
    return error;
  int64_t vocab = table.shape[0], width = table.shape[1];

  std::vector<int64_t> shape = indices.shape;
  shape.push_back(width);
  Tensor result(shape);
  for (int64_t p = 0; p < indices.numel(); ++p) {
    double index = indices.data[p];
    if (!std::isfinite(index) || index != std::floor(index))
      return fail(llvm::formatv("embedding: index {0} at position {1} is not "
                                "an integer",
                                formatNumber(index), p));
    if (index < 0.0 || index >= static_cast<double>(vocab))
      return fail(llvm::formatv("embedding: index {0} at position {1} is out "
                                "of range [0, {2})",
                                formatNumber(index), p, vocab));
    int64_t row = static_cast<int64_t>(index);
    for (int64_t e = 0; e < width; ++e)
      result.data[p * width + e] = table.data[row * width + e] * scale;
  }
  return result;
}

Expected<Tensor> attnc::ref::positionalEncoding(const Tensor &x,
                                                PositionalKind kind,
                                                const Tensor *table) {
  StringRef op = "positionalEncoding";
  if (llvm::Error error = checkRank(op, "x", x, 3, "[B, L, E]"))
    return error;
  int64_t batch = x.shape[0], len = x.shape[1], width = x.shape[2];

  Tensor encoding({len, width});
  if (kind == PositionalKind::Sinusoidal) {
    if (table)
      return fail("positionalEncoding: a sinusoidal encoding takes no table");
    for (int64_t p = 0; p < len; ++p) {
      for (int64_t e = 0; e < width; ++e) {
        double exponent =
            static_cast<double>(2 * (e / 2)) / static_cast<double>(width);
        double angle = static_cast<double>(p) / std::pow(10000.0, exponent);
        encoding.data[p * width + e] =
            e % 2 == 0 ? std::sin(angle) : std::cos(angle);
      }
    }
  } else {
    if (!table)
      return fail("positionalEncoding: a learned encoding needs a table");
    if (llvm::Error error = checkRank(op, "table", *table, 2, "[maxLen, E]"))
      return error;
    if (llvm::Error error = checkExtent(op, "table", table->shape[1], width,
                                        "columns", "the last dimension of x"))
      return error;
    if (len > table->shape[0])
      return fail(llvm::formatv("positionalEncoding: sequence length {0} "
                                "exceeds the table's {1} positions",
                                len, table->shape[0]));
    for (int64_t e = 0; e < len * width; ++e)
      encoding.data[e] = table->data[e];
  }

  Tensor result = x;
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t e = 0; e < len * width; ++e)
      result.data[b * len * width + e] += encoding.data[e];
  return result;
}

//===----------------------------------------------------------------------===//
// Multi-head attention and transformer layers
//===----------------------------------------------------------------------===//

Expected<AttentionResult>
attnc::ref::multihead(const Tensor &query, const Tensor &key,
                      const Tensor &value, const MultiheadWeights &weights,
                      int64_t numHeads, int64_t numKvHeads, const Mask *mask,
                      const AttentionOptions &options, bool wantWeights) {
  StringRef op = "multihead";
  if (llvm::Error error = checkRank(op, "query", query, 3, "[B, Lq, Eq]"))
    return error;
  if (llvm::Error error = checkRank(op, "key", key, 3, "[B, Lk, Ek]"))
    return error;
  if (llvm::Error error = checkRank(op, "value", value, 3, "[B, Lk, Ev]"))
    return error;
  if (numHeads <= 0)
    return fail(llvm::formatv("multihead: numHeads must be positive, got {0}",
                              numHeads));
  if (numKvHeads <= 0 || numHeads % numKvHeads != 0)
    return fail(
        llvm::formatv("multihead: numKvHeads {0} does not divide numHeads {1}",
                      numKvHeads, numHeads));

  Expected<Tensor> q = linear(query, weights.wq, &weights.bq);
  if (!q)
    return withContext("multihead: query projection (wq, bq)", q.takeError());
  if (q->shape[2] % numHeads != 0)
    return fail(llvm::formatv(
        "multihead: wq has {0} rows, which numHeads {1} does not divide",
        q->shape[2], numHeads));
  int64_t headDim = q->shape[2] / numHeads;

  Expected<Tensor> k = linear(key, weights.wk, &weights.bk);
  if (!k)
    return withContext("multihead: key projection (wk, bk)", k.takeError());
  if (k->shape[2] != numKvHeads * headDim)
    return fail(llvm::formatv("multihead: wk has {0} rows, expected {1} "
                              "(numKvHeads {2} * head dimension {3})",
                              k->shape[2], numKvHeads * headDim, numKvHeads,
                              headDim));

  Expected<Tensor> v = linear(value, weights.wv, &weights.bv);
  if (!v)
    return withContext("multihead: value projection (wv, bv)", v.takeError());
  if (v->shape[2] % numKvHeads != 0)
    return fail(llvm::formatv(
        "multihead: wv has {0} rows, which numKvHeads {1} does not divide",
        v->shape[2], numKvHeads));

  Expected<AttentionResult> attention =
      sdpa(splitHeads(*q, numHeads), splitHeads(*k, numKvHeads),
           splitHeads(*v, numKvHeads), mask, options, wantWeights);
  if (!attention)
    return withContext(op, attention.takeError());

  Expected<Tensor> output =
      linear(mergeHeads(attention->output), weights.wo, &weights.bo);
  if (!output)
    return withContext("multihead: output projection (wo, bo)",
                       output.takeError());
  AttentionResult result;
  result.output = std::move(*output);
  result.weights = std::move(attention->weights);
  return result;
}

Expected<Tensor> attnc::ref::encoderLayer(const Tensor &x,
                                          const EncoderLayerWeights &weights,
                                          const LayerConfig &config,
                                          const Mask *mask) {
  StringRef op = "encoderLayer";
  if (llvm::Error error = checkRank(op, "x", x, 3, "[B, L, E]"))
    return error;

  auto selfAttention = [&](const Tensor &y) -> Expected<Tensor> {
    Expected<AttentionResult> attended =
        multihead(y, y, y, weights.selfAttention, config.numHeads,
                  config.numKvHeads, mask, config.attention);
    if (!attended)
      return attended.takeError();
    return std::move(attended->output);
  };
  auto feedForward = [&](const Tensor &y) {
    return ffn(y, weights.ffn, config.activation);
  };

  Expected<Tensor> h = residualBlock(op, "self-attention", "norm1", x,
                                     weights.norm1, config, selfAttention);
  if (!h)
    return h.takeError();
  return residualBlock(op, "feed-forward", "norm2", *h, weights.norm2, config,
                       feedForward);
}

Expected<Tensor> attnc::ref::decoderLayer(const Tensor &x, const Tensor &memory,
                                          const DecoderLayerWeights &weights,
                                          const LayerConfig &config,
                                          const Mask *selfMask,
                                          const Mask *memoryMask) {
  StringRef op = "decoderLayer";
  if (llvm::Error error = checkRank(op, "x", x, 3, "[B, Lt, E]"))
    return error;
  if (llvm::Error error = checkRank(op, "memory", memory, 3, "[B, Ls, Em]"))
    return error;

  AttentionOptions selfOptions = config.attention;
  selfOptions.causal = true;
  AttentionOptions crossOptions;
  crossOptions.scale = config.attention.scale;
  crossOptions.softcap = config.attention.softcap;
  crossOptions.score = config.attention.score;

  auto selfAttention = [&](const Tensor &y) -> Expected<Tensor> {
    Expected<AttentionResult> attended =
        multihead(y, y, y, weights.selfAttention, config.numHeads,
                  config.numKvHeads, selfMask, selfOptions);
    if (!attended)
      return attended.takeError();
    return std::move(attended->output);
  };
  auto crossAttention = [&](const Tensor &y) -> Expected<Tensor> {
    Expected<AttentionResult> attended =
        multihead(y, memory, memory, weights.crossAttention, config.numHeads,
                  config.numKvHeads, memoryMask, crossOptions);
    if (!attended)
      return attended.takeError();
    return std::move(attended->output);
  };
  auto feedForward = [&](const Tensor &y) {
    return ffn(y, weights.ffn, config.activation);
  };

  Expected<Tensor> afterSelf = residualBlock(
      op, "self-attention", "norm1", x, weights.norm1, config, selfAttention);
  if (!afterSelf)
    return afterSelf.takeError();
  Expected<Tensor> afterCross =
      residualBlock(op, "cross-attention", "norm2", *afterSelf, weights.norm2,
                    config, crossAttention);
  if (!afterCross)
    return afterCross.takeError();
  return residualBlock(op, "feed-forward", "norm3", *afterCross, weights.norm3,
                       config, feedForward);
}
