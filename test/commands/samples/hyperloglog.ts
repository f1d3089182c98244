import type { RedisArg } from '../../../src/index.js';

/** Sample argvs of the HyperLogLog commands, for the COMMAND GETKEYS check. */
export const samples: RedisArg[][] = [
  ['PFADD', 'h', 'a', 'b'],
  ['PFADD', 'h'],
  ['PFCOUNT', 'h1', 'h2'],
  ['PFMERGE', 'dst', 'h1', 'h2'],
];
