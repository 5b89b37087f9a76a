/**
 * One-line explanations of the terms the page uses, shown on hover or keyboard focus (see components/Term.tsx).
 * Facts follow ScaledYOLOv4's yolov4-csp line (train.py, hyp.scratch.yaml, utils/general.py).
 */

export const GLOSSARY = {
  'the seed':
    'The experiment this lab reproduces: ScaledYOLOv4 yolov4-csp with its CSPDarknet backbone swapped for ResNet-50, ' +
    'ResNeXt-50 and SE-ResNet-50 (not the random Seed field).',
  Seed: 'The random seed: the same seed, settings and data give the same initial weights and batch order.',
  nc: 'Number of classes the detector predicts (taken from the dataset).',
  lr0: 'Initial learning rate; a cosine schedule lowers it to lr0·lrf by the last epoch.',
  lr1: 'Learning rate of the conv weights (parameter group 1, the only one with weight decay).',
  lr2: 'Learning rate of the biases (parameter group 2); during warm-up it falls from warmup_bias_lr to lr0.',
  'x/lr0': 'Learning rate of the batch-norm weights (parameter group 0, no weight decay).',
  EMA: 'Exponential moving average of the weights; validation and exports use this smoother copy.',
  box_loss: 'Box loss: 1 − CIoU between predicted and target boxes, over the positive anchors.',
  obj_loss: 'Objectness loss: binary cross-entropy between the predicted objectness and the IoU of each anchor’s box.',
  cls_loss: 'Class loss: binary cross-entropy of the class scores, over the positive anchors.',
  P: 'Precision: the share of predicted boxes that match a labelled object (IoU ≥ 0.5).',
  R: 'Recall: the share of labelled objects that some predicted box matches (IoU ≥ 0.5).',
  'mAP@0.5': 'Mean over classes of the average precision (area under the precision–recall curve) at IoU 0.5.',
  'mAP@0.5:0.95': 'mAP averaged over IoU thresholds 0.5, 0.55, …, 0.95: it also rewards tight boxes.',
  anchor: 'A prior box shape (width, height in pixels); each output cell predicts boxes relative to its level’s three anchors.',
  stride: 'How many input pixels one output cell spans: 8 (P3), 16 (P4) and 32 (P5).',
  scale: 'Model size n/s/m/l: depth and width multiples of the same architecture (l is the seed’s yolov4-csp).',
  nbs: 'Nominal batch size: gradients are accumulated over batches until about nbs images, and weight decay scales with it (the seed: 64; the lab preset: 16).',
  'warm-up': 'The first iterations (the seed: 3 epochs, at least 1000 iterations; the lab preset: 2 epochs, at least 100): learning rates and momentum ramp from their warm-up values to the schedule.',
  mosaic: 'Augmentation that tiles four training images into one, so objects appear at new scales and positions.',
  anchor_t:
    'The largest side ratio (either way, width or height) between a box and an anchor for the pair to be matched in training; 4.0 in the seed. A box with no anchor within it is never learned.',
  positive:
    'An output cell and anchor that a box is assigned to: it learns that box’s position, size and class. Every other cell learns only “no object”.',
  'receptive field':
    'How many input pixels (a side) can influence one output cell: it grows with every conv and pool of the backbone and neck.',
  'feature map':
    'A layer’s output: one value per channel at each cell. Shown as the mean |activation| over channels, bright where the layer responds; C2–C5 are the backbone’s stages, P3–P5 what Detect reads.',
} as const satisfies Record<string, string>;

export type GlossaryTerm = keyof typeof GLOSSARY;

export function explain(term: GlossaryTerm): string {
  return GLOSSARY[term];
}

/** The glossary term a form label stands for ("Classes (nc)" → nc), if any. */
const LABEL_TERMS: Readonly<Record<string, GlossaryTerm>> = { 'Classes (nc)': 'nc', lr0: 'lr0', Seed: 'Seed', Scale: 'scale' };

export function termOfLabel(label: string): GlossaryTerm | undefined {
  return LABEL_TERMS[label];
}
