import { InvalidResponse } from '../errors.js';
import { RAW_PAIRS, type RespValue } from '../protocol/parser.js';

/**
 * Reply transforms: each turns the RESP2 form and the RESP3 form of a reply into the same JavaScript
 * value, so callers never see which protocol is in use.
 */

/** A string or Buffer reply as a string (UTF-8); anything else through String() (`text` below makes a missing one ''). */
export function toText(v: unknown): string {
  return typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
}

/** A number sent as a bulk string under RESP2 and as a double under RESP3. */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  const s = toText(v);
  switch (s) {
    case 'inf':
    case '+inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    case 'nan':
      return NaN;
  }
  const n = Number(s);
  if (Number.isNaN(n)) throw new InvalidResponse(`expected a number in the reply, got ${JSON.stringify(s.slice(0, 40))}`);
  return n;
}

export function toNumberOrNull(v: unknown): number | null {
  return v === null ? null : toNumber(v);
}

/** An integer reply that means yes or no. */
export function toBoolean(v: unknown): boolean {
  return v === 1 || v === true || v === '1' || v === 'OK';
}

export function toBooleans(v: unknown): boolean[] {
  return (v as unknown[]).map(toBoolean);
}

/** A map: an object under RESP3, a flat [k, v, k, v…] array under RESP2. */
export function toObject<V = RespValue>(v: unknown): Record<string, V> {
  if (v === null) return {};
  if (!Array.isArray(v)) return v as Record<string, V>;
  const out: Record<string, V> = {};
  for (let i = 0; i < v.length; i += 2) setOwn(out, toText(v[i]), v[i + 1] as V);
  return out;
}

/**
 * A map read in a Buffer view, keys kept as bytes: from RESP2's flat array, or from the pairs the
 * parser keeps beside a RESP3 map.
 */
export function toBufferMap(v: unknown): Map<Buffer, Buffer> {
  const out = new Map<Buffer, Buffer>();
  if (v === null) return out;
  const flat = Array.isArray(v) ? v : ((v as Record<symbol, unknown>)[RAW_PAIRS] as unknown[] | undefined);
  if (flat === undefined) throw new InvalidResponse('expected the raw pairs of a map read as Buffers');
  for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i] as Buffer, flat[i + 1] as Buffer);
  return out;
}

/**
 * Pairs as they come: flat [a, b, a, b…] under RESP2 (and in SCAN replies), nested [[a, b]…] under
 * RESP3; each made into a `T` by `make`.
 */
export function toPairs<T>(v: unknown, make: (a: unknown, b: unknown) => T): T[] {
  const list = v as unknown[];
  const out: T[] = [];
  if (list.length > 0 && Array.isArray(list[0])) {
    for (const pair of list as unknown[][]) out.push(make(pair[0], pair[1]));
  } else {
    for (let i = 0; i + 1 < list.length; i += 2) out.push(make(list[i], list[i + 1]));
  }
  return out;
}

/** Like toObject, with a transform applied to each value. */
export function toObjectOf<V>(fn: (v: unknown) => V): (v: unknown) => Record<string, V> {
  return (v) => {
    const src = toObject<unknown>(v);
    const out: Record<string, V> = {};
    for (const k of Object.keys(src)) setOwn(out, k, fn(src[k]));
    return out;
  };
}

export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** An array of string or Buffer replies as strings. */
export function toTexts(v: unknown): string[] {
  return (v as unknown[]).map(toText);
}

export function toStringOrNull(v: unknown): string | null {
  return v === null ? null : toText(v);
}

/** A SCAN-family cursor as a string, whatever the view (it is ASCII digits). */
export function cursorText(v: unknown): string {
  return Buffer.isBuffer(v) ? v.toString('latin1') : String(v);
}

/** One step of SSCAN or ZSCAN … NOSCORES: `[cursor, members]`. */
export function toScanMembers(v: unknown): { cursor: string; members: unknown[] } {
  const [cursor, members] = v as [unknown, unknown[]];
  return { cursor: cursorText(cursor), members };
}

/** Parses INFO's text: `{ server: { redis_version: '7.0.15', … }, clients: {…} }`, numbers as numbers. */
export function parseInfo(v: unknown): Record<string, Record<string, string | number>> {
  const out: Record<string, Record<string, string | number>> = {};
  let section: Record<string, string | number> = {};
  setOwn(out, 'default', section);
  for (const raw of toText(v).split('\n')) {
    const line = raw.trimEnd();
    if (line === '') continue;
    if (line.startsWith('# ')) {
      section = {};
      setOwn(out, line.slice(2).trim().toLowerCase(), section);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const value = line.slice(colon + 1);
    const n = Number(value);
    setOwn(section, line.slice(0, colon), value !== '' && Number.isFinite(n) && /^-?\d+(\.\d+)?$/.test(value) ? n : value);
  }
  if (Object.keys(out['default']!).length === 0) delete out['default'];
  return out;
}

/** One `key=value key=value` line (CLIENT LIST, CLIENT INFO) as a record; numeric fields as numbers. */
export function parseClientLine(line: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const part of line.trim().split(' ')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const value = part.slice(eq + 1);
    setOwn(out, part.slice(0, eq), /^-?\d+$/.test(value) ? Number(value) : value);
  }
  return out;
}

export function parseClientList(v: unknown): Array<Record<string, string | number>> {
  return toText(v)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(parseClientLine);
}

// ---- text of the replies that describe the server (INFO-like records, HELP lines, CONFIG maps) -------

/**
 * A bulk or simple string as text, whether the view asked for Buffers or not. Unlike toText, a missing
 * value (null, or a field a record lacks) is ''.
 */
export function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return v === null || v === undefined ? '' : String(v);
}

export function textOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : text(v);
}

/** An array of strings (server names, categories, HELP lines): text whatever the view; not an array, []. */
export function textArray(v: unknown): string[] {
  return Array.isArray(v) ? v.map(text) : [];
}

/** The lines of a `… HELP` reply. */
export const helpLines = textArray;

/** A map of the server's own strings (CONFIG GET, SENTINEL CONFIG GET): text values either way. */
export function textObject(v: unknown): Record<string, string> {
  const src = toObject<unknown>(v);
  const out: Record<string, string> = {};
  for (const k of Object.keys(src)) setOwn(out, k, text(src[k]));
  return out;
}

/** Leaves of a nested reply as text (Buffers in a buffers view), numbers and structure kept. */
export function deepText(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (Array.isArray(v)) return v.map(deepText);
  if (v !== null && typeof v === 'object' && !(v instanceof Error)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) setOwn(out, k, deepText((v as Record<string, unknown>)[k]));
    return out;
  }
  return v;
}

/** A number where the text is one (RESP2 sends doubles as bulk strings), else the text. */
export function numberIfNumeric(v: unknown): string | number {
  if (typeof v === 'number') return v;
  const s = text(v);
  return s !== '' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(s) ? Number(s) : s;
}
