/** Bounded YAML: alias bombs and cycles are refused in milliseconds, by every reader of user YAML, with short messages. */
import { deflateSync } from 'fflate';
import { load } from 'js-yaml';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { loadDataset, memoryFileSource } from '../../../src/data/index';
import { inflateCapped, InflateLimitError } from '../../../src/input/bounded-inflate';
import { loadBoundedYaml, MAX_ALIASES, YamlInputError } from '../../../src/input/bounded-yaml';
import { showValue } from '../../../src/input/show-value';
import { ModelYamlError } from '../../../src/model/errors';
import { parseModelYaml } from '../../../src/model/plan/parse';
import { HypError, parseHyp } from '../../../src/train/hyp';
import { backboneLength } from '../../../src/ui/model/stages';
import { encodeText, settingsFromQuery } from '../../../src/ui/state/url-state';
import { tinyYaml } from '../model/helpers';

/** The billion-laughs shape: each level a list of ten aliases of the level before (10^levels strings once expanded). */
function aliasBomb(levels: number, key = 'x'): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  lines.push(`${key}: *a${levels - 1}`);
  return lines.join('\n') + '\n';
}

/** Calls `f`, expects it to throw, and returns the error and how long it took (ms). */
function timedRefusal(f: () => unknown): { error: Error; ms: number } {
  const start = performance.now();
  try {
    f();
  } catch (error) {
    return { error: error as Error, ms: performance.now() - start };
  }
  throw new Error('expected a refusal');
}

describe('loadBoundedYaml', () => {
  it('reads ordinary YAML exactly as js-yaml does, aliases included', () => {
    const text = 'nc: 4\nanchors: &a [[10, 13], [16, 30]]\nalso: *a\nnames: {0: car}\n';
    expect(loadBoundedYaml(text)).toEqual(load(text));
    expect(loadBoundedYaml(aliasBomb(4))).toEqual(load(aliasBomb(4))); // 10^4 strings: within the bounds
  });

  it('refuses an alias bomb in milliseconds, with a short message that names the line and quotes no value', () => {
    const bomb = aliasBomb(9); // 600 bytes, 10^9 strings once expanded
    expect(bomb.length).toBeLessThan(700);
    const { error, ms } = timedRefusal(() => loadBoundedYaml(bomb));
    expect(error).toBeInstanceOf(YamlInputError);
    expect((error as YamlInputError).kind).toBe('bounds');
    expect(error.message).toMatch(/too many YAML (nodes|aliases)/);
    expect(error.message).toMatch(/\(\d+:\d+\)$/);
    expect(error.message).not.toContain('lol');
    expect(error.message.length).toBeLessThanOrEqual(300);
    expect(ms).toBeLessThan(100);
  });

  it('allows 100 aliases and refuses the 101st, naming its line', () => {
    const aliases = (n: number) => `a: &a 1\nb: [${Array(n).fill('*a').join(', ')}]\nc: 2\n`;
    expect((loadBoundedYaml(aliases(MAX_ALIASES)) as { b: unknown[] }).b).toHaveLength(MAX_ALIASES);
    const error = timedRefusal(() => loadBoundedYaml(aliases(MAX_ALIASES + 1))).error as YamlInputError;
    expect(error.message).toMatch(/too many YAML aliases \(more than 100\)/);
    expect(error.line).toBe(2);
  });

  it('counts expanded nodes: a few aliases of a large node pass 100,000 and are refused', () => {
    const big = `a: &a [${Array(2000).fill('1').join(',')}]\nb: [${Array(60).fill('*a').join(', ')}]\n`;
    const error = timedRefusal(() => loadBoundedYaml(big)).error as YamlInputError;
    expect(error.message).toMatch(/more than 100000/);
    expect(error.line).toBe(2);
  });

  it('refuses an alias inside the node it names (a cycle) and keeps syntax errors typed and positioned', () => {
    expect(timedRefusal(() => loadBoundedYaml('a: &x [1, *x]\n')).error.message).toMatch(/alias \*x is inside the node it names/);
    const syntax = timedRefusal(() => loadBoundedYaml('a: [1, 2\nb: 3\n')).error as YamlInputError;
    expect(syntax).toBeInstanceOf(YamlInputError);
    expect(syntax.kind).toBe('syntax');
    expect(syntax.line).toBeGreaterThan(0);
  });
});

