import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError, type RedisClient } from '../../src/index.js';
import { geoMethods } from '../../src/commands/geo.js';
import { commandKeys } from '../../src/commands/registry.js';
import { commandSuite } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bad = (v: unknown): any => v;

const PALERMO = { longitude: 13.361389, latitude: 38.115556, member: 'Palermo' };
const CATANIA = { longitude: 15.087269, latitude: 37.502669, member: 'Catania' };

/** Coordinates as the server stores them (a 52-bit geohash), rounded for comparison. */
function round<T>(v: T): T {
  return JSON.parse(JSON.stringify(v), (_k, x) => (typeof x === 'number' && !Number.isInteger(x) ? Math.round(x * 1e4) / 1e4 : x)) as T;
}

async function sicily(c: RedisClient): Promise<void> {
  assert.equal(await c.geoadd('sicily', [PALERMO, CATANIA]), 2);
}

describe('geo commands: argv', () => {
  it('builds GEOADD with options and one or many members', () => {
    assert.deepEqual(geoMethods.geoadd.build('g', PALERMO), ['GEOADD', 'g', 13.361389, 38.115556, 'Palermo']);
    assert.deepEqual(geoMethods.geoadd.build('g', [PALERMO, CATANIA], { xx: true, ch: true }), [
      'GEOADD', 'g', 'XX', 'CH', 13.361389, 38.115556, 'Palermo', 15.087269, 37.502669, 'Catania',
    ]);
    assert.throws(() => geoMethods.geoadd.build('g', []), /GEOADD: at least one member/);
    assert.throws(() => geoMethods.geoadd.build('g', PALERMO, { nx: true, xx: true }), /GEOADD: nx and xx/);
    assert.throws(() => geoMethods.geoadd.build('g', bad({ longitude: '13', latitude: 38, member: 'x' })), /GEOADD: longitude must be a number/);
    assert.throws(() => geoMethods.geoadd.build('g', bad(['x'])), /GEOADD: each member must be/);
  });

  it('builds GEOSEARCH and GEOSEARCHSTORE from a member or a point, by radius or box', () => {
    assert.deepEqual(
      geoMethods.geosearch.build('g', 'Palermo', { radius: 200, unit: 'km' }, { asc: true, count: 2, any: true, withcoord: true, withdist: true, withhash: true }),
      ['GEOSEARCH', 'g', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 200, 'km', 'ASC', 'COUNT', 2, 'ANY', 'WITHCOORD', 'WITHDIST', 'WITHHASH'],
    );
    assert.deepEqual(geoMethods.geosearch.build('g', { longitude: 15, latitude: 37 }, { width: 400, height: 300, unit: 'mi' }), [
      'GEOSEARCH', 'g', 'FROMLONLAT', 15, 37, 'BYBOX', 400, 300, 'mi',
    ]);
    assert.deepEqual(geoMethods.geosearchstore.build('d', 'g', 'Palermo', { radius: 1, unit: 'M' }, { desc: true, storedist: true }), [
      'GEOSEARCHSTORE', 'd', 'g', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 1, 'M', 'DESC', 'STOREDIST',
    ]);
    assert.throws(() => geoMethods.geosearch.build('g', 'x', { radius: 1, unit: bad('yards') }), /GEOSEARCH: unit must be/);
    assert.throws(() => geoMethods.geosearch.build('g', 'x', bad(5)), /GEOSEARCH: by must be/);
    assert.throws(() => geoMethods.geosearch.build('g', 'x', { radius: 1, unit: 'm' }, { any: true }), /GEOSEARCH: any needs count/);
    assert.throws(() => geoMethods.geosearch.build('g', 'x', { radius: 1, unit: 'm' }, { asc: true, desc: true }), /asc and desc/);
  });

  it('builds the GEORADIUS family and finds the STORE keys', () => {
    assert.deepEqual(geoMethods.georadius.build('g', 15, 37, 200, 'km', { withdist: true, count: 1, desc: true }), [
      'GEORADIUS', 'g', 15, 37, 200, 'km', 'DESC', 'COUNT', 1, 'WITHDIST',
    ]);
    const argv = geoMethods.georadiusbymember.build('g', 'Palermo', 100, 'km', { storedist: 'd' });
    assert.deepEqual(argv, ['GEORADIUSBYMEMBER', 'g', 'Palermo', 100, 'km', 'STOREDIST', 'd']);
    assert.deepEqual(commandKeys(argv), ['g', 'd']);
    assert.deepEqual(commandKeys(['GEORADIUSBYMEMBER', 'g', 'store', 100, 'km']), ['g']);
    assert.throws(() => geoMethods.georadiusRo.build('g', 15, 37, 1, 'km', bad({ store: 'd' })), /GEORADIUS_RO: store and storedist are not allowed/);
    assert.throws(() => geoMethods.georadius.build('g', 15, 37, 1, 'km', bad({ store: 'd', storedist: 'e' })), /exclude each other/);
    assert.throws(() => geoMethods.georadius.build('g', 15, 37, 1, 'km', bad({ store: 'd', withdist: true })), /GEORADIUS: store cannot be combined/);
    assert.throws(() => geoMethods.georadius.build('g', bad('15'), 37, 1, 'km'), /GEORADIUS: longitude/);
    assert.throws(() => geoMethods.georadiusbymember.build('g', bad(null), 1, 'km'), /GEORADIUSBYMEMBER: member/);
  });

  it('reads the reply by the WITH* options of the call, not by guessing from its values', () => {
    const hits = (argv: Array<string | number>, reply: unknown) => geoMethods.geosearch.variant!(argv).transform?.(reply) ?? reply;
    const base = ['GEOSEARCH', 'g', 'FROMMEMBER', 'WITHDIST', 'BYRADIUS', 1, 'km'];
    assert.deepEqual(hits(base, ['a']), ['a']);
    assert.deepEqual(hits([...base, 'WITHHASH'], [['a', 7]]), [{ member: 'a', hash: 7 }]);
    // A distance sent as a number (a RESP3 double) is still a distance.
    assert.deepEqual(hits([...base, 'WITHDIST'], [['a', 2]]), [{ member: 'a', distance: 2 }]);
    assert.deepEqual(hits([...base, 'WITHCOORD', 'WITHHASH', 'WITHDIST'], [['a', '0.5', 7, ['1', '2']]]), [
      { member: 'a', distance: 0.5, hash: 7, coordinates: { longitude: 1, latitude: 2 } },
    ]);
    const store = geoMethods.georadius.build('g', 1, 2, 3, 'km', { store: 'WITHDIST' });
    assert.equal(geoMethods.georadius.variant!(store).transform, undefined);
  });

  it('names the command and the argument of a bad call', () => {
    assert.throws(() => geoMethods.geodist.build('g', 'a', 'b', bad('meters')), /GEODIST: unit/);
    assert.throws(() => geoMethods.geopos.build(bad(1), 'a'), /GEOPOS: key/);
    assert.throws(() => geoMethods.geohash.build('g', bad({})), /GEOHASH: member/);
  });
});

