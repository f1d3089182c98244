// Differential test: random RESP2 streams, split at random points, must give the same replies
// from our parser as from redis-parser (the parser ioredis uses), errors compared by message.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RespParser, type RespValue } from '../../src/protocol/parser.js';
import { splitAt } from './helpers.js';

interface RedisParserOptions {
  returnReply: (reply: unknown) => void;
  returnError: (error: Error) => void;
  returnFatalError?: (error: Error) => void;
  returnBuffers?: boolean;
}
type RedisParserClass = new (options: RedisParserOptions) => { execute(chunk: Buffer): void };
const RedisParser = createRequire(import.meta.url)('redis-parser') as RedisParserClass;

type R2 =
  | { t: 'simple'; s: string }
  | { t: 'error'; s: string }
  | { t: 'int'; n: number }
  | { t: 'bulk'; bytes: Buffer }
  | { t: 'nullbulk' }
  | { t: 'nullarray' }
  | { t: 'array'; items: R2[] };

function serialize(nodes: readonly R2[]): Buffer {
  const parts: Buffer[] = [];
  const write = (n: R2): void => {
    switch (n.t) {
      case 'simple': parts.push(Buffer.from(`+${n.s}\r\n`)); return;
      case 'error': parts.push(Buffer.from(`-${n.s}\r\n`)); return;
      case 'int': parts.push(Buffer.from(`:${n.n}\r\n`)); return;
      case 'bulk': parts.push(Buffer.from(`$${n.bytes.length}\r\n`), n.bytes, Buffer.from('\r\n')); return;
      case 'nullbulk': parts.push(Buffer.from('$-1\r\n')); return;
      case 'nullarray': parts.push(Buffer.from('*-1\r\n')); return;
      case 'array':
        parts.push(Buffer.from(`*${n.items.length}\r\n`));
        for (const i of n.items) write(i);
        return;
    }
  };
  for (const n of nodes) write(n);
  return Buffer.concat(parts);
}

const line = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 10 })).map((s) => s.replace(/[\r\n]/g, ''));

const bulkBytes = fc.oneof(
  { weight: 5, arbitrary: fc.string({ maxLength: 30 }).map((s) => Buffer.from(s)) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => Buffer.from(s)) },
  // Protocol bytes inside a value, and arbitrary bytes (invalid UTF-8 too: both decode it the way
  // Buffer#toString does, also when the value is split over chunks).
  { weight: 2, arbitrary: fc.array(fc.constantFrom('\r', '\n', '\r\n', '$', '*', ':', '-', '+', 'x', '\0', 'é'), { maxLength: 20 }).map((a) => Buffer.from(a.join(''))) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 150_000 }).map((n) => Buffer.from('é'.repeat(n >> 2) + 'v'.repeat(n >> 1))) },
);

const { node } = fc.letrec<{ node: R2 }>((tie) => ({
  node: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'r2' },
    line.map((s): R2 => ({ t: 'simple', s })),
    line.map((s): R2 => ({ t: 'error', s: `ERR ${s}` })),
    // redis-parser accumulates digits in a double, exact only up to 2^53.
    fc.maxSafeInteger().map((n): R2 => ({ t: 'int', n })),
    { weight: 3, arbitrary: bulkBytes.map((bytes): R2 => ({ t: 'bulk', bytes })) },
    fc.constant<R2>({ t: 'nullbulk' }),
    fc.constant<R2>({ t: 'nullarray' }),
    { weight: 2, arbitrary: fc.array(tie('node'), { maxLength: 6, depthIdentifier: 'r2' }).map((items): R2 => ({ t: 'array', items })) },
  ),
}));

/** Errors become their message; everything else is kept. */
function plain(v: unknown): unknown {
  if (v instanceof Error) return { error: v.message };
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

function ours(chunks: readonly Buffer[]): unknown[] {
  const out: unknown[] = [];
  const p = new RespParser({ onReply: (v: RespValue) => out.push(plain(v)) });
  for (const c of chunks) p.feed(c);
  return out;
}

function theirs(chunks: readonly Buffer[]): unknown[] {
  const out: unknown[] = [];
  const p = new RedisParser({
    returnReply: (v) => out.push(plain(v)),
    returnError: (e) => out.push(plain(e)),
    returnFatalError: (e) => {
      throw e;
    },
  });
  for (const c of chunks) p.execute(c);
  return out;
}

describe('differential: redwire vs redis-parser on RESP2', () => {
  it('random streams split at random points give the same replies', () => {
    fc.assert(
      fc.property(fc.array(node, { minLength: 1, maxLength: 8 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), (nodes, fractions) => {
        const bytes = serialize(nodes);
        const chunks = splitAt(bytes, fractions.map((f) => Math.floor(f * bytes.length)));
        const a = ours(chunks);
        assert.equal(a.length, nodes.length);
        assert.deepStrictEqual(a, theirs(chunks));
      }),
      { numRuns: 500 },
    );
  });

  it('a long pipelined stream in 64 KB chunks gives the same replies', () => {
    fc.assert(
      fc.property(fc.array(node, { minLength: 50, maxLength: 400 }), (nodes) => {
        const bytes = serialize(nodes);
        const cuts: number[] = [];
        for (let i = 64 * 1024; i < bytes.length; i += 64 * 1024) cuts.push(i);
        const chunks = splitAt(bytes, cuts);
        assert.deepStrictEqual(ours(chunks), theirs(chunks));
      }),
      { numRuns: 20 },
    );
  });
});
