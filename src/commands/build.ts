import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import type { RedisKey, RedisValue } from './command.js';
import { checkInteger, checkKey, checkValue, typeName } from './registry.js';

/**
 * Builders shared by the command groups: each checks its arguments, then returns the argv. Below them,
 * the pieces they are made of: argument checks beyond registry.ts's, and helpers that append one part
 * of a command line to an argv.
 */

/** One key or several: `blpop('q', 1)` and `blpop(['q1', 'q2'], 1)` both read naturally. */
export type OneOrMany<T> = T | ReadonlyArray<T>;

/** `CMD key` */
export function oneKey(cmd: string) {
  return (k: RedisKey): RedisArg[] => {
    checkKey(cmd, 'key', k);
    return [cmd, k];
  };
}

/** `CMD key integer` */
export function keyAndInt(cmd: string, argName: string) {
  return (k: RedisKey, n: number): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkInteger(cmd, argName, n);
    return [cmd, k, n];
  };
}

/** `CMD key integer integer` (LRANGE key start stop, GETRANGE key start end…) */
export function keyAndTwoInts(cmd: string, first: string, second: string) {
  return (k: RedisKey, a: number, b: number): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkInteger(cmd, first, a);
    checkInteger(cmd, second, b);
    return [cmd, k, a, b];
  };
}

/** `CMD key [count]` (LPOP, SPOP, ZPOPMIN…) */
export function keyAndOptionalCount(cmd: string) {
  return (k: RedisKey, count?: number): RedisArg[] => {
    checkKey(cmd, 'key', k);
    if (count === undefined) return [cmd, k];
    checkInteger(cmd, 'count', count);
    return [cmd, k, count];
  };
}

/**
 * `CMD key [count [FLAG]]`, the flag (WITHVALUES, WITHSCORES) from the boolean option of that name and
 * only with a count (HRANDFIELD, ZRANDMEMBER).
 */
export function keyCountAndFlag(cmd: string, option: string) {
  const flag = option.toUpperCase();
  return (k: RedisKey, count?: number, o?: Record<string, unknown>): RedisArg[] => {
    checkKey(cmd, 'key', k);
    if (count === undefined) {
      if (o !== undefined) throw new DataError(`${cmd}: ${option} needs a count`);
      return [cmd, k];
    }
    checkInteger(cmd, 'count', count);
    checkOptionsOrArray(cmd, o);
    return o?.[option] ? [cmd, k, count, flag] : [cmd, k, count];
  };
}

/** `CMD key name`: a second string or Buffer after the key (a hash field, RENAME's new key…). */
export function keyAndName(cmd: string, argName: string) {
  return (k: RedisKey, name: RedisKey): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkKey(cmd, argName, name);
    return [cmd, k, name];
  };
}

/** `CMD key value` (APPEND key value, SISMEMBER key member…) */
export function keyAndValue(cmd: string, argName = 'value') {
  return (k: RedisKey, value: RedisValue): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkValue(cmd, argName, value);
    return [cmd, k, value];
  };
}

/** `CMD key [key …] timeout`: the blocking pops (BLPOP, BZPOPMIN…). */
export function keysAndTimeout(cmd: string) {
  return (keys: OneOrMany<RedisKey>, timeout: number): RedisArg[] => {
    const argv: RedisArg[] = [cmd];
    pushKeys(cmd, argv, keys);
    checkTimeout(cmd, timeout);
    argv.push(timeout);
    return argv;
  };
}

/** `CMD numkeys key [key …] [LIMIT limit]` (SINTERCARD, ZINTERCARD). */
export function numkeysAndLimit(cmd: string) {
  return (keys: OneOrMany<RedisKey>, o?: { limit?: number }): RedisArg[] => {
    const argv: RedisArg[] = [cmd];
    pushNumkeys(cmd, argv, keys);
    checkOptionsOrArray(cmd, o);
    if (o?.limit !== undefined) {
      checkCount(cmd, 'limit', o.limit, 0);
      argv.push('LIMIT', o.limit);
    }
    return argv;
  };
}

/** `… numkeys key [key …] where [COUNT count]` after what `argv` holds (LMPOP, BZMPOP…). */
export function mpopArgv<T extends string>(
  cmd: string,
  argv: RedisArg[],
  keys: OneOrMany<RedisKey>,
  where: T,
  allowed: readonly T[],
  o?: { count?: number },
): RedisArg[] {
  pushNumkeys(cmd, argv, keys);
  argv.push(checkToken(cmd, 'where', where, allowed));
  checkOptionsOrArray(cmd, o);
  if (o?.count !== undefined) {
    checkCount(cmd, 'count', o.count);
    argv.push('COUNT', o.count);
  }
  return argv;
}

