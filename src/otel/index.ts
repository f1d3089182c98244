/**
 * OpenTelemetry for redwire: spans and metrics made from the `node:diagnostics_channel` tracing
 * channels (src/tracing.ts), by the stable OpenTelemetry database semantic conventions.
 *
 * This entry is the only place that imports `@opentelemetry/api`, and nothing else in redwire imports
 * it: an application that never imports `redwire/otel` loads none of it and pays nothing.
 *
 * ```ts
 * import { instrument } from 'redwire/otel';
 * const otel = instrument(); // the global tracer and meter providers, or pass your own
 * ```
 *
 * Decisions the conventions leave open, made here:
 * - A span is one network call. In a cluster, a command answered MOVED or ASK ends its span with
 *   `error.type` MovedError/AskError on the node that redirected it, and the retry is a span of its
 *   own (a sibling, same parent) on the node that answered: each span names the one node it talked to.
 * - A cluster pipeline is one span per node group (each is one write to one node), named and sized
 *   as a standalone pipeline is; a group of one command is a span of that command.
 * - `server.*` is the host a connection was opened to, as named (a cluster node, the primary or
 *   replica a sentinel named); `network.peer.*` is set when that host is an IP or a socket path.
 */
import {
  SpanKind,
  SpanStatusCode,
  context as otelContext,
  metrics,
  trace,
  type Attributes,
  type Histogram,
  type Meter,
  type MeterProvider,
  type Span,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import diagnostics_channel, { type TracingChannelSubscribers } from 'node:diagnostics_channel';
import { isIP } from 'node:net';
import { ResponseError } from '../errors.js';
import type { ConnectionPool } from '../pool/pool.js';
import {
  batchChannel,
  commandChannel,
  connectChannel,
  poolChannel,
  traceStatements,
  type PoolLifecycleMessage,
  type BatchTraceContext,
  type CommandTraceContext,
  type ConnectTraceContext,
  type TraceTarget,
} from '../tracing.js';
import { VERSION } from '../version.js';

/** Options of {@link instrument}. */
export interface InstrumentOptions {
  /** Where spans go. Default: the global tracer provider, even one registered after `instrument()`. */
  tracerProvider?: TracerProvider;
  /** Where metrics go. Default: the global meter provider as it is when `instrument()` is called. */
  meterProvider?: MeterProvider;
  /**
   * Adds `db.query.text` to command spans: the command with every argument replaced by `?`
   * (`SET ? ?`). Off by default; argument values are never recorded either way.
   */
  dbStatement?: boolean;
}

/** A running instrumentation, as {@link instrument} returns it. */
export interface Instrumentation {
  /**
   * Reports a pool's connection counts (`db.client.connection.count` by state, `.max`,
   * `.pending_requests`) and its wait times (`db.client.connection.wait_time`). Pools made after
   * `instrument()` are found on their own; this is for one made before, or to give a pool its name
   * (default `host:port/db`). Returns a function that stops reporting it.
   */
  observePool(pool: ConnectionPool, name?: string): () => void;
  /** Unsubscribes from the channels and stops every pool report; spans already started still end. */
  disable(): void;
}

/** The instrumentation scope name spans and metrics carry. */
export const INSTRUMENTATION_NAME = 'redwire';

// Semantic-convention keys, spelled once. The stable database conventions (semconv 1.33+).
const DB_SYSTEM = 'db.system.name';
const DB_NAMESPACE = 'db.namespace';
const DB_OPERATION = 'db.operation.name';
const DB_BATCH_SIZE = 'db.operation.batch.size';
const DB_QUERY = 'db.query.text';
const DB_STATUS = 'db.response.status_code';
const ERROR_TYPE = 'error.type';
const SERVER_ADDRESS = 'server.address';
const SERVER_PORT = 'server.port';
const PEER_ADDRESS = 'network.peer.address';
const PEER_PORT = 'network.peer.port';
const POOL_NAME = 'db.client.connection.pool.name';
const POOL_STATE = 'db.client.connection.state';

/** The bucket boundaries the conventions advise for database durations, in seconds. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

// Kept on the channel context itself: a property is cheaper per command than a WeakMap lookup.
const STATE = Symbol('redwire.otel');

interface OperationState {
  span: Span;
  started: number;
  attributes: Attributes;
}

type Traced = TraceTarget & { [STATE]?: OperationState; error?: unknown };

// `traceStatements` is one switch for the whole process: it stays on while any instrumentation asks.
let statementUsers = 0;

function baseAttributes(t: TraceTarget, operation: string): Attributes {
  const a: Attributes = { [DB_SYSTEM]: 'redis', [DB_OPERATION]: operation, [DB_NAMESPACE]: String(t.db) };
  setTarget(a, t);
  return a;
}

// Whether an address is a literal IP, by address: a lookup per command would cost more than the span.
const literal = new Map<string, boolean>();

/**
 * `server.address`/`server.port`: the host the connection was opened to, as it was named (the
 * cluster node, the primary a sentinel named). `network.peer.*`: the peer itself, which redwire
 * knows without asking the socket only when that host is an IP or a Unix socket path; a host name
 * is not resolved again to report it.
 */
function setTarget(a: Attributes, t: TraceTarget, span?: Span): void {
  const address = t.serverAddress;
  const port = t.serverPort;
  a[SERVER_ADDRESS] = address;
  if (port !== undefined) a[SERVER_PORT] = port;
  else delete a[SERVER_PORT];
  let ip = literal.get(address);
  if (ip === undefined) {
    ip = port === undefined || isIP(address) !== 0;
    if (literal.size > 1000) literal.clear();
    literal.set(address, ip);
  }
  if (ip) {
    a[PEER_ADDRESS] = address;
    if (port !== undefined) a[PEER_PORT] = port;
    else delete a[PEER_PORT];
  } else {
    delete a[PEER_ADDRESS];
    delete a[PEER_PORT];
  }
  if (span !== undefined) span.setAttributes(a);
}

/** The name the conventions advise for a pool that has none: `server.address:server.port/db.namespace`. */
function defaultPoolName(pool: ConnectionPool): string {
  const o = pool.connectionOptions;
  const where = o.path !== undefined ? o.path : `${o.host ?? '127.0.0.1'}:${o.port ?? 6379}`;
  return `${where}/${o.db ?? 0}`;
}

/** `error.type`: the redwire error class that ended the operation ('WrongTypeError', 'TimeoutError'). */
function errorType(e: unknown): string {
  if (e instanceof Error) return e.constructor.name;
  return '_OTHER';
}

/**
 * Subscribes to redwire's tracing channels and turns them into OpenTelemetry spans and metrics:
 * a CLIENT span per command, per pipeline or MULTI (with `db.operation.batch.size`) and per connect,
 * the `db.client.operation.duration` histogram, and the connection counts of every pool made from
 * now on. The span a caller has open is the parent.
 */
export function instrument(options: InstrumentOptions = {}): Instrumentation {
  const tracerProvider = options.tracerProvider;
  const tracer: Tracer = (tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_NAME, VERSION);
  const meter: Meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(INSTRUMENTATION_NAME, VERSION);
  const duration: Histogram = meter.createHistogram('db.client.operation.duration', {
    description: 'Duration of database client operations.',
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const createTime: Histogram = meter.createHistogram('db.client.connection.create_time', {
    description: 'The time it took to create a new connection (connect and handshake).',
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const waitTime: Histogram = meter.createHistogram('db.client.connection.wait_time', {
    description: 'The time it took to obtain a connection from a pool.',
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const dbStatement = options.dbStatement === true;

  const begin = (ctx: Traced, name: string, attributes: Attributes): void => {
    const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, otelContext.active());
    ctx[STATE] = { span, started: performance.now(), attributes };
  };

  // Ends the span once: a sync throw ends at `end`, everything else at `asyncEnd`.
  const finish = (ctx: Traced, metric: Histogram | null): void => {
    const state = ctx[STATE];
    if (state === undefined) return;
    ctx[STATE] = undefined;
    const { span, attributes } = state;
    // Behind a sentinel the address is known only once connected: the context says where it went.
    if (ctx.serverAddress !== attributes[SERVER_ADDRESS] || ctx.serverPort !== attributes[SERVER_PORT]) setTarget(attributes, ctx, span);
    if (ctx.error !== undefined) {
      const e = ctx.error;
      const type = errorType(e);
      attributes[ERROR_TYPE] = type;
      span.setAttribute(ERROR_TYPE, type);
      if (e instanceof ResponseError) {
        attributes[DB_STATUS] = e.code;
        span.setAttribute(DB_STATUS, e.code);
      }
      // redwire's messages never carry arguments, so the message is safe to keep.
      span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
    }
    span.end();
    if (metric !== null) {
      // The query text stays on the span: a metric attribute must be low-cardinality.
      if (DB_QUERY in attributes) delete attributes[DB_QUERY];
      metric.record((performance.now() - state.started) / 1000, attributes);
    }
  };

  const syncEnd =
    (metric: Histogram | null) =>
    (ctx: Traced): void => {
      if (ctx.error !== undefined) finish(ctx, metric);
    };
  const asyncEnd =
    (metric: Histogram | null) =>
    (ctx: Traced): void =>
      finish(ctx, metric);
  const noop = (): void => {};

  const command: TracingChannelSubscribers<CommandTraceContext> = {
    start(ctx) {
      const attributes = baseAttributes(ctx, ctx.command);
      if (ctx.statement !== undefined) attributes[DB_QUERY] = ctx.statement;
      begin(ctx as Traced, ctx.command, attributes);
    },
    end: syncEnd(duration),
    asyncStart: noop,
    asyncEnd: asyncEnd(duration),
    error: noop,
  };
  const batch: TracingChannelSubscribers<BatchTraceContext> = {
    start(ctx) {
      const kind = ctx.transaction ? 'MULTI' : 'PIPELINE';
      // A pipeline of one command (a cluster pipeline's group for one node, say) is that command.
      const name =
        ctx.operation === undefined ? kind : ctx.commands === 1 && !ctx.transaction ? ctx.operation : `${kind} ${ctx.operation}`;
      const attributes = baseAttributes(ctx, name);
      // The conventions keep a one-command request out of the batch size: it is one operation.
      if (ctx.commands !== 1) attributes[DB_BATCH_SIZE] = ctx.commands;
      begin(ctx as Traced, name, attributes);
    },
    end: syncEnd(duration),
    asyncStart: noop,
    asyncEnd: asyncEnd(duration),
    error: noop,
  };
  const connect: TracingChannelSubscribers<ConnectTraceContext> = {
    start(ctx) {
      // Not an operation on data: no db.operation.name, and its time goes to create_time.
      const attributes: Attributes = { [DB_SYSTEM]: 'redis', [DB_NAMESPACE]: String(ctx.db) };
      setTarget(attributes, ctx);
      begin(ctx as Traced, 'CONNECT', attributes);
    },
    end: syncEnd(createTime),
    asyncStart: noop,
    asyncEnd: asyncEnd(createTime),
    error: noop,
  };

  commandChannel.subscribe(command);
  batchChannel.subscribe(batch);
  connectChannel.subscribe(connect);
  if (dbStatement && statementUsers++ === 0) traceStatements(true);

  // Pools are read when the SDK collects, not per event: counts cost nothing between collections.
  const pools = new Map<ConnectionPool, { name: string; readonly onAcquire: (e: { waitedMs: number }) => void }>();
  const count = meter.createObservableUpDownCounter('db.client.connection.count', {
    description: 'The number of connections that are currently in the state described by the state attribute.',
    unit: '{connection}',
  });
  const max = meter.createObservableUpDownCounter('db.client.connection.max', {
    description: 'The maximum number of open connections allowed.',
    unit: '{connection}',
  });
  const pending = meter.createObservableUpDownCounter('db.client.connection.pending_requests', {
    description: 'The number of current pending requests for an open connection.',
    unit: '{request}',
  });
  const observe = (result: Parameters<Parameters<Meter['addBatchObservableCallback']>[0]>[0]): void => {
    for (const [pool, { name }] of pools) {
      const s = pool.stats();
      result.observe(count, s.free, { [POOL_NAME]: name, [POOL_STATE]: 'idle' });
      result.observe(count, s.inUse, { [POOL_NAME]: name, [POOL_STATE]: 'used' });
      result.observe(max, s.max, { [POOL_NAME]: name });
      result.observe(pending, s.waiting, { [POOL_NAME]: name });
    }
  };
  meter.addBatchObservableCallback(observe, [count, max, pending]);
  // Names in use: a closed pool's name is free again, so clients made and closed over and over do
  // not grow the metrics' cardinality.
  const names = new Set<string>();
  const observe1 = (pool: ConnectionPool, name: string | undefined): (() => void) => {
    const existing = pools.get(pool);
    if (existing !== undefined) {
      if (name !== undefined && name !== existing.name) {
        names.delete(existing.name);
        names.add(name);
        existing.name = name;
      }
      return () => unobserve(pool);
    }
    let poolName = name;
    if (poolName === undefined) {
      // Unique within the application, as the conventions ask: a second pool to the same place is `#2`.
      const base = defaultPoolName(pool);
      poolName = base;
      for (let n = 2; names.has(poolName); n++) poolName = `${base}#${n}`;
    }
    names.add(poolName);
    const entry = {
      name: poolName,
      onAcquire: (e: { waitedMs: number }): void => {
        waitTime.record(e.waitedMs / 1000, { [POOL_NAME]: entry.name });
      },
    };
    pools.set(pool, entry);
    pool.on('acquire', entry.onAcquire);
    return () => unobserve(pool);
  };
  // Pools announce themselves when made and closed: each is reported from birth, and let go at close.
  const onPool = (message: unknown): void => {
    const { pool, event } = message as PoolLifecycleMessage;
    if (event === 'open') observe1(pool, undefined);
    else unobserve(pool);
  };
  diagnostics_channel.subscribe(poolChannel.name, onPool);

  let disabled = false;
  return {
    observePool: observe1,
    disable() {
      if (disabled) return;
      disabled = true;
      commandChannel.unsubscribe(command);
      batchChannel.unsubscribe(batch);
      connectChannel.unsubscribe(connect);
      diagnostics_channel.unsubscribe(poolChannel.name, onPool);
      if (dbStatement && --statementUsers === 0) traceStatements(false);
      for (const pool of [...pools.keys()]) unobserve(pool);
      meter.removeBatchObservableCallback(observe, [count, max, pending]);
    },
  };

  function unobserve(pool: ConnectionPool): void {
    const entry = pools.get(pool);
    if (entry === undefined) return;
    pools.delete(pool);
    names.delete(entry.name);
    pool.off('acquire', entry.onAcquire);
  }
}
