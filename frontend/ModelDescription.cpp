//===- ModelDescription.cpp - Parses JSON and Hugging Face model descriptions -===//
//
// llvm::json parses the text but keeps no positions, so a small index over
// the same text maps each value's path (`tokens.bos`, `layer_attention[1]`)
// to its line; every error names the field and that line.
//
//===----------------------------------------------------------------------===//

#include "frontend/Model.h"
#include "frontend/Nesting.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdint>
#include <initializer_list>

using namespace attnc;
using namespace attnc::frontend;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;
namespace json = llvm::json;

namespace {

//===----------------------------------------------------------------------===//
// Lines of JSON values
//===----------------------------------------------------------------------===//

/// The line of every value of a JSON text, by path: members are joined with
/// '.', array elements are `[i]`, and the root is the empty path. The text
/// must already have parsed as JSON.
class JsonLines {
public:
  explicit JsonLines(StringRef text) : text(text) {
    skipSpace();
    value("");
  }

  /// The line of the value at `path`, else of its closest recorded
  /// ancestor, else 1.
  unsigned line(StringRef path) const {
    while (true) {
      auto it = lines.find(path);
      if (it != lines.end())
        return it->second;
      if (path.empty())
        return 1;
      size_t cut = path.find_last_of(".[");
      path = cut == StringRef::npos ? StringRef() : path.take_front(cut);
    }
  }

private:
  char peek() const { return pos < text.size() ? text[pos] : '\0'; }

  void skipSpace() {
    while (pos < text.size() && StringRef(" \t\r\n").contains(text[pos])) {
      if (text[pos] == '\n')
        ++current;
      ++pos;
    }
  }

  /// Reads a string at `pos` and returns its contents with the common
  /// escapes undone (enough to match member names).
  std::string string() {
    std::string out;
    ++pos; // the opening quote
    while (pos < text.size() && text[pos] != '"') {
      char c = text[pos++];
      if (c == '\\' && pos < text.size()) {
        char e = text[pos++];
        switch (e) {
        case 'n':
          c = '\n';
          break;
        case 't':
          c = '\t';
          break;
        case 'r':
          c = '\r';
          break;
        case 'b':
          c = '\b';
          break;
        case 'f':
          c = '\f';
          break;
        default:
          c = e; // \" \\ \/ ; \u escapes stay approximate.
        }
      }
      out.push_back(c);
    }
    ++pos; // the closing quote
    return out;
  }

  void value(const std::string &path) {
    lines.try_emplace(path, current);
    char c = peek();
    if (c == '{') {
      ++pos;
      skipSpace();
      while (peek() == '"') {
        std::string key = string();
        std::string member = path.empty() ? key : path + "." + key;
        unsigned keyLine = current;
        skipSpace();
        ++pos; // ':'
        skipSpace();
        value(member);
        // A member is reported on its key's line.
        lines[member] = keyLine;
        skipSpace();
        if (peek() == ',') {
          ++pos;
          skipSpace();
        }
      }
      ++pos; // '}'
      return;
    }
    if (c == '[') {
      ++pos;
      skipSpace();
      for (unsigned i = 0; peek() != ']' && pos < text.size(); ++i) {
        value(path + "[" + std::to_string(i) + "]");
        skipSpace();
        if (peek() == ',') {
          ++pos;
          skipSpace();
        }
      }
      ++pos; // ']'
      return;
    }
    if (c == '"') {
      string();
      return;
    }
    // A number, true, false or null.
    while (pos < text.size() && !StringRef(",]} \t\r\n").contains(text[pos]))
      ++pos;
  }

  StringRef text;
  size_t pos = 0;
  unsigned current = 1;
  llvm::StringMap<unsigned> lines;
};

//===----------------------------------------------------------------------===//
// Typed field access with located errors
//===----------------------------------------------------------------------===//

std::string join(StringRef parent, StringRef key) {
  return parent.empty() ? key.str() : (parent + "." + key).str();
}

std::string formatNumber(double d) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << llvm::format("%g", d);
  return s;
}

std::string kindOf(const json::Value &v) {
  switch (v.kind()) {
  case json::Value::Null:
    return "null";
  case json::Value::Boolean:
    return "a boolean";
  case json::Value::Number:
    return "a number";
  case json::Value::String:
    return "a string";
  case json::Value::Array:
    return "a list";
  case json::Value::Object:
    return "an object";
  }
  return "a value";
}

