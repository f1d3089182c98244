import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import type { RedisKey } from './command.js';
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
 * As checkOptions, but an array passes, as it always has in the
 * collection groups (lists, hashes, sets, sorted sets).
 */
export function checkOptionsOrArray(cmd: string, o: unknown): void {
  if (o !== undefined && (o === null || typeof o !== 'object')) {
    throw new DataError(`${cmd}: options must be an object, got ${typeName(o)}`);
  }
}

/** A cursor as it goes back to the server: the string the server gave, or a non-negative integer. */
export function checkCursor(cmd: string, cursor: unknown): void {
  if (typeof cursor === 'string' ? !/^\d+$/.test(cursor) : typeof cursor !== 'number' || !Number.isSafeInteger(cursor) || cursor < 0) {
    throw new DataError(`${cmd}: cursor must be the string a previous step returned, or a non-negative integer`);
  }
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

/** Appends `numkeys key [key …]`. */
export function pushNumkeys(cmd: string, argv: RedisArg[], keys: OneOrMany<RedisKey>, name = 'key'): void {
  const at = argv.length;
  argv.push(0);
  argv[at] = pushKeys(cmd, argv, keys, name);
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
