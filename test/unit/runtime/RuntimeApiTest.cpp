//===- RuntimeApiTest.cpp - The runtime's C++ API and every error it gives ===//

#include "compiler/JitModule.h"
#include "runtime/Signature.h"
#include "runtime/Tensor.h"
#include "test/unit/runtime/TestTensors.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cmath>
#include <fstream>
#include <random>

using namespace attnc;
using attnc::test::random;

namespace {

std::string errorOf(const Status &e) { return e.message(); }
template <typename T> std::string errorOf(llvm::Expected<T> v) {
  if (v)
    return "<no error>";
  return toString(v.takeError());
}
template <typename T> std::string errorOf(const Result<T> &v) {
  if (v)
    return "<no error>";
  return v.status().message();
}

/// A scratch file path unique to this test process.
std::string scratch(llvm::StringRef name) {
  llvm::SmallString<128> dir;
  llvm::sys::path::system_temp_directory(true, dir);
  llvm::sys::path::append(dir, "attnc-runtime-test-" +
                                   std::to_string(::getpid()) + "-" + name);
  return std::string(dir);
}

void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

/// A .npy header (version 1.0) followed by `data`.
std::string npy(const std::string &dict, const std::string &data,
                char major = 1) {
  std::string header = dict + "\n";
  std::string out = "\x93NUMPY";
  out += major;
  out += '\0';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + data;
}

TEST(TensorTest, NpyRoundTripsEveryDType) {
  for (DType t : {DType::F32, DType::F16, DType::BF16, DType::F64, DType::I1,
                  DType::I8, DType::I32, DType::I64}) {
    Tensor x(t, {2, 3});
    for (int64_t i = 0; i < 6; ++i)
      x.setDouble(i, t == DType::I1 ? i % 2 : (i - 2) * 1.5);
    std::string path = scratch(std::string(dtypeName(t)) + ".npy");
    ASSERT_FALSE(static_cast<bool>(saveNpy(x, path)));
    attnc::Result<Tensor> y = loadNpy(path);
    ASSERT_TRUE(static_cast<bool>(y)) << toString(y.takeError());
    // numpy has no bfloat16, so bf16 is written as float32.
    EXPECT_EQ(y->dtype(), t == DType::BF16 ? DType::F32 : t);
    EXPECT_EQ(llvm::ArrayRef<int64_t>(y->shape()), llvm::ArrayRef<int64_t>({2, 3}));
    for (int64_t i = 0; i < 6; ++i)
      EXPECT_EQ(y->getDouble(i), x.getDouble(i)) << std::string(dtypeName(t)) << " " << i;
    llvm::sys::fs::remove(path);
  }
}

TEST(TensorTest, NpyScalarsAndVectorsKeepTheirRank) {
  for (std::vector<int64_t> shape :
       {std::vector<int64_t>{}, std::vector<int64_t>{5}}) {
    Tensor x(DType::F32, shape);
    std::string path = scratch("rank.npy");
    ASSERT_FALSE(static_cast<bool>(saveNpy(x, path)));
    attnc::Result<Tensor> y = loadNpy(path);
    ASSERT_TRUE(static_cast<bool>(y)) << toString(y.takeError());
    EXPECT_EQ(llvm::ArrayRef<int64_t>(y->shape()), llvm::ArrayRef<int64_t>(shape));
    llvm::sys::fs::remove(path);
  }
}

TEST(TensorTest, HalfPrecisionConversionsRound) {
  Tensor h(DType::F16, {1});
  h.setDouble(0, 1.0 / 3.0);
  EXPECT_NEAR(h.getDouble(0), 1.0 / 3.0, 1e-3);
  Tensor b = h.convert(DType::BF16);
  EXPECT_NEAR(b.getDouble(0), 1.0 / 3.0, 4e-3);
  EXPECT_EQ(h.convert(DType::F32).getDouble(0), h.getDouble(0));
}

TEST(TensorTest, BadNpyFilesAreNamedErrors) {
  std::string path = scratch("bad.npy");
  auto expectError = [&](const std::string &bytes, const std::string &what) {
    writeBytes(path, bytes);
    EXPECT_EQ(errorOf(loadNpy(path)), path + ": " + what);
  };
  expectError("hello", "not a .npy file (bad magic)");
  expectError(npy("{}", "", 7), "unsupported .npy version 7");
  expectError(std::string("\x93NUMPY\x01\x00\xff\x00{", 11),
              "truncated header");
  expectError(npy("{'descr': '<f4', 'shape': (2,), }", ""),
              "header lacks 'descr', 'fortran_order' or 'shape'");
  expectError(
      npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", ""),
      "Fortran-order arrays are not supported");
  expectError(
      npy("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", ""),
      "unsupported dtype '<c8'");
  expectError(
      npy("{'descr': '<f4', 'fortran_order': False, 'shape': [2], }", ""),
      "malformed 'shape'");
  expectError(
      npy("{'descr': '<f4', 'fortran_order': False, 'shape': (x,), }", ""),
      "malformed 'shape' entry 'x'");
  expectError(
      npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
          std::string(8, '\0')),
      "holds 8 data bytes, but shape [2, 3] of f32 needs 24");
  llvm::sys::fs::remove(path);
  EXPECT_EQ(errorOf(loadNpy(path)),
            path + ": No such file or directory");
  EXPECT_EQ(errorOf(saveNpy(Tensor(DType::F32, {1}), "/nonexistent/x.npy")),
            "/nonexistent/x.npy: No such file or directory");
}

