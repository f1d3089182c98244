import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisValue, type Result } from './command.js';
import { checkInteger, checkKey, command, method, variadic } from './registry.js';
import { checkOneOf, namesArgv, noArgs, pairsArgv } from './build.js';
import { helpLines, parseInfo, setOwn, text, textArray, textObject, toBoolean, toNumber, toObject } from './transforms.js';
import type { InfoReply } from './server.js';

const A = Flag.ADMIN;

/**
 * A monitored primary, replica or fellow sentinel as SENTINEL MASTER(S) / REPLICAS / SENTINELS
 * describe it. Counters and times are numbers, `flags` a list; other fields as the server sends them.
 */
export interface SentinelInstance {
  name: string;
  ip: string;
  port: number;
  runid: string;
  /** e.g. ['master'], ['slave', 's_down'], ['sentinel']. */
  flags: string[];
  [field: string]: string | number | string[];
}

/** The reply of SENTINEL IS-MASTER-DOWN-BY-ADDR: this sentinel's view and its vote for a failover leader. */
export interface SentinelMasterDownReply {
  /** Whether this sentinel thinks the primary is down. */
  down: boolean;
  /** The sentinel this one voted for as failover leader; null when it did not vote. */
  leader: string | null;
  leaderEpoch: number;
}

/** SENTINEL INFO-CACHE: per primary, the cached INFO of it and its replicas with their age. */
export type SentinelInfoCache = Record<string, Array<{ ageMs: number; info: InfoReply | null }>>;

export interface SentinelCommands<C> {
  /** Whether the sentinels watching a primary can reach the quorum; resolves the server's explanation. */
  sentinelCkquorum(masterName: string): Result<C, string>;
  sentinelConfigGet(...parameters: string[]): Result<C, Record<string, string>>;
  sentinelConfigGet(parameters: ReadonlyArray<string>): Result<C, Record<string, string>>;
  sentinelConfigSet(parameters: Record<string, RedisValue> | Array<[string, RedisValue]>): Result<C, 'OK'>;
  sentinelConfigSet(parameter: string, value: RedisValue): Result<C, 'OK'>;
  /** The sentinel's timing parameters, or (with parameters) changes them. */
  sentinelDebug(): Result<C, Record<string, string>>;
  sentinelDebug(parameters: Record<string, RedisValue> | Array<[string, RedisValue]>): Result<C, 'OK'>;
  /** Forces a failover of a primary without asking the other sentinels. */
  sentinelFailover(masterName: string): Result<C, 'OK'>;
  /** Rewrites the sentinel's config file. */
  sentinelFlushconfig(): Result<C, 'OK'>;
  /** Where the primary is now; null for an unknown name. */
  sentinelGetMasterAddrByName(masterName: string): Result<C, { host: string; port: number } | null>;
  sentinelHelp(): Result<C, string[]>;
  sentinelInfoCache(...masterNames: string[]): Result<C, SentinelInfoCache>;
  sentinelInfoCache(masterNames: ReadonlyArray<string>): Result<C, SentinelInfoCache>;
  /** Asks whether ip:port is down and (with a runid rather than '*') for a vote. Spoken between sentinels. */
  sentinelIsMasterDownByAddr(ip: string, port: number, currentEpoch: number, runid: string): Result<C, SentinelMasterDownReply>;
  sentinelMaster(masterName: string): Result<C, SentinelInstance>;
  sentinelMasters(): Result<C, SentinelInstance[]>;
  /** Starts watching a primary. */
  sentinelMonitor(name: string, ip: string, port: number, quorum: number): Result<C, 'OK'>;
  sentinelMyid(): Result<C, string>;
  /** Notification and reconfiguration scripts queued or running. */
  sentinelPendingScripts(): Result<C, Array<Record<string, string | number | string[]>>>;
  /** Stops watching a primary. */
  sentinelRemove(masterName: string): Result<C, 'OK'>;
  sentinelReplicas(masterName: string): Result<C, SentinelInstance[]>;
  /** Forgets the state of the primaries matching a glob pattern; resolves how many. */
  sentinelReset(pattern: string): Result<C, number>;
  sentinelSentinels(masterName: string): Result<C, SentinelInstance[]>;
  /** Changes a watched primary's settings: `sentinelSet('mymaster', { 'down-after-milliseconds': 5000 })`. */
  sentinelSet(masterName: string, options: Record<string, RedisValue> | Array<[string, RedisValue]>): Result<C, 'OK'>;
  /** Makes this sentinel crash at a failover step, for testing failover handling. */
  sentinelSimulateFailure(...modes: Array<'CRASH-AFTER-ELECTION' | 'CRASH-AFTER-PROMOTION'>): Result<C, 'OK'>;
  sentinelSimulateFailure(modes: ReadonlyArray<'CRASH-AFTER-ELECTION' | 'CRASH-AFTER-PROMOTION'>): Result<C, 'OK'>;
  /** The old name of SENTINEL REPLICAS. */
  sentinelSlaves(masterName: string): Result<C, SentinelInstance[]>;
  /** Valkey 8+: SENTINEL MASTER under its new name. */
  sentinelPrimary(primaryName: string): Result<C, SentinelInstance>;
  /** Valkey 8+: SENTINEL MASTERS under its new name. */
  sentinelPrimaries(): Result<C, SentinelInstance[]>;
  /** Valkey 8+: SENTINEL GET-MASTER-ADDR-BY-NAME under its new name. */
  sentinelGetPrimaryAddrByName(primaryName: string): Result<C, { host: string; port: number } | null>;
  /** Valkey 8+: SENTINEL IS-MASTER-DOWN-BY-ADDR under its new name. */
  sentinelIsPrimaryDownByAddr(ip: string, port: number, currentEpoch: number, runid: string): Result<C, SentinelMasterDownReply>;
}

