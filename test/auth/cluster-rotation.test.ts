/**
 * Token rotation on a 3-primary cluster: the identity provider rotates the ACL password on every node;
 * the cluster client's connection to each node re-authenticates in place, none is reopened, no AUTH is
 * refused anywhere, and no command fails.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { SimpleToken, TokenCredentialProvider, createClient, createCluster, type Token } from '../../src/index.js';
import { useCluster } from '../servers/index.js';

const RUN_MS = Number(process.env['ROTATION_MS'] ?? 10_000);

describe('token rotation on a cluster', () => {
  const cluster = useCluster({ primaries: 3, replicas: 0 });

  it(`${RUN_MS / 1000} s of 2 s tokens under load on every primary: none reopened, no AUTH refused, no command fails`, async () => {
    const nodes = cluster().servers;
    // Admin connections of their own: spawning redis-cli per rotation is too slow under a loaded machine.
    const admins = await Promise.all(nodes.map((n) => createClient({ port: n.port }).connect()));
    const everywhere = (name: string, ...args: string[]) => Promise.all(admins.map((a) => a.call(name, ...args)));
    await everywhere('ACL', 'SETUSER', 'rot', 'on', '>initial', '~*', '&*', '+@all');
    await everywhere('ACL', 'LOG', 'RESET');
    const issued: string[] = [];
    const identity = {
      async requestToken(): Promise<Token> {
        const pw = `tok-${randomBytes(8).toString('hex')}`;
        await everywhere('ACL', 'SETUSER', 'rot', `>${pw}`);
        issued.push(pw);
        if (issued.length >= 3) await everywhere('ACL', 'SETUSER', 'rot', `<${issued[issued.length - 3]!}`);
        return new SimpleToken(pw, Date.now() + 2_000);
      },
    };
    const provider = new TokenCredentialProvider(identity, { username: 'rot', expirationRefreshRatio: 0.5 });
    await using c = await createCluster({ nodes: [cluster().seeds()[0]!], credentials: provider }).connect();
    const keys = Array.from({ length: 30 }, (_, i) => `crot:${i}`);
    for (const k of keys) await c.set(k, '0');
    const idsOf = async () => (await everywhere('CLIENT', 'LIST')).map((t) => String(t).split('\n').filter((l) => l.includes(' user=rot ')).map((l) => l.split(' ')[0]).sort().join());
    const before = await idsOf();
    assert.ok(before.every((ids) => ids !== ''), 'the client has a connection to every primary');
    const start = issued.length;
    const deadline = Date.now() + RUN_MS;
    let n = 0;
    while (Date.now() < deadline) {
      await Promise.all(keys.map((k) => c.incr(k)));
      n++;
    }
    for (const k of keys) assert.equal(await c.get(k), String(n));
    assert.ok(issued.length - start >= RUN_MS / 2_000, `tokens issued: ${issued.length - start}`);
    assert.deepEqual(await idsOf(), before, 'no connection was reopened');
    for (const log of await everywhere('ACL', 'LOG')) assert.deepEqual(log, [], 'no AUTH was refused on any node');
    process.stdout.write(`# cluster: ${n * keys.length} commands, ${issued.length - start} tokens\n`);
    provider.stop();
    for (const a of admins) await a.close();
  });
});
