import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type RedisValue, type Result, type Str } from './command.js';
import { checkOneOf, checkOptions, namesArgv, noArgs, pairsArgv } from './build.js';
import { checkInteger, checkKey, checkValue, command, exclude, key, method, variadic } from './registry.js';
import {
  deepText,
  helpLines,
  numberIfNumeric,
  parseClientLine,
  parseInfo,
  setOwn,
  text,
  textArray,
  textObject,
  toNumber,
  toObject,
} from './transforms.js';

const R = Flag.READONLY;
const W = Flag.WRITE;
const A = Flag.ADMIN;

// ---- types ------------------------------------------------------------------------------------------

/** INFO, parsed: `{ server: { redis_version: '7.0.15', … }, memory: {…} }`. */
export type InfoReply = Record<string, Record<string, string | number>>;

/** One user as ACL GETUSER describes it. */
export interface AclUserReply {
  flags: string[];
  /** SHA-256 hashes of the user's passwords. */
  passwords: string[];
  commands: string;
  keys: string;
  channels: string;
  /** Each selector as a record (`commands`, `keys`, `channels`). */
  selectors: Array<Record<string, string | string[]>>;
}

/** One ACL LOG entry. */
export interface AclLogEntry {
  count: number;
  /** 'auth', 'command', 'key' or 'channel'. */
  reason: string;
  /** 'toplevel', 'multi', 'lua' or 'module'. */
  context: string;
  /** The command, key or channel refused. */
  object: string;
  username: string;
  ageSeconds: number;
  /** The client as CLIENT LIST would describe it. */
  clientInfo: Record<string, string | number>;
  /** Redis 7.2+ / Valkey. */
  entryId?: number;
  timestampCreated?: number;
  timestampLastUpdated?: number;
}

/** A key spec of COMMAND INFO (Redis 7+), as the server describes it. */
export interface CommandKeySpec {
  flags: string[];
  begin_search: { type: string; spec: Record<string, string | number> };
  find_keys: { type: string; spec: Record<string, string | number> };
  notes?: string;
}

/** One command as COMMAND / COMMAND INFO describe it. */
export interface CommandInfoReply {
  name: string;
  /** Argument count with the name; negative: at least that many. */
  arity: number;
  flags: string[];
  firstKey: number;
  lastKey: number;
  step: number;
  aclCategories: string[];
  tips: string[];
  keySpecs: CommandKeySpec[];
  subcommands: CommandInfoReply[];
}

/** One argument in COMMAND DOCS. */
export interface CommandArgumentDoc {
  name: string;
  type: string;
  display_text?: string;
  key_spec_index?: number;
  token?: string;
  summary?: string;
  since?: string;
  deprecated_since?: string;
  flags?: string[];
  value?: string;
  arguments?: CommandArgumentDoc[];
}

/** One command in COMMAND DOCS. */
export interface CommandDoc {
  summary: string;
  since: string;
  group: string;
  complexity: string;
  module?: string;
  doc_flags?: string[];
  deprecated_since?: string;
  replaced_by?: string;
  /** [version, what changed] pairs. */
  history?: Array<[string, string]>;
  arguments?: CommandArgumentDoc[];
  subcommands?: Record<string, CommandDoc>;
}

/** Optional filter of COMMAND LIST: by module, ACL category or name pattern. */
export interface CommandListOptions {
  /** Only the commands of a module, of an ACL category, or matching a glob pattern. */
  filterby?: { module: string } | { aclcat: string } | { pattern: string };
}

/** Optional tokens of FAILOVER: the target replica, the time limit, or abort a failover in progress. */
export interface FailoverOptions {
  /** The replica to fail over to; `force` fails over even when it has not caught up by `timeout`. */
  to?: { host: string; port: number; force?: boolean };
  /** Abort a failover in progress. */
  abort?: boolean;
  /** Milliseconds to wait for the replica to catch up. */
  timeout?: number;
}

/** Optional tokens of SHUTDOWN: save or not, skip waiting for replicas, force, or abort one in progress. */
export interface ShutdownOptions {
  nosave?: boolean;
  save?: boolean;
  /** Do not wait for lagging replicas. */
  now?: boolean;
  /** Ignore errors that would stop the shutdown (e.g. an RDB that cannot be saved). */
  force?: boolean;
  /** Cancel a shutdown in progress (then the reply is 'OK'). */
  abort?: boolean;
}

/** LATENCY LATEST: the latest and highest latency of one event. */
export interface LatencyLatestEntry {
  event: string;
  /** Unix time (seconds) of the latest spike. */
  timestamp: number;
  /** Milliseconds. */
  latest: number;
  max: number;
}

/** One sample of LATENCY HISTORY: when a latency spike happened and how long it was. */
export interface LatencyHistoryEntry {
  timestamp: number;
  /** Milliseconds. */
  latency: number;
}

/** LATENCY HISTOGRAM of one command: call count and a histogram of microsecond buckets to counts. */
export interface LatencyHistogram {
  calls: number;
  histogram_usec: Record<string, number>;
}

/** MEMORY STATS: byte counts and ratios; per-database overheads as nested records (`db.0`). */
export type MemoryStats = Record<string, number | Record<string, number>>;

/** One loaded module as MODULE LIST reports it: name, version, and where it was loaded from. */
export interface ModuleInfo {
  name: string;
  ver: number;
  path?: string;
  args?: string[];
}

