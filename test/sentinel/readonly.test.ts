/**
 * A primary demoted behind the sentinels' back (REPLICAOF by hand: no sentinel kills its clients) answers
 * READONLY on a connection that stayed open. The client must take that as a move: the write, which the
 * server did not run, goes to whichever server the sentinels name next, and no READONLY reaches the caller.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSentinel } from '../../src/index.js';
import { startSentinelGroup, type SentinelGroup } from '../servers/sentinel.js';

describe('sentinel client and READONLY', () => {
  let group: SentinelGroup;
  before(async () => {
    group = await startSentinelGroup({ kind: 'redis' });
  });
  after(async () => {
    await group.stop();
  });

  it('a demoted primary answering READONLY moves the client; the write is sent again and succeeds', async (t) => {
    const c = createSentinel({ sentinels: group.sentinelAddresses, name: 'mymaster', refreshInterval: 0 });
    c.on('error', () => {});
    try {
      await c.set('ro:k', '1');
      const old = await group.primary();
      const [next] = group.servers.filter((s) => s !== old);
      // The new primary first, so that the old one has someone to replicate from.
      await next!.cli('REPLICAOF', 'NO', 'ONE');
      await old.cli('REPLICAOF', '127.0.0.1', String(next!.port));
      const t0 = Date.now();
      // Sent on the connection to the old primary, which stayed open: READONLY, then sent again.
      const reply = await c.withTimeout(20_000).incr('ro:n');
      t.diagnostic(`the write succeeded ${Date.now() - t0} ms after the demotion, on :${c.address!.port}`);
      assert.equal(typeof reply, 'number');
      assert.notEqual(c.address!.port, old.port);
      assert.equal((await c.role()).role, 'master');
      // The old primary did answer READONLY: the caller never saw it.
      assert.match(await old.cli('INFO', 'errorstats'), /errorstat_READONLY:count=[1-9]/);
    } finally {
      await c.close();
    }
  });
});
