import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type RedisValue, type Result, type Str } from './command.js';

/** What HGETALL resolves to: string fields and values, or exact bytes in a Buffer view. */
export type HashReply<C> = Str<C> extends Buffer ? Map<Buffer, Buffer> : Record<string, Str<C>>;
import { checkInteger, checkKey, checkNumber, checkValue, command, key, method, variadic } from './registry.js';
import { checkOptionsOrArray, keyAndName, keyCountAndFlag, keyScanArgv, oneKey, pushExpiry, pushNumkeys, type OneOrMany } from './build.js';
import { cursorText, toBoolean, toBufferMap, toNumber, toObject, toPairs } from './transforms.js';
import { endsWithFlag, endsWithScanFlag, withOption } from './variants.js';

const R = Flag.READONLY;
const W = Flag.WRITE;

/** Fields and values to write: an object, a Map, or an array of [field, value] pairs. */
export type HashFields = Record<string, RedisValue> | Map<RedisKey, RedisValue> | Array<[RedisKey, RedisValue]>;

/** One field of a hash with its value (HRANDFIELD … WITHVALUES, HSCAN). */
export interface HashEntry<S = string> {
  field: S;
  value: S;
}

/** One HSCAN step: the cursor to pass next ('0' when the scan is over) and the entries found. */
export interface HScanReply<S = string> {
  cursor: string;
  entries: Array<HashEntry<S>>;
}

/** One HSCAN … NOVALUES step: field names only. */
export interface HScanFieldsReply<S = string> {
  cursor: string;
  fields: S[];
}

/** Optional tokens of HSCAN and its iterator: a field pattern, a count hint, and fields only. */
export interface HScanOptions {
  /** Only fields matching this glob-style pattern. */
  match?: string | Buffer;
  /** A hint of how much work one step does. */
  count?: number;
  /** Field names only (Redis 7.4, Valkey 8). */
  novalues?: boolean;
}

/** The condition of HEXPIRE and its kin: at most one. */
export interface HExpireOptions {
  /** Only fields without an expiry. */
  nx?: boolean;
  /** Only fields with an expiry. */
  xx?: boolean;
  /** Only when the new expiry is later than the current one. */
  gt?: boolean;
  /** Only when the new expiry is earlier than the current one. */
  lt?: boolean;
}

/** HGETEX: what to do with the fields' expiry while reading them (at most one). */
export interface HGetExOptions {
  ex?: number;
  px?: number;
  exat?: number;
  pxat?: number;
  /** Remove the fields' expiry. */
  persist?: boolean;
}

/** HSETEX: a condition and an expiry for the fields written. */
export interface HSetExOptions {
  /** Only when none of the fields exists. */
  fnx?: boolean;
  /** Only when all of the fields exist. */
  fxx?: boolean;
  /** Only when the key does not exist (Valkey 9). */
  nx?: boolean;
  /** Only when the key exists (Valkey 9). */
  xx?: boolean;
  ex?: number;
  px?: number;
  exat?: number;
  pxat?: number;
  /** Keep the fields' current expiry. */
  keepttl?: boolean;
}

/**
 * Per field, what HEXPIRE and its kin did: -2 no such field (or key), 0 the condition was not met,
 * 1 the expiry was set, 2 the field was deleted at once (a time in the past or 0).
 */
export type HExpireResult = -2 | 0 | 1 | 2;

