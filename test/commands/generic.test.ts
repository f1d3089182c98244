import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataError, ResponseError, createClient, type RedisClient } from '../../src/index.js';
import { genericMethods } from '../../src/commands/generic.js';
import { commandKeys } from '../../src/commands/registry.js';
import { useServer } from '../servers/index.js';
import { commandSuite } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bad = (v: unknown): any => v;

describe('keyspace commands: argv', () => {
  it('builds COPY, RESTORE and the EXPIRE family with options', () => {
    assert.deepEqual(genericMethods.copy.build('a', 'b', { db: 2, replace: true }), ['COPY', 'a', 'b', 'DB', 2, 'REPLACE']);
    assert.deepEqual(genericMethods.restore.build('k', 0, Buffer.from('x'), { replace: true, absttl: true, idletime: 5, freq: 3 }), [
      'RESTORE', 'k', 0, Buffer.from('x'), 'REPLACE', 'ABSTTL', 'IDLETIME', 5, 'FREQ', 3,
    ]);
    assert.deepEqual(genericMethods.expire.build('k', 10, { xx: true, gt: true }), ['EXPIRE', 'k', 10, 'XX', 'GT']);
    assert.throws(() => genericMethods.expire.build('k', 10, { nx: true, gt: true }), /EXPIRE: options nx, gt cannot be combined/);
    assert.throws(() => genericMethods.pexpireat.build('k', 1.5), /PEXPIREAT: unixMilliseconds must be an integer/);
  });

  it('builds MIGRATE for one key and for many, with AUTH or AUTH2', () => {
    assert.deepEqual(genericMethods.migrate.build('h', 6380, 'k', 0, 1000), ['MIGRATE', 'h', 6380, 'k', 0, 1000]);
    assert.deepEqual(genericMethods.migrate.build('h', 6380, ['a', 'b'], 1, 500, { copy: true, replace: true, auth: 'pw' }), [
      'MIGRATE', 'h', 6380, '', 1, 500, 'COPY', 'REPLACE', 'AUTH', 'pw', 'KEYS', 'a', 'b',
    ]);
    assert.deepEqual(genericMethods.migrate.build('h', 1, ['a'], 0, 0, { auth2: { username: 'u', password: 'p' } }), [
      'MIGRATE', 'h', 1, '', 0, 0, 'AUTH2', 'u', 'p', 'KEYS', 'a',
    ]);
    assert.throws(() => genericMethods.migrate.build('h', 1, [], 0, 0), /MIGRATE: at least one key/);
    assert.throws(() => genericMethods.migrate.build('h', 1, '', 0, 0), /MIGRATE: key must not be empty/);
    assert.throws(() => genericMethods.migrate.build('h', 1, 'k', 0, 0, { auth: 'a', auth2: { username: 'u', password: 'p' } }), /auth and auth2/);
    assert.throws(() => genericMethods.migrate.build(bad(1), 1, 'k', 0, 0), /MIGRATE: host/);
  });

  it('builds SORT and SORT_RO with every option', () => {
    assert.deepEqual(
      genericMethods.sort.build('k', { by: 'w_*', limit: { offset: 0, count: 5 }, get: ['#', 'o_*'], desc: true, alpha: true, store: 'dst' }),
      ['SORT', 'k', 'BY', 'w_*', 'LIMIT', 0, 5, 'GET', '#', 'GET', 'o_*', 'DESC', 'ALPHA', 'STORE', 'dst'],
    );
    assert.deepEqual(genericMethods.sortRo.build('k', { get: 'o_*', asc: true }), ['SORT_RO', 'k', 'GET', 'o_*', 'ASC']);
    assert.throws(() => genericMethods.sort.build('k', { asc: true, desc: true }), /SORT: asc and desc/);
    assert.throws(() => genericMethods.sortRo.build('k', bad({ store: 'x' })), /SORT_RO: store is not allowed/);
    assert.throws(() => genericMethods.sort.build('k', bad({ limit: 5 })), /SORT: limit must be/);
  });

  it('builds SCAN, checking the cursor', () => {
    assert.deepEqual(genericMethods.scan.build(0), ['SCAN', 0]);
    assert.deepEqual(genericMethods.scan.build('18446744073709551615', { match: 'a*', count: 100, type: 'hash' }), [
      'SCAN', '18446744073709551615', 'MATCH', 'a*', 'COUNT', 100, 'TYPE', 'hash',
    ]);
    assert.throws(() => genericMethods.scan.build(-1), /SCAN: cursor/);
    assert.throws(() => genericMethods.scan.build('abc'), /SCAN: cursor/);
    assert.throws(() => genericMethods.scan.build(0, { count: bad('10') }), /SCAN: count must be an integer/);
  });

  it('names the command and the argument of a bad call', () => {
    assert.throws(() => genericMethods.del.build(), /DEL: at least one key/);
    assert.throws(() => genericMethods.del.build('a', bad(1)), /DEL: key must be a string or Buffer, got number/);
    assert.throws(() => genericMethods.rename.build('a', bad(null)), /RENAME: newKey/);
    assert.throws(() => genericMethods.move.build('a', bad('1')), /MOVE: db must be an integer/);
    assert.throws(() => genericMethods.objectEncoding.build(bad([])), /OBJECT ENCODING: key must be a string or Buffer, got an array/);
    assert.throws(() => genericMethods.keys.build(bad(undefined)), /KEYS: pattern/);
    assert.throws(() => genericMethods.wait.build(1), /WAIT: timeout must be an integer/);
    assert.throws(() => genericMethods.waitaof.build(0, bad('1'), 0), /WAITAOF: numreplicas/);
    assert.throws(() => genericMethods.restore.build('k', 0, bad(5)), /RESTORE: serializedValue/);
  });

  it('knows the keys of MIGRATE and SORT, and the block time of WAIT', () => {
    assert.deepEqual(commandKeys(['MIGRATE', 'h', 1, '', 0, 0, 'AUTH2', 'keys', 'pw', 'KEYS', 'a', 'b']), ['a', 'b']);
    assert.deepEqual(commandKeys(['SORT', 'k', 'GET', 'store', 'STORE', 'dst']), ['k', 'dst']);
    assert.equal(genericMethods.wait.info.blockMs!(['WAIT', 1, 250]), 250);
    assert.equal(genericMethods.waitaof.info.blockMs!(['WAITAOF', 1, 0, 0]), 0);
  });
});

