/**
 * The event dispatcher (redis-py's EventDispatcher): one typed emitter that connections, pools and
 * subscribers report to, and that re-authentication runs on. A streaming credential provider is
 * subscribed once per dispatcher, not once per connection: its renewals become `credentialsRenewed`
 * events, and every connection using the dispatcher re-authenticates from that event.
 *
 * Pass one as the `events` option to a client, pool or cluster to listen; without one, connections
 * that share a streaming provider share a dispatcher of the library's own.
 */
import { EventEmitter } from 'node:events';
import { inspect } from 'node:util';
import type { Connection } from '../connection/connection.js';
import type { Credentials, StreamingCredentialProvider } from './credentials.js';

/** A streaming provider gave new credentials. `credentials` is not enumerable, so logging the event shows no secret. */
export interface CredentialsRenewedEvent {
  readonly provider: StreamingCredentialProvider;
  readonly username: string | undefined;
  readonly credentials: Credentials;
}

/** The events a dispatcher carries; every payload is one object, built only when someone listens (except those re-authentication needs). */
export interface RedwireEvents {
  /** A connection finished its handshake: a new one, or one back after a reconnect (`reconnect`). */
  connectionCreated: [event: { connection: Connection; reconnect: boolean }];
  /** A pooled connection came back to its pool; `discarded` when the pool closes it instead of keeping it. */
  connectionReleased: [event: { connection: Connection; discarded: boolean }];
  /** A connection pool was made with these options. */
  poolCreated: [event: { pool: object }];
  /** A subscriber took a connection for pub/sub. */
  pubsubConnectionCreated: [event: { connection: Connection }];
  /** A streaming provider renewed its credentials; connections re-authenticate from this event. */
  credentialsRenewed: [event: CredentialsRenewedEvent];
  /** A streaming provider failed; `expired` says the last credentials ran out with none to follow. */
  credentialsFailed: [event: { provider: StreamingCredentialProvider; error: Error; expired: boolean }];
  /** A live connection re-authenticated with renewed credentials (no reconnect). */
  reauthenticated: [event: { connection: Connection }];
  /** AUTH with renewed credentials was refused or could not be sent; the connection keeps its old login. */
  reauthFailed: [event: { connection: Connection; error: Error }];
}

/** Where connections, pools and subscribers report what happens to them, and what re-authentication listens to. */
export class EventDispatcher extends EventEmitter<RedwireEvents> {
  /** Providers this dispatcher relays, with how many connections listen and how to stop. */
  readonly #feeds = new Map<StreamingCredentialProvider, { users: number; stop: () => void }>();

  constructor() {
    super();
    // Every connection listens for renewals: a large pool is not a leak.
    this.setMaxListeners(0);
  }

  [inspect.custom](): string {
    return `EventDispatcher { providers: ${this.#feeds.size}, listeners: ${this.eventNames().reduce((n, e) => n + this.listenerCount(e), 0)} }`;
  }

  /** Emits only when someone listens: the payload is not built otherwise. */
  dispatch<K extends keyof RedwireEvents>(name: K, build: () => RedwireEvents[K][0]): void {
    if (this.listenerCount(name) > 0) (this.emit as (n: K, e: RedwireEvents[K][0]) => boolean)(name, build());
  }

  /**
   * Relays `provider`'s renewals and failures as events while at least one user watches; the
   * returned function ends this user's watch (the provider is unsubscribed after the last one).
   */
  watchCredentials(provider: StreamingCredentialProvider): () => void {
    let feed = this.#feeds.get(provider);
    if (feed === undefined) {
      const stop = provider.subscribe({
        onCredentials: (credentials) => {
          const event = { provider, username: credentials.username } as CredentialsRenewedEvent;
          Object.defineProperty(event, 'credentials', { value: credentials, enumerable: false });
          this.emit('credentialsRenewed', event);
        },
        onError: (error, expired) => this.emit('credentialsFailed', { provider, error, expired }),
      });
      feed = { users: 0, stop };
      this.#feeds.set(provider, feed);
    }
    const f = feed;
    f.users++;
    let watching = true;
    return () => {
      if (!watching) return;
      watching = false;
      if (--f.users === 0) {
        this.#feeds.delete(provider);
        f.stop();
      }
    };
  }
}

const shared = new WeakMap<StreamingCredentialProvider, EventDispatcher>();

/** The dispatcher connections share for a provider when no `events` option was given. */
export function sharedDispatcher(provider: StreamingCredentialProvider): EventDispatcher {
  let d = shared.get(provider);
  if (d === undefined) {
    d = new EventDispatcher();
    shared.set(provider, d);
  }
  return d;
}