/// Reads the fields of one JSON document; errors read
/// "FILE:LINE: field 'PATH': MESSAGE".
class Reader {
public:
  Reader(StringRef file, StringRef text) : file(file.str()), lines(text) {}

  llvm::Error fail(StringRef path, const Twine &message) const {
    return llvm::createStringError(file + ":" + Twine(lines.line(path)) +
                                   ": field '" + path + "': " + message);
  }
  /// An error about an object as a whole (a field missing from it).
  llvm::Error failIn(StringRef objectPath, const Twine &message) const {
    return llvm::createStringError(file + ":" + Twine(lines.line(objectPath)) +
                                   ": " + message);
  }

  /// Rejects members of `object` not in `known`.
  llvm::Error onlyKnown(const json::Object &object, StringRef objectPath,
                        const llvm::StringSet<> &known) const {
    // Reported in a fixed order: the first unknown key alphabetically.
    std::optional<std::string> first;
    for (const auto &member : object) {
      StringRef key = member.first;
      if (!known.contains(key) && (!first || key < *first))
        first = key.str();
    }
    if (first)
      return fail(join(objectPath, *first), "unknown field");
    return llvm::Error::success();
  }

  llvm::Error missing(StringRef objectPath, StringRef key) const {
    return failIn(objectPath, "missing required field '" +
                                  join(objectPath, key) + "'");
  }

  /// An integer in [min, max]; `out` stays empty when it is absent.
  llvm::Error integer(const json::Object &object, StringRef objectPath,
                      StringRef key, int64_t min, int64_t max,
                      std::optional<int64_t> &out, bool required) const {
    std::string path = join(objectPath, key);
    const json::Value *v = object.get(key);
    if (!v)
      return required ? missing(objectPath, key) : llvm::Error::success();
    std::optional<int64_t> i = v->getAsInteger();
    if (!i)
      return fail(path, "expected an integer, got " + kindOf(*v));
    if (*i < min)
      return fail(path, "must be at least " + Twine(min) + ", got " + Twine(*i));
    if (*i > max)
      return fail(path, "must be at most " + Twine(max) +
                            " (attnc's limit), got " + Twine(*i));
    out = *i;
    return llvm::Error::success();
  }

  llvm::Error integer(const json::Object &object, StringRef objectPath,
                      StringRef key, int64_t min, int64_t max,
                      int64_t &out) const {
    std::optional<int64_t> value;
    if (llvm::Error e = integer(object, objectPath, key, min, max, value, true))
      return e;
    out = *value;
    return llvm::Error::success();
  }

  /// A positive finite number, when present.
  llvm::Error positiveNumber(const json::Object &object, StringRef objectPath,
                             StringRef key, double &out) const {
    const json::Value *v = object.get(key);
    if (!v)
      return llvm::Error::success();
    std::optional<double> d = v->getAsNumber();
    std::string path = join(objectPath, key);
    if (!d)
      return fail(path, "expected a number, got " + kindOf(*v));
    if (!(*d > 0) || !std::isfinite(*d))
      return fail(path, "must be a positive finite number, got " +
                            formatNumber(*d));
    out = *d;
    return llvm::Error::success();
  }

  llvm::Error boolean(const json::Object &object, StringRef objectPath,
                      StringRef key, bool &out) const {
    const json::Value *v = object.get(key);
    if (!v)
      return llvm::Error::success();
    std::optional<bool> b = v->getAsBoolean();
    if (!b)
      return fail(join(objectPath, key),
                  "expected true or false, got " + kindOf(*v));
    out = *b;
    return llvm::Error::success();
  }

  llvm::Error string(const json::Object &object, StringRef objectPath,
                     StringRef key, std::optional<std::string> &out,
                     bool required) const {
    const json::Value *v = object.get(key);
    if (!v)
      return required ? missing(objectPath, key) : llvm::Error::success();
    std::optional<StringRef> s = v->getAsString();
    if (!s)
      return fail(join(objectPath, key),
                  "expected a string, got " + kindOf(*v));
    out = s->str();
    return llvm::Error::success();
  }

