import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import type { ReplyTransform } from '../connection/connection.js';
import type { CommandInfo, CommandTarget, KeySpec, MethodDef } from './command.js';

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
    const build = def.build;
    const variant = def.variant;
    Object.defineProperty(proto, name, {
      configurable: true,
      writable: true,
      value: function (this: CommandTarget, ...args: unknown[]) {
        let argv: RedisArg[];
        try {
          argv = build(...args);
        } catch (e) {
          // The error names the command the way every other error does ('CLIENT KILL').
          if (e instanceof DataError && e.command === undefined) e.command = commandLabel(def.info.id);
          return this.invalidArguments(e);
        }
        return this.sendCommand(variant === undefined ? def : variant(argv), argv);
      },
    });
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
  if (typeof value === 'string' || Buffer.isBuffer(value)) return;
  if (typeof value === 'number' && Number.isFinite(value)) return;
  throw new DataError(`${cmd}: ${name} must be a string, Buffer or finite number, got ${typeName(value)}`);
}

export function checkInteger(cmd: string, name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new DataError(`${cmd}: ${name} must be an integer, got ${typeName(value)}`);
  }
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
