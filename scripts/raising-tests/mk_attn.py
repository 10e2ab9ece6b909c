import os, sys, math; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
from attn import attention, H, D
from irgen import Func, ty
out = []
out.append('''// attn-fuse on the attention chain as the ONNX importer writes a PyTorch
// export (frontend/onnx-import-design.md): heads split with expand_shape and
// linalg.transpose, MatMul(Q, Kᵀ) as a contraction generic, a Div or Mul
// scale, an Add of a broadcast mask, attn.softmax, PyTorch's
// Where(IsNaN(p), 0, p) guard, MatMul(·, V). It becomes attn.sdpa, with the
// mask, causal when the mask is the causal pattern.
// RUN: attn-opt %s --attn-fuse --split-input-file | FileCheck %s
''')

def case(comment, name, checks, **kw):
    lines = [f'// {l}' for l in comment.split('\n')]
    lines.append(f'// CHECK-LABEL: func.func @{name}')
    lines += [f'// CHECK{c}' for c in checks]
    out.append('\n'.join(lines) + '\n' + attention(name, **kw) + '\n')

NOCHAIN = ['-NOT: attn.softmax', '-NOT: arith.cmpf', '-NOT: linalg.generic']
T = 'tensor<?x2x?x4xf32>'
def sdpa(mask=None, scale='5.000000e-01', causal=False, mtype=None):
    m = f' mask(%[[M]])' if mask else ''
    attrs = ('causal, ' if causal else '') + f'scale = {scale} : f64'
    return [f': %[[O:.*]] = attn.sdpa %{{{{.*}}}}, %{{{{.*}}}}, %{{{{.*}}}}{m} {{{{{{{{.*}}}}{attrs}}}}}']

case('BERT\'s export: Kᵀ by one Transpose [0, 2, 3, 1] of the split heads, Div\nby √D, Add of a [B, 1, 1, S] padding mask, the IsNaN guard; dynamic batch\nand lengths.',
     'div_scale_padding_mask_guard',
     ['-SAME: %[[M:[^:]*]]: tensor<?x1x1x?xf32>',
      '-NOT: attn.softmax',
      f': %[[O:.*]] = attn.sdpa %{{{{.*}}}}, %{{{{.*}}}}, %{{{{.*}}}} mask(%[[M]]) {{scale = 5.000000e-01 : f64}} : ({T}, {T}, {T}, tensor<?x1x1x?xf32>) -> {T}',
      '-NOT: attn.softmax', '-NOT: arith.cmpf', '-NOT: linalg.generic', ': return %[[O]]'],
     mask='%m', extra_args=[('m', ('B', 1, 1, 'S'), 'f32')])

case('Mul by 1/√D, no mask, no guard; K as [B, H, S, D] then Kᵀ by a second\nTranspose.',
     'mul_scale_no_mask_two_transposes',
     [f': %[[O:.*]] = attn.sdpa %{{{{.*}}}}, %{{{{.*}}}}, %{{{{.*}}}} {{scale = 5.000000e-01 : f64}} : ({T}, {T}, {T}) -> {T}',
      '-NOT: linalg.transpose {{.*}} permutation = [0, 1, 3, 2]', '-NOT: attn.softmax', ': return %[[O]]'],
     scale='mul', isnan=False, k_perm='two')

case('The scale split as √c on Q and √c on Kᵀ (PyTorch\'s SDPA export): the\nfactors multiply.',
     'scale_on_q_and_k',
     [f': %[[O:.*]] = attn.sdpa %{{{{.*}}}}, %{{{{.*}}}}, %{{{{.*}}}} {{scale = 0.4999999{{{{[0-9]+}}}} : f64}}',
      '-NOT: linalg.generic', ': return %[[O]]'],
     scale_on='qk', isnan=True)

case('The whole scale on Q, as Mul(c, Q) before the product; an IsNaN guard.',
     'scale_on_q',
     [f': %[[O:.*]] = attn.sdpa %{{{{.*}}}}, %{{{{.*}}}}, %{{{{.*}}}} {{scale = 5.000000e-01 : f64}}',
      '-NOT: linalg.generic', ': return %[[O]]'],
     scale_on='q', isnan=True)

