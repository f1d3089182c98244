/**
 * maxConnectionAge against real servers: a connection older than it is replaced with no command lost
 * or sent twice — the shared connection after the replies it owes, pool connections when they are free.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { ConnectionPool, DataError, EventDispatcher, createClient, createCluster, type Connection } from '../../src/index.js';
import { SERVER_KINDS, useCluster, useServer } from '../servers/index.js';

/** Resolves at the next renewal of `conn` for age (the 'reconnecting' it causes says why). */
function renewal(conn: Connection): Promise<void> {
  return new Promise((resolve) => {
    const on = (info: { error: Error }) => {
      if (!/maxConnectionAge/.test(info.error.message)) return;
      conn.off('reconnecting', on);
      resolve();
    };
    conn.on('reconnecting', on);
  });
}

for (const kind of SERVER_KINDS) {
  describe(`maxConnectionAge on ${kind}`, () => {
    const server = useServer({ kind });

    for (const protocol of [2, 3] as const) {
      it(`RESP${protocol}: the shared connection is renewed under load, nothing lost or sent twice`, async () => {
        const key = `age:counter:${protocol}`;
        await using c = await createClient({ port: server().port, protocol, maxConnectionAge: 300 }).connect();
        await c.del(key);
        const ids = new Set<number>();
        let renewals = 0;
        c.connection.on('reconnecting', (info) => {
          if (/maxConnectionAge/.test(info.error.message)) renewals++;
        });
        let sent = 0;
        const failures: unknown[] = [];
        // Bursts of INCR on every turn for a while, and the connection's id now and then.
        const until = Date.now() + 2_500;
        while (Date.now() < until) {
          const burst: Promise<unknown>[] = [];
          for (let i = 0; i < 50; i++) burst.push(c.incr(key).catch((e: unknown) => failures.push(e)));
          sent += 50;
          burst.push(c.call('CLIENT', 'ID').then((id) => ids.add(Number(id))));
          await Promise.all(burst);
        }
        assert.deepEqual(failures, []);
        assert.equal(Number(await c.get(key)), sent, 'every INCR ran exactly once');
        assert.ok(renewals >= 3, `renewed ${renewals} times in 2.5 s with a 300 ms age`);
        assert.ok(ids.size >= 3, `saw ${ids.size} connection ids`);
      });
    }

    it('the connections of a spread client are renewed one at a time', async () => {
      const events = new EventDispatcher();
      const conns: Connection[] = [];
      events.on('connectionCreated', ({ connection, reconnect }) => {
        if (!reconnect) conns.push(connection);
      });
      await using c = await createClient({ port: server().port, connections: 4, maxConnectionAge: 250, events }).connect();
      // A command spread over the four makes them.
      await Promise.all(Array.from({ length: 8 }, () => c.ping()));
      assert.equal(conns.length, 4);
      let renewing = 0;
      let most = 0;
      const renewals = new Map<Connection, number>();
      for (const conn of conns) {
        conn.on('reconnecting', (info) => {
          if (!/maxConnectionAge/.test(info.error.message)) return;
          // The renewal began when the old socket was let go; it ends when the new one is ready.
          renewing++;
          most = Math.max(most, renewing);
          renewals.set(conn, (renewals.get(conn) ?? 0) + 1);
          conn.once('ready', () => renewing--);
        });
      }
      let sent = 0;
      const until = Date.now() + 2_500;
      while (Date.now() < until) {
        await Promise.all(Array.from({ length: 40 }, () => c.incr('age:spread')));
        sent += 40;
      }
      assert.equal(Number(await c.get('age:spread')), sent);
      await c.del('age:spread');
      assert.equal(most, 1, 'two connections were renewing at once');
      for (const conn of conns) assert.ok((renewals.get(conn) ?? 0) >= 2, `a connection renewed ${renewals.get(conn) ?? 0} times`);
    });

    it('a renewal waits for the replies in flight: commands issued meanwhile go out on the new connection', async () => {
      await using c = await createClient({ port: server().port, maxConnectionAge: 200, enableOfflineQueue: false }).connect();
      const oldId = Number(await c.call('CLIENT', 'ID'));
      // WAIT 1 … blocks for its timeout on a server without replicas: a reply owed for 1.5 s.
      const wait = c.call('WAIT', 1, 1500);
      await renewal(c.connection);
      // The renewal has begun; the old socket still owes WAIT's reply. Even with the offline queue
      // off, these wait for the new socket rather than failing.
      const during = [c.call('CLIENT', 'ID'), c.set('age:during', 'v'), c.get('age:during')];
      assert.equal(await wait, 0);
      const [newId, setReply, got] = await Promise.all(during);
      assert.notEqual(Number(newId), oldId);
      assert.equal(setReply, 'OK');
      assert.equal(got, 'v');
    });

    it('pool connections: a lent one is kept until released, then closed; a free one is not lent again', async () => {
      const pool = new ConnectionPool({ port: server().port, maxConnectionAge: 300, maxConnections: 2 });
      try {
        const closed: string[] = [];
        pool.on('connectionClosed', (e) => void closed.push(e.reason));
        const a = await pool.acquire();
        const idA = Number(await a.send(['CLIENT', 'ID']));
        // Past its age while lent: still the user's, still working.
        await new Promise((r) => setTimeout(r, 400));
        assert.equal(Number(await a.send(['CLIENT', 'ID'])), idA);
        const aClosed = once(pool, 'connectionClosed');
        pool.release(a);
        const [event] = (await aClosed) as [{ connection: Connection; reason: string }];
        assert.equal(event.reason, 'aged');
        assert.equal(event.connection, a);

        const b = await pool.acquire();
        const idB = Number(await b.send(['CLIENT', 'ID']));
        assert.notEqual(idB, idA);
        pool.release(b);
        // Free, and aged while free: the next caller gets a new connection.
        await new Promise((r) => setTimeout(r, 400));
        const bClosed = new Promise<string>((resolve) => pool.on('connectionClosed', (e) => e.connection === b && resolve(e.reason)));
        const c = await pool.acquire();
        assert.notEqual(c, b);
        assert.notEqual(Number(await c.send(['CLIENT', 'ID'])), idB);
        pool.release(c);
        assert.equal(await bClosed, 'aged');
        assert.deepEqual(closed, ['aged', 'aged']);
      } finally {
        await pool.close();
      }
    });
  });
}

