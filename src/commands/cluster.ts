import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type Result, type Str } from './command.js';
import { checkInteger, checkKey, command, method, variadic } from './registry.js';
import { checkOneOf, checkOptions, noArgs } from './build.js';
import { helpLines, numberIfNumeric, setOwn, text, textArray, toNumber, toObject } from './transforms.js';

const A = Flag.ADMIN;
const C = Flag.CONNSTATE;

/** An inclusive range of hash slots. */
export type SlotRange = [start: number, end: number];

/** One node as a line of CLUSTER NODES (or CLUSTER REPLICAS) describes it. */
export interface ClusterNode {
  id: string;
  /** As the server wrote it: `ip:port@cport[,hostname]`. */
  address: string;
  /** Empty while the node does not know its own address yet. */
  host: string;
  port: number;
  /** The cluster bus port. */
  cport: number;
  hostname?: string;
  /** myself, master, slave, fail?, fail, handshake, noaddr, nofailover, noflags. */
  flags: string[];
  /** The primary's id, for a replica; null for a primary. */
  master: string | null;
  /** Unix ms of the pending PING, 0 when none. */
  pingSent: number;
  /** Unix ms of the last PONG. */
  pongRecv: number;
  configEpoch: number;
  linkState: 'connected' | 'disconnected';
  slots: SlotRange[];
  /** Slots this node is moving out, and where to. */
  migrating: Array<{ slot: number; node: string }>;
  /** Slots this node is taking in, and from where. */
  importing: Array<{ slot: number; node: string }>;
}

/** A node in CLUSTER SLOTS. */
export interface ClusterSlotsNode {
  /** The preferred endpoint (an IP, a hostname, or '?' when unknown). */
  host: string;
  port: number;
  id: string;
  /** Redis 7+: extra networking metadata such as `hostname`. */
  metadata: Record<string, string | number>;
}

/** One slot range of CLUSTER SLOTS with the primary and replicas that serve it. */
export interface ClusterSlotsRange {
  start: number;
  end: number;
  master: ClusterSlotsNode;
  replicas: ClusterSlotsNode[];
}

/** One shard of CLUSTER SHARDS; node records as the server describes them (id, ip, port, role, health…). */
export interface ClusterShard {
  slots: SlotRange[];
  nodes: Array<Record<string, string | number>>;
}

/** CLUSTER SLOT-STATS (Valkey 8+): per-slot metrics such as `key-count`, `cpu-usec`. */
export interface ClusterSlotStats {
  slot: number;
  stats: Record<string, number>;
}

/** What CLUSTER SLOT-STATS reports: a range of slots, or the top slots ordered by a metric. */
export type ClusterSlotStatsOptions =
  | { slotsrange: SlotRange }
  | { orderby: string; limit?: number; asc?: boolean; desc?: boolean };

/** A Valkey 9 atomic slot migration job: slot ranges and the node they go to. */
export interface MigrateSlotsJob {
  slotsrange: SlotRange[];
  node: string;
}

export interface ClusterCommands<C> {
  /** Makes the next command of this connection run on a slot being imported (after an ASK redirect). */
  asking(): Result<C, 'OK'>;
  /** Lets this connection read from a replica. */
  readonly(): Result<C, 'OK'>;
  readwrite(): Result<C, 'OK'>;

