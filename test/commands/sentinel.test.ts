import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ResponseError, createClient, type RedisClient } from '../../src/index.js';
import { sentinelMethods } from '../../src/commands/sentinel.js';
import { SERVER_KINDS, startServer, type RedisServer } from '../servers/index.js';
import { startSentinel, type RedisSentinel } from '../servers/sentinel.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bad = (v: unknown): any => v;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('sentinel commands: argv', () => {
  const m = sentinelMethods;
  it('builds the SENTINEL subcommands', () => {
    assert.deepEqual(m.sentinelMasters.build(), ['SENTINEL', 'MASTERS']);
    assert.deepEqual(m.sentinelMaster.build('mymaster'), ['SENTINEL', 'MASTER', 'mymaster']);
    assert.deepEqual(m.sentinelMonitor.build('m', '10.0.0.1', 6379, 2), ['SENTINEL', 'MONITOR', 'm', '10.0.0.1', 6379, 2]);
    assert.deepEqual(m.sentinelSet.build('m', { quorum: 2, 'down-after-milliseconds': 5000 }), [
      'SENTINEL', 'SET', 'm', 'quorum', 2, 'down-after-milliseconds', 5000,
    ]);
    assert.deepEqual(m.sentinelConfigGet.build('a', 'b'), ['SENTINEL', 'CONFIG', 'GET', 'a', 'b']);
    assert.deepEqual(m.sentinelConfigSet.build('resolve-hostnames', 'yes'), ['SENTINEL', 'CONFIG', 'SET', 'resolve-hostnames', 'yes']);
    assert.deepEqual(m.sentinelConfigSet.build({ 'announce-port': 0 }), ['SENTINEL', 'CONFIG', 'SET', 'announce-port', 0]);
    assert.deepEqual(m.sentinelDebug.build(), ['SENTINEL', 'DEBUG']);
    assert.deepEqual(m.sentinelDebug.build({ 'info-period': 100 }), ['SENTINEL', 'DEBUG', 'info-period', 100]);
    assert.deepEqual(m.sentinelIsMasterDownByAddr.build('h', 1, 0, '*'), ['SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', 'h', 1, 0, '*']);
    assert.deepEqual(m.sentinelSimulateFailure.build('CRASH-AFTER-ELECTION'), ['SENTINEL', 'SIMULATE-FAILURE', 'CRASH-AFTER-ELECTION']);
    assert.deepEqual(m.sentinelInfoCache.build('a', 'b'), ['SENTINEL', 'INFO-CACHE', 'a', 'b']);
    assert.throws(() => m.sentinelMaster.build(bad(1)), /SENTINEL MASTER: masterName must be a string or Buffer, got number/);
    assert.deepEqual(m.sentinelPrimary.build('p'), ['SENTINEL', 'PRIMARY', 'p']);
    assert.deepEqual(m.sentinelPrimaries.build(), ['SENTINEL', 'PRIMARIES']);
    assert.deepEqual(m.sentinelGetPrimaryAddrByName.build('p'), ['SENTINEL', 'GET-PRIMARY-ADDR-BY-NAME', 'p']);
    assert.deepEqual(m.sentinelIsPrimaryDownByAddr.build('h', 1, 2, 'r'), ['SENTINEL', 'IS-PRIMARY-DOWN-BY-ADDR', 'h', 1, 2, 'r']);
    assert.throws(() => m.sentinelPrimary.build(bad(null)), /SENTINEL PRIMARY: primaryName must be/);
    assert.throws(() => m.sentinelMonitor.build('m', 'h', bad('1'), 1), /SENTINEL MONITOR: port must be an integer/);
    assert.throws(() => m.sentinelSet.build('m', {}), /SENTINEL SET: at least one options entry is required/);
    assert.throws(() => m.sentinelSimulateFailure.build(), /at least one mode is required/);
    assert.throws(() => m.sentinelSimulateFailure.build(bad('CRASH-NOW')), /mode must be one of/);
    assert.throws(() => m.sentinelConfigGet.build(), /SENTINEL CONFIG GET: at least 1 parameter is required/);
  });
});

