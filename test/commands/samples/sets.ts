import type { RedisArg } from '../../../src/index.js';

/** Sample argvs of the set commands, for the COMMAND GETKEYS check. */
export const samples: RedisArg[][] = [
  ['SADD', 's', 'a', 'b'],
  ['SCARD', 's'],
  ['SDIFF', 'a', 'b', 'c'],
  ['SDIFFSTORE', 'dst', 'a', 'b'],
  ['SINTER', 'a', 'b'],
  ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '5'],
  ['SINTERCARD', '1', 'a'],
  ['SINTERSTORE', 'dst', 'a', 'b'],
  ['SISMEMBER', 's', 'a'],
  ['SMEMBERS', 's'],
  ['SMISMEMBER', 's', 'a', 'b'],
  ['SMOVE', 'src', 'dst', 'm'],
  ['SPOP', 's'],
  ['SPOP', 's', '2'],
  ['SRANDMEMBER', 's', '-3'],
  ['SREM', 's', 'a'],
  ['SSCAN', 's', '0', 'MATCH', '*', 'COUNT', '5'],
  ['SUNION', 'a', 'b'],
  ['SUNIONSTORE', 'dst', 'a', 'b', 'c'],
];