  clusterAddslots(...slots: number[]): Result<C, 'OK'>;
  clusterAddslots(slots: ReadonlyArray<number>): Result<C, 'OK'>;
  clusterAddslotsrange(...ranges: SlotRange[]): Result<C, 'OK'>;
  clusterAddslotsrange(ranges: ReadonlyArray<SlotRange>): Result<C, 'OK'>;
  /** Takes a new config epoch when this node's is not the highest. */
  clusterBumpepoch(): Result<C, { bumped: boolean; epoch: number }>;
  clusterCountFailureReports(nodeId: string): Result<C, number>;
  clusterCountkeysinslot(slot: number): Result<C, number>;
  clusterDelslots(...slots: number[]): Result<C, 'OK'>;
  clusterDelslots(slots: ReadonlyArray<number>): Result<C, 'OK'>;
  clusterDelslotsrange(...ranges: SlotRange[]): Result<C, 'OK'>;
  clusterDelslotsrange(ranges: ReadonlyArray<SlotRange>): Result<C, 'OK'>;
  /** On a replica: take over from its primary. */
  clusterFailover(mode?: 'FORCE' | 'TAKEOVER'): Result<C, 'OK'>;
  clusterFlushslots(): Result<C, 'OK'>;
  clusterForget(nodeId: string): Result<C, 'OK'>;
  clusterGetkeysinslot(slot: number, count: number): Result<C, Array<Str<C>>>;
  clusterHelp(): Result<C, string[]>;
  /** CLUSTER INFO as an object: `{ cluster_state: 'ok', cluster_slots_assigned: 16384, … }`. */
  clusterInfo(): Result<C, Record<string, string | number>>;
  /** The hash slot of a key. */
  clusterKeyslot(key: RedisKey): Result<C, number>;
  /** This node's cluster bus links (direction, node, create-time, events, buffers). */
  clusterLinks(): Result<C, Array<Record<string, string | number>>>;
  clusterMeet(ip: string, port: number, clusterBusPort?: number): Result<C, 'OK'>;
  clusterMyid(): Result<C, string>;
  /** Redis 7.2+ / Valkey. */
  clusterMyshardid(): Result<C, string>;
  clusterNodes(): Result<C, ClusterNode[]>;
  clusterReplicas(nodeId: string): Result<C, ClusterNode[]>;
  /** Makes this node a replica of `nodeId`. */
  clusterReplicate(nodeId: string): Result<C, 'OK'>;
  clusterReset(mode?: 'HARD' | 'SOFT'): Result<C, 'OK'>;
  clusterSaveconfig(): Result<C, 'OK'>;
  clusterSetConfigEpoch(configEpoch: number): Result<C, 'OK'>;
  /** Moves a slot's state: IMPORTING from / MIGRATING to / NODE owned by `nodeId`. `timeout` is Valkey 8+. */
  clusterSetslot(slot: number, subcommand: 'IMPORTING' | 'MIGRATING' | 'NODE', nodeId: string, options?: { timeout?: number }): Result<C, 'OK'>;
  clusterSetslot(slot: number, subcommand: 'STABLE', options?: { timeout?: number }): Result<C, 'OK'>;
  clusterShards(): Result<C, ClusterShard[]>;
  /** The old name of CLUSTER REPLICAS. */
  clusterSlaves(nodeId: string): Result<C, ClusterNode[]>;
  /** Valkey 8+: per-slot statistics, for a range of slots or the top slots by a metric. */
  clusterSlotStats(options: ClusterSlotStatsOptions): Result<C, ClusterSlotStats[]>;
  /** Deprecated by the server in favour of CLUSTER SHARDS, still the most widely available map. */
  clusterSlots(): Result<C, ClusterSlotsRange[]>;

  /** Redis 8.4+: starts importing slot ranges to this node; resolves the task id. */
  clusterMigrationImport(...ranges: SlotRange[]): Result<C, string>;
  clusterMigrationImport(ranges: ReadonlyArray<SlotRange>): Result<C, string>;
  /** Redis 8.4+: cancels one migration task or all; resolves how many. */
  clusterMigrationCancel(target: { id: string } | { all: true }): Result<C, number>;
  /** Redis 8.4+: migration tasks with their id, slots, source, dest, state… */
  clusterMigrationStatus(options?: { id: string } | { all: true }): Result<C, Array<Record<string, string | number>>>;
  /** Valkey 9+: starts atomic slot migrations to other nodes. */
  clusterMigrateslots(...jobs: MigrateSlotsJob[]): Result<C, 'OK'>;
  clusterMigrateslots(jobs: ReadonlyArray<MigrateSlotsJob>): Result<C, 'OK'>;
  /** Valkey 9+: slot migrations in progress and recently finished. */
  clusterGetslotmigrations(): Result<C, Array<Record<string, string | number>>>;
  /** Valkey 9+: cancels the slot migrations this node started. */
  clusterCancelslotmigrations(): Result<C, 'OK'>;
}

