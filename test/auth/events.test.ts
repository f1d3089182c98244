/**
 * The event dispatcher against real servers: what a client, its pool and its subscriber report, and
 * re-authentication running on it (a token provider subscribed once per dispatcher, each live
 * connection AUTHing from the dispatcher's credentialsRenewed event, and saying so).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import {
  ConnectionPool,
  DataError,
  EventDispatcher,
  SimpleToken,
  TokenCredentialProvider,
  createClient,
  type Connection,
  type Token,
} from '../../src/index.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';

/** Tokens that are ACL passwords set by the admin connection; `bogus` makes the next one unknown to the server. */
class AclTokens {
  bogus = false;
  failing = false;
  issued: string[] = [];
  constructor(private readonly admin: { call(...a: unknown[]): Promise<unknown> }, private readonly user: string) {}
  async requestToken(): Promise<Token> {
    if (this.failing) throw new Error('identity provider down');
    const pw = `ev-${randomBytes(6).toString('hex')}`;
    if (!this.bogus) await this.admin.call('ACL', 'SETUSER', this.user, `>${pw}`);
    this.issued.push(pw);
    return new SimpleToken(pw, Date.now() + 60_000);
  }
}

function nextEvent<T>(events: EventDispatcher, name: 'credentialsRenewed' | 'credentialsFailed' | 'reauthFailed', pick: (e: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const on = (e: T) => {
      if (!pick(e)) return;
      events.off(name, on as never);
      resolve(e);
    };
    events.on(name, on as never);
  });
}

for (const kind of SERVER_KINDS) {
  describe(`event dispatcher on ${kind}`, () => {
    const server = useServer({ kind, aclUsers: [{ name: 'ev', password: 'ev-initial' }] });

    for (const protocol of [2, 3] as const) {
      it(`RESP${protocol}: connections, pool, subscriber and re-authentication all report to one dispatcher`, async () => {
        await using admin = await createClient({ port: server().port }).connect();
        const tokens = new AclTokens(admin, 'ev');
        const provider = new TokenCredentialProvider(tokens, { username: 'ev' });
        let subscribes = 0;
        const subscribe = provider.subscribe.bind(provider);
        provider.subscribe = (l) => {
          subscribes++;
          return subscribe(l);
        };
        const events = new EventDispatcher();
        const created: Array<{ connection: Connection; reconnect: boolean }> = [];
        const released: boolean[] = [];
        const pools: object[] = [];
        const subscribers: Connection[] = [];
        const reauthed = new Set<Connection>();
        events.on('connectionCreated', (e) => created.push(e));
        events.on('connectionReleased', (e) => released.push(e.discarded));
        events.on('poolCreated', (e) => pools.push(e.pool));
        events.on('pubsubConnectionCreated', (e) => subscribers.push(e.connection));
        events.on('reauthenticated', (e) => reauthed.add(e.connection));

        await using client = await createClient({ port: server().port, protocol, credentials: provider, events }).connect();
        await using pool = new ConnectionPool({ port: server().port, protocol, credentials: provider, events, maxConnections: 3 });
        const leases = await Promise.all([pool.lease(), pool.lease(), pool.lease()]);
        leases[2]!.release();
        const sub = client.pubsub();
        await sub.subscribe('ev:ch');

        // The client's own pool (for blocking commands) and this one.
        assert.equal(pools.length, 2);
        assert.ok(pools.includes(pool));
        assert.deepEqual(released, [false]);
        assert.equal(subscribers.length, 1);
        const live = [client.connection, ...leases.map((l) => l.connection), subscribers[0]!];
        for (const conn of live) assert.ok(created.some((e) => e.connection === conn && !e.reconnect), 'each connection reported its creation');
        assert.equal(subscribes, 1, 'the provider is subscribed once for the dispatcher, not once per connection');

        // A renewal: every live connection AUTHs from the dispatcher's event, and says so on it.
        // A RESP2 subscriber cannot AUTH while subscribed: it moves to a new connection instead.
        const inPlace = protocol === 3 ? live : live.slice(0, -1);
        const resubscribed = protocol === 3 ? null : new Promise<Connection>((resolve) => events.once('pubsubConnectionCreated', (e) => resolve(e.connection)));
        const allReauthed = new Promise<void>((resolve) => {
          const check = () => {
            if (!inPlace.every((c) => reauthed.has(c))) return;
            events.off('reauthenticated', check);
            resolve();
          };
          events.on('reauthenticated', check);
        });
        const renewed = nextEvent<{ username: string | undefined; credentials: { password: string } }>(events, 'credentialsRenewed');
        await provider.manager.refresh();
        const event = await renewed;
        assert.equal(event.username, 'ev');
        assert.equal(event.credentials.password, tokens.issued.at(-1));
        assert.doesNotMatch(inspect(event, { depth: 5 }), new RegExp(tokens.issued.at(-1)!), 'logging the event shows no secret');
        // Each live connection answers its AUTH: all five report it.
        await allReauthed;
        if (resubscribed !== null) {
          const fresh = await resubscribed;
          assert.notEqual(fresh, subscribers[0]);
          assert.ok(created.some((e) => e.connection === fresh), 'the new subscriber connection reported its creation');
        }
        // The server agrees: the newest token is the only password now, and every connection still works.
        await admin.call('ACL', 'SETUSER', 'ev', 'resetpass', `>${tokens.issued.at(-1)!}`);
        assert.equal(await client.call('ACL', 'WHOAMI'), 'ev');
        for (const l of leases.slice(0, 2)) assert.equal(await l.connection.send(['ACL', 'WHOAMI']), 'ev');

        // A token the server does not know: AUTH is refused, reported as reauthFailed, the old login stays.
        tokens.bogus = true;
        const failed = nextEvent<{ connection: Connection; error: Error }>(events, 'reauthFailed', (e) => e.connection === client.connection);
        await provider.manager.refresh();
        const f = await failed;
        assert.match(f.error.message, /WRONGPASS|invalid/i);
        assert.equal(await client.call('ACL', 'WHOAMI'), 'ev');

        // The identity provider fails: credentialsFailed, with the error.
        tokens.failing = true;
        const down = nextEvent<{ error: Error; expired: boolean }>(events, 'credentialsFailed');
        await provider.manager.refresh().catch(() => {});
        const d = await down;
        assert.match(d.error.message, /identity provider down/);
        assert.equal(d.expired, false);

        for (const l of leases.slice(0, 2)) l.release();
        await sub.close();
        provider.stop();
      });
    }

    it('the provider is unsubscribed once the last connection on the dispatcher is gone', async () => {
      await using admin = await createClient({ port: server().port }).connect();
      const tokens = new AclTokens(admin, 'ev');
      const provider = new TokenCredentialProvider(tokens, { username: 'ev' });
      let active = 0;
      const subscribe = provider.subscribe.bind(provider);
      provider.subscribe = (l) => {
        active++;
        const stop = subscribe(l);
        return () => {
          active--;
          stop();
        };
      };
      const events = new EventDispatcher();
      const a = await createClient({ port: server().port, credentials: provider, events }).connect();
      const b = await createClient({ port: server().port, credentials: provider, events }).connect();
      assert.equal(active, 1);
      await a.close();
      assert.equal(active, 1);
      await b.close();
      assert.equal(active, 0);
      provider.stop();
    });
  });
}

describe('event dispatcher option', () => {
  it('events must be an EventDispatcher', () => {
    assert.throws(() => createClient({ events: {} as never }), DataError);
    assert.doesNotThrow(() => createClient({ events: new EventDispatcher() }));
  });
});
