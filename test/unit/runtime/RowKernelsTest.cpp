//===- RowKernelsTest.cpp - Row-wise micro-kernels against the fp64 oracle ===//
//
// attn.softmax, attn.log_softmax, attn.layer_norm and attn.embedding
// compiled through the CPU pipeline (f32 on the micro-kernels of
// lowering/ukernels/Rows.cpp), at row widths that do and do not fill a
// vector, static and dynamic, with rows that are all -inf; compared with
// the same IR run by the fp64 reference interpreter (FlashCases.h's error
// measure, and exact 0 where the reference is 0).
//
//===----------------------------------------------------------------------===//

#include "test/unit/runtime/FlashCases.h"

#include <gtest/gtest.h>

using namespace attnc;
using flashcases::relativeError;
using flashcases::Rng;
using flashcases::toReference;

namespace {

struct RowCase {
  std::string name;
  /// "softmax", "log_softmax", "layer_norm", "embedding".
  std::string op;
  int64_t rows = 0, cols = 0;
  bool dynamic = false;
  /// Softmax only: how many leading rows are all -inf.
  int64_t hiddenRows = 0;
};

RowCase rowCase(std::string name, std::string op, int64_t rows, int64_t cols,
                bool dynamic) {
  RowCase c;
  c.name = std::move(name);
  c.op = std::move(op);
  c.rows = rows;
  c.cols = cols;
  c.dynamic = dynamic;
  return c;
}

std::string caseName(const ::testing::TestParamInfo<RowCase> &info) {
  return info.param.name;
}

std::ostream &operator<<(std::ostream &os, const RowCase &c) {
  return os << c.name;
}

std::string buildIR(const RowCase &c) {
  std::string rows = c.dynamic ? "?" : std::to_string(c.rows);
  std::string x = llvm::formatv("tensor<2x{0}x{1}xf32>", rows, c.cols);
  std::string v = llvm::formatv("tensor<{0}xf32>", c.cols);
  if (c.op == "layer_norm")
    return llvm::formatv(
        "func.func @main(%x: {0}, %g: {1}, %b: {1}) -> {0} {{\n"
        "  %y = attn.layer_norm %x, %g, %b {{epsilon = 1.0e-5 : f64} : "
        "({0}, {1}, {1}) -> {0}\n  return %y : {0}\n}\n",
        x, v);
  if (c.op == "embedding") {
    std::string ids = llvm::formatv("tensor<2x{0}xi64>", rows);
    return llvm::formatv(
        "func.func @main(%i: {0}, %t: tensor<50x{1}xf32>) -> {2} {{\n"
        "  %y = attn.embedding %i, %t {{scale = 2.0 : f64} : ({0}, "
        "tensor<50x{1}xf32>) -> {2}\n  return %y : {2}\n}\n",
        ids, c.cols, x);
  }
  return llvm::formatv("func.func @main(%x: {0}) -> {0} {{\n"
                       "  %y = attn.{1} %x axis(-1) : {0}\n"
                       "  return %y : {0}\n}\n",
                       x, c.op);
}

class RowKernels : public ::testing::TestWithParam<RowCase> {};

TEST_P(RowKernels, MatchesReference) {
  const RowCase &c = GetParam();
  std::string ir = buildIR(c);
  SCOPED_TRACE(ir);
  llvm::Expected<std::unique_ptr<JitModule>> module = JitModule::compileSource(ir);
  ASSERT_TRUE(static_cast<bool>(module)) << toString(module.takeError());
  mlir::DialectRegistry registry;
  mlir::attn::registerCompilerDialects(registry);
  mlir::MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  mlir::OwningOpRef<mlir::ModuleOp> parsed =
      mlir::parseSourceString<mlir::ModuleOp>(ir, &ctx);
  ASSERT_TRUE(parsed);
  auto fn = parsed->lookupSymbol<mlir::func::FuncOp>("main");
  ASSERT_TRUE(fn);

  Rng rng(c.name);
  std::vector<Tensor> inputs;
  auto uniform = [&](std::vector<int64_t> shape, double lo, double hi) {
    Tensor t(DType::F32, shape);
    for (int64_t i = 0, e = t.numElements(); i < e; ++i)
      t.setDouble(i, rng.uniform(lo, hi));
    return t;
  };
  if (c.op == "embedding") {
    Tensor ids(DType::I64, {2, c.rows});
    for (int64_t i = 0; i < 2 * c.rows; ++i)
      ids.setDouble(i, static_cast<double>(rng.next() % 50));
    inputs.push_back(std::move(ids));
    inputs.push_back(uniform({50, c.cols}, -1, 1));
  } else {
    // Softmax inputs span [-8, 8), so that exp covers a wide range.
    Tensor x = uniform({2, c.rows, c.cols}, -8, 8);
    for (int64_t r = 0; r < c.hiddenRows; ++r)
      for (int64_t col = 0; col < c.cols; ++col)
        x.setDouble(r * c.cols + col, -std::numeric_limits<double>::infinity());
    inputs.push_back(std::move(x));
    if (c.op == "layer_norm") {
      inputs.push_back(uniform({c.cols}, 0.5, 1.5));
      inputs.push_back(uniform({c.cols}, -1, 1));
    }
  }
  attnc::Result<std::vector<Tensor>> got = (*module)->run(inputs);
  ASSERT_TRUE(static_cast<bool>(got)) << toString(got.takeError());
  std::vector<ref::Tensor> refInputs;
  for (const Tensor &t : inputs)
    refInputs.push_back(toReference(t));
  llvm::Expected<std::vector<ref::Tensor>> want = ref::evaluate(fn, refInputs);
  ASSERT_TRUE(static_cast<bool>(want)) << toString(want.takeError());
  const Tensor &g = (*got)[0];
  const ref::Tensor &w = (*want)[0];
  ASSERT_EQ(std::vector<int64_t>(g.shape().begin(), g.shape().end()), w.shape);
  // -inf where the reference has -inf (log-softmax of a hidden row), and
  // the relative error elsewhere.
  Tensor finite(DType::F32, g.shape());
  ref::Tensor finiteRef = w;
  for (int64_t i = 0, e = g.numElements(); i < e; ++i) {
    if (std::isinf(w.data[i])) {
      EXPECT_EQ(g.getDouble(i), w.data[i]) << "element " << i;
      finiteRef.data[i] = 0;
      finite.setDouble(i, 0);
    } else {
      finite.setDouble(i, g.getDouble(i));
      if (w.data[i] == 0) {
        EXPECT_EQ(g.getDouble(i), 0.0) << "element " << i;
      }
    }
  }
  EXPECT_LE(relativeError(finite, finiteRef), 1e-5) << c.name;
}

std::vector<RowCase> cases() {
  std::vector<RowCase> all;
  for (std::string op : {"softmax", "log_softmax", "layer_norm", "embedding"})
    for (int64_t cols : {1, 7, 16, 17, 100, 384})
      for (bool dynamic : {false, true}) {
        RowCase c{
            llvm::formatv("{0}_{1}{2}", op, cols, dynamic ? "_dyn" : "").str(),
            op, 5, cols, dynamic};
        if (op == "softmax" || op == "log_softmax")
          c.hiddenRows = 1;
        all.push_back(c);
      }
  // Enough rows for the kernels' threads.
  all.push_back(rowCase("softmax_many_rows", "softmax", 700, 64, true));
  all.push_back(rowCase("layer_norm_many_rows", "layer_norm", 700, 384, true));
  return all;
}

INSTANTIATE_TEST_SUITE_P(Rows, RowKernels, ::testing::ValuesIn(cases()),
                         caseName);

} // namespace
