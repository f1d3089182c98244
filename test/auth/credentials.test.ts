import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import {
  AuthenticationError,
  DataError,
  InvalidTokenSchemaError,
  JWToken,
  SimpleToken,
  TokenCredentialProvider,
  TokenManager,
  createClient,
  type Credentials,
  type Token,
} from '../../src/index.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';

const PROTOCOLS = [2, 3] as const;

function jwt(payload: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.sig`;
}

for (const kind of SERVER_KINDS) {
  describe(`credentials on ${kind}`, () => {
    const server = useServer({ kind, aclUsers: [{ name: 'app', password: 'app-secret-1' }] });

    for (const protocol of PROTOCOLS) {
      describe(`RESP${protocol}`, () => {
        it('static credentials log in as the ACL user, and again after the server drops the connection', async () => {
          await using c = await createClient({ port: server().port, protocol, credentials: { username: 'app', password: 'app-secret-1' } }).connect();
          assert.equal(await c.call('ACL', 'WHOAMI'), 'app');
          assert.equal(c.connection.protocol, protocol);
          const id = await c.call('CLIENT', 'ID');
          await server().cli('CLIENT', 'KILL', 'ID', String(id));
          await c.set('cred:k', 'v');
          assert.equal(await c.call('ACL', 'WHOAMI'), 'app');
          assert.notEqual(await c.call('CLIENT', 'ID'), id);
        });

        it('a provider is asked on every new connection (pool included, and after a reconnect)', async () => {
          let calls = 0;
          const provider = {
            async getCredentials(): Promise<Credentials> {
              calls++;
              return { username: 'app', password: 'app-secret-1' };
            },
          };
          await using c = await createClient({ port: server().port, protocol, credentials: provider }).connect();
          assert.equal(calls, 1);
          // Three BLPOPs at once need three pool connections, each authenticated by its own call.
          const pops = [0, 1, 2].map((i) => c.blpop(`cred:q${i}`, 0.05));
          assert.deepEqual(await Promise.all(pops), [null, null, null]);
          assert.equal(calls, 4);
          const id = await c.call('CLIENT', 'ID');
          await server().cli('CLIENT', 'KILL', 'ID', String(id));
          assert.equal(await c.call('ACL', 'WHOAMI'), 'app');
          assert.equal(calls, 5);
        });

        it("a provider's failure rejects connect() with AuthenticationError, cause kept, no secret in the message", async () => {
          const cause = new Error('vault unreachable');
          const c = createClient({ port: server().port, protocol, reconnect: false, credentials: { getCredentials: () => Promise.reject(cause) } });
          const err = await c.connect().then(() => null, (e: unknown) => e);
          assert.ok(err instanceof AuthenticationError, String(err));
          assert.equal(err.cause, cause);
          assert.match(err.message, /vault unreachable/);
          await c.close();
        });

        it('a wrong password from a provider is an AuthenticationError that does not show it', async () => {
          const c = createClient({ port: server().port, protocol, reconnect: false, credentials: { getCredentials: async () => ({ username: 'app', password: 'nope-secret' }) } });
          const err = await c.connect().then(() => null, (e: unknown) => e);
          assert.ok(err instanceof AuthenticationError, String(err));
          assert.doesNotMatch(String((err as Error).message) + String((err as Error).stack), /nope-secret/);
          await c.close();
        });

        it('a provider returning a malformed value fails connect() instead of sending it', async () => {
          const c = createClient({ port: server().port, protocol, reconnect: false, credentials: { getCredentials: async () => ({ user: 'app' }) as unknown as Credentials } });
          await assert.rejects(c.connect(), (e: unknown) => e instanceof AuthenticationError && /string password/.test((e as Error).message));
          await c.close();
        });
      });
    }

    it('a disconnect() while the provider is being asked ends the connect', async () => {
      let release!: () => void;
      const asked = new Promise<void>((resolve) => {
        release = resolve;
      });
      let answer!: (c: Credentials) => void;
      const c = createClient({
        port: server().port,
        credentials: {
          getCredentials: () =>
            new Promise<Credentials>((resolve) => {
              answer = resolve;
              release();
            }),
        },
      });
      const connecting = c.connect();
      await asked;
      c.disconnect();
      answer({ username: 'app', password: 'app-secret-1' });
      await assert.rejects(connecting);
      assert.equal(c.connection.state, 'closed');
    });
  });
}

describe('credentials: options and printing', () => {
  it('refuses a malformed credentials option without showing it', () => {
    assert.throws(() => createClient({ credentials: 'hunter2' as unknown as Credentials }), (e: unknown) => e instanceof DataError && !/hunter2/.test((e as Error).message));
    assert.throws(() => createClient({ credentials: { username: 'a', password: 5 } as unknown as Credentials }), DataError);
    assert.throws(() => createClient({ credentials: { password: 'x', extra: 1 } as unknown as Credentials }), DataError);
  });

  it('a client, its options, tokens and token providers print without secrets', () => {
    const c = createClient({ credentials: { username: 'app', password: 'very-secret-pw' } });
    assert.doesNotMatch(inspect(c, { depth: 10 }), /very-secret-pw/);
    const token = new SimpleToken('tok-secret-value', Date.now() + 1000);
    assert.doesNotMatch(inspect(token), /tok-secret-value/);
    assert.doesNotMatch(JSON.stringify(token), /tok-secret-value/);
    const provider = new TokenCredentialProvider({ requestToken: async () => token });
    const c2 = createClient({ credentials: provider });
    assert.doesNotMatch(inspect(c2, { depth: 10 }) + inspect(provider, { depth: 10 }), /tok-secret-value/);
  });
});

describe('tokens', () => {
  it('JWToken reads exp and iat (seconds) and keeps the claims', () => {
    const t = new JWToken(jwt({ exp: 2_000_000_000, iat: 1_999_999_000, oid: 'user-1' }));
    assert.equal(t.expiresAt, 2_000_000_000_000);
    assert.equal(t.receivedAt, 1_999_999_000_000);
    assert.equal(t.claims['oid'], 'user-1');
    assert.equal(t.isExpired(1_999_999_999_999), false);
    assert.equal(t.isExpired(2_000_000_000_000), true);
    assert.equal(t.ttl(1_999_999_999_000), 1000);
  });

  it('a malformed JWT is an InvalidTokenSchemaError', () => {
    for (const bad of ['abc', 'a.b', 'a.b.c.d', `x.${Buffer.from('not json').toString('base64url')}.s`, jwt({ iat: 1 }), jwt({ exp: '1' }), jwt({ exp: 1, iat: 'x' }), `x.${Buffer.from('[1]').toString('base64url')}.s`]) {
      assert.throws(() => new JWToken(bad), InvalidTokenSchemaError, bad);
    }
  });
});

/** An identity provider under the test's control: each request waits for the test's answer. */
class ScriptedIdentity {
  requests = 0;
  next: Array<(t: Token | Error) => void> = [];
  private waiters: Array<() => void> = [];
  times: number[] = [];
  requestToken(): Promise<Token> {
    this.requests++;
    this.times.push(Date.now());
    return new Promise<Token>((resolve, reject) => {
      this.next.push((t) => (t instanceof Error ? reject(t) : resolve(t)));
      for (const w of this.waiters.splice(0)) w();
    });
  }
  async answer(t: Token | Error): Promise<void> {
    while (this.next.length === 0) await new Promise<void>((r) => this.waiters.push(r));
    this.next.shift()!(t);
  }
}

describe('token manager', () => {
  it('renews at the ratio of the lifetime, and no later than the lower bound before expiry', () => {
    const m = new TokenManager({ requestToken: async () => new SimpleToken('x', 0) }, { expirationRefreshRatio: 0.75, lowerRefreshBound: 100 });
    assert.equal(m.renewalTime(new SimpleToken('x', 11_000, 10_000)), 10_750);
    // 75 % of a 200 ms life would be 50 ms before expiry: the bound says 100.
    assert.equal(m.renewalTime(new SimpleToken('x', 10_200, 10_000)), 10_100);
    assert.throws(() => new TokenManager({ requestToken: async () => new SimpleToken('x', 0) }, { expirationRefreshRatio: 0 }), RangeError);
  });

  it('renews on schedule, retries failures with growing backoff keeping the current token, reports expiry', async () => {
    // The manager's timers are unref'd on purpose: this one keeps the test process up meanwhile.
    const keepAlive = setInterval(() => {}, 1000);
    const id = new ScriptedIdentity();
    const m = new TokenManager(id, { expirationRefreshRatio: 0.5, retry: { initialDelay: 20, multiplier: 2, maxDelay: 1000, jitter: 0 } });
    const tokens: Token[] = [];
    const errors: Array<{ attempt: number; retryIn: number; expired: boolean }> = [];
    m.on('token', (t) => tokens.push(t));
    m.on('error', ({ attempt, retryIn, expired }) => errors.push({ attempt, retryIn, expired }));
    try {
    const first = m.getToken();
    const t0 = Date.now();
    await id.answer(new SimpleToken('t1', t0 + 300, t0));
    const t1 = await first;
    assert.equal(t1.value, 't1');
    // Due at 150 ms, half its life: the renewal request comes by itself.
    await id.answer(new Error('idp down'));
    assert.ok(id.times[1]! - t0 >= 145, `the renewal waited for its time (${id.times[1]! - t0} ms)`);
    await id.answer(new Error('idp down'));
    assert.equal(m.current?.value, 't1', 'the current token stays while renewal fails');
    const expired = new Promise<Error>((resolve) => m.once('expired', resolve));
    // Keep failing until the token runs out.
    const failing = (async () => {
      for (;;) {
        await id.answer(new Error('idp down'));
        if (m.current === null) return;
      }
    })();
    const err = await expired;
    assert.equal(err.name, 'TokenRenewalError');
    assert.match(err.message, /idp down/);
    await failing;
    assert.deepEqual(errors.slice(0, 3).map((e) => [e.attempt, e.retryIn]), [[1, 20], [2, 40], [3, 80]]);
    assert.equal(errors[0]!.expired, false);
    // Recovery: the next attempt succeeds.
    await id.answer(new SimpleToken('t2', Date.now() + 10_000));
    while (tokens.length < 2) await new Promise((r) => setImmediate(r));
    assert.equal(m.current?.value, 't2');
    } finally {
      m.stop();
      clearInterval(keepAlive);
    }
  });
});
