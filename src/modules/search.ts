import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type MethodDef, type RedisKey, type Result, type Str } from '../commands/command.js';
import { checkInteger, checkKey, command, exclude, key, method, typeName, variadic } from '../commands/registry.js';
import { checkOptions } from '../commands/build.js';
import { text, textArray, toNumber } from '../commands/transforms.js';
import { checkFinite } from './common.js';
import { AggregateRequest, Field, IndexDefinition, Query, type IndexDefinitionOptions } from './search-query.js';

/**
 * RediSearch (FT.*). FT.SEARCH and FT.AGGREGATE replies are objects of one shape under both protocols:
 * RESP3 sends maps (`results`, `extra_attributes`…), RESP2 flat lists whose layout hangs on the options
 * (WITHSCORES, NOCONTENT…); the readers here turn both into `{ total, documents }` / `{ total, rows }`.
 * Queries and aggregations are strings or the builders of search-query.ts.
 */

const R = Flag.READONLY;
const W = Flag.WRITE;

/** Optional tokens of FT.CREATE: the index definition, what the index stores, stop words, temporary indexes. */
export interface FtCreateOptions extends IndexDefinitionOptions {
  /** The definition as an object of its own (its settings win over the ones given here). */
  definition?: IndexDefinition;
  maxtextfields?: boolean;
  /** Drop the index after this many seconds unused. */
  temporary?: number;
  nooffsets?: boolean;
  nohl?: boolean;
  nofields?: boolean;
  nofreqs?: boolean;
  /** Stop words ([] for none). */
  stopwords?: string[];
  /** Do not index the keys that exist already. */
  skipinitialscan?: boolean;
}

/** One document of a search result; field values are Buffers in a `withBuffers()` view (vectors stay intact). */
export interface SearchDocument<S = string> {
  id: string;
  /** The fields returned (all of them unless RETURN or NOCONTENT); JSON documents have `$`. */
  value: Record<string, S | null>;
  /** With WITHSCORES. */
  score?: number;
  /** With EXPLAINSCORE: how the score was computed. */
  explanation?: unknown;
  /** With WITHPAYLOADS. */
  payload?: string | null;
  /** With WITHSORTKEYS. */
  sortKey?: string | null;
}

/** The reply of FT.SEARCH: how many documents match, and the page of documents returned. */
export interface SearchResult<S = string> {
  /** How many documents match (more than `documents` when LIMIT cut them). */
  total: number;
  documents: Array<SearchDocument<S>>;
}

/** A row of FT.AGGREGATE: property -> value (TOLIST and the like give arrays). */
export type AggregateRow = Record<string, unknown>;

/** The reply of FT.AGGREGATE: the number of results and the rows. */
export interface AggregateResult {
  total: number;
  rows: AggregateRow[];
}

/** The reply of FT.AGGREGATE … WITHCURSOR and FT.CURSOR READ: rows plus the cursor to read on. */
export interface AggregateCursorResult extends AggregateResult {
  /** Pass to ftCursorRead; 0 when every row was read. */
  cursor: number;
}

/** Optional tokens of FT.SPELLCHECK: the edit distance and dictionaries to include or exclude. */
export interface SpellcheckOptions {
  /** Maximum Levenshtein distance (1…4). */
  distance?: number;
  /** Dictionaries to take suggestions from (INCLUDE) or to ignore terms of (EXCLUDE). */
  terms?: Array<{ mode: 'INCLUDE' | 'EXCLUDE'; dictionary: string }>;
  dialect?: number;
}

/** One misspelled term of FT.SPELLCHECK with its scored suggestions. */
export interface SpellcheckTerm {
  term: string;
  suggestions: Array<{ suggestion: string; score: number }>;
}

/** Optional tokens of FT.SUGADD: increment the score, and a payload. */
export interface SugAddOptions {
  /** Add to the existing score instead of replacing it. */
  incr?: boolean;
  payload?: string;
}

/** Optional tokens of FT.SUGGET: fuzzy matching, how many, and scores and payloads. */
export interface SugGetOptions {
  fuzzy?: boolean;
  max?: number;
  withscores?: boolean;
  withpayloads?: boolean;
}

/** One autocomplete suggestion of FT.SUGGET, with its score and payload when asked. */
export interface Suggestion {
  suggestion: string;
  score?: number;
  payload?: string | null;
}

/** The reply of FT.PROFILE: the query's results and the server's profile of how it ran. */
export interface ProfileResult<T> {
  results: T;
  /** The server's profile, as nested objects (times in ms). */
  profile: Record<string, unknown>;
}

/** FT.INFO: the server's names, numbers as numbers; `attributes` one object per field with its flags. */
export type FtInfo = Record<string, unknown> & {
  index_name: string;
  num_docs: number;
  attributes: Array<Record<string, unknown> & { identifier: string; attribute: string; type: string; flags: string[] }>;
};

