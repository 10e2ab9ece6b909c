//===- FlashCases.h - The flash-attention correctness matrix ----*- C++ -*-===//
//
// The cases of the flash correctness tests (shapes, masks, windows, GQA,
// weights, dynamic sizes), the IR each one compiles, its seeded inputs and
// the comparison with the fp64 reference interpreter; shared by the CPU
// (FlashCorrectnessTest.cpp) and GPU (GpuCorrectnessTest.cpp) suites.
//
// Error measure: for each result tensor,
//   rel err = max_i |got_i - want_i| / max_i |want_i|
// i.e. the worst absolute error relative to the largest reference magnitude
// of that tensor (not elementwise: outputs that average many value rows have
// entries near 0 whose elementwise relative error would be meaningless).
// Rows of the output (and weights) of a query that sees no key must be
// exactly 0.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TEST_UNIT_RUNTIME_FLASHCASES_H
#define ATTNC_TEST_UNIT_RUNTIME_FLASHCASES_H

#include "lowering/Compile.h"
#include "reference/Interpreter.h"
#include "compiler/JitModule.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace attnc::flashcases {

/// What the mask operand holds.
enum class MaskType { None, Bool, Float };

/// One point of the matrix: shapes, attributes and lowering options.
struct FlashCase {
  std::string name;
  int64_t batch = 1, queryHeads = 2, kvHeads = 2;
  int64_t lq = 64, lk = 64, d = 64, dv = 0; ///< dv = 0: same as d.
  bool causal = false;
  std::optional<std::array<int64_t, 2>> window;
  MaskType mask = MaskType::None;
  /// The mask's shape, broadcastable to [B, Hq, Lq, Lk].
  std::vector<int64_t> maskShape;
  /// Hide every key of mask row (.., 0, ..) so one query sees nothing.
  bool maskRowZeroAllFalse = false;
  std::optional<double> scale, softcap;
  bool cosine = false, hard = false, weights = false, f16 = false;
  /// bf16 elements (f16 and bf16 both false: f32).
  bool bf16 = false;
  /// Lq and Lk are `?` (and B too) in the IR; `runs` lists the runtime
  /// (B, Lq, Lk) that go through the one compiled module.
  bool dynamic = false;
  std::vector<std::array<int64_t, 3>> runs;
  int64_t queryBlock = 0, keyBlock = 0;
  bool vectorize = true, parallel = true;
  /// The case must contain at least one query that sees no key, so that the
  /// exact-zero rule is really exercised.
  bool expectEmptyRow = false;
  /// Amplitude of the uniform query/key entries; larger values make the
  /// softmax peaked, which is what stresses the running max.
  double qkAmplitude = 2.0;

  int64_t valueDim() const { return dv ? dv : d; }
  DType dtype() const {
    return bf16 ? DType::BF16 : f16 ? DType::F16 : DType::F32;
  }
};

inline std::string tensorType(llvm::ArrayRef<int64_t> shape, llvm::StringRef elt) {
  std::string s = "tensor<";
  for (int64_t x : shape)
    s += (x < 0 ? std::string("?") : std::to_string(x)) + "x";
  return s + elt.str() + ">";
}

