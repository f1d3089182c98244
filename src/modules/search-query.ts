import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { typeName } from '../commands/registry.js';
import { checkFinite, float32Blob } from './common.js';

/**
 * RediSearch's builders: schema fields and the index definition (FT.CREATE), the query builder
 * (FT.SEARCH, FT.EXPLAIN, FT.PROFILE), the aggregation builder with its reducers (FT.AGGREGATE), and
 * helpers that write query syntax with the escaping it needs. Each builder produces argv and checks
 * its input as it goes: a malformed call throws DataError before anything reaches the server.
 */

function fail(what: string, message: string): never {
  throw new DataError(`${what}: ${message}`);
}

function checkName(what: string, name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value === '') fail(what, `${name} must be a non-empty string, got ${typeof value === 'string' ? 'an empty string' : typeName(value)}`);
}

function checkInt(what: string, name: string, value: unknown, min = 0): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) fail(what, `${name} must be an integer >= ${min}, got ${typeName(value)}`);
}

// ---- escaping -------------------------------------------------------------------------------------

/** Escapes a value for a TAG clause (`@field:{…}`): every punctuation character and space. */
export function escapeTag(value: string): string {
  if (typeof value !== 'string') fail('escapeTag', `value must be a string, got ${typeName(value)}`);
  return value.replace(/[^\p{L}\p{N}_]/gu, (c) => `\\${c}`);
}

