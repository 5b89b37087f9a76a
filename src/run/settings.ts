/**
 * What defines a run: its settings and its lifecycle status. Plain structured-clone data, so the same objects are
 * stored in IndexedDB, sent to the worker and read by the CLI.
 */
import type { BackendChoice } from '../runtime/backend';

/** Model scales, as the model zoo names them (depth/width multiples are applied by the model builder). */
export type ModelScale = 'n' | 's' | 'm' | 'l';

/**
 * Where the training images come from.
 * - `url`: a YOLO-format folder served over HTTP, read with fetch. Prefer a URL relative to the page (the bundled set:
 *   `/data/vehicles/`): it is stored with the run, and a relative one still works when the lab moves to another origin.
 * - `files`: a user's import (folder picker or drag and drop). Files are Blobs, so they are cloned by reference.
 */
export type DataSourceSpec =
  | { kind: 'url'; baseUrl: string }
  | { kind: 'files'; files: { path: string; file: Blob }[]; format?: 'yolo' | 'coco'; classes?: string[] }
  /** A folder on disk (the CLI's `--data`); only the Node driver can read it. */
  | { kind: 'folder'; path: string };

/** Everything that defines a run. Persisted as the run's settings and sent to the worker in `init`. */
export interface RunSettings {
  runId: string;
  /** Human name shown in the run list (defaults to backbone + time). */
  name: string;
  /** The model YAML text (one of public/models/*.yaml, or the user's edit). */
  modelYaml: string;
  /** File name of the YAML, for exports (e.g. `yolov4-resnet50.yaml`). */
  modelName: string;
  /** null: the YAML's own depth/width multiples (the CLI without `--scale`). */
  scale: ModelScale | null;
  nc: number;
  /** The dataset's class names; empty means "whatever the data names" (the CLI), filled in when the run is built. */
  classNames: string[];
  data: DataSourceSpec;
  /** hyp YAML text with ScaledYOLOv4 keys; empty means the lab's defaults (hyp.scratch of the yolov4-csp line). */
  hypYaml: string;
  /** Form values that override keys of `hypYaml` (e.g. lr0 from the lr input). */
  hypOverrides: Record<string, number>;
  img: number;
  batch: number;
  epochs: number;
  seed: number;
  /** AutoAnchor at the start of the run (default on; `--noautoanchor` in the CLI). */
  autoAnchor?: boolean;
  /** 'auto': the fastest the machine has (the CLI's default). */
  backend: BackendChoice;
}

/** Run lifecycle, as the page shows it. */
export type RunStatus = 'idle' | 'running' | 'paused' | 'stopped' | 'done' | 'failed';