const CKQUORUM = command('sentinel|ckquorum', A);
const CONFIG = command('sentinel|config', A);
const DEBUG = command('sentinel|debug', A);
const FAILOVER = command('sentinel|failover', A);
const FLUSHCONFIG = command('sentinel|flushconfig', A);
const GET_MASTER_ADDR_BY_NAME = command('sentinel|get-master-addr-by-name', A);
const HELP = command('sentinel|help', A);
const INFO_CACHE = command('sentinel|info-cache', A);
const IS_MASTER_DOWN_BY_ADDR = command('sentinel|is-master-down-by-addr', A);
const MASTER = command('sentinel|master', A);
const MASTERS = command('sentinel|masters', A);
const MONITOR = command('sentinel|monitor', A);
const MYID = command('sentinel|myid', A);
const PENDING_SCRIPTS = command('sentinel|pending-scripts', A);
const REMOVE = command('sentinel|remove', A);
const REPLICAS = command('sentinel|replicas', A);
const RESET = command('sentinel|reset', A);
const SENTINELS = command('sentinel|sentinels', A);
const SET = command('sentinel|set', A);
const SIMULATE_FAILURE = command('sentinel|simulate-failure', A);
const SLAVES = command('sentinel|slaves', A);
const PRIMARY = command('sentinel|primary', A);
const PRIMARIES = command('sentinel|primaries', A);
const GET_PRIMARY_ADDR_BY_NAME = command('sentinel|get-primary-addr-by-name', A);
const IS_PRIMARY_DOWN_BY_ADDR = command('sentinel|is-primary-down-by-addr', A);

/** Fields that look numeric at times but are names or addresses. */
const TEXT_FIELDS = new Set(['name', 'ip', 'runid', 'master-host', 'voted-leader', 'role-reported', 'master-link-status']);

function parseInstance(v: unknown): SentinelInstance {
  const o = toObject<unknown>(v);
  const out: Record<string, string | number | string[]> = {};
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (k === 'flags') setOwn(out, k, text(x).split(',').filter((f) => f !== ''));
    else if (typeof x === 'number') setOwn(out, k, x);
    else {
      const s = text(x);
      setOwn(out, k, !TEXT_FIELDS.has(k) && /^-?\d+$/.test(s) ? Number(s) : s);
    }
  }
  return out as SentinelInstance;
}

