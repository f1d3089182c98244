import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type Result } from '../commands/command.js';
import { checkInteger, checkKey, command, key, method, typeName, withRest } from '../commands/registry.js';
import { pushKeys, type OneOrMany } from '../commands/build.js';
import { text, textArray } from '../commands/transforms.js';
import { byArgv, checkFinite } from './common.js';

/**
 * RedisJSON (JSON.*). Values go in and come out as JavaScript values: the library stringifies what it
 * sends and parses what it gets, with `JSON` by default or a codec given to setJsonCodec().
 *
 * Paths come in two dialects, and the reply's shape follows the path, not the protocol: a JSONPath
 * (starting with `$`) can match many places, so it answers with an array, one entry per match; a
 * legacy path (`.a.b`, or none: the root) answers with one value. Under RESP3 the server wraps some
 * legacy replies in an array of one and nests JSONPath ones (RedisJSON#1090); the readers here undo
 * that, so both protocols give the same values.
 */

const R = Flag.READONLY;
const W = Flag.WRITE;

/** A value JSON can hold. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** How JSON values become text and back. Both must be inverse of each other on the values you store. */
export interface JsonCodec {
  stringify(value: unknown): string;
  parse(text: string): unknown;
}

/** The default codec: JSON, refusing what JSON would silently change or drop. */
export const strictJson: JsonCodec = {
  stringify(value: unknown): string {
    if (value === undefined) throw new DataError('undefined is not a JSON value');
    let out: string | undefined;
    try {
      out = JSON.stringify(value, strictReplacer);
    } catch (e) {
      if (e instanceof DataError) throw e;
      throw new DataError(`value is not JSON-serialisable: ${(e as Error).message}`);
    }
    if (out === undefined) throw new DataError(`${typeName(value)} is not a JSON value`);
    return out;
  },
  parse: (s) => JSON.parse(s) as unknown,
};

function strictReplacer(this: unknown, k: string, v: unknown): unknown {
  switch (typeof v) {
    case 'number':
      if (!Number.isFinite(v)) throw new DataError(`${String(v)} at ${JSON.stringify(k)} is not a JSON number`);
      return v;
    case 'bigint':
    case 'function':
    case 'symbol':
      throw new DataError(`a ${typeof v} at ${JSON.stringify(k)} is not a JSON value`);
    case 'undefined':
      // An undefined property is left out, as JSON does; in an array JSON would turn it into null.
      if (Array.isArray(this)) throw new DataError(`undefined at index ${k} is not a JSON value`);
      return v;
    case 'object':
      if (v instanceof Map || v instanceof Set) throw new DataError(`a ${v instanceof Map ? 'Map' : 'Set'} at ${JSON.stringify(k)} would be stored as {}`);
      return v;
    default:
      return v;
  }
}

let codec: JsonCodec = strictJson;

/** Replaces how every JSON.* method turns values into text and back (e.g. to keep big integers). */
export function setJsonCodec(c: JsonCodec): void {
  if (typeof c?.stringify !== 'function' || typeof c.parse !== 'function') throw new DataError('a JSON codec needs stringify() and parse()');
  codec = c;
}

function encode(cmd: string, value: unknown): string {
  try {
    const s = codec.stringify(value);
    if (typeof s !== 'string') throw new DataError('the JSON codec did not return a string');
    return s;
  } catch (e) {
    if (e instanceof DataError) {
      if (!e.message.startsWith(cmd)) e.message = `${cmd}: ${e.message}`;
      throw e;
    }
    throw new DataError(`${cmd}: value is not JSON-serialisable: ${(e as Error).message}`);
  }
}

function decode(v: unknown): unknown {
  return v === null || v === undefined ? null : codec.parse(text(v));
}

/** A JSONPath (`$…`) rather than a legacy path. */
export type JsonPath = `$${string}`;

/** The argv position of the path is 2 in every JSON.* command except DEBUG MEMORY. */
const dollarAt = (i: number) => (argv: RedisArg[]) => argv.length > i && typeof argv[i] === 'string' && (argv[i] as string).startsWith('$');
const isDollar = dollarAt(2);

/** Optional tokens of JSON.SET: set only when the path is new, or only when it exists. */
export interface JsonSetOptions {
  /** Only when the path does not exist yet. */
  nx?: boolean;
  /** Only when the path exists. */
  xx?: boolean;
}