/** Optional parts of MODULE LOADEX: configuration parameters and module arguments. */
export interface ModuleLoadexOptions {
  /** Module configuration parameters. */
  config?: Record<string, RedisValue> | Array<[string, RedisValue]>;
  args?: RedisValue[];
}

/** ROLE, by role. The server's 'slave' is reported as 'replica'. */
export type RoleReply =
  | {
      role: 'master';
      replicationOffset: number;
      replicas: Array<{ host: string; port: number; replicationOffset: number }>;
    }
  | {
      role: 'replica';
      masterHost: string;
      masterPort: number;
      /** 'connect', 'connecting', 'sync', 'connected' or 'handshake'. */
      state: string;
      /** -1 while not connected. */
      replicationOffset: number;
    }
  | { role: 'sentinel'; masterNames: string[] };

/** One SLOWLOG GET entry. */
export interface SlowlogEntry<S = string> {
  id: number;
  /** Unix time (seconds) the command ran. */
  timestamp: number;
  /** Microseconds. */
  duration: number;
  args: S[];
  clientAddress: string;
  clientName: string;
}

/** Which Valkey COMMANDLOG to read or reset: slow commands, large requests or large replies. */
export type CommandlogType = 'slow' | 'large-request' | 'large-reply';

/** One COMMANDLOG GET entry (Valkey 8.1+). */
export interface CommandlogEntry<S = string> {
  id: number;
  timestamp: number;
  /** Microseconds for 'slow', bytes for 'large-request' and 'large-reply'. */
  value: number;
  args: S[];
  clientAddress: string;
  clientName: string;
}

/** The server's clock as TIME returns it: Unix seconds and the microseconds within the second. */
export interface TimeReply {
  seconds: number;
  microseconds: number;
}

export interface ServerCommands<C> {
  // ---- ACL
  /** The ACL categories, or the commands of one category. */
  aclCat(category?: string): Result<C, string[]>;
  /** Deletes users; resolves how many existed. */
  aclDeluser(...usernames: string[]): Result<C, number>;
  aclDeluser(usernames: ReadonlyArray<string>): Result<C, number>;
  /** 'OK' when `username` may run the command, else the server's reason why not. */
  aclDryrun(username: string, command: string, ...args: RedisValue[]): Result<C, string>;
  aclDryrun(username: string, command: string, args: ReadonlyArray<RedisValue>): Result<C, string>;
  /** A random password: 256 bits as hex, or `bits` bits. */
  aclGenpass(bits?: number): Result<C, string>;
  aclGetuser(username: string): Result<C, AclUserReply | null>;
  aclHelp(): Result<C, string[]>;
  /** Every user as an ACL rule line. */
  aclList(): Result<C, string[]>;
  /** Reloads the users from the ACL file. */
  aclLoad(): Result<C, 'OK'>;
  /** The latest refused commands and logins, newest first (`count`, default 10). */
  aclLog(count?: number): Result<C, AclLogEntry[]>;
  aclLogReset(): Result<C, 'OK'>;
  aclSave(): Result<C, 'OK'>;
  /** Creates or changes a user: `aclSetuser('alice', 'on', '>secret', '~app:*', '+@read')`. */
  aclSetuser(username: string, ...rules: string[]): Result<C, 'OK'>;
  aclSetuser(username: string, rules: ReadonlyArray<string>): Result<C, 'OK'>;
  aclUsers(): Result<C, string[]>;
  aclWhoami(): Result<C, string>;

  // ---- persistence
  /** Starts an AOF rewrite; resolves the server's status line. */
  bgrewriteaof(): Result<C, string>;
  /** Starts an RDB save in the background (`schedule`: after an AOF rewrite in progress). */
  bgsave(options?: { schedule?: boolean }): Result<C, string>;
  /** Saves the RDB in the foreground, blocking the server. */
  save(): Result<C, 'OK'>;
  /** Unix time (seconds) of the last successful save. */
  lastsave(): Result<C, number>;

  // ---- COMMAND
  /** Every command the server has. */
  command(): Result<C, CommandInfoReply[]>;
  commandCount(): Result<C, number>;
  /** Documentation of the named commands (all when none are named), by name. */
  commandDocs(...commandNames: string[]): Result<C, Record<string, CommandDoc>>;
  commandDocs(commandNames: ReadonlyArray<string>): Result<C, Record<string, CommandDoc>>;
  /** The keys in a full command line, as the server finds them. */
  commandGetkeys(command: string, ...args: RedisValue[]): Result<C, Array<Str<C>>>;
  commandGetkeys(command: string, args: ReadonlyArray<RedisValue>): Result<C, Array<Str<C>>>;
  commandGetkeysandflags(command: string, ...args: RedisValue[]): Result<C, Array<{ key: Str<C>; flags: string[] }>>;
  commandGetkeysandflags(command: string, args: ReadonlyArray<RedisValue>): Result<C, Array<{ key: Str<C>; flags: string[] }>>;
  commandHelp(): Result<C, string[]>;
  /** The named commands; null for a name the server does not know. */
  commandInfo(...commandNames: string[]): Result<C, Array<CommandInfoReply | null>>;
  commandInfo(commandNames: ReadonlyArray<string>): Result<C, Array<CommandInfoReply | null>>;
  commandList(options?: CommandListOptions): Result<C, string[]>;

