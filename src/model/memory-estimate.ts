/**
 * A rough estimate of the memory one training step takes, for the page to suggest a batch that fits: the parameters
 * four times (weights, gradients, SGD momentum, the EMA twin) and the activations the backward pass keeps.
 *
 * The activations are counted as the top-level layers' outputs (channels × (img/stride)² × batch, float32) times a
 * factor. Measured with the cpu backend (tf.memory() during the forward pass of a train step, before the gradients):
 * the forward pass keeps 17–30× the top-level outputs (ResNet-50 n 128² 16.8×, CSP n 128² 22.6×, ResNeXt-50 n 64²
 * 26.0×, ResNet-50 s 96² 30.5×), for the tensors inside each block (convs, BN, activations). The factor takes the top
 * of that range and half again for the gradients in flight, so the estimate errs on the safe side.
 */
import { parseModelYaml } from './plan/parse';
import { summarizePlan } from './summary';
import type { BuildOptions } from './scale';

const BYTES = 4;
const ACTIVATION_FACTOR = 45;
const PARAMETER_COPIES = 4;

export interface MemoryEstimate {
  parameters: number;
  /** Bytes for the parameters, their gradients, momentum and EMA. */
  parameterBytes: number;
  /** Bytes for the activations of one step at this batch. */
  activationBytes: number;
  totalBytes: number;
}

export function estimateTrainingMemory(yamlText: string, options: Pick<BuildOptions, 'nc' | 'scale'> & { img: number; batch: number }): MemoryEstimate {
  const plan = parseModelYaml(yamlText, { nc: options.nc, scale: options.scale });
  const outputs = plan.layers.reduce((sum, layer) => sum + layer.channels * (options.img / layer.stride) ** 2, 0);
  const { parameters } = summarizePlan(plan);
  const parameterBytes = parameters * BYTES * PARAMETER_COPIES;
  const activationBytes = outputs * options.batch * BYTES * ACTIVATION_FACTOR;
  return { parameters, parameterBytes, activationBytes, totalBytes: parameterBytes + activationBytes };
}
