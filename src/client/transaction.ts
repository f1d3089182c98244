import type { BatchCommand, Connection, SendOptions } from '../connection/connection.js';
import { traceBatch } from '../tracing.js';
import { ConnectionError, DataError, ExecAbortError, RedisError, TimeoutError, WatchError } from '../errors.js';
import { MAX_BULK_LENGTH, checkArgs, type RedisArg } from '../protocol/encoder.js';
import type { RespValue } from '../protocol/parser.js';
import type { ChainCtx, CommandTarget, MethodDef, PromiseCtx, RedisKey, RedisValue } from '../commands/command.js';
import { coreMethods, type CoreCommands } from '../commands/index.js';
import { checkKey, installCommands } from '../commands/registry.js';
import { blockingMs, blockingMsOfArgv } from '../pool/blocking.js';
import type { Lease } from './client.js';
import {
  annotate,
  asRedisError,
  CommandBatch,
  explainNoScript,
  installChainCommands,
  loadScripts,
  type BatchProvider,
  type BatchTarget,
  type ExecOptions,
  type QueuedCommand,
  type Settled,
} from './pipeline.js';
import type { Script } from './script.js';
import { captureCaller, withCallerStack } from '../connection/caller-stack.js';

const ASKING_COMMAND: BatchCommand = { argv: ['ASKING'], transform: undefined };
const MULTI_COMMAND: BatchCommand = { argv: ['MULTI'], transform: undefined };
const EXEC_COMMAND: BatchCommand = { argv: ['EXEC'], transform: undefined };

declare module '../commands/command.js' {
  interface ChainKinds<T extends unknown[], S extends string | Buffer> {
    multi: Multi<T, S>;
  }
}

declare module '../errors.js' {
  interface ExecAbortError {
    /** The commands the server refused while queueing, each with its `position` and `command`. */
    errors?: RedisError[];
  }
}

const DEFAULT_OFFLINE_LIMIT = 100_000;

/** Hooks a transaction() attempt sets on its Multi: exec refuses to run once the watch is lost. */
export interface ExecGuard {
  /** Throws WatchError when the watching connection broke; else notes that EXEC is on its way. */
  beforeExec(): void;
  /** EXEC answered nil: a watched key changed. */
  watchFailed(): void;
}

/**
 * For a cluster: where a transaction answered MOVED / ASK goes next, whole (`asking`: ASKING before
 * MULTI, which covers every command up to EXEC); null to give the error to the caller. `tries`
 * counts the redirects followed so far.
 */
export type MultiRedirect = (error: unknown, tries: number) => MultiNext | null | Promise<MultiNext | null>;

/** Where a redirected transaction goes next, and whether ASKING goes before its MULTI. */
export interface MultiNext {
  target: BatchTarget;
  asking: boolean;
}

/** Refuses, by throwing, a transaction that must not be sent (a cluster's keys in several slots). */
export type BatchCheck = (queued: ReadonlyArray<QueuedCommand>) => void;

/**
 * MULTI … EXEC. Commands are queued here and written with MULTI and EXEC in one go (one event-loop
 * turn), so no other caller's command can land between them on the shared connection. Each result
 * goes through its command's own reply transform, as it would outside a transaction.
 */
export class Multi<T extends unknown[] = [], S extends string | Buffer = string> extends CommandBatch {
  protected readonly what = 'transaction';
  private readonly provider: BatchProvider;
  /** @internal */
  readonly guard: ExecGuard | null;
  private readonly redirect: MultiRedirect | null;

  constructor(provider: BatchProvider, guard: ExecGuard | null = null, redirect: MultiRedirect | null = null) {
    super();
    this.provider = provider;
    this.guard = guard;
    this.redirect = redirect;
  }

  /** True once exec() or discard() was called. */
  get done(): boolean {
    return this.finished;
  }

  /** Queues any command as it is (the escape hatch); its reply is not transformed. */
  call(name: string, ...args: RedisArg[]): Multi<[...T, RespValue], S> {
    return this.queueCall(name, args) as unknown as Multi<[...T, RespValue], S>;
  }

  /** Queues a registered script; it is loaded before MULTI, in the same write. */
  evalScript<R>(script: Script<R>, keys: ReadonlyArray<RedisKey> = [], args: ReadonlyArray<RedisValue> = []): Multi<[...T, R], S> {
    return this.queueScript(script as Script<unknown>, keys, args) as unknown as Multi<[...T, R], S>;
  }

  /** Drops the queued commands. Nothing was sent, so nothing needs undoing on the server. */
  discard(): void {
    this.take();
  }

