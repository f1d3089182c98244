import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';

const fixture = fileURLToPath(new URL('./heap-fixture.ts', import.meta.url));
const PAGES = (16 * 1024 * 1024) / 4096;

/** Page faults of four 16 MB bursts in a fresh process with `env` added. */
async function faults(env: Record<string, string>): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fixture], { env: { ...process.env, ...env } });
  return Number(stdout);
}

// What is asserted is glibc's behaviour (the servers the suite runs on are Debian's, so is the libc).
describe('large replies and the process heap', () => {
  it('after the first large reply, large values freed in a burst are reused, not faulted in again', async () => {
    // Without the raised thresholds the bursts are trimmed off the heap and faulted in again (about
    // 4,800 faults here); with them the memory stays (about 500: GC and other allocations).
    const n = await faults({});
    assert.ok(n < PAGES / 2, `${n} page faults over 4 bursts of 16 MB (${PAGES} pages each)`);
  });

  it('REDWIRE_NO_HEAP_TUNING=1 keeps glibc defaults: the same bursts are faulted in again', async () => {
    const n = await faults({ REDWIRE_NO_HEAP_TUNING: '1' });
    assert.ok(n > PAGES, `${n} page faults over 4 bursts of 16 MB (${PAGES} pages each)`);
  });
});
