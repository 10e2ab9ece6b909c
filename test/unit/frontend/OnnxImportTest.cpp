//===- OnnxImportTest.cpp - Tests of the ONNX Attention importer ----------===//
//
// Builds small ModelProtos in C++ and checks (1) the ops and attributes the
// importer emits for each feature, (2) that the oracle, run on the imported
// IR, computes the onnx 1.22.0 reference semantics written out by hand here
// (top-left causal, GQA, qk_matmul_output modes), (3) every import and
// TensorProto error.
//
//===----------------------------------------------------------------------===//

#include "frontend/OnnxImport.h"
#include "reference/Interpreter.h"

#include "dialect/AttnOps.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace mlir;
using namespace attnc;

namespace {

constexpr int F32 = onnx::TensorProto::FLOAT;
constexpr int F16 = onnx::TensorProto::FLOAT16;
constexpr int BOOL = onnx::TensorProto::BOOL;
constexpr int I64 = onnx::TensorProto::INT64;
const double inf = std::numeric_limits<double>::infinity();

class OnnxImportTest : public ::testing::Test {
protected:
  /// A valid model: one 4-D Attention with Q [1,2,3,4], K and V [1,2,5,4].
  OnnxImportTest() {
    model.set_ir_version(10);
    onnx::OperatorSetIdProto *opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(23);
    graph = model.mutable_graph();
    graph->set_name("g");
    node = graph->add_node();
    node->set_op_type("Attention");
    node->set_name("attn");
    addInput("Q", F32, {1, 2, 3, 4});
    addInput("K", F32, {1, 2, 5, 4});
    addInput("V", F32, {1, 2, 5, 4});
    addOutput("Y", F32, {1, 2, 3, 4});
  }

  /// Adds a graph input and, unless `nodeInput` is false, a node input.
  void addInput(const std::string &name, int type, std::vector<int64_t> shape,
                bool nodeInput = true) {
    onnx::ValueInfoProto *info = graph->add_input();
    setType(info, name, type, shape);
    if (nodeInput)
      node->add_input(name);
  }
  /// Adds a graph output and a node output.
  void addOutput(const std::string &name, int type,
                 std::vector<int64_t> shape) {
    setType(graph->add_output(), name, type, shape);
    node->add_output(name);
  }
  static void setType(onnx::ValueInfoProto *info, const std::string &name,
                      int type, const std::vector<int64_t> &shape) {
    info->set_name(name);
    onnx::TypeProto::Tensor *t = info->mutable_type()->mutable_tensor_type();
    t->set_elem_type(type);
    t->mutable_shape()->clear_dim();
    for (int64_t d : shape)
      t->mutable_shape()->add_dim()->set_dim_value(d);
  }
  /// The graph input or output called `name`.
  onnx::ValueInfoProto *info(const std::string &name) {
    for (onnx::ValueInfoProto &i : *graph->mutable_input())
      if (i.name() == name)
        return &i;
    for (onnx::ValueInfoProto &i : *graph->mutable_output())
      if (i.name() == name)
        return &i;
    ADD_FAILURE() << "no graph value " << name;
    return nullptr;
  }
  void reshape(const std::string &name, std::vector<int64_t> shape) {
    onnx::ValueInfoProto *i = info(name);
    setType(i, name, i->type().tensor_type().elem_type(), shape);
  }
  void retype(const std::string &name, int type) {
    info(name)->mutable_type()->mutable_tensor_type()->set_elem_type(type);
  }
  /// Sets the node inputs, "" for an absent optional one.
  void nodeInputs(std::vector<std::string> names) {
    node->clear_input();
    for (const std::string &n : names)
      node->add_input(n);
  }
  void intAttr(const std::string &name, int64_t value) {
    onnx::AttributeProto *a = node->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(value);
  }
  void floatAttr(const std::string &name, float value) {
    onnx::AttributeProto *a = node->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(value);
  }
  /// Makes the model 3-D: Q [1,3,8], K and V [1,5,4], 2 query heads and
  /// 1 KV head of size 4.
  void make3D() {
    reshape("Q", {1, 3, 8});
    reshape("K", {1, 5, 4});
    reshape("V", {1, 5, 4});
    reshape("Y", {1, 3, 8});
    intAttr("q_num_heads", 2);
    intAttr("kv_num_heads", 1);
  }

  /// Imports the model, failing the test on an error; returns @main.
  func::FuncOp import() {
    auto result = frontend::importOnnxBuffer(context, model.SerializeAsString(),
                                             "test.onnx");
    if (!result) {
      ADD_FAILURE() << toString(result.takeError());
      return nullptr;
    }
    module = std::move(*result);
    EXPECT_TRUE(succeeded(verify(*module)));
    return module->lookupSymbol<func::FuncOp>("main");
  }
  /// Imports the model expecting an error; returns its message.
  std::string errorOf() {
    auto result = frontend::importOnnxBuffer(context, model.SerializeAsString(),
                                             "test.onnx");
    if (result) {
      ADD_FAILURE() << "expected an import error";
      return "";
    }
    return toString(result.takeError());
  }
  /// How many ops `OpTy` the module holds.
  template <typename OpTy> int count() {
    int n = 0;
    module->walk([&](OpTy) { ++n; });
    return n;
  }
  attn::SDPAOp sdpa() {
    attn::SDPAOp op;
    module->walk([&](attn::SDPAOp o) { op = o; });
    return op;
  }
  std::string ir() {
    std::string s;
    llvm::raw_string_ostream os(s);
    module->print(os);
    return s;
  }

