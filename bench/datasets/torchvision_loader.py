#!/usr/bin/python3
"""Baseline for bench_datasets: Debian's python3-torch/torchvision loading the same PNG set with a DataLoader
(num_workers=0, one thread): decode (PIL), grey, letterbox resize (bilinear, longer side to SIZE, air padding),
three channels, normalise - the work LungLens's first epoch does per image, done again every epoch as a
Dataset/DataLoader does. Prints one JSON line per epoch: seconds and minor page faults (getrusage)."""
import argparse
import csv
import json
import os
import random
import resource
import time

import torch
import torchvision.transforms.functional as TF
from PIL import Image


class Slices(torch.utils.data.Dataset):
    def __init__(self, csv_path, size):
        root = os.path.dirname(csv_path)
        with open(csv_path) as f:
            self.rows = [(os.path.join(root, r["path"]), r["label"]) for r in csv.DictReader(f)]
        self.size = size
        self.classes = sorted({label for _, label in self.rows})
        # Air (-1000 HU) in the lung window W1500/L-600 is grey 59.5 of 255.
        self.air = 59.5 / 255.0

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        path, label = self.rows[i]
        image = Image.open(path).convert("L")
        w, h = image.size
        scale = min(self.size / w, self.size / h)
        rw, rh = max(1, round(w * scale)), max(1, round(h * scale))
        image = image.resize((rw, rh), Image.BILINEAR)
        x = TF.to_tensor(image)  # [1, rh, rw] in [0, 1]
        left, top = (self.size - rw) // 2, (self.size - rh) // 2
        x = TF.pad(x, [left, top, self.size - rw - left, self.size - rh - top], fill=self.air)
        x = x.expand(3, -1, -1)
        x = TF.normalize(x, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
        return x, self.classes.index(label)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--csv", required=True)
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--epochs", type=int, default=3)
    a = p.parse_args()
    torch.set_num_threads(1)
    data = Slices(a.csv, a.size)
    random.seed(1)
    torch.manual_seed(1)
    loader = torch.utils.data.DataLoader(data, batch_size=a.batch, shuffle=True, num_workers=0)
    for epoch in range(1, a.epochs + 1):
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        t0 = time.perf_counter()
        n = 0
        checksum = 0.0
        for x, y in loader:
            n += x.shape[0]
            checksum += float(x[:, 0, 0, 0].sum())
        seconds = time.perf_counter() - t0
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
        print(json.dumps({"epoch": epoch, "images": n, "seconds": seconds, "minflt": faults}), flush=True)


if __name__ == "__main__":
    main()