export interface SearchCommands<C> {
  /** Creates an index over the keys `options` selects. */
  ftCreate(index: string, schema: Field[], options?: FtCreateOptions): Result<C, 'OK'>;
  /** Adds a field to an index's schema. */
  ftAlter(index: string, field: Field, options?: { skipinitialscan?: boolean }): Result<C, 'OK'>;
  /** Drops an index; with `dd` its documents too. */
  ftDropindex(index: string, options?: { dd?: boolean }): Result<C, 'OK'>;
  ftInfo(index: string): Result<C, FtInfo>;
  /** The names of every index (FT._LIST). */
  ftList(): Result<C, string[]>;
  /** Searches an index: a query string, or a Query with its options. */
  ftSearch(index: string, query: string | Query): Result<C, SearchResult<Str<C>>>;
  /** Runs an aggregation; with a cursor, reads the first batch and returns the cursor too. */
  ftAggregate(index: string, request: AggregateRequest<true>): Result<C, AggregateCursorResult>;
  ftAggregate(index: string, request: string | AggregateRequest<false>): Result<C, AggregateResult>;
  ftCursorRead(index: string, cursor: number, options?: { count?: number }): Result<C, AggregateCursorResult>;
  ftCursorDel(index: string, cursor: number): Result<C, 'OK'>;
  /** The query's execution plan as text. */
  ftExplain(index: string, query: string | Query, options?: { dialect?: number }): Result<C, string>;
  /** The same, one line per array entry. */
  ftExplaincli(index: string, query: string | Query, options?: { dialect?: number }): Result<C, string[]>;
  /** Runs a search or an aggregation and reports where the time went. */
  ftProfile(index: string, query: Query | string, options?: { limited?: boolean }): Result<C, ProfileResult<SearchResult>>;
  ftProfile(index: string, query: AggregateRequest<boolean>, options?: { limited?: boolean }): Result<C, ProfileResult<AggregateResult>>;
  ftSpellcheck(index: string, query: string, options?: SpellcheckOptions): Result<C, SpellcheckTerm[]>;
  ftDictadd(dictionary: string, ...terms: string[]): Result<C, number>;
  ftDictadd(dictionary: string, terms: ReadonlyArray<string>): Result<C, number>;
  ftDictdel(dictionary: string, ...terms: string[]): Result<C, number>;
  ftDictdel(dictionary: string, terms: ReadonlyArray<string>): Result<C, number>;
  ftDictdump(dictionary: string): Result<C, string[]>;
  /** Defines (or extends) a synonym group. */
  ftSynupdate(index: string, groupId: string, terms: string[], options?: { skipinitialscan?: boolean }): Result<C, 'OK'>;
  /** Each term and the synonym groups it belongs to. */
  ftSyndump(index: string): Result<C, Record<string, string[]>>;
  /** Adds a suggestion to an autocomplete dictionary; resolves the dictionary's size. */
  ftSugadd(key: RedisKey, suggestion: string, score: number, options?: SugAddOptions): Result<C, number>;
  ftSugget(key: RedisKey, prefix: string, options: SugGetOptions & ({ withscores: true } | { withpayloads: true })): Result<C, Suggestion[]>;
  ftSugget(key: RedisKey, prefix: string, options?: SugGetOptions): Result<C, string[]>;
  ftSugdel(key: RedisKey, suggestion: string): Result<C, boolean>;
  ftSuglen(key: RedisKey): Result<C, number>;
  ftAliasadd(alias: string, index: string): Result<C, 'OK'>;
  ftAliasupdate(alias: string, index: string): Result<C, 'OK'>;
  ftAliasdel(alias: string): Result<C, 'OK'>;
  /** The distinct values of a TAG field. */
  ftTagvals(index: string, field: string): Result<C, string[]>;
  /** Search settings by name (`*` for all). */
  ftConfigGet(option: string): Result<C, Record<string, string | null>>;
  ftConfigSet(option: string, value: string | number): Result<C, 'OK'>;
}

const FT_CREATE = command('ft.create', W);
const FT_ALTER = command('ft.alter', W);
const FT_DROPINDEX = command('ft.dropindex', W);
const FT_INFO = command('ft.info', R);
const FT_LIST = command('ft._list', R);
const FT_SEARCH = command('ft.search', R);
const FT_AGGREGATE = command('ft.aggregate', R);
const FT_CURSOR = command('ft.cursor', R);
const FT_EXPLAIN = command('ft.explain', R);
const FT_EXPLAINCLI = command('ft.explaincli', R);
const FT_PROFILE = command('ft.profile', R);
const FT_SPELLCHECK = command('ft.spellcheck', R);
const FT_DICTADD = command('ft.dictadd', W);
const FT_DICTDEL = command('ft.dictdel', W);
const FT_DICTDUMP = command('ft.dictdump', R);
const FT_SYNUPDATE = command('ft.synupdate', W);
const FT_SYNDUMP = command('ft.syndump', R);
const FT_SUGADD = command('ft.sugadd', W, key(1));
const FT_SUGGET = command('ft.sugget', R, key(1));
const FT_SUGDEL = command('ft.sugdel', W, key(1));
const FT_SUGLEN = command('ft.suglen', R, key(1));
const FT_ALIASADD = command('ft.aliasadd', W);
const FT_ALIASUPDATE = command('ft.aliasupdate', W);
const FT_ALIASDEL = command('ft.aliasdel', W);
const FT_TAGVALS = command('ft.tagvals', R);
const FT_CONFIG = command('ft.config', R);

