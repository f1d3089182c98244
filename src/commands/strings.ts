import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type RedisValue, type Result, type Str } from './command.js';
import { keyAndInt, keyAndTwoInts, keyAndValue, keysArgv, oneKey, pushExpiry } from './build.js';
import { checkInteger, checkKey, checkNumber, checkValue, command, key, keyRange, method, variadic } from './registry.js';
import { numkeysSpec } from './specs.js';
import { toBoolean, toNumber, toObject, toStringOrNull } from './transforms.js';

const R = Flag.READONLY;
const W = Flag.WRITE;

/** When a key written by SET, GETEX or MSETEX expires; at most one of these. */
export interface ExpiryOptions {
  /** Expire after this many seconds. */
  ex?: number;
  /** Expire after this many milliseconds. */
  px?: number;
  /** Expire at this Unix time in seconds. */
  exat?: number;
  /** Expire at this Unix time in milliseconds. */
  pxat?: number;
}

/**
 * Conditions on the key's current value (Valkey 8.1+ has IFEQ; Redis 8.4+ has all four). A digest
 * is what DIGEST returns: the hex XXH3 hash of the value.
 */
export interface ValueConditions {
  /** Only when the current value equals this. */
  ifeq?: RedisValue;
  /** Only when the current value differs from this (or the key does not exist). */
  ifne?: RedisValue;
  /** Only when the digest of the current value equals this. */
  ifdeq?: string;
  /** Only when the digest of the current value differs from this. */
  ifdne?: string;
}

/** Optional tokens of SET: expiry or KEEPTTL, NX/XX and value conditions, and GET for the old value. */
export interface SetOptions extends ExpiryOptions, ValueConditions {
  /** Keep the key's current time to live. */
  keepttl?: boolean;
  /** Only set when the key does not exist. */
  nx?: boolean;
  /** Only set when the key exists. */
  xx?: boolean;
  /** Return the old value (SET … GET). */
  get?: boolean;
}

/** Optional tokens of GETEX: set a new expiry or remove it (PERSIST) while reading the value. */
export interface GetExOptions extends ExpiryOptions {
  /** Remove the key's time to live. */
  persist?: boolean;
}

/** Optional tokens of MSETEX: one expiry (or KEEPTTL) for every key, and NX/XX conditions over all of them. */
export interface MSetExOptions extends ExpiryOptions {
  /** Keep each key's current time to live. */
  keepttl?: boolean;
  /** Only when none of the keys exists. */
  nx?: boolean;
  /** Only when all of the keys exist. */
  xx?: boolean;
}

/** Optional tokens of LCS: only the length, or the match positions, with a minimum match length. */
export interface LcsOptions {
  /** Only the length of the longest common subsequence. */
  len?: boolean;
  /** The positions of the matches. */
  idx?: boolean;
  /** With `idx`: leave out matches shorter than this. */
  minmatchlen?: number;
  /** With `idx`: give each match's length. */
  withmatchlen?: boolean;
}

/** One match of LCS … IDX: inclusive [start, end] ranges in the first and the second key. */
export interface LcsMatch {
  key1: [start: number, end: number];
  key2: [start: number, end: number];
  /** With `withmatchlen`. */
  len?: number;
}

/** The reply of LCS … IDX: the ranges of each match in both strings, and the total length. */
export interface LcsIdxReply {
  matches: LcsMatch[];
  /** The length of the longest common subsequence. */
  len: number;
}

/** Key/value pairs as MSET and its kin take them. */
export type KeyValuePairs = Record<string, RedisValue> | Map<RedisKey, RedisValue> | Array<[RedisKey, RedisValue]>;

