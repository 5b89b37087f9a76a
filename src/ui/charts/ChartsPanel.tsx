/**
 * The live scalars dashboard: the seed's four groups (Train, Val, Metrics, LR), one chart per tag, with the run
 * legend and toggles, smoothing, x axis and log-y controls shared by every chart.
 */
import { useMemo, useRef } from 'react';
import { TAG_GROUPS, type EpochTag } from '../../train/tags';
import { GROUP_EXPLANATIONS, TAG_EXPLANATIONS } from '../teaching/chart-explanations';
import type { ChartRunInput } from './chart-data';
import { ScalarChart, type ChartRunStyle } from './ScalarChart';
import type { RunSeries, XAxisMode } from './series';

export interface ChartRunEntry extends ChartRunStyle {
  visible: boolean;
  series: RunSeries;
}

export interface ChartView {
  smoothing: number;
  mode: XAxisMode;
  logY: boolean;
}

interface ChartsPanelProps {
  runs: readonly ChartRunEntry[];
  view: ChartView;
  onViewChange(view: ChartView): void;
  onToggleRun(runId: string): void;
}

const GROUP_ORDER = ['Train', 'Val', 'Metrics', 'LR'] as const;
const MODES: { mode: XAxisMode; label: string }[] = [
  { mode: 'step', label: 'Step' },
  { mode: 'epoch', label: 'Epoch' },
  { mode: 'relative', label: 'Relative time' },
];

function ChartToolbar({ view, onViewChange }: { view: ChartView; onViewChange(view: ChartView): void }) {
  return (
    <div className="chart-toolbar" role="group" aria-label="Chart settings">
      <label className="toolbar-field">
        <span>Smoothing</span>
        <input
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={view.smoothing}
          aria-label="Smoothing"
          onChange={(event) => onViewChange({ ...view, smoothing: Number(event.target.value) })}
        />
        <output className="num">{view.smoothing.toFixed(2)}</output>
      </label>
      <fieldset className="toolbar-field segmented">
        <legend>Horizontal axis</legend>
        {MODES.map(({ mode, label }) => (
          <label key={mode} className={view.mode === mode ? 'segment active' : 'segment'}>
            <input
              type="radio"
              name="x-axis"
              value={mode}
              checked={view.mode === mode}
              onChange={() => onViewChange({ ...view, mode })}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <label className="toolbar-field checkbox">
        <input type="checkbox" checked={view.logY} onChange={(event) => onViewChange({ ...view, logY: event.target.checked })} />
        Log-scale y
      </label>
    </div>
  );
}

function RunLegend({ runs, onToggleRun }: { runs: readonly ChartRunEntry[]; onToggleRun(runId: string): void }) {
  if (runs.length === 0) return <p className="muted">No runs yet. Press Train to start one; its points appear here live.</p>;
  return (
    <ul className="run-legend" aria-label="Runs shown in the charts">
      {runs.map((run) => (
        <li key={run.runId}>
          <label className={run.visible ? 'legend-item' : 'legend-item off'}>
            <input type="checkbox" checked={run.visible} onChange={() => onToggleRun(run.runId)} aria-label={`Show ${run.label}`} />
            <span className="swatch" style={{ background: run.color }} />
            {run.label}
          </label>
        </li>
      ))}
    </ul>
  );
}

type ChartInputs = (ChartRunInput & ChartRunStyle)[];

function sameInputs(a: ChartInputs, b: ChartInputs): boolean {
  return a.length === b.length && a.every((x, i) => x.runId === b[i].runId && x.label === b[i].label && x.color === b[i].color && x.startTime === b[i].startTime && x.points === b[i].points);
}

export function ChartsPanel({ runs, view, onViewChange, onToggleRun }: ChartsPanelProps) {
  const visible = useMemo(() => runs.filter((run) => run.visible), [runs]);
  // Per tag, the inputs of every visible run; rebuilt only when the runs change, not on view changes. A tag whose
  // inputs are unchanged keeps its array, so its (memoised) chart skips the render: while a run trains, the epoch
  // tags' charts render once per epoch, not at every step.
  const previous = useRef(new Map<EpochTag, ChartInputs>());
  const inputsByTag = useMemo(() => {
    const map = new Map<EpochTag, ChartInputs>();
    for (const group of GROUP_ORDER) {
      for (const tag of TAG_GROUPS[group]) {
        const next = visible.map((run) => ({
          runId: run.runId,
          label: run.label,
          color: run.color,
          startTime: run.series.startTime,
          points: run.series.byTag.get(tag) ?? [],
        }));
        const before = previous.current.get(tag);
        map.set(tag, before && sameInputs(before, next) ? before : next);
      }
    }
    previous.current = map;
    return map;
  }, [visible]);

  return (
    <div className="charts-panel">
      <div className="charts-controls">
        <ChartToolbar view={view} onViewChange={onViewChange} />
        <RunLegend runs={runs} onToggleRun={onToggleRun} />
      </div>
      {GROUP_ORDER.map((group) => (
        <section key={group} className="chart-group" aria-labelledby={`group-${group}`}>
          <header className="chart-group-header">
            <h3 id={`group-${group}`}>{group}</h3>
            <p className="muted small">{GROUP_EXPLANATIONS[group]}</p>
          </header>
          <div className={`chart-grid cols-${TAG_GROUPS[group].length}`}>
            {TAG_GROUPS[group].map((tag) => (
              <ScalarChart
                key={tag}
                tag={tag}
                explanation={TAG_EXPLANATIONS[tag]}
                runs={inputsByTag.get(tag) ?? []}
                mode={view.mode}
                smoothing={view.smoothing}
                logY={view.logY}
              />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}
