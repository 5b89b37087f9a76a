/**
 * `lab bench`: the benchmark of tests/bench (training-step times per model, scale and backend, optionally against
 * PyTorch). It lives with the tests because it is a measuring tool, not part of the lab; this command only runs it.
 */
export const description = 'time training steps per model/scale/backend (and PyTorch if present); see docs/performance.md';

export async function run(argv: string[]): Promise<number> {
  const { runBench } = await import('../../../tests/bench/bench');
  return runBench(argv);
}
