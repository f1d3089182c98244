// Bun's RedisClient as a peer: a child process under Bun (its binary comes with the `bun` npm
// package) runs bench/bun-child.ts, which drives the same workloads; this side only relays the
// workload names and collects the results.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchClient, Target } from './adapters.js';
import type { RunResult } from './workloads.js';

interface Answer {
  id: number;
  ok: boolean;
  error?: string;
  result?: RunResult;
}

function bunBinary(): string {
  const dir = dirname(createRequire(import.meta.url).resolve('bun/package.json'));
  for (const candidate of [join(dir, 'bin', 'bun.exe'), join(dir, 'bin', 'bun')]) if (existsSync(candidate)) return candidate;
  throw new Error('the bun package has no binary (npm install bun)');
}

export class BunBench implements BenchClient {
  private nextId = 1;
  private readonly waiting = new Map<number, (a: Answer) => void>();

  private constructor(private readonly child: ChildProcess) {}

  static connect(target: Target): Promise<BunBench> {
    const script = join(dirname(fileURLToPath(import.meta.url)), 'bun-child.ts');
    const child = spawn(bunBinary(), [script, target.host, String(target.port)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const bench = new BunBench(child);
    return new Promise((resolve, reject) => {
      let buffered = '';
      bench.waiting.set(0, (a) => (a.ok ? resolve(bench) : reject(new Error(a.error))));
      child.once('error', reject);
      child.once('exit', (code) => {
        const err = new Error(`the Bun child exited (${code})`);
        for (const w of bench.waiting.values()) w({ id: -1, ok: false, error: err.message });
        bench.waiting.clear();
        reject(err);
      });
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        let nl: number;
        while ((nl = buffered.indexOf('\n')) !== -1) {
          const a = JSON.parse(buffered.slice(0, nl)) as Answer;
          buffered = buffered.slice(nl + 1);
          const w = bench.waiting.get(a.id);
          bench.waiting.delete(a.id);
          w?.(a);
        }
      });
    });
  }

  private request(op: string, fields: Record<string, unknown> = {}): Promise<Answer> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (a) => (a.ok ? resolve(a) : reject(new Error(a.error))));
      this.child.stdin!.write(`${JSON.stringify({ id, op, ...fields })}\n`);
    });
  }

  readonly remote = {
    check: async (workload: string): Promise<void> => {
      await this.request('check', { workload });
    },
    run: async (workload: string, ms: number): Promise<RunResult> => (await this.request('run', { workload, ms })).result!,
  };

  set(): Promise<unknown> {
    return notHere();
  }
  get(): Promise<unknown> {
    return notHere();
  }
  getBuffer(): Promise<unknown> {
    return notHere();
  }
  lrange(): Promise<unknown> {
    return notHere();
  }
  pipelineSet(): Promise<unknown> {
    return notHere();
  }
  pipelineReplies(raw: unknown): unknown[] {
    return raw as unknown[];
  }
  async close(): Promise<void> {
    await this.request('close').catch(() => {});
    this.child.kill();
  }
}

function notHere(): Promise<never> {
  return Promise.reject(new Error('the Bun client runs its workloads in its own process'));
}
