import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError, createClient } from '../../src/index.js';
import { coreMethods } from '../../src/commands/index.js';
import { MAX_BULK_LENGTH } from '../../src/protocol/encoder.js';
import { useServer } from '../servers/index.js';
import { paramsOf } from './params.js';

function refused(message: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof DataError, String(e));
    assert.match(e.message, message);
    return true;
  };
}

describe('the command table builders', () => {
  it('have no rest or default parameters, so that a method knows how many arguments it takes', () => {
    for (const [name, def] of Object.entries(coreMethods)) {
      const build = def.buildRest ?? def.build;
      const p = paramsOf(build as never);
      assert.ok(p !== null, `${name}: parameters not readable`);
      assert.ok(!p.rest && !p.defaults, `${name}: ${JSON.stringify(p)}; declare list arguments with variadic()`);
      assert.equal(p.count, build.length, name);
    }
  });
});

describe('arguments JavaScript would drop silently are refused before anything is sent', () => {
  const server = useServer({});

  it('extra positional arguments (ioredis style) name the options object to use instead', async () => {
    await using c = await createClient({ port: server().port }).connect();
    // As plain JavaScript calls them: TypeScript would not let these through.
    const js = c as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    await assert.rejects(js['set']!('args:k', 'v', 'EX', 10), refused(/SET: set\(\) takes at most 3 arguments, got 4.*\{ ex: … \}/));
    await assert.rejects(js['hset']!('args:h', 'f1', 'v1', 'f2', 'v2'), refused(/HSET: hset\(\) takes at most 3 arguments, got 5/));
    await assert.rejects(js['get']!('args:k', 'extra'), refused(/takes at most 1 argument, got 2/));
    assert.equal(await c.exists('args:k', 'args:h'), 0);
    const pipeline = c.pipeline() as unknown as Record<string, (...args: unknown[]) => unknown>;
    assert.throws(() => pipeline['set']!('args:k', 'v', 'EX', 10), DataError);
  });

  it('unknown option keys are refused, upper-case ones with a hint', async () => {
    await using c = await createClient({ port: server().port }).connect();
    await assert.rejects(c.set('args:k', 'v', { EX: 10 } as never), refused(/SET: unknown option 'EX' \(ex, in lower case\); set\(\) takes .*ex.*px/));
    await assert.rejects(c.set('args:k', 'v', { ex: 10, ttl: 5 } as never), refused(/unknown option 'ttl'/));
    await assert.rejects(c.zadd('args:z', { score: 1, member: 'a' }, { NX: true } as never), refused(/ZADD: unknown option 'NX'/));
    assert.equal(await c.exists('args:k', 'args:z'), 0);
    // Known options, and data objects whose keys are the user's, pass.
    assert.equal(await c.set('args:k', 'v', { ex: 10, nx: true }), 'OK');
    assert.ok((await c.ttl('args:k')) > 0);
    assert.equal(await c.hset('args:h', { EX: '1', anything: '2' }), 2);
    assert.equal(await c.mset({ 'args:m1': 'a', 'args:m2': 'b' }), 'OK');
    assert.deepEqual(await c.hgetall('args:h'), { EX: '1', anything: '2' });
    assert.equal(await c.xadd('args:s', '*', { NX: 'field-named-like-an-option' }, { maxlen: { threshold: 10 } }) !== null, true);
  });

  it('null where an argument is optional is a DataError, not a TypeError', async () => {
    await using c = await createClient({ port: server().port }).connect();
    await assert.rejects(c.set('args:k', 'v', null as never), refused(/SET: .*argument 3 is null/));
  });

  it('integers past 2^53 must be bigints; bigints are sent exactly', async () => {
    await using c = await createClient({ port: server().port }).connect();
    await assert.rejects(c.incrby('args:n', 2 ** 60), refused(/INCRBY: increment .*2\^53.*bigint/));
    await assert.rejects(c.set('args:n', 2 ** 60), refused(/bigint/));
    await assert.rejects(c.call('SET', 'args:n', 2 ** 60), refused(/bigint/));
    assert.equal(await c.exists('args:n'), 0);
    await c.set('args:n', 2n ** 60n);
    assert.equal(await c.get('args:n'), '1152921504606846976');
    await c.set('args:n', 0);
    await c.incrby('args:n', 2n ** 60n);
    assert.equal(await c.get('args:n'), '1152921504606846976');
    // Doubles past 2^53 that print exactly, and fractions, are still numbers.
    await c.zadd('args:z2', { score: 1e300, member: 'big' });
    assert.equal(await c.zscore('args:z2', 'big'), 1e300);
  });

  it('list commands take 100,000 items, spread or as one array', async () => {
    await using c = await createClient({ port: server().port }).connect();
    const items = Array.from({ length: 100_000 }, (_, i) => `v${i}`);
    assert.equal(await c.rpush('args:l', ...items), 100_000);
    assert.equal(await c.rpush('args:l', items), 200_000);
    assert.equal(await c.sadd('args:s1', items), 100_000);
    assert.equal(await c.del(['args:l', 'args:s1']), 2);
    assert.equal(await c.del('args:l', 'args:s1'), 0);
    assert.deepEqual(await c.pipeline().rpush('args:l2', ['a', 'b']).lrange('args:l2', 0, -1).exec(), [2, ['a', 'b']]);
  });

  it('a value past proto-max-bulk-len is refused; the connection stays in use', async () => {
    await using c = await createClient({ port: server().port }).connect();
    const huge = Buffer.allocUnsafe(MAX_BULK_LENGTH + 1);
    const pending = c.get('args:k');
    await assert.rejects(c.set('args:huge', huge), refused(/proto-max-bulk-len/));
    await assert.rejects(c.call('SET', 'args:huge', huge), refused(/proto-max-bulk-len/));
    assert.equal(await pending, 'v');
    assert.equal(await c.ping(), 'PONG');
  });
});
