/**
 * Where the project's shared folder is (`../shared` beside the repository, or LAB_SHARED_DIR), for the few tests
 * that read real data from it. A clone with nothing beside it has no such folder: those tests skip and say why.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The shared folder: LAB_SHARED_DIR when set (resolved against the repository root), else ../shared beside the repo. */
export function sharedDir(env: Record<string, string | undefined> = process.env): string {
  const override = env.LAB_SHARED_DIR;
  return override ? path.resolve(REPO_ROOT, override) : path.resolve(REPO_ROOT, '../shared');
}

/** A path inside the shared folder, and whether it is there; `reason` says what is missing when it is not. */
export function sharedPath(
  relative: string,
  env: Record<string, string | undefined> = process.env,
): { path: string; present: boolean; reason: string } {
  const full = path.join(sharedDir(env), relative);
  const present = existsSync(full);
  const reason = present
    ? ''
    : `needs ${full} (the shared folder beside the repository; set LAB_SHARED_DIR to point elsewhere)`;
  return { path: full, present, reason };
}
