// Tests of the test harness itself: if these fail, every other suite's failures are suspect.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { describe, it } from 'node:test';
import {
  requireBinary,
  SERVER_KINDS,
  startProxy,
  startServer,
  useServer,
  withServer,
  type RedisServer,
} from './servers/index.js';

/** Sends an inline PING on a fresh socket and resolves with the first reply line. */
function pingOver(socket: net.Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.includes('\r\n')) {
        resolve(buf.split('\r\n')[0]!);
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed before a reply (got ${JSON.stringify(buf)})`)));
    // Both net and tls sockets queue writes until connected / handshaken.
    socket.write('PING\r\n');
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function processState(pid: number): string {
  // /proc/<pid>/stat: "pid (comm) S ..."; comm may hold spaces, so split after the last ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

/** Polls until the kernel reports the state: signals are delivered asynchronously. */
async function waitForState(pid: number, want: (s: string) => boolean): Promise<string> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const s = processState(pid);
    if (want(s) || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 5));
  }
}

const ACL_USER = { name: 'alice', password: 'a "quoted" pass\\word' };

for (const kind of SERVER_KINDS) {
  describe(`${kind} server`, () => {
    const server = useServer({ kind, unixSocket: true, tls: true, aclUsers: [ACL_USER] });

    it('answers PING through redis-cli', async () => {
      assert.equal(server().kind, kind);
      assert.equal(await server().cli('PING'), 'PONG');
      const info = await server().cli('INFO', 'server');
      assert.match(info, kind === 'valkey' ? /valkey_version:/ : /redis_version:/);
    });

    it('persists nothing to disk', async () => {
      assert.equal(await server().cli('CONFIG', 'GET', 'save'), 'save');
      assert.equal(await server().cli('CONFIG', 'GET', 'appendonly'), 'appendonly\nno');
    });

    it('answers PING over raw TCP', async () => {
      const s = server();
      assert.equal(s.url, `redis://127.0.0.1:${s.port}`);
      assert.equal(await pingOver(net.connect(s.port, s.host)), '+PONG');
    });

    it('answers PING over the unix socket', async () => {
      const s = server();
      assert.ok(s.socketPath?.startsWith(s.dir));
      assert.equal(await pingOver(net.connect(s.socketPath!)), '+PONG');
    });

    it('answers PING over TLS with the CA and a client certificate', async () => {
      const s = server();
      assert.ok(s.tls && s.tlsPort);
      assert.equal(s.tlsUrl, `rediss://127.0.0.1:${s.tlsPort}`);
      assert.ok(s.tls.ca.toString().includes('BEGIN CERTIFICATE'));
      const socket = tls.connect({ host: s.host, port: s.tlsPort, ca: s.tls.ca, cert: s.tls.clientCert, key: s.tls.clientKey });
      assert.equal(await pingOver(socket), '+PONG');
      // localhost is in the certificate too
      const byName = tls.connect({ host: 'localhost', port: s.tlsPort, ca: readFileSync(s.tls.caPath) });
      assert.equal(await pingOver(byName), '+PONG');
    });

    it('rejects a TLS server it cannot verify', async () => {
      const s = server();
      await assert.rejects(pingOver(tls.connect({ host: s.host, port: s.tlsPort! })), /self[- ]signed|unable to verify|certificate/i);
    });

    it('creates ACL users', async () => {
      const s = server();
      assert.equal(await s.cli('--user', ACL_USER.name, '--pass', ACL_USER.password, 'ACL', 'WHOAMI'), 'alice');
      // A wrong password leaves the connection as the default user.
      assert.equal(await s.cli('--user', ACL_USER.name, '--pass', 'wrong', 'ACL', 'WHOAMI'), 'default');
    });

    it('pauses and resumes the process', async () => {
      const s = server();
      s.pause();
      assert.equal(await waitForState(s.pid, (st) => st === 'T'), 'T');
      s.resume();
      assert.notEqual(await waitForState(s.pid, (st) => st !== 'T'), 'T');
      assert.equal(await s.cli('PING'), 'PONG');
    });

    it('restarts after kill() on the same ports, with empty data', async () => {
      const s = server();
      await s.cli('SET', 'k', 'v');
      const oldPid = s.pid;
      await s.kill();
      assert.equal(isAlive(oldPid), false);
      await assert.rejects(pingOver(net.connect(s.port, s.host)), /ECONNREFUSED/);
      await s.restart();
      assert.notEqual(s.pid, oldPid);
      assert.equal(await pingOver(net.connect(s.port, s.host)), '+PONG');
      assert.equal(await pingOver(net.connect(s.socketPath!)), '+PONG');
      assert.equal(await pingOver(tls.connect({ host: s.host, port: s.tlsPort!, ca: s.tls!.ca })), '+PONG');
      assert.equal(await s.cli('EXISTS', 'k'), '0');
      // restart() of a live server is a graceful stop + start; still nothing saved
      await s.cli('SET', 'k', 'v');
      await s.restart();
      assert.equal(await s.cli('EXISTS', 'k'), '0');
      assert.match(s.log(), /Ready to accept connections/);
    });
  });

  describe(`${kind} server with options`, () => {
    it('requires a client certificate when asked', async () => {
      await withServer({ kind, tls: { requireClientCert: true } }, async (s) => {
        assert.equal(await s.cli('CONFIG', 'GET', 'tls-auth-clients'), 'tls-auth-clients\nyes');
        const withCert = tls.connect({ host: s.host, port: s.tlsPort!, ca: s.tls!.ca, cert: s.tls!.clientCert, key: s.tls!.clientKey });
        assert.equal(await pingOver(withCert), '+PONG');
        await assert.rejects(pingOver(tls.connect({ host: s.host, port: s.tlsPort!, ca: s.tls!.ca })));
      });
    });

    it('protects the default user with a password, and still becomes ready and restarts', async () => {
      await withServer({ kind, password: 'top secret', args: ['--maxmemory', '10mb'] }, async (s) => {
        assert.equal(s.password, 'top secret');
        assert.match(await pingOver(net.connect(s.port, s.host)), /^-NOAUTH/);
        assert.equal(await s.cli('PING'), 'PONG');
        assert.equal(await s.cli('CONFIG', 'GET', 'maxmemory'), 'maxmemory\n10485760');
        await s.restart();
        assert.equal(await s.cli('PING'), 'PONG');
      });
    });

    it('stops: the process is gone and its dir removed, and stop() is idempotent', async () => {
      const s: RedisServer = await startServer({ kind, unixSocket: true });
      const { pid, dir } = s;
      assert.ok(isAlive(pid) && existsSync(dir));
      s.pause(); // a stopped process must still shut down
      await Promise.all([s.stop(), s.stop()]);
      await s.stop();
      assert.equal(isAlive(pid), false);
      assert.equal(existsSync(dir), false);
      assert.match(s.log(), /ready to accept|shutdown|Received SIGTERM/i);
      await assert.rejects(s.restart(), /stopped/);
    });

    it('reports the log when the server cannot start', async () => {
      await assert.rejects(startServer({ kind, args: ['--no-such-option', 'x'] }), (err: Error) => {
        assert.match(err.message, /failed to start/);
        assert.match(err.message, /no-such-option/);
        return true;
      });
    });
  });
}

