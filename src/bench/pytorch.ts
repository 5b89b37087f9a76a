/**
 * The optional PyTorch comparison: times the same model's training step on the CPU with Debian's python3-torch
 * (/usr/bin/python3; the python3 on PATH may lack torch). Absent torch → null, and the benchmark goes on.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const PYTHON = process.env.LAB_TORCH_PYTHON ?? '/usr/bin/python3';

export interface TorchTiming {
  train_step_ms: number;
  forward_ms: number;
  threads: number;
  torch: string;
  /** Parameter count of the PyTorch model: must equal ours, or the comparison is not like for like. */
  params: number;
}

let available: string | null | undefined;

/** torch's version when /usr/bin/python3 can import it, else null. */
export function torchVersion(): string | null {
  if (available !== undefined) return available;
  try {
    available = existsSync(PYTHON)
      ? execFileSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
      : null;
  } catch {
    available = null;
  }
  return available;
}

export interface TorchRequest {
  model: string;
  yaml: string | null;
  scale: string;
  img: number;
  batch: number;
  steps: number;
  warmup: number;
  nc: number;
  threads: number;
}

/** Runs src/bench/pytorch/train_step.py; returns null (with the reason on stderr) when it cannot. */
export function torchTrainStep(root: string, request: TorchRequest): TorchTiming | null {
  if (!torchVersion()) return null;
  const script = join(root, 'src', 'bench', 'pytorch', 'train_step.py');
  const run = spawnSync(PYTHON, [script, JSON.stringify(request)], { encoding: 'utf8', timeout: 30 * 60_000 });
  if (run.status !== 0) {
    const why = (run.stderr || run.error?.message || '').trim().split('\n').slice(-3).join(' | ');
    console.error(`[bench] PyTorch ${request.model}/${request.scale}: no timing (${why})`);
    return null;
  }
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? 'null') as TorchTiming;
}
