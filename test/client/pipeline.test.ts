import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConnectionError,
  DataError,
  RedisError,
  ResponseError,
  UnknownCommandError,
  WrongTypeError,
  createClient,
  type Pipeline,
  type RedisClient,
} from '../../src/index.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';

const PROTOCOLS = [2, 3] as const;

/** Counts how many batches the connection hands to its socket (one per flush). */
function countFlushes(c: RedisClient): { readonly count: number; restore(): void } {
  const encoder = (c.connection as unknown as { encoder: { take(): unknown } }).encoder;
  const take = encoder.take;
  let count = 0;
  encoder.take = function (this: unknown) {
    count++;
    return take.call(this);
  };
  return {
    get count() {
      return count;
    },
    restore() {
      encoder.take = take;
    },
  };
}

for (const kind of SERVER_KINDS) {
  describe(`pipeline on ${kind}`, () => {
    const server = useServer({ kind });

    for (const protocol of PROTOCOLS) {
      describe(`RESP${protocol}`, () => {
        it('resolves a typed tuple, each reply through its own transform', async () => {
          await using c = await createClient({ port: server().port, protocol }).connect();
          const k = `p:basic:${protocol}`;
          const [ok, v, n, h, missing, raw] = await c
            .pipeline()
            .set(k, '1')
            .get(k)
            .incr(`${k}:n`)
            .hset(`${k}:h`, { a: '1' })
            .get(`${k}:missing`)
            .call('OBJECT', 'ENCODING', k)
            .exec();
          assert.equal(ok, 'OK');
          assert.equal(v, '1');
          assert.equal(n, 1);
          assert.equal(h, 1);
          assert.equal(missing, null);
          assert.equal(raw, 'int');
          const [hash] = await c.pipeline().hgetall(`${k}:h`).exec();
          assert.deepEqual(hash, { a: '1' });
          const [buf] = await c.withBuffers().pipeline().get(k).exec();
          assert.ok(Buffer.isBuffer(buf));
          assert.equal(buf.toString(), '1');
        });

        it('runs 10,000 mixed commands: every result in place, or the first error annotated', async () => {
          await using c = await createClient({ port: server().port, protocol }).connect();
          const k = `p:mixed:${protocol}`;
          await c.set(`${k}:str`, 'not a number');
          const build = () => {
            const p: Pipeline<unknown[]> = c.pipeline();
            for (let i = 0; i < 10_000; i++) {
              switch (i % 5) {
                case 0:
                  p.set(`${k}:${i}`, i);
                  break;
                case 1:
                  p.get(`${k}:${i - 1}`);
                  break;
                case 2:
                  p.incr(`${k}:counter`);
                  break;
                case 3:
                  // Fails: the value is not an integer.
                  p.incr(`${k}:str`);
                  break;
                default:
                  p.call('NOSUCHCOMMAND', 'x');
              }
            }
            return p;
          };
          const results = await build().exec({ throwOnError: false });
          assert.equal(results.length, 10_000);
          let counter = 0;
          for (let i = 0; i < 10_000; i++) {
            const r = results[i];
            switch (i % 5) {
              case 0:
                assert.equal(r, 'OK');
                break;
              case 1:
                assert.equal(r, String(i - 1));
                break;
              case 2:
                assert.equal(r, ++counter);
                break;
              case 3:
                assert.ok(r instanceof ResponseError && /not an integer/.test(r.message), `result ${i}: ${String(r)}`);
                assert.equal((r as RedisError).command, 'INCR');
                break;
              default:
                assert.ok(r instanceof UnknownCommandError, `result ${i}: ${String(r)}`);
            }
          }

          // The default: everything runs, then the first failure rejects, named by position and command.
          await assert.rejects(build().exec(), (e: unknown) => {
            assert.ok(e instanceof ResponseError);
            assert.equal(e.message.startsWith('Command # 4 (INCR) of pipeline caused error: ERR value is not an integer'), true, e.message);
            assert.equal(e.position, 3);
            assert.equal(e.command, 'INCR');
            return true;
          });
          // It ran to the end: the counter moved 2,000 more times.
          assert.equal(await c.get(`${k}:counter`), '4000');
        });

        it('never puts argument values in the error', async () => {
          await using c = await createClient({ port: server().port, protocol }).connect();
          await c.set('p:secret', 'v');
          await assert.rejects(c.pipeline().get('p:ok').hset('p:secret', 'field', 'hunter2').exec(), (e: unknown) => {
            assert.ok(e instanceof WrongTypeError);
            assert.match(e.message, /^Command # 2 \(HSET\) of pipeline caused error: WRONGTYPE/);
            assert.doesNotMatch(e.message, /hunter2|p:secret/);
            return true;
          });
        });

        it('writes the whole pipeline in one batch', async () => {
          await using c = await createClient({ port: server().port, protocol }).connect();
          const p: Pipeline<unknown[]> = c.pipeline();
          for (let i = 0; i < 1000; i++) p.set(`p:batch:${i}`, 'x'.repeat(100));
          const flushes = countFlushes(c);
          try {
            const results = await p.exec();
            assert.equal(results.length, 1000);
            assert.equal(flushes.count, 1);
          } finally {
            flushes.restore();
          }
        });

        it('refuses bad arguments at the line that chains them, and runs only once', async () => {
          await using c = await createClient({ port: server().port, protocol }).connect();
          const p = c.pipeline().set('p:once', '1');
          // @ts-expect-error a number is not a key
          assert.throws(() => p.get(42), DataError);
          assert.throws(() => p.call('SET', 'k', {} as unknown as string), DataError);
          assert.throws(() => p.call(''), DataError);
          for (const cmd of ['MULTI', 'exec', 'SUBSCRIBE', 'monitor']) assert.throws(() => p.call(cmd, 'x'), DataError);
          assert.throws(() => c.multi().call('WATCH', 'k'), DataError);
          assert.equal(p.length, 1);
          assert.deepEqual(await p.exec(), ['OK']);
          await assert.rejects(p.exec(), DataError);
          assert.throws(() => p.get('p:once'), DataError);
          assert.deepEqual(await c.pipeline().exec(), []);
        });

        it('rejects what could not run with ConnectionError when the connection dies midway', async () => {
          await using c = await createClient({ port: server().port, protocol }).connect();
          const id = await c.clientId();
          const results = await c
            .pipeline()
            .set('p:kill', '1')
            .call('CLIENT', 'KILL', 'ID', id, 'SKIPME', 'no')
            .get('p:kill')
            .get('p:kill')
            .exec({ throwOnError: false });
          assert.equal(results[0], 'OK');
          assert.ok(results[2] instanceof ConnectionError);
          assert.ok(results[3] instanceof ConnectionError);
          // The client reconnects and goes on.
          assert.equal(await c.get('p:kill'), '1');
        });

        it('gives a pipeline with a blocking command a connection of its own and waits out its block time', async () => {
          await using c = await createClient({ port: server().port, protocol, commandTimeout: 200 }).connect();
          const k = `p:blocking:${protocol}`;
          const blocked = c.pipeline().set(`${k}:x`, '1').call('BLPOP', k, 5).get(`${k}:x`).exec();
          // The shared connection is not stalled behind it.
          assert.equal(await c.ping(), 'PONG');
          await c.rpush(k, 'v');
          assert.deepEqual(await blocked, ['OK', [k, 'v'], '1']);
          // Blocking longer than commandTimeout is no timeout: it gets its block time on top.
          assert.deepEqual(await c.pipeline().call('BLPOP', k, 0.4).exec(), [null]);
        });

        it('runs a registered script after SCRIPT FLUSH, loading it ahead of the batch', async () => {
          await using c = await createClient({ port: server().port, protocol }).connect();
          const script = c.registerScript("return redis.call('INCRBY', KEYS[1], ARGV[1])", { transform: (v) => Number(v) });
          const key = `p:script:${protocol}`;
          await c.call('SCRIPT', 'FLUSH');
          const [a, , b] = await c.pipeline().evalScript(script, [key], [2]).get(key).evalScript(script, [key], [3]).exec();
          assert.equal(a, 2);
          assert.equal(b, 5);
          const broken = c.registerScript('this is not lua');
          await assert.rejects(c.pipeline().evalScript(broken, [], []).exec(), (e: unknown) => {
            assert.ok(e instanceof ResponseError);
            assert.match(e.message, /^Command # 1 \(EVALSHA\) of pipeline caused error: .*(compil|syntax|Error)/i);
            return true;
          });
        });
      });
    }
  });
}