for (const id of ['ft.add', 'ft.del', 'ft.get', 'ft.mget', 'ft.drop']) exclude(id, 'RediSearch 1.x document API, deprecated: documents are hashes or JSON keys');
exclude('ft.synadd', 'deprecated by RediSearch; ftSynupdate defines synonym groups');
for (const id of ['ft._aliasaddifnx', 'ft._aliasdelifx', 'ft._alterifnx', 'ft._createifnx', 'ft._dropifx', 'ft._dropindexifx']) {
  exclude(id, 'internal to RediSearch: sent by its cluster coordinator, not by clients');
}
exclude('_ft.config', 'internal to RediSearch (shard-level FT.CONFIG of the coordinator)');
exclude('_ft.safeadd', 'internal to RediSearch (shard-level document add)');
for (const id of ['search.clusterinfo', 'search.clusterrefresh', 'search.clusterset', 'timeseries.clusterset', 'timeseries.refreshcluster']) {
  exclude(id, 'internal to the modules: cluster topology set by the coordinator');
}
exclude('_ft.debug', 'RediSearch debugging internals');
// Its subcommands, as Redis 8.0 with RediSearch 8.0 lists them.
for (const sub of [
  '_ft.aggregate', '_ft.search', 'bg_scan_controller', 'clear_pending_topology', 'delete_local_cursors',
  'docidtoid', 'docinfo', 'dump_geomidx', 'dump_hnsw', 'dump_invidx', 'dump_numidx', 'dump_numidxtree',
  'dump_phonetic_hash', 'dump_prefix_trie', 'dump_suffix_trie', 'dump_tagidx', 'dump_terms', 'ft.aggregate',
  'ft.search', 'gc_clean_numeric', 'gc_continue_schedule', 'gc_forcebginvoke', 'gc_forceinvoke',
  'gc_stop_schedule', 'gc_wait_for_jobs', 'get_hide_user_data_from_logs', 'git_sha', 'help', 'idtodocid',
  'indexes', 'info', 'info_tagidx', 'invidx_summary', 'numidx_summary', 'pause_topology_updater',
  'resume_topology_updater', 'set_monitor_expiration', 'shard_connection_states', 'spec_invidxes_info',
  'ttl', 'ttl_expire', 'ttl_pause', 'vecsim_info', 'workers', 'yields_on_load_counter',
]) {
  exclude(`_ft.debug|${sub}`, 'RediSearch debugging internals');
}

// ---- argv ---------------------------------------------------------------------------------------

function checkIndex(cmd: string, index: unknown): asserts index is string {
  if (typeof index !== 'string' || index === '') throw new DataError(`${cmd}: index must be a non-empty string, got ${typeName(index)}`);
}

function queryArgs(cmd: string, q: unknown): RedisArg[] {
  if (q instanceof Query) return q.args();
  if (typeof q === 'string' && q.trim() !== '') return [q];
  throw new DataError(`${cmd}: query must be a non-empty string or a Query, got ${typeName(q)}`);
}

function aggregateArgs(cmd: string, r: unknown): RedisArg[] {
  if (r instanceof AggregateRequest) return r.args();
  if (typeof r === 'string' && r.trim() !== '') return [r];
  throw new DataError(`${cmd}: request must be a non-empty string or an AggregateRequest, got ${typeName(r)}`);
}

function buildCreate(index: string, schema: Field[], o?: FtCreateOptions): RedisArg[] {
  const cmd = 'FT.CREATE';
  checkIndex(cmd, index);
  checkOptions(cmd, o);
  if (!Array.isArray(schema) || schema.length === 0) throw new DataError(`${cmd}: schema must be a non-empty array of fields`);
  const argv: RedisArg[] = [cmd, index];
  const { definition, maxtextfields, temporary, nooffsets, nohl, nofields, nofreqs, stopwords, skipinitialscan, ...defOptions } = o ?? {};
  if (definition !== undefined && !(definition instanceof IndexDefinition)) throw new DataError(`${cmd}: definition must be an IndexDefinition`);
  const def = new IndexDefinition({ ...defOptions, ...(definition?.o ?? {}) });
  argv.push(...def.args());
  if (maxtextfields) argv.push('MAXTEXTFIELDS');
  if (temporary !== undefined) {
    checkInteger(cmd, 'temporary', temporary);
    argv.push('TEMPORARY', temporary);
  }
  if (nooffsets) argv.push('NOOFFSETS');
  if (nohl) argv.push('NOHL');
  if (nofields) argv.push('NOFIELDS');
  if (nofreqs) argv.push('NOFREQS');
  if (stopwords !== undefined) {
    if (!Array.isArray(stopwords)) throw new DataError(`${cmd}: stopwords must be an array`);
    argv.push('STOPWORDS', stopwords.length, ...stopwords);
  }
  if (skipinitialscan) argv.push('SKIPINITIALSCAN');
  argv.push('SCHEMA');
  for (const f of schema) {
    if (!(f instanceof Field)) throw new DataError(`${cmd}: each schema entry must be a field (TextField, TagField, NumericField, GeoField, GeoShapeField, VectorField)`);
    argv.push(...f.args());
  }
  return argv;
}

