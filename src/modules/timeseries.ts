import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type Result } from '../commands/command.js';
import { checkInteger, checkKey, command, key, method, typeName } from '../commands/registry.js';
import { checkOptions, checkToken } from '../commands/build.js';
import { text, textArray, toNumber } from '../commands/transforms.js';
import { checkFinite, readRecord } from './common.js';

/**
 * RedisTimeSeries (TS.*). Samples are `{ timestamp, value }` with numbers for both, whatever the
 * protocol (RESP2 sends values as text); multi-series replies are arrays of `{ key, labels, … }` in
 * the server's order (RESP3 sends a map, RESP2 a list).
 */

const R = Flag.READONLY;
const W = Flag.WRITE;

/** One time-series sample: its timestamp (Unix ms) and value. */
export interface Sample {
  timestamp: number;
  value: number;
}

/** What a time series does with a sample for a timestamp it already has: refuse it, keep one, or combine them. */
export type DuplicatePolicy = 'BLOCK' | 'FIRST' | 'LAST' | 'MIN' | 'MAX' | 'SUM';
const DUPLICATE_POLICIES: readonly DuplicatePolicy[] = ['BLOCK', 'FIRST', 'LAST', 'MIN', 'MAX', 'SUM'];

/** How a time-series range or compaction rule reduces the samples of a bucket to one. */
export type Aggregator = 'avg' | 'sum' | 'min' | 'max' | 'range' | 'count' | 'first' | 'last' | 'std.p' | 'std.s' | 'var.p' | 'var.s' | 'twa' | 'countNaN' | 'countAll';
const AGGREGATORS: readonly Aggregator[] = ['avg', 'sum', 'min', 'max', 'range', 'count', 'first', 'last', 'std.p', 'std.s', 'var.p', 'var.s', 'twa', 'countNaN', 'countAll'];

/** Labels of a series: name -> value. */
export type Labels = Record<string, string>;

/** Settings of a series, as TS.CREATE and TS.ALTER take them. */
export interface TsAlterOptions {
  /** Maximum age of samples in ms, relative to the newest; 0 keeps everything. */
  retention?: number;
  /** Bytes per chunk (a multiple of 8, 48 … 1048576). */
  chunkSize?: number;
  /** What a sample at an existing timestamp does. */
  duplicatePolicy?: DuplicatePolicy;
  labels?: Labels;
  /** Drop a sample that is this close (time in ms, and value) to the last one (with duplicatePolicy LAST). */
  ignore?: { maxTimeDiff: number; maxValDiff: number };
}

/** Optional tokens of TS.CREATE: retention, chunk size, duplicate policy, labels and encoding. */
export interface TsCreateOptions extends TsAlterOptions {
  encoding?: 'COMPRESSED' | 'UNCOMPRESSED';
}

/** Optional tokens of TS.ADD: TS.CREATE's (used if the series is created) and ON_DUPLICATE. */
export interface TsAddOptions extends TsCreateOptions {
  /** Overrides the series' duplicate policy for this sample. */
  onDuplicate?: DuplicatePolicy;
}

/** Optional tokens of TS.INCRBY and TS.DECRBY: the timestamp, and settings for a series created on the way. */
export interface TsIncrByOptions extends TsAlterOptions {
  /** Default: the server's clock. */
  timestamp?: number | '*';
  /** Create the series uncompressed when it does not exist. */
  uncompressed?: boolean;
}

/** A range query's AGGREGATION: the aggregator, bucket length, which timestamp a bucket reports, empty buckets. */
export interface TsAggregation {
  type: Aggregator;
  /** Bucket length in ms. */
  bucketDuration: number;
  /** Which timestamp a bucket reports: its start (-), end (+) or middle (~). */
  bucketTimestamp?: '-' | '+' | '~' | 'start' | 'end' | 'mid';
  /** Report empty buckets too. */
  empty?: boolean;
}

