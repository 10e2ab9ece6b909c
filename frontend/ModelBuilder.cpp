//===- ModelBuilder.cpp - Builds the attn module of a described model -----===//
//
// Weights are read from the safetensors file into resource blobs (the mapped
// file itself when no conversion is needed) and embedded as dense_resource
// constants. Every layer of every entry point is built by one function,
// `layer`, from attn.linear, attn.sdpa, attn.layer_norm and attn.ffn: the
// entry points differ only in where the keys and values of each attention
// come from (projected here, concatenated with a cache, or passed in), and
// attn.sdpa gives the attention weights when they are asked for.
//
//===----------------------------------------------------------------------===//

#include "frontend/Model.h"

#include "frontend/Safetensors.h"

#include "dialect/AttnDialect.h"
#include "dialect/AttnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/FormatVariadic.h"

#include <array>
#include <cmath>
#include <numeric>

using namespace mlir;
using attnc::DType;
using attnc::frontend::Activation;
using attnc::frontend::Architecture;
using attnc::frontend::LayerAttention;
using attnc::frontend::ModelDescription;
using attnc::frontend::ModelOptions;
using attnc::frontend::NormPlacement;
using attnc::frontend::Positional;
using attnc::frontend::SafetensorsFile;
using attnc::frontend::SafetensorsTensor;
using attnc::frontend::WeightNames;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

namespace {

//===----------------------------------------------------------------------===//
// Reading weights
//===----------------------------------------------------------------------===//

Type elementTypeOf(MLIRContext &ctx, DType dtype) {
  switch (dtype) {
  case DType::F16:
    return Float16Type::get(&ctx);
  case DType::BF16:
    return BFloat16Type::get(&ctx);
  default:
    return Float32Type::get(&ctx);
  }
}

std::optional<DType> weightDType(StringRef safetensorsName) {
  if (safetensorsName == "F32")
    return DType::F32;
  if (safetensorsName == "F16")
    return DType::F16;
  if (safetensorsName == "BF16")
    return DType::BF16;
  return std::nullopt;
}

/// A resource name the MLIR printer and parser accept as a bare key.
std::string blobName(StringRef name) {
  std::string out;
  for (char c : name)
    out.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (out.empty() || llvm::isDigit(out.front()))
    out.insert(out.begin(), '_');
  return out;
}

/// "[2, 3]", with "?" for a dimension of any size.
std::string expectedShape(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + (d < 0 ? std::string("?") : std::to_string(d));
  return s + "]";
}

/// Reads named tensors of the safetensors file in the compute dtype and
/// wraps them as constant attributes.
class WeightReader {
public:
  WeightReader(const SafetensorsFile &file, const ModelDescription &d,
               MLIRContext &ctx)
      : file(file), d(d), elementType(elementTypeOf(ctx, d.dtype)) {}

  /// The names `canonical` may have in the file, the canonical one first.
  std::vector<std::string> candidates(StringRef canonical) const {
    std::vector<std::string> names{canonical.str()};
    if (d.weightNames == WeightNames::PyTorch) {
      // nn.Transformer's own tensors, when it is a `transformer` submodule.
      if (canonical.starts_with("encoder.") ||
          canonical.starts_with("decoder."))
        names.push_back("transformer." + canonical.str());
      return names;
    }
    names.push_back("bert." + canonical.str());
    // Old BERT checkpoints call LayerNorm's parameters gamma and beta.
    for (auto [suffix, alias] :
         {std::pair<StringRef, StringRef>{"LayerNorm.weight", "LayerNorm.gamma"},
          {"LayerNorm.bias", "LayerNorm.beta"}}) {
      if (!canonical.ends_with(suffix))
        continue;
      std::string renamed =
          canonical.drop_back(suffix.size()).str() + alias.str();
      names.push_back(renamed);
      names.push_back("bert." + renamed);
    }
    return names;
  }

  /// The tensor `canonical` (under any of its names), checked against
  /// `shape` (-1: any size of at least 1) and converted to the compute
  /// dtype; the mapped file is used in place when no conversion is needed.
  Expected<attnc::Tensor> read(StringRef canonical, ArrayRef<int64_t> shape) {
    std::vector<std::string> names = candidates(canonical);
    const SafetensorsTensor *t = nullptr;
    for (const std::string &name : names)
      if ((t = file.find(name)))
        break;
    if (!t) {
      std::string also;
      for (size_t i = 1; i < names.size(); ++i)
        also += (i == 1 ? " (nor '" : "', '") + names[i] +
                (i + 1 == names.size() ? "')" : "");
      return fail("missing tensor '" + canonical + "'" + also +
                  ", expected shape " + expectedShape(shape));
    }
    std::optional<DType> dtype = weightDType(t->dtype);
    if (!dtype)
      return fail("tensor '" + t->name + "' has dtype " + t->dtype +
                  "; model weights must be F32, F16 or BF16");
    bool fits = t->shape.size() == shape.size();
    for (size_t i = 0; fits && i < shape.size(); ++i)
      fits = shape[i] < 0 ? t->shape[i] >= 1 : t->shape[i] == shape[i];
    if (!fits)
      return fail("tensor '" + t->name + "' has shape " +
                  expectedShape(t->shape) + ", expected " +
                  expectedShape(shape));

    size_t width = attnc::byteWidth(*dtype);
    // The blob keeps the mapping alive for as long as the context holds it.
    attnc::Tensor inPlace = attnc::Tensor::adopt(
        *dtype, t->shape, const_cast<char *>(t->bytes.data()),
        [keep = file.buffer()](void *) {});
    bool aligned = reinterpret_cast<uintptr_t>(t->bytes.data()) % width == 0;
    if (*dtype == d.dtype && aligned)
      return inPlace;
    return inPlace.convert(d.dtype);
  }

