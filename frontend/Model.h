//===- Model.h - Transformer models from JSON descriptions and safetensors -*- C++ -*-===//
//
// A model is described by a JSON file (architecture, sizes, options, the
// weights file) or by a Hugging Face BERT directory (config.json plus
// model.safetensors). buildModel turns either into an MLIR module of attn
// ops whose weights are embedded as constants, with the entry points listed
// in frontend/README.md ("Model descriptions").
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_FRONTEND_MODEL_H
#define ATTNC_FRONTEND_MODEL_H

#include "runtime/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace attnc::frontend {

enum class Architecture { Encoder, Decoder, EncoderDecoder };
enum class Activation { Relu, Gelu, GeluTanh };
enum class NormPlacement { Post, Pre };
enum class Positional { Sinusoidal, Learned, None };
/// How the tensors of the weights file are named.
enum class WeightNames {
  /// nn.Transformer's state_dict, optionally under "transformer.".
  PyTorch,
  /// Hugging Face's BertModel, optionally under "bert.".
  HfBert,
};

/// Which keys one self-attention layer sees.
struct LayerAttention {
  enum class Kind { Global, Causal, Local };
  Kind kind = Kind::Global;
  /// For Local: the keys within `window` positions of the query.
  int64_t window = 0;
};

/// The largest sizes a description may claim (frontend/README.md,
/// "Limits"). They are far above real models and low enough that nothing
/// built from a description runs out of memory or time before its weights
/// are read and checked against them.
struct ModelLimits {
  /// Layers in one stack.
  static constexpr int64_t layers = 1024;
  /// d_model (hidden_size).
  static constexpr int64_t dModel = 65536;
  /// ffn_dim (intermediate_size).
  static constexpr int64_t ffnDim = 262144;
  /// Each vocabulary.
  static constexpr int64_t vocab = int64_t(1) << 24;
  /// max_length (max_position_embeddings).
  static constexpr int64_t maxLength = int64_t(1) << 22;
  /// max_length * d_model: the position table attnc builds in memory.
  static constexpr int64_t positionTable = int64_t(1) << 31;
};

/// A parsed and checked model description. Sizes are consistent (heads
/// divide d_model, kv_heads divide heads, one attention entry per layer).
struct ModelDescription {
  /// The description file (or the Hugging Face directory) it came from.
  std::string source;
  Architecture architecture = Architecture::Encoder;
  int64_t dModel = 0, heads = 0, kvHeads = 0, ffnDim = 0;
  int64_t encoderLayers = 0, decoderLayers = 0;
  Activation activation = Activation::Relu;
  NormPlacement norm = NormPlacement::Post;
  /// A LayerNorm after the last layer of each stack (nn.Transformer's
  /// encoder.norm / decoder.norm).
  bool finalNorm = true;
  double epsilon = 1e-5;
  Positional positional = Positional::Sinusoidal;
  /// Positions a learned table holds, and the longest prefix plus steps a
  /// decoder can run.
  int64_t maxLength = 512;
  /// The source (encoder) and target (decoder) vocabularies; a single-stack
  /// model uses the one of its stack.
  int64_t srcVocab = 0, tgtVocab = 0;
  double embeddingScale = 1.0;
  bool tieOutput = false;
  /// One entry per encoder layer: Global, Causal or Local.
  std::vector<LayerAttention> encoderAttention;
  /// One entry per decoder layer: Causal, or Local (causal plus a window).
  std::vector<LayerAttention> decoderAttention;
  /// The safetensors file, resolved against the description's directory.
  std::string weights;
  WeightNames weightNames = WeightNames::PyTorch;
  /// The compute dtype: F32, F16 or BF16.
  DType dtype = DType::F32;
  /// BERT's embedding block: a LayerNorm after the embeddings, and token
  /// type 0 added to every position.
  bool embeddingNorm = false;
  std::optional<int64_t> bos, eos, pad;
};

/// Parses a JSON description. `path` names the file in errors and resolves
/// the weights file. Every error names the field (a path such as
/// `layer_attention[1].local`) and the line it is on.
llvm::Expected<ModelDescription> parseModelDescription(llvm::StringRef text,
                                                       llvm::StringRef path);

/// Reads the description at `path`: a JSON file, or a Hugging Face BERT
/// directory (config.json with model_type "bert", and model.safetensors).
llvm::Expected<ModelDescription> loadModelDescription(llvm::StringRef path);

/// Whether `path` is a directory in the Hugging Face layout (it holds a
/// config.json).
bool isHuggingFaceDirectory(llvm::StringRef path);

struct ModelOptions {
  /// `forward` also returns every layer's attention weights.
  bool attentionMaps = false;
  /// Called at coarse steps (reading the weights, building layer i of N).
  std::function<void(llvm::StringRef)> progress;
};

/// Builds the module of a described model: its weights read from the
/// safetensors file and embedded as constants, and its entry points. Errors
/// name the missing, misshaped or mistyped tensor and what was expected.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
buildModel(mlir::MLIRContext &ctx, const ModelDescription &description,
           const ModelOptions &options = {});

/// loadModelDescription, then buildModel.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
buildModel(mlir::MLIRContext &ctx, llvm::StringRef path,
           const ModelOptions &options = {});

} // namespace attnc::frontend

#endif // ATTNC_FRONTEND_MODEL_H