  /// One of `choices` (a string), mapped to its value; `out` keeps its
  /// default when the field is absent.
  template <typename T>
  llvm::Error choice(const json::Object &object, StringRef objectPath,
                     StringRef key,
                     std::initializer_list<std::pair<StringRef, T>> choices,
                     T &out, bool required = false) const {
    std::optional<std::string> s;
    if (llvm::Error e = string(object, objectPath, key, s, required))
      return e;
    if (!s)
      return llvm::Error::success();
    std::string list;
    for (const auto &[name, value] : choices) {
      if (name == *s) {
        out = value;
        return llvm::Error::success();
      }
      list += (list.empty() ? "'" : ", '") + name.str() + "'";
    }
    return fail(join(objectPath, key),
                "unknown value '" + *s + "'; expected one of " + list);
  }

private:
  std::string file;
  JsonLines lines;
};

/// Parses `text` as a JSON object, or says where it is not one.
Expected<json::Object> parseObject(StringRef text, StringRef file) {
  if (llvm::Error e = checkNesting(text, file, Syntax::Json))
    return std::move(e);
  Expected<json::Value> value = json::parse(text);
  if (!value)
    return llvm::createStringError(file + ": invalid JSON: " +
                                   llvm::toString(value.takeError()));
  json::Object *object = value->getAsObject();
  if (!object)
    return llvm::createStringError(file +
                                   ":1: the description is not a JSON object");
  return std::move(*object);
}

//===----------------------------------------------------------------------===//
// The JSON description
//===----------------------------------------------------------------------===//

/// Reads one attention entry: "global", "causal" or {"local": W}.
llvm::Error readAttention(const Reader &r, const json::Value &v,
                          StringRef path, LayerAttention &out) {
  if (std::optional<StringRef> s = v.getAsString()) {
    if (*s == "global") {
      out = {LayerAttention::Kind::Global, 0};
      return llvm::Error::success();
    }
    if (*s == "causal") {
      out = {LayerAttention::Kind::Causal, 0};
      return llvm::Error::success();
    }
    return r.fail(path, "unknown attention '" + *s +
                            "'; expected 'global', 'causal' or "
                            "{\"local\": W}");
  }
  const json::Object *object = v.getAsObject();
  if (!object)
    return r.fail(path, "expected 'global', 'causal' or {\"local\": W}, got " +
                            kindOf(v));
  if (llvm::Error e = r.onlyKnown(*object, path, {"local"}))
    return e;
  int64_t window = 0;
  if (llvm::Error e = r.integer(*object, path, "local", 0, INT64_MAX, window))
    return e;
  out = {LayerAttention::Kind::Local, window};
  return llvm::Error::success();
}

/// Fills `perLayer` (one entry per layer) from the list at `key`, else with
/// `fallback`.
llvm::Error readLayerAttention(const Reader &r, const json::Object &root,
                               StringRef key, int64_t layers,
                               const LayerAttention &fallback,
                               std::vector<LayerAttention> &perLayer) {
  perLayer.assign(layers, fallback);
  const json::Value *v = root.get(key);
  if (!v)
    return llvm::Error::success();
  const json::Array *list = v->getAsArray();
  if (!list)
    return r.fail(key, "expected a list with one entry per layer, got " +
                           kindOf(*v));
  if (static_cast<int64_t>(list->size()) != layers)
    return r.fail(key, "has " + Twine(list->size()) + " entries for " +
                           Twine(layers) + " layers");
  for (auto [i, entry] : llvm::enumerate(*list))
    if (llvm::Error e =
            readAttention(r, entry, (key + "[" + Twine(i) + "]").str(),
                          perLayer[i]))
      return e;
  return llvm::Error::success();
}

/// The position table (max_length x d_model) is built in memory; its size
/// is checked as a whole, at the field `key` that sets its length.
llvm::Error checkPositionTable(const Reader &r, const ModelDescription &d,
                               StringRef key) {
  if (d.positional == Positional::None ||
      d.maxLength <= ModelLimits::positionTable / d.dModel)
    return llvm::Error::success();
  return r.fail(key, "a position table of " + Twine(d.maxLength) + " x " +
                         Twine(d.dModel) + " exceeds attnc's limit of " +
                         Twine(ModelLimits::positionTable) + " elements");
}

} // namespace

