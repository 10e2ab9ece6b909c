//===- ReferenceTest.cpp - Hand-checked tests of the fp64 reference -------===//
//
// The reference evaluator is the oracle for every other numerical test, so it
// is checked here only against values worked out by hand (or with a one-off
// python3 script using the math module, quoted in the comments), never
// against itself.
//
//===----------------------------------------------------------------------===//

#include "reference/Reference.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

using namespace attnc::ref;

namespace {

const double kInf = std::numeric_limits<double>::infinity();
const double kLn3 = std::log(3.0);
/// fp64 hand values are compared this tightly; exact results use EXPECT_EQ.
const double kTol = 1e-12;

/// Builds a tensor from explicit data. Calling the constructor directly with a
/// one-element braced list would pick the `fill` overload instead.
Tensor tensor(std::vector<int64_t> shape, std::vector<double> data) {
  return Tensor(std::move(shape), std::move(data));
}

Tensor identity(int64_t n) {
  Tensor result({n, n});
  for (int64_t i = 0; i < n; ++i)
    result.data[i * n + i] = 1.0;
  return result;
}

/// Unwraps `value`; on error fails the test and returns an empty T, which the
/// shape check in expectTensor then rejects without reading out of bounds.
template <typename T> T take(llvm::Expected<T> value) {
  if (!value) {
    ADD_FAILURE() << "unexpected error: " << toString(value.takeError());
    return T();
  }
  return std::move(*value);
}

/// The message of the error `value` holds, consuming it.
template <typename T> std::string errorOf(llvm::Expected<T> value) {
  if (value)
    return "(no error)";
  return toString(value.takeError());
}

void expectTensor(const Tensor &actual, const std::vector<int64_t> &shape,
                  const std::vector<double> &expected,
                  double tolerance = kTol) {
  ASSERT_EQ(actual.shape, shape);
  ASSERT_EQ(actual.data.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_FALSE(std::isnan(actual.data[i])) << "at flat index " << i;
    if (std::isinf(expected[i]))
      EXPECT_EQ(actual.data[i], expected[i]) << "at flat index " << i;
    else
      EXPECT_NEAR(actual.data[i], expected[i], tolerance)
          << "at flat index " << i;
  }
}

/// Zero-bias projections, so a test only spells out the matrices it cares
/// about.
MultiheadWeights projections(Tensor wq, Tensor wk, Tensor wv, Tensor wo) {
  MultiheadWeights w;
  w.bq = Tensor({wq.shape[0]});
  w.bk = Tensor({wk.shape[0]});
  w.bv = Tensor({wv.shape[0]});
  w.bo = Tensor({wo.shape[0]});
  w.wq = std::move(wq);
  w.wk = std::move(wk);
  w.wv = std::move(wv);
  w.wo = std::move(wo);
  return w;
}

/// Attention that ignores its input: zero projections, so the output is bo.
MultiheadWeights constantAttention(int64_t width, std::vector<double> bo) {
  MultiheadWeights w =
      projections(Tensor({width, width}), Tensor({width, width}),
                  Tensor({width, width}), Tensor({width, width}));
  w.bo = tensor({width}, std::move(bo));
  return w;
}

/// wq = wk = 0 makes every score 0, so each query averages the value rows it
/// may see; wv = wo = I makes those value rows the (normed) inputs.
MultiheadWeights averagingAttention(int64_t width) {
  return projections(Tensor({width, width}), Tensor({width, width}),
                     identity(width), identity(width));
}

/// An FFN with zero matrices: its output is b2 whatever the input.
FfnWeights constantFfn(int64_t width, int64_t hidden, std::vector<double> b2) {
  return {Tensor({hidden, width}), Tensor({hidden}), Tensor({width, hidden}),
          tensor({width}, std::move(b2))};
}

NormWeights norm(int64_t width, std::vector<double> beta = {}) {
  if (beta.empty())
    beta.assign(width, 0.0);
  return {Tensor({width}, 1.0), tensor({width}, std::move(beta))};
}

AttentionOptions withScale(double scale) {
  AttentionOptions options;
  options.scale = scale;
  return options;
}

} // namespace

//===----------------------------------------------------------------------===//
// sdpa
//===----------------------------------------------------------------------===//

TEST(ReferenceTensor, ShapeAndNumel) {
  Tensor filled({2, 3}, 1.5);
  EXPECT_EQ(filled.rank(), 2);
  EXPECT_EQ(filled.numel(), 6);
  EXPECT_EQ(filled.data, std::vector<double>(6, 1.5));
  Tensor scalar(std::vector<int64_t>{}, std::vector<double>{4.0});
  EXPECT_EQ(scalar.rank(), 0);
  EXPECT_EQ(scalar.numel(), 1);
}

TEST(ReferenceSdpa, TwoByTwoByHand) {
  // q = k = I, scale = ln 3. Row 0 scores [ln3, 0] -> exp [3, 1] -> weights
  // [3/4, 1/4]; output 3/4*[1,2] + 1/4*[3,4] = [1.5, 2.5]. Row 1 is the
  // mirror image: weights [1/4, 3/4], output [2.5, 3.5].
  Tensor q = tensor({1, 1, 2, 2}, {1, 0, 0, 1});
  Tensor k = tensor({1, 1, 2, 2}, {1, 0, 0, 1});
  Tensor v = tensor({1, 1, 2, 2}, {1, 2, 3, 4});
  AttentionResult r =
      take(sdpa(q, k, v, nullptr, withScale(kLn3), /*wantWeights=*/true));
  expectTensor(r.output, {1, 1, 2, 2}, {1.5, 2.5, 2.5, 3.5});
  expectTensor(r.weights, {1, 1, 2, 2}, {0.75, 0.25, 0.25, 0.75});
}

TEST(ReferenceSdpa, DefaultScaleIsInverseSqrtHeadDim) {
  // D = 4 so scale = 1/2; score [2*1*1/2, 0] = [1, 0]; weights
  // [e/(e+1), 1/(e+1)]; output e/(e+1) = 0.7310585786300049.
  Tensor q = tensor({1, 1, 1, 4}, {2, 0, 0, 0});
  Tensor k = tensor({1, 1, 2, 4}, {1, 0, 0, 0, 0, 0, 0, 0});
  Tensor v = tensor({1, 1, 2, 1}, {1, 0});
  AttentionResult r = take(sdpa(q, k, v, nullptr, AttentionOptions()));
  expectTensor(r.output, {1, 1, 1, 1}, {0.7310585786300049});
  // Weights were not asked for.
  EXPECT_TRUE(r.weights.data.empty());
}

TEST(ReferenceSdpa, FullyMaskedBooleanRowIsZero) {
  // q = k = 0: visible keys share weight equally. Row 0 sees both keys
  // (output (1+3)/2 = 2); row 1 sees none, so output and weights are 0.
  Tensor q({1, 1, 2, 1}), k({1, 1, 2, 1});
  Tensor v = tensor({1, 1, 2, 1}, {1, 3});
  Mask mask{tensor({2, 2}, {1, 1, 0, 0}), MaskKind::Boolean};
  AttentionResult r = take(sdpa(q, k, v, &mask, withScale(1.0), true));
  expectTensor(r.output, {1, 1, 2, 1}, {2, 0});
  expectTensor(r.weights, {1, 1, 2, 2}, {0.5, 0.5, 0, 0});
  EXPECT_EQ(r.output.data[1], 0.0);
}