commandSuite('keyspace commands', (t) => {
  // A second server for MIGRATE to move keys to.
  const target = useServer({ kind: t.kind });
  let targetClient: RedisClient;
  before(async () => {
    targetClient = await createClient({ port: target().port }).connect();
  });
  after(() => targetClient.disconnect());

  it('DEL, UNLINK, EXISTS, TOUCH, TYPE, KEYS, RANDOMKEY', async () => {
    const r = await t.both(async (c) => [
      await c.randomkey(),
      await c.mset({ a: 1, b: 2, c: 3, d: 4 }),
      await c.rpush('l', 'x'),
      await c.exists('a', 'a', 'missing'),
      await c.touch('a', 'b', 'missing'),
      await c.type('a'),
      await c.type('l'),
      await c.type('missing'),
      await c.withBuffers().type('l'),
      (await c.keys('*')).sort(),
      await c.keys('[ab]').then((k) => k.sort()),
      await c.del('a', 'missing'),
      await c.unlink('b', 'c', 'missing'),
      await c.del('l'),
      await c.randomkey(),
    ]);
    assert.deepEqual(r, [null, 'OK', 1, 2, 2, 'string', 'list', 'none', 'list', ['a', 'b', 'c', 'd', 'l'], ['a', 'b'], 1, 2, 1, 'd']);
  });

  it('EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with conditions; TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST', async () => {
    const at = Math.floor(Date.now() / 1000) + 1000;
    const r = await t.both(async (c) => {
      await c.set('k', 'v');
      return [
        await c.ttl('k'),
        await c.expiretime('k'),
        await c.expiretime('missing'),
        await c.expire('k', 100, { xx: true }),
        await c.expire('k', 100, { nx: true }),
        await c.expire('k', 50, { gt: true }),
        await c.expire('k', 200, { gt: true }),
        await c.ttl('k'),
        await c.pexpire('k', 100_000, { lt: true }),
        (await c.pttl('k')) > 90_000,
        await c.expireat('k', at),
        await c.expiretime('k'),
        await c.pexpiretime('k'),
        await c.pexpireat('k', at * 1000 + 500),
        await c.pexpiretime('k'),
        await c.persist('k'),
        await c.persist('k'),
        await c.pttl('k'),
        await c.ttl('missing'),
        await c.pttl('missing'),
        await c.expire('missing', 10),
      ];
    });
    assert.deepEqual(r, [
      -1, -1, -2, false, true, false, true, 200, true, true, true, at, at * 1000, true, at * 1000 + 500, true, false, -1, -2, -2, false,
    ]);
  });

  it('RENAME, RENAMENX, COPY, MOVE', async () => {
    const r = await t.both(async (c) => {
      await c.mset({ a: '1', b: '2' });
      return [
        await c.rename('a', 'x'),
        await c.renamenx('x', 'b'),
        await c.renamenx('x', 'y'),
        await c.copy('y', 'b'),
        await c.copy('y', 'b', { replace: true }),
        await c.get('b'),
        await c.copy('y', 'y2', { db: 1 }),
        await c.move('b', 1),
        await c.move('b', 1),
        await c.exists('b', 'y'),
      ];
    });
    assert.deepEqual(r, ['OK', false, true, false, true, '1', true, true, false, 1]);
    await assert.rejects(t.client(2).rename('missing', 'x'), ResponseError);
  });

  it('DUMP and RESTORE round-trip a value through a Buffer, with TTL, ABSTTL, IDLETIME', async () => {
    const r = await t.both(async (c) => {
      await c.rpush('l', 'a', 'b', 'c');
      const payload = await c.withBuffers().dump('l');
      assert.ok(Buffer.isBuffer(payload));
      return [
        await c.dump('missing'),
        await c.restore('l2', 0, payload!),
        await c.lrange('l2', 0, -1),
        await c.pttl('l2'),
        await c.restore('l2', 100_000, payload!, { replace: true, idletime: 1000 }),
        (await c.pttl('l2')) > 90_000,
        (await c.objectIdletime('l2'))! >= 1000,
        await c.restore('l3', Date.now() + 100_000, payload!, { absttl: true }),
        (await c.pttl('l3')) > 90_000,
      ];
    });
    assert.deepEqual(r, [null, 'OK', ['a', 'b', 'c'], -1, 'OK', true, true, 'OK', true]);
    await assert.rejects(t.client(2).restore('l', 0, Buffer.from('not a payload')), ResponseError);
  });

  it('OBJECT ENCODING, IDLETIME, REFCOUNT, FREQ, HELP', async () => {
    const c2 = t.client(2);
    await c2.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    try {
      const r = await t.both(async (c) => {
        await c.set('n', 12345);
        await c.set('s', 'x'.repeat(100));
        return [
          await c.objectEncoding('n'),
          await c.objectEncoding('s'),
          await c.objectEncoding('missing'),
          typeof (await c.objectRefcount('n')),
          await c.objectRefcount('missing'),
          typeof (await c.objectFreq('s')),
          await c.objectFreq('missing'),
          (await c.objectHelp()).some((line) => line.startsWith('ENCODING')),
        ];
      });
      assert.deepEqual(r, ['int', 'raw', null, 'number', null, 'number', null, true]);
    } finally {
      await c2.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    }
    const r = await t.both(async (c) => {
      await c.set('k', 'v');
      return [await c.objectIdletime('k'), await c.objectIdletime('missing')];
    });
    assert.deepEqual(r, [0, null]);
  });

  it('SCAN walks every key; MATCH, COUNT and TYPE narrow it', async () => {
    const r = await t.both(async (c) => {
      const entries: Array<[string, number]> = [];
      for (let i = 0; i < 50; i++) entries.push([`k:${i}`, i]);
      await c.mset(entries);
      await c.rpush('list:1', 'x');
      const all: string[] = [];
      const lists: string[] = [];
      let cursor = '0';
      let pages = 0;
      do {
        const page = await c.scan(cursor, { count: 10 });
        assert.equal(typeof page.cursor, 'string');
        all.push(...page.keys);
        cursor = page.cursor;
        pages++;
      } while (cursor !== '0');
      cursor = '0';
      do {
        const page = await c.scan(cursor, { match: 'list:*', type: 'list', count: 1000 });
        lists.push(...page.keys);
        cursor = page.cursor;
      } while (cursor !== '0');
      const buf = await c.withBuffers().scan(0, { match: 'k:1', count: 1000 });
      return [all.length, new Set(all).size, pages > 1, lists, typeof buf.cursor, buf.keys];
    });
    assert.deepEqual(r, [51, 51, true, ['list:1'], 'string', [Buffer.from('k:1')]]);
  });

  it('SORT and SORT_RO: numbers, ALPHA, LIMIT, BY, GET, STORE', async () => {
    const r = await t.both(async (c) => {
      await c.rpush('n', 3, 1, 2);
      await c.rpush('w', 'b', 'a', 'c');
      await c.mset({ w_a: 3, w_b: 1, w_c: 2, o_a: 'A', o_b: 'B' });
      return [
        await c.sort('n'),
        await c.sort('n', { desc: true, limit: { offset: 0, count: 2 } }),
        await c.sort('w', { alpha: true }),
        await c.sort('w', { by: 'w_*' }),
        await c.sort('w', { by: 'w_*', get: ['#', 'o_*'] }),
        await c.sort('n', { store: 'sorted' }),
        await c.lrange('sorted', 0, -1),
        await c.sortRo('w', { alpha: true, desc: true }),
        await c.sortRo('missing'),
      ];
    });
    assert.deepEqual(r, [
      ['1', '2', '3'],
      ['3', '2'],
      ['a', 'b', 'c'],
      ['b', 'c', 'a'],
      ['b', 'B', 'c', null, 'a', 'A'],
      3,
      ['1', '2', '3'],
      ['c', 'b', 'a'],
      [],
    ]);
  });

  it('MIGRATE moves one key or many to another server', async () => {
    const port = target().port;
    const r = await t.both(async (c) => {
      await targetClient.flushall();
      await c.mset({ a: '1', b: '2', c: '3' });
      return [
        await c.migrate('127.0.0.1', port, 'a', 0, 5000),
        await c.migrate('127.0.0.1', port, ['b', 'c'], 0, 5000, { copy: true, replace: true }),
        await c.migrate('127.0.0.1', port, 'missing', 0, 5000),
        await c.exists('a', 'b', 'c'),
        await targetClient.mget('a', 'b', 'c'),
      ];
    });
    assert.deepEqual(r, ['OK', 'OK', 'NOKEY', 2, ['1', '2', '3']]);
  });

  it('WAIT and WAITAOF: their block time extends the command timeout', async () => {
    const r = await t.both(async (c) => {
      const started = Date.now();
      // No replica exists, so WAIT holds the reply for its whole timeout (checked at the server's hz,
      // so up to ~100 ms late); the 200 ms limit must not cut it.
      const acked = await c.withTimeout(200).wait(1, 250);
      return [await c.wait(0, 0), acked, Date.now() - started >= 240];
    });
    assert.deepEqual(r, [0, 0, true]);
    if (t.kind === 'valkey') {
      // WAITAOF is Redis 7.2+: Valkey 8 has it, Redis 7.0 does not.
      assert.deepEqual(await t.both((c) => c.waitaof(0, 0, 0)), [0, 0]);
    }
  });

  it('rejects bad arguments before sending', async () => {
    const c = t.client(3);
    await assert.rejects(c.expire('k', bad('10')), (e: Error) => e instanceof DataError && /EXPIRE: seconds/.test(e.message));
    await assert.rejects(c.scan(bad(null)), /SCAN: cursor/);
    await assert.rejects(c.sort('k', { asc: true, desc: true }), DataError);
    await assert.rejects(c.copy('a', bad(2)), /COPY: destination/);
  });
});
