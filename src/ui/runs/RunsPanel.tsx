/**
 * The run list: colour, name (renamable), backbone, status, epochs, best mAP@0.5, duration; resume, export (run file,
 * PyTorch hand-off bundle or results.csv), delete; import a run file.
 */
import { useId, useState } from 'react';
import { RUN_FILE_EXTENSION, type RunHistory, type RunRecord } from '../../store';
import { downloadBlob, downloadText } from '../charts/export';
import { formatDuration } from '../../run/format';
import { canResume, runListStatus } from './run-status';

export interface RunRowView {
  run: RunRecord;
  color: string;
  backbone: string;
  history: RunHistory | undefined;
}

interface RunsPanelProps {
  rows: readonly RunRowView[];
  activeRunId?: string;
  busy: boolean;
  onResume(runId: string): void;
  /** Resume with the experiment form's hyperparameters (say, a smaller lr0 for a run that diverged). */
  onResumeWithFormHyp(runId: string): void;
  onRename(runId: string, name: string): Promise<void>;
  onDelete(runId: string): Promise<void>;
  onExport(runId: string): Promise<Uint8Array>;
  onExportPyTorch(runId: string): Promise<Uint8Array>;
  onResultsCsv(runId: string): string;
  onImport(file: File): Promise<void>;
  onDeleteOldCheckpoints(): Promise<void>;
}

const safeName = (name: string) => name.replace(/[^\w.-]+/g, '_');

const messageOf = (reason: unknown) => (reason instanceof Error ? reason.message : String(reason));

function downloadZip(bytes: Uint8Array, fileName: string): void {
  downloadBlob(new Blob([bytes as BlobPart], { type: 'application/zip' }), fileName);
}

function NameCell({ run, onRename }: { run: RunRecord; onRename(runId: string, name: string): Promise<void> }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(run.settings.name);
  if (!editing) {
    return (
      <span className="name-cell">
        {run.settings.name}
        <button type="button" className="link-button" aria-label={`Rename ${run.settings.name}`} onClick={() => { setDraft(run.settings.name); setEditing(true); }}>
          Rename
        </button>
      </span>
    );
  }
  const commit = async () => {
    setEditing(false);
    if (draft.trim() && draft !== run.settings.name) await onRename(run.runId, draft.trim());
  };
  return (
    <input
      className="rename-input"
      aria-label="New run name"
      autoFocus
      value={draft}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={() => void commit()}
      onKeyDown={(event) => {
        if (event.key === 'Enter') void commit();
        if (event.key === 'Escape') setEditing(false);
      }}
    />
  );
}

export function RunsPanel(props: RunsPanelProps) {
  const importId = useId();
  const [error, setError] = useState<string>();
  return (
    <div className="runs-panel card">
      <header className="card-header">
        <h3>Runs</h3>
        <input
          id={importId}
          type="file"
          accept=".zip"
          className="visually-hidden"
          aria-label="Import a run file"
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) props.onImport(file).then(() => setError(undefined), (reason: unknown) => setError(`Import failed: ${messageOf(reason)}`));
          }}
        />
        <label htmlFor={importId} className="button file-button">
          Import run…
        </label>
        <button type="button" className="button" onClick={() => void props.onDeleteOldCheckpoints()}>
          Free space: delete old checkpoints
        </button>
      </header>
      {error && <p className="error-text">{error}</p>}
      {props.rows.length === 0 ? (
        <p className="muted">No runs yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table runs-table">
            <caption className="visually-hidden">Runs</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Backbone</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">Epochs</th>
                <th scope="col" className="num">Best mAP@0.5</th>
                <th scope="col" className="num">Duration</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map(({ run, color, backbone }) => {
                const isActive = run.runId === props.activeRunId;
                const status = runListStatus(run, props.activeRunId);
                const exportAs = (what: string, exporter: (runId: string) => Promise<Uint8Array>, fileName: string) =>
                  void exporter(run.runId).then(
                    (bytes) => downloadZip(bytes, fileName),
                    (reason: unknown) => setError(`${what} of ${run.settings.name} failed: ${messageOf(reason)}`),
                  );
                return (
                  <tr key={run.runId} className={isActive ? 'active-run' : undefined}>
                    <td>
                      <span className="swatch" style={{ background: color }} />
                      <NameCell run={run} onRename={props.onRename} />
                    </td>
                    <td>
                      {backbone} <span className="muted">· {run.settings.scale}</span>
                    </td>
                    <td>
                      <span className={`status-pill ${status}`}>{status}</span>
                      {run.cause && <div className="muted small">{run.cause}</div>}
                    </td>
                    <td className="num">
                      {run.epochsDone} / {run.settings.epochs}
                    </td>
                    <td className="num">{run.bestMap50 > 0 ? run.bestMap50.toFixed(3) : '—'}</td>
                    <td className="num">{formatDuration(run.trainMs)}</td>
                    <td>
                      <div className="actions">
                      <button type="button" className="link-button" disabled={!canResume(status, isActive, props.busy)} onClick={() => props.onResume(run.runId)} aria-label={`Resume ${run.settings.name}`}>
                        Resume
                      </button>
                      <button
                        type="button"
                        className="link-button"
                        disabled={!canResume(status, isActive, props.busy)}
                        onClick={() => props.onResumeWithFormHyp(run.runId)}
                        aria-label={`Resume ${run.settings.name} with the form's hyperparameters`}
                        title="Continue this run with the hyperparameters in the experiment form (lr0 and hyp.yaml), e.g. a smaller lr0 after a divergence"
                      >
                        Resume with form hyp
                      </button>
                      <button
                        type="button"
                        className="link-button"
                        aria-label={`Export ${run.settings.name}`}
                        onClick={() => exportAs('Export', props.onExport, `${safeName(run.settings.name)}${RUN_FILE_EXTENSION}`)}
                      >
                        Export
                      </button>
                      <button
                        type="button"
                        className="link-button"
                        aria-label={`PyTorch bundle of ${run.settings.name}`}
                        title="The YAML, hyp.yaml, data.yaml, EMA weights and a loader script, to continue training in ScaledYOLOv4"
                        onClick={() => exportAs('PyTorch export', props.onExportPyTorch, `${safeName(run.settings.name)}-pytorch.zip`)}
                      >
                        PyTorch bundle
                      </button>
                      <button
                        type="button"
                        className="link-button"
                        aria-label={`Download results.csv of ${run.settings.name}`}
                        onClick={() => downloadText(props.onResultsCsv(run.runId), 'results.csv', 'text/csv')}
                      >
                        results.csv
                      </button>
                      <button
                        type="button"
                        className="link-button danger"
                        disabled={isActive && props.busy}
                        aria-label={`Delete ${run.settings.name}`}
                        onClick={() => {
                          if (window.confirm(`Delete run "${run.settings.name}" and its history?`)) void props.onDelete(run.runId);
                        }}
                      >
                        Delete
                      </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
