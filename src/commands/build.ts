import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import type { RedisKey } from './command.js';
import { checkInteger, checkKey, checkValue } from './registry.js';

/** Builders shared by the command groups: each checks its arguments, then returns the argv. */

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
