/**
 * Client-side caching (server-assisted, with CLIENT TRACKING): replies of read-only, deterministic
 * commands kept in the client and dropped when the server says one of their keys changed.
 *
 * The one rule: never serve stale data. A reply is stored only if nothing that could have changed it
 * happened between the write of the read and the store: no invalidation of any of its keys, no
 * flush (FLUSHALL, a broken connection, a session change). Each read in flight is a `Reading`
 * registered under its keys; an invalidation marks every reading of its keys tainted, a flush moves
 * the epoch on so every reading from before it is refused.
 */
import { EventEmitter } from 'node:events';
import type { Connection, SendOptions } from '../connection/connection.js';
import type { RedisArg } from '../protocol/encoder.js';
import type { RespValue } from '../protocol/parser.js';
import type { MethodDef, RedisKey } from '../commands/command.js';
import { Flag } from '../commands/command.js';
import { keyPositions, lookup } from '../commands/registry.js';
import { DataError } from '../errors.js';
import { InvalidationRedirect } from './redirect.js';
import { commandChannel, traceCachedCommand } from '../tracing.js';

/** How the server tells the client what to drop (CLIENT TRACKING's modes). */
export type CacheMode = 'default' | 'optin' | 'bcast';

/** The `cache` option of a client: tracking mode, size limits, TTL and which commands to cache. */
export interface CacheOptions {
  /** At most this many replies are kept; the least recently used goes first. Default 10 000. */
  maxEntries?: number;
  /** At most about this many bytes of keys and replies (an estimate). Default 0: no limit. */
  maxBytes?: number;
  /** A reply is kept at most this long (ms), however quiet its keys. Default 0: until invalidated or evicted. */
  ttl?: number;
  /**
   * 'default': the server remembers the keys this client read and invalidates those (its memory
   * grows with them). 'optin': the same, for the cached reads only (CLIENT CACHING yes is sent with
   * each). 'bcast': the server invalidates every key starting with one of `prefixes` (all keys when
   * none), remembering nothing per client; only keys under the prefixes are cached. Default 'default'.
   */
  mode?: CacheMode;
  /** For 'bcast': the key prefixes to follow. */
  prefixes?: string[];
  /**
   * NOLOOP: the server does not tell this connection of the keys it changed itself (less traffic);
   * the cache drops them when the write is sent instead. A write whose keys the command table does
   * not know (a script, FLUSHDB, an unknown command through `call`) drops everything. Default false.
   */
  noloop?: boolean;
  /**
   * Which of the table's cacheable commands to cache: called with the command ('get', 'json.get')
   * and its keys; false sends it to the server. It can only narrow the set: commands that read
   * time or randomness (TTL, RANDOMKEY, SRANDMEMBER) or write are never cached.
   */
  cacheable?: (command: string, keys: ReadonlyArray<RedisKey>) => boolean;
}

/** What `client.cache.stats()` reports: hits, misses, entries, bytes, evictions, invalidations. */
export interface CacheStats {
  hits: number;
  misses: number;
  entries: number;
  /** The estimated size of what is kept. */
  bytes: number;
  /** Entries dropped for room (maxEntries, maxBytes) or age (ttl). */
  evictions: number;
  /** Keys the server invalidated (a flush of everything counts one). */
  invalidations: number;
}

/** Why everything was dropped. */
export type CacheFlushReason = 'server' | 'disconnect' | 'session' | 'clear';

/** The events a client's cache emits (invalidations, flushes, evictions). */
export interface CacheEvents {
  /** The server invalidated these keys (strings). */
  invalidate: [keys: string[]];
  /** Everything was dropped: a null invalidation (FLUSHALL/FLUSHDB), a broken connection, a SELECT… */
  flush: [reason: CacheFlushReason];
}

interface Entry {
  readonly id: string;
  /** For an argv of a command and one string key: the map of `singles` it is also in. */
  readonly single: Map<string, Entry> | null;
  readonly keys: string[];
  readonly value: unknown;
  readonly size: number;
  readonly expires: number;
  /** Read since it last reached the end of the LRU order (CLOCK's reference bit). */
  used: boolean;
}

/** A read in flight. */
interface Reading {
  readonly epoch: number;
  tainted: boolean;
}

/** What `hold()` returns: ends the hold. */
export type Release = () => void;

