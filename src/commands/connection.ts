import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type Result, type Str } from './command.js';
import { checkInteger, checkKey, checkValue, command, exclude, method, variadic } from './registry.js';
import { checkOneOf, checkOptions, namesArgv } from './build.js';
import { helpLines, parseClientLine, parseClientList, text, textArray, textOrNull, toBoolean, toObject } from './transforms.js';

const C = Flag.CONNSTATE;
const A = Flag.ADMIN;

/** A client as CLIENT LIST / CLIENT INFO describe it: id, addr, name, db, cmd… (numbers as numbers). */
export type ClientRecord = Record<string, string | number>;

/** A connection type CLIENT LIST and CLIENT KILL filter by. */
export type ClientType = 'normal' | 'master' | 'replica' | 'pubsub';

/** The filters CLIENT LIST and CLIENT KILL share (STRING_FILTERS and INTEGER_FILTERS below). */
export interface ClientFilters {
  user?: string;
  /** ip:port of the client. */
  addr?: string;
  /** ip:port of the server socket the client is connected to. */
  laddr?: string;
  /** Only clients connected for at least this many seconds. */
  maxage?: number;
  name?: string;
  /** Only clients idle for at least this many seconds. */
  idle?: number;
  flags?: string;
  libName?: string;
  libVer?: string;
  db?: number;
  capa?: string;
  ip?: string;
}

/**
 * Filters of CLIENT LIST. Redis 7 knows `type` and `id`; the others are Valkey 8.1+ filters.
 */
export interface ClientListOptions extends ClientFilters {
  type?: ClientType;
  id?: number[];
  /** Leave out the calling connection. */
  skipme?: boolean;
}

/**
 * Filters of CLIENT KILL; every given filter must match. `maxage` is Redis 7.4+ and Valkey 8;
 * `name` … `ip` are Valkey 8.1+; the `not…` filters are Valkey 9+.
 */
export interface ClientKillFilters extends ClientFilters {
  /** One client id, or several (Valkey 8.1+). */
  id?: number | number[];
  type?: ClientType | 'primary' | 'slave';
  /** Spare the calling connection (the server's default is yes). */
  skipme?: boolean;
  notId?: number | number[];
  notType?: ClientType | 'primary' | 'slave';
  notUser?: string;
  notAddr?: string;
  notLaddr?: string;
  notName?: string;
  notFlags?: string;
  notLibName?: string;
  notLibVer?: string;
  notDb?: number;
  notCapa?: string;
  notIp?: string;
}

/** Options of CLIENT TRACKING ON. */
export interface ClientTrackingOptions {
  /** Send invalidations to this client id instead (the way to get them over RESP2). */
  redirect?: number;
  /** Broadcast mode: invalidations for every key under these prefixes. */
  prefix?: RedisKey | RedisKey[];
  bcast?: boolean;
  /** Track only keys read right after CLIENT CACHING YES. */
  optin?: boolean;
  /** Track every key except those read right after CLIENT CACHING NO. */
  optout?: boolean;
  /** No invalidations for keys this connection changed itself. */
  noloop?: boolean;
}

/** The reply of CLIENT TRACKINGINFO: this connection's client-side caching mode, redirect and prefixes. */
export interface TrackingInfo<S = string> {
  flags: string[];
  /** -1 when off, 0 when not redirected, else the client id invalidations go to. */
  redirect: number;
  prefixes: S[];
}

/** HELLO's reply: the server and this connection. */
export interface HelloReply {
  server: string;
  version: string;
  proto: 2 | 3;
  id: number;
  /** 'standalone', 'sentinel' or 'cluster'. */
  mode: string;
  role: string;
  modules: Array<{ name: string; ver: number; path?: string; args?: string[] }>;
  /** Valkey 8+: the availability zone, when configured. */
  availability_zone?: string;
}

/** Optional tokens of HELLO: credentials and a connection name to set with the protocol switch. */
export interface HelloOptions {
  auth?: { username: string; password: string };
  setname?: string;
}

