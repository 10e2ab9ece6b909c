// What the com.microsoft Attention, MultiHeadAttention and
// EmbedLayerNormalization importers refuse, one case per error: each names
// the node and the unsupported feature. The base models import.

// RUN: rm -rf %t && split-file %s %t && cd %t

// Attention.
// RUN: %onnx-encode < attn.txtpb > attn.onnx
// RUN: attnc attn.onnx --emit=mlir | FileCheck %s --check-prefix=ATTN
// ATTN: attn.sdpa {{.*}} mask(
// RUN: sed 's/i: 2 type: INT/i: 0 type: INT/' attn.txtpb | %onnx-encode > a.onnx
// RUN: not attnc a.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=HEADS
// HEADS: attnc: error: a.onnx: node 'attn' (com.microsoft.Attention): attribute 'num_heads' must be given and positive
// RUN: sed 's/name: "num_heads"/name: "scale" f: -1 type: FLOAT } attribute { name: "num_heads"/' attn.txtpb | %onnx-encode > a.onnx
// RUN: not attnc a.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=SCALE
// SCALE: node 'attn' (com.microsoft.Attention): attribute 'scale' must be positive and finite (0 means 1/sqrt(head_size)), got -1
// RUN: sed 's/name: "num_heads"/name: "unidirectional" i: 2 type: INT } attribute { name: "num_heads"/' attn.txtpb | %onnx-encode > a.onnx
// RUN: not attnc a.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=UNI
// UNI: node 'attn' (com.microsoft.Attention): attribute 'unidirectional' must be 0 or 1, got 2
// RUN: sed 's/name: "num_heads"/name: "mask_filter_value" f: -inf type: FLOAT } attribute { name: "num_heads"/' attn.txtpb | %onnx-encode > a.onnx
// RUN: not attnc a.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=FILTER
// FILTER: node 'attn' (com.microsoft.Attention): attribute 'mask_filter_value' must be finite, got -INF
// RUN: sed 's/name: "num_heads"/name: "do_rotary" i: 1 type: INT } attribute { name: "num_heads"/' attn.txtpb | %onnx-encode > a.onnx
// RUN: not attnc a.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=ROTARY
// ROTARY: node 'attn' (com.microsoft.Attention): attribute 'do_rotary' = 1 is not supported (rotary embeddings)
// RUN: sed 's/name: "num_heads"/name: "past_present_share_buffer" i: 1 type: INT } attribute { name: "num_heads"/' attn.txtpb | %onnx-encode > a.onnx
// RUN: not attnc a.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=SHARE
// SHARE: node 'attn' (com.microsoft.Attention): attribute 'past_present_share_buffer' = 1 is not supported (no KV cache)
// RUN: sed 's/input: "mask" output/input: "mask" input: "x" output/' attn.txtpb | %onnx-encode > a.onnx
// RUN: not attnc a.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=PAST
// PAST: node 'attn' (com.microsoft.Attention): input 'past' is not supported
// RUN: sed 's/input: "mask" output/input: "mask" input: "" input: "x" output/' attn.txtpb | %onnx-encode > a.onnx
// RUN: not attnc a.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=ABIAS
// ABIAS: node 'attn' (com.microsoft.Attention): input 'attention_bias' is not supported
// RUN: sed 's/output: "y"/output: "y" output: "present"/' attn.txtpb | %onnx-encode > a.onnx
// RUN: not attnc a.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=PRESENT
// PRESENT: node 'attn' (com.microsoft.Attention): output 'present' is not supported
// RUN: sed '/name: "x"/s/elem_type: 1/elem_type: 6/' attn.txtpb | %onnx-encode > a.onnx
// RUN: not attnc a.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=ATYPE
// ATYPE: node 'attn' (com.microsoft.Attention): input has element type INT32; FLOAT, FLOAT16 and BFLOAT16 are supported
// RUN: sed '/name: "w"/s/elem_type: 1/elem_type: 10/' attn.txtpb | %onnx-encode > a.onnx
// RUN: not attnc a.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=WTYPE
// WTYPE: node 'attn' (com.microsoft.Attention): inputs must have the element type of input (FLOAT)
// RUN: sed '/name: "x"/s/dim { dim_value: 5 } //' attn.txtpb | %onnx-encode > a.onnx
// RUN: not attnc a.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=ARANK
// ARANK: node 'attn' (com.microsoft.Attention): input must be 3-D [batch, sequence, hidden], got [2, 8]
// RUN: sed '/name: "w"/s/dim_value: 8/dim_value: 6/' attn.txtpb | %onnx-encode > a.onnx
// RUN: not attnc a.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=WEIGHTS
// WEIGHTS: node 'attn' (com.microsoft.Attention): weights must be a static [8, q_hidden + k_hidden + v_hidden], got [6, 24]
// RUN: sed 's/name: "num_heads"/name: "qkv_hidden_sizes" ints: 8 ints: 8 ints: 6 type: INTS } attribute { name: "num_heads"/' attn.txtpb | %onnx-encode > a.onnx
// RUN: not attnc a.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=SIZES
// SIZES: node 'attn' (com.microsoft.Attention): attribute 'qkv_hidden_sizes' must be three positive multiples of num_heads (2), the first two equal, summing to the weights' 24 columns; got [8, 8, 6]
// RUN: sed -e '/name: "w"/s/dim_value: 24/dim_value: 21/' -e 's/input: "bias"/input: ""/' attn.txtpb | %onnx-encode > a.onnx
// RUN: not attnc a.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=COLUMNS
// COLUMNS: node 'attn' (com.microsoft.Attention): weights has 21 columns; without 'qkv_hidden_sizes' they must be three equal parts, each a multiple of num_heads (2)
// RUN: sed '/name: "bias"/s/dim_value: 24/dim_value: 20/' attn.txtpb | %onnx-encode > a.onnx
// RUN: not attnc a.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BIAS
// BIAS: node 'attn' (com.microsoft.Attention): bias must be [24], got [20]
// RUN: sed '/name: "mask"/s/ dim { dim_value: 5 }//' attn.txtpb | %onnx-encode > a.onnx
// RUN: not attnc a.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=MASK1D
// MASK1D: node 'attn' (com.microsoft.Attention): mask_index must be an INT32 raw mask [2, 5] or [2, 5, 5], got INT32 [2] (the 1-D and 4-D mask forms are not supported)

