import type { RedisArg } from '../../../src/index.js';

/** Sample argvs of the bitmap commands, for the COMMAND GETKEYS check. */
export const samples: RedisArg[][] = [
  ['BITCOUNT', 'k'],
  ['BITCOUNT', 'k', '0', '-1', 'BIT'],
  ['BITFIELD', 'k', 'SET', 'u8', '0', '255', 'OVERFLOW', 'SAT', 'INCRBY', 'u8', '#1', '5', 'GET', 'i4', '0'],
  ['BITFIELD_RO', 'k', 'GET', 'u8', '0', 'GET', 'u4', '#2'],
  ['BITOP', 'AND', 'dst', 'a', 'b', 'c'],
  ['BITOP', 'NOT', 'dst', 'a'],
  ['BITPOS', 'k', '1'],
  ['BITPOS', 'k', '0', '2', '-1', 'BYTE'],
  ['GETBIT', 'k', '7'],
  ['SETBIT', 'k', '7', '1'],
];
