import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError, type RedisClient } from '../../src/index.js';
import { setMethods } from '../../src/commands/sets.js';
import { commandSuite } from './helpers.js';

/** Arguments TypeScript would refuse, for the runtime checks. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bad = (v: unknown): any => v;

const sortBuffers = (a: Buffer[]): Buffer[] => a.slice().sort(Buffer.compare);
const sortStrings = (a: string[]): string[] => a.slice().sort();

describe('set commands: argv', () => {
  it('builds the commands with their keys and options', () => {
    assert.deepEqual(setMethods.sadd.build('s', 'a', 1, Buffer.from('b')), ['SADD', 's', 'a', 1, Buffer.from('b')]);
    assert.deepEqual(setMethods.sdiffstore.build('dst', 'a', 'b'), ['SDIFFSTORE', 'dst', 'a', 'b']);
    assert.deepEqual(setMethods.sunion.build('a'), ['SUNION', 'a']);
    assert.deepEqual(setMethods.sintercard.build(['a', 'b']), ['SINTERCARD', 2, 'a', 'b']);
    assert.deepEqual(setMethods.sintercard.build('a', { limit: 3 }), ['SINTERCARD', 1, 'a', 'LIMIT', 3]);
    assert.deepEqual(setMethods.spop.build('s'), ['SPOP', 's']);
    assert.deepEqual(setMethods.srandmember.build('s', -2), ['SRANDMEMBER', 's', -2]);
    assert.deepEqual(setMethods.smove.build('a', 'b', 'm'), ['SMOVE', 'a', 'b', 'm']);
    assert.deepEqual(setMethods.sscan.build('s', '42', { match: 'a*', count: 5 }), ['SSCAN', 's', '42', 'MATCH', 'a*', 'COUNT', 5]);
  });

  it('refuses bad arguments, naming the command and the argument', () => {
    assert.throws(() => setMethods.sadd.build('s'), /SADD: at least one member is required/);
    assert.throws(() => setMethods.sadd.build('s', bad({})), /SADD: member must be/);
    assert.throws(() => setMethods.sismember.build('s', bad(undefined)), /SISMEMBER: member/);
    assert.throws(() => setMethods.sinter.build(), /SINTER: at least one key/);
    assert.throws(() => setMethods.sinterstore.build(bad(1), 'a'), /SINTERSTORE: destination must be a string or Buffer/);
    assert.throws(() => setMethods.sunionstore.build('dst'), /SUNIONSTORE: at least one key/);
    assert.throws(() => setMethods.sintercard.build([]), /SINTERCARD: at least one key/);
    assert.throws(() => setMethods.sintercard.build('a', { limit: -1 }), /SINTERCARD: limit must be at least 0/);
    assert.throws(() => setMethods.spop.build('s', bad('1')), /SPOP: count must be an integer/);
    assert.throws(() => setMethods.smove.build('a', bad(null), 'm'), /SMOVE: destination/);
    assert.throws(() => setMethods.sscan.build('s', bad(undefined)), /SSCAN: cursor/);
    assert.throws(() => setMethods.sscan.build('s', 0, bad('MATCH')), /SSCAN: options must be an object/);
  });
});

async function scanAll(c: RedisClient, key: string, options?: { match?: string; count?: number }): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const step = await c.sscan(key, cursor, options);
    out.push(...step.members);
    cursor = step.cursor;
  } while (cursor !== '0');
  return out.sort();
}

commandSuite('set commands', (t) => {
  it('SADD, SREM, SCARD, SMEMBERS, SISMEMBER, SMISMEMBER', async () => {
    const r = await t.both(async (c) => [
      await c.sadd('s', 'a', 'b', 'c', 'a'),
      await c.sadd('s', 1),
      await c.srem('s', 'b', 'missing'),
      await c.scard('s'),
      await c.scard('nokey'),
      sortStrings(await c.smembers('s')),
      await c.smembers('nokey'),
      await c.sismember('s', 'a'),
      await c.sismember('s', 'b'),
      await c.sismember('s', 1),
      await c.smismember('s', 'a', 'b', 'c'),
    ]);
    assert.deepEqual(r, [3, 1, 1, 3, 0, ['1', 'a', 'c'], [], true, false, true, [true, false, true]]);
  });

  it('SDIFF, SINTER, SUNION, their STORE forms, SINTERCARD', async () => {
    const r = await t.both(async (c) => {
      await c.sadd('a', 1, 2, 3, 4);
      await c.sadd('b', 3, 4, 5);
      await c.sadd('c', 4, 5, 6);
      return [
        sortStrings(await c.sdiff('a', 'b')),
        sortStrings(await c.sinter('a', 'b', 'c')),
        sortStrings(await c.sunion('a', 'b', 'c')),
        await c.sdiffstore('d', 'a', 'b', 'c'),
        sortStrings(await c.smembers('d')),
        await c.sinterstore('i', 'a', 'b'),
        await c.sunionstore('u', 'b', 'c'),
        await c.sunionstore('empty', 'nokey'),
        await c.sintercard(['a', 'b']),
        await c.sintercard(['a', 'b'], { limit: 1 }),
        await c.sintercard('a'),
        await c.sintercard(['a', 'nokey']),
      ];
    });
    assert.deepEqual(r, [['1', '2'], ['4'], ['1', '2', '3', '4', '5', '6'], 2, ['1', '2'], 2, 4, 0, 2, 1, 4, 0]);
  });

  it('SMOVE, SPOP, SRANDMEMBER', async () => {
    const r = await t.both(async (c) => {
      await c.sadd('src', 'a', 'b', 'c');
      await c.sadd('one', 'x');
      const popped = await c.spop('src');
      const rest = await c.spop('src', 5);
      return [
        ['a', 'b', 'c'].includes(popped!),
        sortStrings([popped!, ...rest]),
        await c.spop('src'),
        await c.spop('src', 2),
        await c.sadd('src', 'a'),
        await c.smove('src', 'dst', 'a'),
        await c.smove('src', 'dst', 'a'),
        await c.smembers('dst'),
        await c.srandmember('one'),
        await c.srandmember('nokey'),
        await c.srandmember('one', -3),
        await c.srandmember('one', 5),
        await c.srandmember('nokey', 2),
      ];
    });
    assert.deepEqual(r, [true, ['a', 'b', 'c'], null, [], 1, true, false, ['a'], 'x', null, ['x', 'x', 'x'], ['x'], []]);
  });

  it('SSCAN over a small and a large set, with MATCH', async () => {
    const big = Array.from({ length: 300 }, (_, i) => `m${String(i).padStart(3, '0')}`);
    const r = await t.both(async (c) => {
      await c.sadd('small', 'a');
      await c.sadd('big', ...big);
      return [await c.sscan('small', 0), await c.sscan('nokey', '0'), await scanAll(c, 'big', { count: 40 }), await scanAll(c, 'big', { match: 'm29*' })];
    });
    assert.deepEqual(r, [{ cursor: '0', members: ['a'] }, { cursor: '0', members: [] }, big, big.slice(290)]);
  });

  it('gives Buffers from a withBuffers() view', async () => {
    const bytes = Buffer.from([0, 255, 9]);
    const r = await t.both(async (c) => {
      const b = c.withBuffers();
      await b.sadd('s', bytes, 'x');
      return [sortBuffers(await b.smembers('s')), await b.sismember('s', bytes), (await b.sscan('s', 0)).members.length, await b.spop('nokey')];
    });
    assert.deepEqual(r, [sortBuffers([bytes, Buffer.from('x')]), true, 2, null]);
  });

  it('rejects bad arguments before sending, and server errors as errors', async () => {
    const c = t.client(3);
    await assert.rejects(c.sadd('s'), DataError);
    await c.set('str', 'x');
    await assert.rejects(c.sadd('str', 'a'), /WRONGTYPE/);
  });
});