function indexAnd(cmd: string, name: string) {
  return (index: string, words: string[]): RedisArg[] => {
    checkIndex(cmd, index);
    if (words.length === 0) throw new DataError(`${cmd}: at least one ${name} is required`);
    for (const w of words) if (typeof w !== 'string' || w === '') throw new DataError(`${cmd}: each ${name} must be a non-empty string`);
    return [cmd, index, ...words];
  };
}

function indexOnly(cmd: string) {
  return (index: string): RedisArg[] => {
    checkIndex(cmd, index);
    return [cmd, index];
  };
}

function aliasIndex(cmd: string) {
  return (alias: string, index: string): RedisArg[] => {
    checkIndex(cmd, alias);
    checkIndex(cmd, index);
    return [cmd, alias, index];
  };
}

// ---- reading FT.SEARCH ----------------------------------------------------------------------------

interface SearchShape {
  nocontent: boolean;
  withscores: boolean;
  withpayloads: boolean;
  withsortkeys: boolean;
  explainscore: boolean;
}

/** FT.SEARCH's options and how many arguments follow each: the scan skips them, so a value named like a flag is never taken for one. */
const FIXED_ARITY: Record<string, number> = {
  FILTER: 3,
  GEOFILTER: 5,
  SLOP: 1,
  TIMEOUT: 1,
  LANGUAGE: 1,
  EXPANDER: 1,
  SCORER: 1,
  PAYLOAD: 1,
  SORTBY: 1,
  LIMIT: 2,
  DIALECT: 1,
};
const COUNTED = new Set(['INKEYS', 'INFIELDS', 'RETURN', 'PARAMS']);

/** Reads which reply-shaping flags an FT.SEARCH argv holds, starting after the query at `from`. */
export function searchShape(argv: ReadonlyArray<RedisArg>, from: number): SearchShape {
  const s: SearchShape = { nocontent: false, withscores: false, withpayloads: false, withsortkeys: false, explainscore: false };
  for (let i = from; i < argv.length; i++) {
    const w = typeof argv[i] === 'string' ? (argv[i] as string).toUpperCase() : '';
    switch (w) {
      case 'NOCONTENT':
        s.nocontent = true;
        break;
      case 'WITHSCORES':
        s.withscores = true;
        break;
      case 'WITHPAYLOADS':
        s.withpayloads = true;
        break;
      case 'WITHSORTKEYS':
        s.withsortkeys = true;
        break;
      case 'EXPLAINSCORE':
        s.explainscore = true;
        break;
      case 'SORTBY':
        i += argv[i + 2] === 'ASC' || argv[i + 2] === 'DESC' ? 2 : 1;
        break;
      case 'SUMMARIZE':
      case 'HIGHLIGHT':
        while (i + 1 < argv.length) {
          const n = typeof argv[i + 1] === 'string' ? (argv[i + 1] as string).toUpperCase() : '';
          if (n === 'FIELDS') i += 2 + Number(argv[i + 2]);
          else if (n === 'FRAGS' || n === 'LEN' || n === 'SEPARATOR') i += 2;
          else if (n === 'TAGS') i += 3;
          else break;
        }
        break;
      default:
        if (COUNTED.has(w)) i += 1 + Number(argv[i + 1]);
        else if (w in FIXED_ARITY) i += FIXED_ARITY[w]!;
    }
  }
  return s;
}

function fields(v: unknown): Record<string, string | Buffer | null> {
  const out: Record<string, string | Buffer | null> = {};
  const put = (k: string, x: unknown) => {
    if (k !== '__proto__') out[k] = x === null || x === undefined ? null : Buffer.isBuffer(x) ? x : text(x);
  };
  if (Array.isArray(v)) for (let i = 0; i + 1 < v.length; i += 2) put(text(v[i]), v[i + 1]);
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) put(k, (v as Record<string, unknown>)[k]);
  return out;
}

function setScore(doc: SearchDocument<unknown>, raw: unknown, explain: boolean): void {
  if (explain && Array.isArray(raw)) {
    doc.score = toNumber(raw[0]);
    doc.explanation = normalize(raw[1]);
  } else {
    doc.score = toNumber(raw);
  }
}

