// A real Redis / Valkey cluster: N primaries with R replicas each, made by `redis-cli --cluster create`
// from standalone servers started with cluster-enabled, on free ports. Faults are real: SIGKILL,
// CLUSTER FAILOVER, slots moved with `redis-cli --cluster reshard`.

import { execFile } from 'node:child_process';
import { after, afterEach, before } from 'node:test';
import { printServerLog } from './hooks.js';
import { requireBinary } from './process.js';
import { startServer, type RedisServer, type ServerKind } from './server.js';
import { createClient, type RedisClient } from '../../src/index.js';

export interface ClusterOptions {
  /** Default 'redis'. */
  kind?: ServerKind;
  /** Default 3. */
  primaries?: number;
  /** Replicas per primary, default 1. */
  replicas?: number;
  /**
   * cluster-node-timeout (ms): how long a node may be silent before it is suspected. Short, so that a
   * killed primary is failed over in a few seconds. Default 1 500.
   */
  nodeTimeoutMs?: number;
  /** Extra server arguments for every node. */
  args?: string[];
  /**
   * A TLS port on every node besides the plain one (which the harness's redis-cli keeps using), with
   * the cluster bus and replication over TLS: nodes then give TLS clients their TLS ports.
   */
  tls?: boolean;
}

/** One line of CLUSTER NODES, the parts the tests need. */
export interface NodeInfo {
  id: string;
  port: number;
  role: 'primary' | 'replica';
  /** For a replica: its primary's id. */
  primaryId: string | null;
  failed: boolean;
  slots: Array<[number, number]>;
}

export interface TestCluster {
  readonly kind: ServerKind;
  /** Every node ever started for this cluster, killed ones included. */
  readonly servers: RedisServer[];
  /** `{ host, port }` of every node, for a client's `nodes` option. */
  seeds(): Array<{ host: string; port: number }>;
  /** The server listening on `port`. */
  server(port: number): RedisServer;
  /** CLUSTER NODES as seen by a live node. */
  nodes(): Promise<NodeInfo[]>;
  primaries(): Promise<NodeInfo[]>;
  /** The node serving `slot` as primary. */
  ownerOf(slot: number): Promise<NodeInfo>;
  /** Polls until every live node says cluster_state:ok, agrees on the slots, and every replica is synced. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  /** SIGKILL a node. */
  kill(port: number): Promise<void>;
  /** `CLUSTER FAILOVER` on a replica, resolved once that replica is a primary. */
  failover(replicaPort: number): Promise<void>;
  /** `redis-cli --cluster reshard`: moves `slots` slots from one primary to another. */
  reshard(fromId: string, toId: string, slots: number): Promise<void>;
  /**
   * Moves `slots` from one primary to another the way the cluster spec describes (IMPORTING on the
   * target, MIGRATING on the source, MIGRATE of their keys, then NODE on target, source and the other
   * primaries), `batch` slots at a time with every step of a batch sent at once: redis-cli moves one
   * slot per several round trips, which takes minutes for thousands of slots on a busy machine.
   * `handOver`, when given, runs each batch's final hand-over (the SETSLOT NODE steps) through
   * `run`, so that a test can act just before and after the slots change owner.
   */
  moveSlots(fromId: string, toId: string, slots: number[], batch?: number, handOver?: (run: () => Promise<void>) => Promise<void>): Promise<void>;
  /** Starts a new node and makes it a replica of `primaryId`; resolves once it has synced. */
  addReplica(primaryId: string): Promise<RedisServer>;
  /** Deletes every key on every live primary. */
  flushAll(): Promise<void>;
  stop(): Promise<void>;
  /** Prints every node's log to stderr. */
  printLogs(why: string): void;
}

function cli(args: string[], timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(requireBinary('redis-cli'), args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`redis-cli ${args.join(' ')} failed: ${err.message}\nstdout: ${stdout.slice(-4000)}\nstderr: ${stderr}`));
      else resolve(stdout);
    });
  });
}

function parseNodes(text: string): NodeInfo[] {
  const out: NodeInfo[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(' ');
    if (f.length < 8) continue;
    const flags = f[2]!.split(',');
    const addr = f[1]!.split('@')[0]!;
    const slots: Array<[number, number]> = [];
    for (const s of f.slice(8)) {
      if (s.startsWith('[')) continue; // a slot being migrated
      const [a, b] = s.split('-');
      slots.push([Number(a), Number(b ?? a)]);
    }
    out.push({
      id: f[0]!,
      port: Number(addr.slice(addr.lastIndexOf(':') + 1)),
      role: flags.includes('master') ? 'primary' : 'replica',
      primaryId: f[3] === '-' ? null : f[3]!,
      failed: flags.includes('fail') || flags.includes('fail?'),
      slots,
    });
  }
  return out;
}

