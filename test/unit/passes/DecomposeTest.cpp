//===- DecomposeTest.cpp - attn-decompose and attn-fuse keep the semantics ===//
//
// The reference interpreter runs attn ops and the linalg.generic / reshape /
// transpose ops around them, so decomposed IR whose scalar ops it knows can
// be run by the oracle and compared with the oracle's run of the original
// ops: that checks the decomposition's formulas, not just its shape. Named
// linalg ops are generalized first. Where the scalar ops are outside what the
// interpreter evaluates (erf, log, pow, sin), the tests check the structure.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"
#include "reference/Interpreter.h"

#include "dialect/AttnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>
#include <string>

using namespace mlir;
using namespace attnc;

namespace {

class DecomposeTest : public ::testing::Test {
protected:
  DecomposeTest() {
    context.loadDialect<attn::AttnDialect, func::FuncDialect,
                        arith::ArithDialect, linalg::LinalgDialect,
                        math::MathDialect, tensor::TensorDialect>();
  }

  /// Parses `ir`, failing the test if it does not parse.
  OwningOpRef<ModuleOp> parse(const std::string &ir) {
    OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(ir, &context);
    EXPECT_TRUE(module) << "IR does not parse:\n" << ir;
    return module;
  }

  /// Runs `pass` on `module`, then generalizes named linalg ops so that the
  /// interpreter can run them.
  void transform(ModuleOp module, std::unique_ptr<Pass> pass) {
    PassManager pm(&context);
    pm.addPass(std::move(pass));
    pm.addPass(createLinalgGeneralizeNamedOpsPass());
    ASSERT_TRUE(succeeded(pm.run(module)));
    ASSERT_TRUE(succeeded(verify(module)));
    sinkConstants(module);
  }

  /// Copies the scalar constants a linalg.generic body uses from above into
  /// the body: the greedy rewriter hoists them out, and the interpreter reads
  /// only the body's own values.
  static void sinkConstants(ModuleOp module) {
    module.walk([](linalg::GenericOp generic) {
      Block &body = generic.getRegion().front();
      OpBuilder builder = OpBuilder::atBlockBegin(&body);
      body.walk([&](Operation *op) {
        for (OpOperand &use : op->getOpOperands()) {
          auto constant = use.get().getDefiningOp<arith::ConstantOp>();
          if (!constant || constant->getBlock() == &body)
            continue;
          use.set(builder.clone(*constant)->getResult(0));
        }
      });
    });
  }

  /// Evaluates function `name` of `module`, failing the test on an error.
  std::vector<ref::Tensor> run(ModuleOp module, StringRef name,
                               llvm::ArrayRef<ref::Tensor> inputs) {
    auto func = module.lookupSymbol<func::FuncOp>(name);
    if (!func) {
      ADD_FAILURE() << "no function " << name.str();
      return {};
    }
    llvm::Expected<std::vector<ref::Tensor>> results =
        ref::evaluate(func, inputs);
    if (!results) {
      ADD_FAILURE() << llvm::toString(results.takeError());
      return {};
    }
    return std::move(*results);
  }

  /// Random inputs for every argument of `name` (static shapes), values in
  /// [-1, 1); i1 arguments get random booleans.
  std::vector<ref::Tensor> inputsFor(ModuleOp module, StringRef name) {
    std::vector<ref::Tensor> inputs;
    auto func = module.lookupSymbol<func::FuncOp>(name);
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    for (Type type : func.getArgumentTypes()) {
      auto tensor = cast<RankedTensorType>(type);
      ref::Tensor t(std::vector<int64_t>(tensor.getShape()));
      for (double &x : t.data)
        x = tensor.getElementType().isInteger(1) ? (dist(rng) > -0.5 ? 1 : 0)
                                                 : dist(rng);
      inputs.push_back(std::move(t));
    }
    return inputs;
  }

