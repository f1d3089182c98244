import { EventEmitter } from 'node:events';
import { ClientCache, type CacheOptions } from '../cache/cache.js';
import { installHitShortcuts } from '../cache/shortcuts.js';
import { Connection, describe, type ConnectionEvents, type ConnectionState, type SendOptions } from '../connection/connection.js';
import type { ConnectionOptions } from '../connection/options.js';
import { parseUrl } from '../connection/url.js';
import { validateClientOptions } from '../connection/validate.js';
import { inspectAs, redacted } from '../connection/redact.js';
import { inspect, type InspectOptionsStylized } from 'node:util';
import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import type { RespValue } from '../protocol/parser.js';
import type { MethodDef, PromiseCtx, RedisKey } from '../commands/command.js';
import { coreMethods, type CoreCommands } from '../commands/index.js';
import { installCommands } from '../commands/registry.js';
import { installIterators, type IteratorMethods } from './iterators.js';
import { Flag } from '../commands/command.js';
import { lookup } from '../commands/registry.js';
import { ConnectionError, InvalidResponse, TimeoutError } from '../errors.js';
import { blockingMs, blockingMsOfArgv } from '../pool/blocking.js';
import { ClientPools, leastLoaded, type ClientPoolSettings, type IsolatedClient } from '../pool/client-pools.js';
import type { ConnectionPool } from '../pool/pool.js';
import { Session } from '../pool/session.js';
import { isSessionCommand, rememberSession, sharedConnectionMisuse } from './session-state.js';
import { Pipeline, type BatchTarget } from './pipeline.js';
import { Script, type ScriptOptions } from './script.js';
import { Multi, runTransaction, type TransactionOptions, type TransactionResult, type TransactionScope } from './transaction.js';
import { Lock, type LockOptions } from './lock.js';
import { Monitor, type MonitorOptions } from './monitor.js';
import {
  PubSub,
  openKeyspaceEvents,
  type KeyspaceEvents,
  type KeyspaceEventsOptions,
  type PubSubMessage,
  type PubSubOptions,
  type SubscriptionMessage,
} from './pubsub.js';

/** Everything `createClient()` / `new Redis()` accepts: the connection, its pool, caching, retry and credentials. */
export interface ClientOptions extends ConnectionOptions, ClientPoolSettings {
  /** A redis://, rediss:// or unix:// URL; explicit options override what it says. */
  url?: string;
  /**
   * Client-side caching: replies of read-only deterministic commands kept in the client, dropped
   * when the server invalidates their keys (RESP2: through a second connection). `true` for the defaults. See CacheOptions.
   */
  cache?: CacheOptions | true;
}

/** A connection lent out by `leaseConnection()`. */
export interface Lease {
  readonly connection: Connection;
  /** Gives the connection back; `discard` when its state is unknown (mid-transaction, subscribed…). */
  release(discard?: boolean): void;
}

/** Per-call settings carried by a view of the client (`withTimeout`, `withBuffers`). */
interface CallSettings {
  timeout: number | undefined;
  buffers: boolean;
}

function resolveOptions(urlOrOptions?: string | ClientOptions): ConnectionOptions {
  if (urlOrOptions === undefined) return {};
  if (typeof urlOrOptions === 'string') return parseUrl(urlOrOptions);
  if (typeof urlOrOptions !== 'object' || urlOrOptions === null || Array.isArray(urlOrOptions)) {
    throw new DataError('client options must be a URL string or an options object');
  }
  const { url, ...rest } = validateClientOptions(urlOrOptions);
  return url === undefined ? rest : { ...parseUrl(url), ...rest };
}

/** Extra time a blocking command gets past its block time: the server's timer tick, and some. */
const BLOCK_SLACK_MS = 200;

const MODE_CHANGING = new Set(['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE', 'MONITOR']);

/** Session commands that would turn off or redirect the cache's tracking (RESET and HELLO end it). */
const CACHE_REFUSED = new Set(['client|tracking', 'client|caching', 'reset', 'hello']);

const FORWARDED: Array<keyof ConnectionEvents> = ['connect', 'ready', 'reconnecting', 'close', 'end'];

/**
 * The standalone client: one multiplexed connection, every command as a method.
 * `S` is what bulk strings come back as: string, or Buffer for a `withBuffers()` view.
 */
