/**
 * `lab bench`: the benchmark of src/bench (training-step times per model, scale and backend, optionally against
 * PyTorch). Loaded on demand, so the other commands do not pay for its imports.
 */
export const description = 'time training steps per model/scale/backend (and PyTorch if present); see docs/performance.md';

export async function run(argv: string[]): Promise<number> {
  const { runBench } = await import('../../bench/bench');
  return runBench(argv);
}
