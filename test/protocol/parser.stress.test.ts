// Stress: deep nesting (no recursion on the JS stack) and large bulk values (copied once, not once
// per chunk). No timing assertions: copying is checked by counting the bytes copied.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidResponse } from '../../src/errors.js';
import { RespParser, type RespValue } from '../../src/protocol/parser.js';
import { everyByte } from './helpers.js';

const CHUNK = 64 * 1024;

function collect(returnBuffers = false): { parser: RespParser; replies: RespValue[] } {
  const replies: RespValue[] = [];
  return { parser: new RespParser({ onReply: (v) => replies.push(v), returnBuffers }), replies };
}

/** Depth of a chain of one-element arrays ending in `leaf`, or -1 if it is not such a chain. */
function chainDepth(v: RespValue, leaf: RespValue): number {
  // A loop, not recursion: the value itself is as deep as the stream was.
  let depth = 0;
  while (Array.isArray(v)) {
    if (v.length !== 1) return -1;
    v = v[0]!;
    depth++;
  }
  return v === leaf ? depth : -1;
}

/**
 * Runs `fn` counting every byte copied between Buffers through the ways Node offers (copy, set,
 * concat). Small copies the parser does in a JS loop are not seen; they are a few bytes each.
 */
function countingCopies<T>(fn: () => T): { result: T; bytes: number } {
  const copy = Buffer.prototype.copy;
  const set = Uint8Array.prototype.set;
  const concat = Buffer.concat;
  let bytes = 0;
  Buffer.prototype.copy = function (this: Buffer, ...args: Parameters<Buffer['copy']>): number {
    const n = copy.apply(this, args);
    bytes += n;
    return n;
  };
  Uint8Array.prototype.set = function (this: Uint8Array, source: ArrayLike<number>, offset?: number): void {
    bytes += source.length;
    set.call(this, source, offset);
  } as typeof set;
  Buffer.concat = function (list: readonly Uint8Array[], total?: number): Buffer {
    const out = concat(list, total);
    bytes += out.length;
    return out;
  } as typeof concat;
  try {
    return { result: fn(), bytes };
  } finally {
    Buffer.prototype.copy = copy;
    Uint8Array.prototype.set = set;
    Buffer.concat = concat;
  }
}

describe('deep nesting', () => {
  const deep = (depth: number): Buffer => Buffer.from('*1\r\n'.repeat(depth) + ':7\r\n');

  it('10,000 nested arrays in one chunk', () => {
    const { parser, replies } = collect();
    parser.feed(deep(10_000));
    assert.equal(replies.length, 1);
    assert.equal(chainDepth(replies[0]!, 7), 10_000);
  });

  it('10,000 nested arrays one byte per chunk', () => {
    const { parser, replies } = collect();
    const chunks = everyByte(deep(10_000));
    for (let i = 0; i < chunks.length; i++) {
      parser.feed(chunks[i]!);
      if (i < chunks.length - 1 && !parser.midReply) assert.fail(`not mid-reply after byte ${i}`);
    }
    assert.equal(replies.length, 1);
    assert.equal(chainDepth(replies[0]!, 7), 10_000);
  });

  it('10,000 nested maps, sets and attributes, one chunk and one byte per chunk', () => {
    const stream = Buffer.from('%1\r\n+k\r\n~1\r\n|1\r\n+a\r\n:1\r\n'.repeat(3_334) + '_\r\n');
    for (const chunks of [[stream], everyByte(stream)]) {
      let attributes = 0;
      const replies: RespValue[] = [];
      const parser = new RespParser({ onReply: (v) => replies.push(v), onAttribute: () => void attributes++ });
      for (const c of chunks) parser.feed(c);
      assert.equal(replies.length, 1);
      assert.equal(attributes, 3_334);
      let v: RespValue = replies[0]!;
      let depth = 0;
      while (v !== null) {
        const set = (v as Record<string, RespValue>)['k'] as RespValue[];
        assert.equal(set.length, 1);
        v = set[0]!;
        depth++;
      }
      assert.equal(depth, 3_334);
    }
  });

  it('1,000,000 nested arrays in one chunk', () => {
    const { parser, replies } = collect();
    parser.feed(deep(1_000_000));
    assert.equal(replies.length, 1);
    assert.equal(chainDepth(replies[0]!, 7), 1_000_000);
    parser.feed(Buffer.from(':1\r\n'));
    assert.equal(replies[1], 1);
  });

  it('nesting past the limit is refused with InvalidResponse instead of growing without bound', () => {
    const { parser, replies } = collect();
    assert.throws(() => parser.feed(deep(1_000_001)), InvalidResponse);
    assert.equal(parser.midReply, false);
    parser.feed(Buffer.from(':1\r\n'));
    assert.deepEqual(replies, [1]);
  });
});

