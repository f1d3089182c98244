import { isAscii } from 'node:buffer';
import { InvalidResponse, errorFromReply } from '../errors.js';
import { largeReply } from './heap.js';

/** A map reply. Keys are strings (a Redis map key is a string in every reply the server sends). */
export type RespMap = { [key: string]: RespValue };

/**
 * On a map read with `returnBuffers`: its keys and values as they came, `[key, value, …]` with the
 * keys as Buffers. The map's own string keys are UTF-8 decoded, so binary keys (hash fields) can
 * collide there; a reader that needs them exact (`hgetall` in a Buffer view) takes them from here.
 */
export const RAW_PAIRS = Symbol('rawPairs');

/** Every value the parser produces. */
export type RespValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Buffer
  | Error
  | RespValue[]
  | RespMap;

/** Where a RespParser delivers replies, push frames and attributes, and how it decodes bulk strings. */
export interface RespParserOptions {
  /** Each complete top-level reply (error replies arrive here as ResponseError values). */
  onReply: (reply: RespValue) => void;
  /** Each RESP3 push frame (pub/sub messages, invalidations). */
  onPush?: (push: RespValue[]) => void;
  /** RESP3 attributes that precede a reply. Dropped when not given. */
  onAttribute?: (attributes: RespMap) => void;
  /** Bulk strings as Buffers instead of UTF-8 strings. Can be switched between replies. */
  returnBuffers?: boolean;
  /**
   * Declared bulk sizes up to this many bytes get their whole assembly buffer at once; larger ones
   * start there and grow with the data that arrives. 16 MB by default; lower in tests.
   */
  trustedSize?: number;
}

// Aggregate kinds on the parse stack.
const ARRAY = 0;
const MAP = 1;
const SET = 2;
const PUSH = 3;
const ATTRIBUTE = 4;

interface Frame {
  kind: number;
  /** Elements still to come (for maps: keys and values both count). */
  remaining: number;
  items: RespValue[] | null;
  /** Next slot in `items`. */
  index: number;
  map: RespMap | null;
  key: string;
  /** The map's keys and values as Buffers, when read with returnBuffers. */
  raw: RespValue[] | null;
}

type FastBuffer = Buffer & {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
};

/** Marks "an aggregate was opened; no value to place yet". */
const OPENED = Symbol('opened');

const MAX_NESTING = 1_000_000;
const MAX_LINE = 512 * 1024 * 1024 + 64;

/**
 * Arrays up to this many elements get their final size up front. A bigger count is only a claim
 * the stream makes; trusting it would let a few bytes of header reserve gigabytes.
 */
const PREALLOCATE_MAX = 1 << 16;

/**
 * From this size on, ASCII text is decoded as latin1: Node then skips UTF-8 validation, and from
 * EXTERNAL_TEXT on makes the string external (one malloc and memcpy).
 */
const LARGE_TEXT = 64 * 1024;
/** Node's threshold for external strings (`EXTERN_APEX` in its string_bytes.cc). */
const EXTERNAL_TEXT = 0xfbee9 + 1;
/**
 * A flat string past about 128 KB lands in V8's large-object space: a fresh mmap per string, whose
 * page faults cost more than decoding the text (about 60 MB/s against 8 GB/s on a loaded machine).
 * From this size on (short of EXTERNAL_TEXT for ASCII), text is decoded in pieces that fit the young
 * generation and joined into one string; V8 flattens it, once, only if it is read by character.
 */
const PIECEWISE_TEXT = 100 * 1024;
/** Bytes per piece: ASCII pieces are one byte per character; others may take two per byte. */
const ASCII_PIECE = 64 * 1024;
const UTF8_PIECE = 32 * 1024;

/** Up to this many bytes, a JS loop beats the native call of `Buffer#copy`. */
const SMALL_COPY = 64;

/**
 * A bulk value's declared size is only a claim until its bytes arrive. Up to this size the
 * assembly buffer is allocated at once (one allocation, no regrowth); above it, it starts here and
 * grows with the data, so a few header bytes cannot reserve gigabytes.
 */
const TRUSTED_SIZE = 16 * 1024 * 1024;
/**
 * Growth factor past TRUSTED_SIZE: a sender must deliver a quarter of what it makes us reserve,
 * and regrowing copies each byte at most a third of a time more on average.
 */
const GROWTH = 4;

