//===- LinearCorrectnessTest.cpp - Linear layers against the fp64 oracle --===//
//
// attn.linear compiled through the CPU pipeline, where f32 layers run on
// the micro-kernels (packed weights, register tiles, fused epilogue), at
// odd and round shapes, static and dynamic, with every epilogue, constant
// and argument weights, and the kernels of each ISA (AVX-512 on the host
// when it has it, AVX2 with --cpu=haswell, the 4-lane generic ones with
// --cpu=x86-64); f16 and bf16 layers take the decomposed linalg path. Each
// result is compared with the same IR run by the fp64 reference
// interpreter, with FlashCases.h's error measure.
//
//===----------------------------------------------------------------------===//

#include "test/unit/runtime/FlashCases.h"

#include "llvm/TargetParser/Host.h"

#include <gtest/gtest.h>

using namespace attnc;
using flashcases::relativeError;
using flashcases::Rng;
using flashcases::toReference;

namespace {

struct LinearCase {
  std::string name;
  /// Input rows; with `batch` > 1 the input is [batch, rows / batch, K].
  int64_t rows = 0, n = 0, k = 0, batch = 1;
  bool dynamic = false;
  bool bias = true, residual = false, constantWeight = false;
  /// "", "relu", "gelu" or "gelu_tanh".
  std::string activation;
  /// LoweringOptions::cpu: "" (the host), "haswell" (AVX2), "x86-64".
  std::string cpu;
  std::string elt = "f32";
  /// Sizes to run a dynamic case at besides `rows` (total rows).
  std::vector<int64_t> moreRows;
};

/// A case with the defaults above (clang warns on partial aggregates).
LinearCase linearCase(std::string name, int64_t rows, int64_t n, int64_t k,
                      int64_t batch = 1) {
  LinearCase c;
  c.name = std::move(name);
  c.rows = rows;
  c.n = n;
  c.k = k;
  c.batch = batch;
  return c;
}

std::string caseName(const ::testing::TestParamInfo<LinearCase> &info) {
  return info.param.name;
}

std::ostream &operator<<(std::ostream &os, const LinearCase &c) {
  return os << c.name;
}

/// The input (or output, for `cols` = N) type of the case.
std::string rowsType(const LinearCase &c, int64_t cols) {
  std::string lead =
      c.batch > 1
          ? (c.dynamic
                 ? "?x?x"
                 : llvm::formatv("{0}x{1}x", c.batch, c.rows / c.batch).str())
          : (c.dynamic ? "?x" : llvm::formatv("{0}x", c.rows).str());
  return llvm::formatv("tensor<{0}{1}x{2}>", lead, cols, c.elt).str();
}

/// A dense constant of `shape` with values from `rng`.
std::string denseConstant(int64_t rows, int64_t cols, Rng &rng,
                          std::vector<double> &values) {
  std::string text = "dense<[";
  for (int64_t r = 0; r < rows; ++r) {
    text += r ? ", [" : "[";
    for (int64_t c = 0; c < cols; ++c) {
      double v = rng.uniform(-1, 1);
      values.push_back(v);
      text += llvm::formatv("{0}{1:e9}", c ? ", " : "", v).str();
    }
    text += "]";
  }
  return text + "]>";
}

std::string buildIR(const LinearCase &c, Rng &rng) {
  std::string x = rowsType(c, c.k), y = rowsType(c, c.n);
  std::string w = llvm::formatv("tensor<{0}x{1}x{2}>", c.n, c.k, c.elt).str();
  std::string b = llvm::formatv("tensor<{0}x{1}>", c.n, c.elt).str();
  std::string params = "%x: " + x;
  std::string body;
  std::string operands = "%x, %w", types = x + ", " + w;
  if (c.constantWeight) {
    std::vector<double> unused;
    body += "  %w = arith.constant " + denseConstant(c.n, c.k, rng, unused) +
            " : " + w + "\n";
  } else {
    params += ", %w: " + w;
  }
  if (c.bias) {
    params += ", %b: " + b;
    operands += ", %b";
    types += ", " + b;
  }
  if (c.residual) {
    params += ", %r: " + y;
    operands += " residual(%r)";
    types += ", " + y;
  }
  std::string attrs =
      c.activation.empty()
          ? ""
          : " {activation = #attn.activation<" + c.activation + ">}";
  return llvm::formatv("func.func @main({0}) -> {1} {{\n{2}"
                       "  %y = attn.linear {3}{4} : ({5}) -> {1}\n"
                       "  return %y : {1}\n}\n",
                       params, y, body, operands, attrs, types)
      .str();
}

/// Whether the host can run code for `cpu`.
bool hostRuns(llvm::StringRef cpu) {
  if (cpu.empty() || cpu == "x86-64")
    return true;
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  return features.lookup("avx2") && features.lookup("fma");
}

/// The largest relative errors seen, f32 and f16/bf16, printed at the end
/// so that the margins are visible.
double worstF32 = 0, worstHalf = 0;

class LinearCorrectness : public ::testing::TestWithParam<LinearCase> {};

TEST_P(LinearCorrectness, MatchesReference) {
  const LinearCase &c = GetParam();
  if (!hostRuns(c.cpu))
    GTEST_SKIP() << "this CPU cannot run code for --cpu=" << c.cpu;
  Rng rng(c.name);
  std::string ir = buildIR(c, rng);
  SCOPED_TRACE(ir.size() < 4000 ? ir : ir.substr(0, 4000));
  CompileOptions options;
  options.lowering.cpu = c.cpu;
  llvm::Expected<std::unique_ptr<JitModule>> module =
      JitModule::compileSource(ir, options);
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

  DType dtype = c.elt == "f32"   ? DType::F32
                : c.elt == "f16" ? DType::F16
                                 : DType::BF16;
  // f32 accumulation over k <= 1536 terms stays near 1e-6; 1e-4 catches
  // any indexing or epilogue mistake. f16/bf16 results are rounded to the
  // element type (2^-11 and 2^-8 of the largest value), with 4x margin.
  double tolerance = c.elt == "f32" ? 1e-4 : c.elt == "f16" ? 2e-3 : 1.6e-2;
  std::vector<int64_t> rowCounts = {c.rows};
  llvm::append_range(rowCounts, c.moreRows);
  for (int64_t rows : rowCounts) {
    SCOPED_TRACE(llvm::formatv("rows {0}", rows).str());
    auto shape = [&](int64_t cols) {
      return c.batch > 1 ? std::vector<int64_t>{c.batch, rows / c.batch, cols}
                         : std::vector<int64_t>{rows, cols};
    };
    auto filled = [&](std::vector<int64_t> s, double amplitude) {
      Tensor t(dtype, s);
      for (int64_t i = 0, e = t.numElements(); i < e; ++i)
        t.setDouble(i, rng.uniform(-amplitude, amplitude));
      return t;
    };
    std::vector<Tensor> inputs;
    inputs.push_back(filled(shape(c.k), 1.0));
    if (!c.constantWeight)
      inputs.push_back(filled({c.n, c.k}, 1.0));
    if (c.bias)
      inputs.push_back(filled({c.n}, 1.0));
    if (c.residual)
      inputs.push_back(filled(shape(c.n), 4.0));
    attnc::Result<std::vector<Tensor>> got = (*module)->run(inputs);
    ASSERT_TRUE(static_cast<bool>(got)) << toString(got.takeError());
    std::vector<ref::Tensor> refInputs;
    for (const Tensor &t : inputs)
      refInputs.push_back(toReference(t));
    llvm::Expected<std::vector<ref::Tensor>> want =
        ref::evaluate(fn, refInputs);
    ASSERT_TRUE(static_cast<bool>(want)) << toString(want.takeError());
    ASSERT_EQ(got->size(), 1u);
    ASSERT_EQ(std::vector<int64_t>((*got)[0].shape().begin(),
                                   (*got)[0].shape().end()),
              (*want)[0].shape);
    double err = relativeError((*got)[0], (*want)[0]);
    double &worst = c.elt == "f32" ? worstF32 : worstHalf;
    worst = std::max(worst, err);
    EXPECT_LE(err, tolerance) << c.name;
  }
}

/// Odd row counts (a partial register tile of each size the 8-, 6- and
/// 4-row tiles leave), odd widths (partial panels and vectors) and the
/// transformer shapes, static.
std::vector<LinearCase> shapeCases() {
  std::vector<LinearCase> cases;
  for (int64_t rows : {1, 7, 17, 63, 65, 129, 1000})
    for (auto [n, k] : {std::pair<int64_t, int64_t>{1, 1},
                        {5, 3},
                        {17, 63},
                        {65, 129},
                        {384, 384}})
      if (rows * n * k <= 1000 * 65 * 129)
        cases.push_back(linearCase(
            llvm::formatv("M{0}_N{1}_K{2}", rows, n, k).str(), rows, n, k));
  cases.push_back(linearCase("M136_N1536_K384", 136, 1536, 384));
  cases.push_back(linearCase("M136_N384_K1536", 136, 384, 1536));
  return cases;
}

/// Every epilogue, static and dynamic, rank 2 and 3, argument and constant
/// weights.
std::vector<LinearCase> epilogueCases() {
  std::vector<LinearCase> cases;
  for (std::string act : {"", "relu", "gelu", "gelu_tanh"})
    for (bool residual : {false, true})
      for (bool dynamic : {false, true}) {
        LinearCase c = linearCase("", 63, 40, 33);
        c.activation = act;
        c.residual = residual;
        c.dynamic = dynamic;
        c.name = (act.empty() ? std::string("none") : act) +
                 (residual ? "_residual" : "") + (dynamic ? "_dynamic" : "");
        if (dynamic)
          c.moreRows = {1, 8, 130};
        cases.push_back(c);
      }
  LinearCase noBias = linearCase("no_bias_constant_weight", 17, 20, 24);
  noBias.bias = false;
  noBias.constantWeight = true;
  noBias.residual = true;
  cases.push_back(noBias);
  LinearCase batched =
      linearCase("batched_dynamic_gelu_residual", 34, 48, 32, 2);
  batched.dynamic = true;
  batched.activation = "gelu";
  batched.residual = true;
  batched.moreRows = {2, 200};
  cases.push_back(batched);
  LinearCase constant = linearCase("constant_weight_dynamic", 65, 50, 31);
  constant.constantWeight = true;
  constant.dynamic = true;
  constant.moreRows = {1, 9};
  cases.push_back(constant);
  return cases;
}

/// The AVX2 and generic kernels, whose tiles and panels differ.
std::vector<LinearCase> isaCases() {
  std::vector<LinearCase> cases;
  for (std::string cpu : {"haswell", "x86-64"}) {
    std::string tag = cpu == "haswell" ? "avx2" : "generic";
    LinearCase a = linearCase(tag + "_odd", 65, 17, 63);
    a.cpu = cpu;
    a.activation = "gelu";
    a.residual = true;
    cases.push_back(a);
    LinearCase b = linearCase(tag + "_dynamic_constant", 13, 40, 24);
    b.cpu = cpu;
    b.dynamic = true;
    b.constantWeight = true;
    b.activation = "gelu_tanh";
    b.moreRows = {1, 100};
    cases.push_back(b);
  }
  return cases;
}

/// f16 and bf16 layers, decomposed into linalg (no micro-kernel).
std::vector<LinearCase> halfCases() {
  std::vector<LinearCase> cases;
  for (std::string elt : {"f16", "bf16"}) {
    LinearCase c = linearCase(elt + "_gelu_residual", 17, 20, 24);
    c.elt = elt;
    c.activation = "gelu";
    c.residual = true;
    c.dynamic = true;
    c.moreRows = {3};
    cases.push_back(c);
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Shapes, LinearCorrectness,
                         ::testing::ValuesIn(shapeCases()), caseName);
INSTANTIATE_TEST_SUITE_P(Epilogues, LinearCorrectness,
                         ::testing::ValuesIn(epilogueCases()), caseName);
INSTANTIATE_TEST_SUITE_P(Isas, LinearCorrectness,
                         ::testing::ValuesIn(isaCases()), caseName);
INSTANTIATE_TEST_SUITE_P(HalfPrecision, LinearCorrectness,
                         ::testing::ValuesIn(halfCases()), caseName);

class ReportWorstError : public ::testing::Environment {
public:
  void TearDown() override {
    llvm::outs() << llvm::formatv(
        "linear correctness: worst rel err f32 {0:e2}, f16/bf16 {1:e2}\n",
        worstF32, worstHalf);
  }
};
const auto *const reportWorstError =
    ::testing::AddGlobalTestEnvironment(new ReportWorstError);

} // namespace
