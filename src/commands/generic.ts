import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type Result, type Str } from './command.js';
import { checkCursor, keyAndInt, keyAndName, keysArgv, oneKey, pushLimit } from './build.js';
import { binaryReply, checkInteger, checkKey, command, key, keyRange, method, variadic } from './registry.js';
import { cursorText, toBoolean, toStringOrNull, toText, toTexts } from './transforms.js';

const R = Flag.READONLY;
const W = Flag.WRITE;

/** Conditions of EXPIRE and its kin: set the expiry only when the key has none, has one, or it grows or shrinks. */
export interface ExpireOptions {
  /** Only when the key has no expiry. */
  nx?: boolean;
  /** Only when the key has an expiry. */
  xx?: boolean;
  /** Only when the new expiry is later than the current one. */
  gt?: boolean;
  /** Only when the new expiry is earlier than the current one. */
  lt?: boolean;
}

/** Optional tokens of COPY: a destination database and whether to replace an existing key. */
export interface CopyOptions {
  /** Copy into this database instead of the current one. */
  db?: number;
  /** Overwrite the destination when it exists. */
  replace?: boolean;
}

/** Optional tokens of MIGRATE: copy instead of move, replace, and credentials for the target. */
export interface MigrateOptions {
  /** Leave the keys on this server too. */
  copy?: boolean;
  /** Overwrite keys that exist on the target. */
  replace?: boolean;
  /** The target's password (AUTH password). */
  auth?: string;
  /** The target's ACL user and password (AUTH2 username password). */
  auth2?: { username: string; password: string };
}

/** Optional tokens of RESTORE: replace, an absolute TTL, and the idle time or access frequency to restore. */
export interface RestoreOptions {
  /** Overwrite the key when it exists. */
  replace?: boolean;
  /** `ttl` is a Unix time in milliseconds, not a duration. */
  absttl?: boolean;
  /** The object's idle time in seconds (for LRU eviction). */
  idletime?: number;
  /** The object's access frequency (for LFU eviction). */
  freq?: number;
}

/** Optional tokens of SCAN and its iterator: a key pattern, a count hint and a key type. */
export interface ScanOptions {
  /** A glob-style pattern the keys must match. */
  match?: string | Buffer;
  /** How much work to do per call (a hint, not a limit on the reply). */
  count?: number;
  /** Only keys of this type: 'string', 'list', 'set', 'zset', 'hash', 'stream', or a module type. */
  type?: string;
}

/** One SCAN page: the cursor for the next call ('0' when the scan is complete) and the keys found. */
export interface ScanReply<S = string> {
  cursor: string;
  keys: S[];
}

/** Optional tokens of SORT_RO: the BY pattern, a LIMIT page, GET patterns, order and ALPHA. */
export interface SortRoOptions {
  /** Sort by the values of the keys this pattern names ('*' is replaced by the element); 'nosort' skips sorting. */
  by?: string | Buffer;
  /** A page of the sorted elements. */
  limit?: { offset: number; count: number };
  /** Return the values of the keys these patterns name instead of the elements ('#' is the element itself). */
  get?: string | Buffer | Array<string | Buffer>;
  /** Ascending (the default). */
  asc?: boolean;
  /** Descending. */
  desc?: boolean;
  /** Compare as strings, not as numbers. */
  alpha?: boolean;
}

/** Optional tokens of SORT: SORT_RO's, plus a key to store the result in. */
export interface SortOptions extends SortRoOptions {
  /** Store the result in this key as a list instead of returning it. */
  store?: RedisKey;
}

