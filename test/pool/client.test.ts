import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BlockingConnectionPool,
  ConnectionError,
  DataError,
  MaxConnectionsError,
  PoolTimeoutError,
  TimeoutError,
  WrongTypeError,
  createClient,
  type RedisClient,
} from '../../src/index.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';
import { closedEvents, countNamed, settled } from './helpers.js';

/** Resolves once the server counts `n` clients blocked in a command (BLPOP…). */
async function blockedClients(observer: RedisClient, n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const info = await observer.info('clients');
    if (Number(info['clients']!['blocked_clients']) === n) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`the server never had ${n} blocked clients`);
}

for (const kind of SERVER_KINDS) {
  describe(`client pools on ${kind}`, () => {
    const server = useServer({ kind });

    describe('blocking commands', () => {
      it('50 BLPOPs waiting do not stall GETs on the same client (each answers in < 10 ms)', async () => {
        await using c = await createClient({ port: server().port }).connect();
        await using observer = await createClient({ port: server().port }).connect();
        await c.set('iso:get', 'v');
        const pops = Array.from({ length: 50 }, (_, i) =>
          i % 2 === 0 ? c.blpop(`iso:q:${i}`, 0) : c.call('BLPOP', `iso:q:${i}`, 0),
        );
        await blockedClients(observer, 50);
        assert.equal(c.pool.stats().inUse, 50);
        const latencies: number[] = [];
        for (let i = 0; i < 50; i++) {
          const t = process.hrtime.bigint();
          assert.equal(await c.get('iso:get'), 'v');
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
        assert.ok(Math.max(...latencies) < 10, `GET latencies up to ${Math.max(...latencies).toFixed(2)} ms`);
        for (let i = 0; i < 50; i++) await c.rpush(`iso:q:${i}`, `x${i}`);
        const popped = await Promise.all(pops);
        popped.forEach((r, i) => {
          if (i % 2 === 0) assert.deepEqual(r, { key: `iso:q:${i}`, element: `x${i}` });
          else assert.deepEqual(r, [`iso:q:${i}`, `x${i}`]);
        });
        // Each lease went back after its reply: all 50 are free for the next blocking command.
        assert.deepEqual({ ...c.pool.stats(), max: 0 }, { max: 0, size: 50, free: 50, inUse: 0, creating: 0, closing: 0, waiting: 0 });
      });

      it('a blocking command that times out gives back its lease; an error reply keeps the connection', async () => {
        await using c = await createClient({ port: server().port }).connect();
        assert.equal(await c.blpop('iso:empty', 0.05), null);
        assert.equal(c.pool.stats().free, 1);
        const conn = c.pool.stats();
        await c.set('iso:str', 'x');
        await assert.rejects(c.blpop('iso:str', 0.05), WrongTypeError);
        assert.deepEqual(c.pool.stats(), conn);
        // XREAD without BLOCK is an ordinary read on the shared connection; with BLOCK it is leased.
        await c.call('XADD', 'iso:stream', '*', 'f', 'v');
        let acquires = 0;
        c.pool.on('acquire', () => acquires++);
        await c.call('XREAD', 'STREAMS', 'iso:stream', '0');
        assert.equal(acquires, 0);
        await c.call('XREAD', 'BLOCK', 10, 'STREAMS', 'iso:stream', '$');
        assert.equal(acquires, 1);
      });

      it('a client-side timeout ends the leased connection, and the next lease gets a new one', async () => {
        // The server checks block timeouts on its own clock (up to 100 ms late): leave it room.
        await using c = await createClient({ port: server().port, commandTimeout: 300 }).connect();
        assert.equal(await c.blpop('iso:never', 0.01), null);
        assert.equal(c.pool.stats().free, 1);
        const closed = closedEvents(c.pool, 1);
        server().pause();
        try {
          // 10 ms of block time on top of the 300 ms command timeout, and a server that says nothing.
          await assert.rejects(c.blpop('iso:never', 0.01), TimeoutError);
        } finally {
          server().resume();
        }
        assert.deepEqual(await closed, ['broken']);
        assert.equal(c.pool.stats().size, 0);
        assert.equal(await c.blpop('iso:never', 0.01), null);
      });

      it('waits for a connection when the pool is full, then PoolTimeoutError; or MaxConnectionsError', async () => {
        await using c = await createClient({ port: server().port, pool: { maxConnections: 2, timeout: 300 } }).connect();
        await using observer = await createClient({ port: server().port }).connect();
        const a = c.blpop('iso:w1', 5);
        const b = c.blpop('iso:w2', 5);
        // Both connections made and blocked first: the third caller can only wait, then time out.
        await blockedClients(observer, 2);
        await assert.rejects(c.blpop('iso:w3', 0.5), PoolTimeoutError);
        await c.rpush('iso:w1', 'a');
        await c.rpush('iso:w2', 'b');
        await Promise.all([a, b]);
        assert.ok(c.pool instanceof BlockingConnectionPool);

        await using d = await createClient({ port: server().port, pool: { maxConnections: 1, blocking: false } }).connect();
        const held = d.blpop('iso:w4', 0.5);
        await assert.rejects(d.blpop('iso:w5', 0.5), MaxConnectionsError);
        await d.rpush('iso:w4', 'x');
        await held;
      });

      it('leases follow a SELECT on the client', async () => {
        await using c = await createClient({ port: server().port }).connect();
        await c.rpush('iso:db', 'in0');
        assert.deepEqual(await c.blpop('iso:db', 0.01), { key: 'iso:db', element: 'in0' });
        await c.select(3);
        await c.rpush('iso:db', 'in3');
        assert.deepEqual(await c.blpop('iso:db', 0.01), { key: 'iso:db', element: 'in3' });
        const lease = await c.leaseConnection();
        const info = String(await lease.connection.send(['CLIENT', 'INFO']));
        assert.match(info, / db=3 /);
        lease.release();
      });
    });

    describe('isolated()', () => {
      it('runs every command of the callback on one leased connection, and lends it again after', async () => {
        await using c = await createClient({ port: server().port }).connect();
        const mainId = await c.clientId();
        const result = await c.isolated(async (iso) => {
          const id = await iso.clientId();
          assert.notEqual(id, mainId);
          // WATCH / MULTI / EXEC on a session no one else writes into.
          await iso.call('WATCH', 'iso:counter');
          const v = Number((await iso.get('iso:counter')) ?? 0);
          await iso.call('MULTI');
          await iso.call('SET', 'iso:counter', String(v + 1));
          const exec = await iso.call('EXEC');
          assert.deepEqual(exec, ['OK']);
          assert.equal(await iso.clientId(), id);
          assert.equal(iso.withBuffers().connection, iso.connection);
          return id;
        });
        assert.equal(await c.get('iso:counter'), '1');
        assert.deepEqual(c.pool.stats().free, 1);
        assert.equal(await c.isolated((iso) => iso.clientId()), result);
      });

      it('refuses the isolated client after the callback settled, and refuses to close it', async () => {
        await using c = await createClient({ port: server().port }).connect();
        let kept: Awaited<Parameters<Parameters<typeof c.isolated>[0]>[0]> | undefined;
        await c.isolated(async (iso) => {
          kept = iso;
          await assert.rejects((iso as unknown as RedisClient).close(), DataError);
        });
        await assert.rejects(kept!.get('x'), ConnectionError);
        await assert.rejects(kept!.call('PING'), ConnectionError);
      });

      it('undoes an open MULTI or WATCH and reuses the connection; discards one it cannot clean', async () => {
        await using c = await createClient({ port: server().port }).connect();
        const reasons: string[] = [];
        c.pool.on('connectionClosed', (e) => reasons.push(e.reason));
        const id1 = await c.isolated(async (iso) => {
          await iso.call('MULTI');
          await iso.call('SET', 'iso:never-set', '1');
          return iso.clientId(); // queued: its reply is 'QUEUED', not a number
        });
        assert.equal(id1, 'QUEUED');
        const id2 = await c.isolated(async (iso) => {
          await iso.call('WATCH', 'iso:w');
          return iso.clientId();
        });
        assert.equal(await c.get('iso:never-set'), null);
        // Still the same one connection, clean: no MULTI open, nothing watched.
        assert.equal(await c.isolated((iso) => iso.clientId()), id2);
        assert.equal(c.pool.stats().size, 1);

        let closed = closedEvents(c.pool, 1);
        await c.isolated(async (iso) => {
          await iso.select(2);
        });
        await closed;
        closed = closedEvents(c.pool, 1);
        await assert.rejects(
          c.isolated(async () => {
            throw new ConnectionError('the callback saw a broken connection');
          }),
          ConnectionError,
        );
        await closed;
        assert.deepEqual(reasons, ['dirty', 'dirty']);
        assert.equal(c.pool.stats().size, 0);
      });

      it('10,000 leases whose callbacks throw leak no connection', async () => {
        const name = `iso-leak-${kind}`;
        await using observer = await createClient({ port: server().port }).connect();
        await using c = await createClient({ port: server().port, pool: { maxConnections: 16, clientName: name } }).connect();
        let acquires = 0;
        let releases = 0;
        c.pool.on('acquire', () => acquires++);
        c.pool.on('release', () => releases++);
        const N = 10_000;
        const outcomes = await Promise.allSettled(
          Array.from({ length: N }, (_, i) =>
            c.isolated(async (iso) => {
              await iso.incr('iso:leak');
              if (i % 100 === 0) throw new ConnectionError(`broken ${i}`); // discarded
              if (i % 7 === 0) await iso.call('MULTI'); // undone, kept
              // A reply still owed: the connection closes once it came (or, on a slow machine, is cut after
              // the pool's grace period, which rejects this GET: never awaited, so never unhandled).
              if (i % 11 === 0) iso.get('iso:leak').catch(() => {});
              throw new Error(`boom ${i}`);
            }),
          ),
        );
        assert.equal(outcomes.length, N);
        outcomes.forEach((o, i) => {
          assert.equal(o.status, 'rejected');
          assert.equal((o.reason as Error).message, i % 100 === 0 ? `broken ${i}` : `boom ${i}`);
        });
        assert.equal(await c.get('iso:leak'), String(N));
        assert.equal(acquires, N);
        assert.equal(releases, N);
        await settled(c.pool);
        const stats = c.pool.stats();
        assert.equal(stats.inUse, 0);
        assert.equal(stats.waiting, 0);
        assert.ok(stats.free >= 1 && stats.free <= 16);
        assert.equal(stats.size, stats.free);
        assert.equal(await countNamed(observer, name), stats.free);
      });
    });

    describe('connections: N', () => {
      it('spreads commands over N connections, sets the db on all, and closes them all', async () => {
        const name = `spread-${kind}`;
        await using observer = await createClient({ port: server().port }).connect();
        const c = await createClient({ port: server().port, connections: 4, clientName: name }).connect();
        const ids = await Promise.all(Array.from({ length: 200 }, () => c.clientId()));
        assert.equal(new Set(ids).size, 4);
        assert.equal(await countNamed(observer, name), 4);
        assert.equal(await c.select(2), 'OK');
        const dbs = await Promise.all(Array.from({ length: 200 }, () => c.clientInfo()));
        assert.ok(dbs.every((r) => r['db'] === 2));
        assert.equal(new Set(dbs.map((r) => r['id'])).size, 4);
        // call() spreads too; a burst of writes and reads, each awaited pair in order.
        await Promise.all(
          Array.from({ length: 500 }, async (_, i) => {
            await c.set(`spread:${i}`, String(i));
            assert.equal(await c.call('GET', `spread:${i}`), String(i));
          }),
        );
        assert.equal(await c.dbsize(), 500);
        // Pipelines spread too, each whole on one connection.
        const piped = await Promise.all(Array.from({ length: 8 }, () => c.pipeline().clientId().clientId().exec()));
        for (const [a, b] of piped) assert.equal(a, b);
        assert.equal(new Set(piped.map(([a]) => a)).size, 4);
        await c.close();
        assert.equal(await countNamed(observer, name), 0);
      });

      it('refuses a bad connections option with a DataError', () => {
        assert.throws(() => createClient({ port: server().port, connections: 0 }), DataError);
      });
    });

    it('close() closes the pool, and disconnect() cuts it', async () => {
      const name = `pool-close-${kind}`;
      await using observer = await createClient({ port: server().port }).connect();
      const c = await createClient({ port: server().port, pool: { clientName: name } }).connect();
      await Promise.all([c.blpop('iso:c1', 0.01), c.blpop('iso:c2', 0.01)]);
      assert.equal(await countNamed(observer, name), 2);
      await c.close();
      assert.equal(await countNamed(observer, name), 0);
      assert.equal(c.pool.isClosed, true);

      const d = await createClient({ port: server().port }).connect();
      const blocked = d.blpop('iso:never', 0);
      await blockedClients(observer, 1);
      d.disconnect();
      await assert.rejects(blocked, ConnectionError);
    });
  });
}
