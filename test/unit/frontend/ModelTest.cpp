//===- ModelTest.cpp - Tests of model descriptions and the model builder --===//
//
// (1) Every error of the JSON and Hugging Face description parsers, with the
// field and line it names; (2) weight errors (missing, misshaped, wrongly
// typed tensors) and the accepted name variants; (3) for each architecture
// and option, a small random model written here (safetensors and JSON),
// built, JIT-compiled and run on random tokens, with every output compared
// against the reference interpreter on the same module (relative error
// <= 1e-4), KV-cache consistency (decode then decode_step equals forward on
// the longer prefix), attention maps, and one model checked against the
// reference evaluator's own encoder layer, independently of the builder.
//
//===----------------------------------------------------------------------===//

#include "frontend/Input.h"
#include "frontend/Model.h"
#include "lowering/Compile.h"
#include "reference/Interpreter.h"
#include "reference/Reference.h"
#include "compiler/JitModule.h"

#include "test/unit/frontend/SafetensorsWriter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace attnc;
using namespace attnc::frontend;
using attnc::test::TempDir;
using attnc::test::writeFile;
namespace json = llvm::json;

namespace {

//===----------------------------------------------------------------------===//
// Description parsing
//===----------------------------------------------------------------------===//

/// A valid encoder-decoder description, one field per line, so that the
/// tests know the line of every field.
const char *const kDescription = R"({
  "architecture": "encoder-decoder",
  "d_model": 16,
  "heads": 4,
  "kv_heads": 2,
  "ffn_dim": 24,
  "layers": 2,
  "vocab": 23,
  "layer_attention": ["global",
                      {"local": 2}],
  "tokens": {
    "bos": 1,
    "eos": 2
  },
  "weights": "model.safetensors"
})";

/// kDescription with `from` replaced by `to` (which must occur).
std::string edit(llvm::StringRef from, llvm::StringRef to,
                 std::string text = kDescription) {
  size_t at = text.find(from.str());
  EXPECT_NE(at, std::string::npos) << from.str();
  if (at != std::string::npos)
    text.replace(at, from.size(), to.str());
  return text;
}

std::string parseError(const std::string &text) {
  auto d = parseModelDescription(text, "/models/model.json");
  if (d)
    return "";
  return toString(d.takeError());
}

#define EXPECT_PARSE_ERROR(text, expected)                                     \
  do {                                                                         \
    std::string message = parseError(text);                                    \
    EXPECT_NE(message.find(expected), std::string::npos)                       \
        << "expected: " << (expected) << "\n     got: " << message;            \
  } while (false)

TEST(ModelDescriptionTest, ParsesFieldsAndDefaults) {
  auto d = parseModelDescription(kDescription, "/models/model.json");
  ASSERT_TRUE(static_cast<bool>(d)) << toString(d.takeError());
  EXPECT_EQ(d->architecture, Architecture::EncoderDecoder);
  EXPECT_EQ(d->dModel, 16);
  EXPECT_EQ(d->heads, 4);
  EXPECT_EQ(d->kvHeads, 2);
  EXPECT_EQ(d->ffnDim, 24);
  EXPECT_EQ(d->encoderLayers, 2);
  EXPECT_EQ(d->decoderLayers, 2);
  EXPECT_EQ(d->srcVocab, 23);
  EXPECT_EQ(d->tgtVocab, 23);
  EXPECT_EQ(d->activation, Activation::Relu);
  EXPECT_EQ(d->norm, NormPlacement::Post);
  EXPECT_TRUE(d->finalNorm);
  EXPECT_DOUBLE_EQ(d->epsilon, 1e-5);
  EXPECT_EQ(d->positional, Positional::Sinusoidal);
  EXPECT_EQ(d->maxLength, 512);
  EXPECT_DOUBLE_EQ(d->embeddingScale, 4.0);
  EXPECT_FALSE(d->tieOutput);
  ASSERT_EQ(d->encoderAttention.size(), 2u);
  EXPECT_EQ(d->encoderAttention[0].kind, LayerAttention::Kind::Global);
  EXPECT_EQ(d->encoderAttention[1].kind, LayerAttention::Kind::Local);
  EXPECT_EQ(d->encoderAttention[1].window, 2);
  ASSERT_EQ(d->decoderAttention.size(), 2u);
  EXPECT_EQ(d->decoderAttention[0].kind, LayerAttention::Kind::Causal);
  EXPECT_EQ(d->weights, "/models/model.safetensors");
  EXPECT_EQ(d->weightNames, WeightNames::PyTorch);
  EXPECT_EQ(d->dtype, DType::F32);
  EXPECT_EQ(d->bos, 1);
  EXPECT_EQ(d->eos, 2);
  EXPECT_FALSE(d->pad.has_value());
}

TEST(ModelDescriptionTest, ParsesEveryOption) {
  std::string text = R"({"architecture": "decoder", "d_model": 8, "heads": 2,
    "kv_heads": 1, "ffn_dim": 8, "layers": 3, "vocab": 10,
    "activation": "gelu_tanh", "norm": "pre", "final_norm": false,
    "epsilon": 1e-6, "positional": "learned", "max_length": 64,
    "embedding_scale": 2.5, "tie_output": true, "attention": "causal",
    "decoder_layer_attention": ["causal", {"local": 3}, {"local": 0}],
    "weights": "/abs/w.safetensors", "weight_names": "pytorch",
    "dtype": "bf16", "tokens": {"pad": 0}})";
  auto d = parseModelDescription(text, "m.json");
  ASSERT_TRUE(static_cast<bool>(d)) << toString(d.takeError());
  EXPECT_EQ(d->architecture, Architecture::Decoder);
  EXPECT_EQ(d->decoderLayers, 3);
  EXPECT_EQ(d->encoderLayers, 0);
  EXPECT_EQ(d->activation, Activation::GeluTanh);
  EXPECT_EQ(d->norm, NormPlacement::Pre);
  EXPECT_FALSE(d->finalNorm);
  EXPECT_DOUBLE_EQ(d->epsilon, 1e-6);
  EXPECT_EQ(d->positional, Positional::Learned);
  EXPECT_EQ(d->maxLength, 64);
  EXPECT_DOUBLE_EQ(d->embeddingScale, 2.5);
  EXPECT_TRUE(d->tieOutput);
  EXPECT_EQ(d->decoderAttention[1].kind, LayerAttention::Kind::Local);
  EXPECT_EQ(d->decoderAttention[1].window, 3);
  EXPECT_EQ(d->decoderAttention[2].window, 0);
  EXPECT_EQ(d->weights, "/abs/w.safetensors");
  EXPECT_EQ(d->dtype, DType::BF16);
  EXPECT_EQ(d->pad, 0);

  auto separate = parseModelDescription(
      edit("\"vocab\": 23,", "\"src_vocab\": 23, \"tgt_vocab\": 7,",
           edit("\"layers\": 2,", "\"encoder_layers\": 2, "
                                  "\"decoder_layers\": 1,")),
      "m.json");
  ASSERT_TRUE(static_cast<bool>(separate))
      << toString(separate.takeError());
  EXPECT_EQ(separate->decoderLayers, 1);
  EXPECT_EQ(separate->tgtVocab, 7);

  auto bert = parseModelDescription(
      R"({"architecture": "encoder", "d_model": 8, "heads": 2, "ffn_dim": 8,
          "layers": 1, "vocab": 10, "weights": "w.safetensors",
          "weight_names": "hf-bert"})",
      "m.json");
  ASSERT_TRUE(static_cast<bool>(bert)) << toString(bert.takeError());
  EXPECT_EQ(bert->activation, Activation::Gelu);
  EXPECT_FALSE(bert->finalNorm);
  EXPECT_EQ(bert->positional, Positional::Learned);
  EXPECT_TRUE(bert->embeddingNorm);
  EXPECT_DOUBLE_EQ(bert->embeddingScale, 1.0);
}

TEST(ModelDescriptionTest, SyntaxErrors) {
  EXPECT_PARSE_ERROR(edit("\"heads\": 4,", "\"heads\": 4"),
                     "/models/model.json: invalid JSON: [5:");
  EXPECT_PARSE_ERROR("[1]", "/models/model.json:1: the description is not a "
                            "JSON object");
}

