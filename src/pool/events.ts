/**
 * What a pool tells its listeners: redis-py's event dispatcher, in the shape Node users know (a typed
 * EventEmitter on the pool: `pool.on('acquire', (e) => …)`). Every payload is one object, so fields
 * can be added later without breaking listeners. Payloads are built only when someone listens.
 */
import type { Connection } from '../connection/connection.js';

/** Why the pool closed a connection. */
export type PoolCloseReason =
  /** Unused for longer than `idleTimeout`. */
  | 'idle'
  /** Came back in a state another user must not inherit (flagged by the releaser, busy, subscribed…). */
  | 'dirty'
  /** Failed its health check (PING) on the way out. */
  | 'unhealthy'
  /** The socket broke or the server closed it. */
  | 'broken'
  /** The pool was closed. */
  | 'closed'
  /** The server it leads to is no longer the one wanted (a sentinel saw a failover). */
  | 'moved'
  /** Open longer than `maxConnectionAge`. */
  | 'aged';

/** The events a connection pool emits (connections created, lent, returned, closed, callers waiting) for metrics and logs. */
export interface PoolEvents {
  /** A new connection is connected and handshaken. `size` counts every connection the pool holds. */
  connectionCreated: [event: { connection: Connection; size: number }];
  /** A connection was lent out, after `waitedMs` in the queue (0 when one was free). */
  acquire: [event: { connection: Connection; waitedMs: number; inUse: number }];
  /** A lent connection came back; `discarded` when it is being closed instead of kept. */
  release: [event: { connection: Connection; discarded: boolean; inUse: number }];
  /** A connection has closed (its socket is gone). */
  connectionClosed: [event: { connection: Connection; reason: PoolCloseReason }];
  /** A caller has to wait for a connection; `waiting` counts the callers queued, this one included. */
  waiting: [event: { waiting: number }];
}

/** A snapshot of a pool's counts. `size` = free + inUse + creating + closing, never above `max`. */
export interface PoolStats {
  readonly max: number;
  readonly size: number;
  /** Connected and not lent out. */
  readonly free: number;
  /** Lent out (or being health-checked on the way out). */
  readonly inUse: number;
  /** Being connected. */
  readonly creating: number;
  /** Being closed: still holding a socket, so still counted against `max`. */
  readonly closing: number;
  /** Callers queued for a connection. */
  readonly waiting: number;
}
