/** The sentinel client's options and addresses, checked before anything is sent: no servers needed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError, Sentinel, createSentinel } from '../../src/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bad = (v: unknown): any => v;

describe('sentinel options', () => {
  it('accepts URLs, host:port and { host, port }, without duplicates', async () => {
    const s = new Sentinel(['redis://10.0.0.1:26380', '10.0.0.2:26381', { host: '10.0.0.3', port: 26382 }, '10.0.0.2:26381', 'sentinel.local']);
    assert.deepEqual(s.sentinels, [
      { host: '10.0.0.1', port: 26380 },
      { host: '10.0.0.2', port: 26381 },
      { host: '10.0.0.3', port: 26382 },
      { host: 'sentinel.local', port: 26379 },
    ]);
    await s.close();
  });

  it('refuses what it cannot use with DataError', () => {
    assert.throws(() => new Sentinel([]), DataError);
    assert.throws(() => new Sentinel(bad('127.0.0.1:26379')), DataError);
    assert.throws(() => new Sentinel([bad(26379)]), DataError);
    assert.throws(() => new Sentinel(['host:port']), /bad sentinel address/);
    assert.throws(() => new Sentinel(['127.0.0.1:26379'], { refreshInterval: -1 }), /refreshInterval must be an integer >= 0/);
    assert.throws(() => new Sentinel(['127.0.0.1:26379'], bad({ sentinelOptions: 'x' })), /sentinelOptions must be an object/);
    const s = new Sentinel(['127.0.0.1:26379']);
    assert.throws(() => s.primaryFor(''), /non-empty string/);
    assert.throws(() => s.watch('m').client(bad('leader'), {}), /role must be 'primary' or 'replica'/);
    assert.throws(() => createSentinel(bad(null)), DataError);
    assert.throws(() => createSentinel(bad({ name: 'm' })), DataError);
  });

  it('a closed Sentinel makes no more clients', async () => {
    const s = new Sentinel(['127.0.0.1:26379']);
    await s.close();
    assert.throws(() => s.primaryFor('m'), /closed/);
  });
});
