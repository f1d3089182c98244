// The parent side of a client that runs in a process of its own (bench/child.ts): it relays the
// workload names and collects the results.

import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchClient, Target } from './adapters.js';
import { readJsonLines } from './lines.js';
import type { RunResult } from './workloads.js';

interface Answer {
  id: number;
  ok: boolean;
  error?: string;
  result?: RunResult;
}

export class RemoteBench implements BenchClient {
  private nextId = 1;
  private readonly waiting = new Map<number, (a: Answer) => void>();

  private constructor(
    private readonly name: string,
    private readonly child: ChildProcess,
  ) {}

  /** Runs `command args…` (a child that calls `serve`) and waits for it to be connected. */
  static start(name: string, command: string, args: string[]): Promise<RemoteBench> {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    const bench = new RemoteBench(name, child);
    return new Promise((resolve, reject) => {
      bench.waiting.set(0, (a) => (a.ok ? resolve(bench) : reject(new Error(a.error))));
      child.once('error', reject);
      child.once('exit', (code) => {
        const err = new Error(`the ${name} child exited (${code})`);
        for (const w of bench.waiting.values()) w({ id: -1, ok: false, error: err.message });
        bench.waiting.clear();
        reject(err);
      });
      readJsonLines(child.stdout!, (value) => {
        const a = value as Answer;
        const w = bench.waiting.get(a.id);
        bench.waiting.delete(a.id);
        w?.(a);
      });
    });
  }

  /** A client of bench/adapters.ts, by name, in a Node process of its own (bench/node-child.ts). */
  static node(name: string, target: Target): Promise<RemoteBench> {
    const script = join(dirname(fileURLToPath(import.meta.url)), 'node-child.ts');
    return RemoteBench.start(name, process.execPath, ['--import', 'tsx', script, name, target.host, String(target.port)]);
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
    return this.notHere();
  }
  get(): Promise<unknown> {
    return this.notHere();
  }
  getBuffer(): Promise<unknown> {
    return this.notHere();
  }
  lrange(): Promise<unknown> {
    return this.notHere();
  }
  pipelineSet(): Promise<unknown> {
    return this.notHere();
  }
  pipelineReplies(raw: unknown): unknown[] {
    return raw as unknown[];
  }
  async close(): Promise<void> {
    await this.request('close').catch(() => {});
    this.child.kill();
  }

  private notHere(): Promise<never> {
    return Promise.reject(new Error(`the ${this.name} client runs its workloads in its own process`));
  }
}
