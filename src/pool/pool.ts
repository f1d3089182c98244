import { EventEmitter } from 'node:events';
import { Connection } from '../connection/connection.js';
import type { ConnectionOptions } from '../connection/options.js';
import { Queue } from '../connection/queue.js';
import { parseUrl } from '../connection/url.js';
import { validatePoolOptions } from '../connection/validate.js';
import { inspectAs, redacted, redactWhenInspected } from '../connection/redact.js';
import { inspect, type InspectOptionsStylized } from 'node:util';
import { ClientClosedError, DataError, MaxConnectionsError, PoolTimeoutError } from '../errors.js';
import type { PoolCloseReason, PoolEvents, PoolStats } from './events.js';
import { announcePool } from '../tracing.js';

/** How a pool sizes and tends its connections. All times are in milliseconds. */
export interface PoolOptions {
  /** Most connections the pool holds at once, lent out or not. Default 100 (as redis-py 8). */
  maxConnections?: number;
  /** A free connection unused this long is closed; 0 keeps free connections open. Default 30 000. */
  idleTimeout?: number;
  /**
   * A free connection idle at least this long is PINGed before it is lent out, and replaced if the
   * PING fails, so a lease does not start on a connection that died silently. 0 checks every time.
   * Default 5 000.
   */
  healthCheckAfter?: number;
}

/** A pool's options: how to reach the server (as for one connection, or a URL) and how to pool. */
export interface ConnectionPoolOptions extends ConnectionOptions, PoolOptions {
  /** A redis://, rediss:// or unix:// URL; explicit options override what it says. */
  url?: string;
}

/** A connection lent by `pool.lease()`: give it back with `release()` (or `using`). */
export interface PoolLease extends Disposable {
  readonly connection: Connection;
  /** Gives the connection back; `discard` closes it instead (its state is unknown or not clean). Idempotent. */
  release(discard?: boolean): void;
}

const DEFAULT_MAX_CONNECTIONS = 100;
const DEFAULT_IDLE_TIMEOUT = 30_000;
const DEFAULT_HEALTH_CHECK_AFTER = 5_000;
/** How long a discarded connection may finish the replies it still owes before it is cut. */
const DISCARD_GRACE = 1_000;

/** Options that configure the pool, not its connections. */
const POOL_KEYS = ['url', 'maxConnections', 'idleTimeout', 'healthCheckAfter', 'timeout'] as const;

/** A pooled connection and its bookkeeping. */
class Slot {
  leased = false;
  /** When it was last released (or created): the start of its idle time. */
  since: number;
  reason: PoolCloseReason | null = null;
  graceTimer: NodeJS.Timeout | null = null;
  constructor(readonly conn: Connection) {
    this.since = Date.now();
  }
}

/** A caller of acquire() waiting for a connection. */
class Waiter {
  /** In the queue (not yet claimed, expired, or served). */
  queued = true;
  /** Settled: served, rejected or expired. */
  done = false;
  timer: NodeJS.Timeout | null = null;
  readonly since = Date.now();
  constructor(
    readonly resolve: (conn: Connection) => void,
    readonly reject: (err: Error) => void,
  ) {}
}

function checkCount(name: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new DataError(`pool: ${name} must be an integer >= ${min}`);
  }
}

/**
 * A pool of connections, each lent to one user at a time: for what one multiplexed connection cannot
 * do (blocking commands, WATCH, subscriptions). Connections are made on demand up to
 * `maxConnections`, reused newest first (so the oldest go idle and are closed), health-checked on
 * the way out and closed, not reused, when they come back dirty.
 *
 * Asking for a connection while all `maxConnections` are lent out rejects with MaxConnectionsError;
 * a BlockingConnectionPool waits instead.
 *
 * Callers are served first come, first served: a connection that is released or newly made goes to
 * the longest-waiting caller, whoever asked for it to be made.
 */
export class ConnectionPool extends EventEmitter<PoolEvents> {
  /** What each new connection is made with. Pooled connections never reconnect: the pool replaces them. */
  readonly connectionOptions: ConnectionOptions;
  readonly maxConnections: number;
  readonly idleTimeout: number;
  readonly healthCheckAfter: number;

  /** Whether acquire() waits when every connection is lent out, and for how long (null: forever). */
  protected waitForRelease = false;
  protected waitTimeout: number | null = null;

  /** Every connection the pool holds open for use: the free ones and the lent ones. */
  private readonly slots = new Map<Connection, Slot>();
  /** Free connections, most recently released last. */
  private readonly free: Slot[] = [];
  /** Connections being closed: their sockets still count against the limit. */
  private readonly retiring = new Set<Slot>();
  private readonly waiters = new Queue<Waiter>();
  private liveWaiters = 0;
  private creating = 0;
  private closed = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private closeWaiters: Array<() => void> = [];