  /// Rows [rowBegin, rowBegin + rows) of `t` (all of it when rows < 0) as a
  /// dense_resource constant named after `name`.
  ElementsAttr attribute(const attnc::Tensor &t, StringRef name,
                         int64_t rowBegin = 0, int64_t rows = -1) {
    SmallVector<int64_t> shape(t.shape().begin(), t.shape().end());
    if (rows < 0)
      rows = shape[0];
    int64_t rowElements = t.numElements() / std::max<int64_t>(shape[0], 1);
    shape[0] = rows;
    size_t width = attnc::byteWidth(t.dtype());
    const char *begin =
        static_cast<const char *>(t.data()) + rowBegin * rowElements * width;
    ArrayRef<char> bytes(begin, rows * rowElements * width);
    // The blob holds a copy of `t`, which shares (and so keeps) its storage.
    AsmResourceBlob blob(
        bytes, width, [keep = t](void *, size_t, size_t) {},
        /*dataIsMutable=*/false);
    return DenseResourceElementsAttr::get(
        RankedTensorType::get(shape, elementType), blobName(name),
        std::move(blob));
  }

  /// read() and attribute() in one.
  Expected<ElementsAttr> get(StringRef canonical, ArrayRef<int64_t> shape) {
    Expected<attnc::Tensor> t = read(canonical, shape);
    if (!t)
      return t.takeError();
    return attribute(*t, canonical);
  }

  llvm::Error fail(const Twine &message) const {
    return llvm::createStringError(file.path() + ": " + message);
  }

private:
  const SafetensorsFile &file;
  const ModelDescription &d;
  Type elementType;
};

//===----------------------------------------------------------------------===//
// The model's weights
//===----------------------------------------------------------------------===//

/// The projections of one attention, weights [out, in].
struct Projections {
  ElementsAttr wq, bq, wk, bk, wv, bv, wo, bo;
};
struct Norm {
  ElementsAttr gamma, beta;
};
struct Ffn {
  ElementsAttr w1, b1, w2, b2;
};

/// One encoder or decoder layer. `cross` is set in the decoder of an
/// encoder-decoder model only.
struct Layer {
  Projections self;
  Norm selfNorm;
  std::optional<Projections> cross;
  Norm crossNorm;
  Ffn ffn;
  Norm ffnNorm;
  LayerAttention attention;
  bool decoder = false;
  /// "encoder.0", for progress messages and op locations.
  std::string name;
};

/// The token and position embeddings of one stack.
struct Embeddings {
  ElementsAttr table;
  /// The learned table added to positions 0..L, or null.
  ElementsAttr positions;
  /// The table decode_step reads position T from (learned or sinusoidal),
  /// or null.
  ElementsAttr stepPositions;
  /// BERT's LayerNorm after the embeddings.
  std::optional<Norm> norm;
};

struct Stack {
  Embeddings embeddings;
  std::vector<Layer> layers;
  std::optional<Norm> finalNorm;
};

struct Weights {
  std::optional<Stack> encoder, decoder;
  /// logits = x generatorᵀ (+ bias): the generator, or the tied table.
  ElementsAttr generatorWeight, generatorBias;
};

/// Reads every weight the description needs, with the names of its scheme.
class WeightLoader {
public:
  WeightLoader(WeightReader &reader, const ModelDescription &d,
               const ModelOptions &options)
      : r(reader), d(d), options(options), E(d.dModel),
        qRows(d.heads * (d.dModel / d.heads)),
        kvRows(d.kvHeads * (d.dModel / d.heads)) {}

  Expected<Weights> load() {
    Weights w;
    bool bert = d.weightNames == WeightNames::HfBert;
    if (d.architecture != Architecture::Decoder) {
      Expected<Stack> s = bert ? bertEncoder() : stack(/*decoder=*/false);
      if (!s)
        return s.takeError();
      w.encoder = std::move(*s);
    }
    if (d.architecture != Architecture::Encoder) {
      Expected<Stack> s = stack(/*decoder=*/true);
      if (!s)
        return s.takeError();
      w.decoder = std::move(*s);
      if (d.tieOutput) {
        w.generatorWeight = w.decoder->embeddings.table;
      } else {
        if (llvm::Error e = get("generator.weight", {d.tgtVocab, E},
                                w.generatorWeight))
          return std::move(e);
        if (llvm::Error e =
                get("generator.bias", {d.tgtVocab}, w.generatorBias))
          return std::move(e);
      }
    }
    return w;
  }

private:
  llvm::Error get(StringRef name, ArrayRef<int64_t> shape, ElementsAttr &out) {
    Expected<ElementsAttr> a = r.get(name, shape);
    if (!a)
      return a.takeError();
    out = *a;
    return llvm::Error::success();
  }

  llvm::Error norm(StringRef prefix, Norm &out) {
    if (llvm::Error e = get((prefix + ".weight").str(), {E}, out.gamma))
      return e;
    return get((prefix + ".bias").str(), {E}, out.beta);
  }

