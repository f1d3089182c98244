import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type RedisKey, type RedisValue, type Result, type Str } from './command.js';
import {
  checkOptionsOrArray,
  checkTimeout,
  checkToken,
  keyAndOptionalCount,
  keyAndTwoInts,
  keyAndValue,
  keyAndValues,
  keyCountAndFlag,
  keyScanArgv,
  keysAndTimeout,
  mpopArgv,
  numkeysAndLimit,
  oneKey,
  pushLimit,
  pushNumkeys,
  type OneOrMany,
} from './build.js';
import { checkInteger, checkKey, checkValue, command, key, keyRange, method, typeName, variadic } from './registry.js';
import { numkeysSpec, timeoutAt } from './specs.js';
import { cursorText, toNumber, toNumberOrNull, toPairs, toScanMembers } from './transforms.js';
import { endsWithFlag, endsWithScanFlag, withOption } from './variants.js';

const R = Flag.READONLY;
const W = Flag.WRITE;
const WB = Flag.WRITE | Flag.BLOCKING;

/** A member with its score. Scores are numbers under both protocols; ±Infinity for inf. */
export interface ScoredMember<S = string> {
  member: S;
  score: number;
}

/** A member to add, with its score (±Infinity allowed). */
export interface ZMember {
  score: number;
  member: RedisValue;
}

/** Members to add: one `{ score, member }`, an array of them, or a Map from member to score. */
export type ZAddMembers = ZMember | ReadonlyArray<ZMember> | Map<RedisValue, number>;

/** Optional tokens of ZADD: add or update only, only raise or lower scores, count changes, increment. */
export interface ZAddOptions {
  /** Only add new members, never update. */
  nx?: boolean;
  /** Only update existing members, never add. */
  xx?: boolean;
  /** Only update when the new score is greater. */
  gt?: boolean;
  /** Only update when the new score is less. */
  lt?: boolean;
  /** Count changed members, not only added ones. */
  ch?: boolean;
  /** Add to the score like ZINCRBY (one member only); resolves the new score, or null when a condition stopped it. */
  incr?: boolean;
}

/**
 * A score bound: a number (±Infinity for -inf/+inf), or the server's own syntax as a string:
 * '(1.5' exclusive, '-inf', '+inf'.
 */
export type ScoreBound = number | string;

/** A lexicographic bound: '-' and '+' for the ends, '[a' inclusive, '(a' exclusive. */
export type LexBound = string | Buffer;

/** Start or stop of ZRANGE: an index, or a score or lex bound with `byscore` / `bylex`. */
export type ZRangeBound = number | string | Buffer;

/** A page of a sorted-set range: skip `offset` elements and return `count`. */
export interface ZLimit {
  offset: number;
  /** How many; negative for all from `offset` on. */
  count: number;
}

/** Optional tokens of ZRANGESTORE: by score or lex bounds, reversed, and a LIMIT page. */
export interface ZRangeStoreOptions {
  /** `start` and `stop` are score bounds. */
  byscore?: boolean;
  /** `start` and `stop` are lex bounds. */
  bylex?: boolean;
  /** Highest first: `start` is then the higher bound. */
  rev?: boolean;
  /** With `byscore` or `bylex`: skip `offset`, take `count`. */
  limit?: ZLimit;
}

/** Optional tokens of ZRANGE: ZRANGESTORE's, plus returning the scores. */
export interface ZRangeOptions extends ZRangeStoreOptions {
  withscores?: boolean;
}

/** Optional tokens of ZRANGEBYSCORE and ZREVRANGEBYSCORE: scores with the members, and a LIMIT page. */
export interface ZRangeByScoreOptions {
  withscores?: boolean;
  limit?: ZLimit;
}

/** How ZUNION, ZINTER and their STORE forms combine the scores of a member found in several sets. */
export type ZAggregate = 'SUM' | 'MIN' | 'MAX';

/** Optional tokens of ZUNIONSTORE and ZINTERSTORE: a weight per key and how scores aggregate. */
export interface ZCombineStoreOptions {
  /** One multiplier per key. */
  weights?: number[];
  /** How the scores of a member in several sets combine (default SUM). */
  aggregate?: ZAggregate;
}

/** Optional tokens of ZUNION and ZINTER: the STORE forms', plus returning the scores. */
export interface ZCombineOptions extends ZCombineStoreOptions {
  withscores?: boolean;
}

