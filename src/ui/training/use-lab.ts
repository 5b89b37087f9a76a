/**
 * The page's training state: the run store (IndexedDB), every run's history, and the live worker. Components get
 * plain data and actions from here; nothing in the UI talks to the worker or the store any other way.
 */
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { exportPyTorchBundle, exportRunFile, importRunFile, RunStore, type RunHistory, type RunRecord } from '../../store';
import type { FeatureMapSet } from '../../model/feature-maps';
import { TrainingClient } from '../../worker/client';
import type {
  AdapterInfo,
  BackendName,
  PredictionImage,
  RecoveryOffer,
  RunSettings,
  RunStatus,
  StepInfo,
  ValidationDetails,
  WorkerEvent,
} from '../../worker/protocol';
import { downloadBlob } from '../charts/export';
import { LiveHistory, type HistoryMap } from './live-history';
import { RunQueue, isFinished, type QueuePosition } from './run-queue';

export interface LabMessage {
  id: number;
  level: 'error' | 'warning' | 'info';
  text: string;
  offers?: RecoveryOffer[];
}

export interface LiveRun {
  runId: string;
  status: RunStatus;
  cause?: string;
  backend?: BackendName;
  adapter?: AdapterInfo | null;
  /** wasm: the XNNPACK threads it runs. */
  wasmThreads?: number;
  /** Why Auto chose the backend. */
  backendNote?: string;
  step?: StepInfo;
  epochs: number;
  /** When this attempt began (for the ETA). */
  startedAt: number;
  stepsAtStart: number;
}

export interface LabPredictions {
  runId: string;
  epoch: number;
  images: PredictionImage[];
}

export interface LabDetails {
  runId: string;
  epoch: number;
  details: ValidationDetails;
  validatedNow: boolean;
}

export interface LabState {
  ready: boolean;
  storeError?: string;
  runs: RunRecord[];
  histories: HistoryMap;
  live?: LiveRun;
  predictions?: LabPredictions;
  /** The newest validation's details; `validatedNow` when it came from Validate now rather than an epoch's end. */
  details?: LabDetails;
  /** Each run's newest feature maps: live ones as epochs end, stored ones after a reload. */
  featureMaps: ReadonlyMap<string, FeatureMapSet>;
  messages: LabMessage[];
  queued: number;
  /** The active run's place in a queue of runs ("2 of 4"), while one is active. */
  queuePosition?: QueuePosition;
}

export interface LabActions {
  train(settings: RunSettings): void;
  trainAll(runs: readonly RunSettings[]): void;
  step(settings: RunSettings): void;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Drops the runs still waiting in the queue; the active run trains on. */
  cancelQueue(): void;
  validateNow(): void;
  exportWeights(): void;
  /** Continues a stored run; `hypYaml` (the form's hyp) replaces its hyperparameters from here on. */
  resumeRun(runId: string, hypYaml?: string): void;
  renameRun(runId: string, name: string): Promise<void>;
  deleteRun(runId: string): Promise<void>;
  /** The run file (history, checkpoint and resume state), so the run can be resumed where it is imported. */
  exportRun(runId: string): Promise<Uint8Array>;
  /** The hand-off bundle for continuing the run in PyTorch (needs a checkpoint). */
  exportPyTorchBundle(runId: string): Promise<Uint8Array>;
  importRun(bytes: Uint8Array): Promise<void>;
  deleteOldCheckpoints(): Promise<void>;
  dismissMessage(id: number): void;
}

let messageCounter = 0;