export interface HashCommands<C> {
  /** Sets fields; resolves how many were new. */
  hset(key: RedisKey, fields: HashFields): Result<C, number>;
  hset(key: RedisKey, field: RedisKey, value: RedisValue): Result<C, number>;
  /** Sets a field only when it does not exist; true when it was set. */
  hsetnx(key: RedisKey, field: RedisKey, value: RedisValue): Result<C, boolean>;
  /** HSET's deprecated predecessor: the same, answering 'OK'. */
  hmset(key: RedisKey, fields: HashFields): Result<C, 'OK'>;
  hmset(key: RedisKey, field: RedisKey, value: RedisValue): Result<C, 'OK'>;
  hget(key: RedisKey, field: RedisKey): Result<C, Str<C> | null>;
  /** The values of the fields, in order; null for a missing field. */
  hmget(key: RedisKey, ...fields: RedisKey[]): Result<C, Array<Str<C> | null>>;
  hmget(key: RedisKey, fields: ReadonlyArray<RedisKey>): Result<C, Array<Str<C> | null>>;
  /** Every field and value as an object (empty when the key does not exist). */
  /**
   * Every field and value: a plain object, or, in a Buffer view, a Map from each field's bytes to its
   * value (an object's string keys would merge binary field names that decode alike).
   */
  hgetall(key: RedisKey): Result<C, HashReply<C>>;
  /** Deletes fields; resolves how many existed. */
  hdel(key: RedisKey, ...fields: RedisKey[]): Result<C, number>;
  hdel(key: RedisKey, fields: ReadonlyArray<RedisKey>): Result<C, number>;
  hexists(key: RedisKey, field: RedisKey): Result<C, boolean>;
  /** Adds an integer to a field (0 when missing); resolves the new value. */
  hincrby(key: RedisKey, field: RedisKey, increment: number | bigint): Result<C, number>;
  hincrbyfloat(key: RedisKey, field: RedisKey, increment: number): Result<C, number>;
  hkeys(key: RedisKey): Result<C, Array<Str<C>>>;
  hvals(key: RedisKey): Result<C, Array<Str<C>>>;
  hlen(key: RedisKey): Result<C, number>;
  /** The length of a field's value (0 when missing). */
  hstrlen(key: RedisKey, field: RedisKey): Result<C, number>;
  /** A random field, or null when the hash is empty. */
  hrandfield(key: RedisKey): Result<C, Str<C> | null>;
  /** `count` random fields: distinct when positive, maybe repeated when negative. */
  hrandfield(key: RedisKey, count: number, options: { withvalues: true }): Result<C, Array<HashEntry<Str<C>>>>;
  hrandfield(key: RedisKey, count: number, options?: { withvalues?: false }): Result<C, Array<Str<C>>>;
  hrandfield(key: RedisKey, count: number, options: { withvalues: boolean }): Result<C, Array<Str<C>> | Array<HashEntry<Str<C>>>>;
  /** One step of a scan over the hash; start with cursor '0' and go on until it comes back '0'. */
  hscan(key: RedisKey, cursor: string | number, options: HScanOptions & { novalues: true }): Result<C, HScanFieldsReply<Str<C>>>;
  hscan(key: RedisKey, cursor: string | number, options?: HScanOptions & { novalues?: false }): Result<C, HScanReply<Str<C>>>;
  hscan(key: RedisKey, cursor: string | number, options: HScanOptions): Result<C, HScanReply<Str<C>> | HScanFieldsReply<Str<C>>>;

  // Hash field expiration: Redis 7.4 (HEXPIRE … HPERSIST), Redis 8 (HGETEX, HSETEX, HGETDEL), Valkey 9.
  /** Sets the fields' time to live in seconds; per field, see HExpireResult. */
  hexpire(key: RedisKey, seconds: number, fields: OneOrMany<RedisKey>, options?: HExpireOptions): Result<C, HExpireResult[]>;
  hpexpire(key: RedisKey, milliseconds: number, fields: OneOrMany<RedisKey>, options?: HExpireOptions): Result<C, HExpireResult[]>;
  hexpireat(key: RedisKey, unixSeconds: number, fields: OneOrMany<RedisKey>, options?: HExpireOptions): Result<C, HExpireResult[]>;
  hpexpireat(key: RedisKey, unixMilliseconds: number, fields: OneOrMany<RedisKey>, options?: HExpireOptions): Result<C, HExpireResult[]>;
  /** Per field: seconds to live, -1 without expiry, -2 no such field. */
  httl(key: RedisKey, fields: OneOrMany<RedisKey>): Result<C, number[]>;
  hpttl(key: RedisKey, fields: OneOrMany<RedisKey>): Result<C, number[]>;
  /** Per field: the Unix time (seconds) it expires at, -1 without expiry, -2 no such field. */
  hexpiretime(key: RedisKey, fields: OneOrMany<RedisKey>): Result<C, number[]>;
  hpexpiretime(key: RedisKey, fields: OneOrMany<RedisKey>): Result<C, number[]>;
  /** Per field: 1 expiry removed, -1 had none, -2 no such field. */
  hpersist(key: RedisKey, fields: OneOrMany<RedisKey>): Result<C, Array<1 | -1 | -2>>;
  /** The fields' values (null when missing), changing their expiry as told. */
  hgetex(key: RedisKey, fields: OneOrMany<RedisKey>, options?: HGetExOptions): Result<C, Array<Str<C> | null>>;
  /** Sets fields with an expiry; true when they were set, false when a condition prevented it. */
  hsetex(key: RedisKey, fields: HashFields, options?: HSetExOptions): Result<C, boolean>;
  /** The fields' values (null when missing), deleting them. */
  hgetdel(key: RedisKey, fields: OneOrMany<RedisKey>): Result<C, Array<Str<C> | null>>;
}