/** What ZMPOP / BZMPOP popped: the key it came from and the members with their scores. */
export interface ZPopReply<S = string> {
  key: S;
  members: Array<ScoredMember<S>>;
}

/** What BZPOPMIN / BZPOPMAX popped. */
export interface ZBlockingPopReply<S = string> {
  key: S;
  member: S;
  score: number;
}

/** ZRANK … WITHSCORE. */
export interface ZRankWithScore {
  rank: number;
  score: number;
}

/** One ZSCAN step: the cursor to pass next ('0' when the scan is over) and the members found. */
export interface ZScanReply<S = string> {
  cursor: string;
  entries: Array<ScoredMember<S>>;
}

/** One ZSCAN … NOSCORES step. */
export interface ZScanMembersReply<S = string> {
  cursor: string;
  members: S[];
}

/** Optional tokens of ZSCAN and its iterator: a member pattern, a count hint, and members only. */
export interface ZScanOptions {
  match?: string | Buffer;
  count?: number;
  /** Members only (Valkey 8, Redis 8). */
  noscores?: boolean;
}

/** What a sorted-set read resolves to when scores were asked for: members with their scores, in order. */
export type Scored<C> = Array<ScoredMember<Str<C>>>;
/** What a sorted-set read resolves to without scores: the members, in order. */
export type Plain<C> = Array<Str<C>>;

export interface SortedSetCommands<C> {
  /** Adds or updates members; resolves how many were added (changed, with `ch`). */
  zadd(key: RedisKey, members: ZAddMembers, options: ZAddOptions & { incr: true }): Result<C, number | null>;
  zadd(key: RedisKey, members: ZAddMembers, options?: ZAddOptions): Result<C, number>;
  /** Adds `increment` to a member's score; resolves the new score. */
  zincrby(key: RedisKey, increment: number, member: RedisValue): Result<C, number>;
  zrem(key: RedisKey, ...members: RedisValue[]): Result<C, number>;
  zrem(key: RedisKey, members: ReadonlyArray<RedisValue>): Result<C, number>;
  zcard(key: RedisKey): Result<C, number>;
  zcount(key: RedisKey, min: ScoreBound, max: ScoreBound): Result<C, number>;
  zlexcount(key: RedisKey, min: LexBound, max: LexBound): Result<C, number>;
  zscore(key: RedisKey, member: RedisValue): Result<C, number | null>;
  zmscore(key: RedisKey, ...members: RedisValue[]): Result<C, Array<number | null>>;
  zmscore(key: RedisKey, members: ReadonlyArray<RedisValue>): Result<C, Array<number | null>>;
  /** The member's rank, lowest score first; null when it is not in the set. */
  zrank(key: RedisKey, member: RedisValue, options: { withscore: true }): Result<C, ZRankWithScore | null>;
  zrank(key: RedisKey, member: RedisValue, options?: { withscore?: false }): Result<C, number | null>;
  zrevrank(key: RedisKey, member: RedisValue, options: { withscore: true }): Result<C, ZRankWithScore | null>;
  zrevrank(key: RedisKey, member: RedisValue, options?: { withscore?: false }): Result<C, number | null>;

