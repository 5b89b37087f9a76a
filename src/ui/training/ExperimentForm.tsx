/**
 * The experiment settings (backbone, scale, img, batch, epochs, lr0, seed, backend, hyp YAML) and the run controls.
 * Every control has a visible label, so it has an accessible name and Playwright can drive it by role.
 */
import { useId, type ReactNode } from 'react';
import type { ModelScale, RunStatus } from '../../worker/protocol';
import { BACKBONES, CUSTOM_EXPLANATION, backboneInfo } from '../model/backbones';
import { YamlEditor } from '../model/YamlEditor';
import type { YamlProblem } from '../model/summary-types';
import { BACKENDS, EXPERIMENTS, LIMITS, SCALES, experimentOf, type BackboneId, type ExperimentId, type LabSettings } from '../state/settings';
import { backendLabel } from './StatusPanel';
import { InfoTip } from '../components/InfoTip';
import { Term } from '../components/Term';
import { termOfLabel } from '../teaching/glossary';

function Field({ label, children, hint }: { label: string; children: (id: string) => ReactNode; hint?: string }) {
  const id = useId();
  const term = termOfLabel(label);
  return (
    <div className="field">
      <label htmlFor={id}>{term ? <Term term={term}>{label}</Term> : label}</label>
      {children(id)}
      {hint && <span className="field-hint">{hint}</span>}
    </div>
  );
}

type NumberKey = 'img' | 'batch' | 'epochs' | 'lr0' | 'seed';

interface ExperimentFormProps {
  settings: LabSettings;
  nc: number;
  classNames: readonly string[];
  status: RunStatus | undefined;
  canTrain: boolean;
  blockers: string[];
  hypText: string;
  hypProblems: readonly YamlProblem[];
  queued: number;
  /** What the chosen backend will run on, and why (Auto's choice, or a warning for WebGPU on a software adapter). */
  backendLine: { text: string; warn: boolean } | undefined;
  /** The memory estimate of one training step at these settings, as text. */
  memoryLine: string | undefined;
  onExperiment(id: ExperimentId): void;
  onChange(patch: Partial<LabSettings>): void;
  onHypChange(text: string): void;
  onTrain(): void;
  onTrainAll(): void;
  onStep(): void;
  onPause(): void;
  onResume(): void;
  onStop(): void;
  onShare(): void;
  /** Feedback after Copy link ("Copied", or why not), announced politely. */
  shareNote?: string;
}

const SCALE_HINTS: Record<ModelScale, string> = {
  n: 'n: depth 0.33, width 0.25',
  s: 's: depth 0.33, width 0.5',
  m: 'm: depth 0.67, width 0.75',
  l: 'l: depth 1.0, width 1.0 (the seed)',
};

