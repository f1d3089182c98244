import { createClient } from '../src/index.js';
import { RawBench } from './raw.js';
const size = Number(process.argv[2] ?? 262144);
const port = Number(process.argv[4]);
const mode = process.argv[3];
const c = createClient({ port });
await c.set('k', Buffer.alloc(size, 'x'));
const b = c.withBuffers();
const raw = await RawBench.connect({ host: '127.0.0.1', port });
async function runFor(op: () => Promise<unknown>, ms: number) {
  const end = performance.now() + ms; let ops = 0;
  await Promise.all(Array.from({ length: 8 }, async () => { while (performance.now() < end) { await op(); ops++; } }));
  return Math.round(ops / (ms / 1000));
}
const op = mode === 'raw' ? () => raw.get('k') : mode === 'str' ? () => c.get('k') : () => b.get('k');
await runFor(op, 300);
console.log(mode, await runFor(op, 3000));
await c.close(); await raw.close();
