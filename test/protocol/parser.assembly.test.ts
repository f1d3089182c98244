// Assembling bulk values that span reads: the buffer grows with the data rather than with the
// declared size, the socket may read straight into it (`directTarget`), and a Buffer handed to the
// caller never shares memory that is written again later.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RespParser, type RespValue } from '../../src/protocol/parser.js';
import { comparable, recorder, type Event } from './helpers.js';
import { expectedEvents, serialize, stream } from './resp-model.js';

const MB = 1024 * 1024;

/**
 * Plays a socket that reads `stream` `readSize` bytes at a time: into the parser's direct target
 * when it offers one, else into one scratch buffer that is scribbled over after every read (as the
 * connection's shared read buffer is reused).
 */
function socketFeed(parser: RespParser, stream: Buffer, readSizes: readonly number[]): { direct: number } {
  const scratch = Buffer.alloc(64 * 1024);
  let pos = 0;
  let i = 0;
  let direct = 0;
  while (pos < stream.length) {
    const size = Math.min(readSizes[i++ % readSizes.length]!, scratch.length);
    const target = parser.directTarget();
    if (target !== null) {
      assert.ok(target.length > 0, 'an empty direct target');
      const n = stream.copy(target, 0, pos, pos + Math.min(size, target.length));
      pos += n;
      direct += n;
      parser.directFilled(n);
    } else {
      const n = stream.copy(scratch, 0, pos, pos + size);
      pos += n;
      parser.feed(scratch.subarray(0, n));
      scratch.fill(0xee);
    }
  }
  return { direct };
}

function collect(options: { returnBuffers?: boolean; trustedSize?: number } = {}): { parser: RespParser; replies: RespValue[] } {
  const replies: RespValue[] = [];
  return { parser: new RespParser({ onReply: (v) => replies.push(v), ...options }), replies };
}