// MultiHeadAttention.
// RUN: %onnx-encode < mha.txtpb > mha.onnx
// RUN: attnc mha.onnx --emit=mlir | FileCheck %s --check-prefix=MHA
// MHA: attn.sdpa {{.*}} mask(
// RUN: sed 's/input: "kpm" output/input: "kpm" input: "q" output/' mha.txtpb | %onnx-encode > m.onnx
// RUN: not attnc m.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=MBIAS
// MBIAS: node 'mha' (com.microsoft.MultiHeadAttention): input 'attention_bias' is not supported
// RUN: sed 's/input: "kpm" output/input: "kpm" input: "" input: "k" output/' mha.txtpb | %onnx-encode > m.onnx
// RUN: not attnc m.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=PASTKEY
// PASTKEY: node 'mha' (com.microsoft.MultiHeadAttention): input 'past_key' is not supported
// RUN: sed 's/output: "y"/output: "y" output: "" output: "" output: "qk"/' mha.txtpb | %onnx-encode > m.onnx
// RUN: not attnc m.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=QK
// QK: node 'mha' (com.microsoft.MultiHeadAttention): output 'qk' is not supported
// RUN: sed '/name: "q"/s/dim { dim_value: 8 }/dim { dim_value: 2 } dim { dim_value: 3 } dim { dim_value: 4 }/' mha.txtpb | %onnx-encode > m.onnx
// RUN: not attnc m.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=PACKED
// PACKED: node 'mha' (com.microsoft.MultiHeadAttention): query must be 3-D [batch, sequence, hidden], got [2, 5, 2, 3, 4] (packed QKV is not supported)
// RUN: sed 's/input: "k" input: "v"/input: "" input: ""/' mha.txtpb | %onnx-encode > m.onnx
// RUN: not attnc m.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=NOKV
// NOKV: node 'mha' (com.microsoft.MultiHeadAttention): key and value must be given (packed QKV in query is not supported)
// RUN: sed '/name: "k"/s/dim { dim_value: 8 }/dim { dim_value: 2 } dim { dim_value: 4 }/' mha.txtpb | %onnx-encode > m.onnx
// RUN: not attnc m.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=KRANK
// KRANK: node 'mha' (com.microsoft.MultiHeadAttention): key and value must be 3-D [batch, kv_sequence, hidden], got [2, 7, 2, 4] and [2, 7, 8] (packed KV and past-state key/value are not supported)
// RUN: sed '/name: "k"/s/elem_type: 1/elem_type: 10/' mha.txtpb | %onnx-encode > m.onnx
// RUN: not attnc m.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=KTYPE
// KTYPE: node 'mha' (com.microsoft.MultiHeadAttention): inputs must have the element type of query (FLOAT)
// RUN: sed '/name: "v"/s/dim_value: 8/dim_value: 5/' mha.txtpb | %onnx-encode > m.onnx
// RUN: not attnc m.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=HIDDEN
// HIDDEN: node 'mha' (com.microsoft.MultiHeadAttention): the hidden sizes of query, key and value (8, 8, 5) must be static multiples of num_heads (2), query's equal to key's
// RUN: sed '/name: "k"/s/dim_value: 2/dim_value: 3/' mha.txtpb | %onnx-encode > m.onnx
// RUN: not attnc m.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=KBATCH
// KBATCH: node 'mha' (com.microsoft.MultiHeadAttention): key [3, 7, 8] and value [2, 7, 8] must have query's batch size (2) and one kv_sequence length
// RUN: sed 's/name: "num_heads"/name: "unidirectional" i: 1 type: INT } attribute { name: "num_heads"/' mha.txtpb | %onnx-encode > m.onnx
// RUN: not attnc m.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=CROSS
// CROSS: node 'mha' (com.microsoft.MultiHeadAttention): attribute 'unidirectional' needs kv_sequence_length (7) to equal sequence_length (5)
// RUN: sed '/name: "kpm"/s/dim_value: 7/dim_value: 5/' mha.txtpb | %onnx-encode > m.onnx
// RUN: not attnc m.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=KPM
// KPM: node 'mha' (com.microsoft.MultiHeadAttention): key_padding_mask must be an INT32 raw mask [2, 7] or [2, 5, 7], got INT32 [2, 5] (the 1-D and 4-D mask forms are not supported)

