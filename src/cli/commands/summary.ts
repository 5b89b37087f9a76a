/** `lab summary <yaml> [--nc N] [--scale n|s|m|l] [--json]`: the seed's per-layer table, computed without tensors. */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ModelYamlError } from '../../model/errors';
import { isScale } from '../../model/scale';
import { formatSummaryTable, summarizeModelYaml } from '../../model/summary';

export const description = 'print a model YAML\'s per-layer summary (from, n, params, module, arguments) and totals';

const USAGE = 'usage: lab summary <model.yaml> [--nc N] [--scale n|s|m|l] [--json]';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { nc: { type: 'string' }, scale: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals.length !== 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const nc = values.nc === undefined ? undefined : Number(values.nc);
  if (nc !== undefined && !(Number.isInteger(nc) && nc > 0)) {
    console.error(`--nc must be a positive integer, got ${values.nc}`);
    return 2;
  }
  if (values.scale !== undefined && !isScale(values.scale)) {
    console.error(`--scale must be one of n, s, m, l, got ${values.scale}`);
    return 2;
  }
  const path = positionals[0];
  try {
    const summary = summarizeModelYaml(await readFile(path, 'utf8'), { nc, scale: values.scale });
    console.log(values.json ? JSON.stringify(summary, null, 2) : formatSummaryTable(summary));
    return 0;
  } catch (error) {
    if (error instanceof ModelYamlError) {
      console.error(`${path}:\n${error.message}`);
      return 1;
    }
    throw error;
  }
}
