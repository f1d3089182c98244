/**
 * Token rotation against real servers: an identity provider whose tokens are ACL passwords that the
 * test rotates with an admin connection (`ACL SETUSER … >new`, and the password before the last one
 * removed), living 2 s each. Every kind of live connection must keep working without being reopened,
 * and the server itself (MONITOR, ACL LOG) shows that each one sent AUTH with every new token.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  ConnectionPool,
  SimpleToken,
  TokenCredentialProvider,
  TokenRenewalError,
  createClient,
  type RedisClient,
  type Token,
} from '../../src/index.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';

const PROTOCOLS = [2, 3] as const;
const RUN_MS = Number(process.env['ROTATION_MS'] ?? 20_000);
const TOKEN_LIFE = 2_000;

/** Issues ACL passwords as tokens: the newest two are valid, older ones are removed from the user. */
class AclRotator {
  issued: string[] = [];
  failUntil = 0;
  constructor(
    private readonly admin: RedisClient,
    private readonly user: string,
  ) {}
  async requestToken(): Promise<Token> {
    if (this.failUntil !== 0 && Date.now() < this.failUntil) throw new Error('identity provider unavailable');
    const pw = `tok-${randomBytes(8).toString('hex')}`;
    await this.admin.call('ACL', 'SETUSER', this.user, `>${pw}`);
    this.issued.push(pw);
    const stale = this.issued.length - 3;
    if (stale >= 0) await this.admin.call('ACL', 'SETUSER', this.user, `<${this.issued[stale]!}`);
    return new SimpleToken(pw, Date.now() + TOKEN_LIFE);
  }
}

interface ClientRow {
  id: string;
  addr: string;
  user: string;
  flags: string;
}