TEST(ReferenceSdpa, FullyMaskedAdditiveRowIsZero) {
  Tensor q({1, 1, 2, 1}), k({1, 1, 2, 1});
  Tensor v = tensor({1, 1, 2, 1}, {1, 3});
  Mask mask{tensor({2, 2}, {0, 0, -kInf, -kInf}), MaskKind::Additive};
  AttentionResult r = take(sdpa(q, k, v, &mask, withScale(1.0), true));
  expectTensor(r.output, {1, 1, 2, 1}, {2, 0});
  expectTensor(r.weights, {1, 1, 2, 2}, {0.5, 0.5, 0, 0});

  // Causal leaves row 0 only key 0, which the mask sets to -inf: the row's
  // visible scores are all -inf, so it is 0 too. Row 1 sees key 1 alone.
  AttentionOptions causal = withScale(1.0);
  causal.causal = true;
  Mask partial{tensor({2, 2}, {-kInf, 0, -kInf, 0}), MaskKind::Additive};
  r = take(sdpa(q, k, v, &partial, causal, true));
  expectTensor(r.output, {1, 1, 2, 1}, {0, 3});
  expectTensor(r.weights, {1, 1, 2, 2}, {0, 0, 0, 1});
}

TEST(ReferenceSdpa, CausalBottomRightWhenQueryShorter) {
  // Lq = 2, Lk = 4: query 0 sees keys 0..2, query 1 sees 0..3. Equal scores
  // give (1+2+4)/3 = 7/3 and (1+2+4+8)/4 = 15/4.
  Tensor q({1, 1, 2, 1}), k({1, 1, 4, 1});
  Tensor v = tensor({1, 1, 4, 1}, {1, 2, 4, 8});
  AttentionOptions options = withScale(1.0);
  options.causal = true;
  AttentionResult r = take(sdpa(q, k, v, nullptr, options, true));
  expectTensor(r.output, {1, 1, 2, 1}, {7.0 / 3.0, 15.0 / 4.0});
  expectTensor(r.weights, {1, 1, 2, 4},
               {1.0 / 3, 1.0 / 3, 1.0 / 3, 0, 0.25, 0.25, 0.25, 0.25});
}

TEST(ReferenceSdpa, GroupedQueryHeadMapping) {
  // Hq = 4, Hkv = 2: heads 0,1 read kv 0, heads 2,3 read kv 1. With q = 1
  // and scale 1, kv 0 scores [ln3, 0] -> [3/4, 1/4] over values [1, 0]
  // -> 0.75; kv 1 scores [0, ln3] -> [1/4, 3/4] over [10, 20] -> 17.5.
  Tensor q({1, 4, 1, 1}, 1.0);
  Tensor k = tensor({1, 2, 2, 1}, {kLn3, 0, 0, kLn3});
  Tensor v = tensor({1, 2, 2, 1}, {1, 0, 10, 20});
  AttentionResult r = take(sdpa(q, k, v, nullptr, withScale(1.0), true));
  expectTensor(r.output, {1, 4, 1, 1}, {0.75, 0.75, 17.5, 17.5});
  expectTensor(r.weights, {1, 4, 1, 2},
               {0.75, 0.25, 0.75, 0.25, 0.25, 0.75, 0.25, 0.75});
}

TEST(ReferenceSdpa, SoftcapAppliesBeforeMask) {
  // Raw scores [2, 0]; softcap 1 gives [tanh 2, 0] = [0.9640275800758169, 0];
  // the additive mask then adds [0, 0.5]: w0 = 1/(1 + exp(0.5 - tanh 2))
  // = 0.6139691940939214 (python3). Capping after the mask would give
  // 1/(1 + exp(tanh 0.5 - tanh 2)) = 0.622908182510569 instead.
  Tensor q({1, 1, 1, 1}, 1.0);
  Tensor k = tensor({1, 1, 2, 1}, {2, 0});
  Tensor v = tensor({1, 1, 2, 1}, {1, 0});
  AttentionOptions options = withScale(1.0);
  options.softcap = 1.0;
  Mask mask{tensor({2}, {0, 0.5}), MaskKind::Additive};
  AttentionResult r = take(sdpa(q, k, v, &mask, options, true));
  expectTensor(r.weights, {1, 1, 1, 2},
               {0.6139691940939214, 0.38603080590607863});
  expectTensor(r.output, {1, 1, 1, 1}, {0.6139691940939214});
}

TEST(ReferenceSdpa, WindowLeftRight) {
  // Lq = Lk = 5, equal scores, window [1, 1]: query i averages keys
  // i-1..i+1 of [1, 2, 4, 8, 16], clipped at the ends.
  Tensor q({1, 1, 5, 1}), k({1, 1, 5, 1});
  Tensor v = tensor({1, 1, 5, 1}, {1, 2, 4, 8, 16});
  AttentionOptions options = withScale(1.0);
  options.window = std::array<int64_t, 2>{1, 1};
  AttentionResult r = take(sdpa(q, k, v, nullptr, options));
  expectTensor(r.output, {1, 1, 5, 1},
               {3.0 / 2, 7.0 / 3, 14.0 / 3, 28.0 / 3, 24.0 / 2});

  // Left unbounded, right 0 is exactly causal: running means.
  options.window = std::array<int64_t, 2>{-1, 0};
  r = take(sdpa(q, k, v, nullptr, options));
  expectTensor(r.output, {1, 1, 5, 1},
               {1, 3.0 / 2, 7.0 / 3, 15.0 / 4, 31.0 / 5});

  // Left 0, right unbounded: query i averages keys i..4.
  options.window = std::array<int64_t, 2>{0, -1};
  r = take(sdpa(q, k, v, nullptr, options));
  expectTensor(r.output, {1, 1, 5, 1},
               {31.0 / 5, 30.0 / 4, 28.0 / 3, 24.0 / 2, 16});
}

TEST(ReferenceSdpa, CausalAndWindowCombine) {
  // Causal with window [1, 1]: the right side is cut by causality, so query
  // i averages keys i-1..i.
  Tensor q({1, 1, 5, 1}), k({1, 1, 5, 1});
  Tensor v = tensor({1, 1, 5, 1}, {1, 2, 4, 8, 16});
  AttentionOptions options = withScale(1.0);
  options.causal = true;
  options.window = std::array<int64_t, 2>{1, 1};
  AttentionResult r = take(sdpa(q, k, v, nullptr, options));
  expectTensor(r.output, {1, 1, 5, 1}, {1, 1.5, 3, 6, 12});
}

TEST(ReferenceSdpa, WindowAlignsBottomRight) {
  // Lq = 2, Lk = 4: diagonals are d = 2 and 3. Window [1, 0] shows keys
  // 1..2 and 2..3: (2+4)/2 = 3, (4+8)/2 = 6.
  Tensor q({1, 1, 2, 1}), k({1, 1, 4, 1});
  Tensor v = tensor({1, 1, 4, 1}, {1, 2, 4, 8});
  AttentionOptions options = withScale(1.0);
  options.window = std::array<int64_t, 2>{1, 0};
  AttentionResult r = take(sdpa(q, k, v, nullptr, options));
  expectTensor(r.output, {1, 1, 2, 1}, {3, 6});
}

TEST(ReferenceSdpa, CosineScore) {
  // q = [3, 4] normalises to [0.6, 0.8]; keys [1, 0], [0, 2], [0, 0]
  // normalise to [1, 0], [0, 1], [0, 0] (the 1e-12 floor keeps the zero key
  // at 0). Scores [0.6, 0.8, 0]; softmax (python3):
  // [0.3609828907373151, 0.4409054983951879, 0.19811161086749707].
  Tensor q = tensor({1, 1, 1, 2}, {3, 4});
  Tensor k = tensor({1, 1, 3, 2}, {1, 0, 0, 2, 0, 0});
  Tensor v = tensor({1, 1, 3, 1}, {1, 0, 0});
  AttentionOptions options = withScale(1.0);
  options.score = ScoreKind::Cosine;
  AttentionResult r = take(sdpa(q, k, v, nullptr, options, true));
  expectTensor(r.weights, {1, 1, 1, 3},
               {0.3609828907373151, 0.4409054983951879, 0.19811161086749707});
  expectTensor(r.output, {1, 1, 1, 1}, {0.3609828907373151});
}

