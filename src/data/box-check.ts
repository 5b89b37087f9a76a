import { BORDER_TOLERANCE } from './constants.js';
import type { Box } from './types.js';

/**
 * Validates one normalised box. Boxes reaching past the border by at most BORDER_TOLERANCE are clipped (real COCO
 * labels have such boxes); farther out, or of zero area, they are rejected with a reason.
 */
export function checkBox(cls: number, cx: number, cy: number, w: number, h: number): { box: Box } | { problem: string } {
  if (![cx, cy, w, h].every(Number.isFinite)) return { problem: 'box has a non-numeric value' };
  if (w <= 0 || h <= 0) return { problem: 'zero-area box' };
  const x1 = cx - w / 2, y1 = cy - h / 2, x2 = cx + w / 2, y2 = cy + h / 2;
  const t = BORDER_TOLERANCE;
  if (x1 < -t || y1 < -t || x2 > 1 + t || y2 > 1 + t) {
    return { problem: `box outside the image [0,1] (x ${fmt(x1)}..${fmt(x2)}, y ${fmt(y1)}..${fmt(y2)})` };
  }
  const cx1 = Math.max(x1, 0), cy1 = Math.max(y1, 0), cx2 = Math.min(x2, 1), cy2 = Math.min(y2, 1);
  if (cx2 - cx1 <= 0 || cy2 - cy1 <= 0) return { problem: 'zero-area box' };
  return { box: { cls, cx: (cx1 + cx2) / 2, cy: (cy1 + cy2) / 2, w: cx2 - cx1, h: cy2 - cy1 } };
}

const fmt = (v: number) => v.toFixed(4);
