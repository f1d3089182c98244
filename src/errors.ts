/**
 * The error hierarchy. Client-side failures (a connection that broke, a timeout, bad arguments) and
 * server replies (a ResponseError subclass per error prefix) share the root `RedisError`, so one
 * `catch (e) { if (e instanceof RedisError) … }` covers everything this library throws.
 *
 * Errors never carry argument values: they may be passwords or personal data. They may carry the
 * command name, which is what a reader of a log needs to find the failing call.
 */

export class RedisError extends Error {
  /** The command that failed, upper case, when known (never its arguments). */
  declare command?: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

// ---- client side ----------------------------------------------------------------------------------

/** The connection could not be made, broke, or was closed while a command was in flight. */
export class ConnectionError extends RedisError {}

/** A connect or a command ran past its time limit. (A pool wait that does is a PoolTimeoutError.) */
export class TimeoutError extends RedisError {}

/** Arguments the client refuses before anything is sent: a wrong type, a missing value, a bad URL. */
export class DataError extends RedisError {}

/** The byte stream broke the RESP protocol. The connection it came from cannot be trusted any more. */
export class InvalidResponse extends RedisError {}

/** Why an OCSP check refused a server's certificate. */
export type OCSPFailure = 'revoked' | 'unknown' | 'unverifiable' | 'unavailable' | 'no-staple';

/**
 * The server's certificate failed its OCSP check (`tls.ocsp`): revoked, unknown to the responder, a
 * response that could not be verified, no responder reachable, or no stapled response. Nothing was
 * sent on the connection.
 */
export class OCSPError extends ConnectionError {
  /** What went wrong, for code; the message says it for people. */
  readonly reason: OCSPFailure;
  constructor(message: string, options?: { cause?: unknown; reason?: OCSPFailure }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    // A copy made to name a rejected command keeps the original's reason.
    this.reason = options?.reason ?? (options?.cause instanceof OCSPError ? options.cause.reason : 'unverifiable');
  }
}

/** A pool was asked for more connections than it may hold. */
export class MaxConnectionsError extends ConnectionError {}
/** Same condition under the name DESIGN.md and redis-py's docs use. */
export { MaxConnectionsError as PoolExhaustedError };

/** A blocking pool had no free connection within its timeout: a ConnectionError, as in redis-py. */
export class PoolTimeoutError extends ConnectionError {}

/** A command was issued on a client that was closed by the user. */
export class ClientClosedError extends ConnectionError {}

/**
 * No sentinel could name a usable primary: none knows the name, all say it is down, or none answered.
 * The message names every sentinel asked and what each said. (redis-py's MasterNotFoundError.)
 */
export class PrimaryNotFoundError extends ConnectionError {}
export { PrimaryNotFoundError as MasterNotFoundError };

/** No healthy replica is known and falling back to the primary is off. (redis-py's SlaveNotFoundError.) */
export class ReplicaNotFoundError extends ConnectionError {}
export { ReplicaNotFoundError as SlaveNotFoundError };

/** A watched key changed, or the watching connection broke, so the transaction did not run. */
export class WatchError extends RedisError {}

/** A lock could not be acquired, released or extended. */
export class LockError extends RedisError {}
/** The lock exists but its token is not ours: it expired and someone else may hold it. */
export class LockNotOwnedError extends LockError {}

/** Misuse of a pub/sub connection, or a pub/sub protocol failure. */
export class PubSubError extends RedisError {}

// ---- server side ----------------------------------------------------------------------------------

/** An error reply from the server. `message` is the server's text; `code` its first word. */
export class ResponseError extends RedisError {
  readonly code: string;
  constructor(message: string, code?: string) {
    super(message);
    this.code = code ?? firstWord(message);
  }
}

/** The key holds a value of another type than the command works on (WRONGTYPE). */
export class WrongTypeError extends ResponseError {}
/** EVALSHA named a script the server does not have loaded (NOSCRIPT). */
export class NoScriptError extends ResponseError {}
/** A write was sent to a read-only replica (READONLY), as happens right after a failover. */
export class ReadOnlyError extends ResponseError {}
/** The server is loading its dataset into memory (LOADING). */
export class BusyLoadingError extends ResponseError {}
/** EXEC was refused because a queued command was rejected (EXECABORT). */
export class ExecAbortError extends ResponseError {}
/** A multi-key command met keys of a slot that is being migrated (TRYAGAIN); retrying later succeeds. */
export class TryAgainError extends ResponseError {}
/** The cluster cannot serve the slot now, e.g. during a failover (CLUSTERDOWN). */
export class ClusterDownError extends ResponseError {}
/** A command's or transaction's keys hash to more than one cluster slot (CROSSSLOT), from the server or refused before sending. */
export class CrossSlotError extends ResponseError {}
/** The ACL user may not run this command or touch this key or channel (NOPERM). */
export class NoPermissionError extends ResponseError {}
/** The server is at maxmemory and refuses writes (OOM). */
export class OutOfMemoryError extends ResponseError {}
/** A script or function is running and blocks the server (BUSY). */
export class BusyError extends ResponseError {}
/** A replica refuses to serve because its link to the primary is down (MASTERDOWN). */
export class MasterDownError extends ResponseError {}
/** Fewer replicas than min-replicas-to-write are connected, so writes are refused (NOREPLICAS). */
export class NoReplicasError extends ResponseError {}
/** The server refuses writes because it cannot persist to disk (MISCONF). */
export class MisconfError extends ResponseError {}
/** A blocked command was released by CLIENT UNBLOCK … ERROR or a role change (UNBLOCKED). */
export class UnblockedError extends ResponseError {}
/** XGROUP CREATE named a consumer group that already exists (BUSYGROUP). */
export class BusyGroupError extends ResponseError {}
/** The stream key or its consumer group does not exist (NOGROUP). */
export class NoGroupError extends ResponseError {}
/** The server has maxclients connections and refused this one. */
export class MaxClientsError extends ResponseError {}
/** The server does not know the command: an older version, a module not loaded, or a renamed command. */
export class UnknownCommandError extends ResponseError {}
/** Authentication failed or is required (WRONGPASS, NOAUTH, and the older ERR forms). */
export class AuthenticationError extends ResponseError {}

/** A cluster redirection: the slot lives at `host:port`. */
export class MovedError extends ResponseError {
  readonly slot: number;
  readonly host: string;
  readonly port: number;
  constructor(message: string, code?: string) {
    super(message, code);
    const [, slot, addr] = message.split(' ');
    this.slot = Number(slot);
    const colon = addr ? addr.lastIndexOf(':') : -1;
    this.host = colon > 0 ? addr!.slice(0, colon) : '';
    this.port = colon > 0 ? Number(addr!.slice(colon + 1)) : 0;
  }
}
/** A one-time redirection during slot migration: ask `host:port`, preceded by ASKING. */
export class AskError extends MovedError {}

/** A ResponseError subclass, as ERROR_PREFIXES maps a server error prefix to it. */
export type ResponseErrorClass = new (message: string, code?: string) => ResponseError;

/** Error prefix -> class. Anything not listed is a plain ResponseError. */
export const ERROR_PREFIXES: ReadonlyMap<string, ResponseErrorClass> = new Map<string, ResponseErrorClass>([
  ['WRONGTYPE', WrongTypeError],
  ['NOSCRIPT', NoScriptError],
  ['READONLY', ReadOnlyError],
  ['LOADING', BusyLoadingError],
  ['EXECABORT', ExecAbortError],
  ['MOVED', MovedError],
  ['ASK', AskError],
  ['TRYAGAIN', TryAgainError],
  ['CLUSTERDOWN', ClusterDownError],
  ['CROSSSLOT', CrossSlotError],
  ['NOPERM', NoPermissionError],
  ['NOAUTH', AuthenticationError],
  ['WRONGPASS', AuthenticationError],
  ['OOM', OutOfMemoryError],
  ['BUSY', BusyError],
  ['MASTERDOWN', MasterDownError],
  ['NOREPLICAS', NoReplicasError],
  ['MISCONF', MisconfError],
  ['UNBLOCKED', UnblockedError],
  ['BUSYGROUP', BusyGroupError],
  ['NOGROUP', NoGroupError],
]);

/** `ERR …` replies whose meaning is narrower than ERR, recognised by their text. */
const ERR_MESSAGES: ReadonlyArray<[string, ResponseErrorClass]> = [
  ['ERR max number of clients reached', MaxClientsError],
  ['ERR invalid password', AuthenticationError],
  ['ERR Client sent AUTH, but no password is set', AuthenticationError],
  ['ERR AUTH <password> called without any password configured', AuthenticationError],
  ['ERR unknown command', UnknownCommandError],
];

function firstWord(message: string): string {
  const space = message.indexOf(' ');
  return space === -1 ? message : message.slice(0, space);
}

/** Builds the error object for an error reply's text (without the leading '-' or '!'). */
export function errorFromReply(message: string): ResponseError {
  const code = firstWord(message);
  const cls = ERROR_PREFIXES.get(code);
  if (cls !== undefined) return new cls(message, code);
  if (code === 'ERR') {
    for (const [prefix, errCls] of ERR_MESSAGES) {
      if (message.startsWith(prefix)) return new errCls(message, code);
    }
  }
  return new ResponseError(message, code);
}