describe('binaries', () => {
  it('names the missing binary and the install script', () => {
    assert.throws(() => requireBinary('redwire-no-such-server'), /redwire-no-such-server.*bash \.ci\/install-servers\.sh/);
  });
});

describe('TCP proxy', () => {
  const server = useServer();

  it('forwards, counts connections and cutAll() closes the client socket', async () => {
    const proxy = await startProxy(server().port);
    try {
      const client = net.connect(proxy.port, proxy.host);
      const closed = new Promise<boolean>((resolve) => client.once('close', resolve));
      client.on('error', () => undefined);
      client.setEncoding('utf8');
      const firstReply = new Promise<string>((resolve) => client.once('data', resolve));
      client.write('PING\r\n');
      assert.equal(await firstReply, '+PONG\r\n');
      assert.equal(proxy.connections, 1);
      proxy.cutAll();
      await closed;
      await proxy.waitForConnections(0);
      assert.equal(proxy.connections, 0);
      // still accepts new connections after a cut
      assert.equal(await pingOver(net.connect(proxy.port, proxy.host)), '+PONG');
    } finally {
      await proxy.close();
    }
  });

  it("cutAll('reset') makes the client see ECONNRESET", async () => {
    const proxy = await startProxy(server().port);
    try {
      const client = net.connect(proxy.port, proxy.host);
      const errored = new Promise<NodeJS.ErrnoException>((resolve) => client.once('error', resolve));
      await proxy.waitForConnections(1);
      // wait for the upstream leg too, so there is a live socket to reset on both sides
      assert.equal(await pingOverExisting(client), '+PONG');
      proxy.cutAll('reset');
      assert.equal((await errored).code, 'ECONNRESET');
    } finally {
      await proxy.close();
    }
  });

  it('pause() holds bytes until resume()', async () => {
    const proxy = await startProxy(server().port);
    try {
      proxy.pause();
      let resumed = false;
      const reply = pingOver(net.connect(proxy.port, proxy.host)).then((r) => ({ r, resumed }));
      await proxy.waitForConnections(1);
      // a full round trip on a direct connection: had the proxy forwarded, the reply would be here
      assert.equal(await pingOver(net.connect(server().port, server().host)), '+PONG');
      assert.equal(await server().cli('PING'), 'PONG');
      resumed = true;
      proxy.resume();
      assert.deepEqual(await reply, { r: '+PONG', resumed: true });
    } finally {
      await proxy.close();
    }
  });

  it('closes the client when the target is down', async () => {
    const down = await startServer();
    const port = down.port;
    await down.stop();
    const proxy = await startProxy(port);
    try {
      await assert.rejects(pingOver(net.connect(proxy.port, proxy.host)), /closed before a reply/);
    } finally {
      await proxy.close();
    }
  });
});

function pingOverExisting(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.setEncoding('utf8');
    socket.once('data', (d: string) => resolve(d.split('\r\n')[0]!));
    socket.write('PING\r\n');
  });
}
