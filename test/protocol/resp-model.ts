// A test-only model of RESP: reply trees, their serialisation to bytes, and the JS values and
// events the parser should produce for them. Written from the RESP2/RESP3 specifications, sharing
// no code with the parser, so the property tests compare two independent readings of the spec.

import fc from 'fast-check';
import { errorFromReply } from '../../src/errors.js';
import type { RespMap, RespValue } from '../../src/protocol/parser.js';
import type { Event } from './helpers.js';

export type Key =
  | { t: 'simple'; s: string }
  | { t: 'bulk'; bytes: Buffer }
  | { t: 'int'; text: string };

export type Node =
  | Key
  | { t: 'error'; s: string }
  | { t: 'nullbulk' }
  | { t: 'nullarray' }
  | { t: 'null' }
  | { t: 'bool'; v: boolean }
  | { t: 'double'; text: string; v: number }
  | { t: 'big'; v: bigint }
  | { t: 'bulkerror'; s: string }
  | { t: 'verbatim'; format: string; bytes: Buffer }
  | { t: 'array' | 'set'; items: Node[] }
  | { t: 'map'; entries: Array<[Key, Node]> }
  | { t: 'attr'; entries: Array<[Key, Node]>; value: Node };

/** What may appear at the top level of a stream: a reply or a push frame. */
export type Top = Node | { t: 'push'; items: Node[] };

// ---- serialisation ------------------------------------------------------------------------------

export function serialize(nodes: readonly Top[]): Buffer {
  const parts: Buffer[] = [];
  const text = (s: string): void => void parts.push(Buffer.from(s, 'utf8'));
  const bulk = (prefix: string, bytes: Buffer): void => {
    text(`${prefix}${bytes.length}\r\n`);
    parts.push(bytes);
    text('\r\n');
  };
  const entries = (prefix: string, es: Array<[Key, Node]>): void => {
    text(`${prefix}${es.length}\r\n`);
    for (const [k, v] of es) {
      write(k);
      write(v);
    }
  };
  const write = (n: Top): void => {
    switch (n.t) {
      case 'simple': return text(`+${n.s}\r\n`);
      case 'error': return text(`-${n.s}\r\n`);
      case 'int': return text(`:${n.text}\r\n`);
      case 'bulk': return bulk('$', n.bytes);
      case 'nullbulk': return text('$-1\r\n');
      case 'nullarray': return text('*-1\r\n');
      case 'null': return text('_\r\n');
      case 'bool': return text(n.v ? '#t\r\n' : '#f\r\n');
      case 'double': return text(`,${n.text}\r\n`);
      case 'big': return text(`(${n.v}\r\n`);
      case 'bulkerror': return bulk('!', Buffer.from(n.s, 'utf8'));
      case 'verbatim': return bulk('=', Buffer.concat([Buffer.from(`${n.format}:`), n.bytes]));
      case 'array':
      case 'set':
      case 'push':
        text(`${n.t === 'array' ? '*' : n.t === 'set' ? '~' : '>'}${n.items.length}\r\n`);
        for (const i of n.items) write(i);
        return;
      case 'map': return entries('%', n.entries);
      case 'attr':
        entries('|', n.entries);
        return write(n.value);
    }
  };
  for (const n of nodes) write(n);
  return Buffer.concat(parts);
}

// ---- expected values ----------------------------------------------------------------------------

/** The events a correct parser reports for `nodes`, in order. */
export function expectedEvents(nodes: readonly Top[], returnBuffers: boolean): Event[] {
  const events: Event[] = [];

  const bytesValue = (bytes: Buffer, atKey: boolean): RespValue =>
    returnBuffers && !atKey ? Buffer.from(bytes) : bytes.toString('utf8');

  const keyOf = (k: Key): string => {
    switch (k.t) {
      case 'simple': return k.s;
      case 'bulk': return k.bytes.toString('utf8');
      case 'int': return String(Number(BigInt(k.text)));
    }
  };

  const object = (es: Array<[Key, Node]>): RespMap => {
    const out: RespMap = {};
    for (const [k, v] of es) {
      // defineProperty, so that '__proto__' is an own key like any other.
      Object.defineProperty(out, keyOf(k), { value: value(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };

  const value = (n: Node): RespValue => {
    switch (n.t) {
      case 'simple': return n.s;
      case 'error': return errorFromReply(n.s);
      case 'int': return Number(BigInt(n.text));
      case 'bulk': return bytesValue(n.bytes, false);
      case 'nullbulk':
      case 'nullarray':
      case 'null':
        return null;
      case 'bool': return n.v;
      case 'double': return n.v;
      case 'big': return n.v;
      case 'bulkerror': return errorFromReply(n.s);
      case 'verbatim': return bytesValue(n.bytes, false);
      case 'array':
      case 'set':
        return n.items.map(value);
      case 'map': return object(n.entries);
      case 'attr': {
        // Attributes nested in this one's values complete, and are reported, before it.
        const attrs = object(n.entries);
        events.push({ kind: 'attribute', value: attrs });
        return value(n.value);
      }
    }
  };

  for (const n of nodes) {
    if (n.t === 'push') events.push({ kind: 'push', value: n.items.map(value) });
    else events.push({ kind: 'reply', value: value(n) });
  }
  return events;
}

// ---- arbitraries --------------------------------------------------------------------------------

/** Text for a simple string or error: anything but CR and LF. */
const lineText = fc
  .oneof(fc.string({ maxLength: 24 }), fc.string({ unit: 'grapheme', maxLength: 12 }))
  .map((s) => s.replace(/[\r\n]/g, ''));

const errorText = fc.oneof(
  lineText,
  fc
    .tuple(fc.constantFrom('ERR', 'WRONGTYPE', 'NOSCRIPT', 'LOADING', 'BUSY', 'NOPERM', 'ERR unknown command', 'CUSTOM'), lineText)
    .map(([code, rest]) => `${code} ${rest}`),
  fc.tuple(fc.nat(16383), fc.nat(65535)).map(([slot, port]) => `MOVED ${slot} 10.0.0.1:${port}`),
);

const bytes = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 30 }).map((s) => Buffer.from(s)) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => Buffer.from(s)) },
  // Arbitrary bytes: CR, LF, '$' and invalid UTF-8 inside a value must not confuse anything.
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: fc.constantFrom('', '\r\n', '$3\r\nabc\r\n', '*-1\r\n').map((s) => Buffer.from(s)) },
);

