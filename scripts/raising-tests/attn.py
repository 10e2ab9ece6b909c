import os, sys, math; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
from irgen import Func, ty

H, D = 2, 4

def split_heads(f, x):
    """[B, L, H*D] -> [B, L, H, D] (Reshape as expand_shape)."""
    s = f.shapes[x]
    out = (s[0], s[1], H, D)
    osz = ', '.join(f.dimvals[d] if isinstance(d, str) else str(d) for d in out)
    v = f.fresh('heads')
    f.emit(f'{v} = tensor.expand_shape {x} [[0], [1], [2, 3]] output_shape [{osz}] : {f.t(x)} into {ty(out)}')
    f.shapes[v] = out; f.ets[v] = 'f32'
    return v

def attention(name, scale='div', scale_on='scores', mask=None, isnan=True,
              k_perm='direct', self_attn=False, extra_use=None, extra_args=(),
              mask_fn=None, Lk='S'):
    if self_attn:
        args = [('x', ('B', 'L', H * D), 'f32')]
    else:
        args = [('q', ('B', 'L', H * D), 'f32'), ('k', ('B', Lk, H * D), 'f32'),
                ('v', ('B', Lk, H * D), 'f32')]
    args += list(extra_args)
    f = Func(name, args)
    qi, ki, vi = ('%x', '%x', '%x') if self_attn else ('%q', '%k', '%v')
    q = f.transpose(split_heads(f, qi), [0, 2, 1, 3])
    kh = split_heads(f, ki)
    if k_perm == 'direct':
        kt = f.transpose(kh, [0, 2, 3, 1])
    else:  # K as [B, H, L, D], then Kᵀ as a second transpose
        kt = f.transpose(f.transpose(kh, [0, 2, 1, 3]), [0, 1, 3, 2])
    v = f.transpose(split_heads(f, vi), [0, 2, 1, 3])
    c = 1 / math.sqrt(D)
    if scale_on == 'q':
        q = f.mul(f.scalar(c), q)
    if scale_on == 'qk':
        r = math.sqrt(c)
        q = f.mul(q, f.scalar(r))
        kt = f.mul(kt, f.scalar(r))
    s = f.matmul(q, kt)
    if scale_on == 'scores':
        if scale == 'div':
            s = f.div(s, f.scalar(math.sqrt(D)))
        elif scale == 'mul':
            s = f.mul(s, f.scalar(c))
        elif scale == 'arg':
            s = f.div(s, '%scale')
    if mask_fn:
        m = mask_fn(f)
        if isinstance(m, tuple):
            # Where(m, scores, lowest)
            low = f.const_tensor((), splat=-3.4028234663852886e38)
            s = f.ew(['%r = arith.select {0}, {1}, {2} : f32'], [m[1], s, low],
                     out_shape=f.shapes[s])
        else:
            s = f.add(s, m)
    elif mask:
        s = f.add(s, mask)
    p = f.softmax(s)
    if isnan:
        p = f.where(f.isnan(p), f.const_tensor((), splat=0.0), p)
    o = f.matmul(p, v)
    res = [o]
    if extra_use == 'scores':
        res.append(s)
    return f.finish(res)
