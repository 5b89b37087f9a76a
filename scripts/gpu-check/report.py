"""The GPU check's table (scripts/gpu-check.sh): our WebGPU rows next to PyTorch's, with the ours/PyTorch ratio.

Reads what the check left in --dir: adapter.json (the WebGPU adapter), ours-<model>.json (one `npm run bench`
document per model) with ours-<model>.status (ok, or why there is no row: a time limit, an exit code), and torch.json
(torch_bench.py). Prints one table and writes gpu-check.json, which holds all of them.

Usage: python3 report.py --dir DIR --models csp,resnet50 --settings '<json>' --pack-info PACK-INFO.txt
"""
import argparse
import json
import os


def read_json(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def read_text(path, default):
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return f.read().strip() or default


def fmt(value, digits=1):
    return "-" if value is None else f"{value:.{digits}f}"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dir", required=True)
    p.add_argument("--models", required=True)
    p.add_argument("--settings", required=True, help="the check's settings and limits, as JSON")
    p.add_argument("--pack-info", required=True, help="the pack's PACK-INFO.txt (what was built, from which commit)")
    args = p.parse_args()
    models = [m for m in args.models.split(",") if m]
    adapter = read_json(os.path.join(args.dir, "adapter.json"))
    torch_doc = read_json(os.path.join(args.dir, "torch.json")) or {"available": False, "reason": "torch_bench.py wrote nothing (time limit?)", "rows": []}
    torch_rows = {r["model"]: r for r in torch_doc.get("rows", [])}

    rows, ours_docs = [], []
    for model in models:
        doc = read_json(os.path.join(args.dir, f"ours-{model}.json"))
        status = read_text(os.path.join(args.dir, f"ours-{model}.status"), "not run")
        ours = doc["results"][0] if doc and doc.get("results") else None
        if doc:
            ours_docs.append(doc)
        theirs = torch_rows.get(model)
        ours_ms = ours.get("train_step_ms") if ours and not ours.get("error") else None
        torch_ms = theirs.get("train_step_ms") if theirs else None
        rows.append({
            "model": model,
            "ours": ours,
            "ours_status": status if ours is None or ours.get("error") is None else f"error: {ours['error']}",
            "pytorch": theirs,
            "ours_over_pytorch": round(ours_ms / torch_ms, 2) if ours_ms and torch_ms else None,
        })

    settings = json.loads(args.settings)
    device = torch_doc.get("device", "cuda")
    if adapter:
        name = " ".join(x for x in (adapter.get("vendor"), adapter.get("architecture"), adapter.get("device") or adapter.get("description")) if x)
        print(f"WebGPU adapter: {name}{' (FALLBACK adapter: not a GPU)' if adapter.get('isFallbackAdapter') else ''}")
    if torch_doc.get("available"):
        where = torch_doc.get("gpu") or f"CPU, {torch_doc.get('threads')} threads"
        print(f"PyTorch {torch_doc.get('torch')} on {device} ({where})")
    else:
        print(f"PyTorch {device.upper()} unavailable: {torch_doc.get('reason')}")
    print(f"scale {settings['scale']}, {settings['batch']}x{settings['img']}², median of {settings['steps']} steps after {settings['warmup']} warm-up\n")

    header = ["model", "ours step ms", "ours fwd ms", "dispatches", "kernels", "upload KB", f"PyTorch {device} step ms", "ours/PyTorch", "note"]
    table = []
    for r in rows:
        ours, theirs = r["ours"] or {}, r["pytorch"] or {}
        notes = [] if r["ours_status"] == "ok" else [f"ours: {r['ours_status']}"]
        if theirs.get("error"):
            notes.append(f"PyTorch: {theirs['error']}")
        if ours.get("params") and theirs.get("params") and ours["params"] != theirs["params"]:
            notes.append(f"params differ: {ours['params']} vs {theirs['params']}")
        table.append([
            r["model"],
            fmt(ours.get("train_step_ms")),
            fmt(ours.get("forward_ms")),
            str(ours.get("dispatches_per_step", "-")),
            str(ours.get("kernels_per_step", "-")),
            "-" if ours.get("upload_bytes_per_step") is None else str(round(ours["upload_bytes_per_step"] / 1024)),
            fmt(theirs.get("train_step_ms")),
            fmt(r["ours_over_pytorch"], 2),
            "; ".join(notes),
        ])
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in table:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())

    out = {
        "settings": settings,
        "pack": read_text(args.pack_info, None),
        "adapter": adapter,
        "rows": rows,
        "pytorch": {k: v for k, v in torch_doc.items() if k != "rows"},
        "ours_documents": ours_docs,
    }
    path = os.path.join(args.dir, "gpu-check.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(f"\n[gpu-check] wrote {path}")


if __name__ == "__main__":
    main()