export interface GenericCommands<C> {
  /** Copies `source` to `destination`; true when it was copied. */
  copy(source: RedisKey, destination: RedisKey, options?: CopyOptions): Result<C, boolean>;
  /** Deletes keys; resolves how many existed. */
  del(...keys: RedisKey[]): Result<C, number>;
  del(keys: ReadonlyArray<RedisKey>): Result<C, number>;
  /**
   * The value of `key` in the server's serialization format, or null. The payload is binary: call it
   * on a `withBuffers()` view to get a Buffer that `restore` takes back unchanged.
   */
  /** The key's serialized value (binary: always a Buffer), or null when it does not exist. */
  dump(key: RedisKey): Result<C, Buffer | null>;
  /** How many of the keys exist (a key named twice counts twice). */
  exists(...keys: RedisKey[]): Result<C, number>;
  exists(keys: ReadonlyArray<RedisKey>): Result<C, number>;
  /** True when the timeout was set. */
  expire(key: RedisKey, seconds: number, options?: ExpireOptions): Result<C, boolean>;
  expireat(key: RedisKey, unixSeconds: number, options?: ExpireOptions): Result<C, boolean>;
  /** The Unix time (seconds) at which `key` expires; -1 without expiry, -2 when the key does not exist. */
  expiretime(key: RedisKey): Result<C, number>;
  /** Every key matching `pattern`. It walks the whole keyspace: prefer `scanIterator` on big databases. */
  keys(pattern: string | Buffer): Result<C, Array<Str<C>>>;
  /**
   * Moves `key` (or `keys`) to another server; 'NOKEY' when none of them exists. `timeout` is the
   * longest idle time of the transfer, in milliseconds.
   */
  migrate(
    host: string,
    port: number,
    key: RedisKey | RedisKey[],
    destinationDb: number,
    timeout: number,
    options?: MigrateOptions,
  ): Result<C, 'OK' | 'NOKEY'>;
  /** Moves `key` to database `db`; true when it was moved. */
  move(key: RedisKey, db: number): Result<C, boolean>;
  /** The internal encoding of the value ('listpack', 'hashtable', 'int', 'embstr'…), or null without the key. */
  objectEncoding(key: RedisKey): Result<C, string | null>;
  /** The access frequency counter of `key` (only under an LFU maxmemory policy), or null without the key. */
  objectFreq(key: RedisKey): Result<C, number | null>;
  objectHelp(): Result<C, string[]>;
  /** Seconds since `key` was last read or written, or null without the key. */
  objectIdletime(key: RedisKey): Result<C, number | null>;
  objectRefcount(key: RedisKey): Result<C, number | null>;
  /** Removes the expiry of `key`; true when it had one. */
  persist(key: RedisKey): Result<C, boolean>;
  pexpire(key: RedisKey, milliseconds: number, options?: ExpireOptions): Result<C, boolean>;
  pexpireat(key: RedisKey, unixMilliseconds: number, options?: ExpireOptions): Result<C, boolean>;
  /** Like `expiretime`, in milliseconds. */
  pexpiretime(key: RedisKey): Result<C, number>;
  /** Milliseconds to live; -1 without expiry, -2 when the key does not exist. */
  pttl(key: RedisKey): Result<C, number>;
  /** A random key, or null when the database is empty. */
  randomkey(): Result<C, Str<C> | null>;
  rename(key: RedisKey, newKey: RedisKey): Result<C, 'OK'>;
  /** Renames `key` when `newKey` does not exist; true when it was renamed. */
  renamenx(key: RedisKey, newKey: RedisKey): Result<C, boolean>;
  /** Creates `key` from a DUMP payload; `ttl` in milliseconds, 0 for none. */
  restore(key: RedisKey, ttl: number, serializedValue: string | Buffer, options?: RestoreOptions): Result<C, 'OK'>;
  /** One page of keys from `cursor` ('0' to start). `scanIterator` walks all pages. */
  scan(cursor: string | number, options?: ScanOptions): Result<C, ScanReply<Str<C>>>;
  /** Sorts a list, set or sorted set; with `store`, resolves the length of the stored list. */
  sort(key: RedisKey, options: SortOptions & { store: RedisKey }): Result<C, number>;
  sort(key: RedisKey, options?: SortRoOptions): Result<C, Array<Str<C> | null>>;
  /** SORT that never writes, so it may run on replicas. */
  sortRo(key: RedisKey, options?: SortRoOptions): Result<C, Array<Str<C> | null>>;
  /** Updates the last access time of keys; resolves how many exist. */
  touch(...keys: RedisKey[]): Result<C, number>;
  touch(keys: ReadonlyArray<RedisKey>): Result<C, number>;
  /** Seconds to live; -1 without expiry, -2 when the key does not exist. */
  ttl(key: RedisKey): Result<C, number>;
  /** 'string', 'list', 'set', 'zset', 'hash', 'stream', or 'none'. */
  type(key: RedisKey): Result<C, string>;
  /** Deletes keys, freeing their memory in the background; resolves how many existed. */
  unlink(...keys: RedisKey[]): Result<C, number>;
  unlink(keys: ReadonlyArray<RedisKey>): Result<C, number>;
  /**
   * Waits until `numreplicas` replicas acknowledged this connection's writes, or `timeout` ms passed
   * (0: forever); resolves how many did.
   */
  wait(numreplicas: number, timeout: number): Result<C, number>;
  /**
   * Waits until this connection's writes are fsynced to the AOF locally (`numlocal` 0 or 1) and on
   * `numreplicas` replicas, or `timeout` ms passed (0: forever); resolves [local, replicas].
   */
  waitaof(numlocal: number, numreplicas: number, timeout: number): Result<C, [local: number, replicas: number]>;
}

