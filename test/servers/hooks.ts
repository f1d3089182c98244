// node:test glue: tie a server's lifetime to a suite, and show its log when something in it failed.

import { after, afterEach, before } from 'node:test';
import { startServer, type RedisServer, type ServerOptions } from './server.js';

/** Writes a server's log to stderr (the test runner shows it next to the failure). */
export function printServerLog(server: Pick<RedisServer, 'kind' | 'port' | 'log'>, why: string): void {
  const title = `${server.kind} server :${server.port} log (${why})`;
  process.stderr.write(`\n----- ${title} -----\n${server.log().trimEnd()}\n----- end of ${title} -----\n`);
}

/**
 * Registers before/after hooks in the enclosing describe() (or the file, at top level) and returns a
 * getter for the server, valid inside that suite's tests and hooks:
 *
 *   describe('GET', () => {
 *     const server = useServer({ kind: 'valkey' });
 *     it('works', async () => { await server().cli('SET', 'k', 'v'); ... });
 *   });
 *
 * The log is printed once, when the suite ends, if any of its tests failed. Failure detection reads
 * TestContext.passed (Node >= 20.12).
 */
export function useServer(opts: ServerOptions = {}): () => RedisServer {
  let server: RedisServer | undefined;
  const failed: string[] = [];
  before(async () => {
    server = await startServer(opts);
  });
  afterEach((t) => {
    if ('passed' in t && (t as { passed?: boolean }).passed === false) failed.push(t.name);
  });
  after(async () => {
    if (!server) return;
    if (failed.length > 0) printServerLog(server, `failed: ${failed.join(', ')}`);
    await server.stop();
  });
  return () => {
    if (!server) throw new Error('useServer(): the server exists only inside the tests and hooks of the suite that called useServer()');
    return server;
  };
}

/** Runs fn with a fresh server, always stopping it; prints the log if fn throws. */
export async function withServer<T>(opts: ServerOptions, fn: (server: RedisServer) => T | Promise<T>): Promise<T> {
  const server = await startServer(opts);
  try {
    return await fn(server);
  } catch (err) {
    printServerLog(server, `withServer callback threw: ${(err as Error)?.message ?? String(err)}`);
    throw err;
  } finally {
    await server.stop();
  }
}
