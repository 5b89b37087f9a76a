/**
 * Predictions viewer: a few val images, ground truth beside the predicted boxes (class and score) above a score
 * threshold, refreshed each epoch; the PR curves and the confusion matrix of any epoch (a slider, the newest by
 * default); the feature maps of every run.
 */
import { MIN_SENT_SCORE } from '../../run/progress';
import { useMemo, useState, type ReactNode } from 'react';
import type { BoxInfo, PredictionImage } from '../../worker/protocol';
import { BoxCanvas, type ImageInput } from '../components/BoxCanvas';
import { InfoTip } from '../components/InfoTip';
import { ConfusionMatrix } from './ConfusionMatrix';
import type { DetailsEntry } from './details-timeline';
import { PrCurves } from './PrCurves';

function imageInput(image: PredictionImage): ImageInput {
  return image.encoding === 'rgba8'
    ? { kind: 'rgba', width: image.width, height: image.height, bytes: image.bytes }
    : { kind: 'blob', blob: new Blob([image.bytes], { type: image.encoding }) };
}

function PredictionPair({ image, names, threshold }: { image: PredictionImage; names: readonly string[]; threshold: number }) {
  const input = useMemo(() => imageInput(image), [image]);
  const shown = useMemo(() => image.predictions.filter((box: BoxInfo) => (box.score ?? 0) >= threshold), [image, threshold]);
  // A young model's best boxes score low: the worker sends each image's top 10 anyway, marked here as low-confidence.
  const low = shown.filter((box) => (box.score ?? 0) < MIN_SENT_SCORE).length;
  return (
    <div className="prediction-pair">
      <figure>
        <BoxCanvas image={input} boxes={image.truth} names={names} label={`${image.name}: ground truth, ${image.truth.length} boxes`} size={180} />
        <figcaption className="small muted">Ground truth · {image.truth.length}</figcaption>
      </figure>
      <figure>
        <BoxCanvas image={input} boxes={shown} names={names} label={`${image.name}: ${shown.length} predictions at score ≥ ${threshold}${low ? `, ${low} of them low-confidence` : ''}`} size={180} />
        <figcaption className="small muted">
          Predicted · {shown.length}
          {low > 0 && <span className="low-confidence"> ({low} low-confidence, score &lt; {MIN_SENT_SCORE})</span>}
        </figcaption>
      </figure>
    </div>
  );
}

interface PredictionsPanelProps {
  predictions?: { epoch: number; images: PredictionImage[] };
  /** The shown run's validations, oldest first. */
  timeline: readonly DetailsEntry[];
  names: readonly string[];
  canValidate: boolean;
  onValidateNow(): void;
  /** The feature maps of every run (FeatureMaps). */
  featureMaps: ReactNode;
}

export function PredictionsPanel({ predictions, timeline, names, canValidate, onValidateNow, featureMaps }: PredictionsPanelProps) {
  const [threshold, setThreshold] = useState(0.25);
  // null follows the newest validation as epochs end; a number holds the one the user picked.
  const [picked, setPicked] = useState<number | null>(null);
  const index = picked === null || picked >= timeline.length ? timeline.length - 1 : picked;
  const entry = timeline[index];
  const details = entry?.details;
  const classNames = details?.classNames ?? names;
  return (
    <div className="predictions-panel">
      <section className="card">
        <header className="card-header">
          <h3>
            Validation images {predictions ? <span className="muted">· after epoch {predictions.epoch + 1}</span> : null}
          </h3>
          <label className="toolbar-field">
            <span>Score threshold</span>
            <input type="range" min={0} max={1} step={0.01} value={threshold} aria-label="Score threshold" onChange={(event) => setThreshold(Number(event.target.value))} />
            <output className="num">{threshold.toFixed(2)}</output>
          </label>
          <button type="button" className="button" onClick={onValidateNow} disabled={!canValidate}>
            Validate now
          </button>
        </header>
        {predictions && predictions.images.length > 0 ? (
          <div className="prediction-grid">
            {predictions.images.map((image) => (
              <PredictionPair key={image.name} image={image} names={classNames} threshold={threshold} />
            ))}
          </div>
        ) : (
          <p className="muted">Predictions appear after each epoch&apos;s validation (or press Validate now while a run is paused).</p>
        )}
      </section>
      <section className="validation-by-epoch" aria-label="Validation by epoch">
        {timeline.length > 1 && (
          <label className="epoch-slider">
            <span>Validation shown</span>
            <input
              type="range"
              min={0}
              max={timeline.length - 1}
              step={1}
              value={index}
              aria-label="Validation epoch"
              aria-valuetext={entry?.label}
              onChange={(event) => {
                const next = Number(event.target.value);
                setPicked(next === timeline.length - 1 ? null : next);
              }}
            />
            <output className="num">{entry?.label}</output>
          </label>
        )}
        <div className="two-col">
          <section className="card">
            <header className="card-header">
              <h3>Precision–recall curve</h3>
              <InfoTip label="About the PR curve" text="Precision against recall as the score threshold falls, per class at IoU 0.5. The area under each curve is its AP; the bold line averages the classes (its area is mAP@0.5)." />
            </header>
            {details ? <PrCurves details={details} /> : <p className="muted">No validation yet.</p>}
          </section>
          <section className="card">
            <header className="card-header">
              <h3>Confusion matrix</h3>
              <InfoTip label="About the confusion matrix" text="Each column is a true class and sums to 1: where its objects ended up. The background row counts missed objects; the background column counts detections of nothing (score > 0.25, IoU > 0.45)." />
            </header>
            {details ? <ConfusionMatrix details={details} /> : <p className="muted">No validation yet.</p>}
            {details && (
              <ul className="confusion-notes small muted">
                <li>
                  <strong>background FN</strong> (bottom row): labelled objects that no prediction matched, per true class.
                </li>
                <li>
                  <strong>background FP</strong> (last column): predictions that matched no labelled object, per predicted class.
                </li>
              </ul>
            )}
          </section>
        </div>
      </section>
      {featureMaps}
    </div>
  );
}