TEST(SignatureTest, JsonRoundTrips) {
  ModuleSignature m;
  Signature s;
  s.function = "main";
  s.inputs.push_back(
      {DType::F16, {1, -1, 4}, "q", {-1, 16, -1}, 0, {"", "length", ""}});
  s.outputs.push_back({DType::I1, {}, "flag", {}, 0, {}});
  m.entries.push_back(s);
  s.function = "other";
  m.entries.push_back(s);
  m.defaultEntry = "main";
  attnc::Result<ModuleSignature> t = ModuleSignature::fromJson(m.toJson());
  ASSERT_TRUE(static_cast<bool>(t)) << toString(t.takeError());
  EXPECT_EQ(t->defaultEntry, "main");
  ASSERT_EQ(t->entries.size(), 2u);
  EXPECT_EQ(t->entries[1].function, "other");
  const Signature &u = t->entries[0];
  EXPECT_EQ(u.function, "main");
  ASSERT_EQ(u.inputs.size(), 1u);
  EXPECT_EQ(u.inputs[0].dtype, DType::F16);
  EXPECT_EQ(u.inputs[0].shape, std::vector<int64_t>({1, -1, 4}));
  EXPECT_EQ(u.inputs[0].name, "q");
  EXPECT_EQ(u.inputs[0].maxShape, std::vector<int64_t>({-1, 16, -1}));
  EXPECT_EQ(u.inputs[0].dimNames,
            std::vector<std::string>({"", "length", ""}));
  ASSERT_EQ(u.outputs.size(), 1u);
  EXPECT_EQ(u.outputs[0].name, "flag");

  attnc::Result<const Signature &> found = t->find("");
  ASSERT_TRUE(static_cast<bool>(found)) << toString(found.takeError());
  EXPECT_EQ(found->function, "main");
  EXPECT_EQ(errorOf(t->find("nope")),
            "no entry point named 'nope'; the module has 'main', 'other'");
  t->defaultEntry.clear();
  EXPECT_EQ(errorOf(t->find("")),
            "the module has several entry points ('main', 'other') and none "
            "is called 'forward'; name the one to run");
}

TEST(SignatureTest, MalformedJsonIsAnError) {
  auto err = [](llvm::StringRef entry) {
    return errorOf(ModuleSignature::fromJson(
        (R"({"default": "", "entries": [)" + entry + "]}").str()));
  };
  EXPECT_EQ(errorOf(ModuleSignature::fromJson("[1]")),
            "attnc_signature: not a JSON object");
  EXPECT_EQ(errorOf(ModuleSignature::fromJson(R"({"entries": []})")),
            "attnc_signature: missing 'default' or 'entries'");
  EXPECT_EQ(errorOf(ModuleSignature::fromJson(
                R"({"default": "f", "entries": []})")),
            "attnc_signature: the default entry 'f' is not among the "
            "entries");
  EXPECT_EQ(err("[1]"), "attnc_signature: an entry is not a JSON object");
  EXPECT_EQ(err("{}"), "attnc_signature: missing 'function'");
  EXPECT_EQ(err(R"({"function": "f", "outputs": []})"),
            "attnc_signature: missing 'inputs'");
  EXPECT_EQ(err(R"({"function": "f", "inputs": [1], "outputs": []})"),
            "attnc_signature: 'inputs' entry is not an object");
  EXPECT_EQ(err(R"({"function": "f", "inputs": [{}], "outputs": []})"),
            "attnc_signature: 'inputs' entry lacks 'name', 'dtype' or "
            "'shape'");
  EXPECT_EQ(err(R"({"function": "f", "inputs": [{"name": "x", "dtype":
                "c64", "shape": []}], "outputs": []})"),
            "attnc_signature: unsupported element type 'c64'");
  EXPECT_EQ(err(R"({"function": "f", "inputs": [{"name": "x", "dtype":
                "f32", "shape": ["a"]}], "outputs": []})"),
            "attnc_signature: a shape entry is not an integer");
  EXPECT_EQ(err(R"({"function": "f", "inputs": [{"name": "x", "dtype":
                "f32", "shape": [2], "max_shape": [1, 2]}], "outputs": []})"),
            "attnc_signature: 'x': max_shape and shape differ in rank");
  EXPECT_EQ(err(R"({"function": "f", "inputs": [{"name": "x", "dtype":
                "f32", "shape": [2], "dim_names": [3]}], "outputs": []})"),
            "attnc_signature: a dim_names entry is not a string");
  EXPECT_EQ(err(R"({"function": "f", "inputs": [{"name": "x", "dtype":
                "f32", "shape": [2], "dim_names": []}], "outputs": []})"),
            "attnc_signature: 'x': dim_names and shape differ in rank");
  EXPECT_TRUE(llvm::StringRef(errorOf(ModuleSignature::fromJson("{")))
                  .starts_with("attnc_signature: "));
}

