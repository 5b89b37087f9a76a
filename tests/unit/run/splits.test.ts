/** The one split picker: train and val for a run, val alone for `lab val`; test stands in for a missing val, saying so. */
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/data/types';
import { findSplit, pickTrainSplits, pickValSplit } from '../../../src/run/splits';

function datasetWith(...splits: string[]): Dataset {
  return { format: 'yolo', names: ['car'], splits: Object.fromEntries(splits.map((s) => [s, []])), problems: [] };
}

describe('split picking', () => {
  it('finds a role by its name, else by a name that starts with it (COCO train2017, valid)', () => {
    expect(findSplit(datasetWith('train2017', 'val2017'), 'train')).toBe('train2017');
    expect(findSplit(datasetWith('valid', 'val'), 'val')).toBe('val');
    expect(findSplit(datasetWith('valid'), 'val')).toBe('valid');
    expect(findSplit(datasetWith('train'), 'val')).toBeUndefined();
  });

  it('a run needs train and val; test serves as val with a notice', () => {
    expect(pickTrainSplits(datasetWith('train', 'val', 'test'))).toEqual({ train: 'train', val: 'val', notices: [] });
    const withTest = pickTrainSplits(datasetWith('train', 'test'));
    expect(withTest).toMatchObject({ train: 'train', val: 'test' });
    expect(withTest.notices).toEqual(["the data has no val split: its 'test' split serves as val"]);
    expect(() => pickTrainSplits(datasetWith('val'))).toThrow("the data has no train split; its splits: val");
    expect(() => pickTrainSplits(datasetWith('train'))).toThrow('the data has no val split (nor a test split to use instead); its splits: train');
    expect(() => pickTrainSplits(datasetWith())).toThrow('its splits: none');
  });

  it('reading val alone needs no train split', () => {
    expect(pickValSplit(datasetWith('val'))).toEqual({ val: 'val', notices: [] });
    expect(pickValSplit(datasetWith('test')).val).toBe('test');
  });
});
