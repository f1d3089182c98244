// CommandEncoder and encodeCommand, checked against RESP built independently with Buffer.from.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DataError } from '../../src/errors.js';
import { CommandEncoder, encodeCommand, isInexactInteger, type RedisArg } from '../../src/protocol/encoder.js';

/** The RESP bytes of one command, built the slow obvious way. */
function expected(args: readonly RedisArg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const bytes = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'utf8');
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

function taken(out: Buffer | Buffer[]): Buffer {
  return Buffer.isBuffer(out) ? out : Buffer.concat(out);
}

function assertBytes(actual: Buffer, want: Buffer, what: string): void {
  if (actual.equals(want)) return;
  // Point at the first differing byte instead of dumping megabytes.
  let i = 0;
  while (i < actual.length && i < want.length && actual[i] === want[i]) i++;
  assert.fail(
    `${what}: differs at byte ${i} (lengths ${actual.length} / ${want.length}): ` +
      `${JSON.stringify(actual.subarray(Math.max(0, i - 10), i + 10).toString('latin1'))} vs ` +
      `${JSON.stringify(want.subarray(Math.max(0, i - 10), i + 10).toString('latin1'))}`,
  );
}

describe('encodeCommand', () => {
  it('encodes ASCII strings', () => {
    assert.equal(encodeCommand(['PING']).toString(), '*1\r\n$4\r\nPING\r\n');
    assert.equal(encodeCommand(['SET', 'key', 'value']).toString(), '*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n');
    assert.equal(encodeCommand(['SET', 'k', '']).toString(), '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n');
    assert.equal(encodeCommand([]).toString(), '*0\r\n');
    assert.equal(encodeCommand(['a\r\nb']).toString(), '*1\r\n$4\r\na\r\nb\r\n');
  });

  it('encodes strings of every length around where the reserved header shrinks', () => {
    // The encoder reserves room for 3 bytes per UTF-16 unit, writes the text, and moves it back
    // when the real length has fewer digits. These lengths put the real and reserved digit counts
    // on each side of 10, 100, 1000 and 10000.
    const lengths = [0, 1, 2, 3, 4, 9, 10, 11, 33, 34, 35, 99, 100, 333, 334, 335, 999, 1000, 3333, 3334, 3335, 9999, 10000, 10921, 10922, 10923, 12000];
    const units: Array<[string, string]> = [
      ['ASCII', 'a'],
      ['2-byte', 'é'],
      ['3-byte', '€'],
      ['emoji (surrogate pair)', '😀'],
      ['mixed', 'aé€😀'],
      ['lone surrogate', '\ud800'],
    ];
    for (const [name, unit] of units) {
      for (const n of lengths) {
        const s = unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
        // Put something before and after so a shifted string would land on its neighbours.
        const args = ['X', s, 'Y'];
        assertBytes(encodeCommand(args), expected(args), `${name} × ${n}`);
      }
    }
  });

  it('encodes Buffers byte for byte', () => {
    const bin = Buffer.from([0, 1, 0x0d, 0x0a, 0xff, 0x80]);
    assertBytes(encodeCommand(['SET', bin, Buffer.alloc(0)]), expected(['SET', bin, Buffer.alloc(0)]), 'binary');
    for (const n of [1, 9, 10, 99, 100, 1000, 32 * 1024 - 17, 32 * 1024 - 1, 32 * 1024, 64 * 1024 + 3]) {
      const b = Buffer.alloc(n, n & 0xff);
      assertBytes(encodeCommand(['A', b, 'B']), expected(['A', b, 'B']), `Buffer of ${n}`);
    }
  });

  it('encodes numbers as their decimal text', () => {
    const args: RedisArg[] = ['ZADD', 0, 1, 10, 12345, -1, -987654321, 1.5, -0.25, 1e21, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 0.1];
    assertBytes(encodeCommand(args), expected(args), 'numbers');
    assert.equal(encodeCommand([-0]).toString(), '*1\r\n$1\r\n0\r\n');
    assert.equal(encodeCommand([3.25]).toString(), '*1\r\n$4\r\n3.25\r\n');
  });

  it('encodes large arguments (32 KB and more) whole', () => {
    const big = 'v'.repeat(32 * 1024);
    const bigUtf8 = 'ü'.repeat(40 * 1024);
    const bigBuf = Buffer.alloc(100 * 1024, 0x42);
    for (const args of [['SET', 'k', big], ['SET', 'k', bigUtf8], ['SET', 'k', bigBuf], [big, bigBuf, bigUtf8, 'tail']]) {
      assertBytes(encodeCommand(args), expected(args), 'large');
    }
  });

  it('writes the header of an argument of 2 GiB and more correctly', () => {
    // allocUnsafe leaves the pages untouched and a large argument is not copied, so this is cheap.
    const size = 2 ** 31 + 5;
    const huge = Buffer.allocUnsafe(size);
    const enc = new CommandEncoder();
    enc.write(['SET', 'k', huge]);
    const out = enc.take() as Buffer[];
    assert.ok(Array.isArray(out));
    assert.equal(out.find((c) => c.length === size), huge, 'the argument itself is passed on, not copied');
    const before = Buffer.concat(out.slice(0, out.indexOf(huge))).toString();
    assert.equal(before, `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${size}\r\n`);
    assert.equal(Buffer.concat(out.slice(out.indexOf(huge) + 1)).toString(), '\r\n');
  });
});

