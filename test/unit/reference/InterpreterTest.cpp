//===- InterpreterTest.cpp - Tests of evaluating attn IR with the oracle --===//
//
// The interpreter's job is to read each op's operands and attributes
// correctly; the evaluator's arithmetic is checked by hand values in
// ReferenceTest.cpp. So these tests check (1) hand-checkable results that
// depend on attributes being read, (2) that each op gives exactly what a
// direct evaluator call with the intended options gives, (3) that
// canonicalization preserves values, and (4) the errors.
//
//===----------------------------------------------------------------------===//

#include "reference/Interpreter.h"

#include "dialect/AttnDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <random>
#include <string>

using namespace mlir;
using namespace attnc;

namespace {

class InterpreterTest : public ::testing::Test {
protected:
  InterpreterTest() {
    context
        .loadDialect<attn::AttnDialect, func::FuncDialect, arith::ArithDialect,
                     cf::ControlFlowDialect, linalg::LinalgDialect,
                     tensor::TensorDialect, math::MathDialect>();
  }

  /// Parses `ir` and returns its function `name`.
  func::FuncOp parse(const std::string &ir, StringRef name = "f") {
    module = parseSourceString<ModuleOp>(ir, &context);
    EXPECT_TRUE(module) << "IR does not parse:\n" << ir;
    if (!module)
      return nullptr;
    return module->lookupSymbol<func::FuncOp>(name);
  }

  /// Evaluates `func`, failing the test on an error.
  std::vector<ref::Tensor> run(func::FuncOp func,
                               llvm::ArrayRef<ref::Tensor> inputs) {
    llvm::Expected<std::vector<ref::Tensor>> results =
        ref::evaluate(func, inputs);
    if (!results) {
      ADD_FAILURE() << llvm::toString(results.takeError());
      return {};
    }
    return std::move(*results);
  }

  /// Evaluates `func` expecting an error, and returns its message.
  std::string errorOf(func::FuncOp func, llvm::ArrayRef<ref::Tensor> inputs) {
    llvm::Expected<std::vector<ref::Tensor>> results =
        ref::evaluate(func, inputs);
    if (results) {
      ADD_FAILURE() << "expected an error";
      return "";
    }
    return llvm::toString(results.takeError());
  }

  /// A tensor of `shape` with values uniform in [-1, 1).
  ref::Tensor random(std::vector<int64_t> shape) {
    ref::Tensor t(std::move(shape));
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    for (double &x : t.data)
      x = dist(rng);
    return t;
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  std::mt19937 rng{20261122};
};

/// The tensor in `result`, or an empty one after failing the test.
ref::Tensor value(llvm::Expected<ref::Tensor> result) {
  if (!result) {
    ADD_FAILURE() << llvm::toString(result.takeError());
    return {};
  }
  return std::move(*result);
}

/// Expects two tensors to be identical, element for element.
void expectIdentical(const ref::Tensor &actual, const ref::Tensor &expected) {
  ASSERT_EQ(actual.shape, expected.shape);
  for (size_t i = 0; i < expected.data.size(); ++i)
    ASSERT_EQ(actual.data[i], expected.data[i]) << "at flat index " << i;
}

// With all-zero queries every visible key scores the same, so each output
// row is the mean of the visible value rows: a hand-checkable result that
// depends on `causal` and `window` being read. Window [1, -1] with causal:
// query i sees keys i-1 and i.
TEST_F(InterpreterTest, CausalWindowSdpaAveragesVisibleValues) {
  func::FuncOp f = parse(R"mlir(
    func.func @f(%q: tensor<1x1x3x2xf32>, %k: tensor<1x1x3x2xf32>,
                 %v: tensor<1x1x3x1xf32>) -> tensor<1x1x3x1xf32> {
      %o = attn.sdpa %q, %k, %v {causal, window = array<i64: 1, -1>}
          : (tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>, tensor<1x1x3x1xf32>)
          -> tensor<1x1x3x1xf32>
      return %o : tensor<1x1x3x1xf32>
    })mlir");
  ASSERT_TRUE(f);
  ref::Tensor q({1, 1, 3, 2}, 0.0);
  ref::Tensor k({1, 1, 3, 2}, {1, 2, 3, 4, 5, 6});
  ref::Tensor v({1, 1, 3, 1}, {10, 20, 40});
  std::vector<ref::Tensor> out = run(f, {q, k, v});
  ASSERT_EQ(out.size(), 1u);
  // Row 0 sees key 0; row 1 sees keys 0-1; row 2 sees keys 1-2.
  EXPECT_DOUBLE_EQ(out[0].data[0], 10.0);
  EXPECT_DOUBLE_EQ(out[0].data[1], 15.0);
  EXPECT_DOUBLE_EQ(out[0].data[2], 30.0);
}

// An i1 mask hides keys; an f32 mask of the same pattern in 0/-inf must give
// the same result, so the interpreter picks the mask kind from the type.
TEST_F(InterpreterTest, MaskKindFollowsElementType) {
  func::FuncOp f = parse(R"mlir(
    func.func @f(%q: tensor<1x1x2x2xf32>, %v: tensor<1x1x2x1xf32>)
        -> (tensor<1x1x2x1xf32>, tensor<1x1x2x1xf32>) {
      %b = arith.constant dense<[[true, false], [true, true]]> : tensor<2x2xi1>
      %m = arith.constant dense<[[0.0, 0xFF800000], [0.0, 0.0]]>
          : tensor<2x2xf32>
      %o1 = attn.sdpa %q, %q, %v mask(%b)
          : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x1xf32>,
             tensor<2x2xi1>) -> tensor<1x1x2x1xf32>
      %o2 = attn.sdpa %q, %q, %v mask(%m)
          : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x1xf32>,
             tensor<2x2xf32>) -> tensor<1x1x2x1xf32>
      return %o1, %o2 : tensor<1x1x2x1xf32>, tensor<1x1x2x1xf32>
    })mlir");
  ASSERT_TRUE(f);
  ref::Tensor q({1, 1, 2, 2}, 0.0);
  ref::Tensor v({1, 1, 2, 1}, {2, 6});
  std::vector<ref::Tensor> out = run(f, {q, v});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_DOUBLE_EQ(out[0].data[0], 2.0); // only key 0
  EXPECT_DOUBLE_EQ(out[0].data[1], 4.0); // mean of 2 and 6
  expectIdentical(out[1], out[0]);
}

