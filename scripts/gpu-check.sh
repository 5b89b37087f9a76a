#!/usr/bin/env bash
# The GPU check (issue 13, part 4). Runs from the unpacked pack of scripts/gpu-pack.sh alone, with no network, no root
# and no Node or Chromium on the machine: our WebGPU training step (the bench, on the packed Node 20 + Dawn, on the
# machine's NVIDIA Vulkan driver) and PyTorch's on CUDA for the same models, one table with the ours/PyTorch ratios,
# and gpu-check.json. It stops within --time-limit seconds (6 minutes by default), whatever hangs.
#   tar xzf backbone-lab-gpu.tar.gz && backbone-lab-gpu/gpu-check.sh
# Exit status: 0 when every row of ours ran on a real GPU adapter; 1 when a row is missing; 2 for bad flags or an
# incomplete pack; 3 when there is no usable WebGPU adapter (none, or a fallback one without --allow-fallback).
set -euo pipefail

usage() {
  cat <<'EOF'
usage: gpu-check.sh [options]
  --models LIST      csp,resnet50,resnext50,se-resnet50 (default: all four)
  --scale S          n, s, m or l (default l, the seed's full size)
  --img N            square input size (default 256)
  --batch N          images per step (default 4)
  --steps N          timed steps, median reported (default 5)
  --warmup N         untimed steps first (default 2)
  --allow-fallback   run on a software WebGPU adapter (lavapipe, SwiftShader) instead of refusing it
  --torch-device D   cuda (default) or cpu (dry runs on machines without a GPU)
  --python PATH      the Python with torch (default: python3 on PATH)
  --out DIR          where logs and JSON go (default: ./gpu-check-out)
  --time-limit S     the whole check's limit in seconds (default 360)
  --model-limit S    each of our models' limit in seconds (default 70)
  --torch-limit S    PyTorch's limit for all models together, in seconds (default 60)
  --kernel-limit S   the conv filter-gradient kernels' timing (tfjs vs tiled, GFLOP/s), in seconds (default 40; 0: skip)
EOF
}

PACK="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODELS="csp,resnet50,resnext50,se-resnet50"
SCALE=l IMG=256 BATCH=4 STEPS=5 WARMUP=2
ALLOW_FALLBACK=0 TORCH_DEVICE=cuda PYTHON=python3 OUT="$PWD/gpu-check-out"
TIME_LIMIT=360 MODEL_LIMIT=70 TORCH_LIMIT=60 KERNEL_LIMIT=40
REPORT_RESERVE=10 # seconds kept for the table at the end

die() { printf '[gpu-check] error: %s\n' "$1" >&2; exit "${2:-2}"; }
log() { printf '[gpu-check] %s\n' "$*" >&2; }
need_value() { [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value (see --help)"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --models) need_value "$@"; MODELS="$2"; shift 2 ;;
    --scale) need_value "$@"; SCALE="$2"; shift 2 ;;
    --img) need_value "$@"; IMG="$2"; shift 2 ;;
    --batch) need_value "$@"; BATCH="$2"; shift 2 ;;
    --steps) need_value "$@"; STEPS="$2"; shift 2 ;;
    --warmup) need_value "$@"; WARMUP="$2"; shift 2 ;;
    --allow-fallback) ALLOW_FALLBACK=1; shift ;;
    --torch-device) need_value "$@"; TORCH_DEVICE="$2"; shift 2 ;;
    --python) need_value "$@"; PYTHON="$2"; shift 2 ;;
    --out) need_value "$@"; OUT="$2"; shift 2 ;;
    --time-limit) need_value "$@"; TIME_LIMIT="$2"; shift 2 ;;
    --model-limit) need_value "$@"; MODEL_LIMIT="$2"; shift 2 ;;
    --torch-limit) need_value "$@"; TORCH_LIMIT="$2"; shift 2 ;;
    --kernel-limit) need_value "$@"; KERNEL_LIMIT="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
for pair in "--img:$IMG" "--batch:$BATCH" "--steps:$STEPS" "--warmup:$WARMUP" "--time-limit:$TIME_LIMIT" \
            "--model-limit:$MODEL_LIMIT" "--torch-limit:$TORCH_LIMIT" "--kernel-limit:$KERNEL_LIMIT"; do
  [[ "${pair#*:}" =~ ^[0-9]+$ ]] || die "${pair%%:*} must be a whole number, got '${pair#*:}'"
done
[[ "$SCALE" =~ ^[nsml]$ ]] || die "--scale must be n, s, m or l, got '$SCALE'"
[[ "$TORCH_DEVICE" =~ ^(cuda|cpu)$ ]] || die "--torch-device must be cuda or cpu, got '$TORCH_DEVICE'"
IFS=',' read -r -a MODEL_LIST <<<"$MODELS"
for m in "${MODEL_LIST[@]}"; do
  [[ "$m" =~ ^(csp|resnet50|resnext50|se-resnet50)$ ]] || die "--models: unknown model '$m'; choose from csp, resnet50, resnext50, se-resnet50"