// EmbedLayerNormalization.
// RUN: %onnx-encode < eln.txtpb > eln.onnx
// RUN: attnc eln.onnx --emit=mlir | FileCheck %s --check-prefix=ELN
// ELN-COUNT-2: attn.embedding
// ELN: attn.layer_norm
// ELN: linalg.reduce
// RUN: sed '/name: "ids"/s/elem_type: 6/elem_type: 7/' eln.txtpb | %onnx-encode > e.onnx
// RUN: not attnc e.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=IDS
// IDS: node 'eln' (com.microsoft.EmbedLayerNormalization): input_ids must be INT32 [batch, sequence], got INT64 [2, 5]
// RUN: sed 's/input: "seg" /input: "" /' eln.txtpb | %onnx-encode > e.onnx
// RUN: not attnc e.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=SEGMENTS
// SEGMENTS: node 'eln' (com.microsoft.EmbedLayerNormalization): segment_ids and segment_embedding must be given together
// RUN: sed '/name: "mask"/s/dim_value: 5/dim_value: 4/' eln.txtpb | %onnx-encode > e.onnx
// RUN: not attnc e.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=ELNMASK
// ELNMASK: node 'eln' (com.microsoft.EmbedLayerNormalization): mask must be INT32 of input_ids' shape [2, 5], got INT32 [2, 4]
// RUN: sed 's/input: "mask" output/input: "mask" input: "word" output/' eln.txtpb | %onnx-encode > e.onnx
// RUN: not attnc e.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=POSIDS
// POSIDS: node 'eln' (com.microsoft.EmbedLayerNormalization): position_ids must be INT32 [batch, sequence] or [1, sequence], got FLOAT [11, 8]
// RUN: sed '/name: "word"/s/dim_value: 11/dim_param: "vocabulary"/' eln.txtpb | %onnx-encode > e.onnx
// RUN: not attnc e.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=WORD
// WORD: node 'eln' (com.microsoft.EmbedLayerNormalization): word_embedding must be a static 2-D [vocabulary, hidden], got [vocabulary, 8]
// RUN: sed '/name: "pos"/s/dim_value: 8/dim_value: 6/' eln.txtpb | %onnx-encode > e.onnx
// RUN: not attnc e.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=TABLE
// TABLE: node 'eln' (com.microsoft.EmbedLayerNormalization): position_embedding must be a static 2-D [rows, 8] of FLOAT, got FLOAT [9, 6]
// RUN: sed '/name: "gamma"/s/dim_value: 8/dim_value: 6/' eln.txtpb | %onnx-encode > e.onnx
// RUN: not attnc e.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=GAMMA
// GAMMA: node 'eln' (com.microsoft.EmbedLayerNormalization): gamma must be [8] of FLOAT, got FLOAT [6]
// RUN: sed 's/f: 1e-5/f: 0/' eln.txtpb | %onnx-encode > e.onnx
// RUN: not attnc e.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=EPS
// EPS: node 'eln' (com.microsoft.EmbedLayerNormalization): attribute 'epsilon' must be positive
// RUN: sed '/name: "pos"/s/dim_value: 9/dim_value: 4/' eln.txtpb | %onnx-encode > e.onnx
// RUN: not attnc e.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=ROWS
// ROWS: node 'eln' (com.microsoft.EmbedLayerNormalization): sequence length 5 exceeds the 4 rows of position_embedding

