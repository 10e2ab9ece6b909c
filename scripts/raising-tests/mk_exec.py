import os, sys, math, random; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
from irgen import Func, ty, fmt
import attn as A
rng = random.Random(12)
B, L, E, F = 2, 5, 8, 16
H, D = A.H, A.D

def mat(r, c, s=0.4):
    return '[' + ', '.join('[' + ', '.join('%.6f' % rng.uniform(-s, s) for _ in range(c)) + ']' for _ in range(r)) + ']'
def vec(n, s=0.2, base=0.0):
    return '[' + ', '.join('%.6f' % (base + rng.uniform(-s, s)) for _ in range(n)) + ']'

def layernorm(f, x, n):
    mean = f.reduce_mean_last(x, n)
    d = f.sub(x, mean)
    v = f.reduce_mean_last(f.pow_(d, f.scalar(2.0)), n)
    s = f.unary('math.sqrt', f.add(v, f.scalar(1e-5)))
    y = f.div(d, s)
    y = f.mul(y, f.const_tensor((n,), vec(n, 0.3, 1.0)))
    return f.add(y, f.const_tensor((n,), vec(n)))

def linear(f, x, k, n):
    y = f.matmul(x, f.const_tensor((k, n), mat(k, n)))
    return f.add(y, f.const_tensor((n,), vec(n)))

def gelu_erf(f, y):
    e = f.unary('math.erf', f.div(y, f.scalar(1.4142135381698608)))
    return f.mul(f.mul(y, f.add(e, f.scalar(1.0))), f.scalar(0.5))

def gelu_tanh(f, y):
    c = f.mul(f.pow_(y, f.scalar(3.0)), f.scalar(0.044714998453855515))
    t = f.unary('math.tanh', f.mul(f.add(y, c), f.scalar(0.7978845834732056)))
    return f.mul(f.mul(y, f.scalar(0.5)), f.add(t, f.scalar(1.0)))

def attention(f, h, mask=None, causal=False):
    q = f.transpose(A.split_heads(f, linear(f, h, E, E)), [0, 2, 1, 3])
    kt = f.transpose(A.split_heads(f, linear(f, h, E, E)), [0, 2, 3, 1])
    v = f.transpose(A.split_heads(f, linear(f, h, E, E)), [0, 2, 1, 3])
    s = f.div(f.matmul(q, kt), f.scalar(math.sqrt(D)))
    if mask:
        s = f.add(s, mask)
    if causal:
        tri = '[' + ', '.join('[' + ', '.join('0.0' if j <= i else '0xFF800000' for j in range(L)) + ']' for i in range(L)) + ']'
        s = f.add(s, f.const_tensor((L, L), tri))
    p = f.softmax(s)
    p = f.where(f.isnan(p), f.const_tensor((), splat=0.0), p)
    o = f.transpose(f.matmul(p, v), [0, 2, 1, 3])
    c = f.fresh('merged')
    f.emit(f'{c} = tensor.collapse_shape {o} [[0], [1], [2, 3]] : {f.t(o)} into {ty((B, L, E))}')
    f.shapes[c] = (B, L, E); f.ets[c] = 'f32'
    return linear(f, c, E, E)

def layer(name, act, mask, causal):
    args = [('x', (B, L, E), 'f32')] + ([('mask', (B, 1, 1, L), 'f32')] if mask else [])
    f = Func(name, args)
    x = '%x'
    a = attention(f, layernorm(f, x, E), '%mask' if mask else None, causal)
    r = f.add(a, x)
    h = act(f, linear(f, layernorm(f, r, E), E, F))
    out = f.add(linear(f, h, F, E), r)
    return f.finish([out])

def relu(f, y):
    return f.ew(['%z = arith.constant 0.0 : f32', '%r = arith.maximumf {0}, %z : f32'], [y])

HEAD = "// The raising passes on whole layers written op by op in the ONNX\n// importer's forms (frontend/onnx-import-design.md): a pre-LN encoder layer\n// (LayerNorm formula, MatMul + Add projections, BERT's attention chain with a\n// padding mask and the IsNaN guard, erf GELU), a decoder layer (a constant\n// causal triangle, tanh GELU with Pow 3) and a ReLU layer. The CPU pipeline\n// raises each into attn ops (checked on the IR after attn-fuse-epilogues),\n// and attn-run --check compares the compiled (raised) code with the fp64\n// reference evaluator run on the un-raised file, formula by formula.\n\n// RUN: rm -rf %t && split-file %s %t && cd %t\n\n// RUN: attn-opt encoder.mlir --attn-cpu-pipeline --mlir-print-ir-after=attn-fuse-epilogues -o /dev/null 2>&1 | FileCheck %s --check-prefix=ENC\n// ENC-LABEL: func.func @encoder\n// ENC: %[[N1:.*]] = attn.layer_norm %arg0\n// ENC-COUNT-3: attn.linear %[[N1]], %{{.*}}, %{{.*}} :\n// ENC: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%arg1) {scale = 5.000000e-01 : f64}\n// ENC: %[[R:.*]] = attn.linear %{{.*}}, %{{.*}}, %{{.*}} residual(%arg0)\n// ENC: %[[N2:.*]] = attn.layer_norm %[[R]]\n// ENC: %[[H:.*]] = attn.linear %[[N2]], %{{.*}}, %{{.*}} {activation = #attn.activation<gelu>}\n// ENC: attn.linear %[[H]], %{{.*}}, %{{.*}} residual(%[[R]])\n// ENC-NOT: linalg.generic\n// ENC-NOT: attn.softmax\n// ENC: return\n// RUN: attn-run encoder.mlir --random --check | FileCheck %s --check-prefix=EXEC\n// EXEC-LABEL: result0: f32 [2, 5, 8]\n// EXEC-NEXT: check result0: {{.*}} (ok)\n\n// RUN: attn-opt decoder.mlir --attn-cpu-pipeline --mlir-print-ir-after=attn-fuse-epilogues -o /dev/null 2>&1 | FileCheck %s --check-prefix=DEC\n// DEC-LABEL: func.func @decoder\n// DEC: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {causal, scale = 5.000000e-01 : f64}\n// DEC: attn.linear {{.*}} {activation = #attn.activation<gelu_tanh>}\n// DEC-NOT: linalg.generic\n// DEC: return\n// RUN: attn-run decoder.mlir --random --check | FileCheck %s --check-prefix=EXEC\n\n// RUN: attn-opt relu.mlir --attn-cpu-pipeline --mlir-print-ir-after=attn-fuse-epilogues -o /dev/null 2>&1 | FileCheck %s --check-prefix=RELU\n// RELU-LABEL: func.func @relu_layer\n// RELU: attn.linear {{.*}} {activation = #attn.activation<relu>}\n// RELU-NOT: linalg.generic\n// RELU: return\n// RUN: attn-run relu.mlir --random --check | FileCheck %s --check-prefix=EXEC\n\n"
text = (HEAD + '//--- encoder.mlir\n' + layer('encoder', gelu_erf, True, False) + '\n' +
        '\n//--- decoder.mlir\n' + layer('decoder', gelu_tanh, False, True) + '\n' +
        '\n//--- relu.mlir\n' + layer('relu_layer', relu, False, False) + '\n')
open(os.path.join(ROOT, 'test/tools/attn-run-raised.mlir'), 'w').write(text)
