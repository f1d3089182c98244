import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import type { CommandInfo, MethodDef } from '../commands/command.js';
import { method, typeName } from '../commands/registry.js';
import { text, toNumber } from '../commands/transforms.js';

/** Pieces the module command groups share: argument checks and reply readers the core groups lack. */

/** A finite number (scores, values, probabilities): NaN and ±Infinity are refused. */
export function checkFinite(cmd: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DataError(`${cmd}: ${name} must be a finite number, got ${typeName(value)}`);
  }
}

/** A number that RESP2 sends as text and RESP3 as a double; 'nan' and 'inf' read too. */
export function num(v: unknown): number {
  return toNumber(v);
}

export function nums(v: unknown): number[] {
  return (v as unknown[]).map(toNumber);
}

/** An integer reply that is 1 or 0 (or RESP3's true/false). */
export function bool(v: unknown): boolean {
  return v === 1 || v === true || v === '1' || v === 'OK';
}

export function bools(v: unknown): boolean[] {
  return (v as unknown[]).map(bool);
}

/**
 * A record reply whose field names the server writes in its own case ('Capacity', 'Number of
 * filters'): an object under RESP3, flat pairs under RESP2. `names` maps each server name to ours;
 * values go through `read`, unknown names are kept under their own name.
 */
export function readRecord(v: unknown, names: Record<string, string>, read: (name: string, value: unknown) => unknown = (_n, x) => x): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (k: string, val: unknown) => {
    const ours = names[k] ?? k;
    if (ours === '__proto__') return;
    out[ours] = read(ours, val);
  };
  if (Array.isArray(v)) {
    for (let i = 0; i + 1 < v.length; i += 2) put(text(v[i]), v[i + 1]);
  } else if (v !== null && typeof v === 'object') {
    for (const k of Object.keys(v)) put(k, (v as Record<string, unknown>)[k]);
  }
  return out;
}

/**
 * A method whose reply shape follows one argument in a way the reply cannot show (JSON paths: `$`
 * gives one result per match, a legacy path one value): two definitions, and the argv picks one.
 */
export function byArgv(
  info: CommandInfo,
  build: (...args: any[]) => RedisArg[],
  pick: (argv: RedisArg[]) => boolean,
  whenTrue: (v: unknown) => unknown,
  whenFalse: (v: unknown) => unknown,
): MethodDef {
  const a = method(info, build, whenTrue);
  const b = method(info, build, whenFalse);
  return { ...b, variant: (argv) => (pick(argv) ? a : b) };
}

/** Vectors as FP32 blobs: what FT.SEARCH's KNN parameters and VADD/VSIM's FP32 form take. */
export function float32Blob(cmd: string, name: string, vector: unknown, dim?: number): Buffer {
  let arr: Float32Array;
  if (vector instanceof Float32Array) arr = vector;
  else if (Array.isArray(vector) && vector.every((x) => typeof x === 'number' && Number.isFinite(x))) arr = Float32Array.from(vector as number[]);
  else throw new DataError(`${cmd}: ${name} must be a Float32Array or an array of finite numbers, got ${typeName(vector)}`);
  if (arr.length === 0) throw new DataError(`${cmd}: ${name} must not be empty`);
  if (dim !== undefined && arr.length !== dim) throw new DataError(`${cmd}: ${name} has ${arr.length} dimensions, expected ${dim}`);
  for (const x of arr) if (!Number.isFinite(x)) throw new DataError(`${cmd}: ${name} holds a value that is not finite`);
  // A copy, little-endian as the server reads it (every platform Node runs on is little-endian).
  return Buffer.from(arr.buffer.slice(arr.byteOffset, arr.byteOffset + arr.byteLength));
}
