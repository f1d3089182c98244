import type { ConnectionOptions as TlsConnectOptions } from 'node:tls';
import type { RedisArg } from '../protocol/encoder.js';
import type { RespValue } from '../protocol/parser.js';
import type { Retry } from '../retry/retry.js';
import type { CredentialsOption } from '../auth/credentials.js';
import type { OcspMode } from './ocsp.js';
import type { EventDispatcher } from '../auth/events.js';

/** A server's TCP address. */
export interface ServerAddress {
  host: string;
  port: number;
}

/**
 * Where a connection should be, found out on every connect and reconnect: how the sentinel client
 * follows a primary that moves. Every connection made from options holding it (pools, spread
 * connections, duplicates) asks it too.
 */
export interface AddressResolver {
  /** The address to connect to now; it replaces host and port (and is written back to them). */
  resolve(): Promise<ServerAddress>;
  /**
   * Runs after the handshake, before any waiting command is written: rejects when the server reached
   * is not the one wanted (a demoted primary, or one that stopped being chosen meanwhile), and the
   * attempt then fails as a refused connect would. `send` writes one command on the new connection.
   */
  verify?(address: ServerAddress, send: (args: RedisArg[]) => Promise<RespValue>): Promise<void>;
}

/** Every `tls.connect` option is accepted; host/port/path come from the connection options. */
export type TlsOptions = Omit<TlsConnectOptions, 'host' | 'port' | 'path' | 'socket'> & {
  /**
   * Check the server's certificate by OCSP before anything is sent: `'responder'` asks the responder
   * the certificate names, `'stapled'` requires a response stapled to the handshake,
   * `'stapled-or-responder'` asks the responder when none was stapled. A failed check is an OCSPError.
   */
  ocsp?: OcspMode;
};

/** How to reach and set up one connection. All times are in milliseconds. */
export interface ConnectionOptions {
  /** Default '127.0.0.1'. Ignored when `path` is given. */
  host?: string;
  /** Default 6379. */
  port?: number;
  /** A Unix socket path: when given, host and port are not used. */
  path?: string;
  /** Asked for the address before every connect (sentinel discovery): overrides host and port. */
  resolver?: AddressResolver;
  /** `true` for TLS with Node's defaults, or any `tls.connect` options (ca, cert, key, servername…). */
  tls?: boolean | TlsOptions;

  username?: string;
  password?: string;
  /**
   * Who to authenticate as, instead of username/password: a static `{ username, password }`, or a
   * provider asked on every (re)connect. A streaming provider (TokenCredentialProvider) also makes
   * every live connection send AUTH with each renewal, without reconnecting.
   */
  credentials?: CredentialsOption;
  /**
   * Where this connection (and the pools, subscribers and cluster nodes made with these options)
   * reports connections made and released, credential renewals and re-authentications. Listen on it.
   */
  events?: EventDispatcher;
  /** Database to SELECT after connecting. Default 0. */
  db?: number;
  /** Sent with HELLO (or CLIENT SETNAME): shows in CLIENT LIST. */
  clientName?: string;
  /** Force RESP2 or RESP3. Default: RESP3 via HELLO 3, falling back to RESP2 on servers without HELLO. */
  protocol?: 2 | 3;
  /** Send READONLY after connecting (cluster replicas). */
  readonly?: boolean;
  /**
   * Arguments of `CLIENT TRACKING ON …` to send after connecting. Set by a CLIENT TRACKING command on
   * the client, so that a reconnect keeps tracking as it was.
   */
  tracking?: string[];
  /** Library name and version sent with CLIENT SETINFO. `false` sends neither. */
  clientInfo?: { libName?: string; libVersion?: string } | false;

  /** Time allowed for the socket to connect and the handshake to finish. Default 5 000. */
  connectTimeout?: number;
  /**
   * Time a command may wait for its reply, counted from when it is issued. A blocking command's own
   * block time is added. On expiry the command rejects with TimeoutError and the connection is
   * replaced, so a late reply is never matched to another command. 0 for no limit. Default 5 000
   * (redis-py 8's). Subscribers and MONITOR wait for messages without limit: it applies to replies.
   */
  commandTimeout?: number;
  /** TCP keepalive: `false` to turn off, or the initial delay. Default 5 000. */
  keepAlive?: number | false;
  /** TCP_NODELAY. Default true. */
  noDelay?: boolean;
  /** Send a PING before a command when the connection has been idle this long. Default 0 (off). */
  healthCheckInterval?: number;
  /**
   * Replace a connection once it has been open this long (plus up to a tenth, at random, and one
   * connection of the process at a time, so that connections made together are not replaced
   * together): no command is lost, since commands issued
   * meanwhile wait for the new socket and the old one delivers every reply it owes. A pool closes its
   * aged connections when they are free. Subscribers and monitors are not renewed. 0 (default): never.
   */
  maxConnectionAge?: number;

  /**
   * How to reconnect after the connection breaks: the backoff between attempts and how many to make.
   * `false` never reconnects. Default: exponential backoff with jitter (50 ms up to 2 s), no limit.
   */
  reconnect?: Retry | false;
  /**
   * Which commands to send again after a failure, and how often. Only errors the policy names are
   * retried (by default ConnectionError and TimeoutError). Default: none: a command in flight when
   * a connection breaks is rejected, never silently re-sent.
   */
  retry?: Retry;
  /**
   * Keep the stack of the code that issued each command, so that an error reply (WRONGTYPE…) points
   * at the caller's line rather than at the socket's read loop. Costs a stack capture per command.
   * Default false.
   */
  captureStack?: boolean;
  /** Queue commands issued while disconnected until the connection is back. Default true. */
  enableOfflineQueue?: boolean;
  /** At most this many commands wait in the offline queue; past it they are rejected. Default 100 000. */
  offlineQueueLimit?: number;
  /**
   * Commands waiting in the offline queue are rejected after this many failed reconnect attempts
   * in a row, so a lasting outage surfaces as errors instead of hanging calls. Default 20.
   */
  maxOfflineAttempts?: number;
}

/** What a URL adds on top of connection options: settings that belong to the client or pool. */
export interface UrlOptions extends ConnectionOptions {
  /** Pool size (from `max_connections`). */
  maxConnections?: number;
}
