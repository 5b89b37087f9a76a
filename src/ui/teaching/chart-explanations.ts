/** One-line explanations of each logged tag and group, shown beside the charts for teaching demos. */
import type { EpochTag } from '../../train/tags';

export const GROUP_EXPLANATIONS: Record<'Train' | 'Val' | 'Metrics' | 'LR', string> = {
  Train:
    'Losses on the augmented training batches (mosaic, HSV, flips), as running means over the current epoch. ' +
    'They reset at each epoch start, so a sawtooth is normal.',
  Val: 'The same three losses on the validation images (letterboxed, no augmentation), computed with the EMA weights once per epoch.',
  Metrics: 'Detection quality on the validation set, after NMS (conf 0.001, IoU 0.6), with the EMA weights.',
  LR: 'Learning rate of each optimizer parameter group: linear warm-up, then a cosine decay to lr0·lrf.',
};

export const TAG_EXPLANATIONS: Record<EpochTag, string> = {
  'train/box_loss': '1 − CIoU between predicted and assigned target boxes: how well boxes fit (position, size, aspect).',
  'train/obj_loss': 'Objectness BCE over every anchor and cell, targets = the CIoU of the positives: is there an object here?',
  'train/cls_loss': 'Class BCE on positive anchors only: which of the classes it is.',
  'val/box_loss': 'Box loss on the validation set. Rising while train/box_loss falls means over-fitting.',
  'val/obj_loss': 'Objectness loss on the validation set.',
  'val/cls_loss': 'Class loss on the validation set.',
  'metrics/precision': 'Of the detections kept at score 0.1, the fraction that match a ground-truth box (IoU ≥ 0.5), averaged over classes.',
  'metrics/recall': 'Of the ground-truth boxes, the fraction found at score 0.1, averaged over classes.',
  'metrics/mAP_0.5': 'Area under the precision-recall curve at IoU 0.5, averaged over classes: the headline number.',
  'metrics/mAP_0.5:0.95': 'mAP averaged over IoU thresholds 0.5 to 0.95 (COCO style): rewards tight boxes.',
  'x/lr0': 'Group 0: BatchNorm weights (no weight decay). Rises from 0 during warm-up.',
  'x/lr1': 'Group 1: convolution weights (with weight decay). Rises from 0 during warm-up.',
  'x/lr2': 'Group 2: all biases. Starts at warmup_bias_lr (0.1) and falls during warm-up.',
};
