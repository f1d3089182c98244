import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { ConnectionPool, DataError, ExponentialBackoff, Retry, WrongTypeError, createClient } from '../../src/index.js';
import { useServer } from '../servers/index.js';

describe('client options are checked at creation', () => {
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ reconnect: true }, /reconnect must be a Retry .* or false, got true/],
    [{ retry: 3 }, /retry must be a Retry/],
    [{ commandTimeout: 'soon' }, /commandTimeout must be a number of milliseconds >= 0, got "soon"/],
    [{ commandTimeout: -5 }, /commandTimeout .* got -5/],
    [{ connectTimeout: Infinity }, /connectTimeout/],
    [{ protocol: 4 }, /protocol must be 2 or 3, got 4/],
    [{ port: NaN }, /port must be an integer from 0 to 65535, got NaN/],
    [{ port: 70_000 }, /port/],
    [{ db: -1 }, /db must be an integer >= 0/],
    [{ db: 1.5 }, /db/],
    [{ host: '' }, /host must be a non-empty string/],
    [{ password: 123 }, /password must be a string/],
    [{ clientName: 'two words' }, /clientName must be a string without spaces/],
    [{ tls: 'yes' }, /tls must be an object/],
    [{ keepAlive: true }, /keepAlive/],
    [{ enableOfflineQueue: 'false' }, /enableOfflineQueue must be true or false/],
    [{ maxOfflineAttempts: 0 }, /maxOfflineAttempts must be an integer >= 1/],
    [{ connections: 0 }, /connections must be an integer >= 1/],
    [{ pool: { maxConnections: 'lots' } }, /pool\.maxConnections must be an integer >= 1/],
    [{ pool: { timeout: -1 } }, /pool\.timeout/],
    [{ pool: { size: 3 } }, /unknown client option pool\.size/],
    [{ commandtimeout: 100 }, /unknown client option commandtimeout: did you mean commandTimeout\?/],
    [{ connectionName: 'x' }, /unknown client option connectionName: use clientName/],
    [{ maxRetriesPerRequest: 3 }, /use retry/],
  ];
  for (const [options, message] of bad) {
    it(`refuses ${JSON.stringify(options)}`, () => {
      assert.throws(() => createClient(options as never), (e: unknown) => {
        assert.ok(e instanceof DataError, String(e));
        assert.match(e.message, message);
        return true;
      });
    });
  }

  it('accepts numbers given as numeric strings (from environment variables), as URLs do', () => {
    const c = createClient({ port: '6380', commandTimeout: '300', db: '2', protocol: '2' } as never);
    assert.equal(c.connection.options.port, 6380);
    assert.equal(c.connection.options.commandTimeout, 300);
    assert.equal(c.connection.options.db, 2);
    assert.equal(c.connection.options.protocol, 2);
    c.disconnect();
  });

  it('accepts every valid option, undefined ones included', () => {
    const c = createClient({
      host: 'localhost', port: 6379, db: 0, username: undefined, password: 'p', clientName: 'n', protocol: 3,
      connectTimeout: 10, commandTimeout: 0, keepAlive: false, noDelay: true, healthCheckInterval: 0,
      reconnect: false, retry: new Retry(new ExponentialBackoff(), 2), enableOfflineQueue: true,
      offlineQueueLimit: 10, maxOfflineAttempts: 3, captureStack: true, connections: 2,
      pool: { maxConnections: 3, timeout: null, blocking: false, idleTimeout: 0, healthCheckAfter: 0 },
      clientInfo: false, readonly: false, tls: false,
    });
    c.disconnect();
  });

  it('a pool made by hand checks its options too', () => {
    assert.throws(() => new ConnectionPool({ maxConnections: 0 }), /maxConnections/);
    assert.throws(() => new ConnectionPool({ reconnect: true } as never), /reconnect/);
  });
});

describe('secrets stay out of printed objects', () => {
  it('util.inspect of a client, its connection, its options and its pool hides the password', () => {
    const c = createClient({ url: 'redis://alice:s3cr3t-pw@127.0.0.1:1/0', password: 'an0ther-pw' });
    const pool = c.pool;
    for (const shown of [inspect(c), inspect(c.connection), inspect(c.connection.options), inspect(pool), inspect(pool.connectionOptions), inspect(c, { depth: 10, showHidden: true })]) {
      assert.ok(!shown.includes('s3cr3t-pw') && !shown.includes('an0ther-pw'), shown);
    }
    assert.match(inspect(c), /127\.0\.0\.1:1/);
    assert.match(inspect(c.connection.options), /password: '\[redacted\]'/);
    c.disconnect();
  });
});

describe('captureStack', () => {
  const server = useServer({});

  async function wrongType(captureStack: boolean): Promise<string> {
    await using c = await createClient({ port: server().port, captureStack }).connect();
    await c.set('stack:k', 'v');
    try {
      await c.lpush('stack:k', 'x'); // the line the stack must show
      assert.fail('expected WRONGTYPE');
    } catch (e) {
      assert.ok(e instanceof WrongTypeError);
      return e.stack ?? '';
    }
  }

  it('off (the default): the error comes from the reply reader', async () => {
    assert.doesNotMatch(await wrongType(false), /options\.test\.ts/);
  });

  it('on: the error carries the frame of the call', async () => {
    assert.match(await wrongType(true), /options\.test\.ts/);
  });

  it('on: pipeline and MULTI errors carry the frame of exec()', async () => {
    await using c = await createClient({ port: server().port, captureStack: true }).connect();
    await c.set('stack:p', 'v');
    const p = c.pipeline().lpush('stack:p', 'x').exec();
    await assert.rejects(p, (e: Error) => /options\.test\.ts/.test(e.stack ?? ''));
    const m = c.multi().lpush('stack:p', 'x').exec();
    await assert.rejects(m, (e: Error) => /options\.test\.ts/.test(e.stack ?? ''));
  });
});
