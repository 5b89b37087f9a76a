/** Runs `lab <argv>` in-process through the real dispatcher and captures what it prints. */
import { vi } from 'vitest';
import { main } from '../../../src/cli/lab';

export interface LabResult {
  code: number;
  stdout: string;
  stderr: string;
}

const text = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ');

export async function lab(...argv: string[]): Promise<LabResult> {
  const out: string[] = [];
  const err: string[] = [];
  const spies = [
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(text(args))),
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(text(args))),
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void err.push(text(args))),
  ];
  try {
    const code = await main(argv);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}