TEST(ReferenceSdpa, BroadcastBooleanMask) {
  // H = 2, Lq = 2, Lk = 3, equal scores. Mask [1, 0, 1] hides key 1 for
  // every head and query: head 0 averages 1 and 4 (2.5), head 1 averages 10
  // and 40 (25).
  Tensor q({1, 2, 2, 1}), k({1, 2, 3, 1});
  Tensor v = tensor({1, 2, 3, 1}, {1, 2, 4, 10, 20, 40});
  for (std::vector<int64_t> shape :
       {std::vector<int64_t>{3}, std::vector<int64_t>{1, 1, 1, 3}}) {
    Mask mask{tensor(shape, {1, 0, 1}), MaskKind::Boolean};
    AttentionResult r = take(sdpa(q, k, v, &mask, withScale(1.0), true));
    expectTensor(r.output, {1, 2, 2, 1}, {2.5, 2.5, 25, 25});
    expectTensor(r.weights, {1, 2, 2, 3},
                 {0.5, 0, 0.5, 0.5, 0, 0.5, 0.5, 0, 0.5, 0.5, 0, 0.5});
  }
}

TEST(ReferenceSdpa, BroadcastAdditiveMask) {
  Tensor q({1, 2, 2, 1}), k({1, 2, 3, 1});
  Tensor v = tensor({1, 2, 3, 1}, {1, 2, 4, 10, 20, 40});

  // [1, Lk] = [0, ln2, -inf]: exp gives [1, 2, 0] -> weights [1/3, 2/3, 0];
  // head 0: 1/3 + 4/3 = 5/3, head 1: 10/3 + 40/3 = 50/3.
  Mask keys{tensor({1, 3}, {0, std::log(2.0), -kInf}), MaskKind::Additive};
  AttentionResult r = take(sdpa(q, k, v, &keys, withScale(1.0)));
  expectTensor(r.output, {1, 2, 2, 1}, {5.0 / 3, 5.0 / 3, 50.0 / 3, 50.0 / 3});

  // [H, 1, Lk], right-aligned so it stretches over batch and queries:
  // head 0 sees all keys ((1+2+4)/3), head 1 loses key 0 ((20+40)/2).
  Mask heads{tensor({2, 1, 3}, {0, 0, 0, -kInf, 0, 0}), MaskKind::Additive};
  r = take(sdpa(q, k, v, &heads, withScale(1.0)));
  expectTensor(r.output, {1, 2, 2, 1}, {7.0 / 3, 7.0 / 3, 30, 30});
}

TEST(ReferenceSdpa, NoKeysGiveZero) {
  // Lk = 0: no query has a visible key.
  AttentionResult r =
      take(sdpa(Tensor({1, 1, 2, 3}, 1.0), Tensor({1, 1, 0, 3}),
                Tensor({1, 1, 0, 2}), nullptr, AttentionOptions(), true));
  expectTensor(r.output, {1, 1, 2, 2}, {0, 0, 0, 0});
  expectTensor(r.weights, {1, 1, 2, 0}, {});
}

TEST(ReferenceSdpa, ShapeErrors) {
  auto run = [](std::vector<int64_t> qShape, std::vector<int64_t> kShape,
                std::vector<int64_t> vShape) {
    return errorOf(sdpa(Tensor(qShape), Tensor(kShape), Tensor(vShape), nullptr,
                        AttentionOptions()));
  };
  EXPECT_EQ(run({1, 8, 1, 2}, {1, 3, 1, 2}, {1, 3, 1, 2}),
            "sdpa: key head count 3 does not divide query head count 8");
  EXPECT_EQ(run({1, 1, 1, 2}, {1, 1, 4, 2}, {1, 1, 5, 2}),
            "sdpa: value length 5 does not match key length 4");
  EXPECT_EQ(run({1, 1, 2}, {1, 1, 4, 2}, {1, 1, 4, 2}),
            "sdpa: query has rank 3, expected 4 ([B, Hq, Lq, D])");
  EXPECT_EQ(run({1, 1, 1, 2}, {2, 1, 4, 2}, {2, 1, 4, 2}),
            "sdpa: key batch size 2 does not match query batch size 1");
  EXPECT_EQ(run({1, 1, 1, 2}, {1, 1, 4, 3}, {1, 1, 4, 2}),
            "sdpa: key head dimension 3 does not match query head dimension 2");
  EXPECT_EQ(run({1, 2, 1, 2}, {1, 2, 4, 2}, {1, 1, 4, 2}),
            "sdpa: value head count 1 does not match key head count 2");
  EXPECT_EQ(run({1, 2, 1, 2}, {1, 0, 4, 2}, {1, 0, 4, 2}),
            "sdpa: key head count 0 does not divide query head count 2");

  // A tensor whose data disagrees with its shape is reported, not read.
  Tensor broken;
  broken.shape = {1, 1, 1, 2};
  broken.data = {1};
  EXPECT_EQ(errorOf(sdpa(broken, Tensor({1, 1, 1, 2}), Tensor({1, 1, 1, 2}),
                         nullptr, AttentionOptions())),
            "sdpa: query has 1 values but its shape [1, 1, 1, 2] needs 2");
}

TEST(ReferenceSdpa, MaskAndOptionErrors) {
  Tensor q({1, 2, 4, 1}), k({1, 2, 3, 1}), v({1, 2, 3, 1});
  Mask wrong{Tensor({2, 3}), MaskKind::Boolean};
  EXPECT_EQ(errorOf(sdpa(q, k, v, &wrong, AttentionOptions())),
            "sdpa: mask shape [2, 3] is not broadcastable to [1, 2, 4, 3]");
  Mask tooDeep{Tensor({1, 1, 1, 1, 3}), MaskKind::Additive};
  EXPECT_EQ(
      errorOf(sdpa(q, k, v, &tooDeep, AttentionOptions())),
      "sdpa: mask shape [1, 1, 1, 1, 3] is not broadcastable to [1, 2, 4, 3]");

  AttentionOptions options;
  options.softcap = 0.0;
  EXPECT_EQ(errorOf(sdpa(q, k, v, nullptr, options)),
            "sdpa: softcap must be positive and finite, got 0");
  options.softcap = -1.5;
  EXPECT_EQ(errorOf(sdpa(q, k, v, nullptr, options)),
            "sdpa: softcap must be positive and finite, got -1.5");
  options.softcap.reset();
  options.window = std::array<int64_t, 2>{-2, 0};
  EXPECT_EQ(errorOf(sdpa(q, k, v, nullptr, options)),
            "sdpa: window left bound -2 must be non-negative or -1 "
            "(unbounded)");
  options.window = std::array<int64_t, 2>{0, -3};
  EXPECT_EQ(errorOf(sdpa(q, k, v, nullptr, options)),
            "sdpa: window right bound -3 must be non-negative or -1 "
            "(unbounded)");
}

//===----------------------------------------------------------------------===//
// hard
//===----------------------------------------------------------------------===//

TEST(ReferenceHard, TiesPickLowestIndex) {
  // Scores [1, 2, 2, 0]: keys 1 and 2 tie for the maximum; key 1 wins.
  Tensor q({1, 1, 1, 1}, 1.0);
  Tensor k = tensor({1, 1, 4, 1}, {1, 2, 2, 0});
  Tensor v = tensor({1, 1, 4, 1}, {10, 20, 30, 40});
  expectTensor(take(hard(q, k, v, nullptr, withScale(1.0))), {1, 1, 1, 1},
               {20});
  // All equal: key 0 wins.
  expectTensor(take(hard(q, Tensor({1, 1, 4, 1}), v, nullptr, withScale(1.0))),
               {1, 1, 1, 1}, {10});
}

