import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type RedisValue, type Result, type Str } from './command.js';
import { checkOptions, oneKey } from './build.js';
import { checkInteger, checkKey, checkValue, command, key, method, typeName, variadic } from './registry.js';
import { setOwn, toBoolean, toBufferMap, toObject, toStringOrNull, toText, toTexts } from './transforms.js';
import { endsWithFlag, withOption } from './variants.js';

const R = Flag.READONLY;
const W = Flag.WRITE;

// ---- reply types ------------------------------------------------------------------------------------

/**
 * An entry's fields: an object of strings, or in a Buffer view a Map from each field's bytes to its
 * value (an object's string keys would merge binary field names that UTF-8 decodes alike).
 */
export type StreamEntryFields<S = string> = S extends Buffer ? Map<Buffer, Buffer> : Record<string, S>;

/** One stream entry. Ids are always strings (they are ASCII). */
export interface StreamEntry<S = string> {
  id: string;
  fields: StreamEntryFields<S>;
}

/**
 * An entry read by XREADGROUP. Reading a consumer's history (an id other than `>`) gives `fields: null`
 * for entries deleted since they were delivered. With the CLAIM option (Redis 8.4) claimed entries also
 * carry their idle time and delivery count.
 */
export interface StreamGroupEntry<S = string> {
  id: string;
  fields: StreamEntryFields<S> | null;
  /** Milliseconds since the entry was last delivered (CLAIM only). */
  idle?: number;
  /** How many times it was delivered (CLAIM only). */
  deliveries?: number;
}

/** XREAD's reply: the entries per stream name. */
export type XReadReply<S = string> = Record<string, Array<StreamEntry<S>>>;
/** XREADGROUP's reply when it may read history (see StreamGroupEntry). */
export type XReadGroupReply<S = string> = Record<string, Array<StreamGroupEntry<S>>>;

/** The reply of XPENDING without a range: how many entries are pending, their id span, and the count per consumer. */
export interface XPendingSummary {
  /** How many entries are pending in the group. */
  pending: number;
  /** The smallest and greatest pending ids; null when nothing is pending. */
  minId: string | null;
  maxId: string | null;
  consumers: Array<{ name: string; pending: number }>;
}

/** One pending entry of the extended XPENDING: its id, owner, idle time and delivery count. */
export interface XPendingEntry {
  id: string;
  consumer: string;
  /** Milliseconds since it was last delivered. */
  idle: number;
  deliveries: number;
}

/** The reply of XAUTOCLAIM: the cursor to continue from, the claimed entries, and ids no longer in the stream. */
export interface XAutoClaimReply<S = string> {
  /** The cursor for the next call; '0-0' when the scan is complete. */
  nextId: string;
  entries: Array<StreamEntry<S>>;
  /** Ids that were pending but no longer exist in the stream (dropped from the PEL). */
  deletedIds: string[];
}

/** XAUTOCLAIM … JUSTID: the claimed ids instead of the entries. */
export interface XAutoClaimJustIdReply {
  nextId: string;
  ids: string[];
  deletedIds: string[];
}

/** What XINFO STREAM says about a stream with and without FULL. */
export interface XInfoStreamHead {
  length: number;
  radixTreeKeys: number;
  radixTreeNodes: number;
  lastGeneratedId: string;
  /** Redis 7+. */
  maxDeletedEntryId?: string;
  entriesAdded?: number;
  recordedFirstEntryId?: string;
}

/** The reply of XINFO STREAM: the stream's length, ids, counters, group count and first and last entries. */
export interface XInfoStreamReply<S = string> extends XInfoStreamHead {
  /** How many consumer groups the stream has. */
  groups: number;
  firstEntry: StreamEntry<S> | null;
  lastEntry: StreamEntry<S> | null;
}

/** The reply of XINFO STREAM FULL: the stream's entries and every group with its consumers and PEL. */
export interface XInfoStreamFullReply<S = string> extends XInfoStreamHead {
  entries: Array<StreamEntry<S>>;
  groups: XInfoFullGroup[];
}

/** One consumer group as XINFO STREAM FULL reports it, with its pending entries and consumers. */
export interface XInfoFullGroup {
  name: string;
  lastDeliveredId: string;
  entriesRead?: number | null;
  lag?: number | null;
  pelCount: number;
  pending: Array<{ id: string; consumer: string; deliveryTime: number; deliveryCount: number }>;
  consumers: Array<{
    name: string;
    seenTime: number;
    /** Redis 7.2+ / Valkey. */
    activeTime?: number;
    pelCount: number;
    pending: Array<{ id: string; deliveryTime: number; deliveryCount: number }>;
  }>;
}

/** One consumer group as XINFO GROUPS reports it: its consumers, pending count, last id and lag. */
export interface XInfoGroup {
  name: string;
  consumers: number;
  pending: number;
  lastDeliveredId: string;
  /** Redis 7+; null when the server cannot tell. */
  entriesRead?: number | null;
  lag?: number | null;
}

/** One consumer as XINFO CONSUMERS reports it: its pending count, idle and inactive times. */
export interface XInfoConsumer {
  name: string;
  pending: number;
  /** Milliseconds since the consumer last tried to read or claim. */
  idle: number;
  /** Milliseconds since its last successful read (Redis 7.2+ / Valkey); -1 if never. */
  inactive?: number;
}

// ---- option types -----------------------------------------------------------------------------------

/** A trimming threshold: `maxlen: 1000` trims exactly; the object form adds `~` / `=` and LIMIT. */
export interface StreamTrim<T> {
  threshold: T;
  /** true: `~` (trim whole nodes, faster); false: an explicit `=`; unset: no operator (exact). */
  approximate?: boolean;
  /** At most this many entries evicted per call; only with `approximate: true`. */
  limit?: number;
}

