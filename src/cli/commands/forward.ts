/**
 * `lab forward --model <yaml> --weights <w.safetensors> --input <in.safetensors> --out <out.safetensors>
 *  [--mode eval|train] [--scale n|s|m|l] [--nc N] [--backend auto|webgpu|wasm|cpu]`
 * Runs the raw Detect forward on PyTorch-layout images (`images`, [N,3,H,W] float32 in [0,1]) and writes p3, p4, p5
 * ([N,3,ny,nx,nc+5]); in train mode also the updated BN running stats, under their state_dict names.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../model/model';
import { isScale } from '../../model/scale';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from '../../model/safetensors';
import { loadSafetensors } from '../../model/weights';
import type { ForwardMode } from '../../model/types';
import { describeBackend, parseBackendChoice, setBackend } from '../../runtime/backend';
import { integerOption } from '../options';

export const description = 'run a model YAML + safetensors weights on safetensors images; write the raw Detect outputs';

const USAGE =
  'usage: lab forward --model <yaml> --weights <w.safetensors> --input <in.safetensors> --out <out.safetensors> ' +
  '[--mode eval|train] [--scale n|s|m|l] [--nc N] [--backend auto|webgpu|wasm|cpu]';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      weights: { type: 'string' },
      input: { type: 'string' },
      out: { type: 'string' },
      mode: { type: 'string', default: 'eval' },
      scale: { type: 'string' },
      nc: { type: 'string' },
      backend: { type: 'string', default: 'cpu' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.model || !values.weights || !values.input || !values.out) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  if (values.mode !== 'eval' && values.mode !== 'train') {
    console.error(`--mode must be eval or train, got ${values.mode}`);
    return 2;
  }
  if (values.scale !== undefined && !isScale(values.scale)) {
    console.error(`--scale must be one of n, s, m, l, got ${values.scale}`);
    return 2;
  }
  const mode: ForwardMode = values.mode;
  const info = await setBackend(parseBackendChoice(values.backend));
  console.error(`backend: ${describeBackend(info)}`);

  const nc = values.nc === undefined ? undefined : integerOption('nc', values.nc, 0, 1);
  const model = buildModel(await readFile(values.model, 'utf8'), { scale: values.scale, nc });
  for (const notice of loadSafetensors(model, new Uint8Array(await readFile(values.weights))).notices) console.warn(notice);
  const images = decodeSafetensors(new Uint8Array(await readFile(values.input))).images;
  if (images === undefined || images.dtype !== 'F32' || images.shape.length !== 4 || images.shape[1] !== 3) {
    console.error(`${values.input}: needs an F32 tensor 'images' shaped [N, 3, H, W]`);
    return 1;
  }
  const nhwc = tf.tidy(() => tf.transpose(tf.tensor4d(images.data as Float32Array, images.shape as [number, number, number, number]), [0, 2, 3, 1])) as tf.Tensor4D;
  const outputs = model.forward(nhwc, mode);
  const tensors: Record<string, SafeTensor> = {};
  for (const [level, output] of outputs.entries()) {
    tensors[`p${level + 3}`] = { dtype: 'F32', shape: output.shape, data: (await output.data()) as Float32Array };
  }
  if (mode === 'train') {
    for (const { name, variable } of model.buffers()) tensors[name] = { dtype: 'F32', shape: variable.shape, data: (await variable.data()) as Float32Array };
  }
  await writeFile(values.out, encodeSafetensors(tensors));
  console.error(`wrote ${Object.keys(tensors).length} tensors to ${values.out} (${outputs.map((o) => `[${o.shape.join(',')}]`).join(' ')})`);
  tf.dispose([nhwc, ...outputs]);
  model.dispose();
  return 0;
}
