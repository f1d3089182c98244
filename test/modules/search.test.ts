import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DataError,
  GeoField,
  GeoShapeField,
  IndexDefinition,
  NumericField,
  TagField,
  TextField,
  VectorField,
  aggregate,
  escapeTag,
  escapeText,
  numericClause,
  query,
  reducers,
  tagClause,
  textClause,
  type RedisClient,
} from '../../src/index.js';
import { searchMethods as ft, searchShape } from '../../src/modules/search.js';
import { moduleSuite } from './helpers.js';

const blob = (v: number[]): Buffer => Buffer.from(new Float32Array(v).buffer);

describe('Search builders', () => {
  it('Query produces argv with DIALECT outside PARAMS', () => {
    const q = query('@title:hello')
      .filter({ field: 'n', min: 1, max: 7, maxExclusive: true })
      .filter({ field: 'loc', lon: 13.4, lat: 52.5, radius: 10, unit: 'km' })
      .returnFields('title', 'n')
      .returnField('tag', 't')
      .sortBy('n', 'DESC')
      .limit(0, 5)
      .params({ x: 1, s: 'a' })
      .dialect(3)
      .withScores()
      .verbatim()
      .inKeys(['doc:1'])
      .inFields(['title'])
      .slop(1)
      .inOrder()
      .timeout(100)
      .language('english')
      .scorer('BM25')
      .summarize({ fields: ['title'], frags: 2, len: 5, separator: '...' })
      .highlight({ fields: ['title'], tags: ['<b>', '</b>'] });
    assert.deepEqual(q.args(), [
      '@title:hello', 'VERBATIM', 'WITHSCORES',
      'FILTER', 'n', '1', '(7', 'GEOFILTER', 'loc', 13.4, 52.5, 10, 'km',
      'INKEYS', 1, 'doc:1', 'INFIELDS', 1, 'title', 'RETURN', 5, 'title', 'n', 'tag', 'AS', 't',
      'SUMMARIZE', 'FIELDS', 1, 'title', 'FRAGS', 2, 'LEN', 5, 'SEPARATOR', '...',
      'HIGHLIGHT', 'FIELDS', 1, 'title', 'TAGS', '<b>', '</b>',
      'SLOP', 1, 'TIMEOUT', 100, 'INORDER', 'LANGUAGE', 'english', 'SCORER', 'BM25',
      'SORTBY', 'n', 'DESC', 'LIMIT', 0, 5, 'PARAMS', 4, 'x', 1, 's', 'a', 'DIALECT', 3,
    ]);
    const knn = query('@tag:{a}').knn(3, 'vec', [1, 2], { as: 'dist', dim: 2 }).args();
    assert.deepEqual(knn.slice(0, 1), ['(@tag:{a})=>[KNN 3 @vec $vec AS dist]']);
    assert.deepEqual(knn.slice(1, 4), ['PARAMS', 2, 'vec']);
    assert.deepEqual(knn[4], blob([1, 2]));
    assert.deepEqual(knn.slice(5), ['DIALECT', 2]);
    assert.deepEqual(query('*').vectorRange('v', 0.5, new Float32Array([1]), { as: 'd', param: 'q' }).args().slice(0, 3), ['@v:[VECTOR_RANGE 0.5 $q]=>{$YIELD_DISTANCE_AS: d}', 'PARAMS', 2]);
  });

  it('AggregateRequest keeps its steps in order, with every reducer', () => {
    const a = aggregate('@tag:{a}')
      .load('@n', { property: '@title', as: 't' })
      .apply('@n * 2', 'double')
      .groupBy(
        ['@tag'],
        reducers.count().as('c'),
        reducers.countDistinct('@n'),
        reducers.countDistinctish('@n'),
        reducers.sum('@n').as('s'),
        reducers.min('@n'),
        reducers.max('@n'),
        reducers.avg('@n'),
        reducers.stddev('@n'),
        reducers.quantile('@n', 0.5),
        reducers.toList('@n'),
        reducers.firstValue('@title', { property: '@n', order: 'DESC' }),
        reducers.randomSample('@n', 2),
      )
      .filter('@s > 1')
      .sortBy([{ property: '@s', order: 'DESC' }, '@tag'], { max: 10 })
      .limit(0, 5)
      .withCursor({ count: 10, maxIdle: 1000 })
      .params({ p: 1 })
      .verbatim()
      .timeout(50);
    assert.deepEqual(a.args(), [
      '@tag:{a}', 'VERBATIM', 'TIMEOUT', 50, 'LOAD', 4, '@n', '@title', 'AS', 't',
      'APPLY', '@n * 2', 'AS', 'double',
      'GROUPBY', 1, '@tag',
      'REDUCE', 'COUNT', 0, 'AS', 'c',
      'REDUCE', 'COUNT_DISTINCT', 1, '@n',
      'REDUCE', 'COUNT_DISTINCTISH', 1, '@n',
      'REDUCE', 'SUM', 1, '@n', 'AS', 's',
      'REDUCE', 'MIN', 1, '@n',
      'REDUCE', 'MAX', 1, '@n',
      'REDUCE', 'AVG', 1, '@n',
      'REDUCE', 'STDDEV', 1, '@n',
      'REDUCE', 'QUANTILE', 2, '@n', 0.5,
      'REDUCE', 'TOLIST', 1, '@n',
      'REDUCE', 'FIRST_VALUE', 4, '@title', 'BY', '@n', 'DESC',
      'REDUCE', 'RANDOM_SAMPLE', 2, '@n', 2,
      'FILTER', '@s > 1',
      'SORTBY', 3, '@s', 'DESC', '@tag', 'MAX', 10,
      'LIMIT', 0, 5,
      'WITHCURSOR', 'COUNT', 10, 'MAXIDLE', 1000,
      'PARAMS', 2, 'p', 1, 'DIALECT', 2,
    ]);
  });

  it('fields and the index definition write FT.CREATE', () => {
    const argv = ft.ftCreate.build(
      'idx',
      [
        new TextField('$.title', { as: 'title', weight: 2, nostem: true, phonetic: 'dm:en', sortable: true, withsuffixtrie: true }),
        new TagField('tag', { separator: ';', casesensitive: true, indexmissing: true }),
        new NumericField('n', { sortable: true, unf: true }),
        new GeoField('loc', { noindex: true, sortable: true }),
        new GeoShapeField('shape', 'FLAT'),
        new VectorField('v', 'HNSW', { type: 'FLOAT32', dim: 4, distanceMetric: 'COSINE', m: 8, efConstruction: 100, efRuntime: 10, epsilon: 0.01, initialCap: 10 }),
        new VectorField('f', 'FLAT', { type: 'FLOAT64', dim: 2, distanceMetric: 'L2', blockSize: 100 }),
      ],
      { on: 'JSON', prefix: ['a:', 'b:'], filter: '@n > 0', language: 'english', score: 0.5, stopwords: [], skipinitialscan: true, maxtextfields: true, temporary: 60, nooffsets: true, nohl: true, nofields: true, nofreqs: true },
    );
    assert.deepEqual(argv, [
      'FT.CREATE', 'idx', 'ON', 'JSON', 'PREFIX', 2, 'a:', 'b:', 'FILTER', '@n > 0', 'LANGUAGE', 'english', 'SCORE', 0.5,
      'MAXTEXTFIELDS', 'TEMPORARY', 60, 'NOOFFSETS', 'NOHL', 'NOFIELDS', 'NOFREQS', 'STOPWORDS', 0, 'SKIPINITIALSCAN', 'SCHEMA',
      '$.title', 'AS', 'title', 'TEXT', 'NOSTEM', 'WEIGHT', 2, 'PHONETIC', 'dm:en', 'WITHSUFFIXTRIE', 'SORTABLE',
      'tag', 'TAG', 'SEPARATOR', ';', 'CASESENSITIVE', 'INDEXMISSING',
      'n', 'NUMERIC', 'SORTABLE', 'UNF',
      'loc', 'GEO', 'SORTABLE', 'NOINDEX',
      'shape', 'GEOSHAPE', 'FLAT',
      'v', 'VECTOR', 'HNSW', 16, 'TYPE', 'FLOAT32', 'DIM', 4, 'DISTANCE_METRIC', 'COSINE', 'INITIAL_CAP', 10, 'M', 8, 'EF_CONSTRUCTION', 100, 'EF_RUNTIME', 10, 'EPSILON', 0.01,
      'f', 'VECTOR', 'FLAT', 8, 'TYPE', 'FLOAT64', 'DIM', 2, 'DISTANCE_METRIC', 'L2', 'BLOCK_SIZE', 100,
    ]);
    const withDef = ft.ftCreate.build('i', [new NumericField('n')], { definition: new IndexDefinition({ on: 'HASH', prefix: ['p:'], scoreField: 's', payloadField: 'p', languageField: 'l' }) });
    assert.deepEqual(withDef, ['FT.CREATE', 'i', 'ON', 'HASH', 'PREFIX', 1, 'p:', 'LANGUAGE_FIELD', 'l', 'SCORE_FIELD', 's', 'PAYLOAD_FIELD', 'p', 'SCHEMA', 'n', 'NUMERIC']);
  });

  it('FT.EXPLAIN takes the query with its parameters and dialect only', () => {
    const q = query('@n:[$x 2]').params({ x: 1 }).limit(0, 1).returnFields('a');
    assert.deepEqual(ft.ftExplain.build('i', q), ['FT.EXPLAIN', 'i', '@n:[$x 2]', 'PARAMS', 2, 'x', 1, 'DIALECT', 2]);
    assert.deepEqual(ft.ftExplaincli.build('i', q, { dialect: 3 }), ['FT.EXPLAINCLI', 'i', '@n:[$x 2]', 'PARAMS', 2, 'x', 1, 'DIALECT', 3]);
    assert.deepEqual(ft.ftExplain.build('i', 'hello', { dialect: 2 }), ['FT.EXPLAIN', 'i', 'hello', 'DIALECT', 2]);
  });

  it('escapes tag and text values', () => {
    assert.equal(escapeTag('a b-c@d.e'), 'a\\ b\\-c\\@d\\.e');
    assert.equal(escapeText('hello-world @x'), 'hello\\-world \\@x');
    assert.equal(tagClause('tag', 'new york', 'la'), '@tag:{new\\ york | la}');
    assert.equal(numericClause('n', 1, Infinity, { minExclusive: true }), '@n:[(1 +inf]');
    assert.equal(textClause('title', 'a-b'), '@title:(a\\-b)');
  });

  it('reads the reply layout from an FT.SEARCH argv, skipping argument values', () => {
    const s = searchShape(['FT.SEARCH', 'i', 'q', 'RETURN', 1, 'WITHSCORES', 'PARAMS', 2, 'NOCONTENT', 'x', 'WITHPAYLOADS', 'SORTBY', 'n', 'DESC', 'LIMIT', 0, 1], 3);
    assert.deepEqual(s, { nocontent: false, withscores: false, withpayloads: true, withsortkeys: false, explainscore: false });
  });

  it('refuses malformed builder calls and bad vectors with DataError', () => {
    assert.throws(() => query(''), DataError);
    assert.throws(() => query('*').limit(-1, 10), /offset must be an integer/);
    assert.throws(() => query('*').sortBy('n', 'UP' as 'ASC'), /order must be ASC or DESC/);
    assert.throws(() => query('*').filter({ field: 'n', min: 5, max: 1 }), /min 5 is above max 1/);
    assert.throws(() => query('*').params({ 'bad name': 1 }), /parameter name/);
    assert.throws(() => query('*').params({ x: {} as never }), /parameter x/);
    assert.throws(() => query('*').knn(3, 'v', [1, 2, 3], { dim: 4 }), /3 dimensions, expected 4/);
    assert.throws(() => query('*').knn(0, 'v', [1]), /k must be/);
    assert.throws(() => query('*').knn(1, 'v', [1]).knn(1, 'v', [1]), /at most one KNN/);
    assert.throws(() => query('*').params({ x: 1 }).dialect(1).args(), /dialect 2/);
    assert.throws(() => query('*').explainScore().args(), /needs withScores/);
    assert.throws(() => aggregate('*').groupBy(['tag']), /@name/);
    assert.throws(() => aggregate('*').load(), /at least one field/);
    assert.throws(() => reducers.quantile('@n', 2), /between 0 and 1/);
    assert.throws(() => new VectorField('v', 'FLAT', { type: 'FLOAT32', dim: 0, distanceMetric: 'L2' }), /dim/);
    assert.throws(() => new VectorField('v', 'FLAT', { type: 'FLOAT32', dim: 2, distanceMetric: 'L2', m: 4 }), /HNSW options/);
    assert.throws(() => new NumericField('n', { unf: true }), /unf needs sortable/);
    assert.throws(() => ft.ftCreate.build('i', []), /schema/);
    assert.throws(() => ft.ftCreate.build('i', [{ name: 'x' } as never]), /each schema entry/);
    assert.throws(() => ft.ftSearch.build('i', 5 as never), /query must be/);
  });
});