const DEFAULT_MAX_ENTRIES = 10_000;

const ENDS_TRACKING = new Set(['reset', 'client|tracking', 'hello']);

/** Method definitions numbered, so that two methods sending the same argv with other transforms never share an entry. */
const defIds = new WeakMap<MethodDef, number>();
let nextDefId = 1;

function defId(def: MethodDef): number {
  let id = defIds.get(def);
  if (id === undefined) defIds.set(def, (id = nextDefId++));
  return id;
}

/** A key as the server names it in invalidations, as a string. */
function keyName(k: RedisArg | RespValue): string {
  return typeof k === 'string' ? k : Buffer.isBuffer(k) ? k.toString('utf8') : String(k);
}

/** A reply handed out must not be the stored one: the caller may change it. */
function copy(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Buffer.isBuffer(v)) return Buffer.from(v);
  if (Array.isArray(v)) return v.map(copy);
  if (v instanceof Map) {
    const m = new Map<unknown, unknown>();
    for (const [k, x] of v) m.set(copy(k), copy(x));
    return m;
  }
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto === Object.prototype || proto === null) {
    const o: Record<string, unknown> = proto === null ? (Object.create(null) as Record<string, unknown>) : {};
    for (const k of Object.keys(v)) o[k] = copy((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

function sizeOf(v: unknown): number {
  if (v === null || v === undefined) return 8;
  if (typeof v === 'string') return 16 + v.length * 2;
  if (typeof v !== 'object') return 16;
  if (Buffer.isBuffer(v)) return 32 + v.length;
  let n = 32;
  if (Array.isArray(v)) for (const x of v) n += sizeOf(x);
  else if (v instanceof Map) for (const [k, x] of v) n += sizeOf(k) + sizeOf(x);
  else for (const k of Object.keys(v)) n += sizeOf(k) + sizeOf((v as Record<string, unknown>)[k]);
  return n;
}

/** The options, checked: a DataError names the bad one. */
export function checkCacheOptions(value: unknown, name = 'cache'): CacheOptions {
  if (value === true) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DataError(`client option ${name} must be an object or true`);
  const o = value as Record<string, unknown>;
  const known = ['maxEntries', 'maxBytes', 'ttl', 'mode', 'prefixes', 'noloop', 'cacheable'];
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) throw new DataError(`unknown client option ${name}.${k}: it takes ${known.join(', ')}`);
  }
  const count = (k: string, min: number): void => {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min)) throw new DataError(`client option ${name}.${k} must be an integer >= ${min}`);
  };
  count('maxEntries', 1);
  count('maxBytes', 0);
  if (o['ttl'] !== undefined && (typeof o['ttl'] !== 'number' || !Number.isFinite(o['ttl']) || o['ttl'] < 0)) throw new DataError(`client option ${name}.ttl must be a number of milliseconds >= 0`);
  const mode = o['mode'];
  if (mode !== undefined && mode !== 'default' && mode !== 'optin' && mode !== 'bcast') throw new DataError(`client option ${name}.mode must be 'default', 'optin' or 'bcast'`);
  const prefixes = o['prefixes'];
  if (prefixes !== undefined) {
    if (!Array.isArray(prefixes) || !prefixes.every((p) => typeof p === 'string')) throw new DataError(`client option ${name}.prefixes must be an array of strings`);
    if (mode !== 'bcast') throw new DataError(`client option ${name}.prefixes needs mode 'bcast'`);
    // The server refuses prefixes that overlap (one is a prefix of another).
    for (const a of prefixes as string[]) {
      for (const b of prefixes as string[]) {
        if (a !== b && b.startsWith(a)) throw new DataError(`client option ${name}.prefixes overlap: '${a}' and '${b}'`);
      }
    }
  }
  if (o['noloop'] !== undefined && typeof o['noloop'] !== 'boolean') throw new DataError(`client option ${name}.noloop must be a boolean`);
  if (o['cacheable'] !== undefined && typeof o['cacheable'] !== 'function') throw new DataError(`client option ${name}.cacheable must be a function`);
  return o as CacheOptions;
}

/** One cache, for one tracked connection. */
export class ClientCache extends EventEmitter<CacheEvents> {
  readonly mode: CacheMode;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly ttl: number;
  private readonly prefixes: string[];
  private readonly filter: CacheOptions['cacheable'];
  private readonly noloop: boolean;
  /** RESP2: the connection the invalidations are redirected to. */
  private redirect: InvalidationRedirect | null = null;
  private tracked: Connection | null = null;

