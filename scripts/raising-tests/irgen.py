"""Writes MLIR in the ONNX importer's contract forms (one op per node)."""

def ty(shape, et='f32'):
    dims = ['?' if isinstance(d, str) else str(d) for d in shape]
    return 'tensor<' + 'x'.join(dims + [et]) + '>'

def fmt(x):
    x = float(x)
    if x == float('inf'): return '0x7F800000'
    if x == float('-inf'): return '0xFF800000'
    return '%.9e' % x

LOOPS = 'abcdefgh'

class Func:
    def __init__(self, name, args, dimsrc=None):
        # args: list of (name, shape, et)
        self.name = name
        self.args = args
        self.lines = []
        self.n = 0
        self.shapes = {}
        self.ets = {}
        self.dimvals = {}
        for a, s, et in args:
            self.shapes['%' + a] = tuple(s)
            self.ets['%' + a] = et
        self.consts = {}
        # dynamic dims: symbol -> (arg, index)
        for a, s, et in args:
            for i, d in enumerate(s):
                if isinstance(d, str) and d not in self.dimvals:
                    c = self.fresh('c')
                    self.emit(f'{c} = arith.constant {i} : index')
                    v = self.fresh(d)
                    self.emit(f'{v} = tensor.dim %{a}, {c} : {ty(s, et)}')
                    self.dimvals[d] = v

    def fresh(self, p='v'):
        self.n += 1
        return f'%{p}{self.n}'

    def emit(self, line):
        self.lines.append('  ' + line)

    def t(self, v):
        return ty(self.shapes[v], self.ets[v])

    def empty(self, shape, et='f32'):
        v = self.fresh('e')
        dyn = [self.dimvals[d] for d in shape if isinstance(d, str)]
        self.emit(f'{v} = tensor.empty({", ".join(dyn)}) : {ty(shape, et)}')
        return v

    def zeros(self, shape, et='f32'):
        z = self.const_scalar(0.0, et)
        e = self.empty(shape, et)
        v = self.fresh('z')
        self.emit(f'{v} = linalg.fill ins({z} : {et}) outs({e} : {ty(shape, et)}) -> {ty(shape, et)}')
        self.shapes[v] = tuple(shape); self.ets[v] = et
        return v

    def const_scalar(self, x, et='f32'):
        key = ('s', x, et)
        if key not in self.consts:
            v = self.fresh('cst')
            lit = fmt(x) if et.startswith(('f', 'bf')) else str(int(x))
            if lit == 'inf': lit = '0x7F800000'
            if lit == '-inf': lit = '0xFF800000'
            self.emit(f'{v} = arith.constant {lit} : {et}')
            self.consts[key] = v
        return self.consts[key]

    def const_tensor(self, shape, values=None, splat=None, et='f32'):
        v = self.fresh('w')
        if splat is not None:
            lit = fmt(splat) if et != 'i1' else ('true' if splat else 'false')
            self.emit(f'{v} = arith.constant dense<{lit}> : {ty(shape, et)}')
        else:
            self.emit(f'{v} = arith.constant dense<{values}> : {ty(shape, et)}')
        self.shapes[v] = tuple(shape); self.ets[v] = et
        return v

    def bmap(self, in_shape, out_shape):
        R = len(out_shape); r = len(in_shape)
        exprs = []
        for i, d in enumerate(in_shape):
            o = out_shape[R - r + i]
            if d == 1 and o != 1:
                exprs.append('0')
            else:
                exprs.append(LOOPS[R - r + i])
        return f'affine_map<({", ".join(LOOPS[:R])}) -> ({", ".join(exprs)})>'

    def ew(self, body, ins, out_et='f32', out_shape=None):
        """body: lines using {0},{1},.. for the block args, ending in a value %r."""
        if out_shape is None:
            out_shape = max((self.shapes[i] for i in ins), key=len)
            # numpy broadcast
            R = len(out_shape); res = list(out_shape)
            for i in ins:
                s = self.shapes[i]
                for k, d in enumerate(s):
                    j = R - len(s) + k
                    if res[j] == 1 and d != 1:
                        res[j] = d
            out_shape = tuple(res)
        R = len(out_shape)
        e = self.empty(out_shape, out_et)
        maps = [self.bmap(self.shapes[i], out_shape) for i in ins]
        maps.append(f'affine_map<({", ".join(LOOPS[:R])}) -> ({", ".join(LOOPS[:R])})>')
        v = self.fresh()
        ins_s = ', '.join(ins)
        ins_t = ', '.join(self.t(i) for i in ins)
        par = ', '.join(['"parallel"'] * R)
        self.emit(f'{v} = linalg.generic {{indexing_maps = [{", ".join(maps)}], iterator_types = [{par}]}} ins({ins_s} : {ins_t}) outs({e} : {ty(out_shape, out_et)}) {{')
        args = [f'%in{k}' for k in range(len(ins))]
        self.lines.append('  ^bb0(' + ', '.join(f'{a}: {self.ets[i]}' for a, i in zip(args, ins)) + f', %out: {out_et}):')
        for l in body:
            self.lines.append('    ' + l.format(*args))
        self.lines.append(f'    linalg.yield %r : {out_et}')
        self.lines.append(f'  }} -> {ty(out_shape, out_et)}')
        self.shapes[v] = tuple(out_shape); self.ets[v] = out_et
        return v

    # nodes
    def binary(self, op, a, b):
        return self.ew([f'%r = arith.{op} {{0}}, {{1}} : f32'], [a, b])
    def add(self, a, b): return self.binary('addf', a, b)
    def sub(self, a, b): return self.binary('subf', a, b)
    def mul(self, a, b): return self.binary('mulf', a, b)
    def div(self, a, b): return self.binary('divf', a, b)
    def unary(self, op, a):
        return self.ew([f'%r = {op} {{0}} : f32'], [a])
    def pow_(self, a, b):
        return self.ew(['%r = math.powf {0}, {1} : f32'], [a, b])
    def scalar(self, x):
        """An ONNX scalar initializer: a 0-d constant tensor."""
        return self.const_tensor((), splat=x)

    def reduce_sum_last(self, x):
        s = self.shapes[x]
        out = s[:-1]
        z = self.zeros(out)
        v = self.fresh('sum')
        self.emit(f'{v} = linalg.reduce ins({x} : {self.t(x)}) outs({z} : {ty(out)}) dimensions = [{len(s)-1}]')
        self.lines.append('    (%in: f32, %acc: f32) {')
        self.lines.append('      %r = arith.addf %in, %acc : f32')
        self.lines.append('      linalg.yield %r : f32')
        self.lines.append('    }')
        self.shapes[v] = tuple(out); self.ets[v] = 'f32'
        return v

    def expand_last(self, x):
        s = self.shapes[x]
        out = tuple(s) + (1,)
        groups = [[i] for i in range(len(s) - 1)] + [[len(s) - 1, len(s)]]
        osz = ', '.join(self.dimvals[d] if isinstance(d, str) else str(d) for d in out)
        v = self.fresh('k')
        self.emit(f'{v} = tensor.expand_shape {x} {groups} output_shape [{osz}] : {self.t(x)} into {ty(out)}')
        self.shapes[v] = out; self.ets[v] = 'f32'
        return v

    def reduce_mean_last(self, x, n, importer=False):
        s = self.reduce_sum_last(x)
        if importer:
            # As frontend/onnx writes ReduceMean: the count as an index
            # constant, converted in the body.
            c = self.fresh('count')
            self.emit(f'{c} = arith.constant {n} : index')
            m = self.ew(['%i = arith.index_cast ' + c + ' : index to i64',
                         '%f = arith.sitofp %i : i64 to f32',
                         '%r = arith.divf {0}, %f : f32'], [s])
        else:
            m = self.div(s, self.scalar(float(n)))
        return self.expand_last(m)

    def matmul(self, a, b):
        """ONNX MatMul: batched generic, or a 2-D right operand not batched."""
        sa, sb = self.shapes[a], self.shapes[b]
        R = len(sa)
        out = tuple(sa[:-1]) + (sb[-1],)
        loops = LOOPS[:R] + 'k'
        if len(sb) == 2:
            bm = f'({loops[R-1+1]}, {loops[R-1]})'.replace(loops[R], 'k')
            bm = f'(k, {LOOPS[R-1]})'
        else:
            bm = '(' + ', '.join(list(LOOPS[:R-2]) + ['k', LOOPS[R-1]]) + ')'
        am = '(' + ', '.join(list(LOOPS[:R-1]) + ['k']) + ')'
        om = '(' + ', '.join(LOOPS[:R]) + ')'
        dl = '(' + ', '.join(LOOPS[:R] + 'k') + ')'
        z = self.zeros(out)
        v = self.fresh('mm')
        it = ', '.join(['"parallel"'] * R + ['"reduction"'])
        self.emit(f'{v} = linalg.generic {{indexing_maps = [affine_map<{dl} -> {am}>, affine_map<{dl} -> {bm}>, affine_map<{dl} -> {om}>], iterator_types = [{it}]}} ins({a}, {b} : {self.t(a)}, {self.t(b)}) outs({z} : {ty(out)}) {{')
        self.lines.append('  ^bb0(%lhs: f32, %rhs: f32, %acc: f32):')
        self.lines.append('    %p = arith.mulf %lhs, %rhs : f32')
        self.lines.append('    %r = arith.addf %acc, %p : f32')
        self.lines.append('    linalg.yield %r : f32')
        self.lines.append(f'  }} -> {ty(out)}')
        self.shapes[v] = out; self.ets[v] = 'f32'
        return v

    def transpose(self, x, perm):
        s = self.shapes[x]
        out = tuple(s[p] for p in perm)
        e = self.empty(out, self.ets[x])
        v = self.fresh('tr')
        self.emit(f'{v} = linalg.transpose ins({x} : {self.t(x)}) outs({e} : {ty(out, self.ets[x])}) permutation = [{", ".join(map(str, perm))}]')
        self.shapes[v] = out; self.ets[v] = self.ets[x]
        return v

    def softmax(self, x):
        v = self.fresh('sm')
        self.emit(f'{v} = attn.softmax {x} axis({len(self.shapes[x])-1}) : {self.t(x)}')
        self.shapes[v] = self.shapes[x]; self.ets[v] = 'f32'
        return v

    def isnan(self, x):
        return self.ew(['%r = arith.cmpf uno, {0}, {0} : f32'], [x], out_et='i1')

    def where(self, c, a, b):
        return self.ew(['%r = arith.select {0}, {1}, {2} : f32'], [c, a, b])

    def finish(self, results):
        rt = ', '.join(self.t(r) for r in results)
        args = ', '.join(f'%{a}: {ty(s, et)}' for a, s, et in self.args)
        head = f'func.func @{self.name}({args}) -> ({rt}) {{'
        return '\n'.join([head] + self.lines + [f'  return {", ".join(results)} : {rt}', '}'])

