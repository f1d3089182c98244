// Property tests: random RESP2/RESP3 streams, serialised by the test model, split at random
// points (and at every byte), must parse to exactly the values and events the model expects.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { comparable, everyByte, feedReused, recorder, splitAt, type Event } from './helpers.js';
import { expectedEvents, serialize, stream, type Top } from './resp-model.js';

function parseChunks(chunks: readonly Buffer[], returnBuffers: boolean, reuse: boolean): Event[] {
  const r = recorder({ returnBuffers });
  if (reuse) feedReused(r.parser, chunks);
  else for (const c of chunks) r.parser.feed(c);
  assert.equal(r.parser.midReply, false, 'mid-reply after the whole stream');
  return r.events;
}

function check(nodes: Top[], chunksOf: (b: Buffer) => Buffer[], returnBuffers: boolean, reuse: boolean): void {
  const bytes = serialize(nodes);
  const got = parseChunks(chunksOf(bytes), returnBuffers, reuse);
  assert.deepStrictEqual(comparable(got), comparable(expectedEvents(nodes, returnBuffers)));
}

/** Cut positions as fractions of the length, so they shrink well and fit any stream. */
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 24 });

describe('parser properties', () => {
  it('random streams split at random points parse to the expected values', () => {
    fc.assert(
      fc.property(stream({ maxDepth: 4, maxItems: 5, maxReplies: 6 }), cuts, fc.boolean(), fc.boolean(), (nodes, fractions, returnBuffers, reuse) => {
        check(nodes, (b) => splitAt(b, fractions.map((f) => Math.floor(f * b.length))), returnBuffers, reuse);
      }),
      { numRuns: 1000 },
    );
  });

  it('random streams split at every byte parse to the expected values', () => {
    fc.assert(
      fc.property(stream({ maxDepth: 3, maxItems: 4, maxReplies: 4 }), fc.boolean(), (nodes, returnBuffers) => {
        check(nodes, everyByte, returnBuffers, true);
      }),
      { numRuns: 300 },
    );
  });

  it('random streams with large values split into socket-sized chunks parse to the expected values', () => {
    const chunkSize = fc.constantFrom(1000, 16 * 1024, 64 * 1024, 65 * 1024 + 7);
    fc.assert(
      fc.property(stream({ maxDepth: 2, maxItems: 3, maxReplies: 4, big: true }), chunkSize, cuts, fc.boolean(), (nodes, size, fractions, returnBuffers) => {
        const chunksOf = (b: Buffer): Buffer[] => {
          const at = fractions.map((f) => Math.floor(f * b.length));
          for (let i = size; i < b.length; i += size) at.push(i);
          return splitAt(b, at);
        };
        check(nodes, chunksOf, returnBuffers, true);
      }),
      { numRuns: 60 },
    );
  });

  it('a stream parses the same however it is split', () => {
    // No model here: only that the chunking never matters.
    fc.assert(
      fc.property(stream({ maxDepth: 4, maxItems: 5, maxReplies: 5 }), cuts, cuts, (nodes, a, b) => {
        const bytes = serialize(nodes);
        const split = (fs: number[]): Buffer[] => splitAt(bytes, fs.map((f) => Math.floor(f * bytes.length)));
        assert.deepStrictEqual(comparable(parseChunks(split(a), false, false)), comparable(parseChunks(split(b), false, true)));
      }),
      { numRuns: 200 },
    );
  });

  it('any strict prefix of a stream leaves the parser mid-reply or between replies, never reporting too much', () => {
    fc.assert(
      fc.property(stream({ maxDepth: 3, maxItems: 4, maxReplies: 3 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (nodes, f) => {
        const bytes = serialize(nodes);
        const whole = parseChunks([bytes], false, false);
        const r = recorder();
        r.parser.feed(bytes.subarray(0, Math.floor(f * bytes.length)));
        // Only events of the whole stream, in its order, and fewer of them unless the cut fell
        // exactly between replies.
        assert.deepStrictEqual(comparable(r.events), comparable(whole.slice(0, r.events.length)));
        if (r.events.length === whole.length || r.parser.midReply) return;
        assert.ok(r.events.length < whole.length);
      }),
      { numRuns: 300 },
    );
  });
});