/** What deleting or trimming entries does to consumer group references (Redis 8.2). */
export interface StreamRefPolicy {
  /** Keep references in every group's PEL (the default). */
  keepref?: boolean;
  /** Remove the references from every group's PEL too. */
  delref?: boolean;
  /** Only remove entries every group has read and acknowledged. */
  acked?: boolean;
}

/** Optional tokens of XADD: do not create the stream, trim it while adding, and how references are kept. */
export interface XAddOptions extends StreamRefPolicy {
  /** Do not create the stream when it does not exist (the reply is then null). */
  nomkstream?: boolean;
  /** Trim to at most this many entries. */
  maxlen?: number | StreamTrim<number>;
  /** Trim entries with ids lower than this. */
  minid?: string | number | StreamTrim<string | number>;
  /** Idempotent add with an id the server makes for this producer (Redis 8.6). */
  idmpauto?: RedisKey;
  /** Idempotent add with the producer's own idempotency id (Redis 8.6). */
  idmp?: { producerId: RedisKey; idempotentId: RedisKey };
}

/** How XTRIM trims a stream: by MAXLEN or by MINID, exactly or approximately. */
export type XTrimOptions = (
  | { maxlen: number | StreamTrim<number>; minid?: undefined }
  | { minid: string | number | StreamTrim<string | number>; maxlen?: undefined }
) &
  StreamRefPolicy;

/** Optional tokens of XRANGE and XREVRANGE: how many entries at most. */
export interface XRangeOptions {
  count?: number;
}

/** Optional tokens of XREAD: how many entries per stream and how long to block. */
export interface XReadOptions {
  /** At most this many entries per stream. */
  count?: number;
  /** Wait up to this many milliseconds for entries (0: forever). Without it the call never blocks. */
  block?: number;
  /** At most this many entries in total over all streams (Redis 8.10). */
  maxcount?: number;
  /** Stop adding entries once the reply reaches about this many bytes (Redis 8.10). */
  maxsize?: number;
}

/** Optional tokens of XREADGROUP: XREAD's, plus NOACK and claiming idle pending entries. */
export interface XReadGroupOptions extends XReadOptions {
  /** Do not add the entries to the PEL (no XACK needed). */
  noack?: boolean;
  /** Also claim pending entries idle for at least this many ms (Redis 8.4). */
  claim?: number;
}

/** Optional tokens of XCLAIM: idle time, delivery time and count to set, FORCE, JUSTID and LASTID. */
export interface XClaimOptions {
  /** Set the idle time of the claimed entries (ms). */
  idle?: number;
  /** Set their last delivery time (Unix ms). */
  time?: number;
  /** Set their delivery count. */
  retrycount?: number;
  /** Create PEL entries for ids that are not pending yet. */
  force?: boolean;
  /** Reply with ids only (does not count as a delivery). */
  justid?: boolean;
  /** Set the group's last delivered id. */
  lastid?: string;
}

/** Optional tokens of XAUTOCLAIM: how many entries per call, and ids only. */
export interface XAutoClaimOptions {
  /** How many entries to claim at most (server default 100). */
  count?: number;
  justid?: boolean;
}

/** Optional tokens of the extended XPENDING: minimum idle time and one consumer's entries. */
export interface XPendingOptions {
  /** Only entries idle at least this many ms. */
  idle?: number;
  /** Only this consumer's entries. */
  consumer?: RedisKey;
}

/** Optional tokens of XGROUP CREATE: create the stream, and the group's entries-read counter. */
export interface XGroupCreateOptions {
  /** Create an empty stream when the key does not exist. */
  mkstream?: boolean;
  /** The group's entries-read counter, for an exact lag (Redis 7+). */
  entriesread?: number;
}

/** Optional tokens of XSETID: the stream's entries-added counter and greatest deleted id. */
export interface XSetIdOptions {
  entriesadded?: number;
  maxdeletedid?: string;
}

/** The FULL form of XINFO STREAM, with how many entries and pending entries to list. */
export interface XInfoStreamFullOptions {
  full: true;
  /** How many entries and PEL entries to list (server default 10; 0 = all). */
  count?: number;
}

/** Optional tokens of XCFGSET: how long and how many idempotency ids a stream remembers (Redis 8.4). */
export interface XCfgSetOptions {
  /** Seconds an idempotency id is remembered (IDMP-DURATION). */
  idmpDuration?: number;
  /** How many idempotency ids are kept per producer (IDMP-MAXSIZE). */
  idmpMaxsize?: number;
}

/** Stream fields: an object, a Map, or [field, value] pairs (the only way to repeat a field). */
export type StreamFields = Record<string, RedisValue> | Map<RedisKey, RedisValue> | Array<[RedisKey, RedisValue]>;

/** Stream name -> id to read after, as an object or as pairs (for Buffer names or a fixed order). */
export type StreamOffsets = Record<string, string> | Array<[RedisKey, string]>;
/** Offsets that all read new entries (`>`). */
export type NewStreamOffsets = Record<string, '>'> | Array<[RedisKey, '>']>;

// ---- the methods -------------------------------------------------------------------------------------

