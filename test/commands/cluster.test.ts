import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DataError, ResponseError, createClient, type RedisClient } from '../../src/index.js';
import { clusterMethods, parseClusterNodeLine } from '../../src/commands/cluster.js';
import { startServer, type RedisServer, type ServerKind } from '../servers/index.js';
import { commandSuite } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bad = (v: unknown): any => v;

const CLUSTER_ARGS = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--repl-diskless-sync-delay', '0'];

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const clusterOk = (c: RedisClient) => async () => (await c.clusterInfo())['cluster_state'] === 'ok';

describe('cluster commands: argv', () => {
  const m = clusterMethods;
  it('builds the slot commands', () => {
    assert.deepEqual(m.clusterAddslots.build(1, 2, 3), ['CLUSTER', 'ADDSLOTS', 1, 2, 3]);
    assert.deepEqual(m.clusterDelslots.build(7), ['CLUSTER', 'DELSLOTS', 7]);
    assert.deepEqual(m.clusterAddslotsrange.build([0, 100], [200, 300]), ['CLUSTER', 'ADDSLOTSRANGE', 0, 100, 200, 300]);
    assert.deepEqual(m.clusterDelslotsrange.build([5, 6]), ['CLUSTER', 'DELSLOTSRANGE', 5, 6]);
    assert.throws(() => m.clusterAddslots.build(), /CLUSTER ADDSLOTS: at least one slot is required/);
    assert.throws(() => m.clusterAddslots.build(bad('1')), /CLUSTER ADDSLOTS: slot must be an integer/);
    assert.throws(() => m.clusterAddslotsrange.build(bad(0), bad(100)), /each slot range must be a \[start, end\] pair/);
    assert.throws(() => m.clusterDelslotsrange.build(), /at least one slot range is required/);
    assert.deepEqual(m.clusterCountkeysinslot.build(9), ['CLUSTER', 'COUNTKEYSINSLOT', 9]);
    assert.deepEqual(m.clusterGetkeysinslot.build(9, 10), ['CLUSTER', 'GETKEYSINSLOT', 9, 10]);
    assert.deepEqual(m.clusterKeyslot.build('k'), ['CLUSTER', 'KEYSLOT', 'k']);
    assert.throws(() => m.clusterKeyslot.build(bad(1)), /CLUSTER KEYSLOT: key must be a string or Buffer/);
  });

  it('builds SETSLOT, SLOT-STATS, FAILOVER, RESET, MEET', () => {
    assert.deepEqual(m.clusterSetslot.build(5, 'MIGRATING', 'n1'), ['CLUSTER', 'SETSLOT', 5, 'MIGRATING', 'n1']);
    assert.deepEqual(m.clusterSetslot.build(5, 'NODE', 'n1', { timeout: 100 }), ['CLUSTER', 'SETSLOT', 5, 'NODE', 'n1', 'TIMEOUT', 100]);
    assert.deepEqual(m.clusterSetslot.build(5, 'STABLE'), ['CLUSTER', 'SETSLOT', 5, 'STABLE']);
    assert.deepEqual(m.clusterSetslot.build(5, 'STABLE', { timeout: 10 }), ['CLUSTER', 'SETSLOT', 5, 'STABLE', 'TIMEOUT', 10]);
    assert.throws(() => m.clusterSetslot.build(5, 'IMPORTING'), /CLUSTER SETSLOT: nodeId must be/);
    assert.throws(() => m.clusterSetslot.build(5, bad('MOVE'), 'n'), /subcommand must be one of IMPORTING, MIGRATING, NODE, STABLE/);
    assert.deepEqual(m.clusterSlotStats.build({ slotsrange: [0, 10] }), ['CLUSTER', 'SLOT-STATS', 'SLOTSRANGE', 0, 10]);
    assert.deepEqual(m.clusterSlotStats.build({ orderby: 'key-count', limit: 5, desc: true }), ['CLUSTER', 'SLOT-STATS', 'ORDERBY', 'key-count', 'LIMIT', 5, 'DESC']);
    assert.throws(() => m.clusterSlotStats.build(bad({})), /slotsrange or orderby is required/);
    assert.throws(() => m.clusterSlotStats.build(bad({ orderby: 'x', asc: true, desc: true })), /asc and desc exclude each other/);
    assert.deepEqual(m.clusterFailover.build(), ['CLUSTER', 'FAILOVER']);
    assert.deepEqual(m.clusterFailover.build('TAKEOVER'), ['CLUSTER', 'FAILOVER', 'TAKEOVER']);
    assert.throws(() => m.clusterFailover.build(bad('NOW')), /CLUSTER FAILOVER: mode must be one of FORCE, TAKEOVER/);
    assert.deepEqual(m.clusterReset.build('HARD'), ['CLUSTER', 'RESET', 'HARD']);
    assert.deepEqual(m.clusterMeet.build('10.0.0.1', 7000, 17000), ['CLUSTER', 'MEET', '10.0.0.1', 7000, 17000]);
    assert.throws(() => m.clusterMeet.build('h', bad('7000')), /CLUSTER MEET: port must be an integer/);
    assert.deepEqual(m.clusterSetConfigEpoch.build(3), ['CLUSTER', 'SET-CONFIG-EPOCH', 3]);
  });

  it('builds atomic slot migration: Redis 8.4 CLUSTER MIGRATION, Valkey 9 MIGRATESLOTS', () => {
    assert.deepEqual(m.clusterMigrationImport.build([0, 1000], [2000, 3000]), ['CLUSTER', 'MIGRATION', 'IMPORT', 0, 1000, 2000, 3000]);
    assert.deepEqual(m.clusterMigrationCancel.build({ id: 'abc' }), ['CLUSTER', 'MIGRATION', 'CANCEL', 'ID', 'abc']);
    assert.deepEqual(m.clusterMigrationCancel.build({ all: true }), ['CLUSTER', 'MIGRATION', 'CANCEL', 'ALL']);
    assert.throws(() => m.clusterMigrationCancel.build(bad(undefined)), /give \{ id \} or \{ all: true \}/);
    assert.deepEqual(m.clusterMigrationStatus.build(), ['CLUSTER', 'MIGRATION', 'STATUS']);
    assert.deepEqual(m.clusterMigrationStatus.build({ all: true }), ['CLUSTER', 'MIGRATION', 'STATUS', 'ALL']);
    assert.deepEqual(m.clusterMigrationStatus.build({ id: 't1' }), ['CLUSTER', 'MIGRATION', 'STATUS', 'ID', 't1']);
    assert.deepEqual(
      m.clusterMigrateslots.build({ slotsrange: [[0, 9], [20, 29]], node: 'A' }, { slotsrange: [[10, 19]], node: 'B' }),
      ['CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', 0, 9, 20, 29, 'NODE', 'A', 'SLOTSRANGE', 10, 19, 'NODE', 'B'],
    );
    assert.throws(() => m.clusterMigrateslots.build(), /at least one job is required/);
    assert.throws(() => m.clusterMigrateslots.build(bad({ slotsrange: [[0, 1]] })), /CLUSTER MIGRATESLOTS: node must be/);
    assert.deepEqual(m.clusterGetslotmigrations.build(), ['CLUSTER', 'GETSLOTMIGRATIONS']);
    assert.deepEqual(m.clusterCancelslotmigrations.build(), ['CLUSTER', 'CANCELSLOTMIGRATIONS']);
  });

  it('parses CLUSTER NODES lines: hostnames, single slots, slots moving in and out', () => {
    const line =
      'abc 10.0.0.1:7000@17000,host-a myself,master - 0 1700000000000 3 connected 0-100 105 [106->-def] [107-<-ghi]';
    assert.deepEqual(parseClusterNodeLine(line), {
      id: 'abc',
      address: '10.0.0.1:7000@17000,host-a',
      host: '10.0.0.1',
      port: 7000,
      cport: 17000,
      hostname: 'host-a',
      flags: ['myself', 'master'],
      master: null,
      pingSent: 0,
      pongRecv: 1700000000000,
      configEpoch: 3,
      linkState: 'connected',
      slots: [[0, 100], [105, 105]],
      migrating: [{ slot: 106, node: 'def' }],
      importing: [{ slot: 107, node: 'ghi' }],
    });
    const replica = parseClusterNodeLine('r1 :0@0 slave,fail abc 5 6 3 disconnected');
    assert.deepEqual([replica.host, replica.port, replica.master, replica.linkState, replica.flags], ['', 0, 'abc', 'disconnected', ['slave', 'fail']]);
  });
});

