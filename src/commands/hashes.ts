import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type RedisValue, type Result, type Str } from './command.js';
import { checkKey, checkValue, command, key, method } from './registry.js';
import { toObject } from './transforms.js';

const R = Flag.READONLY;
const W = Flag.WRITE;

export interface HashCommands<C> {
  /** Sets fields; resolves how many were new. */
  hset(key: RedisKey, fields: Record<string, RedisValue> | Map<RedisKey, RedisValue> | Array<[RedisKey, RedisValue]>): Result<C, number>;
  hset(key: RedisKey, field: RedisKey, value: RedisValue): Result<C, number>;
  hget(key: RedisKey, field: RedisKey): Result<C, Str<C> | null>;
  /** Every field and value as an object (empty when the key does not exist). */
  hgetall(key: RedisKey): Result<C, Record<string, Str<C>>>;
}

const HSET = command('hset', W, key(1));
const HGET = command('hget', R, key(1));
const HGETALL = command('hgetall', R, key(1));

/** Field/value pairs from an object, a Map or an array of pairs. */
export function fieldPairs(
  cmd: string,
  argv: RedisArg[],
  fields: Record<string, RedisValue> | Map<RedisKey, RedisValue> | Array<[RedisKey, RedisValue]>,
): RedisArg[] {
  if (fields === null || typeof fields !== 'object') throw new DataError(`${cmd}: fields must be an object, a Map or an array of pairs`);
  const pairs = Array.isArray(fields) ? fields : fields instanceof Map ? fields.entries() : Object.entries(fields);
  const start = argv.length;
  for (const [f, v] of pairs) {
    checkKey(cmd, 'field', f);
    checkValue(cmd, 'value', v);
    argv.push(f, v);
  }
  if (argv.length === start) throw new DataError(`${cmd}: at least one field is required`);
  return argv;
}

export const hashMethods = {
  hset: method(HSET, (k: RedisKey, fieldsOrField: unknown, value?: RedisValue) => {
    checkKey('HSET', 'key', k);
    if (typeof fieldsOrField === 'string' || Buffer.isBuffer(fieldsOrField)) {
      checkValue('HSET', 'value', value);
      return ['HSET', k, fieldsOrField, value!];
    }
    return fieldPairs('HSET', ['HSET', k], fieldsOrField as Record<string, RedisValue>);
  }),
  hget: method(HGET, (k: RedisKey, f: RedisKey) => {
    checkKey('HGET', 'key', k);
    checkKey('HGET', 'field', f);
    return ['HGET', k, f];
  }),
  hgetall: method(HGETALL, (k: RedisKey) => {
    checkKey('HGETALL', 'key', k);
    return ['HGETALL', k];
  }, toObject),
};