/// The IR of the case: one public function @main(q, k, v[, mask]).
inline std::string buildIR(const FlashCase &c) {
  std::string elt = c.bf16 ? "bf16" : c.f16 ? "f16" : "f32";
  int64_t dyn = -1;
  int64_t b = c.dynamic ? dyn : c.batch, lq = c.dynamic ? dyn : c.lq,
          lk = c.dynamic ? dyn : c.lk;
  std::string qT = tensorType({b, c.queryHeads, lq, c.d}, elt);
  std::string kT = tensorType({b, c.kvHeads, lk, c.d}, elt);
  std::string vT = tensorType({b, c.kvHeads, lk, c.valueDim()}, elt);
  std::string oT = tensorType({b, c.queryHeads, lq, c.valueDim()}, elt);
  std::string wT = tensorType({b, c.queryHeads, lq, lk}, elt);
  std::string mT;
  if (c.mask != MaskType::None) {
    // In a dynamic case the mask's batch/length dims follow the operands'.
    std::vector<int64_t> shape = c.maskShape;
    if (c.dynamic) {
      int64_t rank = shape.size();
      for (int64_t i = 0; i < rank; ++i) {
        int64_t target = i + 4 - rank;
        if (shape[i] != 1 && target != 1)
          shape[i] = dyn;
      }
    }
    mT = tensorType(shape, c.mask == MaskType::Bool ? "i1" : elt);
  }

  std::vector<std::string> attrs;
  if (c.causal)
    attrs.push_back("causal");
  if (c.window)
    attrs.push_back(llvm::formatv("window = array<i64: {0}, {1}>",
                                  (*c.window)[0], (*c.window)[1]));
  if (c.scale)
    attrs.push_back(llvm::formatv("scale = {0:e} : f64", *c.scale));
  if (c.softcap)
    attrs.push_back(llvm::formatv("softcap = {0:e} : f64", *c.softcap));
  if (c.cosine)
    attrs.push_back("score = #attn.score<cosine>");
  std::string attrText;
  if (!attrs.empty())
    attrText = " {" + llvm::join(attrs, ", ") + "}";

  std::string args = "%q: " + qT + ", %k: " + kT + ", %v: " + vT;
  std::string operandTypes = qT + ", " + kT + ", " + vT;
  std::string maskText;
  if (!mT.empty()) {
    args += ", %m: " + mT;
    operandTypes += ", " + mT;
    maskText = " mask(%m)";
  }
  bool weights = c.weights && !c.hard;
  std::string resultTypes = weights ? "(" + oT + ", " + wT + ")" : oT;
  std::string results = weights ? "%o, %w" : "%o";
  std::string op = c.hard ? "attn.hard" : "attn.sdpa";
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "func.func @main(" << args << ") -> " << resultTypes << " {\n"
     << "  " << results << " = " << op << " %q, %k, %v" << maskText
     << attrText << " : (" << operandTypes << ") -> " << resultTypes << "\n"
     << "  return " << results << " : "
     << (weights ? oT + ", " + wT : oT) << "\n}\n";
  return text;
}

/// A small deterministic generator (splitmix64), seeded per case.
struct Rng {
  uint64_t state;
  explicit Rng(llvm::StringRef seed) : state(0x243F6A8885A308D3ull) {
    for (char ch : seed) // FNV-1a: stable across platforms and runs.
      state = (state ^ static_cast<unsigned char>(ch)) * 0x100000001B3ull;
  }
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [lo, hi).
  double uniform(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(next() >> 11) /
                    static_cast<double>(1ull << 53);
  }
};

/// The inputs for one run of the case, at runtime sizes (B, Lq, Lk).
inline std::vector<Tensor> makeInputs(const FlashCase &c, int64_t batch, int64_t lq,
                               int64_t lk, Rng &rng) {
  DType elt = c.dtype();
  auto filled = [&](llvm::ArrayRef<int64_t> shape, double amplitude) {
    Tensor t(elt, shape);
    for (int64_t i = 0, e = t.numElements(); i < e; ++i)
      t.setDouble(i, rng.uniform(-amplitude, amplitude)); // rounds for f16
    return t;
  };
  std::vector<Tensor> inputs = {
      filled({batch, c.queryHeads, lq, c.d}, c.qkAmplitude),
      filled({batch, c.kvHeads, lk, c.d}, c.qkAmplitude),
      filled({batch, c.kvHeads, lk, c.valueDim()}, 1.0)};
  if (c.mask == MaskType::None)
    return inputs;
  // Fill in the runtime sizes of the mask's non-broadcast dims.
  std::vector<int64_t> shape = c.maskShape;
  int64_t rank = shape.size();
  int64_t full[4] = {batch, c.queryHeads, lq, lk};
  for (int64_t i = 0; i < rank; ++i)
    if (shape[i] != 1)
      shape[i] = full[i + 4 - rank];
  Tensor m(c.mask == MaskType::Bool ? DType::I1 : elt, shape);
  for (int64_t i = 0, e = m.numElements(); i < e; ++i) {
    double u = rng.uniform(0, 1);
    if (c.mask == MaskType::Bool)
      m.setDouble(i, u < 0.75 ? 1.0 : 0.0);
    else // Mostly finite biases, and some -inf, which hides the key.
      m.setDouble(i, u < 0.1 ? -std::numeric_limits<double>::infinity()
                             : rng.uniform(-4, 1));
  }
  if (c.maskRowZeroAllFalse) {
    // Row 0 along the mask's query dim (or everything, if it has none).
    int64_t lastDim = rank ? shape.back() : 1;
    int64_t rowsPer = rank >= 2 ? shape[rank - 2] : 1;
    for (int64_t i = 0, e = m.numElements(); i < e; ++i)
      if ((i / lastDim) % rowsPer == 0)
        m.setDouble(i, c.mask == MaskType::Bool
                           ? 0.0
                           : -std::numeric_limits<double>::infinity());
  }
  inputs.push_back(m);
  return inputs;
}

