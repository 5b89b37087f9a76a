/**
 * The PyTorch hand-off bundle: everything needed to continue a run on ScaledYOLOv4's yolov4-large code with the
 * seed's resLayer/seresLayer (docs/worker.md, "Continuing in PyTorch"):
 *   <model>.yaml          the run's YAML with its nc and its scale's depth/width multiples written in
 *   hyp.yaml              the run's hyperparameters; the box gain under the yolov4-large name `giou`
 *   data.yaml             train/val folders, nc, names
 *   weights.safetensors   the last checkpoint's EMA weights, PyTorch state_dict names and layouts
 *   results.csv           the run so far
 *   load_lab_weights.py   builds the model from the YAML, loads the safetensors, writes lab.pt for train.py
 *   README.txt            the steps
 */
import { strToU8, zipSync } from 'fflate';
import { dump } from 'js-yaml';
import { SCALES } from '../model/scale';
import { hypToYaml } from '../train/hyp';
import { resolveHyp } from '../run/hyp';
import type { RunSettings } from '../run/settings';
import type { RunStore } from './run-store';
import { resultsCsvOf } from './results';
import loaderScript from './pytorch/load_lab_weights.py?raw';

/** Sets top-level `key: value` lines (replacing the YAML's own), keeping the rest of the text as written. */
function setTopLevelKeys(yamlText: string, values: Record<string, number>): string {
  let text = yamlText;
  const missing: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const line = new RegExp(`^${key}:.*$`, 'm');
    if (line.test(text)) text = text.replace(line, `${key}: ${value}`);
    else missing.push(`${key}: ${value}`);
  }
  return missing.length ? `${missing.join('\n')}\n${text}` : text;
}

/** The model YAML as PyTorch must read it: ScaledYOLOv4 knows no named scales, only the multiples. */
export function pytorchModelYaml(settings: Pick<RunSettings, 'modelYaml' | 'scale' | 'nc'>): string {
  if (settings.scale === null) return setTopLevelKeys(settings.modelYaml, { nc: settings.nc });
  const { depth, width } = SCALES[settings.scale];
  return setTopLevelKeys(settings.modelYaml, { nc: settings.nc, depth_multiple: depth, width_multiple: width });
}

/** hyp.yaml for the yolov4-large line, which reads the box gain as `giou` (the lab reads either name). */
export function pytorchHypYaml(settings: Pick<RunSettings, 'hypYaml' | 'hypOverrides'>): string {
  return hypToYaml(resolveHyp(settings)).replace(/^box:/m, 'giou:');
}

export function pytorchDataYaml(settings: Pick<RunSettings, 'classNames' | 'nc' | 'data'>): string {
  const root = settings.data.kind === 'url' ? 'vehicles' : 'data';
  const where =
    settings.data.kind === 'url'
      ? '# The lab\'s bundled set: copy public/data/vehicles of the lab\'s repository here as ./vehicles.\n'
      : '# Put the folder you imported into the lab here as ./data (YOLO layout: images/ and labels/).\n';
  return where + dump({ train: `${root}/images/train`, val: `${root}/images/val`, nc: settings.nc, names: settings.classNames }, { flowLevel: 1 });
}

function readme(modelFile: string): string {
  return `Continue this Backbone Lab run in PyTorch (ScaledYOLOv4, branch yolov4-large, with the seed's resLayer/seresLayer).
Full instructions: docs/worker.md of the lab, section "Continuing in PyTorch".

1. git clone https://github.com/WongKinYiu/ScaledYOLOv4 && cd ScaledYOLOv4 && git checkout yolov4-large
2. Add the seed's resLayer/seresLayer to models/common.py and models/yolo.py (parse_model), as the docs show.
3. Copy this bundle's files into the checkout and the images as data.yaml says.
4. python load_lab_weights.py --cfg ${modelFile} --weights weights.safetensors --data data.yaml --out lab.pt
5. python -m torch.distributed.launch --nproc_per_node 4 train.py --cfg ${modelFile} --weights lab.pt \\
     --data data.yaml --hyp hyp.yaml --batch-size 64 --img 640 640 --sync-bn --device 0,1,2,3
`;
}

/** The bundle of a stored run; fails when the run has no checkpoint yet (there are no weights to hand over). */
export async function exportPyTorchBundle(store: RunStore, runId: string): Promise<Uint8Array> {
  const run = await store.getRun(runId);
  if (!run) throw new Error(`run ${runId} does not exist`);
  const checkpoint = await store.loadLatestCheckpoint(runId);
  if (!checkpoint) throw new Error('this run has no checkpoint yet: train at least one epoch (or pause) first');
  const { settings } = run;
  const modelFile = settings.modelName.endsWith('.yaml') ? settings.modelName : `${settings.modelName}.yaml`;
  const history = await store.getHistory(runId);
  return zipSync(
    {
      [modelFile]: strToU8(pytorchModelYaml(settings)),
      'hyp.yaml': strToU8(pytorchHypYaml(settings)),
      'data.yaml': strToU8(pytorchDataYaml(settings)),
      'weights.safetensors': [new Uint8Array(checkpoint.weights), { level: 0 }],
      'results.csv': strToU8(resultsCsvOf(history.epochs)),
      'load_lab_weights.py': strToU8(loaderScript),
      'README.txt': strToU8(readme(modelFile)),
    },
    { level: 6 },
  );
}
