import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import * as tls from 'node:tls';
import {
  AuthenticationError,
  ClientClosedError,
  ConnectionError,
  InvalidResponse,
  RedisError,
  ResponseError,
  TimeoutError,
  UnknownCommandError,
} from '../errors.js';
import { CommandEncoder, MAX_BULK_LENGTH, checkArgs, type RedisArg } from '../protocol/encoder.js';
import { RespParser, type RespValue } from '../protocol/parser.js';
import { CONTAINERS } from '../commands/registry.js';
import { ExponentialWithJitterBackoff } from '../retry/backoff.js';
import { Retry } from '../retry/retry.js';
import { VERSION } from '../version.js';
import { commandChannel, traceCommand, traceConnect } from '../tracing.js';
import type { ConnectionOptions } from './options.js';
import { Queue } from './queue.js';
import { captureCaller, withCallerStack } from './caller-stack.js';
import { inspectAs, redacted, redactWhenInspected } from './redact.js';
import { inspect, type InspectOptionsStylized } from 'node:util';
import { checkOcsp, watchStaple, type OcspMode } from './ocsp.js';
import { sharedDispatcher, type CredentialsRenewedEvent } from '../auth/events.js';
import { isStreaming, resolveCredentials, type Credentials, type StreamingCredentialProvider } from '../auth/credentials.js';
import { TokenRenewalError } from '../auth/token.js';

/** Turns a reply into the method's value; `buffers` tells it the caller asked for Buffers. */
export type ReplyTransform = (reply: any, buffers?: boolean) => unknown;

/** Per-call settings of `Connection.send` and `sendBatch`: a timeout of its own, replies as Buffers. */
export interface SendOptions {
  /** Overrides the connection's commandTimeout for this call (ms); 0 means no limit. */
  timeout?: number;
  /** Bulk replies as Buffers. */
  buffers?: boolean;
}

/**
 * One command waiting for its reply. A plain record: one per command, nothing else allocated.
 * `index` is its place in a batch (-1 alone): resolve and reject get it as a second argument, so one
 * pair of batch callbacks serves every command of a batch, where a promise each would cost more.
 */
class Pending {
  constructor(
    readonly resolve: (value: any, index: number) => void,
    readonly reject: (error: unknown, index: number) => void,
    readonly transform: ReplyTransform | undefined,
    /** The command's argv: its first word names it in errors; kept only until it is written. */
    public args: ReadonlyArray<RedisArg> | null,
    readonly name: RedisArg,
    readonly buffers: boolean,
    /** When to give up, as a Date.now() value; 0 for never. */
    readonly deadline: number,
    readonly index: number = -1,
    /** The second word, which names the command of a container (CONFIG SET) in errors. */
    readonly sub: RedisArg | undefined = undefined,
  ) {}
}

/** What `sendBatch` resolves to: every reply (or error) in order, and which ones failed. */
export interface BatchResult {
  values: unknown[];
  failed: boolean[];
}

/** One command of a batch: its argv, its reply transform, and its own timeout when it blocks. */
export interface BatchCommand {
  readonly argv: ReadonlyArray<RedisArg>;
  readonly transform: ReplyTransform | undefined;
  /** Overrides the batch's timeout for this command (a blocking one waits its block time too). */
  readonly timeout?: number | undefined;
  /** Overrides the batch's bulk format for this command (binary replies are always Buffers). */
  readonly buffers?: boolean | undefined;
}

/** Collects a batch's replies by index and settles once, when the last one is in. */
class BatchCollector {
  readonly values: unknown[];
  readonly failed: boolean[];
  private left: number;
  readonly onValue = (value: unknown, index: number): void => {
    this.values[index] = value;
    if (--this.left === 0) this.done({ values: this.values, failed: this.failed });
  };
  readonly onError = (error: unknown, index: number): void => {
    this.values[index] = error;
    this.failed[index] = true;
    if (--this.left === 0) this.done({ values: this.values, failed: this.failed });
  };

  constructor(
    n: number,
    private readonly done: (result: BatchResult) => void,
  ) {
    this.values = new Array<unknown>(n);
    this.failed = new Array<boolean>(n).fill(false);
    this.left = n;
  }
}

/** Where a Connection is in its life; `ready` is the only state in which commands are written at once. */
export type ConnectionState = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'closing' | 'closed';

/** The events a Connection emits over its life (connect, ready, reconnecting, close, pushes, re-auth), with their arguments. */
export interface ConnectionEvents {
  /** The socket is connected (before the handshake). */
  connect: [];
  /** The handshake is done; commands flow. */
  ready: [];
  /** A connection-level failure. Emitted only when someone listens, so it never crashes the process. */
  error: [error: Error];
  /** A reconnect is scheduled after `delay` ms; `attempt` counts from 1. */
  reconnecting: [info: { attempt: number; delay: number; error: Error }];
  /** The socket closed. */
  close: [];
  /** No more reconnects: the connection is finished. */
  end: [];
  /** A RESP3 push frame that is not a reply (pub/sub messages, invalidations). */
  push: [push: RespValue[]];
  /** The server accepted AUTH with credentials a streaming provider renewed (no reconnect). */
  reauthenticated: [];
  /** AUTH with renewed credentials was refused, or could not be sent; the connection keeps its old login. */
  reauthFailed: [error: Error];
}

// redis-py 8's defaults: five seconds to connect, five for a reply. Nothing waits forever unless asked.
const DEFAULT_CONNECT_TIMEOUT = 5_000;
const DEFAULT_COMMAND_TIMEOUT = 5_000;
const DEFAULT_KEEPALIVE = 5_000;
const DEFAULT_OFFLINE_LIMIT = 100_000;
const DEFAULT_OFFLINE_ATTEMPTS = 20;

function defaultReconnect(): Retry {
  return new Retry(new ExponentialWithJitterBackoff({ base: 50, cap: 2_000 }), -1);
}

/** How errors name a command: upper case, with its subcommand for a container ('CONFIG SET'). */
function commandName(p: Pending): string {
  const name = String(p.name).toUpperCase();
  return p.sub !== undefined && CONTAINERS.has(name.toLowerCase()) ? `${name} ${String(p.sub).toUpperCase()}` : name;
}