describe('large bulk values', () => {
  /** Feeds `$<n>\r\n<payload>\r\n` as the header, then 64 KB subarrays of `payload`, then CRLF. */
  function feedBulk(parser: RespParser, payload: Buffer, replies: RespValue[]): void {
    parser.feed(Buffer.from(`$${payload.length}\r\n`));
    for (let i = 0; i < payload.length; i += CHUNK) {
      parser.feed(payload.subarray(i, i + CHUNK));
      // Checked without assert in the loop: thousands of chunks.
      if (!parser.midReply || replies.length !== 0) assert.fail(`value finished early, at ${i}`);
    }
    parser.feed(Buffer.from('\r\n'));
  }

  // Declared sizes up to 16 MB are allocated at once: their bytes are copied exactly once. Past
  // that the assembly buffer grows with the data (a header alone must not reserve gigabytes), which
  // copies what has arrived again at each growth: a quarter more for 64 MB.
  for (const [mb, allowance] of [
    [16, 0],
    [64, 0.25],
  ] as const) {
    it(`a ${mb} MB value in 64 KB chunks is copied ${allowance === 0 ? 'once' : `at most ${1 + allowance} times`}, not once per chunk`, () => {
      const size = mb * 1024 * 1024;
      const payload = Buffer.allocUnsafe(size);
      // A pattern with a period that is not a divisor of the chunk size, so misplaced chunks show.
      payload.fill(Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz!'));
      const { parser, replies } = collect(true);
      const { bytes } = countingCopies(() => feedBulk(parser, payload, replies));
      assert.equal(replies.length, 1);
      const value = replies[0] as Buffer;
      assert.ok(Buffer.isBuffer(value));
      assert.equal(value.length, size);
      assert.ok(value.equals(payload));
      // Plus at most a chunk's worth for headers and the CRLF. Re-reading or re-joining the
      // received data on every chunk would copy gigabytes here.
      assert.ok(bytes <= size * (1 + allowance) + CHUNK, `copied ${bytes} bytes for a ${size}-byte value`);
      assert.ok(bytes >= size, 'the value must be a copy, not a view of the chunks');
    });

    it(`a ${mb} MB value whose header arrives with the first data, in text mode, is copied ${allowance === 0 ? 'once' : `at most ${1 + allowance} times`}`, () => {
      const size = mb * 1024 * 1024;
      const stream = Buffer.concat([Buffer.from(`$${size}\r\n`), Buffer.alloc(size, 'z'), Buffer.from('\r\n+OK\r\n')]);
      const { parser, replies } = collect(false);
      const { bytes } = countingCopies(() => {
        for (let i = 0; i < stream.length; i += CHUNK) parser.feed(stream.subarray(i, i + CHUNK));
      });
      assert.equal(replies.length, 2);
      assert.equal(typeof replies[0], 'string');
      assert.equal((replies[0] as string).length, size);
      assert.equal(replies[0], 'z'.repeat(size));
      assert.equal(replies[1], 'OK');
      assert.ok(bytes <= size * (1 + allowance) + CHUNK, `copied ${bytes} bytes for a ${size}-byte value`);
    });
  }

  it('a 1 MB simple string line in 1 KB chunks is joined once, not once per chunk', () => {
    const size = 1024 * 1024;
    const stream = Buffer.from(`+${'s'.repeat(size)}\r\n:1\r\n`);
    const { parser, replies } = collect();
    const { bytes } = countingCopies(() => {
      for (let i = 0; i < stream.length; i += 1024) parser.feed(stream.subarray(i, i + 1024));
    });
    assert.deepEqual(replies.length, 2);
    assert.equal((replies[0] as string).length, size);
    assert.equal(replies[1], 1);
    // Each chunk is set aside once and joined once.
    assert.ok(bytes <= 3 * size, `copied ${bytes} bytes for a ${size}-byte line`);
  });

  it('large text values, ASCII and multi-byte UTF-8 split inside characters, decode exactly', () => {
    const ascii = 'The quick brown fox. '.repeat(200_000);
    const utf8 = 'zażółć gęślą jaźń 😀 €'.repeat(150_000);
    for (const text of [ascii, utf8, ascii.slice(0, 70_000), utf8.slice(0, 40_000)]) {
      const payload = Buffer.from(text);
      const stream = Buffer.concat([Buffer.from(`$${payload.length}\r\n`), payload, Buffer.from('\r\n')]);
      for (const chunk of [CHUNK, CHUNK + 1, 4099]) {
        const { parser, replies } = collect();
        for (let i = 0; i < stream.length; i += chunk) parser.feed(stream.subarray(i, i + chunk));
        assert.equal(replies.length, 1);
        assert.ok(replies[0] === text, `text of ${payload.length} bytes in chunks of ${chunk}`);
      }
    }
  });

  it('a 512 MB value in Buffer mode arriving in 64 KB chunks', () => {
    const size = 512 * 1024 * 1024;
    const payload = Buffer.alloc(size, 0x61);
    const marks: Array<[number, number]> = [
      [0, 0x30],
      [1, 0x31],
      [CHUNK - 1, 0x32],
      [CHUNK, 0x33],
      [size / 2 + 12345, 0x34],
      [size - 2, 0x0d],
      [size - 1, 0x0a],
    ];
    for (const [at, byte] of marks) payload[at] = byte;
    const { parser, replies } = collect(true);
    feedBulk(parser, payload, replies);
    assert.equal(parser.midReply, false);
    assert.equal(replies.length, 1);
    const value = replies[0] as Buffer;
    assert.ok(Buffer.isBuffer(value));
    assert.equal(value.length, size);
    for (const [at, byte] of marks) assert.equal(value[at], byte, `byte ${at}`);
    for (const at of [2, CHUNK + 1, size / 4, size - 3]) assert.equal(value[at], 0x61, `byte ${at}`);
    assert.notEqual(value.buffer, payload.buffer, 'the value owns its memory');
  });
});
