import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type Result } from './command.js';
import { keyAndInt } from './build.js';
import { checkInteger, checkKey, command, key, keyRange, method, typeName, variadic } from './registry.js';

const R = Flag.READONLY;
const W = Flag.WRITE;

/** Whether BITCOUNT / BITPOS ranges count bytes (the default) or bits. */
export type BitUnit = 'BYTE' | 'BIT';

/** A BITFIELD integer type: signed `i1`…`i64` or unsigned `u1`…`u63`. */
export type BitfieldEncoding = `${'i' | 'u'}${number}`;

/** A bit offset, or `#n` for the n-th field of the encoding's width. */
export type BitfieldOffset = number | `#${number}`;

/** One BITFIELD operation, in the order given. OVERFLOW applies to the INCRBY/SET after it. */
export type BitfieldOperation =
  | { op: 'GET'; encoding: BitfieldEncoding; offset: BitfieldOffset }
  | { op: 'SET'; encoding: BitfieldEncoding; offset: BitfieldOffset; value: number }
  | { op: 'INCRBY'; encoding: BitfieldEncoding; offset: BitfieldOffset; increment: number }
  | { op: 'OVERFLOW'; behavior: 'WRAP' | 'SAT' | 'FAIL' };

/**
 * BITOP's operations. DIFF, DIFF1, ANDOR and ONE are Redis 8.2+: DIFF keeps the bits of the first
 * source set in none of the others, DIFF1 the bits set in some other but not in the first, ANDOR
 * the bits of the first also set in at least one other, ONE the bits set in exactly one source.
 */
export type BitopOperation = 'AND' | 'OR' | 'XOR' | 'NOT' | 'DIFF' | 'DIFF1' | 'ANDOR' | 'ONE';

export interface BitmapCommands<C> {
  /** How many bits are set in the value, or in the range [start, end] (bytes unless `unit` is 'BIT'). */
  bitcount(key: RedisKey): Result<C, number>;
  bitcount(key: RedisKey, start: number, end: number, unit?: BitUnit): Result<C, number>;
  /**
   * Runs GET/SET/INCRBY/OVERFLOW on integer fields of the value; one reply per GET, SET (the old
   * value) and INCRBY (the new value), null where OVERFLOW FAIL refused an increment.
   */
  bitfield(key: RedisKey, operations: BitfieldOperation[]): Result<C, Array<number | null>>;
  /** BITFIELD with GETs only, so it may run on replicas. */
  bitfieldRo(key: RedisKey, fields: Array<{ encoding: BitfieldEncoding; offset: BitfieldOffset }>): Result<C, number[]>;
  /** Combines the source keys bitwise into `destkey`; resolves the length of the result in bytes. */
  bitop(operation: BitopOperation, destkey: RedisKey, ...keys: RedisKey[]): Result<C, number>;
  bitop(operation: BitopOperation, destkey: RedisKey, keys: ReadonlyArray<RedisKey>): Result<C, number>;
  /** The position of the first bit set to `bit`, or -1. */
  bitpos(key: RedisKey, bit: 0 | 1, start?: number): Result<C, number>;
  bitpos(key: RedisKey, bit: 0 | 1, start: number, end: number, unit?: BitUnit): Result<C, number>;
  /** The bit at `offset` (0 beyond the end or without the key). */
  getbit(key: RedisKey, offset: number): Result<C, 0 | 1>;
  /** Sets the bit at `offset`; resolves the bit it had. */
  setbit(key: RedisKey, offset: number, value: 0 | 1): Result<C, 0 | 1>;
}

const BITCOUNT = command('bitcount', R | Flag.CACHEABLE, key(1));
const BITFIELD = command('bitfield', W, key(1));
const BITFIELD_RO = command('bitfield_ro', R, key(1));
const BITOP = command('bitop', W, keyRange(2, -1));
const BITPOS = command('bitpos', R | Flag.CACHEABLE, key(1));
const GETBIT = command('getbit', R | Flag.CACHEABLE, key(1));
const SETBIT = command('setbit', W, key(1));

const BITOPS = new Set<string>(['AND', 'OR', 'XOR', 'NOT', 'DIFF', 'DIFF1', 'ANDOR', 'ONE']);

function checkBit(cmd: string, name: string, v: unknown): void {
  if (v !== 0 && v !== 1) throw new DataError(`${cmd}: ${name} must be 0 or 1, got ${typeName(v)}`);
}

/** Pushes [start [end [BYTE|BIT]]]: end needs start, the unit needs both. */
function pushRange(cmd: string, argv: RedisArg[], start?: number, end?: number, unit?: BitUnit): RedisArg[] {
  if (start === undefined) {
    if (end !== undefined || unit !== undefined) throw new DataError(`${cmd}: end and unit need start`);
    return argv;
  }
  checkInteger(cmd, 'start', start);
  argv.push(start);
  if (end === undefined) {
    if (unit !== undefined) throw new DataError(`${cmd}: unit needs end`);
    return argv;
  }
  checkInteger(cmd, 'end', end);
  argv.push(end);
  if (unit !== undefined) {
    if (unit !== 'BYTE' && unit !== 'BIT') throw new DataError(`${cmd}: unit must be 'BYTE' or 'BIT'`);
    argv.push(unit);
  }
  return argv;
}

