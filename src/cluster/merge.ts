/**
 * Combining the replies of one command sent to several nodes, by the command's response policy, and
 * splitting a multi-key command into one command per slot.
 */
import type { RedisArg } from '../protocol/encoder.js';
import type { ResponsePolicy } from '../commands/policies.js';

/** Element-wise for arrays (SCRIPT EXISTS, WAITAOF), plain for scalars. */
function fold(replies: unknown[], op: (a: unknown, b: unknown) => unknown): unknown {
  let acc = replies[0];
  for (let i = 1; i < replies.length; i++) {
    const r = replies[i];
    acc = Array.isArray(acc) && Array.isArray(r) ? acc.map((a, j) => op(a, r[j])) : op(acc, r);
  }
  return acc;
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v));
const truthy = (v: unknown): boolean => v === true || v === 1 || v === '1';
/** Keeps booleans booleans and 0/1 replies numbers, whichever the transform made. */
const likeInput = (sample: unknown, v: boolean): unknown => (typeof sample === 'boolean' ? v : v ? 1 : 0);

/**
 * Combines the replies of every node that ran a keyless command. `undefined` policy: arrays are
 * concatenated (KEYS, SLOWLOG GET), objects merged, anything else is the first reply.
 */
export function mergeReplies(policy: ResponsePolicy | undefined, replies: unknown[]): unknown {
  switch (policy) {
    case 'aggSum':
      return fold(replies, (a, b) => num(a) + num(b));
    case 'aggMin':
      return fold(replies, (a, b) => Math.min(num(a), num(b)));
    case 'aggMax':
      return fold(replies, (a, b) => Math.max(num(a), num(b)));
    case 'aggLogicalAnd':
      return fold(replies, (a, b) => likeInput(a, truthy(a) && truthy(b)));
    case 'aggLogicalOr':
      return fold(replies, (a, b) => likeInput(a, truthy(a) || truthy(b)));
    case 'allSucceeded':
    case 'oneSucceeded':
    case 'special':
      return replies[0];
    default: {
      if (replies.every(Array.isArray)) return (replies as unknown[][]).flat(1);
      if (replies.every((r) => r !== null && typeof r === 'object' && !Buffer.isBuffer(r))) return Object.assign({}, ...replies);
      return replies[0];
    }
  }
}

/** One per slot: the command for that slot's keys, and where each of its keys was in the caller's call. */
export interface SlotPart {
  slot: number;
  argv: RedisArg[];
  /** Index of each key of this part among the caller's keys, in order. */
  keyIndexes: number[];
}

/**
 * Splits `argv`, whose keys are at `positions` (each followed by `step - 1` arguments of its own:
 * MSET's values), into one command per slot: the words before the first key, that slot's keys with
 * their arguments, the words after the last.
 */
export function splitBySlot(argv: ReadonlyArray<RedisArg>, positions: number[], slots: number[], step: number): SlotPart[] {
  const first = positions[0]!;
  const end = positions[positions.length - 1]! + step;
  const prefix = argv.slice(0, first);
  const suffix = argv.slice(end);
  const parts = new Map<number, SlotPart>();
  for (let k = 0; k < positions.length; k++) {
    const slot = slots[k]!;
    let part = parts.get(slot);
    if (part === undefined) {
      part = { slot, argv: prefix.slice(), keyIndexes: [] };
      parts.set(slot, part);
    }
    const at = positions[k]!;
    for (let j = 0; j < step; j++) part.argv.push(argv[at + j]!);
    part.keyIndexes.push(k);
  }
  for (const part of parts.values()) part.argv.push(...suffix);
  return [...parts.values()];
}

/** Puts the per-slot replies of a split command back together, by its response policy. */
export function mergeParts(policy: ResponsePolicy | undefined, parts: SlotPart[], replies: unknown[], keyCount: number): unknown {
  if (policy !== undefined) return mergeReplies(policy, replies);
  // No policy (MGET): one reply per key, back in the caller's order.
  const out = new Array<unknown>(keyCount);
  parts.forEach((part, i) => {
    const r = replies[i] as unknown[];
    part.keyIndexes.forEach((k, j) => (out[k] = r[j]));
  });
  return out;
}