function readSearch(shape: SearchShape, v: unknown): SearchResult<string | Buffer> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const m = v as Record<string, unknown>;
    const documents = ((m.results ?? []) as Array<Record<string, unknown>>).map((r) => {
      const doc: SearchDocument<string | Buffer> = { id: text(r.id), value: fields(r.extra_attributes) };
      if (shape.withscores) setScore(doc, r.score, shape.explainscore);
      if (shape.withpayloads) doc.payload = r.payload === null || r.payload === undefined ? null : text(r.payload);
      if (shape.withsortkeys) doc.sortKey = r.sortkey === null || r.sortkey === undefined ? null : text(r.sortkey);
      return doc;
    });
    return { total: Number(m.total_results), documents };
  }
  const a = v as unknown[];
  const documents: Array<SearchDocument<string | Buffer>> = [];
  let i = 1;
  while (i < a.length) {
    const doc: SearchDocument<string | Buffer> = { id: text(a[i++]), value: {} };
    if (shape.withscores) setScore(doc, a[i++], shape.explainscore);
    if (shape.withpayloads) {
      const p = a[i++];
      doc.payload = p === null ? null : text(p);
    }
    if (shape.withsortkeys) {
      const sk = a[i++];
      doc.sortKey = sk === null ? null : text(sk);
    }
    if (!shape.nocontent) doc.value = fields(a[i++]);
    documents.push(doc);
  }
  return { total: Number(a[0]), documents };
}

const shapeDefs = new Map<string, MethodDef>();

/** FT.SEARCH's definition for a shape of reply (the RESP2 list's layout hangs on the flags). */
function searchDefs(info: typeof FT_SEARCH, build: (...args: any[]) => RedisArg[], from: number): MethodDef {
  const base = method(info, build);
  const forShape = (s: SearchShape): MethodDef => {
    const k = `${info.id}:${+s.nocontent}${+s.withscores}${+s.withpayloads}${+s.withsortkeys}${+s.explainscore}`;
    let def = shapeDefs.get(k);
    if (def === undefined) {
      def = method(info, build, (v: unknown) => readSearch(s, v));
      shapeDefs.set(k, def);
    }
    return def;
  };
  return { ...base, variant: (argv) => forShape(searchShape(argv, from)) };
}

// ---- reading FT.AGGREGATE and the rest --------------------------------------------------------------

function row(v: unknown): AggregateRow {
  const src = Array.isArray(v) ? v : (v as Record<string, unknown>).extra_attributes;
  const out: AggregateRow = {};
  const put = (k: string, x: unknown) => {
    if (k !== '__proto__') out[k] = leaf(x);
  };
  if (Array.isArray(src)) for (let i = 0; i + 1 < src.length; i += 2) put(text(src[i]), src[i + 1]);
  else if (src !== null && typeof src === 'object') for (const k of Object.keys(src)) put(k, (src as Record<string, unknown>)[k]);
  return out;
}

function leaf(x: unknown): unknown {
  if (Buffer.isBuffer(x)) return x.toString('utf8');
  if (Array.isArray(x)) return x.map(leaf);
  return x;
}

function readAggregatePage(v: unknown): AggregateResult {
  if (Array.isArray(v)) return { total: Number(v[0]), rows: v.slice(1).map(row) };
  const m = v as Record<string, unknown>;
  return { total: Number(m.total_results), rows: ((m.results ?? []) as unknown[]).map(row) };
}

/** With a cursor the reply is [page, cursor] under both protocols; without, the page alone. */
function readAggregate(v: unknown): AggregateResult | AggregateCursorResult {
  if (Array.isArray(v) && v.length === 2 && (Array.isArray(v[0]) || (v[0] !== null && typeof v[0] === 'object')) && typeof v[1] === 'number') {
    return { ...readAggregatePage(v[0]), cursor: v[1] };
  }
  return readAggregatePage(v);
}

const NUMERIC = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Profile and INFO records: RESP2 sends [name, value…] lists where RESP3 sends maps; numbers come as
 * text under RESP2. Lists of name/value pairs become objects, numeric text numbers.
 */
