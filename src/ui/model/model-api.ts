/**
 * The page's door to the model zoo's pure functions (YAML validation and the per-layer summary; no tfjs), adapted
 * to the shapes the UI draws.
 */
import { formatPythonValue, summarizeModelYaml, validateModelYaml } from '../../model/summary';
import type { ModelScale } from '../../worker/protocol';
import type { ModelSummary, YamlProblem } from './summary-types';

export interface ModelCheck {
  problems: YamlProblem[];
  summary?: ModelSummary;
}

export function checkModel(yamlText: string, nc: number, scale: ModelScale): ModelCheck {
  const problems = validateModelYaml(yamlText, { nc, scale }).map((problem) => ({
    line: problem.line,
    message: problem.row ? `${problem.row}: ${problem.message}` : problem.message,
  }));
  if (problems.length) return { problems };
  try {
    const summary = summarizeModelYaml(yamlText, { nc, scale });
    return {
      problems: [],
      summary: { ...summary, rows: summary.rows.map((row) => ({ ...row, args: formatPythonValue(row.args) })) },
    };
  } catch (error) {
    return { problems: [{ line: 0, message: error instanceof Error ? error.message : String(error) }] };
  }
}
