// Bun's RedisClient as a peer: a child process under Bun (its binary comes with the `bun` npm
// package) runs bench/bun-child.ts, which drives the same workloads; this side only relays the
// workload names and collects the results.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
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

/**
 * The bun binary of the `bun` devDependency. Its npm package ships a placeholder that its install
 * script replaces by the real binary (taken from the platform package npm installed beside it); an
 * install that ran without scripts leaves the placeholder. Then the binary is taken from the
 * platform package directly, or, failing that, the package's own install script is run once here.
 */
function bunBinary(): string {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('bun/package.json'));
  const shipped = (): string | null => {
    for (const candidate of [join(dir, 'bin', 'bun.exe'), join(dir, 'bin', 'bun')]) if (runs(candidate)) return candidate;
    return null;
  };
  const found = shipped() ?? platformBinary(require);
  if (found !== null) return found;
  process.stderr.write('bench: the bun package has no binary yet (installed without scripts): running its install script\n');
  execFileSync(process.execPath, [join(dir, 'install.js')], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const installed = shipped();
  if (installed === null) throw new Error('the bun package has no working binary, even after its install script ran');
  return installed;
}

/** The binary in the platform package (`@oven/bun-linux-x64`…) npm installed as an optional dependency. */
function platformBinary(require: NodeJS.Require): string | null {
  const arch = process.arch === 'arm64' ? 'aarch64' : process.arch;
  for (const suffix of ['', '-baseline', '-musl', '-musl-baseline']) {
    try {
      const dir = dirname(require.resolve(`@oven/bun-${process.platform}-${arch}${suffix}/package.json`));
      const bin = join(dir, 'bin', process.platform === 'win32' ? 'bun.exe' : 'bun');
      if (runs(bin)) return bin;
    } catch {
      // Not installed for this platform variant.
    }
  }
  return null;
}

function runs(bin: string): boolean {
  if (!existsSync(bin)) return false;
  try {
    execFileSync(bin, ['--version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
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
