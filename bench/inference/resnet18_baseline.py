#!/usr/bin/python3
"""ResNet18 baseline for bench_inference (Debian's python3-torch + torchvision; never used by the product).

export --workdir W   writes W/resnet18-bundle/{model.pt, manifest.json}: torchvision resnet18 with seeded random
                     weights (3 classes), wrapped so forward returns (logits, layer4 feature map), as a TorchScript
                     file; and W/resnet18_state.pt, the same weights for the eager baseline.
bench --workdir W --threads T --batch B --iters N
                     times the eager torchvision model (eval, inference_mode) on the same weights and prints one
                     JSON line {"images_per_s": ...}.
"""
import argparse
import hashlib
import json
import os
import time

import torch
import torchvision


class WithFeatures(torch.nn.Module):
    """Runs the trunk, then avgpool + fc, returning the logits and the last conv feature map (for Grad-CAM)."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        n = self.net
        x = n.maxpool(n.relu(n.bn1(n.conv1(x))))
        f = n.layer4(n.layer3(n.layer2(n.layer1(x))))
        logits = n.fc(torch.flatten(n.avgpool(f), 1))
        return logits, f


def make_net():
    torch.manual_seed(0)
    net = torchvision.models.resnet18(weights=None, num_classes=3)
    return net.eval()


def export(workdir):
    bundle = os.path.join(workdir, "resnet18-bundle")
    os.makedirs(bundle, exist_ok=True)
    net = make_net()
    torch.save(net.state_dict(), os.path.join(workdir, "resnet18_state.pt"))
    scripted = torch.jit.script(WithFeatures(net).eval())
    model_path = os.path.join(bundle, "model.pt")
    scripted.save(model_path)
    with open(model_path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    lung, medi = {"width": 1500, "level": -600}, {"width": 350, "level": 40}
    manifest = {
        "schema_version": 1,
        "name": "bench-resnet18-random",
        "version": "0.0.0",
        "task": "diagnosis",
        "classes": ["covid", "other_pneumonia", "normal"],
        "architecture": "resnet18",
        "input": {"height": 224, "width": 224,
                  "channels": [{"window": lung}, {"window": medi}, {"window": lung}],
                  "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]},
        "outputs": {"logits": 0, "feature_map": 1},
        "thresholds": {"covid": 0.5},
        "provenance": {"training_data": "none (random weights, benchmark only)", "synthetic": True,
                       "date": time.strftime("%Y-%m-%d"), "metrics": {}},
        "model_sha256": digest,
    }
    with open(os.path.join(bundle, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    print(json.dumps({"bundle": bundle}))


def bench(workdir, threads, batch, iters):
    torch.set_num_threads(threads)
    net = make_net()
    net.load_state_dict(torch.load(os.path.join(workdir, "resnet18_state.pt")))
    net.eval()
    x = torch.randn(batch, 3, 224, 224)
    with torch.inference_mode():
        for _ in range(2):
            net(x)
        start = time.perf_counter()
        for _ in range(iters):
            net(x)
        seconds = time.perf_counter() - start
    print(json.dumps({"images_per_s": batch * iters / seconds, "threads": torch.get_num_threads(),
                      "batch": batch, "iters": iters, "torch": torch.__version__}))


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["export", "bench"])
    p.add_argument("--workdir", required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--iters", type=int, default=10)
    a = p.parse_args()
    if a.mode == "export":
        export(a.workdir)
    else:
        bench(a.workdir, a.threads, a.batch, a.iters)