export interface ConnectionCommands<C> {
  /**
   * Logs this connection in as `username` (default user when only a password is given). On the shared
   * connection it applies to every command sent after it.
   */
  auth(password: string): Result<C, 'OK'>;
  auth(username: string, password: string): Result<C, 'OK'>;
  ping(message?: string | Buffer): Result<C, string>;
  echo(message: string | Buffer | number): Result<C, Str<C>>;
  /** Switches the database of this client's connection (and of its reconnects). */
  select(db: number): Result<C, 'OK'>;
  /**
   * Switches the protocol and/or logs in and names the connection; resolves the server's greeting.
   * The replies of every command keep their JavaScript shape under either protocol.
   */
  hello(protover?: 2 | 3, options?: HelloOptions): Result<C, HelloReply>;
  /**
   * Resets the connection's state: back to RESP2, database 0, no name, tracking off, default user.
   * Resolves 'RESET'.
   */
  reset(): Result<C, 'RESET'>;

  /** With tracking in OPTIN/OPTOUT mode: whether the next command's keys are tracked. */
  clientCaching(yes: boolean): Result<C, 'OK'>;
  /** Valkey 8+: capabilities of this client, e.g. 'redirect'. */
  clientCapa(...capabilities: string[]): Result<C, 'OK'>;
  clientCapa(capabilities: ReadonlyArray<string>): Result<C, 'OK'>;
  clientSetname(name: string): Result<C, 'OK'>;
  clientGetname(): Result<C, string | null>;
  /** The id invalidations are redirected to: -1 without tracking, 0 when not redirected. */
  clientGetredir(): Result<C, number>;
  clientHelp(): Result<C, string[]>;
  clientId(): Result<C, number>;
  clientInfo(): Result<C, ClientRecord>;
  /** Closes the client at ip:port (the old form). */
  clientKill(addr: string): Result<C, 'OK'>;
  /** Closes every client matching all the filters; resolves how many. */
  clientKill(filters: ClientKillFilters): Result<C, number>;
  clientList(options?: ClientListOptions): Result<C, ClientRecord[]>;
  /** Exempts this connection from client eviction (Redis 7+). */
  clientNoEvict(on: boolean): Result<C, 'OK'>;
  /** Redis 7.2+ / Valkey: commands of this connection leave keys' LRU/LFU alone. */
  clientNoTouch(on: boolean): Result<C, 'OK'>;
  /** Suspends clients for `timeoutMs` ms: every command, or (WRITE) those that may write. */
  clientPause(timeoutMs: number, mode?: 'WRITE' | 'ALL'): Result<C, 'OK'>;
  /** Redis 7.2+ / Valkey: names the library shown in CLIENT LIST. */
  clientSetinfo(attribute: 'LIB-NAME' | 'LIB-VER', value: string): Result<C, 'OK'>;
  /** Turns key tracking for client-side caching on or off. */
  clientTracking(on: boolean, options?: ClientTrackingOptions): Result<C, 'OK'>;
  clientTrackinginfo(): Result<C, TrackingInfo<Str<C>>>;
  /** Unblocks a client blocked in a blocking command; true when it was blocked. */
  clientUnblock(clientId: number, mode?: 'TIMEOUT' | 'ERROR'): Result<C, boolean>;
  clientUnpause(): Result<C, 'OK'>;
}

const AUTH = command('auth', C);
const PING = command('ping', 0);
const ECHO = command('echo', 0);
const SELECT = command('select', C);
const HELLO = command('hello', C);
const RESET = command('reset', C);
const CLIENT_CACHING = command('client|caching', C);
const CLIENT_CAPA = command('client|capa', C);
const CLIENT_SETNAME = command('client|setname', C);
const CLIENT_GETNAME = command('client|getname', 0);
const CLIENT_GETREDIR = command('client|getredir', 0);
const CLIENT_HELP = command('client|help', 0);
const CLIENT_ID = command('client|id', 0);
const CLIENT_INFO = command('client|info', 0);
const CLIENT_KILL = command('client|kill', A);
const CLIENT_LIST = command('client|list', A);
const CLIENT_NO_EVICT = command('client|no-evict', C);
const CLIENT_NO_TOUCH = command('client|no-touch', C);
const CLIENT_PAUSE = command('client|pause', A);
const CLIENT_SETINFO = command('client|setinfo', C);
const CLIENT_TRACKING = command('client|tracking', C);
const CLIENT_TRACKINGINFO = command('client|trackinginfo', 0);
const CLIENT_UNBLOCK = command('client|unblock', A);
const CLIENT_UNPAUSE = command('client|unpause', A);

