/**
 * YAML from users (model YAML, data.yaml, hyp files, texts in a shared URL, the page's editor on every keystroke),
 * parsed with bounds so a hostile file is refused in milliseconds: an alias bomb of a few hundred bytes expands to
 * billions of nodes, and anything that later walks the value (checks, messages) would hang or run out of memory.
 * The event stream is checked before any value is built: at most MAX_ALIASES aliases, at most MAX_NODES nodes once
 * every alias is expanded, and no alias inside the node it names (a cycle).
 */
import { EVENT_ID, load, parseEvents, YAMLException, type Event } from 'js-yaml';
import { clipText } from './show-value';

export const MAX_ALIASES = 100;
export const MAX_NODES = 100_000;

/** A YAML text that cannot be read: a syntax error or a bound exceeded, with its place (1-based; 0 when unknown). */
export class YamlInputError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    /** 'syntax': not YAML; 'bounds': YAML, but too large once expanded (or cyclic). */
    readonly kind: 'syntax' | 'bounds',
  ) {
    // The `(line:column)` form is js-yaml's own, which the page's editors already read positions from.
    super(line > 0 ? `${reason} (${line}:${column})` : reason);
    this.name = 'YamlInputError';
  }
}

function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Where an event starts in the text, for messages. */
function startOf(event: Event): number {
  switch (event.type) {
    case EVENT_ID.SCALAR:
      return event.anchorStart >= 0 ? event.anchorStart - 1 : event.valueStart;
    case EVENT_ID.SEQUENCE:
    case EVENT_ID.MAPPING:
      return event.anchorStart >= 0 ? event.anchorStart - 1 : event.start;
    case EVENT_ID.ALIAS:
      return event.anchorStart - 1;
    default:
      return 0;
  }
}

/** Counts the nodes of every document as if each alias were replaced by a copy of its node; throws past the bounds. */
function checkBounds(text: string, events: Event[]): void {
  const refuse = (reason: string, event: Event): never => {
    const { line, column } = positionAt(text, Math.max(0, startOf(event)));
    throw new YamlInputError(reason, line, column, 'bounds');
  };
  // Anchor name → expanded node count of the node it names; OPEN while that node is still being read.
  const OPEN = -1;
  const anchored = new Map<string, number>();
  const open: { count: number; anchor: string | undefined }[] = [];
  let aliases = 0;
  let total = 0;
  const anchorOf = (event: { anchorStart: number; anchorEnd: number }) =>
    event.anchorStart >= 0 ? text.slice(event.anchorStart, event.anchorEnd) : undefined;
  const finish = (count: number, anchor: string | undefined, event: Event) => {
    if (anchor !== undefined) anchored.set(anchor, count);
    if (open.length > 0) open[open.length - 1].count += count;
    else total += count;
    if (total + open.reduce((sum, frame) => sum + frame.count, 0) > MAX_NODES) {
      refuse(`too many YAML nodes once aliases are expanded (more than ${MAX_NODES})`, event);
    }
  };
  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING:
      {
        const anchor = anchorOf(event);
        if (anchor !== undefined) anchored.set(anchor, OPEN);
        open.push({ count: 1, anchor });
        break;
      }
      case EVENT_ID.POP: {
        const frame = open.pop();
        if (frame) finish(frame.count, frame.anchor, event);
        break;
      }
      case EVENT_ID.SCALAR:
        finish(1, anchorOf(event), event);
        break;
      case EVENT_ID.ALIAS: {
        if (++aliases > MAX_ALIASES) refuse(`too many YAML aliases (more than ${MAX_ALIASES})`, event);
        const name = text.slice(event.anchorStart, event.anchorEnd);
        const count = anchored.get(name);
        if (count === OPEN) {
          refuse(`alias *${clipText(name, 40)} is inside the node it names (a cycle)`, event);
        }
        // An alias whose anchor is unknown is left for js-yaml to report.
        finish(count ?? 1, undefined, event);
        break;
      }
    }
  }
}

function fromYamlException(error: YAMLException): YamlInputError {
  const mark = error.mark;
  return new YamlInputError(clipText(error.reason || 'invalid YAML', 200), mark ? mark.line + 1 : 0, mark ? mark.column + 1 : 0, 'syntax');
}

/**
 * The value of a one-document YAML text (js-yaml's `load`), refusing texts past the bounds. Every failure is a
 * YamlInputError with a message of at most 300 characters that never quotes an expanded value.
 */
export function loadBoundedYaml(text: string): unknown {
  try {
    checkBounds(text, parseEvents(text, {}));
    return load(text, { maxAliases: MAX_ALIASES });
  } catch (error) {
    if (error instanceof YAMLException) throw fromYamlException(error);
    throw error;
  }
}
