#!/usr/bin/env bash
# The "press Train and it learns" benchmark (issue 12): `lab train` with the lab's defaults, exactly the command a
# new user types, for each backbone and seed; then each run's best weights on a second val set made with another seed,
# so the preset is not tuned to one val set. Two runs at a time (one wasm thread each) fit a 2-core machine.
#   bash scripts/bench-defaults.sh [backbone ...]      (default: all four; SEEDS="0 1", JOBS=2)
# Runs go to runs/defaults-<backbone>-s<seed>/ (train.log inside); the table is printed and appended to
# runs/defaults.txt. Never run in CI: each run takes 20–40 minutes here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SEEDS="${SEEDS:-0 1}"
JOBS="${JOBS:-2}"
all=(yolov4-csp yolov4-resnet50 yolov4-resnext50 yolov4-se-resnet50)
backbones=("$@")
[ "${#backbones[@]}" -gt 0 ] || backbones=("${all[@]}")
mkdir -p runs
second_val=runs/vehicles-val-seed7
[ -f "$second_val/data.yaml" ] || npm run -s lab -- data make-vehicles --out "$second_val" --seed 7 --train 0 --val 200

one_run() {
  local b="$1" seed="$2" out="runs/defaults-$1-s$2"
  [ ! -e "$out" ] || mv "$out" "$out.$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$out"
  npm run -s lab -- train --model "public/models/$b.yaml" --scale n --data vehicles --img 128 --batch 16 --epochs 20 \
    --seed "$seed" --out "$out" > "$out/train.log" 2>&1 || echo "[bench-defaults] $out failed: see $out/train.log"
  [ -f "$out/best.safetensors" ] && npm run -s lab -- val --model "$out/model.yaml" --weights "$out/best.safetensors" \
    --scale n --data "$second_val" --img 128 --json > "$out/val-seed7.json" 2> "$out/val-seed7.log" || true
}

running=0
for b in "${backbones[@]}"; do
  for seed in $SEEDS; do
    one_run "$b" "$seed" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
  done
done
wait
{ date -u '+%F %R UTC'; node scripts/bench-defaults-table.mjs runs/defaults-*-s*/; } | tee -a runs/defaults.txt
