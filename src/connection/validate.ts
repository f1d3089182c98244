/**
 * Checks an options object as the URL parser checks a URL: every option has a type and a range, a
 * wrong one is a DataError that names it, at creation, rather than a crash at the first reconnect or
 * a timeout that silently turns itself off. Numbers given as numeric strings (from environment
 * variables) are accepted and converted, as in a URL.
 */
import { DataError } from '../errors.js';
import { Retry } from '../retry/retry.js';
import { OCSP_MODES } from './ocsp.js';
// The cache's own checks live beside it; only the function is shared, no state.
import { checkCacheOptions } from '../cache/cache.js';

type Check = (value: unknown, name: string) => unknown;

function fail(name: string, what: string, value: unknown): never {
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : typeof value === 'object' ? (value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object') : String(value);
  throw new DataError(`client option ${name} must be ${what}, got ${shown}`);
}

/** A number, or a string that is exactly a decimal number. */
function numeric(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value)) return Number(value);
  return NaN;
}

const integer = (min: number, max = Number.MAX_SAFE_INTEGER): Check => (v, name) => {
  const n = numeric(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) fail(name, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`, v);
  return n;
};

/** A time in ms: a finite number >= 0. */
const duration: Check = (v, name) => {
  const n = numeric(v);
  if (!Number.isFinite(n) || n < 0) fail(name, 'a number of milliseconds >= 0', v);
  return n;
};

const string: Check = (v, name) => (typeof v === 'string' ? v : fail(name, 'a string', v));
const nonEmpty: Check = (v, name) => (typeof v === 'string' && v !== '' ? v : fail(name, 'a non-empty string', v));
const boolean: Check = (v, name) => (typeof v === 'boolean' ? v : fail(name, 'true or false', v));
const object: Check = (v, name) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : fail(name, 'an object', v));

const retryPolicy = (allowFalse: boolean): Check => (v, name) => {
  if (allowFalse && v === false) return v;
  // Duck-typed too, so that a Retry from another copy of the library still works.
  if (v instanceof Retry || (typeof v === 'object' && v !== null && typeof (v as Retry).backoffFor === 'function' && typeof (v as Retry).callWithRetry === 'function')) return v;
  return fail(name, allowFalse ? 'a Retry (e.g. new Retry(new ExponentialBackoff(), 10)) or false' : 'a Retry (e.g. new Retry(new ExponentialBackoff(), 3))', v);
};

const CONNECTION_CHECKS: Record<string, Check> = {
  host: nonEmpty,
  port: integer(0, 65535),
  path: nonEmpty,
  resolver: (v, name) => (typeof v === 'object' && v !== null && typeof (v as { resolve?: unknown }).resolve === 'function' ? v : fail(name, 'an object with a resolve() method', v)),
  tls: (v, name) => {
    if (typeof v === 'boolean') return v;
    const ocsp = (object(v, name) as { ocsp?: unknown }).ocsp;
    if (ocsp !== undefined && !(OCSP_MODES as readonly unknown[]).includes(ocsp)) fail(`${name}.ocsp`, OCSP_MODES.map((m) => `'${m}'`).join(', ').replace(/, ([^,]*)$/, ' or $1'), ocsp);
    return v;
  },
  username: string,
  password: string,
  credentials: (v, name) => {
    if (typeof v === 'object' && v !== null) {
      if (typeof (v as { getCredentials?: unknown }).getCredentials === 'function') return v;
      const { username, password, ...rest } = v as Record<string, unknown>;
      // The password itself is never shown: only what is wrong with the shape.
      if (typeof password === 'string' && (username === undefined || typeof username === 'string') && Object.keys(rest).length === 0) return v;
    }
    return fail(name, 'a { username, password } object of strings or a provider with getCredentials()', typeof v === 'object' && v !== null ? {} : typeof v);
  },
  events: (v, name) => (typeof v === 'object' && v !== null && typeof (v as { dispatch?: unknown }).dispatch === 'function' && typeof (v as { watchCredentials?: unknown }).watchCredentials === 'function' ? v : fail(name, 'an EventDispatcher', v)),
  db: integer(0),
  clientName: (v, name) => (typeof v === 'string' && !/\s/.test(v) ? v : fail(name, 'a string without spaces', v)),
  protocol: (v, name) => {
    const n = numeric(v);
    return n === 2 || n === 3 ? n : fail(name, '2 or 3', v);
  },
  readonly: boolean,
  tracking: (v, name) => (Array.isArray(v) && v.every((a) => typeof a === 'string') ? v : fail(name, 'an array of strings', v)),
  clientInfo: (v, name) => (v === false ? v : object(v, name)),
  connectTimeout: duration,
  commandTimeout: duration,
  keepAlive: (v, name) => (v === false ? v : duration(v, name)),
  noDelay: boolean,
  healthCheckInterval: duration,
  maxConnectionAge: duration,
  reconnect: retryPolicy(true),
  retry: retryPolicy(false),
  enableOfflineQueue: boolean,
  offlineQueueLimit: integer(0),
  maxOfflineAttempts: integer(1),
  captureStack: boolean,
};

const POOL_CHECKS: Record<string, Check> = {
  maxConnections: integer(1),
  idleTimeout: duration,
  healthCheckAfter: duration,
  timeout: (v, name) => (v === null ? v : duration(v, name)),
  blocking: boolean,
  clientName: CONNECTION_CHECKS['clientName']!,
};

const CLIENT_CHECKS: Record<string, Check> = {
  ...CONNECTION_CHECKS,
  url: string,
  cache: (v, name) => checkCacheOptions(v, name),
  maxConnections: integer(1),
  connections: integer(1),
  pool: (v, name) => checkAll(object(v, name) as Record<string, unknown>, POOL_CHECKS, `${name}.`),
};

function checkAll(options: Record<string, unknown>, checks: Record<string, Check>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(options)) {
    const value = options[key];
    const check = checks[key];
    if (check === undefined) {
      throw new DataError(`unknown client option ${prefix}${key}${suggest(key, checks)}`);
    }
    // undefined means "not given", as if the key were absent.
    if (value !== undefined) out[key] = check(value, `${prefix}${key}`);
  }
  return out;
}

/** "did you mean" for the likely mistakes: another case, or ioredis's names. */
const ALIASES: Record<string, string> = {
  connectionName: 'clientName',
  name: 'clientName',
  maxRetriesPerRequest: 'retry',
  retryStrategy: 'reconnect',
  enableAutoPipelining: 'connections',
  lazyConnect: 'connect() (a client connects on connect() or its first command)',
  showFriendlyErrorStack: 'captureStack',
  socket: 'host, port, path, tls',
  database: 'db',
};

function suggest(key: string, checks: Record<string, Check>): string {
  const alias = ALIASES[key];
  if (alias !== undefined) return `: use ${alias}`;
  const lower = key.toLowerCase();
  const match = Object.keys(checks).find((k) => k.toLowerCase() === lower);
  return match !== undefined ? `: did you mean ${match}?` : '';
}

/**
 * Checks the options of a client (connection options, `url`, `pool`, `connections`) and returns them
 * with numeric strings made numbers. Keys it does not know are refused, naming the right one where it can.
 */
export function validateClientOptions<T extends object>(options: T): T {
  return checkAll(options as Record<string, unknown>, CLIENT_CHECKS, '') as T;
}

/** The same for a pool made by hand: connection options, `url`, and the pool's own. */
export function validatePoolOptions<T extends object>(options: T): T {
  return checkAll(options as Record<string, unknown>, POOL_OPTION_CHECKS, '') as T;
}

const POOL_OPTION_CHECKS: Record<string, Check> = { ...CONNECTION_CHECKS, ...POOL_CHECKS, url: string };
