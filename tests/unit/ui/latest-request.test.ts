import { describe, expect, it } from 'vitest';
import { LatestRequest } from '../../../src/ui/data/latest-request';

describe('LatestRequest (the dataset a slow bundled load must not overwrite)', () => {
  it('lets only the newest request land, whatever order they finish in', async () => {
    const requests = new LatestRequest();
    let shown = '';
    const load = async (label: string, ms: number) => {
      const isNewest = requests.begin();
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (isNewest()) shown = label;
    };
    // The bundled set starts first and finishes last; the user's import must stay.
    await Promise.all([load('bundled', 30), load('import', 5)]);
    expect(shown).toBe('import');
    await load('bundled again', 1);
    expect(shown).toBe('bundled again');
  });
});
