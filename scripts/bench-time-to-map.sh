#!/usr/bin/env bash
# The time-to-mAP benchmark (issue 4): train a small scale of each backbone on the bundled vehicle set, on the CPU
# (wasm, one thread), for at most an hour of wall time each, and report the best mAP@0.5 reached.
#   bash scripts/bench-time-to-map.sh [backbone ...]     (default: all four; results in runs/ttm-<backbone>/)
# Never run in CI: it takes up to an hour per backbone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
LIMIT_S="${LIMIT_S:-3600}"
backbones=("$@")
[ "${#backbones[@]}" -gt 0 ] || backbones=(yolov4-csp yolov4-resnet50 yolov4-resnext50 yolov4-se-resnet50)
for b in "${backbones[@]}"; do
  out="runs/ttm-$b"
  start=$SECONDS
  # SIGINT makes `lab train` stop cleanly and keep results.csv and the resume state.
  timeout -s INT "$LIMIT_S" npm run -s lab -- train --model "scripts/time-to-map/$b-128.yaml" --scale n \
    --data vehicles --img 128 --batch 16 --epochs 40 --hyp scripts/time-to-map/hyp.yaml --backend wasm --seed 0 \
    --out "$out" || true
  node -e '
    const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => l.split(","));
    const col = rows[0].indexOf("metrics/mAP_0.5");
    const best = rows.slice(1).reduce((a, r) => (Number(r[col]) > Number(a[col]) ? r : a), rows[1]);
    console.log(`${process.argv[2]}: best mAP@0.5 ${Number(best[col]).toFixed(3)} at epoch ${best[0]} of ${rows.length - 1}, wall ${process.argv[3]} s`);
  ' "$out/results.csv" "$b" "$((SECONDS - start))" | tee -a runs/time-to-map.txt
done
