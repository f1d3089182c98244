import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import type { RespValue } from '../protocol/parser.js';
import { Flag, type RedisKey, type RedisValue, type Result, type Str } from './command.js';
import { checkOptionsOrArray } from './build.js';
import { binaryReply, checkKey, checkValue, command, exclude, method, typeName, variadic } from './registry.js';
import { numkeysSpec } from './specs.js';
import { setOwn, toBooleans, toObject, toStringOrNull, toText, toTexts } from './transforms.js';

const R = Flag.READONLY;
const W = Flag.WRITE;
const NS = Flag.NOSCRIPT;
const A = Flag.ADMIN;

/** A library as FUNCTION LIST describes it. */
export interface FunctionLibrary {
  libraryName: string;
  engine: string;
  functions: Array<{ name: string; description: string | null; flags: string[] }>;
  /** The library's source, with `withcode: true`. */
  libraryCode?: string;
}

/** FUNCTION STATS: the function running now (if any) and what each engine holds. */
export interface FunctionStats {
  runningScript: { name: string; command: string[]; durationMs: number } | null;
  engines: Record<string, { librariesCount: number; functionsCount: number }>;
}

/** Optional tokens of FUNCTION LIST: a library name pattern and whether to include the code. */
export interface FunctionListOptions {
  /** Only libraries whose name matches this glob pattern. */
  libraryname?: string;
  /** Include each library's source code. */
  withcode?: boolean;
}

/** Optional tokens of FUNCTION LOAD: replace a library of the same name. */
export interface FunctionLoadOptions {
  /** Replace a library of the same name. */
  replace?: boolean;
}

/**
 * What a script replied, as the protocol carried it. Name the type you expect:
 * `await client.eval<number>('return 1')`. (A script that switches to RESP3 with `redis.setresp(3)`
 * may reply maps and doubles, which arrive as RESP3 types only on a RESP3 connection.)
 */
export type ScriptReply = RespValue;

export interface ScriptingCommands<C> {
  /** Runs a Lua script with its keys (KEYS[]) and arguments (ARGV[]). */
  eval<T = ScriptReply>(script: string | Buffer, keys?: RedisKey[], args?: RedisValue[]): Result<C, T>;
  /** Runs a script loaded before (SCRIPT LOAD) by its SHA1; NOSCRIPT error when the server lacks it. */
  evalsha<T = ScriptReply>(sha1: string, keys?: RedisKey[], args?: RedisValue[]): Result<C, T>;
  /** EVAL for a read-only script: refused if it writes; may run on a replica. */
  eval_ro<T = ScriptReply>(script: string | Buffer, keys?: RedisKey[], args?: RedisValue[]): Result<C, T>;
  evalsha_ro<T = ScriptReply>(sha1: string, keys?: RedisKey[], args?: RedisValue[]): Result<C, T>;
  /** Calls a function of a loaded library (FUNCTION LOAD). */
  fcall<T = ScriptReply>(fn: string | Buffer, keys?: RedisKey[], args?: RedisValue[]): Result<C, T>;
  /** FCALL for a function flagged no-writes. */
  fcall_ro<T = ScriptReply>(fn: string | Buffer, keys?: RedisKey[], args?: RedisValue[]): Result<C, T>;
  /** Deletes a library with all its functions. */
  functionDelete(libraryName: string | Buffer): Result<C, 'OK'>;
  /** Every library, serialized: binary, so read it through `withBuffers()` to keep it intact. */
  /** Every library, serialized (binary: always a Buffer), for FUNCTION RESTORE. */
  functionDump(): Result<C, Buffer>;
  functionFlush(mode?: 'ASYNC' | 'SYNC'): Result<C, 'OK'>;
  functionHelp(): Result<C, string[]>;
  /** Stops the running function, if it has not written anything. */
  functionKill(): Result<C, 'OK'>;
  functionList(options?: FunctionListOptions): Result<C, FunctionLibrary[]>;
  /** Loads a library (its code starts `#!lua name=<library>`); resolves the library's name. */
  functionLoad(code: string | Buffer, options?: FunctionLoadOptions): Result<C, string>;
  /** Restores libraries from a FUNCTION DUMP payload (default policy APPEND). */
  functionRestore(payload: Buffer | string, policy?: 'FLUSH' | 'APPEND' | 'REPLACE'): Result<C, 'OK'>;
  functionStats(): Result<C, FunctionStats>;
  /** Whether each script is in the script cache. */
  scriptExists(...sha1s: string[]): Result<C, boolean[]>;
  scriptExists(sha1s: ReadonlyArray<string>): Result<C, boolean[]>;
  /** Empties the script cache. */
  scriptFlush(mode?: 'ASYNC' | 'SYNC'): Result<C, 'OK'>;
  scriptHelp(): Result<C, string[]>;
  /** Stops the running script, if it has not written anything. */
  scriptKill(): Result<C, 'OK'>;
  /** Puts a script in the script cache; resolves its SHA1 for EVALSHA. */
  scriptLoad(script: string | Buffer): Result<C, string>;
  /** The source of a cached script by its SHA1 (Valkey 8). */
  scriptShow(sha1: string): Result<C, Str<C>>;
}