  // ---- CONFIG
  /** Parameters matching the patterns, as an object. */
  configGet(...parameters: string[]): Result<C, Record<string, string>>;
  configGet(parameters: ReadonlyArray<string>): Result<C, Record<string, string>>;
  configHelp(): Result<C, string[]>;
  configResetstat(): Result<C, 'OK'>;
  /** Writes the running configuration back to the config file. */
  configRewrite(): Result<C, 'OK'>;
  configSet(parameters: Record<string, RedisValue> | Array<[string, RedisValue]>): Result<C, 'OK'>;
  configSet(parameter: string, value: RedisValue): Result<C, 'OK'>;

  // ---- the keyspace as a whole
  dbsize(): Result<C, number>;
  flushdb(mode?: 'ASYNC' | 'SYNC'): Result<C, 'OK'>;
  flushall(mode?: 'ASYNC' | 'SYNC'): Result<C, 'OK'>;
  /** Swaps two databases. */
  swapdb(index1: number, index2: number): Result<C, 'OK'>;

  // ---- replication and lifecycle
  /** A coordinated failover from this primary to a replica. */
  failover(options?: FailoverOptions): Result<C, 'OK'>;
  /** Makes this server a replica of host:port; `replicaof('NO', 'ONE')` makes it a primary. */
  replicaof(host: string, port: number): Result<C, 'OK'>;
  replicaof(no: 'NO', one: 'ONE'): Result<C, 'OK'>;
  /** The old name of REPLICAOF. */
  slaveof(host: string, port: number): Result<C, 'OK'>;
  slaveof(no: 'NO', one: 'ONE'): Result<C, 'OK'>;
  role(): Result<C, RoleReply>;
  /**
   * Stops the server. The server closes the connection instead of replying, so the promise rejects
   * with a ConnectionError once it is gone; only `abort` resolves ('OK').
   */
  shutdown(options?: ShutdownOptions): Result<C, 'OK'>;

  // ---- introspection
  /** The server's INFO, parsed into sections. */
  info(...sections: string[]): Result<C, InfoReply>;
  info(sections: ReadonlyArray<string>): Result<C, InfoReply>;
  /** The server's time. */
  time(): Result<C, TimeReply>;
  /** Computer art and the server version. */
  lolwut(options?: { version?: number }): Result<C, string>;
  latencyDoctor(): Result<C, string>;
  /** An ASCII-art graph of one event's latency history. */
  latencyGraph(event: string): Result<C, string>;
  latencyHelp(): Result<C, string[]>;
  /** Per-command latency histograms (all commands when none are named). */
  latencyHistogram(...commands: string[]): Result<C, Record<string, LatencyHistogram>>;
  latencyHistogram(commands: ReadonlyArray<string>): Result<C, Record<string, LatencyHistogram>>;
  latencyHistory(event: string): Result<C, LatencyHistoryEntry[]>;
  latencyLatest(): Result<C, LatencyLatestEntry[]>;
  /** Resets the named events (all when none are named); resolves how many were reset. */
  latencyReset(...events: string[]): Result<C, number>;
  latencyReset(events: ReadonlyArray<string>): Result<C, number>;
  memoryDoctor(): Result<C, string>;
  memoryHelp(): Result<C, string[]>;
  memoryMallocStats(): Result<C, string>;
  memoryPurge(): Result<C, 'OK'>;
  memoryStats(): Result<C, MemoryStats>;
  /** Bytes used by a key and its value; null when it does not exist. */
  memoryUsage(key: RedisKey, options?: { samples?: number }): Result<C, number | null>;
  slowlogGet(count?: number): Result<C, Array<SlowlogEntry<Str<C>>>>;
  slowlogHelp(): Result<C, string[]>;
  slowlogLen(): Result<C, number>;
  slowlogReset(): Result<C, 'OK'>;
  /** Valkey 8.1+: entries of one command log. */
  commandlogGet(count: number, type: CommandlogType): Result<C, Array<CommandlogEntry<Str<C>>>>;
  commandlogHelp(): Result<C, string[]>;
  commandlogLen(type: CommandlogType): Result<C, number>;
  commandlogReset(type: CommandlogType): Result<C, 'OK'>;

  // ---- modules
  moduleHelp(): Result<C, string[]>;
  moduleList(): Result<C, ModuleInfo[]>;
  moduleLoad(path: string, ...args: RedisValue[]): Result<C, 'OK'>;
  moduleLoad(path: string, args: ReadonlyArray<RedisValue>): Result<C, 'OK'>;
  moduleLoadex(path: string, options?: ModuleLoadexOptions): Result<C, 'OK'>;
  moduleUnload(name: string): Result<C, 'OK'>;
}

// ---- registrations ------------------------------------------------------------------------------------

const ACL_CAT = command('acl|cat', A);
const ACL_DELUSER = command('acl|deluser', A);
const ACL_DRYRUN = command('acl|dryrun', A);
const ACL_GENPASS = command('acl|genpass', A);
const ACL_GETUSER = command('acl|getuser', A);
const ACL_HELP = command('acl|help', A);
const ACL_LIST = command('acl|list', A);
const ACL_LOAD = command('acl|load', A);
const ACL_LOG = command('acl|log', A);
const ACL_SAVE = command('acl|save', A);
const ACL_SETUSER = command('acl|setuser', A);
const ACL_USERS = command('acl|users', A);
const ACL_WHOAMI = command('acl|whoami', 0);

