// The client-side cache: GETs of 1,000 hot keys, 256 in flight, through redwire with and without its
// cache (RESP3, and RESP2 with its invalidation connection), and through node-redis 6 with and
// without its own (RESP3 only, clientSideCache).
//
//   npm run bench -- --cache [--duration s] [--rounds n] [--server redis|valkey]
//
// Each round runs every client once, in a rotating order; the median round is reported.

import { parseArgs } from 'node:util';
import { createClient as createNodeRedis } from 'redis';
import { createClient } from '../src/index.js';
import { startServer, type ServerKind } from '../test/servers/index.js';

const KEYS = 1_000;
const IN_FLIGHT = 256;

interface Subject {
  name: string;
  get(key: string): Promise<unknown>;
  close(): Promise<unknown>;
}

async function subjects(port: number): Promise<Subject[]> {
  const plain = await createClient({ port }).connect();
  const cached = await createClient({ port, cache: { maxEntries: 10_000 } }).connect();
  const cached2 = await createClient({ port, protocol: 2, cache: { maxEntries: 10_000 } }).connect();
  const nr = await createNodeRedis({ socket: { host: '127.0.0.1', port }, RESP: 3 }).connect();
  const nrCached = await createNodeRedis({ socket: { host: '127.0.0.1', port }, RESP: 3, clientSideCache: { maxEntries: 10_000 } }).connect();
  return [
    // What the harness itself costs: a GET answered by an already settled promise, no client at all.
    { name: 'harness ceiling', get: (k) => Promise.resolve(VALUES[Number(k.slice(4))]), close: async () => {} },
    { name: 'redwire', get: (k) => plain.get(k), close: () => plain.close() },
    { name: 'redwire cached', get: (k) => cached.get(k), close: () => cached.close() },
    { name: 'redwire cached RESP2', get: (k) => cached2.get(k), close: () => cached2.close() },
    { name: 'node-redis', get: (k) => nr.get(k), close: () => nr.close() },
    { name: 'node-redis cached', get: (k) => nrCached.get(k), close: () => nrCached.close() },
  ];
}

const KEY_NAMES = Array.from({ length: KEYS }, (_, i) => `hot:${i}`);
const VALUES = Array.from({ length: KEYS }, (_, i) => `value-${i}`);

/** GETs per second over `ms`, `IN_FLIGHT` loops at once; every reply is checked. */
async function measure(s: Subject, ms: number): Promise<number> {
  let ops = 0;
  const start = performance.now();
  const end = start + ms;
  const loop = async (seed: number): Promise<void> => {
    let i = seed;
    for (;;) {
      // The clock is read every 32 GETs: a cached GET costs less than reading it.
      for (let n = 0; n < 32; n++) {
        i = (i * 7 + 13) % KEYS;
        const v = await s.get(KEY_NAMES[i]!);
        if (v !== VALUES[i]) throw new Error(`${s.name}: hot:${i} read ${String(v)}`);
      }
      ops += 32;
      if (performance.now() >= end) return;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, (_, n) => loop(n)));
  return ops / ((performance.now() - start) / 1000);
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--cache'),
    options: {
      duration: { type: 'string', default: '6' },
      rounds: { type: 'string', default: '6' },
      server: { type: 'string', default: 'redis' },
    },
  });
  const rounds = Number(values.rounds);
  const roundMs = (Number(values.duration) * 1000) / rounds;
  const server = await startServer({ kind: values.server as ServerKind });
  try {
    const all = await subjects(server.port);
    try {
      const seed = await createClient({ port: server.port }).connect();
      for (let i = 0; i < KEYS; i++) void seed.set(`hot:${i}`, `value-${i}`);
      await seed.ping();
      await seed.close();
      for (const s of all) await measure(s, 300);
      const results = new Map<string, number[]>(all.map((s) => [s.name, []]));
      for (let r = 0; r < rounds; r++) {
        for (let j = 0; j < all.length; j++) {
          const s = all[(r + j) % all.length]!;
          results.get(s.name)!.push(await measure(s, roundMs));
        }
      }
      const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
      const m = new Map([...results].map(([k, v]) => [k, med(v)]));
      console.log(`GET of ${KEYS} hot keys, ${IN_FLIGHT} in flight, ${values.server}-server, median of ${rounds} rounds of ${roundMs} ms`);
      for (const [name, ops] of m) console.log(`  ${name.padEnd(20)} ${Math.round(ops).toLocaleString('en-US').padStart(12)} GET/s`);
      const ratio = (a: string, b: string): string => (m.get(a)! / m.get(b)!).toFixed(2);
      console.log(`  redwire cached / redwire          ${ratio('redwire cached', 'redwire')}x`);
      console.log(`  redwire cached / node-redis cached ${ratio('redwire cached', 'node-redis cached')}x`);
      // Under load every figure moves; the share of the harness's own ceiling moves least.
      console.log(`  redwire cached / harness ceiling  ${ratio('redwire cached', 'harness ceiling')}x`);
    } finally {
      await Promise.all(all.map((s) => s.close()));
    }
  } finally {
    await server.stop();
  }
}
