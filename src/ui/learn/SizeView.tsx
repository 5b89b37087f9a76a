/**
 * Object size against what each level sees: a histogram of the training boxes' size √(w·h) at the run's image size,
 * each box counted on the level whose anchors fit it best, beside every level's stride and theoretical receptive
 * field. A box much smaller than a stride falls inside one cell; the receptive field is how much of the image one
 * cell of that level can take into account.
 */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { InfoTip } from '../components/InfoTip';
import { Term } from '../components/Term';
import { sizeHistogram, type AnchorStudy, type LevelInfo } from './learn-data';
import { LEVEL_COLORS } from './level-style';

export function SizeView({ study, levels, img }: { study: AnchorStudy; levels: readonly LevelInfo[]; img: number }) {
  const rows = sizeHistogram(study, levels, img).map((row) => ({ label: row.label, ...Object.fromEntries(levels.map((level, l) => [level.name, row.counts[l]])) }));
  const perLevel = levels.map((_, l) => study.bestLevel.reduce((sum, best) => sum + (best === l ? 1 : 0), 0));
  return (
    <section className="card" role="region" aria-label="Object size and receptive field">
      <header className="card-header">
        <h3>
          Object size and <Term term="receptive field">receptive field</Term>
        </h3>
        <InfoTip
          label="About object size and receptive field"
          text="Box sizes √(w·h) in pixels at this image size, each counted on the level whose anchors fit it best. The table gives each level's stride (pixels per output cell) and theoretical receptive field (pixels of input one cell can see, through every conv and pool of the backbone and neck; SE's global pooling left out)."
        />
      </header>
      <figure className="learn-figure" aria-label="Histogram of box sizes per level">
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" label={{ value: 'box size √(w·h), px', position: 'bottom', offset: 4 }} />
            <YAxis allowDecimals={false} width={44} />
            <Tooltip />
            <Legend verticalAlign="top" height={28} />
            {levels.map((level, l) => (
              <Bar key={level.name} dataKey={level.name} stackId="levels" fill={LEVEL_COLORS[l % LEVEL_COLORS.length]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <table className="learn-table" aria-label="Levels: stride and receptive field">
        <thead>
          <tr>
            <th scope="col">Level</th>
            <th scope="col">
              <Term term="stride">Stride</Term> (px)
            </th>
            <th scope="col">Receptive field (px)</th>
            <th scope="col">Boxes fitting it best</th>
          </tr>
        </thead>
        <tbody>
          {levels.map((level, l) => (
            <tr key={level.name}>
              <th scope="row">{level.name}</th>
              <td className="num">{level.stride}</td>
              <td className="num" data-testid={`rf-${level.name}`}>
                {level.receptiveField}
              </td>
              <td className="num" data-testid={`boxes-${level.name}`}>
                {perLevel[l]}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
