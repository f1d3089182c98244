import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type RedisValue, type Result, type Str } from './command.js';
import {
  checkCount,
  checkOptionsOrArray,
  checkTimeout,
  checkToken,
  keyAndInt,
  keyAndOptionalCount,
  keyAndTwoInts,
  keyAndValues,
  keysAndTimeout,
  mpopArgv,
  oneKey,
  type OneOrMany,
} from './build.js';
import { checkInteger, checkKey, checkValue, command, key, keyRange, method, variadic } from './registry.js';
import { numkeysSpec, timeoutAt } from './specs.js';

const R = Flag.READONLY;
const W = Flag.WRITE;
const WB = Flag.WRITE | Flag.BLOCKING;

/** The end of a list LMOVE, LMPOP and their blocking forms take from or push to. */
export type ListSide = 'LEFT' | 'RIGHT';
const SIDES: readonly ListSide[] = ['LEFT', 'RIGHT'];

/** What LMPOP / BLMPOP popped: the key it came from and its elements. */
export interface ListPopReply<S = string> {
  key: S;
  elements: S[];
}

/** What BLPOP / BRPOP popped. */
export interface BlockingPopReply<S = string> {
  key: S;
  element: S;
}

/** Optional tokens of LPOS: which match to return, and how many elements to look through. */
export interface LposOptions {
  /** Which match to return: 1 the first, 2 the second…; negative counts from the tail. */
  rank?: number;
  /** Compare at most this many elements (0: the whole list). */
  maxlen?: number;
}

export interface ListCommands<C> {
  /** Prepends values; resolves the list's new length. */
  lpush(key: RedisKey, ...values: RedisValue[]): Result<C, number>;
  lpush(key: RedisKey, values: ReadonlyArray<RedisValue>): Result<C, number>;
  rpush(key: RedisKey, ...values: RedisValue[]): Result<C, number>;
  rpush(key: RedisKey, values: ReadonlyArray<RedisValue>): Result<C, number>;
  /** Prepends only when the list exists; resolves its length (0 when it does not). */
  lpushx(key: RedisKey, ...values: RedisValue[]): Result<C, number>;
  lpushx(key: RedisKey, values: ReadonlyArray<RedisValue>): Result<C, number>;
  rpushx(key: RedisKey, ...values: RedisValue[]): Result<C, number>;
  rpushx(key: RedisKey, values: ReadonlyArray<RedisValue>): Result<C, number>;
  /** Elements from start to stop, inclusive; negative indexes count from the end. */
  lrange(key: RedisKey, start: number, stop: number): Result<C, Array<Str<C>>>;
  lindex(key: RedisKey, index: number): Result<C, Str<C> | null>;
  /** Inserts before or after the first `pivot`; resolves the new length, -1 without the pivot, 0 without the list. */
  linsert(key: RedisKey, where: 'BEFORE' | 'AFTER', pivot: RedisValue, element: RedisValue): Result<C, number>;
  llen(key: RedisKey): Result<C, number>;
  /** Removes `count` occurrences of `element` (from the tail when negative, all when 0); resolves how many. */
  lrem(key: RedisKey, count: number, element: RedisValue): Result<C, number>;
  lset(key: RedisKey, index: number, element: RedisValue): Result<C, 'OK'>;
  ltrim(key: RedisKey, start: number, stop: number): Result<C, 'OK'>;
  /** The first element, removed; null on an empty list. */
  lpop(key: RedisKey): Result<C, Str<C> | null>;
  /** Up to `count` elements from the head; null when the list does not exist. */
  lpop(key: RedisKey, count: number): Result<C, Array<Str<C>> | null>;
  rpop(key: RedisKey): Result<C, Str<C> | null>;
  rpop(key: RedisKey, count: number): Result<C, Array<Str<C>> | null>;
  /** The index of `element`, or null; with `count`, the indexes of up to `count` matches (0: all). */
  lpos(key: RedisKey, element: RedisValue, options: LposOptions & { count: number }): Result<C, number[]>;
  lpos(key: RedisKey, element: RedisValue, options?: LposOptions): Result<C, number | null>;
  /** Moves an element between lists; resolves it, or null when `source` is empty. */
  lmove(source: RedisKey, destination: RedisKey, wherefrom: ListSide, whereto: ListSide): Result<C, Str<C> | null>;
  /** LMOVE that waits up to `timeout` seconds (0: forever) for an element; null on timeout. */
  blmove(source: RedisKey, destination: RedisKey, wherefrom: ListSide, whereto: ListSide, timeout: number): Result<C, Str<C> | null>;
  rpoplpush(source: RedisKey, destination: RedisKey): Result<C, Str<C> | null>;
  brpoplpush(source: RedisKey, destination: RedisKey, timeout: number): Result<C, Str<C> | null>;
  /** Pops from the first non-empty list of `keys`; null when all are empty. */
  lmpop(keys: OneOrMany<RedisKey>, where: ListSide, options?: { count?: number }): Result<C, ListPopReply<Str<C>> | null>;
  blmpop(timeout: number, keys: OneOrMany<RedisKey>, where: ListSide, options?: { count?: number }): Result<C, ListPopReply<Str<C>> | null>;
  /** Pops the head of the first non-empty list, waiting up to `timeout` seconds (0: forever); null on timeout. */
  blpop(keys: OneOrMany<RedisKey>, timeout: number): Result<C, BlockingPopReply<Str<C>> | null>;
  brpop(keys: OneOrMany<RedisKey>, timeout: number): Result<C, BlockingPopReply<Str<C>> | null>;
}

