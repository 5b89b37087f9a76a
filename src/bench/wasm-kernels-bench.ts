/**
 * `npx tsx src/bench/wasm-kernels-bench.ts`: micro-benchmarks behind the choices in src/runtime/wasm-kernels.
 * 1. Conv2DBackpropInput: ours (XNNPACK conv) against tfjs' stock wasm kernel (a plain loop) and the forward conv.
 * 2. Conv2DBackpropFilter: im2col + one untransposed matmul (our default) against the dilated-conv trick (our
 *    fallback for patch matrices over the memory cap).
 * Numbers: docs/performance.md.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

// Capture the stock kernel before setBackend() replaces it; its setup (binding the C function) is run by hand below.
const stock = { ...tf.getKernel('Conv2DBackpropInput', 'wasm')! };
const { setBackend } = await import('../runtime/backend');
const { medianMs } = await import('./measure');
await setBackend('wasm');
const ours = { ...tf.getKernel('Conv2DBackpropInput', 'wasm')! };
stock.setupFunc?.(tf.backend());
const use = (k: tf.KernelConfig) => {
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel(k);
};

for (const [stride, channels, size] of [[1, 32, 64], [1, 64, 32], [1, 128, 16], [2, 64, 32], [2, 256, 16]] as const) {
  const x = tf.randomNormal([4, size, size, channels]) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, channels, channels]) as tf.Tensor4D;
  const dy = tf.conv2d(x, w, stride, 'same');
  const backprop = async () => {
    const dx = tf.conv2dTranspose(dy, w, x.shape, stride, 'same');
    await dx.data();
    dx.dispose();
  };
  use(ours);
  const oursMs = await medianMs(backprop, 1, 5);
  use(stock);
  const stockMs = await medianMs(backprop, 1, 5);
  use(ours);
  const forwardMs = await medianMs(async () => {
    const y = tf.conv2d(x, w, stride, 'same');
    await y.data();
    y.dispose();
  }, 1, 5);
  console.log(`3x3 s${stride} ${channels}→${channels} at 4x${size}²: ours ${oursMs.toFixed(1)} ms, stock ${stockMs.toFixed(1)} ms, forward ${forwardMs.toFixed(1)} ms`);
  tf.dispose([x, w, dy]);
}

console.log('--- filter gradient: im2col + matmul (default) vs the dilated-conv trick');
const { filterGradTuning } = await import('../runtime/wasm-kernels/conv2d-backprop-filter');
const im2colLimit = filterGradTuning.im2colMaxElements;
for (const [k, stride, channels, size] of [[1, 1, 64, 64], [1, 1, 256, 16], [1, 1, 512, 8], [3, 1, 64, 32], [3, 1, 128, 16], [3, 1, 256, 8], [3, 1, 512, 4], [3, 2, 128, 16]] as const) {
  const x = tf.randomNormal([4, size, size, channels]) as tf.Tensor4D;
  const out = Math.ceil(size / stride);
  const dy = tf.randomNormal([4, out, out, channels]) as tf.Tensor4D;
  const filterGrad = async () => {
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: stride, pad: 'same', dataFormat: 'NHWC', filterShape: [k, k, channels, channels] }) as tf.Tensor;
    await dw.data();
    dw.dispose();
  };
  filterGradTuning.im2colMaxElements = im2colLimit;
  const im2colMs = await medianMs(filterGrad, 1, 5);
  filterGradTuning.im2colMaxElements = 0;
  const trickMs = await medianMs(filterGrad, 1, 5);
  filterGradTuning.im2colMaxElements = im2colLimit;
  console.log(`${k}x${k} s${stride} ${channels}→${channels} at 4x${size}²: im2col ${im2colMs.toFixed(1)} ms, conv trick ${trickMs.toFixed(1)} ms`);
  tf.dispose([x, dy]);
}
