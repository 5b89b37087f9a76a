/**
 * The model summary and YAML problems as the page shows them: the model zoo's shapes (src/model), with each row's
 * arguments already printed as the seed prints them, e.g. `[64, 64, 3, 1, 1, 64, True]` (adapted in model-api.ts).
 */
import type { YamlProblem as ModelYamlProblem } from '../../model/errors';
import type { ModelSummary as ModelZooSummary, SummaryRow as ModelZooRow } from '../../model/summary';

export type SummaryRow = Omit<ModelZooRow, 'args'> & { args: string };

export type ModelSummary = Omit<ModelZooSummary, 'rows'> & { rows: SummaryRow[] };

/** `line` is 1-based, 0 when the problem has no single line. */
export type YamlProblem = Pick<ModelYamlProblem, 'line' | 'message'>;