TEST(ReferenceHard, MaskAndCausal) {
  Tensor q({1, 1, 1, 1}, 1.0);
  Tensor k = tensor({1, 1, 4, 1}, {1, 2, 2, 0});
  Tensor v = tensor({1, 1, 4, 1}, {10, 20, 30, 40});
  // Hiding key 1 leaves key 2 as the unique maximum.
  Mask mask{tensor({4}, {1, 0, 1, 1}), MaskKind::Boolean};
  expectTensor(take(hard(q, k, v, &mask, withScale(1.0))), {1, 1, 1, 1}, {30});

  // Lq = 2, Lk = 4, rising scores [1, 2, 3, 4]: query 0 stops at key 2,
  // query 1 reaches key 3.
  AttentionOptions causal = withScale(1.0);
  causal.causal = true;
  Tensor rising = tensor({1, 1, 4, 1}, {1, 2, 3, 4});
  expectTensor(
      take(hard(Tensor({1, 1, 2, 1}, 1.0), rising, v, nullptr, causal)),
      {1, 1, 2, 1}, {30, 40});
}

TEST(ReferenceHard, FullyHiddenRowIsZero) {
  Tensor q({1, 1, 2, 1}, 1.0);
  Tensor k = tensor({1, 1, 4, 1}, {1, 2, 2, 0});
  Tensor v = tensor({1, 1, 4, 1}, {10, 20, 30, 40});
  Mask boolean{tensor({2, 4}, {1, 1, 1, 1, 0, 0, 0, 0}), MaskKind::Boolean};
  expectTensor(take(hard(q, k, v, &boolean, withScale(1.0))), {1, 1, 2, 1},
               {20, 0});
  Mask additive{tensor({2, 4}, {0, 0, 0, 0, -kInf, -kInf, -kInf, -kInf}),
                MaskKind::Additive};
  expectTensor(take(hard(q, k, v, &additive, withScale(1.0))), {1, 1, 2, 1},
               {20, 0});
}

TEST(ReferenceHard, ErrorsNameTheOp) {
  EXPECT_EQ(errorOf(hard(Tensor({1, 1, 1, 2}), Tensor({1, 1, 4, 2}),
                         Tensor({1, 1, 5, 2}), nullptr, AttentionOptions())),
            "hard: value length 5 does not match key length 4");
  Mask wrong{Tensor({2}), MaskKind::Boolean};
  EXPECT_EQ(errorOf(hard(Tensor({1, 1, 1, 2}), Tensor({1, 1, 4, 2}),
                         Tensor({1, 1, 4, 2}), &wrong, AttentionOptions())),
            "hard: mask shape [2] is not broadcastable to [1, 1, 1, 4]");
}

//===----------------------------------------------------------------------===//
// additive
//===----------------------------------------------------------------------===//

namespace {

/// Dq = Dk = Dv = 1, A = 2: Wq = [[1], [0]], Wk = [[0], [1]], bias [0, 0.5],
/// energy [1, -1], so score(q, k) = tanh(q) - tanh(k + 0.5).
struct AdditiveCase {
  Tensor q = tensor({1, 1, 1}, {0.5});
  Tensor k = tensor({1, 2, 1}, {1, -1});
  Tensor v = tensor({1, 2, 1}, {1, 3});
  Tensor queryWeight = tensor({2, 1}, {1, 0});
  Tensor keyWeight = tensor({2, 1}, {0, 1});
  Tensor bias = tensor({2}, {0, 0.5});
  Tensor energy = tensor({2}, {1, -1});
};

} // namespace

TEST(ReferenceAdditive, HandComputedTanhScores) {
  // score_0 = tanh(0.5) - tanh(1.5) = -0.44303109638485666,
  // score_1 = tanh(0.5) - tanh(-0.5) = 2 tanh(0.5) = 0.9242343145200195;
  // softmax (python3) [0.2030620197446562, 0.7969379802553438];
  // output = w0 * 1 + w1 * 3 = 2.5938759605106876.
  AdditiveCase c;
  AttentionResult r = take(additive(c.q, c.k, c.v, c.queryWeight, c.keyWeight,
                                    &c.bias, c.energy, nullptr, true));
  expectTensor(r.weights, {1, 1, 2}, {0.2030620197446562, 0.7969379802553438});
  expectTensor(r.output, {1, 1, 1}, {2.5938759605106876});
}

TEST(ReferenceAdditive, MaskedAndFullyMaskedRows) {
  AdditiveCase c;
  Mask first{tensor({2}, {1, 0}), MaskKind::Boolean};
  AttentionResult r = take(additive(c.q, c.k, c.v, c.queryWeight, c.keyWeight,
                                    &c.bias, c.energy, &first, true));
  expectTensor(r.weights, {1, 1, 2}, {1, 0});
  expectTensor(r.output, {1, 1, 1}, {1});

  Mask none{tensor({1, 1, 2}, {-kInf, -kInf}), MaskKind::Additive};
  r = take(additive(c.q, c.k, c.v, c.queryWeight, c.keyWeight, &c.bias,
                    c.energy, &none, true));
  expectTensor(r.weights, {1, 1, 2}, {0, 0});
  expectTensor(r.output, {1, 1, 1}, {0});
}

TEST(ReferenceAdditive, NoBias) {
  // Without the bias, score_j = tanh(0.5) - tanh(k_j) = tanh(0.5) -/+
  // tanh(1): the scores are opposite, so w0 = 1/(1 + exp(2 tanh 1)) =
  // 0.1789925039940001 (python3) and output = w0 + 3 (1 - w0).
  AdditiveCase c;
  AttentionResult r = take(additive(c.q, c.k, c.v, c.queryWeight, c.keyWeight,
                                    nullptr, c.energy, nullptr, true));
  expectTensor(r.weights, {1, 1, 2},
               {0.1789925039940001, 1 - 0.1789925039940001});
  expectTensor(r.output, {1, 1, 1},
               {0.1789925039940001 + 3 * (1 - 0.1789925039940001)});
}

TEST(ReferenceAdditive, ShapeErrors) {
  AdditiveCase c;
  Tensor keyWeight({3, 1});
  EXPECT_EQ(errorOf(additive(c.q, c.k, c.v, c.queryWeight, keyWeight, &c.bias,
                             c.energy, nullptr)),
            "additive: key weight has 3 rows, expected 2 (the rows of the "
            "query weight)");
  Tensor energy({3});
  EXPECT_EQ(errorOf(additive(c.q, c.k, c.v, c.queryWeight, c.keyWeight, &c.bias,
                             energy, nullptr)),
            "additive: energy has 3 elements, expected 2 (the rows of the "
            "query weight)");
  Tensor queryWeight({2, 4});
  EXPECT_EQ(errorOf(additive(c.q, c.k, c.v, queryWeight, c.keyWeight, &c.bias,
                             c.energy, nullptr)),
            "additive: query weight has 4 columns, expected 1 (the last "
            "dimension of query)");
  Tensor v({1, 3, 1});
  EXPECT_EQ(errorOf(additive(c.q, c.k, v, c.queryWeight, c.keyWeight, &c.bias,
                             c.energy, nullptr)),
            "additive: value length 3 does not match key length 2");
  Mask wrong{Tensor({3}), MaskKind::Boolean};
  EXPECT_EQ(errorOf(additive(c.q, c.k, c.v, c.queryWeight, c.keyWeight, &c.bias,
                             c.energy, &wrong)),
            "additive: mask shape [3] is not broadcastable to [1, 1, 2]");
}

//===----------------------------------------------------------------------===//
// softmax, logSoftmax
//===----------------------------------------------------------------------===//

