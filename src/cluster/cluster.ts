import { EventEmitter } from 'node:events';
import type { BatchCommand, Connection, SendOptions } from '../connection/connection.js';
import { parseUrl } from '../connection/url.js';
import {
  AskError,
  ClientClosedError,
  ClusterDownError,
  ConnectionError,
  CrossSlotError,
  DataError,
  ExecAbortError,
  MovedError,
  TimeoutError,
  TryAgainError,
} from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import type { RespValue } from '../protocol/parser.js';
import { Flag, type MethodDef, type PromiseCtx } from '../commands/command.js';
import type { ClusterNode, ClusterSlotsRange } from '../commands/cluster.js';
import type { ScanOptions } from '../commands/generic.js';
import { coreMethods, type CoreCommands } from '../commands/index.js';
import { POLICIES, type CommandPolicy } from '../commands/policies.js';
import { commandLabel, installCommands, keyPositions, lookup } from '../commands/registry.js';
import { RedisClient, type ClientOptions } from '../client/client.js';
import { checkCacheOptions } from '../cache/cache.js';
import { installIterators, type IteratorMethods } from '../client/iterators.js';
import { Script, type ScriptOptions } from '../client/script.js';
import { blockingMs } from '../pool/blocking.js';
import { Pipeline, type BatchTarget } from '../client/pipeline.js';
import { Multi, runTransaction, type TransactionOptions, type TransactionResult, type TransactionScope } from '../client/transaction.js';
import { checkKey } from '../commands/registry.js';
import type { PubSubMessage, PubSubOptions, SubscriptionMessage } from '../client/pubsub.js';
import { mergeParts, mergeReplies, splitBySlot } from './merge.js';
import { ClusterPubSub, type ClusterPubSubHost } from './pubsub.js';
import { clusterBatchRunner, slotOfAll } from './pipeline.js';
import { keySlot } from './slot.js';
import { bytesOf, globMatch } from './rescan.js';
import { traceBatch, traceCommandIfListened } from '../tracing.js';
import { addressKey, layoutFromSlots, remap, type NatMap, type NodeAddress, type SlotLayout } from './topology.js';

export type { NatMap, NodeAddress } from './topology.js';

/**
 * Where read-only commands go: `primary` (default); `preferReplica` and `replica` (a replica of the
 * slot's shard, round robin, the primary when none is healthy); `nearest` (the node of the shard with
 * the lowest measured round trip, primary included).
 */
export type ReadFrom = 'primary' | 'preferReplica' | 'replica' | 'nearest';

/** Everything `createCluster()` accepts: seed nodes, where reads go, NAT mapping, refresh and redirect limits. */
export interface ClusterOptions extends Omit<ClientOptions, 'url' | 'host' | 'port' | 'path' | 'db' | 'readonly'> {
  /** Seed nodes, as URLs or addresses. One reachable seed is enough: the rest are discovered. */
  nodes: ReadonlyArray<string | NodeAddress>;
  /** Default 'primary'. */
  readFrom?: ReadFrom;
  /** The slot map is read again this often (ms), besides after MOVED and failures. 0: never. Default 5 000. */
  refreshInterval?: number;
  /** How many MOVED / ASK / TRYAGAIN / CLUSTERDOWN replies one command may follow. Default 16. */
  maxRedirects?: number;
  /** Rewrites the addresses nodes announce into ones this client can reach. */
  natMap?: NatMap;
}

/** What changed in a refresh of the slot map. */
export interface TopologyChange {
  /** Nodes now in the map that were not (`host:port`). */
  added: string[];
  /** Nodes no longer in the map; their connections are closed. */
  removed: string[];
  /** How many slots have a different primary. */
  movedSlots: number;
}

/** The events a cluster client emits: slot map changes and node failures. */
export interface ClusterEvents {
  /** The slot map changed. */
  topology: [change: TopologyChange];
  /** A node's connection failed, or a refresh found no node to ask. Emitted only to listeners. */
  error: [error: Error];
}

/** One node as `cluster.nodes()` lists it, with a standalone client connected to it alone. */
export interface ClusterNodeInfo<S extends string | Buffer = string> {
  readonly host: string;
  readonly port: number;
  readonly address: string;
  readonly role: 'primary' | 'replica';
  readonly client: RedisClient<S>;
}

/** Which of a shard's nodes: its primary or one of its replicas. */
export type Role = 'primary' | 'replica';

/** The failure of a node rather than of a command: the work goes on where its slots went. */
function lostNode(e: unknown): boolean {
  return e instanceof ConnectionError || e instanceof TimeoutError || e instanceof ClientClosedError;
}

/** Slots read again at once after a walk during which slots moved (see ./rescan.ts). */
const RESCAN_SLOTS = 64;

class Node {
  role: Role;
  /** Skipped by reads until the next refresh: its connection failed. */
  failed = false;
  /** Round trip of the last PING (ms), for readFrom 'nearest'. */
  rtt = Number.POSITIVE_INFINITY;
  constructor(
    readonly address: string,
    readonly host: string,
    readonly port: number,
    role: Role,
    readonly client: RedisClient,
  ) {
    this.role = role;
  }
  get connection(): Connection {
    return this.client.connection;
  }
}

class Shard {
  /** Round-robin position among the replicas. */
  next = 0;
  constructor(
    readonly primary: Node,
    readonly replicas: Node[],
  ) {}
}

/** Per-call settings of a view (`withTimeout`, `withBuffers`). */
interface CallSettings {
  timeout: number | undefined;
  buffers: boolean;
}

/** One command of a batch: its slot (-1: any primary), and whether a replica may serve it. */
export interface BatchItem {
  def: MethodDef;
  argv: RedisArg[];
  slot: number;
  read: boolean;
  /** A registered script run by EVALSHA: its node gets SCRIPT LOAD ahead of it, in the same write. */
  script?: Script<unknown> | null;
}

/** A command of a batch waiting for its reply, and the last error it got. */
interface Waiting {
  a: Attempt;
  script: Script<unknown> | null | undefined;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  last: unknown;
}

/** One command on its way through redirects and retries. */
interface Attempt {
  def: MethodDef;
  argv: RedisArg[];
  slot: number;
  /** May go to a replica. */
  read: boolean;
  deadline: number;
  redirects: number;
  failures: number;
  /** After ASK: the node to ask next, once. */
  asking: Node | null;
  /** A keyless command sent to one chosen node: it goes there or fails. */
  fixed: Node | null;
  /** How long (ms, 0: for ever) a blocking command may wait on the server; undefined for the rest. */
  block: number | undefined;
}

const DEFAULT_REFRESH_INTERVAL = 5_000;
const DEFAULT_MAX_REDIRECTS = 16;
const DEFAULT_COMMAND_TIMEOUT = 5_000;
/** Refreshes asked for by failures come at most this often; MOVED patches the slot meanwhile. */
const MIN_REFRESH_GAP = 100;
/** A command waiting for a node looks again at least this often. */
const WAIT_STEP = 250;
/** A server notices a block ran out on its next timer tick (100 ms at the default hz). */
const BLOCK_SLACK = 100;
const BUFFERS: SendOptions = { buffers: true };
const ASKING: BatchCommand = { argv: ['ASKING'], transform: undefined };
const MODE_CHANGING = new Set(['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE', 'MONITOR']);

