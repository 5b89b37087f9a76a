/**
 * `lab data make-vehicles [--out DIR]` writes the bundled synthetic vehicle set;
 * `lab data inspect <path> [--format yolo|coco] [--classes a,b] [--json]` imports a dataset, decodes every image in
 * full, and reports it.
 */
import { parseArgs } from 'node:util';
import { decodeEveryImage, loadDataset, summarizeDataset, VEHICLE_SET, generateVehicleFiles, type DatasetSummary } from '../../data/index.js';
import { nodeFileSource, nodeImageDecoder, writeFiles } from '../node-files.js';
import { integerOption, seedOption } from '../options.js';

export const description = 'make-vehicles (write the bundled set) | inspect <path> (import a YOLO/COCO dataset and report it)';

const USAGE = `usage:
  lab data make-vehicles [--out public/data/vehicles] [--train N] [--val N] [--size PX] [--quality Q] [--seed S]
  lab data inspect <path> [--format yolo|coco] [--classes name,name,...] [--json]`;

async function makeVehicles(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string', default: 'public/data/vehicles' },
      train: { type: 'string' }, val: { type: 'string' }, size: { type: 'string' }, quality: { type: 'string' }, seed: { type: 'string' },
    },
  });
  const config = {
    seed: seedOption(values.seed, VEHICLE_SET.seed),
    size: integerOption('size', values.size, VEHICLE_SET.size, 32, 4096),
    quality: integerOption('quality', values.quality, VEHICLE_SET.quality, 1, 100),
    splits: {
      train: integerOption('train', values.train, VEHICLE_SET.splits.train, 0),
      val: integerOption('val', values.val, VEHICLE_SET.splits.val, 0),
    },
  };
  let bytes = 0;
  const started = Date.now();
  const files = (function* () {
    for (const entry of generateVehicleFiles(config)) {
      bytes += entry[1].length;
      yield entry;
    }
  })();
  const count = await writeFiles(values.out, files);
  console.log(`wrote ${count} files (${(bytes / 2 ** 20).toFixed(2)} MiB) to ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

function printSummary(summary: DatasetSummary): void {
  console.log(`format: ${summary.format}`);
  console.log(`classes (${summary.names.length}): ${summary.names.join(', ')}`);
  const width = Math.max(8, ...summary.names.map((n) => n.length));
  for (const [split, s] of Object.entries(summary.splits)) {
    const total = Object.values(s.boxes).reduce((a, b) => a + b, 0);
    console.log(`\n${split}: ${s.images} images, ${total} boxes, ${s.background} background`);
    for (const [name, count] of Object.entries(s.boxes)) console.log(`  ${name.padEnd(width)} ${count}`);
  }
  console.log(`\nproblems: ${summary.problems.length}`);
  for (const p of summary.problems) console.log(`  ${p.file}: ${p.problem}`);
}

async function inspect(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string' }, classes: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const [path] = positionals;
  if (!path) {
    console.error(USAGE);
    return 2;
  }
  if (values.format !== undefined && values.format !== 'yolo' && values.format !== 'coco') {
    console.error(`--format must be yolo or coco, not '${values.format}'`);
    return 2;
  }
  const source = nodeFileSource(path);
  const imported = await loadDataset(source, {
    format: values.format,
    classes: values.classes?.split(',').map((s) => s.trim()).filter((s) => s !== ''),
    background: true, // report background images too
  });
  // The import reads headers only; a full decode finds the images whose body is corrupt.
  const dataset = await decodeEveryImage(imported, source, nodeImageDecoder);
  const summary = summarizeDataset(dataset);
  if (values.json) console.log(JSON.stringify(summary, null, 2));
  else printSummary(summary);
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'make-vehicles') return makeVehicles(rest);
  if (sub === 'inspect') return inspect(rest);
  console.error(USAGE);
  return 2;
}