TEST(ModelDescriptionTest, MissingFieldsNameTheirObject) {
  EXPECT_PARSE_ERROR(edit("\"architecture\": \"encoder-decoder\",", ""),
                     "model.json:1: missing required field 'architecture'");
  EXPECT_PARSE_ERROR(edit("\"d_model\": 16,", ""),
                     "model.json:1: missing required field 'd_model'");
  EXPECT_PARSE_ERROR(edit("\"heads\": 4,", ""),
                     "model.json:1: missing required field 'heads'");
  EXPECT_PARSE_ERROR(edit("\"ffn_dim\": 24,", ""),
                     "model.json:1: missing required field 'ffn_dim'");
  EXPECT_PARSE_ERROR(edit("\"layers\": 2,", ""),
                     "model.json:1: missing required field 'encoder_layers'");
  EXPECT_PARSE_ERROR(edit("\"layers\": 2,", "\"encoder_layers\": 2,"),
                     "model.json:1: missing required field 'decoder_layers'");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", ""),
                     "model.json:1: missing required field 'src_vocab'");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"src_vocab\": 23,"),
                     "model.json:1: missing required field 'tgt_vocab'");
  EXPECT_PARSE_ERROR(edit(",\n  \"weights\": \"model.safetensors\"", ""),
                     "model.json:1: missing required field 'weights'");
  EXPECT_PARSE_ERROR(edit("\"encoder-decoder\"", "\"encoder\"",
                          edit("\"layers\": 2,", "")),
                     "model.json:1: missing required field 'layers'");
  EXPECT_PARSE_ERROR(edit("\"encoder-decoder\"", "\"decoder\"",
                          edit("\"vocab\": 23,", "",
                               edit("\"layer_attention\": [\"global\",\n"
                                    "                      {\"local\": 2}],",
                                    ""))),
                     "model.json:1: missing required field 'vocab'");
  EXPECT_PARSE_ERROR(edit("\"local\": 2", ""),
                     "model.json:10: missing required field "
                     "'layer_attention[1].local'");
}

TEST(ModelDescriptionTest, FieldErrorsNameFieldAndLine) {
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, \"kv_head\": 2,"),
                     "model.json:8: field 'kv_head': unknown field");
  EXPECT_PARSE_ERROR(edit("\"eos\": 2", "\"eos\": 2, \"unk\": 3"),
                     "model.json:13: field 'tokens.unk': unknown field");
  EXPECT_PARSE_ERROR(edit("{\"local\": 2}", "{\"local\": 2, \"left\": 1}"),
                     "model.json:10: field 'layer_attention[1].left': "
                     "unknown field");
  EXPECT_PARSE_ERROR(edit("\"encoder-decoder\"", "\"seq2seq\""),
                     "model.json:2: field 'architecture': unknown value "
                     "'seq2seq'; expected one of 'encoder', 'decoder', "
                     "'encoder-decoder'");
  EXPECT_PARSE_ERROR(edit("\"encoder-decoder\"", "3"),
                     "model.json:2: field 'architecture': expected a string, "
                     "got a number");
  EXPECT_PARSE_ERROR(edit("\"d_model\": 16", "\"d_model\": \"16\""),
                     "model.json:3: field 'd_model': expected an integer, got "
                     "a string");
  EXPECT_PARSE_ERROR(edit("\"d_model\": 16", "\"d_model\": 16.5"),
                     "model.json:3: field 'd_model': expected an integer, got "
                     "a number");
  EXPECT_PARSE_ERROR(edit("\"d_model\": 16", "\"d_model\": 0"),
                     "model.json:3: field 'd_model': must be at least 1, got 0");
  EXPECT_PARSE_ERROR(edit("\"heads\": 4", "\"heads\": 3"),
                     "model.json:4: field 'heads': 3 heads do not divide "
                     "d_model 16");
  EXPECT_PARSE_ERROR(edit("\"kv_heads\": 2", "\"kv_heads\": 3"),
                     "model.json:5: field 'kv_heads': 3 must divide heads (4)");
  EXPECT_PARSE_ERROR(edit("\"kv_heads\": 2", "\"kv_heads\": 8"),
                     "model.json:5: field 'kv_heads': 8 must divide heads (4)");
  EXPECT_PARSE_ERROR(edit("\"ffn_dim\": 24", "\"ffn_dim\": -1"),
                     "model.json:6: field 'ffn_dim': must be at least 1");
  EXPECT_PARSE_ERROR(edit("\"layers\": 2", "\"layers\": 2, "
                                           "\"decoder_layers\": 1"),
                     "model.json:7: field 'decoder_layers': give either "
                     "'layers' or 'encoder_layers' and 'decoder_layers'");
  EXPECT_PARSE_ERROR(edit("\"encoder-decoder\"", "\"encoder\"",
                          edit("\"layers\": 2", "\"encoder_layers\": 2")),
                     "model.json:7: field 'encoder_layers': only an "
                     "encoder-decoder model has separate layer counts");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23", "\"vocab\": 23, \"tgt_vocab\": 5"),
                     "model.json:8: field 'tgt_vocab': give either 'vocab' or "
                     "'src_vocab' and 'tgt_vocab'");
  EXPECT_PARSE_ERROR(edit("\"encoder-decoder\"", "\"encoder\"",
                          edit("\"vocab\": 23", "\"src_vocab\": 23")),
                     "model.json:8: field 'src_vocab': only an "
                     "encoder-decoder model has two vocabularies");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23,\n"
                                            "  \"activation\": \"swish\","),
                     "model.json:9: field 'activation': unknown value "
                     "'swish'; expected one of 'relu', 'gelu', 'gelu_tanh'");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, \"norm\": "
                                            "\"sandwich\","),
                     "model.json:8: field 'norm': unknown value 'sandwich'");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, \"final_norm\": "
                                            "1,"),
                     "model.json:8: field 'final_norm': expected true or "
                     "false, got a number");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, \"epsilon\": 0,"),
                     "model.json:8: field 'epsilon': must be a positive finite "
                     "number, got 0");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, \"epsilon\": "
                                            "\"small\","),
                     "model.json:8: field 'epsilon': expected a number, got a "
                     "string");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, \"positional\": "
                                            "\"rotary\","),
                     "model.json:8: field 'positional': unknown value "
                     "'rotary'");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, \"max_length\": "
                                            "0,"),
                     "model.json:8: field 'max_length': must be at least 1");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, "
                                            "\"embedding_scale\": \"sqrt\","),
                     "model.json:8: field 'embedding_scale': unknown value "
                     "'sqrt'; expected 'sqrt_d_model' or a number");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, "
                                            "\"embedding_scale\": -2,"),
                     "model.json:8: field 'embedding_scale': must be a "
                     "positive finite number, got -2");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, \"tie_output\": "
                                            "\"yes\","),
                     "model.json:8: field 'tie_output': expected true or "
                     "false, got a string");
  EXPECT_PARSE_ERROR(edit("\"encoder-decoder\"", "\"encoder\"",
                          edit("\"vocab\": 23,", "\"vocab\": 23, "
                                                 "\"tie_output\": true,")),
                     "model.json:8: field 'tie_output': an encoder has no "
                     "output projection to tie");
  EXPECT_PARSE_ERROR(edit("\"weights\": \"model.safetensors\"",
                          "\"weights\": [\"a\"]"),
                     "model.json:15: field 'weights': expected a string, got "
                     "a list");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, \"weight_names\": "
                                            "\"tf\","),
                     "model.json:8: field 'weight_names': unknown value 'tf'");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, \"dtype\": "
                                            "\"f64\","),
                     "model.json:8: field 'dtype': unknown value 'f64'; "
                     "expected one of 'f32', 'f16', 'bf16'");
}

TEST(ModelDescriptionTest, AttentionErrors) {
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, \"attention\": "
                                            "\"sparse\","),
                     "model.json:8: field 'attention': unknown attention "
                     "'sparse'");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, \"attention\": 4,"),
                     "model.json:8: field 'attention': expected 'global', "
                     "'causal' or {\"local\": W}, got a number");
  EXPECT_PARSE_ERROR(edit("{\"local\": 2}", "{\"local\": -2}"),
                     "model.json:10: field 'layer_attention[1].local': must "
                     "be at least 0, got -2");
  EXPECT_PARSE_ERROR(edit("{\"local\": 2}", "{\"local\": \"2\"}"),
                     "model.json:10: field 'layer_attention[1].local': "
                     "expected an integer, got a string");
  EXPECT_PARSE_ERROR(edit("\"global\",\n                      {\"local\": 2}",
                          "\"global\""),
                     "model.json:9: field 'layer_attention': has 1 entries "
                     "for 2 layers");
  EXPECT_PARSE_ERROR(edit("[\"global\",\n                      {\"local\": 2}]",
                          "\"global\""),
                     "model.json:9: field 'layer_attention': expected a list "
                     "with one entry per layer, got a string");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,",
                          "\"vocab\": 23,\n  \"decoder_layer_attention\": "
                          "[\"causal\",\n \"global\"],"),
                     "model.json:10: field 'decoder_layer_attention[1]': "
                     "decoder self-attention is always causal");
  std::string decoderOnly =
      edit("\"encoder-decoder\"", "\"decoder\"",
           edit("\"layer_attention\": [\"global\",\n"
                "                      {\"local\": 2}],",
                "\"attention\": {\"local\": 2},"));
  EXPECT_PARSE_ERROR(decoderOnly, "model.json:9: field 'attention': a "
                                  "decoder-only model's self-attention is "
                                  "always causal");
  EXPECT_PARSE_ERROR(edit("\"encoder-decoder\"", "\"decoder\""),
                     "model.json:9: field 'layer_attention': a decoder-only "
                     "model has no encoder layers");
  EXPECT_PARSE_ERROR(edit("\"encoder-decoder\"", "\"encoder\"",
                          edit("\"vocab\": 23,",
                               "\"vocab\": 23, \"decoder_layer_attention\": "
                               "[],")),
                     "model.json:8: field 'decoder_layer_attention': an "
                     "encoder model has no decoder layers");
}