  /** Members by index (default), by score (`byscore`) or by lex order (`bylex`). */
  zrange(key: RedisKey, start: ZRangeBound, stop: ZRangeBound, options: ZRangeOptions & { withscores: true }): Result<C, Scored<C>>;
  zrange(key: RedisKey, start: ZRangeBound, stop: ZRangeBound, options?: ZRangeOptions & { withscores?: false }): Result<C, Plain<C>>;
  zrange(key: RedisKey, start: ZRangeBound, stop: ZRangeBound, options: ZRangeOptions): Result<C, Plain<C> | Scored<C>>;
  /** ZRANGE stored at `destination`; resolves its size. */
  zrangestore(destination: RedisKey, source: RedisKey, start: ZRangeBound, stop: ZRangeBound, options?: ZRangeStoreOptions): Result<C, number>;
  zrangebyscore(key: RedisKey, min: ScoreBound, max: ScoreBound, options: ZRangeByScoreOptions & { withscores: true }): Result<C, Scored<C>>;
  zrangebyscore(key: RedisKey, min: ScoreBound, max: ScoreBound, options?: ZRangeByScoreOptions & { withscores?: false }): Result<C, Plain<C>>;
  zrangebyscore(key: RedisKey, min: ScoreBound, max: ScoreBound, options: ZRangeByScoreOptions): Result<C, Plain<C> | Scored<C>>;
  zrevrangebyscore(key: RedisKey, max: ScoreBound, min: ScoreBound, options: ZRangeByScoreOptions & { withscores: true }): Result<C, Scored<C>>;
  zrevrangebyscore(key: RedisKey, max: ScoreBound, min: ScoreBound, options?: ZRangeByScoreOptions & { withscores?: false }): Result<C, Plain<C>>;
  zrevrangebyscore(key: RedisKey, max: ScoreBound, min: ScoreBound, options: ZRangeByScoreOptions): Result<C, Plain<C> | Scored<C>>;
  zrangebylex(key: RedisKey, min: LexBound, max: LexBound, options?: { limit?: ZLimit }): Result<C, Plain<C>>;
  zrevrangebylex(key: RedisKey, max: LexBound, min: LexBound, options?: { limit?: ZLimit }): Result<C, Plain<C>>;
  zrevrange(key: RedisKey, start: number, stop: number, options: { withscores: true }): Result<C, Scored<C>>;
  zrevrange(key: RedisKey, start: number, stop: number, options?: { withscores?: false }): Result<C, Plain<C>>;
  zrevrange(key: RedisKey, start: number, stop: number, options: { withscores: boolean }): Result<C, Plain<C> | Scored<C>>;
  /** Removes members by rank, inclusive; resolves how many. */
  zremrangebyrank(key: RedisKey, start: number, stop: number): Result<C, number>;
  zremrangebyscore(key: RedisKey, min: ScoreBound, max: ScoreBound): Result<C, number>;
  zremrangebylex(key: RedisKey, min: LexBound, max: LexBound): Result<C, number>;

  /** Members of the first set that are in none of the others. */
  zdiff(keys: OneOrMany<RedisKey>, options: { withscores: true }): Result<C, Scored<C>>;
  zdiff(keys: OneOrMany<RedisKey>, options?: { withscores?: false }): Result<C, Plain<C>>;
  zdiff(keys: OneOrMany<RedisKey>, options: { withscores: boolean }): Result<C, Plain<C> | Scored<C>>;
  zdiffstore(destination: RedisKey, keys: OneOrMany<RedisKey>): Result<C, number>;
  zinter(keys: OneOrMany<RedisKey>, options: ZCombineOptions & { withscores: true }): Result<C, Scored<C>>;
  zinter(keys: OneOrMany<RedisKey>, options?: ZCombineOptions & { withscores?: false }): Result<C, Plain<C>>;
  zinter(keys: OneOrMany<RedisKey>, options: ZCombineOptions): Result<C, Plain<C> | Scored<C>>;
  zinterstore(destination: RedisKey, keys: OneOrMany<RedisKey>, options?: ZCombineStoreOptions): Result<C, number>;
  /** The size of the intersection, counting no further than `limit` when given (0: no limit). */
  zintercard(keys: OneOrMany<RedisKey>, options?: { limit?: number }): Result<C, number>;
  zunion(keys: OneOrMany<RedisKey>, options: ZCombineOptions & { withscores: true }): Result<C, Scored<C>>;
  zunion(keys: OneOrMany<RedisKey>, options?: ZCombineOptions & { withscores?: false }): Result<C, Plain<C>>;
  zunion(keys: OneOrMany<RedisKey>, options: ZCombineOptions): Result<C, Plain<C> | Scored<C>>;
  zunionstore(destination: RedisKey, keys: OneOrMany<RedisKey>, options?: ZCombineStoreOptions): Result<C, number>;

  /** Removes and returns the member with the lowest score; null when the set is empty. */
  zpopmin(key: RedisKey): Result<C, ScoredMember<Str<C>> | null>;
  /** Removes and returns up to `count` members, lowest scores first. */
  zpopmin(key: RedisKey, count: number): Result<C, Scored<C>>;
  zpopmax(key: RedisKey): Result<C, ScoredMember<Str<C>> | null>;
  zpopmax(key: RedisKey, count: number): Result<C, Scored<C>>;
  /** Pops from the first non-empty set of `keys`; null when all are empty. */
  zmpop(keys: OneOrMany<RedisKey>, where: 'MIN' | 'MAX', options?: { count?: number }): Result<C, ZPopReply<Str<C>> | null>;
  /** ZMPOP that waits up to `timeout` seconds (0: forever); null on timeout. */
  bzmpop(timeout: number, keys: OneOrMany<RedisKey>, where: 'MIN' | 'MAX', options?: { count?: number }): Result<C, ZPopReply<Str<C>> | null>;
  /** Pops the lowest-scored member of the first non-empty set, waiting up to `timeout` seconds (0: forever). */
  bzpopmin(keys: OneOrMany<RedisKey>, timeout: number): Result<C, ZBlockingPopReply<Str<C>> | null>;
  bzpopmax(keys: OneOrMany<RedisKey>, timeout: number): Result<C, ZBlockingPopReply<Str<C>> | null>;

