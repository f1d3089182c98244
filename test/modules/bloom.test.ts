import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError } from '../../src/index.js';
import { bloomMethods as b } from '../../src/modules/bloom.js';
import { moduleSuite } from './helpers.js';

describe('Bloom family argv', () => {
  it('builds the commands', () => {
    assert.deepEqual(b.bfReserve.build('f', 0.01, 100, { expansion: 2 }), ['BF.RESERVE', 'f', 0.01, 100, 'EXPANSION', 2]);
    assert.deepEqual(b.bfInsert.build('f', ['a', 'b'], { capacity: 10, error: 0.1, nocreate: true, nonscaling: true }), ['BF.INSERT', 'f', 'CAPACITY', 10, 'ERROR', 0.1, 'NOCREATE', 'NONSCALING', 'ITEMS', 'a', 'b']);
    assert.deepEqual(b.cfReserve.build('c', 100, { bucketSize: 2, maxIterations: 20, expansion: 1 }), ['CF.RESERVE', 'c', 100, 'BUCKETSIZE', 2, 'MAXITERATIONS', 20, 'EXPANSION', 1]);
    assert.deepEqual(b.cfInsertnx.build('c', ['x'], { capacity: 5 }), ['CF.INSERTNX', 'c', 'CAPACITY', 5, 'ITEMS', 'x']);
    assert.deepEqual(b.cmsIncrby.build('m', { a: 3, b: 1 }), ['CMS.INCRBY', 'm', 'a', 3, 'b', 1]);
    assert.deepEqual(b.cmsMerge.build('d', ['s1', 's2'], [1, 2]), ['CMS.MERGE', 'd', 2, 's1', 's2', 'WEIGHTS', 1, 2]);
    assert.deepEqual(b.topkReserve.build('t', 3, { width: 50, depth: 4, decay: 0.9 }), ['TOPK.RESERVE', 't', 3, 50, 4, 0.9]);
    assert.deepEqual(b.tdigestMerge.build('d', 'a', { compression: 50, override: true }), ['TDIGEST.MERGE', 'd', 1, 'a', 'COMPRESSION', 50, 'OVERRIDE']);
    assert.deepEqual(b.tdigestByrank.build('d', 0, Infinity), ['TDIGEST.BYRANK', 'd', 0, '+inf']);
  });

  it('refuses bad input before sending', () => {
    assert.throws(() => b.bfReserve.build('f', 1.5, 100), /error must be between 0 and 1/);
    assert.throws(() => b.bfReserve.build('f', 0.1, 0), /capacity must be at least 1/);
    assert.throws(() => b.bfReserve.build('f', 0.1, 10, { expansion: 2, nonscaling: true }), /exclude/);
    assert.throws(() => b.bfMadd.build('f'), DataError);
    assert.throws(() => b.bfInsert.build('f', []), /items/);
    assert.throws(() => b.cmsMerge.build('d', ['a', 'b'], [1]), /one weight per source/);
    assert.throws(() => b.cmsIncrby.build('m', { a: 0 }), /increment must be at least 1/);
    assert.throws(() => b.tdigestAdd.build('d', NaN), /value must be a number/);
    assert.throws(() => b.bfInfo.build('f', 'BOGUS' as 'SIZE'), /field must be one of/);
  });
});

