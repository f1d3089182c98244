/**
 * A primary that stops answering (SIGSTOP) keeps its sockets open: nothing breaks on the client's
 * side until the sentinels fail it over. Every call must still settle, with typed errors, and writes
 * must go to the new primary once there is one — never to the old one when it wakes up.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConnectionError, RedisError, TimeoutError, createSentinel } from '../../src/index.js';
import { startSentinelGroup, type SentinelGroup } from '../servers/sentinel.js';

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('sentinel client and a stopped primary', () => {
  let group: SentinelGroup;
  before(async () => {
    group = await startSentinelGroup({ kind: 'redis' });
  });
  after(async () => {
    await group.stop();
  });

  it('SIGSTOP of the primary under load: calls settle with typed errors, writes resume on the new primary', async (t) => {
    const c = createSentinel({ sentinels: group.sentinelAddresses, name: 'mymaster' });
    c.on('error', () => {});
    const old = await group.primary();
    let stop = false;
    let acked = 0;
    const errors: unknown[] = [];
    const workers = Array.from({ length: 4 }, async () => {
      while (!stop) {
        try {
          await c.incr('stopped:n');
          acked++;
        } catch (e) {
          errors.push(e);
        }
      }
    });
    let switchedAt = 0;
    c.sentinel.on('switch', () => (switchedAt ||= Date.now()));
    try {
      await until('some load', () => acked > 100, 5_000);
      const stoppedAt = Date.now();
      old.pause();
      await until('the switch', () => switchedAt > 0, 20_000);
      const before = acked;
      await until('writes on the new primary', () => acked > before + 100, 5_000);
      t.diagnostic(`switch ${switchedAt - stoppedAt} ms after SIGSTOP; ${errors.length} calls failed: ${[...new Set(errors.map((e) => (e as Error).name))].join(', ')}`);
      assert.notEqual(c.address!.port, old.port);
      for (const e of errors) assert.ok(e instanceof RedisError && (e instanceof ConnectionError || e instanceof TimeoutError), `unexpected error: ${String(e)}`);
    } finally {
      stop = true;
      await Promise.all(workers);
      old.resume();
      await c.close();
    }
    // Woken up, the old primary still says master for a while: the client must not go back to it.
    assert.equal(c.address!.port, (await group.primary()).port);
  });
});