  /** A random member; null when the set is empty. */
  zrandmember(key: RedisKey): Result<C, Str<C> | null>;
  /** `count` random members: distinct when positive, maybe repeated when negative. */
  zrandmember(key: RedisKey, count: number, options: { withscores: true }): Result<C, Scored<C>>;
  zrandmember(key: RedisKey, count: number, options?: { withscores?: false }): Result<C, Plain<C>>;
  zrandmember(key: RedisKey, count: number, options: { withscores: boolean }): Result<C, Plain<C> | Scored<C>>;
  /** One step of a scan over the set; start with cursor '0' and go on until it comes back '0'. */
  zscan(key: RedisKey, cursor: string | number, options: ZScanOptions & { noscores: true }): Result<C, ZScanMembersReply<Str<C>>>;
  zscan(key: RedisKey, cursor: string | number, options?: ZScanOptions & { noscores?: false }): Result<C, ZScanReply<Str<C>>>;
  zscan(key: RedisKey, cursor: string | number, options: ZScanOptions): Result<C, ZScanReply<Str<C>> | ZScanMembersReply<Str<C>>>;
}

const ZADD = command('zadd', W, key(1));
const ZINCRBY = command('zincrby', W, key(1));
const ZREM = command('zrem', W, key(1));
const ZCARD = command('zcard', R | Flag.CACHEABLE, key(1));
const ZCOUNT = command('zcount', R | Flag.CACHEABLE, key(1));
const ZLEXCOUNT = command('zlexcount', R | Flag.CACHEABLE, key(1));
const ZSCORE = command('zscore', R | Flag.CACHEABLE, key(1));
const ZMSCORE = command('zmscore', R | Flag.CACHEABLE, key(1));
const ZRANK = command('zrank', R | Flag.CACHEABLE, key(1));
const ZREVRANK = command('zrevrank', R | Flag.CACHEABLE, key(1));
const ZRANGE = command('zrange', R | Flag.CACHEABLE, key(1));
const ZRANGESTORE = command('zrangestore', W, keyRange(1, 2));
const ZRANGEBYSCORE = command('zrangebyscore', R | Flag.CACHEABLE, key(1));
const ZREVRANGEBYSCORE = command('zrevrangebyscore', R | Flag.CACHEABLE, key(1));
const ZRANGEBYLEX = command('zrangebylex', R | Flag.CACHEABLE, key(1));
const ZREVRANGEBYLEX = command('zrevrangebylex', R | Flag.CACHEABLE, key(1));
const ZREVRANGE = command('zrevrange', R | Flag.CACHEABLE, key(1));
const ZREMRANGEBYRANK = command('zremrangebyrank', W, key(1));
const ZREMRANGEBYSCORE = command('zremrangebyscore', W, key(1));
const ZREMRANGEBYLEX = command('zremrangebylex', W, key(1));
const ZDIFF = command('zdiff', R, numkeysSpec(1));
const ZDIFFSTORE = command('zdiffstore', W, numkeysSpec(2, [1]));
const ZINTER = command('zinter', R, numkeysSpec(1));
const ZINTERSTORE = command('zinterstore', W, numkeysSpec(2, [1]));
const ZINTERCARD = command('zintercard', R, numkeysSpec(1));
const ZUNION = command('zunion', R, numkeysSpec(1));
const ZUNIONSTORE = command('zunionstore', W, numkeysSpec(2, [1]));
const ZPOPMIN = command('zpopmin', W, key(1));
const ZPOPMAX = command('zpopmax', W, key(1));
const ZMPOP = command('zmpop', W, numkeysSpec(1));
const BZMPOP = command('bzmpop', WB, numkeysSpec(2), timeoutAt(1));
const BZPOPMIN = command('bzpopmin', WB, keyRange(1, -2), timeoutAt(-1));
const BZPOPMAX = command('bzpopmax', WB, keyRange(1, -2), timeoutAt(-1));
const ZRANDMEMBER = command('zrandmember', R, key(1));
const ZSCAN = command('zscan', R, key(1));

