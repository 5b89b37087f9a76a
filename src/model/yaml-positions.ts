/**
 * Loads YAML text together with where every node starts, so model errors can name a line and column.
 * js-yaml's `load` gives the values; its event stream (`parseEvents`) gives offsets, which we fold into a tree
 * that mirrors the value's shape.
 */
import { EVENT_ID, getScalarValue, parseEvents, type Event } from 'js-yaml';
import { loadBoundedYaml, YamlInputError } from '../input/bounded-yaml';
import { ModelYamlError } from './errors';

export interface SourcePos {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** Where a node starts, and for collections where each child starts. */
export interface PosNode {
  pos: SourcePos;
  /** Sequence items, in order. */
  items?: PosNode[];
  /** Mapping values by key text. */
  entries?: Map<string, { key: PosNode; value: PosNode }>;
}

export interface PositionedYaml {
  value: unknown;
  root: PosNode;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function positionOf(offset: number, starts: number[]): SourcePos {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

/** Folds the flat event stream of the first document into a PosNode tree. */
function buildTree(text: string, events: Event[]): PosNode {
  const starts = lineStarts(text);
  let index = 0;
  const readNode = (): { node: PosNode; keyText?: string } => {
    const event = events[index++];
    switch (event.type) {
      case EVENT_ID.SCALAR:
        return { node: { pos: positionOf(event.valueStart, starts) }, keyText: getScalarValue(text, event) };
      case EVENT_ID.ALIAS:
        return { node: { pos: positionOf(event.anchorStart, starts) } };
      case EVENT_ID.SEQUENCE: {
        const node: PosNode = { pos: positionOf(event.start, starts), items: [] };
        while (events[index].type !== EVENT_ID.POP) node.items!.push(readNode().node);
        index++;
        return { node };
      }
      case EVENT_ID.MAPPING: {
        const node: PosNode = { pos: positionOf(event.start, starts), entries: new Map() };
        while (events[index].type !== EVENT_ID.POP) {
          const key = readNode();
          const value = readNode().node;
          node.entries!.set(key.keyText ?? '', { key: key.node, value });
        }
        index++;
        return { node };
      }
      default:
        throw new Error(`unexpected YAML event ${event.type}`);
    }
  };
  // Skip the DOCUMENT event; an empty document has no content node.
  index = events[0]?.type === EVENT_ID.DOCUMENT ? 1 : 0;
  if (index >= events.length || events[index].type === EVENT_ID.POP) return { pos: { line: 1, column: 1 } };
  return readNode().node;
}

/** Parses YAML text (bounded: src/input/bounded-yaml.ts); a syntax or bounds error becomes a ModelYamlError at its line. */
export function loadPositionedYaml(text: string): PositionedYaml {
  try {
    const value = loadBoundedYaml(text);
    const root = buildTree(text, parseEvents(text, {}));
    return { value, root };
  } catch (error) {
    if (error instanceof YamlInputError) {
      const message = error.kind === 'syntax' ? `YAML syntax: ${error.reason}` : error.reason;
      throw new ModelYamlError([{ line: Math.max(1, error.line), column: error.line > 0 ? error.column : undefined, message }]);
    }
    throw error;
  }
}
