import { stringMethods, type StringCommands } from './strings.js';
import { genericMethods, type GenericCommands } from './generic.js';
import { bitmapMethods, type BitmapCommands } from './bitmaps.js';
import { hyperLogLogMethods, type HyperLogLogCommands } from './hyperloglog.js';
import { geoMethods, type GeoCommands } from './geo.js';
import { listMethods, type ListCommands } from './lists.js';
import { hashMethods, type HashCommands } from './hashes.js';
import { setMethods, type SetCommands } from './sets.js';
import { sortedSetMethods, type SortedSetCommands } from './sortedsets.js';
import { streamMethods, type StreamCommands } from './streams.js';
import { pubSubMethods, type PubSubCommands } from './pubsub.js';
import { scriptingMethods, type ScriptingCommands } from './scripting.js';
import { transactionMethods, type TransactionCommands } from './transactions.js';
import { connectionMethods, type ConnectionCommands } from './connection.js';
import { serverMethods, type ServerCommands } from './server.js';
import { clusterMethods, type ClusterCommands } from './cluster.js';
import { sentinelMethods, type SentinelCommands } from './sentinel.js';
import type { MethodDef } from './command.js';
import { moduleMethods, type ModuleCommands } from '../modules/index.js';

/** Every command method, the modules' included, generic in the calling context (client, pipeline…). */
export interface CoreCommands<C>
  extends StringCommands<C>,
    GenericCommands<C>,
    BitmapCommands<C>,
    HyperLogLogCommands<C>,
    GeoCommands<C>,
    ListCommands<C>,
    HashCommands<C>,
    SetCommands<C>,
    SortedSetCommands<C>,
    StreamCommands<C>,
    PubSubCommands<C>,
    ScriptingCommands<C>,
    TransactionCommands<C>,
    ConnectionCommands<C>,
    ServerCommands<C>,
    ClusterCommands<C>,
    SentinelCommands<C>,
    ModuleCommands<C> {}

/** The method table: method name -> definition. */
export const coreMethods: Record<string, MethodDef> = {
  ...stringMethods,
  ...genericMethods,
  ...bitmapMethods,
  ...hyperLogLogMethods,
  ...geoMethods,
  ...listMethods,
  ...hashMethods,
  ...setMethods,
  ...sortedSetMethods,
  ...streamMethods,
  ...pubSubMethods,
  ...scriptingMethods,
  ...transactionMethods,
  ...connectionMethods,
  ...serverMethods,
  ...clusterMethods,
  ...sentinelMethods,
  ...moduleMethods,
};

export type { SetOptions } from './strings.js';
export type { ExpireOptions } from './generic.js';
export type {
  ClientRecord,
  ClientType,
  ClientListOptions,
  ClientKillFilters,
  ClientTrackingOptions,
  TrackingInfo,
  HelloReply,
  HelloOptions,
} from './connection.js';
export type {
  InfoReply,
  AclUserReply,
  AclLogEntry,
  CommandInfoReply,
  CommandKeySpec,
  CommandDoc,
  CommandArgumentDoc,
  CommandListOptions,
  FailoverOptions,
  ShutdownOptions,
  LatencyLatestEntry,
  LatencyHistoryEntry,
  LatencyHistogram,
  MemoryStats,
  ModuleInfo,
  ModuleLoadexOptions,
  RoleReply,
  SlowlogEntry,
  CommandlogType,
  CommandlogEntry,
  TimeReply,
} from './server.js';
export type {
  SlotRange,
  ClusterNode,
  ClusterSlotsNode,
  ClusterSlotsRange,
  ClusterShard,
  ClusterSlotStats,
  ClusterSlotStatsOptions,
  MigrateSlotsJob,
} from './cluster.js';
export type { SentinelInstance, SentinelMasterDownReply, SentinelInfoCache } from './sentinel.js';
export type {
  ExpiryOptions,
  ValueConditions,
  GetExOptions,
  MSetExOptions,
  LcsOptions,
  LcsMatch,
  LcsIdxReply,
  KeyValuePairs,
} from './strings.js';
export type { CopyOptions, MigrateOptions, RestoreOptions, ScanOptions, ScanReply, SortOptions, SortRoOptions } from './generic.js';
export type { BitUnit, BitfieldEncoding, BitfieldOffset, BitfieldOperation, BitopOperation } from './bitmaps.js';
export type {
  GeoUnit,
  GeoCoordinates,
  GeoMember,
  GeoAddOptions,
  GeoSearchFrom,
  GeoSearchBy,
  GeoSearchOptions,
  GeoSearchStoreOptions,
  GeoRadiusOptions,
  GeoRadiusStoreOptions,
  GeoSearchHit,
  GeoWithOptions,
} from './geo.js';
export type {
  StreamEntry,
  StreamGroupEntry,
  StreamFields,
  StreamOffsets,
  StreamTrim,
  StreamRefPolicy,
  XReadReply,
  XReadGroupReply,
  XAddOptions,
  XTrimOptions,
  XRangeOptions,
  XReadOptions,
  XReadGroupOptions,
  XClaimOptions,
  XAutoClaimOptions,
  XAutoClaimReply,
  XAutoClaimJustIdReply,
  XPendingOptions,
  XPendingSummary,
  XPendingEntry,
  XGroupCreateOptions,
  XSetIdOptions,
  XInfoStreamReply,
  XInfoStreamFullReply,
  XInfoFullGroup,
  XInfoGroup,
  XInfoConsumer,
  XCfgSetOptions,
} from './streams.js';
export type { FunctionLibrary, FunctionStats, FunctionListOptions, FunctionLoadOptions, ScriptReply } from './scripting.js';
export type { ListSide, ListPopReply, BlockingPopReply, LposOptions } from './lists.js';
export type { OneOrMany } from './build.js';
export type {
  HashFields,
  HashEntry,
  HScanReply,
  HScanFieldsReply,
  HScanOptions,
  HExpireOptions,
  HExpireResult,
  HGetExOptions,
  HSetExOptions,
} from './hashes.js';
export type { SScanReply, SScanOptions } from './sets.js';
export type {
  ScoredMember,
  ZMember,
  ZAddMembers,
  ZAddOptions,
  ScoreBound,
  LexBound,
  ZRangeBound,
  ZLimit,
  ZRangeOptions,
  ZRangeStoreOptions,
  ZRangeByScoreOptions,
  ZAggregate,
  ZCombineOptions,
  ZCombineStoreOptions,
  ZPopReply,
  ZBlockingPopReply,
  ZRankWithScore,
  ZScanReply,
  ZScanMembersReply,
  ZScanOptions,
} from './sortedsets.js';
