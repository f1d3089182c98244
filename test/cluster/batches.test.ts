// Cluster pipelines and transactions against real Redis and Valkey clusters, one kind after the other
// (one 6-node cluster at a time: the machine is small). RESP2 and RESP3 for each.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CrossSlotError, ResponseError, createCluster, keySlot, type ClusterOptions } from '../../src/index.js';
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
  });
}
