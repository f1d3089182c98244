import { EventEmitter } from 'node:events';
import type { Connection } from '../connection/connection.js';
import { Queue } from '../connection/queue.js';
import { ClientClosedError, ConnectionError, DataError, PubSubError, RedisError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import type { RespValue } from '../protocol/parser.js';
import type { RedisKey } from '../commands/command.js';
import { checkKey } from '../commands/registry.js';
import type { Lease } from './client.js';

/** A message published to a channel (`message`), a pattern (`pmessage`) or a shard channel (`smessage`). */
export type PubSubMessage<S extends string | Buffer = string> =
  | { type: 'message'; channel: S; pattern: null; data: S }
  | { type: 'pmessage'; channel: S; pattern: S; data: S }
  | { type: 'smessage'; channel: S; pattern: null; data: S };

/** The server confirming a (un)subscription; `count` is how many subscriptions the connection has now. */
export interface SubscriptionMessage<S extends string | Buffer = string> {
  type: 'subscribe' | 'unsubscribe' | 'psubscribe' | 'punsubscribe' | 'ssubscribe' | 'sunsubscribe';
  /** The channel, pattern or shard channel. */
  channel: S;
  count: number;
}

/** Settings of a pub/sub session: confirmations in the iterator, health checks, and how far a slow reader may fall behind. */
export interface PubSubOptions {
  /**
   * Leave the server's (un)subscribe confirmations out of the async iterator (they still come as
   * 'subscription' events). Default true.
   */
  ignoreSubscribeMessages?: boolean;
  /**
   * PING the server when nothing came for this long (ms), so that a connection that died silently
   * is found and replaced (and the subscriptions made again) instead of waiting forever for messages.
   * The reply must come within the same time. 0 turns it off. Default 30 000.
   */
  healthCheckInterval?: number;
  /**
   * How many messages an async iterator may hold for a consumer that is behind. Past it the iterator
   * fails with PubSubError once it has handed out what it held: a loud stop rather than silent loss.
   * Default 100 000.
   */
  maxBuffered?: number;
}

/** The events a pub/sub session emits: messages, (un)subscribe confirmations, and breaks and resubscriptions. */
export interface PubSubEvents<S extends string | Buffer> {
  message: [message: PubSubMessage<S>];
  subscription: [message: SubscriptionMessage<S>];
  /** The connection broke: messages published from now until 'resubscribed' are not received. */
  disconnected: [];
  /** After a reconnect, every subscription is in place again. */
  resubscribed: [];
  /** A failure nobody awaits (a resubscription refused, reconnecting given up). Only when listened to. */
  error: [error: Error];
  /** Closed: no more messages. */
  end: [];
}

/** What a subscriber needs from its client. */
export type PubSubHost = OwnConnectionHost;

const CHANNEL = 0;
const PATTERN = 1;
const SHARD = 2;
type Kind = typeof CHANNEL | typeof PATTERN | typeof SHARD;
const SUBSCRIBE = ['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE'] as const;
const UNSUBSCRIBE = ['UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE'] as const;
const CONFIRMATIONS: Record<string, { kind: Kind; on: boolean }> = {
  subscribe: { kind: CHANNEL, on: true },
  psubscribe: { kind: PATTERN, on: true },
  ssubscribe: { kind: SHARD, on: true },
  unsubscribe: { kind: CHANNEL, on: false },
  punsubscribe: { kind: PATTERN, on: false },
  sunsubscribe: { kind: SHARD, on: false },
};

/** A command this subscriber wrote, waiting for its confirmations (or, for PING, its reply). */
interface Expected {
  readonly kind: Kind | -1;
  readonly on: boolean;
  readonly names: ReadonlyArray<RedisKey>;
  left: number;
  resolve(): void;
  reject(e: unknown): void;
}

interface Waiter {
  resolve(): void;
  reject(e: unknown): void;
}

/** @internal A channel's name as the server will echo it back, for matching confirmations. */
export function nameKey(name: RedisKey, buffers: boolean): string {
  if (buffers) return (typeof name === 'string' ? Buffer.from(name) : name).toString('latin1');
  return typeof name === 'string' ? name : name.toString('utf8');
}

function text(v: RespValue | undefined): string {
  return typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('latin1') : String(v);
}

/**
 * One consumer's view of the messages: a bounded buffer between the socket and a `for await` loop.
 * `break` (return()) detaches it; the subscriber goes on. @internal
 */
export class MessageStream<M> implements AsyncIterableIterator<M> {
  private readonly buffer = new Queue<M>();
  private waiter: { resolve(r: IteratorResult<M>): void; reject(e: unknown): void } | null = null;
  private ended = false;
  private failure: Error | null = null;

  constructor(
    private readonly max: number,
    private readonly detach: (s: MessageStream<M>) => void,
  ) {}

  /**
   * A new iterator over what `streams` is fed from now on; already ended when its source is closed.
   * It removes itself from `streams` when its consumer stops.
   */
  static open<M>(streams: Set<MessageStream<M>>, max: number, closed: boolean): MessageStream<M> {
    const stream = new MessageStream<M>(max, (s) => streams.delete(s));
    if (closed) stream.fail(null);
    else streams.add(stream);
    return stream;
  }

  push(m: M): void {
    if (this.ended || this.failure !== null) return;
    const w = this.waiter;
    if (w !== null) {
      this.waiter = null;
      w.resolve({ value: m, done: false });
      return;
    }
    if (this.buffer.length >= this.max) {
      this.fail(new PubSubError(`the consumer fell ${this.max} messages behind; the iterator stopped so that no message is lost unseen`));
      return;
    }
    this.buffer.push(m);
  }

  /** No more messages: a clean end, or a failure thrown once the buffer is drained. */
  fail(error: Error | null): void {
    if (this.ended || this.failure !== null) return;
    this.detach(this);
    if (error === null) this.ended = true;
    else this.failure = error;
    const w = this.waiter;
    if (w === null) return;
    this.waiter = null;
    if (error === null) w.resolve({ value: undefined, done: true });
    else {
      this.ended = true;
      w.reject(error);
    }
  }

  next(): Promise<IteratorResult<M>> {
    const m = this.buffer.shift();
    if (m !== undefined) return Promise.resolve({ value: m, done: false });
    if (this.failure !== null && !this.ended) {
      this.ended = true;
      return Promise.reject(this.failure);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<M>> {
    this.detach(this);
    this.ended = true;
    this.buffer.drain();
    const w = this.waiter;
    this.waiter = null;
    w?.resolve({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** What a subscriber or monitor needs from its client. */
export interface OwnConnectionHost {
  leaseConnection(): Promise<Lease>;
  /**
   * Registers something that holds a connection of its own, to be closed when the client closes;
   * returns the function that unregisters it.
   */
  adopt(close: () => Promise<void>): () => void;
  /** Its main connection, whose `reconnect` policy says how to replace a connection that broke. */
  readonly connection: Connection;
}

interface OwnConnectionHooks {
  /** A new connection was leased: install interceptors, listeners. */
  attach(conn: Connection): void;
  detach(conn: Connection): void;
  /** The connection is ready (first time, after its own reconnect, or a replacement). */
  ready(conn: Connection): void;
  /** The socket broke; a new one may follow. */
  lost(): void;
  /** No connection can be had: the first lease failed, or the reconnect policy gave up. */
  failed(err: Error, first: boolean): void;
  /** The client closed: end the owner as its own close would (iterators finish, 'end'). */
  close(): Promise<void>;
}

/**
 * @internal A connection of its own that outlives breaks: pooled connections do not reconnect (the
 * pool replaces them), so when one ends a new one is leased, with the client's reconnect backoff.
 */
export class OwnConnection {
  lease: Lease | null = null;
  private leasing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private everReady = false;
  private closed = false;
  private readonly onReady = () => {
    this.failures = 0;
    this.everReady = true;
    if (this.lease !== null) this.hooks.ready(this.lease.connection);
  };
  private readonly onClose = () => this.hooks.lost();
  private readonly onEnd = () => this.replace(new ConnectionError('the connection closed and does not reconnect'));

  private readonly release: () => void;

  constructor(
    private readonly host: OwnConnectionHost,
    private readonly hooks: OwnConnectionHooks,
  ) {
    this.release = host.adopt(() => hooks.close());
  }

  /** Leases a connection unless there is one (or one is on its way); resolves when that is done. */
  open(): Promise<void> {
    if (this.closed) return Promise.reject(new ClientClosedError('closed'));
    if (this.lease !== null) return Promise.resolve();
    if (this.leasing !== null) return this.leasing;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.leasing = this.host.leaseConnection().then(
      (lease) => {
        this.leasing = null;
        if (this.closed) {
          lease.release(true);
          return;
        }
        this.lease = lease;
        const conn = lease.connection;
        this.hooks.attach(conn);
        conn.on('ready', this.onReady);
        conn.on('close', this.onClose);
        conn.on('end', this.onEnd);
        if (conn.state === 'ready') this.onReady();
      },
      (err: unknown) => {
        this.leasing = null;
        const e = err instanceof Error ? err : new ConnectionError(String(err));
        if (!this.everReady) this.hooks.failed(e, true);
        else this.retry(e);
        throw e;
      },
    );
    return this.leasing;
  }

  /** The current connection ended for good: drop it and lease another after the backoff. */
  private replace(err: Error): void {
    const lease = this.lease;
    if (lease === null) return;
    this.lease = null;
    this.detach(lease);
    if (!this.closed) this.retry(err);
  }

  private retry(err: Error): void {
    if (this.closed) return;
    if (err instanceof ClientClosedError) {
      // The pool is closed: no connection will ever come, and a timer must not keep the process up.
      this.hooks.failed(err, false);
      return;
    }
    const policy = this.host.connection.options.reconnect;
    this.failures++;
    if (policy === false || (policy !== undefined && policy.retries >= 0 && this.failures > policy.retries)) {
      this.hooks.failed(new ConnectionError(`gave up reconnecting: ${err.message}`, { cause: err }), false);
      return;
    }
    const delay = policy === undefined ? Math.min(2_000, Math.random() * 50 * 2 ** this.failures) : policy.backoffFor(this.failures);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.open().catch(() => {});
    }, delay);
  }

  private detach(lease: Lease): void {
    const conn = lease.connection;
    conn.off('ready', this.onReady);
    conn.off('close', this.onClose);
    conn.off('end', this.onEnd);
    this.hooks.detach(conn);
    // In subscriber or monitor mode it is of no use to anyone else: it is closed, not given back.
    lease.release(true);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.release();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.leasing !== null) await this.leasing.catch(() => {});
    const lease = this.lease;
    this.lease = null;
    if (lease !== null) this.detach(lease);
  }
}

/**
 * A subscriber on a connection of its own (redis-py's PubSub). Subscriptions are remembered and made
 * again by themselves after a reconnect ('resubscribed'). Messages arrive as 'message' events and
 * through `for await (const m of sub)`.
 *
 * Under RESP3 the messages and confirmations are push frames; under RESP2 they are ordinary arrays
 * that `replyInterceptor` sorts from the replies to PING.
 */
export class PubSub<S extends string | Buffer = string, M = PubSubMessage<S>> extends EventEmitter<PubSubEvents<S>> implements AsyncIterable<M> {
  private readonly link: OwnConnection;
  private readonly buffers: boolean;
  private readonly ignoreSubscribeMessages: boolean;
  private readonly healthCheckInterval: number;
  private readonly maxBuffered: number;

  /** What we want to be subscribed to, by kind; the keys compare names as the server sends them. */
  private readonly wanted: [Map<string, RedisKey>, Map<string, RedisKey>, Map<string, RedisKey>] = [new Map(), new Map(), new Map()];
  /** Commands written on the current socket, in order. */
  private expected: Expected[] = [];
  /** subscribe() calls made while no socket was live: settled by the next (re)subscription round. */
  private waitingRound: Waiter[] = [];
  private readonly streams = new Set<MessageStream<M>>();

  private live = false;
  private hadRound = false;
  private closed = false;
  private lastActivity = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private pinging = false;

  /**
   * @internal Made by `client.pubsub()`. `splitShard` groups shard channels into the commands a
   * resubscription sends: a cluster node refuses an SSUBSCRIBE naming several slots (CROSSSLOT).
   */
  constructor(
    host: PubSubHost,
    buffers: boolean,
    options: PubSubOptions = {},
    private readonly splitShard?: (names: RedisKey[]) => RedisKey[][],
  ) {
    super();
    this.buffers = buffers;
    this.ignoreSubscribeMessages = options.ignoreSubscribeMessages !== false;
    this.healthCheckInterval = options.healthCheckInterval ?? 30_000;
    this.maxBuffered = options.maxBuffered ?? 100_000;
    if (!(this.healthCheckInterval >= 0)) throw new DataError('pubsub: healthCheckInterval must be >= 0');
    if (!(this.maxBuffered >= 1)) throw new DataError('pubsub: maxBuffered must be >= 1');
    this.link = new OwnConnection(host, {
      attach: (conn) => this.attach(conn),
      detach: (conn) => this.detach(conn),
      ready: (conn) => this.onReady(conn),
      lost: () => this.onLost(),
      failed: (err, first) => this.onFailed(err, first),
      close: () => this.close(),
    });
  }

  /** Channels subscribed (or being subscribed) to. */
  get channels(): S[] {
    return [...this.wanted[CHANNEL].values()] as S[];
  }

  get patterns(): S[] {
    return [...this.wanted[PATTERN].values()] as S[];
  }

  get shardChannels(): S[] {
    return [...this.wanted[SHARD].values()] as S[];
  }

  /** The connection in use, once there is one (e.g. to find it in CLIENT LIST). */
  get connection(): Connection | null {
    return this.link.lease?.connection ?? null;
  }

  /** Resolves once the server confirmed every channel. */
  subscribe(...channels: RedisKey[]): Promise<void> {
    return this.change(CHANNEL, true, channels);
  }

  /** Glob-style patterns: `news.*`. */
  psubscribe(...patterns: RedisKey[]): Promise<void> {
    return this.change(PATTERN, true, patterns);
  }

  /** Shard channels (Redis 7): in a cluster, published only on the shard that owns the slot. */
  ssubscribe(...shardChannels: RedisKey[]): Promise<void> {
    return this.change(SHARD, true, shardChannels);
  }

  /** Without arguments: from every channel. */
  unsubscribe(...channels: RedisKey[]): Promise<void> {
    return this.change(CHANNEL, false, channels);
  }

  punsubscribe(...patterns: RedisKey[]): Promise<void> {
    return this.change(PATTERN, false, patterns);
  }

  sunsubscribe(...shardChannels: RedisKey[]): Promise<void> {
    return this.change(SHARD, false, shardChannels);
  }

  /** Round trip to the server over the subscriber's connection. */
  ping(): Promise<void> {
    if (this.closed) return Promise.reject(new ClientClosedError('the subscriber is closed'));
    const conn = this.liveConnection();
    if (conn === null) return Promise.reject(new ConnectionError('the subscriber is not connected'));
    return this.sendPing(conn, undefined);
  }

  /** Each message from now on (and, with `ignoreSubscribeMessages: false`, each confirmation). */
  [Symbol.asyncIterator](): AsyncIterableIterator<M> {
    return MessageStream.open(this.streams, this.maxBuffered, this.closed);
  }

  /** Ends the subscriber: iterators finish, the connection is closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.live = false;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    const err = new ClientClosedError('the subscriber was closed');
    this.settle(err);
    for (const s of [...this.streams]) s.fail(null);
    await this.link.close();
    this.emit('end');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---- subscribing --------------------------------------------------------------------------------

  private change(kind: Kind, on: boolean, names: RedisKey[]): Promise<void> {
    const cmd = (on ? SUBSCRIBE : UNSUBSCRIBE)[kind];
    if (this.closed) return Promise.reject(new ClientClosedError('the subscriber is closed'));
    try {
      for (const n of names) checkKey(cmd, 'channel', n);
    } catch (e) {
      return Promise.reject(e);
    }
    const wanted = this.wanted[kind];
    if (names.length === 0) {
      if (on) return Promise.reject(new DataError(`${cmd}: at least one channel is required`));
      // The server would answer an argument-less UNSUBSCRIBE with a count of replies we cannot
      // foresee when nothing is subscribed: name them instead.
      names = [...wanted.values()];
      if (names.length === 0) return Promise.resolve();
    }
    for (const n of names) {
      if (on) wanted.set(this.keyOf(n), n);
      else wanted.delete(this.keyOf(n));
    }
    const conn = this.liveConnection();
    if (conn !== null) return this.write(conn, kind, on, names);
    // No live socket: the next round (after connecting) sends all that is wanted, these included.
    if (!on) return Promise.resolve();
    const p = new Promise<void>((resolve, reject) => this.waitingRound.push({ resolve, reject }));
    this.link.open().catch(() => {});
    return p;
  }

  private write(conn: Connection, kind: Kind, on: boolean, names: ReadonlyArray<RedisKey>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      try {
        conn.writeUnanswered([(on ? SUBSCRIBE : UNSUBSCRIBE)[kind], ...names]);
      } catch (e) {
        reject(e);
        return;
      }
      this.expected.push({ kind, on, names, left: names.length, resolve, reject });
    });
  }

  private sendPing(conn: Connection, timeout: number | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      // The marker keeps our place in the reply order; the reply itself goes to send()'s promise.
      this.expected.push({ kind: -1, on: false, names: [], left: 1, resolve: noop, reject: noop });
      conn.send(['PING'], undefined, { timeout: timeout ?? 0, buffers: this.buffers }).then(() => resolve(), reject);
    });
  }

  private keyOf(name: RedisKey): string {
    return nameKey(name, this.buffers);
  }

  private liveConnection(): Connection | null {
    const conn = this.link.lease?.connection;
    return this.live && conn !== undefined && conn.state === 'ready' ? conn : null;
  }

  private readonly onPush = (push: RespValue[]) => {
    this.onFrame(push);
  };

  private attach(conn: Connection): void {
    // This subscriber pings by itself; a PING the connection slipped in on its own would take a
    // place in the reply order that nobody here expects.
    conn.options.healthCheckInterval = 0;
    conn.idleBuffers = this.buffers;
    conn.replyInterceptor = (reply) => this.intercept(reply);
    conn.on('push', this.onPush);
    conn.options.events?.dispatch('pubsubConnectionCreated', () => ({ connection: conn }));
    // RESP3 takes AUTH in subscribed mode; RESP2 refuses it there, so the subscriber moves to a new
    // connection (which authenticates with the renewed credentials) and subscribes again.
    conn.reauthHandler = () => {
      if (conn.protocol === 3) return false;
      conn.disconnect();
      return true;
    };
  }

  private detach(conn: Connection): void {
    conn.off('push', this.onPush);
    conn.reauthHandler = null;
  }

  /** A fresh socket: subscribe to everything wanted, in one write. */
  private onReady(conn: Connection): void {
    if (this.closed) return;
    this.live = true;
    this.lastActivity = Date.now();
    const reconnected = this.hadRound;
    this.hadRound = true;
    const waiting = this.waitingRound;
    this.waitingRound = [];
    // Also settles which format the parser reads bulk strings in while nothing else is in flight.
    const confirmations: Array<Promise<void>> = [this.sendPing(conn, undefined).catch(() => {})];
    for (const kind of [CHANNEL, PATTERN, SHARD] as const) {
      const names = [...this.wanted[kind].values()];
      if (names.length === 0) continue;
      const groups = kind === SHARD && this.splitShard !== undefined ? this.splitShard(names) : [names];
      for (const group of groups) confirmations.push(this.write(conn, kind, true, group));
    }
    Promise.all(confirmations).then(
      () => {
        for (const w of waiting) w.resolve();
        if (reconnected) this.emit('resubscribed');
      },
      (err: unknown) => {
        for (const w of waiting) w.reject(err);
        if (this.listenerCount('error') > 0) this.emit('error', err instanceof Error ? err : new PubSubError(String(err)));
      },
    );
    this.startHealthCheck();
  }

  /** The socket broke: what was in flight is settled by the next round, after the reconnect. */
  private onLost(): void {
    if (!this.live) return;
    this.live = false;
    const expected = this.expected;
    this.expected = [];
    for (const e of expected) {
      if (e.kind === -1) continue;
      if (e.on) this.waitingRound.push(e);
      else e.resolve();
    }
    if (!this.closed) this.emit('disconnected');
  }

  /** No connection: a first one could not be made (the callers hear it), or reconnecting gave up. */
  private onFailed(err: Error, first: boolean): void {
    this.onLost();
    const waiting = this.waitingRound;
    this.waitingRound = [];
    for (const w of waiting) w.reject(err);
    if (first) return;
    this.settle(err);
    for (const s of [...this.streams]) s.fail(err);
    if (this.listenerCount('error') > 0) this.emit('error', err);
    void this.close();
  }

  private settle(err: Error): void {
    const pending = [...this.expected, ...this.waitingRound];
    this.expected = [];
    this.waitingRound = [];
    for (const p of pending) p.reject(err);
  }

  private startHealthCheck(): void {
    if (this.timer !== null || this.healthCheckInterval === 0) return;
    const interval = this.healthCheckInterval;
    this.timer = setInterval(() => {
      const conn = this.liveConnection();
      if (conn === null || this.pinging || Date.now() - this.lastActivity < interval) return;
      this.pinging = true;
      // A PING unanswered in time breaks the connection (the connection's own timeout), which
      // reconnects and subscribes again.
      this.sendPing(conn, interval)
        .catch(() => {})
        .finally(() => {
          this.pinging = false;
        });
    }, Math.max(10, Math.floor(interval / 2)));
    this.timer.unref();
  }

  // ---- reading ------------------------------------------------------------------------------------

  /** Replies that are not push frames: RESP2 messages and confirmations, PING replies, errors. */
  private intercept(reply: RespValue): boolean {
    if (Array.isArray(reply) && reply.length >= 3 && this.onFrame(reply)) return true;
    const head = this.expected[0];
    if (head === undefined) return false;
    if (head.kind === -1) {
      // The reply belongs to the PING's own send().
      this.expected.shift();
      this.lastActivity = Date.now();
      return false;
    }
    if (reply instanceof Error) {
      // A (un)subscription refused as a whole (NOPERM…): none of its channels is subscribed.
      this.expected.shift();
      // Forgotten, or every reconnect would be refused the same way.
      if (head.on) for (const n of head.names) this.wanted[head.kind].delete(this.keyOf(n));
      head.reject(reply);
      return true;
    }
    return false;
  }

  /** A pub/sub frame (push or RESP2 array); false when it is not one. */
  private onFrame(frame: RespValue[]): boolean {
    const type = text(frame[0]);
    switch (type) {
      case 'message':
      case 'smessage':
        this.deliver({ type, channel: frame[1] as S, pattern: null, data: frame[2] as S });
        return true;
      case 'pmessage':
        this.deliver({ type, pattern: frame[1] as S, channel: frame[2] as S, data: frame[3] as S });
        return true;
    }
    const c = CONFIRMATIONS[type];
    if (c === undefined) return false;
    this.lastActivity = Date.now();
    const head = this.expected[0];
    if (head !== undefined && head.kind === c.kind && head.on === c.on) {
      if (--head.left === 0) {
        this.expected.shift();
        head.resolve();
      }
    } else if (!c.on && frame[1] !== null) {
      // Unsubscribed by the server itself (a shard channel's slot moved away): it is gone.
      this.wanted[c.kind].delete(this.keyOf(frame[1] as RedisKey));
    }
    const msg: SubscriptionMessage<S> = { type: type as SubscriptionMessage<S>['type'], channel: frame[1] as S, count: Number(frame[2]) };
    this.emit('subscription', msg);
    if (!this.ignoreSubscribeMessages) for (const s of this.streams) s.push(msg as M);
    return true;
  }

  private deliver(msg: PubSubMessage<S>): void {
    this.lastActivity = Date.now();
    this.emit('message', msg);
    for (const s of this.streams) s.push(msg as M);
  }
}

function noop(): void {}

// ---- keyspace notifications -------------------------------------------------------------------------

/** A keyspace notification: `event` (`set`, `del`, `expired`…) happened to `key` in database `db`. */
export interface KeyspaceEvent {
  db: number;
  key: string;
  event: string;
}

/** Settings of `keyspaceEvents()`: the database to watch and the notify-keyspace-events flags to set first. */
export interface KeyspaceEventsOptions {
  /** The database to watch. Default: the client's. */
  db?: number;
  /**
   * Set the server's `notify-keyspace-events` to this first (e.g. 'KA': keyspace events of every
   * class). Server-wide, so off by default: without it, the server must have been configured so.
   */
  notify?: string;
  /** See PubSubOptions. */
  healthCheckInterval?: number;
  maxBuffered?: number;
}

/** Reads a `__keyspace@<db>__:<key>` or `__keyevent@<db>__:<event>` message; null for anything else. */
export function parseKeyspaceNotification(msg: { channel: string | Buffer; data: string | Buffer }): KeyspaceEvent | null {
  const channel = typeof msg.channel === 'string' ? msg.channel : msg.channel.toString('utf8');
  const m = /^__key(space|event)@(\d+)__:/.exec(channel);
  if (m === null) return null;
  const rest = channel.slice(m[0].length);
  const data = typeof msg.data === 'string' ? msg.data : msg.data.toString('utf8');
  const db = Number(m[2]);
  return m[1] === 'space' ? { db, key: rest, event: data } : { db, key: data, event: rest };
}

/** Keyspace notifications as parsed events, on a subscriber of their own. */
export class KeyspaceEvents implements AsyncIterable<KeyspaceEvent> {
  /** The subscriber underneath: its events ('disconnected', 'resubscribed'…) apply here too. */
  readonly pubsub: PubSub<string>;

  /**
   * Buffers from the moment of subscription, not from the first `next()`: an event that happens
   * between `await client.keyspaceEvents()` and the start of the loop is not lost.
   */
  private readonly messages: AsyncIterableIterator<{ channel: string; data: string }>;

  /** @internal */
  constructor(pubsub: PubSub<string>) {
    this.pubsub = pubsub;
    this.messages = pubsub[Symbol.asyncIterator]() as AsyncIterableIterator<{ channel: string; data: string }>;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<KeyspaceEvent, void, undefined> {
    for await (const m of this.messages) {
      const e = parseKeyspaceNotification(m);
      if (e !== null) yield e;
    }
  }

  close(): Promise<void> {
    return this.pubsub.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** What keyspaceEvents() needs from its client. */
export interface KeyspaceHost extends PubSubHost {
  readonly connection: Connection;
  call(name: string, ...args: RedisArg[]): Promise<RespValue>;
}

/** Subscribes to `__keyspace@<db>__:<keyPattern>`; resolves once the subscription is confirmed. */
export async function openKeyspaceEvents(host: KeyspaceHost, keyPattern: string, options: KeyspaceEventsOptions = {}): Promise<KeyspaceEvents> {
  if (typeof keyPattern !== 'string') throw new DataError('keyspaceEvents: the key pattern must be a string');
  const db = options.db ?? host.connection.options.db ?? 0;
  if (!Number.isInteger(db) || db < 0) throw new DataError('keyspaceEvents: db must be an integer >= 0');
  if (options.notify !== undefined) await host.call('CONFIG', 'SET', 'notify-keyspace-events', options.notify);
  const pubsubOptions: PubSubOptions = {};
  if (options.healthCheckInterval !== undefined) pubsubOptions.healthCheckInterval = options.healthCheckInterval;
  if (options.maxBuffered !== undefined) pubsubOptions.maxBuffered = options.maxBuffered;
  const pubsub = new PubSub<string>(host, false, pubsubOptions);
  try {
    await pubsub.psubscribe(`__keyspace@${db}__:${keyPattern}`);
  } catch (e) {
    await pubsub.close();
    throw e instanceof RedisError ? e : new PubSubError(String(e));
  }
  return new KeyspaceEvents(pubsub);
}
