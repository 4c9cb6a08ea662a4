#!/usr/bin/python3
"""Export a torchvision classifier so LungLens (C++, LibTorch 1.13) can start training from its weights.

Writes, into OUT_DIR:
  <arch>.torchscript.pt   torch.jit.script(model) saved with torch.jit.save  (preferred: self-describing)
  <arch>.state_dict.pt    torch.save(dict(model.state_dict()))              (a plain dict: LibTorch's
                          unpickler rejects the OrderedDict-with-_metadata that model.state_dict() is)
Either file is accepted by LungLens's `--init torchvision:<file>`. The essence, for your own fine-tuned model:

    model.eval()
    torch.jit.save(torch.jit.script(model), "model.torchscript.pt")
    torch.save(dict(model.state_dict()), "model.state_dict.pt")

Usage: export_torchvision.py ARCH OUT_DIR [--weights DEFAULT|NONE|PATH] [--seed N]
  ARCH: resnet18 | resnet34 | resnet50 | mobilenet_v2
  --weights DEFAULT: torchvision's ImageNet weights (needs them in the torch hub cache; nothing is downloaded
            unless your machine may), NONE (default): random init with --seed, PATH: a state dict to load first.
"""
import argparse
import os
import sys

try:
    import torch
    import torchvision
except ImportError as e:  # the `python3` on PATH may lack torch; Debian's /usr/bin/python3 has it
    sys.stderr.write("export_torchvision.py: needs torch and torchvision (%s)\n" % e)
    sys.exit(3)

ARCHS = ("resnet18", "resnet34", "resnet50", "mobilenet_v2")


def build(arch, weights, seed):
    torch.manual_seed(seed)
    if weights.upper() == "DEFAULT":
        model = getattr(torchvision.models, arch)(weights="DEFAULT")
    else:
        model = getattr(torchvision.models, arch)()
        if weights.upper() != "NONE":
            model.load_state_dict(torch.load(weights, map_location="cpu"))
    return model.eval()


def export(model, arch, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    torch.jit.save(torch.jit.script(model), os.path.join(out_dir, arch + ".torchscript.pt"))
    torch.save(dict(model.state_dict()), os.path.join(out_dir, arch + ".state_dict.pt"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("arch", choices=ARCHS)
    parser.add_argument("out_dir")
    parser.add_argument("--weights", default="NONE")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    export(build(args.arch, args.weights, args.seed), args.arch, args.out_dir)


if __name__ == "__main__":
    main()
