import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { InvalidResponse, createClient, parseMonitorLine, type MonitorEvent } from '../../src/index.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';

const PROTOCOLS = [2, 3] as const;

/** Monitor events until one matches. */
async function until(events: AsyncIterable<MonitorEvent>, match: (e: MonitorEvent) => boolean): Promise<MonitorEvent> {
  for await (const e of events) if (match(e)) return e;
  throw new Error('the monitor ended first');
}

describe('parseMonitorLine', () => {
  it('reads the time, db, client and the quoted arguments', () => {
    const e = parseMonitorLine('1339518083.107412 [0 127.0.0.1:60866] "set" "k" "a \\"quoted\\" \\\\ \\x00\\xe2\\x9c\\x93\\r\\n"');
    assert.deepEqual(e, {
      time: 1339518083.107412,
      db: 0,
      client: '127.0.0.1:60866',
      command: 'set',
      args: ['k', 'a "quoted" \\ \u0000✓\r\n'],
      raw: '1339518083.107412 [0 127.0.0.1:60866] "set" "k" "a \\"quoted\\" \\\\ \\x00\\xe2\\x9c\\x93\\r\\n"',
    });
    assert.equal(parseMonitorLine('1.5 [3 lua] "get" "x"').client, 'lua');
    assert.equal(parseMonitorLine('1.5 [0 [::1]:6379] "ping"').client, '[::1]:6379');
    assert.equal(parseMonitorLine('1.5 [0 unix:/tmp/r.sock] "ping"').client, 'unix:/tmp/r.sock');
    assert.throws(() => parseMonitorLine('OK'), InvalidResponse);
  });
});

for (const kind of SERVER_KINDS) {
  describe(`monitor on ${kind}`, () => {
    const server = useServer({ kind });

    for (const protocol of PROTOCOLS) {
      it(`sees, parsed, the commands another client sends (RESP${protocol})`, async () => {
        await using c = await createClient({ port: server().port, protocol }).connect();
        await using other = await createClient({ port: server().port, protocol, db: 2 }).connect();
        await using monitor = await c.monitor();
        const seen = until(monitor, (e) => e.command.toLowerCase() === 'set' && e.args[0] === `mon:${protocol}`);
        const heard = new Promise<MonitorEvent>((resolve) => monitor.on('command', (e) => e.command.toLowerCase() === 'set' && resolve(e)));
        await other.set(`mon:${protocol}`, 'va lue "q"\n✓');
        const e = await seen;
        assert.deepEqual(e.args, [`mon:${protocol}`, 'va lue "q"\n✓']);
        assert.equal(e.db, 2);
        assert.match(e.client, /^127\.0\.0\.1:\d+$/);
        assert.ok(Math.abs(e.time * 1000 - Date.now()) < 60_000);
        assert.deepEqual((await heard).args, e.args);
        // Scripts' commands show as from lua.
        const lua = until(monitor, (x) => x.client === 'lua');
        await other.call('EVAL', "return redis.call('get', KEYS[1])", 1, `mon:${protocol}`);
        assert.deepEqual((await lua).args, [`mon:${protocol}`]);
      });
    }

    it('monitors again on a new connection after its connection is killed; stop() ends iterators', async () => {
      await using c = await createClient({ port: server().port }).connect();
      await using admin = await createClient({ port: server().port }).connect();
      const monitor = await c.monitor();
      const list = String(await admin.call('CLIENT', 'LIST'));
      const id = /id=(\d+) .*flags=O /.exec(list)![1]!;
      const again = once(monitor, 'monitoring');
      await admin.call('CLIENT', 'KILL', 'ID', id);
      await again;
      const back = until(monitor, (e) => e.args[0] === 'mon:back');
      await admin.set('mon:back', '1');
      assert.deepEqual((await back).args, ['mon:back', '1']);
      const ended = (async () => {
        const out: MonitorEvent[] = [];
        for await (const e of monitor) out.push(e);
        return out;
      })();
      await monitor.stop();
      assert.deepEqual(await ended, []);
      assert.equal((await monitor[Symbol.asyncIterator]().next()).done, true);
    });
  });
}
