/**
 * Predictions viewer: a few val images, ground truth beside the predicted boxes (class and score) above a score
 * threshold, refreshed each epoch; the PR curves and the confusion matrix of the latest validation.
 */
import { useMemo, useState } from 'react';
import { LOW_CONFIDENCE_SCORE, type BoxInfo, type PredictionImage, type ValidationDetails } from '../../worker/protocol';
import { BoxCanvas, type ImageInput } from '../components/BoxCanvas';
import { InfoTip } from '../components/InfoTip';
import { ConfusionMatrix } from './ConfusionMatrix';
import { PrCurves } from './PrCurves';

function imageInput(image: PredictionImage): ImageInput {
  return image.encoding === 'rgba8'
    ? { kind: 'rgba', width: image.width, height: image.height, bytes: image.bytes }
    : { kind: 'blob', blob: new Blob([image.bytes], { type: image.encoding }) };
}

function PredictionPair({ image, names, threshold }: { image: PredictionImage; names: readonly string[]; threshold: number }) {
  const input = useMemo(() => imageInput(image), [image]);
  const shown = useMemo(() => image.predictions.filter((box: BoxInfo) => (box.score ?? 0) >= threshold), [image, threshold]);
  // A young model's best guesses score below 0.05; they are sent (top 10 per image) and shown, but flagged.
  const lowConfidence = shown.filter((box) => (box.score ?? 0) < LOW_CONFIDENCE_SCORE).length;
  return (
    <div className="prediction-pair">
      <figure>
        <BoxCanvas image={input} boxes={image.truth} names={names} label={`${image.name}: ground truth, ${image.truth.length} boxes`} size={180} />
        <figcaption className="small muted">Ground truth · {image.truth.length}</figcaption>
      </figure>
      <figure>
        <BoxCanvas image={input} boxes={shown} names={names} label={`${image.name}: ${shown.length} predictions at score ≥ ${threshold}`} size={180} />
        <figcaption className="small muted">
          Predicted · {shown.length}
          {lowConfidence > 0 && <span className="low-confidence"> ({lowConfidence} low-confidence, score &lt; {LOW_CONFIDENCE_SCORE})</span>}
        </figcaption>
      </figure>
    </div>
  );
}

interface PredictionsPanelProps {
  predictions?: { epoch: number; images: PredictionImage[] };
  details?: ValidationDetails;
  names: readonly string[];
  canValidate: boolean;
  onValidateNow(): void;
}

export function PredictionsPanel({ predictions, details, names, canValidate, onValidateNow }: PredictionsPanelProps) {
  const [threshold, setThreshold] = useState(0.25);
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
        </section>
      </div>
    </div>
  );
}
