import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { formatUrlForDisplay, parseUrl } from '../src/connection/url.js';
import type { UrlOptions } from '../src/connection/options.js';
import { ConnectionError, DataError, TimeoutError } from '../src/errors.js';
import { ExponentialWithJitterBackoff, Retry } from '../src/retry/index.js';

const PW = 'S3cretPw';

let dir = '';
let caFile = '';
let certFile = '';
let keyFile = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'redwire-url-'));
  caFile = join(dir, 'ca.pem');
  certFile = join(dir, 'client cert.pem'); // a space, to exercise decoding of the query value
  keyFile = join(dir, 'client.key');
  writeFileSync(caFile, 'CA-PEM');
  writeFileSync(certFile, 'CERT-PEM');
  writeFileSync(keyFile, 'KEY-PEM');
  mkdirSync(join(dir, 'a-directory'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('parseUrl: addresses and user info', () => {
  const cases: Array<[string, UrlOptions]> = [
    ['redis://localhost', { host: 'localhost', port: 6379 }],
    ['redis://', { port: 6379 }],
    ['redis://:6380', { port: 6380 }],
    ['redis://example.com:6380', { host: 'example.com', port: 6380 }],
    ['redis://h:', { host: 'h', port: 6379 }],
    ['redis://10.0.0.1:7000/', { host: '10.0.0.1', port: 7000 }],
    ['redis://h/3', { host: 'h', port: 6379, db: 3 }],
    ['redis://h/3/', { host: 'h', port: 6379, db: 3 }],
    ['redis://h/%31%35', { host: 'h', port: 6379, db: 15 }],
    ['redis://h/0', { host: 'h', port: 6379, db: 0 }],
    ['redis://h:1/007', { host: 'h', port: 1, db: 7 }],
    ['redis://h:65535/3?db=5', { host: 'h', port: 65535, db: 5 }],
    ['redis://user:pass@h', { host: 'h', port: 6379, username: 'user', password: 'pass' }],
    ['redis://:pass@h', { host: 'h', port: 6379, password: 'pass' }],
    ['redis://user@h', { host: 'h', port: 6379, username: 'user' }],
    ['redis://user:@h', { host: 'h', port: 6379, username: 'user' }],
    ['redis://@h', { host: 'h', port: 6379 }],
    ['redis://us%40er:p%3Aa%2Fs%3Fs%23%25@h', { host: 'h', port: 6379, username: 'us@er', password: 'p:a/s?s#%' }],
    ['redis://:p@ss@h', { host: 'h', port: 6379, password: 'p@ss' }],
    ['redis://:a:b:c@h', { host: 'h', port: 6379, password: 'a:b:c' }],
    ['redis://:100%@h', { host: 'h', port: 6379, password: '100%' }],
    ['redis://:%zz%4@h', { host: 'h', port: 6379, password: '%zz%4' }],
    ['redis://:p%C3%A4ss@h', { host: 'h', port: 6379, password: 'päss' }],
    ['redis://:pässwörd@h', { host: 'h', port: 6379, password: 'pässwörd' }],
    ['redis://[::1]', { host: '::1', port: 6379 }],
    ['redis://[::1]:6380/2', { host: '::1', port: 6380, db: 2 }],
    ['redis://u:p@[2001:db8::7]:7000', { host: '2001:db8::7', port: 7000, username: 'u', password: 'p' }],
    ['redis://[fe80::1%25eth0]:7000', { host: 'fe80::1%eth0', port: 7000 }],
    ['redis://my%2Dhost', { host: 'my-host', port: 6379 }],
    ['REDIS://H', { host: 'H', port: 6379 }],
    ['  redis://h:6380\n', { host: 'h', port: 6380 }],
    ['rediss://h', { host: 'h', port: 6379, tls: true }],
    ['rediss://u:p@h:6390/1', { host: 'h', port: 6390, db: 1, tls: true, username: 'u', password: 'p' }],
    ['valkey://h:6380/1', { host: 'h', port: 6380, db: 1 }],
    ['valkeys://h', { host: 'h', port: 6379, tls: true }],
    ['unix:///tmp/redis.sock', { path: '/tmp/redis.sock' }],
    ['unix:///tmp/redis.sock?db=2', { path: '/tmp/redis.sock', db: 2 }],
    ['unix://user:pw@/tmp/redis.sock?db=2', { path: '/tmp/redis.sock', db: 2, username: 'user', password: 'pw' }],
    ['unix://:pw@/var/run/redis/redis.sock', { path: '/var/run/redis/redis.sock', password: 'pw' }],
    ['unix:///tmp/my%20redis%40host.sock', { path: '/tmp/my redis@host.sock' }],
  ];
  for (const [url, want] of cases) {
    it(JSON.stringify(url), () => assert.deepStrictEqual(parseUrl(url), want));
  }
});

describe('parseUrl: query parameters', () => {
  const base = { host: 'h', port: 6379 };
  const cases: Array<[string, UrlOptions]> = [
    ['db=4', { db: 4 }],
    ['protocol=2', { protocol: 2 }],
    ['protocol=3', { protocol: 3 }],
    ['username=alice&password=s%26cret', { username: 'alice', password: 's&cret' }],
    ['password=a+b%2Bc', { password: 'a b+c' }],
    ['client_name=worker-1', { clientName: 'worker-1' }],
    ['clientName=worker-1', { clientName: 'worker-1' }],
    ['name=my+app', { clientName: 'my app' }],
    ['socket_timeout=1.5', { commandTimeout: 1500 }],
    ['socketTimeout=2', { commandTimeout: 2000 }],
    ['timeout=0.25', { commandTimeout: 250 }],
    ['socket_timeout=.5', { commandTimeout: 500 }],
    ['socket_timeout=1e-1', { commandTimeout: 100 }],
    ['socket_timeout=0.0001', { commandTimeout: 1 }],
    ['socket_connect_timeout=2', { connectTimeout: 2000 }],
    ['socketConnectTimeout=0.3', { connectTimeout: 300 }],
    ['socket_keepalive=false', { keepAlive: false }],
    ['socketKeepalive=0', { keepAlive: false }],
    ['socket_keepalive=true', {}],
    ['health_check_interval=30', { healthCheckInterval: 30_000 }],
    ['healthCheckInterval=0', { healthCheckInterval: 0 }],
    ['health_check_interval=1.5', { healthCheckInterval: 1500 }],
    ['max_connections=50', { maxConnections: 50 }],
    ['maxConnections=1', { maxConnections: 1 }],
    ['readonly=true', { readonly: true }],
    ['readonly=no', { readonly: false }],
    ['retry_on_timeout=false', {}],
    ['retryOnTimeout=off', {}],
    // blank values are dropped, like redis-py (an unset template variable)
    ['db=&password=&client_name=', {}],
    ['&&db=1&', { db: 1 }],
    ['db=1&protocol=3&client_name=x&socket_timeout=5&max_connections=10', {
      db: 1, protocol: 3, clientName: 'x', commandTimeout: 5000, maxConnections: 10,
    }],
  ];
  for (const [query, want] of cases) {
    it(query, () => assert.deepStrictEqual(parseUrl(`redis://h?${query}`), { ...base, ...want }));
  }

  it('query db wins over the path db', () => {
    assert.equal(parseUrl('redis://h/3?db=5').db, 5);
    assert.equal(parseUrl('redis://h/3?db=0').db, 0);
  });

  it("the URL's user info wins over username/password parameters (as in redis-py)", () => {
    const opts = parseUrl('redis://bob:fromurl@h?username=alice&password=fromquery');
    assert.equal(opts.username, 'bob');
    assert.equal(opts.password, 'fromurl');
    const partial = parseUrl('redis://:fromurl@h?username=alice');
    assert.equal(partial.username, 'alice');
    assert.equal(partial.password, 'fromurl');
  });

  describe('booleans accept redis-py forms, case-insensitively', () => {
    const truthy = ['true', 'TRUE', 'True', 't', '1', 'yes', 'Y', 'on', 'ON'];
    const falsy = ['false', 'False', 'f', '0', 'no', 'N', 'off', 'Off'];
    for (const word of truthy) it(`readonly=${word}`, () => assert.equal(parseUrl(`redis://h?readonly=${word}`).readonly, true));
    for (const word of falsy) it(`readonly=${word}`, () => assert.equal(parseUrl(`redis://h?readonly=${word}`).readonly, false));
  });

  it('retry_on_timeout=true gives a Retry that retries TimeoutError and ConnectionError', () => {
    for (const url of ['redis://h?retry_on_timeout=true', 'redis://h?retryOnTimeout=1']) {
      const { retry } = parseUrl(url);
      assert.ok(retry instanceof Retry);
      assert.ok(retry.backoff instanceof ExponentialWithJitterBackoff);
      assert.equal(retry.retries, 3);
      assert.equal(retry.shouldRetry(new TimeoutError('t'), 1), true);
      assert.equal(retry.shouldRetry(new ConnectionError('c'), 1), true);
      assert.equal(retry.shouldRetry(new DataError('d'), 1), false);
    }
    // each URL gets its own Retry: a backoff may hold state
    assert.notEqual(parseUrl('redis://h?retry_on_timeout=1').retry, parseUrl('redis://h?retry_on_timeout=1').retry);
  });
});

describe('parseUrl: TLS parameters', () => {
  const rediss = (query: string) => parseUrl(`rediss://h?${query}`);
  const cases: Array<[string, () => object]> = [
    ['ssl_cert_reqs=none', () => ({ rejectUnauthorized: false })],
    ['ssl_cert_reqs=optional', () => ({ rejectUnauthorized: true })],
    ['ssl_cert_reqs=required', () => ({ rejectUnauthorized: true })],
    ['sslCertReqs=NONE', () => ({ rejectUnauthorized: false })],
    ['ssl_password=pa%20ss', () => ({ passphrase: 'pa ss' })],
    ['sslPassword=x', () => ({ passphrase: 'x' })],
    ['ssl_min_version=TLSv1.2', () => ({ minVersion: 'TLSv1.2' })],
    ['ssl_min_version=tlsv1.3', () => ({ minVersion: 'TLSv1.3' })],
    ['sslMinVersion=TLSv1_2', () => ({ minVersion: 'TLSv1.2' })],
    ['ssl_ciphers=ECDHE-RSA-AES128-GCM-SHA256%3AHIGH', () => ({ ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:HIGH' })],
    ['sslCiphers=HIGH', () => ({ ciphers: 'HIGH' })],
  ];
  for (const [query, want] of cases) {
    it(query, () => assert.deepStrictEqual(rediss(query).tls, want()));
  }

  it('ssl_ca_certs, ssl_certfile and ssl_keyfile read their files (names percent-decoded)', () => {
    const q = (path: string) => encodeURIComponent(path);
    const tls = rediss(`ssl_ca_certs=${q(caFile)}&ssl_certfile=${q(certFile)}&ssl_keyfile=${q(keyFile)}&ssl_password=pp`).tls;
    assert.deepStrictEqual(tls, {
      ca: Buffer.from('CA-PEM'),
      cert: Buffer.from('CERT-PEM'),
      key: Buffer.from('KEY-PEM'),
      passphrase: 'pp',
    });
    const camel = rediss(`sslCaCerts=${q(caFile)}&sslCertfile=${q(certFile)}&sslKeyfile=${q(keyFile)}`).tls;
    assert.deepStrictEqual(camel, { ca: Buffer.from('CA-PEM'), cert: Buffer.from('CERT-PEM'), key: Buffer.from('KEY-PEM') });
  });

  it('ssl_check_hostname=false turns off the host name check only', () => {
    for (const word of ['false', '0', 'no', 'off']) {
      const tls = rediss(`ssl_check_hostname=${word}`).tls;
      assert.ok(typeof tls === 'object');
      assert.deepStrictEqual(Object.keys(tls), ['checkServerIdentity']);
      assert.equal(tls.checkServerIdentity!('h', {} as never), undefined);
    }
    assert.equal(rediss('ssl_check_hostname=true').tls, true);
    assert.equal(rediss('sslCheckHostname=yes').tls, true);
  });

  it('combines with the address and other parameters', () => {
    const opts = parseUrl(`rediss://u:p@[::1]:6390/2?ssl_cert_reqs=required&ssl_min_version=TLSv1.3&socket_timeout=1`);
    assert.deepStrictEqual(opts, {
      host: '::1',
      port: 6390,
      db: 2,
      commandTimeout: 1000,
      tls: { rejectUnauthorized: true, minVersion: 'TLSv1.3' },
      username: 'u',
      password: 'p',
    });
  });
});

describe('parseUrl: errors', () => {
  // [url, substrings the message must contain]. No message may contain PW.
  const cases: Array<[string, string[]]> = [
    ['', ['empty']],
    ['   ', ['empty']],
    ['localhost:6379', ['redis://', 'rediss://', 'unix://']],
    ['redis:/h', ['redis://']],
    ['http://h', ["'http://'", 'redis://', 'rediss://', 'unix://']],
    ['valkeyx://h', ["'valkeyx://'", 'valkey://']],
    // a password with an unencoded '#', '/', '?' (the tails must not leak)
    [`redis://:${PW}#tail1@h`, ["'#'", '%23']],
    [`redis://:${PW}/tail1@h`, ['%2F']],
    [`redis://:${PW}?tail1@h`, ['%3F']],
    [`redis://:${PW}?tail1&tail2@h`, ['%3F']],
    [`unix://:${PW}/tail1@/tmp/sock`, ['%2F']],
    ['unix:///tmp/a@b.sock', ['%40']],
    // the address
    [`redis://user:${PW}`, ['port']],
    [`redis://:${PW}@h:abc`, ['port', '65535']],
    ['redis://h:0', ['port']],
    ['redis://h:65536', ['port']],
    ['redis://h:-1', ['port']],
    ['redis://h:1.5', ['port']],
    ['redis://h:123456', ['port']],
    ['redis://::1:6379', ['IPv6', 'brackets']],
    [`redis://:${PW}@[::1`, ["']'"]],
    ['redis://[::1]x', ["']'"]],
    ['redis://[not-ipv6]:6379', ['IPv6']],
    [`redis://:${PW}@h/abc`, ['path', 'db']],
    ['redis://h/1/2', ['path', 'db']],
    ['redis://h/-1', ['path', 'db']],
    ['redis://h/99999999999999999999', ['path', 'db']],
    ['unix://', ['path']],
    ['unix:///', ['path']],
    ['unix://localhost/tmp/redis.sock', ['host', 'unix:///']],
    [`unix://:${PW}@tmp/redis.sock`, ['host']],
    // values
    [`redis://:${PW}@h?db=abc`, ["'db'", "'abc'"]],
    ['redis://h?db=-1', ["'db'"]],
    ['redis://h?db=1.5', ["'db'"]],
    ['redis://h?db=%20', ["'db'"]],
    ['redis://h?protocol=4', ["'protocol'", '2 or 3']],
    ['redis://h?protocol=resp3', ["'protocol'"]],
    ['redis://h?socket_timeout=abc', ["'socket_timeout'", "'abc'"]],
    ['redis://h?socketTimeout=0', ["'socketTimeout'", '> 0']],
    ['redis://h?timeout=-1', ["'timeout'"]],
    ['redis://h?socket_timeout=inf', ["'socket_timeout'"]],
    ['redis://h?socket_timeout=1e999', ["'socket_timeout'"]],
    ['redis://h?socket_connect_timeout=0', ["'socket_connect_timeout'"]],
    ['redis://h?health_check_interval=-5', ["'health_check_interval'"]],
    ['redis://h?max_connections=0', ["'max_connections'"]],
    ['redis://h?maxConnections=ten', ["'maxConnections'", "'ten'"]],
    ['redis://h?readonly=maybe', ["'readonly'", "'maybe'", 'true/false']],
    ['redis://h?socket_keepalive=2', ["'socket_keepalive'"]],
    ['redis://h?retry_on_timeout=nah', ["'retry_on_timeout'"]],
    ['rediss://h?ssl_cert_reqs=maybe', ["'ssl_cert_reqs'", 'none, optional or required']],
    ['rediss://h?ssl_min_version=TLSv1.4', ["'ssl_min_version'", 'TLSv1.2']],
    ['rediss://h?ssl_check_hostname=perhaps', ["'ssl_check_hostname'"]],
    // files
    ['rediss://h?ssl_ca_certs=/nonexistent/ca.pem', ["'ssl_ca_certs'", "'/nonexistent/ca.pem'", 'ENOENT']],
    ['rediss://h?ssl_certfile=/nonexistent/c.pem', ["'ssl_certfile'", "'/nonexistent/c.pem'"]],
    ['rediss://h?sslKeyfile=%2Fnonexistent%2Fk%20k.pem', ["'sslKeyfile'", "'/nonexistent/k k.pem'"]],
    // TLS parameters without TLS
    ['redis://h?ssl_cert_reqs=none', ["'ssl_cert_reqs'", 'rediss://']],
    [`redis://h?ssl_password=${PW}`, ["'ssl_password'", 'rediss://']],
    ['unix:///tmp/s?sslCiphers=HIGH', ["'sslCiphers'", 'rediss://']],
    // names
    ['redis://h?foo=bar', ["unknown", "'foo'"]],
    ['redis://h?Db=1', ["'Db'"]],
    ['redis://h?ssl_ca_path=/etc/ssl', ["'ssl_ca_path'"]],
    ['redis://h?db', ["'db'", 'no value']],
    ['redis://h?readonly', ["'readonly'", 'no value']],
    ['redis://h?db=1&db=2', ["'db'", 'more than once']],
    ['redis://h?timeout=1&socket_timeout=2', ["'socket_timeout'", "'timeout'", 'more than once']],
    ['redis://h?client_name=a&name=b', ["'client_name'", 'more than once']],
  ];
  for (const [url, parts] of cases) {
    it(JSON.stringify(url), () => {
      assert.throws(
        () => parseUrl(url),
        (error: unknown) => {
          assert.ok(error instanceof DataError, `not a DataError: ${String(error)}`);
          for (const part of parts) assert.ok(error.message.includes(part), `${JSON.stringify(error.message)} lacks ${part}`);
          for (const secret of [PW, 'tail1', 'tail2']) {
            assert.ok(!error.message.includes(secret), `${JSON.stringify(error.message)} leaks ${secret}`);
          }
          return true;
        },
      );
    });
  }

  it('an unreadable file names the parameter and the path, with the cause attached', () => {
    const path = join(dir, 'a-directory');
    assert.throws(
      () => parseUrl(`rediss://h?ssl_ca_certs=${encodeURIComponent(path)}`),
      (e: unknown) => e instanceof DataError && e.message.includes(path) && e.message.includes('EISDIR') && e.cause instanceof Error,
    );
  });

  it('secret values are never quoted, even when invalid or repeated', () => {
    for (const url of [
      `redis://h?password=${PW}&password=other${PW}`,
      `redis://h?username=x&password=${PW}&protocol=9`,
      `redis://:${PW}@h?protocol=9`,
      `rediss://h?ssl_password=${PW}&ssl_password=${PW}2`,
    ]) {
      assert.throws(() => parseUrl(url), (e: unknown) => e instanceof DataError && !e.message.includes(PW));
    }
  });

  it("with an '@' in the query, unknown names and values are not quoted", () => {
    // a password holding '?' then '&': the query starts inside the password
    assert.throws(
      () => parseUrl(`redis://:${PW}?tail1=tail2@h`),
      (e: unknown) => e instanceof DataError && e.message.includes('not shown') && !/tail|S3cret/.test(e.message),
    );
    // legitimate '@' in a value still parses
    assert.equal(parseUrl('redis://h?client_name=me@box').clientName, 'me@box');
  });

  it('a password with unencoded delimiters never leaks into a message (property)', () => {
    const token = fc.stringMatching(/^[JKQXZ]{8}$/);
    const delimiter = fc.constantFrom('/', '?', '#', '@', ':', '%', '&', '=', '+', '%zz', '[', ']');
    fc.assert(
      fc.property(fc.array(fc.oneof(token, delimiter), { minLength: 1, maxLength: 8 }), fc.boolean(), (parts, withQuery) => {
        const password = parts.join('');
        const url = `redis://user:${password}@host:6379/0${withQuery ? '?db=1&client_name=x' : ''}`;
        try {
          parseUrl(url);
        } catch (error) {
          assert.ok(error instanceof DataError);
          for (const part of parts) {
            if (part.length === 8) assert.ok(!error.message.includes(part), `${error.message} leaks ${part} of ${url}`);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('any percent-encoded password round-trips (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), fc.string({ minLength: 1, unit: 'grapheme' }), (username, password) => {
        const opts = parseUrl(`redis://${encodeURIComponent(username)}:${encodeURIComponent(password)}@h/1`);
        assert.equal(opts.username, username);
        assert.equal(opts.password, password);
        assert.equal(opts.db, 1);
      }),
    );
  });
});

describe('formatUrlForDisplay', () => {
  const cases: Array<[UrlOptions, string]> = [
    [{}, 'redis://127.0.0.1:6379'],
    [{ host: 'h', port: 6380, db: 2 }, 'redis://h:6380/2'],
    [{ host: '::1', tls: true }, 'rediss://[::1]:6379'],
    [{ host: 'h', username: 'a@b', password: PW }, 'redis://a%40b:***@h:6379'],
    [{ host: 'h', password: PW, tls: { ca: 'x' } }, 'rediss://:***@h:6379'],
    [{ path: '/tmp/my redis.sock', db: 3, password: PW }, 'unix://:***@/tmp/my%20redis.sock?db=3'],
  ];
  for (const [opts, want] of cases) {
    it(want, () => {
      assert.equal(formatUrlForDisplay(opts), want);
      assert.ok(!formatUrlForDisplay(opts).includes(PW));
    });
  }

  it('its output parses back to the same address', () => {
    const opts = parseUrl('rediss://alice:pw@[2001:db8::1]:7000/4');
    const again = parseUrl(formatUrlForDisplay(opts));
    assert.deepStrictEqual({ ...again, password: 'pw' }, opts);
  });
});
