//===- AttnOpsTest.cpp - C++ API tests for the attn dialect ---------------===//
//
// What frontends rely on: building attn ops from C++, the accessors that give
// attributes their defaults, and verifier diagnostics reaching the caller.
//
//===----------------------------------------------------------------------===//

#include "dialect/AttnOps.h"
#include "dialect/AttnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cmath>
#include <string>

using namespace mlir;
using namespace mlir::attn;

namespace {

class AttnOpsTest : public ::testing::Test {
protected:
  AttnOpsTest() : builder(&context) {
    context.loadDialect<AttnDialect, func::FuncDialect>();
    module = ModuleOp::create(builder.getUnknownLoc());
    builder.setInsertionPointToEnd(module->getBody());
  }

  /// A function taking `inputs` whose body the test fills.
  func::FuncOp makeFunc(TypeRange inputs) {
    auto func = func::FuncOp::create(builder, builder.getUnknownLoc(), "f",
                                     builder.getFunctionType(inputs, {}));
    builder.setInsertionPointToEnd(func.addEntryBlock());
    return func;
  }

  RankedTensorType f32(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF32Type());
  }

  /// Verifies `op`, returning the first diagnostic ("" when it verifies).
  std::string verifyMessage(Operation *op) {
    std::string message;
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      if (message.empty())
        message = diag.str();
      return success();
    });
    if (succeeded(verify(op)))
      return "";
    return message;
  }

  MLIRContext context;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
};

TEST_F(AttnOpsTest, BuildsGroupedQuerySdpaWithDefaultScale) {
  RankedTensorType q = f32({2, 8, 16, 64}), kv = f32({2, 2, 32, 64});
  func::FuncOp func = makeFunc({q, kv, kv});
  Block &body = func.getBody().front();
  auto sdpa =
      SDPAOp::create(builder, builder.getUnknownLoc(), body.getArgument(0),
                     body.getArgument(1), body.getArgument(2), /*mask=*/Value(),
                     /*returnWeights=*/true);
  sdpa.setCausal(true);
  func::ReturnOp::create(builder, builder.getUnknownLoc());

  EXPECT_EQ(verifyMessage(*module), "");
  EXPECT_EQ(sdpa.getOutput().getType(), f32({2, 8, 16, 64}));
  ASSERT_TRUE(sdpa.getWeights());
  EXPECT_EQ(sdpa.getWeights().getType(), f32({2, 8, 16, 32}));
  EXPECT_DOUBLE_EQ(sdpa.getEffectiveScale(), 1.0 / 8.0);
  sdpa.setScaleAttr(builder.getF64FloatAttr(0.5));
  EXPECT_DOUBLE_EQ(sdpa.getEffectiveScale(), 0.5);
}

TEST_F(AttnOpsTest, VerifierMessageNamesTheOperands) {
  RankedTensorType q = f32({1, 8, 4, 16}), kv = f32({1, 3, 4, 16});
  func::FuncOp func = makeFunc({q, kv, kv});
  Block &body = func.getBody().front();
  auto sdpa =
      SDPAOp::create(builder, builder.getUnknownLoc(), body.getArgument(0),
                     body.getArgument(1), body.getArgument(2));
  EXPECT_EQ(verifyMessage(sdpa),
            "'attn.sdpa' op key head count 3 does not divide query head "
            "count 8");
}

TEST_F(AttnOpsTest, ParsedMultiheadDefaultsKvHeadsToHeads) {
  const char *ir = R"mlir(
    func.func @f(%x: tensor<2x5x16xf32>, %w: tensor<16x16xf32>,
                 %b: tensor<16xf32>) -> tensor<2x5x16xf32> {
      %y = attn.multihead %x, %x, %x q_proj(%w, %b) k_proj(%w, %b)
          v_proj(%w, %b) out_proj(%w, %b) {num_heads = 4 : i64}
          : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>,
             tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>,
             tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>,
             tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
      return %y : tensor<2x5x16xf32>
    })mlir";
  OwningOpRef<ModuleOp> parsed = parseSourceString<ModuleOp>(ir, &context);
  ASSERT_TRUE(parsed);
  MultiheadOp mha;
  parsed->walk([&](MultiheadOp op) { mha = op; });
  ASSERT_TRUE(mha);
  EXPECT_EQ(mha.getEffectiveNumKvHeads(), 4);
  EXPECT_EQ(mha.getScore(), ScoreKind::Dot);
}

