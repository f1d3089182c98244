import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient } from '../../src/index.js';
import { startServer, useServer } from '../servers/index.js';

describe('the redis8 test server', () => {
  const server = useServer({ kind: 'redis8' });

  it('is Redis 8 with RedisJSON, RediSearch, RedisBloom and RedisTimeSeries loaded', async () => {
    await using c = await createClient({ port: server().port }).connect();
    const info = await c.info('server');
    assert.match(String(info.server?.redis_version), /^8\./);
    const modules = ((await c.call('MODULE', 'LIST')) as unknown[]).map((m) => {
      const entry = Array.isArray(m) ? m : Object.entries(m as object).flat();
      return String(entry[entry.indexOf('name') + 1]);
    });
    // Vector sets are built into Redis 8 and list themselves as a module too.
    assert.deepEqual(modules.sort(), ['ReJSON', 'bf', 'search', 'timeseries', 'vectorset']);
    assert.equal(await server().cli('VCARD', 'none'), '0');
  });

  it('says how to install it when the install is missing', async () => {
    const saved = process.env.REDWIRE_REDIS8_DIR;
    process.env.REDWIRE_REDIS8_DIR = '/nonexistent/redwire-redis8';
    try {
      await assert.rejects(startServer({ kind: 'redis8' }), /Redis 8 is not installed .*install-servers\.sh/);
    } finally {
      if (saved === undefined) delete process.env.REDWIRE_REDIS8_DIR;
      else process.env.REDWIRE_REDIS8_DIR = saved;
    }
  });
});