  constructor(options: ConnectionPoolOptions = {}) {
    super();
    if (typeof options !== 'object' || options === null) throw new DataError('pool options must be an object');
    options = validatePoolOptions(options);
    const merged: ConnectionPoolOptions = options.url === undefined ? { ...options } : { ...parseUrl(options.url), ...options };
    const max = merged.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    const idle = merged.idleTimeout ?? DEFAULT_IDLE_TIMEOUT;
    const health = merged.healthCheckAfter ?? DEFAULT_HEALTH_CHECK_AFTER;
    checkCount('maxConnections', max, 1);
    checkCount('idleTimeout', idle, 0);
    checkCount('healthCheckAfter', health, 0);
    this.maxConnections = max;
    this.idleTimeout = idle;
    this.healthCheckAfter = health;
    const conn: Record<string, unknown> = { ...merged };
    for (const key of POOL_KEYS) delete conn[key];
    this.connectionOptions = conn as ConnectionOptions;
    this.connectionOptions.events?.dispatch('poolCreated', () => ({ pool: this }));
    redactWhenInspected(this.connectionOptions);
    // Before a subclass's constructor has finished: a subscriber keeps the pool and reads it later.
    announcePool(this, 'open');
  }

  /** A pool for a URL (`max_connections` in its query sets maxConnections); `overrides` win. */
  static fromUrl(url: string, overrides?: ConnectionPoolOptions): ConnectionPool {
    return new ConnectionPool({ ...overrides, url });
  }

  [inspect.custom](depth: number, opts: InspectOptionsStylized): string {
    return inspectAs(this.constructor.name, { ...this.stats(), closed: this.closed, connectionOptions: redacted(this.connectionOptions) }, depth, opts);
  }

