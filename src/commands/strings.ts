import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type RedisValue, type Result, type Str } from './command.js';
import { keyAndInt, keysArgv, oneKey } from './build.js';
import { checkInteger, checkKey, checkNumber, checkValue, command, key, keyRange, method } from './registry.js';
import { toNumber } from './transforms.js';

const R = Flag.READONLY;
const W = Flag.WRITE;

export interface SetOptions {
  /** Expire after this many seconds. */
  ex?: number;
  /** Expire after this many milliseconds. */
  px?: number;
  /** Expire at this Unix time in seconds. */
  exat?: number;
  /** Expire at this Unix time in milliseconds. */
  pxat?: number;
  /** Keep the key's current time to live. */
  keepttl?: boolean;
  /** Only set when the key does not exist. */
  nx?: boolean;
  /** Only set when the key exists. */
  xx?: boolean;
  /** Return the old value (SET … GET). */
  get?: boolean;
}

export interface StringCommands<C> {
  /** The value of `key`, or null when it does not exist. */
  get(key: RedisKey): Result<C, Str<C> | null>;
  /** Sets `key`; resolves 'OK', or null when NX/XX prevented it. */
  set(key: RedisKey, value: RedisValue, options: SetOptions & { get: true }): Result<C, Str<C> | null>;
  set(key: RedisKey, value: RedisValue, options?: SetOptions): Result<C, 'OK' | null>;
  mget(...keys: RedisKey[]): Result<C, Array<Str<C> | null>>;
  mset(entries: Record<string, RedisValue> | Array<[RedisKey, RedisValue]>): Result<C, 'OK'>;
  incr(key: RedisKey): Result<C, number>;
  incrby(key: RedisKey, increment: number): Result<C, number>;
  incrbyfloat(key: RedisKey, increment: number): Result<C, number>;
  decr(key: RedisKey): Result<C, number>;
  decrby(key: RedisKey, decrement: number): Result<C, number>;
}

const GET = command('get', R, key(1));
const SET = command('set', W, key(1));
const MGET = command('mget', R, keyRange(1, -1));
const MSET = command('mset', W, keyRange(1, -1, 2));
const INCR = command('incr', W, key(1));
const INCRBY = command('incrby', W, key(1));
const INCRBYFLOAT = command('incrbyfloat', W, key(1));
const DECR = command('decr', W, key(1));
const DECRBY = command('decrby', W, key(1));

function buildSet(k: RedisKey, value: RedisValue, o?: SetOptions): RedisArg[] {
  checkKey('SET', 'key', k);
  checkValue('SET', 'value', value);
  if (o === undefined) return ['SET', k, value];
  const argv: RedisArg[] = ['SET', k, value];
  let expiries = 0;
  for (const opt of ['ex', 'px', 'exat', 'pxat'] as const) {
    const v = o[opt];
    if (v === undefined) continue;
    checkInteger('SET', opt, v);
    argv.push(opt.toUpperCase(), v);
    expiries++;
  }
  if (o.keepttl) {
    argv.push('KEEPTTL');
    expiries++;
  }
  if (expiries > 1) throw new DataError('SET: ex, px, exat, pxat and keepttl exclude each other');
  if (o.nx && o.xx) throw new DataError('SET: nx and xx exclude each other');
  if (o.nx) argv.push('NX');
  if (o.xx) argv.push('XX');
  if (o.get) argv.push('GET');
  return argv;
}

function buildMset(entries: Record<string, RedisValue> | Array<[RedisKey, RedisValue]>): RedisArg[] {
  const argv: RedisArg[] = ['MSET'];
  const pairs = Array.isArray(entries) ? entries : Object.entries(entries ?? {});
  for (const [k, v] of pairs) {
    checkKey('MSET', 'key', k);
    checkValue('MSET', 'value', v);
    argv.push(k, v);
  }
  if (argv.length === 1) throw new DataError('MSET: at least one key and value are required');
  return argv;
}

export const stringMethods = {
  get: method(GET, oneKey('GET')),
  set: method(SET, buildSet),
  mget: method(MGET, (...keys: RedisKey[]) => keysArgv('MGET', keys)),
  mset: method(MSET, buildMset),
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
  decr: method(DECR, oneKey('DECR')),
  decrby: method(DECRBY, keyAndInt('DECRBY', 'decrement')),
};