/** The connection renewing for maxConnectionAge just now, if any, and since when: renewals go one at a time. */
let renewingForAge: Connection | null = null;
let renewingSince = 0;
/** A renewal still waiting for a reply after this long (a long block) no longer holds the others back. */
const RENEWAL_TURN = 10_000;

/**
 * One connection to one server: the socket, the handshake, auto-pipelined writes, the reply queue,
 * timeouts, and reconnecting. Everything issued in one event-loop turn leaves in one socket write.
 */
export class Connection extends EventEmitter<ConnectionEvents> {
  /** A copy of the options; SELECT and CLIENT SETNAME update it so a reconnect restores them. */
  readonly options: ConnectionOptions;
  state: ConnectionState = 'idle';
  /** The protocol the handshake settled on. */
  protocol: 2 | 3 = 2;
  /** The server's HELLO reply (RESP3 handshakes only). */
  serverInfo: Record<string, RespValue> | null = null;
  /**
   * Sees every reply before the reply queue does; returns true to consume it. A subscribed RESP2
   * connection receives messages as ordinary arrays, so its owner must sort them from replies.
   */
  replyInterceptor: ((reply: RespValue) => boolean) | null = null;
  /** How bulk strings are read while no command waits: what a subscriber's messages arrive as. */
  idleBuffers = false;
  /**
   * Set by an owner whose connection cannot take AUTH in place (a RESP2 subscriber, a monitor): called
   * with renewed credentials; returns true when it took care of them (e.g. by moving to a new connection).
   */
  reauthHandler: ((credentials: Credentials) => boolean) | null = null;
  /**
   * The client-side cache's CLIENT TRACKING, sent by every handshake before any command: kept apart
   * from `options.tracking` (the user's own), which the cache refuses to share a connection with.
   */
  cacheTracking: RedisArg[] | null = null;
  /** Told of each session command the server accepted (SELECT, RESET…), whatever path it took: the cache's hook. */
  onSessionChange: ((id: string) => void) | null = null;
  /**
   * @internal Told of every command as it is handed to this connection, before it is written (the
   * client-side cache drops the keys of its own writes, which the server may report late or never).
   */
  onWrite: ((argv: ReadonlyArray<RedisArg>) => void) | null = null;

  private socket: net.Socket | null = null;
  private readonly encoder = new CommandEncoder(MAX_BULK_LENGTH);
  private readonly parser: RespParser;
  /** Written (or being written) and waiting for replies, in order. */
  private readonly inflight = new Queue<Pending>(256);
  /** Issued while not ready: sent once the connection is. */
  private readonly offline = new Queue<Pending>();
  private flushScheduled = false;
  private waitingDrain = false;
  private readonly flushBound = () => this.flush();

  private readonly reconnectPolicy: Retry | false;
  private failedAttempts = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private connectPromise: Promise<void> | null = null;
  /** The `captureStack` option, read once: the hot path tests one field. */
  private readonly captureStack: boolean;
  /** Set once the first connect succeeded: only then do breaks lead to reconnects. */
  private everReady = false;

  /** Ends a socket connect under way (set while openSocket waits). */
  private abortConnect: (() => void) | null = null;
  /** Set while relocate() lets the old socket finish the replies it owes. */
  private moving = false;
  /** The end of that grace period. */
  private moveTimer: NodeJS.Timeout | null = null;
  /** Why the connection is moving: said in the 'reconnecting' event that follows. */
  private moveReason = 'the server moved';
  /** When the current socket finished its handshake; 0 when not ready. */
  private readyAt = 0;
  /** Renews the connection once it reaches maxConnectionAge. */
  private ageTimer: NodeJS.Timeout | null = null;
  /** Moving to a new socket for age, not for a fault: commands wait even with the offline queue off. */
  private renewing = false;

  private timeoutTimer: NodeJS.Timeout | null = null;
  private timeoutAt = 0;
  private lastActivity = 0;
  private closePromise: Promise<void> | null = null;

  /** The streaming provider this connection listens to, and how to stop listening. */
  private credentialFeed: { provider: StreamingCredentialProvider; stop: () => void } | null = null;
  /** AUTH commands of re-authentication in flight: they do not make the connection busy for its user. */
  private reauthInflight = 0;
  /** Renewed credentials waiting for the command at the head of the queue (maybe a BLPOP) to answer. */
  private reauthWaiting: Credentials | null = null;
  /** The credentials expired with no successor: new commands are refused with this until new ones come. */
  private authFailure: TokenRenewalError | null = null;

  constructor(options: ConnectionOptions = {}) {
    super();
    this.options = { ...options };
    this.options.commandTimeout ??= DEFAULT_COMMAND_TIMEOUT;
    redactWhenInspected(this.options);
    this.reconnectPolicy = options.reconnect === undefined ? defaultReconnect() : options.reconnect;
    this.captureStack = options.captureStack === true;
    this.parser = new RespParser({
      onReply: (reply) => this.onReply(reply),
      onPush: (push) => this.onPush(push),
    });
  }

  [inspect.custom](depth: number, opts: InspectOptionsStylized): string {
    return inspectAs('Connection', { address: describe(this.options), state: this.state, protocol: this.protocol, inflight: this.inflight.length, options: redacted(this.options) }, depth, opts);
  }

  /** Commands written and not yet answered. */
  get inflightCount(): number {
    return this.inflight.length;
  }

  /** ms since the current socket finished its handshake (0 when not connected). */
  get age(): number {
    return this.readyAt === 0 ? 0 : Date.now() - this.readyAt;
  }

  /** Commands waiting for the connection. */
  get offlineCount(): number {
    return this.offline.length;
  }

  /** True while a reply is half-read or commands await replies: not safe to hand to someone else. */
  get busy(): boolean {
    // A re-authentication's AUTH is answered before anything written after it: harmless to a next user.
    if (this.reauthInflight > 0) return this.inflight.length > this.reauthInflight || this.offline.length > 0;
    return this.inflight.length > 0 || this.offline.length > 0 || this.parser.midReply;
  }