  /// Decomposes a copy of `ir` and expects function `name` to give what the
  /// original gives. Both runs are fp64, but the decomposed IR holds its
  /// constants (epsilon, GELU's coefficients) rounded to f32, as compiled
  /// code will; that moves results by about 1e-8, while a wrong formula
  /// moves them by far more than the tolerance.
  void expectDecompositionPreserves(const std::string &ir, StringRef name) {
    OwningOpRef<ModuleOp> original = parse(ir);
    OwningOpRef<ModuleOp> decomposed = parse(ir);
    ASSERT_TRUE(original && decomposed);
    transform(*decomposed, attn::createAttnDecompose());
    decomposed->walk([&](Operation *op) {
      if (isa<attn::AttnDialect>(op->getDialect())) {
        EXPECT_TRUE((isa<attn::SDPAOp, attn::HardOp>(op)))
            << "left after decomposition: "
            << op->getName().getStringRef().str();
      }
    });
    std::vector<ref::Tensor> inputs = inputsFor(*original, name);
    std::vector<ref::Tensor> expected = run(*original, name, inputs);
    std::vector<ref::Tensor> actual = run(*decomposed, name, inputs);
    ASSERT_EQ(actual.size(), expected.size());
    for (size_t r = 0; r < expected.size(); ++r) {
      ASSERT_EQ(actual[r].shape, expected[r].shape) << "result " << r;
      for (size_t i = 0; i < expected[r].data.size(); ++i)
        EXPECT_NEAR(actual[r].data[i], expected[r].data[i],
                    1e-6 * (1 + std::fabs(expected[r].data[i])))
            << "result " << r << ", flat index " << i;
    }
  }

  MLIRContext context;
  std::mt19937 rng{20261122};
};

TEST_F(DecomposeTest, LinearMatchesReference) {
  expectDecompositionPreserves(R"mlir(
    func.func @f(%x: tensor<2x3x5xf32>, %v: tensor<5xf32>, %w: tensor<4x5xf32>,
                 %b: tensor<4xf32>) -> (tensor<2x3x4xf32>, tensor<4xf32>) {
      %y = attn.linear %x, %w, %b : (tensor<2x3x5xf32>, tensor<4x5xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
      %z = attn.linear %v, %w : (tensor<5xf32>, tensor<4x5xf32>) -> tensor<4xf32>
      return %y, %z : tensor<2x3x4xf32>, tensor<4xf32>
    })mlir",
                               "f");
}

TEST_F(DecomposeTest, LayerNormMatchesReference) {
  expectDecompositionPreserves(R"mlir(
    func.func @f(%x: tensor<3x6xf32>, %g: tensor<6xf32>, %b: tensor<6xf32>)
        -> tensor<3x6xf32> {
      %y = attn.layer_norm %x, %g, %b {epsilon = 0.5 : f64} : (tensor<3x6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<3x6xf32>
      return %y : tensor<3x6xf32>
    })mlir",
                               "f");
}

TEST_F(DecomposeTest, SoftmaxMatchesReferenceOnEveryAxis) {
  expectDecompositionPreserves(R"mlir(
    func.func @f(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
      %a = attn.softmax %x axis(0) : tensor<2x3x4xf32>
      %b = attn.softmax %x axis(1) : tensor<2x3x4xf32>
      %c = attn.softmax %x axis(-1) : tensor<2x3x4xf32>
      return %a, %b, %c : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
    })mlir",
                               "f");
}

TEST_F(DecomposeTest, FullyMaskedSoftmaxRowIsZero) {
  // Row 0 is all -inf; row 1 is partly -inf. The reference gives 0 and a
  // proper distribution; linalg.softmax would give NaN for row 0.
  OwningOpRef<ModuleOp> module = parse(R"mlir(
    func.func @f() -> tensor<2x3xf32> {
      %x = arith.constant dense<[[0xFF800000, 0xFF800000, 0xFF800000], [0xFF800000, 1.0, 2.0]]> : tensor<2x3xf32>
      %y = attn.softmax %x axis(1) : tensor<2x3xf32>
      return %y : tensor<2x3xf32>
    })mlir");
  ASSERT_TRUE(module);
  transform(*module, attn::createAttnDecompose());
  std::vector<ref::Tensor> result = run(*module, "f", {});
  ASSERT_EQ(result.size(), 1u);
  const std::vector<double> &y = result[0].data;
  EXPECT_EQ(y[0], 0.0);
  EXPECT_EQ(y[1], 0.0);
  EXPECT_EQ(y[2], 0.0);
  EXPECT_EQ(y[3], 0.0);
  EXPECT_NEAR(y[4], 1.0 / (1.0 + std::exp(1.0)), 1e-15);
  EXPECT_NEAR(y[5], 1.0 / (1.0 + std::exp(-1.0)), 1e-15);
}