/** EVAL-style key positions: `CMD script numkeys key… arg…`. */
const evalKeys = numkeysSpec(2);

const EVAL = command('eval', NS, evalKeys);
const EVALSHA = command('evalsha', NS, evalKeys);
const EVAL_RO = command('eval_ro', R | NS, evalKeys);
const EVALSHA_RO = command('evalsha_ro', R | NS, evalKeys);
const FCALL = command('fcall', NS, evalKeys);
const FCALL_RO = command('fcall_ro', R | NS, evalKeys);
const FUNCTION_DELETE = command('function|delete', W | NS | A);
const FUNCTION_DUMP = command('function|dump', NS | A);
const FUNCTION_FLUSH = command('function|flush', W | NS | A);
const FUNCTION_HELP = command('function|help', 0);
const FUNCTION_KILL = command('function|kill', NS | A);
const FUNCTION_LIST = command('function|list', NS | A);
const FUNCTION_LOAD = command('function|load', W | NS | A);
const FUNCTION_RESTORE = command('function|restore', W | NS | A);
const FUNCTION_STATS = command('function|stats', NS | A);
const SCRIPT_EXISTS = command('script|exists', NS | A);
const SCRIPT_FLUSH = command('script|flush', NS | A);
const SCRIPT_HELP = command('script|help', 0);
const SCRIPT_KILL = command('script|kill', NS | A);
const SCRIPT_LOAD = command('script|load', NS | A);
const SCRIPT_SHOW = command('script|show', NS | A);

exclude(
  'script|debug',
  "puts the connection into the Lua debugger's own protocol (driven by redis-cli --ldb), which a multiplexed client connection cannot speak",
);

function buildScriptCall(cmd: string, what: string) {
  return (target: string | Buffer, keys?: RedisKey[], args?: RedisValue[]): RedisArg[] => {
    checkKey(cmd, what, target);
    if (keys !== undefined && !Array.isArray(keys)) throw new DataError(`${cmd}: keys must be an array, got ${typeName(keys)}`);
    if (args !== undefined && !Array.isArray(args)) throw new DataError(`${cmd}: args must be an array, got ${typeName(args)}`);
    const argv: RedisArg[] = [cmd, target, keys === undefined ? 0 : keys.length];
    if (keys !== undefined) {
      for (const k of keys) {
        checkKey(cmd, 'key', k);
        argv.push(k);
      }
    }
    if (args !== undefined) {
      for (const a of args) {
        checkValue(cmd, 'arg', a);
        argv.push(a);
      }
    }
    return argv;
  };
}

function buildMode(words: [string, string]) {
  return (mode?: 'ASYNC' | 'SYNC'): RedisArg[] => {
    if (mode === undefined) return [...words];
    if (mode !== 'ASYNC' && mode !== 'SYNC') throw new DataError(`${words.join(' ')}: mode must be 'ASYNC' or 'SYNC'`);
    return [...words, mode];
  };
}

function toFunctionList(v: unknown): FunctionLibrary[] {
  return (v as unknown[]).map((raw) => {
    const lib = toObject<unknown>(raw);
    const out: FunctionLibrary = {
      libraryName: toText(lib['library_name']),
      engine: toText(lib['engine']),
      functions: ((lib['functions'] ?? []) as unknown[]).map((f) => {
        const fn = toObject<unknown>(f);
        return { name: toText(fn['name']), description: toStringOrNull(fn['description'] ?? null), flags: toTexts(fn['flags'] ?? []) };
      }),
    };
    if (lib['library_code'] !== undefined) out.libraryCode = toText(lib['library_code']);
    return out;
  });
}

