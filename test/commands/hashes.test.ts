import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError, ResponseError, type RedisClient } from '../../src/index.js';
import { hashMethods } from '../../src/commands/hashes.js';
import { commandSuite } from './helpers.js';

/** Arguments TypeScript would refuse, for the runtime checks. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bad = (v: unknown): any => v;

describe('hash commands: argv', () => {
  it('builds HSET and HMSET from an object, a Map, pairs, or one field', () => {
    assert.deepEqual(hashMethods.hset.build('h', 'f', 1), ['HSET', 'h', 'f', 1]);
    assert.deepEqual(hashMethods.hset.build('h', { a: 1, b: 'x' }), ['HSET', 'h', 'a', 1, 'b', 'x']);
    assert.deepEqual(hashMethods.hset.build('h', new Map([[Buffer.from('f'), 'v']])), ['HSET', 'h', Buffer.from('f'), 'v']);
    assert.deepEqual(hashMethods.hmset.build('h', [['a', 1]]), ['HMSET', 'h', 'a', 1]);
    assert.deepEqual(hashMethods.hmset.build('h', 'f', 'v'), ['HMSET', 'h', 'f', 'v']);
  });

  it('builds HRANDFIELD and HSCAN with their options', () => {
    assert.deepEqual(hashMethods.hrandfield.build('h'), ['HRANDFIELD', 'h']);
    assert.deepEqual(hashMethods.hrandfield.build('h', -3), ['HRANDFIELD', 'h', -3]);
    assert.deepEqual(hashMethods.hrandfield.build('h', 2, { withvalues: true }), ['HRANDFIELD', 'h', 2, 'WITHVALUES']);
    assert.deepEqual(hashMethods.hscan.build('h', 0), ['HSCAN', 'h', 0]);
    assert.deepEqual(hashMethods.hscan.build('h', '18446744073709551615', { match: 'f*', count: 100, novalues: true }), [
      'HSCAN', 'h', '18446744073709551615', 'MATCH', 'f*', 'COUNT', 100, 'NOVALUES',
    ]);
  });

  it('reads WITHVALUES and NOVALUES replies by the argv, not by a name that looks like the flag', () => {
    const pick = (argv: Array<string | number>) => hashMethods.hrandfield.variant!(argv).transform;
    assert.notEqual(pick(['HRANDFIELD', 'h', 2, 'WITHVALUES']), pick(['HRANDFIELD', 'h', 2]));
    assert.equal(pick(['HRANDFIELD', 'WITHVALUES']), pick(['HRANDFIELD', 'h', 2]));
    const scan = (argv: Array<string | number>) => hashMethods.hscan.variant!(argv).transform;
    assert.notEqual(scan(['HSCAN', 'h', 0, 'NOVALUES']), scan(['HSCAN', 'h', 0]));
    assert.equal(scan(['HSCAN', 'h', 0, 'MATCH', 'NOVALUES']), scan(['HSCAN', 'h', 0]));
    assert.equal(scan(['HSCAN', 'NOVALUES', 0]), scan(['HSCAN', 'h', 0]));
  });

  it('builds the hash field expiration commands (Redis 7.4 / 8, Valkey 9)', () => {
    assert.deepEqual(hashMethods.hexpire.build('h', 10, ['a', 'b']), ['HEXPIRE', 'h', 10, 'FIELDS', 2, 'a', 'b']);
    assert.deepEqual(hashMethods.hexpire.build('h', 10, 'a', { nx: true }), ['HEXPIRE', 'h', 10, 'NX', 'FIELDS', 1, 'a']);
    assert.deepEqual(hashMethods.hpexpire.build('h', 1500, ['a'], { xx: true }), ['HPEXPIRE', 'h', 1500, 'XX', 'FIELDS', 1, 'a']);
    assert.deepEqual(hashMethods.hexpireat.build('h', 2e9, ['a'], { gt: true }), ['HEXPIREAT', 'h', 2e9, 'GT', 'FIELDS', 1, 'a']);
    assert.deepEqual(hashMethods.hpexpireat.build('h', 2e12, ['a', 'b', 'c'], { lt: true }), ['HPEXPIREAT', 'h', 2e12, 'LT', 'FIELDS', 3, 'a', 'b', 'c']);
    assert.deepEqual(hashMethods.httl.build('h', ['a', 'b']), ['HTTL', 'h', 'FIELDS', 2, 'a', 'b']);
    assert.deepEqual(hashMethods.hpttl.build('h', 'a'), ['HPTTL', 'h', 'FIELDS', 1, 'a']);
    assert.deepEqual(hashMethods.hexpiretime.build('h', ['a']), ['HEXPIRETIME', 'h', 'FIELDS', 1, 'a']);
    assert.deepEqual(hashMethods.hpexpiretime.build('h', [Buffer.from('a')]), ['HPEXPIRETIME', 'h', 'FIELDS', 1, Buffer.from('a')]);
    assert.deepEqual(hashMethods.hpersist.build('h', ['a', 'b']), ['HPERSIST', 'h', 'FIELDS', 2, 'a', 'b']);
    assert.deepEqual(hashMethods.hgetdel.build('h', ['a', 'b']), ['HGETDEL', 'h', 'FIELDS', 2, 'a', 'b']);
    assert.deepEqual(hashMethods.hgetex.build('h', ['a']), ['HGETEX', 'h', 'FIELDS', 1, 'a']);
    assert.deepEqual(hashMethods.hgetex.build('h', ['a', 'b'], { ex: 60 }), ['HGETEX', 'h', 'EX', 60, 'FIELDS', 2, 'a', 'b']);
    assert.deepEqual(hashMethods.hgetex.build('h', 'a', { pxat: 2e12 }), ['HGETEX', 'h', 'PXAT', 2e12, 'FIELDS', 1, 'a']);
    assert.deepEqual(hashMethods.hgetex.build('h', 'a', { persist: true }), ['HGETEX', 'h', 'PERSIST', 'FIELDS', 1, 'a']);
    assert.deepEqual(hashMethods.hsetex.build('h', { a: 1, b: 'x' }), ['HSETEX', 'h', 'FIELDS', 2, 'a', 1, 'b', 'x']);
    assert.deepEqual(hashMethods.hsetex.build('h', [['a', 1]], { fnx: true, ex: 10 }), ['HSETEX', 'h', 'FNX', 'EX', 10, 'FIELDS', 1, 'a', 1]);
    assert.deepEqual(hashMethods.hsetex.build('h', new Map([['a', 1]]), { fxx: true, keepttl: true }), ['HSETEX', 'h', 'FXX', 'KEEPTTL', 'FIELDS', 1, 'a', 1]);
    assert.deepEqual(hashMethods.hsetex.build('h', { a: 1 }, { nx: true, px: 5 }), ['HSETEX', 'h', 'NX', 'PX', 5, 'FIELDS', 1, 'a', 1]);
    assert.deepEqual(hashMethods.hsetex.build('h', { a: 1 }, { xx: true, fnx: true, exat: 2e9 }), ['HSETEX', 'h', 'XX', 'FNX', 'EXAT', 2e9, 'FIELDS', 1, 'a', 1]);
  });

  it('marks the hash field expiration commands read or write', () => {
    for (const name of ['httl', 'hpttl', 'hexpiretime', 'hpexpiretime'] as const) assert.equal(hashMethods[name].info.flags & 3, 1, name);
    for (const name of ['hexpire', 'hpexpire', 'hexpireat', 'hpexpireat', 'hpersist', 'hgetex', 'hsetex', 'hgetdel'] as const) {
      assert.equal(hashMethods[name].info.flags & 3, 2, name);
    }
  });

  it('refuses bad arguments, naming the command and the argument', () => {
    assert.throws(() => hashMethods.hget.build('h', bad(1)), /HGET: field must be a string or Buffer, got number/);
    assert.throws(() => hashMethods.hset.build('h', {}), /HSET: at least one field is required/);
    assert.throws(() => hashMethods.hset.build('h', 'f', bad(undefined)), /HSET: value must be/);
    assert.throws(() => hashMethods.hset.build('h', bad(['f', 'v'])), /HSET: each field must be given as a \[field, value\] pair/);
    assert.throws(() => hashMethods.hmget.build('h'), /HMGET: at least one field/);
    assert.throws(() => hashMethods.hdel.build('h', bad(null)), /HDEL: field/);
    assert.throws(() => hashMethods.hincrby.build('h', 'f', 1.5), /HINCRBY: increment must be an integer/);
    assert.throws(() => hashMethods.hincrbyfloat.build('h', 'f', bad('1')), /HINCRBYFLOAT: increment must be a number/);
    assert.throws(() => hashMethods.hincrbyfloat.build('h', 'f', Infinity), /HINCRBYFLOAT: increment must be finite/);
    assert.throws(() => hashMethods.hrandfield.build('h', bad('2')), /HRANDFIELD: count must be an integer/);
    assert.throws(() => hashMethods.hrandfield.build('h', undefined, { withvalues: true }), /HRANDFIELD: withvalues needs a count/);
    assert.throws(() => hashMethods.hscan.build('h', bad('abc')), /HSCAN: cursor must be/);
    assert.throws(() => hashMethods.hscan.build('h', -1), /HSCAN: cursor must be/);
    assert.throws(() => hashMethods.hscan.build('h', 0, { count: 0 }), /HSCAN: count must be at least 1/);
    assert.throws(() => hashMethods.hscan.build('h', 0, { match: bad(5) }), /HSCAN: match must be/);
    assert.throws(() => hashMethods.hexpire.build('h', 10, []), /HEXPIRE: at least one field/);
    assert.throws(() => hashMethods.hexpire.build('h', 1.5, ['a']), /HEXPIRE: seconds must be an integer/);
    assert.throws(() => hashMethods.hexpire.build('h', 10, ['a'], { xx: true, gt: true }), /HEXPIRE: options xx, gt cannot be combined/);
    assert.throws(() => hashMethods.httl.build('h', bad(1)), /HTTL: fields must be a field or an array/);
    assert.throws(() => hashMethods.hgetex.build('h', 'a', { ex: 1, persist: true }), /HGETEX: ex, px, exat, pxat and persist exclude each other/);
    assert.throws(() => hashMethods.hsetex.build('h', { a: 1 }, { ex: 1, keepttl: true }), /HSETEX: ex, px, exat, pxat and keepttl/);
    assert.throws(() => hashMethods.hsetex.build('h', { a: 1 }, { fnx: true, fxx: true }), /HSETEX: fnx and fxx/);
    assert.throws(() => hashMethods.hsetex.build('h', { a: 1 }, { nx: true, xx: true }), /HSETEX: nx and xx/);
    assert.throws(() => hashMethods.hsetex.build('h', {}), /HSETEX: at least one field/);
    assert.throws(() => hashMethods.hgetdel.build(bad(undefined), ['a']), /HGETDEL: key/);
  });
});

/** Every HSCAN step until the cursor comes back '0'. */
async function scanAll(c: RedisClient, key: string, options?: { match?: string; count?: number }): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  let cursor = '0';
  do {
    const step = await c.hscan(key, cursor, options);
    assert.equal(typeof step.cursor, 'string');
    for (const e of step.entries) out.push([e.field, e.value]);
    cursor = step.cursor;
  } while (cursor !== '0');
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