/// For every (b, h, i): whether query i sees at least one key, from the mask
/// and the causal/window rules as the op documentation states them (an
/// independent restatement, not the kernel's band arithmetic).
inline std::vector<bool> visibleRows(const FlashCase &c, const Tensor *mask,
                              int64_t batch, int64_t lq, int64_t lk) {
  std::vector<bool> rows(batch * c.queryHeads * lq, false);
  std::vector<int64_t> mshape;
  if (mask)
    mshape.assign(mask->shape().begin(), mask->shape().end());
  int64_t mrank = mshape.size();
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t h = 0; h < c.queryHeads; ++h)
      for (int64_t i = 0; i < lq; ++i) {
        bool any = false;
        int64_t diag = i + lk - lq;
        for (int64_t j = 0; j < lk && !any; ++j) {
          if (c.causal && j > diag)
            continue;
          if (c.window && (*c.window)[0] >= 0 && j < diag - (*c.window)[0])
            continue;
          if (c.window && (*c.window)[1] >= 0 && j > diag + (*c.window)[1])
            continue;
          if (mask) {
            int64_t idx4[4] = {b, h, i, j}, flat = 0;
            for (int64_t d = 0; d < mrank; ++d)
              flat = flat * mshape[d] +
                     (mshape[d] == 1 ? 0 : idx4[d + 4 - mrank]);
            double mv = mask->getDouble(flat);
            if (c.mask == MaskType::Bool ? mv == 0.0 : std::isinf(mv))
              continue;
          }
          any = true;
        }
        rows[(b * c.queryHeads + h) * lq + i] = any;
      }
  return rows;
}

inline ref::Tensor toReference(const Tensor &t) {
  ref::Tensor r(std::vector<int64_t>(t.shape().begin(), t.shape().end()));
  for (int64_t i = 0, e = t.numElements(); i < e; ++i)
    r.data[i] = t.getDouble(i); // f16 inputs: the oracle sees the f16 values
  return r;
}

/// max|got - want| / max|want| over one result (see the file comment).
inline double relativeError(const Tensor &got, const ref::Tensor &want) {
  double maxAbs = 0, maxRef = 0;
  for (int64_t i = 0, e = got.numElements(); i < e; ++i) {
    double g = got.getDouble(i), w = want.data[i];
    double err = std::isfinite(g) ? std::fabs(g - w)
                                  : std::numeric_limits<double>::infinity();
    maxAbs = std::max(maxAbs, err);
    maxRef = std::max(maxRef, std::fabs(w));
  }
  return maxAbs == 0 ? 0 : maxAbs / std::max(maxRef, 1e-30);
}