// Each op gives exactly what a direct evaluator call with the options the
// IR spells gives. Any attribute read wrongly changes the numbers.
TEST_F(InterpreterTest, AttentionOpsMatchDirectCalls) {
  func::FuncOp f = parse(R"mlir(
    func.func @f(%q: tensor<2x4x3x8xf32>, %k: tensor<2x2x5x8xf32>,
                 %v: tensor<2x2x5x6xf32>, %m: tensor<3x5xf32>)
        -> (tensor<2x4x3x6xf32>, tensor<2x4x3x5xf32>, tensor<2x4x3x6xf32>) {
      %o, %w = attn.sdpa %q, %k, %v mask(%m)
          {scale = 0.7 : f64, softcap = 1.5 : f64,
           score = #attn.score<cosine>, window = array<i64: 2, 1>}
          : (tensor<2x4x3x8xf32>, tensor<2x2x5x8xf32>, tensor<2x2x5x6xf32>,
             tensor<3x5xf32>) -> (tensor<2x4x3x6xf32>, tensor<2x4x3x5xf32>)
      %h = attn.hard %q, %k, %v {causal, scale = 0.3 : f64}
          : (tensor<2x4x3x8xf32>, tensor<2x2x5x8xf32>, tensor<2x2x5x6xf32>)
          -> tensor<2x4x3x6xf32>
      return %o, %w, %h
          : tensor<2x4x3x6xf32>, tensor<2x4x3x5xf32>, tensor<2x4x3x6xf32>
    })mlir");
  ASSERT_TRUE(f);
  ref::Tensor q = random({2, 4, 3, 8}), k = random({2, 2, 5, 8}),
              v = random({2, 2, 5, 6}), m = random({3, 5});
  std::vector<ref::Tensor> out = run(f, {q, k, v, m});
  ASSERT_EQ(out.size(), 3u);

  ref::AttentionOptions sdpaOptions;
  sdpaOptions.scale = 0.7;
  sdpaOptions.softcap = 1.5;
  sdpaOptions.score = ref::ScoreKind::Cosine;
  sdpaOptions.window = std::array<int64_t, 2>{2, 1};
  ref::Mask mask{m, ref::MaskKind::Additive};
  llvm::Expected<ref::AttentionResult> sdpa =
      ref::sdpa(q, k, v, &mask, sdpaOptions, /*wantWeights=*/true);
  ASSERT_TRUE(static_cast<bool>(sdpa)) << llvm::toString(sdpa.takeError());
  expectIdentical(out[0], sdpa->output);
  expectIdentical(out[1], sdpa->weights);

  ref::AttentionOptions hardOptions;
  hardOptions.causal = true;
  hardOptions.scale = 0.3;
  expectIdentical(out[2], value(ref::hard(q, k, v, nullptr, hardOptions)));
}

TEST_F(InterpreterTest, AdditiveAndSoftmaxMatchDirectCalls) {
  func::FuncOp f = parse(R"mlir(
    func.func @f(%q: tensor<2x3x4xf32>, %k: tensor<2x5x6xf32>,
                 %v: tensor<2x5x2xf32>, %wq: tensor<7x4xf32>,
                 %wk: tensor<7x6xf32>, %e: tensor<7xf32>, %b: tensor<7xf32>,
                 %m: tensor<2x1x5xi1>)
        -> (tensor<2x3x2xf32>, tensor<2x3x5xf32>, tensor<2x3x4xf32>,
            tensor<2x3x4xf32>) {
      %o, %w = attn.additive %q, %k, %v, %wq, %wk, %e bias(%b) mask(%m)
          : (tensor<2x3x4xf32>, tensor<2x5x6xf32>, tensor<2x5x2xf32>,
             tensor<7x4xf32>, tensor<7x6xf32>, tensor<7xf32>, tensor<7xf32>,
             tensor<2x1x5xi1>) -> (tensor<2x3x2xf32>, tensor<2x3x5xf32>)
      %s = attn.softmax %q axis(-2) : tensor<2x3x4xf32>
      %l = attn.log_softmax %q axis(0) : tensor<2x3x4xf32>
      return %o, %w, %s, %l : tensor<2x3x2xf32>, tensor<2x3x5xf32>,
          tensor<2x3x4xf32>, tensor<2x3x4xf32>
    })mlir");
  ASSERT_TRUE(f);
  ref::Tensor q = random({2, 3, 4}), k = random({2, 5, 6}),
              v = random({2, 5, 2}), wq = random({7, 4}), wk = random({7, 6}),
              e = random({7}), b = random({7});
  ref::Tensor m({2, 1, 5}, {1, 0, 1, 1, 0, 0, 1, 1, 1, 1});
  std::vector<ref::Tensor> out = run(f, {q, k, v, wq, wk, e, b, m});
  ASSERT_EQ(out.size(), 4u);

  ref::Mask mask{m, ref::MaskKind::Boolean};
  llvm::Expected<ref::AttentionResult> additive =
      ref::additive(q, k, v, wq, wk, &b, e, &mask, /*wantWeights=*/true);
  ASSERT_TRUE(static_cast<bool>(additive))
      << llvm::toString(additive.takeError());
  expectIdentical(out[0], additive->output);
  expectIdentical(out[1], additive->weights);
  expectIdentical(out[2], value(ref::softmax(q, 1)));
  expectIdentical(out[3], value(ref::logSoftmax(q, 0)));
}

TEST_F(InterpreterTest, BuildingBlocksMatchDirectCalls) {
  func::FuncOp f = parse(R"mlir(
    func.func @f(%x: tensor<2x3x4xf32>, %w: tensor<5x4xf32>,
                 %b: tensor<5xf32>, %g: tensor<4xf32>, %beta: tensor<4xf32>,
                 %w1: tensor<6x4xf32>, %b1: tensor<6xf32>,
                 %w2: tensor<4x6xf32>, %b2: tensor<4xf32>,
                 %table: tensor<9x4xf32>)
        -> (tensor<2x3x5xf32>, tensor<2x3x5xf32>, tensor<2x3x4xf32>,
            tensor<2x3x4xf32>, tensor<2x2x4xf32>, tensor<2x3x4xf32>,
            tensor<2x3x4xf32>) {
      %ids = arith.constant dense<[[0, 8], [3, 3]]> : tensor<2x2xi64>
      %l1 = attn.linear %x, %w, %b
          : (tensor<2x3x4xf32>, tensor<5x4xf32>, tensor<5xf32>)
          -> tensor<2x3x5xf32>
      %l2 = attn.linear %x, %w
          : (tensor<2x3x4xf32>, tensor<5x4xf32>) -> tensor<2x3x5xf32>
      %n = attn.layer_norm %x, %g, %beta {epsilon = 0.25 : f64}
          : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf32>)
          -> tensor<2x3x4xf32>
      %y = attn.ffn %x, %w1, %b1, %w2, %b2
          {activation = #attn.activation<gelu_tanh>}
          : (tensor<2x3x4xf32>, tensor<6x4xf32>, tensor<6xf32>,
             tensor<4x6xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
      %e = attn.embedding %ids, %table {scale = 2.0 : f64}
          : (tensor<2x2xi64>, tensor<9x4xf32>) -> tensor<2x2x4xf32>
      %ps = attn.positional_encoding %x {kind = #attn.positional<sinusoidal>}
          : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
      %pl = attn.positional_encoding %x, %table
          {kind = #attn.positional<learned>}
          : (tensor<2x3x4xf32>, tensor<9x4xf32>) -> tensor<2x3x4xf32>
      return %l1, %l2, %n, %y, %e, %ps, %pl
          : tensor<2x3x5xf32>, tensor<2x3x5xf32>, tensor<2x3x4xf32>,
            tensor<2x3x4xf32>, tensor<2x2x4xf32>, tensor<2x3x4xf32>,
            tensor<2x3x4xf32>
    })mlir");
  ASSERT_TRUE(f);
  ref::Tensor x = random({2, 3, 4}), w = random({5, 4}), b = random({5}),
              g = random({4}), beta = random({4}), w1 = random({6, 4}),
              b1 = random({6}), w2 = random({4, 6}), b2 = random({4}),
              table = random({9, 4});
  std::vector<ref::Tensor> out =
      run(f, {x, w, b, g, beta, w1, b1, w2, b2, table});
  ASSERT_EQ(out.size(), 7u);

  expectIdentical(out[0], value(ref::linear(x, w, &b)));
  expectIdentical(out[1], value(ref::linear(x, w, nullptr)));
  expectIdentical(out[2], value(ref::layerNorm(x, g, beta, 0.25)));
  expectIdentical(
      out[3], value(ref::ffn(x, {w1, b1, w2, b2}, ref::Activation::GeluTanh)));
  expectIdentical(out[4], value(ref::embedding(
                              ref::Tensor({2, 2}, {0, 8, 3, 3}), table, 2.0)));
  expectIdentical(out[5], value(ref::positionalEncoding(
                              x, ref::PositionalKind::Sinusoidal, nullptr)));
  expectIdentical(out[6], value(ref::positionalEncoding(
                              x, ref::PositionalKind::Learned, &table)));
}

/// IR for a multihead op and encoder/decoder layers sharing one set of
/// weights: E = 4, 2 query heads, 1 KV head (D = 2), FFN size 6.
const char *kLayersIR = R"mlir(
  func.func @f(%x: tensor<2x3x4xf32>, %mem: tensor<2x5x4xf32>,
               %wq: tensor<4x4xf32>, %bq: tensor<4xf32>,
               %wkv: tensor<2x4xf32>, %bkv: tensor<2xf32>,
               %wo: tensor<4x4xf32>, %bo: tensor<4xf32>,
               %g: tensor<4xf32>, %beta: tensor<4xf32>,
               %w1: tensor<6x4xf32>, %b1: tensor<6xf32>,
               %w2: tensor<4x6xf32>, %b2: tensor<4xf32>,
               %pad: tensor<2x1x1x5xi1>)
      -> (tensor<2x3x4xf32>, tensor<2x2x3x5xf32>, tensor<2x3x4xf32>,
          tensor<2x3x4xf32>) {
    %y, %w = attn.multihead %x, %mem, %mem q_proj(%wq, %bq)
        k_proj(%wkv, %bkv) v_proj(%wkv, %bkv) out_proj(%wo, %bo) mask(%pad)
        {num_heads = 2 : i64, num_kv_heads = 1 : i64, scale = 0.9 : f64}
        : (tensor<2x3x4xf32>, tensor<2x5x4xf32>, tensor<2x5x4xf32>,
           tensor<4x4xf32>, tensor<4xf32>, tensor<2x4xf32>, tensor<2xf32>,
           tensor<2x4xf32>, tensor<2xf32>, tensor<4x4xf32>, tensor<4xf32>,
           tensor<2x1x1x5xi1>) -> (tensor<2x3x4xf32>, tensor<2x2x3x5xf32>)
    %enc = attn.encoder_layer %x
        self_attn(%wq, %bq, %wkv, %bkv, %wkv, %bkv, %wo, %bo)
        norm1(%g, %beta) ffn(%w1, %b1, %w2, %b2) norm2(%beta, %g)
        {num_heads = 2 : i64, num_kv_heads = 1 : i64, norm = #attn.norm<pre>,
         activation = #attn.activation<gelu>, epsilon = 0.01 : f64, causal,
         softcap = 3.0 : f64}
        : (tensor<2x3x4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<2x4xf32>,
           tensor<2xf32>, tensor<2x4xf32>, tensor<2xf32>, tensor<4x4xf32>,
           tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<6x4xf32>,
           tensor<6xf32>, tensor<4x6xf32>, tensor<4xf32>, tensor<4xf32>,
           tensor<4xf32>) -> tensor<2x3x4xf32>
    %dec = attn.decoder_layer %x, %mem
        self_attn(%wq, %bq, %wkv, %bkv, %wkv, %bkv, %wo, %bo)
        norm1(%g, %beta)
        cross_attn(%wq, %bq, %wkv, %bkv, %wkv, %bkv, %wo, %bo)
        norm2(%beta, %g) ffn(%w1, %b1, %w2, %b2) norm3(%g, %g)
        memory_mask(%pad)
        {num_heads = 2 : i64, num_kv_heads = 1 : i64, window = array<i64: 1, -1>,
         score = #attn.score<cosine>, scale = 2.0 : f64}
        : (tensor<2x3x4xf32>, tensor<2x5x4xf32>, tensor<4x4xf32>,
           tensor<4xf32>, tensor<2x4xf32>, tensor<2xf32>, tensor<2x4xf32>,
           tensor<2xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>,
           tensor<4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<2x4xf32>,
           tensor<2xf32>, tensor<2x4xf32>, tensor<2xf32>, tensor<4x4xf32>,
           tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<6x4xf32>,
           tensor<6xf32>, tensor<4x6xf32>, tensor<4xf32>, tensor<4xf32>,
           tensor<4xf32>, tensor<2x1x1x5xi1>) -> tensor<2x3x4xf32>
    return %y, %w, %enc, %dec : tensor<2x3x4xf32>, tensor<2x2x3x5xf32>,
        tensor<2x3x4xf32>, tensor<2x3x4xf32>
  })mlir";

TEST_F(InterpreterTest, LayersMatchDirectCalls) {
  func::FuncOp f = parse(kLayersIR);
  ASSERT_TRUE(f);
  ref::Tensor x = random({2, 3, 4}), mem = random({2, 5, 4}),
              wq = random({4, 4}), bq = random({4}), wkv = random({2, 4}),
              bkv = random({2}), wo = random({4, 4}), bo = random({4}),
              g = random({4}), beta = random({4}), w1 = random({6, 4}),
              b1 = random({6}), w2 = random({4, 6}), b2 = random({4});
  ref::Tensor pad({2, 1, 1, 5}, {1, 1, 1, 0, 0, 1, 1, 1, 1, 1});
  std::vector<ref::Tensor> out =
      run(f, {x, mem, wq, bq, wkv, bkv, wo, bo, g, beta, w1, b1, w2, b2, pad});
  ASSERT_EQ(out.size(), 4u);

  ref::MultiheadWeights attention{wq, bq, wkv, bkv, wkv, bkv, wo, bo};
  ref::Mask mask{pad, ref::MaskKind::Boolean};
  ref::AttentionOptions mhaOptions;
  mhaOptions.scale = 0.9;
  llvm::Expected<ref::AttentionResult> mha =
      ref::multihead(x, mem, mem, attention, 2, 1, &mask, mhaOptions, true);
  ASSERT_TRUE(static_cast<bool>(mha)) << llvm::toString(mha.takeError());
  expectIdentical(out[0], mha->output);
  expectIdentical(out[1], mha->weights);

  ref::LayerConfig encoderConfig;
  encoderConfig.numHeads = 2;
  encoderConfig.numKvHeads = 1;
  encoderConfig.normFirst = true;
  encoderConfig.activation = ref::Activation::Gelu;
  encoderConfig.epsilon = 0.01;
  encoderConfig.attention.causal = true;
  encoderConfig.attention.softcap = 3.0;
  ref::EncoderLayerWeights encoderWeights{
      attention, {g, beta}, {w1, b1, w2, b2}, {beta, g}};
  expectIdentical(out[2], value(ref::encoderLayer(x, encoderWeights,
                                                  encoderConfig, nullptr)));

  ref::LayerConfig decoderConfig;
  decoderConfig.numHeads = 2;
  decoderConfig.numKvHeads = 1;
  decoderConfig.attention.window = std::array<int64_t, 2>{1, -1};
  decoderConfig.attention.score = ref::ScoreKind::Cosine;
  decoderConfig.attention.scale = 2.0;
  ref::DecoderLayerWeights decoderWeights{
      attention, {g, beta}, attention, {beta, g}, {w1, b1, w2, b2}, {g, g}};
  expectIdentical(out[3],
                  value(ref::decoderLayer(x, mem, decoderWeights, decoderConfig,
                                          nullptr, &mask)));
}

// Canonicalization must not change what IR computes: evaluate, canonicalize,
// evaluate again. The IR exercises every canonicalization pattern.
TEST_F(InterpreterTest, CanonicalizationPreservesValues) {
  func::FuncOp f = parse(R"mlir(
    func.func @f(%q: tensor<1x2x4x3xf32>, %x: tensor<2x3x4xf32>,
                 %w: tensor<5x4xf32>, %e: tensor<5xf32>)
        -> (tensor<1x2x4x3xf32>, tensor<1x2x4x3xf32>, tensor<1x2x4x3xf32>,
            tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<1x2x4x3xf32>) {
      %all = arith.constant dense<true> : tensor<4xi1>
      %zero = arith.constant dense<0.0> : tensor<2x3x3xf32>
      %a, %unused = attn.sdpa %q, %q, %q mask(%all)
          {window = array<i64: 2, 0>}
          : (tensor<1x2x4x3xf32>, tensor<1x2x4x3xf32>, tensor<1x2x4x3xf32>,
             tensor<4xi1>) -> (tensor<1x2x4x3xf32>, tensor<1x2x4x4xf32>)
      %b = attn.sdpa %q, %q, %q {causal, window = array<i64: 1, 3>}
          : (tensor<1x2x4x3xf32>, tensor<1x2x4x3xf32>, tensor<1x2x4x3xf32>)
          -> tensor<1x2x4x3xf32>
      %c = attn.hard %q, %q, %q {window = array<i64: -1, -1>}
          : (tensor<1x2x4x3xf32>, tensor<1x2x4x3xf32>, tensor<1x2x4x3xf32>)
          -> tensor<1x2x4x3xf32>
      %d, %dw = attn.additive %x, %x, %x, %w, %w, %e mask(%zero)
          : (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>,
             tensor<5x4xf32>, tensor<5x4xf32>, tensor<5xf32>,
             tensor<2x3x3xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x3xf32>)
      %s = attn.softmax %x axis(-1) : tensor<2x3x4xf32>
      %h = attn.hard %q, %q, %q {window = array<i64: -1, 0>}
          : (tensor<1x2x4x3xf32>, tensor<1x2x4x3xf32>, tensor<1x2x4x3xf32>)
          -> tensor<1x2x4x3xf32>
      return %a, %b, %c, %d, %s, %h
          : tensor<1x2x4x3xf32>, tensor<1x2x4x3xf32>, tensor<1x2x4x3xf32>,
            tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<1x2x4x3xf32>
    })mlir");
  ASSERT_TRUE(f);
  std::vector<ref::Tensor> inputs = {random({1, 2, 4, 3}), random({2, 3, 4}),
                                     random({5, 4}), random({5})};
  std::vector<ref::Tensor> before = run(f, inputs);

  PassManager pm(&context);
  pm.addPass(createCanonicalizerPass());
  ASSERT_TRUE(succeeded(pm.run(*module)));
  // The patterns fired: no constant masks and no window spelled [l, 0] left.
  int constants = 0;
  module->walk([&](arith::ConstantOp) { ++constants; });
  EXPECT_EQ(constants, 0);

  std::vector<ref::Tensor> after = run(f, inputs);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < before.size(); ++i)
    expectIdentical(after[i], before[i]);
}

TEST_F(InterpreterTest, InputsMustMatchTheSignature) {
  func::FuncOp f = parse(R"mlir(
    func.func @f(%x: tensor<2x?xf32>) -> tensor<2x?xf32> {
      %s = attn.softmax %x axis(1) : tensor<2x?xf32>
      return %s : tensor<2x?xf32>
    })mlir");
  ASSERT_TRUE(f);
  // A dynamic dimension takes the input's size.
  EXPECT_EQ(run(f, {random({2, 7})})[0].shape, (std::vector<int64_t>{2, 7}));
  EXPECT_EQ(errorOf(f, {}), "reference: function 'f' takes 1 inputs, got 0");
  EXPECT_EQ(errorOf(f, {random({3, 7})}),
            "reference: input 0 has shape [3, 7], expected [2, ?] (argument "
            "0 of 'f')");
}

TEST_F(InterpreterTest, UnsupportedOpsAreNamed) {
  func::FuncOp f = parse(R"mlir(
    func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
      %y = arith.addf %x, %x : tensor<4xf32> loc("model.mlir":3:7)
      return %y : tensor<4xf32>
    })mlir");
  ASSERT_TRUE(f);
  EXPECT_EQ(
      errorOf(f, {random({4})}),
      "reference: unsupported op 'arith.addf' at loc(\"model.mlir\":3:7)");
}

TEST_F(InterpreterTest, EvaluatorErrorsPropagate) {
  func::FuncOp f = parse(R"mlir(
    func.func @f(%ids: tensor<3xi64>, %t: tensor<4x2xf32>) -> tensor<3x2xf32> {
      %e = attn.embedding %ids, %t
          : (tensor<3xi64>, tensor<4x2xf32>) -> tensor<3x2xf32>
      return %e : tensor<3x2xf32>
    })mlir");
  ASSERT_TRUE(f);
  EXPECT_EQ(errorOf(f, {ref::Tensor({3}, {0, 9, 1}), random({4, 2})}),
            "embedding: index 9 at position 1 is out of range [0, 4)");
}

// The verifier lets a static result dimension stand beside a dynamic input
// one; if the input then disagrees, the interpreter says so.
TEST_F(InterpreterTest, ResultTypeMustFitTheComputedShape) {
  func::FuncOp f = parse(R"mlir(
    func.func @f(%q: tensor<1x1x?x2xf32>) -> tensor<1x1x3x2xf32> {
      %o = attn.sdpa %q, %q, %q
          : (tensor<1x1x?x2xf32>, tensor<1x1x?x2xf32>, tensor<1x1x?x2xf32>)
          -> tensor<1x1x3x2xf32> loc("model.mlir":2:12)
      return %o : tensor<1x1x3x2xf32>
    })mlir");
  ASSERT_TRUE(f);
  EXPECT_EQ(run(f, {random({1, 1, 3, 2})})[0].shape,
            (std::vector<int64_t>{1, 1, 3, 2}));
  EXPECT_EQ(errorOf(f, {random({1, 1, 5, 2})}),
            "reference: computed shape [1, 1, 5, 2] does not fit the result "
            "type [1, 1, 3, 2] at loc(\"model.mlir\":2:12)");
}

TEST_F(InterpreterTest, FunctionsItCannotRunAreNamed) {
  func::FuncOp external = parse(R"mlir(
    func.func private @g(tensor<2xf32>) -> tensor<2xf32>
  )mlir",
                                "g");
  ASSERT_TRUE(external);
  EXPECT_EQ(errorOf(external, {random({2})}),
            "reference: function 'g' has no body");

  func::FuncOp branches = parse(R"mlir(
    func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
      cf.br ^next
    ^next:
      return %x : tensor<2xf32>
    })mlir");
  ASSERT_TRUE(branches);
  EXPECT_EQ(errorOf(branches, {random({2})}),
            "reference: function 'f' has more than one block");

  func::FuncOp scalar = parse(R"mlir(
    func.func @f(%x: f32) -> f32 {
      return %x : f32
    })mlir");
  ASSERT_TRUE(scalar);
  EXPECT_EQ(errorOf(scalar, {ref::Tensor({}, 1.0)}),
            "reference: argument 0 of 'f' is not a ranked tensor");

  // Scalar constants feed linalg.fill and linalg.generic, but are no result.
  func::FuncOp scalarResult = parse(R"mlir(
    func.func @f() -> f32 {
      %c = arith.constant 1.0 : f32
      return %c : f32
    })mlir");
  ASSERT_TRUE(scalarResult);
  EXPECT_EQ(errorOf(scalarResult, {}),
            "reference: result 0 of 'f' is not a ranked tensor");

  // dense_resource constants are read (DynamicSizesSlicesAndResource-
  // Constants); sparse ones are not.
  func::FuncOp sparseConstant = parse(R"mlir(
    func.func @f() -> tensor<2xf32> {
      %c = arith.constant sparse<[[0]], [1.0]> : tensor<2xf32>
          loc("model.mlir":2:12)
      return %c : tensor<2xf32>
    })mlir");
  ASSERT_TRUE(sparseConstant);
  EXPECT_EQ(errorOf(sparseConstant, {}),
            "reference: only dense tensor constants are supported, at "
            "loc(\"model.mlir\":2:12)");
}

