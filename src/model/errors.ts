/** Problems found in a model YAML, each pointing at its place in the text. */

export interface YamlProblem {
  /** 1-based line in the YAML text. */
  line: number;
  /** 1-based column, when known. */
  column?: number;
  /** The row, e.g. `backbone[4] (layer 4)` or `head[0] (layer 11)`. */
  row?: string;
  message: string;
}

export function formatProblem(problem: YamlProblem): string {
  const where = problem.column === undefined ? `line ${problem.line}` : `line ${problem.line}:${problem.column}`;
  return problem.row === undefined ? `${where}: ${problem.message}` : `${where}, ${problem.row}: ${problem.message}`;
}

export class ModelYamlError extends Error {
  readonly problems: YamlProblem[];

  constructor(problems: YamlProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ModelYamlError';
    this.problems = problems;
  }
}
