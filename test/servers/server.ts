// A standalone Redis / Valkey server on free ports in a private temp dir.

import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { confLine, renderConfig } from './config.js';
import {
  freePort,
  makeTempDir,
  readFileOr,
  removeDir,
  requireBinary,
  ServerProcess,
  trackDir,
  waitForPing,
} from './process.js';
import { writeTlsFiles, type TlsFiles } from './tls.js';
import { redis8Binary, redis8ConfigLines } from './redis8.js';

/** 'redis8' is Redis 8 with the modules loaded (see redis8.ts): the module suites' server, not one of SERVER_KINDS. */
export type ServerKind = 'redis' | 'valkey' | 'redis8';

/** Every kind, always: a missing binary must fail loudly, not shrink this list. */
export const SERVER_KINDS: ServerKind[] = ['redis', 'valkey'];

export const SERVER_BINARIES: Record<ServerKind, string> = {
  redis: 'redis-server',
  valkey: 'valkey-server',
  redis8: 'redis-server',
};

function serverBinary(kind: ServerKind): string {
  return kind === 'redis8' ? redis8Binary() : requireBinary(SERVER_BINARIES[kind]);
}

export interface AclUser {
  name: string;
  password: string;
  /** ACL rules after `on >password`; default `~* &* +@all`. */
  rules?: string;
}

export interface ServerOptions {
  /** Default 'redis'. */
  kind?: ServerKind;
  /** Listen on `<dir>/server.sock` too (unixsocketperm 700). */
  unixSocket?: boolean;
  /** Add a TLS port. Client certificates are optional unless requireClientCert. */
  tls?: boolean | { requireClientCert?: boolean };
  /** requirepass for the default user. */
  password?: string;
  aclUsers?: AclUser[];
  /** Extra command-line arguments, e.g. ['--maxmemory', '1mb']; they override the generated config. */
  args?: string[];
  /** Readiness timeout per start attempt, default 10 s. */
  startTimeoutMs?: number;
}

export interface RedisServer {
  readonly kind: ServerKind;
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly tlsPort?: number;
  readonly socketPath?: string;
  readonly dir: string;
  readonly tls?: TlsFiles;
  /** redis://127.0.0.1:port */
  readonly url: string;
  /** rediss://127.0.0.1:tlsPort */
  readonly tlsUrl?: string;
  /** The password of the default user, if any. */
  readonly password?: string;
  /** pid of the current process (changes on restart). */
  readonly pid: number;
  /** Graceful stop, then delete the dir. Idempotent; the server cannot be restarted afterwards. */
  stop(): Promise<void>;
  /** SIGKILL and wait for the exit; the dir and config stay for restart(). */
  kill(): Promise<void>;
  /** Start again on the same ports with the same config (stops the old process first if alive). */
  restart(): Promise<void>;
  /** SIGSTOP: the server keeps its sockets but stops answering. */
  pause(): void;
  /** SIGCONT */
  resume(): void;
  /**
   * `redis-cli -h 127.0.0.1 -p port [-a password] ...args`, stdout trimmed. Server errors come back as
   * text ("ERR ...", redis-cli exits 0 for them); rejects only when redis-cli itself fails.
   */
  cli(...args: string[]): Promise<string>;
  /** The server's log (plus its raw stdout/stderr, if any). Still readable after stop(). */
  log(): string;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Thrown when another process took our port between freePort() and the server's bind. */
class PortTakenError extends Error {}

const MAX_START_ATTEMPTS = 5;
// sun_path is 108 bytes including the NUL.
const MAX_UNIX_PATH = 107;

const quoteForError = (text: string): string => (text.trim() ? text.trimEnd() : '(empty)');

class StandaloneServer implements RedisServer {
  readonly host = '127.0.0.1' as const;
  readonly url: string;
  readonly tlsUrl?: string;
  readonly socketPath?: string;
  readonly password?: string;
  private readonly binary: string;
  private readonly confPath: string;
  private readonly logPath: string;
  private readonly stdioPath: string;
  private readonly extraArgs: string[];
  private readonly startTimeoutMs: number;
  private proc: ServerProcess | undefined;
  private stopping: Promise<void> | undefined;
  private finalLog: string | undefined;

  constructor(
    readonly kind: ServerKind,
    readonly dir: string,
    readonly port: number,
    readonly tlsPort: number | undefined,
    readonly tls: TlsFiles | undefined,
    opts: ServerOptions,
  ) {
    this.binary = serverBinary(kind);
    this.confPath = path.join(dir, 'server.conf');
    this.logPath = path.join(dir, 'server.log');
    this.stdioPath = path.join(dir, 'stdio.log');
    this.extraArgs = opts.args ?? [];
    this.startTimeoutMs = opts.startTimeoutMs ?? 10_000;
    this.url = `redis://${this.host}:${port}`;
    if (tlsPort !== undefined) this.tlsUrl = `rediss://${this.host}:${tlsPort}`;
    if (opts.password !== undefined) this.password = opts.password;
    if (opts.unixSocket) {
      this.socketPath = path.join(dir, 'server.sock');
      if (Buffer.byteLength(this.socketPath) > MAX_UNIX_PATH) {
        throw new Error(`unix socket path too long (${this.socketPath}); set TMPDIR to a shorter directory`);
      }
    }
    writeFileSync(this.confPath, this.config(opts));
  }