/**
 * A value with at least this much still to come is read by the socket straight into its assembly
 * buffer (`directTarget`). Below it, reading into the shared buffer lets the same read pick up the
 * replies that follow, which saves a system call more than the copy costs.
 */
const DIRECT_MIN = 16 * 1024;

/**
 * One streaming parser for RESP2 and RESP3.
 *
 * It never re-reads bytes it has already turned into values: open aggregates live on an explicit
 * stack (so nesting depth does not touch the JS call stack), a bulk string longer than what has
 * arrived is assembled in one buffer (copied chunk by chunk, or read into it directly by the socket
 * through `directTarget`), and an unfinished header line is kept aside and joined with only the
 * bytes that complete it.
 *
 * It keeps no reference to a chunk after `feed` returns, so a caller may reuse its read buffer.
 */
export class RespParser {
  returnBuffers: boolean;
  private readonly onReply: (reply: RespValue) => void;
  private readonly onPush: ((push: RespValue[]) => void) | undefined;
  private readonly onAttribute: ((attributes: RespMap) => void) | undefined;

  private stack: Frame[] = [];
  /** Copies of the bytes of an unfinished header line, waiting for its CRLF. */
  private tail: Buffer[] | null = null;
  /** Bytes held in `tail`, to bound an unfinished line. */
  private tailBytes = 0;
  /**
   * A bulk value being filled across chunks: shorter than the value while it grows with the data
   * (see TRUSTED_SIZE), longer when it is a borrowed spare.
   */
  private bulk: Buffer | null = null;
  private bulkFilled = 0;
  /** Bytes of the value, its CRLF included. */
  private bulkEnd = 0;
  /** The type byte of the bulk being filled ($, ! or =). */
  private bulkType = 0;
  private bulkAsBuffer = false;
  private readonly trustedSize: number;
  /**
   * Bumped by `reset`. A callback may reset the parser (its connection failed) while `feed` is
   * still walking the chunk; the walk checks this after every callback and stops.
   */
  private epoch = 0;

  constructor(options: RespParserOptions) {
    this.onReply = options.onReply;
    this.onPush = options.onPush;
    this.onAttribute = options.onAttribute;
    this.returnBuffers = options.returnBuffers ?? false;
    this.trustedSize = options.trustedSize ?? TRUSTED_SIZE;
  }

  /** Drops any partial state, e.g. after the connection it read from was replaced. */
  reset(): void {
    this.stack = [];
    this.tail = null;
    this.bulk = null;
    this.bulkFilled = 0;
    this.epoch++;
  }

  /** Bytes the buffer assembling a pending bulk value holds (0 when none is pending). */
  get assemblyBytes(): number {
    return this.bulk === null ? 0 : this.bulk.length;
  }

  /**
   * Where the next socket read should land: the unfilled part of a large bulk value being
   * assembled, so its bytes arrive without a copy, or null when the shared read buffer will do.
   * The caller reads into it and reports the count with `directFilled` before anything else is fed.
   */
  directTarget(): Buffer | null {
    if (this.bulk === null || this.bulkEnd - this.bulkFilled < DIRECT_MIN) return null;
    if (this.bulkFilled === this.bulk.length) this.grow(this.bulkFilled + 1);
    const bulk = this.bulk;
    return bulk.subarray(this.bulkFilled, Math.min(bulk.length, this.bulkEnd));
  }

  /** `n` bytes were read into the view `directTarget` returned. */
  directFilled(n: number): void {
    try {
      this.bulkFilled += n;
      if (this.bulkFilled === this.bulkEnd) this.finishBulk();
    } catch (e) {
      this.reset();
      throw e;
    }
  }

  /** True while a reply has been started but not finished. */
  get midReply(): boolean {
    return this.stack.length > 0 || this.tail !== null || this.bulk !== null;
  }

  feed(chunk: Buffer): void {
    try {
      this.parse(chunk);
    } catch (e) {
      this.reset();
      throw e;
    }
  }

  private parse(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const epoch = this.epoch;
    let pos = 0;
    if (this.tail !== null) {
      pos = this.finishTail(chunk);
      if (pos < 0 || this.epoch !== epoch) return;
    }
    if (this.bulk !== null) {
      pos = this.fillBulk(chunk, pos);
      if (this.bulk !== null || this.epoch !== epoch) return;
    }
    this.run(chunk, pos);
  }

