/**
 * Pub/sub across a cluster (redis-py's ClusterPubSub), built from the standalone subscriber: one
 * `PubSub` per node it needs, whose messages it merges. Channels and patterns live on one node (any:
 * the cluster bus carries PUBLISH everywhere); shard channels on the primary of their slot, one
 * SSUBSCRIBE per slot (a command naming two slots is refused with CROSSSLOT).
 *
 * What it keeps true without user code: every subscription asked for is held by some node. A node's
 * connection breaking, the server pushing `sunsubscribe` (its slot moved away, or the node became a
 * replica), a MOVED reply to SSUBSCRIBE: each puts the subscriptions concerned back in the "to place"
 * state, and one reconciling loop reads the slot map again and places them where it now says, with
 * backoff while no node takes them (a primary killed and not yet replaced).
 */
import { EventEmitter } from 'node:events';
import { ClientClosedError, ClusterDownError, ConnectionError, DataError, MovedError, PubSubError, TimeoutError, TryAgainError } from '../errors.js';
import type { RedisKey } from '../commands/command.js';
import { checkKey } from '../commands/registry.js';
import { MessageStream, PubSub, nameKey, type PubSubHost, type PubSubMessage, type PubSubOptions, type SubscriptionMessage } from '../client/pubsub.js';
import { keySlot } from './slot.js';

/** A node a cluster subscriber may subscribe on: its address and a client connected to it alone. */
export interface SubscriberNode {
  readonly address: string;
  readonly client: PubSubHost;
}

/** @internal What a cluster subscriber needs from its cluster client. */
export interface ClusterPubSubHost {
  /** The primary serving `slot` by the current map. */
  nodeForSlot(slot: number): Promise<SubscriberNode>;
  /** A primary for channels and patterns, not one of `avoid` if another will do. */
  anyNode(avoid: ReadonlySet<string>): Promise<SubscriberNode>;
  /** After MOVED: the map patched (and a refresh asked for); the node named. */
  redirect(e: MovedError, from: SubscriberNode): SubscriberNode;
  refresh(): Promise<void>;
  /** Registers a close to run when the cluster client closes; returns its unregistration. */
  adopt(close: () => Promise<void>): () => void;
  /** How long a subscribe call may wait for a node to confirm it (ms, 0: no limit). */
  readonly timeout: number;
}

/** Events of `cluster.pubsub()`. */
export interface ClusterPubSubEvents<S extends string | Buffer> {
  message: [message: PubSubMessage<S>];
  subscription: [message: SubscriptionMessage<S>];
  /**
   * A node's subscriber connection broke, or the node dropped shard channels (their slot moved):
   * messages published to those subscriptions are missed until 'resubscribed'.
   */
  disconnected: [node: string];
  /** After a 'disconnected', every subscription is held by a node again. */
  resubscribed: [];
  /** A failure nobody awaits (a resubscription refused for good, no node reachable). Only when listened to. */
  error: [error: Error];
  /** Closed: no more messages. */
  end: [];
}

const CHANNEL = 0;
const PATTERN = 1;
const SHARD = 2;
type Kind = typeof CHANNEL | typeof PATTERN | typeof SHARD;
const KIND_NAMES = ['channel', 'pattern', 'shard'] as const;
const SUBSCRIBE = ['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE'] as const;
const UNSUBSCRIBE = ['UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE'] as const;

const UNPLACED = 0;
const PENDING = 1;
const PLACED = 2;

/** One node's subscriber. */
class NodeSub<S extends string | Buffer> {
  retired = false;
  /**
   * The first (S|P)SUBSCRIBE, which opens the connection. The others wait for it: the standalone
   * subscriber sends what is asked before its connection is up as one round that fails or succeeds
   * as a whole, and one slot's refusal must not fail (or forget) another's.
   */
  first: Promise<void> | null = null;
  constructor(
    readonly node: SubscriberNode,
    readonly sub: PubSub<S, PubSubMessage<S> | SubscriptionMessage<S>>,
  ) {}
}

/** One subscription asked for, and where it is. */
interface Entry<S extends string | Buffer> {
  readonly name: RedisKey;
  /** The shard channel's slot; -1 for channels and patterns. */
  readonly slot: number;
  state: typeof UNPLACED | typeof PENDING | typeof PLACED;
  sub: NodeSub<S> | null;
}

