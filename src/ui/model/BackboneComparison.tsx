/**
 * The four shipped backbones side by side at the selected scale: parameters per stage and in total, as a table with
 * a stacked bar per backbone. The selected backbone's column is highlighted.
 */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ModelScale } from '../../worker/protocol';
import type { ShippedBackbone } from '../state/settings';
import { BACKBONES } from './backbones';
import { formatCompact, formatExact } from './format';
import { STAGES, type Stage } from './stages';

export interface BackboneStageCounts {
  id: ShippedBackbone;
  byStage: Record<Stage, number>;
  total: number;
}

const STAGE_COLORS = ['#90a4ae', '#4fc3f7', '#29b6f6', '#0288d1', '#01579b', '#ffb74d', '#81c784', '#e57373'];

export function BackboneComparison({
  counts,
  scale,
  nc,
  selected,
}: {
  counts: readonly BackboneStageCounts[];
  scale: ModelScale;
  nc: number;
  selected: string;
}) {
  const labelOf = (id: ShippedBackbone) => BACKBONES.find((b) => b.id === id)?.short ?? id;
  const chartRows = counts.map((count) => ({ name: labelOf(count.id), ...count.byStage }));
  return (
    <div className="comparison">
      <div className="table-scroll">
        <table className="data-table comparison-table">
          <caption>
            Parameters per stage, scale {scale}, nc = {nc}
          </caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              {counts.map((count) => (
                <th scope="col" key={count.id} className={count.id === selected ? 'num selected' : 'num'}>
                  {labelOf(count.id)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {STAGES.map((stage) => (
              <tr key={stage}>
                <th scope="row">{stage}</th>
                {counts.map((count) => (
                  <td key={count.id} className={count.id === selected ? 'num selected' : 'num'}>
                    {formatExact(count.byStage[stage])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              {counts.map((count) => (
                <td key={count.id} className={count.id === selected ? 'num selected' : 'num'}>
                  <strong>{formatExact(count.total)}</strong>
                  <div className="muted small">{formatCompact(count.total)}</div>
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
      <div className="comparison-chart" role="img" aria-label="Stacked parameters per stage for the four backbones">
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={chartRows} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
            <CartesianGrid stroke="#eceff1" horizontal={false} />
            <XAxis type="number" tickFormatter={formatCompact} tick={{ fontSize: 11 }} />
            <YAxis type="category" dataKey="name" width={96} tick={{ fontSize: 11 }} />
            <Tooltip formatter={(value) => formatExact(Number(value))} isAnimationActive={false} />
            <Legend wrapperStyle={{ fontSize: 11 }} itemSorter={null} />
            {STAGES.map((stage, i) => (
              <Bar key={stage} dataKey={stage} stackId="params" fill={STAGE_COLORS[i]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
