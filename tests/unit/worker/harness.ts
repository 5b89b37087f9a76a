/**
 * Runs the real worker logic (TrainingSession over a run assembled by src/run) in Node, behind the real TrainingClient,
 * through the in-process transport. The model is a real YAML model (tiny-run.ts), small enough for the cpu backend;
 * the data is the first few images of the bundled vehicle set.
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { nodeFileSource, nodeImageDecoder } from '../../../src/cli/node-files';
import type { FileSource } from '../../../src/data/types';
import { assembleRun } from '../../../src/run/assemble';
import { RunStore } from '../../../src/store/run-store';
import type { BackendHandle } from '../../../src/worker/backend-handle';
import { TrainingClient } from '../../../src/worker/client';
import { InProcessWorker } from '../../../src/worker/in-process';
import type { RunStatus, WorkerEvent, WorkerEventOf, WorkerEventType } from '../../../src/worker/protocol';
import { TrainingSession, type SessionDeps } from '../../../src/worker/session';

export { TINY_YAML, tinySettings } from './tiny-run';

const VEHICLES = join(process.cwd(), 'public', 'data', 'vehicles');

/** The bundled set cut to its first `train` and `val` images (with their labels and data.yaml). */
export function tinyVehicleSource(train = 4, val = 2): FileSource {
  const full = nodeFileSource(VEHICLES);
  const keep = (file: string): boolean => {
    const match = /^(images|labels)\/(train|val)\/\w+_(\d+)\./.exec(file);
    if (!match) return file === 'data.yaml';
    return Number(match[3]) < (match[2] === 'train' ? train : val);
  };
  return { list: async () => (await full.list()).filter(keep), read: (path) => full.read(path) };
}

export interface HarnessOptions {
  store: RunStore;
  /** Replaces the backend preparation (to simulate a device that gets lost). */
  prepareBackend?: SessionDeps['prepareBackend'];
}

/** A cpu "device" per worker, whose loss the test triggers, standing in for WebGPU's device.lost. */
export function losableCpuDevice(): { prepare: SessionDeps['prepareBackend']; lose(reason: string): void } {
  let loseCurrent: (reason: string) => void = () => undefined;
  return {
    prepare: async (): Promise<BackendHandle> => {
      await tf.setBackend('cpu');
      // Each worker gets a fresh device, as a fresh WebGPU worker would.
      const lost = new Promise<string>((resolve) => (loseCurrent = resolve));
      return { backend: 'cpu', adapter: null, deviceLost: lost };
    },
    lose: (reason) => loseCurrent(reason),
  };
}

/** A client whose workers are in-process sessions over the shared store; every event is recorded. */
export class Harness {
  readonly events: WorkerEvent[] = [];
  readonly workers: InProcessWorker[] = [];
  readonly client: TrainingClient;

  constructor(private readonly options: HarnessOptions) {
    this.client = new TrainingClient(() => this.spawn(), options.store);
    this.client.subscribe((event) => this.events.push(event));
  }

  private spawn(): InProcessWorker {
    const worker = new InProcessWorker(
      (post) =>
        new TrainingSession({
          post,
          openStore: async () => this.options.store,
          prepareBackend:
            this.options.prepareBackend ??
            (async () => {
              await tf.setBackend('cpu');
              return { backend: 'cpu', adapter: null };
            }),
          createEngine: (settings, resumeState, changes) =>
            assembleRun(settings, { source: tinyVehicleSource(), decoder: nodeImageDecoder, previewImages: 2 }, resumeState, changes),
          yieldToEvents: () => new Promise((resolve) => setImmediate(resolve)),
        }),
    );
    this.workers.push(worker);
    return worker;
  }

  get worker(): InProcessWorker {
    const worker = this.workers[this.workers.length - 1];
    if (!worker) throw new Error('no worker yet');
    return worker;
  }

  of<T extends WorkerEventType>(type: T): WorkerEventOf<T>[] {
    return this.events.filter((event): event is WorkerEventOf<T> => event.type === type);
  }

  /** Resolves with the first event (from now or already seen after `from`) that matches. */
  waitFor<T extends WorkerEventType>(
    type: T,
    match: (event: WorkerEventOf<T>) => boolean = () => true,
    timeoutMs = 60_000,
  ): Promise<WorkerEventOf<T>> {
    const seen = this.of(type).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`no '${type}' event within ${timeoutMs} ms; last events: ${this.events.slice(-5).map((e) => e.type).join(', ')}`));
      }, timeoutMs);
      const stop = this.client.on(type, (event) => {
        if (!match(event)) return;
        clearTimeout(timer);
        stop();
        resolve(event);
      });
    });
  }

  /** The `done` event among the events from index `since` on: the last a finished run posts, after its 'done' status. */
  waitForDone(since = 0): Promise<WorkerEventOf<'done'>> {
    return this.waitFor('done', (event) => this.events.indexOf(event) >= since);
  }

  /** The first `state` event with this status among the events from index `since` on. */
  waitForState(status: RunStatus, since = 0): Promise<WorkerEventOf<'state'>> {
    return this.waitFor('state', (event) => event.status === status && this.events.indexOf(event) >= since);
  }
}