Expected<ModelDescription>
attnc::frontend::parseModelDescription(StringRef text, StringRef path) {
  Expected<json::Object> parsed = parseObject(text, path);
  if (!parsed)
    return parsed.takeError();
  const json::Object &root = *parsed;
  Reader r(path, text);
  ModelDescription d;
  d.source = path.str();

  if (llvm::Error e = r.onlyKnown(
          root, "",
          {"architecture", "d_model", "heads", "kv_heads", "ffn_dim", "layers",
           "encoder_layers", "decoder_layers", "activation", "norm",
           "final_norm", "epsilon", "positional", "max_length", "vocab",
           "src_vocab", "tgt_vocab", "embedding_scale", "tie_output",
           "attention", "layer_attention", "decoder_layer_attention",
           "weights", "weight_names", "dtype", "tokens"}))
    return std::move(e);

  if (llvm::Error e = r.choice<Architecture>(
          root, "", "architecture",
          {{"encoder", Architecture::Encoder},
           {"decoder", Architecture::Decoder},
           {"encoder-decoder", Architecture::EncoderDecoder}},
          d.architecture, /*required=*/true))
    return std::move(e);
  bool hasEncoder = d.architecture != Architecture::Decoder;
  bool hasDecoder = d.architecture != Architecture::Encoder;

  if (llvm::Error e = r.choice<WeightNames>(
          root, "", "weight_names",
          {{"pytorch", WeightNames::PyTorch}, {"hf-bert", WeightNames::HfBert}},
          d.weightNames))
    return std::move(e);
  bool bert = d.weightNames == WeightNames::HfBert;
  if (bert && d.architecture != Architecture::Encoder)
    return r.fail("weight_names",
                  "'hf-bert' names the weights of an encoder; the "
                  "architecture is not 'encoder'");
  // BERT's conventions are the defaults for its weight names.
  if (bert) {
    d.activation = Activation::Gelu;
    d.finalNorm = false;
    d.positional = Positional::Learned;
    d.embeddingNorm = true;
  }

  if (llvm::Error e = r.integer(root, "", "d_model", 1, ModelLimits::dModel, d.dModel))
    return std::move(e);
  if (llvm::Error e = r.integer(root, "", "heads", 1, ModelLimits::dModel, d.heads))
    return std::move(e);
  std::optional<int64_t> kvHeads;
  if (llvm::Error e = r.integer(root, "", "kv_heads", 1, ModelLimits::dModel, kvHeads, false))
    return std::move(e);
  d.kvHeads = kvHeads.value_or(d.heads);
  if (llvm::Error e = r.integer(root, "", "ffn_dim", 1, ModelLimits::ffnDim, d.ffnDim))
    return std::move(e);
  if (d.dModel % d.heads != 0)
    return r.fail("heads", Twine(d.heads) + " heads do not divide d_model " +
                               Twine(d.dModel));
  if (d.kvHeads > d.heads || d.heads % d.kvHeads != 0)
    return r.fail("kv_heads", Twine(d.kvHeads) +
                                  " must divide heads (" + Twine(d.heads) +
                                  ")");

  // Layer counts.
  std::optional<int64_t> layers, encoderLayers, decoderLayers;
  if (llvm::Error e = r.integer(root, "", "layers", 1, ModelLimits::layers, layers, false))
    return std::move(e);
  if (llvm::Error e =
          r.integer(root, "", "encoder_layers", 1, ModelLimits::layers,
                    encoderLayers, false))
    return std::move(e);
  if (llvm::Error e =
          r.integer(root, "", "decoder_layers", 1, ModelLimits::layers,
                    decoderLayers, false))
    return std::move(e);
  if (d.architecture != Architecture::EncoderDecoder) {
    for (StringRef key : {"encoder_layers", "decoder_layers"})
      if (root.get(key))
        return r.fail(key, "only an encoder-decoder model has separate "
                           "layer counts; use 'layers'");
    if (!layers)
      return r.missing("", "layers");
    (hasEncoder ? d.encoderLayers : d.decoderLayers) = *layers;
  } else {
    if (layers && (encoderLayers || decoderLayers))
      return r.fail(encoderLayers ? "encoder_layers" : "decoder_layers",
                    "give either 'layers' or 'encoder_layers' and "
                    "'decoder_layers'");
    if (!layers && !encoderLayers)
      return r.missing("", "encoder_layers");
    if (!layers && !decoderLayers)
      return r.missing("", "decoder_layers");
    d.encoderLayers = layers ? *layers : *encoderLayers;
    d.decoderLayers = layers ? *layers : *decoderLayers;
  }

  if (llvm::Error e = r.choice<Activation>(
          root, "", "activation",
          {{"relu", Activation::Relu},
           {"gelu", Activation::Gelu},
           {"gelu_tanh", Activation::GeluTanh}},
          d.activation))
    return std::move(e);
  if (llvm::Error e = r.choice<NormPlacement>(
          root, "", "norm",
          {{"post", NormPlacement::Post}, {"pre", NormPlacement::Pre}},
          d.norm))
    return std::move(e);
  if (llvm::Error e = r.boolean(root, "", "final_norm", d.finalNorm))
    return std::move(e);
  if (bert && d.finalNorm)
    return r.fail("final_norm", "BERT has no final LayerNorm");
  if (llvm::Error e = r.positiveNumber(root, "", "epsilon", d.epsilon))
    return std::move(e);
  if (llvm::Error e = r.choice<Positional>(
          root, "", "positional",
          {{"sinusoidal", Positional::Sinusoidal},
           {"learned", Positional::Learned},
           {"none", Positional::None}},
          d.positional))
    return std::move(e);
  if (bert && d.positional != Positional::Learned)
    return r.fail("positional", "BERT's positions are 'learned'");
  std::optional<int64_t> maxLength;
  if (llvm::Error e = r.integer(root, "", "max_length", 1, ModelLimits::maxLength,
                                maxLength, false))
    return std::move(e);
  d.maxLength = maxLength.value_or(d.maxLength);
  if (llvm::Error e = checkPositionTable(r, d, "max_length"))
    return std::move(e);

  // Vocabularies.
  std::optional<int64_t> vocab, srcVocab, tgtVocab;
  if (llvm::Error e = r.integer(root, "", "vocab", 1, ModelLimits::vocab, vocab, false))
    return std::move(e);
  if (llvm::Error e = r.integer(root, "", "src_vocab", 1, ModelLimits::vocab, srcVocab,
                                false))
    return std::move(e);
  if (llvm::Error e = r.integer(root, "", "tgt_vocab", 1, ModelLimits::vocab, tgtVocab,
                                false))
    return std::move(e);
  if (d.architecture != Architecture::EncoderDecoder) {
    for (StringRef key : {"src_vocab", "tgt_vocab"})
      if (root.get(key))
        return r.fail(key, "only an encoder-decoder model has two "
                           "vocabularies; use 'vocab'");
    if (!vocab)
      return r.missing("", "vocab");
    d.srcVocab = d.tgtVocab = *vocab;
  } else {
    if (vocab && (srcVocab || tgtVocab))
      return r.fail(srcVocab ? "src_vocab" : "tgt_vocab",
                    "give either 'vocab' or 'src_vocab' and 'tgt_vocab'");
    if (!vocab && !srcVocab)
      return r.missing("", "src_vocab");
    if (!vocab && !tgtVocab)
      return r.missing("", "tgt_vocab");
    d.srcVocab = vocab ? *vocab : *srcVocab;
    d.tgtVocab = vocab ? *vocab : *tgtVocab;
  }

  d.embeddingScale = bert ? 1.0 : std::sqrt(static_cast<double>(d.dModel));
  if (const json::Value *scale = root.get("embedding_scale")) {
    std::optional<StringRef> s = scale->getAsString();
    if (s && *s == "sqrt_d_model")
      d.embeddingScale = std::sqrt(static_cast<double>(d.dModel));
    else if (s)
      return r.fail("embedding_scale", "unknown value '" + *s +
                                           "'; expected 'sqrt_d_model' or a "
                                           "number");
    else if (llvm::Error e = r.positiveNumber(root, "", "embedding_scale",
                                              d.embeddingScale))
      return std::move(e);
  }

  if (llvm::Error e = r.boolean(root, "", "tie_output", d.tieOutput))
    return std::move(e);
  if (d.tieOutput && !hasDecoder)
    return r.fail("tie_output", "an encoder has no output projection to tie");

  // Attention patterns.
  LayerAttention defaultAttention;
  if (const json::Value *v = root.get("attention"))
    if (llvm::Error e = readAttention(r, *v, "attention", defaultAttention))
      return std::move(e);
  if (!hasEncoder && root.get("layer_attention"))
    return r.fail("layer_attention",
                  "a decoder-only model has no encoder layers; use "
                  "'decoder_layer_attention'");
  if (!hasDecoder && root.get("decoder_layer_attention"))
    return r.fail("decoder_layer_attention",
                  "an encoder model has no decoder layers");
  if (llvm::Error e =
          readLayerAttention(r, root, "layer_attention", d.encoderLayers,
                             defaultAttention, d.encoderAttention))
    return std::move(e);
  // "attention" describes encoder layers; a decoder-only model may only
  // restate that its self-attention is causal.
  if (!hasEncoder && root.get("attention") &&
      defaultAttention.kind != LayerAttention::Kind::Causal)
    return r.fail("attention", "a decoder-only model's self-attention is "
                               "always causal; set windows with "
                               "'decoder_layer_attention'");
  LayerAttention causal{LayerAttention::Kind::Causal, 0};
  if (llvm::Error e = readLayerAttention(r, root, "decoder_layer_attention",
                                         d.decoderLayers, causal,
                                         d.decoderAttention))
    return std::move(e);
  for (auto [i, a] : llvm::enumerate(d.decoderAttention))
    if (a.kind == LayerAttention::Kind::Global)
      return r.fail("decoder_layer_attention[" + std::to_string(i) + "]",
                    "decoder self-attention is always causal; use 'causal' "
                    "or {\"local\": W}");

  std::optional<std::string> weights;
  if (llvm::Error e = r.string(root, "", "weights", weights, true))
    return std::move(e);
  llvm::SmallString<256> resolved(*weights);
  if (llvm::sys::path::is_relative(resolved)) {
    resolved = llvm::sys::path::parent_path(path);
    llvm::sys::path::append(resolved, *weights);
  }
  d.weights = resolved.str().str();

  if (llvm::Error e = r.choice<DType>(
          root, "", "dtype",
          {{"f32", DType::F32}, {"f16", DType::F16}, {"bf16", DType::BF16}},
          d.dtype))
    return std::move(e);
  // The embeddings are scaled in the compute dtype.
  double largest = d.dtype == DType::F16    ? 65504.0
                   : d.dtype == DType::BF16 ? 3.38953139e38
                                            : 3.40282347e38;
  if (d.embeddingScale > largest)
    return r.fail("embedding_scale", formatNumber(d.embeddingScale) +
                                         " is not finite in " +
                                         std::string(dtypeName(d.dtype)));

  if (const json::Value *v = root.get("tokens")) {
    const json::Object *tokens = v->getAsObject();
    if (!tokens)
      return r.fail("tokens", "expected an object, got " + kindOf(*v));
    if (llvm::Error e = r.onlyKnown(*tokens, "tokens", {"bos", "eos", "pad"}))
      return std::move(e);
    for (auto [key, slot] : {std::pair{"bos", &d.bos}, std::pair{"eos", &d.eos},
                             std::pair{"pad", &d.pad}}) {
      if (llvm::Error e = r.integer(*tokens, "tokens", key, 0, INT64_MAX, *slot, false))
        return std::move(e);
      if (*slot && **slot >= d.tgtVocab)
        return r.fail(join("tokens", key),
                      "token " + Twine(**slot) + " is outside the vocabulary (" +
                          Twine(d.tgtVocab) + ")");
    }
  }
  return d;
}