const BGREWRITEAOF = command('bgrewriteaof', A);
const BGSAVE = command('bgsave', A);
const SAVE = command('save', A);
const LASTSAVE = command('lastsave', A);

const COMMAND = command('command', 0);
const COMMAND_COUNT = command('command|count', 0);
const COMMAND_DOCS = command('command|docs', 0);
const COMMAND_GETKEYS = command('command|getkeys', 0);
const COMMAND_GETKEYSANDFLAGS = command('command|getkeysandflags', 0);
const COMMAND_HELP = command('command|help', 0);
const COMMAND_INFO = command('command|info', 0);
const COMMAND_LIST = command('command|list', 0);

const CONFIG_GET = command('config|get', A);
const CONFIG_HELP = command('config|help', A);
const CONFIG_RESETSTAT = command('config|resetstat', A);
const CONFIG_REWRITE = command('config|rewrite', A);
const CONFIG_SET = command('config|set', A);

const DBSIZE = command('dbsize', R);
const FLUSHDB = command('flushdb', W);
const FLUSHALL = command('flushall', W);
const SWAPDB = command('swapdb', W);

const FAILOVER = command('failover', A);
const REPLICAOF = command('replicaof', A);
const SLAVEOF = command('slaveof', A);
const ROLE = command('role', 0);
const SHUTDOWN = command('shutdown', A);

const INFO = command('info', A);
const TIME = command('time', 0);
const LOLWUT = command('lolwut', R);
const LATENCY_DOCTOR = command('latency|doctor', A);
const LATENCY_GRAPH = command('latency|graph', A);
const LATENCY_HELP = command('latency|help', A);
const LATENCY_HISTOGRAM = command('latency|histogram', A);
const LATENCY_HISTORY = command('latency|history', A);
const LATENCY_LATEST = command('latency|latest', A);
const LATENCY_RESET = command('latency|reset', A);
const MEMORY_DOCTOR = command('memory|doctor', A);
const MEMORY_HELP = command('memory|help', A);
const MEMORY_MALLOC_STATS = command('memory|malloc-stats', A);
const MEMORY_PURGE = command('memory|purge', A);
const MEMORY_STATS = command('memory|stats', A);
const MEMORY_USAGE = command('memory|usage', R, key(2));
const SLOWLOG_GET = command('slowlog|get', A);
const SLOWLOG_HELP = command('slowlog|help', A);
const SLOWLOG_LEN = command('slowlog|len', A);
const SLOWLOG_RESET = command('slowlog|reset', A);
const COMMANDLOG_GET = command('commandlog|get', A);
const COMMANDLOG_HELP = command('commandlog|help', A);
const COMMANDLOG_LEN = command('commandlog|len', A);
const COMMANDLOG_RESET = command('commandlog|reset', A);

const MODULE_HELP = command('module|help', A);
const MODULE_LIST = command('module|list', A);
const MODULE_LOAD = command('module|load', A);
const MODULE_LOADEX = command('module|loadex', A);
const MODULE_UNLOAD = command('module|unload', A);

exclude('monitor', 'streams every command the server runs on the connection, which would take over the shared one: monitor() gives it a connection and an object of its own');
exclude('sync', 'spoken by replicas to their primary, never by applications');
exclude('psync', 'spoken by replicas to their primary, never by applications');
exclude('replconf', 'spoken by replicas to their primary, never by applications');
exclude('debug', 'a tool for testing and crashing the server, not for applications; call("DEBUG", …) reaches it in tests');
exclude('restore-asking', 'sent by MIGRATE between cluster nodes during slot migration, never by applications');

// ---- builders and transforms --------------------------------------------------------------------------

const MODES = ['ASYNC', 'SYNC'] as const;

function flushBuilder(cmd: string) {
  return (mode?: 'ASYNC' | 'SYNC'): RedisArg[] => {
    if (mode === undefined) return [cmd];
    checkOneOf(cmd, 'mode', mode, MODES);
    return [cmd, mode];
  };
}

function parseAclUser(v: unknown): AclUserReply | null {
  if (v === null) return null;
  const o = toObject<unknown>(v);
  const out = deepText(o) as Record<string, unknown>;
  out['flags'] = textArray(o['flags']);
  out['passwords'] = textArray(o['passwords']);
  out['selectors'] = Array.isArray(o['selectors']) ? o['selectors'].map((s) => deepText(toObject(s))) : [];
  return out as unknown as AclUserReply;
}

function parseAclLog(v: unknown): AclLogEntry[] {
  return (v as unknown[]).map((e) => {
    const o = toObject<unknown>(e);
    const entry: AclLogEntry = {
      count: toNumber(o['count']),
      reason: text(o['reason']),
      context: text(o['context']),
      object: text(o['object']),
      username: text(o['username']),
      ageSeconds: toNumber(o['age-seconds']),
      clientInfo: parseClientLine(text(o['client-info'])),
    };
    if (o['entry-id'] !== undefined) entry.entryId = toNumber(o['entry-id']);
    if (o['timestamp-created'] !== undefined) entry.timestampCreated = toNumber(o['timestamp-created']);
    if (o['timestamp-last-updated'] !== undefined) entry.timestampLastUpdated = toNumber(o['timestamp-last-updated']);
    return entry;
  });
}

