/**
 * The data tab: bundled set or import (folder picker, drag and drop, COCO json + images), per-class box counts per
 * split, the problems the importer found, and a grid of sample images with their boxes.
 */
import { useEffect, useId, useMemo, useState, type DragEvent } from 'react';
import type { LabeledImage } from '../../data/types';
import { BoxCanvas, classColor, type DrawBox, type ImageInput } from '../components/BoxCanvas';
import { fromDataTransfer, fromFileList } from './picked-files';
import type { DatasetState, ImportRequest, LoadedDataset } from './use-dataset';

const DEFAULT_COCO_CLASSES = 'motorcycle, car, bus, truck';
const SAMPLE_COUNT = 12;

function ClassCounts({ data }: { data: LoadedDataset }) {
  const splits = Object.entries(data.summary.splits);
  const totals = data.summary.names.map((name) => splits.reduce((sum, [, split]) => sum + (split.boxes[name] ?? 0), 0));
  const max = Math.max(1, ...totals);
  return (
    <table className="data-table counts-table">
      <caption>Boxes per class</caption>
      <thead>
        <tr>
          <th scope="col">Class</th>
          {splits.map(([name]) => (
            <th scope="col" key={name} className="num">
              {name}
            </th>
          ))}
          <th scope="col">Share</th>
        </tr>
      </thead>
      <tbody>
        {data.summary.names.map((name, cls) => (
          <tr key={name}>
            <th scope="row">
              <span className="swatch" style={{ background: classColor(cls) }} /> {cls} {name}
            </th>
            {splits.map(([split, summary]) => (
              <td key={split} className="num">
                {(summary.boxes[name] ?? 0).toLocaleString('en-US')}
              </td>
            ))}
            <td className="bar-cell">
              <span className="bar" style={{ width: `${(totals[cls] / max) * 100}%`, background: classColor(cls) }} />
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Images (background)</th>
          {splits.map(([split, summary]) => (
            <td key={split} className="num">
              {summary.images.toLocaleString('en-US')} ({summary.background})
            </td>
          ))}
          <td />
        </tr>
      </tfoot>
    </table>
  );
}

function sampleBoxes(image: LabeledImage): DrawBox[] {
  return image.boxes.map((box) => ({
    cls: box.cls,
    x1: (box.cx - box.w / 2) * image.width,
    y1: (box.cy - box.h / 2) * image.height,
    x2: (box.cx + box.w / 2) * image.width,
    y2: (box.cy + box.h / 2) * image.height,
  }));
}

function SampleGrid({ data }: { data: LoadedDataset }) {
  const samples = useMemo(() => {
    const splitNames = Object.keys(data.dataset.splits);
    const split = splitNames.find((name) => /val/i.test(name)) ?? splitNames[0];
    return split ? data.dataset.splits[split].slice(0, SAMPLE_COUNT) : [];
  }, [data]);
  const [images, setImages] = useState<Map<string, ImageInput>>(new Map());
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const loaded = new Map<string, ImageInput>();
      for (const sample of samples) {
        try {
          const bytes = await data.source.read(sample.file);
          loaded.set(sample.file, { kind: 'blob', blob: new Blob([bytes as BlobPart]) });
        } catch {
          // A missing image is already listed among the problems.
        }
      }
      if (!cancelled) setImages(loaded);
    })();
    return () => {
      cancelled = true;
    };
  }, [samples, data.source]);
  const boxes = useMemo(() => new Map(samples.map((sample) => [sample.file, sampleBoxes(sample)])), [samples]);
  if (samples.length === 0) return <p className="muted">No images to show.</p>;
  return (
    <div className="sample-grid" aria-label="Sample images with their boxes">
      {samples.map((sample) => {
        const image = images.get(sample.file);
        return (
          <figure key={sample.file} className="sample">
            {image ? (
              <BoxCanvas image={image} boxes={boxes.get(sample.file) ?? []} names={data.dataset.names} label={`${sample.file}: ${sample.boxes.length} boxes`} size={168} />
            ) : (
              <div className="sample-placeholder" />
            )}
            <figcaption className="small muted">{sample.file.split('/').pop()}</figcaption>
          </figure>
        );
      })}
    </div>
  );
}

