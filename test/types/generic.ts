/**
 * Compile-time checks of the keyspace commands: `npm run typecheck` must accept the plain lines and
 * refuse each line under `@ts-expect-error`. Never run.
 */
import type { RedisClient, ScanReply } from '../../src/index.js';

function expectType<T>(_v: T): void {}

export async function generic(c: RedisClient): Promise<void> {
  expectType<number>(await c.del('a', Buffer.from('b')));
  expectType<boolean>(await c.expire('k', 10, { xx: true, gt: true }));
  expectType<boolean>(await c.copy('a', 'b', { db: 1, replace: true }));
  expectType<ScanReply<string>>(await c.scan('0', { match: 'k:*', count: 100, type: 'hash' }));
  expectType<ScanReply<Buffer>>(await c.withBuffers().scan(0));
  expectType<number>(await c.sort('k', { store: 'dst', alpha: true }));
  expectType<Array<string | null>>(await c.sort('k', { get: ['#', 'o_*'], limit: { offset: 0, count: 10 } }));
  expectType<Array<string | null>>(await c.sortRo('k', { by: 'nosort' }));
  expectType<'OK' | 'NOKEY'>(await c.migrate('host', 6379, ['a', 'b'], 0, 1000, { auth2: { username: 'u', password: 'p' } }));
  expectType<string | null>(await c.objectEncoding('k'));
  expectType<number | null>(await c.objectIdletime('k'));
  expectType<[number, number]>(await c.waitaof(1, 0, 100));
  expectType<Buffer | null>(await c.withBuffers().dump('k'));

  for await (const k of c.scanIterator({ match: 'a*', type: 'hash' })) expectType<string>(k);
  for await (const k of c.withBuffers().scanIterator()) expectType<Buffer>(k);
  for await (const e of c.hscanIterator('h', { count: 10 })) expectType<{ field: string; value: string }>(e);
  for await (const f of c.hscanIterator('h', { novalues: true })) expectType<string>(f);
  for await (const m of c.sscanIterator('s', { match: 'm*' })) expectType<string>(m);
  for await (const e of c.zscanIterator('z')) expectType<{ member: string; score: number }>(e);
  for await (const m of c.withBuffers().zscanIterator('z', { noscores: true })) expectType<Buffer>(m);

  // @ts-expect-error a number is not a key
  await c.del('a', 2);
  // @ts-expect-error SCAN iterators take no cursor
  c.scanIterator('0');
  // @ts-expect-error HSCAN needs the hash's key
  c.hscanIterator({ count: 10 });
  // @ts-expect-error unknown EXPIRE option
  await c.expire('k', 10, { ifgt: true });
  // @ts-expect-error seconds are a number
  await c.expire('k', '10');
  // @ts-expect-error SCAN count is a number
  await c.scan(0, { count: '10' });
  // @ts-expect-error the cursor is a string or number
  await c.scan(null);
  // @ts-expect-error SORT_RO cannot store
  await c.sortRo('k', { store: 'dst' });
  // @ts-expect-error LIMIT needs offset and count
  await c.sort('k', { limit: { offset: 0 } });
  // @ts-expect-error MIGRATE auth2 is { username, password }
  await c.migrate('h', 1, 'k', 0, 0, { auth2: 'pw' });
  // @ts-expect-error RESTORE ttl is a number
  await c.restore('k', '0', Buffer.alloc(0));
  // @ts-expect-error COPY db is a number
  await c.copy('a', 'b', { db: '1' });
  // @ts-expect-error WAIT takes two numbers
  await c.wait(1);
}