TEST_F(DecomposeTest, FfnMatchesReference) {
  expectDecompositionPreserves(R"mlir(
    func.func @f(%x: tensor<2x3x4xf32>, %w1: tensor<6x4xf32>, %b1: tensor<6xf32>,
                 %w2: tensor<4x6xf32>, %b2: tensor<4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
      %r = attn.ffn %x, %w1, %b1, %w2, %b2 : (tensor<2x3x4xf32>, tensor<6x4xf32>, tensor<6xf32>, tensor<4x6xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
      %t = attn.ffn %x, %w1, %b1, %w2, %b2 {activation = #attn.activation<gelu_tanh>} : (tensor<2x3x4xf32>, tensor<6x4xf32>, tensor<6xf32>, tensor<4x6xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
      return %r, %t : tensor<2x3x4xf32>, tensor<2x3x4xf32>
    })mlir",
                               "f");
}

TEST_F(DecomposeTest, AdditiveMatchesReference) {
  expectDecompositionPreserves(R"mlir(
    func.func @f(%q: tensor<2x3x4xf32>, %k: tensor<2x5x6xf32>, %v: tensor<2x5x3xf32>,
                 %wq: tensor<7x4xf32>, %wk: tensor<7x6xf32>, %e: tensor<7xf32>,
                 %b: tensor<7xf32>, %m: tensor<2x1x5xi1>, %fm: tensor<3x5xf32>)
        -> (tensor<2x3x3xf32>, tensor<2x3x5xf32>, tensor<2x3x3xf32>) {
      %o, %w = attn.additive %q, %k, %v, %wq, %wk, %e bias(%b) mask(%m) : (tensor<2x3x4xf32>, tensor<2x5x6xf32>, tensor<2x5x3xf32>, tensor<7x4xf32>, tensor<7x6xf32>, tensor<7xf32>, tensor<7xf32>, tensor<2x1x5xi1>) -> (tensor<2x3x3xf32>, tensor<2x3x5xf32>)
      %o2 = attn.additive %q, %k, %v, %wq, %wk, %e mask(%fm) : (tensor<2x3x4xf32>, tensor<2x5x6xf32>, tensor<2x5x3xf32>, tensor<7x4xf32>, tensor<7x6xf32>, tensor<7xf32>, tensor<3x5xf32>) -> tensor<2x3x3xf32>
      return %o, %w, %o2 : tensor<2x3x3xf32>, tensor<2x3x5xf32>, tensor<2x3x3xf32>
    })mlir",
                               "f");
}

TEST_F(DecomposeTest, MultiheadMatchesReference) {
  // GQA, cosine scores, softcap, causal window, a mask and the weights: the
  // interpreter runs the resulting attn.sdpa with the forwarded attributes.
  expectDecompositionPreserves(R"mlir(
    func.func @f(%q: tensor<2x3x8xf32>, %kv: tensor<2x5x6xf32>,
                 %wq: tensor<8x8xf32>, %bq: tensor<8xf32>,
                 %wk: tensor<4x6xf32>, %bk: tensor<4xf32>,
                 %wv: tensor<6x6xf32>, %bv: tensor<6xf32>,
                 %wo: tensor<5x12xf32>, %bo: tensor<5xf32>,
                 %m: tensor<2x1x1x5xi1>) -> (tensor<2x3x5xf32>, tensor<2x4x3x5xf32>) {
      %o, %w = attn.multihead %q, %kv, %kv q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) mask(%m) {num_heads = 4 : i64, num_kv_heads = 2 : i64, scale = 0.7 : f64, softcap = 3.0 : f64, score = #attn.score<cosine>, causal, window = array<i64: 2, -1>} : (tensor<2x3x8xf32>, tensor<2x5x6xf32>, tensor<2x5x6xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x6xf32>, tensor<4xf32>, tensor<6x6xf32>, tensor<6xf32>, tensor<5x12xf32>, tensor<5xf32>, tensor<2x1x1x5xi1>) -> (tensor<2x3x5xf32>, tensor<2x4x3x5xf32>)
      return %o, %w : tensor<2x3x5xf32>, tensor<2x4x3x5xf32>
    })mlir",
                               "f");
}

