#!/usr/bin/env bash
# One idempotent setup for developers and CI (.ci/run). Fast (a few seconds) when everything is already in place.
#   1. npm packages   — `npm ci`, only when node_modules is missing or does not match package-lock.json.
#   2. chromium       — Debian's package, for the Playwright e2e suite (skipped if CHROMIUM_PATH points at one).
#   3. Node WebGPU    — the Vulkan loader (libvulkan1) plus lavapipe (Mesa's CPU Vulkan driver) from bookworm-backports,
#                       unpacked into .vendor/lavapipe so that no system library is upgraded. Debian 12's own lavapipe
#                       (Mesa 22) is refused by Dawn; the backports one (Mesa 25) works. See docs/testing.md.
# python3-torch (only for the optional PyTorch comparison in the benchmarks) is deliberately NOT installed here.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/.vendor"
LAVAPIPE="$VENDOR/lavapipe"
export DEBIAN_FRONTEND=noninteractive

log() { printf '[setup] %s\n' "$*"; }

# apt needs root; use sudo when we are not root. flock serialises apt with other jobs on shared machines.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}
apt_locked() {
  if command -v flock >/dev/null; then as_root flock /tmp/apt.lock apt-get "$@"; else as_root apt-get "$@"; fi
}
APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" -eq 0 ]; then apt_locked update -qq; APT_UPDATED=1; fi
  apt_locked install -y -qq --no-install-recommends "$@"
}
is_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# --- 1. npm packages -------------------------------------------------------------------------------------------
# npm records what it installed in node_modules/.package-lock.json; compare versions with package-lock.json.
node_modules_match_lock() {
  [ -f "$ROOT/node_modules/.package-lock.json" ] || return 1
  node -e '
    const fs = require("fs");
    const lock = JSON.parse(fs.readFileSync(process.argv[1], "utf8")).packages;
    const have = JSON.parse(fs.readFileSync(process.argv[2], "utf8")).packages;
    for (const [path, meta] of Object.entries(lock)) {
      if (path === "" || meta.optional || meta.link) continue;  // optional = platform-specific, may be absent
      if (!have[path] || have[path].version !== meta.version) { console.error("[setup] stale: " + path); process.exit(1); }
    }' "$ROOT/package-lock.json" "$ROOT/node_modules/.package-lock.json"
}
if node_modules_match_lock; then
  log "npm packages: up to date"
else
  log "npm packages: running npm ci"
  (cd "$ROOT" && npm ci --no-audit --no-fund)
fi

# --- 2. chromium -----------------------------------------------------------------------------------------------
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then
  log "chromium: using CHROMIUM_PATH=$CHROMIUM_PATH"
elif command -v chromium >/dev/null; then
  log "chromium: $(command -v chromium)"
else
  log "chromium: installing Debian's chromium"
  apt_install chromium
fi

# --- 3. Node WebGPU: Vulkan loader + lavapipe --------------------------------------------------------------------
if ! ldconfig -p | grep -q 'libvulkan\.so\.1 '; then
  log "vulkan loader: installing libvulkan1"
  apt_install libvulkan1
fi

LVP_LIB="$LAVAPIPE/root/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so"
LVP_ICD="$LAVAPIPE/lvp_icd.x86_64.json"

lavapipe_ready() { [ -f "$LVP_ICD" ] && [ -f "$LVP_LIB" ] && ! ldd "$LVP_LIB" | grep -q 'not found'; }

if [ "$(uname -m)" != "x86_64" ]; then
  log "lavapipe: skipped (only vendored for x86_64); Node webgpu needs a system Vulkan driver here"
elif lavapipe_ready; then
  log "lavapipe: $LVP_ICD"
else
  if [ ! -f "$LVP_LIB" ]; then
    log "lavapipe: downloading mesa-vulkan-drivers from bookworm-backports into .vendor/"
    WORK="$(mktemp -d)"
    trap 'rm -rf "$WORK"' EXIT
    mkdir -p "$WORK/sources.list.d" "$WORK/lists/partial" "$WORK/cache/archives/partial" "$WORK/debs"
    # The machine's own first Debian source, with the backports suite. Used only for this download: the system's apt
    # configuration is untouched.
    awk 'BEGIN { RS = ""; ORS = "\n" } NR == 1 { print }' /etc/apt/sources.list.d/debian.sources \
      | sed 's/^Suites:.*/Suites: bookworm-backports/' >"$WORK/sources.list.d/backports.sources"
    APT_BP=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$WORK/sources.list.d"
            -o "Dir::State::Lists=$WORK/lists" -o "Dir::Cache=$WORK/cache" -o "APT::Sandbox::User=root")
    apt-get "${APT_BP[@]}" update -qq
    (cd "$WORK/debs" && apt-get "${APT_BP[@]}" download -qq mesa-vulkan-drivers)
    rm -rf "$LAVAPIPE/root"
    mkdir -p "$LAVAPIPE/root"
    DEB="$(ls "$WORK"/debs/mesa-vulkan-drivers_*.deb)"
    dpkg-deb -x "$DEB" "$LAVAPIPE/root"
    dpkg-deb -f "$DEB" Depends >"$LAVAPIPE/depends.txt"
    dpkg-deb -f "$DEB" Version >"$LAVAPIPE/version.txt"
  fi
  # Shared libraries lvp links against (libLLVM, libdrm, xcb, ...) come from the system's stable suite; install only
  # the ones that are missing (never upgrades).
  if ldd "$LVP_LIB" | grep -q 'not found'; then
    missing=()
    for pkg in $(tr ',' '\n' <"$LAVAPIPE/depends.txt" | sed 's/(.*)//; s/|.*//; s/ //g'); do
      is_installed "$pkg" || missing+=("$pkg")
    done
    log "lavapipe: installing its missing libraries: ${missing[*]:-(none listed)}"
    [ "${#missing[@]}" -eq 0 ] || apt_install "${missing[@]}"
  fi
  # The ICD manifest, with library_path made absolute.
  sed "s#\"library_path\": *\"[^\"]*\"#\"library_path\": \"$LVP_LIB\"#" \
    "$LAVAPIPE/root/usr/share/vulkan/icd.d/lvp_icd.json" >"$LVP_ICD"
  if lavapipe_ready; then
    log "lavapipe $(cat "$LAVAPIPE/version.txt"): $LVP_ICD"
  else
    ldd "$LVP_LIB" | grep 'not found' >&2 || true
    log "lavapipe: FAILED (libraries still missing, see above)"; exit 1
  fi
fi

log "done"