def reduce_mean_axis(self, x, axis, n):
    s = self.shapes[x]
    out = tuple(d for i, d in enumerate(s) if i != axis)
    z = self.zeros(out)
    v = self.fresh('sum')
    self.emit(f'{v} = linalg.reduce ins({x} : {self.t(x)}) outs({z} : {ty(out)}) dimensions = [{axis}]')
    self.lines.append('    (%in: f32, %acc: f32) {')
    self.lines.append('      %r = arith.addf %in, %acc : f32')
    self.lines.append('      linalg.yield %r : f32')
    self.lines.append('    }')
    self.shapes[v] = out; self.ets[v] = 'f32'
    m = self.div(v, self.scalar(float(n)))
    kept = tuple(1 if i == axis else d for i, d in enumerate(s))
    groups = []
    j = 0
    for i in range(len(s)):
        if i == axis:
            if groups: groups[-1].append(i)
            else: groups.append([i])
        else:
            if groups and groups[-1] == [axis] and axis == 0 and len(groups) == 1 and len(groups[0]) == 1 and i == 1:
                groups[0].append(i)
            else:
                groups.append([i])
    osz = ', '.join(self.dimvals[d] if isinstance(d, str) else str(d) for d in kept)
    k = self.fresh('k')
    self.emit(f'{k} = tensor.expand_shape {m} {groups} output_shape [{osz}] : {self.t(m)} into {ty(kept)}')
    self.shapes[k] = kept; self.ets[k] = 'f32'
    return k
Func.reduce_mean_axis = reduce_mean_axis
