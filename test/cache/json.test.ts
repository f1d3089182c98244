import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient } from '../../src/index.js';
import { useServer } from '../servers/index.js';

describe('client-side cache of JSON.GET on Redis 8', () => {
  const server = useServer({ kind: 'redis8' });

  it('serves JSON.GET from the cache, hands out copies, and drops it on a JSON.SET by another client', async () => {
    await using other = await createClient({ port: server().port }).connect();
    await using c = await createClient({ port: server().port, cache: {} }).connect();
    await other.jsonSet('doc', '$', { name: 'ann', tags: ['a'] });
    const first = (await c.jsonGet('doc')) as { name: string; tags: string[] };
    first.tags.push('spoiled');
    assert.deepEqual(await c.jsonGet('doc'), { name: 'ann', tags: ['a'] });
    assert.equal(c.cache!.stats().hits, 1);
    const invalidated = new Promise<void>((resolve) => c.cache!.once('invalidate', () => resolve()));
    await other.jsonSet('doc', '$.name', 'bob');
    await invalidated;
    assert.deepEqual(await c.jsonGet('doc'), { name: 'bob', tags: ['a'] });
  });
});
