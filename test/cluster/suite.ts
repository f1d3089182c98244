/**
 * The cluster client against a real cluster of one server kind (3 primaries, a replica each). One
 * cluster serves the whole suite; the tests that break it (resharding, failover, a killed primary)
 * come last, in that order. Each fault scenario runs two clients at once, one RESP2 and one RESP3.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  ClientClosedError,
  ClusterDownError,
  ConnectionError,
  CrossSlotError,
  RedisCluster,
  TimeoutError,
  createCluster,
  keySlot,
  type ClusterOptions,
} from '../../src/index.js';
import { startProxy, useCluster, type ServerKind, type TestCluster } from '../servers/index.js';

/** One key for each of the 16384 slots. */
function keyPerSlot(): string[] {
  const out = new Array<string>(16384);
  let left = 16384;
  for (let i = 0; left > 0; i++) {
    const k = `probe:${i}`;
    const s = keySlot(k);
    if (out[s] === undefined) {
      out[s] = k;
      left--;
    }
  }
  return out;
}

async function commandCalls(cluster: TestCluster, port: number, command: string): Promise<number> {
  const stats = await cluster.server(port).cli('INFO', 'commandstats');
  const m = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats);
  return m ? Number(m[1]) : 0;
}

async function until(what: string, timeoutMs: number, cond: () => Promise<boolean> | boolean, detail?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${detail ? `: ${detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface LoadResult {
  acked: Map<string, number>;
  errors: unknown[];
  calls: number;
}

/** `workers` workers doing INCR on `counters` counters until stop() is called. */
function incrLoad(clients: RedisCluster[], workers: number, counters: number, prefix: string) {
  const acked = new Map<string, number>();
  const errors: unknown[] = [];
  let calls = 0;
  let stopped = false;
  const run = async (w: number): Promise<void> => {
    const c = clients[w % clients.length]!;
    for (let i = w; !stopped; i += workers) {
      const key = `${prefix}:${i % counters}`;
      calls++;
      try {
        await c.incr(key);
        acked.set(key, (acked.get(key) ?? 0) + 1);
      } catch (e) {
        errors.push(e);
        // A closed client fails at once: going on would spin without ever yielding to the event loop.
        if (e instanceof ClientClosedError) return;
      }
    }
  };
  const all = Promise.all(Array.from({ length: workers }, (_, w) => run(w)));
  const load = {
    get calls() {
      return calls;
    },
    /** Idempotent: afterEach calls it again, so that a failed test leaves no worker running. */
    async stop(): Promise<LoadResult> {
      stopped = true;
      await all;
      running.delete(load);
      return { acked, errors, calls };
    },
  };
  running.add(load);
  return load;
}

/** Loads still running: stopped after each test whatever happened in it. */
const running = new Set<{ stop(): Promise<LoadResult> }>();

/** Every counter on the server equals the INCRs acknowledged to the workers. */
async function assertCounters(c: RedisCluster, acked: Map<string, number>): Promise<void> {
  const keys = [...acked.keys()];
  const values = await c.mget(...keys);
  const wrong = keys.filter((k, i) => Number(values[i]) !== acked.get(k)).map((k, i) => `${k}: server ${values[i]}, acked ${acked.get(k)}`);
  assert.deepEqual(wrong, []);
}

export function clusterSuite(kind: ServerKind): void {
  describe(`cluster client on ${kind}`, () => {
    const cluster = useCluster({ kind });
    afterEach(async () => {
      await Promise.all([...running].map((l) => l.stop()));
    });
    const open = (o: Partial<ClusterOptions> = {}) => createCluster({ nodes: [cluster().seeds()[0]!], ...o }).connect();

    for (const protocol of [2, 3] as const) {
      it(`RESP${protocol}: 20,000 keys spread over every primary, each read back with its own value`, async () => {
        await using c = await open({ protocol });
        const n = 20_000;
        const t = Date.now();
        // 2,000 in flight at a time: all 20,000 at once would only measure a queue on a shared CPU.
        const values: Array<string | null> = [];
        for (let at = 0; at < n; at += 2_000) {
          const ids = Array.from({ length: 2_000 }, (_, j) => at + j);
          await Promise.all(ids.map((i) => c.set(`k${protocol}:${i}`, `v${i}`)));
          values.push(...(await Promise.all(ids.map((i) => c.get(`k${protocol}:${i}`)))));
        }
        console.log(`# ${kind} RESP${protocol}: ${n} SET + ${n} GET in ${Date.now() - t} ms`);
        assert.equal(values.filter((v, i) => v !== `v${i}`).length, 0);
        const primaries = c.nodes({ role: 'primary' });
        assert.equal(primaries.length, 3);
        const sizes = await Promise.all(primaries.map((p) => p.client.dbsize()));
        for (const s of sizes) assert.ok(s > n / 5, `every primary holds a share of the keys: ${sizes.join(', ')}`);
        assert.equal(await c.dbsize(), sizes.reduce((a, b) => a + b, 0), 'DBSIZE is the sum over the primaries');
      });

      it(`RESP${protocol}: MGET/MSET/DEL/EXISTS over 200 keys in 200 slots, one call each, results in order`, async () => {
        await using c = await open({ protocol });
        const keys: string[] = [];
        const seen = new Set<number>();
        for (let i = 0; keys.length < 200; i++) {
          const k = `multi${protocol}:${i}`;
          if (seen.has(keySlot(k))) continue;
          seen.add(keySlot(k));
          keys.push(k);
        }
        assert.equal(await c.mset(Object.fromEntries(keys.map((k, i) => [k, `val${i}`]))), 'OK');
        const missing = `multi${protocol}:none`;
        const got = await c.mget(keys[5]!, missing, ...keys);
        assert.deepEqual(got, [`val5`, null, ...keys.map((_, i) => `val${i}`)]);
        assert.equal(await c.exists(...keys, missing), 200);
        assert.equal(await c.del(...keys.slice(0, 150), missing), 150);
        assert.equal(await c.exists(...keys), 50);
        assert.deepEqual(await c.mget(keys[0]!, keys[199]!), [null, 'val199']);
        assert.equal(await c.unlink(...keys), 50);
      });
    }

    it('hashes keys to the slots the server does, hash tags included', async () => {
      await using c = await open();
      for (const k of ['foo', '{user1000}.following', 'foo{}{bar}', 'foo{{bar}}zap', 'é:ü', '{a}b', 'x{}']) {
        assert.equal(keySlot(k), await c.clusterKeyslot(k), k);
        assert.equal(keySlot(Buffer.from(k)), keySlot(k));
      }
    });

    it('keyless commands follow their policies: KEYS concatenated, PING and FLUSHALL on every primary', async () => {
      await using c = await open();
      const keys = ['pol:a', 'pol:b', 'pol:c', 'pol:d', 'pol:e'];
      await c.mset(Object.fromEntries(keys.map((k) => [k, '1'])));
      assert.deepEqual((await c.keys('pol:*')).sort(), keys);
      assert.equal(await c.ping(), 'PONG');
      assert.equal(typeof (await c.clusterInfo()).cluster_state, 'string');
      assert.equal(await c.call('GET', 'pol:a'), '1', 'call() routes by its first argument');
    });

    it('refuses a cross-slot command that cannot be split before sending anything', async () => {
      await using c = await open();
      const before = await Promise.all(c.nodes({ role: 'primary' }).map((n) => commandCalls(cluster(), n.port, 'sunionstore')));
      await assert.rejects(c.sunionstore('dest', 'a', 'b', 'c'), (e: unknown) => e instanceof CrossSlotError && e.command === 'SUNIONSTORE');
      await assert.rejects(c.rename('from:x', 'to:y'), CrossSlotError);
      await assert.rejects(c.msetnx({ 'x:1': '1', 'x:2': '2', 'x:3': '3' }), CrossSlotError);
      const after = await Promise.all(c.nodes({ role: 'primary' }).map((n) => commandCalls(cluster(), n.port, 'sunionstore')));
      assert.deepEqual(after, before);
      // The same keys under one hash tag are one slot and go through.
      assert.equal(await c.sunionstore('{t}dest', '{t}a', '{t}b'), 0);
    });

    it('blocking commands run on a node\'s pool and stall nobody; withBuffers() gives Buffers', async () => {
      await using c = await open({ protocol: 3 });
      const popped = c.blpop('{q}list', 5);
      // The multiplexed connection of the same node keeps serving while BLPOP waits.
      assert.equal(await c.set('{q}other', 'x'), 'OK');
      assert.equal(await c.get('{q}other'), 'x');
      assert.equal(await c.lpush('{q}list', 'job'), 1);
      assert.deepEqual(await popped, { key: '{q}list', element: 'job' });
      await c.set('bin', Buffer.from([0xff, 0x00, 0x01]));
      const b = await c.withBuffers().get('bin');
      assert.ok(Buffer.isBuffer(b) && b.equals(Buffer.from([0xff, 0x00, 0x01])));
      assert.deepEqual(await c.withBuffers().mget('bin', 'none:x'), [b, null]);
    });

    it('natMap: nodes reached through addresses other than those they announce', async () => {
      const proxies = await Promise.all(cluster().seeds().map((s) => startProxy(s.port)));
      const map = Object.fromEntries(proxies.map((p) => [`127.0.0.1:${p.targetPort}`, { host: '127.0.0.1', port: p.port }]));
      try {
        await using c = await createCluster({ nodes: [{ host: '127.0.0.1', port: proxies[0]!.port }], natMap: map }).connect();
        assert.ok(c.nodes().every((n) => proxies.some((p) => p.port === n.port)), 'every node is known by its proxy');
        await Promise.all(Array.from({ length: 100 }, (_, i) => c.set(`nat:${i}`, String(i))));
        assert.deepEqual(await c.mget('nat:1', 'nat:50', 'nat:99'), ['1', '50', '99']);
        assert.ok(proxies.filter((p) => p.connections > 0).length >= 3, 'the primaries were reached through their proxies');
      } finally {
        await Promise.all(proxies.map((p) => p.close()));
      }
    });

    it('MOVED on a stale map: the slot is patched at once and the command served by the new owner', async () => {
      await using c = await open();
      const key = 'moved:key';
      const slot = keySlot(key);
      await c.set(key, 'before');
      const owner = await cluster().ownerOf(slot);
      const other = (await cluster().primaries()).find((p) => p.id !== owner.id)!;
      // Behind the client's back: the slot (and its key) moves to another primary.
      await cluster().moveSlots(owner.id, other.id, [slot]);
      assert.equal(await c.get(key), 'before');
      assert.equal(await c.set(key, 'after'), 'OK');
      assert.equal(await cluster().server(other.port).cli('GET', key), 'after');
      await cluster().moveSlots(other.id, owner.id, [slot]);
      assert.equal(await c.get(key), 'after');
    });

    it('an unreachable seed list fails connect() with a ConnectionError naming what it tried', async () => {
      const c = createCluster({ nodes: ['redis://127.0.0.1:1', { host: '127.0.0.1', port: 2 }], connectTimeout: 1_000 });
      await assert.rejects(c.connect(), (e: unknown) => e instanceof ConnectionError && /127\.0\.0\.1:1\b/.test(e.message) && /127\.0\.0\.1:2\b/.test(e.message));
      await c.close();
    });

    it("readFrom 'replica': the replicas serve the reads", async () => {
      await using c = await open({ readFrom: 'replica', protocol: 3 });
      const replicas = c.nodes({ role: 'replica' });
      assert.equal(replicas.length, 3);
      const before = await Promise.all(replicas.map((r) => commandCalls(cluster(), r.port, 'get')));
      await c.set('rr:key', 'v');
      // Replication is asynchronous: the first reads may see nothing yet.
      await until('the replica to have the key', 5_000, async () => (await c.get('rr:key')) === 'v');
      await Promise.all(Array.from({ length: 300 }, (_, i) => c.get(`rr:${i}`)));
      const after = await Promise.all(replicas.map((r) => commandCalls(cluster(), r.port, 'get')));
      const served = after.reduce((a, b) => a + b, 0) - before.reduce((a, b) => a + b, 0);
      assert.ok(served >= 300, `replicas served ${served} GETs`);
      assert.ok(after.every((x, i) => x > before[i]!), 'every replica served some');
      assert.equal(await c.incr('rr:counter'), 1, 'writes still go to the primary');
    });

    it('the timer refresh finds a replica that joined after the client started, and reads go to it', async () => {
      await using c = await open({ readFrom: 'replica', refreshInterval: 300 });
      const primaries = await cluster().primaries();
      const target = primaries[0]!;
      const key = keyPerSlot().find((_, s) => target.slots.some(([a, b]) => s >= a && s <= b))!;
      await c.set(key, 'x');
      const known = new Set(c.nodes().map((n) => n.address));
      let added: string[] = [];
      c.on('topology', (change) => (added = added.concat(change.added)));
      const fresh = await cluster().addReplica(target.id);
      await c.set(`${key}`, 'y'); // a write, so that the new replica's offset is past 0
      await until('the client to list the new replica', 10_000, () => c.nodes({ role: 'replica' }).some((n) => n.port === fresh.port));
      assert.ok(!known.has(`127.0.0.1:${fresh.port}`));
      assert.ok(added.includes(`127.0.0.1:${fresh.port}`), 'a topology event named it');
      await until('reads on the new replica', 10_000, async () => {
        await Promise.all(Array.from({ length: 20 }, () => c.get(key)));
        return (await commandCalls(cluster(), fresh.port, 'get')) > 0;
      });
    });

    it('resharding under load: 3,000 slots move while 16 workers INCR 300 counters; no error, no lost or doubled INCR', async () => {
      const clients = [await open({ protocol: 2 }), await open({ protocol: 3 })];
      try {
        const primaries = await cluster().primaries();
        const [from, to] = primaries;
        const slots: number[] = [];
        for (const [a, b] of from!.slots) for (let s = a; s <= b && slots.length < 3000; s++) slots.push(s);
        assert.equal(slots.length, 3000);
        const load = incrLoad(clients, 16, 300, 'ctr');
        await until('load to start', 5_000, () => load.calls > 500);
        const t = Date.now();
        await cluster().moveSlots(from!.id, to!.id, slots);
        const moveMs = Date.now() - t;
        const r = await load.stop();
        console.log(`# ${kind} resharding: 3000 slots moved in ${moveMs} ms under ${r.calls} INCRs; ${r.errors.length} errors reached callers`);
        assert.deepEqual(r.errors.map(String), []);
        await assertCounters(clients[0]!, r.acked);
        assert.equal((await cluster().ownerOf(slots[0]!)).id, to!.id);
      } finally {
        await Promise.all(clients.map((c) => c.close()));
      }
    });

    it('graceful CLUSTER FAILOVER under load: no error reaches a caller', async () => {
      const clients = [await open({ protocol: 2 }), await open({ protocol: 3 })];
      try {
        await cluster().waitHealthy();
        const nodes = await cluster().nodes();
        const replica = nodes.find((n) => n.role === 'replica' && !n.failed)!;
        const load = incrLoad(clients, 16, 300, 'gf');
        await until('load to start', 5_000, () => load.calls > 500);
        const t = Date.now();
        await cluster().failover(replica.port);
        // Keep going a little past the switch, so that commands meet the new roles.
        const at = load.calls;
        await until('load past the failover', 10_000, () => load.calls > at + 2_000);
        const r = await load.stop();
        console.log(`# ${kind} graceful failover: done in ${Date.now() - t} ms under ${r.calls} INCRs; ${r.errors.length} errors reached callers`);
        assert.deepEqual(r.errors.map(String), []);
        await assertCounters(clients[0]!, r.acked);
      } finally {
        await Promise.all(clients.map((c) => c.close()));
      }
    });

    it('kill -9 of a primary under load: every call settles with a typed error or a reply, and every slot is served again soon after the election', async () => {
      const opts = { commandTimeout: 2_000 };
      const clients = [await open({ protocol: 2, ...opts }), await open({ protocol: 3, ...opts })];
      try {
        await cluster().waitHealthy();
        const victim = (await cluster().primaries())[0]!;
        // The shard may have two replicas (the timer-refresh test added one): either may win.
        const replicas = (await cluster().nodes()).filter((n) => n.primaryId === victim.id && !n.failed);
        assert.ok(replicas.length > 0, 'the victim has a replica');
        const load = incrLoad(clients, 16, 300, 'kf');
        await until('load to start', 5_000, () => load.calls > 500);
        const killedAt = Date.now();
        await cluster().kill(victim.port);
        const roles = async () => Promise.all(replicas.map((r) => cluster().server(r.port).cli('ROLE')));
        await until('a replica to be elected', 30_000, async () => (await roles()).some((r) => r.startsWith('master')));
        const electedAt = Date.now();
        // Served again: first a key of the victim's slots, polled; then one key of every slot.
        const probes = keyPerSlot();
        const victimKey = probes.find((_, s) => victim.slots.some(([a, b]) => s >= a && s <= b))!;
        await until('the victim\'s slots to be served', 20_000, () => clients[1]!.withTimeout(500).get(victimKey).then(() => true, () => false));
        const servedAt = Date.now();
        let probeFailures = '';
        await until('every slot to be served', 20_000, async () => {
          // In rounds of 2,048: 16,384 at once on a loaded machine time out in the client's own queue.
          const results: PromiseSettledResult<unknown>[] = [];
          for (let at = 0; at < probes.length; at += 2_048) {
            results.push(...(await Promise.allSettled(probes.slice(at, at + 2_048).map((k) => clients[1]!.get(k)))));
          }
          const failed = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
          if (failed.length > 0) {
            const states = clients[1]!.nodes().map((n) => `${n.role} ${n.port} ${n.client.status}`).join(', ');
            probeFailures = `${failed.length} probes failed, e.g. ${String(failed[0]!.reason)}; the client's nodes: ${states}`;
          }
          return failed.length === 0;
        }, () => probeFailures);
        const r = await load.stop();
        const untyped = r.errors.filter((e) => !(e instanceof ConnectionError || e instanceof TimeoutError || e instanceof ClusterDownError));
        console.log(
          `# ${kind} kill -9: elected ${electedAt - killedAt} ms after the kill; every slot served ${servedAt - electedAt} ms after the election; ` +
            `${r.errors.length} of ${r.calls} INCRs failed (${[...new Set(r.errors.map((e) => (e as Error).constructor.name))].join(', ')})`,
        );
        assert.deepEqual(untyped.map(String), []);
        assert.ok(servedAt - electedAt < 5_000, `every slot served ${servedAt - electedAt} ms after the election`);
        // No check of the counters here: replication is asynchronous, so a primary killed at once may
        // take acknowledged writes with it; that is the server's guarantee, not the client's.
      } finally {
        await Promise.all(clients.map((c) => c.close()));
      }
    });
  });
}
