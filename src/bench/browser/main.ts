/** Hands the request in the URL hash to the worker and exposes its events as `window.__bench` for Playwright. */
import type { BrowserBenchEvent, BrowserBenchRequest } from './protocol';

const state: { events: BrowserBenchEvent[]; finished: boolean } = { events: [], finished: false };
(window as unknown as { __bench: typeof state }).__bench = state;
const log = document.getElementById('log')!;

const request = JSON.parse(decodeURIComponent(location.hash.slice(1))) as BrowserBenchRequest;
const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (e: MessageEvent<BrowserBenchEvent>) => {
  state.events.push(e.data);
  if (e.data.type !== 'row') state.finished = true;
  log.textContent += JSON.stringify(e.data) + '\n';
};
worker.onerror = (e) => {
  state.events.push({ type: 'error', message: `worker error: ${e.message}` });
  state.finished = true;
};
worker.postMessage(request);