export interface StreamCommands<C> {
  /** Acknowledges entries of a group; resolves how many were pending. */
  xack(key: RedisKey, group: RedisKey, ...ids: string[]): Result<C, number>;
  xack(key: RedisKey, group: RedisKey, ids: ReadonlyArray<string>): Result<C, number>;
  /** Acknowledges and deletes entries (Redis 8.2); one code per id: -1 no such id, 1 deleted, 2 kept (referenced). */
  xackdel(key: RedisKey, group: RedisKey, ids: string[], options?: StreamRefPolicy): Result<C, number[]>;
  /** Appends an entry (`id` '*' to let the server pick); resolves its id, or null with NOMKSTREAM and no stream. */
  xadd(key: RedisKey, id: string, fields: StreamFields, options?: XAddOptions): Result<C, string | null>;
  /** Claims pending entries idle at least `minIdleTime` ms, scanning from `start`. */
  xautoclaim(
    key: RedisKey,
    group: RedisKey,
    consumer: RedisKey,
    minIdleTime: number,
    start: string,
    options: XAutoClaimOptions & { justid: true },
  ): Result<C, XAutoClaimJustIdReply>;
  xautoclaim(
    key: RedisKey,
    group: RedisKey,
    consumer: RedisKey,
    minIdleTime: number,
    start: string,
    options?: XAutoClaimOptions,
  ): Result<C, XAutoClaimReply<Str<C>>>;
  /** Sets a stream's IDMP configuration (Redis 8.6). */
  xcfgset(key: RedisKey, options: XCfgSetOptions): Result<C, 'OK'>;
  /** Takes ownership of pending entries idle at least `minIdleTime` ms. */
  xclaim(
    key: RedisKey,
    group: RedisKey,
    consumer: RedisKey,
    minIdleTime: number,
    ids: string[],
    options: XClaimOptions & { justid: true },
  ): Result<C, string[]>;
  xclaim(
    key: RedisKey,
    group: RedisKey,
    consumer: RedisKey,
    minIdleTime: number,
    ids: string[],
    options?: XClaimOptions,
  ): Result<C, Array<StreamEntry<Str<C>>>>;
  /** Deletes entries; resolves how many existed. */
  xdel(key: RedisKey, ...ids: string[]): Result<C, number>;
  xdel(key: RedisKey, ids: ReadonlyArray<string>): Result<C, number>;
  /** Deletes entries with a reference policy (Redis 8.2); one code per id: -1 no such id, 1 deleted, 2 kept. */
  xdelex(key: RedisKey, ids: string[], options?: StreamRefPolicy): Result<C, number[]>;
  /** Creates a consumer group starting after `id` ('$' for new entries only, '0' for all). */
  xgroupCreate(key: RedisKey, group: RedisKey, id: string, options?: XGroupCreateOptions): Result<C, 'OK'>;
  /** True when the consumer was created, false when it existed. */
  xgroupCreateconsumer(key: RedisKey, group: RedisKey, consumer: RedisKey): Result<C, boolean>;
  /** Deletes a consumer; resolves how many entries it had pending. */
  xgroupDelconsumer(key: RedisKey, group: RedisKey, consumer: RedisKey): Result<C, number>;
  /** True when the group existed and was destroyed. */
  xgroupDestroy(key: RedisKey, group: RedisKey): Result<C, boolean>;
  xgroupHelp(): Result<C, string[]>;
  /** Moves a group's last delivered id. */
  xgroupSetid(key: RedisKey, group: RedisKey, id: string, options?: { entriesread?: number }): Result<C, 'OK'>;
  xinfoConsumers(key: RedisKey, group: RedisKey): Result<C, XInfoConsumer[]>;
  xinfoGroups(key: RedisKey): Result<C, XInfoGroup[]>;
  xinfoHelp(): Result<C, string[]>;
  xinfoStream(key: RedisKey, options: XInfoStreamFullOptions): Result<C, XInfoStreamFullReply<Str<C>>>;
  xinfoStream(key: RedisKey): Result<C, XInfoStreamReply<Str<C>>>;
  xlen(key: RedisKey): Result<C, number>;
  /** The group's pending summary. */
  xpending(key: RedisKey, group: RedisKey): Result<C, XPendingSummary>;
  /** The group's pending entries from `start` to `end` ('-' and '+' for all), at most `count`. */
  xpending(
    key: RedisKey,
    group: RedisKey,
    start: string,
    end: string,
    count: number,
    options?: XPendingOptions,
  ): Result<C, XPendingEntry[]>;
  /** Entries from `start` to `end` ('-' and '+' for all; '(' before an id excludes it). */
  xrange(key: RedisKey, start: string, end: string, options?: XRangeOptions): Result<C, Array<StreamEntry<Str<C>>>>;
  /** Entries after the given ids, per stream; null when there are none (or BLOCK timed out). */
  xread(streams: StreamOffsets, options?: XReadOptions): Result<C, XReadReply<Str<C>> | null>;
  /** New entries (`>`) for a consumer of a group. */
  xreadgroup(
    group: RedisKey,
    consumer: RedisKey,
    streams: NewStreamOffsets,
    options?: XReadOptions & { noack?: boolean; claim?: undefined },
  ): Result<C, XReadReply<Str<C>> | null>;
  /** Entries for a consumer of a group: new ones (`>`) or its own history (any other id). */
  xreadgroup(
    group: RedisKey,
    consumer: RedisKey,
    streams: StreamOffsets,
    options?: XReadGroupOptions,
  ): Result<C, XReadGroupReply<Str<C>> | null>;
  /** Entries from `end` down to `start`, newest first. */
  xrevrange(key: RedisKey, end: string, start: string, options?: XRangeOptions): Result<C, Array<StreamEntry<Str<C>>>>;
  /** Sets the stream's last id (and its added-entries counter and max deleted id). */
  xsetid(key: RedisKey, lastId: string, options?: XSetIdOptions): Result<C, 'OK'>;
  /** Trims the stream; resolves how many entries were removed. */
  xtrim(key: RedisKey, options: XTrimOptions): Result<C, number>;
}