TEST_F(AttnOpsTest, SdpaSettingsThroughTheInterface) {
  RankedTensorType q = f32({1, 8, 16, 64}), kv = f32({1, 2, 32, 64});
  func::FuncOp func = makeFunc({q, kv, kv});
  Block &body = func.getBody().front();
  auto sdpa =
      SDPAOp::create(builder, builder.getUnknownLoc(), body.getArgument(0),
                     body.getArgument(1), body.getArgument(2));
  func::ReturnOp::create(builder, builder.getUnknownLoc());

  auto attention = dyn_cast<AttentionOpInterface>(sdpa.getOperation());
  ASSERT_TRUE(attention);
  AttentionSettings plain = attention.getAttentionSettings();
  EXPECT_FALSE(plain.scale);
  EXPECT_FALSE(plain.softcap);
  EXPECT_EQ(plain.score, ScoreKind::Dot);
  EXPECT_FALSE(plain.causal);
  EXPECT_FALSE(plain.window);
  EXPECT_EQ(plain.numHeads, 8);
  EXPECT_EQ(plain.numKvHeads, 2);
  EXPECT_EQ(plain.groupSize(), 4);
  EXPECT_DOUBLE_EQ(plain.effectiveScale(64), 1.0 / 8.0);
  EXPECT_EQ(plain.band().left, -1);
  EXPECT_EQ(plain.band().right, -1);

  sdpa.setScaleAttr(builder.getF64FloatAttr(0.25));
  sdpa.setSoftcapAttr(builder.getF64FloatAttr(30.0));
  sdpa.setScore(ScoreKind::Cosine);
  sdpa.setWindow(ArrayRef<int64_t>{8, 2});
  sdpa.setCausal(true);
  EXPECT_EQ(verifyMessage(*module), "");
  AttentionSettings set = attention.getAttentionSettings();
  EXPECT_EQ(set.scale, 0.25);
  EXPECT_EQ(set.softcap, 30.0);
  EXPECT_EQ(set.score, ScoreKind::Cosine);
  EXPECT_TRUE(set.causal);
  ASSERT_TRUE(set.window);
  EXPECT_EQ((*set.window)[0], 8);
  EXPECT_EQ((*set.window)[1], 2);
  EXPECT_DOUBLE_EQ(set.effectiveScale(64), 0.25);
  EXPECT_DOUBLE_EQ(sdpa.getEffectiveScale(), 0.25);
  // Causal caps the window's right bound at the diagonal.
  EXPECT_EQ(set.band().left, 8);
  EXPECT_EQ(set.band().right, 0);
}

