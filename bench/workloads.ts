// The workloads: each seeds its data once, checks a client's replies once, and then runs it for a
// given time. A client that returns wrong data fails its check and gets no number at all.

import { strict as assert } from 'node:assert';
import type { BenchClient } from './adapters.js';

export interface RunResult {
  ops: number;
  ms: number;
}

/** Writes what the workloads read. Done through one neutral client so no contender seeds its own data. */
export interface Seeder {
  set(key: string, value: string): Promise<unknown>;
  del(key: string): Promise<unknown>;
  rpush(key: string, ...values: string[]): Promise<unknown>;
}

export interface Workload {
  name: string;
  /** One line for the legend under the table. */
  description: string;
  seed(seeder: Seeder): Promise<void>;
  check(client: BenchClient): Promise<void>;
  run(client: BenchClient, ms: number): Promise<RunResult>;
}

const PREFIX = 'redwire-bench:';
const SMALL_VALUE = 'value-0123456789'; // 16 bytes
const SMALL_KEY = `${PREFIX}small`;
const SEQ_KEY = `${PREFIX}seq`;
const BIG_KEY = `${PREFIX}big`;
const LIST_KEY = `${PREFIX}list`;
const PIPELINE = 1_000;
const PIPE_KEYS = Array.from({ length: PIPELINE }, (_, i) => `${PREFIX}pipe:${i}`);
const LIST_ITEMS = Array.from({ length: 1_000 }, (_, i) => `item-${String(i).padStart(6, '0')}`);

/** 256 KB of varied ASCII, so a client that mangles any part of it fails the check. */
const BIG_VALUE = (() => {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let seed = 0x2545f491;
  let out = '';
  for (let i = 0; i < 256 * 1024; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out += chars[seed % chars.length];
  }
  return out;
})();

/** Awaits one operation at a time until the time is up. */
async function sequential(ms: number, op: () => Promise<unknown>, opsPerCall = 1): Promise<RunResult> {
  const start = performance.now();
  const end = start + ms;
  let ops = 0;
  do {
    await op();
    ops += opsPerCall;
  } while (performance.now() < end);
  return { ops, ms: performance.now() - start };
}

/**
 * Keeps `depth` operations outstanding: each completion issues the next, until the time is up; then
 * the ones still in flight are waited for and counted, and the clock stops when the last one lands.
 */
function inFlight(depth: number, ms: number, op: () => Promise<unknown>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const end = start + ms;
    let ops = 0;
    let active = 0;
    let failed = false;
    const onDone = (): void => {
      ops++;
      active--;
      if (failed) return;
      if (performance.now() < end) issue();
      else if (active === 0) resolve({ ops, ms: performance.now() - start });
    };
    const onError = (e: unknown): void => {
      if (!failed) reject(e);
      failed = true;
    };
    const issue = (): void => {
      active++;
      op().then(onDone, onError);
    };
    for (let i = 0; i < depth; i++) issue();
  });
}

export const WORKLOADS: Workload[] = [
  {
    name: 'seq',
    description: 'SET of a 16-byte value, one awaited at a time',
    async seed() {},
    async check(c) {
      assert.equal(await c.set(SEQ_KEY, SMALL_VALUE), 'OK');
      assert.equal(await c.get(SEQ_KEY), SMALL_VALUE);
    },
    run: (c, ms) => sequential(ms, () => c.set(SEQ_KEY, SMALL_VALUE)),
  },
  {
    name: 'conc',
    description: 'GET of a 16-byte value, 256 in flight (each reply issues the next GET)',
    async seed(s) {
      await s.set(SMALL_KEY, SMALL_VALUE);
    },
    async check(c) {
      assert.equal(await c.get(SMALL_KEY), SMALL_VALUE);
    },
    run: (c, ms) => inFlight(256, ms, () => c.get(SMALL_KEY)),
  },
  {
    name: 'pipe',
    description: `pipelines of ${PIPELINE.toLocaleString('en')} SETs (16-byte values), one pipeline at a time; counted per SET`,
    async seed() {},
    async check(c) {
      const replies = c.pipelineReplies(await c.pipelineSet(PIPE_KEYS, SMALL_VALUE));
      assert.equal(replies.length, PIPELINE);
      for (const r of replies) assert.equal(r, 'OK');
      assert.equal(await c.get(PIPE_KEYS[PIPELINE - 1]!), SMALL_VALUE);
    },
    run: (c, ms) => sequential(ms, () => c.pipelineSet(PIPE_KEYS, SMALL_VALUE), PIPELINE),
  },
  {
    name: 'big',
    description: 'GET of a 256 KB value, 8 in flight',
    async seed(s) {
      await s.set(BIG_KEY, BIG_VALUE);
    },
    async check(c) {
      const v = await c.get(BIG_KEY);
      assert.ok(v === BIG_VALUE, `GET of the 256 KB value returned ${describe(v)}`);
    },
    run: (c, ms) => inFlight(8, ms, () => c.get(BIG_KEY)),
  },
  {
    name: 'lrange',
    description: 'LRANGE 0 -1 of a 1,000-element list, 8 in flight',
    async seed(s) {
      await s.del(LIST_KEY);
      await s.rpush(LIST_KEY, ...LIST_ITEMS);
    },
    async check(c) {
      assert.deepEqual(await c.lrange(LIST_KEY, 0, -1), LIST_ITEMS);
    },
    run: (c, ms) => inFlight(8, ms, () => c.lrange(LIST_KEY, 0, -1)),
  },
];

function describe(v: unknown): string {
  if (typeof v === 'string') return `a string of ${v.length} chars`;
  if (Buffer.isBuffer(v)) return `a Buffer of ${v.length} bytes`;
  return String(v);
}