  // ---- sending ------------------------------------------------------------------------------------

  /**
   * Sends one command. Resolves with its reply (through `transform`), rejects with a ResponseError
   * subclass for an error reply, or a ConnectionError / TimeoutError when the reply cannot come.
   */
  send<T = RespValue>(args: ReadonlyArray<RedisArg>, transform?: ReplyTransform, opts?: SendOptions): Promise<T> {
    if (this.captureStack) return withCallerStack(this.sendTraced<T>(args, transform, opts), captureCaller());
    return this.sendTraced<T>(args, transform, opts);
  }

  private sendTraced<T>(args: ReadonlyArray<RedisArg>, transform?: ReplyTransform, opts?: SendOptions): Promise<T> {
    // One property read when nobody traces: the context is built only for a subscriber.
    if (commandChannel.hasSubscribers) return traceCommand(this.options, args, () => this.sendUntraced<T>(args, transform, opts));
    return this.sendUntraced<T>(args, transform, opts);
  }

  private sendUntraced<T>(args: ReadonlyArray<RedisArg>, transform?: ReplyTransform, opts?: SendOptions): Promise<T> {
    if (this.onWrite !== null) this.onWrite(args);
    return new Promise<T>((resolve, reject) => {
      const timeout = opts?.timeout ?? this.options.commandTimeout ?? 0;
      const deadline = timeout > 0 ? Date.now() + timeout : 0;
      const p = new Pending(resolve, reject, transform, args, args[0]!, opts?.buffers === true, deadline, -1, args[1]);
      this.enqueue(p);
    });
  }

  /**
   * Sends several commands as one unit: they are written together, in order, with nothing of any
   * other caller between them (so MULTI … EXEC is safe on a shared connection), and settle together.
   * Never rejects: each command's error is in its place. One promise for the whole batch.
   */
  sendBatch(commands: ReadonlyArray<BatchCommand>, opts?: SendOptions): Promise<BatchResult> {
    const n = commands.length;
    if (n === 0) return Promise.resolve({ values: [], failed: [] });
    if (this.onWrite !== null) for (const c of commands) this.onWrite(c.argv);
    return new Promise<BatchResult>((resolve) => {
      const collector = new BatchCollector(n, resolve);
      const base = opts?.timeout ?? this.options.commandTimeout ?? 0;
      const buffers = opts?.buffers === true;
      const now = base > 0 || commands.some((c) => c.timeout !== undefined) ? Date.now() : 0;
      for (let i = 0; i < n; i++) {
        const c = commands[i]!;
        const timeout = c.timeout ?? base;
        const p = new Pending(collector.onValue, collector.onError, c.transform, c.argv, c.argv[0]!, c.buffers ?? buffers, timeout > 0 ? now + timeout : 0, i, c.argv[1]);
        try {
          this.enqueue(p);
        } catch (e) {
          // Refused before anything was written (closed, offline queue full): in its place, like
          // any other failure; the rest still go, so the batch settles.
          collector.onError(e, i);
        }
      }
    });
  }

