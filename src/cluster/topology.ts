/**
 * The cluster's map: which node serves each of the 16384 slots, as a primary and its replicas, read
 * from CLUSTER SLOTS. Addresses go through the user's natMap before anything connects to them.
 */
import type { ClusterSlotsRange } from '../commands/cluster.js';
import { SLOTS } from './slot.js';

/** A cluster node's host and port, as seeds are given and as the slot map names nodes. */
export interface NodeAddress {
  host: string;
  port: number;
}

/**
 * Rewrites an address a node announces into one this client can reach: a table keyed by
 * `host:port`, or a function. Addresses it does not know pass unchanged.
 */
export type NatMap = Record<string, NodeAddress> | ((address: NodeAddress) => NodeAddress);

export function addressKey(a: NodeAddress): string {
  return `${a.host}:${a.port}`;
}

export function remap(natMap: NatMap | undefined, a: NodeAddress): NodeAddress {
  if (natMap === undefined) return a;
  if (typeof natMap === 'function') return natMap(a);
  return natMap[addressKey(a)] ?? a;
}

/** One shard as the map has it: addresses, not connections. */
export interface ShardAddresses {
  primary: string;
  replicas: string[];
}

/** A parsed CLUSTER SLOTS reply: slot -> shard index, and the shards. */
export interface SlotLayout {
  readonly shards: ShardAddresses[];
  /** -1 for a slot no node serves. */
  readonly slots: Int16Array;
  readonly addresses: Map<string, NodeAddress & { role: 'primary' | 'replica' }>;
}

/**
 * Reads CLUSTER SLOTS. A node that does not know its own address announces '' or '?': it is the node
 * that answered, so `askedHost` stands in.
 */
export function layoutFromSlots(ranges: ClusterSlotsRange[], askedHost: string, natMap: NatMap | undefined): SlotLayout {
  const shards: ShardAddresses[] = [];
  const byPrimary = new Map<string, number>();
  const slots = new Int16Array(SLOTS).fill(-1);
  const addresses = new Map<string, NodeAddress & { role: 'primary' | 'replica' }>();
  const resolve = (host: string, port: number, role: 'primary' | 'replica'): string => {
    const a = remap(natMap, { host: host === '' || host === '?' ? askedHost : host, port });
    const key = addressKey(a);
    const known = addresses.get(key);
    if (known === undefined || role === 'primary') addresses.set(key, { ...a, role });
    return key;
  };
  for (const r of ranges) {
    const primary = resolve(r.master.host, r.master.port, 'primary');
    let index = byPrimary.get(primary);
    if (index === undefined) {
      index = shards.length;
      byPrimary.set(primary, index);
      shards.push({ primary, replicas: [] });
    }
    const shard = shards[index]!;
    for (const rep of r.replicas) {
      const key = resolve(rep.host, rep.port, 'replica');
      if (!shard.replicas.includes(key)) shard.replicas.push(key);
    }
    for (let s = r.start; s <= r.end && s < SLOTS; s++) slots[s] = index;
  }
  return { shards, slots, addresses };
}
