//===- OnnxConformanceTest.cpp - The onnx 1.22.0 Attention cases, imported ===//
//
// Imports each test_attention_* model fetched by
// scripts/fetch-onnx-testdata.sh, verifies the module, and runs it through
// the fp64 oracle (reference/Interpreter.h) against the expected outputs,
// with onnx's own tolerance (rtol 1e-3, atol 1e-7). This checks the
// importer's semantics without any compiled code; test/onnx checks the
// compiled code on the same cases.
//
//===----------------------------------------------------------------------===//

#include "frontend/OnnxImport.h"
#include "reference/Interpreter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

using namespace mlir;
using namespace attnc;

namespace {

/// The fetched cases: $ATTNC_ONNX_TESTDATA, else the build's default.
std::string dataDir() {
  if (const char *dir = std::getenv("ATTNC_ONNX_TESTDATA"))
    return dir;
  return ATTNC_ONNX_TESTDATA_DEFAULT;
}

/// The case directories under dataDir(), sorted; empty when it is missing.
std::vector<std::string> caseNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dataDir(), ec), end;
       !ec && it != end; it.increment(ec)) {
    std::string name = llvm::sys::path::filename(it->path()).str();
    if (llvm::StringRef(name).starts_with("test_attention_"))
      names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

/// The files `prefix`0.pb, `prefix`1.pb, ... of a case's data set.
std::vector<std::string> numberedFiles(const std::string &dir,
                                       const std::string &prefix) {
  std::vector<std::string> files;
  for (int i = 0;; ++i) {
    std::string file = dir + "/" + prefix + std::to_string(i) + ".pb";
    if (!llvm::sys::fs::exists(file))
      return files;
    files.push_back(file);
  }
}

ref::Tensor toRef(const Tensor &t) {
  ref::Tensor r(std::vector<int64_t>(t.shape().begin(), t.shape().end()));
  for (int64_t i = 0; i < t.numElements(); ++i)
    r.data[i] = t.getDouble(i);
  return r;
}

TEST(OnnxConformanceTest, DataPresent) {
  std::vector<std::string> names = caseNames();
  if (names.empty())
    GTEST_SKIP() << "no onnx conformance data in " << dataDir()
                 << "; run scripts/fetch-onnx-testdata.sh " << dataDir()
                 << " (or set ATTNC_ONNX_TESTDATA)";
  EXPECT_EQ(names.size(), 64u) << "in " << dataDir();
}

class OnnxCase : public ::testing::TestWithParam<std::string> {};

TEST_P(OnnxCase, ImportsAndMatchesExpectedOutputs) {
  std::string dir = dataDir() + "/" + GetParam();
  MLIRContext context;
  auto module = frontend::importOnnx(context, dir + "/model.onnx");
  ASSERT_TRUE(static_cast<bool>(module)) << toString(module.takeError());
  ASSERT_TRUE(succeeded(verify(**module)));
  auto func = (*module)->lookupSymbol<func::FuncOp>("main");
  ASSERT_TRUE(func);

  std::vector<ref::Tensor> inputs;
  for (const std::string &file :
       numberedFiles(dir + "/test_data_set_0", "input_")) {
    auto t = frontend::loadTensorProto(file);
    ASSERT_TRUE(static_cast<bool>(t)) << toString(t.takeError());
    inputs.push_back(toRef(*t));
  }
  auto results = ref::evaluate(func, inputs);
  ASSERT_TRUE(static_cast<bool>(results)) << toString(results.takeError());

  std::vector<std::string> expectedFiles =
      numberedFiles(dir + "/test_data_set_0", "output_");
  ASSERT_EQ(results->size(), expectedFiles.size());
  for (size_t o = 0; o < expectedFiles.size(); ++o) {
    auto expected = frontend::loadTensorProto(expectedFiles[o]);
    ASSERT_TRUE(static_cast<bool>(expected)) << toString(expected.takeError());
    const ref::Tensor &actual = (*results)[o];
    ASSERT_EQ(actual.shape, std::vector<int64_t>(expected->shape().begin(),
                                                 expected->shape().end()))
        << "output " << o;
    int64_t mismatches = 0;
    for (int64_t i = 0; i < expected->numElements(); ++i) {
      // numpy.isclose, which onnx's backend tests use: NaNs and equal
      // infinities match.
      double e = expected->getDouble(i), a = actual.data[i];
      bool close = (std::isnan(e) && std::isnan(a)) || a == e ||
                   std::abs(a - e) <= 1e-7 + 1e-3 * std::abs(e);
      if (!close && mismatches++ < 5)
        ADD_FAILURE() << "output " << o << " element " << i << ": got " << a
                      << ", expected " << e;
    }
    EXPECT_EQ(mismatches, 0) << "output " << o;
  }
}

std::string caseName(const ::testing::TestParamInfo<std::string> &info) {
  return info.param;
}

INSTANTIATE_TEST_SUITE_P(Onnx, OnnxCase, ::testing::ValuesIn(caseNames()),
                         caseName);
// Without fetched data there are no cases; DataPresent says so.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(OnnxCase);

} // namespace