async function clientsOf(admin: RedisClient, user: string): Promise<ClientRow[]> {
  const text = String(await admin.call('CLIENT', 'LIST'));
  return text
    .trim()
    .split('\n')
    .map((line) => Object.fromEntries(line.split(' ').map((kv) => kv.split('=', 2) as [string, string])) as unknown as ClientRow)
    .filter((r) => r.user === user);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const kind of SERVER_KINDS) {
  describe(`token rotation on ${kind}`, () => {
    const server = useServer({ kind, aclUsers: [{ name: 'rot', password: 'initial-pw' }] });

    for (const protocol of PROTOCOLS) {
      it(`RESP${protocol}: ${RUN_MS / 1000} s of 2 s tokens under load: shared, pool of 5, BLPOP, subscriber keep working, none reopened, each AUTHs with every token`, async () => {
        await using admin = await createClient({ port: server().port }).connect();
        await admin.call('ACL', 'LOG', 'RESET');
        const rotator = new AclRotator(admin, 'rot');
        const provider = new TokenCredentialProvider(rotator, { username: 'rot', expirationRefreshRatio: 0.5, retry: { initialDelay: 50, maxDelay: 200 } });
        // AUTHs as the server saw them, per client address.
        const monitor = await admin.monitor();
        const auths = new Map<string, number>();
        monitor.on('command', (e) => {
          if (e.command.toUpperCase() === 'AUTH' || (e.command.toUpperCase() === 'HELLO' && e.args.some((a) => a.toUpperCase() === 'AUTH'))) auths.set(e.client, (auths.get(e.client) ?? 0) + 1);
        });

        await using client = await createClient({ port: server().port, protocol, credentials: provider }).connect();
        await using pool = new ConnectionPool({ port: server().port, protocol, credentials: provider, maxConnections: 5 });
        const leases = await Promise.all(Array.from({ length: 5 }, () => pool.lease()));
        for (const l of leases) await l.connection.send(['PING']);
        // Three stay lent and busy, two go back and idle.
        leases[3]!.release();
        leases[4]!.release();
        const sub = client.pubsub();
        let received = 0;
        sub.on('message', () => received++);
        await sub.subscribe('rot:ch');
        let reauthFailures = 0;
        for (const l of leases) l.connection.on('reauthFailed', () => reauthFailures++);
        client.connection.on('reauthFailed', () => reauthFailures++);

        const before = await clientsOf(admin, 'rot');
        const subAddr = before.find((r) => r.flags.includes('P'))?.addr;
        assert.ok(subAddr !== undefined, 'the subscriber is in CLIENT LIST');
        const tokensAtStart = rotator.issued.length;

        const deadline = Date.now() + RUN_MS;
        let commands = 0;
        let popped = 0;
        let published = 0;
        const load = async (send: () => Promise<unknown>) => {
          while (Date.now() < deadline) {
            await Promise.all(Array.from({ length: 20 }, send));
            commands += 20;
          }
        };
        const blpops = (async () => {
          // Each BLPOP waits about 2.5 s: renewals happen while it is blocked.
          while (Date.now() < deadline) {
            const r = await client.blpop('rot:q', 0);
            assert.deepEqual(r, { key: 'rot:q', element: 'x' });
            popped++;
          }
        })();
        const feeder = (async () => {
          while (Date.now() < deadline + 100) {
            await sleep(100);
            await admin.publish('rot:ch', 'm');
            published++;
            if (published % 25 === 0 || Date.now() >= deadline) await admin.lpush('rot:q', 'x');
          }
          await admin.lpush('rot:q', 'x');
        })();
        const idle = (async () => {
          // The idle pool connections get leased now and then, mid-rotation.
          while (Date.now() < deadline) {
            await sleep(700);
            const l = await pool.lease();
            assert.equal(await l.connection.send(['INCR', 'rot:idle']), (await admin.get('rot:idle').then(Number)));
            l.release();
          }
        })();
        await Promise.all([
          load(() => client.incr('rot:n')),
          ...leases.slice(0, 3).map((l) => load(() => l.connection.send(['INCR', 'rot:p']))),
          blpops,
          feeder,
          idle,
        ]);
        const tokens = rotator.issued.length - tokensAtStart;
        // Let the last published messages arrive.
        const until = Date.now() + 2000;
        while (received < published && Date.now() < until) await sleep(20);
        for (const l of leases.slice(0, 3)) l.release();

        const after = await clientsOf(admin, 'rot');
        const ids = (rows: ClientRow[]) => rows.filter((r) => protocol === 3 || r.addr !== subAddr).map((r) => r.id).sort();
        const keptIds = ids(before).filter((id) => after.some((r) => r.id === id));
        assert.deepEqual(keptIds, ids(before), 'no connection was reopened');
        const authsPerConnection = before.filter((r) => protocol === 3 || r.addr !== subAddr).map((r) => auths.get(r.addr) ?? 0);
        // Every connection sent AUTH for every token issued while the test ran (the last may be in flight).
        for (const n of authsPerConnection) assert.ok(n >= tokens - 1, `AUTHs per connection ${authsPerConnection.join(',')} for ${tokens} tokens`);
        assert.ok(tokens >= RUN_MS / TOKEN_LIFE, `tokens renewed at half their life: ${tokens} in ${RUN_MS} ms`);
        const log = (await admin.call('ACL', 'LOG')) as unknown[];
        assert.equal(log.length, 0, `no AUTH was refused (ACL LOG is empty): ${JSON.stringify(log)}`);
        assert.equal(reauthFailures, 0);
        assert.ok(popped >= 2, `BLPOPs served: ${popped}`);
        if (protocol === 3) assert.equal(received, published, 'the subscriber received every message');
        else assert.ok(received > published * 0.5, `the RESP2 subscriber keeps receiving after each move (${received}/${published})`);
        process.stdout.write(`# RESP${protocol} ${kind}: ${commands} commands, ${tokens} tokens, AUTHs per connection ${authsPerConnection.join(',')}, ${popped} BLPOPs, ${received}/${published} messages\n`);
        await monitor.stop();
        await sub.close();
        provider.stop();
      });
    }

    it('a provider down for 3 s while the token is still valid: no command fails; an expired token refuses new commands with TokenRenewalError, and recovery after', async () => {
      await using admin = await createClient({ port: server().port }).connect();
      const rotator = new AclRotator(admin, 'rot');
      // 8 s tokens renewed at half their life (4 s): failing from 2 s to 5 s, the renewal fails for
      // a second and succeeds well before the expiry.
      const life = 8_000;
      const identity = { requestToken: async () => {
        const t = await rotator.requestToken();
        return new SimpleToken(t.value, Date.now() + life);
      } };
      const provider = new TokenCredentialProvider(identity, { username: 'rot', expirationRefreshRatio: 0.5, retry: { initialDelay: 50, maxDelay: 200, jitter: 0 } });
      const errors: Error[] = [];
      provider.manager.on('error', ({ error }) => errors.push(error));
      await using client = await createClient({ port: server().port, credentials: provider }).connect();
      const start = Date.now();
      let n = 0;
      while (Date.now() - start < 6_000) {
        if (Date.now() - start > 2_000 && rotator.failUntil === 0) rotator.failUntil = start + 5_000;
        await client.incr('rec:n');
        n++;
        await sleep(10);
      }
      assert.ok(errors.length >= 3, `the failures were reported (${errors.length})`);
      rotator.failUntil = 0;
      assert.ok(rotator.issued.length >= 2, 'a renewal came once the provider was back');
      assert.equal(Number(await admin.get('rec:n')), n);

      // Now down for longer than the token lives: it expires with no successor.
      const expired = new Promise<Error>((resolve) => provider.manager.once('expired', resolve));
      rotator.failUntil = Infinity;
      await expired;
      await assert.rejects(client.get('rec:n'), (e: unknown) => e instanceof TokenRenewalError && e.command === 'GET' && /identity provider unavailable/.test(e.message));
      // Back: the next retry brings a token, and commands flow on the same connection.
      const idOf = async () => (await admin.call('CLIENT', 'LIST', 'TYPE', 'normal') as string).split('\n').filter((l) => l.includes('user=rot')).map((l) => l.split(' ')[0]).join();
      const id = await idOf();
      rotator.failUntil = 0;
      const until = Date.now() + 5_000;
      let value: string | null = null;
      while (Date.now() < until) {
        try {
          value = await client.get('rec:n');
          break;
        } catch (e) {
          assert.ok(e instanceof TokenRenewalError);
          await sleep(20);
        }
      }
      assert.equal(value, String(n));
      assert.equal(await idOf(), id, 'the same connection');
      provider.stop();
    });
  });
}
