/**
 * Anchors against the labels: every training label's width and height at the run's image size (log axes), the
 * anchors of each level, and the labels no anchor reaches (their best side ratio ≤ 1/anchor_t: build_targets never
 * assigns them, and best possible recall counts them out).
 */
import { useMemo } from 'react';
import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { InfoTip } from '../components/InfoTip';
import { Term } from '../components/Term';
import type { AnchorStudy, LevelInfo } from './learn-data';
import { LEVEL_COLORS, LEVEL_SHAPES } from './level-style';

/** Labels drawn at most (every label is counted; a dense scatter only needs a sample to show its shape). */
const MAX_DRAWN = 2500;

export interface AnchorsViewProps {
  study: AnchorStudy;
  levels: readonly LevelInfo[];
  anchorT: number;
  /** Recall with the anchors the model started from, when `levels` hold others (a run's AutoAnchor result). */
  startRecall?: { bpr: number; label: string };
  onAutoAnchor?: () => void;
  autoAnchorNote?: string;
}

const fmt = (v: number) => v.toFixed(4);

export function AnchorsView({ study, levels, anchorT, startRecall, onAutoAnchor, autoAnchorNote }: AnchorsViewProps) {
  const points = useMemo(() => {
    const n = study.reachable.length;
    const step = Math.max(1, Math.ceil(n / MAX_DRAWN));
    const reached: { w: number; h: number }[] = [];
    const missed: { w: number; h: number }[] = [];
    // Every unreachable label is drawn; reachable ones are sampled evenly.
    for (let i = 0; i < n; i++) {
      const p = { w: study.sizes[2 * i], h: study.sizes[2 * i + 1] };
      if (!study.reachable[i]) missed.push(p);
      else if (i % step === 0) reached.push(p);
    }
    // Log axes over every label and anchor, a little wider, with ticks at powers of two.
    let min = Infinity;
    let max = 0;
    const visit = (v: number) => {
      if (v > 0 && v < min) min = v;
      if (v > max) max = v;
    };
    study.sizes.forEach(visit);
    levels.forEach((level) => level.anchors.flat().forEach(visit));
    const low = Math.max(0.5, min / 1.25);
    const high = Math.max(max, 1) * 1.25;
    const ticks: number[] = [];
    for (let v = 2 ** Math.ceil(Math.log2(low)); v <= high; v *= 2) ticks.push(v);
    return { reached, missed, domain: [low, high] as [number, number], ticks };
  }, [study, levels]);
  const labels = study.reachable.length;
  return (
    <section className="card" role="region" aria-label="Anchors">
      <header className="card-header">
        <h3>
          <Term term="anchor">Anchors</Term> and the training labels
        </h3>
        <InfoTip
          label="About the anchor view"
          text="Each dot is a training box's width and height at this image size (scaled by a seeded 0.9–1.1 as AutoAnchor does). A box can be assigned to an anchor only if every side ratio between them is within anchor_t; red boxes fit no anchor at all, so no output cell ever learns them."
        />
      </header>
      <dl className="learn-stats">
        <div>
          <dt>Training labels</dt>
          <dd className="num" data-testid="anchor-labels">{labels}</dd>
        </div>
        {startRecall && (
          <div>
            <dt>Best possible recall, {startRecall.label}</dt>
            <dd className="num" data-testid="bpr-start">{fmt(startRecall.bpr)}</dd>
          </div>
        )}
        <div>
          <dt>Best possible recall{startRecall ? ', the run’s anchors' : ''}</dt>
          <dd className="num" data-testid="bpr">{fmt(study.bpr)}</dd>
        </div>
        <div>
          <dt>
            Labels no anchor reaches (ratio ≤ 1/<Term term="anchor_t">anchor_t</Term> = {(1 / anchorT).toFixed(2)})
          </dt>
          <dd className="num" data-testid="unreachable">{study.unreachable}</dd>
        </div>
      </dl>
      {onAutoAnchor && (
        <p className="small">
          <button type="button" className="button" onClick={onAutoAnchor}>
            Run AutoAnchor on these labels
          </button>{' '}
          {autoAnchorNote && <span data-testid="autoanchor-note">{autoAnchorNote}</span>}
        </p>
      )}
      <figure className="learn-figure" aria-label={`Scatter of ${labels} label sizes with the anchors of ${levels.length} levels`}>
        <ResponsiveContainer width="100%" height={320}>
          <ScatterChart margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" dataKey="w" name="width" unit=" px" scale="log" domain={points.domain} ticks={points.ticks} allowDataOverflow tickFormatter={(v: number) => String(v)} label={{ value: 'width (px)', position: 'bottom', offset: 4 }} />
            <YAxis type="number" dataKey="h" name="height" unit=" px" scale="log" domain={points.domain} ticks={points.ticks} allowDataOverflow tickFormatter={(v: number) => String(v)} width={52} />
            <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(1) : String(v))} />
            <Legend verticalAlign="top" height={28} />
            <Scatter name="labels an anchor reaches" data={points.reached} fill="#9aa0a6" fillOpacity={0.35} shape="circle" isAnimationActive={false} legendType="circle" r={2} />
            <Scatter name="labels no anchor reaches" data={points.missed} fill="#D55E00" shape="cross" isAnimationActive={false} />
            {levels.map((level, l) => (
              <Scatter
                key={level.name}
                name={`${level.name} anchors (stride ${level.stride})`}
                data={level.anchors.map(([w, h]) => ({ w, h }))}
                fill={LEVEL_COLORS[l % LEVEL_COLORS.length]}
                stroke="#000"
                shape={LEVEL_SHAPES[l % LEVEL_SHAPES.length]}
                isAnimationActive={false}
              />
            ))}
          </ScatterChart>
        </ResponsiveContainer>
      </figure>
      <table className="learn-table" aria-label="Anchors per level">
        <thead>
          <tr>
            <th scope="col">Level</th>
            <th scope="col">
              <Term term="stride">Stride</Term>
            </th>
            <th scope="col">Anchors (w×h px)</th>
          </tr>
        </thead>
        <tbody>
          {levels.map((level) => (
            <tr key={level.name}>
              <th scope="row">{level.name}</th>
              <td className="num">{level.stride}</td>
              <td className="num">{level.anchors.map(([w, h]) => `${w.toFixed(1)}×${h.toFixed(1)}`).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