  /// A tensor of `shape` with values uniform in [-1, 1).
  ref::Tensor random(std::vector<int64_t> shape) {
    ref::Tensor t(std::move(shape));
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    for (double &x : t.data)
      x = dist(rng);
    return t;
  }
  std::vector<ref::Tensor> run(func::FuncOp func,
                               std::vector<ref::Tensor> inputs) {
    auto results = ref::evaluate(func, inputs);
    if (!results) {
      ADD_FAILURE() << toString(results.takeError());
      return {};
    }
    return std::move(*results);
  }

  void checkSoftcappedScores(int mode);

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  onnx::ModelProto model;
  onnx::GraphProto *graph;
  onnx::NodeProto *node;
  std::mt19937 rng{42};
};

/// Index of [b, h, i, j] in a row-major [B, H, I, J] tensor.
int64_t at(const std::vector<int64_t> &shape, int64_t b, int64_t h, int64_t i,
           int64_t j) {
  return ((b * shape[1] + h) * shape[2] + i) * shape[3] + j;
}

void expectNear(const ref::Tensor &actual, const ref::Tensor &expected) {
  ASSERT_EQ(actual.shape, expected.shape);
  for (size_t i = 0; i < expected.data.size(); ++i) {
    if (std::isinf(expected.data[i]))
      EXPECT_EQ(actual.data[i], expected.data[i]) << "element " << i;
    else
      EXPECT_NEAR(actual.data[i], expected.data[i], 1e-12) << "element " << i;
  }
}

//===----------------------------------------------------------------------===//
// What is emitted
//===----------------------------------------------------------------------===//

TEST_F(OnnxImportTest, FourDIsOneSdpaWithNamesOnTheFunction) {
  func::FuncOp func = import();
  ASSERT_TRUE(func);
  EXPECT_TRUE(func.isPublic());
  EXPECT_EQ(func.getNumArguments(), 3u);
  EXPECT_EQ(func.getFunctionType().getInput(1),
            RankedTensorType::get({1, 2, 5, 4}, Float32Type::get(&context)));
  auto names = func->getAttrOfType<ArrayAttr>("attnc.input_names");
  ASSERT_TRUE(names);
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(cast<StringAttr>(names[2]).getValue(), "V");
  auto outputs = func->getAttrOfType<ArrayAttr>("attnc.output_names");
  ASSERT_TRUE(outputs);
  ASSERT_EQ(outputs.size(), 1u);
  EXPECT_EQ(cast<StringAttr>(outputs[0]).getValue(), "Y");
  EXPECT_EQ(count<attn::SDPAOp>(), 1);
  // Nothing around it: no reshapes, no masks, no attributes.
  EXPECT_EQ(func.getBody().front().getOperations().size(), 2u);
  attn::SDPAOp op = sdpa();
  EXPECT_FALSE(op.getScale());
  EXPECT_FALSE(op.getSoftcap());
  EXPECT_FALSE(op.getCausal());
  EXPECT_FALSE(op.getMask());
  EXPECT_FALSE(op.getWeights());
}

TEST_F(OnnxImportTest, ThreeDSplitsAndMergesHeadsWithoutRepeatingKV) {
  make3D();
  func::FuncOp func = import();
  ASSERT_TRUE(func);
  EXPECT_EQ(count<tensor::ExpandShapeOp>(), 3);
  EXPECT_EQ(count<linalg::TransposeOp>(), 4);
  EXPECT_EQ(count<tensor::CollapseShapeOp>(), 1);
  attn::SDPAOp op = sdpa();
  // GQA: two query heads share one KV head, read by attn.sdpa itself.
  EXPECT_EQ(op.getQuery().getType(),
            RankedTensorType::get({1, 2, 3, 4}, Float32Type::get(&context)));
  EXPECT_EQ(op.getKey().getType(),
            RankedTensorType::get({1, 1, 5, 4}, Float32Type::get(&context)));
  EXPECT_EQ(func.getFunctionType().getResult(0),
            RankedTensorType::get({1, 3, 8}, Float32Type::get(&context)));
}

TEST_F(OnnxImportTest, ScaleAndPositiveSoftcapBecomeAttributes) {
  floatAttr("scale", 0.25f);
  floatAttr("softcap", 2.0f);
  ASSERT_TRUE(import());
  EXPECT_EQ(sdpa().getScale()->convertToDouble(), 0.25);
  EXPECT_EQ(sdpa().getSoftcap()->convertToDouble(), 2.0);
}

TEST_F(OnnxImportTest, NonPositiveSoftcapIsNoSoftcap) {
  // The reference applies softcap only when it is positive.
  floatAttr("softcap", 0.0f);
  ASSERT_TRUE(import());
  EXPECT_FALSE(sdpa().getSoftcap());
}

TEST_F(OnnxImportTest, CausalWithOneQueryPerNewKeyIsTheAttribute) {
  // Lq == new keys: bottom-right and the reference's rule coincide.
  reshape("Q", {1, 2, 5, 4});
  reshape("Y", {1, 2, 5, 4});
  intAttr("is_causal", 1);
  ASSERT_TRUE(import());
  EXPECT_TRUE(sdpa().getCausal());
  EXPECT_FALSE(sdpa().getMask());
}

TEST_F(OnnxImportTest, CausalWithFewerQueriesIsAnExplicitTopLeftMask) {
  intAttr("is_causal", 1);
  func::FuncOp func = import();
  ASSERT_TRUE(func);
  EXPECT_FALSE(sdpa().getCausal());
  ASSERT_TRUE(sdpa().getMask());
  EXPECT_EQ(sdpa().getMask().getType(),
            RankedTensorType::get({1, 1, 3, 5}, Float32Type::get(&context)));

  ref::Tensor q = random({1, 2, 3, 4}), k = random({1, 2, 5, 4}),
              v = random({1, 2, 5, 4});
  // onnx 1.22.0: query i sees key j iff j <= i.
  ref::Mask topLeft{ref::Tensor({3, 5}), ref::MaskKind::Boolean};
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j <= i; ++j)
      topLeft.values.data[i * 5 + j] = 1;
  auto expected = ref::sdpa(q, k, v, &topLeft, {});
  ASSERT_TRUE(static_cast<bool>(expected));
  std::vector<ref::Tensor> results = run(func, {q, k, v});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0], expected->output);
}