// Sizes past attnc's limits are refused before anything of that size is
// built (a billion layers once took 15 GB before an error).
TEST(ModelDescriptionTest, SizesHaveLimits) {
  EXPECT_PARSE_ERROR(edit("\"layers\": 2", "\"layers\": 1000000000"),
                     "model.json:7: field 'layers': must be at most 1024 "
                     "(attnc's limit), got 1000000000");
  EXPECT_PARSE_ERROR(
      edit("\"layers\": 2",
           "\"encoder_layers\": 1099511627776, \"decoder_layers\": 1"),
      "field 'encoder_layers': must be at most 1024");
  EXPECT_PARSE_ERROR(
      edit("\"layers\": 2", "\"encoder_layers\": 1, \"decoder_layers\": 1025"),
      "field 'decoder_layers': must be at most 1024");
  EXPECT_PARSE_ERROR(edit("\"d_model\": 16", "\"d_model\": 65540"),
                     "model.json:3: field 'd_model': must be at most 65536 "
                     "(attnc's limit), got 65540");
  EXPECT_PARSE_ERROR(edit("\"ffn_dim\": 24", "\"ffn_dim\": 1048576"),
                     "field 'ffn_dim': must be at most 262144");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23", "\"vocab\": 16777217"),
                     "field 'vocab': must be at most 16777216");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, \"max_length\": "
                                            "1099511627776,"),
                     "model.json:8: field 'max_length': must be at most "
                     "4194304 (attnc's limit)");
  // Each size within its limit, but not the position table they make.
  EXPECT_PARSE_ERROR(
      edit("\"d_model\": 16", "\"d_model\": 65536",
           edit("\"vocab\": 23,", "\"vocab\": 23, \"max_length\": 4194304,")),
      "field 'max_length': a position table of 4194304 x 65536 exceeds "
      "attnc's limit of 2147483648 elements");
  // Real models pass: 128 layers, d_model 16384, a 1M vocabulary and 1M
  // positions (without a table).
  EXPECT_EQ(parseError(edit(
                "\"layers\": 2",
                "\"layers\": 128, \"max_length\": 1048576, "
                "\"positional\": \"none\"",
                edit("\"d_model\": 16", "\"d_model\": 16384",
                     edit("\"vocab\": 23", "\"vocab\": 1048576",
                          edit("\"layer_attention\": [\"global\",\n"
                               "                      {\"local\": 2}],",
                               ""))))),
            "");
}

TEST(ModelDescriptionTest, EmbeddingScaleMustBeFiniteInTheDtype) {
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, "
                                            "\"embedding_scale\": 1e308,"),
                     "model.json:8: field 'embedding_scale': 1e+308 is not "
                     "finite in f32");
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, \"dtype\": "
                                            "\"f16\", \"embedding_scale\": "
                                            "1e5,"),
                     "field 'embedding_scale': 100000 is not finite in f16");
}

// llvm::json recurses once per level: a deep file gets an error, not a
// stack overflow.
TEST(ModelDescriptionTest, NestingHasALimit) {
  std::string deep = "{\"weights\": " + std::string(100000, '[');
  EXPECT_PARSE_ERROR(deep, "/models/model.json:1: brackets nest deeper than "
                           "128 levels (attnc's limit)");
  EXPECT_PARSE_ERROR("{\"weights\": " + std::string(127, '[') +
                         std::string(127, ']') + "}",
                     "missing required field");
}

TEST(ModelDescriptionTest, TokenErrors) {
  EXPECT_PARSE_ERROR(edit("\"bos\": 1", "\"bos\": 23"),
                     "model.json:12: field 'tokens.bos': token 23 is outside "
                     "the vocabulary (23)");
  EXPECT_PARSE_ERROR(edit("\"eos\": 2", "\"eos\": -2"),
                     "model.json:13: field 'tokens.eos': must be at least 0");
  EXPECT_PARSE_ERROR(edit("\"tokens\": {\n    \"bos\": 1,\n    \"eos\": 2\n  }",
                          "\"tokens\": [1, 2]"),
                     "model.json:11: field 'tokens': expected an object, got "
                     "a list");
}

TEST(ModelDescriptionTest, HfBertNamesAreForBertEncoders) {
  EXPECT_PARSE_ERROR(edit("\"vocab\": 23,", "\"vocab\": 23, \"weight_names\": "
                                            "\"hf-bert\","),
                     "model.json:8: field 'weight_names': 'hf-bert' names the "
                     "weights of an encoder");
  std::string encoder = edit(
      "\"encoder-decoder\"", "\"encoder\"",
      edit("\"vocab\": 23,", "\"vocab\": 23,\n  \"weight_names\": "
                             "\"hf-bert\",\n  \"final_norm\": true,"));
  EXPECT_PARSE_ERROR(encoder, "model.json:10: field 'final_norm': BERT has no "
                              "final LayerNorm");
  EXPECT_PARSE_ERROR(edit("\"final_norm\": true", "\"positional\": "
                                                  "\"sinusoidal\"",
                          encoder),
                     "model.json:10: field 'positional': BERT's positions are "
                     "'learned'");
}


//===----------------------------------------------------------------------===//
// Hugging Face directories
//===----------------------------------------------------------------------===//

/// A BertModel config.json, one field per line.
const char *const kBertConfig = R"({
  "architectures": ["BertModel"],
  "model_type": "bert",
  "hidden_size": 16,
  "num_attention_heads": 4,
  "intermediate_size": 24,
  "num_hidden_layers": 2,
  "vocab_size": 30,
  "max_position_embeddings": 12,
  "type_vocab_size": 2,
  "layer_norm_eps": 1e-12,
  "hidden_act": "gelu",
  "position_embedding_type": "absolute",
  "pad_token_id": 0
})";

/// The message of loading `dir` as a model description.
std::string loadError(const TempDir &dir) {
  auto d = loadModelDescription(dir.path());
  return d ? "" : toString(d.takeError());
}

TEST(HuggingFaceTest, DetectsDirectories) {
  TempDir dir;
  EXPECT_FALSE(isHuggingFaceDirectory(dir.path()));
  EXPECT_FALSE(isHuggingFaceDirectory(dir.file("config.json")));
  EXPECT_NE(loadError(dir).find(dir.path() + ": a directory without "
                                             "config.json is not a model"),
            std::string::npos);
  writeFile(dir.file("config.json"), kBertConfig);
  EXPECT_TRUE(isHuggingFaceDirectory(dir.path()));
  EXPECT_NE(loadError(dir).find(dir.path() + ": no model.safetensors next to "
                                             "config.json"),
            std::string::npos);
  writeFile(dir.file("model.safetensors"), "");
  auto d = loadModelDescription(dir.path());
  ASSERT_TRUE(static_cast<bool>(d)) << toString(d.takeError());
  EXPECT_EQ(d->architecture, Architecture::Encoder);
  EXPECT_EQ(d->weightNames, WeightNames::HfBert);
  EXPECT_EQ(d->dModel, 16);
  EXPECT_EQ(d->heads, 4);
  EXPECT_EQ(d->kvHeads, 4);
  EXPECT_EQ(d->ffnDim, 24);
  EXPECT_EQ(d->encoderLayers, 2);
  EXPECT_EQ(d->srcVocab, 30);
  EXPECT_EQ(d->maxLength, 12);
  EXPECT_DOUBLE_EQ(d->epsilon, 1e-12);
  EXPECT_EQ(d->activation, Activation::Gelu);
  EXPECT_EQ(d->norm, NormPlacement::Post);
  EXPECT_FALSE(d->finalNorm);
  EXPECT_EQ(d->positional, Positional::Learned);
  EXPECT_TRUE(d->embeddingNorm);
  EXPECT_DOUBLE_EQ(d->embeddingScale, 1.0);
  EXPECT_EQ(d->pad, 0);
  EXPECT_EQ(d->weights, dir.file("model.safetensors"));
}

