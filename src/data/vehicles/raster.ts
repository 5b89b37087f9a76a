/**
 * A tiny anti-aliased rasteriser for the synthetic vehicle set. Shapes are signed distance functions (negative
 * inside); a pixel's coverage is clamp(0.5 − distance, 0, 1) at its centre. Only +, −, ×, ÷ and sqrt are used, all
 * exactly rounded in IEEE arithmetic, so the pictures are bit-identical in every JS engine.
 */
export type Color = readonly [number, number, number];

export interface Shape {
  /** Pixel bounds x0, y0, x1, y1 (the shape lies inside). */
  bounds: readonly [number, number, number, number];
  /** Signed distance in pixels from (x, y) to the outline, negative inside. */
  distance(x: number, y: number): number;
}

export class Canvas {
  readonly data: Float32Array;

  /**
   * `paints` false makes a layout-only canvas: every drawing call is skipped (no pixels), while the scene code still
   * draws its random numbers in the same order, so the boxes come out the same, many times faster.
   */
  constructor(readonly width: number, readonly height: number, readonly paints = true) {
    this.data = new Float32Array(paints ? width * height * 3 : 0);
  }

  /** Paints a shape with a colour at the given opacity. */
  fill(shape: Shape, color: Color, opacity = 1): void {
    if (!this.paints) return;
    const [bx0, by0, bx1, by1] = shape.bounds;
    const x0 = Math.max(0, Math.floor(bx0) - 1), y0 = Math.max(0, Math.floor(by0) - 1);
    const x1 = Math.min(this.width - 1, Math.ceil(bx1) + 1), y1 = Math.min(this.height - 1, Math.ceil(by1) + 1);
    const d = this.data;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const coverage = Math.min(1, Math.max(0, 0.5 - shape.distance(x + 0.5, y + 0.5))) * opacity;
        if (coverage <= 0) continue;
        const p = (y * this.width + x) * 3;
        d[p] += (color[0] - d[p]) * coverage;
        d[p + 1] += (color[1] - d[p + 1]) * coverage;
        d[p + 2] += (color[2] - d[p + 2]) * coverage;
      }
    }
  }

  /** RGB bytes (rounded, clamped). */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.data.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(this.data[i])));
    return out;
  }
}

/** Axis-aligned box with rounded corners of radius r. */
export function roundedRect(x0: number, y0: number, x1: number, y1: number, r = 0): Shape {
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const hx = (x1 - x0) / 2, hy = (y1 - y0) / 2;
  const radius = Math.max(0, Math.min(r, hx, hy));
  return {
    bounds: [x0, y0, x1, y1],
    distance(x, y) {
      const qx = Math.abs(x - cx) - (hx - radius);
      const qy = Math.abs(y - cy) - (hy - radius);
      const ox = Math.max(qx, 0), oy = Math.max(qy, 0);
      return Math.sqrt(ox * ox + oy * oy) + Math.min(Math.max(qx, qy), 0) - radius;
    },
  };
}

export function circle(cx: number, cy: number, r: number): Shape {
  return {
    bounds: [cx - r, cy - r, cx + r, cy + r],
    distance(x, y) {
      const dx = x - cx, dy = y - cy;
      return Math.sqrt(dx * dx + dy * dy) - r;
    },
  };
}

/** A thick line segment with round ends (limbs, frames, poles). */
export function capsule(ax: number, ay: number, bx: number, by: number, r: number): Shape {
  const vx = bx - ax, vy = by - ay;
  const len2 = vx * vx + vy * vy || 1;
  return {
    bounds: [Math.min(ax, bx) - r, Math.min(ay, by) - r, Math.max(ax, bx) + r, Math.max(ay, by) + r],
    distance(x, y) {
      const t = Math.min(1, Math.max(0, ((x - ax) * vx + (y - ay) * vy) / len2));
      const dx = x - ax - t * vx, dy = y - ay - t * vy;
      return Math.sqrt(dx * dx + dy * dy) - r;
    },
  };
}

/** Convex polygon (points in either winding); the distance is the largest edge-line distance, exact enough for AA. */
export function polygon(points: ReadonlyArray<readonly [number, number]>): Shape {
  let area = 0;
  for (let i = 0; i < points.length; i++) {
    const [x0, y0] = points[i], [x1, y1] = points[(i + 1) % points.length];
    area += x0 * y1 - x1 * y0;
  }
  const sign = area > 0 ? 1 : -1;
  const edges = points.map(([x0, y0], i) => {
    const [x1, y1] = points[(i + 1) % points.length];
    const len = Math.sqrt((x1 - x0) ** 2 + (y1 - y0) ** 2) || 1;
    // outward normal for the polygon's winding
    return { x0, y0, nx: (sign * (y1 - y0)) / len, ny: (sign * -(x1 - x0)) / len };
  });
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  return {
    bounds: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
    distance(x, y) {
      let d = -Infinity;
      for (const e of edges) d = Math.max(d, (x - e.x0) * e.nx + (y - e.y0) * e.ny);
      return d;
    },
  };
}

/** HSV (h in 0..6 sextants, s and v in 0..1) → RGB 0..255, arithmetic only. */
export function hsvColor(h: number, s: number, v: number): Color {
  const sector = Math.floor(h) % 6;
  const f = h - Math.floor(h);
  const p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
  const rgb = [[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v], [v, p, q]][sector];
  return [rgb[0] * 255, rgb[1] * 255, rgb[2] * 255];
}

export function mix(a: Color, b: Color, t: number): Color {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}
