import os, sys, struct, math; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
from irgen import Func, ty
out = []
out.append('''// attn-raise-linear: a MatMul by a constant weight [K, N] (plus an Add of a
// constant bias [N]) in the ONNX importer's forms becomes attn.linear with
// the weight transposed to [N, K] at compile time; a following GELU (erf or
// tanh formula, in the association orders exporters write) or ReLU becomes
// its activation. Anything else stays as it is.
// RUN: attn-opt %s --attn-raise-linear --split-input-file | FileCheck %s
''')
K, N = 4, 3
W = '[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]'
WT = '{{\\[\\[}}1.000000e+00, 4.000000e+00, 7.000000e+00, 1.000000e+01], [2.000000e+00, 5.000000e+00, 8.000000e+00, 1.100000e+01], [3.000000e+00, 6.000000e+00, 9.000000e+00, 1.200000e+01]]'
BIAS = '[5.000000e-01, -1.000000e+00, 2.500000e-01]'
X = ('x', ('B', 'L', K), 'f32')

def layer(f, bias=True, w=None, bias_left=False):
    w = w or f.const_tensor((K, N), W)
    y = f.matmul('%x', w)
    if bias:
        b = f.const_tensor((N,), '[0.5, -1.0, 0.25]')
        y = f.add(b, y) if bias_left else f.add(y, b)
    return y

def case(comment, name, build, checks, args=(X,), resource=None):
    f = Func(name, list(args))
    res = build(f)
    lines = [f'// {l}' for l in comment.split('\n')]
    lines.append(f'// CHECK-LABEL: func.func @{name}')
    lines += [f'// CHECK{c}' for c in checks]
    text = '\n'.join(lines) + '\n' + f.finish(res if isinstance(res, list) else [res]) + '\n'
    if resource:
        text += resource
    out.append(text)

LIN = ['-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>',
       f'-DAG: %[[WT:.*]] = arith.constant dense<{WT}> : tensor<3x4xf32>',
       f'-DAG: %[[B:.*]] = arith.constant dense<{BIAS}> : tensor<3xf32>']
def lin_check(act=None):
    a = f' {{activation = #attn.activation<{act}>}}' if act else ''
    return LIN + [f': %[[Y:.*]] = attn.linear %[[X]], %[[WT]], %[[B]]{a} : (tensor<?x?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x?x3xf32>',
                  '-NOT: linalg.', '-NOT: math.', ': return %[[Y]]']

case('MatMul [B, L, K] x constant [K, N], then Add of a constant [N]: the weight\nis transposed into a new constant; dynamic batch and sequence.',
     'matmul_bias', lambda f: layer(f), lin_check())
case('The bias on the left of the Add.', 'bias_left', lambda f: layer(f, bias_left=True), lin_check())

def mm2d(f):
    w = f.const_tensor((K, N), W)
    z = f.zeros((2, N))
    v = f.fresh('mm')
    f.emit(f'{v} = linalg.matmul ins(%x, {w} : tensor<2x4xf32>, tensor<4x3xf32>) outs({z} : tensor<2x3xf32>) -> tensor<2x3xf32>')
    f.shapes[v] = (2, N); f.ets[v] = 'f32'
    return v
case('A 2-D MatMul as linalg.matmul, no bias.', 'matmul_2d_no_bias', mm2d,
     ['-SAME: (%[[X:[^:]*]]: tensor<2x4xf32>',
      f': %[[WT:.*]] = arith.constant dense<{WT}> : tensor<3x4xf32>',
      ': %[[Y:.*]] = attn.linear %[[X]], %[[WT]] : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>',
      '-NOT: linalg.matmul', ': return %[[Y]]'], args=(('x', (2, K), 'f32'),))

# dense_resource weight
blob = struct.pack('<I', 4) + b''.join(struct.pack('<f', v) for v in [1,2,3,4,5,6,7,8,9,10,11,12])
RES = '\n{-#\n  dialect_resources: {\n    builtin: {\n      onnx_weight: "0x' + blob.hex().upper() + '"\n    }\n  }\n#-}\n'
def res_layer(f):
    v = f.fresh('w')
    f.emit(f'{v} = arith.constant dense_resource<onnx_weight> : tensor<4x3xf32>')
    f.shapes[v] = (K, N); f.ets[v] = 'f32'
    return layer(f, w=v)
