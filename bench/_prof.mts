import { createClient } from '../src/index.js';
import { startServer } from '../test/servers/index.js';
const size = Number(process.argv[2] ?? 262144);
const mode = process.argv[3] ?? 'buf';
const s = await startServer({});
const c = createClient({ port: s.port });
await c.set('k', Buffer.alloc(size, 'x'));
const b = c.withBuffers();
const op = mode === 'buf' ? () => b.get('k') : () => c.get('k');
async function runFor(ms: number) {
  const end = performance.now() + ms; let ops = 0;
  await Promise.all(Array.from({ length: 8 }, async () => { while (performance.now() < end) { await op(); ops++; } }));
  return ops / (ms / 1000);
}
await runFor(500);
for (let i = 0; i < 3; i++) console.log(mode, size, Math.round(await runFor(1000)), 'ops/s');
await c.close(); await s.stop();