const ASKING = command('asking', C);
const READONLY = command('readonly', C);
const READWRITE = command('readwrite', C);
const ADDSLOTS = command('cluster|addslots', A);
const ADDSLOTSRANGE = command('cluster|addslotsrange', A);
const BUMPEPOCH = command('cluster|bumpepoch', A);
const COUNT_FAILURE_REPORTS = command('cluster|count-failure-reports', A);
const COUNTKEYSINSLOT = command('cluster|countkeysinslot', 0);
const DELSLOTS = command('cluster|delslots', A);
const DELSLOTSRANGE = command('cluster|delslotsrange', A);
const FAILOVER = command('cluster|failover', A);
const FLUSHSLOTS = command('cluster|flushslots', A);
const FORGET = command('cluster|forget', A);
const GETKEYSINSLOT = command('cluster|getkeysinslot', 0);
const HELP = command('cluster|help', 0);
const INFO = command('cluster|info', 0);
const KEYSLOT = command('cluster|keyslot', 0);
const LINKS = command('cluster|links', 0);
const MEET = command('cluster|meet', A);
const MYID = command('cluster|myid', 0);
const MYSHARDID = command('cluster|myshardid', 0);
const NODES = command('cluster|nodes', 0);
const REPLICAS = command('cluster|replicas', 0);
const REPLICATE = command('cluster|replicate', A);
const RESET = command('cluster|reset', A);
const SAVECONFIG = command('cluster|saveconfig', A);
const SET_CONFIG_EPOCH = command('cluster|set-config-epoch', A);
const SETSLOT = command('cluster|setslot', A);
const SHARDS = command('cluster|shards', 0);
const SLAVES = command('cluster|slaves', 0);
const SLOT_STATS = command('cluster|slot-stats', 0);
const SLOTS = command('cluster|slots', 0);
const MIGRATION = command('cluster|migration', A);
const MIGRATESLOTS = command('cluster|migrateslots', A);
const GETSLOTMIGRATIONS = command('cluster|getslotmigrations', A);
const CANCELSLOTMIGRATIONS = command('cluster|cancelslotmigrations', A);

// ---- builders -------------------------------------------------------------------------------------------

function slotsBuilder(cmd: string, sub: string) {
  return (slots: number[]): RedisArg[] => {
    if (slots.length === 0) throw new DataError(`${cmd}: at least one slot is required`);
    const argv: RedisArg[] = ['CLUSTER', sub];
    for (const s of slots) {
      checkInteger(cmd, 'slot', s);
      argv.push(s);
    }
    return argv;
  };
}

function pushRanges(cmd: string, argv: RedisArg[], ranges: ReadonlyArray<unknown>): RedisArg[] {
  if (ranges.length === 0) throw new DataError(`${cmd}: at least one slot range is required`);
  for (const r of ranges) {
    if (!Array.isArray(r) || r.length !== 2) throw new DataError(`${cmd}: each slot range must be a [start, end] pair`);
    checkInteger(cmd, 'start slot', r[0]);
    checkInteger(cmd, 'end slot', r[1]);
    argv.push(r[0] as number, r[1] as number);
  }
  return argv;
}

function rangesBuilder(cmd: string, sub: string) {
  return (ranges: SlotRange[]): RedisArg[] => pushRanges(cmd, ['CLUSTER', sub], ranges);
}

