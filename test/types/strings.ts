/**
 * Compile-time checks of the string (and HyperLogLog) commands: `npm run typecheck` must accept the
 * plain lines and refuse each line under `@ts-expect-error`. Never run.
 */
import type { LcsIdxReply, RedisClient } from '../../src/index.js';

function expectType<T>(_v: T): void {}

export async function strings(c: RedisClient): Promise<void> {
  expectType<string | null>(await c.get('k'));
  expectType<Buffer | null>(await c.withBuffers().get('k'));
  expectType<'OK' | null>(await c.set('k', 1, { ex: 10, nx: true }));
  expectType<string | null>(await c.set('k', Buffer.from('v'), { get: true, ifeq: 'old' }));
  expectType<number>(await c.lcs('a', 'b', { len: true }));
  expectType<LcsIdxReply>(await c.lcs('a', 'b', { idx: true, withmatchlen: true }));
  expectType<string>(await c.lcs('a', 'b'));
  expectType<boolean>(await c.msetnx({ a: 1 }));
  expectType<boolean>(await c.msetex([['a', 1]], { px: 100 }));
  expectType<boolean>(await c.delifeq('lock', 'token'));
  expectType<string | null>(await c.digest('k'));
  expectType<number>(await c.incrbyfloat('k', 0.5));
  expectType<boolean>(await c.pfadd('h', 'a', 1));
  expectType<number>(await c.pfcount('h1', 'h2'));

  // @ts-expect-error a number is not a key
  await c.get(1);
  // @ts-expect-error a value must be a string, Buffer or number
  await c.set('k', { a: 1 });
  // @ts-expect-error unknown option
  await c.set('k', 'v', { exp: 10 });
  // @ts-expect-error ex is a number of seconds
  await c.set('k', 'v', { ex: '10' });
  // @ts-expect-error persist is GETEX's, not SET's
  await c.set('k', 'v', { persist: true });
  // @ts-expect-error keepttl is SET's, not GETEX's
  await c.getex('k', { keepttl: true });
  // @ts-expect-error the increment is a number
  await c.incrby('k', '1');
  // @ts-expect-error SETEX takes seconds before the value
  await c.setex('k', 'v', 10);
  // @ts-expect-error MSET takes pairs, not a flat list
  await c.mset('a', 1, 'b', 2);
  // @ts-expect-error LCS minmatchlen is a number
  await c.lcs('a', 'b', { idx: true, minmatchlen: '2' });
  // @ts-expect-error the digest condition is a hex string
  await c.delex('k', { ifdeq: 12 });
  // @ts-expect-error PFCOUNT keys are strings or Buffers
  await c.pfcount(1);
}