/** Optional tokens of JSON.GET: format the reply as indented text instead of a parsed value. */
export interface JsonGetOptions {
  /** Indentation for nested levels; the reply is then the formatted text, not a parsed value. */
  indent?: string;
  /** What ends each line of formatted text. */
  newline?: string;
  /** What goes between a key and its value in formatted text. */
  space?: string;
}

/** Optional bounds of JSON.ARRINDEX: the part of the array to search. */
export interface JsonArrIndexOptions {
  /** Search from this index (inclusive). */
  start?: number;
  /** Up to this index (exclusive); 0 and -1 mean the end. */
  stop?: number;
}

/** JSON.TYPE's names. */
export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

/** Per JSONPath match: the value, or null where the match was not of the type the command needs. */
export type PerMatch<T> = Array<T | null>;

export interface JsonCommands<C> {
  /** Sets the value at a path (the root is `$`); false when NX/XX stopped it. */
  jsonSet(key: RedisKey, path: string, value: unknown, options?: JsonSetOptions): Result<C, boolean>;
  /**
   * The value at the root (no path), at a legacy path, or at a JSONPath (an array of the matches); with
   * several paths an object from each path to its result. null when the key does not exist.
   */
  jsonGet<T = JsonValue>(key: RedisKey): Result<C, T | null>;
  jsonGet<T = JsonValue>(key: RedisKey, path: JsonPath): Result<C, T[] | null>;
  jsonGet<T = JsonValue>(key: RedisKey, path: OneOrMany<string>): Result<C, T | null>;
  /** The formatted JSON text (INDENT, NEWLINE, SPACE). */
  jsonGet(key: RedisKey, path: OneOrMany<string> | undefined, format: JsonGetOptions): Result<C, string | null>;
  /** The value at `path` in each key; null for a missing key. */
  jsonMget<T = JsonValue>(keys: OneOrMany<RedisKey>, path: JsonPath): Result<C, Array<T[] | null>>;
  jsonMget<T = JsonValue>(keys: OneOrMany<RedisKey>, path: string): Result<C, Array<T | null>>;
  /** Sets several values at once, atomically. */
  jsonMset(entries: ReadonlyArray<readonly [key: RedisKey, path: string, value: unknown]>): Result<C, 'OK'>;
  /** Merges a value into the one at `path` (RFC 7396: null deletes a member). */
  jsonMerge(key: RedisKey, path: string, value: unknown): Result<C, 'OK'>;
  /** Deletes the value at `path` (default the root: the key); resolves how many were deleted. */
  jsonDel(key: RedisKey, path?: string): Result<C, number>;
  /** The same as jsonDel. */
  jsonForget(key: RedisKey, path?: string): Result<C, number>;
  /** The type at `path`; null when the key does not exist. */
  jsonType(key: RedisKey, path: JsonPath): Result<C, JsonType[] | null>;
  jsonType(key: RedisKey, path?: string): Result<C, JsonType | null>;
  /** Adds to the number(s) at `path`; resolves the new value(s). */
  jsonNumincrby(key: RedisKey, path: JsonPath, by: number): Result<C, PerMatch<number>>;
  jsonNumincrby(key: RedisKey, path: string, by: number): Result<C, number>;
  /** Multiplies the number(s) at `path`; resolves the new value(s). */
  jsonNummultby(key: RedisKey, path: JsonPath, by: number): Result<C, PerMatch<number>>;
  jsonNummultby(key: RedisKey, path: string, by: number): Result<C, number>;
  /** Raises the number(s) at `path` to a power; resolves the new value(s). */
  jsonNumpowby(key: RedisKey, path: JsonPath, by: number): Result<C, PerMatch<number>>;
  jsonNumpowby(key: RedisKey, path: string, by: number): Result<C, number>;
  /** Appends to the string(s) at `path`; resolves the new length(s). */
  jsonStrappend(key: RedisKey, path: JsonPath, value: string): Result<C, PerMatch<number>>;
  jsonStrappend(key: RedisKey, path: string, value: string): Result<C, number>;
  /** The length of the string(s) at `path`. */
  jsonStrlen(key: RedisKey, path: JsonPath): Result<C, PerMatch<number>>;
  jsonStrlen(key: RedisKey, path?: string): Result<C, number | null>;
  /** Appends values to the array(s) at `path`; resolves the new length(s). */
  jsonArrappend(key: RedisKey, path: JsonPath, ...values: unknown[]): Result<C, PerMatch<number>>;
  jsonArrappend(key: RedisKey, path: string, ...values: unknown[]): Result<C, number>;
  /** The index of the first element equal to `value` (-1 when there is none). */
  jsonArrindex(key: RedisKey, path: JsonPath, value: unknown, options?: JsonArrIndexOptions): Result<C, PerMatch<number>>;
  jsonArrindex(key: RedisKey, path: string, value: unknown, options?: JsonArrIndexOptions): Result<C, number>;
  /** Inserts values before `index` in the array(s) at `path`; resolves the new length(s). */
  jsonArrinsert(key: RedisKey, path: JsonPath, index: number, ...values: unknown[]): Result<C, PerMatch<number>>;
  jsonArrinsert(key: RedisKey, path: string, index: number, ...values: unknown[]): Result<C, number>;
  /** The length of the array(s) at `path`. */
  jsonArrlen(key: RedisKey, path: JsonPath): Result<C, PerMatch<number>>;
  jsonArrlen(key: RedisKey, path?: string): Result<C, number | null>;
  /** Removes and returns the element at `index` (default the last) of the array(s) at `path`. */
  jsonArrpop<T = JsonValue>(key: RedisKey, path: JsonPath, index?: number): Result<C, PerMatch<T>>;
  jsonArrpop<T = JsonValue>(key: RedisKey, path?: string, index?: number): Result<C, T | null>;
  /** Keeps only the elements from `start` to `stop` (inclusive); resolves the new length(s). */
  jsonArrtrim(key: RedisKey, path: JsonPath, start: number, stop: number): Result<C, PerMatch<number>>;
  jsonArrtrim(key: RedisKey, path: string, start: number, stop: number): Result<C, number>;
  /** The keys of the object(s) at `path`. */
  jsonObjkeys(key: RedisKey, path: JsonPath): Result<C, PerMatch<string[]>>;
  jsonObjkeys(key: RedisKey, path?: string): Result<C, string[] | null>;
  /** How many keys the object(s) at `path` have. */
  jsonObjlen(key: RedisKey, path: JsonPath): Result<C, PerMatch<number>>;
  jsonObjlen(key: RedisKey, path?: string): Result<C, number | null>;
  /** Flips the boolean(s) at `path`; resolves the new value(s). */
  jsonToggle(key: RedisKey, path: JsonPath): Result<C, PerMatch<boolean>>;
  jsonToggle(key: RedisKey, path?: string): Result<C, boolean>;
  /** Empties arrays and objects and sets numbers to 0 at `path`; resolves how many changed. */
  jsonClear(key: RedisKey, path?: string): Result<C, number>;
  /**
   * The value in RESP form: an object is ['{', key, value…], an array ['[', …]. RESP2 sends floats as
   * strings, RESP3 as numbers; every other leaf is the same under both.
   */
  jsonResp(key: RedisKey, path?: string): Result<C, unknown>;
  /** Bytes the value at `path` uses (0 for a missing key). */
  jsonDebugMemory(key: RedisKey, path: JsonPath): Result<C, number[]>;
  jsonDebugMemory(key: RedisKey, path?: string): Result<C, number>;
}

