import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type RedisValue, type Result, type Str } from '../commands/command.js';
import { binaryReply, checkInteger, checkKey, checkValue, command, exclude, key, method, typeName, variadic } from '../commands/registry.js';
import { checkOptions, pushNumkeys, type OneOrMany } from '../commands/build.js';
import { toPairs } from '../commands/transforms.js';
import { endsWithFlag, withOption } from '../commands/variants.js';
import { bool, bools, byArgv, checkFinite, num, nums, readRecord } from './common.js';

/**
 * RedisBloom: Bloom and cuckoo filters (BF.*, CF.*), count-min sketches (CMS.*), top-k (TOPK.*) and
 * t-digests (TDIGEST.*). Yes/no replies are booleans (RESP3 sends booleans, RESP2 0/1); estimates
 * are numbers (RESP2 sends doubles as text, 'nan' and 'inf' included); INFO replies are objects with
 * camelCase names.
 */

const R = Flag.READONLY;
const W = Flag.WRITE;

/** Optional tokens of BF.RESERVE: how a Bloom filter grows, or that it does not. */
export interface BfReserveOptions {
  /** How much larger each new sub-filter is (default 2). */
  expansion?: number;
  /** Do not grow: adding past capacity fails. */
  nonscaling?: boolean;
}

/** Optional tokens of BF.INSERT: settings for a filter created on the way, or NOCREATE. */
export interface BfInsertOptions extends BfReserveOptions {
  /** Used when the filter is created. */
  capacity?: number;
  error?: number;
  /** Fail instead of creating the filter. */
  nocreate?: boolean;
}

/** The reply of BF.INFO: a Bloom filter's capacity, size, sub-filters, items and expansion. */
export interface BfInfo {
  capacity: number;
  size: number;
  filters: number;
  itemsInserted: number;
  expansionRate: number | null;
}

/** The one field BF.INFO can be asked for instead of all of them. */
export type BfInfoField = 'CAPACITY' | 'SIZE' | 'FILTERS' | 'ITEMS' | 'EXPANSION';

/** Optional tokens of CF.RESERVE: bucket size, cuckoo kick limit and growth of a cuckoo filter. */
export interface CfReserveOptions {
  bucketSize?: number;
  maxIterations?: number;
  expansion?: number;
}

/** Optional tokens of CF.INSERT and CF.INSERTNX: capacity of a filter created on the way, or NOCREATE. */
export interface CfInsertOptions {
  capacity?: number;
  nocreate?: boolean;
}

/** The reply of CF.INFO: a cuckoo filter's size, buckets, sub-filters, items and settings. */
export interface CfInfo {
  size: number;
  buckets: number;
  filters: number;
  itemsInserted: number;
  itemsDeleted: number;
  bucketSize: number;
  expansionRate: number;
  maxIterations: number;
}

/** One step of SCANDUMP: pass `iterator` to the next call; 0 when done. Feed each to LOADCHUNK. */
export interface ScanDumpChunk {
  iterator: number;
  data: Buffer | null;
}

/** The reply of CMS.INFO: a count-min sketch's width, depth and total count. */
export interface CmsInfo {
  width: number;
  depth: number;
  count: number;
}

/** The dimensions of a top-k sketch for TOPK.RESERVE: width, depth and decay. */
export interface TopkReserveOptions {
  width: number;
  depth: number;
  decay: number;
}

/** The reply of TOPK.INFO: a top-k sketch's k, width, depth and decay. */
export interface TopkInfo {
  k: number;
  width: number;
  depth: number;
  decay: number;
}

/** One item of TOPK.LIST … WITHCOUNT with its estimated count. */
export interface TopkItemCount<S = string> {
  item: S;
  count: number;
}

/** The reply of TDIGEST.INFO: a t-digest's compression, capacity, nodes, weights and memory. */
export interface TdigestInfo {
  compression: number;
  capacity: number;
  mergedNodes: number;
  unmergedNodes: number;
  mergedWeight: number;
  unmergedWeight: number;
  observations: number;
  totalCompressions: number;
  memoryUsage: number;
}

/** Items and their increments: an object, a Map or [item, n] pairs. */
export type Increments = Record<string, number> | Map<RedisKey, number> | ReadonlyArray<readonly [RedisKey, number]>;