TEST(HuggingFaceTest, ConfigErrorsNameFieldAndLine) {
  TempDir dir;
  writeFile(dir.file("model.safetensors"), "");
  std::string config = dir.file("config.json");
  auto expect = [&](llvm::StringRef from, llvm::StringRef to,
                    const std::string &expected) {
    std::string text = kBertConfig;
    size_t at = text.find(from.str());
    ASSERT_NE(at, std::string::npos) << from.str();
    text.replace(at, from.size(), to.str());
    writeFile(config, text);
    std::string message = loadError(dir);
    EXPECT_NE(message.find(config + expected), std::string::npos)
        << "expected: " << expected << "\n     got: " << message;
  };
  expect("\"bert\"", "\"gpt2\"",
         ":3: field 'model_type': 'gpt2' is not supported; attnc reads "
         "Hugging Face directories of model_type 'bert'");
  expect("\"model_type\": \"bert\",", "",
         ":1: missing required field 'model_type'");
  expect("\"hidden_size\": 16,", "", ":1: missing required field "
                                     "'hidden_size'");
  expect("\"num_attention_heads\": 4", "\"num_attention_heads\": 5",
         ":5: field 'num_attention_heads': 5 heads do not divide hidden_size "
         "16");
  expect("\"intermediate_size\": 24", "\"intermediate_size\": \"x\"",
         ":6: field 'intermediate_size': expected an integer");
  expect("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 0",
         ":7: field 'num_hidden_layers': must be at least 1");
  expect("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 1000000",
         ":7: field 'num_hidden_layers': must be at most 1024 (attnc's "
         "limit), got 1000000");
  expect("\"vocab_size\": 30,", "", ":1: missing required field "
                                    "'vocab_size'");
  expect("1e-12", "-1", ":11: field 'layer_norm_eps': must be a positive "
                        "finite number, got -1");
  expect("\"gelu\"", "\"silu\"",
         ":12: field 'hidden_act': unknown value 'silu'; expected one of "
         "'gelu', 'gelu_new', 'gelu_pytorch_tanh', 'relu'");
  expect("\"absolute\"", "\"relative_key\"",
         ":13: field 'position_embedding_type': 'relative_key' is not "
         "supported; only 'absolute'");
  expect("\"model_type\"", "\"model_type\" 1,", ": invalid JSON: [3:");
}

//===----------------------------------------------------------------------===//
// Random models
//===----------------------------------------------------------------------===//

using Shape = std::vector<int64_t>;
using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

/// A small model: what the test writes as JSON and as weights. `extra`
/// holds further description fields (activation, norm, attention, ...).
struct ModelSpec {
  std::string architecture = "encoder";
  int64_t dModel = 16, heads = 4, kvHeads = 4, ffnDim = 24;
  int64_t layers = 2;
  int64_t srcVocab = 23, tgtVocab = 19, maxLength = 12;
  std::string positional = "sinusoidal";
  bool finalNorm = true, tieOutput = false;
  /// nn.Transformer's tensors under "transformer.".
  bool transformerPrefix = false;
  DType weightDType = DType::F32;
  llvm::json::Object extra;
};

/// Every tensor the spec's names (model-spec, "pytorch") give `s`, with its
/// shape: the test's own listing, independent of the builder's.
std::vector<std::pair<std::string, Shape>> weightShapes(const ModelSpec &s) {
  int64_t E = s.dModel, D = s.dModel / s.heads, F = s.ffnDim;
  int64_t rows = (s.heads + 2 * s.kvHeads) * D;
  bool encDec = s.architecture == "encoder-decoder";
  std::string t = s.transformerPrefix ? "transformer." : "";
  std::vector<std::pair<std::string, Shape>> out;
  auto attention = [&](const std::string &p) {
    out.push_back({p + ".in_proj_weight", {rows, E}});
    out.push_back({p + ".in_proj_bias", {rows}});
    out.push_back({p + ".out_proj.weight", {E, s.heads * D}});
    out.push_back({p + ".out_proj.bias", {E}});
  };
  auto norm = [&](const std::string &p) {
    out.push_back({p + ".weight", {E}});
    out.push_back({p + ".bias", {E}});
  };
  auto stack = [&](bool decoder) {
    std::string side = encDec ? (decoder ? "tgt_" : "src_") : "";
    int64_t vocab = decoder ? s.tgtVocab : s.srcVocab;
    out.push_back({side + "embedding.weight", {vocab, E}});
    if (s.positional == "learned")
      out.push_back({side + "pos_embedding.weight", {s.maxLength, E}});
    std::string root = t + (decoder ? "decoder" : "encoder");
    for (int64_t i = 0; i < s.layers; ++i) {
      std::string p = root + ".layers." + std::to_string(i);
      attention(p + ".self_attn");
      if (decoder && encDec)
        attention(p + ".multihead_attn");
      out.push_back({p + ".linear1.weight", {F, E}});
      out.push_back({p + ".linear1.bias", {F}});
      out.push_back({p + ".linear2.weight", {E, F}});
      out.push_back({p + ".linear2.bias", {E}});
      norm(p + ".norm1");
      norm(p + ".norm2");
      if (decoder && encDec)
        norm(p + ".norm3");
    }
    if (s.finalNorm)
      norm(root + ".norm");
  };
  if (s.architecture != "decoder")
    stack(false);
  if (s.architecture != "encoder") {
    stack(true);
    if (!s.tieOutput) {
      out.push_back({"generator.weight", {s.tgtVocab, E}});
      out.push_back({"generator.bias", {s.tgtVocab}});
    }
  }
  return out;
}

/// Random values for a tensor called `name`: LayerNorm scales near 1,
/// biases and embeddings spread around 0, weights scaled by their fan-in.
Tensor randomWeight(const std::string &name, const Shape &shape, DType dtype,
                    std::mt19937 &rng) {
  Tensor t(dtype, shape);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  bool normWeight = name.find("norm") != std::string::npos &&
                    name.find("LayerNorm.bias") == std::string::npos &&
                    llvm::StringRef(name).ends_with("weight");
  normWeight |= llvm::StringRef(name).ends_with("LayerNorm.gamma");
  bool embedding = name.find("embedding") != std::string::npos;
  double fanIn = shape.size() == 2 && !embedding ? shape[1] : 1.0;
  for (int64_t i = 0; i < t.numElements(); ++i) {
    double v = u(rng);
    if (normWeight)
      v = 1.0 + 0.2 * v;
    else if (shape.size() == 1)
      v *= 0.2;
    else
      v /= std::sqrt(fanIn);
    t.setDouble(i, v);
  }
  return t;
}

/// Writes DIR/model.json and DIR/model.safetensors for `s`; `mutate` may
/// change the tensors first. Returns the JSON path.
std::string writeModel(const TempDir &dir, const ModelSpec &s,
                       std::function<void(NamedTensors &)> mutate = {},
                       unsigned seed = 1) {
  std::mt19937 rng(seed);
  NamedTensors tensors;
  for (const auto &[name, shape] : weightShapes(s))
    tensors.push_back({name, randomWeight(name, shape, s.weightDType, rng)});
  if (mutate)
    mutate(tensors);
  attnc::test::writeSafetensors(dir.file("model.safetensors"), tensors);

  llvm::json::Object d = s.extra;
  d["architecture"] = s.architecture;
  d["d_model"] = s.dModel;
  d["heads"] = s.heads;
  d["kv_heads"] = s.kvHeads;
  d["ffn_dim"] = s.ffnDim;
  d["layers"] = s.layers;
  if (s.architecture == "encoder-decoder") {
    d["src_vocab"] = s.srcVocab;
    d["tgt_vocab"] = s.tgtVocab;
  } else {
    d["vocab"] = s.architecture == "encoder" ? s.srcVocab : s.tgtVocab;
  }
  d["positional"] = s.positional;
  d["max_length"] = s.maxLength;
  d["final_norm"] = s.finalNorm;
  if (s.architecture != "encoder")
    d["tie_output"] = s.tieOutput;
  d["weights"] = "model.safetensors";
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(d)));
  std::string path = dir.file("model.json");
  writeFile(path, text);
  return path;
}

/// Uniform token ids [B, L] in [0, vocab).
Tensor randomIds(int64_t batch, int64_t len, int64_t vocab, std::mt19937 &rng) {
  Tensor t(DType::I64, {batch, len});
  std::uniform_int_distribution<int64_t> u(0, vocab - 1);
  for (int64_t i = 0; i < t.numElements(); ++i)
    t.as<int64_t>()[i] = u(rng);
  return t;
}