done

# --- the pack --------------------------------------------------------------------------------------------------------
NODE="$PACK/bin/node"
TRAIN_STEP="$(ls "$PACK"/*/*/pytorch/train_step.py 2>/dev/null | head -n 1)"
for f in "$NODE" "$PACK/app/bench/bench.mjs" "$PACK/app/gpu-check/adapter.mjs" \
         "$PACK/node_modules/webgpu/dist/linux-x64/dawn.node" "$PACK/python/torch_bench.py" "$PACK/python/report.py" \
         "$TRAIN_STEP" "$PACK/PACK-INFO.txt"; do
  [ -n "$f" ] && [ -e "$f" ] || die "the pack in $PACK is incomplete: ${f:-pytorch/train_step.py} is missing (rebuild it with scripts/gpu-pack.sh)"
done
[ "$(uname -m)" = x86_64 ] || die "the pack holds x86-64 binaries; this machine is $(uname -m)"
mkdir -p "$OUT"
rm -f "$OUT"/ours-*.json "$OUT"/ours-*.status "$OUT"/ours-*.log "$OUT"/torch.json "$OUT"/torch.log "$OUT"/adapter.json "$OUT"/gpu-check.json
log "$(head -n 2 "$PACK/PACK-INFO.txt" | tr '\n' ' ')"
log "output: $OUT; limit ${TIME_LIMIT} s"
remaining() { echo $((TIME_LIMIT - SECONDS)); }
# Runs "$@" for at most $1 seconds; a run that ignores SIGTERM is killed 5 s later.
limited() { local s="$1"; shift; timeout -k 5 "$s" "$@"; }

