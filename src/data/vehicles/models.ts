/**
 * Side views of the four vehicle classes, built from simple parts. The classes differ by shape and proportion, not
 * colour: a car is a low body with a cabin on top and two wheels; a bus a long tall box with a row of windows and a
 * door; a truck a cab in front of a taller cargo box (or a flat bed) on three axles; a motorcycle two large wheels, a
 * thin frame and, usually, a rider.
 */
import type { Random } from '../random.js';
import { capsule, circle, hsvColor, mix, polygon, roundedRect, type Color, type Shape } from './raster.js';

export interface Part {
  shape: Shape;
  color: Color;
}

export interface VehicleDrawing {
  parts: Part[];
  /** Tight pixel bounds of all parts: the label box. */
  bounds: [number, number, number, number];
}

/** Where and how big: `length` is the body length in pixels; height follows from the class proportions. */
export interface Placement {
  left: number;
  ground: number;
  length: number;
  facingRight: boolean;
}

/** Vehicle-local units (u along the body from the rear, v up from the ground, both in body lengths) → pixels. */
class Frame {
  constructor(private readonly p: Placement) {}
  x(u: number): number {
    return this.p.facingRight ? this.p.left + u * this.p.length : this.p.left + (1 - u) * this.p.length;
  }
  y(v: number): number {
    return this.p.ground - v * this.p.length;
  }
  len(units: number): number {
    return units * this.p.length;
  }
  rect(u0: number, v0: number, u1: number, v1: number, radius = 0): Shape {
    const xa = this.x(u0), xb = this.x(u1);
    return roundedRect(Math.min(xa, xb), this.y(v1), Math.max(xa, xb), this.y(v0), this.len(radius));
  }
  circle(u: number, v: number, r: number): Shape {
    return circle(this.x(u), this.y(v), this.len(r));
  }
  capsule(u0: number, v0: number, u1: number, v1: number, r: number): Shape {
    return capsule(this.x(u0), this.y(v0), this.x(u1), this.y(v1), this.len(r));
  }
  polygon(points: ReadonlyArray<readonly [number, number]>): Shape {
    return polygon(points.map(([u, v]) => [this.x(u), this.y(v)] as const));
  }
}

const TYRE: Color = [28, 28, 30];
const GLASS_DARK: Color = [40, 52, 70];

function glassColor(rng: Random): Color {
  return mix(GLASS_DARK, [120, 150, 180], rng.uniform(0, 0.5));
}

/** A paint colour: any hue, often white/grey/black like real fleets. */
export function paintColor(rng: Random): Color {
  const kind = rng.weighted([5, 2, 2, 1]);
  if (kind === 1) return hsvColor(0, 0, rng.uniform(0.75, 0.97)); // white / silver
  if (kind === 2) return hsvColor(0, 0, rng.uniform(0.1, 0.45)); // black / grey
  if (kind === 3) return hsvColor(rng.uniform(0.6, 1.2), rng.uniform(0.6, 0.9), rng.uniform(0.7, 0.95)); // yellow / orange
  return hsvColor(rng.uniform(0, 6), rng.uniform(0.3, 0.9), rng.uniform(0.3, 0.9));
}

function wheel(f: Frame, u: number, r: number, parts: Part[], hub: Color): void {
  parts.push({ shape: f.circle(u, r, r), color: TYRE });
  parts.push({ shape: f.circle(u, r, r * 0.55), color: hub });
  parts.push({ shape: f.circle(u, r, r * 0.2), color: mix(hub, TYRE, 0.5) });
}

function hubColor(rng: Random): Color {
  return hsvColor(0, 0, rng.uniform(0.45, 0.8));
}

