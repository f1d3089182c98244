import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type RedisValue, type Result, type Str } from './command.js';
import { checkKey, checkValue, command, exclude, keyRange, method, variadic } from './registry.js';
import { toNumber, toObjectOf, toTexts } from './transforms.js';

const P = Flag.PUBSUB;

export interface PubSubCommands<C> {
  /** Posts a message to a channel; resolves how many clients received it. */
  publish(channel: RedisKey, message: RedisValue): Result<C, number>;
  /** Posts a message to a shard channel (Redis 7); resolves how many clients of that shard received it. */
  spublish(shardChannel: RedisKey, message: RedisValue): Result<C, number>;
  /** Channels with at least one subscriber, optionally those matching a glob pattern. */
  pubsubChannels(pattern?: RedisKey): Result<C, Array<Str<C>>>;
  pubsubHelp(): Result<C, string[]>;
  /** How many pattern subscriptions there are, over all clients. */
  pubsubNumpat(): Result<C, number>;
  /** Subscriber counts by channel. */
  pubsubNumsub(...channels: RedisKey[]): Result<C, Record<string, number>>;
  pubsubNumsub(channels: ReadonlyArray<RedisKey>): Result<C, Record<string, number>>;
  /** Shard channels with at least one subscriber (on this node). */
  pubsubShardchannels(pattern?: RedisKey): Result<C, Array<Str<C>>>;
  /** Subscriber counts by shard channel (on this node). */
  pubsubShardnumsub(...shardChannels: RedisKey[]): Result<C, Record<string, number>>;
  pubsubShardnumsub(shardChannels: ReadonlyArray<RedisKey>): Result<C, Record<string, number>>;
}

/*
 * A shard channel is not a key (COMMAND GETKEYS lists none for SPUBLISH), but it is hashed to a slot
 * like one, and the cluster must send the command to that slot's node: so its position is recorded
 * as a key position.
 */
const PUBLISH = command('publish', P);
const SPUBLISH = command('spublish', P, keyRange(1, 1));
const PUBSUB_CHANNELS = command('pubsub|channels', P);
const PUBSUB_HELP = command('pubsub|help', 0);
const PUBSUB_NUMPAT = command('pubsub|numpat', P);
const PUBSUB_NUMSUB = command('pubsub|numsub', P);
const PUBSUB_SHARDCHANNELS = command('pubsub|shardchannels', P);
const PUBSUB_SHARDNUMSUB = command('pubsub|shardnumsub', P);

// The subscriber commands are known to the table (flags, shard channels for slot routing), but they
// switch a connection into subscriber mode, where it can no longer carry ordinary commands: they belong
// to the pub/sub object, which runs them on a connection of its own.
const SUBSCRIBER = P | Flag.NOSCRIPT | Flag.CONNSTATE;
command('subscribe', SUBSCRIBER);
command('psubscribe', SUBSCRIBER);
command('ssubscribe', SUBSCRIBER, keyRange(1, -1));
command('unsubscribe', SUBSCRIBER);
command('punsubscribe', SUBSCRIBER);
command('sunsubscribe', SUBSCRIBER, keyRange(1, -1));
const SUBSCRIBER_REASON =
  'switches the connection into subscriber mode, so it cannot run on the shared multiplexed connection; use the pub/sub object (client.pubsub())';
for (const id of ['subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe']) {
  exclude(id, SUBSCRIBER_REASON);
}

function buildPublish(cmd: string) {
  return (channel: RedisKey, message: RedisValue): RedisArg[] => {
    checkKey(cmd, 'channel', channel);
    checkValue(cmd, 'message', message);
    return [cmd, channel, message];
  };
}

function buildPattern(sub: string) {
  return (pattern?: RedisKey): RedisArg[] => {
    if (pattern === undefined) return ['PUBSUB', sub];
    checkKey(`PUBSUB ${sub}`, 'pattern', pattern);
    return ['PUBSUB', sub, pattern];
  };
}

function buildChannels(sub: string) {
  return (channels: RedisKey[]): RedisArg[] => {
    for (const c of channels) checkKey(`PUBSUB ${sub}`, 'channel', c);
    return ['PUBSUB', sub, ...channels];
  };
}

const toCounts = toObjectOf(toNumber);

export const pubSubMethods = {
  publish: method(PUBLISH, buildPublish('PUBLISH')),
  spublish: method(SPUBLISH, buildPublish('SPUBLISH')),
  pubsubChannels: method(PUBSUB_CHANNELS, buildPattern('CHANNELS')),
  pubsubHelp: method(PUBSUB_HELP, () => ['PUBSUB', 'HELP'], toTexts),
  pubsubNumpat: method(PUBSUB_NUMPAT, () => ['PUBSUB', 'NUMPAT']),
  pubsubNumsub: variadic(PUBSUB_NUMSUB, 0, buildChannels('NUMSUB'), toCounts),
  pubsubShardchannels: method(PUBSUB_SHARDCHANNELS, buildPattern('SHARDCHANNELS')),
  pubsubShardnumsub: variadic(PUBSUB_SHARDNUMSUB, 0, buildChannels('SHARDNUMSUB'), toCounts),
};
