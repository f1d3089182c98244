import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError } from '../../src/index.js';
import { hyperLogLogMethods } from '../../src/commands/hyperloglog.js';
import { EXCLUDED } from '../../src/commands/registry.js';
import { commandSuite } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bad = (v: unknown): any => v;

describe('HyperLogLog commands: argv', () => {
  it('builds PFADD, PFCOUNT, PFMERGE and checks their arguments', () => {
    assert.deepEqual(hyperLogLogMethods.pfadd.build('h'), ['PFADD', 'h']);
    assert.deepEqual(hyperLogLogMethods.pfadd.build('h', 'a', 1, Buffer.from('b')), ['PFADD', 'h', 'a', 1, Buffer.from('b')]);
    assert.deepEqual(hyperLogLogMethods.pfmerge.build('d'), ['PFMERGE', 'd']);
    assert.throws(() => hyperLogLogMethods.pfadd.build('h', bad(null)), /PFADD: element must be/);
    assert.throws(() => hyperLogLogMethods.pfcount.build(), /PFCOUNT: at least one key/);
    assert.throws(() => hyperLogLogMethods.pfmerge.build('d', bad(1)), /PFMERGE: sourcekey/);
  });

  it('leaves out the debugging commands with a reason', () => {
    assert.match(EXCLUDED.get('pfdebug')!, /internal/);
    assert.match(EXCLUDED.get('pfselftest')!, /internal/);
  });
});

commandSuite('HyperLogLog commands', (t) => {
  it('PFADD, PFCOUNT, PFMERGE', async () => {
    const r = await t.both(async (c) => {
      const many = Array.from({ length: 1000 }, (_, i) => `e${i}`);
      return [
        await c.pfadd('h1', 'a', 'b', 'c'),
        await c.pfadd('h1', 'a'),
        await c.pfadd('empty'),
        await c.pfadd('empty'),
        await c.pfcount('h1'),
        await c.pfcount('empty', 'missing'),
        await c.pfadd('h2', 'c', 'd'),
        await c.pfcount('h1', 'h2'),
        await c.pfmerge('m', 'h1', 'h2'),
        await c.pfcount('m'),
        await c.pfmerge('m'),
        await c.pfadd('big', ...many),
        Math.abs((await c.pfcount('big')) - 1000) < 20,
      ];
    });
    assert.deepEqual(r, [true, false, true, false, 3, 0, true, 4, 'OK', 4, 'OK', true, true]);
  });

  it('rejects bad arguments before sending', async () => {
    await assert.rejects(t.client(3).pfcount(), (e: Error) => e instanceof DataError && /PFCOUNT/.test(e.message));
  });
});
