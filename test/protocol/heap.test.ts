import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LARGE_REPLY, largeReply } from '../../src/protocol/heap.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Minor page faults of this process while `fn` runs. */
function faultsDuring(fn: () => void): number {
  const before = process.resourceUsage().minorPageFault;
  fn();
  return process.resourceUsage().minorPageFault - before;
}

/** 16 values of 1 MB, written through as a reply's bytes would be, then all dropped and collected at once. */
function burst(): void {
  let values: Buffer[] | null = [];
  for (let i = 0; i < 16; i++) values.push(Buffer.allocUnsafe(1024 * 1024).fill(i));
  values = null;
  gc();
}

// What is asserted is glibc's behaviour (the servers the suite runs on are Debian's, so is the libc).
describe('large replies and the process heap', () => {
  it('after the first large reply, large values freed in a burst are reused, not faulted in again', () => {
    largeReply(LARGE_REPLY);
    // The dropped block is only given back (and the thresholds moved) when a GC frees it.
    gc();
    burst();
    const pages = (16 * 1024 * 1024) / 4096;
    const faults = faultsDuring(() => {
      for (let round = 0; round < 4; round++) burst();
    });
    // Without the raised thresholds the bursts are trimmed off the heap and faulted in again (about
    // 4,800 faults here); with them the memory stays (about 500: GC and other allocations).
    assert.ok(faults < pages / 2, `${faults} page faults over 4 bursts of 16 MB (${pages} pages each)`);
  });
});
