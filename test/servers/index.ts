/**
 * Real Redis / Valkey servers for the tests. Never a mock: the point is to test the client against the
 * behaviour of the actual servers, both kinds, on every run.
 *
 * Usage
 *
 *   import { SERVER_KINDS, useServer, startServer, withServer, startProxy } from './servers/index.js';
 *
 *   // One server per suite (started in before, stopped in after, log printed if a test failed):
 *   for (const kind of SERVER_KINDS) {
 *     describe(`GET on ${kind}`, () => {
 *       const server = useServer({ kind, tls: true });
 *       it('...', async () => { connect(server().port) ... });
 *     });
 *   }
 *
 *   // One server for a single test:
 *   await withServer({ kind: 'valkey', unixSocket: true }, async (server) => { ... });
 *
 *   // Or by hand (stop() is idempotent; `await using` also works):
 *   const server = await startServer({ password: 'pw' });
 *   try { ... } finally { await server.stop(); }
 *
 *   // A sentinel group: a primary, two replicas, three sentinels (quorum 2, down-after 1 s, fast timers):
 *   const group = await startSentinelGroup({ kind: 'valkey' });
 *   await group.failover(); await group.settled(); (await group.primary()).port; await group.stop();
 *
 *   // Faults: point the client at a proxy in front of the server.
 *   const proxy = await startProxy(server.port);
 *   proxy.cutAll(); proxy.pause(); proxy.resume(); await proxy.close();
 *
 * Each server gets free ports on 127.0.0.1, its own temp dir (config, log, unix socket, TLS files),
 * persists nothing, and is SIGKILLed when the test process exits, however it exits. If a binary is
 * missing the start fails with a message saying to run `bash .ci/install-servers.sh`; tests never skip.
 *
 * Layout, for growing this (cluster, sentinel): process.ts is the kind-agnostic core (binaries, ports,
 * spawning/reaping, PING readiness, the exit safety net), config.ts renders config files, tls.ts makes
 * certificates, server.ts is the standalone server built on those, hooks.ts the node:test glue.
 */

export {
  SERVER_KINDS,
  SERVER_BINARIES,
  startServer,
  type AclUser,
  type RedisServer,
  type ServerKind,
  type ServerOptions,
} from './server.js';
export { useServer, withServer, printServerLog } from './hooks.js';
export { startProxy, type TcpProxy } from './proxy.js';
export { testCerts, type TestCerts, type TlsFiles } from './tls.js';
export { freePort, requireBinary, waitForPing } from './process.js';
export {
  startSentinel,
  startSentinelGroup,
  type RedisSentinel,
  type SentinelGroup,
  type SentinelGroupOptions,
  type SentinelOptions,
} from './sentinel.js';
export { redis8Dir, redis8Binary } from './redis8.js';
export { startCluster, useCluster, type ClusterOptions, type NodeInfo, type TestCluster } from './cluster.js';
