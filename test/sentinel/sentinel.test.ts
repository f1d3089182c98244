/**
 * The sentinel client against real sentinel groups (a primary, two replicas, three sentinels, quorum
 * 2) of Redis 7.0 and Valkey 8.0. Faults are real: SENTINEL FAILOVER under load, kill -9 of the
 * primary, sentinels killed. One group per server kind, shared by the tests in order: each test
 * leaves the group settled for the next.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  ConnectionError,
  PrimaryNotFoundError,
  RedisError,
  Sentinel,
  createClient,
  createSentinel,
  type RedisClient,
  type SentinelClient,
  type ServerAddress,
  type SwitchEvent,
} from '../../src/index.js';
import { SERVER_KINDS } from '../servers/index.js';
import { startSentinelGroup, type SentinelGroup } from '../servers/sentinel.js';

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function roleAt(port: number): Promise<string> {
  const c = createClient({ port, reconnect: false, clientInfo: false });
  try {
    return (await c.role()).role;
  } finally {
    c.disconnect();
  }
}

/** A raw subscriber to one sentinel's +switch-master, as a witness independent of the client. */
async function witnessSwitch(port: number): Promise<{ at: Promise<number>; close: () => Promise<void> }> {
  const c = createClient({ port });
  const sub = c.pubsub();
  const at = new Promise<number>((resolve) => sub.on('message', () => resolve(Date.now())));
  await sub.subscribe('+switch-master');
  return {
    at,
    close: async () => {
      await sub.close();
      c.disconnect();
    },
  };
}

interface Load {
  acked: number;
  errors: unknown[];
  /** When each worker's first INCR after `mark` succeeded. */
  firstOkAfter(mark: number): number | null;
  stop(): Promise<void>;
}

/** `workers` loops of INCR on `key`, counting acknowledged replies and keeping every error. */
function incrLoad(c: RedisClient, key: string, workers = 8): Load {
  let stopped = false;
  const oks: number[] = [];
  const load: Load = {
    acked: 0,
    errors: [],
    firstOkAfter: (mark) => oks.find((t) => t >= mark) ?? null,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
    },
  };
  const loops = Array.from({ length: workers }, async () => {
    while (!stopped) {
      try {
        await c.incr(key);
        load.acked++;
        // Sampled: enough to find the first success after a moment without a timestamp per reply.
        if (load.acked % 16 === 0 || oks.length === 0 || Date.now() - oks[oks.length - 1]! > 5) oks.push(Date.now());
      } catch (e) {
        load.errors.push(e);
      }
    }
  });
  return load;
}