TEST_F(OnnxImportTest, BoolMaskCoveringAllKeysIsPassedAsIs) {
  addInput("attn_mask", BOOL, {3, 5});
  ASSERT_TRUE(import());
  ASSERT_TRUE(sdpa().getMask());
  EXPECT_TRUE(isa<BlockArgument>(sdpa().getMask()));
}

TEST_F(OnnxImportTest, ShortMaskIsPaddedWithHiddenKeys) {
  addInput("attn_mask", F32, {3, 2});
  func::FuncOp func = import();
  ASSERT_TRUE(func);
  EXPECT_EQ(count<tensor::ConcatOp>(), 1);
  ASSERT_TRUE(sdpa().getMask());
  EXPECT_EQ(sdpa().getMask().getType(),
            RankedTensorType::get({3, 5}, Float32Type::get(&context)));

  ref::Tensor q = random({1, 2, 3, 4}), k = random({1, 2, 5, 4}),
              v = random({1, 2, 5, 4}), m = random({3, 2});
  ref::Mask padded{ref::Tensor({3, 5}, -inf), ref::MaskKind::Additive};
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 2; ++j)
      padded.values.data[i * 5 + j] = m.data[i * 2 + j];
  auto expected = ref::sdpa(q, k, v, &padded, {});
  ASSERT_TRUE(static_cast<bool>(expected));
  std::vector<ref::Tensor> results = run(func, {q, k, v, m});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0], expected->output);
}

TEST_F(OnnxImportTest, PastKeysAreConcatenatedIntoPresent) {
  addInput("attn_mask", BOOL, {3, 7});
  addInput("past_key", F32, {1, 2, 2, 4});
  addInput("past_value", F32, {1, 2, 2, 4});
  addOutput("present_key", F32, {1, 2, 7, 4});
  addOutput("present_value", F32, {1, 2, 7, 4});
  func::FuncOp func = import();
  ASSERT_TRUE(func);
  EXPECT_EQ(count<tensor::ConcatOp>(), 2);
  EXPECT_EQ(func.getNumResults(), 3u);
  EXPECT_EQ(sdpa().getKey().getType(),
            RankedTensorType::get({1, 2, 7, 4}, Float32Type::get(&context)));

  ref::Tensor q = random({1, 2, 3, 4}), k = random({1, 2, 5, 4}),
              v = random({1, 2, 5, 4}), pk = random({1, 2, 2, 4}),
              pv = random({1, 2, 2, 4});
  ref::Tensor mask({3, 7}, 1.0);
  std::vector<ref::Tensor> results = run(func, {q, k, v, mask, pk, pv});
  ASSERT_EQ(results.size(), 3u);
  // present_key[b, h, 0:2] is past_key, [2:7] is K.
  EXPECT_EQ(results[1].data[at({1, 2, 7, 4}, 0, 1, 1, 3)],
            pk.data[at({1, 2, 2, 4}, 0, 1, 1, 3)]);
  EXPECT_EQ(results[1].data[at({1, 2, 7, 4}, 0, 1, 2, 0)],
            k.data[at({1, 2, 5, 4}, 0, 1, 0, 0)]);
  EXPECT_EQ(results[2].data[at({1, 2, 7, 4}, 0, 0, 6, 2)],
            v.data[at({1, 2, 5, 4}, 0, 0, 4, 2)]);
}

TEST_F(OnnxImportTest, OutputsFollowGraphOrderNotNodeOrder) {
  addInput("past_key", F32, {1, 2, 2, 4}, /*nodeInput=*/false);
  addInput("past_value", F32, {1, 2, 2, 4}, /*nodeInput=*/false);
  nodeInputs({"Q", "K", "V", "", "past_key", "past_value"});
  node->clear_output();
  graph->clear_output();
  for (const char *name : {"Y", "present_key", "present_value"})
    node->add_output(name);
  setType(graph->add_output(), "present_value", F32, {1, 2, 7, 4});
  setType(graph->add_output(), "Y", F32, {1, 2, 3, 4});
  func::FuncOp func = import();
  ASSERT_TRUE(func);
  auto outputs = func->getAttrOfType<ArrayAttr>("attnc.output_names");
  ASSERT_EQ(outputs.size(), 2u);
  EXPECT_EQ(cast<StringAttr>(outputs[0]).getValue(), "present_value");
  EXPECT_EQ(cast<StringAttr>(outputs[1]).getValue(), "Y");
  EXPECT_EQ(func.getNumArguments(), 5u);
  // An absent attn_mask is no argument and no mask.
  EXPECT_FALSE(sdpa().getMask());
}

