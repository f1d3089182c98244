// Runs under Bun, started by bench/bun.ts: Bun's native RedisClient behind the same BenchClient
// interface, driven by the same workload file. Requests come as JSON lines on stdin, results go
// back as JSON lines on stdout.

import type { BenchClient } from './adapters.js';
import { WORKLOADS } from './workloads.js';

/** The part of Bun's RedisClient the workloads use (typed here: the bench is typechecked for Node). */
interface BunRedis {
  connect(): Promise<void>;
  close(): void;
  get(key: string): Promise<string | null>;
  getBuffer(key: string): Promise<Uint8Array | null>;
  set(key: string, value: string | Uint8Array): Promise<string>;
  send(command: string, args: string[]): Promise<unknown>;
}

interface Request {
  id: number;
  op: 'check' | 'run' | 'close';
  workload?: string;
  ms?: number;
}

const bun = (globalThis as unknown as { Bun?: { RedisClient: new (url: string) => BunRedis } }).Bun;
if (bun === undefined) throw new Error('bench/bun-child.ts runs under Bun');

class BunClient implements BenchClient {
  constructor(private readonly client: BunRedis) {}
  set(key: string, value: string | Buffer): Promise<unknown> {
    return this.client.set(key, value);
  }
  get(key: string): Promise<unknown> {
    return this.client.get(key);
  }
  getBuffer(key: string): Promise<unknown> {
    return this.client.getBuffer(key);
  }
  lrange(key: string, start: number, stop: number): Promise<unknown> {
    return this.client.send('LRANGE', [key, String(start), String(stop)]);
  }
  pipelineSet(keys: readonly string[], value: string): Promise<unknown> {
    // No pipeline object: commands issued together are auto-pipelined into one write.
    const replies = new Array<Promise<unknown>>(keys.length);
    for (let i = 0; i < keys.length; i++) replies[i] = this.client.set(keys[i]!, value);
    return Promise.all(replies);
  }
  pipelineReplies(raw: unknown): unknown[] {
    return raw as unknown[];
  }
  async close(): Promise<void> {
    this.client.close();
  }
}

const [host, port] = process.argv.slice(2);
const redis = new bun.RedisClient(`redis://${host}:${port}`);
await redis.connect();
const client = new BunClient(redis);

function answer(id: number, body: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ id, ...body })}\n`);
}

async function handle(req: Request): Promise<void> {
  try {
    if (req.op === 'close') {
      await client.close();
      answer(req.id, { ok: true });
      process.exit(0);
    }
    const workload = WORKLOADS.find((w) => w.name === req.workload);
    if (workload === undefined) throw new Error(`unknown workload ${req.workload}`);
    if (req.op === 'check') {
      await workload.check(client);
      answer(req.id, { ok: true });
    } else {
      answer(req.id, { ok: true, result: await workload.run(client, req.ms!) });
    }
  } catch (e) {
    answer(req.id, { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
}

let pending = '';
// One request at a time: the parent waits for each answer before it sends the next.
process.stdin.on('data', (chunk: Buffer) => {
  pending += chunk.toString();
  let nl: number;
  while ((nl = pending.indexOf('\n')) !== -1) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    if (line.trim() !== '') void handle(JSON.parse(line) as Request);
  }
});
// The parent gone (killed mid-run) closes stdin: nothing is left to answer to.
process.stdin.on('end', () => process.exit(0));
answer(0, { ok: true, ready: true });
