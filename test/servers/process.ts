// The process-spawning core shared by every kind of server the tests start (standalone now; cluster
// nodes and sentinels later). Everything here is kind-agnostic: finding binaries, picking ports,
// spawning and reaping processes, and waiting until something answers PING.

import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, openSync, closeSync, rmSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const INSTALL_HINT = 'run `bash .ci/install-servers.sh` to install the Redis and Valkey binaries';

const binaryCache = new Map<string, string>();

/**
 * Resolves a binary on PATH up front, so that a missing install surfaces as one clear message instead
 * of an ENOENT from spawn (or, worse, a test that quietly skips).
 */
export function requireBinary(name: string): string {
  const cached = binaryCache.get(name);
  if (cached) return cached;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      binaryCache.set(name, candidate);
      return candidate;
    } catch {
      // not in this PATH entry
    }
  }
  throw new Error(`test servers: \`${name}\` was not found on PATH; ${INSTALL_HINT}`);
}

/**
 * Asks the OS for a port that is free right now. Someone else can grab it before the server binds it,
 * so callers must be ready to retry on "Address already in use".
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not obtain a free port'))));
    });
  });
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `redwire-${prefix}-`));
}

export function readFileOr(file: string, fallback = ''): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

// ---------------------------------------------------------------------------------------------------
// Safety net: a crashed or forgetful test file must not leave servers behind. 'exit' handlers can only
// run synchronous code, which is exactly what SIGKILL + rmSync are.

const liveChildren = new Set<ChildProcess>();
const liveDirs = new Set<string>();

export function trackDir(dir: string): void {
  liveDirs.add(dir);
}

export function removeDir(dir: string): void {
  liveDirs.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

function killEverything(): void {
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  liveChildren.clear();
  for (const dir of liveDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort on the way out
    }
  }
  liveDirs.clear();
}

process.on('exit', killEverything);
// Signals skip 'exit' handlers, so they need their own. Re-raise only when nobody else listens, so that
// we neither swallow the signal nor override someone else's handling of it.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  const onSignal = (): void => {
    killEverything();
    process.removeListener(sig, onSignal);
    if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
  };
  process.on(sig, onSignal);
}

// ---------------------------------------------------------------------------------------------------

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One run of one server binary. stdout/stderr go to a file rather than a pipe: no pipe handles that
 * keep the test process alive, and early failures (bad config, missing TLS support), which happen
 * before the server opens its own logfile, are still captured.
 */
export class ServerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<ExitInfo>;
  /** Set when the binary could not be spawned at all. */
  spawnError: Error | undefined;
  private exitInfo: ExitInfo | undefined;

  constructor(
    readonly binary: string,
    readonly args: readonly string[],
    readonly options: { cwd: string; stdioFile: string },
  ) {
    const fd = openSync(options.stdioFile, 'a');
    try {
      this.child = spawn(binary, args, { cwd: options.cwd, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    liveChildren.add(this.child);
    // A server nobody stopped must not hold the test file open; the exit hook kills it instead.
    this.child.unref();
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        liveChildren.delete(this.child);
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
      // spawn failures arrive as 'error' with no 'exit'
      this.child.once('error', (err) => {
        liveChildren.delete(this.child);
        this.exitInfo ??= { code: -1, signal: null };
        this.spawnError = err;
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  get exit(): ExitInfo | undefined {
    return this.exitInfo;
  }

  signal(sig: NodeJS.Signals): void {
    if (this.running) this.child.kill(sig);
  }

  /**
   * Resolves once the process has exited, or rejects after timeoutMs. The timer is ref'd on purpose:
   * the child itself is unref'd, so without it the event loop could drain while we are still waiting.
   */
  waitExit(timeoutMs: number): Promise<ExitInfo> {
    if (this.exitInfo) return Promise.resolve(this.exitInfo);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${path.basename(this.binary)} (pid ${this.pid}) did not exit within ${timeoutMs} ms`)),
        timeoutMs,
      );
      void this.exited.then((info) => {
        clearTimeout(timer);
        resolve(info);
      });
    });
  }

  /** Graceful stop with a hard deadline. SIGCONT first: a SIGSTOPped process would sit on SIGTERM. */
  async terminate(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.signal('SIGCONT');
    this.signal('SIGTERM');
    try {
      await this.waitExit(graceMs);
    } catch {
      await this.kill();
    }
  }

  async kill(): Promise<void> {
    if (!this.running) return;
    this.signal('SIGKILL');
    await this.waitExit(5000);
  }
}

// ---------------------------------------------------------------------------------------------------

export interface WaitForPingOptions {
  port: number;
  host?: string;
  /** AUTH is sent first when given, so that a password-protected server can answer PONG. */
  auth?: { username?: string; password: string };
  timeoutMs?: number;
  intervalMs?: number;
  /** Stops waiting early (e.g. the process died) by returning a reason. */
  abortReason?: () => string | undefined;
}

function encodeCommand(args: string[]): string {
  let out = `*${args.length}\r\n`;
  for (const a of args) out += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return out;
}

type PingResult = 'pong' | 'not-ready';

function pingOnce(opts: WaitForPingOptions, attemptTimeoutMs: number): Promise<PingResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ port: opts.port, host: opts.host ?? '127.0.0.1' });
    let buf = '';
    let settled = false;
    const done = (r: PingResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done('not-ready'), attemptTimeoutMs);
    socket.setEncoding('utf8');
    socket.once('error', () => done('not-ready'));
    socket.once('close', () => done('not-ready'));
    socket.once('connect', () => {
      let payload = '';
      if (opts.auth) {
        const a = opts.auth.username ? ['AUTH', opts.auth.username, opts.auth.password] : ['AUTH', opts.auth.password];
        payload += encodeCommand(a);
      }
      socket.write(payload + encodeCommand(['PING']));
    });
    socket.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.includes('+PONG\r\n')) done('pong');
      // -LOADING and friends: the server is up but not ready, keep polling. -NOAUTH means auth was
      // configured through raw args we did not interpret; it is up and serving, which is all we need.
      else if (buf.includes('-NOAUTH')) done('pong');
      else if (buf.startsWith('-') && buf.includes('\r\n')) done('not-ready');
    });
  });
}

/** Polls with PING until +PONG rather than sleeping for a guessed start-up time. */
export async function waitForPing(opts: WaitForPingOptions): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 15;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const aborted = opts.abortReason?.();
    if (aborted) throw new Error(aborted);
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no PONG from ${opts.host ?? '127.0.0.1'}:${opts.port} within ${timeoutMs} ms`);
    if ((await pingOnce(opts, Math.min(1000, left))) === 'pong') return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