function car(f: Frame, rng: Random): Part[] {
  const parts: Part[] = [];
  const body = paintColor(rng);
  const glass = glassColor(rng);
  const r = rng.uniform(0.1, 0.125);
  const sill = r * rng.uniform(0.55, 0.75);
  const bodyTop = sill + rng.uniform(0.16, 0.22);
  const roof = bodyTop + rng.uniform(0.13, 0.19);
  const style = rng.weighted([3, 2, 1]); // sedan, hatchback, van/SUV
  const rearPillar = style === 0 ? rng.uniform(0.16, 0.24) : rng.uniform(0.04, 0.1);
  const frontPillar = style === 2 ? rng.uniform(0.62, 0.7) : rng.uniform(0.56, 0.66);
  const windshieldBase = frontPillar + rng.uniform(0.1, 0.16);
  parts.push({ shape: f.rect(0, sill, 1, bodyTop, rng.uniform(0.03, 0.06)), color: body });
  parts.push({ shape: f.polygon([[rearPillar - 0.06, bodyTop], [rearPillar, roof], [frontPillar, roof], [windshieldBase, bodyTop]]), color: body });
  const inset = 0.025;
  const split = (rearPillar + frontPillar) / 2 + rng.uniform(-0.04, 0.04);
  parts.push({ shape: f.polygon([[rearPillar - 0.03, bodyTop + inset], [rearPillar + 0.02, roof - inset], [split - 0.012, roof - inset], [split - 0.012, bodyTop + inset]]), color: glass });
  parts.push({ shape: f.polygon([[split + 0.012, bodyTop + inset], [split + 0.012, roof - inset], [frontPillar - 0.005, roof - inset], [windshieldBase - 0.05, bodyTop + inset]]), color: glass });
  parts.push({ shape: f.rect(0.94, bodyTop - 0.07, 1, bodyTop - 0.03), color: [245, 230, 160] }); // headlight
  parts.push({ shape: f.rect(0, bodyTop - 0.07, 0.03, bodyTop - 0.03), color: [200, 30, 30] }); // tail light
  const hub = hubColor(rng);
  wheel(f, rng.uniform(0.17, 0.22), r, parts, hub);
  wheel(f, rng.uniform(0.78, 0.83), r, parts, hub);
  return parts;
}

function bus(f: Frame, rng: Random): Part[] {
  const parts: Part[] = [];
  const body = paintColor(rng);
  const glass = glassColor(rng);
  const r = rng.uniform(0.055, 0.07);
  const floor = r * 0.6;
  const doubleDecker = rng.chance(0.2);
  const top = doubleDecker ? rng.uniform(0.42, 0.5) : rng.uniform(0.27, 0.34);
  parts.push({ shape: f.rect(0, floor, 1, top, 0.02), color: body });
  if (rng.chance(0.5)) parts.push({ shape: f.rect(0, floor + 0.03, 1, floor + 0.06), color: paintColor(rng) }); // stripe
  const rows = doubleDecker ? [[top * 0.62, top * 0.9], [top * 0.3, top * 0.52]] : [[top * 0.5, top * 0.85]];
  const windows = rng.int(5, 8);
  const span = 0.8;
  const pitch = span / windows;
  for (const [v0, v1] of rows) {
    for (let i = 0; i < windows; i++) {
      const u0 = 0.04 + i * pitch;
      parts.push({ shape: f.rect(u0, v0, u0 + pitch * 0.82, v1, 0.008), color: glass });
    }
  }
  parts.push({ shape: f.rect(0.9, floor + 0.06, 0.985, top - 0.03, 0.01), color: glass }); // windscreen
  parts.push({ shape: f.rect(0.84, floor + 0.02, 0.89, top * 0.82, 0.005), color: mix(glass, body, 0.25) }); // door
  const hub = hubColor(rng);
  wheel(f, rng.uniform(0.12, 0.17), r, parts, hub);
  if (rng.chance(0.25)) wheel(f, rng.uniform(0.25, 0.29), r, parts, hub);
  wheel(f, rng.uniform(0.76, 0.8), r, parts, hub);
  return parts;
}

function truck(f: Frame, rng: Random): Part[] {
  const parts: Part[] = [];
  const cab = paintColor(rng);
  const cargo = rng.chance(0.6) ? paintColor(rng) : hsvColor(0, 0, rng.uniform(0.6, 0.95));
  const glass = glassColor(rng);
  const r = rng.uniform(0.065, 0.085);
  const chassis = r * 1.1;
  const cabStart = rng.uniform(0.68, 0.76);
  const cabTop = rng.uniform(0.3, 0.38);
  parts.push({ shape: f.rect(0.02, chassis - 0.025, 0.98, chassis + 0.02), color: [45, 45, 48] }); // chassis rail
  if (rng.chance(0.7)) {
    const boxTop = cabTop + rng.uniform(-0.02, 0.12);
    parts.push({ shape: f.rect(0, chassis, cabStart - 0.02, boxTop, 0.008), color: cargo }); // box body
    parts.push({ shape: f.rect(0.01, boxTop - 0.03, cabStart - 0.03, boxTop - 0.015), color: mix(cargo, [0, 0, 0], 0.25) });
  } else {
    parts.push({ shape: f.rect(0, chassis, cabStart - 0.02, chassis + 0.06), color: cargo }); // flat bed
    parts.push({ shape: f.rect(0, chassis + 0.06, 0.015, chassis + 0.14), color: cargo });
  }
  const nose = rng.uniform(0.94, 0.99);
  parts.push({ shape: f.polygon([[cabStart, chassis - 0.01], [cabStart, cabTop], [nose - 0.05, cabTop], [nose, cabTop - 0.09], [1, chassis + 0.04], [1, chassis - 0.01]]), color: cab });
  parts.push({ shape: f.polygon([[cabStart + 0.04, cabTop - 0.13], [cabStart + 0.04, cabTop - 0.025], [nose - 0.06, cabTop - 0.025], [nose - 0.015, cabTop - 0.11], [nose - 0.015, cabTop - 0.13]]), color: glass });
  parts.push({ shape: f.rect(0.975, chassis + 0.02, 1, chassis + 0.05), color: [245, 230, 160] });
  const hub = hubColor(rng);
  wheel(f, 0.14, r, parts, hub);
  if (rng.chance(0.7)) wheel(f, 0.14 + 2.2 * r, r, parts, hub);
  wheel(f, cabStart + 0.1, r, parts, hub);
  return parts;
}

