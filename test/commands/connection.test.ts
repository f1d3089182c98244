import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthenticationError, DataError, ResponseError, UnblockedError, createClient, type RedisClient } from '../../src/index.js';
import { connectionMethods } from '../../src/commands/connection.js';
import { startServer } from '../servers/index.js';
import { commandSuite } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bad = (v: unknown): any => v;

describe('connection commands: argv', () => {
  const m = connectionMethods;
  it('builds AUTH, HELLO, RESET', () => {
    assert.deepEqual(m.auth.build('pw'), ['AUTH', 'pw']);
    assert.deepEqual(m.auth.build('user', 'pw'), ['AUTH', 'user', 'pw']);
    assert.throws(() => m.auth.build(bad(1)), /AUTH: password must be a string or Buffer, got number/);
    assert.throws(() => m.auth.build('u', bad(2)), /AUTH: password must be/);
    assert.deepEqual(m.hello.build(), ['HELLO']);
    assert.deepEqual(m.hello.build(3), ['HELLO', 3]);
    assert.deepEqual(m.hello.build(2, { auth: { username: 'u', password: 'p' }, setname: 'n' }), ['HELLO', 2, 'AUTH', 'u', 'p', 'SETNAME', 'n']);
    assert.throws(() => m.hello.build(bad(4)), /HELLO: protover must be 2 or 3/);
    assert.throws(() => m.hello.build(undefined, { setname: 'n' }), /HELLO: auth and setname need a protocol version/);
    assert.throws(() => m.hello.build(3, bad({ auth: { username: 'u' } })), /HELLO: auth.password must be/);
    assert.deepEqual(m.reset.build(), ['RESET']);
  });

  it('builds CLIENT KILL with every filter', () => {
    assert.deepEqual(m.clientKill.build('127.0.0.1:5000'), ['CLIENT', 'KILL', '127.0.0.1:5000']);
    assert.deepEqual(m.clientKill.build({ id: 5 }), ['CLIENT', 'KILL', 'ID', 5]);
    assert.deepEqual(m.clientKill.build({ id: [5, 6], type: 'pubsub', skipme: false }), ['CLIENT', 'KILL', 'ID', 5, 6, 'TYPE', 'pubsub', 'SKIPME', 'no']);
    assert.deepEqual(
      m.clientKill.build({
        user: 'u', addr: 'a:1', laddr: 'l:2', name: 'n', flags: 'N', libName: 'ln', libVer: 'lv', capa: 'redirect', ip: '10.0.0.1',
        maxage: 60, idle: 5, db: 2, skipme: true,
      }),
      [
        'CLIENT', 'KILL', 'USER', 'u', 'ADDR', 'a:1', 'LADDR', 'l:2', 'NAME', 'n', 'FLAGS', 'N', 'LIB-NAME', 'ln', 'LIB-VER', 'lv',
        'CAPA', 'redirect', 'IP', '10.0.0.1', 'MAXAGE', 60, 'IDLE', 5, 'DB', 2, 'SKIPME', 'yes',
      ],
    );
    assert.deepEqual(
      m.clientKill.build({ notId: [1, 2], notType: 'master', notUser: 'u', notAddr: 'a', notLaddr: 'l', notName: 'n', notFlags: 'f', notLibName: 'x', notLibVer: 'y', notDb: 3, notCapa: 'c', notIp: 'i' }),
      [
        'CLIENT', 'KILL', 'NOT-ID', 1, 2, 'NOT-TYPE', 'master', 'NOT-USER', 'u', 'NOT-ADDR', 'a', 'NOT-LADDR', 'l', 'NOT-NAME', 'n',
        'NOT-FLAGS', 'f', 'NOT-LIB-NAME', 'x', 'NOT-LIB-VER', 'y', 'NOT-CAPA', 'c', 'NOT-IP', 'i', 'NOT-DB', 3,
      ],
    );
    assert.throws(() => m.clientKill.build({}), /CLIENT KILL: at least one filter is required/);
    assert.throws(() => m.clientKill.build(bad({ type: 'robot' })), /CLIENT KILL: type must be one of/);
    assert.throws(() => m.clientKill.build(bad({ id: 'x' })), /CLIENT KILL: id must be an integer/);
    assert.throws(() => m.clientKill.build(bad(7)), /CLIENT KILL: give an ip:port string or an object of filters/);
  });

  it('builds CLIENT LIST, TRACKING and the switches', () => {
    assert.deepEqual(m.clientList.build(), ['CLIENT', 'LIST']);
    assert.deepEqual(m.clientList.build({ type: 'replica', id: [1, 2] }), ['CLIENT', 'LIST', 'TYPE', 'replica', 'ID', 1, 2]);
    assert.deepEqual(m.clientList.build({ user: 'u', maxage: 3, skipme: true }), ['CLIENT', 'LIST', 'USER', 'u', 'MAXAGE', 3, 'SKIPME', 'yes']);
    assert.throws(() => m.clientList.build(bad({ id: 5 })), /CLIENT LIST: id must be an array/);
    assert.deepEqual(m.clientTracking.build(false), ['CLIENT', 'TRACKING', 'OFF']);
    assert.deepEqual(
      m.clientTracking.build(true, { redirect: 7, prefix: ['a', 'b'], bcast: true, noloop: true }),
      ['CLIENT', 'TRACKING', 'ON', 'REDIRECT', 7, 'PREFIX', 'a', 'PREFIX', 'b', 'BCAST', 'NOLOOP'],
    );
    assert.deepEqual(m.clientTracking.build(true, { bcast: true, prefix: 'p' }), ['CLIENT', 'TRACKING', 'ON', 'PREFIX', 'p', 'BCAST']);
    assert.deepEqual(m.clientTracking.build(true, { optout: true }), ['CLIENT', 'TRACKING', 'ON', 'OPTOUT']);
    assert.throws(() => m.clientTracking.build(true, { prefix: 'p' }), /CLIENT TRACKING: prefix needs bcast/);
    assert.throws(() => m.clientTracking.build(true, { bcast: true, optin: true }), /bcast excludes optin and optout/);
    assert.throws(() => m.clientTracking.build(true, { optin: true, optout: true }), /optin and optout exclude each other/);
    assert.throws(() => m.clientTracking.build(bad('on')), /CLIENT TRACKING: the switch must be true or false/);
    assert.deepEqual(m.clientCaching.build(false), ['CLIENT', 'CACHING', 'NO']);
    assert.deepEqual(m.clientNoEvict.build(true), ['CLIENT', 'NO-EVICT', 'ON']);
    assert.deepEqual(m.clientNoTouch.build(false), ['CLIENT', 'NO-TOUCH', 'OFF']);
    assert.deepEqual(m.clientPause.build(10, 'WRITE'), ['CLIENT', 'PAUSE', 10, 'WRITE']);
    assert.throws(() => m.clientPause.build(10, bad('READ')), /CLIENT PAUSE: mode must be one of WRITE, ALL/);
    assert.deepEqual(m.clientUnblock.build(3, 'ERROR'), ['CLIENT', 'UNBLOCK', 3, 'ERROR']);
    assert.deepEqual(m.clientSetinfo.build('LIB-VER', '1.0'), ['CLIENT', 'SETINFO', 'LIB-VER', '1.0']);
    assert.throws(() => m.clientSetinfo.build(bad('LIB-COLOR'), 'x'), /CLIENT SETINFO: attribute must be one of/);
    assert.deepEqual(m.clientCapa.build('redirect'), ['CLIENT', 'CAPA', 'redirect']);
    assert.throws(() => m.clientCapa.build(), /CLIENT CAPA: at least 1 capability is required/);
  });
});