TEST(ReferenceSoftmax, LastAxis) {
  // softmax(1, 2, 3) (python3):
  // [0.09003057317038046, 0.24472847105479764, 0.6652409557748218];
  // a constant row is uniform.
  Tensor x = tensor({2, 3}, {1, 2, 3, 0, 0, 0});
  std::vector<double> expected = {0.09003057317038046,
                                  0.24472847105479764,
                                  0.6652409557748218,
                                  1.0 / 3,
                                  1.0 / 3,
                                  1.0 / 3};
  expectTensor(take(softmax(x, -1)), {2, 3}, expected);
  expectTensor(take(softmax(x, 1)), {2, 3}, expected);
}

TEST(ReferenceSoftmax, FirstAxisWithAllNegInfSlice) {
  // Columns: [0, ln3] -> [1/4, 3/4]; [0, 0] -> [1/2, 1/2]; [-inf, -inf] -> 0.
  Tensor x = tensor({2, 3}, {0, 0, -kInf, kLn3, 0, -kInf});
  std::vector<double> expected = {0.25, 0.5, 0, 0.75, 0.5, 0};
  expectTensor(take(softmax(x, 0)), {2, 3}, expected);
  expectTensor(take(softmax(x, -2)), {2, 3}, expected);
}

TEST(ReferenceSoftmax, LogSoftmax) {
  // log softmax(1, 2, 3) (python3): [-2.4076059644443806,
  // -1.4076059644443804, -0.4076059644443804]; a constant row is -ln 3.
  Tensor rows = tensor({2, 3}, {1, 2, 3, 0, 0, 0});
  expectTensor(take(logSoftmax(rows, -1)), {2, 3},
               {-2.4076059644443806, -1.4076059644443804, -0.4076059644443804,
                -kLn3, -kLn3, -kLn3});

  // Columns: [0, ln3] -> [-ln4, ln3 - ln4]; [0, 0] -> -ln2; all -inf stays
  // -inf.
  Tensor cols = tensor({2, 3}, {0, 0, -kInf, kLn3, 0, -kInf});
  std::vector<double> expected = {
      -1.3862943611198906, -0.6931471805599453, -kInf,
      -0.2876820724517808, -0.6931471805599453, -kInf};
  expectTensor(take(logSoftmax(cols, 0)), {2, 3}, expected);
  expectTensor(take(logSoftmax(cols, -2)), {2, 3}, expected);
}

TEST(ReferenceSoftmax, AxisOutOfRange) {
  Tensor x({2, 3});
  EXPECT_EQ(errorOf(softmax(x, 2)),
            "softmax: axis 2 is out of range for rank 2");
  EXPECT_EQ(errorOf(logSoftmax(x, -3)),
            "logSoftmax: axis -3 is out of range for rank 2");
}

//===----------------------------------------------------------------------===//
// linear, layerNorm, activations, ffn
//===----------------------------------------------------------------------===//

TEST(ReferenceLinear, WithBias) {
  // W rows [1, 0], [0, 1], [1, 1] pick x0, x1, x0 + x1; plus [10, 20, 30].
  Tensor x = tensor({2, 2}, {1, 2, 3, 4});
  Tensor w = tensor({3, 2}, {1, 0, 0, 1, 1, 1});
  Tensor b = tensor({3}, {10, 20, 30});
  expectTensor(take(linear(x, w, &b)), {2, 3}, {11, 22, 33, 13, 24, 37});
}

TEST(ReferenceLinear, WithoutBiasOnRank3) {
  Tensor x = tensor({2, 1, 2}, {1, 2, 3, 4});
  Tensor w = tensor({3, 2}, {1, 0, 0, 1, 1, 1});
  expectTensor(take(linear(x, w, nullptr)), {2, 1, 3}, {1, 2, 3, 3, 4, 7});
}

TEST(ReferenceLinear, ShapeErrors) {
  Tensor x({2, 2});
  EXPECT_EQ(errorOf(linear(x, Tensor({4, 3}), nullptr)),
            "linear: weight has 3 columns, expected 2 (the last dimension of "
            "x)");
  Tensor b({2});
  EXPECT_EQ(errorOf(linear(x, Tensor({3, 2}), &b)),
            "linear: bias has 2 elements, expected 3 (the rows of weight)");
  EXPECT_EQ(errorOf(linear(x, Tensor({2}), nullptr)),
            "linear: weight has rank 1, expected 2 ([out, in])");
  EXPECT_EQ(errorOf(linear(tensor({}, {1}), Tensor({2, 1}), nullptr)),
            "linear: x has rank 0, expected at least 1 ([..., in])");
  // A bias left default-constructed is named as such.
  Tensor unset;
  EXPECT_EQ(errorOf(linear(x, Tensor({3, 2}), &unset)),
            "linear: bias is unset (a default-constructed tensor)");
}

TEST(ReferenceLayerNorm, ByHand) {
  // [1, 2, 3, 4]: mean 2.5, biased variance (2.25 + 0.25 + 0.25 + 2.25)/4 =
  // 1.25; with epsilon 0 the result is [-1.5, -0.5, 0.5, 1.5] / sqrt(1.25).
  // gamma [1, 2, 1, 1] and beta [0, 0, 0, 1] then scale and shift.
  Tensor x = tensor({2, 4}, {1, 2, 3, 4, 4, 3, 2, 1});
  Tensor gamma = tensor({4}, {1, 2, 1, 1});
  Tensor beta = tensor({4}, {0, 0, 0, 1});
  double a = 1.3416407864998738, b = 0.4472135954999579;
  expectTensor(take(layerNorm(x, gamma, beta, 0.0)), {2, 4},
               {-a, -2 * b, b, a + 1, a, 2 * b, -b, -a + 1});
}

TEST(ReferenceLayerNorm, Epsilon) {
  // [0, 2]: mean 1, variance 1; (x - 1) / sqrt(1 + 3) = [-0.5, 0.5].
  Tensor x = tensor({1, 2}, {0, 2});
  expectTensor(take(layerNorm(x, Tensor({2}, 1.0), Tensor({2}), 3.0)), {1, 2},
               {-0.5, 0.5});
}

TEST(ReferenceLayerNorm, ShapeErrors) {
  Tensor x({2, 4});
  EXPECT_EQ(errorOf(layerNorm(x, Tensor({3}), Tensor({4}), 1e-5)),
            "layerNorm: gamma has 3 elements, expected 4 (the last dimension "
            "of x)");
  EXPECT_EQ(errorOf(layerNorm(x, Tensor({4}), Tensor({1, 4}), 1e-5)),
            "layerNorm: beta has rank 2, expected 1");
  EXPECT_EQ(errorOf(layerNorm(x, Tensor({4}), Tensor({4}), -1.0)),
            "layerNorm: epsilon must be non-negative, got -1");
}

TEST(ReferenceActivation, Values) {
  EXPECT_EQ(activate(Activation::Relu, -2.0), 0.0);
  EXPECT_EQ(activate(Activation::Relu, 0.0), 0.0);
  EXPECT_EQ(activate(Activation::Relu, 3.0), 3.0);
  // gelu(x) = x * Phi(x); Phi(1) = 0.8413447460685429, so gelu(-1) =
  // -(1 - Phi(1)) = -0.15865525393145707.
  EXPECT_NEAR(activate(Activation::Gelu, 1.0), 0.8413447460685429, kTol);
  EXPECT_NEAR(activate(Activation::Gelu, -1.0), -0.15865525393145707, kTol);
  EXPECT_EQ(activate(Activation::Gelu, 0.0), 0.0);
  // 0.5 (1 + tanh(sqrt(2/pi) * 1.044715)) = 0.8411919906082768 (python3).
  EXPECT_NEAR(activate(Activation::GeluTanh, 1.0), 0.8411919906082768, kTol);
  EXPECT_EQ(activate(Activation::GeluTanh, 0.0), 0.0);
}