function parseKeySpec(v: unknown): CommandKeySpec {
  const o = toObject<unknown>(v);
  const part = (p: unknown): { type: string; spec: Record<string, string | number> } => {
    const po = toObject<unknown>(p);
    const spec = toObject<unknown>(po['spec'] ?? null);
    const out: Record<string, string | number> = {};
    for (const k of Object.keys(spec)) setOwn(out, k, numberIfNumeric(spec[k]));
    return { type: text(po['type']), spec: out };
  };
  const ks: CommandKeySpec = {
    flags: textArray(o['flags']),
    begin_search: part(o['begin_search']),
    find_keys: part(o['find_keys']),
  };
  if (o['notes'] !== undefined) ks.notes = text(o['notes']);
  return ks;
}

function parseCommandInfo(v: unknown): CommandInfoReply | null {
  if (v === null) return null;
  const a = v as unknown[];
  return {
    name: text(a[0]),
    arity: toNumber(a[1]),
    flags: textArray(a[2]),
    firstKey: toNumber(a[3]),
    lastKey: toNumber(a[4]),
    step: toNumber(a[5]),
    aclCategories: textArray(a[6]),
    tips: textArray(a[7]),
    keySpecs: Array.isArray(a[8]) ? a[8].map(parseKeySpec) : [],
    subcommands: Array.isArray(a[9]) ? (a[9].map(parseCommandInfo) as CommandInfoReply[]) : [],
  };
}

function parseArgumentDoc(v: unknown): CommandArgumentDoc {
  const o = toObject<unknown>(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const x = o[k];
    setOwn(out, k, k === 'arguments' ? (x as unknown[]).map(parseArgumentDoc) : deepText(x));
  }
  return out as unknown as CommandArgumentDoc;
}

function parseCommandDoc(v: unknown): CommandDoc {
  const o = toObject<unknown>(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (k === 'arguments') setOwn(out, k, (x as unknown[]).map(parseArgumentDoc));
    else if (k === 'subcommands') setOwn(out, k, parseCommandDocs(x));
    else setOwn(out, k, deepText(x));
  }
  return out as unknown as CommandDoc;
}

function parseCommandDocs(v: unknown): Record<string, CommandDoc> {
  const o = toObject<unknown>(v);
  const out: Record<string, CommandDoc> = {};
  for (const k of Object.keys(o)) setOwn(out, k, parseCommandDoc(o[k]));
  return out;
}

function commandLineBuilder(cmd: string, words: string[]) {
  return (name: string, args: RedisValue[]): RedisArg[] => {
    checkKey(cmd, 'command', name);
    const argv: RedisArg[] = [...words, name];
    for (const a of args) {
      checkValue(cmd, 'arg', a);
      argv.push(a);
    }
    return argv;
  };
}

function buildCommandList(o?: CommandListOptions): RedisArg[] {
  checkOptions('COMMAND LIST', o);
  const f = o?.filterby;
  if (f === undefined) return ['COMMAND', 'LIST'];
  if (f === null || typeof f !== 'object') throw new DataError('COMMAND LIST: filterby must be an object');
  const set = (['module', 'aclcat', 'pattern'] as const).filter((k) => (f as Record<string, unknown>)[k] !== undefined);
  if (set.length !== 1) throw new DataError('COMMAND LIST: filterby takes exactly one of module, aclcat, pattern');
  const which = set[0]!;
  const value = (f as Record<string, unknown>)[which];
  checkKey('COMMAND LIST', which, value);
  return ['COMMAND', 'LIST', 'FILTERBY', which.toUpperCase(), value as RedisArg];
}

function buildConfigSet(params: unknown, value?: unknown): RedisArg[] {
  if (typeof params === 'string' || Buffer.isBuffer(params)) {
    checkValue('CONFIG SET', 'value', value);
    return ['CONFIG', 'SET', params, value as RedisArg];
  }
  return pairsArgv('CONFIG SET', ['CONFIG', 'SET'], 'parameters', params);
}

function buildFailover(o?: FailoverOptions): RedisArg[] {
  checkOptions('FAILOVER', o);
  const argv: RedisArg[] = ['FAILOVER'];
  if (o === undefined) return argv;
  if (o.to !== undefined) {
    if (o.to === null || typeof o.to !== 'object') throw new DataError('FAILOVER: to must be an object { host, port, force? }');
    checkKey('FAILOVER', 'to.host', o.to.host);
    checkInteger('FAILOVER', 'to.port', o.to.port);
    argv.push('TO', o.to.host, o.to.port);
    if (o.to.force) argv.push('FORCE');
  }
  if (o.abort) argv.push('ABORT');
  if (o.timeout !== undefined) {
    checkInteger('FAILOVER', 'timeout', o.timeout);
    argv.push('TIMEOUT', o.timeout);
  }
  return argv;
}

function replicaofBuilder(cmd: string) {
  return (host: string, port: number | 'ONE'): RedisArg[] => {
    checkKey(cmd, 'host', host);
    if (typeof host === 'string' && host.toUpperCase() === 'NO' && typeof port === 'string' && port.toUpperCase() === 'ONE') {
      return [cmd, 'NO', 'ONE'];
    }
    checkInteger(cmd, 'port', port);
    return [cmd, host, port];
  };
}

function parseRole(v: unknown): RoleReply {
  const a = v as unknown[];
  const role = text(a[0]);
  if (role === 'master') {
    return {
      role: 'master',
      replicationOffset: toNumber(a[1]),
      replicas: ((a[2] ?? []) as unknown[][]).map((r) => ({
        host: text(r[0]),
        port: toNumber(r[1]),
        replicationOffset: toNumber(r[2]),
      })),
    };
  }
  if (role === 'slave' || role === 'replica') {
    return {
      role: 'replica',
      masterHost: text(a[1]),
      masterPort: toNumber(a[2]),
      state: text(a[3]),
      replicationOffset: toNumber(a[4]),
    };
  }
  return { role: 'sentinel', masterNames: textArray(a[1]) };
}

