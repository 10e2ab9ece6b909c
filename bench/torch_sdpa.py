#!/usr/bin/env python3
"""PyTorch's scaled_dot_product_attention on the GPU, in TFLOP/s.

The baseline for bench/GpuFlashBench.cpp: the same shapes (B=4, H=16,
D in {64, 128}, L in {1024, 4096, 16384}, causal and not, f16 and bf16) and
the same FLOP count (4*B*H*L*L*D per call, halved for causal). Each case is
timed with CUDA events over enough calls to fill --min-time seconds, after
warm-up calls; PyTorch picks its own backend (FlashAttention 2 or cuDNN on
sm_80/sm_90). Run it on a machine with a GPU and PyTorch:

    python3 bench/torch_sdpa.py [--min-time 0.5]

It prints one line per case in the benchmark's naming, so that the two
outputs can be put side by side in bench/RESULTS-gpu.md.
"""

import argparse
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-time", type=float, default=0.5,
                        help="seconds of timed calls per case")
    args = parser.parse_args()

    try:
        import torch
        import torch.nn.functional as F
    except ImportError as e:
        sys.exit(f"torch_sdpa.py: PyTorch is not installed ({e})")
    if not torch.cuda.is_available():
        sys.exit("torch_sdpa.py: PyTorch sees no CUDA device")

    print(f"device: {torch.cuda.get_device_name(0)}, torch {torch.__version__}")
    batch, heads = 4, 16
    for name, dtype in (("F16", torch.float16), ("BF16", torch.bfloat16)):
        for length in (1024, 4096, 16384):
            for dim in (64, 128):
                for causal in (0, 1):
                    gen = torch.Generator(device="cuda").manual_seed(7)
                    q, k, v = (torch.rand(batch, heads, length, dim,
                                          device="cuda", dtype=dtype,
                                          generator=gen) * 2 - 1
                               for _ in range(3))

                    def call():
                        return F.scaled_dot_product_attention(
                            q, k, v, is_causal=bool(causal))

                    for _ in range(3):
                        call()
                    torch.cuda.synchronize()
                    # Size the timed loop from one timed call.
                    start = torch.cuda.Event(enable_timing=True)
                    stop = torch.cuda.Event(enable_timing=True)
                    start.record()
                    call()
                    stop.record()
                    stop.synchronize()
                    once = max(start.elapsed_time(stop) / 1e3, 1e-6)
                    iters = max(3, int(args.min_time / once))
                    start.record()
                    for _ in range(iters):
                        call()
                    stop.record()
                    stop.synchronize()
                    seconds = start.elapsed_time(stop) / 1e3 / iters
                    flops = 4.0 * batch * heads * length * length * dim
                    if causal:
                        flops /= 2
                    print(f"torch_sdpa_{name}/L:{length}/D:{dim}/"
                          f"causal:{causal}  {seconds * 1e3:10.3f} ms  "
                          f"TFLOPS={flops / seconds / 1e12:.1f}")


if __name__ == "__main__":
    main()
