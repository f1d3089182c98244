import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ClientClosedError, ConnectionError, createClient, type RedisClient } from '../../src/index.js';
import { SERVER_KINDS, startProxy, useServer } from '../servers/index.js';

function record(client: RedisClient): string[] {
  const seen: string[] = [];
  for (const e of ['connect', 'ready', 'close', 'end', 'error', 'reconnecting'] as const) {
    client.on(e, () => seen.push(e));
  }
  return seen;
}

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

for (const kind of SERVER_KINDS) {
  describe(`client lifecycle on ${kind}`, () => {
    const server = useServer({ kind });

    for (const protocol of [2, 3] as const) {
      it(`close() on a healthy client emits close then end, never error (RESP${protocol})`, async () => {
        const c = createClient({ port: server().port, protocol });
        const seen = record(c);
        await c.connect();
        await c.set('lifecycle:k', 'v');
        // A pooled connection and a spread one close the same way.
        await c.blpop('lifecycle:empty', 0.01);
        await c.close();
        assert.deepEqual(seen, ['connect', 'ready', 'close', 'end']);
        assert.equal(c.status, 'closed');
      });
    }

    it('close() ends subscribers, monitors and keyspace streams made from the client', async () => {
      const c = await createClient({ port: server().port }).connect();
      const sub = c.pubsub();
      await sub.subscribe('lifecycle:chan');
      const monitor = await c.monitor();
      const events = await c.keyspaceEvents('lifecycle:*');
      const ended: string[] = [];
      sub.on('end', () => ended.push('sub'));
      monitor.on('end', () => ended.push('monitor'));
      const loops = [sub, monitor, events].map(async (source) => {
        let n = 0;
        for await (const _ of source as AsyncIterable<unknown>) n++;
        return n;
      });
      await c.close();
      assert.deepEqual(await Promise.all(loops), [0, 0, 0]);
      assert.deepEqual(ended.sort(), ['monitor', 'sub']);
      await assert.rejects(sub.subscribe('later'), ClientClosedError);
      // A subscriber made after the close fails at once rather than waiting on a closed pool.
      await assert.rejects(c.pubsub().subscribe('later'), ClientClosedError);
    });

    it('the process exits by itself once the client is closed', async () => {
      const script = fileURLToPath(new URL('../fixtures/exit-after-close.ts', import.meta.url));
      const out = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', script, String(server().port)], { timeout: 20_000 }, (err, stdout, stderr) => {
          if (err) reject(new Error(`child failed or hung: ${err.message}\n${stderr}`));
          else resolve(stdout);
        });
      });
      assert.equal(out.trim(), 'loops ended; later subscribe: ClientClosedError');
    });

    it('disconnect() while the handshake is pending: never ready, later commands refused, nothing leaks', async () => {
      // The proxy accepts the socket and holds every byte: the handshake cannot finish.
      const proxy = await startProxy(server().port);
      try {
        proxy.pause();
        const before = openFds();
        const clients = Array.from({ length: 50 }, () => createClient({ port: proxy.port, connections: 4 }));
        const connects = clients.map((c) => c.connect().then(() => 'ready', (e: Error) => e));
        // Spread connections are made by the first command; it waits in the offline queue.
        const commands = clients.map((c) => c.get('k').then(() => 'ok', (e: Error) => e));
        await proxy.waitForConnections(50 * 4);
        const seen = clients.map(record);
        for (const c of clients) c.disconnect();
        for (const r of await Promise.all(connects)) assert.ok(r instanceof ConnectionError, String(r));
        for (const r of await Promise.all(commands)) assert.ok(r instanceof ConnectionError, String(r));
        proxy.resume();
        for (const c of clients) {
          assert.equal(c.status, 'closed');
          await assert.rejects(c.get('k'), ClientClosedError);
        }
        assert.ok(seen.every((s) => !s.includes('ready') && !s.includes('reconnecting')), JSON.stringify(seen));
        const deadline = Date.now() + 5_000;
        while (openFds() > before + 2 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
        assert.ok(openFds() <= before + 2, `fds before ${before}, after ${openFds()}`);
      } finally {
        await proxy.close();
      }
    });

    it('disconnect() while the socket is still connecting ends the attempt at once', async () => {
      // 10.255.255.1 is not routed: the connect would wait for its full timeout.
      const c = createClient({ host: '10.255.255.1', port: 6379, connectTimeout: 60_000 });
      const started = Date.now();
      const connecting = c.connect().then(() => 'ready', (e: Error) => e);
      c.disconnect();
      const r = await connecting;
      assert.ok(r instanceof ClientClosedError, String(r));
      assert.ok(Date.now() - started < 1_000);
      assert.equal(c.status, 'closed');
      await assert.rejects(c.get('k'), ClientClosedError);
    });
  });
}
