import { describe, expect, it } from 'vitest';
import { RunQueue, queueStatusText } from '../../../src/ui/training/run-queue';
import { queueGroupName } from '../../../src/ui/training/run-settings';
import type { RunSettings } from '../../../src/worker/protocol';

const run = (runId: string) => ({ runId, modelName: `${runId}.yaml` }) as RunSettings;

describe('the experiment queue', () => {
  it('starts the next run only once the active one has finished, counting positions', () => {
    const queue = new RunQueue();
    expect(queue.start([run('a'), run('b'), run('c'), run('d')])?.runId).toBe('a');
    expect(queue.current).toEqual({ position: 1, total: 4, runId: 'a', modelName: 'a.yaml' });
    expect(queue.next('running')).toBeUndefined();
    expect(queue.next('paused')).toBeUndefined();
    expect(queue.current?.position).toBe(1);
    expect(queue.next('done')?.runId).toBe('b');
    expect(queue.current).toEqual({ position: 2, total: 4, runId: 'b', modelName: 'b.yaml' });
    expect(queue.next('failed')?.runId).toBe('c');
    expect(queue.next('stopped')?.runId).toBe('d');
    expect(queue.current).toEqual({ position: 4, total: 4, runId: 'd', modelName: 'd.yaml' });
    expect(queue.next('done')).toBeUndefined();
    expect(queue.current).toBeUndefined();
  });

  it('keeps the active run when cancelled, then starts nothing more', () => {
    const queue = new RunQueue();
    queue.start([run('a'), run('b'), run('c')]);
    queue.clear();
    expect(queue.pending).toHaveLength(0);
    expect(queue.current?.runId).toBe('a');
    expect(queue.next('done')).toBeUndefined();
    expect(queue.current).toBeUndefined();
  });

  it('has no position for a single run', () => {
    const queue = new RunQueue();
    expect(queue.start([run('solo')])?.runId).toBe('solo');
    expect(queue.current).toBeUndefined();
  });

  it('names the backbone, the position and the epoch', () => {
    const position = { position: 2, total: 4, runId: 'b', modelName: 'b.yaml' };
    expect(queueStatusText(position, 'ResNeXt-50', { current: 3, total: 20 })).toBe('Training 2 of 4: ResNeXt-50, epoch 3/20');
    expect(queueStatusText(position, 'ResNeXt-50')).toBe('Training 2 of 4: ResNeXt-50');
  });
});

describe('the queue group name', () => {
  it('is one name for the whole queue, with the scale and the time', () => {
    const now = new Date(2026, 11, 4, 9, 5, 7);
    expect(queueGroupName('l', now)).toBe('all four-l 12-04 09:05:07');
    expect(queueGroupName('s', now)).toBe('all four-s 12-04 09:05:07');
  });
});