/// Compiles the case with `options`, runs it on seeded inputs and compares
/// every result with the fp64 oracle (relative error at most `tolerance`,
/// the largest seen kept in `worst`), and rows that see no key with 0.
inline void checkAgainstReference(const FlashCase &c,
                                  const CompileOptions &options,
                                  double tolerance, double &worst) {
  std::string ir = buildIR(c);
  SCOPED_TRACE(ir);

  llvm::Expected<std::unique_ptr<JitModule>> module =
      JitModule::compileSource(ir, options);
  ASSERT_TRUE(static_cast<bool>(module)) << toString(module.takeError());

  // The oracle parses the IR as written, in its own context.
  mlir::DialectRegistry registry;
  mlir::attn::registerCompilerDialects(registry);
  mlir::MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  mlir::OwningOpRef<mlir::ModuleOp> parsed =
      mlir::parseSourceString<mlir::ModuleOp>(ir, &ctx);
  ASSERT_TRUE(parsed);
  auto fn = parsed->lookupSymbol<mlir::func::FuncOp>("main");
  ASSERT_TRUE(fn);

  std::vector<std::array<int64_t, 3>> runs = c.runs;
  if (runs.empty())
    runs.push_back({c.batch, c.lq, c.lk});
  Rng rng(c.name);
  bool sawEmptyRow = false;
  for (auto [batch, lq, lk] : runs) {
    SCOPED_TRACE(llvm::formatv("B={0} Lq={1} Lk={2}", batch, lq, lk).str());
    std::vector<Tensor> inputs = makeInputs(c, batch, lq, lk, rng);
    attnc::Result<std::vector<Tensor>> got = (*module)->run(inputs);
    ASSERT_TRUE(static_cast<bool>(got)) << toString(got.takeError());

    std::vector<ref::Tensor> refInputs;
    for (const Tensor &t : inputs)
      refInputs.push_back(toReference(t));
    llvm::Expected<std::vector<ref::Tensor>> want =
        ref::evaluate(fn, refInputs);
    ASSERT_TRUE(static_cast<bool>(want)) << toString(want.takeError());
    ASSERT_EQ(got->size(), want->size());

    for (auto [index, g, w] : llvm::enumerate(*got, *want)) {
      ASSERT_EQ(std::vector<int64_t>(g.shape().begin(), g.shape().end()),
                w.shape);
      double err = relativeError(g, w);
      worst = std::max(worst, err);
      EXPECT_LE(err, tolerance)
          << (index == 0 ? "output" : "weights") << " of " << c.name;
    }

    // Queries that see no key: exactly 0 in the output and the weights.
    const Tensor *mask = c.mask == MaskType::None ? nullptr : &inputs[3];
    std::vector<bool> visible = visibleRows(c, mask, batch, lq, lk);
    for (auto [index, g] : llvm::enumerate(*got)) {
      int64_t cols = g.shape().back();
      for (auto [row, sees] : llvm::enumerate(visible)) {
        if (sees)
          continue;
        sawEmptyRow = true;
        for (int64_t x = 0; x < cols; ++x)
          ASSERT_EQ(g.getDouble(row * cols + x), 0.0)
              << "row " << row << " of result " << index
              << " sees no key but is not 0";
      }
    }
  }
  if (c.expectEmptyRow) {
    EXPECT_TRUE(sawEmptyRow) << "the case was meant to hide a whole row";
  }
}


/// Builders that keep the case table readable.
inline FlashCase base(std::string name, int64_t lq, int64_t lk, int64_t d = 64) {
  FlashCase c;
  c.name = std::move(name);
  c.lq = lq;
  c.lk = lk;
  c.d = d;
  return c;
}
template <typename Fn> FlashCase with(FlashCase c, Fn fn) {
  fn(c);
  return c;
}