  /**
   * Runs the transaction. Rejects with ExecAbortError (its `errors` listing what the server refused)
   * when a command could not be queued, WatchError when a watched key changed, and otherwise as
   * ExecOptions says for the errors of single commands.
   */
  exec(options?: ExecOptions & { throwOnError?: true }): Promise<T>;
  exec(options: ExecOptions & { throwOnError: false }): Promise<Settled<T>>;
  exec(options?: ExecOptions): Promise<T | Settled<T>>;
  exec(options?: ExecOptions): Promise<unknown[]> {
    let queued: QueuedCommand[];
    let target: BatchTarget | Promise<BatchTarget>;
    try {
      queued = this.take();
      // Refused here, before anything is written: a command dropped from the middle of a written
      // MULTI … EXEC would leave a transaction that runs without it.
      for (const c of queued) checkArgs(c.argv, MAX_BULK_LENGTH);
      // Inside MULTI nothing blocks: the shared connection is fine whatever is queued.
      target = this.provider(false, this.changesSession(queued), queued);
    } catch (e) {
      return Promise.reject(e);
    }
    // Written now when the connection is at hand, so that commands issued after exec() come after it.
    return target instanceof Promise ? target.then((t) => this.run(queued, t, options)) : this.run(queued, target, options);
  }

  private run(queued: QueuedCommand[], target: BatchTarget, options: ExecOptions | undefined): Promise<unknown[]> {
    const run = this.redirect === null ? this.send(queued, target, options, false) : this.following(queued, target, options, this.redirect);
    // Called from exec() directly: this stack still holds its caller.
    return target.connection.options.captureStack === true ? withCallerStack(run, captureCaller()) : run;
  }

  /** Sends the whole transaction again wherever `redirect` says, for as long as it says so. */
  private async following(queued: QueuedCommand[], target: BatchTarget, options: ExecOptions | undefined, redirect: MultiRedirect): Promise<unknown[]> {
    let asking = false;
    for (let tries = 0; ; tries++) {
      try {
        return await this.send(queued, target, options, asking);
      } catch (e) {
        const next = await redirect(e, tries);
        if (next === null) throw e;
        target = next.target;
        asking = next.asking;
      }
    }
  }