describe('maxConnectionAge on a 3-primary cluster', () => {
  const cluster = useCluster({ primaries: 3, replicas: 0 });

  it('every node connection is renewed under load across the slots, nothing lost or sent twice', async () => {
    const events = new EventDispatcher();
    const renewedPorts = new Map<number, number>();
    events.on('connectionCreated', ({ connection, reconnect }) => {
      if (reconnect) renewedPorts.set(connection.options.port!, (renewedPorts.get(connection.options.port!) ?? 0) + 1);
    });
    await using c = await createCluster({ nodes: [cluster().seeds()[0]!], maxConnectionAge: 300, events }).connect();
    const keys = Array.from({ length: 30 }, (_, i) => `age:{k${i}}`);
    await Promise.all(keys.map((k) => c.del(k)));
    const counts = new Map<string, number>();
    const failures: unknown[] = [];
    const until = Date.now() + 2_500;
    while (Date.now() < until) {
      await Promise.all(
        keys.map((k) => {
          counts.set(k, (counts.get(k) ?? 0) + 1);
          return c.incr(k).catch((e: unknown) => failures.push(e));
        }),
      );
    }
    assert.deepEqual(failures, []);
    for (const k of keys) assert.equal(Number(await c.get(k)), counts.get(k), `${k}: every INCR ran exactly once`);
    const primaries = cluster().servers.map((s) => s.port);
    for (const port of primaries) assert.ok((renewedPorts.get(port) ?? 0) >= 2, `node ${port} renewed ${renewedPorts.get(port) ?? 0} times`);
  });
});

describe('maxConnectionAge option', () => {
  it('a negative or non-numeric maxConnectionAge is a DataError', () => {
    assert.throws(() => createClient({ maxConnectionAge: -1 }), DataError);
    assert.throws(() => createClient({ maxConnectionAge: 'soon' as never }), /maxConnectionAge must be a number of milliseconds/);
  });
});
