/** PyTorch's default initial values for declared tensors, as tf.Variables in tfjs layouts. */
import * as tf from '@tensorflow/tfjs';
import type { TensorDecl } from './plan/tensors';

/** PyTorch conv weight OIHW [o, i, kh, kw] → tfjs HWIO [kh, kw, i, o]. */
export function tfjsShape(decl: TensorDecl): number[] {
  const [o, i, kh, kw] = decl.shape;
  return decl.role === 'conv_weight' ? [kh, kw, i, o] : decl.shape;
}

/**
 * Conv weight and bias: kaiming_uniform(a=√5) = U(±1/√fan_in), and the bias U(±1/√fan_in) too. BN: γ=1, β=0,
 * running mean 0, running var 1. `seed` makes two builds identical; otherwise tfjs picks random seeds.
 */
export function createVariableFactory(seed?: number): (decl: TensorDecl) => tf.Variable {
  let counter = 0;
  return (decl) =>
    tf.tidy(() => {
      const shape = tfjsShape(decl);
      const nextSeed = seed === undefined ? undefined : seed + counter++;
      const trainable = decl.role !== 'running_mean' && decl.role !== 'running_var';
      let initial: tf.Tensor;
      switch (decl.role) {
        case 'conv_weight':
        case 'conv_bias': {
          const bound = 1 / Math.sqrt(decl.fanIn ?? 1);
          initial = tf.randomUniform(shape, -bound, bound, 'float32', nextSeed);
          break;
        }
        case 'bn_weight':
        case 'running_var':
          initial = tf.ones(shape);
          break;
        default:
          initial = tf.zeros(shape);
      }
      return tf.variable(initial, trainable);
    });
}
