/**
 * The Learn tab: what the detector is asked to learn, for the experiment in the form or for a stored run, drawn from
 * the dataset loaded on the Data tab. Anchors against the labels (and AutoAnchor's effect), target assignment on one
 * image, and object size against each level's stride and receptive field. Feature maps live with the predictions.
 */
import { useMemo, useState } from 'react';
import type { FileSource, Dataset } from '../../data/types';
import { resolveHyp } from '../../run/hyp';
import type { DataSourceSpec, RunSettings } from '../../run/settings';
import type { RunRecord } from '../../store';
import { autoAnchor } from '../../train/anchors/autoanchor';
import { anchorFit } from '../../train/anchors/fitness';
import { AnchorsView } from './AnchorsView';
import { AssignmentView } from './AssignmentView';
import { anchorStudy, dataMismatch, modelLevels, trainImages, type LearnSubject, type LevelInfo } from './learn-data';
import { SizeView } from './SizeView';

/** The form's experiment, as the Learn tab needs it. */
export type FormSubject = Pick<RunSettings, 'modelYaml' | 'nc' | 'scale' | 'img' | 'seed' | 'hypYaml' | 'hypOverrides'>;

export interface LearnPanelProps {
  form: FormSubject | undefined;
  runs: readonly RunRecord[];
  /** Shipped YAML text by model file name: the anchors a run started from, before AutoAnchor. */
  yamlOfModel: (modelName: string) => string | undefined;
  dataset: { label: string; dataset: Dataset; source: FileSource; spec: DataSourceSpec } | undefined;
  runLabel: (run: RunRecord) => string;
}

const FORM = 'form';

function subjectOf(settings: FormSubject, dataset: Dataset): LearnSubject {
  return { modelYaml: settings.modelYaml, nc: settings.nc, scale: settings.scale, img: settings.img, seed: settings.seed, anchorT: resolveHyp(settings).anchor_t, dataset };
}

export function LearnPanel({ form, runs, yamlOfModel, dataset, runLabel }: LearnPanelProps) {
  const [source, setSource] = useState<string>(FORM);
  const [evolved, setEvolved] = useState<{ key: string; levels: LevelInfo[]; note: string }>();
  const run = runs.find((candidate) => candidate.runId === source);
  const settings = run?.settings ?? form;

  const computed = useMemo(() => {
    if (!settings || !dataset) return undefined;
    try {
      const subject = subjectOf(settings, dataset.dataset);
      const { levels } = modelLevels(subject.modelYaml, subject.nc, subject.scale);
      // A run trains with the anchors AutoAnchor chose: its start is the shipped YAML of its model.
      const startYaml = run && yamlOfModel(run.settings.modelName);
      const start = startYaml ? modelLevels(startYaml, subject.nc, subject.scale).levels : undefined;
      return { subject, levels, start, error: undefined };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }, [settings, dataset, run, yamlOfModel]);

  // AutoAnchor's result belongs to one subject: any change of model, size, seed or data hides it again.
  const subjectKey = JSON.stringify([source, settings?.modelYaml, settings?.scale, settings?.img, settings?.seed, dataset?.label]);
  const shownLevels = computed?.levels && (evolved?.key === subjectKey ? evolved.levels : computed.levels);
  const study = useMemo(() => (computed?.subject && shownLevels ? anchorStudy(computed.subject, shownLevels) : undefined), [computed, shownLevels]);
  const startRecall = useMemo(() => {
    if (!computed?.subject || !study) return undefined;
    const sizes = study.sizes;
    if (evolved?.key === subjectKey && computed.levels) return { bpr: anchorFit(sizes, computed.levels.flatMap((l) => l.anchors), computed.subject.anchorT).bpr, label: 'the YAML’s anchors' };
    if (computed.start && JSON.stringify(computed.start.map((l) => l.anchors)) !== JSON.stringify(computed.levels?.map((l) => l.anchors))) {
      return { bpr: anchorFit(sizes, computed.start.flatMap((l) => l.anchors), computed.subject.anchorT).bpr, label: 'the YAML’s anchors (before AutoAnchor)' };
    }
    return undefined;
  }, [computed, study, evolved, subjectKey]);

  const onAutoAnchor = () => {
    if (!computed?.subject || !computed.levels || !study) return;
    const result = autoAnchor({
      sizes: study.sizes,
      anchors: computed.levels.map((l) => l.anchors),
      strides: computed.levels.map((l) => l.stride),
      anchorT: computed.subject.anchorT,
      seed: computed.subject.seed,
    });
    const levels = computed.levels.map((level, i) => ({ ...level, anchors: result.anchors[i] }));
    setEvolved({ key: subjectKey, levels, note: result.message });
  };

  return (
    <div className="learn-panel">
      <div className="card learn-source">
        <label>
          <span>Explain</span>
          <select value={source} onChange={(event) => setSource(event.target.value)} aria-label="Explain">
            <option value={FORM}>the experiment in the form</option>
            {runs.map((candidate) => (
              <option key={candidate.runId} value={candidate.runId}>
                run: {runLabel(candidate)}
              </option>
            ))}
          </select>
        </label>
        <p className="small muted">
          Labels from the Data tab&apos;s dataset{dataset ? ` (${dataset.label})` : ''}
          {settings ? `, at ${settings.img} px, seed ${settings.seed}` : ''}. Computed on this page by the training&apos;s own code.
        </p>
      </div>
      {!dataset && <p className="muted">Load a dataset on the Data tab first.</p>}
      {run && dataset && dataMismatch(run.settings.data, dataset.spec) && (
        <p className="banner warn" role="status">
          Note: {dataMismatch(run.settings.data, dataset.spec)}. Load the run&apos;s data on the Data tab to see its own labels.
        </p>
      )}
      {computed?.error && <p className="banner warn">The model YAML cannot be read: {computed.error}</p>}
      {computed?.subject && shownLevels && study && (
        <>
          <AnchorsView
            study={study}
            levels={shownLevels}
            anchorT={computed.subject.anchorT}
            startRecall={startRecall}
            onAutoAnchor={run ? undefined : onAutoAnchor}
            autoAnchorNote={evolved?.key === subjectKey ? evolved.note : undefined}
          />
          {dataset && <AssignmentView images={trainImages(dataset.dataset)} source={dataset.source} levels={shownLevels} img={computed.subject.img} anchorT={computed.subject.anchorT} classNames={dataset.dataset.names} />}
          <SizeView study={study} levels={shownLevels} img={computed.subject.img} />
        </>
      )}
    </div>
  );
}