commandSuite('hash commands', (t) => {
  it('HSET, HSETNX, HMSET, HGET, HMGET, HGETALL, HLEN, HSTRLEN, HEXISTS', async () => {
    const r = await t.both(async (c) => [
      await c.hset('h', 'a', 1),
      await c.hset('h', { a: 2, b: 'bee' }),
      await c.hset('h', new Map<string, string>([['c', 'sea']])),
      await c.hsetnx('h', 'a', 'x'),
      await c.hsetnx('h', 'd', 'dee'),
      await c.hmset('h', { e: 5 }),
      await c.hmset('h', 'f', 6),
      await c.hget('h', 'a'),
      await c.hget('h', 'missing'),
      await c.hget('nokey', 'a'),
      await c.hmget('h', 'a', 'missing', 'b'),
      await c.hgetall('h'),
      await c.hgetall('nokey'),
      await c.hlen('h'),
      await c.hstrlen('h', 'b'),
      await c.hstrlen('h', 'missing'),
      await c.hexists('h', 'a'),
      await c.hexists('h', 'missing'),
    ]);
    assert.deepEqual(r, [
      1, 1, 1, false, true, 'OK', 'OK', '2', null, null, ['2', null, 'bee'],
      { a: '2', b: 'bee', c: 'sea', d: 'dee', e: '5', f: '6' }, {}, 6, 3, 0, true, false,
    ]);
  });

  it('HDEL, HKEYS, HVALS, HINCRBY, HINCRBYFLOAT', async () => {
    const r = await t.both(async (c) => {
      await c.hset('h', { a: 1, b: 2, c: 3 });
      return [
        await c.hdel('h', 'a', 'missing'),
        await c.hkeys('h'),
        await c.hvals('h'),
        await c.hkeys('nokey'),
        await c.hincrby('h', 'b', 40),
        await c.hincrby('h', 'new', -1),
        await c.hincrbyfloat('h', 'c', 0.5),
        await c.hincrbyfloat('h', 'f', -2.25),
        await c.hincrbyfloat('h', 'f', 1e3),
      ];
    });
    assert.deepEqual(r, [1, ['b', 'c'], ['2', '3'], [], 42, -1, 3.5, -2.25, 997.75]);
  });

  it('HRANDFIELD without a count, with one, and WITHVALUES', async () => {
    const r = await t.both(async (c) => {
      await c.hset('h', { a: 1, b: 2, c: 3 });
      await c.hset('one', 'f', 'v');
      return [
        ['a', 'b', 'c'].includes((await c.hrandfield('h'))!),
        await c.hrandfield('nokey'),
        (await c.hrandfield('h', 10)).sort(),
        await c.hrandfield('one', -3),
        (await c.hrandfield('h', 3, { withvalues: true })).sort((x, y) => (x.field < y.field ? -1 : 1)),
        await c.hrandfield('one', -2, { withvalues: true }),
        await c.hrandfield('nokey', 2, { withvalues: true }),
        await c.hrandfield('one', 1, { withvalues: false }),
      ];
    });
    assert.deepEqual(r, [
      true,
      null,
      ['a', 'b', 'c'],
      ['f', 'f', 'f'],
      [{ field: 'a', value: '1' }, { field: 'b', value: '2' }, { field: 'c', value: '3' }],
      [{ field: 'f', value: 'v' }, { field: 'f', value: 'v' }],
      [],
      ['f'],
    ]);
  });

  it('HSCAN over a small and a large hash, with MATCH and COUNT', async () => {
    const big: Record<string, string> = {};
    for (let i = 0; i < 300; i++) big[`f${String(i).padStart(3, '0')}`] = `v${i}`;
    const r = await t.both(async (c) => {
      await c.hset('small', { a: '1', b: '2' });
      await c.hset('big', big);
      return [
        await c.hscan('small', 0),
        await c.hscan('nokey', '0'),
        await scanAll(c, 'big', { count: 50 }),
        await scanAll(c, 'big', { match: 'f00*' }),
      ];
    });
    assert.deepEqual(r[0], { cursor: '0', entries: [{ field: 'a', value: '1' }, { field: 'b', value: '2' }] });
    assert.deepEqual(r[1], { cursor: '0', entries: [] });
    assert.deepEqual(r[2], Object.entries(big));
    assert.deepEqual(r[3], Object.entries(big).slice(0, 10));
  });

  it('HSCAN NOVALUES (Valkey 8; Redis 7.0 refuses it)', async () => {
    if (t.kind === 'redis') {
      await t.client(3).hset('h', 'f', 'v');
      await assert.rejects(t.client(3).hscan('h', 0, { novalues: true }), ResponseError);
      return;
    }
    const r = await t.both(async (c) => {
      await c.hset('h', { a: '1', NOVALUES: '2' });
      return [await c.hscan('h', 0, { novalues: true }), await c.hscan('h', 0, { match: 'NOVALUES' })];
    });
    assert.deepEqual(r, [{ cursor: '0', fields: ['a', 'NOVALUES'] }, { cursor: '0', entries: [{ field: 'NOVALUES', value: '2' }] }]);
  });

  it('gives Buffers from a withBuffers() view; HGETALL as a Map keyed by the field bytes', async () => {
    const bytes = Buffer.from([0, 255, 7]);
    const r = await t.both(async (c) => {
      const b = c.withBuffers();
      await b.hset('h', 'f', bytes);
      return [
        await b.hget('h', 'f'),
        await b.hgetall('h'),
        await b.hmget('h', 'f', 'x'),
        await b.hkeys('h'),
        await b.hrandfield('h', 1, { withvalues: true }),
        await b.hscan('h', 0),
        await b.hincrbyfloat('n', 'x', 1.5),
      ];
    });
    assert.deepEqual(r, [
      bytes,
      new Map([[Buffer.from('f'), bytes]]),
      [bytes, null],
      [Buffer.from('f')],
      [{ field: Buffer.from('f'), value: bytes }],
      { cursor: '0', entries: [{ field: Buffer.from('f'), value: bytes }] },
      1.5,
    ]);
  });

  it('rejects bad arguments before sending, and server errors as errors', async () => {
    const c = t.client(2);
    await assert.rejects(c.hset('h', {}), DataError);
    await assert.rejects(c.hexpire('h', 10, []), DataError);
    await c.set('str', 'x');
    await assert.rejects(c.hget('str', 'f'), /WRONGTYPE/);
    await c.hset('h', 'f', 'not a number');
    await assert.rejects(c.hincrby('h', 'f', 1), /not an integer/);
    // Newer than these servers: the call is built and sent, and the server says it does not know it.
    await assert.rejects(c.httl('h', ['f']), /unknown command/);
  });
});
