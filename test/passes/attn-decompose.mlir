// attn-decompose: every composite attn op becomes attn.sdpa plus tensor,
// linalg, arith and math ops, evaluated in the reference evaluator's order.
// RUN: attn-opt %s --attn-decompose --split-input-file | FileCheck %s
// RUN: attn-opt %s --attn-decompose --split-input-file | FileCheck %s --check-prefix=NONE
// RUN: attn-opt %s --attn-decompose=keep=linear,layer_norm,embedding --split-input-file | FileCheck %s --check-prefix=KEEP
// RUN: not attn-opt %s --attn-decompose=keep=linear,sdpa 2>&1 | FileCheck %s --check-prefix=BAD-KEEP

// BAD-KEEP: attn-decompose: keep=sdpa is not an op it can keep; it keeps linear, layer_norm, embedding, softmax and log_softmax

// Only attn.sdpa (and attn.hard) may be left.
// NONE-NOT: attn.{{(multihead|linear|layer_norm|ffn|embedding|positional_encoding|encoder_layer|decoder_layer|additive|softmax|log_softmax)}}

// A rank-3 input folds into matmul rows; the [out, in] weight is read through
// a transposed map (no transposed copy) and the accumulator starts at the
// broadcast bias. Dynamic batch and length come back from tensor.dim.
// CHECK-DAG: #[[$MK:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$NK:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$MN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @linear_dynamic
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x64xf32>, %[[W:.*]]: tensor<128x64xf32>, %[[B:.*]]: tensor<128xf32>)
// CHECK-DAG: %[[D0:.*]] = tensor.dim %[[X]], %c0
// CHECK-DAG: %[[D1:.*]] = tensor.dim %[[X]], %c1
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<?x?x64xf32> into tensor<?x64xf32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[B]] : tensor<128xf32>) outs(%{{.*}} : tensor<?x128xf32>) dimensions = [0]
// CHECK: %[[MM:.*]] = linalg.matmul indexing_maps = [#[[$MK]], #[[$NK]], #[[$MN]]] ins(%[[ROWS]], %[[W]] : tensor<?x64xf32>, tensor<128x64xf32>) outs(%[[INIT]] : tensor<?x128xf32>)
// CHECK: %[[Y:.*]] = tensor.expand_shape %[[MM]] {{\[\[}}0, 1], [2]] output_shape [%[[D0]], %[[D1]], 128]
// CHECK: return %[[Y]]
func.func @linear_dynamic(%x: tensor<?x?x64xf32>, %w: tensor<128x64xf32>, %b: tensor<128xf32>) -> tensor<?x?x128xf32> {
  %y = attn.linear %x, %w, %b : (tensor<?x?x64xf32>, tensor<128x64xf32>, tensor<128xf32>) -> tensor<?x?x128xf32>
  return %y : tensor<?x?x128xf32>
}

// -----

// No bias: the accumulator is zero. A vector is one row.
// CHECK-LABEL: func.func @linear_vector_no_bias
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f16
// CHECK: %[[ROW:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [1, 64] : tensor<64xf16> into tensor<1x64xf16>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f16) outs(%{{.*}} : tensor<1x32xf16>)
// CHECK: %[[MM:.*]] = linalg.matmul {{.*}} ins(%[[ROW]], %{{.*}} : tensor<1x64xf16>, tensor<32x64xf16>) outs(%[[INIT]] : tensor<1x32xf16>)
// CHECK: %[[Y:.*]] = tensor.collapse_shape %[[MM]] {{\[\[}}0, 1]] : tensor<1x32xf16> into tensor<32xf16>
// CHECK: return %[[Y]]
func.func @linear_vector_no_bias(%x: tensor<64xf16>, %w: tensor<32x64xf16>) -> tensor<32xf16> {
  %y = attn.linear %x, %w : (tensor<64xf16>, tensor<32x64xf16>) -> tensor<32xf16>
  return %y : tensor<32xf16>
}

// -----

