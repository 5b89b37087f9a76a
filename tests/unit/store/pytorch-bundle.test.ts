import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/model/model';
import { saveSafetensors } from '../../../src/model/weights';
import { exportPyTorchBundle, pytorchModelYaml } from '../../../src/store/pytorch-bundle';
import { RunStore } from '../../../src/store/run-store';
import { parseHyp } from '../../../src/train/hyp';
import { TINY_YAML, tinySettings } from '../worker/tiny-run';

/** Debian's python3 with torch (python3-torch); pyenv's python3 on PATH has none. */
const SYSTEM_PYTHON = '/usr/bin/python3';
const hasTorch = (() => {
  if (!existsSync(SYSTEM_PYTHON)) return false;
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', 'import torch, numpy, yaml'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** ScaledYOLOv4's Conv (conv → bn → Mish) and Detect (m: 1x1 convs; anchors buffers) for the tiny YAML's rows. */
const MIRROR_MODEL = `
import json, sys, torch, torch.nn as nn, torch.nn.functional as F
sys.path.insert(0, sys.argv[1])
from load_lab_weights import read_safetensors, load_into

class Conv(nn.Module):
    def __init__(self, c1, c2, k, s):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, s, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(c2, eps=1e-3, momentum=0.03)
    def forward(self, x):
        return F.mish(self.bn(self.conv(x)))

class Detect(nn.Module):
    def __init__(self, nc, ch):
        super().__init__()
        self.no = nc + 5
        self.m = nn.ModuleList(nn.Conv2d(c, 3 * self.no, 1) for c in ch)
        self.register_buffer('anchors', torch.zeros(3, 3, 2))
        self.register_buffer('anchor_grid', torch.zeros(3, 1, 3, 1, 1, 2))
    def forward(self, xs):
        out = []
        for conv, x in zip(self.m, xs):
            y = conv(x)
            bs, _, ny, nx = y.shape
            out.append(y.view(bs, 3, self.no, ny, nx).permute(0, 1, 3, 4, 2).contiguous())
        return out

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = nn.Sequential(Conv(3, 8, 3, 2), Conv(8, 8, 3, 2), Conv(8, 16, 3, 2), Conv(16, 16, 3, 2),
                                   Conv(16, 16, 3, 2), Detect(4, [16, 16, 16]))
    def forward(self, x):
        taps = []
        for layer in list(self.model)[:5]:
            x = layer(x)
            taps.append(x)
        return self.model[5](taps[2:])

model = load_into(Model(), read_safetensors(sys.argv[2])).eval()
n = 3 * 32 * 32
x = (torch.sin(torch.arange(n, dtype=torch.float32)) * 0.5 + 0.5).view(1, 32, 32, 3).permute(0, 3, 1, 2)
with torch.no_grad():
    outs = model(x)
print(json.dumps([o.flatten().tolist() for o in outs]))
`;

async function storeWithCheckpoint(runId: string) {
  const store = await RunStore.open(`pytorch-bundle-${runId}`);
  const settings = tinySettings(runId, { scale: 's', hypYaml: 'lr0: 0.02\ngiou: 0.07\n', hypOverrides: { lr0: 0.03 } });
  await store.putRun({
    runId,
    settings,
    status: 'paused',
    createdAt: 1,
    updatedAt: 1,
    attempt: 0,
    epochsDone: 1,
    globalStep: 2,
    bestMap50: 0,
    trainMs: 0,
  });
  await tf.setBackend('cpu');
  const model = buildModel(TINY_YAML, { nc: 4, scale: 'l', seed: 3 });
  const weights = await saveSafetensors(model);
  await store.saveCheckpoint({ runId, epoch: 1, globalStep: 2, reason: 'pause', savedAt: 1, bytes: weights.byteLength, weights: weights.slice().buffer, state: new ArrayBuffer(0) });
  return { store, model, weights };
}

describe('PyTorch hand-off bundle', () => {
  it('writes the scaled YAML, hyp.yaml with giou, data.yaml, the weights, results.csv and the loader', async () => {
    const { store, model, weights } = await storeWithCheckpoint('bundle');
    const files = unzipSync(await exportPyTorchBundle(store, 'bundle'));
    expect(Object.keys(files).sort()).toEqual(
      ['README.txt', 'data.yaml', 'hyp.yaml', 'load_lab_weights.py', 'results.csv', 'tiny.yaml', 'weights.safetensors'],
    );

    const yaml = load(strFromU8(files['tiny.yaml'])) as Record<string, unknown>;
    expect(yaml).toMatchObject({ nc: 4, depth_multiple: 0.33, width_multiple: 0.5 });
    expect(yaml.backbone).toEqual((load(TINY_YAML) as Record<string, unknown>).backbone);

    const hypText = strFromU8(files['hyp.yaml']);
    expect(hypText).toMatch(/^giou: 0\.07$/m);
    expect(hypText).not.toMatch(/^box:/m);
    // The lab reads its own hand-off back: giou is box, and the form's lr0 won over the YAML's.
    expect(parseHyp(hypText).hyp).toMatchObject({ box: 0.07, lr0: 0.03 });

    expect(load(strFromU8(files['data.yaml']))).toEqual({
      train: 'vehicles/images/train',
      val: 'vehicles/images/val',
      nc: 4,
      names: ['motorcycle', 'car', 'bus', 'truck'],
    });
    expect(files['weights.safetensors']).toEqual(weights);
    expect(strFromU8(files['README.txt'])).toContain('--cfg tiny.yaml');
    model.dispose();
    store.close();
  });

  it('keeps a YAML without multiples loadable by adding them', () => {
    const yaml = pytorchModelYaml({ modelYaml: 'backbone: []\nhead: []\n', scale: 'm', nc: 3 });
    expect(load(yaml)).toEqual({ nc: 3, depth_multiple: 0.67, width_multiple: 0.75, backbone: [], head: [] });
  });

  it.skipIf(!hasTorch)('loads into PyTorch modules built like ScaledYOLOv4’s, and computes what tfjs computes', async () => {
    const { store, model } = await storeWithCheckpoint('torch');
    const files = unzipSync(await exportPyTorchBundle(store, 'torch'));
    const dir = mkdtempSync(join(tmpdir(), 'lab-bundle-'));
    try {
      writeFileSync(join(dir, 'load_lab_weights.py'), files['load_lab_weights.py']);
      writeFileSync(join(dir, 'weights.safetensors'), files['weights.safetensors']);
      writeFileSync(join(dir, 'mirror.py'), MIRROR_MODEL);
      const output = execFileSync(SYSTEM_PYTHON, [join(dir, 'mirror.py'), dir, join(dir, 'weights.safetensors')], { encoding: 'utf8' });
      const torchOutputs = JSON.parse(output) as number[][];

      const n = 3 * 32 * 32;
      const x = tf.tensor4d(Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 0.5 + 0.5), [1, 32, 32, 3]);
      const ours = model.forward(x, 'eval');
      const oursData = await Promise.all(ours.map((t) => t.data()));
      tf.dispose([x, ...ours]);
      expect(torchOutputs.map((o) => o.length)).toEqual(oursData.map((o) => o.length));
      let maxDiff = 0;
      torchOutputs.forEach((o, l) => o.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - oursData[l][i])))));
      expect(maxDiff).toBeLessThan(1e-4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      model.dispose();
      store.close();
    }
  });
});