function ImportControls({ onImport, onBundled }: { onImport(request: ImportRequest): void; onBundled(): void }) {
  const [classes, setClasses] = useState(DEFAULT_COCO_CLASSES);
  const [dragging, setDragging] = useState(false);
  const folderId = useId();
  const cocoId = useId();
  const classesId = useId();
  const cocoClasses = () => classes.split(',').map((name) => name.trim()).filter(Boolean);

  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const files = await fromDataTransfer(event.dataTransfer);
    if (files.length) onImport({ files, label: `Dropped folder (${files.length} files)`, classes: cocoClasses() });
  };

  return (
    <div className="import-controls">
      <div className="button-row">
        <button type="button" className="button" onClick={onBundled}>
          Use the bundled vehicle set
        </button>
        <input
          id={folderId}
          type="file"
          className="visually-hidden"
          aria-label="Import a dataset folder (YOLO or COCO)"
          // @ts-expect-error webkitdirectory is not in React's input typings
          webkitdirectory=""
          multiple
          onChange={(event) => {
            const files = event.target.files;
            if (files?.length) onImport({ files: fromFileList(files), label: `Folder (${files.length} files)`, classes: cocoClasses() });
          }}
        />
        <label htmlFor={folderId} className="button file-button">
          Import a folder…
        </label>
        <input
          id={cocoId}
          type="file"
          className="visually-hidden"
          aria-label="Import a COCO instances json with its images"
          multiple
          accept=".json,image/*"
          onChange={(event) => {
            const files = event.target.files;
            if (files?.length) onImport({ files: fromFileList(files), format: 'coco', classes: cocoClasses(), label: `COCO (${files.length} files)` });
          }}
        />
        <label htmlFor={cocoId} className="button file-button">
          COCO json + images…
        </label>
      </div>
      <div className="field inline">
        <label htmlFor={classesId}>COCO classes to keep</label>
        <input id={classesId} type="text" value={classes} onChange={(event) => setClasses(event.target.value)} />
      </div>
      <div
        className={dragging ? 'drop-zone active' : 'drop-zone'}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => void onDrop(event)}
      >
        Or drop a dataset folder here (YOLO: data.yaml or classes.txt with images/ and labels/; COCO: instances_*.json with images)
      </div>
    </div>
  );
}

export function DataPanel({ state, onImport, onBundled }: { state: DatasetState; onImport(request: ImportRequest): void; onBundled(): void }) {
  return (
    <div className="data-panel">
      <section className="card">
        <h3>Source</h3>
        <p>
          <strong>{state.label}</strong>{' '}
          {state.status === 'loading' && <span className="muted">loading…</span>}
          {state.status === 'ready' && (
            <span className="muted">
              {state.dataset.format.toUpperCase()} · {state.dataset.names.length} classes: {state.dataset.names.join(', ')}
            </span>
          )}
        </p>
        {state.status === 'error' && <p className="error-text">Could not load it: {state.error}</p>}
        <ImportControls onImport={onImport} onBundled={onBundled} />
      </section>
      {state.status === 'ready' && (
        <>
          <div className="two-col">
            <section className="card">
              <ClassCounts data={state} />
            </section>
            <section className="card">
              <h3>Problems found ({state.summary.problems.length})</h3>
              {state.summary.problems.length === 0 ? (
                <p className="muted">None: every image and label line was read.</p>
              ) : (
                <ul className="problem-list small">
                  {state.summary.problems.slice(0, 200).map((problem, i) => (
                    <li key={i}>
                      <span className="mono">{problem.file}</span>: {problem.problem}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
          <section className="card">
            <h3>Samples</h3>
            <SampleGrid data={state} />
          </section>
        </>
      )}
    </div>
  );
}
