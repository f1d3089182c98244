import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type RedisValue, type Result, type Str } from './command.js';
import {
  keyAndOptionalCount,
  keyAndValue,
  keyAndValues,
  keyScanArgv,
  keysArgv,
  numkeysAndLimit,
  oneKey,
  type OneOrMany,
} from './build.js';
import { checkKey, checkValue, command, key, keyRange, method, variadic } from './registry.js';
import { numkeysSpec } from './specs.js';
import { toBoolean, toBooleans, toScanMembers } from './transforms.js';

const R = Flag.READONLY;
const W = Flag.WRITE;

/** One SSCAN step: the cursor to pass next ('0' when the scan is over) and the members found. */
export interface SScanReply<S = string> {
  cursor: string;
  members: S[];
}

/** Optional tokens of SSCAN and its iterator: a member pattern and a count hint. */
export interface SScanOptions {
  /** Only members matching this glob-style pattern. */
  match?: string | Buffer;
  /** A hint of how much work one step does. */
  count?: number;
}

export interface SetCommands<C> {
  /** Adds members; resolves how many were new. */
  sadd(key: RedisKey, ...members: RedisValue[]): Result<C, number>;
  sadd(key: RedisKey, members: ReadonlyArray<RedisValue>): Result<C, number>;
  /** Removes members; resolves how many were there. */
  srem(key: RedisKey, ...members: RedisValue[]): Result<C, number>;
  srem(key: RedisKey, members: ReadonlyArray<RedisValue>): Result<C, number>;
  scard(key: RedisKey): Result<C, number>;
  smembers(key: RedisKey): Result<C, Array<Str<C>>>;
  sismember(key: RedisKey, member: RedisValue): Result<C, boolean>;
  /** For each member, whether it is in the set. */
  smismember(key: RedisKey, ...members: RedisValue[]): Result<C, boolean[]>;
  smismember(key: RedisKey, members: ReadonlyArray<RedisValue>): Result<C, boolean[]>;
  /** Moves a member to another set; false when it was not in `source`. */
  smove(source: RedisKey, destination: RedisKey, member: RedisValue): Result<C, boolean>;
  /** Removes and returns a random member; null when the set is empty. */
  spop(key: RedisKey): Result<C, Str<C> | null>;
  spop(key: RedisKey, count: number): Result<C, Array<Str<C>>>;
  /** A random member; null when the set is empty. */
  srandmember(key: RedisKey): Result<C, Str<C> | null>;
  /** `count` random members: distinct when positive, maybe repeated when negative. */
  srandmember(key: RedisKey, count: number): Result<C, Array<Str<C>>>;
  /** Members of the first set that are in none of the others. */
  sdiff(...keys: RedisKey[]): Result<C, Array<Str<C>>>;
  sdiff(keys: ReadonlyArray<RedisKey>): Result<C, Array<Str<C>>>;
  /** SDIFF stored at `destination`; resolves its size. */
  sdiffstore(destination: RedisKey, ...keys: RedisKey[]): Result<C, number>;
  sdiffstore(destination: RedisKey, keys: ReadonlyArray<RedisKey>): Result<C, number>;
  sinter(...keys: RedisKey[]): Result<C, Array<Str<C>>>;
  sinter(keys: ReadonlyArray<RedisKey>): Result<C, Array<Str<C>>>;
  sinterstore(destination: RedisKey, ...keys: RedisKey[]): Result<C, number>;
  sinterstore(destination: RedisKey, keys: ReadonlyArray<RedisKey>): Result<C, number>;
  /** The size of the intersection, counting no further than `limit` when given (0: no limit). */
  sintercard(keys: OneOrMany<RedisKey>, options?: { limit?: number }): Result<C, number>;
  sunion(...keys: RedisKey[]): Result<C, Array<Str<C>>>;
  sunion(keys: ReadonlyArray<RedisKey>): Result<C, Array<Str<C>>>;
  sunionstore(destination: RedisKey, ...keys: RedisKey[]): Result<C, number>;
  sunionstore(destination: RedisKey, keys: ReadonlyArray<RedisKey>): Result<C, number>;
  /** One step of a scan over the set; start with cursor '0' and go on until it comes back '0'. */
  sscan(key: RedisKey, cursor: string | number, options?: SScanOptions): Result<C, SScanReply<Str<C>>>;
}

