// The ceiling: what Node itself can move through one socket. Commands are encoded once, up front;
// replies are counted, never decoded. Writes are coalesced per tick, as a good client's are. No
// client can beat this row; how close one gets is the measure of its own overhead.

import * as net from 'node:net';
import type { BenchClient, Target } from './adapters.js';

function encode(args: string[]): Buffer {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return Buffer.from(s);
}

/**
 * Counts top-level RESP2 replies in a byte stream without building any value: bulk payloads are
 * skipped by their length, arrays by their element count.
 */
class ReplyCounter {
  private skip = 0;
  private readonly open: number[] = [];
  private partial: Buffer | null = null;

  constructor(private readonly onReply: () => void) {}

  feed(chunk: Buffer): void {
    let buf = chunk;
    let pos = 0;
    if (this.skip > 0) {
      const n = Math.min(this.skip, buf.length);
      this.skip -= n;
      pos = n;
      if (this.skip > 0) return;
      this.done();
    } else if (this.partial !== null) {
      buf = Buffer.concat([this.partial, chunk]);
      this.partial = null;
    }
    const len = buf.length;
    while (pos < len) {
      let lf = pos + 1;
      while (lf < len && buf[lf] !== 10) lf++;
      if (lf === len) {
        // A copy: the read buffer is reused.
        this.partial = Buffer.from(buf.subarray(pos));
        return;
      }
      const type = buf[pos];
      if (type === 36 /* $ */) {
        const size = readInt(buf, pos + 1, lf - 1);
        pos = lf + 1;
        if (size < 0) {
          this.done();
          continue;
        }
        const end = pos + size + 2;
        if (end > len) {
          this.skip = end - len;
          return;
        }
        pos = end;
        this.done();
      } else if (type === 42 /* * */) {
        const count = readInt(buf, pos + 1, lf - 1);
        pos = lf + 1;
        if (count <= 0) this.done();
        else this.open.push(count);
      } else {
        pos = lf + 1;
        this.done();
      }
    }
  }

  private done(): void {
    const open = this.open;
    while (open.length > 0) {
      if (--open[open.length - 1]! > 0) return;
      open.pop();
    }
    this.onReply();
  }
}

export class RawBench implements BenchClient {
  // Resolvers in a power-of-two ring: the cheapest FIFO there is.
  private ring: Array<(() => void) | undefined> = new Array(1 << 16);
  private head = 0;
  private tail = 0;
  // Commands of one tick are copied into one slab and leave in one write.
  private slab = Buffer.allocUnsafe(1 << 20);
  private start = 0;
  private pos = 0;
  private scheduled = false;
  private readonly commands = new Map<string, Buffer>();
  private readonly sets = new Map<string, { value: string | Buffer; bytes: Buffer }>();
  private readonly counter = new ReplyCounter(() => {
    const mask = this.ring.length - 1;
    const resolve = this.ring[this.head]!;
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) & mask;
    resolve();
  });
  /** Commands too large for the slab, with the slab bytes that precede each, in order. */
  private large: Buffer[] | null = null;
  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.large !== null) {
      this.socket.cork();
      for (const b of this.large) this.socket.write(b);
      this.large = null;
      if (this.pos > this.start) this.socket.write(this.slab.subarray(this.start, this.pos));
      this.socket.uncork();
    } else {
      this.socket.write(this.slab.subarray(this.start, this.pos));
    }
    this.start = this.pos;
    if (this.slab.length - this.pos < 1 << 18) {
      this.slab = Buffer.allocUnsafe(1 << 20);
      this.start = this.pos = 0;
    }
  };

  private constructor(private readonly socket: net.Socket) {}

  static connect(target: Target): Promise<RawBench> {
    return new Promise((resolve, reject) => {
      // Reads land in one reused buffer: no allocation per read, nothing decoded, nothing kept.
      const readBuffer = Buffer.allocUnsafe(64 * 1024);
      let bench: RawBench | undefined;
      const socket = net.connect({
        host: target.host,
        port: target.port,
        noDelay: true,
        onread: {
          buffer: readBuffer,
          callback: (n) => {
            bench!.counter.feed(readBuffer.subarray(0, n));
            return true;
          },
        },
      });
      socket.once('error', reject);
      socket.once('connect', () => resolve((bench = new RawBench(socket))));
    });
  }

  private command(args: string[]): Buffer {
    const id = args.join('\0');
    let buf = this.commands.get(id);
    if (buf === undefined) {
      buf = encode(args);
      this.commands.set(id, buf);
    }
    return buf;
  }

  private send(bytes: Buffer, replies: number): Promise<unknown> {
    if (bytes.length > 1 << 16) {
      // Big values go out as their own chunks, as any client writes them.
      this.large ??= [];
      if (this.pos > this.start) this.large.push(this.slab.subarray(this.start, this.pos));
      this.start = this.pos;
      this.large.push(bytes);
    } else {
      bytes.copy(this.slab, this.pos);
      this.pos += bytes.length;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.flush);
    }
    return new Promise<void>((resolve) => {
      const mask = this.ring.length - 1;
      for (let i = 1; i < replies; i++) {
        this.ring[this.tail] = noop;
        this.tail = (this.tail + 1) & mask;
      }
      this.ring[this.tail] = resolve;
      this.tail = (this.tail + 1) & mask;
    });
  }

  set(key: string, value: string | Buffer): Promise<unknown> {
    // Keyed by the value's identity, not its text: joining an 8 MB value into a key per call would
    // cost more than sending it.
    let cached = this.sets.get(key);
    if (cached === undefined || cached.value !== value) {
      const text = typeof value === 'string' ? Buffer.from(value) : value;
      cached = { value, bytes: Buffer.concat([Buffer.from(`*3\r\n$3\r\nSET\r\n$${Buffer.byteLength(key)}\r\n${key}\r\n$${text.length}\r\n`), text, Buffer.from('\r\n')]) };
      this.sets.set(key, cached);
    }
    return this.send(cached.bytes, 1);
  }
  get(key: string): Promise<unknown> {
    return this.send(this.command(['GET', key]), 1);
  }
  getBuffer(key: string): Promise<unknown> {
    return this.get(key);
  }
  lrange(key: string, start: number, stop: number): Promise<unknown> {
    return this.send(this.command(['LRANGE', key, String(start), String(stop)]), 1);
  }
  pipelineSet(keys: readonly string[], value: string): Promise<unknown> {
    const id = `pipe\0${keys.length}\0${keys[0]}\0${value}`;
    let bytes = this.commands.get(id);
    if (bytes === undefined) {
      bytes = Buffer.concat(keys.map((k) => encode(['SET', k, value])));
      this.commands.set(id, bytes);
    }
    return this.send(bytes, keys.length);
  }
  pipelineReplies(): unknown[] {
    return [];
  }
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }
}

function noop(): void {}

function readInt(buf: Buffer, start: number, end: number): number {
  if (buf[start] === 45) return -1;
  let n = 0;
  for (let i = start; i < end; i++) n = n * 10 + buf[i]! - 48;
  return n;
}