// ---- argument helpers ---------------------------------------------------------------------------------

/** A score or score bound as the server reads it: ±Infinity become '+inf' / '-inf'. */
function scoreArg(cmd: string, name: string, v: unknown): RedisArg {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) throw new DataError(`${cmd}: ${name} must not be NaN`);
    return v === Infinity ? '+inf' : v === -Infinity ? '-inf' : v;
  }
  if (typeof v === 'string' || Buffer.isBuffer(v)) return v;
  throw new DataError(`${cmd}: ${name} must be a number or a score bound string, got ${typeName(v)}`);
}

function lexArg(cmd: string, name: string, v: unknown): RedisKey {
  checkKey(cmd, name, v);
  return v as RedisKey;
}

function scoreRange(cmd: string) {
  return (k: RedisKey, min: ScoreBound, max: ScoreBound): RedisArg[] => {
    checkKey(cmd, 'key', k);
    return [cmd, k, scoreArg(cmd, 'min', min), scoreArg(cmd, 'max', max)];
  };
}

function lexRange(cmd: string) {
  return (k: RedisKey, min: LexBound, max: LexBound): RedisArg[] => {
    checkKey(cmd, 'key', k);
    return [cmd, k, lexArg(cmd, 'min', min), lexArg(cmd, 'max', max)];
  };
}

function addMember(cmd: string, argv: RedisArg[], score: unknown, member: unknown): void {
  if (typeof score !== 'number') throw new DataError(`${cmd}: score must be a number, got ${typeName(score)}`);
  argv.push(scoreArg(cmd, 'score', score));
  checkValue(cmd, 'member', member);
  argv.push(member as RedisArg);
}

function buildZadd(k: RedisKey, members: ZAddMembers, o?: ZAddOptions): RedisArg[] {
  checkKey('ZADD', 'key', k);
  const argv: RedisArg[] = ['ZADD', k];
  checkOptionsOrArray('ZADD', o);
  if (o !== undefined) {
    if (o.nx && o.xx) throw new DataError('ZADD: nx and xx exclude each other');
    if (o.gt && o.lt) throw new DataError('ZADD: gt and lt exclude each other');
    if (o.nx && (o.gt || o.lt)) throw new DataError('ZADD: nx excludes gt and lt');
    if (o.nx) argv.push('NX');
    if (o.xx) argv.push('XX');
    if (o.gt) argv.push('GT');
    if (o.lt) argv.push('LT');
    if (o.ch) argv.push('CH');
    if (o.incr) argv.push('INCR');
  }
  const start = argv.length;
  if (members instanceof Map) {
    for (const [m, s] of members) addMember('ZADD', argv, s, m);
  } else if (Array.isArray(members)) {
    for (const m of members as ReadonlyArray<ZMember>) {
      if (m === null || typeof m !== 'object') throw new DataError('ZADD: each member must be { score, member }');
      addMember('ZADD', argv, m.score, m.member);
    }
  } else if (members !== null && typeof members === 'object' && 'member' in members) {
    addMember('ZADD', argv, (members as ZMember).score, (members as ZMember).member);
  } else {
    throw new DataError('ZADD: members must be { score, member }, an array of them, or a Map from member to score');
  }
  const n = (argv.length - start) / 2;
  if (n === 0) throw new DataError('ZADD: at least one member is required');
  if (o?.incr && n !== 1) throw new DataError('ZADD: incr takes exactly one member');
  return argv;
}

function buildZrange(cmd: 'ZRANGE' | 'ZRANGESTORE', argv: RedisArg[], start: ZRangeBound, stop: ZRangeBound, o?: ZRangeOptions): RedisArg[] {
  checkOptionsOrArray(cmd, o);
  const byscore = o?.byscore === true;
  const bylex = o?.bylex === true;
  if (byscore && bylex) throw new DataError(`${cmd}: byscore and bylex exclude each other`);
  if (byscore) {
    argv.push(scoreArg(cmd, 'start', start), scoreArg(cmd, 'stop', stop), 'BYSCORE');
  } else if (bylex) {
    argv.push(lexArg(cmd, 'start', start), lexArg(cmd, 'stop', stop), 'BYLEX');
  } else {
    checkInteger(cmd, 'start', start);
    checkInteger(cmd, 'stop', stop);
    argv.push(start, stop);
  }
  if (o?.rev) argv.push('REV');
  if (o?.limit !== undefined) {
    if (!byscore && !bylex) throw new DataError(`${cmd}: limit needs byscore or bylex`);
    pushLimit(cmd, argv, o.limit);
  }
  if (o?.withscores) {
    if (bylex) throw new DataError(`${cmd}: withscores cannot go with bylex`);
    argv.push('WITHSCORES');
  }
  return argv;
}