const instances = (v: unknown) => ((v ?? []) as unknown[]).map(parseInstance);

function masterName(cmd: string, sub: string, argName = 'masterName') {
  return (name: string): RedisArg[] => {
    checkKey(cmd, argName, name);
    return ['SENTINEL', sub, name];
  };
}

function parseAddr(v: unknown): { host: string; port: number } | null {
  if (v === null) return null;
  const a = v as unknown[];
  return { host: text(a[0]), port: toNumber(a[1]) };
}

function downByAddr(sub: string) {
  const cmd = `SENTINEL ${sub}`;
  return (ip: string, port: number, epoch: number, runid: string): RedisArg[] => {
    checkKey(cmd, 'ip', ip);
    checkInteger(cmd, 'port', port);
    checkInteger(cmd, 'currentEpoch', epoch);
    checkKey(cmd, 'runid', runid);
    return ['SENTINEL', sub, ip, port, epoch, runid];
  };
}

function parseDown(v: unknown): SentinelMasterDownReply {
  const a = v as unknown[];
  const leader = text(a[1]);
  return { down: toBoolean(a[0]), leader: leader === '*' ? null : leader, leaderEpoch: toNumber(a[2]) };
}

function parseInfoCache(v: unknown): SentinelInfoCache {
  const o = toObject<unknown>(v);
  const out: SentinelInfoCache = {};
  for (const name of Object.keys(o)) {
    const entries = ((o[name] ?? []) as unknown[][]).map((e) => ({
      ageMs: toNumber(e[0]),
      info: e[1] === null || e[1] === undefined ? null : parseInfo(text(e[1])),
    }));
    setOwn(out, name, entries);
  }
  return out;
}

function parsePendingScripts(v: unknown): Array<Record<string, string | number | string[]>> {
  return ((v ?? []) as unknown[]).map((s) => {
    const o = toObject<unknown>(s);
    const out: Record<string, string | number | string[]> = {};
    for (const k of Object.keys(o)) {
      const x = o[k];
      if (Array.isArray(x)) setOwn(out, k, textArray(x));
      else if (typeof x === 'number') setOwn(out, k, x);
      else {
        const t = text(x);
        setOwn(out, k, /^-?\d+$/.test(t) ? Number(t) : t);
      }
    }
    return out;
  });
}

