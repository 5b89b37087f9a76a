/**
 * The confusion matrix as YOLOv5 draws it: rows = predicted, columns = true, each column normalised, a Blues scale,
 * values to two decimals, with a background row (FN: missed objects) and column (FP: detections matching no object).
 */
import type { ValidationDetails } from '../../worker/protocol';
import { normalizeColumns } from './pr-curve-data';

function blues(value: number): string {
  // Interpolates matplotlib's Blues from #f7fbff (0) to #08306b (1).
  const from = [247, 251, 255];
  const to = [8, 48, 107];
  const t = Math.max(0, Math.min(1, value));
  const rgb = from.map((start, i) => Math.round(start + (to[i] - start) * t));
  return `rgb(${rgb.join(',')})`;
}

export function ConfusionMatrix({ details }: { details: ValidationDetails }) {
  const names = [...details.classNames, 'background'];
  const normalized = normalizeColumns(details.confusion);
  return (
    <figure className="confusion" role="region" aria-label="Confusion matrix">
      <div className="confusion-layout">
        <div className="confusion-ylabel">Predicted</div>
        <table className="confusion-table">
          <thead>
            <tr>
              <th />
              {names.map((name) => (
                <th key={name} scope="col" className="confusion-col">
                  {name === 'background' ? 'background FP' : name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {normalized.map((row, predicted) => (
              <tr key={predicted}>
                <th scope="row">{names[predicted] === 'background' ? 'background FN' : names[predicted]}</th>
                {row.map((value, truth) => (
                  <td
                    key={truth}
                    style={{ background: blues(value), color: value > 0.5 ? '#fff' : '#202124' }}
                    title={`predicted ${names[predicted]}, true ${names[truth]}: ${details.confusion[predicted][truth]} (${value.toFixed(2)})`}
                  >
                    {value >= 0.005 ? value.toFixed(2) : ''}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <figcaption className="confusion-xlabel">True</figcaption>
    </figure>
  );
}
