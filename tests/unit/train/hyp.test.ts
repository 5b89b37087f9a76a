import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DEFAULT_HYP, HYP_PRESETS, HypError, LAB_HYP, SCRATCH_HYP, hypToYaml, parseHyp } from '../../../src/train/hyp';

describe('hyp', () => {
  it('scratch is the yolov4-csp line hyp.scratch.yaml, with train.py warm-up of at least 1000 iterations', () => {
    expect(SCRATCH_HYP).toEqual({
      warmup_min_iters: 1000, nbs: 64, iou_t: 0.2,
      lr0: 0.01, lrf: 0.2, momentum: 0.937, weight_decay: 0.0005, warmup_epochs: 3, warmup_momentum: 0.8,
      warmup_bias_lr: 0.1, box: 0.05, cls: 0.3, obj: 0.7, cls_pw: 1, obj_pw: 1, anchor_t: 4, fl_gamma: 0,
      hsv_h: 0.015, hsv_s: 0.7, hsv_v: 0.4, degrees: 0, translate: 0.1, scale: 0.9, shear: 0, perspective: 0,
      flipud: 0, fliplr: 0.5, mosaic: 1, mixup: 0,
    });
  });

  it('the lab preset is the default, and differs from scratch in exactly the documented keys', () => {
    expect(DEFAULT_HYP).toBe(LAB_HYP);
    const changed = Object.keys(SCRATCH_HYP).filter((k) => SCRATCH_HYP[k as keyof typeof SCRATCH_HYP] !== LAB_HYP[k as keyof typeof LAB_HYP]);
    expect(changed.sort()).toEqual(['cls', 'lr0', 'lrf', 'mosaic', 'nbs', 'scale', 'warmup_epochs', 'warmup_min_iters']);
    const doc = readFileSync('docs/training.md', 'utf8');
    for (const key of changed) expect(doc, `docs/training.md explains ${key}`).toMatch(new RegExp(`\\| \`${key}\` \\|`));
  });

  it('public/hyps/*.yaml are the presets, every key written out', () => {
    for (const [name, preset] of Object.entries(HYP_PRESETS)) {
      const text = readFileSync(`public/hyps/${name}.yaml`, 'utf8');
      const { hyp, ignoredKeys } = parseHyp(text, {} as typeof preset);
      expect(hyp, name).toEqual(preset);
      expect(ignoredKeys).toEqual([]);
    }
  });

  it('a partial file is filled from the lab preset, or from the preset it names as base', () => {
    expect(parseHyp('lr0: 0.02').hyp).toEqual({ ...LAB_HYP, lr0: 0.02 });
    expect(parseHyp('base: scratch\nlr0: 0.02').hyp).toEqual({ ...SCRATCH_HYP, lr0: 0.02 });
    expect(parseHyp('base: lab').hyp).toEqual(LAB_HYP);
    expect(() => parseHyp('base: fast')).toThrow(/'base' must name a preset \(scratch or lab\), got "fast"/);
    expect(() => parseHyp('base: constructor')).toThrow(/'base' must name a preset/);
  });

  it("loads the yolov4-large line's hyp file, reading `giou` as `box`", () => {
    const text = [
      'lr0: 0.01', 'momentum: 0.937', 'weight_decay: 0.0005', 'giou: 0.07', 'cls: 0.5', 'cls_pw: 1.0', 'obj: 1.0',
      'obj_pw: 1.0', 'iou_t: 0.20', 'anchor_t: 4.0', 'fl_gamma: 0.0', 'hsv_h: 0.015', 'translate: 0.5', 'scale: 0.5',
    ].join('\n');
    const { hyp, ignoredKeys } = parseHyp(text);
    expect(hyp.box).toBe(0.07);
    expect(hyp.cls).toBe(0.5);
    expect(hyp.translate).toBe(0.5);
    expect(hyp.lrf).toBe(LAB_HYP.lrf); // absent keys keep the defaults
    expect(ignoredKeys).toEqual([]);
  });

  it('lists unknown keys and reports bad values by key', () => {
    expect(parseHyp('anchors: 3\nlabel_smoothing: 0.0\nlr0: 0.02').ignoredKeys).toEqual(['anchors', 'label_smoothing']);
    try {
      parseHyp('lr0: fast\nmomentum: -1\ngiou: 0.05\nbox: 0.1');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(HypError);
      const problems = (err as HypError).problems.join('\n');
      expect(problems).toMatch(/'lr0' must be a finite number, got "fast"/);
      expect(problems).toMatch(/'momentum' must be in \[0, 1\), got -1/);
      expect(problems).toMatch(/'box' and 'giou' both set box/);
    }
    expect(() => parseHyp('- 1\n- 2')).toThrow(/mapping/);
    expect(() => parseHyp('lr0: [')).toThrow(/not valid YAML/);
  });

  it('round-trips through hyp.yaml', () => {
    const hyp = { ...DEFAULT_HYP, lr0: 0.02, warmup_min_iters: 1000 };
    expect(parseHyp(hypToYaml(hyp)).hyp).toEqual(hyp);
    expect(parseHyp('').hyp).toEqual(DEFAULT_HYP);
    expect(parseHyp('# only a comment\n').hyp).toEqual(DEFAULT_HYP);
  });
});
