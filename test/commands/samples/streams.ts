import type { RedisArg } from '../../../src/index.js';

/** Sample argvs of the stream commands, for the COMMAND GETKEYS check. */
export const samples: RedisArg[][] = [
  ['XACK', 's', 'g', '1-1', '2-1'],
  ['XADD', 's', '*', 'f', 'v'],
  ['XADD', 's', 'NOMKSTREAM', 'MAXLEN', '~', '100', 'LIMIT', '10', '*', 'f', 'v'],
  ['XADD', 's', 'MINID', '=', '5-0', '6-0', 'f', 'v', 'g', 'w'],
  ['XAUTOCLAIM', 's', 'g', 'c', '10', '0-0', 'COUNT', '5', 'JUSTID'],
  ['XCLAIM', 's', 'g', 'c', '10', '1-1', '2-2', 'IDLE', '5', 'FORCE', 'JUSTID', 'LASTID', '3-3'],
  ['XDEL', 's', '1-1', '2-1'],
  ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM', 'ENTRIESREAD', '0'],
  ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c'],
  ['XGROUP', 'DELCONSUMER', 's', 'g', 'c'],
  ['XGROUP', 'DESTROY', 's', 'g'],
  ['XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD', '3'],
  ['XGROUP', 'HELP'],
  ['XINFO', 'CONSUMERS', 's', 'g'],
  ['XINFO', 'GROUPS', 's'],
  ['XINFO', 'STREAM', 's'],
  ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '5'],
  ['XINFO', 'HELP'],
  ['XLEN', 's'],
  ['XPENDING', 's', 'g'],
  ['XPENDING', 's', 'g', 'IDLE', '10', '-', '+', '10', 'c'],
  ['XRANGE', 's', '-', '+', 'COUNT', '2'],
  ['XREVRANGE', 's', '+', '-'],
  ['XREAD', 'STREAMS', 's', '0'],
  ['XREAD', 'COUNT', '2', 'BLOCK', '100', 'STREAMS', 'a', 'b', 'c', '0', '0', '$'],
  // A stream named like the keyword: only the position after the options counts.
  ['XREAD', 'COUNT', '1', 'STREAMS', 'STREAMS', 's2', '0', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'BLOCK', '0', 'NOACK', 'STREAMS', 'a', 'b', '>', '>'],
  // A group named STREAMS and a consumer named BLOCK.
  ['XREADGROUP', 'GROUP', 'STREAMS', 'BLOCK', 'STREAMS', 's1', 's2', '>', '0'],
  ['XSETID', 's', '5-0', 'ENTRIESADDED', '10', 'MAXDELETEDID', '3-0'],
  ['XTRIM', 's', 'MAXLEN', '~', '100', 'LIMIT', '10'],
  ['XTRIM', 's', 'MINID', '5-0'],
  // Newer than the test servers (skipped by the table test there), kept for when they are not.
  ['XACKDEL', 's', 'g', 'ACKED', 'IDS', '2', '1-1', '2-1'],
  ['XDELEX', 's', 'IDS', '1', '1-1'],
  ['XCFGSET', 's', 'IDMP-DURATION', '100'],
];