  /**
   * Completes the header line kept in `tail` with the start of `chunk` and parses it. Returns
   * where the rest of `chunk` starts, or -1 when the line is still not complete.
   */
  private finishTail(chunk: Buffer): number {
    const parts = this.tail!;
    const last = parts[parts.length - 1]!;
    let lineEnd: number;
    if (last[last.length - 1] === 13) {
      lineEnd = 1;
    } else {
      const cr = chunk.indexOf(13);
      if (cr === -1 || cr + 1 === chunk.length) {
        parts.push(copyOut(chunk, 0, chunk.length));
        this.tailBytes += chunk.length;
        // No line of RESP is longer than the largest value Redis sends; a stream that never ends
        // its line is broken, and must not grow this buffer until memory runs out.
        if (this.tailBytes > MAX_LINE) throw new InvalidResponse('a RESP line longer than 512 MB');
        return -1;
      }
      lineEnd = cr + 2;
    }
    // Only the bytes up to the LF are joined: joining the whole chunk would copy up to 64 KB at
    // every chunk boundary that falls inside a header.
    parts.push(chunk.subarray(0, lineEnd));
    const line = Buffer.concat(parts);
    this.tail = null;
    // `line` is exactly one complete header: this finishes a scalar, opens an aggregate, or starts
    // a bulk value that the rest of `chunk` fills. It cannot leave a new tail.
    this.run(line, 0);
    return lineEnd;
  }

  private run(buf: Buffer, pos: number): void {
    const len = buf.length;
    const epoch = this.epoch;
    const stack = this.stack;
    while (pos < len) {
      const type = buf[pos]!;

      if (type === 36) {
        // The commonest element by far, a bulk string that is all in this chunk, in one pass and
        // without helper calls. Anything else (null, split, malformed) falls through to the
        // general path, which parses it again and reports it properly.
        let i = pos + 1;
        let size = 0;
        let c = 0;
        while (i < len) {
          c = buf[i]!;
          if (c < 48 || c > 57) break;
          size = size * 10 + (c - 48);
          i++;
        }
        const start = i + 2;
        const end = start + size;
        if (c === 13 && i > pos + 1 && end + 2 <= len && buf[i + 1] === 10 && buf[end] === 13 && buf[end + 1] === 10) {
          const value =
            this.returnBuffers ? copyOut(buf, start, end) : decodeText(buf, start, end);
          pos = end + 2;
          if (stack.length === 0) {
            this.onReply(value);
            if (this.epoch !== epoch) return;
            continue;
          }
          const top = stack[stack.length - 1]!;
          if (top.items !== null && top.remaining > 1) {
            top.items[top.index++] = value;
            top.remaining--;
            continue;
          }
          this.place(value);
          if (this.epoch !== epoch) return;
          continue;
        }
      }

      const start = pos;
      let value: RespValue | typeof OPENED;
      const lineEnd = findCR(buf, pos + 1, len);
      if (lineEnd === -1 || lineEnd + 1 === len) {
        // The header line (or its LF) has not all arrived: keep those few bytes for the next chunk.
        this.tail = [copyOut(buf, start, len)];
        this.tailBytes = len - start;
        return;
      }
      if (buf[lineEnd + 1] !== 10) throw new InvalidResponse('expected CRLF at the end of a RESP line');
      switch (type) {
        case 36: // $ bulk string
        case 33: // ! bulk error
        case 61: {
          // = verbatim string
          const size = parseLength(buf, pos + 1, lineEnd);
          pos = lineEnd + 2;
          if (size === -1) {
            value = null;
            break;
          }
          const end = pos + size;
          if (end + 2 > len) {
            // Not all here: copy what there is into an assembly buffer and fill it as chunks
            // arrive, so a 512 MB value costs one copy, not one re-read per chunk.
            this.startBulk(type, size + 2, buf, pos, len);
            return;
          }
          if (buf[end] !== 13 || buf[end + 1] !== 10) throw new InvalidResponse('expected CRLF after a bulk string');
          value = this.bulkValue(type, buf, pos, end);
          pos = end + 2;
          break;
        }
        case 43: // + simple string
          value = decodeText(buf, pos + 1, lineEnd);
          pos = lineEnd + 2;
          break;
        case 45: // - simple error
          value = errorFromReply((buf as FastBuffer).utf8Slice(pos + 1, lineEnd));
          pos = lineEnd + 2;
          break;
        case 58: // : integer
          value = parseInteger(buf, pos + 1, lineEnd);
          pos = lineEnd + 2;
          break;
        case 42: // * array
        case 37: // % map
        case 126: // ~ set
        case 62: // > push
        case 124: {
          // | attribute
          const count = parseLength(buf, pos + 1, lineEnd);
          pos = lineEnd + 2;
          if (count === -1) {
            value = null;
            break;
          }
          value = this.open(type, count);
          break;
        }
        case 95: // _ null
          if (lineEnd !== pos + 1) throw new InvalidResponse('invalid RESP3 null');
          value = null;
          pos = lineEnd + 2;
          break;
        case 35: // # boolean
          if (lineEnd !== pos + 2 || (buf[pos + 1] !== 116 && buf[pos + 1] !== 102)) {
            throw new InvalidResponse('invalid RESP3 boolean');
          }
          value = buf[pos + 1] === 116;
          pos = lineEnd + 2;
          break;
        case 44: // , double
          value = parseDouble((buf as FastBuffer).latin1Slice(pos + 1, lineEnd));
          pos = lineEnd + 2;
          break;
        case 40: {
          // ( big number
          const text = (buf as FastBuffer).latin1Slice(pos + 1, lineEnd);
          if (!/^[-+]?\d+$/.test(text)) throw new InvalidResponse('invalid RESP3 big number');
          value = BigInt(text);
          pos = lineEnd + 2;
          break;
        }
        default:
          throw new InvalidResponse(`unknown RESP type byte 0x${type.toString(16).padStart(2, '0')}`);
      }
      if (value !== OPENED) this.place(value as RespValue);
      if (this.epoch !== epoch) return;
    }
  }

