#!/usr/bin/env python3
"""GPU load for cmd/powercheck: matrix products on cuda, announced on stdout.

steady --busy S --idle S
    prints "ready", then "busy_start", keeps the GPU busy with bf16 matmuls
    for S seconds, prints "busy_end", sleeps S seconds, prints "idle_end".
burst --ms M
    calibrates a burst of matmuls that takes about M ms, prints
    "ready N_MATMULS BURST_MS", then for every "b" line read on stdin runs
    one burst (ending with a device synchronize) and prints "ok MS"; "q"
    or end of input exits.

Every line is flushed at once and printed after torch.cuda.synchronize(),
so the reader's clock marks the GPU work's true edges (to pipe latency).
"""
import argparse
import sys
import time

import torch


def say(*words):
    print(*words, flush=True)


def operands(n):
    a = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    return a, b


def steady(args):
    a, b = operands(8192)
    for _ in range(3):  # warm up cuBLAS outside the measured window
        a @ b
    torch.cuda.synchronize()
    say("ready")
    say("busy_start")
    end = time.monotonic() + args.busy
    while time.monotonic() < end:
        for _ in range(8):
            a @ b
        torch.cuda.synchronize()
    say("busy_end")
    time.sleep(args.idle)
    say("idle_end")


def burst(args):
    a, b = operands(4096)
    for _ in range(10):
        a @ b
    torch.cuda.synchronize()
    t = time.perf_counter()
    for _ in range(200):
        a @ b
    torch.cuda.synchronize()
    per = (time.perf_counter() - t) / 200
    n = max(1, round(args.ms / 1000 / per))
    t = time.perf_counter()
    for _ in range(n):
        a @ b
    torch.cuda.synchronize()
    say("ready", n, "%.3f" % ((time.perf_counter() - t) * 1000))
    for line in sys.stdin:
        if line.strip() != "b":
            break
        t = time.perf_counter()
        for _ in range(n):
            a @ b
        torch.cuda.synchronize()
        say("ok", "%.3f" % ((time.perf_counter() - t) * 1000))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("steady")
    s.add_argument("--busy", type=float, default=10)
    s.add_argument("--idle", type=float, default=10)
    bu = sub.add_parser("burst")
    bu.add_argument("--ms", type=float, default=20)
    args = p.parse_args()
    if not torch.cuda.is_available():
        sys.exit("gpu-load: torch sees no cuda device")
    {"steady": steady, "burst": burst}[args.mode](args)


if __name__ == "__main__":
    main()
