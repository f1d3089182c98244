import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataError, createClient } from '../../src/index.js';
import { useServer } from '../servers/index.js';
import { cacheMatrix, nextFlush, nextInvalidation, readUntilCached, serverGets } from './helpers.js';

cacheMatrix(3);

describe('client-side cache behaviour', () => {
  const server = useServer({ kind: 'valkey' });

  it('refuses bad options with a DataError at creation', () => {
    const bad: unknown[] = [
      { maxEntries: 0 },
      { maxEntries: 1.5 },
      { maxBytes: -1 },
      { ttl: 'soon' },
      { mode: 'broadcast' },
      { prefixes: ['a'] },
      { mode: 'bcast', prefixes: ['a', 'ab'] },
      { mode: 'bcast', prefixes: [1] },
      { cacheable: true },
      { maxentries: 10 },
      'yes',
      null,
    ];
    for (const cache of bad) {
      assert.throws(() => createClient({ port: server().port, cache: cache as never }), DataError, JSON.stringify(cache));
    }
    assert.throws(() => createClient({ port: server().port, tracking: ['BCAST'], cache: {} }), DataError);
    assert.equal(createClient({ port: server().port }).cache, null);
  });

  it('a client without the cache sends every GET', async () => {
    await using c = await createClient({ port: server().port }).connect();
    await c.set('plain', '1');
    const before = await serverGets(c);
    await c.get('plain');
    await c.get('plain');
    assert.equal(await serverGets(c), before + 2);
  });

  it('evicts the least recently used past maxEntries, and past maxBytes', async () => {
    await using c = await createClient({ port: server().port, cache: { maxEntries: 3 } }).connect();
    await c.mset({ 'lru:a': '1', 'lru:b': '2', 'lru:c': '3', 'lru:d': '4' });
    for (const k of ['lru:a', 'lru:b', 'lru:c']) await c.get(k);
    await c.get('lru:a'); // a is now the most recent: b goes first
    await c.get('lru:d');
    const s = c.cache!.stats();
    assert.equal(s.entries, 3);
    assert.equal(s.evictions, 1);
    const hits = s.hits;
    await c.get('lru:a');
    assert.equal(c.cache!.stats().hits, hits + 1, 'a was kept');
    await c.get('lru:b');
    assert.equal(c.cache!.stats().hits, hits + 1, 'b was evicted');

    await using small = await createClient({ port: server().port, cache: { maxBytes: 2_000 } }).connect();
    await small.set('big', 'x'.repeat(600));
    await small.set('big2', 'y'.repeat(600));
    await small.get('big');
    await small.get('big2');
    const t = small.cache!.stats();
    assert.equal(t.entries, 1);
    assert.ok(t.bytes <= 2_000);
  });

  it('drops an entry older than ttl', async () => {
    await using c = await createClient({ port: server().port, cache: { ttl: 30 } }).connect();
    await c.set('ttl:k', 'v');
    await c.get('ttl:k');
    await c.get('ttl:k');
    assert.equal(c.cache!.stats().hits, 1);
    // The ttl is time passing itself: nothing to await but the clock.
    await sleep(40);
    await c.get('ttl:k');
    assert.equal(c.cache!.stats().hits, 1);
    assert.equal(c.cache!.stats().misses, 2);
  });

  it('keeps a Buffer view apart and hands out copies nobody can spoil', async () => {
    await using c = await createClient({ port: server().port, cache: {} }).connect();
    await c.hset('view:h', { a: '1', b: '2' });
    const first = await c.hgetall('view:h');
    first['a'] = 'spoiled';
    const again = await c.hgetall('view:h');
    assert.deepEqual(again, { a: '1', b: '2' });
    again['b'] = 'spoiled too';
    assert.deepEqual(await c.hgetall('view:h'), { a: '1', b: '2' });
    await c.set('view:s', 'text');
    assert.equal(await c.get('view:s'), 'text');
    const buf = await c.withBuffers().get('view:s');
    assert.ok(Buffer.isBuffer(buf));
    buf[0] = 0x58;
    assert.deepEqual(await c.withBuffers().get('view:s'), Buffer.from('text'));
    assert.equal(await c.get('view:s'), 'text');
  });

  it('invalidates every entry built from a key (MGET, HMGET…), and clear() / invalidate() drop them locally', async () => {
    await using other = await createClient({ port: server().port }).connect();
    await using c = await createClient({ port: server().port, cache: {} }).connect();
    await other.mset({ 'multi:a': '1', 'multi:b': '2' });
    assert.deepEqual(await c.mget('multi:a', 'multi:b'), ['1', '2']);
    assert.equal(await c.get('multi:b'), '2');
    assert.equal(c.cache!.stats().entries, 2);
    const inv = nextInvalidation(c, 'multi:b');
    await other.set('multi:b', '3');
    await inv;
    assert.equal(c.cache!.stats().entries, 0);
    assert.deepEqual(await c.mget('multi:a', 'multi:b'), ['1', '3']);
    c.cache!.invalidate('multi:a');
    assert.equal(c.cache!.stats().entries, 0);
    await c.get('multi:a');
    c.cache!.clear();
    assert.equal(c.cache!.stats().entries, 0);
  });

  it('never caches TTL, RANDOMKEY or SRANDMEMBER, and obeys the cacheable filter', async () => {
    await using c = await createClient({ port: server().port, cache: { cacheable: (cmd, keys) => cmd !== 'get' || String(keys[0]).startsWith('yes:') } }).connect();
    await c.set('no:k', 'v', { ex: 100 });
    await c.set('yes:k', 'v');
    await c.sadd('srand', 'a', 'b');
    await c.ttl('no:k');
    await c.ttl('no:k');
    await c.srandmember('srand');
    await c.randomkey();
    await c.get('no:k');
    await c.get('no:k');
    assert.equal(c.cache!.stats().entries, 0);
    await c.get('yes:k');
    await c.get('yes:k');
    assert.equal(c.cache!.stats().hits, 1);
  });

  it('in bcast mode caches only keys under its prefixes', async () => {
    await using other = await createClient({ port: server().port }).connect();
    await using c = await createClient({ port: server().port, cache: { mode: 'bcast', prefixes: ['user:'] } }).connect();
    await other.set('user:1', 'ann');
    await other.set('order:1', 'x');
    assert.equal(await readUntilCached(c, 'user:1'), 'ann');
    await c.get('order:1');
    await c.get('order:1');
    assert.equal(c.cache!.stats().entries, 1);
    const inv = nextInvalidation(c, 'user:1');
    await other.set('user:1', 'bob');
    await inv;
    assert.equal(await c.get('user:1'), 'bob');
  });

  it('keeps each db apart, and SELECT refuses the reads in doubt', async () => {
    await using other = await createClient({ port: server().port, db: 1 }).connect();
    await using c = await createClient({ port: server().port, cache: {} }).connect();
    await c.set('db:k', 'zero');
    await other.set('db:k', 'one');
    assert.equal(await c.get('db:k'), 'zero');
    const inFlight = c.get('db:k'); // served from the cache: issued before the SELECT
    const selected = c.select(1);
    const after = c.get('db:k');
    assert.equal(await inFlight, 'zero');
    await selected;
    assert.equal(await after, 'one');
    assert.equal(await c.get('db:k'), 'one');
    await c.select(0);
    assert.equal(await c.get('db:k'), 'zero');
  });

  it('refuses what would end its tracking, and stops serving if a pipeline ends it', async () => {
    await using c = await createClient({ port: server().port, cache: {} }).connect();
    await assert.rejects(c.call('CLIENT', 'TRACKING', 'OFF'), DataError);
    await assert.rejects(c.reset(), DataError);
    await c.set('pipe:k', 'v');
    await c.get('pipe:k');
    await c.get('pipe:k');
    assert.equal(c.cache!.stats().hits, 1);
    await c.pipeline().call('CLIENT', 'TRACKING', 'OFF').exec();
    assert.equal(c.cache!.stats().entries, 0);
    await c.get('pipe:k');
    await c.get('pipe:k');
    assert.equal(c.cache!.stats().hits, 1, 'nothing served once the tracking is off');
  });

  it('flushes when its connection breaks, before any read is served again', async () => {
    await using admin = await createClient({ port: server().port }).connect();
    await using c = await createClient({ port: server().port, cache: {} }).connect();
    await c.set('kill:k', 'before');
    await c.get('kill:k');
    assert.equal(c.cache!.stats().entries, 1);
    const id = await c.clientId();
    const flushed = nextFlush(c);
    const ready = new Promise<void>((resolve) => c.once('ready', () => resolve()));
    assert.equal(await admin.clientKill({ id }), 1);
    // Written while nobody tracks the key for c: no invalidation will ever come for it.
    await admin.set('kill:k', 'after');
    assert.equal(await flushed, 'disconnect');
    assert.equal(c.cache!.stats().entries, 0);
    assert.equal(await c.get('kill:k'), 'after');
    await ready;
  });
});
