/**
 * An image with labelled boxes, drawn on a canvas. Boxes are in the image's own pixels; the canvas scales to fit.
 * `image` is anything createImageBitmap takes (a Blob of the file) or raw RGBA pixels.
 */
import { useEffect, useRef } from 'react';
import type { BoxInfo } from '../../worker/protocol';

/** Corners in the image's own pixels; a score marks a prediction (the worker's BoxInfo). */
export type DrawBox = BoxInfo;

export type ImageInput = { kind: 'blob'; blob: Blob } | { kind: 'rgba'; width: number; height: number; bytes: ArrayBuffer };

const CLASS_COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324', '#469990', '#808000'];

export function classColor(cls: number): string {
  return CLASS_COLORS[cls % CLASS_COLORS.length];
}

async function toBitmap(image: ImageInput): Promise<ImageBitmap> {
  if (image.kind === 'blob') return createImageBitmap(image.blob);
  return createImageBitmap(new ImageData(new Uint8ClampedArray(image.bytes.slice(0)), image.width, image.height));
}

interface BoxCanvasProps {
  image: ImageInput;
  boxes: readonly DrawBox[];
  names: readonly string[];
  label: string;
  size?: number;
}

export function BoxCanvas({ image, boxes, names, label, size = 200 }: BoxCanvasProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let cancelled = false;
    void toBitmap(image)
      .then((bitmap) => {
        const canvas = canvasRef.current;
        if (cancelled || !canvas) return bitmap.close();
        const scale = size / Math.max(bitmap.width, bitmap.height);
        const ratio = window.devicePixelRatio || 1;
        canvas.width = Math.round(bitmap.width * scale * ratio);
        canvas.height = Math.round(bitmap.height * scale * ratio);
        canvas.style.width = `${Math.round(bitmap.width * scale)}px`;
        canvas.style.height = `${Math.round(bitmap.height * scale)}px`;
        const context = canvas.getContext('2d');
        if (!context) return bitmap.close();
        context.setTransform(scale * ratio, 0, 0, scale * ratio, 0, 0);
        context.drawImage(bitmap, 0, 0);
        bitmap.close();
        const lineWidth = 1.5 / scale;
        context.font = `${11 / scale}px system-ui, sans-serif`;
        for (const box of boxes) {
          const color = classColor(box.cls);
          context.strokeStyle = color;
          context.lineWidth = lineWidth;
          context.strokeRect(box.x1, box.y1, box.x2 - box.x1, box.y2 - box.y1);
          const text = `${names[box.cls] ?? box.cls}${box.score === undefined ? '' : ` ${box.score.toFixed(2)}`}`;
          const textWidth = context.measureText(text).width + 4 / scale;
          const textHeight = 13 / scale;
          const top = box.y1 - textHeight < 0 ? box.y1 : box.y1 - textHeight;
          context.fillStyle = color;
          context.fillRect(box.x1, top, textWidth, textHeight);
          context.fillStyle = '#ffffff';
          context.fillText(text, box.x1 + 2 / scale, top + 10 / scale);
        }
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [image, boxes, names, size]);
  return <canvas ref={canvasRef} className="box-canvas" role="img" aria-label={label} width={size} height={size} />;
}
