import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError, setJsonCodec, strictJson, type JsonCodec } from '../../src/index.js';
import { jsonMethods } from '../../src/modules/json.js';
import { moduleSuite } from './helpers.js';

const doc = { a: 1, b: [1, 2, 3], s: 'hi', o: { x: true, a: 2 }, e: [] as number[], f: 1.5, n: null };

describe('JSON argv', () => {
  it('builds commands with values stringified', () => {
    assert.deepEqual(jsonMethods.jsonSet.build('k', '$', { a: [1, 'x'] }, { nx: true }), ['JSON.SET', 'k', '$', '{"a":[1,"x"]}', 'NX']);
    assert.deepEqual(jsonMethods.jsonGet.build('k', ['$.a', '.b'], { indent: '  ' }), ['JSON.GET', 'k', 'INDENT', '  ', '$.a', '.b']);
    assert.deepEqual(jsonMethods.jsonMset.build([['a', '$', 1], ['b', '.x', 'y']]), ['JSON.MSET', 'a', '$', '1', 'b', '.x', '"y"']);
    assert.deepEqual(jsonMethods.jsonArrinsert.build('k', '$.b', 0, 'x', 2), ['JSON.ARRINSERT', 'k', '$.b', 0, '"x"', '2']);
    assert.deepEqual(jsonMethods.jsonArrindex.build('k', '$.b', 3, { start: 0, stop: -1 }), ['JSON.ARRINDEX', 'k', '$.b', '3', 0, -1]);
    assert.deepEqual(jsonMethods.jsonDebugMemory.build('k', '$'), ['JSON.DEBUG', 'MEMORY', 'k', '$']);
    assert.deepEqual(jsonMethods.jsonStrappend.build('k', '$.s', 'x"y'), ['JSON.STRAPPEND', 'k', '$.s', '"x\\"y"']);
  });

  it('refuses values JSON cannot hold, before sending', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [undefined, () => 1, 10n, NaN, Infinity, { a: Symbol('s') }, [1, undefined], new Map([[1, 2]]), cyclic]) {
      assert.throws(() => jsonMethods.jsonSet.build('k', '$', bad), DataError, String(bad));
    }
    assert.throws(() => jsonMethods.jsonSet.build('k', '', 1), /JSON.SET: path/);
    assert.throws(() => jsonMethods.jsonSet.build('k', '$', 1, { nx: true, xx: true }), /nx and xx/);
    assert.throws(() => jsonMethods.jsonArrappend.build('k', '$'), /at least one value/);
    assert.throws(() => jsonMethods.jsonStrappend.build('k', '$', 5), /must be a string/);
    assert.throws(() => jsonMethods.jsonMset.build([]), DataError);
    // An undefined property is left out, as JSON.stringify does.
    assert.deepEqual(jsonMethods.jsonSet.build('k', '$', { a: 1, b: undefined }), ['JSON.SET', 'k', '$', '{"a":1}']);
  });
});