const JSON_SET = command('json.set', W, key(1));
const JSON_GET = command('json.get', R | Flag.CACHEABLE, key(1));
const JSON_MGET = command('json.mget', R | Flag.CACHEABLE, (argv) => {
  const out: number[] = [];
  for (let i = 1; i < argv.length - 1; i++) out.push(i);
  return out;
});
const JSON_MSET = command('json.mset', W, { first: 1, last: -1, step: 3 });
const JSON_MERGE = command('json.merge', W, key(1));
const JSON_DEL = command('json.del', W, key(1));
const JSON_FORGET = command('json.forget', W, key(1));
const JSON_TYPE = command('json.type', R, key(1));
const JSON_NUMINCRBY = command('json.numincrby', W, key(1));
const JSON_NUMMULTBY = command('json.nummultby', W, key(1));
const JSON_NUMPOWBY = command('json.numpowby', W, key(1));
const JSON_STRAPPEND = command('json.strappend', W, key(1));
const JSON_STRLEN = command('json.strlen', R, key(1));
const JSON_ARRAPPEND = command('json.arrappend', W, key(1));
const JSON_ARRINDEX = command('json.arrindex', R, key(1));
const JSON_ARRINSERT = command('json.arrinsert', W, key(1));
const JSON_ARRLEN = command('json.arrlen', R, key(1));
const JSON_ARRPOP = command('json.arrpop', W, key(1));
const JSON_ARRTRIM = command('json.arrtrim', W, key(1));
const JSON_OBJKEYS = command('json.objkeys', R, key(1));
const JSON_OBJLEN = command('json.objlen', R, key(1));
const JSON_TOGGLE = command('json.toggle', W, key(1));
const JSON_CLEAR = command('json.clear', W, key(1));
const JSON_RESP = command('json.resp', R, key(1));
const JSON_DEBUG = command('json.debug', R, key(2));

