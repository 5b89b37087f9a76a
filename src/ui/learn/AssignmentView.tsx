/**
 * Target assignment for one training image, as the loss does it (build_targets): the image letterboxed to the run's
 * size with a level's grid, every box, and for each box the anchors whose shape it matches and the cells that become
 * positives: its centre's cell and the neighbour cells the ±0.5 rule adds. Colour = anchor index, solid = centre cell,
 * dashed = neighbour.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FileSource, LabeledImage } from '../../data/types';
import { InfoTip } from '../components/InfoTip';
import { Term } from '../components/Term';
import { imagePositives, letterboxedTargets, type LevelInfo } from './learn-data';
import { LEVEL_COLORS } from './level-style';

const CANVAS = 320;
/** The images offered: enough to find varied ones, few enough for a select. */
const MAX_IMAGES = 200;

export interface AssignmentViewProps {
  images: readonly LabeledImage[];
  source: FileSource;
  levels: readonly LevelInfo[];
  img: number;
  anchorT: number;
  classNames: readonly string[];
}

export function AssignmentView({ images, source, levels, img, anchorT, classNames }: AssignmentViewProps) {
  const offered = useMemo(() => images.filter((image) => image.boxes.length > 0).slice(0, MAX_IMAGES), [images]);
  const [picked, setPicked] = useState(0);
  const [levelIndex, setLevelIndex] = useState(0);
  const image = offered[Math.min(picked, offered.length - 1)];
  const positives = useMemo(() => (image ? imagePositives(image, img, levels, anchorT) : []), [image, img, levels, anchorT]);
  const shownLevel = Math.min(levelIndex, levels.length - 1);
  const level = levels[shownLevel];
  const letterboxed = useMemo(() => image && letterboxedTargets(image, img), [image, img]);
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    if (!image || !level || !letterboxed) return;
    let cancelled = false;
    void (async () => {
      const bytes = await source.read(image.file);
      const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]));
      const canvas = canvasRef.current;
      const context = canvas?.getContext('2d');
      if (cancelled || !canvas || !context) return bitmap.close();
      const ratio = window.devicePixelRatio || 1;
      canvas.width = CANVAS * ratio;
      canvas.height = CANVAS * ratio;
      const scale = (CANVAS / img) * ratio;
      context.setTransform(scale, 0, 0, scale, 0, 0);
      context.fillStyle = 'rgb(114,114,114)';
      context.fillRect(0, 0, img, img);
      context.drawImage(bitmap, letterboxed.padX, letterboxed.padY, letterboxed.width, letterboxed.height);
      bitmap.close();
      const cell = level.stride;
      const t = positives[shownLevel];
      // Positive cells, neighbours first so a centre cell drawn over one stays visible.
      for (const centre of [false, true]) {
        for (let r = 0; r < t.count; r++) {
          if (Boolean(t.neighbour[r]) === centre) continue;
          const color = LEVEL_COLORS[t.anchor[r] % LEVEL_COLORS.length];
          context.fillStyle = `${color}${centre ? '80' : '40'}`;
          context.fillRect(t.gridX[r] * cell, t.gridY[r] * cell, cell, cell);
          context.strokeStyle = color;
          context.lineWidth = 2 / scale;
          context.setLineDash(centre ? [] : [4 / scale, 3 / scale]);
          context.strokeRect(t.gridX[r] * cell, t.gridY[r] * cell, cell, cell);
        }
      }
      context.setLineDash([]);
      context.strokeStyle = 'rgba(255,255,255,0.45)';
      context.lineWidth = 1 / scale;
      for (let x = 0; x <= img; x += cell) {
        context.beginPath();
        context.moveTo(x, 0);
        context.lineTo(x, img);
        context.moveTo(0, x);
        context.lineTo(img, x);
        context.stroke();
      }
      context.strokeStyle = '#fff';
      context.lineWidth = 1.5 / scale;
      for (let b = 0; b < image.boxes.length; b++) {
        const [, , cx, cy, w, h] = letterboxed.targets.subarray(b * 6, b * 6 + 6);
        context.strokeRect((cx - w / 2) * img, (cy - h / 2) * img, w * img, h * img);
        context.fillStyle = '#fff';
        context.fillRect(cx * img - 1.5 / scale, cy * img - 1.5 / scale, 3 / scale, 3 / scale);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [image, level, shownLevel, letterboxed, positives, source, img]);

  if (!image || !level || !letterboxed) return null;
  const current = positives[shownLevel];
  return (
    <section className="card" role="region" aria-label="Target assignment">
      <header className="card-header">
        <h3>Target assignment</h3>
        <InfoTip
          label="About target assignment"
          text="What the loss trains for this image (letterboxed as validation does, without augmentation): on each level, a box is matched to every anchor whose width and height ratios to it are within anchor_t; its centre's cell is a positive for that anchor, and so are the left/right and top/bottom neighbours when the centre lies in that half of its cell (g = 0.5). Only positives learn box and class; every other cell learns 'no object'."
        />
      </header>
      <div className="learn-controls">
        <label>
          <span>Training image</span>
          <select value={Math.min(picked, offered.length - 1)} onChange={(event) => setPicked(Number(event.target.value))}>
            {offered.map((candidate, i) => (
              <option key={candidate.file} value={i}>
                {candidate.file} ({candidate.boxes.length} boxes)
              </option>
            ))}
          </select>
        </label>
        <fieldset className="learn-levels">
          <legend>Level</legend>
          {levels.map((candidate, i) => (
            <label key={candidate.name}>
              <input type="radio" name="assignment-level" checked={candidate === level} onChange={() => setLevelIndex(i)} />
              {candidate.name} (÷{candidate.stride}, {img / candidate.stride}×{img / candidate.stride} cells)
            </label>
          ))}
        </fieldset>
      </div>
      <div className="learn-assignment">
        <canvas ref={canvasRef} role="img" aria-label={`${image.file} at ${img} px: ${level.name} grid with ${current.count} positive cells`} style={{ width: CANVAS, height: CANVAS }} />
        <div className="learn-assignment-side">
          <p className="small">
            <Term term="positive">Positives</Term> per level:{' '}
            {levels.map((candidate, i) => (
              <span key={candidate.name} className="num">
                {candidate.name} <strong data-testid={`positives-${candidate.name}`}>{positives[i].count}</strong>
                {i < levels.length - 1 ? ' · ' : ''}
              </span>
            ))}
          </p>
          <p className="small muted">
            Anchor colours:{' '}
            {level.anchors.map(([w, h], a) => (
              <span key={a} className="learn-anchor-key">
                <span className="swatch" style={{ background: LEVEL_COLORS[a % LEVEL_COLORS.length] }} />
                {`a${a} ${w.toFixed(0)}×${h.toFixed(0)}`}{' '}
              </span>
            ))}
            · solid: centre cell, dashed: neighbour
          </p>
          <div className="learn-table-scroll">
            <table className="learn-table" aria-label="Positives per box">
              <thead>
                <tr>
                  <th scope="col">Box</th>
                  <th scope="col">Size (px)</th>
                  {levels.map((candidate) => (
                    <th key={candidate.name} scope="col">
                      {candidate.name}: anchors · cells
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {image.boxes.map((box, b) => (
                  <tr key={b}>
                    <th scope="row">
                      {b + 1}. {classNames[box.cls] ?? box.cls}
                    </th>
                    <td className="num">
                      {(letterboxed.targets[b * 6 + 4] * img).toFixed(0)}×{(letterboxed.targets[b * 6 + 5] * img).toFixed(0)}
                    </td>
                    {positives.map((t, l) => {
                      const rows = Array.from({ length: t.count }, (_, r) => r).filter((r) => t.target[r] === b);
                      const anchors = [...new Set(rows.map((r) => t.anchor[r]))].sort();
                      return (
                        <td key={levels[l].name} className="num">
                          {anchors.length ? `${anchors.map((a) => `a${a}`).join(' ')} · ${rows.length}` : '–'}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </section>
  );
}
