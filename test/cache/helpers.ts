// What the cache tests share: INFO commandstats, waiting for invalidations and flushes, and the
// matrix of the issue (second GET, freshness, FLUSHALL, the 10,000-INCR race) run per protocol.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as yieldToIo, setTimeout as sleep } from 'node:timers/promises';
import { ConnectionError, createClient, type ClientOptions, type RedisClient } from '../../src/index.js';
import type { CacheFlushReason, CacheMode } from '../../src/cache/cache.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';

export const MODES: CacheMode[] = ['default', 'optin', 'bcast'];

/** How many GETs the server has run, from INFO commandstats. */
export async function serverGets(admin: RedisClient): Promise<number> {
  const info = String(await admin.call('INFO', 'commandstats'));
  const m = /cmdstat_get:calls=(\d+)/.exec(info);
  return m === null ? 0 : Number(m[1]);
}

export function nextFlush(c: RedisClient): Promise<CacheFlushReason> {
  return new Promise((resolve) => c.cache!.once('flush', resolve));
}

export function nextInvalidation(c: RedisClient, key: string): Promise<void> {
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
export async function readUntilCached(c: RedisClient, key: string): Promise<string | null> {
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
export async function race(port: number, cache: ClientOptions['cache'] & object, protocol: 2 | 3, kill: Kill): Promise<{ reads: number; hits: number; ms: number }> {
  const mode = cache.mode ?? 'default';
  const key = `race:${protocol}:${mode}:${kill}`;
  await using writer = await createClient({ port }).connect();
  await using admin = await createClient({ port }).connect();
  await writer.set(key, 0);
  const readers = await Promise.all(Array.from({ length: 8 }, () => createClient({ port, protocol, cache }).connect()));
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
    const ids = kill === 'data' ? await Promise.all(readers.map((r) => r.clientId())) : kill === 'invalidation' ? await Promise.all(readers.map((r) => invalidationClientId(r))) : [];
    const t0 = Date.now();
    // 10,000 INCRs, 8 at a time: `acked` is the highest value the server has confirmed.
    let issued = 0;
    let killed: Promise<void> | null = null;
    const incrs = Array.from({ length: 8 }, async () => {
      while (issued < 10_000) {
        issued++;
        const v = await writer.incr(key);
        if (v > acked) acked = v;
        if (kill !== 'none' && killed === null && v >= 5_000) {
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
    if (kill !== 'none') assert.ok(state.every((s) => s.flushes >= 1), 'every reader flushed its cache when its connection was killed');
    const reads = state.reduce((a, s) => a + s.reads, 0);
    const hits = readers.reduce((a, r) => a + r.cache!.stats().hits, 0);
    assert.ok(hits > 0, 'the readers were served from their caches');
    return { reads, hits, ms };
  } finally {
    await Promise.all(readers.map((r) => r.close()));
  }
}

/** Which connections the race kills halfway: none, every reader's data connection, or (RESP2) every reader's invalidation connection. */
export type Kill = 'none' | 'data' | 'invalidation';

/** The RESP2 invalidation connection's client id, once it is subscribed and the tracking points at it. */
export async function invalidationClientId(c: RedisClient): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const id = c.cache!.invalidationClientId;
    if (id !== null) return id;
    assert.ok(Date.now() < deadline, 'the invalidation connection never subscribed');
    await sleep(5);
  }
}

/**
 * The list, per server and tracking mode, for one protocol: a second GET served from the
 * cache (INFO commandstats), another client's write seen within 50 ms of its invalidation, FLUSHALL,
 * and the race, with and without CLIENT KILL (of the invalidation connections too on RESP2).
 */
export function cacheMatrix(protocol: 2 | 3): void {
  for (const kind of SERVER_KINDS) {
    describe(`client-side cache on ${kind}, RESP${protocol}`, () => {
      const server = useServer({ kind });

      for (const mode of MODES) {
        describe(`${mode} mode`, () => {
          const cached = (): Promise<RedisClient> => createClient({ port: server().port, protocol, cache: { mode } }).connect();

          it('serves a second GET without a command reaching the server', async () => {
            await using admin = await createClient({ port: server().port }).connect();
            await using c = await cached();
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
            await using c = await cached();
            // Five keys: the fastest must be seen within 50 ms (one alone may meet a load spike of this busy machine).
            const times: number[] = [];
            for (let i = 0; i < 5; i++) {
              const key = `fresh:${mode}:${i}`;
              await other.set(key, `old${i}`);
              assert.equal(await readUntilCached(c, key), `old${i}`);
              const invalidated = nextInvalidation(c, key);
              const t0 = performance.now();
              await other.set(key, `new${i}`);
              await invalidated;
              assert.equal(await c.get(key), `new${i}`);
              times.push(performance.now() - t0);
            }
            assert.ok(Math.min(...times) < 50, `seen after ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
          });

          it('FLUSHALL by another client empties the cache', async () => {
            await using other = await createClient({ port: server().port }).connect();
            await using c = await cached();
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
            const r = await race(server().port, { mode }, protocol, 'none');
            process.stdout.write(`# ${kind} RESP${protocol} ${mode}: ${r.reads} reads, ${r.hits} hits, writer ${r.ms} ms\n`);
          });

          it('the same race with CLIENT KILL of every reader in the middle: nothing stale after it', async () => {
            const r = await race(server().port, { mode }, protocol, 'data');
            process.stdout.write(`# ${kind} RESP${protocol} ${mode} with kill: ${r.reads} reads, ${r.hits} hits, writer ${r.ms} ms\n`);
          });

          if (protocol === 2) {
            it('the same race with CLIENT KILL of every invalidation connection in the middle: nothing stale after it', async () => {
              const r = await race(server().port, { mode }, protocol, 'invalidation');
              process.stdout.write(`# ${kind} RESP2 ${mode} with invalidation kill: ${r.reads} reads, ${r.hits} hits, writer ${r.ms} ms\n`);
            });
          }
        });
      }
    });
  }
}