export interface BloomCommands<C> {
  // Bloom filters
  /** Creates an empty filter for `capacity` items with false-positive rate `error`. */
  bfReserve(key: RedisKey, error: number, capacity: number, options?: BfReserveOptions): Result<C, 'OK'>;
  /** Adds an item; false when it was (probably) there already. */
  bfAdd(key: RedisKey, item: RedisValue): Result<C, boolean>;
  bfMadd(key: RedisKey, ...items: RedisValue[]): Result<C, boolean[]>;
  bfMadd(key: RedisKey, items: ReadonlyArray<RedisValue>): Result<C, boolean[]>;
  /** Adds items, creating the filter with these settings when needed. */
  bfInsert(key: RedisKey, items: ReadonlyArray<RedisValue>, options?: BfInsertOptions): Result<C, boolean[]>;
  /** False: certainly absent; true: probably present. */
  bfExists(key: RedisKey, item: RedisValue): Result<C, boolean>;
  bfMexists(key: RedisKey, ...items: RedisValue[]): Result<C, boolean[]>;
  bfMexists(key: RedisKey, items: ReadonlyArray<RedisValue>): Result<C, boolean[]>;
  /** How many items were added (0 when the key does not exist). */
  bfCard(key: RedisKey): Result<C, number>;
  bfInfo(key: RedisKey): Result<C, BfInfo>;
  /** One figure of BF.INFO. */
  bfInfo(key: RedisKey, field: BfInfoField): Result<C, number | null>;
  bfScandump(key: RedisKey, iterator: number): Result<C, ScanDumpChunk>;
  bfLoadchunk(key: RedisKey, iterator: number, data: Buffer): Result<C, 'OK'>;

  // Cuckoo filters
  cfReserve(key: RedisKey, capacity: number, options?: CfReserveOptions): Result<C, 'OK'>;
  cfAdd(key: RedisKey, item: RedisValue): Result<C, boolean>;
  /** Adds an item only when it is (probably) not there; false when it was. */
  cfAddnx(key: RedisKey, item: RedisValue): Result<C, boolean>;
  cfInsert(key: RedisKey, items: ReadonlyArray<RedisValue>, options?: CfInsertOptions): Result<C, boolean[]>;
  cfInsertnx(key: RedisKey, items: ReadonlyArray<RedisValue>, options?: CfInsertOptions): Result<C, boolean[]>;
  cfExists(key: RedisKey, item: RedisValue): Result<C, boolean>;
  cfMexists(key: RedisKey, ...items: RedisValue[]): Result<C, boolean[]>;
  cfMexists(key: RedisKey, items: ReadonlyArray<RedisValue>): Result<C, boolean[]>;
  /** How many times the item was (probably) added. */
  cfCount(key: RedisKey, item: RedisValue): Result<C, number>;
  /** Deletes one occurrence; false when it was not found. */
  cfDel(key: RedisKey, item: RedisValue): Result<C, boolean>;
  cfCompact(key: RedisKey): Result<C, 'OK'>;
  cfInfo(key: RedisKey): Result<C, CfInfo>;
  cfScandump(key: RedisKey, iterator: number): Result<C, ScanDumpChunk>;
  cfLoadchunk(key: RedisKey, iterator: number, data: Buffer): Result<C, 'OK'>;

  // Count-min sketches
  cmsInitbydim(key: RedisKey, width: number, depth: number): Result<C, 'OK'>;
  /** Sized for an error rate (as a share of the total count) at a probability. */
  cmsInitbyprob(key: RedisKey, error: number, probability: number): Result<C, 'OK'>;
  /** Adds to items' counts; resolves their new estimates in order. */
  cmsIncrby(key: RedisKey, increments: Increments): Result<C, number[]>;
  cmsQuery(key: RedisKey, ...items: RedisValue[]): Result<C, number[]>;
  cmsQuery(key: RedisKey, items: ReadonlyArray<RedisValue>): Result<C, number[]>;
  /** Merges sketches (of the same size) into `dest`, each count multiplied by its weight. */
  cmsMerge(dest: RedisKey, sources: OneOrMany<RedisKey>, weights?: number[]): Result<C, 'OK'>;
  cmsInfo(key: RedisKey): Result<C, CmsInfo>;

