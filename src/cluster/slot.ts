/**
 * Hash slots: CRC16 (XMODEM: polynomial 0x1021, initial 0) of the key, or of its `{hash tag}` when the
 * key has one with at least one byte between the first `{` and the `}` after it, modulo 16384.
 */

export const SLOTS = 16384;

const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let j = 0; j < 8; j++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

function crc16(buf: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ buf[i]!) & 0xff]!;
  return crc;
}

const OPEN = 0x7b; // '{'
const CLOSE = 0x7d; // '}'

function slotOfBytes(b: Uint8Array): number {
  const open = b.indexOf(OPEN);
  if (open !== -1) {
    const close = b.indexOf(CLOSE, open + 1);
    if (close > open + 1) return crc16(b, open + 1, close) & (SLOTS - 1);
  }
  return crc16(b, 0, b.length) & (SLOTS - 1);
}

/** Most keys are short ASCII strings: hashed straight from their char codes, without a Buffer. */
function slotOfAscii(s: string): number {
  let start = 0;
  let end = s.length;
  const open = s.indexOf('{');
  if (open !== -1) {
    const close = s.indexOf('}', open + 1);
    if (close > open + 1) {
      start = open + 1;
      end = close;
    }
  }
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ s.charCodeAt(i)) & 0xff]!;
  return crc & (SLOTS - 1);
}

/** The hash slot of a key (a string is hashed as its UTF-8 bytes, as the server sees it). */
export function keySlot(key: string | Buffer | number | bigint): number {
  if (typeof key === 'number' || typeof key === 'bigint') key = String(key);
  if (typeof key === 'string') {
    // eslint-disable-next-line no-control-regex
    if (!/[^\x00-\x7f]/.test(key)) return slotOfAscii(key);
    return slotOfBytes(Buffer.from(key, 'utf8'));
  }
  return slotOfBytes(key);
}