/** A subscribe call waiting for its names to be placed. */
interface Waiter {
  readonly kind: Kind;
  readonly keys: Set<string>;
  resolve(): void;
  reject(e: unknown): void;
  timer: NodeJS.Timeout | null;
}

/** Reconnect backoff while no node takes what is to be placed (ms). */
const MAX_BACKOFF = 1_000;

function backoff(failures: number): number {
  return Math.min(MAX_BACKOFF, 25 * 2 ** Math.min(failures, 10));
}

/** Shard channels grouped by slot: one (S)SUBSCRIBE per slot. */
function bySlot(names: RedisKey[]): RedisKey[][] {
  const groups = new Map<number, RedisKey[]>();
  for (const n of names) {
    const slot = keySlot(n);
    const g = groups.get(slot);
    if (g === undefined) groups.set(slot, [n]);
    else g.push(n);
  }
  return [...groups.values()];
}

/** Failures that pass once the map or a node changes, as opposed to a refusal such as NOPERM. */
function transient(e: unknown): boolean {
  return e instanceof ConnectionError || e instanceof TimeoutError || e instanceof MovedError || e instanceof TryAgainError || e instanceof ClusterDownError;
}

/**
 * A subscriber for a whole cluster, made by `cluster.pubsub()`: channels, patterns and shard channels
 * of any slots. Messages arrive as 'message' events and through `for await (const m of sub)`, as
 * from the standalone subscriber; subscriptions follow failovers, slot migrations and MOVED replies
 * by themselves ('disconnected' … 'resubscribed').
 */
export class ClusterPubSub<S extends string | Buffer = string, M = PubSubMessage<S>> extends EventEmitter<ClusterPubSubEvents<S>> implements AsyncIterable<M> {
  private readonly wanted: [Map<string, Entry<S>>, Map<string, Entry<S>>, Map<string, Entry<S>>] = [new Map(), new Map(), new Map()];
  /** One subscriber per node in use, by address. */
  private readonly subs = new Map<string, NodeSub<S>>();
  /** The node subscriber holding channels and patterns. */
  private global: NodeSub<S> | null = null;
  /** Nodes whose subscriber failed lately: channels and patterns go elsewhere while another will do. */
  private readonly avoid = new Set<string>();
  private waiters: Waiter[] = [];
  private readonly streams = new Set<MessageStream<M>>();
  private readonly ignoreSubscribeMessages: boolean;
  private readonly nodeOptions: PubSubOptions;
  private readonly release: () => void;

  private closed = false;
  private running = false;
  /** Something changed while a round ran: run another at once. */
  private again = false;
  /** The map must be read before the next round (a node failed, a slot moved). */
  private stale = false;
  /** A subscription was lost since the last time all were placed: 'resubscribed' when they are. */
  private disrupted = false;
  private failures = 0;
  private sleeping: { wake(): void } | null = null;
  private readonly maxBuffered: number;

  /** @internal Made by `cluster.pubsub()`. */
  constructor(
    private readonly host: ClusterPubSubHost,
    private readonly buffers: boolean,
    options: PubSubOptions = {},
  ) {
    super();
    this.ignoreSubscribeMessages = options.ignoreSubscribeMessages !== false;
    const { healthCheckInterval, maxBuffered } = options;
    if (healthCheckInterval !== undefined && !(healthCheckInterval >= 0)) throw new DataError('pubsub: healthCheckInterval must be >= 0');
    if (maxBuffered !== undefined && !(maxBuffered >= 1)) throw new DataError('pubsub: maxBuffered must be >= 1');
    this.maxBuffered = maxBuffered ?? 100_000;
    // Node subscribers only feed this one's events: their own iterators are never used.
    this.nodeOptions = healthCheckInterval === undefined ? {} : { healthCheckInterval };
    this.release = host.adopt(() => this.close());
  }

  /** Channels subscribed (or being subscribed) to. */
  get channels(): S[] {
    return this.names(CHANNEL);
  }

  /** Patterns subscribed (or being subscribed) to. */
  get patterns(): S[] {
    return this.names(PATTERN);
  }

  /** Shard channels subscribed (or being subscribed) to. */
  get shardChannels(): S[] {
    return this.names(SHARD);
  }