for (const kind of SERVER_KINDS) {
  describe(`sentinel commands on ${kind}`, () => {
    let primary: RedisServer;
    let replica: RedisServer;
    let other: RedisServer;
    let sentinel: RedisSentinel;
    const clients = new Map<2 | 3, RedisClient>();
    const s = (protocol: 2 | 3) => clients.get(protocol)!;
    /** Runs under both protocols and checks they agree. */
    const both = async <T>(fn: (c: RedisClient) => Promise<T>): Promise<T> => {
      const r2 = await fn(s(2));
      const r3 = await fn(s(3));
      assert.deepEqual(r3, r2, 'RESP3 and RESP2 replies differ');
      return r2;
    };

    before(async () => {
      const fast = ['--repl-diskless-sync-delay', '0'];
      [primary, replica, other] = await Promise.all([
        startServer({ kind, args: fast }),
        startServer({ kind, args: fast }),
        startServer({ kind }),
      ]);
      // The replica is in place before the sentinel starts, so its first INFO of the primary lists it.
      await using r = await createClient({ port: replica.port }).connect();
      await r.replicaof('127.0.0.1', primary.port);
      await until('the replica to sync', async () => {
        const role = await r.role();
        return role.role === 'replica' && role.state === 'connected';
      });
      sentinel = await startSentinel({ kind, primaryPort: primary.port });
      for (const protocol of [2, 3] as const) clients.set(protocol, await createClient({ port: sentinel.port, protocol }).connect());
    });

    after(async () => {
      for (const c of clients.values()) c.disconnect();
      await sentinel?.stop();
      await Promise.all([primary?.stop(), replica?.stop(), other?.stop()]);
    });

    it('ROLE, HELLO, MYID, HELP on a sentinel', async () => {
      await both(async (c) => {
        assert.deepEqual(await c.role(), { role: 'sentinel', masterNames: ['mymaster'] });
        assert.equal((await c.hello()).mode, 'sentinel');
        assert.match(await c.sentinelMyid(), /^[0-9a-f]{40}$/);
        // Valkey 8 documents the PRIMARY names, Redis the MASTER ones.
        assert.ok((await c.sentinelHelp()).some((l) => /^(MASTERS|PRIMARIES)/.test(l)));
        return c.sentinelMyid();
      });
    });

    it('MASTERS, MASTER, GET-MASTER-ADDR-BY-NAME, CKQUORUM', async () => {
      await both(async (c) => {
        const [m] = await c.sentinelMasters();
        assert.equal(m!.name, 'mymaster');
        assert.equal(m!.ip, '127.0.0.1');
        assert.equal(m!.port, primary.port);
        assert.deepEqual(m!.flags, ['master']);
        assert.equal(m!['quorum'], 1);
        assert.equal(typeof m!['down-after-milliseconds'], 'number');
        assert.match(m!.runid, /^[0-9a-f]{40}$/);
        const one = await c.sentinelMaster('mymaster');
        assert.equal(one.port, primary.port);
        await assert.rejects(c.sentinelMaster('nope'), /No such master/);
        assert.deepEqual(await c.sentinelGetMasterAddrByName('mymaster'), { host: '127.0.0.1', port: primary.port });
        assert.equal(await c.sentinelGetMasterAddrByName('nope'), null);
        assert.match(await c.sentinelCkquorum('mymaster'), /^OK 1 usable Sentinels/);
        if (kind === 'valkey') {
          assert.equal((await c.sentinelPrimary('mymaster')).port, primary.port);
          assert.deepEqual((await c.sentinelPrimaries()).map((x) => x.name), ['mymaster']);
          assert.deepEqual(await c.sentinelGetPrimaryAddrByName('mymaster'), { host: '127.0.0.1', port: primary.port });
          assert.deepEqual(await c.sentinelIsPrimaryDownByAddr('127.0.0.1', primary.port, 0, '*'), { down: false, leader: null, leaderEpoch: 0 });
        } else {
          // The PRIMARY names are Valkey 8's.
          await assert.rejects(c.sentinelPrimaries(), ResponseError);
          await assert.rejects(c.sentinelGetPrimaryAddrByName('mymaster'), ResponseError);
        }
        return { name: m!.name, port: m!.port, flags: m!.flags, quorum: m!['quorum'] };
      });
    });

    it('REPLICAS, SLAVES, SENTINELS, INFO-CACHE, IS-MASTER-DOWN-BY-ADDR, PENDING-SCRIPTS', async () => {
      await until('the sentinel to find the replica', async () => {
        const found = await s(3).sentinelReplicas('mymaster');
        return found.length === 1 && found[0]!['master-port'] === primary.port;
      });
      await both(async (c) => {
        const [r] = await c.sentinelReplicas('mymaster');
        assert.equal(r!.port, replica.port);
        assert.ok(r!.flags.includes('slave'));
        assert.equal(r!['master-port'], primary.port);
        assert.equal(r!['master-host'], '127.0.0.1');
        assert.deepEqual((await c.sentinelSlaves('mymaster')).map((x) => x.port), [replica.port]);
        assert.deepEqual(await c.sentinelSentinels('mymaster'), []);
        const cache = await c.sentinelInfoCache('mymaster');
        assert.deepEqual(Object.keys(cache), ['mymaster']);
        const ports = cache['mymaster']!.map((e) => e.info?.['server']?.['tcp_port']).sort();
        assert.deepEqual(ports, [primary.port, replica.port].sort());
        assert.ok(cache['mymaster']!.every((e) => e.ageMs >= 0));
        const down = await c.sentinelIsMasterDownByAddr('127.0.0.1', primary.port, 0, '*');
        assert.deepEqual(down, { down: false, leader: null, leaderEpoch: 0 });
        assert.deepEqual(await c.sentinelPendingScripts(), []);
        return { replica: r!.port, ports };
      });
    });

    it('CONFIG GET/SET, DEBUG, SET, FLUSHCONFIG', async () => {
      await both(async (c) => {
        assert.deepEqual(await c.sentinelConfigGet('resolve-hostnames'), { 'resolve-hostnames': 'no' });
        assert.equal(await c.sentinelConfigSet('resolve-hostnames', 'no'), 'OK');
        assert.equal(await c.sentinelConfigSet({ 'announce-hostnames': 'no' }), 'OK');
        const debug = await c.sentinelDebug();
        assert.equal(typeof debug['INFO-PERIOD'], 'string');
        assert.equal(await c.sentinelDebug({ 'ping-period': 1000 }), 'OK');
        assert.equal(await c.sentinelSet('mymaster', { 'down-after-milliseconds': 20000 }), 'OK');
        assert.equal((await c.sentinelMaster('mymaster'))['down-after-milliseconds'], 20000);
        assert.equal(await c.sentinelFlushconfig(), 'OK');
        return Object.keys(debug).sort();
      });
    });

    it('MONITOR, RESET, REMOVE', async () => {
      await both(async (c) => {
        assert.equal(await c.sentinelMonitor('other', '127.0.0.1', other.port, 1), 'OK');
        assert.deepEqual((await c.sentinelMasters()).map((x) => x.name).sort(), ['mymaster', 'other']);
        assert.equal(await c.sentinelReset('oth*'), 1);
        assert.equal(await c.sentinelReset('no-match-*'), 0);
        assert.equal(await c.sentinelRemove('other'), 'OK');
        await assert.rejects(c.sentinelRemove('other'), ResponseError);
        return (await c.sentinelMasters()).map((x) => x.name);
      });
    });

    it('FAILOVER promotes the replica; SIMULATE-FAILURE is accepted', async () => {
      const c = s(3);
      assert.equal(await c.sentinelFailover('mymaster'), 'OK');
      await until('the failover', async () => (await c.sentinelGetMasterAddrByName('mymaster'))?.port === replica.port);
      assert.deepEqual(await s(2).sentinelGetMasterAddrByName('mymaster'), { host: '127.0.0.1', port: replica.port });
      // Takes effect only in a later failover, which this suite never starts.
      assert.equal(await c.sentinelSimulateFailure('CRASH-AFTER-ELECTION', 'CRASH-AFTER-PROMOTION'), 'OK');
    });
  });
}
