import { DataError } from '../errors.js';
import type { RedisArg } from '../protocol/encoder.js';
import { Flag, type CommandInfo, type MethodDef, type RedisKey, type RedisValue, type Result, type Str } from './command.js';
import { checkInteger, checkKey, checkNumber, checkValue, command, key, keyRange, method, typeName, variadic } from './registry.js';
import { toNumber, toNumberOrNull, toStringOrNull } from './transforms.js';

const R = Flag.READONLY;
const W = Flag.WRITE;

/** Distance units: meters, kilometers, feet, miles. */
export type GeoUnit = 'm' | 'km' | 'ft' | 'mi' | 'M' | 'KM' | 'FT' | 'MI';

/** A point on Earth as the geo commands take and return it: longitude, then latitude, in degrees. */
export interface GeoCoordinates {
  longitude: number;
  latitude: number;
}

/** A member and where it is, as GEOADD takes it. */
export interface GeoMember extends GeoCoordinates {
  member: RedisValue;
}

/** Optional tokens of GEOADD: add only, update only, and count changed members. */
export interface GeoAddOptions {
  /** Only add new members, never move existing ones. */
  nx?: boolean;
  /** Only move existing members, never add new ones. */
  xx?: boolean;
  /** Count the members changed (added or moved), not only the added ones. */
  ch?: boolean;
}

/** Where a search is centred: an existing member (FROMMEMBER) or a point (FROMLONLAT). */
export type GeoSearchFrom = RedisValue | GeoCoordinates;

/** The area searched: a circle (BYRADIUS) or an axis-aligned box (BYBOX) around the centre. */
export type GeoSearchBy = { radius: number; unit: GeoUnit } | { width: number; height: number; unit: GeoUnit };

interface GeoOrderOptions {
  /** Nearest first. */
  asc?: boolean;
  /** Farthest first. */
  desc?: boolean;
  /** At most this many results (the nearest ones, unless `any`). */
  count?: number;
  /** With `count`: stop as soon as `count` matches are found, not the nearest ones. */
  any?: boolean;
}

/** What geo searches return with each member: coordinates, distance, geohash. */
export interface GeoWithOptions {
  /** Each result with its coordinates. */
  withcoord?: boolean;
  /** Each result with its distance from the centre, in the search's unit. */
  withdist?: boolean;
  /** Each result with its raw 52-bit geohash (the sorted set score). */
  withhash?: boolean;
}

/** Optional tokens of GEOSEARCH: order, count, and what to return with each member. */
export interface GeoSearchOptions extends GeoOrderOptions, GeoWithOptions {}

/** Optional tokens of GEOSEARCHSTORE: order, count, and whether to store distances as scores. */
export interface GeoSearchStoreOptions extends GeoOrderOptions {
  /** Store the distances from the centre as the scores, instead of the geohashes. */
  storedist?: boolean;
}

/** Optional tokens of GEORADIUS and GEORADIUSBYMEMBER (the same as GEOSEARCH's). */
export type GeoRadiusOptions = GeoSearchOptions;

/** Optional tokens of GEORADIUS … STORE / STOREDIST: order, count, and the destination key. */
export interface GeoRadiusStoreOptions extends GeoOrderOptions {
  /** Store the results (with their geohashes as scores) in this key. */
  store?: RedisKey;
  /** Store the results with their distances as scores in this key. */
  storedist?: RedisKey;
}

/** A search result with what the WITH* options asked for. */
export interface GeoSearchHit<S = string> {
  member: S;
  /** With `withdist`. */
  distance?: number;
  /** With `withhash`. */
  hash?: number;
  /** With `withcoord`. */
  coordinates?: GeoCoordinates;
}

/** Options that ask for more than the member names. */
export type WithSomething = { withcoord: true } | { withdist: true } | { withhash: true };