function checkPath(cmd: string, path: unknown): asserts path is string {
  if (typeof path !== 'string' || path === '') throw new DataError(`${cmd}: path must be a non-empty string, got ${typeName(path)}`);
}

/** `CMD key [path]` */
function keyPath(cmd: string) {
  return (k: RedisKey, path?: string): RedisArg[] => {
    checkKey(cmd, 'key', k);
    if (path === undefined) return [cmd, k];
    checkPath(cmd, path);
    return [cmd, k, path];
  };
}

/** `CMD key path number` */
function keyPathNumber(cmd: string) {
  return (k: RedisKey, path: string, by: number): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkPath(cmd, path);
    checkFinite(cmd, 'number', by);
    return [cmd, k, path, by];
  };
}

/** `CMD key path value [value …]`, each value as JSON. */
function keyPathValues(cmd: string, k: RedisKey, path: string, values: unknown[]): RedisArg[] {
  checkKey(cmd, 'key', k);
  checkPath(cmd, path);
  if (values.length === 0) throw new DataError(`${cmd}: at least one value is required`);
  const argv: RedisArg[] = [cmd, k, path];
  for (const v of values) argv.push(encode(cmd, v));
  return argv;
}

// ---- replies ------------------------------------------------------------------------------------

/** RESP3 wraps a legacy path's single result in an array of one; RESP2 does not. */
function unwrapOne(v: unknown): unknown {
  return Array.isArray(v) && v.length === 1 ? v[0] : v;
}

const numberOrNull = (x: unknown): number | null => (x === null || x === undefined ? null : typeof x === 'number' ? x : Number(text(x)));

/** NUM*BY: RESP2 answers with JSON text ('[3,4]', '5.5'); RESP3 with numbers (a legacy path: [5.5]). */
function numDollar(v: unknown): Array<number | null> {
  if (Array.isArray(v)) return v.map(numberOrNull);
  const parsed = JSON.parse(text(v)) as unknown;
  return Array.isArray(parsed) ? parsed.map(numberOrNull) : [numberOrNull(parsed)];
}

function numLegacy(v: unknown): number {
  if (Array.isArray(v)) return numberOrNull(v[0]) as number;
  return Number(JSON.parse(text(v)));
}

function typeDollar(v: unknown): JsonType[] | null {
  // RESP3 nests the list in an array of one; a missing key is null (RESP2) or [null] (RESP3).
  const inner = Array.isArray(v) && v.length === 1 && (Array.isArray(v[0]) || v[0] === null) ? v[0] : v;
  return inner === null ? null : (textArray(inner) as JsonType[]);
}

function typeLegacy(v: unknown): JsonType | null {
  const inner = unwrapOne(v);
  return inner === null ? null : (text(inner) as JsonType);
}

const perMatch = (v: unknown): Array<number | null> => (v as unknown[]).map(numberOrNull);
const legacyNumber = (v: unknown): number | null => numberOrNull(unwrapOne(v));
const legacyNumberOrNull = (v: unknown): number | null => (v === null ? null : numberOrNull(v));

function popDollar(v: unknown): unknown[] {
  return (v as unknown[]).map(decode);
}

function toggleLegacy(v: unknown): boolean {
  const s = text(unwrapOne(v));
  return s === 'true' || s === '1';
}

function toggleDollar(v: unknown): Array<boolean | null> {
  return (v as unknown[]).map((x) => (x === null ? null : x === 1 || x === true || text(x) === '1' || text(x) === 'true'));
}

function objkeysDollar(v: unknown): Array<string[] | null> {
  return (v as unknown[]).map((x) => (x === null ? null : textArray(x)));
}

function objkeysLegacy(v: unknown): string[] | null {
  return v === null ? null : textArray(v);
}

function respLeaves(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (Array.isArray(v)) return v.map(respLeaves);
  return v;
}

const FORMAT_TOKENS = new Set(['INDENT', 'NEWLINE', 'SPACE']);

