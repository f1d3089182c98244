import type { RedisArg } from '../../../src/index.js';

/** Sample argvs of the transaction commands, for the COMMAND GETKEYS check. */
export const samples: RedisArg[][] = [
  ['MULTI'],
  ['EXEC'],
  ['DISCARD'],
  ['WATCH', 'a'],
  ['WATCH', 'a', 'b', 'c'],
  ['UNWATCH'],
];
