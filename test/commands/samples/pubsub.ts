import type { RedisArg } from '../../../src/index.js';

/**
 * Sample argvs of the pub/sub commands, for the COMMAND GETKEYS check. SPUBLISH, SSUBSCRIBE and
 * SUNSUBSCRIBE are left out on purpose: GETKEYS lists no keys for them (a shard channel is flagged
 * not_key), while the table records the channels' positions because they pick the cluster slot
 * (checked in test/commands/pubsub.test.ts).
 */
export const samples: RedisArg[][] = [
  ['PUBLISH', 'ch', 'msg'],
  ['PUBSUB', 'CHANNELS', 'ch*'],
  ['PUBSUB', 'NUMPAT'],
  ['PUBSUB', 'NUMSUB', 'a', 'b'],
  ['PUBSUB', 'SHARDCHANNELS'],
  ['PUBSUB', 'SHARDNUMSUB', 'a'],
  ['PUBSUB', 'HELP'],
  ['SUBSCRIBE', 'a', 'b'],
  ['PSUBSCRIBE', 'a*'],
  ['UNSUBSCRIBE', 'a'],
  ['PUNSUBSCRIBE'],
];