function byScore(cmd: string) {
  return (k: RedisKey, a: ScoreBound, b: ScoreBound, o?: ZRangeByScoreOptions): RedisArg[] => {
    checkKey(cmd, 'key', k);
    const rev = cmd === 'ZREVRANGEBYSCORE';
    const argv: RedisArg[] = [cmd, k, scoreArg(cmd, rev ? 'max' : 'min', a), scoreArg(cmd, rev ? 'min' : 'max', b)];
    checkOptionsOrArray(cmd, o);
    pushLimit(cmd, argv, o?.limit);
    if (o?.withscores) argv.push('WITHSCORES');
    return argv;
  };
}

function byLex(cmd: string) {
  return (k: RedisKey, a: LexBound, b: LexBound, o?: { limit?: ZLimit }): RedisArg[] => {
    checkKey(cmd, 'key', k);
    const rev = cmd === 'ZREVRANGEBYLEX';
    const argv: RedisArg[] = [cmd, k, lexArg(cmd, rev ? 'max' : 'min', a), lexArg(cmd, rev ? 'min' : 'max', b)];
    checkOptionsOrArray(cmd, o);
    pushLimit(cmd, argv, o?.limit);
    return argv;
  };
}

function pushCombine(cmd: string, argv: RedisArg[], keys: OneOrMany<RedisKey>, o: ZCombineOptions | undefined, withscores: boolean): RedisArg[] {
  const n = pushNumkeys(cmd, argv, keys);
  checkOptionsOrArray(cmd, o);
  if (o?.weights !== undefined) {
    if (!Array.isArray(o.weights) || o.weights.length !== n) {
      throw new DataError(`${cmd}: weights must be an array with one number per key (${n})`);
    }
    argv.push('WEIGHTS');
    for (const w of o.weights) argv.push(scoreArg(cmd, 'weight', w));
  }
  if (o?.aggregate !== undefined) argv.push('AGGREGATE', checkToken(cmd, 'aggregate', o.aggregate, ['SUM', 'MIN', 'MAX'] as const));
  if (withscores && o?.withscores) argv.push('WITHSCORES');
  return argv;
}

function store(cmd: string) {
  return (destination: RedisKey, keys: OneOrMany<RedisKey>, o?: ZCombineStoreOptions): RedisArg[] => {
    checkKey(cmd, 'destination', destination);
    return pushCombine(cmd, [cmd, destination], keys, o, false);
  };
}

const MIN_MAX = ['MIN', 'MAX'] as const;

function rankBuilder(cmd: string) {
  return (k: RedisKey, member: RedisValue, o?: { withscore?: boolean }): RedisArg[] => {
    checkKey(cmd, 'key', k);
    checkValue(cmd, 'member', member);
    checkOptionsOrArray(cmd, o);
    return o?.withscore ? [cmd, k, member, 'WITHSCORE'] : [cmd, k, member];
  };
}

function buildZscan(k: RedisKey, cursor: string | number, o?: ZScanOptions): RedisArg[] {
  const argv = keyScanArgv('ZSCAN', k, cursor, o);
  if (o?.noscores) argv.push('NOSCORES');
  return argv;
}

// ---- reply transforms ---------------------------------------------------------------------------------

function scoredMember(member: unknown, score: unknown): ScoredMember<unknown> {
  return { member, score: toNumber(score) };
}

/** Members with scores: flat [m, s, m, s…] (RESP2, ZSCAN) or pairs [[m, s]…] (RESP3). */
export function toScoredMembers(v: unknown): Array<ScoredMember<unknown>> {
  return toPairs(v, scoredMember);
}

/** ZPOPMIN without a count: [] or [member, score] under both protocols. */
function toOneScoredMember(v: unknown): ScoredMember<unknown> | null {
  const a = v as unknown[];
  if (a.length === 0) return null;
  return Array.isArray(a[0]) ? { member: a[0][0], score: toNumber(a[0][1]) } : { member: a[0], score: toNumber(a[1]) };
}

