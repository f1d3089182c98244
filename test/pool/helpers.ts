import type { ConnectionPool, PoolCloseReason, PoolEvents, RedisClient } from '../../src/index.js';

/** How many of the server's clients carry `name` (pooled connections are named to be counted). */
export async function countNamed(observer: RedisClient, name: string): Promise<number> {
  const list = await observer.clientList();
  return list.filter((r) => r['name'] === name).length;
}

/** Resolves after `n` more connectionClosed events (with `reason`, if given), with their reasons. */
export function closedEvents(pool: ConnectionPool, n: number, reason?: PoolCloseReason): Promise<PoolCloseReason[]> {
  return new Promise((resolve) => {
    const seen: PoolCloseReason[] = [];
    const on = (e: PoolEvents['connectionClosed'][0]) => {
      if (reason !== undefined && e.reason !== reason) return;
      seen.push(e.reason);
      if (seen.length === n) {
        pool.off('connectionClosed', on);
        resolve(seen);
      }
    };
    pool.on('connectionClosed', on);
  });
}

/** Waits until no pooled connection is still closing (each close ends with a connectionClosed event). */
export async function settled(pool: ConnectionPool): Promise<void> {
  while (pool.stats().closing > 0 || pool.stats().creating > 0) {
    await new Promise<void>((resolve) => {
      const done = () => {
        pool.off('connectionClosed', done);
        pool.off('connectionCreated', done);
        resolve();
      };
      pool.on('connectionClosed', done);
      pool.on('connectionCreated', done);
    });
  }
}

/**
 * Polls the server until `check` holds: for what only the server knows (its client list lags a
 * socket we cut by a moment) and no event of ours can announce. Bounded, never a blind sleep.
 */
export async function eventually(check: () => Promise<boolean>, what: string, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`never happened: ${what}`);
}