function buildGet(k: RedisKey, paths?: OneOrMany<string>, format?: JsonGetOptions): RedisArg[] {
  checkKey('JSON.GET', 'key', k);
  const argv: RedisArg[] = ['JSON.GET', k];
  if (format !== undefined) {
    if (format === null || typeof format !== 'object') throw new DataError('JSON.GET: format must be an object');
    for (const [opt, token] of [['indent', 'INDENT'], ['newline', 'NEWLINE'], ['space', 'SPACE']] as const) {
      const val = format[opt];
      if (val === undefined) continue;
      if (typeof val !== 'string') throw new DataError(`JSON.GET: ${opt} must be a string, got ${typeName(val)}`);
      argv.push(token, val);
    }
  }
  if (paths !== undefined) {
    const list = typeof paths === 'string' ? [paths] : paths;
    if (!Array.isArray(list) || list.length === 0) throw new DataError('JSON.GET: paths must be a path or a non-empty array of paths');
    for (const p of list) {
      checkPath('JSON.GET', p);
      argv.push(p);
    }
  }
  return argv;
}

function arrappendArgv(k: RedisKey, path: string, values: unknown[]): RedisArg[] {
  return keyPathValues('JSON.ARRAPPEND', k, path, values);
}

function arrinsertArgv(k: RedisKey, path: string, index: number, values: unknown[]): RedisArg[] {
  checkInteger('JSON.ARRINSERT', 'index', index);
  const argv = keyPathValues('JSON.ARRINSERT', k, path, values);
  argv.splice(3, 0, index);
  return argv;
}

