/**
 * Connection URLs as redis-py's `from_url` reads them:
 *
 *   redis://[[username][:password]@]host[:port][/db][?param=value&…]
 *   rediss://…                                   (TLS)
 *   unix://[[username][:password]@]/path/to/socket[?db=…&…]
 *
 * Query parameters use redis-py's snake_case names (times in seconds), or their camelCase form;
 * they are turned into typed connection options (times in milliseconds). Where redis-py would
 * silently keep a bad value (a db path that is not a number, an unknown parameter, an unparsable
 * boolean) this parser throws a DataError instead, because a misread URL fails much later and far
 * from its cause.
 *
 * Error messages never contain the password. A password with an unencoded '/', '?' or '#' makes
 * part of it look like a path, query or fragment; those cases are detected where possible, and
 * text from the URL is only quoted in messages when it cannot be such a fragment.
 */

import { readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import type { SecureVersion } from 'node:tls';
import { ConnectionError, DataError, TimeoutError } from '../errors.js';
import { ExponentialWithJitterBackoff } from '../retry/backoff.js';
import { Retry } from '../retry/retry.js';
import type { ConnectionOptions, TlsOptions, UrlOptions } from './options.js';

const DEFAULT_PORT = 6379;
const SCHEMES_TEXT = 'redis://, rediss:// (or valkey://, valkeys://) or unix://';
const SCHEME_ALIASES: ReadonlyMap<string, string> = new Map([['valkey', 'redis'], ['valkeys', 'rediss']]);
const MISPLACED_USERINFO =
  "the URL has an '@' after the host: percent-encode '/', '?', '#' and '@' in a username, password or socket path (%2F, %3F, %23, %40)";

/** Parses a redis://, rediss:// or unix:// URL into connection options. Throws DataError. */
export function parseUrl(url: string): UrlOptions {
  if (typeof url !== 'string') throw new DataError('the URL must be a string');
  // A URL read from a file or an environment variable often carries a trailing newline.
  const text = url.trim();
  if (text === '') throw new DataError('the URL is empty');

  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  if (schemeMatch === null) throw new DataError(`the URL must start with ${SCHEMES_TEXT}`);
  // valkey:// and valkeys:// are Valkey's names for the same two schemes.
  const scheme = SCHEME_ALIASES.get(schemeMatch[1]!.toLowerCase()) ?? schemeMatch[1]!.toLowerCase();
  if (scheme !== 'redis' && scheme !== 'rediss' && scheme !== 'unix') {
    throw new DataError(`unsupported URL scheme '${schemeMatch[1]}://': use ${SCHEMES_TEXT}`);
  }

  const rest = text.slice(schemeMatch[0].length);
  // Not quoted: with an unencoded '#' in a password, what follows it is the password's tail.
  if (rest.includes('#')) {
    throw new DataError("the URL contains '#': fragments are not supported (percent-encode '#' in a password as %23)");
  }
  const q = rest.indexOf('?');
  const beforeQuery = q === -1 ? rest : rest.slice(0, q);
  const query = q === -1 ? '' : rest.slice(q + 1);
  const slash = beforeQuery.indexOf('/');
  const authority = slash === -1 ? beforeQuery : beforeQuery.slice(0, slash);
  const rawPath = slash === -1 ? '' : beforeQuery.slice(slash);
  if (rawPath.includes('@')) throw new DataError(MISPLACED_USERINFO);

  // An '@' in the query may mean that the query starts inside a password holding an unencoded '?'
  // (redis://user:pa?ss&x=y@host): then no value or unknown name from the query is quoted in
  // messages. Known parameter names are always shown: they come from a fixed list.
  const quote = query.includes('@') ? () => '(not shown)' : (s: string) => `'${s}'`;

  const params = collectParams(query, quote);

  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? '' : authority.slice(0, at);
  const hostPort = authority.slice(at + 1);

  const opts: UrlOptions = {};
  if (scheme === 'unix') {
    // redis-py ignores a host here, so unix://tmp/redis.sock would silently mean /redis.sock.
    if (hostPort !== '') {
      throw new DataError('a unix:// URL must not name a host: write unix:///path/to/socket or unix://user:password@/path/to/socket');
    }
    const path = decode(rawPath);
    if (path === '' || path === '/') throw new DataError('a unix:// URL must give the socket path: unix:///path/to/socket');
    opts.path = path;
  } else {
    const { host, port } = parseHostPort(hostPort);
    if (host !== undefined) opts.host = host;
    opts.port = port;
    const db = parseDbPath(rawPath);
    if (db !== undefined) opts.db = db;
  }

  const tls: TlsOptions = {};
  for (const [param, { name, value }] of params) {
    if (param.tls && scheme !== 'rediss') {
      throw new DataError(`URL parameter '${name}' needs a rediss:// URL`);
    }
    param.apply(value, { opts, tls, name, quote });
  }
  if (scheme === 'rediss') opts.tls = Object.keys(tls).length === 0 ? true : tls;

  // Like redis-py: the URL's user info wins over username/password query parameters.
  if (userinfo !== '') {
    const colon = userinfo.indexOf(':');
    const username = decode(colon === -1 ? userinfo : userinfo.slice(0, colon));
    const password = colon === -1 ? '' : decode(userinfo.slice(colon + 1));
    if (username !== '') opts.username = username;
    if (password !== '') opts.password = password;
  }
  return opts;
}

/**
 * The connection's address as a URL for logs and error messages, with the password masked. Only
 * the address and user are shown: the other options do not round-trip into query parameters.
 */
export function formatUrlForDisplay(opts: ConnectionOptions): string {
  const user = opts.username !== undefined && opts.username !== '' ? encodeURIComponent(opts.username) : '';
  const secret = opts.password !== undefined && opts.password !== '' ? ':***' : '';
  const auth = user !== '' || secret !== '' ? `${user}${secret}@` : '';
  if (opts.path !== undefined) {
    const path = opts.path.split('/').map(encodeURIComponent).join('/');
    return `unix://${auth}${path}${opts.db ? `?db=${opts.db}` : ''}`;
  }
  const host = opts.host ?? '127.0.0.1';
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return `${opts.tls ? 'rediss' : 'redis'}://${auth}${shownHost}:${opts.port ?? DEFAULT_PORT}${opts.db ? `/${opts.db}` : ''}`;
}

// ---- address ----------------------------------------------------------------------------------------

// The host and port are never quoted in messages: in redis://user:secret (a URL missing its
// '@host') the "port" is the password.
function parseHostPort(hostPort: string): { host: string | undefined; port: number } {
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close === -1) throw new DataError("the URL's IPv6 host is missing its closing ']'");
    host = decode(hostPort.slice(1, close));
    const after = hostPort.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) throw new DataError("the URL has unexpected text after the IPv6 host's ']'");
    portText = after === '' ? undefined : after.slice(1);
    // A zone id (fe80::1%25eth0) is allowed by isIPv6 once decoded.
    if (!isIPv6(host)) throw new DataError("the URL's host in brackets is not an IPv6 address");
  } else {
    const colon = hostPort.indexOf(':');
    if (colon !== -1 && hostPort.indexOf(':', colon + 1) !== -1) {
      throw new DataError("the URL's host has several ':': write an IPv6 host in brackets, e.g. redis://[::1]:6379");
    }
    host = decode(colon === -1 ? hostPort : hostPort.slice(0, colon));
    portText = colon === -1 ? undefined : hostPort.slice(colon + 1);
  }
  // redis-py treats an empty port (host:) as absent.
  let port = DEFAULT_PORT;
  if (portText !== undefined && portText !== '') {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : 0;
    if (port < 1 || port > 65535) throw new DataError("the URL's port must be a number from 1 to 65535");
  }
  return { host: host === '' ? undefined : host, port };
}

