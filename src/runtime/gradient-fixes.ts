/**
 * Gradient registrations that fix tfjs 4.22 bugs on every backend. Registered once, by setBackend().
 *
 * - MaxPool: tfjs' gradient drops `dimRoundingMode`, so the gradient of a ceil-mode pool (SE-ResNet's stem,
 *   MaxPool2d(3, 2, 0, ceil_mode=True)) is computed for the floor-mode output size and loses the last row and column.
 */
import * as tf from '@tensorflow/tfjs';

let registered = false;

export function registerGradientFixes(): void {
  if (registered) return;
  tf.registerGradient({
    kernelName: 'MaxPool',
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, y] = saved;
      const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
        filterSize: [number, number] | number;
        strides: [number, number] | number;
        pad: 'valid' | 'same' | number;
        dimRoundingMode?: 'floor' | 'round' | 'ceil';
      };
      return {
        x: () =>
          tf.engine().runKernel(
            'MaxPoolGrad',
            { dy: dy as tf.Tensor, input: x, output: y },
            { filterSize, strides, pad, dimRoundingMode } as unknown as tf.NamedAttrMap,
          ) as tf.Tensor,
      };
    },
  });
  registered = true;
}
