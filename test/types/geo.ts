/**
 * Compile-time checks of the geo commands: `npm run typecheck` must accept the plain lines and refuse
 * each line under `@ts-expect-error`. Never run.
 */
import type { GeoCoordinates, GeoSearchHit, RedisClient } from '../../src/index.js';

function expectType<T>(_v: T): void {}

export async function geo(c: RedisClient): Promise<void> {
  const from = { longitude: 15, latitude: 37 };
  expectType<number>(await c.geoadd('g', [{ longitude: 13.36, latitude: 38.11, member: 'Palermo' }], { ch: true }));
  expectType<number | null>(await c.geodist('g', 'a', 'b', 'km'));
  expectType<Array<GeoCoordinates | null>>(await c.geopos('g', 'a', 'b'));
  expectType<Array<string | null>>(await c.geohash('g', 'a'));
  expectType<string[]>(await c.geosearch('g', 'Palermo', { radius: 10, unit: 'km' }, { count: 5 }));
  expectType<Array<GeoSearchHit<string>>>(await c.geosearch('g', from, { width: 1, height: 2, unit: 'mi' }, { withdist: true }));
  expectType<Array<GeoSearchHit<Buffer>>>(await c.withBuffers().geosearch('g', from, { radius: 1, unit: 'm' }, { withcoord: true }));
  expectType<number>(await c.geosearchstore('d', 'g', from, { radius: 1, unit: 'm' }, { storedist: true }));
  expectType<number>(await c.georadius('g', 15, 37, 200, 'km', { store: 'd' }));
  expectType<Array<GeoSearchHit<string>>>(await c.georadius('g', 15, 37, 200, 'km', { withhash: true }));
  expectType<string[]>(await c.georadiusbymemberRo('g', 'Palermo', 200, 'km'));

  // @ts-expect-error GEOADD members are { longitude, latitude, member }
  await c.geoadd('g', [13.36, 38.11, 'Palermo']);
  // @ts-expect-error unknown unit
  await c.geodist('g', 'a', 'b', 'yards');
  // @ts-expect-error a box needs width and height
  await c.geosearch('g', 'Palermo', { width: 10, unit: 'km' });
  // @ts-expect-error GEOSEARCH does not store
  await c.geosearch('g', 'Palermo', { radius: 10, unit: 'km' }, { storedist: true });
  // @ts-expect-error count is a number
  await c.geosearch('g', 'Palermo', { radius: 10, unit: 'km' }, { count: '5' });
  // @ts-expect-error the read-only variant cannot store
  await c.georadiusRo('g', 15, 37, 200, 'km', { store: 'd' });
  // @ts-expect-error the radius is a number
  await c.georadius('g', 15, 37, '200', 'km');
}
