// A sentinel watching a primary the tests started, on a free port in a private temp dir.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { confLine, renderConfig } from './config.js';
import { freePort, makeTempDir, readFileOr, removeDir, requireBinary, ServerProcess, trackDir, waitForPing } from './process.js';
import type { ServerKind } from './server.js';

export interface SentinelOptions {
  kind?: ServerKind;
  /** The primary to watch, as `sentinel monitor <name> 127.0.0.1 <port> <quorum>`. */
  primaryPort: number;
  /** Default 'mymaster'. */
  masterName?: string;
  /** Default 1, so that one sentinel can decide alone. */
  quorum?: number;
  /** Extra lines for sentinel.conf, e.g. `sentinel down-after-milliseconds mymaster 1000`. */
  extraConfig?: string[];
  startTimeoutMs?: number;
}

export interface RedisSentinel {
  readonly kind: ServerKind;
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly masterName: string;
  readonly dir: string;
  /** Stops the sentinel and deletes its dir. Idempotent. */
  stop(): Promise<void>;
  log(): string;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts a sentinel and resolves once it answers PING. A sentinel rewrites its config file, so it gets
 * one of its own. Valkey has no separate binary: valkey-server runs as a sentinel with --sentinel.
 */
export async function startSentinel(opts: SentinelOptions): Promise<RedisSentinel> {
  const kind = opts.kind ?? 'redis';
  const masterName = opts.masterName ?? 'mymaster';
  const binary = requireBinary(kind === 'redis' ? 'redis-sentinel' : 'valkey-server');
  for (let attempt = 1; ; attempt++) {
    const dir = makeTempDir(`${kind}-sentinel`);
    trackDir(dir);
    const port = await freePort();
    const confPath = path.join(dir, 'sentinel.conf');
    const logPath = path.join(dir, 'sentinel.log');
    const stdioPath = path.join(dir, 'stdio.log');
    writeFileSync(
      confPath,
      renderConfig([
        confLine('port', port),
        confLine('bind', '127.0.0.1'),
        confLine('daemonize', 'no'),
        confLine('dir', dir),
        confLine('logfile', logPath),
        `sentinel monitor ${masterName} 127.0.0.1 ${opts.primaryPort} ${opts.quorum ?? 1}`,
        ...(opts.extraConfig ?? []),
      ]),
    );
    const proc = new ServerProcess(binary, kind === 'redis' ? [confPath] : [confPath, '--sentinel'], { cwd: dir, stdioFile: stdioPath });
    const log = (): string => `${readFileOr(logPath)}${readFileOr(stdioPath)}`;
    try {
      await waitForPing({
        port,
        timeoutMs: opts.startTimeoutMs ?? 10_000,
        abortReason: () => (proc.exit ? `exited during start-up (code ${proc.exit.code})` : undefined),
      });
    } catch (err) {
      await proc.kill().catch(() => undefined);
      const text = log();
      removeDir(dir);
      if (/Address already in use/i.test(text) && attempt < 5) continue;
      throw new Error(`${kind} sentinel on port ${port} failed to start: ${(err as Error).message}\n${text}`);
    }
    let stopping: Promise<void> | undefined;
    let finalLog: string | undefined;
    const sentinel: RedisSentinel = {
      kind,
      host: '127.0.0.1',
      port,
      masterName,
      dir,
      stop: () =>
        (stopping ??= (async () => {
          try {
            await proc.terminate(5000);
          } finally {
            finalLog = log();
            removeDir(dir);
          }
        })()),
      log: () => finalLog ?? log(),
      [Symbol.asyncDispose]: () => sentinel.stop(),
    };
    return sentinel;
  }
}