/** `CMD key cursor [MATCH pattern] [COUNT count]` (HSCAN, SSCAN, ZSCAN); the caller may add a flag. */
export function keyScanArgv(cmd: string, k: RedisKey, cursor: string | number, o: { match?: string | Buffer; count?: number } | undefined): RedisArg[] {
  checkKey(cmd, 'key', k);
  checkCursor(cmd, cursor);
  const argv: RedisArg[] = [cmd, k, cursor];
  pushScanOptions(cmd, argv, o);
  return argv;
}

/** `CMD key [key …]`, at least one. */
export function keysArgv(cmd: string, keys: ReadonlyArray<RedisKey>): RedisArg[] {
  if (keys.length === 0) throw new DataError(`${cmd}: at least one key is required`);
  const argv: RedisArg[] = [cmd];
  for (const k of keys) {
    checkKey(cmd, 'key', k);
    argv.push(k);
  }
  return argv;
}

/** `CMD key value [value …]`, at least one value. */
export function keyAndValues(cmd: string, k: RedisKey, values: ReadonlyArray<unknown>, argName = 'value'): RedisArg[] {
  checkKey(cmd, 'key', k);
  if (values.length === 0) throw new DataError(`${cmd}: at least one ${argName} is required`);
  const argv: RedisArg[] = [cmd, k];
  for (const v of values) {
    checkValue(cmd, argName, v);
    argv.push(v as RedisArg);
  }
  return argv;
}

/** A bare command with no arguments. */
export function noArgs(...words: string[]) {
  return (): RedisArg[] => words.slice();
}

// ---- argument checks ------------------------------------------------------------------------------

/** A blocking timeout in seconds: finite and not negative (0 blocks forever). */
export function checkTimeout(cmd: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new DataError(`${cmd}: timeout must be a number of seconds >= 0, got ${typeName(value)}`);
  }
}

/** An integer that must be at least `min` (COUNT 0 is an error to most commands). */
export function checkCount(cmd: string, name: string, value: unknown, min = 1): void {
  checkInteger(cmd, name, value);
  if ((value as number) < min) throw new DataError(`${cmd}: ${name} must be at least ${min}, got ${String(value)}`);
}

/** One of a few tokens (LEFT/RIGHT, MIN/MAX, SUM/MIN/MAX…), upper case as the server documents them. */
export function checkToken<T extends string>(cmd: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new DataError(`${cmd}: ${name} must be one of ${allowed.join(', ')}, got ${typeof value === 'string' ? JSON.stringify(value) : typeName(value)}`);
}

/** One of a few tokens, in any case (flushall('async') is fine); the server reads them so. */
export function checkOneOf<T extends string>(cmd: string, name: string, value: unknown, allowed: readonly T[]): asserts value is T {
  if (typeof value !== 'string' || !allowed.includes(value.toUpperCase() as T)) {
    throw new DataError(`${cmd}: ${name} must be one of ${allowed.join(', ')}, got ${typeof value === 'string' ? JSON.stringify(value) : typeName(value)}`);
  }
}

/** The options object of a call: absent, or an object that is not an array. */
export function checkOptions(cmd: string, o: unknown): void {
  if (o !== undefined && (o === null || typeof o !== 'object' || Array.isArray(o))) {
    throw new DataError(`${cmd}: options must be an object, got ${typeName(o)}`);
  }
}

/**
 * As checkOptions, but an array passes (reading no options from it), as it always has in the
 * collection groups (lists, hashes, sets, sorted sets) and FUNCTION LIST.
 */
export function checkOptionsOrArray(cmd: string, o: unknown): void {
  if (o !== undefined && (o === null || typeof o !== 'object')) {
    throw new DataError(`${cmd}: options must be an object, got ${typeName(o)}`);
  }
}

/** A cursor as the server gave it (a decimal string that may exceed 2^53) or a safe non-negative integer. */
export function checkCursor(cmd: string, cursor: unknown): void {
  if (typeof cursor === 'string' ? /^\d+$/.test(cursor) : typeof cursor === 'number' && Number.isSafeInteger(cursor) && cursor >= 0) return;
  throw new DataError(`${cmd}: cursor must be a non-negative integer or its decimal string, got ${typeName(cursor)}`);
}

// ---- parts of a command line ------------------------------------------------------------------------