/** Optional tokens of TS.RANGE and TS.REVRANGE: timestamp and value filters, a count, alignment and aggregation. */
export interface TsRangeOptions {
  /** Include the latest, possibly partial, bucket of a compaction. */
  latest?: boolean;
  /** Only these timestamps. */
  filterByTs?: number[];
  /** Only values in [min, max]. */
  filterByValue?: { min: number; max: number };
  count?: number;
  /** Bucket alignment: a timestamp, or '-'/'start', '+'/'end'. */
  align?: number | '-' | '+' | 'start' | 'end';
  aggregation?: TsAggregation;
}

/** Which labels a multi-series reply carries: none (default), all, or some. */
export interface TsLabelOptions {
  withlabels?: boolean;
  selectedLabels?: string[];
}

/** Optional tokens of TS.MRANGE and TS.MREVRANGE: TS.RANGE's, the label output, and GROUPBY … REDUCE. */
export interface TsMRangeOptions extends TsRangeOptions, TsLabelOptions {
  /** Group the series by a label and reduce each group to one. */
  groupBy?: { label: string; reduce: Aggregator };
}

/** Optional tokens of TS.MGET: the label output, and the latest partial bucket of compactions. */
export interface TsMGetOptions extends TsLabelOptions {
  latest?: boolean;
}

/** One series in the reply of TS.MGET: its key, labels and last sample. */
export interface TsMGetEntry {
  key: string;
  labels: Labels;
  /** null when the series has no sample yet. */
  sample: Sample | null;
}

/** One series (or group) in the reply of TS.MRANGE: its key, labels and samples. */
export interface TsMRangeEntry {
  /** The series, or `label=value` for a group. */
  key: string;
  labels: Labels;
  samples: Sample[];
}

/** One compaction rule of a series as TS.INFO reports it: destination key, bucket and aggregator. */
export interface TsRule {
  key: string;
  bucketDuration: number;
  aggregation: string;
  alignTimestamp: number;
}

/** One memory chunk of a series as TS.INFO DEBUG reports it. */
export interface TsChunkInfo {
  startTimestamp: number;
  endTimestamp: number;
  samples: number;
  size: number;
  bytesPerSample: number;
}

/** The reply of TS.INFO: a series' sample count, memory, time span, settings, labels and rules. */
export interface TsInfo {
  totalSamples: number;
  memoryUsage: number;
  firstTimestamp: number;
  lastTimestamp: number;
  retentionTime: number;
  chunkCount: number;
  chunkSize: number;
  chunkType: string;
  duplicatePolicy: string | null;
  labels: Labels;
  sourceKey: string | null;
  rules: TsRule[];
  ignoreMaxTimeDiff: number;
  ignoreMaxValDiff: number;
  /** With `debug`. */
  keySelfName?: string;
  chunks?: TsChunkInfo[];
}

/** A timestamp in ms, or '*' for the server's clock. */
export type Timestamp = number | '*';
/** A range bound: a timestamp, or '-' (the earliest) / '+' (the latest). */
export type RangeBound = number | '-' | '+';