case('A dense_resource weight (as the importer emits weights over 64 bytes):\nthe transpose is a new blob with the bytes of Wᵀ.', 'resource_weight', res_layer,
     ['-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>',
      '-DAG: %[[WT:.*]] = arith.constant dense_resource<attnc_transposed_weight{{.*}}> : tensor<3x4xf32>',
      f'-DAG: %[[B:.*]] = arith.constant dense<{BIAS}> : tensor<3xf32>',
      ': %[[Y:.*]] = attn.linear %[[X]], %[[WT]], %[[B]] :',
      ': return %[[Y]]',
      # blob bytes of the transpose: 1 4 7 10 2 5 8 11 3 6 9 12 as f32
      ': attnc_transposed_weight{{.*}}: "0x' + (struct.pack('<I', 64) + b''.join(struct.pack('<f', v) for v in [1,4,7,10,2,5,8,11,3,6,9,12])).hex().upper() + '"'],
     resource=RES)

SQ2 = 1.4142135381698608
def gelu_erf_torch(f):
    y = layer(f)
    d = f.div(y, f.scalar(SQ2))
    e = f.unary('math.erf', d)
    a = f.add(e, f.scalar(1.0))
    m = f.mul(y, a)
    return f.mul(m, f.scalar(0.5))
case('GELU as torch.onnx exports nn.GELU: Div by √2, Erf, Add 1, Mul by x,\nMul by 0.5.', 'gelu_erf_torch_order', gelu_erf_torch, lin_check('gelu'))

def gelu_erf_half_first(f):
    y = layer(f)
    h = f.mul(y, f.scalar(0.5))
    d = f.mul(y, f.scalar(0.7071067690849304))
    e = f.unary('math.erf', d)
    a = f.add(f.scalar(1.0), e)
    return f.mul(h, a)
case('GELU as x·0.5·(1 + erf(x·0.7071)): the half taken first, Mul by 1/√2.',
     'gelu_erf_half_first', gelu_erf_half_first, lin_check('gelu'))

def gelu_erf_outer_half(f):
    y = layer(f)
    d = f.div(y, f.scalar(SQ2))
    e = f.unary('math.erf', d)
    a = f.add(e, f.scalar(1.0))
    m = f.mul(a, y)
    return f.mul(f.scalar(0.5), m)
case('GELU as 0.5·((erf(x/√2) + 1)·x), the constants on the left.',
     'gelu_erf_outer_half', gelu_erf_outer_half, lin_check('gelu'))

def gelu_one_generic(f):
    y = layer(f)
    return f.ew(['%h = arith.mulf {0}, %c_half : f32', '%s = arith.mulf {0}, %c_rs2 : f32',
                 '%e = math.erf %s : f32', '%a = arith.addf %e, %c_one : f32', '%r = arith.mulf %h, %a : f32'], [y])
def with_consts(build):
    def b(f):
        f.emit('%c_half = arith.constant 0.5 : f32')
        f.emit('%c_rs2 = arith.constant 0.707106769 : f32')
        f.emit('%c_one = arith.constant 1.0 : f32')
        return build(f)
    return b
case('GELU as one linalg.generic (ONNX Gelu, opset 20), constants captured\nfrom above.', 'gelu_erf_one_generic', with_consts(gelu_one_generic), lin_check('gelu'))

K2PI = 0.7978845834732056
def gelu_tanh(pow3):
    def b(f):
        y = layer(f)
        c = f.pow_(y, f.scalar(3.0)) if pow3 else f.mul(f.mul(y, y), y)
        c = f.mul(c, f.scalar(0.044714998453855515))
        s = f.add(y, c)
        s = f.mul(s, f.scalar(K2PI))
        t = f.unary('math.tanh', s)
        a = f.add(t, f.scalar(1.0))
        m = f.mul(y, f.scalar(0.5))
        return f.mul(m, a)
    return b
case('tanh GELU with Pow 3 (GPT-2\'s NewGELU as exported).', 'gelu_tanh_pow', gelu_tanh(True), lin_check('gelu_tanh'))
case('tanh GELU with x·x·x.', 'gelu_tanh_cube_by_mul', gelu_tanh(False), lin_check('gelu_tanh'))

def relu(f):
    y = layer(f)
    return f.ew(['%z = arith.constant 0.0 : f32', '%r = arith.maximumf {0}, %z : f32'], [y])
case('Relu as max(x, 0).', 'relu', relu, lin_check('relu'))