describe('every reader of user YAML is bounded', () => {
  it('the model YAML: ModelYamlError at the line, in milliseconds', () => {
    const { error, ms } = timedRefusal(() => parseModelYaml(aliasBomb(9, 'backbone')));
    expect(error).toBeInstanceOf(ModelYamlError);
    expect((error as ModelYamlError).problems[0].line).toBeGreaterThan(1);
    expect(error.message.length).toBeLessThanOrEqual(300);
    expect(ms).toBeLessThan(100);
  });

  it('a model YAML with a huge but legal bad value gets a short message, not the value', () => {
    const yaml = tinyYaml('yolov4-resnet50').replace(/^nc: \d+/m, `nc: [${Array(5000).fill('123456').join(',')}]`);
    const error = timedRefusal(() => parseModelYaml(yaml)).error as ModelYamlError;
    expect(error.message).toMatch(/nc must be a positive integer, got \[123456/);
    expect(error.problems.every((p) => p.message.length <= 300)).toBe(true);
  });

  it("module names are looked up as the registry's own keys: constructor and __proto__ are unknown modules", () => {
    for (const name of ['constructor', '__proto__', 'toString']) {
      const yaml = tinyYaml('yolov4-resnet50').replace(/\bConv\b/, name);
      const error = timedRefusal(() => parseModelYaml(yaml)).error as ModelYamlError;
      expect(error.message).toContain(`unknown module '${name}'`);
      expect(error.problems.every((p) => p.message.length <= 300)).toBe(true);
    }
  });

  it('a hyp file: HypError of at most 300 characters', () => {
    const { error, ms } = timedRefusal(() => parseHyp(aliasBomb(9, 'lr0')));
    expect(error).toBeInstanceOf(HypError);
    expect(error.message.length).toBeLessThanOrEqual(300);
    expect(ms).toBeLessThan(100);
    const many = Array.from({ length: 5000 }, (_, i) => `unknown_${i}: ${i}`).join('\n');
    const wide = `lr0: [${Array(20_000).fill('9').join(',')}]\nmomentum: abc\nnbs: [1]\nbox: {}\n${many}`;
    const error2 = timedRefusal(() => parseHyp(wide)).error;
    expect(error2.message.length).toBeLessThanOrEqual(300);
    expect(error2.message).toMatch(/'lr0' must be a finite number, got \[9,9/);
    expect(error2.message).toMatch(/more$/);
  });

  it('a data.yaml: reported as a problem of data.yaml, quickly, without the expanded names', async () => {
    const png = new PNG({ width: 8, height: 8 });
    const files = {
      'data.yaml': new TextEncoder().encode(aliasBomb(9, 'names')),
      'images/train/a.png': new Uint8Array(PNG.sync.write(png)),
      'labels/train/a.txt': new TextEncoder().encode(''),
    };
    const start = performance.now();
    const dataset = await loadDataset(memoryFileSource(files), { format: 'yolo' });
    expect(performance.now() - start).toBeLessThan(2000);
    const problem = dataset.problems.find((p) => p.file === 'data.yaml');
    expect(problem?.problem).toMatch(/cannot parse yaml: too many YAML/);
    expect(problem!.problem.length).toBeLessThanOrEqual(300);
    expect(dataset.names.join('').length).toBeLessThan(100);
  });

  it("the page's per-keystroke stage check gives 0 rows for a bomb, in milliseconds", () => {
    const start = performance.now();
    expect(backboneLength(aliasBomb(9, 'backbone'))).toBe(0);
    expect(performance.now() - start).toBeLessThan(100);
  });
});

describe('URL state inflation is capped', () => {
  it('a link whose text inflates past 1 MiB falls back to empty, quickly', () => {
    const huge = deflateSync(new Uint8Array(64 << 20), { level: 9 }); // 64 MiB of zeros in ~64 KiB
    const start = performance.now();
    expect(() => inflateCapped(huge)).toThrow(InflateLimitError);
    expect(performance.now() - start).toBeLessThan(200);
    let binary = '';
    for (const byte of huge) binary += String.fromCharCode(byte);
    const param = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(settingsFromQuery(`backbone=custom&yaml=${param}`).customYaml).toBe('');
  });

  it('a link with an ordinary text still round-trips', () => {
    const text = tinyYaml('yolov4-resnet50');
    expect(settingsFromQuery(`backbone=custom&yaml=${encodeText(text)}`).customYaml).toBe(text);
    expect(new TextDecoder().decode(inflateCapped(deflateSync(new Uint8Array(1 << 20).fill(7))))).toHaveLength(1 << 20);
  });
});

describe('showValue', () => {
  it('stays short for huge, deep and cyclic values', () => {
    const deep: unknown[] = [];
    let at = deep;
    for (let i = 0; i < 10_000; i++) at.push((at = []));
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    for (const value of [Array(1e6).fill('lol'), deep, cyclic, 'x'.repeat(1e6), { ['k'.repeat(1e5)]: 1 }]) {
      expect(showValue(value, 60).length).toBeLessThanOrEqual(60);
    }
    const plain = [1, 'a', null, { b: true, c: [2.5] }];
    expect(showValue(plain)).toBe(JSON.stringify(plain));
  });
});