export interface TimeSeriesCommands<C> {
  tsCreate(key: RedisKey, options?: TsCreateOptions): Result<C, 'OK'>;
  tsAlter(key: RedisKey, options: TsAlterOptions): Result<C, 'OK'>;
  /** Adds a sample (creating the series if needed); resolves its timestamp. */
  tsAdd(key: RedisKey, timestamp: Timestamp, value: number, options?: TsAddOptions): Result<C, number>;
  /** Adds samples to several series; per sample its timestamp, or the error the server gave for it. */
  tsMadd(samples: ReadonlyArray<readonly [key: RedisKey, timestamp: Timestamp, value: number]>): Result<C, Array<number | Error>>;
  /** Adds to the newest value (or starts at `by`); resolves the sample's timestamp. */
  tsIncrby(key: RedisKey, by: number, options?: TsIncrByOptions): Result<C, number>;
  tsDecrby(key: RedisKey, by: number, options?: TsIncrByOptions): Result<C, number>;
  /** Deletes the samples between two timestamps (inclusive); resolves how many. */
  tsDel(key: RedisKey, from: number, to: number): Result<C, number>;
  /** Compacts `source` into `dest` with an aggregation over buckets of `bucketDuration` ms. */
  tsCreaterule(source: RedisKey, dest: RedisKey, type: Aggregator, bucketDuration: number, alignTimestamp?: number): Result<C, 'OK'>;
  tsDeleterule(source: RedisKey, dest: RedisKey): Result<C, 'OK'>;
  /** The newest sample; null when the series has none. */
  tsGet(key: RedisKey, options?: { latest?: boolean }): Result<C, Sample | null>;
  /** The newest sample of every series matching the filters (`label=value`, `label!=`, `label=(a,b)`…). */
  tsMget(filters: string[], options?: TsMGetOptions): Result<C, TsMGetEntry[]>;
  tsRange(key: RedisKey, from: RangeBound, to: RangeBound, options?: TsRangeOptions): Result<C, Sample[]>;
  tsRevrange(key: RedisKey, from: RangeBound, to: RangeBound, options?: TsRangeOptions): Result<C, Sample[]>;
  tsMrange(from: RangeBound, to: RangeBound, filters: string[], options?: TsMRangeOptions): Result<C, TsMRangeEntry[]>;
  tsMrevrange(from: RangeBound, to: RangeBound, filters: string[], options?: TsMRangeOptions): Result<C, TsMRangeEntry[]>;
  /** The keys of the series matching the filters. */
  tsQueryindex(filters: string[]): Result<C, string[]>;
  tsInfo(key: RedisKey, options?: { debug?: boolean }): Result<C, TsInfo>;
}

const TS_CREATE = command('ts.create', W, key(1));
const TS_ALTER = command('ts.alter', W, key(1));
const TS_ADD = command('ts.add', W, key(1));
const TS_MADD = command('ts.madd', W, { first: 1, last: -1, step: 3 });
const TS_INCRBY = command('ts.incrby', W, key(1));
const TS_DECRBY = command('ts.decrby', W, key(1));
const TS_DEL = command('ts.del', W, key(1));
const TS_CREATERULE = command('ts.createrule', W, { first: 1, last: 2, step: 1 });
const TS_DELETERULE = command('ts.deleterule', W, { first: 1, last: 2, step: 1 });
const TS_GET = command('ts.get', R, key(1));
const TS_MGET = command('ts.mget', R);
const TS_RANGE = command('ts.range', R, key(1));
const TS_REVRANGE = command('ts.revrange', R, key(1));
const TS_MRANGE = command('ts.mrange', R);
const TS_MREVRANGE = command('ts.mrevrange', R);
const TS_QUERYINDEX = command('ts.queryindex', R);
const TS_INFO = command('ts.info', R, key(1));

// ---- argv ---------------------------------------------------------------------------------------

function checkTimestamp(cmd: string, name: string, t: unknown, allowed: readonly string[]): void {
  if (typeof t === 'string' && allowed.includes(t)) return;
  if (typeof t === 'number' && Number.isSafeInteger(t) && t >= 0) return;
  throw new DataError(`${cmd}: ${name} must be a non-negative integer (ms)${allowed.length > 0 ? ` or one of ${allowed.join(', ')}` : ''}, got ${typeName(t)}`);
}

