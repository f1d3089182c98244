import { DataError } from '../errors.js';

/** One argument of a command as the encoder takes it. */
export type RedisArg = string | Buffer | number | bigint;

/**
 * The server's default `proto-max-bulk-len`: it drops a connection that sends a longer argument, taking
 * every other command on it along. Connections refuse such an argument before writing it.
 */
export const MAX_BULK_LENGTH = 512 * 1024 * 1024;

const SLAB_SIZE = 64 * 1024;
/** Arguments bigger than this are not copied into the slab: they are written as their own chunk. */
const LARGE_ARG = 32 * 1024;

/** A slab grown for large values is at most this big (unless one value needs more). */
const MAX_SLAB = 16 * 1024 * 1024;
/** Slabs kept for reuse besides the one in use. */
const SPARE_SLABS = 2;
/** Strings up to this many characters are written with room for 3 bytes each (no byteLength pass). */
const RESERVE_MAX = Math.floor((MAX_SLAB - 16) / 3);
/** Strings up to this many characters are encoded into the slab; longer ones get a Buffer each. */
const MAX_STRING_IN_SLAB = 8 * 1024 * 1024;

/** Strings up to this length are tried as ASCII first, written by a JS loop. */
const SHORT_STRING = 64;

/** Node's Buffer has unchecked per-encoding writers; they skip the argument juggling of `write`. */
type FastBuffer = Buffer & { utf8Write(s: string, offset: number): number };

/**
 * Encodes commands straight into a slab of memory that is handed out in slices.
 *
 * A slice that was given to `socket.write` must not be overwritten until the socket is done with
 * it, so the encoder moves forward through the slab and starts another one when the current one is
 * full. Slabs are used again instead of fresh memory, which costs a page fault per 4 KB on first
 * touch and made encoding large values cost more than copying them: after `rewind` (every slice
 * taken so far was written out at once) the same slab is refilled from its start; after `retire`
 * (the socket still holds some) the encoder moves to a spare slab, and the retired ones come back
 * through `recycle` when the socket's write callback says it is done with them.
 */
export class CommandEncoder {
  private slab: Buffer = Buffer.allocUnsafe(SLAB_SIZE);
  /** Start of the bytes not yet taken. */
  private start = 0;
  private pos = 0;
  /** Finished chunks of the current batch that live outside the slab (large arguments, old slabs). */
  private chunks: Buffer[] | null = null;
  /** Rewinds in a row whose batch would have fit a normal slab: a big slab is dropped after many. */
  private smallBatches = 0;
  /** Slabs left behind by `ensure` since the last rewind or retire: their bytes are in a write. */
  private replaced: Buffer[] | null = null;
  /** Slabs no write refers to any more, to take before allocating. */
  private spares: Buffer[] = [];

  /** @param maxBulkLength the longest argument (in bytes) to accept; longer ones are a DataError. */
  constructor(private readonly maxBulkLength = Infinity) {}

  /** Appends one command. Throws DataError (and appends nothing) on an argument it cannot encode. */
  write(args: ReadonlyArray<RedisArg>): void {
    const n = args.length;
    // Checked before any byte is written, so a bad argument never leaves half a command behind.
    for (let i = 0; i < n; i++) checkArg(args[i], this.maxBulkLength);
    this.ensure(16);
    this.pos = writeHeader(this.slab, this.pos, 0x2a /* * */, n);
    for (let i = 0; i < n; i++) this.writeArg(args[i]!);
  }

  /** True when there are bytes written but not taken. */
  get pending(): boolean {
    return this.pos > this.start || this.chunks !== null;
  }

  /** Bytes pending, for backpressure decisions. */
  get pendingBytes(): number {
    let total = this.pos - this.start;
    if (this.chunks !== null) for (const c of this.chunks) total += c.length;
    return total;
  }

  /** Takes everything written since the last take, as one Buffer or a list of Buffers. */
  take(): Buffer | Buffer[] {
    const tail = this.slab.subarray(this.start, this.pos);
    this.start = this.pos;
    if (this.chunks === null) return tail;
    const out = this.chunks;
    this.chunks = null;
    if (tail.length > 0) out.push(tail);
    return out;
  }

  /**
   * Everything taken so far has been written out and nothing refers to it any more (the socket
   * wrote it synchronously): the current slab can be filled again from its start.
   */
  rewind(): void {
    if (this.start !== this.pos || this.chunks !== null) return;
    if (this.replaced !== null) {
      for (const s of this.replaced) this.recycle([s]);
      this.replaced = null;
    }
    if (this.slab.length > SLAB_SIZE) {
      // A slab grown for large values is kept while they keep coming, not for ever after.
      this.smallBatches = this.pos > SLAB_SIZE ? 0 : this.smallBatches + 1;
      if (this.smallBatches > 64) {
        this.smallBatches = 0;
        this.spares = [];
        this.newSlab();
        return;
      }
    }
    this.start = 0;
    this.pos = 0;
  }

