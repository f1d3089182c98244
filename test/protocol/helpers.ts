// Shared by the protocol tests: feeding a byte stream to a RespParser in various chunkings and
// recording everything it reports, in order.

import assert from 'node:assert/strict';
import { RespParser, type RespMap, type RespValue } from '../../src/protocol/parser.js';

export type Event =
  | { kind: 'reply'; value: RespValue }
  | { kind: 'push'; value: RespValue[] }
  | { kind: 'attribute'; value: RespMap };

export interface Recorder {
  parser: RespParser;
  events: Event[];
}

export function recorder(options: { returnBuffers?: boolean; withPush?: boolean; withAttributes?: boolean } = {}): Recorder {
  const events: Event[] = [];
  const parser = new RespParser({
    onReply: (value) => events.push({ kind: 'reply', value }),
    onPush: options.withPush === false ? undefined : (value) => events.push({ kind: 'push', value }),
    onAttribute: options.withAttributes === false ? undefined : (value) => events.push({ kind: 'attribute', value }),
    returnBuffers: options.returnBuffers ?? false,
  });
  return { parser, events };
}

/** Splits `buf` at the given cut positions (any order, duplicates and out-of-range ones ignored). */
export function splitAt(buf: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < buf.length))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    out.push(buf.subarray(from, p));
    from = p;
  }
  out.push(buf.subarray(from));
  return out;
}

export function everyByte(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i++) out.push(buf.subarray(i, i + 1));
  return out;
}

/**
 * Feeds `chunks` through one reused read buffer that is scribbled over after every feed, the way
 * a socket reading into a fixed buffer would: a parser that kept a view of an earlier chunk
 * produces garbage here.
 */
export function feedReused(parser: RespParser, chunks: readonly Buffer[]): void {
  const max = Math.max(1, ...chunks.map((c) => c.length));
  const scratch = Buffer.alloc(max);
  for (const c of chunks) {
    c.copy(scratch);
    parser.feed(scratch.subarray(0, c.length));
    scratch.fill(0xee);
  }
}

export function parse(stream: Buffer | string, options: { returnBuffers?: boolean; chunks?: Buffer[] } = {}): Event[] {
  const r = recorder(options);
  for (const c of options.chunks ?? [toBuffer(stream)]) r.parser.feed(c);
  assert.equal(r.parser.midReply, false, 'parser left mid-reply after a complete stream');
  return r.events;
}

/**
 * Parses `stream` as one chunk, one byte per chunk, and through a reused scribbled buffer; all
 * three must agree. Returns the events.
 */
export function parseEveryWay(stream: Buffer | string, options: { returnBuffers?: boolean } = {}): Event[] {
  const buf = toBuffer(stream);
  const whole = parse(buf, options);
  assert.deepEqual(comparable(parse(buf, { ...options, chunks: everyByte(buf) })), comparable(whole), 'byte by byte');
  const r = recorder(options);
  feedReused(r.parser, everyByte(buf));
  assert.deepEqual(comparable(r.events), comparable(whole), 'through a reused buffer');
  return whole;
}

/** The replies only, for streams without pushes or attributes. */
export function replies(stream: Buffer | string, options: { returnBuffers?: boolean } = {}): RespValue[] {
  const events = parseEveryWay(stream, options);
  for (const e of events) assert.equal(e.kind, 'reply');
  return events.map((e) => e.value as RespValue);
}

export function one(stream: Buffer | string, options: { returnBuffers?: boolean } = {}): RespValue {
  const r = replies(stream, options);
  assert.equal(r.length, 1, 'expected exactly one reply');
  return r[0]!;
}

export function toBuffer(stream: Buffer | string): Buffer {
  return typeof stream === 'string' ? Buffer.from(stream, 'utf8') : stream;
}

/**
 * A form of parsed values that deepStrictEqual compares the way the tests mean: an error becomes
 * its class name and message (stack traces differ), everything else is kept as is (Buffers stay
 * Buffers, so a string where a Buffer was expected still fails; NaN equals NaN; -0 differs from 0).
 */
export function comparable(v: unknown): unknown {
  if (v instanceof Error) return { error: v.constructor.name, message: v.message };
  if (Buffer.isBuffer(v)) return v;
  if (Array.isArray(v)) return v.map(comparable);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      Object.defineProperty(out, k, {
        value: comparable((v as Record<string, unknown>)[k]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return v;
}