commandSuite('connection commands', (t) => {
  /** A connection of its own, for commands that change the state of the one they run on. */
  const fresh = (protocol: 2 | 3): Promise<RedisClient> => createClient({ port: t.server().port, protocol, reconnect: false }).connect();

  it('PING, ECHO', async () => {
    await t.both(async (c) => {
      assert.equal(await c.ping(), 'PONG');
      assert.equal(await c.ping('hi'), 'hi');
      assert.equal(await c.echo('x y'), 'x y');
      assert.equal(await c.echo(5), '5');
      assert.deepEqual(await c.withBuffers().echo('b'), Buffer.from('b'));
      return c.ping('z');
    });
  });

  it('AUTH as a user, SELECT, CLIENT SETNAME/GETNAME/ID/INFO/LIST', async () => {
    await t.both(async (_c, protocol) => {
      const c = await fresh(protocol);
      try {
        await t.client(3).aclSetuser('alice', 'on', '>alice-pw', '~*', '&*', '+@all');
        assert.equal(await c.auth('alice', 'alice-pw'), 'OK');
        assert.equal(await c.aclWhoami(), 'alice');
        await assert.rejects(c.auth('alice', 'wrong'), AuthenticationError);
        assert.equal(await c.select(2), 'OK');
        assert.equal(await c.clientGetname(), null);
        assert.equal(await c.clientSetname('conn-test'), 'OK');
        assert.equal(await c.clientGetname(), 'conn-test');
        const id = await c.clientId();
        const info = await c.clientInfo();
        assert.equal(info['id'], id);
        assert.equal(info['db'], 2);
        assert.equal(info['user'], 'alice');
        assert.equal(info['name'], 'conn-test');
        const listed = await t.client(3).clientList({ id: [id] });
        assert.equal(listed.length, 1);
        assert.equal(listed[0]!['name'], 'conn-test');
        const normal = await t.client(3).clientList({ type: 'normal' });
        assert.ok(normal.some((x) => x['id'] === id));
        assert.ok((await t.client(2).withBuffers().clientList()).some((x) => x['id'] === id));
        return { name: info['name'], db: info['db'], user: info['user'], resp: info['resp'] === protocol };
      } finally {
        c.disconnect();
        await t.client(3).aclDeluser('alice');
      }
    });
  });

  it('AUTH with a password alone on a server with requirepass', async () => {
    const server = await startServer({ kind: t.kind, password: 'secret' });
    try {
      // A RESP2 connection without credentials comes up; only its commands are refused until AUTH.
      const c = await createClient({ port: server.port, protocol: 2, reconnect: false }).connect();
      try {
        await assert.rejects(c.ping(), /NOAUTH/);
        assert.equal(await c.auth('secret'), 'OK');
        assert.equal(await c.ping(), 'PONG');
        await assert.rejects(c.auth('wrong'), AuthenticationError);
      } finally {
        c.disconnect();
      }
    } finally {
      await server.stop();
    }
  });

  it('HELLO reports the server and switches protocol or user on the way', async () => {
    const greeting = await t.both(async (c, protocol) => {
      const h = await c.hello();
      assert.equal(h.proto, protocol);
      assert.equal(typeof h.id, 'number');
      assert.equal(h.mode, 'standalone');
      assert.equal(h.role, 'master');
      return { server: h.server, version: h.version, modules: h.modules };
    });
    assert.equal(greeting.server, t.kind);
    const viaBuffers = await t.client(3).withBuffers().hello();
    assert.deepEqual([viaBuffers.server, viaBuffers.version, viaBuffers.mode], [greeting.server, greeting.version, 'standalone']);
    const info = await t.client(2).withBuffers().clientInfo();
    assert.equal(typeof info['addr'], 'string');
    await t.client(3).aclSetuser('bob', 'on', '>bob-pw', '~*', '+@all');
    const c = await fresh(3);
    try {
      const h = await c.hello(2, { auth: { username: 'bob', password: 'bob-pw' }, setname: 'hello-test' });
      assert.equal(h.proto, 2);
      // Replies keep their JavaScript shape after the switch.
      assert.deepEqual(await c.configGet('maxmemory'), { maxmemory: '0' });
      assert.equal(await c.aclWhoami(), 'bob');
      assert.equal(await c.clientGetname(), 'hello-test');
      assert.equal((await c.hello(3)).proto, 3);
      assert.deepEqual(await c.configGet('maxmemory'), { maxmemory: '0' });
      await assert.rejects(c.hello(3, { auth: { username: 'bob', password: 'nope' } }), AuthenticationError);
    } finally {
      c.disconnect();
      await t.client(3).aclDeluser('bob');
    }
  });

  it('RESET returns the connection to its defaults', async () => {
    await t.both(async (_c, protocol) => {
      const c = await fresh(protocol);
      try {
        await c.select(3);
        await c.clientSetname('to-reset');
        assert.equal(await c.reset(), 'RESET');
        assert.equal(await c.clientGetname(), null);
        const info = await c.clientInfo();
        assert.equal(info['db'], 0);
        assert.equal(info['resp'], 2);
        return info['resp'];
      } finally {
        c.disconnect();
      }
    });
  });

  it('CLIENT TRACKING (OPTIN with CACHING, BCAST with prefixes, REDIRECT), TRACKINGINFO, GETREDIR', async () => {
    await t.both(async (_c, protocol) => {
      const c = await fresh(protocol);
      const target = await fresh(protocol);
      try {
        assert.equal(await c.clientGetredir(), -1);
        assert.deepEqual(await c.clientTrackinginfo(), { flags: ['off'], redirect: -1, prefixes: [] });
        const targetId = await target.clientId();
        assert.equal(await c.clientTracking(true, { redirect: targetId, optin: true }), 'OK');
        assert.equal(await c.clientCaching(true), 'OK');
        assert.equal(await c.clientGetredir(), targetId);
        const optin = await c.clientTrackinginfo();
        assert.ok(optin.flags.includes('on') && optin.flags.includes('optin'));
        assert.equal(optin.redirect, targetId);
        assert.equal(await c.clientTracking(false), 'OK');
        assert.equal(await c.clientTracking(true, { redirect: targetId, bcast: true, prefix: ['a:', 'b:'], noloop: true }), 'OK');
        const bcast = await c.clientTrackinginfo();
        assert.ok(bcast.flags.includes('bcast') && bcast.flags.includes('noloop'));
        assert.deepEqual([...bcast.prefixes].sort(), ['a:', 'b:']);
        const buffers = await c.withBuffers().clientTrackinginfo();
        assert.deepEqual(buffers.prefixes.map(String).sort(), ['a:', 'b:']);
        assert.equal(await c.clientTracking(false), 'OK');
        return { optin: optin.flags.sort(), bcast: bcast.flags.sort() };
      } finally {
        c.disconnect();
        target.disconnect();
      }
    });
  });

  it('CLIENT KILL by filters and by address', async () => {
    await t.both(async (c, protocol) => {
      const v1 = await fresh(protocol);
      const v2 = await fresh(protocol);
      v1.on('error', () => undefined);
      v2.on('error', () => undefined);
      try {
        const id1 = await v1.clientId();
        assert.equal(await c.clientKill({ id: id1 }), 1);
        assert.equal(await c.clientKill({ id: id1 }), 0);
        assert.equal(await c.clientKill({ user: 'default', type: 'pubsub', skipme: true }), 0);
        const addr = String((await v2.clientInfo())['addr']);
        assert.equal(await c.clientKill(addr), 'OK');
        await assert.rejects(c.clientKill(addr), /No such client/);
        if (t.kind === 'valkey') assert.equal(await c.clientKill({ maxage: 1_000_000 }), 0);
        return 'killed';
      } finally {
        v1.disconnect();
        v2.disconnect();
      }
    });
  });

  it('CLIENT UNBLOCK wakes a client blocked in BLPOP', async () => {
    await t.both(async (c, protocol) => {
      const blocked = await fresh(protocol);
      try {
        // Straight on the client's own connection: the client would lend a pooled one to BLPOP.
        const conn = blocked.connection;
        const id = (await conn.send(['CLIENT', 'ID'])) as number;
        const waiting = conn.send(['BLPOP', 'unblock:list', 10]);
        await waitBlocked(c, id);
        assert.equal(await c.clientUnblock(id), true);
        assert.equal(await waiting, null);
        const failing = conn.send(['BLPOP', 'unblock:list', 10]);
        await waitBlocked(c, id);
        assert.equal(await c.clientUnblock(id, 'ERROR'), true);
        await assert.rejects(failing, UnblockedError);
        assert.equal(await c.clientUnblock(id), false);
        return true;
      } finally {
        blocked.disconnect();
      }
    });
  });

  it('CLIENT PAUSE and UNPAUSE, NO-EVICT, NO-TOUCH, SETINFO, CAPA, HELP', async () => {
    await t.both(async (_c, protocol) => {
      const c = await fresh(protocol);
      try {
        assert.equal(await c.clientPause(200, 'WRITE'), 'OK');
        assert.equal(await c.clientUnpause(), 'OK');
        assert.equal(await c.clientPause(100), 'OK');
        assert.equal(await c.clientUnpause(), 'OK');
        assert.equal(await c.clientNoEvict(true), 'OK');
        assert.match(String((await c.clientInfo())['flags']), /e/);
        assert.equal(await c.clientNoEvict(false), 'OK');
        const help = await c.clientHelp();
        assert.match(help[0]!, /CLIENT/);
        if (t.kind === 'valkey') {
          assert.equal(await c.clientNoTouch(true), 'OK');
          assert.match(String((await c.clientInfo())['flags']), /T/);
          assert.equal(await c.clientNoTouch(false), 'OK');
          assert.equal(await c.clientSetinfo('LIB-NAME', 'testlib'), 'OK');
          assert.equal(await c.clientSetinfo('LIB-VER', '9.9.9'), 'OK');
          const info = await c.clientInfo();
          assert.deepEqual([info['lib-name'], info['lib-ver']], ['testlib', '9.9.9']);
          assert.equal(await c.clientCapa('redirect'), 'OK');
        } else {
          // Redis 7.0 predates NO-TOUCH, SETINFO (7.2) and CAPA (Valkey only).
          await assert.rejects(c.clientNoTouch(true), ResponseError);
          await assert.rejects(c.clientSetinfo('LIB-NAME', 'testlib'), ResponseError);
          await assert.rejects(c.clientCapa('redirect'), ResponseError);
        }
        return help.length;
      } finally {
        c.disconnect();
      }
    });
  });

  it('refuses bad arguments before sending anything', async () => {
    const c = t.client(3);
    await assert.rejects(c.select(bad('1')), /SELECT: db must be an integer/);
    await assert.rejects(c.clientSetname(bad(5)), DataError);
    await assert.rejects(c.clientUnblock(bad(null)), /CLIENT UNBLOCK: clientId must be an integer, got null/);
    await assert.rejects(c.clientCaching(bad('yes')), /CLIENT CACHING: yes must be true or false/);
  });
});

async function waitBlocked(c: RedisClient, id: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [me] = await c.clientList({ id: [id] });
    if (me !== undefined && String(me['flags']).includes('b')) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('the client never blocked');
}
