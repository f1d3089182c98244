// The cluster client over TLS, against real Redis and Valkey clusters whose nodes speak TLS to each
// other too (tls-cluster, tls-replication). Nodes give a TLS client their TLS ports, in CLUSTER SLOTS
// and in MOVED alike: the client must only ever see and use those.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCluster, keySlot, type ClusterOptions, type RedisCluster } from '../../src/index.js';
import { SERVER_KINDS, useCluster, type RedisServer, type TestCluster } from '../servers/index.js';

/** Polls a server-side condition (no client event says it). */
async function until(what: string, timeoutMs: number, cond: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function byTlsPort(cluster: TestCluster, port: number): RedisServer {
  const s = cluster.servers.find((x) => x.tlsPort === port);
  assert.ok(s !== undefined, `${port} is the TLS port of a node`);
  return s;
}

async function getCalls(server: RedisServer): Promise<number> {
  const m = /cmdstat_get:calls=(\d+)/.exec(await server.cli('INFO', 'commandstats'));
  return m ? Number(m[1]) : 0;
}

for (const kind of SERVER_KINDS) {
  describe(`cluster over TLS on ${kind}`, () => {
    const cluster = useCluster({ kind, tls: true });
    const open = (o: Partial<ClusterOptions> = {}): Promise<RedisCluster> => {
      const seed = cluster().servers[0]!;
      return createCluster({ nodes: [{ host: '127.0.0.1', port: seed.tlsPort! }], tls: { ca: seed.tls!.ca }, ...o }).connect();
    };

    it('from one TLS seed: learns every node by its TLS port and serves keys of every slot', async () => {
      await using c = await open();
      const tlsPorts = new Set(cluster().servers.map((s) => s.tlsPort));
      const nodes = c.nodes();
      assert.equal(nodes.length, 6);
      for (const n of nodes) assert.ok(tlsPorts.has(n.port), `${n.address} is a TLS port`);
      const keys = Array.from({ length: 2_000 }, (_, i) => `tls:${i}`);
      assert.ok(new Set(keys.map(keySlot)).size > 1_000);
      await c.mset(Object.fromEntries(keys.map((k) => [k, k])));
      assert.deepEqual(await c.mget(keys), keys);
      const p = c.pipeline();
      for (const k of keys) p.get(k);
      assert.deepEqual(await p.exec(), keys);
      await c.del(...keys);
    });

    it('a MOVED over TLS names the new owner’s TLS port, and the command follows it there', async () => {
      await using c = await open();
      await using watcher = await open();
      const primaries = await cluster().primaries();
      const [from, to] = [primaries[0]!, primaries[1]!];
      // An empty slot changes hands with SETSLOT alone (no keys to migrate).
      const key = (() => {
        for (let i = 0; ; i++) {
          const k = `moved:${i}`;
          const s = keySlot(k);
          if (from.slots.some(([a, b]) => s >= a && s <= b)) return k;
        }
      })();
      const slot = keySlot(key);
      assert.equal(await c.get(key), null, 'the map says the old owner');
      for (const n of await cluster().nodes()) await cluster().server(n.port).cli('CLUSTER', 'SETSLOT', String(slot), 'NODE', to.id);
      assert.equal(await c.set(key, 'after'), 'OK');
      assert.equal(await cluster().server(to.port).cli('GET', key), 'after', 'written on the new owner');
      assert.equal(await c.get(key), 'after');
      await watcher.refresh();
      const owner = watcher.nodes({ role: 'primary' }).find((n) => byTlsPort(cluster(), n.port).port === to.port);
      assert.ok(owner !== undefined, 'the new owner is known by its TLS port');
      await c.del(key);
      for (const n of await cluster().nodes()) await cluster().server(n.port).cli('CLUSTER', 'SETSLOT', String(slot), 'NODE', from.id);
    });

    it("readFrom 'replica': replicas, synced over TLS, serve the reads over TLS", async () => {
      await using c = await open({ readFrom: 'replica' });
      const replicas = c.nodes({ role: 'replica' }).map((r) => byTlsPort(cluster(), r.port));
      assert.equal(replicas.length, 3);
      await c.set('tlsrr:key', 'v');
      await until('a replica to have the key', 5_000, async () => (await c.get('tlsrr:key')) === 'v');
      const before = await Promise.all(replicas.map(getCalls));
      await Promise.all(Array.from({ length: 300 }, (_, i) => c.get(`tlsrr:${i}`)));
      const after = await Promise.all(replicas.map(getCalls));
      const served = after.reduce((a, b) => a + b, 0) - before.reduce((a, b) => a + b, 0);
      assert.ok(served >= 300, `replicas served ${served} GETs`);
      await c.del('tlsrr:key');
    });
  });
}