/// A padding mask [B, L]: batch item b has its last b positions padded.
Tensor paddingMask(int64_t batch, int64_t len) {
  Tensor t(DType::I64, {batch, len});
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t l = 0; l < len; ++l)
      t.as<int64_t>()[b * len + l] = l < len - b ? 1 : 0;
  return t;
}

/// Columns [begin, end) of a [B, L, ...] tensor.
Tensor columns(const Tensor &t, int64_t begin, int64_t end) {
  Shape shape(t.shape());
  int64_t inner = t.numElements() / (shape[0] * shape[1]);
  Shape out = shape;
  out[1] = end - begin;
  Tensor r(t.dtype(), out);
  size_t width = byteWidth(t.dtype());
  for (int64_t b = 0; b < shape[0]; ++b)
    std::memcpy(static_cast<char *>(r.data()) +
                    b * (end - begin) * inner * width,
                static_cast<const char *>(t.data()) +
                    (b * shape[1] + begin) * inner * width,
                (end - begin) * inner * width);
  return r;
}

ref::Tensor toRef(const Tensor &t) {
  std::vector<double> data(t.numElements());
  for (int64_t i = 0; i < t.numElements(); ++i)
    data[i] = t.getDouble(i);
  return ref::Tensor(Shape(t.shape()), std::move(data));
}

/// max|got - want| / max|want|, or infinity when the shapes differ.
double relativeError(const Tensor &got, const ref::Tensor &want) {
  if (Shape(got.shape()) != want.shape)
    return INFINITY;
  double diff = 0, scale = 0;
  for (int64_t i = 0; i < got.numElements(); ++i) {
    diff = std::max(diff, std::abs(got.getDouble(i) - want.data[i]));
    scale = std::max(scale, std::abs(want.data[i]));
  }
  return scale == 0 ? diff : diff / scale;
}

constexpr double kTolerance = 1e-4;

/// A built model: its module, and the module JIT-compiled.
class BuiltModel {
public:
  /// Builds and compiles `path`; check `error` before use.
  explicit BuiltModel(llvm::StringRef path, ModelOptions options = {}) {
    mlir::DialectRegistry registry;
    mlir::attn::registerCompilerDialects(registry);
    ctx = std::make_unique<mlir::MLIRContext>(registry);
    auto built = buildModel(*ctx, path, options);
    if (!built) {
      error = toString(built.takeError());
      return;
    }
    module = std::move(*built);
    // The JIT lowers the module it is given; the interpreter needs the
    // attn ops, so it keeps the original.
    mlir::OwningOpRef<mlir::ModuleOp> copy = module->clone();
    auto compiledModule = JitModule::compile(*copy);
    if (!compiledModule) {
      error = toString(compiledModule.takeError());
      return;
    }
    compiled = std::move(*compiledModule);
  }

  /// Runs `entry` compiled and in the reference interpreter, expects every
  /// output within `tolerance`, and returns the compiled outputs.
  std::vector<Tensor> run(llvm::StringRef entry,
                          const std::vector<Tensor> &inputs,
                          double tolerance = kTolerance) {
    auto got = compiled->run(entry, inputs);
    EXPECT_TRUE(static_cast<bool>(got)) << toString(got.takeError());
    if (!got)
      return {};
    auto fn = module->lookupSymbol<mlir::func::FuncOp>(entry);
    EXPECT_TRUE(fn) << entry.str();
    std::vector<ref::Tensor> refInputs;
    for (const Tensor &t : inputs)
      refInputs.push_back(toRef(t));
    auto want = ref::evaluate(fn, refInputs);
    EXPECT_TRUE(static_cast<bool>(want)) << toString(want.takeError());
    if (!want)
      return {};
    EXPECT_EQ(got->size(), want->size());
    auto names = outputNames(entry);
    for (size_t i = 0; i < std::min(got->size(), want->size()); ++i)
      EXPECT_LE(relativeError((*got)[i], (*want)[i]), tolerance)
          << "@" << entry.str() << " output " << names[i];
    return std::move(*got);
  }

  /// The names of `entry`'s outputs.
  std::vector<std::string> outputNames(llvm::StringRef entry) const {
    std::vector<std::string> names;
    auto sig = compiled->signatures().find(entry);
    if (!sig)
      return names;
    for (const TensorSpec &spec : sig->outputs)
      names.push_back(spec.name);
    return names;
  }
  std::vector<std::string> inputNames(llvm::StringRef entry) const {
    std::vector<std::string> names;
    auto sig = compiled->signatures().find(entry);
    if (!sig)
      return names;
    for (const TensorSpec &spec : sig->inputs)
      names.push_back(spec.name);
    return names;
  }

  std::string error;
  std::unique_ptr<mlir::MLIRContext> ctx;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unique_ptr<JitModule> compiled;
};

/// Expects `got` within kTolerance of `want`.
void expectClose(const Tensor &got, const Tensor &want, const char *what) {
  EXPECT_LE(relativeError(got, toRef(want)), kTolerance) << what;
}

/// Decoder-only: forward on ids[:, :L] against decode on the first L-2
/// tokens followed by two decode_steps; the steps' logits must be the last
/// two rows of forward's, and the final presents those of decode on all L.
void checkDecoderCache(BuiltModel &m, int64_t vocab, int64_t layers,
                       unsigned seed) {
  std::mt19937 rng(seed);
  int64_t B = 2, L = 6;
  Tensor ids = randomIds(B, L, vocab, rng);
  std::vector<Tensor> forward = m.run("forward", {ids});
  ASSERT_EQ(forward.size(), 1u);
  EXPECT_EQ(Shape(forward[0].shape()), (Shape{B, L, vocab}));

  std::vector<Tensor> full = m.run("decode", {ids});
  ASSERT_EQ(full.size(), 1u + 2 * layers);
  expectClose(full[0], forward[0], "decode logits = forward logits");

  std::vector<Tensor> state = m.run("decode", {columns(ids, 0, L - 2)});
  ASSERT_EQ(state.size(), 1u + 2 * layers);
  for (int64_t t = L - 2; t < L; ++t) {
    std::vector<Tensor> inputs{columns(ids, t, t + 1)};
    inputs.insert(inputs.end(), state.begin() + 1, state.end());
    state = m.run("decode_step", inputs);
    ASSERT_EQ(state.size(), 1u + 2 * layers);
    EXPECT_EQ(Shape(state[0].shape()), (Shape{B, 1, vocab}));
    expectClose(state[0], columns(forward[0], t, t + 1),
                "decode_step logits = forward's row");
  }
  for (size_t i = 1; i < state.size(); ++i)
    expectClose(state[i], full[i], "stepped presents = decode's presents");
}

/// Encoder-decoder: the same through encode, decode and decode_step.
void checkEncoderDecoderCache(BuiltModel &m, int64_t srcVocab,
                              int64_t tgtVocab, int64_t layers,
                              unsigned seed) {
  std::mt19937 rng(seed);
  int64_t B = 2, Ls = 5, Lt = 6;
  Tensor src = randomIds(B, Ls, srcVocab, rng);
  Tensor mask = paddingMask(B, Ls);
  Tensor tgt = randomIds(B, Lt, tgtVocab, rng);
  std::vector<Tensor> forward = m.run("forward", {src, mask, tgt});
  ASSERT_EQ(forward.size(), 1u);
  EXPECT_EQ(Shape(forward[0].shape()), (Shape{B, Lt, tgtVocab}));

  std::vector<Tensor> encoded = m.run("encode", {src, mask});
  ASSERT_EQ(encoded.size(), 1u + 2 * layers);
  std::vector<Tensor> cross(encoded.begin() + 1, encoded.end());

  auto decode = [&](const Tensor &ids) {
    std::vector<Tensor> inputs{ids, mask};
    inputs.insert(inputs.end(), cross.begin(), cross.end());
    return m.run("decode", inputs);
  };
  std::vector<Tensor> full = decode(tgt);
  ASSERT_EQ(full.size(), 1u + 2 * layers);
  expectClose(full[0], forward[0], "decode logits = forward logits");

  std::vector<Tensor> state = decode(columns(tgt, 0, Lt - 2));
  ASSERT_EQ(state.size(), 1u + 2 * layers);
  for (int64_t t = Lt - 2; t < Lt; ++t) {
    std::vector<Tensor> inputs{columns(tgt, t, t + 1), mask};
    inputs.insert(inputs.end(), cross.begin(), cross.end());
    inputs.insert(inputs.end(), state.begin() + 1, state.end());
    state = m.run("decode_step", inputs);
    ASSERT_EQ(state.size(), 1u + 2 * layers);
    expectClose(state[0], columns(forward[0], t, t + 1),
                "decode_step logits = forward's row");
  }
  for (size_t i = 1; i < state.size(); ++i)
    expectClose(state[i], full[i], "stepped presents = decode's presents");
}

