import type { RedisArg } from '../../../src/index.js';

/** Sample argvs of the scripting commands, for the COMMAND GETKEYS check (numkeys-style keys). */
export const samples: RedisArg[][] = [
  ['EVAL', 'return 1', '0'],
  ['EVAL', 'return 1', '2', 'k1', 'k2', 'a1'],
  ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '1', 'k1', 'a1', 'a2'],
  ['EVAL_RO', 'return 1', '1', 'k1'],
  ['EVALSHA_RO', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '3', 'k1', 'k2', 'k3'],
  ['FCALL', 'f', '2', 'k1', 'k2', 'a'],
  ['FCALL_RO', 'f', '0', 'a'],
  ['FUNCTION', 'DELETE', 'lib'],
  ['FUNCTION', 'DUMP'],
  ['FUNCTION', 'FLUSH', 'SYNC'],
  ['FUNCTION', 'KILL'],
  ['FUNCTION', 'LIST', 'LIBRARYNAME', 'l*', 'WITHCODE'],
  ['FUNCTION', 'LOAD', 'REPLACE', '#!lua name=x'],
  ['FUNCTION', 'RESTORE', 'payload', 'REPLACE'],
  ['FUNCTION', 'STATS'],
  ['FUNCTION', 'HELP'],
  ['SCRIPT', 'EXISTS', 'a', 'b'],
  ['SCRIPT', 'FLUSH', 'ASYNC'],
  ['SCRIPT', 'KILL'],
  ['SCRIPT', 'LOAD', 'return 1'],
  ['SCRIPT', 'HELP'],
];
