/**
 * `npx tsx tests/bench/wasm-kernels-bench.ts`: micro-benchmarks behind the choices in src/runtime/wasm-kernels.
 * 1. Conv2DBackpropInput: ours (XNNPACK conv) against tfjs' stock wasm kernel (a plain loop) and the forward conv.
 * 2. Conv2DBackpropFilter of 1x1 convs: the conv trick (our kernel) against xᵀ·dy as one BatchMatMul.
 * Numbers: docs/performance.md.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

// Capture the stock kernel before setBackend() replaces it; its setup (binding the C function) is run by hand below.
const stock = { ...tf.getKernel('Conv2DBackpropInput', 'wasm')! };
const { setBackend } = await import('../../src/runtime/backend');
const { medianMs } = await import('./measure');
await setBackend('wasm');
const ours = { ...tf.getKernel('Conv2DBackpropInput', 'wasm')! };
stock.setupFunc?.(tf.backend());
const use = (k: tf.KernelConfig) => {
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel(k);
};

for (const [stride, channels, size] of [[1, 32, 64], [1, 64, 32], [1, 128, 16], [2, 64, 32]] as const) {
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

console.log('--- 1x1 filter gradient: conv trick (ours) vs one matmul');
for (const [channels, size] of [[64, 64], [128, 32], [256, 16], [512, 8]] as const) {
  const x = tf.randomNormal([4, size, size, channels]) as tf.Tensor4D;
  const dy = tf.randomNormal([4, size, size, channels]) as tf.Tensor4D;
  const timed = (f: () => tf.Tensor) => medianMs(async () => {
    const r = f();
    await r.data();
    r.dispose();
  }, 1, 5);
  const trickMs = await timed(
    () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [1, 1, channels, channels] }) as tf.Tensor,
  );
  const positions = 4 * size * size;
  const matmulMs = await timed(() => tf.matMul(tf.reshape(x, [positions, channels]), tf.reshape(dy, [positions, channels]), true, false));
  console.log(`1x1 ${channels}→${channels} at 4x${size}²: conv trick ${trickMs.toFixed(1)} ms, matmul ${matmulMs.toFixed(1)} ms`);
  tf.dispose([x, dy]);
}
