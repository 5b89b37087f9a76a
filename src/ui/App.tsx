/**
 * Backbone Lab's page: experiment settings and run controls on the left, and tabs for the model, the data, the live
 * charts, the predictions and the runs. Settings live in the URL.
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { TAG_GROUPS, type EpochTag } from '../train/tags';
import type { RecoveryOffer } from '../worker/protocol';
import { ChartsPanel, type ChartRunEntry, type ChartView } from './charts/ChartsPanel';
import { runColor, runColors } from './charts/colors';
import { RunSeriesCache, type RunSeries } from './charts/series';
import { MessageBar } from './components/MessageBar';
import { Tabs, type TabSpec } from './components/Tabs';
import { DataPanel } from './data/DataPanel';
import { useDataset } from './data/use-dataset';
import { backboneOfModelName, BACKBONES } from './model/backbones';
import type { BackboneStageCounts } from './model/BackboneComparison';
import { checkModel } from './model/model-api';
import { ModelPanel } from './model/ModelPanel';
import { backboneLength, paramsByStage } from './model/stages';
import { useShippedYamls } from './model/use-shipped-yamls';
import { detailsTimeline } from './predictions/details-timeline';
import { FeatureMaps, type FeatureMapRow } from './predictions/FeatureMaps';
import { PredictionsPanel } from './predictions/PredictionsPanel';
import { LearnPanel } from './learn/LearnPanel';
import { RunsPanel, type RunRowView } from './runs/RunsPanel';
import { probeWebGpu, type GpuProbe } from './state/gpu-probe';
import { EXPERIMENTS, SHIPPED_BACKBONES, type ExperimentId, type LabSettings } from './state/settings';
import { useUrlSettings } from './state/use-url-settings';
import { useUrlView } from './state/use-url-view';
import type { TabId } from './state/view-url';
import { ExperimentForm } from './training/ExperimentForm';
import { DEFAULT_HYP_TEXT, hypProblems } from './training/hyp-check';
import { buildRunSettings, queueGroupName } from './training/run-settings';
import { adapterText, backendLabel, StatusPanel } from './training/StatusPanel';
import { backendLine, expectedBackend } from './training/backend-line';
import { useLab, type LiveRun } from './training/use-lab';
import { estimateTrainingMemory } from '../model/memory-estimate';
import { formatBytes } from '../run/format';
import { resolveHyp } from '../run/hyp';
import { hypToYaml } from '../train/hyp';
import type { BackendChoice } from '../runtime/backend';
import { resultsCsvOf, type RunHistory } from '../store';

const ALL_TAGS: EpochTag[] = Object.values(TAG_GROUPS).flat();
const EMPTY_HISTORY: RunHistory = { steps: [], epochs: [] };
/** Per run: its chart series, extended as a live run's steps arrive rather than rebuilt. */
const seriesCaches = new Map<string, RunSeriesCache>();

function seriesOf(runId: string, history: RunHistory, fallbackStart: number): RunSeries {
  let cache = seriesCaches.get(runId);
  if (!cache) seriesCaches.set(runId, (cache = new RunSeriesCache(ALL_TAGS, fallbackStart)));
  return cache.get(history);
}

/** The backend that trains (the live run's), else the one the Backend choice will get; WebGPU with its adapter. */
function BackendBadge({ probe, live, choice }: { probe: GpuProbe; live: LiveRun | undefined; choice: BackendChoice }) {
  const backend = live?.backend ?? expectedBackend(choice, probe);
  const prefix = live?.backend ? 'Training on' : 'Will train on';
  if (!backend) return <span className="badge">Checking WebGPU…</span>;
  if (backend !== 'webgpu') return <span className="badge ok">{prefix} {backendLabel(backend)}</span>;
  if (probe.status === 'unavailable') return <span className="badge warn" title={probe.reason}>WebGPU unavailable</span>;
  const adapter = live?.adapter ?? (probe.status === 'available' ? probe.adapter : undefined);
  return (
    <span className={adapter?.isFallbackAdapter ? 'badge warn' : 'badge ok'} title={adapter ? JSON.stringify(adapter.limits) : undefined}>
      {prefix} WebGPU · {adapterText(adapter)}
    </span>
  );
}

/** A GPU's share a training step may take when the page picks the Original experiment's batch. */
const ORIGINAL_MEMORY_BUDGET = 4 * 1024 ** 3;