# causal masks, self attention
TRI = []
L = 4
for i in range(L):
    TRI.append('[' + ', '.join('0.0' if j <= i else '0xFF800000' for j in range(L)) + ']')
def tri_const(f):
    return f.const_tensor((L, L), '[' + ', '.join(TRI) + ']')
def static_self(comment, name, checks, mask_fn, **kw):
    lines = [f'// {l}' for l in comment.split('\n')]
    lines.append(f'// CHECK-LABEL: func.func @{name}')
    lines += [f'// CHECK{c}' for c in checks]
    out.append('\n'.join(lines) + '\n' + static_attention(name, mask_fn, **kw) + '\n')

def static_attention(name, mask_fn, extra_args=()):
    import attn as A
    return A.attention(name, mask_fn=mask_fn, self_attn=True, extra_args=extra_args)

T2 = 'tensor<?x2x?x4xf32>'
static_self('A causal mask as a constant [S, S] triangle (0 on and below the\ndiagonal, -inf above), the query and key lengths one size: causal.',
            'causal_constant_triangle',
            [': %[[O:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {causal, scale = 5.000000e-01 : f64}',
             '-NOT: mask(', '-NOT: linalg.generic', ': return %[[O]]'], tri_const)

def trilu(f):
    """ConstantOfShape ones [L, L], Trilu (lower) as an index generic, then
    Where(t == 0, -inf, 0)."""
    ones = f.fresh('ones')
    e = f.empty(('L', 'L'))
    one = f.const_scalar(1.0)
    f.emit(f'{ones} = linalg.fill ins({one} : f32) outs({e} : tensor<?x?xf32>) -> tensor<?x?xf32>')
    f.shapes[ones] = ('L', 'L'); f.ets[ones] = 'f32'
    t = f.ew(['%i = linalg.index 0 : index', '%j = linalg.index 1 : index',
              '%keep = arith.cmpi sle, %j, %i : index', '%zf = arith.constant 0.0 : f32',
              '%r = arith.select %keep, {0}, %zf : f32'], [ones])
    return f.ew(['%zero = arith.constant 0.0 : f32', '%ninf = arith.constant 0xFF800000 : f32',
                 '%c = arith.cmpf oeq, {0}, %zero : f32', '%r = arith.select %c, %ninf, %zero : f32'], [t])
static_self('A causal mask built as GPT-2 exports write it: ConstantOfShape ones,\nTrilu (an index generic), Where(t == 0, -inf, 0); dynamic lengths.',
            'causal_trilu_generic',
            [': %[[O:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {causal, scale = 5.000000e-01 : f64}',
             '-NOT: mask(', '-NOT: attn.softmax', ': return %[[O]]'], trilu)

TRI_B = '[[[' + ', '.join('[' + ', '.join('true' if j <= i else 'false' for j in range(L)) + ']' for i in range(L)) + ']]]'
def where_lowest(f):
    return ('where', f.const_tensor((1, 1, L, L), TRI_B, et='i1'))
static_self('GPT-2\'s causal mask: Where(tril, scores, finfo.min) with a boolean\nconstant triangle [1, 1, S, S]: causal (the lowest finite value hides like\n-inf in rows that always see a key).',
            'causal_where_lowest',
            [': %[[O:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {causal, scale = 5.000000e-01 : f64}',
             '-NOT: mask(', '-NOT: arith.select', ': return %[[O]]'], where_lowest)
TRI_UPB = '[[[' + ', '.join('[' + ', '.join('true' if j >= i else 'false' for j in range(L)) + ']' for i in range(L)) + ']]]'
static_self('Not fused: Where(m, scores, finfo.min) with a mask that is not causal\n(a fully hidden row would average the values where attn.sdpa gives 0).',
            'where_lowest_not_causal',
            ['-NOT: attn.sdpa', ': attn.softmax', '-NOT: attn.sdpa', ': return'],
            lambda f: ('where', f.const_tensor((1, 1, L, L), TRI_UPB, et='i1')))