  private enqueue(p: Pending): void {
    if (this.state === 'ready') {
      if (this.reauthWaiting !== null) {
        this.hold(p);
        return;
      }
      if (this.authFailure !== null) throw this.refusedByAuth(p);
      if (this.options.healthCheckInterval) this.healthCheck();
      this.encoder.write(p.args!);
      p.args = null;
      // The parser picks its bulk format per reply; an idle queue means this is the next reply.
      if (this.inflight.length === 0) this.parser.returnBuffers = p.buffers;
      this.inflight.push(p);
      if (p.deadline !== 0) this.armTimeout(p.deadline);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        process.nextTick(this.flushBound);
      }
      return;
    }
    checkArgs(p.args!, MAX_BULK_LENGTH);
    if (this.state === 'closing' || this.state === 'closed') {
      throw new ClientClosedError('the connection is closed');
    }
    // Without the queue, only the first connect may be waited for: once the connection has been up,
    // not being ready means it broke, whether a reconnect attempt is under way or not.
    if (this.options.enableOfflineQueue === false && this.everReady && !this.renewing) {
      throw new ConnectionError('the connection is not ready and the offline queue is turned off');
    }
    if (this.offline.length >= (this.options.offlineQueueLimit ?? DEFAULT_OFFLINE_LIMIT)) {
      throw new ConnectionError('the offline queue is full');
    }
    this.offline.push(p);
    if (p.deadline !== 0) this.armTimeout(p.deadline);
    // A command on a connection that was never opened opens it.
    if (this.state === 'idle') this.connect().catch(() => {});
  }

  /**
   * Writes a command that gets no reply of its own: SUBSCRIBE and its kin, answered by messages the
   * owner sorts out (push frames, or `replyInterceptor` under RESP2). Only while ready: a subscriber
   * sends its subscriptions again itself on 'ready'.
   */
  writeUnanswered(args: ReadonlyArray<RedisArg>): void {
    if (this.state !== 'ready') throw new ConnectionError('the connection is not ready');
    this.encoder.write(args);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flushBound);
    }
  }

  private healthCheck(): void {
    const now = Date.now();
    const idle = now - this.lastActivity;
    this.lastActivity = now;
    if (idle > this.options.healthCheckInterval! && this.inflight.length === 0) {
      // The PING's failure shows up as the connection breaking; its reply needs no one.
      const ping = new Pending(noop, noop, undefined, null, 'PING', false, 0);
      this.encoder.write(['PING']);
      this.inflight.push(ping);
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const socket = this.socket;
    if (socket === null || this.waitingDrain || !this.encoder.pending) return;
    // A large batch may outlast this turn in the socket: its write says when the encoder's slabs
    // are free again. Small ones skip the callback (and its tick); their slab fills forward.
    const large = this.encoder.pendingBytes >= LARGE_WRITE;
    const data = this.encoder.take();
    const done: { slabs: Buffer[] | null } | null = large ? { slabs: null } : null;
    const onWritten = done === null ? undefined : () => done.slabs !== null && this.encoder.recycle(done.slabs);
    let ok: boolean;
    if (Array.isArray(data)) {
      socket.cork();
      ok = true;
      const last = data.length - 1;
      for (let i = 0; i < last; i++) ok = socket.write(data[i]!);
      ok = socket.write(data[last]!, onWritten);
      socket.uncork();
    } else {
      ok = socket.write(data, onWritten);
    }
    if (!ok) this.waitingDrain = true;
    // Nothing left queued means the kernel took every byte during the write itself and nothing
    // refers to the encoder's memory any more: it can be filled again. A TLS socket encrypts on
    // its own schedule, so its writes are never taken as done here.
    if (ok && socket.writableLength === 0 && !(socket instanceof tls.TLSSocket)) this.encoder.rewind();
    else if (done !== null) done.slabs = this.encoder.retire();
  }

  // ---- replies ------------------------------------------------------------------------------------

  private onReply(reply: RespValue): void {
    if (this.replyInterceptor !== null && this.replyInterceptor(reply)) return;
    const p = this.inflight.shift();
    if (p === undefined) {
      this.fail(new InvalidResponse('the server sent a reply no command was waiting for'));
      return;
    }
    if (this.reauthWaiting !== null) this.sendReauth();
    const next = this.inflight.peek();
    this.parser.returnBuffers = next !== undefined ? next.buffers : this.idleBuffers;
    if (next === undefined && this.moving) process.nextTick(() => this.finishMove());
    if (reply instanceof ResponseError) {
      reply.command = commandName(p);
      p.reject(reply, p.index);
    } else if (p.transform === undefined) {
      p.resolve(reply, p.index);
    } else {
      let value: unknown;
      try {
        value = p.transform(reply, p.buffers);
      } catch (e) {
        if (e instanceof RedisError) e.command ??= commandName(p);
        p.reject(e, p.index);
        return;
      }
      p.resolve(value, p.index);
    }
  }

  private onPush(push: RespValue[]): void {
    this.emit('push', push);
  }

  private onData(chunk: Buffer): void {
    try {
      this.parser.feed(chunk);
    } catch (e) {
      this.fail(e instanceof InvalidResponse ? e : new InvalidResponse('failed to read a reply', { cause: e }));
    }
  }

  /**
   * Where the socket reads next when a large value is pending. Called by Node between reads, where
   * a throw would crash the process: growing the buffer can fail (out of memory), and fails the
   * connection instead.
   */
  private directTarget(): Buffer | null {
    try {
      return this.parser.directTarget();
    } catch (e) {
      this.fail(new InvalidResponse('could not make room for a reply', { cause: e }));
      return null;
    }
  }

  /** `n` bytes were read straight into the value the parser is assembling. */
  private onDirect(n: number): void {
    try {
      this.parser.directFilled(n);
    } catch (e) {
      this.fail(e instanceof InvalidResponse ? e : new InvalidResponse('failed to read a reply', { cause: e }));
    }
  }

  // ---- timeouts -----------------------------------------------------------------------------------

  private armTimeout(deadline: number): void {
    if (this.timeoutTimer !== null && this.timeoutAt <= deadline) return;
    if (this.timeoutTimer !== null) clearTimeout(this.timeoutTimer);
    this.timeoutAt = deadline;
    this.timeoutTimer = setTimeout(() => this.checkTimeouts(), Math.max(0, deadline - Date.now()));
    this.timeoutTimer.unref?.();
  }

  private checkTimeouts(): void {
    this.timeoutTimer = null;
    const now = Date.now();
    // Offline commands that ran out of time just leave the queue: nothing was sent for them.
    if (this.offline.length > 0) {
      const keep: Pending[] = [];
      for (const p of this.offline.drain()) {
        if (p.deadline !== 0 && p.deadline <= now) p.reject(this.timeoutError(p), p.index);
        else keep.push(p);
      }
      for (const p of keep) this.offline.push(p);
    }
    let next = Infinity;
    let expired: Pending | null = null;
    for (const p of this.inflight) {
      if (p.deadline === 0) continue;
      if (p.deadline <= now) {
        expired = p;
        break;
      }
      if (p.deadline < next) next = p.deadline;
    }
    if (expired !== null) {
      // Its reply may still come, and would then be matched to the next command: the connection is
      // no longer usable. Everything on it is stuck behind the same silent server.
      const err = this.timeoutError(expired);
      this.breakConnection(err, err);
      return;
    }
    for (const p of this.offline) if (p.deadline !== 0 && p.deadline < next) next = p.deadline;
    if (next !== Infinity) this.armTimeout(next);
  }

  private timeoutError(p: Pending): TimeoutError {
    const err = new TimeoutError(`${commandName(p)} timed out waiting for its reply`);
    err.command = commandName(p);
    return err;
  }

  // ---- connecting ---------------------------------------------------------------------------------

  /** Connects (once): resolves when the handshake is done. A failure of the first attempt rejects. */
  connect(): Promise<void> {
    if (this.state === 'ready') return Promise.resolve();
    if (this.state === 'closing' || this.state === 'closed') {
      return Promise.reject(new ClientClosedError('the connection is closed'));
    }
    if (this.connectPromise !== null) return this.connectPromise;
    this.state = 'connecting';
    this.connectPromise = traceConnect(this.options, () => this.open()).then(
      () => {
        this.connectPromise = null;
      },
      (err: Error) => {
        this.connectPromise = null;
        // After a disconnect() or close() that came first, there is nothing left to settle here.
        if (!this.isClosed()) {
          if (this.everReady) {
            this.scheduleReconnect(err);
          } else {
            // The first connection failed: report it to the caller and to everything waiting.
            this.state = 'idle';
            this.rejectQueue(this.offline, err);
          }
        }
        throw err;
      },
    );
    return this.connectPromise;
  }

  private async open(): Promise<void> {
    const resolver = this.options.resolver;
    if (resolver !== undefined) {
      const at = await resolver.resolve();
      if (this.isClosed()) throw new ClientClosedError('the connection was closed while connecting');
      this.options.host = at.host;
      this.options.port = at.port;
    }
    const socket = await this.openSocket();
    const ocsp = typeof this.options.tls === 'object' ? this.options.tls.ocsp : undefined;
    if (ocsp !== undefined) await this.checkOcsp(socket as tls.TLSSocket, ocsp);
    // Each await of the connect path may have let a disconnect() or close() in.
    if (this.isClosed()) {
      socket.destroy();
      throw new ClientClosedError('the connection was closed while connecting');
    }
    this.socket = socket;
    this.parser.reset();
    this.waitingDrain = false;
    // TLS sockets have no `onread`: they deliver chunks as events.
    if (socket instanceof tls.TLSSocket) socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      this.waitingDrain = false;
      this.flush();
    });
    socket.on('error', (err) => this.fail(new ConnectionError(`connection error: ${err.message}`, { cause: err })));
    socket.on('close', () => this.onSocketClose(socket));
    this.emit('connect');
    const timeout = this.options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
    const timer = setTimeout(() => {
      this.fail(new TimeoutError(`the handshake did not finish within ${timeout} ms`));
    }, timeout);
    try {
      await this.handshake();
      if (resolver?.verify !== undefined) {
        const at = { host: this.options.host!, port: this.options.port! };
        await resolver.verify(at, (args) => {
          const reply = this.sendNow(args);
          this.flush();
          return reply;
        });
      }
    } catch (e) {
      if (this.socket === socket) {
        this.socket = null;
        socket.destroy();
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
    if (this.isClosed()) throw new ClientClosedError('the connection was closed during the handshake');
    if (this.socket !== socket) throw new ConnectionError('the connection closed during the handshake');
    this.state = 'ready';
    const reconnect = this.everReady;
    this.everReady = true;
    this.failedAttempts = 0;
    // Fresh credentials were just used: whatever expired before is behind us.
    this.authFailure = null;
    this.reauthWaiting = null;
    this.listenForCredentials();
    this.lastActivity = this.readyAt = Date.now();
    this.endRenewal();
    this.options.events?.dispatch('connectionCreated', () => ({ connection: this, reconnect }));
    this.armAge();
    // Everything that waited goes out now, in the order it was issued.
    for (let p = this.offline.shift(); p !== undefined; p = this.offline.shift()) this.enqueue(p);
    this.emit('ready');
  }

  /** The OCSP check of a TLS socket, before anything (even HELLO) is written on it: fails the attempt when it fails. */
  private async checkOcsp(socket: tls.TLSSocket, mode: OcspMode): Promise<void> {
    // The socket has no other listener yet: an error while the responder is asked must not crash the process.
    const ignore = () => {};
    socket.on('error', ignore);
    try {
      await checkOcsp(socket, mode, this.options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT);
    } catch (e) {
      socket.destroy();
      throw e;
    } finally {
      socket.off('error', ignore);
    }
    if (socket.destroyed) throw new ConnectionError(`the connection to ${describe(this.options)} closed during its OCSP check`);
  }

  private openSocket(): Promise<net.Socket> {
    const o = this.options;
    const timeout = o.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
    const keepAlive = o.keepAlive ?? DEFAULT_KEEPALIVE;
    return new Promise((resolve, reject) => {
      let socket: net.Socket;
      const readyEvent = o.tls ? 'secureConnect' : 'connect';
      const base = o.path !== undefined ? { path: o.path } : { host: o.host ?? '127.0.0.1', port: o.port ?? 6379 };
      if (o.tls) {
        const { ocsp, ...given } = o.tls === true ? {} : o.tls;
        // requestOCSP is a TLSSocket option that tls.connect passes on; Node's types leave it out.
        const tlsOpts: tls.ConnectionOptions & { requestOCSP?: boolean } = { ...base, ...given };
        const host = o.host ?? '127.0.0.1';
        if (tlsOpts.servername === undefined && o.path === undefined && net.isIP(host) === 0) tlsOpts.servername = host;
        if (ocsp !== undefined && ocsp !== 'responder') tlsOpts.requestOCSP = true;
        socket = tls.connect(tlsOpts);
        if (tlsOpts.requestOCSP === true) watchStaple(socket as tls.TLSSocket);
      } else {
        // Reads land in one buffer shared by every plain connection instead of a fresh 64 KB
        // allocation per read: each chunk is parsed before the next read can overwrite it, and the
        // parser copies out whatever it keeps. While a large value is being assembled, the socket
        // reads straight into the value's own buffer instead, so its bytes are never copied.
        socket = net.connect({
          ...base,
          onread: {
            buffer: () => (this.socket === socket ? this.directTarget() : null) ?? sharedReadBuffer,
            callback: (n: number, buf: Uint8Array) => {
              if (this.socket !== socket) return true;
              if (buf === sharedReadBuffer) this.onData(sharedReadBuffer.subarray(0, n));
              else this.onDirect(n);
              return true;
            },
          },
        });
      }
      const settle = (err: Error | null) => {
        clearTimeout(timer);
        this.abortConnect = null;
        socket.off('error', onError);
        if (err === null) return;
        socket.destroy();
        reject(err);
      };
      const timer = setTimeout(() => settle(new TimeoutError(`could not connect to ${describe(o)} within ${timeout} ms`)), timeout);
      const onError = (err: Error) => settle(new ConnectionError(`could not connect to ${describe(o)}: ${err.message}`, { cause: err }));
      // disconnect() during the attempt ends it at once rather than when the connect timer fires.
      this.abortConnect = () => settle(new ClientClosedError('the connection was closed while connecting'));
      socket.once('error', onError);
      socket.once(readyEvent, () => {
        settle(null);
        if (o.path === undefined) {
          socket.setNoDelay(o.noDelay ?? true);
          if (keepAlive !== false) socket.setKeepAlive(true, keepAlive);
        }
        resolve(socket);
      });
    });
  }

  /** Internal commands of the handshake: written at once, bypassing the ready check. */
  private sendNow(args: RedisArg[]): Promise<RespValue> {
    return new Promise((resolve, reject) => {
      this.encoder.write(args);
      this.inflight.push(new Pending(resolve, reject, undefined, null, args[0]!, false, 0));
    });
  }

  private async handshake(): Promise<void> {
    const o = this.options;
    const setup: RedisArg[][] = [];
    if (o.clientInfo !== false) {
      setup.push(['CLIENT', 'SETINFO', 'LIB-NAME', o.clientInfo?.libName ?? 'redwire']);
      setup.push(['CLIENT', 'SETINFO', 'LIB-VER', o.clientInfo?.libVersion ?? VERSION]);
    }
    if (o.db) setup.push(['SELECT', o.db]);
    if (o.readonly) setup.push(['READONLY']);
    if (o.tracking !== undefined) setup.push(['CLIENT', 'TRACKING', 'ON', ...o.tracking]);
    if (this.cacheTracking !== null) setup.push(this.cacheTracking);
    let auth: RedisArg[] | null =
      o.password !== undefined ? ['AUTH', o.username ?? 'default', o.password] : o.username !== undefined ? ['AUTH', o.username, ''] : null;
    if (o.credentials !== undefined) {
      // Asked on every connect, so a reconnect never replays a password that has been rotated away.
      const c = await resolveCredentials(o.credentials);
      if (this.isClosed()) throw new ClientClosedError('the connection was closed while connecting');
      if (this.socket === null) throw new ConnectionError('the connection closed while its credentials were fetched');
      auth = ['AUTH', c.username ?? 'default', c.password];
    }

    if (o.protocol !== 2) {
      const hello: RedisArg[] = ['HELLO', 3];
      if (auth !== null) hello.push(...auth);
      if (o.clientName !== undefined) hello.push('SETNAME', o.clientName);
      const helloReply = this.sendNow(hello);
      const setupReplies = setup.map((c) => this.sendNow(c));
      this.flush();
      let info: RespValue;
      try {
        info = await helloReply;
      } catch (e) {
        await Promise.allSettled(setupReplies);
        if (e instanceof AuthenticationError) throw e;
        const noHello = e instanceof UnknownCommandError || (e instanceof ResponseError && e.code === 'NOPROTO');
        if (!noHello || o.protocol === 3) throw e;
        // A server before 6.0: say the same in RESP2 terms.
        return this.handshake2(auth, setup);
      }
      this.protocol = 3;
      this.serverInfo = info as Record<string, RespValue>;
      await this.settleSetup(setup, setupReplies);
      return;
    }
    return this.handshake2(auth, setup);
  }

  private async handshake2(auth: RedisArg[] | null, setup: RedisArg[][]): Promise<void> {
    this.protocol = 2;
    // A RESP2 AUTH with the default user takes the password alone, which old servers require.
    const authReply = auth === null ? null : this.sendNow(auth[1] === 'default' ? ['AUTH', auth[2]!] : auth);
    const nameReply = this.options.clientName !== undefined ? this.sendNow(['CLIENT', 'SETNAME', this.options.clientName]) : null;
    const setupReplies = setup.map((c) => this.sendNow(c));
    this.flush();
    try {
      if (authReply !== null) await authReply;
      if (nameReply !== null) await nameReply;
    } catch (e) {
      // Every reply is awaited, the name's too when AUTH failed first: a rejection left unawaited
      // would surface as an unhandled rejection in the user's process.
      await Promise.allSettled(nameReply === null ? setupReplies : [nameReply, ...setupReplies]);
      throw e;
    }
    await this.settleSetup(setup, setupReplies);
  }

  private async settleSetup(setup: RedisArg[][], replies: Promise<RespValue>[]): Promise<void> {
    const results = await Promise.allSettled(replies);
    results.forEach((r, i) => {
      // CLIENT SETINFO is missing before Redis 7.2: that is fine, the rest is not.
      if (r.status === 'rejected' && setup[i]![1] !== 'SETINFO') throw r.reason;
    });
  }

  // ---- re-authentication -------------------------------------------------------------------------

  private listenForCredentials(): void {
    const provider = this.options.credentials;
    if (!isStreaming(provider) || this.credentialFeed?.provider === provider) return;
    this.stopListeningForCredentials();
    // Re-authentication runs on the dispatcher's events: the provider is subscribed once per
    // dispatcher, however many connections listen.
    const events = this.options.events ?? sharedDispatcher(provider);
    const onRenewed = (e: CredentialsRenewedEvent) => {
      if (e.provider === provider) this.reauthenticate(provider, e.credentials);
    };
    const onFailed = ({ provider: from, error, expired }: { provider: StreamingCredentialProvider; error: Error; expired: boolean }) => {
      if (from !== provider || !expired || this.options.credentials !== provider) return;
      this.authFailure = error instanceof TokenRenewalError ? error : new TokenRenewalError(`the credentials expired and could not be renewed: ${error.message}`, { cause: error });
    };
    events.on('credentialsRenewed', onRenewed);
    events.on('credentialsFailed', onFailed);
    const unwatch = events.watchCredentials(provider);
    this.credentialFeed = {
      provider,
      stop: () => {
        events.off('credentialsRenewed', onRenewed);
        events.off('credentialsFailed', onFailed);
        unwatch();
      },
    };
  }

  /** A command refused because the credentials ran out: its own error, naming it, the cause kept. */
  private refusedByAuth(p: Pending): TokenRenewalError {
    const failure = this.authFailure!;
    const e = new TokenRenewalError(failure.message, { cause: failure.cause });
    e.command = commandName(p);
    return e;
  }

  private stopListeningForCredentials(): void {
    this.reauthWaiting = null;
    const feed = this.credentialFeed;
    this.credentialFeed = null;
    feed?.stop();
  }

  /**
   * Sends AUTH with renewed credentials on the live connection, without reconnecting. It is written
   * after what is already queued, so a busy connection re-authenticates right after its current
   * commands, and one blocked (BLPOP) as soon as the block ends: the server reads it then.
   */
  private reauthenticate(provider: StreamingCredentialProvider, c: Credentials): void {
    if (this.options.credentials !== provider) {
      // A user's own AUTH replaced the provider: it no longer speaks for this connection.
      this.stopListeningForCredentials();
      this.releaseHeld();
      return;
    }
    this.authFailure = null;
    // Not connected: the next handshake asks the provider and gets these.
    if (this.state !== 'ready') return;
    if (this.reauthHandler !== null && this.reauthHandler(c)) return;
    this.reauthWaiting = c;
    // Idle: at once. Otherwise right after the current command's reply: a connection blocked in
    // BLPOP sends it when the block ends, with the newest credentials by then rather than a queue of
    // stale ones that may have been revoked meanwhile.
    if (this.inflight.length === this.reauthInflight) this.sendReauth();
  }

  /**
   * While AUTH with renewed credentials waits for the reply at the head of the queue, what is issued
   * waits in the offline queue, unwritten, so that AUTH goes ahead of it. It costs no time: the server
   * would not read it before that reply anyway.
   */
  private hold(p: Pending): void {
    checkArgs(p.args!, MAX_BULK_LENGTH);
    if (this.offline.length >= (this.options.offlineQueueLimit ?? DEFAULT_OFFLINE_LIMIT)) throw new ConnectionError('the offline queue is full');
    this.offline.push(p);
    if (p.deadline !== 0) this.armTimeout(p.deadline);
  }

  /** Writes, in order, what was held for a re-authentication. */
  private releaseHeld(): void {
    if (this.state !== 'ready') return;
    for (let p = this.offline.shift(); p !== undefined; p = this.offline.shift()) this.enqueue(p);
  }

  private sendReauth(): void {
    const c = this.reauthWaiting!;
    this.reauthWaiting = null;
    if (this.state !== 'ready') return;
    this.reauthInflight++;
    const done = (error: unknown) => {
      this.reauthInflight--;
      if (error === null) {
        this.emit('reauthenticated');
        this.options.events?.dispatch('reauthenticated', () => ({ connection: this }));
        return;
      }
      const e = error instanceof Error ? error : new AuthenticationError(String(error));
      if (this.listenerCount('reauthFailed') > 0) this.emit('reauthFailed', e);
      this.options.events?.dispatch('reauthFailed', () => ({ connection: this, error: e }));
    };
    const p = new Pending(() => done(null), (e) => done(e), undefined, ['AUTH', c.username ?? 'default', c.password], 'AUTH', false, 0);
    this.enqueue(p);
    this.releaseHeld();
  }

  // ---- failures and reconnecting ------------------------------------------------------------------

  /** A failure of the live connection: close it and reject what it carried. */
  private fail(err: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
    const inflightError = err instanceof ConnectionError || err instanceof TimeoutError || err instanceof InvalidResponse
      ? err
      : new ConnectionError(err.message, { cause: err });
    this.breakConnection(inflightError, err);
  }

  private breakConnection(inflightError: Error, cause: Error): void {
    const socket = this.socket;
    this.socket = null;
    this.readyAt = 0;
    if (this.ageTimer !== null) {
      clearTimeout(this.ageTimer);
      this.ageTimer = null;
    }
    if (this.timeoutTimer !== null) {
      clearTimeout(this.timeoutTimer);
      this.timeoutTimer = null;
    }
    this.rejectQueue(this.inflight, inflightError);
    this.encoder.take();
    this.parser.reset();
    const moving = this.moving;
    if (moving) {
      this.moving = false;
      if (this.moveTimer !== null) clearTimeout(this.moveTimer);
      this.moveTimer = null;
    }
    if (socket !== null) {
      socket.destroy();
      if (this.state === 'ready' || moving) {
        this.state = 'connecting';
        this.emit('close');
        if (moving) this.failedAttempts = 0;
        this.scheduleReconnect(cause, moving ? 0 : undefined);
      }
    }
    if (this.offline.length > 0) {
      for (const p of this.offline) if (p.deadline !== 0) this.armTimeout(p.deadline);
    }
  }

  private rejectQueue(queue: Queue<Pending>, err: Error): void {
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
      let e = err;
      if (err instanceof RedisError && err.command === undefined) {
        // Each rejected command gets its own error naming it, with the cause kept.
        const Cls = err.constructor as new (m: string, o?: { cause?: unknown }) => RedisError;
        e = new Cls(err.message, { cause: err.cause ?? err });
        (e as RedisError).command = commandName(p);
      }
      p.reject(e, p.index);
    }
  }

  private onSocketClose(socket: net.Socket): void {
    if (this.socket !== socket) return;
    if (this.state === 'closing') {
      // The end of close(): after QUIT the server hangs up, as asked. Nothing is owed any more.
      this.socket = null;
      this.rejectQueue(this.inflight, new ConnectionError('the connection closed before its reply came'));
      return;
    }
    // The server closed the connection (killed, restarted, CLIENT KILL, idle timeout).
    this.fail(new ConnectionError('the connection was closed by the server'));
  }

  /**
   * Moves to the address `options.resolver` gives now (the sentinel client calls it on a failover).
   * Commands not yet written wait for the new connection; those in flight get their replies from the
   * old one for up to `graceMs`, then reject with ConnectionError. A reconnect that was waiting for
   * its backoff starts at once. Without a resolver it reconnects to the same address.
   */
  relocate(graceMs = 1000, reason = 'the server moved'): void {
    if (this.state === 'reconnecting' && this.reconnectTimer !== null) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
      this.reconnectIn(0);
      return;
    }
    if (this.state !== 'ready' || this.moving) return;
    // Not ready: what is issued from now on waits in the offline queue for the new connection.
    this.state = 'connecting';
    this.moving = true;
    this.moveReason = reason;
    // No limit of its own when renewing: each reply still has its commandTimeout.
    if (Number.isFinite(graceMs)) {
      this.moveTimer = setTimeout(() => {
        this.moveTimer = null;
        this.fail(new ConnectionError(`${reason} and the replies in flight did not come within ${graceMs} ms`));
      }, graceMs);
    }
    if (this.inflight.length === 0) this.finishMove();
  }

  /** Every reply owed by the old socket is in: drop it and connect where the resolver says. */
  private finishMove(): void {
    if (!this.moving || this.inflight.length > 0 || this.socket === null) return;
    const why = new ConnectionError(this.moveReason);
    this.breakConnection(why, why);
  }

  /**
   * At maxConnectionAge the connection moves to a new socket as relocate() does: what is issued from
   * then on waits, the old socket delivers every reply it owes, then the new one takes over. Pooled
   * connections (which do not reconnect) are the pool's to replace; subscribers and monitors are left
   * alone, since messages sent while they switched would be lost. A random tenth is added to the age
   * so that connections made together are not all renewed at once.
   */
  private armAge(): void {
    if (this.ageTimer !== null) clearTimeout(this.ageTimer);
    this.ageTimer = null;
    const max = this.options.maxConnectionAge ?? 0;
    if (max <= 0 || this.reconnectPolicy === false) return;
    this.ageTimer = setTimeout(() => this.renewForAge(max), max * (1 + Math.random() * 0.1));
    this.ageTimer.unref();
  }

  /** One connection of the process renews at a time: the others keep their sockets a little longer. */
  private renewForAge(max: number): void {
    this.ageTimer = null;
    if (this.state !== 'ready' || this.replyInterceptor !== null) return;
    if (renewingForAge !== null && renewingForAge !== this && Date.now() - renewingSince < RENEWAL_TURN) {
      this.ageTimer = setTimeout(() => this.renewForAge(max), 20 + Math.random() * 80);
      this.ageTimer.unref();
      return;
    }
    renewingForAge = this;
    renewingSince = Date.now();
    this.renewing = true;
    this.relocate(Infinity, `the connection reached maxConnectionAge (${max} ms)`);
  }

  /** The renewal is over, done or failed: the next connection may renew. */
  private endRenewal(): void {
    this.renewing = false;
    if (renewingForAge === this) renewingForAge = null;
  }

  private scheduleReconnect(err: Error, delay?: number): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    const policy = this.reconnectPolicy;
    this.failedAttempts++;
    const limit = this.options.maxOfflineAttempts ?? DEFAULT_OFFLINE_ATTEMPTS;
    if (this.failedAttempts > 1 && (this.failedAttempts - 1) % limit === 0 && this.offline.length > 0) {
      this.rejectQueue(this.offline, new ConnectionError(`could not reconnect after ${this.failedAttempts - 1} attempts: ${err.message}`, { cause: err }));
    }
    if (policy === false || (policy.retries >= 0 && this.failedAttempts > policy.retries)) {
      this.end(new ConnectionError(`gave up reconnecting: ${err.message}`, { cause: err }));
      return;
    }
    const wait = delay ?? policy.backoffFor(this.failedAttempts);
    this.state = 'reconnecting';
    this.emit('reconnecting', { attempt: this.failedAttempts, delay: wait, error: err });
    this.reconnectIn(wait);
  }

  private reconnectIn(delay: number): void {
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.state !== 'reconnecting') return;
      this.state = 'connecting';
      this.connectPromise = traceConnect(this.options, () => this.open()).then(
        () => {
          this.connectPromise = null;
        },
        (e: Error) => {
          this.connectPromise = null;
          if (this.isClosed()) return;
          // A renewal whose new socket failed is an outage like any other.
          this.endRenewal();
          if (this.listenerCount('error') > 0) this.emit('error', e);
          this.scheduleReconnect(e);
        },
      );
    }, delay);
  }

  private end(err: Error): void {
    this.state = 'closed';
    this.stopListeningForCredentials();
    this.rejectQueue(this.offline, err);
    this.emit('end');
  }

  // ---- closing ------------------------------------------------------------------------------------

  /** Waits for the replies in flight, sends QUIT, and closes. Later commands are refused. */
  close(): Promise<void> {
    if (this.closePromise !== null) return this.closePromise;
    this.closePromise = this.closeGracefully();
    return this.closePromise;
  }

  private async closeGracefully(): Promise<void> {
    // Relocating: the replies in flight on the old socket still come (or time out) first.
    if (this.moving) await new Promise<void>((resolve) => this.once('close', () => resolve()));
    if (this.state === 'connecting' && this.connectPromise !== null) {
      await this.connectPromise.catch(() => {});
    }
    let wasOpen = false;
    if (this.state === 'ready') {
      wasOpen = true;
      const quit = this.send(['QUIT']).catch(() => {});
      this.state = 'closing';
      const socket = this.socket!;
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      await quit;
      socket.end();
      await closed;
    }
    this.shutdown(new ClientClosedError('the connection was closed'), wasOpen);
  }

  private isClosed(): boolean {
    return this.state === 'closed' || this.state === 'closing';
  }

  /** Closes at once: whatever is in flight or queued is rejected with a ConnectionError. */
  disconnect(): void {
    this.shutdown(new ConnectionError('the connection was closed by disconnect()'));
  }

  private shutdown(err: Error, wasOpen = false): void {
    const wasClosed = this.state === 'closed';
    this.state = 'closed';
    this.stopListeningForCredentials();
    this.abortConnect?.();
    if (this.reconnectTimer !== null) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    this.moving = false;
    if (this.moveTimer !== null) {
      clearTimeout(this.moveTimer);
      this.moveTimer = null;
    }
    if (this.ageTimer !== null) {
      clearTimeout(this.ageTimer);
      this.ageTimer = null;
    }
    this.endRenewal();
    if (this.timeoutTimer !== null) {
      clearTimeout(this.timeoutTimer);
      this.timeoutTimer = null;
    }
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
    this.rejectQueue(this.inflight, err);
    this.rejectQueue(this.offline, err);
    if (!wasClosed) {
      if (socket !== null || wasOpen) this.emit('close');
      this.emit('end');
    }
  }
}

function noop(): void {}

const sharedReadBuffer = Buffer.allocUnsafe(64 * 1024);
/** From this many bytes on, a batch's write gives its slabs back to the encoder when it is done. */
const LARGE_WRITE = 64 * 1024;

/** Where a connection goes, for messages: `host:port` or the socket path. */
export function describe(o: ConnectionOptions): string {
  return o.path ?? `${o.host ?? '127.0.0.1'}:${o.port ?? 6379}`;
}