const HSET = command('hset', W, key(1));
const HSETNX = command('hsetnx', W, key(1));
const HMSET = command('hmset', W, key(1));
const HGET = command('hget', R | Flag.CACHEABLE, key(1));
const HMGET = command('hmget', R | Flag.CACHEABLE, key(1));
const HGETALL = command('hgetall', R | Flag.CACHEABLE, key(1));
const HDEL = command('hdel', W, key(1));
const HEXISTS = command('hexists', R | Flag.CACHEABLE, key(1));
const HINCRBY = command('hincrby', W, key(1));
const HINCRBYFLOAT = command('hincrbyfloat', W, key(1));
const HKEYS = command('hkeys', R | Flag.CACHEABLE, key(1));
const HVALS = command('hvals', R | Flag.CACHEABLE, key(1));
const HLEN = command('hlen', R | Flag.CACHEABLE, key(1));
const HSTRLEN = command('hstrlen', R | Flag.CACHEABLE, key(1));
const HRANDFIELD = command('hrandfield', R, key(1));
const HSCAN = command('hscan', R, key(1));
const HEXPIRE = command('hexpire', W, key(1));
const HPEXPIRE = command('hpexpire', W, key(1));
const HEXPIREAT = command('hexpireat', W, key(1));
const HPEXPIREAT = command('hpexpireat', W, key(1));
const HTTL = command('httl', R, key(1));
const HPTTL = command('hpttl', R, key(1));
const HEXPIRETIME = command('hexpiretime', R, key(1));
const HPEXPIRETIME = command('hpexpiretime', R, key(1));
const HPERSIST = command('hpersist', W, key(1));
const HGETEX = command('hgetex', W, key(1));
const HSETEX = command('hsetex', W, key(1));
const HGETDEL = command('hgetdel', W, key(1));

/** Field/value pairs from an object, a Map or an array of pairs. */
export function fieldPairs(cmd: string, argv: RedisArg[], fields: HashFields): RedisArg[] {
  if (fields === null || typeof fields !== 'object') throw new DataError(`${cmd}: fields must be an object, a Map or an array of pairs`);
  const pairs = Array.isArray(fields) ? fields : fields instanceof Map ? fields.entries() : Object.entries(fields);
  const start = argv.length;
  for (const pair of pairs) {
    if (!Array.isArray(pair)) throw new DataError(`${cmd}: each field must be given as a [field, value] pair`);
    const [f, v] = pair;
    checkKey(cmd, 'field', f);
    checkValue(cmd, 'value', v);
    argv.push(f, v);
  }
  if (argv.length === start) throw new DataError(`${cmd}: at least one field is required`);
  return argv;
}

