/** Fuzzing the YAML readers: the model YAML, the hyp file and the bounded loader itself. */
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadBoundedYaml, YamlInputError } from '../../../src/input/bounded-yaml';
import { ModelYamlError } from '../../../src/model/errors';
import { parseModelYaml } from '../../../src/model/plan/parse';
import { HYP_KEYS, HypError, parseHyp } from '../../../src/train/hyp';
import { tinyYaml } from '../model/helpers';
import { aliasBombs, fuzzParams, MAX_MESSAGE, mutatedText, typedOutcome, yamlishText } from './outcome';

const MODEL_YAML = tinyYaml('yolov4-resnet50');

/** Any value js-yaml can write, dumped to text (skipping values it cannot write). */
const dumpedValue = (value: fc.Arbitrary<unknown>) =>
  value.map((v) => {
    try {
      return dump(v);
    } catch {
      return '';
    }
  });

/**
 * A model YAML gives a plan, or a ModelYamlError listing every problem it found: each problem (one line of the
 * message, with its line and row) is short, and the message spells out at most 20 of them.
 */
function modelOutcome(text: string): void {
  try {
    expect(parseModelYaml(text).layers.length).toBeGreaterThan(0);
  } catch (error) {
    if (!(error instanceof ModelYamlError)) throw error;
    for (const problem of error.problems) {
      expect(problem.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
      expect(problem.line).toBeGreaterThanOrEqual(1);
    }
    for (const line of error.message.split('\n')) expect(line.length).toBeLessThanOrEqual(MAX_MESSAGE + 60);
    expect(error.message.split('\n').length).toBeLessThanOrEqual(21);
  }
}

describe('fuzz: bounded YAML loader', () => {
  it('any text gives a value or a YamlInputError', () => {
    fc.assert(
      fc.property(fc.oneof(yamlishText, mutatedText(MODEL_YAML), aliasBombs('x')), (text) => {
        typedOutcome(() => loadBoundedYaml(text), [YamlInputError]);
      }),
      fuzzParams(400),
    );
  });
});

describe('fuzz: model YAML', () => {
  it('a mutated model YAML gives a plan or a ModelYamlError whose every problem is short', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 4, arbitrary: mutatedText(MODEL_YAML) }, aliasBombs('backbone'), yamlishText), (text) => {
        modelOutcome(text);
      }),
      fuzzParams(250),
    );
  });

  it('rows with random fields give a plan or a ModelYamlError', () => {
    const field = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('Conv', 'Concat', 'constructor', '__proto__', 'nn.Upsample', 'Detect'), fc.jsonValue({ maxDepth: 2 }));
    const row = fc.tuple(field, field, field, fc.oneof(fc.array(field, { maxLength: 4 }), field));
    fc.assert(
      fc.property(fc.array(row, { minLength: 0, maxLength: 5 }), fc.array(row, { maxLength: 5 }), (backbone, head) => {
        const text = dump({ nc: 4, depth_multiple: 0.33, width_multiple: 0.25, anchors: [[10, 13, 16, 30]], backbone, head });
        modelOutcome(text);
      }),
      fuzzParams(250),
    );
  });
});

describe('fuzz: hyp files', () => {
  it('random values for the hyp keys give a hyp of finite numbers, or a HypError', () => {
    const value = fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), fc.constant(null));
    const key = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...HYP_KEYS, 'base', 'giou') }, fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.oneof(dumpedValue(fc.dictionary(key, value, { maxKeys: 8 })), aliasBombs('lr0'), yamlishText), (text) => {
        const parsed = typedOutcome(() => parseHyp(text), [HypError]);
        if (parsed) for (const k of HYP_KEYS) expect(Number.isFinite(parsed.hyp[k])).toBe(true);
      }),
      fuzzParams(400),
    );
  });
});
