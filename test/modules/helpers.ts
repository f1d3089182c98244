import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { createClient, type RedisClient } from '../../src/index.js';
import { useServer, type RedisServer } from '../servers/index.js';

export interface ModuleTestContext {
  server(): RedisServer;
  /** A connected client speaking RESP2 or RESP3. */
  client(protocol: 2 | 3): RedisClient;
  /**
   * Runs `fn` under RESP2 and then under RESP3, each on an emptied database, asserts both gave the
   * same value, and returns it.
   */
  both<T>(fn: (c: RedisClient, protocol: 2 | 3) => Promise<T>): Promise<T>;
}

/** A suite on one Redis 8 server with the modules, with a RESP2 and a RESP3 client on it. */
export function moduleSuite(name: string, body: (t: ModuleTestContext) => void): void {
  describe(`${name} on redis8`, () => {
    const server = useServer({ kind: 'redis8' });
    const clients = new Map<2 | 3, RedisClient>();
    before(async () => {
      for (const protocol of [2, 3] as const) clients.set(protocol, await createClient({ port: server().port, protocol }).connect());
    });
    after(async () => {
      for (const c of clients.values()) c.disconnect();
    });
    const client = (protocol: 2 | 3) => clients.get(protocol)!;
    body({
      server,
      client,
      async both<T>(fn: (c: RedisClient, protocol: 2 | 3) => Promise<T>): Promise<T> {
        await client(2).flushall();
        const r2 = await fn(client(2), 2);
        await client(3).flushall();
        const r3 = await fn(client(3), 3);
        assert.deepEqual(r3, r2, 'RESP3 and RESP2 replies differ');
        return r2;
      },
    });
  });
}
