import type { RedisArg } from '../../../src/index.js';

/** Cluster-group commands for the COMMAND GETKEYS check: CLUSTER KEYSLOT names a key, yet none counts as one. */
export const samples: RedisArg[][] = [
  ['CLUSTER', 'KEYSLOT', 'k'],
  ['CLUSTER', 'COUNTKEYSINSLOT', '1'],
  ['CLUSTER', 'GETKEYSINSLOT', '1', '10'],
  ['CLUSTER', 'SETSLOT', '1', 'STABLE'],
  ['CLUSTER', 'ADDSLOTSRANGE', '0', '10'],
  ['READONLY'],
  ['ASKING'],
];
