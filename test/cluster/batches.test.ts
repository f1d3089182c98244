// Cluster pipelines and transactions against real Redis and Valkey clusters, one kind after the other
// (one 6-node cluster at a time: the machine is small). RESP2 and RESP3 for each.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionError, ConstantBackoff, CrossSlotError, ResponseError, Retry, createCluster, keySlot, type ClusterOptions } from '../../src/index.js';
import { SERVER_KINDS, useCluster, type TestCluster } from '../servers/index.js';

async function calls(cluster: TestCluster, port: number, command: string): Promise<number> {
  const stats = await cluster.server(port).cli('INFO', 'commandstats');
  const m = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats);
  return m ? Number(m[1]) : 0;
}

/** Sum of a command's calls over the live primaries. */
async function callsOnPrimaries(cluster: TestCluster, command: string): Promise<number[]> {
  return Promise.all((await cluster.primaries()).map((p) => calls(cluster, p.port, command)));
}

/** Polls a server-side condition (no client event says it). */
async function until(what: string, timeoutMs: number, cond: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function errorCount(cluster: TestCluster, port: number, prefix: string): Promise<number> {
  const stats = await cluster.server(port).cli('INFO', 'errorstats');
  const m = new RegExp(`errorstat_${prefix}:count=(\\d+)`).exec(stats);
  return m ? Number(m[1]) : 0;
}

/** `n` keys with `prefix`, each in a slot of its own, spread over the whole slot range (n <= 16384). */
function keysInSlots(prefix: string, n: number): string[] {
  const seen = new Set<number>();
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const k = `${prefix}:${i}`;
    if (seen.has(keySlot(k))) continue;
    seen.add(keySlot(k));
    out.push(k);
  }
  return out;
}