  // Top-k
  topkReserve(key: RedisKey, topk: number, options?: TopkReserveOptions): Result<C, 'OK'>;
  /** Adds items; per item, the item it pushed out of the top k, or null. */
  topkAdd(key: RedisKey, ...items: RedisValue[]): Result<C, Array<Str<C> | null>>;
  topkAdd(key: RedisKey, items: ReadonlyArray<RedisValue>): Result<C, Array<Str<C> | null>>;
  topkIncrby(key: RedisKey, increments: Increments): Result<C, Array<Str<C> | null>>;
  /** Per item: is it in the top k? */
  topkQuery(key: RedisKey, ...items: RedisValue[]): Result<C, boolean[]>;
  topkQuery(key: RedisKey, items: ReadonlyArray<RedisValue>): Result<C, boolean[]>;
  /** Per item: its estimated count (deprecated by the server, still answered). */
  topkCount(key: RedisKey, ...items: RedisValue[]): Result<C, number[]>;
  topkCount(key: RedisKey, items: ReadonlyArray<RedisValue>): Result<C, number[]>;
  topkList(key: RedisKey): Result<C, Array<Str<C>>>;
  topkList(key: RedisKey, options: { withcount: true }): Result<C, Array<TopkItemCount<Str<C>>>>;
  topkInfo(key: RedisKey): Result<C, TopkInfo>;

  // t-digest
  tdigestCreate(key: RedisKey, options?: { compression?: number }): Result<C, 'OK'>;
  tdigestAdd(key: RedisKey, ...values: number[]): Result<C, 'OK'>;
  tdigestAdd(key: RedisKey, values: ReadonlyArray<number>): Result<C, 'OK'>;
  tdigestReset(key: RedisKey): Result<C, 'OK'>;
  /** Merges sketches into `dest` (created, or replaced with `override`). */
  tdigestMerge(dest: RedisKey, sources: OneOrMany<RedisKey>, options?: { compression?: number; override?: boolean }): Result<C, 'OK'>;
  /** NaN when the sketch is empty. */
  tdigestMin(key: RedisKey): Result<C, number>;
  tdigestMax(key: RedisKey): Result<C, number>;
  /** The values at the given quantiles (0…1). */
  tdigestQuantile(key: RedisKey, ...quantiles: number[]): Result<C, number[]>;
  tdigestQuantile(key: RedisKey, quantiles: ReadonlyArray<number>): Result<C, number[]>;
  /** The fraction of observations at or below each value. */
  tdigestCdf(key: RedisKey, ...values: number[]): Result<C, number[]>;
  tdigestCdf(key: RedisKey, values: ReadonlyArray<number>): Result<C, number[]>;
  tdigestRank(key: RedisKey, ...values: number[]): Result<C, number[]>;
  tdigestRank(key: RedisKey, values: ReadonlyArray<number>): Result<C, number[]>;
  tdigestRevrank(key: RedisKey, ...values: number[]): Result<C, number[]>;
  tdigestRevrank(key: RedisKey, values: ReadonlyArray<number>): Result<C, number[]>;
  /** The values at the given ranks (Infinity past the end). */
  tdigestByrank(key: RedisKey, ...ranks: number[]): Result<C, number[]>;
  tdigestByrank(key: RedisKey, ranks: ReadonlyArray<number>): Result<C, number[]>;
  tdigestByrevrank(key: RedisKey, ...ranks: number[]): Result<C, number[]>;
  tdigestByrevrank(key: RedisKey, ranks: ReadonlyArray<number>): Result<C, number[]>;
  /** The mean of the observations between two quantiles. */
  tdigestTrimmedMean(key: RedisKey, low: number, high: number): Result<C, number>;
  tdigestInfo(key: RedisKey): Result<C, TdigestInfo>;
}

