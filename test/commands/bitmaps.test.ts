import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError } from '../../src/index.js';
import { bitmapMethods } from '../../src/commands/bitmaps.js';
import { commandSuite } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bad = (v: unknown): any => v;

describe('bitmap commands: argv', () => {
  it('builds BITCOUNT and BITPOS ranges', () => {
    assert.deepEqual(bitmapMethods.bitcount.build('k'), ['BITCOUNT', 'k']);
    assert.deepEqual(bitmapMethods.bitcount.build('k', 0, -1, 'BIT'), ['BITCOUNT', 'k', 0, -1, 'BIT']);
    assert.deepEqual(bitmapMethods.bitpos.build('k', 1), ['BITPOS', 'k', 1]);
    assert.deepEqual(bitmapMethods.bitpos.build('k', 0, 2), ['BITPOS', 'k', 0, 2]);
    assert.deepEqual(bitmapMethods.bitpos.build('k', 0, 2, -1, 'BYTE'), ['BITPOS', 'k', 0, 2, -1, 'BYTE']);
    assert.throws(() => bitmapMethods.bitcount.build('k', 0), /BITCOUNT: start needs end/);
    assert.throws(() => bitmapMethods.bitpos.build('k', 1, 0, undefined, 'BIT'), /BITPOS: unit needs end/);
    assert.throws(() => bitmapMethods.bitcount.build('k', 0, 1, bad('bits')), /BITCOUNT: unit must be/);
    assert.throws(() => bitmapMethods.bitpos.build('k', bad(2)), /BITPOS: bit must be 0 or 1/);
  });

  it('builds BITFIELD operations in order, and BITFIELD_RO', () => {
    assert.deepEqual(
      bitmapMethods.bitfield.build('k', [
        { op: 'SET', encoding: 'u8', offset: 0, value: 255 },
        { op: 'OVERFLOW', behavior: 'FAIL' },
        { op: 'INCRBY', encoding: 'u8', offset: '#1', increment: 5 },
        { op: 'GET', encoding: 'i4', offset: 4 },
      ]),
      ['BITFIELD', 'k', 'SET', 'u8', 0, 255, 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '#1', 5, 'GET', 'i4', 4],
    );
    assert.deepEqual(bitmapMethods.bitfieldRo.build('k', [{ encoding: 'u4', offset: '#2' }]), ['BITFIELD_RO', 'k', 'GET', 'u4', '#2']);
    assert.throws(() => bitmapMethods.bitfield.build('k', [bad({ op: 'DEL' })]), /BITFIELD: unknown operation "DEL"/);
    assert.throws(() => bitmapMethods.bitfield.build('k', [bad({ op: 'GET', encoding: 'x8', offset: 0 })]), /BITFIELD: encoding/);
    assert.throws(() => bitmapMethods.bitfield.build('k', [bad({ op: 'GET', encoding: 'u8', offset: '1' })]), /BITFIELD: offset/);
    assert.throws(() => bitmapMethods.bitfield.build('k', [bad({ op: 'OVERFLOW', behavior: 'wrap' })]), /BITFIELD: OVERFLOW behavior/);
    assert.throws(() => bitmapMethods.bitfield.build('k', [bad({ op: 'SET', encoding: 'u8', offset: 0 })]), /BITFIELD: value/);
    assert.throws(() => bitmapMethods.bitfieldRo.build('k', bad('GET u8 0')), /BITFIELD_RO: fields must be an array/);
  });

  it('builds BITOP, including the Redis 8.2 operations', () => {
    assert.deepEqual(bitmapMethods.bitop.build('AND', 'dst', 'a', 'b'), ['BITOP', 'AND', 'dst', 'a', 'b']);
    assert.deepEqual(bitmapMethods.bitop.build('DIFF', 'dst', 'a', 'b', 'c'), ['BITOP', 'DIFF', 'dst', 'a', 'b', 'c']);
    assert.deepEqual(bitmapMethods.bitop.build('ANDOR', 'dst', 'a', 'b'), ['BITOP', 'ANDOR', 'dst', 'a', 'b']);
    assert.deepEqual(bitmapMethods.bitop.build('ONE', 'dst', 'a'), ['BITOP', 'ONE', 'dst', 'a']);
    assert.throws(() => bitmapMethods.bitop.build('NOT', 'dst', 'a', 'b'), /BITOP: NOT takes exactly one/);
    assert.throws(() => bitmapMethods.bitop.build('DIFF1', 'dst', 'a'), /BITOP: DIFF1 takes at least two/);
    assert.throws(() => bitmapMethods.bitop.build(bad('NAND'), 'dst', 'a'), /BITOP: operation must be one of/);
    assert.throws(() => bitmapMethods.bitop.build('OR', 'dst'), /BITOP: at least one source key/);
  });

  it('names the command and the argument of a bad call', () => {
    assert.throws(() => bitmapMethods.setbit.build('k', 1, bad(2)), /SETBIT: value must be 0 or 1, got number/);
    assert.throws(() => bitmapMethods.setbit.build('k', bad(-0.5), 1), /SETBIT: offset must be an integer/);
    assert.throws(() => bitmapMethods.getbit.build(bad(7), 1), /GETBIT: key/);
  });
});

