/**
 * One chart per tag, TensorBoard style: every visible run in its colour, smoothed line on top of its faint raw
 * series, a tooltip that lists every run at the hovered x, and PNG/SVG export of the chart itself.
 */
import { memo, useId, useMemo, useRef } from 'react';
import { useStaggered } from './staggered';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EpochTag } from '../../train/tags';
import { buildChartData, nearestPoint, rawKey, smoothKey, type ChartData, type ChartRunInput } from './chart-data';
import { yAxisFor } from './axis';
import { exportPng, exportSvg, tagFileName } from './export';
import type { XAxisMode } from './series';
import { InfoTip } from '../components/InfoTip';

export interface ChartRunStyle {
  runId: string;
  label: string;
  color: string;
}

export interface ScalarChartProps {
  tag: EpochTag;
  explanation: string;
  runs: readonly (ChartRunInput & ChartRunStyle)[];
  mode: XAxisMode;
  smoothing: number;
  logY: boolean;
}

const X_LABELS: Record<XAxisMode, string> = { step: 'step', epoch: 'epoch', relative: 'relative time' };

export function formatX(value: number, mode: XAxisMode): string {
  if (mode === 'relative') {
    if (value >= 3600) return `${(value / 3600).toFixed(1)}h`;
    if (value >= 60) return `${(value / 60).toFixed(1)}m`;
    return `${Math.round(value)}s`;
  }
  return mode === 'epoch' ? String(Math.round(value * 100) / 100) : String(Math.round(value));
}

export function formatY(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e4)) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

interface TooltipBodyProps {
  active?: boolean;
  label?: number | string;
  data: ChartData;
  runs: readonly ChartRunStyle[];
  mode: XAxisMode;
  showRaw: boolean;
}

/** Every run's value nearest the hovered x, so runs logged at different x still compare at one position. */
function TooltipBody({ active, label, data, runs, mode, showRaw }: TooltipBodyProps) {
  if (!active || typeof label !== 'number') return null;
  const lines = runs
    .map((run) => ({ run, point: nearestPoint(data.byRun.get(run.runId) ?? [], label) }))
    .filter((line) => line.point !== undefined);
  if (lines.length === 0) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-x">
        {X_LABELS[mode]} {formatX(label, mode)}
      </div>
      <table>
        <tbody>
          {lines.map(({ run, point }) => (
            <tr key={run.runId}>
              <td>
                <span className="swatch" style={{ background: run.color }} />
                {run.label}
              </td>
              <td className="num">{formatY(point!.smoothed)}</td>
              {showRaw && <td className="num faint">{formatY(point!.y)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ScalarChartImpl({ tag, explanation, runs: latestRuns, mode, smoothing, logY }: ScalarChartProps) {
  const titleId = useId();
  // New points reach each chart in a task of its own (staggered.ts), so a history update never stalls the page.
  const runs = useStaggered(latestRuns);
  const plotRef = useRef<HTMLDivElement>(null);
  const data = useMemo(() => buildChartData(runs, { mode, smoothing, logY, buckets: 150 }), [runs, mode, smoothing, logY]);
  const showRaw = smoothing > 0;
  const yAxis = useMemo(() => {
    const values: number[] = [];
    for (const points of data.byRun.values()) for (const point of points) values.push(point.smoothed, ...(showRaw ? [point.y] : []));
    return yAxisFor(values, logY);
  }, [data, showRaw, logY]);
  const pointCount = runs.reduce((sum, run) => sum + run.points.length, 0);

  const chartSvg = (): SVGSVGElement | null => plotRef.current?.querySelector('svg.recharts-surface') ?? null;
  const onExport = (kind: 'png' | 'svg') => {
    const svg = chartSvg();
    if (!svg) return;
    const name = `${tagFileName(tag)}.${kind}`;
    if (kind === 'svg') exportSvg(svg, tag, name);
    else void exportPng(svg, tag, name);
  };

  return (
    <section className="chart-card" role="region" aria-label={tag} aria-describedby={titleId}>
      <header className="chart-card-header">
        <h4 id={titleId} className="chart-title">
          {tag}
        </h4>
        <InfoTip label={`What ${tag} means`} text={explanation} />
        <div className="chart-actions">
          <button type="button" className="link-button" onClick={() => onExport('png')} aria-label={`Export ${tag} as PNG`}>
            PNG
          </button>
          <button type="button" className="link-button" onClick={() => onExport('svg')} aria-label={`Export ${tag} as SVG`}>
            SVG
          </button>
        </div>
      </header>
      <div className="chart-plot" ref={plotRef} data-points={pointCount} data-series={runs.filter((run) => run.points.length > 0).length}>
        {pointCount === 0 ? (
          <div className="chart-empty">No points yet</div>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data.rows} margin={{ top: 6, right: 12, bottom: 2, left: 0 }}>
              <CartesianGrid stroke="#eceff1" />
              <XAxis
                dataKey="x"
                type="number"
                domain={['dataMin', 'dataMax']}
                allowDecimals={mode !== 'step'}
                tickFormatter={(value: number) => formatX(value, mode)}
                tick={{ fontSize: 11, fill: '#5f6368' }}
                stroke="#bdc1c6"
                minTickGap={24}
              />
              <YAxis
                scale={logY ? 'log' : 'linear'}
                domain={yAxis.domain}
                ticks={yAxis.ticks}
                allowDataOverflow
                tickFormatter={yAxis.format}
                tick={{ fontSize: 11, fill: '#5f6368' }}
                stroke="#bdc1c6"
                width={52}
              />
              <Tooltip
                isAnimationActive={false}
                content={(props) => (
                  <TooltipBody
                    active={props.active}
                    label={props.label as number | undefined}
                    data={data}
                    runs={runs}
                    mode={mode}
                    showRaw={showRaw}
                  />
                )}
              />
              {showRaw &&
                runs.map((run) => (
                  <Line
                    key={`raw-${run.runId}`}
                    dataKey={rawKey(run.runId)}
                    stroke={run.color}
                    strokeOpacity={0.22}
                    strokeWidth={1}
                    dot={false}
                    activeDot={false}
                    connectNulls
                    isAnimationActive={false}
                  />
                ))}
              {runs.map((run) => (
                <Line
                  key={`smooth-${run.runId}`}
                  dataKey={smoothKey(run.runId)}
                  name={run.label}
                  stroke={run.color}
                  strokeWidth={1.75}
                  dot={run.points.length < 3 ? { r: 2.5 } : false}
                  activeDot={{ r: 3 }}
                  connectNulls
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        )}
      </div>
    </section>
  );
}

export const ScalarChart = memo(ScalarChartImpl);