const k1 = key(1);
const BF_RESERVE = command('bf.reserve', W, k1);
const BF_ADD = command('bf.add', W, k1);
const BF_MADD = command('bf.madd', W, k1);
const BF_INSERT = command('bf.insert', W, k1);
const BF_EXISTS = command('bf.exists', R, k1);
const BF_MEXISTS = command('bf.mexists', R, k1);
const BF_CARD = command('bf.card', R, k1);
const BF_INFO = command('bf.info', R, k1);
const BF_SCANDUMP = command('bf.scandump', R, k1);
const BF_LOADCHUNK = command('bf.loadchunk', W, k1);
const CF_RESERVE = command('cf.reserve', W, k1);
const CF_ADD = command('cf.add', W, k1);
const CF_ADDNX = command('cf.addnx', W, k1);
const CF_INSERT = command('cf.insert', W, k1);
const CF_INSERTNX = command('cf.insertnx', W, k1);
const CF_EXISTS = command('cf.exists', R, k1);
const CF_MEXISTS = command('cf.mexists', R, k1);
const CF_COUNT = command('cf.count', R, k1);
const CF_DEL = command('cf.del', W, k1);
// The server flags CF.COMPACT readonly though it rewrites the filter; we follow the server.
const CF_COMPACT = command('cf.compact', R, k1);
const CF_INFO = command('cf.info', R, k1);
const CF_SCANDUMP = command('cf.scandump', R, k1);
const CF_LOADCHUNK = command('cf.loadchunk', W, k1);
const CMS_INITBYDIM = command('cms.initbydim', W, k1);
const CMS_INITBYPROB = command('cms.initbyprob', W, k1);
const CMS_INCRBY = command('cms.incrby', W, k1);
const CMS_QUERY = command('cms.query', R, k1);
const CMS_MERGE = command('cms.merge', W, (argv) => numkeysKeys(argv, 2));
const CMS_INFO = command('cms.info', R, k1);
const TOPK_RESERVE = command('topk.reserve', W, k1);
const TOPK_ADD = command('topk.add', W, k1);
const TOPK_INCRBY = command('topk.incrby', W, k1);
const TOPK_QUERY = command('topk.query', R, k1);
const TOPK_COUNT = command('topk.count', R, k1);
const TOPK_LIST = command('topk.list', R, k1);
const TOPK_INFO = command('topk.info', R, k1);
const TD_CREATE = command('tdigest.create', W, k1);
const TD_ADD = command('tdigest.add', W, k1);
const TD_RESET = command('tdigest.reset', W, k1);
const TD_MERGE = command('tdigest.merge', W, (argv) => numkeysKeys(argv, 2));
const TD_MIN = command('tdigest.min', R, k1);
const TD_MAX = command('tdigest.max', R, k1);
const TD_QUANTILE = command('tdigest.quantile', R, k1);
const TD_CDF = command('tdigest.cdf', R, k1);
const TD_RANK = command('tdigest.rank', R, k1);
const TD_REVRANK = command('tdigest.revrank', R, k1);
const TD_BYRANK = command('tdigest.byrank', R, k1);
const TD_BYREVRANK = command('tdigest.byrevrank', R, k1);
const TD_TRIMMED_MEAN = command('tdigest.trimmed_mean', R, k1);
const TD_INFO = command('tdigest.info', R, k1);

/** `dest numkeys src…`: the destination and the sources are all keys (cluster routing needs them). */
function numkeysKeys(argv: ReadonlyArray<RedisArg>, countAt: number): number[] {
  const out = [1];
  const n = Number(argv[countAt]);
  if (Number.isInteger(n)) for (let i = 0; i < n && countAt + 1 + i < argv.length; i++) out.push(countAt + 1 + i);
  return out;
}

exclude('bf.debug', 'RedisBloom debugging output, undocumented');
exclude('cf.debug', 'RedisBloom debugging output, undocumented');

// ---- argv ---------------------------------------------------------------------------------------

function keyItems(cmd: string, min = 1) {
  return (k: RedisKey, items: RedisValue[]): RedisArg[] => {
    checkKey(cmd, 'key', k);
    if (items.length < min) throw new DataError(`${cmd}: at least ${min} item is required`);
    const argv: RedisArg[] = [cmd, k];
    for (const it of items) {
      checkValue(cmd, 'item', it);
      argv.push(it);
    }
    return argv;
  };
}

function keyItem(cmd: string) {
  return (k: RedisKey, item: RedisValue): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkValue(cmd, 'item', item);
    return [cmd, k, item];
  };
}

function keyNumbers(cmd: string, name: string) {
  return (k: RedisKey, values: number[]): RedisArg[] => {
    checkKey(cmd, 'key', k);
    if (values.length === 0) throw new DataError(`${cmd}: at least one ${name} is required`);
    const argv: RedisArg[] = [cmd, k];
    for (const v of values) {
      if (typeof v !== 'number' || Number.isNaN(v)) throw new DataError(`${cmd}: ${name} must be a number, got ${typeName(v)}`);
      argv.push(v === Infinity ? '+inf' : v === -Infinity ? '-inf' : v);
    }
    return argv;
  };
}

