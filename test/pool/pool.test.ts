import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BlockingConnectionPool,
  ClientClosedError,
  ConnectionError,
  ConnectionPool,
  DataError,
  MaxConnectionsError,
  PoolTimeoutError,
  createClient,
  type Connection,
} from '../../src/index.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';
import { closedEvents, countNamed, settled } from './helpers.js';

for (const kind of SERVER_KINDS) {
  describe(`pools on ${kind}`, () => {
    const server = useServer({ kind });

    it('makes connections on demand and lends the most recently released first', async () => {
      await using pool = new ConnectionPool({ port: server().port, maxConnections: 5 });
      assert.deepEqual(pool.stats(), { max: 5, size: 0, free: 0, inUse: 0, creating: 0, closing: 0, waiting: 0 });
      const a = await pool.acquire();
      const b = await pool.acquire();
      assert.notEqual(a, b);
      assert.equal(a.state, 'ready');
      assert.equal(await a.send(['PING']), 'PONG');
      assert.equal(pool.stats().inUse, 2);
      pool.release(a);
      pool.release(b);
      assert.equal(pool.stats().free, 2);
      assert.equal(await pool.acquire(), b);
      assert.equal(await pool.acquire(), a);
      assert.equal(pool.stats().size, 2);
      pool.release(a);
      pool.release(a); // a second release changes nothing
      pool.release(b);
      assert.deepEqual(pool.stats(), { max: 5, size: 2, free: 2, inUse: 0, creating: 0, closing: 0, waiting: 0 });
    });

    it('refuses past maxConnections with MaxConnectionsError, a ConnectionError', async () => {
      await using pool = new ConnectionPool({ port: server().port, maxConnections: 2 });
      const a = await pool.acquire();
      await pool.acquire();
      const err = await pool.acquire().catch((e: unknown) => e);
      assert.ok(err instanceof MaxConnectionsError);
      assert.ok(err instanceof ConnectionError);
      // Asked together, the ones beyond the limit fail and the rest are served.
      pool.release(a);
      const results = await Promise.allSettled([pool.acquire(), pool.acquire()]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const rejected = results.find((r) => r.status === 'rejected');
      assert.ok(rejected !== undefined && rejected.reason instanceof MaxConnectionsError);
    });

    it('closes connections idle for longer than idleTimeout, and the server sees them go', async () => {
      const name = `idle-${kind}`;
      await using observer = await createClient({ port: server().port }).connect();
      await using pool = new ConnectionPool({ port: server().port, clientName: name, idleTimeout: 40 });
      const conns = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
      assert.equal(await countNamed(observer, name), 3);
      const closed = closedEvents(pool, 3);
      for (const c of conns) pool.release(c);
      assert.deepEqual(await closed, ['idle', 'idle', 'idle']);
      assert.deepEqual(pool.stats(), { max: 100, size: 0, free: 0, inUse: 0, creating: 0, closing: 0, waiting: 0 });
      assert.equal(await countNamed(observer, name), 0);
    });

    it('keeps a connection in use, or released recently, open past idleTimeout', async () => {
      await using pool = new ConnectionPool({ port: server().port, idleTimeout: 60 });
      const held = await pool.acquire();
      const other = await pool.acquire();
      const closed = closedEvents(pool, 1);
      pool.release(other);
      await closed;
      assert.equal(held.state, 'ready');
      assert.equal(pool.stats().inUse, 1);
      pool.release(held);
    });

    it('closes a connection that comes back dirty instead of lending it again', async () => {
      await using pool = new ConnectionPool({ port: server().port });
      const reasons: string[] = [];
      pool.on('connectionClosed', (e) => reasons.push(e.reason));

      // Flagged by the releaser.
      const a = await pool.acquire();
      let closed = closedEvents(pool, 1);
      pool.release(a, true);
      await closed;
      assert.equal(a.state, 'closed');

      // Still owing a reply: closed, but only after the reply came, so its caller still gets it.
      const b = await pool.acquire();
      const pending = b.send(['ECHO', 'late']);
      assert.equal(b.busy, true);
      closed = closedEvents(pool, 1);
      pool.release(b);
      assert.equal(await pending, 'late');
      await closed;

      // Subscribed (a reply interceptor or push listeners installed by a pub/sub owner).
      const c = await pool.acquire();
      c.on('push', () => {});
      closed = closedEvents(pool, 1);
      pool.release(c);
      await closed;

      // Moved to another db than the pool's.
      const d = await pool.acquire();
      await d.send(['SELECT', 5]);
      d.options.db = 5;
      closed = closedEvents(pool, 1);
      pool.release(d);
      await closed;

      assert.deepEqual(reasons, ['dirty', 'dirty', 'dirty', 'dirty']);
      assert.equal(pool.stats().size, 0);
      const e = await pool.acquire();
      assert.ok(![a, b, c, d].includes(e));
      pool.release(e);
    });

    it('replaces a free connection that broke, and health-checks one that sat idle', async () => {
      await using observer = await createClient({ port: server().port }).connect();
      await using pool = new ConnectionPool({ port: server().port, healthCheckAfter: 0 });
      const a = await pool.acquire();
      const id = await a.send(['CLIENT', 'ID']);
      pool.release(a);
      const broken = closedEvents(pool, 1);
      await observer.call('CLIENT', 'KILL', 'ID', String(id));
      assert.deepEqual(await broken, ['broken']);
      assert.equal(pool.stats().size, 0);
      // healthCheckAfter 0: every lend of a free connection goes through a PING first.
      const b = await pool.acquire();
      assert.notEqual(await b.send(['CLIENT', 'ID']), id);
      pool.release(b);
      assert.equal(await pool.acquire(), b);
      pool.release(b);
    });

    it('emits typed events for creation, lending, returns and waits', async () => {
      await using pool = new BlockingConnectionPool({ port: server().port, maxConnections: 1, timeout: null });
      const log: string[] = [];
      pool.on('connectionCreated', (e) => log.push(`created:${e.size}`));
      pool.on('acquire', (e) => log.push(`acquire:${e.inUse}`));
      pool.on('release', (e) => log.push(`release:${e.discarded}`));
      pool.on('waiting', (e) => log.push(`waiting:${e.waiting}`));
      pool.on('connectionClosed', (e) => log.push(`closed:${e.reason}`));
      const a = await pool.acquire();
      const next = pool.acquire();
      pool.release(a);
      const b = await next;
      assert.equal(a, b);
      const closed = closedEvents(pool, 1);
      pool.release(b, true);
      await closed;
      assert.deepEqual(log, ['created:1', 'acquire:1', 'waiting:1', 'release:false', 'acquire:1', 'release:true', 'closed:dirty']);
    });

    it('lease(): release is idempotent and `using` gives the connection back', async () => {
      await using pool = new ConnectionPool({ port: server().port, maxConnections: 1 });
      {
        using lease = await pool.lease();
        assert.equal(await lease.connection.send(['PING']), 'PONG');
        lease.release();
        lease.release();
        assert.equal(pool.stats().free, 1);
        const again = await pool.acquire();
        assert.equal(again, lease.connection);
        // The lease was released already: its disposal must not hand back what someone else holds now.
      }
      assert.equal(pool.stats().inUse, 1);
    });

    it('validates its options', () => {
      assert.throws(() => new ConnectionPool({ maxConnections: 0 }), DataError);
      assert.throws(() => new ConnectionPool({ idleTimeout: -1 }), DataError);
      assert.throws(() => new BlockingConnectionPool({ timeout: -5 }), DataError);
      const p = ConnectionPool.fromUrl('redis://127.0.0.1:1/3?max_connections=7');
      assert.equal(p.maxConnections, 7);
      assert.equal(p.connectionOptions.db, 3);
      assert.equal('maxConnections' in p.connectionOptions, false);
    });

    it('rejects the waiting caller with the connect error when a connection cannot be made', async () => {
      await using pool = new BlockingConnectionPool({ port: 1, connectTimeout: 1_000, timeout: 1_000 });
      const err = await pool.acquire().catch((e: unknown) => e);
      assert.ok(err instanceof ConnectionError);
      assert.ok(!(err instanceof PoolTimeoutError));
      assert.deepEqual(pool.stats(), { max: 100, size: 0, free: 0, inUse: 0, creating: 0, closing: 0, waiting: 0 });
    });

    describe('BlockingConnectionPool', () => {
      it('serves 100 concurrent leases over 10 connections in order, never more than 10 on the server', async () => {
        const name = `fifo-${kind}`;
        await using observer = await createClient({ port: server().port }).connect();
        await using pool = new BlockingConnectionPool({ port: server().port, clientName: name, maxConnections: 10, timeout: 5_000 });
        let maxSeen = 0;
        let running = true;
        const watch = (async () => {
          while (running) maxSeen = Math.max(maxSeen, await countNamed(observer, name));
        })();
        let waitingEvents = 0;
        pool.on('waiting', () => waitingEvents++);
        const served: number[] = [];
        const waits: number[] = [];
        const tasks = Array.from({ length: 100 }, async (_, i) => {
          const asked = Date.now();
          const conn = await pool.acquire();
          waits.push(Date.now() - asked);
          served.push(i);
          assert.ok(pool.stats().size <= 10);
          // Hold it for a round trip or two, so later callers really queue.
          await conn.send(['PING']);
          await conn.send(['ECHO', String(i)]);
          pool.release(conn);
        });
        await Promise.all(tasks);
        running = false;
        await watch;
        assert.deepEqual(served, Array.from({ length: 100 }, (_, i) => i));
        assert.ok(waits.every((w) => w <= 5_000));
        assert.ok(waitingEvents > 0);
        assert.ok(maxSeen >= 1 && maxSeen <= 10, `max ${maxSeen} pooled connections on the server`);
        assert.equal(await countNamed(observer, name), 10);
        assert.deepEqual(pool.stats(), { max: 10, size: 10, free: 10, inUse: 0, creating: 0, closing: 0, waiting: 0 });
      });

      it('gives up after its timeout with PoolTimeoutError, and not before', async () => {
        await using pool = new BlockingConnectionPool({ port: server().port, maxConnections: 1, timeout: 80 });
        const held = await pool.acquire();
        const started = Date.now();
        const results = await Promise.allSettled([pool.acquire(), pool.acquire()]);
        const elapsed = Date.now() - started;
        for (const r of results) {
          assert.equal(r.status, 'rejected');
          assert.ok(r.reason instanceof PoolTimeoutError);
          assert.ok(r.reason instanceof ConnectionError);
        }
        assert.ok(elapsed >= 75, `gave up after ${elapsed} ms`);
        assert.equal(pool.stats().waiting, 0);
        // The timed-out callers left no trace: the next one is served at once on release.
        const next = pool.acquire();
        pool.release(held);
        assert.equal(await next, held);
        pool.release(held);
      });

      it('waits forever with timeout null', async () => {
        await using pool = new BlockingConnectionPool({ port: server().port, maxConnections: 1, timeout: null });
        const held = await pool.acquire();
        const waiting = new Promise<void>((resolve) => pool.once('waiting', () => resolve()));
        const next = pool.acquire();
        await waiting;
        // Nothing times it out: the caller is served on the release, whenever that is.
        await held.send(['PING']);
        pool.release(held);
        pool.release(await next);
      });

      it('close() refuses waiters and new callers, and closes lent connections after their replies', async () => {
        const pool = new BlockingConnectionPool({ port: server().port, maxConnections: 1, timeout: null });
        const held = await pool.acquire();
        const waiter = pool.acquire();
        const inflight = held.send(['ECHO', 'last']);
        const closing = pool.close();
        await assert.rejects(waiter, ClientClosedError);
        await assert.rejects(pool.acquire(), ClientClosedError);
        assert.equal(await inflight, 'last');
        await closing;
        assert.equal(held.state, 'closed');
        await assert.rejects(held.send(['PING']), ClientClosedError);
        pool.release(held); // too late, and harmless
        assert.equal(pool.stats().size, 0);
      });

      it('disconnect() ends lent connections at once', async () => {
        const pool = new BlockingConnectionPool({ port: server().port });
        const held: Connection = await pool.acquire();
        const blocked = held.send(['BLPOP', 'pool:never', 0]);
        pool.disconnect();
        await assert.rejects(blocked, ConnectionError);
        await pool.close();
        await settled(pool);
        assert.equal(pool.stats().size, 0);
      });
    });
  });
}