async function poll<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function clusterArgs(o: ClusterOptions): string[] {
  return [
    '--cluster-enabled', 'yes',
    '--cluster-config-file', 'nodes.conf',
    '--cluster-node-timeout', String(o.nodeTimeoutMs ?? 1_500),
    // A replica may always be promoted, however long its link was down: the tests kill at will.
    '--cluster-replica-validity-factor', '0',
    ...(o.tls === true ? ['--tls-cluster', 'yes', '--tls-replication', 'yes'] : []),
    ...(o.args ?? []),
  ];
}

/** Starts the servers and joins them into one cluster; resolves once it is healthy. */
export async function startCluster(o: ClusterOptions = {}): Promise<TestCluster> {
  const kind = o.kind ?? 'redis';
  const nPrimaries = o.primaries ?? 3;
  const nReplicas = o.replicas ?? 1;
  const args = clusterArgs(o);
  const servers = await Promise.all(Array.from({ length: nPrimaries * (1 + nReplicas) }, () => startServer({ kind, args, tls: o.tls })));
  const byPort = new Map(servers.map((s) => [s.port, s]));
  const dead = new Set<number>();
  const live = () => servers.filter((s) => !dead.has(s.port));

  const nodesOf = async (): Promise<NodeInfo[]> => {
    let last: unknown;
    for (const s of live()) {
      try {
        return parseNodes(await s.cli('CLUSTER', 'NODES'));
      } catch (e) {
        last = e;
      }
    }
    throw new Error(`no live node answered CLUSTER NODES: ${String(last)}`);
  };

  const cluster: TestCluster = {
    kind,
    servers,
    seeds: () => live().map((s) => ({ host: '127.0.0.1', port: s.port })),
    server(port) {
      const s = byPort.get(port);
      if (s === undefined) throw new Error(`no node on port ${port}`);
      return s;
    },
    nodes: nodesOf,
    primaries: async () => (await nodesOf()).filter((n) => n.role === 'primary' && !n.failed && n.slots.length > 0),
    async ownerOf(slot) {
      const owner = (await nodesOf()).find((n) => n.role === 'primary' && !n.failed && n.slots.some(([a, b]) => slot >= a && slot <= b));
      if (owner === undefined) throw new Error(`no primary serves slot ${slot}`);
      return owner;
    },
    async waitHealthy(timeoutMs = 30_000) {
      await poll('a healthy cluster', timeoutMs, async () => {
        const views: string[] = [];
        for (const s of live()) {
          const info = await s.cli('CLUSTER', 'INFO');
          if (!info.includes('cluster_state:ok')) return undefined;
          const nodes = parseNodes(await s.cli('CLUSTER', 'NODES')).filter((n) => !dead.has(n.port));
          if (nodes.some((n) => n.failed)) return undefined;
          const me = nodes.find((n) => n.port === s.port);
          if (me?.role === 'replica') {
            const repl = await s.cli('INFO', 'replication');
            if (!repl.includes('master_link_status:up') || repl.includes('master_sync_in_progress:1')) return undefined;
          }
          // CLUSTER SLOTS leaves out a replica whose replication offset is still 0: clients would not see it.
          const expected = nodes.filter((n) => n.role === 'replica' && !n.failed).length;
          const slots = JSON.parse(await s.cli('--json', 'CLUSTER', 'SLOTS')) as unknown[][];
          const listed = new Set(slots.flatMap((r) => r.slice(3).map((n) => String((n as unknown[])[1]))));
          if (listed.size !== expected) return undefined;
          views.push(
            nodes
              .filter((n) => n.role === 'primary')
              .map((n) => `${n.port}:${JSON.stringify(n.slots)}`)
              .sort()
              .join(' '),
          );
        }
        return views.every((v) => v === views[0]) ? true : undefined;
      });
    },
    async kill(port) {
      dead.add(port);
      await cluster.server(port).kill();
    },
    async failover(replicaPort) {
      const reply = await cluster.server(replicaPort).cli('CLUSTER', 'FAILOVER');
      if (reply !== 'OK') throw new Error(`CLUSTER FAILOVER on ${replicaPort}: ${reply}`);
      await poll(`${replicaPort} to become a primary`, 20_000, async () => {
        const role = await cluster.server(replicaPort).cli('ROLE');
        return role.startsWith('master') ? true : undefined;
      });
    },
    async reshard(fromId, toId, slots) {
      const seed = live()[0]!;
      await cli([
        '--cluster', 'reshard', `127.0.0.1:${seed.port}`,
        '--cluster-from', fromId,
        '--cluster-to', toId,
        '--cluster-slots', String(slots),
        '--cluster-yes',
        '--cluster-pipeline', '100',
      ]);
    },
    async moveSlots(fromId, toId, slots, batch = 100, handOver) {
      const nodes = await nodesOf();
      const portOf = (id: string): number => {
        const n = nodes.find((x) => x.id === id);
        if (n === undefined) throw new Error(`no node ${id}`);
        return n.port;
      };
      // Valkey holds each SETSLOT's reply until the replicas have it: many connections wait at once.
      const open = (port: number) => createClient({ port, protocol: 2, commandTimeout: 60_000, connections: 32 }).connect();
      const src = await open(portOf(fromId));
      const dst = await open(portOf(toId));
      const others: RedisClient[] = [];
      for (const n of nodes) if (n.role === 'primary' && !n.failed && n.id !== fromId && n.id !== toId) others.push(await open(n.port));
      const each = async (c: RedisClient, part: number[], argv: (slot: number) => string[]): Promise<void> => {
        await Promise.all(part.map((s) => c.call(argv(s)[0]!, ...argv(s).slice(1))));
      };
      try {
        for (let i = 0; i < slots.length; i += batch) {
          const part = slots.slice(i, i + batch);
          await each(dst, part, (s) => ['CLUSTER', 'SETSLOT', String(s), 'IMPORTING', fromId]);
          await each(src, part, (s) => ['CLUSTER', 'SETSLOT', String(s), 'MIGRATING', toId]);
          for (;;) {
            const p = src.pipeline();
            for (const s of part) p.call('CLUSTER', 'GETKEYSINSLOT', s, 1000);
            const keys = (await p.exec()) as string[][];
            const moving = keys.filter((k) => k.length > 0);
            if (moving.length === 0) break;
            await Promise.all(moving.map((k) => src.call('MIGRATE', '127.0.0.1', portOf(toId), '', 0, 60_000, 'REPLACE', 'KEYS', ...k)));
          }
          const run = async (): Promise<void> => {
            await each(dst, part, (s) => ['CLUSTER', 'SETSLOT', String(s), 'NODE', toId]);
            await each(src, part, (s) => ['CLUSTER', 'SETSLOT', String(s), 'NODE', toId]);
            for (const o of others) await each(o, part, (s) => ['CLUSTER', 'SETSLOT', String(s), 'NODE', toId]);
          };
          await (handOver === undefined ? run() : handOver(run));
        }
      } finally {
        for (const c of [src, dst, ...others]) c.disconnect();
      }
    },
    async addReplica(primaryId) {
      const s = await startServer({ kind, args, tls: o.tls });
      servers.push(s);
      byPort.set(s.port, s);
      const seed = live().find((x) => x !== s)!;
      await cli(['--cluster', 'add-node', `127.0.0.1:${s.port}`, `127.0.0.1:${seed.port}`, '--cluster-slave', '--cluster-master-id', primaryId]);
      await poll(`the new replica ${s.port} to sync`, 30_000, async () => {
        const repl = await s.cli('INFO', 'replication');
        return repl.includes('master_link_status:up') && !repl.includes('master_sync_in_progress:1') ? true : undefined;
      });
      return s;
    },
    async flushAll() {
      for (const n of await cluster.primaries()) await cluster.server(n.port).cli('FLUSHALL');
    },
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
    },
    printLogs(why) {
      for (const s of servers) printServerLog(s, why);
    },
  };

  try {
    const hosts = servers.map((s) => `127.0.0.1:${s.port}`);
    await cli(['--cluster', 'create', ...hosts, '--cluster-replicas', String(nReplicas), '--cluster-yes']);
    // Something replicated, so that every replica's offset moves past 0 (see waitHealthy).
    for (const n of await cluster.primaries()) await cluster.server(n.port).cli('FLUSHALL');
    await cluster.waitHealthy();
  } catch (e) {
    cluster.printLogs('cluster start failed');
    await cluster.stop();
    throw e;
  }
  return cluster;
}

/**
 * One cluster for the enclosing suite: started in before(), stopped in after(), every node's log
 * printed if one of the suite's tests failed.
 */
export function useCluster(o: ClusterOptions = {}): () => TestCluster {
  let cluster: TestCluster | undefined;
  const failed: string[] = [];
  before(async () => {
    cluster = await startCluster(o);
  });
  afterEach((t) => {
    if ('passed' in t && (t as { passed?: boolean }).passed === false) failed.push(t.name);
  });
  after(async () => {
    if (!cluster) return;
    if (failed.length > 0) cluster.printLogs(`failed: ${failed.join(', ')}`);
    await cluster.stop();
  });
  return () => {
    if (!cluster) throw new Error('useCluster(): the cluster exists only inside the tests and hooks of the suite that called useCluster()');
    return cluster;
  };
}
