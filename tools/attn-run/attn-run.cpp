//===- attn-run.cpp - JIT-compile and run an attention model --------------===//
//
//   attn-run INPUT.{mlir,onnx} --input FILE... --output-dir DIR
//            [--check] [--bench N] [--device=cpu]
//
// Inputs are .npy or ONNX TensorProto .pb files, in the model's input order.
// Each result is written as DIR/<name>.npy: the ONNX graph output name, or
// result<i> for an MLIR function.
//
//===----------------------------------------------------------------------===//

#include "frontend/Input.h"
#include "frontend/OnnxImport.h"
#include "lowering/Compile.h"
#include "reference/Interpreter.h"
#include "runtime/Module.h"

#include "dialect/AttnOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

#include <algorithm>
#include <chrono>
#include <cmath>

using namespace attnc;
namespace cl = llvm::cl;

static cl::OptionCategory category("attn-run options");
static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir|model.onnx>"),
                                      cl::cat(category));
static cl::list<std::string>
    inputs("input", cl::desc("An input tensor (.npy or ONNX .pb), in order"),
           cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string>
    outputDir("output-dir", cl::desc("Write each result as DIR/<name>.npy"),
              cl::value_desc("dir"), cl::cat(category));
static cl::opt<bool> check("check",
                           cl::desc("Also run the fp64 reference evaluator "
                                    "and print the max abs and rel error"),
                           cl::cat(category));
static cl::opt<double> tolerance(
    "tolerance",
    cl::desc("With --check, fail when the relative error exceeds this "
             "(default 1e-4)"),
    cl::init(1e-4), cl::cat(category));
static cl::opt<unsigned> bench("bench",
                               cl::desc("Time N runs; print the median time "
                                        "and GFLOP/s"),
                               cl::init(0), cl::cat(category));
static cl::opt<bool> randomInputs(
    "random",
    cl::desc("Without --input: fill every input (static shapes only) with "
             "seeded uniform values in [-1, 1); i1 inputs are 7/8 true"),
    cl::cat(category));
static cl::opt<std::string> device("device",
                                   cl::desc("Where to run: cpu (default)"),
                                   cl::init("cpu"), cl::cat(category));
static cl::opt<std::string>
    entry("entry",
          cl::desc("The function to run (default: the only public one, "
                   "else 'forward')"),
          cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "attn-run") << message << "\n";
  return 1;
}

static llvm::Expected<Tensor> loadTensor(llvm::StringRef path) {
  if (path.ends_with(".pb"))
    return frontend::loadTensorProto(path);
  if (path.ends_with(".npy"))
    return loadNpy(path);
  return llvm::createStringError(path +
                                 ": unknown input format (use .npy or .pb)");
}

static ref::Tensor toReference(const Tensor &t) {
  ref::Tensor r(std::vector<int64_t>(t.shape().begin(), t.shape().end()));
  for (int64_t i = 0, e = t.numElements(); i < e; ++i)
    r.data[i] = t.getDouble(i);
  return r;
}

