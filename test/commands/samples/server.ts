import type { RedisArg } from '../../../src/index.js';

/** Server-group commands for the COMMAND GETKEYS check: MEMORY USAGE has a key, the rest none. */
export const samples: RedisArg[][] = [
  ['MEMORY', 'USAGE', 'k'],
  ['MEMORY', 'USAGE', 'k', 'SAMPLES', '5'],
  ['MEMORY', 'STATS'],
  ['DBSIZE'],
  ['FLUSHALL', 'ASYNC'],
  ['FLUSHDB'],
  ['SWAPDB', '0', '1'],
  ['CONFIG', 'GET', 'maxmemory'],
  ['CONFIG', 'SET', 'hz', '10'],
  ['ACL', 'DRYRUN', 'u', 'get', 'k'],
  ['ACL', 'SETUSER', 'u', 'on'],
  ['COMMAND', 'GETKEYS', 'get', 'k'],
  ['COMMAND', 'INFO', 'get'],
  ['INFO', 'server'],
  ['LATENCY', 'HISTORY', 'command'],
  ['SLOWLOG', 'GET', '1'],
  ['LOLWUT', 'VERSION', '5'],
  ['REPLICAOF', 'NO', 'ONE'],
  ['SHUTDOWN', 'NOSAVE'],
  ['FAILOVER', 'ABORT'],
  ['BGSAVE'],
  ['ROLE'],
  ['TIME'],
];
