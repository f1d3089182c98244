/**
 * Compile-time checks of the hash commands: `npm run typecheck` must accept the plain lines and
 * refuse each line under `@ts-expect-error`. Never run.
 */
import type { HashEntry, HExpireResult, HScanFieldsReply, HScanReply, RedisClient } from '../../src/index.js';

function expectType<T>(_v: T): void {}

export async function hashes(c: RedisClient): Promise<void> {
  expectType<number>(await c.hset('h', { a: 1, b: 'x' }));
  expectType<number>(await c.hset('h', 'f', Buffer.from('v')));
  expectType<number>(await c.hset('h', new Map([['f', 1]])));
  expectType<boolean>(await c.hsetnx('h', 'f', 1));
  expectType<'OK'>(await c.hmset('h', [['a', 1]]));
  expectType<Array<string | null>>(await c.hmget('h', 'a', 'b'));
  expectType<Record<string, string>>(await c.hgetall('h'));
  expectType<Map<Buffer, Buffer>>(await c.withBuffers().hgetall('h'));
  expectType<boolean>(await c.hexists('h', 'f'));
  expectType<number>(await c.hincrbyfloat('h', 'f', 0.5));
  expectType<string | null>(await c.hrandfield('h'));
  expectType<string[]>(await c.hrandfield('h', 2));
  expectType<HashEntry[]>(await c.hrandfield('h', 2, { withvalues: true }));
  expectType<HScanReply>(await c.hscan('h', 0, { match: 'f*', count: 10 }));
  expectType<HScanFieldsReply>(await c.hscan('h', '0', { novalues: true }));
  expectType<HScanReply<Buffer>>(await c.withBuffers().hscan('h', 0));
  expectType<HExpireResult[]>(await c.hexpire('h', 10, ['a', 'b'], { nx: true }));
  expectType<number[]>(await c.httl('h', 'a'));
  expectType<Array<string | null>>(await c.hgetex('h', ['a'], { persist: true }));
  expectType<boolean>(await c.hsetex('h', { a: 1 }, { fnx: true, ex: 10 }));
  expectType<Array<string | null>>(await c.hgetdel('h', ['a']));

  // @ts-expect-error a field is a string or Buffer
  await c.hget('h', 1);
  // @ts-expect-error HSET needs a value with a single field
  await c.hset('h', 'f');
  // @ts-expect-error values are strings, Buffers or numbers
  await c.hset('h', { a: true });
  // @ts-expect-error an increment is a number
  await c.hincrby('h', 'f', '1');
  // @ts-expect-error withvalues needs a count
  await c.hrandfield('h', { withvalues: true });
  // @ts-expect-error unknown HSCAN option
  await c.hscan('h', 0, { pattern: '*' });
  // @ts-expect-error HEXPIRE takes its fields after the time
  await c.hexpire('h', ['a'], 10);
  // @ts-expect-error unknown HGETEX option
  await c.hgetex('h', ['a'], { keepttl: true });
  // @ts-expect-error the expiry of HSETEX is a number
  await c.hsetex('h', { a: 1 }, { ex: '10' });
}
