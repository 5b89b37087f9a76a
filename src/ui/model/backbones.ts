/**
 * The four shipped backbones: their YAML files (served from public/models/), the seed's totals at scale l with nc=4,
 * and a short explanation for teaching demos.
 */
import type { ShippedBackbone } from '../state/settings';

export interface BackboneInfo {
  id: ShippedBackbone;
  label: string;
  /** For legends and run names. */
  short: string;
  file: string;
  /** Total parameters of the seed's model (scale l, nc = 4). */
  seedTotal: number;
  explanation: string;
}

export const BACKBONES: readonly BackboneInfo[] = [
  {
    id: 'yolov4-csp',
    label: 'CSPDarknet (yolov4-csp)',
    short: 'CSPDarknet',
    file: 'yolov4-csp.yaml',
    seedTotal: 52_515_505,
    explanation:
      'The original YOLOv4-L backbone. Darknet residual blocks wrapped in Cross Stage Partial (CSP) stages: half of ' +
      'the channels skip each stage and are concatenated back, which cuts computation and keeps gradients diverse. ' +
      'Mish activations throughout.',
  },
  {
    id: 'yolov4-resnet50',
    label: 'ResNet-50',
    short: 'ResNet-50',
    file: 'yolov4-resnet50.yaml',
    seedTotal: 50_639_761,
    explanation:
      'A 7×7 stem and max-pool, then 3-4-6-3 bottleneck blocks (1×1 reduce, 3×3, 1×1 expand ×4) with identity ' +
      'shortcuts and ReLU. Its C3/C4/C5 outputs (512/1024/2048 channels) feed the YOLOv4 neck.',
  },
  {
    id: 'yolov4-resnext50',
    label: 'ResNeXt-50 (32×4d)',
    short: 'ResNeXt-50',
    file: 'yolov4-resnext50.yaml',
    seedTotal: 50_111_633,
    explanation:
      'ResNet-50 whose 3×3 convolutions are split into 32 groups of 4 channels per planes-64 ("cardinality"). ' +
      'Wider bottlenecks at about the same parameter count: more paths, fewer weights per path.',
  },
  {
    id: 'yolov4-se-resnet50',
    label: 'SE-ResNet-50',
    short: 'SE-ResNet-50',
    file: 'yolov4-se-resnet50.yaml',
    seedTotal: 53_170_753,
    explanation:
      'ResNet-50 with a Squeeze-and-Excitation block in every bottleneck: global average pooling, a 1×1 bottleneck ' +
      '(C→C/16→C) and a sigmoid rescale each channel by how useful it is. About 2.5M more parameters.',
  },
];

export function backboneInfo(id: ShippedBackbone): BackboneInfo {
  const info = BACKBONES.find((backbone) => backbone.id === id);
  if (!info) throw new Error(`unknown backbone ${id}`);
  return info;
}

export const CUSTOM_EXPLANATION =
  'Your own YAML, in the ScaledYOLOv4 format: nc, depth_multiple, width_multiple, anchors, and backbone/head rows of ' +
  '[from, number, module, args]. It is validated as you type.';

/** The backbone a run used, from its model file name ("Custom" for an edited YAML). */
export function backboneOfModelName(modelName: string): string {
  return BACKBONES.find((backbone) => backbone.file === modelName)?.short ?? 'Custom';
}
