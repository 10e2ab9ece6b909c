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

TEST_F(AttnOpsTest, EnumsRoundTripThroughStrings) {
  EXPECT_EQ(stringifyScoreKind(ScoreKind::Cosine), "cosine");
  EXPECT_EQ(symbolizeActivation("gelu_tanh"), Activation::GeluTanh);
  EXPECT_EQ(symbolizeNormPlacement("pre"), NormPlacement::Pre);
  EXPECT_EQ(symbolizePositionalKind("learned"), PositionalKind::Learned);
  EXPECT_FALSE(symbolizeActivation("swish").has_value());
}

} // namespace