TEST(ReferenceFfn, EachActivation) {
  // E = 1, F = 2: w1 = [[1], [-1]] makes the hidden layer [x, -x] (+ b1);
  // w2 = [[1, 1]] sums it; b2 = 0.5.
  FfnWeights w{tensor({2, 1}, {1, -1}), tensor({2}, {1, -5}),
               tensor({1, 2}, {1, 1}), tensor({1}, {0.5})};
  Tensor x = tensor({1, 1}, {2});
  // relu: hidden [3, -7] -> [3, 0]; 3 + 0.5.
  expectTensor(take(ffn(x, w, Activation::Relu)), {1, 1}, {3.5});

  // With b1 = 0, act(2) + act(-2) is odd-symmetric: gelu gives
  // 2 erf(2/sqrt2) and the tanh form 2 tanh(sqrt(2/pi)(2 + 0.044715*8));
  // plus 0.5 (python3): 2.408999472207283 and 2.40919538817555.
  w.b1 = Tensor({2});
  expectTensor(take(ffn(x, w, Activation::Gelu)), {1, 1}, {2.408999472207283});
  expectTensor(take(ffn(x, w, Activation::GeluTanh)), {1, 1},
               {2.40919538817555});
}

TEST(ReferenceFfn, ShapeErrors) {
  FfnWeights w{Tensor({2, 1}), Tensor({2}), Tensor({3, 2}), Tensor({3})};
  Tensor x({1, 1});
  EXPECT_EQ(errorOf(ffn(x, w, Activation::Relu)),
            "ffn: w2 has 3 rows, expected 1 (the last dimension of x)");
  w.w2 = Tensor({1, 2});
  w.b1 = Tensor({3});
  EXPECT_EQ(errorOf(ffn(x, w, Activation::Relu)),
            "ffn: first layer (w1, b1): linear: bias has 3 elements, "
            "expected 2 (the rows of weight)");
  w.b1 = Tensor({2});
  w.b2 = Tensor({2});
  EXPECT_EQ(errorOf(ffn(x, w, Activation::Relu)),
            "ffn: second layer (w2, b2): linear: bias has 2 elements, "
            "expected 1 (the rows of weight)");
}

//===----------------------------------------------------------------------===//
// embedding, positionalEncoding
//===----------------------------------------------------------------------===//

TEST(ReferenceEmbedding, GathersAndScales) {
  Tensor table = tensor({3, 2}, {0, 1, 2, 3, 4, 5});
  expectTensor(take(embedding(tensor({2}, {2, 0}), table)), {2, 2},
               {4, 5, 0, 1});
  expectTensor(take(embedding(tensor({2, 1}, {1, 2}), table, 2.0)), {2, 1, 2},
               {4, 6, 8, 10});
}

TEST(ReferenceEmbedding, IndexErrors) {
  Tensor table({5, 2});
  EXPECT_EQ(errorOf(embedding(tensor({3}, {0, 1, 7}), table)),
            "embedding: index 7 at position 2 is out of range [0, 5)");
  EXPECT_EQ(errorOf(embedding(tensor({1}, {-1}), table)),
            "embedding: index -1 at position 0 is out of range [0, 5)");
  EXPECT_EQ(errorOf(embedding(tensor({2}, {0, 1.5}), table)),
            "embedding: index 1.5 at position 1 is not an integer");
  EXPECT_EQ(errorOf(embedding(tensor({1}, {0}), Tensor({5}))),
            "embedding: table has rank 1, expected 2 ([V, E])");
}

TEST(ReferencePositional, Sinusoidal) {
  // E = 4. Position 0: [sin 0, cos 0, sin 0, cos 0] = [0, 1, 0, 1].
  // Position 1: dims 0,1 use 1/10000^0 = 1, dims 2,3 use 1/10000^(2/4) =
  // 0.01: [sin 1, cos 1, sin 0.01, cos 0.01] (python3). x = 1 everywhere.
  Tensor x({2, 2, 4}, 1.0);
  std::vector<double> row0 = {1, 2, 1, 2};
  std::vector<double> row1 = {1 + 0.8414709848078965, 1 + 0.5403023058681398,
                              1 + 0.009999833334166664, 1 + 0.9999500004166653};
  std::vector<double> expected;
  for (int b = 0; b < 2; ++b) {
    expected.insert(expected.end(), row0.begin(), row0.end());
    expected.insert(expected.end(), row1.begin(), row1.end());
  }
  expectTensor(take(positionalEncoding(x, PositionalKind::Sinusoidal, nullptr)),
               {2, 2, 4}, expected);
}

TEST(ReferencePositional, Learned) {
  // Only the first L = 2 of the table's 3 rows are used.
  Tensor x({1, 2, 2}, 1.0);
  Tensor table = tensor({3, 2}, {0, 1, 2, 3, 4, 5});
  expectTensor(take(positionalEncoding(x, PositionalKind::Learned, &table)),
               {1, 2, 2}, {1, 2, 3, 4});
}

TEST(ReferencePositional, Errors) {
  Tensor x({1, 3, 2});
  Tensor small({2, 2}), wide({4, 3});
  EXPECT_EQ(errorOf(positionalEncoding(x, PositionalKind::Learned, nullptr)),
            "positionalEncoding: a learned encoding needs a table");
  EXPECT_EQ(errorOf(positionalEncoding(x, PositionalKind::Sinusoidal, &small)),
            "positionalEncoding: a sinusoidal encoding takes no table");
  EXPECT_EQ(errorOf(positionalEncoding(x, PositionalKind::Learned, &small)),
            "positionalEncoding: sequence length 3 exceeds the table's 2 "
            "positions");
  EXPECT_EQ(errorOf(positionalEncoding(x, PositionalKind::Learned, &wide)),
            "positionalEncoding: table has 3 columns, expected 2 (the last "
            "dimension of x)");
  EXPECT_EQ(errorOf(positionalEncoding(Tensor({3, 2}),
                                       PositionalKind::Sinusoidal, nullptr)),
            "positionalEncoding: x has rank 2, expected 3 ([B, L, E])");
}

//===----------------------------------------------------------------------===//
// multihead
//===----------------------------------------------------------------------===//

TEST(ReferenceMultihead, IdentityLikeProjections) {
  // E = 2, two heads of D = 1, wq = wk = wv = I: head h attends with column h
  // of x = [[1, 0], [0, 1]], scale ln3.
  //   head 0, column [1, 0]: row 0 scores [ln3, 0] -> [3/4, 1/4] -> 0.75;
  //                          row 1 scores [0, 0] -> [1/2, 1/2] -> 0.5.
  //   head 1, column [0, 1]: row 0 -> [1/2, 1/2] -> 0.5;
  //                          row 1 scores [0, ln3] -> [1/4, 3/4] -> 0.75.
  // Merged rows [0.75, 0.5] and [0.5, 0.75]; wo = [[1, 1], [0, 1]] ([out,
  // in]) gives [h0 + h1, h1], plus bo = [1, 2]: [2.25, 2.5], [2.25, 2.75].
  Tensor x = tensor({1, 2, 2}, {1, 0, 0, 1});
  MultiheadWeights w = projections(identity(2), identity(2), identity(2),
                                   tensor({2, 2}, {1, 1, 0, 1}));
  w.bo = tensor({2}, {1, 2});
  AttentionResult r =
      take(multihead(x, x, x, w, 2, 2, nullptr, withScale(kLn3), true));
  expectTensor(r.output, {1, 2, 2}, {2.25, 2.5, 2.25, 2.75});
  expectTensor(r.weights, {1, 2, 2, 2},
               {0.75, 0.25, 0.5, 0.5, 0.5, 0.5, 0.25, 0.75});
}

