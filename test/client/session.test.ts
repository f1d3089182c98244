import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError, createClient, type RedisClient } from '../../src/index.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';

/** Kills the client's main connection from another client and waits until it is ready again. */
async function killAndAwaitReconnect(c: RedisClient, admin: RedisClient): Promise<void> {
  const id = await c.clientId();
  const ready = new Promise<void>((resolve) => c.once('ready', () => resolve()));
  assert.equal(await admin.clientKill({ id }), 1);
  await ready;
}

for (const kind of SERVER_KINDS) {
  describe(`session state on ${kind}`, () => {
    const server = useServer({ kind });

    for (const protocol of [2, 3] as const) {
      describe(`RESP${protocol}`, () => {
        const ways: Array<[string, (c: RedisClient, db: number) => Promise<unknown>]> = [
          ['call()', (c, db) => c.call('SELECT', db)],
          ['pipeline()', (c, db) => c.pipeline().select(db).exec()],
          ['multi()', (c, db) => c.multi().select(db).exec()],
          ['pipeline().call()', (c, db) => c.pipeline().call('select', db).exec()],
        ];
        ways.forEach(([way, select], i) => {
          const db = 2 + i;
          it(`SELECT through ${way} survives a reconnect and reaches pooled connections`, async () => {
            await using admin = await createClient({ port: server().port, protocol }).connect();
            await using c = await createClient({ port: server().port, protocol }).connect();
            await select(c, db);
            await killAndAwaitReconnect(c, admin);
            const key = `session:${protocol}:${i}`;
            await c.set(key, 'here');
            await admin.select(db);
            assert.equal(await admin.get(key), 'here', `written to db ${db}`);
            // A blocking command leases a pooled connection: it must read the same db.
            await admin.rpush(`${key}:list`, 'x');
            assert.deepEqual(await c.blpop(`${key}:list`, 1), { key: `${key}:list`, element: 'x' });
            // duplicate() starts where the session is now.
            await using d = await c.duplicate().connect();
            assert.equal(await d.get(key), 'here');
          });
        });

        it('CLIENT SETNAME, CLIENT TRACKING and HELLO through call() survive a reconnect', async () => {
          await using admin = await createClient({ port: server().port }).connect();
          await using c = await createClient({ port: server().port, protocol }).connect();
          await c.call('CLIENT', 'SETNAME', 'session-name');
          await c.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'session:');
          const other = protocol === 2 ? 3 : 2;
          await c.call('HELLO', other);
          await killAndAwaitReconnect(c, admin);
          assert.equal(await c.clientGetname(), 'session-name');
          const tracking = await c.clientTrackinginfo();
          assert.ok(tracking.flags.includes('on') && tracking.flags.includes('bcast'), JSON.stringify(tracking));
          assert.equal(c.connection.protocol, other);
          const hello = (await c.call('HELLO')) as unknown;
          const proto = Array.isArray(hello) ? hello[hello.indexOf('proto') + 1] : (hello as Record<string, unknown>)['proto'];
          assert.equal(proto, other);
        });

        it('a session command the server refused is not remembered', async () => {
          await using c = await createClient({ port: server().port, protocol }).connect();
          await assert.rejects(c.call('SELECT', 100_000));
          await assert.rejects(c.pipeline().select(100_000).exec());
          assert.equal(c.connection.options.db ?? 0, 0);
        });
      });
    }

    it('refuses commands that would break the shared connection, and says where they belong', async () => {
      await using c = await createClient({ port: server().port }).connect();
      for (const argv of [['MULTI'], ['EXEC'], ['DISCARD'], ['WATCH', 'k'], ['UNWATCH'], ['CLIENT', 'REPLY', 'OFF'], ['client', 'reply', 'skip']]) {
        await assert.rejects(c.call(argv[0]!, ...argv.slice(1)), (e: unknown) => {
          assert.ok(e instanceof DataError, String(e));
          assert.match(e.message, /multi\(\)|transaction\(|isolated\(\)/);
          return true;
        });
      }
      assert.throws(() => c.pipeline().call('CLIENT', 'REPLY', 'OFF'), DataError);
      // The connection is untouched: the next caller gets its own reply.
      assert.equal(await c.ping(), 'PONG');
      // On a connection of one's own they are fine.
      const r = await c.isolated(async (own) => {
        await own.call('WATCH', 'session:w');
        await own.call('MULTI');
        await own.call('SET', 'session:w', '1');
        return own.call('EXEC');
      });
      assert.deepEqual(r, ['OK']);
    });

    it('a spread client applies SELECT to every connection, and refuses it inside a batch', async () => {
      await using admin = await createClient({ port: server().port }).connect();
      await using c = await createClient({ port: server().port, connections: 3 }).connect();
      await c.call('SELECT', 7);
      await Promise.all(Array.from({ length: 30 }, (_, i) => c.set(`session:spread:${i}`, 'v')));
      await admin.select(7);
      assert.equal(await admin.exists(...Array.from({ length: 30 }, (_, i) => `session:spread:${i}`)), 30);
      await assert.rejects(c.pipeline().select(1).exec(), DataError);
      await assert.rejects(c.multi().call('SELECT', 1).exec(), DataError);
    });
  });
}
