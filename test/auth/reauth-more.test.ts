/**
 * Re-authentication where the rotation tests do not look: the order AUTH takes among queued commands,
 * monitors, and the connections to the sentinels. Tokens are ACL passwords set by the test; where it
 * matters, only the newest one is valid, so a connection that kept an old token, or reconnected with
 * one, would fail.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  ConnectionPool,
  EventDispatcher,
  Sentinel,
  SimpleToken,
  TokenCredentialProvider,
  createClient,
  type Connection,
  type RedisClient,
  type Token,
} from '../../src/index.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';
import { startSentinelGroup } from '../servers/sentinel.js';

/** ACL passwords as tokens, on every admin given; `keep` is how many of the newest stay valid. */
class AclTokens {
  issued: string[] = [];
  constructor(
    private readonly admins: RedisClient[],
    private readonly user: string,
    private readonly keep: number,
  ) {}
  async requestToken(): Promise<Token> {
    const pw = `t-${randomBytes(6).toString('hex')}`;
    this.issued.push(pw);
    const stale = this.issued.length > this.keep ? this.issued[this.issued.length - this.keep - 1] : undefined;
    for (const a of this.admins) {
      await a.call('ACL', 'SETUSER', this.user, `>${pw}`);
      if (stale !== undefined) await a.call('ACL', 'SETUSER', this.user, `<${stale}`);
    }
    return new SimpleToken(pw, Date.now() + 60_000);
  }
}

/** Resolves once each of `conns` has re-authenticated after this call. */
function reauthOf(events: EventDispatcher, conns: ReadonlyArray<Connection>): Promise<void> {
  const left = new Set(conns);
  return new Promise((resolve) => {
    const on = ({ connection }: { connection: Connection }) => {
      left.delete(connection);
      if (left.size > 0) return;
      events.off('reauthenticated', on);
      resolve();
    };
    events.on('reauthenticated', on);
  });
}

