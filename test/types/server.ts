/**
 * Compile-time checks of the server, cluster and sentinel commands: `npm run typecheck` must accept the
 * plain lines and refuse each line under `@ts-expect-error`. Never run.
 */
import type {
  AclLogEntry,
  AclUserReply,
  ClusterNode,
  ClusterSlotsRange,
  CommandDoc,
  CommandInfoReply,
  InfoReply,
  RedisClient,
  RoleReply,
  SentinelInstance,
  SlowlogEntry,
} from '../../src/index.js';
import type { ServerCommands, serverMethods } from '../../src/commands/server.js';
import type { ClusterCommands, clusterMethods } from '../../src/commands/cluster.js';
import type { SentinelCommands, sentinelMethods } from '../../src/commands/sentinel.js';

function expectType<T>(_v: T): void {}

/** The typed interfaces and the method tables name the same methods. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const serverTable: Same<keyof ServerCommands<unknown>, keyof typeof serverMethods> = true;
export const clusterTable: Same<keyof ClusterCommands<unknown>, keyof typeof clusterMethods> = true;
export const sentinelTable: Same<keyof SentinelCommands<unknown>, keyof typeof sentinelMethods> = true;

export async function server(c: RedisClient): Promise<void> {
  expectType<AclUserReply | null>(await c.aclGetuser('u'));
  expectType<AclLogEntry[]>(await c.aclLog(5));
  expectType<string>(await c.aclDryrun('u', 'set', 'k', 1));
  expectType<CommandInfoReply[]>(await c.command());
  expectType<Array<CommandInfoReply | null>>(await c.commandInfo('get'));
  expectType<Record<string, CommandDoc>>(await c.commandDocs());
  expectType<Buffer[]>(await c.withBuffers().commandGetkeys('get', 'k'));
  expectType<Record<string, string>>(await c.configGet('maxmemory'));
  expectType<'OK'>(await c.configSet({ hz: 10, 'maxmemory-policy': 'noeviction' }));
  expectType<'OK'>(await c.configSet('hz', 10));
  expectType<InfoReply>(await c.info('server'));
  expectType<RoleReply>(await c.role());
  const role = await c.role();
  if (role.role === 'replica') expectType<number>(role.masterPort);
  expectType<'OK'>(await c.replicaof('NO', 'ONE'));
  expectType<'OK'>(await c.replicaof('10.0.0.1', 6379));
  expectType<SlowlogEntry<string>[]>(await c.slowlogGet(10));
  expectType<SlowlogEntry<Buffer>[]>(await c.withBuffers().slowlogGet());
  expectType<number | null>(await c.memoryUsage('k', { samples: 5 }));
  expectType<{ seconds: number; microseconds: number }>(await c.time());
  expectType<'OK'>(await c.shutdown({ nosave: true, now: true }));
  expectType<'OK'>(await c.failover({ to: { host: 'h', port: 1, force: true }, timeout: 100 }));

  // @ts-expect-error a user name is a string
  await c.aclGetuser(1);
  // @ts-expect-error CONFIG GET needs names, not an object
  await c.configGet({ maxmemory: true });
  // @ts-expect-error CONFIG SET values are strings, Buffers or numbers
  await c.configSet('hz', true);
  // @ts-expect-error REPLICAOF NO ONE is spelled out
  await c.replicaof('NO', 1 > 2 ? 'ONE' : 'TWO');
  // @ts-expect-error a port is a number
  await c.replicaof('h', '6379');
  // @ts-expect-error FLUSHALL modes are ASYNC and SYNC
  await c.flushall('LATER');
  // @ts-expect-error unknown SHUTDOWN option
  await c.shutdown({ later: true });
  // @ts-expect-error COMMAND LIST filters by one of module, aclcat, pattern
  await c.commandList({ filterby: { group: 'string' } });
  // @ts-expect-error COMMANDLOG types are slow, large-request, large-reply
  await c.commandlogGet(10, 'fast');
  // @ts-expect-error a key is a string or Buffer
  await c.memoryUsage(5);
  // @ts-expect-error samples is a number
  await c.memoryUsage('k', { samples: '5' });
}

export async function cluster(c: RedisClient): Promise<void> {
  expectType<ClusterNode[]>(await c.clusterNodes());
  expectType<ClusterSlotsRange[]>(await c.clusterSlots());
  expectType<number>(await c.clusterKeyslot(Buffer.from('k')));
  expectType<'OK'>(await c.clusterAddslotsrange([0, 100], [200, 300]));
  expectType<'OK'>(await c.clusterSetslot(1, 'MIGRATING', 'node'));
  expectType<'OK'>(await c.clusterSetslot(1, 'STABLE'));
  expectType<{ bumped: boolean; epoch: number }>(await c.clusterBumpepoch());
  expectType<Buffer[]>(await c.withBuffers().clusterGetkeysinslot(1, 10));

  // @ts-expect-error slot ranges are [start, end] pairs
  await c.clusterAddslotsrange(0, 100);
  // @ts-expect-error slots are numbers
  await c.clusterAddslots('1');
  // @ts-expect-error MIGRATING needs a node id
  await c.clusterSetslot(1, 'MIGRATING');
  // @ts-expect-error STABLE takes no node id
  await c.clusterSetslot(1, 'STABLE', 'node');
  // @ts-expect-error CLUSTER FAILOVER modes are FORCE and TAKEOVER
  await c.clusterFailover('NOW');
  // @ts-expect-error SLOT-STATS takes slotsrange or orderby
  await c.clusterSlotStats({});
}

export async function sentinel(c: RedisClient): Promise<void> {
  expectType<SentinelInstance[]>(await c.sentinelMasters());
  expectType<number>((await c.sentinelMaster('m')).port);
  expectType<string[]>((await c.sentinelMaster('m')).flags);
  expectType<{ host: string; port: number } | null>(await c.sentinelGetMasterAddrByName('m'));
  expectType<'OK'>(await c.sentinelSet('m', { quorum: 2 }));
  expectType<Record<string, string>>(await c.sentinelDebug());
  expectType<'OK'>(await c.sentinelDebug({ 'ping-period': 100 }));

  // @ts-expect-error the quorum is a number
  await c.sentinelMonitor('m', '127.0.0.1', 6379, '2');
  // @ts-expect-error unknown failure mode
  await c.sentinelSimulateFailure('CRASH-NOW');
  // @ts-expect-error SENTINEL SET takes an object of options
  await c.sentinelSet('m', 'quorum', 2);
}
