#!/usr/bin/env bash
# The time-to-mAP benchmark: train scale n of each backbone on the bundled vehicle set with the lab's defaults (the
# shipped YAMLs, AutoAnchor, the lab preset; 20 epochs unless EPOCHS says otherwise), on the CPU (wasm, one thread), for
# at most an hour of wall time each, then chart mAP@0.5 against wall time.
#   bash scripts/bench-time-to-map.sh [backbone ...]     (default: all four, one after another)
# Each run goes to runs/ttm-<backbone>/ (results.csv, weights, train.log); an earlier run there is moved aside.
# The chart of every finished run is docs/time-to-map.svg, and its table is appended to runs/time-to-map.txt.
# Never run in CI: it takes up to an hour per backbone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
LIMIT_S="${LIMIT_S:-3600}"
all=(yolov4-csp yolov4-resnet50 yolov4-resnext50 yolov4-se-resnet50)
backbones=("$@")
[ "${#backbones[@]}" -gt 0 ] || backbones=("${all[@]}")
mkdir -p runs
for b in "${backbones[@]}"; do
  out="runs/ttm-$b"
  # `lab train` never overwrites: it would write to runs/ttm-<b>2 instead.
  [ ! -e "$out" ] || mv "$out" "$out.$(date +%Y%m%d-%H%M%S)"
  # SIGINT makes `lab train` stop cleanly and keep results.csv and the resume state.
  # The shipped YAML and the lab's defaults (the lab preset, AutoAnchor), as the page's Quick experiment trains.
  timeout -s INT "$LIMIT_S" npm run -s lab -- train --model "public/models/$b.yaml" --scale n \
    --data vehicles --img 128 --batch 16 --epochs "${EPOCHS:-20}" --backend wasm --seed 0 \
    --out "$out" 2>&1 | tee "runs/ttm-$b.log" || true
  # A run that failed before writing anything has no folder; make one so that its log is kept.
  mkdir -p "$out" && mv "runs/ttm-$b.log" "$out/train.log"
done
finished=()
for b in "${all[@]}"; do [ ! -f "runs/ttm-$b/results.csv" ] || finished+=("runs/ttm-$b"); done
{ date -u '+%F %R UTC'; node scripts/time-to-map/plot.mjs docs/time-to-map.svg "${finished[@]}"; } | tee -a runs/time-to-map.txt