inline std::vector<FlashCase> lengthAndDimCases() {
  std::vector<FlashCase> cases;
  // Lengths: 1, 7 (below the smallest block), 64 (one block), 129 (a tail
  // of 1), 1000 (many blocks and a tail), with Lq != Lk.
  for (auto [lq, lk] : std::vector<std::pair<int64_t, int64_t>>{
           {1, 1}, {7, 7}, {64, 64}, {129, 64}, {64, 129},
           {1, 129}, {7, 1000}, {1000, 7}})
    cases.push_back(base(llvm::formatv("L{0}x{1}", lq, lk), lq, lk));
  // Head dims 32, 80 (not a power of two) and 128, with Dv != D; 64 is the
  // default of every other case, and 32/80/128 recur below (CausalWindow,
  // Hard_cosine_D80, L1000_causal_gqa_D128).
  cases.push_back(with(base("D80_Dv32", 40, 75, 80), [](FlashCase &c) {
    c.dv = 32;
  }));
  cases.push_back(with(base("D32_Dv128_causal", 75, 40, 32), [](FlashCase &c) {
    c.dv = 128;
    c.causal = true;
  }));
  // A peaked softmax (scores of tens): a missing or wrong rescale of the
  // running sum and accumulator shows at once.
  cases.push_back(with(base("Peaked", 100, 300), [](FlashCase &c) {
    c.scale = 1.0;
  }));
  // The large combination: many key blocks, causal, H=8 over GQA 8/2.
  cases.push_back(with(base("L1000_causal_gqa_D128", 1000, 1000, 128),
                       [](FlashCase &c) {
                         c.queryHeads = 8;
                         c.kvHeads = 2;
                         c.causal = true;
                       }));
  return cases;
}

inline std::vector<FlashCase> visibilityCases() {
  std::vector<FlashCase> cases;
  auto add = [&](std::string name, int64_t lq, int64_t lk, bool causal,
                 std::optional<std::array<int64_t, 2>> window) {
    cases.push_back(with(base(std::move(name), lq, lk), [&](FlashCase &c) {
      c.causal = causal;
      c.window = window;
    }));
  };
  add("Causal", 129, 129, true, std::nullopt);
  add("Causal_LqLtLk", 7, 1000, true, std::nullopt);
  add("Causal_LqGtLk", 129, 64, true, std::nullopt); // early queries see none
  add("Window16_8", 200, 200, false, std::array<int64_t, 2>{16, 8});
  add("Window32_open", 129, 300, false, std::array<int64_t, 2>{32, -1});
  add("Window_open_4", 300, 129, false, std::array<int64_t, 2>{-1, 4});
  add("Window0_0", 70, 70, false, std::array<int64_t, 2>{0, 0});
  add("CausalWindow16_8", 200, 333, true, std::array<int64_t, 2>{16, 8});
  add("CausalWindow100_open", 1000, 1000, true,
      std::array<int64_t, 2>{100, -1});
  cases.back().queryHeads = cases.back().kvHeads = 1;
  cases.back().d = 32;
  for (FlashCase &c : cases)
    c.expectEmptyRow = c.name == "Causal_LqGtLk";
  return cases;
}

/// Lk = 300 gives one full key block of the default 256 and a tail, so both
/// the in-place and the padded mask tiles are exercised.
inline std::vector<FlashCase> maskCases() {
  std::vector<FlashCase> cases;
  auto add = [&](std::string name, MaskType type, std::vector<int64_t> shape,
                 int64_t lq = 70, int64_t lk = 300) {
    FlashCase c = base(std::move(name), lq, lk);
    c.batch = 2;
    c.mask = type;
    c.maskShape = std::move(shape);
    cases.push_back(c);
  };
  // Every broadcast shape with an i1 mask; the float masks share the
  // slicing code, so they take the full and the rank-1 shape (and [Lq, Lk]
  // and [1, 1, Lq, Lk] in the cases below and in Features/F16).
  add("BoolMask_full", MaskType::Bool, {2, 2, 70, 300});
  add("BoolMask_1x1xLqxLk", MaskType::Bool, {1, 1, 70, 300});
  add("BoolMask_Bx1x1xLk", MaskType::Bool, {2, 1, 1, 300});
  add("BoolMask_Lk", MaskType::Bool, {300});
  add("BoolMask_LqxLk", MaskType::Bool, {70, 300});
  add("BoolMask_HxLqx1", MaskType::Bool, {2, 70, 1});
  add("FloatMask_full", MaskType::Float, {2, 2, 70, 300});
  add("FloatMask_Lk", MaskType::Float, {300});
  // Rank-0 masks: one value for every score. A false one hides every key.
  add("BoolMask_scalarFalse", MaskType::Bool, {});
  cases.back().maskRowZeroAllFalse = true;
  cases.back().expectEmptyRow = true;
  add("FloatMask_scalar_weights", MaskType::Float, {});
  cases.back().weights = true;
  // A mask row hiding every key (mask with causal: NoVectorize, Hard_*).
  add("BoolMask_emptyRow", MaskType::Bool, {2, 2, 70, 300});
  cases.back().maskRowZeroAllFalse = true;
  cases.back().expectEmptyRow = true;
  add("FloatMask_emptyRow_weights", MaskType::Float, {70, 300});
  cases.back().maskRowZeroAllFalse = true;
  cases.back().expectEmptyRow = true;
  cases.back().weights = true;
  return cases;
}