TEST_F(OnnxImportTest, Float16StaysFloat16) {
  for (const char *name : {"Q", "K", "V", "Y"})
    retype(name, F16);
  func::FuncOp func = import();
  ASSERT_TRUE(func);
  EXPECT_TRUE(cast<RankedTensorType>(sdpa().getQuery().getType())
                  .getElementType()
                  .isF16());
  EXPECT_EQ(count<arith::ExtFOp>(), 0);
}

TEST_F(OnnxImportTest, QkModeThreeIsTheSdpaWeights) {
  node->add_output("");
  node->add_output("");
  addOutput("qk", F32, {1, 2, 3, 5});
  intAttr("qk_matmul_output_mode", 3);
  func::FuncOp func = import();
  ASSERT_TRUE(func);
  ASSERT_TRUE(sdpa().getWeights());
  EXPECT_EQ(count<linalg::GenericOp>(), 0);
  Operation *ret = func.getBody().front().getTerminator();
  EXPECT_EQ(ret->getOperand(1), sdpa().getWeights());
}

/// The reference's qk_matmul_output: softcap(scale * q . k) (+ bias in mode 2)
/// with query head h reading KV head h / group.
ref::Tensor
expectedScores(const ref::Tensor &q, const ref::Tensor &k, double scale,
               double softcap,
               const std::function<double(int64_t, int64_t)> &bias) {
  int64_t B = q.shape[0], Hq = q.shape[1], Lq = q.shape[2], D = q.shape[3];
  int64_t Hkv = k.shape[1], Lk = k.shape[2];
  ref::Tensor s({B, Hq, Lq, Lk});
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < Hq; ++h)
      for (int64_t i = 0; i < Lq; ++i)
        for (int64_t j = 0; j < Lk; ++j) {
          double dot = 0;
          for (int64_t d = 0; d < D; ++d)
            dot += q.data[at(q.shape, b, h, i, d)] *
                   k.data[at(k.shape, b, h / (Hq / Hkv), j, d)];
          double x = scale * dot;
          if (softcap > 0)
            x = softcap * std::tanh(x / softcap);
          s.data[at(s.shape, b, h, i, j)] = x + bias(i, j);
        }
  return s;
}

/// onnx 1.22.0 returns the softcapped scores, without the mask, for modes 0
/// and 1 alike.
void OnnxImportTest::checkSoftcappedScores(int mode) {
  reshape("K", {1, 1, 5, 4});
  reshape("V", {1, 1, 5, 4});
  addInput("attn_mask", F32, {3, 5});
  node->add_output("");
  node->add_output("");
  addOutput("qk", F32, {1, 2, 3, 5});
  intAttr("qk_matmul_output_mode", mode);
  floatAttr("softcap", 0.5f);
  func::FuncOp func = import();
  ASSERT_TRUE(func);
  EXPECT_EQ(count<linalg::GenericOp>(), 2);

  ref::Tensor q = random({1, 2, 3, 4}), k = random({1, 1, 5, 4}),
              v = random({1, 1, 5, 4}), m = random({3, 5});
  std::vector<ref::Tensor> results = run(func, {q, k, v, m});
  ASSERT_EQ(results.size(), 2u);
  expectNear(results[1], expectedScores(q, k, 0.5, 0.5,
                                        [](int64_t, int64_t) { return 0.0; }));
}

TEST_F(OnnxImportTest, QkModeZeroIsSoftcappedScoresWithGqa) {
  checkSoftcappedScores(0);
}

TEST_F(OnnxImportTest, QkModeOneIsSoftcappedScoresToo) {
  checkSoftcappedScores(1);
}

TEST_F(OnnxImportTest, QkModeTwoAddsTheWholeBias) {
  // A bool mask, a past and a causal rule, all in the bias.
  addInput("attn_mask", BOOL, {3, 7});
  addInput("past_key", F32, {1, 2, 2, 4});
  addInput("past_value", F32, {1, 2, 2, 4});
  node->add_output("");
  node->add_output("");
  addOutput("qk", F32, {1, 2, 3, 7});
  intAttr("qk_matmul_output_mode", 2);
  intAttr("is_causal", 1);
  func::FuncOp func = import();
  ASSERT_TRUE(func);
  EXPECT_FALSE(sdpa().getCausal());

  ref::Tensor q = random({1, 2, 3, 4}), k = random({1, 2, 5, 4}),
              v = random({1, 2, 5, 4}), pk = random({1, 2, 2, 4}),
              pv = random({1, 2, 2, 4});
  ref::Tensor mask({3, 7}, 1.0);
  mask.data[0] = 0; // query 0 does not see key 0
  std::vector<ref::Tensor> results = run(func, {q, k, v, mask, pk, pv});
  ASSERT_EQ(results.size(), 2u);
  ref::Tensor present({1, 2, 7, 4});
  for (int64_t h = 0; h < 2; ++h)
    for (int64_t j = 0; j < 7; ++j)
      for (int64_t d = 0; d < 4; ++d)
        present.data[at(present.shape, 0, h, j, d)] =
            j < 2 ? pk.data[at(pk.shape, 0, h, j, d)]
                  : k.data[at(k.shape, 0, h, j - 2, d)];
  // Query i sees key j iff j <= i + past (2) and the mask allows it.
  auto bias = [&](int64_t i, int64_t j) {
    return (j > i + 2 || mask.data[i * 7 + j] == 0) ? -inf : 0.0;
  };
  expectNear(results[1], expectedScores(q, present, 0.5, 0, bias));
}