  /** In LRU order: the first is the least recently used. */
  private readonly entries = new Map<string, Entry>();
  /**
   * The hit path's shortcut for `COMMAND key` argvs (GET k, HGETALL k…): per db and view, method ->
   * key -> entry, so a hit builds no string. The same entries are in `entries`.
   */
  private singles: Array<Map<MethodDef, Map<string, Entry>> | undefined> = [];
  /** Methods of two-word argvs whose second word is not a key: never in `singles`. */
  private readonly notSingle = new Set<MethodDef>();
  /** Server key -> the entries built from it. */
  private readonly byKey = new Map<string, Set<Entry>>();
  /** Server key -> the reads of it in flight. */
  private readonly reading = new Map<string, Set<Reading>>();
  private epoch = 0;
  /** Session changes (SELECT) in flight: no read that overlaps one is stored. */
  private holds = 0;
  private readonly batchHolds: Release[] = [];
  /** Set once the tracking it relies on was turned off behind its back. */
  private disabled = false;
  private bytes = 0;
  private readonly counts = { hits: 0, misses: 0, evictions: 0, invalidations: 0 };

  constructor(options: CacheOptions = {}) {
    super();
    const o = checkCacheOptions(options);
    this.mode = o.mode ?? 'default';
    this.maxEntries = o.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.maxBytes = o.maxBytes ?? 0;
    this.ttl = o.ttl ?? 0;
    this.prefixes = o.prefixes ?? [];
    this.filter = o.cacheable;
    this.noloop = o.noloop === true;
  }

  /** The arguments of the CLIENT TRACKING a tracked connection's handshake sends. */
  trackingArgs(): RedisArg[] {
    const args: RedisArg[] = ['CLIENT', 'TRACKING', 'ON'];
    if (this.mode === 'optin') args.push('OPTIN');
    if (this.mode === 'bcast') {
      args.push('BCAST');
      for (const p of this.prefixes) args.push('PREFIX', p);
    }
    if (this.noloop) args.push('NOLOOP');
    return args;
  }

  /** Connects the cache to the connection whose tracking feeds it: its invalidations, its breaks. */
  attach(conn: Connection): void {
    this.tracked = conn;
    if (conn.options.protocol === 2) {
      // RESP2: tracking is turned on (with REDIRECT) once the invalidation connection is subscribed.
      this.redirect = new InvalidationRedirect(conn, this);
    } else {
      conn.cacheTracking = this.trackingArgs();
      conn.on('push', (push) => this.onPush(push));
    }
    // RESP2: the invalidation of the client's own write comes on the other socket, maybe after the
    // write's reply; its keys are dropped as it is sent, so the client reads its own write.
    if (this.noloop || this.redirect !== null) watchOwnWrites(conn, this, this.noloop);
    // Invalidations sent while the connection was down are lost: nothing kept can be trusted.
    conn.on('close', () => this.flush('disconnect'));
    conn.onSessionChange = (id) => {
      if (id === 'select') {
        // A batch's SELECT is in: the reads it held may be stored again (MULTI never says so itself).
        for (const release of this.batchHolds.splice(0)) release();
        this.flush('session');
      }
      else if (ENDS_TRACKING.has(id)) {
        // A pipeline or MULTI ended the tracking (RESET, CLIENT TRACKING OFF, HELLO 2): nothing the
        // server sends can be trusted to reach this cache any more, so it stops serving for good.
        this.disabled = true;
        this.flush('session');
      }
    };
  }

  /** @internal Closes what the cache opened itself (RESP2's invalidation connection). */
  close(): Promise<void> {
    return this.redirect === null ? Promise.resolve() : this.redirect.close();
  }

  /** @internal Closes at once what the cache opened itself. */
  disconnect(): void {
    this.redirect?.disconnect();
  }

  /** @internal The invalidation connection (RESP2), for tests and CLIENT LIST. */
  get invalidationConnection(): Connection | null {
    return this.redirect?.listener ?? null;
  }

  /** @internal RESP2: the client id the tracking redirects to, once the server confirmed it; else null. */
  get invalidationClientId(): number | null {
    return this.redirect?.pointedAt ?? null;
  }

