import { InvalidResponse, errorFromReply } from '../errors.js';

/** A map reply. Keys are strings (a Redis map key is a string in every reply the server sends). */
export type RespMap = { [key: string]: RespValue };

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

export interface RespParserOptions {
  /** Each complete top-level reply (error replies arrive here as ResponseError values). */
  onReply: (reply: RespValue) => void;
  /** Each RESP3 push frame (pub/sub messages, invalidations). */
  onPush?: (push: RespValue[]) => void;
  /** RESP3 attributes that precede a reply. Dropped when not given. */
  onAttribute?: (attributes: RespMap) => void;
  /** Bulk strings as Buffers instead of UTF-8 strings. Can be switched between replies. */
  returnBuffers?: boolean;
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
  map: RespMap | null;
  key: string;
}

type FastBuffer = Buffer & {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
};

/** Marks "an aggregate was opened; no value to place yet". */
const OPENED = Symbol('opened');

const MAX_NESTING = 1_000_000;

/**
 * One streaming parser for RESP2 and RESP3.
 *
 * It never re-reads bytes it has already turned into values: open aggregates live on an explicit
 * stack (so nesting depth does not touch the JS call stack), a bulk string longer than what has
 * arrived is copied chunk by chunk into a buffer of its final size, and only an unfinished header
 * line (a few bytes) is carried over to the next chunk.
 */
export class RespParser {
  returnBuffers: boolean;
  private readonly onReply: (reply: RespValue) => void;
  private readonly onPush: ((push: RespValue[]) => void) | undefined;
  private readonly onAttribute: ((attributes: RespMap) => void) | undefined;

  private stack: Frame[] = [];
  /** Unparsed bytes of an unfinished element, waiting for the next chunk. */
  private tail: Buffer | null = null;
  /** A bulk value being filled across chunks. */
  private bulk: Buffer | null = null;
  private bulkFilled = 0;
  /** The type byte of the bulk being filled ($, ! or =). */
  private bulkType = 0;
  private bulkAsBuffer = false;

  constructor(options: RespParserOptions) {
    this.onReply = options.onReply;
    this.onPush = options.onPush;
    this.onAttribute = options.onAttribute;
    this.returnBuffers = options.returnBuffers ?? false;
  }

  /** Drops any partial state, e.g. after the connection it read from was replaced. */
  reset(): void {
    this.stack = [];
    this.tail = null;
    this.bulk = null;
    this.bulkFilled = 0;
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
    let buf = chunk;
    let pos = 0;
    if (this.bulk !== null) {
      pos = this.fillBulk(chunk);
      if (this.bulk !== null) return;
    } else if (this.tail !== null) {
      buf = Buffer.concat([this.tail, chunk]);
      this.tail = null;
    }
    const len = buf.length;
    while (pos < len) {
      const start = pos;
      const type = buf[pos]!;
      let value: RespValue | typeof OPENED;
      const lineEnd = findCR(buf, pos + 1, len);
      if (lineEnd === -1 || lineEnd + 1 === len) {
        // The header line (or its LF) has not all arrived: keep those few bytes for the next chunk.
        this.tail = buf.subarray(start);
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
            // Not all here: copy what there is into a buffer of the final size and fill it as
            // chunks arrive, so a 512 MB value costs one copy, not one re-read per chunk.
            this.startBulk(type, size + 2, buf, pos, len);
            return;
          }
          if (buf[end] !== 13 || buf[end + 1] !== 10) throw new InvalidResponse('expected CRLF after a bulk string');
          value = this.bulkValue(type, buf, pos, end);
          pos = end + 2;
          break;
        }
        case 43: // + simple string
          value = (buf as FastBuffer).utf8Slice(pos + 1, lineEnd);
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
    }
  }

  private open(type: number, count: number): RespValue | typeof OPENED {
    if (type === 37 || type === 124) count *= 2;
    if (count === 0) {
      if (type === 37) return newMap();
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
      items: isMap ? null : new Array<RespValue>(),
      map: isMap ? newMap() : null,
      key: '',
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
      } else {
        top.items!.push(value);
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
      value = top.map ?? top.items!;
    }
  }

  private bulkValue(type: number, buf: Buffer, start: number, end: number): RespValue {
    if (type === 33) return errorFromReply((buf as FastBuffer).utf8Slice(start, end));
    if (type === 61) {
      // A verbatim string starts with a three-letter format and a colon ("txt:"), not part of the text.
      if (end - start < 4 || buf[start + 3] !== 58) throw new InvalidResponse('invalid RESP3 verbatim string');
      start += 4;
    }
    if (this.returnBuffers && !this.atMapKey()) {
      // A copy, not a view: the socket's chunk must not be kept alive (or changed) by the user's value.
      return Buffer.copyBytesFrom(buf, start, end - start);
    }
    return (buf as FastBuffer).utf8Slice(start, end);
  }

  private atMapKey(): boolean {
    const top = this.stack[this.stack.length - 1];
    return top !== undefined && top.map !== null && top.remaining % 2 === 0;
  }

  private startBulk(type: number, total: number, buf: Buffer, pos: number, len: number): void {
    this.bulk = Buffer.allocUnsafe(total);
    this.bulkType = type;
    this.bulkAsBuffer = this.returnBuffers && !this.atMapKey();
    this.bulkFilled = buf.copy(this.bulk, 0, pos, len);
  }

  /** Copies from `chunk` into the pending bulk value; returns the position after the part it used. */
  private fillBulk(chunk: Buffer): number {
    const bulk = this.bulk!;
    const want = bulk.length - this.bulkFilled;
    const n = Math.min(want, chunk.length);
    chunk.copy(bulk, this.bulkFilled, 0, n);
    this.bulkFilled += n;
    if (this.bulkFilled < bulk.length) return n;
    this.bulk = null;
    const end = bulk.length - 2;
    if (bulk[end] !== 13 || bulk[end + 1] !== 10) {
      throw new InvalidResponse('expected CRLF after a bulk string');
    }
    let value: RespValue;
    const type = this.bulkType;
    if (type === 33) {
      value = errorFromReply(bulk.toString('utf8', 0, end));
    } else {
      let start = 0;
      if (type === 61) {
        if (end < 4 || bulk[3] !== 58) throw new InvalidResponse('invalid RESP3 verbatim string');
        start = 4;
      }
      value = this.bulkAsBuffer ? bulk.subarray(start, end) : (bulk as FastBuffer).utf8Slice(start, end);
    }
    this.place(value);
    return n;
  }
}

function newMap(): RespMap {
  return {};
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
  const n = Number(text);
  if (Number.isNaN(n) || text.length === 0) throw new InvalidResponse('invalid RESP3 double');
  return n;
}