export class RedisClient<S extends string | Buffer = string> extends EventEmitter<ConnectionEvents> {
  readonly connection: Connection;
  /** The client-side cache (the `cache` option), or null. */
  readonly cache: ClientCache | null = null;
  private readonly settings: CallSettings = { timeout: undefined, buffers: false };

  constructor(urlOrOptions?: string | ClientOptions) {
    super();
    const { cache, ...options } = resolveOptions(urlOrOptions) as ConnectionOptions & { cache?: CacheOptions | true };
    if (cache !== undefined) {
      if (options.tracking !== undefined) throw new DataError('client option cache: the cache runs its own CLIENT TRACKING; leave out the tracking option');
      this.cache = new ClientCache(cache === true ? {} : cache);
    }
    this.connection = new Connection(options);
    if (this.cache !== null) {
      this.cache.attach(this.connection);
      installHitShortcuts(this);
      const cache = this.cache;
      // A write on another connection is reported by the server later than its reply comes: the
      // client must not serve its own write's old value meanwhile.
      this.pools.onConnection = (conn) => cache.watchWrites(conn);
    }
    for (const event of FORWARDED) {
      this.connection.on(event, (...args: unknown[]) => (this.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args));
    }
    // 'error' is passed on only to someone listening, so a client nobody watches cannot crash the process.
    this.connection.on('error', (err) => {
      if (this.listenerCount('error') > 0) this.emit('error', err);
    });
    this.connection.on('push', (push) => this.emit('push', push));
  }

  [inspect.custom](depth: number, opts: InspectOptionsStylized): string {
    const o = this.connection.options;
    return inspectAs('RedisClient', { address: describe(o), status: this.status, db: o.db ?? 0, options: redacted(o) }, depth, opts);
  }

  /** A client from a URL; `overrides` win over what the URL says. */
  static fromUrl(url: string, overrides?: Omit<ClientOptions, 'url'>): RedisClient {
    return new RedisClient({ ...overrides, url });
  }

  /**
   * A new client with this one's options, as they are now (a SELECT or CLIENT SETNAME since included):
   * its own connection, for a subscriber, a long blocking loop or a second worker.
   */
  duplicate(overrides?: Omit<ClientOptions, 'url'>): RedisClient {
    return new RedisClient({ ...this.connection.options, ...overrides });
  }

  get status(): ConnectionState {
    return this.connection.state;
  }

  /** Connects and finishes the handshake. Commands issued before this resolves wait for it. */
  async connect(): Promise<this> {
    await this.connection.connect();
    return this;
  }

  /** Sends any command as it is, without a reply transform: the escape hatch for unknown commands. */
  call(name: string, ...args: RedisArg[]): Promise<RespValue> {
    if (typeof name !== 'string' || name === '') return Promise.reject(new DataError('call: the command name must be a non-empty string'));
    const argv: RedisArg[] = name.includes(' ') ? [...name.split(' '), ...args] : [name, ...args];
    const upper = String(argv[0]).toUpperCase();
    if (MODE_CHANGING.has(upper)) {
      // Their replies arrive as a stream of messages, not one reply: the multiplexed connection
      // would wait forever or mismatch every later reply.
      return Promise.reject(new DataError(`${upper} switches the connection into another mode: use pubsub() or monitor()`));
    }
    if (this.isolation === null) {
      const misuse = sharedConnectionMisuse(argv);
      if (misuse !== null) return Promise.reject(new DataError(misuse));
    }
    const info = lookup(argv);
    if (this.cache !== null && info !== undefined && (info.flags & Flag.CONNSTATE) !== 0) return this.sendCached(this.cache, { info, build: () => argv }, argv) as Promise<RespValue>;
    // A session command takes the methods' path, which remembers it for reconnects and applies it to
    // every connection of a spread client.
    if (info !== undefined && isSessionCommand(info.id)) return this.sendCommand({ info, build: () => argv }, argv) as Promise<RespValue>;
    return this.routeCall(argv);
  }

  /** @internal Sends a command built by a method of the command table. */
  sendCommand(def: MethodDef, argv: RedisArg[]): Promise<unknown> {
    if (this.cache !== null) return this.sendCached(this.cache, def, argv);
    return this.sendUncached(def, argv);
  }