# --- the Vulkan loader, unpacked here without root ------------------------------------------------------------------------
VULKAN_ROOT="$OUT/.vulkan"
rm -rf "$VULKAN_ROOT"
mkdir -p "$VULKAN_ROOT"
for deb in "$PACK"/debs/*.deb; do
  if command -v dpkg-deb >/dev/null; then dpkg-deb -x "$deb" "$VULKAN_ROOT"; else "$PYTHON" "$PACK/python/undeb.py" "$deb" "$VULKAN_ROOT"; fi
done
LIBDIR="$VULKAN_ROOT/usr/lib/x86_64-linux-gnu"
[ -e "$LIBDIR/libvulkan.so.1" ] || die "the Vulkan loader did not unpack into $LIBDIR"
# libGLdispatch (libglvnd0) only where the system has none: a system copy belongs with the system's NVIDIA driver.
if ldconfig -p 2>/dev/null | grep -q 'libGLdispatch\.so\.0 '; then
  mkdir -p "$OUT/.vulkan-loader" && rm -f "$OUT/.vulkan-loader"/* && cp -P "$LIBDIR"/libvulkan.so* "$OUT/.vulkan-loader/"
  LIBDIR="$OUT/.vulkan-loader"
fi
export LD_LIBRARY_PATH="$LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# The Vulkan driver: VK_ICD_FILENAMES / VK_DRIVER_FILES when set; else the loader's own search (the NVIDIA driver
# installs nvidia_icd.json under /usr/share or /etc); else, where a container has NVIDIA's library but not its
# manifest, a manifest written here.
if [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ]; then
  icds="$(ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json /usr/local/share/vulkan/icd.d/*.json 2>/dev/null || true)"
  if [ -n "$icds" ]; then
    log "Vulkan drivers: $(echo "$icds" | tr '\n' ' ')"
  elif nv="$(ldconfig -p 2>/dev/null | grep -o '/[^ ]*libGLX_nvidia\.so\.0$' | head -n 1)" && [ -n "$nv" ]; then
    printf '{ "file_format_version": "1.0.0", "ICD": { "library_path": "%s", "api_version": "1.3.0" } }\n' "$nv" >"$OUT/.vulkan/nvidia_icd.json"
    export VK_ICD_FILENAMES="$OUT/.vulkan/nvidia_icd.json"
    log "Vulkan drivers: none installed; wrote $VK_ICD_FILENAMES for $nv"
  else
    log "Vulkan drivers: none found (no icd.d/*.json, no libGLX_nvidia.so.0). In a container, NVIDIA_DRIVER_CAPABILITIES must include 'graphics' (or 'all') for NVIDIA's Vulkan driver to be there."
  fi
else
  log "Vulkan drivers: ${VK_ICD_FILENAMES:-$VK_DRIVER_FILES} (from the environment)"
fi

# --- the adapter: refuse a software one unless asked ---------------------------------------------------------------------
if ! limited 30 "$NODE" "$PACK/app/gpu-check/adapter.mjs" >"$OUT/adapter.json"; then
  die "no WebGPU adapter: Dawn found no usable Vulkan device (see above)" 3
fi
if grep -q '"isFallbackAdapter":true' "$OUT/adapter.json"; then
  [ "$ALLOW_FALLBACK" -eq 1 ] || die "the only WebGPU adapter is a software (fallback) one; this check is for a GPU. Pass --allow-fallback to run on it anyway" 3
  log "fallback adapter allowed (--allow-fallback): these numbers are not a GPU's"
fi

# --- ours: one bench process per model, each within its limit -------------------------------------------------------------
torch_reserve=$((TORCH_LIMIT + KERNEL_LIMIT + REPORT_RESERVE))
for m in "${MODEL_LIST[@]}"; do
  budget=$(($(remaining) - torch_reserve))
  [ "$budget" -gt "$MODEL_LIMIT" ] && budget="$MODEL_LIMIT"
  if [ "$budget" -lt 5 ]; then
    echo "skipped: no time left in the ${TIME_LIMIT} s limit" >"$OUT/ours-$m.status"; log "ours $m: skipped (time)"; continue
  fi
  log "ours $m $SCALE on webgpu, ${BATCH}x${IMG}², limit ${budget} s..."
  set +e
  limited "$budget" "$NODE" "$PACK/app/bench/bench.mjs" --backend webgpu --models "$m" --scale "$SCALE" --img "$IMG" \
    --batch "$BATCH" --steps "$STEPS" --warmup "$WARMUP" --pytorch off --json "$OUT/ours-$m.json" >"$OUT/ours-$m.log" 2>&1
  rc=$?
  set -e
  case "$rc" in
    0) echo ok ;;
    124|137) echo "stopped at its ${budget} s limit" ;;
    *) echo "bench exited with $rc (see ours-$m.log)" ;;
  esac >"$OUT/ours-$m.status"
  log "ours $m: $(cat "$OUT/ours-$m.status")$(grep -o '"train_step_ms": [0-9.]*' "$OUT/ours-$m.json" 2>/dev/null | sed 's/.*: / /; s/$/ ms\/step/' || true)"
done

# --- the conv filter gradient alone: tfjs' kernel vs our tiled one, GFLOP/s on this adapter --------------------------------
budget=$(($(remaining) - TORCH_LIMIT - REPORT_RESERVE))
[ "$budget" -gt "$KERNEL_LIMIT" ] && budget="$KERNEL_LIMIT"
if [ "$budget" -ge 5 ]; then
  log "conv filter gradient, tfjs vs tiled, ${BATCH}x${IMG}², limit ${budget} s..."
  limited "$budget" "$NODE" "$PACK/app/bench/bench.mjs" --backend webgpu --no-models --filter-grad --img "$IMG" \
    --batch "$BATCH" --steps 3 --pytorch off --json "$OUT/filter-grad.json" >"$OUT/filter-grad.log" 2>&1 \
    && sed -n '/filter gradient/,$p' "$OUT/filter-grad.log" >&2 || log "filter-gradient timing stopped early (see filter-grad.log)"
fi

# --- PyTorch on CUDA, all models in one process ---------------------------------------------------------------------------
budget=$(($(remaining) - REPORT_RESERVE))
[ "$budget" -gt "$TORCH_LIMIT" ] && budget="$TORCH_LIMIT"
if [ "$budget" -ge 5 ] && command -v "$PYTHON" >/dev/null; then
  log "PyTorch on $TORCH_DEVICE ($PYTHON), limit ${budget} s..."
  limited "$budget" "$PYTHON" "$PACK/python/torch_bench.py" --train-step "$TRAIN_STEP" --models-dir "$PACK/models-json" \
    --models "$MODELS" --scale "$SCALE" --img "$IMG" --batch "$BATCH" --steps "$STEPS" --warmup "$WARMUP" \
    --device "$TORCH_DEVICE" --out "$OUT/torch.json" 2> >(tee "$OUT/torch.log" >&2) || log "PyTorch stopped early (exit $?); its finished rows are kept"
else
  log "PyTorch ${TORCH_DEVICE^^} unavailable: $(command -v "$PYTHON" >/dev/null && echo "no time left" || echo "no $PYTHON here")"
fi

# --- the table ------------------------------------------------------------------------------------------------------------
settings="$(printf '{"scale":"%s","img":%d,"batch":%d,"steps":%d,"warmup":%d,"allow_fallback":%s,"torch_device":"%s","time_limit_s":%d,"model_limit_s":%d,"torch_limit_s":%d}' \
  "$SCALE" "$IMG" "$BATCH" "$STEPS" "$WARMUP" "$([ "$ALLOW_FALLBACK" -eq 1 ] && echo true || echo false)" "$TORCH_DEVICE" \
  "$TIME_LIMIT" "$MODEL_LIMIT" "$TORCH_LIMIT")"
echo
"$PYTHON" "$PACK/python/report.py" --dir "$OUT" --models "$MODELS" --settings "$settings" --pack-info "$PACK/PACK-INFO.txt"
log "done in ${SECONDS} s"
grep -qv '^ok$' "$OUT"/ours-*.status && exit 1
exit 0