// Not quoted either: in redis://user:12/ab (again no '@host') the path is the password's tail.
function parseDbPath(rawPath: string): number | undefined {
  const path = decode(rawPath);
  if (path === '' || path === '/') return undefined;
  const match = /^\/(\d+)\/?$/.exec(path);
  const db = match === null ? NaN : Number(match[1]);
  if (!Number.isSafeInteger(db)) {
    throw new DataError("the URL's path must be the database number (db), e.g. redis://host:6379/0");
  }
  return db;
}

// ---- query parameters -------------------------------------------------------------------------------

interface ApplyContext {
  opts: UrlOptions;
  tls: TlsOptions;
  /** The parameter's name as written in the URL (a known name), for messages. */
  name: string;
  quote: (text: string) => string;
}

interface Param {
  /** redis-py's name. */
  key: string;
  aliases?: string[];
  /** Only meaningful for rediss://. */
  tls?: boolean;
  /** Never quote the value. */
  secret?: boolean;
  apply(value: string, ctx: ApplyContext): void;
}

const PARAMS: Param[] = [
  { key: 'db', apply: (v, c) => void (c.opts.db = parseInteger(v, 0, c)) },
  {
    key: 'protocol',
    apply: (v, c) => {
      if (v !== '2' && v !== '3') throw invalid(v, c, 'must be 2 or 3');
      c.opts.protocol = v === '2' ? 2 : 3;
    },
  },
  { key: 'username', secret: true, apply: (v, c) => void (c.opts.username = v) },
  { key: 'password', secret: true, apply: (v, c) => void (c.opts.password = v) },
  { key: 'client_name', aliases: ['name'], apply: (v, c) => void (c.opts.clientName = v) },
  // redis-py reads `timeout` as BlockingConnectionPool's wait; here it is socket_timeout's alias.
  { key: 'socket_timeout', aliases: ['timeout'], apply: (v, c) => void (c.opts.commandTimeout = parseSeconds(v, false, c)) },
  { key: 'socket_connect_timeout', apply: (v, c) => void (c.opts.connectTimeout = parseSeconds(v, false, c)) },
  {
    key: 'socket_keepalive',
    // true keeps the connection's default keepalive delay: a URL cannot say which delay it wants.
    apply: (v, c) => {
      if (!parseBoolean(v, c)) c.opts.keepAlive = false;
    },
  },
  { key: 'health_check_interval', apply: (v, c) => void (c.opts.healthCheckInterval = parseSeconds(v, true, c)) },
  { key: 'max_connections', apply: (v, c) => void (c.opts.maxConnections = parseInteger(v, 1, c)) },
  { key: 'readonly', apply: (v, c) => void (c.opts.readonly = parseBoolean(v, c)) },
  {
    key: 'retry_on_timeout',
    apply: (v, c) => {
      // redis-py's retry_on_timeout adds TimeoutError to the errors its default Retry handles.
      if (parseBoolean(v, c)) c.opts.retry = new Retry(new ExponentialWithJitterBackoff(), 3, [TimeoutError, ConnectionError]);
    },
  },
  {
    key: 'ssl_cert_reqs',
    tls: true,
    apply: (v, c) => {
      const mode = v.toLowerCase();
      if (mode !== 'none' && mode !== 'optional' && mode !== 'required') throw invalid(v, c, 'must be none, optional or required');
      // A client that asks for a certificate checks it, so 'optional' verifies like 'required'.
      c.tls.rejectUnauthorized = mode !== 'none';
    },
  },
  { key: 'ssl_ca_certs', tls: true, apply: (v, c) => void (c.tls.ca = readParamFile(v, c)) },
  { key: 'ssl_certfile', tls: true, apply: (v, c) => void (c.tls.cert = readParamFile(v, c)) },
  { key: 'ssl_keyfile', tls: true, apply: (v, c) => void (c.tls.key = readParamFile(v, c)) },
  { key: 'ssl_password', tls: true, secret: true, apply: (v, c) => void (c.tls.passphrase = v) },
  {
    key: 'ssl_check_hostname',
    tls: true,
    apply: (v, c) => {
      if (!parseBoolean(v, c)) c.tls.checkServerIdentity = () => undefined;
    },
  },
  {
    key: 'ssl_min_version',
    tls: true,
    apply: (v, c) => {
      // Python's enum spells them TLSv1_2; accept that too.
      const version = TLS_VERSIONS.get(v.toLowerCase().replace('_', '.'));
      if (version === undefined) throw invalid(v, c, 'must be TLSv1.2 or TLSv1.3 (or TLSv1, TLSv1.1)');
      c.tls.minVersion = version;
    },
  },
  { key: 'ssl_ciphers', tls: true, apply: (v, c) => void (c.tls.ciphers = v) },
];

