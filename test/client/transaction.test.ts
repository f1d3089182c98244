import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConnectionError,
  DataError,
  ExecAbortError,
  ResponseError,
  WatchError,
  createClient,
  type RedisClient,
} from '../../src/index.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';

const PROTOCOLS = [2, 3] as const;

for (const kind of SERVER_KINDS) {
  describe(`transactions on ${kind}`, () => {
    const server = useServer({ kind });

    for (const protocol of PROTOCOLS) {
      describe(`RESP${protocol}`, () => {
        const connect = () => createClient({ port: server().port, protocol }).connect();

        it('multi(): MULTI … EXEC with each result through its own transform', async () => {
          await using c = await connect();
          const k = `t:multi:${protocol}`;
          const [ok, v, n, h, all, raw] = await c
            .multi()
            .set(k, '1')
            .get(k)
            .incr(`${k}:n`)
            .hset(`${k}:h`, { a: '1', b: '2' })
            .hgetall(`${k}:h`)
            .call('OBJECT', 'ENCODING', k)
            .exec();
          assert.equal(ok, 'OK');
          assert.equal(v, '1');
          assert.equal(n, 1);
          assert.equal(h, 2);
          assert.deepEqual(all, { a: '1', b: '2' });
          assert.equal(raw, 'int');
          const [buf] = await c.withBuffers().multi().get(k).exec();
          assert.ok(Buffer.isBuffer(buf));
          assert.deepEqual(await c.multi().exec(), []);
        });

        it('multi(): a command failing inside EXEC is an error in its place, the rest applied', async () => {
          await using c = await connect();
          const k = `t:inexec:${protocol}`;
          await c.set(k, 'text');
          const settled = await c.multi().incr(`${k}:n`).incr(k).incr(`${k}:n`).exec({ throwOnError: false });
          assert.equal(settled[0], 1);
          assert.ok(settled[1] instanceof ResponseError && /not an integer/.test(settled[1].message));
          assert.equal(settled[2], 2);
          await assert.rejects(c.multi().incr(`${k}:n`).incr(k).exec(), (e: unknown) => {
            assert.ok(e instanceof ResponseError);
            assert.match(e.message, /^Command # 2 \(INCR\) of transaction caused error: ERR value is not an integer/);
            assert.equal(e.position, 1);
            return true;
          });
          // It ran: the first INCR happened.
          assert.equal(await c.get(`${k}:n`), '3');
        });

        it('multi(): a command refused while queueing aborts it all with ExecAbortError listing why', async () => {
          await using c = await connect();
          const k = `t:abort:${protocol}`;
          await assert.rejects(c.multi().set(k, '1').call('SET', k).call('NOSUCHCOMMAND').exec(), (e: unknown) => {
            assert.ok(e instanceof ExecAbortError);
            assert.equal(e.errors?.length, 2);
            assert.equal(e.errors![0]!.position, 1);
            assert.match(e.errors![0]!.message, /^Command # 2 \(SET\) of transaction caused error: ERR wrong number of arguments/);
            assert.equal(e.errors![1]!.position, 2);
            return true;
          });
          assert.equal(await c.get(k), null);
          // The shared connection is fine afterwards.
          assert.equal(await c.ping(), 'PONG');
        });

        it('multi(): nothing of other callers lands inside the transaction', async () => {
          await using c = await connect();
          const k = `t:interleave:${protocol}`;
          // Other commands issued in the same turn, before and after exec().
          const before = c.set(`${k}:other`, 'x');
          const tx = c.multi().incr(k).incr(k).exec();
          const after = c.get(k);
          const others = Array.from({ length: 50 }, () => c.incr(`${k}:other2`));
          assert.deepEqual(await tx, [1, 2]);
          assert.equal(await before, 'OK');
          assert.equal(await after, '2');
          assert.equal((await Promise.all(others)).at(-1), 50);
        });

        it('multi(): discard() drops the queue; a transaction runs at most once', async () => {
          await using c = await connect();
          const m = c.multi().set(`t:discard:${protocol}`, '1');
          m.discard();
          await assert.rejects(m.exec(), DataError);
          assert.equal(await c.get(`t:discard:${protocol}`), null);
          const once = c.multi().ping();
          assert.deepEqual(await once.exec(), ['PONG']);
          await assert.rejects(once.exec(), DataError);
          assert.throws(() => c.multi().incr(7 as unknown as string), DataError);
        });

        it('multi(): scripts run after SCRIPT FLUSH', async () => {
          await using c = await connect();
          const script = c.registerScript("return redis.call('INCRBY', KEYS[1], ARGV[1])");
          await c.call('SCRIPT', 'FLUSH');
          const [a, b] = await c.multi().evalScript(script, [`t:script:${protocol}`], [2]).evalScript(script, [`t:script:${protocol}`], [3]).exec();
          assert.equal(a, 2);
          assert.equal(b, 5);
        });

        it('transaction(): two clients racing on a watched key end where serial execution would', async () => {
          await using a = await connect();
          await using b = await connect();
          const k = `t:race:${protocol}`;
          await a.del(k);
          let attempts = 0;
          const increment = (c: RedisClient) =>
            c.transaction(
              async (tx) => {
                attempts++;
                const v = Number((await tx.get(k)) ?? '0');
                return tx.multi().set(k, String(v + 1));
              },
              { watch: [k], maxAttempts: 1000 },
            );
          const run = async (c: RedisClient) => {
            for (let i = 0; i < 500; i++) assert.deepEqual(await increment(c), ['OK']);
          };
          await Promise.all([run(a), run(b)]);
          assert.equal(await a.get(k), '1000');
          assert.ok(attempts >= 1000);
          console.log(`# race on ${kind} RESP${protocol}: ${attempts - 1000} retries for 1000 increments`);
        });

        it('transaction(): a watched key changed by another client makes it run again', async () => {
          await using c = await connect();
          await using other = await connect();
          const k = `t:retry:${protocol}`;
          await c.set(k, '10');
          let calls = 0;
          const result = await c.transaction(
            async (tx) => {
              calls++;
              const v = Number(await tx.get(k));
              if (calls === 1) await other.set(k, '100');
              return tx.multi().set(k, String(v * 2)).get(k);
            },
            { watch: [k] },
          );
          assert.equal(calls, 2);
          assert.deepEqual(result, ['OK', '200']);
        });

        it('transaction(): gives up with WatchError after maxAttempts', async () => {
          await using c = await connect();
          await using other = await connect();
          const k = `t:giveup:${protocol}`;
          let calls = 0;
          await assert.rejects(
            c.transaction(
              async (tx) => {
                calls++;
                await other.incr(k);
                return tx.multi().set(k, 'mine');
              },
              { watch: [k], maxAttempts: 3 },
            ),
            (e: unknown) => e instanceof WatchError && /3 attempts/.test(e.message),
          );
          assert.equal(calls, 3);
          assert.equal(await c.get(k), '3');
        });

        it('transaction(): a connection broken while watching never ends in a silent success', async () => {
          await using c = await connect();
          await using killer = await connect();
          const k = `t:broken:${protocol}`;
          await c.set(k, '1');
          let calls = 0;
          const result = await c.transaction(
            async (tx) => {
              calls++;
              const v = Number(await tx.get(k));
              if (calls === 1) {
                // Someone writes while the watch is lost with the connection.
                await killer.call('CLIENT', 'KILL', 'ID', await tx.clientId());
                await killer.set(k, '50');
                await tx.ping().catch(() => {});
              }
              return tx.multi().set(k, String(v + 1));
            },
            { watch: [k] },
          );
          assert.equal(calls, 2);
          assert.deepEqual(result, ['OK']);
          assert.equal(await c.get(k), '51');

          // Broken for good (the next connection too): a WatchError, never a success.
          let kills = 0;
          await assert.rejects(
            c.transaction(
              async (tx) => {
                kills++;
                await killer.call('CLIENT', 'KILL', 'ID', await tx.clientId());
                await tx.ping().catch(() => {});
                return tx.multi().set(k, 'never');
              },
              { watch: [k], maxAttempts: 2 },
            ),
            (e: unknown) => e instanceof WatchError,
          );
          assert.equal(kills, 2);
          assert.equal(await c.get(k), '51');
        });

        it('transaction(): the callback decides what it resolves, and its errors pass through', async () => {
          await using c = await connect();
          const k = `t:value:${protocol}`;
          await c.set(k, '7');
          assert.equal(await c.transaction(async (tx) => Number(await tx.get(k)) * 6, { watch: [k] }), 42);
          const ran = await c.transaction(async (tx) => {
            const [r] = await tx.multi().incr(k).exec();
            return `now ${r}`;
          }, { watch: [k] });
          assert.equal(ran, 'now 8');
          await assert.rejects(
            c.transaction(async () => {
              throw new Error('boom');
            }, { watch: [k] }),
            /boom/,
          );
          await assert.rejects(
            c.transaction(async (tx) => {
              tx.multi().set(k, 'lost');
              return 1;
            }, { watch: [k] }),
            DataError,
          );
          await assert.rejects(c.transaction(async (tx) => tx.call('MULTI'), { watch: [k] }), DataError);
          await assert.rejects(c.transaction(async (tx) => {
            tx.multi();
            return tx.multi();
          }), DataError);
          assert.equal(await c.get(k), '8');
        });

        it('transaction(): tx.watch() adds keys found while reading', async () => {
          await using c = await connect();
          await using other = await connect();
          const k = `t:watchmore:${protocol}`;
          await c.set(`${k}:ptr`, `${k}:target`);
          await c.set(`${k}:target`, '1');
          let calls = 0;
          const r = await c.transaction(async (tx) => {
            calls++;
            const target = (await tx.get(`${k}:ptr`))!;
            await tx.watch(target);
            const v = Number(await tx.get(target));
            if (calls === 1) await other.set(target, '10');
            return tx.multi().set(target, String(v + 1));
          }, { watch: [`${k}:ptr`] });
          assert.deepEqual(r, ['OK']);
          assert.equal(calls, 2);
          assert.equal(await c.get(`${k}:target`), '11');
        });

        it('transaction(): refuses bad options before leasing anything', async () => {
          await using c = await connect();
          await assert.rejects(c.transaction(async () => 1, { watch: [1 as unknown as string] }), DataError);
          await assert.rejects(c.transaction(async () => 1, { maxAttempts: 0 }), DataError);
          await assert.rejects(c.transaction('nope' as unknown as () => number), DataError);
          assert.ok(ConnectionError);
        });
      });
    }
  });
}
