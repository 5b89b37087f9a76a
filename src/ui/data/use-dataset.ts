/**
 * The dataset the next run trains on: the bundled vehicle set by default, or the user's import. The page loads it
 * with the data core's importers (pure TypeScript, no tfjs) to show counts, problems and samples; the worker loads
 * it again from the same source spec, resolved the same way (browserSourceFor).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { BUNDLED_VEHICLES_URL, loadDataset, summarizeDataset, type DatasetSummary } from '../../data';
import type { Dataset, FileSource } from '../../data/types';
import type { DataSourceSpec } from '../../worker/protocol';
import { browserSourceFor } from '../../data/browser-source';
import { LatestRequest } from './latest-request';
import type { PickedFile } from './picked-files';

export interface LoadedDataset {
  label: string;
  dataset: Dataset;
  summary: DatasetSummary;
  source: FileSource;
  spec: DataSourceSpec;
}

export type DatasetState =
  | { status: 'loading'; label: string }
  | { status: 'error'; label: string; error: string }
  | ({ status: 'ready' } & LoadedDataset);

export interface ImportRequest {
  files: PickedFile[];
  format?: 'yolo' | 'coco';
  classes?: string[];
  label: string;
}

/** The bundled set, by its page-relative URL: stored with each run, it still resolves if the lab changes origin. */
const BUNDLED_SPEC: DataSourceSpec = { kind: 'url', baseUrl: BUNDLED_VEHICLES_URL };

export function useDataset(): [DatasetState, { loadBundled(): void; importFiles(request: ImportRequest): void }] {
  const [state, setState] = useState<DatasetState>({ status: 'loading', label: 'Bundled vehicle set' });

  const requests = useRef(new LatestRequest());

  const load = useCallback(async (label: string, spec: DataSourceSpec) => {
    const isNewest = requests.current.begin();
    setState({ status: 'loading', label });
    try {
      const source = browserSourceFor(spec, window.location.href);
      const options = spec.kind === 'files' ? { format: spec.format, classes: spec.classes } : { format: 'yolo' as const };
      const dataset = await loadDataset(source, options);
      if (isNewest()) setState({ status: 'ready', label, dataset, summary: summarizeDataset(dataset), source, spec });
    } catch (error) {
      if (isNewest()) setState({ status: 'error', label, error: error instanceof Error ? error.message : String(error) });
    }
  }, []);

  const loadBundled = useCallback(() => void load('Bundled vehicle set', BUNDLED_SPEC), [load]);

  const importFiles = useCallback(
    (request: ImportRequest) => {
      const spec: DataSourceSpec = { kind: 'files', files: request.files, format: request.format, classes: request.classes };
      void load(request.label, spec);
    },
    [load],
  );

  useEffect(() => loadBundled(), [loadBundled]);
  return [state, { loadBundled, importFiles }];
}