  /** Connections held, counting those being made and being closed. */
  get size(): number {
    return this.slots.size + this.creating + this.retiring.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  stats(): PoolStats {
    return {
      max: this.maxConnections,
      size: this.size,
      free: this.free.length,
      inUse: this.slots.size - this.free.length,
      creating: this.creating,
      closing: this.retiring.size,
      waiting: this.liveWaiters,
    };
  }

  // ---- lending ------------------------------------------------------------------------------------

  /**
   * A connection for the caller alone, connected and ready. Give it back with `release(conn)`.
   * Rejects with MaxConnectionsError when every connection is lent out (a BlockingConnectionPool waits,
   * then PoolTimeoutError), ClientClosedError after close(), or the connect error when a new one fails.
   */
  acquire(): Promise<Connection> {
    if (this.closed) return Promise.reject(new ClientClosedError('the pool is closed'));
    if (this.liveWaiters === 0) {
      // The common case, kept free of queueing: the newest free connection, used recently enough.
      const slot = this.free[this.free.length - 1];
      if (slot !== undefined && slot.conn.state === 'ready' && Date.now() - slot.since < this.healthCheckAfter && !this.aged(slot.conn)) {
        this.free.pop();
        slot.leased = true;
        this.emitAcquire(slot, 0);
        return Promise.resolve(slot.conn);
      }
    }
    // Could this caller be served without anyone releasing first: a free connection, room to make one,
    // or one being made that no earlier caller is waiting for?
    const servable = this.free.length > 0 || this.size < this.maxConnections || this.creating > this.liveWaiters;
    if (!servable && !this.waitForRelease) {
      return Promise.reject(new MaxConnectionsError(`all ${this.maxConnections} connections of the pool are in use`));
    }
    return new Promise<Connection>((resolve, reject) => {
      const w = new Waiter(resolve, reject);
      this.waiters.push(w);
      this.liveWaiters++;
      this.pump();
      if (!w.queued) return;
      if (this.waitForRelease && this.waitTimeout !== null) {
        w.timer = setTimeout(() => this.expire(w), this.waitTimeout);
      }
      if (this.liveWaiters > this.creating && this.listenerCount('waiting') > 0) {
        this.emit('waiting', { waiting: this.liveWaiters });
      }
    });
  }

  /**
   * Takes back a lent connection. It is kept for the next caller only if it is clean: ready, owing no
   * replies, not subscribed, on the pool's db and name; otherwise (or with `discard`) it is closed.
   * Releasing twice, or a connection the pool no longer holds, does nothing.
   */
  release(conn: Connection, discard = false): void {
    const slot = this.slots.get(conn);
    if (slot === undefined || !slot.leased) return;
    slot.leased = false;
    const dirty = discard || this.closed || !this.isClean(conn);
    if (this.listenerCount('release') > 0) {
      this.emit('release', { connection: conn, discarded: dirty, inUse: this.slots.size - this.free.length - 1 });
    }
    this.connectionOptions.events?.dispatch('connectionReleased', () => ({ connection: conn, discarded: dirty }));
    if (dirty) {
      this.retire(slot, this.closed ? 'closed' : 'dirty');
      return;
    }
    if (this.aged(conn)) {
      this.retire(slot, 'aged');
      this.pump();
      return;
    }
    slot.since = Date.now();
    this.free.push(slot);
    this.pump();
    this.armIdle();
  }

  /** `acquire()` wrapped in a lease whose `release()` may be called more than once (and `using` works). */
  async lease(): Promise<PoolLease> {
    return leaseOf(this, await this.acquire());
  }

  /** Open longer than maxConnectionAge: closed rather than lent again. */
  private aged(conn: Connection): boolean {
    const max = this.connectionOptions.maxConnectionAge ?? 0;
    return max > 0 && conn.age >= max;
  }

  private isClean(conn: Connection): boolean {
    const o = conn.options;
    const base = this.connectionOptions;
    return (
      conn.state === 'ready' &&
      !conn.busy &&
      conn.replyInterceptor === null &&
      conn.listenerCount('push') === 0 &&
      (o.db ?? 0) === (base.db ?? 0) &&
      o.clientName === base.clientName
    );
  }

  // ---- the queue ----------------------------------------------------------------------------------

  /** Serves queued callers with free connections, and starts making connections for the rest. */
  private pump(): void {
    while (this.liveWaiters > 0) {
      const slot = this.free.pop();
      if (slot !== undefined) {
        this.lend(slot, this.nextWaiter()!);
        continue;
      }
      if (this.creating < this.liveWaiters && this.size < this.maxConnections) {
        this.create();
        continue;
      }
      return;
    }
  }

  private nextWaiter(): Waiter | undefined {
    for (let w = this.waiters.shift(); w !== undefined; w = this.waiters.shift()) {
      if (!w.queued) continue; // expired while queued
      w.queued = false;
      this.liveWaiters--;
      return w;
    }
    return undefined;
  }

  /** Puts a caller back at the head of the queue after the connection meant for it failed its check. */
  private requeue(w: Waiter): void {
    if (w.done) return;
    w.queued = true;
    this.liveWaiters++;
    this.waiters.unshift(w);
  }

  private expire(w: Waiter): void {
    w.timer = null;
    if (w.done) return;
    w.done = true;
    if (w.queued) {
      w.queued = false;
      this.liveWaiters--;
      // Expired callers stay in the queue until passed over; with no one left, drop them all now.
      if (this.liveWaiters === 0) this.waiters.drain();
    }
    w.reject(
      new PoolTimeoutError(
        `no connection of the pool was free within ${this.waitTimeout} ms (${this.maxConnections} in use, ${this.liveWaiters} more waiting)`,
      ),
    );
  }

  private settle(w: Waiter): boolean {
    if (w.done) return false;
    w.done = true;
    if (w.timer !== null) {
      clearTimeout(w.timer);
      w.timer = null;
    }
    return true;
  }

  /** Lends a free connection to a caller, checking it first if it sat idle a while. */
  private lend(slot: Slot, w: Waiter): void {
    slot.leased = true;
    const conn = slot.conn;
    if (conn.state !== 'ready' || this.aged(conn)) {
      this.retire(slot, conn.state !== 'ready' ? 'broken' : 'aged');
      this.requeue(w);
      return;
    }
    if (Date.now() - slot.since < this.healthCheckAfter) {
      this.handOver(slot, w);
      return;
    }
    // The PING is bounded: a server that stopped answering must not hold the caller forever.
    const timeout = this.connectionOptions.connectTimeout ?? 10_000;
    conn.send(['PING'], undefined, { timeout }).then(
      () => {
        slot.since = Date.now();
        this.handOver(slot, w);
      },
      () => {
        this.retire(slot, 'unhealthy');
        this.requeue(w);
        this.pump();
      },
    );
  }

  private handOver(slot: Slot, w: Waiter): void {
    if (!this.settle(w) || this.closed) {
      // The caller gave up (or the pool closed) while the connection was being checked.
      slot.leased = false;
      if (this.closed) {
        this.retire(slot, 'closed');
        return;
      }
      this.free.push(slot);
      this.pump();
      this.armIdle();
      return;
    }
    this.emitAcquire(slot, Date.now() - w.since);
    w.resolve(slot.conn);
  }

  private emitAcquire(slot: Slot, waitedMs: number): void {
    if (this.listenerCount('acquire') > 0) {
      this.emit('acquire', { connection: slot.conn, waitedMs, inUse: this.slots.size - this.free.length });
    }
  }

  // ---- making and closing connections -------------------------------------------------------------

  private create(): void {
    this.creating++;
    const conn = new Connection({ ...this.connectionOptions, reconnect: false });
    conn.connect().then(
      () => {
        this.creating--;
        const slot = new Slot(conn);
        this.slots.set(conn, slot);
        conn.once('end', () => this.ended(slot));
        if (this.listenerCount('connectionCreated') > 0) this.emit('connectionCreated', { connection: conn, size: this.size });
        if (this.closed) {
          this.retire(slot, 'closed');
          return;
        }
        // Whoever waits longest gets it, not necessarily the caller that caused it to be made.
        this.free.push(slot);
        this.pump();
        this.armIdle();
      },
      (err: Error) => {
        this.creating--;
        const w = this.nextWaiter();
        if (w !== undefined && this.settle(w)) w.reject(err);
        this.pump();
        this.checkClosed();
      },
    );
  }

  /** Takes a connection out of use and closes it, letting it finish the replies it owes first. */
  private retire(slot: Slot, reason: PoolCloseReason): void {
    if (!this.slots.delete(slot.conn)) return;
    slot.reason = reason;
    const i = this.free.indexOf(slot);
    if (i !== -1) this.free.splice(i, 1);
    this.retiring.add(slot);
    const conn = slot.conn;
    if (conn.busy) {
      // A blocking command left running could hold a graceful close forever.
      slot.graceTimer = setTimeout(() => conn.disconnect(), DISCARD_GRACE);
      slot.graceTimer.unref();
    }
    conn.close().catch(() => conn.disconnect());
  }

  /**
   * Closes the connections `which` picks, lent or not, each after the replies it owes (a blocking
   * command gets a short grace), for when the server they lead to is no longer the one wanted. Later
   * commands on a lent one are refused; its release does nothing. New connections are made as usual.
   */
  retireWhere(which: (conn: Connection) => boolean): void {
    for (const slot of [...this.slots.values()]) if (which(slot.conn)) this.retire(slot, 'moved');
  }

  /** A pooled connection has ended: closed by the pool, or broken on its own. */
  private ended(slot: Slot): void {
    if (slot.graceTimer !== null) clearTimeout(slot.graceTimer);
    if (this.slots.delete(slot.conn)) {
      const i = this.free.indexOf(slot);
      if (i !== -1) this.free.splice(i, 1);
    } else {
      this.retiring.delete(slot);
    }
    if (this.listenerCount('connectionClosed') > 0) {
      this.emit('connectionClosed', { connection: slot.conn, reason: slot.reason ?? 'broken' });
    }
    // Room for one more connection, for whoever waits.
    this.pump();
    this.checkClosed();
  }

  private armIdle(): void {
    if (this.idleTimeout === 0 || this.idleTimer !== null || this.free.length === 0 || this.closed) return;
    // The free list is ordered by release time, so its first entry is the next to go idle.
    const due = this.free[0]!.since + this.idleTimeout - Date.now();
    this.idleTimer = setTimeout(() => this.reapIdle(), Math.max(0, due));
    this.idleTimer.unref();
  }

  private reapIdle(): void {
    this.idleTimer = null;
    const now = Date.now();
    while (this.free.length > 0 && now - this.free[0]!.since >= this.idleTimeout) this.retire(this.free[0]!, 'idle');
    this.armIdle();
  }

  // ---- closing ------------------------------------------------------------------------------------

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    announcePool(this, 'close');
    if (this.idleTimer !== null) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    for (let w = this.nextWaiter(); w !== undefined; w = this.nextWaiter()) {
      if (this.settle(w)) w.reject(new ClientClosedError('the pool was closed while waiting for a connection'));
    }
  }

