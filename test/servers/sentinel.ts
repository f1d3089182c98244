// Sentinels on free ports in private temp dirs: one watching a primary the tests started
// (startSentinel), or a whole group — a primary, replicas and several sentinels (startSentinelGroup).

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createClient } from '../../src/index.js';
import { confLine, renderConfig } from './config.js';
import { freePort, makeTempDir, readFileOr, removeDir, requireBinary, ServerProcess, trackDir, waitForPing } from './process.js';
import { startServer, type RedisServer, type ServerKind } from './server.js';

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
  /** SIGKILL and wait for the exit; the dir (and the config the sentinel rewrote) stay for restart(). */
  kill(): Promise<void>;
  /** Starts again on the same port with the config as the sentinel last wrote it. */
  restart(): Promise<void>;
  /** SIGSTOP: keeps its sockets, answers nothing. */
  pause(): void;
  /** SIGCONT */
  resume(): void;
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
    const args = kind === 'redis' ? [confPath] : [confPath, '--sentinel'];
    const log = (): string => `${readFileOr(logPath)}${readFileOr(stdioPath)}`;
    const launch = async (): Promise<ServerProcess> => {
      const proc = new ServerProcess(binary, args, { cwd: dir, stdioFile: stdioPath });
      try {
        await waitForPing({
          port,
          timeoutMs: opts.startTimeoutMs ?? 10_000,
          abortReason: () => (proc.exit ? `exited during start-up (code ${proc.exit.code})` : undefined),
        });
      } catch (err) {
        await proc.kill().catch(() => undefined);
        throw err;
      }
      return proc;
    };
    let proc: ServerProcess;
    try {
      proc = await launch();
    } catch (err) {
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
      kill: () => proc.kill(),
      restart: async () => {
        if (stopping) throw new Error(`sentinel on port ${port} was stopped; it cannot be restarted`);
        await proc.terminate(5000);
        proc = await launch();
      },
      pause: () => proc.signal('SIGSTOP'),
      resume: () => proc.signal('SIGCONT'),
      log: () => finalLog ?? log(),
      [Symbol.asyncDispose]: () => sentinel.stop(),
    };
    return sentinel;
  }
}

// ---- groups ----------------------------------------------------------------------------------------

export interface SentinelGroupOptions {
  kind?: ServerKind;
  /** Default 'mymaster'. */
  masterName?: string;
  /** Default 2. */
  replicas?: number;
  /** Default 3. */
  sentinels?: number;
  /** Default 2. */
  quorum?: number;
  /** How long a server may stay silent before a sentinel calls it down. Default 1 000 ms. */
  downAfterMs?: number;
  /** Default 5 000 ms: also the time a failed failover blocks the next automatic one (twice this). */
  failoverTimeoutMs?: number;
  /**
   * Shorter sentinel timers (SENTINEL DEBUG: INFO every 250 ms, hello every 500 ms), so a group
   * settles after a failover in seconds rather than tens of seconds. Default true; false keeps the
   * servers' own timers, for measurements that must match a real deployment.
   */
  fastTimers?: boolean;
}

export interface SentinelGroup {
  readonly kind: ServerKind;
  readonly masterName: string;
  /** Every data server, the first being the primary the group started with. */
  readonly servers: ReadonlyArray<RedisServer>;
  readonly sentinels: ReadonlyArray<RedisSentinel>;
  /** [{ host, port }] of every sentinel, for the client. */
  readonly sentinelAddresses: ReadonlyArray<{ host: string; port: number }>;
  /**
   * The data server the sentinels name as the primary, checked to say ROLE master. (Just after a
   * failover the old primary says master too, until the sentinels demote it.)
   */
  primary(): Promise<RedisServer>;
  /** The data servers whose ROLE is slave right now. */
  replicas(): Promise<RedisServer[]>;
  /** The server at a port. */
  server(port: number): RedisServer;
  /**
   * Waits until every running sentinel agrees on `port` as the primary and knows every other running
   * data server as a replica of it, healthy, and the running sentinels know each other: the state a
   * new failover (or a test) can start from. `minReplicas` lowers the count of healthy replicas
   * wanted (a demoted primary is converted to a replica only seconds after a failover).
   */
  settled(timeoutMs?: number, minReplicas?: number): Promise<void>;
  /**
   * `SENTINEL FAILOVER` on one sentinel, retried while the sentinels refuse it (a failover still in
   * progress, no replica they trust yet); resolves with the old primary's port once it was accepted.
   */
  failover(timeoutMs?: number): Promise<number>;
  /** Stops everything. */
  stop(): Promise<void>;
  /** Every log, for a failure report. */
  logs(): string;
  [Symbol.asyncDispose](): Promise<void>;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
      last = undefined;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function roleOf(port: number): Promise<string | null> {
  const c = createClient({ port, reconnect: false, connectTimeout: 1000, commandTimeout: 1000, clientInfo: false });
  try {
    const role = await c.call('ROLE');
    return Array.isArray(role) ? String(role[0]) : null;
  } catch {
    return null;
  } finally {
    c.disconnect();
  }
}

async function sentinelCall(port: number, ...args: string[]): Promise<unknown> {
  const c = createClient({ port, reconnect: false, connectTimeout: 1000, commandTimeout: 2000, clientInfo: false, protocol: 2 });
  try {
    return await c.call('SENTINEL', ...args);
  } finally {
    c.disconnect();
  }
}

function fields(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(reply)) for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  return out;
}

/**
 * A primary with replicas and sentinels watching it (quorum 2, a short down-after), all on free ports.
 * Resolves once every sentinel knows every replica and every other sentinel, so a failover can start.
 */
