/**
 * Compile-time checks of the list commands: `npm run typecheck` must accept the plain lines and
 * refuse each line under `@ts-expect-error`. Never run.
 */
import type { BlockingPopReply, ListPopReply, RedisClient } from '../../src/index.js';

function expectType<T>(_v: T): void {}

export async function lists(c: RedisClient): Promise<void> {
  expectType<number>(await c.lpush('l', 'a', 1, Buffer.from('b')));
  expectType<number>(await c.rpushx(Buffer.from('l'), 'a'));
  expectType<string[]>(await c.lrange('l', 0, -1));
  expectType<string | null>(await c.lindex('l', 0));
  expectType<string | null>(await c.lpop('l'));
  expectType<string[] | null>(await c.rpop('l', 2));
  expectType<number | null>(await c.lpos('l', 'x', { rank: 1 }));
  expectType<number[]>(await c.lpos('l', 'x', { count: 0, maxlen: 10 }));
  expectType<string | null>(await c.lmove('a', 'b', 'LEFT', 'RIGHT'));
  expectType<string | null>(await c.blmove('a', 'b', 'LEFT', 'RIGHT', 0.5));
  expectType<ListPopReply | null>(await c.lmpop(['a', 'b'], 'LEFT', { count: 2 }));
  expectType<ListPopReply<Buffer> | null>(await c.withBuffers().blmpop(0, 'a', 'RIGHT'));
  expectType<BlockingPopReply | null>(await c.blpop(['a', 'b'], 0));
  expectType<BlockingPopReply<Buffer> | null>(await c.withBuffers().brpop('a', 1));
  expectType<Buffer | null>(await c.withBuffers().lpop('l'));
  expectType<number>(await c.linsert('l', 'AFTER', 'p', 1));
  expectType<'OK'>(await c.lset('l', 0, 'x'));
  expectType<'OK'>(await c.ltrim('l', 0, 10));

  // @ts-expect-error a key is a string or Buffer
  await c.lpush(1, 'a');
  // @ts-expect-error values are strings, Buffers or numbers
  await c.rpush('l', { a: 1 });
  // @ts-expect-error an index is a number
  await c.lindex('l', '0');
  // @ts-expect-error sides are 'LEFT' or 'RIGHT'
  await c.lmove('a', 'b', 'left', 'RIGHT');
  // @ts-expect-error LINSERT goes BEFORE or AFTER
  await c.linsert('l', 'UNDER', 'p', 'x');
  // @ts-expect-error the timeout comes last and is a number
  await c.blpop('a', '1');
  // @ts-expect-error BLMPOP starts with its timeout
  await c.blmpop(['a'], 'LEFT');
  // @ts-expect-error unknown LPOS option
  await c.lpos('l', 'x', { first: 1 });
  // @ts-expect-error the count of LMPOP is a number
  await c.lmpop('a', 'LEFT', { count: '2' });
}
