//===- attn-run.cpp - JIT-compile and run an attention model --------------===//
//
//   attn-run MODEL --input FILE... --output-dir DIR
//            [--entry NAME] [--check] [--bench N]
//            [--device=cpu|cuda [--gpu-arch=sm_80|sm_90]]
//            [--generate --max-new-tokens N]
//            [--attention-maps DIR [--maps-layers L,..] [--maps-heads H,..]]
//            [--cache-dir DIR | --no-cache] [--cache-max-size SIZE]
//
// MODEL is a .mlir file, an .onnx model, a JSON model description or a
// Hugging Face BERT directory. Inputs are .npy or ONNX TensorProto .pb
// files, in the entry point's input order. Each result is written as
// DIR/<name>.npy: the name the model gives it, or result<i>.
//
// Compiled CPU code is kept in the compile cache (runtime/CompileCache.h),
// so that running the same model again starts at once.
//
//===----------------------------------------------------------------------===//

#include "frontend/Input.h"
#include "frontend/Model.h"
#include "frontend/OnnxImport.h"
#include "lowering/Compile.h"
#include "reference/Interpreter.h"
#include "tools/ToolMain.h"
#include "tools/attn-run/AttentionMaps.h"
#include "runtime/Generate.h"
#include "compiler/JitModule.h"

#include "dialect/AttnOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

using namespace attnc;
namespace cl = llvm::cl;

static cl::OptionCategory category("attn-run options");
static cl::opt<std::string>
    inputFile(cl::Positional, cl::Required,
              cl::desc("<model.mlir|model.onnx|model.json|hf-dir>"),
              cl::cat(category));
static cl::list<std::string>
    inputs("input",
           cl::desc("An input tensor (.npy or ONNX .pb), in order, or "
                    "NAME=FILE for the input of that name (an ONNX graph "
                    "input, attnc.input_names)"),
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
             "(default by each result's element type: f64 1e-9, f32 1e-4, "
             "f16 4e-3, bf16 3e-2, integers and i1 exact)"),
    cl::init(-1), cl::cat(category));
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
                                   cl::desc("Where to run: cpu (default) "
                                            "or cuda (an NVIDIA GPU)"),
                                   cl::init("cpu"), cl::cat(category));
static cl::opt<std::string>
    entry("entry",
          cl::desc("The function to run (default: the only public one, "
                   "else 'forward')"),
          cl::cat(category));

static cl::opt<bool> generate(
    "generate",
    cl::desc("Greedy-decode from a decoder or encoder-decoder model: the "
             "--input is the prompt (or source) tokens, int64 [B, L]; "
             "writes DIR/generated.npy"),
    cl::cat(category));
static cl::opt<int64_t>
    maxNewTokens("max-new-tokens",
                 cl::desc("With --generate: the most tokens to generate "
                          "(default 32)"),
                 cl::init(32), cl::cat(category));
static cl::opt<std::string> attentionMaps(
    "attention-maps",
    cl::desc("Write the attention weights of a model description's forward "
             "pass as PNG heatmaps, with DIR/index.html"),
    cl::value_desc("dir"), cl::cat(category));
static cl::list<int64_t>
    mapsLayers("maps-layers", cl::CommaSeparated,
               cl::desc("With --attention-maps: only these layers (default: "
                        "all)"),
               cl::cat(category));
static cl::list<int64_t>
    mapsHeads("maps-heads", cl::CommaSeparated,
              cl::desc("With --attention-maps: only these heads (default: "
                       "all)"),
              cl::cat(category));
