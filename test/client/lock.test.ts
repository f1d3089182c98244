import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError, LockError, LockNotOwnedError, createClient, type RedisClient } from '../../src/index.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';

for (const kind of SERVER_KINDS) {
  describe(`lock on ${kind}`, () => {
    const server = useServer({ kind });
    const connect = (protocol: 2 | 3 = 3) => createClient({ port: server().port, protocol }).connect();

    it('20 clients incrementing one counter under one lock, 1,000 times in all: the count is exact', async () => {
      const clients: RedisClient[] = await Promise.all(Array.from({ length: 20 }, (_, i) => connect(i % 2 === 0 ? 2 : 3)));
      try {
        await clients[0]!.del('lock:counter', 'lock:count');
        await Promise.all(
          clients.map(async (c) => {
            for (let i = 0; i < 50; i++) {
              // GET then SET: without the lock, concurrent increments would be lost.
              await using _held = await c.lock('lock:counter', { timeout: 10_000, sleep: 1 }).acquire();
              const v = Number((await c.get('lock:count')) ?? '0');
              await c.set('lock:count', String(v + 1));
            }
          }),
        );
        assert.equal(await clients[0]!.get('lock:count'), '1000');
        assert.equal(await clients[0]!.exists('lock:counter'), 0);
      } finally {
        for (const c of clients) c.disconnect();
      }
    });

    it('an expired lock cannot be released by its old owner', async () => {
      await using a = await connect();
      await using b = await connect(2);
      const mine = await a.lock('lock:expiring', { timeout: 50 }).acquire();
      assert.equal(await mine.owned(), true);
      // b blocks until the lock expires by itself, then takes it.
      const theirs = await b.lock('lock:expiring', { timeout: 10_000, sleep: 5 }).acquire();
      assert.equal(await theirs.owned(), true);
      assert.equal(await mine.owned(), false);
      await assert.rejects(mine.extend(1000), LockNotOwnedError);
      await assert.rejects(mine.reacquire(), LockNotOwnedError);
      await assert.rejects(mine.release(), LockNotOwnedError);
      // The failed release left the other owner's lock alone.
      assert.equal(await theirs.owned(), true);
      assert.equal(await theirs.locked(), true);
      await theirs.release();
      assert.equal(await theirs.locked(), false);
    });

    it('blocking, non-blocking and bounded waits', async () => {
      await using a = await connect();
      await using b = await connect();
      const held = await a.lock('lock:wait', { timeout: 10_000 }).acquire();
      assert.equal(await b.lock('lock:wait', { blocking: false }).tryAcquire(), false);
      await assert.rejects(b.lock('lock:wait').acquire({ blocking: false }), LockError);
      const t0 = performance.now();
      await assert.rejects(b.lock('lock:wait', { blockingTimeout: 60, sleep: 10 }).acquire(), LockError);
      assert.ok(performance.now() - t0 >= 55);
      // A waiter gets it as soon as it is released.
      const waiting = b.lock('lock:wait', { sleep: 5 }).acquire();
      await held.release();
      const got = await waiting;
      assert.equal(await got.owned(), true);
      await got.release();
    });

    it('extend() adds time or replaces it; reacquire() resets it', async () => {
      await using c = await connect();
      const lock = await c.lock('lock:ttl', { timeout: 10_000 }).acquire();
      await lock.extend(20_000);
      const added = await c.pttl('lock:ttl');
      assert.ok(added > 25_000 && added <= 30_000, `pttl ${added}`);
      await lock.extend(5_000, { replaceTtl: true });
      const replaced = await c.pttl('lock:ttl');
      assert.ok(replaced > 4_000 && replaced <= 5_000, `pttl ${replaced}`);
      await lock.reacquire();
      const reset = await c.pttl('lock:ttl');
      assert.ok(reset > 9_000 && reset <= 10_000, `pttl ${reset}`);
      await lock.release();
      await assert.rejects(lock.release(), LockError);
      await assert.rejects(lock.extend(10), LockError);
      const forever = await c.lock('lock:forever').acquire();
      assert.equal(await c.pttl('lock:forever'), -1);
      await assert.rejects(forever.extend(10), /no timeout/);
      await forever.release();
    });

    it('disposal releases; it reports a lock lost meanwhile unless told not to', async () => {
      await using c = await connect();
      {
        await using lock = await c.lock('lock:dispose', { timeout: 10_000 }).acquire();
        assert.equal(await lock.locked(), true);
      }
      assert.equal(await c.exists('lock:dispose'), 0);
      const lost = async (raiseOnReleaseError: boolean) => {
        await using lock = await c.lock('lock:dispose', { timeout: 10_000, raiseOnReleaseError }).acquire();
        await c.set('lock:dispose', 'someone else');
      };
      await assert.rejects(lost(true), LockNotOwnedError);
      await c.del('lock:dispose');
      await lost(false);
      assert.equal(await c.get('lock:dispose'), 'someone else');
      await c.del('lock:dispose');
    });

    it('runs its scripts after SCRIPT FLUSH, and refuses bad options', async () => {
      await using c = await connect();
      const lock = await c.lock('lock:flush', { timeout: 10_000 }).acquire();
      await c.call('SCRIPT', 'FLUSH');
      await lock.extend(100);
      await lock.release();
      assert.throws(() => c.lock(5 as unknown as string), DataError);
      assert.throws(() => c.lock('x', { timeout: 0 }), DataError);
      assert.throws(() => c.lock('x', { timeout: 1.5 }), DataError);
      const twice = await c.lock('lock:twice').acquire();
      await assert.rejects(twice.acquire(), LockError);
      await twice.release();
    });
  });
}
