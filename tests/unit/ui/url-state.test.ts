import { describe, expect, it } from 'vitest';
import { decodeText, encodeText, settingsFromQuery, settingsToQuery } from '../../../src/ui/state/url-state';
import { DEFAULT_SETTINGS, type LabSettings } from '../../../src/ui/state/settings';

describe('URL state', () => {
  it('round-trips every setting', () => {
    const settings: LabSettings = {
      backbone: 'custom',
      scale: 's',
      img: 96,
      batch: 4,
      epochs: 12,
      lr0: 0.02,
      seed: 7,
      hypYaml: 'lr0: 0.02\nlrf: 0.2\nmomentum: 0.937  # SGD\n',
      customYaml: 'nc: 4\nbackbone:\n  [[-1, 1, Conv, [32, 3, 1]]]\n# ümlaut ✓\n',
      backend: 'wasm',
      autoAnchor: false,
    };
    const query = settingsToQuery(settings);
    expect(settingsFromQuery(query)).toEqual(settings);
    expect(settingsFromQuery(`?${query}`)).toEqual(settings);
  });

  it('writes nothing for the defaults and reads defaults from an empty query', () => {
    expect(settingsToQuery(DEFAULT_SETTINGS)).toBe('');
    expect(settingsFromQuery('')).toEqual(DEFAULT_SETTINGS);
  });

  it('falls back to defaults for malformed or out-of-range values', () => {
    const settings = settingsFromQuery('backbone=vgg&scale=xl&img=abc&batch=0&epochs=2.5&lr0=-1&seed=3&hyp=%%%');
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, seed: 3 });
  });

  it('keeps a shipped backbone by name without its YAML', () => {
    const query = settingsToQuery({ ...DEFAULT_SETTINGS, backbone: 'yolov4-se-resnet50', customYaml: 'ignored' });
    expect(query).toBe('backbone=yolov4-se-resnet50');
  });

  it('compresses long texts', () => {
    const text = 'anchors:\n' + '  - [12,16, 19,36, 40,28]\n'.repeat(40);
    const encoded = encodeText(text);
    expect(encoded.length).toBeLessThan(text.length / 4);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeText(encoded)).toBe(text);
  });
});