function toZPop(v: unknown): ZPopReply<unknown> | null {
  if (v === null) return null;
  const [k, members] = v as [unknown, unknown];
  return { key: k, members: toScoredMembers(members) };
}

function toZBlockingPop(v: unknown): ZBlockingPopReply<unknown> | null {
  if (v === null) return null;
  const [k, member, score] = v as [unknown, unknown, unknown];
  return { key: k, member, score: toNumber(score) };
}

function toRankWithScore(v: unknown): ZRankWithScore | null {
  if (v === null) return null;
  const [rank, score] = v as [number, unknown];
  return { rank, score: toNumber(score) };
}

function toZScan(v: unknown): ZScanReply<unknown> {
  const [cursor, items] = v as [unknown, unknown[]];
  return { cursor: cursorText(cursor), entries: toScoredMembers(items) };
}

function toScores(v: unknown): Array<number | null> {
  return (v as unknown[]).map(toNumberOrNull);
}

/** For numkeys commands (ZDIFF, ZINTER, ZUNION): the flag comes after the keys. */
function afterKeys(token: string): (argv: RedisArg[]) => boolean {
  return (argv) => argv[argv.length - 1] === token && argv.length > 2 + Number(argv[1]);
}

/** ZPOPMIN / ZPOPMAX: one member (or null) without a count, a list with one. */
const hasCount = (argv: RedisArg[]): boolean => argv.length > 2;

