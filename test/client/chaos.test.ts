/**
 * Connections cut and stalled at random moments while commands flow. Every command carries a unique
 * payload (ECHO), so a reply handed to the wrong command would show; the point is that none ever is,
 * that every promise settles, and that the client keeps working through it all.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionError, ConstantBackoff, Retry, TimeoutError, createClient } from '../../src/index.js';
import { SERVER_KINDS, startProxy, useServer } from '../servers/index.js';

/** A small deterministic generator, so a failing run can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

for (const kind of SERVER_KINDS) {
  describe(`chaos on ${kind}`, () => {
    const server = useServer({ kind });

    for (const protocol of [2, 3] as const) {
      it(`RESP${protocol}: random cuts and stalls never mismatch a reply, and every command settles`, async () => {
        const proxy = await startProxy(server().port);
        const c = await createClient({
          port: proxy.port,
          protocol,
          commandTimeout: 150,
          reconnect: new Retry(new ConstantBackoff(5), -1),
        }).connect();
        c.on('error', () => {});
        const random = rng(protocol * 7919 + kind.length);
        let ok = 0;
        let broken = 0;
        let timedOut = 0;
        const mismatches: string[] = [];
        let stop = false;

        const worker = async (w: number): Promise<void> => {
          for (let i = 0; !stop; i++) {
            const payload = `w${w}:${i}:${'x'.repeat(Math.floor(random() * 64))}`;
            // Pipelines and single commands both: a batch must stay whole or fail whole.
            if (i % 5 === 0) {
              const r = await c.pipeline().echo(payload).echo(`${payload}!`).exec({ throwOnError: false });
              for (const [got, want] of [[r[0], payload], [r[1], `${payload}!`]] as const) {
                if (got instanceof ConnectionError) broken++;
                else if (got instanceof TimeoutError) timedOut++;
                else if (got !== want) mismatches.push(`${String(got)} for ${want}`);
                else ok++;
              }
              continue;
            }
            try {
              const got = await c.echo(payload);
              if (got !== payload) mismatches.push(`${got} for ${payload}`);
              else ok++;
            } catch (e) {
              if (e instanceof ConnectionError) broken++;
              else if (e instanceof TimeoutError) timedOut++;
              else throw e;
            }
          }
        };

        const workers = Array.from({ length: 8 }, (_, w) => worker(w));
        try {
          // 40 faults, each after a random number of successful replies: cut the connection, or
          // hold its bytes past the command timeout.
          for (let fault = 0; fault < 40; fault++) {
            const target = ok + 20 + Math.floor(random() * 200);
            while (ok < target) await new Promise((r) => setImmediate(r));
            if (random() < 0.7) {
              proxy.cutAll(random() < 0.5 ? 'close' : 'reset');
            } else {
              proxy.pause();
              const stalled = timedOut;
              while (timedOut === stalled) await new Promise((r) => setImmediate(r));
              proxy.resume();
            }
          }
        } finally {
          stop = true;
          await Promise.all(workers);
          c.disconnect();
          await proxy.close();
        }
        assert.deepEqual(mismatches, []);
        assert.ok(ok > 4000, `${ok} commands answered`);
        assert.ok(broken > 0, 'no command saw a cut connection');
        assert.ok(timedOut > 0, 'no command timed out');
      });
    }
  });
}