static cl::opt<std::string> vocabFile(
    "vocab",
    cl::desc("One token per line (a Hugging Face vocab.txt), to label "
             "attention maps and generated tokens; default: vocab.txt "
             "beside a model description, if present"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> srcVocabFile(
    "src-vocab",
    cl::desc("The source vocabulary of an encoder-decoder model, to label "
             "src_ids (default: the --vocab)"),
    cl::value_desc("file"), cl::cat(category));

static cl::opt<std::string>
    cacheDir("cache-dir",
             cl::desc("The compile cache; entries go in DIR/jit (default: "
                      "$ATTNC_CACHE_DIR, else $XDG_CACHE_HOME/attnc, else "
                      "~/.cache/attnc)"),
             cl::value_desc("dir"), cl::cat(category));
static cl::opt<bool>
    noCache("no-cache",
            cl::desc("Compile without reading or writing the compile cache"),
            cl::cat(category));
static cl::opt<std::string> cacheMaxSize(
    "cache-max-size",
    cl::desc("After storing code, remove the least recently used entries "
             "until DIR/jit holds at most SIZE bytes (K, M, G suffixes; 0: "
             "no limit; default 5G)"),
    cl::value_desc("size"), cl::cat(category));

/// Whether `name` names a file inside a folder and nothing else: not empty,
/// not `.` or `..`, without path separators or NUL.
static bool isPlainFileName(llvm::StringRef name) {
  return !name.empty() && name != "." && name != ".." &&
         name.find_first_of(llvm::StringRef("/\\\0", 3)) ==
             llvm::StringRef::npos;
}

static int fail(const llvm::Twine &message) {
  return attnc::tools::fail("attn-run", message);
}

/// --check's relative tolerance for a result of `type` when --tolerance is
/// not given: a few units of the type's rounding, scaled by the largest
/// reference value (integer results must be exact).
static double defaultTolerance(DType type) {
  switch (type) {
  case DType::F64:
    return 1e-9;
  case DType::F32:
    return 1e-4;
  case DType::F16:
    return 4e-3;
  case DType::BF16:
    return 3e-2;
  case DType::I1:
  case DType::I8:
  case DType::I32:
  case DType::I64:
    return 0;
  }
  llvm_unreachable("unknown dtype");
}

static llvm::Expected<Tensor> loadTensor(llvm::StringRef path) {
  if (path.ends_with(".pb"))
    return frontend::loadTensorProto(path);
  if (path.ends_with(".npy"))
    return toExpected(loadNpy(path));
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
      if (arg.getOwner()->isEntryBlock() && arg.getArgNumber() < given.size())
        return llvm::to_vector(llvm::ArrayRef(given[arg.getArgNumber()].shape()));
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

/// --cache-max-size: bytes, or a number with a K, M, G or T suffix (powers
/// of 1024).
static std::optional<uint64_t> parseSize(llvm::StringRef text) {
  llvm::StringRef digits = text.take_while(llvm::isDigit);
  std::string suffix = text.drop_front(digits.size()).lower();
  uint64_t value;
  if (digits.empty() || digits.getAsInteger(10, value))
    return std::nullopt;
  int shift = suffix.empty()                    ? 0
              : suffix == "k" || suffix == "kb" ? 10
              : suffix == "m" || suffix == "mb" ? 20
              : suffix == "g" || suffix == "gb" ? 30
              : suffix == "t" || suffix == "tb" ? 40
                                                : -1;
  if (shift < 0 || (shift && value > (UINT64_MAX >> shift)))
    return std::nullopt;
  return value << shift;
}

/// Whether `path` is a model description rather than IR or ONNX.
static bool isModelDescription(llvm::StringRef path) {
  return path.ends_with(".json") || frontend::isHuggingFaceDirectory(path);
}

/// Reads a vocabulary, one token per line, into `vocab`.
static llvm::Error readVocabulary(llvm::StringRef path,
                                  std::vector<std::string> &vocab) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return llvm::createStringError(path + ": " + buffer.getError().message());
  llvm::SmallVector<llvm::StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n');
  if (!lines.empty() && lines.back().empty())
    lines.pop_back();
  for (llvm::StringRef line : lines)
    vocab.push_back(line.rtrim("\r").str());
  return llvm::Error::success();
}

/// Reads --vocab, or vocab.txt beside (or inside) a model description when
/// there is one, and --src-vocab (default: the same); leaves them empty
/// when there is none.
static llvm::Error loadVocabularies(std::vector<std::string> &vocab,
                                    std::vector<std::string> &srcVocab) {
  std::string path = vocabFile;
  if (path.empty() && isModelDescription(inputFile)) {
    llvm::SmallString<128> beside(
        llvm::sys::fs::is_directory(inputFile)
            ? llvm::StringRef(inputFile)
            : llvm::sys::path::parent_path(inputFile));
    llvm::sys::path::append(beside, "vocab.txt");
    if (llvm::sys::fs::exists(beside))
      path = beside.str().str();
  }
  if (!path.empty())
    if (llvm::Error e = readVocabulary(path, vocab))
      return e;
  if (srcVocabFile.empty()) {
    srcVocab = vocab;
    return llvm::Error::success();
  }
  return readVocabulary(srcVocabFile, srcVocab);
}

/// The label of token `id`: its vocabulary entry, else the number.
static std::string tokenLabel(int64_t id, llvm::ArrayRef<std::string> vocab) {
  if (id >= 0 && id < static_cast<int64_t>(vocab.size()))
    return vocab[id];
  return std::to_string(id);
}

/// --generate: greedy decoding with the KV cache.
static int runGeneration(Module &module,
                         const frontend::ModelDescription &description,
                         llvm::ArrayRef<Tensor> given,
                         llvm::ArrayRef<std::string> vocab) {
  if (given.size() != 1)
    return fail(llvm::formatv("--generate takes one --input (the prompt or "
                              "source tokens), got {0}",
                              given.size()));
  GenerateOptions options;
  options.bos = description.bos;
  options.eos = description.eos;
  options.pad = description.pad;
  options.maxNewTokens = maxNewTokens;
  // Both position tables, learned and sinusoidal, hold max_length rows.
  if (description.positional != frontend::Positional::None)
    options.maxLength = description.maxLength;
  attnc::Result<Tensor> tokens = generateGreedy(module, given[0], options);
  if (!tokens)
    return fail(inputFile + ": " + toString(tokens.takeError()));
  if (!outputDir.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
      return fail(outputDir + ": " + ec.message());
    llvm::SmallString<128> path(outputDir);
    llvm::sys::path::append(path, "generated.npy");
    if (attnc::Status e = saveNpy(*tokens, path.str()))
      return fail(toString(std::move(e)));
  }
  int64_t length = tokens->shape()[1];
  for (int64_t b = 0; b < tokens->shape()[0]; ++b) {
    llvm::outs() << "generated[" << b << "]:";
    for (int64_t i = 0; i < length; ++i)
      llvm::outs() << " "
                   << tokenLabel(tokens->as<int64_t>()[b * length + i], vocab);
    llvm::outs() << "\n";
  }
  return 0;
}

/// The tokens of batch item `b` of the input named one of `names`, as
/// labels; empty when there is no such input.
static std::vector<std::string>
inputLabels(const Signature &sig, llvm::ArrayRef<Tensor> given,
            std::initializer_list<llvm::StringRef> names, int64_t b,
            llvm::ArrayRef<std::string> vocab) {
  for (auto [spec, t] : llvm::zip(sig.inputs, given)) {
    if (!llvm::is_contained(names, spec.name) || t.dtype() != DType::I64 ||
        t.rank() != 2)
      continue;
    std::vector<std::string> labels;
    for (int64_t i = 0; i < t.shape()[1]; ++i)
      labels.push_back(
          tokenLabel(t.as<int64_t>()[b * t.shape()[1] + i], vocab));
    return labels;
  }
  return {};
}

/// --attention-maps: one PNG per (output, batch item, head) for the
/// `attention.<stack>.<layer>[.self|.cross]` outputs, and an index.
static llvm::Error writeMaps(const Signature &sig, llvm::ArrayRef<Tensor> given,
                             llvm::ArrayRef<Tensor> results,
                             llvm::ArrayRef<std::string> vocab,
                             llvm::ArrayRef<std::string> srcVocab) {
  if (std::error_code ec = llvm::sys::fs::create_directories(attentionMaps))
    return llvm::createStringError(attentionMaps + ": " + ec.message());
  std::vector<MapEntry> maps;
  for (auto [spec, t] : llvm::zip(sig.outputs, results)) {
    // attention.encoder.3, attention.decoder.0.self, ...
    llvm::SmallVector<llvm::StringRef> parts;
    llvm::StringRef(spec.name).split(parts, '.');
    int64_t layer;
    if (parts.size() < 3 || parts[0] != "attention" ||
        parts[2].getAsInteger(10, layer) || t.rank() != 4)
      continue;
    if (!mapsLayers.empty() && !llvm::is_contained(mapsLayers, layer))
      continue;
    llvm::StringRef kind = parts.size() > 3 ? parts[3] : "self";
    bool cross = kind == "cross";
    bool decoder = parts[1] == "decoder";
    int64_t batch = t.shape()[0], heads = t.shape()[1], rows = t.shape()[2],
            cols = t.shape()[3];
    int cell = static_cast<int>(
        std::clamp<int64_t>(512 / std::max<int64_t>({rows, cols, 1}), 2, 32));
    for (int64_t head : mapsHeads)
      if (head < 0 || head >= heads)
        return llvm::createStringError(llvm::formatv(
            "--maps-heads: head {0} is out of range; {1} has {2} heads", head,
            spec.name, heads));
    std::vector<double> matrix(rows * cols);
    for (int64_t b = 0; b < batch; ++b) {
      for (int64_t h = 0; h < heads; ++h) {
        if (!mapsHeads.empty() && !llvm::is_contained(mapsHeads, h))
          continue;
        for (int64_t i = 0; i < rows * cols; ++i)
          matrix[i] = t.getDouble(((b * heads) + h) * rows * cols + i);
        MapEntry entry;
        entry.title =
            llvm::formatv(
                "{0} layer {1}{2}, head {3}", parts[1], layer,
                decoder ? (cross ? " cross-attention" : " self-attention") : "",
                h)
                .str();
        entry.image = llvm::formatv("{0}.b{1}.h{2}.png", spec.name, b, h).str();
        entry.batch = b;
        entry.rows = rows;
        entry.cols = cols;
        entry.cellPixels = cell;
        // Decoder queries are target tokens; encoder queries and
        // cross-attention keys are source tokens.
        std::vector<std::string> source =
            inputLabels(sig, given, {"src_ids", "input_ids"}, b, srcVocab);
        entry.queryLabels =
            decoder
                ? inputLabels(sig, given, {"tgt_ids", "input_ids"}, b, vocab)
                : source;
        entry.keyLabels = cross ? source : entry.queryLabels;
        llvm::SmallString<128> path(attentionMaps);
        llvm::sys::path::append(path, entry.image);
        if (llvm::Error e =
                writeHeatmapPng(path, matrix.data(), rows, cols, cell))
          return e;
        maps.push_back(std::move(entry));
      }
    }
  }
  if (maps.empty())
    return llvm::createStringError(
        "--attention-maps: the model returned no attention weights" +
        llvm::Twine(mapsLayers.empty() ? "" : " for the layers asked for"));
  if (llvm::Error e = writeAttentionIndex(attentionMaps, maps, {}, {}))
    return e;
  llvm::outs() << llvm::formatv("attention maps: {0} heatmaps in {1}\n",
                                maps.size(), attentionMaps.getValue());
  return llvm::Error::success();
}

int main(int argc, char **argv) {
  attnc::tools::ToolMain tool(argc, argv, category,
                             "attnc JIT runner: compile a model, run it on "
                             "tensors, check it against the reference\n");
  if (device != "cpu" && device != "cuda")
    return fail("unknown --device=" + device + "; use cpu or cuda");
  bool cuda = device == "cuda";
  mlir::attn::LoweringOptions lowering = mlir::attn::loweringOptionsFromCL();
  if (!cuda && !lowering.gpuArch.empty())
    return fail("--gpu-arch applies to --device=cuda");
  if (cuda)
    lowering.target = mlir::attn::Target::Cuda;

  // --input FILE or NAME=FILE: a value is a name and a file when the text
  // before its first '=' is not a path of its own (no '/') and the whole
  // value is not an existing file.
  std::vector<Tensor> tensors;
  std::vector<std::string> inputNames;
  for (const std::string &value : inputs) {
    auto [name, path] = llvm::StringRef(value).split('=');
    bool named = !path.empty() && !name.empty() && !name.contains('/') &&
                 !llvm::sys::fs::exists(value);
    if (!named)
      path = value;
    if (!inputNames.empty() && named != !inputNames.front().empty())
      return fail("--input: give every input by name (NAME=FILE) or every "
                  "one in order, not both");
    inputNames.push_back(named ? name.str() : std::string());
    llvm::Expected<Tensor> t = loadTensor(path.str());
    if (!t)
      return fail(toString(t.takeError()));
    tensors.push_back(std::move(*t));
  }
  bool byName = !inputNames.empty() && !inputNames.front().empty();
  if (byName && generate)
    return fail("--generate takes its --input files in order, not by name");

  CompileOptions options;
  options.entry = entry;
  options.lowering = lowering;
  options.cache.enabled = !noCache;
  options.cache.directory = cacheDir;
  if (!cacheMaxSize.empty()) {
    std::optional<uint64_t> size = parseSize(cacheMaxSize);
    if (!size)
      return fail("--cache-max-size: '" + cacheMaxSize +
                  "' is not a size (bytes, or a number with a K, M or G "
                  "suffix)");
    options.cache.maxBytes = *size;
  }
  options.cache.warning = [](llvm::StringRef message) {
    llvm::WithColor::warning(llvm::errs(), "attn-run") << message << "\n";
  };

  auto compileStart = std::chrono::steady_clock::now();
  options.progress = mlir::attn::progressReporterFromCL("attn-run");
  std::optional<frontend::ModelDescription> description;
  if (isModelDescription(inputFile)) {
    llvm::Expected<frontend::ModelDescription> d =
        frontend::loadModelDescription(inputFile);
    if (!d)
      return fail(toString(d.takeError()));
    description = std::move(*d);
    options.attentionMaps = !attentionMaps.empty();
  } else if (generate || !attentionMaps.empty()) {
    return fail(llvm::Twine(generate ? "--generate" : "--attention-maps") +
                " needs a model description (.json or a Hugging Face "
                "directory), not " +
                inputFile);
  }
  // Standard input is read once: --check reads the model again.
  std::optional<std::string> stdinText;
  if (inputFile == "-") {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
        llvm::MemoryBuffer::getSTDIN();
    if (!buffer)
      return fail("-: " + buffer.getError().message());
    stdinText = (*buffer)->getBuffer().str();
  }
  // The compile cache has the code when this model was compiled before
  // with the same options: nothing is imported then.
  llvm::Expected<std::unique_ptr<JitModule>> module =
      stdinText ? JitModule::compileSource(*stdinText, options)
                : JitModule::compileFile(inputFile, options);
  if (!module)
    return fail(toString(module.takeError()));
  double compileSeconds = std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - compileStart)
                              .count();

  std::vector<std::string> vocab, srcVocab;
  if (llvm::Error e = loadVocabularies(vocab, srcVocab))
    return fail(toString(std::move(e)));

  if (generate)
    return runGeneration(**module, *description, tensors, vocab);

  attnc::Result<const Signature &> found = (*module)->signatures().find(entry);
  if (!found)
    return fail(inputFile + ": " + toString(found.takeError()) +
                " (--entry)");
  const Signature &sig = *found;
  if (byName) {
    // Put the tensors in the entry's argument order.
    std::vector<std::optional<Tensor>> ordered(sig.inputs.size());
    for (auto [name, t] : llvm::zip(inputNames, tensors)) {
      auto it = llvm::find_if(sig.inputs, [&, &name = name](
                                              const TensorSpec &spec) {
        return spec.name == name;
      });
      if (it == sig.inputs.end()) {
        std::string known;
        for (const TensorSpec &spec : sig.inputs)
          known += (known.empty() ? "" : ", ") + spec.name;
        return fail("--input " + name + "=...: " + sig.function +
                    " has no input named '" + name + "' (its inputs: " +
                    known + ")");
      }
      std::optional<Tensor> &slot = ordered[it - sig.inputs.begin()];
      if (slot)
        return fail("--input " + name + "=...: given twice");
      slot = std::move(t);
    }
    tensors.clear();
    for (auto [spec, t] : llvm::zip(sig.inputs, ordered)) {
      if (!t)
        return fail("--input: no " + spec.name + "=FILE for input '" +
                    spec.name + "' of " + sig.function);
      tensors.push_back(std::move(*t));
    }
  }
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
      attnc::Result<Tensor> allocated = Tensor::allocate(spec.dtype, spec.shape);
      if (!allocated)
        return fail("--random: input '" + spec.name +
                    "': " + toString(allocated.takeError()));
      Tensor &t = *allocated;
      for (int64_t i = 0, e = t.numElements(); i < e; ++i)
        t.setDouble(i, spec.dtype == DType::I1 ? (next() < 0.875)
                                               : 2 * next() - 1);
      tensors.push_back(std::move(t));
    }
  }

  // Each result is written as DIR/<name>.npy, so a name must be a plain file
  // name: a model's output names (attnc.output_names, an ONNX graph's)
  // could otherwise write outside DIR.
  if (!outputDir.empty())
    for (const TensorSpec &spec : sig.outputs)
      if (!isPlainFileName(spec.name))
        return fail("--output-dir: output name '" + spec.name + "' of " +
                    sig.function +
                    " is not a plain file name (it is empty, '.' or '..', "
                    "or has a '/' or '\\'), so DIR/<name>.npy would not "
                    "stay in " +
                    outputDir);
  attnc::Result<std::vector<Tensor>> outputs =
      (*module)->run(sig.function, tensors);
  if (!outputs)
    return fail(toString(outputs.takeError()));

  if (!outputDir.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
      return fail(outputDir + ": " + ec.message());
    for (auto [spec, t] : llvm::zip(sig.outputs, *outputs)) {
      llvm::SmallString<128> path(outputDir);
      llvm::sys::path::append(path, spec.name + ".npy");
      if (attnc::Status e = saveNpy(t, path.str()))
        return fail(toString(std::move(e)));
    }
  }
  for (auto [spec, t] : llvm::zip(sig.outputs, *outputs))
    llvm::outs() << spec.name << ": " << dtypeName(t.dtype()) << " "
                 << shapeString(t.shape()) << "\n";
  if (!attentionMaps.empty())
    if (llvm::Error e = writeMaps(sig, tensors, *outputs, vocab, srcVocab))
      return fail(toString(std::move(e)));

  int status = 0;
  if (check) {
    // The oracle needs the weights, so the model is read again (the
    // compiled module keeps none of it).
    mlir::DialectRegistry registry;
    mlir::attn::registerCompilerDialects(registry);
    mlir::MLIRContext ctx(registry);
    ctx.loadAllAvailableDialects();
    llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>> original =
        mlir::OwningOpRef<mlir::ModuleOp>();
    if (description) {
      frontend::ModelOptions modelOptions;
      modelOptions.attentionMaps = !attentionMaps.empty();
      original = frontend::buildModel(ctx, *description, modelOptions);
    } else if (stdinText) {
      original = parseSource(ctx, *stdinText, "-");
    } else {
      original = loadInput(ctx, inputFile);
    }
    if (!original)
      return fail(toString(original.takeError()));
    auto fn = (**original).lookupSymbol<mlir::func::FuncOp>(sig.function);
    std::vector<ref::Tensor> refInputs;
    for (const Tensor &t : tensors)
      refInputs.push_back(toReference(t));
    llvm::Expected<std::vector<ref::Tensor>> expected =
        ref::evaluate(fn, refInputs);
    if (!expected)
      return fail("reference evaluator: " +
                  toString(expected.takeError()));
    for (auto [spec, got, want] : llvm::zip(sig.outputs, *outputs, *expected)) {
      // A NaN or infinity on one side only is an infinite error; NaNs on
      // both sides compare nothing, so they fail the check too (the
      // computation overflowed or was fed NaN), and are counted.
      double maxAbs = 0, maxRef = 0;
      int64_t nans = 0;
      for (int64_t i = 0, e = got.numElements(); i < e; ++i) {
        double g = got.getDouble(i), w = want.data[i];
        nans += std::isnan(g) && std::isnan(w);
        double err = std::isnan(g) != std::isnan(w) ? INFINITY
                     : std::isnan(g) || g == w      ? 0.0
                                                    : std::fabs(g - w);
        maxAbs = std::max(maxAbs, err);
        if (std::isfinite(w))
          maxRef = std::max(maxRef, std::fabs(w));
      }
      double rel = maxAbs == 0 ? 0 : maxAbs / std::max(maxRef, 1e-30);
      double limit = tolerance >= 0 ? tolerance : defaultTolerance(got.dtype());
      bool ok = rel <= limit && nans == 0;
      llvm::outs() << llvm::formatv(
          "check {0}: max abs err {1:e2}, max rel err {2:e2}{3} ({4})\n",
          spec.name, maxAbs, rel,
          nans ? llvm::formatv(", {0} NaN on both sides", nans).str() : "",
          ok ? "ok" : "FAILED");
      if (!ok)
        status = 1;
    }
  }

  if (bench) {
    // On the GPU the inputs stay in device memory: the kernels are timed,
    // not the PCIe copies.
    std::vector<Tensor> benchInputs = tensors;
    if (cuda) {
      benchInputs.clear();
      for (const Tensor &t : tensors) {
        attnc::Result<Tensor> d = toDevice(t);
        if (!d)
          return fail(toString(d.takeError()));
        benchInputs.push_back(std::move(*d));
      }
    }
    std::vector<double> times;
    for (unsigned i = 0; i < bench; ++i) {
      auto start = std::chrono::steady_clock::now();
      attnc::Result<std::vector<Tensor>> r =
          cuda ? (*module)->runOnDevice(sig.function, benchInputs)
               : (*module)->run(sig.function, benchInputs);
      auto stop = std::chrono::steady_clock::now();
      if (!r)
        return fail(toString(r.takeError()));
      times.push_back(std::chrono::duration<double>(stop - start).count());
    }
    std::sort(times.begin(), times.end());
    double median = times[times.size() / 2];
    // Counted on the module as compiled, with its weights elided.
    mlir::ModuleOp source = (*module)->sourceModule();
    mlir::func::FuncOp fn =
        source ? source.lookupSymbol<mlir::func::FuncOp>(sig.function)
               : mlir::func::FuncOp();
    double flops = fn ? attentionFlops(fn, tensors) : 0;
    llvm::outs() << llvm::formatv(
        "bench: {0} runs, median {1:f3} ms, {2:f1} GFLOP/s (compile {3:f2} "
        "s)\n",
        bench.getValue(), median * 1e3, flops / median / 1e9, compileSeconds);
  }
  return status;
}