/** HSET and HMSET: `(key, field, value)` or `(key, fields)`. */
function setFields(cmd: string) {
  return (k: RedisKey, fieldsOrField: unknown, value?: RedisValue): RedisArg[] => {
    checkKey(cmd, 'key', k);
    if (typeof fieldsOrField === 'string' || Buffer.isBuffer(fieldsOrField)) {
      checkValue(cmd, 'value', value);
      return [cmd, k, fieldsOrField, value!];
    }
    return fieldPairs(cmd, [cmd, k], fieldsOrField as HashFields);
  };
}

function keyFields(cmd: string) {
  return (k: RedisKey, fields: RedisKey[]): RedisArg[] => {
    checkKey(cmd, 'key', k);
    const argv: RedisArg[] = [cmd, k];
    if (fields.length === 0) throw new DataError(`${cmd}: at least one field is required`);
    for (const f of fields) {
      checkKey(cmd, 'field', f);
      argv.push(f);
    }
    return argv;
  };
}

/** Appends `FIELDS numfields field [field …]`. */
function pushFields(cmd: string, argv: RedisArg[], fields: OneOrMany<RedisKey>): RedisArg[] {
  argv.push('FIELDS');
  pushNumkeys(cmd, argv, fields, 'field');
  return argv;
}

function hashEntry(field: unknown, value: unknown): HashEntry<unknown> {
  return { field, value };
}

/** [f, v, f, v…] as entries. RESP3 gives WITHVALUES as [[f, v], …]; both forms are read. */
function toHashEntries(v: unknown): Array<HashEntry<unknown>> {
  return toPairs(v, hashEntry);
}

function toHScan(v: unknown): HScanReply<unknown> {
  const [cursor, items] = v as [unknown, unknown[]];
  return { cursor: cursorText(cursor), entries: toHashEntries(items) };
}

function toHScanFields(v: unknown): HScanFieldsReply<unknown> {
  const [cursor, items] = v as [unknown, unknown[]];
  return { cursor: cursorText(cursor), fields: items };
}

const EXPIRE_CONDITIONS = ['nx', 'xx', 'gt', 'lt'] as const;

function hexpireBuilder(cmd: string, timeName: string) {
  return (k: RedisKey, time: number, fields: OneOrMany<RedisKey>, o?: HExpireOptions): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkInteger(cmd, timeName, time);
    const argv: RedisArg[] = [cmd, k, time];
    checkOptionsOrArray(cmd, o);
    if (o !== undefined) {
      const set = EXPIRE_CONDITIONS.filter((c) => o[c]);
      // Unlike EXPIRE, the hash field commands take a single condition token.
      if (set.length > 1) throw new DataError(`${cmd}: options ${set.join(', ')} cannot be combined`);
      if (set.length === 1) argv.push(set[0]!.toUpperCase());
    }
    return pushFields(cmd, argv, fields);
  };
}

function fieldsOnly(cmd: string) {
  return (k: RedisKey, fields: OneOrMany<RedisKey>): RedisArg[] => {
    checkKey(cmd, 'key', k);
    return pushFields(cmd, [cmd, k], fields);
  };
}


function buildHscan(k: RedisKey, cursor: string | number, o?: HScanOptions): RedisArg[] {
  const argv = keyScanArgv('HSCAN', k, cursor, o);
  if (o?.novalues) argv.push('NOVALUES');
  return argv;
}


