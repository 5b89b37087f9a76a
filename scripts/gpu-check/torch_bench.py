"""PyTorch's side of the GPU check (scripts/gpu-check.sh): the same models' training step, on CUDA.

The models come from the bench's own PyTorch code: build() of tests/bench/pytorch/train_step.py (the model core's
restatement in scripts/parity/make_fixtures.py, the scale's multiples and nc applied), copied into the pack at the same
relative paths. The step is that file's step too (train-mode forward, its BCE stand-in loss, backward, SGD with
Nesterov momentum); it is restated here because train_step.py's step closes over a CPU batch and its forward timing
does not wait for the GPU. Here every clock read follows a device synchronise.

Writes one JSON document to --out, rewritten after each model, so a run cut short by its time limit keeps what it has.
When torch or CUDA is missing it says "PyTorch CUDA unavailable: <why>" and still writes the document (rows absent),
so our rows print anyway. --device cpu exists for dry runs on machines without a GPU.

Usage: python3 torch_bench.py --train-step PATH --models-dir DIR --models csp,resnet50 --scale l --img 256 --batch 4
       [--steps 5] [--warmup 2] [--device cuda|cpu] [--nc 4] --out FILE
"""
import argparse
import importlib.util
import json
import statistics
import sys
import time
import types

# Short names -> model files, as tests/bench/subjects.ts names them (the pack holds them as JSON).
MODEL_FILES = {
    "csp": "yolov4-csp.json",
    "resnet50": "yolov4-resnet50.json",
    "resnext50": "yolov4-resnext50.json",
    "se-resnet50": "yolov4-se-resnet50.json",
}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--train-step", required=True, help="the pack's copy of tests/bench/pytorch/train_step.py")
    p.add_argument("--models-dir", required=True, help="folder of the model files as JSON")
    p.add_argument("--models", required=True)
    p.add_argument("--scale", default="l")
    p.add_argument("--img", type=int, default=256)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--nc", type=int, default=4)
    p.add_argument("--device", choices=["cuda", "cpu"], default="cuda")
    p.add_argument("--out", required=True)
    args = p.parse_args()
    args.models = [m for m in args.models.split(",") if m]
    unknown = [m for m in args.models if m not in MODEL_FILES]
    if unknown:
        p.error(f"--models: unknown {', '.join(unknown)}; choose from {', '.join(MODEL_FILES)}")
    return args


def load_train_step(path):
    try:
        import yaml  # noqa: F401  (train_step.build reads the model file with yaml.safe_load)
    except ImportError:
        # The model files are JSON, which is YAML: json.load reads them as PyYAML would.
        sys.modules["yaml"] = types.SimpleNamespace(safe_load=json.load)
    spec = importlib.util.spec_from_file_location("train_step", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def torch_or_reason(device):
    """(torch, None) when the device can run, else (torch or None, the reason)."""
    try:
        import torch
    except ImportError as err:
        return None, f"torch does not import in {sys.executable} ({err})"
    if device == "cuda" and not torch.cuda.is_available():
        return torch, f"torch {torch.__version__} sees no CUDA device (built for CUDA {torch.version.cuda})"
    return torch, None


def time_model(torch, train_step, args, model_name):
    cfg = {"model": model_name, "yaml": f"{args.models_dir}/{MODEL_FILES[model_name]}", "scale": args.scale, "nc": args.nc}
    torch.manual_seed(0)
    device = torch.device(args.device)
    model = train_step.build(cfg).to(device).train()
    x = torch.rand(args.batch, 3, args.img, args.img, device=device)
    sync = torch.cuda.synchronize if args.device == "cuda" else (lambda: None)
    step = train_step.sgd_step(model, x)

    for _ in range(args.warmup):
        step()
    sync()
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        step()
        sync()
        times.append((time.perf_counter() - t0) * 1000)
    row = {
        "model": model_name, "scale": args.scale, "img": args.img, "batch": args.batch,
        "train_step_ms": round(statistics.median(times), 1), "step_ms_all": [round(t, 1) for t in times],
        "params": sum(p.numel() for p in model.parameters()),
    }
    if args.device == "cuda":
        row["peak_gpu_bytes"] = torch.cuda.max_memory_allocated()
    del model, step, x
    return row


def main():
    args = parse_args()
    doc = {"device": args.device, "available": False, "reason": None, "rows": []}

    def write():
        with open(args.out, "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")

    torch, reason = torch_or_reason(args.device)
    if reason:
        doc["reason"] = reason
        write()
        print(f"[gpu-check] PyTorch {args.device.upper()} unavailable: {reason}", file=sys.stderr)
        return 0
    doc.update(available=True, torch=torch.__version__, cuda=torch.version.cuda)
    if args.device == "cuda":
        torch.backends.cudnn.benchmark = True  # fixed input size: let cuDNN pick its fastest convs, as training would
        doc.update(gpu=torch.cuda.get_device_name(0), cudnn_benchmark=True,
                   cudnn_allow_tf32=torch.backends.cudnn.allow_tf32, matmul_allow_tf32=torch.backends.cuda.matmul.allow_tf32)
    else:
        doc["threads"] = torch.get_num_threads()
    train_step = load_train_step(args.train_step)
    write()
    for name in args.models:
        print(f"[gpu-check] PyTorch {name} {args.scale} on {args.device}, {args.batch}x{args.img}²...", file=sys.stderr, flush=True)
        try:
            row = time_model(torch, train_step, args, name)
            print(f"[gpu-check] PyTorch {name}: {row['train_step_ms']} ms/step", file=sys.stderr, flush=True)
        except Exception as err:  # one model failing (out of memory, a missing module) leaves the others to run
            row = {"model": name, "scale": args.scale, "img": args.img, "batch": args.batch, "error": f"{type(err).__name__}: {err}"}
            print(f"[gpu-check] PyTorch {name} failed: {row['error']}", file=sys.stderr, flush=True)
        if args.device == "cuda":
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()
        doc["rows"].append(row)
        write()
    return 0


if __name__ == "__main__":
    sys.exit(main())
