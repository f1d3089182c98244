// Run by heap.test.ts in a process of its own (the thresholds, once raised, stay raised): prints the
// page faults of four 16 MB bursts of large values after a first large reply.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LARGE_REPLY, largeReply } from '../../src/protocol/heap.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** 16 values of 1 MB, written through as a reply's bytes would be, then all dropped and collected at once. */
function burst(): void {
  let values: Buffer[] | null = [];
  for (let i = 0; i < 16; i++) values.push(Buffer.allocUnsafe(1024 * 1024).fill(i));
  values = null;
  gc();
}

largeReply(LARGE_REPLY);
// The dropped block is only given back (and the thresholds moved) when a GC frees it.
gc();
burst();
const before = process.resourceUsage().minorPageFault;
for (let round = 0; round < 4; round++) burst();
process.stdout.write(String(process.resourceUsage().minorPageFault - before));
