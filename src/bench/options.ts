/** Command-line options of `npm run bench` / `lab bench`. */
import { parseArgs } from 'node:util';
import { BACKEND_CHOICES } from '../runtime/backend';

export interface BenchOptions {
  /** Node backends (BackendChoice) and headless-Chromium ones ('chromium:webgpu', ...). */
  backends: string[];
  models: string[];
  scales: string[];
  img: number;
  batch: number;
  /** Timed repetitions after warm-up; the reported time is their median. */
  steps: number;
  warmup: number;
  json?: string;
  /** 'auto': time PyTorch when /usr/bin/python3 can import torch; 'off': never. */
  pytorch: 'auto' | 'off';
  /** PyTorch's intra-op threads; 1 by default, like tfjs' wasm in Node. */
  torchThreads: number;
  /** Also time the grouped-conv strategies against a dense conv. */
  grouped: boolean;
  /** Also time tfjs' webgpu conv filter gradient against our tiled one. */
  filterGrad: boolean;
  /** chromium:wasm's threads; undefined: every logical core. */
  wasmThreads?: number;
  /** Skip the model rows (e.g. with --grouped for the conv comparison alone). */
  noModels: boolean;
  /** The model rows' conv strategy: 'kernel' (the lab's: our kernels where they pay) or 'split' (tfjs' convs only). */
  convs: 'kernel' | 'split';
  /** chromium:wasm: the threads to our kernels (XNNPACK on one; the lab's default) or all to XNNPACK. */
  kernelThreads: boolean;
}

export const BENCH_USAGE = `usage: npm run bench -- [options]
  --backend LIST   wasm,webgpu,cpu,auto in Node; chromium:webgpu, chromium:wasm, chromium:webgl in headless
                   Chromium (a module worker; YAML models only) (default wasm)
  --models LIST    probe,csp,resnet50,resnext50,se-resnet50 or all (default all)
  --scale LIST     n,s,m,l (default n; l is the seed's full size)
  --img N          square input size (default 256)
  --batch N        images per step (default 4)
  --steps N        timed steps, median reported (default 5, at least 5 for reported numbers)
  --warmup N       untimed steps first (default 2)
  --json FILE      also write the results as JSON
  --pytorch MODE   auto|off: time the same step in PyTorch (CPU) when /usr/bin/python3 has torch (default auto)
  --torch-threads N  PyTorch threads (default 1: tfjs' wasm runs one thread in Node, so 1 is like for like)
  --wasm-threads N  threads for chromium:wasm (default: every logical core; Node's wasm has one)
  --grouped        also compare ResNeXt's grouped-conv strategies with a dense conv of the same FLOPs
  --filter-grad    also time the webgpu conv filter gradient, tfjs' kernel vs our tiled one, with GFLOP/s
  --no-models      only the --grouped / --filter-grad comparisons
  --convs MODE     kernel|split: the models' convs on our kernels where they pay (the lab's default), or tfjs' own
                   only (grouped convs split per group; dense convs on XNNPACK in wasm training too) (default kernel)
  --kernel-threads on|off  chromium:wasm: the threads go to our kernels, XNNPACK keeping one (default on, as the
                   page), or all to XNNPACK with our kernels on one thread (off, as before kernel threads)`;

const list = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      backend: { type: 'string', default: 'wasm' },
      models: { type: 'string', default: 'all' },
      scale: { type: 'string', default: 'n' },
      img: { type: 'string', default: '256' },
      batch: { type: 'string', default: '4' },
      steps: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '2' },
      json: { type: 'string' },
      pytorch: { type: 'string', default: 'auto' },
      'torch-threads': { type: 'string', default: '1' },
      'wasm-threads': { type: 'string' },
      grouped: { type: 'boolean', default: false },
      'filter-grad': { type: 'boolean', default: false },
      'no-models': { type: 'boolean', default: false },
      convs: { type: 'string', default: 'kernel' },
      'kernel-threads': { type: 'string', default: 'on' },
    },
    strict: true,
  });
  const backends = list(values.backend);
  for (const b of backends) {
    const name = b.startsWith('chromium:') ? b.slice('chromium:'.length) : b;
    if (!(BACKEND_CHOICES as readonly string[]).includes(name)) throw new Error(`unknown backend '${b}'`);
  }
  const int = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return n;
  };
  if (values.pytorch !== 'auto' && values.pytorch !== 'off') throw new Error('--pytorch must be auto or off');
  if (values.convs !== 'kernel' && values.convs !== 'split') throw new Error('--convs must be kernel or split');
  const kernelThreads = values['kernel-threads'];
  if (kernelThreads !== 'on' && kernelThreads !== 'off') throw new Error('--kernel-threads must be on or off');
  return {
    backends,
    models: list(values.models),
    scales: list(values.scale),
    img: int('img', values.img, 32),
    batch: int('batch', values.batch, 1),
    steps: int('steps', values.steps, 1),
    warmup: int('warmup', values.warmup, 0),
    json: values.json,
    pytorch: values.pytorch,
    torchThreads: int('torch-threads', values['torch-threads'], 1),
    wasmThreads: values['wasm-threads'] === undefined ? undefined : int('wasm-threads', values['wasm-threads'], 1),
    grouped: values.grouped,
    filterGrad: values['filter-grad'],
    noModels: values['no-models'],
    convs: values.convs,
    kernelThreads: kernelThreads === 'on',
  };
}