TEST_F(OnnxImportTest, NonpadKvSeqlenHidesPaddedKeys) {
  model.mutable_opset_import(0)->set_version(24);
  addInput("nonpad", I64, {1}, /*nodeInput=*/false);
  nodeInputs({"Q", "K", "V", "", "", "", "nonpad"});
  func::FuncOp func = import();
  ASSERT_TRUE(func);
  ASSERT_TRUE(sdpa().getMask());

  ref::Tensor q = random({1, 2, 3, 4}), k = random({1, 2, 5, 4}),
              v = random({1, 2, 5, 4});
  ref::Tensor lengths({1}, 3.0);
  ref::Mask firstThree{ref::Tensor({5}), ref::MaskKind::Boolean};
  for (int64_t j = 0; j < 3; ++j)
    firstThree.values.data[j] = 1;
  auto expected = ref::sdpa(q, k, v, &firstThree, {});
  ASSERT_TRUE(static_cast<bool>(expected));
  std::vector<ref::Tensor> results = run(func, {q, k, v, lengths});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0], expected->output);
}

TEST_F(OnnxImportTest, ThreeDOutputMatchesPerHeadSdpa) {
  make3D();
  func::FuncOp func = import();
  ASSERT_TRUE(func);
  ref::Tensor q = random({1, 3, 8}), k = random({1, 5, 4}),
              v = random({1, 5, 4});
  // Split by hand: Q head h is columns [4h, 4h+4).
  ref::Tensor q4({1, 2, 3, 4});
  for (int64_t h = 0; h < 2; ++h)
    for (int64_t i = 0; i < 3; ++i)
      for (int64_t d = 0; d < 4; ++d)
        q4.data[at(q4.shape, 0, h, i, d)] = q.data[i * 8 + h * 4 + d];
  ref::Tensor k4({1, 1, 5, 4}, k.data), v4({1, 1, 5, 4}, v.data);
  auto expected = ref::sdpa(q4, k4, v4, nullptr, {});
  ASSERT_TRUE(static_cast<bool>(expected));
  std::vector<ref::Tensor> results = run(func, {q, k, v});
  ASSERT_EQ(results.size(), 1u);
  ASSERT_EQ(results[0].shape, (std::vector<int64_t>{1, 3, 8}));
  for (int64_t h = 0; h < 2; ++h)
    for (int64_t i = 0; i < 3; ++i)
      for (int64_t d = 0; d < 4; ++d)
        EXPECT_NEAR(results[0].data[i * 8 + h * 4 + d],
                    expected->output.data[at(q4.shape, 0, h, i, d)], 1e-12);
}

TEST_F(OnnxImportTest, ImportsFromAFile) {
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("attnc-onnx", "onnx", path));
  {
    std::ofstream out(path.c_str(), std::ios::binary);
    model.SerializeToOstream(&out);
  }
  auto result = frontend::importOnnx(context, path);
  llvm::sys::fs::remove(path);
  ASSERT_TRUE(static_cast<bool>(result)) << toString(result.takeError());
  EXPECT_TRUE(succeeded(verify(**result)));
}

//===----------------------------------------------------------------------===//
// Errors: one case per message
//===----------------------------------------------------------------------===//

/// The fixture made usable outside a TEST_F, for table-driven error cases.
class OnnxImportErrorTest : public OnnxImportTest {
  void TestBody() override {}

public:
  using OnnxImportTest::addInput;
  using OnnxImportTest::errorOf;
  using OnnxImportTest::floatAttr;
  using OnnxImportTest::graph;
  using OnnxImportTest::intAttr;
  using OnnxImportTest::make3D;
  using OnnxImportTest::model;
  using OnnxImportTest::node;
  using OnnxImportTest::nodeInputs;
  using OnnxImportTest::reshape;
  using OnnxImportTest::retype;
  using OnnxImportTest::setType;
};

struct ErrorCase {
  const char *name;
  std::function<void(OnnxImportErrorTest &)> mutate;
  const char *message;
};

class OnnxImportErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(OnnxImportErrors, NameFileAndField) {
  OnnxImportErrorTest t;
  GetParam().mutate(t);
  std::string message = t.errorOf();
  EXPECT_NE(message.find("test.onnx: "), std::string::npos) << message;
  EXPECT_NE(message.find(GetParam().message), std::string::npos)
      << "got: " << message;
}

