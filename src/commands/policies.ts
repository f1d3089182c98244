/**
 * Where a cluster sends a command that has no key, and how it combines the replies: the request and
 * response policies the servers publish as COMMAND tips (`request_policy:all_shards`…). Kept beside
 * the command table, by the same ids; test/commands/policies.test.ts checks them against both servers.
 *
 * Where Redis 7.0 and Valkey 8.0 differ, the entry follows the one that says more (Valkey added
 * policies for ACL and CONFIG writes), except MSETNX: split by slot it would no longer be all or
 * nothing, so it stays one command and keys in several slots are refused.
 */

/** `allNodes`: every primary and replica; `allShards`: every primary; `multiShard`: split by key slot. */
export type RequestPolicy = 'allNodes' | 'allShards' | 'multiShard' | 'special';

/**
 * How the replies of a command sent to several nodes become one: `allSucceeded` (the first reply, or
 * the first error), `oneSucceeded` (the first reply that is not an error), `aggSum` / `aggMin` / `aggMax`
 * (numbers, or arrays of them element by element), `aggLogicalAnd` / `aggLogicalOr` (the same for
 * booleans), `special` (no general rule: the command goes to one node). Without one, arrays are
 * concatenated (KEYS) and multi-key replies put back in the caller's order (MGET).
 */
export type ResponsePolicy = 'allSucceeded' | 'oneSucceeded' | 'aggSum' | 'aggMin' | 'aggMax' | 'aggLogicalAnd' | 'aggLogicalOr' | 'special';

/** How a keyless command is routed in a cluster (request policy) and how the nodes' replies merge (response policy). */
export interface CommandPolicy {
  readonly request: RequestPolicy;
  readonly response?: ResponsePolicy;
}

const p = (request: RequestPolicy, response?: ResponsePolicy): CommandPolicy => (response === undefined ? { request } : { request, response });

export const POLICIES: ReadonlyMap<string, CommandPolicy> = new Map<string, CommandPolicy>([
  ['acl|deluser', p('allNodes', 'allSucceeded')],
  ['acl|save', p('allNodes', 'allSucceeded')],
  ['acl|setuser', p('allNodes', 'allSucceeded')],
  ['client|setinfo', p('allNodes', 'allSucceeded')],
  ['client|setname', p('allNodes', 'allSucceeded')],
  ['cluster|slot-stats', p('allShards')],
  ['config|resetstat', p('allNodes', 'allSucceeded')],
  ['config|rewrite', p('allNodes', 'allSucceeded')],
  ['config|set', p('allNodes', 'allSucceeded')],
  ['dbsize', p('allShards', 'aggSum')],
  ['del', p('multiShard', 'aggSum')],
  ['exists', p('multiShard', 'aggSum')],
  ['flushall', p('allShards', 'allSucceeded')],
  ['flushdb', p('allShards', 'allSucceeded')],
  ['function|delete', p('allShards', 'allSucceeded')],
  ['function|flush', p('allShards', 'allSucceeded')],
  ['function|kill', p('allShards', 'oneSucceeded')],
  ['function|load', p('allShards', 'allSucceeded')],
  ['function|restore', p('allShards', 'allSucceeded')],
  ['function|stats', p('allShards', 'special')],
  ['info', p('allShards', 'special')],
  ['keys', p('allShards')],
  ['latency|doctor', p('allNodes', 'special')],
  ['latency|graph', p('allNodes', 'special')],
  ['latency|histogram', p('allNodes', 'special')],
  ['latency|history', p('allNodes', 'special')],
  ['latency|latest', p('allNodes', 'special')],
  // Redis 7.0 says allSucceeded, Valkey aggSum: the count of reset events, summed, says more.
  ['latency|reset', p('allNodes', 'aggSum')],
  ['memory|doctor', p('allShards', 'special')],
  ['memory|malloc-stats', p('allShards', 'special')],
  ['memory|purge', p('allShards', 'allSucceeded')],
  ['memory|stats', p('allShards', 'special')],
  ['mget', p('multiShard')],
  ['mset', p('multiShard', 'allSucceeded')],
  ['ping', p('allShards', 'allSucceeded')],
  ['randomkey', p('allShards', 'special')],
  ['scan', p('special', 'special')],
  ['script|exists', p('allShards', 'aggLogicalAnd')],
  ['script|flush', p('allNodes', 'allSucceeded')],
  ['script|kill', p('allShards', 'oneSucceeded')],
  ['script|load', p('allNodes', 'allSucceeded')],
  ['slowlog|get', p('allNodes')],
  ['slowlog|len', p('allNodes', 'aggSum')],
  ['slowlog|reset', p('allNodes', 'allSucceeded')],
  ['touch', p('multiShard', 'aggSum')],
  ['unlink', p('multiShard', 'aggSum')],
  ['wait', p('allShards', 'aggMin')],
  ['waitaof', p('allShards', 'aggMin')],
]);

/** Deliberate departures from a server's tips, by server kind, for the test that compares them. */
export const POLICY_DEPARTURES: ReadonlyMap<string, string> = new Map([
  ['msetnx', 'split by slot it would no longer be all or nothing'],
  ['latency|reset', 'the servers disagree; the sum of reset events says more'],
  ['randomkey', 'Redis 7.0 gives no response policy; Valkey says special, which we follow'],
  ['scan', 'Redis 7.0 gives no response policy; Valkey says special, which we follow'],
]);