// ---- key positions of the commands whose keys hang on their options ------------------------------

function word(arg: RedisArg | undefined): string {
  return arg === undefined ? '' : String(arg).toLowerCase();
}

/** MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS key …] */
function migrateKeys(argv: ReadonlyArray<RedisArg>): number[] {
  const k = argv[3];
  if (k !== undefined && (typeof k === 'number' || typeof k === 'bigint' || k.length > 0)) return [3];
  for (let i = 6; i < argv.length; i++) {
    const w = word(argv[i]);
    if (w === 'auth') i++;
    else if (w === 'auth2') i += 2;
    else if (w === 'keys') return Array.from({ length: argv.length - i - 1 }, (_, j) => i + 1 + j);
  }
  return [];
}

/** SORT key […] [STORE destination]: the destination is a key too. */
function sortKeys(argv: ReadonlyArray<RedisArg>): number[] {
  const out = [1];
  for (let i = 2; i < argv.length; i++) {
    const w = word(argv[i]);
    if (w === 'limit') i += 2;
    else if (w === 'by' || w === 'get') i++;
    else if (w === 'store' && i + 1 < argv.length) {
      out.push(i + 1);
      i++;
    }
  }
  return out;
}

const COPY = command('copy', W, keyRange(1, 2));
const DEL = command('del', W, keyRange(1, -1));
const DUMP = command('dump', R, key(1));
const EXISTS = command('exists', R | Flag.CACHEABLE, keyRange(1, -1));
const EXPIRE = command('expire', W, key(1));
const EXPIREAT = command('expireat', W, key(1));
const EXPIRETIME = command('expiretime', R, key(1));
const KEYS = command('keys', R);
// Not a blocking command, but the server may take up to `timeout` ms per step of the transfer.
const MIGRATE = command('migrate', W, migrateKeys, (argv) => {
  const t = Number(argv[5]);
  return t > 0 ? t : 1000;
});
const MOVE = command('move', W, key(1));
const OBJECT_ENCODING = command('object|encoding', R, key(2));
const OBJECT_FREQ = command('object|freq', R, key(2));
const OBJECT_HELP = command('object|help', 0);
const OBJECT_IDLETIME = command('object|idletime', R, key(2));
const OBJECT_REFCOUNT = command('object|refcount', R, key(2));
const PERSIST = command('persist', W, key(1));
const PEXPIRE = command('pexpire', W, key(1));
const PEXPIREAT = command('pexpireat', W, key(1));
const PEXPIRETIME = command('pexpiretime', R, key(1));
const PTTL = command('pttl', R, key(1));
const RANDOMKEY = command('randomkey', R);
const RENAME = command('rename', W, keyRange(1, 2));
const RENAMENX = command('renamenx', W, keyRange(1, 2));
const RESTORE = command('restore', W, key(1));
const SCAN = command('scan', R);
const SORT = command('sort', W, sortKeys);
const SORT_RO = command('sort_ro', R, key(1));
const TOUCH = command('touch', R, keyRange(1, -1));
const TTL = command('ttl', R, key(1));
const TYPE = command('type', R | Flag.CACHEABLE, key(1));
const UNLINK = command('unlink', W, keyRange(1, -1));
// Redis 7.4+ and Valkey flag WAIT blocking (7.0 did not): it may hold the reply `timeout` ms.
const WAIT = command('wait', Flag.BLOCKING, null, (argv) => Number(argv[2]));
const WAITAOF = command('waitaof', Flag.BLOCKING, null, (argv) => Number(argv[3]));

function expireBuilder(cmd: string, argName: string) {
  return (k: RedisKey, time: number, o?: ExpireOptions): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkInteger(cmd, argName, time);
    const argv: RedisArg[] = [cmd, k, time];
    if (o !== undefined) {
      const set = (['nx', 'xx', 'gt', 'lt'] as const).filter((f) => o[f]);
      if (set.length > 1 && !(set.length === 2 && set.includes('xx') && (set.includes('gt') || set.includes('lt')))) {
        throw new DataError(`${cmd}: options ${set.join(', ')} cannot be combined`);
      }
      for (const f of set) argv.push(f.toUpperCase());
    }
    return argv;
  };
}

