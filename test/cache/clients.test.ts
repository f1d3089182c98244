// The cache on the other kinds of client and with the other options: NOLOOP, spread connections,
// pooled connections (transactions, isolated()), pipelines, the RESP2 invalidation connection's
// lifecycle, and a sentinel failover. Real servers (Valkey 8 and Redis 7), RESP3 and RESP2.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectionError, ConstantBackoff, Retry, createClient, createSentinel, type RedisClient } from '../../src/index.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';
import { startSentinelGroup, type SentinelGroup } from '../servers/sentinel.js';
import { invalidationClientId, nextFlush, nextInvalidation, readUntilCached, serverGets } from './helpers.js';

/** The ids of the server's clients (CLIENT LIST; a subscriber is of TYPE pubsub). */
async function clientIds(admin: RedisClient): Promise<number[]> {
  const list = String(await admin.call('CLIENT', 'LIST'));
  return list.trim().split('\n').map((l) => Number(/id=(\d+)/.exec(l)![1]));
}

for (const kind of SERVER_KINDS) {
  describe(`client-side cache options and clients on ${kind}`, () => {
    const server = useServer({ kind });

    for (const protocol of [3, 2] as const) {
      it(`RESP${protocol} noloop: no invalidation comes for the client's own writes, and none of them is read stale`, async () => {
        await using other = await createClient({ port: server().port }).connect();
        await using c = await createClient({ port: server().port, protocol, cache: { noloop: true } }).connect();
        const key = `noloop${protocol}`;
        await c.set(key, 'old');
        assert.equal(await readUntilCached(c, key), 'old');
        let invalidations = 0;
        c.cache!.on('invalidate', () => invalidations++);
        // A read in flight when the client's own write goes: its old reply must not be kept.
        const inFlight = (async () => {
          c.cache!.invalidate(key);
          return c.get(key);
        })();
        const write = c.set(key, 'new');
        assert.equal(await inFlight, 'old');
        await write;
        assert.equal(await c.get(key), 'new');
        assert.equal(await readUntilCached(c, key), 'new');
        // A pipeline's and a MULTI's writes count too; a script's drops everything (its keys are its own business).
        await c.pipeline().set(key, 'piped').exec();
        assert.equal(await c.get(key), 'piped');
        await readUntilCached(c, key);
        await c.multi().set(key, 'multi').exec();
        assert.equal(await c.get(key), 'multi');
        await readUntilCached(c, key);
        await c.call('EVAL', `redis.call('SET', '${key}', 'lua')`, 0);
        assert.equal(await c.get(key), 'lua');
        await c.ping();
        assert.equal(invalidations, 0, 'the server sent nothing about the own writes (NOLOOP)');
        // Another client's write is still reported.
        await readUntilCached(c, key);
        const inv = nextInvalidation(c, key);
        await other.set(key, 'theirs');
        await inv;
        assert.equal(await c.get(key), 'theirs');
      });

      it(`RESP${protocol}: a client reads its own write at once, before or after the server's invalidation`, async () => {
        await using c = await createClient({ port: server().port, protocol, cache: {} }).connect();
        const key = `own${protocol}`;
        await c.set(key, '0');
        await readUntilCached(c, key);
        for (let i = 1; i <= 200; i++) {
          await c.get(key);
          await c.set(key, String(i));
          assert.equal(await c.get(key), String(i), `after write ${i}`);
        }
        assert.ok(c.cache!.stats().hits > 0);
      });

      it(`RESP${protocol} connections: 4: reads cached, the client's writes on its other connections read back at once`, async () => {
        await using c = await createClient({ port: server().port, protocol, connections: 4, cache: {} }).connect();
        await using admin = await createClient({ port: server().port }).connect();
        const keys = Array.from({ length: 8 }, (_, i) => `spread${protocol}:${i}`);
        for (let round = 0; round < 50; round++) {
          // Several at once: they spread over the connections; every read right after its write sees it.
          await Promise.all(keys.map((k) => c.set(k, String(round))));
          const values = await Promise.all(keys.map((k) => c.get(k)));
          assert.deepEqual(values, keys.map(() => String(round)), `round ${round}`);
          await Promise.all(keys.map((k) => c.get(k)));
        }
        assert.ok(c.cache!.stats().hits > 0, 'served from the cache');
        const before = await serverGets(admin);
        await readUntilCached(c, keys[0]!);
        const hits = c.cache!.stats().hits;
        for (let i = 0; i < 10; i++) await c.get(keys[0]!);
        assert.equal(c.cache!.stats().hits, hits + 10);
        assert.ok((await serverGets(admin)) - before <= 2);
      });

      it(`RESP${protocol}: a transaction or isolated() write on a pooled connection is read back at once`, async () => {
        await using c = await createClient({ port: server().port, protocol, cache: {} }).connect();
        const key = `pooled${protocol}`;
        await c.set(key, '0');
        for (let i = 1; i <= 30; i++) {
          await readUntilCached(c, key);
          if (i % 2 === 0) {
            await c.transaction(async (tx) => tx.multi().set(key, String(i)), { watch: [key] });
          } else {
            await c.isolated(async (iso) => {
              await iso.set(key, String(i));
            });
          }
          assert.equal(await c.get(key), String(i), `after write ${i}`);
        }
      });

      it(`RESP${protocol}: pipelines read from the server, never from the cache, and never store into it`, async () => {
        await using other = await createClient({ port: server().port }).connect();
        await using c = await createClient({ port: server().port, protocol, cache: {} }).connect();
        const key = `pipe${protocol}`;
        await other.set(key, 'v1');
        assert.equal(await readUntilCached(c, key), 'v1');
        const before = await serverGets(other);
        const entries = c.cache!.stats().entries;
        assert.deepEqual(await c.pipeline().get(key).get(key).exec(), ['v1', 'v1']);
        assert.equal(await serverGets(other), before + 2, 'both reached the server');
        assert.equal(c.cache!.stats().entries, entries);
        const inv = nextInvalidation(c, key);
        await other.set(key, 'v2');
        await inv;
        assert.deepEqual(await c.pipeline().get(key).exec(), ['v2']);
        assert.equal(await c.get(key), 'v2');
      });
    }

    it('RESP2: the invalidation connection opens with the client, is the REDIRECT target, and closes with it', async () => {
      await using admin = await createClient({ port: server().port }).connect();
      const before = new Set(await clientIds(admin));
      const c = createClient({ port: server().port, protocol: 2, cache: {} });
      assert.deepEqual(new Set(await clientIds(admin)), before, 'nothing opened before the client is used');
      await c.connect();
      const listener = await invalidationClientId(c);
      const info = String(await c.call('CLIENT', 'TRACKINGINFO'));
      assert.match(JSON.stringify(await c.call('CLIENT', 'TRACKINGINFO')), new RegExp(`"redirect",${listener}`), info);
      const opened = (await clientIds(admin)).filter((id) => !before.has(id));
      assert.equal(opened.length, 2, 'the data connection and the invalidation connection');
      assert.ok(opened.includes(listener));
      await c.close();
      const left = (await clientIds(admin)).filter((id) => !before.has(id));
      assert.deepEqual(left, [], 'both closed');
    });

    it('RESP2: a killed invalidation connection flushes at once, and caching resumes on its successor', async () => {
      await using admin = await createClient({ port: server().port }).connect();
      // Reconnects wait 300 ms: a window in which the tracking points at a connection that is gone.
      await using c = await createClient({ port: server().port, protocol: 2, cache: {}, reconnect: new Retry(new ConstantBackoff(300), -1) }).connect();
      await c.set('inv:k', 'before');
      assert.equal(await readUntilCached(c, 'inv:k'), 'before');
      const id = await invalidationClientId(c);
      const flushed = nextFlush(c);
      assert.equal(await admin.clientKill({ id }), 1);
      assert.equal(await flushed, 'disconnect');
      // Written while no invalidation can reach c: only the flush keeps the old value from being served.
      await admin.set('inv:k', 'after');
      // Read while the tracking still points at the dead connection, then written: that invalidation
      // goes nowhere, so nothing read in this window may be kept.
      for (let i = 0; i < 5; i++) assert.equal(await c.get('inv:k'), 'after');
      await admin.set('inv:k', 'during');
      assert.equal(c.cache!.invalidationClientId, null, 'still in the window');
      let successor: number | null = null;
      for (const until = Date.now() + 10_000; successor === null || successor === id; successor = c.cache!.invalidationClientId) {
        assert.ok(Date.now() < until, 'no successor was subscribed');
        await sleep(5);
      }
      assert.equal(await readUntilCached(c, 'inv:k'), 'during');
      await admin.set('inv:k', 'later');
      // The invalidation comes through the successor; a value kept from the dead connection's time never would.
      for (const until = Date.now() + 5_000; (await c.get('inv:k')) !== 'later'; ) {
        assert.ok(Date.now() < until, 'the old value is still served');
        await sleep(5);
      }
    });

    it('refuses a bad noloop option', () => {
      assert.throws(() => createClient({ port: server().port, cache: { noloop: 'yes' as never } }), /noloop must be a boolean/);
    });
  });
}

