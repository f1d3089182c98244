// A TCP proxy between the client under test and a real server, for the faults a healthy local server
// never produces: connections dropped mid-flight (cutAll) and a network that stalls (pause).

import net from 'node:net';

export interface TcpProxy {
  readonly host: '127.0.0.1';
  /** Point the client here instead of at the server. */
  readonly port: number;
  readonly targetHost: string;
  readonly targetPort: number;
  /** Live client connections. */
  readonly connections: number;
  readonly paused: boolean;
  /**
   * Destroys every live client and upstream socket. 'close' sends FIN (the client sees an orderly end);
   * 'reset' sends RST (the client sees ECONNRESET). New connections are still accepted afterwards.
   */
  cutAll(how?: 'close' | 'reset'): void;
  /** Holds all bytes in both directions, for existing and new connections, until resume(). */
  pause(): void;
  /** Delivers the held bytes in order and forwards again. */
  resume(): void;
  /** Resolves once at least n client connections are live (for awaiting a reconnect without sleeping). */
  waitForConnections(n: number, timeoutMs?: number): Promise<void>;
  /** Stops listening and cuts all connections. Idempotent. */
  close(): Promise<void>;
}

interface Direction {
  from: net.Socket;
  to: net.Socket;
  held: Buffer[];
  ended: boolean;
}

interface Link {
  client: net.Socket;
  upstream: net.Socket;
  directions: [Direction, Direction];
}

export async function startProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const links = new Set<Link>();
  const waiters = new Set<() => void>();
  let paused = false;
  let closing: Promise<void> | undefined;

  const notify = (): void => {
    for (const w of [...waiters]) w();
  };

  // Flushes what was held while paused, then lets the source flow again.
  const flush = (d: Direction): void => {
    for (const chunk of d.held.splice(0)) d.to.write(chunk);
    if (d.ended) d.to.end();
    else if (!d.from.destroyed) d.from.resume();
  };

  const wire = (d: Direction): void => {
    d.from.on('data', (chunk: Buffer) => {
      if (paused) {
        // pause() makes the kernel hold further bytes; what was already read waits here
        d.held.push(chunk);
        d.from.pause();
        return;
      }
      if (!d.to.write(chunk)) {
        d.from.pause();
        d.to.once('drain', () => {
          if (!paused) d.from.resume();
        });
      }
    });
    d.from.on('end', () => {
      d.ended = true;
      if (!paused && d.held.length === 0) d.to.end();
    });
  };

  // allowHalfOpen: a half-close from one side is forwarded as such, rather than closing both ways early.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({ port: targetPort, host: targetHost, allowHalfOpen: true });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const link: Link = {
      client,
      upstream,
      directions: [
        { from: client, to: upstream, held: [], ended: false },
        { from: upstream, to: client, held: [], ended: false },
      ],
    };
    links.add(link);
    link.directions.forEach(wire);
    if (paused) {
      client.pause();
      upstream.pause();
    }
    const teardown = (): void => {
      if (!links.delete(link)) return;
      client.destroy();
      upstream.destroy();
      notify();
    };
    // Errors are expected here (that is the point of the proxy); 'close' follows and tears down both.
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    client.on('close', teardown);
    upstream.on('close', teardown);
    notify();
  });
  server.on('error', () => undefined);
  // A proxy a test forgot to close must not keep the test file alive.
  server.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;

  const cutAll = (how: 'close' | 'reset' = 'close'): void => {
    for (const link of [...links]) {
      for (const s of [link.client, link.upstream]) {
        if (how === 'reset' && !s.destroyed && !s.connecting) s.resetAndDestroy();
        else s.destroy();
      }
    }
  };

  return {
    host: '127.0.0.1',
    port,
    targetHost,
    targetPort,
    get connections() {
      return links.size;
    },
    get paused() {
      return paused;
    },
    cutAll,
    pause() {
      if (paused) return;
      paused = true;
      for (const link of links) for (const d of link.directions) d.from.pause();
    },
    resume() {
      if (!paused) return;
      paused = false;
      for (const link of links) for (const d of link.directions) flush(d);
    },
    waitForConnections(n, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (links.size < n) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`proxy :${port}: ${links.size} connection(s) after ${timeoutMs} ms, wanted ${n}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        cutAll();
      });
      return closing;
    },
  };
}