export const sentinelMethods = {
  sentinelCkquorum: method(CKQUORUM, masterName('SENTINEL CKQUORUM', 'CKQUORUM'), text),
  sentinelConfigGet: variadic(CONFIG, 0, (parameters: string[]) =>
    namesArgv('SENTINEL CONFIG GET', ['SENTINEL', 'CONFIG', 'GET'], 'parameter', parameters, 1), textObject),
  sentinelConfigSet: method(CONFIG, (params: unknown, value?: RedisValue) => {
    if (typeof params === 'string' || Buffer.isBuffer(params)) {
      return pairsArgv('SENTINEL CONFIG SET', ['SENTINEL', 'CONFIG', 'SET'], 'parameters', [[params, value]]);
    }
    return pairsArgv('SENTINEL CONFIG SET', ['SENTINEL', 'CONFIG', 'SET'], 'parameters', params);
  }),
  sentinelDebug: method(DEBUG, (params?: unknown) =>
    params === undefined ? ['SENTINEL', 'DEBUG'] : pairsArgv('SENTINEL DEBUG', ['SENTINEL', 'DEBUG'], 'parameters', params),
  (v: unknown) => (v === 'OK' ? v : textObject(v))),
  sentinelFailover: method(FAILOVER, masterName('SENTINEL FAILOVER', 'FAILOVER')),
  sentinelFlushconfig: method(FLUSHCONFIG, noArgs('SENTINEL', 'FLUSHCONFIG')),
  sentinelGetMasterAddrByName: method(GET_MASTER_ADDR_BY_NAME, masterName('SENTINEL GET-MASTER-ADDR-BY-NAME', 'GET-MASTER-ADDR-BY-NAME'), parseAddr),
  sentinelHelp: method(HELP, noArgs('SENTINEL', 'HELP'), helpLines),
  sentinelInfoCache: variadic(INFO_CACHE, 0, (names: string[]) =>
    namesArgv('SENTINEL INFO-CACHE', ['SENTINEL', 'INFO-CACHE'], 'masterName', names, 1), parseInfoCache),
  sentinelIsMasterDownByAddr: method(IS_MASTER_DOWN_BY_ADDR, downByAddr('IS-MASTER-DOWN-BY-ADDR'), parseDown),
  sentinelMaster: method(MASTER, masterName('SENTINEL MASTER', 'MASTER'), parseInstance),
  sentinelMasters: method(MASTERS, noArgs('SENTINEL', 'MASTERS'), instances),
  sentinelMonitor: method(MONITOR, (name: string, ip: string, port: number, quorum: number) => {
    const cmd = 'SENTINEL MONITOR';
    checkKey(cmd, 'name', name);
    checkKey(cmd, 'ip', ip);
    checkInteger(cmd, 'port', port);
    checkInteger(cmd, 'quorum', quorum);
    return ['SENTINEL', 'MONITOR', name, ip, port, quorum];
  }),
  sentinelMyid: method(MYID, noArgs('SENTINEL', 'MYID'), text),
  sentinelPendingScripts: method(PENDING_SCRIPTS, noArgs('SENTINEL', 'PENDING-SCRIPTS'), parsePendingScripts),
  sentinelRemove: method(REMOVE, masterName('SENTINEL REMOVE', 'REMOVE')),
  sentinelReplicas: method(REPLICAS, masterName('SENTINEL REPLICAS', 'REPLICAS'), instances),
  sentinelReset: method(RESET, (pattern: string) => {
    checkKey('SENTINEL RESET', 'pattern', pattern);
    return ['SENTINEL', 'RESET', pattern];
  }),
  sentinelSentinels: method(SENTINELS, masterName('SENTINEL SENTINELS', 'SENTINELS'), instances),
  sentinelSet: method(SET, (name: string, options: unknown) => {
    checkKey('SENTINEL SET', 'masterName', name);
    return pairsArgv('SENTINEL SET', ['SENTINEL', 'SET', name], 'options', options);
  }),
  sentinelSimulateFailure: variadic(SIMULATE_FAILURE, 0, (modes: string[]) => {
    const cmd = 'SENTINEL SIMULATE-FAILURE';
    if (modes.length === 0) throw new DataError(`${cmd}: at least one mode is required`);
    const argv: RedisArg[] = ['SENTINEL', 'SIMULATE-FAILURE'];
    for (const m of modes) {
      checkOneOf(cmd, 'mode', m, ['CRASH-AFTER-ELECTION', 'CRASH-AFTER-PROMOTION'] as const);
      argv.push(m);
    }
    return argv;
  }),
  sentinelSlaves: method(SLAVES, masterName('SENTINEL SLAVES', 'SLAVES'), instances),
  sentinelPrimary: method(PRIMARY, masterName('SENTINEL PRIMARY', 'PRIMARY', 'primaryName'), parseInstance),
  sentinelPrimaries: method(PRIMARIES, noArgs('SENTINEL', 'PRIMARIES'), instances),
  sentinelGetPrimaryAddrByName: method(GET_PRIMARY_ADDR_BY_NAME, masterName('SENTINEL GET-PRIMARY-ADDR-BY-NAME', 'GET-PRIMARY-ADDR-BY-NAME', 'primaryName'), parseAddr),
  sentinelIsPrimaryDownByAddr: method(IS_PRIMARY_DOWN_BY_ADDR, downByAddr('IS-PRIMARY-DOWN-BY-ADDR'), parseDown),
};
