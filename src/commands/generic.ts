import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type Result } from './command.js';
import { keysArgv, oneKey } from './build.js';
import { checkInteger, checkKey, command, key, keyRange, method } from './registry.js';
import { toBoolean } from './transforms.js';

const R = Flag.READONLY;
const W = Flag.WRITE;

export interface ExpireOptions {
  /** Only when the key has no expiry. */
  nx?: boolean;
  /** Only when the key has an expiry. */
  xx?: boolean;
  /** Only when the new expiry is later than the current one. */
  gt?: boolean;
  /** Only when the new expiry is earlier than the current one. */
  lt?: boolean;
}

export interface GenericCommands<C> {
  /** Deletes keys; resolves how many existed. */
  del(...keys: RedisKey[]): Result<C, number>;
  /** How many of the keys exist (a key named twice counts twice). */
  exists(...keys: RedisKey[]): Result<C, number>;
  /** True when the timeout was set. */
  expire(key: RedisKey, seconds: number, options?: ExpireOptions): Result<C, boolean>;
  pexpire(key: RedisKey, milliseconds: number, options?: ExpireOptions): Result<C, boolean>;
  expireat(key: RedisKey, unixSeconds: number, options?: ExpireOptions): Result<C, boolean>;
  pexpireat(key: RedisKey, unixMilliseconds: number, options?: ExpireOptions): Result<C, boolean>;
  /** Seconds to live; -1 without expiry, -2 when the key does not exist. */
  ttl(key: RedisKey): Result<C, number>;
  pttl(key: RedisKey): Result<C, number>;
  /** 'string', 'list', 'set', 'zset', 'hash', 'stream', or 'none'. */
  type(key: RedisKey): Result<C, string>;
  rename(key: RedisKey, newKey: RedisKey): Result<C, 'OK'>;
}

const DEL = command('del', W, keyRange(1, -1));
const EXISTS = command('exists', R, keyRange(1, -1));
const EXPIRE = command('expire', W, key(1));
const PEXPIRE = command('pexpire', W, key(1));
const EXPIREAT = command('expireat', W, key(1));
const PEXPIREAT = command('pexpireat', W, key(1));
const TTL = command('ttl', R, key(1));
const PTTL = command('pttl', R, key(1));
const TYPE = command('type', R, key(1));
const RENAME = command('rename', W, keyRange(1, 2));

function expireBuilder(cmd: string, argName: string) {
  return (k: RedisKey, time: number, o?: ExpireOptions): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkInteger(cmd, argName, time);
    const argv: RedisArg[] = [cmd, k, time];
    if (o !== undefined) {
      const set = (['nx', 'xx', 'gt', 'lt'] as const).filter((f) => o[f]);
      if (set.length > 1 && !(set.length === 2 && set.includes('xx') && (set.includes('gt') || set.includes('lt')))) {
        throw new DataError(`${cmd}: options ${set.join(', ')} cannot be combined`);
      }
      for (const f of set) argv.push(f.toUpperCase());
    }
    return argv;
  };
}

export const genericMethods = {
  del: method(DEL, (...keys: RedisKey[]) => keysArgv('DEL', keys)),
  exists: method(EXISTS, (...keys: RedisKey[]) => keysArgv('EXISTS', keys)),
  expire: method(EXPIRE, expireBuilder('EXPIRE', 'seconds'), toBoolean),
  pexpire: method(PEXPIRE, expireBuilder('PEXPIRE', 'milliseconds'), toBoolean),
  expireat: method(EXPIREAT, expireBuilder('EXPIREAT', 'unixSeconds'), toBoolean),
  pexpireat: method(PEXPIREAT, expireBuilder('PEXPIREAT', 'unixMilliseconds'), toBoolean),
  ttl: method(TTL, oneKey('TTL')),
  pttl: method(PTTL, oneKey('PTTL')),
  type: method(TYPE, oneKey('TYPE')),
  rename: method(RENAME, (k: RedisKey, nk: RedisKey) => {
    checkKey('RENAME', 'key', k);
    checkKey('RENAME', 'newKey', nk);
    return ['RENAME', k, nk];
  }),
};
