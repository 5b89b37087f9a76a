/**
 * Textured backgrounds for the synthetic set: a street (sky gradient, buildings, trees and poles as distractors, a
 * noisy asphalt road with lane marks) or a plain noise field. Distractors are boxy or round on purpose, so a detector
 * has to learn the vehicles' part layout rather than "a rectangle".
 */
import type { Random } from '../random.js';
import { capsule, circle, hsvColor, mix, roundedRect, type Canvas, type Color } from './raster.js';

/** Adds smooth value noise (lattice spacing `cell` px, amplitude ±amp) to rows y0..y1 of the canvas. */
export function addValueNoise(canvas: Canvas, rng: Random, cell: number, amp: number, y0 = 0, y1 = canvas.height): void {
  const gw = Math.ceil(canvas.width / cell) + 2;
  const gh = Math.ceil(canvas.height / cell) + 2;
  const lattice = new Float32Array(gw * gh);
  for (let i = 0; i < lattice.length; i++) lattice[i] = rng.next() * 2 - 1;
  if (!canvas.paints) return;
  const smooth = (t: number) => t * t * (3 - 2 * t);
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(canvas.height, y1); y++) {
    const gy = y / cell;
    const iy = Math.floor(gy);
    const ty = smooth(gy - iy);
    for (let x = 0; x < canvas.width; x++) {
      const gx = x / cell;
      const ix = Math.floor(gx);
      const tx = smooth(gx - ix);
      const a = lattice[iy * gw + ix], b = lattice[iy * gw + ix + 1];
      const c = lattice[(iy + 1) * gw + ix], d = lattice[(iy + 1) * gw + ix + 1];
      const n = (a + (b - a) * tx + (c - a + (a - b - c + d) * tx) * ty) * amp;
      const p = (y * canvas.width + x) * 3;
      canvas.data[p] += n;
      canvas.data[p + 1] += n;
      canvas.data[p + 2] += n;
    }
  }
}

function verticalGradient(canvas: Canvas, top: Color, bottom: Color, y0: number, y1: number): void {
  if (!canvas.paints) return;
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(canvas.height, Math.ceil(y1)); y++) {
    const c = mix(top, bottom, (y - y0) / Math.max(1, y1 - y0));
    for (let x = 0; x < canvas.width; x++) canvas.data.set(c, (y * canvas.width + x) * 3);
  }
}

function skyColors(rng: Random): [Color, Color] {
  const kind = rng.weighted([3, 2, 1]);
  if (kind === 0) return [hsvColor(rng.uniform(3.3, 3.9), rng.uniform(0.35, 0.6), rng.uniform(0.7, 0.95)), hsvColor(3.5, 0.15, 0.95)];
  if (kind === 1) return [hsvColor(0, 0, rng.uniform(0.55, 0.75)), hsvColor(0, 0, rng.uniform(0.75, 0.9))]; // overcast
  return [hsvColor(rng.uniform(3.8, 4.5), 0.5, 0.45), hsvColor(rng.uniform(0.2, 0.6), 0.55, 0.95)]; // dusk
}

function buildings(canvas: Canvas, rng: Random, horizon: number): void {
  let x = rng.uniform(-30, 10);
  while (x < canvas.width) {
    const w = rng.uniform(25, 80);
    const h = rng.uniform(0.3, 0.95) * horizon;
    const wall = hsvColor(rng.uniform(0, 6), rng.uniform(0, 0.3), rng.uniform(0.35, 0.8));
    if (rng.chance(0.75)) {
      canvas.fill(roundedRect(x, horizon - h, x + w, horizon + 1), wall);
      if (rng.chance(0.6)) {
        const win = mix(wall, [30, 40, 60], 0.6);
        for (let wy = horizon - h + 6; wy < horizon - 10; wy += 12) {
          for (let wx = x + 5; wx < x + w - 8; wx += 11) canvas.fill(roundedRect(wx, wy, wx + 5, wy + 6), win);
        }
      }
    } else {
      const trunkTop = horizon - rng.uniform(10, 25);
      canvas.fill(capsule(x + w / 2, horizon, x + w / 2, trunkTop, 2.5), [80, 60, 40]);
      canvas.fill(circle(x + w / 2, trunkTop - w * 0.25, w * 0.4), hsvColor(rng.uniform(1.5, 2.6), rng.uniform(0.4, 0.7), rng.uniform(0.25, 0.6)));
    }
    x += w + rng.uniform(0, 20);
  }
}

function road(canvas: Canvas, rng: Random, horizon: number): void {
  const asphalt = hsvColor(rng.uniform(0, 6), rng.uniform(0, 0.12), rng.uniform(0.25, 0.55));
  verticalGradient(canvas, mix(asphalt, [200, 200, 200], 0.15), asphalt, horizon, canvas.height);
  const curb = horizon + rng.uniform(4, 14);
  canvas.fill(roundedRect(0, horizon, canvas.width, curb), hsvColor(0, 0, rng.uniform(0.55, 0.75)));
  addValueNoise(canvas, rng, rng.uniform(6, 16), rng.uniform(6, 14), horizon, canvas.height);
  const paint: Color = rng.chance(0.7) ? [235, 235, 225] : [230, 190, 40];
  const lanes = rng.int(0, 2);
  for (let l = 0; l < lanes; l++) {
    const y = horizon + (canvas.height - horizon) * rng.uniform(0.3, 0.95);
    const thickness = 1 + (y - horizon) / 60;
    const dash = rng.uniform(14, 30);
    for (let x = rng.uniform(-dash, 0); x < canvas.width; x += dash * 2) {
      canvas.fill(roundedRect(x, y, x + dash, y + thickness), paint, 0.85);
    }
  }
  if (rng.chance(0.5)) {
    const x = rng.uniform(0, canvas.width);
    canvas.fill(capsule(x, curb, x, horizon - rng.uniform(40, 90), 1.5), [70, 70, 75]); // a pole
  }
}

/** Paints a background and returns the horizon row (where the road starts; vehicles stand below it). */
export function paintBackground(canvas: Canvas, rng: Random): number {
  const horizon = canvas.height * rng.uniform(0.22, 0.5);
  if (rng.chance(0.2)) {
    const a = hsvColor(rng.uniform(0, 6), rng.uniform(0, 0.5), rng.uniform(0.2, 0.8));
    verticalGradient(canvas, a, mix(a, hsvColor(rng.uniform(0, 6), 0.3, 0.6), 0.6), 0, canvas.height);
    addValueNoise(canvas, rng, rng.uniform(10, 40), rng.uniform(15, 35));
    addValueNoise(canvas, rng, rng.uniform(3, 6), rng.uniform(4, 8));
    return horizon;
  }
  const [top, bottom] = skyColors(rng);
  verticalGradient(canvas, top, bottom, 0, horizon);
  addValueNoise(canvas, rng, 24, 4, 0, horizon);
  if (rng.chance(0.8)) buildings(canvas, rng, horizon);
  road(canvas, rng, horizon);
  return horizon;
}
