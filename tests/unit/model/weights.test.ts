/** safetensors encoding, and strict weight save/load with PyTorch names and layouts. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/model/model';
import { decodeSafetensors, encodeSafetensors } from '../../../src/model/safetensors';
import { loadSafetensors, saveSafetensors, WeightsError } from '../../../src/model/weights';
import { relativeError, tinyYaml } from './helpers';

describe('safetensors container', () => {
  it('round-trips F32, I64 and I32 with an 8-byte aligned header', () => {
    const bytes = encodeSafetensors(
      {
        'b.f32': { dtype: 'F32', shape: [2, 3], data: new Float32Array([1, -2, 3.5, 4, 5, 6]) },
        'a.i64': { dtype: 'I64', shape: [], data: new BigInt64Array([123n]) },
        'c.i32': { dtype: 'I32', shape: [2], data: new Int32Array([-7, 8]) },
      },
      { format: 'pt' },
    );
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(header.__metadata__).toEqual({ format: 'pt' });
    expect(header['a.i64'].data_offsets).toEqual([0, 8]);
    const back = decodeSafetensors(bytes);
    expect(Array.from(back['b.f32'].data as Float32Array)).toEqual([1, -2, 3.5, 4, 5, 6]);
    expect(back['b.f32'].shape).toEqual([2, 3]);
    expect((back['a.i64'].data as BigInt64Array)[0]).toBe(123n);
    expect(Array.from(back['c.i32'].data as Int32Array)).toEqual([-7, 8]);
  });

  it('rejects data that does not fit the declared shape', () => {
    expect(() => encodeSafetensors({ x: { dtype: 'F32', shape: [3], data: new Float32Array(2) } })).toThrow(/'x' has 8 bytes/);
  });
});

describe('model weights', () => {
  const yaml = tinyYaml('yolov4-se-resnet50');

  it('save → load reproduces the outputs of another model, with PyTorch names, OIHW and extra buffers', async () => {
    const source = buildModel(yaml, { seed: 1 });
    const images = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    tf.dispose(source.forward(images, 'train')); // move running stats and num_batches_tracked away from their inits
    const bytes = await saveSafetensors(source);
    const file = decodeSafetensors(bytes);
    expect(file['model.0.weight'].shape).toEqual([8, 3, 7, 7]);
    expect(file['model.4.layers.0.downsample.0.weight'].shape).toEqual([32, 8, 1, 1]);
    expect(file['model.4.layers.0.se.conv1.bias'].shape).toEqual([2]);
    expect(file['model.8.cv7.bn.bias'].shape).toEqual([16]);
    expect(file['model.28.m.2.bias'].shape).toEqual([27]);
    expect(file['model.28.anchors'].shape).toEqual([3, 3, 2]);
    expect(Array.from(file['model.28.anchors'].data as Float32Array).slice(0, 2)).toEqual([12 / 8, 16 / 8]);
    expect(file['model.28.anchor_grid'].shape).toEqual([3, 1, 3, 1, 1, 2]);
    expect(file['model.1.num_batches_tracked'].dtype).toBe('I64');
    expect((file['model.1.num_batches_tracked'].data as BigInt64Array)[0]).toBe(1n);

    const target = buildModel(yaml, { seed: 99 });
    loadSafetensors(target, bytes);
    for (const mode of ['eval', 'train'] as const) {
      const [a, b] = [source.forward(images, mode), target.forward(images, mode)];
      for (let level = 0; level < 3; level++) expect(await relativeError(b[level], a[level])).toBe(0);
      tf.dispose([...a, ...b]);
    }
    tf.dispose(images);
    source.dispose();
    target.dispose();
  });

  it('is strict: names each missing, misshapen or unexpected tensor and assigns nothing', async () => {
    const model = buildModel(yaml, { seed: 1 });
    const file = decodeSafetensors(await saveSafetensors(model));
    delete file['model.5.layers.0.conv1.weight'];
    file['model.0.weight'] = { dtype: 'F32', shape: [8, 3, 3, 3], data: new Float32Array(8 * 27) };
    file['model.99.weight'] = { dtype: 'F32', shape: [1], data: new Float32Array(1) };
    file['model.28.anchors'] = { dtype: 'F32', shape: [3, 2, 2], data: new Float32Array(12).fill(1) };
    const before = await model.parameters()[0].variable.data();
    let error: unknown;
    try {
      loadSafetensors(model, encodeSafetensors(file));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WeightsError);
    const text = (error as Error).message;
    expect(text).toMatch(/model\.5\.layers\.0\.conv1\.weight: missing from the file \(expected F32 \[8,32,1,1\]\)/);
    expect(text).toMatch(/model\.0\.weight: shape \[8,3,3,3\] in the file, the model has \[8,3,7,7\]/);
    expect(text).toMatch(/model\.99\.weight: unexpected tensor/);
    expect(text).toMatch(/model\.28\.anchors: shape \[3,2,2\] in the file, the YAML gives \[3,3,2\]/);
    expect(await model.parameters()[0].variable.data()).toEqual(before);
    model.dispose();
  });

  it("takes the file's anchors when they differ from the YAML's (an AutoAnchor run), with a notice", async () => {
    const trained = buildModel(yaml, { seed: 1 });
    const anchors = trained.anchors.map((level, l) => level.map(([w, h]) => [w * 0.4 + l, h * 0.4] as [number, number]));
    trained.setAnchors(anchors);
    const bytes = await saveSafetensors(trained);
    const fresh = buildModel(yaml, { seed: 2 });
    const before = fresh.anchors;
    const { notices } = loadSafetensors(fresh, bytes);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/the weights carry other anchors than the YAML .*: using the file's/);
    expect(fresh.anchors).not.toEqual(before);
    fresh.anchors.flat().forEach(([w, h], i) => {
      expect(w).toBeCloseTo(anchors.flat()[i][0], 4);
      expect(h).toBeCloseTo(anchors.flat()[i][1], 4);
    });
    // The same anchors load silently.
    expect(loadSafetensors(fresh, bytes).notices).toEqual([]);
    trained.dispose();
    fresh.dispose();
  });
});