/** Appends one or more keys to `argv`; returns how many. */
export function pushKeys(cmd: string, argv: RedisArg[], keys: OneOrMany<RedisKey>, name = 'key'): number {
  if (typeof keys === 'string' || Buffer.isBuffer(keys)) {
    argv.push(keys);
    return 1;
  }
  if (!Array.isArray(keys)) throw new DataError(`${cmd}: ${name}s must be a ${name} or an array of them, got ${typeName(keys)}`);
  if (keys.length === 0) throw new DataError(`${cmd}: at least one ${name} is required`);
  for (const k of keys as ReadonlyArray<unknown>) {
    checkKey(cmd, name, k);
    argv.push(k as RedisKey);
  }
  return keys.length;
}

/** Appends `numkeys key [key …]`; returns numkeys. */
export function pushNumkeys(cmd: string, argv: RedisArg[], keys: OneOrMany<RedisKey>, name = 'key'): number {
  const at = argv.length;
  argv.push(0);
  const n = pushKeys(cmd, argv, keys, name);
  argv[at] = n;
  return n;
}

/** Appends MATCH and COUNT of the SCAN family. */
export function pushScanOptions(cmd: string, argv: RedisArg[], o: { match?: string | Buffer; count?: number } | undefined): void {
  checkOptionsOrArray(cmd, o);
  if (o === undefined) return;
  if (o.match !== undefined) {
    checkKey(cmd, 'match', o.match);
    argv.push('MATCH', o.match);
  }
  if (o.count !== undefined) {
    checkCount(cmd, 'count', o.count);
    argv.push('COUNT', o.count);
  }
}

/** `CMD word [name …]`: every name a string or Buffer, at least `min` of them. */
export function namesArgv(cmd: string, argv: RedisArg[], argName: string, names: ReadonlyArray<unknown>, min = 0): RedisArg[] {
  if (names.length < min) throw new DataError(`${cmd}: at least ${min} ${argName} ${min === 1 ? 'is' : 'are'} required`);
  for (const n of names) {
    checkKey(cmd, argName, n);
    argv.push(n as RedisArg);
  }
  return argv;
}

/** `name value …` pairs from an object, a Map or an array of pairs; at least one. */
export function pairsArgv(cmd: string, argv: RedisArg[], argName: string, pairs: unknown): RedisArg[] {
  if (pairs === null || typeof pairs !== 'object') throw new DataError(`${cmd}: ${argName} must be an object, a Map or an array of pairs`);
  const entries = Array.isArray(pairs) ? pairs : pairs instanceof Map ? [...pairs.entries()] : Object.entries(pairs);
  const start = argv.length;
  for (const e of entries) {
    if (!Array.isArray(e) || e.length !== 2) throw new DataError(`${cmd}: each of ${argName} must be a [name, value] pair`);
    checkKey(cmd, `${argName} name`, e[0]);
    checkValue(cmd, `${argName} value`, e[1]);
    argv.push(e[0] as RedisArg, e[1] as RedisArg);
  }
  if (argv.length === start) throw new DataError(`${cmd}: at least one ${argName} entry is required`);
  return argv;
}

/** Appends `LIMIT offset count` (ZRANGEBYSCORE, SORT…) when a limit is given. */
export function pushLimit(cmd: string, argv: RedisArg[], limit: { offset: number; count: number } | undefined): void {
  if (limit === undefined) return;
  if (limit === null || typeof limit !== 'object') throw new DataError(`${cmd}: limit must be { offset, count }`);
  checkInteger(cmd, 'limit.offset', limit.offset);
  checkInteger(cmd, 'limit.count', limit.count);
  argv.push('LIMIT', limit.offset, limit.count);
}

const EXPIRIES = ['ex', 'px', 'exat', 'pxat'] as const;

/** Appends at most one of EX/PX/EXAT/PXAT and `extra` (KEEPTTL or PERSIST, when set); refuses more. */
export function pushExpiry(
  cmd: string,
  argv: RedisArg[],
  o: { ex?: number; px?: number; exat?: number; pxat?: number; keepttl?: boolean; persist?: boolean },
  extra: 'keepttl' | 'persist',
): void {
  let n = 0;
  for (const opt of EXPIRIES) {
    const v = o[opt];
    if (v === undefined) continue;
    checkInteger(cmd, opt, v);
    argv.push(opt.toUpperCase(), v);
    n++;
  }
  if (o[extra]) {
    argv.push(extra.toUpperCase());
    n++;
  }
  if (n > 1) throw new DataError(`${cmd}: ${EXPIRIES.join(', ')} and ${extra} exclude each other`);
}
