import { createHash } from 'node:crypto';
import { DataError, NoScriptError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import type { RespValue } from '../protocol/parser.js';
import { Flag, type CommandInfo, type MethodDef, type RedisKey, type RedisValue } from '../commands/command.js';
import { checkKey, checkValue, typeName } from '../commands/registry.js';

/** Settings of a registered script: how its reply is turned into a value, and whether it runs read-only. */
export interface ScriptOptions<R> {
  /** Turns the script's reply, as the protocol carried it, into the value `run()` resolves. */
  transform?: (reply: RespValue) => R;
  /**
   * Run with EVALSHA_RO / EVAL_RO (Redis 7): the server refuses the script if it writes, and a cluster
   * or a replica-reading client may send it to a replica.
   */
  readOnly?: boolean;
}

/** What a script needs from the object that registered it. */
export interface ScriptHost {
  sendCommand(def: MethodDef, argv: RedisArg[]): Promise<unknown>;
}

/** `CMD sha-or-body numkeys key… arg…`: the keys follow the count. */
function numkeysKeys(argv: ReadonlyArray<RedisArg>): number[] {
  const n = Number(argv[2]);
  const out: number[] = [];
  for (let i = 3; i < 3 + n && i < argv.length; i++) out.push(i);
  return out;
}

// Not registered in the command table (scripting.ts owns those entries); only routing needs these.
const INFO = {
  evalsha: { id: 'evalsha', flags: Flag.NOSCRIPT, keys: numkeysKeys },
  eval: { id: 'eval', flags: Flag.NOSCRIPT, keys: numkeysKeys },
  evalsha_ro: { id: 'evalsha_ro', flags: Flag.READONLY | Flag.NOSCRIPT, keys: numkeysKeys },
  eval_ro: { id: 'eval_ro', flags: Flag.READONLY | Flag.NOSCRIPT, keys: numkeysKeys },
} satisfies Record<string, CommandInfo>;

function noBuild(): RedisArg[] {
  throw new DataError('a script is run through run() or evalScript()');
}

/**
 * A Lua script known by its SHA1, computed here so that the body crosses the network only when the
 * server does not have it: `run()` sends EVALSHA and, on NOSCRIPT (a restart, a failover, SCRIPT
 * FLUSH), EVAL with the body, which also puts it back in the server's cache.
 */
export class Script<R = RespValue> {
  readonly sha: string;
  readonly lua: string | Buffer;
  /** @internal EVALSHA (or EVALSHA_RO) with this script's reply transform. */
  readonly shaDef: MethodDef;
  /** @internal EVAL (or EVAL_RO), the fallback. */
  readonly evalDef: MethodDef;
  private readonly host: ScriptHost;

  constructor(host: ScriptHost, lua: string | Buffer, options: ScriptOptions<R> = {}) {
    if (typeof lua !== 'string' && !Buffer.isBuffer(lua)) {
      throw new DataError(`registerScript: the script must be a string or Buffer, got ${typeName(lua)}`);
    }
    this.host = host;
    this.lua = lua;
    // The server hashes the bytes it receives, and strings go out as UTF-8.
    this.sha = createHash('sha1').update(lua).digest('hex');
    const transform = options.transform as MethodDef['transform'];
    const ro = options.readOnly === true;
    const sha: MethodDef = { info: ro ? INFO.evalsha_ro : INFO.evalsha, build: noBuild };
    const body: MethodDef = { info: ro ? INFO.eval_ro : INFO.eval, build: noBuild };
    this.shaDef = transform === undefined ? sha : { ...sha, transform };
    this.evalDef = transform === undefined ? body : { ...body, transform };
  }

  /** Runs the script with `keys` (KEYS[]) and `args` (ARGV[]). */
  run(keys: ReadonlyArray<RedisKey> = [], args: ReadonlyArray<RedisValue> = []): Promise<R> {
    let argv: RedisArg[];
    try {
      argv = this.argv(keys, args);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.host.sendCommand(this.shaDef, argv).catch((e: unknown) => {
      if (!(e instanceof NoScriptError)) throw e;
      const evalArgv = argv.slice();
      evalArgv[0] = this.evalDef.info.id.toUpperCase();
      evalArgv[1] = this.lua;
      return this.host.sendCommand(this.evalDef, evalArgv);
    }) as Promise<R>;
  }

  /** @internal The EVALSHA argv; throws DataError on bad keys or arguments. */
  argv(keys: ReadonlyArray<RedisKey>, args: ReadonlyArray<RedisValue>): RedisArg[] {
    const cmd = this.shaDef.info.id.toUpperCase();
    if (!Array.isArray(keys)) throw new DataError(`${cmd}: keys must be an array, got ${typeName(keys)}`);
    if (!Array.isArray(args)) throw new DataError(`${cmd}: args must be an array, got ${typeName(args)}`);
    const argv: RedisArg[] = [cmd, this.sha, keys.length];
    for (const k of keys) {
      checkKey(cmd, 'key', k);
      argv.push(k);
    }
    for (const a of args) {
      checkValue(cmd, 'arg', a);
      argv.push(a);
    }
    return argv;
  }
}