function pushSettings(cmd: string, argv: RedisArg[], o: TsAddOptions & { uncompressed?: boolean }, create: boolean): void {
  if (o.retention !== undefined) {
    checkInteger(cmd, 'retention', o.retention);
    argv.push('RETENTION', o.retention);
  }
  if (o.encoding !== undefined) {
    if (!create) throw new DataError(`${cmd}: encoding cannot be changed`);
    argv.push('ENCODING', checkToken(cmd, 'encoding', o.encoding, ['COMPRESSED', 'UNCOMPRESSED'] as const));
  }
  if (o.uncompressed) argv.push('UNCOMPRESSED');
  if (o.chunkSize !== undefined) {
    checkInteger(cmd, 'chunkSize', o.chunkSize);
    argv.push('CHUNK_SIZE', o.chunkSize);
  }
  if (o.duplicatePolicy !== undefined) argv.push('DUPLICATE_POLICY', checkToken(cmd, 'duplicatePolicy', o.duplicatePolicy, DUPLICATE_POLICIES));
  if (o.onDuplicate !== undefined) argv.push('ON_DUPLICATE', checkToken(cmd, 'onDuplicate', o.onDuplicate, DUPLICATE_POLICIES));
  if (o.ignore !== undefined) {
    if (o.ignore === null || typeof o.ignore !== 'object') throw new DataError(`${cmd}: ignore must be { maxTimeDiff, maxValDiff }`);
    checkInteger(cmd, 'ignore.maxTimeDiff', o.ignore.maxTimeDiff);
    checkFinite(cmd, 'ignore.maxValDiff', o.ignore.maxValDiff);
    argv.push('IGNORE', o.ignore.maxTimeDiff, o.ignore.maxValDiff);
  }
  if (o.labels !== undefined) {
    if (o.labels === null || typeof o.labels !== 'object') throw new DataError(`${cmd}: labels must be an object of name -> value`);
    argv.push('LABELS');
    for (const [name, value] of Object.entries(o.labels)) {
      if (typeof value !== 'string' && typeof value !== 'number') throw new DataError(`${cmd}: label ${name} must be a string, got ${typeName(value)}`);
      argv.push(name, String(value));
    }
  }
}

function buildCreate(cmd: string, create: boolean) {
  return (k: RedisKey, o?: TsCreateOptions): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkOptions(cmd, o);
    const argv: RedisArg[] = [cmd, k];
    if (o !== undefined) pushSettings(cmd, argv, o, create);
    return argv;
  };
}

function buildIncr(cmd: string) {
  return (k: RedisKey, by: number, o?: TsIncrByOptions): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkFinite(cmd, 'by', by);
    checkOptions(cmd, o);
    const argv: RedisArg[] = [cmd, k, by];
    if (o?.timestamp !== undefined) {
      checkTimestamp(cmd, 'timestamp', o.timestamp, ['*']);
      argv.push('TIMESTAMP', o.timestamp);
    }
    if (o !== undefined) pushSettings(cmd, argv, o, false);
    return argv;
  };
}

function checkFilters(cmd: string, argv: RedisArg[], filters: unknown): void {
  if (!Array.isArray(filters) || filters.length === 0) throw new DataError(`${cmd}: filters must be a non-empty array of strings like 'label=value'`);
  argv.push('FILTER');
  for (const f of filters) {
    if (typeof f !== 'string' || !/[=]/.test(f)) throw new DataError(`${cmd}: each filter must be a string like 'label=value', 'label!=value' or 'label=(a,b)'`);
    argv.push(f);
  }
}

const BUCKET_TIMESTAMPS = ['-', '+', '~', 'start', 'end', 'mid'] as const;

function pushRangeOptions(cmd: string, argv: RedisArg[], o: TsRangeOptions | undefined): void {
  if (o === undefined) return;
  if (o.latest) argv.push('LATEST');
  if (o.filterByTs !== undefined) {
    if (!Array.isArray(o.filterByTs) || o.filterByTs.length === 0) throw new DataError(`${cmd}: filterByTs must be a non-empty array of timestamps`);
    argv.push('FILTER_BY_TS');
    for (const t of o.filterByTs) {
      checkTimestamp(cmd, 'filterByTs', t, []);
      argv.push(t);
    }
  }
  if (o.filterByValue !== undefined) {
    checkFinite(cmd, 'filterByValue.min', o.filterByValue?.min);
    checkFinite(cmd, 'filterByValue.max', o.filterByValue.max);
    argv.push('FILTER_BY_VALUE', o.filterByValue.min, o.filterByValue.max);
  }
  if (o.count !== undefined) {
    checkInteger(cmd, 'count', o.count);
    argv.push('COUNT', o.count);
  }
  if (o.aggregation !== undefined) {
    const a = o.aggregation;
    if (a === null || typeof a !== 'object') throw new DataError(`${cmd}: aggregation must be { type, bucketDuration }`);
    if (o.align !== undefined) {
      checkTimestamp(cmd, 'align', o.align, ['-', '+', 'start', 'end']);
      argv.push('ALIGN', o.align);
    }
    argv.push('AGGREGATION', checkToken(cmd, 'aggregation.type', a.type, AGGREGATORS));
    checkInteger(cmd, 'aggregation.bucketDuration', a.bucketDuration);
    argv.push(a.bucketDuration);
    if (a.bucketTimestamp !== undefined) argv.push('BUCKETTIMESTAMP', checkToken(cmd, 'aggregation.bucketTimestamp', a.bucketTimestamp, BUCKET_TIMESTAMPS));
    if (a.empty) argv.push('EMPTY');
  } else if (o.align !== undefined) {
    throw new DataError(`${cmd}: align needs an aggregation`);
  }
}

