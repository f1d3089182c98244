/**
 * Keeps large replies in memory the process already has.
 *
 * glibc's malloc serves each block above its mmap threshold (128 KB at first) with a fresh mmap, and
 * hands the top of its heap back to the kernel whenever more than twice that threshold lies free
 * there. A client reading large values allocates one block per value and frees them in bursts (at
 * each GC), so nearly every value landed in fresh pages: one page fault per 4 KB, which on a virtual
 * machine cost more than receiving the bytes (1 MB GETs spent 4.7 ms of 5.4 ms per reply in the
 * kernel). glibc raises both thresholds when a block it had mmapped is freed (the "dynamic mmap
 * threshold" of mallopt(3)): to that block's size, and twice that for trimming, up to 32 MB. One
 * block just under that ceiling, never touched (so it costs no page faults) and dropped at once,
 * moves them as far as they go, so large values of up to 32 MB come from the reused heap.
 *
 * Done once per process, the first time a large value arrives, so programs that never read one are
 * untouched. Other allocators ignore it; it costs them one untouched allocation. A process that wants
 * glibc's defaults kept (it tunes malloc itself, or must return freed memory at once) sets
 * REDWIRE_NO_HEAP_TUNING=1 in its environment.
 */

/** Replies from this size on raise the thresholds (below it glibc's defaults already serve them well). */
export const LARGE_REPLY = 128 * 1024;
/** Just under glibc's 32 MB ceiling for the dynamic threshold (a block past it would not count). */
const RAISE_TO = 32 * 1024 * 1024 - 64 * 1024;

let raised = process.env.REDWIRE_NO_HEAP_TUNING === '1';

/** Called when a reply of `size` bytes is about to be assembled. */
export function largeReply(size: number): void {
  if (raised || size < LARGE_REPLY) return;
  raised = true;
  // Slow: its own allocation, not a slice of Node's pool. Never written, so never faulted in;
  // freed when the next GC finds it unreachable, which is when glibc moves its thresholds.
  Buffer.allocUnsafeSlow(RAISE_TO);
}
