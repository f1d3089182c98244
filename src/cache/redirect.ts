/**
 * RESP2 caching: a RESP2 connection cannot receive push messages, so the server sends a tracked
 * connection's invalidations to another client (CLIENT TRACKING ... REDIRECT <id>), which hears
 * them as pub/sub messages on `__redis__:invalidate`.
 *
 * Two sockets mean two ways to lose an invalidation: the data connection reconnects (its tracking
 * is gone) or the invalidation connection does (what the server sent it meanwhile is gone, and the
 * data connection's REDIRECT now names a client that no longer exists). Either way the cache is
 * flushed at once and held (nothing stored) until the invalidation connection is subscribed again
 * and the data connection's tracking has been pointed at it, as confirmed by the server.
 */
import { Connection } from '../connection/connection.js';
import type { ConnectionOptions } from '../connection/options.js';
import { ResponseError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import type { RespValue } from '../protocol/parser.js';

/** The channel the server publishes redirected invalidations on. */
const CHANNEL = '__redis__:invalidate';

/** What the redirect needs of the cache: its tracking arguments, invalidations, and holds. */
export interface RedirectTarget {
  trackingArgs(): RedisArg[];
  onPush(push: RespValue[]): void;
  hold(): () => void;
  flush(reason: 'disconnect'): void;
  emitError(err: Error): void;
}

/** The options of the invalidation connection: the data connection's, less what belongs to it alone. */
function listenerOptions(o: ConnectionOptions): ConnectionOptions {
  const copy: Record<string, unknown> = { ...o, protocol: 2 };
  for (const k of ['tracking', 'cache', 'connections', 'pool', 'url', 'db']) delete copy[k];
  return copy as ConnectionOptions;
}

function sameAddress(a: ConnectionOptions, b: ConnectionOptions): boolean {
  return a.path === b.path && a.host === b.host && a.port === b.port;
}

/** The invalidation connection of one tracked RESP2 connection, and the REDIRECT that points at it. */
export class InvalidationRedirect {
  readonly listener: Connection;
  /** The listener's client id while it is subscribed; null while it is not. */
  private redirectId: number | null = null;
  /** Ends the current hold; null while the cache may store. */
  private release: (() => void) | null = null;
  /** Moves on with every (re)subscription and break of the listener: a CLIENT ID from before one is stale. */
  private listenerGen = 0;
  /** Moves on with every break of either connection and every pointing: only the last pointing may end the hold. */
  private pointGen = 0;
  private closed = false;
  /** The listener's id while the data connection's tracking points at it and the hold is over. */
  pointedAt: number | null = null;

  constructor(
    private readonly data: Connection,
    private readonly cache: RedirectTarget,
  ) {
    this.listener = new Connection(listenerOptions(data.options));
    const l = this.listener;
    l.replyInterceptor = (reply) => this.intercept(reply);
    // AUTH cannot be sent on a subscribed RESP2 connection; the next reconnect uses the new credentials.
    l.reauthHandler = () => true;
    this.holdNow();
    l.on('close', () => {
      this.listenerGen++;
      this.redirectId = null;
      this.broken();
    });
    l.on('ready', () => this.subscribe());
    l.on('error', (err) => this.cache.emitError(err));
    data.on('close', () => this.broken());
    // Opened with the data connection, not before: a client connects on its first use.
    data.on('connect', () => this.start());
    data.on('ready', () => {
      this.start();
      this.point();
    });
  }

  /** Opens the invalidation connection unless it is open or on its way (its first connect may have failed). */
  private start(): void {
    if (this.closed || this.listener.state !== 'idle') return;
    this.listener.connect().catch((e: unknown) => {
      if (!this.closed) this.cache.emitError(e as Error);
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return this.listener.close();
  }

  disconnect(): void {
    this.closed = true;
    this.listener.disconnect();
  }

  private intercept(reply: RespValue): boolean {
    if (!Array.isArray(reply) || reply.length !== 3 || reply[0] !== 'message' || reply[1] !== CHANNEL) return false;
    const keys = reply[2];
    // A null (FLUSHALL, FLUSHDB) flushes everything, as a RESP3 invalidation push with null does.
    this.cache.onPush(['invalidate', keys === undefined ? null : keys]);
    return true;
  }

  private holdNow(): void {
    this.release ??= this.cache.hold();
  }

  private broken(): void {
    this.pointGen++;
    this.pointedAt = null;
    // The flush is at once: whatever was kept may have missed an invalidation.
    this.cache.flush('disconnect');
    this.holdNow();
  }

  private subscribe(): void {
    const gen = ++this.listenerGen;
    this.redirectId = null;
    const l = this.listener;
    Promise.all([l.send(['CLIENT', 'ID']), l.send(['SUBSCRIBE', CHANNEL])]).then(
      ([id]) => {
        if (gen !== this.listenerGen || this.closed) return;
        this.redirectId = Number(id);
        this.point();
      },
      () => {
        // The listener broke meanwhile; its 'close' and next 'ready' start over.
      },
    );
  }

  /** Points the data connection's tracking at the listener; the hold ends once the server agreed. */
  private point(): void {
    if (this.closed || this.redirectId === null || this.listener.state !== 'ready' || this.data.state !== 'ready') return;
    if (!sameAddress(this.data.options, this.listener.options)) {
      // The data connection moved (a sentinel failover, a resolver): the listener follows it.
      this.listener.relocate();
      return;
    }
    const gen = ++this.pointGen;
    const id = this.redirectId;
    const on = [...this.cache.trackingArgs(), 'REDIRECT', id];
    // OFF first: tracking may still be on from before (a REDIRECT to a client gone), and ON again
    // with the same BCAST prefixes would be refused as overlapping.
    this.data.sendBatch([{ argv: ['CLIENT', 'TRACKING', 'OFF'], transform: undefined }, { argv: on, transform: undefined }]).then((r) => {
      if (gen !== this.pointGen || this.closed) return;
      if (r.failed[1]) {
        const e = r.values[1];
        // The server refused (NOPERM, a client id it no longer knows): the cache stays held, so it
        // serves nothing, rather than caching what no invalidation would reach.
        if (e instanceof ResponseError) this.cache.emitError(e);
        return;
      }
      this.pointedAt = id;
      const release = this.release;
      this.release = null;
      release?.();
    });
  }
}