const SADD = command('sadd', W, key(1));
const SREM = command('srem', W, key(1));
const SCARD = command('scard', R | Flag.CACHEABLE, key(1));
const SMEMBERS = command('smembers', R | Flag.CACHEABLE, key(1));
const SISMEMBER = command('sismember', R | Flag.CACHEABLE, key(1));
const SMISMEMBER = command('smismember', R | Flag.CACHEABLE, key(1));
const SMOVE = command('smove', W, keyRange(1, 2));
const SPOP = command('spop', W, key(1));
const SRANDMEMBER = command('srandmember', R, key(1));
const SDIFF = command('sdiff', R | Flag.CACHEABLE, keyRange(1, -1));
const SDIFFSTORE = command('sdiffstore', W, keyRange(1, -1));
const SINTER = command('sinter', R | Flag.CACHEABLE, keyRange(1, -1));
const SINTERSTORE = command('sinterstore', W, keyRange(1, -1));
const SINTERCARD = command('sintercard', R | Flag.CACHEABLE, numkeysSpec(1));
const SUNION = command('sunion', R | Flag.CACHEABLE, keyRange(1, -1));
const SUNIONSTORE = command('sunionstore', W, keyRange(1, -1));
const SSCAN = command('sscan', R, key(1));

function store(cmd: string) {
  return (destination: RedisKey, keys: RedisKey[]): RedisArg[] => {
    checkKey(cmd, 'destination', destination);
    const argv = keysArgv(cmd, keys);
    argv.splice(1, 0, destination);
    return argv;
  };
}

export const setMethods = {
  sadd: variadic(SADD, 1, (k: RedisKey, members: RedisValue[]) => keyAndValues('SADD', k, members, 'member')),
  srem: variadic(SREM, 1, (k: RedisKey, members: RedisValue[]) => keyAndValues('SREM', k, members, 'member')),
  scard: method(SCARD, oneKey('SCARD')),
  smembers: method(SMEMBERS, oneKey('SMEMBERS')),
  sismember: method(SISMEMBER, keyAndValue('SISMEMBER', 'member'), toBoolean),
  smismember: variadic(SMISMEMBER, 1, (k: RedisKey, members: RedisValue[]) => keyAndValues('SMISMEMBER', k, members, 'member'), toBooleans),
  smove: method(
    SMOVE,
    (source: RedisKey, destination: RedisKey, member: RedisValue) => {
      checkKey('SMOVE', 'source', source);
      checkKey('SMOVE', 'destination', destination);
      checkValue('SMOVE', 'member', member);
      return ['SMOVE', source, destination, member];
    },
    toBoolean,
  ),
  spop: method(SPOP, keyAndOptionalCount('SPOP')),
  srandmember: method(SRANDMEMBER, keyAndOptionalCount('SRANDMEMBER')),
  sdiff: variadic(SDIFF, 0, (keys: RedisKey[]) => keysArgv('SDIFF', keys)),
  sdiffstore: variadic(SDIFFSTORE, 1, store('SDIFFSTORE')),
  sinter: variadic(SINTER, 0, (keys: RedisKey[]) => keysArgv('SINTER', keys)),
  sinterstore: variadic(SINTERSTORE, 1, store('SINTERSTORE')),
  sintercard: method(SINTERCARD, numkeysAndLimit('SINTERCARD')),
  sunion: variadic(SUNION, 0, (keys: RedisKey[]) => keysArgv('SUNION', keys)),
  sunionstore: variadic(SUNIONSTORE, 1, store('SUNIONSTORE')),
  sscan: method(
    SSCAN,
    (k: RedisKey, cursor: string | number, o?: SScanOptions) => keyScanArgv('SSCAN', k, cursor, o),
    toScanMembers,
  ),
};
