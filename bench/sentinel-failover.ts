// Acknowledged writes lost in a graceful failover: redwire's sentinel client against ioredis's, the
// same scenario for each on a fresh sentinel group with the servers' own timers (not the tests' fast
// ones). 8 workers INCR one key; SENTINEL FAILOVER; the load runs on until the old primary has been
// demoted; then the new primary's counter is compared with the INCRs the client saw acknowledged.
//
//   node --import tsx bench/sentinel-failover.ts [--server valkey] [--clients redwire,ioredis]

import { parseArgs } from 'node:util';
import { Redis as IORedis } from 'ioredis';
import { createSentinel } from '../src/index.js';
import { startSentinelGroup, type SentinelGroup } from '../test/servers/sentinel.js';
import type { ServerKind } from '../test/servers/index.js';

interface Incr {
  incr(key: string): Promise<unknown>;
  close(): Promise<void>;
}

const CLIENTS: Record<string, (g: SentinelGroup) => Incr> = {
  redwire: (g) => {
    const c = createSentinel({ sentinels: g.sentinelAddresses, name: g.masterName });
    c.on('error', () => {});
    return { incr: (k) => c.incr(k), close: () => c.close() };
  },
  ioredis: (g) => {
    const c = new IORedis({ sentinels: g.sentinelAddresses.map((a) => ({ ...a })), name: g.masterName, lazyConnect: false });
    c.on('error', () => {});
    return {
      incr: (k) => c.incr(k),
      close: async () => {
        c.disconnect();
      },
    };
  },
};

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function run(kind: ServerKind, name: string): Promise<void> {
  const group = await startSentinelGroup({ kind, fastTimers: false });
  try {
    const client = CLIENTS[name]!(group);
    let acked = 0;
    let errors = 0;
    let stop = false;
    const workers = Array.from({ length: 8 }, async () => {
      while (!stop) {
        try {
          await client.incr('n');
          acked++;
        } catch {
          errors++;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 1000));
    const old = await group.failover();
    const started = Date.now();
    // Until the old primary has been turned into a replica: writes it took after the promotion are gone.
    await waitFor(async () => (await group.server(old).cli('ROLE')).startsWith('slave'), 60_000);
    const demotedAfter = Date.now() - started;
    await new Promise((r) => setTimeout(r, 1000));
    stop = true;
    await Promise.all(workers);
    const primary = await group.primary();
    const final = Number(await primary.cli('GET', 'n'));
    await client.close();
    console.log(
      `${kind.padEnd(6)} ${name.padEnd(8)} acknowledged ${String(acked).padStart(7)}  on the new primary ${String(final).padStart(7)}  lost ${String(acked - final).padStart(6)}  errors ${errors}  (old primary demoted ${demotedAfter} ms after SENTINEL FAILOVER)`,
    );
  } finally {
    await group.stop();
  }
}

const { values } = parseArgs({ options: { server: { type: 'string', default: 'redis' }, clients: { type: 'string', default: 'redwire,ioredis' } } });
for (const name of values.clients!.split(',')) await run(values.server as ServerKind, name);