// A 2-D input needs no reshape; a result type more static than the input
// gets a tensor.cast. A rank-4 input folds three dimensions.
// CHECK-LABEL: func.func @linear_2d_and_4d
// CHECK: %[[MM:.*]] = linalg.matmul {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x64xf32>, tensor<32x64xf32>) outs(%{{.*}} : tensor<?x32xf32>)
// CHECK: %[[CAST:.*]] = tensor.cast %[[MM]] : tensor<?x32xf32> to tensor<4x32xf32>
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] : tensor<2x3x?x64xf32> into tensor<?x64xf32>
// CHECK: linalg.matmul
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] output_shape [2, 3, %{{.*}}, 32] : tensor<?x32xf32> into tensor<2x3x?x32xf32>
// CHECK: return %[[CAST]]
func.func @linear_2d_and_4d(%x: tensor<?x64xf32>, %x4: tensor<2x3x?x64xf32>, %w: tensor<32x64xf32>) -> (tensor<4x32xf32>, tensor<2x3x?x32xf32>) {
  %y = attn.linear %x, %w : (tensor<?x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %y4 = attn.linear %x4, %w : (tensor<2x3x?x64xf32>, tensor<32x64xf32>) -> tensor<2x3x?x32xf32>
  return %y, %y4 : tensor<4x32xf32>, tensor<2x3x?x32xf32>
}

// -----

// mean = sum / N, var = sum((x - mean)^2) / N (a second pass), then
// (x - mean) * (1 / sqrt(var + eps)) * gamma + beta. A dynamic N is read
// with tensor.dim.
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<?x?xf32>, %[[G:.*]]: tensor<?xf32>, %[[B:.*]]: tensor<?xf32>)
// CHECK-DAG: %[[EPS:.*]] = arith.constant 9.99999996E-13 : f32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[IN:.*]] = arith.index_castui %{{.*}} : index to i64
// CHECK: %[[N:.*]] = arith.uitofp %[[IN]] : i64 to f32
// CHECK: %[[SUM:.*]] = linalg.reduce { arith.addf } ins(%[[X]] : tensor<?x?xf32>) outs(%{{.*}} : tensor<?xf32>) dimensions = [1]
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<?xf32>)
// CHECK: arith.divf %{{.*}}, %[[N]]
// CHECK: %[[SQ:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]} ins(%[[X]], %[[MEAN]] : tensor<?x?xf32>, tensor<?xf32>)
// CHECK: %[[C:.*]] = arith.subf
// CHECK: %[[C2:.*]] = arith.mulf %[[C]], %[[C]]
// CHECK: arith.addf %{{.*}}, %[[C2]]
// CHECK: %[[INV:.*]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<?xf32>)
// CHECK: %[[VAR:.*]] = arith.divf %{{.*}}, %[[N]]
// CHECK: %[[VE:.*]] = arith.addf %[[VAR]], %[[EPS]]
// CHECK: %[[ROOT:.*]] = math.sqrt %[[VE]]
// CHECK: arith.divf %[[ONE]], %[[ROOT]]
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[MEAN]], %[[INV]], %[[G]], %[[B]] :
// CHECK: ^bb0(%[[XV:.*]]: f32, %[[MV:.*]]: f32, %[[IV:.*]]: f32, %[[GV:.*]]: f32, %[[BV:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[D:.*]] = arith.subf %[[XV]], %[[MV]]
// CHECK: %[[NORM:.*]] = arith.mulf %[[D]], %[[IV]]
// CHECK: %[[SC:.*]] = arith.mulf %[[NORM]], %[[GV]]
// CHECK: arith.addf %[[SC]], %[[BV]]
func.func @layer_norm(%x: tensor<?x?xf32>, %g: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?x?xf32> {
  %y = attn.layer_norm %x, %g, %b {epsilon = 1.0e-12 : f64} : (tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// The default epsilon is 1e-5; a static N is a constant.
// CHECK-LABEL: func.func @layer_norm_default_epsilon
// CHECK-DAG: arith.constant 9.99999974E-6 : f32
// CHECK-DAG: arith.constant 6.400000e+01 : f32
func.func @layer_norm_default_epsilon(%x: tensor<2x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<2x64xf32> {
  %y = attn.layer_norm %x, %g, %b : (tensor<2x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x64xf32>
  return %y : tensor<2x64xf32>
}

// -----

// An FFN is two linear layers, the first with the activation, which is
// applied to the first matmul's rows. ReLU is x > 0 ? x : 0 (NaN and -0 give
// +0, as in the reference).
// CHECK-LABEL: func.func @ffn_relu
// CHECK: %[[H:.*]] = linalg.matmul {{.*}} -> tensor<?x256xf32>
// CHECK: %[[A:.*]] = linalg.generic {{.*}} ins(%[[H]] : tensor<?x256xf32>)
// CHECK: ^bb0(%[[V:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[POS:.*]] = arith.cmpf ogt, %[[V]], %[[ZERO:.*]] : f32
// CHECK: arith.select %[[POS]], %[[V]], %[[ZERO]]
// CHECK: tensor.expand_shape %[[A]] {{\[\[}}0, 1], [2]] {{.*}} : tensor<?x256xf32> into tensor<2x?x256xf32>
// CHECK: linalg.matmul {{.*}} tensor<64x256xf32>
func.func @ffn_relu(%x: tensor<2x?x64xf32>, %w1: tensor<256x64xf32>, %b1: tensor<256xf32>, %w2: tensor<64x256xf32>, %b2: tensor<64xf32>) -> tensor<2x?x64xf32> {
  %y = attn.ffn %x, %w1, %b1, %w2, %b2 : (tensor<2x?x64xf32>, tensor<256x64xf32>, tensor<256xf32>, tensor<64x256xf32>, tensor<64xf32>) -> tensor<2x?x64xf32>
  return %y : tensor<2x?x64xf32>
}

// -----

// Exact GELU: x * 0.5 * (1 + erf(x / sqrt(2))).
// CHECK-LABEL: func.func @ffn_gelu
// CHECK-DAG: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[SQRT2:.*]] = arith.constant 1.41421354 : f32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: ^bb0(%[[V:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[S:.*]] = arith.divf %[[V]], %[[SQRT2]]
// CHECK: %[[E:.*]] = math.erf %[[S]]
// CHECK: %[[XH:.*]] = arith.mulf %[[V]], %[[HALF]]
// CHECK: %[[P:.*]] = arith.addf %[[E]], %[[ONE]]
// CHECK: arith.mulf %[[XH]], %[[P]]
func.func @ffn_gelu(%x: tensor<4x8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>) -> tensor<4x8xf32> {
  %y = attn.ffn %x, %w1, %b1, %w2, %b2 {activation = #attn.activation<gelu>} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// GELU's tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). The
// greedy driver puts constants on the right of commutative ops.
// CHECK-LABEL: func.func @ffn_gelu_tanh
// CHECK-DAG: %[[K:.*]] = arith.constant 4.471500e-02 : f32
// CHECK-DAG: %[[C:.*]] = arith.constant 0.797884583 : f32
// CHECK-DAG: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: ^bb0(%[[V:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[A:.*]] = arith.mulf %[[V]], %[[K]]
// CHECK: %[[B:.*]] = arith.mulf %[[A]], %[[V]]
// CHECK: %[[CUBE:.*]] = arith.mulf %[[B]], %[[V]]
// CHECK: %[[SUM:.*]] = arith.addf %[[V]], %[[CUBE]]
// CHECK: %[[IN:.*]] = arith.mulf %[[SUM]], %[[C]]
// CHECK: %[[T:.*]] = math.tanh %[[IN]]
// CHECK: %[[XH:.*]] = arith.mulf %[[V]], %[[HALF]]
// CHECK: %[[P:.*]] = arith.addf %[[T]], %[[ONE]]
// CHECK: arith.mulf %[[XH]], %[[P]]
func.func @ffn_gelu_tanh(%x: tensor<4x8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>) -> tensor<4x8xf32> {
  %y = attn.ffn %x, %w1, %b1, %w2, %b2 {activation = #attn.activation<gelu_tanh>} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// A linear layer's epilogue: the activation on the matmul's rows, then the
// residual added to the result in its own shape.
// CHECK-LABEL: func.func @linear_epilogue
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x8xf32>, %[[W:.*]]: tensor<4x8xf32>, %[[R:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[MM:.*]] = linalg.matmul {{.*}} -> tensor<6x4xf32>
// CHECK: %[[ACT:.*]] = linalg.generic {{.*}} ins(%[[MM]] : tensor<6x4xf32>)
// CHECK: arith.cmpf ogt
// CHECK: %[[Y:.*]] = tensor.expand_shape %[[ACT]] {{\[\[}}0, 1], [2]] {{.*}} into tensor<2x3x4xf32>
// CHECK: %[[SUM:.*]] = linalg.add ins(%[[Y]], %[[R]] : tensor<2x3x4xf32>, tensor<2x3x4xf32>)
// CHECK: return %[[SUM]]
func.func @linear_epilogue(%x: tensor<2x3x8xf32>, %w: tensor<4x8xf32>, %r: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %y = attn.linear %x, %w residual(%r) {activation = #attn.activation<relu>} : (tensor<2x3x8xf32>, tensor<4x8xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// Softmax along any axis (here the middle one): the NaN-propagating row
// maximum, the sum of exp(x - max), then exp(x - max) / sum, or 0 where the
// row maximum is -inf (an all -inf row gives 0, not NaN).
// CHECK-DAG: #[[$FULL:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @softmax_middle_axis
// CHECK-SAME: (%[[X:.*]]: tensor<2x?x4xf32>)
// CHECK-DAG: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[MAXINIT:.*]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: %[[MAX:.*]] = linalg.reduce ins(%[[X]] : tensor<2x?x4xf32>) outs(%[[MAXINIT]] : tensor<2x4xf32>) dimensions = [1]
// CHECK: arith.maximumf
// CHECK: %[[SUMINIT:.*]] = linalg.fill ins(%[[ZERO]] : f32)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$FULL]], #[[$ROW]], #[[$ROW]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[X]], %[[MAX]] : {{.*}}) outs(%[[SUMINIT]] : tensor<2x4xf32>)
// CHECK: %[[D:.*]] = arith.subf
// CHECK: %[[E:.*]] = math.exp %[[D]]
// CHECK: arith.addf %{{.*}}, %[[E]]
// CHECK: linalg.generic {indexing_maps = [#[[$FULL]], #[[$ROW]], #[[$ROW]], #[[$FULL]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[X]], %[[MAX]], %[[SUM]] :
// CHECK: ^bb0(%[[XV:.*]]: f32, %[[MV:.*]]: f32, %[[SV:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[HIDDEN:.*]] = arith.cmpf oeq, %[[MV]], %[[NINF]]
// CHECK: %[[D2:.*]] = arith.subf %[[XV]], %[[MV]]
// CHECK: %[[E2:.*]] = math.exp %[[D2]]
// CHECK: %[[P:.*]] = arith.divf %[[E2]], %[[SV]]
// CHECK: arith.select %[[HIDDEN]], %[[ZERO]], %[[P]]
// CHECK-NOT: linalg.softmax
func.func @softmax_middle_axis(%x: tensor<2x?x4xf32>) -> tensor<2x?x4xf32> {
  %y = attn.softmax %x axis(1) : tensor<2x?x4xf32>
  return %y : tensor<2x?x4xf32>
}

// -----

// Log-softmax along the last axis, given as -1: maxnumf skips NaN as the
// reference's std::max does, and a row whose maximum is -inf comes back
// unchanged (-inf), otherwise x - (max + log(sum)).
// CHECK-LABEL: func.func @log_softmax_negative_axis
// CHECK-SAME: (%[[X:.*]]: tensor<3x5xf16>)
// CHECK-DAG: %[[NINF:.*]] = arith.constant 0xFC00 : f16
// CHECK: %[[MAX:.*]] = linalg.reduce ins(%[[X]] : tensor<3x5xf16>) outs(%{{.*}} : tensor<3xf16>) dimensions = [1]
// CHECK: arith.maxnumf
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]} ins(%[[X]], %[[MAX]] :
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[MAX]], %[[SUM]] :
// CHECK: ^bb0(%[[XV:.*]]: f16, %[[MV:.*]]: f16, %[[SV:.*]]: f16, %{{.*}}: f16):
// CHECK: %[[HIDDEN:.*]] = arith.cmpf oeq, %[[MV]], %[[NINF]]
// CHECK: %[[LOG:.*]] = math.log %[[SV]]
// CHECK: %[[LSE:.*]] = arith.addf %[[MV]], %[[LOG]]
// CHECK: %[[R:.*]] = arith.subf %[[XV]], %[[LSE]]
// CHECK: arith.select %[[HIDDEN]], %[[XV]], %[[R]]
func.func @log_softmax_negative_axis(%x: tensor<3x5xf16>) -> tensor<3x5xf16> {
  %y = attn.log_softmax %x axis(-1) : tensor<3x5xf16>
  return %y : tensor<3x5xf16>
}

// -----

// A gather: the index selects the table row, the last loop the column; the
// default scale multiplies by nothing, scale = 8 multiplies every value.
// CHECK-DAG: #[[$IDX:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @embedding
// CHECK-SAME: (%[[I:.*]]: tensor<2x?xi32>, %[[T:.*]]: tensor<100x8xf32>)
// CHECK-DAG: %[[EIGHT:.*]] = arith.constant 8.000000e+00 : f32
// CHECK: %[[L:.*]] = tensor.dim %[[I]], %c1
// CHECK: %[[E:.*]] = tensor.empty(%[[L]]) : tensor<2x?x8xf32>
// CHECK: %[[A:.*]] = linalg.generic {indexing_maps = [#[[$IDX]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[I]] : tensor<2x?xi32>) outs(%[[E]] : tensor<2x?x8xf32>)
// CHECK: ^bb0(%[[IV:.*]]: i32, %{{.*}}: f32):
// CHECK: %[[ROW:.*]] = arith.index_cast %[[IV]] : i32 to index
// CHECK: %[[COL:.*]] = linalg.index 2 : index
// CHECK: %[[V:.*]] = tensor.extract %[[T]][%[[ROW]], %[[COL]]] : tensor<100x8xf32>
// CHECK-NEXT: linalg.yield %[[V]] : f32
// CHECK: %[[B:.*]] = linalg.generic
// CHECK: %[[V2:.*]] = tensor.extract %[[T]]
// CHECK: %[[S:.*]] = arith.mulf %[[V2]], %[[EIGHT]]
// CHECK-NEXT: linalg.yield %[[S]] : f32
// CHECK: return %[[A]], %[[B]]
func.func @embedding(%i: tensor<2x?xi32>, %t: tensor<100x8xf32>) -> (tensor<2x?x8xf32>, tensor<2x?x8xf32>) {
  %a = attn.embedding %i, %t : (tensor<2x?xi32>, tensor<100x8xf32>) -> tensor<2x?x8xf32>
  %b = attn.embedding %i, %t {scale = 8.0 : f64} : (tensor<2x?xi32>, tensor<100x8xf32>) -> tensor<2x?x8xf32>
  return %a, %b : tensor<2x?x8xf32>, tensor<2x?x8xf32>
}

// -----

// Sinusoidal: an [L, E] table computed once in f32 (pe[p, 2i] = sin(p /
// 10000^(2i/E)), pe[p, 2i+1] = cos(...)), rounded to f16 and added to every
// batch. Learned: the table's first L rows.
// CHECK-DAG: #[[$X:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$PE:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @positional_encoding
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x8xf16>, %[[T:.*]]: tensor<32x8xf16>)
// CHECK-DAG: %[[BASE:.*]] = arith.constant 1.000000e+04 : f32
// CHECK-DAG: %[[E:.*]] = arith.constant 8.000000e+00 : f32
// CHECK-DAG: %[[TWO:.*]] = arith.constant 2 : index
// CHECK: %[[L:.*]] = tensor.dim %[[X]], %c1
// CHECK: %[[PEINIT:.*]] = tensor.empty(%[[L]]) : tensor<?x8xf16>
// CHECK: %[[PE:.*]] = linalg.generic {{.*}} outs(%[[PEINIT]] : tensor<?x8xf16>)
// CHECK: %[[P:.*]] = linalg.index 0
// CHECK: %[[F:.*]] = linalg.index 1
// CHECK: %[[HALF:.*]] = arith.divui %[[F]], %[[TWO]]
// CHECK: %[[PAIR:.*]] = arith.muli %[[HALF]], %[[TWO]]
// CHECK: %[[PAIRF:.*]] = arith.uitofp
// CHECK: %[[EXP:.*]] = arith.divf %[[PAIRF]], %[[E]] : f32
// CHECK: %[[DEN:.*]] = math.powf %[[BASE]], %[[EXP]] : f32
// CHECK: %[[PF:.*]] = arith.uitofp
// CHECK: %[[ANGLE:.*]] = arith.divf %[[PF]], %[[DEN]] : f32
// CHECK: %[[PARITY:.*]] = arith.remui %[[F]], %[[TWO]]
// CHECK: %[[EVEN:.*]] = arith.cmpi eq, %[[PARITY]]
// CHECK: %[[SIN:.*]] = math.sin %[[ANGLE]]
// CHECK: %[[COS:.*]] = math.cos %[[ANGLE]]
// CHECK: %[[V:.*]] = arith.select %[[EVEN]], %[[SIN]], %[[COS]] : f32
// CHECK: arith.truncf %[[V]] : f32 to f16
// CHECK: linalg.generic {indexing_maps = [#[[$X]], #[[$PE]], #[[$X]]], {{.*}} ins(%[[X]], %[[PE]] : tensor<?x?x8xf16>, tensor<?x8xf16>)
// CHECK: arith.addf
// CHECK: %[[L2:.*]] = tensor.dim %[[X]], %c1
// CHECK: %[[SLICE:.*]] = tensor.extract_slice %[[T]][0, 0] [%[[L2]], 8] [1, 1] : tensor<32x8xf16> to tensor<?x8xf16>
// CHECK: linalg.generic {indexing_maps = [#[[$X]], #[[$PE]], #[[$X]]], {{.*}} ins(%[[X]], %[[SLICE]] : tensor<?x?x8xf16>, tensor<?x8xf16>)
func.func @positional_encoding(%x: tensor<?x?x8xf16>, %t: tensor<32x8xf16>) -> (tensor<?x?x8xf16>, tensor<?x?x8xf16>) {
  %a = attn.positional_encoding %x {kind = #attn.positional<sinusoidal>} : (tensor<?x?x8xf16>) -> tensor<?x?x8xf16>
  %b = attn.positional_encoding %x, %t {kind = #attn.positional<learned>} : (tensor<?x?x8xf16>, tensor<32x8xf16>) -> tensor<?x?x8xf16>
  return %a, %b : tensor<?x?x8xf16>, tensor<?x?x8xf16>
}

// -----

// f32 needs no rounding; a dynamic E is read with tensor.dim.
// CHECK-LABEL: func.func @positional_encoding_dynamic_width
// CHECK: tensor.dim %{{.*}}, %c2
// CHECK: arith.index_castui
// CHECK: math.powf
// CHECK-NOT: arith.truncf
func.func @positional_encoding_dynamic_width(%x: tensor<2x?x?xf32>) -> tensor<2x?x?xf32> {
  %a = attn.positional_encoding %x {kind = #attn.positional<sinusoidal>} : (tensor<2x?x?xf32>) -> tensor<2x?x?xf32>
  return %a : tensor<2x?x?xf32>
}

// -----

// Additive attention: the bias rides with the query projection; scores are
// sum_a energy[a] * tanh(q + k); an i1 mask hides with -inf (a static unit
// dimension broadcasts through a constant index); attn.softmax over the keys
// (decomposed too); the weighted sum skips keys of weight 0, as the
// reference does. The weights result is the softmax.
// CHECK-DAG: #[[$Q:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[$K:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[$A:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-DAG: #[[$S:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[$V:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[$MASK:.*]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-LABEL: func.func @additive
// CHECK-SAME: (%[[Q:.*]]: tensor<2x5x16xf32>, %[[K:.*]]: tensor<2x7x12xf32>, %[[V:.*]]: tensor<2x7x12xf32>, %[[WQ:.*]]: tensor<8x16xf32>, %[[WK:.*]]: tensor<8x12xf32>, %[[EN:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<8xf32>, %[[M:.*]]: tensor<2x1x7xi1>, %[[FM:.*]]: tensor<?x?xf32>)
// CHECK: linalg.broadcast ins(%[[B]] : tensor<8xf32>)
// CHECK: %[[PQ:.*]] = tensor.expand_shape {{.*}} into tensor<2x5x8xf32>
// CHECK: %[[PK:.*]] = tensor.expand_shape {{.*}} into tensor<2x7x8xf32>
// CHECK: %[[SC:.*]] = linalg.generic {indexing_maps = [#[[$Q]], #[[$K]], #[[$A]], #[[$S]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[PQ]], %[[PK]], %[[EN]] :
// CHECK: ^bb0(%[[QV:.*]]: f32, %[[KV:.*]]: f32, %[[EV:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[SUM:.*]] = arith.addf %[[QV]], %[[KV]]
// CHECK: %[[T:.*]] = math.tanh %[[SUM]]
// CHECK: %[[TERM:.*]] = arith.mulf %[[EV]], %[[T]]
// CHECK: arith.addf %[[ACC]], %[[TERM]]
// CHECK: %[[MASKED:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[$MASK]], #{{.*}}], {{.*}} ins(%[[SC]], %[[M]] : tensor<2x5x7xf32>, tensor<2x1x7xi1>)
// CHECK: ^bb0(%[[SV:.*]]: f32, %[[MV:.*]]: i1, %{{.*}}: f32):
// CHECK: arith.select %[[MV]], %[[SV]], %{{.*}} : f32
// CHECK: linalg.reduce ins(%[[MASKED]]
// CHECK: %[[W:.*]] = linalg.generic {{.*}} ins(%[[MASKED]], %{{.*}}, %{{.*}} : tensor<2x5x7xf32>, tensor<2x5xf32>, tensor<2x5xf32>)
// CHECK: %[[O:.*]] = linalg.generic {indexing_maps = [#[[$Q]], #[[$V]], #[[$S]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[W]], %[[V]] :
// CHECK: ^bb0(%[[WV:.*]]: f32, %[[VV:.*]]: f32, %[[OACC:.*]]: f32):
// CHECK: %[[SKIP:.*]] = arith.cmpf oeq, %[[WV]], %{{.*}} : f32
// CHECK: %[[PROD:.*]] = arith.mulf %[[WV]], %[[VV]]
// CHECK: %[[NEXT:.*]] = arith.addf %[[OACC]], %[[PROD]]
// CHECK: arith.select %[[SKIP]], %[[OACC]], %[[NEXT]]
// A mask with dynamic dimensions may broadcast or not at run time: each
// index is chosen when the mask is read.
// CHECK: %[[D0:.*]] = tensor.dim %[[FM]], %c0
// CHECK: %[[U0:.*]] = arith.cmpi eq, %[[D0]], %c1
// CHECK: %[[D1:.*]] = tensor.dim %[[FM]], %c1
// CHECK: %[[U1:.*]] = arith.cmpi eq, %[[D1]], %c1
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 1
// CHECK: %[[II:.*]] = arith.select %[[U0]], %c0, %[[I]]
// CHECK: %[[J:.*]] = linalg.index 2
// CHECK: %[[JJ:.*]] = arith.select %[[U1]], %c0, %[[J]]
// CHECK: %[[FV:.*]] = tensor.extract %[[FM]][%[[II]], %[[JJ]]]
// CHECK: arith.addf %{{.*}}, %[[FV]]
// CHECK: return %[[O]], %[[W]], %{{.*}}
func.func @additive(%q: tensor<2x5x16xf32>, %k: tensor<2x7x12xf32>, %v: tensor<2x7x12xf32>, %wq: tensor<8x16xf32>, %wk: tensor<8x12xf32>, %e: tensor<8xf32>, %b: tensor<8xf32>, %m: tensor<2x1x7xi1>, %fm: tensor<?x?xf32>) -> (tensor<2x5x12xf32>, tensor<2x5x7xf32>, tensor<2x5x12xf32>) {
  %o, %w = attn.additive %q, %k, %v, %wq, %wk, %e bias(%b) mask(%m) : (tensor<2x5x16xf32>, tensor<2x7x12xf32>, tensor<2x7x12xf32>, tensor<8x16xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<8xf32>, tensor<2x1x7xi1>) -> (tensor<2x5x12xf32>, tensor<2x5x7xf32>)
  %o2 = attn.additive %q, %k, %v, %wq, %wk, %e mask(%fm) : (tensor<2x5x16xf32>, tensor<2x7x12xf32>, tensor<2x7x12xf32>, tensor<8x16xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<?x?xf32>) -> tensor<2x5x12xf32>
  return %o, %w, %o2 : tensor<2x5x12xf32>, tensor<2x5x7xf32>, tensor<2x5x12xf32>
}

// -----

// A static float mask is added; no mask, no masking generic.
// CHECK-LABEL: func.func @additive_float_mask_and_none
// CHECK: arith.addf %{{.*}}, %{{.*}} : f32
// CHECK: return
func.func @additive_float_mask_and_none(%q: tensor<2x5x16xf32>, %k: tensor<2x7x12xf32>, %wq: tensor<8x16xf32>, %wk: tensor<8x12xf32>, %e: tensor<8xf32>, %fm: tensor<5x7xf32>) -> (tensor<2x5x12xf32>, tensor<2x5x12xf32>) {
  %o = attn.additive %q, %k, %k, %wq, %wk, %e mask(%fm) : (tensor<2x5x16xf32>, tensor<2x7x12xf32>, tensor<2x7x12xf32>, tensor<8x16xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<5x7xf32>) -> tensor<2x5x12xf32>
  %o2 = attn.additive %q, %k, %k, %wq, %wk, %e : (tensor<2x5x16xf32>, tensor<2x7x12xf32>, tensor<2x7x12xf32>, tensor<8x16xf32>, tensor<8x12xf32>, tensor<8xf32>) -> tensor<2x5x12xf32>
  return %o, %o2 : tensor<2x5x12xf32>, tensor<2x5x12xf32>
}

// -----

// Multi-head attention with GQA (4 query heads, 2 KV heads), every attention
// attribute, a mask and the weights, on dynamic batch and lengths. Heads are
// split with expand_shape + transpose; sdpa maps query heads to KV heads
// itself, so K and V are not repeated.
// CHECK-LABEL: func.func @multihead_gqa_all_attributes
// CHECK-SAME: (%[[Q:.*]]: tensor<?x?x16xf32>, %[[KV:.*]]: tensor<?x?x12xf32>, %{{.*}}, %[[M:[^:]*]]: tensor<?x1x1x?xi1>)
// CHECK-DAG: %[[QB:.*]] = tensor.dim %[[Q]], %c0
// CHECK-DAG: %[[QL:.*]] = tensor.dim %[[Q]], %c1
// CHECK: %[[QP:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [%{{.*}}, %{{.*}}, 16] : tensor<?x16xf32> into tensor<?x?x16xf32>
// CHECK: %[[QS:.*]] = tensor.expand_shape %[[QP]] {{\[\[}}0], [1], [2, 3]] output_shape [%[[QB]], %[[QL]], 4, 4] : tensor<?x?x16xf32> into tensor<?x?x4x4xf32>
// CHECK: %[[QE:.*]] = tensor.empty(%[[QB]], %[[QL]]) : tensor<?x4x?x4xf32>
// CHECK: %[[QH:.*]] = linalg.transpose ins(%[[QS]] : tensor<?x?x4x4xf32>) outs(%[[QE]] : tensor<?x4x?x4xf32>) permutation = [0, 2, 1, 3]
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] output_shape [%{{.*}}, %{{.*}}, 2, 4] : tensor<?x?x8xf32> into tensor<?x?x2x4xf32>
// CHECK: %[[KH:.*]] = linalg.transpose {{.*}} permutation = [0, 2, 1, 3]
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] output_shape [%{{.*}}, %{{.*}}, 2, 2] : tensor<?x?x4xf32> into tensor<?x?x2x2xf32>
// CHECK: %[[VH:.*]] = linalg.transpose {{.*}} permutation = [0, 2, 1, 3]
// CHECK-NOT: linalg.broadcast {{.*}} tensor<?x2x?x4xf32>
// CHECK: %[[O:.*]], %[[W:.*]] = attn.sdpa %[[QH]], %[[KH]], %[[VH]] mask(%[[M]]) {causal, scale = 5.000000e-01 : f64, score = #attn.score<cosine>, softcap = 3.000000e+01 : f64, window = array<i64: 8, -1>} : (tensor<?x4x?x4xf32>, tensor<?x2x?x4xf32>, tensor<?x2x?x2xf32>, tensor<?x1x1x?xi1>) -> (tensor<?x4x?x2xf32>, tensor<?x4x?x?xf32>)
// CHECK: %[[OE:.*]] = tensor.empty(%[[QB]], %[[QL]]) : tensor<?x?x4x2xf32>
// CHECK: %[[OT:.*]] = linalg.transpose ins(%[[O]] : tensor<?x4x?x2xf32>) outs(%[[OE]] : tensor<?x?x4x2xf32>) permutation = [0, 2, 1, 3]
// CHECK: %[[MERGED:.*]] = tensor.collapse_shape %[[OT]] {{\[\[}}0], [1], [2, 3]] : tensor<?x?x4x2xf32> into tensor<?x?x8xf32>
// CHECK: tensor.collapse_shape %[[MERGED]] {{\[\[}}0, 1], [2]]
// CHECK: linalg.matmul {{.*}} tensor<6x8xf32>
// CHECK: %[[Y:.*]] = tensor.expand_shape {{.*}} into tensor<?x?x6xf32>
// CHECK: return %[[Y]], %[[W]]
func.func @multihead_gqa_all_attributes(%q: tensor<?x?x16xf32>, %kv: tensor<?x?x12xf32>, %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<8x12xf32>, %bk: tensor<8xf32>, %wv: tensor<4x12xf32>, %bv: tensor<4xf32>, %wo: tensor<6x8xf32>, %bo: tensor<6xf32>, %m: tensor<?x1x1x?xi1>) -> (tensor<?x?x6xf32>, tensor<?x4x?x?xf32>) {
  %o, %w = attn.multihead %q, %kv, %kv q_proj(%wq, %bq) k_proj(%wk, %bk) v_proj(%wv, %bv) out_proj(%wo, %bo) mask(%m) {num_heads = 4 : i64, num_kv_heads = 2 : i64, scale = 0.5 : f64, softcap = 30.0 : f64, score = #attn.score<cosine>, causal, window = array<i64: 8, -1>} : (tensor<?x?x16xf32>, tensor<?x?x12xf32>, tensor<?x?x12xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<4x12xf32>, tensor<4xf32>, tensor<6x8xf32>, tensor<6xf32>, tensor<?x1x1x?xi1>) -> (tensor<?x?x6xf32>, tensor<?x4x?x?xf32>)
  return %o, %w : tensor<?x?x6xf32>, tensor<?x4x?x?xf32>
}

// -----

// Defaults: no attributes reach sdpa (its default scale is 1/sqrt(D) of the
// same head dim), no weights are computed.
// CHECK-LABEL: func.func @multihead_defaults
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x2x3x4xf32>, tensor<2x2x5x4xf32>, tensor<2x2x5x4xf32>) -> tensor<2x2x3x4xf32>
func.func @multihead_defaults(%q: tensor<2x3x8xf32>, %k: tensor<2x5x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) -> tensor<2x3x8xf32> {
  %o = attn.multihead %q, %k, %k q_proj(%w, %b) k_proj(%w, %b) v_proj(%w, %b) out_proj(%w, %b) {num_heads = 2 : i64} : (tensor<2x3x8xf32>, tensor<2x5x8xf32>, tensor<2x5x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
  return %o : tensor<2x3x8xf32>
}

// -----

// Post-norm encoder layer: x = norm1(x + SA(x)); x = norm2(x + FFN(x)). The
// residual adds are linalg.add; the attention attributes and the mask reach
// sdpa; the epsilon reaches both norms.
// CHECK-LABEL: func.func @encoder_post_norm
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x8xf32>
// CHECK-DAG: %[[EPS:.*]] = arith.constant 9.99999997E-7 : f32
// CHECK: %[[SA:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}}) {causal, window = array<i64: 2, -1>} : (tensor<?x2x?x4xf32>, tensor<?x1x?x4xf32>, tensor<?x1x?x4xf32>, tensor<?x1x1x?xi1>) -> tensor<?x2x?x4xf32>
// CHECK: %[[ATT:.*]] = tensor.expand_shape {{.*}} into tensor<?x?x8xf32>
// CHECK: %[[RES1:.*]] = linalg.add ins(%[[X]], %[[ATT]] : tensor<?x?x8xf32>, tensor<?x?x8xf32>)
// CHECK: linalg.reduce { arith.addf } ins(%[[RES1]]
// CHECK: arith.addf %{{.*}}, %[[EPS]]
// CHECK: %[[N1:.*]] = linalg.generic {{.*}} ins(%[[RES1]], %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}} :
// CHECK: tensor.collapse_shape %[[N1]]
// CHECK: math.erf
// CHECK: %[[FFN:.*]] = tensor.expand_shape {{.*}} into tensor<?x?x8xf32>
// CHECK: %[[RES2:.*]] = linalg.add ins(%[[N1]], %[[FFN]] : tensor<?x?x8xf32>, tensor<?x?x8xf32>)
// CHECK: linalg.reduce { arith.addf } ins(%[[RES2]]
// CHECK: arith.addf %{{.*}}, %[[EPS]]
// CHECK: %[[N2:.*]] = linalg.generic {{.*}} ins(%[[RES2]], %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}} :
// CHECK: return %[[N2]]
func.func @encoder_post_norm(%x: tensor<?x?x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<4xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %m: tensor<?x1x1x?xi1>) -> tensor<?x?x8xf32> {
  %y = attn.encoder_layer %x self_attn(%w, %b, %wkv, %bkv, %wkv, %bkv, %w, %b) norm1(%b, %b) ffn(%w1, %b1, %w2, %b) norm2(%b, %b) mask(%m) {num_heads = 2 : i64, num_kv_heads = 1 : i64, causal, window = array<i64: 2, -1>, activation = #attn.activation<gelu>, epsilon = 1.0e-6 : f64} : (tensor<?x?x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<?x1x1x?xi1>) -> tensor<?x?x8xf32>
  return %y : tensor<?x?x8xf32>
}

// -----

// Pre-norm: x = x + SA(norm1(x)); x = x + FFN(norm2(x)).
// CHECK-LABEL: func.func @encoder_pre_norm
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3x8xf32>
// CHECK: linalg.reduce { arith.addf } ins(%[[X]]
// CHECK: %[[N1:.*]] = linalg.generic {{.*}} ins(%[[X]], %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}} :
// CHECK: tensor.collapse_shape %[[N1]]
// CHECK: attn.sdpa {{.*}} {scale = 2.500000e-01 : f64, score = #attn.score<cosine>, softcap = 5.000000e+00 : f64}
// CHECK: %[[ATT:.*]] = tensor.expand_shape {{.*}} into tensor<2x3x8xf32>
// CHECK: %[[RES1:.*]] = linalg.add ins(%[[X]], %[[ATT]] :
// CHECK: linalg.reduce { arith.addf } ins(%[[RES1]]
// CHECK: %[[N2:.*]] = linalg.generic {{.*}} ins(%[[RES1]], %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}} :
// CHECK: tensor.collapse_shape %[[N2]]
// CHECK: arith.cmpf ogt
// CHECK: %[[FFN:.*]] = tensor.expand_shape {{.*}} into tensor<2x3x8xf32>
// CHECK: %[[RES2:.*]] = linalg.add ins(%[[RES1]], %[[FFN]] :
// CHECK-NEXT: return %[[RES2]]
func.func @encoder_pre_norm(%x: tensor<2x3x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>) -> tensor<2x3x8xf32> {
  %y = attn.encoder_layer %x self_attn(%w, %b, %w, %b, %w, %b, %w, %b) norm1(%b, %b) ffn(%w1, %b1, %w2, %b) norm2(%b, %b) {num_heads = 2 : i64, norm = #attn.norm<pre>, scale = 0.25 : f64, softcap = 5.0 : f64, score = #attn.score<cosine>} : (tensor<2x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
  return %y : tensor<2x3x8xf32>
}

// -----

// Decoder: the self-attention is always causal (with the window and
// self_mask); the cross-attention over memory is never causal or windowed
// but shares scale, softcap and score, and takes memory_mask. Post-norm
// here: three norms, after each residual add.
// CHECK-LABEL: func.func @decoder_post_norm
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3x8xf32>, %[[MEM:[^:]*]]: tensor<2x7x6xf32>
// CHECK-SAME: %[[SM:[^:]*]]: tensor<2x3x3xf32>, %[[MM:[^:]*]]: tensor<2x1x1x7xi1>)
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%[[SM]]) {causal, scale = 5.000000e-01 : f64, score = #attn.score<cosine>, softcap = 1.000000e+01 : f64, window = array<i64: 4, -1>} : (tensor<2x2x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x1x3x4xf32>, tensor<2x3x3xf32>) -> tensor<2x2x3x4xf32>
// CHECK: %[[RES1:.*]] = linalg.add ins(%[[X]], %{{.*}} :
// CHECK: %[[N1:.*]] = linalg.generic {{.*}} ins(%[[RES1]], %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}} :
// CHECK: tensor.collapse_shape %[[MEM]] {{\[\[}}0, 1], [2]] : tensor<2x7x6xf32> into tensor<14x6xf32>
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%[[MM]]) {scale = 5.000000e-01 : f64, score = #attn.score<cosine>, softcap = 1.000000e+01 : f64} : (tensor<2x2x3x4xf32>, tensor<2x1x7x4xf32>, tensor<2x1x7x4xf32>, tensor<2x1x1x7xi1>) -> tensor<2x2x3x4xf32>
// CHECK: %[[RES2:.*]] = linalg.add ins(%[[N1]], %{{.*}} :
// CHECK: %[[N2:.*]] = linalg.generic {{.*}} ins(%[[RES2]], %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}} :
// CHECK: math.tanh
// CHECK: %[[RES3:.*]] = linalg.add ins(%[[N2]], %{{.*}} :
// CHECK: %[[N3:.*]] = linalg.generic {{.*}} ins(%[[RES3]], %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}} :
// CHECK: return %[[N3]]
func.func @decoder_post_norm(%x: tensor<2x3x8xf32>, %mem: tensor<2x7x6xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>, %wkv: tensor<4x8xf32>, %bkv: tensor<4xf32>, %wmkv: tensor<4x6xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %sm: tensor<2x3x3xf32>, %mm: tensor<2x1x1x7xi1>) -> tensor<2x3x8xf32> {
  %c = attn.decoder_layer %x, %mem self_attn(%w, %b, %wkv, %bkv, %wkv, %bkv, %w, %b) norm1(%b, %b) cross_attn(%w, %b, %wmkv, %bkv, %wmkv, %bkv, %w, %b) norm2(%b, %b) ffn(%w1, %b1, %w2, %b) norm3(%b, %b) self_mask(%sm) memory_mask(%mm) {num_heads = 2 : i64, num_kv_heads = 1 : i64, activation = #attn.activation<gelu_tanh>, window = array<i64: 4, -1>, scale = 0.5 : f64, softcap = 10.0 : f64, score = #attn.score<cosine>} : (tensor<2x3x8xf32>, tensor<2x7x6xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x6xf32>, tensor<4xf32>, tensor<4x6xf32>, tensor<4xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<2x3x3xf32>, tensor<2x1x1x7xi1>) -> tensor<2x3x8xf32>
  return %c : tensor<2x3x8xf32>
}

// -----

// Pre-norm decoder without masks: plain causal self-attention, plain
// cross-attention, and the residual adds last.
// CHECK-LABEL: func.func @decoder_pre_norm
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x8xf32>
// CHECK: %[[N1:.*]] = linalg.generic {{.*}} ins(%[[X]], %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}} :
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {causal} : (tensor<?x2x?x4xf32>, tensor<?x2x?x4xf32>, tensor<?x2x?x4xf32>) -> tensor<?x2x?x4xf32>
// CHECK: %[[RES1:.*]] = linalg.add ins(%[[X]], %{{.*}} :
// CHECK: %[[N2:.*]] = linalg.generic {{.*}} ins(%[[RES1]], %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}} :
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x2x?x4xf32>, tensor<?x2x?x4xf32>, tensor<?x2x?x4xf32>) -> tensor<?x2x?x4xf32>
// CHECK: %[[RES2:.*]] = linalg.add ins(%[[RES1]], %{{.*}} :
// CHECK: %[[N3:.*]] = linalg.generic {{.*}} ins(%[[RES2]], %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}} :
// CHECK: %[[RES3:.*]] = linalg.add ins(%[[RES2]], %{{.*}} :
// CHECK-NEXT: return %[[RES3]]
func.func @decoder_pre_norm(%x: tensor<?x?x8xf32>, %mem: tensor<?x?x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>) -> tensor<?x?x8xf32> {
  %a = attn.decoder_layer %x, %mem self_attn(%w, %b, %w, %b, %w, %b, %w, %b) norm1(%b, %b) cross_attn(%w, %b, %w, %b, %w, %b, %w, %b) norm2(%b, %b) ffn(%w1, %b1, %w2, %b) norm3(%b, %b) {num_heads = 2 : i64, norm = #attn.norm<pre>} : (tensor<?x?x8xf32>, tensor<?x?x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  return %a : tensor<?x?x8xf32>
}

// -----

// attn.sdpa and attn.hard are already what later passes take: untouched.
// CHECK-LABEL: func.func @sdpa_and_hard_stay
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {causal}
// CHECK: attn.hard %{{.*}}, %{{.*}}, %{{.*}} {causal}
func.func @sdpa_and_hard_stay(%q: tensor<1x2x4x8xf32>) -> (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) {
  %o = attn.sdpa %q, %q, %q {causal} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  %h = attn.hard %q, %q, %q {causal} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o, %h : tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>
}

// -----

// keep=...: the kept ops stay whole; an FFN still becomes two linear layers,
// the first with the activation, and a layer's norms and projections are
// kept as attn ops around its attention.
// KEEP-LABEL: func.func @kept
// KEEP: attn.embedding
// KEEP: attn.layer_norm
// KEEP: attn.linear {{.*}} {activation = #attn.activation<gelu>}
// KEEP: attn.linear
// KEEP-NOT: attn.ffn
// KEEP-LABEL: func.func @kept_layer
// KEEP-COUNT-3: attn.linear
// KEEP: attn.sdpa
// KEEP: attn.linear
// KEEP: attn.layer_norm
func.func @kept(%ids: tensor<2x3xi64>, %t: tensor<10x8xf32>, %g: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>, %b2: tensor<8xf32>) -> tensor<2x3x8xf32> {
  %e = attn.embedding %ids, %t : (tensor<2x3xi64>, tensor<10x8xf32>) -> tensor<2x3x8xf32>
  %n = attn.layer_norm %e, %g, %g : (tensor<2x3x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
  %y = attn.ffn %n, %w1, %b1, %w2, %b2 {activation = #attn.activation<gelu>} : (tensor<2x3x8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
  return %y : tensor<2x3x8xf32>
}
func.func @kept_layer(%x: tensor<2x3x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>, %w1: tensor<16x8xf32>, %b1: tensor<16xf32>, %w2: tensor<8x16xf32>) -> tensor<2x3x8xf32> {
  %y = attn.encoder_layer %x self_attn(%w, %b, %w, %b, %w, %b, %w, %b) norm1(%b, %b) ffn(%w1, %b1, %w2, %b) norm2(%b, %b) {num_heads = 2 : i64} : (tensor<2x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
  return %y : tensor<2x3x8xf32>
}
