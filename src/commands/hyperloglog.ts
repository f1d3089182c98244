import { Flag, type RedisKey, type RedisValue, type Result } from './command.js';
import { keysArgv } from './build.js';
import { checkKey, checkValue, command, exclude, key, keyRange, variadic } from './registry.js';
import { toBoolean } from './transforms.js';

const R = Flag.READONLY;
const W = Flag.WRITE;

export interface HyperLogLogCommands<C> {
  /** Adds elements to the HyperLogLog at `key` (creating it); true when its estimate changed. */
  pfadd(key: RedisKey, ...elements: RedisValue[]): Result<C, boolean>;
  pfadd(key: RedisKey, elements: ReadonlyArray<RedisValue>): Result<C, boolean>;
  /** The estimated number of distinct elements in the union of the HyperLogLogs. */
  pfcount(...keys: RedisKey[]): Result<C, number>;
  pfcount(keys: ReadonlyArray<RedisKey>): Result<C, number>;
  /** Merges the source HyperLogLogs (and `destkey` itself) into `destkey`. */
  pfmerge(destkey: RedisKey, ...sourcekeys: RedisKey[]): Result<C, 'OK'>;
  pfmerge(destkey: RedisKey, sourcekeys: ReadonlyArray<RedisKey>): Result<C, 'OK'>;
}

const PFADD = command('pfadd', W, key(1));
const PFCOUNT = command('pfcount', R, keyRange(1, -1));
const PFMERGE = command('pfmerge', W, keyRange(1, -1));

exclude('pfdebug', 'an internal debugging command of the HyperLogLog encoding, not for applications');
exclude('pfselftest', 'an internal self-test of the HyperLogLog implementation, not for applications');

export const hyperLogLogMethods = {
  // Without elements PFADD only creates the key, which is a use of its own.
  pfadd: variadic(PFADD, 1, (k: RedisKey, elements: RedisValue[]) => {
    checkKey('PFADD', 'key', k);
    for (const e of elements) checkValue('PFADD', 'element', e);
    return ['PFADD', k, ...elements];
  }, toBoolean),
  pfcount: variadic(PFCOUNT, 0, (keys: RedisKey[]) => keysArgv('PFCOUNT', keys)),
  pfmerge: variadic(PFMERGE, 1, (dest: RedisKey, sources: RedisKey[]) => {
    checkKey('PFMERGE', 'destkey', dest);
    for (const k of sources) checkKey('PFMERGE', 'sourcekey', k);
    return ['PFMERGE', dest, ...sources];
  }),
};