commandSuite('geo commands', (t) => {
  it('GEOADD, GEOPOS, GEODIST, GEOHASH', async () => {
    const r = await t.both(async (c) => {
      await sicily(c);
      return [
        await c.geoadd('sicily', { ...PALERMO, longitude: 13.4 }, { xx: true, ch: true }),
        await c.geoadd('sicily', PALERMO, { nx: true }),
        round(await c.geopos('sicily', 'Catania', 'missing')),
        await c.geopos('missing', 'x'),
        await c.geodist('sicily', 'Palermo', 'Catania', 'km').then((d) => Math.round(d!)),
        await c.geodist('sicily', 'Catania', 'Catania'),
        await c.geodist('sicily', 'Palermo', 'missing'),
        await c.geohash('sicily', 'Catania', 'missing'),
        await c.withBuffers().geohash('sicily', 'Catania'),
      ];
    });
    assert.deepEqual(r, [
      1,
      0,
      [{ longitude: 15.0873, latitude: 37.5027 }, null],
      [null],
      163,
      0,
      null,
      ['sqdtr74hyu0', null],
      ['sqdtr74hyu0'],
    ]);
  });

  it('GEOSEARCH: members only, or objects with what WITH* asked for', async () => {
    const r = await t.both(async (c) => {
      await sicily(c);
      const from = { longitude: 15, latitude: 37 };
      return [
        await c.geosearch('sicily', from, { radius: 200, unit: 'km' }, { asc: true }),
        await c.geosearch('sicily', from, { radius: 100, unit: 'km' }),
        round(await c.geosearch('sicily', from, { radius: 200, unit: 'km' }, { asc: true, withdist: true })),
        round(await c.geosearch('sicily', 'Palermo', { width: 400, height: 400, unit: 'km' }, { desc: true, count: 1, withcoord: true, withhash: true })),
        round(await c.geosearch('sicily', from, { radius: 200, unit: 'km' }, { asc: true, withcoord: true, withdist: true, withhash: true })),
      ];
    });
    assert.deepEqual(r, [
      ['Catania', 'Palermo'],
      ['Catania'],
      [
        { member: 'Catania', distance: 56.4413 },
        { member: 'Palermo', distance: 190.4424 },
      ],
      [{ member: 'Catania', hash: 3479447370796909, coordinates: { longitude: 15.0873, latitude: 37.5027 } }],
      [
        { member: 'Catania', distance: 56.4413, hash: 3479447370796909, coordinates: { longitude: 15.0873, latitude: 37.5027 } },
        { member: 'Palermo', distance: 190.4424, hash: 3479099956230698, coordinates: { longitude: 13.3614, latitude: 38.1156 } },
      ],
    ]);
  });

  it('GEOSEARCHSTORE stores the found members, with distances as scores on request', async () => {
    const r = await t.both(async (c) => {
      await sicily(c);
      const by = { radius: 200, unit: 'km' } as const;
      return [
        await c.geosearchstore('near', 'sicily', { longitude: 15, latitude: 37 }, by),
        await c.geosearchstore('dist', 'sicily', { longitude: 15, latitude: 37 }, by, { asc: true, count: 1, storedist: true }),
        await c.geosearch('near', { longitude: 15, latitude: 37 }, by, { asc: true }),
        await c.call('ZSCORE', 'dist', 'Catania').then((v) => round(Number(v))),
        await c.call('ZCARD', 'dist'),
      ];
    });
    assert.deepEqual(r, [2, 1, ['Catania', 'Palermo'], 56.4413, 1]);
  });

  it('GEORADIUS, GEORADIUS_RO, GEORADIUSBYMEMBER, GEORADIUSBYMEMBER_RO, with STORE and STOREDIST', async () => {
    const r = await t.both(async (c) => {
      await sicily(c);
      return [
        await c.georadius('sicily', 15, 37, 200, 'km', { asc: true }),
        round(await c.georadius('sicily', 15, 37, 200, 'km', { withdist: true, count: 1, asc: true })),
        await c.georadius('sicily', 15, 37, 200, 'km', { store: 'stored' }),
        await c.georadius('sicily', 15, 37, 100, 'km', { storedist: 'stored2' }),
        await c.georadiusRo('sicily', 15, 37, 100, 'km'),
        round(await c.georadiusRo('sicily', 15, 37, 100, 'km', { withcoord: true })),
        await c.georadiusbymember('sicily', 'Palermo', 10, 'km'),
        await c.georadiusbymember('sicily', 'Palermo', 300, 'km', { store: 'stored3' }),
        round(await c.georadiusbymemberRo('sicily', 'Catania', 300, 'km', { desc: true, withdist: true })),
        await c.georadiusbymemberRo('sicily', 'Catania', 300, 'km', { asc: true }),
        await c.geosearch('stored', 'Palermo', { radius: 1000, unit: 'km' }, { asc: true }),
        await c.exists('stored2', 'stored3'),
      ];
    });
    assert.deepEqual(r, [
      ['Catania', 'Palermo'],
      [{ member: 'Catania', distance: 56.4413 }],
      2,
      1,
      ['Catania'],
      [{ member: 'Catania', coordinates: { longitude: 15.0873, latitude: 37.5027 } }],
      ['Palermo'],
      2,
      [
        { member: 'Palermo', distance: 166.2742 },
        { member: 'Catania', distance: 0 },
      ],
      ['Catania', 'Palermo'],
      ['Palermo', 'Catania'],
      2,
    ]);
  });

  it('rejects bad arguments before sending', async () => {
    const c = t.client(2);
    await assert.rejects(c.geoadd('g', bad({ longitude: 1, latitude: 2 })), (e: Error) => e instanceof DataError && /GEOADD: member/.test(e.message));
    await assert.rejects(c.geosearch('g', 'x', { radius: 1, unit: bad('yd') }), DataError);
  });
});
