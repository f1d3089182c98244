import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError, ResponseError } from '../../src/index.js';
import { stringMethods } from '../../src/commands/strings.js';
import { commandKeys } from '../../src/commands/registry.js';
import { commandSuite } from './helpers.js';

/** Arguments TypeScript would refuse, for the runtime checks. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bad = (v: unknown): any => v;

describe('string commands: argv', () => {
  it('builds SET with every option in the documented order', () => {
    assert.deepEqual(stringMethods.set.build('k', 'v'), ['SET', 'k', 'v']);
    assert.deepEqual(stringMethods.set.build('k', 1.5, { nx: true, get: true, px: 100 }), ['SET', 'k', 1.5, 'NX', 'GET', 'PX', 100]);
    assert.deepEqual(stringMethods.set.build('k', 'v', { xx: true, keepttl: true }), ['SET', 'k', 'v', 'XX', 'KEEPTTL']);
    assert.deepEqual(stringMethods.set.build('k', 'v', { exat: 2e9 }), ['SET', 'k', 'v', 'EXAT', 2e9]);
    assert.deepEqual(stringMethods.set.build('k', 'v', { pxat: 2e12, get: true }), ['SET', 'k', 'v', 'GET', 'PXAT', 2e12]);
  });

  it('builds the compare-and-set conditions of SET (Valkey 8.1+, Redis 8.4+)', () => {
    assert.deepEqual(stringMethods.set.build('k', 'new', { ifeq: 'old', ex: 10 }), ['SET', 'k', 'new', 'IFEQ', 'old', 'EX', 10]);
    assert.deepEqual(stringMethods.set.build('k', 'new', { ifne: 'x' }), ['SET', 'k', 'new', 'IFNE', 'x']);
    assert.deepEqual(stringMethods.set.build('k', 'new', { ifdeq: 'abc123', get: true }), ['SET', 'k', 'new', 'IFDEQ', 'abc123', 'GET']);
    assert.deepEqual(stringMethods.set.build('k', 'new', { ifdne: 'abc123' }), ['SET', 'k', 'new', 'IFDNE', 'abc123']);
    assert.throws(() => stringMethods.set.build('k', 'v', { ifeq: 'a', nx: true }), /SET: nx, xx, ifeq/);
    assert.throws(() => stringMethods.set.build('k', 'v', { ifeq: 'a', ifne: 'b' }), DataError);
  });

  it('refuses contradictory SET options', () => {
    assert.throws(() => stringMethods.set.build('k', 'v', { ex: 1, px: 1 }), /SET: ex, px, exat, pxat and keepttl exclude each other/);
    assert.throws(() => stringMethods.set.build('k', 'v', { ex: 1, keepttl: true }), DataError);
    assert.throws(() => stringMethods.set.build('k', 'v', { nx: true, xx: true }), DataError);
    assert.throws(() => stringMethods.set.build('k', 'v', { ex: 1.5 }), /SET: ex must be an integer/);
  });

  it('builds GETEX, DELEX, DELIFEQ, DIGEST and MSETEX', () => {
    assert.deepEqual(stringMethods.getex.build('k'), ['GETEX', 'k']);
    assert.deepEqual(stringMethods.getex.build('k', { persist: true }), ['GETEX', 'k', 'PERSIST']);
    assert.deepEqual(stringMethods.getex.build('k', { pxat: 5 }), ['GETEX', 'k', 'PXAT', 5]);
    assert.throws(() => stringMethods.getex.build('k', { ex: 1, persist: true }), /GETEX: ex, px, exat, pxat and persist exclude each other/);
    assert.deepEqual(stringMethods.delex.build('k'), ['DELEX', 'k']);
    assert.deepEqual(stringMethods.delex.build('k', { ifeq: 'v' }), ['DELEX', 'k', 'IFEQ', 'v']);
    assert.deepEqual(stringMethods.delex.build('k', { ifdne: 'ff00' }), ['DELEX', 'k', 'IFDNE', 'ff00']);
    assert.throws(() => stringMethods.delex.build('k', { ifeq: 'a', ifdeq: 'b' }), /DELEX: ifeq, ifne, ifdeq and ifdne exclude each other/);
    assert.deepEqual(stringMethods.delifeq.build('lock', 'token'), ['DELIFEQ', 'lock', 'token']);
    assert.deepEqual(stringMethods.digest.build('k'), ['DIGEST', 'k']);
    assert.deepEqual(stringMethods.msetex.build({ a: 1, b: 'x' }), ['MSETEX', 2, 'a', 1, 'b', 'x']);
    assert.deepEqual(stringMethods.msetex.build([['a', 1]], { nx: true, ex: 10 }), ['MSETEX', 1, 'a', 1, 'NX', 'EX', 10]);
    assert.deepEqual(stringMethods.msetex.build(new Map([['a', 1]]), { xx: true, keepttl: true }), ['MSETEX', 1, 'a', 1, 'XX', 'KEEPTTL']);
    assert.throws(() => stringMethods.msetex.build({ a: 1 }, { nx: true, xx: true }), /MSETEX: nx and xx/);
    assert.throws(() => stringMethods.msetex.build({}), /MSETEX: at least one key/);
    // Newer than the test servers, so COMMAND GETKEYS cannot check these.
    assert.deepEqual(commandKeys(stringMethods.msetex.build({ a: 1, b: 2 }, { ex: 10 })), ['a', 'b']);
    assert.deepEqual(commandKeys(['DELEX', 'k', 'IFEQ', 'v']), ['k']);
    assert.deepEqual(commandKeys(['DIGEST', 'k']), ['k']);
  });

  it('builds LCS with its options', () => {
    assert.deepEqual(stringMethods.lcs.build('a', 'b', { idx: true, minmatchlen: 4, withmatchlen: true }), [
      'LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', 4, 'WITHMATCHLEN',
    ]);
    assert.deepEqual(stringMethods.lcs.build('a', 'b', { len: true }), ['LCS', 'a', 'b', 'LEN']);
    assert.throws(() => stringMethods.lcs.build('a', 'b', { len: true, idx: true }), /LCS: len and idx/);
  });

  it('names the command and the argument of a bad call', () => {
    assert.throws(() => stringMethods.get.build(bad(1)), /GET: key must be a string or Buffer, got number/);
    assert.throws(() => stringMethods.set.build('k', bad(null)), /SET: value must be/);
    assert.throws(() => stringMethods.append.build('k', bad({})), /APPEND: value/);
    assert.throws(() => stringMethods.setrange.build('k', bad('1'), 'v'), /SETRANGE: offset must be an integer/);
    assert.throws(() => stringMethods.setex.build('k', bad(undefined), 'v'), /SETEX: seconds/);
    assert.throws(() => stringMethods.psetex.build('k', 1.5, 'v'), /PSETEX: milliseconds/);
    assert.throws(() => stringMethods.getrange.build('k', 0, bad('x')), /GETRANGE: end/);
    assert.throws(() => stringMethods.incrbyfloat.build('k', bad('1')), /INCRBYFLOAT: increment must be a number/);
    assert.throws(() => stringMethods.mset.build(bad('a')), /MSET: entries must be/);
    assert.throws(() => stringMethods.mset.build(bad([['a']])), /MSET: value/);
    assert.throws(() => stringMethods.msetnx.build(bad({ a: undefined })), /MSETNX: value/);
    assert.throws(() => stringMethods.mget.build(), /MGET: at least one key/);
    assert.throws(() => stringMethods.lcs.build('a', bad(2)), /LCS: key2/);
    assert.throws(() => stringMethods.set.build('k', Infinity), /SET: value must be .* finite number or bigint, got Infinity/);
  });
});

commandSuite('string commands', (t) => {
  it('GET, SET (options and GET), GETSET, GETDEL', async () => {
    const r = await t.both(async (c) => [
      await c.set('k', 'v1'),
      await c.get('k'),
      await c.set('k', 'v2', { nx: true }),
      await c.set('k', 'v2', { xx: true, get: true }),
      await c.set('k', 'v3', { nx: true, get: true }),
      await c.set('n', 42, { px: 100_000 }),
      (await c.pttl('n')) > 90_000,
      await c.set('n', 43, { keepttl: true }),
      (await c.pttl('n')) > 90_000,
      await c.getset('k', 'v4'),
      await c.getset('missing', 'x'),
      await c.getdel('k'),
      await c.getdel('k'),
      await c.get('k'),
    ]);
    assert.deepEqual(r, ['OK', 'v1', null, 'v1', 'v2', 'OK', true, 'OK', true, 'v2', null, 'v4', null, null]);
  });

  it('SET with an absolute expiry, SETEX, PSETEX, GETEX', async () => {
    const r = await t.both(async (c) => {
      const now = Date.now();
      return [
        await c.set('a', 'x', { exat: Math.floor(now / 1000) + 100 }),
        (await c.ttl('a')) >= 99,
        await c.set('b', 'x', { pxat: now + 100_000 }),
        (await c.pttl('b')) > 90_000,
        await c.setex('c', 100, 'x'),
        await c.ttl('c'),
        await c.psetex('d', 100_000, 'y'),
        (await c.pttl('d')) > 90_000,
        await c.getex('c', { ex: 200 }),
        await c.ttl('c'),
        await c.getex('c', { persist: true }),
        await c.ttl('c'),
        await c.getex('d'),
        await c.getex('missing', { px: 10 }),
      ];
    });
    assert.deepEqual(r, ['OK', true, 'OK', true, 'OK', 100, 'OK', true, 'x', 200, 'x', -1, 'y', null]);
  });

  it('SETNX, MSET, MSETNX, MGET', async () => {
    const r = await t.both(async (c) => [
      await c.setnx('a', 1),
      await c.setnx('a', 2),
      await c.mset({ b: 'x', c: 3 }),
      await c.mset([['d', Buffer.from('buf')]]),
      await c.mset(new Map([['e', 'map']])),
      await c.msetnx({ f: 1, g: 2 }),
      await c.msetnx([['g', 3], ['h', 4]]),
      await c.mget('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
    ]);
    assert.deepEqual(r, [true, false, 'OK', 'OK', 'OK', true, false, ['1', 'x', '3', 'buf', 'map', '1', '2', null]]);
  });

  it('APPEND, STRLEN, SETRANGE, GETRANGE, SUBSTR', async () => {
    const r = await t.both(async (c) => [
      await c.append('s', 'Hello'),
      await c.append('s', ' World'),
      await c.strlen('s'),
      await c.strlen('missing'),
      await c.setrange('s', 6, 'Redis'),
      await c.get('s'),
      await c.getrange('s', 0, 4),
      await c.getrange('s', -5, -1),
      await c.substr('s', 6, 100),
      await c.setrange('z', 3, 'x'),
      await c.get('z'),
    ]);
    assert.deepEqual(r, [5, 11, 11, 0, 11, 'Hello Redis', 'Hello', 'Redis', 'Redis', 4, '\0\0\0x']);
  });

  it('INCR, INCRBY, INCRBYFLOAT, DECR, DECRBY', async () => {
    const r = await t.both(async (c) => [
      await c.incr('n'),
      await c.incrby('n', 10),
      await c.decr('n'),
      await c.decrby('n', 5),
      await c.incrbyfloat('n', 0.25),
      await c.incrbyfloat('n', -1e-3),
      await c.incrbyfloat('f', 3),
    ]);
    assert.deepEqual(r, [1, 11, 10, 5, 5.25, 5.249, 3]);
  });

  it('LCS: the text, its length and its matches', async () => {
    const r = await t.both(async (c) => {
      await c.mset({ a: 'ohmytext', b: 'mynewtext' });
      return [
        await c.lcs('a', 'b'),
        await c.lcs('a', 'b', { len: true }),
        await c.lcs('a', 'b', { idx: true }),
        await c.lcs('a', 'b', { idx: true, minmatchlen: 4, withmatchlen: true }),
      ];
    });
    assert.deepEqual(r, [
      'mytext',
      6,
      {
        matches: [
          { key1: [4, 7], key2: [5, 8] },
          { key1: [2, 3], key2: [0, 1] },
        ],
        len: 6,
      },
      { matches: [{ key1: [4, 7], key2: [5, 8], len: 4 }], len: 6 },
    ]);
  });

  it('gives Buffers from a withBuffers() view, binary-safe', async () => {
    const bytes = Buffer.from([0, 255, 128, 10, 13]);
    const r = await t.both(async (c) => {
      const b = c.withBuffers();
      await b.set('bin', bytes);
      return [await b.get('bin'), await b.getrange('bin', 1, 2), await b.mget('bin', 'missing'), await b.lcs('bin', 'bin')];
    });
    assert.deepEqual(r, [bytes, bytes.subarray(1, 3), [bytes, null], bytes]);
  });

  it('rejects bad arguments before sending and reports server errors as ResponseError', async () => {
    const c = t.client(3);
    await assert.rejects(c.set(bad(5), 'v'), (e: Error) => e instanceof DataError && /SET: key/.test(e.message));
    await assert.rejects(c.incrby('k', bad(1.5)), /INCRBY: increment must be an integer/);
    await assert.rejects(c.getex('k', { ex: 1, px: 1 }), DataError);
    await c.set('text', 'abc');
    await assert.rejects(c.incr('text'), ResponseError);
  });
});