export interface StringCommands<C> {
  /** Appends to the value of `key`; resolves the new length. */
  append(key: RedisKey, value: RedisValue): Result<C, number>;
  decr(key: RedisKey): Result<C, number>;
  decrby(key: RedisKey, decrement: number | bigint): Result<C, number>;
  /** Deletes `key` when a condition on its value holds (Redis 8.4+); true when it was deleted. */
  delex(key: RedisKey, options?: ValueConditions): Result<C, boolean>;
  /** Deletes `key` when its value equals `value` (Valkey 9+); true when it was deleted. */
  delifeq(key: RedisKey, value: RedisValue): Result<C, boolean>;
  /** The hex digest of the value of `key` (Redis 8.4+), or null when it does not exist. */
  digest(key: RedisKey): Result<C, string | null>;
  /** The value of `key`, or null when it does not exist. */
  get(key: RedisKey): Result<C, Str<C> | null>;
  /** Gets the value and deletes the key. */
  getdel(key: RedisKey): Result<C, Str<C> | null>;
  /** Gets the value and changes (or, with `persist`, removes) its time to live. */
  getex(key: RedisKey, options?: GetExOptions): Result<C, Str<C> | null>;
  /** The substring from `start` to `end`, inclusive; negative offsets count from the end. */
  getrange(key: RedisKey, start: number, end: number): Result<C, Str<C>>;
  /** Sets a new value and returns the old one. Deprecated by Redis: `set(key, value, { get: true })`. */
  getset(key: RedisKey, value: RedisValue): Result<C, Str<C> | null>;
  incr(key: RedisKey): Result<C, number>;
  incrby(key: RedisKey, increment: number | bigint): Result<C, number>;
  incrbyfloat(key: RedisKey, increment: number): Result<C, number>;
  /** The longest common subsequence of two string values: the text, its length, or its matches. */
  lcs(key1: RedisKey, key2: RedisKey, options: LcsOptions & { len: true }): Result<C, number>;
  lcs(key1: RedisKey, key2: RedisKey, options: LcsOptions & { idx: true }): Result<C, LcsIdxReply>;
  lcs(key1: RedisKey, key2: RedisKey, options?: LcsOptions): Result<C, Str<C>>;
  mget(...keys: RedisKey[]): Result<C, Array<Str<C> | null>>;
  mget(keys: ReadonlyArray<RedisKey>): Result<C, Array<Str<C> | null>>;
  mset(entries: KeyValuePairs): Result<C, 'OK'>;
  /** Sets the keys with one shared expiry (Redis 8.4+, Valkey 9.1+); true when they were set. */
  msetex(entries: KeyValuePairs, options?: MSetExOptions): Result<C, boolean>;
  /** Sets the keys only when none exists; true when they were set. */
  msetnx(entries: KeyValuePairs): Result<C, boolean>;
  /** Deprecated by Redis: `set(key, value, { px })`. */
  psetex(key: RedisKey, milliseconds: number, value: RedisValue): Result<C, 'OK'>;
  /** Sets `key`; resolves 'OK', or null when a condition (NX, XX, IFEQ…) prevented it. */
  set(key: RedisKey, value: RedisValue, options: SetOptions & { get: true }): Result<C, Str<C> | null>;
  set(key: RedisKey, value: RedisValue, options?: SetOptions): Result<C, 'OK' | null>;
  /** Deprecated by Redis: `set(key, value, { ex })`. */
  setex(key: RedisKey, seconds: number, value: RedisValue): Result<C, 'OK'>;
  /** Sets `key` when it does not exist; true when it was set. Deprecated by Redis: `set(…, { nx: true })`. */
  setnx(key: RedisKey, value: RedisValue): Result<C, boolean>;
  /** Overwrites part of the value from `offset`; resolves the new length. */
  setrange(key: RedisKey, offset: number, value: RedisValue): Result<C, number>;
  strlen(key: RedisKey): Result<C, number>;
  /** Deprecated by Redis: `getrange`. */
  substr(key: RedisKey, start: number, end: number): Result<C, Str<C>>;
}

