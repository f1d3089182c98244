import type { BatchCommand, Connection, ReplyTransform, SendOptions } from '../connection/connection.js';
import { traceBatch } from '../tracing.js';
import { ConnectionError, DataError, InvalidResponse, NoScriptError, RedisError, TimeoutError } from '../errors.js';
import { blockingMs, blockingMsOfArgv } from '../pool/blocking.js';
import { MAX_BULK_LENGTH, checkArgs, type RedisArg } from '../protocol/encoder.js';
import type { RespValue } from '../protocol/parser.js';
import { Flag, type ChainCtx, type MethodDef, type RedisKey, type RedisValue } from '../commands/command.js';
import { coreMethods, type CoreCommands } from '../commands/index.js';
import { commandLabel, installCommands } from '../commands/registry.js';
import type { Script } from './script.js';
import { isSessionCommand, rememberSession, sessionIdOf, sharedConnectionMisuse } from './session-state.js';
import { captureCaller, withCallerStack } from '../connection/caller-stack.js';

declare module '../commands/command.js' {
  interface ChainKinds<T extends unknown[], S extends string | Buffer> {
    pipeline: Pipeline<T, S>;
  }
}

declare module '../errors.js' {
  interface RedisError {
    /** In a pipeline or transaction: the failed command's index in `exec()`'s results. */
    position?: number;
  }
}

/** Where a batch is written: one connection, whole, with the caller's per-call settings. */
export interface BatchTarget {
  readonly connection: Connection;
  /** The settings for a command that may hold the server's reply for `blockMs` (undefined: it does not block). */
  options(blockMs: number | undefined): SendOptions | undefined;
  /** Gives back a connection lent for this batch alone; `dirty` when it cannot be trusted any more. */
  release?(dirty: boolean): void;
}

/**
 * Picks the connection at `exec()` time. `ownConnection`: the batch holds a blocking command, which
 * must not stall everyone else on a shared connection. `changesSession`: it holds a SELECT or another
 * command whose effect every connection of the client must share.
 */
export type BatchProvider = (
  ownConnection: boolean,
  changesSession: boolean,
  /** What is about to be sent: a cluster picks the node by its keys, or refuses it. */
  queued: ReadonlyArray<QueuedCommand>,
) => BatchTarget | Promise<BatchTarget>;

/**
 * Runs a whole batch in place of one connection (the cluster's pipeline, which splits it by node):
 * every command's result or error, in order.
 */
export type BatchRunner = (queued: QueuedCommand[]) => Promise<{ values: unknown[]; failed: boolean[] }>;

/** How `exec()` of a pipeline or MULTI reports failed commands: reject on the first, or settle each. */
export interface ExecOptions {
  /**
   * `true` (the default): reject with the first failed command's error once every command has run,
   * its message prefixed with the command's position and name. `false`: resolve with every result,
   * a failed command's error in its place.
   */
  throwOnError?: boolean;
}

/** Each result of a batch, or the error its command failed with. */
export type Settled<T extends unknown[]> = { [K in keyof T]: T[K] | RedisError };

/** A session command's table id, for a command queued by a method or by `call()`. */
function sessionId(c: QueuedCommand): string | null {
  if (c.id !== null) return isSessionCommand(c.id) ? c.id : null;
  return c.script === null ? sessionIdOf(c.argv) : null;
}

const REFUSED_IN_BATCH = new Set([
  'MULTI', 'EXEC', 'DISCARD', 'WATCH', 'UNWATCH',
  'SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE', 'MONITOR',
]);

/** One command waiting in a batch: a plain record, its name worked out only for an error message. */
export class QueuedCommand {
  constructor(
    readonly argv: RedisArg[],
    readonly transform: ReplyTransform | undefined,
    /** The table's id ('client|list'), or null for `call()` and scripts. */
    readonly id: string | null,
    readonly script: Script<unknown> | null,
    /** How long the server may hold its reply (ms, 0: forever); undefined when it does not block. */
    readonly blockMs: number | undefined,
    /** True for a binary reply (DUMP…): Buffers whatever the batch asks for. */
    readonly buffers: true | undefined = undefined,
  ) {}

