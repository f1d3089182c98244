import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError, ResponseError } from '../../src/index.js';
import { timeSeriesMethods as ts } from '../../src/modules/timeseries.js';
import { moduleSuite } from './helpers.js';

describe('TimeSeries argv', () => {
  it('builds CREATE, ADD, RANGE and MRANGE with every option', () => {
    assert.deepEqual(
      ts.tsCreate.build('t', { retention: 1000, encoding: 'UNCOMPRESSED', chunkSize: 128, duplicatePolicy: 'LAST', ignore: { maxTimeDiff: 5, maxValDiff: 0.5 }, labels: { a: 'x' } }),
      ['TS.CREATE', 't', 'RETENTION', 1000, 'ENCODING', 'UNCOMPRESSED', 'CHUNK_SIZE', 128, 'DUPLICATE_POLICY', 'LAST', 'IGNORE', 5, 0.5, 'LABELS', 'a', 'x'],
    );
    assert.deepEqual(ts.tsAdd.build('t', '*', 1.5, { onDuplicate: 'SUM' }), ['TS.ADD', 't', '*', 1.5, 'ON_DUPLICATE', 'SUM']);
    assert.deepEqual(ts.tsIncrby.build('t', 2, { timestamp: 10, uncompressed: true }), ['TS.INCRBY', 't', 2, 'TIMESTAMP', 10, 'UNCOMPRESSED']);
    assert.deepEqual(
      ts.tsRange.build('t', '-', '+', { latest: true, filterByTs: [1, 2], filterByValue: { min: 0, max: 9 }, count: 5, align: 'start', aggregation: { type: 'twa', bucketDuration: 10, bucketTimestamp: 'mid', empty: true } }),
      ['TS.RANGE', 't', '-', '+', 'LATEST', 'FILTER_BY_TS', 1, 2, 'FILTER_BY_VALUE', 0, 9, 'COUNT', 5, 'ALIGN', 'start', 'AGGREGATION', 'twa', 10, 'BUCKETTIMESTAMP', 'mid', 'EMPTY'],
    );
    assert.deepEqual(
      ts.tsMrange.build(0, '+', ['kind=temp', 'room!='], { withlabels: true, count: 3, groupBy: { label: 'kind', reduce: 'max' } }),
      ['TS.MRANGE', 0, '+', 'WITHLABELS', 'COUNT', 3, 'FILTER', 'kind=temp', 'room!=', 'GROUPBY', 'kind', 'REDUCE', 'max'],
    );
    assert.deepEqual(ts.tsMget.build(['a=b'], { latest: true, selectedLabels: ['x'] }), ['TS.MGET', 'LATEST', 'SELECTED_LABELS', 'x', 'FILTER', 'a=b']);
    assert.deepEqual(ts.tsQueryindex.build(['a=b', 'c!=']), ['TS.QUERYINDEX', 'a=b', 'c!=']);
    assert.deepEqual(ts.tsCreaterule.build('s', 'd', 'std.p', 60000, 0), ['TS.CREATERULE', 's', 'd', 'AGGREGATION', 'std.p', 60000, 0]);
  });

  it('refuses bad input before sending', () => {
    assert.throws(() => ts.tsAdd.build('t', -1, 1), DataError);
    assert.throws(() => ts.tsAdd.build('t', 1, '1' as unknown as number), DataError);
    assert.throws(() => ts.tsCreate.build('t', { duplicatePolicy: 'NEWEST' as 'LAST' }), /duplicatePolicy must be one of/);
    assert.throws(() => ts.tsAlter.build('t', { encoding: 'COMPRESSED' } as never), /encoding cannot be changed/);
    assert.throws(() => ts.tsRange.build('t', '-', '+', { align: 0 }), /align needs an aggregation/);
    assert.throws(() => ts.tsRange.build('t', '-', '+', { aggregation: { type: 'median' as 'avg', bucketDuration: 1 } }), /aggregation.type/);
    assert.throws(() => ts.tsMget.build([]), /filters/);
    assert.throws(() => ts.tsMget.build(['nolabel']), /filter/);
    assert.throws(() => ts.tsMget.build(['a=b'], { withlabels: true, selectedLabels: ['a'] }), /exclude/);
    assert.throws(() => ts.tsMadd.build([['t', 1]] as never), /\[key, timestamp, value\]/);
  });
});

