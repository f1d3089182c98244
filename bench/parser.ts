// Parser throughput: redwire's RespParser against redis-parser (the RESP2 parser ioredis uses).
//
//   npm run bench:parser
//
// Every workload is built once as one Buffer and handed to both parsers as the same 64 KB
// subarrays, the way a socket delivers it, so both see identical chunk boundaries.

import { createRequire } from 'node:module';
import { RespParser } from '../src/protocol/parser.js';

interface RedisParserOptions {
  returnReply: (reply: unknown) => void;
  returnError: (error: Error) => void;
  returnFatalError?: (error: Error) => void;
  returnBuffers?: boolean;
}
type RedisParserClass = new (options: RedisParserOptions) => { execute(chunk: Buffer): void };
const RedisParser = createRequire(import.meta.url)('redis-parser') as RedisParserClass;

const CHUNK = 64 * 1024;
const WARMUP = 2;
const RUNS = 7;

interface Workload {
  name: string;
  chunks: Buffer[];
  bytes: number;
  replies: number;
  returnBuffers: boolean;
  /** Report MB/s instead of replies/s: for big values the byte rate is what matters. */
  perByte: boolean;
  /** The reply callback reads one character of each value: V8 flattens a rope on that first read. */
  touch?: boolean;
}

function chunked(stream: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < stream.length; i += CHUNK) out.push(stream.subarray(i, i + CHUNK));
  return out;
}

function repeat(unit: Buffer, times: number): Buffer {
  const out = Buffer.allocUnsafe(unit.length * times);
  for (let i = 0; i < times; i++) unit.copy(out, i * unit.length);
  return out;
}

function workloads(): Workload[] {
  const short = repeat(Buffer.from('$5\r\nhello\r\n'), 1_000_000);

  const element = '$10\r\n0123456789\r\n';
  const array = repeat(Buffer.from('*1000\r\n' + element.repeat(1000)), 2_000);

  const mb = 1024 * 1024;
  const bigUnit = Buffer.concat([Buffer.from(`$${mb}\r\n`), Buffer.alloc(mb, 'x'), Buffer.from('\r\n')]);
  const big = repeat(bigUnit, 200);
  const kb256 = 256 * 1024;
  const midUnit = Buffer.concat([Buffer.from(`$${kb256}\r\n`), Buffer.alloc(kb256, 'x'), Buffer.from('\r\n')]);
  const mid = repeat(midUnit, 800);

  return [
    { name: '1M short bulk strings', chunks: chunked(short), bytes: short.length, replies: 1_000_000, returnBuffers: false, perByte: false },
    { name: '2,000 arrays × 1,000 bulk', chunks: chunked(array), bytes: array.length, replies: 2_000, returnBuffers: false, perByte: false },
    // A string value is read once, as every use of it does (JSON.parse, a socket write, a regex),
    // which charges both parsers for a string one can use. redis-parser returns a value that spans
    // chunks as a rope of per-chunk strings: V8 joins it into a flat string (a fresh allocation and a
    // copy) on first use, so without the read its row would leave that part of the decoding out.
    // redwire returns a flat string. The "never read" rows show what each costs up to the hand-over.
    { name: '200 × 1 MB bulk (string)', chunks: chunked(big), bytes: big.length, replies: 200, returnBuffers: false, perByte: true, touch: true },
    { name: '200 × 1 MB bulk (string, never read)', chunks: chunked(big), bytes: big.length, replies: 200, returnBuffers: false, perByte: true },
    { name: '200 × 1 MB bulk (Buffer)', chunks: chunked(big), bytes: big.length, replies: 200, returnBuffers: true, perByte: true },
    { name: '800 × 256 KB bulk (string)', chunks: chunked(mid), bytes: mid.length, replies: 800, returnBuffers: false, perByte: true, touch: true },
    { name: '800 × 256 KB bulk (string, never read)', chunks: chunked(mid), bytes: mid.length, replies: 800, returnBuffers: false, perByte: true },
    { name: '800 × 256 KB bulk (Buffer)', chunks: chunked(mid), bytes: mid.length, replies: 800, returnBuffers: true, perByte: true },
  ];
}

/** Parses the whole workload once; returns elapsed milliseconds. */
function runRedwire(w: Workload): number {
  let replies = 0;
  const onReply = w.touch ? (v: unknown) => void (replies += touch(v)) : () => void replies++;
  const parser = new RespParser({ onReply, returnBuffers: w.returnBuffers });
  const t0 = process.hrtime.bigint();
  for (const c of w.chunks) parser.feed(c);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (replies !== w.replies) throw new Error(`redwire: ${replies} replies, expected ${w.replies}`);
  return ms;
}

function runRedisParser(w: Workload): number {
  let replies = 0;
  const fail = (e: Error): void => {
    throw e;
  };
  const parser = new RedisParser({
    returnReply: w.touch ? (v: unknown) => void (replies += touch(v)) : () => void replies++,
    returnError: fail,
    returnFatalError: fail,
    returnBuffers: w.returnBuffers,
  });
  const t0 = process.hrtime.bigint();
  for (const c of w.chunks) parser.execute(c);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (replies !== w.replies) throw new Error(`redis-parser: ${replies} replies, expected ${w.replies}`);
  return ms;
}

/** Reads a character from the middle of a string value; returns 1 so it can count the reply. */
function touch(v: unknown): number {
  const s = v as string;
  return s.charCodeAt(s.length >> 1) >= 0 ? 1 : 0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function rate(w: Workload, ms: number): string {
  if (w.perByte) return `${((w.bytes / (1024 * 1024)) / (ms / 1000)).toFixed(0)} MB/s`;
  const ops = w.replies / (ms / 1000);
  return ops >= 1e6 ? `${(ops / 1e6).toFixed(2)}M ops/s` : `${(ops / 1e3).toFixed(1)}K ops/s`;
}

function main(): void {
  const rows: string[][] = [['workload', 'redwire', 'redis-parser', 'ratio (median)', 'ratio (best)']];
  for (const w of workloads()) {
    const ours: number[] = [];
    const theirs: number[] = [];
    // Alternating the two keeps GC state and CPU frequency drift from favouring one side.
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const a = runRedwire(w);
      const b = runRedisParser(w);
      if (i >= WARMUP) {
        ours.push(a);
        theirs.push(b);
      }
    }
    const mo = median(ours);
    const mt = median(theirs);
    rows.push([
      w.name,
      rate(w, mo),
      rate(w, mt),
      `${(mt / mo).toFixed(2)}x`,
      `${(Math.min(...theirs) / Math.min(...ours)).toFixed(2)}x`,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`node ${process.version}, ${RUNS} runs after ${WARMUP} warm-up, ${CHUNK / 1024} KB chunks`);
  console.log(line(rows[0]!));
  console.log(widths.map((n) => '-'.repeat(n)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
}

main();
