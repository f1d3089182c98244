// The `cache` option on cluster clients: a cache per node, fed by that node's own connection, against
// real Redis and Valkey clusters (one at a time: the machine is small), RESP3 and RESP2.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as yieldToIo, setTimeout as sleep } from 'node:timers/promises';
import { ConnectionError, DataError, createClient, createCluster, keySlot, type RedisCluster, type RedisClient } from '../../src/index.js';
import type { CacheFlushReason } from '../../src/cache/cache.js';
import { SERVER_KINDS, useCluster, type TestCluster } from '../servers/index.js';

async function gets(cluster: TestCluster, port: number): Promise<number> {
  const m = /cmdstat_get:calls=(\d+)/.exec(await cluster.server(port).cli('INFO', 'commandstats'));
  return m ? Number(m[1]) : 0;
}

/** The cluster client's client for the node at `port`. */
function nodeClient(c: RedisCluster, port: number): RedisClient {
  const n = c.nodes().find((x) => x.port === port);
  assert.ok(n !== undefined, `no node ${port} in the map`);
  return n.client;
}

/** Reads `key` until its node's cache served it (a first reply may be refused while the tracking is being set up). */
async function readUntilCached(c: RedisCluster, key: string, port: number): Promise<string | null> {
  const cache = nodeClient(c, port).cache!;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const before = cache.stats().hits;
    const v = await c.get(key);
    if (cache.stats().hits > before) return v;
    assert.ok(Date.now() < deadline, `${key} never got cached`);
    await sleep(1);
  }
}

/** A key of `prefix` whose slot is owned by a primary other than `not`'s. */
function keyOn(prefix: string, owner: (slot: number) => boolean): string {
  for (let i = 0; ; i++) if (owner(keySlot(`${prefix}:${i}`))) return `${prefix}:${i}`;
}

const inRanges = (ranges: Array<[number, number]>) => (slot: number) => ranges.some(([lo, hi]) => slot >= lo && slot <= hi);