  /// nn.MultiheadAttention's packed in_proj, split into q, k and v rows.
  llvm::Error packedAttention(StringRef prefix, Projections &p) {
    int64_t rows = qRows + 2 * kvRows;
    std::string weight = (prefix + ".in_proj_weight").str();
    std::string bias = (prefix + ".in_proj_bias").str();
    Expected<attnc::Tensor> w = r.read(weight, {rows, E});
    if (!w)
      return w.takeError();
    Expected<attnc::Tensor> b = r.read(bias, {rows});
    if (!b)
      return b.takeError();
    p.wq = r.attribute(*w, weight + ".q", 0, qRows);
    p.wk = r.attribute(*w, weight + ".k", qRows, kvRows);
    p.wv = r.attribute(*w, weight + ".v", qRows + kvRows, kvRows);
    p.bq = r.attribute(*b, bias + ".q", 0, qRows);
    p.bk = r.attribute(*b, bias + ".k", qRows, kvRows);
    p.bv = r.attribute(*b, bias + ".v", qRows + kvRows, kvRows);
    if (llvm::Error e = get((prefix + ".out_proj.weight").str(), {E, qRows},
                            p.wo))
      return e;
    return get((prefix + ".out_proj.bias").str(), {E}, p.bo);
  }

  llvm::Error ffn(StringRef prefix, Ffn &f) {
    int64_t F = d.ffnDim;
    if (llvm::Error e = get((prefix + ".linear1.weight").str(), {F, E}, f.w1))
      return e;
    if (llvm::Error e = get((prefix + ".linear1.bias").str(), {F}, f.b1))
      return e;
    if (llvm::Error e = get((prefix + ".linear2.weight").str(), {E, F}, f.w2))
      return e;
    return get((prefix + ".linear2.bias").str(), {E}, f.b2);
  }

  void progress(const Twine &message) {
    if (options.progress)
      options.progress(message.str());
  }

  /// The sinusoidal table [max_length, E] that decode_step reads.
  ElementsAttr sinusoidalTable() {
    attnc::Tensor table(d.dtype, {d.maxLength, E});
    for (int64_t p = 0; p < d.maxLength; ++p)
      for (int64_t f = 0; f < E; ++f) {
        double angle = static_cast<double>(p) /
                       std::pow(10000.0, static_cast<double>(f / 2 * 2) /
                                             static_cast<double>(E));
        table.setDouble(p * E + f, f % 2 == 0 ? std::sin(angle)
                                              : std::cos(angle));
      }
    return r.attribute(table, "sinusoidal_positions");
  }

  /// An nn.Transformer stack with its embeddings (pytorch names).
  Expected<Stack> stack(bool decoder) {
    Stack s;
    bool encDec = d.architecture == Architecture::EncoderDecoder;
    std::string side = decoder ? "tgt_" : "src_";
    std::string embedPrefix = encDec ? side : "";
    int64_t vocab = decoder ? d.tgtVocab : d.srcVocab;
    if (llvm::Error e = get(embedPrefix + "embedding.weight", {vocab, E},
                            s.embeddings.table))
      return std::move(e);
    if (d.positional == Positional::Learned) {
      if (llvm::Error e = get(embedPrefix + "pos_embedding.weight",
                              {d.maxLength, E}, s.embeddings.positions))
        return std::move(e);
      s.embeddings.stepPositions = s.embeddings.positions;
    } else if (d.positional == Positional::Sinusoidal && decoder) {
      s.embeddings.stepPositions = sinusoidalTable();
    }

    std::string root = decoder ? "decoder" : "encoder";
    int64_t count = decoder ? d.decoderLayers : d.encoderLayers;
    for (int64_t i = 0; i < count; ++i) {
      progress("reading " + root + " layer " + Twine(i + 1) + "/" +
               Twine(count));
      std::string prefix = root + ".layers." + std::to_string(i);
      Layer l;
      l.decoder = decoder;
      l.name = root + "." + std::to_string(i);
      l.attention =
          decoder ? d.decoderAttention[i] : d.encoderAttention[i];
      if (llvm::Error e = packedAttention(prefix + ".self_attn", l.self))
        return std::move(e);
      if (llvm::Error e = norm(prefix + ".norm1", l.selfNorm))
        return std::move(e);
      if (llvm::Error e = ffn(prefix, l.ffn))
        return std::move(e);
      if (decoder && encDec) {
        l.cross.emplace();
        if (llvm::Error e =
                packedAttention(prefix + ".multihead_attn", *l.cross))
          return std::move(e);
        if (llvm::Error e = norm(prefix + ".norm2", l.crossNorm))
          return std::move(e);
        if (llvm::Error e = norm(prefix + ".norm3", l.ffnNorm))
          return std::move(e);
      } else if (llvm::Error e = norm(prefix + ".norm2", l.ffnNorm)) {
        return std::move(e);
      }
      s.layers.push_back(std::move(l));
    }
    if (d.finalNorm) {
      s.finalNorm.emplace();
      if (llvm::Error e = norm(root + ".norm", *s.finalNorm))
        return std::move(e);
    }
    return s;
  }

