/** The per-layer summary in the seed's columns (`from n params module arguments`), with exact and %g totals. */
import { formatExact, formatPythonG } from './format';
import type { ModelSummary } from './summary-types';

function formatFrom(from: number | number[]): string {
  return Array.isArray(from) ? `[${from.join(', ')}]` : String(from);
}

export function SummaryTotal({ summary }: { summary: ModelSummary }) {
  return (
    <p className="summary-total" aria-label="Model total">
      Model Summary: {summary.layers} layers, <strong className="num">{formatExact(summary.parameters)}</strong> parameters{' '}
      <span className="muted num">({formatPythonG(summary.parameters)})</span>
    </p>
  );
}

export function SummaryTable({ summary, caption }: { summary: ModelSummary; caption: string }) {
  return (
    <div className="table-scroll summary-scroll">
      <table className="data-table summary-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">#</th>
            <th scope="col" className="num">from</th>
            <th scope="col" className="num">n</th>
            <th scope="col" className="num">params</th>
            <th scope="col">module</th>
            <th scope="col">arguments</th>
          </tr>
        </thead>
        <tbody>
          {summary.rows.map((row) => (
            <tr key={row.i}>
              <td className="num muted">{row.i}</td>
              <td className="num">{formatFrom(row.from)}</td>
              <td className="num">{row.n}</td>
              <td className="num">{formatExact(row.params)}</td>
              <td className="mono">{row.module}</td>
              <td className="mono args">{row.args}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
