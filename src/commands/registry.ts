import { DataError } from '../errors.js';
import { inexact, isInexactInteger, type RedisArg } from '../protocol/encoder.js';
import type { ReplyTransform } from '../connection/connection.js';
import type { CommandInfo, CommandTarget, KeySpec, MethodDef, RestItems } from './command.js';

/** Every command the library knows, by id ('get', 'client|list'). */
export const COMMANDS = new Map<string, CommandInfo>();

/** Ids of the commands that have at least one method. */
export const IMPLEMENTED = new Set<string>();

/** Commands the servers know that deliberately have no method, each with its reason. */
export const EXCLUDED = new Map<string, string>();

/** Records that a server command has no method on purpose (e.g. 'psync': only replicas speak it). */
export function exclude(id: string, reason: string): void {
  EXCLUDED.set(id, reason);
}

/** Containers whose second word names the real command (CLIENT LIST, CONFIG GET…). */
export const CONTAINERS = new Set<string>();

/** Key spec helpers: `key(1)` one key at argv[1]; `keysFrom(1)` every argument from 1 on; … */
export const key = (at: number): KeySpec => ({ first: at, last: at, step: 1 });
export const keyRange = (first: number, last: number, step = 1): KeySpec => ({ first, last, step });

/** Registers a command's metadata. Ids are lower case; a container command is 'client|list'. */
export function command(
  id: string,
  flags: number,
  keys: KeySpec | null = null,
  blockMs?: (argv: ReadonlyArray<RedisArg>) => number | undefined,
): CommandInfo {
  const info: CommandInfo = blockMs === undefined ? { id, flags, keys } : { id, flags, keys, blockMs };
  COMMANDS.set(id, info);
  const bar = id.indexOf('|');
  if (bar !== -1) CONTAINERS.add(id.slice(0, bar));
  return info;
}

export function method(info: CommandInfo, build: (...args: any[]) => RedisArg[], transform?: ReplyTransform): MethodDef {
  IMPLEMENTED.add(info.id);
  return transform === undefined ? { info, build } : { info, build, transform };
}

/**
 * A method whose parameter at `restAt` and after are items of one list: called as `sadd(k, 'a', 'b')`
 * or `sadd(k, ['a', 'b'])`; `build` takes the items as one array at `restAt`.
 */
export function variadic(
  info: CommandInfo,
  restAt: number,
  buildRest: (...args: any[]) => RedisArg[],
  transform?: ReplyTransform,
  items: RestItems = 'plain',
): MethodDef {
  return withRest(method(info, buildRest, transform), restAt, buildRest, items);
}

/** A definition made some other way (with a variant, say) given variadic() parameters. */
export function withRest(def: MethodDef, restAt: number, buildRest: (...args: any[]) => RedisArg[], items: RestItems = 'plain'): MethodDef {
  const build = (...args: unknown[]): RedisArg[] => buildRest(...packRest(args, restAt, items));
  return { ...def, build, restAt, buildRest, restItems: items };
}

/**
 * `(k, 'a', 'b')` and `(k, ['a', 'b'])` both as `(k, ['a', 'b'])`: the items as one array at `at`.
 * See RestItems for when a lone array is the list.
 */
export function packRest(args: unknown[], at: number, kind: RestItems): unknown[] {
  const last = args[at];
  const isList =
    kind !== 'values' && args.length === at + 1 && Array.isArray(last) && (kind === 'plain' || last.length === 0 || Array.isArray(last[0]));
  const call = args.slice(0, at);
  call[at] = isList ? last : args.slice(at);
  return call;
}

/** How errors name a command of the table: upper case, a container's subcommand after a space ('CLIENT KILL'). */
export function commandLabel(id: string): string {
  return id.replace('|', ' ').toUpperCase();
}

/** The same method, its bulk replies always Buffers: for binary payloads that UTF-8 would corrupt. */
export function binaryReply(def: MethodDef): MethodDef {
  return { ...def, binary: true };
}