// IR built from C++ need not be verified; a body without a return is an
// error, not a crash.
TEST_F(InterpreterTest, UnterminatedBodyIsAnError) {
  OpBuilder builder(&context);
  module = ModuleOp::create(builder.getUnknownLoc());
  builder.setInsertionPointToEnd(module->getBody());
  auto f = func::FuncOp::create(builder, builder.getUnknownLoc(), "f",
                                builder.getFunctionType({}, {}));
  f.addEntryBlock();
  EXPECT_EQ(errorOf(f, {}), "reference: function 'f' does not end in a return");
}

//===----------------------------------------------------------------------===//
// Structural ops that importers emit around attn ops
//===----------------------------------------------------------------------===//

TEST_F(InterpreterTest, ReshapesTransposeAndConcatMoveValues) {
  func::FuncOp f = parse(R"mlir(
    func.func @f(%x: tensor<1x2x6xf32>, %p: tensor<1x3x1x2xf32>)
        -> (tensor<1x3x3x2xf32>, tensor<1x2x6xf32>) {
      %e = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [1, 2, 3, 2]
          : tensor<1x2x6xf32> into tensor<1x2x3x2xf32>
      %i = tensor.empty() : tensor<1x3x2x2xf32>
      %t = linalg.transpose ins(%e : tensor<1x2x3x2xf32>)
          outs(%i : tensor<1x3x2x2xf32>) permutation = [0, 2, 1, 3]
      %c = tensor.concat dim(2) %p, %t
          : (tensor<1x3x1x2xf32>, tensor<1x3x2x2xf32>) -> tensor<1x3x3x2xf32>
      %j = tensor.empty() : tensor<1x2x3x2xf32>
      %b = linalg.transpose ins(%t : tensor<1x3x2x2xf32>)
          outs(%j : tensor<1x2x3x2xf32>) permutation = [0, 2, 1, 3]
      %m = tensor.collapse_shape %b [[0], [1], [2, 3]]
          : tensor<1x2x3x2xf32> into tensor<1x2x6xf32>
      return %c, %m : tensor<1x3x3x2xf32>, tensor<1x2x6xf32>
    })mlir");
  ASSERT_TRUE(f);
  ref::Tensor x({1, 2, 6}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  ref::Tensor p({1, 3, 1, 2}, {-1, -2, -3, -4, -5, -6});
  std::vector<ref::Tensor> r = run(f, {x, p});
  ASSERT_EQ(r.size(), 2u);
  // Head h of row s is x[s, 2h:2h+2]; each head gets p's row first.
  expectIdentical(r[0], ref::Tensor({1, 3, 3, 2}, {-1, -2, 0, 1, 6, 7, //
                                                   -3, -4, 2, 3, 8, 9, //
                                                   -5, -6, 4, 5, 10, 11}));
  expectIdentical(r[1], x);
}

TEST_F(InterpreterTest, DynamicReshapeSolvesTheSize) {
  func::FuncOp f = parse(R"mlir(
    func.func @f(%x: tensor<?x4xf32>) -> tensor<?xf32> {
      %c = tensor.collapse_shape %x [[0, 1]] : tensor<?x4xf32> into tensor<?xf32>
      %c2 = arith.constant 2 : index
      %e = tensor.expand_shape %c [[0, 1]] output_shape [%c2, 4]
          : tensor<?xf32> into tensor<?x4xf32>
      %d = tensor.collapse_shape %e [[0, 1]] : tensor<?x4xf32> into tensor<?xf32>
      return %d : tensor<?xf32>
    })mlir");
  ASSERT_TRUE(f);
  ref::Tensor x = random({2, 4});
  std::vector<ref::Tensor> r = run(f, {x});
  ASSERT_EQ(r.size(), 1u);
  expectIdentical(r[0], ref::Tensor({8}, x.data));
}

// tensor.dim gives the sizes of dynamic tensor.empty and the offsets of
// tensor.extract_slice (plain, rank-reducing and strided); dense_resource
// constants are read in their element type.
TEST_F(InterpreterTest, DynamicSizesSlicesAndResourceConstants) {
  func::FuncOp f = parse(R"mlir(
    func.func @f(%x: tensor<?x3xf32>)
        -> (tensor<?x3xf32>, tensor<1x3xf32>, tensor<3xf32>, tensor<2xf32>,
            tensor<2x3xf32>, tensor<2xf16>, tensor<2xbf16>, tensor<2xi64>) {
      %c0 = arith.constant 0 : index
      %n = tensor.dim %x, %c0 : tensor<?x3xf32>
      %e = tensor.empty(%n) : tensor<?x3xf32>
      %c1 = arith.constant 1 : index
      %s = tensor.extract_slice %x[%c1, 0] [1, 3] [1, 1]
          : tensor<?x3xf32> to tensor<1x3xf32>
      %w = arith.constant dense_resource<w32> : tensor<2x3xf32>
      %row = tensor.extract_slice %w[%c1, 0] [1, 3] [1, 1]
          : tensor<2x3xf32> to tensor<3xf32>
      %col = tensor.extract_slice %w[0, 0] [1, 2] [1, 2]
          : tensor<2x3xf32> to tensor<2xf32>
      %h = arith.constant dense_resource<w16> : tensor<2xf16>
      %b = arith.constant dense_resource<wbf16> : tensor<2xbf16>
      %i = arith.constant dense_resource<w64> : tensor<2xi64>
      return %e, %s, %row, %col, %w, %h, %b, %i
          : tensor<?x3xf32>, tensor<1x3xf32>, tensor<3xf32>, tensor<2xf32>,
            tensor<2x3xf32>, tensor<2xf16>, tensor<2xbf16>, tensor<2xi64>
    }
    {-#
      dialect_resources: { builtin: {
        w32: "0x040000000000803F00000040000040400000804000000000000080BF",
        w16: "0x02000000003C00C0",
        wbf16: "0x02000000803F00C0",
        w64: "0x08000000FDFFFFFFFFFFFFFF0700000000000000"
      } }
    #-})mlir");
  ASSERT_TRUE(f);
  ref::Tensor x({3, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8});
  std::vector<ref::Tensor> r = run(f, {x});
  ASSERT_EQ(r.size(), 8u);
  expectIdentical(r[0], ref::Tensor({3, 3}));
  expectIdentical(r[1], ref::Tensor({1, 3}, {3, 4, 5}));
  expectIdentical(r[2], ref::Tensor({3}, {4, 0, -1}));
  expectIdentical(r[3], ref::Tensor({2}, {1, 3}));
  expectIdentical(r[4], ref::Tensor({2, 3}, {1, 2, 3, 4, 0, -1}));
  expectIdentical(r[5], ref::Tensor({2}, {1, -2}));
  expectIdentical(r[6], ref::Tensor({2}, {1, -2}));
  expectIdentical(r[7], ref::Tensor({2}, {-3, 7}));
}

TEST_F(InterpreterTest, GenericComputesReductionsAndScalarBodies) {
  // scores[h, i, j] = tanh(sum_d q[h, i, d] * k[h / 2, j, d]) masked where
  // j > i: the shape of what the ONNX importer emits.
  func::FuncOp f = parse(R"mlir(
    func.func @f(%q: tensor<2x2x3xf32>, %k: tensor<1x2x3xf32>)
        -> tensor<2x2x2xf16> {
      %z = arith.constant 0.0 : f32
      %e = tensor.empty() : tensor<2x2x2xf32>
      %init = linalg.fill ins(%z : f32) outs(%e : tensor<2x2x2xf32>)
          -> tensor<2x2x2xf32>
      %s = linalg.generic {
          indexing_maps = [affine_map<(h, i, j, d) -> (h, i, d)>,
                           affine_map<(h, i, j, d) -> (h floordiv 2, j, d)>,
                           affine_map<(h, i, j, d) -> (h, i, j)>],
          iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
          ins(%q, %k : tensor<2x2x3xf32>, tensor<1x2x3xf32>)
          outs(%init : tensor<2x2x2xf32>) {
      ^bb0(%a: f32, %b: f32, %acc: f32):
        %p = arith.mulf %a, %b : f32
        %n = arith.addf %acc, %p : f32
        linalg.yield %n : f32
      } -> tensor<2x2x2xf32>
      %o = tensor.empty() : tensor<2x2x2xf16>
      %r = linalg.generic {
          indexing_maps = [affine_map<(h, i, j) -> (h, i, j)>,
                           affine_map<(h, i, j) -> (h, i, j)>],
          iterator_types = ["parallel", "parallel", "parallel"]}
          ins(%s : tensor<2x2x2xf32>) outs(%o : tensor<2x2x2xf16>) {
      ^bb0(%x: f32, %out: f16):
        %t = math.tanh %x : f32
        %i = linalg.index 1 : index
        %j = linalg.index 2 : index
        %j64 = arith.index_cast %j : index to i64
        %i64 = arith.index_cast %i : index to i64
        %hidden = arith.cmpi sgt, %j64, %i64 : i64
        %ninf = arith.constant 0xFF800000 : f32
        %v = arith.select %hidden, %ninf, %t : f32
        %h = arith.truncf %v : f32 to f16
        linalg.yield %h : f16
      } -> tensor<2x2x2xf16>
      return %r : tensor<2x2x2xf16>
    })mlir");
  ASSERT_TRUE(f);
  ref::Tensor q = random({2, 2, 3}), k = random({1, 2, 3});
  std::vector<ref::Tensor> r = run(f, {q, k});
  ASSERT_EQ(r.size(), 1u);
  ref::Tensor expected({2, 2, 2});
  for (int64_t h = 0; h < 2; ++h)
    for (int64_t i = 0; i < 2; ++i)
      for (int64_t j = 0; j < 2; ++j) {
        double dot = 0;
        for (int64_t d = 0; d < 3; ++d)
          dot += q.data[(h * 2 + i) * 3 + d] * k.data[j * 3 + d];
        expected.data[(h * 2 + i) * 2 + j] =
            j > i ? -std::numeric_limits<double>::infinity() : std::tanh(dot);
      }
  ASSERT_EQ(r[0].shape, expected.shape);
  for (size_t i = 0; i < expected.data.size(); ++i)
    EXPECT_DOUBLE_EQ(r[0].data[i], expected.data[i]) << "element " << i;
}

TEST_F(InterpreterTest, UnsupportedGenericBodyOpsAreNamed) {
  func::FuncOp f = parse(R"mlir(
    func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
      %e = tensor.empty() : tensor<2xf32>
      %r = linalg.generic {
          indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
          iterator_types = ["parallel"]}
          ins(%x : tensor<2xf32>) outs(%e : tensor<2xf32>) {
      ^bb0(%a: f32, %out: f32):
        %y = math.log %a : f32 loc("model.mlir":8:14)
        linalg.yield %y : f32
      } -> tensor<2xf32>
      return %r : tensor<2xf32>
    })mlir");
  ASSERT_TRUE(f);
  EXPECT_EQ(errorOf(f, {random({2})}),
            "reference: unsupported op 'math.log' in the body of "
            "linalg.generic at loc(\"model.mlir\":8:14)");
}

TEST_F(InterpreterTest, ReduceMatmulAndFormulaBodies) {
  // y[i, j] = erf(sum_k x[i, k] * w[k, j]) ^ 2 + rsqrt(mean_k x[i, k]^2),
  // through linalg.matmul, linalg.reduce and math.erf/powf/rsqrt: ONNX
  // MatMul, ReduceMean, Erf and Pow as the importer writes them.
  func::FuncOp f = parse(R"mlir(
    func.func @f(%x: tensor<2x3xf32>, %w: tensor<3x2xf32>) -> tensor<2x2xf32> {
      %z = arith.constant 0.0 : f32
      %e = tensor.empty() : tensor<2x2xf32>
      %init = linalg.fill ins(%z : f32) outs(%e : tensor<2x2xf32>)
          -> tensor<2x2xf32>
      %p = linalg.matmul ins(%x, %w : tensor<2x3xf32>, tensor<3x2xf32>)
          outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
      %e1 = tensor.empty() : tensor<2xf32>
      %init1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<2xf32>)
          -> tensor<2xf32>
      %sq = tensor.empty() : tensor<2x3xf32>
      %x2 = linalg.generic {
          indexing_maps = [affine_map<(i, k) -> (i, k)>,
                           affine_map<(i, k) -> (i, k)>],
          iterator_types = ["parallel", "parallel"]}
          ins(%x : tensor<2x3xf32>) outs(%sq : tensor<2x3xf32>) {
      ^bb0(%a: f32, %out: f32):
        %m = arith.mulf %a, %a : f32
        linalg.yield %m : f32
      } -> tensor<2x3xf32>
      %s = linalg.reduce ins(%x2 : tensor<2x3xf32>)
          outs(%init1 : tensor<2xf32>) dimensions = [1]
        (%in: f32, %acc: f32) {
          %n = arith.addf %in, %acc : f32
          linalg.yield %n : f32
        }
      %r = linalg.generic {
          indexing_maps = [affine_map<(i, j) -> (i, j)>,
                           affine_map<(i, j) -> (i)>,
                           affine_map<(i, j) -> (i, j)>],
          iterator_types = ["parallel", "parallel"]}
          ins(%p, %s : tensor<2x2xf32>, tensor<2xf32>)
          outs(%e : tensor<2x2xf32>) {
      ^bb0(%a: f32, %b: f32, %out: f32):
        %three = arith.constant 3.0 : f32
        %two = arith.constant 2.0 : f32
        %erf = math.erf %a : f32
        %pow = math.powf %erf, %two : f32
        %mean = arith.divf %b, %three : f32
        %rs = math.rsqrt %mean : f32
        %y = arith.addf %pow, %rs : f32
        linalg.yield %y : f32
      } -> tensor<2x2xf32>
      return %r : tensor<2x2xf32>
    })mlir");
  ASSERT_TRUE(f);
  ref::Tensor x = random({2, 3}), w = random({3, 2});
  std::vector<ref::Tensor> r = run(f, {x, w});
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0].shape, (std::vector<int64_t>{2, 2}));
  for (int64_t i = 0; i < 2; ++i) {
    double sumSq = 0;
    for (int64_t k = 0; k < 3; ++k)
      sumSq += x.data[i * 3 + k] * x.data[i * 3 + k];
    for (int64_t j = 0; j < 2; ++j) {
      double dot = 0;
      for (int64_t k = 0; k < 3; ++k)
        dot += x.data[i * 3 + k] * w.data[k * 2 + j];
      double expected =
          std::pow(std::erf(dot), 2.0) + 1.0 / std::sqrt(sumSq / 3.0);
      EXPECT_NEAR(r[0].data[i * 2 + j], expected, 1e-12 * std::abs(expected))
          << "element " << i << ", " << j;
    }
  }
}

