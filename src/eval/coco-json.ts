/**
 * COCO-format detections for `val --save-json`, as ScaledYOLOv4's test.py writes them: boxes mapped back from the
 * letterboxed input to original image pixels (subtract the pad, divide by the ratio, clip to the image), then
 * [x, y, w, h] with (x, y) the top-left corner, rounded to 3 decimals; score rounded to 5.
 * image_id is the file stem, a number when the stem is all digits; category_id is class + 1, matching the COCO json
 * that the data tools write.
 */
import type { Detection } from './types';

/** How an original image was letterboxed: input = original·ratio + pad (pad in pixels, left and top). */
export interface LetterboxInfo {
  ratio: number | readonly [number, number];
  pad: readonly [number, number];
}

export interface CocoDetection {
  image_id: number | string;
  category_id: number;
  bbox: [number, number, number, number];
  score: number;
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** The image file's stem (no folders, no last extension); numeric when it is all digits. */
export function cocoImageId(imagePath: string): number | string {
  const name = imagePath.split(/[\\/]/).pop() ?? imagePath;
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return /^\d+$/.test(stem) ? Number(stem) : stem;
}

/**
 * @param imagePath  the image file (its stem becomes image_id)
 * @param dets       detections in letterboxed input pixels
 * @param letterbox  the letterbox applied to this image
 * @param original   the original image size
 */
export function cocoDetections(
  imagePath: string,
  dets: readonly Detection[],
  letterbox: LetterboxInfo,
  original: { width: number; height: number },
): CocoDetection[] {
  const imageId = cocoImageId(imagePath);
  const [rw, rh] = typeof letterbox.ratio === 'number' ? [letterbox.ratio, letterbox.ratio] : letterbox.ratio;
  const [padX, padY] = letterbox.pad;
  const clip = (v: number, max: number): number => Math.min(Math.max(v, 0), max);
  return dets.map((d) => {
    const x1 = clip((d.x1 - padX) / rw, original.width);
    const y1 = clip((d.y1 - padY) / rh, original.height);
    const x2 = clip((d.x2 - padX) / rw, original.width);
    const y2 = clip((d.y2 - padY) / rh, original.height);
    return {
      image_id: imageId,
      category_id: d.cls + 1,
      bbox: [round(x1, 3), round(y1, 3), round(x2 - x1, 3), round(y2 - y1, 3)],
      score: round(d.score, 5),
    };
  });
}
