/** Shared helpers for the model tests. */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';

export { yamlWithRows } from '../worker/tiny-run';

export const MODELS_DIR = new URL('../../../public/models/', import.meta.url);
export const PARITY_DIR = new URL('../../fixtures/parity/', import.meta.url);

export const FAMILIES = ['yolov4-csp', 'yolov4-resnet50', 'yolov4-resnext50', 'yolov4-se-resnet50'] as const;

export function readModelYaml(name: string): string {
  return readFileSync(new URL(`${name}.yaml`, MODELS_DIR), 'utf8');
}

/** A tiny variant of a shipped YAML: scale-n depth, width 1/32; ResNeXt gets 4 groups of width 16 (see docs). */
export function tinyYaml(name: string): string {
  return readModelYaml(name)
    .replace('depth_multiple: 1.0', 'depth_multiple: 0.33')
    .replace('width_multiple: 1.0', 'width_multiple: 0.03125')
    .replace(/, 32, 4, True\]/g, ', 4, 16, True]');
}

/** max |a − b| / max(|b|), the relative error used by the parity checks. */
export async function relativeError(actual: tf.Tensor, expected: tf.Tensor): Promise<number> {
  const diff = await tf.tidy(() => tf.max(tf.abs(tf.sub(actual, expected)))).data();
  const scale = await tf.tidy(() => tf.max(tf.abs(expected))).data();
  return diff[0] / Math.max(scale[0], 1e-12);
}

/**
 * Directional-derivative check: ⟨∇f, v⟩ from tfjs' gradients vs the central difference (f(θ+εv) − f(θ−εv)) / 2ε,
 * over the input and every trainable variable at once, with f = Σ y·r for a fixed random r.
 * Returns the relative difference between the two.
 */
export async function gradientCheck(
  forward: (x: tf.Tensor4D) => tf.Tensor,
  x: tf.Tensor4D,
  variables: tf.Variable[],
  epsilon = 1e-3,
): Promise<{ analytic: number; numeric: number; relative: number }> {
  const probe = tf.tidy(() => forward(x));
  const r = tf.randomNormal(probe.shape, 0, 1, 'float32', 7);
  probe.dispose();
  const loss = (input: tf.Tensor4D) => tf.sum(tf.mul(forward(input), r)) as tf.Scalar;
  const vx = tf.randomNormal(x.shape, 0, 1, 'float32', 11) as tf.Tensor4D;
  const vs = variables.map((v, i) => tf.randomNormal(v.shape, 0, 1, 'float32', 13 + i));

  const analyticTensor = tf.tidy(() => {
    const grads = variables.length > 0 ? tf.variableGrads(() => loss(x), variables).grads : {};
    const dx = tf.grad((input: tf.Tensor) => loss(input as tf.Tensor4D))(x);
    let total = tf.sum(tf.mul(dx, vx));
    variables.forEach((v, i) => (total = tf.add(total, tf.sum(tf.mul(grads[v.name], vs[i])))));
    return total;
  });
  const analytic = (await analyticTensor.data())[0];
  analyticTensor.dispose();

  const originals = variables.map((v) => tf.clone(v));
  const weights = await r.data();
  // The perturbed losses are summed in float64 here, so rounding does not swamp the small differences.
  const evaluate = async (sign: number) => {
    variables.forEach((v, i) => v.assign(tf.tidy(() => tf.add(originals[i], tf.mul(vs[i], sign * epsilon)))));
    const y = tf.tidy(() => forward(tf.add(x, tf.mul(vx, sign * epsilon)) as tf.Tensor4D));
    const values = await y.data();
    y.dispose();
    let total = 0;
    for (let i = 0; i < values.length; i++) total += values[i] * weights[i];
    return total;
  };
  const numeric = ((await evaluate(1)) - (await evaluate(-1))) / (2 * epsilon);
  variables.forEach((v, i) => v.assign(originals[i]));
  tf.dispose([r, vx, ...vs, ...originals]);
  return { analytic, numeric, relative: Math.abs(analytic - numeric) / Math.max(Math.abs(numeric), 1e-6) };
}