const ErrorCase errorCases[] = {
    {"NoDefaultOpset",
     [](auto &t) { t.model.mutable_opset_import(0)->set_domain("com.x"); },
     "model has no opset_import for the default ONNX domain"},
    {"Opset22",
     [](auto &t) { t.model.mutable_opset_import(0)->set_version(22); },
     "1 node is not supported:\n  node 'attn': Attention (opset 22)"},
    {"TwoNodes", [](auto &t) { t.graph->add_node()->set_op_type("Relu"); },
     "node #1 (Relu): required input X (index 0) is missing"},
    {"NotAttention", [](auto &t) { t.node->set_op_type("MatMul"); },
     "node 'attn' (MatMul): inner dimensions differ: A [1, 2, 3, 4], B "
     "[1, 2, 5, 4]"},
    {"OtherDomain", [](auto &t) { t.node->set_domain("com.microsoft"); },
     "node 'attn': com.microsoft.Attention (domain 'com.microsoft' is not "
     "imported by the model)"},
    {"UnknownAttribute", [](auto &t) { t.intAttr("num_heads", 2); },
     "node 'attn' (Attention): attribute 'num_heads' is not supported"},
    {"FloatAttributeAsInt", [](auto &t) { t.intAttr("scale", 1); },
     "attribute 'scale' must be a float"},
    {"IntAttributeAsFloat", [](auto &t) { t.floatAttr("is_causal", 1); },
     "attribute 'is_causal' must be an int"},
    {"NegativeScale", [](auto &t) { t.floatAttr("scale", -0.5f); },
     "attribute 'scale' must be positive and finite, got -0.5"},
    {"InfiniteSoftcap",
     [](auto &t) {
       t.floatAttr("softcap", std::numeric_limits<float>::infinity());
     },
     "attribute 'softcap' must be finite"},
    {"CausalTwo", [](auto &t) { t.intAttr("is_causal", 2); },
     "attribute 'is_causal' must be 0 or 1, got 2"},
    {"ZeroHeads", [](auto &t) { t.intAttr("q_num_heads", 0); },
     "attribute 'q_num_heads' must be positive, got 0"},
    {"QkMode4", [](auto &t) { t.intAttr("qk_matmul_output_mode", 4); },
     "attribute 'qk_matmul_output_mode' must be 0, 1, 2 or 3, got 4"},
    {"SoftmaxPrecisionDouble",
     [](auto &t) { t.intAttr("softmax_precision", onnx::TensorProto::DOUBLE); },
     "attribute 'softmax_precision' DOUBLE is not supported"},
    {"Initializer", [](auto &t) { t.graph->add_initializer()->set_name("W"); },
     "initializer 'W' has element type UNDEFINED, which is not supported"},
    {"SevenInputsInOpset23",
     [](auto &t) {
       t.addInput("n", I64, {1}, false);
       t.nodeInputs({"Q", "K", "V", "", "", "", "n"});
     },
     "has 7 inputs; opset 23 allows at most 6"},
    {"FiveOutputs",
     [](auto &t) {
       for (int i = 0; i < 4; ++i)
         t.node->add_output("");
     },
     "has 5 outputs; Attention has at most 4"},
    {"InputNotATensor",
     [](auto &t) {
       t.graph->mutable_input(1)->mutable_type()->mutable_sequence_type();
     },
     "graph input 'K' is not a tensor"},
    {"Int32Input", [](auto &t) { t.retype("K", onnx::TensorProto::INT32); },
     "node 'attn' (Attention): input K ('K') must have the element type of "
     "Q"},
    {"NoShape",
     [](auto &t) {
       t.graph->mutable_input(0)
           ->mutable_type()
           ->mutable_tensor_type()
           ->clear_shape();
     },
     "graph input 'Q' has no shape"},
    {"DynamicDim",
     [](auto &t) {
       t.graph->mutable_input(0)
           ->mutable_type()
           ->mutable_tensor_type()
           ->mutable_shape()
           ->mutable_dim(0)
           ->set_dim_param("batch");
     },
     "input Q ('Q') has shape [batch, 2, 3, 4]; Attention needs static "
     "shapes"},
    {"InputTwice",
     [](auto &t) { t.addInput("Q", F32, {1}, /*nodeInput=*/false); },
     "graph input 'Q' is listed twice"},
    {"InputNotInGraph",
     [](auto &t) {
       t.nodeInputs({"Q", "K", "V", "mask"});
     },
     "node 'attn' (Attention): input 'mask' (index 3) is not a graph input, "
     "an initializer or the output of an earlier node"},
    {"MissingK",
     [](auto &t) {
       t.nodeInputs({"Q", "", "V"});
     },
     "required input K (index 1) is missing"},
    {"BoolQ", [](auto &t) { t.retype("Q", BOOL); },
     "input Q ('Q') has element type BOOL; Q must be FLOAT, FLOAT16 or "
     "BFLOAT16"},
    {"F16K", [](auto &t) { t.retype("K", F16); },
     "input K ('K') must have the element type of Q"},
    {"Rank5",
     [](auto &t) {
       t.reshape("Q", {1, 1, 2, 3, 4});
     },
     "input Q ('Q') has rank 5; Q, K and V must be 3-D [B, S, H*D] or 4-D"},
    {"RankMismatch",
     [](auto &t) {
       t.reshape("K", {1, 5, 8});
     },
     "Q, K and V must have the same rank; got 4, 3 and 4"},
    {"BatchMismatch",
     [](auto &t) {
       t.reshape("V", {2, 2, 5, 4});
     },
     "input V ('V') has batch 2 but Q has batch 1"},
    {"ThreeDWithoutHeads",
     [](auto &t) {
       t.reshape("Q", {1, 3, 8});
       t.reshape("K", {1, 5, 8});
       t.reshape("V", {1, 5, 8});
     },
     "3-D inputs need the attributes 'q_num_heads' and 'kv_num_heads'"},
    {"ThreeDHiddenNotDivisible",
     [](auto &t) {
       t.make3D();
       t.reshape("Q", {1, 3, 7});
     },
     "input Q ('Q') has hidden size 7, which 2 heads do not divide"},
    {"ThreeDHeadSizeMismatch",
     [](auto &t) {
       t.make3D();
       t.reshape("K", {1, 5, 6});
     },
     "input K ('K') has head size 6 but Q has head size 4"},
    {"ThreeDLengthMismatch",
     [](auto &t) {
       t.make3D();
       t.reshape("V", {1, 6, 4});
     },
     "input V ('V') has sequence length 6 but K has 5"},
    {"FourDQHeadsAttr", [](auto &t) { t.intAttr("q_num_heads", 3); },
     "attribute 'q_num_heads' is 3 but Q has 2 heads"},
    {"FourDKvHeadsAttr", [](auto &t) { t.intAttr("kv_num_heads", 1); },
     "attribute 'kv_num_heads' is 1 but K has 2 heads"},
    {"FourDValueHeads",
     [](auto &t) {
       t.reshape("V", {1, 1, 5, 4});
     },
     "input V ('V') has 1 heads but K has 2"},
    {"FourDHeadSizeMismatch",
     [](auto &t) {
       t.reshape("K", {1, 2, 5, 3});
     },
     "input K ('K') has head size 3 but Q has head size 4"},
    {"FourDLengthMismatch",
     [](auto &t) {
       t.reshape("V", {1, 2, 4, 4});
     },
     "input V ('V') has sequence length 4 but K has 5"},
    {"HeadsNotMultiple",
     [](auto &t) {
       t.reshape("Q", {1, 3, 3, 4});
       t.reshape("Y", {1, 3, 3, 4});
     },
     "Q's 3 heads are not a multiple of K and V's 2"},
    {"PastKeyAlone",
     [](auto &t) {
       t.addInput("pk", F32, {1, 2, 2, 4}, false);
       t.nodeInputs({"Q", "K", "V", "", "pk"});
     },
     "past_key and past_value must be given together"},
    {"PastShape",
     [](auto &t) {
       t.addInput("pk", F32, {1, 2, 2, 4}, false);
       t.addInput("pv", F32, {1, 1, 2, 4}, false);
       t.nodeInputs({"Q", "K", "V", "", "pk", "pv"});
     },
     "input past_value ('pv') has shape [1, 1, 2, 4], expected [1, 2, "
     "past_len, 4]"},
    {"PastLengths",
     [](auto &t) {
       t.addInput("pk", F32, {1, 2, 2, 4}, false);
       t.addInput("pv", F32, {1, 2, 3, 4}, false);
       t.nodeInputs({"Q", "K", "V", "", "pk", "pv"});
     },
     "past_key and past_value have different lengths, 2 and 3"},
    {"MaskType",
     [](auto &t) {
       t.addInput("m", F16, {3, 5});
     },
     "input attn_mask ('m') must be BOOL or have the element type of Q"},
    {"MaskRank",
     [](auto &t) {
       t.addInput("m", F32, {1, 1, 1, 3, 5});
     },
     "input attn_mask ('m') has rank 5; attn_mask must have rank 1 to 4"},
    {"MaskTooWide",
     [](auto &t) {
       t.addInput("m", F32, {3, 6});
     },
     "input attn_mask ('m') covers 6 keys, more than the 5 of past_key and K"},
    {"MaskNotBroadcastable",
     [](auto &t) {
       t.addInput("m", F32, {2, 5});
     },
     "input attn_mask ('m') of shape [2, 5] does not broadcast to the scores "
     "[1, 2, 3, 5]"},
    {"NonpadType",
     [](auto &t) {
       t.model.mutable_opset_import(0)->set_version(24);
       t.addInput("n", F32, {1}, false);
       t.nodeInputs({"Q", "K", "V", "", "", "", "n"});
     },
     "input nonpad_kv_seqlen ('n') must be INT64 of shape [1]"},
    {"OutputNotFromNode",
     [](auto &t) { t.setType(t.graph->add_output(), "Z", F32, {1}); },
     "graph output 'Z' is not a graph input, an initializer or a node "
     "output"},
    {"OutputElementType",
     [](auto &t) { t.retype("Y", onnx::TensorProto::DOUBLE); },
     "graph output 'Y' is declared DOUBLE but is computed as FLOAT"},
    {"OutputShape",
     [](auto &t) {
       t.reshape("Y", {1, 2, 3, 5});
     },
     "graph output 'Y' is declared with shape [1, 2, 3, 5] but is computed "
     "as [1, 2, 3, 4]"},
    {"NoOutputs", [](auto &t) { t.graph->clear_output(); },
     "graph has no outputs"},
};

