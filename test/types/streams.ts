/**
 * Compile-time checks of the stream command types: never run, only type-checked (`npm run typecheck`).
 * Each `@ts-expect-error` line must fail to compile; the others must compile.
 */
import type { RedisClient } from '../../src/index.js';
import type {
  StreamEntry,
  StreamGroupEntry,
  XAutoClaimJustIdReply,
  XAutoClaimReply,
  XInfoStreamFullReply,
  XInfoStreamReply,
  XPendingEntry,
  XPendingSummary,
  XReadGroupReply,
  XReadReply,
} from '../../src/commands/streams.js';

export async function streamTypes(c: RedisClient): Promise<void> {
  // Replies.
  const id: string | null = await c.xadd('s', '*', { a: 1, b: 'x', c: Buffer.from('y') });
  const entries: StreamEntry[] = await c.xrange('s', '-', '+', { count: 10 });
  const rev: StreamEntry[] = await c.xrevrange('s', '+', '-');
  const read: XReadReply | null = await c.xread({ s: '0' }, { block: 100, count: 5 });
  const fresh: XReadReply | null = await c.xreadgroup('g', 'c', { s: '>' }, { noack: true });
  const history: XReadGroupReply | null = await c.xreadgroup('g', 'c', { s: '0' });
  const claimed: StreamGroupEntry[] | undefined = (await c.xreadgroup('g', 'c', { s: '>' }, { claim: 1000 }))?.['s'];
  const summary: XPendingSummary = await c.xpending('s', 'g');
  const pendingEntries: XPendingEntry[] = await c.xpending('s', 'g', '-', '+', 10, { idle: 5, consumer: 'c' });
  const claimedEntries: StreamEntry[] = await c.xclaim('s', 'g', 'c', 0, ['1-0']);
  const claimedIds: string[] = await c.xclaim('s', 'g', 'c', 0, ['1-0'], { justid: true });
  const auto: XAutoClaimReply = await c.xautoclaim('s', 'g', 'c', 0, '0-0', { count: 5 });
  const autoIds: XAutoClaimJustIdReply = await c.xautoclaim('s', 'g', 'c', 0, '0-0', { justid: true });
  const info: XInfoStreamReply = await c.xinfoStream('s');
  const full: XInfoStreamFullReply = await c.xinfoStream('s', { full: true, count: 5 });
  const destroyed: boolean = await c.xgroupDestroy('s', 'g');
  const created: boolean = await c.xgroupCreateconsumer('s', 'g', 'c');
  const trimmed: number = await c.xtrim('s', { maxlen: { threshold: 10, approximate: true, limit: 5 } });
  const codes: number[] = await c.xdelex('s', ['1-0'], { acked: true });
  const buffers: Map<Buffer, Buffer> | undefined = (await c.withBuffers().xrange('s', '-', '+'))[0]?.fields;
  void [id, entries, rev, read, fresh, history, claimed, summary, pendingEntries, claimedEntries, claimedIds, auto, autoIds, info, full];
  void [destroyed, created, trimmed, codes, buffers];

  // @ts-expect-error a key is a string or Buffer
  await c.xadd(1, '*', { a: 1 });
  // @ts-expect-error ids are strings
  await c.xadd('s', 5, { a: 1 });
  // @ts-expect-error field values are strings, Buffers or numbers
  await c.xadd('s', '*', { a: true });
  // @ts-expect-error unknown option
  await c.xadd('s', '*', { a: 1 }, { nomkstreams: true });
  // @ts-expect-error maxlen is a number or a trim spec
  await c.xadd('s', '*', { a: 1 }, { maxlen: '10' });
  // @ts-expect-error the trim spec needs a threshold
  await c.xadd('s', '*', { a: 1 }, { maxlen: { approximate: true } });
  // @ts-expect-error XTRIM needs maxlen or minid
  await c.xtrim('s', {});
  // @ts-expect-error not both
  await c.xtrim('s', { maxlen: 1, minid: '1-0' });
  // @ts-expect-error count is a number
  await c.xrange('s', '-', '+', { count: '1' });
  // @ts-expect-error streams map names to ids
  await c.xread(['s', '0']);
  // @ts-expect-error noack is an XREADGROUP option
  await c.xread({ s: '0' }, { noack: true });
  // @ts-expect-error block is a number of milliseconds
  await c.xreadgroup('g', 'c', { s: '>' }, { block: true });
  // @ts-expect-error history reads may give null fields
  const notNull: XReadReply | null = await c.xreadgroup('g', 'c', { s: '0' });
  // @ts-expect-error the ids are an array
  await c.xclaim('s', 'g', 'c', 0, '1-0');
  // @ts-expect-error JUSTID gives ids, not entries
  const wrongClaim: StreamEntry[] = await c.xclaim('s', 'g', 'c', 0, ['1-0'], { justid: true });
  // @ts-expect-error the extended XPENDING form needs a count
  await c.xpending('s', 'g', '-', '+');
  // @ts-expect-error FULL is `full: true`
  await c.xinfoStream('s', { count: 5 });
  // @ts-expect-error the reference policies are booleans
  await c.xackdel('s', 'g', ['1-0'], { acked: 'yes' });
  // @ts-expect-error the IDMP options are camelCase names
  await c.xcfgset('s', { 'idmp-duration': 5 });
  void [notNull, wrongClaim];
}