function pushLabelOptions(cmd: string, argv: RedisArg[], o: TsLabelOptions | undefined): void {
  if (o === undefined) return;
  if (o.withlabels && o.selectedLabels !== undefined) throw new DataError(`${cmd}: withlabels and selectedLabels exclude each other`);
  if (o.withlabels) argv.push('WITHLABELS');
  if (o.selectedLabels !== undefined) {
    if (!Array.isArray(o.selectedLabels) || o.selectedLabels.length === 0) throw new DataError(`${cmd}: selectedLabels must be a non-empty array`);
    argv.push('SELECTED_LABELS');
    for (const l of o.selectedLabels) {
      if (typeof l !== 'string') throw new DataError(`${cmd}: each selected label must be a string`);
      argv.push(l);
    }
  }
}

function buildRange(cmd: string) {
  return (k: RedisKey, from: RangeBound, to: RangeBound, o?: TsRangeOptions): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkTimestamp(cmd, 'from', from, ['-', '+']);
    checkTimestamp(cmd, 'to', to, ['-', '+']);
    checkOptions(cmd, o);
    const argv: RedisArg[] = [cmd, k, from, to];
    pushRangeOptions(cmd, argv, o);
    return argv;
  };
}

function buildMrange(cmd: string) {
  return (from: RangeBound, to: RangeBound, filters: string[], o?: TsMRangeOptions): RedisArg[] => {
    checkTimestamp(cmd, 'from', from, ['-', '+']);
    checkTimestamp(cmd, 'to', to, ['-', '+']);
    checkOptions(cmd, o);
    const argv: RedisArg[] = [cmd, from, to];
    // The server wants LATEST … AGGREGATION, then the label options, FILTER, GROUPBY last.
    pushRangeOptions(cmd, argv, o);
    const labelArgv: RedisArg[] = [];
    pushLabelOptions(cmd, labelArgv, o);
    const at = argv.findIndex((a, i) => i > 2 && (a === 'COUNT' || a === 'ALIGN' || a === 'AGGREGATION'));
    argv.splice(at === -1 ? argv.length : at, 0, ...labelArgv);
    checkFilters(cmd, argv, filters);
    if (o?.groupBy !== undefined) {
      if (o.groupBy === null || typeof o.groupBy.label !== 'string') throw new DataError(`${cmd}: groupBy must be { label, reduce }`);
      argv.push('GROUPBY', o.groupBy.label, 'REDUCE', checkToken(cmd, 'groupBy.reduce', o.groupBy.reduce, AGGREGATORS));
    }
    return argv;
  };
}

// ---- replies ------------------------------------------------------------------------------------

function sample(v: unknown): Sample | null {
  if (!Array.isArray(v) || v.length < 2) return null;
  return { timestamp: Number(v[0]), value: toNumber(v[1]) };
}

function samples(v: unknown): Sample[] {
  return (v as unknown[]).map((s) => sample(s)!);
}

