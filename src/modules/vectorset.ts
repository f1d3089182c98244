import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type MethodDef, type RedisKey, type Result, type Str } from '../commands/command.js';
import { binaryReply, checkInteger, checkKey, command, key, method, typeName } from '../commands/registry.js';
import { checkOptions } from '../commands/build.js';
import { text, toNumber, toPairs } from '../commands/transforms.js';
import { bool, checkFinite, float32Blob, readRecord } from './common.js';

/**
 * Vector sets (VADD, VSIM…, built into Redis 8). A vector is a Float32Array (sent as an FP32 blob) or
 * an array of numbers (sent as VALUES); attributes are JSON objects, parsed and stringified here.
 */

const R = Flag.READONLY;
const W = Flag.WRITE;

/** A vector for VADD and VSIM: a Float32Array is sent as FP32 bytes, numbers as VALUES. */
export type VectorInput = Float32Array | ReadonlyArray<number>;

/** Optional tokens of VADD: dimension reduction, CAS, quantization, HNSW build settings and attributes. */
export interface VAddOptions {
  /** Project vectors down to this many dimensions (random projection), on the set's first VADD. */
  reduce?: number;
  /** Insert with check-and-set: the neighbour search runs in a thread. */
  cas?: boolean;
  /** How vectors are stored: 8-bit (default), unquantised floats, or binary. */
  quant?: 'Q8' | 'NOQUANT' | 'BIN';
  /** Build effort (exploration factor). */
  ef?: number;
  /** JSON attributes for the element (what VSIM … FILTER reads). */
  setattr?: Record<string, unknown>;
  /** Maximum links per node (default 16). */
  m?: number;
}

/** What VSIM compares with: a vector, or an element of the set. */
export type VSimQuery = VectorInput | { element: string | Buffer };

/** Optional tokens of VSIM: scores, count, distance limit, search effort, an attribute filter, exact search. */
export interface VSimOptions {
  /** Scores with the members (1 is identical, 0 opposite). */
  withscores?: boolean;
  count?: number;
  /** Only members within this distance (0…1; score >= 1 - epsilon). */
  epsilon?: number;
  /** Search effort. */
  ef?: number;
  /** A filter expression over attributes, e.g. `.year > 2000 and .genre == "drama"`. */
  filter?: string;
  /** How many candidates the filter may look at. */
  filterEf?: number;
  /** Linear scan: exact results, slow. */
  truth?: boolean;
  /** Search in the main thread. */
  nothread?: boolean;
}

/** A vector-set member with its similarity score, as VSIM … WITHSCORES returns it. */
export interface ScoredElement<S = string> {
  element: S;
  score: number;
}

/** The reply of VEMB … RAW: a member's vector as the server stores it, with its quantization, norm and range. */
export interface VEmbRaw {
  /** 'int8', 'f32' or 'bin'. */
  quantization: string;
  /** The stored vector as the server holds it. */
  data: Buffer;
  /** The L2 norm the vector was divided by. */
  norm: number;
  /** For int8: the quantisation range. */
  range?: number;
}

/** The reply of VINFO: a vector set's quantization, dimensions, size and HNSW settings. */
export interface VInfo {
  quantType: string;
  hnswM: number;
  vectorDim: number;
  projectionInputDim: number;
  size: number;
  maxLevel: number;
  attributesCount: number;
  vsetUid: number;
  hnswMaxNodeUid: number;
}