const TLS_VERSIONS = new Map<string, SecureVersion>([
  ['tlsv1', 'TLSv1'],
  ['tlsv1.1', 'TLSv1.1'],
  ['tlsv1.2', 'TLSv1.2'],
  ['tlsv1.3', 'TLSv1.3'],
]);

const PARAMS_BY_NAME: ReadonlyMap<string, Param> = new Map(
  PARAMS.flatMap((p) => [p.key, ...(p.aliases ?? [])].flatMap((n) => [[n, p] as const, [camelCase(n), p] as const])),
);

function camelCase(snake: string): string {
  return snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function collectParams(query: string, quote: (s: string) => string): Map<Param, { name: string; value: string }> {
  const found = new Map<Param, { name: string; value: string }>();
  if (query === '') return found;
  const segments = query.split('&').filter((segment) => segment !== '');
  // Checked first, before any other parameter is reported: such a name is the password's tail.
  if (segments.some((segment) => segment.split('=', 1)[0]!.includes('@'))) throw new DataError(MISPLACED_USERINFO);
  for (const segment of segments) {
    const eq = segment.indexOf('=');
    const name = decode(eq === -1 ? segment : segment.slice(0, eq), true);
    const param = PARAMS_BY_NAME.get(name);
    if (param === undefined) throw new DataError(`unknown URL parameter ${quote(name)}`);
    if (eq === -1) throw new DataError(`URL parameter '${name}' has no value`);
    const value = decode(segment.slice(eq + 1), true);
    // redis-py drops blank values, so ?password= from an unset template variable means "not set".
    if (value === '') continue;
    const earlier = found.get(param);
    if (earlier !== undefined) {
      // A URL that says two things is a mistake; redis-py would silently keep the first.
      const as = earlier.name === name ? '' : ` (as '${earlier.name}' and '${name}')`;
      throw new DataError(`URL parameter '${param.key}' is given more than once${as}`);
    }
    found.set(param, { name, value });
  }
  return found;
}

function invalid(value: string, c: ApplyContext, expected: string): DataError {
  const param = PARAMS_BY_NAME.get(c.name);
  const shown = param?.secret ? '' : ` (got ${c.quote(value)})`;
  return new DataError(`URL parameter '${c.name}' ${expected}${shown}`);
}

function parseInteger(value: string, min: number, c: ApplyContext): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw invalid(value, c, `must be an integer >= ${min}`);
  return n;
}

/** Seconds (redis-py's unit, fractions allowed) to whole milliseconds. */
function parseSeconds(value: string, allowZero: boolean, c: ApplyContext): number {
  const s = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(s) || s < 0 || (s === 0 && !allowZero)) {
    throw invalid(value, c, allowZero ? 'must be a number of seconds >= 0' : 'must be a number of seconds > 0');
  }
  // A positive time must not round down to 0, which would read as "off".
  return s === 0 ? 0 : Math.max(1, Math.round(s * 1000));
}

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', 'off', '0']);

// Stricter than redis-py, which reads any unknown word as true.
function parseBoolean(value: string, c: ApplyContext): boolean {
  const word = value.toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw invalid(value, c, 'must be a boolean (true/false, yes/no, on/off, 1/0)');
}

function readParamFile(path: string, c: ApplyContext): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new DataError(`cannot read the file ${c.quote(path)} given by URL parameter '${c.name}': ${reason}`, {
      cause: error,
    });
  }
}

/**
 * Percent-decoding that, like Python's unquote, never fails: a '%' not followed by two hex digits
 * stays as it is, so a password with a literal '%' still works. `plus` is form decoding (query).
 */
function decode(text: string, plus = false): string {
  const spaced = plus ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  return spaced.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}
