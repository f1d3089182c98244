/**
 * Compile-time checks of the set commands: `npm run typecheck` must accept the plain lines and
 * refuse each line under `@ts-expect-error`. Never run.
 */
import type { RedisClient, SScanReply } from '../../src/index.js';

function expectType<T>(_v: T): void {}

export async function sets(c: RedisClient): Promise<void> {
  expectType<number>(await c.sadd('s', 'a', 1, Buffer.from('b')));
  expectType<string[]>(await c.smembers('s'));
  expectType<Buffer[]>(await c.withBuffers().sunion('a', 'b'));
  expectType<boolean>(await c.sismember('s', 'a'));
  expectType<boolean[]>(await c.smismember('s', 'a', 'b'));
  expectType<boolean>(await c.smove('a', 'b', 'm'));
  expectType<string | null>(await c.spop('s'));
  expectType<string[]>(await c.spop('s', 2));
  expectType<string | null>(await c.srandmember('s'));
  expectType<string[]>(await c.srandmember('s', -2));
  expectType<number>(await c.sintercard(['a', 'b'], { limit: 10 }));
  expectType<number>(await c.sdiffstore('dst', 'a', 'b'));
  expectType<SScanReply>(await c.sscan('s', '0', { count: 10 }));
  expectType<SScanReply<Buffer>>(await c.withBuffers().sscan('s', 0));

  // @ts-expect-error a key is a string or Buffer
  await c.scard(1);
  // @ts-expect-error members are strings, Buffers or numbers
  await c.sadd('s', null);
  // @ts-expect-error the count is a number
  await c.spop('s', '1');
  // @ts-expect-error SINTERCARD takes its limit in an options object
  await c.sintercard(['a', 'b'], 10);
  // @ts-expect-error unknown SSCAN option
  await c.sscan('s', 0, { type: 'set' });
}