function oneKeyOf(cmd: string) {
  return (k: RedisKey): RedisArg[] => {
    checkKey(cmd, 'key', k);
    return [cmd, k];
  };
}

function positive(cmd: string, name: string, v: unknown): void {
  checkInteger(cmd, name, v);
  if ((v as number) < 1) throw new DataError(`${cmd}: ${name} must be at least 1, got ${String(v)}`);
}

function rate(cmd: string, name: string, v: unknown): void {
  checkFinite(cmd, name, v);
  if (v <= 0 || v >= 1) throw new DataError(`${cmd}: ${name} must be between 0 and 1 (exclusive), got ${String(v)}`);
}

function pushItems(cmd: string, argv: RedisArg[], items: ReadonlyArray<RedisValue>): RedisArg[] {
  if (!Array.isArray(items) || items.length === 0) throw new DataError(`${cmd}: items must be a non-empty array`);
  argv.push('ITEMS');
  for (const it of items) {
    checkValue(cmd, 'item', it);
    argv.push(it);
  }
  return argv;
}

function pushIncrements(cmd: string, argv: RedisArg[], inc: Increments): RedisArg[] {
  if (inc === null || typeof inc !== 'object') throw new DataError(`${cmd}: increments must be an object, a Map or [item, n] pairs`);
  const entries = Array.isArray(inc) ? inc : inc instanceof Map ? [...inc.entries()] : Object.entries(inc);
  if (entries.length === 0) throw new DataError(`${cmd}: at least one item is required`);
  for (const e of entries as ReadonlyArray<readonly [unknown, unknown]>) {
    if (!Array.isArray(e) || e.length !== 2) throw new DataError(`${cmd}: each increment must be [item, n]`);
    checkKey(cmd, 'item', e[0]);
    positive(cmd, 'increment', e[1]);
    argv.push(e[0] as RedisKey, e[1] as number);
  }
  return argv;
}

function scandump(cmd: string) {
  return (k: RedisKey, iterator: number): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkInteger(cmd, 'iterator', iterator);
    return [cmd, k, iterator];
  };
}

function loadchunk(cmd: string) {
  return (k: RedisKey, iterator: number, data: Buffer): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkInteger(cmd, 'iterator', iterator);
    if (!Buffer.isBuffer(data)) throw new DataError(`${cmd}: data must be a Buffer, got ${typeName(data)}`);
    return [cmd, k, iterator, data];
  };
}

function cfInsertBuild(cmd: string) {
  return (k: RedisKey, items: ReadonlyArray<RedisValue>, o?: CfInsertOptions): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkOptions(cmd, o);
    const argv: RedisArg[] = [cmd, k];
    if (o?.capacity !== undefined) {
      positive(cmd, 'capacity', o.capacity);
      argv.push('CAPACITY', o.capacity);
    }
    if (o?.nocreate) argv.push('NOCREATE');
    return pushItems(cmd, argv, items);
  };
}

function mergeSources(cmd: string, dest: RedisKey, sources: OneOrMany<RedisKey>): RedisArg[] {
  checkKey(cmd, 'dest', dest);
  const argv: RedisArg[] = [cmd, dest];
  pushNumkeys(cmd, argv, sources, 'source');
  return argv;
}

// ---- replies ------------------------------------------------------------------------------------

const BF_NAMES = { Capacity: 'capacity', Size: 'size', 'Number of filters': 'filters', 'Number of items inserted': 'itemsInserted', 'Expansion rate': 'expansionRate' };
const CF_NAMES = {
  Size: 'size',
  'Number of buckets': 'buckets',
  'Number of filters': 'filters',
  'Number of items inserted': 'itemsInserted',
  'Number of items deleted': 'itemsDeleted',
  'Bucket size': 'bucketSize',
  'Expansion rate': 'expansionRate',
  'Max iterations': 'maxIterations',
};
const TD_NAMES = {
  Compression: 'compression',
  Capacity: 'capacity',
  'Merged nodes': 'mergedNodes',
  'Unmerged nodes': 'unmergedNodes',
  'Merged weight': 'mergedWeight',
  'Unmerged weight': 'unmergedWeight',
  Observations: 'observations',
  'Total compressions': 'totalCompressions',
  'Memory usage': 'memoryUsage',
};

const numbersRecord = (names: Record<string, string>) => (v: unknown) => readRecord(v, names, (_n, x) => (x === null ? null : num(x)));