INSTANTIATE_TEST_SUITE_P(All, OnnxImportErrors, ::testing::ValuesIn(errorCases),
                         [](const ::testing::TestParamInfo<ErrorCase> &info) {
                           return std::string(info.param.name);
                         });

TEST(OnnxImportFileErrors, UnreadableFile) {
  MLIRContext context;
  auto result = frontend::importOnnx(context, "/nonexistent/model.onnx");
  ASSERT_FALSE(static_cast<bool>(result));
  std::string message = toString(result.takeError());
  EXPECT_NE(message.find("/nonexistent/model.onnx: cannot read: "),
            std::string::npos)
      << message;
}

TEST(OnnxImportFileErrors, NotProtobuf) {
  MLIRContext context;
  auto result =
      frontend::importOnnxBuffer(context, "\xff\xff\xff\xff", "junk.onnx");
  ASSERT_FALSE(static_cast<bool>(result));
  EXPECT_EQ(toString(result.takeError()),
            "junk.onnx: not an ONNX model (protobuf parse failed)");
}

//===----------------------------------------------------------------------===//
// TensorProto files
//===----------------------------------------------------------------------===//

class TensorProtoTest : public ::testing::Test {
protected:
  ~TensorProtoTest() override {
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }
  /// Writes `proto` (or `bytes`) to a temporary file and loads it.
  llvm::Expected<Tensor> load(const onnx::TensorProto &proto) {
    return loadBytes(proto.SerializeAsString());
  }
  llvm::Expected<Tensor> loadBytes(const std::string &bytes) {
    if (path.empty()) {
      EXPECT_FALSE(
          llvm::sys::fs::createTemporaryFile("attnc-tensor", "pb", path));
    }
    std::ofstream(path.c_str(), std::ios::binary) << bytes;
    return frontend::loadTensorProto(path);
  }
  std::string errorOf(const onnx::TensorProto &proto) {
    auto t = load(proto);
    if (t) {
      ADD_FAILURE() << "expected an error";
      return "";
    }
    return toString(t.takeError());
  }
  llvm::SmallString<128> path;
};