describe('bulk assembly', () => {
  it('a header that declares 4 GB reserves no more than the trusted size before data arrives', () => {
    for (const returnBuffers of [false, true]) {
      const { parser } = collect({ returnBuffers });
      const before = process.memoryUsage().arrayBuffers;
      parser.feed(Buffer.from('$4294967294\r\nabcdefgh'));
      const grew = process.memoryUsage().arrayBuffers - before;
      assert.ok(parser.midReply);
      assert.ok(grew < 64 * MB, `a 16-byte header reserved ${grew} bytes`);
      assert.ok(parser.assemblyBytes <= 16 * MB, `assembly buffer of ${parser.assemblyBytes} bytes`);
      parser.reset();
    }
  });

  it('grows the assembly buffer with the data, and gives the exact value at the end', () => {
    const trustedSize = 1000;
    const size = 100_000;
    const payload = Buffer.alloc(size);
    for (let i = 0; i < size; i++) payload[i] = (i * 7) & 0xff;
    const { parser, replies } = collect({ returnBuffers: true, trustedSize });
    parser.feed(Buffer.from(`$${size}\r\n`));
    assert.equal(parser.assemblyBytes, trustedSize, 'starts at the trusted size');
    let received = 0;
    for (let i = 0; i < size; i += 700) {
      const part = payload.subarray(i, i + 700);
      parser.feed(part);
      received += part.length;
      if (received < size) {
        // Never more than the growth factor (and the jump to the whole value near its end) ahead.
        assert.ok(parser.assemblyBytes >= received);
        assert.ok(parser.assemblyBytes <= Math.max(trustedSize, 6 * received) || parser.assemblyBytes === size + 2);
      }
    }
    parser.feed(Buffer.from('\r\n'));
    assert.equal(replies.length, 1);
    assert.ok((replies[0] as Buffer).equals(payload));
    assert.equal(parser.assemblyBytes, 0);
  });

  it('a value read straight into its buffer is not copied out of a shared read buffer', () => {
    const size = 2 * MB;
    const payload = Buffer.alloc(size, 'k');
    const bytes = Buffer.concat([Buffer.from(`$${size}\r\n`), payload, Buffer.from('\r\n:7\r\n')]);
    for (const returnBuffers of [false, true]) {
      const { parser, replies } = collect({ returnBuffers });
      const { direct } = socketFeed(parser, bytes, [64 * 1024]);
      // Only the first read (header and the start of the value) and the tail go through the
      // shared buffer.
      assert.ok(direct >= size - 2 * 64 * 1024, `${direct} of ${size} bytes read directly`);
      assert.equal(replies.length, 2);
      assert.deepEqual(replies[0], returnBuffers ? payload : payload.toString());
      assert.equal(replies[1], 7);
    }
  });

  it('Buffers given out are never written again: not by later direct reads, nor by reused text buffers', () => {
    const big = (c: string, n: number) => Buffer.alloc(n, c);
    const values = [big('a', 300_000), big('b', 70_000), big('c', 300_000), big('d', 90_000)];
    const frames = values.map((v) => Buffer.concat([Buffer.from(`$${v.length}\r\n`), v, Buffer.from('\r\n')]));
    const got: RespValue[] = [];
    // Buffers and text alternate, so text assembly reuses its spares while Buffers are held.
    let n = 0;
    const parser = new RespParser({
      onReply: (v) => {
        got.push(v);
        parser.returnBuffers = ++n % 2 === 0;
      },
      returnBuffers: true,
    });
    socketFeed(parser, Buffer.concat([...frames, ...frames, ...frames]), [65536, 1000, 40_000]);
    assert.equal(got.length, 12);
    for (let i = 0; i < 12; i++) {
      const want = values[i % 4]!;
      if (i % 2 === 0) {
        assert.ok(Buffer.isBuffer(got[i]) && (got[i] as Buffer).equals(want), `value ${i} was changed after it was given out`);
      } else {
        assert.equal(got[i], want.toString());
      }
    }
    const buffers = got.filter(Buffer.isBuffer) as Buffer[];
    for (let i = 0; i < buffers.length; i++) {
      for (let j = i + 1; j < buffers.length; j++) assert.notEqual(buffers[i]!.buffer, buffers[j]!.buffer, 'two values share memory');
    }
  });

  it('property: streams with values spanning many reads parse the same through direct reads, whatever the trusted size', () => {
    const readSize = fc.constantFrom(1, 7, 1000, 16 * 1024, 64 * 1024);
    fc.assert(
      fc.property(
        stream({ maxDepth: 2, maxItems: 3, maxReplies: 4, big: true }),
        fc.array(readSize, { minLength: 1, maxLength: 5 }),
        fc.constantFrom(1, 1000, 50_000, 16 * MB),
        fc.boolean(),
        (nodes, readSizes, trustedSize, returnBuffers) => {
          const r = recorder({ returnBuffers });
          const parser = new RespParser({
            onReply: (value) => r.events.push({ kind: 'reply', value }),
            onPush: (value) => r.events.push({ kind: 'push', value }),
            onAttribute: (value) => r.events.push({ kind: 'attribute', value }),
            returnBuffers,
            trustedSize,
          });
          socketFeed(parser, serialize(nodes), readSizes.includes(1) && readSizes.length === 1 ? [1, 64 * 1024] : readSizes);
          assert.equal(parser.midReply, false);
          assert.deepStrictEqual(comparable(r.events as Event[]), comparable(expectedEvents(nodes, returnBuffers)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: large text decodes exactly as one UTF-8 decode of its bytes would, valid or not', () => {
    // Tokens that put every kind of sequence (complete, cut short, stray continuation bytes, bytes
    // never valid) across the places where the text is cut into pieces.
    const token = fc.constantFrom(
      [0x61], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0x80], [0xbf, 0xbf],
      [0xe2, 0x82], [0xf0, 0x9f], [0xc3], [0xff], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xed, 0xa0, 0x80],
    );
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 40 }), fc.integer({ min: 100 * 1024, max: 1200 * 1024 }), fc.integer({ min: 0, max: 64 * 1024 }), (tokens, size, shift) => {
        const unit = Buffer.from(tokens.flat());
        const body = Buffer.alloc(size);
        // ASCII up to `shift`, so the tokens land at every offset from the piece boundaries.
        body.fill(0x62, 0, Math.min(shift, size));
        if (shift < size) body.fill(unit, shift);
        const frame = Buffer.concat([Buffer.from(`$${size}\r\n`), body, Buffer.from('\r\n')]);
        const { parser, replies } = collect();
        socketFeed(parser, frame, [64 * 1024]);
        assert.equal(replies.length, 1);
        assert.ok(replies[0] === body.toString('utf8'), 'decoded differently from Buffer#toString');
      }),
      { numRuns: 60 },
    );
  });

  it('large text values are built from pieces that stay out of the large-object space, and read back exactly', () => {
    for (const size of [100 * 1024, 256 * 1024, 1024 * 1024 - 1, MB, 3 * MB]) {
      const ascii = Buffer.alloc(size);
      for (let i = 0; i < size; i++) ascii[i] = 97 + (i % 26);
      const { parser, replies } = collect();
      socketFeed(parser, Buffer.concat([Buffer.from(`$${size}\r\n`), ascii, Buffer.from('\r\n')]), [64 * 1024]);
      const s = replies[0] as string;
      assert.equal(s.length, size);
      assert.equal(s.charCodeAt(size - 1), 97 + ((size - 1) % 26));
      assert.ok(s === ascii.toString('latin1'));
    }
  });
});

