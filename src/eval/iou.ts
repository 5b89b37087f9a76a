/** Axis-aligned box IoU on xyxy boxes, as torchvision's box_iou: inter / (area1 + area2 − inter), no epsilon. */
export interface XyxyBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export function boxIou(a: XyxyBox, b: XyxyBox): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  // Degenerate (zero-area) boxes would give 0/0; they overlap nothing.
  return union > 0 ? inter / union : 0;
}

/** The same on boxes stored as rows of a flat array (x1, y1, x2, y2 at offsets ia and ib). */
export function rowIou(rows: ArrayLike<number>, ia: number, ib: number): number {
  const iw = Math.min(rows[ia + 2], rows[ib + 2]) - Math.max(rows[ia], rows[ib]);
  const ih = Math.min(rows[ia + 3], rows[ib + 3]) - Math.max(rows[ia + 1], rows[ib + 1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const areaA = (rows[ia + 2] - rows[ia]) * (rows[ia + 3] - rows[ia + 1]);
  const areaB = (rows[ib + 2] - rows[ib]) * (rows[ib + 3] - rows[ib + 1]);
  const union = areaA + areaB - inter;
  return union > 0 ? inter / union : 0;
}