TEST_F(AttnOpsTest, LayerSettingsThroughTheInterface) {
  const char *ir = R"mlir(
    func.func @f(%x: tensor<2x3x8xf32>, %mem: tensor<2x7x6xf32>,
                 %w: tensor<8x8xf32>, %b: tensor<8xf32>,
                 %wkv: tensor<4x8xf32>, %bkv: tensor<4xf32>,
                 %wmkv: tensor<4x6xf32>, %w1: tensor<16x8xf32>,
                 %b1: tensor<16xf32>, %w2: tensor<8x16xf32>,
                 %q: tensor<2x5x16xf32>, %k: tensor<2x7x12xf32>,
                 %wq: tensor<8x16xf32>, %wk: tensor<8x12xf32>)
        -> (tensor<2x3x8xf32>, tensor<2x3x8xf32>, tensor<2x5x12xf32>) {
      %m = attn.multihead %x, %x, %x q_proj(%w, %b) k_proj(%w, %b)
          v_proj(%w, %b) out_proj(%w, %b) {num_heads = 4 : i64, causal}
          : (tensor<2x3x8xf32>, tensor<2x3x8xf32>, tensor<2x3x8xf32>,
             tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>,
             tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>,
             tensor<8x8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
      %d = attn.decoder_layer %x, %mem
          self_attn(%w, %b, %wkv, %bkv, %wkv, %bkv, %w, %b) norm1(%b, %b)
          cross_attn(%w, %b, %wmkv, %bkv, %wmkv, %bkv, %w, %b)
          norm2(%b, %b) ffn(%w1, %b1, %w2, %b) norm3(%b, %b)
          {num_heads = 2 : i64, num_kv_heads = 1 : i64,
           window = array<i64: 4, -1>, scale = 0.5 : f64,
           softcap = 10.0 : f64, score = #attn.score<cosine>}
          : (tensor<2x3x8xf32>, tensor<2x7x6xf32>, tensor<8x8xf32>,
             tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>,
             tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>,
             tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x6xf32>,
             tensor<4xf32>, tensor<4x6xf32>, tensor<4xf32>, tensor<8x8xf32>,
             tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>,
             tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>,
             tensor<8xf32>) -> tensor<2x3x8xf32>
      %a = attn.additive %q, %k, %k, %wq, %wk, %b bias(%b)
          : (tensor<2x5x16xf32>, tensor<2x7x12xf32>, tensor<2x7x12xf32>,
             tensor<8x16xf32>, tensor<8x12xf32>, tensor<8xf32>,
             tensor<8xf32>) -> tensor<2x5x12xf32>
      return %m, %d, %a
          : tensor<2x3x8xf32>, tensor<2x3x8xf32>, tensor<2x5x12xf32>
    })mlir";
  OwningOpRef<ModuleOp> parsed = parseSourceString<ModuleOp>(ir, &context);
  ASSERT_TRUE(parsed);
  MultiheadOp mha;
  DecoderLayerOp decoder;
  AdditiveOp additive;
  parsed->walk([&](Operation *op) {
    if (auto m = dyn_cast<MultiheadOp>(op))
      mha = m;
    else if (auto d = dyn_cast<DecoderLayerOp>(op))
      decoder = d;
    else if (auto a = dyn_cast<AdditiveOp>(op))
      additive = a;
  });
  ASSERT_TRUE(mha && decoder && additive);

  AttentionSettings m = mha.getAttentionSettings();
  EXPECT_TRUE(m.causal);
  EXPECT_FALSE(m.scale);
  EXPECT_EQ(m.numHeads, 4);
  EXPECT_EQ(m.numKvHeads, 4); // num_kv_heads defaults to num_heads

  // A decoder's self-attention is causal without saying so.
  AttentionSettings d =
      cast<AttentionOpInterface>(decoder.getOperation()).getAttentionSettings();
  EXPECT_TRUE(d.causal);
  EXPECT_EQ(d.scale, 0.5);
  EXPECT_EQ(d.softcap, 10.0);
  EXPECT_EQ(d.score, ScoreKind::Cosine);
  EXPECT_EQ(d.numHeads, 2);
  EXPECT_EQ(d.numKvHeads, 1);
  ASSERT_TRUE(d.window);
  EXPECT_EQ(d.band().left, 4);
  EXPECT_EQ(d.band().right, 0);

  // Additive attention has none of these settings.
  EXPECT_FALSE(isa<AttentionOpInterface>(additive.getOperation()));
}

TEST_F(AttnOpsTest, EnumsRoundTripThroughStrings) {
  EXPECT_EQ(stringifyScoreKind(ScoreKind::Cosine), "cosine");
  EXPECT_EQ(symbolizeActivation("gelu_tanh"), Activation::GeluTanh);
  EXPECT_EQ(symbolizeNormPlacement("pre"), NormPlacement::Pre);
  EXPECT_EQ(symbolizePositionalKind("learned"), PositionalKind::Learned);
  EXPECT_FALSE(symbolizeActivation("swish").has_value());
}

} // namespace