/** Labels: [[name, value]…] under RESP2, a map under RESP3. Group bookkeeping labels are left out. */
function labels(v: unknown): Labels {
  const out: Labels = {};
  const put = (k: string, val: unknown) => {
    if (k === '__reducer__' || k === '__source__' || k === '__proto__') return;
    out[k] = val === null ? '' : text(val);
  };
  if (Array.isArray(v)) for (const pair of v as unknown[][]) put(text(pair[0]), pair[1]);
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) put(k, (v as Record<string, unknown>)[k]);
  return out;
}

/** A multi-series reply as [key, rest] entries: RESP2 [[key, …rest]…], RESP3 { key: rest }. */
function seriesEntries(v: unknown): Array<[string, unknown[]]> {
  if (Array.isArray(v)) return (v as unknown[][]).map((e) => [text(e[0]), e.slice(1)]);
  return Object.keys(v as object).map((k) => [k, (v as Record<string, unknown[]>)[k]!]);
}

function mget(v: unknown): TsMGetEntry[] {
  return seriesEntries(v).map(([k, rest]) => ({ key: k, labels: labels(rest[0]), sample: sample(rest[rest.length - 1]) }));
}

function mrange(v: unknown): TsMRangeEntry[] {
  // RESP3 puts {aggregators}, {reducers}, {sources} between the labels and the samples.
  return seriesEntries(v).map(([k, rest]) => ({ key: k, labels: labels(rest[0]), samples: samples(rest[rest.length - 1]) }));
}

const int = (x: unknown): number => (x === null || x === undefined ? 0 : Number(typeof x === 'number' ? x : text(x)));

function rules(v: unknown): TsRule[] {
  if (Array.isArray(v)) {
    return (v as unknown[][]).map((r) => ({ key: text(r[0]), bucketDuration: int(r[1]), aggregation: text(r[2]), alignTimestamp: int(r[3]) }));
  }
  if (v === null || typeof v !== 'object') return [];
  return Object.keys(v).map((k) => {
    const r = (v as Record<string, unknown[]>)[k]!;
    return { key: k, bucketDuration: int(r[0]), aggregation: text(r[1]), alignTimestamp: int(r[2]) };
  });
}

function tsInfo(v: unknown): TsInfo {
  return readRecord(v, { Chunks: 'chunks' }, (name, x) => {
    switch (name) {
      case 'labels':
        return labels(x);
      case 'rules':
        return rules(x);
      case 'sourceKey':
      case 'duplicatePolicy':
        return x === null ? null : text(x);
      case 'chunkType':
      case 'keySelfName':
        return text(x);
      case 'chunks':
        return (x as unknown[]).map((c) => readRecord(c, {}, (_n, y) => toNumber(y)));
      default:
        return typeof x === 'number' ? x : x === null ? null : toNumber(x);
    }
  }) as unknown as TsInfo;
}

