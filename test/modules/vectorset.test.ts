import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError } from '../../src/index.js';
import { vectorSetMethods as v } from '../../src/modules/vectorset.js';
import { moduleSuite } from './helpers.js';

describe('vector set argv', () => {
  it('sends a Float32Array as an FP32 blob and an array as VALUES', () => {
    const argv = v.vadd.build('s', new Float32Array([1, 2]), 'e', { reduce: 1, cas: true, quant: 'NOQUANT', ef: 200, setattr: { a: 1 }, m: 8 });
    assert.deepEqual(argv.slice(0, 5), ['VADD', 's', 'REDUCE', 1, 'FP32']);
    assert.deepEqual([...new Float32Array(new Uint8Array(argv[5] as Buffer).buffer)], [1, 2]);
    assert.deepEqual(argv.slice(6), ['e', 'CAS', 'NOQUANT', 'EF', 200, 'SETATTR', '{"a":1}', 'M', 8]);
    assert.deepEqual(v.vsim.build('s', [0.5, 1], { withscores: true, count: 3, epsilon: 0.2, ef: 10, filter: '.a > 1', filterEf: 50, truth: true, nothread: true }), [
      'VSIM', 's', 'VALUES', 2, 0.5, 1, 'WITHSCORES', 'COUNT', 3, 'EF', 10, 'FILTER-EF', 50, 'EPSILON', 0.2, 'FILTER', '.a > 1', 'TRUTH', 'NOTHREAD',
    ]);
    assert.deepEqual(v.vsim.build('s', { element: 'e' }), ['VSIM', 's', 'ELE', 'e']);
  });

  it('refuses bad vectors and options before sending', () => {
    assert.throws(() => v.vadd.build('s', [], 'e'), DataError);
    assert.throws(() => v.vadd.build('s', [1, NaN], 'e'), /finite/);
    assert.throws(() => v.vadd.build('s', new Float32Array([1, Infinity]), 'e'), /not finite/);
    assert.throws(() => v.vadd.build('s', [1, 2], 'e', { reduce: 2 }), /reduce must be between/);
    assert.throws(() => v.vadd.build('s', [1, 2], 'e', { quant: 'Q4' as 'Q8' }), /quant/);
    assert.throws(() => v.vadd.build('s', [1, 2], ''), /element/);
    assert.throws(() => v.vsim.build('s', 'e' as never), DataError);
    assert.throws(() => v.vsetattr.build('s', 'e', [1] as never), /attributes must be an object/);
  });
});

moduleSuite('vector sets', ({ both, client }) => {
  it('VADD, VSIM (scores, filters), VCARD, VDIM, VREM, VISMEMBER', async () => {
    const r = await both(async (c) => [
      await c.vadd('vs', [0.1, 0.2, 0.3], 'e1', { setattr: { a: 1 } }),
      await c.vadd('vs', new Float32Array([0.3, 0.2, 0.1]), 'e2', { quant: 'Q8', ef: 200, m: 16 }),
      await c.vadd('vs', [0.2, 0.2, 0.2], 'e3', { cas: true }),
      await c.vadd('vs', [0.2, 0.2, 0.2], 'e3'),
      await c.vsim('vs', [0.1, 0.2, 0.3]),
      (await c.vsim('vs', new Float32Array([0.1, 0.2, 0.3]), { withscores: true })).map((x) => [x.element, Math.round(x.score * 1000) / 1000]),
      await c.vsim('vs', { element: 'e1' }, { count: 2, ef: 50, filter: '.a == 1', filterEf: 100, truth: true, nothread: true }),
      await c.vsim('vs', { element: 'e1' }, { epsilon: 0.01 }),
      await c.vcard('vs'),
      await c.vdim('vs'),
      await c.vismember('vs', 'e2'),
      await c.vrem('vs', 'e3'),
      await c.vrem('vs', 'e3'),
      await c.vcard('vs'),
      await c.vcard('nokey'),
    ]);
    assert.deepEqual(r, [true, true, true, false, ['e1', 'e3', 'e2'], [['e1', 1], ['e3', 0.963], ['e2', 0.857]], ['e1'], ['e1'], 3, 3, true, true, false, 2, 0]);
  });

  it('VEMB (plain and RAW), VINFO, VLINKS, attributes, VRANDMEMBER, REDUCE', async () => {
    const r = await both(async (c) => {
      await c.vadd('vs', [0.1, 0.2, 0.3], 'e1', { setattr: { a: 1 }, quant: 'NOQUANT' });
      await c.vadd('vs', [0.3, 0.2, 0.1], 'e2', { quant: 'NOQUANT' });
      const raw = await c.vemb('vs', 'e1', { raw: true });
      const info = await c.vinfo('vs');
      return [
        (await c.vemb('vs', 'e1'))!.map((x) => Math.round(x * 1000) / 1000),
        await c.vemb('vs', 'nope'),
        raw!.quantization,
        raw!.data.length,
        Math.round(raw!.norm * 1000) / 1000,
        // The graph's levels are random: the uid and the level count vary from run to run.
        { ...info!, vsetUid: 0, maxLevel: 0 },
        await c.vinfo('nokey'),
        [...new Set((await c.vlinks('vs', 'e1'))!.flat())],
        [...new Set((await c.vlinks('vs', 'e1', { withscores: true }))!.flat().map((x) => x.element))],
        await c.vgetattr('vs', 'e1'),
        await c.vgetattr('vs', 'e2'),
        await c.vsetattr('vs', 'e2', { b: [1, 2] }),
        await c.vgetattr('vs', 'e2'),
        await c.vsetattr('vs', 'e2', null),
        await c.vgetattr('vs', 'e2'),
        await c.vsetattr('vs', 'nope', { x: 1 }),
        ['e1', 'e2'].includes((await c.vrandmember('vs'))!),
        (await c.vrandmember('vs', 5)).sort(),
        await c.vrandmember('nokey'),
        await c.vadd('red', [1, 2, 3, 4], 'x', { reduce: 2 }),
        await c.vdim('red'),
      ];
    });
    assert.deepEqual(r, [
      [0.1, 0.2, 0.3],
      null,
      'f32',
      12,
      0.374,
      { quantType: 'f32', hnswM: 16, vectorDim: 3, projectionInputDim: 0, size: 2, maxLevel: 0, attributesCount: 1, vsetUid: 0, hnswMaxNodeUid: 2 },
      null,
      ['e2'],
      ['e2'],
      { a: 1 },
      null,
      true,
      { b: [1, 2] },
      true,
      null,
      false,
      true,
      ['e1', 'e2'],
      null,
      true,
      2,
    ]);
  });

  it('works in a pipeline and in MULTI', async () => {
    await client(2).flushall();
    assert.deepEqual(await client(2).pipeline().vadd('p', [1, 0], 'a').vadd('p', [0, 1], 'b').vsim('p', [1, 0], { count: 1 }).exec(), [true, true, ['a']]);
    const m = await client(3).multi().vcard('p').vsim('p', { element: 'b' }, { withscores: true, count: 1 }).exec();
    assert.deepEqual(m, [2, [{ element: 'b', score: 1 }]]);
  });
});
