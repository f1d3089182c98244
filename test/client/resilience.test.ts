/**
 * Failure behaviour of one connection, through a TCP proxy in front of a real server: cut
 * connections, held bytes, a server that goes away. What matters is that every command settles,
 * nothing is sent twice unless the retry policy says so, and the session comes back as it was.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConnectionError,
  ConstantBackoff,
  NoBackoff,
  Retry,
  TimeoutError,
  createClient,
  type RedisClient,
} from '../../src/index.js';
import { startProxy, startServer, useServer } from '../servers/index.js';

function nextEvent(c: RedisClient, event: 'ready' | 'reconnecting' | 'end'): Promise<void> {
  return new Promise((resolve) => c.once(event, () => resolve()));
}

async function commandCalls(c: RedisClient, name: string): Promise<number> {
  const stats = (await c.info('commandstats'))['commandstats']!;
  const entry = String(stats[`cmdstat_${name}`] ?? 'calls=0');
  return Number(/calls=(\d+)/.exec(entry)![1]);
}

describe('resilience', () => {
  const server = useServer({ kind: 'redis' });

  it('rejects a command in flight when the connection is cut, and never re-sends it by default', async () => {
    const proxy = await startProxy(server().port);
    const admin = await createClient({ port: server().port }).connect();
    const c = await createClient({ port: proxy.port, reconnect: new Retry(new ConstantBackoff(10), -1) }).connect();
    c.on('error', () => {});
    try {
      await admin.set('res:counter', 0);
      proxy.pause();
      const incr = c.incr('res:counter');
      proxy.cutAll();
      await assert.rejects(incr, (e: unknown) => e instanceof ConnectionError && (e as ConnectionError).command === 'INCR');
      proxy.resume();
      await nextEvent(c, 'ready');
      assert.equal(await c.get('res:counter'), '0');
    } finally {
      c.disconnect();
      admin.disconnect();
      await proxy.close();
    }
  });

  it('re-sends a command after a cut when the retry policy names the error', async () => {
    const proxy = await startProxy(server().port);
    const c = await createClient({
      port: proxy.port,
      reconnect: new Retry(new ConstantBackoff(10), -1),
      retry: new Retry(new NoBackoff(), 2),
    }).connect();
    c.on('error', () => {});
    try {
      await c.set('res:k', 'v');
      proxy.pause();
      const get = c.get('res:k');
      proxy.cutAll();
      proxy.resume();
      assert.equal(await get, 'v');
    } finally {
      c.disconnect();
      await proxy.close();
    }
  });

  it('restores the database and the client name after a reconnect', async () => {
    const proxy = await startProxy(server().port);
    const c = await createClient({ port: proxy.port, reconnect: new Retry(new ConstantBackoff(10), -1) }).connect();
    c.on('error', () => {});
    try {
      await c.select(5);
      await c.clientSetname('res-name');
      const ready = nextEvent(c, 'ready');
      proxy.cutAll();
      await ready;
      const info = await c.clientInfo();
      assert.equal(info['db'], 5);
      assert.equal(info['name'], 'res-name');
    } finally {
      c.disconnect();
      await proxy.close();
    }
  });

  it('fails at once while disconnected when the offline queue is off', async () => {
    const proxy = await startProxy(server().port);
    const c = await createClient({
      port: proxy.port,
      enableOfflineQueue: false,
      reconnect: new Retry(new ConstantBackoff(200), -1),
    }).connect();
    c.on('error', () => {});
    try {
      const reconnecting = nextEvent(c, 'reconnecting');
      proxy.cutAll();
      await reconnecting;
      await assert.rejects(c.get('x'), /offline queue is turned off/);
      await nextEvent(c, 'ready');
      assert.equal(await c.ping(), 'PONG');
    } finally {
      c.disconnect();
      await proxy.close();
    }
  });

  it('bounds the offline queue', async () => {
    const proxy = await startProxy(server().port);
    const c = await createClient({ port: proxy.port, offlineQueueLimit: 2, reconnect: new Retry(new ConstantBackoff(200), -1) }).connect();
    c.on('error', () => {});
    try {
      const reconnecting = nextEvent(c, 'reconnecting');
      proxy.cutAll();
      await reconnecting;
      const a = c.echo('a');
      const b = c.echo('b');
      await assert.rejects(c.echo('c'), /offline queue is full/);
      assert.deepEqual(await Promise.all([a, b]), ['a', 'b']);
    } finally {
      c.disconnect();
      await proxy.close();
    }
  });

  it('sends a health-check PING before a command after an idle period', async () => {
    await using c = await createClient({ port: server().port, healthCheckInterval: 50 }).connect();
    const admin = await createClient({ port: server().port }).connect();
    try {
      await c.get('hc');
      const before = await commandCalls(admin, 'ping');
      await c.get('hc'); // not idle: no PING
      assert.equal(await commandCalls(admin, 'ping'), before);
      await new Promise((r) => setTimeout(r, 80)); // the idle period itself is what is under test
      await c.get('hc');
      assert.equal(await commandCalls(admin, 'ping'), before + 1);
    } finally {
      admin.disconnect();
    }
  });

  it('rejects waiting commands after maxOfflineAttempts failed reconnects, and ends when the policy gives up', async () => {
    const s = await startServer({ kind: 'redis' });
    const c = await createClient({
      port: s.port,
      maxOfflineAttempts: 3,
      reconnect: new Retry(new ConstantBackoff(5), 6),
    }).connect();
    const errors: Error[] = [];
    c.on('error', (e) => errors.push(e));
    const attempts: number[] = [];
    c.on('reconnecting', (r) => attempts.push(r.attempt));
    await s.stop();
    await nextEvent(c, 'reconnecting');
    const waiting = c.get('k');
    await assert.rejects(waiting, (e: unknown) => e instanceof ConnectionError && /after 3 attempts/.test((e as Error).message));
    await nextEvent(c, 'end');
    assert.deepEqual(attempts, [1, 2, 3, 4, 5, 6]);
    assert.equal(c.status, 'closed');
    await assert.rejects(c.get('k'), ConnectionError);
  });

  it('a server busy past the command timeout gives TimeoutError, and the client recovers', async () => {
    await using c = await createClient({ port: server().port, commandTimeout: 100 }).connect();
    // DEBUG SLEEP blocks the server for 0.3 s: past the 100 ms command timeout.
    const sleeper = await createClient({ port: server().port }).connect();
    try {
      const slow = sleeper.call('DEBUG', 'SLEEP', '0.3');
      await assert.rejects(c.get('x'), TimeoutError);
      await slow;
      assert.equal(await c.withTimeout(0).ping(), 'PONG');
    } finally {
      sleeper.disconnect();
    }
  });
});

describe('handshake fallback', () => {
  for (const kind of ['redis', 'valkey'] as const) {
    it(`${kind}: falls back to RESP2 with AUTH when the server does not know HELLO`, async () => {
      await using s = await startServer({
        kind,
        aclUsers: [{ name: 'bob', password: 'bob-pw' }],
        args: ['--rename-command', 'HELLO', '""'],
      });
      await using c = await createClient({ port: s.port, username: 'bob', password: 'bob-pw', clientName: 'fb', db: 1 }).connect();
      assert.equal(c.connection.protocol, 2);
      assert.equal(await c.call('ACL', 'WHOAMI'), 'bob');
      const me = await c.clientInfo();
      assert.equal(me['name'], 'fb');
      assert.equal(me['db'], 1);
      assert.deepEqual(await c.hgetall('nothing'), {});
      // Forcing RESP3 on such a server is an error, not a silent downgrade.
      const forced = createClient({ port: s.port, protocol: 3, username: 'bob', password: 'bob-pw' });
      await assert.rejects(forced.connect(), /unknown command/i);
      forced.disconnect();
    });
  }
});

describe('session and binary replies', () => {
  const server = useServer({ kind: 'valkey', aclUsers: [{ name: 'carol', password: 'carol-pw' }] });

  it('a reconnect restores what AUTH, HELLO and RESET changed', async () => {
    const proxy = await startProxy(server().port);
    const c = await createClient({ port: proxy.port, reconnect: new Retry(new ConstantBackoff(10), -1) }).connect();
    c.on('error', () => {});
    try {
      await c.auth('carol', 'carol-pw');
      await c.select(3);
      let ready = nextEvent(c, 'ready');
      proxy.cutAll();
      await ready;
      assert.equal(await c.call('ACL', 'WHOAMI'), 'carol');
      assert.equal((await c.clientInfo())['db'], 3);

      await c.hello(3, { setname: 'via-hello' });
      ready = nextEvent(c, 'ready');
      proxy.cutAll();
      await ready;
      assert.equal(await c.clientGetname(), 'via-hello');

      await c.reset();
      ready = nextEvent(c, 'ready');
      proxy.cutAll();
      await ready;
      const info = await c.clientInfo();
      assert.equal(info['db'], 0);
      assert.equal(info['name'], '');
    } finally {
      c.disconnect();
      await proxy.close();
    }
  });

  it('DUMP and FUNCTION DUMP give Buffers without withBuffers(), in pipelines too', async () => {
    await using c = await createClient({ port: server().port }).connect();
    await c.rpush('bin:l', 'a', 'b');
    const payload = await c.dump('bin:l');
    assert.ok(Buffer.isBuffer(payload));
    await c.del('bin:l');
    assert.equal(await c.restore('bin:l', 0, payload!), 'OK');
    assert.deepEqual(await c.lrange('bin:l', 0, -1), ['a', 'b']);
    const [dumped, value] = await c.pipeline().dump('bin:l').lrange('bin:l', 0, 0).exec();
    assert.ok(Buffer.isBuffer(dumped));
    assert.deepEqual(dumped, payload);
    assert.deepEqual(value, ['a']);
    assert.ok(Buffer.isBuffer(await c.functionDump()));
    await c.del('bin:l');
  });
});