/** The info for a full argv, or undefined for a command the table does not know. */
export function lookup(argv: ReadonlyArray<RedisArg>): CommandInfo | undefined {
  const name = String(argv[0]).toLowerCase();
  if (CONTAINERS.has(name) && argv.length > 1) {
    const sub = COMMANDS.get(`${name}|${String(argv[1]).toLowerCase()}`);
    if (sub !== undefined) return sub;
  }
  return COMMANDS.get(name);
}

/** The positions of the keys in a full argv, by the command table. */
export function keyPositions(info: CommandInfo, argv: ReadonlyArray<RedisArg>): number[] {
  const spec = info.keys;
  if (spec === null) return [];
  if (typeof spec === 'function') return spec(argv);
  const last = spec.last < 0 ? argv.length + spec.last : spec.last;
  const out: number[] = [];
  for (let i = spec.first; i <= last && i < argv.length; i += spec.step) out.push(i);
  return out;
}

/** Which arguments of a full command line are keys. Unknown commands have none. */
export function commandKeys(argv: ReadonlyArray<RedisArg>): RedisArg[] {
  const info = lookup(argv);
  if (info === undefined) return [];
  return keyPositions(info, argv).map((i) => argv[i]!);
}

/**
 * Installs one method per definition on a prototype: `get(...args)` -> `this.sendCommand(def, argv)`.
 * Bad arguments go to `this.invalidArguments(error)`: a client turns them into a rejected promise
 * (so `.catch` sees them), a pipeline throws at once.
 */
export function installCommands(proto: object, defs: Record<string, MethodDef>): void {
  for (const name of Object.keys(defs)) {
    const def = defs[name]!;
    const variant = def.variant;
    const check = new ArgumentCheck(name, def);
    Object.defineProperty(proto, name, {
      configurable: true,
      writable: true,
      value: function (this: CommandTarget, ...args: unknown[]) {
        let argv: RedisArg[];
        try {
          argv = check.build(args);
        } catch (e) {
          const err = e instanceof DataError ? e : check.explain(e, args);
          // The error names the command the way every other error does ('CLIENT KILL').
          err.command ??= commandLabel(def.info.id);
          return this.invalidArguments(err);
        }
        return this.sendCommand(variant === undefined ? def : variant(argv), argv);
      },
    });
  }
}

/** What a builder did with an object argument: listed its keys (data: fields, entries), or read these options. */
type ObjectUse = 'data' | Set<string>;

/**
 * The checks every method gets on top of its builder's own, for mistakes JavaScript lets through
 * silently: more arguments than the method takes (ioredis's `set(k, v, 'EX', 10)`), option keys it
 * does not know (`{ EX: 10 }`), and builders that fail with a TypeError on a null.
 *
 * Which object arguments are options, and which keys each takes, is learned from the builder itself:
 * the first time a method sees an object at a position (or a key it has not seen there), the builder
 * runs on a proxy that records what it reads. A builder that lists the object's keys takes data there
 * (hset's fields), which is never checked; otherwise a key the builder did not read is refused.
 */
class ArgumentCheck {
  private readonly max: number;
  private readonly restAt: number;
  private readonly builder: (...args: any[]) => RedisArg[];
  private readonly uses = new Map<number, ObjectUse>();

  constructor(
    private readonly name: string,
    private readonly def: MethodDef,
  ) {
    this.restAt = def.restAt ?? -1;
    this.builder = def.buildRest ?? def.build;
    // Builders have no rest or default parameters (a test keeps it so): length is the most they take.
    this.max = this.restAt >= 0 ? Infinity : def.build.length;
  }

  build(args: unknown[]): RedisArg[] {
    if (args.length > this.max) throw this.tooMany(args);
    const call = this.restAt >= 0 ? packRest(args, this.restAt, this.def.restItems ?? 'plain') : args;
    let watch: number[] | null = null;
    for (let i = 0; i < call.length; i++) {
      const a = call[i];
      if (a === null || typeof a !== 'object' || Object.getPrototypeOf(a) !== Object.prototype) continue;
      const use = this.uses.get(i);
      if (use === 'data') continue;
      if (use !== undefined && Object.keys(a).every((k) => use.has(k))) continue;
      (watch ??= []).push(i);
    }
    if (watch === null) return this.builder(...call);
    return this.learn(call, watch);
  }