  /** Upper case, container commands with their subcommand ('CLIENT LIST'): for error messages. */
  get name(): string {
    return this.id !== null ? commandLabel(this.id) : String(this.argv[0]).toUpperCase();
  }
}

/** Every own method name of a class, up the chain: these win over command methods of the same name. */
function ownNames(proto: object): Set<string> {
  const names = new Set<string>();
  for (let p: object | null = proto; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const n of Object.getOwnPropertyNames(p)) names.add(n);
  }
  return names;
}

/** Installs the command table on a chaining class, leaving the class's own methods (exec…) alone. */
export function installChainCommands(proto: object): void {
  const own = ownNames(proto);
  const defs: Record<string, MethodDef> = {};
  for (const name of Object.keys(coreMethods)) if (!own.has(name)) defs[name] = coreMethods[name]!;
  installCommands(proto, defs);
}

/** Turns whatever a command failed with into a RedisError (a transform may throw anything). */
export function asRedisError(e: unknown, name: string): RedisError {
  if (e instanceof RedisError) return e;
  const err = new InvalidResponse(`failed to read the reply: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  err.command = name;
  return err;
}

/** After these, the connection's state is unknown. */
function breaksConnection(e: unknown): boolean {
  return e instanceof ConnectionError || e instanceof TimeoutError || e instanceof InvalidResponse;
}

/** The redis-py style message: the position (from 1) and name, never the arguments. */
export function annotate(err: RedisError, index: number, name: string, what: string): RedisError {
  err.message = `Command # ${index + 1} (${name}) of ${what} caused error: ${err.message}`;
  err.position = index;
  err.command ??= name;
  return err;
}

/**
 * Waits for every promise; resolves their values, with errors in place and `failed` marking which.
 * One counter and two callbacks per command: no per-command result objects as allSettled makes.
 */
export function settleAll(promises: ReadonlyArray<Promise<unknown>>): Promise<{ values: unknown[]; failed: boolean[] }> {
  const n = promises.length;
  const values = new Array<unknown>(n);
  const failed = new Array<boolean>(n).fill(false);
  if (n === 0) return Promise.resolve({ values, failed });
  return new Promise((resolve) => {
    let left = n;
    for (let i = 0; i < n; i++) {
      promises[i]!.then(
        (v) => {
          values[i] = v;
          if (--left === 0) resolve({ values, failed });
        },
        (e: unknown) => {
          values[i] = e;
          failed[i] = true;
          if (--left === 0) resolve({ values, failed });
        },
      );
    }
  });
}

/**
 * Sends SCRIPT LOAD for each distinct script of a batch ahead of it, in the same write: the EVALSHAs
 * behind then find their script even after a SCRIPT FLUSH, at the cost of the bodies' bytes and no
 * extra round trip. Resolves the load failure (a compile error) by SHA, to stand in for NOSCRIPT.
 */
export function loadScripts(conn: Connection, queued: ReadonlyArray<QueuedCommand>, opts: SendOptions | undefined): Promise<Map<string, RedisError>> | null {
  let scripts: Map<string, Script<unknown>> | null = null;
  for (const c of queued) {
    if (c.script !== null) (scripts ??= new Map()).set(c.script.sha, c.script);
  }
  if (scripts === null) return null;
  const loads: Array<Promise<unknown>> = [];
  const shas: string[] = [];
  for (const [sha, script] of scripts) {
    shas.push(sha);
    loads.push(conn.send(['SCRIPT', 'LOAD', script.lua], undefined, opts === undefined ? undefined : { ...opts, buffers: false }));
  }
  return settleAll(loads).then(({ values, failed }) => {
    const errors = new Map<string, RedisError>();
    for (let i = 0; i < shas.length; i++) if (failed[i]) errors.set(shas[i]!, asRedisError(values[i], 'SCRIPT LOAD'));
    return errors;
  });
}

/** A NOSCRIPT for a script whose load failed says why the load failed instead. */
export function explainNoScript(err: RedisError, cmd: QueuedCommand, loadErrors: Map<string, RedisError> | null): RedisError {
  if (loadErrors === null || cmd.script === null || !(err instanceof NoScriptError)) return err;
  return loadErrors.get(cmd.script.sha) ?? err;
}

/** What pipelines and transactions share: queueing commands from the table, `call`, scripts. */
export abstract class CommandBatch {
  protected queued: QueuedCommand[] = [];
  protected finished = false;
  protected abstract readonly what: string;

  /** Commands queued so far. */
  get length(): number {
    return this.queued.length;
  }

  /** @internal Queues a command built by a method of the table. */
  sendCommand(def: MethodDef, argv: RedisArg[]): this {
    this.checkOpen();
    const info = def.info;
    // The table marks what blocks; only those pay for working out how long.
    const blockMs = info.blockMs !== undefined ? info.blockMs(argv) : (info.flags & Flag.BLOCKING) !== 0 ? blockingMs(info, argv) : undefined;
    this.queued.push(new QueuedCommand(argv, def.transform, info.id, null, blockMs, def.binary === true ? true : undefined));
    return this;
  }

  /** @internal Arguments refused while chaining throw at once, at the line that queued them. */
  invalidArguments(error: unknown): never {
    throw error;
  }

  protected queueCall(name: string, args: RedisArg[]): this {
    this.checkOpen();
    if (typeof name !== 'string' || name === '') throw new DataError('call: the command name must be a non-empty string');
    const argv: RedisArg[] = name.includes(' ') ? [...name.split(' '), ...args] : [name, ...args];
    const upper = String(argv[0]).toUpperCase();
    if (REFUSED_IN_BATCH.has(upper)) {
      // On a shared connection, a MULTI would take in every other caller's commands, and a
      // subscription or MONITOR would turn the replies of everyone into a stream of messages.
      throw new DataError(`${upper} cannot be queued in a ${this.what}: use multi(), transaction(), pubsub() or monitor()`);
    }
    // What would break a shared connection breaks a batch on it the same way (CLIENT REPLY).
    const misuse = sharedConnectionMisuse(argv);
    if (misuse !== null) throw new DataError(misuse);
    checkArgs(argv, MAX_BULK_LENGTH);
    this.queued.push(new QueuedCommand(argv, undefined, null, null, blockingMsOfArgv(argv)));
    return this;
  }

  protected queueScript(script: Script<unknown>, keys: ReadonlyArray<RedisKey>, args: ReadonlyArray<RedisValue>): this {
    this.checkOpen();
    const argv = script.argv(keys, args);
    this.queued.push(new QueuedCommand(argv, script.shaDef.transform, null, script, undefined));
    return this;
  }

  protected checkOpen(): void {
    if (this.finished) throw new DataError(`this ${this.what} was already executed or discarded; start a new one`);
  }

  /** Whether any queued command changes what every connection of the client must share (SELECT…). */
  protected changesSession(queued: ReadonlyArray<QueuedCommand>): boolean {
    return queued.some((c) => sessionId(c) !== null);
  }

  /** Session commands that succeeded are remembered, so that a reconnect restores them. */
  protected rememberSessions(connection: Connection, queued: ReadonlyArray<QueuedCommand>, failed: ReadonlyArray<boolean>): void {
    for (let i = 0; i < queued.length; i++) {
      if (failed[i]) continue;
      const id = sessionId(queued[i]!);
      if (id !== null) rememberSession(connection, id, queued[i]!.argv);
    }
  }

  /** Takes the queue and closes the batch: whatever happens next, it runs at most once. */
  protected take(): QueuedCommand[] {
    this.checkOpen();
    this.finished = true;
    const q = this.queued;
    this.queued = [];
    return q;
  }

  /** The results in place, or the first error annotated, as `options` asks. */
  protected finish(queued: ReadonlyArray<QueuedCommand>, values: unknown[], failed: boolean[], options?: ExecOptions): unknown[] {
    const throwOnError = options?.throwOnError !== false;
    for (let i = 0; i < values.length; i++) {
      if (!failed[i]) continue;
      const err = asRedisError(values[i], queued[i]!.name);
      if (throwOnError) throw annotate(err, i, queued[i]!.name, this.what);
      values[i] = err;
    }
    return values;
  }
}

/**
 * Commands queued and sent together, without MULTI: every command of the table chains, with its
 * reply type appended to the tuple `exec()` resolves. All of it leaves in one socket write.
 *
 *   const [ok, v, n] = await client.pipeline().set('a', '1').get('a').incr('n').exec();
 *
 * A pipeline runs once; `exec()` again (or chaining after it) is a DataError.
 */
export class Pipeline<T extends unknown[] = [], S extends string | Buffer = string> extends CommandBatch {
  protected readonly what = 'pipeline';
  private readonly provider: BatchProvider;
  private readonly runner: BatchRunner | null;

  constructor(provider: BatchProvider, runner: BatchRunner | null = null) {
    super();
    this.provider = provider;
    this.runner = runner;
  }

  /** Queues any command as it is (the escape hatch); its reply is not transformed. */
  call(name: string, ...args: RedisArg[]): Pipeline<[...T, RespValue], S> {
    return this.queueCall(name, args) as unknown as Pipeline<[...T, RespValue], S>;
  }

  /** Queues a registered script; it is loaded ahead of the batch, so SCRIPT FLUSH cannot break it. */
  evalScript<R>(script: Script<R>, keys: ReadonlyArray<RedisKey> = [], args: ReadonlyArray<RedisValue> = []): Pipeline<[...T, R], S> {
    return this.queueScript(script as Script<unknown>, keys, args) as unknown as Pipeline<[...T, R], S>;
  }

  /** Sends everything and resolves every result in order; see ExecOptions for errors. */
  exec(options?: ExecOptions & { throwOnError?: true }): Promise<T>;
  exec(options: ExecOptions & { throwOnError: false }): Promise<Settled<T>>;
  exec(options?: ExecOptions): Promise<T | Settled<T>>;
  exec(options?: ExecOptions): Promise<unknown[]> {
    let queued: QueuedCommand[];
    let target: BatchTarget | Promise<BatchTarget>;
    try {
      queued = this.take();
      if (queued.length === 0) return Promise.resolve([]);
      if (this.runner !== null) return this.runner(queued).then(({ values, failed }) => this.finish(queued, values, failed, options));
      target = this.provider(queued.some((c) => c.blockMs !== undefined), this.changesSession(queued), queued);
    } catch (e) {
      return Promise.reject(e);
    }
    // Written now when the connection is at hand, so that commands issued after exec() come after it.
    return target instanceof Promise ? target.then((t) => this.run(queued, t, options)) : this.run(queued, target, options);
  }

  private run(queued: QueuedCommand[], target: BatchTarget, options: ExecOptions | undefined): Promise<unknown[]> {
    const run = this.send(queued, target, options);
    // Called from exec() directly: this stack still holds its caller.
    return target.connection.options.captureStack === true ? withCallerStack(run, captureCaller()) : run;
  }

  private async send(queued: QueuedCommand[], target: BatchTarget, options: ExecOptions | undefined): Promise<unknown[]> {
    const connection = target.connection;
    const plain = target.options(undefined);
    const loads = loadScripts(connection, queued, plain);
    let commands: ReadonlyArray<BatchCommand> = queued;
    if (queued.some((c) => c.blockMs !== undefined)) {
      // A blocking command may hold its reply for its block time: its own timeout says so.
      commands = queued.map((c) =>
        c.blockMs === undefined ? c : { argv: c.argv, transform: c.transform, buffers: c.buffers, timeout: target.options(c.blockMs)?.timeout ?? 0 },
      );
    }
    const { values, failed } = await traceBatch(connection.options, { commands: queued.length, transaction: false, of: queued }, () =>
      connection.sendBatch(commands, plain),
    );
    if (target.release !== undefined) {
      let dirty = false;
      for (let i = 0; i < values.length; i++) if (failed[i] && breaksConnection(values[i])) dirty = true;
      target.release(dirty);
    }
    this.rememberSessions(connection, queued, failed);
    if (loads !== null) {
      const loadErrors = await loads;
      for (let i = 0; i < values.length; i++) {
        if (failed[i]) values[i] = explainNoScript(asRedisError(values[i], queued[i]!.name), queued[i]!, loadErrors);
      }
    }
    return this.finish(queued, values, failed, options);
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Pipeline<T extends unknown[] = [], S extends string | Buffer = string> extends CoreCommands<ChainCtx<T, 'pipeline', S>> {}

installChainCommands(Pipeline.prototype);