function normalize(v: unknown): unknown {
  if (Buffer.isBuffer(v)) v = v.toString('utf8');
  if (typeof v === 'string') return NUMERIC.test(v) ? Number(v) : v === 'nan' || v === '-nan' ? NaN : v;
  if (Array.isArray(v)) {
    if (v.length > 0 && v.length % 2 === 0 && v.every((x, i) => i % 2 === 1 || (typeof x === 'string' && !NUMERIC.test(x)))) {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < v.length; i += 2) if (v[i] !== '__proto__') out[v[i] as string] = normalize(v[i + 1]);
      return out;
    }
    return v.map(normalize);
  }
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) if (k !== '__proto__') out[k] = normalize((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

const ATTRIBUTE_FLAGS = new Set(['SORTABLE', 'UNF', 'NOSTEM', 'NOINDEX', 'CASESENSITIVE', 'WITHSUFFIXTRIE', 'INDEXEMPTY', 'INDEXMISSING']);

function attribute(v: unknown): Record<string, unknown> {
  if (!Array.isArray(v)) {
    const out = normalize(v) as Record<string, unknown>;
    out.flags = textArray((v as Record<string, unknown>).flags);
    return out;
  }
  const out: Record<string, unknown> = {};
  const flags: string[] = [];
  for (let i = 0; i < v.length; i++) {
    const k = text(v[i]);
    if (ATTRIBUTE_FLAGS.has(k)) flags.push(k);
    else if (k !== '__proto__') out[k] = normalize(v[++i]);
  }
  out.flags = flags;
  return out;
}

function readInfo(v: unknown): FtInfo {
  const src: Record<string, unknown> = {};
  if (Array.isArray(v)) for (let i = 0; i + 1 < v.length; i += 2) src[text(v[i])] = v[i + 1];
  else Object.assign(src, v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src)) {
    if (k === '__proto__') continue;
    const x = src[k];
    if (k === 'attributes') out[k] = (x as unknown[]).map(attribute);
    else if (k === 'index_definition') {
      const d = normalize(x) as Record<string, unknown>;
      // A single prefix is a one-element list; keep prefixes a list of strings whatever they look like.
      const raw = Array.isArray(x) ? x[x.findIndex((y) => text(y) === 'prefixes') + 1] : (x as Record<string, unknown>).prefixes;
      d.prefixes = textArray(raw);
      out[k] = d;
    } else if (k === 'index_options') out[k] = textArray(x);
    else if (k === 'field statistics') out[k] = (x as unknown[]).map(normalize);
    else out[k] = normalize(x);
  }
  return out as FtInfo;
}

function readProfile<T>(read: (v: unknown) => T) {
  return (v: unknown): ProfileResult<T> => {
    if (Array.isArray(v)) return { results: read(v[0]), profile: normalize(v[1]) as Record<string, unknown> };
    const m = v as Record<string, unknown>;
    return { results: read(m.Results), profile: normalize(m.Profile) as Record<string, unknown> };
  };
}

function readSpellcheck(v: unknown): SpellcheckTerm[] {
  if (Array.isArray(v)) {
    return (v as unknown[][]).map((t) => ({
      term: text(t[1]),
      suggestions: ((t[2] ?? []) as unknown[][]).map((s) => ({ suggestion: text(s[1]), score: toNumber(s[0]) })),
    }));
  }
  const results = ((v as Record<string, unknown>).results ?? {}) as Record<string, unknown[]>;
  return Object.keys(results).map((term) => ({
    term,
    suggestions: results[term]!.flatMap((s) => Object.keys(s as object).map((k) => ({ suggestion: k, score: toNumber((s as Record<string, unknown>)[k]) }))),
  }));
}

function readSyndump(v: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const put = (k: string, x: unknown) => {
    if (k !== '__proto__') out[k] = textArray(x);
  };
  if (Array.isArray(v)) for (let i = 0; i + 1 < v.length; i += 2) put(text(v[i]), v[i + 1]);
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) put(k, (v as Record<string, unknown>)[k]);
  return out;
}

function readConfig(v: unknown): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const put = (k: string, x: unknown) => {
    if (k !== '__proto__') out[k] = x === null || x === undefined ? null : text(x);
  };
  if (Array.isArray(v)) for (const pair of v as unknown[][]) put(text(pair[0]), pair[1]);
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) put(k, (v as Record<string, unknown>)[k]);
  return out;
}

function suggestionDefs(): MethodDef {
  const build = (k: RedisKey, prefix: string, o?: SugGetOptions): RedisArg[] => {
    const cmd = 'FT.SUGGET';
    checkKey(cmd, 'key', k);
    if (typeof prefix !== 'string' || prefix === '') throw new DataError(`${cmd}: prefix must be a non-empty string`);
    checkOptions(cmd, o);
    const argv: RedisArg[] = [cmd, k, prefix];
    if (o?.fuzzy) argv.push('FUZZY');
    if (o?.withscores) argv.push('WITHSCORES');
    if (o?.withpayloads) argv.push('WITHPAYLOADS');
    if (o?.max !== undefined) {
      checkInteger(cmd, 'max', o.max);
      argv.push('MAX', o.max);
    }
    return argv;
  };
  const plain = method(FT_SUGGET, build, textArray);
  const cache = new Map<string, MethodDef>();
  return {
    ...plain,
    variant: (argv) => {
      const rest = argv.slice(3);
      const scores = rest.includes('WITHSCORES');
      const payloads = rest.includes('WITHPAYLOADS');
      if (!scores && !payloads) return plain;
      const k = `${+scores}${+payloads}`;
      let def = cache.get(k);
      if (def === undefined) {
        def = method(FT_SUGGET, build, (v: unknown) => {
          const a = (v ?? []) as unknown[];
          const out: Suggestion[] = [];
          for (let i = 0; i < a.length; ) {
            const s: Suggestion = { suggestion: text(a[i++]) };
            if (scores) s.score = toNumber(a[i++]);
            if (payloads) {
              const p = a[i++];
              s.payload = p === null || p === undefined ? null : text(p);
            }
            out.push(s);
          }
          return out;
        });
        cache.set(k, def);
      }
      return def;
    },
  };
}