function checkEncoding(cmd: string, v: unknown): void {
  if (typeof v !== 'string' || !/^[iu]\d{1,2}$/.test(v)) {
    throw new DataError(`${cmd}: encoding must be like 'u8' or 'i16', got ${typeof v === 'string' ? JSON.stringify(v) : typeName(v)}`);
  }
}

function checkOffset(cmd: string, v: unknown): void {
  if (typeof v === 'number' ? Number.isInteger(v) : typeof v === 'string' && /^#\d+$/.test(v)) return;
  throw new DataError(`${cmd}: offset must be an integer or '#n', got ${typeName(v)}`);
}

function pushField(cmd: string, argv: RedisArg[], op: string, f: { encoding: unknown; offset: unknown }): void {
  checkEncoding(cmd, f.encoding);
  checkOffset(cmd, f.offset);
  argv.push(op, f.encoding as string, f.offset as RedisArg);
}

function buildBitfield(k: RedisKey, ops: BitfieldOperation[]): RedisArg[] {
  checkKey('BITFIELD', 'key', k);
  if (!Array.isArray(ops)) throw new DataError(`BITFIELD: operations must be an array, got ${typeName(ops)}`);
  const argv: RedisArg[] = ['BITFIELD', k];
  for (const o of ops) {
    if (o === null || typeof o !== 'object') throw new DataError(`BITFIELD: each operation must be an object, got ${typeName(o)}`);
    switch (o.op) {
      case 'GET':
        pushField('BITFIELD', argv, 'GET', o);
        break;
      case 'SET':
        pushField('BITFIELD', argv, 'SET', o);
        checkInteger('BITFIELD', 'value', o.value);
        argv.push(o.value);
        break;
      case 'INCRBY':
        pushField('BITFIELD', argv, 'INCRBY', o);
        checkInteger('BITFIELD', 'increment', o.increment);
        argv.push(o.increment);
        break;
      case 'OVERFLOW':
        if (o.behavior !== 'WRAP' && o.behavior !== 'SAT' && o.behavior !== 'FAIL') {
          throw new DataError("BITFIELD: OVERFLOW behavior must be 'WRAP', 'SAT' or 'FAIL'");
        }
        argv.push('OVERFLOW', o.behavior);
        break;
      default:
        throw new DataError(`BITFIELD: unknown operation ${JSON.stringify((o as { op: unknown }).op)}`);
    }
  }
  return argv;
}

export const bitmapMethods = {
  bitcount: method(BITCOUNT, (k: RedisKey, start?: number, end?: number, unit?: BitUnit) => {
    checkKey('BITCOUNT', 'key', k);
    if (start !== undefined && end === undefined) throw new DataError('BITCOUNT: start needs end');
    return pushRange('BITCOUNT', ['BITCOUNT', k], start, end, unit);
  }),
  bitfield: method(BITFIELD, buildBitfield),
  bitfieldRo: method(BITFIELD_RO, (k: RedisKey, fields: Array<{ encoding: BitfieldEncoding; offset: BitfieldOffset }>) => {
    checkKey('BITFIELD_RO', 'key', k);
    if (!Array.isArray(fields)) throw new DataError(`BITFIELD_RO: fields must be an array, got ${typeName(fields)}`);
    const argv: RedisArg[] = ['BITFIELD_RO', k];
    for (const f of fields) {
      if (f === null || typeof f !== 'object') throw new DataError(`BITFIELD_RO: each field must be an object, got ${typeName(f)}`);
      pushField('BITFIELD_RO', argv, 'GET', f);
    }
    return argv;
  }),
  bitop: variadic(BITOP, 2, (op: BitopOperation, dest: RedisKey, keys: RedisKey[]) => {
    if (typeof op !== 'string' || !BITOPS.has(op.toUpperCase())) {
      throw new DataError(`BITOP: operation must be one of ${[...BITOPS].join(', ')}`);
    }
    checkKey('BITOP', 'destkey', dest);
    if (keys.length === 0) throw new DataError('BITOP: at least one source key is required');
    const upper = op.toUpperCase();
    if (upper === 'NOT' && keys.length !== 1) throw new DataError('BITOP: NOT takes exactly one source key');
    if ((upper === 'DIFF' || upper === 'DIFF1' || upper === 'ANDOR') && keys.length < 2) {
      throw new DataError(`BITOP: ${upper} takes at least two source keys`);
    }
    for (const k of keys) checkKey('BITOP', 'key', k);
    return ['BITOP', op, dest, ...keys];
  }),
  bitpos: method(BITPOS, (k: RedisKey, bit: 0 | 1, start?: number, end?: number, unit?: BitUnit) => {
    checkKey('BITPOS', 'key', k);
    checkBit('BITPOS', 'bit', bit);
    return pushRange('BITPOS', ['BITPOS', k, bit], start, end, unit);
  }),
  getbit: method(GETBIT, keyAndInt('GETBIT', 'offset')),
  setbit: method(SETBIT, (k: RedisKey, offset: number, value: 0 | 1) => {
    checkKey('SETBIT', 'key', k);
    checkInteger('SETBIT', 'offset', offset);
    checkBit('SETBIT', 'value', value);
    return ['SETBIT', k, offset, value];
  }),
};