exclude(
  'client|reply',
  'OFF and SKIP make the server drop replies, which would hand the next replies on the shared connection to the wrong commands',
);
exclude('quit', 'close() ends the connection properly (waits for replies, sends QUIT, stops reconnecting); a bare QUIT would only make it reconnect');

const onOff = (on: unknown, cmd: string): 'ON' | 'OFF' => {
  if (typeof on !== 'boolean') throw new DataError(`${cmd}: the switch must be true or false`);
  return on ? 'ON' : 'OFF';
};

const CLIENT_TYPES = ['NORMAL', 'MASTER', 'REPLICA', 'PUBSUB'] as const;
const KILL_TYPES = ['NORMAL', 'MASTER', 'PRIMARY', 'SLAVE', 'REPLICA', 'PUBSUB'] as const;

/** Filter tokens of CLIENT LIST and CLIENT KILL taking one string or number, by option name. */
const STRING_FILTERS = [
  ['user', 'USER'],
  ['addr', 'ADDR'],
  ['laddr', 'LADDR'],
  ['name', 'NAME'],
  ['flags', 'FLAGS'],
  ['libName', 'LIB-NAME'],
  ['libVer', 'LIB-VER'],
  ['capa', 'CAPA'],
  ['ip', 'IP'],
] as const;
const INTEGER_FILTERS = [
  ['maxage', 'MAXAGE'],
  ['idle', 'IDLE'],
  ['db', 'DB'],
] as const;

function pushFilters(cmd: string, argv: RedisArg[], o: Record<string, unknown>, prefix: '' | 'not'): void {
  const name = (n: string) => (prefix === '' ? n : `not${n[0]!.toUpperCase()}${n.slice(1)}`);
  const token = (t: string) => (prefix === '' ? t : `NOT-${t}`);
  for (const [opt, tok] of STRING_FILTERS) {
    const v = o[name(opt)];
    if (v === undefined) continue;
    checkKey(cmd, name(opt), v);
    argv.push(token(tok), v as RedisArg);
  }
  for (const [opt, tok] of INTEGER_FILTERS) {
    if (prefix === 'not' && opt !== 'db') continue;
    const v = o[name(opt)];
    if (v === undefined) continue;
    checkInteger(cmd, name(opt), v);
    argv.push(token(tok), v as number);
  }
}

function pushIds(cmd: string, argv: RedisArg[], tok: string, optName: string, ids: unknown): void {
  const list = Array.isArray(ids) ? ids : [ids];
  if (list.length === 0) return;
  argv.push(tok);
  for (const id of list) {
    checkInteger(cmd, optName, id);
    argv.push(id as number);
  }
}

function buildClientList(o?: ClientListOptions): RedisArg[] {
  const cmd = 'CLIENT LIST';
  checkOptions(cmd, o);
  const argv: RedisArg[] = ['CLIENT', 'LIST'];
  if (o === undefined) return argv;
  if (o.type !== undefined) {
    checkOneOf(cmd, 'type', o.type, CLIENT_TYPES);
    argv.push('TYPE', o.type);
  }
  if (o.id !== undefined) {
    if (!Array.isArray(o.id)) throw new DataError(`${cmd}: id must be an array of client ids`);
    pushIds(cmd, argv, 'ID', 'id', o.id);
  }
  pushFilters(cmd, argv, o as Record<string, unknown>, '');
  if (o.skipme !== undefined) argv.push('SKIPME', o.skipme ? 'yes' : 'no');
  return argv;
}

function buildClientKill(filters: unknown): RedisArg[] {
  const cmd = 'CLIENT KILL';
  if (typeof filters === 'string' || Buffer.isBuffer(filters)) return ['CLIENT', 'KILL', filters];
  if (filters === null || typeof filters !== 'object' || Array.isArray(filters)) {
    throw new DataError(`${cmd}: give an ip:port string or an object of filters`);
  }
  const o = filters as ClientKillFilters;
  const argv: RedisArg[] = ['CLIENT', 'KILL'];
  if (o.id !== undefined) pushIds(cmd, argv, 'ID', 'id', o.id);
  if (o.type !== undefined) {
    checkOneOf(cmd, 'type', o.type, KILL_TYPES);
    argv.push('TYPE', o.type);
  }
  pushFilters(cmd, argv, o as Record<string, unknown>, '');
  if (o.skipme !== undefined) argv.push('SKIPME', o.skipme ? 'yes' : 'no');
  if (o.notId !== undefined) pushIds(cmd, argv, 'NOT-ID', 'notId', o.notId);
  if (o.notType !== undefined) {
    checkOneOf(cmd, 'notType', o.notType, KILL_TYPES);
    argv.push('NOT-TYPE', o.notType);
  }
  pushFilters(cmd, argv, o as Record<string, unknown>, 'not');
  // Without a filter the server would read the next word as an old-style address and fail obscurely.
  if (argv.length === 2) throw new DataError(`${cmd}: at least one filter is required`);
  return argv;
}