function buildShutdown(o?: ShutdownOptions): RedisArg[] {
  checkOptions('SHUTDOWN', o);
  const argv: RedisArg[] = ['SHUTDOWN'];
  if (o === undefined) return argv;
  if (o.nosave && o.save) throw new DataError('SHUTDOWN: nosave and save exclude each other');
  if (o.abort && (o.nosave || o.save || o.now || o.force)) throw new DataError('SHUTDOWN: abort cannot be combined with other options');
  if (o.nosave) argv.push('NOSAVE');
  if (o.save) argv.push('SAVE');
  if (o.now) argv.push('NOW');
  if (o.force) argv.push('FORCE');
  if (o.abort) argv.push('ABORT');
  return argv;
}

function parseLatencyHistogram(v: unknown): Record<string, LatencyHistogram> {
  const o = toObject<unknown>(v);
  const out: Record<string, LatencyHistogram> = {};
  for (const name of Object.keys(o)) {
    const h = toObject<unknown>(o[name]);
    const buckets = toObject<unknown>(h['histogram_usec'] ?? null);
    const hist: Record<string, number> = {};
    for (const b of Object.keys(buckets)) setOwn(hist, b, toNumber(buckets[b]));
    setOwn(out, name, { calls: toNumber(h['calls']), histogram_usec: hist });
  }
  return out;
}

function parseMemoryStats(v: unknown): MemoryStats {
  const o = toObject<unknown>(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (Array.isArray(x) || (x !== null && typeof x === 'object' && !Buffer.isBuffer(x))) {
      const inner = toObject<unknown>(x);
      const nested: Record<string, unknown> = {};
      for (const ik of Object.keys(inner)) setOwn(nested, ik, numberIfNumeric(inner[ik]));
      setOwn(out, k, nested);
    } else {
      setOwn(out, k, numberIfNumeric(x));
    }
  }
  return out as MemoryStats;
}

function logEntry(e: unknown): { id: number; timestamp: number; value: number; args: unknown[]; clientAddress: string; clientName: string } {
  const a = e as unknown[];
  return {
    id: toNumber(a[0]),
    timestamp: toNumber(a[1]),
    value: toNumber(a[2]),
    args: (a[3] ?? []) as unknown[],
    clientAddress: text(a[4]),
    clientName: text(a[5]),
  };
}

function parseSlowlog(v: unknown): SlowlogEntry<unknown>[] {
  return (v as unknown[]).map((e) => {
    const x = logEntry(e);
    return { id: x.id, timestamp: x.timestamp, duration: x.value, args: x.args, clientAddress: x.clientAddress, clientName: x.clientName };
  });
}

const COMMANDLOG_TYPES = ['SLOW', 'LARGE-REQUEST', 'LARGE-REPLY'] as const;

function checkCommandlogType(cmd: string, type: unknown): void {
  checkOneOf(cmd, 'type', type, COMMANDLOG_TYPES);
}

function buildModuleLoadex(path: string, o?: ModuleLoadexOptions): RedisArg[] {
  checkKey('MODULE LOADEX', 'path', path);
  checkOptions('MODULE LOADEX', o);
  const argv: RedisArg[] = ['MODULE', 'LOADEX', path];
  if (o?.config !== undefined) {
    const pairs = Array.isArray(o.config) ? o.config : Object.entries(o.config ?? {});
    for (const p of pairs) {
      if (!Array.isArray(p) || p.length !== 2) throw new DataError('MODULE LOADEX: each config entry must be a [name, value] pair');
      checkKey('MODULE LOADEX', 'config name', p[0]);
      checkValue('MODULE LOADEX', 'config value', p[1]);
      argv.push('CONFIG', p[0], p[1]);
    }
  }
  if (o?.args !== undefined) {
    if (!Array.isArray(o.args)) throw new DataError('MODULE LOADEX: args must be an array');
    if (o.args.length > 0) {
      argv.push('ARGS');
      for (const a of o.args) {
        checkValue('MODULE LOADEX', 'args', a);
        argv.push(a);
      }
    }
  }
  return argv;
}

function parseModuleList(v: unknown): ModuleInfo[] {
  return (v as unknown[]).map((m) => {
    const o = toObject<unknown>(m);
    const info: ModuleInfo = { name: text(o['name']), ver: toNumber(o['ver']) };
    if (o['path'] !== undefined) info.path = text(o['path']);
    if (o['args'] !== undefined) info.args = textArray(o['args']);
    return info;
  });
}

function optionalCount(cmd: string, words: string[]) {
  return (count?: number): RedisArg[] => {
    if (count === undefined) return words.slice();
    checkInteger(cmd, 'count', count);
    return [...words, count];
  };
}

function stringsBuilder(cmd: string, words: string[], argName: string, min = 0) {
  return (names: string[]): RedisArg[] => namesArgv(cmd, words.slice(), argName, names, min);
}

