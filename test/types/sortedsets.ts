/**
 * Compile-time checks of the sorted set commands: `npm run typecheck` must accept the plain lines and
 * refuse each line under `@ts-expect-error`. Never run.
 */
import type { RedisClient, ScoredMember, ZBlockingPopReply, ZPopReply, ZRankWithScore, ZScanMembersReply, ZScanReply } from '../../src/index.js';

function expectType<T>(_v: T): void {}

/** True only when A and B are the same type (not merely assignable either way). */
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function assertType<_T extends true>(): void {}

export async function sortedsets(c: RedisClient): Promise<void> {
  expectType<number>(await c.zadd('z', [{ score: 1, member: 'a' }, { score: Infinity, member: 2 }], { nx: true, ch: true }));
  expectType<number>(await c.zadd('z', new Map([['a', 1]])));
  expectType<number | null>(await c.zadd('z', { score: 1, member: 'a' }, { incr: true, xx: true }));
  expectType<number>(await c.zincrby('z', 1.5, 'a'));
  expectType<number | null>(await c.zscore('z', 'a'));
  expectType<Array<number | null>>(await c.zmscore('z', 'a', 'b'));
  expectType<string[]>(await c.zrange('z', 0, -1));
  expectType<ScoredMember[]>(await c.zrange('z', 0, -1, { withscores: true }));
  expectType<ScoredMember<Buffer>[]>(await c.withBuffers().zrange('z', '(1', '+inf', { byscore: true, withscores: true }));
  expectType<string[]>(await c.zrange('z', '-', '+', { bylex: true, limit: { offset: 0, count: 5 } }));
  expectType<ScoredMember[]>(await c.zrangebyscore('z', -Infinity, 5, { withscores: true }));
  expectType<string[]>(await c.zrevrangebylex('z', '+', '-'));
  expectType<number | null>(await c.zrank('z', 'a'));
  expectType<ZRankWithScore | null>(await c.zrevrank('z', 'a', { withscore: true }));
  expectType<ScoredMember[]>(await c.zunion(['a', 'b'], { weights: [1, 2], aggregate: 'MAX', withscores: true }));
  expectType<string[]>(await c.zinter('a'));
  expectType<number>(await c.zinterstore('dst', ['a', 'b'], { aggregate: 'SUM' }));
  expectType<ScoredMember | null>(await c.zpopmin('z'));
  expectType<ScoredMember[]>(await c.zpopmax('z', 2));
  expectType<ZPopReply | null>(await c.zmpop(['a', 'b'], 'MIN'));
  expectType<ZPopReply<Buffer> | null>(await c.withBuffers().bzmpop(0, 'a', 'MAX', { count: 2 }));
  expectType<ZBlockingPopReply | null>(await c.bzpopmin(['a', 'b'], 0.5));
  expectType<string | null>(await c.zrandmember('z'));
  expectType<ScoredMember[]>(await c.zrandmember('z', 2, { withscores: true }));
  expectType<ZScanReply>(await c.zscan('z', 0));
  expectType<ZScanMembersReply>(await c.zscan('z', 0, { noscores: true }));

  const piped = await c.pipeline().zrange('z', 0, -1).zrange('z', 0, -1, { withscores: true }).zpopmin('z').zpopmin('z', 2).exec();
  assertType<Equal<typeof piped, [string[], ScoredMember[], ScoredMember | null, ScoredMember[]]>>();
  const buffered = await c.withBuffers().pipeline().zrandmember('z', 1, { withscores: true }).zscore('z', 'a').exec();
  assertType<Equal<typeof buffered, [ScoredMember<Buffer>[], number | null]>>();

  // @ts-expect-error members are { score, member }
  await c.zadd('z', { a: 1 });
  // @ts-expect-error a score is a number
  await c.zadd('z', { score: '1', member: 'a' });
  // @ts-expect-error unknown ZADD option
  await c.zadd('z', { score: 1, member: 'a' }, { replace: true });
  // @ts-expect-error ZRANGE options are lower case
  await c.zrange('z', 0, 1, { WITHSCORES: true });
  // @ts-expect-error LIMIT is { offset, count }
  await c.zrange('z', 0, 1, { byscore: true, limit: [0, 1] });
  // @ts-expect-error AGGREGATE is SUM, MIN or MAX
  await c.zunion(['a'], { aggregate: 'AVG' });
  // @ts-expect-error ZMPOP pops MIN or MAX
  await c.zmpop('a', 'LEFT');
  // @ts-expect-error ZREVRANGE takes indexes
  await c.zrevrange('z', '(1', 5);
  // @ts-expect-error the timeout is a number of seconds
  await c.bzpopmax('z', '1');
  // @ts-expect-error a lex bound is a string or Buffer
  await c.zlexcount('z', 1, 2);
}
