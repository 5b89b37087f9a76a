/** The hyp editor's text and its problems, via the training core's own hyp parser. */
import { DEFAULT_HYP, HypError, hypToYaml, parseHyp } from '../../train/hyp';
import type { YamlProblem } from '../model/summary-types';

export const DEFAULT_HYP_TEXT = hypToYaml(DEFAULT_HYP);

/** js-yaml reports positions as `(line:column)`; the hyp parser names the key in quotes: find its line. */
function lineOf(message: string, text: string): number {
  const position = /\((\d+):(\d+)\)/.exec(message);
  if (position) return Number(position[1]);
  const key = /'([\w.]+)'/.exec(message)?.[1];
  if (!key) return 0;
  const index = text.split('\n').findIndex((line) => new RegExp(`^\\s*${key}\\s*:`).test(line));
  return index + 1;
}

export function hypProblems(text: string): YamlProblem[] {
  try {
    parseHyp(text);
    return [];
  } catch (error) {
    if (error instanceof HypError) return error.problems.map((message) => ({ line: lineOf(message, text), message }));
    return [{ line: 0, message: error instanceof Error ? error.message : String(error) }];
  }
}