  /**
   * Everything taken has been handed to a write that is still under way: the slabs it refers to
   * are set aside (returned, for `recycle` once the write is done) and encoding goes on in a spare.
   * Returns null when no slab needs setting aside.
   */
  retire(): Buffer[] | null {
    if (this.start !== this.pos || this.chunks !== null) return null;
    const out = this.replaced;
    this.replaced = null;
    if (this.start === 0) return out;
    const slabs = out ?? [];
    slabs.push(this.slab);
    this.slab = this.spares.pop() ?? Buffer.allocUnsafe(SLAB_SIZE);
    this.start = 0;
    this.pos = 0;
    return slabs;
  }

  /** Slabs from `retire` that no write refers to any more: kept (a few) to encode into again. */
  recycle(slabs: Buffer[]): void {
    for (const s of slabs) {
      if (s === this.slab) continue;
      if (this.spares.length < SPARE_SLABS) {
        this.spares.push(s);
        continue;
      }
      // Full: the largest are the ones worth keeping (a small slab costs little to allocate).
      let smallest = 0;
      for (let i = 1; i < this.spares.length; i++) if (this.spares[i]!.length < this.spares[smallest]!.length) smallest = i;
      if (this.spares[smallest]!.length < s.length) this.spares[smallest] = s;
    }
  }

  private newSlab(): void {
    this.slab = Buffer.allocUnsafe(SLAB_SIZE);
    this.start = 0;
    this.pos = 0;
  }

  /** Makes room for `bytes` contiguous bytes at `pos`, moving finished bytes out to `chunks`. */
  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.slab.length) return;
    this.flushToChunks();
    // The slab left behind holds bytes of this batch (or nothing, when `pos` is 0).
    if (this.pos > 0) (this.replaced ??= []).push(this.slab);
    // Room for a few more of the same once values are a sizeable part of a slab (a string reserves
    // 3 bytes per character), so a batch of them soon fits one reused slab, not a fresh one each.
    const big = bytes > SLAB_SIZE / 4;
    const want = big ? Math.max(bytes, Math.min(2 * this.slab.length, MAX_SLAB)) : SLAB_SIZE;
    // The largest spare that holds what is needed now: any of them is memory already faulted in.
    const need = Math.max(bytes, SLAB_SIZE);
    let spare = -1;
    for (let i = 0; i < this.spares.length; i++) {
      if (this.spares[i]!.length >= need && (spare === -1 || this.spares[i]!.length > this.spares[spare]!.length)) spare = i;
    }
    if (spare !== -1) {
      this.slab = this.spares[spare]!;
      this.spares.splice(spare, 1);
    } else {
      this.slab = Buffer.allocUnsafe(want);
    }
    this.start = 0;
    this.pos = 0;
  }

  private flushToChunks(): void {
    if (this.pos > this.start) {
      (this.chunks ??= []).push(this.slab.subarray(this.start, this.pos));
      this.start = this.pos;
    }
  }

  private writeArg(arg: RedisArg): void {
    if (typeof arg === 'string') {
      const len = arg.length;
      if (len <= SHORT_STRING && this.writeShortAscii(arg, len)) return;
      if (len <= RESERVE_MAX) {
        // Reserve room for the largest header the string could need (3 bytes per UTF-16 unit), write
        // the string, then close the gap if the header turned out shorter. Saves a byteLength pass,
        // which on a large string costs three times the write itself.
        const maxBytes = len * 3;
        const maxDigits = digits(maxBytes);
        this.ensure(maxBytes + maxDigits + 5);
        const slab = this.slab;
        const headerAt = this.pos;
        const dataAt = headerAt + 1 + maxDigits + 2;
        const written = len === 0 ? 0 : (slab as FastBuffer).utf8Write(arg, dataAt);
        const realDigits = digits(written);
        let p = writeHeader(slab, headerAt, 0x24 /* $ */, written);
        if (realDigits !== maxDigits) slab.copyWithin(p, dataAt, dataAt + written);
        p += written;
        slab[p] = 13;
        slab[p + 1] = 10;
        this.pos = p + 2;
        return;
      }
      if (len <= MAX_STRING_IN_SLAB) {
        // Into the slab, which is reused, rather than a Buffer of its own, which is fresh memory.
        const bytes = Buffer.byteLength(arg, 'utf8');
        this.ensure(bytes + 16);
        const slab = this.slab;
        let p = writeHeader(slab, this.pos, 0x24 /* $ */, bytes);
        p += (slab as FastBuffer).utf8Write(arg, p);
        slab[p] = 13;
        slab[p + 1] = 10;
        this.pos = p + 2;
        return;
      }
      this.writeLarge(Buffer.from(arg, 'utf8'));
      return;
    }
    if (typeof arg === 'number' || typeof arg === 'bigint') {
      this.writeArg(String(arg));
      return;
    }
    const len = arg.length;
    if (len >= LARGE_ARG) {
      this.writeLarge(arg);
      return;
    }
    this.ensure(len + 16);
    let p = writeHeader(this.slab, this.pos, 0x24, len);
    const slab = this.slab;
    slab.set(arg, p);
    p += len;
    slab[p] = 13;
    slab[p + 1] = 10;
    this.pos = p + 2;
  }

  /**
   * Keys and small values are mostly short ASCII: for them a JS loop beats the native UTF-8 writer,
   * whose call overhead is larger than the copying. Returns false (having written nothing that
   * counts) at the first non-ASCII character, for the general path to take over.
   */
  private writeShortAscii(arg: string, len: number): boolean {
    this.ensure(len + 8);
    const slab = this.slab;
    let p = writeHeader(slab, this.pos, 0x24 /* $ */, len);
    for (let i = 0; i < len; i++) {
      const c = arg.charCodeAt(i);
      if (c > 127) return false;
      slab[p++] = c;
    }
    slab[p] = 13;
    slab[p + 1] = 10;
    this.pos = p + 2;
    return true;
  }

  /** A large argument goes out as its own chunk: copying it would cost more than a separate write. */
  private writeLarge(buf: Buffer): void {
    this.ensure(16);
    this.pos = writeHeader(this.slab, this.pos, 0x24, buf.length);
    this.flushToChunks();
    this.chunks!.push(buf);
    this.ensure(2);
    this.slab[this.pos] = 13;
    this.slab[this.pos + 1] = 10;
    this.pos += 2;
  }
}