const LPUSH = command('lpush', W, key(1));
const RPUSH = command('rpush', W, key(1));
const LPUSHX = command('lpushx', W, key(1));
const RPUSHX = command('rpushx', W, key(1));
const LRANGE = command('lrange', R | Flag.CACHEABLE, key(1));
const LINDEX = command('lindex', R | Flag.CACHEABLE, key(1));
const LINSERT = command('linsert', W, key(1));
const LLEN = command('llen', R | Flag.CACHEABLE, key(1));
const LREM = command('lrem', W, key(1));
const LSET = command('lset', W, key(1));
const LTRIM = command('ltrim', W, key(1));
const LPOP = command('lpop', W, key(1));
const RPOP = command('rpop', W, key(1));
const LPOS = command('lpos', R | Flag.CACHEABLE, key(1));
const LMOVE = command('lmove', W, keyRange(1, 2));
const BLMOVE = command('blmove', WB, keyRange(1, 2), timeoutAt(5));
const RPOPLPUSH = command('rpoplpush', W, keyRange(1, 2));
const BRPOPLPUSH = command('brpoplpush', WB, keyRange(1, 2), timeoutAt(3));
const LMPOP = command('lmpop', W, numkeysSpec(1));
const BLMPOP = command('blmpop', WB, numkeysSpec(2), timeoutAt(1));
const BLPOP = command('blpop', WB, keyRange(1, -2), timeoutAt(-1));
const BRPOP = command('brpop', WB, keyRange(1, -2), timeoutAt(-1));

function buildMove(cmd: string, source: RedisKey, destination: RedisKey, from: ListSide, to: ListSide): RedisArg[] {
  checkKey(cmd, 'source', source);
  checkKey(cmd, 'destination', destination);
  return [cmd, source, destination, checkToken(cmd, 'wherefrom', from, SIDES), checkToken(cmd, 'whereto', to, SIDES)];
}

function toListPop(v: unknown): ListPopReply<unknown> | null {
  if (v === null) return null;
  const [k, elements] = v as [unknown, unknown[]];
  return { key: k, elements };
}

function toBlockingPop(v: unknown): BlockingPopReply<unknown> | null {
  if (v === null) return null;
  const [k, element] = v as [unknown, unknown];
  return { key: k, element };
}