export const hashMethods = {
  hset: method(HSET, setFields('HSET')),
  hsetnx: method(
    HSETNX,
    (k: RedisKey, f: RedisKey, v: RedisValue) => {
      checkKey('HSETNX', 'key', k);
      checkKey('HSETNX', 'field', f);
      checkValue('HSETNX', 'value', v);
      return ['HSETNX', k, f, v];
    },
    toBoolean,
  ),
  hmset: method(HMSET, setFields('HMSET')),
  hget: method(HGET, keyAndName('HGET', 'field')),
  hmget: variadic(HMGET, 1, keyFields('HMGET')),
  hgetall: method(HGETALL, oneKey('HGETALL'), (v: unknown, buffers?: boolean) => (buffers === true ? toBufferMap(v) : toObject(v))),
  hdel: variadic(HDEL, 1, keyFields('HDEL')),
  hexists: method(HEXISTS, keyAndName('HEXISTS', 'field'), toBoolean),
  hincrby: method(HINCRBY, (k: RedisKey, f: RedisKey, n: number) => {
    checkKey('HINCRBY', 'key', k);
    checkKey('HINCRBY', 'field', f);
    checkInteger('HINCRBY', 'increment', n);
    return ['HINCRBY', k, f, n];
  }),
  hincrbyfloat: method(
    HINCRBYFLOAT,
    (k: RedisKey, f: RedisKey, n: number) => {
      checkKey('HINCRBYFLOAT', 'key', k);
      checkKey('HINCRBYFLOAT', 'field', f);
      checkNumber('HINCRBYFLOAT', 'increment', n);
      if (!Number.isFinite(n)) throw new DataError('HINCRBYFLOAT: increment must be finite');
      return ['HINCRBYFLOAT', k, f, n];
    },
    toNumber,
  ),
  hkeys: method(HKEYS, oneKey('HKEYS')),
  hvals: method(HVALS, oneKey('HVALS')),
  hlen: method(HLEN, oneKey('HLEN')),
  hstrlen: method(HSTRLEN, keyAndName('HSTRLEN', 'field')),
  hrandfield: withOption(HRANDFIELD, keyCountAndFlag('HRANDFIELD', 'withvalues'), endsWithFlag('WITHVALUES', 3), toHashEntries),
  hscan: withOption(HSCAN, buildHscan, endsWithScanFlag('NOVALUES'), toHScanFields, toHScan),
  hexpire: method(HEXPIRE, hexpireBuilder('HEXPIRE', 'seconds')),
  hpexpire: method(HPEXPIRE, hexpireBuilder('HPEXPIRE', 'milliseconds')),
  hexpireat: method(HEXPIREAT, hexpireBuilder('HEXPIREAT', 'unixSeconds')),
  hpexpireat: method(HPEXPIREAT, hexpireBuilder('HPEXPIREAT', 'unixMilliseconds')),
  httl: method(HTTL, fieldsOnly('HTTL')),
  hpttl: method(HPTTL, fieldsOnly('HPTTL')),
  hexpiretime: method(HEXPIRETIME, fieldsOnly('HEXPIRETIME')),
  hpexpiretime: method(HPEXPIRETIME, fieldsOnly('HPEXPIRETIME')),
  hpersist: method(HPERSIST, fieldsOnly('HPERSIST')),
  hgetex: method(HGETEX, (k: RedisKey, fields: OneOrMany<RedisKey>, o?: HGetExOptions) => {
    checkKey('HGETEX', 'key', k);
    const argv: RedisArg[] = ['HGETEX', k];
    checkOptionsOrArray('HGETEX', o);
    if (o !== undefined) pushExpiry('HGETEX', argv, o, 'persist');
    return pushFields('HGETEX', argv, fields);
  }),
  hsetex: method(
    HSETEX,
    (k: RedisKey, fields: HashFields, o?: HSetExOptions) => {
      checkKey('HSETEX', 'key', k);
      const argv: RedisArg[] = ['HSETEX', k];
      checkOptionsOrArray('HSETEX', o);
      if (o !== undefined) {
        if (o.nx && o.xx) throw new DataError('HSETEX: nx and xx exclude each other');
        if (o.fnx && o.fxx) throw new DataError('HSETEX: fnx and fxx exclude each other');
        if (o.nx) argv.push('NX');
        if (o.xx) argv.push('XX');
        if (o.fnx) argv.push('FNX');
        if (o.fxx) argv.push('FXX');
        pushExpiry('HSETEX', argv, o, 'keepttl');
      }
      argv.push('FIELDS', 0);
      const at = argv.length - 1;
      fieldPairs('HSETEX', argv, fields);
      argv[at] = (argv.length - at - 1) / 2;
      return argv;
    },
    toBoolean,
  ),
  hgetdel: method(HGETDEL, fieldsOnly('HGETDEL')),
};