TEST(ReferenceMultihead, ValueBiasReachesOutput) {
  // One head of D = 2 with wk = wv = 0: keys are 0, so the weights are
  // uniform whatever bq adds to the queries, and every value row is
  // bv = [4, 6]; wo = I passes that mean, [4, 6], straight through.
  Tensor x = tensor({1, 2, 2}, {1, 0, 0, 1});
  MultiheadWeights w =
      projections(identity(2), Tensor({2, 2}), Tensor({2, 2}), identity(2));
  w.bq = tensor({2}, {5, -5});
  w.bv = tensor({2}, {4, 6});
  AttentionResult r =
      take(multihead(x, x, x, w, 1, 1, nullptr, AttentionOptions(), true));
  expectTensor(r.output, {1, 2, 2}, {4, 6, 4, 6});
  // k = 0 makes every score 0: uniform weights.
  expectTensor(r.weights, {1, 1, 2, 2}, {0.5, 0.5, 0.5, 0.5});
}

TEST(ReferenceMultihead, GroupedQuery) {
  // Two query heads share one KV head built from column 0 (wk = wv =
  // [[1, 0]]), scale ln3, x = [[1, 0], [0, 1]]; keys = values = [1, 0].
  //   head 0 (q column 0 = [1, 0]): row 0 -> [3/4, 1/4] -> 0.75; row 1 ->
  //   uniform -> 0.5.
  //   head 1 (q column 1 = [0, 1]): row 0 -> uniform -> 0.5; row 1 scores
  //   [ln3, 0] -> [3/4, 1/4] -> 0.75.
  Tensor x = tensor({1, 2, 2}, {1, 0, 0, 1});
  MultiheadWeights w = projections(identity(2), tensor({1, 2}, {1, 0}),
                                   tensor({1, 2}, {1, 0}), identity(2));
  AttentionResult r =
      take(multihead(x, x, x, w, 2, 1, nullptr, withScale(kLn3), true));
  expectTensor(r.output, {1, 2, 2}, {0.75, 0.5, 0.5, 0.75});
  expectTensor(r.weights, {1, 2, 2, 2},
               {0.75, 0.25, 0.5, 0.5, 0.5, 0.5, 0.75, 0.25});
}

TEST(ReferenceMultihead, ShapeErrors) {
  Tensor x({1, 2, 2});
  MultiheadWeights w =
      projections(identity(2), identity(2), identity(2), identity(2));
  AttentionOptions options;
  EXPECT_EQ(errorOf(multihead(x, x, x, w, 2, 3, nullptr, options)),
            "multihead: numKvHeads 3 does not divide numHeads 2");
  EXPECT_EQ(errorOf(multihead(x, x, x, w, 0, 1, nullptr, options)),
            "multihead: numHeads must be positive, got 0");

  MultiheadWeights oddQuery = w;
  oddQuery.wq = Tensor({3, 2});
  oddQuery.bq = Tensor({3});
  EXPECT_EQ(errorOf(multihead(x, x, x, oddQuery, 2, 2, nullptr, options)),
            "multihead: wq has 3 rows, which numHeads 2 does not divide");

  MultiheadWeights shortKey = w;
  shortKey.wk = Tensor({1, 2});
  shortKey.bk = Tensor({1});
  EXPECT_EQ(errorOf(multihead(x, x, x, shortKey, 2, 2, nullptr, options)),
            "multihead: wk has 1 rows, expected 2 (numKvHeads 2 * head "
            "dimension 1)");

  MultiheadWeights wideQuery = w;
  wideQuery.wq = Tensor({2, 3});
  EXPECT_EQ(errorOf(multihead(x, x, x, wideQuery, 2, 2, nullptr, options)),
            "multihead: query projection (wq, bq): linear: weight has 3 "
            "columns, expected 2 (the last dimension of x)");

  Mask wrong{Tensor({3}), MaskKind::Boolean};
  EXPECT_EQ(errorOf(multihead(x, x, x, w, 2, 2, &wrong, options)),
            "multihead: sdpa: mask shape [3] is not broadcastable to [1, 2, "
            "2, 2]");
  EXPECT_EQ(errorOf(multihead(Tensor({2, 2}), x, x, w, 2, 2, nullptr, options)),
            "multihead: query has rank 2, expected 3 ([B, Lq, Eq])");
}

//===----------------------------------------------------------------------===//
// encoderLayer
//===----------------------------------------------------------------------===//

namespace {

/// E = 4 with zero attention and FFN matrices: SA(.) = bo = [1, 0, 0, 0] and
/// FFN(.) = b2 = [0, 0, 0, 4]; plain norms with epsilon 0.
EncoderLayerWeights constantEncoder() {
  return {constantAttention(4, {1, 0, 0, 0}), norm(4),
          constantFfn(4, 2, {0, 0, 0, 4}), norm(4)};
}

LayerConfig exactConfig(bool normFirst) {
  LayerConfig config;
  config.normFirst = normFirst;
  config.epsilon = 0.0;
  return config;
}

} // namespace

TEST(ReferenceEncoder, ConstantSublayersPreNorm) {
  // x + bo + b2 exactly: the norms only feed the (input-blind) sub-layers.
  Tensor x = tensor({1, 2, 4}, {1, 2, 3, 4, 4, 3, 2, 1});
  expectTensor(
      take(encoderLayer(x, constantEncoder(), exactConfig(true), nullptr)),
      {1, 2, 4}, {2, 2, 3, 8, 5, 3, 2, 5});
}

TEST(ReferenceEncoder, ConstantSublayersPostNorm) {
  // LN(LN(x + bo) + b2) per row (python3, plain mean/variance formulas):
  //   [1,2,3,4] -> LN([2,2,3,4]) + [0,0,0,4] -> LN(...)
  //   [4,3,2,1] -> LN([5,3,2,1]) + [0,0,0,4] -> LN(...)
  Tensor x = tensor({1, 2, 4}, {1, 2, 3, 4, 4, 3, 2, 1});
  expectTensor(
      take(encoderLayer(x, constantEncoder(), exactConfig(false), nullptr)),
      {1, 2, 4},
      {-0.7190703615833365, -0.7190703615833365, -0.26371935660912554,
       1.7018600797757986, 0.4078500234499918, -0.6501540616489868,
       -1.1791561041984762, 1.4214601423974709});
}

TEST(ReferenceEncoder, AttentionContributesPostNorm) {
  // Averaging attention: SA(x) = mean of rows [0, 2] and [4, 2] = [2, 2].
  // x + SA = [[2, 4], [6, 4]] -> LN -> [[-1, 1], [1, -1]]; FFN is 0, and LN
  // of [-1, 1] is itself.
  Tensor x = tensor({1, 2, 2}, {0, 2, 4, 2});
  EncoderLayerWeights w{averagingAttention(2), norm(2),
                        constantFfn(2, 3, {0, 0}), norm(2)};
  expectTensor(take(encoderLayer(x, w, exactConfig(false), nullptr)), {1, 2, 2},
               {-1, 1, 1, -1});
}

TEST(ReferenceEncoder, AttentionContributesPreNorm) {
  // norm1 with beta [1, 0]: LN rows [-1, 1], [1, -1] become [0, 1], [2, -1];
  // their mean [1, 0] is SA; x + SA = [[1, 2], [5, 2]]; FFN adds 0.
  Tensor x = tensor({1, 2, 2}, {0, 2, 4, 2});
  EncoderLayerWeights w{averagingAttention(2), norm(2, {1, 0}),
                        constantFfn(2, 3, {0, 0}), norm(2)};
  expectTensor(take(encoderLayer(x, w, exactConfig(true), nullptr)), {1, 2, 2},
               {1, 2, 5, 2});

  // A key mask [1, 0] makes SA the first normed row [0, 1] for both rows.
  Mask firstKey{tensor({2}, {1, 0}), MaskKind::Boolean};
  expectTensor(take(encoderLayer(x, w, exactConfig(true), &firstKey)),
               {1, 2, 2}, {0, 3, 4, 3});
}

