import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DataError } from '../../src/index.js';
import { commandSuite } from '../commands/helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bad = (v: unknown): any => v;

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const byText = (a: unknown, b: unknown) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);

commandSuite('scan iterators', (t) => {
  it('scanIterator walks every key across pages; match and type narrow it', async () => {
    const r = await t.both(async (c) => {
      const entries: Array<[string, number]> = [];
      for (let i = 0; i < 300; i++) entries.push([`k:${i}`, i]);
      await c.mset(entries);
      await c.rpush('list:a', 'x');
      await c.rpush('list:b', 'y');
      const all = await collect(c.scanIterator({ count: 20 }));
      return [
        all.length,
        new Set(all).size,
        (await collect(c.scanIterator({ match: 'k:1?', count: 1000 }))).sort(),
        (await collect(c.scanIterator({ type: 'list' }))).sort(),
        await collect(c.withBuffers().scanIterator({ match: 'list:a' })),
      ];
    });
    const tens = Array.from({ length: 10 }, (_, i) => `k:1${i}`);
    assert.deepEqual(r, [302, 302, tens, ['list:a', 'list:b'], [Buffer.from('list:a')]]);
  });

  it('hscanIterator yields { field, value } entries, or fields with novalues', async () => {
    const r = await t.both(async (c) => {
      const fields: Record<string, string> = {};
      for (let i = 0; i < 300; i++) fields[`f${i}`] = `v${i}`;
      await c.hset('h', fields);
      const entries = await collect(c.hscanIterator('h', { count: 25 }));
      const some = await collect(c.hscanIterator('h', { match: 'f29?' }));
      return [
        entries.length,
        entries.every((e) => e.value === `v${e.field.slice(1)}`),
        some.sort((a, b) => byText(a.field, b.field)),
        await collect(c.hscanIterator('missing')),
      ];
    });
    const expected = Array.from({ length: 10 }, (_, i) => ({ field: `f29${i}`, value: `v29${i}` }));
    assert.deepEqual(r, [300, true, expected, []]);
    if (t.kind === 'valkey') {
      // HSCAN NOVALUES is Valkey 8 / Redis 7.4+.
      const fields = await t.both(async (c) => {
        await c.hset('h', { a: '1', b: '2' });
        return (await collect(c.hscanIterator('h', { novalues: true }))).sort();
      });
      assert.deepEqual(fields, ['a', 'b']);
    }
  });

  it('sscanIterator yields members', async () => {
    const r = await t.both(async (c) => {
      const members = Array.from({ length: 300 }, (_, i) => `m${i}`);
      await c.sadd('s', ...members);
      const seen = await collect(c.sscanIterator('s', { count: 30 }));
      return [seen.length, new Set(seen).size, (await collect(c.sscanIterator('s', { match: 'm1?' }))).sort()];
    });
    assert.deepEqual(r, [300, 300, Array.from({ length: 10 }, (_, i) => `m1${i}`)]);
  });

  it('zscanIterator yields { member, score } with number scores, or members with noscores', async () => {
    const r = await t.both(async (c) => {
      await c.zadd('z', Array.from({ length: 300 }, (_, i) => ({ member: `m${i}`, score: i / 2 })));
      await c.zadd('small', [
        { member: 'low', score: -Infinity },
        { member: 'mid', score: 1.5 },
        { member: 'high', score: Infinity },
      ]);
      const all = await collect(c.zscanIterator('z', { count: 40 }));
      return [
        all.length,
        all.every((e) => e.score === Number(e.member.slice(1)) / 2),
        (await collect(c.zscanIterator('small'))).sort((a, b) => a.score - b.score),
      ];
    });
    assert.deepEqual(r, [
      300,
      true,
      [
        { member: 'low', score: -Infinity },
        { member: 'mid', score: 1.5 },
        { member: 'high', score: Infinity },
      ],
    ]);
    if (t.kind === 'valkey') {
      const members = await t.both(async (c) => {
        await c.zadd('z', new Map([['a', 1], ['b', 2]]));
        return (await collect(c.zscanIterator('z', { noscores: true }))).sort();
      });
      assert.deepEqual(members, ['a', 'b']);
    }
  });

  it('stops asking for pages when the loop breaks, and refuses bad options on the first step', async () => {
    const c = t.client(3);
    await c.flushall();
    const entries: Array<[string, number]> = [];
    for (let i = 0; i < 100; i++) entries.push([`k:${i}`, i]);
    await c.mset(entries);
    let n = 0;
    for await (const _ of c.scanIterator({ count: 10 })) {
      if (++n === 3) break;
    }
    assert.equal(n, 3);
    assert.equal(await c.dbsize(), 100);
    await assert.rejects(c.scanIterator({ count: bad('10') }).next(), (e: Error) => e instanceof DataError && /SCAN: count/.test(e.message));
    await assert.rejects(c.hscanIterator(bad(1)).next(), /HSCAN: key/);
    await assert.rejects(c.zscanIterator('z', { match: bad(5) }).next(), DataError);
  });
});