export interface GeoCommands<C> {
  /** Adds (or moves) members; resolves how many were added (or changed, with `ch`). */
  geoadd(key: RedisKey, members: GeoMember | GeoMember[], options?: GeoAddOptions): Result<C, number>;
  /** The distance between two members (meters unless `unit`), or null when one is missing. */
  geodist(key: RedisKey, member1: RedisValue, member2: RedisValue, unit?: GeoUnit): Result<C, number | null>;
  /** The 11-character geohash of each member, null for missing ones. */
  geohash(key: RedisKey, ...members: RedisValue[]): Result<C, Array<string | null>>;
  geohash(key: RedisKey, members: ReadonlyArray<RedisValue>): Result<C, Array<string | null>>;
  /** The coordinates of each member, null for missing ones. */
  geopos(key: RedisKey, ...members: RedisValue[]): Result<C, Array<GeoCoordinates | null>>;
  geopos(key: RedisKey, members: ReadonlyArray<RedisValue>): Result<C, Array<GeoCoordinates | null>>;
  /** Deprecated by Redis: `geosearch` / `geosearchstore`. */
  georadius(
    key: RedisKey,
    longitude: number,
    latitude: number,
    radius: number,
    unit: GeoUnit,
    options: GeoRadiusStoreOptions & ({ store: RedisKey } | { storedist: RedisKey }),
  ): Result<C, number>;
  georadius(
    key: RedisKey,
    longitude: number,
    latitude: number,
    radius: number,
    unit: GeoUnit,
    options: GeoRadiusOptions & WithSomething,
  ): Result<C, Array<GeoSearchHit<Str<C>>>>;
  georadius(key: RedisKey, longitude: number, latitude: number, radius: number, unit: GeoUnit, options?: GeoRadiusOptions): Result<C, Array<Str<C>>>;
  /** Deprecated by Redis: `geosearch`. */
  georadiusRo(
    key: RedisKey,
    longitude: number,
    latitude: number,
    radius: number,
    unit: GeoUnit,
    options: GeoRadiusOptions & WithSomething,
  ): Result<C, Array<GeoSearchHit<Str<C>>>>;
  georadiusRo(key: RedisKey, longitude: number, latitude: number, radius: number, unit: GeoUnit, options?: GeoRadiusOptions): Result<C, Array<Str<C>>>;
  /** Deprecated by Redis: `geosearch` / `geosearchstore` with a member as centre. */
  georadiusbymember(
    key: RedisKey,
    member: RedisValue,
    radius: number,
    unit: GeoUnit,
    options: GeoRadiusStoreOptions & ({ store: RedisKey } | { storedist: RedisKey }),
  ): Result<C, number>;
  georadiusbymember(
    key: RedisKey,
    member: RedisValue,
    radius: number,
    unit: GeoUnit,
    options: GeoRadiusOptions & WithSomething,
  ): Result<C, Array<GeoSearchHit<Str<C>>>>;
  georadiusbymember(key: RedisKey, member: RedisValue, radius: number, unit: GeoUnit, options?: GeoRadiusOptions): Result<C, Array<Str<C>>>;
  /** Deprecated by Redis: `geosearch`. */
  georadiusbymemberRo(
    key: RedisKey,
    member: RedisValue,
    radius: number,
    unit: GeoUnit,
    options: GeoRadiusOptions & WithSomething,
  ): Result<C, Array<GeoSearchHit<Str<C>>>>;
  georadiusbymemberRo(key: RedisKey, member: RedisValue, radius: number, unit: GeoUnit, options?: GeoRadiusOptions): Result<C, Array<Str<C>>>;
  /**
   * The members within an area around a member or a point. With a WITH* option, each result is an
   * object carrying what was asked for.
   */
  geosearch(key: RedisKey, from: GeoSearchFrom, by: GeoSearchBy, options: GeoSearchOptions & WithSomething): Result<C, Array<GeoSearchHit<Str<C>>>>;
  geosearch(key: RedisKey, from: GeoSearchFrom, by: GeoSearchBy, options?: GeoSearchOptions): Result<C, Array<Str<C>>>;
  /** Stores what `geosearch` finds in `source` into `destination`; resolves how many. */
  geosearchstore(destination: RedisKey, source: RedisKey, from: GeoSearchFrom, by: GeoSearchBy, options?: GeoSearchStoreOptions): Result<C, number>;
}

