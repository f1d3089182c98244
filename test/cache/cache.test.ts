import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as yieldToIo, setTimeout as sleep } from 'node:timers/promises';
import { ConnectionError, DataError, createClient, type RedisClient } from '../../src/index.js';
import type { CacheFlushReason, CacheMode } from '../../src/cache/cache.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';

const MODES: CacheMode[] = ['default', 'optin', 'bcast'];

/** How many GETs the server has run, from INFO commandstats. */
async function serverGets(admin: RedisClient): Promise<number> {
  const info = String(await admin.call('INFO', 'commandstats'));
  const m = /cmdstat_get:calls=(\d+)/.exec(info);
  return m === null ? 0 : Number(m[1]);
}

function nextFlush(c: RedisClient): Promise<CacheFlushReason> {
  return new Promise((resolve) => c.cache!.once('flush', resolve));
}

function nextInvalidation(c: RedisClient, key: string): Promise<void> {
  return new Promise((resolve) => {
    const on = (keys: string[]): void => {
      if (!keys.includes(key)) return;
      c.cache!.off('invalidate', on);
      resolve();
    };
    c.cache!.on('invalidate', on);
  });
}

/** Reads `key` through the cache until it is stored (a BCAST invalidation of an earlier write may refuse the first store). */
async function readUntilCached(c: RedisClient, key: string): Promise<string | null> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const before = c.cache!.stats().hits;
    const v = await c.get(key);
    if (c.cache!.stats().hits > before) return v;
    assert.ok(Date.now() < deadline, `${key} never got cached`);
  }
}

/**
 * The race of the issue: a writer INCRs one key 10,000 times while 8 readers GET it through their
 * caches. Each reader's values never go back; after a kill of their connections, nothing read is
 * older than what the writer had done when the cache was flushed; 100 ms after the writer stops,
 * every reader reads the final value.
 */
async function race(port: number, mode: CacheMode, kill: boolean): Promise<{ reads: number; hits: number; ms: number }> {
  const key = `race:${mode}:${kill}`;
  await using writer = await createClient({ port }).connect();
  await using admin = await createClient({ port }).connect();
  await writer.set(key, 0);
  const readers = await Promise.all(Array.from({ length: 8 }, () => createClient({ port, cache: { mode } }).connect()));
  try {
    let acked = 0;
    let writing = true;
    const problems: string[] = [];
    const state = readers.map(() => ({ last: -1, floor: -1, reads: 0, flushes: 0 }));
    readers.forEach((r, i) =>
      r.cache!.on('flush', (reason) => {
        if (reason !== 'disconnect') return;
        // Anything read from now on must be at least what the writer had done by now.
        state[i]!.floor = acked;
        state[i]!.flushes++;
      }),
    );
    const loops = readers.map(async (r, i) => {
      const s = state[i]!;
      while (writing) {
        const floor = s.floor;
        let v: number;
        try {
          v = Number(await r.get(key));
        } catch (e) {
          if (e instanceof ConnectionError) continue;
          throw e;
        }
        if (v < s.last) problems.push(`reader ${i} went back from ${s.last} to ${v}`);
        if (v < floor) problems.push(`reader ${i} read ${v} after a flush at ${floor}`);
        s.last = v;
        s.reads++;
        // Pacing, not waiting for an event: cache hits resolve without I/O, and 8 readers spinning
        // on them would starve the writer and every other test file running beside this one.
        if (s.reads % 8 === 0) await sleep(1);
        else await yieldToIo();
      }
    });
    const ids = kill ? await Promise.all(readers.map((r) => r.clientId())) : [];
    const t0 = Date.now();
    // 10,000 INCRs, 8 at a time: `acked` is the highest value the server has confirmed.
    let issued = 0;
    let killed: Promise<void> | null = null;
    const incrs = Array.from({ length: 8 }, async () => {
      while (issued < 10_000) {
        issued++;
        const v = await writer.incr(key);
        if (v > acked) acked = v;
        if (kill && killed === null && v >= 5_000) {
          killed = (async () => {
            for (const id of ids) assert.equal(await admin.clientKill({ id }), 1);
          })();
        }
      }
    });
    await Promise.all(incrs);
    if (killed !== null) await killed;
    const ms = Date.now() - t0;
    const stopped = Date.now();
    await sleep(Math.max(0, stopped + 100 - Date.now()));
    const finals = await Promise.all(readers.map((r) => r.get(key)));
    writing = false;
    await Promise.all(loops);
    assert.deepEqual(problems, []);
    assert.deepEqual(finals, readers.map(() => '10000'), '100 ms after the writer stopped');
    if (kill) assert.ok(state.every((s) => s.flushes >= 1), 'every reader flushed its cache when its connection was killed');
    const reads = state.reduce((a, s) => a + s.reads, 0);
    const hits = readers.reduce((a, r) => a + r.cache!.stats().hits, 0);
    assert.ok(hits > 0, 'the readers were served from their caches');
    return { reads, hits, ms };
  } finally {
    await Promise.all(readers.map((r) => r.close()));
  }
}