/** Values big enough to span many chunks and to take the large-text paths. */
export const bigBytes = fc.oneof(
  fc.integer({ min: 16 * 1024, max: 200 * 1024 }).map((n) => Buffer.alloc(n, 'q')),
  fc.integer({ min: 16 * 1024, max: 200 * 1024 }).map((n) => Buffer.from('ab€😀'.repeat(Math.ceil(n / 9)))),
);

const intText = fc.oneof(
  fc.integer().map(String),
  fc.constantFrom('0', '-1', '9007199254740991', '-9007199254740991', '9007199254740993'),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
);

const double = fc.oneof(
  fc.constantFrom<[string, number]>(['inf', Infinity], ['-inf', -Infinity], ['nan', NaN], ['-0', -0], ['0', 0], ['1.5', 1.5], ['1e10', 1e10]),
  fc
    .tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom('string', 'exponential', 'precision'))
    .map(([v, form]): [string, number] => {
      if (Object.is(v, -0)) return ['-0', -0];
      const text = form === 'string' ? String(v) : form === 'exponential' ? v.toExponential() : v.toPrecision(17);
      return [text, v];
    }),
);

const key: fc.Arbitrary<Key> = fc.oneof(
  lineText.map((s): Key => ({ t: 'simple', s })),
  bytes.map((b): Key => ({ t: 'bulk', bytes: b })),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty').map((s): Key => ({ t: 'bulk', bytes: Buffer.from(s) })),
  fc.integer({ min: -1000, max: 1000 }).map((n): Key => ({ t: 'int', text: String(n) })),
);

/** Map entries with distinct keys, so the expected object does not depend on duplicate handling. */
function entriesOf(node: fc.Arbitrary<Node>, maxLength: number): fc.Arbitrary<Array<[Key, Node]>> {
  return fc.uniqueArray(fc.tuple(key, node), {
    maxLength,
    selector: ([k]) => (k.t === 'simple' ? k.s : k.t === 'bulk' ? k.bytes.toString('utf8') : String(Number(k.text))),
    depthIdentifier: 'resp',
  });
}

export function scalar(options: { big?: boolean } = {}): fc.Arbitrary<Node> {
  const bulkBytes = options.big ? fc.oneof({ weight: 20, arbitrary: bytes }, { weight: 1, arbitrary: bigBytes }) : bytes;
  return fc.oneof(
    lineText.map((s): Node => ({ t: 'simple', s })),
    errorText.map((s): Node => ({ t: 'error', s })),
    intText.map((text): Node => ({ t: 'int', text })),
    { weight: 3, arbitrary: bulkBytes.map((b): Node => ({ t: 'bulk', bytes: b })) },
    fc.constant<Node>({ t: 'nullbulk' }),
    fc.constant<Node>({ t: 'nullarray' }),
    fc.constant<Node>({ t: 'null' }),
    fc.boolean().map((v): Node => ({ t: 'bool', v })),
    double.map(([text, v]): Node => ({ t: 'double', text, v })),
    fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map((v): Node => ({ t: 'big', v })),
    fc.oneof(errorText, fc.string({ unit: 'grapheme', maxLength: 20 })).map((s): Node => ({ t: 'bulkerror', s })),
    fc.tuple(fc.constantFrom('txt', 'mkd'), bulkBytes).map(([format, b]): Node => ({ t: 'verbatim', format, bytes: b })),
  );
}

/** Streams of top-level replies and push frames, trees up to `maxDepth` aggregates deep. */
export function stream(options: { maxDepth: number; maxItems: number; maxReplies: number; big?: boolean }): fc.Arbitrary<Top[]> {
  const { node } = fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof(
      { maxDepth: options.maxDepth, depthIdentifier: 'resp' },
      scalar({ big: options.big }),
      fc.array(tie('node'), { maxLength: options.maxItems, depthIdentifier: 'resp' }).map((items): Node => ({ t: 'array', items })),
      fc.array(tie('node'), { maxLength: options.maxItems, depthIdentifier: 'resp' }).map((items): Node => ({ t: 'set', items })),
      entriesOf(tie('node'), options.maxItems).map((entries): Node => ({ t: 'map', entries })),
      fc.tuple(entriesOf(tie('node'), 3), tie('node')).map(([entries, value]): Node => ({ t: 'attr', entries, value })),
    ),
  }));
  const top: fc.Arbitrary<Top> = fc.oneof(
    { weight: 4, arbitrary: node },
    { weight: 1, arbitrary: fc.array(node, { maxLength: options.maxItems }).map((items): Top => ({ t: 'push', items })) },
  );
  return fc.array(top, { minLength: 1, maxLength: options.maxReplies });
}
