import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient, DataError, type RedisClient } from '../../src/index.js';
import { listMethods } from '../../src/commands/lists.js';
import { commandSuite } from './helpers.js';

/** Arguments TypeScript would refuse, for the runtime checks. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bad = (v: unknown): any => v;

/** Resolves once the server counts `n` blocked clients: the blocking call has surely arrived. */
async function blockedClients(c: RedisClient, n: number): Promise<void> {
  for (;;) {
    const info = await c.info('clients');
    if (info['clients']?.['blocked_clients'] === n) return;
    await new Promise((r) => setImmediate(r));
  }
}

describe('list commands: argv', () => {
  it('builds the pushes, pops and moves', () => {
    assert.deepEqual(listMethods.lpush.build('l', 'a', 1, Buffer.from('b')), ['LPUSH', 'l', 'a', 1, Buffer.from('b')]);
    assert.deepEqual(listMethods.rpushx.build('l', 'a'), ['RPUSHX', 'l', 'a']);
    assert.deepEqual(listMethods.lpop.build('l'), ['LPOP', 'l']);
    assert.deepEqual(listMethods.rpop.build('l', 3), ['RPOP', 'l', 3]);
    assert.deepEqual(listMethods.lmove.build('a', 'b', 'LEFT', 'RIGHT'), ['LMOVE', 'a', 'b', 'LEFT', 'RIGHT']);
    assert.deepEqual(listMethods.blmove.build('a', 'b', 'RIGHT', 'LEFT', 0.5), ['BLMOVE', 'a', 'b', 'RIGHT', 'LEFT', 0.5]);
    assert.deepEqual(listMethods.brpoplpush.build('a', 'b', 0), ['BRPOPLPUSH', 'a', 'b', 0]);
    assert.deepEqual(listMethods.linsert.build('l', 'BEFORE', 'p', 'x'), ['LINSERT', 'l', 'BEFORE', 'p', 'x']);
  });

  it('builds LPOS, LMPOP, BLMPOP, BLPOP with their options', () => {
    assert.deepEqual(listMethods.lpos.build('l', 'x'), ['LPOS', 'l', 'x']);
    assert.deepEqual(listMethods.lpos.build('l', 'x', { rank: -1, count: 0, maxlen: 10 }), ['LPOS', 'l', 'x', 'RANK', -1, 'COUNT', 0, 'MAXLEN', 10]);
    assert.deepEqual(listMethods.lmpop.build('a', 'LEFT'), ['LMPOP', 1, 'a', 'LEFT']);
    assert.deepEqual(listMethods.lmpop.build(['a', 'b'], 'RIGHT', { count: 2 }), ['LMPOP', 2, 'a', 'b', 'RIGHT', 'COUNT', 2]);
    assert.deepEqual(listMethods.blmpop.build(1.5, ['a', 'b'], 'LEFT'), ['BLMPOP', 1.5, 2, 'a', 'b', 'LEFT']);
    assert.deepEqual(listMethods.blpop.build('a', 0), ['BLPOP', 'a', 0]);
    assert.deepEqual(listMethods.brpop.build(['a', 'b'], 0.1), ['BRPOP', 'a', 'b', 0.1]);
  });

  it('gives the block time of each blocking command in ms (0: forever)', () => {
    const ms = (def: { info: { blockMs?: (argv: ReadonlyArray<string | number | Buffer>) => number | undefined } }, argv: Array<string | number>) =>
      def.info.blockMs!(argv);
    assert.equal(ms(listMethods.blpop, ['BLPOP', 'a', 'b', 1.5]), 1500);
    assert.equal(ms(listMethods.brpop, ['BRPOP', 'a', 0]), 0);
    assert.equal(ms(listMethods.blmove, ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT', '0.25']), 250);
    assert.equal(ms(listMethods.brpoplpush, ['BRPOPLPUSH', 'a', 'b', 2]), 2000);
    assert.equal(ms(listMethods.blmpop, ['BLMPOP', 0.001, 1, 'a', 'LEFT']), 1);
  });

  it('refuses bad arguments, naming the command and the argument', () => {
    assert.throws(() => listMethods.lpush.build('l'), /LPUSH: at least one value is required/);
    assert.throws(() => listMethods.lpush.build(bad(1), 'a'), /LPUSH: key must be a string or Buffer, got number/);
    assert.throws(() => listMethods.lindex.build('l', bad('1')), /LINDEX: index must be an integer/);
    assert.throws(() => listMethods.linsert.build('l', bad('before'), 'p', 'x'), /LINSERT: where must be one of BEFORE, AFTER/);
    assert.throws(() => listMethods.lmove.build('a', 'b', bad('UP'), 'LEFT'), /LMOVE: wherefrom must be one of LEFT, RIGHT/);
    assert.throws(() => listMethods.blmove.build('a', 'b', 'LEFT', 'LEFT', -1), /BLMOVE: timeout must be a number of seconds >= 0/);
    assert.throws(() => listMethods.blpop.build('a', bad(undefined)), /BLPOP: timeout/);
    assert.throws(() => listMethods.blpop.build([], 1), /BLPOP: at least one key/);
    assert.throws(() => listMethods.blpop.build([bad(3)], 1), /BLPOP: key must be/);
    assert.throws(() => listMethods.lmpop.build(['a'], 'LEFT', { count: 0 }), /LMPOP: count must be at least 1/);
    assert.throws(() => listMethods.lpos.build('l', 'x', { rank: 0 }), /LPOS: rank must not be 0/);
    assert.throws(() => listMethods.lpos.build('l', 'x', bad('RANK')), /LPOS: options must be an object/);
    assert.throws(() => listMethods.lrem.build('l', 1, bad(null)), DataError);
    assert.throws(() => listMethods.lset.build('l', 1.5, 'x'), /LSET: index must be an integer/);
    assert.throws(() => listMethods.ltrim.build('l', 0, bad(undefined)), /LTRIM: stop/);
    assert.throws(() => listMethods.rpop.build('l', bad('2')), /RPOP: count must be an integer/);
  });
});

commandSuite('list commands', (t) => {
  it('LPUSH, RPUSH, LPUSHX, RPUSHX, LLEN, LRANGE, LINDEX', async () => {
    const r = await t.both(async (c) => [
      await c.lpushx('l', 'a'),
      await c.rpush('l', 'b', 'c'),
      await c.lpush('l', 'a', 0),
      await c.rpushx('l', 'd'),
      await c.lpushx('l', 'z'),
      await c.llen('l'),
      await c.llen('missing'),
      await c.lrange('l', 0, -1),
      await c.lrange('l', -2, -1),
      await c.lindex('l', 1),
      await c.lindex('l', -1),
      await c.lindex('l', 99),
    ]);
    assert.deepEqual(r, [0, 2, 4, 5, 6, 6, 0, ['z', '0', 'a', 'b', 'c', 'd'], ['c', 'd'], '0', 'd', null]);
  });

  it('LINSERT, LSET, LREM, LTRIM', async () => {
    const r = await t.both(async (c) => {
      await c.rpush('l', 'a', 'x', 'b', 'x', 'c', 'x');
      return [
        await c.linsert('l', 'BEFORE', 'b', 'before-b'),
        await c.linsert('l', 'AFTER', 'c', 'after-c'),
        await c.linsert('l', 'AFTER', 'nope', 'y'),
        await c.linsert('missing', 'AFTER', 'a', 'y'),
        await c.lset('l', 0, 'A'),
        await c.lrem('l', -1, 'x'),
        await c.lrem('l', 0, 'x'),
        await c.lrange('l', 0, -1),
        await c.ltrim('l', 1, -2),
        await c.lrange('l', 0, -1),
      ];
    });
    assert.deepEqual(r, [7, 8, -1, 0, 'OK', 1, 2, ['A', 'before-b', 'b', 'c', 'after-c'], 'OK', ['before-b', 'b', 'c']]);
  });

  it('LPOP and RPOP, with and without a count', async () => {
    const r = await t.both(async (c) => {
      await c.rpush('l', 1, 2, 3, 4, 5);
      return [
        await c.lpop('l'),
        await c.rpop('l'),
        await c.lpop('l', 2),
        await c.rpop('l', 5),
        await c.lpop('l'),
        await c.lpop('l', 2),
        await c.rpop('missing', 1),
      ];
    });
    assert.deepEqual(r, ['1', '5', ['2', '3'], ['4'], null, null, null]);
  });

  it('LPOS with RANK, COUNT and MAXLEN', async () => {
    const r = await t.both(async (c) => {
      await c.rpush('l', 'a', 'b', 'c', 'b', 'b');
      return [
        await c.lpos('l', 'b'),
        await c.lpos('l', 'b', { rank: 2 }),
        await c.lpos('l', 'b', { rank: -1 }),
        await c.lpos('l', 'z'),
        await c.lpos('l', 'b', { count: 0 }),
        await c.lpos('l', 'b', { count: 2, rank: -1 }),
        await c.lpos('l', 'b', { count: 0, maxlen: 2 }),
        await c.lpos('missing', 'b', { count: 1 }),
      ];
    });
    assert.deepEqual(r, [1, 3, 4, null, [1, 3, 4], [4, 3], [1], []]);
  });

  it('LMOVE, RPOPLPUSH and LMPOP', async () => {
    const r = await t.both(async (c) => {
      await c.rpush('a', 1, 2, 3);
      return [
        await c.lmove('a', 'b', 'LEFT', 'RIGHT'),
        await c.lmove('a', 'b', 'RIGHT', 'LEFT'),
        await c.rpoplpush('a', 'b'),
        await c.rpoplpush('a', 'b'),
        await c.lmove('empty', 'b', 'LEFT', 'LEFT'),
        await c.lrange('b', 0, -1),
        await c.lmpop(['empty', 'b'], 'LEFT'),
        await c.lmpop(['empty', 'b'], 'RIGHT', { count: 10 }),
        await c.lmpop('b', 'LEFT'),
      ];
    });
    assert.deepEqual(r, ['1', '3', '2', null, null, ['2', '3', '1'], { key: 'b', elements: ['2'] }, { key: 'b', elements: ['1', '3'] }, null]);
  });

  it('BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP: immediate pops and timeouts', async () => {
    const r = await t.both(async (c) => {
      await c.rpush('q', 'a', 'b', 'c', 'd', 'e', 'f');
      return [
        await c.blpop(['empty', 'q'], 1),
        await c.brpop('q', 0),
        await c.blmove('q', 'dst', 'LEFT', 'LEFT', 1),
        await c.brpoplpush('q', 'dst', 1),
        await c.blmpop(1, ['empty', 'q'], 'LEFT', { count: 5 }),
        await c.blpop('empty', 0.05),
        await c.brpop(['empty', 'empty2'], 0.05),
        await c.blmove('empty', 'dst', 'RIGHT', 'RIGHT', 0.05),
        await c.brpoplpush('empty', 'dst', 0.05),
        await c.blmpop(0.05, 'empty', 'RIGHT'),
        await c.lrange('dst', 0, -1),
      ];
    });
    assert.deepEqual(r, [
      { key: 'q', element: 'a' },
      { key: 'q', element: 'f' },
      'b',
      'e',
      { key: 'q', elements: ['c', 'd'] },
      null,
      null,
      null,
      null,
      null,
      ['e', 'b'],
    ]);
  });

  it('BLPOP wakes up when another client pushes', async () => {
    const r = await t.both(async (c, protocol) => {
      const other = t.client(protocol === 2 ? 3 : 2);
      const popped = c.blpop(['q1', 'q2'], 0);
      await blockedClients(other, 1);
      await other.rpush('q2', 'hello');
      const first = await popped;
      const moved = c.blmpop(0, 'q3', 'RIGHT');
      await blockedClients(other, 1);
      await other.rpush('q3', 'x', 'y');
      return [first, await moved];
    });
    assert.deepEqual(r, [{ key: 'q2', element: 'hello' }, { key: 'q3', elements: ['y'] }]);
  });

  it("a blocking call waits its timeout beyond the client's commandTimeout", async () => {
    // The server checks timeouts about every 100 ms (hz 10), so the reply comes 300-400 ms after the call.
    const c = await createClient({ port: t.server().port, commandTimeout: 150 }).connect();
    try {
      assert.equal(await c.blpop('never', 0.3), null);
      assert.equal(await c.blmpop(0.3, 'never', 'LEFT'), null);
    } finally {
      c.disconnect();
    }
  });

  it('gives Buffers from a withBuffers() view', async () => {
    const bytes = Buffer.from([0, 255, 1]);
    const r = await t.both(async (c) => {
      const b = c.withBuffers();
      await b.rpush('l', bytes, 'x');
      return [await b.lrange('l', 0, 0), await b.blpop('l', 1), await b.lmpop('l', 'LEFT')];
    });
    assert.deepEqual(r, [[bytes], { key: Buffer.from('l'), element: bytes }, { key: Buffer.from('l'), elements: [Buffer.from('x')] }]);
  });

  it('rejects bad arguments before sending, and server errors as errors', async () => {
    const c = t.client(3);
    await assert.rejects(c.lpush('l'), DataError);
    await assert.rejects(c.blpop('l', bad('1')), /BLPOP: timeout/);
    await c.set('str', 'x');
    await assert.rejects(c.lpush('str', 'a'), /WRONGTYPE/);
    await assert.rejects(c.lset('missing', 0, 'x'), /no such key/);
  });
});