for (const kind of SERVER_KINDS) {
  describe(`sentinel client on ${kind}`, () => {
    let group: SentinelGroup;
    let failed = false;
    const opened: Array<{ close(): Promise<void> }> = [];
    const track = <T extends { close(): Promise<void> }>(c: T): T => {
      opened.push(c);
      return c;
    };
    const sentinels = (): ServerAddress[] => group.sentinelAddresses.map((a) => ({ ...a }));

    before(async () => {
      group = await startSentinelGroup({ kind });
    });
    afterEach(async (t) => {
      if ('passed' in t && (t as { passed?: boolean }).passed === false) failed = true;
      await Promise.all(opened.splice(0).map((c) => c.close().catch(() => {})));
    });
    after(async () => {
      if (failed) process.stderr.write(`\n----- ${kind} sentinel group logs -----\n${group.logs()}\n`);
      await group.stop();
    });

    it('talks to the server whose ROLE is master, and the replica client to replicas, round-robin', async () => {
      const primary = track(createSentinel({ sentinels: sentinels(), name: 'mymaster' }));
      await primary.set('roles:k', 'v');
      assert.equal((await primary.role()).role, 'master');
      assert.equal(primary.address?.port, (await group.primary()).port);

      const replica = track(createSentinel({ sentinels: sentinels(), name: 'mymaster', role: 'replica', connections: 2 }));
      assert.equal((await replica.role()).role, 'replica');
      const replicaPorts = new Set((await group.replicas()).map((s) => s.port));
      assert.ok(replicaPorts.has(replica.address!.port));
      await until('the write to reach the replica', async () => (await replica.get('roles:k')) === 'v');
      // Two multiplexed connections, two replicas: one each.
      const infos = await Promise.all(Array.from({ length: 16 }, () => replica.info('server')));
      const ports = new Set(infos.map((i) => Number(i['server']!['tcp_port'])));
      assert.deepEqual([...ports].sort(), [...replicaPorts].sort());

      // The redis-py shape, with its aliases.
      const s = new Sentinel(sentinels());
      try {
        assert.equal((await s.discoverPrimary('mymaster')).port, primary.address!.port);
        assert.deepEqual((await s.discoverReplicas('mymaster')).map((a) => a.port).sort(), [...replicaPorts].sort());
        const m = s.masterFor('mymaster');
        const sl = s.slaveFor('mymaster');
        assert.equal((await m.role()).role, 'master');
        assert.equal((await sl.role()).role, 'replica');
        await assert.rejects(s.discoverPrimary('nosuch'), (e: unknown) => e instanceof PrimaryNotFoundError && /"nosuch"/.test((e as Error).message) && /No such master/i.test((e as Error).message));
      } finally {
        await s.close();
      }
    });

    it('is a full client: pipelines, transactions, scripts, blocking commands, pub/sub', async () => {
      const c = track(createSentinel({ sentinels: sentinels(), name: 'mymaster' }));
      assert.deepEqual(await c.pipeline().set('full:a', '1').incr('full:a').exec(), ['OK', 2]);
      assert.deepEqual(await c.multi().incr('full:a').get('full:a').exec(), [3, '3']);
      const r = await c.transaction(async (tx) => {
        const v = Number(await tx.get('full:a'));
        return tx.multi().set('full:a', String(v * 10));
      }, { watch: ['full:a'] });
      assert.ok(r !== null);
      assert.equal(await c.get('full:a'), '30');
      assert.equal(await c.eval('return redis.call("GET", KEYS[1])', ['full:a'], []), '30');
      const popped = c.blpop('full:list', 5);
      await c.rpush('full:list', 'x');
      assert.deepEqual(await popped, { key: 'full:list', element: 'x' });
      const sub = track(c.pubsub());
      const got = new Promise<string>((resolve) => sub.on('message', (m) => resolve(m.data)));
      await sub.subscribe('full:ch');
      await c.publish('full:ch', 'hello');
      assert.equal(await got, 'hello');
    });

    it('a sentinel killed: goes on with the others; all down: a ConnectionError naming them; recovers when one is back', async () => {
      const [first, ...rest] = group.sentinels;
      const c = track(createSentinel({ sentinels: sentinels(), name: 'mymaster' }));
      await c.set('sdown:k', '1');
      const down: ServerAddress[] = [];
      c.sentinel.on('sentinelDown', (e) => down.push(e.sentinel));
      await first!.kill();
      try {
        // A new client whose first sentinel is dead finds the primary through the others.
        const other = track(createSentinel({ sentinels: sentinels(), name: 'mymaster' }));
        assert.equal(await other.incr('sdown:k'), 2);
        await until('the client to notice the dead sentinel', () => down.some((a) => a.port === first!.port));
        assert.equal(await c.incr('sdown:k'), 3);

        await Promise.all(rest.map((s) => s.kill()));
        // The primary is still there: the connected client goes on.
        assert.equal(await c.incr('sdown:k'), 4);
        // A client that has to ask cannot: the error names every sentinel.
        const lost = track(createSentinel({ sentinels: sentinels(), name: 'mymaster' }));
        const err = await lost.get('sdown:k').then(
          () => assert.fail('expected a ConnectionError'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof ConnectionError && err instanceof PrimaryNotFoundError, String(err));
        for (const s of group.sentinels) assert.match((err as Error).message, new RegExp(`127\\.0\\.0\\.1:${s.port}`));

        await first!.restart();
        assert.equal(await lost.get('sdown:k'), '4');
      } finally {
        await Promise.all(group.sentinels.map((s) => s.restart()));
        await group.settled();
      }
    });

    it('graceful SENTINEL FAILOVER under load: no error reaches a caller, acknowledged writes kept, on the new primary at once', async (t) => {
      const c = track(createSentinel({ sentinels: sentinels(), name: 'mymaster' }));
      const replica = track(createSentinel({ sentinels: sentinels(), name: 'mymaster', role: 'replica' }));
      c.on('error', () => {});
      replica.on('error', () => {});
      await c.del('graceful:n');
      const sub = track(c.pubsub());
      const messages: string[] = [];
      sub.on('message', (m) => messages.push(m.data));
      await sub.subscribe('graceful:ch');
      await replica.get('graceful:n');
      const switches: SwitchEvent[] = [];
      c.sentinel.on('switch', (e) => switches.push(e));
      const readyAt: Array<[number, number]> = [];
      c.on('ready', () => readyAt.push([Date.now(), c.address!.port]));
      const witness = await witnessSwitch(group.sentinels[1]!.port);
      try {
        const load = incrLoad(c, 'graceful:n');
        await until('some load', () => load.acked > 200);
        const blocked = c.blpop('graceful:list', 0).then(
          (v) => v,
          (e: unknown) => e,
        );
        const oldPort = await group.failover();
        const announced = await witness.at;
        const newPrimary = await group.primary().then(async () => {
          await until('a switch event', () => switches.length > 0);
          return switches[0]!.to;
        });
        assert.notEqual(newPrimary.port, oldPort);
        await until('the client to be on the new primary', () => c.address?.port === newPrimary.port && c.status === 'ready', 5_000);
        // Negative: it was there before the sentinels announced the switch (it moves at the promotion).
        const onNew = readyAt.find(([, port]) => port === newPrimary.port)![0];
        const acked = load.acked;
        await until('writes on the new primary', () => load.acked > acked + 100, 5_000);
        await load.stop();

        assert.deepEqual(load.errors, [], 'no error reaches a caller');
        assert.equal(await roleAt(newPrimary.port), 'master');
        const final = Number(await group.server(newPrimary.port).cli('GET', 'graceful:n'));
        const lost = load.acked - final;
        t.diagnostic(`${kind}: ${load.acked} INCRs acknowledged, new primary has ${final}: ${lost} lost; client ready on the new primary ${onNew - announced} ms after +switch-master (moved on ${switches[0]!.reason})`);
        // The client stops writing to the old primary when the failover's leader is elected, ticks
        // before the promotion: none is lost unless this machine is so loaded that the event comes
        // late, and then at most the INCRs in flight (one per worker). ioredis loses thousands here.
        assert.ok(lost >= 0 && lost <= 8, `${lost} acknowledged INCRs missing on the new primary`);
        assert.ok(onNew - announced <= 1_000, `on the new primary ${onNew - announced} ms after +switch-master`);

        // A blocking command waiting on the old primary does not wait there forever: it is told.
        const b = await blocked;
        assert.ok(b instanceof ConnectionError, `BLPOP settled with ${String(b)}`);
        // The subscriber is subscribed on the new primary, by itself.
        await until('the subscriber to receive on the new primary', async () => {
          await c.publish('graceful:ch', 'after');
          return messages.includes('after');
        }, 10_000);
        // The replica client is on a replica of the new primary.
        await until('the replica client to read from a replica', async () => (await replica.role()).role === 'replica', 10_000);
        assert.notEqual(replica.address!.port, newPrimary.port);
        assert.equal(await replica.get('graceful:n').then((v) => v !== null), true);
      } finally {
        await witness.close();
        // The old primary becomes a replica only seconds later; one healthy replica is enough to go on.
        await group.settled(30_000, 1);
      }
    });

    it('kill -9 of the primary under load: every call settles, errors are typed, writes succeed soon after the switch', async (t) => {
      const c = track(createSentinel({ sentinels: sentinels(), name: 'mymaster' }));
      c.on('error', () => {});
      let switchedAt = 0;
      c.sentinel.on('switch', () => (switchedAt ||= Date.now()));
      const load = incrLoad(c, 'kill:n');
      await until('some load', () => load.acked > 200);
      await group.settled(30_000, 1);
      const victim = await group.primary();
      const killedAt = Date.now();
      await victim.kill();
      try {
        await until('the switch', () => switchedAt > 0, 20_000);
        await until('a write after the switch', () => load.firstOkAfter(switchedAt) !== null, 5_000);
        const servedAfter = load.firstOkAfter(switchedAt)! - switchedAt;
        await load.stop();
        t.diagnostic(`${kind}: switch ${switchedAt - killedAt} ms after kill -9; first write on the new primary ${servedAfter} ms after the switch; ${load.errors.length} calls failed`);
        assert.ok(servedAfter <= 1_000, `first write ${servedAfter} ms after the switch`);
        for (const e of load.errors) assert.ok(e instanceof RedisError && e instanceof ConnectionError, `untyped or unexpected error: ${String(e)}`);
        assert.equal((await c.role()).role, 'master');
        assert.notEqual(c.address!.port, victim.port);
      } finally {
        // The victim stays down: the tests after this one do not need it.
      }
    });

    it('a replica killed: the replica client reads from another server', async () => {
      await group.settled(30_000, 1);
      const r = track(createSentinel({ sentinels: sentinels(), name: 'mymaster', role: 'replica' }));
      r.on('error', () => {});
      const primary = track(createSentinel({ sentinels: sentinels(), name: 'mymaster' }));
      await primary.set('rdown:k', 'v');
      await until('a replica to have the key', async () => (await r.get('rdown:k')) === 'v');
      // Right after the failovers above it may have fallen back to the primary, until a replica was healthy.
      await until('the replica client to be on a replica', async () => (await r.role()).role === 'replica', 15_000);
      const downs: number[] = [];
      r.sentinel.on('replicaDown', (e) => downs.push(e.replica.port));
      const victim = group.server(r.address!.port);
      await victim.kill();
      await until('the sentinels to call the replica down', () => downs.includes(victim.port), 10_000);
      await until('a read from another server', async () => (await r.get('rdown:k').catch(() => null)) === 'v', 10_000);
      assert.notEqual(r.address!.port, victim.port);
    });
  });
}
