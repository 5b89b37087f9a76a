/**
 * A short description of a value from a user's file, for error messages: never longer than `max` characters, however
 * large (or alias-expanded, or cyclic) the value is, because it stops walking once it has enough text.
 */

/** Cuts text to `max` characters, marking the cut. */
export function clipText(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `value` as JSON text (as JSON.stringify writes it) cut to at most `max` characters; cycles show as [cycle]. */
export function showValue(value: unknown, max = 80): string {
  const parts: string[] = [];
  let length = 0;
  const seen = new Set<object>();
  const emit = (text: string): boolean => {
    parts.push(text);
    length += text.length;
    return length <= max;
  };
  const quote = (text: string) => JSON.stringify(text.length > max ? text.slice(0, max) : text);
  // Returns false as soon as the text is long enough, so a huge value costs at most about `max` steps.
  const walk = (v: unknown): boolean => {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return emit(String(v));
    if (typeof v === 'string') return emit(quote(v));
    if (typeof v === 'bigint') return emit(`${v}`);
    if (typeof v !== 'object' || v === null) return emit(JSON.stringify(v));
    if (seen.has(v)) return emit('[cycle]');
    seen.add(v);
    const isArray = Array.isArray(v);
    if (!emit(isArray ? '[' : '{')) return false;
    let first = true;
    for (const key in v) {
      if (!Object.hasOwn(v, key)) continue;
      if (!first && !emit(',')) return false;
      first = false;
      if (!isArray && !emit(`${quote(key)}:`)) return false;
      if (!walk((v as Record<string, unknown>)[key])) return false;
    }
    seen.delete(v);
    return emit(isArray ? ']' : '}');
  };
  walk(value);
  return clipText(parts.join(''), max);
}
