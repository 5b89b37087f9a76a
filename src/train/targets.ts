/**
 * build_targets of ScaledYOLOv4 ([SL] utils/general.py, 'rect4' style), in plain JS on the CPU: the targets of a
 * batch are few, and their rows already live in CPU memory, so assignment needs no GPU readback.
 *
 * Per Detect level:
 * 1. targets are scaled to the level's grid, anchors are in grid units (pixels / stride);
 * 2. a (target, anchor) pair is kept when max(w_t/w_a, w_a/w_t, h_t/h_a, h_a/h_t) < anchor_t (a shape-ratio rule);
 * 3. besides the centre cell, the left (frac x < 0.5) or right (frac x > 0.5) cell and the top or bottom cell are
 *    positives too (g = 0.5), unless the centre is within one cell of the grid border;
 * 4. cell indices are clamped to the grid, and the box target is (gxy − cell, gwh).
 *
 * Clamping: [SL] clamps to n (an index one past the grid for a box touching the right/bottom edge, which cannot be
 * indexed), [SC] to n − 1. We clamp to n − 1, the only valid index; like the source, the xy offset is taken from the
 * clamped cell. Rows are ordered as the source concatenates them (anchor-major centre rows, then the left, top, right
 * and bottom neighbours), which decides "last write wins" for the objectness target.
 */

/** Targets of one level, one row per positive (image, anchor, cell). */
export interface LevelTargets {
  count: number;
  /** The target row each positive came from (what the Learn tab's assignment view draws it for). */
  target: Int32Array;
  /** Whether the positive is the box centre's own cell (0, 0) or a neighbour taken by the ±0.5 rule. */
  neighbour: Uint8Array;
  image: Int32Array;
  anchor: Int32Array;
  gridY: Int32Array;
  gridX: Int32Array;
  cls: Int32Array;
  /** Rows of 4: (x − gi, y − gj, w, h), grid units. */
  box: Float32Array;
  /** Rows of 2: the assigned anchor's (w, h) in grid units. */
  anchorWh: Float32Array;
  /** Row-major index into the level output's first four axes [N, na, ny, nx]. */
  flatIndex: Int32Array;
}

export interface TargetLevelSpec {
  ny: number;
  nx: number;
  /** The level's anchors in grid units (pixels / stride). */
  anchors: readonly (readonly [number, number])[];
}

/** g: how far from the cell centre a neighbour cell becomes a positive too. */
const NEIGHBOUR_G = 0.5;

/** Neighbour offsets in the source's order: left, top, right, bottom (dx, dy added to the cell). */
const NEIGHBOURS: readonly (readonly [number, number])[] = [
  [-1, 0],
  [0, -1],
  [1, 0],
  [0, 1],
];

interface Candidate {
  target: number;
  anchor: number;
  dx: number;
  dy: number;
}

function clampIndex(v: number, n: number): number {
  return Math.min(Math.max(v, 0), n - 1);
}

/** Whether a neighbour cell (dx, dy) of a centre at grid (gx, gy) is a positive too ('rect4' rule). */
function neighbourTaken(dx: number, dy: number, gx: number, gy: number, nx: number, ny: number): boolean {
  const g = NEIGHBOUR_G;
  if (dx === -1) return gx % 1 < g && gx > 1;
  if (dy === -1) return gy % 1 < g && gy > 1;
  if (dx === 1) return gx % 1 > 1 - g && gx < nx - 1;
  return gy % 1 > 1 - g && gy < ny - 1;
}

/**
 * Assigns `numTargets` rows of (imageIndex, class, cx, cy, w, h) (normalised) to one level's anchors and cells.
 */
export function buildLevelTargets(
  targets: Float32Array,
  numTargets: number,
  level: TargetLevelSpec,
  anchorT: number,
): LevelTargets {
  const { nx, ny, anchors } = level;
  const na = anchors.length;
  const matched: Candidate[] = [];
  for (let a = 0; a < na; a++) {
    const [aw, ah] = anchors[a];
    for (let t = 0; t < numTargets; t++) {
      const w = targets[t * 6 + 4] * nx;
      const h = targets[t * 6 + 5] * ny;
      const ratio = Math.max(w / aw, aw / w, h / ah, ah / h);
      if (ratio < anchorT) matched.push({ target: t, anchor: a, dx: 0, dy: 0 });
    }
  }
  const rows: Candidate[] = [...matched];
  for (const [dx, dy] of NEIGHBOURS) {
    for (const m of matched) {
      const gx = targets[m.target * 6 + 2] * nx;
      const gy = targets[m.target * 6 + 3] * ny;
      if (neighbourTaken(dx, dy, gx, gy, nx, ny)) rows.push({ ...m, dx, dy });
    }
  }
  return toLevelTargets(rows, targets, level);
}

function toLevelTargets(rows: Candidate[], targets: Float32Array, level: TargetLevelSpec): LevelTargets {
  const { nx, ny, anchors } = level;
  const na = anchors.length;
  const n = rows.length;
  const out: LevelTargets = {
    count: n,
    target: new Int32Array(n),
    neighbour: new Uint8Array(n),
    image: new Int32Array(n),
    anchor: new Int32Array(n),
    gridY: new Int32Array(n),
    gridX: new Int32Array(n),
    cls: new Int32Array(n),
    box: new Float32Array(n * 4),
    anchorWh: new Float32Array(n * 2),
    flatIndex: new Int32Array(n),
  };
  rows.forEach((row, r) => {
    const base = row.target * 6;
    const gx = targets[base + 2] * nx;
    const gy = targets[base + 3] * ny;
    const gi = clampIndex(Math.floor(gx) + row.dx, nx);
    const gj = clampIndex(Math.floor(gy) + row.dy, ny);
    const b = targets[base];
    out.target[r] = row.target;
    out.neighbour[r] = row.dx !== 0 || row.dy !== 0 ? 1 : 0;
    out.image[r] = b;
    out.anchor[r] = row.anchor;
    out.gridX[r] = gi;
    out.gridY[r] = gj;
    out.cls[r] = targets[base + 1];
    out.box.set([gx - gi, gy - gj, targets[base + 4] * nx, targets[base + 5] * ny], r * 4);
    out.anchorWh.set(anchors[row.anchor], r * 2);
    out.flatIndex[r] = ((b * na + row.anchor) * ny + gj) * nx + gi;
  });
  return out;
}

/**
 * For the objectness target: positives that share a (image, anchor, cell) are written in row order and the last
 * write wins, so keep only the last row of each flat index. Returns the kept rows and their flat indices.
 */
export function lastWriteRows(flatIndex: Int32Array): { rows: Int32Array; flatIndex: Int32Array } {
  const lastRowOf = new Map<number, number>();
  flatIndex.forEach((index, row) => lastRowOf.set(index, row));
  const rows = Int32Array.from([...lastRowOf.values()].sort((p, q) => p - q));
  return { rows, flatIndex: rows.map((row) => flatIndex[row]) };
}