  /// A BertModel encoder (hf-bert names). Token type 0 is folded into the
  /// position table, since every position gets it.
  Expected<Stack> bertEncoder() {
    Stack s;
    if (llvm::Error e = get("embeddings.word_embeddings.weight",
                            {d.srcVocab, E}, s.embeddings.table))
      return std::move(e);
    Expected<attnc::Tensor> positions =
        r.read("embeddings.position_embeddings.weight", {d.maxLength, E});
    if (!positions)
      return positions.takeError();
    Expected<attnc::Tensor> types =
        r.read("embeddings.token_type_embeddings.weight", {-1, E});
    if (!types)
      return types.takeError();
    attnc::Tensor combined(d.dtype, {d.maxLength, E});
    for (int64_t i = 0; i < d.maxLength * E; ++i)
      combined.setDouble(i, positions->getDouble(i) +
                                types->getDouble(i % E));
    s.embeddings.positions =
        r.attribute(combined, "embeddings.position_embeddings.weight");
    s.embeddings.norm.emplace();
    if (llvm::Error e = norm("embeddings.LayerNorm", *s.embeddings.norm))
      return std::move(e);

    for (int64_t i = 0; i < d.encoderLayers; ++i) {
      progress("reading encoder layer " + Twine(i + 1) + "/" +
               Twine(d.encoderLayers));
      std::string prefix = "encoder.layer." + std::to_string(i);
      Layer l;
      l.name = "encoder." + std::to_string(i);
      l.attention = d.encoderAttention[i];
      std::string self = prefix + ".attention.self.";
      Projections &p = l.self;
      for (auto [name, rows, weight, bias] :
           {std::tuple{"query", qRows, &p.wq, &p.bq},
            std::tuple{"key", kvRows, &p.wk, &p.bk},
            std::tuple{"value", kvRows, &p.wv, &p.bv}}) {
        if (llvm::Error e = get(self + name + ".weight", {rows, E}, *weight))
          return std::move(e);
        if (llvm::Error e = get(self + name + ".bias", {rows}, *bias))
          return std::move(e);
      }
      std::string output = prefix + ".attention.output.";
      if (llvm::Error e = get(output + "dense.weight", {E, qRows}, p.wo))
        return std::move(e);
      if (llvm::Error e = get(output + "dense.bias", {E}, p.bo))
        return std::move(e);
      if (llvm::Error e = norm(output + "LayerNorm", l.selfNorm))
        return std::move(e);
      int64_t F = d.ffnDim;
      if (llvm::Error e = get(prefix + ".intermediate.dense.weight", {F, E},
                              l.ffn.w1))
        return std::move(e);
      if (llvm::Error e =
              get(prefix + ".intermediate.dense.bias", {F}, l.ffn.b1))
        return std::move(e);
      if (llvm::Error e =
              get(prefix + ".output.dense.weight", {E, F}, l.ffn.w2))
        return std::move(e);
      if (llvm::Error e = get(prefix + ".output.dense.bias", {E}, l.ffn.b2))
        return std::move(e);
      if (llvm::Error e = norm(prefix + ".output.LayerNorm", l.ffnNorm))
        return std::move(e);
      s.layers.push_back(std::move(l));
    }
    return s;
  }

  WeightReader &r;
  const ModelDescription &d;
  const ModelOptions &options;
  int64_t E, qRows, kvRows;
};

//===----------------------------------------------------------------------===//
// IR
//===----------------------------------------------------------------------===//

/// The keys and values of one attention, [B, Hkv, L, D].
struct KeyValue {
  Value key, value;
};

/// What one layer computed.
struct LayerResult {
  Value output;
  /// The self-attention keys and values (with the cache in front).
  KeyValue present;
  /// Attention weights, when asked for.
  Value selfWeights, crossWeights;
};

/// The values an entry point returns, by name.
using Results = std::vector<std::pair<std::string, Value>>;

class IRBuilder {
public:
  IRBuilder(MLIRContext &ctx, const ModelDescription &d,
            const ModelOptions &options, const Weights &w)
      : ctx(ctx), d(d), options(options), w(w), b(&ctx),
        fileLoc(FileLineColLoc::get(&ctx, d.source, 0, 0)), loc(fileLoc),
        elementType(elementTypeOf(ctx, d.dtype)), E(d.dModel),
        headDim(d.dModel / d.heads) {}

