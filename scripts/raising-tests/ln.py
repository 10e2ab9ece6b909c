import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
from irgen import Func

N = 8
X = ('x', ('B', 'L', N), 'f32')
GAMMA = '[' + ', '.join(str(0.5 + 0.125 * i) for i in range(N)) + ']'
BETA = '[' + ', '.join(str(-0.25 + 0.0625 * i) for i in range(N)) + ']'

def ln(name, square='pow', divide='div', gamma='const', beta='const', eps=1e-5,
       gamma_left=False, count=N, var='centered', extra_use=False, eps_arg=False,
       args_extra=(), importer=False):
    f = Func(name, [X] + list(args_extra))
    x = '%x'
    mean = f.reduce_mean_last(x, count, importer)
    d = f.sub(x, mean)
    if var == 'centered':
        sq = f.pow_(d, f.scalar(2.0)) if square == 'pow' else f.mul(d, d)
        v = f.reduce_mean_last(sq, count, importer)
    else:  # E[x^2] - E[x]^2
        x2 = f.mul(x, x)
        m2 = f.reduce_mean_last(x2, count)
        v = f.sub(m2, f.mul(mean, mean))
    e = '%eps' if eps_arg else f.scalar(eps)
    ve = f.add(v, e)
    s = f.unary('math.sqrt', ve)
    if divide == 'div':
        n = f.div(d, s)
    else:
        r = f.div(f.scalar(1.0), s)
        n = f.mul(d, r)
    y = n
    if gamma == 'const':
        g = f.const_tensor((N,), GAMMA)
        y = f.mul(g, y) if gamma_left else f.mul(y, g)
    elif gamma == 'arg':
        y = f.mul(y, '%g')
    if beta == 'const':
        b = f.const_tensor((N,), BETA)
        y = f.add(b, y) if gamma_left else f.add(y, b)
    results = [y] + ([d] if extra_use else [])
    return f.finish(results)

if __name__ == '__main__':
    print(ln(sys.argv[1]))
