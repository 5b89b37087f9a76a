/**
 * `lab val`: ScaledYOLOv4's test.py on a weights file: P, R, mAP@0.5, mAP@0.5:0.95 and the val losses, per class
 * too; `--save-json` writes COCO-format detections, `--json` prints the metrics keyed by the epoch tags.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { cocoDetections, type CocoDetection } from '../../eval/index.js';
import { createBatchLoader } from '../../data/index.js';
import { buildModel } from '../../model/index.js';
import { isScale } from '../../model/scale.js';
import { loadSafetensors } from '../../model/weights.js';
import { parseBackendChoice, setBackend } from '../../runtime/backend.js';
import { DEFAULT_HYP, parseHyp } from '../../train/hyp.js';
import { loadNodeValData, readModelYaml } from '../node-inputs.js';
import { validate, type ValidationResult } from '../../train/validate.js';

export const description = 'validate weights on a dataset: P, R, mAP@0.5, mAP@0.5:0.95, val losses (--json, --save-json)';

const USAGE = `usage: lab val --model <yaml|name> [--scale n|s|m|l] --weights <w.safetensors> [--data vehicles|<path>]
               [--img N] [--batch N] [--hyp <yaml>] [--backend ...] [--save-json <file>] [--json]`;

/** The metric and val-loss tags of an epoch record, plus per-class details. */
function metricsJson(result: ValidationResult, names: string[]) {
  const m = result.metrics;
  return {
    'metrics/precision': m.precision,
    'metrics/recall': m.recall,
    'metrics/mAP_0.5': m.map50,
    'metrics/mAP_0.5:0.95': m.map,
    'val/box_loss': result.losses.box,
    'val/obj_loss': result.losses.obj,
    'val/cls_loss': result.losses.cls,
    images: m.images,
    targets: m.targets,
    classes: m.perClass.map((c) => ({ name: names[c.cls] ?? String(c.cls), ...c })),
    confusion: m.confusion,
  };
}

function printTable(result: ValidationResult, names: string[]): void {
  const m = result.metrics;
  const row = (name: string, images: number | string, targets: number, p: number, r: number, ap50: number, ap: number) =>
    `${name.padStart(12)}${String(images).padStart(10)}${String(targets).padStart(10)}` +
    [p, r, ap50, ap].map((v) => v.toFixed(3).padStart(10)).join('');
  console.log(`${'Class'.padStart(12)}${'Images'.padStart(10)}${'Targets'.padStart(10)}${'P'.padStart(10)}${'R'.padStart(10)}${'mAP@.5'.padStart(10)}${'mAP@.5:.95'.padStart(12)}`);
  console.log(row('all', m.images, m.targets, m.precision, m.recall, m.map50, m.map));
  for (const c of m.perClass) console.log(row(names[c.cls] ?? String(c.cls), m.images, c.targets, c.precision, c.recall, c.ap50, c.ap));
  const l = result.losses;
  console.log(`val losses: box ${l.box.toFixed(5)} obj ${l.obj.toFixed(5)} cls ${l.cls.toFixed(5)}`);
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      scale: { type: 'string' },
      weights: { type: 'string' },
      data: { type: 'string', default: 'vehicles' },
      img: { type: 'string', default: '128' },
      batch: { type: 'string', default: '16' },
      hyp: { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      'save-json': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.model || !values.weights) throw new Error(`--model and --weights are required\n${USAGE}`);
  if (values.scale !== undefined && !isScale(values.scale)) throw new Error(`--scale must be n, s, m or l, got '${values.scale}'`);
  const img = Number(values.img);
  const batch = Number(values.batch);
  if (!Number.isInteger(img) || img <= 0 || img % 32 !== 0) throw new Error(`--img must be a positive multiple of 32, got '${values.img}'`);
  if (!Number.isInteger(batch) || batch <= 0) throw new Error(`--batch must be a positive integer, got '${values.batch}'`);
  const hyp = values.hyp ? parseHyp(await readFile(values.hyp, 'utf8')).hyp : DEFAULT_HYP;

  await setBackend(parseBackendChoice(values.backend));
  const data = await loadNodeValData(values.data);
  const names = data.dataset.names;
  const yaml = await readModelYaml(values.model);
  const model = buildModel(yaml.text, { nc: names.length, scale: values.scale });
  try {
    for (const notice of loadSafetensors(model, new Uint8Array(await readFile(values.weights))).notices) console.warn(notice);
    const val = createBatchLoader({ dataset: data.dataset, images: data.images, split: data.valSplit, img, batch, seed: 0, augment: false, shuffle: false });
    const coco: CocoDetection[] = [];
    const result = await validate({
      model,
      batches: val.epoch(0),
      hyp,
      onDetections: values['save-json']
        ? (b, dets) =>
            b.items.forEach((item, i) =>
              coco.push(...cocoDetections(item.file, dets[i], { ratio: item.ratio, pad: [item.padX, item.padY] }, item)),
            )
        : undefined,
    });
    if (values['save-json']) {
      await writeFile(values['save-json'], JSON.stringify(coco));
      if (!values.json) console.log(`wrote ${coco.length} detections to ${values['save-json']}`);
    }
    if (values.json) console.log(JSON.stringify(metricsJson(result, names), null, 1));
    else printTable(result, names);
    return 0;
  } finally {
    model.dispose();
  }
}
