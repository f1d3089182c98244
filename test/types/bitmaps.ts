/**
 * Compile-time checks of the bitmap commands: `npm run typecheck` must accept the plain lines and
 * refuse each line under `@ts-expect-error`. Never run.
 */
import type { RedisClient } from '../../src/index.js';

function expectType<T>(_v: T): void {}

export async function bitmaps(c: RedisClient): Promise<void> {
  expectType<number>(await c.bitcount('k'));
  expectType<number>(await c.bitcount('k', 0, -1, 'BIT'));
  expectType<number>(await c.bitpos('k', 1, 2));
  expectType<0 | 1>(await c.setbit('k', 7, 1));
  expectType<0 | 1>(await c.getbit('k', 7));
  expectType<Array<number | null>>(
    await c.bitfield('k', [
      { op: 'OVERFLOW', behavior: 'SAT' },
      { op: 'INCRBY', encoding: 'u8', offset: '#1', increment: 5 },
    ]),
  );
  expectType<number[]>(await c.bitfieldRo('k', [{ encoding: 'i16', offset: 0 }]));
  expectType<number>(await c.bitop('DIFF', 'dst', 'a', 'b'));

  // @ts-expect-error a bit is 0 or 1
  await c.setbit('k', 7, 2);
  // @ts-expect-error BITCOUNT start needs end
  await c.bitcount('k', 0);
  // @ts-expect-error the unit is 'BYTE' or 'BIT'
  await c.bitcount('k', 0, 1, 'BITS');
  // @ts-expect-error unknown BITOP operation
  await c.bitop('NAND', 'dst', 'a');
  // @ts-expect-error encodings are i<bits> or u<bits>
  await c.bitfield('k', [{ op: 'GET', encoding: 'x8', offset: 0 }]);
  // @ts-expect-error SET needs a value
  await c.bitfield('k', [{ op: 'SET', encoding: 'u8', offset: 0 }]);
  // @ts-expect-error OVERFLOW behaviours are WRAP, SAT, FAIL
  await c.bitfield('k', [{ op: 'OVERFLOW', behavior: 'CLAMP' }]);
  // @ts-expect-error an offset is a number or '#n'
  await c.bitfieldRo('k', [{ encoding: 'u8', offset: '1' }]);
}