  /** @internal A failure of the cache's own machinery, told to whoever listens to the tracked connection. */
  emitError(err: Error): void {
    const conn = this.tracked;
    if (conn !== null && conn.listenerCount('error') > 0) conn.emit('error', err);
  }

  /**
   * @internal A command is being written; drop what it may change. `strict` (NOLOOP on the tracked
   * connection, whose own writes the server will not report): a write of keys the table cannot
   * name drops everything. Otherwise (the client's other connections, whose writes the server does
   * report) only the named keys go, so that the client reads its own write before the report comes.
   */
  noteWrite(argv: ReadonlyArray<RedisArg>, strict: boolean): void {
    const info = lookup(argv as RedisArg[]);
    if (info !== undefined && (info.flags & Flag.READONLY) !== 0 && (info.flags & Flag.WRITE) === 0) return;
    const anyKey = info === undefined || ANY_KEY_WRITE.has(info.id);
    if (!anyKey && (info.flags & Flag.WRITE) === 0) return;
    const positions = anyKey ? [] : keyPositions(info, argv as RedisArg[]);
    if (positions.length === 0) {
      if (strict) this.flush('server');
      return;
    }
    for (const i of positions) this.drop(keyName(argv[i]!));
  }

  /** @internal Another connection of the client (spread, pooled): its writes drop their keys here as they are sent. */
  watchWrites(conn: Connection): void {
    watchOwnWrites(conn, this, false);
  }

  stats(): CacheStats {
    return { ...this.counts, entries: this.entries.size, bytes: this.bytes };
  }

  /** Drops everything, and refuses to store the replies of reads in flight. */
  clear(): void {
    this.flush('clear');
  }

  /** Drops every entry built from `key`, and refuses to store the reads of it in flight. */
  invalidate(key: RedisKey): void {
    this.drop(keyName(key));
  }

  /** @internal A RESP3 push frame of the tracked connection. */
  onPush(push: RespValue[]): void {
    if (push.length < 2 || keyName(push[0]!) !== 'invalidate') return;
    const keys = push[1];
    if (!Array.isArray(keys)) {
      this.counts.invalidations++;
      this.flush('server');
      return;
    }
    const names = keys.map(keyName);
    for (const k of names) {
      // A key that was not UTF-8 may not decode to the name it was stored under: drop everything.
      if (k.includes('\uFFFD')) {
        this.flush('server');
        break;
      }
      this.drop(k);
    }
    this.counts.invalidations += names.length;
    if (this.listenerCount('invalidate') > 0) this.emit('invalidate', names);
  }

  /** @internal Everything goes: entries, and the right to store what is in flight. */
  flush(reason: CacheFlushReason): void {
    this.epoch++;
    this.entries.clear();
    this.byKey.clear();
    this.singles = [];
    this.bytes = 0;
    if (this.listenerCount('flush') > 0) this.emit('flush', reason);
  }