export interface VectorSetCommands<C> {
  /** Adds an element with its vector (or updates it); false when it was already there. */
  vadd(key: RedisKey, vector: VectorInput, element: string | Buffer, options?: VAddOptions): Result<C, boolean>;
  /** The elements most similar to the query, best first. */
  vsim(key: RedisKey, query: VSimQuery, options: VSimOptions & { withscores: true }): Result<C, Array<ScoredElement<Str<C>>>>;
  vsim(key: RedisKey, query: VSimQuery, options?: VSimOptions & { withscores?: false }): Result<C, Array<Str<C>>>;
  vrem(key: RedisKey, element: string | Buffer): Result<C, boolean>;
  vcard(key: RedisKey): Result<C, number>;
  vdim(key: RedisKey): Result<C, number>;
  /** The element's vector (as stored: quantisation shows); null when absent. */
  vemb(key: RedisKey, element: string | Buffer): Result<C, number[] | null>;
  vemb(key: RedisKey, element: string | Buffer, options: { raw: true }): Result<C, VEmbRaw | null>;
  /** null when the key does not exist. */
  vinfo(key: RedisKey): Result<C, VInfo | null>;
  /** The element's neighbours at each level of the graph, from the top. */
  vlinks(key: RedisKey, element: string | Buffer): Result<C, Array<Array<Str<C>>> | null>;
  vlinks(key: RedisKey, element: string | Buffer, options: { withscores: true }): Result<C, Array<Array<ScoredElement<Str<C>>>> | null>;
  /** The element's attributes, or null when it has none. */
  vgetattr<T = Record<string, unknown>>(key: RedisKey, element: string | Buffer): Result<C, T | null>;
  /** Replaces the element's attributes; null removes them. False when there is no such element. */
  vsetattr(key: RedisKey, element: string | Buffer, attributes: Record<string, unknown> | null): Result<C, boolean>;
  vismember(key: RedisKey, element: string | Buffer): Result<C, boolean>;
  /** A random element, or null for an empty set. */
  vrandmember(key: RedisKey): Result<C, Str<C> | null>;
  /** `count` random elements: distinct when positive, maybe repeated when negative. */
  vrandmember(key: RedisKey, count: number): Result<C, Array<Str<C>>>;
}

const VADD = command('vadd', W, key(1));
const VSIM = command('vsim', R, key(1));
const VREM = command('vrem', W, key(1));
const VCARD = command('vcard', R, key(1));
const VDIM = command('vdim', R, key(1));
const VEMB = command('vemb', R, key(1));
const VINFO = command('vinfo', R, key(1));
const VLINKS = command('vlinks', R, key(1));
const VGETATTR = command('vgetattr', R, key(1));
const VSETATTR = command('vsetattr', W, key(1));
const VISMEMBER = command('vismember', R, key(1));
const VRANDMEMBER = command('vrandmember', R, key(1));

function checkElement(cmd: string, e: unknown): asserts e is string | Buffer {
  if ((typeof e !== 'string' || e === '') && !Buffer.isBuffer(e)) throw new DataError(`${cmd}: element must be a non-empty string or Buffer, got ${typeName(e)}`);
}

/** Appends FP32 blob or VALUES for a vector. */
function pushVector(cmd: string, argv: RedisArg[], v: unknown): number {
  if (v instanceof Float32Array) {
    const blob = float32Blob(cmd, 'vector', v);
    argv.push('FP32', blob);
    return v.length;
  }
  if (!Array.isArray(v) || v.length === 0) throw new DataError(`${cmd}: vector must be a Float32Array or a non-empty array of numbers, got ${typeName(v)}`);
  argv.push('VALUES', v.length);
  for (const x of v) {
    checkFinite(cmd, 'vector component', x);
    argv.push(x);
  }
  return v.length;
}

function attrs(cmd: string, a: unknown): string {
  if (a === null || typeof a !== 'object' || Array.isArray(a)) throw new DataError(`${cmd}: attributes must be an object, got ${typeName(a)}`);
  try {
    return JSON.stringify(a);
  } catch (e) {
    throw new DataError(`${cmd}: attributes are not JSON-serialisable: ${(e as Error).message}`);
  }
}

function keyElement(cmd: string) {
  return (k: RedisKey, e: string | Buffer): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkElement(cmd, e);
    return [cmd, k, e];
  };
}

function oneKey(cmd: string) {
  return (k: RedisKey): RedisArg[] => {
    checkKey(cmd, 'key', k);
    return [cmd, k];
  };
}

