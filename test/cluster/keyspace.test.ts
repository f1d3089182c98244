// The cluster's whole-keyspace helpers against real Redis and Valkey clusters, one kind after the
// other: SCAN over every primary, the fan-out commands merged by their response policies, scripts
// loaded where they are needed, blocking commands on leased connections. The last test kills a
// primary (kill -9) and follows the failover: it breaks the cluster, so it comes last.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExponentialBackoff, Retry, createCluster, keySlot, type ClusterOptions, type RedisCluster } from '../../src/index.js';
import { bytesOf, globMatch } from '../../src/cluster/rescan.js';
import { SERVER_KINDS, useCluster, type TestCluster } from '../servers/index.js';

async function calls(cluster: TestCluster, port: number, command: string): Promise<number> {
  const stats = await cluster.server(port).cli('INFO', 'commandstats');
  const m = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats);
  return m ? Number(m[1]) : 0;
}

/** Polls a server-side condition (no client event says it). */
async function until(what: string, timeoutMs: number, cond: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A key of `prefix` whose slot `port` serves. */
async function keyOn(cluster: TestCluster, port: number, prefix: string): Promise<string> {
  const node = (await cluster.primaries()).find((p) => p.port === port)!;
  for (let i = 0; ; i++) {
    const k = `${prefix}:${i}`;
    const s = keySlot(k);
    if (node.slots.some(([a, b]) => s >= a && s <= b)) return k;
  }
}

for (const kind of SERVER_KINDS) {
  describe(`cluster keyspace helpers on ${kind}`, () => {
    const cluster = useCluster({ kind });
    const open = (o: Partial<ClusterOptions> = {}): Promise<RedisCluster> => createCluster({ nodes: [cluster().seeds()[0]!], ...o }).connect();

    it('scanIterator() returns every one of 20,000 keys spread over the cluster, each once, on RESP2 and RESP3', async () => {
      await using c2 = await open({ protocol: 2 });
      await using c3 = await open({ protocol: 3 });
      const want = new Set<string>();
      const p = c2.pipeline();
      for (let i = 0; i < 20_000; i++) {
        const k = `scan:${i}`;
        want.add(k);
        p.set(k, '1');
      }
      await p.exec();
      // Other keys that the MATCH must leave out.
      await c2.mset({ 'other:1': '1', 'other:2': '2' });
      const perPrimary = await Promise.all((await cluster().primaries()).map((n) => cluster().server(n.port).cli('DBSIZE')));
      assert.ok(perPrimary.every((n) => Number(n) > 5_000), `keys on every primary: ${perPrimary.join(', ')}`);
      for (const c of [c2, c3]) {
        const got: string[] = [];
        for await (const k of c.scanIterator({ match: 'scan:*', count: 1_000 })) got.push(k);
        assert.equal(got.length, 20_000, 'no key twice, none missing');
        assert.deepEqual(new Set(got), want);
      }
      const bin: Buffer[] = [];
      for await (const k of c3.withBuffers().scanIterator({ match: 'scan:1999*' })) bin.push(k);
      assert.ok(bin.length === 11 && bin.every(Buffer.isBuffer), 'the Buffer view scans as Buffers');
      // The per-key iterators go to the key's node.
      await c2.hset('{it}h', Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, String(i)])));
      await c2.sadd('{it}s', Array.from({ length: 500 }, (_, i) => `m${i}`));
      await c2.zadd('{it}z', Array.from({ length: 500 }, (_, i) => ({ score: i, member: `z${i}` })));
      let h = 0;
      for await (const e of c3.hscanIterator('{it}h')) h += e.field === `f${e.value}` ? 1 : 0;
      const s = new Set<string>();
      for await (const m of c3.sscanIterator('{it}s')) s.add(m);
      let z = 0;
      for await (const e of c3.zscanIterator('{it}z')) z += e.member === `z${e.score}` ? 1 : 0;
      assert.deepEqual([h, s.size, z], [500, 500, 500]);
      await cluster().flushAll();
    });

    /**
     * Keys of every kind, two walks (MATCH mv:*, and TYPE hash too) that have left the first primary
     * behind, and 400 slots (with keys in them) of the primary they walk last.
     */
    async function walksUnderWay(c: RedisCluster) {
      const strings = Array.from({ length: 3_000 }, (_, i) => `mv:${i}`);
      await c.mset(Object.fromEntries(strings.map((k) => [k, '1'])));
      const hashes = Array.from({ length: 300 }, (_, i) => `mv:h:${i}`);
      for (const h of hashes) await c.hset(h, { f: '1' });
      const others = Array.from({ length: 300 }, (_, i) => `other:${i}`);
      await c.mset(Object.fromEntries(others.map((k) => [k, '1'])));
      const primaries = (await cluster().primaries()).sort((a, b) => a.slots[0]![0] - b.slots[0]![0]);
      const first = primaries[0]!;
      const last = primaries[primaries.length - 1]!;
      const lastSlots: number[] = [];
      for (const [a, b] of last.slots) for (let s = a; s <= b && lastSlots.length < 400; s++) lastSlots.push(s);
      const moving = new Set(lastSlots);
      const movedKeys = [...strings, ...hashes, ...others].filter((k) => moving.has(keySlot(k)));
      assert.ok(movedKeys.some((k) => k.startsWith('mv:h:')) && movedKeys.some((k) => k.startsWith('other:')), 'the moved slots hold keys of every kind');

      const onFirst = (k: string): boolean => first.slots.some(([a, b]) => keySlot(k) >= a && keySlot(k) <= b);
      const walk = async (it: AsyncIterableIterator<string>, seen: Set<string>): Promise<void> => {
        // The first primary's keys come first: a key from elsewhere means its walk is over.
        for (;;) {
          const r = await it.next();
          assert.ok(r.done !== true);
          seen.add(r.value);
          if (!onFirst(r.value)) return;
        }
      };
      const all = c.scanIterator({ match: 'mv:*', count: 100 });
      const typed = c.scanIterator({ match: 'mv:*', type: 'hash', count: 100 });
      const seen = new Set<string>();
      const seenTyped = new Set<string>();
      await walk(all, seen);
      await walk(typed, seenTyped);
      const finish = async (): Promise<void> => {
        for await (const k of all) seen.add(k);
        for await (const k of typed) seenTyped.add(k);
        const missing = [...strings, ...hashes].filter((k) => !seen.has(k));
        assert.deepEqual(missing, [], 'every mv:* key, those in the moved slots included');
        assert.ok(![...seen].some((k) => k.startsWith('other:')), 'MATCH applies to the keys read again');
        assert.deepEqual([...seenTyped].sort(), [...hashes].sort(), 'TYPE applies to the keys read again');
      };
      const cleanUp = async (): Promise<void> => {
        await cluster().moveSlots(first.id, last.id, lastSlots, 200);
        await c.del(...strings, ...hashes, ...others);
      };
      return { first, last, lastSlots, finish, cleanUp };
    }

    it('scanIterator() while slots move from a primary not yet walked to one already walked: the moved slots are read again, so every key comes back; MATCH and TYPE still filter them', async () => {
      await using c = await open();
      const w = await walksUnderWay(c);
      await cluster().moveSlots(w.last.id, w.first.id, w.lastSlots, 200);
      try {
        await w.finish();
      } finally {
        await w.cleanUp();
      }
    });

    it('scanIterator() ending while the keys have moved but the slots have not changed hands yet: the importing node is read too', async () => {
      await using c = await open();
      const w = await walksUnderWay(c);
      try {
        // One batch: every key is on the first primary, the slots still the last one's, as the walks end.
        let failure: unknown = null;
        await cluster().moveSlots(w.last.id, w.first.id, w.lastSlots, w.lastSlots.length, async (handOver) => {
          try {
            await w.finish();
          } catch (e) {
            failure = e;
          }
          await handOver();
        });
        if (failure !== null) throw failure;
      } finally {
        await w.cleanUp();
      }
    });

    it('the glob matching of keys read again agrees with the server’s own, byte for byte', async () => {
      await using c = await open();
      const keys = ['a', 'ab', 'bb', 'cx', '*', 'a\\', ']x', '-x', '[', '[ab', 'xay', 'hallo', 'hello', 'hxllo', 'é', 'ée', '^x', 'b-'].map((k) => `{g}${k}`);
      await c.mset(Object.fromEntries(keys.map((k) => [k, '1'])));
      const patterns = ['*', '{g}a*', '{g}?b', '{g}[abc]*', '{g}[^a]*', '{g}[a-c]x', '{g}[c-a]x', '{g}\\*', '{g}*\\', '{g}[\\]]*', '{g}[a-]*', '{g}[', '{g}[ab', '{g}*x*y', '{g}h[^e]llo', '{g}?', '{g}??', '{g}[é]', '{g}[\\^]x', '{g}[b-]', '{g}**a', '{g}\\', '{g}*a*', '{g}*l*o', '{g}h*o', '{g}*?*', '{g}*b*b', '{g}x*y*'];
      try {
        for (const p of patterns) {
          const server = new Set(((await c.keys(p)) as string[]).filter((k) => k.startsWith('{g}')));
          const ours = new Set(keys.filter((k) => globMatch(bytesOf(p), bytesOf(k))));
          assert.deepEqual([...ours].sort(), [...server].sort(), `pattern ${JSON.stringify(p)}`);
        }
      } finally {
        await c.del(...keys);
      }
    });

    it('fan-out commands reach every primary (or every node) and merge by the response policy', async () => {
      await using c = await open();
      const primaries = await cluster().primaries();
      const all = await cluster().nodes();
      const keys = Array.from({ length: 300 }, (_, i) => `fan:${i}`);
      await c.mset(Object.fromEntries(keys.map((k) => [k, 'v'])));
      // KEYS: concatenated over the primaries; DBSIZE: summed.
      assert.deepEqual((await c.keys('fan:*')).sort(), [...keys].sort());
      const sizes = await Promise.all(primaries.map((n) => cluster().server(n.port).cli('DBSIZE')));
      assert.ok(sizes.every((n) => Number(n) > 0));
      assert.equal(await c.dbsize(), 300);
      assert.equal(await c.ping(), 'PONG');
      // SCRIPT LOAD on every node, replicas too (a replica promoted later has it); EXISTS is ANDed.
      const sha = await c.scriptLoad('return 7');
      for (const n of all) assert.equal(await cluster().server(n.port).cli('SCRIPT', 'EXISTS', sha), '1', `script on ${n.role} ${n.port}`);
      assert.deepEqual(await c.scriptExists(sha, '0000000000000000000000000000000000000000'), [true, false]);
      await cluster().server(primaries[1]!.port).cli('SCRIPT', 'FLUSH');
      assert.deepEqual(await c.scriptExists(sha), [false], 'missing on one primary: false');
      assert.equal(await c.scriptFlush(), 'OK');
      for (const n of all) assert.equal(await cluster().server(n.port).cli('SCRIPT', 'EXISTS', sha), '0', `flushed on ${n.port}`);
      // FUNCTION LOAD on every primary (replicas get it by replication).
      const lib = `#!lua name=fanlib${kind}\nredis.register_function('fan_one', function() return 1 end)`;
      assert.equal(await c.functionLoad(lib, { replace: true }), `fanlib${kind}`);
      for (const n of primaries) assert.match(await cluster().server(n.port).cli('FUNCTION', 'LIST'), new RegExp(`fanlib${kind}`));
      // CONFIG SET on every node.
      assert.equal(await c.configSet({ 'slowlog-max-len': '77' }), 'OK');
      for (const n of all) assert.match(await cluster().server(n.port).cli('CONFIG', 'GET', 'slowlog-max-len'), /\b77\b/, `config on ${n.port}`);
      // FLUSHDB / FLUSHALL on every primary.
      assert.equal(await c.flushdb(), 'OK');
      assert.equal(await c.dbsize(), 0);
      await c.set('fan:again', '1');
      assert.equal(await c.flushall(), 'OK');
      const after = await Promise.all(primaries.map((n) => cluster().server(n.port).cli('DBSIZE')));
      assert.deepEqual(after, primaries.map(() => '0'));
    });

    it('registerScript(): EVALSHA on the key’s node; after SCRIPT FLUSH on one primary only that node gets EVAL', async () => {
      await using c = await open();
      const primaries = await cluster().primaries();
      const keys = await Promise.all(primaries.map((p, i) => keyOn(cluster(), p.port, `scr${i}`)));
      const script = c.registerScript<number>("return redis.call('INCRBY', KEYS[1], ARGV[1])");
      const eval0 = await Promise.all(primaries.map((p) => calls(cluster(), p.port, 'eval')));
      // First run: no node has it, so each node gets EVAL once, by itself.
      assert.deepEqual(await Promise.all(keys.map((k) => script.run([k], [5]))), [5, 5, 5]);
      const eval1 = await Promise.all(primaries.map((p) => calls(cluster(), p.port, 'eval')));
      assert.deepEqual(eval1.map((n, i) => n - eval0[i]!), [1, 1, 1]);
      assert.deepEqual(await Promise.all(keys.map((k) => script.run([k], [1]))), [6, 6, 6]);
      const eval2 = await Promise.all(primaries.map((p) => calls(cluster(), p.port, 'eval')));
      assert.deepEqual(eval2, eval1, 'known everywhere: EVALSHA only');
      await cluster().server(primaries[2]!.port).cli('SCRIPT', 'FLUSH');
      assert.deepEqual(await Promise.all(keys.map((k) => script.run([k], [1]))), [7, 7, 7]);
      const eval3 = await Promise.all(primaries.map((p) => calls(cluster(), p.port, 'eval')));
      assert.deepEqual(eval3.map((n, i) => n - eval2[i]!), [0, 0, 1], 'only the flushed node got the body');
      // In a pipeline too: SCRIPT LOAD ahead of each node's share in the same write, so the script
      // runs in its place in the order (the GET after it sees its effect).
      await cluster().server(primaries[0]!.port).cli('SCRIPT', 'FLUSH');
      const load0 = await Promise.all(primaries.map((p) => calls(cluster(), p.port, 'script\\|load')));
      const p = c.pipeline();
      for (const k of keys) p.evalScript(script, [k], [1]).get(k);
      assert.deepEqual(await p.exec(), [8, '8', 8, '8', 8, '8']);
      const eval4 = await Promise.all(primaries.map((p) => calls(cluster(), p.port, 'eval')));
      assert.deepEqual(eval4, eval3, 'no EVAL: the script was there');
      const load1 = await Promise.all(primaries.map((p) => calls(cluster(), p.port, 'script\\|load')));
      assert.deepEqual(load1.map((n, i) => n - load0[i]!), [1, 1, 1], 'one SCRIPT LOAD per node of the pipeline, none elsewhere');
      assert.equal(await c.registerScript('return 42').run(), 42);
    });

    it('blocking commands wait on a leased connection: other commands to the node go on meanwhile', async () => {
      await using c = await open({ protocol: 3 });
      await using pusher = await open();
      const list = '{blk}list';
      const owner = await cluster().ownerOf(keySlot(list));
      const popped = c.blpop(list, 0);
      const read = c.xread({ '{blk}stream': '$' }, { block: 0 });
      const moved = c.blmove('{blk}src', '{blk}dst', 'LEFT', 'RIGHT', 0);
      await until('three clients blocked on the owner', 20_000, async () => /blocked_clients:3\b/.test(await cluster().server(owner.port).cli('INFO', 'clients')));
      // The node's shared connection is free: these answer while the three wait.
      await c.set('{blk}x', '1');
      assert.equal(await c.get('{blk}x'), '1');
      await pusher.lpush(list, 'a');
      await pusher.xadd('{blk}stream', '*', { f: 'v' });
      await pusher.lpush('{blk}src', 'm');
      assert.deepEqual(await popped, { key: list, element: 'a' });
      const streams = await read;
      assert.ok(streams !== null && JSON.stringify(streams).includes('"f"'), JSON.stringify(streams));
      assert.equal(await moved, 'm');
      assert.deepEqual(await c.lrange('{blk}dst', 0, -1), ['m']);
    });

    it('kill -9 of the primary during a BLPOP wait and a SCAN walk: the BLPOP follows the failover and gets the LPUSH made on the new primary; the walk finishes on it; scripts load there', async () => {
      await using c = await open({ retry: new Retry(new ExponentialBackoff({ cap: 1_000, base: 50 }), 10) });
      await using other = await open();
      // The victim serves slot 0, so it is the first primary scanIterator() walks.
      const victim = await cluster().ownerOf(0);
      const list = await keyOn(cluster(), victim.port, 'folist');
      const slot = keySlot(list);
      const counter = await keyOn(cluster(), victim.port, 'fon');
      const script = c.registerScript<number>("return redis.call('INCR', KEYS[1])");
      assert.equal(await script.run([counter]), 1);
      await other.mset(Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`fo:${i}`, '1'])));
      await until('the primary and its replica agree', 20_000, async () => {
        const r = await cluster().nodes();
        const rep = r.find((n) => n.primaryId === victim.id);
        return rep !== undefined && (await cluster().server(rep.port).cli('DBSIZE')) === (await cluster().server(victim.port).cli('DBSIZE'));
      });
      // A walk of the keyspace under way on the victim when it dies.
      const scan = c.scanIterator({ match: 'fo:*', count: 20 });
      const seen = new Set<string>();
      const firstKey = await scan.next();
      assert.ok(firstKey.done !== true);
      seen.add(firstKey.value);
      const popped = c.blpop(list, 0);
      await until('the BLPOP is blocked on the primary', 20_000, async () => /blocked_clients:1\b/.test(await cluster().server(victim.port).cli('INFO', 'clients')));
      await cluster().kill(victim.port);
      await until('a replica took the slot over', 60_000, async () => {
        try {
          const o = await cluster().ownerOf(slot);
          return o.id !== victim.id;
        } catch {
          return false;
        }
      });
      const promoted = await cluster().ownerOf(slot);
      await until('the BLPOP is blocked on the new primary', 60_000, async () => /blocked_clients:1\b/.test(await cluster().server(promoted.port).cli('INFO', 'clients')));
      assert.equal(await other.lpush(list, 'after-failover'), 1);
      assert.deepEqual(await popped, { key: list, element: 'after-failover' });
      assert.equal(await cluster().server(promoted.port).cli('LLEN', list), '0', 'popped on the new primary');
      // The promoted replica never got the script (EVALSHA is not replicated): NOSCRIPT, then EVAL there.
      assert.equal(await script.run([counter]), 2);
      // The walk goes on: the victim's part again from the start on the promoted replica, then the rest.
      for await (const k of scan) seen.add(k);
      assert.equal(seen.size, 2_000, 'every key, the victim’s from its successor');
      const keys = new Set<string>();
      for await (const k of c.scanIterator({ match: 'fo:*' })) keys.add(k);
      assert.equal(keys.size, 2_000);
    });
  });
}