  /** Runs the builder with proxies on the objects at `watch`, and learns from what it did with them. */
  private learn(call: unknown[], watch: number[]): RedisArg[] {
    const seen = watch.map(() => ({ read: new Set<string>(), listed: false }));
    const proxied = call.slice();
    watch.forEach((at, n) => {
      const s = seen[n]!;
      proxied[at] = new Proxy(call[at] as object, {
        get(target, key, receiver) {
          if (typeof key === 'string') s.read.add(key);
          return Reflect.get(target, key, receiver);
        },
        has(target, key) {
          if (typeof key === 'string') s.read.add(key);
          return Reflect.has(target, key);
        },
        ownKeys(target) {
          s.listed = true;
          return Reflect.ownKeys(target);
        },
      });
    });
    const argv = this.builder(...proxied);
    watch.forEach((at, n) => {
      const s = seen[n]!;
      if (s.listed) {
        this.uses.set(at, 'data');
        return;
      }
      let known = this.uses.get(at);
      if (known === undefined || known === 'data') this.uses.set(at, (known = new Set()));
      for (const k of s.read) known.add(k);
      const unknown = Object.keys(call[at] as object).filter((k) => !known.has(k));
      if (unknown.length > 0) {
        const lower = unknown.map((k) => (known.has(k.toLowerCase()) ? ` (${k.toLowerCase()}, in lower case)` : ''));
        throw new DataError(
          `${commandLabel(this.def.info.id)}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k, i) => `'${k}'${lower[i]}`).join(', ')}` +
            (known.size > 0 ? `; ${this.name}() takes ${[...known].sort().join(', ')}` : ''),
        );
      }
    });
    return argv;
  }

  private tooMany(args: unknown[]): DataError {
    const extra = args.slice(this.max);
    const tokens = args.filter((a): a is string => typeof a === 'string' && /^[A-Z]{2,}$/.test(a));
    const hint = tokens.length > 0
      ? `: optional tokens go in an options object, e.g. ${this.name}(…, { ${tokens.map((t) => `${t.toLowerCase()}: …`).join(', ')} })`
      : '';
    return new DataError(`${commandLabel(this.def.info.id)}: ${this.name}() takes at most ${this.max} argument${this.max === 1 ? '' : 's'}, got ${args.length} (${extra.length} extra)${hint}`);
  }

  /** A builder that failed on its own (a TypeError on null, most often) still fails as a DataError. */
  explain(e: unknown, args: unknown[]): DataError {
    const nullAt = args.indexOf(null);
    const why = nullAt !== -1 ? `argument ${nullAt + 1} is null (leave it out, or pass undefined, for no value)` : e instanceof Error ? e.message : String(e);
    return new DataError(`${commandLabel(this.def.info.id)}: invalid arguments: ${why}`, { cause: e });
  }
}

// ---- argument checks ------------------------------------------------------------------------------

/** Throws DataError naming the command and argument when `value` is not a key. */
export function checkKey(cmd: string, name: string, value: unknown): void {
  if (typeof value !== 'string' && !Buffer.isBuffer(value)) {
    throw new DataError(`${cmd}: ${name} must be a string or Buffer, got ${typeName(value)}`);
  }
}

export function checkValue(cmd: string, name: string, value: unknown): void {
  if (typeof value === 'string' || Buffer.isBuffer(value) || typeof value === 'bigint') return;
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (isInexactInteger(value)) throw new DataError(`${cmd}: ${name} ${inexact(value).message}`);
    return;
  }
  throw new DataError(`${cmd}: ${name} must be a string, Buffer, finite number or bigint, got ${typeName(value)}`);
}

/** An integer argument: a safe integer number, or a bigint for values past 2^53. */
export function checkInteger(cmd: string, name: string, value: unknown): void {
  if (typeof value === 'bigint') return;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new DataError(`${cmd}: ${name} must be an integer, got ${typeName(value)}`);
  }
  if (!Number.isSafeInteger(value)) throw new DataError(`${cmd}: ${name} ${inexact(value).message}`);
}

export function checkNumber(cmd: string, name: string, value: unknown): void {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new DataError(`${cmd}: ${name} must be a number, got ${typeName(value)}`);
  }
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}
