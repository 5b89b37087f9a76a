import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedDir, sharedPath } from './shared-dir';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('sharedDir', () => {
  it('is ../shared beside the repository by default', () => {
    expect(sharedDir({})).toBe(path.resolve(REPO_ROOT, '..', 'shared'));
  });

  it('follows LAB_SHARED_DIR, absolute or relative to the repository root', () => {
    expect(sharedDir({ LAB_SHARED_DIR: '/somewhere/else' })).toBe('/somewhere/else');
    expect(sharedDir({ LAB_SHARED_DIR: 'fixtures-dir' })).toBe(path.join(REPO_ROOT, 'fixtures-dir'));
  });

  it('reports a path inside it as present only when it exists, with a reason naming it otherwise', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lab-shared-'));
    mkdirSync(path.join(root, 'datasets', 'coco-vehicles'), { recursive: true });
    const there = sharedPath('datasets/coco-vehicles', { LAB_SHARED_DIR: root });
    expect(there).toEqual({ path: path.join(root, 'datasets/coco-vehicles'), present: true, reason: '' });
    const missing = sharedPath('datasets/nothing', { LAB_SHARED_DIR: root });
    expect(missing.present).toBe(false);
    expect(missing.reason).toContain(path.join(root, 'datasets/nothing'));
    expect(missing.reason).toContain('LAB_SHARED_DIR');
  });
});