const UNITS = new Set(['m', 'km', 'ft', 'mi']);

/** GEORADIUS* … [STORE key] [STOREDIST key]: the stored-to key is a key too. */
function radiusKeys(firstOption: number) {
  return (argv: ReadonlyArray<RedisArg>): number[] => {
    const out = [1];
    for (let i = firstOption; i < argv.length - 1; i++) {
      const w = String(argv[i]).toLowerCase();
      if (w === 'store' || w === 'storedist') {
        out.push(i + 1);
        i++;
      }
    }
    return out;
  };
}

const GEOADD = command('geoadd', W, key(1));
const GEODIST = command('geodist', R | Flag.CACHEABLE, key(1));
const GEOHASH = command('geohash', R | Flag.CACHEABLE, key(1));
const GEOPOS = command('geopos', R | Flag.CACHEABLE, key(1));
const GEORADIUS = command('georadius', W, radiusKeys(6));
const GEORADIUS_RO = command('georadius_ro', R, key(1));
const GEORADIUSBYMEMBER = command('georadiusbymember', W, radiusKeys(5));
const GEORADIUSBYMEMBER_RO = command('georadiusbymember_ro', R, key(1));
const GEOSEARCH = command('geosearch', R, key(1));
const GEOSEARCHSTORE = command('geosearchstore', W, keyRange(1, 2));