commandSuite('bitmap commands', (t) => {
  it('SETBIT, GETBIT, BITCOUNT, BITPOS', async () => {
    const r = await t.both(async (c) => [
      await c.setbit('b', 7, 1),
      await c.setbit('b', 7, 1),
      await c.setbit('b', 9, 1),
      await c.getbit('b', 7),
      await c.getbit('b', 8),
      await c.getbit('b', 1000),
      await c.getbit('missing', 0),
      await c.bitcount('b'),
      await c.bitcount('b', 1, 1),
      await c.bitcount('b', 0, 7, 'BIT'),
      await c.bitpos('b', 1),
      await c.bitpos('b', 0),
      await c.bitpos('b', 1, 1),
      await c.bitpos('b', 1, 8, 15, 'BIT'),
      await c.bitpos('missing', 1),
    ]);
    assert.deepEqual(r, [0, 1, 0, 1, 0, 0, 0, 2, 1, 1, 7, 0, 9, 9, -1]);
  });

  it('BITFIELD with overflow handling, and BITFIELD_RO', async () => {
    const r = await t.both(async (c) => [
      await c.bitfield('f', [
        { op: 'SET', encoding: 'u8', offset: 0, value: 200 },
        { op: 'GET', encoding: 'u8', offset: 0 },
        { op: 'INCRBY', encoding: 'u8', offset: 0, increment: 100 },
        { op: 'OVERFLOW', behavior: 'SAT' },
        { op: 'INCRBY', encoding: 'u8', offset: 0, increment: 250 },
        { op: 'OVERFLOW', behavior: 'FAIL' },
        { op: 'INCRBY', encoding: 'u8', offset: 0, increment: 1 },
        { op: 'SET', encoding: 'i8', offset: '#1', value: -5 },
      ]),
      await c.bitfield('f', []),
      await c.bitfieldRo('f', [
        { encoding: 'u8', offset: 0 },
        { encoding: 'i8', offset: '#1' },
        { encoding: 'u4', offset: 0 },
      ]),
    ]);
    assert.deepEqual(r, [[0, 200, 44, 255, null, 0], [], [255, -5, 15]]);
  });

  it('BITOP AND, OR, XOR, NOT', async () => {
    const r = await t.both(async (c) => {
      const b = c.withBuffers();
      await c.set('a', Buffer.from([0b1100]));
      await c.set('b', Buffer.from([0b1010]));
      return [
        await c.bitop('AND', 'and', 'a', 'b'),
        await c.bitop('OR', 'or', 'a', 'b'),
        await c.bitop('XOR', 'xor', 'a', 'b', 'missing'),
        await c.bitop('NOT', 'not', 'a'),
        await b.mget('and', 'or', 'xor', 'not'),
      ];
    });
    assert.deepEqual(r, [1, 1, 1, 1, [Buffer.from([0b1000]), Buffer.from([0b1110]), Buffer.from([0b0110]), Buffer.from([0b11110011])]]);
  });

  it('rejects bad arguments before sending', async () => {
    const c = t.client(2);
    await assert.rejects(c.setbit('k', 0, bad(true)), (e: Error) => e instanceof DataError && /SETBIT: value/.test(e.message));
    await assert.rejects(c.bitop(bad('nope'), 'd', 'a'), DataError);
  });
});