TRI_UP = []
for i in range(L):
    TRI_UP.append('[' + ', '.join('0.0' if j >= i else '0xFF800000' for j in range(L)) + ']')
static_self('Not causal: the upper triangle. The constant stays the mask.',
            'anti_causal_constant',
            [': %[[O:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}}) {scale = 5.000000e-01 : f64}',
             ': return %[[O]]'],
            lambda f: f.const_tensor((L, L), '[' + ', '.join(TRI_UP) + ']'))

# negatives
case('Not fused: the masked scores are also returned.', 'scores_used_elsewhere',
     ['-NOT: attn.sdpa', ': attn.softmax', '-NOT: attn.sdpa', ': return'],
     mask='%m', extra_args=[('m', ('B', 1, 1, 'S'), 'f32')], extra_use='scores')
case('Not fused: the scale divides by an argument, not a constant.', 'scale_not_constant',
     ['-NOT: attn.sdpa', ': attn.softmax', '-NOT: attn.sdpa', ': return'],
     scale='arg', extra_args=[('scale', (), 'f32')])

def transposed_mask(f):
    # a [S, L] mask read as (i, j) -> (j, i): keys along its first dimension
    m = '%m'
    e = f.empty(('B', H, 'L', 'S'))
    return ('transposed', m)
# written out by hand: the Add reads the mask through (b, h, i, j) -> (j, i)
HAND = '''// Not fused: the mask is read with its dimensions swapped ((b, h, i, j) ->
// (j, i)), which attn.sdpa's broadcastable mask cannot express.
// CHECK-LABEL: func.func @mask_read_transposed
// CHECK-NOT: attn.sdpa
// CHECK: attn.softmax
// CHECK-NOT: attn.sdpa
// CHECK: return
#qmap = affine_map<(b, h, i, j, k) -> (b, h, i, k)>
#kmap = affine_map<(b, h, i, j, k) -> (b, h, k, j)>
#omap = affine_map<(b, h, i, j, k) -> (b, h, i, j)>
#vmap = affine_map<(b, h, i, j, k) -> (b, h, k, j)>
#id4 = affine_map<(b, h, i, j) -> (b, h, i, j)>
#swap = affine_map<(b, h, i, j) -> (j, i)>
func.func @mask_read_transposed(%q: tensor<2x2x4x4xf32>, %kt: tensor<2x2x4x6xf32>, %v: tensor<2x2x6x4xf32>, %m: tensor<6x4xf32>) -> tensor<2x2x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2x4x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2x4x6xf32>) -> tensor<2x2x4x6xf32>
  %s = linalg.generic {indexing_maps = [#qmap, #kmap, #omap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%q, %kt : tensor<2x2x4x4xf32>, tensor<2x2x4x6xf32>) outs(%f : tensor<2x2x4x6xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x2x4x6xf32>
  %ma = linalg.generic {indexing_maps = [#id4, #swap, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s, %m : tensor<2x2x4x6xf32>, tensor<6x4xf32>) outs(%e : tensor<2x2x4x6xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<2x2x4x6xf32>
  %p = attn.softmax %ma axis(3) : tensor<2x2x4x6xf32>
  %e2 = tensor.empty() : tensor<2x2x4x4xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x2x4x4xf32>) -> tensor<2x2x4x4xf32>
  %o = linalg.generic {indexing_maps = [#qmap, #vmap, #omap], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%p, %v : tensor<2x2x4x6xf32>, tensor<2x2x6x4xf32>) outs(%f2 : tensor<2x2x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %pr = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %pr : f32
    linalg.yield %r : f32
  } -> tensor<2x2x4x4xf32>
  return %o : tensor<2x2x4x4xf32>
}
'''
out.append(HAND)
open(os.path.join(ROOT, 'test/passes/attn-fuse-onnx.mlir'), 'w').write('\n// -----\n\n'.join(out))