/// An encoder and a decoder layer with every operand; `norm` and the other
/// attributes are spliced in.
std::string layersIR(const std::string &attrs) {
  return R"mlir(
    func.func @f(%x: tensor<2x3x8xf32>, %mem: tensor<2x4x6xf32>,
                 %w: tensor<8x8xf32>, %b: tensor<8xf32>,
                 %wkv: tensor<4x8xf32>, %bkv: tensor<4xf32>,
                 %wm: tensor<4x6xf32>, %g: tensor<8xf32>,
                 %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>,
                 %sm: tensor<2x1x3x3xf32>, %mm: tensor<2x1x1x4xi1>)
        -> (tensor<2x3x8xf32>, tensor<2x3x8xf32>) {
      %e = attn.encoder_layer %x self_attn(%w, %b, %wkv, %bkv, %wkv, %bkv, %w, %b) norm1(%g, %b) ffn(%w1, %b1, %w2, %b) norm2(%b, %g) mask(%sm) {num_heads = 2 : i64, num_kv_heads = 1 : i64, )mlir" +
         attrs +
         R"mlir(} : (tensor<2x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<2x1x3x3xf32>) -> tensor<2x3x8xf32>
      %d = attn.decoder_layer %x, %mem self_attn(%w, %b, %wkv, %bkv, %wkv, %bkv, %w, %b) norm1(%g, %b) cross_attn(%w, %b, %wm, %bkv, %wm, %bkv, %w, %b) norm2(%b, %g) ffn(%w1, %b1, %w2, %b) norm3(%g, %g) self_mask(%sm) memory_mask(%mm) {num_heads = 2 : i64, num_kv_heads = 1 : i64, )mlir" +
         attrs +
         R"mlir(} : (tensor<2x3x8xf32>, tensor<2x4x6xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x6xf32>, tensor<4xf32>, tensor<4x6xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<2x1x3x3xf32>, tensor<2x1x1x4xi1>) -> tensor<2x3x8xf32>
      return %e, %d : tensor<2x3x8xf32>, tensor<2x3x8xf32>
    })mlir";
}

TEST_F(DecomposeTest, PostNormLayersMatchReference) {
  expectDecompositionPreserves(
      layersIR("epsilon = 0.01 : f64, scale = 0.6 : f64, softcap = 4.0 : f64"),
      "f");
}

TEST_F(DecomposeTest, PreNormLayersMatchReference) {
  expectDecompositionPreserves(
      layersIR(
          "norm = #attn.norm<pre>, activation = #attn.activation<gelu_tanh>, "
          "window = array<i64: 1, -1>, score = #attn.score<cosine>"),
      "f");
}

TEST_F(DecomposeTest, AttentionAttributesReachSdpa) {
  // Decoder self-attention is causal and keeps the window; cross-attention
  // is neither, but shares scale, softcap and score. The KV heads are not
  // repeated (sdpa's key keeps 1 head for 2 query heads).
  OwningOpRef<ModuleOp> module = parse(layersIR(
      "window = array<i64: 1, -1>, scale = 0.5 : f64, softcap = 2.0 : f64, "
      "score = #attn.score<cosine>"));
  ASSERT_TRUE(module);
  transform(*module, attn::createAttnDecompose());
  std::vector<attn::SDPAOp> sdpas;
  module->walk([&](attn::SDPAOp op) { sdpas.push_back(op); });
  ASSERT_EQ(sdpas.size(), 3u); // encoder self, decoder self, decoder cross
  for (attn::SDPAOp op : sdpas) {
    EXPECT_EQ(op.getEffectiveScale(), 0.5);
    ASSERT_TRUE(op.getSoftcap());
    EXPECT_EQ(op.getSoftcap()->convertToDouble(), 2.0);
    EXPECT_EQ(op.getScore(), attn::ScoreKind::Cosine);
    EXPECT_EQ(cast<RankedTensorType>(op.getKey().getType()).getDimSize(1), 1);
    EXPECT_EQ(cast<RankedTensorType>(op.getQuery().getType()).getDimSize(1), 2);
  }
  EXPECT_FALSE(sdpas[0].getCausal()); // the encoder has no causal attribute
  EXPECT_TRUE(sdpas[1].getCausal());
  EXPECT_TRUE(sdpas[1].getWindow().has_value());
  EXPECT_FALSE(sdpas[2].getCausal());
  EXPECT_FALSE(sdpas[2].getWindow().has_value());
  EXPECT_TRUE(sdpas[2].getMask());
}