//===----------------------------------------------------------------------===//
// Weight errors and names
//===----------------------------------------------------------------------===//

class ModelWeightsTest : public ::testing::Test {
protected:
  /// The error of building `spec` after `mutate` (empty if it built).
  std::string buildError(std::function<void(NamedTensors &)> mutate) {
    std::string path = writeModel(dir, spec, std::move(mutate));
    mlir::MLIRContext ctx;
    auto module = buildModel(ctx, path);
    return module ? "" : toString(module.takeError());
  }

  static void remove(NamedTensors &tensors, llvm::StringRef name) {
    llvm::erase_if(tensors, [&](auto &t) { return t.first == name; });
  }
  static void replace(NamedTensors &tensors, llvm::StringRef name,
                      Tensor with) {
    for (auto &t : tensors)
      if (t.first == name)
        t.second = std::move(with);
  }

  TempDir dir;
  ModelSpec spec = [] {
    ModelSpec s;
    s.architecture = "encoder-decoder";
    s.kvHeads = 2;
    return s;
  }();
};

TEST_F(ModelWeightsTest, MissingTensor) {
  std::string message = buildError([](NamedTensors &t) {
    remove(t, "decoder.layers.1.multihead_attn.in_proj_weight");
  });
  EXPECT_NE(message.find(dir.file("model.safetensors") +
                         ": missing tensor "
                         "'decoder.layers.1.multihead_attn.in_proj_weight' "
                         "(nor 'transformer.decoder.layers.1.multihead_attn."
                         "in_proj_weight'), expected shape [32, 16]"),
            std::string::npos)
      << message;
  message = buildError([](NamedTensors &t) { remove(t, "generator.bias"); });
  EXPECT_NE(message.find(": missing tensor 'generator.bias', expected shape "
                         "[19]"),
            std::string::npos)
      << message;
  message = buildError([](NamedTensors &t) { remove(t, "encoder.norm.bias"); });
  EXPECT_NE(message.find(": missing tensor 'encoder.norm.bias'"),
            std::string::npos)
      << message;
}

TEST_F(ModelWeightsTest, MisshapedTensor) {
  std::string message = buildError([](NamedTensors &t) {
    replace(t, "encoder.layers.0.linear1.weight",
            Tensor(DType::F32, {24, 15}));
  });
  EXPECT_NE(message.find("tensor 'encoder.layers.0.linear1.weight' has shape "
                         "[24, 15], expected [24, 16]"),
            std::string::npos)
      << message;
  // The in_proj rows must match kv_heads: [(4 + 2*2) * 4, 16].
  message = buildError([](NamedTensors &t) {
    replace(t, "encoder.layers.1.self_attn.in_proj_bias",
            Tensor(DType::F32, {48}));
  });
  EXPECT_NE(message.find("tensor 'encoder.layers.1.self_attn.in_proj_bias' "
                         "has shape [48], expected [32]"),
            std::string::npos)
      << message;
  message = buildError([](NamedTensors &t) {
    replace(t, "tgt_embedding.weight", Tensor(DType::F32, {19, 16, 1}));
  });
  EXPECT_NE(message.find("tensor 'tgt_embedding.weight' has shape [19, 16, "
                         "1], expected [19, 16]"),
            std::string::npos)
      << message;
}

TEST_F(ModelWeightsTest, WrongDtype) {
  std::string message = buildError([](NamedTensors &t) {
    replace(t, "src_embedding.weight", Tensor(DType::I64, {23, 16}));
  });
  EXPECT_NE(message.find("tensor 'src_embedding.weight' has dtype I64; model "
                         "weights must be F32, F16 or BF16"),
            std::string::npos)
      << message;
  message = buildError([](NamedTensors &t) {
    replace(t, "decoder.norm.weight", Tensor(DType::F64, {16}));
  });
  EXPECT_NE(message.find("tensor 'decoder.norm.weight' has dtype F64"),
            std::string::npos)
      << message;
}

TEST_F(ModelWeightsTest, BadWeightsFileIsReported) {
  std::string path = writeModel(dir, spec);
  writeFile(dir.file("model.safetensors"), "tiny");
  mlir::MLIRContext ctx;
  auto module = buildModel(ctx, path);
  ASSERT_FALSE(static_cast<bool>(module));
  EXPECT_NE(toString(module.takeError())
                .find(dir.file("model.safetensors") + ": not a safetensors "
                                                      "file"),
            std::string::npos);
}

TEST_F(ModelWeightsTest, ExtraTensorsAreIgnoredAndProgressIsReported) {
  std::string path = writeModel(dir, spec, [](NamedTensors &t) {
    t.push_back({"unused.weight", Tensor(DType::I64, {3})});
  });
  mlir::MLIRContext ctx;
  std::vector<std::string> steps;
  ModelOptions options;
  options.progress = [&](llvm::StringRef step) { steps.push_back(step.str()); };
  auto module = buildModel(ctx, path, options);
  ASSERT_TRUE(static_cast<bool>(module)) << toString(module.takeError());
  auto has = [&](const std::string &step) {
    return llvm::is_contained(steps, step);
  };
  EXPECT_TRUE(has("reading weights from " + dir.file("model.safetensors")));
  EXPECT_TRUE(has("reading encoder layer 1/2"));
  EXPECT_TRUE(has("reading decoder layer 2/2"));
  EXPECT_TRUE(has("building @forward"));
  EXPECT_TRUE(has("building @decode_step"));
  EXPECT_TRUE(has("building encoder.1"));
  EXPECT_TRUE(has("building decoder.0"));
  // The tokens are recorded on the module for generation.
  EXPECT_FALSE((**module)->hasAttr("attnc.tokens"));
}

//===----------------------------------------------------------------------===//
// Architectures against the reference interpreter
//===----------------------------------------------------------------------===//

TEST(ModelRunTest, EncoderPostReluSinusoidal) {
  TempDir dir;
  ModelSpec s;
  BuiltModel m(writeModel(dir, s));
  ASSERT_EQ(m.error, "");
  EXPECT_EQ(m.inputNames("forward"),
            (std::vector<std::string>{"input_ids", "attention_mask"}));
  EXPECT_EQ(m.outputNames("forward"),
            (std::vector<std::string>{"last_hidden_state"}));
  std::mt19937 rng(7);
  // Two shapes through the same compiled function: B and L are dynamic.
  for (auto [B, L] : {std::pair<int64_t, int64_t>{2, 5}, {3, 7}}) {
    std::vector<Tensor> out =
        m.run("forward", {randomIds(B, L, s.srcVocab, rng), paddingMask(B, L)});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(Shape(out[0].shape()), (Shape{B, L, s.dModel}));
  }
}

TEST(ModelRunTest, EncoderPreGeluLearnedWindowsGqaPrefixed) {
  TempDir dir;
  ModelSpec s;
  s.kvHeads = 2;
  s.positional = "learned";
  s.transformerPrefix = true;
  s.layers = 3;
  s.extra = llvm::json::Object{
      {"norm", "pre"},
      {"activation", "gelu"},
      {"embedding_scale", 1.5},
      {"epsilon", 1e-6},
      {"layer_attention",
       llvm::json::Array{"causal", llvm::json::Object{{"local", 1}}, "global"}}};
  BuiltModel m(writeModel(dir, s));
  ASSERT_EQ(m.error, "");
  std::mt19937 rng(8);
  m.run("forward", {randomIds(2, 7, s.srcVocab, rng), paddingMask(2, 7)});
}

TEST(ModelRunTest, DecoderPreGeluTanhMqaTiedF16WeightsWithWindow) {
  TempDir dir;
  ModelSpec s;
  s.architecture = "decoder";
  s.kvHeads = 1;
  s.tieOutput = true;
  s.weightDType = DType::F16;
  s.extra = llvm::json::Object{
      {"norm", "pre"},
      {"activation", "gelu_tanh"},
      {"decoder_layer_attention",
       llvm::json::Array{llvm::json::Object{{"local", 2}}, "causal"}}};
  BuiltModel m(writeModel(dir, s));
  ASSERT_EQ(m.error, "");
  EXPECT_EQ(m.inputNames("decode_step"),
            (std::vector<std::string>{"input_ids", "past_key_0",
                                      "past_value_0", "past_key_1",
                                      "past_value_1"}));
  EXPECT_EQ(m.outputNames("decode"),
            (std::vector<std::string>{"logits", "present_key_0",
                                      "present_value_0", "present_key_1",
                                      "present_value_1"}));
  checkDecoderCache(m, s.tgtVocab, s.layers, 9);
}