/** Throws the DataError that encoding these arguments would throw, without encoding them. */
export function checkArgs(args: ReadonlyArray<unknown>, maxBulkLength = Infinity): void {
  for (let i = 0; i < args.length; i++) checkArg(args[i], maxBulkLength);
}

function checkArg(arg: unknown, max: number): void {
  if (typeof arg === 'string') {
    // Only a string that long can be past the limit in UTF-8: the byte count is taken for those alone.
    if (arg.length > max / 3 && Buffer.byteLength(arg) > max) throw tooLong(Buffer.byteLength(arg));
    return;
  }
  if (Buffer.isBuffer(arg)) {
    if (arg.length > max) throw tooLong(arg.length);
    return;
  }
  if (typeof arg === 'number') {
    if (!Number.isFinite(arg)) throw new DataError(`cannot send the number ${arg} to Redis`);
    if (isInexactInteger(arg)) throw inexact(arg);
    return;
  }
  if (typeof arg === 'bigint') return;
  throw new DataError(
    `cannot send a value of type ${arg === null ? 'null' : typeof arg} to Redis: ` +
      'arguments must be strings, Buffers, finite numbers or bigints',
  );
}

/**
 * An integer past 2^53 whose decimal form is not its value: String(2 ** 60) is "1152921504606847000",
 * not 1152921504606846976. (From 1e21 on, String() gives an exponent form, which is exact as a double
 * and which no integer argument accepts anyway.)
 */
export function isInexactInteger(n: number): boolean {
  return Number.isInteger(n) && !Number.isSafeInteger(n) && Math.abs(n) < 1e21 && BigInt(n).toString() !== String(n);
}

export function inexact(n: number): DataError {
  return new DataError(`the integer ${n} is beyond 2^53 and would not be sent exactly: pass it as a bigint (or a string)`);
}

function tooLong(bytes: number): DataError {
  return new DataError(`an argument of ${bytes} bytes is longer than the server's proto-max-bulk-len (512 MB by default), which would drop the connection`);
}

function digits(n: number): number {
  if (n < 10) return 1;
  if (n < 100) return 2;
  if (n < 1000) return 3;
  if (n < 10000) return 4;
  if (n < 100000) return 5;
  if (n < 1000000) return 6;
  return String(n).length;
}

/** Writes `<prefix><n>\r\n` at `p` and returns the position after it. */
function writeHeader(buf: Buffer, p: number, prefix: number, n: number): number {
  buf[p++] = prefix;
  if (n < 10) {
    buf[p++] = 48 + n;
  } else {
    const d = digits(n);
    let q = p + d - 1;
    while (n > 0) {
      buf[q--] = 48 + (n % 10);
      n = (n / 10) | 0;
    }
    p += d;
  }
  buf[p] = 13;
  buf[p + 1] = 10;
  return p + 2;
}

const shared = new CommandEncoder();

/** Encodes one command to RESP bytes (a copy of its own). For tests and tools; connections batch. */
export function encodeCommand(args: ReadonlyArray<RedisArg>): Buffer {
  shared.write(args);
  const out = shared.take();
  return Buffer.concat(Array.isArray(out) ? out : [out]);
}