for (const kind of SERVER_KINDS) {
  describe(`cluster pipeline and multi on ${kind}`, () => {
    const cluster = useCluster({ kind });
    const open = (o: Partial<ClusterOptions> = {}) => createCluster({ nodes: [cluster().seeds()[0]!], ...o }).connect();

    for (const protocol of [2, 3] as const) {
      it(`RESP${protocol}: a pipeline of 5,000 commands over every slot range, one write per node, results typed and in order`, async () => {
        await using c = await open({ protocol });
        const keys = keysInSlots(`pl${protocol}`, 1_000);
        const ranges = new Set(keys.map((k) => Math.floor(keySlot(k) / 1024)));
        assert.equal(ranges.size, 16, 'keys in every 1024-slot range');
        const setsBefore = await callsOnPrimaries(cluster(), 'set');
        const p = c.pipeline();
        for (let i = 0; i < keys.length; i++) p.set(keys[i]!, `v${i}`).get(keys[i]!).incr(`${keys[i]}:n`).hset(`${keys[i]}:h`, { f: String(i) }).hgetall(`${keys[i]}:h`);
        const t = performance.now();
        const out = (await p.exec()) as unknown[];
        console.log(`# ${kind} RESP${protocol}: pipeline of ${out.length} commands over ${new Set(keys.map(keySlot)).size} slots in ${(performance.now() - t).toFixed(1)} ms`);
        assert.equal(out.length, 5_000);
        for (let i = 0; i < keys.length; i++) {
          assert.deepEqual(out.slice(i * 5, i * 5 + 5), ['OK', `v${i}`, 1, 1, { f: String(i) }], `command group ${i}`);
        }
        const setsAfter = await callsOnPrimaries(cluster(), 'set');
        const per = setsAfter.map((a, i) => a - setsBefore[i]!);
        assert.equal(per.reduce((a, b) => a + b, 0), 1_000, 'each SET ran once');
        assert.ok(per.every((x) => x > 200), `every primary served its share: ${per.join(', ')}`);
        // Split and fanned-out commands in a pipeline: MGET/DEL/EXISTS over slots, DBSIZE on all primaries.
        const typed = await c.pipeline().mget(keys[0]!, 'none:x', keys[999]!).exists(keys.slice(0, 100)).del(keys.slice(0, 10)).dbsize().get(keys[5]!).exec();
        const [mget, exists, del, dbsize, gone] = typed;
        assert.deepEqual(mget, ['v0', null, 'v999']);
        assert.equal(exists, 100);
        assert.equal(del, 10);
        assert.ok(typeof dbsize === 'number' && dbsize >= 2_990, `DBSIZE summed over the primaries (one holds about a third): ${dbsize}`);
        assert.equal(gone, null);
      });

      it(`RESP${protocol}: errors stay in place; exec() rejects with the first one, position and name`, async () => {
        await using c = await open({ protocol });
        const [a, b] = keysInSlots(`err${protocol}`, 2);
        const settled = await c.pipeline().set(a!, 'x').lpush(a!, 'y').get(a!).incr(b!).sunionstore('d', 'x', 'y').get(b!).exec({ throwOnError: false });
        assert.equal(settled[0], 'OK');
        assert.ok(settled[1] instanceof ResponseError && /WRONGTYPE/.test(settled[1].message), String(settled[1]));
        assert.equal(settled[2], 'x');
        assert.equal(settled[3], 1);
        assert.ok(settled[4] instanceof CrossSlotError, 'a cross-slot command that cannot be split fails alone');
        assert.equal(settled[5], '1');
        await assert.rejects(c.pipeline().incr(b!).lpush(a!, 'y').incr(b!).exec(), (e: unknown) => e instanceof ResponseError && e.position === 1 && /^Command # 2 \(LPUSH\) of pipeline/.test(e.message));
        assert.equal(await c.get(b!), '3', 'the commands around the failed one ran');
      });

      it(`RESP${protocol}: CLIENT KILL of a node's connection mid-pipeline: what was written rejects with ConnectionError and is not sent again; a pipeline issued while it reconnects runs once`, async () => {
        const name = `killed${protocol}`;
        const writes: string[] = [];
        await using c = await open({ protocol, clientName: name, commandTimeout: 30_000 });
        await using probe = await open();
        const a = (await cluster().primaries())[0]!;
        const onA = (k: string): boolean => a.slots.some(([lo, hi]) => keySlot(k) >= lo && keySlot(k) <= hi);
        const keys = keysInSlots(`kill${protocol}`, 300);
        const countA = keys.filter(onA).length;
        assert.ok(countA > 20 && countA < 280, `keys on the node and elsewhere: ${countA}`);
        const server = cluster().server(a.port);
        const incrBefore = await calls(cluster(), a.port, 'incr');
        // Writes are held on the node, so its share of the pipeline is written and unanswered when killed.
        await server.cli('CLIENT', 'PAUSE', '60000', 'WRITE');
        let second: Promise<unknown> | undefined;
        try {
          const p = c.pipeline();
          for (const k of keys) p.incr(k);
          const first = p.exec({ throwOnError: false }).then((r) => {
            // Issued as the first settles: node A's connection is down and reconnecting, so none of
            // this pipeline's share for A has been written anywhere yet.
            const q = c.pipeline();
            for (const k of keys) q.incr(k);
            second = q.exec({ throwOnError: false });
            return r;
          });
          const others = keys.filter((k) => !onA(k));
          await until('the other primaries ran their share', 60_000, async () => (await probe.mget(others)).every((v) => v === '1'));
          const ids = (await server.cli('CLIENT', 'LIST')).split('\n').filter((l) => l.includes(` name=${name} `)).map((l) => /\bid=(\d+)/.exec(l)![1]!);
          assert.equal(ids.length, 1, 'one connection of the cluster client to the node');
          // From here on, how the INCRs reach node A: the second pipeline's share should go as one batch.
          const conn = c.nodes().find((n) => n.port === a.port)!.client.connection;
          const sendBatch = conn.sendBatch.bind(conn);
          const send = conn.send.bind(conn);
          conn.sendBatch = (cmds, o) => (cmds.some((x) => x.argv[0] === 'INCR') && writes.push(`batch of ${cmds.length}`), sendBatch(cmds, o));
          conn.send = (argv, t, o) => (argv[0] === 'INCR' && writes.push('single'), send(argv, t, o));
          await server.cli('CLIENT', 'KILL', 'ID', ids[0]!);
          const r1 = (await first) as unknown[];
          keys.forEach((k, i) => {
            if (onA(k)) assert.ok(r1[i] instanceof ConnectionError, `${k}: ${String(r1[i])}`);
            else assert.equal(r1[i], 1, k);
          });
        } finally {
          await server.cli('CLIENT', 'UNPAUSE');
        }
        const r2 = (await second!) as unknown[];
        assert.deepEqual(r2, keys.map((k) => (onA(k) ? 1 : 2)));
        assert.deepEqual(writes, [`batch of ${countA}`], 'the share that waited for the reconnect went as one batch');
        assert.deepEqual(await probe.mget(keys), keys.map((k) => (onA(k) ? '1' : '2')));
        assert.equal((await calls(cluster(), a.port, 'incr')) - incrBefore, countA, 'the killed share ran neither then nor later');
      });

      it(`RESP${protocol}: multi() on one slot runs on its owner; cross-slot is refused before sending`, async () => {
        await using c = await open({ protocol });
        const owner = await cluster().ownerOf(keySlot(`{acct${protocol}}`));
        const execBefore = await calls(cluster(), owner.port, 'exec');
        const res = await c.multi().set(`{acct${protocol}}a`, '10').incrby(`{acct${protocol}}b`, 5).get(`{acct${protocol}}a`).hset(`{acct${protocol}}h`, { x: '1' }).hgetall(`{acct${protocol}}h`).exec();
        assert.deepEqual(res, ['OK', 5, '10', 1, { x: '1' }]);
        assert.equal(await calls(cluster(), owner.port, 'exec'), execBefore + 1);
        const multiBefore = await callsOnPrimaries(cluster(), 'multi');
        await assert.rejects(c.multi().set(`{acct${protocol}}a`, '1').set('{other}a', '2').exec(), (e: unknown) => e instanceof CrossSlotError && e.command === 'SET');
        assert.deepEqual(await callsOnPrimaries(cluster(), 'multi'), multiBefore, 'no MULTI reached any primary');
        assert.equal(await c.get(`{acct${protocol}}a`), '10');
      });

      it(`RESP${protocol}: transaction() with WATCH counts exactly under two competing clients`, async () => {
        await using c1 = await open({ protocol });
        await using c2 = await open({ protocol });
        const key = `{tx${protocol}}n`;
        const bump = (c: typeof c1) =>
          c.transaction(
            async (tx) => {
              const v = Number((await tx.get(key)) ?? '0');
              return tx.multi().set(key, String(v + 1));
            },
            { watch: [key], maxAttempts: 1_000 },
          );
        const runs = Array.from({ length: 50 }, (_, i) => bump(i % 2 === 0 ? c1 : c2));
        await Promise.all(runs);
        assert.equal(await c1.get(key), '50');
        await assert.rejects(c1.transaction((tx) => tx.multi().set(`{elsewhere${protocol}}`, '1'), { watch: [key] }), CrossSlotError);
        await assert.rejects(c1.transaction((tx) => tx.multi(), { watch: [key, 'other'] }), CrossSlotError);
      });
    }

    it('with a retry option, the written share of a killed connection is sent again once it is back, and runs once', async () => {
      const name = 'killedRetry';
      await using c = await open({ protocol: 3, clientName: name, commandTimeout: 30_000, retry: new Retry(new ConstantBackoff(10), 3) });
      await using probe = await open();
      const a = (await cluster().primaries())[0]!;
      const onA = (k: string): boolean => a.slots.some(([lo, hi]) => keySlot(k) >= lo && keySlot(k) <= hi);
      const keys = keysInSlots('killretry', 300);
      const countA = keys.filter(onA).length;
      const server = cluster().server(a.port);
      const incrBefore = await calls(cluster(), a.port, 'incr');
      await server.cli('CLIENT', 'PAUSE', '60000', 'WRITE');
      let out: Promise<unknown>;
      try {
        const p = c.pipeline();
        for (const k of keys) p.incr(k);
        out = p.exec({ throwOnError: false });
        await until('the other primaries ran their share', 60_000, async () => (await probe.mget(keys.filter((k) => !onA(k)))).every((v) => v === '1'));
        const ids = (await server.cli('CLIENT', 'LIST')).split('\n').filter((l) => l.includes(` name=${name} `)).map((l) => /\bid=(\d+)/.exec(l)![1]!);
        assert.equal(ids.length, 1);
        await server.cli('CLIENT', 'KILL', 'ID', ids[0]!);
      } finally {
        await server.cli('CLIENT', 'UNPAUSE');
      }
      assert.deepEqual(await out, keys.map(() => 1));
      assert.equal((await calls(cluster(), a.port, 'incr')) - incrBefore, countA, 'each INCR of the killed share ran once');
    });

    it('multi() follows MOVED and ASK as a whole', async () => {
      await using c = await open();
      const slot = keySlot('{mv}');
      const owner = await cluster().ownerOf(slot);
      const other = (await cluster().primaries()).find((p) => p.id !== owner.id)!;
      await c.set('{mv}a', '1');
      // MOVED: the slot moves behind the client's back.
      await cluster().moveSlots(owner.id, other.id, [slot]);
      assert.deepEqual(await c.multi().incr('{mv}a').get('{mv}a').exec(), [2, '2']);
      assert.equal(await cluster().server(other.port).cli('GET', '{mv}a'), '2');
      // ASK: the slot half moved back, the new key not yet on the old owner.
      await cluster().server(owner.port).cli('CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', other.id);
      await cluster().server(other.port).cli('CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', owner.id);
      const askingBefore = await calls(cluster(), owner.port, 'asking');
      assert.deepEqual(await c.multi().set('{mv}new', 'n').get('{mv}new').exec(), ['OK', 'n']);
      assert.equal(await calls(cluster(), owner.port, 'asking'), askingBefore + 1, 'one ASKING covered the whole MULTI');
      assert.equal(await cluster().server(owner.port).cli('CLUSTER', 'COUNTKEYSINSLOT', String(slot)), '1');
      await cluster().moveSlots(other.id, owner.id, [slot]);
      assert.deepEqual(await c.mget('{mv}a', '{mv}new'), ['2', 'n']);
    });

    it('commands of a pipeline answered MOVED go again as one batch per new owner, not one by one', async () => {
      await using c = await open();
      const primaries = await cluster().primaries();
      const from = primaries[1]!;
      const to = primaries[2]!;
      const [lo, hi] = from.slots[0]!;
      const moving = Array.from({ length: Math.min(300, hi - lo + 1) }, (_, i) => lo + i);
      const movingSet = new Set(moving);
      const keys = keysInSlots('regroup', 16_384).filter((k) => movingSet.has(keySlot(k)));
      await c.mset(Object.fromEntries(keys.map((k) => [k, 'x'])));
      // The slots move behind the client's back: its map still names the old owner.
      await cluster().moveSlots(from.id, to.id, moving);
      const movedBefore = await errorCount(cluster(), from.port, 'MOVED');
      const conn = c.nodes().find((n) => n.port === to.port)!.client.connection;
      let batches = 0;
      let singles = 0;
      const sendBatch = conn.sendBatch.bind(conn);
      const send = conn.send.bind(conn);
      conn.sendBatch = (...args) => (batches++, sendBatch(...args));
      // The map refresh the MOVED replies ask for may go through this connection: not one of the GETs.
      conn.send = (...args) => (String(args[0][0]).toUpperCase() === 'CLUSTER' || singles++, send(...args));
      try {
        const p = c.pipeline();
        for (const k of keys) p.get(k);
        assert.deepEqual(await p.exec(), keys.map(() => 'x'));
      } finally {
        conn.sendBatch = sendBatch;
        conn.send = send;
      }
      assert.equal((await errorCount(cluster(), from.port, 'MOVED')) - movedBefore, keys.length, 'every GET was answered MOVED first');
      assert.deepEqual({ batches, singles }, { batches: 1, singles: 0 });
      await cluster().moveSlots(to.id, from.id, moving);
    });

    it('a pipeline and a MULTI answered TRYAGAIN (a slot half moved) back off and complete once the slot has moved', async () => {
      await using c = await open({ commandTimeout: 60_000, maxRedirects: 1_000 });
      const slot = keySlot('{try}');
      const primaries = await cluster().primaries();
      const owner = primaries.find((p) => p.slots.some(([lo, hi]) => slot >= lo && slot <= hi))!;
      const other = primaries.find((p) => p.id !== owner.id)!;
      const source = cluster().server(owner.port);
      const target = cluster().server(other.port);
      await c.mset({ '{try}a': '1', '{try}b': '2' });
      await target.cli('CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', owner.id);
      await source.cli('CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', other.id);
      await source.cli('MIGRATE', '127.0.0.1', String(other.port), '{try}b', '0', '5000');
      const before = await errorCount(cluster(), owner.port, 'TRYAGAIN');
      const pipe = c.pipeline().mget('{try}a', '{try}b').get('{try}a').exec();
      const multi = c.multi().mget('{try}a', '{try}b').get('{try}b').exec();
      await until('both got TRYAGAIN', 60_000, async () => (await errorCount(cluster(), owner.port, 'TRYAGAIN')) >= before + 2);
      // Still waiting: the rest of the slot moves, and the owner changes.
      await source.cli('MIGRATE', '127.0.0.1', String(other.port), '{try}a', '0', '5000');
      for (const p of primaries) await cluster().server(p.port).cli('CLUSTER', 'SETSLOT', String(slot), 'NODE', other.id);
      const results = await Promise.allSettled([pipe, multi]);
      await cluster().moveSlots(other.id, owner.id, [slot]);
      assert.deepEqual(results, [
        { status: 'fulfilled', value: [['1', '2'], '1'] },
        { status: 'fulfilled', value: [['1', '2'], '2'] },
      ]);
    });

    it('RESP2 and RESP3 pipelines while 2,000 slots move: no error, every INCR counted exactly once', async () => {
      await using c2 = await open({ protocol: 2 });
      await using c3 = await open({ protocol: 3 });
      const primaries = await cluster().primaries();
      const from = primaries[0]!;
      const to = primaries[1]!;
      const [lo] = from.slots[0]!;
      const moving = Array.from({ length: 2_000 }, (_, i) => lo + i);
      const movingSet = new Set(moving);
      // 300 counters in the slots that move, 100 elsewhere.
      const counters = keysInSlots('reshard', 16_384).filter((k) => movingSet.has(keySlot(k))).slice(0, 300);
      counters.push(...keysInSlots('stay', 100));
      assert.equal(counters.length, 400);
      let pipelines = 0;
      let done = false;
      const errors: unknown[] = [];
      const worker = async (c: typeof c2): Promise<void> => {
        while (!done) {
          const p = c.pipeline();
          for (const k of counters) p.incr(k);
          const r = (await p.exec({ throwOnError: false })) as unknown[];
          for (const x of r) if (x instanceof Error) errors.push(x);
          pipelines++;
        }
      };
      const workers = [worker(c2), worker(c3), worker(c2), worker(c3)];
      const asksBefore = await calls(cluster(), to.port, 'asking');
      const t = Date.now();
      try {
        await cluster().moveSlots(from.id, to.id, moving, 200);
      } finally {
        done = true;
        await Promise.all(workers);
      }
      const asks = (await calls(cluster(), to.port, 'asking')) - asksBefore;
      console.log(`# ${kind}: ${pipelines} pipelines of ${counters.length} INCRs while 2,000 slots moved (${Date.now() - t} ms), ${asks} ASKING`);
      assert.deepEqual(errors.map(String), []);
      assert.ok(pipelines >= 4);
      const values = await c2.mget(counters);
      const wrong = counters.filter((_, i) => Number(values[i]) !== pipelines);
      assert.deepEqual(wrong, [], `every counter is ${pipelines}`);
      const owners = await Promise.all([moving[0]!, moving[1_999]!].map((s) => cluster().ownerOf(s)));
      assert.ok(owners.every((o) => o.id === to.id), 'the slots did move');
      await cluster().waitHealthy();
    });
    it('a pipeline of 5,000 commands over every slot range, again and again while 3,000 slots move: the same results each time, no error', async () => {
      await using c = await open({ protocol: 3 });
      const primaries = await cluster().primaries();
      const from = primaries[primaries.length - 1]!;
      const to = primaries[0]!;
      // All of its ranges: an earlier test's slots moved away and back come as ranges of their own.
      const moving = from.slots.flatMap(([lo, hi]) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i)).slice(0, 3_000);
      const movingSet = new Set(moving);
      const all = keysInSlots('p5k', 16_384);
      const keys = [...all.filter((k) => movingSet.has(keySlot(k))).slice(0, 500), ...all.filter((k) => !movingSet.has(keySlot(k))).slice(0, 500)];
      assert.equal(keys.length, 1_000);
      let round = 0;
      let done = false;
      const problems: string[] = [];
      const work = (async () => {
        while (!done || round === 0) {
          const j = round;
          const p = c.pipeline();
          for (let i = 0; i < keys.length; i++) {
            const k = keys[i]!;
            p.set(k, `v${i}:${j}`).get(k).incr(`${k}:n`).hset(`${k}:h`, { [`f${j}`]: String(i) }).hget(`${k}:h`, `f${j}`);
          }
          const out = (await p.exec({ throwOnError: false })) as unknown[];
          for (let i = 0; i < keys.length; i++) {
            const want = ['OK', `v${i}:${j}`, j + 1, 1, String(i)];
            const got = out.slice(i * 5, i * 5 + 5);
            if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`round ${j} key ${keys[i]}: ${got.map(String).join(', ')}`);
          }
          round++;
        }
      })();
      const t = Date.now();
      try {
        await cluster().moveSlots(from.id, to.id, moving, 250);
      } finally {
        done = true;
        await work;
      }
      console.log(`# ${kind}: ${round} pipelines of 5,000 commands while ${moving.length} slots moved (${Date.now() - t} ms)`);
      assert.deepEqual(problems.slice(0, 10), []);
      assert.ok(round >= 2, `pipelines ran during the move: ${round}`);
      assert.equal((await cluster().ownerOf(moving[moving.length - 1]!)).id, to.id, 'the slots did move');
      await cluster().waitHealthy();
    });
  });
}