TEST(ModelRunTest, DecoderPostReluLearnedUntied) {
  TempDir dir;
  ModelSpec s;
  s.architecture = "decoder";
  s.positional = "learned";
  s.finalNorm = false;
  BuiltModel m(writeModel(dir, s));
  ASSERT_EQ(m.error, "");
  checkDecoderCache(m, s.tgtVocab, s.layers, 10);
}

TEST(ModelRunTest, EncoderDecoderPostReluLearned) {
  TempDir dir;
  ModelSpec s;
  s.architecture = "encoder-decoder";
  s.positional = "learned";
  BuiltModel m(writeModel(dir, s));
  ASSERT_EQ(m.error, "");
  EXPECT_EQ(m.inputNames("forward"),
            (std::vector<std::string>{"src_ids", "src_mask", "tgt_ids"}));
  EXPECT_EQ(m.outputNames("encode"),
            (std::vector<std::string>{"memory", "cross_key_0",
                                      "cross_value_0", "cross_key_1",
                                      "cross_value_1"}));
  EXPECT_EQ(m.inputNames("decode"),
            (std::vector<std::string>{"tgt_ids", "src_mask", "cross_key_0",
                                      "cross_value_0", "cross_key_1",
                                      "cross_value_1"}));
  EXPECT_EQ(m.inputNames("decode_step"),
            (std::vector<std::string>{
                "input_ids", "src_mask", "cross_key_0", "cross_value_0",
                "cross_key_1", "cross_value_1", "past_key_0", "past_value_0",
                "past_key_1", "past_value_1"}));
  checkEncoderDecoderCache(m, s.srcVocab, s.tgtVocab, s.layers, 11);
}

/// Sizes that inputs share are named in the signatures, and inputs that
/// disagree on one are rejected before the call, naming both: the compiled
/// code would read a short mask or cache out of bounds.
TEST(ModelRunTest, InputsMustAgreeOnSharedSizes) {
  TempDir dir;
  ModelSpec s;
  s.architecture = "encoder-decoder";
  s.layers = 1;
  BuiltModel m(writeModel(dir, s));
  ASSERT_EQ(m.error, "");
  using Names = std::vector<std::string>;
  auto dimNames = [&](llvm::StringRef entry) {
    std::vector<Names> names;
    auto sig = m.compiled->signatures().find(entry);
    EXPECT_TRUE(static_cast<bool>(sig)) << toString(sig.takeError());
    if (sig)
      for (const TensorSpec &spec : sig->inputs)
        names.push_back(spec.dimNames);
    return names;
  };
  Names kv{"batch", "", "source_length", ""};
  Names past{"batch", "", "past_length", ""};
  EXPECT_EQ(dimNames("forward"),
            (std::vector<Names>{{"batch", "source_length"},
                                {"batch", "source_length"},
                                {"batch", "target_length"}}));
  EXPECT_EQ(dimNames("decode_step"),
            (std::vector<Names>{
                {"batch", ""}, {"batch", "source_length"}, kv, kv, past, past}));

  std::mt19937 rng(5);
  auto run = [&](llvm::StringRef entry, std::vector<Tensor> inputs) {
    auto out = m.compiled->run(entry, inputs);
    return out ? std::string("no error") : toString(out.takeError());
  };
  EXPECT_EQ(run("encode", {randomIds(2, 5, s.srcVocab, rng), paddingMask(2, 4)}),
            "input 'src_mask' has size 4 in dimension 1 (source_length), but "
            "input 'src_ids' has 5 in dimension 1; encode needs them equal");
  EXPECT_EQ(run("forward", {randomIds(2, 5, s.srcVocab, rng), paddingMask(2, 5),
                            randomIds(3, 4, s.tgtVocab, rng)}),
            "input 'tgt_ids' has size 3 in dimension 0 (batch), but input "
            "'src_ids' has 2 in dimension 0; forward needs them equal");
  int64_t D = s.dModel / s.heads;
  Tensor cross(DType::F32, {2, s.kvHeads, 5, D});
  Tensor pastKey(DType::F32, {2, s.kvHeads, 3, D});
  Tensor pastValue(DType::F32, {2, s.kvHeads, 4, D});
  EXPECT_EQ(run("decode_step", {randomIds(2, 1, s.tgtVocab, rng),
                                paddingMask(2, 5), cross, cross, pastKey,
                                pastValue}),
            "input 'past_value_0' has size 4 in dimension 2 (past_length), "
            "but input 'past_key_0' has 3 in dimension 2; decode_step needs "
            "them equal");
}

TEST(ModelRunTest, EncoderDecoderPreGeluTiedGqaSinusoidal) {
  TempDir dir;
  ModelSpec s;
  s.architecture = "encoder-decoder";
  s.kvHeads = 2;
  s.tieOutput = true;
  s.extra = llvm::json::Object{{"norm", "pre"}, {"activation", "gelu"}};
  BuiltModel m(writeModel(dir, s));
  ASSERT_EQ(m.error, "");
  checkEncoderDecoderCache(m, s.srcVocab, s.tgtVocab, s.layers, 12);
}

// Computing in f16 (f32 weights converted when the model is built): the
// compiled code rounds every intermediate to f16 (unit roundoff 4.9e-4, a
// few dozen roundings deep), the oracle computes in fp64; 1.7e-3 was
// measured.
TEST(ModelRunTest, ComputeInF16) {
  TempDir dir;
  ModelSpec s;
  s.architecture = "decoder";
  s.kvHeads = 2;
  s.extra = llvm::json::Object{{"dtype", "f16"}};
  BuiltModel m(writeModel(dir, s));
  ASSERT_EQ(m.error, "");
  std::mt19937 rng(17);
  std::vector<Tensor> out =
      m.run("forward", {randomIds(2, 5, s.tgtVocab, rng)}, 5e-3);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].dtype(), DType::F16);
}

TEST(ModelRunTest, AttentionMaps) {
  TempDir dir;
  ModelSpec s;
  s.architecture = "encoder-decoder";
  s.kvHeads = 2;
  s.extra = llvm::json::Object{
      {"layer_attention",
       llvm::json::Array{"global", llvm::json::Object{{"local", 1}}}}};
  ModelOptions options;
  options.attentionMaps = true;
  BuiltModel m(writeModel(dir, s), options);
  ASSERT_EQ(m.error, "");
  EXPECT_EQ(m.outputNames("forward"),
            (std::vector<std::string>{
                "logits", "attention.encoder.0", "attention.encoder.1",
                "attention.decoder.0.self", "attention.decoder.0.cross",
                "attention.decoder.1.self", "attention.decoder.1.cross"}));
  // Only forward returns maps.
  EXPECT_EQ(m.outputNames("encode").size(), 5u);
  std::mt19937 rng(13);
  int64_t B = 2, Ls = 5, Lt = 4;
  Tensor mask = paddingMask(B, Ls);
  std::vector<Tensor> out = m.run(
      "forward",
      {randomIds(B, Ls, s.srcVocab, rng), mask, randomIds(B, Lt, s.tgtVocab, rng)});
  ASSERT_EQ(out.size(), 7u);
  // Rows are distributions over the visible keys: padded source keys, keys
  // outside encoder layer 1's window and future target keys get 0.
  auto at = [](const Tensor &t, int64_t b, int64_t h, int64_t i, int64_t j) {
    Shape s(t.shape());
    return t.getDouble(((b * s[1] + h) * s[2] + i) * s[3] + j);
  };
  for (size_t o = 1; o < out.size(); ++o) {
    const Tensor &w = out[o];
    Shape shape(w.shape());
    ASSERT_EQ(shape.size(), 4u);
    EXPECT_EQ(shape[1], s.heads);
    bool self = o == 3 || o == 5;
    for (int64_t b = 0; b < B; ++b)
      for (int64_t h = 0; h < shape[1]; ++h)
        for (int64_t i = 0; i < shape[2]; ++i) {
          double sum = 0;
          for (int64_t j = 0; j < shape[3]; ++j) {
            double p = at(w, b, h, i, j);
            sum += p;
            bool padded = !self && mask.as<int64_t>()[b * Ls + j] == 0;
            bool hidden = padded || (self && j > i) ||
                          (o == 2 && std::abs(i - j) > 1);
            if (hidden) {
              EXPECT_EQ(p, 0.0) << m.outputNames("forward")[o];
            }
          }
          EXPECT_NEAR(sum, 1.0, 1e-5) << m.outputNames("forward")[o];
        }
  }
}

