/** Backend and adapter, a progress bar with epoch, iteration and ETA, images/s and memory. */
import { formatAdapter, type AdapterInfo } from '../../runtime/adapter-info';
import type { BackendChoice } from '../../runtime/backend';
import { formatBytes, formatDuration } from '../../run/format';
import type { LiveRun } from './use-lab';
import { progressOf } from './progress';
import { queueStatusText, type QueuePosition } from './run-queue';

export function adapterText(adapter: AdapterInfo | null | undefined): string {
  return adapter ? formatAdapter(adapter) : 'no adapter';
}

const BACKEND_LABELS: Record<BackendChoice, string> = { auto: 'Auto', webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly (CPU)', cpu: 'CPU (plain JS)' };

export function backendLabel(backend: BackendChoice): string {
  return BACKEND_LABELS[backend];
}

/** What runs the backend: the GPU adapter, or for wasm its CPU threads. */
function backendDetail(live: LiveRun): string {
  if (live.backend === 'wasm' && live.wasmThreads) return `${live.wasmThreads} thread${live.wasmThreads === 1 ? '' : 's'}`;
  return adapterText(live.adapter);
}

/** A queue of runs in progress: where it stands, the active run's backbone, and a way to drop the rest. */
export interface QueueStatus {
  position: QueuePosition;
  backbone: string;
  waiting: number;
  onCancel(): void;
}

export function StatusPanel({ live, queue }: { live: LiveRun | undefined; queue?: QueueStatus }) {
  const step = live?.step;
  const progress = step && live ? progressOf(step, live.epochs, live.startedAt, live.stepsAtStart) : undefined;
  return (
    <section className="status-panel" aria-label="Training status">
      <dl className="status-grid">
        <dt>Status</dt>
        <dd>
          <span className={`status-pill ${live?.status ?? 'idle'}`} data-testid="run-status">
            {live?.status ?? 'idle'}
          </span>
          {live?.cause && <span className="muted small"> — {live.cause}</span>}
        </dd>
        <dt>Backend</dt>
        <dd title={live?.backendNote}>{live?.backend ? `${backendLabel(live.backend)} · ${backendDetail(live)}` : '—'}</dd>
      </dl>
      {queue && (
        <div className="queue-status small" data-testid="queue-status">
          <span>
            {queueStatusText(queue.position, queue.backbone, step && live ? { current: step.epoch + 1, total: live.epochs } : undefined)}
          </span>
          {queue.waiting > 0 && (
            <button type="button" className="link-button" onClick={queue.onCancel}>
              Cancel the {queue.waiting} queued run{queue.waiting === 1 ? '' : 's'}
            </button>
          )}
        </div>
      )}
      <div className="progress-block">
        <div
          className="progress-bar"
          role="progressbar"
          aria-label="Training progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round((progress?.fraction ?? 0) * 100)}
        >
          <div className="progress-fill" style={{ width: `${(progress?.fraction ?? 0) * 100}%` }} />
        </div>
        <div className="progress-labels small">
          <span>Epoch {progress?.epochLabel ?? '—'}</span>
          <span>Iter {progress?.iterationLabel ?? '—'}</span>
          <span>ETA {progress?.etaMs === undefined ? '—' : formatDuration(progress.etaMs)}</span>
        </div>
      </div>
      <dl className="status-grid metrics">
        <dt>Images/s</dt>
        <dd className="num">{step ? step.imagesPerSec.toFixed(step.imagesPerSec < 10 ? 2 : 1) : '—'}</dd>
        <dt>Memory</dt>
        <dd className="num">{step ? formatBytes(step.memoryBytes) : '—'}</dd>
        <dt>Tensors</dt>
        <dd className="num">{step ? step.numTensors.toLocaleString('en-US') : '—'}</dd>
      </dl>
    </section>
  );
}
