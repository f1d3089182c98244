/**
 * Compile-time checks of the scripting, pub/sub and transaction command types: never run, only
 * type-checked (`npm run typecheck`). Each `@ts-expect-error` line must fail to compile.
 */
import type { RedisClient, RespValue } from '../../src/index.js';
import type { FunctionLibrary, FunctionStats } from '../../src/commands/scripting.js';

export async function scriptingTypes(c: RedisClient): Promise<void> {
  const any: RespValue = await c.eval('return 1');
  const n: number = await c.eval<number>('return 1', ['k'], ['a', 1, Buffer.from('b')]);
  const s: string = await c.fcall<string>('f', [], ['x']);
  const ro: RespValue = await c.evalsha_ro('sha', ['k']);
  const sha: string = await c.scriptLoad('return 1');
  const exists: boolean[] = await c.scriptExists(sha, sha);
  const libs: FunctionLibrary[] = await c.functionList({ libraryname: 'my*', withcode: true });
  const stats: FunctionStats = await c.functionStats();
  const lib: string = await c.functionLoad('#!lua name=x', { replace: true });
  const dump: Buffer = await c.withBuffers().functionDump();
  const restored: 'OK' = await c.functionRestore(dump, 'REPLACE');
  const receivers: number = await c.publish('ch', 1);
  const counts: Record<string, number> = await c.pubsubNumsub('a', 'b');
  const channels: Buffer[] = await c.withBuffers().pubsubChannels('a*');
  void [any, n, s, ro, exists, libs, stats, lib, restored, receivers, counts, channels];

  // @ts-expect-error the script is a string or Buffer
  await c.eval(42);
  // @ts-expect-error keys are an array
  await c.eval('return 1', 'k');
  // @ts-expect-error arguments are strings, Buffers or numbers
  await c.eval('return 1', [], [true]);
  // @ts-expect-error keys are strings or Buffers
  await c.fcall_ro('f', [1]);
  // @ts-expect-error the mode is ASYNC or SYNC
  await c.scriptFlush('NOW');
  // @ts-expect-error unknown restore policy
  await c.functionRestore(dump, 'MERGE');
  // @ts-expect-error unknown option
  await c.functionList({ withCode: true });
  // @ts-expect-error the SHA1s are strings
  await c.scriptExists(1);
  // @ts-expect-error a message is a string, Buffer or number
  await c.publish('ch', { a: 1 });
  // @ts-expect-error subscribing belongs to the pub/sub object, not the client
  await c.subscribe('ch');
  // @ts-expect-error transactions belong to multi() / transaction(), not plain methods
  await c.watch('k');
}