  private open(type: number, count: number): RespValue | typeof OPENED {
    if (type === 37 || type === 124) count *= 2;
    if (count === 0) {
      if (type === 37) return this.returnBuffers ? withRaw(newMap(), []) : newMap();
      if (type === 124) {
        // An empty attribute precedes the real value; nothing to place.
        this.onAttribute?.(newMap());
        return OPENED;
      }
      if (type === 62 && this.stack.length === 0) {
        this.onPush?.([]);
        return OPENED;
      }
      return [];
    }
    if (this.stack.length >= MAX_NESTING) throw new InvalidResponse('RESP nesting too deep');
    const kind = type === 42 ? ARRAY : type === 37 ? MAP : type === 126 ? SET : type === 62 ? PUSH : ATTRIBUTE;
    const isMap = kind === MAP || kind === ATTRIBUTE;
    this.stack.push({
      kind,
      remaining: count,
      items: isMap ? null : count <= PREALLOCATE_MAX ? new Array<RespValue>(count) : [],
      index: 0,
      map: isMap ? newMap() : null,
      key: '',
      raw: kind === MAP && this.returnBuffers ? [] : null,
    });
    return OPENED;
  }

  /** Puts a finished value into its parent aggregate, closing every aggregate it completes. */
  private place(value: RespValue): void {
    const stack = this.stack;
    for (;;) {
      const top = stack.length === 0 ? undefined : stack[stack.length - 1]!;
      if (top === undefined) {
        this.onReply(value);
        return;
      }
      if (top.map !== null) {
        if (top.remaining % 2 === 0) {
          top.key = mapKey(value);
        } else {
          setKey(top.map, top.key, value);
        }
        top.raw?.push(value);
      } else {
        top.items![top.index++] = value;
      }
      if (--top.remaining > 0) return;
      stack.pop();
      if (top.kind === ATTRIBUTE) {
        this.onAttribute?.(top.map!);
        return;
      }
      if (top.kind === PUSH && stack.length === 0) {
        if (this.onPush !== undefined) this.onPush(top.items!);
        return;
      }
      value = top.raw !== null ? withRaw(top.map!, top.raw) : top.map ?? top.items!;
    }
  }

  private bulkValue(type: number, buf: Buffer, start: number, end: number): RespValue {
    if (type === 33) return errorFromReply((buf as FastBuffer).utf8Slice(start, end));
    if (type === 61) {
      // A verbatim string starts with a three-letter format and a colon ("txt:"), not part of the text.
      if (end - start < 4 || buf[start + 3] !== 58) throw new InvalidResponse('invalid RESP3 verbatim string');
      start += 4;
    }
    if (this.returnBuffers) {
      // A copy, not a view: the socket's chunk must not be kept alive (or changed) by the user's value.
      return copyOut(buf, start, end);
    }
    return decodeText(buf, start, end);
  }