async function seedHashes(c: RedisClient): Promise<void> {
  await c.ftCreate(
    'idx',
    [
      new TextField('title', { weight: 2, sortable: true }),
      new NumericField('n', { sortable: true }),
      new TagField('tag'),
      new GeoField('loc'),
      new GeoShapeField('shape', 'FLAT'),
      new VectorField('v', 'HNSW', { type: 'FLOAT32', dim: 2, distanceMetric: 'L2' }),
      new VectorField('vf', 'FLAT', { type: 'FLOAT32', dim: 2, distanceMetric: 'COSINE' }),
    ],
    { on: 'HASH', prefix: ['doc:'] },
  );
  await c.hset('doc:1', { title: 'hello world', n: 5, tag: 'a,b', loc: '13.4,52.5', shape: 'POINT (1 1)', v: blob([0, 0]), vf: blob([1, 0]) });
  await c.hset('doc:2', { title: 'hello there', n: 10, tag: 'b', loc: '2.35,48.85', shape: 'POINT (5 5)', v: blob([1, 1]), vf: blob([0, 1]) });
  await c.hset('doc:3', { title: 'goodbye world', n: 20, tag: 'c', v: blob([5, 5]), vf: blob([1, 1]) });
}

moduleSuite('Search', ({ both, client }) => {
  it('FT.SEARCH gives the same documents, scores, payloads and sort keys under RESP2 and RESP3', async () => {
    const r = await both(async (c) => {
      await seedHashes(c);
      return [
        await c.ftSearch('idx', 'hello'),
        await c.ftSearch('idx', query('hello').withScores().withPayloads().withSortKeys().sortBy('n', 'DESC')),
        await c.ftSearch('idx', query('hello').noContent()),
        await c.ftSearch('idx', query('hello').returnFields('n').limit(0, 1).sortBy('n')),
        await c.ftSearch('idx', query('@n:[$lo $hi]').params({ lo: 1, hi: 7 }).returnField('title', 'name')),
        await c.ftSearch('idx', query('*').filter({ field: 'n', min: 6, max: Infinity }).returnFields('n').sortBy('n')),
        await c.ftSearch('idx', query('*').filter({ field: 'loc', lon: 13.4, lat: 52.5, radius: 10, unit: 'km' }).noContent()),
        await c.ftSearch('idx', query(tagClause('tag', 'b')).noContent().sortBy('n')),
        await c.ftSearch('idx', query('@shape:[WITHIN $area]').params({ area: 'POLYGON((0 0, 0 2, 2 2, 2 0, 0 0))' }).noContent()),
        await c.ftSearch('idx', query('*').knn(2, 'v', [0.9, 0.9], { as: 'dist', dim: 2 }).returnFields('dist').sortBy('dist')),
        await c.ftSearch('idx', query('*').knn(1, 'v', new Float32Array([0.1, 0]), { efRuntime: 10 }).noContent()),
        await c.ftSearch('idx', query('*').vectorRange('v', 2, [0, 0], { as: 'd' }).returnFields('d').sortBy('d')),
        await c.ftSearch('idx', query('hello').withScores().explainScore().limit(0, 1)).then((x) => [x.total, typeof x.documents[0]!.score, x.documents[0]!.explanation !== undefined]),
        await c.ftSearch('idx', query('nothing')),
      ];
    });
    assert.deepEqual(r[0], {
      total: 2,
      documents: [
        { id: 'doc:2', value: { title: 'hello there', n: '10', tag: 'b', loc: '2.35,48.85', shape: 'POINT (5 5)', v: blob([1, 1]).toString(), vf: blob([0, 1]).toString() } },
        { id: 'doc:1', value: { title: 'hello world', n: '5', tag: 'a,b', loc: '13.4,52.5', shape: 'POINT (1 1)', v: blob([0, 0]).toString(), vf: blob([1, 0]).toString() } },
      ].sort((a, b) => (a.id < b.id ? 1 : -1)),
    });
    const scored = r[1] as { total: number; documents: Array<{ id: string; score: number; payload: null; sortKey: string }> };
    assert.deepEqual(scored.documents.map((d) => [d.id, typeof d.score, d.payload, d.sortKey]), [['doc:2', 'number', null, '#10'], ['doc:1', 'number', null, '#5']]);
    assert.deepEqual(r.slice(2, 9), [
      { total: 2, documents: [{ id: 'doc:2', value: {} }, { id: 'doc:1', value: {} }].sort((a, b) => (a.id < b.id ? 1 : -1)) },
      { total: 2, documents: [{ id: 'doc:1', value: { n: '5' } }] },
      { total: 1, documents: [{ id: 'doc:1', value: { name: 'hello world' } }] },
      { total: 2, documents: [{ id: 'doc:2', value: { n: '10' } }, { id: 'doc:3', value: { n: '20' } }] },
      { total: 1, documents: [{ id: 'doc:1', value: {} }] },
      { total: 2, documents: [{ id: 'doc:1', value: {} }, { id: 'doc:2', value: {} }] },
      { total: 1, documents: [{ id: 'doc:1', value: {} }] },
    ]);
    assert.deepEqual((r[9] as { documents: Array<{ id: string }> }).documents.map((d) => d.id), ['doc:2', 'doc:1']);
    assert.deepEqual(r[10], { total: 1, documents: [{ id: 'doc:1', value: {} }] });
    assert.deepEqual(r[11], { total: 2, documents: [{ id: 'doc:1', value: { d: '0' } }, { id: 'doc:2', value: { d: '2' } }] });
    const dists = (r[9] as unknown as { documents: Array<{ value: { dist: string } }> }).documents.map((d) => Number(d.value.dist));
    assert.ok(Math.abs(dists[0]! - 0.02) < 1e-5 && Math.abs(dists[1]! - 1.62) < 1e-5, String(dists));
    assert.deepEqual(r[12], [2, 'number', true]);
    assert.deepEqual(r[13], { total: 0, documents: [] });
  });

  it('FT.AGGREGATE with GROUPBY/REDUCE, APPLY, FILTER, SORTBY, LIMIT and cursors', async () => {
    const r = await both(async (c) => {
      await seedHashes(c);
      const grouped = await c.ftAggregate(
        'idx',
        aggregate('*')
          .load('@n', '@tag')
          .groupBy(['@tag'], reducers.sum('@n').as('total'), reducers.count().as('count'), reducers.toList('@n').as('all'))
          .sortBy([{ property: '@total', order: 'DESC' }]),
      );
      const applied = await c.ftAggregate('idx', aggregate('*').load('@n').apply('@n * 2', 'double').filter('@double > 10').sortBy(['@double']).limit(0, 5));
      const first = await c.ftAggregate('idx', aggregate('*').load('@n').sortBy(['@n']).withCursor({ count: 2 }));
      const pages = [first];
      let cursor = first.cursor;
      while (cursor !== 0) {
        const page = await c.ftCursorRead('idx', cursor, { count: 2 });
        pages.push(page);
        cursor = page.cursor;
      }
      const another = await c.ftAggregate('idx', aggregate('*').withCursor({ count: 1 }));
      return {
        grouped,
        applied,
        rows: pages.flatMap((p) => p.rows),
        lastCursor: pages[pages.length - 1]!.cursor,
        cursorDel: await c.ftCursorDel('idx', another.cursor),
        raw: await c.ftAggregate('idx', '@n:[0 6]'),
      };
    });
    assert.deepEqual(r.grouped, {
      total: 3,
      rows: [
        { tag: 'c', total: '20', count: '1', all: ['20'] },
        { tag: 'b', total: '10', count: '1', all: ['10'] },
        { tag: 'a,b', total: '5', count: '1', all: ['5'] },
      ],
    });
    assert.deepEqual(r.applied.rows, [{ n: '10', double: '20' }, { n: '20', double: '40' }]);
    assert.deepEqual(r.rows, [{ n: '5' }, { n: '10' }, { n: '20' }]);
    assert.equal(r.lastCursor, 0);
    assert.equal(r.cursorDel, 'OK');
    assert.deepEqual(r.raw, { total: 1, rows: [{}] });
  });

  it('INFO, _LIST, EXPLAIN, PROFILE, TAGVALS, ALTER, ALIAS*, DROPINDEX', async () => {
    const r = await both(async (c) => {
      await seedHashes(c);
      const info = await c.ftInfo('idx');
      const profile = await c.ftProfile('idx', query('hello').noContent());
      const aggProfile = await c.ftProfile('idx', aggregate('*').groupBy([], reducers.count().as('c')), { limited: true });
      return [
        info.index_name,
        info.num_docs,
        info.attributes.map((a) => [a.identifier, a.type, a.flags]),
        (info.index_definition as Record<string, unknown>).prefixes,
        (info.index_definition as Record<string, unknown>).key_type,
        await c.ftList(),
        await c.ftExplain('idx', query('@n:[$x 2]').params({ x: 1 })),
        (await c.ftExplaincli('idx', 'hello')).length > 0,
        profile.results,
        Object.keys(profile.profile).sort(),
        aggProfile.results,
        await c.ftTagvals('idx', 'tag'),
        await c.ftAlter('idx', new TextField('extra'), { skipinitialscan: true }),
        (await c.ftInfo('idx')).attributes.length,
        await c.ftAliasadd('al', 'idx'),
        (await c.ftSearch('al', query('hello').noContent())).total,
        await c.ftAliasupdate('al', 'idx'),
        await c.ftAliasdel('al'),
        await c.ftDropindex('idx', { dd: true }),
        await c.exists('doc:1'),
        await c.ftList(),
      ];
    });
    assert.deepEqual(r, [
      'idx',
      3,
      [
        ['title', 'TEXT', ['SORTABLE']],
        ['n', 'NUMERIC', ['SORTABLE', 'UNF']],
        ['tag', 'TAG', []],
        ['loc', 'GEO', []],
        ['shape', 'GEOSHAPE', []],
        ['v', 'VECTOR', []],
        ['vf', 'VECTOR', []],
      ],
      ['doc:'],
      'HASH',
      ['idx'],
      'NUMERIC {1.000000 <= @n <= 2.000000}\n',
      true,
      { total: 2, documents: [{ id: 'doc:2', value: {} }, { id: 'doc:1', value: {} }].sort((a, b) => (a.id < b.id ? 1 : -1)) },
      ['Coordinator', 'Shards'],
      { total: 1, rows: [{ c: '3' }] },
      ['a', 'b', 'c'],
      'OK',
      8,
      'OK',
      2,
      'OK',
      'OK',
      'OK',
      0,
      [],
    ]);
  });

  it('SPELLCHECK, DICT*, SYN*, SUG*, CONFIG', async () => {
    const r = await both(async (c) => {
      await seedHashes(c);
      return [
        (await c.ftSpellcheck('idx', 'helo wrld')).map((t) => [t.term, t.suggestions.map((x) => [x.suggestion, x.score > 0 && x.score <= 1])]),
        await c.ftDictadd('d', 'helo', 'bar'),
        await c.ftSpellcheck('idx', 'helo', { distance: 1, terms: [{ mode: 'EXCLUDE', dictionary: 'd' }] }),
        await c.ftDictdump('d'),
        await c.ftDictdel('d', 'bar'),
        await c.ftSynupdate('idx', 'g1', ['hello', 'hi'], { skipinitialscan: true }),
        await c.ftSyndump('idx'),
        await c.ftSugadd('sug', 'hello world', 1, { payload: 'pl' }),
        await c.ftSugadd('sug', 'help', 2, { incr: true }),
        await c.ftSugget('sug', 'hel'),
        await c.ftSugget('sug', 'hel', { withscores: true, withpayloads: true, max: 5 }).then((s) => s.map((x) => [x.suggestion, typeof x.score, x.payload])),
        (await c.ftSugget('sug', 'hepl', { fuzzy: true })).includes('help'),
        await c.ftSuglen('sug'),
        await c.ftSugdel('sug', 'help'),
        await c.ftSugdel('sug', 'help'),
        await c.ftConfigSet('TIMEOUT', 600),
        await c.ftConfigGet('TIMEOUT'),
        await c.ftConfigSet('TIMEOUT', 500),
      ];
    });
    assert.deepEqual(r, [
      [
        ['helo', [['hello', true]]],
        ['wrld', [['world', true]]],
      ],
      2,
      [],
      ['bar', 'helo'],
      1,
      'OK',
      { hello: ['g1'], hi: ['g1'] },
      1,
      2,
      ['help', 'hello world'],
      [['help', 'number', null], ['hello world', 'number', 'pl']],
      true,
      2,
      true,
      false,
      'OK',
      { TIMEOUT: '600' },
      'OK',
    ]);
  });

  it('works in a pipeline and in MULTI with no extra code', async () => {
    const c = client(2);
    await c.flushall();
    await seedHashes(c);
    const piped = await c.pipeline().ftSearch('idx', query('hello').noContent().sortBy('n')).ftAggregate('idx', aggregate('*').groupBy([], reducers.count().as('c'))).exec();
    assert.deepEqual(piped, [{ total: 2, documents: [{ id: 'doc:1', value: {} }, { id: 'doc:2', value: {} }] }, { total: 1, rows: [{ c: '3' }] }]);
    const multi = await client(3).multi().ftSearch('idx', query('world').returnFields('n').sortBy('n')).ftTagvals('idx', 'tag').exec();
    assert.deepEqual(multi, [{ total: 2, documents: [{ id: 'doc:1', value: { n: '5' } }, { id: 'doc:3', value: { n: '20' } }] }, ['a', 'b', 'c']]);
  });

  it('HIGHLIGHT, SUMMARIZE, INKEYS, INFIELDS, VERBATIM, SLOP/INORDER on a hash index; JSON documents as $', async () => {
    const r = await both(async (c) => {
      await seedHashes(c);
      await c.ftCreate('jidx', [new TextField('$.name', { as: 'name' }), new TagField('$.tags[*]', { as: 'tags' })], { on: 'JSON', prefix: ['j:'] });
      await c.jsonSet('j:1', '$', { name: 'alice', tags: ['a', 'b'] });
      return [
        await c.ftSearch('idx', query('hello').highlight({ fields: ['title'], tags: ['<b>', '</b>'] }).returnFields('title').sortBy('n')),
        await c.ftSearch('idx', query('world').summarize({ fields: ['title'], frags: 1, len: 1 }).returnFields('title').sortBy('n')),
        await c.ftSearch('idx', query('hello').inKeys(['doc:1']).noContent()),
        await c.ftSearch('idx', query('hello').inFields(['title']).verbatim().noContent().sortBy('n')),
        await c.ftSearch('idx', query('hello world').slop(0).inOrder().noContent()),
        await c.ftSearch('jidx', query(tagClause('tags', 'a'))),
        await c.ftSearch('jidx', query('*').returnField('$.name', 'who')),
      ];
    });
    assert.deepEqual(r, [
      { total: 2, documents: [{ id: 'doc:1', value: { title: '<b>hello</b> world' } }, { id: 'doc:2', value: { title: '<b>hello</b> there' } }] },
      { total: 2, documents: [{ id: 'doc:1', value: { title: 'world... ' } }, { id: 'doc:3', value: { title: 'world... ' } }] },
      { total: 1, documents: [{ id: 'doc:1', value: {} }] },
      { total: 2, documents: [{ id: 'doc:1', value: {} }, { id: 'doc:2', value: {} }] },
      { total: 1, documents: [{ id: 'doc:1', value: {} }] },
      { total: 1, documents: [{ id: 'j:1', value: { $: '{"name":"alice","tags":["a","b"]}' } }] },
      { total: 1, documents: [{ id: 'j:1', value: { who: 'alice' } }] },
    ]);
  });

  it('keeps binary field values (vectors) intact in a withBuffers() view', async () => {
    for (const protocol of [2, 3] as const) {
      const c = client(protocol);
      await c.flushall();
      await seedHashes(c);
      const r = await c.withBuffers().ftSearch('idx', query('@n:[5 5]').returnFields('v', 'title'));
      assert.equal(r.documents[0]!.id, 'doc:1');
      assert.deepEqual(r.documents[0]!.value.v, blob([0, 0]));
      assert.deepEqual(r.documents[0]!.value.title, Buffer.from('hello world'));
    }
  });

  it('refuses a wrong vector dimension and a bad query before sending', async () => {
    // The builder refuses at once; the method refuses a non-query with a rejected promise.
    assert.throws(() => query('*').knn(2, 'v', [1, 2, 3], { dim: 2 }), (e: unknown) => e instanceof DataError && /expected 2/.test(e.message));
    await assert.rejects(client(3).ftSearch('idx', { text: '*' } as never), (e: unknown) => e instanceof DataError && /FT.SEARCH/.test(e.message));
  });
});