function objectBuilder(sub: string) {
  return (k: RedisKey): RedisArg[] => {
    checkKey(`OBJECT ${sub}`, 'key', k);
    return ['OBJECT', sub, k];
  };
}

function buildMigrate(
  host: string,
  port: number,
  keys: RedisKey | RedisKey[],
  db: number,
  timeout: number,
  o?: MigrateOptions,
): RedisArg[] {
  if (typeof host !== 'string' || host === '') throw new DataError('MIGRATE: host must be a non-empty string');
  checkInteger('MIGRATE', 'port', port);
  checkInteger('MIGRATE', 'destinationDb', db);
  checkInteger('MIGRATE', 'timeout', timeout);
  const many = Array.isArray(keys);
  if (many) {
    if (keys.length === 0) throw new DataError('MIGRATE: at least one key is required');
    for (const k of keys) checkKey('MIGRATE', 'key', k);
  } else {
    checkKey('MIGRATE', 'key', keys);
    // An empty key is MIGRATE's marker for "the keys follow KEYS".
    if (keys.length === 0) throw new DataError('MIGRATE: key must not be empty');
  }
  const argv: RedisArg[] = ['MIGRATE', host, port, many ? '' : keys, db, timeout];
  if (o !== undefined) {
    if (o.copy) argv.push('COPY');
    if (o.replace) argv.push('REPLACE');
    if (o.auth !== undefined && o.auth2 !== undefined) throw new DataError('MIGRATE: auth and auth2 exclude each other');
    if (o.auth !== undefined) {
      checkKey('MIGRATE', 'auth', o.auth);
      argv.push('AUTH', o.auth);
    }
    if (o.auth2 !== undefined) {
      if (o.auth2 === null || typeof o.auth2 !== 'object') throw new DataError('MIGRATE: auth2 must be { username, password }');
      checkKey('MIGRATE', 'auth2.username', o.auth2.username);
      checkKey('MIGRATE', 'auth2.password', o.auth2.password);
      argv.push('AUTH2', o.auth2.username, o.auth2.password);
    }
  }
  if (many) argv.push('KEYS', ...keys);
  return argv;
}

function buildRestore(k: RedisKey, ttl: number, payload: string | Buffer, o?: RestoreOptions): RedisArg[] {
  checkKey('RESTORE', 'key', k);
  checkInteger('RESTORE', 'ttl', ttl);
  checkKey('RESTORE', 'serializedValue', payload);
  const argv: RedisArg[] = ['RESTORE', k, ttl, payload];
  if (o === undefined) return argv;
  if (o.replace) argv.push('REPLACE');
  if (o.absttl) argv.push('ABSTTL');
  if (o.idletime !== undefined) {
    checkInteger('RESTORE', 'idletime', o.idletime);
    argv.push('IDLETIME', o.idletime);
  }
  if (o.freq !== undefined) {
    checkInteger('RESTORE', 'freq', o.freq);
    argv.push('FREQ', o.freq);
  }
  return argv;
}

function buildScan(cursor: string | number, o?: ScanOptions): RedisArg[] {
  checkCursor('SCAN', cursor);
  const argv: RedisArg[] = ['SCAN', cursor];
  if (o === undefined) return argv;
  if (o.match !== undefined) {
    checkKey('SCAN', 'match', o.match);
    argv.push('MATCH', o.match);
  }
  if (o.count !== undefined) {
    checkInteger('SCAN', 'count', o.count);
    argv.push('COUNT', o.count);
  }
  if (o.type !== undefined) {
    checkKey('SCAN', 'type', o.type);
    argv.push('TYPE', o.type);
  }
  return argv;
}

/** `[cursor, items]`: the cursor as a string whatever the view, the items as they came. */
export function toScanReply(v: unknown): ScanReply<unknown> {
  const [cursor, keys] = v as [unknown, unknown[]];
  return { cursor: cursorText(cursor), keys };
}

function sortBuilder(cmd: 'SORT' | 'SORT_RO') {
  return (k: RedisKey, o?: SortOptions): RedisArg[] => {
    checkKey(cmd, 'key', k);
    const argv: RedisArg[] = [cmd, k];
    if (o === undefined) return argv;
    if (o.by !== undefined) {
      checkKey(cmd, 'by', o.by);
      argv.push('BY', o.by);
    }
    pushLimit(cmd, argv, o.limit);
    if (o.get !== undefined) {
      for (const pattern of Array.isArray(o.get) ? o.get : [o.get]) {
        checkKey(cmd, 'get', pattern);
        argv.push('GET', pattern);
      }
    }
    if (o.asc && o.desc) throw new DataError(`${cmd}: asc and desc exclude each other`);
    if (o.asc) argv.push('ASC');
    if (o.desc) argv.push('DESC');
    if (o.alpha) argv.push('ALPHA');
    if (o.store !== undefined) {
      if (cmd === 'SORT_RO') throw new DataError('SORT_RO: store is not allowed (use sort)');
      checkKey(cmd, 'store', o.store);
      argv.push('STORE', o.store);
    }
    return argv;
  };
}