/** BF.INFO key FIELD: [n] under RESP2, { Name: n } under RESP3. */
function bfInfoField(v: unknown): number | null {
  const x = Array.isArray(v) ? v[0] : v !== null && typeof v === 'object' ? Object.values(v)[0] : v;
  return x === null || x === undefined ? null : num(x);
}

function scanDumpChunk(v: unknown): ScanDumpChunk {
  const [it, data] = v as [unknown, unknown];
  return { iterator: Number(it), data: data === null || data === undefined ? null : Buffer.isBuffer(data) ? data : Buffer.from(String(data), 'latin1') };
}

function topkWithCount(v: unknown): Array<TopkItemCount<unknown>> {
  return toPairs(v, (item, count) => ({ item, count: Number(count) }));
}

export const bloomMethods = {
  bfReserve: method(BF_RESERVE, (k: RedisKey, error: number, capacity: number, o?: BfReserveOptions): RedisArg[] => {
    checkKey('BF.RESERVE', 'key', k);
    rate('BF.RESERVE', 'error', error);
    positive('BF.RESERVE', 'capacity', capacity);
    checkOptions('BF.RESERVE', o);
    const argv: RedisArg[] = ['BF.RESERVE', k, error, capacity];
    if (o?.expansion !== undefined) {
      if (o.nonscaling) throw new DataError('BF.RESERVE: expansion and nonscaling exclude each other');
      positive('BF.RESERVE', 'expansion', o.expansion);
      argv.push('EXPANSION', o.expansion);
    }
    if (o?.nonscaling) argv.push('NONSCALING');
    return argv;
  }),
  bfAdd: method(BF_ADD, keyItem('BF.ADD'), bool),
  bfMadd: variadic(BF_MADD, 1, keyItems('BF.MADD'), bools),
  bfInsert: method(
    BF_INSERT,
    (k: RedisKey, items: ReadonlyArray<RedisValue>, o?: BfInsertOptions): RedisArg[] => {
      checkKey('BF.INSERT', 'key', k);
      checkOptions('BF.INSERT', o);
      const argv: RedisArg[] = ['BF.INSERT', k];
      if (o !== undefined) {
        if (o.capacity !== undefined) {
          positive('BF.INSERT', 'capacity', o.capacity);
          argv.push('CAPACITY', o.capacity);
        }
        if (o.error !== undefined) {
          rate('BF.INSERT', 'error', o.error);
          argv.push('ERROR', o.error);
        }
        if (o.expansion !== undefined) {
          positive('BF.INSERT', 'expansion', o.expansion);
          argv.push('EXPANSION', o.expansion);
        }
        if (o.nocreate) argv.push('NOCREATE');
        if (o.nonscaling) argv.push('NONSCALING');
      }
      return pushItems('BF.INSERT', argv, items);
    },
    bools,
  ),
  bfExists: method(BF_EXISTS, keyItem('BF.EXISTS'), bool),
  bfMexists: variadic(BF_MEXISTS, 1, keyItems('BF.MEXISTS'), bools),
  bfCard: method(BF_CARD, oneKeyOf('BF.CARD')),
  bfInfo: byArgv(
    BF_INFO,
    (k: RedisKey, field?: BfInfoField): RedisArg[] => {
      checkKey('BF.INFO', 'key', k);
      if (field === undefined) return ['BF.INFO', k];
      if (!['CAPACITY', 'SIZE', 'FILTERS', 'ITEMS', 'EXPANSION'].includes(field)) throw new DataError(`BF.INFO: field must be one of CAPACITY, SIZE, FILTERS, ITEMS, EXPANSION, got ${String(field)}`);
      return ['BF.INFO', k, field];
    },
    (argv) => argv.length > 2,
    bfInfoField,
    numbersRecord(BF_NAMES),
  ),
  bfScandump: binaryReply(method(BF_SCANDUMP, scandump('BF.SCANDUMP'), scanDumpChunk)),
  bfLoadchunk: method(BF_LOADCHUNK, loadchunk('BF.LOADCHUNK')),

  cfReserve: method(CF_RESERVE, (k: RedisKey, capacity: number, o?: CfReserveOptions): RedisArg[] => {
    checkKey('CF.RESERVE', 'key', k);
    positive('CF.RESERVE', 'capacity', capacity);
    checkOptions('CF.RESERVE', o);
    const argv: RedisArg[] = ['CF.RESERVE', k, capacity];
    for (const [opt, token] of [['bucketSize', 'BUCKETSIZE'], ['maxIterations', 'MAXITERATIONS'], ['expansion', 'EXPANSION']] as const) {
      const v = o?.[opt];
      if (v === undefined) continue;
      checkInteger('CF.RESERVE', opt, v);
      argv.push(token, v);
    }
    return argv;
  }),
  cfAdd: method(CF_ADD, keyItem('CF.ADD'), bool),
  cfAddnx: method(CF_ADDNX, keyItem('CF.ADDNX'), bool),
  cfInsert: method(CF_INSERT, cfInsertBuild('CF.INSERT'), bools),
  cfInsertnx: method(CF_INSERTNX, cfInsertBuild('CF.INSERTNX'), bools),
  cfExists: method(CF_EXISTS, keyItem('CF.EXISTS'), bool),
  cfMexists: variadic(CF_MEXISTS, 1, keyItems('CF.MEXISTS'), bools),
  cfCount: method(CF_COUNT, keyItem('CF.COUNT')),
  cfDel: method(CF_DEL, keyItem('CF.DEL'), bool),
  cfCompact: method(CF_COMPACT, oneKeyOf('CF.COMPACT')),
  cfInfo: method(CF_INFO, oneKeyOf('CF.INFO'), numbersRecord(CF_NAMES)),
  cfScandump: binaryReply(method(CF_SCANDUMP, scandump('CF.SCANDUMP'), scanDumpChunk)),
  cfLoadchunk: method(CF_LOADCHUNK, loadchunk('CF.LOADCHUNK')),

  cmsInitbydim: method(CMS_INITBYDIM, (k: RedisKey, width: number, depth: number): RedisArg[] => {
    checkKey('CMS.INITBYDIM', 'key', k);
    positive('CMS.INITBYDIM', 'width', width);
    positive('CMS.INITBYDIM', 'depth', depth);
    return ['CMS.INITBYDIM', k, width, depth];
  }),
  cmsInitbyprob: method(CMS_INITBYPROB, (k: RedisKey, error: number, probability: number): RedisArg[] => {
    checkKey('CMS.INITBYPROB', 'key', k);
    rate('CMS.INITBYPROB', 'error', error);
    rate('CMS.INITBYPROB', 'probability', probability);
    return ['CMS.INITBYPROB', k, error, probability];
  }),
  cmsIncrby: method(
    CMS_INCRBY,
    (k: RedisKey, inc: Increments): RedisArg[] => {
      checkKey('CMS.INCRBY', 'key', k);
      return pushIncrements('CMS.INCRBY', ['CMS.INCRBY', k], inc);
    },
    nums,
  ),
  cmsQuery: variadic(CMS_QUERY, 1, keyItems('CMS.QUERY'), nums),
  cmsMerge: method(CMS_MERGE, (dest: RedisKey, sources: OneOrMany<RedisKey>, weights?: number[]): RedisArg[] => {
    const argv = mergeSources('CMS.MERGE', dest, sources);
    if (weights !== undefined) {
      if (!Array.isArray(weights) || weights.length !== argv[2]) throw new DataError('CMS.MERGE: weights must be an array with one weight per source');
      argv.push('WEIGHTS');
      for (const w of weights) {
        checkInteger('CMS.MERGE', 'weight', w);
        argv.push(w);
      }
    }
    return argv;
  }),
  cmsInfo: method(CMS_INFO, oneKeyOf('CMS.INFO'), numbersRecord({})),

  topkReserve: method(TOPK_RESERVE, (k: RedisKey, topk: number, o?: TopkReserveOptions): RedisArg[] => {
    checkKey('TOPK.RESERVE', 'key', k);
    positive('TOPK.RESERVE', 'topk', topk);
    checkOptions('TOPK.RESERVE', o);
    if (o === undefined) return ['TOPK.RESERVE', k, topk];
    positive('TOPK.RESERVE', 'width', o.width);
    positive('TOPK.RESERVE', 'depth', o.depth);
    rate('TOPK.RESERVE', 'decay', o.decay);
    return ['TOPK.RESERVE', k, topk, o.width, o.depth, o.decay];
  }),
  topkAdd: variadic(TOPK_ADD, 1, keyItems('TOPK.ADD')),
  topkIncrby: method(TOPK_INCRBY, (k: RedisKey, inc: Increments): RedisArg[] => {
    checkKey('TOPK.INCRBY', 'key', k);
    return pushIncrements('TOPK.INCRBY', ['TOPK.INCRBY', k], inc);
  }),
  topkQuery: variadic(TOPK_QUERY, 1, keyItems('TOPK.QUERY'), bools),
  topkCount: variadic(TOPK_COUNT, 1, keyItems('TOPK.COUNT'), nums),
  topkList: withOption(
    TOPK_LIST,
    (k: RedisKey, o?: { withcount?: boolean }): RedisArg[] => {
      checkKey('TOPK.LIST', 'key', k);
      checkOptions('TOPK.LIST', o);
      return o?.withcount ? ['TOPK.LIST', k, 'WITHCOUNT'] : ['TOPK.LIST', k];
    },
    endsWithFlag('WITHCOUNT', 2),
    topkWithCount,
  ),
  topkInfo: method(TOPK_INFO, oneKeyOf('TOPK.INFO'), numbersRecord({})),

  tdigestCreate: method(TD_CREATE, (k: RedisKey, o?: { compression?: number }): RedisArg[] => {
    checkKey('TDIGEST.CREATE', 'key', k);
    checkOptions('TDIGEST.CREATE', o);
    if (o?.compression === undefined) return ['TDIGEST.CREATE', k];
    positive('TDIGEST.CREATE', 'compression', o.compression);
    return ['TDIGEST.CREATE', k, 'COMPRESSION', o.compression];
  }),
  tdigestAdd: variadic(TD_ADD, 1, keyNumbers('TDIGEST.ADD', 'value')),
  tdigestReset: method(TD_RESET, oneKeyOf('TDIGEST.RESET')),
  tdigestMerge: method(TD_MERGE, (dest: RedisKey, sources: OneOrMany<RedisKey>, o?: { compression?: number; override?: boolean }): RedisArg[] => {
    const argv = mergeSources('TDIGEST.MERGE', dest, sources);
    checkOptions('TDIGEST.MERGE', o);
    if (o?.compression !== undefined) {
      positive('TDIGEST.MERGE', 'compression', o.compression);
      argv.push('COMPRESSION', o.compression);
    }
    if (o?.override) argv.push('OVERRIDE');
    return argv;
  }),
  tdigestMin: method(TD_MIN, oneKeyOf('TDIGEST.MIN'), tdNumber),
  tdigestMax: method(TD_MAX, oneKeyOf('TDIGEST.MAX'), tdNumber),
  tdigestQuantile: variadic(TD_QUANTILE, 1, keyNumbers('TDIGEST.QUANTILE', 'quantile'), tdNumbers),
  tdigestCdf: variadic(TD_CDF, 1, keyNumbers('TDIGEST.CDF', 'value'), tdNumbers),
  tdigestRank: variadic(TD_RANK, 1, keyNumbers('TDIGEST.RANK', 'value'), tdNumbers),
  tdigestRevrank: variadic(TD_REVRANK, 1, keyNumbers('TDIGEST.REVRANK', 'value'), tdNumbers),
  tdigestByrank: variadic(TD_BYRANK, 1, keyNumbers('TDIGEST.BYRANK', 'rank'), tdNumbers),
  tdigestByrevrank: variadic(TD_BYREVRANK, 1, keyNumbers('TDIGEST.BYREVRANK', 'rank'), tdNumbers),
  tdigestTrimmedMean: method(
    TD_TRIMMED_MEAN,
    (k: RedisKey, low: number, high: number): RedisArg[] => {
      checkKey('TDIGEST.TRIMMED_MEAN', 'key', k);
      checkFinite('TDIGEST.TRIMMED_MEAN', 'low', low);
      checkFinite('TDIGEST.TRIMMED_MEAN', 'high', high);
      return ['TDIGEST.TRIMMED_MEAN', k, low, high];
    },
    tdNumber,
  ),
  tdigestInfo: method(TD_INFO, oneKeyOf('TDIGEST.INFO'), numbersRecord(TD_NAMES)),
};

/** A t-digest estimate: RESP3 has no NaN on the wire of this module's replies and sends null for it. */
function tdNumber(v: unknown): number {
  return v === null ? NaN : num(v);
}

function tdNumbers(v: unknown): number[] {
  return (v as unknown[]).map(tdNumber);
}