function nodeIdBuilder(cmd: string, sub: string) {
  return (nodeId: string): RedisArg[] => {
    checkKey(cmd, 'nodeId', nodeId);
    return ['CLUSTER', sub, nodeId];
  };
}

function slotBuilder(cmd: string, sub: string) {
  return (slot: number): RedisArg[] => {
    checkInteger(cmd, 'slot', slot);
    return ['CLUSTER', sub, slot];
  };
}

function buildSetslot(slot: number, sub: string, nodeIdOrOptions?: unknown, options?: unknown): RedisArg[] {
  const cmd = 'CLUSTER SETSLOT';
  checkInteger(cmd, 'slot', slot);
  checkOneOf(cmd, 'subcommand', sub, ['IMPORTING', 'MIGRATING', 'NODE', 'STABLE'] as const);
  const argv: RedisArg[] = ['CLUSTER', 'SETSLOT', slot, sub];
  let o: { timeout?: number } | undefined;
  if (sub.toUpperCase() === 'STABLE') {
    if (options !== undefined) throw new DataError(`${cmd}: STABLE takes no node id`);
    o = nodeIdOrOptions as { timeout?: number } | undefined;
  } else {
    checkKey(cmd, 'nodeId', nodeIdOrOptions);
    argv.push(nodeIdOrOptions as string);
    o = options as { timeout?: number } | undefined;
  }
  checkOptions(cmd, o);
  if (o?.timeout !== undefined) {
    checkInteger(cmd, 'timeout', o.timeout);
    argv.push('TIMEOUT', o.timeout);
  }
  return argv;
}

function buildSlotStats(o: ClusterSlotStatsOptions): RedisArg[] {
  const cmd = 'CLUSTER SLOT-STATS';
  if (o === null || typeof o !== 'object') throw new DataError(`${cmd}: options must be { slotsrange } or { orderby, limit?, asc?, desc? }`);
  if ('slotsrange' in o && o.slotsrange !== undefined) {
    if ('orderby' in o) throw new DataError(`${cmd}: slotsrange and orderby exclude each other`);
    return pushRanges(cmd, ['CLUSTER', 'SLOT-STATS', 'SLOTSRANGE'], [o.slotsrange]);
  }
  if (!('orderby' in o)) throw new DataError(`${cmd}: slotsrange or orderby is required`);
  checkKey(cmd, 'orderby', o.orderby);
  const argv: RedisArg[] = ['CLUSTER', 'SLOT-STATS', 'ORDERBY', o.orderby];
  if (o.limit !== undefined) {
    checkInteger(cmd, 'limit', o.limit);
    argv.push('LIMIT', o.limit);
  }
  if (o.asc && o.desc) throw new DataError(`${cmd}: asc and desc exclude each other`);
  if (o.asc) argv.push('ASC');
  if (o.desc) argv.push('DESC');
  return argv;
}

function migrationTarget(cmd: string, o: unknown, required: boolean): RedisArg[] {
  if (o === undefined && !required) return [];
  if (o === null || typeof o !== 'object') throw new DataError(`${cmd}: give { id } or { all: true }`);
  const t = o as { id?: unknown; all?: unknown };
  if (t.id !== undefined && t.all) throw new DataError(`${cmd}: id and all exclude each other`);
  if (t.id !== undefined) {
    checkKey(cmd, 'id', t.id);
    return ['ID', t.id as string];
  }
  if (t.all === true) return ['ALL'];
  if (required) throw new DataError(`${cmd}: give { id } or { all: true }`);
  return [];
}

function buildMigrateslots(jobs: MigrateSlotsJob[]): RedisArg[] {
  const cmd = 'CLUSTER MIGRATESLOTS';
  if (jobs.length === 0) throw new DataError(`${cmd}: at least one job is required`);
  const argv: RedisArg[] = ['CLUSTER', 'MIGRATESLOTS'];
  for (const j of jobs) {
    if (j === null || typeof j !== 'object' || !Array.isArray(j.slotsrange)) {
      throw new DataError(`${cmd}: each job must be { slotsrange: [[start, end], …], node }`);
    }
    argv.push('SLOTSRANGE');
    pushRanges(cmd, argv, j.slotsrange);
    checkKey(cmd, 'node', j.node);
    argv.push('NODE', j.node);
  }
  return argv;
}

