/**
 * Search from end to end: 10,000 JSON documents indexed; a query made with the builder (text, tag,
 * numeric range and a KNN clause) finds the documents the raw FT.SEARCH finds and the ones computed
 * here; an aggregation's GROUPBY/REDUCE gives the totals computed here.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { NumericField, TagField, TextField, VectorField, aggregate, numericClause, query, reducers, tagClause } from '../../src/index.js';
import { moduleSuite } from './helpers.js';

const N = 10_000;
const CATEGORIES = ['books', 'music', 'tools', 'garden tools'];
const WORDS = ['red', 'blue', 'green', 'fast', 'slow', 'big', 'small', 'old'];

interface Doc {
  title: string;
  category: string;
  price: number;
  embedding: number[];
}

/** A small seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function makeDocs(): Doc[] {
  const r = rng(16);
  const docs: Doc[] = [];
  for (let i = 0; i < N; i++) {
    const words = [WORDS[Math.floor(r() * WORDS.length)]!, WORDS[Math.floor(r() * WORDS.length)]!];
    docs.push({
      title: words.join(' '),
      category: CATEGORIES[Math.floor(r() * CATEGORIES.length)]!,
      price: 1 + Math.floor(r() * 100),
      // Rounded to float32 up front, so the distances computed here equal the server's.
      embedding: [r(), r(), r(), r()].map((x) => Math.fround(x)),
    });
  }
  return docs;
}

moduleSuite('Search scenario', ({ client }) => {
  const docs = makeDocs();
  const target = [0.5, 0.25, 0.75, 0.1];

  before(async () => {
    const c = client(3);
    await c.flushall();
    // No query time limit: past it the server returns partial results (policy 'return'), and this
    // machine may be busy.
    assert.equal(await c.ftConfigSet('TIMEOUT', 0), 'OK');
    await c.ftCreate(
      'products',
      [
        new TextField('$.title', { as: 'title' }),
        new TagField('$.category', { as: 'category' }),
        new NumericField('$.price', { as: 'price', sortable: true }),
        new VectorField('$.embedding', 'FLAT', { type: 'FLOAT32', dim: 4, distanceMetric: 'L2' }, { as: 'embedding' }),
      ],
      { on: 'JSON', prefix: ['product:'] },
    );
    // Documents written after FT.CREATE are indexed as they are written: nothing to wait for.
    for (let from = 0; from < N; from += 1000) {
      const p = c.pipeline();
      for (let i = from; i < from + 1000; i++) p.jsonSet(`product:${i}`, '$', docs[i]);
      const res = await p.exec();
      assert.ok(res.every((x) => x === true));
    }
    assert.equal((await c.ftInfo('products')).num_docs, N);
  });

  it('a builder query (text, tag, numeric range, KNN) finds what the raw FT.SEARCH and a scan here find', async () => {
    const text = `red ${tagClause('category', 'garden tools')} ${numericClause('price', 10, 50)}`;
    const built = query(text).knn(10, 'embedding', new Float32Array(target), { as: 'dist', dim: 4 }).returnFields('price', 'dist').sortBy('dist').limit(0, 10);
    const raw = [
      'FT.SEARCH', 'products',
      '(red @category:{garden\\ tools} @price:[10 50])=>[KNN 10 @embedding $vec AS dist]',
      'RETURN', 2, 'price', 'dist', 'SORTBY', 'dist', 'ASC', 'LIMIT', 0, 10,
      'PARAMS', 2, 'vec', Buffer.from(new Float32Array(target).buffer), 'DIALECT', 2,
    ] as const;
    assert.deepEqual(['FT.SEARCH', 'products', ...built.args()], raw);

    const expected = docs
      .map((d, i) => ({ id: `product:${i}`, d, dist: d.embedding.reduce((s, x, k) => s + (Math.fround(x) - Math.fround(target[k]!)) ** 2, 0) }))
      .filter(({ d }) => d.title.split(' ').includes('red') && d.category === 'garden tools' && d.price >= 10 && d.price <= 50)
      .sort((a, b) => a.dist - b.dist)
      .slice(0, 10);
    assert.equal(expected.length, 10, 'the data set should hold at least 10 matches');

    for (const protocol of [2, 3] as const) {
      const c = client(protocol);
      const result = await c.ftSearch('products', built);
      const rawReply = await c.call(...raw);
      // The raw reply, read by hand in each protocol's own shape.
      const rawIds =
        protocol === 2
          ? (rawReply as unknown[]).filter((_x, i) => i % 2 === 1).map(String)
          : ((rawReply as { results: Array<{ id: string }> }).results).map((r) => r.id);
      assert.deepEqual(result.documents.map((d) => d.id), rawIds, `RESP${protocol}`);
      assert.deepEqual(result.documents.map((d) => d.id), expected.map((e) => e.id), `RESP${protocol}`);
      assert.ok(result.total >= 10);
      for (const [k, doc] of result.documents.entries()) {
        assert.equal(Number(doc.value.price), expected[k]!.d.price);
        assert.ok(Math.abs(Number(doc.value.dist) - expected[k]!.dist) < 1e-5);
      }
    }
  });

  it('GROUPBY/REDUCE totals equal the ones computed here, under both protocols', async () => {
    const totals = new Map<string, { sum: number; count: number; max: number }>();
    for (const d of docs) {
      const t = totals.get(d.category) ?? { sum: 0, count: 0, max: 0 };
      t.sum += d.price;
      t.count++;
      t.max = Math.max(t.max, d.price);
      totals.set(d.category, t);
    }
    const request = aggregate('*')
      .load('@category', '@price')
      .groupBy(['@category'], reducers.sum('@price').as('total'), reducers.count().as('count'), reducers.max('@price').as('max'))
      .sortBy([{ property: '@total', order: 'DESC' }]);
    const results = [];
    for (const protocol of [2, 3] as const) results.push(await client(protocol).ftAggregate('products', request));
    assert.deepEqual(results[0], results[1]);
    const rows = results[0]!.rows;
    assert.equal(rows.length, CATEGORIES.length);
    for (const row of rows) {
      const t = totals.get(String(row.category))!;
      assert.deepEqual([Number(row.total), Number(row.count), Number(row.max)], [t.sum, t.count, t.max], String(row.category));
    }
    const sums = rows.map((r) => Number(r.total));
    assert.deepEqual(sums, [...sums].sort((a, b) => b - a));
  });
});