function buildTracking(on: boolean, o?: ClientTrackingOptions): RedisArg[] {
  const cmd = 'CLIENT TRACKING';
  const argv: RedisArg[] = ['CLIENT', 'TRACKING', onOff(on, cmd)];
  checkOptions(cmd, o);
  if (o === undefined) return argv;
  if (o.redirect !== undefined) {
    checkInteger(cmd, 'redirect', o.redirect);
    argv.push('REDIRECT', o.redirect);
  }
  if (o.prefix !== undefined) {
    const prefixes = Array.isArray(o.prefix) ? o.prefix : [o.prefix];
    for (const p of prefixes) {
      checkKey(cmd, 'prefix', p);
      argv.push('PREFIX', p);
    }
  }
  if (o.optin && o.optout) throw new DataError(`${cmd}: optin and optout exclude each other`);
  // The server refuses these as well; refused here, the error names the options at fault.
  if (o.prefix !== undefined && !o.bcast) throw new DataError(`${cmd}: prefix needs bcast`);
  if (o.bcast && (o.optin || o.optout)) throw new DataError(`${cmd}: bcast excludes optin and optout`);
  if (o.bcast) argv.push('BCAST');
  if (o.optin) argv.push('OPTIN');
  if (o.optout) argv.push('OPTOUT');
  if (o.noloop) argv.push('NOLOOP');
  return argv;
}

function parseHello(v: unknown): HelloReply {
  const o = toObject<unknown>(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (k === 'modules') {
      out[k] = ((x ?? []) as unknown[]).map((m) => {
        const mo = toObject<unknown>(m);
        const mod: { name: string; ver: number; path?: string; args?: string[] } = { name: text(mo['name']), ver: Number(mo['ver']) };
        if (mo['path'] !== undefined) mod.path = text(mo['path']);
        if (mo['args'] !== undefined) mod.args = textArray(mo['args']);
        return mod;
      });
    } else if (k !== '__proto__') {
      out[k] = typeof x === 'number' ? x : text(x);
    }
  }
  return out as unknown as HelloReply;
}

function buildHello(protover?: 2 | 3, o?: HelloOptions): RedisArg[] {
  const cmd = 'HELLO';
  checkOptions(cmd, o);
  if (protover === undefined) {
    if (o !== undefined && (o.auth !== undefined || o.setname !== undefined)) {
      throw new DataError(`${cmd}: auth and setname need a protocol version`);
    }
    return [cmd];
  }
  if (protover !== 2 && protover !== 3) throw new DataError(`${cmd}: protover must be 2 or 3`);
  const argv: RedisArg[] = [cmd, protover];
  if (o?.auth !== undefined) {
    if (o.auth === null || typeof o.auth !== 'object') throw new DataError(`${cmd}: auth must be { username, password }`);
    checkKey(cmd, 'auth.username', o.auth.username);
    checkKey(cmd, 'auth.password', o.auth.password);
    argv.push('AUTH', o.auth.username, o.auth.password);
  }
  if (o?.setname !== undefined) {
    checkKey(cmd, 'setname', o.setname);
    argv.push('SETNAME', o.setname);
  }
  return argv;
}