/// Attention FLOPs of `fn` for these inputs: 2·Lq·Lk·(D + Dv) per batch and
/// query head of every attn.sdpa, halved for causal. Lengths that are
/// dynamic in the IR are read from the input tensors when the op takes a
/// function argument directly; otherwise the op is not counted.
static double attentionFlops(mlir::func::FuncOp fn,
                             llvm::ArrayRef<Tensor> given) {
  double total = 0;
  auto shapeOf = [&](mlir::Value v) -> llvm::SmallVector<int64_t> {
    if (auto arg = llvm::dyn_cast<mlir::BlockArgument>(v))
      if (arg.getOwner()->isEntryBlock() &&
          arg.getArgNumber() < given.size())
        return llvm::SmallVector<int64_t>(given[arg.getArgNumber()].shape());
    auto type = llvm::cast<mlir::RankedTensorType>(v.getType());
    if (!type.hasStaticShape())
      return {};
    return llvm::SmallVector<int64_t>(type.getShape());
  };
  fn.walk([&](mlir::attn::SDPAOp op) {
    llvm::SmallVector<int64_t> q = shapeOf(op.getQuery());
    llvm::SmallVector<int64_t> k = shapeOf(op.getKey());
    llvm::SmallVector<int64_t> v = shapeOf(op.getValue());
    if (q.size() != 4 || k.size() != 4 || v.size() != 4)
      return;
    double flops = 2.0 * q[0] * q[1] * q[2] * k[2] * (q[3] + v[3]);
    total += op.getCausal() ? flops / 2 : flops;
  });
  return total;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::attn::registerLoweringCLOptions();
  cl::HideUnrelatedOptions(
      {&category, &mlir::attn::loweringOptionCategory()});
  cl::ParseCommandLineOptions(argc, argv,
                              "attnc JIT runner: compile a model, run it on "
                              "tensors, check it against the reference\n");
  if (device != "cpu")
    return fail("--device=" + device +
                " is not available in this build; use --device=cpu");

  std::vector<Tensor> tensors;
  for (const std::string &path : inputs) {
    llvm::Expected<Tensor> t = loadTensor(path);
    if (!t)
      return fail(llvm::toString(t.takeError()));
    tensors.push_back(std::move(*t));
  }

  CompileOptions options;
  options.entry = entry;
  options.lowering = mlir::attn::loweringOptionsFromCL();
  auto compileStart = std::chrono::steady_clock::now();
  llvm::Expected<std::unique_ptr<Module>> module =
      Module::compileFile(inputFile, options);
  if (!module)
    return fail(llvm::toString(module.takeError()));
  double compileSeconds = std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - compileStart)
                              .count();

  llvm::Expected<const Signature &> found = (*module)->signatures().find(entry);
  if (!found)
    return fail(inputFile + ": " + llvm::toString(found.takeError()) +
                " (--entry)");
  const Signature &sig = *found;
  if (randomInputs) {
    if (!tensors.empty())
      return fail("--random and --input are exclusive");
    uint64_t state = 0x9E3779B97F4A7C15ull;
    auto next = [&] {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      return static_cast<double>(state >> 11) / static_cast<double>(1ull << 53);
    };
    for (const TensorSpec &spec : sig.inputs) {
      if (llvm::is_contained(spec.shape, -1))
        return fail("--random: input '" + spec.name +
                    "' has a dynamic shape; give it with --input");
      Tensor t(spec.dtype, spec.shape);
      for (int64_t i = 0, e = t.numElements(); i < e; ++i)
        t.setDouble(i, spec.dtype == DType::I1 ? (next() < 0.875)
                                               : 2 * next() - 1);
      tensors.push_back(std::move(t));
    }
  }

  llvm::Expected<std::vector<Tensor>> outputs =
      (*module)->run(sig.function, tensors);
  if (!outputs)
    return fail(llvm::toString(outputs.takeError()));

  if (!outputDir.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
      return fail(outputDir + ": " + ec.message());
    for (auto [spec, t] : llvm::zip(sig.outputs, *outputs)) {
      llvm::SmallString<128> path(outputDir);
      llvm::sys::path::append(path, spec.name + ".npy");
      if (llvm::Error e = saveNpy(t, path))
        return fail(llvm::toString(std::move(e)));
    }
  }
  for (auto [spec, t] : llvm::zip(sig.outputs, *outputs))
    llvm::outs() << spec.name << ": " << dtypeName(t.dtype()) << " "
                 << shapeString(t.shape()) << "\n";

  // The oracle and the FLOP count read the model as written, before
  // lowering.
  mlir::DialectRegistry registry;
  registerCompilerDialects(registry);
  mlir::MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  mlir::func::FuncOp fn;
  mlir::OwningOpRef<mlir::ModuleOp> original;
  if (check || bench) {
    llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>> loaded =
        loadInput(ctx, inputFile);
    if (!loaded)
      return fail(llvm::toString(loaded.takeError()));
    original = std::move(*loaded);
    fn = original->lookupSymbol<mlir::func::FuncOp>(sig.function);
  }

  int status = 0;
  if (check) {
    std::vector<ref::Tensor> refInputs;
    for (const Tensor &t : tensors)
      refInputs.push_back(toReference(t));
    llvm::Expected<std::vector<ref::Tensor>> expected =
        ref::evaluate(fn, refInputs);
    if (!expected)
      return fail("reference evaluator: " +
                  llvm::toString(expected.takeError()));
    for (auto [spec, got, want] : llvm::zip(sig.outputs, *outputs, *expected)) {
      double maxAbs = 0, maxRef = 0;
      for (int64_t i = 0, e = got.numElements(); i < e; ++i) {
        double g = got.getDouble(i), w = want.data[i];
        double err = std::isnan(g) != std::isnan(w) ? INFINITY
                     : std::isnan(g)                ? 0.0
                     : g == w                       ? 0.0
                                                    : std::fabs(g - w);
        maxAbs = std::max(maxAbs, err);
        if (std::isfinite(w))
          maxRef = std::max(maxRef, std::fabs(w));
      }
      double rel = maxAbs == 0 ? 0 : maxAbs / std::max(maxRef, 1e-30);
      bool ok = rel <= tolerance;
      llvm::outs() << llvm::formatv(
          "check {0}: max abs err {1:e2}, max rel err {2:e2} ({3})\n",
          spec.name, maxAbs, rel, ok ? "ok" : "FAILED");
      if (!ok)
        status = 1;
    }
  }

  if (bench) {
    std::vector<double> times;
    for (unsigned i = 0; i < bench; ++i) {
      auto start = std::chrono::steady_clock::now();
      llvm::Expected<std::vector<Tensor>> r =
          (*module)->run(sig.function, tensors);
      auto stop = std::chrono::steady_clock::now();
      if (!r)
        return fail(llvm::toString(r.takeError()));
      times.push_back(std::chrono::duration<double>(stop - start).count());
    }
    std::sort(times.begin(), times.end());
    double median = times[times.size() / 2];
    double flops = attentionFlops(fn, tensors);
    llvm::outs() << llvm::formatv(
        "bench: {0} runs, median {1:f3} ms, {2:f1} GFLOP/s (compile {3:f2} "
        "s)\n",
        bench.getValue(), median * 1e3, flops / median / 1e9, compileSeconds);
  }
  return status;
}
