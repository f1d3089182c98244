/**
 * Tracing through `node:diagnostics_channel`, so OpenTelemetry and APM agents can follow redwire
 * without patching it. Three tracing channels, each publishing start / end / asyncStart / asyncEnd /
 * error with one context object per operation:
 *
 *   redwire:command   one command:             { command, db, serverAddress, serverPort }
 *   redwire:batch     a pipeline/transaction:  { commands, transaction, db, serverAddress, serverPort }
 *   redwire:connect   one connect + handshake: { db, serverAddress, serverPort, tls }
 *
 * and one plain channel, `redwire:pool`, on which each connection pool announces itself when made
 * and when closed ({ pool, event: 'open' | 'close' }), so metrics can follow pools nobody named.
 *
 * A context never holds argument values or replies: keys and values may be secrets or personal data,
 * and a tracer cannot know which. On failure `error` is set (errors carry no arguments either).
 *
 * Nothing is built when nobody subscribes: callers test `hasSubscribers` first, so an untraced
 * command pays one property read.
 */
import diagnostics_channel from 'node:diagnostics_channel';
import type { ConnectionOptions } from './connection/options.js';
import type { ConnectionPool } from './pool/pool.js';
import type { RedisArg } from './protocol/encoder.js';
import { CONTAINERS } from './commands/registry.js';

/** Where an operation went: the address, as OpenTelemetry's `server.address` / `server.port` want it. */
export interface TraceTarget {
  /** Host name or IP, or the Unix socket path. */
  serverAddress: string;
  /** Undefined for a Unix socket. */
  serverPort: number | undefined;
  /** The database the connection has selected. */
  db: number;
}

/** What the command channel publishes for one command. */
export interface CommandTraceContext extends TraceTarget {
  /** Upper case; a container command with its subcommand: 'GET', 'CLIENT LIST'. Never arguments. */
  command: string;
  /**
   * Only while a subscriber has opted in with `traceStatements(true)`: the command with every
   * argument replaced by `?` ('SET ? ?'), so a trace shows the command's shape and never a value.
   */
  statement?: string;
  /** True when the client-side cache answered and nothing was sent. */
  cached?: boolean;
  /** Set when the command failed. */
  error?: unknown;
}

/** What the batch channel publishes for one pipeline or transaction. */
export interface BatchTraceContext extends TraceTarget {
  /** How many commands the batch carries. */
  commands: number;
  /** MULTI/EXEC (true) or a plain pipeline (false). */
  transaction: boolean;
  /** The command every queued command shares ('GET'), when they all share one; set only when the caller passed them. */
  operation?: string;
  error?: unknown;
}

/** What the connect channel publishes for one connect and handshake. */
export interface ConnectTraceContext extends TraceTarget {
  /** Whether the socket is TLS. */
  tls: boolean;
  error?: unknown;
}

/** The tracing channel `redwire:command`: one traced operation per command sent. */
export const commandChannel = diagnostics_channel.tracingChannel<unknown, CommandTraceContext>('redwire:command');
/** The tracing channel `redwire:batch`: one traced operation per pipeline or MULTI/EXEC. */
export const batchChannel = diagnostics_channel.tracingChannel<unknown, BatchTraceContext>('redwire:batch');
/** The tracing channel `redwire:connect`: one traced operation per connect and handshake. */
export const connectChannel = diagnostics_channel.tracingChannel<unknown, ConnectTraceContext>('redwire:connect');

/** What the pool channel publishes: a pool was made (`open`) or closed (`close`). */
export interface PoolLifecycleMessage {
  /** The pool; a subscriber reads its counts with `stats()` and its events with `on()`. */
  pool: ConnectionPool;
  event: 'open' | 'close';
}

/**
 * The channel `redwire:pool`: every connection pool announces itself when made and when closed, so a
 * metrics subscriber (redwire/otel) finds pools without being handed each one.
 */
export const poolChannel = diagnostics_channel.channel('redwire:pool');

/** Tells pool subscribers a pool opened or closed; costs one property read when nobody listens. */
export function announcePool(pool: ConnectionPool, event: 'open' | 'close'): void {
  if (poolChannel.hasSubscribers) poolChannel.publish({ pool, event } satisfies PoolLifecycleMessage);
}

function target(o: ConnectionOptions): TraceTarget {
  return o.path !== undefined
    ? { serverAddress: o.path, serverPort: undefined, db: o.db ?? 0 }
    : { serverAddress: o.host ?? '127.0.0.1', serverPort: o.port ?? 6379, db: o.db ?? 0 };
}

/** The name a trace shows: the first word, and for container commands (CLIENT, CONFIG…) the second. */
function traceName(argv: ReadonlyArray<RedisArg>): string {
  const first = String(argv[0]);
  if (argv.length > 1 && CONTAINERS.has(first.toLowerCase())) {
    const sub = argv[1];
    if (typeof sub === 'string') return `${first} ${sub}`.toUpperCase();
  }
  return first.toUpperCase();
}

// Off unless a subscriber asks: a statement costs a string per command, and some users want none.
let statements = false;