  /**
   * The node (`host:port`) whose connection holds this subscription now; null while it is being
   * (re)made or when it was not asked for.
   */
  nodeOf(name: RedisKey, kind: 'channel' | 'pattern' | 'shard' = 'channel'): string | null {
    const k = KIND_NAMES.indexOf(kind);
    if (k === -1) throw new DataError(`nodeOf: kind must be 'channel', 'pattern' or 'shard'`);
    checkKey('nodeOf', 'channel', name);
    const e = this.wanted[k as Kind].get(nameKey(name, this.buffers));
    return e !== undefined && e.state === PLACED && e.sub !== null ? e.sub.node.address : null;
  }

  /** Resolves once a node confirmed every channel. */
  subscribe(...channels: RedisKey[]): Promise<void> {
    return this.add(CHANNEL, channels);
  }

  /** Glob-style patterns: `news.*`. */
  psubscribe(...patterns: RedisKey[]): Promise<void> {
    return this.add(PATTERN, patterns);
  }

  /** Shard channels of any slots: each on its slot's primary, one SSUBSCRIBE per slot. */
  ssubscribe(...shardChannels: RedisKey[]): Promise<void> {
    return this.add(SHARD, shardChannels);
  }

  /** Without arguments: from every channel. */
  unsubscribe(...channels: RedisKey[]): Promise<void> {
    return this.remove(CHANNEL, channels);
  }

  /** Without arguments: from every pattern. */
  punsubscribe(...patterns: RedisKey[]): Promise<void> {
    return this.remove(PATTERN, patterns);
  }

  /** Without arguments: from every shard channel (one SUNSUBSCRIBE per slot). */
  sunsubscribe(...shardChannels: RedisKey[]): Promise<void> {
    return this.remove(SHARD, shardChannels);
  }

  /**
   * A round trip on every node connection in use: once it resolves, whatever those nodes sent before
   * (messages, a `sunsubscribe` of theirs) has been handled.
   */
  ping(): Promise<void> {
    if (this.closed) return Promise.reject(new ClientClosedError('the subscriber is closed'));
    return Promise.all([...this.subs.values()].filter((ns) => !ns.retired).map((ns) => ns.sub.ping())).then(() => undefined);
  }

  /** Each message from now on (and, with `ignoreSubscribeMessages: false`, each confirmation). */
  [Symbol.asyncIterator](): AsyncIterableIterator<M> {
    return MessageStream.open(this.streams, this.maxBuffered, this.closed);
  }

