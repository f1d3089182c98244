/**
 * The resharding and kill -9 scenarios of test/cluster/suite.ts run through redwire, ioredis's
 * Cluster and node-redis's createCluster, each on a fresh Redis cluster: how many errors reached the
 * callers, and how long after the election the client served the failed primary's slots again.
 *
 *   node --import tsx bench/cluster-faults.ts [redis|valkey]
 */
import { Cluster as IoCluster } from 'ioredis';
import { createCluster as nodeRedisCluster } from 'redis';
import { createCluster, keySlot } from '../src/index.js';
import { startCluster, type TestCluster } from '../test/servers/index.js';

interface Incr {
  incr(key: string): Promise<unknown>;
  get(key: string): Promise<unknown>;
  close(): Promise<void>;
}

type Factory = (seed: { host: string; port: number }) => Promise<Incr>;

const CLIENTS: Record<string, Factory> = {
  redwire: async (seed) => {
    const c = await createCluster({ nodes: [seed], commandTimeout: 2_000 }).connect();
    return { incr: (k) => c.incr(k), get: (k) => c.withTimeout(500).get(k), close: () => c.close() };
  },
  ioredis: async (seed) => {
    const c = new IoCluster([seed], { redisOptions: { commandTimeout: 2_000 } });
    c.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      c.once('ready', () => resolve());
      c.once('error', reject);
    });
    return { incr: (k) => c.incr(k), get: (k) => c.get(k), close: async () => void c.disconnect() };
  },
  'node-redis': async (seed) => {
    const c = nodeRedisCluster({ rootNodes: [{ url: `redis://${seed.host}:${seed.port}` }] });
    c.on('error', () => {});
    await c.connect();
    return { incr: (k) => c.incr(k), get: (k) => c.get(k), close: async () => void (await c.close()) };
  },
};

function load(c: Incr, workers: number) {
  let stop = false;
  let calls = 0;
  const errors: string[] = [];
  const run = async (w: number) => {
    for (let i = w; !stop; i += workers) {
      calls++;
      try {
        await c.incr(`ctr:${i % 300}`);
      } catch (e) {
        errors.push((e as Error).constructor.name);
      }
    }
  };
  const all = Promise.all(Array.from({ length: workers }, (_, w) => run(w)));
  return {
    get calls() {
      return calls;
    },
    stop: async () => {
      stop = true;
      await all;
      return { calls, errors };
    },
  };
}

async function until(timeoutMs: number, cond: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('probe timed out')), ms))]);
}

function summary(errors: string[]): string {
  const by = new Map<string, number>();
  for (const e of errors) by.set(e, (by.get(e) ?? 0) + 1);
  return [...by].map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
}

async function scenario(name: string, make: Factory, kind: 'redis' | 'valkey'): Promise<void> {
  const cluster: TestCluster = await startCluster({ kind });
  try {
    const c = await make(cluster.seeds()[0]!);
    // Resharding: 3,000 slots move under 16 workers.
    const [from, to] = await cluster.primaries();
    const slots: number[] = [];
    for (const [a, b] of from!.slots) for (let s = a; s <= b && slots.length < 3000; s++) slots.push(s);
    let l = load(c, 16);
    await until(5_000, async () => l.calls > 500);
    await cluster.moveSlots(from!.id, to!.id, slots);
    const reshard = await l.stop();
    // kill -9 of a primary under the same load.
    await cluster.waitHealthy();
    const victim = (await cluster.primaries())[0]!;
    const replica = (await cluster.nodes()).find((n) => n.primaryId === victim.id)!;
    let key = '';
    for (let i = 0; ; i++) {
      key = `probe:${i}`;
      const s = keySlot(key);
      if (victim.slots.some(([a, b]) => s >= a && s <= b)) break;
    }
    l = load(c, 16);
    await until(5_000, async () => l.calls > 500);
    await cluster.kill(victim.port);
    await until(30_000, async () => (await cluster.server(replica.port).cli('ROLE')).startsWith('master'));
    const elected = Date.now();
    const served = await until(30_000, () => withTimeout(c.get(key), 1_000).then(() => true, () => false));
    const servedMs = served ? Date.now() - elected : Number.NaN;
    const kill = await l.stop();
    console.log(
      `${kind} ${name.padEnd(10)} resharding: ${reshard.errors.length}/${reshard.calls} errors (${summary(reshard.errors)}); ` +
        `kill -9: ${kill.errors.length}/${kill.calls} errors (${summary(kill.errors)}), victim's slots served ${served ? `${servedMs} ms` : 'not within 30 s'} after the election`,
    );
    await withTimeout(c.close(), 5_000).catch(() => {});
  } finally {
    await cluster.stop();
  }
}

const kind = process.argv[2] === 'valkey' ? 'valkey' : 'redis';
for (const [name, make] of Object.entries(CLIENTS)) {
  await scenario(name, make, kind).catch((e: unknown) => console.log(`${kind} ${name}: failed: ${(e as Error).message}`));
}
process.exit(0);