  OwningOpRef<ModuleOp> build() {
    OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
    b.setInsertionPointToEnd(module->getBody());
    Type ids = tensorType({ShapedType::kDynamic, ShapedType::kDynamic},
                          b.getI64Type());
    Type stepIds = tensorType({ShapedType::kDynamic, 1}, b.getI64Type());
    Type kvType = tensorType(
        {ShapedType::kDynamic, d.kvHeads, ShapedType::kDynamic, headDim});
    int64_t decoderLayers = d.decoderLayers;
    auto kvInputs = [&](StringRef prefix) {
      std::vector<std::pair<std::string, Type>> inputs;
      for (int64_t i = 0; i < decoderLayers; ++i) {
        inputs.push_back({(prefix + "key_" + Twine(i)).str(), kvType});
        inputs.push_back({(prefix + "value_" + Twine(i)).str(), kvType});
      }
      return inputs;
    };
    auto kvArgs = [&](ValueRange args) {
      std::vector<KeyValue> kv;
      for (size_t i = 0; i + 1 < args.size(); i += 2)
        kv.push_back({args[i], args[i + 1]});
      return kv;
    };
    bool withMaps = options.attentionMaps;

    switch (d.architecture) {
    case Architecture::Encoder:
      function("forward", {{"input_ids", ids}, {"attention_mask", ids}},
               [&](ValueRange args) {
                 Results maps;
                 Value hidden = encoder(args[0], keyMask(args[1]),
                                        withMaps ? &maps : nullptr);
                 return first({"last_hidden_state", hidden}, maps);
               });
      break;

    case Architecture::Decoder:
      function("forward", {{"input_ids", ids}}, [&](ValueRange args) {
        Results maps;
        Value logits = decoder(args[0], {}, {}, Value(), nullptr,
                               withMaps ? &maps : nullptr);
        return first({"logits", logits}, maps);
      });
      function("decode", {{"input_ids", ids}}, [&](ValueRange args) {
        Results present;
        Value logits = decoder(args[0], {}, {}, Value(), &present);
        return first({"logits", logits}, present);
      });
      {
        auto inputs = kvInputs("past_");
        inputs.insert(inputs.begin(),
                      std::pair<std::string, Type>("input_ids", stepIds));
        function("decode_step", inputs, [&](ValueRange args) {
          Results present;
          Value logits = decoder(args[0], kvArgs(args.drop_front()), {},
                                 Value(), &present);
          return first({"logits", logits}, present);
        });
      }
      break;

    case Architecture::EncoderDecoder: {
      function("forward",
               {{"src_ids", ids}, {"src_mask", ids}, {"tgt_ids", ids}},
               [&](ValueRange args) {
                 Results maps;
                 Results *weights = withMaps ? &maps : nullptr;
                 Value mask = keyMask(args[1]);
                 Value memory = encoder(args[0], mask, weights);
                 std::vector<KeyValue> cross;
                 for (const Layer &l : w.decoder->layers)
                   cross.push_back(project(memory, *l.cross, l.name));
                 Value logits =
                     decoder(args[2], {}, cross, mask, nullptr, weights);
                 return first({"logits", logits}, maps);
               });
      function("encode", {{"src_ids", ids}, {"src_mask", ids}},
               [&](ValueRange args) {
                 Results results{{"memory", Value()}};
                 Value memory = encoder(args[0], keyMask(args[1]), nullptr);
                 results[0].second = memory;
                 for (auto [i, l] : llvm::enumerate(w.decoder->layers)) {
                   KeyValue kv = project(memory, *l.cross, l.name);
                   results.push_back({"cross_key_" + std::to_string(i), kv.key});
                   results.push_back(
                       {"cross_value_" + std::to_string(i), kv.value});
                 }
                 return results;
               });
      auto cross = kvInputs("cross_");
      auto past = kvInputs("past_");
      auto decodeInputs = cross;
      decodeInputs.insert(decodeInputs.begin(),
                          {{"tgt_ids", ids}, {"src_mask", ids}});
      function("decode", decodeInputs, [&](ValueRange args) {
        Results present;
        Value logits = decoder(args[0], {}, kvArgs(args.drop_front(2)),
                               keyMask(args[1]), &present);
        return first({"logits", logits}, present);
      });
      auto stepInputs = decodeInputs;
      stepInputs[0] = {"input_ids", stepIds};
      stepInputs.insert(stepInputs.end(), past.begin(), past.end());
      function("decode_step", stepInputs, [&](ValueRange args) {
        Results present;
        size_t n = 2 * decoderLayers;
        Value logits = decoder(args[0], kvArgs(args.slice(2 + n, n)),
                               kvArgs(args.slice(2, n)), keyMask(args[1]),
                               &present);
        return first({"logits", logits}, present);
      });
      break;
    }
    }
    return module;
  }

private:
  //===--------------------------------------------------------------------===//
  // Small builders
  //===--------------------------------------------------------------------===//

  /// `head` followed by `rest`.
  static Results first(std::pair<std::string, Value> head,
                       const Results &rest) {
    Results results{std::move(head)};
    results.insert(results.end(), rest.begin(), rest.end());
    return results;
  }

  RankedTensorType tensorType(ArrayRef<int64_t> shape, Type type = {}) {
    return RankedTensorType::get(shape, type ? type : elementType);
  }

  static RankedTensorType typeOf(Value v) {
    return cast<RankedTensorType>(v.getType());
  }

  /// A weight as a constant of the function being built (one per function).
  Value constant(ElementsAttr attr) {
    auto [it, inserted] = constants.try_emplace(attr);
    if (inserted)
      it->second = arith::ConstantOp::create(b, fileLoc, cast<TypedAttr>(attr));
    return it->second;
  }

  Value emptyLike(ArrayRef<OpFoldResult> sizes, Type type) {
    return tensor::EmptyOp::create(b, loc, sizes, type);
  }

