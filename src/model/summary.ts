/**
 * The seed's model summary (from, n, params, module, arguments) computed from the plan alone: no tfjs import, so the
 * UI can call it on the main thread while the user edits a YAML.
 */
import { ModelYamlError, type YamlProblem } from './errors';
import { parseModelYaml, type ModelPlan } from './plan/parse';
import { countParameters } from './plan/tensors';
import type { BuildOptions } from './scale';

export interface SummaryRow {
  i: number;
  from: number | number[];
  n: number;
  params: number;
  module: string;
  args: unknown[];
}

export interface ModelSummary {
  rows: SummaryRow[];
  /** Total parameter elements. */
  parameters: number;
  /** Number of parameter tensors (what the seed's "layers" counts). */
  layers: number;
}

export function summarizePlan(plan: ModelPlan): ModelSummary {
  let parameters = 0;
  let layers = 0;
  const rows = plan.layers.map((layer) => {
    const count = countParameters(layer.node);
    parameters += count.elements;
    layers += count.tensors;
    return { i: layer.i, from: layer.from, n: layer.n, params: count.elements, module: layer.module, args: layer.args };
  });
  return { rows, parameters, layers };
}

/** Throws ModelYamlError when the YAML is invalid. */
export function summarizeModelYaml(yamlText: string, options?: BuildOptions): ModelSummary {
  return summarizePlan(parseModelYaml(yamlText, options));
}

/** Every problem in the YAML, or [] when it builds. */
export function validateModelYaml(yamlText: string, options?: BuildOptions): YamlProblem[] {
  try {
    parseModelYaml(yamlText, options);
    return [];
  } catch (error) {
    if (error instanceof ModelYamlError) return error.problems;
    throw error;
  }
}

/** Python repr of an argument, as the seed's table prints it (True/False/None, 'strings'). */
export function formatPythonValue(value: unknown): string {
  if (value === null || value === undefined || value === 'None') return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(formatPythonValue).join(', ')}]`;
  return String(value);
}

/** Python's %g with 6 significant digits, e.g. 5.25155e+07. */
function formatG(x: number): string {
  const exp = x === 0 ? 0 : Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 6) {
    const [mantissa, e] = x.toExponential(5).split('e');
    const trimmed = mantissa.replace(/\.?0+$/, '');
    const sign = e.startsWith('-') ? '-' : '+';
    return `${trimmed}e${sign}${e.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return String(Number(x.toPrecision(6)));
}

/** The seed's text table. Totals are printed exactly, then in the seed's %g form. */
export function formatSummaryTable(summary: ModelSummary): string {
  const lines = [`${''.padStart(3)}${'from'.padStart(18)}${'n'.padStart(3)}${'params'.padStart(10)}  ${'module'.padEnd(40)}arguments`];
  for (const row of summary.rows) {
    const from = Array.isArray(row.from) ? formatPythonValue(row.from) : String(row.from);
    lines.push(
      `${String(row.i).padStart(3)}${from.padStart(18)}${String(row.n).padStart(3)}${String(row.params).padStart(10)}  ${row.module.padEnd(40)}${formatPythonValue(row.args)}`,
    );
  }
  const p = summary.parameters;
  lines.push(`Model Summary: ${summary.layers} layers, ${p} parameters, ${p} gradients (${formatG(p)})`);
  return lines.join('\n');
}
