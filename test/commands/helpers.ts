import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { createClient, type RedisClient } from '../../src/index.js';
import { SERVER_KINDS, useServer, type RedisServer, type ServerKind, type ServerOptions } from '../servers/index.js';

export interface CommandTestContext {
  kind: ServerKind;
  server(): RedisServer;
  /** A connected client speaking RESP2 or RESP3. */
  client(protocol: 2 | 3): RedisClient;
  /**
   * Runs `fn` under RESP2 and then under RESP3, each on an emptied database, asserts both gave the
   * same value, and returns it. Use it for every call whose reply is checked.
   */
  both<T>(fn: (c: RedisClient, protocol: 2 | 3) => Promise<T>): Promise<T>;
}

/**
 * A suite per server kind with one server and a RESP2 and a RESP3 client on it.
 * Tests inside run one after another, so `both` may empty the database freely.
 */
export function commandSuite(
  name: string,
  body: (t: CommandTestContext) => void,
  serverOptions: ServerOptions = {},
  kinds: readonly ServerKind[] = SERVER_KINDS,
): void {
  for (const kind of kinds) {
    describe(`${name} on ${kind}`, () => {
      const server = useServer({ ...serverOptions, kind });
      const clients = new Map<2 | 3, RedisClient>();
      before(async () => {
        for (const protocol of [2, 3] as const) {
          clients.set(protocol, await createClient({ port: server().port, protocol }).connect());
        }
      });
      after(async () => {
        for (const c of clients.values()) c.disconnect();
      });
      const client = (protocol: 2 | 3) => clients.get(protocol)!;
      body({
        kind,
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
}