for (const kind of SERVER_KINDS) {
  describe(`client-side cache on ${kind}`, () => {
    const server = useServer({ kind });

    for (const mode of MODES) {
      describe(`RESP3 ${mode} mode`, () => {
        it('serves a second GET without a command reaching the server', async () => {
          await using admin = await createClient({ port: server().port }).connect();
          await using c = await createClient({ port: server().port, cache: { mode } }).connect();
          const key = `second:${mode}`;
          await admin.set(key, 'v');
          assert.equal(await readUntilCached(c, key), 'v');
          const before = await serverGets(admin);
          for (let i = 0; i < 10; i++) assert.equal(await c.get(key), 'v');
          assert.equal(await serverGets(admin), before, 'INFO commandstats counts no GET');
          assert.ok(c.cache!.stats().hits >= 10);
        });

        it("sees another client's write once the invalidation arrives, within 50 ms", async () => {
          await using other = await createClient({ port: server().port }).connect();
          await using c = await createClient({ port: server().port, cache: { mode } }).connect();
          const key = `fresh:${mode}`;
          await other.set(key, 'old');
          assert.equal(await readUntilCached(c, key), 'old');
          const invalidated = nextInvalidation(c, key);
          const t0 = performance.now();
          await other.set(key, 'new');
          await invalidated;
          assert.equal(await c.get(key), 'new');
          const ms = performance.now() - t0;
          assert.ok(ms < 50, `seen after ${ms.toFixed(1)} ms`);
        });

        it('FLUSHALL by another client empties the cache', async () => {
          await using other = await createClient({ port: server().port }).connect();
          await using c = await createClient({ port: server().port, cache: { mode } }).connect();
          const key = `flushall:${mode}`;
          await other.set(key, 'x');
          assert.equal(await readUntilCached(c, key), 'x');
          const flushed = nextFlush(c);
          await other.flushall();
          assert.equal(await flushed, 'server');
          assert.equal(c.cache!.stats().entries, 0);
          assert.equal(await c.get(key), null);
        });

        it('the 10,000-INCR race with 8 readers: values never go back, the final one is seen', async () => {
          const r = await race(server().port, mode, false);
          process.stdout.write(`# ${kind} ${mode}: ${r.reads} reads, ${r.hits} hits, writer ${r.ms} ms\n`);
        });

        it('the same race with CLIENT KILL of every reader in the middle: nothing stale after it', async () => {
          const r = await race(server().port, mode, true);
          process.stdout.write(`# ${kind} ${mode} with kill: ${r.reads} reads, ${r.hits} hits, writer ${r.ms} ms\n`);
        });
      });
    }
  });
}

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
    assert.throws(() => createClient({ port: server().port, protocol: 2, cache: {} }), DataError);
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