export const serverMethods = {
  aclCat: method(ACL_CAT, (category?: string) => {
    if (category === undefined) return ['ACL', 'CAT'];
    checkKey('ACL CAT', 'category', category);
    return ['ACL', 'CAT', category];
  }, textArray),
  aclDeluser: variadic(ACL_DELUSER, 0, stringsBuilder('ACL DELUSER', ['ACL', 'DELUSER'], 'username', 1)),
  aclDryrun: variadic(ACL_DRYRUN, 2, (username: string, cmd: string, args: RedisValue[]) => {
    checkKey('ACL DRYRUN', 'username', username);
    return commandLineBuilder('ACL DRYRUN', ['ACL', 'DRYRUN', username])(cmd, args);
  }, text),
  aclGenpass: method(ACL_GENPASS, (bits?: number) => {
    if (bits === undefined) return ['ACL', 'GENPASS'];
    checkInteger('ACL GENPASS', 'bits', bits);
    return ['ACL', 'GENPASS', bits];
  }, text),
  aclGetuser: method(ACL_GETUSER, (username: string) => {
    checkKey('ACL GETUSER', 'username', username);
    return ['ACL', 'GETUSER', username];
  }, parseAclUser),
  aclHelp: method(ACL_HELP, noArgs('ACL', 'HELP'), helpLines),
  aclList: method(ACL_LIST, noArgs('ACL', 'LIST'), textArray),
  aclLoad: method(ACL_LOAD, noArgs('ACL', 'LOAD')),
  aclLog: method(ACL_LOG, optionalCount('ACL LOG', ['ACL', 'LOG']), parseAclLog),
  aclLogReset: method(ACL_LOG, noArgs('ACL', 'LOG', 'RESET')),
  aclSave: method(ACL_SAVE, noArgs('ACL', 'SAVE')),
  aclSetuser: variadic(ACL_SETUSER, 1, (username: string, rules: string[]) => {
    checkKey('ACL SETUSER', 'username', username);
    return namesArgv('ACL SETUSER', ['ACL', 'SETUSER', username], 'rule', rules);
  }),
  aclUsers: method(ACL_USERS, noArgs('ACL', 'USERS'), textArray),
  aclWhoami: method(ACL_WHOAMI, noArgs('ACL', 'WHOAMI'), text),

  bgrewriteaof: method(BGREWRITEAOF, noArgs('BGREWRITEAOF'), text),
  bgsave: method(BGSAVE, (o?: { schedule?: boolean }) => {
    checkOptions('BGSAVE', o);
    return o?.schedule ? ['BGSAVE', 'SCHEDULE'] : ['BGSAVE'];
  }, text),
  save: method(SAVE, noArgs('SAVE')),
  lastsave: method(LASTSAVE, noArgs('LASTSAVE')),

  command: method(COMMAND, noArgs('COMMAND'), (v: unknown) => (v as unknown[]).map(parseCommandInfo)),
  commandCount: method(COMMAND_COUNT, noArgs('COMMAND', 'COUNT')),
  commandDocs: variadic(COMMAND_DOCS, 0, stringsBuilder('COMMAND DOCS', ['COMMAND', 'DOCS'], 'command name'), parseCommandDocs),
  commandGetkeys: variadic(COMMAND_GETKEYS, 1, commandLineBuilder('COMMAND GETKEYS', ['COMMAND', 'GETKEYS'])),
  commandGetkeysandflags: variadic(
    COMMAND_GETKEYSANDFLAGS,
    1,
    commandLineBuilder('COMMAND GETKEYSANDFLAGS', ['COMMAND', 'GETKEYSANDFLAGS']),
    (v: unknown) => (v as unknown[][]).map((e) => ({ key: e[0], flags: textArray(e[1]) })),
  ),
  commandHelp: method(COMMAND_HELP, noArgs('COMMAND', 'HELP'), helpLines),
  commandInfo: variadic(COMMAND_INFO, 0, stringsBuilder('COMMAND INFO', ['COMMAND', 'INFO'], 'command name'), (v: unknown) =>
    (v as unknown[]).map(parseCommandInfo),
  ),
  commandList: method(COMMAND_LIST, buildCommandList, textArray),

  configGet: variadic(CONFIG_GET, 0, stringsBuilder('CONFIG GET', ['CONFIG', 'GET'], 'parameter', 1), textObject),
  configHelp: method(CONFIG_HELP, noArgs('CONFIG', 'HELP'), helpLines),
  configResetstat: method(CONFIG_RESETSTAT, noArgs('CONFIG', 'RESETSTAT')),
  configRewrite: method(CONFIG_REWRITE, noArgs('CONFIG', 'REWRITE')),
  configSet: method(CONFIG_SET, buildConfigSet),

  dbsize: method(DBSIZE, noArgs('DBSIZE')),
  flushdb: method(FLUSHDB, flushBuilder('FLUSHDB')),
  flushall: method(FLUSHALL, flushBuilder('FLUSHALL')),
  swapdb: method(SWAPDB, (a: number, b: number) => {
    checkInteger('SWAPDB', 'index1', a);
    checkInteger('SWAPDB', 'index2', b);
    return ['SWAPDB', a, b];
  }),

  failover: method(FAILOVER, buildFailover),
  replicaof: method(REPLICAOF, replicaofBuilder('REPLICAOF')),
  slaveof: method(SLAVEOF, replicaofBuilder('SLAVEOF')),
  role: method(ROLE, noArgs('ROLE'), parseRole),
  shutdown: method(SHUTDOWN, buildShutdown),

  info: variadic(INFO, 0, stringsBuilder('INFO', ['INFO'], 'section'), parseInfo),
  time: method(TIME, noArgs('TIME'), (v: unknown): TimeReply => {
    const a = v as unknown[];
    return { seconds: toNumber(a[0]), microseconds: toNumber(a[1]) };
  }),
  lolwut: method(LOLWUT, (o?: { version?: number }) => {
    checkOptions('LOLWUT', o);
    if (o?.version === undefined) return ['LOLWUT'];
    checkInteger('LOLWUT', 'version', o.version);
    return ['LOLWUT', 'VERSION', o.version];
  }, text),
  latencyDoctor: method(LATENCY_DOCTOR, noArgs('LATENCY', 'DOCTOR'), text),
  latencyGraph: method(LATENCY_GRAPH, (event: string) => {
    checkKey('LATENCY GRAPH', 'event', event);
    return ['LATENCY', 'GRAPH', event];
  }, text),
  latencyHelp: method(LATENCY_HELP, noArgs('LATENCY', 'HELP'), helpLines),
  latencyHistogram: variadic(LATENCY_HISTOGRAM, 0, stringsBuilder('LATENCY HISTOGRAM', ['LATENCY', 'HISTOGRAM'], 'command'), parseLatencyHistogram),
  latencyHistory: method(LATENCY_HISTORY, (event: string) => {
    checkKey('LATENCY HISTORY', 'event', event);
    return ['LATENCY', 'HISTORY', event];
  }, (v: unknown) => (v as unknown[][]).map((e) => ({ timestamp: toNumber(e[0]), latency: toNumber(e[1]) }))),
  latencyLatest: method(LATENCY_LATEST, noArgs('LATENCY', 'LATEST'), (v: unknown) =>
    (v as unknown[][]).map((e) => ({ event: text(e[0]), timestamp: toNumber(e[1]), latest: toNumber(e[2]), max: toNumber(e[3]) })),
  ),
  latencyReset: variadic(LATENCY_RESET, 0, stringsBuilder('LATENCY RESET', ['LATENCY', 'RESET'], 'event')),
  memoryDoctor: method(MEMORY_DOCTOR, noArgs('MEMORY', 'DOCTOR'), text),
  memoryHelp: method(MEMORY_HELP, noArgs('MEMORY', 'HELP'), helpLines),
  memoryMallocStats: method(MEMORY_MALLOC_STATS, noArgs('MEMORY', 'MALLOC-STATS'), text),
  memoryPurge: method(MEMORY_PURGE, noArgs('MEMORY', 'PURGE')),
  memoryStats: method(MEMORY_STATS, noArgs('MEMORY', 'STATS'), parseMemoryStats),
  memoryUsage: method(MEMORY_USAGE, (k: RedisKey, o?: { samples?: number }) => {
    checkKey('MEMORY USAGE', 'key', k);
    checkOptions('MEMORY USAGE', o);
    if (o?.samples === undefined) return ['MEMORY', 'USAGE', k];
    checkInteger('MEMORY USAGE', 'samples', o.samples);
    return ['MEMORY', 'USAGE', k, 'SAMPLES', o.samples];
  }),
  slowlogGet: method(SLOWLOG_GET, optionalCount('SLOWLOG GET', ['SLOWLOG', 'GET']), parseSlowlog),
  slowlogHelp: method(SLOWLOG_HELP, noArgs('SLOWLOG', 'HELP'), helpLines),
  slowlogLen: method(SLOWLOG_LEN, noArgs('SLOWLOG', 'LEN')),
  slowlogReset: method(SLOWLOG_RESET, noArgs('SLOWLOG', 'RESET')),
  commandlogGet: method(COMMANDLOG_GET, (count: number, type: CommandlogType) => {
    checkInteger('COMMANDLOG GET', 'count', count);
    checkCommandlogType('COMMANDLOG GET', type);
    return ['COMMANDLOG', 'GET', count, type];
  }, (v: unknown) => (v as unknown[]).map(logEntry)),
  commandlogHelp: method(COMMANDLOG_HELP, noArgs('COMMANDLOG', 'HELP'), helpLines),
  commandlogLen: method(COMMANDLOG_LEN, (type: CommandlogType) => {
    checkCommandlogType('COMMANDLOG LEN', type);
    return ['COMMANDLOG', 'LEN', type];
  }),
  commandlogReset: method(COMMANDLOG_RESET, (type: CommandlogType) => {
    checkCommandlogType('COMMANDLOG RESET', type);
    return ['COMMANDLOG', 'RESET', type];
  }),

  moduleHelp: method(MODULE_HELP, noArgs('MODULE', 'HELP'), helpLines),
  moduleList: method(MODULE_LIST, noArgs('MODULE', 'LIST'), parseModuleList),
  moduleLoad: variadic(MODULE_LOAD, 1, (path: string, args: RedisValue[]) => {
    checkKey('MODULE LOAD', 'path', path);
    const argv: RedisArg[] = ['MODULE', 'LOAD', path];
    for (const a of args) {
      checkValue('MODULE LOAD', 'arg', a);
      argv.push(a);
    }
    return argv;
  }),
  moduleLoadex: method(MODULE_LOADEX, buildModuleLoadex),
  moduleUnload: method(MODULE_UNLOAD, (name: string) => {
    checkKey('MODULE UNLOAD', 'name', name);
    return ['MODULE', 'UNLOAD', name];
  }),
};
