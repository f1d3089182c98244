import { createClient } from '../src/index.js';
import { RawBench } from './raw.js';
const port = Number(process.argv[3]);
const mode = process.argv[2];
const depth = Number(process.argv[4] ?? 1);
const c = createClient({ port });
const raw = await RawBench.connect({ host: '127.0.0.1', port });
const op = mode === 'raw' ? () => raw.get('seq') : () => c.get('seq');
async function runFor(n: number) { const cpu0 = process.cpuUsage(); const t0 = performance.now(); let ops = 0;
  await Promise.all(Array.from({ length: depth }, async () => { for (let i = 0; i < n; i++) { await op(); ops++; } }));
  const cpu = process.cpuUsage(cpu0); return `${((cpu.user + cpu.system) / ops).toFixed(2)}us/op(u ${(cpu.user/ops).toFixed(2)} s ${(cpu.system/ops).toFixed(2)})`; }
await c.set('seq', 'value-0123456789');
await runFor(2000);
const r = []; for (let i = 0; i < 3; i++) r.push(await runFor(depth === 1 ? 10000 : 4000));
console.log(mode, depth, r.join(' '));
await c.close(); await raw.close();
