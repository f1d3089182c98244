import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { DataError, ResponseError, createClient } from '../../src/index.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';

const PROTOCOLS = [2, 3] as const;

for (const kind of SERVER_KINDS) {
  describe(`registerScript on ${kind}`, () => {
    const server = useServer({ kind });

    for (const protocol of PROTOCOLS) {
      describe(`RESP${protocol}`, () => {
        const connect = () => createClient({ port: server().port, protocol }).connect();

        it('computes the SHA1 the server uses, and runs by it', async () => {
          await using c = await connect();
          const lua = "return 'héllo ' .. ARGV[1]";
          const script = c.registerScript(lua);
          assert.equal(script.sha, createHash('sha1').update(lua, 'utf8').digest('hex'));
          assert.equal(await c.call('SCRIPT', 'LOAD', lua), script.sha);
          assert.equal(await script.run([], ['wörld']), 'héllo wörld');
          const fromBuffer = c.registerScript(Buffer.from(lua));
          assert.equal(fromBuffer.sha, script.sha);
        });

        it('still runs after SCRIPT FLUSH, sending the body once and then running by SHA again', async () => {
          await using c = await connect();
          const script = c.registerScript("return redis.call('INCRBY', KEYS[1], ARGV[1])", { transform: (v) => Number(v) });
          const k = `s:flush:${protocol}`;
          assert.equal(await script.run([k], [1]), 1);
          await c.call('SCRIPT', 'FLUSH');
          assert.deepEqual(await c.call('SCRIPT', 'EXISTS', script.sha), [0]);
          assert.equal(await script.run([k], [2]), 3);
          assert.deepEqual(await c.call('SCRIPT', 'EXISTS', script.sha), [1]);
          // Concurrent runs after a flush all succeed.
          await c.call('SCRIPT', 'FLUSH');
          const all = await Promise.all(Array.from({ length: 20 }, () => script.run([k], [1])));
          assert.equal(Math.max(...all), 23);
        });

        it('returns replies as the protocol carries them, or through its transform; Buffers in a buffers view', async () => {
          await using c = await connect();
          assert.deepEqual(await c.registerScript("return {1, 'two', {3}}").run(), [1, 'two', [3]]);
          assert.equal(await c.registerScript('return nil').run(), null);
          const typed = c.registerScript<string[]>("return {KEYS[1], ARGV[1]}", { transform: (v) => (v as string[]).map(String) });
          assert.deepEqual(await typed.run(['k'], [5]), ['k', '5']);
          const buf = await c.withBuffers().registerScript('return ARGV[1]').run([], [Buffer.from([0, 255])]);
          assert.ok(Buffer.isBuffer(buf));
          assert.deepEqual(buf, Buffer.from([0, 255]));
        });

        it('readOnly runs with EVALSHA_RO, which refuses writes', async () => {
          await using c = await connect();
          const read = c.registerScript("return redis.call('GET', KEYS[1])", { readOnly: true });
          await c.set(`s:ro:${protocol}`, 'v');
          await c.call('SCRIPT', 'FLUSH');
          assert.equal(await read.run([`s:ro:${protocol}`]), 'v');
          const write = c.registerScript("return redis.call('SET', KEYS[1], 'x')", { readOnly: true });
          await assert.rejects(write.run([`s:ro:${protocol}`]), ResponseError);
          assert.equal(await c.get(`s:ro:${protocol}`), 'v');
        });

        it('reports script errors and refuses bad arguments before sending', async () => {
          await using c = await connect();
          await assert.rejects(c.registerScript("return redis.call('NOSUCH')").run(), ResponseError);
          await assert.rejects(c.registerScript('not lua at all').run(), ResponseError);
          const s = c.registerScript('return 1');
          await assert.rejects(s.run([1 as unknown as string]), DataError);
          await assert.rejects(s.run('k' as unknown as string[]), DataError);
          await assert.rejects(s.run([], [{} as unknown as string]), DataError);
          assert.throws(() => c.registerScript(42 as unknown as string), DataError);
        });
      });
    }
  });
}