function explainBuild(cmd: string) {
  return (index: string, q: string | Query, o?: { dialect?: number }): RedisArg[] => {
    checkIndex(cmd, index);
    checkOptions(cmd, o);
    // EXPLAIN takes the query, its parameters and DIALECT: a Query's other options do not apply.
    let argv: RedisArg[];
    if (q instanceof Query) argv = [cmd, index, ...q.explainArgs()];
    else argv = [cmd, index, ...queryArgs(cmd, q)];
    if (o?.dialect !== undefined) {
      checkInteger(cmd, 'dialect', o.dialect);
      const at = argv.length >= 2 && argv[argv.length - 2] === 'DIALECT' && q instanceof Query ? argv.length - 2 : -1;
      if (at !== -1) argv.splice(at, 2);
      argv.push('DIALECT', o.dialect);
    }
    return argv;
  };
}

function profileDefs(): MethodDef {
  const build = (index: string, q: string | Query | AggregateRequest<boolean>, o?: { limited?: boolean }): RedisArg[] => {
    const cmd = 'FT.PROFILE';
    checkIndex(cmd, index);
    checkOptions(cmd, o);
    const isAggregate = q instanceof AggregateRequest;
    const argv: RedisArg[] = [cmd, index, isAggregate ? 'AGGREGATE' : 'SEARCH'];
    if (o?.limited) argv.push('LIMITED');
    argv.push('QUERY', ...(isAggregate ? aggregateArgs(cmd, q) : queryArgs(cmd, q)));
    return argv;
  };
  const aggregateDef = method(FT_PROFILE, build, readProfile(readAggregatePage));
  const cache = new Map<string, MethodDef>();
  const base = method(FT_PROFILE, build);
  return {
    ...base,
    variant: (argv) => {
      if (argv[2] === 'AGGREGATE') return aggregateDef;
      const from = argv.indexOf('QUERY') + 2;
      const s = searchShape(argv, from);
      const k = JSON.stringify(s);
      let def = cache.get(k);
      if (def === undefined) {
        def = method(FT_PROFILE, build, readProfile((v) => readSearch(s, v)));
        cache.set(k, def);
      }
      return def;
    },
  };
}