moduleSuite('JSON', ({ both, client }) => {
  it('SET and GET values, with $ paths (arrays of matches) and legacy paths (one value)', async () => {
    const r = await both(async (c) => {
      const out: unknown[] = [];
      out.push(await c.jsonSet('j', '$', doc));
      out.push(await c.jsonGet('j'));
      out.push(await c.jsonGet('j', '$'));
      out.push(await c.jsonGet('j', '$..a'));
      out.push(await c.jsonGet('j', '.o'));
      out.push(await c.jsonGet('j', ['$.a', '$.s']));
      out.push(await c.jsonGet('j', '$.nope'));
      out.push(await c.jsonGet('missing'));
      out.push(await c.jsonGet('j', '$.o', { indent: '\t', newline: '\n', space: ' ' }));
      out.push(await c.jsonSet('j', '$', 5, { nx: true }));
      out.push(await c.jsonSet('j', '$.q', 5, { xx: true }));
      out.push(await c.jsonSet('j', '$.q', 'new', { nx: true }));
      out.push(await c.jsonGet('j', '.q'));
      return out;
    });
    assert.deepEqual(r, [
      true,
      doc,
      [doc],
      [1, 2],
      { x: true, a: 2 },
      { '$.a': [1], '$.s': ['hi'] },
      [],
      null,
      '[\n\t{\n\t\t"x": true,\n\t\t"a": 2\n\t}\n]',
      false,
      false,
      true,
      'new',
    ]);
  });

  it('MSET, MGET, MERGE, DEL, FORGET, TYPE, CLEAR', async () => {
    const r = await both(async (c) => [
      await c.jsonMset([['k1', '$', { z: 1 }], ['k2', '$', [1, 2]]]),
      await c.jsonMget(['k1', 'k2', 'nokey'], '$'),
      await c.jsonMget(['k1', 'nokey'], '.'),
      await c.jsonMerge('k1', '$', { y: { w: 2 }, z: null }),
      await c.jsonGet('k1'),
      await c.jsonType('k1'),
      await c.jsonType('k1', '$..*'),
      await c.jsonType('nokey'),
      await c.jsonType('nokey', '$'),
      await c.jsonType('k1', '$.nope'),
      await c.jsonClear('k2'),
      await c.jsonGet('k2'),
      await c.jsonDel('k1', '$.y.w'),
      await c.jsonForget('k1'),
      await c.jsonDel('k1'),
    ]);
    assert.deepEqual(r, [
      'OK',
      [[{ z: 1 }], [[1, 2]], null],
      [{ z: 1 }, null],
      'OK',
      { y: { w: 2 } },
      'object',
      ['object', 'integer'],
      null,
      null,
      [],
      1,
      [],
      1,
      1,
      0,
    ]);
  });

  it('numbers, strings, booleans: the same values under RESP2 and RESP3', async () => {
    const r = await both(async (c) => {
      await c.jsonSet('j', '$', doc);
      return [
        await c.jsonNumincrby('j', '$..a', 2),
        await c.jsonNumincrby('j', '.f', 1),
        await c.jsonNumincrby('j', '$.s', 1),
        await c.jsonNummultby('j', '$.a', 2),
        await c.jsonNummultby('j', '.a', 0.5),
        await c.jsonNumpowby('j', '$.a', 2),
        await c.jsonStrappend('j', '$.s', '!'),
        await c.jsonStrappend('j', '.s', '?'),
        await c.jsonStrlen('j', '$..s'),
        await c.jsonStrlen('j', '.s'),
        await c.jsonStrlen('j', '$..a'),
        await c.jsonToggle('j', '$.o.x'),
        await c.jsonToggle('j', '.o.x'),
        await c.jsonToggle('j', '$..a'),
        await c.jsonObjkeys('j', '$.o'),
        await c.jsonObjkeys('j', '.o'),
        await c.jsonObjkeys('j', '$..a'),
        await c.jsonObjkeys('nokey'),
        await c.jsonObjlen('j', '$'),
        await c.jsonObjlen('j'),
        await c.jsonDebugMemory('j') > 0,
        (await c.jsonDebugMemory('j', '$.o')).length,
        await c.jsonDebugMemory('nokey'),
        await c.jsonResp('j', '.b'),
        await c.jsonResp('nokey'),
      ];
    });
    assert.deepEqual(r, [
      [3, 4],
      2.5,
      [null],
      [6],
      3,
      [9],
      [3],
      4,
      [4],
      4,
      [null, null],
      [false],
      true,
      [null, null],
      [['x', 'a']],
      ['x', 'a'],
      [null, null],
      null,
      [7],
      7,
      true,
      1,
      0,
      ['[', 1, 2, 3],
      null,
    ]);
  });

  it('arrays', async () => {
    const r = await both(async (c) => {
      await c.jsonSet('j', '$', doc);
      return [
        await c.jsonArrappend('j', '$.b', 4, { five: 5 }),
        await c.jsonArrappend('j', '.e', 'x'),
        await c.jsonArrindex('j', '$.b', { five: 5 }),
        await c.jsonArrindex('j', '.b', 2, { start: 0, stop: -1 }),
        await c.jsonArrindex('j', '$.b', 99),
        await c.jsonArrinsert('j', '$.b', 0, 0, -1),
        await c.jsonArrinsert('j', '.b', 1, 'one'),
        await c.jsonArrlen('j', '$.b'),
        await c.jsonArrlen('j', '.b'),
        await c.jsonArrlen('j', '$..a'),
        await c.jsonArrlen('nokey'),
        await c.jsonArrpop('j', '$.b'),
        await c.jsonArrpop('j', '.b'),
        await c.jsonArrpop('j', '$.b', 0),
        await c.jsonArrpop('j', '.b', 0),
        await c.jsonArrpop('j', '$..a'),
        await c.jsonArrtrim('j', '$.b', 0, 1),
        await c.jsonArrtrim('j', '.b', 0, 0),
        await c.jsonGet('j', '.b'),
        await c.jsonArrpop('j', '.e'),
        await c.jsonArrpop('j', '.e'),
      ];
    });
    assert.deepEqual(r, [
      [5],
      1,
      [4],
      1,
      [-1],
      [7],
      8,
      [8],
      8,
      [null, null],
      null,
      [{ five: 5 }],
      4,
      [0],
      'one',
      [null, null],
      [2],
      1,
      [-1],
      'x',
      null,
    ]);
  });

  it('works in pipelines and transactions with no extra code', async () => {
    const c = client(3);
    await c.flushall();
    const piped = await c.pipeline().jsonSet('p', '$', { n: 1 }).jsonNumincrby('p', '$.n', 1).jsonGet('p', '.n').exec();
    assert.deepEqual(piped, [true, [2], 2]);
    const multi = await client(2).multi().jsonArrappend('p', '$', 1).jsonSet('q', '$', [1]).jsonArrappend('q', '$', 2).jsonGet('q').exec();
    assert.ok(multi !== null);
    assert.deepEqual(multi.slice(1), [true, [2], [1, 2]]);
  });

  it('refuses a non-serialisable value with DataError and sends nothing', async () => {
    const c = client(2);
    await c.flushall();
    await assert.rejects(c.jsonSet('bad', '$', { big: 1n }), (e: unknown) => e instanceof DataError && /JSON.SET/.test(e.message));
    assert.equal(await c.exists('bad'), 0);
  });

  it('takes a custom codec', async () => {
    // Big integers kept exact: written and read as text by a codec of the test's own.
    const bigCodec: JsonCodec = {
      stringify: (v) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `#big:${x}` : x)).replace(/"#big:(\d+)"/g, '$1'),
      parse: (s) => JSON.parse(s.replace(/(\d{16,})/g, '"#big:$1"'), (_k, x: unknown) => (typeof x === 'string' && x.startsWith('#big:') ? BigInt(x.slice(5)) : x)) as unknown,
    };
    const c = client(3);
    setJsonCodec(bigCodec);
    try {
      await c.jsonSet('big', '$', { id: 12345678901234567890n });
      assert.deepEqual(await c.jsonGet('big'), { id: 12345678901234567890n });
    } finally {
      setJsonCodec(strictJson);
    }
    assert.throws(() => setJsonCodec({} as JsonCodec), DataError);
  });
});
