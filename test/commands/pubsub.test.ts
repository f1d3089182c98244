import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, type Socket } from 'node:net';
import { commandKeys, DataError } from '../../src/index.js';
import { COMMANDS, EXCLUDED, IMPLEMENTED } from '../../src/commands/registry.js';
import { Flag } from '../../src/commands/command.js';
import { pubSubMethods } from '../../src/commands/pubsub.js';
import { commandSuite } from './helpers.js';

/**
 * A subscriber on a bare socket: the client's own subscriber object is another issue, and the point
 * here is only to have someone listening. Resolves once the server confirmed every subscription.
 */
interface RawSubscriber {
  socket: Socket;
  text(): string;
  /** Resolves once `needle` has arrived on the socket. */
  waitFor(needle: string): Promise<void>;
}

async function rawSubscriber(port: number, command: string, channels: string[]): Promise<RawSubscriber> {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  const confirmations = command.toLowerCase();
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const seen = received.split(`$${confirmations.length}\r\n${confirmations}\r\n`).length - 1;
      if (seen >= channels.length) resolve();
    });
    const argv = [command, ...channels];
    socket.write(`*${argv.length}\r\n${argv.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
  const waitFor = (needle: string) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!received.includes(needle)) return;
        socket.off('data', check);
        resolve();
      };
      socket.on('data', check);
      check();
    });
  return { socket, text: () => received, waitFor };
}

commandSuite('pub/sub commands', (t) => {
  const sockets: Socket[] = [];
  let subscriber: RawSubscriber;
  let shardSubscriber: RawSubscriber;

  before(async () => {
    const port = t.server().port;
    const sub = await rawSubscriber(port, 'SUBSCRIBE', ['news', 'sport']);
    const psub = await rawSubscriber(port, 'PSUBSCRIBE', ['n*']);
    const ssub = await rawSubscriber(port, 'SSUBSCRIBE', ['shard']);
    sockets.push(sub.socket, psub.socket, ssub.socket);
    subscriber = sub;
    shardSubscriber = ssub;
  });
  after(() => {
    for (const s of sockets) s.destroy();
  });

  it('publish and spublish resolve how many subscribers got the message', async () => {
    const r = await t.both(async (c, protocol) => ({
      // 'news' has a channel subscriber and a pattern subscriber (n*).
      news: await c.publish('news', `hello ${protocol}`),
      sport: await c.publish('sport', 7),
      nobody: await c.publish('weather', Buffer.from('rain')),
      shard: await c.spublish('shard', `sharded ${protocol}`),
      shardNobody: await c.spublish('other-shard', 'x'),
    }));
    assert.deepEqual(r, { news: 2, sport: 1, nobody: 0, shard: 1, shardNobody: 0 });
    // The messages travel on the subscribers' own connections and may land after our replies.
    await subscriber.waitFor('hello 3');
    await shardSubscriber.waitFor('sharded 3');
    assert.match(subscriber.text(), /hello 2[\s\S]*hello 3/);
    assert.match(shardSubscriber.text(), /sharded 2[\s\S]*sharded 3/);
  });

  it('pubsubChannels, pubsubNumsub and pubsubNumpat describe the subscriptions', async () => {
    const r = await t.both(async (c) => ({
      channels: (await c.pubsubChannels()).sort(),
      matching: await c.pubsubChannels('s*'),
      none: await c.pubsubChannels('zzz*'),
      numsub: await c.pubsubNumsub('news', 'sport', 'weather'),
      numsubNone: await c.pubsubNumsub(),
      numpat: await c.pubsubNumpat(),
    }));
    assert.deepEqual(r.channels, ['news', 'sport']);
    assert.deepEqual(r.matching, ['sport']);
    assert.deepEqual(r.none, []);
    assert.deepEqual(r.numsub, { news: 1, sport: 1, weather: 0 });
    assert.deepEqual(r.numsubNone, {});
    assert.equal(r.numpat, 1);
  });

  it('pubsubShardchannels and pubsubShardnumsub describe the shard subscriptions', async () => {
    const r = await t.both(async (c) => ({
      channels: await c.pubsubShardchannels(),
      matching: await c.pubsubShardchannels(Buffer.from('sh*')),
      none: await c.pubsubShardchannels('x*'),
      numsub: await c.pubsubShardnumsub('shard', 'other'),
    }));
    assert.deepEqual(r, { channels: ['shard'], matching: ['shard'], none: [], numsub: { shard: 1, other: 0 } });
  });

  it('pubsubHelp lists the subcommands', async () => {
    const help = await t.both((c) => c.pubsubHelp());
    assert.ok(help.some((l) => l.includes('NUMSUB')));
  });

  it('channel names come back as Buffers through withBuffers()', async () => {
    const r = await t.both(async (c) => ({
      channels: await c.withBuffers().pubsubChannels('new*'),
      numsub: await c.withBuffers().pubsubNumsub('news'),
    }));
    assert.deepEqual(r, { channels: [Buffer.from('news')], numsub: { news: 1 } });
  });

  it('refuses bad arguments with DataError before sending', async () => {
    const c = t.client(2) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const bad: Array<[string, unknown[], RegExp]> = [
      ['publish', [1, 'm'], /PUBLISH: channel/],
      ['publish', ['ch'], /PUBLISH: message/],
      ['publish', ['ch', { a: 1 }], /PUBLISH: message/],
      ['spublish', [null, 'm'], /SPUBLISH: channel/],
      ['pubsubChannels', [5], /PUBSUB CHANNELS: pattern/],
      ['pubsubNumsub', ['a', 1], /PUBSUB NUMSUB: channel/],
      ['pubsubShardchannels', [[]], /PUBSUB SHARDCHANNELS: pattern/],
      ['pubsubShardnumsub', [undefined], /PUBSUB SHARDNUMSUB: channel/],
    ];
    for (const [name, args, message] of bad) {
      await assert.rejects(c[name]!(...args), (e: unknown) => e instanceof DataError && message.test((e as Error).message), name);
    }
  });
});

describe('pub/sub commands without a server', () => {
  it('build their argv', () => {
    const m = pubSubMethods;
    assert.deepEqual(m.publish.build('ch', 5), ['PUBLISH', 'ch', 5]);
    assert.deepEqual(m.spublish.build(Buffer.from('s'), 'm'), ['SPUBLISH', Buffer.from('s'), 'm']);
    assert.deepEqual(m.pubsubChannels.build(), ['PUBSUB', 'CHANNELS']);
    assert.deepEqual(m.pubsubShardchannels.build('a*'), ['PUBSUB', 'SHARDCHANNELS', 'a*']);
    assert.deepEqual(m.pubsubNumsub.build('a', 'b'), ['PUBSUB', 'NUMSUB', 'a', 'b']);
    assert.deepEqual(m.pubsubShardnumsub.build(), ['PUBSUB', 'SHARDNUMSUB']);
  });

  it('record shard channels as key positions, since they pick the cluster slot', () => {
    // COMMAND GETKEYS lists none (the server flags shard channels not_key), hence not in the samples.
    assert.deepEqual(commandKeys(['SPUBLISH', 'ch', 'msg']), ['ch']);
    assert.deepEqual(commandKeys(['SSUBSCRIBE', 'a', 'b']), ['a', 'b']);
    assert.deepEqual(commandKeys(['SUNSUBSCRIBE', 'a']), ['a']);
    assert.deepEqual(commandKeys(['PUBLISH', 'ch', 'msg']), []);
  });

  it('leave the subscriber commands to the pub/sub object, with a reason, but know them', () => {
    for (const id of ['subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe']) {
      assert.match(EXCLUDED.get(id) ?? '', /subscriber mode/, id);
      assert.ok(!IMPLEMENTED.has(id), id);
      const info = COMMANDS.get(id);
      assert.ok(info !== undefined, id);
      assert.equal(info.flags & (Flag.READONLY | Flag.WRITE | Flag.BLOCKING), 0, id);
      assert.ok(info.flags & Flag.PUBSUB, id);
    }
  });
});
