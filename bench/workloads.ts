// The workloads: each seeds its data once, checks a client's replies once, and then runs it for a
// given time. A client that returns wrong data fails its check and gets no number at all.

import { strict as assert } from 'node:assert';
import type { BenchClient } from './adapters.js';

export interface RunResult {
  ops: number;
  ms: number;
  /** Milliseconds from issuing each operation to its completion, when the workload records them. */
  latencies?: number[];
}

/** Writes what the workloads read. Done through one neutral client so no contender seeds its own data. */
export interface Seeder {
  set(key: string, value: string | Buffer): Promise<unknown>;
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
  /** Per-operation latencies are recorded and reported as p50 and p99. */
  latency?: boolean;
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

let bigValue: string | undefined;
let bigBytes: Buffer | undefined;
const BIG_VALUE = (): string => (bigValue ??= varied(256 * 1024));
const BIG_BYTES = (): Buffer => (bigBytes ??= Buffer.from(BIG_VALUE(), 'latin1'));

/** Awaits one operation at a time until the time is up. */
async function sequential(ms: number, op: () => Promise<unknown>, opsPerCall = 1, record = false): Promise<RunResult> {
  const latencies: number[] | undefined = record ? [] : undefined;
  const start = performance.now();
  const end = start + ms;
  let ops = 0;
  let now = start;
  do {
    const t0 = now;
    await op();
    ops += opsPerCall;
    now = performance.now();
    if (latencies !== undefined) latencies.push(now - t0);
  } while (now < end);
  return { ops, ms: now - start, latencies };
}

/**
 * Keeps `depth` operations outstanding: each completion issues the next, until the time is up; then
 * the ones still in flight are waited for and counted, and the clock stops when the last one lands.
 */
function inFlight(depth: number, ms: number, op: () => Promise<unknown>, record = false): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] | undefined = record ? [] : undefined;
    const start = performance.now();
    const end = start + ms;
    let ops = 0;
    let active = 0;
    let failed = false;
    const onError = (e: unknown): void => {
      if (!failed) reject(e);
      failed = true;
    };
    const issue = (): void => {
      active++;
      const t0 = record ? performance.now() : 0;
      op().then(() => {
        ops++;
        active--;
        if (failed) return;
        const now = performance.now();
        if (latencies !== undefined) latencies.push(now - t0);
        if (now < end) issue();
        else if (active === 0) resolve({ ops, ms: now - start, latencies });
      }, onError);
    };
    for (let i = 0; i < depth; i++) issue();
  });
}

/** `size` bytes of varied ASCII, so a client that mangles any part of a value fails the check. */
function varied(size: number): string {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let seed = 0x2545f491 ^ size;
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out[i] = chars.charCodeAt(seed % chars.length);
  }
  return out.toString('latin1');
}

const KB = 1024;
/** The size sweep of big values: GET and SET, as strings and as Buffers. */
const SIZES: Array<[label: string, bytes: number]> = [
  ['16k', 16 * KB],
  ['256k', 256 * KB],
  ['1m', 1024 * KB],
  ['8m', 8 * 1024 * KB],
];
const BIG_DEPTH = 8;
/** In flight for the 8 MB rows: 8 of them would be 64 MB queued at the server per client. */
const HUGE_DEPTH = 2;

function sameBuffer(v: unknown, want: Buffer): boolean {
  return v instanceof Uint8Array && v.length === want.length && Buffer.from(v.buffer, v.byteOffset, v.length).equals(want);
}

function sweep(): Workload[] {
  const out: Workload[] = [];
  for (const [label, size] of SIZES) {
    let text: string | undefined;
    let bytes: Buffer | undefined;
    // Built on first use: a run that skips the 8 MB rows does not pay for them.
    const textOf = (): string => (text ??= varied(size));
    const bytesOf = (): Buffer => (bytes ??= Buffer.from(textOf(), 'latin1'));
    const depth = size >= 8 * 1024 * KB ? HUGE_DEPTH : BIG_DEPTH;
    const key = `${PREFIX}get:${label}`;
    const setKey = `${PREFIX}set:${label}`;
    const getStr: Workload = {
      name: `get:str:${label}`,
      description: `GET of a ${label.toUpperCase()}B value as a string, ${depth} in flight`,
      async seed(s) {
        await s.set(key, textOf());
      },
      async check(c) {
        const v = await c.get(key);
        assert.ok(v === textOf(), `GET of the ${label} value returned ${describe(v)}`);
      },
      run: (c, ms) => inFlight(depth, ms, () => c.get(key)),
    };
    const getBuf: Workload = {
      name: `get:buf:${label}`,
      description: `GET of a ${label.toUpperCase()}B value as a Buffer, ${depth} in flight`,
      async seed(s) {
        await s.set(key, textOf());
      },
      async check(c) {
        const v = await c.getBuffer(key);
        assert.ok(sameBuffer(v, bytesOf()), `GET (Buffer) of the ${label} value returned ${describe(v)}`);
      },
      run: (c, ms) => inFlight(depth, ms, () => c.getBuffer(key)),
    };
    const setStr: Workload = {
      name: `set:str:${label}`,
      description: `SET of a ${label.toUpperCase()}B string, ${depth} in flight`,
      async seed() {},
      async check(c) {
        assert.equal(await c.set(setKey, textOf()), 'OK');
        assert.ok((await c.get(setKey)) === textOf());
      },
      run: (c, ms) => {
        const v = textOf();
        return inFlight(depth, ms, () => c.set(setKey, v));
      },
    };
    const setBuf: Workload = {
      name: `set:buf:${label}`,
      description: `SET of a ${label.toUpperCase()}B Buffer, ${depth} in flight`,
      async seed() {},
      async check(c) {
        assert.equal(await c.set(setKey, bytesOf()), 'OK');
        assert.ok((await c.get(setKey)) === textOf());
      },
      run: (c, ms) => {
        const v = bytesOf();
        return inFlight(depth, ms, () => c.set(setKey, v));
      },
    };
    // The 256 KB Buffer GET is `big` itself.
    out.push(getStr, ...(label === '256k' ? [] : [getBuf]), setStr, setBuf);
  }
  return out;
}

/** Checks a workload's replies with a client of this process, inside its enter()/leave(). */
export function checkHere(workload: Workload, client: BenchClient): Promise<void> {
  client.enter?.();
  return workload.check(client).finally(() => client.leave?.());
}

/** Runs a workload with a client of this process, inside its enter()/leave(). */
export function runHere(workload: Workload, client: BenchClient, ms: number): Promise<RunResult> {
  client.enter?.();
  return workload.run(client, ms).finally(() => client.leave?.());
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
    run: (c, ms) => sequential(ms, () => c.set(SEQ_KEY, SMALL_VALUE), 1, true),
    latency: true,
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
    run: (c, ms) => inFlight(256, ms, () => c.get(SMALL_KEY), true),
    latency: true,
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
    description: `GET of a 256 KB value as a Buffer, ${BIG_DEPTH} in flight`,
    async seed(s) {
      await s.set(BIG_KEY, BIG_VALUE());
    },
    async check(c) {
      const v = await c.getBuffer(BIG_KEY);
      assert.ok(sameBuffer(v, BIG_BYTES()), `GET of the 256 KB value returned ${describe(v)}`);
    },
    run: (c, ms) => inFlight(BIG_DEPTH, ms, () => c.getBuffer(BIG_KEY)),
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
  ...sweep(),
];

function describe(v: unknown): string {
  if (typeof v === 'string') return `a string of ${v.length} chars`;
  if (v instanceof Uint8Array) return `${v.constructor.name} of ${v.length} bytes`;
  return String(v);
}