export const jsonMethods = {
  jsonSet: method(
    JSON_SET,
    (k: RedisKey, path: string, value: unknown, o?: JsonSetOptions): RedisArg[] => {
      checkKey('JSON.SET', 'key', k);
      checkPath('JSON.SET', path);
      const argv: RedisArg[] = ['JSON.SET', k, path, encode('JSON.SET', value)];
      if (o !== undefined) {
        if (o === null || typeof o !== 'object') throw new DataError('JSON.SET: options must be an object');
        if (o.nx && o.xx) throw new DataError('JSON.SET: nx and xx exclude each other');
        if (o.nx) argv.push('NX');
        if (o.xx) argv.push('XX');
      }
      return argv;
    },
    (v: unknown) => v !== null,
  ),
  jsonGet: byArgv(JSON_GET, buildGet, (argv) => argv.length > 3 && FORMAT_TOKENS.has(argv[2] as string), (v) => (v === null ? null : text(v)), decode),
  jsonMget: method(
    JSON_MGET,
    (keys: OneOrMany<RedisKey>, path: string): RedisArg[] => {
      const argv: RedisArg[] = ['JSON.MGET'];
      pushKeys('JSON.MGET', argv, keys);
      checkPath('JSON.MGET', path);
      argv.push(path);
      return argv;
    },
    (v: unknown) => (v as unknown[]).map(decode),
  ),
  jsonMset: method(JSON_MSET, (entries: ReadonlyArray<readonly [RedisKey, string, unknown]>): RedisArg[] => {
    if (!Array.isArray(entries) || entries.length === 0) throw new DataError('JSON.MSET: entries must be a non-empty array of [key, path, value]');
    const argv: RedisArg[] = ['JSON.MSET'];
    for (const e of entries) {
      if (!Array.isArray(e) || e.length !== 3) throw new DataError('JSON.MSET: each entry must be [key, path, value]');
      checkKey('JSON.MSET', 'key', e[0]);
      checkPath('JSON.MSET', e[1]);
      argv.push(e[0] as RedisKey, e[1], encode('JSON.MSET', e[2]));
    }
    return argv;
  }),
  jsonMerge: method(JSON_MERGE, (k: RedisKey, path: string, value: unknown): RedisArg[] => keyPathValues('JSON.MERGE', k, path, [value])),
  jsonDel: method(JSON_DEL, keyPath('JSON.DEL')),
  jsonForget: method(JSON_FORGET, keyPath('JSON.FORGET')),
  jsonType: byArgv(JSON_TYPE, keyPath('JSON.TYPE'), isDollar, typeDollar, typeLegacy),
  jsonNumincrby: byArgv(JSON_NUMINCRBY, keyPathNumber('JSON.NUMINCRBY'), isDollar, numDollar, numLegacy),
  jsonNummultby: byArgv(JSON_NUMMULTBY, keyPathNumber('JSON.NUMMULTBY'), isDollar, numDollar, numLegacy),
  jsonNumpowby: byArgv(JSON_NUMPOWBY, keyPathNumber('JSON.NUMPOWBY'), isDollar, numDollar, numLegacy),
  jsonStrappend: byArgv(
    JSON_STRAPPEND,
    (k: RedisKey, path: string, value: string): RedisArg[] => {
      if (typeof value !== 'string') throw new DataError(`JSON.STRAPPEND: value must be a string, got ${typeName(value)}`);
      return keyPathValues('JSON.STRAPPEND', k, path, [value]);
    },
    isDollar,
    perMatch,
    legacyNumber,
  ),
  jsonStrlen: byArgv(JSON_STRLEN, keyPath('JSON.STRLEN'), isDollar, perMatch, legacyNumberOrNull),
  // JSON values may be arrays: a lone array is one value, never the list (RestItems 'values').
  jsonArrappend: withRest(
    byArgv(JSON_ARRAPPEND, arrappendArgv, isDollar, perMatch, legacyNumber),
    2,
    arrappendArgv,
    'values',
  ),
  jsonArrindex: byArgv(
    JSON_ARRINDEX,
    (k: RedisKey, path: string, value: unknown, o?: JsonArrIndexOptions): RedisArg[] => {
      const argv = keyPathValues('JSON.ARRINDEX', k, path, [value]);
      if (o !== undefined) {
        if (o === null || typeof o !== 'object') throw new DataError('JSON.ARRINDEX: options must be an object');
        if (o.stop !== undefined && o.start === undefined) throw new DataError('JSON.ARRINDEX: stop needs start');
        if (o.start !== undefined) {
          checkInteger('JSON.ARRINDEX', 'start', o.start);
          argv.push(o.start);
        }
        if (o.stop !== undefined) {
          checkInteger('JSON.ARRINDEX', 'stop', o.stop);
          argv.push(o.stop);
        }
      }
      return argv;
    },
    isDollar,
    perMatch,
    legacyNumber,
  ),
  jsonArrinsert: withRest(
    byArgv(JSON_ARRINSERT, arrinsertArgv, isDollar, perMatch, legacyNumber),
    3,
    arrinsertArgv,
    'values',
  ),
  jsonArrlen: byArgv(JSON_ARRLEN, keyPath('JSON.ARRLEN'), isDollar, perMatch, legacyNumberOrNull),
  jsonArrpop: byArgv(
    JSON_ARRPOP,
    (k: RedisKey, path?: string, index?: number): RedisArg[] => {
      if (index !== undefined && path === undefined) throw new DataError('JSON.ARRPOP: an index needs a path');
      const argv = keyPath('JSON.ARRPOP')(k, path);
      if (index !== undefined) {
        checkInteger('JSON.ARRPOP', 'index', index);
        argv.push(index);
      }
      return argv;
    },
    isDollar,
    popDollar,
    (v) => decode(unwrapOne(v)),
  ),
  jsonArrtrim: byArgv(
    JSON_ARRTRIM,
    (k: RedisKey, path: string, start: number, stop: number): RedisArg[] => {
      checkKey('JSON.ARRTRIM', 'key', k);
      checkPath('JSON.ARRTRIM', path);
      checkInteger('JSON.ARRTRIM', 'start', start);
      checkInteger('JSON.ARRTRIM', 'stop', stop);
      return ['JSON.ARRTRIM', k, path, start, stop];
    },
    isDollar,
    perMatch,
    legacyNumber,
  ),
  jsonObjkeys: byArgv(JSON_OBJKEYS, keyPath('JSON.OBJKEYS'), isDollar, objkeysDollar, objkeysLegacy),
  jsonObjlen: byArgv(JSON_OBJLEN, keyPath('JSON.OBJLEN'), isDollar, perMatch, legacyNumberOrNull),
  jsonToggle: byArgv(JSON_TOGGLE, keyPath('JSON.TOGGLE'), isDollar, toggleDollar, toggleLegacy),
  jsonClear: method(JSON_CLEAR, keyPath('JSON.CLEAR')),
  jsonResp: method(JSON_RESP, keyPath('JSON.RESP'), respLeaves),
  jsonDebugMemory: byArgv(
    JSON_DEBUG,
    (k: RedisKey, path?: string): RedisArg[] => {
      const argv = keyPath('JSON.DEBUG')(k, path);
      argv.splice(1, 0, 'MEMORY');
      return argv;
    },
    dollarAt(3),
    perMatch,
    (v) => numberOrNull(unwrapOne(v)) ?? 0,
  ),
};