export const timeSeriesMethods = {
  tsCreate: method(TS_CREATE, buildCreate('TS.CREATE', true)),
  tsAlter: method(TS_ALTER, buildCreate('TS.ALTER', false)),
  tsAdd: method(TS_ADD, (k: RedisKey, t: Timestamp, value: number, o?: TsAddOptions): RedisArg[] => {
    checkKey('TS.ADD', 'key', k);
    checkTimestamp('TS.ADD', 'timestamp', t, ['*']);
    if (typeof value !== 'number') throw new DataError(`TS.ADD: value must be a number, got ${typeName(value)}`);
    checkOptions('TS.ADD', o);
    const argv: RedisArg[] = ['TS.ADD', k, t, value];
    if (o !== undefined) pushSettings('TS.ADD', argv, o, true);
    return argv;
  }),
  tsMadd: method(TS_MADD, (list: ReadonlyArray<readonly [RedisKey, Timestamp, number]>): RedisArg[] => {
    if (!Array.isArray(list) || list.length === 0) throw new DataError('TS.MADD: samples must be a non-empty array of [key, timestamp, value]');
    const argv: RedisArg[] = ['TS.MADD'];
    for (const s of list) {
      if (!Array.isArray(s) || s.length !== 3) throw new DataError('TS.MADD: each sample must be [key, timestamp, value]');
      checkKey('TS.MADD', 'key', s[0]);
      checkTimestamp('TS.MADD', 'timestamp', s[1], ['*']);
      if (typeof s[2] !== 'number') throw new DataError(`TS.MADD: value must be a number, got ${typeName(s[2])}`);
      argv.push(s[0] as RedisKey, s[1] as Timestamp, s[2]);
    }
    return argv;
  }),
  tsIncrby: method(TS_INCRBY, buildIncr('TS.INCRBY')),
  tsDecrby: method(TS_DECRBY, buildIncr('TS.DECRBY')),
  tsDel: method(TS_DEL, (k: RedisKey, from: number, to: number): RedisArg[] => {
    checkKey('TS.DEL', 'key', k);
    checkTimestamp('TS.DEL', 'from', from, []);
    checkTimestamp('TS.DEL', 'to', to, []);
    return ['TS.DEL', k, from, to];
  }),
  tsCreaterule: method(TS_CREATERULE, (src: RedisKey, dest: RedisKey, type: Aggregator, bucket: number, align?: number): RedisArg[] => {
    checkKey('TS.CREATERULE', 'source', src);
    checkKey('TS.CREATERULE', 'dest', dest);
    const argv: RedisArg[] = ['TS.CREATERULE', src, dest, 'AGGREGATION', checkToken('TS.CREATERULE', 'type', type, AGGREGATORS)];
    checkInteger('TS.CREATERULE', 'bucketDuration', bucket);
    argv.push(bucket);
    if (align !== undefined) {
      checkInteger('TS.CREATERULE', 'alignTimestamp', align);
      argv.push(align);
    }
    return argv;
  }),
  tsDeleterule: method(TS_DELETERULE, (src: RedisKey, dest: RedisKey): RedisArg[] => {
    checkKey('TS.DELETERULE', 'source', src);
    checkKey('TS.DELETERULE', 'dest', dest);
    return ['TS.DELETERULE', src, dest];
  }),
  tsGet: method(
    TS_GET,
    (k: RedisKey, o?: { latest?: boolean }): RedisArg[] => {
      checkKey('TS.GET', 'key', k);
      checkOptions('TS.GET', o);
      return o?.latest ? ['TS.GET', k, 'LATEST'] : ['TS.GET', k];
    },
    sample,
  ),
  tsMget: method(
    TS_MGET,
    (filters: string[], o?: TsMGetOptions): RedisArg[] => {
      checkOptions('TS.MGET', o);
      const argv: RedisArg[] = ['TS.MGET'];
      if (o?.latest) argv.push('LATEST');
      pushLabelOptions('TS.MGET', argv, o);
      checkFilters('TS.MGET', argv, filters);
      return argv;
    },
    mget,
  ),
  tsRange: method(TS_RANGE, buildRange('TS.RANGE'), samples),
  tsRevrange: method(TS_REVRANGE, buildRange('TS.REVRANGE'), samples),
  tsMrange: method(TS_MRANGE, buildMrange('TS.MRANGE'), mrange),
  tsMrevrange: method(TS_MREVRANGE, buildMrange('TS.MREVRANGE'), mrange),
  tsQueryindex: method(
    TS_QUERYINDEX,
    (filters: string[]): RedisArg[] => {
      const argv: RedisArg[] = ['TS.QUERYINDEX'];
      checkFilters('TS.QUERYINDEX', argv, filters);
      argv.splice(1, 1); // QUERYINDEX takes the filters without the FILTER word
      return argv;
    },
    textArray,
  ),
  tsInfo: method(
    TS_INFO,
    (k: RedisKey, o?: { debug?: boolean }): RedisArg[] => {
      checkKey('TS.INFO', 'key', k);
      checkOptions('TS.INFO', o);
      return o?.debug ? ['TS.INFO', k, 'DEBUG'] : ['TS.INFO', k];
    },
    tsInfo,
  ),
};