// ---- key specs and scanning XREAD / XREADGROUP arguments ------------------------------------------------

function upper(a: RedisArg | undefined): string {
  return typeof a === 'string' ? a.toUpperCase() : Buffer.isBuffer(a) ? a.toString('latin1').toUpperCase() : String(a);
}

/**
 * Walks XREAD / XREADGROUP options up to STREAMS, skipping each option's arguments, so that a group,
 * consumer or count that happens to read "STREAMS" or "BLOCK" is not taken for the keyword.
 */
function scanRead(argv: ReadonlyArray<RedisArg>): { streams: number; block: number | undefined } {
  let block: number | undefined;
  let i = 1;
  while (i < argv.length) {
    const word = upper(argv[i]);
    if (word === 'STREAMS') return { streams: i, block };
    if (word === 'GROUP') i += 3;
    else if (word === 'BLOCK') {
      block = Number(argv[i + 1]);
      i += 2;
    } else if (word === 'NOACK') i += 1;
    else i += 2; // COUNT, CLAIM, MAXCOUNT, MAXSIZE: one argument each
  }
  return { streams: -1, block };
}

function readKeys(argv: ReadonlyArray<RedisArg>): number[] {
  const at = scanRead(argv).streams;
  if (at === -1) return [];
  const n = Math.floor((argv.length - at - 1) / 2);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(at + 1 + i);
  return out;
}

function readBlockMs(argv: ReadonlyArray<RedisArg>): number | undefined {
  const block = scanRead(argv).block;
  return block === undefined || !Number.isFinite(block) ? undefined : block;
}

const XACK = command('xack', W, key(1));
const XACKDEL = command('xackdel', W, key(1));
const XADD = command('xadd', W, key(1));
const XAUTOCLAIM = command('xautoclaim', W, key(1));
const XCFGSET = command('xcfgset', W, key(1));
const XCLAIM = command('xclaim', W, key(1));
const XDEL = command('xdel', W, key(1));
const XDELEX = command('xdelex', W, key(1));
const XGROUP_CREATE = command('xgroup|create', W, key(2));
const XGROUP_CREATECONSUMER = command('xgroup|createconsumer', W, key(2));
const XGROUP_DELCONSUMER = command('xgroup|delconsumer', W, key(2));
const XGROUP_DESTROY = command('xgroup|destroy', W, key(2));
const XGROUP_HELP = command('xgroup|help', 0);
const XGROUP_SETID = command('xgroup|setid', W, key(2));
const XINFO_CONSUMERS = command('xinfo|consumers', R, key(2));
const XINFO_GROUPS = command('xinfo|groups', R, key(2));
const XINFO_HELP = command('xinfo|help', 0);
const XINFO_STREAM = command('xinfo|stream', R, key(2));
const XLEN = command('xlen', R, key(1));
const XPENDING = command('xpending', R, key(1));
const XRANGE = command('xrange', R, key(1));
// Both are flagged blocking by the servers, but only hold the connection when BLOCK is given.
const XREAD = command('xread', R | Flag.BLOCKING, readKeys, readBlockMs);
const XREADGROUP = command('xreadgroup', W | Flag.BLOCKING, readKeys, readBlockMs);
const XREVRANGE = command('xrevrange', R, key(1));
const XSETID = command('xsetid', W, key(1));
const XTRIM = command('xtrim', W, key(1));

// ---- argument builders --------------------------------------------------------------------------------

function checkId(cmd: string, name: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') {
    throw new DataError(`${cmd}: ${name} must be a non-empty string (a stream id), got ${value === '' ? 'an empty string' : typeName(value)}`);
  }
}

function checkIds(cmd: string, ids: unknown, name = 'ids'): string[] {
  if (!Array.isArray(ids) || ids.length === 0) throw new DataError(`${cmd}: ${name} must be a non-empty array of stream ids`);
  for (const id of ids) checkId(cmd, 'id', id);
  return ids as string[];
}

function checkNonNegative(cmd: string, name: string, value: unknown): void {
  checkInteger(cmd, name, value);
  if ((value as number) < 0) throw new DataError(`${cmd}: ${name} must be >= 0`);
}

function pushRefPolicy(cmd: string, argv: RedisArg[], o: StreamRefPolicy | undefined): void {
  if (o === undefined) return;
  const set = (['keepref', 'delref', 'acked'] as const).filter((f) => o[f]);
  if (set.length > 1) throw new DataError(`${cmd}: ${set.join(', ')} exclude each other`);
  if (set.length === 1) argv.push(set[0]!.toUpperCase());
}

function pushTrim(cmd: string, argv: RedisArg[], o: { maxlen?: unknown; minid?: unknown }): boolean {
  if (o.maxlen !== undefined && o.minid !== undefined) throw new DataError(`${cmd}: maxlen and minid exclude each other`);
  const which = o.maxlen !== undefined ? 'maxlen' : o.minid !== undefined ? 'minid' : undefined;
  if (which === undefined) return false;
  const spec = o[which];
  const isSpec = spec !== null && typeof spec === 'object' && !Buffer.isBuffer(spec);
  const threshold = isSpec ? (spec as StreamTrim<unknown>).threshold : spec;
  if (which === 'maxlen') checkNonNegative(cmd, 'maxlen threshold', threshold);
  else if (!(typeof threshold === 'string' && threshold !== '') && !(typeof threshold === 'number' && Number.isInteger(threshold) && threshold >= 0)) {
    throw new DataError(`${cmd}: minid threshold must be a stream id, got ${typeName(threshold)}`);
  }
  argv.push(which.toUpperCase());
  if (isSpec) {
    const { approximate, limit } = spec as StreamTrim<unknown>;
    if (approximate !== undefined && typeof approximate !== 'boolean') {
      throw new DataError(`${cmd}: ${which} approximate must be a boolean, got ${typeName(approximate)}`);
    }
    if (approximate !== undefined) argv.push(approximate ? '~' : '=');
    argv.push(threshold as RedisArg);
    if (limit !== undefined) {
      checkNonNegative(cmd, `${which} limit`, limit);
      if (approximate !== true) throw new DataError(`${cmd}: ${which} limit needs approximate: true`);
      argv.push('LIMIT', limit);
    }
  } else {
    argv.push(threshold as RedisArg);
  }
  return true;
}

