/**
 * Compile-time checks of pipelines and transactions: `npm run typecheck` must accept the plain lines
 * and refuse each line under `@ts-expect-error`. Never run.
 */
import type {
  KeyspaceEvent,
  Lock,
  MonitorEvent,
  Multi,
  Pipeline,
  PubSubMessage,
  RedisClient,
  RedisError,
  RespValue,
  Script,
  SubscriptionMessage,
} from '../../src/index.js';

/** True only when A and B are the same type (not merely assignable either way). */
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function assertType<_T extends true>(): void {}

export async function pipelines(client: RedisClient, script: Script<number>): Promise<void> {
  const r = await client.pipeline().set('a', '1').get('a').incr('n').exec();
  assertType<Equal<typeof r, ['OK' | null, string | null, number]>>();

  const b = await client.withBuffers().pipeline().get('a').set('a', 'v', { get: true }).exec();
  assertType<Equal<typeof b, [Buffer | null, Buffer | null]>>();

  const settled = await client.pipeline().incr('n').call('OBJECT', 'ENCODING', 'n').exec({ throwOnError: false });
  assertType<Equal<typeof settled, [number | RedisError, RespValue | RedisError]>>();

  const s = await client.pipeline().evalScript(script, ['k'], [1]).get('k').exec();
  assertType<Equal<typeof s, [number, string | null]>>();

  const empty = await client.pipeline().exec();
  assertType<Equal<typeof empty, []>>();

  // Built in a loop: the tuple is unknown in length, and a widened pipeline says so.
  const p: Pipeline<unknown[]> = client.pipeline();
  for (let i = 0; i < 3; i++) p.incr(`k${i}`);
  const many = await p.exec();
  assertType<Equal<typeof many, unknown[]>>();

  const m = await client.multi().set('a', '1').incr('n').exec();
  assertType<Equal<typeof m, ['OK' | null, number]>>();
  const chained: Multi<[number]> = client.multi().incr('x');
  void chained;

  const t = await client.transaction(async (tx) => {
    const v = await tx.get('counter');
    assertType<Equal<typeof v, string | null>>();
    return tx.multi().set('counter', String(Number(v) + 1)).incr('n');
  }, { watch: ['counter'] });
  assertType<Equal<typeof t, ['OK' | null, number]>>();

  const value = await client.transaction(async (tx) => Number(await tx.get('x')), { watch: ['x'] });
  assertType<Equal<typeof value, number>>();

  // Writing only sometimes: the results, or what fn returned instead.
  const maybe = await client.transaction(async (tx) => ((await tx.get('x')) === null ? null : tx.multi().del('x')), { watch: ['x'] });
  assertType<Equal<typeof maybe, [number] | null>>();

  const n = await client.registerScript('return 1', { transform: (v) => Number(v) }).run(['k'], ['a', 1]);
  assertType<Equal<typeof n, number>>();

  // @ts-expect-error a number is not a key
  client.pipeline().get(1);
  // @ts-expect-error a value must be a string, Buffer or number
  client.pipeline().set('a', { v: 1 });
  // @ts-expect-error unknown SET option
  client.pipeline().set('a', '1', { exp: 10 });
  // @ts-expect-error incr takes a key only
  client.pipeline().incr('n', 2);
  // @ts-expect-error the pipeline's results are a tuple of exactly these types
  const wrong: [string] = await client.pipeline().incr('n').exec();
  void wrong;
  // @ts-expect-error a transaction's multi() chains the table's commands with their types
  client.multi().get(1);
  // @ts-expect-error script keys are strings or Buffers
  client.pipeline().evalScript(script, [1]);
}

export async function subscribers(client: RedisClient): Promise<void> {
  const sub = client.pubsub();
  for await (const m of sub) {
    assertType<Equal<typeof m, PubSubMessage<string>>>();
    if (m.type === 'pmessage') assertType<Equal<typeof m.pattern, string>>();
    else assertType<Equal<typeof m.pattern, null>>();
  }
  for await (const m of client.pubsub({ ignoreSubscribeMessages: false })) {
    assertType<Equal<typeof m, PubSubMessage<string> | SubscriptionMessage<string>>>();
  }
  for await (const m of client.withBuffers().pubsub()) assertType<Equal<typeof m.data, Buffer>>();
  sub.on('message', (m) => assertType<Equal<typeof m.channel, string>>());
  for await (const e of await client.keyspaceEvents('user:*')) assertType<Equal<typeof e, KeyspaceEvent>>();
  for await (const e of await client.monitor()) assertType<Equal<typeof e, MonitorEvent>>();
  const lock: Lock = await client.lock('l', { timeout: 1000 }).acquire();
  await lock.extend(500, { replaceTtl: true });

  // @ts-expect-error channels are strings or Buffers
  void sub.subscribe(1);
  // @ts-expect-error lock times are numbers of milliseconds
  client.lock('l', { timeout: '10s' });
}
