/** Runs benchmark rows inside a module worker, as the lab's training worker would run the same steps. */
import { buildModel, isScale } from '../../model/index';
import { benchRow } from '../train-bench';
import type { BrowserBenchEvent, BrowserBenchRequest } from './protocol';

const post = (event: BrowserBenchEvent) => self.postMessage(event);

// Set before any await, so the request is never missed.
self.onmessage = (e: MessageEvent<BrowserBenchRequest>) => {
  run(e.data).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
};

async function run({ jobs, settings }: BrowserBenchRequest): Promise<void> {
  for (const job of jobs) {
    const yaml = await (await fetch(`/models/${job.yamlFile}`)).text();
    const scale = job.scale;
    if (!isScale(scale)) throw new Error(`unknown scale ${scale}`);
    const row = await benchRow(
      { model: job.model, scale, yamlPath: null, build: async (seed) => buildModel(yaml, { scale, nc: 4, seed }) },
      settings,
    );
    post({ type: 'row', row });
  }
  post({ type: 'done' });
}