moduleSuite('TimeSeries', ({ both, client }) => {
  async function seed(c: Awaited<ReturnType<typeof client>>): Promise<unknown[]> {
    return [
      await c.tsCreate('t1', { retention: 100000, encoding: 'UNCOMPRESSED', chunkSize: 128, duplicatePolicy: 'LAST', labels: { kind: 'temp', room: 'a' } }),
      await c.tsCreate('t2', { labels: { kind: 'temp', room: 'b' } }),
      await c.tsCreate('agg', { labels: { kind: 'agg' } }),
      await c.tsCreaterule('t1', 'agg', 'avg', 10),
      await c.tsAdd('t1', 1, 1.5),
      await c.tsAdd('t1', 2, 2.5, { onDuplicate: 'SUM' }),
      await c.tsMadd([['t1', 3, 3], ['t2', 1, 10], ['t2', 2, 20]]),
      await c.tsAdd('t1', 15, 4),
    ];
  }

  it('creates, adds and reads samples as numbers', async () => {
    const r = await both(async (c) => [
      ...(await seed(c)),
      await c.tsIncrby('t3', 5, { timestamp: 10 }),
      await c.tsDecrby('t3', 1.5, { timestamp: 11 }),
      await c.tsGet('t3'),
      await c.tsGet('t1', { latest: true }),
      await c.tsRange('t1', '-', '+'),
      await c.tsRange('t1', 0, '+', { aggregation: { type: 'sum', bucketDuration: 10 } }),
      await c.tsRevrange('t1', '-', '+', { count: 2 }),
      await c.tsRange('t1', 0, 20, { filterByValue: { min: 2, max: 3.5 }, filterByTs: [2, 3, 15], align: 'start', aggregation: { type: 'max', bucketDuration: 5, bucketTimestamp: 'end', empty: true } }),
      await c.tsRange('agg', '-', '+'),
      await c.tsRange('agg', '-', '+', { latest: true }),
    ]);
    assert.deepEqual(r.slice(0, 8), ['OK', 'OK', 'OK', 'OK', 1, 2, [3, 1, 2], 15]);
    assert.deepEqual(r.slice(8), [
      10,
      11,
      { timestamp: 11, value: 3.5 },
      { timestamp: 15, value: 4 },
      [
        { timestamp: 1, value: 1.5 },
        { timestamp: 2, value: 2.5 },
        { timestamp: 3, value: 3 },
        { timestamp: 15, value: 4 },
      ],
      [
        { timestamp: 0, value: 7 },
        { timestamp: 10, value: 4 },
      ],
      [
        { timestamp: 15, value: 4 },
        { timestamp: 3, value: 3 },
      ],
      [{ timestamp: 5, value: 3 }],
      [{ timestamp: 0, value: 7 / 3 }],
      [
        { timestamp: 0, value: 7 / 3 },
        { timestamp: 10, value: 4 },
      ],
    ]);
  });

  it('MGET, MRANGE, MREVRANGE with labels and GROUPBY/REDUCE, QUERYINDEX', async () => {
    const r = await both(async (c) => {
      await seed(c);
      await c.tsCreate('empty', { labels: { kind: 'none' } });
      return {
        mget: await c.tsMget(['kind=temp']),
        mgetLabels: await c.tsMget(['kind=temp'], { withlabels: true }),
        mgetSelected: await c.tsMget(['kind=temp'], { selectedLabels: ['room'] }),
        mgetEmpty: await c.tsMget(['kind=none']),
        mrange: await c.tsMrange('-', '+', ['kind=temp'], { withlabels: true }),
        grouped: await c.tsMrange('-', '+', ['kind=temp'], { groupBy: { label: 'kind', reduce: 'sum' } }),
        groupedLabels: await c.tsMrevrange('-', '+', ['kind=temp'], { withlabels: true, groupBy: { label: 'kind', reduce: 'max' } }),
        aggregated: await c.tsMrange(0, '+', ['room=(a,b)'], { selectedLabels: ['room'], aggregation: { type: 'count', bucketDuration: 100 } }),
        index: (await c.tsQueryindex(['kind=temp'])).sort(),
      };
    });
    assert.deepEqual(r.mget, [
      { key: 't1', labels: {}, sample: { timestamp: 15, value: 4 } },
      { key: 't2', labels: {}, sample: { timestamp: 2, value: 20 } },
    ]);
    assert.deepEqual(r.mgetLabels[0]!.labels, { kind: 'temp', room: 'a' });
    assert.deepEqual(r.mgetSelected.map((e) => e.labels), [{ room: 'a' }, { room: 'b' }]);
    assert.deepEqual(r.mgetEmpty, [{ key: 'empty', labels: {}, sample: null }]);
    assert.deepEqual(r.mrange[1], { key: 't2', labels: { kind: 'temp', room: 'b' }, samples: [{ timestamp: 1, value: 10 }, { timestamp: 2, value: 20 }] });
    assert.deepEqual(r.grouped, [
      { key: 'kind=temp', labels: {}, samples: [{ timestamp: 1, value: 11.5 }, { timestamp: 2, value: 22.5 }, { timestamp: 3, value: 3 }, { timestamp: 15, value: 4 }] },
    ]);
    assert.deepEqual(r.groupedLabels, [
      { key: 'kind=temp', labels: { kind: 'temp' }, samples: [{ timestamp: 15, value: 4 }, { timestamp: 3, value: 3 }, { timestamp: 2, value: 20 }, { timestamp: 1, value: 10 }] },
    ]);
    assert.deepEqual(r.aggregated, [
      { key: 't1', labels: { room: 'a' }, samples: [{ timestamp: 0, value: 4 }] },
      { key: 't2', labels: { room: 'b' }, samples: [{ timestamp: 0, value: 2 }] },
    ]);
    assert.deepEqual(r.index, ['t1', 't2']);
  });

  it('INFO, ALTER, DEL, DELETERULE', async () => {
    const r = await both(async (c) => {
      await seed(c);
      const before = await c.tsInfo('t1');
      const debug = await c.tsInfo('t1', { debug: true });
      return [
        before,
        debug.chunks?.length,
        debug.keySelfName,
        await c.tsDel('t1', 0, 1),
        await c.tsDeleterule('t1', 'agg'),
        await c.tsAlter('t1', { retention: 0, labels: { kind: 'x' }, duplicatePolicy: 'MAX' }),
        await c.tsInfo('t1').then((i) => [i.retentionTime, i.labels, i.rules, i.duplicatePolicy, i.totalSamples]),
        await c.tsInfo('agg').then((i) => i.sourceKey),
      ];
    });
    const info = r[0] as unknown as Record<string, unknown>;
    assert.equal(info.totalSamples, 4);
    assert.equal(info.chunkType, 'uncompressed');
    assert.equal(info.duplicatePolicy, 'last');
    assert.deepEqual(info.labels, { kind: 'temp', room: 'a' });
    assert.deepEqual(info.rules, [{ key: 'agg', bucketDuration: 10, aggregation: 'AVG', alignTimestamp: 0 }]);
    assert.equal(info.ignoreMaxValDiff, 0);
    assert.deepEqual(r.slice(1), [1, 't1', 1, 'OK', 'OK', [0, { kind: 'x' }, [], 'max', 3], null]);
  });

  it('reports per-sample errors of MADD in place, and works in pipelines and MULTI', async () => {
    const c = client(3);
    await c.flushall();
    await c.tsCreate('blk', { duplicatePolicy: 'BLOCK' });
    const res = await c.tsMadd([['blk', 1, 1], ['blk', 1, 2], ['blk', 2, 3]]);
    assert.equal(res[0], 1);
    assert.ok(res[1] instanceof ResponseError, String(res[1]));
    assert.equal(res[2], 2);
    const piped = await client(2).pipeline().tsAdd('p', 1, 1).tsAdd('p', 2, 2).tsRange('p', '-', '+').exec();
    assert.deepEqual(piped, [1, 2, [{ timestamp: 1, value: 1 }, { timestamp: 2, value: 2 }]]);
    const multi = await client(2).multi().tsIncrby('m', 1, { timestamp: 5 }).tsGet('m').exec();
    assert.deepEqual(multi, [5, { timestamp: 5, value: 1 }]);
  });
});
