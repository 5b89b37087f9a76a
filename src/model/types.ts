/**
 * The contract between the model and the rest of the core (train, eval, worker). Everything here is plain data or
 * tfjs tensors: no DOM, no React.
 */
import type * as tf from '@tensorflow/tfjs';

/** Optimizer parameter groups, as ScaledYOLOv4 numbers them: 0 = BN weights, 1 = conv weights, 2 = biases. */
export type ParamGroup = 0 | 1 | 2;

export interface NamedParameter {
  /** PyTorch state_dict name, e.g. `model.4.cv1.bn.weight`. */
  name: string;
  /** tfjs layout (conv weights HWIO); `weights.ts` converts to/from PyTorch's OIHW. */
  variable: tf.Variable;
  group: ParamGroup;
}

export interface NamedBuffer {
  /** PyTorch state_dict name, e.g. `model.4.cv1.bn.running_mean`. */
  name: string;
  variable: tf.Variable;
}

export type ForwardMode = 'train' | 'eval';

export interface DetectionModel {
  /** Number of classes the Detect layer predicts. */
  readonly nc: number;
  /** Output strides of the Detect levels, e.g. [8, 16, 32]. */
  readonly strides: readonly number[];
  /** Anchors per level in input pixels, `[[w0,h0],[w1,h1],[w2,h2]]` for each level. */
  readonly anchors: readonly (readonly (readonly [number, number])[])[];
  /**
   * NHWC images in [0,1] → the raw Detect outputs, one per level, each `[N, 3, ny, nx, nc+5]` (PyTorch's Detect
   * training layout). 'train' uses batch statistics and updates BN running stats; 'eval' uses running stats.
   */
  forward(images: tf.Tensor4D, mode: ForwardMode): tf.Tensor5D[];
  parameters(): NamedParameter[];
  buffers(): NamedBuffer[];
  dispose(): void;
}
