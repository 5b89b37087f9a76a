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

/** How many problems a ModelYamlError's message spells out (a hostile YAML can have thousands). */
const MESSAGE_PROBLEMS = 20;

export class ModelYamlError extends Error {
  readonly problems: YamlProblem[];

  constructor(problems: YamlProblem[]) {
    // The message lists the first few; `problems` keeps them all.
    const shown = problems.slice(0, MESSAGE_PROBLEMS).map(formatProblem);
    if (problems.length > MESSAGE_PROBLEMS) shown.push(`… and ${problems.length - MESSAGE_PROBLEMS} more problems`);
    super(shown.join('\n'));
    this.name = 'ModelYamlError';
    this.problems = problems;
  }
}