inline std::vector<FlashCase> featureCases() {
  std::vector<FlashCase> cases;
  cases.push_back(with(base("GQA8_2", 70, 300), [](FlashCase &c) {
    c.queryHeads = 8;
    c.kvHeads = 2;
  }));
  cases.push_back(with(base("MQA8_1_causal", 70, 300), [](FlashCase &c) {
    c.queryHeads = 8;
    c.kvHeads = 1;
    c.causal = true;
  }));
  cases.push_back(with(base("Softcap", 70, 300), [](FlashCase &c) {
    c.softcap = 5.0;
    c.scale = 0.5;
  }));
  cases.push_back(with(base("Cosine", 70, 300), [](FlashCase &c) {
    c.cosine = true;
    c.scale = 10.0;
  }));
  cases.push_back(with(base("CosineSoftcapCausalMask", 70, 300),
                       [](FlashCase &c) {
                         c.cosine = true;
                         c.scale = 8.0;
                         c.softcap = 3.0;
                         c.causal = true;
                         c.mask = MaskType::Float;
                         c.maskShape = {70, 300};
                       }));
  // Hard attention: small enough that no two top scores of a row are within
  // f32 rounding of each other (an argmax flip would be legitimate there).
  cases.push_back(with(base("Hard", 70, 300), [](FlashCase &c) {
    c.hard = true;
  }));
  cases.push_back(with(base("Hard_causal_boolMask_GQA", 129, 70),
                       [](FlashCase &c) {
                         c.hard = true;
                         c.causal = true;
                         c.queryHeads = 4;
                         c.kvHeads = 2;
                         c.mask = MaskType::Bool;
                         c.maskShape = {1, 1, 129, 70};
                         c.maskRowZeroAllFalse = true;
                         c.expectEmptyRow = true;
                       }));
  cases.push_back(with(base("Hard_window_floatMask_softcap", 70, 300),
                       [](FlashCase &c) {
                         c.hard = true;
                         c.window = std::array<int64_t, 2>{16, 8};
                         c.softcap = 4.0;
                         c.mask = MaskType::Float;
                         c.maskShape = {300};
                       }));
  cases.push_back(with(base("Hard_cosine_D80", 33, 70, 80), [](FlashCase &c) {
    c.hard = true;
    c.cosine = true;
  }));
  // The weights result.
  cases.push_back(with(base("Weights", 70, 300), [](FlashCase &c) {
    c.weights = true;
  }));
  cases.push_back(with(base("Weights_causal_LqGtLk_GQA", 300, 70),
                       [](FlashCase &c) {
                         c.weights = true;
                         c.causal = true;
                         c.queryHeads = 4;
                         c.kvHeads = 1;
                         c.expectEmptyRow = true;
                       }));
  cases.push_back(with(base("Weights_window_boolMask", 100, 100),
                       [](FlashCase &c) {
                         c.weights = true;
                         c.window = std::array<int64_t, 2>{8, 16};
                         c.mask = MaskType::Bool;
                         c.maskShape = {1, 2, 100, 100};
                       }));
  return cases;
}

