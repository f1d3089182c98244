// Memory: what 1,000 idle clients cost, and whether the heap grows over millions of commands.
// `npm run bench:memory` (add `-- --commands 10000000` for the full ten million). Run with
// --expose-gc so the heap figures are measured after a full collection, not mid-cycle.

import { parseArgs } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import { createClient, type RedisClient } from '../src/index.js';
import { startServer } from '../test/servers/index.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    commands: { type: 'string', default: '10000000' },
    json: { type: 'boolean', default: false },
  },
});
const CLIENTS = Number(values.clients);
const COMMANDS = Number(values.commands);
const IN_FLIGHT = 256;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error('bench:memory: run with node --expose-gc (npm run bench:memory does)');
  process.exit(2);
}

async function settle(): Promise<void> {
  // Two collections with a turn between them let finalizers and weak callbacks run.
  gc!();
  await delay(50);
  gc!();
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function idleClients(port: number): Promise<{ rssPerClient: number; heapPerClient: number }> {
  await settle();
  const before = process.memoryUsage();
  const clients: RedisClient[] = [];
  for (let i = 0; i < CLIENTS; i++) clients.push(createClient({ port }));
  await Promise.all(clients.map((c) => c.connect()));
  // One round trip each, so every client has its buffers and queue as a used one would.
  await Promise.all(clients.map((c) => c.ping()));
  await settle();
  const after = process.memoryUsage();
  await Promise.all(clients.map((c) => c.close()));
  return {
    rssPerClient: (after.rss - before.rss) / CLIENTS,
    heapPerClient: (after.heapUsed - before.heapUsed) / CLIENTS,
  };
}

async function heapGrowth(port: number): Promise<{ samples: number[]; growth: number; opsPerSec: number }> {
  const c = await createClient({ port }).connect();
  await c.set('mem:k', 'value-0123456789');
  const samples: number[] = [];
  const sampleEvery = Math.max(1, Math.floor(COMMANDS / 10));
  let issued = 0;
  let nextSample = sampleEvery;
  const started = Date.now();
  async function worker(): Promise<void> {
    while (issued < COMMANDS) {
      issued++;
      // Mixed work through the typed layer: reads, writes, a transform.
      const i = issued;
      if (i % 3 === 0) await c.set('mem:k', 'value-0123456789');
      else if (i % 3 === 1) await c.get('mem:k');
      else await c.hgetall('mem:none');
    }
  }
  const sampler = (async () => {
    while (issued < COMMANDS) {
      if (issued >= nextSample) {
        await settle();
        samples.push(process.memoryUsage().heapUsed);
        nextSample += sampleEvery;
      }
      await delay(20);
    }
  })();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  await sampler;
  const opsPerSec = COMMANDS / ((Date.now() - started) / 1000);
  await c.close();
  // Growth from the first sample (after warm-up) to the last: a leak shows as a steady climb.
  const growth = samples.length >= 2 ? samples[samples.length - 1]! - samples[0]! : 0;
  return { samples, growth, opsPerSec };
}

const server = await startServer({ kind: 'redis', args: ['--maxclients', String(CLIENTS + 100)] });
try {
  const idle = await idleClients(server.port);
  const heap = await heapGrowth(server.port);
  if (values.json) {
    console.log(JSON.stringify({ clients: CLIENTS, commands: COMMANDS, ...idle, ...heap }));
  } else {
    console.log(`${CLIENTS} idle clients: ${(idle.rssPerClient / 1024).toFixed(1)} KB RSS and ${(idle.heapPerClient / 1024).toFixed(1)} KB heap each`);
    console.log(`${COMMANDS.toLocaleString('en')} commands (${IN_FLIGHT} in flight, ${Math.round(heap.opsPerSec).toLocaleString('en')} ops/s):`);
    console.log(`  heap after each tenth: ${heap.samples.map(mb).join(', ')}`);
    console.log(`  growth from the first tenth to the last: ${mb(heap.growth)}`);
  }
} finally {
  await server.stop();
}