const char *kAttention = R"mlir(
func.func @attention(%q: tensor<1x2x?x16xf32>, %k: tensor<1x2x?x16xf32>,
                     %v: tensor<1x2x?x16xf32>) -> tensor<1x2x?x16xf32> {
  %o = attn.sdpa %q, %k, %v {causal}
      : (tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>)
      -> tensor<1x2x?x16xf32>
  return %o : tensor<1x2x?x16xf32>
})mlir";

TEST(ModuleTest, JitRunsAndChecksItsInputs) {
  auto m = JitModule::compileSource(kAttention);
  ASSERT_TRUE(static_cast<bool>(m)) << toString(m.takeError());
  const Signature &sig = (*m)->signature();
  EXPECT_EQ(sig.function, "attention");
  ASSERT_EQ(sig.inputs.size(), 3u);
  EXPECT_EQ(sig.inputs[0].name, "arg0");
  EXPECT_EQ(sig.outputs[0].name, "result0");
  EXPECT_EQ(sig.inputs[0].shape, std::vector<int64_t>({1, 2, -1, 16}));

  Tensor q = random({1, 2, 5, 16}, 1);
  // The first query of a causal self-attention sees only the first key, so
  // its output is the first value row exactly.
  auto out = (*m)->run({q, q, q});
  ASSERT_TRUE(static_cast<bool>(out)) << toString(out.takeError());
  ASSERT_EQ(out->size(), 1u);
  EXPECT_EQ(llvm::ArrayRef<int64_t>((*out)[0].shape()), llvm::ArrayRef<int64_t>({1, 2, 5, 16}));
  for (int64_t d = 0; d < 16; ++d)
    EXPECT_FLOAT_EQ((*out)[0].as<float>()[d], q.as<float>()[d]);

  EXPECT_EQ(errorOf((*m)->run({q})), "attention expects 3 inputs, got 1");
  Tensor wide = random({1, 2, 5, 8}, 2);
  EXPECT_EQ(errorOf((*m)->run({q, wide, q})),
            "input 'arg1' must have shape [1, 2, -1, 16] (-1: any), got "
            "[1, 2, 5, 8]");
  EXPECT_EQ(errorOf((*m)->run({q, q, q.convert(DType::F16)})),
            "input 'arg2' must be f32, got f16");
  // Lengths are dynamic in the IR, but K and V must agree with each other.
  Tensor longer = random({1, 2, 6, 16}, 3);
  EXPECT_EQ(errorOf((*m)->run({q, q, longer})),
            "the inputs do not fit @attention: 'attn.sdpa' op value length 6 "
            "does not match key length 5");
  // Q may be shorter than K; that is a different, valid call.
  auto shorter = (*m)->run({random({1, 2, 3, 16}, 4), longer, longer});
  EXPECT_TRUE(static_cast<bool>(shorter))
      << toString(shorter.takeError());
}

TEST(ModuleTest, CompileErrorsAreValues) {
  EXPECT_TRUE(llvm::StringRef(errorOf(JitModule::compileSource("func.func @")))
                  .starts_with("<source>:1:"));
  CompileOptions options;
  options.entry = "h";
  EXPECT_EQ(errorOf(JitModule::compileSource(kAttention, options)),
            "no public function named 'h'");
  EXPECT_EQ(errorOf(JitModule::compileSource(
                "func.func private @p(%x: tensor<2xf32>) -> tensor<2xf32> "
                "{ return %x : tensor<2xf32> }")),
            "the module has no public function");
  EXPECT_EQ(errorOf(JitModule::compileFile(scratch("missing.mlir"))),
            scratch("missing.mlir") + ": No such file or directory");
}

