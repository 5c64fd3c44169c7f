"""The Python pipeline bgm is measured against: PyTorch + torchvision written as the reference
implementation's scripts are (PAPER.md): the training set held in memory as uint8 arrays, every
image turned into a PIL image and transformed on its own (RandomCrop(32, padding=4),
RandomHorizontalFlip, ToTensor, Normalize) inside a DataLoader with no worker processes, the
same ResNet18 as bgm (tests/python/reference_resnet.py), SGD with batch 128.

One task per process, so that the harness (bench/run) reads each task's own peak memory:
  python_pipeline.py train --data D --width W [--steps S] [--precision bf16] [--threads T]
  python_pipeline.py eval  --data D --width W
  python_pipeline.py alg1  --data D --replicas R
D is the prefix of the .npy files `bgm_bench export` wrote (the very bytes bgm trains on).
Prints one JSON object on stdout.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torchvision.transforms as T
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "python"))
from reference_resnet import CIFAR10_MEAN, CIFAR10_STD, resnet18  # noqa: E402

BATCH = 128
WARMUP_STEPS = 2  # first steps build oneDNN primitives; bgm's side skips as many


class InMemoryCifar(torch.utils.data.Dataset):
    """As torchvision.datasets.CIFAR10 serves images: uint8 HWC array -> PIL -> transform."""

    def __init__(self, images, labels, transform):
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.transform(Image.fromarray(self.images[i])), int(self.labels[i])


def load(prefix, split):
    return np.load(f"{prefix}.{split}_images.npy"), np.load(f"{prefix}.{split}_labels.npy")


def autocast(precision):
    if precision == "bf16":
        return torch.autocast("cpu", dtype=torch.bfloat16)
    return torch.autocast("cpu", enabled=False)


def train(args):
    images, labels = load(args.data, "train")
    transform = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), T.ToTensor(),
                           T.Normalize(CIFAR10_MEAN, CIFAR10_STD)])
    loader = torch.utils.data.DataLoader(InMemoryCifar(images, labels, transform), batch_size=BATCH,
                                         shuffle=True, num_workers=0, drop_last=True)  # as bgm: 78 x 128
    net = resnet18(10, args.width)
    net.train()
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step(x, y):
        opt.zero_grad()
        with autocast(args.precision):
            out = net(x)
        loss = loss_fn(out.float(), y)
        loss.backward()
        opt.step()
        return loss.item(), out.max(1)[1].eq(y).sum().item()

    batches = iter(loader)
    for _ in range(WARMUP_STEPS):
        step(*next(batches))
    # The timed part: a whole epoch (a fresh pass over the loader), or `steps` steps of it.
    start = time.perf_counter()
    seen = steps = 0
    for x, y in loader:
        step(x, y)
        seen += len(y)
        steps += 1
        if args.steps and steps == args.steps:
            break
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "images": seen, "steps": steps, "images_per_second": seen / seconds}


def evaluate(args):
    images, labels = load(args.data, "test")
    transform = T.Compose([T.ToTensor(), T.Normalize(CIFAR10_MEAN, CIFAR10_STD)])
    loader = torch.utils.data.DataLoader(InMemoryCifar(images, labels, transform), batch_size=BATCH,
                                         shuffle=False, num_workers=0)
    net = resnet18(10, args.width)
    net.eval()
    with torch.no_grad(), autocast(args.precision):
        net(next(iter(loader))[0])  # warm-up, as bgm's side does
        start = time.perf_counter()
        correct = 0
        for x, y in loader:
            correct += net(x).float().max(1)[1].eq(y).sum().item()
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "images": len(labels), "images_per_second": len(labels) / seconds}


def algorithm1(args):
    """Algorithm 1 as a NumPy script writes it: R stored copies per image, each with
    floor(3072 * 0.1) distinct entries zeroed, and a uniform random label per copy."""
    images, _ = load(args.data, "train")
    rng = np.random.default_rng(args.seed)
    k = int(3072 * args.zero_out + 1e-9)
    start = time.perf_counter()
    copies = np.repeat(images, args.replicas, axis=0).reshape(len(images) * args.replicas, -1)
    for row in copies:
        row[rng.choice(3072, k, replace=False)] = 0
    random_labels = rng.integers(0, 10, len(copies))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "images": len(copies), "labels": int(random_labels.size)}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("task", choices=["train", "eval", "alg1"])
    p.add_argument("--data", required=True)
    p.add_argument("--width", type=int, default=16)
    p.add_argument("--steps", type=int, default=0, help="timed steps (0: one whole epoch)")
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: PyTorch's default)")
    p.add_argument("--replicas", type=int, default=10)
    p.add_argument("--zero-out", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    torch.manual_seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    result = {"train": train, "eval": evaluate, "alg1": algorithm1}[args.task](args)
    result.update(task=args.task, threads=torch.get_num_threads(), torch=torch.__version__)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