const APPEND = command('append', W, key(1));
const DECR = command('decr', W, key(1));
const DECRBY = command('decrby', W, key(1));
const DELEX = command('delex', W, key(1));
const DELIFEQ = command('delifeq', W, key(1));
const DIGEST = command('digest', R, key(1));
const GET = command('get', R | Flag.CACHEABLE, key(1));
const GETDEL = command('getdel', W, key(1));
const GETEX = command('getex', W, key(1));
const GETRANGE = command('getrange', R | Flag.CACHEABLE, key(1));
const GETSET = command('getset', W, key(1));
const INCR = command('incr', W, key(1));
const INCRBY = command('incrby', W, key(1));
const INCRBYFLOAT = command('incrbyfloat', W, key(1));
const LCS = command('lcs', R, keyRange(1, 2));
const MGET = command('mget', R | Flag.CACHEABLE, keyRange(1, -1));
const MSET = command('mset', W, keyRange(1, -1, 2));
// MSETEX numkeys key value [key value …] [options]: the keys are the first of each pair.
const MSETEX = command('msetex', W, numkeysSpec(1, [], 2));
const MSETNX = command('msetnx', W, keyRange(1, -1, 2));
const PSETEX = command('psetex', W, key(1));
const SET = command('set', W, key(1));
const SETEX = command('setex', W, key(1));
const SETNX = command('setnx', W, key(1));
const SETRANGE = command('setrange', W, key(1));
const STRLEN = command('strlen', R | Flag.CACHEABLE, key(1));
const SUBSTR = command('substr', R | Flag.CACHEABLE, key(1));

/** Pushes IFEQ/IFNE/IFDEQ/IFDNE as given; returns how many were (the server takes one). */
function pushConditions(cmd: string, argv: RedisArg[], o: ValueConditions): number {
  let n = 0;
  for (const opt of ['ifeq', 'ifne'] as const) {
    const v = o[opt];
    if (v === undefined) continue;
    checkValue(cmd, opt, v);
    argv.push(opt.toUpperCase(), v);
    n++;
  }
  for (const opt of ['ifdeq', 'ifdne'] as const) {
    const v = o[opt];
    if (v === undefined) continue;
    checkKey(cmd, opt, v);
    argv.push(opt.toUpperCase(), v);
    n++;
  }
  return n;
}

function buildSet(k: RedisKey, value: RedisValue, o?: SetOptions): RedisArg[] {
  checkKey('SET', 'key', k);
  checkValue('SET', 'value', value);
  const argv: RedisArg[] = ['SET', k, value];
  if (o === undefined) return argv;
  // The order the server documents: condition, GET, expiry.
  let conditions = pushConditions('SET', argv, o);
  if (o.nx) {
    argv.push('NX');
    conditions++;
  }
  if (o.xx) {
    argv.push('XX');
    conditions++;
  }
  if (conditions > 1) throw new DataError('SET: nx, xx, ifeq, ifne, ifdeq and ifdne exclude each other');
  if (o.get) argv.push('GET');
  pushExpiry('SET', argv, o, 'keepttl');
  return argv;
}

function pushPairs(cmd: string, argv: RedisArg[], entries: KeyValuePairs): number {
  if (entries === null || typeof entries !== 'object') {
    throw new DataError(`${cmd}: entries must be an object, a Map or an array of [key, value] pairs`);
  }
  const pairs = Array.isArray(entries) ? entries : entries instanceof Map ? entries.entries() : Object.entries(entries);
  let n = 0;
  for (const pair of pairs) {
    if (!Array.isArray(pair)) throw new DataError(`${cmd}: each entry must be a [key, value] pair`);
    const [k, v] = pair;
    checkKey(cmd, 'key', k);
    checkValue(cmd, 'value', v);
    argv.push(k, v);
    n++;
  }
  if (n === 0) throw new DataError(`${cmd}: at least one key and value are required`);
  return n;
}

function pairsBuilder(cmd: string) {
  return (entries: KeyValuePairs): RedisArg[] => {
    const argv: RedisArg[] = [cmd];
    pushPairs(cmd, argv, entries);
    return argv;
  };
}

function buildMsetex(entries: KeyValuePairs, o?: MSetExOptions): RedisArg[] {
  const argv: RedisArg[] = ['MSETEX', 0];
  argv[1] = pushPairs('MSETEX', argv, entries);
  if (o === undefined) return argv;
  if (o.nx && o.xx) throw new DataError('MSETEX: nx and xx exclude each other');
  if (o.nx) argv.push('NX');
  if (o.xx) argv.push('XX');
  pushExpiry('MSETEX', argv, o, 'keepttl');
  return argv;
}

/** `CMD key integer value` (SETEX, PSETEX, SETRANGE). */
function keyIntValue(cmd: string, intName: string) {
  return (k: RedisKey, n: number, value: RedisValue): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkInteger(cmd, intName, n);
    checkValue(cmd, 'value', value);
    return [cmd, k, n, value];
  };
}