  /**
   * The cache's path: a cacheable read on the tracked connection is served by the cache. SELECT
   * flushes it when sent and again when answered, so that no read whose db was in doubt is kept;
   * what would end the tracking the cache relies on is refused.
   */
  private sendCached(cache: ClientCache, def: MethodDef, argv: RedisArg[]): Promise<unknown> {
    const info = def.info;
    if ((info.flags & Flag.CONNSTATE) !== 0) {
      if (CACHE_REFUSED.has(info.id)) {
        return Promise.reject(new DataError(`${info.id.replace('|', ' ').toUpperCase()} would end the tracking this client's cache relies on`));
      }
      if (info.id !== 'select') return this.sendUncached(def, argv);
      const release = cache.hold();
      const p = this.sendUncached(def, argv);
      p.then(release, release);
      return p;
    }
    // Misses go on the tracked connection whatever the spreading: only its reads are tracked.
    if ((info.flags & Flag.CACHEABLE) !== 0 && this.isolation === null) {
      const conn = this.connection;
      const buffers = this.settings.buffers || def.binary === true;
      const hit = cache.hit(def, argv, conn, buffers);
      if (hit !== undefined) return hit;
      const p = cache.miss(def, argv, conn, buffers, this.sendOptions(undefined, def.binary === true), () => this.sendOn(conn, def, argv, undefined));
      if (p !== null) return p;
    }
    return this.sendUncached(def, argv);
  }

  /** @internal The cache's shortcut for `COMMAND key` methods: a hit found before any argv is built, or undefined. */
  cachedHit(def: MethodDef, key: string): Promise<unknown> | undefined {
    if (this.isolation !== null) return undefined;
    return this.cache!.hitSingle(def, key, this.connection, this.settings.buffers || def.binary === true);
  }

  private sendUncached(def: MethodDef, argv: RedisArg[]): Promise<unknown> {
    const info = def.info;
    const blockMs = info.blockMs === undefined ? undefined : info.blockMs(argv);
    // Blocking commands, spread clients and isolated views go through the pools; the rest straight out.
    if (this.isolation !== null || this.pools.spreading || blockMs !== undefined || (info.flags & Flag.BLOCKING) !== 0) {
      return this.routeCommand(def, argv, blockMs);
    }
    return this.sendOn(this.connection, def, argv, blockMs);
  }

  /** Sends on one connection with the client's retry policy, remembering what a reconnect must restore. */
  private sendOn(conn: Connection, def: MethodDef, argv: RedisArg[], blockMs: number | undefined): Promise<unknown> {
    const retry = conn.options.retry;
    const opts = this.sendOptions(blockMs, def.binary === true);
    const p = retry === undefined || retry.retries === 0
      ? conn.send(argv, def.transform, opts)
      : retry.callWithRetry(() => conn.send(argv, def.transform, opts));
    if ((def.info.flags & Flag.CONNSTATE) !== 0 && isSessionCommand(def.info.id)) {
      // Remembered once the server agreed, so that a reconnect restores the same session.
      return p.then((r) => {
        rememberSession(conn, def.info.id, argv);
        return r;
      });
    }
    return p;
  }

  /** @internal What a method returns when its arguments are refused. */
  invalidArguments(error: unknown): Promise<never> {
    return Promise.reject(error);
  }

  private sendOptions(blockMs: number | undefined, binary = false): SendOptions | undefined {
    const s = this.settings;
    let timeout = s.timeout;
    if (blockMs !== undefined) {
      // A blocking command may legitimately wait its block time (0: forever), and the server only
      // notices a block ran out on its next timer tick (100 ms at the default hz): give it that too.
      const base = timeout ?? this.connection.options.commandTimeout ?? 0;
      timeout = blockMs === 0 || base === 0 ? 0 : base + blockMs + BLOCK_SLACK_MS;
    }
    const buffers = s.buffers || binary;
    if (timeout === undefined && !buffers) return undefined;
    return { timeout, buffers };
  }

  private view<T extends string | Buffer>(settings: Partial<CallSettings>): RedisClient<T> {
    // A view shares everything (connection, listeners) and differs only in its call settings.
    const view = Object.create(this) as RedisClient<T>;
    Object.defineProperty(view, 'settings', { value: { ...this.settings, ...settings } });
    return view;
  }