function buildVsim(k: RedisKey, q: VSimQuery, o?: VSimOptions): RedisArg[] {
  const cmd = 'VSIM';
  checkKey(cmd, 'key', k);
  checkOptions(cmd, o);
  const argv: RedisArg[] = [cmd, k];
  if (q !== null && typeof q === 'object' && !Array.isArray(q) && !(q instanceof Float32Array)) {
    checkElement(cmd, (q as { element: unknown }).element);
    argv.push('ELE', (q as { element: string | Buffer }).element);
  } else {
    pushVector(cmd, argv, q);
  }
  if (o === undefined) return argv;
  if (o.withscores) argv.push('WITHSCORES');
  for (const [opt, token] of [['count', 'COUNT'], ['ef', 'EF'], ['filterEf', 'FILTER-EF']] as const) {
    const v = o[opt];
    if (v === undefined) continue;
    checkInteger(cmd, opt, v);
    argv.push(token, v);
  }
  if (o.epsilon !== undefined) {
    checkFinite(cmd, 'epsilon', o.epsilon);
    argv.push('EPSILON', o.epsilon);
  }
  if (o.filter !== undefined) {
    if (typeof o.filter !== 'string' || o.filter === '') throw new DataError(`${cmd}: filter must be a non-empty string`);
    argv.push('FILTER', o.filter);
  }
  if (o.truth) argv.push('TRUTH');
  if (o.nothread) argv.push('NOTHREAD');
  return argv;
}

/**
 * Scored elements: flat pairs under RESP2, a map under RESP3. A JS object lists integer-like keys
 * first whatever their order on the wire, so the list is sorted by score again (the server sends
 * best first).
 */
function scored(v: unknown): Array<ScoredElement<unknown>> {
  let out: Array<ScoredElement<unknown>>;
  if (Array.isArray(v)) out = toPairs(v, (element, score) => ({ element, score: toNumber(score) }));
  else out = Object.keys(v as object).map((element) => ({ element, score: toNumber((v as Record<string, unknown>)[element]) }));
  return out.sort((a, b) => b.score - a.score);
}

const hasWithScores = (argv: RedisArg[]): boolean => {
  // Past the query: ELE x, or VALUES n v…, or FP32 blob.
  const at = argv[2] === 'VALUES' ? 4 + Number(argv[3]) : 4;
  for (let i = at; i < argv.length; i++) {
    if (argv[i] === 'WITHSCORES') return true;
    if (argv[i] === 'FILTER') i++;
  }
  return false;
};

const VINFO_NAMES = {
  'quant-type': 'quantType',
  'hnsw-m': 'hnswM',
  'vector-dim': 'vectorDim',
  'projection-input-dim': 'projectionInputDim',
  size: 'size',
  'max-level': 'maxLevel',
  'attributes-count': 'attributesCount',
  'vset-uid': 'vsetUid',
  'hnsw-max-node-uid': 'hnswMaxNodeUid',
};

function vembRaw(v: unknown): VEmbRaw | null {
  if (v === null) return null;
  const a = v as unknown[];
  const out: VEmbRaw = { quantization: text(a[0]), data: Buffer.isBuffer(a[1]) ? a[1] : Buffer.from(String(a[1]), 'latin1'), norm: toNumber(a[2]) };
  if (a.length > 3) out.range = toNumber(a[3]);
  return out;
}

function vembDefs(): MethodDef {
  const build = (k: RedisKey, e: string | Buffer, o?: { raw?: boolean }): RedisArg[] => {
    const argv = keyElement('VEMB')(k, e);
    checkOptions('VEMB', o);
    if (o?.raw) argv.push('RAW');
    return argv;
  };
  const plain = method(VEMB, build, (v: unknown) => (v === null ? null : (v as unknown[]).map(toNumber)));
  const raw = binaryReply(method(VEMB, build, vembRaw));
  return { ...plain, variant: (argv) => (argv.length > 3 && argv[3] === 'RAW' ? raw : plain) };
}

