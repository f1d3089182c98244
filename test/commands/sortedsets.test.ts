import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError, ResponseError, type RedisClient } from '../../src/index.js';
import { sortedSetMethods } from '../../src/commands/sortedsets.js';
import { commandSuite } from './helpers.js';

/** Arguments TypeScript would refuse, for the runtime checks. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bad = (v: unknown): any => v;

const m = (member: string, score: number) => ({ member, score });

describe('sorted set commands: argv', () => {
  it('builds ZADD with every flag, from one member, an array or a Map', () => {
    const z = sortedSetMethods.zadd;
    assert.deepEqual(z.build('z', { score: 1, member: 'a' }), ['ZADD', 'z', 1, 'a']);
    assert.deepEqual(z.build('z', [{ score: 1.5, member: 'a' }, { score: -Infinity, member: 2 }]), ['ZADD', 'z', 1.5, 'a', '-inf', 2]);
    assert.deepEqual(z.build('z', new Map([['a', Infinity]])), ['ZADD', 'z', '+inf', 'a']);
    assert.deepEqual(z.build('z', [{ score: 1, member: 'a' }], { nx: true, ch: true }), ['ZADD', 'z', 'NX', 'CH', 1, 'a']);
    assert.deepEqual(z.build('z', { score: 1, member: 'a' }, { xx: true, gt: true, ch: true, incr: true }), ['ZADD', 'z', 'XX', 'GT', 'CH', 'INCR', 1, 'a']);
    assert.deepEqual(z.build('z', { score: 1, member: 'a' }, { lt: true }), ['ZADD', 'z', 'LT', 1, 'a']);
  });

  it('builds ZRANGE in its index, BYSCORE and BYLEX forms', () => {
    const z = sortedSetMethods.zrange;
    assert.deepEqual(z.build('z', 0, -1), ['ZRANGE', 'z', 0, -1]);
    assert.deepEqual(z.build('z', 0, -1, { rev: true, withscores: true }), ['ZRANGE', 'z', 0, -1, 'REV', 'WITHSCORES']);
    assert.deepEqual(z.build('z', -Infinity, '(5', { byscore: true, limit: { offset: 1, count: 2 }, withscores: true }), [
      'ZRANGE', 'z', '-inf', '(5', 'BYSCORE', 'LIMIT', 1, 2, 'WITHSCORES',
    ]);
    assert.deepEqual(z.build('z', '+', '[b', { bylex: true, rev: true, limit: { offset: 0, count: -1 } }), [
      'ZRANGE', 'z', '+', '[b', 'BYLEX', 'REV', 'LIMIT', 0, -1,
    ]);
    assert.deepEqual(sortedSetMethods.zrangestore.build('dst', 'src', 1, 2, { byscore: true }), ['ZRANGESTORE', 'dst', 'src', 1, 2, 'BYSCORE']);
  });

  it('builds the older range commands with LIMIT and WITHSCORES', () => {
    assert.deepEqual(sortedSetMethods.zrangebyscore.build('z', 1, Infinity, { withscores: true, limit: { offset: 0, count: 3 } }), [
      'ZRANGEBYSCORE', 'z', 1, '+inf', 'LIMIT', 0, 3, 'WITHSCORES',
    ]);
    assert.deepEqual(sortedSetMethods.zrevrangebyscore.build('z', '(9', '-inf'), ['ZREVRANGEBYSCORE', 'z', '(9', '-inf']);
    assert.deepEqual(sortedSetMethods.zrangebylex.build('z', '-', '+', { limit: { offset: 2, count: 2 } }), ['ZRANGEBYLEX', 'z', '-', '+', 'LIMIT', 2, 2]);
    assert.deepEqual(sortedSetMethods.zrevrangebylex.build('z', '+', '(a'), ['ZREVRANGEBYLEX', 'z', '+', '(a']);
    assert.deepEqual(sortedSetMethods.zrevrange.build('z', 0, 1, { withscores: true }), ['ZREVRANGE', 'z', 0, 1, 'WITHSCORES']);
  });

  it('builds the numkeys commands with WEIGHTS, AGGREGATE, LIMIT, COUNT', () => {
    assert.deepEqual(sortedSetMethods.zunion.build(['a', 'b'], { weights: [1, 2.5], aggregate: 'MAX', withscores: true }), [
      'ZUNION', 2, 'a', 'b', 'WEIGHTS', 1, 2.5, 'AGGREGATE', 'MAX', 'WITHSCORES',
    ]);
    assert.deepEqual(sortedSetMethods.zinter.build('a'), ['ZINTER', 1, 'a']);
    assert.deepEqual(sortedSetMethods.zinterstore.build('dst', ['a', 'b'], { aggregate: 'MIN' }), ['ZINTERSTORE', 'dst', 2, 'a', 'b', 'AGGREGATE', 'MIN']);
    assert.deepEqual(sortedSetMethods.zunionstore.build('dst', ['a'], { weights: [Infinity] }), ['ZUNIONSTORE', 'dst', 1, 'a', 'WEIGHTS', '+inf']);
    assert.deepEqual(sortedSetMethods.zdiff.build(['a', 'b'], { withscores: true }), ['ZDIFF', 2, 'a', 'b', 'WITHSCORES']);
    assert.deepEqual(sortedSetMethods.zdiffstore.build('dst', ['a', 'b']), ['ZDIFFSTORE', 'dst', 2, 'a', 'b']);
    assert.deepEqual(sortedSetMethods.zintercard.build(['a', 'b'], { limit: 5 }), ['ZINTERCARD', 2, 'a', 'b', 'LIMIT', 5]);
    assert.deepEqual(sortedSetMethods.zmpop.build(['a', 'b'], 'MIN', { count: 3 }), ['ZMPOP', 2, 'a', 'b', 'MIN', 'COUNT', 3]);
    assert.deepEqual(sortedSetMethods.bzmpop.build(0.5, 'a', 'MAX'), ['BZMPOP', 0.5, 1, 'a', 'MAX']);
    assert.deepEqual(sortedSetMethods.bzpopmin.build(['a', 'b'], 0), ['BZPOPMIN', 'a', 'b', 0]);
    assert.deepEqual(sortedSetMethods.bzpopmax.build('a', 2), ['BZPOPMAX', 'a', 2]);
  });

  it('builds ZRANK WITHSCORE, ZRANDMEMBER, ZSCAN NOSCORES, ZINCRBY', () => {
    assert.deepEqual(sortedSetMethods.zrank.build('z', 'a', { withscore: true }), ['ZRANK', 'z', 'a', 'WITHSCORE']);
    assert.deepEqual(sortedSetMethods.zrevrank.build('z', 'a'), ['ZREVRANK', 'z', 'a']);
    assert.deepEqual(sortedSetMethods.zrandmember.build('z', -2, { withscores: true }), ['ZRANDMEMBER', 'z', -2, 'WITHSCORES']);
    assert.deepEqual(sortedSetMethods.zscan.build('z', 7, { match: '*', noscores: true }), ['ZSCAN', 'z', 7, 'MATCH', '*', 'NOSCORES']);
    assert.deepEqual(sortedSetMethods.zincrby.build('z', -Infinity, 'a'), ['ZINCRBY', 'z', '-inf', 'a']);
  });

  it('gives the block time of BZPOPMIN, BZPOPMAX, BZMPOP in ms (0: forever)', () => {
    assert.equal(sortedSetMethods.bzpopmin.info.blockMs!(['BZPOPMIN', 'a', 'b', 0.75]), 750);
    assert.equal(sortedSetMethods.bzpopmax.info.blockMs!(['BZPOPMAX', 'a', 0]), 0);
    assert.equal(sortedSetMethods.bzmpop.info.blockMs!(['BZMPOP', 3, 1, 'a', 'MIN']), 3000);
  });

  it('reads WITHSCORES replies by the argv, not by a key or member that looks like the flag', () => {
    const plain = sortedSetMethods.zrange.variant!(['ZRANGE', 'z', 0, -1]);
    const scored = sortedSetMethods.zrange.variant!(['ZRANGE', 'z', 0, -1, 'WITHSCORES']);
    assert.notEqual(plain.transform, scored.transform);
    assert.equal(sortedSetMethods.zdiff.variant!(['ZDIFF', 2, 'a', 'WITHSCORES']).transform, sortedSetMethods.zdiff.variant!(['ZDIFF', 1, 'a']).transform);
    assert.notEqual(sortedSetMethods.zdiff.variant!(['ZDIFF', 1, 'WITHSCORES', 'WITHSCORES']).transform, sortedSetMethods.zdiff.variant!(['ZDIFF', 1, 'a']).transform);
    assert.equal(sortedSetMethods.zrandmember.variant!(['ZRANDMEMBER', 'WITHSCORES']).transform, sortedSetMethods.zrandmember.variant!(['ZRANDMEMBER', 'z', 1]).transform);
    assert.equal(sortedSetMethods.zrank.variant!(['ZRANK', 'z', 'WITHSCORE']).transform, sortedSetMethods.zrank.variant!(['ZRANK', 'z', 'a']).transform);
    assert.equal(sortedSetMethods.zscan.variant!(['ZSCAN', 'z', 0, 'MATCH', 'NOSCORES']).transform, sortedSetMethods.zscan.variant!(['ZSCAN', 'z', 0]).transform);
  });

  it('refuses bad arguments, naming the command and the argument', () => {
    const z = sortedSetMethods;
    assert.throws(() => z.zadd.build('z', []), /ZADD: at least one member is required/);
    assert.throws(() => z.zadd.build('z', bad({ a: 1 })), /ZADD: members must be/);
    assert.throws(() => z.zadd.build('z', [{ score: NaN, member: 'a' }]), /ZADD: score must not be NaN/);
    assert.throws(() => z.zadd.build('z', [{ score: bad('1'), member: 'a' }]), /ZADD: score must be a number, got string/);
    assert.throws(() => z.zadd.build('z', [{ score: 1, member: bad(null) }]), /ZADD: member must be/);
    assert.throws(() => z.zadd.build('z', { score: 1, member: 'a' }, { nx: true, xx: true }), /ZADD: nx and xx/);
    assert.throws(() => z.zadd.build('z', { score: 1, member: 'a' }, { nx: true, gt: true }), /ZADD: nx excludes gt and lt/);
    assert.throws(() => z.zadd.build('z', { score: 1, member: 'a' }, { gt: true, lt: true }), /ZADD: gt and lt/);
    assert.throws(() => z.zadd.build('z', [m('a', 1), m('b', 2)], { incr: true }), /ZADD: incr takes exactly one member/);
    assert.throws(() => z.zrange.build('z', 0, bad('x')), /ZRANGE: stop must be an integer/);
    assert.throws(() => z.zrange.build('z', 0, 1, { byscore: true, bylex: true }), /ZRANGE: byscore and bylex/);
    assert.throws(() => z.zrange.build('z', 0, 1, { limit: { offset: 0, count: 1 } }), /ZRANGE: limit needs byscore or bylex/);
    assert.throws(() => z.zrange.build('z', '-', '+', { bylex: true, withscores: true }), /ZRANGE: withscores cannot go with bylex/);
    assert.throws(() => z.zrange.build('z', bad(1), '+', { bylex: true }), /ZRANGE: start must be a string or Buffer/);
    assert.throws(() => z.zrangebyscore.build('z', 0, 1, { limit: { offset: bad('0'), count: 1 } }), /ZRANGEBYSCORE: limit.offset/);
    assert.throws(() => z.zrangestore.build('d', 's', 0, 1, bad({ withscores: true })), /ZRANGESTORE: withscores is not an option/);
    assert.throws(() => z.zcount.build('z', bad(null), 1), /ZCOUNT: min must be a number or a score bound/);
    assert.throws(() => z.zunion.build(['a', 'b'], { weights: [1] }), /ZUNION: weights must be an array with one number per key \(2\)/);
    assert.throws(() => z.zunion.build(['a'], { aggregate: bad('AVG') }), /ZUNION: aggregate must be one of SUM, MIN, MAX/);
    assert.throws(() => z.zinterstore.build('d', []), /ZINTERSTORE: at least one key/);
    assert.throws(() => z.zmpop.build('a', bad('min')), /ZMPOP: where must be one of MIN, MAX/);
    assert.throws(() => z.bzpopmin.build('a', -1), /BZPOPMIN: timeout/);
    assert.throws(() => z.bzmpop.build(bad('1'), 'a', 'MIN'), /BZMPOP: timeout/);
    assert.throws(() => z.zincrby.build('z', bad('1'), 'a'), /ZINCRBY: increment must be a number/);
    assert.throws(() => z.zrandmember.build('z', undefined, { withscores: true }), /ZRANDMEMBER: withscores needs a count/);
    assert.throws(() => z.zpopmin.build('z', 1.5), /ZPOPMIN: count must be an integer/);
    assert.throws(() => z.zmscore.build('z'), /ZMSCORE: at least one member/);
    assert.throws(() => z.zscan.build('z', 'x'), /ZSCAN: cursor/);
  });
});

async function scanAll(c: RedisClient, key: string, count: number): Promise<Array<{ member: string; score: number }>> {
  const out: Array<{ member: string; score: number }> = [];
  let cursor = '0';
  do {
    const step = await c.zscan(key, cursor, { count });
    out.push(...step.entries);
    cursor = step.cursor;
  } while (cursor !== '0');
  return out.sort((a, b) => a.score - b.score);
}

commandSuite('sorted set commands', (t) => {
  it('ZADD with its flags and INCR, ZINCRBY, ZSCORE, ZMSCORE, ZCARD, ZREM', async () => {
    const r = await t.both(async (c) => [
      await c.zadd('z', [m('a', 1), m('b', 2), m('c', 3)]),
      await c.zadd('z', m('a', 10), { nx: true }),
      await c.zadd('z', [m('a', 5), m('d', 4)], { xx: true, ch: true }),
      await c.zadd('z', new Map<string, number>([['b', 1], ['c', 30]]), { gt: true, ch: true }),
      await c.zadd('z', m('a', 2), { incr: true }),
      await c.zadd('z', m('a', 1), { incr: true, nx: true }),
      await c.zadd('z', m('inf', Infinity)),
      await c.zincrby('z', 0.5, 'b'),
      await c.zincrby('z', -1, 'new'),
      await c.zscore('z', 'a'),
      await c.zscore('z', 'inf'),
      await c.zscore('z', 'missing'),
      await c.zmscore('z', 'a', 'missing', 'c'),
      await c.zcard('z'),
      await c.zrem('z', 'new', 'missing'),
      await c.zcard('nokey'),
    ]);
    assert.deepEqual(r, [3, 0, 1, 1, 7, null, 1, 2.5, -1, 7, Infinity, null, [7, null, 30], 5, 1, 0]);
  });

  it('ZRANGE by index, score and lex, REV, LIMIT, WITHSCORES; ZRANGESTORE', async () => {
    const r = await t.both(async (c) => {
      await c.zadd('z', [m('a', 1), m('b', 2), m('c', 3), m('d', -Infinity)]);
      await c.zadd('lex', [m('a', 0), m('b', 0), m('c', 0), m('d', 0)]);
      return [
        await c.zrange('z', 0, -1),
        await c.zrange('z', 0, 1, { withscores: true }),
        await c.zrange('z', 0, 0, { rev: true, withscores: true }),
        await c.zrange('z', '(1', Infinity, { byscore: true }),
        await c.zrange('z', '+inf', -Infinity, { byscore: true, rev: true, limit: { offset: 1, count: 2 }, withscores: true }),
        await c.zrange('lex', '[b', '+', { bylex: true }),
        await c.zrange('lex', '+', '-', { bylex: true, rev: true, limit: { offset: 0, count: 2 } }),
        await c.zrange('z', 0, -1, { withscores: false }),
        await c.zrange('nokey', 0, -1, { withscores: true }),
        await c.zrangestore('dst', 'z', 1, 3, { byscore: true }),
        await c.zrange('dst', 0, -1, { withscores: true }),
      ];
    });
    assert.deepEqual(r, [
      ['d', 'a', 'b', 'c'],
      [m('d', -Infinity), m('a', 1)],
      [m('c', 3)],
      ['b', 'c'],
      [m('b', 2), m('a', 1)],
      ['b', 'c', 'd'],
      ['d', 'c'],
      ['d', 'a', 'b', 'c'],
      [],
      3,
      [m('a', 1), m('b', 2), m('c', 3)],
    ]);
  });

  it('ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX, ZREVRANGE, ZCOUNT, ZLEXCOUNT', async () => {
    const r = await t.both(async (c) => {
      await c.zadd('z', [m('a', 1), m('b', 2), m('c', 3)]);
      await c.zadd('lex', [m('a', 0), m('b', 0), m('c', 0)]);
      return [
        await c.zrangebyscore('z', 2, '+inf'),
        await c.zrangebyscore('z', -Infinity, Infinity, { withscores: true, limit: { offset: 1, count: 1 } }),
        await c.zrevrangebyscore('z', '(3', 0, { withscores: true }),
        await c.zrevrangebyscore('z', 3, 0, { limit: { offset: 0, count: 1 } }),
        await c.zrangebylex('lex', '(a', '+'),
        await c.zrangebylex('lex', '-', '+', { limit: { offset: 1, count: 5 } }),
        await c.zrevrangebylex('lex', '[b', '-'),
        await c.zrevrange('z', 0, 1),
        await c.zrevrange('z', 0, 0, { withscores: true }),
        await c.zcount('z', '(1', Infinity),
        await c.zcount('z', -Infinity, 2),
        await c.zlexcount('lex', '[b', '+'),
        await c.zlexcount('lex', '-', '+'),
      ];
    });
    assert.deepEqual(r, [['b', 'c'], [m('b', 2)], [m('b', 2), m('a', 1)], ['c'], ['b', 'c'], ['b', 'c'], ['b', 'a'], ['c', 'b'], [m('c', 3)], 2, 2, 2, 3]);
  });

  it('ZRANK, ZREVRANK, ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX', async () => {
    const r = await t.both(async (c) => {
      await c.zadd('z', [m('a', 1), m('b', 2), m('c', 3), m('d', 4), m('e', 5)]);
      await c.zadd('lex', [m('a', 0), m('b', 0), m('c', 0)]);
      return [
        await c.zrank('z', 'a'),
        await c.zrevrank('z', 'a'),
        await c.zrank('z', 'missing'),
        await c.zremrangebyrank('z', 0, 0),
        await c.zremrangebyscore('z', '(4', Infinity),
        await c.zrange('z', 0, -1),
        await c.zremrangebylex('lex', '[a', '(c'),
        await c.zrange('lex', 0, -1),
      ];
    });
    assert.deepEqual(r, [0, 4, null, 1, 1, ['b', 'c', 'd'], 2, ['c']]);
  });

  it('ZRANK and ZREVRANK WITHSCORE (Valkey 8; Redis 7.0 refuses it)', async () => {
    if (t.kind === 'redis') {
      await assert.rejects(t.client(2).zrank('z', 'a', { withscore: true }), ResponseError);
      return;
    }
    const r = await t.both(async (c) => {
      await c.zadd('z', [m('a', 1.5), m('WITHSCORE', 2)]);
      return [
        await c.zrank('z', 'a', { withscore: true }),
        await c.zrevrank('z', 'a', { withscore: true }),
        await c.zrank('z', 'missing', { withscore: true }),
        await c.zrank('z', 'WITHSCORE'),
      ];
    });
    assert.deepEqual(r, [{ rank: 0, score: 1.5 }, { rank: 1, score: 1.5 }, null, 1]);
  });

  it('ZDIFF, ZINTER, ZUNION (weights, aggregate, scores), their STORE forms, ZINTERCARD', async () => {
    const r = await t.both(async (c) => {
      await c.zadd('a', [m('x', 1), m('y', 2), m('z', 3)]);
      await c.zadd('b', [m('y', 10), m('z', 20), m('w', 30)]);
      return [
        await c.zdiff(['a', 'b']),
        await c.zdiff(['a', 'b'], { withscores: true }),
        await c.zdiffstore('d', ['b', 'a']),
        await c.zinter(['a', 'b']),
        await c.zinter(['a', 'b'], { weights: [2, 1], withscores: true }),
        await c.zinter(['a', 'b'], { aggregate: 'MIN', withscores: true }),
        await c.zinterstore('i', ['a', 'b'], { aggregate: 'MAX' }),
        await c.zrange('i', 0, -1, { withscores: true }),
        await c.zunion(['a', 'b'], { withscores: true }),
        await c.zunion('a'),
        await c.zunionstore('u', ['a', 'b'], { weights: [1, 0] }),
        await c.zrange('u', 0, -1, { withscores: true }),
        await c.zintercard(['a', 'b']),
        await c.zintercard(['a', 'b'], { limit: 1 }),
      ];
    });
    assert.deepEqual(r, [
      ['x'],
      [m('x', 1)],
      1,
      ['y', 'z'],
      [m('y', 14), m('z', 26)],
      [m('y', 2), m('z', 3)],
      2,
      [m('y', 10), m('z', 20)],
      [m('x', 1), m('y', 12), m('z', 23), m('w', 30)],
      ['x', 'y', 'z'],
      4,
      [m('w', 0), m('x', 1), m('y', 2), m('z', 3)],
      2,
      1,
    ]);
  });

  it('ZPOPMIN, ZPOPMAX (one member or a count), ZMPOP', async () => {
    const r = await t.both(async (c) => {
      await c.zadd('z', [m('a', 1), m('b', 2), m('c', 3), m('d', 4), m('e', 5), m('f', 6)]);
      return [
        await c.zpopmin('z'),
        await c.zpopmax('z'),
        await c.zpopmin('z', 1),
        await c.zpopmax('z', 2),
        await c.zpopmin('nokey'),
        await c.zpopmax('nokey', 3),
        await c.zmpop(['nokey', 'z'], 'MIN'),
        await c.zmpop('z', 'MAX', { count: 5 }),
        await c.zmpop('z', 'MAX'),
      ];
    });
    assert.deepEqual(r, [
      m('a', 1),
      m('f', 6),
      [m('b', 2)],
      [m('e', 5), m('d', 4)],
      null,
      [],
      { key: 'z', members: [m('c', 3)] },
      null,
      null,
    ]);
  });

  it('BZPOPMIN, BZPOPMAX, BZMPOP: immediate pops, timeouts, and a wake-up', async () => {
    const r = await t.both(async (c, protocol) => {
      await c.zadd('z', [m('a', 1), m('b', 2), m('c', 3), m('d', 4)]);
      const immediate = [
        await c.bzpopmin(['nokey', 'z'], 1),
        await c.bzpopmax('z', 0),
        await c.bzmpop(1, ['nokey', 'z'], 'MIN', { count: 10 }),
        await c.bzpopmin('z', 0.05),
        await c.bzpopmax(['z', 'nokey'], 0.05),
        await c.bzmpop(0.05, 'z', 'MAX'),
      ];
      const other = t.client(protocol === 2 ? 3 : 2);
      const waiting = c.bzpopmax(['w1', 'w2'], 0);
      for (;;) {
        if ((await other.info('clients'))['clients']?.['blocked_clients'] === 1) break;
        await new Promise((res) => setImmediate(res));
      }
      await other.zadd('w2', m('late', -Infinity));
      return [...immediate, await waiting];
    });
    assert.deepEqual(r, [
      { key: 'z', member: 'a', score: 1 },
      { key: 'z', member: 'd', score: 4 },
      { key: 'z', members: [m('b', 2), m('c', 3)] },
      null,
      null,
      null,
      { key: 'w2', member: 'late', score: -Infinity },
    ]);
  });

  it('ZRANDMEMBER without a count, with one, and WITHSCORES', async () => {
    const r = await t.both(async (c) => {
      await c.zadd('z', [m('a', 1), m('b', 2)]);
      await c.zadd('one', m('x', 0.25));
      return [
        ['a', 'b'].includes((await c.zrandmember('z'))!),
        await c.zrandmember('nokey'),
        (await c.zrandmember('z', 5)).sort(),
        await c.zrandmember('one', -2),
        (await c.zrandmember('z', 2, { withscores: true })).sort((x, y) => x.score - y.score),
        await c.zrandmember('one', -2, { withscores: true }),
        await c.zrandmember('nokey', 2, { withscores: true }),
      ];
    });
    assert.deepEqual(r, [true, null, ['a', 'b'], ['x', 'x'], [m('a', 1), m('b', 2)], [m('x', 0.25), m('x', 0.25)], []]);
  });

  it('ZSCAN over a small and a large set; NOSCORES on Valkey', async () => {
    const big = Array.from({ length: 200 }, (_, i) => m(`m${i}`, i / 4));
    const r = await t.both(async (c) => {
      await c.zadd('small', [m('a', 1), m('b', Infinity)]);
      await c.zadd('big', big);
      return [await c.zscan('small', 0), await c.zscan('nokey', 0), await scanAll(c, 'big', 30)];
    });
    assert.deepEqual(r, [{ cursor: '0', entries: [m('a', 1), m('b', Infinity)] }, { cursor: '0', entries: [] }, big]);
    if (t.kind === 'valkey') {
      const members = await t.both(async (c) => {
        await c.zadd('small', [m('a', 1), m('b', 2)]);
        return c.zscan('small', 0, { noscores: true });
      });
      assert.deepEqual(members, { cursor: '0', members: ['a', 'b'] });
    }
  });

  it('gives Buffers from a withBuffers() view, scores still numbers', async () => {
    const bytes = Buffer.from([0, 200, 3]);
    const r = await t.both(async (c) => {
      const b = c.withBuffers();
      await b.zadd('z', [{ score: 1.5, member: bytes }]);
      return [
        await b.zrange('z', 0, -1, { withscores: true }),
        await b.zscore('z', bytes),
        await b.zpopmin('z'),
        await b.zadd('z', { score: 2, member: 'x' }, { incr: true }),
        await b.zscan('z', 0),
        await b.bzmpop(1, 'z', 'MIN'),
      ];
    });
    const x = Buffer.from('x');
    assert.deepEqual(r, [
      [{ member: bytes, score: 1.5 }],
      1.5,
      { member: bytes, score: 1.5 },
      2,
      { cursor: '0', entries: [{ member: x, score: 2 }] },
      { key: Buffer.from('z'), members: [{ member: x, score: 2 }] },
    ]);
  });

  it('reads replies by their options in pipelines and transactions too', async () => {
    const r = await t.both(async (c) => {
      await c.zadd('z', [m('a', 1), m('b', 2)]);
      const piped = await c.pipeline().zrange('z', 0, -1).zrange('z', 0, -1, { withscores: true }).zpopmin('z').exec();
      const multi = await c.multi().zrandmember('z', 1, { withscores: true }).zpopmax('z', 1).hrandfield('nokey', 1, { withvalues: true }).exec();
      return [piped, multi];
    });
    assert.deepEqual(r, [
      [['a', 'b'], [m('a', 1), m('b', 2)], m('a', 1)],
      [[m('b', 2)], [m('b', 2)], []],
    ]);
  });

  it('rejects bad arguments before sending, and server errors as errors', async () => {
    const c = t.client(2);
    await assert.rejects(c.zadd('z', []), DataError);
    await assert.rejects(c.zrange('z', 0, 1, { byscore: true, bylex: true }), DataError);
    await c.set('str', 'x');
    await assert.rejects(c.zadd('str', m('a', 1)), /WRONGTYPE/);
    await assert.rejects(c.zcount('z', 'abc', 1), /not a float/);
  });
});