export const sortedSetMethods = {
  zadd: method(ZADD, buildZadd, toNumberOrNull),
  zincrby: method(
    ZINCRBY,
    (k: RedisKey, increment: number, member: RedisValue) => {
      checkKey('ZINCRBY', 'key', k);
      if (typeof increment !== 'number') throw new DataError(`ZINCRBY: increment must be a number, got ${typeName(increment)}`);
      const inc = scoreArg('ZINCRBY', 'increment', increment);
      checkValue('ZINCRBY', 'member', member);
      return ['ZINCRBY', k, inc, member];
    },
    toNumber,
  ),
  zrem: variadic(ZREM, 1, (k: RedisKey, members: RedisValue[]) => keyAndValues('ZREM', k, members, 'member')),
  zcard: method(ZCARD, oneKey('ZCARD')),
  zcount: method(ZCOUNT, scoreRange('ZCOUNT')),
  zlexcount: method(ZLEXCOUNT, lexRange('ZLEXCOUNT')),
  zscore: method(ZSCORE, keyAndValue('ZSCORE', 'member'), toNumberOrNull),
  zmscore: variadic(ZMSCORE, 1, (k: RedisKey, members: RedisValue[]) => keyAndValues('ZMSCORE', k, members, 'member'), toScores),
  zrank: withOption(ZRANK, rankBuilder('ZRANK'), endsWithFlag('WITHSCORE', 3), toRankWithScore),
  zrevrank: withOption(ZREVRANK, rankBuilder('ZREVRANK'), endsWithFlag('WITHSCORE', 3), toRankWithScore),
  zrange: withOption(
    ZRANGE,
    (k: RedisKey, start: ZRangeBound, stop: ZRangeBound, o?: ZRangeOptions) => {
      checkKey('ZRANGE', 'key', k);
      return buildZrange('ZRANGE', ['ZRANGE', k], start, stop, o);
    },
    endsWithFlag('WITHSCORES', 4),
    toScoredMembers,
  ),
  zrangestore: method(
    ZRANGESTORE,
    (destination: RedisKey, source: RedisKey, start: ZRangeBound, stop: ZRangeBound, o?: ZRangeStoreOptions) => {
      checkKey('ZRANGESTORE', 'destination', destination);
      checkKey('ZRANGESTORE', 'source', source);
      if (o !== undefined && o !== null && (o as ZRangeOptions).withscores) throw new DataError('ZRANGESTORE: withscores is not an option');
      return buildZrange('ZRANGESTORE', ['ZRANGESTORE', destination, source], start, stop, o);
    },
  ),
  zrangebyscore: withOption(ZRANGEBYSCORE, byScore('ZRANGEBYSCORE'), endsWithFlag('WITHSCORES', 4), toScoredMembers),
  zrevrangebyscore: withOption(ZREVRANGEBYSCORE, byScore('ZREVRANGEBYSCORE'), endsWithFlag('WITHSCORES', 4), toScoredMembers),
  zrangebylex: method(ZRANGEBYLEX, byLex('ZRANGEBYLEX')),
  zrevrangebylex: method(ZREVRANGEBYLEX, byLex('ZREVRANGEBYLEX')),
  zrevrange: withOption(
    ZREVRANGE,
    (k: RedisKey, start: number, stop: number, o?: { withscores?: boolean }) => {
      checkKey('ZREVRANGE', 'key', k);
      checkInteger('ZREVRANGE', 'start', start);
      checkInteger('ZREVRANGE', 'stop', stop);
      checkOptionsOrArray('ZREVRANGE', o);
      return o?.withscores ? ['ZREVRANGE', k, start, stop, 'WITHSCORES'] : ['ZREVRANGE', k, start, stop];
    },
    endsWithFlag('WITHSCORES', 4),
    toScoredMembers,
  ),
  zremrangebyrank: method(ZREMRANGEBYRANK, keyAndTwoInts('ZREMRANGEBYRANK', 'start', 'stop')),
  zremrangebyscore: method(ZREMRANGEBYSCORE, scoreRange('ZREMRANGEBYSCORE')),
  zremrangebylex: method(ZREMRANGEBYLEX, lexRange('ZREMRANGEBYLEX')),
  zdiff: withOption(
    ZDIFF,
    (keys: OneOrMany<RedisKey>, o?: { withscores?: boolean }) => {
      const argv: RedisArg[] = ['ZDIFF'];
      pushNumkeys('ZDIFF', argv, keys);
      checkOptionsOrArray('ZDIFF', o);
      if (o?.withscores) argv.push('WITHSCORES');
      return argv;
    },
    afterKeys('WITHSCORES'),
    toScoredMembers,
  ),
  zdiffstore: method(ZDIFFSTORE, (destination: RedisKey, keys: OneOrMany<RedisKey>) => {
    checkKey('ZDIFFSTORE', 'destination', destination);
    const argv: RedisArg[] = ['ZDIFFSTORE', destination];
    pushNumkeys('ZDIFFSTORE', argv, keys);
    return argv;
  }),
  zinter: withOption(
    ZINTER,
    (keys: OneOrMany<RedisKey>, o?: ZCombineOptions) => pushCombine('ZINTER', ['ZINTER'], keys, o, true),
    afterKeys('WITHSCORES'),
    toScoredMembers,
  ),
  zinterstore: method(ZINTERSTORE, store('ZINTERSTORE')),
  zintercard: method(ZINTERCARD, numkeysAndLimit('ZINTERCARD')),
  zunion: withOption(
    ZUNION,
    (keys: OneOrMany<RedisKey>, o?: ZCombineOptions) => pushCombine('ZUNION', ['ZUNION'], keys, o, true),
    afterKeys('WITHSCORES'),
    toScoredMembers,
  ),
  zunionstore: method(ZUNIONSTORE, store('ZUNIONSTORE')),
  zpopmin: withOption(ZPOPMIN, keyAndOptionalCount('ZPOPMIN'), hasCount, toScoredMembers, toOneScoredMember),
  zpopmax: withOption(ZPOPMAX, keyAndOptionalCount('ZPOPMAX'), hasCount, toScoredMembers, toOneScoredMember),
  zmpop: method(
    ZMPOP,
    (keys: OneOrMany<RedisKey>, where: 'MIN' | 'MAX', o?: { count?: number }) => mpopArgv('ZMPOP', ['ZMPOP'], keys, where, MIN_MAX, o),
    toZPop,
  ),
  bzmpop: method(
    BZMPOP,
    (timeout: number, keys: OneOrMany<RedisKey>, where: 'MIN' | 'MAX', o?: { count?: number }) => {
      checkTimeout('BZMPOP', timeout);
      return mpopArgv('BZMPOP', ['BZMPOP', timeout], keys, where, MIN_MAX, o);
    },
    toZPop,
  ),
  bzpopmin: method(BZPOPMIN, keysAndTimeout('BZPOPMIN'), toZBlockingPop),
  bzpopmax: method(BZPOPMAX, keysAndTimeout('BZPOPMAX'), toZBlockingPop),
  zrandmember: withOption(ZRANDMEMBER, keyCountAndFlag('ZRANDMEMBER', 'withscores'), endsWithFlag('WITHSCORES', 3), toScoredMembers),
  zscan: withOption(ZSCAN, buildZscan, endsWithScanFlag('NOSCORES'), toScanMembers, toZScan),
};