function pushFields(cmd: string, argv: RedisArg[], fields: StreamFields): void {
  if (fields === null || typeof fields !== 'object' || Buffer.isBuffer(fields)) {
    throw new DataError(`${cmd}: fields must be an object, a Map or an array of [field, value] pairs, got ${typeName(fields)}`);
  }
  const start = argv.length;
  const pairs = Array.isArray(fields) ? fields : fields instanceof Map ? fields.entries() : Object.entries(fields);
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2) throw new DataError(`${cmd}: each field must be a [field, value] pair`);
    checkKey(cmd, 'field', pair[0]);
    checkValue(cmd, 'value', pair[1]);
    argv.push(pair[0] as RedisArg, pair[1] as RedisArg);
  }
  if (argv.length === start) throw new DataError(`${cmd}: at least one field is required`);
}

function buildXadd(k: RedisKey, id: string, fields: StreamFields, o?: XAddOptions): RedisArg[] {
  checkKey('XADD', 'key', k);
  checkId('XADD', 'id', id);
  checkOptions('XADD', o);
  const argv: RedisArg[] = ['XADD', k];
  if (o !== undefined) {
    if (o.nomkstream) argv.push('NOMKSTREAM');
    pushRefPolicy('XADD', argv, o);
    if (o.idmpauto !== undefined && o.idmp !== undefined) throw new DataError('XADD: idmpauto and idmp exclude each other');
    if (o.idmpauto !== undefined) {
      checkKey('XADD', 'idmpauto', o.idmpauto);
      argv.push('IDMPAUTO', o.idmpauto);
    }
    if (o.idmp !== undefined) {
      if (o.idmp === null || typeof o.idmp !== 'object') throw new DataError('XADD: idmp must be { producerId, idempotentId }');
      checkKey('XADD', 'idmp producerId', o.idmp.producerId);
      checkKey('XADD', 'idmp idempotentId', o.idmp.idempotentId);
      argv.push('IDMP', o.idmp.producerId, o.idmp.idempotentId);
    }
    pushTrim('XADD', argv, o);
  }
  argv.push(id);
  pushFields('XADD', argv, fields);
  return argv;
}

function buildXtrim(k: RedisKey, o: XTrimOptions): RedisArg[] {
  checkKey('XTRIM', 'key', k);
  if (o === undefined) throw new DataError('XTRIM: options with maxlen or minid are required');
  checkOptions('XTRIM', o);
  const argv: RedisArg[] = ['XTRIM', k];
  if (!pushTrim('XTRIM', argv, o)) throw new DataError('XTRIM: maxlen or minid is required');
  pushRefPolicy('XTRIM', argv, o);
  return argv;
}

function keyGroup(cmd: string, k: RedisKey, group: RedisKey): RedisArg[] {
  checkKey(cmd, 'key', k);
  checkKey(cmd, 'group', group);
  return [k, group];
}

function buildRange(cmd: 'XRANGE' | 'XREVRANGE', first: string, second: string) {
  return (k: RedisKey, a: string, b: string, o?: XRangeOptions): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkId(cmd, first, a);
    checkId(cmd, second, b);
    checkOptions(cmd, o);
    const argv: RedisArg[] = [cmd, k, a, b];
    if (o?.count !== undefined) {
      checkNonNegative(cmd, 'count', o.count);
      argv.push('COUNT', o.count);
    }
    return argv;
  };
}

function pushStreams(cmd: string, argv: RedisArg[], streams: StreamOffsets): void {
  if (streams === null || typeof streams !== 'object') {
    throw new DataError(`${cmd}: streams must be an object of stream -> id or an array of [stream, id] pairs, got ${typeName(streams)}`);
  }
  const pairs: Array<[RedisKey, string]> = Array.isArray(streams) ? streams : Object.entries(streams);
  if (pairs.length === 0) throw new DataError(`${cmd}: at least one stream is required`);
  argv.push('STREAMS');
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2) throw new DataError(`${cmd}: each stream must be a [stream, id] pair`);
    checkKey(cmd, 'stream', pair[0]);
    argv.push(pair[0]);
  }
  for (const pair of pairs) {
    checkId(cmd, 'stream id', pair[1]);
    argv.push(pair[1]);
  }
}

function pushReadOptions(cmd: string, argv: RedisArg[], o: XReadGroupOptions | undefined): void {
  if (o === undefined) return;
  for (const opt of ['count', 'block', 'maxcount', 'maxsize', 'claim'] as const) {
    const v = o[opt];
    if (v === undefined) continue;
    if (opt === 'claim' && cmd === 'XREAD') throw new DataError('XREAD: claim is an XREADGROUP option');
    checkNonNegative(cmd, opt, v);
    argv.push(opt.toUpperCase(), v);
  }
  if (o.noack) {
    if (cmd === 'XREAD') throw new DataError('XREAD: noack is an XREADGROUP option');
    argv.push('NOACK');
  }
}