export function App() {
  const [settings, updateSettings] = useUrlSettings();
  // The tab and the chart options live in the URL hash, so a reload or a shared link opens the same view.
  const [pageView, updatePageView] = useUrlView();
  const tab = pageView.tab;
  const setTab = useCallback((next: TabId) => updatePageView({ tab: next }), [updatePageView]);
  const view = useMemo<ChartView>(() => ({ smoothing: pageView.smoothing, mode: pageView.mode, logY: pageView.logY }), [pageView]);
  const setView = useCallback((next: ChartView) => updatePageView(next), [updatePageView]);
  const [probe, setProbe] = useState<GpuProbe>({ status: 'pending' });
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const { yamls, error: yamlFetchError } = useShippedYamls();
  const [dataset, datasetActions] = useDataset();
  const [lab, labActions] = useLab();

  useEffect(() => {
    void probeWebGpu().then(setProbe);
  }, []);

  const nc = dataset.status === 'ready' ? dataset.dataset.names.length : 4;
  const classNames = dataset.status === 'ready' ? dataset.dataset.names : ['motorcycle', 'car', 'bus', 'truck'];
  const yamlText = settings.backbone === 'custom' ? settings.customYaml : (yamls.get(settings.backbone) ?? '');
  const deferredYaml = useDeferredValue(yamlText);
  const modelCheck = useMemo(() => (deferredYaml ? checkModel(deferredYaml, nc, settings.scale) : undefined), [deferredYaml, nc, settings.scale]);
  const hypText = settings.hypYaml || DEFAULT_HYP_TEXT;
  const estimateFor = useCallback(
    (scale: LabSettings['scale'], img: number, batch: number) => {
      try {
        return deferredYaml ? estimateTrainingMemory(deferredYaml, { nc, scale, img, batch }).totalBytes : undefined;
      } catch {
        return undefined; // the YAML's own errors are shown by the model check
      }
    },
    [deferredYaml, nc],
  );
  const memory = useMemo(() => estimateFor(settings.scale, settings.img, settings.batch), [estimateFor, settings.scale, settings.img, settings.batch]);
  const onExperiment = (id: ExperimentId) => {
    const values = EXPERIMENTS[id].values;
    // The Original experiment's batch: 4 unless the memory estimate says it does not fit.
    const batch = id === 'original' ? ([4, 2, 1].find((b) => (estimateFor(values.scale, values.img, b) ?? 0) <= ORIGINAL_MEMORY_BUDGET) ?? 1) : values.batch;
    updateSettings({ ...values, batch });
  };
  const hypIssues = useMemo(() => hypProblems(hypText), [hypText]);

  const comparison = useMemo<BackboneStageCounts[]>(() => {
    if (yamls.size < SHIPPED_BACKBONES.length) return [];
    return SHIPPED_BACKBONES.flatMap((id) => {
      const text = yamls.get(id) ?? '';
      const check = checkModel(text, nc, settings.scale);
      return check.summary ? [{ id, byStage: paramsByStage(check.summary.rows, backboneLength(text)), total: check.summary.parameters }] : [];
    });
  }, [yamls, nc, settings.scale]);

  const blockers: string[] = [];
  if (!yamlText) blockers.push(yamlFetchError ? `Model YAML not loaded: ${yamlFetchError}` : 'Loading the model YAML…');
  if (modelCheck?.problems.length) blockers.push('The model YAML has errors.');
  if (hypIssues.length) blockers.push('The hyp YAML has errors.');
  if (settings.img % 32 !== 0) blockers.push('The image size must be a multiple of 32 (the largest stride).');
  if (dataset.status !== 'ready') blockers.push(dataset.status === 'error' ? 'The dataset could not be loaded.' : 'Loading the dataset…');
  if (!lab.ready) blockers.push('Opening the run store…');
  const canTrain = blockers.length === 0;

  const runSettingsFor = useCallback(
    (lab: LabSettings, text: string) => (dataset.status === 'ready' ? buildRunSettings(lab, text, dataset) : undefined),
    [dataset],
  );

  const onTrain = () => {
    const run = runSettingsFor(settings, yamlText);
    if (!run) return;
    labActions.train(run);
    setTab('charts');
  };
  const onTrainAll = () => {
    // One group name for the queue: the legend then reads "ResNet-50 · all four-l …" for each of its runs.
    const group = queueGroupName(settings.scale);
    const runs = SHIPPED_BACKBONES.map((id) => runSettingsFor({ ...settings, backbone: id }, yamls.get(id) ?? ''))
      .filter((run) => run !== undefined)
      .map((run) => ({ ...run, name: group }));
    labActions.trainAll(runs);
    setTab('charts');
  };
  const onStep = () => {
    const run = runSettingsFor(settings, yamlText);
    if (run) labActions.step(run);
  };

  // "Copied" for a few seconds, or why the link could not be copied (no clipboard outside a secure context).
  const [shareNote, setShareNote] = useState<string>();
  useEffect(() => {
    if (!shareNote) return;
    const timer = setTimeout(() => setShareNote(undefined), 4000);
    return () => clearTimeout(timer);
  }, [shareNote]);
  const onShare = () => {
    if (!navigator.clipboard) return setShareNote('Copying needs a secure (https) page; copy the address bar instead.');
    navigator.clipboard.writeText(window.location.href).then(
      () => setShareNote('Copied'),
      (error: unknown) => setShareNote(`Not copied: ${error instanceof Error ? error.message : String(error)}`),
    );
  };

  const onOffer = (offer: RecoveryOffer) => {
    if (offer.kind === 'switch-backend') updateSettings({ backend: offer.backend });
    else if (offer.kind === 'resume-from-checkpoint') labActions.resumeRun(offer.runId);
    else void labActions.deleteOldCheckpoints();
  };

  // Each backbone has its colour; other runs keep theirs in creation order. The list shows newest first.
  const colorOf = useMemo(
    () => runColors(lab.runs.map((run) => ({ runId: run.runId, modelName: run.settings.modelName, createdAt: run.createdAt }))),
    [lab.runs],
  );

  const chartRuns = useMemo<ChartRunEntry[]>(
    () =>
      lab.runs.map((run) => ({
        runId: run.runId,
        label: `${backboneOfModelName(run.settings.modelName)} · ${run.settings.name}`,
        color: colorOf.get(run.runId) ?? runColor(run.settings.modelName),
        visible: !hidden.has(run.runId),
        series: seriesOf(run.runId, lab.histories.get(run.runId) ?? EMPTY_HISTORY, run.createdAt),
      })),
    [lab.runs, lab.histories, hidden, colorOf],
  );

  const runRows = useMemo<RunRowView[]>(
    () =>
      lab.runs.map((run) => ({
        run,
        color: colorOf.get(run.runId) ?? runColor(run.settings.modelName),
        backbone: backboneOfModelName(run.settings.modelName),
        history: lab.histories.get(run.runId),
      })),
    [lab.runs, lab.histories, colorOf],
  );

  const status = lab.live?.status;
  const busy = status === 'running' || status === 'paused';
  // The Predictions tab follows the run that validated last, else the live run, else the newest one.
  const shownRunId = lab.details?.runId ?? lab.live?.runId ?? lab.runs[0]?.runId;
  const shownHistory = shownRunId ? lab.histories.get(shownRunId) : undefined;
  const validatedNow = lab.details?.validatedNow && lab.details.runId === shownRunId ? lab.details : undefined;
  const timeline = useMemo(() => detailsTimeline(shownHistory?.epochs ?? [], validatedNow), [shownHistory, validatedNow]);
  const featureMapRows = useMemo<FeatureMapRow[]>(
    () =>
      lab.runs.flatMap((run) => {
        const set = lab.featureMaps.get(run.runId);
        const color = colorOf.get(run.runId) ?? runColor(run.settings.modelName);
        return set ? [{ runId: run.runId, label: `${backboneOfModelName(run.settings.modelName)} · ${run.settings.name}`, color, set }] : [];
      }),
    [lab.runs, lab.featureMaps, colorOf],
  );

  const learnForm = useMemo(
    () => (yamlText ? { modelYaml: yamlText, nc, scale: settings.scale, img: settings.img, seed: settings.seed, hypYaml: settings.hypYaml, hypOverrides: { lr0: settings.lr0 } } : undefined),
    [yamlText, nc, settings.scale, settings.img, settings.seed, settings.hypYaml, settings.lr0],
  );
  const yamlOfModel = useCallback(
    (modelName: string) => {
      const id = SHIPPED_BACKBONES.find((backbone) => `${backbone}.yaml` === modelName);
      return id && yamls.get(id);
    },
    [yamls],
  );

  const tabs: TabSpec<TabId>[] = [
    { id: 'model', label: 'Model' },
    { id: 'data', label: 'Data' },
    { id: 'charts', label: 'Charts' },
    { id: 'predictions', label: 'Predictions' },
    { id: 'learn', label: 'Learn' },
    { id: 'runs', label: 'Runs', badge: lab.runs.length ? <span className="tab-count">{lab.runs.length}</span> : undefined },
  ];

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <h1>Backbone Lab</h1>
          <span className="tagline">YOLOv4 with swapped backbones, trained in your browser</span>
        </div>
        <BackendBadge probe={probe} live={lab.live} choice={settings.backend} />
      </header>
      {probe.status === 'unavailable' && settings.backend === 'webgpu' && (
        <div className="banner warn" role="alert">
          WebGPU is not available: {probe.reason}. Training can still run on{' '}
          <button type="button" className="link-button" onClick={() => updateSettings({ backend: 'webgl' })}>
            WebGL
          </button>{' '}
          or{' '}
          <button type="button" className="link-button" onClick={() => updateSettings({ backend: 'wasm' })}>
            WebAssembly (CPU)
          </button>
          , but many times slower: use a small scale and image size.
        </div>
      )}
      <div className="layout">
        <aside className="sidebar">
          <ExperimentForm
            settings={settings}
            nc={nc}
            classNames={classNames}
            status={status}
            canTrain={canTrain}
            blockers={blockers}
            hypText={hypText}
            hypProblems={hypIssues}
            queued={lab.queued}
            backendLine={backendLine(settings.backend, probe)}
            memoryLine={memory === undefined ? undefined : `one training step ≈ ${formatBytes(memory)} (estimate)`}
            onExperiment={onExperiment}
            onChange={(patch) => updateSettings(patch)}
            onHypChange={(text) => updateSettings({ hypYaml: text === DEFAULT_HYP_TEXT ? '' : text })}
            onTrain={onTrain}
            onTrainAll={onTrainAll}
            onStep={onStep}
            onPause={labActions.pause}
            onResume={labActions.resume}
            onStop={labActions.stop}
            onShare={onShare}
            shareNote={shareNote}
          />
          <StatusPanel
            live={lab.live}
            queue={
              lab.queuePosition && {
                position: lab.queuePosition,
                backbone: backboneOfModelName(lab.queuePosition.modelName),
                waiting: lab.queued,
                onCancel: labActions.cancelQueue,
              }
            }
          />
        </aside>
        <main className="main">
          <MessageBar messages={lab.messages} onDismiss={labActions.dismissMessage} onOffer={onOffer} />
          {lab.storeError && <div className="banner warn">Run storage (IndexedDB) is unavailable: {lab.storeError}</div>}
          <Tabs<TabId> tabs={tabs} active={tab} onSelect={setTab} label="Lab sections">
            {tab === 'model' && (
              <ModelPanel
                backbone={settings.backbone}
                scale={settings.scale}
                nc={nc}
                yamlText={yamlText}
                problems={modelCheck?.problems ?? []}
                summary={modelCheck?.summary}
                comparison={comparison}
                onYamlChange={(text) => updateSettings({ backbone: 'custom', customYaml: text })}
                onReset={() => updateSettings({ backbone: BACKBONES[1].id, customYaml: '' })}
              />
            )}
            {tab === 'data' && <DataPanel state={dataset} onImport={datasetActions.importFiles} onBundled={datasetActions.loadBundled} />}
            {tab === 'charts' && (
              <ChartsPanel
                runs={chartRuns}
                view={view}
                onViewChange={setView}
                onToggleRun={(runId) =>
                  setHidden((current) => {
                    const next = new Set(current);
                    if (next.has(runId)) next.delete(runId);
                    else next.add(runId);
                    return next;
                  })
                }
              />
            )}
            {tab === 'predictions' && (
              <PredictionsPanel
                predictions={lab.predictions}
                timeline={timeline}
                featureMaps={<FeatureMaps rows={featureMapRows} />}
                names={classNames}
                canValidate={status === 'paused'}
                onValidateNow={labActions.validateNow}
              />
            )}
            {tab === 'learn' && (
              <LearnPanel
                form={learnForm}
                runs={lab.runs}
                yamlOfModel={yamlOfModel}
                dataset={dataset.status === 'ready' ? { label: dataset.label, dataset: dataset.dataset, source: dataset.source, spec: dataset.spec } : undefined}
                runLabel={(run) => `${backboneOfModelName(run.settings.modelName)} · ${run.settings.name}`}
              />
            )}
            {tab === 'runs' && (
              <RunsPanel
                rows={runRows}
                activeRunId={lab.live?.runId}
                busy={busy}
                onResume={(runId) => {
                  labActions.resumeRun(runId);
                  setTab('charts');
                }}
                onResumeWithFormHyp={(runId) => {
                  labActions.resumeRun(runId, hypToYaml(resolveHyp({ hypYaml: settings.hypYaml, hypOverrides: { lr0: settings.lr0 } })));
                  setTab('charts');
                }}
                onRename={labActions.renameRun}
                onDelete={labActions.deleteRun}
                onExport={labActions.exportRun}
                onExportPyTorch={labActions.exportPyTorchBundle}
                onResultsCsv={(runId) => resultsCsvOf(lab.histories.get(runId)?.epochs ?? [])}
                onImport={async (file) => labActions.importRun(new Uint8Array(await file.arrayBuffer()))}
                onDeleteOldCheckpoints={labActions.deleteOldCheckpoints}
              />
            )}
          </Tabs>
        </main>
      </div>
    </div>
  );
}
