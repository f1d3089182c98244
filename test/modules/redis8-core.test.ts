/**
 * Core commands newer than Redis 7.0, which the redis and valkey test servers cannot run, against
 * Redis 8: hash field expiration (7.4), HGETEX/HSETEX/HGETDEL (8.0), WAITAOF (7.2), CLIENT NO-TOUCH and
 * SETINFO (7.2). Their argv is checked in test/commands; here the replies, under both protocols.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DataError } from '../../src/index.js';
import { moduleSuite } from './helpers.js';

moduleSuite('core commands newer than 7.0', ({ both, client }) => {
  it('HEXPIRE and its kin set, read and clear field expiries', async () => {
    const r = await both(async (c) => {
      await c.hset('h', { a: '1', b: '2', c: '3' });
      const at = Math.floor(Date.now() / 1000) + 1000;
      return [
        await c.hexpire('h', 100, ['a', 'nofield']),
        await c.hexpire('h', 100, 'a', { nx: true }),
        await c.hexpire('h', 200, 'a', { gt: true }),
        await c.hpexpire('h', 300_000, ['b'], { xx: true }),
        await c.hpexpire('h', 300_000, ['b']),
        await c.hexpireat('h', at, 'c'),
        await c.hpexpireat('h', at * 1000, 'c', { lt: true }),
        (await c.httl('h', ['a', 'b', 'nofield'])).map((t) => (t > 0 ? 'positive' : t)),
        (await c.hpttl('h', 'b')).map((t) => t > 200_000 && t <= 300_000),
        await c.hexpiretime('h', ['c']).then((t) => t[0] === at),
        await c.hpexpiretime('h', ['c']).then((t) => t[0] === at * 1000),
        await c.hpersist('h', ['a', 'nofield']),
        await c.hpersist('h', 'a'),
        await c.httl('h', 'a'),
        await c.hexpire('h', 0, 'c'),
        await c.hgetall('h'),
        await c.httl('nokey', 'a'),
      ];
    });
    assert.deepEqual(r, [
      [1, -2],
      [0],
      [1],
      [0],
      [1],
      [1],
      [0],
      ['positive', 'positive', -2],
      [true],
      true,
      true,
      [1, -2],
      [-1],
      [-1],
      [2],
      { a: '1', b: '2' },
      [-2],
    ]);
  });

  it('HGETEX, HSETEX and HGETDEL', async () => {
    const r = await both(async (c) => [
      await c.hsetex('h', { a: '1', b: '2' }, { ex: 100 }),
      await c.hsetex('h', { a: 'x' }, { fnx: true }),
      await c.hsetex('h', { a: 'y', b: 'z' }, { fxx: true, keepttl: true }),
      await c.hsetex('h', [['c', 3]], { px: 100_000 }),
      (await c.httl('h', ['a', 'c'])).map((t) => t > 0),
      await c.hgetex('h', ['a', 'nofield'], { persist: true }),
      await c.httl('h', 'a'),
      await c.hgetex('h', 'b', { exat: Math.floor(Date.now() / 1000) + 500 }),
      (await c.httl('h', 'b')).map((t) => t > 400 && t <= 500),
      await c.hgetex('h', ['c']),
      await c.hgetdel('h', ['a', 'nofield']),
      await c.hgetall('h'),
      await c.hgetdel('h', ['b', 'c']),
      await c.exists('h'),
    ]);
    assert.deepEqual(r, [true, false, true, true, [true, true], ['y', null], [-1], ['z'], [true], ['3'], ['y', null], { b: 'z', c: '3' }, ['z', '3'], 0]);
  });

  it('refuses bad hash-expiry arguments before sending', async () => {
    const c = client(3);
    await assert.rejects(c.hexpire('h', 10, []), DataError);
    await assert.rejects(c.hsetex('h', { a: 1 }, { ex: 1, keepttl: true }), DataError);
  });

  it('WAITAOF, CLIENT NO-TOUCH, CLIENT SETINFO', async () => {
    const r = await both(async (c) => [
      // No AOF and no replicas: nothing to wait for, and both counts are 0.
      await c.waitaof(0, 0, 100),
      await c.clientNoTouch(true),
      await c.clientNoTouch(false),
      await c.clientSetinfo('LIB-NAME', 'redwire-test'),
      await c.clientInfo().then((i) => (i as unknown as Record<string, unknown>)['lib-name']),
    ]);
    assert.deepEqual(r, [[0, 0], 'OK', 'OK', 'OK', 'redwire-test']);
  });
});