// ---- transforms -----------------------------------------------------------------------------------------

/** `key:value` lines (CLUSTER INFO), numbers as numbers. */
function parseColonLines(v: unknown): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const raw of text(v).split('\n')) {
    const line = raw.trim();
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    setOwn(out, line.slice(0, colon), numberIfNumeric(line.slice(colon + 1)));
  }
  return out;
}

export function parseClusterNodeLine(line: string): ClusterNode {
  const f = line.trim().split(' ');
  const address = f[1] ?? '';
  const [hostPort = '', ...names] = address.split(',');
  const at = hostPort.indexOf('@');
  const hp = at === -1 ? hostPort : hostPort.slice(0, at);
  const colon = hp.lastIndexOf(':');
  const node: ClusterNode = {
    id: f[0] ?? '',
    address,
    host: colon === -1 ? hp : hp.slice(0, colon),
    port: colon === -1 ? 0 : Number(hp.slice(colon + 1)),
    cport: at === -1 ? 0 : Number(hostPort.slice(at + 1)),
    flags: (f[2] ?? '').split(',').filter((x) => x !== ''),
    master: f[3] === undefined || f[3] === '-' ? null : f[3],
    pingSent: Number(f[4] ?? 0),
    pongRecv: Number(f[5] ?? 0),
    configEpoch: Number(f[6] ?? 0),
    linkState: f[7] === 'connected' ? 'connected' : 'disconnected',
    slots: [],
    migrating: [],
    importing: [],
  };
  if (names[0] !== undefined && names[0] !== '') node.hostname = names[0];
  for (const s of f.slice(8)) {
    if (s.startsWith('[')) {
      // [slot->-node] is moving out, [slot-<-node] is coming in.
      const body = s.slice(1, -1);
      const out = body.indexOf('->-');
      if (out !== -1) node.migrating.push({ slot: Number(body.slice(0, out)), node: body.slice(out + 3) });
      const inc = body.indexOf('-<-');
      if (inc !== -1) node.importing.push({ slot: Number(body.slice(0, inc)), node: body.slice(inc + 3) });
      continue;
    }
    const dash = s.indexOf('-');
    if (dash === -1) node.slots.push([Number(s), Number(s)]);
    else node.slots.push([Number(s.slice(0, dash)), Number(s.slice(dash + 1))]);
  }
  return node;
}

function parseClusterNodes(v: unknown): ClusterNode[] {
  const lines = Array.isArray(v) ? v.map(text) : text(v).split('\n');
  return lines.filter((l) => l.trim() !== '').map(parseClusterNodeLine);
}

function flatRecord(v: unknown): Record<string, string | number> {
  const o = toObject<unknown>(v);
  const out: Record<string, string | number> = {};
  for (const k of Object.keys(o)) {
    const x = o[k];
    setOwn(out, k, typeof x === 'number' ? x : Array.isArray(x) ? textArray(x).join(' ') : text(x));
  }
  return out;
}

function parseSlotsNode(v: unknown): ClusterSlotsNode {
  const a = v as unknown[];
  const meta = a[3] === undefined ? {} : flatRecord(a[3]);
  return { host: text(a[0]), port: toNumber(a[1]), id: text(a[2]), metadata: meta };
}

function parseClusterSlots(v: unknown): ClusterSlotsRange[] {
  return (v as unknown[][]).map((r) => ({
    start: toNumber(r[0]),
    end: toNumber(r[1]),
    master: parseSlotsNode(r[2]),
    replicas: r.slice(3).map(parseSlotsNode),
  }));
}

