import type { RedisArg } from '../../../src/index.js';

/** Connection-group commands for the COMMAND GETKEYS check: none has keys. */
export const samples: RedisArg[][] = [
  ['AUTH', 'user', 'pass'],
  ['HELLO', '3'],
  ['ECHO', 'x'],
  ['SELECT', '1'],
  ['RESET'],
  ['CLIENT', 'LIST', 'TYPE', 'normal'],
  ['CLIENT', 'KILL', 'ID', '5'],
  ['CLIENT', 'TRACKING', 'ON', 'PREFIX', 'k'],
  ['CLIENT', 'SETNAME', 'n'],
  ['CLIENT', 'UNBLOCK', '5'],
];
