// The cluster clients side by side on a 3-primary cluster (no replicas) that this script starts:
// redwire's createCluster, ioredis's Cluster with and without enableAutoPipelining, node-redis's
// createCluster. Ratios are redwire ÷ each peer.
//
//   npm run bench -- --cluster [--duration s] [--rounds n] [--only seq,conc] [--server redis|valkey] [--json]
//
// `pipe` sends 1,000 SETs whose keys are spread over every slot range. redwire sends them as one
// cluster pipeline (one write per node). ioredis's and node-redis's pipelines refuse keys of several
// slots, so their best equivalent is used and named under the table: the 1,000 SETs issued at once
// and awaited together (Promise.all), which their per-node connections then write as they do.
// Each round runs every client once, in an order that rotates; the median round is reported.

import { strict as assert } from 'node:assert';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Cluster as IoCluster } from 'ioredis';
import { createCluster as createNodeRedisCluster, RESP_TYPES } from 'redis';
import { createCluster, keySlot, type RedisCluster } from '../src/index.js';
import { startCluster, type ServerKind } from '../test/servers/index.js';

const SMALL = 'value-0123456789';
const PIPELINE = 1_000;
const PREFIX = 'rwcb:';
/** 1,000 keys in 1,000 different slots spread over the whole slot range (so over every primary). */
const SPREAD = ((): string[] => {
  const out: string[] = [];
  const seen = new Set<number>();
  for (let i = 0; out.length < PIPELINE; i++) {
    const k = `${PREFIX}k:${i}`;
    const s = keySlot(k);
    if (seen.has(s)) continue;
    seen.add(s);
    out.push(k);
  }
  return out;
})();
const SEQ_KEY = `${PREFIX}seq`;
const BIG_KEY = `${PREFIX}big`;
const LIST_KEY = `${PREFIX}list`;
const LIST_ITEMS = Array.from({ length: 1_000 }, (_, i) => `item-${String(i).padStart(6, '0')}`);
const BIG = ((): Buffer => {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const out = Buffer.allocUnsafe(256 * 1024);
  let seed = 0x2545f491;
  for (let i = 0; i < out.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out[i] = chars.charCodeAt(seed % chars.length);
  }
  return out;
})();

/** What each workload needs of a cluster client. */
interface Subject {
  name: string;
  /** What `pipe` uses for this client. */
  pipeNote: string;
  set(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<unknown>;
  getBuffer(key: string): Promise<unknown>;
  lrange(key: string): Promise<unknown>;
  /** 1,000 SETs across slots; resolves with the replies as plain values. */
  pipe(keys: readonly string[], value: string): Promise<unknown[]>;
  close(): Promise<unknown>;
}

async function redwire(seed: { host: string; port: number }): Promise<Subject> {
  const c: RedisCluster = await createCluster({ nodes: [seed] }).connect();
  const bin = c.withBuffers();
  return {
    name: 'redwire',
    pipeNote: 'cluster.pipeline(): one pipeline over all slots, one write per node',
    set: (k, v) => c.set(k, v),
    get: (k) => c.get(k),
    getBuffer: (k) => bin.get(k),
    lrange: (k) => c.lrange(k, 0, -1),
    pipe: (keys, v) => {
      const p = c.pipeline();
      for (let i = 0; i < keys.length; i++) p.set(keys[i]!, v);
      return p.exec() as Promise<unknown[]>;
    },
    close: () => c.close(),
  };
}

async function ioredis(seed: { host: string; port: number }, auto: boolean): Promise<Subject> {
  const c = new IoCluster([seed], { enableAutoPipelining: auto, lazyConnect: true });
  await c.connect();
  return {
    name: auto ? 'ioredis auto' : 'ioredis',
    pipeNote: `Promise.all of 1,000 single SETs (Cluster pipelines need one slot)${auto ? ', auto-pipelined per node' : ''}`,
    set: (k, v) => c.set(k, v),
    get: (k) => c.get(k),
    getBuffer: (k) => c.getBuffer(k),
    lrange: (k) => c.lrange(k, 0, -1),
    pipe: (keys, v) => Promise.all(keys.map((k) => c.set(k, v))),
    close: async () => void (await c.quit()),
  };
}

async function nodeRedis(seed: { host: string; port: number }): Promise<Subject> {
  const c = createNodeRedisCluster({ rootNodes: [{ url: `redis://${seed.host}:${seed.port}` }] });
  await c.connect();
  const bin = c.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  return {
    name: 'node-redis',
    pipeNote: 'Promise.all of 1,000 single SETs (its cluster multi() needs one slot), written per node as they come',
    set: (k, v) => c.set(k, v),
    get: (k) => c.get(k),
    getBuffer: (k) => bin.get(k),
    lrange: (k) => c.lRange(k, 0, -1),
    pipe: (keys, v) => Promise.all(keys.map((k) => c.set(k, v))),
    close: () => c.close(),
  };
}

interface RunResult {
  ops: number;
  ms: number;
}

interface Workload {
  name: string;
  description: string;
  check(s: Subject): Promise<void>;
  run(s: Subject, ms: number): Promise<RunResult>;
}

async function sequential(ms: number, op: () => Promise<unknown>, per = 1): Promise<RunResult> {
  const start = performance.now();
  let ops = 0;
  let now = start;
  do {
    await op();
    ops += per;
    now = performance.now();
  } while (now < start + ms);
  return { ops, ms: now - start };
}

/** `depth` operations outstanding, each completion issuing the next, until the time is up. */
function inFlight(depth: number, ms: number, op: (i: number) => Promise<unknown>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let ops = 0;
    let active = 0;
    let n = 0;
    let failed = false;
    const issue = (): void => {
      active++;
      op(n++).then(() => {
        ops++;
        active--;
        if (failed) return;
        const now = performance.now();
        if (now < start + ms) issue();
        else if (active === 0) resolve({ ops, ms: now - start });
      }, (e: unknown) => {
        if (!failed) reject(e);
        failed = true;
      });
    };
    for (let i = 0; i < depth; i++) issue();
  });
}