  private async send(queued: QueuedCommand[], target: BatchTarget, options: ExecOptions | undefined, asking: boolean): Promise<unknown[]> {
    const connection = target.connection;
    const sendOpts = target.options(undefined);
    this.guard?.beforeExec();
    if (connection.state !== 'ready') {
      const limit = connection.options.offlineQueueLimit ?? DEFAULT_OFFLINE_LIMIT;
      if (connection.offlineCount + queued.length + 2 > limit) throw new ConnectionError('the offline queue has no room for the whole transaction');
    }
    const loads = loadScripts(connection, queued, sendOpts);
    // MULTI, the queued commands and EXEC as one batch: written together, nothing between them.
    const batch = new Array<BatchCommand>(queued.length + 2);
    batch[0] = MULTI_COMMAND;
    for (let i = 0; i < queued.length; i++) batch[i + 1] = { argv: queued[i]!.argv, transform: undefined };
    batch[queued.length + 1] = EXEC_COMMAND;
    // After ASK: one ASKING before MULTI lets every queued command in (the server keeps it until EXEC).
    const settled = await traceBatch(connection.options, { commands: queued.length, transaction: true, of: queued }, () =>
      asking ? connection.sendBatch([ASKING_COMMAND, ...batch], sendOpts).then(({ values, failed }) => ({ values: values.slice(1), failed: failed.slice(1) })) : connection.sendBatch(batch, sendOpts),
    );
    const last = queued.length + 1;
    const reply = settled.failed[last]
      ? { ok: false as const, e: settled.values[last] }
      : { ok: true as const, v: settled.values[last] as RespValue };
    const loadErrors = loads === null ? null : await loads;
    if (!reply.ok) {
      if (reply.e instanceof ExecAbortError) {
        const errors: RedisError[] = [];
        for (let i = 0; i < queued.length; i++) {
          if (!settled.failed[i + 1]) continue;
          const err = explainNoScript(asRedisError(settled.values[i + 1], queued[i]!.name), queued[i]!, loadErrors);
          errors.push(annotate(err, i, queued[i]!.name, 'transaction'));
        }
        reply.e.errors = errors;
        if (errors.length > 0) reply.e.message += ` (first: ${errors[0]!.message})`;
        throw reply.e;
      }
      // MULTI itself refused says more than EXEC's "EXEC without MULTI".
      if (settled.failed[0]) throw settled.values[0];
      throw reply.e;
    }
    if (reply.v === null) {
      this.guard?.watchFailed();
      throw new WatchError('a watched key changed: the transaction did not run');
    }
    const raw = reply.v as RespValue[];
    const n = queued.length;
    const values = new Array<unknown>(n);
    const failed = new Array<boolean>(n).fill(false);
    for (let i = 0; i < n; i++) {
      const c = queued[i]!;
      const r = raw[i];
      if (r instanceof Error) {
        const err = explainNoScript(asRedisError(r, c.name), c, loadErrors);
        err.command ??= c.name;
        values[i] = err;
        failed[i] = true;
        continue;
      }
      if (c.transform === undefined) {
        values[i] = r;
        continue;
      }
      try {
        values[i] = c.transform(r, sendOpts?.buffers === true);
      } catch (e) {
        values[i] = asRedisError(e, c.name);
        failed[i] = true;
      }
    }
    this.rememberSessions(connection, queued, failed);
    return this.finish(queued, values, failed, options);
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Multi<T extends unknown[] = [], S extends string | Buffer = string> extends CoreCommands<ChainCtx<T, 'multi', S>> {}

installChainCommands(Multi.prototype);

// ---- transaction(fn, { watch }) ------------------------------------------------------------------

/** Settings of `transaction(fn)`: the keys to WATCH and how many optimistic attempts to make. */
export interface TransactionOptions {
  /** Keys to WATCH before `fn` runs: if any changes before EXEC, the attempt is run again. */
  watch?: ReadonlyArray<RedisKey>;
  /** How many attempts before giving up with WatchError. Default 10. */
  maxAttempts?: number;
}

/** What `transaction(fn)` resolves: the results of the Multi `fn` returned, or else what `fn` returned. */
export type TransactionResult<R> = R extends Multi<infer T, infer _S> ? T : R;

/** The client's call settings for a command that may block for `blockMs` (undefined: it does not). */
export type CallOptions = (blockMs: number | undefined) => SendOptions | undefined;

/** What `transaction()` needs from its client. */
export interface TransactionHost {
  leaseConnection(): Promise<Lease>;
}

const REFUSED_IN_SCOPE = new Set([
  'MULTI', 'EXEC', 'DISCARD', 'SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE', 'MONITOR',
]);

/** One attempt's view of the watching connection. */
class Attempt implements ExecGuard {
  broken: Error | null = null;
  execSent = false;
  watchLost = false;
  multi: Multi<unknown[], string | Buffer> | null = null;
  private readonly onClose = () => {
    this.broken ??= new ConnectionError('the connection broke while watching');
  };

  constructor(readonly connection: Connection) {
    connection.on('close', this.onClose);
    connection.on('reconnecting', this.onClose);
    if (connection.state !== 'ready') this.onClose();
  }

  beforeExec(): void {
    if (this.connection.state !== 'ready') this.onClose();
    if (this.broken !== null) {
      throw new WatchError('the connection broke while watching: the watched keys may have changed unseen', { cause: this.broken });
    }
    this.execSent = true;
  }

  watchFailed(): void {
    this.watchLost = true;
  }

  /** Whether the attempt failed in a way another attempt can fix, with nothing written. */
  retryable(e: unknown): boolean {
    if (this.watchLost) return e instanceof WatchError;
    if (e instanceof WatchError && this.broken !== null) return true;
    return this.broken !== null && !this.execSent && (e instanceof ConnectionError || e instanceof TimeoutError);
  }

  dispose(): void {
    this.connection.off('close', this.onClose);
    this.connection.off('reconnecting', this.onClose);
  }
}

/**
 * The connection a transaction() callback reads through, with WATCH still on: every command of the
 * table as a method resolving its reply, and `multi()` to queue the writes that EXEC applies only if
 * the watched keys stayed as they were.
 */
export class TransactionScope<S extends string | Buffer = string> implements CommandTarget {
  private readonly attempt: Attempt;
  private readonly options: CallOptions;
  private readonly check: BatchCheck | null;

  /** @internal */
  constructor(attempt: Attempt, options: CallOptions, check: BatchCheck | null = null) {
    this.attempt = attempt;
    this.options = options;
    this.check = check;
  }

  /** @internal */
  sendCommand(def: MethodDef, argv: RedisArg[]): Promise<unknown> {
    return this.attempt.connection.send(argv, def.transform, this.options(blockingMs(def.info, argv)));
  }

  /** @internal */
  invalidArguments(error: unknown): Promise<never> {
    return Promise.reject(error);
  }

  /** Sends any command as it is, on the watching connection. */
  call(name: string, ...args: RedisArg[]): Promise<RespValue> {
    if (typeof name !== 'string' || name === '') return Promise.reject(new DataError('call: the command name must be a non-empty string'));
    const argv: RedisArg[] = name.includes(' ') ? [...name.split(' '), ...args] : [name, ...args];
    const upper = String(argv[0]).toUpperCase();
    if (REFUSED_IN_SCOPE.has(upper)) return Promise.reject(new DataError(`${upper} cannot be sent inside transaction(): use tx.multi()`));
    return this.attempt.connection.send(argv, undefined, this.options(blockingMsOfArgv(argv)));
  }

  /** Watches more keys, found while reading. */
  async watch(...keys: RedisKey[]): Promise<void> {
    for (const k of keys) checkKey('WATCH', 'key', k);
    if (keys.length === 0) return;
    await this.attempt.connection.send(['WATCH', ...keys], undefined, this.options(undefined));
  }

  /**
   * The transaction's writes: return it from the callback (or exec() it there) and it runs with
   * EXEC, only if no watched key changed. One per attempt: EXEC ends the watch.
   */
  multi(): Multi<[], S> {
    const attempt = this.attempt;
    if (attempt.multi !== null) throw new DataError('transaction(): multi() was already called in this attempt; EXEC ends the watch, so there is one per attempt');
    const target = { connection: attempt.connection, options: this.options };
    const check = this.check;
    const m = new Multi<[], S>(check === null ? () => target : (_o, _s, queued) => (check(queued), target), attempt);
    attempt.multi = m as unknown as Multi<unknown[], string | Buffer>;
    return m;
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface TransactionScope<S extends string | Buffer = string> extends CoreCommands<PromiseCtx<S>> {}

{
  const own = new Set(Object.getOwnPropertyNames(TransactionScope.prototype));
  const defs: Record<string, MethodDef> = {};
  for (const name of Object.keys(coreMethods)) if (!own.has(name)) defs[name] = coreMethods[name]!;
  installCommands(TransactionScope.prototype, defs);
}

/**
 * The optimistic-locking loop of redis-py's `transaction()`: on a connection of its own, WATCH the
 * keys, run `fn` (reads, then writes queued on `tx.multi()`), EXEC; when a watched key changed (EXEC
 * answers nil) or the connection broke before EXEC was written, run again, up to `maxAttempts`.
 * A break after EXEC was written is a ConnectionError: whether it ran is unknown, so it is not re-run.
 */
export async function runTransaction<S extends string | Buffer>(
  host: TransactionHost,
  options: CallOptions,
  fn: (tx: TransactionScope<S>) => unknown,
  opts: TransactionOptions,
  /** Refuses tx.multi()'s commands before EXEC is sent (the cluster's one-slot rule). */
  check: BatchCheck | null = null,
): Promise<unknown> {
  if (typeof fn !== 'function') throw new DataError('transaction: fn must be a function');
  const watch = opts?.watch ?? [];
  if (!Array.isArray(watch)) throw new DataError('transaction: watch must be an array of keys');
  for (const k of watch) checkKey('WATCH', 'key', k);
  const maxAttempts = opts?.maxAttempts ?? 10;
  if (!(maxAttempts >= 1)) throw new DataError('transaction: maxAttempts must be at least 1');

  let lease: Lease | null = null;
  let dirty = false;
  let lastError: unknown;
  try {
    for (let n = 1; n <= maxAttempts; n++) {
      lease ??= await host.leaseConnection();
      const attempt = new Attempt(lease.connection);
      try {
        const value = await runAttempt(attempt, options, fn, watch, check);
        dirty = !(await endWatch(attempt, options));
        return value;
      } catch (e) {
        if (!attempt.retryable(e)) {
          dirty = !(await endWatch(attempt, options));
          throw e;
        }
        lastError = e;
        if (attempt.broken !== null) {
          lease.release(true);
          lease = null;
        }
      } finally {
        attempt.dispose();
      }
    }
  } finally {
    lease?.release(dirty);
  }
  throw new WatchError(`transaction: gave up after ${maxAttempts} attempts: the watched keys kept changing`, { cause: lastError });
}

async function runAttempt<S extends string | Buffer>(
  attempt: Attempt,
  options: CallOptions,
  fn: (tx: TransactionScope<S>) => unknown,
  watch: ReadonlyArray<RedisKey>,
  check: BatchCheck | null,
): Promise<unknown> {
  if (watch.length > 0) await attempt.connection.send(['WATCH', ...watch], undefined, options(undefined));
  const scope = new TransactionScope<S>(attempt, options, check);
  const value = await fn(scope);
  const m = attempt.multi;
  if (value instanceof Multi && value === m && !m.done) return m.exec();
  if (m !== null && !m.done) throw new DataError('transaction(): tx.multi() was neither returned, executed nor discarded');
  return value;
}

/**
 * Leaves the connection without a watch, so it can be handed back: EXEC ends a watch by itself, else
 * UNWATCH. False when the connection's state is unknown (it broke, or EXEC's reply never came).
 */
async function endWatch(attempt: Attempt, options: CallOptions): Promise<boolean> {
  if (attempt.broken !== null) return false;
  if (attempt.execSent) return true;
  try {
    await attempt.connection.send(['UNWATCH'], undefined, options(undefined));
    return attempt.broken === null;
  } catch {
    return false;
  }
}