  private startBulk(type: number, total: number, buf: Buffer, pos: number, len: number): void {
    this.bulkType = type;
    this.bulkAsBuffer = type !== 33 && this.returnBuffers;
    largeReply(total);
    const have = len - pos;
    // A Buffer value is this very memory, so it must be fresh; text is decoded out of it, so the
    // memory can be reused.
    let bulk: Buffer | null = this.bulkAsBuffer ? null : borrowSpare(total);
    if (bulk === null) bulk = Buffer.allocUnsafe(capacityFor(total, Math.max(this.trustedSize, have * GROWTH)));
    this.bulk = bulk;
    this.bulkEnd = total;
    this.bulkFilled = buf.copy(bulk, 0, pos, len);
  }

  /** Replaces the assembly buffer by a larger one that holds at least `need` bytes. */
  private grow(need: number): void {
    const old = this.bulk!;
    const next = Buffer.allocUnsafe(capacityFor(this.bulkEnd, Math.max(need, old.length * GROWTH)));
    old.copy(next, 0, 0, this.bulkFilled);
    this.bulk = next;
  }

  /**
   * Copies from `chunk` (from `from` on) into the pending bulk value; returns the position after
   * the part it used.
   */
  private fillBulk(chunk: Buffer, from: number): number {
    const n = Math.min(this.bulkEnd - this.bulkFilled, chunk.length - from);
    if (this.bulkFilled + n > this.bulk!.length) this.grow(this.bulkFilled + n);
    chunk.copy(this.bulk!, this.bulkFilled, from, from + n);
    this.bulkFilled += n;
    if (this.bulkFilled === this.bulkEnd) this.finishBulk();
    return from + n;
  }

  /** The pending bulk value is all in: turn it into its value and place it. */
  private finishBulk(): void {
    const bulk = this.bulk!;
    this.bulk = null;
    const end = this.bulkEnd - 2;
    if (bulk[end] !== 13 || bulk[end + 1] !== 10) {
      throw new InvalidResponse('expected CRLF after a bulk string');
    }
    let value: RespValue;
    const type = this.bulkType;
    if (type === 33) {
      value = errorFromReply((bulk as FastBuffer).utf8Slice(0, end));
    } else {
      let start = 0;
      if (type === 61) {
        if (end < 4 || bulk[3] !== 58) throw new InvalidResponse('invalid RESP3 verbatim string');
        start = 4;
      }
      value = this.bulkAsBuffer ? bulk.subarray(start, end) : decodeText(bulk, start, end);
    }
    if (!this.bulkAsBuffer) giveBack(bulk);
    this.place(value);
  }
}

/**
 * The assembly buffer to allocate for a value of `total` bytes (its CRLF included) when `wanted`
 * would do for now: the whole value once `wanted` comes close to it, since a second growth so near
 * the end would copy nearly all of it again for a few bytes more.
 */
function capacityFor(total: number, wanted: number): number {
  return wanted + (wanted >> 1) >= total ? total : wanted;
}

/**
 * Spare assembly buffers for text values that span chunks, shared by all parsers. Writing into
 * fresh memory costs a page fault per 4 KB, which made assembling a 1 MB string take longer than
 * decoding it. Shared and bounded, so idle connections hold no big buffers.
 */
const spares: Buffer[] = [];
const SPARES = 2;
const SPARE_MIN = 64 * 1024;
const SPARE_MAX = 8 * 1024 * 1024;

/** A spare of at least `size` bytes, taken out of the pool (so no other parser can get it), or null. */
function borrowSpare(size: number): Buffer | null {
  for (let i = 0; i < spares.length; i++) {
    const b = spares[i]!;
    if (b.length >= size) {
      spares.splice(i, 1);
      return b;
    }
  }
  return null;
}

function giveBack(b: Buffer): void {
  if (b.length < SPARE_MIN || b.length > SPARE_MAX) return;
  if (spares.length < SPARES) {
    spares.push(b);
    return;
  }
  let smallest = 0;
  for (let i = 1; i < spares.length; i++) if (spares[i]!.length < spares[smallest]!.length) smallest = i;
  if (spares[smallest]!.length < b.length) spares[smallest] = b;
}