function buildXread(streams: StreamOffsets, o?: XReadOptions): RedisArg[] {
  checkOptions('XREAD', o);
  const argv: RedisArg[] = ['XREAD'];
  pushReadOptions('XREAD', argv, o);
  pushStreams('XREAD', argv, streams);
  return argv;
}

function buildXreadgroup(group: RedisKey, consumer: RedisKey, streams: StreamOffsets, o?: XReadGroupOptions): RedisArg[] {
  checkKey('XREADGROUP', 'group', group);
  checkKey('XREADGROUP', 'consumer', consumer);
  checkOptions('XREADGROUP', o);
  const argv: RedisArg[] = ['XREADGROUP', 'GROUP', group, consumer];
  pushReadOptions('XREADGROUP', argv, o);
  pushStreams('XREADGROUP', argv, streams);
  return argv;
}

function buildXclaim(
  k: RedisKey,
  group: RedisKey,
  consumer: RedisKey,
  minIdleTime: number,
  ids: string[],
  o?: XClaimOptions,
): RedisArg[] {
  const argv: RedisArg[] = ['XCLAIM', ...keyGroup('XCLAIM', k, group)];
  checkKey('XCLAIM', 'consumer', consumer);
  checkNonNegative('XCLAIM', 'minIdleTime', minIdleTime);
  checkIds('XCLAIM', ids);
  checkOptions('XCLAIM', o);
  argv.push(consumer, minIdleTime, ...ids);
  if (o !== undefined) {
    for (const opt of ['idle', 'time', 'retrycount'] as const) {
      const v = o[opt];
      if (v === undefined) continue;
      checkNonNegative('XCLAIM', opt, v);
      argv.push(opt.toUpperCase(), v);
    }
    if (o.force) argv.push('FORCE');
    if (o.justid) argv.push('JUSTID');
    if (o.lastid !== undefined) {
      checkId('XCLAIM', 'lastid', o.lastid);
      argv.push('LASTID', o.lastid);
    }
  }
  return argv;
}

function buildXautoclaim(
  k: RedisKey,
  group: RedisKey,
  consumer: RedisKey,
  minIdleTime: number,
  start: string,
  o?: XAutoClaimOptions,
): RedisArg[] {
  const argv: RedisArg[] = ['XAUTOCLAIM', ...keyGroup('XAUTOCLAIM', k, group)];
  checkKey('XAUTOCLAIM', 'consumer', consumer);
  checkNonNegative('XAUTOCLAIM', 'minIdleTime', minIdleTime);
  checkId('XAUTOCLAIM', 'start', start);
  checkOptions('XAUTOCLAIM', o);
  argv.push(consumer, minIdleTime, start);
  if (o?.count !== undefined) {
    checkNonNegative('XAUTOCLAIM', 'count', o.count);
    argv.push('COUNT', o.count);
  }
  if (o?.justid) argv.push('JUSTID');
  return argv;
}

function buildXpending(
  k: RedisKey,
  group: RedisKey,
  start?: string,
  end?: string,
  count?: number,
  o?: XPendingOptions,
): RedisArg[] {
  const argv: RedisArg[] = ['XPENDING', ...keyGroup('XPENDING', k, group)];
  if (start === undefined && end === undefined && count === undefined && o === undefined) return argv;
  checkOptions('XPENDING', o);
  if (o?.idle !== undefined) {
    checkNonNegative('XPENDING', 'idle', o.idle);
    argv.push('IDLE', o.idle);
  }
  checkId('XPENDING', 'start', start);
  checkId('XPENDING', 'end', end);
  checkNonNegative('XPENDING', 'count', count);
  argv.push(start!, end!, count!);
  if (o?.consumer !== undefined) {
    checkKey('XPENDING', 'consumer', o.consumer);
    argv.push(o.consumer);
  }
  return argv;
}

function buildIdsBlock(cmd: string, argv: RedisArg[], ids: string[], o: StreamRefPolicy | undefined): RedisArg[] {
  checkIds(cmd, ids);
  checkOptions(cmd, o);
  pushRefPolicy(cmd, argv, o);
  argv.push('IDS', ids.length, ...ids);
  return argv;
}

function buildXinfoStream(k: RedisKey, o?: XInfoStreamFullOptions): RedisArg[] {
  checkKey('XINFO STREAM', 'key', k);
  checkOptions('XINFO STREAM', o);
  const argv: RedisArg[] = ['XINFO', 'STREAM', k];
  if (o?.full) {
    argv.push('FULL');
    if (o.count !== undefined) {
      checkNonNegative('XINFO STREAM', 'count', o.count);
      argv.push('COUNT', o.count);
    }
  } else if (o?.count !== undefined) {
    throw new DataError('XINFO STREAM: count needs full: true');
  }
  return argv;
}

function pushEntriesRead(cmd: string, argv: RedisArg[], o: { entriesread?: number } | undefined): void {
  if (o?.entriesread === undefined) return;
  checkInteger(cmd, 'entriesread', o.entriesread);
  argv.push('ENTRIESREAD', o.entriesread);
}

// ---- reply transforms -----------------------------------------------------------------------------------

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(toText(v));
}

// Each transform takes `buffers` (is this a Buffer view?), which the connection passes to a method's
// transform: the entries' fields are then a Map keyed by their bytes.

function toEntry(v: unknown, buffers?: boolean): StreamGroupEntry<unknown> {
  const a = v as unknown[];
  const fields = a[1] === null ? null : buffers === true ? toBufferMap(a[1]) : toObject<unknown>(a[1]);
  const e = { id: toText(a[0]), fields } as StreamGroupEntry<unknown>;
  if (a.length >= 4) {
    e.idle = num(a[2]);
    e.deliveries = num(a[3]);
  }
  return e;
}