function vlinksDefs(): MethodDef {
  const build = (k: RedisKey, e: string | Buffer, o?: { withscores?: boolean }): RedisArg[] => {
    const argv = keyElement('VLINKS')(k, e);
    checkOptions('VLINKS', o);
    if (o?.withscores) argv.push('WITHSCORES');
    return argv;
  };
  const plain = method(VLINKS, build);
  const withScores = method(VLINKS, build, (v: unknown) => (v === null ? null : (v as unknown[]).map(scored)));
  return { ...plain, variant: (argv) => (argv.length > 3 && argv[3] === 'WITHSCORES' ? withScores : plain) };
}

function vsimDefs(): MethodDef {
  const plain = method(VSIM, buildVsim);
  const withScores = method(VSIM, buildVsim, scored);
  return { ...plain, variant: (argv) => (hasWithScores(argv) ? withScores : plain) };
}

export const vectorSetMethods = {
  vadd: method(
    VADD,
    (k: RedisKey, vector: VectorInput, e: string | Buffer, o?: VAddOptions): RedisArg[] => {
      const cmd = 'VADD';
      checkKey(cmd, 'key', k);
      checkOptions(cmd, o);
      const argv: RedisArg[] = [cmd, k];
      if (o?.reduce !== undefined) {
        checkInteger(cmd, 'reduce', o.reduce);
        argv.push('REDUCE', o.reduce);
      }
      const dim = pushVector(cmd, argv, vector);
      if (o?.reduce !== undefined && (o.reduce < 1 || o.reduce >= dim)) throw new DataError(`${cmd}: reduce must be between 1 and the vector's ${dim} dimensions (exclusive)`);
      checkElement(cmd, e);
      argv.push(e);
      if (o === undefined) return argv;
      if (o.cas) argv.push('CAS');
      if (o.quant !== undefined) {
        if (!['Q8', 'NOQUANT', 'BIN'].includes(o.quant)) throw new DataError(`${cmd}: quant must be one of Q8, NOQUANT, BIN, got ${String(o.quant)}`);
        argv.push(o.quant);
      }
      if (o.ef !== undefined) {
        checkInteger(cmd, 'ef', o.ef);
        argv.push('EF', o.ef);
      }
      if (o.setattr !== undefined) argv.push('SETATTR', attrs(cmd, o.setattr));
      if (o.m !== undefined) {
        checkInteger(cmd, 'm', o.m);
        argv.push('M', o.m);
      }
      return argv;
    },
    bool,
  ),
  vsim: vsimDefs(),
  vrem: method(VREM, keyElement('VREM'), bool),
  vcard: method(VCARD, oneKey('VCARD')),
  vdim: method(VDIM, oneKey('VDIM')),
  vemb: vembDefs(),
  vinfo: method(VINFO, oneKey('VINFO'), (v: unknown) =>
    v === null ? null : readRecord(v, VINFO_NAMES, (n, x) => (n === 'quantType' ? text(x) : toNumber(x))),
  ),
  vlinks: vlinksDefs(),
  vgetattr: method(VGETATTR, keyElement('VGETATTR'), (v: unknown) => (v === null ? null : (JSON.parse(text(v)) as unknown))),
  vsetattr: method(
    VSETATTR,
    (k: RedisKey, e: string | Buffer, a: Record<string, unknown> | null): RedisArg[] => {
      const argv = keyElement('VSETATTR')(k, e);
      argv.push(a === null ? '' : attrs('VSETATTR', a));
      return argv;
    },
    bool,
  ),
  vismember: method(VISMEMBER, keyElement('VISMEMBER'), bool),
  vrandmember: method(VRANDMEMBER, (k: RedisKey, count?: number): RedisArg[] => {
    checkKey('VRANDMEMBER', 'key', k);
    if (count === undefined) return ['VRANDMEMBER', k];
    checkInteger('VRANDMEMBER', 'count', count);
    return ['VRANDMEMBER', k, count];
  }),
};