function newMap(): RespMap {
  return {};
}

function withRaw(map: RespMap, raw: RespValue[]): RespMap {
  Object.defineProperty(map, RAW_PAIRS, { value: raw });
  return map;
}

function mapKey(value: RespValue): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

function setKey(map: RespMap, key: string, value: RespValue): void {
  // '__proto__' as a plain assignment would replace the object's prototype instead of adding a key.
  if (key === '__proto__') {
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    map[key] = value;
  }
}

/** A copy of `buf[start, end)` that shares no memory with `buf`. */
function copyOut(buf: Buffer, start: number, end: number): Buffer {
  const n = end - start;
  const out = Buffer.allocUnsafe(n);
  if (n <= SMALL_COPY) {
    for (let i = 0; i < n; i++) out[i] = buf[start + i]!;
  } else {
    buf.copy(out, 0, start, end);
  }
  return out;
}

const fromCharCode = String.fromCharCode;

/** UTF-8 text of `buf[start, end)`. */
function decodeText(buf: Buffer, start: number, end: number): string {
  const n = end - start;
  if (n <= 16) {
    const s = shortAscii(buf, start, n);
    if (s !== undefined) return s;
  } else if (n >= LARGE_TEXT) {
    const ascii = isAscii(buf.subarray(start, end));
    if (n >= PIECEWISE_TEXT && (n < EXTERNAL_TEXT || !ascii)) return decodePieces(buf, start, end, ascii);
    if (ascii) return (buf as FastBuffer).latin1Slice(start, end);
  }
  return (buf as FastBuffer).utf8Slice(start, end);
}

/** The text of `buf[start, end)` decoded piece by piece (see PIECEWISE_TEXT). */
function decodePieces(buf: Buffer, start: number, end: number, ascii: boolean): string {
  const b = buf as FastBuffer;
  let out = '';
  if (ascii) {
    for (let p = start; p < end; p += ASCII_PIECE) out += b.latin1Slice(p, Math.min(end, p + ASCII_PIECE));
    return out;
  }
  let p = start;
  while (p < end) {
    let q = p + UTF8_PIECE;
    if (q >= end) q = end;
    else q = utf8Boundary(buf, p, q);
    out += b.utf8Slice(p, q);
    p = q;
  }
  return out;
}

/**
 * A cut near `q` (after `from`) that splits no UTF-8 sequence, so each piece decodes to exactly
 * what the whole would: before the lead byte of a sequence that `q` would cut short.
 */
function utf8Boundary(buf: Buffer, from: number, q: number): number {
  for (let i = q - 1; i >= from && i >= q - 3; i--) {
    const c = buf[i]!;
    if (c < 0x80) return q;
    if (c >= 0xc0) {
      const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return i + len <= q ? q : i;
    }
  }
  return q;
}

/**
 * `n` (at most 16) bytes at `s` as a string if they are all ASCII, else undefined.
 *
 * Short values dominate Redis traffic, and for them the native decoder's call overhead costs more
 * than the decoding: this is about three times faster. One call with every byte as an argument
 * builds one flat string; appending byte by byte would allocate a string per byte, and joining two
 * halves makes a cons string from 13 characters on.
 */
