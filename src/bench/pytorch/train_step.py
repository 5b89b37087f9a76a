"""Times a PyTorch (CPU) training step of the same model the tfjs benchmark runs, for the ours/PyTorch ratio.

Usage: /usr/bin/python3 train_step.py '<json>' with keys model, yaml, scale, img, batch, steps, warmup, nc, threads.
Prints one JSON line: {"train_step_ms", "forward_ms", "threads", "torch", "params"}.

The step is forward (train mode), a loss, backward and an SGD update with momentum, on a fixed random batch. The
loss is a light stand-in for YOLO's (BCE on every output): the YOLO loss is a small part of a step next to the convs.
Models: "probe" (the net of src/bench/probe-model.ts, built here) or a YAML model of public/models, built by the
model core's PyTorch restatement of ScaledYOLOv4 + the seed's resLayer/seresLayer (scripts/parity/make_fixtures.py,
its Model(cfg)), with the scale's depth/width multiples and nc applied as the lab's buildModel does.
"""
import json
import os
import statistics
import sys
import time

import torch
import torch.nn as nn


class Probe(nn.Module):
    """Same layers as src/bench/probe-model.ts: five 3x3/2 convs (16..128) with SiLU, 1x1 heads at P3/P4/P5."""

    def __init__(self, nc):
        super().__init__()
        chans = [3, 16, 32, 64, 128, 128]
        self.trunk = nn.ModuleList(nn.Conv2d(chans[i], chans[i + 1], 3, 2, 1) for i in range(5))
        self.heads = nn.ModuleList(nn.Conv2d(c, 3 * (nc + 5), 1) for c in (64, 128, 128))
        self.no = nc + 5

    def forward(self, x):
        feats = []
        for conv in self.trunk:
            x = nn.functional.silu(conv(x))
            feats.append(x)
        outs = []
        for head, f in zip(self.heads, feats[2:]):
            y = head(f)
            n, _, ny, nx = y.shape
            outs.append(y.view(n, 3, self.no, ny, nx).permute(0, 1, 3, 4, 2).contiguous())
        return outs


# (depth_multiple, width_multiple) of the named scales, as src/model/scale.ts defines them.
SCALES = {"n": (0.33, 0.25), "s": (0.33, 0.5), "m": (0.67, 0.75), "l": (1.0, 1.0)}


def build(cfg):
    if cfg["model"] == "probe":
        return Probe(cfg["nc"])
    import yaml

    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    sys.path.insert(0, os.path.join(root, "scripts", "parity"))
    sys.dont_write_bytecode = True  # no __pycache__ in the model core's folder
    import make_fixtures  # noqa: E402  (the model core's PyTorch modules, same YAML rows)

    with open(cfg["yaml"]) as f:
        d = yaml.safe_load(f)
    d["nc"] = cfg["nc"]
    d["depth_multiple"], d["width_multiple"] = SCALES[cfg["scale"]]
    return make_fixtures.Model(d)


def sgd_step(model, x):
    """The timed work: forward, BCE of every Detect output against zeros, backward, one nesterov SGD update."""
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.937, nesterov=True)
    bce = nn.BCEWithLogitsLoss()

    def step():
        outs = model(x)
        loss = sum(bce(o, torch.zeros_like(o)) for o in outs)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    return step


def main():
    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(int(cfg.get("threads") or os.cpu_count() or 1))
    torch.manual_seed(0)
    model = build(cfg).train()
    x = torch.rand(cfg["batch"], 3, cfg["img"], cfg["img"])
    sgd = sgd_step(model, x)

    def step():
        return sgd().item()

    def forward():
        with torch.no_grad():
            model.eval()
            model(x)
            model.train()

    def timed(fn):
        for _ in range(cfg["warmup"]):
            fn()
        times = []
        for _ in range(cfg["steps"]):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times)

    result = {"forward_ms": timed(forward), "train_step_ms": timed(step)}
    params = sum(p.numel() for p in model.parameters())
    result.update(threads=torch.get_num_threads(), torch=torch.__version__, params=params)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