TEST(ModuleTest, EveryPublicFunctionIsAnEntryPoint) {
  const char *source = R"mlir(
    func.func @double(%x: tensor<2xf32>) -> tensor<2xf32> {
      %y = arith.addf %x, %x : tensor<2xf32>
      return %y : tensor<2xf32>
    }
    func.func @square(%x: tensor<2xf32>) -> tensor<2xf32> {
      %y = arith.mulf %x, %x : tensor<2xf32>
      return %y : tensor<2xf32>
    }
    func.func private @unused(%x: tensor<2xf32>) -> tensor<2xf32> {
      return %x : tensor<2xf32>
    })mlir";
  auto m = JitModule::compileSource(source);
  ASSERT_TRUE(static_cast<bool>(m)) << toString(m.takeError());
  ASSERT_EQ((*m)->signatures().entries.size(), 2u);
  EXPECT_EQ((*m)->signatures().defaultEntry, "");
  Tensor x(DType::F32, {2});
  x.setDouble(0, 3);
  x.setDouble(1, -2);
  auto twice = (*m)->run("double", {x});
  ASSERT_TRUE(static_cast<bool>(twice)) << toString(twice.takeError());
  EXPECT_EQ((*twice)[0].getDouble(0), 6);
  EXPECT_EQ((*twice)[0].getDouble(1), -4);
  auto squared = (*m)->run("square", {x});
  ASSERT_TRUE(static_cast<bool>(squared))
      << toString(squared.takeError());
  EXPECT_EQ((*squared)[0].getDouble(0), 9);
  EXPECT_EQ((*squared)[0].getDouble(1), 4);
  EXPECT_EQ(errorOf((*m)->run({x})),
            "the module has several entry points ('double', 'square') and "
            "none is called 'forward'; name the one to run");
  EXPECT_EQ(errorOf((*m)->run("unused", {x})),
            "no entry point named 'unused'; the module has 'double', "
            "'square'");

  // A default by name, and `forward` by convention.
  CompileOptions options;
  options.entry = "square";
  auto named = JitModule::compileSource(source, options);
  ASSERT_TRUE(static_cast<bool>(named)) << toString(named.takeError());
  auto byDefault = (*named)->run({x});
  ASSERT_TRUE(static_cast<bool>(byDefault))
      << toString(byDefault.takeError());
  EXPECT_EQ((*byDefault)[0].getDouble(0), 9);
  std::string renamed = source;
  renamed.replace(renamed.find("@double"), 7, "@forward");
  auto forward = JitModule::compileSource(renamed);
  ASSERT_TRUE(static_cast<bool>(forward)) << toString(forward.takeError());
  EXPECT_EQ((*forward)->signatures().defaultEntry, "forward");
}

TEST(ModuleTest, LoadsAnAttncLibrary) {
  // Built at build time by examples/aot-sdpa with attnc.
  auto lib = Module::load(ATTNC_EXAMPLE_LIBRARY);
  ASSERT_TRUE(static_cast<bool>(lib)) << toString(lib.takeError());
  const Signature &sig = (*lib)->signature();
  ASSERT_EQ(sig.inputs.size(), 3u);
  std::vector<Tensor> inputs;
  for (auto [i, spec] : llvm::enumerate(sig.inputs))
    inputs.push_back(random(spec.shape, 10 + i));
  auto aot = (*lib)->run(inputs);
  ASSERT_TRUE(static_cast<bool>(aot)) << toString(aot.takeError());

  // The same source through the JIT gives the same numbers.
  auto jit = JitModule::compileFile(ATTNC_EXAMPLE_SOURCE);
  ASSERT_TRUE(static_cast<bool>(jit)) << toString(jit.takeError());
  auto again = (*jit)->run(inputs);
  ASSERT_TRUE(static_cast<bool>(again)) << toString(again.takeError());
  const Tensor &a = (*aot)[0], &b = (*again)[0];
  ASSERT_EQ(a.shape(), b.shape());
  double maxDiff = 0;
  for (int64_t i = 0; i < a.numElements(); ++i)
    maxDiff = std::max(maxDiff, std::fabs(a.getDouble(i) - b.getDouble(i)));
  EXPECT_LE(maxDiff, 1e-6);
}

TEST(ModuleTest, LoadErrorsAreValues) {
  std::string missing = scratch("missing.so");
  EXPECT_TRUE(llvm::StringRef(errorOf(Module::load(missing)))
                  .starts_with(missing + ": cannot load: "));
  EXPECT_EQ(errorOf(Module::load("libm.so.6")),
            "libm.so.6: not an attnc library (no attnc_signature symbol)");
}

} // namespace
