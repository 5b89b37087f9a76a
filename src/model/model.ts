/** YoloModel: a DetectionModel built from a model YAML (parse → plan → tfjs modules). */
import * as tf from '@tensorflow/tfjs';
import { createVariableFactory } from './init';
import { Detect, detectBiasPrior } from './modules/detect';
import { instantiate } from './modules/instantiate';
import { BatchNorm2d } from './modules/leaves';
import { Layer, type Module, type NamedTensor } from './modules/module';
import { parseModelYaml, type ModelPlan } from './plan/parse';
import { PARAMETER_ROLES, groupOf } from './plan/tensors';
import type { BuildOptions, Scale } from './scale';
import { summarizePlan, type ModelSummary } from './summary';
import type { DetectionModel, ForwardMode, NamedBuffer, NamedParameter } from './types';

export class YoloModel implements DetectionModel {
  readonly nc: number;
  readonly strides: readonly number[];
  /** Per level, in pixels: the YAML's, until weights that carry others are loaded (setAnchors). */
  anchors: readonly (readonly (readonly [number, number])[])[];
  readonly scale: Scale | undefined;
  private readonly modules: Module[];
  private readonly detectHead: Detect;

  constructor(
    readonly yaml: string,
    readonly plan: ModelPlan,
    options: BuildOptions = {},
  ) {
    this.nc = plan.nc;
    this.strides = plan.detect.strides;
    this.anchors = plan.detect.anchors;
    this.scale = options.scale;
    const variable = createVariableFactory(options.seed);
    const ctx = { build: (node: Parameters<typeof instantiate>[0]): Module => instantiate(node, ctx), variable };
    this.modules = plan.layers.map((layer) => instantiate(layer.node, ctx));
    this.detectHead = this.modules[this.modules.length - 1] as Detect;
    this.applyDetectBiasPrior();
  }

  private applyDetectBiasPrior(): void {
    const na = this.anchors[0].length;
    this.detectHead.convs.forEach((conv, level) => {
      const bias = conv.bias!;
      const prior = detectBiasPrior(this.nc, na, this.strides[level]);
      tf.tidy(() => bias.assign(tf.add(bias, tf.tensor1d(prior))));
    });
  }

  /** Trains and decodes with these anchors (same count per level) from now on. */
  setAnchors(anchors: readonly (readonly (readonly [number, number])[])[]): void {
    const shapeOf = (a: typeof anchors) => a.map((level) => level.length).join(',');
    if (shapeOf(anchors) !== shapeOf(this.anchors)) throw new Error(`anchors per level ${shapeOf(anchors)} do not fit the model's ${shapeOf(this.anchors)}`);
    this.anchors = anchors.map((level) => level.map(([w, h]) => [w, h] as const));
  }

  summary(): ModelSummary {
    return summarizePlan(this.plan);
  }

  forward(images: tf.Tensor4D, mode: ForwardMode): tf.Tensor5D[] {
    return tf.tidy(() => this.runLayers(images, mode, this.plan.layers.length).levels);
  }

  /**
   * The outputs of the given layers (not Detect) for images in eval mode, computing no layer past the last one asked
   * for: what the feature-map view shows. The caller disposes them.
   */
  layerOutputs(images: tf.Tensor4D, layers: readonly number[]): tf.Tensor4D[] {
    const last = Math.max(...layers);
    if (!(last < this.plan.layers.length - 1) || layers.some((i) => i < 0)) throw new Error(`layers ${layers.join(', ')}: only layers 0–${this.plan.layers.length - 2} have feature maps`);
    return tf.tidy(() => {
      const { outputs } = this.runLayers(images, 'eval', last + 1);
      return layers.map((i) => outputs[i]);
    });
  }

  /** Runs layers 0…count-1 (inside the caller's tidy); Detect, when reached, gives the levels. */
  private runLayers(images: tf.Tensor4D, mode: ForwardMode, count: number): { outputs: tf.Tensor4D[]; levels: tf.Tensor5D[] } {
    const [, h, w] = images.shape;
    const maxStride = Math.max(...this.strides);
    if (h % maxStride !== 0 || w % maxStride !== 0) {
      throw new Error(`input ${h}x${w} must be a multiple of the largest stride ${maxStride}`);
    }
    const outputs: tf.Tensor4D[] = [];
    const take = (i: number) => (i === -1 ? images : outputs[i]);
    let levels: tf.Tensor5D[] = [];
    this.plan.layers.slice(0, count).forEach((layer, i) => {
      const module = this.modules[i];
      const inputs = layer.inputs.map(take);
      if (module instanceof Detect) levels = module.forwardLevels(inputs, mode);
      else if (module instanceof Layer) outputs.push(module.forward(inputs[0], mode));
      else outputs.push(tf.concat(inputs, 3));
    });
    return { outputs, levels };
  }

  /** Every state_dict tensor the model holds as a variable, in state_dict order. */
  namedTensors(): NamedTensor[] {
    return this.modules.flatMap((module, i) => [...module.namedTensors(`model.${i}`)]);
  }

  parameters(): NamedParameter[] {
    return this.namedTensors()
      .filter((t) => PARAMETER_ROLES.has(t.decl.role))
      .map((t) => ({ name: t.name, variable: t.variable, group: groupOf(t.decl.role) }));
  }

  buffers(): NamedBuffer[] {
    return this.namedTensors()
      .filter((t) => !PARAMETER_ROLES.has(t.decl.role))
      .map((t) => ({ name: t.name, variable: t.variable }));
  }

  /** BatchNorm modules with their state_dict prefix (for num_batches_tracked). */
  batchNorms(): { prefix: string; bn: BatchNorm2d }[] {
    const found: { prefix: string; bn: BatchNorm2d }[] = [];
    const walk = (module: Module, prefix: string) => {
      if (module instanceof BatchNorm2d) found.push({ prefix, bn: module });
      for (const [name, child] of module.childEntries()) walk(child, `${prefix}.${name}`);
    };
    this.modules.forEach((module, i) => walk(module, `model.${i}`));
    return found;
  }

  dispose(): void {
    for (const t of this.namedTensors()) t.variable.dispose();
  }
}

/** Parses, validates (throws ModelYamlError) and builds the model with fresh PyTorch-style initial weights. */
export function buildModel(yamlText: string, options: BuildOptions = {}): YoloModel {
  return new YoloModel(yamlText, parseModelYaml(yamlText, options), options);
}