  /** A view of this client whose bulk replies are Buffers. It shares this client's connection. */
  withBuffers(): RedisClient<Buffer> {
    return this.view<Buffer>({ buffers: true });
  }

  /** A view whose commands time out after `ms` (0: no limit), whatever the client's commandTimeout. */
  withTimeout(ms: number): RedisClient<S> {
    if (typeof ms !== 'number' || !(ms >= 0)) throw new DataError('withTimeout: ms must be a number >= 0');
    return this.view<S>({ timeout: ms });
  }

  /**
   * A connection of its own for work that must not share the multiplexed one (WATCH, blocking
   * commands, subscriptions). `release()` hands it back; `release(true)` discards it as dirty.
   */
  async leaseConnection(): Promise<Lease> {
    return this.pools.lease();
  }

  // ---- pools and isolation ----

  /** The connections besides the main one (lease pool, spread connections), made on first use. */
  private readonly pools = new ClientPools(
    () => this.connection,
    (err) => {
      if (this.listenerCount('error') > 0) this.emit('error', err);
    },
  );
  /** Set on the views `isolated()` makes: what was done to their leased connection. */
  protected readonly isolation: Session | null = null;

  /**
   * The pool this client leases connections from (blocking commands, `isolated()`, transactions):
   * a BlockingConnectionPool unless `pool.blocking` is false. Listen to its events here.
   */
  get pool(): ConnectionPool {
    return this.pools.pool;
  }

  /**
   * Runs `fn` with a client whose every command goes to one connection leased for it alone: for WATCH
   * and reads that must see one consistent session, or a run of blocking commands. The lease goes
   * back when `fn` settles: kept if the connection is clean (an open MULTI or WATCH is undone first),
   * closed if `fn` failed with a ConnectionError / TimeoutError or left it changed (SELECT, SUBSCRIBE,
   * replies still owed). The client passed to `fn` must not be used after that.
   */
  async isolated<T>(fn: (client: IsolatedClient<S>) => T | Promise<T>): Promise<T> {
    if (typeof fn !== 'function') throw new DataError('isolated: expects a callback');
    const lease = await this.pools.lease();
    const session = new Session();
    const view = Object.create(this) as RedisClient<S>;
    Object.defineProperty(view, 'connection', { value: lease.connection });
    Object.defineProperty(view, 'isolation', { value: session });
    Object.defineProperty(view, 'close', { value: () => Promise.reject(notOnIsolated()) });
    Object.defineProperty(view, Symbol.asyncDispose, { value: () => Promise.reject(notOnIsolated()) });
    Object.defineProperty(view, 'disconnect', {
      value: () => {
        throw notOnIsolated();
      },
    });
    let broken = false;
    try {
      return await fn(view);
    } catch (e) {
      broken = breaksConnection(e);
      throw e;
    } finally {
      session.released = true;
      const reusable = !broken && (await session.tidy(lease.connection));
      lease.release(!reusable);
    }
  }

  private routeCommand(def: MethodDef, argv: RedisArg[], blockMs: number | undefined): Promise<unknown> {
    const info = def.info;
    const session = this.isolation;
    if (session !== null) {
      if (session.released) return Promise.reject(releasedError());
      session.note(info.id, info.flags);
      return this.sendOn(this.connection, def, argv, blockMs);
    }
    const block = info.blockMs !== undefined ? blockMs : (info.flags & Flag.BLOCKING) !== 0 ? blockingMs(info, argv) : undefined;
    if (block !== undefined) return this.sendLeased(argv, def.transform, block);
    let conns: ReadonlyArray<Connection>;
    try {
      conns = this.pools.connections();
    } catch (e) {
      return Promise.reject(e);
    }
    if (conns.length === 1) return this.sendOn(conns[0]!, def, argv, blockMs);
    if (isSessionCommand(info.id)) return this.broadcast(def, argv, conns);
    return this.sendOn(leastLoaded(conns), def, argv, blockMs);
  }

