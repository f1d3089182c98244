// Large values through a real socket: the read path that lets the socket read straight into a
// value's assembly buffer, with small replies before, between and after them, strings and Buffers
// mixed on one connection.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient } from '../../src/index.js';
import { useServer } from '../servers/index.js';

const KB = 1024;
const MB = KB * KB;

/** Bytes that differ along the value, so a misplaced or overwritten read shows. */
function patterned(size: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = 32 + ((x >>> 16) % 95);
  }
  return b;
}

describe('large values over a socket', () => {
  const server = useServer();

  it('GET of values from 16 KB to 8 MB, as strings and as Buffers, many in flight with small replies between', async () => {
    const client = createClient({ port: server().port });
    const binary = client.withBuffers();
    try {
      const sizes = [16 * KB, 64 * KB + 1, 256 * KB, MB, 8 * MB];
      const values = sizes.map((n, i) => patterned(n, i + 1));
      // A multi-byte UTF-8 text: chunk boundaries fall inside characters.
      const text = 'zażółć gęślą jaźń 😀 €'.repeat(60_000);
      await Promise.all(values.map((v, i) => client.set(`big:${i}`, v)));
      await client.set('big:text', text);
      for (let round = 0; round < 3; round++) {
        const asBuffers = values.map((_, i) => binary.get(`big:${i}`));
        const asStrings = values.map((_, i) => client.get(`big:${i}`));
        const small = values.map(() => client.ping());
        const utf8 = client.get('big:text');
        const got = await Promise.all(asBuffers);
        for (let i = 0; i < values.length; i++) assert.ok(got[i]!.equals(values[i]!), `Buffer of ${sizes[i]} bytes`);
        const strings = await Promise.all(asStrings);
        for (let i = 0; i < values.length; i++) assert.ok(strings[i] === values[i]!.toString('latin1'), `string of ${sizes[i]} bytes`);
        assert.deepEqual(await Promise.all(small), values.map(() => 'PONG'));
        assert.ok((await utf8) === text);
        // Buffers handed out earlier are untouched by everything read since.
        for (let i = 0; i < values.length; i++) assert.ok(got[i]!.equals(values[i]!), `Buffer of ${sizes[i]} bytes changed later`);
      }
    } finally {
      await client.close();
    }
  });

  it('SET of large strings and Buffers, many in flight, arrives intact (the encoder reuses its memory only once written)', async () => {
    const client = createClient({ port: server().port });
    const binary = client.withBuffers();
    try {
      const sizes = [12 * KB, 16 * KB, 100 * KB, 256 * KB, MB + 3, 3 * MB];
      for (let round = 0; round < 3; round++) {
        const values = Array.from({ length: 40 }, (_, i) => patterned(sizes[i % sizes.length]!, round * 100 + i + 1));
        // Strings and Buffers alternate, with small commands between them.
        const sets = values.map((v, i) => (i % 2 === 0 ? client.set(`w:${i}`, v.toString('latin1')) : client.set(`w:${i}`, v)));
        const pings = values.map(() => client.ping());
        assert.deepEqual(await Promise.all(sets), values.map(() => 'OK'));
        assert.deepEqual(await Promise.all(pings), values.map(() => 'PONG'));
        const got = await Promise.all(values.map((_, i) => binary.get(`w:${i}`)));
        for (let i = 0; i < values.length; i++) assert.ok(got[i]!.equals(values[i]!), `value ${i} (${values[i]!.length} bytes) in round ${round}`);
      }
    } finally {
      await client.close();
    }
  });
});

