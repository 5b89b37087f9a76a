/**
 * What every fuzzed parser must do with any input: return a valid result or throw one of its typed errors, with a
 * message of at most 300 characters. Each property runs a fixed number of times from a fixed seed, so a failure
 * reproduces exactly (fast-check prints the shrunk counterexample).
 */
import fc from 'fast-check';
import { expect } from 'vitest';

export const FUZZ_SEED = 14;
export const MAX_MESSAGE = 300;

/** Fixed seed and run count for one parser's property. */
export const fuzzParams = (numRuns: number): fc.Parameters<unknown> => ({ seed: FUZZ_SEED, numRuns, endOnFailure: true });

type ErrorClass = abstract new (...args: never[]) => Error;

/** Runs `parse`; a thrown error must be one of `typed`, with a short message. Returns the result, or undefined. */
export function typedOutcome<T>(parse: () => T, typed: readonly ErrorClass[]): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!typed.some((type) => error instanceof type)) throw error;
    expect((error as Error).message.length).toBeLessThanOrEqual(MAX_MESSAGE);
    return undefined;
  }
}

/** Tokens that matter to YAML, so mutations reach anchors, aliases, flow collections, tags and merges. */
const YAML_TOKENS = ['&a ', '*a', '&b ', '*b', '[', ']', '{', '}', ': ', '- ', '\n', '\n  ', ',', '!!str ', '!!binary ', '<<: ', '#', '"', "'", '|', '>', '~', 'null', '.nan', '-.inf', '1e309', '0x1F', '__proto__', 'constructor', '?', '%YAML 1.2\n', '---\n'];

/** A text changed at a few random places: characters removed, YAML tokens or random text inserted. */
export function mutatedText(base: string): fc.Arbitrary<string> {
  const edit = fc.record({
    at: fc.nat(),
    remove: fc.nat({ max: 8 }),
    insert: fc.oneof(fc.constantFrom(...YAML_TOKENS), fc.string({ maxLength: 6 })),
  });
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    let text = base;
    for (const { at, remove, insert } of edits) {
      const i = at % (text.length + 1);
      text = text.slice(0, i) + insert + text.slice(i + remove);
    }
    return text;
  });
}

/** Texts made of YAML tokens and short strings, from nothing. */
export const yamlishText: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom(...YAML_TOKENS), fc.string({ maxLength: 5 })), { maxLength: 30 })
  .map((parts) => parts.join(''));

/** The billion-laughs shape with `levels` levels of `fan` aliases each, bound to `key`. */
export function aliasBomb(levels: number, fan: number, key: string): string {
  const lines = [`a0: &a0 [${Array(fan).fill('lol').join(', ')}]`];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array(fan).fill(`*a${i - 1}`).join(', ')}]`);
  lines.push(`${key}: *a${levels - 1}`);
  return lines.join('\n') + '\n';
}

export const aliasBombs = (key: string) =>
  fc.record({ levels: fc.integer({ min: 2, max: 12 }), fan: fc.integer({ min: 2, max: 12 }) }).map(({ levels, fan }) => aliasBomb(levels, fan, key));
