/**
 * The connections a client holds besides its main one: the pool it leases from (blocking commands,
 * `isolated()`, transactions) and, with `connections: N`, the other multiplexed connections it spreads
 * commands over. Made on first use, so a client that needs neither opens one socket.
 */
import { Connection } from '../connection/connection.js';
import type { ConnectionOptions } from '../connection/options.js';
import { DataError } from '../errors.js';
import type { RedisClient } from '../client/client.js';
import { BlockingConnectionPool } from './blocking-pool.js';
import { ConnectionPool, leaseOf, type PoolLease, type PoolOptions } from './pool.js';

/** The `pool` option of a client. */
export interface ClientPoolOptions extends PoolOptions {
  /**
   * How long a lease waits for a connection when all `maxConnections` are lent out (ms), then
   * PoolTimeoutError; `null` waits forever. Default 20 000.
   */
  timeout?: number | null;
  /** `false`: fail at once with MaxConnectionsError instead of waiting. Default true. */
  blocking?: boolean;
  /** The name the pool's connections show in CLIENT LIST. Default: the client's `clientName`. */
  clientName?: string;
}

/** The client options read here; they ride along in the main connection's options. */
export interface ClientPoolSettings {
  /** The pool leased from for blocking commands, `isolated()` and transactions. */
  pool?: ClientPoolOptions;
  /**
   * Multiplexed connections to spread commands over, each command going to the one with the fewest
   * replies pending. Default 1. Commands not awaited one after the other may then run in any order.
   */
  connections?: number;
}

/**
 * The client as seen through `isolated()`: every command runs on the leased connection. It cannot
 * be closed; the lease ends when the callback settles.
 */
export type IsolatedClient<S extends string | Buffer = string> = Omit<
  RedisClient<S>,
  'close' | 'disconnect' | 'connect' | typeof Symbol.asyncDispose
>;

/** Keys of the client options that are not connection options. */
const CLIENT_ONLY = ['url', 'pool', 'connections'] as const;

function connectionOptionsOf(options: ConnectionOptions): ConnectionOptions {
  const copy: Record<string, unknown> = { ...options };
  for (const key of CLIENT_ONLY) delete copy[key];
  return copy as ConnectionOptions;
}

/** The connection owing the fewest replies; the first one when several owe none, so light use stays ordered. */
export function leastLoaded(conns: ReadonlyArray<Connection>): Connection {
  let best = conns[0]!;
  let load = best.inflightCount + best.offlineCount;
  for (let i = 1; i < conns.length && load > 0; i++) {
    const c = conns[i]!;
    const l = c.inflightCount + c.offlineCount;
    if (l < load) {
      best = c;
      load = l;
    }
  }
  return best;
}

export class ClientPools {
  /**
   * False once the client is known to have a single connection: the client's hot path reads this
   * one field to skip everything here. True until the first command settles it.
   */
  spreading = true;
  private spread: Connection[] | null = null;
  private leasePool: ConnectionPool | null = null;
  private closing: Promise<void> | null = null;
  /** Told of every connection made here (spread or pooled): the client-side cache watches their writes. */
  onConnection: ((conn: Connection) => void) | null = null;

  constructor(
    private readonly main: () => Connection,
    private readonly onError: (err: Error) => void,
  ) {}

  private settings(): ClientPoolSettings {
    return this.main().options as ConnectionOptions & ClientPoolSettings;
  }

  /** The connections commands may go to: the main one, or all N of a spread client. */
  connections(): ReadonlyArray<Connection> {
    if (this.spread !== null) return this.spread;
    const main = this.main();
    const n = this.settings().connections ?? 1;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
      throw new DataError('client option connections must be an integer >= 1');
    }
    const conns = [main];
    if (n > 1 && main.state !== 'closed' && main.state !== 'closing') {
      const options = connectionOptionsOf(main.options);
      for (let i = 1; i < n; i++) {
        const conn = new Connection(options);
        conn.on('error', (err) => this.onError(err));
        this.onConnection?.(conn);
        conn.connect().catch(() => {});
        conns.push(conn);
      }
    }
    this.spread = conns;
    this.spreading = conns.length > 1;
    return conns;
  }

  /** The pool leases come from, made on first use from the client's options. */
  get pool(): ConnectionPool {
    if (this.leasePool !== null) return this.leasePool;
    const main = this.main();
    const o = this.settings().pool ?? {};
    if (typeof o !== 'object' || o === null) throw new DataError('client option pool must be an object');
    const { blocking, timeout, clientName, ...poolOptions } = o;
    // A leased connection is one session: a command retried elsewhere would leave it, so no retry policy.
    const options: ConnectionOptions = { ...connectionOptionsOf(main.options), ...poolOptions };
    delete options.retry;
    if (clientName !== undefined) options.clientName = clientName;
    this.leasePool = blocking === false ? new ConnectionPool(options) : new BlockingConnectionPool({ ...options, timeout });
    const told = this.onConnection;
    if (told !== null) this.leasePool.on('connectionCreated', (e) => told(e.connection));
    if (this.closing !== null) void this.leasePool.close();
    return this.leasePool;
  }

  /** A lease on the client's current db: a SELECT on the client moves its leases along. */
  async lease(): Promise<PoolLease> {
    const pool = this.pool;
    const db = this.main().options.db ?? 0;
    const base = pool.connectionOptions as { db?: number };
    if ((base.db ?? 0) !== db) base.db = db;
    for (;;) {
      const conn = await pool.acquire();
      if ((conn.options.db ?? 0) === db) return leaseOf(pool, conn);
      pool.release(conn, true);
    }
  }

  /**
   * Moves the connections `which` picks to where their resolver now points: spread connections
   * relocate (queued commands follow them), pooled ones are closed and made again on demand.
   */
  relocate(which: (conn: Connection) => boolean): void {
    const main = this.main();
    for (const c of this.spread ?? []) if (c !== main && which(c)) c.relocate();
    this.leasePool?.retireWhere(which);
  }

  /** Closes the other connections and the pool, each after the replies it owes. */
  close(): Promise<void> {
    if (this.closing !== null) return this.closing;
    const main = this.main();
    const others = (this.spread ?? []).filter((c) => c !== main);
    this.closing = Promise.all([...others.map((c) => c.close()), this.leasePool?.close()]).then(() => {});
    return this.closing;
  }

  disconnect(): void {
    const main = this.main();
    for (const c of this.spread ?? []) if (c !== main) c.disconnect();
    this.leasePool?.disconnect();
    this.closing ??= Promise.resolve();
  }
}
