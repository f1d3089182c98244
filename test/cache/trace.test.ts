import assert from 'node:assert/strict';
import diagnostics_channel from 'node:diagnostics_channel';
import { describe, it } from 'node:test';
import { createClient, type CommandTraceContext } from '../../src/index.js';
import { useServer } from '../servers/index.js';

describe('client-side cache and tracing', () => {
  const server = useServer({ kind: 'redis' });

  it('a GET served from the cache still shows on the command channel, with cached: true', async () => {
    await using c = await createClient({ port: server().port, cache: {} }).connect();
    await c.set('traced', 'v');
    const seen: Array<{ command: string; cached: boolean }> = [];
    const onEnd = (message: unknown): void => {
      const ctx = message as CommandTraceContext;
      seen.push({ command: ctx.command, cached: ctx.cached === true });
    };
    diagnostics_channel.subscribe('tracing:redwire:command:asyncEnd', onEnd);
    try {
      assert.equal(await c.get('traced'), 'v');
      assert.equal(await c.get('traced'), 'v');
    } finally {
      diagnostics_channel.unsubscribe('tracing:redwire:command:asyncEnd', onEnd);
    }
    assert.deepEqual(seen, [
      { command: 'GET', cached: false },
      { command: 'GET', cached: true },
    ]);
  });
});