  private routeCall(argv: RedisArg[]): Promise<RespValue> {
    const session = this.isolation;
    if (session !== null) {
      if (session.released) return Promise.reject(releasedError());
      session.noteArgv(argv);
      return this.connection.send(argv, undefined, this.sendOptions(blockingMsOfArgv(argv)));
    }
    const block = blockingMsOfArgv(argv);
    if (block !== undefined) return this.sendLeased(argv, undefined, block) as Promise<RespValue>;
    if (!this.pools.spreading) return this.connection.send(argv, undefined, this.sendOptions(undefined));
    let conns: ReadonlyArray<Connection>;
    try {
      conns = this.pools.connections();
    } catch (e) {
      return Promise.reject(e);
    }
    return leastLoaded(conns).send(argv, undefined, this.sendOptions(undefined));
  }

  /** A session setting must hold on every connection, or a command's db would depend on where it lands. */
  private broadcast(def: MethodDef, argv: RedisArg[], conns: ReadonlyArray<Connection>): Promise<unknown> {
    return Promise.all(conns.map((c) => this.sendOn(c, def, argv, undefined))).then((replies) => replies[0]);
  }

  /** A blocking command on a connection leased for it, so it stalls nobody; the lease ends with the reply. */
  private async sendLeased(argv: RedisArg[], transform: MethodDef['transform'], blockMs: number): Promise<unknown> {
    const lease = await this.pools.lease();
    let broken = true;
    try {
      const reply = await lease.connection.send(argv, transform, this.sendOptions(blockMs));
      broken = false;
      return reply;
    } catch (e) {
      broken = breaksConnection(e);
      throw e;
    } finally {
      lease.release(broken);
    }
  }

  /**
   * Moves every connection `which` picks (all by default) to where `options.resolver` now points, at
   * once: the sentinel client's answer to a failover. Multiplexed connections relocate (commands not
   * yet written follow them; replies in flight still come from the old server); pooled ones, whose
   * session cannot move (WATCH, a subscription, a blocking command), are closed and made anew.
   */
  relocate(which: (conn: Connection) => boolean = () => true): void {
    if (which(this.connection)) this.connection.relocate();
    this.pools.relocate(which);
  }

  /** Subscribers and monitors made from this client: they end when it closes. */
  private readonly dependents = new Set<() => Promise<void>>();

  /** @internal Used by subscribers and monitors: see OwnConnectionHost. */
  adopt(close: () => Promise<void>): () => void {
    this.dependents.add(close);
    return () => this.dependents.delete(close);
  }

  private closeDependents(): Promise<unknown> {
    const all = [...this.dependents];
    this.dependents.clear();
    return Promise.all(all.map((close) => close().catch(() => {})));
  }

  /**
   * Waits for the replies in flight, sends QUIT and closes the connection; subscribers, monitors and
   * keyspace event streams made from this client end too.
   */
  close(): Promise<void> {
    return Promise.all([this.closeDependents(), this.connection.close(), this.pools.close(), this.cache?.close()]).then(() => undefined);
  }