export const connectionMethods = {
  auth: method(AUTH, (userOrPassword: string, password?: string) => {
    checkKey('AUTH', password === undefined ? 'password' : 'username', userOrPassword);
    if (password === undefined) return ['AUTH', userOrPassword];
    checkKey('AUTH', 'password', password);
    return ['AUTH', userOrPassword, password];
  }),
  ping: method(PING, (message?: string | Buffer) => {
    if (message === undefined) return ['PING'];
    checkKey('PING', 'message', message);
    return ['PING', message];
  }, (v: unknown) => (Buffer.isBuffer(v) ? v.toString() : v)),
  echo: method(ECHO, (message: string | Buffer | number) => {
    checkValue('ECHO', 'message', message);
    return ['ECHO', message];
  }),
  select: method(SELECT, (db: number) => {
    checkInteger('SELECT', 'db', db);
    return ['SELECT', db];
  }),
  hello: method(HELLO, buildHello, parseHello),
  reset: method(RESET, () => ['RESET']),

  clientCaching: method(CLIENT_CACHING, (yes: boolean) => {
    if (typeof yes !== 'boolean') throw new DataError('CLIENT CACHING: yes must be true or false');
    return ['CLIENT', 'CACHING', yes ? 'YES' : 'NO'];
  }),
  clientCapa: variadic(CLIENT_CAPA, 0, (capabilities: string[]) =>
    namesArgv('CLIENT CAPA', ['CLIENT', 'CAPA'], 'capability', capabilities, 1),
  ),
  clientSetname: method(CLIENT_SETNAME, (name: string) => {
    checkKey('CLIENT SETNAME', 'name', name);
    return ['CLIENT', 'SETNAME', name];
  }),
  // An unnamed connection answers null under RESP3 and '' under RESP2 before 7.x: both mean no name.
  clientGetname: method(CLIENT_GETNAME, () => ['CLIENT', 'GETNAME'], (v: unknown) => {
    const s = textOrNull(v);
    return s === '' ? null : s;
  }),
  clientGetredir: method(CLIENT_GETREDIR, () => ['CLIENT', 'GETREDIR']),
  clientHelp: method(CLIENT_HELP, () => ['CLIENT', 'HELP'], helpLines),
  clientId: method(CLIENT_ID, () => ['CLIENT', 'ID']),
  clientInfo: method(CLIENT_INFO, () => ['CLIENT', 'INFO'], (v: unknown) => parseClientLine(text(v))),
  clientKill: method(CLIENT_KILL, buildClientKill),
  clientList: method(CLIENT_LIST, buildClientList, (v: unknown) => parseClientList(text(v))),
  clientNoEvict: method(CLIENT_NO_EVICT, (on: boolean) => ['CLIENT', 'NO-EVICT', onOff(on, 'CLIENT NO-EVICT')]),
  clientNoTouch: method(CLIENT_NO_TOUCH, (on: boolean) => ['CLIENT', 'NO-TOUCH', onOff(on, 'CLIENT NO-TOUCH')]),
  clientPause: method(CLIENT_PAUSE, (timeoutMs: number, mode?: 'WRITE' | 'ALL') => {
    checkInteger('CLIENT PAUSE', 'timeoutMs', timeoutMs);
    if (mode === undefined) return ['CLIENT', 'PAUSE', timeoutMs];
    checkOneOf('CLIENT PAUSE', 'mode', mode, ['WRITE', 'ALL'] as const);
    return ['CLIENT', 'PAUSE', timeoutMs, mode];
  }),
  clientSetinfo: method(CLIENT_SETINFO, (attribute: 'LIB-NAME' | 'LIB-VER', value: string) => {
    checkOneOf('CLIENT SETINFO', 'attribute', attribute, ['LIB-NAME', 'LIB-VER'] as const);
    checkKey('CLIENT SETINFO', 'value', value);
    return ['CLIENT', 'SETINFO', attribute, value];
  }),
  clientTracking: method(CLIENT_TRACKING, buildTracking),
  clientTrackinginfo: method(CLIENT_TRACKINGINFO, () => ['CLIENT', 'TRACKINGINFO'], (v: unknown) => {
    const o = toObject<unknown>(v);
    return { flags: textArray(o['flags']), redirect: Number(o['redirect']), prefixes: (o['prefixes'] ?? []) as unknown[] };
  }),
  clientUnblock: method(CLIENT_UNBLOCK, (clientId: number, mode?: 'TIMEOUT' | 'ERROR') => {
    checkInteger('CLIENT UNBLOCK', 'clientId', clientId);
    if (mode === undefined) return ['CLIENT', 'UNBLOCK', clientId];
    checkOneOf('CLIENT UNBLOCK', 'mode', mode, ['TIMEOUT', 'ERROR'] as const);
    return ['CLIENT', 'UNBLOCK', clientId, mode];
  }, toBoolean),
  clientUnpause: method(CLIENT_UNPAUSE, () => ['CLIENT', 'UNPAUSE']),
};