export function ExperimentForm(props: ExperimentFormProps) {
  const { settings, status, onChange } = props;
  const running = status === 'running';
  const paused = status === 'paused';
  const active = running || paused;
  const explanation = settings.backbone === 'custom' ? CUSTOM_EXPLANATION : backboneInfo(settings.backbone).explanation;

  const numberInput = (key: NumberKey, id: string, label: string) => (
    <input
      id={id}
      type="number"
      aria-label={label}
      min={LIMITS[key].min}
      max={LIMITS[key].max}
      step={key === 'lr0' ? 'any' : LIMITS[key].step}
      value={settings[key]}
      disabled={active}
      onChange={(event) => {
        const value = event.target.valueAsNumber;
        if (Number.isFinite(value)) onChange({ [key]: value });
      }}
    />
  );

  return (
    <form className="experiment-form" aria-label="Experiment settings" onSubmit={(event) => event.preventDefault()}>
      <h2 className="panel-title">Experiment</h2>
      <Field label="Starting point" hint={props.memoryLine}>
        {(id) => (
          <select id={id} value={experimentOf(settings)} disabled={active} onChange={(event) => props.onExperiment(event.target.value as ExperimentId)}>
            {(Object.keys(EXPERIMENTS) as ExperimentId[]).map((experiment) => (
              <option key={experiment} value={experiment}>
                {EXPERIMENTS[experiment].label}
              </option>
            ))}
            <option value="custom" disabled>
              Custom (changed values)
            </option>
          </select>
        )}
      </Field>
      <Field label="Backbone">
        {(id) => (
          <div className="with-tip">
            <select id={id} value={settings.backbone} disabled={active} onChange={(event) => onChange({ backbone: event.target.value as BackboneId })}>
              {BACKBONES.map((backbone) => (
                <option key={backbone.id} value={backbone.id}>
                  {backbone.label}
                </option>
              ))}
              <option value="custom">Custom YAML</option>
            </select>
            <InfoTip label="About this backbone" text={explanation} />
          </div>
        )}
      </Field>
      <div className="field-row">
        <Field label="Scale" hint={SCALE_HINTS[settings.scale]}>
          {(id) => (
            <select id={id} value={settings.scale} disabled={active} onChange={(event) => onChange({ scale: event.target.value as ModelScale })}>
              {SCALES.map((scale) => (
                <option key={scale} value={scale}>
                  {scale}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Classes (nc)" hint="from the dataset">
          {(id) => <output id={id} className="readonly-value num" title={props.classNames.join(', ')}>{props.nc}</output>}
        </Field>
      </div>
      <div className="field-row">
        <Field label="Image size">{(id) => numberInput('img', id, 'Image size')}</Field>
        <Field label="Batch">{(id) => numberInput('batch', id, 'Batch')}</Field>
      </div>
      <div className="field-row">
        <Field label="Epochs">{(id) => numberInput('epochs', id, 'Epochs')}</Field>
        <Field label="lr0">{(id) => numberInput('lr0', id, 'lr0')}</Field>
      </div>
      <div className="field-row">
        <Field label="Seed">{(id) => numberInput('seed', id, 'Seed')}</Field>
        <Field label="Backend">
          {(id) => (
            <select id={id} value={settings.backend} disabled={active} onChange={(event) => onChange({ backend: event.target.value as LabSettings['backend'] })}>
              {BACKENDS.map((backend) => (
                <option key={backend} value={backend}>
                  {backendLabel(backend)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {props.backendLine && (
        <p className={props.backendLine.warn ? 'field-hint warn' : 'field-hint'} role={props.backendLine.warn ? 'alert' : undefined} aria-label="Backend choice">
          {props.backendLine.text}
        </p>
      )}
      <label className="checkbox-field">
        <input type="checkbox" checked={settings.autoAnchor} disabled={active} onChange={(event) => onChange({ autoAnchor: event.target.checked })} />
        AutoAnchor (fit the anchors to the training boxes at this image size)
      </label>
      <details className="hyp-details">
        <summary>Hyperparameters (hyp.yaml)</summary>
        <p className="muted small">
          ScaledYOLOv4 keys over the lab preset (public/hyps/lab.yaml); start the text with <code>base: scratch</code> for
          the seed&apos;s hyp.scratch.yaml. The lr0 field above overrides lr0 here.
        </p>
        <YamlEditor label="Hyperparameters YAML" value={props.hypText} problems={props.hypProblems} onChange={props.onHypChange} rows={12} />
      </details>

      <div className="button-row primary-actions">
        <button type="button" className="button primary" onClick={props.onTrain} disabled={!props.canTrain || active}>
          Train
        </button>
        <button type="button" className="button" onClick={props.onStep} disabled={running || (!active && !props.canTrain)} title="Run exactly one optimizer step">
          Step
        </button>
      </div>
      <div className="button-row">
        <button type="button" className="button" onClick={props.onPause} disabled={!running}>
          Pause
        </button>
        <button type="button" className="button" onClick={props.onResume} disabled={!paused}>
          Resume
        </button>
        <button type="button" className="button danger" onClick={props.onStop} disabled={!active}>
          Stop
        </button>
      </div>
      <button type="button" className="button wide" onClick={props.onTrainAll} disabled={!props.canTrain || active}>
        Train all four backbones
      </button>
      {props.queued > 0 && <p className="muted small">{props.queued} run(s) queued after this one.</p>}
      {props.blockers.length > 0 && (
        <ul className="blockers small" aria-label="Why training cannot start">
          {props.blockers.map((blocker) => (
            <li key={blocker}>{blocker}</li>
          ))}
        </ul>
      )}
      <button type="button" className="link-button share" onClick={props.onShare}>
        Copy link to this experiment
      </button>
      <span role="status" className="small muted share-note">
        {props.shareNote}
      </span>
    </form>
  );
}