for (const kind of SERVER_KINDS) {
  describe(`re-authentication order and monitors on ${kind}`, () => {
    const server = useServer({ kind, aclUsers: [{ name: 'ra', password: 'ra-initial' }] });

    for (const protocol of [2, 3] as const) {
      it(`RESP${protocol}: AUTH goes ahead of the commands issued while a blocked command holds the connection`, async () => {
        await using admin = await createClient({ port: server().port }).connect();
        const tokens = new AclTokens([admin], 'ra', 2);
        const provider = new TokenCredentialProvider(tokens, { username: 'ra' });
        await using pool = new ConnectionPool({ port: server().port, protocol, credentials: provider, maxConnections: 1 });
        const lease = await pool.lease();
        const conn = lease.connection;
        const id = Number(await conn.send(['CLIENT', 'ID']));
        const monitor = await admin.monitor();
        const seen: string[] = [];
        const addr = String(await conn.send(['CLIENT', 'INFO'])).match(/ addr=(\S+)/)![1]!;
        monitor.on('command', (e) => {
          if (e.client.endsWith(addr)) seen.push(e.command.toUpperCase());
        });
        // BLPOP holds the connection for up to 1.5 s; the renewal comes while it waits.
        const blocked = conn.send(['BLPOP', `ra:q:${protocol}`, '1.5']);
        await new Promise<void>((resolve) => {
          const check = () => (seen.includes('BLPOP') ? resolve() : monitor.once('command', check));
          check();
        });
        await provider.manager.refresh();
        // Issued after the renewal, before BLPOP answers: they must reach the server after AUTH.
        const after = [conn.send(['SET', `ra:k:${protocol}`, 'v']), conn.send(['INCR', `ra:n:${protocol}`]), conn.send(['ACL', 'WHOAMI'])];
        await admin.rpush(`ra:q:${protocol}`, 'x');
        assert.deepEqual(await blocked, [`ra:q:${protocol}`, 'x']);
        const [set, , who] = await Promise.all(after);
        assert.equal(set, 'OK');
        assert.equal(who, 'ra');
        // The server writes the MONITOR line before it runs the command, but on another socket, whose
        // data may be read after the reply: wait for the last command's line (the test timeout bounds it).
        await new Promise<void>((resolve) => {
          const check = () => (seen.includes('ACL') ? resolve() : monitor.once('command', check));
          check();
        });
        const order = seen.filter((c) => ['BLPOP', 'AUTH', 'SET', 'INCR', 'ACL'].includes(c));
        assert.deepEqual(order.slice(-5), ['BLPOP', 'AUTH', 'SET', 'INCR', 'ACL']);
        assert.equal(Number(await conn.send(['CLIENT', 'ID'])), id, 'the same connection throughout');
        lease.release();
        await monitor.stop();
        provider.stop();
      });
    }

    it('a monitor moves to a connection authenticated with the new token, and keeps reporting', async () => {
      await using admin = await createClient({ port: server().port }).connect();
      // Only the newest token is valid: a monitor reconnecting with an old one would be refused.
      const tokens = new AclTokens([admin], 'ra', 1);
      const provider = new TokenCredentialProvider(tokens, { username: 'ra' });
      const events = new EventDispatcher();
      await using client = await createClient({ port: server().port, credentials: provider, events }).connect();
      const monitor = await client.monitor();
      const monitorConns: Connection[] = [];
      events.on('connectionCreated', (e) => monitorConns.push(e.connection));
      const seen = new Set<string>();
      monitor.on('command', (e) => {
        if (e.command.toUpperCase() === 'SET') seen.add(e.args[0]!.replace(/"/g, ''));
      });
      const sawKey = (key: string) =>
        new Promise<void>((resolve) => {
          const check = () => (seen.has(key) ? resolve() : monitor.once('command', check));
          check();
        });
      await admin.set('ra:mon:before', '1');
      await sawKey('ra:mon:before');
      const shared = reauthOf(events, [client.connection]);
      for (let round = 0; round < 3; round++) {
        const restarted = new Promise<void>((resolve) => monitor.once('monitoring', () => resolve()));
        await provider.manager.refresh();
        await restarted;
        // The monitor is back on its new connection: what happens now is reported.
        await admin.set(`ra:mon:${round}`, '1');
        await sawKey(`ra:mon:${round}`);
      }
      await shared;
      // The shared connection re-authenticated in place with the newest token.
      assert.equal(await client.call('ACL', 'WHOAMI'), 'ra');
      assert.equal(new Set(monitorConns).size, 3, 'one new monitor connection per renewal');
      await monitor.stop();
      provider.stop();
    });
  });

  describe(`re-authentication of the sentinel connections on ${kind}`, () => {
    it('connections to every sentinel re-authenticate in place with each token; discovery keeps working', async () => {
      const group = await startSentinelGroup({ kind, replicas: 1 });
      const admins: RedisClient[] = [];
      try {
        for (const at of group.sentinelAddresses) admins.push(await createClient({ port: at.port }).connect());
        for (const a of admins) await a.call('ACL', 'SETUSER', 'sent', 'on', '>sent-initial', '+@all', '~*', '&*');
        // Only the newest token is valid on the sentinels.
        const tokens = new AclTokens(admins, 'sent', 1);
        const provider = new TokenCredentialProvider(tokens, { username: 'sent' });
        const events = new EventDispatcher();
        await using sentinel = new Sentinel(group.sentinelAddresses, { refreshInterval: 0, sentinelOptions: { credentials: provider, events } });
        const sentinelConns: Connection[] = [];
        events.on('connectionCreated', (e) => sentinelConns.push(e.connection));
        await using primary = sentinel.primaryFor(group.masterName);
        await primary.set('sent:k', 'v');
        assert.equal(await primary.get('sent:k'), 'v');
        const before = new Map<number, string[]>();
        for (const [i, a] of admins.entries()) before.set(i, await idsOf(a, 'sent'));
        assert.ok([...before.values()].some((ids) => ids.length > 0), 'the client holds connections to the sentinels');
        assert.ok(sentinelConns.length > 0);

        for (let round = 0; round < 3; round++) {
          const done = reauthOf(events, sentinelConns.filter((c) => c.state === 'ready'));
          await provider.manager.refresh();
          await done;
        }
        // Nothing reconnected: the same connection ids, each having sent AUTH last.
        for (const [i, a] of admins.entries()) {
          assert.deepEqual(await idsOf(a, 'sent'), before.get(i));
          for (const line of await linesOf(a, 'sent')) assert.match(line, / cmd=auth /);
        }
        // The sentinels, asked again with only the newest token valid, still answer.
        const at = await sentinel.discoverPrimary(group.masterName);
        assert.equal(at.port, (await group.primary()).port);
        assert.equal(await primary.get('sent:k'), 'v');
        provider.stop();
      } finally {
        for (const a of admins) await a.close().catch(() => {});
        await group.stop();
      }
    });
  });
}

async function linesOf(admin: RedisClient, user: string): Promise<string[]> {
  return String(await admin.call('CLIENT', 'LIST'))
    .trim()
    .split('\n')
    .filter((l) => l.includes(` user=${user} `));
}

async function idsOf(admin: RedisClient, user: string): Promise<string[]> {
  return (await linesOf(admin, user)).map((l) => l.match(/^id=(\d+)/)![1]!).sort();
}