const WORKLOADS: Workload[] = [
  {
    name: 'seq',
    description: 'SET of a 16-byte value on one key, one awaited at a time',
    async check(s) {
      assert.equal(await s.set(SEQ_KEY, SMALL), 'OK');
      assert.equal(await s.get(SEQ_KEY), SMALL);
    },
    run: (s, ms) => sequential(ms, () => s.set(SEQ_KEY, SMALL)),
  },
  {
    name: 'conc',
    description: 'GET of 16-byte values of 1,000 keys in 1,000 slots (all primaries), 256 in flight',
    async check(s) {
      for (const k of SPREAD.slice(0, 20)) assert.equal(await s.get(k), SMALL);
    },
    run: (s, ms) => inFlight(256, ms, (i) => s.get(SPREAD[i % PIPELINE]!)),
  },
  {
    name: 'pipe',
    description: `${PIPELINE.toLocaleString('en')} SETs of keys in ${PIPELINE.toLocaleString('en')} slots (all primaries) at once, one batch at a time; counted per SET`,
    async check(s) {
      const r = await s.pipe(SPREAD, SMALL);
      assert.equal(r.length, PIPELINE);
      for (const x of r) assert.equal(x, 'OK');
    },
    run: (s, ms) => sequential(ms, () => s.pipe(SPREAD, SMALL), PIPELINE),
  },
  {
    name: 'big',
    description: 'GET of a 256 KB value as a Buffer, 8 in flight',
    async check(s) {
      const v = await s.getBuffer(BIG_KEY);
      assert.ok(Buffer.isBuffer(v) && v.equals(BIG), 'GET of the 256 KB value');
    },
    run: (s, ms) => inFlight(8, ms, () => s.getBuffer(BIG_KEY)),
  },
  {
    name: 'lrange',
    description: 'LRANGE 0 -1 of a 1,000-element list, 8 in flight',
    async check(s) {
      assert.deepEqual(await s.lrange(LIST_KEY), LIST_ITEMS);
    },
    run: (s, ms) => inFlight(8, ms, () => s.lrange(LIST_KEY)),
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function formatOps(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)} k`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return n.toFixed(0);
}

/** `npm run bench -- --cluster …` lands here (bench/clients.ts). */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--cluster'),
    options: {
      duration: { type: 'string', default: '2' },
      rounds: { type: 'string', default: '10' },
      only: { type: 'string' },
      server: { type: 'string', default: 'redis' },
      json: { type: 'boolean', default: false },
    },
  });
  const durationMs = Number(values.duration) * 1000;
  const rounds = Number(values.rounds);
  if (!(durationMs > 0) || !Number.isInteger(rounds) || rounds < 1) throw new Error('--duration must be > 0 and --rounds a positive integer');
  if (values.server !== 'redis' && values.server !== 'valkey') throw new Error('--server must be redis or valkey');
  const workloads = values.only === undefined ? WORKLOADS : values.only.split(',').map((n) => WORKLOADS.find((w) => w.name === n.trim()) ?? fail(`unknown workload ${n}`));
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const roundMs = durationMs / rounds;

  const cluster = await startCluster({ kind: values.server as ServerKind, primaries: 3, replicas: 0 });
  const subjects: Subject[] = [];
  try {
    const seed = cluster.seeds()[0]!;
    const info = await cluster.server(seed.port).cli('INFO', 'server');
    // Valkey also reports the Redis version it is compatible with: its own comes first.
    const version = (/valkey_version:(\S+)/.exec(info) ?? /redis_version:(\S+)/.exec(info))?.[1] ?? '?';
    // Seeded through a client of its own that takes no part in the race.
    const seeder = await createCluster({ nodes: [seed] }).connect();
    const p = seeder.pipeline();
    for (const k of SPREAD) p.set(k, SMALL);
    p.set(BIG_KEY, BIG).del(LIST_KEY).rpush(LIST_KEY, LIST_ITEMS);
    await p.exec();
    await seeder.close();
    subjects.push(await redwire(seed), await ioredis(seed, false), await ioredis(seed, true), await nodeRedis(seed));
    const cpus = os.cpus();
    const load = os.loadavg().map((x) => x.toFixed(1)).join(' / ');
    const header = `${values.server}-server ${version}, 3 primaries on 127.0.0.1; Node ${process.version}; ${cpus.length} × ${cpus[0]?.model.trim() ?? '?'}; load average at start ${load}`;
    log(header);
    const rows: Array<{ w: Workload; med: Map<string, number | string> }> = [];
    for (const w of workloads) {
      const med = new Map<string, number | string>();
      const live: Subject[] = [];
      for (const s of subjects) {
        try {
          await w.check(s);
          await w.run(s, 300);
          live.push(s);
        } catch (e) {
          med.set(s.name, `FAILED (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
          process.exitCode = 1;
        }
      }
      const per = new Map<string, number[]>(live.map((s) => [s.name, []]));
      for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < live.length; i++) {
          const s = live[(i + r) % live.length]!;
          const { ops, ms } = await w.run(s, roundMs);
          per.get(s.name)!.push((ops * 1000) / ms);
        }
      }
      for (const [name, xs] of per) med.set(name, median(xs));
      rows.push({ w, med });
      log(`${w.name.padEnd(7)} ${subjects.map((s) => `${s.name} ${typeof med.get(s.name) === 'number' ? formatOps(med.get(s.name) as number) : 'FAILED'}`).join('   ')}`);
    }
    if (values.json) {
      console.log(JSON.stringify({ header, rounds, durationMs, workloads: rows.map(({ w, med }) => ({ name: w.name, description: w.description, results: Object.fromEntries(med) })) }, null, 2));
      return;
    }
    const peers = subjects.slice(1);
    const head = ['workload', ...subjects.map((s) => s.name), ...peers.map((s) => `÷ ${s.name}`)];
    const body = rows.map(({ w, med }) => {
      const mine = med.get('redwire');
      return [
        w.name,
        ...subjects.map((s) => {
          const v = med.get(s.name);
          return typeof v === 'number' ? formatOps(v) : 'FAILED';
        }),
        ...peers.map((s) => {
          const v = med.get(s.name);
          return typeof mine === 'number' && typeof v === 'number' ? `${(mine / v).toFixed(2)}×` : '—';
        }),
      ];
    });
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
    const line = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
    const out = [
      `ops/s, median of ${rounds} rounds; ratios are redwire ÷ the column; ${header}; ${new Date().toISOString().slice(0, 10)}`,
      '',
      line(head),
      `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
      ...body.map(line),
      '',
      ...rows.map(({ w }) => `- ${w.name}: ${w.description}`),
      '',
      'pipe used:',
      ...subjects.map((s) => `- ${s.name}: ${s.pipeNote}`),
    ];
    const failures = rows.flatMap(({ w, med }) => [...med].filter(([, v]) => typeof v === 'string').map(([n, v]) => `- ${w.name} / ${n}: ${v}`));
    if (failures.length > 0) out.push('', ...failures);
    console.log(out.join('\n'));
  } finally {
    await Promise.allSettled(subjects.map((s) => s.close()));
    await cluster.stop();
  }
}

function fail(message: string): never {
  throw new Error(`bench --cluster: ${message}`);
}
