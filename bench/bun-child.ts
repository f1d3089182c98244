// Runs under Bun, started by bench/remote.ts: Bun's native RedisClient behind the same BenchClient
// interface, driven by the same workload file (see bench/child.ts).

import type { BenchClient } from './adapters.js';
import { serve } from './child.js';

/** The part of Bun's RedisClient the workloads use (typed here: the bench is typechecked for Node). */
interface BunRedis {
  connect(): Promise<void>;
  close(): void;
  get(key: string): Promise<string | null>;
  getBuffer(key: string): Promise<Uint8Array | null>;
  set(key: string, value: string | Uint8Array): Promise<string>;
  send(command: string, args: string[]): Promise<unknown>;
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

serve(client);