export const listMethods = {
  lpush: variadic(LPUSH, 1, (k: RedisKey, values: RedisValue[]) => keyAndValues('LPUSH', k, values)),
  rpush: variadic(RPUSH, 1, (k: RedisKey, values: RedisValue[]) => keyAndValues('RPUSH', k, values)),
  lpushx: variadic(LPUSHX, 1, (k: RedisKey, values: RedisValue[]) => keyAndValues('LPUSHX', k, values)),
  rpushx: variadic(RPUSHX, 1, (k: RedisKey, values: RedisValue[]) => keyAndValues('RPUSHX', k, values)),
  lrange: method(LRANGE, keyAndTwoInts('LRANGE', 'start', 'stop')),
  lindex: method(LINDEX, keyAndInt('LINDEX', 'index')),
  linsert: method(LINSERT, (k: RedisKey, where: 'BEFORE' | 'AFTER', pivot: RedisValue, element: RedisValue) => {
    checkKey('LINSERT', 'key', k);
    const w = checkToken('LINSERT', 'where', where, ['BEFORE', 'AFTER'] as const);
    checkValue('LINSERT', 'pivot', pivot);
    checkValue('LINSERT', 'element', element);
    return ['LINSERT', k, w, pivot, element];
  }),
  llen: method(LLEN, oneKey('LLEN')),
  lrem: method(LREM, (k: RedisKey, count: number, element: RedisValue) => {
    checkKey('LREM', 'key', k);
    checkInteger('LREM', 'count', count);
    checkValue('LREM', 'element', element);
    return ['LREM', k, count, element];
  }),
  lset: method(LSET, (k: RedisKey, index: number, element: RedisValue) => {
    checkKey('LSET', 'key', k);
    checkInteger('LSET', 'index', index);
    checkValue('LSET', 'element', element);
    return ['LSET', k, index, element];
  }),
  ltrim: method(LTRIM, keyAndTwoInts('LTRIM', 'start', 'stop')),
  lpop: method(LPOP, keyAndOptionalCount('LPOP')),
  rpop: method(RPOP, keyAndOptionalCount('RPOP')),
  lpos: method(LPOS, (k: RedisKey, element: RedisValue, o?: LposOptions & { count?: number }) => {
    checkKey('LPOS', 'key', k);
    checkValue('LPOS', 'element', element);
    const argv: RedisArg[] = ['LPOS', k, element];
    checkOptionsOrArray('LPOS', o);
    if (o === undefined) return argv;
    if (o.rank !== undefined) {
      checkInteger('LPOS', 'rank', o.rank);
      if (o.rank === 0) throw new DataError('LPOS: rank must not be 0');
      argv.push('RANK', o.rank);
    }
    if (o.count !== undefined) {
      checkCount('LPOS', 'count', o.count, 0);
      argv.push('COUNT', o.count);
    }
    if (o.maxlen !== undefined) {
      checkCount('LPOS', 'maxlen', o.maxlen, 0);
      argv.push('MAXLEN', o.maxlen);
    }
    return argv;
  }),
  lmove: method(LMOVE, (s: RedisKey, d: RedisKey, from: ListSide, to: ListSide) => buildMove('LMOVE', s, d, from, to)),
  blmove: method(BLMOVE, (s: RedisKey, d: RedisKey, from: ListSide, to: ListSide, timeout: number) => {
    const argv = buildMove('BLMOVE', s, d, from, to);
    checkTimeout('BLMOVE', timeout);
    argv.push(timeout);
    return argv;
  }),
  rpoplpush: method(RPOPLPUSH, (s: RedisKey, d: RedisKey) => {
    checkKey('RPOPLPUSH', 'source', s);
    checkKey('RPOPLPUSH', 'destination', d);
    return ['RPOPLPUSH', s, d];
  }),
  brpoplpush: method(BRPOPLPUSH, (s: RedisKey, d: RedisKey, timeout: number) => {
    checkKey('BRPOPLPUSH', 'source', s);
    checkKey('BRPOPLPUSH', 'destination', d);
    checkTimeout('BRPOPLPUSH', timeout);
    return ['BRPOPLPUSH', s, d, timeout];
  }),
  lmpop: method(
    LMPOP,
    (keys: OneOrMany<RedisKey>, where: ListSide, o?: { count?: number }) => mpopArgv('LMPOP', ['LMPOP'], keys, where, SIDES, o),
    toListPop,
  ),
  blmpop: method(
    BLMPOP,
    (timeout: number, keys: OneOrMany<RedisKey>, where: ListSide, o?: { count?: number }) => {
      checkTimeout('BLMPOP', timeout);
      return mpopArgv('BLMPOP', ['BLMPOP', timeout], keys, where, SIDES, o);
    },
    toListPop,
  ),
  blpop: method(BLPOP, keysAndTimeout('BLPOP'), toBlockingPop),
  brpop: method(BRPOP, keysAndTimeout('BRPOP'), toBlockingPop),
};