export function useLab(): [LabState, LabActions] {
  const [ready, setReady] = useState(false);
  const [storeError, setStoreError] = useState<string>();
  const [runs, setRuns] = useState<RunRecord[]>([]);
  const [histories, setHistories] = useState<HistoryMap>(new Map());
  const [live, setLive] = useState<LiveRun>();
  const [predictions, setPredictions] = useState<LabPredictions>();
  const [details, setDetails] = useState<LabDetails>();
  const [featureMaps, setFeatureMaps] = useState<ReadonlyMap<string, FeatureMapSet>>(new Map());
  const [messages, setMessages] = useState<LabMessage[]>([]);
  const [queued, setQueued] = useState(0);
  const [queuePosition, setQueuePosition] = useState<QueuePosition>();

  const storeRef = useRef<RunStore>(undefined);
  const historyRef = useRef<LiveHistory>(undefined);
  const queueRef = useRef(new RunQueue());
  const clientRef = useRef<TrainingClient>(undefined);
  const liveRef = useRef<LiveRun>(undefined);
  liveRef.current = live;

  const say = useCallback((level: LabMessage['level'], text: string, offers?: RecoveryOffer[]) => {
    // The same notice from each queued run is shown once.
    setMessages((list) => [...list.filter((message) => message.text !== text).slice(-4), { id: ++messageCounter, level, text, offers }]);
  }, []);

  const openStore = useCallback((): RunStore => {
    if (!storeRef.current) throw new Error('the run store (IndexedDB) is not open');
    return storeRef.current;
  }, []);

  const refreshRuns = useCallback(async () => {
    const store = storeRef.current;
    if (store) setRuns(await store.listRuns());
  }, []);

  const startRun = useCallback((settings: RunSettings, mode: 'train' | 'step') => {
    const client = clientRef.current;
    if (!client) return;
    setLive({ runId: settings.runId, status: 'idle', epochs: settings.epochs, startedAt: Date.now(), stepsAtStart: 0 });
    setPredictions(undefined);
    setDetails(undefined);
    client.init(settings);
    if (mode === 'train') client.start();
    else client.stepOnce();
  }, []);

  const startNextQueued = useCallback(
    (status: RunStatus | undefined) => {
      const next = queueRef.current.next(status);
      setQueued(queueRef.current.pending.length);
      setQueuePosition(queueRef.current.current);
      if (next) startRun(next, 'train');
    },
    [startRun],
  );

  const onEvent = useCallback(
    (event: WorkerEvent) => {
      const patchLive = (patch: Partial<LiveRun>) =>
        setLive((current) => (current && current.runId === event.runId ? { ...current, ...patch } : current));
      switch (event.type) {
        case 'ready':
          patchLive({ backend: event.backend, adapter: event.adapter, wasmThreads: event.wasmThreads, backendNote: event.note });
          return;
        case 'state':
          // The ETA counts from when this stretch of running began, so pauses do not skew the step rate.
          setLive((current) => {
            if (!current || current.runId !== event.runId) return current;
            const started = event.status === 'running' && current.status !== 'running';
            return {
              ...current,
              status: event.status,
              cause: event.cause,
              ...(started ? { startedAt: Date.now(), stepsAtStart: event.globalStep ?? current.step?.globalStep ?? 0 } : {}),
            };
          });
          void refreshRuns();
          if (isFinished(event.status)) startNextQueued(event.status);
          return;
        case 'step': {
          const { type: _type, runId, attempt, ...info } = event;
          historyRef.current?.appendStep({ ...info, runId, attempt });
          patchLive({ step: info });
          return;
        }
        case 'epoch':
          historyRef.current?.appendEpoch({ runId: event.runId, attempt: event.attempt, record: event.record, time: event.time, details: event.details });
          if (event.details) setDetails({ runId: event.runId, epoch: event.record.epoch, details: event.details, validatedNow: false });
          void refreshRuns();
          return;
        case 'validation':
          if (event.details) setDetails({ runId: event.runId, epoch: event.epoch, details: event.details, validatedNow: true });
          return;
        case 'predictions':
          setPredictions({ runId: event.runId, epoch: event.epoch, images: event.images });
          return;
        case 'feature-maps':
          setFeatureMaps((current) => new Map(current).set(event.runId, event.featureMaps));
          return;
        case 'checkpoint':
          if (!event.saved) say('warning', `Checkpoint at epoch ${event.epoch} could not be saved.`);
          void refreshRuns();
          return;
        case 'weights':
          downloadBlob(new Blob([event.bytes], { type: 'application/octet-stream' }), event.fileName);
          return;
        case 'warning':
          say('warning', event.message, event.offers);
          return;
        case 'log':
          // Info lines (where a resumed run picked up, a store that recovered) are news to the user; debug lines
          // are for the console.
          if (event.level === 'info') say('info', event.message.charAt(0).toUpperCase() + event.message.slice(1) + '.');
          else console.debug(`[worker] ${event.message}`);
          return;
        case 'error':
          say('error', event.message, event.offers);
          void refreshRuns();
          return;
        case 'done':
          patchLive({ status: 'done' });
          say('info', `Run finished: ${event.epochs} epoch${event.epochs === 1 ? '' : 's'}, best mAP@0.5 ${event.best.toFixed(3)}.`);
          void refreshRuns();
          // The next queued run starts on the 'done' state event, not here: starting it terminates this worker,
          // which may not have stored the run's final status yet.
          return;
        default:
          return;
      }
    },
    [refreshRuns, say, startNextQueued],
  );

  useEffect(() => {
    let disposed = false;
    // History updates redraw the charts: a transition, so React renders them in slices between the page's input
    // events instead of one long main-thread task.
    const history = new LiveHistory((next) => startTransition(() => setHistories(next)));
    historyRef.current = history;
    (async () => {
      try {
        const store = await RunStore.open();
        if (disposed) return store.close();
        storeRef.current = store;
        const client = new TrainingClient(undefined, store);
        clientRef.current = client;
        // The e2e build (VITE_LAB_TEST_HOOKS=1) lets a test lose the worker's GPU device.
        if (import.meta.env.VITE_LAB_TEST_HOOKS === '1') Object.assign(window, { labTestHooks: { loseDevice: () => clientRef.current?.loseDeviceForTest() } });
        client.subscribe(onEvent);
        const list = await store.listRuns();
        const loaded = new Map<string, RunHistory>();
        for (const run of list) loaded.set(run.runId, await store.getHistory(run.runId));
        history.replaceAll(loaded);
        setRuns(list);
        // What the Predictions tab showed before the reload: every run's feature maps, the newest run's val images.
        const views = await Promise.all(list.map((run) => store.getViews(run.runId)));
        if (disposed) return;
        setFeatureMaps(new Map(views.flatMap((view) => (view?.featureMaps ? [[view.runId, view.featureMaps] as const] : []))));
        const newest = views[0];
        if (newest?.predictions) setPredictions((live) => live ?? { runId: newest.runId, ...newest.predictions! });
      } catch (error) {
        setStoreError(error instanceof Error ? error.message : String(error));
      } finally {
        if (!disposed) setReady(true);
      }
    })();
    return () => {
      disposed = true;
      history.dispose();
      clientRef.current?.terminate();
      storeRef.current?.close();
    };
  }, [onEvent]);

  const actions = useMemo<LabActions>(
    () => ({
      train: (settings) => startRun(settings, 'train'),
      trainAll: (list) => {
        const first = queueRef.current.start(list);
        setQueued(queueRef.current.pending.length);
        setQueuePosition(queueRef.current.current);
        if (first) startRun(first, 'train');
      },
      step: (settings) => {
        const current = liveRef.current;
        if (clientRef.current?.hasWorker && current && !isFinished(current.status)) clientRef.current.stepOnce();
        else startRun(settings, 'step');
      },
      pause: () => clientRef.current?.pause(),
      resume: () => {
        const current = liveRef.current;
        if (clientRef.current?.hasWorker) clientRef.current.resume();
        else if (current) actions.resumeRun(current.runId);
      },
      cancelQueue: () => {
        queueRef.current.clear();
        setQueued(0);
      },
      stop: () => {
        queueRef.current.clear();
        setQueued(0);
        clientRef.current?.stop();
      },
      validateNow: () => clientRef.current?.validateNow(),
      exportWeights: () => clientRef.current?.exportWeights('ema'),
      resumeRun: (runId, hypYaml) => {
        const run = runs.find((candidate) => candidate.runId === runId);
        const client = clientRef.current;
        if (!run || !client) return;
        setLive({ runId, status: 'paused', epochs: run.settings.epochs, startedAt: Date.now(), stepsAtStart: run.globalStep });
        client.resumeRun(run.settings, hypYaml);
      },
      renameRun: async (runId, name) => {
        await storeRef.current?.renameRun(runId, name);
        await refreshRuns();
      },
      deleteRun: async (runId) => {
        if (clientRef.current?.activeRunId === runId) clientRef.current.terminate();
        await storeRef.current?.deleteRun(runId);
        historyRef.current?.delete(runId);
        setFeatureMaps((current) => {
          const next = new Map(current);
          next.delete(runId);
          return next;
        });
        await refreshRuns();
      },
      exportRun: (runId) => exportRunFile(openStore(), runId),
      exportPyTorchBundle: (runId) => exportPyTorchBundle(openStore(), runId),
      importRun: async (bytes) => {
        const store = openStore();
        const runId = await importRunFile(store, bytes);
        historyRef.current?.set(runId, await store.getHistory(runId));
        const featureMapSet = (await store.getViews(runId))?.featureMaps;
        if (featureMapSet) setFeatureMaps((current) => new Map(current).set(runId, featureMapSet));
        await refreshRuns();
      },
      deleteOldCheckpoints: async () => {
        const freed = await storeRef.current?.deleteOldCheckpoints(1);
        if (freed) say('info', `Deleted ${freed.deleted} old checkpoints (${(freed.freedBytes / 2 ** 20).toFixed(1)} MiB).`);
      },
      dismissMessage: (id) => setMessages((list) => list.filter((message) => message.id !== id)),
    }),
    [openStore, refreshRuns, runs, say, startRun],
  );

  return [{ ready, storeError, runs, histories, live, predictions, details, featureMaps, messages, queued, queuePosition }, actions];
}