  /**
   * Closes every connection, lent or not, each after the replies it owes (as a client's close() does);
   * resolves when all have closed. Waiting and later callers are refused, and so are later commands
   * on a connection still lent out.
   */
  close(): Promise<void> {
    this.shutdown();
    for (const slot of [...this.slots.values()]) this.retire(slot, 'closed');
    return new Promise((resolve) => {
      this.closeWaiters.push(resolve);
      this.checkClosed();
    });
  }

  /** Closes every connection at once, lent or not: what they carry rejects with ConnectionError. */
  disconnect(): void {
    this.shutdown();
    for (const slot of [...this.slots.values()]) {
      this.slots.delete(slot.conn);
      slot.reason = 'closed';
      this.retiring.add(slot);
    }
    this.free.length = 0;
    for (const slot of [...this.retiring]) slot.conn.disconnect();
  }

  private checkClosed(): void {
    if (!this.closed || this.slots.size > 0 || this.creating > 0 || this.retiring.size > 0) return;
    const waiters = this.closeWaiters;
    this.closeWaiters = [];
    for (const resolve of waiters) resolve();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** A lease on a connection acquired from `pool`: its release works once, whoever calls it twice. */
export function leaseOf(pool: ConnectionPool, connection: Connection): PoolLease {
  let released = false;
  const release = (discard = false): void => {
    if (released) return;
    released = true;
    pool.release(connection, discard);
  };
  return { connection, release, [Symbol.dispose]: () => release() };
}