/** A list of entries; a nil in place of an entry (older servers, for deleted ids) is skipped. */
function toEntries(v: unknown, buffers?: boolean): Array<StreamGroupEntry<unknown>> {
  if (v === null) return [];
  const list = v as unknown[];
  const out: Array<StreamGroupEntry<unknown>> = [];
  for (const e of list) if (e !== null) out.push(toEntry(e, buffers));
  return out;
}

function toEntryOrNull(v: unknown, buffers?: boolean): StreamGroupEntry<unknown> | null {
  return v === null || v === undefined ? null : toEntry(v, buffers);
}

/** XREAD / XREADGROUP: pairs of [stream, entries] under RESP2, a map under RESP3. */
function toReadReply(v: unknown, buffers?: boolean): Record<string, Array<StreamGroupEntry<unknown>>> | null {
  if (v === null) return null;
  const out: Record<string, Array<StreamGroupEntry<unknown>>> = {};
  if (Array.isArray(v)) {
    for (const pair of v as unknown[][]) setOwn(out, toText(pair[0]), toEntries(pair[1], buffers));
  } else {
    const map = v as Record<string, unknown>;
    for (const name of Object.keys(map)) setOwn(out, name, toEntries(map[name], buffers));
  }
  return out;
}

function camel(name: string): string {
  return name.replace(/[-_]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * A map reply (flat under RESP2) as a record with camelCase keys. Named fields go through `fix`; any
 * other text value becomes a string, so fields a newer server adds still arrive readable.
 */
function camelRecord(v: unknown, fix?: Record<string, (x: unknown) => unknown>): Record<string, unknown> {
  const src = toObject<unknown>(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src)) {
    const f = fix?.[k];
    const value = src[k];
    setOwn(out, camel(k), f !== undefined ? f(value) : Buffer.isBuffer(value) ? value.toString('utf8') : value);
  }
  return out;
}

function toXinfoStream(v: unknown, buffers?: boolean): Record<string, unknown> {
  return camelRecord(v, {
    'first-entry': (e) => toEntryOrNull(e, buffers),
    'last-entry': (e) => toEntryOrNull(e, buffers),
    entries: (e) => toEntries(e, buffers),
    groups: (g) => (Array.isArray(g) ? g.map(toFullGroup) : g),
  });
}

function toFullGroup(v: unknown): Record<string, unknown> {
  return camelRecord(v, {
    pending: (p) =>
      (p as unknown[][]).map((e) => ({ id: toText(e[0]), consumer: toText(e[1]), deliveryTime: Number(e[2]), deliveryCount: Number(e[3]) })),
    consumers: (cs) =>
      (cs as unknown[]).map((c) =>
        camelRecord(c, {
          pending: (p) => (p as unknown[][]).map((e) => ({ id: toText(e[0]), deliveryTime: Number(e[1]), deliveryCount: Number(e[2]) })),
        }),
      ),
  });
}

function toRecords(v: unknown): Array<Record<string, unknown>> {
  return (v as unknown[]).map((r) => camelRecord(r));
}

function toPendingSummary(v: unknown): XPendingSummary {
  const a = v as unknown[];
  const consumers = (a[3] ?? []) as unknown[][];
  return {
    pending: Number(a[0]),
    minId: toStringOrNull(a[1]),
    maxId: toStringOrNull(a[2]),
    consumers: consumers.map((c) => ({ name: toText(c[0]), pending: num(c[1]) })),
  };
}

function toPendingEntries(v: unknown): XPendingEntry[] {
  return (v as unknown[][]).map((e) => ({ id: toText(e[0]), consumer: toText(e[1]), idle: Number(e[2]), deliveries: Number(e[3]) }));
}

function toAutoClaim(v: unknown, buffers?: boolean): Record<string, unknown> {
  const a = v as unknown[];
  return { nextId: toText(a[0]), entries: toEntries(a[1], buffers), deletedIds: a[2] === undefined ? [] : toTexts(a[2]) };
}

function toAutoClaimJustId(v: unknown): XAutoClaimJustIdReply {
  const a = v as unknown[];
  return { nextId: toText(a[0]), ids: toTexts(a[1]), deletedIds: a[2] === undefined ? [] : toTexts(a[2]) };
}

function toClaim(v: unknown, buffers?: boolean): unknown[] {
  const list = v as unknown[];
  return list.length > 0 && !Array.isArray(list[0]) && list[0] !== null ? toTexts(list) : toEntries(list, buffers);
}

export const streamMethods = {
  xack: variadic(XACK, 2, (k: RedisKey, group: RedisKey, ids: string[]) => {
    const argv: RedisArg[] = ['XACK', ...keyGroup('XACK', k, group)];
    argv.push(...checkIds('XACK', ids));
    return argv;
  }),
  xackdel: method(XACKDEL, (k: RedisKey, group: RedisKey, ids: string[], o?: StreamRefPolicy) =>
    buildIdsBlock('XACKDEL', ['XACKDEL', ...keyGroup('XACKDEL', k, group)], ids, o),
  ),
  xadd: method(XADD, buildXadd, toStringOrNull),
  // An empty XAUTOCLAIM reply looks the same with and without JUSTID, so the argv picks the reading.
  // JUSTID is the builder's last word, past the five positional arguments.
  xautoclaim: withOption(XAUTOCLAIM, buildXautoclaim, endsWithFlag('JUSTID', 6), toAutoClaimJustId, toAutoClaim),
  xcfgset: method(XCFGSET, (k: RedisKey, o: XCfgSetOptions) => {
    checkKey('XCFGSET', 'key', k);
    checkOptions('XCFGSET', o);
    const argv: RedisArg[] = ['XCFGSET', k];
    if (o?.idmpDuration !== undefined) {
      checkNonNegative('XCFGSET', 'idmpDuration', o.idmpDuration);
      argv.push('IDMP-DURATION', o.idmpDuration);
    }
    if (o?.idmpMaxsize !== undefined) {
      checkNonNegative('XCFGSET', 'idmpMaxsize', o.idmpMaxsize);
      argv.push('IDMP-MAXSIZE', o.idmpMaxsize);
    }
    if (argv.length === 2) throw new DataError('XCFGSET: idmpDuration or idmpMaxsize is required');
    return argv;
  }),
  xclaim: method(XCLAIM, buildXclaim, toClaim),
  xdel: variadic(XDEL, 1, (k: RedisKey, ids: string[]) => {
    checkKey('XDEL', 'key', k);
    return ['XDEL', k, ...checkIds('XDEL', ids)];
  }),
  xdelex: method(XDELEX, (k: RedisKey, ids: string[], o?: StreamRefPolicy) => {
    checkKey('XDELEX', 'key', k);
    return buildIdsBlock('XDELEX', ['XDELEX', k], ids, o);
  }),
  xgroupCreate: method(XGROUP_CREATE, (k: RedisKey, group: RedisKey, id: string, o?: XGroupCreateOptions) => {
    const argv: RedisArg[] = ['XGROUP', 'CREATE', ...keyGroup('XGROUP CREATE', k, group)];
    checkId('XGROUP CREATE', 'id', id);
    checkOptions('XGROUP CREATE', o);
    argv.push(id);
    if (o?.mkstream) argv.push('MKSTREAM');
    pushEntriesRead('XGROUP CREATE', argv, o);
    return argv;
  }),
  xgroupCreateconsumer: method(
    XGROUP_CREATECONSUMER,
    (k: RedisKey, group: RedisKey, consumer: RedisKey) => {
      const argv: RedisArg[] = ['XGROUP', 'CREATECONSUMER', ...keyGroup('XGROUP CREATECONSUMER', k, group)];
      checkKey('XGROUP CREATECONSUMER', 'consumer', consumer);
      argv.push(consumer);
      return argv;
    },
    toBoolean,
  ),
  xgroupDelconsumer: method(XGROUP_DELCONSUMER, (k: RedisKey, group: RedisKey, consumer: RedisKey) => {
    const argv: RedisArg[] = ['XGROUP', 'DELCONSUMER', ...keyGroup('XGROUP DELCONSUMER', k, group)];
    checkKey('XGROUP DELCONSUMER', 'consumer', consumer);
    argv.push(consumer);
    return argv;
  }),
  xgroupDestroy: method(
    XGROUP_DESTROY,
    (k: RedisKey, group: RedisKey) => ['XGROUP', 'DESTROY', ...keyGroup('XGROUP DESTROY', k, group)],
    toBoolean,
  ),
  xgroupHelp: method(XGROUP_HELP, () => ['XGROUP', 'HELP'], toTexts),
  xgroupSetid: method(XGROUP_SETID, (k: RedisKey, group: RedisKey, id: string, o?: { entriesread?: number }) => {
    const argv: RedisArg[] = ['XGROUP', 'SETID', ...keyGroup('XGROUP SETID', k, group)];
    checkId('XGROUP SETID', 'id', id);
    checkOptions('XGROUP SETID', o);
    argv.push(id);
    pushEntriesRead('XGROUP SETID', argv, o);
    return argv;
  }),
  xinfoConsumers: method(
    XINFO_CONSUMERS,
    (k: RedisKey, group: RedisKey) => ['XINFO', 'CONSUMERS', ...keyGroup('XINFO CONSUMERS', k, group)],
    toRecords,
  ),
  xinfoGroups: method(
    XINFO_GROUPS,
    (k: RedisKey) => {
      checkKey('XINFO GROUPS', 'key', k);
      return ['XINFO', 'GROUPS', k];
    },
    toRecords,
  ),
  xinfoHelp: method(XINFO_HELP, () => ['XINFO', 'HELP'], toTexts),
  xinfoStream: method(XINFO_STREAM, buildXinfoStream, toXinfoStream),
  xlen: method(XLEN, oneKey('XLEN')),
  xpending: method(XPENDING, buildXpending, (v: unknown) =>
    // The summary starts with the pending count; the extended form is a list of entries.
    typeof (v as unknown[])[0] === 'number' ? toPendingSummary(v) : toPendingEntries(v),
  ),
  xrange: method(XRANGE, buildRange('XRANGE', 'start', 'end'), toEntries),
  xread: method(XREAD, buildXread, toReadReply),
  xreadgroup: method(XREADGROUP, buildXreadgroup, toReadReply),
  xrevrange: method(XREVRANGE, buildRange('XREVRANGE', 'end', 'start'), toEntries),
  xsetid: method(XSETID, (k: RedisKey, lastId: string, o?: XSetIdOptions) => {
    checkKey('XSETID', 'key', k);
    checkId('XSETID', 'lastId', lastId);
    checkOptions('XSETID', o);
    const argv: RedisArg[] = ['XSETID', k, lastId];
    if (o?.entriesadded !== undefined) {
      checkNonNegative('XSETID', 'entriesadded', o.entriesadded);
      argv.push('ENTRIESADDED', o.entriesadded);
    }
    if (o?.maxdeletedid !== undefined) {
      checkId('XSETID', 'maxdeletedid', o.maxdeletedid);
      argv.push('MAXDELETEDID', o.maxdeletedid);
    }
    return argv;
  }),
  xtrim: method(XTRIM, buildXtrim),
};