export async function startSentinelGroup(opts: SentinelGroupOptions = {}): Promise<SentinelGroup> {
  const kind = opts.kind ?? 'redis';
  const masterName = opts.masterName ?? 'mymaster';
  const downAfter = opts.downAfterMs ?? 1000;
  const failoverTimeout = opts.failoverTimeoutMs ?? 5000;
  // Replicas sync at once (no diskless delay), and nothing touches the disk.
  const fast = ['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0'];
  const servers: RedisServer[] = [];
  const sentinels: RedisSentinel[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled([...sentinels.map((s) => s.stop()), ...servers.map((s) => s.stop())]);
  };
  try {
    servers.push(await startServer({ kind, args: fast }));
    const primaryPort = servers[0]!.port;
    const replicas = await Promise.all(
      Array.from({ length: opts.replicas ?? 2 }, () => startServer({ kind, args: [...fast, '--replicaof', '127.0.0.1', String(primaryPort)] })),
    );
    servers.push(...replicas);
    const sentinelList = await Promise.all(
      Array.from({ length: opts.sentinels ?? 3 }, () =>
        startSentinel({
          kind,
          primaryPort,
          masterName,
          quorum: opts.quorum ?? 2,
          extraConfig: [
            `sentinel down-after-milliseconds ${masterName} ${downAfter}`,
            `sentinel failover-timeout ${masterName} ${failoverTimeout}`,
            `sentinel parallel-syncs ${masterName} ${opts.replicas ?? 2}`,
          ],
        }),
      ),
    );
    sentinels.push(...sentinelList);
    if (opts.fastTimers !== false) {
      await Promise.all(sentinels.map((s) => sentinelCall(s.port, 'DEBUG', 'info-period', '250', 'publish-period', '500')));
    }
  } catch (e) {
    await stopAll();
    throw e;
  }

  const group: SentinelGroup = {
    kind,
    masterName,
    servers,
    sentinels,
    sentinelAddresses: sentinels.map((s) => ({ host: s.host, port: s.port })),
    async primary() {
      for (const s of sentinels) {
        const addr = await sentinelCall(s.port, 'GET-MASTER-ADDR-BY-NAME', masterName).catch(() => null);
        if (!Array.isArray(addr)) continue;
        const server = servers.find((x) => x.port === Number(addr[1]));
        if (server !== undefined && (await roleOf(server.port)) === 'master') return server;
      }
      throw new Error('no sentinel names a data server that says ROLE master');
    },
    async replicas() {
      const roles = await Promise.all(servers.map((s) => roleOf(s.port)));
      return servers.filter((_, i) => roles[i] === 'slave');
    },
    server(port) {
      const s = servers.find((x) => x.port === port);
      if (!s) throw new Error(`no data server on port ${port}`);
      return s;
    },
    async settled(timeoutMs = 30_000, minReplicas?: number) {
      await until(
        'the sentinel group to settle',
        async () => {
          const roles = await Promise.all(servers.map((s) => roleOf(s.port)));
          const primary = await group.primary();
          // Fully settled: the old primary has been demoted too.
          if (minReplicas === undefined && roles.filter((r) => r === 'master').length !== 1) return false;
          const live = servers.filter((_, i) => roles[i] !== null);
          const wanted = minReplicas ?? live.length - 1;
          let linked = 0;
          for (const s of live) {
            if (s === primary || linked >= wanted) continue;
            const c = createClient({ port: s.port, reconnect: false, clientInfo: false });
            const info = await c.call('INFO', 'replication').catch(() => '').finally(() => c.disconnect());
            if (String(info).includes('master_link_status:up') && String(info).includes(`master_port:${primary.port}`)) linked++;
          }
          if (linked < wanted) return false;
          for (const sentinel of sentinels) {
            const master = fields(await sentinelCall(sentinel.port, 'MASTER', masterName));
            if (Number(master['port']) !== primary.port) return false;
            if (/s_down|o_down|failover/.test(master['flags'] ?? '')) return false;
            if (Number(master['num-other-sentinels']) !== sentinels.length - 1) return false;
            const known = (await sentinelCall(sentinel.port, 'REPLICAS', masterName)) as unknown[];
            const healthy = known
              .map(fields)
              .filter((r) => !/s_down|o_down|disconnected/.test(r['flags'] ?? '') && r['master-link-status'] === 'ok' && Number(r['master-port']) === primary.port);
            if (healthy.length < wanted) return false;
          }
          return true;
        },
        timeoutMs,
      );
    },
    async failover(timeoutMs = 30_000) {
      const old = (await group.primary()).port;
      let lastReply = '';
      await until(
        'a sentinel to accept SENTINEL FAILOVER',
        async () => {
          for (const s of sentinels) {
            const reply = await sentinelCall(s.port, 'FAILOVER', masterName).catch((e: Error) => e.message);
            lastReply = String(reply);
            if (reply === 'OK') return true;
          }
          return false;
        },
        timeoutMs,
      ).catch((e: Error) => {
        throw new Error(`${e.message} (last reply: ${lastReply})`);
      });
      return old;
    },
    stop: stopAll,
    logs: () =>
      [...servers.map((s) => `--- ${kind} server :${s.port} ---\n${s.log()}`), ...sentinels.map((s) => `--- sentinel :${s.port} ---\n${s.log()}`)].join('\n'),
    [Symbol.asyncDispose]: stopAll,
  };
  try {
    await group.settled();
  } catch (e) {
    const logs = group.logs();
    await stopAll();
    throw new Error(`${(e as Error).message}\n${logs}`);
  }
  return group;
}