commandSuite(
  'cluster commands',
  (t) => {
    before(async () => {
      const c = t.client(3);
      await c.clusterAddslotsrange([0, 16383]);
      await until('the cluster to come up', clusterOk(c));
    });

    it('CLUSTER INFO, MYID, MYSHARDID, NODES, SLOTS, SHARDS, LINKS, COUNT-FAILURE-REPORTS', async () => {
      await t.both(async (c) => {
        const info = await c.clusterInfo();
        assert.equal(info['cluster_state'], 'ok');
        assert.equal(info['cluster_slots_assigned'], 16384);
        assert.equal(info['cluster_known_nodes'], 1);
        const id = await c.clusterMyid();
        assert.match(id, /^[0-9a-f]{40}$/);
        if (t.kind === 'valkey') assert.match(await c.clusterMyshardid(), /^[0-9a-f]{40}$/);
        else await assert.rejects(c.clusterMyshardid(), ResponseError);
        const [me] = await c.clusterNodes();
        assert.equal(me!.id, id);
        assert.deepEqual(me!.flags, ['myself', 'master']);
        assert.equal(me!.port, t.server().port);
        assert.equal(me!.master, null);
        assert.equal(me!.linkState, 'connected');
        assert.deepEqual(me!.slots, [[0, 16383]]);
        const slots = await c.clusterSlots();
        assert.equal(slots.length, 1);
        assert.deepEqual([slots[0]!.start, slots[0]!.end, slots[0]!.master.port, slots[0]!.master.id, slots[0]!.replicas], [0, 16383, t.server().port, id, []]);
        const shards = await c.clusterShards();
        assert.deepEqual(shards[0]!.slots, [[0, 16383]]);
        assert.equal(shards[0]!.nodes[0]!['id'], id);
        assert.equal(shards[0]!.nodes[0]!['port'], t.server().port);
        assert.equal(shards[0]!.nodes[0]!['role'], 'master');
        assert.deepEqual(await c.clusterLinks(), []);
        assert.equal(await c.clusterCountFailureReports(id), 0);
        await assert.rejects(c.clusterCountFailureReports('no-such-node'), /Unknown node/);
        assert.ok((await c.clusterHelp()).some((l) => /KEYSLOT/.test(l)));
        return { info: info['cluster_state'], me: { ...me, pongRecv: 0, pingSent: 0 }, slots, shards };
      });
      const buffers = t.client(2).withBuffers();
      assert.deepEqual((await buffers.clusterNodes())[0]!.slots, [[0, 16383]]);
      assert.equal(typeof (await buffers.clusterMyid()), 'string');
      assert.deepEqual(await buffers.clusterShards(), await t.client(3).clusterShards());
    });

    it('CLUSTER KEYSLOT, COUNTKEYSINSLOT, GETKEYSINSLOT and SLOT-STATS', async () => {
      await t.both(async (c) => {
        assert.equal(await c.clusterKeyslot('foo'), 12182);
        assert.equal(await c.clusterKeyslot('{foo}.bar'), 12182);
        assert.equal(await c.clusterKeyslot(Buffer.from('foo')), 12182);
        await c.call('SET', 'foo', '1');
        await c.call('SET', '{foo}2', '1');
        assert.equal(await c.clusterCountkeysinslot(12182), 2);
        assert.deepEqual((await c.clusterGetkeysinslot(12182, 10)).sort(), ['foo', '{foo}2']);
        assert.deepEqual(await c.clusterGetkeysinslot(12182, 1).then((k) => k.length), 1);
        assert.ok(Buffer.isBuffer((await c.withBuffers().clusterGetkeysinslot(12182, 1))[0]));
        if (t.kind === 'valkey') {
          const stats = await c.clusterSlotStats({ slotsrange: [12182, 12183] });
          assert.deepEqual(stats.map((s) => [s.slot, s.stats['key-count']]), [[12182, 2], [12183, 0]]);
          const top = await c.clusterSlotStats({ orderby: 'key-count', limit: 1, desc: true });
          assert.deepEqual(top.map((s) => s.slot), [12182]);
          return { stats, top };
        }
        // CLUSTER SLOT-STATS is Valkey 8+ (and Redis 8.2+).
        await assert.rejects(c.clusterSlotStats({ slotsrange: [0, 1] }), ResponseError);
        return null;
      });
    });

    it('CLUSTER DELSLOTS, ADDSLOTS, DELSLOTSRANGE, ADDSLOTSRANGE, SETSLOT, SAVECONFIG', async () => {
      await t.both(async (c) => {
        const id = await c.clusterMyid();
        assert.equal(await c.clusterDelslots(100, 101), 'OK');
        assert.deepEqual((await c.clusterNodes())[0]!.slots, [[0, 99], [102, 16383]]);
        assert.equal(await c.clusterAddslots(100, 101), 'OK');
        assert.equal(await c.clusterDelslotsrange([200, 300], [400, 400]), 'OK');
        assert.deepEqual((await c.clusterNodes())[0]!.slots, [[0, 199], [301, 399], [401, 16383]]);
        assert.equal(await c.clusterAddslotsrange([200, 300], [400, 400]), 'OK');
        assert.deepEqual((await c.clusterNodes())[0]!.slots, [[0, 16383]]);
        assert.equal(await c.clusterSetslot(5, 'NODE', id), 'OK');
        assert.equal(await c.clusterSetslot(5, 'STABLE'), 'OK');
        await assert.rejects(c.clusterSetslot(5, 'MIGRATING', 'no-such-node'), /I don't know about node|Unknown node/);
        assert.equal(await c.clusterSaveconfig(), 'OK');
        await until('the cluster to settle', clusterOk(c));
        return (await c.clusterNodes())[0]!.slots;
      });
    });

    it('READONLY, READWRITE, ASKING and BUMPEPOCH', async () => {
      await t.both(async (_c, protocol) => {
        const c = await createClient({ port: t.server().port, protocol, reconnect: false }).connect();
        try {
          assert.equal(await c.readonly(), 'OK');
          assert.match(String((await c.clientInfo())['flags']), /r/);
          assert.equal(await c.readwrite(), 'OK');
          assert.equal(await c.asking(), 'OK');
          return 'OK';
        } finally {
          c.disconnect();
        }
      });
      const bumped = await t.client(3).clusterBumpepoch();
      assert.equal(typeof bumped.bumped, 'boolean');
      assert.deepEqual(await t.client(2).clusterBumpepoch(), { bumped: false, epoch: bumped.epoch });
    });

    it('Redis 8.4 / Valkey 9 slot migration commands are refused by older servers', async () => {
      const c = t.client(3);
      await assert.rejects(c.clusterMigrationStatus({ all: true }), ResponseError);
      await assert.rejects(c.clusterMigrationImport([0, 1]), ResponseError);
      await assert.rejects(c.clusterMigrationCancel({ all: true }), ResponseError);
      await assert.rejects(c.clusterMigrateslots({ slotsrange: [[0, 1]], node: 'x' }), ResponseError);
      await assert.rejects(c.clusterGetslotmigrations(), ResponseError);
      await assert.rejects(c.clusterCancelslotmigrations(), ResponseError);
    });

    it('SET-CONFIG-EPOCH, FLUSHSLOTS and RESET on a node of their own', async () => {
      const server = await startServer({ kind: t.kind, args: CLUSTER_ARGS });
      const c = await createClient({ port: server.port, protocol: 2 }).connect();
      try {
        assert.equal(await c.clusterSetConfigEpoch(5), 'OK');
        assert.equal((await c.clusterNodes())[0]!.configEpoch, 5);
        assert.deepEqual(await c.clusterBumpepoch(), { bumped: false, epoch: 5 });
        assert.equal(await c.clusterAddslots(1, 2, 3), 'OK');
        assert.deepEqual((await c.clusterNodes())[0]!.slots, [[1, 3]]);
        assert.equal(await c.clusterFlushslots(), 'OK');
        assert.deepEqual((await c.clusterNodes())[0]!.slots, []);
        const id = await c.clusterMyid();
        assert.equal(await c.clusterReset('SOFT'), 'OK');
        assert.equal(await c.clusterMyid(), id);
        assert.equal(await c.clusterReset('HARD'), 'OK');
        assert.notEqual(await c.clusterMyid(), id);
        assert.equal(await c.clusterReset(), 'OK');
      } finally {
        c.disconnect();
        await server.stop();
      }
    });

    it('MEET, LINKS, SETSLOT MIGRATING/IMPORTING, REPLICATE, REPLICAS, SLAVES, FAILOVER, FORGET with two nodes', async () => {
      await twoNodes(t.kind, async (a, b, bPort) => {
        const [aid, bid] = [await a.clusterMyid(), await b.clusterMyid()];
        assert.equal(await a.clusterAddslotsrange([0, 16383]), 'OK');
        assert.equal(await a.clusterMeet('127.0.0.1', bPort), 'OK');
        const known = (c: RedisClient) => async () =>
          (await c.clusterNodes()).filter((n) => n.linkState === 'connected' && !n.flags.includes('handshake')).length === 2;
        await until('the nodes to meet', async () => (await known(a)()) && (await known(b)()));
        const links = await a.clusterLinks();
        assert.deepEqual(links.map((l) => l['direction']).sort(), ['from', 'to']);
        assert.ok(links.every((l) => l['node'] === bid && typeof l['create-time'] === 'number'));
        assert.equal(await a.clusterCountFailureReports(bid), 0);

        assert.equal(await a.clusterSetslot(5, 'MIGRATING', bid), 'OK');
        assert.equal(await b.clusterSetslot(5, 'IMPORTING', aid), 'OK');
        assert.deepEqual((await a.clusterNodes()).find((n) => n.id === aid)!.migrating, [{ slot: 5, node: bid }]);
        assert.deepEqual((await b.clusterNodes()).find((n) => n.id === bid)!.importing, [{ slot: 5, node: aid }]);
        assert.equal(await a.clusterSetslot(5, 'STABLE'), 'OK');
        assert.equal(await b.clusterSetslot(5, 'STABLE'), 'OK');

        assert.equal(await b.clusterReplicate(aid), 'OK');
        await until('the replica to show', async () => (await a.clusterReplicas(aid)).length === 1);
        const [replica] = await a.clusterReplicas(aid);
        assert.equal(replica!.id, bid);
        assert.equal(replica!.master, aid);
        assert.ok(replica!.flags.includes('slave'));
        assert.deepEqual((await a.clusterSlaves(aid)).map((n) => n.id), [bid]);

        await until('the replica to sync', async () => {
          const role = await b.role();
          return role.role === 'replica' && role.state === 'connected';
        });
        assert.equal(await b.clusterFailover('TAKEOVER'), 'OK');
        await until('the takeover', async () => (await b.role()).role === 'master');
        // (How the old primary learns of the takeover differs between Redis and Valkey; not our business.)
        assert.equal(await b.clusterForget(aid), 'OK');
        assert.equal((await b.clusterNodes()).length, 1);
      });
    });

    it('refuses bad arguments before sending anything', async () => {
      const c = t.client(3);
      await assert.rejects(c.clusterCountkeysinslot(bad('1')), DataError);
      await assert.rejects(c.clusterForget(bad(5)), /CLUSTER FORGET: nodeId must be a string or Buffer, got number/);
      await assert.rejects(c.clusterReset(bad('MEDIUM')), /CLUSTER RESET: mode must be one of HARD, SOFT/);
    });
  },
  { args: CLUSTER_ARGS },
);

/** Two fresh cluster nodes that know nothing of each other yet, a RESP3 and a RESP2 client on them. */
async function twoNodes(kind: ServerKind, fn: (a: RedisClient, b: RedisClient, bPort: number) => Promise<void>): Promise<void> {
  const servers: RedisServer[] = await Promise.all([startServer({ kind, args: CLUSTER_ARGS }), startServer({ kind, args: CLUSTER_ARGS })]);
  const clients = await Promise.all(servers.map((s, i) => createClient({ port: s.port, protocol: i === 0 ? 3 : 2 }).connect()));
  try {
    await fn(clients[0]!, clients[1]!, servers[1]!.port);
  } finally {
    for (const c of clients) c.disconnect();
    await Promise.all(servers.map((s) => s.stop()));
  }
}