/// softmax(0.5 * Q·Kᵀ + mask)·V in 4-D linalg.generic form; `scoreLinks` is
/// the IR from the scores %s to the softmax input %sc.
std::string chainIR(const std::string &scoreLinks) {
  return R"mlir(
    #qk_q = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
    #qk_k = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
    #qk_s = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
    #pv_p = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
    #pv_v = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
    #pv_o = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
    #id = affine_map<(b, h, i, j) -> (b, h, i, j)>
    func.func @f(%q: tensor<2x3x4x5xf32>, %k: tensor<2x3x6x5xf32>,
                 %v: tensor<2x3x6x7xf32>, %m: tensor<2x3x4x6xf32>) -> tensor<2x3x4x7xf32> {
      %zero = arith.constant 0.0 : f32
      %e = tensor.empty() : tensor<2x3x4x6xf32>
      %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3x4x6xf32>) -> tensor<2x3x4x6xf32>
      %s = linalg.generic {indexing_maps = [#qk_q, #qk_k, #qk_s], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%q, %k : tensor<2x3x4x5xf32>, tensor<2x3x6x5xf32>) outs(%f : tensor<2x3x4x6xf32>) {
      ^bb0(%a: f32, %b: f32, %acc: f32):
        %mul = arith.mulf %a, %b : f32
        %add = arith.addf %acc, %mul : f32
        linalg.yield %add : f32
      } -> tensor<2x3x4x6xf32>
)mlir" + scoreLinks +
         R"mlir(
      %p = attn.softmax %sc axis(3) : tensor<2x3x4x6xf32>
      %e4 = tensor.empty() : tensor<2x3x4x7xf32>
      %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x3x4x7xf32>) -> tensor<2x3x4x7xf32>
      %o = linalg.generic {indexing_maps = [#pv_p, #pv_v, #pv_o], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%p, %v : tensor<2x3x4x6xf32>, tensor<2x3x6x7xf32>) outs(%f4 : tensor<2x3x4x7xf32>) {
      ^bb0(%a: f32, %b: f32, %acc: f32):
        %mul = arith.mulf %a, %b : f32
        %add = arith.addf %acc, %mul : f32
        linalg.yield %add : f32
      } -> tensor<2x3x4x7xf32>
      return %o : tensor<2x3x4x7xf32>
    })mlir";
}

TEST_F(DecomposeTest, FusedChainMatchesUnfusedChain) {
  // Scale and mask as two links: the chain fuses, and the interpreter's run
  // of the sdpa equals its run of the unfused chain.
  const std::string ir = chainIR(R"mlir(
      %s2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s : tensor<2x3x4x6xf32>) outs(%e : tensor<2x3x4x6xf32>) {
      ^bb0(%a: f32, %o: f32):
        %c = arith.constant 0.5 : f32
        %r = arith.mulf %a, %c : f32
        linalg.yield %r : f32
      } -> tensor<2x3x4x6xf32>
      %sc = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s2, %m : tensor<2x3x4x6xf32>, tensor<2x3x4x6xf32>) outs(%e : tensor<2x3x4x6xf32>) {
      ^bb0(%a: f32, %b: f32, %o: f32):
        %r = arith.addf %a, %b : f32
        linalg.yield %r : f32
      } -> tensor<2x3x4x6xf32>)mlir");
  OwningOpRef<ModuleOp> original = parse(ir);
  OwningOpRef<ModuleOp> fused = parse(ir);
  ASSERT_TRUE(original && fused);
  transform(*fused, attn::createAttnFuse());
  std::vector<attn::SDPAOp> sdpas;
  fused->walk([&](attn::SDPAOp op) { sdpas.push_back(op); });
  ASSERT_EQ(sdpas.size(), 1u);
  EXPECT_EQ(sdpas[0].getEffectiveScale(), 0.5);
  EXPECT_TRUE(sdpas[0].getMask());
  fused->walk([&](Operation *op) {
    EXPECT_FALSE((isa<linalg::GenericOp, attn::SoftmaxOp>(op)))
        << op->getName().getStringRef().str() << " survived fusion";
  });

  std::vector<ref::Tensor> inputs = inputsFor(*original, "f");
  std::vector<ref::Tensor> expected = run(*original, "f", inputs);
  std::vector<ref::Tensor> actual = run(*fused, "f", inputs);
  ASSERT_EQ(actual.size(), 1u);
  ASSERT_EQ(expected.size(), 1u);
  ASSERT_EQ(actual[0].shape, expected[0].shape);
  for (size_t i = 0; i < expected[0].data.size(); ++i)
    EXPECT_NEAR(actual[0].data[i], expected[0].data[i], 1e-12)
        << "flat index " << i;
}

TEST_F(DecomposeTest, ScaleAndMaskInOneBodyDoNotFuse) {
  // One generic that both scales and masks is not a single link of the
  // chain; fusing only part of its body would change the numbers.
  OwningOpRef<ModuleOp> module = parse(chainIR(R"mlir(
      %sc = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s, %m : tensor<2x3x4x6xf32>, tensor<2x3x4x6xf32>) outs(%e : tensor<2x3x4x6xf32>) {
      ^bb0(%a: f32, %b: f32, %o: f32):
        %c = arith.constant 0.5 : f32
        %r = arith.mulf %a, %c : f32
        %r2 = arith.addf %r, %b : f32
        linalg.yield %r2 : f32
      } -> tensor<2x3x4x6xf32>)mlir"));
  ASSERT_TRUE(module);
  transform(*module, attn::createAttnFuse());
  int count = 0;
  module->walk([&](attn::SDPAOp) { ++count; });
  EXPECT_EQ(count, 0);
}

} // namespace
