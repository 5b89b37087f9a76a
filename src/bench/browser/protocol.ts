/** Messages between the browser benchmark page (driven by Playwright) and its worker. */
import type { BenchRow, RowSettings } from '../train-bench';

export interface BrowserBenchRequest {
  /** Short model name (src/bench/subjects.ts) and its YAML file under public/models. */
  jobs: { model: string; yamlFile: string; scale: string }[];
  settings: RowSettings;
}

export type BrowserBenchEvent =
  | { type: 'row'; row: BenchRow }
  | { type: 'done' }
  | { type: 'error'; message: string };