function checkUnit(cmd: string, unit: unknown): void {
  if (typeof unit !== 'string' || !UNITS.has(unit.toLowerCase())) {
    throw new DataError(`${cmd}: unit must be 'm', 'km', 'ft' or 'mi', got ${typeof unit === 'string' ? JSON.stringify(unit) : typeName(unit)}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Buffer.isBuffer(v);
}

function pushCoordinates(cmd: string, argv: RedisArg[], p: GeoCoordinates): void {
  checkNumber(cmd, 'longitude', p.longitude);
  checkNumber(cmd, 'latitude', p.latitude);
  argv.push(p.longitude, p.latitude);
}

/** [ASC|DESC] [COUNT n [ANY]] */
function pushOrder(cmd: string, argv: RedisArg[], o: GeoOrderOptions): void {
  if (o.asc && o.desc) throw new DataError(`${cmd}: asc and desc exclude each other`);
  if (o.asc) argv.push('ASC');
  if (o.desc) argv.push('DESC');
  if (o.count !== undefined) {
    checkInteger(cmd, 'count', o.count);
    argv.push('COUNT', o.count);
    if (o.any) argv.push('ANY');
  } else if (o.any) {
    throw new DataError(`${cmd}: any needs count`);
  }
}

function pushWith(argv: RedisArg[], o: GeoWithOptions): void {
  if (o.withcoord) argv.push('WITHCOORD');
  if (o.withdist) argv.push('WITHDIST');
  if (o.withhash) argv.push('WITHHASH');
}

/** FROMMEMBER m | FROMLONLAT lon lat, then BYRADIUS r unit | BYBOX w h unit. */
function pushArea(cmd: string, argv: RedisArg[], from: GeoSearchFrom, by: GeoSearchBy): void {
  if (isObject(from)) {
    argv.push('FROMLONLAT');
    pushCoordinates(cmd, argv, from as GeoCoordinates);
  } else {
    checkValue(cmd, 'from', from);
    argv.push('FROMMEMBER', from as RedisValue);
  }
  if (!isObject(by)) throw new DataError(`${cmd}: by must be { radius, unit } or { width, height, unit }, got ${typeName(by)}`);
  if ('radius' in by) {
    checkNumber(cmd, 'radius', by.radius);
    argv.push('BYRADIUS', by.radius);
  } else {
    checkNumber(cmd, 'width', by.width);
    checkNumber(cmd, 'height', by.height);
    argv.push('BYBOX', by.width, by.height);
  }
  checkUnit(cmd, by.unit);
  argv.push(by.unit);
}

function buildRadius(cmd: string, byMember: boolean, readOnly: boolean) {
  // Fixed parameters, so that the method knows how many arguments it takes.
  const build = radiusArgv(cmd, byMember, readOnly);
  return byMember
    ? (k: RedisKey, member: unknown, radius: unknown, unit: unknown, o?: unknown): RedisArg[] => build(k, [member, radius, unit, o])
    : (k: RedisKey, longitude: unknown, latitude: unknown, radius: unknown, unit: unknown, o?: unknown): RedisArg[] =>
        build(k, [longitude, latitude, radius, unit, o]);
}

function radiusArgv(cmd: string, byMember: boolean, readOnly: boolean) {
  return (k: RedisKey, args: unknown[]): RedisArg[] => {
    checkKey(cmd, 'key', k);
    const argv: RedisArg[] = [cmd, k];
    let i = 0;
    if (byMember) {
      checkValue(cmd, 'member', args[i]);
      argv.push(args[i++] as RedisValue);
    } else {
      pushCoordinates(cmd, argv, { longitude: args[i++] as number, latitude: args[i++] as number });
    }
    checkNumber(cmd, 'radius', args[i]);
    argv.push(args[i++] as number);
    checkUnit(cmd, args[i]);
    argv.push(args[i++] as string);
    const o = args[i] as (GeoRadiusOptions & GeoRadiusStoreOptions) | undefined;
    if (o === undefined) return argv;
    pushOrder(cmd, argv, o);
    if (o.store !== undefined || o.storedist !== undefined) {
      if (readOnly) throw new DataError(`${cmd}: store and storedist are not allowed (use the writing command)`);
      if (o.store !== undefined && o.storedist !== undefined) throw new DataError(`${cmd}: store and storedist exclude each other`);
      if (o.withcoord || o.withdist || o.withhash) throw new DataError(`${cmd}: store cannot be combined with withcoord, withdist or withhash`);
      if (o.store !== undefined) {
        checkKey(cmd, 'store', o.store);
        argv.push('STORE', o.store);
      } else {
        checkKey(cmd, 'storedist', o.storedist);
        argv.push('STOREDIST', o.storedist!);
      }
    }
    pushWith(argv, o);
    return argv;
  };
}

function toCoordinates(v: unknown): GeoCoordinates | null {
  if (v === null) return null;
  const [lon, lat] = v as [unknown, unknown];
  return { longitude: toNumber(lon), latitude: toNumber(lat) };
}

// Reply order of the WITH* extras, whatever the order of the options: distance, hash, coordinates.
const WITHDIST = 1;
const WITHHASH = 2;
const WITHCOORD = 4;

/**
 * Which WITH* options an argv asked for. The builders put them last, so they are read from the end;
 * a STORE key that happens to be named like one stops the walk.
 */
function withMask(argv: RedisArg[]): number {
  let mask = 0;
  for (let i = argv.length - 1; i > 2; i--) {
    const a = argv[i];
    const bit = a === 'WITHDIST' ? WITHDIST : a === 'WITHHASH' ? WITHHASH : a === 'WITHCOORD' ? WITHCOORD : 0;
    if (bit === 0 || argv[i - 1] === 'STORE' || argv[i - 1] === 'STOREDIST') break;
    mask |= bit;
  }
  return mask;
}

/** Results with extras: [member, distance?, hash?, [lon, lat]?] arrays as GeoSearchHit objects. */
function toHits(mask: number) {
  return (v: unknown): unknown =>
    (v as unknown[][]).map((item) => {
      const hit: GeoSearchHit<unknown> = { member: item[0] };
      let i = 1;
      if (mask & WITHDIST) hit.distance = toNumber(item[i++]);
      if (mask & WITHHASH) hit.hash = Number(item[i++]);
      if (mask & WITHCOORD) hit.coordinates = toCoordinates(item[i++])!;
      return hit;
    });
}

/** A search method whose reply transform follows the WITH* options of each call. */
function searchMethod(info: CommandInfo, build: (...args: any[]) => RedisArg[]): MethodDef {
  const byMask: MethodDef[] = [method(info, build)];
  for (let mask = 1; mask < 8; mask++) byMask.push(method(info, build, toHits(mask)));
  return { ...byMask[0]!, variant: (argv) => byMask[withMask(argv)]! };
}

export const geoMethods = {
  geoadd: method(GEOADD, (k: RedisKey, members: GeoMember | GeoMember[], o?: GeoAddOptions) => {
    checkKey('GEOADD', 'key', k);
    const argv: RedisArg[] = ['GEOADD', k];
    if (o !== undefined) {
      if (o.nx && o.xx) throw new DataError('GEOADD: nx and xx exclude each other');
      if (o.nx) argv.push('NX');
      if (o.xx) argv.push('XX');
      if (o.ch) argv.push('CH');
    }
    const list = Array.isArray(members) ? members : [members];
    if (list.length === 0) throw new DataError('GEOADD: at least one member is required');
    for (const m of list) {
      if (!isObject(m)) throw new DataError(`GEOADD: each member must be { longitude, latitude, member }, got ${typeName(m)}`);
      pushCoordinates('GEOADD', argv, m);
      checkValue('GEOADD', 'member', m.member);
      argv.push(m.member);
    }
    return argv;
  }),
  geodist: method(
    GEODIST,
    (k: RedisKey, m1: RedisValue, m2: RedisValue, unit?: GeoUnit) => {
      checkKey('GEODIST', 'key', k);
      checkValue('GEODIST', 'member1', m1);
      checkValue('GEODIST', 'member2', m2);
      const argv: RedisArg[] = ['GEODIST', k, m1, m2];
      if (unit !== undefined) {
        checkUnit('GEODIST', unit);
        argv.push(unit);
      }
      return argv;
    },
    toNumberOrNull,
  ),
  geohash: variadic(
    GEOHASH,
    1,
    (k: RedisKey, members: RedisValue[]) => {
      checkKey('GEOHASH', 'key', k);
      for (const m of members) checkValue('GEOHASH', 'member', m);
      return ['GEOHASH', k, ...members];
    },
    (v: unknown) => (v as unknown[]).map(toStringOrNull),
  ),
  geopos: variadic(
    GEOPOS,
    1,
    (k: RedisKey, members: RedisValue[]) => {
      checkKey('GEOPOS', 'key', k);
      for (const m of members) checkValue('GEOPOS', 'member', m);
      return ['GEOPOS', k, ...members];
    },
    (v: unknown) => (v as unknown[]).map(toCoordinates),
  ),
  georadius: searchMethod(GEORADIUS, buildRadius('GEORADIUS', false, false)),
  georadiusRo: searchMethod(GEORADIUS_RO, buildRadius('GEORADIUS_RO', false, true)),
  georadiusbymember: searchMethod(GEORADIUSBYMEMBER, buildRadius('GEORADIUSBYMEMBER', true, false)),
  georadiusbymemberRo: searchMethod(GEORADIUSBYMEMBER_RO, buildRadius('GEORADIUSBYMEMBER_RO', true, true)),
  geosearch: searchMethod(
    GEOSEARCH,
    (k: RedisKey, from: GeoSearchFrom, by: GeoSearchBy, o?: GeoSearchOptions) => {
      checkKey('GEOSEARCH', 'key', k);
      const argv: RedisArg[] = ['GEOSEARCH', k];
      pushArea('GEOSEARCH', argv, from, by);
      if (o !== undefined) {
        pushOrder('GEOSEARCH', argv, o);
        pushWith(argv, o);
      }
      return argv;
    },
  ),
  geosearchstore: method(
    GEOSEARCHSTORE,
    (dest: RedisKey, src: RedisKey, from: GeoSearchFrom, by: GeoSearchBy, o?: GeoSearchStoreOptions) => {
      checkKey('GEOSEARCHSTORE', 'destination', dest);
      checkKey('GEOSEARCHSTORE', 'source', src);
      const argv: RedisArg[] = ['GEOSEARCHSTORE', dest, src];
      pushArea('GEOSEARCHSTORE', argv, from, by);
      if (o !== undefined) {
        pushOrder('GEOSEARCHSTORE', argv, o);
        if (o.storedist) argv.push('STOREDIST');
      }
      return argv;
    },
  ),
};