describe('client-side cache on a sentinel client (redis)', () => {
  let group: SentinelGroup;
  before(async () => {
    group = await startSentinelGroup({ kind: 'redis' });
  });
  after(async () => {
    await group.stop();
  });

  for (const protocol of [3, 2] as const) {
    it(`RESP${protocol}: a failover flushes the cache; a write on the new primary is read, not the old value`, async () => {
      await group.settled(30_000);
      const c = createSentinel({ sentinels: group.sentinelAddresses.map((a) => ({ ...a })), name: 'mymaster', protocol, cache: {} });
      try {
        const key = `failover${protocol}`;
        await c.set(key, 'old');
        assert.equal(await readUntilCached(c, key), 'old');
        const flushed = nextFlush(c);
        const oldPort = await group.failover();
        assert.equal(await flushed, 'disconnect');
        const moved = Date.now() + 30_000;
        while (c.address?.port === oldPort || c.status !== 'ready') {
          assert.ok(Date.now() < moved, 'the client never moved to the new primary');
          await new Promise((r) => setTimeout(r, 20));
        }
        const port = c.address!.port;
        await using direct = await createClient({ port }).connect();
        // The new primary's own write: the old primary's tracking never hears of it.
        await direct.set(key, 'new');
        const deadline = Date.now() + 30_000;
        for (;;) {
          let v: string | null = null;
          try {
            v = await c.get(key);
          } catch (e) {
            if (!(e instanceof ConnectionError)) throw e;
          }
          // Before the client has moved it may still read the old primary (a replica now, fed by
          // replication); never a value the cache kept from before the failover once 'new' was seen.
          if (v === 'new') break;
          assert.ok(Date.now() < deadline, `still reading ${String(v)}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        assert.equal(c.address?.port, port);
        assert.equal(await readUntilCached(c, key), 'new');
        assert.equal(await c.get(key), 'new');
      } finally {
        await c.close();
      }
    });
  }
});
