/**
 * Spreads the charts' redraws over separate tasks. When a run's history grows, every chart gets new data at once; a
 * recharts chart takes 10–20 ms to render and commit on a slow CPU, so thirteen of them in one task stall the page for
 * 100–250 ms at each epoch's end. Here each chart takes its new value in a task of its own, one after another.
 */
import { useEffect, useState } from 'react';

const queue: (() => void)[] = [];
let scheduled = false;

function drain(): void {
  scheduled = false;
  queue.shift()?.();
  if (queue.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(drain, 0);
}

/** Runs `update` in a task after those queued before it; the returned function drops it if it has not run yet. */
export function enqueueUpdate(update: () => void): () => void {
  queue.push(update);
  schedule();
  return () => {
    const at = queue.indexOf(update);
    if (at >= 0) queue.splice(at, 1);
  };
}

/** `value`, but a changed value shows only when its turn in the queue comes (the first one shows at once). */
export function useStaggered<T>(value: T): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    if (Object.is(value, shown)) return undefined;
    return enqueueUpdate(() => setShown(() => value));
  }, [value, shown]);
  return shown;
}