function seedAddress(seed: string | NodeAddress): NodeAddress {
  if (typeof seed === 'string') {
    const o = parseUrl(seed.includes('://') ? seed : `redis://${seed}`);
    return { host: o.host ?? '127.0.0.1', port: o.port ?? 6379 };
  }
  if (seed === null || typeof seed !== 'object' || typeof seed.port !== 'number') {
    throw new DataError('cluster: each seed node must be a URL or { host, port }');
  }
  return { host: seed.host ?? '127.0.0.1', port: seed.port };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function noop(): void {}

/** The block time of a blocking command (BLPOP, XREAD BLOCK…), undefined for any other. */
function blockOf(def: MethodDef, argv: ReadonlyArray<RedisArg>): number | undefined {
  const info = def.info;
  return (info.flags & Flag.BLOCKING) === 0 && info.blockMs === undefined ? undefined : blockingMs(info, argv);
}

/**
 * A Redis Cluster client: the standalone client's command methods, each routed to the node serving
 * its keys' slot. Keyless commands go where the server's request policy says and their replies are
 * combined by its response policy; multi-key commands whose keys span slots are split by slot (MGET,
 * MSET, DEL, EXISTS, TOUCH, UNLINK) or refused with CrossSlotError before anything is sent.
 *
 * MOVED updates the map and retries on the new owner; ASK retries once on the target after ASKING;
 * TRYAGAIN and CLUSTERDOWN retry with backoff; all within the command's timeout and `maxRedirects`.
 * A command is sent only to a connection that is up: while its node is down it waits (within its
 * timeout) for the node to come back or for the map to name another. A command that was written and
 * whose reply was lost rejects with ConnectionError / TimeoutError unless the `retry` option says to
 * send it again.
 */
export class RedisCluster<S extends string | Buffer = string> extends EventEmitter<ClusterEvents> {
  readonly options: Readonly<ClusterOptions>;
  private readonly settings: CallSettings = { timeout: undefined, buffers: false };
  private readonly state: ClusterState;

  constructor(options: ClusterOptions) {
    super();
    if (options === null || typeof options !== 'object' || !Array.isArray(options.nodes) || options.nodes.length === 0) {
      throw new DataError('cluster: options.nodes must list at least one seed node');
    }
    const readFrom = options.readFrom ?? 'primary';
    if (!['primary', 'preferReplica', 'replica', 'nearest'].includes(readFrom)) {
      throw new DataError(`cluster: readFrom must be primary, preferReplica, replica or nearest`);
    }
    // Each node's client checks its own options when it is made; the cache's are refused here, at once.
    if (options.cache !== undefined) checkCacheOptions(options.cache);
    this.options = { ...options };
    this.state = new ClusterState(this.options, options.nodes.map(seedAddress), (event, arg) => {
      if (event === 'error' && this.listenerCount('error') === 0) return;
      (this.emit as (e: string, a: unknown) => boolean)(event, arg);
    });
  }

  /** Reads the slot map from the first seed that answers. Commands issued before this wait for it. */
  async connect(): Promise<this> {
    await this.state.connect();
    return this;
  }

  /** Reads the slot map again now (one refresh at a time: a call during one joins it). */
  refresh(): Promise<void> {
    return this.state.refresh();
  }

  /** Every node of the map, or those of one role, each with a client connected to it alone. */
  nodes(filter?: { role?: Role }): Array<ClusterNodeInfo<S>> {
    const out: Array<ClusterNodeInfo<S>> = [];
    for (const n of this.state.nodes.values()) {
      if (!this.state.inMap(n)) continue;
      if (filter?.role !== undefined && n.role !== filter.role) continue;
      const client = (this.settings.buffers ? n.client.withBuffers() : n.client) as unknown as RedisClient<S>;
      out.push({ host: n.host, port: n.port, address: n.address, role: n.role, client });
    }
    return out;
  }

  /** The hash slot of a key. */
  keySlot(key: string | Buffer): number {
    return keySlot(key);
  }

  /**
   * Sends any command as it is. A command the table knows is routed as its method would be; an
   * unknown one goes to the slot of its first argument after the name, or to a random primary when
   * it has none. The reply comes back untransformed.
   */
  call(name: string, ...args: RedisArg[]): Promise<RespValue> {
    if (typeof name !== 'string' || name === '') return Promise.reject(new DataError('call: the command name must be a non-empty string'));
    const argv: RedisArg[] = name.includes(' ') ? [...name.split(' '), ...args] : [name, ...args];
    const upper = String(argv[0]).toUpperCase();
    if (MODE_CHANGING.has(upper)) {
      return Promise.reject(new DataError(`${upper} switches the connection into another mode: use a node's client (cluster.nodes())`));
    }
    const info = lookup(argv);
    if (info !== undefined) return this.sendCommand({ info, build: () => argv }, argv) as Promise<RespValue>;
    const def: MethodDef = { info: { id: String(argv[0]).toLowerCase(), flags: 0, keys: null }, build: () => argv };
    if (argv.length > 1) return this.state.run(def, argv, keySlot(argv[1]!), false, this.settings);
    return this.state.runOnNode(def, argv, null, this.settings);
  }

  /** Sends a command built by a method of the command table. */
  sendCommand(def: MethodDef, argv: RedisArg[]): Promise<unknown> {
    const info = def.info;
    const positions = keyPositions(info, argv);
    const settings = this.settings;
    if (positions.length === 0) return this.state.runKeyless(def, argv, POLICIES.get(info.id), settings);
    const first = keySlot(argv[positions[0]!]!);
    let slots: number[] | null = null;
    for (let i = 1; i < positions.length; i++) {
      const s = keySlot(argv[positions[i]!]!);
      if (s !== first && slots === null) {
        slots = positions.map((p) => keySlot(argv[p]!));
        break;
      }
    }
    const read = (info.flags & Flag.READONLY) !== 0 && (info.flags & Flag.WRITE) === 0;
    if (slots === null) return this.state.run(def, argv, first, read, settings);
    const policy = POLICIES.get(info.id);
    const spec = info.keys;
    if (policy?.request !== 'multiShard' || spec === null || typeof spec === 'function') {
      const err = new CrossSlotError(`CROSSSLOT the keys of ${commandLabel(info.id)} hash to ${new Set(slots).size} slots and it cannot be split; nothing was sent`, 'CROSSSLOT');
      err.command = commandLabel(info.id);
      return Promise.reject(err);
    }
    const parts = splitBySlot(argv, positions, slots, spec.step);
    return Promise.all(parts.map((part) => this.state.run(def, part.argv, part.slot, read, settings))).then((replies) =>
      mergeParts(policy.response, parts, replies, positions.length),
    );
  }

  invalidArguments(error: unknown): Promise<never> {
    return Promise.reject(error);
  }

  private view<T extends string | Buffer>(settings: Partial<CallSettings>): RedisCluster<T> {
    const view = Object.create(this) as RedisCluster<T>;
    Object.defineProperty(view, 'settings', { value: { ...this.settings, ...settings } });
    return view;
  }

  /** A view whose bulk replies are Buffers; it shares this cluster's connections. */
  withBuffers(): RedisCluster<Buffer> {
    return this.view<Buffer>({ buffers: true });
  }

  /** A view whose commands, redirects and retries included, time out after `ms` (0: no limit). */
  withTimeout(ms: number): RedisCluster<S> {
    if (typeof ms !== 'number' || !(ms >= 0)) throw new DataError('withTimeout: ms must be a number >= 0');
    return this.view<S>({ timeout: ms });
  }

  /**
   * Commands of any slots, chained and typed as on a standalone pipeline. `exec()` sends each node's
   * share in one write, all nodes at once, and resolves every result in the order queued; a command
   * redirected (MOVED, ASK, TRYAGAIN) is sent again where the map now says. Multi-key commands whose
   * keys span slots are split per slot and merged back, as single calls are.
   */
  pipeline(): Pipeline<[], S> {
    const state = this.state;
    const settings = this.settings;
    const never = (): never => {
      throw new DataError('cluster pipeline: no single connection');
    };
    return new Pipeline<[], S>(
      never,
      clusterBatchRunner({
        runBatch: (items) => state.runBatch(items, settings),
        runKeyless: (def, argv, policy) => state.runKeyless(def, argv, policy, settings),
      }),
    );
  }

  /**
   * MULTI … EXEC on the node of the one slot all its keys share (put them in one {hash tag}): keys in
   * several slots are refused with CrossSlotError before anything is sent. After MOVED or ASK the
   * whole transaction is sent again to the new owner (after ASK, one ASKING before its MULTI); after
   * TRYAGAIN or CLUSTERDOWN, again after a backoff.
   */
  multi(): Multi<[], S> {
    const state = this.state;
    const settings = this.settings;
    const max = this.options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    let node: Node | undefined;
    let slot = -1;
    const targetOf = (n: Node): BatchTarget => ({ connection: n.connection, options: (blockMs) => state.callOptions(settings, n, blockMs) });
    return new Multi<[], S>(
      async (_own, _session, queued) => {
        slot = slotOfAll(queued, 'transaction');
        node = await state.nodeForSlot(slot);
        return targetOf(node);
      },
      null,
      (e, tries) => {
        if (tries >= max || node === undefined) return null;
        const first = e instanceof ExecAbortError ? e.errors?.[0] : e;
        if (first instanceof TryAgainError || first instanceof ClusterDownError) {
          // TRYAGAIN: the slot's keys are half moved; CLUSTERDOWN: a failover is under way. Both pass
          // with time: the same transaction again after a backoff, where the map then says.
          return sleep(Math.min(25 * 2 ** tries, 500)).then(async () => {
            node = await state.nodeForSlot(slot);
            return { target: targetOf(node), asking: false };
          });
        }
        if (!(first instanceof MovedError)) return null;
        const next = state.redirectOf(first, node);
        node = next.node;
        return { target: targetOf(next.node), asking: next.asking };
      },
    );
  }

  /**
   * Optimistic locking as on a standalone client, on a connection of the node serving the slot of
   * `options.watch` (all in one slot). `tx.multi()`'s keys must be in that slot too: checked before
   * EXEC is sent, else CrossSlotError.
   */
  async transaction<R>(fn: (tx: TransactionScope<S>) => R | Promise<R>, options: TransactionOptions = {}): Promise<TransactionResult<R>> {
    const watch = options?.watch ?? [];
    if (!Array.isArray(watch)) throw new DataError('transaction: watch must be an array of keys');
    let slot = -1;
    for (const k of watch) {
      checkKey('WATCH', 'key', k);
      const s = keySlot(k);
      if (slot === -1) slot = s;
      else if (s !== slot) throw new CrossSlotError(`CROSSSLOT the watched keys of a cluster transaction must hash to one slot (use a {hash tag}); nothing was sent`, 'CROSSSLOT');
    }
    const state = this.state;
    const settings = this.settings;
    const node = await state.nodeForSlot(slot);
    const check = (queued: Parameters<typeof slotOfAll>[0]): void => {
      const s = slotOfAll(queued, 'transaction');
      if (s !== -1 && slot !== -1 && s !== slot) {
        throw new CrossSlotError(`CROSSSLOT the transaction's keys are in slot ${s}, its watched keys in slot ${slot}; nothing was sent`, 'CROSSSLOT');
      }
    };
    return runTransaction(node.client, (blockMs) => state.callOptions(settings, node, blockMs), fn, options, check) as Promise<TransactionResult<R>>;
  }

  /**
   * A subscriber for the whole cluster: channels and patterns on one node, shard channels on their
   * slots' primaries; it follows failovers, slot moves and MOVED by itself. Closed with the cluster.
   */
  pubsub(options?: PubSubOptions & { ignoreSubscribeMessages?: true }): ClusterPubSub<S, PubSubMessage<S>>;
  pubsub(options: PubSubOptions & { ignoreSubscribeMessages: false }): ClusterPubSub<S, PubSubMessage<S> | SubscriptionMessage<S>>;
  pubsub(options?: PubSubOptions): ClusterPubSub<S, PubSubMessage<S> | SubscriptionMessage<S>>;
  pubsub(options?: PubSubOptions): ClusterPubSub<S, PubSubMessage<S>> | ClusterPubSub<S, PubSubMessage<S> | SubscriptionMessage<S>> {
    const timeout = this.settings.timeout ?? this.options.commandTimeout ?? DEFAULT_COMMAND_TIMEOUT;
    return new ClusterPubSub<S, PubSubMessage<S> | SubscriptionMessage<S>>(this.state.subscriberHost(timeout), this.settings.buffers, options);
  }

  /**
   * Every key of every primary, matching `options`: SCAN on each primary of the map as it is when the
   * walk starts, one after the other, each walked once. When a primary fails during its walk, its
   * walk starts again from cursor 0 on the node that then serves its slots (keys it had already given
   * may come again). Keys moved during the walk from a primary not yet walked to one already walked
   * are missed, as with SCAN on any server whose keys move.
   */
  async *scanIterator(options?: ScanOptions): AsyncIterableIterator<S> {
    const state = this.state;
    const settings = this.settings;
    await state.connect();
    const before = state.slotMap();
    for (const { node: first, slot } of state.scanTargets()) {
      let node = first;
      let cursor = '0';
      for (;;) {
        let page: { cursor: string; keys: unknown[] };
        try {
          const c = settings.timeout === undefined ? node.client : node.client.withTimeout(settings.timeout);
          page = await (settings.buffers ? c.withBuffers() : c).scan(cursor, options);
        } catch (e) {
          if (!lostNode(e)) throw e;
          node = await state.ownerAfterFailure(slot, e, settings);
          cursor = '0';
          continue;
        }
        cursor = page.cursor;
        yield* page.keys as S[];
        if (cursor === '0') break;
      }
    }
    yield* this.rescanMoved(before, options);
  }

  /** The keys of the slots that moved during a walk (see ./rescan.ts), read whole where they are now. */
  private async *rescanMoved(before: ReadonlyArray<Shard | undefined>, options: ScanOptions | undefined): AsyncGenerator<S> {
    const state = this.state;
    const settings = this.settings;
    await state.refresh();
    const reads = new Map<number, Node[]>();
    const read = (slot: number, node: Node | undefined): void => {
      if (node === undefined) return;
      const nodes = reads.get(slot);
      if (nodes === undefined) reads.set(slot, [node]);
      else if (!nodes.includes(node)) nodes.push(node);
    };
    for (let slot = 0; slot < 16384; slot++) {
      const now = state.ownerOfSlot(slot);
      const was = before[slot];
      // A replica of the same shard taking over (a failover) holds the same keys: nothing moved.
      if (now === undefined || (was !== undefined && (was.primary.address === now.address || was.replicas.some((r) => r.address === now.address)))) continue;
      read(slot, now);
    }
    for (const node of state.primaries()) {
      let me: ClusterNode | undefined;
      try {
        me = (await node.client.clusterNodes()).find((n) => n.flags.includes('myself'));
      } catch (e) {
        // A primary that is down imports nothing: its slots go to a replica, which keeps no import state.
        if (lostNode(e)) continue;
        throw e;
      }
      for (const { slot } of me?.importing ?? []) {
        // The owner first, the importing node after: a key that moves in between is met on the second.
        read(slot, state.ownerOfSlot(slot));
        read(slot, node);
      }
    }
    const pattern = options?.match === undefined ? null : bytesOf(options.match);
    const readSlot = async (slot: number, node: Node, owner: boolean): Promise<S[]> => {
      for (;;) {
        const base = settings.timeout === undefined ? node.client : node.client.withTimeout(settings.timeout);
        const c = (settings.buffers ? base.withBuffers() : base) as unknown as RedisClient<S>;
        try {
          const count = await c.clusterCountkeysinslot(slot);
          return count === 0 ? [] : ((await c.clusterGetkeysinslot(slot, count)) as S[]);
        } catch (e) {
          if (!owner || !lostNode(e)) throw e;
          node = await state.ownerAfterFailure(slot, e, settings);
        }
      }
    };
    // In rounds, every slot's owner first, then the importing nodes, so a slot's reads stay in order;
    // RESCAN_SLOTS slots at a time, so a large reshard is not held in memory all at once.
    for (let round = 0; ; round++) {
      const due = [...reads].filter(([, nodes]) => round < nodes.length);
      if (due.length === 0) break;
      for (let i = 0; i < due.length; i += RESCAN_SLOTS) {
        const part = due.slice(i, i + RESCAN_SLOTS);
        const pages = await Promise.all(part.map(([slot, nodes]) => readSlot(slot, nodes[round]!, round === 0)));
        yield* await this.filterKeys(pages.flat(), pattern, options?.type);
      }
    }
  }

  /** The keys that pass SCAN's MATCH and TYPE filters, for keys read without them. */
  private async filterKeys(keys: S[], pattern: string | null, type: string | undefined): Promise<S[]> {
    if (pattern !== null) keys = keys.filter((k) => globMatch(pattern, bytesOf(k)));
    if (type === undefined || keys.length === 0) return keys;
    // Through the cluster's own pipeline: a key still migrating is answered ASK, which it follows.
    const p = this.pipeline();
    for (const k of keys) p.type(k);
    const types = await p.exec();
    return keys.filter((_, i) => String(types[i]) === type);
  }

  /**
   * A Lua script run by SHA1 on the node of its keys' slot (a random primary when it has none). A
   * node that lacks it (NOSCRIPT: after a failover, a restart, SCRIPT FLUSH) gets the body there and
   * then; the others are not touched. Its keys must share one slot.
   */
  registerScript<R = RespValue>(lua: string | Buffer, options?: ScriptOptions<R>): Script<R> {
    return new Script<R>(this, lua, options);
  }

  /** Waits for the replies in flight on every node, then closes every connection. */
  close(): Promise<void> {
    return this.state.close();
  }

  /** Closes every connection at once; commands in flight reject with ConnectionError. */
  disconnect(): void {
    this.state.disconnect();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface RedisCluster<S extends string | Buffer = string> extends CoreCommands<PromiseCtx<S>>, Omit<IteratorMethods<S>, 'scanIterator'> {}

/**
 * The shared state behind a cluster and its views: nodes, the slot map, refreshing, and the send loop.
 */
class ClusterState {
  readonly nodes = new Map<string, Node>();
  private slots: Array<Shard | undefined> = new Array<Shard | undefined>(16384);
  private shards: Shard[] = [];
  private mapped = false;
  private connecting: Promise<void> | null = null;
  private refreshing: Promise<void> | null = null;
  private lastRefresh = 0;
  private refreshTimer: NodeJS.Timeout | null = null;
  private soonTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Resolves (and is replaced) when anything a waiting command cares about changes. */
  private changed: { promise: Promise<void>; resolve: () => void } = deferred();
  private readonly readFrom: ReadFrom;
  private readonly maxRedirects: number;
  private readonly timeout: number;
  private readonly nodeOptions: ClientOptions;

  constructor(
    private readonly options: Readonly<ClusterOptions>,
    private readonly seeds: NodeAddress[],
    private readonly emit: (event: 'topology' | 'error', arg: TopologyChange | Error) => void,
  ) {
    this.readFrom = options.readFrom ?? 'primary';
    this.maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    this.timeout = options.commandTimeout ?? DEFAULT_COMMAND_TIMEOUT;
    const { nodes: _n, readFrom: _r, refreshInterval: _i, maxRedirects: _m, natMap: _nat, ...clientOptions } = options;
    // Replica connections need READONLY to serve reads; on a primary it changes nothing.
    this.nodeOptions = { ...clientOptions, readonly: this.readFrom !== 'primary' };
  }

  // ---- nodes and the map -----------------------------------------------------------------------------

  private node(a: NodeAddress, role: Role): Node {
    const key = addressKey(a);
    let n = this.nodes.get(key);
    if (n !== undefined) return n;
    const client = new RedisClient({ ...this.nodeOptions, host: a.host, port: a.port });
    n = new Node(key, a.host, a.port, role, client);
    const node = n;
    client.on('error', (err) => this.emit('error', err));
    client.on('ready', () => this.wake());
    client.on('close', () => {
      if (this.closed) return;
      node.failed = true;
      this.refreshSoon();
    });
    this.nodes.set(key, n);
    return n;
  }

  inMap(n: Node): boolean {
    return this.nodes.get(n.address) === n && (n.role === 'primary' ? this.shards.some((s) => s.primary === n) : this.shards.some((s) => s.replicas.includes(n)));
  }

  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new ClientClosedError('the cluster client is closed'));
    if (this.mapped) return Promise.resolve();
    this.connecting ??= this.refresh().then(
      async () => {
        // Connections to the primaries (and to the replicas that serve reads) are opened now, so
        // that the first commands do not all wait for them; a node that is down does not fail this.
        const first = new Set(this.shards.flatMap((s) => (this.readFrom === 'primary' ? [s.primary] : [s.primary, ...s.replicas])));
        await Promise.all([...first].map((n) => n.client.connect().catch(noop)));
        this.connecting = null;
        const every = this.options.refreshInterval ?? DEFAULT_REFRESH_INTERVAL;
        if (every > 0 && this.refreshTimer === null && !this.closed) {
          this.refreshTimer = setInterval(() => {
            this.refresh().catch(noop);
            this.measure();
          }, every);
          this.refreshTimer.unref();
        }
      },
      (e: unknown) => {
        this.connecting = null;
        throw e;
      },
    );
    return this.connecting;
  }

  refresh(): Promise<void> {
    if (this.closed) return Promise.reject(new ClientClosedError('the cluster client is closed'));
    this.refreshing ??= this.readMap().finally(() => {
      this.refreshing = null;
      this.lastRefresh = Date.now();
      this.wake();
    });
    return this.refreshing;
  }

  /** A refresh asked for by a failure: at once, unless one ran a moment ago. */
  private refreshSoon(): void {
    if (this.closed || this.refreshing !== null || this.soonTimer !== null) return;
    const wait = this.lastRefresh + MIN_REFRESH_GAP - Date.now();
    if (wait <= 0) {
      this.refresh().catch(noop);
      return;
    }
    this.soonTimer = setTimeout(() => {
      this.soonTimer = null;
      if (!this.closed) this.refresh().catch(noop);
    }, wait);
    this.soonTimer.unref();
  }

  /**
   * Asks nodes in turn for CLUSTER SLOTS until one answers: first those whose connection is up, then
   * the rest and the seeds, each within a short time, so that a dead node cannot stall discovery.
   */
  private async readMap(): Promise<void> {
    const up: Node[] = [];
    const down: Node[] = [];
    for (const n of this.nodes.values()) (n.connection.state === 'ready' && !n.failed ? up : down).push(n);
    for (const seed of this.seeds) {
      const n = this.nodes.get(addressKey(seed)) ?? this.node(seed, 'primary');
      if (!up.includes(n) && !down.includes(n)) down.push(n);
    }
    // Start somewhere else each time, so that one node is not asked every time.
    const rotate = (a: Node[]) => (a.length > 1 ? [...a.slice(this.lastRefresh % a.length), ...a.slice(0, this.lastRefresh % a.length)] : a);
    const tried: string[] = [];
    const limit = Math.min(this.options.connectTimeout ?? 2_000, 2_000);
    for (const n of [...rotate(up), ...down]) {
      if (this.closed) return;
      try {
        const ranges = (await n.client.withTimeout(limit).clusterSlots()) as ClusterSlotsRange[];
        this.apply(layoutFromSlots(ranges, n.host, this.options.natMap));
        return;
      } catch (e) {
        tried.push(`${n.address} (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    const err = new ConnectionError(`cluster: no node answered CLUSTER SLOTS; tried ${tried.join(', ')}`);
    this.emit('error', err);
    throw err;
  }

  private apply(layout: SlotLayout): void {
    const before = new Set<Node>();
    for (const s of this.shards) {
      before.add(s.primary);
      for (const r of s.replicas) before.add(r);
    }
    const shards = layout.shards.map((sa) => {
      const a = layout.addresses.get(sa.primary)!;
      const primary = this.node(a, 'primary');
      primary.role = 'primary';
      const replicas = sa.replicas.map((key) => {
        const r = this.node(layout.addresses.get(key)!, 'replica');
        r.role = 'replica';
        return r;
      });
      return new Shard(primary, replicas);
    });
    const slots = new Array<Shard | undefined>(16384);
    let moved = 0;
    for (let s = 0; s < 16384; s++) {
      const i = layout.slots[s]!;
      slots[s] = i === -1 ? undefined : shards[i];
      if (this.slots[s]?.primary !== slots[s]?.primary) moved++;
    }
    const after = new Set<Node>();
    for (const s of shards) {
      after.add(s.primary);
      for (const r of s.replicas) after.add(r);
    }
    this.slots = slots;
    this.shards = shards;
    this.mapped = true;
    const added = [...after].filter((n) => !before.has(n)).map((n) => n.address);
    const removed: string[] = [];
    for (const n of [...this.nodes.values()]) {
      n.failed = n.connection.state !== 'ready' && n.connection.state !== 'idle' && n.connection.state !== 'connecting';
      if (!after.has(n)) {
        // Seeds stay known for the next refresh; a node the map dropped is closed.
        this.nodes.delete(n.address);
        if (before.has(n)) removed.push(n.address);
        n.client.close().catch(noop);
      }
    }
    if (this.connecting === null) {
      // Nodes that joined get their connection now, so that the first commands to them need not wait.
      for (const n of after) if (!before.has(n) && (n.role === 'primary' || this.readFrom !== 'primary') && n.connection.state === 'idle') n.client.connect().catch(noop);
    }
    if (moved > 0 || added.length > 0 || removed.length > 0) this.emit('topology', { added, removed, movedSlots: moved });
  }

  /** After MOVED: the slot belongs to that node now, before the refresh confirms it. */
  private patch(slot: number, a: NodeAddress): Node {
    const node = this.node(a, 'primary');
    const shard = this.shards.find((s) => s.primary === node);
    if (shard !== undefined) {
      this.slots[slot] = shard;
    } else {
      node.role = 'primary';
      const s = new Shard(node, []);
      this.shards.push(s);
      this.slots[slot] = s;
    }
    return node;
  }

  /** Measures each node's round trip with a PING, for readFrom 'nearest'. */
  private measure(): void {
    if (this.readFrom !== 'nearest') return;
    for (const n of this.nodes.values()) {
      if (n.connection.state !== 'ready') continue;
      const t = performance.now();
      n.client.withTimeout(1_000).ping().then(
        () => (n.rtt = performance.now() - t),
        () => (n.rtt = Number.POSITIVE_INFINITY),
      );
    }
  }

  private wake(): void {
    const c = this.changed;
    this.changed = deferred();
    c.resolve();
  }

  /** Resolves when something changes (a node came up, the map was read), or after a short while. */
  private async waitChange(deadline: number): Promise<void> {
    const left = Math.min(WAIT_STEP, deadline - Date.now());
    if (left <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.changed.promise, new Promise<void>((r) => (timer = setTimeout(r, left)))]);
    clearTimeout(timer);
  }

  // ---- choosing a node ---------------------------------------------------------------------------

  private pick(slot: number, read: boolean): Node | undefined {
    const shard = this.slots[slot];
    if (shard === undefined) return undefined;
    if (!read || this.readFrom === 'primary') return shard.primary;
    const reps = shard.replicas;
    if (this.readFrom === 'nearest') {
      let best = shard.primary;
      for (const r of reps) if (!r.failed && r.rtt < best.rtt) best = r;
      return best;
    }
    for (let i = 0; i < reps.length; i++) {
      const r = reps[shard.next++ % reps.length]!;
      if (r.failed) continue;
      const state = r.connection.state;
      if (state === 'ready') return r;
      // Not connected yet (it joined after the client started): connect it, read elsewhere meanwhile.
      if (state === 'idle') r.client.connect().catch(noop);
    }
    return shard.primary;
  }

  primaries(): Node[] {
    return this.shards.map((s) => s.primary);
  }

  // ---- sending -----------------------------------------------------------------------------------

  /** When a command gives up: after the view's timeout, plus its block time for a blocking one. */
  private deadlineOf(settings: CallSettings, block?: number): number {
    const t = settings.timeout ?? this.timeout;
    if (t <= 0 || block === 0) return Number.POSITIVE_INFINITY;
    return Date.now() + t + (block === undefined ? 0 : block + BLOCK_SLACK);
  }

  /** A command for one slot. */
  run(def: MethodDef, argv: RedisArg[], slot: number, read: boolean, settings: CallSettings): Promise<never> | Promise<RespValue> {
    if (!this.mapped) return this.connect().then(() => this.run(def, argv, slot, read, settings));
    const block = blockOf(def, argv);
    const a: Attempt = { def, argv, slot, read, deadline: this.deadlineOf(settings, block), redirects: 0, failures: 0, asking: null, fixed: null, block };
    const node = this.pick(slot, read);
    const info = def.info;
    const cache = node?.client.cache;
    if (cache != null && (info.flags & Flag.CACHEABLE) !== 0) {
      // The `cache` option: each node's client has its own, fed by its own connection's tracking.
      const hit = cache.hit(def, argv, node!.connection, settings.buffers || def.binary === true);
      if (hit !== undefined) return hit as Promise<RespValue>;
      return this.loop(a, settings) as Promise<RespValue>;
    }
    if (node !== undefined && node.connection.state === 'ready' && settings.timeout === undefined && block === undefined) {
      // The common case: straight onto the node's connection (its commandTimeout is the cluster's),
      // into the redirect and retry loop only when something goes wrong.
      return node.connection.send<RespValue>(argv, def.transform, settings.buffers || def.binary === true ? BUFFERS : undefined).then(undefined, (e: unknown) =>
        this.handle(e, a, node).then(() => this.loop(a, settings, e)),
      ) as Promise<RespValue>;
    }
    return this.loop(a, settings) as Promise<RespValue>;
  }

  /** A keyless command for one node: `node`, or a random primary. */
  runOnNode(def: MethodDef, argv: RedisArg[], node: Node | null, settings: CallSettings): Promise<RespValue> {
    if (!this.mapped) return this.connect().then(() => this.runOnNode(def, argv, node, settings));
    let target = node;
    if (target === null) {
      const ps = this.primaries();
      if (ps.length === 0) return Promise.reject(new ClusterDownError('CLUSTERDOWN the slot map names no primary', 'CLUSTERDOWN'));
      target = ps[Math.floor(Math.random() * ps.length)]!;
    }
    const block = blockOf(def, argv);
    return this.loop({ def, argv, slot: -1, read: false, deadline: this.deadlineOf(settings, block), redirects: 0, failures: 0, asking: null, fixed: target, block }, settings) as Promise<RespValue>;
  }

  /** A keyless command, sent where its request policy says and merged as its response policy says. */
  runKeyless(def: MethodDef, argv: RedisArg[], policy: CommandPolicy | undefined, settings: CallSettings): Promise<unknown> {
    if (!this.mapped) return this.connect().then(() => this.runKeyless(def, argv, policy, settings));
    if (policy === undefined || policy.response === 'special' || (policy.request !== 'allShards' && policy.request !== 'allNodes')) {
      return this.runOnNode(def, argv, null, settings);
    }
    const targets = policy.request === 'allShards' ? this.primaries() : [...new Set(this.shards.flatMap((s) => [s.primary, ...s.replicas]))];
    const runs = targets.map((n) => this.runOnNode(def, argv, n, settings));
    if (policy.response === 'oneSucceeded') {
      return Promise.allSettled(runs).then((results) => {
        const ok = results.find((r) => r.status === 'fulfilled');
        if (ok !== undefined) return (ok as PromiseFulfilledResult<unknown>).value;
        throw (results[0] as PromiseRejectedResult).reason;
      });
    }
    return Promise.all(runs).then((replies) => mergeReplies(policy.response, replies));
  }

  /**
   * A batch of commands, each for one slot (or, `slot` -1, for one primary chosen at random): grouped
   * by node, each node's group in one write (`sendBatch`), the groups in parallel. Commands answered
   * MOVED / ASK / TRYAGAIN / CLUSTERDOWN, or refused by a connection that a map change closed, are
   * grouped again by where the map now sends them and go out in another round (ASKING before each one
   * that was asked to); one whose reply was lost after it was written is sent again only if the retry
   * policy says so. A command whose node is not up, or a blocking one, goes through the single-command
   * loop. One promise per item.
   */
  runBatch(items: ReadonlyArray<BatchItem>, settings: CallSettings): Array<Promise<unknown>> | Promise<Array<Promise<unknown>>> {
    if (!this.mapped) return this.connect().then(() => this.runBatch(items, settings));
    const deadline = this.deadlineOf(settings);
    const out = new Array<Promise<unknown>>(items.length);
    const first: Waiting[] = [];
    const primaries = this.primaries();
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      const block = blockOf(it.def, it.argv);
      const a: Attempt = { def: it.def, argv: it.argv, slot: it.slot, read: it.read, deadline: block === undefined ? deadline : this.deadlineOf(settings, block), redirects: 0, failures: 0, asking: null, fixed: null, block };
      if (it.slot === -1) {
        if (primaries.length === 0) {
          out[i] = Promise.reject(new ClusterDownError('CLUSTERDOWN the slot map names no primary', 'CLUSTERDOWN'));
          continue;
        }
        a.fixed = primaries[Math.floor(Math.random() * primaries.length)]!;
      }
      out[i] = new Promise<unknown>((resolve, reject) => first.push({ a, script: it.script, resolve, reject, last: undefined }));
    }
    this.sendRound(first, settings, true);
    return out;
  }

  /** One round of a batch: each command's node by the map as it is now, one `sendBatch` per node. */
  private sendRound(list: Waiting[], settings: CallSettings, first = false): void {
    const groups = new Map<Node, Waiting[]>();
    let down: Waiting[] | null = null;
    const now = first ? 0 : Date.now();
    for (const w of list) {
      const a = w.a;
      if (first) {
        // Nothing has failed yet: straight to grouping.
      } else if (this.closed) {
        w.reject(new ClientClosedError('the cluster client is closed'));
        continue;
      } else if (now >= a.deadline) {
        w.reject(this.outOfTime(a, w.last));
        continue;
      }
      const node = a.asking ?? a.fixed ?? this.pick(a.slot, a.read);
      if (node === undefined || a.block !== undefined) {
        // Blocking commands take a connection of their own; a slot no node serves waits in the loop.
        this.loop(a, settings, w.last).then(w.resolve, w.reject);
        continue;
      }
      if (node.connection.state !== 'ready') {
        if (a.asking !== null || a.fixed !== null || node.role === 'replica') {
          // The loop knows what to do instead (fail, or read elsewhere).
          this.loop(a, settings, w.last).then(w.resolve, w.reject);
        } else {
          (down ??= []).push(w);
        }
        continue;
      }
      let g = groups.get(node);
      if (g === undefined) groups.set(node, (g = []));
      g.push(w);
    }
    for (const [node, group] of groups) this.sendGroup(node, group, settings);
    if (down !== null) this.awaitNodes(down, settings);
  }

  /**
   * Commands whose node is not up (reconnecting, or not connected yet) wait together for a change
   * (a node ready, a new map) and go in the next round, still one write per node, rather than each
   * finding its way alone.
   */
  private awaitNodes(list: Waiting[], settings: CallSettings): void {
    let deadline = Number.POSITIVE_INFINITY;
    for (const w of list) {
      if (w.a.deadline < deadline) deadline = w.a.deadline;
      const node = this.pick(w.a.slot, w.a.read);
      if (node !== undefined && node.connection.state === 'idle') node.client.connect().catch(noop);
    }
    this.refreshSoon();
    void this.waitChange(deadline).then(() => this.sendRound(list, settings));
  }

  private sendGroup(node: Node, group: Waiting[], settings: CallSettings): void {
    const deadline = group[0]!.a.deadline;
    const opts: SendOptions = deadline === Number.POSITIVE_INFINITY ? { timeout: 0, buffers: settings.buffers } : { timeout: Math.max(1, deadline - Date.now()), buffers: settings.buffers };
    const batch: BatchCommand[] = [];
    /** Where each command's reply is in the batch (ASKING and SCRIPT LOAD replies come before theirs). */
    const at = new Array<number>(group.length);
    let loaded: Set<string> | null = null;
    for (const w of group) {
      // Loaded ahead rather than after a NOSCRIPT, so that the script runs in its place in the order.
      if (w.script == null || loaded?.has(w.script.sha)) continue;
      (loaded ??= new Set()).add(w.script.sha);
      batch.push({ argv: ['SCRIPT', 'LOAD', w.script.lua], transform: undefined, buffers: false });
    }
    for (let j = 0; j < group.length; j++) {
      const a = group[j]!.a;
      if (a.asking !== null) {
        batch.push(ASKING);
        a.asking = null;
      }
      at[j] = batch.length;
      batch.push({ argv: a.argv, transform: a.def.transform, buffers: a.def.binary === true ? true : undefined });
    }
    // One span per node group: each is one write to one node, and the span names that node.
    traceBatch(node.connection.options, { commands: batch.length, transaction: false, of: batch }, () => node.connection.sendBatch(batch, opts)).then((r) => {
      let again: Array<Promise<Waiting | null>> | null = null;
      for (let j = 0; j < group.length; j++) {
        const w = group[j]!;
        const k = at[j]!;
        if (!r.failed[k]) {
          w.resolve(r.values[k]);
          continue;
        }
        const e = r.values[k];
        w.last = e;
        // Rejected here when it may not go again; back in the next round once its wait is over.
        (again ??= []).push(
          this.handle(e, w.a, node).then(
            () => w,
            (err: unknown) => {
              w.reject(err);
              return null;
            },
          ),
        );
      }
      if (again !== null) {
        void Promise.all(again).then((ws) => {
          const next = ws.filter((w): w is Waiting => w !== null);
          if (next.length > 0) this.sendRound(next, settings);
        });
      }
    });
  }

  /** The primary serving `slot` now (-1: any primary), after the map is read if it was not yet. */
  async nodeForSlot(slot: number): Promise<Node> {
    if (!this.mapped) await this.connect();
    const node = slot === -1 ? this.primaries()[Math.floor(Math.random() * this.shards.length)] : this.slots[slot]?.primary;
    if (node === undefined) throw new ClusterDownError(`CLUSTERDOWN no node serves slot ${slot}`, 'CLUSTERDOWN');
    return node;
  }

  /** Subscribers (cluster.pubsub()): closed with the cluster. */
  private readonly dependents = new Set<() => Promise<void>>();

  /** What a cluster subscriber needs: nodes by slot, any primary, MOVED, refresh, closing. */
  subscriberHost(timeout: number): ClusterPubSubHost {
    return {
      nodeForSlot: (slot) => this.nodeForSlot(slot),
      anyNode: (avoid) => this.anyPrimary(avoid),
      redirect: (e, from) => this.redirectOf(e, from as Node).node,
      refresh: () => this.refresh(),
      adopt: (close) => {
        this.dependents.add(close);
        return () => this.dependents.delete(close);
      },
      timeout,
    };
  }

  /** A primary, preferring those up and not in `avoid`. */
  private async anyPrimary(avoid: ReadonlySet<string>): Promise<Node> {
    if (!this.mapped) await this.connect();
    const all = this.primaries();
    const good = all.filter((n) => !avoid.has(n.address) && !n.failed);
    const ready = good.filter((n) => n.connection.state === 'ready');
    const from = ready.length > 0 ? ready : good.length > 0 ? good : all;
    if (from.length === 0) throw new ClusterDownError('CLUSTERDOWN the slot map names no primary', 'CLUSTERDOWN');
    return from[Math.floor(Math.random() * from.length)]!;
  }

  /** Each slot's shard as the map has it now (a refresh makes new shards; these stay as they are). */
  slotMap(): ReadonlyArray<Shard | undefined> {
    return this.slots.slice();
  }

  ownerOfSlot(slot: number): Node | undefined {
    return this.slots[slot]?.primary;
  }

  /** Each primary of the map now, with one slot it serves (to find its successor after a failure). */
  scanTargets(): Array<{ node: Node; slot: number }> {
    const out: Array<{ node: Node; slot: number }> = [];
    const seen = new Set<Shard>();
    for (let s = 0; s < 16384; s++) {
      const shard = this.slots[s];
      if (shard === undefined || seen.has(shard)) continue;
      seen.add(shard);
      out.push({ node: shard.primary, slot: s });
    }
    return out;
  }

  /**
   * After a node failed under a command: the primary of `slot` once its connection is up again (a new
   * one after a failover, or the same one back), within the view's command timeout.
   */
  async ownerAfterFailure(slot: number, error: unknown, settings: CallSettings): Promise<Node> {
    const deadline = this.deadlineOf(settings);
    for (;;) {
      if (this.closed) throw new ClientClosedError('the cluster client is closed');
      this.refreshSoon();
      const node = this.slots[slot]?.primary;
      if (node !== undefined) {
        const state = node.connection.state;
        if (state === 'ready') return node;
        if (state === 'idle') node.client.connect().catch(noop);
      }
      if (Date.now() >= deadline) throw error;
      await this.waitChange(deadline);
    }
  }

  /** A view's settings for one command on `node` (a blocking one may wait its block time too). */
  callOptions(settings: CallSettings, node: Node, blockMs: number | undefined): SendOptions | undefined {
    let timeout = settings.timeout;
    if (blockMs !== undefined) {
      const base = timeout ?? node.connection.options.commandTimeout ?? 0;
      timeout = blockMs === 0 || base === 0 ? 0 : base + blockMs + 100;
    }
    if (timeout === undefined && !settings.buffers) return undefined;
    return { timeout, buffers: settings.buffers };
  }

  /** After a MULTI was answered MOVED / ASK: where to send it again, and whether ASKING goes first. */
  redirectOf(e: MovedError, from: Node): { node: Node; asking: boolean } {
    const to = remap(this.options.natMap, { host: e.host || from.host, port: e.port });
    if (e instanceof AskError) return { node: this.node(to, 'primary'), asking: true };
    const node = this.patch(e.slot, to);
    this.refreshSoon();
    return { node, asking: false };
  }

  private sendOptions(a: Attempt, settings: CallSettings): SendOptions | undefined {
    const buffers = settings.buffers || a.def.binary === true;
    if (a.deadline === Number.POSITIVE_INFINITY) return { timeout: 0, buffers };
    return { timeout: Math.max(1, a.deadline - Date.now()), buffers };
  }

  /** Sends on a node whose connection is up. Blocking commands go through the node client's pool. */
  private sendOn(node: Node, a: Attempt, settings: CallSettings, asking: boolean): Promise<unknown> {
    if (a.block !== undefined && !asking) {
      // The node's client adds the block time to the timeout it is given.
      const c = node.client.withTimeout(a.deadline === Number.POSITIVE_INFINITY ? 0 : Math.max(1, a.deadline - Date.now() - a.block - BLOCK_SLACK));
      return (settings.buffers ? c.withBuffers() : c).sendCommand(a.def, a.argv);
    }
    const opts = this.sendOptions(a, settings);
    const cache = node.client.cache;
    if (!asking && cache !== null && (a.def.info.flags & Flag.CACHEABLE) !== 0) {
      const conn = node.connection;
      const buffers = opts?.buffers === true;
      const p = cache.hit(a.def, a.argv, conn, buffers) ?? cache.miss(a.def, a.argv, conn, buffers, opts, () => conn.send(a.argv, a.def.transform, opts));
      if (p !== null) return p;
    }
    if (!asking) return node.connection.send(a.argv, a.def.transform, opts);
    // ASKING and the command leave together, so nothing of another caller comes between them.
    // Traced as the command itself: its span names the node that answered after the ASK.
    return traceCommandIfListened(node.connection.options, a.argv, () => node.connection
      .sendBatch([{ argv: ['ASKING'], transform: undefined }, { argv: a.argv, transform: a.def.transform, buffers: opts?.buffers }], opts)
      .then((r) => {
        if (r.failed[1]) throw r.values[1];
        if (r.failed[0]) throw r.values[0];
        return r.values[1];
      }));
  }

  private async loop(a: Attempt, settings: CallSettings, firstError?: unknown): Promise<unknown> {
    let lastError: unknown = firstError;
    for (;;) {
      if (this.closed) throw new ClientClosedError('the cluster client is closed');
      if (Date.now() >= a.deadline) throw this.outOfTime(a, lastError);
      const asking = a.asking;
      a.asking = null;
      const node = asking ?? a.fixed ?? this.pick(a.slot, a.read);
      if (node === undefined) {
        // No node serves the slot (yet): the next map may name one.
        lastError ??= new ClusterDownError(`CLUSTERDOWN no node serves slot ${a.slot}`, 'CLUSTERDOWN');
        this.refreshSoon();
        await this.waitChange(a.deadline);
        continue;
      }
      const state = node.connection.state;
      if (state !== 'ready') {
        if (state === 'closed' || state === 'closing') {
          if (a.fixed !== null) throw new ConnectionError(`${node.address} left the cluster`);
          this.refreshSoon();
          await this.waitChange(a.deadline);
          continue;
        }
        if (state === 'idle') {
          node.client.connect().catch((e: unknown) => {
            lastError = e;
            node.failed = true;
            this.refreshSoon();
          });
        } else {
          // It was up and is reconnecting: its slots may have moved on.
          this.refreshSoon();
        }
        if (node.role === 'replica' && a.read && asking === null) {
          // A replica that is not up is skipped until the next refresh.
          node.failed = true;
          continue;
        }
        await this.waitChange(a.deadline);
        continue;
      }
      try {
        return await this.sendOn(node, a, settings, asking !== null);
      } catch (e) {
        lastError = e;
        await this.handle(e, a, node);
      }
    }
  }

  /** Decides what a failure leads to: throws it to the caller, or returns to try again. */
  private async handle(e: unknown, a: Attempt, node: Node): Promise<void> {
    if (e instanceof MovedError || e instanceof TryAgainError || e instanceof ClusterDownError) {
      if (++a.redirects > this.maxRedirects) throw e;
      if (e instanceof AskError) {
        a.asking = this.node(remap(this.options.natMap, { host: e.host || node.host, port: e.port }), 'primary');
        return;
      }
      if (e instanceof MovedError) {
        if (a.fixed !== null) throw e;
        this.patch(e.slot, remap(this.options.natMap, { host: e.host || node.host, port: e.port }));
        this.refreshSoon();
        return;
      }
      if (e instanceof ClusterDownError) this.refreshSoon();
      // TRYAGAIN (keys of a slot half moved) and CLUSTERDOWN (a failover under way) pass with time.
      const wait = Math.min(25 * 2 ** (a.redirects - 1), 500, a.deadline - Date.now());
      if (wait > 0) await sleep(wait);
      return;
    }
    if (e instanceof ClientClosedError) {
      // The node's client was closed because the map dropped it: nothing was written, go elsewhere.
      if (this.closed) throw e;
      this.refreshSoon();
      await this.waitChange(a.deadline);
      return;
    }
    if (e instanceof ConnectionError) {
      node.failed = true;
      this.refreshSoon();
    } else if (e instanceof TimeoutError) {
      this.refreshSoon();
    } else {
      throw e;
    }
    // It was written: sent again only if the retry policy says so.
    const retry = this.options.retry;
    if (retry === undefined || !retry.shouldRetry(e, ++a.failures)) throw e;
    const wait = Math.min(retry.backoffFor(a.failures), a.deadline - Date.now());
    if (wait > 0) await sleep(wait);
  }

  private outOfTime(a: Attempt, lastError: unknown): Error {
    if (lastError instanceof Error) return lastError;
    const name = commandLabel(a.def.info.id);
    const err = new TimeoutError(`${name} found no reachable node for slot ${a.slot} within its timeout`);
    err.command = name;
    return err;
  }

  // ---- closing -------------------------------------------------------------------------------------

  private stopTimers(): void {
    this.closed = true;
    if (this.refreshTimer !== null) clearInterval(this.refreshTimer);
    if (this.soonTimer !== null) clearTimeout(this.soonTimer);
    this.refreshTimer = null;
    this.soonTimer = null;
    this.wake();
  }

  async close(): Promise<void> {
    this.stopTimers();
    await Promise.all([...this.dependents].map((close) => close().catch(noop)));
    await Promise.all([...this.nodes.values()].map((n) => n.client.close().catch(noop)));
  }

  disconnect(): void {
    this.stopTimers();
    for (const close of [...this.dependents]) close().catch(noop);
    for (const n of this.nodes.values()) n.client.disconnect();
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Own methods of the class win over command methods of the same name. */
function installClusterCommands(): void {
  const own = new Set(Object.getOwnPropertyNames(RedisCluster.prototype));
  const defs: Record<string, MethodDef> = {};
  for (const name of Object.keys(coreMethods)) if (!own.has(name)) defs[name] = coreMethods[name]!;
  installCommands(RedisCluster.prototype, defs);
  const scan = Object.getOwnPropertyDescriptor(RedisCluster.prototype, 'scanIterator')!;
  installIterators(RedisCluster.prototype);
  Object.defineProperty(RedisCluster.prototype, 'scanIterator', scan);
}
installClusterCommands();

/** A cluster client for `options.nodes`. It connects on `connect()` or on its first command. */
export function createCluster(options: ClusterOptions): RedisCluster {
  return new RedisCluster(options);
}
