import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
from ln import ln, N
out = []
out.append('''// attn-raise-layer-norm: LayerNorm over the last axis, written out op by op
// in the ONNX importer's forms (frontend/onnx-import-design.md: ReduceMean
// as linalg.reduce + a division + expand_shape, each elementwise node one
// linalg.generic with broadcast maps, scalars as 0-d constants), becomes
// attn.layer_norm; formulas that differ in any way stay as they are.
// RUN: attn-opt %s --attn-raise-layer-norm --split-input-file | FileCheck %s
''')
G = '[5.000000e-01, 6.250000e-01, 7.500000e-01, 8.750000e-01, 1.000000e+00, 1.125000e+00, 1.250000e+00, 1.375000e+00]'
B = '[-2.500000e-01, -1.875000e-01, -1.250000e-01, -6.250000e-02, 0.000000e+00, 6.250000e-02, 1.250000e-01, 1.875000e-01]'
def pos(comment, name, eps_check, gamma=G, beta=B, gamma_arg=False, **kw):
    lines = [f'// {l}' for l in comment.split('\n')]
    lines.append(f'// CHECK-LABEL: func.func @{name}')
    lines.append(f'// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x8xf32>' + (', %[[G:[^:]*]]: tensor<8xf32>' if gamma_arg else ''))
    if not gamma_arg:
        lines.append(f'// CHECK-DAG: %[[G:.*]] = arith.constant dense<{gamma}> : tensor<8xf32>')
    lines.append(f'// CHECK-DAG: %[[B:.*]] = arith.constant dense<{beta}> : tensor<8xf32>')
    lines.append(f'// CHECK: %[[Y:.*]] = attn.layer_norm %[[X]], %[[G]], %[[B]] {{epsilon = {eps_check} : f64}} : (tensor<?x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>')
    lines.append('// CHECK-NOT: linalg.')
    lines.append('// CHECK: return %[[Y]]')
    extra = (('g', (N,), 'f32'),) if gamma_arg else ()
    out.append('\n'.join(lines) + '\n' + ln(name, args_extra=extra, **kw) + '\n')

def neg(comment, name, **kw):
    lines = [f'// {l}' for l in comment.split('\n')]
    lines.append(f'// CHECK-LABEL: func.func @{name}')
    lines.append('// CHECK-NOT: attn.layer_norm')
    lines.append('// CHECK: math.sqrt')
    lines.append('// CHECK-NOT: attn.layer_norm')
    lines.append('// CHECK: return')
    out.append('\n'.join(lines) + '\n' + ln(name, **kw) + '\n')

E5 = '9.9999997473787516E-6'
pos('Pow 2, Div by the square root, Mul gamma and Add beta on the right: the\nopset-13 export of nn.LayerNorm. Dynamic batch and sequence.',
    'pow_div', E5)
pos('Mul for the square, Reciprocal (a Div of 1) then Mul, gamma and beta on\nthe left, epsilon 1e-12 as BERT has it.',
    'mul_reciprocal_left', '9.999999960041972E-13', square='mul', divide='recip', gamma_left=True, eps=1e-12)
pos('The means as the ONNX importer writes ReduceMean: the count an index\nconstant, index_cast and sitofp in the division\'s body.',
    'importer_mean_form', E5, importer=True)
ONES = 'dense<1.000000e+00>'
pos('No gamma and no beta: they become splat constants of ones and zeros.',
    'no_affine', E5, gamma='1.000000e+00', beta='0.000000e+00', **{'gamma': None, 'beta': None}) if False else None
# no gamma/beta handled separately below
lines = ['// No gamma and no beta: they become splat constants of ones and zeros.',
         '// CHECK-LABEL: func.func @no_affine',
         '// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x8xf32>',
         '// CHECK-DAG: %[[G:.*]] = arith.constant dense<1.000000e+00> : tensor<8xf32>',
         '// CHECK-DAG: %[[B:.*]] = arith.constant dense<0.000000e+00> : tensor<8xf32>',
         f'// CHECK: %[[Y:.*]] = attn.layer_norm %[[X]], %[[G]], %[[B]] {{epsilon = {E5} : f64}}',
         '// CHECK-NOT: linalg.',
         '// CHECK: return %[[Y]]']
out.append('\n'.join(lines) + '\n' + ln('no_affine', gamma=None, beta=None) + '\n')
lines = ['// gamma a function argument (any tensor of the feature length), no beta.',
         '// CHECK-LABEL: func.func @gamma_argument_no_beta',
         '// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x?x8xf32>, %[[G:[^:]*]]: tensor<8xf32>',
         '// CHECK-DAG: %[[B:.*]] = arith.constant dense<0.000000e+00> : tensor<8xf32>',
         f'// CHECK: %[[Y:.*]] = attn.layer_norm %[[X]], %[[G]], %[[B]] {{epsilon = {E5} : f64}}',
         '// CHECK-NOT: linalg.',
         '// CHECK: return %[[Y]]']
out.append('\n'.join(lines) + '\n' + ln('gamma_argument_no_beta', gamma='arg', beta=None, args_extra=(('g', (N,), 'f32'),)) + '\n')

neg('Not raised: the variance as E[x²] - E[x]² (another formula, and another\nrounding).', 'one_pass_variance', var='one_pass')
neg('Not raised: epsilon is not a constant.', 'eps_not_constant', eps_arg=True, args_extra=(('eps', (), 'f32'),))
neg('Not raised: the mean divides by 7, not the row length 8.', 'wrong_count', count=7)
neg('Not raised: the centered values are also returned, so they are needed\nbesides the normalised result.', 'intermediate_used', extra_use=True)
open(os.path.join(ROOT, 'test/passes/attn-raise-layer-norm.mlir'), 'w').write('\n// -----\n\n'.join(out))

from irgen import Func
f = Func('wrong_axis', [('x', (4, 8), 'f32')])
mean = f.reduce_mean_axis('%x', 0, 4)
d = f.sub('%x', mean)
v = f.reduce_mean_axis(f.mul(d, d), 0, 4)
s = f.unary('math.sqrt', f.add(v, f.scalar(1e-5)))
y = f.div(d, s)
lines = ['// Not raised: the statistics are over axis 0, not the last axis.',
         '// CHECK-LABEL: func.func @wrong_axis',
         '// CHECK-NOT: attn.layer_norm',
         '// CHECK: math.sqrt',
         '// CHECK-NOT: attn.layer_norm',
         '// CHECK: return']
out.append('\n'.join(lines) + '\n' + f.finish([y]) + '\n')
open(os.path.join(ROOT, 'test/passes/attn-raise-layer-norm.mlir'), 'w').write('\n// -----\n\n'.join(out))
