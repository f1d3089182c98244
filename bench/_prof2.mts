import { createClient } from '../src/index.js';
import { RespParser } from '../src/protocol/parser.js';
import { RawBench } from './raw.js';
import { startServer } from '../test/servers/index.js';
const size = Number(process.argv[2] ?? 262144);
const s = await startServer({});
const c = createClient({ port: s.port });
await c.set('k', Buffer.alloc(size, 'x'));
const b = c.withBuffers();
const raw = await RawBench.connect({ host: '127.0.0.1', port: s.port });
const origDT = RespParser.prototype.directTarget;
async function runFor(op: () => Promise<unknown>, ms: number) {
  const end = performance.now() + ms; let ops = 0;
  await Promise.all(Array.from({ length: 8 }, async () => { while (performance.now() < end) { await op(); ops++; } }));
  return Math.round(ops / (ms / 1000));
}
const variants: Record<string, () => Promise<unknown>> = {
  raw: () => raw.get('k'),
  buf: () => { RespParser.prototype.directTarget = origDT; return b.get('k'); },
  bufNoDirect: () => { RespParser.prototype.directTarget = () => null; return b.get('k'); },
  str: () => { RespParser.prototype.directTarget = origDT; return c.get('k'); },
};
const res: Record<string, number[]> = {};
for (let r = 0; r < 5; r++) for (const [k, op] of Object.entries(variants)) { await runFor(op, 200); (res[k] ??= []).push(await runFor(op, 800)); }
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(12), v.sort((a, b) => a - b)[2], v.join(' '));
await c.close(); await raw.close(); await s.stop();
