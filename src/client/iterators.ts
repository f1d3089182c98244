/** Async iterators over SCAN and its kin, installed on the client. */
import type { RedisKey } from '../commands/command.js';
import type { ScanOptions, ScanReply } from '../commands/generic.js';
import type { HashEntry, HScanFieldsReply, HScanOptions, HScanReply } from '../commands/hashes.js';
import type { SScanOptions, SScanReply } from '../commands/sets.js';
import type { ScoredMember, ZScanMembersReply, ZScanOptions, ZScanReply } from '../commands/sortedsets.js';

/**
 * Each iterator walks the cursor from '0' until the server hands '0' back, yielding one item at a
 * time and asking for the next page only when the current one is used up. As with SCAN itself, an
 * item may be yielded more than once, and items added or removed during the walk may or may not
 * appear. Breaking out of `for await` stops the walk.
 */
export interface IteratorMethods<S extends string | Buffer> {
  /** Every key of the database (matching `match`, of type `type`). */
  scanIterator(options?: ScanOptions): AsyncIterableIterator<S>;
  /** Every field and value of the hash at `key`; with `novalues`, the field names alone. */
  hscanIterator(key: RedisKey, options: HScanOptions & { novalues: true }): AsyncIterableIterator<S>;
  hscanIterator(key: RedisKey, options?: HScanOptions & { novalues?: false }): AsyncIterableIterator<HashEntry<S>>;
  /** Every member of the set at `key`. */
  sscanIterator(key: RedisKey, options?: SScanOptions): AsyncIterableIterator<S>;
  /** Every member of the sorted set at `key` with its score; with `noscores`, the members alone. */
  zscanIterator(key: RedisKey, options: ZScanOptions & { noscores: true }): AsyncIterableIterator<S>;
  zscanIterator(key: RedisKey, options?: ZScanOptions & { noscores?: false }): AsyncIterableIterator<ScoredMember<S>>;
}

/** What the iterators need of the object they are installed on: the one-page methods. */
interface Scanner {
  scan(cursor: string, options?: ScanOptions): Promise<ScanReply<unknown>>;
  hscan(key: RedisKey, cursor: string, options?: HScanOptions): Promise<HScanReply<unknown> | HScanFieldsReply<unknown>>;
  sscan(key: RedisKey, cursor: string, options?: SScanOptions): Promise<SScanReply<unknown>>;
  zscan(key: RedisKey, cursor: string, options?: ZScanOptions): Promise<ZScanReply<unknown> | ZScanMembersReply<unknown>>;
}

async function* scanIterator(this: Scanner, options?: ScanOptions): AsyncGenerator<unknown> {
  let cursor = '0';
  do {
    const page = await this.scan(cursor, options);
    cursor = page.cursor;
    yield* page.keys;
  } while (cursor !== '0');
}

async function* hscanIterator(this: Scanner, key: RedisKey, options?: HScanOptions): AsyncGenerator<unknown> {
  let cursor = '0';
  do {
    const page = await this.hscan(key, cursor, options);
    cursor = page.cursor;
    yield* 'fields' in page ? page.fields : page.entries;
  } while (cursor !== '0');
}

async function* sscanIterator(this: Scanner, key: RedisKey, options?: SScanOptions): AsyncGenerator<unknown> {
  let cursor = '0';
  do {
    const page = await this.sscan(key, cursor, options);
    cursor = page.cursor;
    yield* page.members;
  } while (cursor !== '0');
}

async function* zscanIterator(this: Scanner, key: RedisKey, options?: ZScanOptions): AsyncGenerator<unknown> {
  let cursor = '0';
  do {
    const page = await this.zscan(key, cursor, options);
    cursor = page.cursor;
    yield* 'members' in page ? page.members : page.entries;
  } while (cursor !== '0');
}

const ITERATORS = { scanIterator, hscanIterator, sscanIterator, zscanIterator };

export function installIterators(proto: object): void {
  for (const [name, fn] of Object.entries(ITERATORS)) {
    Object.defineProperty(proto, name, { configurable: true, writable: true, value: fn });
  }
}