function toFunctionStats(v: unknown): FunctionStats {
  const stats = toObject<unknown>(v);
  const running = stats['running_script'];
  let runningScript: FunctionStats['runningScript'] = null;
  if (running !== null && running !== undefined) {
    const r = toObject<unknown>(running);
    runningScript = { name: toText(r['name']), command: toTexts(r['command'] ?? []), durationMs: Number(r['duration_ms']) };
  }
  const engines: FunctionStats['engines'] = {};
  const src = toObject<unknown>(stats['engines'] ?? null);
  for (const name of Object.keys(src)) {
    const e = toObject<unknown>(src[name]);
    setOwn(engines, name, { librariesCount: Number(e['libraries_count']), functionsCount: Number(e['functions_count']) });
  }
  return { runningScript, engines };
}

export const scriptingMethods = {
  eval: method(EVAL, buildScriptCall('EVAL', 'script')),
  evalsha: method(EVALSHA, buildScriptCall('EVALSHA', 'sha1')),
  eval_ro: method(EVAL_RO, buildScriptCall('EVAL_RO', 'script')),
  evalsha_ro: method(EVALSHA_RO, buildScriptCall('EVALSHA_RO', 'sha1')),
  fcall: method(FCALL, buildScriptCall('FCALL', 'function')),
  fcall_ro: method(FCALL_RO, buildScriptCall('FCALL_RO', 'function')),
  functionDelete: method(FUNCTION_DELETE, (name: string | Buffer) => {
    checkKey('FUNCTION DELETE', 'libraryName', name);
    return ['FUNCTION', 'DELETE', name];
  }),
  functionDump: binaryReply(method(FUNCTION_DUMP, () => ['FUNCTION', 'DUMP'])),
  functionFlush: method(FUNCTION_FLUSH, buildMode(['FUNCTION', 'FLUSH'])),
  functionHelp: method(FUNCTION_HELP, () => ['FUNCTION', 'HELP'], toTexts),
  functionKill: method(FUNCTION_KILL, () => ['FUNCTION', 'KILL']),
  functionList: method(
    FUNCTION_LIST,
    (o?: FunctionListOptions) => {
      checkOptionsOrArray('FUNCTION LIST', o);
      const argv: RedisArg[] = ['FUNCTION', 'LIST'];
      if (o?.libraryname !== undefined) {
        checkKey('FUNCTION LIST', 'libraryname', o.libraryname);
        argv.push('LIBRARYNAME', o.libraryname);
      }
      if (o?.withcode) argv.push('WITHCODE');
      return argv;
    },
    toFunctionList,
  ),
  functionLoad: method(
    FUNCTION_LOAD,
    (code: string | Buffer, o?: FunctionLoadOptions) => {
      checkKey('FUNCTION LOAD', 'code', code);
      return o?.replace ? ['FUNCTION', 'LOAD', 'REPLACE', code] : ['FUNCTION', 'LOAD', code];
    },
    toText,
  ),
  functionRestore: method(FUNCTION_RESTORE, (payload: Buffer | string, policy?: 'FLUSH' | 'APPEND' | 'REPLACE') => {
    checkKey('FUNCTION RESTORE', 'payload', payload);
    if (policy === undefined) return ['FUNCTION', 'RESTORE', payload];
    if (policy !== 'FLUSH' && policy !== 'APPEND' && policy !== 'REPLACE') {
      throw new DataError("FUNCTION RESTORE: policy must be 'FLUSH', 'APPEND' or 'REPLACE'");
    }
    return ['FUNCTION', 'RESTORE', payload, policy];
  }),
  functionStats: method(FUNCTION_STATS, () => ['FUNCTION', 'STATS'], toFunctionStats),
  scriptExists: variadic(
    SCRIPT_EXISTS,
    0,
    (sha1s: string[]) => {
      if (sha1s.length === 0) throw new DataError('SCRIPT EXISTS: at least one sha1 is required');
      for (const s of sha1s) checkKey('SCRIPT EXISTS', 'sha1', s);
      return ['SCRIPT', 'EXISTS', ...sha1s];
    },
    toBooleans,
  ),
  scriptFlush: method(SCRIPT_FLUSH, buildMode(['SCRIPT', 'FLUSH'])),
  scriptHelp: method(SCRIPT_HELP, () => ['SCRIPT', 'HELP'], toTexts),
  scriptKill: method(SCRIPT_KILL, () => ['SCRIPT', 'KILL']),
  scriptLoad: method(
    SCRIPT_LOAD,
    (script: string | Buffer) => {
      checkKey('SCRIPT LOAD', 'script', script);
      return ['SCRIPT', 'LOAD', script];
    },
    toText,
  ),
  scriptShow: method(SCRIPT_SHOW, (sha1: string) => {
    checkKey('SCRIPT SHOW', 'sha1', sha1);
    return ['SCRIPT', 'SHOW', sha1];
  }),
};
