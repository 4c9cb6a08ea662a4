#!/usr/bin/python3
"""Test helper: exports a randomly initialised torchvision model (as export_torchvision.py does) plus the
reference data the C++ parity test compares against (BatchNorm statistics randomised too), all into OUT_DIR:
  <arch>.torchscript.pt, <arch>.state_dict.pt   the two accepted export formats
  <arch>.names.txt     one line per state-dict entry: "name d0xd1x..." (torchvision's names and shapes)
  <arch>.input.f32     float32 little-endian input, shape [2, 3, H, W] (given by --size H W)
  <arch>.logits.f32    float32 logits of model.eval() on that input, shape [2, 1000]
Exit code 3 when torch/torchvision are missing (the C++ test then skips).

Usage: torchvision_parity.py ARCH OUT_DIR [--seed N] [--size H W]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_torchvision  # noqa: E402  (exits 3 without torch)

import torch  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("arch", choices=export_torchvision.ARCHS)
    parser.add_argument("out_dir")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", type=int, nargs=2, default=[128, 160])
    args = parser.parse_args()

    model = export_torchvision.build(args.arch, "NONE", args.seed)
    # Fresh BatchNorm layers are the identity in eval mode; give them real statistics so the parity test
    # exercises them (and random-init MobileNetV2's logits are not ~1e-9).
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.normal_(0.0, 0.1)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.1)
    export_torchvision.export(model, args.arch, args.out_dir)
    prefix = os.path.join(args.out_dir, args.arch)
    with open(prefix + ".names.txt", "w") as f:
        for name, tensor in model.state_dict().items():
            f.write("%s %s\n" % (name, "x".join(str(d) for d in tensor.shape) or "scalar"))
    generator = torch.Generator().manual_seed(args.seed + 1)
    x = torch.randn(2, 3, args.size[0], args.size[1], generator=generator)
    with torch.no_grad():
        logits = model(x)
    x.numpy().astype("<f4").tofile(prefix + ".input.f32")
    logits.numpy().astype("<f4").tofile(prefix + ".logits.f32")


if __name__ == "__main__":
    main()
