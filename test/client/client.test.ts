import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import {
  AuthenticationError,
  ClientClosedError,
  ConnectionError,
  DataError,
  RedisClient,
  ResponseError,
  TimeoutError,
  WrongTypeError,
  createClient,
} from '../../src/index.js';
import { SERVER_KINDS, startServer, useServer } from '../servers/index.js';

const PROTOCOLS = [2, 3] as const;

/** Not events.once: that rejects on an 'error' event, which a reconnecting client emits first. */
function nextEvent(emitter: RedisClient, event: 'ready' | 'reconnecting'): Promise<void> {
  return new Promise((resolve) => emitter.once(event, () => resolve()));
}

for (const kind of SERVER_KINDS) {
  describe(`client on ${kind}`, () => {
    const server = useServer({
      kind,
      unixSocket: true,
      tls: true,
      aclUsers: [{ name: 'alice', password: 'alice-secret' }],
    });

    for (const protocol of PROTOCOLS) {
      describe(`RESP${protocol}`, () => {
        it('runs the basic commands with the same values under both protocols', async () => {
          await using c = await createClient({ port: server().port, protocol }).connect();
          assert.equal(c.connection.protocol, protocol);
          const k = `basic:${protocol}`;
          assert.equal(await c.set(k, 'v1'), 'OK');
          assert.equal(await c.get(k), 'v1');
          assert.equal(await c.set(k, 'v2', { nx: true }), null);
          assert.equal(await c.set(k, 'v3', { xx: true, get: true }), 'v1');
          assert.equal(await c.get('missing:key'), null);
          assert.deepEqual(await c.mget(k, 'missing:key'), ['v3', null]);
          assert.equal(await c.mset({ [`${k}:a`]: 1, [`${k}:b`]: 'x' }), 'OK');
          assert.equal(await c.incr(`${k}:a`), 2);
          assert.equal(await c.incrby(`${k}:a`, 10), 12);
          assert.equal(await c.decr(`${k}:a`), 11);
          assert.equal(await c.decrby(`${k}:a`, 5), 6);
          assert.equal(await c.incrbyfloat(`${k}:a`, 0.5), 6.5);
          assert.equal(await c.exists(k, `${k}:a`, 'missing:key'), 2);
          assert.equal(await c.expire(k, 100), true);
          assert.equal(await c.expire('missing:key', 100), false);
          const ttl = await c.ttl(k);
          assert.ok(ttl > 90 && ttl <= 100, `ttl ${ttl}`);
          assert.ok((await c.pttl(k)) > 90_000);
          assert.equal(await c.type(k), 'string');
          assert.equal(await c.rename(`${k}:b`, `${k}:c`), 'OK');
          assert.equal(await c.hset(`${k}:h`, { f1: 'a', f2: 'b' }), 2);
          assert.equal(await c.hset(`${k}:h`, 'f3', 3), 1);
          assert.equal(await c.hget(`${k}:h`, 'f1'), 'a');
          assert.deepEqual(await c.hgetall(`${k}:h`), { f1: 'a', f2: 'b', f3: '3' });
          assert.deepEqual(await c.hgetall('missing:key'), {});
          assert.equal(await c.rpush(`${k}:l`, 'a', 'b'), 2);
          assert.equal(await c.lpush(`${k}:l`, 'z'), 3);
          assert.deepEqual(await c.lrange(`${k}:l`, 0, -1), ['z', 'a', 'b']);
          assert.equal(await c.del(k, `${k}:a`, `${k}:c`, `${k}:h`, `${k}:l`), 5);
          assert.equal(await c.ping(), 'PONG');
          assert.equal(await c.ping('hi'), 'hi');
          assert.equal(await c.echo('héllo ✓'), 'héllo ✓');
          assert.equal(typeof (await c.dbsize()), 'number');
          const info = await c.info('server');
          assert.match(String(info['server']!['redis_version']), /^\d+\.\d+/);
          assert.equal(typeof (await c.clientId()), 'number');
        });

        it('sends the handshake: client name, db, library info', async () => {
          await using c = await createClient({ port: server().port, protocol, clientName: 'hs-test', db: 3 }).connect();
          assert.equal(await c.clientGetname(), 'hs-test');
          const me = await c.clientInfo();
          assert.equal(me['name'], 'hs-test');
          assert.equal(me['db'], 3);
          assert.equal(me['resp'], protocol);
          // CLIENT SETINFO came with Redis 7.2: older servers have no lib-name to show.
          if ('lib-name' in me) assert.equal(me['lib-name'], 'redwire');
          else assert.equal(kind, 'redis');
          const list = await c.clientList();
          assert.ok(list.some((r) => r['id'] === me['id']));
          assert.equal(await c.select(4), 'OK');
          assert.equal((await c.clientInfo())['db'], 4);
        });

        it('gives error replies as typed errors naming the command, without arguments', async () => {
          await using c = await createClient({ port: server().port, protocol }).connect();
          await c.rpush('wrongtype:list', 'x');
          const err = await c.get('wrongtype:list').catch((e: unknown) => e);
          assert.ok(err instanceof WrongTypeError);
          assert.equal(err.command, 'GET');
          assert.ok(!err.message.includes('wrongtype:list'));
          // A container command is named with its subcommand.
          const cfg = await c.call('CONFIG', 'SET', 'no-such-parameter', 'x').catch((e: unknown) => e);
          assert.ok(cfg instanceof ResponseError);
          assert.equal(cfg.command, 'CONFIG SET');
          await c.del('wrongtype:list');
        });

        it('returns Buffers from withBuffers() on the same connection', async () => {
          await using c = await createClient({ port: server().port, protocol }).connect();
          const bin = Buffer.from([0, 255, 1, 254, 13, 10]);
          await c.set('buf:key', bin);
          const b = c.withBuffers();
          const [asBuf, asStr] = await Promise.all([b.get('buf:key'), c.get('buf:key')]);
          assert.ok(Buffer.isBuffer(asBuf));
          assert.deepEqual(asBuf, bin);
          assert.equal(typeof asStr, 'string');
          await c.hset('buf:hash', { f: bin });
          const h = await b.hgetall('buf:hash');
          assert.deepEqual([...h], [[Buffer.from('f'), bin]]);
          // Field names that UTF-8 would decode alike stay apart.
          await c.hset('buf:hash', Buffer.from([0xff]), 'a');
          await c.hset('buf:hash', Buffer.from([0xfe]), 'b');
          const fields = [...(await b.hgetall('buf:hash')).keys()].map((k) => k.toString('hex')).sort();
          assert.deepEqual(fields, ['66', 'fe', 'ff']);
          assert.equal((await c.hgetall('buf:hash'))['f'], bin.toString());
          const [viaPipeline] = await b.pipeline().hgetall('buf:hash').exec();
          assert.equal(viaPipeline.size, 3);
          const [viaMulti] = await b.multi().hgetall('buf:hash').exec();
          assert.equal(viaMulti.size, 3);
          assert.deepEqual(await b.hgetall('buf:missing'), new Map());
          assert.equal(b.connection, c.connection);
          await c.del('buf:key', 'buf:hash');
        });
      });
    }

    it('refuses bad arguments with a DataError before sending anything', async () => {
      await using c = await createClient({ port: server().port }).connect();
      const calls = async () => {
        const stats = (await c.info('commandstats'))['commandstats']!;
        return [stats['cmdstat_get'], stats['cmdstat_set'], stats['cmdstat_mget']];
      };
      const before = await calls();
      // @ts-expect-error: a key must be a string or Buffer
      await assert.rejects(c.get(42), (e: unknown) => e instanceof DataError && /GET: key/.test(e.message) && e.command === 'GET');
      // @ts-expect-error: an id must be a number
      await assert.rejects(c.clientList({ id: ['x'] }), (e: unknown) => e instanceof DataError && e.command === 'CLIENT LIST');
      // @ts-expect-error: a missing value
      await assert.rejects(c.set('k'), (e: unknown) => e instanceof DataError && /SET: value/.test(e.message));
      await assert.rejects(c.set('k', 'v', { nx: true, xx: true }), DataError);
      await assert.rejects(c.set('k', 'v', { ex: 1.5 }), DataError);
      // @ts-expect-error: null is no argument
      await assert.rejects(c.call('SET', 'k', null), DataError);
      await assert.rejects(c.mget(), DataError);
      // None of the refused commands reached the server.
      assert.deepEqual(await calls(), before);
    });

    it('duplicate() makes a client of its own with the same session settings', async () => {
      await using c = await createClient({ port: server().port, clientName: 'orig' }).connect();
      await c.select(6);
      await using d = await c.duplicate().connect();
      assert.notEqual(await d.clientId(), await c.clientId());
      const info = await d.clientInfo();
      assert.equal(info['db'], 6);
      assert.equal(info['name'], 'orig');
      await using e = await c.duplicate({ db: 2, clientName: 'other' }).connect();
      assert.equal((await e.clientInfo())['db'], 2);
      assert.equal(await e.clientGetname(), 'other');
    });

    it('call() sends any command as it is', async () => {
      await using c = await createClient({ port: server().port }).connect();
      assert.equal(await c.call('SET', 'call:k', 'v'), 'OK');
      assert.equal(await c.call('GET', 'call:k'), 'v');
      assert.equal(await c.call('OBJECT ENCODING', 'call:k'), 'embstr');
      await c.call('DEL', 'call:k');
      // Commands that turn the connection into a message stream are refused, not left hanging.
      await assert.rejects(c.call('SUBSCRIBE', 'ch'), (e: unknown) => e instanceof DataError && /pubsub\(\)/.test(e.message));
      await assert.rejects(c.call('MONITOR'), DataError);
      assert.equal(await c.ping(), 'PONG');
    });

    it('connects over a Unix socket', async () => {
      await using c = await createClient({ path: server().socketPath! }).connect();
      assert.equal(await c.ping(), 'PONG');
      assert.match(String((await c.clientInfo())['addr']), /sock|^\/|:0$/);
      await using u = await createClient(`unix://${server().socketPath!}?db=2`).connect();
      assert.equal((await u.clientInfo())['db'], 2);
    });

    it('connects over TLS with a CA, with a client certificate, and from a rediss:// URL', async () => {
      const s = server();
      const tlsFiles = s.tls!;
      await using c = await createClient({ port: s.tlsPort!, tls: { ca: tlsFiles.ca } }).connect();
      assert.equal(await c.ping(), 'PONG');
      await using cc = await createClient({
        host: 'localhost',
        port: s.tlsPort!,
        tls: { ca: tlsFiles.ca, cert: tlsFiles.clientCert, key: tlsFiles.clientKey },
      }).connect();
      assert.equal(await cc.set('tls:k', 'v'), 'OK');
      assert.equal(await cc.get('tls:k'), 'v');
      const url = `rediss://127.0.0.1:${s.tlsPort}/0?ssl_ca_certs=${encodeURIComponent(tlsFiles.caPath)}`;
      await using u = await createClient(url).connect();
      assert.equal(await u.ping(), 'PONG');
      // A server certificate that the CA did not sign is refused.
      const bad = createClient({ port: s.tlsPort!, tls: { rejectUnauthorized: true }, reconnect: false });
      await assert.rejects(bad.connect(), ConnectionError);
      bad.disconnect();
    });

    for (const protocol of PROTOCOLS) {
      it(`authenticates an ACL user under RESP${protocol}; a wrong or missing password is an AuthenticationError`, async () => {
        const s = server();
        await using ok = await createClient({ port: s.port, protocol, username: 'alice', password: 'alice-secret' }).connect();
        assert.equal(await ok.call('ACL', 'WHOAMI'), 'alice');
        const wrong = createClient({ port: s.port, protocol, username: 'alice', password: 'nope' });
        const err = await wrong.connect().catch((e: unknown) => e);
        assert.ok(err instanceof AuthenticationError, String(err));
        assert.match(err.message, /WRONGPASS|invalid/i);
        wrong.disconnect();
      });
    }

    it('a missing password on a server that requires one is an AuthenticationError with the server words', async () => {
      await using s = await startServer({ kind, password: 'top-secret' });
      for (const protocol of PROTOCOLS) {
        const c = createClient({ port: s.port, protocol });
        // HELLO without AUTH succeeds on some servers; the first command then fails with NOAUTH.
        const err = await c.connect().then(() => c.ping()).catch((e: unknown) => e);
        assert.ok(err instanceof AuthenticationError, `RESP${protocol}: ${String(err)}`);
        assert.match(err.message, /NOAUTH|Authentication required/);
        c.disconnect();
        await using good = await createClient({ port: s.port, protocol, password: 'top-secret' }).connect();
        assert.equal(await good.ping(), 'PONG');
        // A wrong password with a client name: the name's NOAUTH reply is awaited too, never left as
        // an unhandled rejection (which the test runner reports as a failure of its own).
        const named = createClient({ port: s.port, protocol, password: 'wrong', clientName: 'named' });
        await assert.rejects(named.connect(), AuthenticationError);
        await new Promise((resolve) => setImmediate(resolve));
        named.disconnect();
      }
    });

    it('keeps 100,000 concurrent mixed commands in order', async () => {
      // All issued at once: on a busy machine the last can wait past the default 5 s reply limit,
      // and this test is about order, not latency.
      await using c = await createClient({ port: server().port, commandTimeout: 60_000 }).connect();
      const n = 100_000;
      const ops: Promise<unknown>[] = [];
      for (let i = 0; i < n; i++) {
        switch (i % 4) {
          case 0:
            ops.push(c.set(`ord:${i % 1000}`, String(i)));
            break;
          case 1:
            ops.push(c.echo(`e${i}`));
            break;
          case 2:
            ops.push(c.incr('ord:counter'));
            break;
          default:
            ops.push(c.get(`ord:${(i - 3) % 1000}`));
        }
      }
      const results = await Promise.all(ops);
      let counter = 0;
      for (let i = 0; i < n; i++) {
        const r = results[i];
        switch (i % 4) {
          case 0:
            assert.equal(r, 'OK');
            break;
          case 1:
            assert.equal(r, `e${i}`);
            break;
          case 2:
            assert.equal(r, ++counter);
            break;
          default:
            assert.equal(r, String(i - 3));
        }
      }
      await c.del('ord:counter');
    });

    it('close() waits for replies in flight; later commands are refused', async () => {
      const c = await createClient({ port: server().port }).connect();
      const pending = [c.set('close:k', 'v'), c.get('close:k'), c.del('close:k')];
      const closing = c.close();
      assert.deepEqual(await Promise.all(pending), ['OK', 'v', 1]);
      await closing;
      await assert.rejects(c.get('x'), ClientClosedError);
      assert.equal(c.status, 'closed');
    });

    it('queues commands issued before connect() and connects on first use', async () => {
      const c = createClient({ port: server().port });
      const early = c.echo('early');
      const ready = once(c, 'ready');
      assert.equal(await early, 'early');
      await ready;
      await c.close();
    });

    it('an unreachable server rejects connect() and the queued commands', async () => {
      const s = await startServer({ kind });
      const port = s.port;
      await s.stop();
      const c = createClient({ port, connectTimeout: 2000 });
      const queued = c.get('k');
      await assert.rejects(c.connect(), ConnectionError);
      await assert.rejects(queued, ConnectionError);
      c.disconnect();
    });
  });
}