  /// An elementwise linalg.generic over `result`'s rank; `maps` are the
  /// inputs' indexing maps.
  Value elementwise(ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                    Value init,
                    function_ref<Value(OpBuilder &, Location, ValueRange)> f) {
    int64_t rank = typeOf(init).getRank();
    SmallVector<AffineMap> maps(inputMaps);
    maps.push_back(b.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    return linalg::GenericOp::create(
               b, loc, TypeRange{init.getType()}, inputs, ValueRange{init},
               maps, iterators,
               [&](OpBuilder &nb, Location nl, ValueRange args) {
                 linalg::YieldOp::create(nb, nl, f(nb, nl, args));
               })
        .getResult(0);
  }

  /// x + y, of equal shapes (a residual connection).
  Value add(Value x, Value y) {
    AffineMap id = b.getMultiDimIdentityMap(typeOf(x).getRank());
    Value init = emptyLike(tensor::getMixedSizes(b, loc, x),
                           typeOf(x).getElementType());
    return elementwise({x, y}, {id, id}, init,
                       [](OpBuilder &nb, Location nl, ValueRange args) {
                         return Value(
                             arith::AddFOp::create(nb, nl, args[0], args[1]));
                       });
  }

  /// attn.linear: [..., in] -> [..., out].
  Value linear(Value x, ElementsAttr weight, ElementsAttr bias) {
    SmallVector<int64_t> shape(typeOf(x).getShape());
    shape.back() = cast<ShapedType>(weight.getType()).getDimSize(0);
    return attn::LinearOp::create(b, loc, tensorType(shape), x,
                                  constant(weight),
                                  bias ? constant(bias) : Value());
  }

  Value layerNorm(Value x, const Norm &n) {
    return attn::LayerNormOp::create(b, loc, x.getType(), x,
                                     constant(n.gamma), constant(n.beta),
                                     b.getF64FloatAttr(d.epsilon));
  }

  Value ffn(Value x, const Ffn &f) {
    attn::Activation activation =
        d.activation == Activation::Relu   ? attn::Activation::Relu
        : d.activation == Activation::Gelu ? attn::Activation::Gelu
                                           : attn::Activation::GeluTanh;
    return attn::FFNOp::create(b, loc, x.getType(), x, constant(f.w1),
                               constant(f.b1), constant(f.w2), constant(f.b2),
                               activation);
  }

  /// [B, L, n*D] -> [B, n, L, D]: head h takes columns [h*D, (h+1)*D).
  Value splitHeads(Value x, int64_t heads) {
    RankedTensorType type = typeOf(x);
    OpFoldResult batch = tensor::getMixedSize(b, loc, x, 0);
    OpFoldResult len = tensor::getMixedSize(b, loc, x, 1);
    Value expanded = tensor::ExpandShapeOp::create(
        b, loc,
        tensorType({type.getDimSize(0), type.getDimSize(1), heads, headDim}),
        x, {{0}, {1}, {2, 3}},
        {batch, len, b.getIndexAttr(heads), b.getIndexAttr(headDim)});
    Value init = emptyLike(
        {batch, b.getIndexAttr(heads), len, b.getIndexAttr(headDim)},
        elementType);
    return linalg::TransposeOp::create(b, loc, expanded, init,
                                       ArrayRef<int64_t>{0, 2, 1, 3})
        ->getResult(0);
  }

  /// [B, H, L, D] -> [B, L, H*D].
  Value mergeHeads(Value x) {
    RankedTensorType type = typeOf(x);
    Value init = emptyLike({tensor::getMixedSize(b, loc, x, 0),
                            tensor::getMixedSize(b, loc, x, 2),
                            b.getIndexAttr(type.getDimSize(1)),
                            b.getIndexAttr(type.getDimSize(3))},
                           elementType);
    Value transposed = linalg::TransposeOp::create(
                           b, loc, x, init, ArrayRef<int64_t>{0, 2, 1, 3})
                           ->getResult(0);
    return tensor::CollapseShapeOp::create(
        b, loc, transposed, ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  }

  /// An int64 [B, L] padding mask (1 keep, 0 pad) as an i1 [B, 1, 1, L] key
  /// mask that broadcasts over heads and queries.
  Value keyMask(Value mask) {
    Type i1 = b.getI1Type();
    AffineMap id = b.getMultiDimIdentityMap(2);
    Value keep = elementwise(
        {mask}, {id}, emptyLike(tensor::getMixedSizes(b, loc, mask), i1),
        [](OpBuilder &nb, Location nl, ValueRange args) {
          Value zero = arith::ConstantOp::create(
              nb, nl, nb.getI64IntegerAttr(0));
          return Value(arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::ne,
                                             args[0], zero));
        });
    RankedTensorType type = typeOf(mask);
    return tensor::ExpandShapeOp::create(
        b, loc, tensorType({type.getDimSize(0), 1, 1, type.getDimSize(1)}, i1),
        keep, {{0}, {1, 2, 3}},
        {tensor::getMixedSize(b, loc, mask, 0), b.getIndexAttr(1),
         b.getIndexAttr(1), tensor::getMixedSize(b, loc, mask, 1)});
  }

  //===--------------------------------------------------------------------===//
  // Layers
  //===--------------------------------------------------------------------===//

  /// The keys and values of `source` under the projections `p`.
  KeyValue project(Value source, const Projections &p, StringRef where) {
    Location saved = loc;
    loc = NameLoc::get(b.getStringAttr(where), fileLoc);
    KeyValue kv{splitHeads(linear(source, p.wk, p.bk), d.kvHeads),
                splitHeads(linear(source, p.wv, p.bv), d.kvHeads)};
    loc = saved;
    return kv;
  }

  /// Multi-head attention of `query` over `kv`; returns the projected output
  /// and, when asked for, the weights.
  std::pair<Value, Value> attend(Value query, const Projections &p,
                                 const KeyValue &kv, Value mask, bool causal,
                                 std::optional<std::array<int64_t, 2>> window,
                                 bool wantWeights) {
    Value q = splitHeads(linear(query, p.wq, p.bq), d.heads);
    auto sdpa =
        attn::SDPAOp::create(b, loc, q, kv.key, kv.value, mask, wantWeights);
    if (causal)
      sdpa.setCausalAttr(b.getUnitAttr());
    if (window)
      sdpa.setWindowAttr(b.getDenseI64ArrayAttr(*window));
    Value output = linear(mergeHeads(sdpa.getOutput()), p.wo, p.bo);
    return {output, sdpa.getWeights()};
  }

  /// One residual sub-layer: post-norm norm(x + f(x)), pre-norm
  /// x + f(norm(x)).
  Value residual(Value x, const Norm &n, function_ref<Value(Value)> f) {
    if (d.norm == NormPlacement::Pre)
      return add(x, f(layerNorm(x, n)));
    return layerNorm(add(x, f(x)), n);
  }

  /// One encoder or decoder layer. Self-attention projects its keys and
  /// values from the layer's input, after `past` when a cache is given;
  /// cross-attention (decoder layers of an encoder-decoder model) reads
  /// `cross`, masked by `crossMask`.
  LayerResult layer(Value x, const Layer &l, const KeyValue &past,
                    const KeyValue *cross, Value selfMask, Value crossMask,
                    bool wantWeights) {
    Location saved = loc;
    loc = NameLoc::get(b.getStringAttr(l.name), fileLoc);
    LayerResult result;
    bool causal = l.decoder || l.attention.kind == LayerAttention::Kind::Causal;
    std::optional<std::array<int64_t, 2>> window;
    if (l.attention.kind == LayerAttention::Kind::Local)
      window = std::array<int64_t, 2>{l.attention.window,
                                      l.decoder ? -1 : l.attention.window};
    Value h = residual(x, l.selfNorm, [&](Value y) {
      KeyValue kv = project(y, l.self, l.name);
      if (past.key) {
        kv.key = tensor::ConcatOp::create(b, loc, 2,
                                          ValueRange{past.key, kv.key});
        kv.value = tensor::ConcatOp::create(b, loc, 2,
                                            ValueRange{past.value, kv.value});
      }
      result.present = kv;
      auto [out, weights] =
          attend(y, l.self, kv, selfMask, causal, window, wantWeights);
      result.selfWeights = weights;
      return out;
    });
    if (l.cross)
      h = residual(h, l.crossNorm, [&](Value y) {
        auto [out, weights] = attend(y, *l.cross, *cross, crossMask,
                                     /*causal=*/false, std::nullopt,
                                     wantWeights);
        result.crossWeights = weights;
        return out;
      });
    result.output = residual(h, l.ffnNorm, [&](Value y) { return ffn(y, l.ffn); });
    loc = saved;
    return result;
  }

  //===--------------------------------------------------------------------===//
  // Stacks
  //===--------------------------------------------------------------------===//

  /// Token embeddings (scaled) plus positions: 0..L when `position` is null,
  /// else the single position `position` (an index) of a decode step.
  Value embed(const Embeddings &e, Value ids, Value position) {
    SmallVector<int64_t> shape(typeOf(ids).getShape());
    shape.push_back(E);
    Value x = attn::EmbeddingOp::create(
        b, loc, tensorType(shape), ids, constant(e.table),
        b.getF64FloatAttr(d.embeddingScale));
    if (position && e.stepPositions) {
      Value row = tensor::ExtractSliceOp::create(
          b, loc, tensorType({1, E}), constant(e.stepPositions),
          ArrayRef<OpFoldResult>{position, b.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(E)},
          ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
      Value init = emptyLike(tensor::getMixedSizes(b, loc, x), elementType);
      AffineMap rowMap = AffineMap::get(
          3, 0, {b.getAffineDimExpr(1), b.getAffineDimExpr(2)}, &ctx);
      x = elementwise({x, row}, {b.getMultiDimIdentityMap(3), rowMap}, init,
                      [](OpBuilder &nb, Location nl, ValueRange args) {
                        return Value(arith::AddFOp::create(nb, nl, args[0],
                                                           args[1]));
                      });
    } else if (!position && d.positional == Positional::Sinusoidal) {
      x = attn::PositionalEncodingOp::create(
          b, loc, x.getType(), x, Value(), attn::PositionalKind::Sinusoidal);
    } else if (!position && e.positions) {
      x = attn::PositionalEncodingOp::create(b, loc, x.getType(), x,
                                             constant(e.positions),
                                             attn::PositionalKind::Learned);
    }
    if (e.norm)
      x = layerNorm(x, *e.norm);
    return x;
  }

  /// The encoder stack; appends the attention weights to `weights` when
  /// given.
  Value encoder(Value ids, Value mask, Results *weights) {
    const Stack &s = *w.encoder;
    Value x = embed(s.embeddings, ids, Value());
    for (auto [i, l] : llvm::enumerate(s.layers)) {
      progress("building " + l.name);
      LayerResult r =
          layer(x, l, {}, nullptr, mask, Value(), weights != nullptr);
      if (weights)
        weights->push_back(
            {"attention.encoder." + std::to_string(i), r.selfWeights});
      x = r.output;
    }
    if (s.finalNorm)
      x = layerNorm(x, *s.finalNorm);
    return x;
  }

  /// The decoder stack and the logits. `past` (one entry per layer, or
  /// none) is the self-attention cache of a decode step; `cross` the
  /// cross-attention keys and values. Appends present_key/value_i to
  /// `present` and the attention weights to `weights` when they are given.
  Value decoder(Value ids, const std::vector<KeyValue> &past,
                const std::vector<KeyValue> &cross, Value crossMask,
                Results *present, Results *weights = nullptr) {
    const Stack &s = *w.decoder;
    // A step's token sits at position T, the length of the cache.
    Value position;
    if (!past.empty())
      position = tensor::DimOp::create(b, loc, past[0].key, 2);
    Value x = embed(s.embeddings, ids, position);
    for (auto [i, l] : llvm::enumerate(s.layers)) {
      progress("building " + l.name);
      LayerResult r = layer(x, l, past.empty() ? KeyValue() : past[i],
                            cross.empty() ? nullptr : &cross[i], Value(),
                            crossMask, weights != nullptr);
      std::string index = std::to_string(i);
      if (present) {
        present->push_back({"present_key_" + index, r.present.key});
        present->push_back({"present_value_" + index, r.present.value});
      }
      if (weights) {
        weights->push_back(
            {"attention.decoder." + index + ".self", r.selfWeights});
        if (r.crossWeights)
          weights->push_back(
              {"attention.decoder." + index + ".cross", r.crossWeights});
      }
      x = r.output;
    }
    if (s.finalNorm)
      x = layerNorm(x, *s.finalNorm);
    return linear(x, w.generatorWeight, w.generatorBias);
  }

  //===--------------------------------------------------------------------===//
  // Entry points
  //===--------------------------------------------------------------------===//

  void progress(const Twine &message) {
    if (options.progress)
      options.progress(message.str());
  }

  /// A public function `name` over `inputs`, whose body `body` builds; its
  /// results and their names are what `body` returns.
  void function(StringRef name,
                ArrayRef<std::pair<std::string, Type>> inputs,
                function_ref<Results(ValueRange)> body) {
    progress("building @" + name);
    SmallVector<Type> inputTypes;
    SmallVector<Attribute> inputNames;
    for (const auto &[inputName, type] : inputs) {
      inputTypes.push_back(type);
      inputNames.push_back(b.getStringAttr(inputName));
    }
    auto fn = func::FuncOp::create(b, fileLoc, name,
                                   b.getFunctionType(inputTypes, {}));
    OpBuilder::InsertionGuard guard(b);
    Block *entry = fn.addEntryBlock();
    b.setInsertionPointToStart(entry);
    constants.clear();
    Results results = body(entry->getArguments());
    SmallVector<Value> values;
    SmallVector<Type> resultTypes;
    SmallVector<Attribute> outputNames;
    for (const auto &[resultName, value] : results) {
      values.push_back(value);
      resultTypes.push_back(value.getType());
      outputNames.push_back(b.getStringAttr(resultName));
    }
    func::ReturnOp::create(b, fileLoc, values);
    fn.setFunctionType(b.getFunctionType(inputTypes, resultTypes));
    fn->setAttr("attnc.input_names", b.getArrayAttr(inputNames));
    fn->setAttr("attnc.output_names", b.getArrayAttr(outputNames));
    // Sizes that inputs share, so that the runtime rejects a mask shorter
    // than its tokens, say, instead of letting the code read past it
    // (runtime/Signature.h).
    for (auto [i, input] : llvm::enumerate(inputs)) {
      StringRef inputName = input.first;
      auto type = cast<RankedTensorType>(input.second);
      SmallVector<Attribute> names(type.getRank(), b.getStringAttr(""));
      names[0] = b.getStringAttr("batch");
      if (inputName.starts_with("past_"))
        names[2] = b.getStringAttr("past_length");
      else if (inputName.starts_with("cross_"))
        names[2] = b.getStringAttr("source_length");
      else if (inputName.starts_with("src_"))
        names[1] = b.getStringAttr("source_length");
      else if (type.isDynamicDim(1))
        names[1] = b.getStringAttr(inputName == "tgt_ids" ? "target_length"
                                                          : "length");
      fn.setArgAttr(i, "attnc.dim_names", b.getArrayAttr(names));
    }
    // The position tables hold max_length rows: the runtime rejects longer
    // inputs (runtime/Signature.h) instead of letting them read past it.
    if (d.positional == Positional::None)
      return;
    for (auto [i, input] : llvm::enumerate(inputs)) {
      StringRef inputName = input.first;
      auto type = cast<RankedTensorType>(input.second);
      SmallVector<int64_t> max(type.getRank(), -1);
      if (inputName.starts_with("past_"))
        max[2] = d.maxLength - 1; // the step token sits at position T
      else if (inputName.starts_with("cross_"))
        max[2] = d.maxLength;
      else if (type.isDynamicDim(1))
        max[1] = d.maxLength; // token ids and their masks
      else
        continue;
      fn.setArgAttr(i, "attnc.max_sizes", b.getDenseI64ArrayAttr(max));
    }
  }

  MLIRContext &ctx;
  const ModelDescription &d;
  const ModelOptions &options;
  const Weights &w;
  OpBuilder b;
  Location fileLoc, loc;
  Type elementType;
  int64_t E, headDim;
  /// The weight constants of the function being built.
  llvm::DenseMap<Attribute, Value> constants;
};

} // namespace

Expected<OwningOpRef<ModuleOp>>
attnc::frontend::buildModel(MLIRContext &ctx, const ModelDescription &d,
                            const ModelOptions &options) {
  ctx.loadDialect<attn::AttnDialect, arith::ArithDialect, func::FuncDialect,
                  linalg::LinalgDialect, tensor::TensorDialect>();
  if (options.progress)
    options.progress("reading weights from " + d.weights);
  Expected<std::unique_ptr<SafetensorsFile>> file =
      SafetensorsFile::open(d.weights);
  if (!file)
    return file.takeError();
  WeightReader reader(**file, d, ctx);
  WeightLoader loader(reader, d, options);
  Expected<Weights> weights = loader.load();
  if (!weights)
    return weights.takeError();

  OwningOpRef<ModuleOp> module =
      IRBuilder(ctx, d, options, *weights).build();
  Builder b(&ctx);
  SmallVector<NamedAttribute> tokens;
  for (auto [name, id] : {std::pair{"bos", d.bos}, std::pair{"eos", d.eos},
                          std::pair{"pad", d.pad}})
    if (id)
      tokens.push_back(b.getNamedAttr(name, b.getI64IntegerAttr(*id)));
  if (!tokens.empty())
    (*module)->setAttr("attnc.tokens", b.getDictionaryAttr(tokens));

  // The builder only makes valid IR; a failure here is attnc's bug, and
  // the diagnostics say which op.
  std::string diagnostics;
  {
    ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
      llvm::raw_string_ostream os(diagnostics);
      os << diag.getLocation() << ": " << diag << "\n";
      return success();
    });
    if (failed(verify(*module)))
      return llvm::createStringError(d.source +
                                     ": internal error: the built module "
                                     "does not verify:\n" +
                                     diagnostics);
  }
  return module;
}

Expected<OwningOpRef<ModuleOp>>
attnc::frontend::buildModel(MLIRContext &ctx, StringRef path,
                            const ModelOptions &options) {
  Expected<ModelDescription> d = loadModelDescription(path);
  if (!d)
    return d.takeError();
  return buildModel(ctx, *d, options);
}