  private config(opts: ServerOptions): string {
    const requireClientCert = typeof opts.tls === 'object' && opts.tls.requireClientCert === true;
    return renderConfig([
      confLine('port', this.port),
      confLine('bind', this.host),
      confLine('daemonize', 'no'),
      confLine('dir', this.dir),
      confLine('logfile', this.logPath),
      // Nothing may touch the disk: tests restart servers and expect them empty.
      confLine('save', ''),
      confLine('appendonly', 'no'),
      // Tests need DEBUG SLEEP / DEBUG RESTART etc. to provoke timeouts and faults.
      confLine('enable-debug-command', 'yes'),
      ...(this.kind === 'redis8' ? redis8ConfigLines() : []),
      this.socketPath && confLine('unixsocket', this.socketPath),
      this.socketPath && confLine('unixsocketperm', '700'),
      ...(this.tls && this.tlsPort !== undefined
        ? [
            confLine('tls-port', this.tlsPort),
            confLine('tls-cert-file', this.tls.certPath),
            confLine('tls-key-file', this.tls.keyPath),
            confLine('tls-ca-cert-file', this.tls.caPath),
            confLine('tls-auth-clients', requireClientCert ? 'yes' : 'optional'),
          ]
        : []),
      opts.password !== undefined && confLine('requirepass', opts.password),
      // Rules stay unquoted: they are config syntax already, and selectors like `(~k* +get)` hold spaces.
      ...(opts.aclUsers ?? []).map((u) => `${confLine('user', u.name, 'on', `>${u.password}`)} ${u.rules ?? '~* &* +@all'}`),
    ]);
  }

  get pid(): number {
    return this.proc?.pid ?? -1;
  }

  /** Spawns the binary and waits for PONG; on failure the process is gone and the error carries the log. */
  async launch(): Promise<void> {
    const proc = new ServerProcess(this.binary, [this.confPath, ...this.extraArgs], {
      cwd: this.dir,
      stdioFile: this.stdioPath,
    });
    this.proc = proc;
    try {
      await waitForPing({
        port: this.port,
        host: this.host,
        timeoutMs: this.startTimeoutMs,
        ...(this.password !== undefined ? { auth: { password: this.password } } : {}),
        abortReason: () => {
          if (proc.spawnError) return `could not spawn ${this.binary}: ${proc.spawnError.message}`;
          const exit = proc.exit;
          return exit ? `exited during start-up (code ${exit.code}, signal ${exit.signal})` : undefined;
        },
      });
    } catch (err) {
      await proc.kill().catch(() => undefined);
      const log = this.log();
      const msg = `${this.kind} server on port ${this.port} failed to start: ${(err as Error).message}\n` +
        `--- ${this.logPath} ---\n${quoteForError(log)}`;
      throw /Address already in use/i.test(log) ? new PortTakenError(msg) : new Error(msg);
    }
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      try {
        await this.proc?.terminate(5000);
      } finally {
        this.finalLog = this.log();
        removeDir(this.dir);
      }
    })();
    return this.stopping;
  }

  async kill(): Promise<void> {
    await this.proc?.kill();
  }

  async restart(): Promise<void> {
    if (this.stopping) throw new Error(`${this.kind} server on port ${this.port} was stopped; it cannot be restarted`);
    await this.proc?.terminate(5000);
    await this.launch();
  }

  pause(): void {
    this.proc?.signal('SIGSTOP');
  }

  resume(): void {
    this.proc?.signal('SIGCONT');
  }

  cli(...args: string[]): Promise<string> {
    const cliArgs = ['-h', this.host, '-p', String(this.port), '--no-auth-warning'];
    // Later --user/--pass/-a in args win, so a test can still log in as someone else.
    if (this.password !== undefined) cliArgs.push('-a', this.password);
    cliArgs.push(...args);
    return new Promise((resolve, reject) => {
      execFile(requireBinary('redis-cli'), cliArgs, { timeout: 10_000 }, (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`redis-cli ${args.join(' ')} failed: ${err.message}\nstdout: ${stdout}\nstderr: ${stderr}`));
        } else {
          resolve(stdout.trim());
        }
      });
    });
  }

  log(): string {
    if (this.finalLog !== undefined) return this.finalLog;
    const log = readFileOr(this.logPath);
    const stdio = readFileOr(this.stdioPath);
    return stdio.trim() ? `${log}--- stdout/stderr ---\n${stdio}` : log;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

async function distinctFreePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/**
 * Starts a server and resolves once it answers PING. Retries with new ports when it loses a bind race
 * against another process (parallel test files pick ports the same way).
 */
export async function startServer(opts: ServerOptions = {}): Promise<RedisServer> {
  const kind = opts.kind ?? 'redis';
  serverBinary(kind);
  for (let attempt = 1; ; attempt++) {
    const dir = makeTempDir(kind);
    trackDir(dir);
    try {
      const [port, tlsPort] = await distinctFreePorts(opts.tls ? 2 : 1);
      const tls = opts.tls ? await writeTlsFiles(dir) : undefined;
      const server = new StandaloneServer(kind, dir, port!, tlsPort, tls, opts);
      await server.launch();
      return server;
    } catch (err) {
      removeDir(dir);
      if (err instanceof PortTakenError && attempt < MAX_START_ATTEMPTS) continue;
      throw err;
    }
  }
}
