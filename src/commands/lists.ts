import { Flag, type RedisKey, type RedisValue, type Result, type Str } from './command.js';
import { keyAndValues } from './build.js';
import { checkInteger, checkKey, command, key, method } from './registry.js';

const R = Flag.READONLY;
const W = Flag.WRITE;

export interface ListCommands<C> {
  /** Prepends values; resolves the list's new length. */
  lpush(key: RedisKey, ...values: RedisValue[]): Result<C, number>;
  rpush(key: RedisKey, ...values: RedisValue[]): Result<C, number>;
  /** Elements from start to stop, inclusive; negative indexes count from the end. */
  lrange(key: RedisKey, start: number, stop: number): Result<C, Array<Str<C>>>;
}

const LPUSH = command('lpush', W, key(1));
const RPUSH = command('rpush', W, key(1));
const LRANGE = command('lrange', R, key(1));

export const listMethods = {
  lpush: method(LPUSH, (k: RedisKey, ...values: RedisValue[]) => keyAndValues('LPUSH', k, values)),
  rpush: method(RPUSH, (k: RedisKey, ...values: RedisValue[]) => keyAndValues('RPUSH', k, values)),
  lrange: method(LRANGE, (k: RedisKey, start: number, stop: number) => {
    checkKey('LRANGE', 'key', k);
    checkInteger('LRANGE', 'start', start);
    checkInteger('LRANGE', 'stop', stop);
    return ['LRANGE', k, start, stop];
  }),
};