for (const kind of SERVER_KINDS) {
  describe(`cluster client-side cache on ${kind}`, () => {
    const cluster = useCluster({ kind });

    for (const protocol of [3, 2] as const) {
      const open = () => createCluster({ nodes: [cluster().seeds()[0]!], protocol, cache: {} }).connect();

      it(`RESP${protocol}: a second GET is served by its node's cache; another client's write is seen after the invalidation`, async () => {
        await using c = await open();
        const [a] = await cluster().primaries();
        const key = keyOn(`second${protocol}`, inRanges(a!.slots));
        await using writer = await createClient({ port: a!.port }).connect();
        await writer.set(key, 'old');
        assert.equal(await readUntilCached(c, key, a!.port), 'old');
        const before = await gets(cluster(), a!.port);
        for (let i = 0; i < 10; i++) assert.equal(await c.get(key), 'old');
        assert.equal(await gets(cluster(), a!.port), before, 'INFO commandstats of the owner counts no GET');
        const cache = nodeClient(c, a!.port).cache!;
        const invalidated = new Promise<void>((resolve) => cache.on('invalidate', (keys) => keys.includes(key) && resolve()));
        const t0 = performance.now();
        await writer.set(key, 'new');
        await invalidated;
        assert.equal(await c.get(key), 'new');
        assert.ok(performance.now() - t0 < 50, 'seen within 50 ms');
      });

      it(`RESP${protocol}: readFrom 'replica' caches on the replica, which invalidates what replication changes`, async () => {
        await using c = await createCluster({ nodes: [cluster().seeds()[0]!], protocol, cache: {}, readFrom: 'replica' }).connect();
        const [a] = await cluster().primaries();
        const key = keyOn(`replica${protocol}`, inRanges(a!.slots));
        const replica = (await cluster().nodes()).find((n) => n.role === 'replica' && n.primaryId === a!.id)!;
        await using writer = await createClient({ port: a!.port }).connect();
        await writer.set(key, 'old');
        await writer.call('WAIT', 1, 5_000);
        const cache = nodeClient(c, replica.port).cache!;
        const deadline = Date.now() + 10_000;
        for (;;) {
          const before = cache.stats().hits;
          const v = await c.get(key);
          if (v === 'old' && cache.stats().hits > before) break;
          assert.ok(Date.now() < deadline, 'never cached on the replica');
        }
        const invalidated = new Promise<void>((resolve) => cache.on('invalidate', (keys) => keys.includes(key) && resolve()));
        await writer.set(key, 'new');
        await invalidated;
        assert.equal(await c.get(key), 'new');
      });

      it(`RESP${protocol}: a node's broken connection flushes that node's entries only`, async () => {
        await using c = await open();
        const [a, b] = await cluster().primaries();
        const ka = keyOn(`brk${protocol}a`, inRanges(a!.slots));
        const kb = keyOn(`brk${protocol}b`, inRanges(b!.slots));
        await using admin = await createClient({ port: a!.port }).connect();
        await c.set(ka, 'a1');
        await c.set(kb, 'b1');
        await readUntilCached(c, ka, a!.port);
        await readUntilCached(c, kb, b!.port);
        const cacheA = nodeClient(c, a!.port).cache!;
        const cacheB = nodeClient(c, b!.port).cache!;
        const flushedA = new Promise<CacheFlushReason>((resolve) => cacheA.once('flush', resolve));
        let flushesB = 0;
        cacheB.on('flush', () => flushesB++);
        const id = await nodeClient(c, a!.port).clientId();
        assert.equal(await admin.clientKill({ id }), 1);
        // Written while nobody tracks it for c: only the flush keeps c from serving the old value.
        await admin.set(ka, 'a2');
        assert.equal(await flushedA, 'disconnect');
        assert.equal(cacheA.stats().entries, 0);
        assert.equal(flushesB, 0);
        assert.equal(cacheB.stats().entries, 1, "the other node's entry is kept");
        const hitsB = cacheB.stats().hits;
        assert.equal(await c.get(kb), 'b1');
        assert.equal(cacheB.stats().hits, hitsB + 1);
        for (;;) {
          try {
            assert.equal(await c.get(ka), 'a2');
            break;
          } catch (e) {
            if (!(e instanceof ConnectionError)) throw e;
          }
        }
      });

      it(`RESP${protocol}: stays right across a resharding: readers never go back and see the final value`, async () => {
        const primaries = await cluster().primaries();
        const from = primaries[0]!;
        const to = primaries[1]!;
        const key = keyOn(`resh${protocol}`, inRanges(from.slots));
        const slot = keySlot(key);
        await using writer = await createCluster({ nodes: [cluster().seeds()[0]!] }).connect();
        await writer.set(key, 0);
        const readers = await Promise.all(Array.from({ length: 4 }, () => open()));
        try {
          let writing = true;
          const problems: string[] = [];
          const last = readers.map(() => -1);
          const loops = readers.map(async (r, i) => {
            let n = 0;
            while (writing) {
              let v: number;
              try {
                v = Number(await r.get(key));
              } catch (e) {
                if (e instanceof ConnectionError) continue;
                throw e;
              }
              if (v < last[i]!) problems.push(`reader ${i} went back from ${last[i]} to ${v}`);
              last[i] = v;
              // Pacing: hits resolve without I/O and would starve the writer and the resharding.
              if (++n % 8 === 0) await sleep(1);
              else await yieldToIo();
            }
          });
          const incrs = (async () => {
            for (let i = 0; i < 3_000; i++) await writer.incr(key);
          })();
          // The slot moves there and back while the writer writes and the readers read.
          await cluster().moveSlots(from.id, to.id, [slot]);
          await cluster().moveSlots(to.id, from.id, [slot]);
          await cluster().moveSlots(from.id, to.id, [slot]);
          await incrs;
          const final = await writer.get(key);
          assert.equal(final, '3000');
          await sleep(100);
          const finals = await Promise.all(readers.map((r) => r.get(key)));
          writing = false;
          await Promise.all(loops);
          assert.deepEqual(problems, []);
          assert.deepEqual(finals, readers.map(() => '3000'), '100 ms after the writer stopped');
          const hits = readers.reduce((s, r) => s + r.nodes().reduce((t, n) => t + (n.client.cache?.stats().hits ?? 0), 0), 0);
          assert.ok(hits > 0, 'the readers were served from their caches');
          assert.equal((await cluster().ownerOf(slot)).id, to.id, 'the slot did move');
        } finally {
          await Promise.all(readers.map((r) => r.close()));
          // Back where it was, for the next test.
          await cluster().moveSlots(to.id, from.id, [slot]);
        }
      });
    }
  });
}

describe('cluster cache options', () => {
  it('a bad cache option is refused with a DataError when the cluster client is made', () => {
    assert.throws(() => createCluster({ nodes: [{ host: '127.0.0.1', port: 1 }], cache: { mode: 'sometimes' as never } }), DataError);
    assert.throws(() => createCluster({ nodes: [{ host: '127.0.0.1', port: 1 }], cache: { noloop: 1 as never } }), DataError);
  });
});