describe('faults', () => {
  for (const kind of SERVER_KINDS) {
    it(`${kind}: a server killed during a burst settles every command, then the client reconnects`, async () => {
      await using s = await startServer({ kind });
      const c = new RedisClient({ port: s.port });
      const errors: Error[] = [];
      c.on('error', (e) => errors.push(e));
      await c.connect();
      const reconnecting = nextEvent(c, 'reconnecting');
      try {
      const burst: Promise<unknown>[] = [];
      for (let i = 0; i < 20_000; i++) burst.push(c.set(`burst:${i}`, 'v'));
      // Kill the server while the burst is on the wire.
      const killed = s.kill();
      const settled = await Promise.allSettled(burst);
      await killed;
      const failed = settled.filter((r) => r.status === 'rejected');
      for (const f of failed) assert.ok((f as PromiseRejectedResult).reason instanceof ConnectionError, String((f as PromiseRejectedResult).reason));
      assert.equal(settled.length, 20_000);
      await reconnecting;
      // Commands issued while the server is down wait in the offline queue for the reconnect.
      const during = c.echo('after-restart');
      const ready = nextEvent(c, 'ready');
      await s.restart();
      await ready;
      assert.equal(await during, 'after-restart');
      assert.equal(await c.ping(), 'PONG');
      assert.ok(errors.length > 0 && errors.every((e) => e instanceof ConnectionError));
      } finally {
        c.disconnect();
      }
    });

    it(`${kind}: a server that stops answering (SIGSTOP) gives TimeoutError within the timeout`, async () => {
      await using s = await startServer({ kind });
      const c = await createClient({ port: s.port, commandTimeout: 300 }).connect();
      assert.equal(await c.ping(), 'PONG');
      s.pause();
      try {
      try {
        const started = Date.now();
        const results = await Promise.allSettled([c.get('a'), c.get('b'), c.withTimeout(100).get('c')]);
        const elapsed = Date.now() - started;
        for (const r of results) {
          assert.equal(r.status, 'rejected');
          assert.ok((r as PromiseRejectedResult).reason instanceof TimeoutError, String((r as PromiseRejectedResult).reason));
        }
        assert.ok(elapsed < 1500, `took ${elapsed} ms`);
      } finally {
        s.resume();
      }
      // The connection was replaced: the late replies cannot reach later commands.
      await nextEvent(c, 'ready');
      assert.equal(await c.echo('fresh'), 'fresh');
      } finally {
        c.disconnect();
      }
    });
  }
});