TEST(ReferenceEncoder, ErrorsNameTheSublayer) {
  Tensor x({1, 2, 4});
  EncoderLayerWeights w = constantEncoder();
  w.norm1.gamma = Tensor({3});
  EXPECT_EQ(errorOf(encoderLayer(x, w, exactConfig(false), nullptr)),
            "encoderLayer: norm1: layerNorm: gamma has 3 elements, expected 4 "
            "(the last dimension of x)");

  LayerConfig threeHeads = exactConfig(false);
  threeHeads.numHeads = 3;
  EXPECT_EQ(errorOf(encoderLayer(x, constantEncoder(), threeHeads, nullptr)),
            "encoderLayer: self-attention: multihead: wq has 4 rows, which "
            "numHeads 3 does not divide");

  EncoderLayerWeights narrow = constantEncoder();
  narrow.selfAttention.wo = Tensor({3, 4});
  narrow.selfAttention.bo = Tensor({3});
  EXPECT_EQ(errorOf(encoderLayer(x, narrow, exactConfig(false), nullptr)),
            "encoderLayer: self-attention output shape [1, 2, 3] does not "
            "match the residual shape [1, 2, 4]");
  EXPECT_EQ(errorOf(encoderLayer(Tensor({2, 4}), constantEncoder(),
                                 exactConfig(false), nullptr)),
            "encoderLayer: x has rank 2, expected 3 ([B, L, E])");
}

//===----------------------------------------------------------------------===//
// decoderLayer
//===----------------------------------------------------------------------===//

namespace {

/// E = 4 with constant sub-layers: SA = [1, 0, 0, 0], CA = [0, 2, 0, 0],
/// FFN = [0, 0, 0, 4]; plain norms.
DecoderLayerWeights constantDecoder() {
  return {constantAttention(4, {1, 0, 0, 0}), norm(4),
          constantAttention(4, {0, 2, 0, 0}), norm(4),
          constantFfn(4, 2, {0, 0, 0, 4}),    norm(4)};
}

/// E = 2 with averaging self- and cross-attention and a zero FFN; norm1 has
/// beta [1, 0] so pre-norm visibly goes through it.
DecoderLayerWeights averagingDecoder() {
  return {averagingAttention(2),     norm(2, {1, 0}),
          averagingAttention(2),     norm(2),
          constantFfn(2, 3, {0, 0}), norm(2)};
}

} // namespace

TEST(ReferenceDecoder, ConstantSublayersPreNorm) {
  Tensor x = tensor({1, 2, 4}, {1, 2, 3, 4, 4, 3, 2, 1});
  Tensor memory({1, 3, 4}, 1.0);
  expectTensor(take(decoderLayer(x, memory, constantDecoder(),
                                 exactConfig(true), nullptr, nullptr)),
               {1, 2, 4}, {2, 4, 3, 8, 5, 5, 2, 5});
}

TEST(ReferenceDecoder, ConstantSublayersPostNorm) {
  // LN(LN(LN(x + [1,0,0,0]) + [0,2,0,0]) + [0,0,0,4]) per row (python3).
  Tensor x = tensor({1, 2, 4}, {1, 2, 3, 4, 4, 3, 2, 1});
  Tensor memory({1, 3, 4}, 1.0);
  expectTensor(take(decoderLayer(x, memory, constantDecoder(),
                                 exactConfig(false), nullptr, nullptr)),
               {1, 2, 4},
               {-1.0157650500034987, -0.14162256322517353, -0.4886372969213332,
                1.6460249101500055, -0.20972192917322913, 0.1634734309276202,
                -1.3783434972077389, 1.424591995453348});
}

TEST(ReferenceDecoder, AttentionContributesPreNorm) {
  // x = [[0, 2], [4, 2]], memory rows [1, 1], [3, -1] (mean [2, 0]).
  // LN1(x) = [[0, 1], [2, -1]]; self-attention is causal even though the
  // config says otherwise: row 0 takes [0, 1], row 1 the mean [1, 0].
  // x1 = [[0, 3], [5, 2]]; cross-attention averages the memory: + [2, 0].
  Tensor x = tensor({1, 2, 2}, {0, 2, 4, 2});
  Tensor memory = tensor({1, 2, 2}, {1, 1, 3, -1});
  expectTensor(take(decoderLayer(x, memory, averagingDecoder(),
                                 exactConfig(true), nullptr, nullptr)),
               {1, 2, 2}, {2, 3, 7, 2});

  // A memory mask [1, 0] makes cross-attention the first memory row [1, 1].
  Mask firstSource{tensor({2}, {1, 0}), MaskKind::Boolean};
  expectTensor(take(decoderLayer(x, memory, averagingDecoder(),
                                 exactConfig(true), nullptr, &firstSource)),
               {1, 2, 2}, {1, 4, 6, 3});
}

TEST(ReferenceDecoder, AttentionContributesPostNorm) {
  // Causal SA(x): row 0 = [0, 2], row 1 = mean = [2, 2]; x + SA =
  // [[0, 4], [6, 4]] -> LN1 (beta [1, 0]) -> [[0, 1], [2, -1]].
  // + CA [2, 0] = [[2, 1], [4, -1]] -> LN2 -> [[1, -1], [1, -1]];
  // FFN adds 0 and LN3 keeps [1, -1].
  Tensor x = tensor({1, 2, 2}, {0, 2, 4, 2});
  Tensor memory = tensor({1, 2, 2}, {1, 1, 3, -1});
  expectTensor(take(decoderLayer(x, memory, averagingDecoder(),
                                 exactConfig(false), nullptr, nullptr)),
               {1, 2, 2}, {1, -1, 1, -1});
}

TEST(ReferenceDecoder, CrossAttentionIgnoresCausalAndWindow) {
  // Window [0, 0] restricts self-attention to the diagonal: SA(LN1(x)) =
  // LN1(x) = [[0, 1], [2, -1]], x1 = [[0, 3], [6, 1]]. Cross-attention still
  // averages both memory rows (+ [2, 0]); windowed it would add [1, 1] and
  // [3, -1] instead.
  Tensor x = tensor({1, 2, 2}, {0, 2, 4, 2});
  Tensor memory = tensor({1, 2, 2}, {1, 1, 3, -1});
  LayerConfig config = exactConfig(true);
  config.attention.causal = true;
  config.attention.window = std::array<int64_t, 2>{0, 0};
  expectTensor(take(decoderLayer(x, memory, averagingDecoder(), config, nullptr,
                                 nullptr)),
               {1, 2, 2}, {2, 3, 8, 1});
}

TEST(ReferenceDecoder, ErrorsNameTheSublayer) {
  Tensor x({1, 2, 4});
  EXPECT_EQ(errorOf(decoderLayer(x, Tensor({3, 4}), constantDecoder(),
                                 exactConfig(true), nullptr, nullptr)),
            "decoderLayer: memory has rank 2, expected 3 ([B, Ls, Em])");
  EXPECT_EQ(errorOf(decoderLayer(x, Tensor({1, 3, 3}), constantDecoder(),
                                 exactConfig(true), nullptr, nullptr)),
            "decoderLayer: cross-attention: multihead: key projection (wk, "
            "bk): linear: weight has 4 columns, expected 3 (the last "
            "dimension of x)");
  DecoderLayerWeights w = constantDecoder();
  w.norm3.beta = Tensor({5});
  EXPECT_EQ(errorOf(decoderLayer(x, Tensor({1, 3, 4}), w, exactConfig(true),
                                 nullptr, nullptr)),
            "decoderLayer: norm3: layerNorm: beta has 5 elements, expected 4 "
            "(the last dimension of x)");
}