moduleSuite('Bloom family', ({ both, client }) => {
  it('Bloom filters', async () => {
    const r = await both(async (c) => [
      await c.bfReserve('bf', 0.01, 100, { expansion: 2 }),
      await c.bfAdd('bf', 'a'),
      await c.bfMadd('bf', 'a', 'b'),
      await c.bfExists('bf', 'a'),
      await c.bfExists('bf', 'zz'),
      await c.bfMexists('bf', 'a', 'zz'),
      await c.bfInsert('bf2', ['x', 'y'], { capacity: 100, error: 0.01 }),
      await c.bfCard('bf'),
      await c.bfCard('nokey'),
      await c.bfInfo('bf'),
      await c.bfInfo('bf', 'CAPACITY'),
      await c.bfInfo('bf', 'ITEMS'),
    ]);
    assert.deepEqual(r, ['OK', true, [false, true], true, false, [true, false], [true, true], 2, 0, { capacity: 100, size: 240, filters: 1, itemsInserted: 2, expansionRate: 2 }, 100, 2]);
  });

  it('Bloom and cuckoo filters survive SCANDUMP / LOADCHUNK as Buffers', async () => {
    await both(async (c) => {
      await c.bfInsert('bf', ['a', 'b', 'c']);
      await c.cfInsert('cf', ['a', 'b', 'c']);
      for (const [dump, load, exists] of [
        ['bfScandump', 'bfLoadchunk', 'bfMexists'],
        ['cfScandump', 'cfLoadchunk', 'cfMexists'],
      ] as const) {
        const chunks: Array<[number, Buffer]> = [];
        for (let it = 0; ; ) {
          const chunk = await c[dump](dump.slice(0, 2), it);
          if (chunk.iterator === 0) break;
          assert.ok(Buffer.isBuffer(chunk.data));
          chunks.push([chunk.iterator, chunk.data!]);
          it = chunk.iterator;
        }
        assert.ok(chunks.length > 0);
        for (const [it, data] of chunks) assert.equal(await c[load]('copy-' + dump, it, data), 'OK');
        assert.deepEqual(await c[exists]('copy-' + dump, 'a', 'b', 'c', 'zzz'), [true, true, true, false]);
      }
    });
  });

  it('cuckoo filters', async () => {
    const r = await both(async (c) => [
      await c.cfReserve('cf', 100, { bucketSize: 2, maxIterations: 20, expansion: 1 }),
      await c.cfAdd('cf', 'a'),
      await c.cfAddnx('cf', 'a'),
      await c.cfInsert('cf', ['b', 'c']),
      await c.cfInsertnx('cf', ['b', 'd']),
      await c.cfExists('cf', 'a'),
      await c.cfMexists('cf', 'a', 'z'),
      await c.cfCount('cf', 'a'),
      await c.cfDel('cf', 'a'),
      await c.cfDel('cf', 'a'),
      await c.cfCompact('cf'),
      await c.cfInfo('cf'),
    ]);
    assert.deepEqual(r, [
      'OK',
      true,
      false,
      [true, true],
      [false, true],
      true,
      [true, false],
      1,
      true,
      false,
      'OK',
      { size: 184, buckets: 64, filters: 1, itemsInserted: 3, itemsDeleted: 0, bucketSize: 2, expansionRate: 1, maxIterations: 20 },
    ]);
  });

  it('count-min sketches and top-k', async () => {
    const r = await both(async (c) => [
      await c.cmsInitbydim('cms', 100, 5),
      await c.cmsInitbyprob('cms2', 0.01, 0.01),
      await c.cmsIncrby('cms', { a: 3, b: 1 }),
      await c.cmsIncrby('cms', [['a', 1]]),
      await c.cmsQuery('cms', 'a', 'z'),
      await c.cmsInitbydim('cms3', 100, 5),
      await c.cmsMerge('cms3', ['cms'], [2]),
      await c.cmsQuery('cms3', 'a', 'b'),
      await c.cmsInfo('cms'),
      await c.topkReserve('tk', 2, { width: 50, depth: 4, decay: 0.9 }),
      await c.topkAdd('tk', 'a', 'b', 'c', 'a'),
      await c.topkIncrby('tk', { d: 10 }),
      await c.topkQuery('tk', 'a', 'z'),
      await c.topkCount('tk', 'a', 'd'),
      await c.topkList('tk'),
      await c.topkList('tk', { withcount: true }),
      await c.topkInfo('tk'),
    ]);
    assert.deepEqual(r, [
      'OK',
      'OK',
      [3, 1],
      [4],
      [4, 0],
      'OK',
      'OK',
      [8, 2],
      { width: 100, depth: 5, count: 5 },
      'OK',
      [null, null, 'a', 'b'],
      ['c'],
      [true, false],
      [2, 10],
      ['d', 'a'],
      [
        { item: 'd', count: 10 },
        { item: 'a', count: 2 },
      ],
      { k: 2, width: 50, depth: 4, decay: 0.9 },
    ]);
  });

  it('t-digests, NaN and Infinity included', async () => {
    const r = await both(async (c) => [
      await c.tdigestCreate('td', { compression: 100 }),
      await c.tdigestAdd('td', 1, 2, 3, 4, 5),
      await c.tdigestMin('td'),
      await c.tdigestMax('td'),
      await c.tdigestQuantile('td', 0.5, 0.9),
      await c.tdigestCdf('td', 3, 10),
      await c.tdigestRank('td', 3, 10),
      await c.tdigestRevrank('td', 3),
      await c.tdigestByrank('td', 0, 10),
      await c.tdigestByrevrank('td', 0),
      await c.tdigestTrimmedMean('td', 0.1, 0.9),
      await c.tdigestInfo('td').then((i) => [i.compression, i.observations, i.mergedNodes + i.unmergedNodes]),
      await c.tdigestCreate('empty'),
      await c.tdigestMin('empty'),
      await c.tdigestQuantile('empty', 0.5),
      await c.tdigestMerge('merged', ['td', 'empty'], { compression: 50, override: true }),
      await c.tdigestMax('merged'),
      await c.tdigestReset('td'),
      await c.tdigestMax('td'),
    ]);
    assert.deepEqual(r, ['OK', 'OK', 1, 5, [3, 5], [0.5, 1], [2, 5], [2], [1, Infinity], [5], 3, [100, 5, 5], 'OK', NaN, [NaN], 'OK', 5, 'OK', NaN]);
  });

  it('works in a pipeline and in MULTI', async () => {
    const c = client(2);
    await c.flushall();
    assert.deepEqual(await c.pipeline().bfAdd('p', 'x').bfExists('p', 'x').cfAdd('q', 'y').exec(), [true, true, true]);
    assert.deepEqual(await client(3).multi().tdigestCreate('t').tdigestAdd('t', 7).tdigestMin('t').exec(), ['OK', 'OK', 7]);
  });
});