  /**
   * @internal A session change is on its way (SELECT): until the returned function is called, no
   * reply is stored, since a read sent meanwhile may run in another db than its key says.
   */
  hold(): Release {
    this.holds++;
    this.flush('session');
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.holds--;
      this.flush('session');
    };
  }

  /** @internal hold() for a pipeline or MULTI holding a session command: released by its SELECT's reply, or `release`. */
  holdForBatch(): Release {
    const release = this.hold();
    this.batchHolds.push(release);
    return release;
  }

  private drop(key: string): void {
    const readings = this.reading.get(key);
    if (readings !== undefined) for (const r of readings) r.tainted = true;
    const set = this.byKey.get(key);
    if (set === undefined) return;
    for (const e of set) this.remove(e);
  }

  private remove(e: Entry): void {
    if (this.entries.get(e.id) !== e) return;
    this.entries.delete(e.id);
    if (e.single !== null && e.single.get(e.keys[0]!) === e) e.single.delete(e.keys[0]!);
    this.bytes -= e.size;
    for (const k of e.keys) {
      const set = this.byKey.get(k);
      if (set === undefined) continue;
      set.delete(e);
      if (set.size === 0) this.byKey.delete(k);
    }
  }

  /**
   * @internal A cacheable read's reply if it is kept, as an already settled promise; undefined on a
   * miss (then `miss()`). Split from the miss so a hit allocates nothing but its promise.
   */
  hit(def: MethodDef, argv: RedisArg[], conn: Connection, buffers: boolean): Promise<unknown> | undefined {
    if (this.disabled) return undefined;
    const db = conn.options.db ?? 0;
    let e: Entry | undefined;
    const key = argv[1];
    if (argv.length === 2 && typeof key === 'string' && !this.notSingle.has(def)) e = this.singles[db * 2 + (buffers ? 1 : 0)]?.get(def)?.get(key);
    else e = this.entries.get(this.idOf(def, argv, db, buffers)!);
    return e === undefined ? undefined : this.served(e, conn, argv);
  }

  /**
   * @internal hit() for an argv [NAME, key] the caller has not built: undefined on a miss, and
   * whenever the full path must run (tracing, an entry past its ttl).
   */
  hitSingle(def: MethodDef, key: string, conn: Connection, buffers: boolean): Promise<unknown> | undefined {
    if (this.disabled) return undefined;
    const e = this.singles[(conn.options.db ?? 0) * 2 + (buffers ? 1 : 0)]?.get(def)?.get(key);
    if (e === undefined || e.expires !== 0 || commandChannel.hasSubscribers) return undefined;
    this.counts.hits++;
    e.used = true;
    const v = e.value;
    return Promise.resolve(v === null || typeof v !== 'object' ? v : copy(v));
  }

  /**
   * @internal A missed read: sent with `send()` on `conn`, the tracked connection, and its reply
   * stored if still good. Null when the command is not for the cache (no keys, outside the
   * prefixes, refused by the filter, or the cache stopped): the caller sends it as usual.
   */
  miss(def: MethodDef, argv: RedisArg[], conn: Connection, buffers: boolean, opts: SendOptions | undefined, send: () => Promise<unknown>): Promise<unknown> | null {
    if (this.disabled) return null;
    const db = conn.options.db ?? 0;
    const single = argv.length === 2 && typeof argv[1] === 'string' ? this.singleMap(db * 2 + (buffers ? 1 : 0), def) : null;
    return this.fill(this.idOf(def, argv, db, buffers)!, def, argv, conn, opts, send, single);
  }

  private singleMap(slot: number, def: MethodDef): Map<string, Entry> {
    let byDef = this.singles[slot];
    if (byDef === undefined) this.singles[slot] = byDef = new Map();
    let m = byDef.get(def);
    if (m === undefined) byDef.set(def, (m = new Map()));
    return m;
  }

  /** A hit, as a settled promise; undefined when the entry is past its ttl (and dropped). */
  private served(e: Entry, conn: Connection, argv: RedisArg[]): Promise<unknown> | undefined {
    if (e.expires !== 0 && e.expires <= Date.now()) {
      this.counts.evictions++;
      this.remove(e);
      return undefined;
    }
    this.counts.hits++;
    // Second chance instead of moving it to the end of the map on every hit: eviction does that.
    e.used = true;
    const v = e.value;
    if (commandChannel.hasSubscribers) return traceCachedCommand(conn.options, argv, () => Promise.resolve(copy(v)));
    return Promise.resolve(v === null || typeof v !== 'object' ? v : copy(v));
  }

  /**
   * @internal The cache key of a command: its method, the db, the view (string or Buffer) and the
   * full argv, each argument tagged with its type and length so no two argvs make the same key.
   * Null when the cache stopped serving.
   */
  idOf(def: MethodDef, argv: RedisArg[], db: number, buffers: boolean): string | null {
    if (this.disabled) return null;
    let id = (buffers ? 'b' : 's') + defId(def) + ':' + db;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (typeof a === 'string') id += '|s' + a.length + ':' + a;
      else if (Buffer.isBuffer(a)) id += '|b' + a.length + ':' + a.toString('latin1');
      else {
        const t = String(a);
        id += '|s' + t.length + ':' + t;
      }
    }
    return id;
  }

  /**
   * @internal Sends a missed command with `send` and stores the reply under `id` if it is still good.
   * Returns null when the command is not to be cached (no keys, outside the prefixes, refused by
   * the filter): the caller sends it as usual. Entries exist only for argvs that passed here.
   */
  private fill(id: string, def: MethodDef, argv: RedisArg[], conn: Connection, opts: SendOptions | undefined, send: () => Promise<unknown>, single: Map<string, Entry> | null): Promise<unknown> | null {
    const positions = keyPositions(def.info, argv);
    if (positions.length === 0) return null;
    if (single !== null && (positions.length !== 1 || positions[0] !== 1)) {
      // Its one argument is no key: kept under its full id, and looked up that way from now on.
      this.notSingle.add(def);
      single = null;
    }
    const keys = positions.map((i) => keyName(argv[i]!));
    if (this.mode === 'bcast' && this.prefixes.length > 0 && !keys.every((k) => this.prefixes.some((p) => k.startsWith(p)))) return null;
    if (this.filter !== undefined && !this.filter(def.info.id, positions.map((i) => argv[i] as RedisKey))) return null;
    this.counts.misses++;

    const r: Reading = { epoch: this.epoch, tainted: this.holds > 0 };
    for (const k of keys) {
      let set = this.reading.get(k);
      if (set === undefined) this.reading.set(k, (set = new Set()));
      set.add(r);
    }
    const done = (): void => {
      for (const k of keys) {
        const set = this.reading.get(k);
        if (set === undefined) continue;
        set.delete(r);
        if (set.size === 0) this.reading.delete(k);
      }
    };
    // RESP2 before the tracking is (again) on: CLIENT CACHING would be refused, and the read is held anyway.
    const p = this.mode === 'optin' && (this.redirect === null || this.redirect.pointedAt !== null) ? sendOptIn(conn, def, argv, opts, r) : send();
    return p.then(
      (value) => {
        done();
        if (!r.tainted && r.epoch === this.epoch) this.store(id, keys, copy(value), single);
        return value;
      },
      (e: unknown) => {
        done();
        throw e;
      },
    );
  }

  private store(id: string, keys: string[], value: unknown, single: Map<string, Entry> | null): void {
    const old = this.entries.get(id);
    if (old !== undefined) this.remove(old);
    // `single` is still this epoch's map: a flush since the read began would have refused the store.
    const e: Entry = { id, keys, value, single, size: id.length * 2 + sizeOf(value), expires: this.ttl > 0 ? Date.now() + this.ttl : 0, used: false };
    this.entries.set(id, e);
    if (single !== null) single.set(keys[0]!, e);
    this.bytes += e.size;
    for (const k of keys) {
      let set = this.byKey.get(k);
      if (set === undefined) this.byKey.set(k, (set = new Set()));
      set.add(e);
    }
    while (this.entries.size > this.maxEntries || (this.maxBytes > 0 && this.bytes > this.maxBytes && this.entries.size > 0)) {
      const oldest = this.entries.values().next().value!;
      if (oldest.used) {
        // Read since it was stored or last passed here: it goes to the end, the next one is looked at.
        oldest.used = false;
        this.entries.delete(oldest.id);
        this.entries.set(oldest.id, oldest);
        continue;
      }
      this.counts.evictions++;
      this.remove(oldest);
    }
  }
}

