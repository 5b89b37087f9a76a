/**
 * The logged tags. They follow ScaledYOLOv4's `yolov4-csp` code line (`train/box_loss`-style tags and `x/lr0..2`), which YOLOv5's
 * results.csv also uses, so the column order below is YOLOv5's.
 */
export const EPOCH_TAGS = [
  'train/box_loss',
  'train/obj_loss',
  'train/cls_loss',
  'metrics/precision',
  'metrics/recall',
  'metrics/mAP_0.5',
  'metrics/mAP_0.5:0.95',
  'val/box_loss',
  'val/obj_loss',
  'val/cls_loss',
  'x/lr0',
  'x/lr1',
  'x/lr2',
] as const;

export type EpochTag = (typeof EPOCH_TAGS)[number];

/** One epoch's record: `epoch` plus exactly the 13 tags. */
export type EpochRecord = { epoch: number } & Record<EpochTag, number>;

/** Tags that also move every step (running means over the epoch so far, and the current lrs). */
export const STEP_TAGS = ['train/box_loss', 'train/obj_loss', 'train/cls_loss', 'x/lr0', 'x/lr1', 'x/lr2'] as const;
export type StepTag = (typeof STEP_TAGS)[number];

/** The chart groups of the seed's TensorBoard figures. */
export const TAG_GROUPS: Record<'Train' | 'Val' | 'Metrics' | 'LR', readonly EpochTag[]> = {
  Train: ['train/box_loss', 'train/obj_loss', 'train/cls_loss'],
  Val: ['val/box_loss', 'val/obj_loss', 'val/cls_loss'],
  Metrics: ['metrics/precision', 'metrics/recall', 'metrics/mAP_0.5', 'metrics/mAP_0.5:0.95'],
  LR: ['x/lr0', 'x/lr1', 'x/lr2'],
};