  /** Ends the subscriber: iterators finish, every node connection it used is closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.release();
    this.wake();
    const err = new ClientClosedError('the subscriber was closed');
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      if (w.timer !== null) clearTimeout(w.timer);
      w.reject(err);
    }
    for (const s of [...this.streams]) s.fail(null);
    const subs = [...this.subs.values()];
    this.subs.clear();
    this.global = null;
    await Promise.all(subs.map((ns) => this.retire(ns, false)));
    this.emit('end');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---- asking ----------------------------------------------------------------------------------------

  private names(kind: Kind): S[] {
    return [...this.wanted[kind].values()].map((e) => e.name as S);
  }

  private add(kind: Kind, names: RedisKey[]): Promise<void> {
    const cmd = SUBSCRIBE[kind];
    if (this.closed) return Promise.reject(new ClientClosedError('the subscriber is closed'));
    try {
      if (names.length === 0) throw new DataError(`${cmd}: at least one channel is required`);
      for (const n of names) checkKey(cmd, 'channel', n);
    } catch (e) {
      return Promise.reject(e);
    }
    const wanted = this.wanted[kind];
    const keys = new Set<string>();
    for (const n of names) {
      const key = nameKey(n, this.buffers);
      const known = wanted.get(key);
      if (known?.state === PLACED) continue;
      keys.add(key);
      if (known === undefined) wanted.set(key, { name: n, slot: kind === SHARD ? keySlot(n) : -1, state: UNPLACED, sub: null });
    }
    if (keys.size === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { kind, keys, resolve, reject, timer: null };
      const limit = this.host.timeout;
      if (limit > 0) {
        w.timer = setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          reject(
            new TimeoutError(
              `${cmd} was not confirmed by a node within ${limit} ms; it stays asked for and is made as soon as a node takes it (${UNSUBSCRIBE[kind]} to give it up)`,
            ),
          );
        }, limit);
      }
      this.waiters.push(w);
      this.kick();
    });
  }

  private remove(kind: Kind, names: RedisKey[]): Promise<void> {
    const cmd = UNSUBSCRIBE[kind];
    if (this.closed) return Promise.reject(new ClientClosedError('the subscriber is closed'));
    try {
      for (const n of names) checkKey(cmd, 'channel', n);
    } catch (e) {
      return Promise.reject(e);
    }
    const wanted = this.wanted[kind];
    const entries = names.length === 0 ? [...wanted.values()] : names.map((n) => wanted.get(nameKey(n, this.buffers))).filter((e) => e !== undefined);
    // Grouped by node subscriber and slot: SUNSUBSCRIBE, like SSUBSCRIBE, takes one slot at a time.
    const groups = new Map<NodeSub<S>, Map<number, RedisKey[]>>();
    for (const e of entries) {
      const key = nameKey(e.name, this.buffers);
      wanted.delete(key);
      this.settleKey(kind, key, null);
      const ns = e.sub;
      if (ns === null || ns.retired) continue;
      let bySlot = groups.get(ns);
      if (bySlot === undefined) groups.set(ns, (bySlot = new Map()));
      let list = bySlot.get(e.slot);
      if (list === undefined) bySlot.set(e.slot, (list = []));
      list.push(e.name);
    }
    const sent: Array<Promise<void>> = [];
    for (const [ns, bySlot] of groups) {
      for (const list of bySlot.values()) {
        const p = kind === CHANNEL ? ns.sub.unsubscribe(...list) : kind === PATTERN ? ns.sub.punsubscribe(...list) : ns.sub.sunsubscribe(...list);
        // A connection that broke meanwhile holds nothing any more: that is unsubscribed too.
        sent.push(p.catch((e: unknown) => (transient(e) ? undefined : Promise.reject(e))));
      }
    }
    this.releaseIdle();
    return Promise.all(sent).then(() => undefined);
  }

  /** A key placed (err null) or refused: the waiters that asked for it learn it. */
  private settleKey(kind: Kind, key: string, err: Error | null): void {
    if (this.waiters.length === 0) return;
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.kind !== kind || !w.keys.has(key)) {
        keep.push(w);
        continue;
      }
      if (err !== null) {
        if (w.timer !== null) clearTimeout(w.timer);
        w.reject(err);
        continue;
      }
      w.keys.delete(key);
      if (w.keys.size > 0) {
        keep.push(w);
        continue;
      }
      if (w.timer !== null) clearTimeout(w.timer);
      w.resolve();
    }
    this.waiters = keep;
  }

  // ---- node subscribers --------------------------------------------------------------------------------

  private subFor(node: SubscriberNode): NodeSub<S> {
    const known = this.subs.get(node.address);
    if (known !== undefined && known.node === node && !known.retired) return known;
    // The map made a new client for that address (the node left and came back): start afresh.
    if (known !== undefined) this.lost(known, false);
    const sub = new PubSub<S, PubSubMessage<S> | SubscriptionMessage<S>>(node.client, this.buffers, this.nodeOptions, bySlot);
    const ns = new NodeSub(node, sub);
    sub.on('message', (m) => {
      if (!ns.retired) this.deliver(m);
    });
    sub.on('subscription', (m) => {
      if (!ns.retired) this.onSubscription(ns, m);
    });
    // Pooled node connections do not reconnect; the standalone subscriber would lease another from the
    // same node, which may be dead: here the subscriptions go wherever the map now says instead.
    sub.on('disconnected', () => {
      if (!ns.retired) this.lost(ns, true);
    });
    sub.on('end', () => {
      // The node's client was closed: the map dropped the node.
      if (!ns.retired) this.lost(ns, true);
    });
    sub.on('error', (e) => {
      if (!ns.retired) this.fail(e);
    });
    this.subs.set(node.address, ns);
    return ns;
  }

  /** A node subscriber is of no more use: what it held is to be placed again. */
  private lost(ns: NodeSub<S>, refresh: boolean): void {
    let held = false;
    for (const wanted of this.wanted) {
      for (const e of wanted.values()) {
        if (e.sub !== ns) continue;
        if (e.state === PLACED) held = true;
        e.state = UNPLACED;
        e.sub = null;
      }
    }
    if (this.global === ns) {
      this.global = null;
      this.avoid.add(ns.node.address);
    }
    void this.retire(ns, true);
    if (refresh) this.stale = true;
    if (held) {
      this.disrupted = true;
      this.emit('disconnected', ns.node.address);
    }
    this.kick();
  }

  private async retire(ns: NodeSub<S>, unmap: boolean): Promise<void> {
    if (ns.retired) return;
    ns.retired = true;
    if (unmap && this.subs.get(ns.node.address) === ns) this.subs.delete(ns.node.address);
    await ns.sub.close().catch(() => {});
  }

  /** Node subscribers left holding nothing are closed. */
  private releaseIdle(): void {
    const used = new Set<NodeSub<S>>();
    for (const wanted of this.wanted) for (const e of wanted.values()) if (e.sub !== null) used.add(e.sub);
    for (const ns of [...this.subs.values()]) {
      if (used.has(ns)) continue;
      if (this.global === ns) this.global = null;
      void this.retire(ns, true);
    }
  }

  private onSubscription(ns: NodeSub<S>, m: SubscriptionMessage<S>): void {
    if (m.type === 'sunsubscribe') {
      const e = this.wanted[SHARD].get(nameKey(m.channel, this.buffers));
      if (e !== undefined && e.sub === ns && e.state === PLACED) {
        // Still wanted, so the server dropped it: its slot moved away, or the node is a replica now.
        e.state = UNPLACED;
        e.sub = null;
        this.stale = true;
        if (!this.disrupted) {
          this.disrupted = true;
          this.emit('disconnected', ns.node.address);
        }
        this.kick();
        return;
      }
    }
    this.emit('subscription', m);
    if (!this.ignoreSubscribeMessages) for (const s of this.streams) s.push(m as M);
  }

  private deliver(m: PubSubMessage<S>): void {
    this.emit('message', m);
    for (const s of this.streams) s.push(m as M);
  }

  private fail(e: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', e);
  }

  // ---- placing ------------------------------------------------------------------------------------------

  /** Runs the reconciling loop unless it runs already (then it goes round once more). */
  private kick(): void {
    if (this.closed) return;
    this.again = true;
    if (this.running) {
      this.wake();
      return;
    }
    this.running = true;
    queueMicrotask(() => {
      this.run().catch((e: unknown) => this.fail(e instanceof Error ? e : new PubSubError(String(e))));
    });
  }

  private async run(): Promise<void> {
    try {
      while (!this.closed) {
        this.again = false;
        try {
          await this.round();
        } catch (e) {
          // Not expected; reported, and the next pass (after the backoff) tries again.
          this.stale = true;
          this.fail(e instanceof Error ? e : new PubSubError(String(e)));
        }
        if (this.closed) return;
        if (!this.hasUnplaced()) {
          this.failures = 0;
          this.avoid.clear();
          if (this.disrupted) {
            this.disrupted = false;
            this.emit('resubscribed');
          }
          if (!this.again) return;
          continue;
        }
        // Something is still to place: at once after a MOVED taught us the owner, else after a backoff
        // (a killed primary is replaced only once the cluster has voted).
        if (this.again && this.failures < 3) {
          this.failures++;
          continue;
        }
        await this.sleep(backoff(this.failures++));
      }
    } finally {
      this.running = false;
    }
  }

  private hasUnplaced(): boolean {
    for (const wanted of this.wanted) for (const e of wanted.values()) if (e.state !== PLACED) return true;
    return false;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.sleeping = null;
        resolve();
      }, ms);
      this.sleeping = {
        wake: () => {
          clearTimeout(timer);
          this.sleeping = null;
          resolve();
        },
      };
    });
  }

  private wake(): void {
    this.sleeping?.wake();
  }

  /** One pass: reads the map if it is stale, then sends what is to place to where it now belongs. */
  private async round(): Promise<void> {
    if (this.stale) {
      this.stale = false;
      await this.host.refresh().catch((e: unknown) => this.onRefused(e));
      if (this.closed) return;
    }
    const sends: Array<Promise<void>> = [];
    for (const kind of [CHANNEL, PATTERN] as const) {
      const entries = [...this.wanted[kind].values()].filter((e) => e.state === UNPLACED);
      if (entries.length === 0) continue;
      let ns = this.global;
      if (ns === null || ns.retired) {
        try {
          ns = this.global = this.subFor(await this.host.anyNode(this.avoid));
        } catch (e) {
          this.onRefused(e);
          continue;
        }
      }
      sends.push(this.send(ns, kind, entries));
    }
    const bySlot = new Map<number, Array<Entry<S>>>();
    for (const e of this.wanted[SHARD].values()) {
      if (e.state !== UNPLACED) continue;
      let list = bySlot.get(e.slot);
      if (list === undefined) bySlot.set(e.slot, (list = []));
      list.push(e);
    }
    for (const [slot, entries] of bySlot) {
      let node: SubscriberNode;
      try {
        node = await this.host.nodeForSlot(slot);
      } catch (e) {
        this.onRefused(e);
        continue;
      }
      if (this.closed) return;
      sends.push(this.send(this.subFor(node), SHARD, entries.filter((e) => e.state === UNPLACED)));
    }
    await Promise.all(sends);
    this.releaseIdle();
  }

  /** No node to ask (the map names none for a slot, or the cluster could not be reached). */
  private onRefused(e: unknown): void {
    if (e instanceof ClientClosedError) {
      // Only the cluster client's own closing says so here: nothing will ever be placed.
      void this.close();
      return;
    }
    this.stale = true;
    this.fail(e instanceof Error ? e : new PubSubError(String(e)));
  }

  /** One (S|P)SUBSCRIBE for `entries` (one slot's, for shard channels) on a node subscriber. */
  private send(ns: NodeSub<S>, kind: Kind, entries: Array<Entry<S>>): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    for (const e of entries) {
      e.state = PENDING;
      e.sub = ns;
    }
    const wanted = this.wanted[kind];
    // Only entries still asked for and still waiting on this node subscriber: one unsubscribed or
    // moved meanwhile belongs to someone else now.
    const mine = () => entries.filter((e) => e.sub === ns && e.state === PENDING && wanted.get(nameKey(e.name, this.buffers)) === e);
    if (ns.first === null) return (ns.first = this.call(ns, kind, entries, mine));
    return ns.first.catch(() => {}).then(() => {
      if (!ns.retired) return this.call(ns, kind, entries, mine);
      // The connection could not be opened: placed again on the next pass.
      for (const e of mine()) {
        e.state = UNPLACED;
        e.sub = null;
      }
      this.again = true;
      return undefined;
    });
  }

  private call(ns: NodeSub<S>, kind: Kind, entries: Array<Entry<S>>, mine: () => Array<Entry<S>>): Promise<void> {
    const wanted = this.wanted[kind];
    const names = entries.map((e) => e.name);
    const p = kind === CHANNEL ? ns.sub.subscribe(...names) : kind === PATTERN ? ns.sub.psubscribe(...names) : ns.sub.ssubscribe(...names);
    return p.then(
      () => {
        for (const e of mine()) {
          e.state = PLACED;
          this.settleKey(kind, nameKey(e.name, this.buffers), null);
        }
      },
      (err: unknown) => {
        const left = mine();
        if (left.length === 0) return;
        if (err instanceof MovedError) {
          // Our map was behind: patched from the reply, and placed again on the next pass.
          this.host.redirect(err, ns.node);
          for (const e of left) {
            e.state = UNPLACED;
            e.sub = null;
          }
          this.again = true;
          return;
        }
        if (transient(err)) {
          for (const e of left) {
            e.state = UNPLACED;
            e.sub = null;
          }
          if (err instanceof ConnectionError || err instanceof TimeoutError) this.lost(ns, true);
          else this.stale = true;
          return;
        }
        // Refused for good (NOPERM…): forgotten, or every pass would be refused the same way.
        const error = err instanceof Error ? err : new PubSubError(String(err));
        for (const e of left) {
          const key = nameKey(e.name, this.buffers);
          wanted.delete(key);
          this.settleKey(kind, key, error);
        }
        this.fail(error);
      },
    );
  }
}
