/** PR curve per class, YOLOv5 style (thin class lines, bold "all classes" mean), at IoU 0.5. */
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ValidationDetails } from '../../worker/protocol';
import { classColor } from '../components/BoxCanvas';
import { ap50Of, prCurveRows } from './pr-curve-data';

export function PrCurves({ details }: { details: ValidationDetails }) {
  const { rows, map50 } = prCurveRows(details);
  return (
    <figure className="pr-curves" role="region" aria-label="Precision-recall curve per class">
      <ResponsiveContainer width="100%" height={300}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
          <CartesianGrid stroke="#eceff1" />
          <XAxis dataKey="recall" type="number" domain={[0, 1]} ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]} label={{ value: 'Recall', position: 'insideBottom', offset: -8, fontSize: 12 }} tick={{ fontSize: 11 }} />
          <YAxis domain={[0, 1]} ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]} label={{ value: 'Precision', angle: -90, position: 'insideLeft', offset: 14, fontSize: 12 }} tick={{ fontSize: 11 }} />
          <Tooltip formatter={(value) => Number(value).toFixed(3)} labelFormatter={(label) => `recall ${Number(label).toFixed(2)}`} isAnimationActive={false} />
          <Legend verticalAlign="top" wrapperStyle={{ fontSize: 11 }} />
          {details.prCurves.map((curve) => (
            <Line
              key={curve.cls}
              dataKey={`c${curve.cls}`}
              name={`${details.classNames[curve.cls] ?? curve.cls} ${ap50Of(details, curve.cls).toFixed(3)}`}
              stroke={classColor(curve.cls)}
              strokeWidth={1}
              dot={false}
              isAnimationActive={false}
            />
          ))}
          <Line dataKey="all" name={`all classes ${map50.toFixed(3)} mAP@0.5`} stroke="#1f4e9c" strokeWidth={3} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
