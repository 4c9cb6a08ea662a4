#!/usr/bin/python3
"""Baseline for bench_train_vs_pytorch: Debian's python3-torch/torchvision (eager, CPU) doing what LungLens's trainer
does, with the same thread count, batch and optimiser.

  --mode step:  torchvision's mobilenet_v2 / resnet18 (random init, head replaced by one with 3 outputs, train
                mode), AdamW (lr 3e-4, weight decay 1e-4: the trainer's defaults); after --warmup steps, --steps
                timed steps of zero_grad + forward + cross-entropy + backward + step on one random batch
                [batch, 3, size, size]. One JSON line per timed step: wall and CPU seconds, minor page faults.
  --mode epoch: the same step over a whole epoch of the preprocessed slices in --images (raw uint8
                [N, 3, size, size], written by the C++ side from LungLens's slice cache) and --labels (int64 [N]),
                through a Dataset + DataLoader (num_workers 0, shuffle, batch; byte / 255, ImageNet normalisation,
                random left-right flip); one warm-up epoch of --warmup batches first. One JSON line per epoch.
Run with /usr/bin/python3 (the python3 on PATH may have no torch)."""
import argparse
import json
import resource
import time

import torch
import torch.nn.functional as F
import torchvision


def minflt():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def cpu():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def make_net(arch, classes):
    if arch == "mobilenet_v2":
        net = torchvision.models.mobilenet_v2(weights=None)
        in_features = net.classifier[1].in_features
        net.classifier[1] = torch.nn.Linear(in_features, classes)
        torch.nn.init.normal_(net.classifier[1].weight, 0, 0.01)
        torch.nn.init.zeros_(net.classifier[1].bias)
    elif arch == "resnet18":
        net = torchvision.models.resnet18(weights=None)
        net.fc = torch.nn.Linear(net.fc.in_features, classes)
    else:
        raise SystemExit("unknown architecture " + arch)
    net.train()
    return net


class CachedSlices(torch.utils.data.Dataset):
    """The preprocessed slices as the C++ side exported them: byte / 255, ImageNet normalisation, random flip."""

    def __init__(self, images, labels, size):
        self.labels = torch.from_file(labels, dtype=torch.int64, size=_count(labels, 8))
        n = self.labels.numel()
        self.images = torch.from_file(images, dtype=torch.uint8, size=n * 3 * size * size).view(n, 3, size, size)
        self.mean = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
        self.std = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)

    def __len__(self):
        return self.labels.numel()

    def __getitem__(self, i):
        x = (self.images[i].float() / 255.0 - self.mean) / self.std
        if torch.rand(()) < 0.5:
            x = x.flip(2)
        return x, self.labels[i]


def _count(path, item):
    import os
    return os.path.getsize(path) // item


def step_fn(net, optimizer):
    def step(x, y):
        optimizer.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        optimizer.step()
        return loss
    return step


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", choices=["step", "epoch"], default="step")
    p.add_argument("--arch", required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--images")
    p.add_argument("--labels")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    net = make_net(a.arch, 3)
    optimizer = torch.optim.AdamW(net.parameters(), lr=3e-4, weight_decay=1e-4)
    step = step_fn(net, optimizer)
    if a.mode == "step":
        x = torch.randn(a.batch, 3, a.size, a.size)
        y = torch.randint(0, 3, (a.batch,))
        for _ in range(a.warmup):
            step(x, y)
        for i in range(a.steps):
            f0, c0, t0 = minflt(), cpu(), time.perf_counter()
            step(x, y)
            print(json.dumps({"step": i, "seconds": time.perf_counter() - t0, "cpu": cpu() - c0,
                              "minflt": minflt() - f0,
                              "threads": torch.get_num_threads()}), flush=True)
        return
    data = CachedSlices(a.images, a.labels, a.size)
    loader = torch.utils.data.DataLoader(data, batch_size=a.batch, shuffle=True, num_workers=0)
    for i, (x, y) in enumerate(loader):  # warm-up: allocator, oneDNN primitives for this batch shape
        if i >= a.warmup:
            break
        step(x, y)
    f0, c0, t0 = minflt(), cpu(), time.perf_counter()
    n = 0
    for x, y in loader:
        step(x, y)
        n += x.shape[0]
    print(json.dumps({"epoch": 1, "images": n, "seconds": time.perf_counter() - t0, "cpu": cpu() - c0,
                      "minflt": minflt() - f0, "threads": torch.get_num_threads()}), flush=True)


if __name__ == "__main__":
    main()