TEST_F(InterpreterTest, StructuralOpErrorsAreNamed) {
  func::FuncOp dynamicIndex = parse(R"mlir(
    func.func @f(%x: tensor<?xf32>, %y: tensor<2x2xf32>) -> tensor<?xf32> {
      %c = arith.constant 0 : index
      %n = tensor.dim %x, %c : tensor<?xf32>
      %m = tensor.dim %y, %n : tensor<2x2xf32> loc("model.mlir":4:12)
      %e = tensor.empty(%m) : tensor<?xf32>
      return %e : tensor<?xf32>
    })mlir");
  ASSERT_TRUE(dynamicIndex);
  EXPECT_EQ(errorOf(dynamicIndex, {random({1}), random({2, 2})}),
            "reference: tensor.dim without a constant, in-range index at "
            "loc(\"model.mlir\":4:12)");

  func::FuncOp pastTheEnd = parse(R"mlir(
    func.func @f(%x: tensor<?x3xf32>) -> tensor<1x3xf32> {
      %c = arith.constant 0 : index
      %n = tensor.dim %x, %c : tensor<?x3xf32>
      %s = tensor.extract_slice %x[%n, 0] [1, 3] [1, 1]
          : tensor<?x3xf32> to tensor<1x3xf32> loc("model.mlir":5:12)
      return %s : tensor<1x3xf32>
    })mlir");
  ASSERT_TRUE(pastTheEnd);
  EXPECT_EQ(errorOf(pastTheEnd, {random({2, 3})}),
            "reference: tensor.extract_slice reads out of bounds (dimension "
            "0: offset 2, size 1, extent 2) at loc(\"model.mlir\":5:12)");

  func::FuncOp elided = parse(R"mlir(
    func.func @f() -> tensor<2xf32> {
      %w = arith.constant dense_resource<__elided__> : tensor<2xf32>
      return %w : tensor<2xf32>
    })mlir");
  ASSERT_TRUE(elided);
  EXPECT_EQ(errorOf(elided, {}),
            "reference: dense_resource constant '__elided__' has no data");

  func::FuncOp short_ = parse(R"mlir(
    func.func @f() -> tensor<2xf32> {
      %w = arith.constant dense_resource<w> : tensor<2xf32>
      return %w : tensor<2xf32>
    }
    {-#
      dialect_resources: { builtin: { w: "0x040000000000803F" } }
    #-})mlir");
  ASSERT_TRUE(short_);
  EXPECT_EQ(errorOf(short_, {}),
            "reference: dense_resource constant 'w' holds 4 bytes, not 2 "
            "elements of its type");

  func::FuncOp twoDynamic = parse(R"mlir(
    func.func @f(%x: tensor<?xf32>) -> tensor<?x?xf32> {
      %c = arith.constant 2 : index
      %e = tensor.expand_shape %x [[0, 1]] output_shape [%c, %c]
          : tensor<?xf32> into tensor<?x?xf32> loc("model.mlir":4:12)
      return %e : tensor<?x?xf32>
    })mlir");
  ASSERT_TRUE(twoDynamic);
  EXPECT_EQ(errorOf(twoDynamic, {random({4})}),
            "reference: more than one dynamic dimension in a reassociation "
            "group of tensor.expand_shape at loc(\"model.mlir\":4:12)");

  // A dynamic operand lets a map read past its end; the verifier cannot see
  // it.
  func::FuncOp outOfBounds = parse(R"mlir(
    func.func @f(%x: tensor<?xf32>) -> tensor<2xf32> {
      %e = tensor.empty() : tensor<2xf32>
      %r = linalg.generic {
          indexing_maps = [affine_map<(i) -> (i + 1)>, affine_map<(i) -> (i)>],
          iterator_types = ["parallel"]}
          ins(%x : tensor<?xf32>) outs(%e : tensor<2xf32>) {
      ^bb0(%a: f32, %out: f32):
        linalg.yield %a : f32
      } -> tensor<2xf32> loc("model.mlir":4:12)
      return %r : tensor<2xf32>
    })mlir");
  ASSERT_TRUE(outOfBounds);
  EXPECT_EQ(errorOf(outOfBounds, {random({2})}),
            "reference: linalg.generic reads out of bounds, at "
            "loc(\"model.mlir\":4:12)");
}

} // namespace

// Canonicalization hoists constants out of generic bodies; the interpreter
// reads them from the enclosing scope.
TEST_F(InterpreterTest, GenericBodiesReadHoistedConstants) {
  func::FuncOp hoisted = parse(R"mlir(
    func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
      %c = arith.constant 3.0 : f32
      %e = tensor.empty() : tensor<2xf32>
      %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>,
                                            affine_map<(i) -> (i)>],
                           iterator_types = ["parallel"]}
          ins(%x : tensor<2xf32>) outs(%e : tensor<2xf32>) {
      ^bb0(%a: f32, %o: f32):
        %m = arith.mulf %a, %c : f32
        linalg.yield %m : f32
      } -> tensor<2xf32>
      return %r : tensor<2xf32>
    })mlir");
  ASSERT_TRUE(hoisted);
  llvm::Expected<std::vector<ref::Tensor>> out =
      ref::evaluate(hoisted, {ref::Tensor({2}, {1.5, -2.0})});
  ASSERT_TRUE(static_cast<bool>(out)) << llvm::toString(out.takeError());
  expectIdentical((*out)[0], ref::Tensor({2}, {4.5, -6.0}));
}