  /** Closes at once; commands in flight reject with ConnectionError. Subscribers and monitors end too. */
  disconnect(): void {
    void this.closeDependents();
    this.connection.disconnect();
    this.pools.disconnect();
    this.cache?.disconnect();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---- pipelines, transactions, pub/sub, scripts, locks, monitor ----

  /**
   * Where a pipeline or MULTI is written, whole: this client's connection and call settings. A batch
   * holding a blocking command gets a connection of its own, or it would stall every other caller.
   */
  private batchTarget(ownConnection: boolean, changesSession: boolean): BatchTarget | Promise<BatchTarget> {
    const options = (blockMs: number | undefined) => this.sendOptions(blockMs);
    if (this.isolation !== null) return { connection: this.connection, options };
    if (!ownConnection) {
      if (changesSession && this.cache !== null && (this.connection.options as ClientOptions).connections === undefined) {
        // Reads sent while the batch's SELECT is on its way may run in another db than their cache key says.
        const release = this.cache.holdForBatch();
        return { connection: this.connection, options, release: () => release() };
      }
      // A spread client puts each batch, whole, on its least loaded connection.
      if (!this.pools.spreading) return { connection: this.connection, options };
      try {
        const conns = this.pools.connections();
        if (changesSession && conns.length > 1) {
          // The batch lands on one connection; the others would keep the old db or name.
          throw new DataError('a pipeline or MULTI of a client spread over several connections cannot change the session (SELECT, CLIENT SETNAME, HELLO…): call the method on the client, which applies it to every connection');
        }
        return { connection: leastLoaded(conns), options };
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return this.leaseConnection().then((lease) => ({ connection: lease.connection, options, release: (dirty: boolean) => lease.release(dirty) }));
  }

  /** Commands chained and sent in one write, without MULTI; `exec()` resolves their results. */
  pipeline(): Pipeline<[], S> {
    return new Pipeline<[], S>((own, session) => this.batchTarget(own, session));
  }

  /** Commands chained and run as one MULTI … EXEC, written at once so nothing interleaves. */
  multi(): Multi<[], S> {
    return new Multi<[], S>((own, session) => this.batchTarget(own, session));
  }

  /**
   * Optimistic locking on a connection of its own: WATCH `options.watch`, run `fn` (read with `tx`,
   * return `tx.multi()` with the writes), EXEC; run again while a watched key changed in between.
   * `fn` may run several times.
   */
  transaction<R>(fn: (tx: TransactionScope<S>) => R | Promise<R>, options: TransactionOptions = {}): Promise<TransactionResult<R>> {
    return runTransaction(this, (blockMs) => this.sendOptions(blockMs), fn, options) as Promise<TransactionResult<R>>;
  }

  /** A Lua script run by SHA1 (EVALSHA), sent again by itself when the server lost it. */
  registerScript<R = RespValue>(lua: string | Buffer, options?: ScriptOptions<R>): Script<R> {
    return new Script<R>(this, lua, options);
  }

  /**
   * A subscriber on a connection of its own; it subscribes again by itself after a reconnect.
   * Messages come as 'message' events and through `for await (const m of sub)`.
   */
  pubsub(options?: PubSubOptions & { ignoreSubscribeMessages?: true }): PubSub<S, PubSubMessage<S>>;
  pubsub(options: PubSubOptions & { ignoreSubscribeMessages: false }): PubSub<S, PubSubMessage<S> | SubscriptionMessage<S>>;
  pubsub(options?: PubSubOptions): PubSub<S, PubSubMessage<S> | SubscriptionMessage<S>>;
  pubsub(options?: PubSubOptions): PubSub<S, PubSubMessage<S>> | PubSub<S, PubSubMessage<S> | SubscriptionMessage<S>> {
    return new PubSub<S, PubSubMessage<S> | SubscriptionMessage<S>>(this, this.settings.buffers, options);
  }

  /**
   * Keyspace notifications for keys matching `keyPattern`, parsed (`{ db, key, event }`); resolves
   * once subscribed. The server sends them only when `notify-keyspace-events` says so: pass
   * `notify` (e.g. 'KA') to set it, server-wide.
   */
  keyspaceEvents(keyPattern = '*', options?: KeyspaceEventsOptions): Promise<KeyspaceEvents> {
    return openKeyspaceEvents(this, keyPattern, options);
  }

  /** A distributed lock named `name` (redis-py's Lock); `acquire()` takes it. */
  lock(name: RedisKey, options?: LockOptions): Lock {
    return new Lock(this, name, options);
  }

  /** MONITOR on a connection of its own: each command the server runs, parsed; `stop()` ends it. */
  monitor(options?: MonitorOptions): Promise<Monitor> {
    return Monitor.open(this, options);
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface RedisClient<S extends string | Buffer = string> extends CoreCommands<PromiseCtx<S>>, IteratorMethods<S> {}

installCommands(RedisClient.prototype, coreMethods);

/** Errors after which a connection's state is unknown: it is closed, not lent again. */
function breaksConnection(e: unknown): boolean {
  return e instanceof ConnectionError || e instanceof TimeoutError || e instanceof InvalidResponse;
}

function releasedError(): ConnectionError {
  return new ConnectionError('this isolated client was released when its callback settled');
}

function notOnIsolated(): DataError {
  return new DataError('an isolated client is released when its callback settles; close the client it came from');
}
installIterators(RedisClient.prototype);

/** A client for a URL or options. It connects on `connect()` or on its first command. */
export function createClient(urlOrOptions?: string | ClientOptions): RedisClient {
  return new RedisClient(urlOrOptions);
}
