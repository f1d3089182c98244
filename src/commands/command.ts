import type { RedisArg } from '../protocol/encoder.js';
import type { ReplyTransform } from '../connection/connection.js';

/** A key or value as commands take it. */
export type RedisKey = string | Buffer;
/** What a command argument may be: strings and Buffers as they are, numbers and bigints as their decimal text. */
export type RedisValue = string | Buffer | number | bigint;

// ---- what a command method returns, by the object it is called on -----------------------------------

/**
 * Command methods are declared once, generic in a context `C`: on a client `C` is a PromiseCtx and a
 * method returns `Promise<R>`; on a pipeline it is a ChainCtx and the method returns the pipeline with
 * `R` appended to its result tuple. `S` is what a bulk string reply comes as: string, or Buffer in a
 * `withBuffers()` view.
 */
export interface PromiseCtx<S extends string | Buffer = string> {
  readonly str: S;
  readonly promise: true;
}
/** The context of a chaining object (pipeline, MULTI): a method appends its reply type to `results` and returns the chain. */
export interface ChainCtx<T extends unknown[], K extends string, S extends string | Buffer = string> {
  readonly str: S;
  readonly results: T;
  readonly kind: K;
}

/**
 * The chaining classes (pipeline, transaction…), filled in by declaration merging where each is
 * defined: `interface ChainKinds<T> { pipeline: Pipeline<T> }`.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface ChainKinds<T extends unknown[], S extends string | Buffer = string> {}

/** The return type of a command method in context `C` for a reply of type `R`. */
export type Result<C, R> = C extends ChainCtx<infer T, infer K, infer S>
  ? K extends keyof ChainKinds<any, any>
    ? ChainKinds<[...T, R], S>[K]
    : never
  : Promise<R>;

/** A bulk string reply in context `C`. */
export type Str<C> = C extends { readonly str: infer S } ? S : string;

// ---- command metadata -----------------------------------------------------------------------------

/** Flag bits of a Redis command, as COMMAND reports them. */
export const enum Flag {
  READONLY = 1,
  WRITE = 2,
  BLOCKING = 4,
  /** Cannot run in a subscribed RESP2 connection, must not be retried blindly, etc. */
  NOSCRIPT = 8,
  PUBSUB = 16,
  /** Changes connection state (SELECT, CLIENT SETNAME…): a pooled connection running it is dirty. */
  CONNSTATE = 32,
  /** Talks about the whole server, not keys (routing in cluster: any/all nodes). */
  ADMIN = 64,
  /**
   * Read-only, keyed and deterministic: its reply depends on its keys' values alone (never on time
   * or chance), so the client-side cache may keep it until one of its keys is invalidated.
   */
  CACHEABLE = 128,
}

/**
 * Which argv positions are keys. `first`/`last`/`step` as in COMMAND's key specs (last -1 = to the
 * end, -2 = all but the last …), or a function for commands whose keys hang on a count argument.
 */
export type KeySpec =
  | { first: number; last: number; step: number }
  | ((argv: ReadonlyArray<RedisArg>) => number[]);

/** What the command table knows of one command: its id, its flag bits, where its keys are, how long it may block. */
export interface CommandInfo {
  /** Lower case, container commands as 'client|list'. */
  readonly id: string;
  readonly flags: number;
  readonly keys: KeySpec | null;
  /** For blocking commands: how long (ms) the server may hold the reply; 0 = forever. */
  readonly blockMs?: (argv: ReadonlyArray<RedisArg>) => number | undefined;
}

/**
 * The items of a variadic method: plain (strings, numbers: a lone array is the list), tuples (slot
 * ranges `[start, end]`: a lone array is the list when its elements are arrays too) or values (JSON
 * values, which may be arrays themselves: never a list, always spread).
 */
export type RestItems = 'plain' | 'tuples' | 'values';

/** Everything a method needs to send one command: its info, how to build argv, how to read the reply. */
export interface MethodDef {
  readonly info: CommandInfo;
  readonly build: (...args: any[]) => RedisArg[];
  readonly transform?: ReplyTransform;
  /**
   * For commands whose reply shape hangs on an argument (WITHSCORES, WITHVALUES, a COUNT) in a way the
   * RESP2 reply alone cannot show: the definition, same info with its own transform, to send `argv` with.
   */
  readonly variant?: (argv: RedisArg[]) => MethodDef;
  /** The reply is binary (DUMP, FUNCTION DUMP): always Buffers, whatever the view asks for. */
  readonly binary?: boolean;
  /**
   * For a method whose last parameters are any number of items (`del('a', 'b')`, `del(['a', 'b'])`):
   * where they start, and the builder that takes them as one array there, so that a call with
   * 100 000 of them is not spread onto the stack a second time. `build` takes them spread.
   */
  readonly restAt?: number;
  readonly buildRest?: (...args: any[]) => RedisArg[];
  /** What the items are, where a lone array could be one item rather than the list: see `packRest`. */
  readonly restItems?: RestItems;
}

/** The surface every command-carrying object (client, pipeline, cluster…) implements. */
export interface CommandTarget {
  /** Sends (or queues) one command built by a method. */
  sendCommand(def: MethodDef, argv: RedisArg[]): unknown;
  /** What a method returns when its arguments are refused (a rejected promise, or a throw). */
  invalidArguments(error: unknown): unknown;
}