function buildLcs(k1: RedisKey, k2: RedisKey, o?: LcsOptions): RedisArg[] {
  checkKey('LCS', 'key1', k1);
  checkKey('LCS', 'key2', k2);
  const argv: RedisArg[] = ['LCS', k1, k2];
  if (o === undefined) return argv;
  if (o.len && o.idx) throw new DataError('LCS: len and idx exclude each other');
  if (o.len) argv.push('LEN');
  if (o.idx) argv.push('IDX');
  if (o.minmatchlen !== undefined) {
    checkInteger('LCS', 'minmatchlen', o.minmatchlen);
    argv.push('MINMATCHLEN', o.minmatchlen);
  }
  if (o.withmatchlen) argv.push('WITHMATCHLEN');
  return argv;
}

/** LCS replies by shape: a string, an integer (LEN), or a map of matches (IDX). */
function lcsReply(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Buffer.isBuffer(v)) return v;
  const o = toObject<unknown>(v);
  const matches = ((o['matches'] ?? []) as unknown[][]).map((m): LcsMatch => {
    const a = m[0] as number[];
    const b = m[1] as number[];
    const match: LcsMatch = { key1: [Number(a[0]), Number(a[1])], key2: [Number(b[0]), Number(b[1])] };
    if (m.length > 2) match.len = Number(m[2]);
    return match;
  });
  return { matches, len: Number(o['len']) };
}

export const stringMethods = {
  append: method(APPEND, keyAndValue('APPEND')),
  decr: method(DECR, oneKey('DECR')),
  decrby: method(DECRBY, keyAndInt('DECRBY', 'decrement')),
  delex: method(
    DELEX,
    (k: RedisKey, o?: ValueConditions) => {
      checkKey('DELEX', 'key', k);
      const argv: RedisArg[] = ['DELEX', k];
      if (o !== undefined && pushConditions('DELEX', argv, o) > 1) {
        throw new DataError('DELEX: ifeq, ifne, ifdeq and ifdne exclude each other');
      }
      return argv;
    },
    toBoolean,
  ),
  delifeq: method(DELIFEQ, keyAndValue('DELIFEQ'), toBoolean),
  digest: method(DIGEST, oneKey('DIGEST'), toStringOrNull),
  get: method(GET, oneKey('GET')),
  getdel: method(GETDEL, oneKey('GETDEL')),
  getex: method(GETEX, (k: RedisKey, o?: GetExOptions) => {
    checkKey('GETEX', 'key', k);
    const argv: RedisArg[] = ['GETEX', k];
    if (o !== undefined) pushExpiry('GETEX', argv, o, 'persist');
    return argv;
  }),
  getrange: method(GETRANGE, keyAndTwoInts('GETRANGE', 'start', 'end')),
  getset: method(GETSET, keyAndValue('GETSET')),
  incr: method(INCR, oneKey('INCR')),
  incrby: method(INCRBY, keyAndInt('INCRBY', 'increment')),
  incrbyfloat: method(
    INCRBYFLOAT,
    (k: RedisKey, n: number) => {
      checkKey('INCRBYFLOAT', 'key', k);
      checkNumber('INCRBYFLOAT', 'increment', n);
      return ['INCRBYFLOAT', k, n];
    },
    toNumber,
  ),
  lcs: method(LCS, buildLcs, lcsReply),
  mget: variadic(MGET, 0, (keys: RedisKey[]) => keysArgv('MGET', keys)),
  mset: method(MSET, pairsBuilder('MSET')),
  msetex: method(MSETEX, buildMsetex, toBoolean),
  msetnx: method(MSETNX, pairsBuilder('MSETNX'), toBoolean),
  psetex: method(PSETEX, keyIntValue('PSETEX', 'milliseconds')),
  set: method(SET, buildSet),
  setex: method(SETEX, keyIntValue('SETEX', 'seconds')),
  setnx: method(SETNX, keyAndValue('SETNX'), toBoolean),
  setrange: method(SETRANGE, keyIntValue('SETRANGE', 'offset')),
  strlen: method(STRLEN, oneKey('STRLEN')),
  substr: method(SUBSTR, keyAndTwoInts('SUBSTR', 'start', 'end')),
};