function waitArgv(cmd: string, names: string[], args: number[]): RedisArg[] {
  for (let i = 0; i < names.length; i++) checkInteger(cmd, names[i]!, args[i]);
  return [cmd, ...args];
}

export const genericMethods = {
  copy: method(
    COPY,
    (src: RedisKey, dst: RedisKey, o?: CopyOptions) => {
      checkKey('COPY', 'source', src);
      checkKey('COPY', 'destination', dst);
      const argv: RedisArg[] = ['COPY', src, dst];
      if (o?.db !== undefined) {
        checkInteger('COPY', 'db', o.db);
        argv.push('DB', o.db);
      }
      if (o?.replace) argv.push('REPLACE');
      return argv;
    },
    toBoolean,
  ),
  del: variadic(DEL, 0, (keys: RedisKey[]) => keysArgv('DEL', keys)),
  dump: binaryReply(method(DUMP, oneKey('DUMP'))),
  exists: variadic(EXISTS, 0, (keys: RedisKey[]) => keysArgv('EXISTS', keys)),
  expire: method(EXPIRE, expireBuilder('EXPIRE', 'seconds'), toBoolean),
  expireat: method(EXPIREAT, expireBuilder('EXPIREAT', 'unixSeconds'), toBoolean),
  expiretime: method(EXPIRETIME, oneKey('EXPIRETIME')),
  keys: method(KEYS, (pattern: string | Buffer) => {
    checkKey('KEYS', 'pattern', pattern);
    return ['KEYS', pattern];
  }),
  migrate: method(MIGRATE, buildMigrate, toText),
  move: method(MOVE, keyAndInt('MOVE', 'db'), toBoolean),
  objectEncoding: method(OBJECT_ENCODING, objectBuilder('ENCODING'), toStringOrNull),
  objectFreq: method(OBJECT_FREQ, objectBuilder('FREQ')),
  objectHelp: method(OBJECT_HELP, () => ['OBJECT', 'HELP'], toTexts),
  objectIdletime: method(OBJECT_IDLETIME, objectBuilder('IDLETIME')),
  objectRefcount: method(OBJECT_REFCOUNT, objectBuilder('REFCOUNT')),
  persist: method(PERSIST, oneKey('PERSIST'), toBoolean),
  pexpire: method(PEXPIRE, expireBuilder('PEXPIRE', 'milliseconds'), toBoolean),
  pexpireat: method(PEXPIREAT, expireBuilder('PEXPIREAT', 'unixMilliseconds'), toBoolean),
  pexpiretime: method(PEXPIRETIME, oneKey('PEXPIRETIME')),
  pttl: method(PTTL, oneKey('PTTL')),
  randomkey: method(RANDOMKEY, () => ['RANDOMKEY']),
  rename: method(RENAME, keyAndName('RENAME', 'newKey')),
  renamenx: method(RENAMENX, keyAndName('RENAMENX', 'newKey'), toBoolean),
  restore: method(RESTORE, buildRestore),
  scan: method(SCAN, buildScan, toScanReply),
  sort: method(SORT, sortBuilder('SORT')),
  sortRo: method(SORT_RO, sortBuilder('SORT_RO')),
  touch: variadic(TOUCH, 0, (keys: RedisKey[]) => keysArgv('TOUCH', keys)),
  ttl: method(TTL, oneKey('TTL')),
  type: method(TYPE, oneKey('TYPE'), toText),
  unlink: variadic(UNLINK, 0, (keys: RedisKey[]) => keysArgv('UNLINK', keys)),
  wait: method(WAIT, (numreplicas: number, timeout: number) => waitArgv('WAIT', ['numreplicas', 'timeout'], [numreplicas, timeout])),
  waitaof: method(WAITAOF, (numlocal: number, numreplicas: number, timeout: number) =>
    waitArgv('WAITAOF', ['numlocal', 'numreplicas', 'timeout'], [numlocal, numreplicas, timeout]),
  ),
};