export const searchMethods = {
  ftCreate: method(FT_CREATE, buildCreate),
  ftAlter: method(FT_ALTER, (index: string, field: Field, o?: { skipinitialscan?: boolean }): RedisArg[] => {
    checkIndex('FT.ALTER', index);
    checkOptions('FT.ALTER', o);
    if (!(field instanceof Field)) throw new DataError('FT.ALTER: field must be a field (TextField, TagField…)');
    const argv: RedisArg[] = ['FT.ALTER', index];
    if (o?.skipinitialscan) argv.push('SKIPINITIALSCAN');
    argv.push('SCHEMA', 'ADD', ...field.args());
    return argv;
  }),
  ftDropindex: method(FT_DROPINDEX, (index: string, o?: { dd?: boolean }): RedisArg[] => {
    checkIndex('FT.DROPINDEX', index);
    checkOptions('FT.DROPINDEX', o);
    return o?.dd ? ['FT.DROPINDEX', index, 'DD'] : ['FT.DROPINDEX', index];
  }),
  ftInfo: method(FT_INFO, indexOnly('FT.INFO'), readInfo),
  ftList: method(FT_LIST, (): RedisArg[] => ['FT._LIST'], textArray),
  ftSearch: searchDefs(
    FT_SEARCH,
    (index: string, q: string | Query): RedisArg[] => {
      checkIndex('FT.SEARCH', index);
      return ['FT.SEARCH', index, ...queryArgs('FT.SEARCH', q)];
    },
    3,
  ),
  ftAggregate: method(
    FT_AGGREGATE,
    (index: string, r: string | AggregateRequest<boolean>): RedisArg[] => {
      checkIndex('FT.AGGREGATE', index);
      return ['FT.AGGREGATE', index, ...aggregateArgs('FT.AGGREGATE', r)];
    },
    readAggregate,
  ),
  ftCursorRead: method(
    FT_CURSOR,
    (index: string, cursor: number, o?: { count?: number }): RedisArg[] => {
      checkIndex('FT.CURSOR READ', index);
      checkInteger('FT.CURSOR READ', 'cursor', cursor);
      checkOptions('FT.CURSOR READ', o);
      const argv: RedisArg[] = ['FT.CURSOR', 'READ', index, cursor];
      if (o?.count !== undefined) {
        checkInteger('FT.CURSOR READ', 'count', o.count);
        argv.push('COUNT', o.count);
      }
      return argv;
    },
    readAggregate,
  ),
  ftCursorDel: method(FT_CURSOR, (index: string, cursor: number): RedisArg[] => {
    checkIndex('FT.CURSOR DEL', index);
    checkInteger('FT.CURSOR DEL', 'cursor', cursor);
    return ['FT.CURSOR', 'DEL', index, cursor];
  }),
  ftExplain: method(FT_EXPLAIN, explainBuild('FT.EXPLAIN'), text),
  ftExplaincli: method(FT_EXPLAINCLI, explainBuild('FT.EXPLAINCLI'), textArray),
  ftProfile: profileDefs(),
  ftSpellcheck: method(
    FT_SPELLCHECK,
    (index: string, q: string, o?: SpellcheckOptions): RedisArg[] => {
      const cmd = 'FT.SPELLCHECK';
      checkIndex(cmd, index);
      if (typeof q !== 'string' || q.trim() === '') throw new DataError(`${cmd}: query must be a non-empty string`);
      checkOptions(cmd, o);
      const argv: RedisArg[] = [cmd, index, q];
      if (o?.distance !== undefined) {
        checkInteger(cmd, 'distance', o.distance);
        if (o.distance < 1 || o.distance > 4) throw new DataError(`${cmd}: distance must be 1 to 4`);
        argv.push('DISTANCE', o.distance);
      }
      for (const t of o?.terms ?? []) {
        if (t?.mode !== 'INCLUDE' && t?.mode !== 'EXCLUDE') throw new DataError(`${cmd}: terms mode must be INCLUDE or EXCLUDE`);
        argv.push('TERMS', t.mode, t.dictionary);
      }
      if (o?.dialect !== undefined) {
        checkInteger(cmd, 'dialect', o.dialect);
        argv.push('DIALECT', o.dialect);
      }
      return argv;
    },
    readSpellcheck,
  ),
  ftDictadd: variadic(FT_DICTADD, 1, indexAnd('FT.DICTADD', 'term')),
  ftDictdel: variadic(FT_DICTDEL, 1, indexAnd('FT.DICTDEL', 'term')),
  ftDictdump: method(FT_DICTDUMP, indexOnly('FT.DICTDUMP'), textArray),
  ftSynupdate: method(FT_SYNUPDATE, (index: string, group: string, terms: string[], o?: { skipinitialscan?: boolean }): RedisArg[] => {
    const cmd = 'FT.SYNUPDATE';
    checkIndex(cmd, index);
    if (typeof group !== 'string' || group === '') throw new DataError(`${cmd}: groupId must be a non-empty string`);
    if (!Array.isArray(terms) || terms.length === 0) throw new DataError(`${cmd}: terms must be a non-empty array`);
    checkOptions(cmd, o);
    const argv: RedisArg[] = [cmd, index, group];
    if (o?.skipinitialscan) argv.push('SKIPINITIALSCAN');
    argv.push(...terms);
    return argv;
  }),
  ftSyndump: method(FT_SYNDUMP, indexOnly('FT.SYNDUMP'), readSyndump),
  ftSugadd: method(FT_SUGADD, (k: RedisKey, s: string, score: number, o?: SugAddOptions): RedisArg[] => {
    const cmd = 'FT.SUGADD';
    checkKey(cmd, 'key', k);
    if (typeof s !== 'string' || s === '') throw new DataError(`${cmd}: suggestion must be a non-empty string`);
    checkFinite(cmd, 'score', score);
    checkOptions(cmd, o);
    const argv: RedisArg[] = [cmd, k, s, score];
    if (o?.incr) argv.push('INCR');
    if (o?.payload !== undefined) argv.push('PAYLOAD', o.payload);
    return argv;
  }),
  ftSugget: suggestionDefs(),
  ftSugdel: method(
    FT_SUGDEL,
    (k: RedisKey, s: string): RedisArg[] => {
      checkKey('FT.SUGDEL', 'key', k);
      if (typeof s !== 'string') throw new DataError('FT.SUGDEL: suggestion must be a string');
      return ['FT.SUGDEL', k, s];
    },
    (v: unknown) => v === 1 || v === true,
  ),
  ftSuglen: method(FT_SUGLEN, (k: RedisKey): RedisArg[] => {
    checkKey('FT.SUGLEN', 'key', k);
    return ['FT.SUGLEN', k];
  }),
  ftAliasadd: method(FT_ALIASADD, aliasIndex('FT.ALIASADD')),
  ftAliasupdate: method(FT_ALIASUPDATE, aliasIndex('FT.ALIASUPDATE')),
  ftAliasdel: method(FT_ALIASDEL, indexOnly('FT.ALIASDEL')),
  ftTagvals: method(
    FT_TAGVALS,
    (index: string, field: string): RedisArg[] => {
      checkIndex('FT.TAGVALS', index);
      if (typeof field !== 'string' || field === '') throw new DataError('FT.TAGVALS: field must be a non-empty string');
      return ['FT.TAGVALS', index, field];
    },
    textArray,
  ),
  ftConfigGet: method(
    FT_CONFIG,
    (option: string): RedisArg[] => {
      if (typeof option !== 'string' || option === '') throw new DataError('FT.CONFIG GET: option must be a non-empty string');
      return ['FT.CONFIG', 'GET', option];
    },
    readConfig,
  ),
  ftConfigSet: method(FT_CONFIG, (option: string, value: string | number): RedisArg[] => {
    if (typeof option !== 'string' || option === '') throw new DataError('FT.CONFIG SET: option must be a non-empty string');
    if (typeof value !== 'string' && typeof value !== 'number') throw new DataError('FT.CONFIG SET: value must be a string or number');
    return ['FT.CONFIG', 'SET', option, value];
  }),
};