function motorcycle(f: Frame, rng: Random): Part[] {
  const parts: Part[] = [];
  const paint = paintColor(rng);
  const metal = hsvColor(0, 0, rng.uniform(0.35, 0.7));
  const r = rng.uniform(0.17, 0.2);
  const rear = r, front = 1 - r;
  const hub = hubColor(rng);
  for (const u of [rear, front]) {
    parts.push({ shape: f.circle(u, r, r), color: TYRE });
    parts.push({ shape: f.circle(u, r, r * 0.7), color: hub });
    parts.push({ shape: f.circle(u, r, r * 0.55), color: mix(hub, TYRE, 0.6) });
    parts.push({ shape: f.circle(u, r, r * 0.15), color: metal });
  }
  const seatV = r * 2 + rng.uniform(0.02, 0.07);
  parts.push({ shape: f.capsule(rear, r, 0.48, r * 1.15, 0.025), color: metal }); // swing arm
  parts.push({ shape: f.capsule(0.4, r * 1.1, front - 0.08, seatV + 0.02, 0.03), color: metal }); // frame
  parts.push({ shape: f.capsule(front, r, front - 0.1, seatV + 0.12, 0.022), color: metal }); // fork
  parts.push({ shape: f.rect(0.36, r * 0.9, 0.56, r * 1.5, 0.03), color: [60, 60, 64] }); // engine
  parts.push({ shape: f.polygon([[0.45, seatV - 0.02], [0.5, seatV + 0.09], [0.66, seatV + 0.1], [0.74, seatV + 0.02], [0.66, seatV - 0.05]]), color: paint }); // tank
  parts.push({ shape: f.rect(0.2, seatV - 0.02, 0.48, seatV + 0.035, 0.02), color: [35, 32, 30] }); // seat
  parts.push({ shape: f.capsule(0.12, seatV - 0.02, 0.3, seatV, 0.03), color: paint }); // rear fender
  parts.push({ shape: f.capsule(front - 0.1, seatV + 0.12, front - 0.18, seatV + 0.16, 0.015), color: metal }); // handlebar
  if (rng.chance(0.75)) {
    const cloth = paintColor(rng);
    const hip: [number, number] = [0.38, seatV + 0.05];
    const shoulder: [number, number] = [0.5 + rng.uniform(0, 0.08), seatV + rng.uniform(0.42, 0.5)];
    parts.push({ shape: f.capsule(hip[0], hip[1], 0.58, seatV - 0.04, 0.05), color: mix(cloth, [20, 20, 30], 0.5) }); // thigh
    parts.push({ shape: f.capsule(0.58, seatV - 0.04, 0.55, r * 1.1, 0.04), color: mix(cloth, [20, 20, 30], 0.5) }); // shin
    parts.push({ shape: f.capsule(hip[0], hip[1], shoulder[0], shoulder[1], 0.07), color: cloth }); // torso
    parts.push({ shape: f.capsule(shoulder[0], shoulder[1], front - 0.17, seatV + 0.16, 0.035), color: cloth }); // arm
    parts.push({ shape: f.circle(shoulder[0] + 0.05, shoulder[1] + 0.12, 0.075), color: paintColor(rng) }); // helmet
    parts.push({ shape: f.rect(shoulder[0] + 0.07, shoulder[1] + 0.09, shoulder[0] + 0.125, shoulder[1] + 0.14, 0.01), color: GLASS_DARK }); // visor
  }
  return parts;
}

export const VEHICLE_MODELS = [motorcycle, car, bus, truck] as const;

/** Draws class `cls` (0 motorcycle, 1 car, 2 bus, 3 truck) at the placement. */
export function buildVehicle(cls: number, placement: Placement, rng: Random): VehicleDrawing {
  const parts = VEHICLE_MODELS[cls](new Frame(placement), rng);
  const bounds: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const { shape } of parts) {
    bounds[0] = Math.min(bounds[0], shape.bounds[0]);
    bounds[1] = Math.min(bounds[1], shape.bounds[1]);
    bounds[2] = Math.max(bounds[2], shape.bounds[2]);
    bounds[3] = Math.max(bounds[3], shape.bounds[3]);
  }
  return { parts, bounds };
}
