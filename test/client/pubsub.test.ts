import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import {
  ClientClosedError,
  DataError,
  NoPermissionError,
  PubSubError,
  createClient,
  parseKeyspaceNotification,
  type PubSub,
  type PubSubMessage,
} from '../../src/index.js';
import { SERVER_KINDS, startProxy, useServer } from '../servers/index.js';

const PROTOCOLS = [2, 3] as const;

/** The next `n` messages of a subscriber, through its async iterator. */
async function take<M>(sub: AsyncIterable<M>, n: number): Promise<M[]> {
  const out: M[] = [];
  if (n === 0) return out;
  for await (const m of sub) {
    out.push(m);
    if (out.length === n) break;
  }
  return out;
}

for (const kind of SERVER_KINDS) {
  describe(`pub/sub on ${kind}`, () => {
    const server = useServer({
      kind,
      aclUsers: [{ name: 'limited', password: 'limited-pw', rules: '~* resetchannels &allowed:* +@all' }],
    });

    for (const protocol of PROTOCOLS) {
      describe(`RESP${protocol}`, () => {
        const connect = () => createClient({ port: server().port, protocol }).connect();

        it('delivers channel, pattern and shard messages once the server confirmed the subscription', async () => {
          await using pub = await connect();
          await using sub = pub.pubsub();
          const heard: PubSubMessage[] = [];
          sub.on('message', (m) => heard.push(m));
          const stream = sub[Symbol.asyncIterator]();
          await Promise.all([sub.subscribe('ch:a', 'ch:b'), sub.psubscribe('pat:*'), sub.ssubscribe('shard:1')]);
          assert.deepEqual(sub.channels.sort(), ['ch:a', 'ch:b']);
          assert.deepEqual(sub.patterns, ['pat:*']);
          assert.deepEqual(sub.shardChannels, ['shard:1']);
          assert.equal(await pub.publish('ch:a', 'one'), 1);
          assert.equal(await pub.publish('pat:x', 'two'), 1);
          assert.equal(await pub.spublish('shard:1', 'three'), 1);
          const got = [await stream.next(), await stream.next(), await stream.next()].map((r) => r.value);
          const expected = [
            { type: 'message', channel: 'ch:a', pattern: null, data: 'one' },
            { type: 'pmessage', channel: 'pat:x', pattern: 'pat:*', data: 'two' },
            { type: 'smessage', channel: 'shard:1', pattern: null, data: 'three' },
          ];
          assert.deepEqual(got, expected);
          assert.deepEqual(heard, expected);
          await sub.ping();

          await sub.unsubscribe('ch:a');
          assert.deepEqual(sub.channels, ['ch:b']);
          assert.equal(await pub.publish('ch:a', 'nobody'), 0);
          await Promise.all([sub.unsubscribe(), sub.punsubscribe(), sub.sunsubscribe()]);
          assert.deepEqual([sub.channels, sub.patterns, sub.shardChannels], [[], [], []]);
          assert.equal(await pub.publish('ch:b', 'nobody'), 0);
          // Empty again is fine, and it can subscribe anew.
          await sub.unsubscribe();
          await sub.subscribe('ch:c');
          assert.equal(await pub.publish('ch:c', 'back'), 1);
          assert.equal((await stream.next()).value?.data, 'back');
          await stream.return!();
        });

        it('passes 100,000 messages in order, none lost, and subscribes again by itself after CLIENT KILL', async () => {
          // 100,000 PUBLISHes issued at once: on a busy 2-core machine the last ones can wait longer
          // than the default 5 s reply limit. This test is about order and loss, not latency.
          await using pub = await createClient({ port: server().port, protocol, commandTimeout: 60_000 }).connect();
          await using admin = await connect();
          await using sub = pub.pubsub();
          const ch = `flood:${protocol}`;
          await sub.subscribe(ch);
          const N = 100_000;
          const received = (async () => {
            let next = 0;
            for await (const m of sub) {
              assert.equal(m.data, String(next), `message ${next} out of order`);
              if (++next === N) break;
            }
            return next;
          })();
          const publishes: Array<Promise<number>> = [];
          for (let i = 0; i < N; i++) publishes.push(pub.publish(ch, String(i)));
          await Promise.all(publishes);
          assert.equal(await received, N);

          const resubscribed = once(sub, 'resubscribed');
          const disconnected = once(sub, 'disconnected');
          assert.ok(Number(await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub')) >= 1);
          await disconnected;
          await resubscribed;
          const after = take(sub, 3);
          for (const m of ['a', 'b', 'c']) assert.equal(await pub.publish(ch, m), 1);
          assert.deepEqual((await after).map((m) => m.data), ['a', 'b', 'c']);
        });

        it('a subscribe issued while reconnecting resolves after the resubscription', async () => {
          await using pub = await connect();
          await using admin = await connect();
          await using sub = pub.pubsub();
          await sub.subscribe('re:1');
          const disconnected = once(sub, 'disconnected');
          await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
          await disconnected;
          await sub.subscribe('re:2');
          assert.equal(await pub.publish('re:1', 'x'), 1);
          assert.equal(await pub.publish('re:2', 'y'), 1);
        });

        it('keeps binary payloads intact in a withBuffers() subscriber', async () => {
          await using pub = await connect();
          await using sub = pub.withBuffers().pubsub();
          const payload = Buffer.from([0, 255, 254, 10, 13, 0x80]);
          await sub.subscribe(Buffer.from('bin:ch'));
          const next = take(sub, 1);
          await pub.publish('bin:ch', payload);
          const [m] = await next;
          assert.ok(Buffer.isBuffer(m!.data) && Buffer.isBuffer(m!.channel));
          assert.deepEqual(m!.data, payload);
          assert.equal(m!.channel.toString(), 'bin:ch');
        });

        it('yields the confirmations too with ignoreSubscribeMessages: false', async () => {
          await using pub = await connect();
          await using sub = pub.pubsub({ ignoreSubscribeMessages: false });
          const stream = sub[Symbol.asyncIterator]();
          await sub.subscribe('conf:a', 'conf:b');
          await pub.publish('conf:a', 'm');
          await sub.unsubscribe('conf:a');
          const got = await Promise.all([stream.next(), stream.next(), stream.next(), stream.next()]);
          assert.deepEqual(
            got.map((r) => r.value),
            [
              { type: 'subscribe', channel: 'conf:a', count: 1 },
              { type: 'subscribe', channel: 'conf:b', count: 2 },
              { type: 'message', channel: 'conf:a', pattern: null, data: 'm' },
              { type: 'unsubscribe', channel: 'conf:a', count: 1 },
            ],
          );
          await stream.return!();
        });

        it('a refused subscription rejects, is forgotten, and the subscriber goes on', async () => {
          await using pub = await connect();
          await using limited = await createClient({ port: server().port, protocol, username: 'limited', password: 'limited-pw' }).connect();
          await using sub = limited.pubsub();
          await sub.subscribe('allowed:1');
          await assert.rejects(sub.subscribe('forbidden'), NoPermissionError);
          assert.deepEqual(sub.channels, ['allowed:1']);
          const next = take(sub, 1);
          assert.equal(await pub.publish('allowed:1', 'ok'), 1);
          assert.equal((await next)[0]!.data, 'ok');
          await sub.ping();
        });

        it('finds a connection that went silent with its health-check PING, and resubscribes', async () => {
          await using proxy = { ...(await startProxy(server().port)), async [Symbol.asyncDispose]() { await this.close(); } };
          await using pub = await connect();
          await using c = await createClient({ port: proxy.port, protocol }).connect();
          await using sub = c.pubsub({ healthCheckInterval: 100 });
          await sub.subscribe('hc:1');
          const disconnected = once(sub, 'disconnected');
          proxy.pause();
          await disconnected;
          const resubscribed = once(sub, 'resubscribed');
          proxy.resume();
          await resubscribed;
          const next = take(sub, 1);
          assert.equal(await pub.publish('hc:1', 'alive'), 1);
          assert.equal((await next)[0]!.data, 'alive');
        });

        it('ends iterators on close, refuses use after it, and checks arguments', async () => {
          await using c = await connect();
          const sub: PubSub = c.pubsub();
          await assert.rejects(sub.subscribe(), DataError);
          await assert.rejects(sub.subscribe(5 as unknown as string), DataError);
          await sub.subscribe('end:1');
          const all = (async () => {
            const out: unknown[] = [];
            for await (const m of sub) out.push(m);
            return out;
          })();
          const ended = once(sub, 'end');
          await sub.close();
          await ended;
          assert.deepEqual(await all, []);
          await assert.rejects(sub.subscribe('end:2'), ClientClosedError);
          assert.equal((await sub[Symbol.asyncIterator]().next()).done, true);
          assert.throws(() => c.pubsub({ maxBuffered: 0 }), DataError);
        });

        it('stops an iterator that falls too far behind, loudly', async () => {
          await using pub = await connect();
          await using sub = pub.pubsub({ maxBuffered: 10 });
          await sub.subscribe('slow:1');
          const stream = sub[Symbol.asyncIterator]();
          const heard = new Promise<void>((resolve) => {
            let n = 0;
            sub.on('message', () => {
              if (++n === 20) resolve();
            });
          });
          for (let i = 0; i < 20; i++) void pub.publish('slow:1', String(i));
          await heard;
          for (let i = 0; i < 10; i++) assert.equal((await stream.next()).value?.data, String(i));
          await assert.rejects(stream.next(), PubSubError);
          assert.equal((await stream.next()).done, true);
        });

        it('keyspaceEvents(): parsed notifications for matching keys', async () => {
          await using c = await connect();
          await using events = await c.keyspaceEvents(`ks${protocol}:*`, { notify: 'KA' });
          const next = take(events, 3);
          await c.set(`ks${protocol}:a`, '1');
          await c.set(`other${protocol}:a`, '1');
          await c.incr(`ks${protocol}:n`);
          await c.del(`ks${protocol}:a`);
          assert.deepEqual(await next, [
            { db: 0, key: `ks${protocol}:a`, event: 'set' },
            { db: 0, key: `ks${protocol}:n`, event: 'incrby' },
            { db: 0, key: `ks${protocol}:a`, event: 'del' },
          ]);
          assert.deepEqual(parseKeyspaceNotification({ channel: '__keyevent@3__:expired', data: 'k' }), { db: 3, key: 'k', event: 'expired' });
          assert.equal(parseKeyspaceNotification({ channel: 'plain', data: 'x' }), null);
          await c.call('CONFIG', 'SET', 'notify-keyspace-events', '');
        });

        it('keyspaceEvents(): events before the loop starts are kept', async () => {
          await using c = await connect();
          await using events = await c.keyspaceEvents(`early${protocol}:*`, { notify: 'KA' });
          await c.set(`early${protocol}:a`, '1');
          // A round trip on the same server: the notification has been published by now.
          await c.ping();
          assert.deepEqual(await take(events, 1), [{ db: 0, key: `early${protocol}:a`, event: 'set' }]);
          await c.call('CONFIG', 'SET', 'notify-keyspace-events', '');
        });
      });
    }
  });
}