//--- attn.txtpb
ir_version: 8
opset_import { domain: "" version: 17 }
opset_import { domain: "com.microsoft" version: 1 }
graph {
  name: "attn"
  node { input: "x" input: "w" input: "bias" input: "mask" output: "y" op_type: "Attention" domain: "com.microsoft" name: "attn" attribute { name: "num_heads" i: 2 type: INT } }
  input { name: "x" type { tensor_type { elem_type: 1 shape { dim { dim_value: 2 } dim { dim_value: 5 } dim { dim_value: 8 } } } } }
  input { name: "w" type { tensor_type { elem_type: 1 shape { dim { dim_value: 8 } dim { dim_value: 24 } } } } }
  input { name: "bias" type { tensor_type { elem_type: 1 shape { dim { dim_value: 24 } } } } }
  input { name: "mask" type { tensor_type { elem_type: 6 shape { dim { dim_value: 2 } dim { dim_value: 5 } } } } }
  output { name: "y" type { tensor_type { elem_type: 1 } } }
}
//--- mha.txtpb
ir_version: 8
opset_import { domain: "" version: 17 }
opset_import { domain: "com.microsoft" version: 1 }
graph {
  name: "mha"
  node { input: "q" input: "k" input: "v" input: "bias" input: "kpm" output: "y" op_type: "MultiHeadAttention" domain: "com.microsoft" name: "mha" attribute { name: "num_heads" i: 2 type: INT } }
  input { name: "q" type { tensor_type { elem_type: 1 shape { dim { dim_value: 2 } dim { dim_value: 5 } dim { dim_value: 8 } } } } }
  input { name: "k" type { tensor_type { elem_type: 1 shape { dim { dim_value: 2 } dim { dim_value: 7 } dim { dim_value: 8 } } } } }
  input { name: "v" type { tensor_type { elem_type: 1 shape { dim { dim_value: 2 } dim { dim_value: 7 } dim { dim_value: 8 } } } } }
  input { name: "bias" type { tensor_type { elem_type: 1 shape { dim { dim_value: 24 } } } } }
  input { name: "kpm" type { tensor_type { elem_type: 6 shape { dim { dim_value: 2 } dim { dim_value: 7 } } } } }
  output { name: "y" type { tensor_type { elem_type: 1 } } }
}
//--- eln.txtpb
ir_version: 8
opset_import { domain: "" version: 17 }
opset_import { domain: "com.microsoft" version: 1 }
graph {
  name: "eln"
  node { input: "ids" input: "segments" input: "word" input: "pos" input: "seg" input: "gamma" input: "beta" input: "mask" output: "y" output: "mask_index" op_type: "EmbedLayerNormalization" domain: "com.microsoft" name: "eln" attribute { name: "epsilon" f: 1e-5 type: FLOAT } }
  input { name: "ids" type { tensor_type { elem_type: 6 shape { dim { dim_value: 2 } dim { dim_value: 5 } } } } }
  input { name: "segments" type { tensor_type { elem_type: 6 shape { dim { dim_value: 2 } dim { dim_value: 5 } } } } }
  input { name: "word" type { tensor_type { elem_type: 1 shape { dim { dim_value: 11 } dim { dim_value: 8 } } } } }
  input { name: "pos" type { tensor_type { elem_type: 1 shape { dim { dim_value: 9 } dim { dim_value: 8 } } } } }
  input { name: "seg" type { tensor_type { elem_type: 1 shape { dim { dim_value: 2 } dim { dim_value: 8 } } } } }
  input { name: "gamma" type { tensor_type { elem_type: 1 shape { dim { dim_value: 8 } } } } }
  input { name: "beta" type { tensor_type { elem_type: 1 shape { dim { dim_value: 8 } } } } }
  input { name: "mask" type { tensor_type { elem_type: 6 shape { dim { dim_value: 2 } dim { dim_value: 5 } } } } }
  output { name: "y" type { tensor_type { elem_type: 1 } } }
  output { name: "mask_index" type { tensor_type { elem_type: 6 } } }
}