/** Commands that may write keys they do not name (scripts may write undeclared keys). */
const ANY_KEY_WRITE = new Set(['eval', 'evalsha', 'fcall', 'flushall', 'flushdb', 'swapdb']);

/**
 * Every command written on `conn` is looked at before it goes: NOLOOP's tracked connection (the
 * server stays silent about its own writes) and the client's other connections. Only cached
 * clients pay for it.
 */
function watchOwnWrites(conn: Connection, cache: ClientCache, strict: boolean): void {
  conn.onWrite = (argv) => cache.noteWrite(argv, strict);
}

/**
 * OPTIN tracks only the read right after CLIENT CACHING yes: the two go as one batch, so nothing of
 * another caller lands between them.
 */
function sendOptIn(conn: Connection, def: MethodDef, argv: RedisArg[], opts: SendOptions | undefined, r: Reading): Promise<unknown> {
  return conn
    .sendBatch([{ argv: ['CLIENT', 'CACHING', 'YES'], transform: undefined }, { argv, transform: def.transform, buffers: opts?.buffers }], opts)
    .then((res) => {
      if (res.failed[1] === true) throw res.values[1];
      // Tracking was off when it arrived (a RESP2 redirect being set up again): the read is good, its key untracked.
      if (res.failed[0] === true) r.tainted = true;
      return res.values[1];
    });
}