def conv1d_gelu(f):
    """GPT-2's Conv1D: Gemm on [B·L, K] (a collapse_shape, linalg.matmul, the
    bias), an expand_shape back to [B, L, N], then tanh GELU."""
    flat = f.fresh('flat')
    f.emit(f'{flat} = tensor.collapse_shape %x [[0, 1], [2]] : tensor<?x?x4xf32> into tensor<?x4xf32>')
    f.shapes[flat] = ('BL', K); f.ets[flat] = 'f32'
    c0 = f.fresh('c'); f.emit(f'{c0} = arith.constant 0 : index')
    rows = f.fresh('rows'); f.emit(f'{rows} = tensor.dim {flat}, {c0} : tensor<?x4xf32>')
    f.dimvals['BL'] = rows
    w = f.const_tensor((K, N), W)
    z = f.zeros(('BL', N))
    v = f.fresh('mm')
    f.emit(f'{v} = linalg.matmul ins({flat}, {w} : tensor<?x4xf32>, tensor<4x3xf32>) outs({z} : tensor<?x3xf32>) -> tensor<?x3xf32>')
    f.shapes[v] = ('BL', N); f.ets[v] = 'f32'
    y = f.add(v, f.const_tensor((N,), '[0.5, -1.0, 0.25]'))
    e = f.fresh('unflat')
    f.emit(f'{e} = tensor.expand_shape {y} [[0, 1], [2]] output_shape [{f.dimvals["B"]}, {f.dimvals["L"]}, 3] : tensor<?x3xf32> into tensor<?x?x3xf32>')
    f.shapes[e] = ('B', 'L', N); f.ets[e] = 'f32'
    c = f.mul(f.pow_(e, f.scalar(3.0)), f.scalar(0.044714998453855515))
    t = f.unary('math.tanh', f.mul(f.add(e, c), f.scalar(K2PI)))
    return f.mul(f.mul(e, f.scalar(0.5)), f.add(t, f.scalar(1.0)))
case('tanh GELU after a reshape of the layer\'s output (GPT-2\'s Conv1D): the\nactivation is folded and the reshape applied to the activated result.',
     'gelu_after_reshape', conv1d_gelu,
     ['-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>',
      ': %[[F:.*]] = tensor.collapse_shape %[[X]]',
      ': %[[Y:.*]] = attn.linear %[[F]], %{{.*}}, %{{.*}} {activation = #attn.activation<gelu_tanh>} : (tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x3xf32>',
      ': %[[R:.*]] = tensor.expand_shape %[[Y]]',
      '-NOT: linalg.generic', '-NOT: math.tanh', ': return %[[R]]'])

# negatives
def w_arg(f):
    return layer(f, w='%w')
case('Not raised: the weight is an argument, not a constant.', 'weight_not_constant', w_arg,
     ['-NOT: attn.linear', ': linalg.generic', '-NOT: attn.linear', ': return'],
     args=(X, ('w', (K, N), 'f32')))

def shared_result(f):
    y = layer(f)
    g = gelu_erf_torch_from(f, y)
    return [g, y]
def gelu_erf_torch_from(f, y):
    d = f.div(y, f.scalar(SQ2))
    e = f.unary('math.erf', d)
    a = f.add(e, f.scalar(1.0))
    m = f.mul(y, a)
    return f.mul(m, f.scalar(0.5))
case('The layer\'s result is also returned: the layer is raised, its GELU\nstays a formula.', 'result_used_elsewhere', shared_result,
     LIN + [': %[[Y:.*]] = attn.linear %[[X]], %[[WT]], %[[B]] :', ': math.erf', ': return %{{.*}}, %[[Y]]'])

def gelu_wrong_const(f):
    y = layer(f)
    d = f.div(y, f.scalar(1.5))
    e = f.unary('math.erf', d)
    a = f.add(e, f.scalar(1.0))
    m = f.mul(y, a)
    return f.mul(m, f.scalar(0.5))
case('Not GELU: erf(x / 1.5). The layer is raised without activation.', 'gelu_wrong_constant', gelu_wrong_const,
     LIN + [': %[[Y:.*]] = attn.linear %[[X]], %[[WT]], %[[B]] :', ': math.erf', ': return'])

def bias_not_const(f):
    y = layer(f, bias=False)
    return f.add(y, '%b')
case('The bias is an argument: the layer is raised without it and the Add stays.', 'bias_not_constant', bias_not_const,
     ['-SAME: (%[[X:[^:]*]]: tensor<?x?x4xf32>, %[[BA:[^:]*]]: tensor<3xf32>',
      f': %[[WT:.*]] = arith.constant dense<{WT}> : tensor<3x4xf32>',
      ': %[[Y:.*]] = attn.linear %[[X]], %[[WT]] :',
      ': linalg.generic {{.*}} ins(%[[Y]], %[[BA]] :', ': return'],
     args=(X, ('b', (N,), 'f32')))

open(os.path.join(ROOT, 'test/passes/attn-raise-linear.mlir'), 'w').write('\n// -----\n\n'.join(out))