/** Escapes text so the query parser reads it as words, not syntax (`-`, `@`, `|`, quotes…). */
export function escapeText(value: string): string {
  if (typeof value !== 'string') fail('escapeText', `value must be a string, got ${typeName(value)}`);
  return value.replace(/[,.<>{}[\]"':;!@#$%^&*()\-+=~|/\\]/g, (c) => `\\${c}`);
}

// ---- query syntax helpers -----------------------------------------------------------------------

/** `@field:{a | b}`: a TAG field holding any of the values (escaped). */
export function tagClause(field: string, ...values: string[]): string {
  checkName('tagClause', 'field', field);
  if (values.length === 0) fail('tagClause', 'at least one value is required');
  return `@${field}:{${values.map(escapeTag).join(' | ')}}`;
}

/** Whether a numeric range query excludes its minimum or maximum. */
export interface RangeOptions {
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

function bound(v: number, exclusive: boolean | undefined): string {
  if (v === Infinity) return '+inf';
  if (v === -Infinity) return '-inf';
  return exclusive ? `(${v}` : String(v);
}

/** `@field:[min max]`: a NUMERIC field in a range (±Infinity for open ends). */
export function numericClause(field: string, min: number, max: number, o: RangeOptions = {}): string {
  checkName('numericClause', 'field', field);
  for (const [n, v] of [['min', min], ['max', max]] as const) {
    if (typeof v !== 'number' || Number.isNaN(v)) fail('numericClause', `${n} must be a number, got ${typeName(v)}`);
  }
  if (min > max) fail('numericClause', `min ${min} is above max ${max}`);
  return `@${field}:[${bound(min, o.minExclusive)} ${bound(max, o.maxExclusive)}]`;
}

/** `@field:(words)`: a TEXT field containing the words (escaped). */
export function textClause(field: string, words: string): string {
  checkName('textClause', 'field', field);
  if (typeof words !== 'string' || words.trim() === '') fail('textClause', 'words must be a non-empty string');
  return `@${field}:(${escapeText(words)})`;
}

// ---- schema fields --------------------------------------------------------------------------------

/** Settings every schema field takes: an alias for queries, SORTABLE (and UNF), NOINDEX, INDEXMISSING. */
export interface CommonFieldOptions {
  /** The attribute name the query uses (JSON paths need one). */
  as?: string;
  sortable?: boolean;
  /** With sortable: keep the value unnormalised (no lower-casing). */
  unf?: boolean;
  /** Only sortable, not searchable. */
  noindex?: boolean;
  /** Index documents where the field is missing, for `ismissing(@f)`. */
  indexmissing?: boolean;
}

/** One attribute of an index schema; `args()` is its part of FT.CREATE's SCHEMA. */
export abstract class Field {
  constructor(
    readonly name: string,
    readonly type: string,
    protected readonly common: CommonFieldOptions = {},
  ) {
    checkName(`${type} field`, 'name', name);
    if (common !== undefined && (common === null || typeof common !== 'object')) fail(`${type} field`, 'options must be an object');
    if (common.as !== undefined) checkName(`${type} field`, 'as', common.as);
    if (common.unf && !common.sortable) fail(`${type} field ${name}`, 'unf needs sortable');
  }

  protected abstract typeArgs(): RedisArg[];

  /** Its part of FT.CREATE's SCHEMA. */
  args(): RedisArg[] {
    const argv: RedisArg[] = [this.name];
    if (this.common.as !== undefined) argv.push('AS', this.common.as);
    argv.push(this.type, ...this.typeArgs());
    if (this.common.indexmissing) argv.push('INDEXMISSING');
    if (this.common.sortable) argv.push('SORTABLE');
    if (this.common.unf) argv.push('UNF');
    if (this.common.noindex) argv.push('NOINDEX');
    return argv;
  }
}

/** Settings of a TEXT field: weight, stemming, phonetic matching, suffix trie, empty values. */
export interface TextFieldOptions extends CommonFieldOptions {
  weight?: number;
  nostem?: boolean;
  phonetic?: 'dm:en' | 'dm:fr' | 'dm:pt' | 'dm:es';
  withsuffixtrie?: boolean;
  indexempty?: boolean;
}

/** A TEXT field of a search index: full-text searchable, with weight, stemming and phonetics. */
export class TextField extends Field {
  constructor(name: string, private readonly o: TextFieldOptions = {}) {
    super(name, 'TEXT', o);
    if (o.weight !== undefined) checkFinite('TEXT field', 'weight', o.weight);
  }
  protected typeArgs(): RedisArg[] {
    const a: RedisArg[] = [];
    if (this.o.nostem) a.push('NOSTEM');
    if (this.o.weight !== undefined) a.push('WEIGHT', this.o.weight);
    if (this.o.phonetic !== undefined) a.push('PHONETIC', this.o.phonetic);
    if (this.o.withsuffixtrie) a.push('WITHSUFFIXTRIE');
    if (this.o.indexempty) a.push('INDEXEMPTY');
    return a;
  }
}

/** Settings of a TAG field: separator, case sensitivity, suffix trie. */
export interface TagFieldOptions extends CommonFieldOptions {
  /** One character splitting a hash value into tags (default ','). */
  separator?: string;
  casesensitive?: boolean;
  withsuffixtrie?: boolean;
  indexempty?: boolean;
}

/** A TAG field of a search index: exact-match tags split by a separator. */
export class TagField extends Field {
  constructor(name: string, private readonly o: TagFieldOptions = {}) {
    super(name, 'TAG', o);
    if (o.separator !== undefined && (typeof o.separator !== 'string' || o.separator.length !== 1)) fail('TAG field', 'separator must be one character');
  }
  protected typeArgs(): RedisArg[] {
    const a: RedisArg[] = [];
    if (this.o.separator !== undefined) a.push('SEPARATOR', this.o.separator);
    if (this.o.casesensitive) a.push('CASESENSITIVE');
    if (this.o.withsuffixtrie) a.push('WITHSUFFIXTRIE');
    if (this.o.indexempty) a.push('INDEXEMPTY');
    return a;
  }
}

/** A NUMERIC field of a search index: range-filterable and sortable numbers. */
export class NumericField extends Field {
  constructor(name: string, o: CommonFieldOptions = {}) {
    super(name, 'NUMERIC', o);
  }
  protected typeArgs(): RedisArg[] {
    return [];
  }
}

/** Longitude,latitude points. */
export class GeoField extends Field {
  constructor(name: string, o: CommonFieldOptions = {}) {
    super(name, 'GEO', o);
  }
  protected typeArgs(): RedisArg[] {
    return [];
  }
}

/** Polygons and points in WKT, on a sphere (SPHERICAL, the default) or a plane (FLAT). */
export class GeoShapeField extends Field {
  constructor(name: string, private readonly system: 'SPHERICAL' | 'FLAT' = 'SPHERICAL', o: CommonFieldOptions = {}) {
    super(name, 'GEOSHAPE', o);
    if (system !== 'SPHERICAL' && system !== 'FLAT') fail('GEOSHAPE field', 'coordinate system must be SPHERICAL or FLAT');
  }
  protected typeArgs(): RedisArg[] {
    return [this.system];
  }
}

/** The element type of the vectors a VECTOR field stores. */
export type VectorType = 'FLOAT32' | 'FLOAT64' | 'BFLOAT16' | 'FLOAT16' | 'INT8' | 'UINT8';
/** How a VECTOR field measures distance: Euclidean, inner product or cosine. */
export type DistanceMetric = 'L2' | 'IP' | 'COSINE';

/** Settings of a VECTOR field: element type, dimensions, distance metric and index tuning. */
export interface VectorFieldOptions {
  type: VectorType;
  dim: number;
  distanceMetric: DistanceMetric;
  /** FLAT and HNSW: expected size. */
  initialCap?: number;
  /** FLAT */
  blockSize?: number;
  /** HNSW */
  m?: number;
  efConstruction?: number;
  efRuntime?: number;
  epsilon?: number;
}

/** A VECTOR field of a search index: FLAT or HNSW similarity search over embeddings. */
export class VectorField extends Field {
  constructor(name: string, readonly algorithm: 'FLAT' | 'HNSW', readonly o: VectorFieldOptions, common: Pick<CommonFieldOptions, 'as' | 'indexmissing'> = {}) {
    super(name, 'VECTOR', common);
    if (algorithm !== 'FLAT' && algorithm !== 'HNSW') fail('VECTOR field', 'algorithm must be FLAT or HNSW');
    if (o === null || typeof o !== 'object') fail('VECTOR field', 'options { type, dim, distanceMetric } are required');
    if (!['FLOAT32', 'FLOAT64', 'BFLOAT16', 'FLOAT16', 'INT8', 'UINT8'].includes(o.type)) fail('VECTOR field', `type must be FLOAT32, FLOAT64, BFLOAT16, FLOAT16, INT8 or UINT8, got ${String(o.type)}`);
    checkInt('VECTOR field', 'dim', o.dim, 1);
    if (!['L2', 'IP', 'COSINE'].includes(o.distanceMetric)) fail('VECTOR field', `distanceMetric must be L2, IP or COSINE, got ${String(o.distanceMetric)}`);
    if (algorithm === 'FLAT' && (o.m !== undefined || o.efConstruction !== undefined || o.efRuntime !== undefined || o.epsilon !== undefined)) {
      fail('VECTOR field', 'm, efConstruction, efRuntime and epsilon are HNSW options');
    }
    if (algorithm === 'HNSW' && o.blockSize !== undefined) fail('VECTOR field', 'blockSize is a FLAT option');
  }
  protected typeArgs(): RedisArg[] {
    const attrs: RedisArg[] = ['TYPE', this.o.type, 'DIM', this.o.dim, 'DISTANCE_METRIC', this.o.distanceMetric];
    const more: Array<[keyof VectorFieldOptions, string]> = [
      ['initialCap', 'INITIAL_CAP'],
      ['blockSize', 'BLOCK_SIZE'],
      ['m', 'M'],
      ['efConstruction', 'EF_CONSTRUCTION'],
      ['efRuntime', 'EF_RUNTIME'],
      ['epsilon', 'EPSILON'],
    ];
    for (const [opt, token] of more) {
      const v = this.o[opt];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) fail('VECTOR field', `${opt} must be a number`);
      attrs.push(token, v);
    }
    return [this.algorithm, attrs.length, ...attrs];
  }
}

/** Which documents an index covers: HASH or JSON, key prefixes, a filter, language and score fields. */
export interface IndexDefinitionOptions {
  /** HASH (default) or JSON documents. */
  on?: 'HASH' | 'JSON';
  /** Key prefixes to index (default: every key). */
  prefix?: string[];
  /** An expression a document must satisfy to be indexed. */
  filter?: string;
  language?: string;
  languageField?: string;
  /** Default document score (0…1). */
  score?: number;
  scoreField?: string;
  payloadField?: string;
}

/** Which keys an index covers and how it reads them: the part of FT.CREATE before SCHEMA. */
export class IndexDefinition {
  constructor(readonly o: IndexDefinitionOptions = {}) {
    if (o === null || typeof o !== 'object') fail('IndexDefinition', 'options must be an object');
    if (o.on !== undefined && o.on !== 'HASH' && o.on !== 'JSON') fail('IndexDefinition', `on must be HASH or JSON, got ${String(o.on)}`);
    if (o.prefix !== undefined && (!Array.isArray(o.prefix) || o.prefix.some((p) => typeof p !== 'string'))) fail('IndexDefinition', 'prefix must be an array of strings');
    if (o.score !== undefined) checkFinite('IndexDefinition', 'score', o.score);
  }

  args(): RedisArg[] {
    const o = this.o;
    const a: RedisArg[] = [];
    if (o.on !== undefined) a.push('ON', o.on);
    if (o.prefix !== undefined && o.prefix.length > 0) a.push('PREFIX', o.prefix.length, ...o.prefix);
    if (o.filter !== undefined) a.push('FILTER', o.filter);
    if (o.language !== undefined) a.push('LANGUAGE', o.language);
    if (o.languageField !== undefined) a.push('LANGUAGE_FIELD', o.languageField);
    if (o.score !== undefined) a.push('SCORE', o.score);
    if (o.scoreField !== undefined) a.push('SCORE_FIELD', o.scoreField);
    if (o.payloadField !== undefined) a.push('PAYLOAD_FIELD', o.payloadField);
    return a;
  }
}

// ---- the query builder ----------------------------------------------------------------------------

/** A PARAMS value: text, a number, or a vector (sent as an FP32 blob). */
export type ParamValue = string | number | Buffer | Float32Array;

/** FT.SEARCH's SUMMARIZE: which fields to cut into fragments, how many, how long, and the separator. */
export interface SummarizeOptions {
  fields?: string[];
  frags?: number;
  len?: number;
  separator?: string;
}

/** FT.SEARCH's HIGHLIGHT: which fields to mark matches in, and the opening and closing tags. */
export interface HighlightOptions {
  fields?: string[];
  tags?: [open: string, close: string];
}

/** A KNN query's settings: the vector parameter's name, the score's name, dimensions and EF_RUNTIME. */
export interface KnnOptions {
  /** The PARAMS name of the vector (default 'vec'). */
  param?: string;
  /** The name the distance is returned under (default `__<field>_score`). */
  as?: string;
  /** The vector field's dimension: a vector of another length is refused here. */
  dim?: number;
  /** HNSW search effort for this query. */
  efRuntime?: number;
}

/** A numeric FILTER of FT.SEARCH: a field and the range its value must fall in. */
export interface NumericFilter {
  field: string;
  min: number;
  max: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

/** A GEOFILTER of FT.SEARCH: a field and the circle its point must fall in. */
export interface GeoFilter {
  field: string;
  lon: number;
  lat: number;
  radius: number;
  unit: 'm' | 'km' | 'mi' | 'ft';
}

/**
 * FT.SEARCH's query and options, built step by step:
 *
 *   query('@title:hello').filter({ field: 'n', min: 1, max: 7 }).returnFields('title').sortBy('n', 'DESC')
 *     .limit(0, 10).params({ x: 1 }).dialect(2)
 *
 * Each method returns the query. DIALECT is its own argument, never a PARAMS entry.
 */
export class Query {
  private text: string;
  private knnClause: string | undefined;
  private readonly flags = new Set<string>();
  private returnList: RedisArg[] | undefined;
  private sort: [string, 'ASC' | 'DESC'] | undefined;
  private limitPair: [number, number] | undefined;
  private paramMap = new Map<string, RedisArg>();
  private dialectN: number | undefined;
  private readonly filters: RedisArg[][] = [];
  private inKeysList: string[] | undefined;
  private inFieldsList: string[] | undefined;
  private slopN: number | undefined;
  private timeoutMs: number | undefined;
  private languageName: string | undefined;
  private scorerName: string | undefined;
  private expanderName: string | undefined;
  private payloadValue: string | undefined;
  private summarizeArgs: RedisArg[] | undefined;
  private highlightArgs: RedisArg[] | undefined;

  constructor(text: string) {
    if (typeof text !== 'string' || text.trim() === '') fail('Query', 'the query text must be a non-empty string (use "*" for every document)');
    this.text = text;
  }

  /** The query text as the server gets it (with a KNN clause when one was added). */
  get queryString(): string {
    return this.knnClause === undefined ? this.text : `(${this.text})=>[${this.knnClause}]`;
  }

  /** Only these fields of each document (`returnField` also renames one). */
  returnFields(...fields: string[]): this {
    if (fields.length === 0) fail('Query.returnFields', 'at least one field is required');
    for (const f of fields) this.returnField(f);
    return this;
  }

  returnField(field: string, as?: string): this {
    checkName('Query.returnField', 'field', field);
    this.returnList ??= [];
    this.returnList.push(field);
    if (as !== undefined) {
      checkName('Query.returnField', 'as', as);
      this.returnList.push('AS', as);
    }
    return this;
  }

  /** Ids only. */
  noContent(): this {
    return this.flag('NOCONTENT');
  }
  /** No stemming of the query's words. */
  verbatim(): this {
    return this.flag('VERBATIM');
  }
  noStopwords(): this {
    return this.flag('NOSTOPWORDS');
  }
  withScores(): this {
    return this.flag('WITHSCORES');
  }
  withPayloads(): this {
    return this.flag('WITHPAYLOADS');
  }
  withSortKeys(): this {
    return this.flag('WITHSORTKEYS');
  }
  /** Terms must appear in the query's order (with slop). */
  inOrder(): this {
    return this.flag('INORDER');
  }
  /** With withScores: each score comes with how it was computed. */
  explainScore(): this {
    return this.flag('EXPLAINSCORE');
  }

  private flag(f: string): this {
    this.flags.add(f);
    return this;
  }

  /** A numeric range or geo radius on a field (the FILTER and GEOFILTER options). */
  filter(f: NumericFilter | GeoFilter): this {
    if (f === null || typeof f !== 'object') fail('Query.filter', 'a filter must be { field, min, max } or { field, lon, lat, radius, unit }');
    checkName('Query.filter', 'field', f.field);
    if ('radius' in f) {
      for (const n of ['lon', 'lat', 'radius'] as const) checkFinite('Query.filter', n, f[n]);
      if (!['m', 'km', 'mi', 'ft'].includes(f.unit)) fail('Query.filter', `unit must be m, km, mi or ft, got ${String(f.unit)}`);
      this.filters.push(['GEOFILTER', f.field, f.lon, f.lat, f.radius, f.unit]);
    } else if ('min' in f && 'max' in f) {
      for (const n of ['min', 'max'] as const) {
        if (typeof f[n] !== 'number' || Number.isNaN(f[n])) fail('Query.filter', `${n} must be a number, got ${typeName(f[n])}`);
      }
      if (f.min > f.max) fail('Query.filter', `min ${f.min} is above max ${f.max}`);
      this.filters.push(['FILTER', f.field, bound(f.min, f.minExclusive), bound(f.max, f.maxExclusive)]);
    } else {
      fail('Query.filter', 'a filter must be { field, min, max } or { field, lon, lat, radius, unit }');
    }
    return this;
  }

  /** Only these document keys. */
  inKeys(keys: string[]): this {
    if (!Array.isArray(keys) || keys.length === 0) fail('Query.inKeys', 'keys must be a non-empty array');
    this.inKeysList = keys.slice();
    return this;
  }

  /** Match the text only in these fields. */
  inFields(fields: string[]): this {
    if (!Array.isArray(fields) || fields.length === 0) fail('Query.inFields', 'fields must be a non-empty array');
    this.inFieldsList = fields.slice();
    return this;
  }

  /** How many words may stand between the query's terms. */
  slop(n: number): this {
    checkInt('Query.slop', 'slop', n);
    this.slopN = n;
    return this;
  }

  timeout(ms: number): this {
    checkInt('Query.timeout', 'timeout', ms);
    this.timeoutMs = ms;
    return this;
  }

  language(name: string): this {
    checkName('Query.language', 'language', name);
    this.languageName = name;
    return this;
  }

  scorer(name: string): this {
    checkName('Query.scorer', 'scorer', name);
    this.scorerName = name;
    return this;
  }

  expander(name: string): this {
    checkName('Query.expander', 'expander', name);
    this.expanderName = name;
    return this;
  }

  /** A payload the scorer can read. */
  payload(value: string): this {
    if (typeof value !== 'string') fail('Query.payload', 'payload must be a string');
    this.payloadValue = value;
    return this;
  }

  sortBy(field: string, order: 'ASC' | 'DESC' = 'ASC'): this {
    checkName('Query.sortBy', 'field', field);
    if (order !== 'ASC' && order !== 'DESC') fail('Query.sortBy', `order must be ASC or DESC, got ${String(order)}`);
    this.sort = [field, order];
    return this;
  }

  /** Results `offset` … `offset + count - 1` (default 0, 10). `limit(0, 0)` counts only. */
  limit(offset: number, count: number): this {
    checkInt('Query.limit', 'offset', offset);
    checkInt('Query.limit', 'count', count);
    this.limitPair = [offset, count];
    return this;
  }

  /** Values for `$name` in the query; vectors as Float32Array. */
  params(values: Record<string, ParamValue>): this {
    if (values === null || typeof values !== 'object' || Array.isArray(values)) fail('Query.params', 'params must be an object of name -> value');
    for (const [name, v] of Object.entries(values)) this.paramMap.set(checkParamName(name), paramValue('Query.params', name, v));
    return this;
  }

  /** The query dialect (2 or more for vector queries and `$params`). */
  dialect(n: number): this {
    checkInt('Query.dialect', 'dialect', n, 1);
    this.dialectN = n;
    return this;
  }

  summarize(o: SummarizeOptions = {}): this {
    const a: RedisArg[] = ['SUMMARIZE'];
    if (o.fields !== undefined) a.push('FIELDS', o.fields.length, ...o.fields);
    if (o.frags !== undefined) {
      checkInt('Query.summarize', 'frags', o.frags, 1);
      a.push('FRAGS', o.frags);
    }
    if (o.len !== undefined) {
      checkInt('Query.summarize', 'len', o.len, 1);
      a.push('LEN', o.len);
    }
    if (o.separator !== undefined) a.push('SEPARATOR', o.separator);
    this.summarizeArgs = a;
    return this;
  }

  highlight(o: HighlightOptions = {}): this {
    const a: RedisArg[] = ['HIGHLIGHT'];
    if (o.fields !== undefined) a.push('FIELDS', o.fields.length, ...o.fields);
    if (o.tags !== undefined) {
      if (!Array.isArray(o.tags) || o.tags.length !== 2) fail('Query.highlight', 'tags must be [open, close]');
      a.push('TAGS', o.tags[0], o.tags[1]);
    }
    this.highlightArgs = a;
    return this;
  }

  /**
   * The `k` nearest neighbours of `vector` in a VECTOR field, among the documents the query text
   * matches: adds `=>[KNN k @field $param AS as]` and the vector as a parameter; sets DIALECT 2
   * unless a dialect was chosen.
   */
  knn(k: number, field: string, vector: Float32Array | number[], o: KnnOptions = {}): this {
    checkInt('Query.knn', 'k', k, 1);
    checkName('Query.knn', 'field', field);
    if (this.knnClause !== undefined) fail('Query.knn', 'a query has at most one KNN clause');
    const param = o.param ?? 'vec';
    checkParamName(param);
    this.paramMap.set(param, float32Blob('Query.knn', 'vector', vector, o.dim));
    let clause = `KNN ${k} @${field} $${param}`;
    if (o.efRuntime !== undefined) {
      checkInt('Query.knn', 'efRuntime', o.efRuntime, 1);
      clause += ` EF_RUNTIME ${o.efRuntime}`;
    }
    if (o.as !== undefined) {
      checkName('Query.knn', 'as', o.as);
      clause += ` AS ${o.as}`;
    }
    this.knnClause = clause;
    return this;
  }

  /**
   * Documents whose vector lies within `radius` of `vector` (a range query); the distance comes back
   * as `as` when given.
   */
  vectorRange(field: string, radius: number, vector: Float32Array | number[], o: Omit<KnnOptions, 'efRuntime'> = {}): this {
    checkName('Query.vectorRange', 'field', field);
    checkFinite('Query.vectorRange', 'radius', radius);
    const param = o.param ?? 'vec';
    checkParamName(param);
    this.paramMap.set(param, float32Blob('Query.vectorRange', 'vector', vector, o.dim));
    let clause = `@${field}:[VECTOR_RANGE ${radius} $${param}]`;
    if (o.as !== undefined) {
      checkName('Query.vectorRange', 'as', o.as);
      clause += `=>{$YIELD_DISTANCE_AS: ${o.as}}`;
    }
    this.text = this.text.trim() === '*' ? clause : `(${this.text}) ${clause}`;
    return this;
  }

  /** The argv after FT.SEARCH index. */
  args(): RedisArg[] {
    const a: RedisArg[] = [this.queryString];
    for (const f of ['NOCONTENT', 'VERBATIM', 'NOSTOPWORDS', 'WITHSCORES', 'WITHPAYLOADS', 'WITHSORTKEYS']) if (this.flags.has(f)) a.push(f);
    for (const f of this.filters) a.push(...f);
    if (this.inKeysList !== undefined) a.push('INKEYS', this.inKeysList.length, ...this.inKeysList);
    if (this.inFieldsList !== undefined) a.push('INFIELDS', this.inFieldsList.length, ...this.inFieldsList);
    if (this.returnList !== undefined) a.push('RETURN', this.returnList.length, ...this.returnList);
    if (this.summarizeArgs !== undefined) a.push(...this.summarizeArgs);
    if (this.highlightArgs !== undefined) a.push(...this.highlightArgs);
    if (this.slopN !== undefined) a.push('SLOP', this.slopN);
    if (this.timeoutMs !== undefined) a.push('TIMEOUT', this.timeoutMs);
    if (this.flags.has('INORDER')) a.push('INORDER');
    if (this.languageName !== undefined) a.push('LANGUAGE', this.languageName);
    if (this.expanderName !== undefined) a.push('EXPANDER', this.expanderName);
    if (this.scorerName !== undefined) a.push('SCORER', this.scorerName);
    if (this.flags.has('EXPLAINSCORE')) {
      if (!this.flags.has('WITHSCORES')) fail('Query.explainScore', 'explainScore needs withScores');
      a.push('EXPLAINSCORE');
    }
    if (this.payloadValue !== undefined) a.push('PAYLOAD', this.payloadValue);
    if (this.sort !== undefined) a.push('SORTBY', this.sort[0], this.sort[1]);
    if (this.limitPair !== undefined) a.push('LIMIT', this.limitPair[0], this.limitPair[1]);
    return this.pushTail(a);
  }

  /** The argv after FT.EXPLAIN index: the query with its parameters and dialect, nothing else. */
  explainArgs(): RedisArg[] {
    return this.pushTail([this.queryString]);
  }

  private pushTail(a: RedisArg[]): RedisArg[] {
    pushParams(a, this.paramMap);
    const dialect = this.dialectN ?? (this.knnClause !== undefined || this.paramMap.size > 0 ? 2 : undefined);
    if (dialect !== undefined) {
      if (dialect < 2 && this.paramMap.size > 0) fail('Query.dialect', 'parameters need dialect 2 or more');
      a.push('DIALECT', dialect);
    }
    return a;
  }
}

/** Starts a query: `query('@title:hello').limit(0, 5)`. */
export function query(text: string): Query {
  return new Query(text);
}

function checkParamName(name: string): string {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail('params', `a parameter name must be letters, digits and _, got ${JSON.stringify(name)}`);
  return name;
}

function paramValue(what: string, name: string, v: unknown): RedisArg {
  if (typeof v === 'string' || Buffer.isBuffer(v)) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v instanceof Float32Array) return float32Blob(what, name, v);
  return fail(what, `parameter ${name} must be a string, finite number, Buffer or Float32Array, got ${typeName(v)}`);
}

function pushParams(a: RedisArg[], params: Map<string, RedisArg>): void {
  if (params.size === 0) return;
  a.push('PARAMS', params.size * 2);
  for (const [k, v] of params) a.push(k, v);
}

// ---- the aggregation builder ----------------------------------------------------------------------

/** One REDUCE of a GROUPBY; `as()` names its output. */
export class Reducer {
  private alias: string | undefined;
  constructor(
    readonly fn: string,
    readonly fnArgs: RedisArg[],
  ) {}

  as(name: string): this {
    checkName(`${this.fn} reducer`, 'as', name);
    this.alias = name;
    return this;
  }

  args(): RedisArg[] {
    const a: RedisArg[] = ['REDUCE', this.fn, this.fnArgs.length, ...this.fnArgs];
    if (this.alias !== undefined) a.push('AS', this.alias);
    return a;
  }
}

function prop(fn: string, p: unknown): string {
  if (typeof p !== 'string' || !p.startsWith('@') || p.length < 2) fail(`${fn} reducer`, `a property must be written @name, got ${typeof p === 'string' ? JSON.stringify(p) : typeName(p)}`);
  return p;
}

/** The reducers of GROUPBY … REDUCE. Properties are written `@name`. */
export const reducers = {
  count: (): Reducer => new Reducer('COUNT', []),
  countDistinct: (p: string): Reducer => new Reducer('COUNT_DISTINCT', [prop('COUNT_DISTINCT', p)]),
  countDistinctish: (p: string): Reducer => new Reducer('COUNT_DISTINCTISH', [prop('COUNT_DISTINCTISH', p)]),
  sum: (p: string): Reducer => new Reducer('SUM', [prop('SUM', p)]),
  min: (p: string): Reducer => new Reducer('MIN', [prop('MIN', p)]),
  max: (p: string): Reducer => new Reducer('MAX', [prop('MAX', p)]),
  avg: (p: string): Reducer => new Reducer('AVG', [prop('AVG', p)]),
  stddev: (p: string): Reducer => new Reducer('STDDEV', [prop('STDDEV', p)]),
  quantile: (p: string, q: number): Reducer => {
    checkFinite('QUANTILE reducer', 'quantile', q);
    if (q < 0 || q > 1) fail('QUANTILE reducer', `quantile must be between 0 and 1, got ${q}`);
    return new Reducer('QUANTILE', [prop('QUANTILE', p), q]);
  },
  toList: (p: string): Reducer => new Reducer('TOLIST', [prop('TOLIST', p)]),
  /** The value of `p` in the first document of the group (by `by`, when given). */
  firstValue: (p: string, by?: { property: string; order?: 'ASC' | 'DESC' }): Reducer => {
    const a: RedisArg[] = [prop('FIRST_VALUE', p)];
    if (by !== undefined) {
      a.push('BY', prop('FIRST_VALUE', by.property));
      if (by.order !== undefined) a.push(by.order);
    }
    return new Reducer('FIRST_VALUE', a);
  },
  randomSample: (p: string, size: number): Reducer => {
    checkInt('RANDOM_SAMPLE reducer', 'size', size, 1);
    return new Reducer('RANDOM_SAMPLE', [prop('RANDOM_SAMPLE', p), size]);
  },
};

/** One key of FT.AGGREGATE's SORTBY: a property and its order. */
export interface SortProperty {
  property: string;
  order?: 'ASC' | 'DESC';
}

/**
 * FT.AGGREGATE's pipeline, built step by step; steps run in the order they are added:
 *
 *   aggregate('*').load('@price').groupBy(['@brand'], reducers.sum('@price').as('total'))
 *     .sortBy([{ property: '@total', order: 'DESC' }]).limit(0, 5)
 */
// WithCursor tracks withCursor() in the type, so ftAggregate's result type shows the cursor.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export class AggregateRequest<WithCursor extends boolean = false> {
  private readonly steps: RedisArg[][] = [];
  private loadArgs: RedisArg[] | undefined;
  private flagsSet = new Set<string>();
  private cursorArgs: RedisArg[] | undefined;
  private paramMap = new Map<string, RedisArg>();
  private dialectN: number | undefined;
  private timeoutMs: number | undefined;
  private scorerName: string | undefined;

  constructor(readonly query: string = '*') {
    if (typeof query !== 'string' || query.trim() === '') fail('AggregateRequest', 'the query must be a non-empty string (use "*" for every document)');
  }

  /** Loads document fields (`@name`, or `{ property, as }`) for the steps that follow. */
  load(...fields: Array<string | { property: string; as: string }>): this {
    if (fields.length === 0) fail('AggregateRequest.load', 'at least one field is required (loadAll() loads every one)');
    const a: RedisArg[] = [];
    for (const f of fields) {
      if (typeof f === 'string') a.push(prop('LOAD', f));
      else {
        a.push(prop('LOAD', f?.property));
        checkName('AggregateRequest.load', 'as', f.as);
        a.push('AS', f.as);
      }
    }
    this.loadArgs = ['LOAD', a.length, ...a];
    return this;
  }

  loadAll(): this {
    this.loadArgs = ['LOAD', '*'];
    return this;
  }

  /** Groups by these properties (none: one group), reducing each group. */
  groupBy(properties: string[], ...reduce: Reducer[]): this {
    if (!Array.isArray(properties)) fail('AggregateRequest.groupBy', 'properties must be an array');
    const a: RedisArg[] = ['GROUPBY', properties.length, ...properties.map((p) => prop('GROUPBY', p))];
    for (const r of reduce) {
      if (!(r instanceof Reducer)) fail('AggregateRequest.groupBy', 'each reducer must come from reducers.*');
      a.push(...r.args());
    }
    this.steps.push(a);
    return this;
  }

  /** Adds a property computed by an expression (`'@price * @qty'`). */
  apply(expression: string, as: string): this {
    checkName('AggregateRequest.apply', 'expression', expression);
    checkName('AggregateRequest.apply', 'as', as);
    this.steps.push(['APPLY', expression, 'AS', as]);
    return this;
  }

  /** Keeps the rows for which the expression holds (`'@total > 10'`). */
  filter(expression: string): this {
    checkName('AggregateRequest.filter', 'expression', expression);
    this.steps.push(['FILTER', expression]);
    return this;
  }

  sortBy(properties: Array<string | SortProperty>, o: { max?: number } = {}): this {
    if (!Array.isArray(properties) || properties.length === 0) fail('AggregateRequest.sortBy', 'at least one property is required');
    const a: RedisArg[] = [];
    for (const p of properties) {
      if (typeof p === 'string') a.push(prop('SORTBY', p));
      else {
        a.push(prop('SORTBY', p?.property));
        if (p.order !== undefined) {
          if (p.order !== 'ASC' && p.order !== 'DESC') fail('AggregateRequest.sortBy', `order must be ASC or DESC, got ${String(p.order)}`);
          a.push(p.order);
        }
      }
    }
    const step: RedisArg[] = ['SORTBY', a.length, ...a];
    if (o.max !== undefined) {
      checkInt('AggregateRequest.sortBy', 'max', o.max, 1);
      step.push('MAX', o.max);
    }
    this.steps.push(step);
    return this;
  }

  limit(offset: number, count: number): this {
    checkInt('AggregateRequest.limit', 'offset', offset);
    checkInt('AggregateRequest.limit', 'count', count);
    this.steps.push(['LIMIT', offset, count]);
    return this;
  }

  /** Reads the rows in batches: FT.AGGREGATE returns the first and a cursor for ftCursorRead. */
  withCursor(o: { count?: number; maxIdle?: number } = {}): AggregateRequest<true> {
    const a: RedisArg[] = ['WITHCURSOR'];
    if (o.count !== undefined) {
      checkInt('AggregateRequest.withCursor', 'count', o.count, 1);
      a.push('COUNT', o.count);
    }
    if (o.maxIdle !== undefined) {
      checkInt('AggregateRequest.withCursor', 'maxIdle', o.maxIdle, 1);
      a.push('MAXIDLE', o.maxIdle);
    }
    this.cursorArgs = a;
    return this as AggregateRequest<true>;
  }

  verbatim(): this {
    this.flagsSet.add('VERBATIM');
    return this;
  }

  /** Adds each document's score as `@__score`. */
  addScores(): this {
    this.flagsSet.add('ADDSCORES');
    return this;
  }

  scorer(name: string): this {
    checkName('AggregateRequest.scorer', 'scorer', name);
    this.scorerName = name;
    return this;
  }

  timeout(ms: number): this {
    checkInt('AggregateRequest.timeout', 'timeout', ms);
    this.timeoutMs = ms;
    return this;
  }

  params(values: Record<string, ParamValue>): this {
    if (values === null || typeof values !== 'object' || Array.isArray(values)) fail('AggregateRequest.params', 'params must be an object of name -> value');
    for (const [name, v] of Object.entries(values)) this.paramMap.set(checkParamName(name), paramValue('AggregateRequest.params', name, v));
    return this;
  }

  dialect(n: number): this {
    checkInt('AggregateRequest.dialect', 'dialect', n, 1);
    this.dialectN = n;
    return this;
  }

  /** The argv after FT.AGGREGATE index. */
  args(): RedisArg[] {
    const a: RedisArg[] = [this.query];
    if (this.flagsSet.has('VERBATIM')) a.push('VERBATIM');
    if (this.timeoutMs !== undefined) a.push('TIMEOUT', this.timeoutMs);
    if (this.loadArgs !== undefined) a.push(...this.loadArgs);
    for (const s of this.steps) a.push(...s);
    if (this.cursorArgs !== undefined) a.push(...this.cursorArgs);
    if (this.flagsSet.has('ADDSCORES')) a.push('ADDSCORES');
    if (this.scorerName !== undefined) a.push('SCORER', this.scorerName);
    pushParams(a, this.paramMap);
    const dialect = this.dialectN ?? (this.paramMap.size > 0 ? 2 : undefined);
    if (dialect !== undefined) a.push('DIALECT', dialect);
    return a;
  }
}

/** Starts an aggregation: `aggregate('*').groupBy([...], reducers.count().as('n'))`. */
export function aggregate(query = '*'): AggregateRequest {
  return new AggregateRequest(query);
}