onnx::TensorProto tensorProto(int type, std::vector<int64_t> dims) {
  onnx::TensorProto t;
  t.set_name("x");
  t.set_data_type(type);
  for (int64_t d : dims)
    t.add_dims(d);
  return t;
}

TEST_F(TensorProtoTest, RawFloat) {
  onnx::TensorProto p = tensorProto(F32, {2, 2});
  float values[] = {1.0f, -2.5f, 3.0f, 0.25f};
  p.set_raw_data(std::string(reinterpret_cast<char *>(values), 16));
  auto t = load(p);
  ASSERT_TRUE(static_cast<bool>(t)) << toString(t.takeError());
  EXPECT_EQ(t->dtype(), DType::F32);
  EXPECT_EQ(t->shape(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(t->getDouble(1), -2.5);
  EXPECT_EQ(t->getDouble(3), 0.25);
}

TEST_F(TensorProtoTest, TypedFields) {
  onnx::TensorProto f = tensorProto(F32, {2});
  f.add_float_data(1.5f);
  f.add_float_data(-1.0f);
  auto t = load(f);
  ASSERT_TRUE(static_cast<bool>(t)) << toString(t.takeError());
  EXPECT_EQ(t->getDouble(0), 1.5);

  onnx::TensorProto i = tensorProto(I64, {3});
  for (int64_t v : {3, -4, 5})
    i.add_int64_data(v);
  auto ti = load(i);
  ASSERT_TRUE(static_cast<bool>(ti)) << toString(ti.takeError());
  EXPECT_EQ(ti->dtype(), DType::I64);
  EXPECT_EQ(ti->as<int64_t>()[1], -4);

  // float16 sits in int32_data as its bit pattern: 0x3C00 is 1.0.
  onnx::TensorProto h = tensorProto(F16, {2});
  h.add_int32_data(0x3C00);
  h.add_int32_data(0xC000);
  auto th = load(h);
  ASSERT_TRUE(static_cast<bool>(th)) << toString(th.takeError());
  EXPECT_EQ(th->getDouble(0), 1.0);
  EXPECT_EQ(th->getDouble(1), -2.0);

  onnx::TensorProto d = tensorProto(onnx::TensorProto::DOUBLE, {1});
  d.add_double_data(0.125);
  auto td = load(d);
  ASSERT_TRUE(static_cast<bool>(td)) << toString(td.takeError());
  EXPECT_EQ(td->getDouble(0), 0.125);
}

TEST_F(TensorProtoTest, BoolIsZeroOrOne) {
  onnx::TensorProto b = tensorProto(BOOL, {3});
  b.set_raw_data(std::string("\x00\x01\x07", 3));
  auto t = load(b);
  ASSERT_TRUE(static_cast<bool>(t)) << toString(t.takeError());
  EXPECT_EQ(t->dtype(), DType::I1);
  EXPECT_EQ(t->as<uint8_t>()[0], 0);
  EXPECT_EQ(t->as<uint8_t>()[2], 1);
}

TEST_F(TensorProtoTest, Errors) {
  EXPECT_NE(toString(frontend::loadTensorProto("/nonexistent/x.pb").takeError())
                .find("/nonexistent/x.pb: cannot read: "),
            std::string::npos);

  auto junk = loadBytes("\xff\xff\xff\xff");
  ASSERT_FALSE(static_cast<bool>(junk));
  EXPECT_EQ(toString(junk.takeError()),
            path.str().str() +
                ": not an ONNX TensorProto (protobuf parse failed)");

  EXPECT_NE(errorOf(tensorProto(onnx::TensorProto::STRING, {1}))
                .find("tensor 'x': data_type 8 is not supported"),
            std::string::npos);

  onnx::TensorProto external = tensorProto(F32, {1});
  external.set_data_location(onnx::TensorProto::EXTERNAL);
  EXPECT_NE(
      errorOf(external).find("tensor 'x': external data is not supported"),
      std::string::npos);

  onnx::TensorProto segment = tensorProto(F32, {1});
  segment.mutable_segment()->set_begin(0);
  EXPECT_NE(
      errorOf(segment).find("tensor 'x': segmented tensors are not supported"),
      std::string::npos);

  EXPECT_NE(errorOf(tensorProto(F32, {2, -1}))
                .find("tensor 'x': negative dimension -1 in dims"),
            std::string::npos);

  onnx::TensorProto shortRaw = tensorProto(F32, {2});
  shortRaw.set_raw_data(std::string(4, '\0'));
  EXPECT_NE(errorOf(shortRaw).find("tensor 'x': raw_data holds 4 bytes, but "
                                   "dims [2] of f32 need 8"),
            std::string::npos);

  onnx::TensorProto shortField = tensorProto(F32, {2});
  shortField.add_float_data(1.0f);
  EXPECT_NE(errorOf(shortField)
                .find("field 'float_data' holds 1 values, but "
                      "dims [2] need 2"),
            std::string::npos);
}

} // namespace