TEST(ModelRunTest, HuggingFaceBertDirectory) {
  TempDir dir;
  writeFile(dir.file("config.json"), kBertConfig);
  int64_t E = 16, F = 24, V = 30, P = 12;
  std::vector<std::pair<std::string, Shape>> shapes{
      {"bert.embeddings.word_embeddings.weight", {V, E}},
      {"bert.embeddings.position_embeddings.weight", {P, E}},
      {"bert.embeddings.token_type_embeddings.weight", {2, E}},
      // TensorFlow-era names for the embedding LayerNorm.
      {"bert.embeddings.LayerNorm.gamma", {E}},
      {"bert.embeddings.LayerNorm.beta", {E}},
      {"bert.pooler.dense.weight", {E, E}},
      {"bert.pooler.dense.bias", {E}}};
  for (int i = 0; i < 2; ++i) {
    std::string p = "bert.encoder.layer." + std::to_string(i) + ".";
    for (const char *proj : {"query", "key", "value"}) {
      shapes.push_back({p + "attention.self." + proj + ".weight", {E, E}});
      shapes.push_back({p + "attention.self." + proj + ".bias", {E}});
    }
    for (auto [name, rows, cols] :
         {std::tuple{"attention.output.dense", E, E},
          std::tuple{"intermediate.dense", F, E},
          std::tuple{"output.dense", E, F}}) {
      shapes.push_back({p + name + ".weight", {rows, cols}});
      shapes.push_back({p + name + ".bias", {rows}});
    }
    for (const char *norm : {"attention.output.LayerNorm", "output.LayerNorm"}) {
      shapes.push_back({p + norm + ".weight", {E}});
      shapes.push_back({p + norm + ".bias", {E}});
    }
  }
  std::mt19937 rng(14);
  NamedTensors tensors;
  for (const auto &[name, shape] : shapes)
    tensors.push_back({name, randomWeight(name, shape, DType::F32, rng)});
  attnc::test::writeSafetensors(dir.file("model.safetensors"), tensors);

  BuiltModel m(dir.path());
  ASSERT_EQ(m.error, "");
  m.run("forward", {randomIds(2, 6, V, rng), paddingMask(2, 6)});

  // Loaded as an input file too: a directory is a model.
  mlir::DialectRegistry registry;
  mlir::attn::registerCompilerDialects(registry);
  mlir::MLIRContext ctx(registry);
  auto loaded = loadInput(ctx, dir.path());
  ASSERT_TRUE(static_cast<bool>(loaded)) << toString(loaded.takeError());
  EXPECT_TRUE((*loaded)->lookupSymbol<mlir::func::FuncOp>("forward"));

  // A missing LayerNorm names its canonical name and the aliases tried.
  llvm::erase_if(tensors, [](auto &t) {
    return t.first == "bert.encoder.layer.1.output.LayerNorm.bias";
  });
  attnc::test::writeSafetensors(dir.file("model.safetensors"), tensors);
  mlir::MLIRContext plain;
  auto missing = buildModel(plain, dir.path());
  ASSERT_FALSE(static_cast<bool>(missing));
  EXPECT_NE(toString(missing.takeError())
                .find("missing tensor 'encoder.layer.1.output.LayerNorm.bias' "
                      "(nor 'bert.encoder.layer.1.output.LayerNorm.bias', "
                      "'encoder.layer.1.output.LayerNorm.beta', "
                      "'bert.encoder.layer.1.output.LayerNorm.beta'), "
                      "expected shape [16]"),
            std::string::npos);
}

TEST(ModelRunTest, CompileFileTakesADescription) {
  TempDir dir;
  ModelSpec s;
  s.architecture = "decoder";
  s.extra = llvm::json::Object{{"tokens", llvm::json::Object{{"bos", 1}, {"eos", 2}}}};
  std::string path = writeModel(dir, s);
  CompileOptions options;
  options.entry = "decode";
  auto compiled = JitModule::compileFile(path, options);
  ASSERT_TRUE(static_cast<bool>(compiled))
      << toString(compiled.takeError());
  std::mt19937 rng(15);
  auto out = (*compiled)->run({randomIds(1, 3, s.tgtVocab, rng)});
  ASSERT_TRUE(static_cast<bool>(out)) << toString(out.takeError());
  EXPECT_EQ(out->size(), 5u);

  mlir::MLIRContext ctx;
  auto module = buildModel(ctx, path);
  ASSERT_TRUE(static_cast<bool>(module)) << toString(module.takeError());
  auto tokens =
      (**module)->getAttrOfType<mlir::DictionaryAttr>("attnc.tokens");
  ASSERT_TRUE(tokens);
  EXPECT_EQ(mlir::cast<mlir::IntegerAttr>(tokens.get("bos")).getInt(), 1);
  EXPECT_EQ(mlir::cast<mlir::IntegerAttr>(tokens.get("eos")).getInt(), 2);
  EXPECT_FALSE(tokens.get("pad"));
}

//===----------------------------------------------------------------------===//
// The builder's semantics, checked without the builder
//===----------------------------------------------------------------------===//

/// A pre-norm GQA encoder with learned positions, computed from the weights
/// with the reference evaluator's embedding, positional and encoder-layer
/// functions (which split in_proj, heads and residuals themselves), against
/// the built module run by the interpreter.
TEST(ModelSemanticsTest, EncoderMatchesTheReferenceLayers) {
  TempDir dir;
  ModelSpec s;
  s.kvHeads = 2;
  s.positional = "learned";
  s.extra = llvm::json::Object{{"norm", "pre"},
                         {"activation", "gelu"},
                         {"attention", llvm::json::Object{{"local", 2}}}};
  NamedTensors weights;
  std::string path = writeModel(dir, s, [&](NamedTensors &t) { weights = t; });
  auto w = [&](const std::string &name) {
    for (auto &[n, t] : weights)
      if (n == name)
        return toRef(t);
    ADD_FAILURE() << "no weight " << name;
    return ref::Tensor();
  };

  std::mt19937 rng(16);
  int64_t B = 2, L = 6, E = s.dModel, D = E / s.heads;
  Tensor ids = randomIds(B, L, s.srcVocab, rng);
  Tensor mask = paddingMask(B, L);

  auto x = ref::embedding(toRef(ids), w("embedding.weight"), std::sqrt(16.0));
  ASSERT_TRUE(static_cast<bool>(x));
  ref::Tensor table = w("pos_embedding.weight");
  auto y = ref::positionalEncoding(*x, ref::PositionalKind::Learned, &table);
  ASSERT_TRUE(static_cast<bool>(y));
  ref::Mask keys{ref::Tensor({B, 1, 1, L}, toRef(mask).data),
                 ref::MaskKind::Boolean};
  ref::Tensor h = *y;
  int64_t q = s.heads * D, kv = s.kvHeads * D;
  auto rows = [&](const ref::Tensor &t, int64_t begin, int64_t count) {
    int64_t width = t.numel() / t.shape[0];
    Shape shape = t.shape;
    shape[0] = count;
    return ref::Tensor(shape, std::vector<double>(
                                  t.data.begin() + begin * width,
                                  t.data.begin() + (begin + count) * width));
  };
  for (int i = 0; i < s.layers; ++i) {
    std::string p = "encoder.layers." + std::to_string(i) + ".";
    ref::Tensor inW = w(p + "self_attn.in_proj_weight");
    ref::Tensor inB = w(p + "self_attn.in_proj_bias");
    ref::EncoderLayerWeights lw{
        {rows(inW, 0, q), rows(inB, 0, q), rows(inW, q, kv), rows(inB, q, kv),
         rows(inW, q + kv, kv), rows(inB, q + kv, kv),
         w(p + "self_attn.out_proj.weight"), w(p + "self_attn.out_proj.bias")},
        {w(p + "norm1.weight"), w(p + "norm1.bias")},
        {w(p + "linear1.weight"), w(p + "linear1.bias"),
         w(p + "linear2.weight"), w(p + "linear2.bias")},
        {w(p + "norm2.weight"), w(p + "norm2.bias")}};
    ref::LayerConfig config;
    config.numHeads = s.heads;
    config.numKvHeads = s.kvHeads;
    config.normFirst = true;
    config.activation = ref::Activation::Gelu;
    config.attention.window = std::array<int64_t, 2>{2, 2};
    auto next = ref::encoderLayer(h, lw, config, &keys);
    ASSERT_TRUE(static_cast<bool>(next)) << toString(next.takeError());
    h = *next;
  }
  auto want = ref::layerNorm(h, w("encoder.norm.weight"),
                             w("encoder.norm.bias"), 1e-5);
  ASSERT_TRUE(static_cast<bool>(want));

  BuiltModel m(path);
  ASSERT_EQ(m.error, "");
  std::vector<Tensor> got = m.run("forward", {ids, mask});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_LE(relativeError(got[0], *want), kTolerance);
}

} // namespace