/**
 * Turns the `statement` field of command contexts on or off for every subscriber (the OpenTelemetry
 * entry turns it on for its `dbStatement` option). Arguments still never leave: each is a `?`.
 */
export function traceStatements(on: boolean): void {
  statements = on;
}

function statementOf(name: string, argv: ReadonlyArray<RedisArg>): string {
  // The name may hold a subcommand ('CLIENT LIST'): those words are not arguments.
  const skip = name.indexOf(' ') === -1 ? 1 : 2;
  let s = name;
  for (let i = skip; i < argv.length; i++) s += ' ?';
  return s;
}

type AnyTracingChannel<C extends object> = diagnostics_channel.TracingChannel<unknown, C>;

/**
 * Node's `tracePromise`, except that the reply is not put into the context: a reply (a GET of a
 * token, say) is as sensitive as an argument.
 */
function trace<T, C extends { error?: unknown }>(channel: AnyTracingChannel<C>, context: C, fn: () => Promise<T>): Promise<T> {
  const { start, end, asyncStart, asyncEnd, error } = channel;
  return start.runStores(context, () => {
    let promise: Promise<T>;
    try {
      promise = fn();
    } catch (e) {
      context.error = e;
      error.publish(context);
      end.publish(context);
      throw e;
    }
    end.publish(context);
    return promise.then(
      (value) => {
        asyncStart.publish(context);
        asyncEnd.publish(context);
        return value;
      },
      (e: unknown) => {
        context.error = e;
        error.publish(context);
        asyncStart.publish(context);
        asyncEnd.publish(context);
        throw e;
      },
    );
  });
}

/** Runs one command's send under the command channel. Call only when `commandChannel.hasSubscribers`. */
export function traceCommand<T>(options: ConnectionOptions, argv: ReadonlyArray<RedisArg>, fn: () => Promise<T>): Promise<T> {
  const context: CommandTraceContext = { command: traceName(argv), ...target(options) };
  if (statements) context.statement = statementOf(context.command, argv);
  // Behind a resolver (sentinel) a command sent before the connect learns the address late.
  if (options.resolver !== undefined) return trace(commandChannel, context, () => settleTarget(context, options, fn()));
  return trace(commandChannel, context, fn);
}

/**
 * `traceCommand` when someone listens, else `fn()` as it is: for a command sent some other way than
 * `Connection.send` (a cluster's ASKING + command pair goes out as one batch).
 */
export function traceCommandIfListened<T>(options: ConnectionOptions, argv: ReadonlyArray<RedisArg>, fn: () => Promise<T>): Promise<T> {
  return commandChannel.hasSubscribers ? traceCommand(options, argv, fn) : fn();
}

/** A command the client-side cache answered: traced like any other, with `cached: true`. */
export function traceCachedCommand<T>(options: ConnectionOptions, argv: ReadonlyArray<RedisArg>, fn: () => Promise<T>): Promise<T> {
  const context: CommandTraceContext = { command: traceName(argv), ...target(options), cached: true };
  return trace(commandChannel, context, fn);
}

/**
 * Runs a batch (pipeline or transaction) under the batch channel; costs nothing when nobody listens.
 * Pipelines call it around the write and the wait for the replies.
 */
export function traceBatch<T>(
  options: ConnectionOptions,
  batch: { commands: number; transaction: boolean; of?: ReadonlyArray<{ readonly argv: ReadonlyArray<RedisArg> }> },
  fn: () => Promise<T>,
): Promise<T> {
  if (!batchChannel.hasSubscribers) return fn();
  const context: BatchTraceContext = { commands: batch.commands, transaction: batch.transaction, ...target(options) };
  if (batch.of !== undefined) {
    const operation = sharedName(batch.of);
    if (operation !== undefined) context.operation = operation;
  }
  return trace(batchChannel, context, fn);
}

/** The one command name a batch's commands share, or undefined when they differ (or there are none). */
function sharedName(of: ReadonlyArray<{ readonly argv: ReadonlyArray<RedisArg> }>): string | undefined {
  if (of.length === 0) return undefined;
  const first = traceName(of[0]!.argv);
  for (let i = 1; i < of.length; i++) if (traceName(of[i]!.argv) !== first) return undefined;
  return first;
}

/** Runs a connect attempt under the connect channel; costs nothing when nobody listens. */
export function traceConnect<T>(options: ConnectionOptions, fn: () => Promise<T>): Promise<T> {
  if (!connectChannel.hasSubscribers) return fn();
  const context: ConnectTraceContext = { tls: options.tls !== undefined && options.tls !== false, ...target(options) };
  // A resolver (sentinel) picks the address during the connect: report where it went, not the default.
  if (options.resolver !== undefined) return trace(connectChannel, context, () => settleTarget(context, options, fn()));
  return trace(connectChannel, context, fn);
}

/** Rewrites the context's address from the options once `promise` settles. */
function settleTarget<T>(context: TraceTarget, options: ConnectionOptions, promise: Promise<T>): Promise<T> {
  return promise.then(
    (v) => {
      Object.assign(context, target(options));
      return v;
    },
    (e: unknown) => {
      Object.assign(context, target(options));
      throw e;
    },
  );
}
