#!/usr/bin/python3
"""The bare ResNet18 training step in PyTorch on random data, no data pipeline: its rate in a
chosen memory layout, and optionally torch.profiler's table of where the time goes. Used in
docs/performance.md to separate the model's cost from the pipeline's and to see what limits the
model FLOP utilization.
  profile_step.py --width 64 --layout channels-last --threads 2 --steps 2 --profile
"""
import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "python"))
from reference_resnet import resnet18  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--width", type=int, default=16)
    p.add_argument("--layout", choices=["channels-last", "nchw"], default="channels-last")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=10, help="timed steps after 2 warm-up steps")
    p.add_argument("--profile", action="store_true", help="also print torch.profiler's table for one step")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    layout = torch.channels_last if args.layout == "channels-last" else torch.contiguous_format
    net = resnet18(10, args.width).to(memory_format=layout)
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    x = torch.randn(128, 3, 32, 32).contiguous(memory_format=layout)
    y = torch.randint(0, 10, (128,))

    def step():
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(x), y).backward()
        opt.step()

    for _ in range(2):
        step()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    seconds = (time.perf_counter() - start) / args.steps
    print(f"width {args.width}, {args.layout}, {args.threads} threads: {seconds * 1000:.0f} ms a step, "
          f"{128 / seconds:.0f} images/s")
    if args.profile:
        with torch.profiler.profile() as prof:
            step()
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=15))


if __name__ == "__main__":
    main()