function shortAscii(b: Buffer, s: number, n: number): string | undefined {
  switch (n) {
    case 0:
      return '';
    case 1: {
      const c0 = b[s]!;
      return c0 < 128 ? fromCharCode(c0) : undefined;
    }
    case 2: {
      const c0 = b[s]!, c1 = b[s + 1]!;
      return (c0 | c1) < 128 ? fromCharCode(c0, c1) : undefined;
    }
    case 3: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!;
      return (c0 | c1 | c2) < 128 ? fromCharCode(c0, c1, c2) : undefined;
    }
    case 4: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!;
      return (c0 | c1 | c2 | c3) < 128 ? fromCharCode(c0, c1, c2, c3) : undefined;
    }
    case 5: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!;
      return (c0 | c1 | c2 | c3 | c4) < 128 ? fromCharCode(c0, c1, c2, c3, c4) : undefined;
    }
    case 6: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!;
      return (c0 | c1 | c2 | c3 | c4 | c5) < 128 ? fromCharCode(c0, c1, c2, c3, c4, c5) : undefined;
    }
    case 7: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!, c6 = b[s + 6]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6) < 128 ? fromCharCode(c0, c1, c2, c3, c4, c5, c6) : undefined;
    }
    case 8: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!, c6 = b[s + 6]!, c7 = b[s + 7]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7) < 128 ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7) : undefined;
    }
    case 9: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!, c6 = b[s + 6]!, c7 = b[s + 7]!, c8 = b[s + 8]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8) < 128 ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8) : undefined;
    }
    case 10: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!, c6 = b[s + 6]!, c7 = b[s + 7]!, c8 = b[s + 8]!, c9 = b[s + 9]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9) < 128 ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9) : undefined;
    }
    case 11: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!, c6 = b[s + 6]!, c7 = b[s + 7]!, c8 = b[s + 8]!, c9 = b[s + 9]!, c10 = b[s + 10]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10) < 128 ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10) : undefined;
    }
    case 12: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!, c6 = b[s + 6]!, c7 = b[s + 7]!, c8 = b[s + 8]!, c9 = b[s + 9]!, c10 = b[s + 10]!, c11 = b[s + 11]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11) < 128 ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11) : undefined;
    }
    case 13: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!, c6 = b[s + 6]!, c7 = b[s + 7]!, c8 = b[s + 8]!, c9 = b[s + 9]!, c10 = b[s + 10]!, c11 = b[s + 11]!, c12 = b[s + 12]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12) < 128 ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12) : undefined;
    }
    case 14: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!, c6 = b[s + 6]!, c7 = b[s + 7]!, c8 = b[s + 8]!, c9 = b[s + 9]!, c10 = b[s + 10]!, c11 = b[s + 11]!, c12 = b[s + 12]!, c13 = b[s + 13]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12 | c13) < 128 ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13) : undefined;
    }
    case 15: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!, c6 = b[s + 6]!, c7 = b[s + 7]!, c8 = b[s + 8]!, c9 = b[s + 9]!, c10 = b[s + 10]!, c11 = b[s + 11]!, c12 = b[s + 12]!, c13 = b[s + 13]!, c14 = b[s + 14]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12 | c13 | c14) < 128 ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14) : undefined;
    }
    case 16: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!, c6 = b[s + 6]!, c7 = b[s + 7]!, c8 = b[s + 8]!, c9 = b[s + 9]!, c10 = b[s + 10]!, c11 = b[s + 11]!, c12 = b[s + 12]!, c13 = b[s + 13]!, c14 = b[s + 14]!, c15 = b[s + 15]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12 | c13 | c14 | c15) < 128 ? fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15) : undefined;
    }
  }
  return undefined;
}

/** Finds the CR of the current line; -1 when the line is not complete in this chunk. */
function findCR(buf: Buffer, from: number, len: number): number {
  for (let i = from; i < len; i++) {
    if (buf[i] === 13) return i;
  }
  return -1;
}

/** A length or count: a non-negative integer, or -1 for a RESP2 null. */
function parseLength(buf: Buffer, start: number, end: number): number {
  if (start === end) throw new InvalidResponse('empty length in RESP header');
  if (buf[start] === 45) {
    if (end === start + 2 && buf[start + 1] === 49) return -1;
    throw new InvalidResponse('negative length in RESP header');
  }
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) throw new InvalidResponse('invalid length in RESP header');
    n = n * 10 + d;
  }
  if (n > 0x7fffffff * 2) throw new InvalidResponse('length in RESP header too large');
  return n;
}

function parseInteger(buf: Buffer, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (buf[i] === 45) {
    negative = true;
    i++;
  } else if (buf[i] === 43) {
    i++;
  }
  if (i === end) throw new InvalidResponse('invalid RESP integer');
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) throw new InvalidResponse('invalid RESP integer');
    n = n * 10 + d;
  }
  if (n > Number.MAX_SAFE_INTEGER) {
    // Past 2^53 the digit loop loses precision; parse the text exactly, then round once.
    n = Number(BigInt(buf.toString('latin1', negative ? start + 1 : start, end).replace('+', '')));
  }
  return negative ? -n : n;
}

/** What a RESP3 double may look like besides inf/-inf/nan (Number() alone would also take ' 1', '0x1f' or 'Infinity'). */
const DOUBLE = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

function parseDouble(text: string): number {
  switch (text) {
    case 'inf':
    case '+inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    case 'nan':
    case '-nan':
      return NaN;
  }
  if (!DOUBLE.test(text)) throw new InvalidResponse('invalid RESP3 double');
  return Number(text);
}