inline std::vector<FlashCase> dynamicCases() {
  std::vector<FlashCase> cases;
  // One compiled module, several runtime sizes (including 1 and tails).
  cases.push_back(with(base("Dynamic", 0, 0), [](FlashCase &c) {
    c.dynamic = true;
    c.queryHeads = 8;
    c.kvHeads = 8;
    c.runs = {{1, 1, 1}, {2, 7, 129}, {1, 129, 64}, {3, 64, 64},
              {1, 200, 333}};
  }));
  cases.push_back(with(base("Dynamic_causal_GQA_weights", 0, 0),
                       [](FlashCase &c) {
                         c.dynamic = true;
                         c.queryHeads = 8;
                         c.kvHeads = 2;
                         c.causal = true;
                         c.weights = true;
                         c.expectEmptyRow = true;
                         c.runs = {{2, 7, 129}, {1, 129, 64}, {1, 1, 1}};
                       }));
  cases.push_back(with(base("Dynamic_window_mask", 0, 0), [](FlashCase &c) {
    c.dynamic = true;
    c.window = std::array<int64_t, 2>{16, 8};
    c.mask = MaskType::Bool;
    c.maskShape = {2, 1, 1, 2};
    c.runs = {{2, 40, 100}, {1, 129, 7}, {3, 1, 65}};
  }));
  return cases;
}

inline std::vector<FlashCase> f16Cases() {
  std::vector<FlashCase> cases;
  cases.push_back(with(base("F16", 129, 200), [](FlashCase &c) {
    c.f16 = true;
  }));
  cases.push_back(with(base("F16_causal_floatMask_weights_GQA", 135, 70),
                       [](FlashCase &c) {
                         c.f16 = true;
                         c.causal = true;
                         c.weights = true;
                         c.queryHeads = 4;
                         c.kvHeads = 2;
                         c.mask = MaskType::Float;
                         c.maskShape = {1, 1, 135, 70};
                       }));
  cases.push_back(with(base("F16_hard_window", 70, 135, 32), [](FlashCase &c) {
    c.f16 = true;
    c.hard = true;
    c.window = std::array<int64_t, 2>{32, -1};
  }));
  return cases;
}

inline std::vector<FlashCase> blockCases() {
  std::vector<FlashCase> cases;
  // Explicit small blocks with lengths that are not multiples of them, so
  // that the band, the tail and the masked/unmasked choice all get many
  // blocks to work on.
  cases.push_back(with(base("Block8", 37, 29), [&](FlashCase &c) {
    c.queryBlock = c.keyBlock = 8;
  }));
  for (int64_t block : {8, 16}) {
    std::string bs = std::to_string(block);
    cases.push_back(with(base("Block" + bs + "_causalWindow", 101, 77),
                         [&](FlashCase &c) {
                           c.queryBlock = block;
                           c.keyBlock = 24 - block; // 16 and 8
                           c.causal = true;
                           c.window = std::array<int64_t, 2>{20, -1};
                           c.expectEmptyRow = true;
                         }));
    cases.push_back(with(base("Block" + bs + "_mask_weights", 45, 53),
                         [&](FlashCase &c) {
                           c.queryBlock = c.keyBlock = block;
                           c.weights = true;
                           c.window = std::array<int64_t, 2>{5, 3};
                           c.mask = MaskType::Bool;
                           c.maskShape = {45, 53};
                         }));
  }
  cases.push_back(with(base("Block8_hard", 37, 29), [](FlashCase &c) {
    c.queryBlock = c.keyBlock = 8;
    c.hard = true;
    c.causal = true;
  }));
  // The unvectorized and the serial lowering, each on one case.
  cases.push_back(with(base("NoVectorize", 70, 135), [](FlashCase &c) {
    c.vectorize = false;
    c.causal = true;
    c.mask = MaskType::Bool;
    c.maskShape = {70, 135};
  }));
  cases.push_back(with(base("NoParallel", 70, 135), [](FlashCase &c) {
    c.parallel = false;
    c.window = std::array<int64_t, 2>{16, 8};
    c.weights = true;
  }));
  return cases;
}

/// Names the case in gtest's messages instead of dumping its bytes.
inline void PrintTo(const FlashCase &c, std::ostream *os) {
  *os << c.name;
}

inline std::string caseName(const ::testing::TestParamInfo<FlashCase> &info) {
  return info.param.name;
}

} // namespace attnc::flashcases

#endif // ATTNC_TEST_UNIT_RUNTIME_FLASHCASES_H