describe('CommandEncoder', () => {
  it('many commands with takes in between, across many slabs, match byte for byte', () => {
    const enc = new CommandEncoder();
    const want: Buffer[] = [];
    const got: Buffer[] = [];
    let total = 0;
    let i = 0;
    // Sizes cycle so that commands end at ever different offsets in the 64 KB slabs.
    while (total < 6 * 64 * 1024) {
      const value =
        i % 7 === 0 ? Buffer.alloc((i * 37) % 5000, i & 0xff) : i % 5 === 0 ? 'ü€😀'.repeat(i % 300) : `value-${i}-`.repeat(i % 97);
      const args: RedisArg[] = ['SET', `key:${i}`, value, 'EX', i];
      enc.write(args);
      const e = expected(args);
      want.push(e);
      total += e.length;
      if (i % 3 === 0) got.push(taken(enc.take()));
      i++;
    }
    got.push(taken(enc.take()));
    assert.equal(enc.pending, false);
    // The slices taken early must still hold their bytes: the encoder never writes over memory it
    // has handed out.
    assertBytes(Buffer.concat(got), Buffer.concat(want), 'stream');
  });

  it('random command streams with random take points match the independent encoding', () => {
    const arg = fc.oneof(
      fc.string({ maxLength: 50 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      fc.integer(),
      // Integers past 2^53 that do not print exactly are refused (they need a bigint).
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !isInexactInteger(d)),
      fc.bigInt(),
      fc.integer({ min: 0, max: 70_000 }).map((n) => 'L'.repeat(n)),
      fc.integer({ min: 0, max: 70_000 }).map((n) => Buffer.alloc(n, 0x5a)),
    );
    const step = fc.record({ args: fc.array(arg, { maxLength: 6 }), take: fc.boolean() });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const enc = new CommandEncoder();
        const got: Buffer[] = [];
        for (const s of steps) {
          enc.write(s.args);
          if (s.take) got.push(taken(enc.take()));
        }
        got.push(taken(enc.take()));
        const want = Buffer.concat(steps.map((s) => expected(s.args)));
        return Buffer.concat(got).equals(want);
      }),
      { numRuns: 150 },
    );
  });

  it('pending and pendingBytes follow writes and takes', () => {
    const enc = new CommandEncoder();
    assert.equal(enc.pending, false);
    assert.equal(enc.pendingBytes, 0);
    enc.write(['PING']);
    assert.equal(enc.pending, true);
    assert.equal(enc.pendingBytes, 14);
    enc.write(['SET', 'k', Buffer.alloc(40_000)]);
    assert.equal(enc.pendingBytes, 14 + expected(['SET', 'k', Buffer.alloc(40_000)]).length);
    taken(enc.take());
    assert.equal(enc.pending, false);
    assert.equal(enc.pendingBytes, 0);
  });

  it('rejects bad arguments with DataError and writes nothing of that command', () => {
    const bad: unknown[] = [null, undefined, {}, [], NaN, Infinity, -Infinity, true, 2 ** 60, Symbol('s'), () => 1, new Uint8Array(2)];
    const enc = new CommandEncoder();
    const want: Buffer[] = [];
    const got: Buffer[] = [];
    for (const [n, b] of bad.entries()) {
      const good: RedisArg[] = ['SET', `k${n}`, 'v'.repeat(n * 1000)];
      enc.write(good);
      want.push(expected(good));
      const pendingBefore = enc.pendingBytes;
      // The bad argument comes last, after big ones, so a half-written command would show.
      assert.throws(() => enc.write(['SET', 'x'.repeat(5000), Buffer.alloc(40_000), b as RedisArg]), DataError, String(n));
      assert.equal(enc.pendingBytes, pendingBefore, `partial bytes left after ${String(b)}`);
      if (n % 2 === 0) got.push(taken(enc.take()));
    }
    enc.write(['PING']);
    want.push(expected(['PING']));
    got.push(taken(enc.take()));
    assert.equal(enc.pending, false);
    assertBytes(Buffer.concat(got), Buffer.concat(want), 'stream around rejected commands');
  });

  it('the error names the type but never the value', () => {
    assert.throws(() => encodeCommand(['AUTH', { secret: 'hunter2' } as unknown as RedisArg]), (e: unknown) => {
      assert.ok(e instanceof DataError);
      assert.match(e.message, /object/);
      assert.doesNotMatch(e.message, /hunter2/);
      return true;
    });
    assert.throws(() => encodeCommand(['SET', NaN]), /NaN/);
    assert.throws(() => encodeCommand(['SET', null as unknown as RedisArg]), /null/);
    assert.throws(() => encodeCommand(['SET', undefined as unknown as RedisArg]), /undefined/);
  });

  it('encodeCommand still works after a rejected command', () => {
    assert.throws(() => encodeCommand(['SET', 'k', 'v'.repeat(20_000), undefined as unknown as RedisArg]), DataError);
    assert.equal(encodeCommand(['GET', 'k']).toString(), '*2\r\n$3\r\nGET\r\n$1\r\nk\r\n');
  });

  it('rewind reuses the slab once everything taken is written; without it, taken bytes are never overwritten', () => {
    const enc = new CommandEncoder();
    enc.write(['SET', 'a', 'x'.repeat(1000)]);
    const first = taken(enc.take());
    const copy = Buffer.from(first);
    enc.write(['SET', 'b', 'y'.repeat(1000)]);
    enc.take();
    assert.ok(first.equals(copy), 'a slice taken but not rewound was overwritten');
    enc.rewind();
    enc.write(['GET', 'c']);
    const again = taken(enc.take());
    assert.equal(again.buffer, first.buffer, 'the slab was not reused after rewind');
    assert.equal(again.byteOffset, first.byteOffset);
    assert.equal(again.toString(), '*2\r\n$3\r\nGET\r\n$1\r\nc\r\n');
  });

  it('rewind does nothing while bytes are written but not taken', () => {
    const enc = new CommandEncoder();
    enc.write(['GET', 'a']);
    enc.rewind();
    enc.write(['GET', 'b']);
    assert.equal(taken(enc.take()).toString(), '*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$1\r\nb\r\n');
  });

  it('retire sets taken slabs aside until recycle; a recycled slab is encoded into again', () => {
    const enc = new CommandEncoder();
    const parts = (out: Buffer | Buffer[]): Buffer[] => (Buffer.isBuffer(out) ? [out] : out);
    enc.write(['SET', 'a', 'x'.repeat(100_000)]);
    const first = parts(enc.take());
    const copies = first.map((b) => Buffer.from(b));
    const slabs = enc.retire();
    assert.ok(slabs !== null, 'nothing was retired');
    for (const b of first) assert.ok(slabs.some((s) => s.buffer === b.buffer), 'a slab holding taken bytes was not retired');
    // Another large batch while the first is "in the socket": it must not land on the first's bytes.
    enc.write(['SET', 'b', 'y'.repeat(100_000)]);
    const second = parts(enc.take());
    first.forEach((b, i) => assert.ok(b.equals(copies[i]!), 'a retired slice was overwritten before it was recycled'));
    for (const b of second) assert.ok(!first.some((f) => f.buffer === b.buffer), 'the second batch went into a retired slab');
    assert.ok(enc.retire() !== null);
    enc.recycle(slabs);
    enc.write(['SET', 'c', 'z'.repeat(100_000)]);
    const third = parts(enc.take());
    assert.ok(third.some((b) => slabs.some((s) => s.buffer === b.buffer)), 'no recycled slab was used again');
    assert.ok(taken(third).equals(expected(['SET', 'c', 'z'.repeat(100_000)])));
  });

  it('property: takes retired and recycled out of order with rewinds keep every unrecycled slice intact', () => {
    const arg = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'é'.repeat(n >> 1)),
      fc.integer({ min: 10_000, max: 300_000 }).map((n) => 'q'.repeat(n)),
      fc.integer({ min: 1, max: 100_000 }).map((n) => Buffer.alloc(n, 7)),
    );
    // After each take: 0 = the write is still under way (slab fills forward), 1 = written at once
    // (rewind), 2 = under way and retired; a retired batch is recycled at a later step, oldest first,
    // as a socket's write callbacks come in order.
    const step = fc.tuple(fc.array(arg, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 2 }), fc.boolean());
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 14 }), (steps) => {
        const enc = new CommandEncoder();
        let held: Array<{ bytes: Buffer; want: Buffer }> = [];
        const retired: Array<{ slabs: Buffer[] | null; held: typeof held }> = [];
        for (const [args, outcome, recycleOldest] of steps) {
          enc.write(args);
          held.push({ bytes: taken(enc.take()), want: expected(args) });
          for (const r of retired) for (const h of r.held) assertBytes(h.bytes, h.want, 'a retired slice');
          for (const h of held) assertBytes(h.bytes, h.want, 'a taken slice');
          if (outcome === 1 && retired.length === 0) {
            held = [];
            enc.rewind();
          } else if (outcome === 2) {
            retired.push({ slabs: enc.retire(), held });
            held = [];
          }
          if (recycleOldest && retired.length > 0) {
            const r = retired.shift()!;
            if (r.slabs !== null) enc.recycle(r.slabs);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('property: streams of large and small commands with rewinds after some takes match the independent encoding', () => {
    const arg = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.integer({ min: 10_000, max: 300_000 }).map((n) => 'é'.repeat(n >> 1)),
      fc.integer({ min: 10_000, max: 300_000 }).map((n) => 'q'.repeat(n)),
      fc.integer({ min: 1, max: 100_000 }).map((n) => Buffer.alloc(n, 7)),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(arg, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 12 }), (steps) => {
        const enc = new CommandEncoder();
        // Slices taken and not yet "written": they must stay intact until a rewind.
        let held: Array<{ bytes: Buffer; want: Buffer }> = [];
        let pendingWant: Buffer[] = [];
        for (const [args, takeNow, written] of steps) {
          enc.write(args);
          pendingWant.push(expected(args));
          if (!takeNow) continue;
          held.push({ bytes: taken(enc.take()), want: Buffer.concat(pendingWant) });
          pendingWant = [];
          for (const h of held) assertBytes(h.bytes, h.want, 'a taken slice');
          if (written) {
            held = [];
            enc.rewind();
          }
        }
        const rest = taken(enc.take());
        for (const h of held) assertBytes(h.bytes, h.want, 'a taken slice');
        assertBytes(rest, Buffer.concat(pendingWant), 'the last take');
      }),
      { numRuns: 150 },
    );
  });
});