function pairs(flat: unknown): SlotRange[] {
  const a = (flat ?? []) as unknown[];
  const out: SlotRange[] = [];
  for (let i = 0; i + 1 < a.length; i += 2) out.push([toNumber(a[i]), toNumber(a[i + 1])]);
  return out;
}

function parseClusterShards(v: unknown): ClusterShard[] {
  return (v as unknown[]).map((s) => {
    const o = toObject<unknown>(s);
    return { slots: pairs(o['slots']), nodes: ((o['nodes'] ?? []) as unknown[]).map(flatRecord) };
  });
}

function parseSlotStats(v: unknown): ClusterSlotStats[] {
  return (v as unknown[][]).map((e) => {
    const o = toObject<unknown>(e[1]);
    const stats: Record<string, number> = {};
    for (const k of Object.keys(o)) setOwn(stats, k, toNumber(o[k]));
    return { slot: toNumber(e[0]), stats };
  });
}

function parseBumpepoch(v: unknown): { bumped: boolean; epoch: number } {
  const [word = '', epoch = '0'] = text(v).split(' ');
  return { bumped: word === 'BUMPED', epoch: Number(epoch) };
}

const records = (v: unknown) => ((v ?? []) as unknown[]).map(flatRecord);

export const clusterMethods = {
  asking: method(ASKING, noArgs('ASKING')),
  readonly: method(READONLY, noArgs('READONLY')),
  readwrite: method(READWRITE, noArgs('READWRITE')),

  clusterAddslots: variadic(ADDSLOTS, 0, slotsBuilder('CLUSTER ADDSLOTS', 'ADDSLOTS')),
  clusterAddslotsrange: variadic(ADDSLOTSRANGE, 0, rangesBuilder('CLUSTER ADDSLOTSRANGE', 'ADDSLOTSRANGE'), undefined, 'tuples'),
  clusterBumpepoch: method(BUMPEPOCH, noArgs('CLUSTER', 'BUMPEPOCH'), parseBumpepoch),
  clusterCountFailureReports: method(COUNT_FAILURE_REPORTS, nodeIdBuilder('CLUSTER COUNT-FAILURE-REPORTS', 'COUNT-FAILURE-REPORTS')),
  clusterCountkeysinslot: method(COUNTKEYSINSLOT, slotBuilder('CLUSTER COUNTKEYSINSLOT', 'COUNTKEYSINSLOT')),
  clusterDelslots: variadic(DELSLOTS, 0, slotsBuilder('CLUSTER DELSLOTS', 'DELSLOTS')),
  clusterDelslotsrange: variadic(DELSLOTSRANGE, 0, rangesBuilder('CLUSTER DELSLOTSRANGE', 'DELSLOTSRANGE'), undefined, 'tuples'),
  clusterFailover: method(FAILOVER, (mode?: 'FORCE' | 'TAKEOVER') => {
    if (mode === undefined) return ['CLUSTER', 'FAILOVER'];
    checkOneOf('CLUSTER FAILOVER', 'mode', mode, ['FORCE', 'TAKEOVER'] as const);
    return ['CLUSTER', 'FAILOVER', mode];
  }),
  clusterFlushslots: method(FLUSHSLOTS, noArgs('CLUSTER', 'FLUSHSLOTS')),
  clusterForget: method(FORGET, nodeIdBuilder('CLUSTER FORGET', 'FORGET')),
  clusterGetkeysinslot: method(GETKEYSINSLOT, (slot: number, count: number) => {
    checkInteger('CLUSTER GETKEYSINSLOT', 'slot', slot);
    checkInteger('CLUSTER GETKEYSINSLOT', 'count', count);
    return ['CLUSTER', 'GETKEYSINSLOT', slot, count];
  }),
  clusterHelp: method(HELP, noArgs('CLUSTER', 'HELP'), helpLines),
  clusterInfo: method(INFO, noArgs('CLUSTER', 'INFO'), parseColonLines),
  clusterKeyslot: method(KEYSLOT, (k: RedisKey) => {
    checkKey('CLUSTER KEYSLOT', 'key', k);
    return ['CLUSTER', 'KEYSLOT', k];
  }),
  clusterLinks: method(LINKS, noArgs('CLUSTER', 'LINKS'), records),
  clusterMeet: method(MEET, (ip: string, port: number, busPort?: number) => {
    checkKey('CLUSTER MEET', 'ip', ip);
    checkInteger('CLUSTER MEET', 'port', port);
    if (busPort === undefined) return ['CLUSTER', 'MEET', ip, port];
    checkInteger('CLUSTER MEET', 'clusterBusPort', busPort);
    return ['CLUSTER', 'MEET', ip, port, busPort];
  }),
  clusterMyid: method(MYID, noArgs('CLUSTER', 'MYID'), text),
  clusterMyshardid: method(MYSHARDID, noArgs('CLUSTER', 'MYSHARDID'), text),
  clusterNodes: method(NODES, noArgs('CLUSTER', 'NODES'), parseClusterNodes),
  clusterReplicas: method(REPLICAS, nodeIdBuilder('CLUSTER REPLICAS', 'REPLICAS'), parseClusterNodes),
  clusterReplicate: method(REPLICATE, nodeIdBuilder('CLUSTER REPLICATE', 'REPLICATE')),
  clusterReset: method(RESET, (mode?: 'HARD' | 'SOFT') => {
    if (mode === undefined) return ['CLUSTER', 'RESET'];
    checkOneOf('CLUSTER RESET', 'mode', mode, ['HARD', 'SOFT'] as const);
    return ['CLUSTER', 'RESET', mode];
  }),
  clusterSaveconfig: method(SAVECONFIG, noArgs('CLUSTER', 'SAVECONFIG')),
  clusterSetConfigEpoch: method(SET_CONFIG_EPOCH, (epoch: number) => {
    checkInteger('CLUSTER SET-CONFIG-EPOCH', 'configEpoch', epoch);
    return ['CLUSTER', 'SET-CONFIG-EPOCH', epoch];
  }),
  clusterSetslot: method(SETSLOT, buildSetslot),
  clusterShards: method(SHARDS, noArgs('CLUSTER', 'SHARDS'), parseClusterShards),
  clusterSlaves: method(SLAVES, nodeIdBuilder('CLUSTER SLAVES', 'SLAVES'), parseClusterNodes),
  clusterSlotStats: method(SLOT_STATS, buildSlotStats, parseSlotStats),
  clusterSlots: method(SLOTS, noArgs('CLUSTER', 'SLOTS'), parseClusterSlots),

  clusterMigrationImport: variadic(MIGRATION, 0, (ranges: SlotRange[]) =>
    pushRanges('CLUSTER MIGRATION IMPORT', ['CLUSTER', 'MIGRATION', 'IMPORT'], ranges), text, 'tuples'),
  clusterMigrationCancel: method(MIGRATION, (target: { id: string } | { all: true }) => [
    'CLUSTER', 'MIGRATION', 'CANCEL', ...migrationTarget('CLUSTER MIGRATION CANCEL', target, true),
  ]),
  clusterMigrationStatus: method(MIGRATION, (o?: { id: string } | { all: true }) => [
    'CLUSTER', 'MIGRATION', 'STATUS', ...migrationTarget('CLUSTER MIGRATION STATUS', o, false),
  ], records),
  clusterMigrateslots: variadic(MIGRATESLOTS, 0, buildMigrateslots),
  clusterGetslotmigrations: method(GETSLOTMIGRATIONS, noArgs('CLUSTER', 'GETSLOTMIGRATIONS'), records),
  clusterCancelslotmigrations: method(CANCELSLOTMIGRATIONS, noArgs('CLUSTER', 'CANCELSLOTMIGRATIONS')),
};