//===----------------------------------------------------------------------===//
// Hugging Face BERT directories
//===----------------------------------------------------------------------===//

bool attnc::frontend::isHuggingFaceDirectory(StringRef path) {
  llvm::SmallString<256> config(path);
  llvm::sys::path::append(config, "config.json");
  return llvm::sys::fs::is_directory(path) && llvm::sys::fs::exists(config);
}

namespace {

/// Reads config.json of a BertModel checkpoint (fields it does not use are
/// ignored, as Hugging Face configs carry many).
Expected<ModelDescription> parseBertConfig(StringRef text, StringRef file,
                                           StringRef dir) {
  Expected<json::Object> parsed = parseObject(text, file);
  if (!parsed)
    return parsed.takeError();
  const json::Object &root = *parsed;
  Reader r(file, text);
  ModelDescription d;
  d.source = dir.str();

  std::optional<std::string> modelType;
  if (llvm::Error e = r.string(root, "", "model_type", modelType, true))
    return std::move(e);
  if (*modelType != "bert")
    return r.fail("model_type", "'" + *modelType +
                                    "' is not supported; attnc reads "
                                    "Hugging Face directories of model_type "
                                    "'bert'");
  d.architecture = Architecture::Encoder;
  d.weightNames = WeightNames::HfBert;
  d.norm = NormPlacement::Post;
  d.finalNorm = false;
  d.positional = Positional::Learned;
  d.embeddingNorm = true;
  d.embeddingScale = 1.0;
  d.epsilon = 1e-12;
  d.activation = Activation::Gelu;

  if (llvm::Error e = r.integer(root, "", "hidden_size", 1, ModelLimits::dModel, d.dModel))
    return std::move(e);
  if (llvm::Error e = r.integer(root, "", "num_attention_heads", 1, ModelLimits::dModel,
                                d.heads))
    return std::move(e);
  d.kvHeads = d.heads;
  if (d.dModel % d.heads != 0)
    return r.fail("num_attention_heads",
                  Twine(d.heads) + " heads do not divide hidden_size " +
                      Twine(d.dModel));
  if (llvm::Error e = r.integer(root, "", "intermediate_size", 1, ModelLimits::ffnDim,
                                d.ffnDim))
    return std::move(e);
  if (llvm::Error e =
          r.integer(root, "", "num_hidden_layers", 1, ModelLimits::layers,
                                d.encoderLayers))
    return std::move(e);
  if (llvm::Error e = r.integer(root, "", "vocab_size", 1, ModelLimits::vocab, d.srcVocab))
    return std::move(e);
  d.tgtVocab = d.srcVocab;
  std::optional<int64_t> maxLength;
  if (llvm::Error e = r.integer(root, "", "max_position_embeddings", 1,
                                ModelLimits::maxLength, maxLength, false))
    return std::move(e);
  d.maxLength = maxLength.value_or(512);
  if (llvm::Error e = checkPositionTable(r, d, "max_position_embeddings"))
    return std::move(e);
  if (llvm::Error e = r.positiveNumber(root, "", "layer_norm_eps", d.epsilon))
    return std::move(e);
  if (llvm::Error e = r.choice<Activation>(
          root, "", "hidden_act",
          {{"gelu", Activation::Gelu},
           {"gelu_new", Activation::GeluTanh},
           {"gelu_pytorch_tanh", Activation::GeluTanh},
           {"relu", Activation::Relu}},
          d.activation))
    return std::move(e);
  std::optional<std::string> positions;
  if (llvm::Error e = r.string(root, "", "position_embedding_type", positions,
                               false))
    return std::move(e);
  if (positions && *positions != "absolute")
    return r.fail("position_embedding_type",
                  "'" + *positions + "' is not supported; only 'absolute'");
  std::optional<int64_t> pad;
  if (llvm::Error e = r.integer(root, "", "pad_token_id", 0, INT64_MAX, pad, false))
    return std::move(e);
  d.pad = pad;
  d.encoderAttention.assign(d.encoderLayers, LayerAttention{});

  llvm::SmallString<256> weights(dir);
  llvm::sys::path::append(weights, "model.safetensors");
  if (!llvm::sys::fs::exists(weights))
    return llvm::createStringError(
        dir + ": no model.safetensors next to config.json (attnc reads "
              "safetensors weights only)");
  d.weights = weights.str().str();
  return d;
}

Expected<std::string> readText(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError(path + ": " + buffer.getError().message());
  return (*buffer)->getBuffer().str();
}

} // namespace

Expected<ModelDescription>
attnc::frontend::loadModelDescription(StringRef path) {
  if (llvm::sys::fs::is_directory(path)) {
    if (!isHuggingFaceDirectory(path))
      return llvm::createStringError(
          path + ": a directory without config.json is not a model");
    llvm::SmallString<256> config(path);
    llvm::sys::path::append(config, "config.json");
    Expected<std::string> text = readText(config);
    if (!text)
      return text.takeError();
    return parseBertConfig(*text, config, path);
  }
  Expected<std::string> text = readText(path);
  if (!text)
    return text.takeError();
  return parseModelDescription(*text, path);
}
